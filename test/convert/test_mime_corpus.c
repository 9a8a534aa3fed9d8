/*
 * test_mime_corpus.c: every message of the shared corpus (../shared/corpus/
 * mime, $MAPIDAV_CORPUS) converts, whole and fed in small chunks with the
 * same result, and matches the oracles that apply:
 *   - stalwart-mail-parser *.json: subject, From and To addresses of the
 *     top-level message (a small JSON reader below);
 *   - thunderbird mailnews-data *.out: the text chosen as the body is in
 *     PR_BODY or PR_HTML;
 *   - mime4j *_decoded_*.bin: every decoded binary leaf is the data of an
 *     attachment (at any depth); *_decoded_*.txt: every decoded text leaf
 *     is in the body, the HTML or a text attachment (at any depth); every
 *     top-level header field of *.xml is in PR_TRANSPORT_MESSAGE_HEADERS;
 *     *.out (mime4j's own writing of the message) reads as the same
 *     message (subject, body text, attachment bytes);
 *   - hunny-and-zbateson files/: an attachment of a Hunny sample (there
 *     and in stalwart's legacy/) named like one of these files has exactly
 *     its bytes.
 * Skips (exit 77) when the corpus is absent. Never writes to the corpus.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "convert/mime.h"
#include "storage/props_tags.h"
#include "corpus_util.h"
#include "mime_digest.h"
#include "testutil.h"
#include "utf8_check.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- a small JSON reader (enough for the oracles) ---- */

typedef struct jv {
    char t;             /* 'o' object, 'a' array, 's' string, 'n' other */
    char *s;            /* string value (UTF-8) */
    char **keys;        /* object keys, n */
    struct jv **kids;   /* children, n */
    size_t n;
} jv;

static void jv_free(jv *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        if (v->keys)
            free(v->keys[i]);
        jv_free(v->kids[i]);
    }
    free(v->keys);
    free(v->kids);
    free(v->s);
    free(v);
}

static void ws(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t')
        (*p)++;
}

static void put_utf8(char **o, unsigned cp)
{
    if (cp < 0x80) {
        *(*o)++ = (char)cp;
    } else if (cp < 0x800) {
        *(*o)++ = (char)(0xC0 | cp >> 6);
        *(*o)++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *(*o)++ = (char)(0xE0 | cp >> 12);
        *(*o)++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *(*o)++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *(*o)++ = (char)(0xF0 | cp >> 18);
        *(*o)++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *(*o)++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *(*o)++ = (char)(0x80 | (cp & 0x3F));
    }
}

static char *jstring(const char **p)
{
    const char *s = *p + 1;
    size_t cap = 16;
    for (const char *q = s; *q && *q != '"'; q++) {
        if (*q == '\\' && q[1])
            q++;
        cap += 4;
    }
    char *out = malloc(cap + 8), *o = out;
    while (*s && *s != '"') {
        if (*s == '\\' && s[1]) {
            s++;
            char c = *s++;
            switch (c) {
            case 'n': *o++ = '\n'; break;
            case 't': *o++ = '\t'; break;
            case 'r': *o++ = '\r'; break;
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'u': {
                unsigned cp = (unsigned)strtoul((char[5]){ s[0], s[1], s[2], s[3], 0 }, NULL, 16);
                s += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && s[0] == '\\' && s[1] == 'u') {
                    unsigned lo = (unsigned)strtoul((char[5]){ s[2], s[3], s[4], s[5], 0 }, NULL, 16);
                    s += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                put_utf8(&o, cp);
                break;
            }
            default: *o++ = c;
            }
        } else {
            *o++ = *s++;
        }
    }
    *o = 0;
    *p = *s ? s + 1 : s;
    return out;
}

