/*
 * rtf.h: the message body converters (floor 1): compressed RTF ([MS-OXRTFCP],
 * both ways), HTML and plain text encapsulated in RTF ([MS-OXRTFEX], both
 * ways), RTF to plain text, plain text to RTF, HTML to plain text.
 * convert/body.h builds on these to keep PR_BODY, PR_HTML and
 * PR_RTF_COMPRESSED in step.
 *
 * Each converter also comes streaming ("Streaming" below): fed in chunks,
 * output through a sink, memory bounded by one token, the same bytes.
 *
 * Invariants: every function takes bytes from outside (a server, a .msg, a
 * TNEF stream, Outlook) and trusts none of them: sizes in headers are checked
 * against the input, output is capped (CV_RTF_LIMIT or the caller's limit;
 * hitting it gives CV_ELIMIT and no output), group and element nesting is
 * bounded, and time is linear in the input. Text given or returned is UTF-8
 * (returned text is always valid UTF-8, NUL-terminated, the terminator not
 * counted in *out_len); RTF and compressed RTF are bytes.
 *
 * Never: a Windows header, a database or a socket; never abort or assert on
 * input. Results come back through *out, which is NULL on any failure and is
 * freed by the caller with free().
 */
#ifndef MAPIDAV_CONVERT_RTF_H
#define MAPIDAV_CONVERT_RTF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "convert/message.h"

/* Output cap of every converter here unless the caller gives its own:
 * a decompression bomb (compressed RTF expands at most 8 times) or a
 * pathological document stops here with CV_ELIMIT. */
#define CV_RTF_LIMIT ((size_t)256 * 1024 * 1024)

/* ---- Compressed RTF ([MS-OXRTFCP]) ---- */

/* COMPTYPE values of the 16-byte header. */
#define CV_RTF_MAGIC_LZFU 0x75465A4Cu /* "LZFu": compressed */
#define CV_RTF_MAGIC_MELA 0x414C454Du /* "MELA": stored uncompressed */

typedef struct cv_rtf_header {
    uint32_t comp_size;     /* COMPSIZE: content bytes + 12, as written (untrusted) */
    uint32_t raw_size;      /* RAWSIZE: decompressed size, as written (untrusted) */
    uint32_t magic;         /* CV_RTF_MAGIC_LZFU or CV_RTF_MAGIC_MELA */
    uint32_t crc;           /* CRC of the content; 0 for MELA */
} cv_rtf_header;

/* Reads the header of a PR_RTF_COMPRESSED value: 0, or CV_EPARSE when len <
 * 16 or the type is neither LZFu nor MELA. Checks nothing else. */
int cv_rtf_header_read(cv_rtf_header *out, const void *in, size_t len);

#define CV_RTF_NO_CRC 0x1u /* decompress: salvage a stream whose CRC is wrong */

/*
 * Decompresses a PR_RTF_COMPRESSED value into *out (len in *out_len, a NUL
 * after it not counted). LZFu: COMPSIZE must fit in the input (extra bytes
 * after it are ignored) and the CRC must match (unless flags has
 * CV_RTF_NO_CRC), else CV_EPARSE; decoding stops at the end reference (or
 * where the content ends). MELA: the RAWSIZE bytes after the header (fewer if
 * the input is shorter). RAWSIZE is only a hint, never an allocation size.
 * limit: output cap in bytes, 0 for CV_RTF_LIMIT; beyond it CV_ELIMIT.
 * Returns 0, CV_EPARSE, CV_ELIMIT or -1 (out of memory), with st_error_set.
 */
int cv_rtf_decompress(uint8_t **out, size_t *out_len, const void *in, size_t len,
                      size_t limit, unsigned flags);

#define CV_RTF_STORE_UNCOMPRESSED 0x1u /* write MELA (STORE_UNCOMPRESSED_RTF) */

/*
 * Compresses RTF into a PR_RTF_COMPRESSED value (LZFu, CRC filled in; or MELA
 * with CV_RTF_STORE_UNCOMPRESSED). Greedy longest match over the 4096-byte
 * dictionary preset as the spec says; with equal lengths the lowest dictionary
 * offset wins, which reproduces the spec's worked example byte for byte.
 * Returns 0, CV_ELIMIT (len beyond 32-bit sizes or CV_RTF_LIMIT) or -1.
 */
int cv_rtf_compress(uint8_t **out, size_t *out_len, const void *rtf, size_t len,
                    unsigned flags);

/* The first at most size bytes of the RTF in a PR_RTF_COMPRESSED value
 * (CRC not checked), into buf: the number of bytes, 0 when it is not
 * compressed RTF. For sniffing \fromhtml1 without decompressing it all. */
