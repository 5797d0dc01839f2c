#!/usr/bin/python3
"""Tarpit detectors, re-implemented from their published descriptions, run against one address.

    tarpit-detect.py ADDRESS [--port PORT] [--timeout SECONDS]

Prints one JSON object: for each detector, whether it takes the address for a tarpit
("flagged") and what it saw. Run it as root from a lab namespace (documentation addresses
only): it crafts its own segments with scapy, and while it runs an nftables rule in its own
namespace keeps the kernel from resetting the connections it opens by hand.

- notarpit: a SYN-ACK with no TCP options and a window of 1 to 20.
- labrea.nasl (Nessus 10796): a SYN-ACK window of exactly 10; or two unsolicited one-byte ACKs
  (no handshake), both answered by an ACK with a window of 10 or less.
- tarpit.nse (nmap): 14 or more of 20 random high ports answer a SYN with a SYN-ACK.
- Degreaser (ACSAC 2014), its steps in order: a SYN with options; any option in the SYN-ACK but
  MSS alone, or a window above 20, is a real host; then the handshake's ACK: a RST is "delude",
  a zero-window answer is the netfilter TARPIT, a zero SYN-ACK window with a non-zero answer a
  zero-window host; then a segment of window - 1 bytes: an answer is a real host (with a small
  window), silence is LaBrea.
"""
import argparse
import json
import random
import subprocess
import sys

import time

from scapy.all import IP, TCP, conf, getmacbyip, sr, sr1  # noqa: E402  (python3-scapy)

conf.verb = 0
TABLE = "lbs_detect"


def options_of(segment):
    return [name for name, _ in segment[TCP].options if name not in ("NOP", "EOL")]


def syn(target, port, sport, seq, with_options=True):
    options = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (0xABCFEF, 0)), ("NOP", None), ("WScale", 7)] if with_options else []
    return IP(dst=target) / TCP(sport=sport, dport=port, flags="S", seq=seq, window=64240, options=options)


def is_synack(answer):
    return answer is not None and answer.haslayer(TCP) and (answer[TCP].flags & 0x12) == 0x12


def describe(answer):
    if answer is None:
        return "no answer"
    if not answer.haslayer(TCP):
        return answer.summary()
    tcp = answer[TCP]
    return f"flags {tcp.flags} window {tcp.window} options {options_of(answer) or 'none'}"


def notarpit(target, port, timeout):
    answer = sr1(syn(target, port, random.randint(20000, 60000), random.getrandbits(32)), timeout=timeout)
    flagged = is_synack(answer) and not options_of(answer) and 1 <= answer[TCP].window <= 20
    return {"flagged": bool(flagged), "saw": describe(answer)}


def labrea_nasl(target, port, timeout):
    answer = sr1(syn(target, port, random.randint(20000, 60000), random.getrandbits(32), with_options=False), timeout=timeout)
    window_ten = is_synack(answer) and answer[TCP].window == 10
    acks = []
    for _ in range(2):
        probe = IP(dst=target) / TCP(sport=random.randint(20000, 60000), dport=port, flags="A",
                                     seq=random.getrandbits(32), ack=random.getrandbits(32)) / b"X"
        reply = sr1(probe, timeout=timeout)
        acks.append(reply)
    small_acks = all(r is not None and r.haslayer(TCP) and (r[TCP].flags & 0x14) == 0x10 and r[TCP].window <= 10 for r in acks)
    return {"flagged": bool(window_ten or small_acks), "synack_window_10": bool(window_ten),
            "unsolicited_acks_answered_small": bool(small_acks), "saw": [describe(answer)] + [describe(r) for r in acks]}


COMMON_PORTS = [80, 22, 443, 445, 135, 139, 3389, 23, 25, 515, 631, 9100, 8080, 3306]


def first_open(target, timeout):
    sport = random.randint(20000, 60000)
    probes = [IP(dst=target) / TCP(sport=sport, dport=p, flags="S", seq=random.getrandbits(32)) for p in COMMON_PORTS]
    answered, _ = sr(probes, timeout=timeout)
    open_ports = {sent[TCP].dport for sent, got in answered if is_synack(got)}
    for port in COMMON_PORTS:
        if port in open_ports:
            return port
    sys.exit(f"tarpit-detect.py: {target} has none of the common ports open ({COMMON_PORTS})")


