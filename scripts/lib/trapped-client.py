#!/usr/bin/env python3
"""A plain Linux TCP client for the lab: connect, send a request, then wait.

    trapped-client.py HOST PORT [SECONDS] [fill]

Prints "connected" and "sent N" as it goes, then waits until standard input closes (or
SECONDS pass, default 3600), closes the socket and prints "closed". The kernel does the
rest: against a tarpit in persist mode its socket sits in persist state, probing. With "fill" it
keeps writing until the connection takes no more for two seconds (a client with more to send than
a real host's 64 KB receive window, which is what the stealth profile offers), and prints the total.
"""
import select
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3600.0
fill = len(sys.argv) > 4 and sys.argv[4] == "fill"
s = socket.create_connection((host, port), timeout=10)
print("connected", flush=True)
request = b"GET / HTTP/1.1\r\nHost: " + host.encode() + b"\r\nUser-Agent: lab\r\n" + b"X-Pad: " + b"x" * 200 + b"\r\n\r\n"
s.setblocking(False)
sent = s.send(request)  # lands in the socket buffer; the kernel trickles it into the offered window
while fill:
    _, writable, _ = select.select([], [s], [], 2.0)
    if not writable:
        break  # two seconds without room: the peer's window and our buffer are full
    try:
        sent += s.send(b"y" * 65536)
    except BlockingIOError:
        continue
print(f"sent {sent}", flush=True)
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    ready, _, _ = select.select([sys.stdin], [], [], 1.0)
    if ready and not sys.stdin.buffer.read1(4096):
        break
s.close()
print("closed", flush=True)