static jv *jparse(const char **p, int depth)
{
    jv *v = calloc(1, sizeof *v);
    ws(p);
    if (depth > 200)
        return v;
    if (**p == '{' || **p == '[') {
        int obj = **p == '{';
        v->t = obj ? 'o' : 'a';
        (*p)++;
        size_t cap = 0;
        for (;;) {
            ws(p);
            if (**p == '}' || **p == ']' || !**p) {
                if (**p)
                    (*p)++;
                break;
            }
            if (**p == ',') {
                (*p)++;
                continue;
            }
            char *key = NULL;
            if (obj) {
                if (**p != '"')
                    break;
                key = jstring(p);
                ws(p);
                if (**p == ':')
                    (*p)++;
            }
            if (v->n == cap) {
                cap = cap ? cap * 2 : 4;
                v->kids = realloc(v->kids, cap * sizeof *v->kids);
                if (obj)
                    v->keys = realloc(v->keys, cap * sizeof *v->keys);
            }
            if (obj)
                v->keys[v->n] = key;
            v->kids[v->n++] = jparse(p, depth + 1);
        }
    } else if (**p == '"') {
        v->t = 's';
        v->s = jstring(p);
    } else {
        v->t = 'n';
        while (**p && **p != ',' && **p != '}' && **p != ']')
            (*p)++;
    }
    return v;
}

static jv *jget(const jv *v, const char *key)
{
    for (size_t i = 0; v && v->t == 'o' && i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return v->kids[i];
    return NULL;
}

static jv *jat(const jv *v, size_t i)
{
    return v && v->t == 'a' && i < v->n ? v->kids[i] : NULL;
}

/* The header value object named name in parts[0].headers, or NULL. */
static jv *stalwart_header(const jv *root, const char *name)
{
    jv *hs = jget(jat(jget(root, "parts"), 0), "headers");
    for (size_t i = 0; hs && i < hs->n; i++) {
        jv *n = jget(hs->kids[i], "name");
        if (n && n->s && strcmp(n->s, name) == 0)
            return jget(hs->kids[i], "value");
    }
    return NULL;
}

/* The addresses of an Address value, in order, as a list. */
static size_t stalwart_addrs(const jv *v, const char **out, size_t max)
{
    jv *a = jget(v, "Address");
    jv *list = jget(a, "List");
    size_t n = 0;
    for (size_t i = 0; list && i < list->n && n < max; i++) {
        jv *ad = jget(list->kids[i], "address");
        out[n++] = ad && ad->s ? ad->s : "";
    }
    jv *groups = jget(a, "Group");
    for (size_t g = 0; groups && g < groups->n; g++) {
        jv *l = jget(groups->kids[g], "addresses");
        for (size_t i = 0; l && i < l->n && n < max; i++) {
            jv *ad = jget(l->kids[i], "address");
            out[n++] = ad && ad->s ? ad->s : "";
        }
    }
    return n;
}

static const char *bag_str(const st_bag *b, uint32_t tag)
{
    const st_value *v = st_bag_get(b, tag);
    return v ? v->v.str : NULL;
}

static size_t rcpts_of(const cv_message *m, uint32_t type, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_recipients && n < max; i++) {
        const st_value *t = st_bag_get(m->recipients[i], PR_RECIPIENT_TYPE);
        if (t && (uint32_t)t->v.l == type) {
            const char *a = bag_str(m->recipients[i], PR_EMAIL_ADDRESS);
            out[n++] = a ? a : "";
        }
    }
    return n;
}

static void check_stalwart(const char *json_path, const cv_message *m)
{
    size_t len = 0;
    char *text = corpus_read_file(json_path, &len);
    if (!text)
        return;
    const char *p = text;
    jv *root = jparse(&p, 0);
    jv *subj = jget(stalwart_header(root, "subject"), "Text");
    if (subj && subj->s) {
        const char *got = bag_str(m->props, PR_SUBJECT);
        ok(got && strcmp(got, subj->s) == 0, "%s: subject \"%s\", oracle \"%s\"\n", json_path,
           got ? got : "(none)", subj->s);
    }
    const char *want[64], *got[64];
    jv *from = stalwart_header(root, "from");
    if (from) {
        size_t n = stalwart_addrs(from, want, 64);
        const char *g = bag_str(m->props, PR_SENT_REPRESENTING_EMAIL_ADDRESS);
        if (n > 0)
            ok((g && strcmp(g, want[0]) == 0) || (!g && !*want[0]), "%s: from \"%s\", oracle \"%s\"\n", json_path,
               g ? g : "(none)", want[0]);
    }
    jv *to = stalwart_header(root, "to");
    if (to) {
        size_t n = stalwart_addrs(to, want, 64);
        size_t gn = rcpts_of(m, MAPI_TO, got, 64);
        ok(n == gn, "%s: %u To addresses, oracle %u\n", json_path, (unsigned)gn, (unsigned)n);
        for (size_t i = 0; i < n && i < gn; i++)
            ok(strcmp(got[i], want[i]) == 0, "%s: To %u \"%s\", oracle \"%s\"\n", json_path,
               (unsigned)i, got[i], want[i]);
    }
    jv_free(root);
    free(text);
}

