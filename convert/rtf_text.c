/*
 * rtf_text.c: the RTF reader the body converters share, and RTF to plain
 * text on top of it; also the small buffer, UTF-8 and Windows-1252 helpers
 * of rtf.h's private part.
 *
 * The reader is one pass over the bytes: groups with their character state
 * (font and so code page, \uc, \v, \htmlrtf), destinations (skipped by a
 * brace-counting scan that honours escapes and \bin, so a picture costs a
 * memchr-speed pass), the font table, \uN with fallback skipping, and runs of
 * text bytes decoded per code page, handed to a callback as UTF-8 events.
 *
 * In chunks (cv_rtf__read_push, what the whole-buffer cv_rtf__read wraps):
 * a control word, \'hh or \*\word cut by a chunk's end waits for the
 * next chunk; a destination being skipped and \bin data go on across
 * chunks; text runs are cut anywhere (their bytes gather until an event).
 * RTF to text drains its text to the sink but for a field's result, which
 * a HYPERLINK's end still reads.
 *
 * Invariants: state is pushed for at most MAX_DEPTH nested groups (deeper
 * groups are skipped whole); text handed out is valid UTF-8; the reader stops
 * at the '}' that closes the document group; the events are the same
 * whatever the chunks.
 *
 * Never: read past the input (every scan is bounded by end), recurse
 * (nesting costs no stack), or call back with text of a skipped destination.
 */
#include <stdlib.h>
#include <string.h>

#include "convert/charset.h"
#include "convert/rtf.h"
#include "storage/error.h"
#include "storage/strutil.h"

/* ==== Buffers ==== */

void cv_rtf__buf_init(cv_rtf__buf *b, size_t limit)
{
    memset(b, 0, sizeof *b);
    b->limit = limit ? limit : CV_RTF_LIMIT;
}

int cv_rtf__buf_grow(cv_rtf__buf *b, size_t more)
{
    if (b->err)
        return b->err;
    if (b->cap - b->len >= more)
        return 0;
    /* more includes the room for a NUL: len + more - 1 may reach limit. */
    if (more > b->limit - b->len + 1) {
        b->err = CV_ELIMIT;
        return b->err;
    }
    size_t ncap = b->cap ? b->cap * 2 : 256;
    if (ncap < b->len + more)
        ncap = b->len + more;
    if (ncap > b->limit + 1)
        ncap = b->limit + 1;
    char *n = realloc(b->data, ncap);
    if (!n) {
        b->err = -1;
        return -1;
    }
    b->data = n;
    b->cap = ncap;
    return 0;
}

void cv_rtf__buf_free(cv_rtf__buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int cv_rtf__buf_finish(cv_rtf__buf *b, char **out, size_t *out_len, const char *what)
{
    if (!b->err && cv_rtf__buf_grow(b, 1) == 0)
        b->data[b->len] = '\0';
    if (b->err) {
        int err = cv_rtf__buf_error(b, what);
        cv_rtf__buf_free(b);
        return err;
    }
    *out = b->data;
    if (out_len)
        *out_len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return 0;
}

void cv_rtf__put_ucs(cv_rtf__buf *b, uint32_t cp)
{
    char u[4];

    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        cv_rtf__putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        cv_rtf__put(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        cv_rtf__put(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        cv_rtf__put(b, u, 4);
    }
}

uint32_t cv_rtf__utf8_next(const char *s, size_t n, size_t *used)
{
    const uint8_t *p = (const uint8_t *)s;
    uint32_t cp, min;
    size_t need;

    *used = 1;
    if (n == 0)
        return 0xFFFD;
    if (p[0] < 0x80)
        return p[0];
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        need = 1, cp = p[0] & 0x1F, min = 0x80;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        need = 2, cp = p[0] & 0x0F, min = 0x800;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        need = 3, cp = p[0] & 0x07, min = 0x10000;
    } else {
        return 0xFFFD;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || (p[i] & 0xC0) != 0x80)
            return 0xFFFD;  /* a cut sequence: consume only the lead byte */
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    *used = need + 1;
    return cp;
}

void cv_rtf__put_utf8(cv_rtf__buf *b, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t start = i;
        while (i < len && (uint8_t)s[i] < 0x80)
            i++;
        cv_rtf__put(b, s + start, i - start);
        while (i < len && (uint8_t)s[i] >= 0x80) {
            size_t used;
            (void)cv_rtf__utf8_next(s + i, len - i, &used);
            if (used == 1)  /* an invalid or cut sequence */
                cv_rtf__put_ucs(b, 0xFFFD);
            else
                cv_rtf__put(b, s + i, used);
            i += used;
        }
    }
}

/* Windows-1252 0x80-0x9F; the five holes map to themselves as Windows does. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

uint32_t cv_rtf__cp1252_to_ucs(uint8_t c)
{
    return c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
}

uint8_t cv_rtf__ucs_to_cp1252(uint32_t cp)
{
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
        return (uint8_t)cp;
    for (int i = 0; i < 32; i++)
        if (cp1252_high[i] == cp)
            return (uint8_t)(0x80 + i);
    return 0;
}

/* ==== The reader ==== */

#define MAX_DEPTH 256     /* groups with their own state */
#define MAX_FONTS 1024    /* font table entries kept */
#define MAX_UC 64         /* \ucN beyond this is taken as this */
#define CP_SYMBOL 42      /* \fcharset2: Symbol-like fonts */

enum { DEST_TEXT, DEST_FONTTBL, DEST_FLDINST, DEST_HTMLTAG };

typedef struct gstate {
    int32_t font;      /* \fN in effect; -1: the default font (\deff) */
    int32_t cp;        /* code page of its text; 0: not resolved yet */
    uint16_t uc;       /* \ucN: fallback characters after \uN */
    uint8_t dest;      /* DEST_*: where text goes */
    uint8_t where;     /* CV_RTF__IN_HTMLTAG | CV_RTF__HTMLRTF | CV_RTF__HIDDEN */
    uint8_t field;     /* 1: this group is a \field */
} gstate;

typedef struct font {
    int32_t num;       /* \fN */
    int32_t charset;   /* \fcharsetN, -1 if none */
    int32_t cpg;       /* \cpgN, 0 if none */
} font;

#define MAX_SBCS 8        /* single-byte code page tables kept per document */

typedef struct sbcs_map {
    int32_t cp;         /* the code page */
    uint32_t u[128];    /* code points of bytes 0x80-0xFF */
} sbcs_map;

