#!/usr/bin/env bash
# Records the capture fixtures in pcaps/ from real clients talking across network
# namespaces this script makes (and removes). Only 192.0.2.0/24 (RFC 5737) is used.
# Usage: sudo scripts/record-fixtures.sh [OUTDIR]   (default: pcaps/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/../pcaps}")
mkdir -p "$out"
source "$here/lib/netns.sh"
[ "$(id -u)" -eq 0 ] || { echo "record-fixtures.sh needs root (network namespaces, tcpdump)" >&2; exit 1; }
for tool in tcpdump nmap curl ethtool; do
  command -v $tool >/dev/null || { echo "missing $tool: run scripts/setup.sh" >&2; exit 1; }
done

scanner=lbs-fx-scanner
target=lbs-fx-target
netns_cleanup_on_exit
netns_add $scanner
netns_add $target
veth_pair $scanner eth0 $target eth0
ip -n $scanner addr add 192.0.2.2/24 dev eth0
ip -n $target addr add 192.0.2.100/24 dev eth0
# Fixed MACs so the fixtures do not change from run to run for no reason.
ip -n $scanner link set eth0 address 02:00:00:00:02:02
ip -n $target link set eth0 address 02:00:00:00:02:64

# A web server on the target, serving one small file.
www=$(mktemp -d)
echo "hello from the fixture target" > "$www/index.html"
ip netns exec $target /usr/bin/python3 -m http.server 80 --bind 192.0.2.100 --directory "$www" >/dev/null 2>&1 &
netns_track_pid $!
wait_for 10 ip netns exec $scanner bash -c 'exec 3<>/dev/tcp/192.0.2.100/80' || { echo "web server did not start" >&2; exit 1; }
# Forget the neighbour entries that the readiness probe created, so each capture starts with ARP.
ip -n $scanner neigh flush all; ip -n $target neigh flush all

# record FILE COMMAND...: tcpdump on the target's eth0 (both directions) while COMMAND runs in the scanner.
record() {
  local file=$1; shift
  local log; log=$(mktemp)
  ip netns exec $target tcpdump -i eth0 -s 0 -U --immediate-mode -n -Z root -w "$out/$file" >"$log" 2>&1 &
  local pid=$!
  wait_for 10 grep -q "listening on" "$log" || { cat "$log" >&2; kill $pid; return 1; }
  ip netns exec $scanner "$@" >/dev/null 2>&1 || true
  sleep 0.5
  kill -INT $pid; wait $pid 2>/dev/null || true
  ip -n $scanner neigh flush all; ip -n $target neigh flush all
  echo "recorded $file: $(tcpdump -r "$out/$file" -n 2>/dev/null | wc -l) frames"
  rm -f "$log"
}

record nmap-syn-scan.pcap nmap -sS -Pn -n -p 22,25,80,443,8080 --max-retries 1 192.0.2.100
record curl-http.pcap curl -s --max-time 5 http://192.0.2.100/index.html
# This kernel has no 802.1Q devices, so tagged frames are crafted with scapy and sent
# on the scanner's eth0: an ARP request and an ICMP echo under 802.1Q tag 100, and a
# TCP SYN with options under an 802.1ad tag 300 carrying 802.1Q tag 200.
record vlan-tagged.pcap /usr/bin/python3 - <<'PY'
from scapy.all import Ether, Dot1Q, Dot1AD, ARP, IP, ICMP, TCP, sendp
src, dst = "02:00:00:00:02:02", "02:00:00:00:02:64"
frames = [
    Ether(src=src, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=100) / ARP(op=1, hwsrc=src, psrc="192.0.2.130", pdst="192.0.2.140"),
    Ether(src=src, dst=dst) / Dot1Q(vlan=100, prio=3) / IP(src="192.0.2.130", dst="192.0.2.140", id=4242) / ICMP(id=7, seq=1) / (b"labreasharp" * 4),
    Ether(src=src, dst=dst) / Dot1AD(vlan=300) / Dot1Q(vlan=200) / IP(src="192.0.2.194", dst="192.0.2.200", id=4343)
        / TCP(sport=40000, dport=80, flags="S", seq=1, window=64240,
              options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None), ("WScale", 7)]),
]
sendp(frames, iface="eth0", verbose=False)
PY
rm -rf "$www"

# A live tarpit session, in the lab (scripts/lab.sh): the published binary on the tarpit
# host claims 192.0.2.77 by ARP takeover while the scanner pings it, then traps curl in
# persist mode, then nmap scans it (SYN and connect scans). Seed and MACs are fixed, so
# `replay --seed 1 --my-ip 192.0.2.1/24 --my-mac 02:00:00:00:02:01` reproduces every
# frame the tarpit sent.
[ -x "$here/../out/labreasharp" ] || "$here/build.sh" >/dev/null
netns_cleanup
lab=lbs-fx-lab
trap '"$here/lab.sh" down $lab >/dev/null 2>&1; netns_cleanup' EXIT
"$here/lab.sh" up $lab >/dev/null
log=$(mktemp)
ip netns exec $lab-tarpit tcpdump -i eth0 -s 0 -U --immediate-mode -n -Z root -w "$out/tarpit-session.pcap" >"$log" 2>&1 &
dump=$!
wait_for 10 grep -q "listening on" "$log"
ip netns exec $lab-tarpit "$here/../out/labreasharp" run -i eth0 --seed 1 -q >/dev/null 2>&1 &
tp=$!
sleep 1
ip netns exec $lab-scan ping -c 6 -i 1 192.0.2.77 >/dev/null 2>&1 || true
ip netns exec $lab-scan curl -s --max-time 12 http://192.0.2.77/ >/dev/null 2>&1 || true
ip netns exec $lab-scan nmap -sS -Pn -n -p 22,80,443 --max-retries 0 192.0.2.77 >/dev/null 2>&1 || true
ip netns exec $lab-scan nmap -sT -Pn -n -p 22,80 --max-retries 0 192.0.2.77 >/dev/null 2>&1 || true
sleep 0.5
kill -TERM $tp; wait $tp 2>/dev/null || true
kill -INT $dump; wait $dump 2>/dev/null || true
echo "recorded tarpit-session.pcap: $(tcpdump -r "$out/tarpit-session.pcap" -n 2>/dev/null | wc -l) frames"
rm -f "$log"