/* LF line ends, outer white space trimmed, in place. */
static char *normalize(char *s)
{
    size_t n = 0;
    for (size_t i = 0; s[i]; i++)
        if (s[i] != '\r')
            s[n++] = s[i];
    s[n] = 0;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = 0;
    char *b = s;
    while (*b == '\n' || *b == ' ')
        b++;
    return b;
}

static void check_tb_out(const char *out_path, const cv_message *m)
{
    size_t len = 0;
    char *want = corpus_read_file(out_path, &len);
    if (!want)
        return;
    char *w = normalize(want);
    const char *body = bag_str(m->props, PR_BODY);
    const st_value *html = st_bag_get(m->props, PR_HTML);
    char *b = body ? strdup(body) : NULL;
    char *h = NULL;
    if (html) {
        h = malloc(html->v.bin.len + 1);
        memcpy(h, html->v.bin.data, html->v.bin.len);
        h[html->v.bin.len] = 0;
    }
    int found = (b && strstr(normalize(b), w)) || (h && strstr(normalize(h), w));
    ok(found, "%s: expected body text not in PR_BODY/PR_HTML\n", out_path);
    free(b);
    free(h);
    free(want);
}

static int has_attachment_bytes(const cv_message *m, const char *data, size_t len)
{
    for (size_t i = 0; i < m->n_attachments; i++) {
        const st_value *d = st_bag_get(m->attachments[i].props, PR_ATTACH_DATA_BIN);
        if (d && d->v.bin.len == len && (len == 0 || memcmp(d->v.bin.data, data, len) == 0))
            return 1;
        if (m->attachments[i].embedded && has_attachment_bytes(m->attachments[i].embedded, data, len))
            return 1;
    }
    return 0;
}

/* Text for comparing: CRLF and CR as LF, surrounding white space dropped,
 * and Latin-1 bytes as UTF-8 when the input is not UTF-8 (mime4j's decoded
 * leaves are the transfer-decoded bytes in the part's charset; the corpus
 * has only ASCII, UTF-8 and ISO-8859-1 ones). malloc'd. */
static char *norm_text(const char *data, size_t len)
{
    char *in = malloc(len + 1), *out = malloc(len * 2 + 1), *o = out;
    if (!in || !out) {
        free(in);
        free(out);
        return NULL;
    }
    memcpy(in, data, len);
    in[len] = 0;   /* utf8_ok reads the terminator */
    int latin1 = !utf8_ok(in, len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '\r') {
            *o++ = '\n';
            if (i + 1 < len && in[i + 1] == '\n')
                i++;
        } else if (latin1 && c >= 0x80) {
            *o++ = (char)(0xC0 | (c >> 6));
            *o++ = (char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (char)c;
        }
    }
    free(in);
    *o = 0;
    char *b = out;
    while (*b == ' ' || *b == '\t' || *b == '\n')
        b++;
    while (o > b && (o[-1] == ' ' || o[-1] == '\t' || o[-1] == '\n'))
        *--o = 0;
    memmove(out, b, strlen(b) + 1);
    return out;
}

static int has_text_in(const void *hay, size_t len, const char *want)
{
    char *h = norm_text(hay, len);
    int found = h && strstr(h, want) != NULL;
    free(h);
    return found;
}

/* Is want (normalised) the body, HTML or attachment text of m or of a
 * message embedded in it? */
