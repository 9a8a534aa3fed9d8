#!/usr/bin/python3
"""gen-mailbox.py: write a sample mailbox as .eml files in a folder tree.

    tools/gen-mailbox.py [--count N] [--seed S] [--out DIR]

Writes N messages (default 3000) into DIR (default ./sample-mailbox), one
folder per mail folder, one <number>.eml per message (CRLF line ends), the
way a WebDAV mail server such as Apache mod_dav serves them:

  Inbox/ (with Projects/, Projects/Q3 Review/, Newsletters/), Sent Items/,
  Drafts/, Deleted Items/, Junk/, and user folders with non-ASCII names
  (Geschäftlich/, Família/, Отчёты/, 旅行/).

The messages are what a real mailbox holds: plain text and HTML bodies
(multipart/alternative), attachments (PDF, spreadsheet, PNG; some over
64 KB), HTML with inline images (multipart/related, Content-ID), non-ASCII
subjects and sender names (RFC 2047) and attachment file names (RFC 2231),
forwarded messages as message/rfc822 attachments, replies with In-Reply-To
and References, dates over the 18 months before 2026-11-20. The same --seed
and --count give the same bytes.

Python 3 standard library only. Never: write outside DIR (it is made when
missing; files already in it with other names are left alone).
"""

import argparse
import datetime
import email.policy
import email.utils
import os
import random
import struct
import sys
import zlib
from email.headerregistry import Address
from email.message import EmailMessage

ME = ("Demo User", "demo@example.com")
END = datetime.datetime(2026, 11, 20, 17, 30, tzinfo=datetime.timezone.utc)
SPAN_DAYS = 540

PEOPLE = [
    ("Alice Martin", "alice.martin@example.com"),
    ("Bob Chen", "bob.chen@example.com"),
    ("Jürgen Müller", "juergen.mueller@example.de"),
    ("Zoë Brontë", "zoe@example.co.uk"),
    ("José García", "jose.garcia@example.es"),
    ("Łukasz Żółkiewski", "lukasz@example.pl"),
    ("Ольга Иванова", "olga@example.ru"),
    ("王伟", "wang.wei@example.cn"),
    ("Françoise Dupont", "f.dupont@example.fr"),
    ("Søren Kierkegaard", "soren@example.dk"),
    ("Priya Natarajan", "priya@example.in"),
    ("Carol White", "carol.white@example.org"),
    ("Dave O'Brien", "dave.obrien@example.ie"),
    ("Eve Johnson", "eve.johnson@example.com"),
]
LISTS = [
    ("Tech Weekly", "news@techweekly.example.net"),
    ("Café Société", "bonjour@cafe-societe.example.fr"),
    ("Project Tracker", "noreply@tracker.example.com"),
]
SPAMMERS = [
    ("Prize Department", "winner@lottery.example.biz"),
    ("Pharmacy Online", "deals@pills.example.info"),
    ("Bank Security", "security@bank-verify.example.xyz"),
]

