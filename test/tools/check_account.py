#!/usr/bin/env python3
"""check_account.py: the `mapidav` account and sync commands as a user runs
them, against the real Apache of test/fixtures/serve.py.

  serve.py apache -- python3 check_account.py -- TOOL...

Puts a small mail tree on the server (MKCOL, PUT), then: account add with
--password-env (credentials file 0600 even under umask 000; the password
never in output or in the tool's process arguments; typed at a terminal with
echo off), refusals (bad URL, a
password on the command line, no terminal for the prompt, a duplicate
name), sync, ls (tree and folder, newest first), show (JSON), status, local
changes (item read/unread/move/delete, draft) listed as pending, offline
refusing sync, sync --watch for one pass, a wrong password (one line, exit 1), HTTPS with and without
the test CA (password from a file), an unreachable server, account selection
(several accounts, MAPIDAV_ACCOUNT, unknown name) and remove.

CHECK_ACCOUNT_TIMES=1 in the environment prints how long each run took.

Invariant: a crash (signal, sanitizer report, an exit code other than the
one expected) fails the test. Never: write outside MAPIDAV_TEST_FIXTURE_DIR.
"""
import base64
import json
import os
import re
import select
import stat
import subprocess
import sys
import termios
import time
import urllib.request

FAILS = []
ATTACHMENT = bytes(range(256)) * 400   # 100 KB: kept as a stream by the store


def check(cond, what):
    if cond:
        print("ok:", what)
    else:
        print("FAIL:", what)
        FAILS.append(what)


class Tool:
    def __init__(self, argv, env, password):
        self.argv, self.env, self.password = argv, env, password
        self.wine = os.path.basename(argv[0]).startswith("wine")

    def run(self, *args, env=None, umask=None, stdin=subprocess.DEVNULL):
        e = dict(self.env)
        e.update(env or {})
        pre = (lambda: os.umask(umask)) if umask is not None else None
        p = subprocess.Popen(self.argv + list(args), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=stdin, env=e, preexec_fn=pre)
        # The password is never in the process's arguments.
        try:
            with open("/proc/%d/cmdline" % p.pid, "rb") as f:
                cmdline = f.read()
            if self.password.encode() in cmdline:
                FAILS.append("password in the arguments of %r" % (args,))
        except OSError:
            pass
        t0 = time.time()
        out, err = p.communicate(timeout=120)
        if os.environ.get("CHECK_ACCOUNT_TIMES"):
            print("time: %.1f s %r" % (time.time() - t0, args))
        out, err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        if self.password in out or self.password in err:
            FAILS.append("password printed by %r" % (args,))
        if "runtime error" in err or "AddressSanitizer" in err or p.returncode < 0:
            FAILS.append("crash in %r: %s" % (args, err[-2000:]))
        return p.returncode, out, err

    def ok(self, *args, **kw):
        rc, out, err = self.run(*args, **kw)
        check(rc == 0, "%s -> 0 (got %d: %s)" % (" ".join(args), rc, err.strip()[-300:]))
        return out

    def fails(self, text, *args, rc_want=1, **kw):
        rc, out, err = self.run(*args, **kw)
        lines = [l for l in err.splitlines() if l.strip() and "warning" not in l]
        good = (rc == rc_want and len(lines) == 1 and lines[0].startswith("mapidav: ")
                and text in lines[0])
        check(good, "%s -> %d, one line with %r (got %d: %r)"
              % (" ".join(args), rc_want, text, rc, err.strip()))
        return out


def prompt_add(t, name, url, user, pw):
    """account add with the password typed at a terminal (a pty): the
    terminal's echo is off while it is read, so the pty never shows it."""
    master, slave = os.openpty()
    p = subprocess.Popen(t.argv + ["account", "add", name, "--url", url, "--user", user],
                         stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=t.env)
    os.close(slave)
    deadline = time.time() + 20
    while time.time() < deadline and termios.tcgetattr(master)[3] & termios.ECHO:
        time.sleep(0.02)   # wait until the tool has turned echo off
    echo_off = not termios.tcgetattr(master)[3] & termios.ECHO
    os.write(master, (pw + "\n").encode())
    out, err = p.communicate(timeout=60)
    shown = b""
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    check(echo_off, "prompt: echo off while the password is read")
    check(p.returncode == 0, "prompt: account add -> 0 (%r)" % err)
    check(b"Password" in err, "prompt: asked on standard error")
    check(pw.encode() not in shown + out + err, "prompt: the password is not echoed")


def dav(url, method, user, pw, body=None, ctype=None):
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("Authorization", "Basic " + base64.b64encode(
        ("%s:%s" % (user, pw)).encode()).decode())
    if ctype:
        req.add_header("Content-Type", ctype)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status