static int has_text_leaf(const cv_message *m, const char *want)
{
    static const uint32_t tags[] = { PR_BODY, PR_HTML };
    for (size_t t = 0; t < 2; t++) {
        const st_value *v = st_bag_get(m->props, tags[t]);
        if (v && PROP_TYPE(v->tag) == PT_UNICODE && has_text_in(v->v.str, strlen(v->v.str), want))
            return 1;
        if (v && PROP_TYPE(v->tag) == PT_BINARY && has_text_in(v->v.bin.data, v->v.bin.len, want))
            return 1;
    }
    for (size_t i = 0; i < m->n_attachments; i++) {
        const st_value *d = st_bag_get(m->attachments[i].props, PR_ATTACH_DATA_BIN);
        if (d && has_text_in(d->v.bin.data, d->v.bin.len, want))
            return 1;
        if (m->attachments[i].embedded && has_text_leaf(m->attachments[i].embedded, want))
            return 1;
    }
    return 0;
}

/* mime4j's decoded leaves: each .bin is an attachment's bytes, each .txt a
 * text the message shows (body, HTML, or a text attachment). Returns the
 * number of leaves checked. */
static int check_mime4j_leaves(const char *dir, const char *base, const cv_message *m)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char prefix[1100];
    int n = 0;
    snprintf(prefix, sizeof prefix, "%s_decoded_", base);
    while (d && (e = readdir(d)) != NULL) {
        int bin = ends_with(e->d_name, ".bin"), txt = ends_with(e->d_name, ".txt");
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || (!bin && !txt))
            continue;
        char path[1024];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *data = corpus_read_file(path, &len);
        if (!data)
            continue;
        n++;
        if (bin) {
            ok(has_attachment_bytes(m, data, len), "%s: no attachment holds these %u bytes\n",
               path, (unsigned)len);
        } else {
            char *want = norm_text(data, len);
            ok(want && has_text_leaf(m, want), "%s: text leaf not in any body or attachment\n",
               path);
            free(want);
        }
        free(data);
    }
    if (d)
        closedir(d);
    return n;
}

static void check_hunny(const char *corpus, const cv_message *m, int *matched)
{
    for (size_t i = 0; i < m->n_attachments; i++) {
        const char *name = bag_str(m->attachments[i].props, PR_ATTACH_LONG_FILENAME);
        char path[1024];
        size_t len = 0;
        if (!name)
            continue;
        snprintf(path, sizeof path, "%s/hunny-and-zbateson/files/%s", corpus, name);
        char *data = corpus_read_file(path, &len);
        if (!data)
            continue;
        const st_value *d = st_bag_get(m->attachments[i].props, PR_ATTACH_DATA_BIN);
        ok(d && d->v.bin.len == len && memcmp(d->v.bin.data, data, len) == 0,
           "%s: attachment bytes differ from the original file\n", path);
        (*matched)++;
        free(data);
    }
}

/* mime4j's <name>.xml: every field of the top-level <header> (XML-escaped,
 * folded as in the input) is in PR_TRANSPORT_MESSAGE_HEADERS. Returns the
 * number of fields checked, -1 without the file. */
static int check_mime4j_header(const char *dir, const char *base, const cv_message *m)
{
    char path[2100];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s.xml", dir, base);
    char *xml = corpus_read_file(path, &len);
    if (!xml)
        return -1;
    const st_value *hv = st_bag_get(m->props, PR_TRANSPORT_MESSAGE_HEADERS);
    char *headers = hv ? norm_text(hv->v.str, strlen(hv->v.str)) : NULL;
    char *end = strstr(xml, "</header>");
    int n = 0;
    for (char *f = strstr(xml, "<field>"); f && end && f < end; f = strstr(f, "<field>")) {
        f += 7;
        f += strspn(f, "\r\n");
        char *e = strstr(f, "</field>");
        if (!e)
            break;
        *e = 0;
        char *o = f;   /* unescape in place */
        for (char *i = f; *i;) {
            static const char *const ent[][2] = { { "&lt;", "<" }, { "&gt;", ">" },
                { "&quot;", "\"" }, { "&apos;", "'" }, { "&amp;", "&" } };
            size_t k = 0;
            for (; k < sizeof ent / sizeof ent[0]; k++)
                if (!strncmp(i, ent[k][0], strlen(ent[k][0])))
                    break;
            if (k < sizeof ent / sizeof ent[0]) {
                *o++ = ent[k][1][0];
                i += strlen(ent[k][0]);
            } else {
                *o++ = *i++;
            }
        }
        *o = 0;
        char *want = norm_text(f, strlen(f));
        ok(headers && want && strstr(headers, want), "%s: field \"%.60s\" not in the transport headers\n",
           path, want ? want : "");
        free(want);
        n++;
        f = e + 1;
    }
    free(headers);
    free(xml);
    return n;
}