TOPICS = [
    "budget", "Q3 review", "release plan", "offsite", "hiring", "customer visit",
    "invoice 2026-114", "contract renewal", "roadmap", "security audit",
    "server migration", "team lunch", "training", "quarterly numbers",
]
SUBJECTS = [
    "{t}", "Re: {t}", "RE: {t}", "Fwd: {t}", "Question about the {t}",
    "Update on {t}", "{t} - notes", "Reminder: {t} tomorrow",
]
INTL_SUBJECTS = [
    "Grüße aus Köln", "Réunion de l'équipe à 14h", "Отчёт за квартал",
    "会議の議事録", "Presupuesto año próximo", "Spotkanie w środę",
    "Ærøskøbing trip", "🎉 Launch day!", "Naïve café résumé",
]
JUNK_SUBJECTS = [
    "You have WON $1,000,000!!!", "Cheap meds, no prescription", "Verify your account now",
    "Ｆｒｅｅ　ｇｉｆｔ　ｃａｒｄ", "Re: your invoice (urgent)",
]
WORDS = (
    "the and to of a in for is on that with as this we will be are at by it from "
    "please find attached thanks regards meeting report numbers quarter project team "
    "update schedule review budget plan customer contract server release draft "
    "tomorrow today week next last agreed discussed follow-up action items deadline"
).split()
INTL_LINES = [
    "Viele Grüße aus dem Büro, wir sehen uns nächste Woche.",
    "Merci pour votre réponse rapide, à bientôt.",
    "Спасибо за отчёт, всё понятно.",
    "ご確認のほど、よろしくお願いいたします。",
    "Muchas gracias por la información, un saludo.",
]
ATTACH_NAMES = [
    ("Quarterly report.pdf", "application", "pdf"),
    ("Übersicht März.pdf", "application", "pdf"),
    ("budget-2027.xlsx", "application",
     "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("Café menü.txt", "text", "plain"),
    ("報告書.pdf", "application", "pdf"),
    ("photo.png", "image", "png"),
    ("notes.txt", "text", "plain"),
    ("Präsentation Entwurf.pdf", "application", "pdf"),
]

# (folder path, share of the messages in per mille, kind)
FOLDERS = [
    ("Inbox", 420, "in"),
    ("Inbox/Projects", 80, "in"),
    ("Inbox/Projects/Q3 Review", 40, "in"),
    ("Inbox/Newsletters", 60, "news"),
    ("Sent Items", 150, "sent"),
    ("Drafts", 15, "draft"),
    ("Deleted Items", 50, "in"),
    ("Junk", 30, "junk"),
    ("Geschäftlich", 60, "in"),
    ("Família", 40, "in"),
    ("Отчёты", 35, "in"),
    ("旅行", 20, "in"),
]


def png(rng, w, h):
    """A valid PNG of w x h pixels in a few colours."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    c1 = bytes(rng.randrange(256) for _ in range(3))
    c2 = bytes(rng.randrange(256) for _ in range(3))
    rows = b"".join(b"\0" + b"".join(c1 if (x // 8 + y // 8) % 2 else c2 for x in range(w))
                    for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def blob(rng, maintype, subtype, size):
    """Attachment bytes of about size bytes that look like their type."""
    if subtype == "png":
        side = 16
        while side * side * 3 < size and side < 512:
            side *= 2
        return png(rng, side, side)
    if maintype == "text":
        out, n = [], 0
        while n < size:
            line = " ".join(rng.choice(WORDS) for _ in range(12)) + "\r\n"
            out.append(line)
            n += len(line)
        return "".join(out)
    head = b"%PDF-1.7\n" if subtype == "pdf" else b"PK\x03\x04"
    return head + rng.randbytes(max(0, size - len(head)))


def paragraph(rng, sentences):
    out = []
    for _ in range(sentences):
        s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))
        out.append(s[0].upper() + s[1:] + ".")
    return " ".join(out)


def body_text(rng, name, intl):
    paras = [paragraph(rng, rng.randint(2, 5)) for _ in range(rng.randint(1, 4))]
    if intl:
        paras.append(rng.choice(INTL_LINES))
    first = name.split()[0] if name else "all"
    return "Hi %s,\n\n%s\n\nBest regards,\n%s\n" % (first, "\n\n".join(paras), ME[0])


def html_of(text, extra=""):
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    paras = "".join("<p>%s</p>\n" % p.replace("\n", "<br>") for p in esc.split("\n\n"))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n"
            "<body style=\"font-family: Calibri, sans-serif\">\n%s%s</body></html>\n" % (paras, extra))


def addr(person):
    name, mail = person
    local, domain = mail.split("@")
    return Address(name, local, domain)


class Generator:
    def __init__(self, seed, count):
        self.rng = random.Random(seed)
        random.seed(seed)            # the email package's MIME boundaries
        self.count = count
        self.n = 0
        self.msgids = []             # earlier Message-IDs, for replies

    def date(self):
        t = END - datetime.timedelta(seconds=self.rng.randrange(SPAN_DAYS * 86400))
        tz = datetime.timezone(datetime.timedelta(hours=self.rng.choice([-5, 0, 1, 2, 9])))
        return t.astimezone(tz)

    def subject(self, kind):
        r = self.rng
        if kind == "junk":
            return r.choice(JUNK_SUBJECTS)
        if kind == "news":
            return "%s: %s #%d" % (r.choice(["Weekly digest", "Newsletter", "Les nouvelles"]),
                                   r.choice(TOPICS), r.randint(1, 99))
        if r.random() < 0.2:
            return r.choice(INTL_SUBJECTS)
        return r.choice(SUBJECTS).format(t=r.choice(TOPICS))

    def message(self, kind):
        r = self.rng
        self.n += 1
        m = EmailMessage(policy=email.policy.SMTP)
        if kind == "sent" or kind == "draft":
            sender = ME
            to = r.sample(PEOPLE, r.randint(1, 3))
        else:
            sender = r.choice({"news": LISTS, "junk": SPAMMERS}.get(kind, PEOPLE))
            to = [ME]
        m["From"] = addr(sender)
        m["To"] = [addr(p) for p in to]
        if kind == "in" and r.random() < 0.3:
            m["Cc"] = [addr(p) for p in r.sample(PEOPLE, r.randint(1, 2))]
        subj = self.subject(kind)
        m["Subject"] = subj
        m["Date"] = email.utils.format_datetime(self.date())
        msgid = "<%d.%08x@%s>" % (self.n, r.getrandbits(32),
                                  sender[1].split("@")[1])
        m["Message-ID"] = msgid
        if subj.lower().startswith("re:") and self.msgids:
            parent = r.choice(self.msgids[-50:])
            m["In-Reply-To"] = parent
            m["References"] = parent
        if kind == "news":
            m["List-Unsubscribe"] = "<mailto:unsubscribe@%s>" % sender[1].split("@")[1]
        if kind == "draft":
            m["X-Unsent"] = "1"
        if r.random() < 0.05:
            m["Importance"] = "high"
        self.msgids.append(msgid)

        text = body_text(r, to[0][0] if kind in ("sent", "draft") else sender[0],
                         r.random() < 0.2)
        shape = r.random()
        if kind in ("news", "junk") or shape < 0.35:
            # HTML with a plain alternative; a newsletter has inline images.
            m.set_content(text)
            if kind == "news" or shape < 0.08:
                cids = ["<img%d.%d@example.com>" % (self.n, k) for k in range(r.randint(1, 2))]
                imgs = "".join('<p><img src="cid:%s" alt="picture %d"></p>\n' % (c[1:-1], k)
                               for k, c in enumerate(cids))
                m.add_alternative(html_of(text, imgs), subtype="html")
                alt_html = m.get_payload()[1]
                for k, c in enumerate(cids):
                    alt_html.add_related(png(r, 32 << (k % 2), 32), "image", "png", cid=c,
                                         filename="image%03d.png" % k, disposition="inline")
            else:
                m.add_alternative(html_of(text), subtype="html")
        else:
            m.set_content(text)
        if kind not in ("news", "junk"):
            roll = r.random()
            if roll < 0.22:
                for _ in range(1 if r.random() < 0.8 else 2):
                    name, maintype, subtype = r.choice(ATTACH_NAMES)
                    # One attachment in eight is over 64 KB.
                    size = r.randint(70000, 300000) if r.random() < 0.125 else r.randint(800, 40000)
                    data = blob(r, maintype, subtype, size)
                    if maintype == "text":
                        m.add_attachment(data, subtype=subtype, filename=name)
                    else:
                        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
            elif roll < 0.26 and self.n > 1:
                inner = self.inner()
                m.add_attachment(inner)
        return m

    def inner(self):
        """A short message forwarded as an attachment (message/rfc822)."""
        r = self.rng
        m = EmailMessage(policy=email.policy.SMTP)
        sender = r.choice(PEOPLE)
        m["From"] = addr(sender)
        m["To"] = addr(ME)
        m["Subject"] = r.choice(INTL_SUBJECTS + [t.capitalize() for t in TOPICS])
        m["Date"] = email.utils.format_datetime(self.date())
        m["Message-ID"] = "<fwd.%d.%08x@example.com>" % (self.n, r.getrandbits(32))
        m.set_content(body_text(r, ME[0], True))
        if r.random() < 0.5:
            m.add_attachment(png(r, 16, 16), maintype="image", subtype="png",
                             filename="Skizze ä.png")
        return m


def main(argv):
    ap = argparse.ArgumentParser(description="Write a sample mailbox as .eml files.")
    ap.add_argument("--count", type=int, default=3000, help="messages (default 3000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", default="sample-mailbox", help="folder to fill")
    a = ap.parse_args(argv)
    if a.count < 0:
        ap.error("--count must be >= 0")
    g = Generator(a.seed, a.count)
    # Share the messages out per mille; Inbox takes what rounding leaves.
    counts = [a.count * share // 1000 for _, share, _ in FOLDERS]
    counts[0] += a.count - sum(counts)
    total_bytes = 0
    for (path, _, kind), n in zip(FOLDERS, counts):
        d = os.path.join(a.out, *path.split("/"))
        os.makedirs(d, exist_ok=True)
        for _ in range(n):
            data = g.message(kind).as_bytes()
            with open(os.path.join(d, "%06d.eml" % g.n), "wb") as f:
                f.write(data)
            total_bytes += len(data)
    print("gen-mailbox: %d messages in %d folders, %.1f MB, in %s"
          % (a.count, len(FOLDERS), total_bytes / 1e6, a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
