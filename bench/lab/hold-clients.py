#!/usr/bin/env python3
"""Open COUNT TCP connections to HOST on PORTS (round robin), send a request on each, and hold
them until standard input closes (or SECONDS pass). For scripts/bench.sh's held-connections
figures: against a persist port each socket ends up in persist state; against a banner port (or
Endlessh) it receives a line every few seconds, which is left unread in its receive buffer.
    hold-clients.py HOST PORTS COUNT [SECONDS [SOURCE [REQUEST]]]   (PORTS: 80,81,82; SOURCE: an
    address of this host to connect from, or "-"; REQUEST: what to send, with \r\n escapes)"""
import errno
import select
import selectors
import socket
import sys
import time

host, ports, count = sys.argv[1], [int(p) for p in sys.argv[2].split(",")], int(sys.argv[3])
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 600.0
source = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] != "-" else None
request = sys.argv[6].encode().decode("unicode_escape").encode() if len(sys.argv) > 6 else b"GET / HTTP/1.1\r\nHost: tarpit\r\n\r\n"
selector = selectors.DefaultSelector()
sockets, connected = [], 0
for i in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        # The port is chosen at connect time (IP_BIND_ADDRESS_NO_PORT), so one source address
        # can hold as many connections as there are ports for each destination.
        s.setsockopt(socket.IPPROTO_IP, getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24), 1)
        s.bind((source, 0))
    s.setblocking(False)
    error = s.connect_ex((host, ports[i % len(ports)]))
    if error not in (0, errno.EINPROGRESS):
        print(f"connect {i}: {errno.errorcode.get(error, error)}", file=sys.stderr)
        s.close()
        continue
    sockets.append(s)
    selector.register(s, selectors.EVENT_WRITE)
    if len(sockets) % 500 == 0:
        time.sleep(0.05)  # let the handshakes through in waves
deadline = time.monotonic() + 30
while connected < len(sockets) and time.monotonic() < deadline:
    for key, _ in selector.select(timeout=1.0):
        s = key.fileobj
        selector.unregister(s)
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            s.send(request)
            connected += 1
print(f"held {connected}", flush=True)
end = time.monotonic() + seconds
while time.monotonic() < end:
    ready, _, _ = select.select([sys.stdin], [], [], 1.0)
    if ready and not sys.stdin.buffer.read1(1024):
        break
for s in sockets:
    s.close()
