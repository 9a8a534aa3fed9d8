/*
 * mime_addr.c: address lists (RFC 5322 3.4, with the obsolete syntax of
 * 4.4 and what mailers really write) -> display name + addr-spec pairs.
 *
 * One pass over the value: quoted strings, comments (nested), angle
 * addresses, group syntax, commas. Invariant: linear time (the look-ahead
 * for "Doe, John <j@x>" stops at the next comma and is done at most once
 * per comma). Never: fail on syntax; only memory errors return -1.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert/mime_int.h"
#include "storage/error.h"
#include "storage/strutil.h"

typedef struct sbuf {
    char *p;     /* bytes, NUL-terminated */
    size_t n;    /* used */
    size_t cap;  /* allocated */
} sbuf;

static int sb_add(sbuf *b, const char *s, size_t len)
{
    if (st_reserve(&b->p, &b->cap, b->n + len + 1, 32) < 0)
        return -1;
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
    return 0;
}

static int sb_addc(sbuf *b, char c)
{
    return sb_add(b, &c, 1);
}

/* Adds one space unless the buffer is empty or ends in one. */
static int sb_space(sbuf *b)
{
    if (b->n == 0 || b->p[b->n - 1] == ' ')
        return 0;
    return sb_addc(b, ' ');
}

static int wsp(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && wsp((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && wsp((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

typedef struct item {
    sbuf phrase;   /* words and quoted strings, raw */
    sbuf angle;    /* inside <...> */
    sbuf comment;  /* comment text */
    int has_angle; /* an angle address was seen */
} item;

typedef struct list {
    cv_mime_addr *a; /* n entries */
    size_t n;
    size_t cap;
} list;

static int push(list *l, char *name, char *addr)
{
    if (!*name && !*addr) {
        free(name);
        free(addr);
        return 0;
    }
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        cv_mime_addr *na = realloc(l->a, nc * sizeof *na);
        if (!na) {
            free(name);
            free(addr);
            st_error_set("out of memory");
            return -1;
        }
        l->a = na;
        l->cap = nc;
    }
    l->a[l->n].name = name;
    l->a[l->n].addr = addr;
    l->n++;
    return 0;
}

/* A display name: encoded words decoded, outer single quotes (Outlook's
 * 'john@x') and white space dropped. */
static int make_name(char **out, const char *s, size_t len)
{
    char *dec = NULL;

    trim(&s, &len);
    if (len >= 2 && s[0] == '\'' && s[len - 1] == '\'') {
        s++;
        len -= 2;
    }
    if (cv_mime__decode_text(&dec, s, len) != 0)
        return -1;
    size_t dl = strlen(dec);
    const char *d = dec;
    trim(&d, &dl);
    memmove(dec, d, dl);   /* trimmed in place: no second copy */
    dec[dl] = 0;
    *out = dec;
    return 0;
}

/* An addr-spec from angle contents: route and "mailto:" dropped, spaces out. */
static char *make_addr(const char *s, size_t len)
{
    trim(&s, &len);
    if (len > 0 && s[0] == '@') { /* obsolete route "@a,@b:user@host" */
        const char *colon = memchr(s, ':', len);
        if (colon) {
            len -= (size_t)(colon + 1 - s);
            s = colon + 1;
        }
    }
    if (len >= 7 && strncasecmp(s, "mailto:", 7) == 0) {
        s += 7;
        len -= 7;
    }
    char *d = malloc(len + 1);
    size_t n = 0;
    if (!d) {
        st_error_set("out of memory");
        return NULL;
    }
    int q = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            q = !q;
        if (q || (!wsp((unsigned char)s[i]) && s[i] != '<' && s[i] != '>'))
            d[n++] = s[i];
    }
    d[n] = 0;
    /* a trailing dot or quote left by broken mailers */
    while (n > 0 && (d[n - 1] == '.' || d[n - 1] == '\''))
        d[--n] = 0;
    return d;
}

static int emit(list *l, item *it)
{
    char *name = NULL, *addr = NULL;
    const char *ph = it->phrase.p ? it->phrase.p : "";
    size_t pl = it->phrase.n;

    if (it->has_angle) {
        addr = make_addr(it->angle.p ? it->angle.p : "", it->angle.n);
        if (!addr)
            goto oom;
        trim(&ph, &pl);
        if (pl == 0 && it->comment.n > 0) {
            ph = it->comment.p;
            pl = it->comment.n;
        }
        if (make_name(&name, ph, pl) != 0)
            goto oom;
    } else {
        /* No angle brackets: the last word holding '@' is the address. */
        trim(&ph, &pl);
        size_t at_s = pl, at_e = pl;
        for (size_t k = 0; k < pl;) {
            while (k < pl && ph[k] == ' ')
                k++;
            size_t ws = k;
            while (k < pl && ph[k] != ' ') {
                if (ph[k] == '"') { /* a quoted local part is one word */
                    k++;
                    while (k < pl && ph[k] != '"')
                        k++;
                }
                if (k < pl)
                    k++;
            }
            if (k > ws && memchr(ph + ws, '@', k - ws)) {
                at_s = ws;
                at_e = k;
            }
        }
        if (at_s < pl) {
            addr = make_addr(ph + at_s, at_e - at_s);
            sbuf rest = { 0 };
            if (!addr || sb_add(&rest, ph, at_s) != 0 || sb_add(&rest, " ", 1) != 0
                || sb_add(&rest, ph + at_e, pl - at_e) != 0) {
                free(rest.p);
                goto oom;
            }
            const char *r = rest.p;
            size_t rl = rest.n;
            trim(&r, &rl);
            if (rl == 0 && it->comment.n > 0) {
                r = it->comment.p;
                rl = it->comment.n;
            }
            int rc = make_name(&name, r, rl);
            free(rest.p);
            if (rc != 0)
                goto oom;
        } else {
            addr = malloc(1);
            if (!addr)
                goto oom;
            addr[0] = 0;
            if (make_name(&name, ph, pl) != 0)
                goto oom;
        }
    }
    it->phrase.n = it->angle.n = it->comment.n = 0;
    if (it->phrase.p)
        it->phrase.p[0] = 0;
    it->has_angle = 0;
    return push(l, name, addr);
oom:
    free(name);
    free(addr);
    return -1;
}

/* Past a quoted string starting at in[i] == '"'; its content (unescaped)
 * into out when out is not NULL. */
static size_t skip_quoted(const char *in, size_t len, size_t i, sbuf *out, int *rc)
{
    i++;
    while (i < len && in[i] != '"') {
        if (in[i] == '\\' && i + 1 < len)
            i++;
        if (out && sb_addc(out, in[i]) != 0)
            *rc = -1;
        i++;
    }
    return i < len ? i + 1 : len;
}

/* Past a comment starting at in[i] == '('; its text into out. */
static size_t skip_comment(const char *in, size_t len, size_t i, sbuf *out, int *rc)
{
    int depth = 0;

    while (i < len) {
        char c = in[i];
        if (c == '\\' && i + 1 < len) {
            if (out && sb_addc(out, in[i + 1]) != 0)
                *rc = -1;
            i += 2;
            continue;
        }
        if (c == '(') {
            if (depth++ > 0 && out && sb_addc(out, c) != 0)
                *rc = -1;
        } else if (c == ')') {
            if (--depth == 0)
                return i + 1;
            if (out && sb_addc(out, c) != 0)
                *rc = -1;
        } else if (out && sb_addc(out, c) != 0) {
            *rc = -1;
        }
        i++;
    }
    return len;
}

/* Does the rest of this entry (up to the next top-level ',' or ';') hold
 * an angle address? For "Doe, John <j@x>". */
static int angle_ahead(const char *in, size_t len, size_t i)
{
    int rc = 0;
    while (i < len) {
        char c = in[i];
        if (c == '"') {
            i = skip_quoted(in, len, i, NULL, &rc);
            continue;
        }
        if (c == '(') {
            i = skip_comment(in, len, i, NULL, &rc);
            continue;
        }
        if (c == ',' || c == ';' || c == '@')
            return 0;
        if (c == '<')
            return 1;
        i++;
    }
    return 0;
}

int cv_mime__addr_parse(cv_mime_addr **out, size_t *n, const char *in, size_t len)
{
    list l = { 0 };
    item it;
    int rc = 0;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    memset(&it, 0, sizeof it);
    while (i < len && rc == 0) {
        char c = in[i];
        if (c == '"') {
            size_t start = i;
            size_t end = skip_quoted(in, len, i, NULL, &rc);
            if (end < len && in[end] == '@') {
                /* a quoted local part: keep it as written */
                rc |= sb_add(&it.phrase, in + start, end - start);
            } else {
                rc |= sb_space(&it.phrase);
                skip_quoted(in, len, i, &it.phrase, &rc);
            }
            i = end;
        } else if (c == '(') {
            if (it.comment.n)
                rc |= sb_addc(&it.comment, ' ');
            i = skip_comment(in, len, i, &it.comment, &rc);
            rc |= sb_space(&it.phrase);
        } else if (c == '<') {
            i++;
            size_t s = i;
            int q = 0;
            while (i < len && in[i] != '>') {
                if (in[i] == '"')
                    q = !q;
                if (!q && (in[i] == ',' || in[i] == '<') && !it.has_angle && in[s] != '@'
                    && memchr(in + s, '@', i - s) != NULL)
                    break; /* unterminated "<a@b, c@d" */
                i++;
            }
            if (!it.has_angle) {
                rc |= sb_add(&it.angle, in + s, i - s);
                it.has_angle = 1;
            }
            if (i < len && in[i] == '>')
                i++;
        } else if (c == ',' || c == ';') {
            if (c == ',' && !it.has_angle && it.phrase.n > 0
                && !memchr(it.phrase.p, '@', it.phrase.n) && angle_ahead(in, len, i + 1)) {
                rc |= sb_add(&it.phrase, ", ", 2);
                i++;
                while (i < len && wsp((unsigned char)in[i]))
                    i++;
                continue;
            }
            rc |= emit(&l, &it);
            i++;
        } else if (c == ':' && !it.has_angle
                   && !(it.phrase.n > 0 && memchr(it.phrase.p, '@', it.phrase.n))) {
            /* group "name: a, b;" — the members are what counts */
            it.phrase.n = 0;
            if (it.phrase.p)
                it.phrase.p[0] = 0;
            it.comment.n = 0;
            i++;
        } else if (wsp((unsigned char)c)) {
            rc |= sb_space(&it.phrase);
            i++;
        } else if (c == '>') {
            i++; /* stray */
        } else {
            size_t s = i;
            while (i < len && !wsp((unsigned char)in[i]) && in[i] != '"' && in[i] != '('
                   && in[i] != '<' && in[i] != '>' && in[i] != ',' && in[i] != ';'
                   && in[i] != ':')
                i++;
            if (i == s)
                i++;
            else
                rc |= sb_add(&it.phrase, in + s, i - s);
        }
    }
    if (rc == 0)
        rc = emit(&l, &it);
    free(it.phrase.p);
    free(it.angle.p);
    free(it.comment.p);
    if (rc != 0) {
        cv_mime__addr_free(l.a, l.n);
        return -1;
    }
    *out = l.a;
    *n = l.n;
    return 0;
}

void cv_mime__addr_free(cv_mime_addr *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++) {
        free(a[i].name);
        free(a[i].addr);
    }
    free(a);
}
