#!/usr/bin/python3
"""faultproxy.py: a forwarding HTTP proxy in front of a REAL server, injecting faults.

    faultproxy.py [--target-env NAME] -- COMMAND [ARGS...]

Runs under test/fixtures/serve.py (which started the real server). Starts a
threaded stdlib HTTP/1.1 server on a free 127.0.0.1 port that forwards every
request to the URL in the environment variable NAME (default
MAPIDAV_TEST_APACHE_URL) and passes the answer back, runs COMMAND with
MAPIDAV_TEST_PROXY_URL (the target URL with the proxy's origin: the same
path) added to its environment, and exits with COMMAND's code.

The test steers it over HTTP, on the proxy's own origin (no auth):
  PUT  /__proxy__/rules    body: rules, one a line, replacing the old ones:
                             ACTION METHOD SUBSTRING COUNT [SKIP]
                           a request whose method is METHOD (or "*") and whose
                           path contains SUBSTRING takes the first such rule
                           with COUNT left (-1: always) and gets ACTION, once
                           SKIP (default 0) such requests went through as they
                           were:
         500               a 500 answer
         status:CODE       a CODE answer (e.g. 403 or 409 with the RFC 6578
                           DAV:valid-sync-token precondition as its body)
         503:SECONDS       a 503 with Retry-After: SECONDS
         reset             the real answer's head and half its body, then a
                           connection reset (RST)
         truncate          the real answer's head (its true Content-Length)
                           and half its body, then the connection closed
         hostile:KIND      a 207 of our own instead of the server's: KIND is
                           badxml, bomb (entity expansion), outside (hrefs
                           outside the asked collection), deep (100,000 nested
                           elements), hugehref (a 4 MB href)
         page:N            sync-collection paging (RFC 6578 3.6) the server
                           does not do: N members per answer, a 507 for the
                           collection and a token of ours ("proxypage:K:T",
                           T the token of the first page's request) until
                           the last page, which carries the server's token
         kill              stop the server (SIGTERM to its pid file's
                           process, Apache only), then reset this connection
  GET  /__proxy__/hits     "RULE-INDEX HITS" lines, and "requests N"
  POST /__proxy__/kill     stop the server now (as the kill action)
  POST /__proxy__/restart  start it again with the same configuration (its
                           own process, stopped when this script ends) and wait
                           until it answers

Never a stand-in for the server: every answer but a fault is the real one.
Python 3 standard library only.
"""
import ctypes
import http.client
import http.server
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

DAV = "DAV:"
HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te",
       "trailer", "upgrade", "content-length"}
METHODS = ["GET", "HEAD", "PUT", "DELETE", "MKCOL", "MOVE", "COPY", "PROPFIND",
           "PROPPATCH", "REPORT", "OPTIONS", "POST"]

lock = threading.Lock()
rules = []          # [action, method, substring, count, hits, skip]
requests = [0]
target = None       # urllib.parse result of the target URL
restarted = []      # Popen of servers we started


def log(msg):
    sys.stderr.write("faultproxy: %s\n" % msg)
    sys.stderr.flush()


def apache_dir():
    return os.path.join(os.environ.get("MAPIDAV_TEST_FIXTURE_DIR", ""), "apache")


def kill_server():
    """SIGTERM to the server in the pid file; wait until its port is free."""
    pidfile = os.path.join(apache_dir(), "run", "httpd.pid")
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return "no pid file"
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return "not running"
    for _ in range(200):
        if not answers():
            return "killed %d" % pid
        time.sleep(0.02)
    return "still answering"


def answers():
    try:
        with socket.create_connection((target.hostname, target.port), timeout=0.5):
            return True
    except OSError:
        return False


def die_with_us(parent):
    """preexec_fn: the restarted server gets SIGTERM when this script dies."""
    def setup():
        ctypes.CDLL(None).prctl(1, int(signal.SIGTERM), 0, 0, 0)   # PR_SET_PDEATHSIG
        if os.getppid() != parent:
            os._exit(1)
    return setup


launch_q = queue.Queue()


def launcher():
    """Starts processes for the handler threads. PR_SET_PDEATHSIG fires when
    the THREAD that forked a child ends, so children are forked here, on a
    thread that lives as long as this script."""
    while True:
        argv, kw, reply = launch_q.get()
        try:
            reply.put(subprocess.Popen(argv, **kw))
        except OSError as e:
            reply.put(e)


