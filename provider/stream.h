/*
 * stream.h: IStream for IMAPIProp::OpenProperty on messages and
 * attachments (bodies, PR_ATTACH_DATA_BIN, any PT_BINARY or string
 * property).
 *
 * Four kinds of stream:
 *  - a reader straight over storage (st_stream_open_read, under the store's
 *    lock per call) for a saved, unchanged binary property opened
 *    read-only: nothing is copied;
 *  - a text reader for a PT_UNICODE property opened read-only whose value
 *    is in memory (a body up to ST_STREAM_INLINE_MAX, or a pending one): its
 *    UTF-8 copied, shown as UTF-16 through a 4096-unit window converted as
 *    Read gets there (no whole UTF-16 copy: making one, a 40 KB block for
 *    a 20 KB body, cost a third of the storage read under Wine);
 *  - a spool: a temporary file (FILE_FLAG_DELETE_ON_CLOSE, in %TEMP%)
 *    holding the property's bytes as MAPI sees them (PT_UNICODE as UTF-16LE,
 *    PT_STRING8 in the ANSI code page), for every stream opened for writing
 *    and for text kept as a stream; a read-only stream over another value
 *    held in memory (binary, PT_STRING8) spools in memory; a read-only
 *    stream over a pending spool reads that spool (no copy; a writer still
 *    open on it is seen). Read, Write, Seek, SetSize and Stat
 *    work anywhere in it. Commit (and the last Release of a written stream)
 *    hands the spool to the owner (message or attachment) through its put
 *    callback; the owner writes it to storage with st_stream_open_write in
 *    ST_STREAM_CHUNK pieces at its SaveChanges. So a 50 MB stream is never
 *    held in memory (storage lets go of its page cache as it passes);
 *  - direct: a binary property created (MAPI_CREATE) on a message or
 *    attachment is written straight into storage (md_spool_new_direct), so
 *    written once and never in a temporary file: on one already in storage
 *    with st_stream_open_write, on one not in storage yet (a new message,
 *    a new attachment of one, an embedded message's attachment) as a draft
 *    (st_stream_open_draft: owned by no message until saved). The
 *    message's SaveChanges adopts it inside its own transaction
 *    (md_spool_adopt: the stream changes owner, no byte copied), so the
 *    message and its streams appear together. A direct spool not saved
 *    within a day of its last flush (each 1 MB) may be dropped by the next
 *    open of the store (storage's orphan rule): SaveChanges then fails.
 *    Strings (PT_UNICODE, PT_STRING8) still spool in a temporary file:
 *    storage keeps them as UTF-8, converted at the store.
 * Clone, Revert, LockRegion and UnlockRegion are refused (STG_E_INVALIDFUNCTION).
 *
 * Never: hold the store's lock while waiting on the client; read storage
 * outside the lock.
 */
#ifndef MAPIDAV_PROVIDER_STREAM_H
#define MAPIDAV_PROVIDER_STREAM_H

#include <objidl.h>

#include "provider/mapiprop.h"
#include "provider/store.h"

/* A spooled property value: reference counted, shared by the stream that
 * wrote it and the owner's pending changes. */
typedef struct md_spool {
    LONG refs;
    uint32_t tag;          /* the property (its type says the byte form) */
    HANDLE file;           /* temporary, deleted on close; NULL: in memory */
    uint8_t *mem;          /* the bytes of an in-memory spool (malloc'd) */
    size_t cap;            /* bytes allocated at mem */
    uint64_t size;         /* bytes in it */
    CRITICAL_SECTION lock; /* around size, mem, the file's end and the writer */
    /* Written straight into storage (md_spool_new_direct): */
    md_store *ws;          /* AddRef'd while direct, else NULL */
    st_stream *w;          /* storage's writer until committed */
    st_id w_mid;           /* its owner */
    uint32_t w_num;
    int committed;         /* the writer committed: the bytes are the property */
    int adopting;          /* adopted in a SaveChanges transaction not ended yet */
    HRESULT lost;          /* its commit failed, its bytes with it: every use
                              says so (never an empty value saved instead) */
} md_spool;

/* A spool in a temporary file (what a writable stream needs: any size). */
HRESULT md_spool_new(md_spool **out, uint32_t tag);
/* A spool written straight into storage as property tag (binary) of
 * (mid, attach_num), both in storage, or (mid 0) of an object not in
 * storage yet (a draft: st_stream_open_draft): st_stream_open_write now, each
 * Write at the end goes to the writer, and md_spool_store for the same
 * owner commits it (the bytes are written once). Reads of it read the
 * writer's bytes; anything else (a Write elsewhere, SetSize, a store for
 * another owner, a Write after the commit) first moves it into a
 * temporary file, as md_spool_new's. */
HRESULT md_spool_new_direct(md_spool **out, md_store *s, st_id mid, uint32_t attach_num,
    uint32_t tag);
/* As attach_num of md_spool_new_direct and md_stream_open_prop: an
 * attachment of message mid (in storage) that is not in storage yet; the
 * spool is written on the message and goes to the attachment at the store
 * (st_stream_commit_to) under the number storage gave it. */
#define MD_ATTACH_NEW (UINT32_MAX - 1)
/* A spool in memory, for a read-only stream over a value already in memory
 * (a small one: storage keeps bigger ones as streams, read in place). */
