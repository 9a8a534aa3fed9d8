/*
 * test_mime_header.c: table-driven cases for the pieces of the MIME reader:
 * RFC 2047 words (and the broken forms mailers produce), RFC 2231
 * parameters, address lists, dates, subject prefixes, and the codecs fed
 * in every split. Inputs are written here, by hand; no corpus needed.
 */
#include <stdio.h>
#include <string.h>

#include "convert/mime_int.h"
#include "testutil.h"

static const struct {
    const char *in;
    const char *out;
} text_cases[] = {
    { "plain text", "plain text" },
    { "=?UTF-8?B?R3LDvMOfZQ==?=", "Grüße" },
    { "=?iso-8859-1?q?Die_Hasen_und_die_Fr=F6sche?=", "Die Hasen und die Frösche" },
    /* white space between adjacent words goes */
    { "=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab" },
    { "=?UTF-8?Q?a?=\t  =?UTF-8?Q?b?=", "ab" },
    /* but not between a word and text */
    { "x =?UTF-8?Q?a?= y", "x a y" },
    /* a UTF-8 character split across two words */
    { "=?UTF-8?B?w6k=?= =?UTF-8?B?4oK=?= =?UTF-8?B?rA==?=", "é€" },
    { "=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9t=C3=A9?=", "été" },
    /* no spaces around the word */
    { "abc=?UTF-8?Q?d?=ef", "abcdef" },
    /* inside quotes (lenient) */
    { "\"=?UTF-8?Q?J=C3=B6rg?=\"", "\"Jörg\"" },
    /* language suffix, lower-case encoding letter */
    { "=?utf-8*en?b?SGk=?=", "Hi" },
    /* unknown charset: read as windows-1252 */
    { "=?x-unknown-cs?Q?caf=E9?=", "café" },
    /* not a word: left alone */
    { "=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=" },
    { "=?UTF-8?Q?unterminated", "=?UTF-8?Q?unterminated" },
    { "a = b ?= c", "a = b ?= c" },
    /* undeclared 8-bit: UTF-8 kept, else guessed */
    { "Gr\xc3\xbc\xc3\x9f" "e", "Grüße" },
    { "caf\xe9", "café" },
    /* spaces inside Q text (broken mailers) */
    { "=?iso-8859-1?Q?hello world?=", "hello world" },
    /* different charsets next to each other */
    { "=?iso-8859-1?Q?=E9?= =?UTF-8?Q?=C3=A9?=", "éé" },
    /* invalid bytes in a UTF-8 word become U+FFFD */
    { "=?UTF-8?B?/w==?=", "\xef\xbf\xbd" },
    { "", "" },
};

static const struct {
    const char *in;
    const char *type;
    const char *name;
    const char *value;
} param_cases[] = {
    { "text/plain; charset=us-ascii", "text/plain", "charset", "us-ascii" },
    { "TEXT/PLAIN; CHARSET=\"ISO-8859-1\"", "text/plain", "charset", "ISO-8859-1" },
    { "multipart/mixed; boundary=\"=_a b;c\"", "multipart/mixed", "boundary", "=_a b;c" },
    { "attachment; filename*=iso-8859-1''Hasen%20und%20Fr%F6sche.txt", "attachment", "filename",
      "Hasen und Frösche.txt" },
    { "attachment; filename*0*=UTF-8''Gr%C3; filename*1*=%BC%C3%9Fe; filename*2=.txt",
      "attachment", "filename", "Grüße.txt" },
    /* continuations out of order */
    { "attachment; name*1=\"world\"; name*0=\"hello \"", "attachment", "name", "hello world" },
    /* 2231 wins over the plain form */
    { "attachment; filename=\"plain.txt\"; filename*=UTF-8''%E2%82%AC.txt", "attachment",
      "filename", "€.txt" },
    /* 2047 inside a quoted value (not standard, common) */
    { "application/pdf; name=\"=?UTF-8?B?w6kucGRm?=\"", "application/pdf", "name", "é.pdf" },
    /* first duplicate wins */
    { "text/plain; charset=utf-8; charset=latin1", "text/plain", "charset", "utf-8" },
    /* unquoted value with spaces, junk around */
    { "image/png;name=my picture.png ;", "image/png", "name", "my picture.png" },
    { "text/html ; charset = \"utf-8\"", "text/html", "charset", "utf-8" },
    /* escaped quote */
    { "attachment; filename=\"a\\\"b.txt\"", "attachment", "filename", "a\"b.txt" },
    /* raw 8-bit in a filename */
    { "attachment; filename=\"caf\xe9.txt\"", "attachment", "filename", "café.txt" },
    /* a missing value is skipped */
    { "text/plain; format; charset=utf-8", "text/plain", "charset", "utf-8" },
    /* an empty name (found by fuzzing: once an endless loop) */
    { "multipart/report; boundar;=D; boundary=x", "multipart/report", "boundary", "x" },
    { "", "", "charset", NULL },
};