/* The same message for a reader: subject, body text (normalised), and
 * attachments with their bytes, embedded messages alike. */
static int same_content(const cv_message *a, const cv_message *b, int depth)
{
    static const uint32_t strs[] = { PR_SUBJECT_W, PR_BODY_W };
    for (size_t i = 0; i < 2; i++) {
        const st_value *x = st_bag_get(a->props, strs[i]), *y = st_bag_get(b->props, strs[i]);
        char *nx = x ? norm_text(x->v.str, strlen(x->v.str)) : NULL;
        char *ny = y ? norm_text(y->v.str, strlen(y->v.str)) : NULL;
        int same = (!nx && !ny) || (nx && ny && !strcmp(nx, ny));
        free(nx);
        free(ny);
        if (!same)
            return 0;
    }
    if (a->n_attachments != b->n_attachments)
        return 0;
    for (size_t i = 0; i < a->n_attachments; i++) {
        const st_value *x = st_bag_get(a->attachments[i].props, PR_ATTACH_DATA_BIN);
        const st_value *y = st_bag_get(b->attachments[i].props, PR_ATTACH_DATA_BIN);
        if (!x != !y || (x && (x->v.bin.len != y->v.bin.len ||
                               (x->v.bin.len && memcmp(x->v.bin.data, y->v.bin.data, x->v.bin.len)))))
            return 0;
        const cv_message *ea = a->attachments[i].embedded, *eb = b->attachments[i].embedded;
        if (!ea != !eb || (ea && depth < 8 && !same_content(ea, eb, depth + 1)))
            return 0;
    }
    return 1;
}

/* mime4j's <name>.out: the message as mime4j writes it back; read again it
 * must be the same message for a reader as the input. -1 without the file,
 * else 1 when it is, 0 when not. */
static int check_mime4j_out(const char *dir, const char *base, const cv_message *want)
{
    /* Two .out files are not the input written back: german-qp.out has its
     * text re-encoded with a space left bare before a line break, which a
     * reader must drop (RFC 2045 6.7 (3)), and malformedHeader-noheader.out
     * lost the whole body. */
    static const char *const not_faithful[] = { "german-qp", "malformedHeader-noheader" };
    for (size_t i = 0; i < sizeof not_faithful / sizeof not_faithful[0]; i++)
        if (!strcmp(base, not_faithful[i]))
            return -1;
    char path[2100];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s.out", dir, base);
    char *data = corpus_read_file(path, &len);
    if (!data)
        return -1;
    cv_message *m = NULL;
    int same = cv_mime_parse(&m, data, len, NULL, NULL) == 0 && m && same_content(m, want, 0);
    cv_message_free(m);
    free(data);
    ok(same, "%s: read again, not the same message as the input\n", path);
    return same;
}

static int n_inputs, n_oracles, n_leaves, n_fields, hunny_matched;

