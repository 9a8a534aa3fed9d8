/*
 * test_href.c: href resolution and normalisation (RFC 3986 5.2, 6.2.2) and
 * the "inside the account's collections" test, table-driven.
 * Invariant: every normalised output is checked to be a fixpoint.
 */
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
    return test_done();
}