def restart_server():
    d = apache_dir()
    argv = ["/usr/sbin/apache2", "-d", d, "-f", os.path.join(d, "httpd.conf"), "-DFOREGROUND"]
    logf = open(os.path.join(d, "restart.log"), "ab")
    reply = queue.Queue()
    launch_q.put((argv, dict(stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                             cwd=d, start_new_session=True,
                             preexec_fn=die_with_us(os.getpid())), reply))
    p = reply.get()
    logf.close()
    if isinstance(p, OSError):
        return "cannot start: %s" % p
    restarted.append(p)
    for _ in range(500):
        if answers():
            return "restarted %d" % p.pid
        if p.poll() is not None:
            return "exited %d" % p.returncode
        time.sleep(0.02)
    return "not answering"


def hostile(kind, path):
    href = path.encode()
    if kind == "badxml":
        return (b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response>'
                b'<D:href>' + href + b'x.eml</D:href><D:propstat><D:prop><D:getetag>"1"'
                b'</D:prop></D:propstat></D:response>')
    if kind == "bomb":
        ents = b'<!ENTITY a0 "' + b'x' * 64 + b'">'
        for i in range(1, 12):
            ents += b'<!ENTITY a%d "%s">' % (i, b''.join(b'&a%d;' % (i - 1) for _ in range(10)))
        return (b'<?xml version="1.0"?><!DOCTYPE m [' + ents + b']><D:multistatus xmlns:D="DAV:">'
                b'<D:response><D:href>' + href + b'b.eml</D:href><D:propstat><D:prop>'
                b'<D:getetag>&a11;</D:getetag></D:prop><D:status>HTTP/1.1 200 OK</D:status>'
                b'</D:propstat></D:response></D:multistatus>')
    if kind == "outside":
        items = b''
        for h in (b'/etc/passwd', b'http://evil.example/x.eml', href + b'../../other/y.eml',
                  b'file:///etc/shadow', href + b'%2e%2e/%2e%2e/z.eml'):
            items += (b'<D:response><D:href>' + h + b'</D:href><D:propstat><D:prop>'
                      b'<D:getetag>"o"</D:getetag><D:resourcetype/></D:prop>'
                      b'<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>')
        return b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:">' + items + b'</D:multistatus>'
    if kind == "deep":
        n = 100000
        return (b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>' + href +
                b'd.eml</D:href><D:propstat><D:prop>' + b'<x>' * n + b'</x>' * n +
                b'</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>'
                b'</D:multistatus>')
    if kind == "hugehref":
        return (b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>' + href +
                b'a' * (4 << 20) + b'.eml</D:href><D:propstat><D:prop><D:getetag>"h"</D:getetag>'
                b'</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>'
                b'</D:multistatus>')
    raise ValueError(kind)


TOKEN_RE = re.compile(rb"(<[A-Za-z0-9]*:?sync-token>)(.*?)(</[A-Za-z0-9]*:?sync-token>)", re.S)


def page_request(body):
    """(body for the server, page index, the token the first page was asked
    with) from a sync-collection body."""
    m = TOKEN_RE.search(body)
    if not m or not m.group(2).startswith(b"proxypage:"):
        return body, 0, (m.group(2) if m else b"").decode()
    _, k, orig = m.group(2).split(b":", 2)
    return body[:m.start(2)] + orig + body[m.end(2):], int(k), orig.decode()


