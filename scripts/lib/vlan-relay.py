#!/usr/bin/env python3
"""An 802.1Q access port in userspace, for kernels built without 802.1Q support.

    vlan-relay.py ACCESS_IF TRUNK_IF VID [SECONDS]

Frames that arrive on ACCESS_IF leave TRUNK_IF tagged with VID; frames tagged VID that arrive
on TRUNK_IF leave ACCESS_IF untagged. Everything else is dropped. The receive path moves a tag
into packet metadata, so tags are read from PACKET_AUXDATA, the way libpcap does. Stops by
itself after SECONDS (default 3600), or on SIGTERM.
"""
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
AUXDATA = struct.Struct("=IIIHHHH")  # tp_status, tp_len, tp_snaplen, tp_mac, tp_net, tp_vlan_tci, tp_vlan_tpid


def open_port(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((name, 0))
    return s


def receive(s):
    """One frame as it was on the wire (tag put back), or None for our own transmissions."""
    data, ancillary, _, address = s.recvmsg(65536, socket.CMSG_SPACE(AUXDATA.size))
    if address[2] == socket.PACKET_OUTGOING:
        return None
    for level, kind, payload in ancillary:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(payload) >= AUXDATA.size:
            status, _, _, _, _, tci, tpid = AUXDATA.unpack_from(payload)
            if status & TP_STATUS_VLAN_VALID:
                tpid = tpid if status & TP_STATUS_VLAN_TPID_VALID else 0x8100
                data = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


def main():
    access_name, trunk_name, vid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 3600.0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    access, trunk = open_port(access_name), open_port(trunk_name)
    tag = struct.pack("!HH", 0x8100, vid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([access, trunk], [], [], 0.5)
        for s in ready:
            frame = receive(s)
            if frame is None or len(frame) < 14:
                continue
            if s is access:
                trunk.send(frame[:12] + tag + frame[12:])
            elif frame[12:14] == b"\x81\x00" and struct.unpack("!H", frame[14:16])[0] & 0x0FFF == vid:
                access.send(frame[:12] + frame[16:])


if __name__ == "__main__":
    main()
