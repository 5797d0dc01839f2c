#!/usr/bin/env bash
# Records pcaps/linux-synack.pcap: the lab's own Linux kernel answering four SYNs (every option;
# no timestamps; no window scale; no SACK, no options at all) on a listening socket, SYN and SYN-ACK
# each. The stealth profile's Linux layout is tested against these bytes (StackProfileTests).
# Root; makes and removes a lab of its own (documentation addresses only).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=lbs-rec
trap 'scripts/lab.sh down $prefix >/dev/null 2>&1 || true' EXIT
scripts/lab.sh up $prefix >/dev/null
ip netns exec $prefix-live timeout 60 /usr/bin/python3 -c "import socket,time; s=socket.socket(); s.bind(('192.0.2.50', 80)); s.listen(16); time.sleep(60)" &
sleep 1
ip netns exec $prefix-scan nft -f - <<'NFT'
table ip lbsrec {
  chain out {
    type filter hook output priority 0;
    ip daddr 192.0.2.50 tcp flags & rst == rst drop
  }
}
NFT
ip netns exec $prefix-scan timeout 60 /usr/bin/python3 - "$PWD/pcaps/linux-synack.pcap" <<'PY'
import random, sys
from scapy.all import IP, TCP, sr1, wrpcap, conf, Ether
conf.verb = 0
offers = [
    [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (123456, 0)), ("NOP", None), ("WScale", 7)],
    [("MSS", 1460), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", 7)],
    [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (123457, 0))],
    [("MSS", 1460), ("NOP", None), ("NOP", None), ("Timestamp", (123458, 0)), ("NOP", None), ("WScale", 7)],
    [],
]
packets = []
for options in offers:
    syn = IP(dst="192.0.2.50") / TCP(sport=random.randint(20000, 60000), dport=80, flags="S", seq=random.getrandbits(32), window=64240, options=options)
    answer = sr1(syn, timeout=2)
    if answer is None:
        sys.exit("no SYN-ACK from the lab's listener")
    packets += [syn, answer]
wrpcap(sys.argv[1], packets)  # raw IPv4 (linktype 228)
PY
echo "recorded pcaps/linux-synack.pcap ($(uname -r))"
