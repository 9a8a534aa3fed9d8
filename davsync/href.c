/*
 * href.c: resolving and normalising the URL references servers send
 * (RFC 3986 sections 5.2 and 6.2.2), and the "inside this collection" test.
 *
 * Invariant: every string returned is a normalised absolute http(s) URL and a
 * fixpoint of ds_href_normalize. Never: decode an escaped '/' (%2F) or any
 * reserved character (that would change which resource is named), or accept
 * userinfo or control bytes from a server.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"
#include "davsync/http_error.h"
#include "storage/error.h"
#include "storage/strutil.h"

/* A growable string. */
struct sbuf {
    char *p;        /* NUL-terminated while ok */
    size_t len;     /* bytes used, without the NUL */
    size_t cap;     /* bytes allocated */
    int oom;        /* an allocation failed: the content is incomplete */
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (!b->oom && st_append(&b->p, &b->len, &b->cap, s, n) != 0)
        b->oom = 1;
}

static void sb_addc(struct sbuf *b, char c)
{
    sb_add(b, &c, 1);
}

/* The parts of a URI reference (pointers into the string, not terminated). */
struct uref {
    const char *scheme;     /* NULL if none */
    size_t scheme_len;
    const char *auth;       /* NULL if no "//" */
    size_t auth_len;
    const char *path;       /* never NULL; may be empty */
    size_t path_len;
    const char *query;      /* NULL if no '?' */
    size_t query_len;
};

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* 1 if s[0..n) equals the lower-case word w, ignoring ASCII case. */
static int word_is(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != w[i])
            return 0;
    }
    return 1;
}

/* ASCII sets as bit masks (bit c of LO for c < 64, bit c - 64 of HI):
 * one shift per byte instead of a search, on every byte of every href. */
#define UNRESERVED_LO UINT64_C(0x03ff600000000000)     /* - . 0-9 */
#define UNRESERVED_HI UINT64_C(0x47fffffe87fffffe)     /* A-Z _ a-z ~ */
#define PATH_LO UINT64_C(0x2fffffd200000000)           /* ! $ & ' ( ) * + , - . / 0-9 : ; = */
#define PATH_HI UINT64_C(0x47fffffe87ffffff)           /* @ A-Z _ a-z ~ */

static int in_set(int c, uint64_t lo, uint64_t hi)
{
    return c >= 0 && c < 128 && ((c < 64 ? lo >> c : hi >> (c - 64)) & 1);
}

static int is_unreserved(int c)
{
    return in_set(c, UNRESERVED_LO, UNRESERVED_HI);  /* ALPHA DIGIT - . _ ~ */
}

/* Characters that stand for themselves in a path segment (pchar without
 * pct-encoded: unreserved and "!$&'()*+,;=:@"), plus '/'. */
static int is_path_char(int c)
{
    return in_set(c, PATH_LO, PATH_HI);
}

static int is_upper_hex(int c)
{
    return is_digit(c) || (c >= 'A' && c <= 'F');
}

/* 1 if s[0..n), an absolute path (or a query when is_query), is already as
 * norm_escapes and remove_dot_segments would leave it: every byte stands
 * for itself, every escape is upper-case and of a byte that must stay
 * escaped, and no segment is "." or "..". The fast path of
 * ds_href_resolve: most hrefs a server sends are like this. */
static int is_normal(const char *s, size_t n, int is_query)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '.' && is_path_char(c))
            continue;   /* the common case first */
        if (c == '%') {
            if (i + 2 >= n || !is_upper_hex((unsigned char)s[i + 1])
                || !is_upper_hex((unsigned char)s[i + 2])
                || is_unreserved(st_hex_digit((unsigned char)s[i + 1]) * 16
                                 + st_hex_digit((unsigned char)s[i + 2])))
                return 0;
            i += 2;
        } else if (c == '.' && !is_query && s[i - 1] == '/') {
            /* i > 0: a path here starts with '/'; "/." or "/.." as a segment */
            size_t j = i + 1 < n && s[i + 1] == '.' ? i + 2 : i + 1;
            if (j == n || s[j] == '/')
                return 0;
        } else if (!is_path_char(c) && !(is_query && c == '?')) {
            return 0;
        }
    }
    return 1;
}

