/*
 * rtf_lzfu.c: compressed RTF ([MS-OXRTFCP]): PR_RTF_COMPRESSED to RTF and
 * back, LZFu (with its CRC checked on read and written on compress) and the
 * uncompressed MELA form.
 *
 * Invariant: the decoder's dictionary is the spec's: 4096 bytes, the 207-byte
 * preset at 0, zeros after, the write offset at 207; a reference whose offset
 * is the write offset ends the stream. The encoder sees the same dictionary as
 * the linear text "preset + input" (position p lives at offset p % 4096), so
 * any earlier position at distance 1..4095 is a valid match source, overlaps
 * included.
 *
 * Both ways stream (cv_rtf_compress_push, cv_rtf_decompress_push; the
 * whole-buffer functions wrap them): the encoder keeps a window of the last
 * 4096 positions plus what was fed, encodes a position once 19 bytes follow
 * it, and leaves the header (sizes, CRC) to be written last; the decoder
 * checks COMPSIZE and the CRC at the end.
 *
 * Never: trust COMPSIZE or RAWSIZE (the first is checked against the input,
 * the second is only a hint; output is capped by the caller's limit), read
 * past the input, or allocate more than 8 bytes of output per input byte.
 */
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "storage/error.h"

#define DICT_SIZE 4096u
#define DICT_MASK (DICT_SIZE - 1)
#define MAX_MATCH 17u
#define MIN_MATCH 2u

/* [MS-OXRTFCP] 2.1.2.1: the dictionary's initial content. */
static const char preset[] =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman "
    "\\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes "
    "New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
    "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
#define PRESET_LEN (sizeof preset - 1)
_Static_assert(sizeof preset - 1 == 207, "the preset dictionary is 207 bytes");

/* CRC-32, polynomial 0xEDB88320, as [MS-OXRTFCP] 2.1.3.2 uses it. */
static const uint32_t crc_table[256] = {
    0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u, 0x706af48fu,
    0xe963a535u, 0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u, 0xe0d5e91eu, 0x97d2d988u,
    0x09b64c2bu, 0x7eb17cbdu, 0xe7b82d07u, 0x90bf1d91u, 0x1db71064u, 0x6ab020f2u,
    0xf3b97148u, 0x84be41deu, 0x1adad47du, 0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u,
    0x136c9856u, 0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu, 0x14015c4fu, 0x63066cd9u,
    0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u, 0xa2677172u,
    0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu, 0x35b5a8fau, 0x42b2986cu,
    0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u, 0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u,
    0x26d930acu, 0x51de003au, 0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u,
    0xcfba9599u, 0xb8bda50fu, 0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u,
    0x2f6f7c87u, 0x58684c11u, 0xc1611dabu, 0xb6662d3du, 0x76dc4190u, 0x01db7106u,
    0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu, 0x9fbfe4a5u, 0xe8b8d433u,
    0x7807c9a2u, 0x0f00f934u, 0x9609a88eu, 0xe10e9818u, 0x7f6a0dbbu, 0x086d3d2du,
    0x91646c97u, 0xe6635c01u, 0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu,
    0x6c0695edu, 0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u,
    0x8bbeb8eau, 0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u, 0xfbd44c65u,
    0x4db26158u, 0x3ab551ceu, 0xa3bc0074u, 0xd4bb30e2u, 0x4adfa541u, 0x3dd895d7u,
    0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au, 0x346ed9fcu, 0xad678846u, 0xda60b8d0u,
    0x44042d73u, 0x33031de5u, 0xaa0a4c5fu, 0xdd0d7cc9u, 0x5005713cu, 0x270241aau,
    0xbe0b1010u, 0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u, 0xce61e49fu,
    0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u, 0x2eb40d81u,
    0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u, 0x03b6e20cu, 0x74b1d29au,
    0xead54739u, 0x9dd277afu, 0x04db2615u, 0x73dc1683u, 0xe3630b12u, 0x94643b84u,
    0x0d6d6a3eu, 0x7a6a5aa8u, 0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u,
    0xf00f9344u, 0x8708a3d2u, 0x1e01f268u, 0x6906c2feu, 0xf762575du, 0x806567cbu,
    0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u, 0x10da7a5au, 0x67dd4accu,
    0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u, 0xd6d6a3e8u, 0xa1d1937eu,
    0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u, 0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu,
    0xd80d2bdau, 0xaf0a1b4cu, 0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u,
    0x316e8eefu, 0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u,
    0xcc0c7795u, 0xbb0b4703u, 0x220216b9u, 0x5505262fu, 0xc5ba3bbeu, 0xb2bd0b28u,
    0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u, 0xb5d0cf31u, 0x2cd99e8bu, 0x5bdeae1du,
    0x9b64c2b0u, 0xec63f226u, 0x756aa39cu, 0x026d930au, 0x9c0906a9u, 0xeb0e363fu,
    0x72076785u, 0x05005713u, 0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu, 0x0cb61b38u,
    0x92d28e9bu, 0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
    0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u, 0x18b74777u,
    0x88085ae6u, 0xff0f6a70u, 0x66063bcau, 0x11010b5cu, 0x8f659effu, 0xf862ae69u,
    0x616bffd3u, 0x166ccf45u, 0xa00ae278u, 0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u,
    0xa7672661u, 0xd06016f7u, 0x4969474du, 0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu,
    0x40df0b66u, 0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u, 0x47b2cf7fu, 0x30b5ffe9u,
    0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u, 0xcdd70693u,
    0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u, 0x5d681b02u, 0x2a6f2b94u,
    0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu, 0x2d02ef8du,
};