typedef struct reader {
    cv_push base;              /* first: the push's operations (cv_rtf__read_push) */
    cv_rtf__in in;             /* input held back: a control word cut by a chunk's end */
    int final;                 /* the input is all there */
    int started;               /* "{\\rtf" was seen */
    int skipping;              /* skip_rest going on: skip_level groups open */
    int skip_level;
    int skip_pop;              /* it closes the group when done */
    uint64_t bin_left;         /* \binN data still to skip */
    const uint8_t *p;          /* next byte */
    const uint8_t *end;        /* end of input */
    unsigned mode;             /* CV_RTF__MODE_* */
    cv_rtf__event_fn fn;       /* where events go */
    void *ctx;                 /* fn's context */
    int depth;                 /* open groups; 1 inside the document group */
    gstate st[MAX_DEPTH + 1];  /* st[depth]: the current state */
    int32_t ansicpg;           /* document code page (\ansicpg, \ansi, \mac ...) */
    int ansicpg_set;           /* 1 once \ansicpg was seen */
    int32_t deff;              /* \deffN */
    font *fonts;               /* the font table */
    size_t nfonts;             /* entries used */
    size_t capfonts;           /* entries allocated */
    int32_t cur_def;           /* fonts[] index being defined in fonttbl, or -1 */
    cv_rtf__buf pend;          /* text bytes not yet decoded */
    int32_t pend_cp;           /* their code page */
    unsigned pend_where;       /* their where bits */
    uint8_t pend_dest;         /* their destination */
    cv_rtf__buf tmp;           /* decoded text on its way out */
    cv_rtf__buf fldinst;       /* the current field's instruction text */
    int field_depth;           /* depth of the open \field group, 0: none */
    sbcs_map sbcs[MAX_SBCS];   /* single-byte code pages met, by table */
    int nsbcs;                 /* entries used */
    int32_t mbcs[MAX_SBCS];    /* code pages found not to be single-byte */
    int nmbcs;                 /* entries used */
    uint32_t hi;               /* a high surrogate from \uN waiting for its pair */
    unsigned skip;             /* fallback characters still to skip */
    int err;                   /* first error: -1 or the callback's */
} reader;

typedef enum {
    CW_CHARSET, CW_ANSICPG, CW_DEFF, CW_F, CW_FCHARSET, CW_CPG, CW_PLAIN, CW_UC, CW_U,
    CW_V, CW_HTMLRTF, CW_EVENT, CW_CHAR, CW_FIELD, CW_FLDINST, CW_BIN, CW_FONTTBL,
    CW_HTMLTAG, CW_SKIP
} cw_kind;

typedef struct cw {
    const char *name;  /* control word, sorted by strcmp */
    cw_kind kind;      /* what it does */
    uint32_t arg;      /* code page, event or character */
} cw;