static void split(const char *s, struct uref *u)
{
    const char *p = s;

    memset(u, 0, sizeof(*u));
    if (is_alpha((unsigned char)*p)) {
        const char *q = p + 1;
        while (is_alpha((unsigned char)*q) || is_digit((unsigned char)*q) || *q == '+'
               || *q == '-' || *q == '.')
            q++;
        if (*q == ':') {
            u->scheme = p;
            u->scheme_len = (size_t)(q - p);
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        u->auth = p;
        while (*p && *p != '/' && *p != '?' && *p != '#')
            p++;
        u->auth_len = (size_t)(p - u->auth);
    }
    u->path = p;
    while (*p && *p != '?' && *p != '#')
        p++;
    u->path_len = (size_t)(p - u->path);
    if (*p == '?') {
        u->query = ++p;
        while (*p && *p != '#')
            p++;
        u->query_len = (size_t)(p - u->query);
    }
}

/* Appends s[0..n) with escapes normalised; is_query also allows '?'. */
static int norm_escapes(struct sbuf *b, const char *s, size_t n, int is_query)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            st_error_set("href has a control character (0x%02x)", c);
            return DS_EPROTO;
        }
        if (c == '%' && i + 2 < n && st_hex_digit((unsigned char)s[i + 1]) >= 0
            && st_hex_digit((unsigned char)s[i + 2]) >= 0) {
            int v = st_hex_digit((unsigned char)s[i + 1]) * 16 + st_hex_digit((unsigned char)s[i + 2]);
            if (is_unreserved(v))
                sb_addc(b, (char)v);
            else {
                char e[3] = { '%', hex[v >> 4], hex[v & 15] };
                sb_add(b, e, 3);
            }
            i += 2;
        } else if (is_path_char(c) || (is_query && c == '?')) {
            sb_addc(b, (char)c);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            sb_add(b, e, 3);
        }
    }
    return 0;
}

/* RFC 3986 5.2.4, in place on a NUL-terminated path: the output never
 * overtakes the input, so one buffer serves both. */
static void remove_dot_segments(char *path)
{
    char *in = path, *out = path;

    while (*in) {
        if (strncmp(in, "../", 3) == 0)
            in += 3;                            /* A */
        else if (strncmp(in, "./", 2) == 0)
            in += 2;                            /* A */
        else if (strncmp(in, "/./", 3) == 0)
            in += 2;                            /* B: "/./" -> "/" */
        else if (strcmp(in, "/.") == 0) {
            in += 1;                            /* B: "/." -> "/" */
            *in = '/';
        } else if (strncmp(in, "/../", 4) == 0 || strcmp(in, "/..") == 0) {
            if (in[3] == '/')
                in += 3;                        /* C: "/../" -> "/" */
            else {
                in += 2;                        /* C: "/.." -> "/" */
                *in = '/';
            }
            while (out > path) {                /* drop the last output segment */
                out--;
                if (*out == '/')
                    break;
            }
        } else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) {
            break;                              /* D */
        } else {
            do                                  /* E: move one segment */
                *out++ = *in++;
            while (*in && *in != '/');
        }
    }
    *out = '\0';
}

