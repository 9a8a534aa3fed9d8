/*
 * mapisvc.c: merging mapidav's entries into MAPISVC.INF text and removing
 * them (mapisvc.h has the contract).
 *
 * The file is read as lines, each kept with its own line end. A section runs
 * from its header to the next header; the comment and blank lines at the end
 * of one of our sections belong to what follows (a comment above a header is
 * that section's), so they are kept. Merge: our [Services] line is replaced
 * where it is (else added after the last entry of [Services]), each of our
 * sections is replaced where it is (else appended after a blank line);
 * duplicates of ours are dropped. Remove: our line and sections go, with the
 * blank line a merge put before an appended section.
 * Never: touch a line of another section or service; trust the file's
 * content (any bytes, no line end, NULs are carried through).
 */
#include <stdlib.h>
#include <string.h>

#include "storage/error.h"
#include "storage/strutil.h"
#include "tools/mapisvc.h"

/* mapidav's provider UID as MAPIUID bytes in hex: the same value as
 * MD_PROVIDER_UID (provider/entryid.c), which the provider gives in
 * PR_MDB_PROVIDER; the tool does not link the Windows-only provider. */
#define MAPISVC_MDB_PROVIDER "6970616d61640076800073746f726521"

/* The providers of the service: one section each (the transport joins
 * here when it is done). */
static const char *const provider_sections[] = { "mapidav_store" };
#define N_PROVIDERS (sizeof provider_sections / sizeof provider_sections[0])

typedef struct line {
    const char *p;     /* start of the line in the input */
    size_t len;        /* bytes with the line end */
    size_t text;       /* bytes without the line end */
} line;

typedef enum { L_BLANK, L_COMMENT, L_HEADER, L_KEY } line_kind;

typedef struct inf {
    line *lines;       /* malloc'd */
    size_t n, cap;
    const char *eol;   /* "\r\n" or "\n": the file's first line end */
} inf;

typedef struct buf {
    char *p;           /* malloc'd, NUL-terminated */
    size_t len, cap;
} buf;

static int buf_add(buf *b, const char *s, size_t n)
{
    return st_append(&b->p, &b->len, &b->cap, s, n);
}