static const cw words[] = {
    { "aftncn", CW_SKIP, 0 },
    { "aftnsep", CW_SKIP, 0 },
    { "aftnsepc", CW_SKIP, 0 },
    { "annotation", CW_SKIP, 0 },
    { "ansi", CW_CHARSET, 1252 },
    { "ansicpg", CW_ANSICPG, 0 },
    { "atnauthor", CW_SKIP, 0 },
    { "atndate", CW_SKIP, 0 },
    { "atnid", CW_SKIP, 0 },
    { "atnref", CW_SKIP, 0 },
    { "atrfend", CW_SKIP, 0 },
    { "atrfstart", CW_SKIP, 0 },
    { "author", CW_SKIP, 0 },
    { "bin", CW_BIN, 0 },
    { "bkmkend", CW_SKIP, 0 },
    { "bkmkstart", CW_SKIP, 0 },
    { "bullet", CW_CHAR, 0x2022 },
    { "category", CW_SKIP, 0 },
    { "cell", CW_EVENT, CV_RTF__CELL },
    { "colorschememapping", CW_SKIP, 0 },
    { "colortbl", CW_SKIP, 0 },
    { "comment", CW_SKIP, 0 },
    { "company", CW_SKIP, 0 },
    { "cpg", CW_CPG, 0 },
    { "datastore", CW_SKIP, 0 },
    { "defchp", CW_SKIP, 0 },
    { "deff", CW_DEFF, 0 },
    { "defpap", CW_SKIP, 0 },
    { "doccomm", CW_SKIP, 0 },
    { "docvar", CW_SKIP, 0 },
    { "emdash", CW_CHAR, 0x2014 },
    { "emspace", CW_CHAR, 0x2003 },
    { "endash", CW_CHAR, 0x2013 },
    { "enspace", CW_CHAR, 0x2002 },
    { "f", CW_F, 0 },
    { "falt", CW_SKIP, 0 },
    { "fcharset", CW_FCHARSET, 0 },
    { "field", CW_FIELD, 0 },
    { "filetbl", CW_SKIP, 0 },
    { "fldinst", CW_FLDINST, 0 },
    { "fldtype", CW_SKIP, 0 },
    { "fname", CW_SKIP, 0 },
    { "fonttbl", CW_FONTTBL, 0 },
    { "footer", CW_SKIP, 0 },
    { "footerf", CW_SKIP, 0 },
    { "footerl", CW_SKIP, 0 },
    { "footerr", CW_SKIP, 0 },
    { "footnote", CW_SKIP, 0 },
    { "ftncn", CW_SKIP, 0 },
    { "ftnsep", CW_SKIP, 0 },
    { "ftnsepc", CW_SKIP, 0 },
    { "generator", CW_SKIP, 0 },
    { "header", CW_SKIP, 0 },
    { "headerf", CW_SKIP, 0 },
    { "headerl", CW_SKIP, 0 },
    { "headerr", CW_SKIP, 0 },
    { "hlinkbase", CW_SKIP, 0 },
    { "htmlrtf", CW_HTMLRTF, 0 },
    { "htmltag", CW_HTMLTAG, 0 },
    { "info", CW_SKIP, 0 },
    { "keywords", CW_SKIP, 0 },
    { "latentstyles", CW_SKIP, 0 },
    { "ldblquote", CW_CHAR, 0x201C },
    { "line", CW_EVENT, CV_RTF__LINE },
    { "listoverridetable", CW_SKIP, 0 },
    { "listpicture", CW_SKIP, 0 },
    { "listtable", CW_SKIP, 0 },
    { "lquote", CW_CHAR, 0x2018 },
    { "ltrmark", CW_CHAR, 0x200E },
    { "mac", CW_CHARSET, 0x2710 },
    { "manager", CW_SKIP, 0 },
    { "mhtmltag", CW_SKIP, 0 },
    { "mmath", CW_SKIP, 0 },
    { "mmathPr", CW_SKIP, 0 },
    { "nestcell", CW_EVENT, CV_RTF__CELL },
    { "nestrow", CW_EVENT, CV_RTF__ROW },
    { "nesttableprops", CW_SKIP, 0 },
    { "nonesttables", CW_SKIP, 0 },
    { "nonshppict", CW_SKIP, 0 },
    { "objalias", CW_SKIP, 0 },
    { "objclass", CW_SKIP, 0 },
    { "objdata", CW_SKIP, 0 },
    { "objname", CW_SKIP, 0 },
    { "objsect", CW_SKIP, 0 },
    { "objtime", CW_SKIP, 0 },
    { "oleclsid", CW_SKIP, 0 },
    { "operator", CW_SKIP, 0 },
    { "page", CW_EVENT, CV_RTF__PAR },
    { "panose", CW_SKIP, 0 },
    { "par", CW_EVENT, CV_RTF__PAR },
    { "passwordhash", CW_SKIP, 0 },
    { "pc", CW_CHARSET, 437 },
    { "pca", CW_CHARSET, 850 },
    { "pgdsctbl", CW_SKIP, 0 },
    { "pict", CW_SKIP, 0 },
    { "plain", CW_PLAIN, 0 },
    { "pn", CW_SKIP, 0 },
    { "pntxta", CW_SKIP, 0 },
    { "pntxtb", CW_SKIP, 0 },
    { "private", CW_SKIP, 0 },
    { "protusertbl", CW_SKIP, 0 },
    { "pxe", CW_SKIP, 0 },
    { "qmspace", CW_CHAR, 0x2005 },
    { "rdblquote", CW_CHAR, 0x201D },
    { "revtbl", CW_SKIP, 0 },
    { "row", CW_EVENT, CV_RTF__ROW },
    { "rquote", CW_CHAR, 0x2019 },
    { "rsidtbl", CW_SKIP, 0 },
    { "rtlmark", CW_CHAR, 0x200F },
    { "rxe", CW_SKIP, 0 },
    { "sect", CW_EVENT, CV_RTF__PAR },
    { "shpinst", CW_SKIP, 0 },
    { "shppict", CW_SKIP, 0 },
    { "softline", CW_EVENT, CV_RTF__LINE },
    { "stylesheet", CW_SKIP, 0 },
    { "subject", CW_SKIP, 0 },
    { "tab", CW_EVENT, CV_RTF__TAB },
    { "tc", CW_SKIP, 0 },
    { "tcn", CW_SKIP, 0 },
    { "template", CW_SKIP, 0 },
    { "themedata", CW_SKIP, 0 },
    { "title", CW_SKIP, 0 },
    { "txe", CW_SKIP, 0 },
    { "u", CW_U, 0 },
    { "uc", CW_UC, 0 },
    { "ud", CW_SKIP, 0 },
    { "upr", CW_SKIP, 0 },
    { "userprops", CW_SKIP, 0 },
    { "v", CW_V, 0 },
    { "wgrffmtfilter", CW_SKIP, 0 },
    { "xe", CW_SKIP, 0 },
    { "xmlnstbl", CW_SKIP, 0 },
    { "zwbo", CW_CHAR, 0x200B },
    { "zwj", CW_CHAR, 0x200D },
    { "zwnj", CW_CHAR, 0x200C },
};