uint32_t cv_rtf_crc(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    for (size_t i = 0; i < len; i++)
        crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int cv_rtf_header_read(cv_rtf_header *out, const void *in, size_t len)
{
    const uint8_t *p = in;

    memset(out, 0, sizeof *out);
    if (!in || len < 16) {
        st_error_set("compressed RTF: %zu bytes, shorter than its 16-byte header", len);
        return CV_EPARSE;
    }
    out->comp_size = get_le32(p);
    out->raw_size = get_le32(p + 4);
    out->magic = get_le32(p + 8);
    out->crc = get_le32(p + 12);
    if (out->magic != CV_RTF_MAGIC_LZFU && out->magic != CV_RTF_MAGIC_MELA) {
        st_error_set("compressed RTF: unknown type 0x%08x", (unsigned)out->magic);
        return CV_EPARSE;
    }
    return 0;
}

/* ---- Decompression ----
 *
 * In chunks: the header first, then the content. The output buffer starts
 * with the dictionary laid out linearly (DICT_SIZE bytes: zeros, then the
 * preset at the end) and keeps the last DICT_SIZE bytes written in front
 * when the rest goes to the sink; the slot a reference names is then always
 * DICT_SIZE - 1 bytes back or less: the byte at distance d = (write offset
 * - offset) mod 4096, so copies are plain (overlapping ones byte by byte,
 * as the format means them). COMPSIZE and the CRC can only be checked at
 * the end: output already given stays given (the whole-buffer function
 * drops it on error).
 */

#define DEC_OUT 65536u     /* decompressed bytes gathered before they go to the sink */
#define DEC_STOP (-99)     /* cv_rtf__decompress_prefix's sink: enough */

typedef struct lzdec {
    cv_push base;          /* first: the push's operations */
    cv_sink_fn sink;
    void *sink_ctx;
    size_t limit;          /* output cap */
    unsigned flags;        /* CV_RTF_NO_CRC */
    uint8_t head[16];      /* the header as it comes */
    size_t nhead;
    cv_rtf_header h;
    uint64_t left;         /* content bytes still to come (COMPSIZE - 12, or RAWSIZE for MELA) */
    uint64_t seen;         /* content bytes seen */
    uint32_t crc;          /* their CRC */
    uint32_t wpos;         /* the write offset */
    unsigned ctrl;         /* the run's control byte */
    unsigned bit;          /* its next bit; 8: a control byte comes next */
    int half;              /* the first byte of a reference, or -1 */
    int done;              /* the end reference was read */
    uint64_t total;        /* bytes output */
    size_t o;              /* the next byte of buf (DICT_SIZE: nothing new) */
    uint8_t buf[DICT_SIZE + DEC_OUT + MAX_MATCH];
} lzdec;

static int dec_flush(lzdec *d)
{
    size_t n = d->o - DICT_SIZE;
    if (n == 0)
        return 0;
    int rc = d->sink(d->sink_ctx, d->buf + DICT_SIZE, n);
    memmove(d->buf, d->buf + d->o - DICT_SIZE, DICT_SIZE);
    d->o = DICT_SIZE;
    return rc;
}

/* Decodes content bytes p[0..n). */
static int dec_lzfu(lzdec *d, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n && !d->done; i++) {
        uint8_t b = p[i];
        uint32_t len = 1;
        if (d->bit == 8) {
            d->ctrl = b;
            d->bit = 0;
            continue;
        }
        if (!(d->ctrl >> d->bit & 1)) {
            d->buf[d->o] = b;
        } else if (d->half < 0) {
            d->half = b;
            continue;
        } else {
            uint32_t ref = (uint32_t)d->half << 8 | b;
            uint32_t dist = (d->wpos - (ref >> 4)) & DICT_MASK;
            len = (ref & 0xF) + MIN_MATCH;
            d->half = -1;
            if (dist == 0) {
                d->done = 1;   /* the end reference: its offset is the write offset */
                break;
            }
            const uint8_t *src = d->buf + d->o - dist;
            uint8_t *dst = d->buf + d->o;
            if (dist >= len) {
                memcpy(dst, src, len);
            } else {
                for (uint32_t k = 0; k < len; k++)
                    dst[k] = src[k];  /* overlapping: the bytes being written are read */
            }
        }
        if (len > d->limit - d->total) {
            st_error_set("compressed RTF: the RTF is larger than the limit of %zu bytes",
                         d->limit);
            return CV_ELIMIT;
        }
        d->total += len;
        d->o += len;
        d->wpos = (d->wpos + len) & DICT_MASK;
        if (++d->bit == 8)
            d->ctrl = 0;
        if (d->o >= DICT_SIZE + DEC_OUT) {
            int rc = dec_flush(d);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int dec_feed(cv_push *p, const char *data, size_t len)
{
    lzdec *d = (lzdec *)p;
    const uint8_t *in = (const uint8_t *)data;
    if (d->nhead < 16) {
        size_t take = 16 - d->nhead < len ? 16 - d->nhead : len;
        memcpy(d->head + d->nhead, in, take);
        d->nhead += take;
        in += take;
        len -= take;
        if (d->nhead < 16)
            return 0;
        int rc = cv_rtf_header_read(&d->h, d->head, 16);
        if (rc)
            return rc;
        if (d->h.magic == CV_RTF_MAGIC_MELA) {
            d->left = d->h.raw_size;
        } else if (d->h.comp_size < 12) {
            st_error_set("compressed RTF: COMPSIZE %u is smaller than the header",
                         (unsigned)d->h.comp_size);
            return CV_EPARSE;
        } else {
            d->left = (uint64_t)d->h.comp_size - 12;
        }
    }
    size_t take = len < d->left ? len : (size_t)d->left;   /* what follows is not content */
    d->left -= take;
    d->seen += take;
    if (d->h.magic == CV_RTF_MAGIC_MELA) {
        /* stored as is: RAWSIZE bytes, or what there is */
        if (d->total + take > d->limit) {
            st_error_set("compressed RTF: the RTF is larger than the limit of %zu bytes",
                         d->limit);
            return CV_ELIMIT;
        }
        d->total += take;
        int rc = dec_flush(d);
        return rc || !take ? rc : d->sink(d->sink_ctx, in, take);
    }
    d->crc = cv_rtf_crc(d->crc, in, take);
    return dec_lzfu(d, in, take);
}

static int dec_end(cv_push *p)
{
    lzdec *d = (lzdec *)p;
    if (d->nhead < 16)
        return cv_rtf_header_read(&d->h, d->head, d->nhead);   /* says it is too short */
    if (d->h.magic == CV_RTF_MAGIC_LZFU) {
        if (d->left) {
            st_error_set("compressed RTF: cut: the header says %llu content bytes, %llu are "
                         "there", (unsigned long long)(d->seen + d->left),
                         (unsigned long long)d->seen);
            return CV_EPARSE;
        }
        if (d->crc != d->h.crc && !(d->flags & CV_RTF_NO_CRC)) {
            st_error_set("compressed RTF: CRC 0x%08x does not match the header's 0x%08x",
                         (unsigned)d->crc, (unsigned)d->h.crc);
            return CV_EPARSE;
        }
    }
    return dec_flush(d);
}

static void dec_free(cv_push *p)
{
    free(p);
}

int cv_rtf_decompress_push(cv_push **out, size_t limit, unsigned flags, cv_sink_fn sink,
                           void *ctx)
{
    lzdec *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d) {
        st_error_set("compressed RTF: out of memory");
        return -1;
    }
    cv_rtf__push_init(&d->base, dec_feed, dec_end, dec_free);
    d->sink = sink;
    d->sink_ctx = ctx;
    d->limit = limit ? limit : CV_RTF_LIMIT;
    d->flags = flags;
    memcpy(d->buf + DICT_SIZE - PRESET_LEN, preset, PRESET_LEN);
    d->o = DICT_SIZE;
    d->wpos = PRESET_LEN;
    d->bit = 8;
    d->half = -1;
    *out = &d->base;
    return 0;
}

int cv_rtf_decompress(uint8_t **out, size_t *out_len, const void *in, size_t len,
                      size_t limit, unsigned flags)
{
    cv_push *p;
    cv_rtf__buf b;
    cv_rtf_header h;
    int rc;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (limit == 0)
        limit = CV_RTF_LIMIT;
    if ((rc = cv_rtf_header_read(&h, in, len)) != 0)
        return rc;
    /* RAWSIZE is only a hint: the first allocation, never more than 8
     * bytes per input byte. */
    cv_rtf__buf_init(&b, limit);
    size_t hint = h.raw_size < len * 8 ? h.raw_size : len * 8;
    if (hint > limit)
        hint = limit;
    if (cv_rtf__buf_grow(&b, hint + 1) || cv_rtf_decompress_push(&p, limit, flags,
                                                                 cv_rtf__buf_sink, &b)) {
        cv_rtf__buf_free(&b);
        st_error_set("compressed RTF: out of memory");
        return -1;
    }
    return cv_rtf__push_whole(p, &b, in, len, (char **)out, out_len, "compressed RTF");
}

/* cv_rtf__decompress_prefix's sink: fills the caller's buffer, then stops. */
typedef struct prefix_sink {
    char *buf;
    size_t size, n;
} prefix_sink;

static int prefix_put(void *ctx, const void *data, size_t len)
{
    prefix_sink *k = ctx;
    size_t take = k->size - k->n < len ? k->size - k->n : len;
    memcpy(k->buf + k->n, data, take);
    k->n += take;
    return k->n == k->size ? DEC_STOP : 0;
}

size_t cv_rtf__decompress_prefix(char *buf, size_t size, const void *in, size_t len)
{
    cv_push *p;
    cv_rtf_header h;
    prefix_sink k = { buf, size, 0 };

    if (size == 0 || cv_rtf_header_read(&h, in, len) != 0)
        return 0;
    if (cv_rtf_decompress_push(&p, 0, CV_RTF_NO_CRC, prefix_put, &k))
        return 0;
    /* Feed in pieces so a long body stops early; errors (a cut content)
     * leave what came out. */
    const char *s = in;
    for (size_t i = 0; i < len && !p->err; i += 4096)
        cv_push_feed(p, s + i, len - i < 4096 ? len - i : 4096);
    if (!p->err)
        cv_push_end(p);
    /* what is still gathered in the decoder when it stopped early */
    lzdec *d = (lzdec *)p;
    if (p->err == 0 || d->o > DICT_SIZE)
        (void)dec_flush(d);
    cv_push_free(p);
    return k.n;
}

/* ---- Compression ----
 *
 * Greedy: at each position the longest match (2..17 bytes) within the last
 * 4095 positions, with equal lengths going to the lowest dictionary offset
 * (what the spec's worked example does). Matches of 3 bytes and more are
 * found through chains of positions hashed on 3 bytes (at most CHAIN3
 * tried); only when there is none, a 2-byte match through a second set of
 * chains (at most CHAIN2 tried). Chains keep only the last 4096 positions,
 * which is all a reference can reach.
 */

#define CHAIN3 32
#define CHAIN2 16

typedef struct matcher {
    const uint8_t *text;   /* the window: position p is text[p - base] */
    size_t base;           /* the position of text[0] */
    uint32_t mask3;        /* hash table sizes - 1 */
    uint32_t mask2;
    int32_t *head3;        /* newest position per 3-byte hash, -1 none */
    int32_t *head2;        /* newest position per 2-byte hash, -1 none */
    int32_t prev3[DICT_SIZE]; /* the position before, same 3-byte hash */
    int32_t prev2[DICT_SIZE]; /* the position before, same 2-byte hash */
} matcher;

static inline uint32_t hash3(const uint8_t *p)
{
    return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) * 2654435761u >> 8;
}

static inline uint32_t hash2(const uint8_t *p)
{
    return ((uint32_t)p[0] << 8 | p[1]) * 2654435761u >> 12;
}

/* The window has two zero bytes after the end of the input, so positions
 * near it hash too (a candidate is always checked byte by byte within the
 * input). */
static inline void chain_insert(matcher *m, size_t pos)
{
    const uint8_t *p = m->text + (pos - m->base);
    uint32_t h3 = hash3(p) & m->mask3, h2 = hash2(p) & m->mask2;

    m->prev3[pos & DICT_MASK] = m->head3[h3];
    m->head3[h3] = (int32_t)pos;
    m->prev2[pos & DICT_MASK] = m->head2[h2];
    m->head2[h2] = (int32_t)pos;
}

/* Walks one chain from cand; keeps the best (length, offset) in *len, *off. */
static void chain_walk(const matcher *m, const int32_t *prev, int32_t cand, size_t pos,
                       uint32_t maxlen, int tries, uint32_t *len, uint32_t *off)
{
    const uint8_t *t = m->text, *tp = m->text + (pos - m->base);

    for (; cand >= 0 && tries > 0; tries--) {
        size_t c = (size_t)cand;
        if (pos - c > DICT_SIZE - 1)
            break;  /* out of the window; older ones too */
        const uint8_t *tc = t + (c - m->base);
        if (tc[0] == tp[0] && tc[1] == tp[1]) {
            uint32_t l = 2;
            while (l < maxlen && tc[l] == tp[l])
                l++;
            uint32_t o = (uint32_t)(c & DICT_MASK);
            if (l > *len || (l == *len && o < *off)) {
                *len = l;
                *off = o;
                if (l == MAX_MATCH)
                    break;
            }
        }
        cand = prev[c & DICT_MASK];
    }
}

#define OUT_CHUNK 65536u   /* compressed bytes gathered before they go to the sink */

typedef struct encoder {
    uint8_t out[OUT_CHUNK + 64]; /* output not handed to the sink yet */
    size_t o;          /* bytes in it */
    size_t ctrl_at;    /* where the current run's control byte goes */
    unsigned ctrl;     /* its bits so far */
    unsigned nbits;    /* tokens in the current run */
} encoder;

static void enc_token_start(encoder *e)
{
    if (e->nbits == 0) {
        e->ctrl_at = e->o++;
        e->ctrl = 0;
    }
}

static void enc_token_end(encoder *e)
{
    if (++e->nbits == 8) {
        e->out[e->ctrl_at] = (uint8_t)e->ctrl;
        e->nbits = 0;
    }
}

static void enc_literal(encoder *e, uint8_t c)
{
    enc_token_start(e);
    e->out[e->o++] = c;
    enc_token_end(e);
}

static void enc_ref(encoder *e, uint32_t off, uint32_t len)
{
    uint32_t ref = (off & DICT_MASK) << 4 | ((len - MIN_MATCH) & 0xF);

    enc_token_start(e);
    e->ctrl |= 1u << e->nbits;
    e->out[e->o++] = (uint8_t)(ref >> 8);
    e->out[e->o++] = (uint8_t)ref;
    enc_token_end(e);
}

/* The streaming compressor: the window holds the input from 4096 positions
 * before the next one to encode (what a match can reach) to the end of
 * what was fed (a position is encoded once 19 bytes follow it: a match of
 * 17 and the hash of its last position). */
typedef struct lzenc {
    cv_push base;          /* first: the push's operations */
    unsigned flags;        /* CV_RTF_STORE_UNCOMPRESSED */
    cv_sink_fn sink;
    void *sink_ctx;
    int started;           /* the header's placeholder went to the sink */
    uint64_t in_len;       /* input bytes fed */
    uint64_t content;      /* bytes after the header given to the sink */
    uint32_t crc;          /* their CRC */
    int ended;             /* cv_push_end done: the header is known */
    uint8_t *win;          /* the window (positions from m->base) */
    size_t wlen, wcap;     /* bytes in it, allocated (+2 zero bytes) */
    size_t pos;            /* next position to encode */
    int preset_indexed;    /* the preset's positions are in the chains */
    matcher *m;
    encoder e;
} lzenc;

static int lz_out(lzenc *z, const uint8_t *p, size_t n)
{
    if (!z->started) {
        static const uint8_t zero[16];
        z->started = 1;
        int rc = z->sink(z->sink_ctx, zero, 16);
        if (rc)
            return rc;
    }
    if (n == 0)
        return 0;
    z->crc = cv_rtf_crc(z->crc, p, n);
    z->content += n;
    return z->sink(z->sink_ctx, p, n);
}

/* Hands the encoder's finished bytes to the sink (not the run whose
 * control byte is still open). */
static int lz_drain(lzenc *z)
{
    encoder *e = &z->e;
    size_t upto = e->nbits ? e->ctrl_at : e->o;
    int rc = lz_out(z, e->out, upto);
    if (rc)
        return rc;
    memmove(e->out, e->out + upto, e->o - upto);
    e->o -= upto;
    if (e->nbits)
        e->ctrl_at -= upto;
    return 0;
}

/* Encodes what the window allows (everything when final). */
static int lz_run(lzenc *z, int final)
{
    matcher *m = z->m;
    size_t end = m->base + z->wlen;   /* one past the last position */

    if (!z->preset_indexed) {
        if (!final && end < PRESET_LEN + MAX_MATCH + 2)
            return 0;
        /* Index the preset: every position of it can start a match. */
        for (size_t p = 0; p < PRESET_LEN; p++)
            chain_insert(m, p);
        z->preset_indexed = 1;
    }
    while (z->pos < end && (final || end - z->pos >= MAX_MATCH + 2)) {
        size_t pos = z->pos;
        uint32_t best_len = 0, best_off = 0;
        size_t avail = end - pos;
        uint32_t maxlen = avail < MAX_MATCH ? (uint32_t)avail : MAX_MATCH;
        const uint8_t *tp = m->text + (pos - m->base);
        if (avail >= 3)
            chain_walk(m, m->prev3, m->head3[hash3(tp) & m->mask3], pos, maxlen, CHAIN3,
                       &best_len, &best_off);
        if (best_len < 3 && avail >= 2)
            chain_walk(m, m->prev2, m->head2[hash2(tp) & m->mask2], pos, maxlen, CHAIN2,
                       &best_len, &best_off);
        size_t step = 1;
        if (best_len >= MIN_MATCH) {
            enc_ref(&z->e, best_off, best_len);
            step = best_len;
        } else {
            enc_literal(&z->e, *tp);
        }
        /* Index every position passed: the next search may start a match
         * at any of them (at distance 1 too: references may overlap the
         * bytes they produce). */
        for (size_t k = 0; k < step; k++)
            chain_insert(m, pos + k);
        z->pos = pos + step;
        if (z->e.o >= OUT_CHUNK) {
            int rc = lz_drain(z);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int lz_add(lzenc *z, const uint8_t *data, size_t len)
{
    matcher *m = z->m;
    /* Forget what no match can reach any more (by 64 KB at least, so
     * small chunks do not move the window each time). */
    size_t keep_from = z->pos > DICT_SIZE ? z->pos - DICT_SIZE : 0;
    if (keep_from >= m->base + 65536 && z->preset_indexed) {
        size_t drop = keep_from - m->base;
        memmove(z->win, z->win + drop, z->wlen - drop);
        z->wlen -= drop;
        m->base += drop;
    }
    if (z->wcap - z->wlen < len + 2) {
        size_t ncap = z->wcap * 2;
        if (ncap < z->wlen + len + 2)
            ncap = z->wlen + len + 2;
        uint8_t *n = realloc(z->win, ncap);
        if (!n) {
            st_error_set("compressing RTF: out of memory");
            return -1;
        }
        z->win = n;
        z->wcap = ncap;
        m->text = n;
    }
    memcpy(z->win + z->wlen, data, len);
    z->wlen += len;
    z->win[z->wlen] = 0;
    z->win[z->wlen + 1] = 0;
    return 0;
}

static int lz_feed(cv_push *p, const char *data, size_t len)
{
    lzenc *z = (lzenc *)p;
    if (len > CV_RTF_LIMIT - z->in_len) {
        st_error_set("compressing RTF: more than the limit of %zu bytes", (size_t)CV_RTF_LIMIT);
        return CV_ELIMIT;
    }
    z->in_len += len;
    if (z->flags & CV_RTF_STORE_UNCOMPRESSED)
        return lz_out(z, (const uint8_t *)data, len);
    int rc = lz_add(z, (const uint8_t *)data, len);
    return rc ? rc : lz_run(z, 0);
}

static int lz_end(cv_push *p)
{
    lzenc *z = (lzenc *)p;
    int rc = 0;
    if (!(z->flags & CV_RTF_STORE_UNCOMPRESSED)) {
        rc = lz_run(z, 1);
        if (rc)
            return rc;
        /* The end: a reference to the write offset. */
        enc_ref(&z->e, (uint32_t)(z->pos & DICT_MASK), MIN_MATCH);
        if (z->e.nbits)
            z->e.out[z->e.ctrl_at] = (uint8_t)z->e.ctrl;
        z->e.nbits = 0;
        rc = lz_drain(z);
    } else {
        rc = lz_out(z, NULL, 0);
    }
    z->ended = rc == 0;
    return rc;
}

static void lz_free(cv_push *p)
{
    lzenc *z = (lzenc *)p;
    if (!z)
        return;
    free(z->win);
    free(z->m);
    free(z);
}

int cv_rtf__compress_push_hint(cv_push **out, unsigned flags, cv_sink_fn sink, void *ctx,
                               size_t size_hint)
{
    lzenc *z = calloc(1, sizeof *z);
    *out = NULL;
    if (!z)
        goto nomem;
    cv_rtf__push_init(&z->base, lz_feed, lz_end, lz_free);
    z->flags = flags;
    z->sink = sink;
    z->sink_ctx = ctx;
    if (!(flags & CV_RTF_STORE_UNCOMPRESSED)) {
        /* Hash tables sized to the input: small bodies do not pay for big ones. */
        size_t total = size_hint > SIZE_MAX - PRESET_LEN ? SIZE_MAX : PRESET_LEN + size_hint;
        uint32_t bits3 = 10, bits2 = 10;
        while (bits3 < 15 && ((size_t)1 << bits3) < total)
            bits3++;
        while (bits2 < 13 && ((size_t)1 << bits2) < total)
            bits2++;
        size_t heads = ((size_t)1 << bits3) + ((size_t)1 << bits2);
        z->m = malloc(sizeof *z->m + heads * sizeof(int32_t));
        z->wcap = PRESET_LEN + (size_hint < (1u << 20) ? size_hint : (1u << 20)) + 2;
        z->win = malloc(z->wcap);
        if (!z->m || !z->win)
            goto nomem;
        matcher *m = z->m;
        m->mask3 = (1u << bits3) - 1;
        m->mask2 = (1u << bits2) - 1;
        m->head3 = (int32_t *)(m + 1);
        m->head2 = m->head3 + ((size_t)1 << bits3);
        memset(m->head3, 0xFF, heads * sizeof(int32_t));
        m->text = z->win;
        m->base = 0;
        memcpy(z->win, preset, PRESET_LEN);
        z->wlen = PRESET_LEN;
        z->win[z->wlen] = 0;
        z->win[z->wlen + 1] = 0;
        z->pos = PRESET_LEN;
    }
    *out = &z->base;
    return 0;
nomem:
    lz_free(z ? &z->base : NULL);
    st_error_set("compressing RTF: out of memory");
    return -1;
}

int cv_rtf_compress_push(cv_push **out, unsigned flags, cv_sink_fn sink, void *ctx)
{
    return cv_rtf__compress_push_hint(out, flags, sink, ctx, SIZE_MAX);
}

int cv_rtf_compress_header(cv_push *p, uint8_t header[16])
{
    lzenc *z = (lzenc *)p;
    if (!z->ended || z->content > UINT32_MAX - 12 || z->in_len > UINT32_MAX) {
        st_error_set("compressing RTF: no header: not ended, or beyond 32-bit sizes");
        return CV_ELIMIT;
    }
    int mela = (z->flags & CV_RTF_STORE_UNCOMPRESSED) != 0;
    put_le32(header, (uint32_t)(z->content + 12));
    put_le32(header + 4, (uint32_t)z->in_len);
    put_le32(header + 8, mela ? CV_RTF_MAGIC_MELA : CV_RTF_MAGIC_LZFU);
    put_le32(header + 12, mela ? 0 : z->crc);
    return 0;
}

int cv_rtf_compress(uint8_t **out, size_t *out_len, const void *rtf, size_t len,
                    unsigned flags)
{
    cv_push *p;
    cv_rtf__buf b;
    int rc;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (len > CV_RTF_LIMIT) {
        st_error_set("compressing RTF: %zu bytes is more than the limit of %zu", len,
                     (size_t)CV_RTF_LIMIT);
        return CV_ELIMIT;
    }
    if (!rtf)
        len = 0;
    /* Worst case: every byte a literal, one control byte per 8 tokens, the
     * end reference; the buffer's limit is only a guard. */
    cv_rtf__buf_init(&b, 16 + len + len / 8 + 64);
    if (cv_rtf__buf_grow(&b, 16 + len + len / 8 + 9) != 0) {
        st_error_set("compressing RTF: out of memory");
        return -1;
    }
    if (cv_rtf__compress_push_hint(&p, flags, cv_rtf__buf_sink, &b, len)) {
        cv_rtf__buf_free(&b);
        return -1;
    }
    rc = cv_push_feed(p, rtf, len);
    if (!rc)
        rc = cv_push_end(p);
    if (!rc && !b.err)
        rc = cv_rtf_compress_header(p, (uint8_t *)b.data);
    cv_push_free(p);
    if (rc && !b.err) {
        cv_rtf__buf_free(&b);
        return rc;
    }
    return cv_rtf__buf_finish(&b, (char **)out, out_len, "compressing RTF");
}