static int buf_str(buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* [s, e) without spaces at either end. */
static void trim(const char **s, const char **e)
{
    while (*s < *e && is_space(**s))
        (*s)++;
    while (*e > *s && is_space((*e)[-1]))
        (*e)--;
}

static int same_name(const char *s, size_t n, const char *name)
{
    size_t m = strlen(name);
    if (n != m)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char a = s[i], b = name[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

/* The kind of l; *name and *name_len: a header's name or a key, trimmed. */
static line_kind classify(const line *l, const char **name, size_t *name_len)
{
    const char *s = l->p, *e = l->p + l->text;
    trim(&s, &e);
    *name = s;
    *name_len = 0;
    if (s == e)
        return L_BLANK;
    if (*s == ';')
        return L_COMMENT;
    if (*s == '[') {
        const char *close = memchr(s, ']', (size_t)(e - s));
        if (close) {
            const char *ns = s + 1, *ne = close;
            trim(&ns, &ne);
            *name = ns;
            *name_len = (size_t)(ne - ns);
            return L_HEADER;
        }
    }
    const char *eq = memchr(s, '=', (size_t)(e - s));
    const char *ke = eq ? eq : e;
    trim(&s, &ke);
    *name = s;
    *name_len = (size_t)(ke - s);
    return L_KEY;
}

static int is_header(const line *l, const char *name)
{
    const char *n;
    size_t len;
    return classify(l, &n, &len) == L_HEADER && (!name || same_name(n, len, name));
}

static line_kind kind_of(const line *l)
{
    const char *n;
    size_t len;
    return classify(l, &n, &len);
}

static int split(inf *f, const char *in, size_t in_len)
{
    size_t at = 0;
    memset(f, 0, sizeof *f);
    f->eol = "\r\n";
    while (at < in_len) {
        const char *nl = memchr(in + at, '\n', in_len - at);
        size_t end = nl ? (size_t)(nl - in) + 1 : in_len;
        line *slot = st_grow(f->lines, &f->cap, f->n, sizeof *f->lines, 64);
        if (!slot)
            return -1;
        f->lines = slot;
        line *l = &f->lines[f->n++];
        l->p = in + at;
        l->len = end - at;
        l->text = l->len;
        if (nl) {
            l->text--;
            if (l->text && l->p[l->text - 1] == '\r')
                l->text--;
            if (f->n == 1)
                f->eol = l->text + 1 < l->len ? "\r\n" : "\n";
        }
        at = end;
    }
    return 0;
}

/* The end (exclusive) of the section whose header is line h: the next
 * header, less the blank and comment lines just before it. */
static size_t section_end(const inf *f, size_t h)
{
    size_t e = h + 1;
    while (e < f->n && kind_of(&f->lines[e]) != L_HEADER)
        e++;
    while (e > h + 1 && (kind_of(&f->lines[e - 1]) == L_BLANK
                         || kind_of(&f->lines[e - 1]) == L_COMMENT))
        e--;
    return e;
}

static int add_line(buf *b, const inf *f, const char *a, const char *c)
{
    if (buf_str(b, a) != 0 || (c && buf_str(b, c) != 0))
        return -1;
    return buf_str(b, f->eol);
}

/* Our [Services] entry. */
static int write_services_line(buf *b, const inf *f)
{
    return add_line(b, f, MAPISVC_SERVICE "=mapidav (offline WebDAV, CalDAV, CardDAV)", NULL);
}

/* Section i: 0 the service, 1.. the providers. */
static int write_section(buf *b, const inf *f, size_t i, const char *dll)
{
    int rc = 0;
    if (i == 0) {
        rc |= add_line(b, f, "[" MAPISVC_SERVICE "]", NULL);
        rc |= add_line(b, f, "PR_DISPLAY_NAME=mapidav", NULL);
        rc |= buf_str(b, "Providers=");
        for (size_t k = 0; k < N_PROVIDERS; k++)
            rc |= buf_str(b, k ? ", " : "") | buf_str(b, provider_sections[k]);
        rc |= buf_str(b, f->eol);
        rc |= add_line(b, f, "PR_SERVICE_DLL_NAME=", dll);
        rc |= add_line(b, f, "PR_SERVICE_SUPPORT_FILES=", dll);
        rc |= add_line(b, f, "PR_SERVICE_ENTRY_NAME=MSGServiceEntry", NULL);
        rc |= add_line(b, f, "PR_RESOURCE_FLAGS=SERVICE_NO_PRIMARY_IDENTITY", NULL);
        return rc ? -1 : 0;
    }
    /* The store provider. 34140102 is PR_MDB_PROVIDER (PT_BINARY 0x3414)
     * given as a raw tag, the way MAPISVC.INF gives properties without a
     * name MAPI knows. */
    rc |= buf_str(b, "[") | buf_str(b, provider_sections[i - 1]) | add_line(b, f, "]", NULL);
    rc |= add_line(b, f, "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER", NULL);
    rc |= add_line(b, f, "PR_PROVIDER_DLL_NAME=", dll);
    rc |= add_line(b, f, "PR_PROVIDER_DISPLAY=mapidav offline store", NULL);
    rc |= add_line(b, f, "PR_DISPLAY_NAME=mapidav", NULL);
    rc |= add_line(b, f, "34140102=" MAPISVC_MDB_PROVIDER, NULL);
    return rc ? -1 : 0;
}

static const char *section_name(size_t i)
{
    return i == 0 ? MAPISVC_SERVICE : provider_sections[i - 1];
}

/* The work of merge (dll non-NULL) and remove (dll NULL). */
static int rewrite(char **out, size_t *out_len, const char *in, size_t in_len,
    const char *dll)
{
    inf f;
    buf b = { 0 };
    int rc = -1;
    int written[1 + N_PROVIDERS] = { 0 };
    int services_line_done = 0;
    size_t services_at = (size_t)-1;   /* line after [Services]' last entry */

    *out = NULL;
    *out_len = 0;
    if (split(&f, in, in_len) != 0)
        goto cleanup;
    /* Where a missing [Services] line would go. */
    for (size_t i = 0; i < f.n && services_at == (size_t)-1; i++) {
        if (!is_header(&f.lines[i], "Services"))
            continue;
        services_at = i + 1;
        for (size_t k = i + 1; k < section_end(&f, i); k++)
            if (kind_of(&f.lines[k]) != L_BLANK)
                services_at = k + 1;
    }
    int in_services = 0;
    for (size_t i = 0; i < f.n; i++) {
        const line *l = &f.lines[i];
        const char *name;
        size_t name_len;
        line_kind k = classify(l, &name, &name_len);
        if (dll && i == services_at && !services_line_done) {
            if (write_services_line(&b, &f) != 0)
                goto cleanup;
            services_line_done = 1;
        }
        if (k == L_HEADER) {
            in_services = same_name(name, name_len, "Services");
            size_t s;
            for (s = 0; s < 1 + N_PROVIDERS; s++)
                if (same_name(name, name_len, section_name(s)))
                    break;
            if (s < 1 + N_PROVIDERS) {
                /* One of ours: replaced (first time, merging) or dropped. */
                size_t end = section_end(&f, i);
                if (dll && !written[s]) {
                    if (write_section(&b, &f, s, dll) != 0)
                        goto cleanup;
                    written[s] = 1;
                } else if (i > 0 && b.len && kind_of(&f.lines[i - 1]) == L_BLANK) {
                    /* drop the blank line a merge put before it */
                    size_t prev = f.lines[i - 1].len;
                    if (b.len >= prev && memcmp(b.p + b.len - prev, f.lines[i - 1].p, prev) == 0)
                        b.len -= prev;
                }
                i = end - 1;
                continue;
            }
        } else if (k == L_KEY && in_services && same_name(name, name_len, MAPISVC_SERVICE)) {
            if (dll && !services_line_done && write_services_line(&b, &f) != 0)
                goto cleanup;
            services_line_done = 1;
            continue;
        }
        if (buf_add(&b, l->p, l->len) != 0)
            goto cleanup;
    }
    if (dll) {
        if (b.len && b.p[b.len - 1] != '\n' && buf_str(&b, f.eol) != 0)
            goto cleanup;   /* the last line had no line end */
        if (!services_line_done) {
            if (services_at == f.n) {
                if (write_services_line(&b, &f) != 0)
                    goto cleanup;
            } else if ((b.len && buf_str(&b, f.eol) != 0) || add_line(&b, &f, "[Services]", NULL)
                       || write_services_line(&b, &f) != 0) {
                goto cleanup;
            }
        }
        for (size_t s = 0; s < 1 + N_PROVIDERS; s++) {
            if (written[s])
                continue;
            if ((b.len && buf_str(&b, f.eol) != 0) || write_section(&b, &f, s, dll) != 0)
                goto cleanup;
        }
    }
    if (!b.p && buf_add(&b, "", 0) != 0)
        goto cleanup;
    *out = b.p;
    *out_len = b.len;
    b.p = NULL;
    rc = 0;
cleanup:
    if (rc)
        st_error_set("out of memory");
    free(b.p);
    free(f.lines);
    return rc;
}

int mapisvc_merge(char **out, size_t *out_len, const char *in, size_t in_len,
    const char *dll_name)
{
    return rewrite(out, out_len, in, in_len, dll_name);
}

int mapisvc_remove(char **out, size_t *out_len, const char *in, size_t in_len)
{
    return rewrite(out, out_len, in, in_len, NULL);
}

int mapisvc_is_registered(const char *in, size_t in_len)
{
    inf f;
    int services = 0, section = 0, in_services = 0;

    if (split(&f, in, in_len) != 0) {
        free(f.lines);
        return 0;
    }
    for (size_t i = 0; i < f.n; i++) {
        const char *name;
        size_t len;
        line_kind k = classify(&f.lines[i], &name, &len);
        if (k == L_HEADER) {
            in_services = same_name(name, len, "Services");
            section |= same_name(name, len, MAPISVC_SERVICE);
        } else if (k == L_KEY && in_services && same_name(name, len, MAPISVC_SERVICE)) {
            services = 1;
        }
    }
    free(f.lines);
    return services && section;
}

int mapisvc_dll_name(char **out, const char *dll_path)
{
    *out = NULL;
    const char *dot = strchr(dll_path, '.');
    if (!dot || strchr(dot + 1, '.'))
        return st_error_set("%s: MAPI reads the DLL's name up to its first '.': the path "
            "must have exactly one, before the extension", dll_path), -1;
    for (const char *p = dll_path; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == ';')
            return st_error_set("%s: MAPISVC.INF is read in the ANSI code page: install "
                "mapidav in a folder whose path is plain ASCII (no ';')", dll_path), -1;
    size_t stem = (size_t)(dot - dll_path);
    if (stem < 2 || memcmp(dot - 2, "32", 2) != 0)
        return st_error_set("%s: MAPI appends \"32\" to the name it reads, so the DLL's "
            "name must end in 32 (mapidav32.dll)", dll_path), -1;
    char *s = malloc(strlen(dll_path) - 1);
    if (!s)
        return st_error_set("out of memory"), -1;
    memcpy(s, dll_path, stem - 2);
    strcpy(s + stem - 2, dot);
    *out = s;
    return 0;
}