static const struct {
    const char *in;
    size_t n;
    const char *names[3];
    const char *addrs[3];
} addr_cases[] = {
    { "john@example.com", 1, { "" }, { "john@example.com" } },
    { "John Doe <john@example.com>", 1, { "John Doe" }, { "john@example.com" } },
    { "\"Doe, John\" <john@example.com>, jane@example.com", 2, { "Doe, John", "" },
      { "john@example.com", "jane@example.com" } },
    /* unquoted comma in the name */
    { "Doe, John <john@example.com>", 1, { "Doe, John" }, { "john@example.com" } },
    /* comment as name */
    { "john@example.com (John Doe)", 1, { "John Doe" }, { "john@example.com" } },
    /* groups */
    { "undisclosed-recipients:;", 0, { NULL }, { NULL } },
    { "Team: a@x.org, B <b@x.org>;, c@x.org", 3, { "", "B", "" }, { "a@x.org", "b@x.org", "c@x.org" } },
    /* obsolete route */
    { "<@relay1,@relay2:joe@example.com>", 1, { "" }, { "joe@example.com" } },
    /* missing angle brackets */
    { "John Doe john@example.com", 1, { "John Doe" }, { "john@example.com" } },
    /* missing closing bracket */
    { "John <john@example.com", 1, { "John" }, { "john@example.com" } },
    /* encoded name */
    { "=?iso-8859-1?Q?Heinz_M=FCller?= <mueller@example.com>", 1, { "Heinz Müller" },
      { "mueller@example.com" } },
    { "\"=?UTF-8?Q?J=C3=B6rg?=\" <j@example.com>", 1, { "Jörg" }, { "j@example.com" } },
    /* UTF-8 (RFC 6532) and IDN */
    { "Jörg <jörg@bücher.example>", 1, { "Jörg" }, { "jörg@bücher.example" } },
    /* Outlook's quoted address as name */
    { "'john@example.com' <john@example.com>", 1, { "john@example.com" }, { "john@example.com" } },
    /* quoted local part */
    { "\"john doe\"@example.com", 1, { "" }, { "\"john doe\"@example.com" } },
    /* nested comment, escaped quote */
    { "\"A \\\"B\\\" C\" <abc@x.org> (c (nested))", 1, { "A \"B\" C" }, { "abc@x.org" } },
    /* mailto */
    { "<mailto:list@example.com>", 1, { "" }, { "list@example.com" } },
    /* empty entries */
    { ", ,a@b.c,,", 1, { "" }, { "a@b.c" } },
    /* name only */
    { "Just A Name", 1, { "Just A Name" }, { "" } },
    { "", 0, { NULL }, { NULL } },
};

