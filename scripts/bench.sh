#!/usr/bin/env bash
# Performance figures, one line each. Root; builds what it needs; every flood is bounded in
# packets and seconds and runs only inside the lab's namespaces (documentation addresses).
#
#   sudo scripts/bench.sh [micro|scrape|profile|memory|flood|flood-log|held|banner|native|all] ...   (default: all)
#
#   micro   BenchmarkDotNet: the engine per frame (1M-flow table), the flow table, the codec
#   scrape  BenchmarkDotNet, only what a /metrics scrape and a status request cost at 1M flows
#   profile BenchmarkDotNet, only a stealth SYN-ACK against a classic one (same Linux SYNs)
#   memory  replay 1,000,000 SYNs from distinct sources: peak RSS and bytes per flow; then 250k, 1M
#           and 2M SYNs from spoofed sources inside a -n /8: peak RSS, flat at the claim table's size
#   flood   the live tarpit under a trafgen SYN flood at several rates, against the kernel's own
#           SYN-ACK path (a listening socket, SYN cookies on) on the same lab in the same run
#   held    K Linux client sockets trapped at once (K=10000 and more): the tarpit's CPU and RSS
#           over 60 s of holding them
#   flood-log  100,000 SYN/s and then trafgen's maximum (no --rate, about 274k/s; 10 s each) against
#           the tarpit as a user runs it (default options, the event log to standard output and a
#           file) and quiet (-q --stats-interval 0), in one lab: the reply ratio, CPU per reply,
#           the kernel's drops, the log's size and events lost; then the host's own traffic out
#           of the interface while the tarpit idles (what it costs the tarpit: nothing, now).
#           LaBrea 2.5 runs in the same lab and run where LABREA names its binary (Debian has
#           none: scripts/lib/build-labrea.sh builds one from its source)
#   native  the native binary beside a framework-dependent build: idle RSS (the capture ring apart)
#           and startup time (scripts/lib/bench-native.sh)
#   banner  100,000 banner (ssh) flows from real client sockets at the default 10 s cadence: the
#           tarpit's CPU, RSS and bytes per flow, then the same against Endlessh with the kernel's
#           socket memory
set -euo pipefail
lab=lbs-bench
source "$(dirname "$0")/lib/session.sh"
[ "$(id -u)" -eq 0 ] || { echo "bench.sh needs root" >&2; exit 1; }
"$here/setup.sh" >/dev/null
[ -x "$root/out/labreasharp" ] || "$here/build.sh" >/dev/null
backlog_saved=
session_extra_cleanup() {
  [ -n "$backlog_saved" ] && sysctl -qw net.core.netdev_max_backlog="$backlog_saved" || true
}

