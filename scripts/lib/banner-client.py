#!/usr/bin/env python3
"""Clients of the tarpit's banners, for the lab tests (documentation addresses only).

  banner-client.py smtp   HOST PORT SECONDS   smtplib.SMTP(HOST, PORT): has it returned after SECONDS?
  banner-client.py telnet HOST PORT SECONDS   reads like a telnet client waiting for "login:",
                                              refusing every option asked of it
  banner-client.py talk   HOST PORT SECONDS   sends 20 bytes every 2 s and reads what comes: is the
                                              connection still up after SECONDS?

Each prints one line saying what happened and exits 0; the test reads the line.
"""
import os
import smtplib
import socket
import sys
import threading
import time

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240


def smtp(host, port, seconds):
    done = []

    def connect():
        try:
            done.append(("returned", smtplib.SMTP(host, port)))
        except Exception as error:  # what smtplib raises is the test's answer too
            done.append(("failed", error))

    threading.Thread(target=connect, daemon=True).start()
    time.sleep(seconds)
    if done:
        print(f"smtplib {done[0][0]} after less than {seconds} s: {done[0][1]!r}")
    else:
        print(f"smtplib still in the greeting after {seconds} s")
    sys.stdout.flush()
    os._exit(0)


def telnet(host, port, seconds):
    sock = socket.create_connection((host, port))
    sock.settimeout(1.0)
    deadline = time.time() + seconds
    text, negotiations, pending = b"", 0, b""
    while time.time() < deadline:
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        if not data:
            print(f"closed after {seconds - (deadline - time.time()):.0f} s")
            return
        pending += data
        while pending:
            if pending[0] != IAC:
                text += pending[:1]
                pending = pending[1:]
            elif len(pending) >= 3 and pending[1] in (DO, DONT, WILL, WONT):
                negotiations += 1
                answer = WONT if pending[1] == DO else DONT  # a client that agrees to nothing
                sock.sendall(bytes([IAC, answer, pending[2]]))
                pending = pending[3:]
            elif len(pending) >= 2 and pending[1] == SB and SE in pending:
                negotiations += 1
                pending = pending[pending.index(SE) + 1:]
            else:
                break
        if b"login" in text.lower():
            print(f"saw a login prompt: {text[-40:]!r}")
            return
    print(f"no login prompt after {seconds} s, negotiations {negotiations}, text {len(text)} bytes")


def talk(host, port, seconds):
    sock = socket.create_connection((host, port))
    sock.settimeout(0.5)
    deadline, lines, received = time.time() + seconds, 0, 0
    next_send = time.time()
    try:
        while time.time() < deadline:
            if time.time() >= next_send:
                sock.sendall(b"line %04d of chatter\n" % lines)
                lines += 1
                next_send += 2
            try:
                data = sock.recv(4096)
                if not data:
                    print(f"closed by the peer after {seconds - (deadline - time.time()):.0f} s")
                    return
                received += len(data)
            except socket.timeout:
                pass
    except OSError as error:
        print(f"connection failed after {seconds - (deadline - time.time()):.0f} s: {error}")
        return
    print(f"still connected after {seconds} s, sent {lines} lines, received {received} bytes")


if __name__ == "__main__":
    mode, host, port, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    {"smtp": smtp, "telnet": telnet, "talk": talk}[mode](host, port, seconds)