size_t cv_rtf__decompress_prefix(char *buf, size_t size, const void *in, size_t len);

/* The [MS-OXRTFCP] CRC (CRC-32 table, no pre- or post-inversion) of data,
 * continuing from crc (0 to start). */
uint32_t cv_rtf_crc(uint32_t crc, const void *data, size_t len);

/* ---- Encapsulation ([MS-OXRTFEX]) ---- */

#define CV_RTF_NATIVE 0   /* plain RTF: nothing encapsulated */
#define CV_RTF_FROMHTML 1 /* \fromhtml1: HTML encapsulated */
#define CV_RTF_FROMTEXT 2 /* \fromtext: made from plain text */

/* Which of the above the RTF is, from its first 10 tokens as [MS-OXRTFEX]
 * 2.2.3.1 says; CV_EPARSE if it does not start with "{\rtf". */
int cv_rtf_encapsulation(const char *rtf, size_t len);

/*
 * De-encapsulates the HTML of \fromhtml1 RTF ([MS-OXRTFEX] 2.2.3.2) into UTF-8
 * HTML: HTMLTAG content and the text not suppressed by \htmlrtf, escapes read
 * in the code page of the header (\ansicpg) or of the current font, \uN as
 * Unicode, \par as CRLF, \tab as TAB. \*\mhtmltag groups are dropped (the
 * HTMLTAG beside them carries the tag). Since the result is UTF-8, a charset
 * declared by a <meta> tag is rewritten to "utf-8".
 * Returns 0, CV_EPARSE (not RTF, or not \fromhtml1), CV_ELIMIT, -1.
 */
int cv_rtf_to_html(char **out, size_t *out_len, const char *rtf, size_t len);

/*
 * Encapsulates UTF-8 HTML into \fromhtml1 RTF ([MS-OXRTFEX] 2.1.3.2): markup,
 * entities and whitespace in HTMLTAG groups, visible text shared, RTF-only
 * line breaks, cell tabs and bullets under \htmlrtf. cv_rtf_to_html gives the
 * HTML back byte for byte (invalid UTF-8 becomes U+FFFD, NUL bytes go, a
 * <meta> charset becomes utf-8); cv_rtf_to_text gives readable text.
 */
int cv_html_to_rtf(char **out, size_t *out_len, const char *html, size_t len);

/* ---- Plain text ---- */

/* Flags of the converters to text. */
#define CV_TEXT_LF 0x1u /* end lines with "\n"; default "\r\n" as PR_BODY has */

/*
 * RTF to plain text: groups and destinations (fonttbl, colortbl, stylesheet,
 * info, pict, \*\...) skipped, \uN with \ucN fallback skipping, \'hh in the
 * code page of the font (\fcharset, \cpg) or \ansicpg, hidden text (\v)
 * dropped, \par/\line/\sect/\page as line ends, \tab and table cells as TAB,
 * table rows as line ends, HYPERLINK fields as "text <url>" when the text is
 * not the URL, no-break spaces as spaces (as Outlook's PR_BODY has them).
 * Returns 0, CV_EPARSE (not RTF), CV_ELIMIT, -1.
 */
int cv_rtf_to_text(char **out, size_t *out_len, const char *rtf, size_t len,
                   unsigned flags);

/*
 * Plain UTF-8 text to RTF as Outlook writes it for plain-text messages
 * (\fromtext, Arial 10pt, one \par per line end; CRLF, LF or CR ends a
 * line); non-ASCII as \uN with a Windows-1252 or '?' fallback.
 * Returns 0, CV_ELIMIT, -1.
 */
int cv_text_to_rtf(char **out, size_t *out_len, const char *text, size_t len);

/*
 * HTML (UTF-8) to readable plain text: block elements on their own lines,
 * paragraphs and headings set off by a blank line (Word's MsoNormal
 * paragraphs by a line end only), <br>, lists as "- " or "1. " indented per
 * level, table cells TAB-separated and rows per line, links as "text <url>"
 * when the text is not the URL, <hr> as a rule, every HTML5 character
 * reference a mail needs (named and numeric), nothing from <head>, <script>,
 * <style>, <template>, comments; whitespace collapsed except in <pre>.
 * Returns 0, CV_ELIMIT, -1 (never CV_EPARSE: any bytes are some HTML).
 */
int cv_html_to_text(char **out, size_t *out_len, const char *html, size_t len,
                    unsigned flags);