/* Seconds since 1970 of the expected instants. */
static const struct {
    const char *in;
    long long unix_time; /* -1: must fail */
} date_cases[] = {
    { "Fri, 19 May 2000 10:26:12 -0400 (EDT)", 958746372 },
    { "Fri, 19 May 2000 10:26:12 -0400", 958746372 },
    { "19 May 2000 14:26:12 +0000", 958746372 },
    { "Fri,19 May 2000 14:26:12 GMT", 958746372 },
    { "Fri, 19 May 00 10:26:12 EDT", 958746372 },
    { "Fri, 19 May 100 14:26:12 UT", 958746372 },           /* 3-digit year: 1900 + */
    { "Fri, 19 May 2000 14:26:12", 958746372 },             /* no zone: UTC */
    { "Fri, 19 May 2000 14:26:12 Z", 958746372 },
    { "Fri, 19 May 2000 14:26:12 A", 958746372 },           /* military: -0000 */
    { "Fri May 19 14:26:12 2000", 958746372 },              /* asctime */
    { "2000-05-19T14:26:12Z", 958746372 },
    { "2000-05-19 16:26:12 +02:00", 958746372 },
    { "19-May-2000 16:26:12 +0200", 958746372 },
    { "Friday, 19 May 2000 10:26 -0400", 958746360 },       /* no seconds */
    { "Fri, 19 May 2000 02:26:12 PM +0000", 958746372 },
    { "Fri, 19 May 2000 14:26:12 GMT+0200", 958739172 },
    { "Fri, 19 May 2000 14:26:12.345 +0000", 958746372 },
    { "Fri, 19 May 2000 14.26.12 +0000", 958746372 },
    { "Thu, 31 Dec 1998 23:59:60 +0000", 915148799 },       /* leap second */
    { "Mon, 1 Jan 1601 00:00:00 +0000", -11644473600LL },
    { "garbage", -1 },
    { "", -1 },
    { "19 2000", -1 },
    { "Fri, 32 May 2000 14:26:12", -1 },
    { "Fri, 19 May 2000 25:26:12", -1 },
};

static const struct {
    const char *in;
    size_t prefix;
} prefix_cases[] = {
    { "RE: hello", 4 }, { "Re: hello", 4 }, { "FW: x", 4 }, { "Fwd: x", 5 },
    { "AW: x", 4 },     { "SV:  x", 5 },    { "hello", 0 }, { "RE:hello", 0 },
    { "Long: x", 0 },   { "10: x", 0 },     { "A B: x", 0 }, { "Ответ: x", 0 },
    { "ΑΠ: x", 6 },     { ": x", 0 },       { "", 0 },
};

static void test_text(void)
{
    for (size_t i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
        char *out = NULL;
        int rc = cv_mime__decode_text(&out, text_cases[i].in, strlen(text_cases[i].in));
        ok(rc == 0 && out && strcmp(out, text_cases[i].out) == 0, "text %u: \"%s\" -> \"%s\"\n",
           (unsigned)i, text_cases[i].in, out ? out : "(null)");
        free(out);
    }
}

static void test_params(void)
{
    for (size_t i = 0; i < sizeof param_cases / sizeof param_cases[0]; i++) {
        cv_mime_ctype ct;
        int rc = cv_mime__ctype_parse(&ct, param_cases[i].in, strlen(param_cases[i].in));
        ok(rc == 0, "param %u: rc %d\n", (unsigned)i, rc);
        if (rc != 0)
            continue;
        ok(strcmp(ct.type, param_cases[i].type) == 0, "param %u: type \"%s\"\n", (unsigned)i, ct.type);
        const char *v = cv_mime__ctype_param(&ct, param_cases[i].name);
        if (param_cases[i].value)
            ok(v && strcmp(v, param_cases[i].value) == 0, "param %u: %s = \"%s\"\n", (unsigned)i,
               param_cases[i].name, v ? v : "(null)");
        else
            ok(v == NULL, "param %u: unexpected %s\n", (unsigned)i, param_cases[i].name);
        cv_mime__ctype_clear(&ct);
    }
}

static void test_addrs(void)
{
    for (size_t i = 0; i < sizeof addr_cases / sizeof addr_cases[0]; i++) {
        cv_mime_addr *a = NULL;
        size_t n = 0;
        int rc = cv_mime__addr_parse(&a, &n, addr_cases[i].in, strlen(addr_cases[i].in));
        ok(rc == 0 && n == addr_cases[i].n, "addr %u: \"%s\": %u entries\n", (unsigned)i,
           addr_cases[i].in, (unsigned)n);
        for (size_t k = 0; rc == 0 && k < n && k < addr_cases[i].n; k++) {
            ok(strcmp(a[k].name, addr_cases[i].names[k]) == 0, "addr %u.%u: name \"%s\"\n",
               (unsigned)i, (unsigned)k, a[k].name);
            ok(strcmp(a[k].addr, addr_cases[i].addrs[k]) == 0, "addr %u.%u: addr \"%s\"\n",
               (unsigned)i, (unsigned)k, a[k].addr);
        }
        cv_mime__addr_free(a, n);
    }
}

