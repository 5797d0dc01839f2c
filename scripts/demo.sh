#!/usr/bin/env bash
# The demo: LaBreaSharp trapping real clients in a throwaway lab, in about a minute.
#   sudo scripts/demo.sh
# Installs what it needs (scripts/setup.sh), builds out/labreasharp, builds the lab in
# network namespaces (scripts/lab.sh, documentation addresses only), runs the tarpit,
# scans it and traps a Linux client, shows what happened, and removes the lab.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "demo.sh needs root (network namespaces, live capture): sudo scripts/demo.sh" >&2; exit 1; }

lab=lbs-demo
source "$(dirname "$0")/lib/session.sh"

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
in_ns() { local role=$1; shift; ip netns exec "$lab-$role" "$@"; }

section "Preparing: packages (scripts/setup.sh) and the build (scripts/build.sh)"
"$here/setup.sh" | sed 's/^/   /'
"$here/build.sh" | sed 's/^/   /'

section "The lab: four network namespaces on one bridge (scripts/lab.sh)"
"$here/lab.sh" up "$lab" | sed 's/^/   /'
cat <<'TXT'
   scanner 192.0.2.2 ── bridge ── tarpit host 192.0.2.1   (LaBreaSharp runs here)
                          └────── live host  192.0.2.50
   Every other address in 192.0.2.0/24 is unused: nobody answers ARP for it.
TXT

section "Starting the tarpit on the tarpit host's eth0"
echo "   labreasharp run -i eth0 --log-file events.log"
# Not through in_ns: $! must be the tarpit itself (ip netns exec execs it), so SIGTERM reaches it.
# Its control socket (what labreasharp status reads) in the demo's folder rather than the
# default /run/labreasharp/eth0.sock, which a tarpit on this machine's own eth0 may hold.
ip netns exec "$lab-tarpit" "$root/out/labreasharp" run -i eth0 -q --log-file "$work/events.log" --control "$work/control.sock" 2>"$work/tarpit.err" &
tarpit_pid=$!
for _ in $(seq 50); do grep -q "watching eth0" "$work/tarpit.err" && break; sleep 0.1; done
sed 's/^/   /' "$work/tarpit.err"

section "The scanner pings 192.0.2.77, an unused address"
echo "   Its ARP requests go unanswered; after 3 s the tarpit asks for the address itself, and when
   nothing answers within a second it takes the address over and answers."
in_ns scan ping -c 7 -i 1 -W 1 192.0.2.77 | grep -E "bytes from|packets transmitted" | sed 's/^/   /' || true
echo "   scanner's neighbour table: $(in_ns scan ip neigh show 192.0.2.77)"

section "nmap -sS against the claimed address, and against the live host"
in_ns scan nmap -sS -Pn -n -p 22,80,443,3389 --max-retries 1 192.0.2.77 | grep -E "^PORT|/tcp" | sed 's/^/   192.0.2.77  /'
in_ns scan nmap -sS -Pn -n -p 22,80,443,3389 --max-retries 1 192.0.2.50 | grep -E "^PORT|/tcp" | sed 's/^/   192.0.2.50  /'
echo "   Every port of the tarpit looks open; the live host is left alone."

section "A Linux client connects to 192.0.2.77:80 and sends an HTTP request"
coproc CLIENT { in_ns scan "$python" -u "$here/lib/trapped-client.py" 192.0.2.77 80 600; }
read -r line <&"${CLIENT[0]}"; echo "   client: $line"
read -r line <&"${CLIENT[0]}"; echo "   client: $line"
echo "   The tarpit took the first 10 bytes (its window) and closed the window. The client's"
echo "   kernel now probes the zero window; each probe is answered with an ACK of exactly"
echo "   what was already acknowledged, so the probe counter (last field of timer:) stays 0:"
for i in 1 2 3 4; do
  sleep 8
  echo "   $(date +%T)  $(in_ns scan ss -tnoH dst 192.0.2.77 | tr -s ' ')"
done
echo "   (Against LaBrea 2.5 or netfilter's TARPIT that counter climbs to 15 and Linux aborts"
echo "   after about 16 minutes; here it does not climb, and the connection is held.)"

section "Who is trapped now: labreasharp status (from the tarpit's control socket)"
"$root/out/labreasharp" status --control "$work/control.sock" | sed 's/^/   /'

section "The client gives up and closes the socket"
exec {CLIENT[1]}>&-
read -r line <&"${CLIENT[0]}" || true; echo "   client: $line"
sleep 1
echo "   Its kernel still holds the request and keeps probing, in FIN-WAIT-1:"
echo "   $(in_ns scan ss -tnoH dst 192.0.2.77 | tr -s ' ')"

section "The tarpit's event log (probes are counted, and listed with -v)"
kill -TERM "$tarpit_pid"; wait "$tarpit_pid" || true; tarpit_pid=
sed 's/^/   /' "$work/events.log"

section "The tarpit's summary"
sed -n '/^frames read/,$p' "$work/tarpit.err" | sed 's/^/   /'

section "Cleaning up: the lab is removed"