figure() { printf '%-46s %s\n' "$1:" "$2"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }     # utime + stime, in clock ticks
user_ticks() { awk '{print $14}' "/proc/$1/stat"; }           # utime alone: the tarpit's own code and libpcap's
# Softirq ticks on core 1, the tarpit's: with tick accounting (this kernel has no IRQ time
# accounting) a tick that lands in a softirq counts both here and in the running task's system
# time, so this is the part of the tarpit's system time spent delivering its replies through veth
# and the bridge to the scanner (veth does that on the sender's core; a real NIC does not).
softirq_ticks() { awk '$1 == "cpu1" {print $8}' /proc/stat; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
rx_packets() { ip netns exec "$lab-$1" cat /sys/class/net/eth0/statistics/rx_packets; }
ticks_per_second=$(getconf CLK_TCK)
gen="$root/bench/LaBreaSharp.Benchmarks/bin/Release/net10.0/LaBreaSharp.Benchmarks.dll"
build_benchmarks() { dotnet build "$root/bench/LaBreaSharp.Benchmarks" -c Release -nologo -v quiet >/dev/null; }

start_tarpit() {   # start_tarpit ARGS...: quiet, on core 1, in the lab's tarpit namespace
  taskset -c 1 ip netns exec "$lab-tarpit" "$root/out/labreasharp" run -i eth0 -q --stats-interval 0 "$@" 2>"$work/tarpit.err" &
  tarpit_pid=$!
  tarpit_started
}
start_default_tarpit() {   # as a user runs it: default options, the event log to a file and standard output
  taskset -c 1 ip netns exec "$lab-tarpit" "$root/out/labreasharp" run -i eth0 --hard-capture 192.0.2.77/32 \
    --log-file "$work/events.log" >"$work/stdout.log" 2>"$work/tarpit.err" &
  tarpit_pid=$!
  tarpit_started
}
tarpit_started() {
  for _ in $(seq 100); do grep -q "watching eth0" "$work/tarpit.err" && return 0; sleep 0.1; done
  echo "the tarpit did not start: $(cat "$work/tarpit.err")" >&2; exit 1
}
stop_tarpit() { kill -TERM "$tarpit_pid"; wait "$tarpit_pid" || true; tarpit_pid=; }

micro() {   # micro [FILTER]: BenchmarkDotNet's benchmarks, all of them by default
  local filter=${1:-*}
  build_benchmarks
  # BenchmarkDotNet rebuilds the project it finds around the working directory: run it from there.
  (cd "$root/bench/LaBreaSharp.Benchmarks" && dotnet bin/Release/net10.0/LaBreaSharp.Benchmarks.dll \
     --filter "$filter" --warmupCount 3 --iterationCount 10 --launchCount 1 --exporters csv --artifacts "$work/bdn" >"$work/bdn.log" 2>&1) \
     || { tail -20 "$work/bdn.log"; exit 1; }
  local failed=0
  for csv in "$work"/bdn/results/*-report.csv; do
    "$python" - "$csv" <<'PY' || failed=1
import csv, re, sys
units = {"ns": 1.0, "us": 1e3, "μs": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9}
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    name = row["Method"].strip("'")
    if row.get("Flows"):  # a benchmark's parameter: say which run the row is
        name += f", {int(row['Flows']):,} flows"
    name = name[:60] + ":"
    def nanoseconds(column):
        match = re.match(r"([\d,.]+)\s*(\S+)", row.get(column, ""))
        if not match or match.group(2) not in units:
            print(f"{name:<61} no result ({column}: {row.get(column, '?')})")
            sys.exit(1)
        return float(match.group(1).replace(",", "")) * units[match.group(2)]
    # The median first: this VM's noise comes in bursts that drag the mean.
    median, mean = nanoseconds("Median"), nanoseconds("Mean")
    allocated = row.get("Allocated", "?").strip() or "?"
    print(f"{name:<61} {median:8.1f} ns median, {mean:8.1f} mean  ({1e3 / median:6.2f} M/s on one core)  allocated {allocated}")
PY
  done
  [ "$failed" -eq 0 ] || { echo "a benchmark gave no result; see BenchmarkDotNet's log:"; grep -E "Exception|error" "$work/bdn.log" | head; exit 1; }
}

memory() {
  local count=1000000
  build_benchmarks
  dotnet "$gen" generate-syns "$work/syns.pcap" "$count" >/dev/null
  dotnet "$gen" generate-syns "$work/one.pcap" 1 >/dev/null
  local args=(--hard-capture 192.0.2.64/26 --my-mac 02:00:00:00:02:01 --mac 06:00:00:00:02:01 --seed 1 -q --stats-interval 0)
  local full base
  # /usr/bin/time prints the peak RSS (KiB) last, after the replay's own summary on stderr.
  /usr/bin/time -f "%M" "$root/out/labreasharp" replay -r "$work/syns.pcap" -w "$work/out.pcap" "${args[@]}" 2>"$work/summary"
  /usr/bin/time -f "%M" "$root/out/labreasharp" replay -r "$work/one.pcap" -w "$work/out1.pcap" "${args[@]}" 2>"$work/summary1"
  full=$(tail -1 "$work/summary")
  base=$(tail -1 "$work/summary1")
  local flows
  flows=$(awk '/^active flows:/ {print $3}' "$work/summary")
  figure "memory: peak RSS, replaying $count SYNs" "$(awk "BEGIN {printf \"%.1f MB\", $full / 1024}") ($flows flows in the table)"
  figure "memory: peak RSS, replaying 1 SYN" "$(awk "BEGIN {printf \"%.1f MB\", $base / 1024}")"
  figure "memory: bytes per flow (RSS difference)" "$(awk "BEGIN {printf \"%.1f\", ($full - $base) * 1024 / $flows}") (entry 28 bytes, table slots 1.5 per flow)"

  # Spoofed sources inside -n space: each one is a sign of life the claim rule remembers. With a
  # bounded claim table (default 65,536 addresses) the peak must stay flat however many come.
  # Offline replay only: the file is read, nothing is sent.
  local sources
  for sources in 250000 1000000 2000000; do
    dotnet "$gen" generate-syns "$work/spoofed.pcap" "$sources" 10.0.0.0/8 >/dev/null
    /usr/bin/time -f "%M" "$root/out/labreasharp" replay -r "$work/spoofed.pcap" -w "$work/out.pcap" \
      -n 10.0.0.0/8 "${args[@]}" --table-size 65536 2>"$work/summary"
    figure "memory: peak RSS, $sources spoofed sources in -n /8" \
      "$(awk "BEGIN {printf \"%.1f MB\", $(tail -1 "$work/summary") / 1024}") (claim table 65,536, flow table 65,536)"
  done
  rm -f "$work/spoofed.pcap"

  # Banner conversations: 100,000 handshakes on a banner port, against one; a small flow table,
  # since the flows move out of it into the conversation table.
  dotnet "$gen" generate-banner-handshakes "$work/banners.pcap" 100000 1 >/dev/null
  dotnet "$gen" generate-banner-handshakes "$work/banner1.pcap" 1 1 >/dev/null
  local banner_args=(--hard-capture 192.0.2.64/26 --my-mac 02:00:00:00:02:01 --mac 06:00:00:00:02:01 --seed 1 -q --stats-interval 0 --banner 80=http --table-size 4096)
  /usr/bin/time -f "%M" "$root/out/labreasharp" replay -r "$work/banners.pcap" -w "$work/out.pcap" "${banner_args[@]}" 2>"$work/summary"
  /usr/bin/time -f "%M" "$root/out/labreasharp" replay -r "$work/banner1.pcap" -w "$work/out1.pcap" "${banner_args[@]}" 2>"$work/summary1"
  full=$(tail -1 "$work/summary"); base=$(tail -1 "$work/summary1")
  local talking
  talking=$(awk '/^active conversations:/ {print $3}' "$work/summary")
  figure "memory: bytes per banner flow (RSS difference)" "$(awk "BEGIN {printf \"%.1f\", ($full - $base) * 1024 / $talking}") over $talking conversations (48 bytes each and a 16-byte timer; the table holds 131,072, preallocated)"
}

# The targets of a flood: the tarpit's (or LaBrea's) claimed address, or the kernel's listener on the host.
target_mac() { case $1 in tarpit) echo 06:00:00:00:02:01 ;; labrea) echo 00:00:0f:ff:ff:ff ;; *) echo 02:00:00:00:02:01 ;; esac; }
target_ip() { [ "$1" = kernel ] && echo 192.0.2.1 || echo 192.0.2.77; }
trafgen_conf() {   # trafgen_conf TARGET PORT OUT: the flood template with the target filled in
  local mac ip
  mac=$(target_mac "$1" | sed 's/\([0-9a-f][0-9a-f]\)/0x\1/g; s/:/, /g')
  ip=$(target_ip "$1" | sed 's/\./, /g')
  sed -e "s/@DSTMAC@/$mac/" -e "s/@DSTIP@/$ip/" -e "s/0x00, 0x50,  # source port, destination port 80/0x00, $(printf '0x%02x' "$2"),  # source port, destination port $2/" \
    "$root/bench/lab/syn-flood.trafgen.in" >"$3"
}
paced_flooder() {   # paced_flooder TARGET RATE SECONDS [PORT]: the evenly paced generator, on core 0
  taskset -c 0 ip netns exec "$lab-scan" timeout $((${3%.*} * 3 + 15)) dotnet "$gen" flood-paced eth0 "$2" "$3" \
    "$(target_mac "$1")" "$(target_ip "$1")" "${4:-80}"
}

flood_one() {   # flood_one GENERATOR(trafgen|paced) TARGET(tarpit|labrea|kernel) RATE SECONDS [PID]
  local generator=$1 target=$2 rate=$3 seconds=$4 pid=${5:-}
  # RATE max: trafgen with no --rate, as fast as its TX ring goes (about 274k/s here), for
  # SECONDS at that speed (the count is what 300k/s would send; the timeout bounds it too).
  local count rate_args=()
  if [ "$rate" = max ]; then count=$((300000 * seconds)); else count=$((rate * seconds)); rate_args=(--rate "${rate}pps"); fi
  local rx0 rx1 cpu0 cpu1 started elapsed
  rx0=$(rx_packets scan)
  local user0=0 soft0=0
  [ -n "$pid" ] && { cpu0=$(cpu_ticks "$pid"); user0=$(user_ticks "$pid"); soft0=$(softirq_ticks); }
  started=$(date +%s.%N)
  if [ "$generator" = trafgen ]; then
    trafgen_conf "$target" 80 "$work/flood.cfg"
    taskset -c 0 ip netns exec "$lab-scan" timeout $((seconds * 3 + 10)) trafgen --dev eth0 --conf "$work/flood.cfg" \
      --num "$count" "${rate_args[@]}" --cpus 1 --no-sock-mem >"$work/trafgen.log" 2>&1 || true
    elapsed=$(awk "BEGIN {print $(date +%s.%N) - $started}")
  else
    paced_flooder "$target" "$rate" "$seconds" >"$work/paced.log" 2>&1 || true
    # The generator's own time, without the runtime's start-up.
    elapsed=$(awk '/^sent/ {print $5}' "$work/paced.log")
    [ -n "$elapsed" ] || { echo "the paced generator failed: $(cat "$work/paced.log")" >&2; exit 1; }
  fi
  sleep 1
  rx1=$(rx_packets scan)
  local replies=$((rx1 - rx0))
  # No reply at all is a broken run (a generator that did not start, a tarpit that died), not a figure.
  [ "$replies" -gt 0 ] || { echo "flood $generator $target @ $rate: no replies; the generator said:" >&2; cat "$work/trafgen.log" "$work/paced.log" 2>/dev/null | tail -5 >&2; exit 1; }
  local line
  line=$(awk -v r="$replies" -v c="$count" -v e="$elapsed" 'BEGIN {printf "%d of %d SYNs answered (ratio %.4f), %.0f SYN-ACKs/s over %.1f s", r, c, r / c, (e > 0 ? r / e : 0), e}')
  if [ -n "$pid" ]; then
    cpu1=$(cpu_ticks "$pid")
    local user1 soft1
    user1=$(user_ticks "$pid"); soft1=$(softirq_ticks)
    # User time is the tarpit's own work; system time is the kernel's, and with veth it includes
    # delivering each reply through the bridge to the scanner, which veth does on the sender's core:
    # that part is the core's softirq time (an upper bound: a softirq run while the core idles counts
    # there too), and what is left is the tarpit's own, as on a real NIC.
    line="$line, CPU $(awk -v t=$((cpu1 - cpu0)) -v u=$((user1 - user0)) -v q=$((soft1 - soft0)) -v hz="$ticks_per_second" -v r="$replies" 'BEGIN {us = r ? 1e6 / hz / r : 0; printf "%.2f s (%.2f µs per reply: %.2f user, %.2f system, of which %.2f softirq delivering the replies; %.2f without that)", t / hz, t * us, u * us, (t - u) * us, q * us, (t - q) * us}'), peak RSS $(peak_rss_mb "$pid") MB"
  fi
  local who=tarpit
  [ "$target" = kernel ] && who="kernel listener"
  [ "$target" = labrea ] && who="LaBrea 2.5"
  figure "flood $who @ $rate SYN/s ($generator)" "$line"
}

# LaBrea 2.5 itself, where a binary is at hand (LABREA=path, or labrea on PATH; Debian does not
# package it: scripts/lib/build-labrea.sh builds one from its source). It runs as its users run it:
# -o (its log on standard output, here a file), -z, hard capture, no start-up ARP sweep; with -v
# it also logs every connection, as LaBreaSharp's default log does.
labrea_binary() { [ -n "${LABREA:-}" ] && echo "$LABREA" || command -v labrea || true; }
labrea_start() {   # labrea_start [-v]: LaBrea on core 1, once it has claimed 192.0.2.77
  local verbose=${1:-} binary
  binary=$(labrea_binary)
  rm -f "$work/labrea.log"
  taskset -c 1 ip netns exec "$lab-tarpit" "$binary" -i eth0 -z -o -h --no-arp-sweep $verbose >"$work/labrea.log" 2>&1 &
  tarpit_pid=$!
  # It claims 192.0.2.77 after ARP requests for it go unanswered for 3 s (its -r default).
  local claimed=no
  for _ in 1 2 3; do
    ip netns exec "$lab-scan" arping -q -c 6 -w 8 -I eth0 192.0.2.77 >/dev/null 2>&1 || true
    grep -q "Capturing local IP 192.0.2.77" "$work/labrea.log" && { claimed=yes; break; }
  done
  [ "$claimed" = yes ] || { echo "LaBrea did not claim 192.0.2.77: $(tail -3 "$work/labrea.log")" >&2; exit 1; }
}
labrea_flood() {   # labrea_flood RATE [-v]
  local rate=$1 verbose=${2:-}
  labrea_start $verbose
  flood_one trafgen labrea "$rate" 10 "$tarpit_pid"
  stop_tarpit
  figure "  LaBrea ${verbose:-(-o)}: its summary" "$(sed -n 's/^.*  \([0-9]*\/[0-9]*\) packets (received\/dropped) by filter/\1 frames received\/dropped by the kernel/p' "$work/labrea.log" | tail -1)"
  figure "  LaBrea ${verbose:-(-o)}: its log" "$(stat -c %s "$work/labrea.log") bytes, $(wc -l <"$work/labrea.log") lines ($(grep -c "Initial Connect" "$work/labrea.log" || true) connections)"
}

floodlog() {
  build_benchmarks
  flood_lab_up
  local run rate runs=(default quiet)
  [ -n "$(labrea_binary)" ] && runs+=(labrea labrea-v) || figure "LaBrea 2.5" "not run: no binary (LABREA=path; scripts/lib/build-labrea.sh builds one)"
  for rate in 100000 max; do
    for run in "${runs[@]}"; do
      case $run in
        labrea) labrea_flood "$rate"; continue ;;
        labrea-v) labrea_flood "$rate" -v; continue ;;
      esac
      rm -f "$work/events.log" "$work/stdout.log"
      if [ "$run" = default ]; then
        start_default_tarpit
      else
        start_tarpit --hard-capture 192.0.2.77/32
      fi
      flood_one trafgen tarpit "$rate" 10 "$tarpit_pid"
      stop_tarpit
      sed -n '/^dropped by kernel/p;/^events lost/p' "$work/tarpit.err" | while read -r line; do figure "  $run: tarpit summary" "$line"; done
      if [ "$run" = default ]; then
        figure "  default: the log file" "$(stat -c %s "$work/events.log") bytes, $(wc -l <"$work/events.log") lines ($(awk '$2 == "flood"' "$work/events.log" | wc -l) flood lines, $(awk '$2 == "events-lost"' "$work/events.log" | wc -l) events-lost lines)"
        figure "  default: standard output" "$(stat -c %s "$work/stdout.log") bytes"
        figure "  default: connects accounted for" "$(awk '$2 == "connect" {n++} $2 == "flood" && $3 == "connect" {sub(/^x/, "", $5); f += $5} END {print n + f}' "$work/events.log") in the file"
      fi
    done
  done
  # SYN-ACK latency of each, in the same run: paced probes timed by tcpdump on the tarpit's interface.
  start_default_tarpit
  latency "LaBreaSharp default log, unloaded" 0
  latency "LaBreaSharp default log, beside 100000 SYN/s (trafgen bursts)" 100000
  stop_tarpit
  if [ -n "$(labrea_binary)" ]; then
    labrea_start
    latency "LaBrea 2.5 -o, unloaded" 0 trafgen labrea
    latency "LaBrea 2.5 -o, beside 100000 SYN/s (trafgen bursts)" 100000 trafgen labrea
    stop_tarpit
  fi
  outgoing
  "$here/lab.sh" down "$lab" >/dev/null
}

# The host's own traffic out of the watched interface (on a gateway: what it forwards) while the
# tarpit, default options, has nothing to answer: the kernel keeps those frames out of its ring
# (PACKET_IGNORE_OUTGOING), where libpcap's inbound-only filter would skip each after the copy.
# A UDP socket in the tarpit's namespace sends them; trafgen bypasses the taps and would not do.
outgoing() {
  local frames=1000000
  start_default_tarpit
  local cpu0 cpu1 started elapsed
  cpu0=$(cpu_ticks "$tarpit_pid"); started=$(date +%s.%N)
  taskset -c 0 ip netns exec "$lab-tarpit" timeout 120 "$python" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(int(sys.argv[1])): s.sendto(b"x" * 18, ("192.0.2.2", 9))' "$frames"
  elapsed=$(awk "BEGIN {print $(date +%s.%N) - $started}")
  sleep 1
  cpu1=$(cpu_ticks "$tarpit_pid")
  stop_tarpit
  figure "host sends $frames frames out (UDP)" "$(awk -v t=$((cpu1 - cpu0)) -v hz="$ticks_per_second" -v n=$frames -v e="$elapsed" 'BEGIN {printf "%.0f/s; the idle tarpit used %.2f s of CPU (%.2f µs a frame)", n / e, t / hz, t / hz / n * 1e6}'), $(sed -n 's/^captured by kernel: *//p' "$work/tarpit.err") frames captured by the kernel"
}

latency() {   # latency LABEL FLOOD_RATE [GENERATOR] [TARGET: tarpit|labrea]
  local label=$1 rate=$2 generator=${3:-trafgen} target=${4:-tarpit} flooder=
  trafgen_conf "$target" 81 "$work/probe.cfg"
  ip netns exec "$lab-tarpit" tcpdump -i eth0 -s 64 -B 16384 -n -w "$work/latency.pcap" --immediate-mode -Z root "tcp port 81" >/dev/null 2>&1 &
  local dump=$!
  sleep 1
  if [ "$rate" -gt 0 ]; then
    if [ "$generator" = trafgen ]; then
      trafgen_conf "$target" 80 "$work/flood.cfg"
      taskset -c 0 ip netns exec "$lab-scan" timeout 30 trafgen --dev eth0 --conf "$work/flood.cfg" --num $((rate * 4)) --rate "${rate}pps" --cpus 1 --no-sock-mem >/dev/null 2>&1 &
    else
      paced_flooder "$target" "$rate" 4 >/dev/null 2>&1 &
    fi
    flooder=$!
    sleep 1
  fi
  taskset -c 0 ip netns exec "$lab-scan" timeout 30 trafgen --dev eth0 --conf "$work/probe.cfg" --num 2000 --gap 1000us --cpus 1 --no-sock-mem >/dev/null 2>&1 || true
  [ -n "$flooder" ] && wait "$flooder" || true
  sleep 1; kill -INT $dump; wait $dump || true
  local pairs median p99
  local timing
  timing=$("$python" "$root/bench/lab/synack-latency.py" "$work/latency.pcap") || exit 1
  read -r pairs median p99 <<<"$timing"
  figure "latency SYN -> SYN-ACK, $label" "median $median µs, 99th percentile $p99 µs ($pairs paced probe SYNs)"
}

flood_lab_up() {   # the lab, with the scanner dropping the replies to its spoofed sources at ingress
  "$here/lab.sh" up "$lab" >/dev/null
  # The flood's sources are spoofed (198.51.100.0/24), so its SYN-ACKs come back to the scanner's
  # MAC for addresses it does not have. veth delivers a frame in the sender's context, so the
  # scanner's IP stack would route and drop each one on the *tarpit's* core (or the kernel
  # listener's): drop them at the scanner's ingress hook instead, after the interface has counted
  # them (the reply counts below are its rx_packets). A real scanner is another machine.
  ip netns exec "$lab-scan" nft -f - <<'NFT'
table netdev lbs_bench {
  chain ingress { type filter hook ingress device "eth0" priority 0; ip daddr 198.51.100.0/24 drop; }
}
NFT
}

flood() {
  build_benchmarks
  flood_lab_up
  local seconds=5
  start_tarpit --hard-capture 192.0.2.77/32
  # trafgen --rate sends each second's frames in one burst at line rate, then waits: a test of
  # draining a queue. The paced generator sends what is due every 100 µs: a test of keeping up.
  for rate in 50000 100000 200000; do
    flood_one trafgen tarpit "$rate" "$seconds" "$tarpit_pid"
  done
  for rate in 100000 200000 250000; do
    flood_one paced tarpit "$rate" "$seconds" "$tarpit_pid"
  done
  # SYN-ACK latency: a probe flow (trafgen, 1 ms gaps, to port 81) timed by tcpdump on the
  # tarpit's own interface, alone and then beside a flood to port 80.
  latency "unloaded" 0
  latency "beside 100000 SYN/s (trafgen bursts)" 100000 trafgen
  latency "beside 100000 SYN/s (paced)" 100000 paced
  latency "beside 200000 SYN/s (paced)" 200000 paced
  stop_tarpit
  sed -n '/^replies sent/p;/^dropped by kernel/p;/^inject failures/p' "$work/tarpit.err" | while read -r line; do figure "  tarpit summary" "$line"; done
  # The same latencies with the tarpit as a user runs it: default options, the event log on
  # standard output and in a file.
  start_default_tarpit
  latency "unloaded, default log" 0
  latency "beside 100000 SYN/s (trafgen bursts), default log" 100000 trafgen
  latency "beside 200000 SYN/s (paced), default log" 200000 paced
  stop_tarpit

  # The reference: the kernel's own SYN-ACKs from a listening socket on the tarpit host, SYN cookies on.
  ip netns exec "$lab-tarpit" sysctl -qw net.ipv4.tcp_syncookies=1
  ip -n "$lab-tarpit" route add 198.51.100.0/24 via 192.0.2.2
  ip netns exec "$lab-tarpit" "$python" -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("192.0.2.1", 80)); s.listen(128); time.sleep(600)' &
  local listener=$!
  sleep 0.5
  for rate in 50000 100000 200000; do
    flood_one trafgen kernel "$rate" "$seconds"
  done
  for rate in 100000 200000; do
    flood_one paced kernel "$rate" "$seconds"
  done
  kill $listener 2>/dev/null || true
  "$here/lab.sh" down "$lab" >/dev/null
}