def tarpit_nse(target, timeout):
    ports = random.sample(range(1024, 65536), 20)
    sport = random.randint(20000, 60000)
    probes = [IP(dst=target) / TCP(sport=sport, dport=p, flags="S", seq=random.getrandbits(32)) for p in ports]
    answered, _ = sr(probes, timeout=timeout)
    open_ports = sorted({sent[TCP].dport for sent, got in answered if is_synack(got)})
    return {"flagged": len(open_ports) >= 14, "open": len(open_ports), "of": len(ports)}


def degreaser(target, port, timeout, threshold=20):
    sport = random.randint(20000, 60000)
    seq = random.getrandbits(32)
    answer = sr1(syn(target, port, sport, seq), timeout=timeout)
    steps = [f"SYN: {describe(answer)}"]

    def verdict(name):
        return {"flagged": name not in ("real host", "real host (small window)", "rejecting", "no response", "zero window"),
                "verdict": name, "steps": steps}

    if answer is None:
        return verdict("no response")
    if not answer.haslayer(TCP):
        return verdict("unreachable")
    flags = answer[TCP].flags
    if (flags & 0x12) != 0x12:
        return verdict("rejecting" if flags & 0x04 else "bad flags")
    options = options_of(answer)
    if options and options != ["MSS"]:
        return verdict("real host")
    window = answer[TCP].window
    if window > threshold:
        return verdict("real host")
    server = answer[TCP].seq
    ack = IP(dst=target) / TCP(sport=sport, dport=port, flags="A", seq=seq + 1, ack=server + 1)
    ack_answer = sr1(ack, timeout=timeout)
    steps.append(f"ACK: {describe(ack_answer)}")
    if ack_answer is not None and ack_answer.haslayer(TCP):
        if ack_answer[TCP].flags & 0x04:
            return verdict("iptables delude")
        if ack_answer[TCP].window == 0:
            return verdict("iptables tarpit")
        if window == 0:
            return verdict("zero window")
    size = max(window - 1, 0)
    data = IP(dst=target) / TCP(sport=sport, dport=port, flags="A", seq=seq + 1, ack=server + 1) / (b"\x00" * size)
    data_answer = sr1(data, timeout=timeout)
    steps.append(f"{size} bytes: {describe(data_answer)}")
    return verdict("real host (small window)" if data_answer is not None else "labrea")


def main():
    parser = argparse.ArgumentParser(description="Published tarpit detectors against one address.")
    parser.add_argument("address")
    parser.add_argument("--port", type=int, default=None,
                        help="the open port the checks use (default: the first of the common ports that answers SYN-ACK, as a scanner finds one)")
    parser.add_argument("--timeout", type=float, default=2.0)
    args = parser.parse_args()
    first = args.address.split(".")[0:3]
    if first[:3] not in (["192", "0", "2"], ["198", "51", "100"], ["203", "0", "113"]):
        sys.exit("tarpit-detect.py: documentation addresses only (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)")
    # scapy resolves the address itself; a tarpit claims an address only after its ARP requests
    # went unanswered for a while, so ask until it answers (or give up after 15 s).
    deadline = time.monotonic() + 15
    while (mac := getmacbyip(args.address)) is None:
        if time.monotonic() > deadline:
            sys.exit(f"tarpit-detect.py: {args.address} does not answer ARP")
        time.sleep(0.5)
    # The kernel has no socket for these connections and would reset every SYN-ACK; drop its RSTs
    # to the target for as long as the checks run (Degreaser does the same with iptables).
    rule = f"table ip {TABLE} {{\n chain out {{\n  type filter hook output priority 0;\n  ip daddr {args.address} tcp flags & rst == rst drop\n }}\n}}\n"
    subprocess.run(["nft", "-f", "-"], input=rule, text=True, check=True)
    try:
        if args.port is None:
            args.port = first_open(args.address, args.timeout)
        result = {
            "address": args.address,
            "mac": mac,
            "port": args.port,
            "notarpit": notarpit(args.address, args.port, args.timeout),
            "labrea.nasl": labrea_nasl(args.address, args.port, args.timeout),
            "tarpit.nse": tarpit_nse(args.address, args.timeout),
            "degreaser": degreaser(args.address, args.port, args.timeout),
        }
    finally:
        subprocess.run(["nft", "delete", "table", "ip", TABLE], check=False)
    result["flagged_by"] = [name for name in ("notarpit", "labrea.nasl", "tarpit.nse", "degreaser") if result[name]["flagged"]]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
