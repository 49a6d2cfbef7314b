#!/usr/bin/env python3
"""Network faults for the sync tests, on loopback.

  faults.py proxy PORT TARGET_PORT MODE
      A TCP proxy from 127.0.0.1:PORT to 127.0.0.1:TARGET_PORT. TLS passes
      through unchanged (the agent still talks to the real coopmart-hq and
      checks its certificate). It cannot read requests, so it goes by size:
      a "big" request is a burst of at least 1000 bytes from the client (a
      push; GETs and handshakes are smaller). MODE:
        pass   forward everything
        cut    once: after a big request, wait for the server's first answer
               bytes (HQ has committed), then close both sides without
               forwarding them: the answer is lost
        stall  after a big request forward nothing more, keep the
               connection open (the agent's low-speed timeout must end it)
  faults.py stub PORT CERT KEY STATUS RETRY_AFTER
      An HTTPS server answering every request with STATUS, a protocol error
      body and "Retry-After: RETRY_AFTER" (for the retry behaviour alone).
      Logs one line per request with its time to stdout.
Both print "ready" once listening and run until killed.
"""
import http.server
import json
import select
import socket
import ssl
import sys
import threading
import time

BIG = 1000


def proxy(port, target, mode):
    state = {"cut_done": False}
    lock = threading.Lock()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(16)
    print("ready", flush=True)

    def pump(c, s):
        burst = 0          # client bytes since the server last spoke
        armed = False      # a big request went up; act on the answer
        stalled = False
        socks = [c, s]
        try:
            while True:
                r, _, _ = select.select(socks, [], [], 1.0)
                for x in r:
                    data = x.recv(65536)
                    if not data:
                        return
                    if stalled:
                        continue
                    if x is c:
                        s.sendall(data)
                        burst += len(data)
                        if burst >= BIG:
                            with lock:
                                if mode == "cut" and not state["cut_done"]:
                                    armed = True
                            if mode == "stall":
                                stalled = True
                    else:
                        burst = 0
                        if armed:
                            with lock:
                                state["cut_done"] = True
                            print("cut", flush=True)
                            return
                        c.sendall(data)
        except OSError:
            pass
        finally:
            if not stalled:
                c.close()
                s.close()
            else:
                # Keep both open and silent until the client gives up.
                try:
                    while c.recv(65536):
                        pass
                except OSError:
                    pass
                c.close()
                s.close()

    while True:
        c, _ = srv.accept()
        try:
            s = socket.create_connection(("127.0.0.1", target))
        except OSError:
            c.close()
            continue
        threading.Thread(target=pump, args=(c, s), daemon=True).start()


def stub(port, cert, key, status, retry_after):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self):
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            print(f"{time.time():.3f} {self.command} {self.path}", flush=True)
            code = "unavailable" if status == 503 else "busy" if status == 429 else "server_error"
            body = json.dumps({"error": {"code": code, "message": "stub says wait"}}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Retry-After", str(retry_after))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = answer
        do_POST = answer

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    print("ready", flush=True)
    httpd.serve_forever()


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "proxy":
        proxy(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 7 and sys.argv[1] == "stub":
        stub(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