static void run_one(const char *corpus, const char *dir, const char *name)
{
    char path[1024];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *data = corpus_read_file(path, &len);
    if (!data)
        return;
    n_inputs++;
    cv_message *m = NULL;
    cv_mime_warnings w;
    int rc = cv_mime_parse(&m, data, len, NULL, &w);
    ok((rc == 0 || rc == CV_ELIMIT) && m, "%s: rc %d\n", path, rc);
    cv_mime_warnings_clear(&w);
    if (!m) {
        free(data);
        return;
    }
    st_value const *cls = st_bag_get(m->props, PR_MESSAGE_CLASS);
    ok(cls && strncmp(cls->v.str, cls->v.str[0] == 'R' ? "REPORT.IPM" : "IPM.Note", 6) == 0,
       "%s: class\n", path);

    /* chunked: 7-byte and 4096-byte feeds give the same */
    uint64_t h0 = 1469598103934665603ULL;
    mime_digest(m, &h0, 0);
    static const size_t chunks[] = { 7, 4096 };
    for (size_t c = 0; c < 2; c++) {
        cv_mime_parser *p = NULL;
        cv_message *m2 = NULL;
        if (cv_mime_parser_new(&p, NULL) != 0)
            break;
        for (size_t o = 0; o < len; o += chunks[c])
            cv_mime_parser_feed(p, data + o, len - o < chunks[c] ? len - o : chunks[c]);
        cv_mime_parser_finish(p, &m2, NULL);
        cv_mime_parser_free(p);
        uint64_t h1 = 1469598103934665603ULL;
        if (m2)
            mime_digest(m2, &h1, 0);
        ok(m2 && h1 == h0, "%s: chunks of %u differ\n", path, (unsigned)chunks[c]);
        cv_message_free(m2);
    }

    char base[1024];
    snprintf(base, sizeof base, "%s", name);
    char *dot = strrchr(base, '.');
    char oracle[1200];
    if (strstr(dir, "stalwart-mail-parser") && dot) {
        *dot = 0;
        snprintf(oracle, sizeof oracle, "%s/%s.json", dir, base);
        FILE *f = fopen(oracle, "rb");
        if (f) {
            fclose(f);
            n_oracles++;
            check_stalwart(oracle, m);
        }
    }
    if (strstr(dir, "mailnews-data")) {
        snprintf(oracle, sizeof oracle, "%s/%s.out", dir, name);
        FILE *f = fopen(oracle, "rb");
        if (f) {
            fclose(f);
            n_oracles++;
            check_tb_out(oracle, m);
        }
    }
    if (strstr(dir, "mime4j") && dot) {
        *dot = 0;
        n_oracles++;
        n_leaves += check_mime4j_leaves(dir, base, m);
        int nf = check_mime4j_header(dir, base, m);
        if (nf >= 0) {
            n_oracles++;
            n_fields += nf;
        }
        if (check_mime4j_out(dir, base, m) >= 0)
            n_oracles++;
    }
    /* Hunny Software's samples are in two sources */
    if (strstr(dir, "hunny-and-zbateson") || strstr(dir, "stalwart-mail-parser/legacy"))
        check_hunny(corpus, m, &hunny_matched);
    cv_message_free(m);
    free(data);
}

static int is_input(const char *dir, const char *name)
{
    static const char *const skip[] = { ".json", ".xml", ".out", ".md" };
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (ends_with(name, skip[i]))
            return 0;
    if (strstr(name, "_decoded_"))
        return 0;
    if (strstr(dir, "hunny-and-zbateson/files"))
        return 0;
    if (strstr(dir, "mimekit/partial") && strcmp(name, "rfc2046.eml") == 0)
        return 1; /* the reassembled oracle is a message too */
    return 1;
}

static void walk(const char *corpus, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;

    if (!d || depth > 6) {
        if (d)
            closedir(d);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (is_dir(path))
            walk(corpus, path, depth + 1);
        else if (is_input(dir, names[i]))
            run_one(corpus, dir, names[i]);
        free(names[i]);
    }
    free(names);
}

int main(void)
{
    const char *root = getenv("MAPIDAV_CORPUS");
    char corpus[1024];

    if (!root || !*root)
        test_skip("MAPIDAV_CORPUS is not set\n");
    snprintf(corpus, sizeof corpus, "%s/mime", root);
    if (!is_dir(corpus))
        test_skip("no corpus at %s\n", corpus);
    walk(corpus, corpus, 0);
    ok(n_inputs >= 100, "%d inputs converted\n", n_inputs);
    ok(n_oracles >= 20, "%d oracles used\n", n_oracles);
    ok(hunny_matched >= 5, "%d attachments matched original files\n", hunny_matched);
    ok(n_leaves >= 18, "%d mime4j decoded leaves checked\n", n_leaves);
    ok(n_fields >= 50, "%d mime4j header fields checked\n", n_fields);
    printf("%d inputs, %d oracles (%d mime4j decoded leaves, %d header fields), "
           "%d original files matched\n", n_inputs, n_oracles, n_leaves, n_fields, hunny_matched);
    return test_done();
}