HRESULT md_spool_new_mem(md_spool **out, uint32_t tag);
void md_spool_addref(md_spool *sp);
void md_spool_release(md_spool *sp);   /* NULL-safe */
/* Reads / writes at pos: S_OK or the error (reading past the end gives
 * fewer bytes). */
HRESULT md_spool_read(md_spool *sp, uint64_t pos, void *buf, ULONG len, ULONG *got);
HRESULT md_spool_write(md_spool *sp, uint64_t pos, const void *buf, ULONG len);
HRESULT md_spool_set_size(md_spool *sp, uint64_t size);
/* Appends the MAPI form of value v (a string converted, a binary as is). */
HRESULT md_spool_put_value(md_spool *sp, const st_value *v);
/* Appends the MAPI form of storage stream r (UTF-8 strings converted to
 * UTF-16 in pieces). */
HRESULT md_spool_put_stream(md_spool *sp, md_store *s, st_stream *r);
/* Writes the spool to storage as property sp->tag of (mid, attach_num):
 * st_stream_open_write, chunks, st_stream_commit. Takes the store's lock
 * per chunk. */
HRESULT md_spool_store(md_spool *sp, md_store *s, st_id mid, uint32_t attach_num,
    unsigned flags);
/* A direct spool's whole chunks written now, each group in its own short
 * transaction, so that md_spool_adopt has at most a chunk left to write in
 * the SaveChanges transaction (the write lock held briefly). */
void md_spool_flush(md_spool *sp);
/* Inside the message's SaveChanges transaction (the store's lock held,
 * st_store_begin'd, (mid, attach_num) just saved in it): a direct spool
 * still being written whose owner that is (a draft: any) becomes the
 * property without a copy (st_stream_adopt). S_OK: adopted, call
 * md_spool_adopt_end after the transaction; S_FALSE: not a direct spool
 * for that owner (md_spool_store it after the commit); else the error (the
 * transaction should roll back; the spool is as before). */
HRESULT md_spool_adopt(md_spool *sp, md_store *s, st_id mid, uint32_t attach_num,
    unsigned flags);
/* After the transaction of an md_spool_adopt that gave S_OK: committed,
 * the spool is now the property of (mid, attach_num); else as before. */
void md_spool_adopt_end(md_spool *sp, int committed, st_id mid, uint32_t attach_num);
/* The spool as a value when it is at most max bytes in storage's form
 * (*out cleared with st_value_clear): S_OK, or MAPI_E_TOO_BIG. */
HRESULT md_spool_to_value(md_spool *sp, st_value *out, uint64_t max);

/* What a stream needs from its owner. */
typedef struct md_stream_owner {
    void *obj;                                   /* the message or attachment */
    IUnknown *unk;                               /* AddRef'd by the stream */
    void (*put)(void *obj, md_spool *sp);        /* takes a reference */
} md_stream_owner;

/* A stream over a spool; writable: Write, SetSize and Commit allowed. */
HRESULT md_stream_spool(IStream **out, md_store *s, md_spool *sp, int writable,
    const md_stream_owner *owner);
/* A read-only stream over storage's property (mid, attach_num, tag). */
HRESULT md_stream_storage(IStream **out, md_store *s, st_id mid, uint32_t attach_num,
    uint32_t tag, IUnknown *owner);

/* OpenProperty's checks for a stream: iid IID_IStream (else
 * MAPI_E_INTERFACE_NOT_SUPPORTED), tag of a type a stream can carry
 * (PT_BINARY, PT_STRING8, PT_UNICODE, else MAPI_E_INVALID_TYPE), flags
 * (MAPI_CREATE, MAPI_MODIFY, MAPI_DEFERRED_ERRORS, MAPI_BEST_ACCESS) and
 * options (STGM_READ/WRITE/READWRITE, STGM_CREATE ...). S_OK and *writable,
 * *create. */
HRESULT md_stream_check_open(ULONG tag, LPCIID iid, ULONG options, ULONG flags,
    int *writable, int *create);

/* OpenProperty(IID_IStream) of tag on an object of s: mid (0 while never
 * saved) and attach_num (ST_NO_ATTACH for a message, MD_ATTACH_NEW for a
 * new attachment of saved message mid) say where storage keeps it; cur holds the object's current values (a PT_ERROR value under
 * tag's id: kept as a stream in storage); pending is the object's spool for
 * tag's id (may be NULL). writable/create as md_stream_check_open gave
 * them. MAPI_E_NOT_FOUND when the property is nowhere and not created;
 * MAPI_E_INVALID_TYPE when it is kept as text and asked as bytes (or the
 * reverse). */
HRESULT md_stream_open_prop(IStream **out, md_store *s, st_id mid, uint32_t attach_num,
    const st_bag *cur, md_spool *pending, uint32_t tag, int writable, int create,
    const md_stream_owner *owner);

/* IMAPIProp::OpenProperty of an object whose values are written with
 * SetProps only (a folder, the store): a read-only IStream over the value
 * build gives; a writable open answers if_writable. */
HRESULT md_stream_open_readonly(LPUNKNOWN *out, md_store *s, md_bag_fn build, void *obj,
    ULONG tag, LPCIID iid, ULONG options, ULONG flags, HRESULT if_writable);

#endif