held() {
  backlog_saved=$(sysctl -n net.core.netdev_max_backlog)
  sysctl -qw net.core.netdev_max_backlog=20000   # bursts of probe timers; restored on exit
  for k in 10000 "${HELD_MAX:-25000}"; do
    "$here/lab.sh" up "$lab" >/dev/null
    start_tarpit --hard-capture 192.0.2.77/32
    local per=5000 processes=$(( (k + 4999) / 5000 )) i
    : >"$work/held.out"
    for i in $(seq "$processes"); do
      local n=$(( i < processes ? per : k - per * (processes - 1) ))
      (ulimit -n 12000; exec ip netns exec "$lab-scan" "$python" -u "$root/bench/lab/hold-clients.py" 192.0.2.77 80,81,82,83,84,85 "$n" 300 \
        < <(sleep 290) >>"$work/held.out" 2>>"$work/held.err") &
    done
    for _ in $(seq 120); do [ "$(grep -c '^held' "$work/held.out")" -ge "$processes" ] && break; sleep 1; done
    local held_total
    held_total=$(awk '/^held/ {s += $2} END {print s + 0}' "$work/held.out")
    sleep 20   # every socket has sent its request and entered persist state
    local cpu0 cpu1
    cpu0=$(cpu_ticks "$tarpit_pid")
    sleep 60
    cpu1=$(cpu_ticks "$tarpit_pid")
    local persist max
    persist=$(ip netns exec "$lab-scan" ss -tnoH state established dst 192.0.2.77 | grep -c 'timer:(persist' || true)
    max=$(ip netns exec "$lab-scan" ss -tnoH state established dst 192.0.2.77 | sed -n 's/.*timer:(persist,[^,]*,\([0-9]*\)).*/\1/p' | sort -n | tail -1)
    figure "held $k: connections open" "$held_total, of which $persist in persist state (highest probe counter ${max:-?})"
    figure "held $k: tarpit CPU over 60 s" "$(awk -v t=$((cpu1 - cpu0)) -v hz="$ticks_per_second" 'BEGIN {printf "%.2f s = %.2f%% of one core", t / hz, t / hz / 60 * 100}'), peak RSS $(peak_rss_mb "$tarpit_pid") MB"
    stop_tarpit
    "$here/lab.sh" down "$lab" >/dev/null
    wait || true
  done
}

