#!/usr/bin/env python3
"""check_tool.py: small checks of the `mapidav` tool as a user runs it.

  check_tool.py fail TEXT -- TOOL ARGS...   exit code exactly 1 and one line
                                            "mapidav: ..." holding TEXT
  check_tool.py rtf OUTDIR FILE.rtf -- TOOL compress, decompress, same bytes
  check_tool.py tnef FILE -- TOOL           `tnef show` of test_tnef's sample
                                            stream: key fields, named props

Invariant: a crash (signal, sanitizer report, exit code other than the one
expected) is a failure. Never: write outside OUTDIR.
"""
import json
import os
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def main():
    sep = sys.argv.index("--")
    mode, args, tool = sys.argv[1], sys.argv[2:sep], sys.argv[sep + 1:]
    if mode == "fail":
        text, targs = args[0], tool
        rc, out, err = run(targs)
        lines = [l for l in err.splitlines() if l.strip()]
        if rc != 1 or not lines or not lines[-1].startswith("mapidav: ") or text not in err:
            sys.exit("FAIL: want exit 1 and 'mapidav: ...%s...', got %d: %r" % (text, rc, err))
        print("ok:", lines[-1])
        return 0
    if mode == "rtf":
        outdir, src = args
        os.makedirs(outdir, exist_ok=True)
        lz, back = os.path.join(outdir, "sample.lzfu"), os.path.join(outdir, "sample.rtf")
        for cmd in (["rtf", "compress", src, lz], ["rtf", "decompress", lz, back]):
            rc, _, err = run(tool + cmd)
            if rc != 0:
                sys.exit("FAIL: %s -> %d: %s" % (cmd, rc, err))
        with open(src, "rb") as a, open(back, "rb") as b, open(lz, "rb") as c:
            orig, again, comp = a.read(), b.read(), c.read()
        if orig != again:
            sys.exit("FAIL: rtf round trip differs")
        if comp[8:12] != b"LZFu" or len(comp) >= len(orig) + 16:
            sys.exit("FAIL: not compressed: %r" % comp[:16])
        print("ok: %d bytes -> %d -> %d" % (len(orig), len(comp), len(again)))
        return 0
    if mode == "tnef":
        rc, out, err = run(tool + ["tnef", "show", args[0]])
        if rc != 0:
            sys.exit("FAIL: tnef show -> %d: %s" % (rc, err))
        d = json.loads(out.decode("utf-8"))
        p = d["properties"]
        want = {"PR_SUBJECT_W": "Unicode \u00fc \U0001F600 subject",
                "PR_BODY_A": "\u041f\u0440\u0438\u0432\u0435\u0442",
                "PidNameKeywords": ["a", "bb", "\u00dc"],
                "0x670D000A": {"error": "0x8004010F"}}
        for k, v in want.items():
            if p.get(k) != v:
                sys.exit("FAIL: %s: want %r, got %r" % (k, v, p.get(k)))
        names = [a["properties"].get("PR_ATTACH_LONG_FILENAME_W") for a in d["attachments"]]
        if "long file name.txt" not in names:
            sys.exit("FAIL: attachment names %r" % names)
        if [r["PR_RECIPIENT_TYPE"] for r in d["recipients"]] != [1, 2]:
            sys.exit("FAIL: recipients %r" % d["recipients"])
        print("ok: %d properties, %d attachments" % (len(p), len(d["attachments"])))
        return 0
    sys.exit("usage: check_tool.py fail|rtf|tnef ...")


if __name__ == "__main__":
    sys.exit(main())
