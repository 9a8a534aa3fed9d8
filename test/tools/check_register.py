#!/usr/bin/env python3
"""check_register.py: `mapidav register` / `unregister` on a sample MAPISVC.INF.

  check_register.py OUTDIR -- TOOL...

Writes OUTDIR/MAPISVC.INF (written here, CRLF, comments, two other services),
then: register (the file gains our entries, the old bytes are in
MAPISVC.INF.mapidav-backup, no temporary file is left), register again
(nothing written: the file's bytes and modification time unchanged),
register with another DLL (updated in place), unregister (the original
bytes back), unregister again (nothing written), a DLL path MAPI cannot
load refused (exit 1, file unchanged), a read-only folder refused with the
administrator hint (skipped when running as root, who may write anyway),
no --inf refused (exit 1: no MAPI on Linux, no MAPISVC.INF in Wine), and
under Wine a DLL path that does not exist.

Invariant: a crash or an unexpected exit code is a failure. Never: write
outside OUTDIR.
"""
import os
import stat
import subprocess
import sys

SAMPLE = (b"; test MAPISVC.INF, written by check_register.py\r\n"
          b"[Services]\r\n"
          b"MSEMS=Microsoft Exchange\r\n"
          b"CONTAB=Outlook Address Book\r\n"
          b"\r\n"
          b"[MSEMS]\r\n"
          b"PR_SERVICE_DLL_NAME=emsui.dll\r\n"
          b"\r\n"
          b"; the address book\r\n"
          b"[CONTAB]\r\n"
          b"PR_SERVICE_DLL_NAME=contab.dll\r\n")



def run(tool, *args):
    p = subprocess.run(tool + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def fail(msg):
    sys.exit("FAIL: " + msg)


def main():
    sep = sys.argv.index("--")
    outdir, tool = sys.argv[1], sys.argv[sep + 1:]
    os.makedirs(outdir, exist_ok=True)
    wine = tool[0].endswith("wine")
    if wine:
        # The Windows tool checks that the DLL exists: two stand-ins here
        # (Wine maps a path starting with '/' to drive Z:).
        dlls = []
        for sub in ("a", "b"):
            os.makedirs(os.path.join(outdir, sub), exist_ok=True)
            dlls.append(os.path.join(outdir, sub, "mapidav32.dll"))
            with open(dlls[-1], "wb") as f:
                f.write(b"MZ")
    else:
        dlls = ["C:\\mapidav\\mapidav32.dll", "D:\\other\\mapidav32.dll"]
    DLL, OTHER = dlls
    name, other_name = (d.replace("mapidav32.dll", "mapidav.dll").encode() for d in dlls)
    inf = os.path.join(outdir, "MAPISVC.INF")
    backup = inf + ".mapidav-backup"
    for p in (inf, backup, inf + ".mapidav-new"):
        if os.path.exists(p):
            os.remove(p)
    with open(inf, "wb") as f:
        f.write(SAMPLE)

    rc, out, err = run(tool, "register", "--inf", inf, "--dll", DLL)
    if rc != 0:
        fail("register -> %d: %s" % (rc, err))
    merged = read(inf)
    if b"mapidav=" not in merged or b"PR_SERVICE_DLL_NAME=" + name + b"\r\n" not in merged:
        fail("entries missing after register:\n%s" % merged.decode())
    if not merged.startswith(SAMPLE[:SAMPLE.index(b"\r\n\r\n[MSEMS]")]):
        fail("head of the file changed")
    if read(backup) != SAMPLE:
        fail("backup is not the old file")
    if os.path.exists(inf + ".mapidav-new"):
        fail("temporary file left behind")
    print("ok: registered:", out.strip().splitlines()[0])

    st = os.stat(inf)
    rc, out, err = run(tool, "register", "--inf", inf, "--dll", DLL)
    if rc != 0 or read(inf) != merged or os.stat(inf).st_mtime_ns != st.st_mtime_ns:
        fail("second register changed the file (%d, %s)" % (rc, err))
    if "already" not in out:
        fail("second register did not say so: %r" % out)
    print("ok: idempotent")

    rc, out, err = run(tool, "register", "--inf", inf, "--dll", OTHER)
    updated = read(inf)
    if rc != 0 or other_name not in updated or name in updated \
            or len(updated) != len(merged) - len(name) * 3 + len(other_name) * 3:
        fail("register with another DLL (%d, %s):\n%s" % (rc, err, updated.decode()))
    print("ok: updated in place")

    rc, out, err = run(tool, "register", "--inf", inf, "--dll", "C:\\v1.2\\mapidav32.dll")
    if rc != 1 or "first '.'" not in err or read(inf) != updated:
        fail("a DLL path with two dots: %d %r" % (rc, err))
    print("ok: refused:", err.strip())

    rc, out, err = run(tool, "unregister", "--inf", inf)
    if rc != 0 or read(inf) != SAMPLE:
        fail("unregister did not give back the original (%d, %s):\n%s"
             % (rc, err, read(inf).decode()))
    rc, out, err = run(tool, "unregister", "--inf", inf)
    if rc != 0 or "not registered" not in out or read(inf) != SAMPLE:
        fail("second unregister: %d %r" % (rc, out))
    print("ok: unregistered, original bytes back")

    if os.name == "posix" and os.geteuid() != 0 and not wine:
        os.chmod(outdir, stat.S_IRUSR | stat.S_IXUSR)
        try:
            rc, out, err = run(tool, "register", "--inf", inf, "--dll", DLL)
        finally:
            os.chmod(outdir, stat.S_IRWXU)
        if rc != 1 or "administrator" not in err or read(inf) != SAMPLE:
            fail("read-only folder: %d %r" % (rc, err))
        print("ok: refused:", err.strip())

    # Without --inf: Linux has no MAPI; Wine has no Outlook nor MAPISVC.INF.
    rc, out, err = run(tool, "register", "--dll", DLL)
    if rc != 1 or "--inf" not in err:
        fail("no --inf: %d %r" % (rc, err))
    if wine:
        rc, out, err = run(tool, "register", "--inf", inf, "--dll", DLL + "x")
        if rc != 1 or "no such file" not in err:
            fail("a DLL that is not there: %d %r" % (rc, err))
    rc, out, err = run(tool, "register", "--inf")
    if rc != 2:
        fail("bad usage: %d" % rc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