def message(i, subject, attach=False):
    head = ("From: Ann Example <ann@example.org>\r\nTo: bob@example.org\r\n"
            "Subject: %s\r\nDate: Mon, 2 Jan 2023 10:%02d:00 +0000\r\n"
            "Message-ID: <m%d@example.org>\r\nMIME-Version: 1.0\r\n" % (subject, i, i))
    if not attach:
        body = "body %d\r\n" % i + ("a long line of the body\r\n" * 2000 if i == 1 else "")
        return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()
    return (head + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
            "Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
            'Content-Type: application/octet-stream\r\nContent-Disposition: attachment;'
            ' filename="data.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            + base64.encodebytes(ATTACHMENT).decode().replace("\n", "\r\n") + "--b--\r\n").encode()


def main():
    sep = sys.argv.index("--")
    tool_argv = sys.argv[sep + 1:]
    env = os.environ
    user, pw = env["MAPIDAV_TEST_USER"], env["MAPIDAV_TEST_PASSWORD"]
    base = env["MAPIDAV_TEST_APACHE_URL"]
    fix = env["MAPIDAV_TEST_FIXTURE_DIR"]
    home = os.path.join(fix, "mapidav-home")
    mail = base + "toolmail/"

    # The server's side: Inbox (3 messages, one with an attachment), Inbox/Sub,
    # Drafts, Deleted Items.
    for col in ("", "Inbox/", "Inbox/Sub/", "Drafts/", "Deleted%20Items/"):
        dav(mail + col, "MKCOL", user, pw)
    subjects = ["first", "second \u00e9t\u00e9", "third with attachment"]
    for i, s in enumerate(subjects, 1):
        dav(mail + "Inbox/m%d.eml" % i, "PUT", user, pw,
            message(i, s if i != 2 else "=?utf-8?q?second_=C3=A9t=C3=A9?=", attach=(i == 3)),
            "message/rfc822")
    inner = message(8, "the inner one").decode()
    outer = ("From: Ann Example <ann@example.org>\r\nTo: bob@example.org\r\nSubject: in sub\r\n"
             "Date: Mon, 2 Jan 2023 10:09:00 +0000\r\nMIME-Version: 1.0\r\n"
             'Content-Type: multipart/mixed; boundary="o"\r\n\r\n--o\r\n'
             "Content-Type: text/plain\r\n\r\nforwarded\r\n--o\r\n"
             "Content-Type: message/rfc822\r\n\r\n" + inner + "\r\n--o--\r\n")
    dav(mail + "Inbox/Sub/s1.eml", "PUT", user, pw, outer.encode(), "message/rfc822")

    base_env = {k: v for k, v in env.items() if not k.startswith("MAPIDAV_ACCOUNT")}
    base_env.update({"MAPIDAV_HOME": home, "TEST_PW": pw, "WRONG_PW": "not-" + pw})
    base_env.pop("MAPIDAV_LOG", None)
    t = Tool(tool_argv, base_env, pw)

    # Refusals before anything exists.
    t.fails("no account yet", "status")
    t.fails("http:// or https://", "account", "add", "a1", "--url", "ftp://localhost/x/",
            "--user", user, "--password-env", "TEST_PW")
    t.fails("http:// or https://", "account", "add", "a1", "--url", "localhost/mail",
            "--user", user, "--password-env", "TEST_PW")
    t.fails("never taken on the command line", "account", "add", "a1", "--url", mail,
            "--user", user, "--password", "x", rc_want=2)
    t.fails("not a terminal", "account", "add", "a1", "--url", mail, "--user", user)
    t.fails("not a usable account name", "account", "add", "../evil", "--url", mail,
            "--user", user, "--password-env", "TEST_PW")
    check(not os.path.exists(os.path.join(home, "a1")), "no half account left behind")

    # Add: the credentials file is the owner's only, whatever the umask.
    out = t.ok("account", "add", "a1", "--url", mail, "--user", user,
               "--password-env", "TEST_PW", umask=0)
    cred = os.path.join(home, "a1", "credentials")
    if not t.wine:
        mode = stat.S_IMODE(os.stat(cred).st_mode)
        check(mode == 0o600, "credentials mode 0600 (got %o)" % mode)
    check(os.path.exists(os.path.join(home, "a1", "catalog.sqlite")), "catalog created")
    check(any(n.endswith(".sqlite") and n.startswith("{") for n in os.listdir(os.path.join(home, "a1"))),
          "store {GUID}.sqlite created")
    t.fails("exists already", "account", "add", "a1", "--url", mail, "--user", user,
            "--password-env", "TEST_PW")
    out = t.ok("account", "list")
    check("a1" in out and mail in out, "account list shows a1")

    # Sync down.
    out = t.ok("sync")
    check(re.search(r"sync done in [0-9.]+ s: 4 new, 0 changed, 0 deleted", out),
          "sync summary: %r" % out.strip().splitlines()[-1:])
    out = t.ok("sync", "--once")
    check("0 new" in out, "second sync brings nothing new")

    tree = t.ok("ls")
    check(re.search(r"^Inbox +3 items +3 unread", tree, re.M) and re.search(r"^  Sub +1 items", tree, re.M),
          "ls tree: %r" % tree)
    listing = t.ok("ls", "inbox")   # case-insensitive
    rows = [l for l in listing.splitlines()[1:] if l.strip()]
    check(len(rows) == 3, "ls inbox: 3 rows")
    ids = [r.split()[0] for r in rows]
    check("third" in rows[0] and "first" in rows[2], "ls inbox: newest first")
    check("attach" in rows[0] and "unread" in rows[0], "ls inbox: flags")
    check("second \u00e9t\u00e9" in listing, "ls inbox: non-ASCII subject")
    sub = [l for l in t.ok("ls", "Inbox/Sub").splitlines()[1:] if l.strip()]
    check(len(sub) == 1 and "in sub" in sub[0], "ls Inbox/Sub: one message")
    if sub:
        emb = json.loads(t.ok("show", sub[0].split()[0]))
        inner_subject = [a.get("embedded", {}).get("properties", {}).get("PR_SUBJECT_W")
                         for a in emb.get("attachments", [])]
        check(inner_subject == ["the inner one"], "show: embedded message (%r)" % inner_subject)
    t.fails("no folder", "ls", "Nowhere")

    shown = t.ok("show", ids[0])
    msg = json.loads(shown)
    check(msg["properties"].get("PR_SUBJECT_W") == "third with attachment", "show: subject")
    check(len(msg.get("attachments", [])) == 1, "show: one attachment")
    data = msg["attachments"][0]["properties"].get("PR_ATTACH_DATA_BIN") if msg.get("attachments") else None
    check(data == {"size": len(ATTACHMENT)} or (data is None and msg["attachments"][0].get("size") == len(ATTACHMENT)),
          "show: attachment data as its size (%r)" % data)
    msg = json.loads(t.ok("show", ids[0], "--data"))
    data = msg["attachments"][0]["properties"].get("PR_ATTACH_DATA_BIN", {})
    check(base64.b64decode(data.get("base64", "")) == ATTACHMENT, "show --data: attachment bytes")
    body = json.loads(t.ok("show", ids[2]))["properties"].get("PR_BODY_W", "")
    check(isinstance(body, str) and body.count("a long line") == 2000,
          "show: a 50 KB body kept as a stream, as text")
    t.fails("no item", "show", "999999")
    t.fails("not an item id", "show", "abc")

    # Local changes, as Outlook makes them.
    t.ok("item", "read", ids[2])
    t.ok("item", "unread", ids[2])
    t.ok("item", "read", ids[1])
    t.ok("item", "move", ids[2], "Inbox/Sub")
    t.ok("item", "delete", ids[0])
    out = t.ok("draft", "--subject", "a draft", "--to", "carol@example.org", "--body", "hi")
    m = re.search(r"draft (\d+)", out)
    check(m is not None, "draft prints its id")
    t.fails("not an e-mail address", "draft", "--subject", "x", "--to", "nobody")
    t.fails("not an e-mail address", "draft", "--subject", "x", "--to", "a@example.org",
            "--from", "nobody")
    out = t.ok("draft", "--subject", "from me", "--to", "carol@example.org", "--from",
               "me@example.org")
    fid = re.search(r"draft (\d+)", out).group(1)
    props = json.loads(t.ok("show", fid))["properties"]
    check(props.get("PR_SENDER_EMAIL_ADDRESS_W") == "me@example.org" and
          props.get("PR_SENT_REPRESENTING_EMAIL_ADDRESS_W") == "me@example.org",
          "draft --from sets the sender")
    t.ok("item", "delete", fid)
    listing = t.ok("ls", "Inbox")
    check(len([l for l in listing.splitlines()[1:] if l.strip()]) == 1 and "read" in listing,
          "Inbox after the changes: one read message")
    check("a draft" in t.ok("ls", "Drafts") and "draft" in t.ok("ls", "Drafts"), "draft in Drafts")
    check("third" in t.ok("ls", "Deleted Items"), "deleted item in Deleted Items")
    status = t.ok("status")
    pm = re.search(r"pending uploads: (\d+)", status)
    check(pm and int(pm.group(1)) >= 4, "status: pending uploads (%r)" % status)
    for f in ("Inbox", "Drafts", "Deleted Items", "Inbox/Sub"):
        check(re.search(r"^  %s +\d+" % re.escape(f), status, re.M), "status: pending in %s" % f)
    check("last success: 2" in status, "status: last success")
    check("store:" in status and "MB" in status, "status: store size")

    # Offline refuses sync; online again.
    t.ok("offline")
    t.fails("mapidav online", "sync")
    check("working offline" in t.ok("status"), "status says offline")
    t.ok("online")

    # check; rebuild with changes pending: they are saved, the copy starts
    # afresh, and the next sync fills it and puts them back.
    check("sound" in t.ok("check"), "check: sound")
    pending = int(re.search(r"pending uploads: (\d+)", t.ok("status")).group(1))
    out = t.ok("rebuild")
    check("damaged copy is kept" in out and "%d unsent changes" % pending in out,
          "rebuild saves the %d changes: %r" % (pending, out))
    t.fails("still to be put back", "rebuild")
    out = t.ok("sync")
    m = re.search(r"put back (\d+) unsent changes", out)
    check(m and int(m.group(1)) == pending, "sync puts the changes back: %r" % out)
    check("a draft" in t.ok("ls", "Drafts"), "the draft is back")
    check("sound" in t.ok("check"), "check after the rebuild: sound")
    # A copy damaged beyond reading: check says so, rebuild needs --force.
    stores = [f for f in os.listdir(os.path.join(home, "a1"))
              if f.endswith(".sqlite") and f != "catalog.sqlite" and "recovered" not in f]
    with open(os.path.join(home, "a1", stores[0]), "r+b") as f:
        f.write(b"this is not a database at all!!!")
    t.fails("mapidav rebuild", "check")
    t.fails("left as it is", "rebuild")
    check("could not be read" in t.ok("rebuild", "--force"), "rebuild --force")
    t.ok("sync")
    check("sound" in t.ok("check"), "check after the forced rebuild: sound")

    # sync --watch: the sync thread runs one pass and stops.
    rc, out, err = t.run("sync", "--watch", "--interval", "1", "--passes", "1")
    check(rc == 0 and "stopped" in out, "sync --watch --passes 1 -> 0 (%d: %r %r)" % (rc, out, err))

    # A second account with a wrong password: one line, exit 1.
    t.ok("account", "add", "bad", "--url", mail, "--user", user, "--password-env", "WRONG_PW")
    t.fails("wrong password", "sync", "--account", "bad")
    status = t.ok("--account", "bad", "status")
    check("auth" in status or "last error: none" not in status, "status of bad shows the failure")

    # HTTPS: with the test CA it syncs; without it the certificate is refused.
    tls = env["MAPIDAV_TEST_APACHE_TLS_URL"] + "toolmail/"
    pwfile = os.path.join(fix, "pw.txt")
    with open(pwfile, "w") as f:
        f.write(pw + "\n")
    t.fails("1 to", "account", "add", "tls", "--url", tls, "--user", user, "--password-file",
            pwfile, "--connections", "0", rc_want=2)
    t.ok("account", "add", "tls", "--url", tls, "--user", user, "--password-file", pwfile,
         "--ca-file", env["MAPIDAV_TEST_CA"], "--connections", "2")
    t.ok("sync", "--account", "tls")
    t.ok("account", "add", "tlsbad", "--url", tls, "--user", user, "--password-env", "TEST_PW")
    t.fails("TLS", "sync", "--account", "tlsbad")
    # A server that is not there.
    t.ok("account", "add", "down", "--url", "http://localhost:1/mail/", "--user", user,
         "--password-env", "TEST_PW")
    t.fails("cannot reach", "sync", "--account", "down")
    for name in ("tls", "tlsbad", "down"):
        t.ok("account", "remove", name)

    # The password typed at a terminal, echo off.
    if not t.wine:
        prompt_add(t, "typed", mail, user, pw)
        t.ok("sync", "--account", "typed")   # the typed password is the right one
        t.ok("account", "remove", "typed")

    # Selection among several accounts.
    t.fails("--account NAME", "status")
    check("a1" in t.ok("status", env={"MAPIDAV_ACCOUNT": "a1"}), "MAPIDAV_ACCOUNT picks")
    t.fails("no account 'nosuch'", "--account", "nosuch", "status")

    # Remove.
    t.ok("account", "remove", "bad")
    t.ok("account", "remove", "a1")
    check(not os.path.exists(os.path.join(home, "a1")), "remove deletes the folder")
    check("no account yet" in t.ok("account", "list"), "list after remove")
    t.fails("no account 'a1'", "account", "remove", "a1")

    if FAILS:
        print("%d failures:" % len(FAILS))
        for f in FAILS:
            print("  ", f)
        return 1
    print("all ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