/* Appends a normalised authority: lower-case host, default port dropped. */
static int norm_authority(struct sbuf *b, const char *a, size_t n, int https)
{
    size_t host_end = n, i;
    long port = -1;

    for (i = 0; i < n; i++)
        if (a[i] == '@') {
            st_error_set("href with userinfo refused");
            return DS_EPROTO;
        }
    if (n && a[0] == '[') {
        const char *rb = memchr(a, ']', n);
        if (!rb) {
            st_error_set("href has a bad IPv6 host");
            return DS_EPROTO;
        }
        host_end = (size_t)(rb - a) + 1;
        if (host_end < n && a[host_end] != ':') {
            st_error_set("href has a bad host");
            return DS_EPROTO;
        }
    } else {
        const char *colon = memchr(a, ':', n);
        if (colon)
            host_end = (size_t)(colon - a);
    }
    if (host_end == 0) {
        st_error_set("href has an empty host");
        return DS_EPROTO;
    }
    if (host_end < n) {
        size_t j = host_end + 1;
        if (j < n)
            port = 0;
        for (; j < n; j++) {
            if (!is_digit((unsigned char)a[j]) || port > 65535) {
                st_error_set("href has a bad port");
                return DS_EPROTO;
            }
            port = port * 10 + (a[j] - '0');
        }
        if (port > 65535 || port == 0) {
            st_error_set("href has a bad port");
            return DS_EPROTO;
        }
    }
    for (i = 0; i < host_end; i++) {
        unsigned char c = (unsigned char)a[i];
        int okc = is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_'
                  || (a[0] == '[' && (c == '[' || c == ']' || c == ':'));
        if (!okc) {
            st_error_set("href has a character a host cannot have (0x%02x)", c);
            return DS_EPROTO;
        }
    }
    sb_add(b, a, host_end);     /* then lower-cased in place */
    if (!b->oom)
        for (char *h = b->p + b->len - host_end; *h; h++)
            if (*h >= 'A' && *h <= 'Z')
                *h = (char)(*h + 32);
    if (port > 0 && port != (https ? 443 : 80)) {
        char num[8];
        int k = 7;
        num[k] = '\0';
        while (port) {
            num[--k] = (char)('0' + port % 10);
            port /= 10;
        }
        sb_addc(b, ':');
        sb_add(b, num + k, strlen(num + k));
    }
    return 0;
}

/* ds_href_resolve, with or without its fast path (fast 0: test_href's
 * reference for it). */
static int resolve(char **out, const char *base, const char *ref, int fast)
{
    struct uref bu, ru;
    struct sbuf res = { 0 }, path = { 0 }, rpath = { 0 };
    const struct uref *au;  /* where the authority comes from */
    const char *query = NULL;
    size_t query_len = 0;
    int https, rc;

    *out = NULL;
    if (!base || !ref) {
        st_error_set("href: no URL");
        return DS_EPROTO;
    }
    split(base, &bu);
    if (ref == base)
        ru = bu;    /* ds_href_normalize */
    else
        split(ref, &ru);
    if (!bu.scheme || !bu.auth) {
        st_error_set("href base is not an absolute URL");
        return DS_EPROTO;
    }
    if (ru.scheme) {
        bu.scheme = ru.scheme;
        bu.scheme_len = ru.scheme_len;
        if (!ru.auth) {
            st_error_set("href has a scheme but no host");
            return DS_EPROTO;
        }
    }
    if (word_is(bu.scheme, bu.scheme_len, "http"))
        https = 0;
    else if (word_is(bu.scheme, bu.scheme_len, "https"))
        https = 1;
    else {
        st_error_set("href is not http or https");
        return DS_EPROTO;
    }
    au = ru.auth ? &ru : &bu;
    /* room for the usual case at once (the fast path below) */
    if (st_reserve(&res.p, &res.cap, 8 + au->auth_len + ru.path_len + ru.query_len + 2, 0) != 0)
        res.oom = 1;
    sb_add(&res, https ? "https://" : "http://", https ? 8 : 7);
    rc = norm_authority(&res, au->auth, au->auth_len, https);
    if (rc)
        goto cleanup;

    /* Fast path: an absolute path (or URL) already normal is taken as is;
     * it is what the steps below would make of it. */
    if (fast && ru.path_len && ru.path[0] == '/' && is_normal(ru.path, ru.path_len, 0)
        && (!ru.query || is_normal(ru.query, ru.query_len, 1))) {
        sb_add(&res, ru.path, ru.path_len);
        if (ru.query) {
            sb_addc(&res, '?');
            sb_add(&res, ru.query, ru.query_len);
        }
        goto done;
    }

    /* Normalise escapes of both paths first, so "%2e%2e" is a dot-segment. */
    rc = norm_escapes(&rpath, ru.path, ru.path_len, 0);
    if (rc)
        goto cleanup;
    sb_add(&rpath, "", 0);
    if (ru.auth || (rpath.len && rpath.p[0] == '/')) {
        sb_add(&path, rpath.p ? rpath.p : "", rpath.len);
        query = ru.query;
        query_len = ru.query_len;
    } else if (rpath.len == 0) {
        rc = norm_escapes(&path, bu.path, bu.path_len, 0);
        if (rc)
            goto cleanup;
        query = ru.query ? ru.query : bu.query;
        query_len = ru.query ? ru.query_len : bu.query_len;
    } else {
        /* Merge (5.2.3): base path up to its last '/', then the reference. */
        struct sbuf bp = { 0 };
        rc = norm_escapes(&bp, bu.path, bu.path_len, 0);
        if (rc) {
            free(bp.p);
            goto cleanup;
        }
        if (bp.len == 0)
            sb_addc(&path, '/');
        else {
            char *slash = strrchr(bp.p, '/');
            if (slash)
                sb_add(&path, bp.p, (size_t)(slash - bp.p) + 1);
            else
                sb_addc(&path, '/');
        }
        free(bp.p);
        sb_add(&path, rpath.p, rpath.len);
        query = ru.query;
        query_len = ru.query_len;
    }
    sb_add(&path, "", 0);
    if (path.oom) {
        rc = ST_ERROR;
        st_error_set("out of memory");
        goto cleanup;
    }
    remove_dot_segments(path.p);
    if (path.p[0] != '/')
        sb_addc(&res, '/');
    sb_add(&res, path.p, strlen(path.p));
    if (query) {
        sb_addc(&res, '?');
        rc = norm_escapes(&res, query, query_len, 1);
        if (rc)
            goto cleanup;
    }
done:
    if (res.oom) {
        rc = ST_ERROR;
        st_error_set("out of memory");
        goto cleanup;
    }
    *out = res.p;
    res.p = NULL;
    rc = 0;
cleanup:
    free(res.p);
    free(path.p);
    free(rpath.p);
    return rc;
}