static const cw *cw_find(const char *name)
{
    size_t lo = 0, hi = sizeof words / sizeof words[0];

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, words[mid].name);
        if (c == 0)
            return &words[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static int32_t charset_cp(int32_t charset, int32_t ansicpg)
{
    switch (charset) {
    case 0: return 1252;
    case 2: return CP_SYMBOL;
    case 77: return 10000;
    case 78: return 10001;
    case 79: return 10003;
    case 80: return 10008;
    case 81: return 10002;
    case 83: return 10005;
    case 84: return 10004;
    case 85: return 10006;
    case 86: return 10081;
    case 87: return 10021;
    case 88: return 10029;
    case 89: return 10007;
    case 128: return 932;
    case 129: return 949;
    case 130: return 1361;
    case 134: return 936;
    case 136: return 950;
    case 161: return 1253;
    case 162: return 1254;
    case 163: return 1258;
    case 177: return 1255;
    case 178: return 1256;
    case 186: return 1257;
    case 204: return 1251;
    case 222: return 874;
    case 238: return 1250;
    case 254: return 437;
    case 255: return 850;
    default: return ansicpg;  /* 1 (DEFAULT_CHARSET) and the unknown */
    }
}

/* The font table is kept sorted by number: a lookup per \f is a binary
 * search, whatever the number of fonts. */
static size_t font_slot(const reader *r, int32_t num)
{
    size_t lo = 0, hi = r->nfonts;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->fonts[mid].num < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static font *font_find(reader *r, int32_t num)
{
    size_t i = font_slot(r, num);
    return i < r->nfonts && r->fonts[i].num == num ? &r->fonts[i] : NULL;
}

/* The code page text has now. HTMLTAG content is read in the document's
 * code page ([MS-OXRTFEX] 2.2.3.2), other text in its font's. */
static int32_t text_cp(reader *r)
{
    gstate *s = &r->st[r->depth];

    if (s->where & CV_RTF__IN_HTMLTAG)
        return r->ansicpg;
    if (s->cp == 0) {
        const font *f = font_find(r, s->font >= 0 ? s->font : r->deff);
        if (!f)
            s->cp = r->ansicpg;
        else if (f->cpg > 0)
            s->cp = f->cpg;
        else if (f->charset >= 0)
            s->cp = charset_cp(f->charset, r->ansicpg);
        else
            s->cp = r->ansicpg;
    }
    return s->cp;
}

/* Symbol fonts: the bullets lists use; anything else as Windows-1252. */
static uint32_t symbol_to_ucs(uint8_t c)
{
    switch (c) {
    case 0xB7: return 0x2022;  /* Symbol bullet */
    case 0xA7: return 0x25AA;  /* Wingdings small square */
    case 0xD8: return 0x27A2;  /* Wingdings arrowhead */
    case 0xFC: return 0x2713;  /* Wingdings check mark */
    case 0x76: return 0x2756;  /* Wingdings diamond */
    case 0x6C: return 0x25CF;  /* Wingdings circle */
    case 0x6E: return 0x25A0;  /* Wingdings square */
    case 0x71: return 0x274F;  /* Wingdings box */
    default: return cv_rtf__cp1252_to_ucs(c);
    }
}

static void set_err(reader *r, int err)
{
    if (!r->err)
        r->err = err;
}

/* Code pages whose characters may take more than one byte. */
static int multibyte_cp(int32_t cp)
{
    switch (cp) {
    case 932: case 936: case 949: case 950: case 1361: case 10001: case 10002: case 10003:
    case 10008: case 20932: case 20936: case 20949: case 51932: case 51936: case 51949:
    case 52936: case 54936: case 65000: case 65001:
        return 1;
    default:
        return cp >= 50220 && cp <= 50229;  /* ISO-2022 */
    }
}

/* The byte table of a single-byte code page, made once per document from
 * one call to the charset module; NULL for a multi-byte or unknown one. */
static const uint32_t *sbcs_table(reader *r, int32_t cp)
{
    for (int i = 0; i < r->nsbcs; i++)
        if (r->sbcs[i].cp == cp)
            return r->sbcs[i].u;
    for (int i = 0; i < r->nmbcs; i++)
        if (r->mbcs[i] == cp)
            return NULL;
    if (multibyte_cp(cp))
        return NULL;
    const char *label = cv_charset_from_codepage((unsigned)cp);
    uint8_t high[128];
    char *u = NULL;
    size_t ulen = 0, k = 0, n = 0;
    sbcs_map *m = &r->sbcs[r->nsbcs < MAX_SBCS ? r->nsbcs : MAX_SBCS - 1];

    for (int i = 0; i < 128; i++)
        high[i] = (uint8_t)(0x80 + i);
    if (label && cv_charset_decode(&u, &ulen, label, high, sizeof high) == 0) {
        while (k < ulen && n < 128) {
            size_t used;
            m->u[n++] = cv_rtf__utf8_next(u + k, ulen - k, &used);
            k += used;
        }
    }
    free(u);
    if (n != 128 || k != ulen) {
        /* Not one character per byte (or unknown): decoded run by run. */
        r->mbcs[r->nmbcs < MAX_SBCS ? r->nmbcs++ : MAX_SBCS - 1] = cp;
        return NULL;
    }
    m->cp = cp;
    if (r->nsbcs < MAX_SBCS)
        r->nsbcs++;
    return m->u;
}

/* Decodes len bytes in code page cp, appending UTF-8 to out. */
static void decode_into(reader *r, cv_rtf__buf *out, int32_t cp, const uint8_t *s, size_t len)
{
    size_t i = 0;

    while (i < len && s[i] < 0x80)
        i++;
    if (i == len || cp == 20127) {  /* plain ASCII: the same in every code page we read */
        cv_rtf__put_utf8(out, (const char *)s, len);
        return;
    }
    if (cp == 65001) {
        cv_rtf__put_utf8(out, (const char *)s, len);
        return;
    }
    if (cp != 1252 && cp != CP_SYMBOL && cp != 28591) {
        const uint32_t *map = sbcs_table(r, cp);
        if (map) {
            for (i = 0; i < len; i++)
                cv_rtf__put_ucs(out, s[i] < 0x80 ? s[i] : map[s[i] - 0x80]);
            return;
        }
        const char *label = cv_charset_from_codepage((unsigned)cp);
        if (label) {
            char *u = NULL;
            size_t ulen = 0;
            int rc = cv_charset_decode(&u, &ulen, label, s, len);
            if (rc == 0) {
                cv_rtf__put_utf8(out, u, ulen);
                free(u);
                return;
            }
            if (rc == -1) {
                set_err(r, -1);
                return;
            }
        }
        /* A code page this platform lacks: read it as Windows-1252. */
    }
    for (i = 0; i < len; i++) {
        uint32_t u = cp == CP_SYMBOL ? symbol_to_ucs(s[i])
                   : cp == 28591 ? s[i] : cv_rtf__cp1252_to_ucs(s[i]);
        cv_rtf__put_ucs(out, u);
    }
}

static void emit(reader *r, int event, const char *s, size_t n, unsigned where)
{
    if (r->err)
        return;
    int rc = r->fn(r->ctx, event, s, n, where);
    if (rc)
        set_err(r, rc);
}

/* Hands the pending text bytes out. */
static void flush(reader *r)
{
    if (r->pend.err)
        set_err(r, r->pend.err);
    if (r->pend.len == 0 || r->err)
        return;
    if (r->pend_dest == DEST_FLDINST) {
        decode_into(r, &r->fldinst, r->pend_cp, (const uint8_t *)r->pend.data, r->pend.len);
    } else {
        r->tmp.len = 0;
        decode_into(r, &r->tmp, r->pend_cp, (const uint8_t *)r->pend.data, r->pend.len);
        if (r->tmp.err)
            set_err(r, r->tmp.err);
        else
            emit(r, CV_RTF__TEXT, r->tmp.data, r->tmp.len, r->pend_where);
    }
    r->pend.len = 0;
}

/* A high surrogate with no low one after it. */
static void drop_hi(reader *r)
{
    if (r->hi) {
        r->hi = 0;
        r->tmp.len = 0;
        cv_rtf__put_ucs(&r->tmp, 0xFFFD);
        if (r->st[r->depth].dest == DEST_FLDINST)
            cv_rtf__put_ucs(&r->fldinst, 0xFFFD);
        else if (r->st[r->depth].dest != DEST_FONTTBL && !r->tmp.err)
            emit(r, CV_RTF__TEXT, r->tmp.data, r->tmp.len, r->st[r->depth].where);
    }
}

/* Text bytes of the document (literal or \'hh). */
static void text_bytes(reader *r, const uint8_t *s, size_t n)
{
    gstate *st = &r->st[r->depth];

    if (st->dest == DEST_FONTTBL) {
        if (memchr(s, ';', n))
            r->cur_def = -1;  /* a font's name ends its definition */
        return;
    }
    if (r->hi) {
        flush(r);
        drop_hi(r);
    }
    int32_t cp = text_cp(r);
    if (r->pend.len && (cp != r->pend_cp || st->where != r->pend_where || st->dest != r->pend_dest))
        flush(r);
    r->pend_cp = cp;
    r->pend_where = st->where;
    r->pend_dest = st->dest;
    cv_rtf__put(&r->pend, s, n);
}

/* A character given as a code point (\uN, \emdash ...). */
static void text_ucs(reader *r, uint32_t cp)
{
    gstate *st = &r->st[r->depth];

    if (st->dest == DEST_FONTTBL)
        return;
    flush(r);
    if (cp >= 0xDC00 && cp <= 0xDFFF && r->hi) {
        cp = 0x10000 + ((r->hi - 0xD800) << 10) + (cp - 0xDC00);
        r->hi = 0;
    } else {
        drop_hi(r);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            r->hi = cp;
            return;
        }
    }
    if (st->dest == DEST_FLDINST) {
        cv_rtf__put_ucs(&r->fldinst, cp);
        return;
    }
    r->tmp.len = 0;
    cv_rtf__put_ucs(&r->tmp, cp);
    if (r->tmp.err)
        set_err(r, r->tmp.err);
    else
        emit(r, CV_RTF__TEXT, r->tmp.data, r->tmp.len, st->where);
}

static void event(reader *r, int ev)
{
    gstate *st = &r->st[r->depth];

    if (st->dest == DEST_FONTTBL || st->dest == DEST_FLDINST)
        return;
    flush(r);
    drop_hi(r);
    emit(r, ev, NULL, 0, st->where);
}

/* Consumes a control word's optional numeric parameter. */
static int32_t read_param(reader *r, int *has)
{
    int neg = 0;
    int64_t v = 0;

    *has = 0;
    if (r->p < r->end && *r->p == '-' && r->end - r->p > 1 && r->p[1] >= '0' && r->p[1] <= '9') {
        neg = 1;
        r->p++;
    }
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        *has = 1;
        if (v < 0x80000000LL)
            v = v * 10 + (*r->p - '0');
        r->p++;
    }
    if (v > 0x7FFFFFFFLL)
        v = 0x7FFFFFFFLL;
    return (int32_t)(neg ? -v : v);
}