/* ---- Streaming (push) ----
 *
 * Bodies of any size: a converter is fed its input in chunks of any size
 * (a chunk may end inside a character, an entity, a tag or a control word)
 * and hands its output, in chunks, to a sink. The output is the same bytes
 * the whole-buffer function gives for the concatenated input (those
 * functions are wrappers over these). Memory stays bounded by the largest
 * single token of the input (a tag, a comment, a <style> block, an RTF
 * group that is skipped), not by the input.
 */

/* Takes len bytes of output: 0, or an error that stops the converter (it
 * is returned by the feed or end call that gave the output). */
typedef int (*cv_sink_fn)(void *ctx, const void *data, size_t len);

typedef struct cv_push cv_push;

/* Feeds len more bytes of input: 0, CV_ELIMIT, -1 or the sink's error
 * (st_error_set). After an error, the converter only takes cv_push_free. */
int cv_push_feed(cv_push *p, const void *data, size_t len);
/* The input is over: the rest of the output goes to the sink. 0 or error. */
int cv_push_end(cv_push *p);
void cv_push_free(cv_push *p);   /* NULL-safe */
/* A cv_sink_fn whose ctx is another cv_push: chains two converters. */
int cv_push_sink(void *ctx, const void *data, size_t len);

/* cv_html_to_text, streaming (flags: CV_TEXT_LF). 0 or -1. */
int cv_html_to_text_push(cv_push **out, unsigned flags, cv_sink_fn sink, void *ctx);
/* cv_html_to_rtf, streaming. 0 or -1. */
int cv_html_to_rtf_push(cv_push **out, cv_sink_fn sink, void *ctx);
/* cv_text_to_rtf, streaming. 0 or -1. */
int cv_text_to_rtf_push(cv_push **out, cv_sink_fn sink, void *ctx);
/* cv_rtf_to_text, streaming (flags: CV_TEXT_LF). 0 or -1. */
int cv_rtf_to_text_push(cv_push **out, unsigned flags, cv_sink_fn sink, void *ctx);
/* cv_rtf_to_html, streaming: the first 1024 bytes (or all, if fewer) must
 * say \fromhtml1, else CV_EPARSE from the feed that tells. 0 or -1. */
int cv_rtf_to_html_push(cv_push **out, cv_sink_fn sink, void *ctx);
/* cv_rtf_decompress, streaming (limit, flags as it has them). COMPSIZE
 * and the CRC are checked at the end (cv_push_end fails then, after the
 * sink got the output). 0 or -1. */
int cv_rtf_decompress_push(cv_push **out, size_t limit, unsigned flags, cv_sink_fn sink,
                           void *ctx);
/* cv_rtf_compress, streaming (flags: CV_RTF_STORE_UNCOMPRESSED). The sink
 * gets 16 zero bytes first where the header goes; after cv_push_end,
 * cv_rtf_compress_header gives the header to write over them (sizes and
 * CRC are known only at the end). 0 or -1. */
int cv_rtf_compress_push(cv_push **out, unsigned flags, cv_sink_fn sink, void *ctx);
/* The 16-byte header of what p (a cv_rtf_compress_push) compressed:
 * 0, or CV_ELIMIT when it was more than 32-bit sizes hold. */
int cv_rtf_compress_header(cv_push *p, uint8_t header[16]);

/* ========================================================================
 * Private to the body converters (rtf_*.c, text_rtf.c, html_text.c,
 * body.c): not for other modules.
 */

/* A growing output buffer with a sticky error: appends after a failure do
 * nothing, cv_rtf__buf_finish reports it. */
typedef struct cv_rtf__buf {
    char *data;       /* owned; NUL-terminated when finished */
    size_t len;       /* bytes used */
    size_t cap;       /* bytes allocated */
    size_t limit;     /* cap on len; CV_ELIMIT beyond */
    int err;          /* 0, or -1 / CV_ELIMIT once an append failed */
} cv_rtf__buf;

void cv_rtf__buf_init(cv_rtf__buf *b, size_t limit);     /* limit 0: CV_RTF_LIMIT */
int cv_rtf__buf_grow(cv_rtf__buf *b, size_t more);       /* 0 or sets b->err */
void cv_rtf__buf_free(cv_rtf__buf *b);
/* Hands the data to *out (NUL-terminated) and returns 0, or frees it and
 * returns b->err with st_error_set naming what (what: "RTF to text" ...). */
int cv_rtf__buf_finish(cv_rtf__buf *b, char **out, size_t *out_len, const char *what);

static inline void cv_rtf__put(cv_rtf__buf *b, const void *p, size_t n)
{
    if (n == 0 || (b->cap - b->len < n + 1 && cv_rtf__buf_grow(b, n + 1) != 0))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}
