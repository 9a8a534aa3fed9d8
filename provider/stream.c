/*
 * stream.c: IStream over a spool file or over storage (contract in
 * stream.h). Strings change form at the edges only: storage keeps UTF-8,
 * a stream shows what MAPI expects of the tag's type; conversions go in
 * pieces that never split a character.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <mapicode.h>

#include "provider/object.h"
#include "provider/shutdown.h"
#include "provider/stream.h"

#define PIECE ST_STREAM_CHUNK

static int is_string(uint32_t tag)
{
    return PROP_TYPE(tag) == PT_UNICODE || PROP_TYPE(tag) == PT_STRING8;
}

/* ---- spools */

static OVERLAPPED at(uint64_t pos)
{
    OVERLAPPED o;
    memset(&o, 0, sizeof o);
    o.Offset = (DWORD)pos;
    o.OffsetHigh = (DWORD)(pos >> 32);
    return o;
}

/* A temporary file, deleted on close: NULL when none could be made. */
static HANDLE temp_file(void)
{
    WCHAR dir[MAX_PATH + 1], name[MAX_PATH + 16];
    if (!GetTempPathW(MAX_PATH, dir) || !GetTempFileNameW(dir, L"mdv", 0, name))
        return NULL;
    HANDLE h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
        FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        DeleteFileW(name);
        return NULL;
    }
    return h;
}