def page_answer(data, page, n, path, orig):
    """The page'th slice of n responses of a multistatus, as RFC 6578 3.6 says."""
    ET.register_namespace("D", DAV)
    root = ET.fromstring(data)
    resp = root.findall("{DAV:}response")
    tok = root.find("{DAV:}sync-token")
    for r in resp:
        root.remove(r)
    part = resp[page * n:(page + 1) * n]
    for r in part:
        root.insert(len(root) - (1 if tok is not None else 0), r)
    if (page + 1) * n < len(resp):
        t = ET.Element("{DAV:}response")
        ET.SubElement(t, "{DAV:}href").text = path
        ET.SubElement(t, "{DAV:}status").text = "HTTP/1.1 507 Insufficient Storage"
        root.insert(len(root) - (1 if tok is not None else 0), t)
        if tok is not None:
            tok.text = "proxypage:%d:%s" % (page + 1, orig)
    return ET.tostring(root)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send_plain(self, status, text, extra=()):
        body = text.encode()
        self.send_response(status)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def control(self, body):
        what = self.path[len("/__proxy__/"):]
        if what == "rules" and self.command == "PUT":
            new = []
            for line in body.decode().splitlines():
                f = line.split()
                if len(f) in (4, 5):
                    new.append([f[0], f[1], f[2], int(f[3]), 0, int(f[4]) if len(f) == 5 else 0])
            with lock:
                rules[:] = new
            return self.send_plain(200, "%d rules\n" % len(new))
        if what == "hits":
            with lock:
                text = "".join("%d %d\n" % (i, r[4]) for i, r in enumerate(rules))
                text += "requests %d\n" % requests[0]
            return self.send_plain(200, text)
        if what == "kill":
            return self.send_plain(200, kill_server() + "\n")
        if what == "restart":
            return self.send_plain(200, restart_server() + "\n")
        return self.send_plain(404, "unknown control\n")

    def pick(self):
        with lock:
            requests[0] += 1
            for i, r in enumerate(rules):
                if (r[1] == "*" or r[1] == self.command) and r[2] in self.path and r[3] != 0:
                    if r[5] > 0:
                        r[5] -= 1
                        return None
                    r[3] -= 1 if r[3] > 0 else 0
                    r[4] += 1
                    return r[0]
        return None

    def forward(self, body):
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        headers["Host"] = target.netloc
        conn.request(self.command, self.path, body=body if body or self.command in
                     ("PUT", "PROPFIND", "PROPPATCH", "REPORT", "POST") else None, headers=headers)
        resp = conn.getresponse()
        data = resp.read() if self.command != "HEAD" else b""
        conn.close()
        return resp, data

    def reply(self, resp, data, cut=None):
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if cut is None:
            self.wfile.write(data)
            return
        self.wfile.write(data[:len(data) // 2])
        self.wfile.flush()
        if cut == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR) if cut == "truncate" else None
        except OSError:
            pass
        self.connection.close()

    def abort(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def handle_any(self):
        body = self.read_body()
        if self.path.startswith("/__proxy__/"):
            return self.control(body)
        action = self.pick()
        if action == "500":
            return self.send_plain(500, "injected 500\n")
        if action and action.startswith("status:"):
            body = (b'<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:valid-sync-token/>'
                    b'</D:error>')
            self.send_response(int(action[7:]))
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if action and action.startswith("503:"):
            return self.send_plain(503, "injected 503\n", [("Retry-After", action[4:])])
        if action and action.startswith("hostile:"):
            data = hostile(action[8:], urllib.parse.urlsplit(self.path).path)
            self.send_response(207)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if action == "kill":
            log("kill: %s" % kill_server())
            return self.abort()
        page, orig = 0, ""
        if action and action.startswith("page:"):
            body, page, orig = page_request(body)
        try:
            resp, data = self.forward(body)
        except OSError:
            return self.abort()      # the server is gone: so are we
        if action and action.startswith("page:") and resp.status == 207:
            data = page_answer(data, page, int(action[5:]), self.path, orig)
        if action in ("reset", "truncate"):
            return self.reply(resp, data, cut=action)
        self.reply(resp, data)


for m in METHODS:
    setattr(Handler, "do_" + m, Handler.handle_any)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def main(argv):
    global target
    args = argv[1:]
    env_name = "MAPIDAV_TEST_APACHE_URL"
    if len(args) >= 2 and args[0] == "--target-env":
        env_name, args = args[1], args[2:]
    if not args or args[0] != "--" or len(args) < 2:
        sys.stderr.write(__doc__)
        return 2
    url = os.environ.get(env_name)
    if not url:
        log("%s is not set: skipped" % env_name)
        return 77
    target = urllib.parse.urlsplit(url)
    srv = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    threading.Thread(target=launcher, daemon=True).start()
    port = srv.server_address[1]
    env = dict(os.environ)
    env["MAPIDAV_TEST_PROXY_URL"] = urllib.parse.urlunsplit(
        (target.scheme, "localhost:%d" % port, target.path, "", ""))
    try:
        rc = subprocess.call(args[1:], env=env)
    finally:
        for p in restarted:
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        srv.shutdown()
    return 128 - rc if rc < 0 else rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
