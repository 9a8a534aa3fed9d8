#!/usr/bin/python3
"""faultserver.py: a tiny HTTP server for FAULT INJECTION only, around a command.

    faultserver.py -- COMMAND [ARGS...]

Starts a threaded stdlib HTTP/1.1 server on a free 127.0.0.1 port, runs
COMMAND with MAPIDAV_TEST_FAULT_URL=http://localhost:PORT/ (and
MAPIDAV_TEST_FAULT_OTHER_URL, the same server under another origin,
http://127.0.0.1:PORT/), and exits with COMMAND's code. The real servers
(test/fixtures/serve.py) are used for everything else; this one only does
what they cannot be made to do on demand:

  /ok                 200 "ok"
  /503/KEY?n=N&ra=V   503 with Retry-After: V for the first N requests on KEY,
                      then 200 "ok after N"  (V "date:S" = an HTTP-date S s ahead)
  /503-always         503, Retry-After: 0
  /redirect-same      301 to /ok on this origin
  /redirect-other     302 to the other origin's /ok
  /bearer             200 with "Authorization: Bearer good-token", else 401
  /hang               answers nothing for 30 s
  /count/KEY          how many requests KEY got so far
The server thread is a daemon: it dies with this process. Never used as a
stand-in for a DAV server.
"""
import email.utils
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

counts = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        parts = u.path.strip("/").split("/")
        port = self.server.server_address[1]
        if parts[0] == "ok":
            return self.reply(200, b"ok")
        if parts[0] == "503" and len(parts) > 1:
            with lock:
                counts[parts[1]] = counts.get(parts[1], 0) + 1
                c = counts[parts[1]]
            limit = int(q.get("n", ["2"])[0])
            ra = q.get("ra", ["1"])[0]
            if ra.startswith("date:"):
                ra = email.utils.formatdate(time.time() + int(ra[5:]), usegmt=True)
            if c <= limit:
                return self.reply(503, b"busy", [("Retry-After", ra)])
            return self.reply(200, b"ok after %d" % limit)
        if parts[0] == "503-always":
            return self.reply(503, b"busy", [("Retry-After", "0")])
        if parts[0] == "count" and len(parts) > 1:
            with lock:
                return self.reply(200, str(counts.get(parts[1], 0)).encode())
        if parts[0] == "redirect-same":
            return self.reply(301, b"", [("Location", "/ok")])
        if parts[0] == "redirect-other":
            return self.reply(302, b"", [("Location", "http://127.0.0.1:%d/ok" % port)])
        if parts[0] == "bearer":
            if self.headers.get("Authorization") == "Bearer good-token":
                return self.reply(200, b"welcome")
            return self.reply(401, b"no", [("WWW-Authenticate", 'Bearer realm="t"')])
        if parts[0] == "hang":
            time.sleep(30)
            return
        return self.reply(404, b"no")

    do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = handle_any
    do_PROPFIND = do_REPORT = do_MOVE = do_COPY = do_MKCOL = do_PROPPATCH = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    address_family = socket.AF_INET


def main():
    argv = sys.argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    srv = Server(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    env = dict(os.environ)
    env["MAPIDAV_TEST_FAULT_URL"] = "http://localhost:%d/" % port
    env["MAPIDAV_TEST_FAULT_OTHER_URL"] = "http://127.0.0.1:%d/" % port
    rc = subprocess.call(argv, env=env)
    srv.shutdown()
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main())