/* Reads a control word after its backslash: name into buf (cut at 32
 * letters), parameter, and the space that may end it. */
static void read_word(reader *r, char buf[33], int32_t *param, int *has)
{
    size_t n = 0;

    while (r->p < r->end && ((*r->p >= 'a' && *r->p <= 'z') || (*r->p >= 'A' && *r->p <= 'Z'))) {
        if (n < 32)
            buf[n] = (char)*r->p;
        n++;
        r->p++;
    }
    buf[n < 32 ? n : 32] = '\0';
    if (n > 32)
        buf[0] = '\0';  /* longer than RTF allows: an unknown word */
    *param = read_param(r, has);
    if (r->p < r->end && *r->p == ' ')
        r->p++;
}

static int is_letter(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* In input that may go on: is the control sequence at q (a backslash) all
 * there: its word, parameter and the byte that ends them? */
static int control_complete(const reader *r, const uint8_t *q)
{
    const uint8_t *e = r->end;

    if (r->final)
        return 1;
    if (++q >= e)
        return 0;
    if (*q == '\'')
        return e - q > 2;
    if (*q == '*') {
        /* \*\word: the word after it is read with it */
        if (++q >= e)
            return 0;
        if (*q != '\\')
            return 1;
        if (++q >= e)
            return 0;
    }
    if (!is_letter(*q))
        return 1;
    while (q < e && is_letter(*q))
        q++;
    if (q < e && *q == '-') {
        if (q + 1 >= e)
            return 0;
        if (q[1] >= '0' && q[1] <= '9')
            q++;
    }
    while (q < e && *q >= '0' && *q <= '9')
        q++;
    return q < e;
}

/* Skips \binN's data (what is not there yet when it comes). */
static void skip_bin(reader *r, int32_t n)
{
    if (n <= 0)
        return;
    if ((size_t)(r->end - r->p) < (size_t)n) {
        if (!r->final)
            r->bin_left = (uint64_t)n - (uint64_t)(r->end - r->p);
        r->p = r->end;
    } else {
        r->p += n;
    }
}

static void close_group(reader *r);

/* Goes on skipping to the '}' that closes the group skip_rest began in. */
static void skip_more(reader *r)
{
    while (r->p < r->end && !r->bin_left) {
        const uint8_t *q = r->p;
        /* Fast scan for the three bytes that matter. */
        while (q < r->end && *q != '{' && *q != '}' && *q != '\\')
            q++;
        r->p = q;
        if (q >= r->end)
            break;
        if (*q == '\\' && !control_complete(r, q))
            return;  /* the rest of it comes with the next chunk */
        r->p++;
        if (*q == '{') {
            r->skip_level++;
        } else if (*q == '}') {
            if (--r->skip_level == 0)
                break;
        } else if (r->p < r->end) {
            if (is_letter(*r->p)) {
                char name[33];
                int32_t param;
                int has;
                read_word(r, name, &param, &has);
                if (has && strcmp(name, "bin") == 0)
                    skip_bin(r, param);
            } else {
                r->p++;  /* \{ \} \\ and the other symbols */
            }
        }
    }
    if (r->skip_level > 0 && !r->final)
        return;  /* the group goes on in the next chunk */
    r->skipping = 0;
    if (r->skip_pop)
        close_group(r);
}

/* Skips to the '}' that closes the group the reader is in, and closes it
 * (pop); what is not there yet is skipped when it comes. */
static void skip_rest(reader *r, int pop)
{
    r->skipping = 1;
    r->skip_level = 1;
    r->skip_pop = pop;
    skip_more(r);
}

static void open_group(reader *r)
{
    r->skip = 0;
    if (r->depth >= MAX_DEPTH) {
        skip_rest(r, 0);  /* too deep: the whole group goes */
        return;
    }
    r->st[r->depth + 1] = r->st[r->depth];
    r->st[r->depth + 1].field = 0;
    r->depth++;
}

static void close_group(reader *r)
{
    gstate *st = &r->st[r->depth];

    r->skip = 0;
    if (r->depth <= 0)
        return;
    if (st->dest == DEST_FONTTBL)
        r->cur_def = -1;
    if (st->field && r->field_depth == r->depth) {
        flush(r);
        drop_hi(r);
        r->field_depth = 0;
        r->depth--;
        if (!r->fldinst.err)
            emit(r, CV_RTF__FIELD_END, r->fldinst.data ? r->fldinst.data : "", r->fldinst.len,
                 r->st[r->depth].where);
        return;
    }
    r->depth--;
}

static void font_define(reader *r, int32_t num)
{
    size_t i = font_slot(r, num);

    if (i == r->nfonts || r->fonts[i].num != num) {
        if (r->nfonts == r->capfonts) {
            if (r->capfonts >= MAX_FONTS) {
                r->cur_def = -1;
                return;
            }
            size_t ncap = r->capfonts ? r->capfonts * 2 : 16;
            font *n = realloc(r->fonts, ncap * sizeof *n);
            if (!n) {
                set_err(r, -1);
                return;
            }
            r->fonts = n;
            r->capfonts = ncap;
        }
        memmove(&r->fonts[i + 1], &r->fonts[i], (r->nfonts - i) * sizeof *r->fonts);
        r->nfonts++;
        r->fonts[i].num = num;
        r->fonts[i].charset = -1;
        r->fonts[i].cpg = 0;
    }
    r->cur_def = (int32_t)i;
}

/* A control word (not inside a skipped destination). star: it followed \*. */
static void control_word(reader *r, const char *name, int32_t param, int has, int star)
{
    gstate *st = &r->st[r->depth];
    const cw *w = cw_find(name);

    if (r->skip) {
        r->skip--;  /* a fallback character */
        return;
    }
    if (!w) {
        if (star && r->depth > 1)
            skip_rest(r, 1);  /* an ignorable destination we do not know */
        return;
    }
    /* A destination word directly in the document group is malformed RTF:
     * taken as is, it would swallow the whole document. Ignored there. */
    if (r->depth <= 1 && (w->kind == CW_SKIP || w->kind == CW_FONTTBL ||
                          w->kind == CW_FLDINST || w->kind == CW_HTMLTAG))
        return;
    switch (w->kind) {
    case CW_CHARSET:
        if (!r->ansicpg_set)
            r->ansicpg = (int32_t)w->arg;
        break;
    case CW_ANSICPG:
        if (param > 0) {
            r->ansicpg = param;
            r->ansicpg_set = 1;
        }
        break;
    case CW_DEFF:
        r->deff = param;
        break;
    case CW_F:
        if (st->dest == DEST_FONTTBL) {
            font_define(r, param);
        } else {
            st->font = param;
            st->cp = 0;
        }
        break;
    case CW_FCHARSET:
        if (st->dest == DEST_FONTTBL && r->cur_def >= 0)
            r->fonts[r->cur_def].charset = param;
        break;
    case CW_CPG:
        if (st->dest == DEST_FONTTBL && r->cur_def >= 0)
            r->fonts[r->cur_def].cpg = param;
        break;
    case CW_PLAIN:
        st->font = -1;
        st->cp = 0;
        st->where &= (uint8_t)~CV_RTF__HIDDEN;
        break;
    case CW_UC:
        st->uc = (uint16_t)(param < 0 ? 0 : param > MAX_UC ? MAX_UC : param);
        break;
    case CW_U: {
        uint32_t cp = (uint32_t)(param < 0 ? param + 65536 : param);
        if (cp != 0)  /* \u0: no character to show (nor a NUL in text) */
            text_ucs(r, cp > 0x10FFFF ? 0xFFFD : cp);
        r->skip = st->uc;
        break;
    }
    case CW_V:
        if (!has || param)
            st->where |= CV_RTF__HIDDEN;
        else
            st->where &= (uint8_t)~CV_RTF__HIDDEN;
        break;
    case CW_HTMLRTF:
        if (!has || param)
            st->where |= CV_RTF__HTMLRTF;
        else
            st->where &= (uint8_t)~CV_RTF__HTMLRTF;
        break;
    case CW_EVENT:
        event(r, (int)w->arg);
        break;
    case CW_CHAR:
        text_ucs(r, w->arg);
        break;
    case CW_FIELD:
        flush(r);
        drop_hi(r);
        st->field = 1;
        r->field_depth = r->depth;
        r->fldinst.len = 0;
        emit(r, CV_RTF__FIELD, NULL, 0, st->where);
        break;
    case CW_FLDINST:
        flush(r);
        st->dest = DEST_FLDINST;
        break;
    case CW_BIN:
        skip_bin(r, has ? param : 0);
        break;
    case CW_FONTTBL:
        flush(r);
        st->dest = DEST_FONTTBL;
        r->cur_def = -1;
        break;
    case CW_HTMLTAG:
        if (r->mode & CV_RTF__MODE_HTML) {
            flush(r);
            st->dest = DEST_HTMLTAG;
            st->where |= CV_RTF__IN_HTMLTAG;
            st->where &= (uint8_t)~CV_RTF__HTMLRTF;
        } else {
            skip_rest(r, 1);
        }
        break;
    case CW_SKIP:
        skip_rest(r, 1);
        break;
    }
}

/* After a backslash. */
static void control(reader *r)
{
    if (r->p >= r->end)
        return;
    uint8_t c = *r->p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        char name[33];
        int32_t param;
        int has;
        read_word(r, name, &param, &has);
        control_word(r, name, param, has, 0);
        return;
    }
    r->p++;
    switch (c) {
    case '\'': {
        int hi = r->p < r->end ? st_hex_digit(r->p[0]) : -1;
        int lo = r->end - r->p > 1 ? st_hex_digit(r->p[1]) : -1;
        if (hi < 0 || lo < 0)
            return;  /* a broken escape: dropped */
        r->p += 2;
        if (r->skip) {
            r->skip--;
            return;
        }
        uint8_t b = (uint8_t)(hi << 4 | lo);
        if (b)  /* \'00: no character (text never holds a NUL) */
            text_bytes(r, &b, 1);
        return;
    }
    case '*':
        /* An ignorable destination follows. */
        if (r->p < r->end && *r->p == '\\' && r->end - r->p > 1 &&
            ((r->p[1] >= 'a' && r->p[1] <= 'z') || (r->p[1] >= 'A' && r->p[1] <= 'Z'))) {
            char name[33];
            int32_t param;
            int has;
            r->p++;
            read_word(r, name, &param, &has);
            if (r->skip)
                r->skip = 0;  /* \* starts a group's content: no fallback there */
            control_word(r, name, param, has, 1);
        }
        return;
    default:
        break;
    }
    if (r->skip) {
        r->skip--;
        return;
    }
    switch (c) {
    case '\\': case '{': case '}':
        text_bytes(r, &c, 1);
        break;
    case '~':
        text_ucs(r, 0x00A0);
        break;
    case '_':
        text_ucs(r, 0x2011);
        break;
    case '\r': case '\n':
        event(r, CV_RTF__PAR);
        break;
    case '\t':
        event(r, CV_RTF__TAB);
        break;
    default:
        break;  /* \- \| \: and the unknown: nothing to show */
    }
}