static inline void cv_rtf__putc(cv_rtf__buf *b, char c)
{
    if (b->cap - b->len < 2 && cv_rtf__buf_grow(b, 2) != 0)
        return;
    b->data[b->len++] = c;
}
static inline void cv_rtf__puts(cv_rtf__buf *b, const char *s)
{
    cv_rtf__put(b, s, strlen(s));
}
/* Appends code point cp as UTF-8 (surrogates and cp > 0x10FFFF as U+FFFD). */
void cv_rtf__put_ucs(cv_rtf__buf *b, uint32_t cp);
/* Appends len bytes claimed to be UTF-8, each invalid sequence as U+FFFD. */
void cv_rtf__put_utf8(cv_rtf__buf *b, const char *s, size_t len);
/* Decodes one UTF-8 sequence at s (n bytes available): the code point, or
 * U+FFFD for an invalid one; *used gets the bytes consumed (>= 1). */
uint32_t cv_rtf__utf8_next(const char *s, size_t n, size_t *used);

/* Windows-1252: the code point of byte c, and the byte of code point cp (0
 * when 1252 has none). */
uint32_t cv_rtf__cp1252_to_ucs(uint8_t c);
uint8_t cv_rtf__ucs_to_cp1252(uint32_t cp);

/* ---- Push plumbing (push.c) ---- */

/* What every streaming converter is: its three operations. */
struct cv_push {
    int (*feed)(cv_push *p, const char *data, size_t len);
    int (*end)(cv_push *p);
    void (*free)(cv_push *p);
    int err;                  /* sticky: the first error */
};

/* Sets p's operations (its err cleared). */
void cv_rtf__push_init(cv_push *p, int (*feed)(cv_push *, const char *, size_t),
                       int (*end)(cv_push *), void (*free_fn)(cv_push *));

/* The input not consumed yet: what was held back (a token not complete)
 * and what was fed after it. */
typedef struct cv_rtf__in {
    char *data;
    size_t len, cap;
    size_t want;              /* try again once len reaches this */
} cv_rtf__in;

/* Appends: 0 or -1 (st_error_set, what: the converter). */
int cv_rtf__in_add(cv_rtf__in *in, const char *data, size_t len, const char *what);
/* Drops the first used bytes; the rest is kept for the next feed, and is
 * tried again only when the input has grown enough (twice, or by 4096):
 * so a long token fed a byte at a time costs linear time. */
void cv_rtf__in_drop(cv_rtf__in *in, size_t used);
void cv_rtf__in_free(cv_rtf__in *in);
/* A chunk of input: run(ctx, s, n) converts what is complete in s[0..n)
 * (not the end of the input) and says how many bytes it used; the rest is
 * held. The chunk is used in place when nothing is held (no copy), else
 * appended and run once the input has grown enough. 0 or -1. */
int cv_rtf__in_feed(cv_rtf__in *in, const char *data, size_t len, const char *what,
                    size_t (*run)(void *ctx, const char *s, size_t n), void *ctx);

/* Hands out->data[0..upto) to the sink and keeps the rest: 0 or the sink's
 * error. */
int cv_rtf__buf_drain(cv_rtf__buf *b, size_t upto, cv_sink_fn sink, void *ctx);
/* cv_rtf_compress_push with hash tables sized for size_hint input bytes
 * (SIZE_MAX: unknown, the biggest): cv_rtf_compress gives its exact bytes
 * with the input's length. */
int cv_rtf__compress_push_hint(cv_push **out, unsigned flags, cv_sink_fn sink, void *ctx,
                               size_t size_hint);
/* b->err, with st_error_set saying what (what: "RTF to text" ...) ran out
 * of memory or past b's limit; 0 when b has no error. */
int cv_rtf__buf_error(const cv_rtf__buf *b, const char *what);
/* A whole-buffer function over a streaming one: feeds in (len bytes; NULL:
 * none) to p, whose sink appends to b (cv_rtf__buf_sink), ends and frees p,
 * then hands b's bytes to *out as cv_rtf__buf_finish does: 0 or the error
 * (b freed). */
int cv_rtf__push_whole(cv_push *p, cv_rtf__buf *b, const void *in, size_t len, char **out,
                       size_t *out_len, const char *what);
/* A cv_sink_fn appending to the cv_rtf__buf ctx: 0 or its error. */
int cv_rtf__buf_sink(void *ctx, const void *data, size_t len);

