/*
 * test_href.c: href resolution and normalisation (RFC 3986 5.2, 6.2.2) and
 * the "inside the account's collections" test, table-driven.
 * Invariant: every normalised output is checked to be a fixpoint, and
 * ds_href_resolve's fast path (hrefs already normal) agrees with the full
 * steps (ds_href__resolve_slow) on every case, on its boundaries and on a
 * seeded random corpus of hrefs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"
#include "davsync/http_error.h"
#include "storage/error.h"
#include "testutil.h"

static const struct {
    const char *base, *ref, *want;   /* want NULL: DS_EPROTO */
} cases[] = {
    { "http://a/b/c/d;p?q", "g", "http://a/b/c/g" },
    { "http://a/b/c/d;p?q", "./g", "http://a/b/c/g" },
    { "http://a/b/c/d;p?q", "g/", "http://a/b/c/g/" },
    { "http://a/b/c/d;p?q", "/g", "http://a/g" },
    { "http://a/b/c/d;p?q", "//g", "http://g/" },
    { "http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y" },
    { "http://a/b/c/d;p?q", "g?y", "http://a/b/c/g?y" },
    { "http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q" },
    { "http://a/b/c/d;p?q", "..", "http://a/b/" },
    { "http://a/b/c/d;p?q", "../..", "http://a/" },
    { "http://a/b/c/d;p?q", "../../../g", "http://a/g" },
    { "http://a/b/c/d;p?q", "/./g", "http://a/g" },
    { "http://a/b/c/d;p?q", "g;x=1/../y", "http://a/b/c/y" },
    { "http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q" },
    { "http://localhost:8080/dav/", "/dav/Inbox/", "http://localhost:8080/dav/Inbox/" },
    { "http://localhost:8080/dav/", "HTTP://LocalHost:8080/dav/x", "http://localhost:8080/dav/x" },
    { "http://localhost:80/dav/", "x", "http://localhost/dav/x" },
    { "https://h:443/dav/", "x", "https://h/dav/x" },
    { "http://h/dav/", "%7e%41%2fb%2F%20", "http://h/dav/~A%2Fb%2F%20" },
    { "http://h/dav/", "a b/\xc3\xa9", "http://h/dav/a%20b/%C3%A9" },
    { "http://h/dav/", "%2e%2e/%2E%2E/x", "http://h/x" },
    { "http://h/dav/", "100%", "http://h/dav/100%25" },
    { "http://h/dav/", "a<b>\"c", "http://h/dav/a%3Cb%3E%22c" },
    { "http://h/dav/", "http://u:p@h/dav/x", NULL },
    { "http://h/dav/", "ftp://h/x", NULL },
    { "http://h/dav/", "file:///etc/passwd", NULL },
    { "http://h/dav/", "x\ny", NULL },
    { "http://h/dav/", "http://h:99999/", NULL },
    { "http://h/dav/", "http://h%41/", NULL },
    { "http://h/dav/", "http:x", NULL },
    { "http://[::1]:8080/dav/", "x", "http://[::1]:8080/dav/x" },
    { "http://h", "", "http://h/" },
};

static const struct {
    const char *url, *prefix;
    int inside;
} inside_cases[] = {
    { "http://h/dav/Inbox/1.eml", "http://h/dav/", 1 },
    { "http://h/dav/", "http://h/dav/", 1 },
    { "http://h/dav", "http://h/dav/", 1 },
    { "http://h/davx/1", "http://h/dav/", 0 },
    { "http://h/dav/1", "http://h/dav", 1 },
    { "http://h/other/1", "http://h/dav/", 0 },
    { "http://g/dav/1", "http://h/dav/", 0 },
    { "https://h/dav/1", "http://h/dav/", 0 },
    { "http://h:81/dav/1", "http://h/dav/", 0 },
    { "http://h/", "http://h/dav/", 0 },
};

/* Hrefs at the edges of the fast path: dot-segments, escapes of every kind,
 * queries, fragments, authorities. */