int ds_href_resolve(char **out, const char *base, const char *ref)
{
    return resolve(out, base, ref, 1);
}

int ds_href__resolve_slow(char **out, const char *base, const char *ref)
{
    return resolve(out, base, ref, 0);
}

int ds_href_normalize(char **out, const char *url)
{
    return ds_href_resolve(out, url, url);
}

size_t ds_href_origin_len(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    p += 3;
    while (*p && *p != '/' && *p != '?')
        p++;
    return (size_t)(p - url);
}

const char *ds_href_path(const char *url)
{
    const char *p = url + ds_href_origin_len(url);
    return *p == '/' ? p : "/";
}

int ds_href_same_origin(const char *a, const char *b)
{
    size_t la = ds_href_origin_len(a), lb = ds_href_origin_len(b);
    return la && la == lb && memcmp(a, b, la) == 0;
}

int ds_href_is_inside(const char *url, const char *prefix)
{
    const char *up, *pp;
    size_t ul, pl;
    size_t lu = ds_href_origin_len(url), lp = ds_href_origin_len(prefix);

    /* ds_href_same_origin and ds_href_path, each origin found once */
    if (!lu || lu != lp || memcmp(url, prefix, lu) != 0)
        return 0;
    up = url[lu] == '/' ? url + lu : "/";
    pp = prefix[lp] == '/' ? prefix + lp : "/";
    ul = strcspn(up, "?");
    pl = strcspn(pp, "?");
    if (pl && pp[pl - 1] == '/')
        pl--;   /* compare without the collection's slash */
    if (ul < pl || memcmp(up, pp, pl) != 0)
        return 0;
    return ul == pl || up[pl] == '/';
}

int ds_href_add_slash(char **url)
{
    char *u = *url;
    const char *path = u + ds_href_origin_len(u);
    size_t plen = strcspn(path, "?");
    size_t n = strlen(u);
    char *q;

    if (plen && path[plen - 1] == '/')
        return 0;
    q = malloc(n + 2);
    if (!q) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    size_t at = (size_t)(path - u) + plen;
    memcpy(q, u, at);
    q[at] = '/';
    memcpy(q + at + 1, u + at, n - at + 1);
    free(u);
    *url = q;
    return 0;
}
