#!/usr/bin/env bash
# Soak: hold one Linux client in persist state for a long time and report its probe
# counter, which is what decides whether Linux gives up (it aborts at tcp_retries2 = 15).
#   sudo scripts/soak.sh [SECONDS]       (default 3600; not part of CI)
#   sudo scripts/soak.sh SECONDS ssh     an OpenSSH client against a banner ssh port instead:
#                                        is it still waiting for the version line, and how many
#                                        lines has it read?
# Builds the lab (scripts/lab.sh), runs out/labreasharp in it, connects a client, samples
# `ss -tno` once a minute, and prints the samples and a verdict. Removes the lab at the end.
set -euo pipefail
lab=lbs-soak
source "$(dirname "$0")/lib/session.sh"
seconds=${1:-3600}
[ "$(id -u)" -eq 0 ] || { echo "soak.sh needs root" >&2; exit 1; }
[ -x "$root/out/labreasharp" ] || "$here/build.sh"

if [ "${2:-}" = ssh ]; then
  "$here/lab.sh" up "$lab" >/dev/null
  ip netns exec "$lab-tarpit" "$root/out/labreasharp" run -i eth0 -q --hard-capture 192.0.2.70/32 --banner 22=ssh \
    --log-file "$work/events.log" 2>"$work/tarpit.err" &
  tarpit_pid=$!
  sleep 1
  ip netns exec "$lab-scan" ssh -n -v -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes test@192.0.2.70 \
    >"$work/ssh.out" 2>&1 &
  ssh_pid=$!
  session_extra_cleanup() { kill "$ssh_pid" 2>/dev/null || true; }
  echo "soak: an OpenSSH client against a banner ssh port for $seconds s; sampling once a minute"
  end=$((SECONDS + seconds))
  while [ $SECONDS -lt $end ]; do
    sleep $(( end - SECONDS < 60 ? end - SECONDS : 60 ))
    kill -0 "$ssh_pid" 2>/dev/null || { echo "soak: FAILED: ssh exited: $(tail -3 "$work/ssh.out")"; exit 1; }
    echo "  $(date +%T) ssh waiting; $(grep -c 'banner line' "$work/ssh.out") pre-version lines read"
  done
  lines=$(grep -c 'banner line' "$work/ssh.out")
  echo "soak: after $seconds s ssh is still waiting for the server's version; it has read $lines pre-version lines"
  exit 0
fi

"$here/lab.sh" up "$lab" >/dev/null
ip netns exec "$lab-tarpit" "$root/out/labreasharp" run -i eth0 -q --log-file "$work/events.log" 2>"$work/tarpit.err" &
tarpit_pid=$!
sleep 1
ip netns exec "$lab-scan" ping -c 8 -i 0.5 -W 1 192.0.2.77 >/dev/null 2>&1 || true
# The client waits on a pipe that stays open until the end of the soak.
mkfifo "$work/hold"
ip netns exec "$lab-scan" "$python" -u "$here/lib/trapped-client.py" 192.0.2.77 80 "$((seconds + 60))" <"$work/hold" >"$work/client.out" 2>&1 &
exec 9>"$work/hold"

echo "soak: holding a Linux client for $seconds s; sampling its socket every 60 s"
max=0
samples=0
end=$((SECONDS + seconds))
while [ $SECONDS -lt $end ]; do
  sleep $(( end - SECONDS < 60 ? end - SECONDS : 60 ))
  line=$(ip netns exec "$lab-scan" ss -tnoH dst 192.0.2.77 | tr -s ' ')
  echo "  $(date +%T) ${line:-no socket}"
  count=$(sed -n 's/.*timer:(persist,[^,]*,\([0-9]*\)).*/\1/p' <<<"$line")
  [ -z "$count" ] && { echo "soak: FAILED: the client's socket is gone or not in persist state"; exit 1; }
  samples=$((samples + 1))
  [ "$count" -gt "$max" ] && max=$count
done
exec 9>&-
kill -USR1 "$tarpit_pid"; sleep 0.5
probes=$(grep -E "^probes answered:" "$work/tarpit.err" | tail -1 | awk '{print $3}')
echo "soak: after $seconds s the client is still in persist state; highest probe counter seen: $max (Linux aborts at 15); probes answered: ${probes:-?}; $samples samples"
[ "$max" -le 1 ]
