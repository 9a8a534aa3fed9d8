#!/usr/bin/env python3
"""check_mime_python.py: MIME from `mapidav mime build`, read by another reader.

For each JSON input: build MIME with the tool and parse it with Python's own
`email` package (policy.default), then assert the same subject, sender and
recipient addresses, body text (or HTML), attachment names
(part.get_filename(): RFC 2231 sections for long and non-ASCII names) and
bytes, and the subjects of embedded messages; and that every line ends in
CRLF and stays within 998 bytes (RFC 5322 2.1.1), header lines within 78
except the RFC 2231 sections of names too long for 200 such lines. An independent check that what we write
is what other mail programs read.

usage: check_mime_python.py INPUT.json... -- TOOL [ARGS]
Invariant: exit 0 only when every input agrees. Never: trust our own parser here.
"""
import base64
import email
import email.policy
import json
import subprocess
import sys


def build(tool, path):
    p = subprocess.run(tool + ["mime", "build", path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("FAIL: build %s -> %d: %s" % (path, p.returncode,
                                               p.stderr.decode("utf-8", "replace")))
    return p.stdout


def line_errors(raw, where):
    errors = []
    in_header = True
    lines = raw.split(b"\r\n")
    for i, line in enumerate(lines):
        if b"\n" in line or b"\r" in line:
            errors.append("%s: line %d: bare CR or LF" % (where, i + 1))
        if len(line) > 998:
            errors.append("%s: line %d: %d bytes" % (where, i + 1, len(line)))
        if line == b"":
            in_header = False
        elif line.startswith(b"--"):
            in_header = True  # a boundary: part headers follow
        elif in_header and len(line) > 78 and b"*=" not in line:
            errors.append("%s: header line %d: %d bytes: %r" % (where, i + 1, len(line), line[:60]))
    return errors


def norm(s):
    return (s or "").replace("\r\n", "\n").strip()


def addrs(msg, field):
    return sorted(a.addr_spec.lower() for a in msg[field].addresses) if msg[field] else []


def compare(want, msg, where):
    errors = []
    p = want["properties"]

    def check(what, a, b):
        if a != b:
            errors.append("%s: %s: want %r, got %r" % (where, what, a, b))

    check("subject", p.get("PR_SUBJECT_W", ""), str(msg["subject"] or ""))
    check("from", [p["PR_SENDER_EMAIL_ADDRESS_W"].lower()], addrs(msg, "from"))
    for rtype, field in ((1, "to"), (2, "cc")):
        check(field, sorted(r["PR_EMAIL_ADDRESS_W"].lower() for r in want["recipients"]
                            if r["PR_RECIPIENT_TYPE"] == rtype), addrs(msg, field))
    if "PR_BODY_W" in p:
        body = msg.get_body(preferencelist=("plain",))
        check("body", norm(p["PR_BODY_W"]), norm(body.get_content() if body else None))
    if "PR_HTML" in p:
        body = msg.get_body(preferencelist=("html",))
        html = base64.b64decode(p["PR_HTML"]["base64"]).decode("utf-8")
        check("html", norm(html), norm(body.get_content() if body else None))
        if msg.get_body(preferencelist=("plain",)) is None:
            errors.append("%s: HTML-only message without text/plain" % where)
    files = [a for a in want["attachments"] if "embedded" not in a]
    got_files = [part for part in msg.iter_attachments()
                 if part.get_content_type() != "message/rfc822"]
    check("attachment names", [a["properties"]["PR_ATTACH_LONG_FILENAME_W"] for a in files],
          [part.get_filename() for part in got_files])
    for a, part in zip(files, got_files):
        check("bytes of " + part.get_filename(),
              base64.b64decode(a["properties"]["PR_ATTACH_DATA_BIN"]["base64"]),
              part.get_payload(decode=True))
    emb = [a["embedded"] for a in want["attachments"] if "embedded" in a]
    got_emb = [part for part in msg.walk() if part.get_content_type() == "message/rfc822"]
    check("embedded messages", len(emb), len(got_emb))
    for i, (e, part) in enumerate(zip(emb, got_emb)):
        errors += compare(e, part.get_payload(0), "%s/embedded %d" % (where, i))
    return errors


def main():
    sep = sys.argv.index("--")
    inputs, tool = sys.argv[1:sep], sys.argv[sep + 1:]
    errors = []
    for path in inputs:
        with open(path, encoding="utf-8") as f:
            want = json.load(f)
        raw = build(tool, path)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        e = line_errors(raw, path) + compare(want, msg, path)
        print("%s: %s" % (path, "ok" if not e else "%d differences" % len(e)))
        errors += e
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
