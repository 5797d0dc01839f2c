#!/usr/bin/env python3
"""Median and 99th percentile of SYN -> SYN-ACK delay in a pcap recorded on the tarpit's
interface (both directions): each SYN is matched with the SYN-ACK to its source address and
port. Prints: "<pairs> <median µs> <p99 µs>"."""
import struct
import sys

def frames(path):
    with open(path, "rb") as f:
        header = f.read(24)
        magic = struct.unpack("<I", header[:4])[0]
        scale = 1e-9 if magic == 0xA1B23C4D else 1e-6
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            seconds, fraction, caplen, _ = struct.unpack("<IIII", record)
            yield seconds + fraction * scale, f.read(caplen)

syns, delays = {}, []
for when, frame in frames(sys.argv[1]):
    if len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        continue
    ihl = (frame[14] & 0x0F) * 4
    tcp = 14 + ihl
    flags = frame[tcp + 13] & 0x12
    src, dst = frame[26:30], frame[30:34]
    sport, dport = frame[tcp:tcp + 2], frame[tcp + 2:tcp + 4]
    if flags == 0x02:
        syns.setdefault((src, sport), when)
    elif flags == 0x12 and (dst, dport) in syns:
        delays.append(when - syns.pop((dst, dport)))
if not delays:
    sys.exit("synack-latency: no SYN matched a SYN-ACK in " + sys.argv[1])
delays.sort()
print(len(delays), round(delays[len(delays) // 2] * 1e6, 1), round(delays[int(len(delays) * 0.99)] * 1e6, 1))
