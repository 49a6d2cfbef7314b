#!/usr/bin/env python3
"""Hostile clients of coopmart-hq, for tests/sync/hq_hostile.sh and
tests/bench/bench_hostile.sh. Loopback only; every loop is bounded.

  hostile.py siege PORT CA --idle N --slow N --from FIRST-LAST
             [--seconds S] [--health N] [--health-from ADDR] [--reconnect]
      Opens N idle TCP connections (connect, then nothing) and N slow-loris
      TLS connections (handshake, then one header line every --every
      seconds, never the blank line that ends the headers), their source
      addresses spread round-robin over FIRST..LAST (127.0.0.2-127.0.0.21),
      then asks GET /v1/health --health times, each on a new connection
      from --health-from (127.0.0.1), while they are open. --reconnect
      opens again what the server closed, as a real attacker would.
      Prints one JSON object: the attackers' counts (open, closed by the
      server at once or later, could not connect) and the health
      latencies (ms).

  hostile.py perip PORT --from ADDR --count N
      Opens N idle TCP connections from ADDR; prints how many the server
      closed at once (beyond its per-address limit) and how many it kept.

  hostile.py slowloris PORT CA --every S --max S
      One slow-loris TLS connection from 127.0.0.2 (a header line every S
      seconds); prints how many seconds the server let it live (or the
      bound --max when it never closed it).

  hostile.py early PORT CA --length BYTES [--token TOKEN] [--send-body] [--path PATH]
      Sends the headers of a POST /v1/events announcing BYTES of body with
      a bad (or no) token, and waits for the answer without sending the
      body (--send-body: sending it meanwhile). Prints "STATUS SECONDS
      BODY_BYTES_SENT" (STATUS "none" when no answer came).
"""
import argparse
import concurrent.futures
import ipaddress
import json
import multiprocessing
import select
import socket
import ssl
import sys
import time

HOST = "127.0.0.1"


def addr_range(spec):
    first, _, last = spec.partition("-")
    a, b = int(ipaddress.ip_address(first)), int(ipaddress.ip_address(last or first))
    return [str(ipaddress.ip_address(i)) for i in range(a, b + 1)]


def tls_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = False
    return ctx