/* Reads what the input holds (all of it when r->final): the bytes used. */
static size_t read_run(reader *r, const uint8_t *data, size_t len)
{
    r->p = data;
    r->end = data + len;
    if (!r->started) {
        const uint8_t *p = r->p;
        while (p < r->end && (*p == ' ' || *p == '\r' || *p == '\n' || *p == '\t'))
            p++;
        if (r->end - p < 5 && !r->final)
            return 0;
        if (r->end - p < 5 || memcmp(p, "{\\rtf", 5) != 0) {
            st_error_set("RTF: the text does not start with {\\rtf");
            set_err(r, CV_EPARSE);
            return len;
        }
        r->started = 1;
        r->p = p + 1;  /* the document group's '{' */
        open_group(r);
    }
    for (;;) {
        if (r->bin_left) {
            size_t take = (size_t)(r->end - r->p) < r->bin_left ? (size_t)(r->end - r->p)
                                                                 : (size_t)r->bin_left;
            r->p += take;
            r->bin_left -= take;
            if (r->bin_left)
                break;
        }
        if (r->skipping) {
            skip_more(r);
            if (r->skipping || r->bin_left)
                break;
        }
        if (r->p >= r->end || r->err || r->depth <= 0)
            break;
        uint8_t c = *r->p;
        switch (c) {
        case '{':
            r->p++;
            open_group(r);
            break;
        case '}':
            r->p++;
            close_group(r);  /* at depth 0 the document is over: the rest is not RTF */
            break;
        case '\\':
            if (!control_complete(r, r->p))
                return (size_t)(r->p - data);  /* the rest comes with the next chunk */
            r->p++;
            control(r);
            break;
        case '\r': case '\n': case '\0':
            r->p++;
            break;
        case '\t':
            r->p++;
            if (r->skip)
                r->skip--;
            else
                event(r, CV_RTF__TAB);
            break;
        default: {
            const uint8_t *q = r->p;
            if (r->skip) {
                r->skip--;
                r->p++;
                break;
            }
            while (q < r->end && *q != '\\' && *q != '{' && *q != '}' && *q != '\r' &&
                   *q != '\n' && *q != '\t' && *q != '\0')
                q++;
            text_bytes(r, r->p, (size_t)(q - r->p));
            r->p = q;
            break;
        }
        }
    }
    /* what is left after the document is not RTF; a control word cut by
     * the end while skipping waits (r->p stays on it) */
    return r->depth <= 0 || r->err ? len : (size_t)(r->p - data);
}