HRESULT md_spool_new(md_spool **out, uint32_t tag)
{
    *out = NULL;
    HANDLE h = temp_file();
    if (!h)
        return MAPI_E_DISK_ERROR;
    md_spool *sp = calloc(1, sizeof *sp);
    if (!sp) {
        CloseHandle(h);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    sp->refs = 1;
    sp->tag = tag;
    sp->file = h;
    InitializeCriticalSection(&sp->lock);
    *out = sp;
    return S_OK;
}

HRESULT md_spool_new_mem(md_spool **out, uint32_t tag)
{
    md_spool *sp = calloc(1, sizeof *sp);
    *out = NULL;
    if (!sp)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    sp->refs = 1;
    sp->tag = tag;
    InitializeCriticalSection(&sp->lock);
    *out = sp;
    return S_OK;
}

HRESULT md_spool_new_direct(md_spool **out, md_store *s, st_id mid, uint32_t attach_num,
    uint32_t tag)
{
    HRESULT hr = md_spool_new_mem(out, tag);
    if (hr != S_OK)
        return hr;
    md_spool *sp = *out;
    EnterCriticalSection(&s->lock);
    int code = !mid ? st_stream_open_draft(&sp->w, s->st, tag)
        : st_stream_open_write(&sp->w, s->st, mid,
            attach_num == MD_ATTACH_NEW ? ST_NO_ATTACH : attach_num, tag);
    LeaveCriticalSection(&s->lock);
    if (code) {
        md_spool_release(sp);
        *out = NULL;
        return md_hr_from_st(code);
    }
    sp->ws = s;
    s->iface.lpVtbl->AddRef(&s->iface);
    sp->w_mid = mid;
    sp->w_num = attach_num;
    return S_OK;
}

/* Reads up to len bytes of storage reader r at pos (the store's lock
 * held): *got fewer at its end. */
static int read_at(st_stream *r, uint64_t pos, void *buf, size_t len, size_t *got)
{
    int code = st_stream_seek(r, pos);
    *got = 0;
    while (!code && *got < len) {
        size_t part = 0;
        code = st_stream_read(r, (char *)buf + *got, len - *got, &part);
        if (!part)
            break;
        *got += part;
    }
    return code;
}

/* Reads the bytes of a direct spool at pos (sp->lock held). */
static HRESULT direct_read(md_spool *sp, uint64_t pos, void *buf, ULONG len, ULONG *got)
{
    md_store *s = sp->ws;
    st_stream *r = NULL;
    size_t n = 0;
    int code = 0;
    EnterCriticalSection(&s->lock);
    if (sp->w) {
        code = st_stream_read_pending(sp->w, pos, buf, len, &n);
    } else {   /* committed: the property's */
        code = st_stream_open_read(&r, s->st, sp->w_mid, sp->w_num, sp->tag);
        if (!code)
            code = read_at(r, pos, buf, len, &n);
        st_stream_close(r);
    }
    LeaveCriticalSection(&s->lock);
    *got = (ULONG)n;
    return md_hr_from_st(code);
}

/* A direct spool moved into a temporary file (sp->lock held): its bytes
 * copied, the writer dropped. */
static HRESULT direct_to_file(md_spool *sp)
{
    HANDLE h = temp_file();
    char *buf = malloc(PIECE);
    HRESULT hr = h && buf ? S_OK : h ? MAPI_E_NOT_ENOUGH_MEMORY : MAPI_E_DISK_ERROR;
    for (uint64_t pos = 0; hr == S_OK && pos < sp->size;) {
        ULONG got = 0;
        DWORD put = 0;
        hr = direct_read(sp, pos, buf, PIECE, &got);
        if (hr == S_OK && !got)
            hr = MAPI_E_CORRUPT_DATA;   /* shorter than it was */
        OVERLAPPED o = at(pos);
        if (hr == S_OK && (!WriteFile(h, buf, got, &put, &o) || put != got))
            hr = MAPI_E_DISK_ERROR;
        pos += got;
    }
    free(buf);
    if (hr != S_OK) {
        if (h)
            CloseHandle(h);
        return hr;
    }
    md_store *s = sp->ws;
    EnterCriticalSection(&s->lock);
    st_stream_close(sp->w);   /* aborts an unfinished one */
    LeaveCriticalSection(&s->lock);
    sp->w = NULL;
    sp->ws = NULL;
    sp->committed = 0;
    sp->file = h;
    s->iface.lpVtbl->Release(&s->iface);
    return S_OK;
}

void md_spool_addref(md_spool *sp)
{
    InterlockedIncrement(&sp->refs);
}

void md_spool_release(md_spool *sp)
{
    if (!sp || InterlockedDecrement(&sp->refs) != 0)
        return;
    if (sp->ws) {
        EnterCriticalSection(&sp->ws->lock);
        st_stream_close(sp->w);   /* never committed: dropped */
        LeaveCriticalSection(&sp->ws->lock);
        sp->ws->iface.lpVtbl->Release(&sp->ws->iface);
    }
    if (sp->file)
        CloseHandle(sp->file);
    free(sp->mem);
    DeleteCriticalSection(&sp->lock);
    free(sp);
}

/* Takes sp's lock; for a direct spool the store's first (the order of
 * every path that holds both: GetProps reads spools under the store's
 * lock). The store stays while its spool's holder holds it. */
static md_store *spool_lock(md_spool *sp)
{
    md_store *ws = sp->ws;
    if (ws)
        EnterCriticalSection(&ws->lock);
    EnterCriticalSection(&sp->lock);
    return ws;
}

static void spool_unlock(md_spool *sp, md_store *ws)
{
    LeaveCriticalSection(&sp->lock);
    if (ws)
        LeaveCriticalSection(&ws->lock);
}

HRESULT md_spool_read(md_spool *sp, uint64_t pos, void *buf, ULONG len, ULONG *got)
{
    *got = 0;
    md_store *ws = spool_lock(sp);
    uint64_t size = sp->size;
    if (sp->lost) {
        spool_unlock(sp, ws);
        return sp->lost;
    }
    if (sp->ws) {
        HRESULT hr = pos < size && len ? direct_read(sp, pos, buf,
            len > size - pos ? (ULONG)(size - pos) : len, got) : S_OK;
        spool_unlock(sp, ws);
        return hr;
    }
    spool_unlock(sp, ws);
    if (pos >= size || !len)
        return S_OK;
    if (len > size - pos)
        len = (ULONG)(size - pos);
    if (!sp->file) {
        EnterCriticalSection(&sp->lock);
        memcpy(buf, sp->mem + pos, len);
        LeaveCriticalSection(&sp->lock);
        *got = len;
        return S_OK;
    }
    OVERLAPPED o = at(pos);
    DWORD n = 0;
    if (!ReadFile(sp->file, buf, len, &n, &o))
        return GetLastError() == ERROR_HANDLE_EOF ? S_OK : MAPI_E_DISK_ERROR;
    *got = n;
    return S_OK;
}

HRESULT md_spool_write(md_spool *sp, uint64_t pos, const void *buf, ULONG len)
{
    if (!len)
        return S_OK;
    md_store *ws = spool_lock(sp);
    if (sp->lost) {
        spool_unlock(sp, ws);
        return sp->lost;
    }
    if (sp->ws && sp->w && pos == sp->size) {   /* at the end: straight on */
        int code = st_stream_write(sp->w, buf, len);
        if (!code)
            sp->size += len;
        spool_unlock(sp, ws);
        return code ? md_hr_from_st(code) : S_OK;
    }
    HRESULT moved = sp->ws ? direct_to_file(sp) : S_OK;
    spool_unlock(sp, ws);
    if (moved != S_OK)
        return moved;
    if (!sp->file) {
        HRESULT hr = S_OK;
        EnterCriticalSection(&sp->lock);
        if (pos + len > sp->cap) {
            size_t cap = sp->cap ? sp->cap : pos + len > 4096 ? pos + len : 4096;
            while (cap < pos + len)
                cap *= 2;
            uint8_t *m = pos + len > SIZE_MAX / 2 ? NULL : realloc(sp->mem, cap);
            if (m) {
                memset(m + sp->cap, 0, cap - sp->cap);
                sp->mem = m;
                sp->cap = cap;
            } else {
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
            }
        }
        if (hr == S_OK) {
            memcpy(sp->mem + pos, buf, len);
            if (pos + len > sp->size)
                sp->size = pos + len;
        }
        LeaveCriticalSection(&sp->lock);
        return hr;
    }
    OVERLAPPED o = at(pos);
    DWORD n = 0;
    if (!WriteFile(sp->file, buf, len, &n, &o) || n != len)
        return MAPI_E_DISK_ERROR;
    EnterCriticalSection(&sp->lock);
    if (pos + len > sp->size)
        sp->size = pos + len;
    LeaveCriticalSection(&sp->lock);
    return S_OK;
}

HRESULT md_spool_set_size(md_spool *sp, uint64_t size)
{
    LARGE_INTEGER li;
    HRESULT hr = S_OK;
    li.QuadPart = (LONGLONG)size;
    md_store *ws = spool_lock(sp);
    if (sp->ws && size != sp->size)
        hr = direct_to_file(sp);
    if (hr != S_OK || (sp->ws && size == sp->size)) {
        /* moving failed, or nothing to change */
    } else if (!sp->file) {
        if (size > sp->cap)
            hr = MAPI_E_NO_SUPPORT;   /* in-memory spools are read-only streams' */
        else
            sp->size = size;
    } else if (!SetFilePointerEx(sp->file, li, NULL, FILE_BEGIN) || !SetEndOfFile(sp->file)) {
        hr = MAPI_E_DISK_ERROR;
    } else {
        sp->size = size;
    }
    spool_unlock(sp, ws);
    return hr;
}

/* UTF-16 code units of UTF-8 bytes s[0..len) (whole characters), -1 when
 * they cannot be converted. The ASCII head, most of a mail body, is
 * counted (and widened, below) here; only the rest goes through
 * MultiByteToWideChar. */
static int utf16_units(const char *s, size_t len)
{
    size_t head = 0;
    while (head < len && (unsigned char)s[head] < 0x80)
        head++;
    if (head == len)
        return (int)len;
    int rest = MultiByteToWideChar(CP_UTF8, 0, s + head, (int)(len - head), NULL, 0);
    return rest > 0 ? (int)head + rest : -1;
}

/* Converts s[0..len) into w (room for cap units, at least utf16_units):
 * the units written. */
static int widen_into(const char *s, size_t len, WCHAR *w, int cap)
{
    size_t head = 0;
    while (head < len && head < (size_t)cap && (unsigned char)s[head] < 0x80) {
        w[head] = (unsigned char)s[head];
        head++;
    }
    if (head == len)
        return (int)len;
    int rest = MultiByteToWideChar(CP_UTF8, 0, s + head, (int)(len - head), w + head,
        cap - (int)head);
    return (int)head + (rest > 0 ? rest : 0);
}

/* Appends UTF-8 bytes s[0..len) (whole characters) in the MAPI form of
 * the spool's type. */
static HRESULT put_utf8(md_spool *sp, const char *s, size_t len)
{
    if (!len)
        return S_OK;
    if (len > INT_MAX / 2)
        return MAPI_E_TOO_BIG;
    int nw = utf16_units(s, len);
    WCHAR *w = nw > 0 ? malloc((size_t)nw * sizeof *w) : NULL;
    if (!w)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    nw = widen_into(s, len, w, nw);
    HRESULT hr;
    if (PROP_TYPE(sp->tag) == PT_UNICODE) {
        hr = md_spool_write(sp, sp->size, w, (ULONG)nw * sizeof *w);
    } else {
        int na = WideCharToMultiByte(CP_ACP, 0, w, nw, NULL, 0, NULL, NULL);
        char *a = na > 0 ? malloc((size_t)na) : NULL;
        hr = a ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
        if (a) {
            WideCharToMultiByte(CP_ACP, 0, w, nw, a, na, NULL, NULL);
            hr = md_spool_write(sp, sp->size, a, (ULONG)na);
        }
        free(a);
    }
    free(w);
    return hr;
}

HRESULT md_spool_put_value(md_spool *sp, const st_value *v)
{
    uint32_t t = PROP_TYPE(v->tag);
    if (t == PT_UNICODE || t == PT_STRING8) {
        if (!is_string(sp->tag))
            return MAPI_E_INVALID_TYPE;
        return put_utf8(sp, v->v.str, strlen(v->v.str));
    }
    if (t != PT_BINARY || PROP_TYPE(sp->tag) != PT_BINARY)
        return MAPI_E_INVALID_TYPE;
    return md_spool_write(sp, sp->size, v->v.bin.data, v->v.bin.len);
}

/* Bytes of s[0..len) that end on a whole UTF-8 character. */
static size_t utf8_whole(const unsigned char *s, size_t len)
{
    size_t i = len, back = 0;
    while (i > 0 && back < 4 && (s[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return len;
    unsigned char lead = s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return back + 1 >= need ? len : i - 1;
}

HRESULT md_spool_put_stream(md_spool *sp, md_store *s, st_stream *r)
{
    unsigned char *buf = malloc(PIECE + 4);
    size_t keep = 0;
    HRESULT hr = buf ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    int text = is_string(st_stream_tag(r));

    if (text != is_string(sp->tag) || (!text && PROP_TYPE(sp->tag) != PT_BINARY))
        hr = MAPI_E_INVALID_TYPE;
    while (hr == S_OK) {
        size_t got = 0;
        EnterCriticalSection(&s->lock);
        int code = st_stream_read(r, buf + keep, PIECE, &got);
        LeaveCriticalSection(&s->lock);
        if (code) {
            hr = md_hr_from_st(code);
            break;
        }
        size_t have = keep + got;
        if (!text) {
            hr = md_spool_write(sp, sp->size, buf, (ULONG)got);
        } else {
            size_t whole = got ? utf8_whole(buf, have) : have;
            hr = put_utf8(sp, (char *)buf, whole);
            keep = have - whole;
            memmove(buf, buf + whole, keep);
        }
        if (!got)
            break;
    }
    free(buf);
    return hr;
}

/* The spool's bytes [pos, pos+len) as storage's form (UTF-8 for strings)
 * into *out (malloc'd). last: trailing NULs of a string dropped. */
static HRESULT piece_to_storage(md_spool *sp, uint64_t pos, ULONG len, int last, char **out,
    size_t *out_len, ULONG *used)
{
    char *buf = malloc(len ? len : 1);
    ULONG got = 0;
    *out = NULL;
    *out_len = 0;
    *used = 0;
    if (!buf)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    HRESULT hr = md_spool_read(sp, pos, buf, len, &got);
    if (hr != S_OK || !is_string(sp->tag)) {
        *out = buf;
        *out_len = got;
        *used = got;
        return hr;
    }
    int nw;
    WCHAR *w;
    WCHAR *own = NULL;
    if (PROP_TYPE(sp->tag) == PT_UNICODE) {
        got &= ~1u;
        nw = (int)(got / 2);
        w = (WCHAR *)buf;
        if (!last && nw && w[nw - 1] >= 0xD800 && w[nw - 1] <= 0xDBFF)
            nw--;   /* a high surrogate waits for its pair */
        *used = (ULONG)nw * 2;
    } else {
        if (!last) {   /* never split a double-byte character of the code page */
            ULONG i = 0;
            while (i < got)
                i += IsDBCSLeadByte((BYTE)buf[i]) ? 2 : 1;
            if (i > got)
                got--;
        }
        nw = MultiByteToWideChar(CP_ACP, 0, buf, (int)got, NULL, 0);
        own = nw > 0 ? malloc((size_t)nw * sizeof *own) : NULL;
        if (nw > 0 && !own) {
            free(buf);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        if (own)
            MultiByteToWideChar(CP_ACP, 0, buf, (int)got, own, nw);
        w = own;
        *used = got;
    }
    if (last)
        while (nw > 0 && w[nw - 1] == 0)
            nw--;
    int n8 = nw ? WideCharToMultiByte(CP_UTF8, 0, w, nw, NULL, 0, NULL, NULL) : 0;
    char *u = malloc((size_t)n8 + 1);
    if (u && n8)
        WideCharToMultiByte(CP_UTF8, 0, w, nw, u, n8, NULL, NULL);
    free(own);
    free(buf);
    if (!u)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    u[n8] = 0;
    *out = u;
    *out_len = (size_t)n8;
    return S_OK;
}

/* A direct spool still being written that (mid, attach_num) can take:
 * opened on that owner, or a draft (sp->lock held). */
static int direct_for(const md_spool *sp, md_store *s, st_id mid, uint32_t attach_num)
{
    return sp->ws == s && sp->w && !sp->lost && !sp->adopting && (!sp->w_mid
        || (sp->w_mid == mid && (sp->w_num == attach_num
            || (sp->w_num == MD_ATTACH_NEW && attach_num != ST_NO_ATTACH))));
}

void md_spool_flush(md_spool *sp)
{
    md_store *ws = spool_lock(sp);
    if (ws && sp->w && !sp->lost)
        (void)st_stream_flush(sp->w);   /* a failure shows at the adoption */
    spool_unlock(sp, ws);
}

HRESULT md_spool_adopt(md_spool *sp, md_store *s, st_id mid, uint32_t attach_num,
    unsigned flags)
{
    HRESULT hr = S_FALSE;
    md_store *ws = spool_lock(sp);
    if (direct_for(sp, s, mid, attach_num)) {
        int code = st_stream_adopt(sp->w, mid, attach_num, flags);
        hr = md_hr_from_st(code);
        sp->adopting = !code;
    }
    spool_unlock(sp, ws);
    return hr;
}

void md_spool_adopt_end(md_spool *sp, int committed, st_id mid, uint32_t attach_num)
{
    md_store *ws = spool_lock(sp);
    if (sp->adopting && committed) {
        st_stream_close(sp->w);   /* frees it: the property stays */
        sp->w = NULL;
        sp->w_mid = mid;
        sp->w_num = attach_num;
        sp->committed = 1;
    }
    sp->adopting = 0;
    spool_unlock(sp, ws);
}

HRESULT md_spool_store(md_spool *sp, md_store *s, st_id mid, uint32_t attach_num,
    unsigned flags)
{
    st_stream *w = NULL;
    HRESULT moved = S_OK;
    md_store *ws = spool_lock(sp);
    if (sp->lost) {
        spool_unlock(sp, ws);
        return sp->lost;
    }
    if (sp->committed && sp->ws == s && sp->w_mid == mid && sp->w_num == attach_num) {
        spool_unlock(sp, ws);
        return S_OK;   /* the property already (saved again, unchanged) */
    }
    if (direct_for(sp, s, mid, attach_num)) {
        /* written straight in: adopted in a transaction of its own */
        EnterCriticalSection(&s->lock);   /* held already: spool_lock */
        int code = st_store_begin(s->st);
        HRESULT hr = code ? md_hr_from_st(code) : md_spool_adopt(sp, s, mid, attach_num, flags);
        if (hr == S_OK) {
            hr = md_hr_from_st(st_store_commit(s->st));
            md_spool_adopt_end(sp, hr == S_OK, mid, attach_num);
        } else if (!code) {
            st_store_rollback(s->st);
        }
        LeaveCriticalSection(&s->lock);
        spool_unlock(sp, ws);
        return hr;   /* S_FALSE cannot be: direct_for said so under the lock */
    }
    if (sp->ws)
        moved = direct_to_file(sp);
    spool_unlock(sp, ws);
    if (moved != S_OK)
        return moved;
    EnterCriticalSection(&s->lock);
    int code = st_stream_open_write(&w, s->st, mid, attach_num, sp->tag);
    LeaveCriticalSection(&s->lock);
    if (code)
        return md_hr_from_st(code);
    HRESULT hr = S_OK;
    uint64_t pos = 0, size = sp->size;
    char *bin = is_string(sp->tag) ? NULL : malloc(PIECE);   /* one buffer for all */
    if (!is_string(sp->tag) && !bin)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    while (hr == S_OK && pos < size) {
        ULONG len = size - pos > PIECE ? PIECE : (ULONG)(size - pos);
        char *piece = NULL;
        size_t n = 0;
        ULONG used = 0;
        if (bin) {
            hr = md_spool_read(sp, pos, bin, len, &used);
            n = used;
            if (hr == S_OK && !used)
                hr = MAPI_E_DISK_ERROR;   /* shorter than it says */
            if (hr == S_OK) {
                EnterCriticalSection(&s->lock);
                code = st_stream_write(w, bin, n);
                LeaveCriticalSection(&s->lock);
                hr = md_hr_from_st(code);
            }
            pos += used;
            continue;
        }
        hr = piece_to_storage(sp, pos, len, pos + len >= size, &piece, &n, &used);
        if (hr == S_OK && !used) {
            free(piece);
            break;   /* an odd last byte of UTF-16: not a character */
        }
        if (hr == S_OK) {
            EnterCriticalSection(&s->lock);
            code = st_stream_write(w, piece, n);
            LeaveCriticalSection(&s->lock);
            hr = md_hr_from_st(code);
        }
        free(piece);
        pos += used;
    }
    free(bin);
    EnterCriticalSection(&s->lock);
    if (hr == S_OK)
        hr = md_hr_from_st(st_stream_commit(w, flags));
    else
        st_stream_close(w);
    LeaveCriticalSection(&s->lock);
    return hr;
}

HRESULT md_spool_to_value(md_spool *sp, st_value *out, uint64_t max)
{
    memset(out, 0, sizeof *out);
    if (sp->size > max || sp->size > UINT32_MAX / 2)
        return MAPI_E_TOO_BIG;
    char *data = NULL;
    size_t n = 0;
    ULONG used = 0;
    HRESULT hr = piece_to_storage(sp, 0, (ULONG)sp->size, 1, &data, &n, &used);
    if (hr != S_OK) {
        free(data);
        return hr;
    }
    out->tag = sp->tag;
    if (is_string(sp->tag)) {
        out->v.str = data;
    } else {
        out->v.bin.len = (uint32_t)n;
        out->v.bin.data = (uint8_t *)data;
        if (!n) {
            free(data);
            out->v.bin.data = NULL;
        }
    }
    return S_OK;
}

/* ---- IStream */

typedef struct md_stream {
    IStream iface;
    LONG refs;
    md_store *store;       /* AddRef'd */
    IUnknown *owner_unk;   /* AddRef'd, or NULL */
    md_stream_owner owner; /* put == NULL: nobody to hand a spool to */
    md_spool *sp;          /* spool (reference), or NULL */
    st_stream *rd;         /* storage reader (under store->lock), or NULL */
    uint64_t pos;
    int writable;
    int dirty;             /* written since the last hand-over */
    /* A read-only PT_UNICODE stream over a value: its UTF-8 (a copy),
     * shown as UTF-16 through a window converted as Read gets there (no
     * copy of the whole in UTF-16: stream.h). */
    char *text;            /* or NULL */
    size_t text_len;
    WCHAR *win;            /* TEXT_WIN units */
    size_t win_u8, win_u8_end; /* the window's bytes of text */
    uint64_t win_pos;      /* its first byte in the UTF-16 form */
    uint64_t win_bytes;    /* its UTF-16 bytes */
    int64_t text_size;     /* UTF-16 bytes of all of it; -1 until counted */
} md_stream;

#define TEXT_WIN 4096      /* UTF-16 units of a text stream's window */

static md_stream *impl(IStream *iface)
{
    return (md_stream *)iface;
}

static HRESULT STDMETHODCALLTYPE stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IStream, &IID_ISequentialStream };
    return md_query_interface(iface, riid, out, iids, 2);
}

static ULONG STDMETHODCALLTYPE stream_AddRef(IStream *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static void hand_over(md_stream *st)
{
    if (st->writable && st->dirty && st->owner.put) {
        st->owner.put(st->owner.obj, st->sp);
        st->dirty = 0;
    }
}

static ULONG STDMETHODCALLTYPE stream_Release(IStream *iface)
{
    md_stream *st = impl(iface);
    ULONG n = md_ref_release(&st->refs);
    if (n == 0) {
        hand_over(st);
        md_spool_release(st->sp);
        free(st->text);
        free(st->win);
        if (st->rd) {
            EnterCriticalSection(&st->store->lock);
            st_stream_close(st->rd);
            LeaveCriticalSection(&st->store->lock);
        }
        if (st->owner_unk)
            st->owner_unk->lpVtbl->Release(st->owner_unk);
        st->store->iface.lpVtbl->Release(&st->store->iface);
        free(st);
        md_object_destroyed();
    }
    return n;
}

static uint64_t stream_size(md_stream *st)
{
    if (st->text) {
        if (st->text_size < 0) {
            int n = utf16_units(st->text, st->text_len);
            st->text_size = n > 0 ? (int64_t)n * 2 : 0;
        }
        return (uint64_t)st->text_size;
    }
    return st->sp ? st->sp->size : st_stream_size(st->rd);
}

/* Reads a text stream at pos (see md_stream): the bytes copied. */
static ULONG text_read(md_stream *st, uint64_t pos, BYTE *buf, ULONG len)
{
    ULONG n = 0;
    while (n < len) {
        if (pos < st->win_pos) {   /* back: from the start again */
            st->win_pos = st->win_bytes = 0;
            st->win_u8 = st->win_u8_end = 0;
        }
        if (pos < st->win_pos + st->win_bytes) {
            uint64_t off = pos - st->win_pos;
            ULONG part = (ULONG)(st->win_bytes - off < len - n ? st->win_bytes - off : len - n);
            memcpy(buf + n, (BYTE *)st->win + off, part);
            n += part;
            pos += part;
            continue;
        }
        /* the next window */
        size_t from = st->win_u8_end, take = st->text_len - from;
        if (take > TEXT_WIN)
            take = utf8_whole((const unsigned char *)st->text + from, TEXT_WIN);
        int units = take ? widen_into(st->text + from, take, st->win, TEXT_WIN) : 0;
        if (units <= 0) {
            if (take)   /* not converted: the window's buffer is spoilt */
                st->win_pos = st->win_bytes = st->win_u8 = st->win_u8_end = 0;
            break;   /* the end: the window stays the last one */
        }
        st->win_pos += st->win_bytes;
        st->win_u8 = from;
        st->win_u8_end = from + take;
        st->win_bytes = (uint64_t)units * 2;
    }
    return n;
}

static HRESULT STDMETHODCALLTYPE stream_Read(IStream *iface, void *buf, ULONG len, ULONG *got)
{
    MD_SHUT_GATE();
    md_stream *st = impl(iface);
    ULONG n = 0;
    HRESULT hr = S_OK;

    if (got)
        *got = 0;
    if (!buf && len)
        return STG_E_INVALIDPOINTER;
    if (st->text) {
        n = text_read(st, st->pos, buf, len);
    } else if (st->sp) {
        hr = md_spool_read(st->sp, st->pos, buf, len, &n);
    } else {
        size_t part = 0;
        EnterCriticalSection(&st->store->lock);
        int code = read_at(st->rd, st->pos, buf, len, &part);
        LeaveCriticalSection(&st->store->lock);
        n = (ULONG)part;
        if (code)
            hr = STG_E_READFAULT;
    }
    st->pos += n;
    if (got)
        *got = n;
    return hr == S_OK ? S_OK : STG_E_READFAULT;
}

static HRESULT STDMETHODCALLTYPE stream_Write(IStream *iface, const void *buf, ULONG len,
    ULONG *done)
{
    MD_SHUT_GATE();
    md_stream *st = impl(iface);
    if (done)
        *done = 0;
    if (!buf && len)
        return STG_E_INVALIDPOINTER;
    if (!st->writable)
        return STG_E_ACCESSDENIED;
    if (md_spool_write(st->sp, st->pos, buf, len) != S_OK)
        return STG_E_MEDIUMFULL;
    st->pos += len;
    st->dirty = 1;
    if (done)
        *done = len;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin,
    ULARGE_INTEGER *newpos)
{
    MD_SHUT_GATE();
    md_stream *st = impl(iface);
    LONGLONG base;
    switch (origin) {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = (LONGLONG)st->pos; break;
    case STREAM_SEEK_END: base = (LONGLONG)stream_size(st); break;
    default: return STG_E_INVALIDFUNCTION;
    }
    if (move.QuadPart < 0 && -move.QuadPart > base)
        return STG_E_INVALIDFUNCTION;
    st->pos = (uint64_t)(base + move.QuadPart);
    if (newpos)
        newpos->QuadPart = st->pos;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    MD_SHUT_GATE();
    md_stream *st = impl(iface);
    if (!st->writable)
        return STG_E_ACCESSDENIED;
    if (md_spool_set_size(st->sp, size.QuadPart) != S_OK)
        return STG_E_MEDIUMFULL;
    st->dirty = 1;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER cb,
    ULARGE_INTEGER *read, ULARGE_INTEGER *written)
{
    MD_SHUT_GATE();
    if (read)
        read->QuadPart = 0;
    if (written)
        written->QuadPart = 0;
    if (!dest)
        return STG_E_INVALIDPOINTER;
    char *buf = malloc(PIECE);
    if (!buf)
        return E_OUTOFMEMORY;
    HRESULT hr = S_OK;
    uint64_t left = cb.QuadPart;
    while (hr == S_OK && left) {
        ULONG got = 0, put = 0;
        hr = stream_Read(iface, buf, left > PIECE ? PIECE : (ULONG)left, &got);
        if (hr != S_OK || !got)
            break;
        hr = dest->lpVtbl->Write(dest, buf, got, &put);
        if (read)
            read->QuadPart += got;
        if (written)
            written->QuadPart += put;
        left -= got;
    }
    free(buf);
    return hr;
}

static HRESULT STDMETHODCALLTYPE stream_Commit(IStream *iface, DWORD flags)
{
    MD_SHUT_GATE();
    (void)flags;
    hand_over(impl(iface));
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE stream_Revert(IStream *iface)
{
    MD_SHUT_GATE();
    (void)iface;
    return STG_E_INVALIDFUNCTION;   /* not transacted */
}

static HRESULT STDMETHODCALLTYPE stream_LockRegion(IStream *iface, ULARGE_INTEGER off,
    ULARGE_INTEGER cb, DWORD type)
{
    MD_SHUT_GATE();
    (void)iface; (void)off; (void)cb; (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE stream_UnlockRegion(IStream *iface, ULARGE_INTEGER off,
    ULARGE_INTEGER cb, DWORD type)
{
    MD_SHUT_GATE();
    (void)iface; (void)off; (void)cb; (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    MD_SHUT_GATE();
    md_stream *st = impl(iface);
    if (!stat)
        return STG_E_INVALIDPOINTER;
    if (flags & ~(DWORD)(STATFLAG_NONAME | STATFLAG_NOOPEN))
        return STG_E_INVALIDFLAG;
    memset(stat, 0, sizeof *stat);
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = stream_size(st);
    stat->grfMode = st->writable ? STGM_READWRITE : STGM_READ;
    return S_OK;   /* no name: a property has none */
}

static HRESULT STDMETHODCALLTYPE stream_Clone(IStream *iface, IStream **out)
{
    MD_SHUT_GATE();
    (void)iface;
    if (out)
        *out = NULL;
    return STG_E_INVALIDFUNCTION;
}

static const IStreamVtbl stream_vtbl = {
    stream_QueryInterface, stream_AddRef, stream_Release,
    stream_Read, stream_Write, stream_Seek, stream_SetSize, stream_CopyTo, stream_Commit,
    stream_Revert, stream_LockRegion, stream_UnlockRegion, stream_Stat, stream_Clone,
};

static md_stream *stream_new(md_store *s, IUnknown *owner)
{
    md_stream *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->iface.lpVtbl = (IStreamVtbl *)&stream_vtbl;
    st->refs = 1;
    st->store = s;
    s->iface.lpVtbl->AddRef(&s->iface);
    st->owner_unk = owner;
    if (owner)
        owner->lpVtbl->AddRef(owner);
    md_object_created();
    return st;
}

HRESULT md_stream_spool(IStream **out, md_store *s, md_spool *sp, int writable,
    const md_stream_owner *owner)
{
    *out = NULL;
    md_stream *st = stream_new(s, owner ? owner->unk : NULL);
    if (!st)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (owner)
        st->owner = *owner;
    md_spool_addref(sp);
    st->sp = sp;
    st->writable = writable;
    st->dirty = writable;   /* MAPI_CREATE: even an empty stream replaces the value */
    *out = &st->iface;
    return S_OK;
}

HRESULT md_stream_storage(IStream **out, md_store *s, st_id mid, uint32_t attach_num,
    uint32_t tag, IUnknown *owner)
{
    st_stream *rd = NULL;
    *out = NULL;
    EnterCriticalSection(&s->lock);
    int code = st_stream_open_read(&rd, s->st, mid, attach_num, tag);
    if (!code && is_string(st_stream_tag(rd)) != is_string(tag)) {
        st_stream_close(rd);
        LeaveCriticalSection(&s->lock);
        return MAPI_E_INVALID_TYPE;   /* kept as text, asked as bytes, or the reverse */
    }
    LeaveCriticalSection(&s->lock);
    if (code)
        return md_hr_from_st(code);
    md_stream *st = stream_new(s, owner);
    if (!st) {
        EnterCriticalSection(&s->lock);
        st_stream_close(rd);
        LeaveCriticalSection(&s->lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    st->rd = rd;
    *out = &st->iface;
    return S_OK;
}

/* A read-only PT_UNICODE stream over UTF-8 text (copied). */
static HRESULT text_stream(IStream **out, md_store *s, const char *text, IUnknown *owner)
{
    size_t len = strlen(text);
    if (len > INT_MAX / 2)
        return MAPI_E_TOO_BIG;
    md_stream *st = stream_new(s, owner);
    if (!st)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    st->text = malloc(len + 1);
    st->win = malloc(TEXT_WIN * sizeof *st->win);
    if (!st->text || !st->win) {
        stream_Release(&st->iface);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy(st->text, text, len + 1);
    st->text_len = len;
    st->text_size = -1;
    *out = &st->iface;
    return S_OK;
}

HRESULT md_stream_check_open(ULONG tag, LPCIID iid, ULONG options, ULONG flags,
    int *writable, int *create)
{
    *writable = *create = 0;
    if (!iid)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)(MAPI_CREATE | MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (!IsEqualIID(iid, &IID_IStream))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    ULONG t = PROP_TYPE(tag);
    if (t != PT_BINARY && t != PT_STRING8 && t != PT_UNICODE)
        return MAPI_E_INVALID_TYPE;
    *create = (flags & MAPI_CREATE) || (options & STGM_CREATE);
    *writable = *create || (flags & MAPI_MODIFY)
        || (options & (STGM_WRITE | STGM_READWRITE));
    return S_OK;
}

/* Appends src's bytes to dst. */
static HRESULT spool_copy(md_spool *dst, md_spool *src)
{
    char *buf = malloc(PIECE);
    HRESULT hr = buf ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    for (uint64_t pos = 0; hr == S_OK && pos < src->size;) {
        ULONG got = 0;
        hr = md_spool_read(src, pos, buf, PIECE, &got);
        if (hr == S_OK && !got)
            break;
        if (hr == S_OK)
            hr = md_spool_write(dst, dst->size, buf, got);
        pos += got;
    }
    free(buf);
    return hr;
}

HRESULT md_stream_open_prop(IStream **out, md_store *s, st_id mid, uint32_t attach_num,
    const st_bag *cur, md_spool *pending, uint32_t tag, int writable, int create,
    const md_stream_owner *owner)
{
    *out = NULL;
    if (pending && PROP_TYPE(pending->tag) != PROP_TYPE(tag)) {
        if (is_string(pending->tag) != is_string(tag))
            return MAPI_E_INVALID_TYPE;   /* written as text, asked as bytes, or the reverse */
        pending = NULL;   /* the other string type: through the value */
    }
    st_id wmid = mid;   /* where a direct spool goes */
    if (attach_num == MD_ATTACH_NEW)
        mid = 0;   /* nothing of it in storage yet */
    const st_value *v = pending ? NULL : st_bag_get(cur, tag);
    const st_value *marker = pending || v ? NULL
        : st_bag_get(cur, PROP_TAG(PT_ERROR, PROP_ID(tag)));
    HRESULT hr;

    if (marker && !mid)
        marker = NULL;
    if (!create && !pending && !v && !marker)
        return MAPI_E_NOT_FOUND;
    /* read-only over a pending spool: the spool itself (no copy of it) */
    if (!writable && !create && pending)
        return md_stream_spool(out, s, pending, 0, NULL);
    /* read-only, binary, in storage as it is: read it there */
    if (!writable && marker && PROP_TYPE(tag) == PT_BINARY)
        return md_stream_storage(out, s, mid, attach_num, tag, owner ? owner->unk : NULL);
    if (!writable && v && !create && PROP_TYPE(tag) == PT_UNICODE && is_string(v->tag))
        return text_stream(out, s, v->v.str, owner ? owner->unk : NULL);
    md_spool *sp = NULL;
    hr = MAPI_E_NO_SUPPORT;
    if (writable && create && PROP_TYPE(tag) == PT_BINARY)
        hr = md_spool_new_direct(&sp, s, wmid, attach_num, tag);   /* written once */
    if (hr != S_OK)
        hr = !writable && v && !create ? md_spool_new_mem(&sp, tag) : md_spool_new(&sp, tag);
    if (hr != S_OK)
        return hr;
    if (!create) {
        if (pending) {
            hr = spool_copy(sp, pending);
        } else if (v) {
            hr = md_spool_put_value(sp, v);
        } else {
            st_stream *rd = NULL;
            EnterCriticalSection(&s->lock);
            int code = st_stream_open_read(&rd, s->st, mid, attach_num, tag);
            LeaveCriticalSection(&s->lock);
            hr = md_hr_from_st(code);
            if (hr == S_OK)
                hr = md_spool_put_stream(sp, s, rd);
            EnterCriticalSection(&s->lock);
            st_stream_close(rd);
            LeaveCriticalSection(&s->lock);
        }
    }
    if (hr == S_OK)
        hr = md_stream_spool(out, s, sp, writable, writable ? owner : NULL);
    md_spool_release(sp);
    if (hr == S_OK && writable && !create)
        impl(*out)->dirty = 0;   /* unchanged until written */
    return hr;
}

HRESULT md_stream_open_readonly(LPUNKNOWN *out, md_store *s, md_bag_fn build, void *obj,
    ULONG tag, LPCIID iid, ULONG options, ULONG flags, HRESULT if_writable)
{
    int writable = 0, create = 0;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    HRESULT hr = md_stream_check_open(tag, iid, options, flags, &writable, &create);
    if (hr != S_OK)
        return hr;
    if (writable)
        return if_writable;
    st_bag *cur = build(obj, &hr);
    if (!cur)
        return hr;
    hr = md_stream_open_prop((IStream **)out, s, 0, ST_NO_ATTACH, cur, NULL, tag, 0, 0, NULL);
    st_bag_free(cur);
    return hr;
}