static const char *const edge_refs[] = {
    "/", "/a", "/a/", "/.", "/..", "/a/.", "/a/..", "/a/./b", "/a/../b", "/a/.b", "/a/..b",
    "/a/b.", "/a/b..", "/.a", "/...", "/a/.../b", "/%2E", "/%2e", "/a/%2E%2E/b", "/%41",
    "/%4a", "/%4A", "/%7E", "/%7e", "/%2F", "/%2f", "/%20", "/%C3%A9", "/%c3%a9", "/%",
    "/%4", "/a%", "/a%2", "/%%41", "/%G1", "/%1G", "/a b", "/a\tb", "/\x7f", "/\xc3\xa9",
    "/a?", "/a?b", "/a?b?c", "/a?b/../c", "/a?%41", "/a?%4a", "/a?%2F", "/a?x y", "/a?.",
    "/a#f", "/a?b#f", "/a#", "/a/..#f", "//h", "//h/", "//h/a/../b", "//H:80/a", "//h:8080/a",
    "http://h", "http://h/", "http://H/A", "HTTP://h:80/a", "https://h:443/a", "https://h:80/a",
    "http://h:/a", "http://h:0/a", "http://[::1]/a", "http://u@h/a", "http://h/a/./b",
    "/a;p=1/b,c", "/a:b@c", "/!$&'()*+,;=", "/a<b>", "/a\"b", "/a{b}", "/a|b", "/a^b`c",
};

/* 1 if fast and full resolution agree (the same code and output). */
static int agree(const char *base, const char *ref)
{
    char *a = NULL, *b = NULL;
    int ra = ds_href_resolve(&a, base, ref), rb = ds_href__resolve_slow(&b, base, ref);
    int same = ra == rb && ((!a && !b) || (a && b && !strcmp(a, b)));
    if (!same)
        ok(0, "fast and full differ on %s against %s: %d %s / %d %s\n", ref, base, ra,
           a ? a : "(null)", rb, b ? b : "(null)");
    free(a);
    free(b);
    return same;
}

static void fast_path_agrees(void)
{
    static const char *const bases[] = { "http://h/dav/", "https://H:443/dav/x?q",
                                         "http://localhost:8080/dav/mail/INBOX/" };
    static const char alphabet[] = "/.%aAfF0279?#:@ ~-_!;=\x01\x7f\xc3";
    uint64_t seed = 0x9e3779b97f4a7c15u;
    size_t bad = 0, n = 0;

    for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
        for (size_t i = 0; i < sizeof(edge_refs) / sizeof(edge_refs[0]); i++, n++)
            bad += !agree(bases[b], edge_refs[i]);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++, n++)
            bad += !agree(bases[b], cases[i].ref);
    }
    /* random hrefs: '/' then up to 11 bytes of the alphabet */
    for (int i = 0; i < 200000; i++, n++) {
        char ref[16];
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        size_t len = 1 + (size_t)(seed % 12);
        uint64_t r = seed;
        ref[0] = '/';
        for (size_t k = 1; k < len; k++) {
            if (k % 8 == 0) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                r = seed;
            }
            ref[k] = alphabet[(r & 0xff) % (sizeof(alphabet) - 1)];
            r >>= 8;
        }
        ref[len] = '\0';
        bad += !agree(bases[i % 3], ref);
    }
    ok(bad == 0, "fast path: %zu of %zu hrefs differ\n", bad, n);
}

int main(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL, *again = NULL;
        int rc = ds_href_resolve(&out, cases[i].base, cases[i].ref);
        if (!cases[i].want) {
            ok(rc == DS_EPROTO && !out, "case %zu (%s): rc %d, got %s\n", i, cases[i].ref, rc,
               out ? out : "(null)");
        } else {
            ok(rc == 0 && out && !strcmp(out, cases[i].want), "case %zu (%s): rc %d (%s), got %s, want %s\n",
               i, cases[i].ref, rc, st_error_last(), out ? out : "(null)", cases[i].want);
            if (out) {
                ok(ds_href_normalize(&again, out) == 0 && again && !strcmp(again, out),
                   "case %zu: not a fixpoint: %s -> %s\n", i, out, again ? again : "(null)");
            }
        }
        free(out);
        free(again);
    }
    for (size_t i = 0; i < sizeof(inside_cases) / sizeof(inside_cases[0]); i++)
        ok(ds_href_is_inside(inside_cases[i].url, inside_cases[i].prefix) == inside_cases[i].inside,
           "inside %zu: %s in %s\n", i, inside_cases[i].url, inside_cases[i].prefix);
    {
        char *u = strdup("http://h/dav/coll?x=1");
        ok(ds_href_add_slash(&u) == 0 && !strcmp(u, "http://h/dav/coll/?x=1"), "add_slash: %s\n", u);
        ok(ds_href_add_slash(&u) == 0 && !strcmp(u, "http://h/dav/coll/?x=1"), "add_slash twice: %s\n", u);
        ok(!strcmp(ds_href_path(u), "/dav/coll/?x=1"), "path: %s\n", ds_href_path(u));
        free(u);
    }
    fast_path_agrees();
    return test_done();
}