def tcp(port, src, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.bind((src, 0))
    s.connect((HOST, port))
    return s


def closed_by_peer(s):
    """True when the server closed s or answered on it (either ends the
    request); a TLS record that carries no data (a session ticket) is not."""
    try:
        r, _, _ = select.select([s], [], [], 0)
        if not r:
            return False
        s.setblocking(False)
        try:
            data = s.recv(1024)
        finally:
            s.setblocking(True)
        return True                     # an end of file, or an answer: done
    except ssl.SSLWantReadError:
        return False
    except (OSError, ssl.SSLError):
        return True


class Attacker:
    def __init__(self, port, ca, srcs):
        self.port, self.ctx, self.srcs = port, tls_context(ca), srcs
        self.next_src = 0
        self.conns = []                 # (kind, socket, source)
        self.cut = {"idle": 0, "slow": 0}
        self.failed = {"idle": 0, "slow": 0}

    def src(self):
        s = self.srcs[self.next_src % len(self.srcs)]
        self.next_src += 1
        return s

    def connect(self, kind, src):
        try:
            s = tcp(self.port, src, 2.0)
            if kind == "slow":
                s = self.ctx.wrap_socket(s, server_hostname="localhost")
                s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\n")
            return s
        except (OSError, ssl.SSLError):
            return None

    def open_many(self, wanted):
        """Opens (kind, source) pairs at once, 64 handshakes in flight:
        a server that stalls them does not make the attack slow to build."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=64) as ex:
            socks = list(ex.map(lambda w: self.connect(*w), wanted))
        for (kind, src), s in zip(wanted, socks):
            if s is None:
                self.failed[kind] += 1
            else:
                self.conns.append((kind, s, src))

    def open(self, kind, src=None):
        self.open_many([(kind, src or self.src())])

    def tick(self, reconnect):
        """One header line on each slow connection; counts (and reopens)
        what the server closed."""
        kept, lost = [], []
        for kind, s, src in self.conns:
            alive = not closed_by_peer(s)
            if alive and kind == "slow":
                try:
                    s.sendall(b"X-Slow: %d\r\n" % int(time.time()))
                except (OSError, ssl.SSLError):
                    alive = False
            if alive:
                kept.append((kind, s, src))
            else:
                self.cut[kind] += 1
                s.close()
                lost.append((kind, src))
        self.conns = kept
        if reconnect:
            self.open_many(lost)

    def count(self, kind):
        return sum(1 for k, _, _ in self.conns if k == kind)

    def close(self):
        for _, s, _ in self.conns:
            s.close()
        self.conns = []


def health_once(port, ctx, src, timeout):
    t = time.monotonic()
    try:
        s = ctx.wrap_socket(tcp(port, src, timeout), server_hostname="localhost")
        s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        ok = data.startswith(b"HTTP/1.1 200")
    except (OSError, ssl.SSLError):
        ok = False
    return ok, (time.monotonic() - t) * 1000.0


def percentile(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def attack(a, started, stop, results):
    """The attackers, in a process of their own (see cmd_siege)."""
    att = Attacker(a.port, a.ca, addr_range(a.src))
    t0 = time.monotonic()
    att.open_many([("idle", att.src()) for _ in range(a.idle)] +
                  [("slow", att.src()) for _ in range(a.slow)])
    opened_s = time.monotonic() - t0
    time.sleep(0.5)
    att.tick(False)
    closed_at_once = dict(att.cut)
    open_at_start = {"idle": att.count("idle"), "slow": att.count("slow")}
    started.set()
    while not stop.wait(a.every):
        att.tick(a.reconnect)
    att.tick(False)
    results.put({"idle_wanted": a.idle, "slow_wanted": a.slow,
                 "sources": len(att.srcs), "open_seconds": round(opened_s, 2),
                 "open_at_start": open_at_start,
                 "open_at_end": {"idle": att.count("idle"), "slow": att.count("slow")},
                 "closed_at_once": closed_at_once,
                 "closed_later": {k: att.cut[k] - closed_at_once[k] for k in att.cut},
                 "connect_failed": att.failed})
    att.close()


def cmd_siege(a):
    # The attackers run in another process: the health checks measure HQ,
    # not this interpreter's lock shared with 600 sockets.
    started, stop = multiprocessing.Event(), multiprocessing.Event()
    results = multiprocessing.Queue()
    proc = multiprocessing.Process(target=attack, args=(a, started, stop, results))
    proc.start()
    if not started.wait(120):
        stop.set()
        proc.terminate()
        sys.exit("hostile.py: the attackers did not get going in 120 s")
    ctx = tls_context(a.ca)
    lat, errors, done = [], 0, 0
    end = time.monotonic() + a.seconds
    # bounded: --health requests, and no longer than --seconds + one time-out
    while done < a.health and time.monotonic() < end + a.timeout:
        ok, ms = health_once(a.port, ctx, a.health_from, a.timeout)
        done += 1
        lat.append(ms)
        errors += 0 if ok else 1
        pause = a.seconds / max(a.health, 1) - ms / 1000.0
        if pause > 0:
            time.sleep(pause)
    stop.set()
    attack_out = results.get(timeout=120)
    proc.join(30)
    out = {
        "attack": attack_out,
        "health": {"requests": done, "errors": errors,
                   "p50_ms": round(percentile(lat, 50) or 0, 1),
                   "p99_ms": round(percentile(lat, 99) or 0, 1),
                   "max_ms": round(max(lat) if lat else 0, 1)},
    }
    print(json.dumps(out))


def cmd_perip(a):
    socks, failed = [], 0
    for _ in range(a.count):
        try:
            socks.append(tcp(a.port, a.src))
        except OSError:
            failed += 1
    time.sleep(0.5)
    closed = sum(1 for s in socks if closed_by_peer(s))
    print(json.dumps({"kept": len(socks) - closed, "closed": closed + failed}))
    for s in socks:
        s.close()


def cmd_slowloris(a):
    s = tls_context(a.ca).wrap_socket(tcp(a.port, "127.0.0.2"), server_hostname="localhost")
    t0 = time.monotonic()
    s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\n")
    while time.monotonic() - t0 < a.max:
        r, _, _ = select.select([s], [], [], a.every)
        if r and closed_by_peer(s):
            print("%.1f" % (time.monotonic() - t0))
            return
        try:
            s.sendall(b"X-Slow: %d\r\n" % int(time.time()))
        except (OSError, ssl.SSLError):
            print("%.1f" % (time.monotonic() - t0))
            return
    print("%.1f" % a.max)


def cmd_early(a):
    s = tls_context(a.ca).wrap_socket(tcp(a.port, "127.0.0.1"), server_hostname="localhost")
    auth = b"Authorization: Bearer %s\r\n" % a.token.encode() if a.token else b""
    t0 = time.monotonic()
    s.sendall(b"POST %s HTTP/1.1\r\nHost: localhost\r\n" % a.path.encode() + auth +
              b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % a.length)
    data, sent = b"", 0
    chunk = b" " * 65536
    s.settimeout(a.wait)
    try:
        # --send-body: the body goes out while we look for an answer; the
        # loop ends at the answer, at the end of the body or of --wait
        while a.send_body and sent < a.length and time.monotonic() - t0 < a.wait:
            r, w, _ = select.select([s], [s], [], 0.5)
            if r:
                break
            if w:
                sent += s.send(chunk[:min(len(chunk), a.length - sent)])
        while b"\r\n" not in data and time.monotonic() - t0 < a.wait:
            got = s.recv(4096)
            if not got:
                break
            data += got
    except (socket.timeout, OSError, ssl.SSLError):
        pass
    dt = time.monotonic() - t0
    status = data.split(b" ")[1].decode() if data.startswith(b"HTTP/1.1 ") else "none"
    print("%s %.2f %d" % (status, dt, sent))


def main():
    p = argparse.ArgumentParser(description="hostile clients of coopmart-hq")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("siege")
    s.add_argument("port", type=int)
    s.add_argument("ca")
    s.add_argument("--idle", type=int, default=300)
    s.add_argument("--slow", type=int, default=300)
    s.add_argument("--from", dest="src", default="127.0.0.2-127.0.0.21")
    s.add_argument("--seconds", type=float, default=10.0)
    s.add_argument("--health", type=int, default=200)
    s.add_argument("--health-from", default="127.0.0.1")
    s.add_argument("--timeout", type=float, default=5.0)
    s.add_argument("--every", type=float, default=4.0)
    s.add_argument("--reconnect", action="store_true")
    s = sub.add_parser("perip")
    s.add_argument("port", type=int)
    s.add_argument("--from", dest="src", required=True)
    s.add_argument("--count", type=int, required=True)
    s = sub.add_parser("slowloris")
    s.add_argument("port", type=int)
    s.add_argument("ca")
    s.add_argument("--every", type=float, default=4.0)
    s.add_argument("--max", type=float, default=40.0)
    s = sub.add_parser("early")
    s.add_argument("port", type=int)
    s.add_argument("ca")
    s.add_argument("--length", type=int, required=True)
    s.add_argument("--token", default="")
    s.add_argument("--wait", type=float, default=5.0)
    s.add_argument("--send-body", action="store_true")
    s.add_argument("--path", default="/v1/events")
    a = p.parse_args()
    {"siege": cmd_siege, "perip": cmd_perip, "slowloris": cmd_slowloris,
     "early": cmd_early}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
