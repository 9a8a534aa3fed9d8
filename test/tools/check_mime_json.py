#!/usr/bin/env python3
"""check_mime_json.py: `mapidav mime build` then `mapidav mime show` round trip.

For each JSON input: build MIME from it (to standard output), write the MIME
into the build directory, show it again as JSON and compare the key fields:
subject, sender, recipients (type and address), body text, attachment names,
MIME types and bytes, embedded messages (recursively).

usage: check_mime_json.py OUTDIR INPUT.json... -- TOOL [ARGS]
(TOOL is the mapidav binary, after `wine` in the Windows build.)
Invariant: exit 0 only when every input round-trips. Never: write outside OUTDIR.
"""
import base64
import json
import os
import subprocess
import sys


def run(tool, args):
    p = subprocess.run(tool + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("FAIL: %s -> %d: %s" % (" ".join(args), p.returncode,
                                         p.stderr.decode("utf-8", "replace")))
    return p.stdout


def prop(bag, *names):
    for n in names:
        if n in bag:
            return bag[n]
    return None


def text(v):
    return (v or "").replace("\r\n", "\n").strip()


def html_text(v):
    if isinstance(v, dict) and "base64" in v:
        return base64.b64decode(v["base64"]).decode("utf-8", "replace").strip()
    return None


def compare(want, got, where):
    errors = []
    wp, gp = want["properties"], got["properties"]

    def check(what, a, b):
        if a != b:
            errors.append("%s: %s: want %r, got %r" % (where, what, a, b))

    check("subject", prop(wp, "PR_SUBJECT_W"), prop(gp, "PR_SUBJECT_W"))
    check("sender", prop(wp, "PR_SENDER_EMAIL_ADDRESS_W"),
          prop(gp, "PR_SENDER_SMTP_ADDRESS_W", "PR_SENDER_EMAIL_ADDRESS_W"))
    if "PR_BODY_W" in wp:
        check("body", text(wp["PR_BODY_W"]), text(prop(gp, "PR_BODY_W")))
    elif "PR_HTML" in wp:
        check("html", html_text(wp["PR_HTML"]), html_text(prop(gp, "PR_HTML")))
        if not text(prop(gp, "PR_BODY_W")):
            errors.append("%s: an HTML-only message got no text body" % where)
    wr = [(r["PR_RECIPIENT_TYPE"], r["PR_EMAIL_ADDRESS_W"].lower()) for r in want["recipients"]]
    gr = [(r.get("PR_RECIPIENT_TYPE"),
           (prop(r, "PR_SMTP_ADDRESS_W", "PR_EMAIL_ADDRESS_W") or "").lower())
          for r in got["recipients"]]
    check("recipients", sorted(wr), sorted(gr))
    wa, ga = want["attachments"], got["attachments"]
    check("number of attachments", len(wa), len(ga))
    for i, (a, b) in enumerate(zip(wa, ga)):
        ap, bp = a["properties"], b["properties"]
        if "embedded" in a:
            if "embedded" not in b:
                errors.append("%s: attachment %d: not an embedded message" % (where, i))
            else:
                errors += compare(a["embedded"], b["embedded"], "%s/attachment %d" % (where, i))
            continue
        check("attachment %d name" % i, ap.get("PR_ATTACH_LONG_FILENAME_W"),
              bp.get("PR_ATTACH_LONG_FILENAME_W"))
        check("attachment %d type" % i, ap.get("PR_ATTACH_MIME_TAG_W"),
              prop(bp, "PR_ATTACH_MIME_TAG_W", "PR_ATTACH_MIME_TAG_A"))
        check("attachment %d data" % i, ap.get("PR_ATTACH_DATA_BIN"), bp.get("PR_ATTACH_DATA_BIN"))
        size = len(base64.b64decode(ap["PR_ATTACH_DATA_BIN"]["base64"]))
        check("attachment %d size" % i, size, b.get("size"))
    return errors


def main():
    sep = sys.argv.index("--")
    outdir, inputs, tool = sys.argv[1], sys.argv[2:sep], sys.argv[sep + 1:]
    os.makedirs(outdir, exist_ok=True)
    errors = []
    for path in inputs:
        name = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as f:
            want = json.load(f)
        mime = run(tool, ["mime", "build", path, "-o", "-"])
        eml = os.path.join(outdir, name + ".eml")
        with open(eml, "wb") as f:
            f.write(mime)
        got = json.loads(run(tool, ["mime", "show", "--data", eml]).decode("utf-8"))
        e = compare(want, got, name)
        print("%s: %s" % (name, "ok" if not e else "%d differences" % len(e)))
        errors += e
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