static size_t read_chunk(void *r, const char *s, size_t n)
{
    return read_run(r, (const uint8_t *)s, n);
}

static int reader_feed(cv_push *p, const char *data, size_t len)
{
    reader *r = (reader *)p;
    if (cv_rtf__in_feed(&r->in, data, len, "RTF", read_chunk, r))
        return -1;
    if (r->err == -1)
        st_error_set("RTF: out of memory");
    return r->err;
}

static int reader_end(cv_push *p)
{
    reader *r = (reader *)p;
    r->final = 1;
    read_run(r, (const uint8_t *)(r->in.data ? r->in.data : ""), r->in.len);
    cv_rtf__in_drop(&r->in, r->in.len);
    flush(r);
    drop_hi(r);
    if (r->err == -1)
        st_error_set("RTF: out of memory");
    return r->err;
}

static void reader_free(cv_push *p)
{
    reader *r = (reader *)p;
    cv_rtf__buf_free(&r->pend);
    cv_rtf__buf_free(&r->tmp);
    cv_rtf__buf_free(&r->fldinst);
    cv_rtf__in_free(&r->in);
    free(r->fonts);
    free(r);
}

int cv_rtf__read_push(cv_push **out, unsigned mode, cv_rtf__event_fn fn, void *ctx)
{
    reader *r = calloc(1, sizeof *r);

    *out = NULL;
    if (!r) {
        st_error_set("RTF: out of memory");
        return -1;
    }
    cv_rtf__push_init(&r->base, reader_feed, reader_end, reader_free);
    r->mode = mode;
    r->fn = fn;
    r->ctx = ctx;
    r->ansicpg = 1252;
    r->cur_def = -1;
    r->st[0].font = -1;
    r->st[0].uc = 1;
    cv_rtf__buf_init(&r->pend, 0);
    cv_rtf__buf_init(&r->tmp, 0);
    cv_rtf__buf_init(&r->fldinst, 1 << 16);
    *out = &r->base;
    return 0;
}

int cv_rtf__read(const char *rtf, size_t len, unsigned mode, cv_rtf__event_fn fn, void *ctx)
{
    cv_push *p;
    int rc;

    if (!rtf) {
        st_error_set("RTF: the text does not start with {\\rtf");
        return CV_EPARSE;
    }
    if (cv_rtf__read_push(&p, mode, fn, ctx))
        return -1;
    rc = cv_push_feed(p, rtf, len);
    if (!rc)
        rc = cv_push_end(p);
    cv_push_free(p);
    return rc;
}

/* ==== RTF to plain text ==== */

typedef struct text_ctx {
    cv_rtf__buf out;       /* the text */
    const char *nl;        /* line end */
    size_t nl_len;         /* its length */
    int cell_pending;      /* a cell ended: a TAB goes before more text in the row */
    int in_field;          /* inside a \field: field_start is valid */
    size_t field_start;    /* where the field's result text begins in out */
} text_ctx;

/* The URL of a HYPERLINK field instruction, or 0. */
static int hyperlink_url(const char *s, size_t n, const char **url, size_t *url_len)
{
    size_t i = 0;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i < 9 || strncmp(s + i, "HYPERLINK", 9) != 0)
        return 0;
    i += 9;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n)
            break;
        if (s[i] == '\\') {
            /* A switch: \l "anchor" means a place in this document. */
            int local = i + 1 < n && s[i + 1] == 'l';
            i += 2;
            while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
            if (local)
                return 0;
            if (i < n && s[i] == '"') {
                const char *q = memchr(s + i + 1, '"', n - i - 1);
                i = q ? (size_t)(q - s) + 1 : n;
            }
            continue;
        }
        size_t start, stop;
        if (s[i] == '"') {
            start = i + 1;
            const char *q = memchr(s + start, '"', n - start);
            stop = q ? (size_t)(q - s) : n;
        } else {
            start = i;
            stop = i;
            while (stop < n && s[stop] != ' ' && s[stop] != '\t')
                stop++;
        }
        *url = s + start;
        *url_len = stop - start;
        return stop > start;
    }
    return 0;
}