static void test_dates(void)
{
    for (size_t i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++) {
        uint64_t ft = 0;
        int rc = cv_mime__date_parse(&ft, date_cases[i].in, strlen(date_cases[i].in));
        if (date_cases[i].unix_time == -1) {
            ok(rc == CV_EPARSE, "date %u: \"%s\" should fail (rc %d)\n", (unsigned)i,
               date_cases[i].in, rc);
            continue;
        }
        long long got = rc == 0 ? (long long)(ft / 10000000ULL) - 11644473600LL : -2;
        ok(rc == 0 && got == date_cases[i].unix_time, "date %u: \"%s\" -> %lld, want %lld\n",
           (unsigned)i, date_cases[i].in, got, date_cases[i].unix_time);
    }
}

static void test_prefix(void)
{
    for (size_t i = 0; i < sizeof prefix_cases / sizeof prefix_cases[0]; i++) {
        size_t got = cv_mime__subject_prefix_len(prefix_cases[i].in);
        ok(got == prefix_cases[i].prefix, "prefix %u: \"%s\" -> %u\n", (unsigned)i,
           prefix_cases[i].in, (unsigned)got);
    }
}

static void test_header_block(void)
{
    static const char block[] = "Subject: one\r\n two\r\n"
                                "X-Bad line without colon\r\n"
                                "To :  a@b.c \r\n"
                                "From: x@y.z\n\tmore\n"
                                "subject: second\r\n";
    cv_mime_header h;
    ok(cv_mime__header_parse(&h, block, sizeof block - 1) == 0, "header parse\n");
    ok(h.n == 4, "got %u fields\n", (unsigned)h.n);
    const cv_mime_field *f = cv_mime__header_get(&h, "SUBJECT");
    ok(f && strcmp(f->value, "one two") == 0, "unfolded subject \"%s\"\n", f ? f->value : "");
    f = cv_mime__header_get_nth(&h, "subject", 1);
    ok(f && strcmp(f->value, "second") == 0, "second subject\n");
    f = cv_mime__header_get(&h, "to");
    ok(f && strcmp(f->value, "a@b.c") == 0 && f->value_len == 5, "obsolete \"To :\"\n");
    f = cv_mime__header_get(&h, "from");
    ok(f && strcmp(f->value, "x@y.z\tmore") == 0, "LF folding \"%s\"\n", f ? f->value : "");
    cv_mime__header_clear(&h);
}

/* The base64 decoder's quantum-at-once fast path against its character-wise
 * loop (what 1-byte calls take: the fast path wants four bytes). */
static void test_b64_fast_path(void)
{
    /* mostly alphabet, some noise, padding and line ends, cut in two anywhere */
    static const char pool[] = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIz+/-_=\r\n \x80*";
    uint32_t seed = 12345;
    unsigned bad = 0;
    for (int round = 0; round < 2000; round++) {
        char in[200];
        size_t len = (size_t)round % sizeof in;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            /* runs of clean alphabet, so the fast path has whole quanta */
            in[i] = (r & 7) ? pool[r % 38] : pool[(r >> 3) % (sizeof pool - 1)];
        }
        size_t cut = len ? (size_t)(seed >> 8) % (len + 1) : 0;
        cv_b64_state s1 = { 0, 0 }, s2 = { 0, 0 };
        uint8_t o1[200], o2[200];
        size_t n1 = cv_mime__b64_decode(&s1, o1, in, cut);
        n1 += cv_mime__b64_decode(&s1, o1 + n1, in + cut, len - cut);
        n1 += cv_mime__b64_flush(&s1, o1 + n1);
        size_t n2 = 0;
        for (size_t i = 0; i < len; i++)
            n2 += cv_mime__b64_decode(&s2, o2 + n2, in + i, 1);
        n2 += cv_mime__b64_flush(&s2, o2 + n2);
        bad += n1 != n2 || memcmp(o1, o2, n1) != 0;
    }
    ok(bad == 0, "b64 fast path agrees with the character-wise decoder (%u differ)\n", bad);
}