# 100,000 banner flows from real Linux client sockets (split over processes and four source
# addresses) at the default 10 s cadence, against the tarpit run as a user runs it (event log on,
# to a file), then the same clients against Endlessh on the same lab, same run. Endlessh needs a
# descriptor per client and this sandbox caps a process at 20,000 (no CAP_SYS_RESOURCE), so six
# Endlessh processes on six ports share the clients; their CPU and memory are summed.
sum_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(cpu_ticks "$p"))); done; echo $t; }
sum_user_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14}' "/proc/$p/stat"))); done; echo $t; }
sum_kib() { local field=$1 k=0 p; shift; for p in "$@"; do k=$((k + $(awk -v f="$field" '$1 == f":" {print $2}' "/proc/$p/status"))); done; echo $k; }
tcp_mem_pages() { awk '/^TCP:/ {for (i = 1; i < NF; i++) if ($i == "mem") print $(i + 1)}' /proc/net/sockstat; }
banner_side() {   # banner_side NAME TARGET PORTS COUNT PID...: clients, 60 s of holding them, figures
  local name=$1 target=$2 ports=$3 k=$4; shift 4
  local per=5000 processes=$(( (k + 4999) / 5000 )) i sources=(192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5)
  : >"$work/banner.out"
  for i in $(seq "$processes"); do
    local n=$(( i < processes ? per : k - per * (processes - 1) ))
    (ulimit -n 12000; exec taskset -c 0 ip netns exec "$lab-scan" "$python" -u "$root/bench/lab/hold-clients.py" "$target" "$ports" "$n" 240 \
      "${sources[$(( (i - 1) % 4 ))]}" 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n' < <(sleep 230) >>"$work/banner.out" 2>>"$work/banner.err") &
  done
  for _ in $(seq 150); do [ "$(grep -c '^held' "$work/banner.out")" -ge "$processes" ] && break; sleep 1; done
  local held_total cpu0 cpu1 user0 user1
  held_total=$(awk '/^held/ {s += $2} END {print s + 0}' "$work/banner.out")
  sleep 15
  cpu0=$(sum_ticks "$@"); user0=$(sum_user_ticks "$@")
  sleep 60
  cpu1=$(sum_ticks "$@"); user1=$(sum_user_ticks "$@")
  banner_rss=$(sum_kib VmRSS "$@")
  banner_mem=$(tcp_mem_pages)
  figure "banner $name: connections held" "$held_total of $k"
  figure "banner $name: CPU over 60 s" "$(awk -v t=$((cpu1 - cpu0)) -v u=$((user1 - user0)) -v hz="$ticks_per_second" 'BEGIN {printf "%.2f s = %.2f%% of one core (user %.2f%%, system %.2f%%)", t / hz, t / hz / 60 * 100, u / hz / 60 * 100, (t - u) / hz / 60 * 100}')"
  figure "banner $name: RSS" "$(awk -v k="$banner_rss" 'BEGIN {printf "%.1f MB", k / 1024}') ($# process(es)); kernel TCP sockets in its namespace: $(ip netns exec "$lab-tarpit" awk '/^TCP:/ {print $3}' /proc/net/sockstat)"
  figure "banner $name: kernel TCP memory, all sockets" "$((banner_mem * 4 / 1024)) MB (clients' sockets and, for Endlessh, its own)"
}

banner_pair() {   # banner_pair LABEL: ours, then Endlessh, with the same clients
  local k=$1 label=$2
  # The tarpit as a user runs it: default options (the event log on), the log to a file.
  taskset -c 1 ip netns exec "$lab-tarpit" "$root/out/labreasharp" run -i eth0 --hard-capture 192.0.2.70/32 --banner 22=ssh \
    >"$work/banner-events.log" 2>"$work/tarpit.err" &
  tarpit_pid=$!
  tarpit_started
  banner_side "labreasharp, $label" 192.0.2.70 22 "$k" "$tarpit_pid"
  local ours_mem=$banner_mem
  kill -USR1 "$tarpit_pid"; sleep 1
  grep -E "^(active conversations|lines sent|retransmissions):" "$work/tarpit.err" | tail -3 | while read -r line; do figure "  tarpit summary" "$line"; done
  wait $(jobs -p | grep -v "^$tarpit_pid$") 2>/dev/null || true
  stop_tarpit
  sleep 5
  # Endlessh, in the same namespace on the host's own address, the same delay.
  local pids=() port
  for port in 2222 2223 2224 2225 2226 2227; do
    taskset -c 1 ip netns exec "$lab-tarpit" endlessh -4 -p "$port" -d 10000 -m 19990 >/dev/null 2>&1 &
    pids+=($!)
  done
  sleep 1
  banner_side "endlessh, $label" 192.0.2.1 2222,2223,2224,2225,2226,2227 "$k" "${pids[@]}"
  figure "banner endlessh, $label: its sockets" "about $(( (banner_mem - ours_mem) * 4 / 1024 )) MB of kernel memory (the difference between the two runs)"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  sleep 5
}

banner() {
  local k=${BANNER_FLOWS:-100000}
  backlog_saved=$(sysctl -n net.core.netdev_max_backlog)
  sysctl -qw net.core.netdev_max_backlog=20000
  "$here/lab.sh" up "$lab" >/dev/null
  for a in 3 4 5; do ip -n "$lab-scan" addr add "192.0.2.$a/24" dev eth0; done
  ip netns exec "$lab-scan" sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
  # veth delivers a frame in the sender's context: every segment the tarpit (or Endlessh) sends
  # is switched and taken in by the client's TCP stack on the server's own core, work that on a
  # real network is another machine's. First as the lab is; then with receive packet steering on
  # the switch port that takes the server's frames, which moves that work to the clients' core.
  banner_pair "$k" "lab as is"
  ip netns exec "$lab-sw" sh -c 'echo 1 > /sys/class/net/p-tarpit/queues/rx-0/rps_cpus'
  banner_pair "$k" "clients' receive work on their own core"
  "$here/lab.sh" down "$lab" >/dev/null
}

source "$here/lib/bench-native.sh"

what=${1:-all}
echo "LaBreaSharp figures, $(date -u +%Y-%m-%d), $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $(uname -r)"
case "$what" in
  micro) micro ;;
  scrape) micro '*ScrapeBenchmarks*' ;;
  profile) micro '*ProfileBenchmarks*' ;;
  memory) memory ;;
  flood) flood ;;
  flood-log) floodlog ;;
  held) held ;;
  banner) banner ;;
  native) native ;;
  all) micro; memory; flood; held; banner; native ;;
  *) sed -n '2,24p' "$0"; exit 2 ;;
esac