static int text_event(void *vctx, int ev, const char *s, size_t n, unsigned where)
{
    text_ctx *t = vctx;

    if (where & CV_RTF__HIDDEN)
        return 0;
    switch (ev) {
    case CV_RTF__TEXT: {
        if (t->cell_pending && n) {
            cv_rtf__putc(&t->out, '\t');
            t->cell_pending = 0;
        }
        /* A no-break space is a space in plain text, as in Outlook's own
         * PR_BODY. */
        const char *p = s, *end = s + n, *q;
        while ((q = memchr(p, 0xC2, (size_t)(end - p))) != NULL && end - q > 1) {
            if ((unsigned char)q[1] != 0xA0) {
                cv_rtf__put(&t->out, p, (size_t)(q + 1 - p));
                p = q + 1;
                continue;
            }
            cv_rtf__put(&t->out, p, (size_t)(q - p));
            cv_rtf__putc(&t->out, ' ');
            p = q + 2;
        }
        cv_rtf__put(&t->out, p, (size_t)(end - p));
        break;
    }
    case CV_RTF__PAR:
    case CV_RTF__LINE:
    case CV_RTF__ROW:
        t->cell_pending = 0;
        cv_rtf__put(&t->out, t->nl, t->nl_len);
        break;
    case CV_RTF__TAB:
        if (t->cell_pending) {
            cv_rtf__putc(&t->out, '\t');
            t->cell_pending = 0;
        }
        cv_rtf__putc(&t->out, '\t');
        break;
    case CV_RTF__CELL:
        if (t->cell_pending)
            cv_rtf__putc(&t->out, '\t');  /* the cell before was empty */
        t->cell_pending = 1;
        break;
    case CV_RTF__FIELD:
        t->in_field = 1;
        t->field_start = t->out.len;
        break;
    case CV_RTF__FIELD_END: {
        const char *url;
        size_t url_len;
        if (t->in_field && !t->out.err && t->out.data && hyperlink_url(s, n, &url, &url_len)) {
            const char *text = t->out.data + t->field_start;
            size_t text_len = t->out.len - t->field_start;
            const char *bare = url;
            size_t bare_len = url_len;
            if (url_len > 7 && strncmp(url, "mailto:", 7) == 0)
                bare += 7, bare_len -= 7;
            int same = (text_len == url_len && memcmp(text, url, url_len) == 0) ||
                       (text_len == bare_len && memcmp(text, bare, bare_len) == 0);
            if (text_len && !same && url[0] != '#') {
                cv_rtf__put(&t->out, " <", 2);
                cv_rtf__put(&t->out, url, url_len);
                cv_rtf__putc(&t->out, '>');
            }
        }
        t->in_field = 0;
        break;
    }
    default:
        break;
    }
    return t->out.err;
}

/* cv_rtf_to_text_push: the reader, and the text drained to the sink but
 * for what a HYPERLINK field's end may still look at. */
typedef struct text_push {
    cv_push base;          /* first: the push's operations */
    cv_push *rd;           /* the reader, its events to t */
    text_ctx t;
    cv_sink_fn sink;
    void *sink_ctx;
} text_push;

#define DRAIN_AT 65536u   /* bytes of text gathered before they go to the sink */

static int tp_drain(text_push *tp, int all)
{
    text_ctx *t = &tp->t;
    if (!all && t->out.len < DRAIN_AT)
        return 0;
    size_t upto = t->in_field && !all ? t->field_start : t->out.len;
    int rc = cv_rtf__buf_drain(&t->out, upto, tp->sink, tp->sink_ctx);
    if (!rc && t->in_field)
        t->field_start = t->field_start > upto ? t->field_start - upto : 0;
    return rc;
}

static int tp_error(text_push *tp, int rc)
{
    if (rc == tp->t.out.err)
        cv_rtf__buf_error(&tp->t.out, "RTF to text");
    return rc;
}

static int tp_feed(cv_push *p, const char *data, size_t len)
{
    text_push *tp = (text_push *)p;
    int rc = cv_push_feed(tp->rd, data, len);
    return rc ? tp_error(tp, rc) : tp_drain(tp, 0);
}

static int tp_end(cv_push *p)
{
    text_push *tp = (text_push *)p;
    int rc = cv_push_end(tp->rd);
    return rc ? tp_error(tp, rc) : tp_drain(tp, 1);
}

static void tp_free(cv_push *p)
{
    text_push *tp = (text_push *)p;
    cv_push_free(tp->rd);
    cv_rtf__buf_free(&tp->t.out);
    free(tp);
}

int cv_rtf_to_text_push(cv_push **out, unsigned flags, cv_sink_fn sink, void *ctx)
{
    text_push *tp = calloc(1, sizeof *tp);

    *out = NULL;
    if (!tp || cv_rtf__read_push(&tp->rd, 0, text_event, &tp->t)) {
        free(tp);
        st_error_set("RTF to text: out of memory");
        return -1;
    }
    tp->t.nl = (flags & CV_TEXT_LF) ? "\n" : "\r\n";
    tp->t.nl_len = strlen(tp->t.nl);
    cv_rtf__buf_init(&tp->t.out, 0);
    cv_rtf__push_init(&tp->base, tp_feed, tp_end, tp_free);
    tp->sink = sink;
    tp->sink_ctx = ctx;
    *out = &tp->base;
    return 0;
}

int cv_rtf_to_text(char **out, size_t *out_len, const char *rtf, size_t len, unsigned flags)
{
    cv_push *p;
    cv_rtf__buf b;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!rtf) {
        st_error_set("RTF: the text does not start with {\\rtf");
        return CV_EPARSE;
    }
    cv_rtf__buf_init(&b, 0);
    if (cv_rtf_to_text_push(&p, flags, cv_rtf__buf_sink, &b))
        return -1;
    return cv_rtf__push_whole(p, &b, rtf, len, out, out_len, "RTF to text");
}