/* Decodes in with the incremental decoder, split at every position. */
static void test_codecs(void)
{
    static const char b64[] = "R3L\r\nDvMOfZSB3b3Js\nZA==";
    static const char b64_want[] = "Grüße world";
    for (size_t cut = 0; cut <= sizeof b64 - 1; cut++) {
        cv_b64_state st = { 0, 0 };
        uint8_t out[64];
        size_t n = cv_mime__b64_decode(&st, out, b64, cut);
        n += cv_mime__b64_decode(&st, out + n, b64 + cut, sizeof b64 - 1 - cut);
        n += cv_mime__b64_flush(&st, out + n);
        ok(n == sizeof b64_want - 1 && memcmp(out, b64_want, n) == 0, "b64 split %u\n", (unsigned)cut);
    }
    /* noise, missing padding, concatenated blobs */
    {
        uint8_t *o = NULL;
        size_t n = 0;
        cv_mime__b64_decode_all(&o, &n, "SGVs*bG8=IHdv!cmxk", 18);
        ok(n == 11 && memcmp(o, "Hello world", 11) == 0, "b64 noise: %u \"%.*s\"\n", (unsigned)n,
           (int)n, (char *)o);
        free(o);
        cv_mime__b64_decode_all(&o, &n, "SGk", 3);
        ok(n == 2 && memcmp(o, "Hi", 2) == 0, "b64 no padding\n");
        free(o);
    }
    /* quoted-printable over lines, split anywhere in each line */
    static const struct {
        const char *line;
        int eol;
    } qp_lines[] = { { "caf=C3=A9 =", 1 }, { "suite=3D  ", 1 }, { "bad =ZZ =4", 1 }, { "end=", 0 } };
    static const char qp_want[] = "café suite=\r\nbad =ZZ =4\r\nend";
    for (size_t cut = 0; cut < 12; cut++) {
        cv_qp_state st = { { 0 }, 0, 0 };
        uint8_t out[128];
        size_t n = 0;
        for (size_t l = 0; l < sizeof qp_lines / sizeof qp_lines[0]; l++) {
            const char *s = qp_lines[l].line;
            size_t len = strlen(s), c = cut < len ? cut : len;
            /* the parser cuts lines only at max_line, never inside trailing
             * white space that it strips first; do the same */
            size_t trimmed = len;
            while (qp_lines[l].eol && trimmed > 0 && s[trimmed - 1] == ' ')
                trimmed--;
            if (c > trimmed)
                c = trimmed;
            if (l > 0)
                n += cv_mime__qp_eol(&st, out + n);
            n += cv_mime__qp_decode(&st, out + n, s, c, 0);
            n += cv_mime__qp_decode(&st, out + n, s + c, len - c, qp_lines[l].eol);
        }
        if (st.nhold == 2) { /* what the parser does at the end */
            out[n++] = '=';
            out[n++] = (uint8_t)st.hold[1];
        }
        ok(n == sizeof qp_want - 1 && memcmp(out, qp_want, n) == 0, "qp split %u: \"%.*s\"\n",
           (unsigned)cut, (int)n, (char *)out);
    }
    /* encoders round-trip */
    {
        static const char data[] = "line one\r\nline two with = and \xc3\xa9 and trailing \r\n";
        char *e = NULL;
        size_t el = 0;
        uint8_t *d = NULL;
        size_t dl = 0;
        ok(cv_mime__b64_encode(&e, &el, data, sizeof data - 1, 76) == 0, "b64 encode\n");
        cv_mime__b64_decode_all(&d, &dl, e, el);
        ok(dl == sizeof data - 1 && memcmp(d, data, dl) == 0, "b64 round trip\n");
        free(e);
        free(d);
        ok(cv_mime__qp_encode(&e, &el, data, sizeof data - 1) == 0, "qp encode\n");
        ok(strstr(e, "=3D") && strstr(e, "=C3=A9") && strstr(e, "trailing=20\r\n"),
           "qp encoded \"%s\"\n", e);
        free(e);
        ok(cv_mime__header_encode(&e, "Grüße aus Köln", strlen("Grüße aus Köln")) == 0
               && strncmp(e, "=?UTF-8?B?", 10) == 0, "header encode \"%s\"\n", e);
        char *back = NULL;
        cv_mime__decode_text(&back, e, strlen(e));
        ok(back && strcmp(back, "Grüße aus Köln") == 0, "header round trip \"%s\"\n", back);
        free(back);
        free(e);
    }
}

int main(void)
{
    test_text();
    test_params();
    test_addrs();
    test_dates();
    test_prefix();
    test_header_block();
    test_codecs();
    test_b64_fast_path();
    return test_done();
}