/* Where HTML text s[from..n) (a text token that may go on after n) can be
 * cut so both parts convert as the whole does: not inside a UTF-8
 * sequence, a character reference or a whitespace run. A cut > from, or
 * from when there is none near the end. */
size_t cv_rtf__html_text_cut(const char *s, size_t from, size_t n);

/* ---- The RTF reader shared by cv_rtf_to_text and cv_rtf_to_html ---- */

/* Events of the reader. */
enum {
    CV_RTF__TEXT,       /* text (UTF-8 in s, n) */
    CV_RTF__PAR,        /* \par, \sect, \page, \<CR> \<LF> */
    CV_RTF__LINE,       /* \line */
    CV_RTF__TAB,        /* \tab, a TAB byte */
    CV_RTF__CELL,       /* \cell, \nestcell */
    CV_RTF__ROW,        /* \row, \nestrow */
    CV_RTF__FIELD,      /* a \field group begins */
    CV_RTF__FIELD_END   /* it ends; s, n: its \fldinst text */
};

/* Where an event happens (bits of `where`). */
#define CV_RTF__IN_HTMLTAG 0x1u /* inside an \*\htmltag group (HTML mode only) */
#define CV_RTF__HTMLRTF 0x2u    /* under \htmlrtf (RTF-only content) */
#define CV_RTF__HIDDEN 0x4u     /* hidden text (\v) */

/* Reader mode. */
#define CV_RTF__MODE_HTML 0x1u  /* keep \*\htmltag groups; read their escapes
                                   in the \ansicpg code page */

typedef int (*cv_rtf__event_fn)(void *ctx, int event, const char *s, size_t n,
                                unsigned where);

/* Reads the RTF document and calls fn for every event, in order; stops with
 * fn's error when it returns non-zero. Returns 0, CV_EPARSE (no "{\rtf"),
 * -1 (out of memory) or fn's error. */
int cv_rtf__read(const char *rtf, size_t len, unsigned mode, cv_rtf__event_fn fn,
                 void *ctx);

/* cv_rtf__read in chunks: a cv_push whose events go to fn as they come
 * (the same events, in the same order, as for the whole input). 0 or -1. */
int cv_rtf__read_push(cv_push **out, unsigned mode, cv_rtf__event_fn fn, void *ctx);

/* HTML character reference at s (n bytes, s[0] == '&'): the code point in
 * *out and the bytes used, or 0 when s starts no reference. HTML5 rules:
 * numbers (windows-1252 remap of 0x80-0x9F; 0, surrogates and > 0x10FFFF as
 * U+FFFD; ';' optional), names with ';', and the legacy ones (Latin-1, amp,
 * lt, gt, quot ...) also without, except in an attribute value (in_attr)
 * where an alphanumeric or '=' follows. */
size_t cv_rtf__html_entity(const char *s, size_t n, int in_attr, uint32_t *out);

/* HTML tokens, as the HTML converters see them. */
enum {
    CV_RTF__H_TEXT,     /* text up to the next markup */
    CV_RTF__H_START,    /* <name ...> */
    CV_RTF__H_END,      /* </name ...> */
    CV_RTF__H_COMMENT,  /* <!-- ... --> */
    CV_RTF__H_OTHER     /* <!DOCTYPE ...>, <![if ...]>, <? ... > */
};

typedef struct cv_rtf__htok {
    int kind;           /* CV_RTF__H_* */
    size_t start;       /* first byte of the token */
    size_t end;         /* one past its last byte */
    char name[16];      /* START/END: tag name, lowercase, cut at 15 bytes */
    int unterminated;   /* markup cut by the end of the input */
} cv_rtf__htok;

/* The token at i (i < n); returns t->end (> i). */
size_t cv_rtf__html_next(const char *s, size_t n, size_t i, cv_rtf__htok *t);
/* Raw text of <script>, <style> ...: where "</name" begins at or after i
 * (case-insensitively), or n. */
size_t cv_rtf__html_raw_end(const char *s, size_t n, size_t i, const char *name);
/* The raw value of attribute attr (lowercase) in the start tag tok (its
 * bytes s[t->start..t->end)): 1 and *val, *vlen (quotes removed, character
 * references not decoded), or 0. */
int cv_rtf__html_attr(const char *s, const cv_rtf__htok *t, const char *attr,
                      const char **val, size_t *vlen);

/* The value of the first charset declared by a <meta> tag in html (at most
 * size - 1 bytes into buf, NUL-terminated): 1 found, 0 not. */
int cv_rtf__html_meta_charset(const char *html, size_t len, char *buf, size_t size);

#endif /* MAPIDAV_CONVERT_RTF_H */
