/*
 * sync_up.c: the journal of local changes replayed to the server, in order
 * (ds_sync_up, sync.h).
 *
 * Messages:
 *   new (or never uploaded)  PUT <collection>/<store GUID>-<id>.eml
 *                            If-None-Match: * (412: that resource is ours,
 *                            from an attempt whose answer was lost: adopted,
 *                            so a cut-off upload is never doubled)
 *   changed                  PUT href If-Match: <strong ETag> (412 and the
 *                            item still there: a conflict; gone: see below)
 *   read flag                PROPPATCH httpmail:read + proptag x10900003
 *                            (PR_FLAG_STATUS), the dead properties
 *                            sync_down.c reads; also sent after each PUT
 *                            (a flag status change journals as a change)
 *   moved                    MOVE href -> <dest collection>/<same name>,
 *                            Overwrite: F (412: another name); into a local
 *                            folder (Outbox ...): DELETE If-Match
 *   deleted                  MOVE to the Deleted Items collection, or DELETE
 *                            If-Match when it was there already or there
 *                            is no Deleted Items collection
 *   deleted for good         (ST_HARD_DELETE, ST_JOP_PURGE) DELETE If-Match
 *   associated (hidden)      never uploaded: acknowledged
 * Folders: created MKCOL (405, a collection of that name exists: adopted),
 * renamed/moved MOVE Overwrite: F then every URL below rebased
 * (st_folder_sync_rebase) and the rest of the batch taken again, deleted
 * DELETE; a folder's own property changes have no server form.
 *
 * Order and speed: entries are carried out in journal order, except that
 * new messages, changes (strong ETag), read flags and moves of distinct
 * messages run in parallel, a window of 2 x connections (chains of
 * callbacks: PUT -> HEAD -> PROPPATCH, MOVE -> HEAD); any other entry, or
 * one for a message in flight, waits until the window is empty. What the
 * server refuses in the window is settled by the sequential code. Message acknowledgements are committed
 * together (ACK_BATCH or budget_ms), folder ones at once (later entries
 * read the folder's URL from the store).
 *
 * Identity: an entry's href/base ETag are those of the change's time; a
 * message that still exists is addressed by its current href and ETag
 * (earlier entries of the same batch may have moved it), a deleted one by
 * the entry's, or by what this run acknowledged for it last.
 *
 * ETags (PEERS.md pitfall 2): Apache's PUT answer has none, so a HEAD
 * follows each write and its ETag, weak or not, is recorded (the down-sync
 * counts W/"x" and "x" as one version); when that HEAD fails, "" is
 * recorded so the down-sync looks again. A weak or missing base is never
 * sent as If-Match: the item's ETag is read again first (HEAD, waiting up
 * to ~2.5 s for Apache to make it strong); another version there is a
 * conflict. Pseudo-ETags of servers without getetag are never sent.
 *
 * Outcomes. 2xx: st_journal_ack with href/ETag; a write that landed is
 * acknowledged whatever the HEAD or PROPPATCH after it says, so it is never
 * sent twice. 412 on a conditional write: a conflict: the local version is
 * copied into Sync Issues/Conflicts, a note saying why goes to Sync Issues
 * (a small IPM.Note, like Outlook's synchronization log), the item's ETag
 * is cleared so the next down-sync replaces it with the server's, and the
 * entry is acknowledged. A changed message gone from the server is
 * uploaded again as a new item (nothing lost; counted as a conflict). Other
 * refusals (4xx, 507, a 207 on PUT, a message that cannot be built as
 * MIME): a copy into Sync Issues/Local Failures, a note, and
 * st_journal_refuse(reason): the entry stays, the down-sync leaves the item
 * alone. Connection failures, 5xx after the HTTP layer's retries, 401,
 * cancellation and store errors stop the run: what was done is
 * acknowledged, the rest goes back to pending (st_journal_release); an
 * entry that met a 5xx in STUCK_RUNS runs in a row of one ds_sync is
 * refused instead, so it cannot hold back the journal for ever.
 *
 * Local folders: Sync Issues (with Conflicts, Local Failures, Server
 * Failures) and Outbox directly under the IPM subtree, and anything
 * outside the IPM subtree, have no collection; their entries are
 * acknowledged without upload. Sync Issues and what goes into it are made
 * with ST_FROM_SERVER, so never journaled (sync_issues.c). A folder that should be on the
 * server and is not (made locally without a journal entry, as the
 * provider's default folders before the first sync, or whose MKCOL failed
 * before) gets its collection when something goes into it (ensure_coll);
 * when that fails, what goes into it is refused.
 *
 * Bodies: built by convert/ from the store (msgload.c, attachment data read
 * from storage streams in slices) into a spool: memory up to
 * BODY_MEM_MAX, then a temporary file beside the store (removed at once),
 * sent as a streamed, rewindable request body. (The builder pushes and
 * curl pulls, so a body cannot go straight from one to the other without
 * a thread; the spool bounds memory instead.)
 *
 * Never: drop a journal entry that was not carried out or settled as a
 * conflict, send a weak ETag as If-Match, follow a server href outside the
 * mail root, journal anything itself.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"
#include "davsync/msgload.h"
#include "davsync/sync_int.h"
#include "davsync/xml.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

#define BATCH 200
#define BODY_MEM_MAX ((size_t)1 << 20)
#define NAME_TRIES 8          /* names tried for a MOVE whose name is taken */
#define WEAK_WAIT_MS 500
#define WEAK_TRIES 5
#define PSEUDO_ETAG "mapidav-lm:"
#define MAX_REMEMBER (BATCH + 64)   /* every ack of a batch: its entries are read once */
#define ACK_BATCH 256
#define BODY_LOCAL 1
#define STUCK_RUNS 3

/* A folder's place: on the server (url), local by nature, or not there. */
enum { WHERE_SERVER = 0, WHERE_LOCAL = 1, WHERE_MISSING = 2 };

typedef struct seen {
    st_id obj;          /* message acknowledged in this run */
    char *href;         /* its href and ETag then (owned) */
    char *etag;
} seen;

typedef struct pack {
    int64_t seq;        /* an acknowledgement not committed yet */
    st_id obj;          /* its message */
    char *href;         /* owned, or NULL */
    char *etag;
} pack;

typedef struct up {
    ds_sync *s;
    ds_sync_counts *c;
    long status;        /* last HTTP status */
    char why[512];      /* last failure, for the refusal's reason */
    seen mem[MAX_REMEMBER];   /* ring of recent acknowledgements */
    size_t nmem;
    pack *acks;         /* message acknowledgements waiting for one commit */
    size_t nacks, cap_acks;
    uint64_t acks_t0;   /* when the first of them was made */
    struct job *jobs;   /* new items being uploaded in parallel */
    size_t njobs;
    int stop;           /* a job's result that stops the run */
    int retake;         /* a collection moved: take the batch's rest again */
    char **colls;       /* collections that saw a property write in this run */
    size_t ncolls, cap_colls;
    char stop_why[512];
    uint64_t done, total;
} up;

/* ---- small helpers ----------------------------------------------------- */

static int usable_etag(const char *etag)
{
    return etag && *etag && strncmp(etag, PSEUDO_ETAG, strlen(PSEUDO_ETAG)) != 0;
}

static char *xstrdup(const char *s)
{
    char *d = s ? st_strdup(s) : NULL;
    if (s && !d)
        st_error_set("out of memory");
    return d;
}

/* a + b, malloc'd. */
static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *r = malloc(la + lb + 1);
    if (!r) {
        st_error_set("out of memory");
        return NULL;
    }
    memcpy(r, a, la);
    memcpy(r + la, b, lb + 1);
    return r;
}

/* A path segment for name: unreserved bytes as they are, the rest %XX. */
static char *seg_encode(const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(name);
    char *o = malloc(n * 3 + 1), *p = o;
    if (!o) {
        st_error_set("out of memory");
        return NULL;
    }
    for (const unsigned char *q = (const unsigned char *)name; *q; q++) {
        if ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
            *q == '-' || *q == '.' || *q == '_' || *q == '~') {
            *p++ = (char)*q;
        } else {
            *p++ = '%';
            *p++ = hex[*q >> 4];
            *p++ = hex[*q & 15];
        }
    }
    *p = 0;
    return o;
}

/* Last segment of a resource URL (borrowed from url). */
static const char *last_segment(const char *url)
{
    const char *slash = strrchr(url, '/');
    return slash ? slash + 1 : url;
}

/* name for try k: k 0 the name itself, else "stem-k.ext". malloc'd. */
static char *name_try(const char *name, int k)
{
    if (!k)
        return xstrdup(name);
    const char *dot = strrchr(name, '.');
    size_t stem = dot ? (size_t)(dot - name) : strlen(name);
    size_t len = strlen(name) + 16;
    char *o = malloc(len);
    if (!o) {
        st_error_set("out of memory");
        return NULL;
    }
    snprintf(o, len, "%.*s-%d%s", (int)stem, name, k, dot ? dot : "");
    return o;
}

static void remember(up *u, st_id obj, const char *href, const char *etag)
{
    seen *m = &u->mem[u->nmem++ % MAX_REMEMBER];
    free(m->href);
    free(m->etag);
    m->obj = obj;
    m->href = href ? st_strdup(href) : NULL;
    m->etag = etag ? st_strdup(etag) : NULL;
}

static const seen *recall(const up *u, st_id obj)
{
    size_t n = u->nmem < MAX_REMEMBER ? u->nmem : MAX_REMEMBER;
    for (size_t k = 0; k < n; k++) {
        const seen *m = &u->mem[(u->nmem - 1 - k) % MAX_REMEMBER];
        if (m->obj == obj)
            return m;
    }
    return NULL;
}

/* ---- HTTP ---------------------------------------------------------------- */

/* Performs rq; records status and error for the caller. Returns res code. */
static int http(up *u, const ds_http_request *rq)
{
    ds_http_result res = { 0 };
    int code = ds_http_perform(u->s->http, rq, &res);
    u->status = res.status;
    snprintf(u->why, sizeof u->why, "%s", code && res.error && *res.error ? res.error
        : code ? st_error_last() : "");
    ds_http_result_clear(&res);
    return code;
}

/* A failure that settles the entry as refused (the server said no to this
 * item), as opposed to one that stops the run (connection, 5xx, auth). */
static int is_refusal(const up *u, int code)
{
    if (code == DS_ENOTFOUND || code == DS_EPRECOND)
        return 1;
    if (code == DS_EHTTP || code == DS_EPROTO)
        return (u->status >= 200 && u->status < 500) || u->status == 507;
    return 0;
}

/* HEAD url: *etag the ETag (malloc'd) or NULL when the server gives none. */
static int head_etag(up *u, const char *url, char **etag)
{
    *etag = NULL;
    ds_http_result res = { 0 };
    ds_http_request rq = { .method = DS_HTTP_HEAD, .url = url };
    int code = ds_http_perform(u->s->http, &rq, &res);
    u->status = res.status;
    snprintf(u->why, sizeof u->why, "%s", code && res.error ? res.error : "");
    if (!code && res.etag && !(*etag = xstrdup(res.etag)))
        code = ST_ERROR;
    ds_http_result_clear(&res);
    return code;
}

/* The ETag to send as If-Match for a change based on version base: base
 * when strong; else the server's, read again, when it is the same version
 * (waiting while Apache still calls it weak). *out NULL: send none (the
 * server gives no ETags). DS_EPRECOND: the server has another version. */
static int strong_etag(up *u, const char *url, const char *base, char **out)
{
    *out = NULL;
    if (usable_etag(base) && !ds_etag_is_weak(base))
        return (*out = xstrdup(base)) ? 0 : ST_ERROR;
    if (base && *base && !usable_etag(base))
        return 0;   /* a pseudo-ETag: this server has none to match */
    for (int k = 0; k < WEAK_TRIES; k++) {
        char *cur = NULL;
        int code = head_etag(u, url, &cur);
        if (code)
            return code;
        if (!cur)
            return 0;
        if (base && *base && !ds_sync__same_etag(cur, base)) {
            snprintf(u->why, sizeof u->why, "%s changed on the server (ETag %s, ours %s)",
                url, cur, base);
            free(cur);
            return DS_EPRECOND;
        }
        if (!ds_etag_is_weak(cur)) {
            *out = cur;
            return 0;
        }
        free(cur);
        st_os_sleep_ms(WEAK_WAIT_MS);
    }
    snprintf(u->why, sizeof u->why, "%s: the server's ETag stays weak", url);
    u->status = 0;
    return DS_EPROTO;
}

/* ---- flags ----------------------------------------------------------------- */

/* *xml = the PROPPATCH of read state and flag status of a message with
 * props, as sync_down.c reads them; NULL with only_if_set for an unread
 * item without flag status (what a resource without them means). */
static int flags_xml(char **xml, const st_bag *props, int only_if_set)
{
    *xml = NULL;
    const st_value *f = st_bag_get(props, PR_MESSAGE_FLAGS);
    const st_value *fs = st_bag_get(props, PR_FLAG_STATUS);
    int read = f && (f->v.l & (int32_t)MSGFLAG_READ);
    char flag[16];
    if (fs)
        snprintf(flag, sizeof flag, "%ld", (long)fs->v.l);
    if (only_if_set && !fs && !read)
        return 0;
    ds_xml_update upd[2] = {
        { { DS_NS_HTTPMAIL, "read" }, read ? "1" : "0" },
        { { DS_NS_MAPI_PROPTAG, "x10900003" }, fs ? flag : NULL },
    };
    return ds_xml_proppatch(xml, upd, 2);
}

static int send_flags(up *u, const char *url, st_id mid)
{
    st_bag *b = NULL;
    char *xml = NULL;
    int code = st_message_get(u->s->store, &b, mid);
    if (!code)
        code = flags_xml(&xml, b, 0);
    st_bag_free(b);
    if (!code) {
        ds_http_request rq = { .method = DS_HTTP_PROPPATCH, .url = url, .body = xml,
            .body_len = strlen(xml) };
        code = http(u, &rq);
    }
    free(xml);
    return code;
}

/* ---- the body spool -------------------------------------------------------- */

typedef struct body {
    char *mem;          /* bytes while small */
    size_t len, cap;
    FILE *f;            /* past BODY_MEM_MAX */
    char *path;         /* its name, removed at free */
    uint64_t size;      /* bytes in all */
    uint64_t pos;       /* read position */
    const char *base;   /* store path: the file goes beside it */
} body;

static atomic_uint body_counter;   /* file names within this process */

static int body_write(void *ctx, const void *data, size_t len)
{
    body *b = ctx;
    if (!b->f && b->len + len > BODY_MEM_MAX) {
        size_t plen = strlen(b->base) + 48;
        if (!(b->path = malloc(plen)))
            return -1;
        snprintf(b->path, plen, "%s.up-%llu-%u", b->base, (unsigned long long)st_os_pid(),
            atomic_fetch_add(&body_counter, 1) + 1);
        if (!(b->f = fopen(b->path, "w+b"))) {
            st_error_set("%s: cannot create a spool file", b->path);
            free(b->path);
            b->path = NULL;
            return -1;
        }
        if (b->len && fwrite(b->mem, 1, b->len, b->f) != b->len)
            return -1;
    }
    b->size += len;
    if (b->f)
        return len && fwrite(data, 1, len, b->f) != len ? -1 : 0;
    if (st_reserve(&b->mem, &b->cap, b->len + len, 8192) != 0)
        return -1;
    memcpy(b->mem + b->len, data, len);
    b->len += len;
    return 0;
}

static int body_rewind(void *arg)
{
    body *b = arg;
    b->pos = 0;
    if (b->f && fseek(b->f, 0, SEEK_SET) != 0) {
        st_error_set("%s: cannot rewind the spool file", b->path);
        return ST_ERROR;
    }
    return 0;
}

static int body_read(void *arg, char *buf, size_t size, size_t *out_n)
{
    body *b = arg;
    *out_n = 0;
    if (b->f) {
        size_t got = fread(buf, 1, size, b->f);
        if (!got && ferror(b->f)) {
            st_error_set("%s: cannot read the spool file", b->path);
            return ST_ERROR;
        }
        *out_n = got;
    } else {
        size_t left = b->len - (size_t)b->pos;
        *out_n = size < left ? size : left;
        if (*out_n)
            memcpy(buf, b->mem + b->pos, *out_n);
    }
    b->pos += *out_n;
    return 0;
}

static void body_free(body *b)
{
    free(b->mem);
    if (b->f) {
        fclose(b->f);
        remove(b->path);
    }
    free(b->path);
    memset(b, 0, sizeof *b);
}

/* Message mid as MIME into b; with flags, *flags = its flags_xml(,
 * only_if_set).
 * ST_ENOTFOUND: gone; BODY_LOCAL: an associated (hidden) message, which
 * has no server form and stays local; other errors: cannot build. */
static int build_body(up *u, body *b, st_id mid, char **flags, int only_if_set)
{
    memset(b, 0, sizeof *b);
    b->base = st_store_path(u->s->store);
    ds_msgload *l = NULL;
    int code = ds_msgload_open(&l, u->s->store, mid);
    const st_value *mf = code ? NULL : st_bag_get(ds_msgload_message(l)->props,
        PR_MESSAGE_FLAGS);
    if (mf && (mf->v.l & (int32_t)MSGFLAG_ASSOCIATED)) {
        ds_msgload_free(l);
        return BODY_LOCAL;
    }
    if (!code) {
        cv_mime_writer w = { body_write, b };
        code = ds_msgload_build(l, NULL, &w);
        if (!code && flags)
            code = flags_xml(flags, ds_msgload_message(l)->props, only_if_set);
        if (code == 0 && b->f && fflush(b->f) != 0) {
            st_error_set("%s: cannot write the spool file", b->path);
            code = ST_ERROR;
        }
    }
    ds_msgload_free(l);
    if (!code)
        code = body_rewind(b);
    if (code)
        snprintf(u->why, sizeof u->why, "cannot build the message as MIME: %s", st_error_last());
    return code;
}

/* *etag: the ETag the answer carried (Radicale, Xandikos, Cyrus send one;
 * Apache does not), malloc'd, or NULL. */
static int put(up *u, const char *url, body *b, const char *if_match, int create, char **etag)
{
    *etag = NULL;
    if (body_rewind(b) != 0)
        return ST_ERROR;
    ds_http_request rq = { .method = DS_HTTP_PUT, .url = url, .content_type = "message/rfc822",
        .if_match = if_match, .if_none_match = create ? "*" : NULL,
        .read = body_read, .rewind = body_rewind, .read_arg = b,
        .upload_size = (int64_t)b->size };
    ds_http_result res = { 0 };
    int code = ds_http_perform(u->s->http, &rq, &res);
    u->status = res.status;
    snprintf(u->why, sizeof u->why, "%s", code && res.error ? res.error : "");
    if (!code && res.etag && *res.etag)
        *etag = st_strdup(res.etag);
    ds_http_result_clear(&res);
    if (!code)
        u->c->up_bytes += b->size;
    return code;
}

/* ---- outcomes --------------------------------------------------------------- */

static void progress(up *u)
{
    u->done++;
    ds_sync__progress(u->s, "up", NULL, u->done, u->total, u->c);
}

/* Commits the waiting acknowledgements in one transaction (one fsync for
 * many, and no lock held while the network is used). */
static int flush_acks(up *u)
{
    if (!u->nacks)
        return 0;
    st_store *st = u->s->store;
    int code = st_store_begin(st);
    for (size_t i = 0; !code && i < u->nacks; i++)
        code = st_journal_ack(st, u->acks[i].seq, u->acks[i].href, u->acks[i].etag);
    if (code)
        st_store_rollback(st);
    else
        code = st_store_commit(st);
    for (size_t i = 0; i < u->nacks; i++) {
        free(u->acks[i].href);
        free(u->acks[i].etag);
    }
    u->nacks = 0;
    return code;
}

static int waiting_ack(const up *u, st_id obj)
{
    for (size_t i = 0; i < u->nacks; i++)
        if (u->acks[i].obj == obj)
            return 1;
    return 0;
}

/* Done: a message's acknowledgement waits for the next flush (at most
 * ACK_BATCH of them or budget_ms); a folder's is committed at once (later
 * entries read its URL from the store). */
static int ack(up *u, const st_journal_entry *e, const char *href, const char *etag)
{
    int code = 0;
    if (e->kind == ST_JKIND_MESSAGE) {
        pack *p = st_grow(u->acks, &u->cap_acks, u->nacks, sizeof *u->acks, 64);
        if (!p) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        u->acks = p;
        p = &u->acks[u->nacks];
        *p = (pack){ e->seq, e->obj, href ? st_strdup(href) : NULL,
            etag ? st_strdup(etag) : NULL };
        if ((href && !p->href) || (etag && !p->etag)) {
            free(p->href);
            free(p->etag);
            st_error_set("out of memory");
            return ST_ERROR;
        }
        if (!u->nacks++)
            u->acks_t0 = st_os_time_ms();
        if (href || etag)
            remember(u, e->obj, href, etag);
        if (u->nacks >= ACK_BATCH || st_os_time_ms() - u->acks_t0 >= u->s->budget_ms)
            code = flush_acks(u);
    } else {
        code = flush_acks(u);
        if (!code)
            code = st_journal_ack(u->s->store, e->seq, href, etag);
    }
    if (!code) {
        u->c->up_done++;
        progress(u);
    }
    return code;
}

static const char *op_name(int op)
{
    static const char *const names[] = { "?", "create", "modify", "read flag", "move",
        "delete", "rename", "hard delete" };
    return op >= 1 && op <= 7 ? names[op] : names[0];
}

static int refuse(up *u, const st_journal_entry *e, st_id mid)
{
    char what[384], *name = NULL;
    if (e->kind == ST_JKIND_FOLDER && ds_sync__folder_name(u->s, &name, e->obj) == 0)
        snprintf(what, sizeof what, "Change: %s of folder \"%s\"", op_name(e->op), name);
    else
        snprintf(what, sizeof what, "Change: %s of %s %llu", op_name(e->op),
            e->kind == ST_JKIND_FOLDER ? "folder" : "message", (unsigned long long)e->obj);
    free(name);
    const char *reason = *u->why ? u->why : "refused by the server";
    ST_LOG_WARN(ST_LOG_DAVSYNC, "up: %s refused: %s", what, reason);
    /* A message is copied; for a folder the note alone says it. */
    int code = ds_sync__keep_local(u->s, e->kind == ST_JKIND_MESSAGE ? mid : 0, 0, what, reason);
    if (!code)
        code = st_journal_refuse(u->s->store, e->seq, reason);
    if (!code) {
        u->c->up_refused++;
        progress(u);
    }
    return code;
}

/* 412: the server's version wins in place; ours goes to Conflicts. */
static int conflict(up *u, const st_journal_entry *e, st_id mid)
{
    char what[128];
    snprintf(what, sizeof what, "Change: %s of message %llu", op_name(e->op),
        (unsigned long long)e->obj);
    const char *reason = *u->why ? u->why : "precondition failed (412)";
    ST_LOG_INFO(ST_LOG_DAVSYNC, "up: %s: conflict: %s", what, reason);
    int code = mid ? ds_sync__keep_local(u->s, mid, 1, what, reason) : 0;
    if (!code)
        code = st_journal_ack(u->s->store, e->seq, NULL, NULL);
    /* No ETag: the next down-sync fetches the server's version over ours. */
    if (!code && mid)
        code = st_message_server_set(u->s->store, mid, NULL, "");
    if (!code) {
        u->c->up_conflicts++;
        progress(u);
    }
    return code;
}

/* After an HTTP failure: settle the entry as refused, or stop the run. A
 * server error (5xx after the HTTP layer's retries) stops it too, unless
 * the same entry met one in STUCK_RUNS runs in a row of this ds_sync: then
 * it is refused (and kept), so one item the server chokes on does not hold
 * back every change after it. */
static int failed(up *u, const st_journal_entry *e, st_id mid, int code)
{
    if (is_refusal(u, code))
        return refuse(u, e, mid);
    if (code == DS_EHTTP && u->status >= 500) {
        ds_sync *s = u->s;
        if (s->up_stuck_seq != e->seq) {
            s->up_stuck_seq = e->seq;
            s->up_stuck_runs = 0;
        }
        if (++s->up_stuck_runs >= STUCK_RUNS) {
            static const char more[] = " (a server error in several runs in a row)";
            size_t len = strlen(u->why);
            if (len > sizeof u->why - sizeof more)
                len = sizeof u->why - sizeof more;
            memcpy(u->why + len, more, sizeof more);
            s->up_stuck_seq = 0;
            return refuse(u, e, mid);
        }
    }
    return code;
}

/* ---- where things live --------------------------------------------------------- */

static int is_local_name(const char *name)
{
    static const char *const names[] = { "outbox", "sync issues" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *a = names[i], *b = name;
        while (*a && (*b >= 'A' && *b <= 'Z' ? *b + 32 : *b) == *a)
            a++, b++;
        if (!*a && !*b)
            return 1;
    }
    return 0;
}

/* *url = fid's collection (malloc'd) and WHERE_SERVER; or WHERE_LOCAL (a
 * local folder by nature) or WHERE_MISSING (should be on the server, is
 * not) with *url NULL; or <0 for a store error. */
static int folder_where(up *u, st_id fid, char **url)
{
    *url = NULL;
    if (fid == u->s->ipm)
        return (*url = xstrdup(u->s->mail_url)) ? WHERE_SERVER : ST_ERROR;
    int code = st_folder_sync_get(u->s->store, fid, url, NULL, NULL);
    if (code)
        return code;
    if (*url && **url) {
        if (!ds_href_is_inside(*url, u->s->mail_url)) {
            st_error_set("folder %llu: %s lies outside the mail root", (unsigned long long)fid,
                *url);
            free(*url);
            *url = NULL;
            u->status = 0;
            return DS_EPROTO;
        }
        return WHERE_SERVER;
    }
    free(*url);
    *url = NULL;
    /* Up to the IPM subtree: Outbox and Sync Issues there are local, and
     * so is everything outside it. */
    st_id cur = fid;
    for (int depth = 0; depth < 256; depth++) {
        st_id parent = 0;
        code = st_folder_parent(u->s->store, &parent, cur);
        if (code)
            return code;
        if (!parent)
            return WHERE_LOCAL;
        if (parent == u->s->ipm) {
            char *name = NULL, *curl = NULL;
            code = ds_sync__folder_name(u->s, &name, cur);
            if (!code)
                code = st_folder_sync_get(u->s->store, cur, &curl, NULL, NULL);
            int local = !code && is_local_name(name) && !(curl && *curl);
            free(name);
            free(curl);
            return code ? code : local ? WHERE_LOCAL : WHERE_MISSING;
        }
        cur = parent;
    }
    return WHERE_LOCAL;
}

/* ---- messages ------------------------------------------------------------------ */

/* The resource URL in coll for new message mid: the store's GUID and the
 * id (never reused), so no other client picks it, and an upload cut off
 * before its answer (cancelled, connection lost) finds its own resource
 * again when it is retried: If-None-Match: * then fails with 412, and the
 * resource is adopted instead of uploaded twice. (A later local change
 * of the message is a journal entry of its own and follows.) */
static char *new_name(up *u, const char *coll, st_id mid)
{
    st_guid g;
    char name[64];
    st_store_guid(u->s->store, &g);
    snprintf(name, sizeof name, "%08x%04x%04x-%llu.eml", (unsigned)g.data1, (unsigned)g.data2,
        (unsigned)g.data3, (unsigned long long)mid);
    return join(coll, name);
}

/* After a write of url that succeeded: its ETag (known_etag from the
 * write's answer, else a HEAD; "" when that fails, so the down-sync looks
 * again) and, with flags (a PROPPATCH body) or
 * store_flags (read from the store), the flags; then the acknowledgement
 * whatever those said: the write happened and is never sent again. A
 * failure that stops the run is returned after the acknowledgement. */
static int settle_write(up *u, const st_journal_entry *e, const char *url, st_id mid,
    const char *flags, int store_flags, char *known_etag)
{
    char *etag = known_etag;   /* owned from here */
    int hc = etag ? 0 : head_etag(u, url, &etag), fc = 0;
    if (!hc && flags) {
        ds_http_request rq = { .method = DS_HTTP_PROPPATCH, .url = url, .body = flags,
            .body_len = strlen(flags) };
        fc = http(u, &rq);
    } else if (!hc && store_flags) {
        fc = send_flags(u, url, mid);
    }
    int stop = hc && !is_refusal(u, hc) ? hc : fc && !is_refusal(u, fc) ? fc : 0;
    if (hc || fc)
        ST_LOG_WARN(ST_LOG_DAVSYNC, "up: %s written, then: %s", url, u->why);
    int code = ack(u, e, url, etag ? etag : "");
    free(etag);
    return code ? code : stop;
}

/* Uploads mid as a new item into collection coll; acks e with its href. */
static int msg_put_new(up *u, const st_journal_entry *e, st_id mid, const char *coll)
{
    body b;
    char *flags = NULL;
    int code = build_body(u, &b, mid, &flags, 1);
    if (code) {
        body_free(&b);
        return code == ST_ENOTFOUND || code == BODY_LOCAL ? ack(u, e, NULL, NULL)
                                                          : refuse(u, e, mid);
    }
    char *url = new_name(u, coll, mid), *etag = NULL;
    code = url ? put(u, url, &b, NULL, 1, &etag) : ST_ERROR;
    if (code == DS_EPRECOND) {
        ST_LOG_INFO(ST_LOG_DAVSYNC, "up: %s is there from an earlier attempt: adopted", url);
        code = 0;
    }
    body_free(&b);
    if (code) {
        free(flags);
        free(url);
        return failed(u, e, mid, code);
    }
    code = settle_write(u, e, url, mid, flags, 0, etag);
    free(flags);
    free(url);
    return code;
}

static int ensure_coll(up *u, st_id fid, char **url, int depth);

/* New in fid's collection (made when missing), or local. */
static int msg_create(up *u, const st_journal_entry *e, st_id mid, st_id fid)
{
    char *coll = NULL;
    int where = ensure_coll(u, fid, &coll, 0);
    int code = where == WHERE_SERVER ? msg_put_new(u, e, mid, coll)
        : where == WHERE_LOCAL ? ack(u, e, NULL, NULL)
        : failed(u, e, mid, where);
    free(coll);
    return code;
}

/* The PUT If-Match of a change of mid at href failed with code. 412:
 * a newer version there (a conflict), or none at all (If-Match on a
 * missing resource fails too, RFC 9110 13.1.1; a HEAD tells). Deleted on
 * the server, changed here: ours goes up again as a new item. */
static int modify_failed(up *u, const st_journal_entry *e, st_id mid, const char *href,
    int code)
{
    if (code == DS_EPRECOND) {
        char *cur = NULL;
        char keep[sizeof u->why];
        memcpy(keep, u->why, sizeof keep);
        int hc = head_etag(u, href, &cur);
        free(cur);
        if (hc == DS_ENOTFOUND)
            code = DS_ENOTFOUND;
        else
            memcpy(u->why, keep, sizeof keep);
    }
    if (code == DS_EPRECOND)
        return conflict(u, e, mid);
    if (code != DS_ENOTFOUND)
        return failed(u, e, mid, code);
    ST_LOG_INFO(ST_LOG_DAVSYNC, "up: %s is gone on the server; the local change is"
        " uploaded as a new item", href);
    u->c->up_conflicts++;
    st_id fid = 0;
    code = st_message_folder(u->s->store, &fid, mid);
    if (code == ST_ENOTFOUND || (!code && !fid))
        return ack(u, e, NULL, NULL);
    return code ? code : msg_create(u, e, mid, fid);
}

static int msg_modify(up *u, const st_journal_entry *e, st_id mid, const char *href,
    const char *base)
{
    char *ifm = NULL, *etag = NULL;
    int code = strong_etag(u, href, base, &ifm);
    body b = { 0 };
    if (!code) {
        code = build_body(u, &b, mid, NULL, 0);
        if (code) {
            body_free(&b);
            free(ifm);
            return code == ST_ENOTFOUND || code == BODY_LOCAL ? ack(u, e, NULL, NULL)
                                                              : refuse(u, e, mid);
        }
        code = put(u, href, &b, ifm, 0, &etag);
    }
    body_free(&b);
    free(ifm);
    if (code)
        return modify_failed(u, e, mid, href, code);
    return settle_write(u, e, href, mid, NULL, 1, etag);
}

static int msg_read(up *u, const st_journal_entry *e, st_id mid, const char *href)
{
    int code = send_flags(u, href, mid);
    if (code == DS_ENOTFOUND)   /* gone: the next down-sync removes it here */
        code = 0;
    if (code)
        return failed(u, e, mid, code);
    return ack(u, e, NULL, NULL);
}

/* 1 if code says the server does not do MOVE (405, 501). */
static int no_move(const up *u, int code)
{
    return code == DS_EHTTP && (u->status == 405 || u->status == 501);
}

/* MOVE src into collection coll under its own name (another when taken).
 * *out the new URL. */
static int move_into(up *u, const char *src, const char *coll, char **out)
{
    *out = NULL;
    int code = 0;
    for (int k = 0; k < NAME_TRIES; k++) {
        char *name = name_try(last_segment(src), k);
        char *dst = name ? join(coll, name) : NULL;
        free(name);
        if (!dst)
            return ST_ERROR;
        ds_http_request rq = { .method = DS_HTTP_MOVE, .url = src, .destination = dst,
            .overwrite = 'F' };
        code = http(u, &rq);
        if (!code) {
            *out = dst;
            return 0;
        }
        free(dst);
        if (code != DS_EPRECOND)
            break;
    }
    return code;
}

/* DELETE If-Match of the version we know. Gone already: done. Changed
 * there: the server's version stays and comes down with the next
 * down-sync (a conflict, without a local version to keep). */
static int delete_item(up *u, const st_journal_entry *e, const char *href, const char *base,
    st_id mid)
{
    char *ifm = NULL;
    int code = strong_etag(u, href, base, &ifm);
    if (!code) {
        ds_http_request rq = { .method = DS_HTTP_DELETE, .url = href, .if_match = ifm };
        code = http(u, &rq);
    }
    free(ifm);
    if (!code || code == DS_ENOTFOUND)
        return ack(u, e, NULL, NULL);
    if (code == DS_EPRECOND)
        return conflict(u, e, 0);
    return failed(u, e, mid, code);
}

static int msg_move(up *u, const st_journal_entry *e, st_id mid, st_id fid, const char *href,
    const char *base)
{
    char *coll = NULL, *dst = NULL;
    int where = ensure_coll(u, fid, &coll, 0);
    int code = 0;
    if (where < 0)
        return failed(u, e, mid, where);
    if (where == WHERE_LOCAL)   /* into Outbox or Sync Issues: it leaves the server */
        return delete_item(u, e, href, base, mid);
    if (ds_href_is_inside(href, coll) && !strchr(href + strlen(coll), '/')) {
        free(coll);   /* there already (moved back and forth) */
        return ack(u, e, NULL, NULL);
    }
    code = move_into(u, href, coll, &dst);
    if (code == DS_ENOTFOUND) {   /* gone on the server: ours goes up as new */
        code = msg_put_new(u, e, mid, coll);
        free(coll);
        return code;
    }
    if (no_move(u, code)) {
        /* No MOVE there (Xandikos): ours goes up anew, then the old one goes
         * (in that order: at worst a copy too many, never one too few). */
        ST_LOG_INFO(ST_LOG_DAVSYNC, "up: %s: the server has no MOVE: uploaded anew", href);
        uint64_t refused = u->c->up_refused;
        code = msg_put_new(u, e, mid, coll);
        free(coll);
        if (code || u->c->up_refused != refused)
            return code;   /* stopped, or refused: the old one stays */
        char *ifm = NULL;
        code = strong_etag(u, href, base, &ifm);
        if (!code) {
            ds_http_request rq = { .method = DS_HTTP_DELETE, .url = href, .if_match = ifm };
            code = http(u, &rq);
        }
        free(ifm);
        if (code && code != DS_ENOTFOUND)
            ST_LOG_WARN(ST_LOG_DAVSYNC, "up: %s stays on the server: %s", href, u->why);
        return code && !is_refusal(u, code) ? code : 0;
    }
    free(coll);
    if (code)
        return failed(u, e, mid, code);
    code = settle_write(u, e, dst, mid, NULL, 0, NULL);
    free(dst);
    return code;
}

static int msg_delete(up *u, const st_journal_entry *e)
{
    const seen *m = recall(u, e->obj);
    const char *href = m && m->href ? m->href : e->href;
    const char *base = m && m->etag ? m->etag : e->base_etag;
    if (!href || !*href)
        return ack(u, e, NULL, NULL);   /* never reached the server */
    if (!ds_href_is_inside(href, u->s->mail_url)) {
        snprintf(u->why, sizeof u->why, "%s lies outside the mail root", href);
        return refuse(u, e, 0);
    }
    st_id trash = u->s->roles[DS_ROLE_DELETED];
    char *tcoll = NULL, *dst = NULL;
    int code = 0;
    if (e->op == ST_JOP_DELETE && trash && e->folder != trash &&
        folder_where(u, trash, &tcoll) == WHERE_SERVER &&
        !ds_href_is_inside(href, tcoll)) {
        code = move_into(u, href, tcoll, &dst);
        free(dst);
        if (!code || code == DS_ENOTFOUND) {
            free(tcoll);
            return ack(u, e, NULL, NULL);
        }
        if (!no_move(u, code)) {
            free(tcoll);
            return failed(u, e, 0, code);
        }
        /* No MOVE there: the local copy is gone, so deleted for good. */
        ST_LOG_INFO(ST_LOG_DAVSYNC, "up: %s: the server has no MOVE: deleted", href);
    }
    free(tcoll);
    return delete_item(u, e, href, base, 0);
}

static int do_message(up *u, const st_journal_entry *e)
{
    if (e->op == ST_JOP_DELETE || e->op == ST_JOP_PURGE)
        return msg_delete(u, e);
    st_id fid = 0, mid = e->obj;
    int code = st_message_folder(u->s->store, &fid, mid);
    if (code == ST_ENOTFOUND || (!code && !fid))
        return ack(u, e, NULL, NULL);   /* gone since; a DELETE entry follows */
    if (code)
        return code;
    char *href = NULL, *etag = NULL;
    code = st_message_server_get(u->s->store, mid, &href, &etag);
    if (code)
        return code;
    if (href && *href && !ds_href_is_inside(href, u->s->mail_url)) {
        snprintf(u->why, sizeof u->why, "%s lies outside the mail root", href);
        code = refuse(u, e, mid);
    } else if (!href || !*href) {
        code = msg_create(u, e, mid, fid);   /* never uploaded (or local until now) */
    } else if (e->op == ST_JOP_CREATE || e->op == ST_JOP_MODIFY) {
        code = msg_modify(u, e, mid, href, etag);
    } else if (e->op == ST_JOP_READ) {
        code = msg_read(u, e, mid, href);
    } else if (e->op == ST_JOP_MOVE) {
        code = msg_move(u, e, mid, fid, href, etag);
    } else {
        code = ack(u, e, NULL, NULL);
    }
    free(href);
    free(etag);
    return code;
}

/* ---- new items in parallel ------------------------------------------------
 * Uploads of new messages (the bulk of a busy journal: mail filed in Sent
 * Items, drafts, copies) run a window of 2 x connections at a time, each a
 * chain of callbacks: PUT If-None-Match -> HEAD -> PROPPATCH when it has
 * flags to say. Only entries of distinct objects run together; any other
 * entry waits until the window is empty, so the journal's order holds for
 * everything that depends on it. Outcomes are settled in the main loop
 * (reap), as the sequential path would. */

enum { JOB_NEW = 1, JOB_FLAGS = 2, JOB_MODIFY = 3, JOB_MOVE = 4 };

typedef struct job {
    up *u;
    int kind;           /* JOB_NEW: PUT, HEAD, PROPPATCH when flags are set;
                           JOB_MODIFY: PUT If-Match, HEAD, PROPPATCH;
                           JOB_FLAGS: PROPPATCH;
                           JOB_MOVE: MOVE Overwrite: F (412: next name), HEAD */
    char *base;         /* JOB_MODIFY: the strong ETag for If-Match;
                           JOB_MOVE: the source */
    int k;              /* JOB_MOVE: name try */
    const st_journal_entry *e;  /* borrowed from the batch */
    st_id mid;
    char *coll;         /* the folder's collection */
    char *url;          /* the resource being written */
    char *etag;         /* from the HEAD */
    char *flags;        /* PROPPATCH body, or NULL */
    body b;
    int finished;       /* the chain ended */
    int code;           /* its result */
    long status;
    char why[256];
    struct job *next;   /* in u->jobs */
} job;

static void job_free(job *j)
{
    body_free(&j->b);
    free(j->coll);
    free(j->url);
    free(j->etag);
    free(j->flags);
    free(j->base);
    free(j);
}

static void job_end(job *j, const ds_http_result *res, int code)
{
    /* ds_http_run returns only when its queue is empty: make it return now,
     * so the window is refilled as each job ends. */
    ds_http_wakeup(j->u->s->http);
    j->finished = 1;
    j->code = code;
    j->status = res ? res->status : 0;
    snprintf(j->why, sizeof j->why, "%s", code && res && res->error && *res->error ? res->error
        : code ? st_error_last() : "");
}

/* Once the PUT succeeded, a job ends in success whatever follows (as
 * settle_write): the item is on the server and must not be sent again. */
static void job_flags_done(void *arg, const ds_http_result *res)
{
    job *j = arg;
    if (res->code)
        ST_LOG_WARN(ST_LOG_DAVSYNC, "up: %s written, then: %s", j->url, res->error);
    job_end(j, res, 0);
}

/* The ETag is known (or cannot be): the flags, or the end. */
static void job_flags(job *j, const ds_http_result *res)
{
    if (!j->flags) {
        job_end(j, res, 0);
        return;
    }
    ds_http_request rq = { .method = DS_HTTP_PROPPATCH, .url = j->url, .body = j->flags,
        .body_len = strlen(j->flags), .done = job_flags_done, .done_arg = j };
    if (ds_http_submit(j->u->s->http, &rq, NULL) != 0)
        job_end(j, NULL, 0);
}

static void job_head_done(void *arg, const ds_http_result *res)
{
    job *j = arg;
    if (res->code)
        ST_LOG_WARN(ST_LOG_DAVSYNC, "up: %s written, then: %s", j->url, res->error);
    else if (res->etag)
        j->etag = st_strdup(res->etag);   /* NULL when out of memory: "" is recorded */
    if (res->code)
        job_end(j, res, 0);
    else
        job_flags(j, res);
}

static void job_put_done(void *arg, const ds_http_result *res)
{
    job *j = arg;
    int code = res->code;
    if (code == DS_EPRECOND && j->kind == JOB_NEW) {   /* ours, from before (see new_name) */
        ST_LOG_INFO(ST_LOG_DAVSYNC, "up: %s is there from an earlier attempt: adopted", j->url);
        code = 0;
    }
    if (code) {
        job_end(j, res, code);
        return;
    }
    j->u->c->up_bytes += j->b.size;
    if (res->code == 0 && res->etag && *res->etag && (j->etag = st_strdup(res->etag))) {
        job_flags(j, res);   /* the answer named the new version */
        return;
    }
    ds_http_request rq = { .method = DS_HTTP_HEAD, .url = j->url, .done = job_head_done,
        .done_arg = j };
    if (ds_http_submit(j->u->s->http, &rq, NULL) != 0)
        job_end(j, NULL, 0);
}

static void job_move(job *j);

static void job_move_done(void *arg, const ds_http_result *res)
{
    job *j = arg;
    if (res->code == DS_EPRECOND && ++j->k < NAME_TRIES) {
        job_move(j);   /* the name is taken there: the next */
        return;
    }
    if (res->code) {
        job_end(j, res, res->code);
        return;
    }
    ds_http_request rq = { .method = DS_HTTP_HEAD, .url = j->url, .done = job_head_done,
        .done_arg = j };
    if (ds_http_submit(j->u->s->http, &rq, NULL) != 0)
        job_end(j, NULL, 0);
}

/* MOVE j->base into j->coll under its name, try j->k; j->url the target. */
static void job_move(job *j)
{
    free(j->url);
    char *name = name_try(last_segment(j->base), j->k);
    j->url = name ? join(j->coll, name) : NULL;
    free(name);
    ds_http_request rq = { .method = DS_HTTP_MOVE, .url = j->base, .destination = j->url,
        .overwrite = 'F', .done = job_move_done, .done_arg = j };
    if (!j->url || ds_http_submit(j->u->s->http, &rq, NULL) != 0)
        job_end(j, NULL, ST_ERROR);
}

static void job_put(job *j)
{
    if (j->kind == JOB_NEW) {
        free(j->url);
        j->url = new_name(j->u, j->coll, j->mid);
    }
    int code = j->url ? body_rewind(&j->b) : ST_ERROR;
    ds_http_request rq = { .method = DS_HTTP_PUT, .url = j->url, .content_type = "message/rfc822",
        .if_none_match = j->kind == JOB_NEW ? "*" : NULL, .if_match = j->base, .read = body_read, .rewind = body_rewind, .read_arg = &j->b,
        .upload_size = (int64_t)j->b.size, .done = job_put_done, .done_arg = j };
    if (!code)
        code = ds_http_submit(j->u->s->http, &rq, NULL);
    if (code)
        job_end(j, NULL, code);
}

typedef struct jobspec {
    int kind;           /* JOB_*, 0: the sequential path */
    st_id mid;
    char *url;          /* FLAGS, MODIFY: the message's href */
    char *coll;         /* NEW: its collection; MOVE: the destination */
    char *base;         /* MODIFY: its strong ETag; MOVE: its href */
} jobspec;

/* What may run in the window: a new message for a folder on the server
 * (JOB_NEW), a read flag (JOB_FLAGS), a change of a message whose ETag is
 * strong (JOB_MODIFY; weak ones wait in the sequential path), a move
 * between folders on the server (JOB_MOVE). sp->kind 0: the sequential
 * path. <0: a store error. */
static int parallel_kind(up *u, const st_journal_entry *e, jobspec *sp)
{
    memset(sp, 0, sizeof *sp);
    if (e->kind != ST_JKIND_MESSAGE || e->op == ST_JOP_DELETE || e->op == ST_JOP_PURGE)
        return 0;
    st_id fid = 0;
    char *href = NULL, *etag = NULL, *coll = NULL;
    int code = st_message_folder(u->s->store, &fid, e->obj);
    if (code == ST_ENOTFOUND || (!code && !fid))
        return 0;
    if (!code)
        code = st_message_server_get(u->s->store, e->obj, &href, &etag);
    int on_server = !code && href && *href && ds_href_is_inside(href, u->s->mail_url);
    int kind = 0;
    if (code) {
        kind = 0;
    } else if (on_server && e->op == ST_JOP_READ) {
        kind = JOB_FLAGS;
    } else if (on_server && (e->op == ST_JOP_CREATE || e->op == ST_JOP_MODIFY)) {
        kind = usable_etag(etag) && !ds_etag_is_weak(etag) ? JOB_MODIFY : 0;
    } else if (!href || !*href || (on_server && e->op == ST_JOP_MOVE)) {
        int where = folder_where(u, fid, &coll);
        if (where < 0)
            code = where;
        else if (where == WHERE_SERVER && (!href || !*href))
            kind = JOB_NEW;
        else if (where == WHERE_SERVER && on_server &&
                 !(ds_href_is_inside(href, coll) && !strchr(href + strlen(coll), '/')))
            kind = JOB_MOVE;
    }
    if (kind) {
        sp->kind = kind;
        sp->mid = e->obj;
        if (kind == JOB_FLAGS || kind == JOB_MODIFY) {
            sp->url = href;
            href = NULL;
        }
        if (kind == JOB_MODIFY) {
            sp->base = etag;
            etag = NULL;
        }
        if (kind == JOB_NEW || kind == JOB_MOVE) {
            sp->coll = coll;
            coll = NULL;
        }
        if (kind == JOB_MOVE) {
            sp->base = href;
            href = NULL;
        }
    }
    free(href);
    free(etag);
    free(coll);
    return code;
}

/* 1 the first time this run sees the collection of url (a resource, or a
 * collection ending in '/'): then it is remembered. 0 afterwards, or when
 * out of memory (then nothing waits). */
static int first_in_coll(up *u, const char *url)
{
    const char *slash = strrchr(url, '/');
    size_t len = slash ? (size_t)(slash - url) + 1 : strlen(url);
    for (size_t i = 0; i < u->ncolls; i++)
        if (strlen(u->colls[i]) == len && memcmp(u->colls[i], url, len) == 0)
            return 0;
    char **p = st_grow(u->colls, &u->cap_colls, u->ncolls, sizeof *u->colls, 8);
    if (!p)
        return 0;
    u->colls = p;
    char *c = st_memdup(url, len + 1);
    if (!c)
        return 0;
    c[len] = 0;
    u->colls[u->ncolls++] = c;
    return 1;
}

static int job_running(const up *u, st_id obj)
{
    for (const job *j = u->jobs; j; j = j->next)
        if (j->mid == obj)
            return 1;
    return 0;
}

/* Settles finished jobs; the first stop code goes to u->stop. */
static int reap(up *u)
{
    int code = 0;
    for (job **pp = &u->jobs; *pp;) {
        job *j = *pp;
        if (!j->finished) {
            pp = &j->next;
            continue;
        }
        *pp = j->next;
        u->njobs--;
        int rc = 0;
        if (!j->code && j->kind == JOB_FLAGS) {
            rc = ack(u, j->e, NULL, NULL);
        } else if (!j->code) {
            rc = ack(u, j->e, j->url, j->etag ? j->etag : "");
        } else {
            u->status = j->status;
            snprintf(u->why, sizeof u->why, "%s", j->why);
            /* A move the server said no to goes the sequential way, which
             * knows what to do about it (404: upload; no MOVE: upload and
             * DELETE; others: refuse). */
            rc = j->kind == JOB_MOVE && is_refusal(u, j->code) ? do_message(u, j->e)
                : j->kind == JOB_MODIFY && is_refusal(u, j->code)
                ? modify_failed(u, j->e, j->mid, j->url, j->code)
                : j->code == DS_EPRECOND ? refuse(u, j->e, j->mid)
                : failed(u, j->e, j->mid, j->code);
        }
        if (rc && !u->stop) {
            u->stop = rc;
            snprintf(u->stop_why, sizeof u->stop_why, "%s", *u->why ? u->why : st_error_last());
        }
        if (rc && !code)
            code = rc;
        job_free(j);
    }
    return code;
}

/* Runs the window until at most `left` jobs are in flight. */
static int run_jobs(up *u, size_t left)
{
    int code = 0;
    while (!code && u->njobs > left) {
        int rc = ds_http_run(u->s->http, 1000);
        code = reap(u);
        if (!code && rc)
            code = rc;
    }
    if (code) {   /* stop: what is in flight ends cancelled, what finished is settled */
        ds_http_cancel_all(u->s->http);
        reap(u);
    }
    return code;
}

static void job_read_done(void *arg, const ds_http_result *res)
{
    job *j = arg;   /* gone there (404): the next down-sync removes it here */
    job_end(j, res, res->code == DS_ENOTFOUND ? 0 : res->code);
}

/* A read flag: one PROPPATCH (j->url is the message's href). */
static int job_start_flags(up *u, job *j)
{
    st_bag *b = NULL;
    int code = st_message_get(u->s->store, &b, j->mid);
    if (!code)
        code = flags_xml(&j->flags, b, 0);
    st_bag_free(b);
    if (code) {
        job_free(j);
        return code;
    }
    j->next = u->jobs;
    u->jobs = j;
    u->njobs++;
    ds_http_request rq = { .method = DS_HTTP_PROPPATCH, .url = j->url, .body = j->flags,
        .body_len = strlen(j->flags), .done = job_read_done, .done_arg = j };
    if (ds_http_submit(u->s->http, &rq, NULL) != 0)
        job_end(j, NULL, ST_ERROR);
    return 0;
}

/* Starts sp (its strings are taken over, whatever happens). */
static int job_start(up *u, const st_journal_entry *e, jobspec *sp)
{
    job *j = calloc(1, sizeof *j);
    if (!j) {
        free(sp->url);
        free(sp->coll);
        free(sp->base);
        st_error_set("out of memory");
        return ST_ERROR;
    }
    j->u = u;
    j->kind = sp->kind;
    j->e = e;
    j->mid = sp->mid;
    j->url = sp->url;
    j->coll = sp->coll;
    j->base = sp->base;
    st_id mid = sp->mid;
    if (j->kind == JOB_FLAGS)
        return job_start_flags(u, j);
    if (j->kind == JOB_MOVE) {
        j->next = u->jobs;
        u->jobs = j;
        u->njobs++;
        job_move(j);
        return 0;
    }
    int code = build_body(u, &j->b, mid, &j->flags, j->kind == JOB_NEW);
    if (code) {
        job_free(j);
        return code == ST_ENOTFOUND || code == BODY_LOCAL ? ack(u, e, NULL, NULL)
                                                          : refuse(u, e, mid);
    }
    j->next = u->jobs;
    u->jobs = j;
    u->njobs++;
    job_put(j);
    return 0;
}

/* ---- folders ------------------------------------------------------------------- */

/* *out = the collection URL fid should have: its parent's + its name.
 * WHERE_* as folder_where for the parent. */
static int folder_target(up *u, st_id fid, char **out)
{
    *out = NULL;
    st_id parent = 0;
    char *purl = NULL, *name = NULL, *seg = NULL;
    int code = st_folder_parent(u->s->store, &parent, fid);
    if (code)
        return code;
    int where = folder_where(u, parent, &purl);
    if (where != WHERE_SERVER) {
        free(purl);
        return where;
    }
    code = ds_sync__folder_name(u->s, &name, fid);
    if (!code && !(seg = seg_encode(name)))
        code = ST_ERROR;
    char *raw = NULL;
    if (!code) {
        size_t len = strlen(purl) + strlen(seg) + 2;
        raw = malloc(len);
        if (raw)
            snprintf(raw, len, "%s%s/", purl, seg);
        else
            code = ST_ERROR;
    }
    if (!code)
        code = ds_href_normalize(out, raw);
    free(raw);
    free(purl);
    free(name);
    free(seg);
    return code;
}

/* As folder_where, but a folder that should be on the server and is not
 * gets its collection now, parents first (MKCOL; 405, one of that name is
 * there: adopted), its URL recorded: a folder made locally without a
 * journal entry (the provider's default folders before the first sync), or
 * whose MKCOL failed before. <0: the store's error or the HTTP failure. */
static int ensure_coll(up *u, st_id fid, char **url, int depth)
{
    int where = folder_where(u, fid, url);
    if (where != WHERE_MISSING)
        return where;
    if (depth > 64) {
        st_error_set("folder %llu: nested too deep", (unsigned long long)fid);
        return ST_ERROR;
    }
    st_id parent = 0;
    char *purl = NULL, *target = NULL;
    int code = st_folder_parent(u->s->store, &parent, fid);
    if (!code)
        code = ensure_coll(u, parent, &purl, depth + 1);
    free(purl);
    if (code)   /* the parent is local (its child too), or failed */
        return code;
    code = folder_target(u, fid, &target);
    if (code) {
        free(target);
        return code;
    }
    ds_http_request rq = { .method = DS_HTTP_MKCOL, .url = target };
    code = http(u, &rq);
    if (code && u->status == 405)
        code = 0;
    if (!code)
        code = st_folder_sync_set(u->s->store, fid, target, NULL, NULL);
    if (code) {
        free(target);
        return code;
    }
    *url = target;
    return WHERE_SERVER;
}

static int folder_create(up *u, const st_journal_entry *e)
{
    char *url = NULL;
    int where = ensure_coll(u, e->obj, &url, 0);
    int code = where < 0 ? failed(u, e, 0, where)
        : ack(u, e, where == WHERE_SERVER ? url : NULL, NULL);   /* made, there, or local */
    free(url);
    return code;
}

static int folder_move(up *u, const st_journal_entry *e)
{
    char *url = NULL, *target = NULL;
    int where = folder_where(u, e->obj, &url);
    if (where < 0)
        return where;
    if (where == WHERE_LOCAL)
        return ack(u, e, NULL, NULL);
    if (where == WHERE_MISSING)   /* never made on the server: make it now */
        return folder_create(u, e);
    st_id parent = 0;
    char *purl = NULL;
    int code = st_folder_parent(u->s->store, &parent, e->obj);
    if (!code)
        code = ensure_coll(u, parent, &purl, 0);
    free(purl);
    if (code > 0) {   /* WHERE_LOCAL */
        snprintf(u->why, sizeof u->why, "moved into a folder that stays local");
        code = refuse(u, e, 0);
    } else if (code < 0) {
        code = failed(u, e, 0, code);
    } else if (!(code = folder_target(u, e->obj, &target)) && strcmp(target, url) == 0) {
        code = ack(u, e, NULL, NULL);
    } else if (!code) {
        ds_http_request rq = { .method = DS_HTTP_MOVE, .url = url, .destination = target,
            .overwrite = 'F' };
        code = http(u, &rq);
        if (code) {
            if (code == DS_EPRECOND)
                snprintf(u->why, sizeof u->why, "%s exists on the server already", target);
            code = failed(u, e, 0, code);
        } else {
            code = st_folder_sync_rebase(u->s->store, url, target);
            if (!code)
                code = ack(u, e, NULL, NULL);
            /* URLs below it changed: the rest of the batch and what this
             * run remembers are stale. Take them again from the store. */
            u->retake = 1;
            for (size_t i = 0; i < MAX_REMEMBER; i++)
                u->mem[i].obj = 0;
        }
    }
    free(url);
    free(target);
    return code;
}

static int folder_delete(up *u, const st_journal_entry *e)
{
    if (!e->href || !*e->href)
        return ack(u, e, NULL, NULL);
    if (!ds_href_is_inside(e->href, u->s->mail_url) || strcmp(e->href, u->s->mail_url) == 0) {
        snprintf(u->why, sizeof u->why, "%s: not a folder below the mail root", e->href);
        return refuse(u, e, 0);
    }
    ds_http_request rq = { .method = DS_HTTP_DELETE, .url = e->href };
    int code = http(u, &rq);
    if (!code || code == DS_ENOTFOUND)
        return ack(u, e, NULL, NULL);
    return failed(u, e, 0, code);
}

static int do_folder(up *u, const st_journal_entry *e)
{
    if (e->op == ST_JOP_DELETE)
        return folder_delete(u, e);
    st_id parent = 0;
    int code = st_folder_parent(u->s->store, &parent, e->obj);
    if (code == ST_ENOTFOUND)
        return ack(u, e, NULL, NULL);   /* gone since; a DELETE entry follows */
    if (code)
        return code;
    switch (e->op) {
    case ST_JOP_CREATE:
        return folder_create(u, e);
    case ST_JOP_MOVE:
    case ST_JOP_RENAME:
        return folder_move(u, e);
    default:   /* its properties: no server form */
        return ack(u, e, NULL, NULL);
    }
}

/* ---- the run ----------------------------------------------------------------------- */

/* Roles from the local tree, when ds_sync_folders did not run in this
 * session (the up-sync goes first): top-level folders with a collection. */
static int find_roles(ds_sync *s)
{
    for (int r = 1; r < DS_ROLE_COUNT; r++)
        if (s->roles[r])
            return 0;
    st_id *kids = NULL;
    size_t n = 0;
    int code = st_folder_children(s->store, &kids, &n, s->ipm);
    for (size_t i = 0; !code && i < n; i++) {
        char *name = NULL, *url = NULL;
        code = ds_sync__folder_name(s, &name, kids[i]);
        if (!code)
            code = st_folder_sync_get(s->store, kids[i], &url, NULL, NULL);
        ds_folder_role role = code || !url || !*url ? DS_ROLE_NONE : ds_sync__role_of(name);
        if (role != DS_ROLE_NONE && !s->roles[role])
            s->roles[role] = kids[i];
        free(name);
        free(url);
    }
    free(kids);
    return code;
}

int ds_sync_up(ds_sync *s, ds_sync_counts *c)
{
    up u = { .s = s, .c = c };
    size_t pending = 0;
    /* Entries a killed run had taken are pending again. */
    int code = st_journal_release(s->store);
    if (!code)
        code = find_roles(s);
    if (!code)
        code = st_journal_count(s->store, &pending, ST_JSTATE_PENDING);
    u.total = pending;
    uint64_t t0 = st_os_time_ms();
    if (!code && pending)
        ds_sync__progress(s, "up", NULL, 0, u.total, c);
    while (!code) {
        st_journal_entry *e = NULL;
        size_t n = 0;
        code = st_journal_take(s->store, &e, &n, BATCH);
        if (code || !n) {
            st_journal_entries_free(e, n);
            break;
        }
        size_t window = (size_t)s->max_connections * 2;
        for (size_t i = 0; !code && !u.retake && i < n; i++) {
            u.why[0] = 0;
            u.status = 0;
            jobspec sp;
            if (job_running(&u, e[i].obj))
                code = run_jobs(&u, 0);
            if (!code && waiting_ack(&u, e[i].obj))
                code = flush_acks(&u);
            int par = code ? 0 : parallel_kind(&u, &e[i], &sp);
            if (par < 0) {
                code = par;
            } else if (!code && sp.kind) {
                /* The first one to write properties in a collection runs
                 * alone: Apache makes the collection's property store on
                 * the first write, and parallel first writes wait a whole
                 * second for each other there. */
                int alone = sp.kind != JOB_MOVE && first_in_coll(&u, sp.coll ? sp.coll : sp.url);
                code = run_jobs(&u, alone ? 0 : window - 1);
                if (!code) {
                    code = job_start(&u, &e[i], &sp);
                    if (!code && alone)
                        code = run_jobs(&u, 0);
                } else {
                    free(sp.url);
                    free(sp.coll);
                    free(sp.base);
                }
            } else if (!code) {
                code = run_jobs(&u, 0);
                if (!code)
                    code = e[i].kind == ST_JKIND_FOLDER ? do_folder(&u, &e[i])
                                                        : do_message(&u, &e[i]);
            }
            if (code && u.stop) {
                snprintf(u.why, sizeof u.why, "%s", u.stop_why);
            } else if (code)
                ST_LOG_WARN(ST_LOG_DAVSYNC, "up: stopped at journal entry %lld (%s of %llu):"
                    " %s: %s", (long long)e[i].seq, op_name(e[i].op),
                    (unsigned long long)e[i].obj, ds_error_name(code),
                    *u.why ? u.why : st_error_last());
        }
        int rc = run_jobs(&u, 0);   /* the batch's entries are borrowed by jobs */
        if (!code)
            code = rc;
        st_journal_entries_free(e, n);
        if (!code)
            code = flush_acks(&u);
        if (!code && u.retake) {
            u.retake = 0;
            code = st_journal_release(s->store);
        }
    }
    /* What was carried out before a stop is acknowledged all the same. */
    int fc = flush_acks(&u);
    if (!code)
        code = fc;
    free(u.acks);
    for (size_t i = 0; i < u.ncolls; i++)
        free(u.colls[i]);
    free(u.colls);
    if (code) {
        char keep[ST_ERROR_MAX];
        snprintf(keep, sizeof keep, "%s", *u.why ? u.why : st_error_last());
        st_journal_release(s->store);
        st_error_set("%s", keep);
    }
    for (size_t i = 0; i < MAX_REMEMBER; i++) {
        free(u.mem[i].href);
        free(u.mem[i].etag);
    }
    if (u.done || code)
        ST_LOG_INFO(ST_LOG_DAVSYNC, "up %s: %s%s%s; %llu done, %llu conflicts, %llu refused,"
            " %llu bytes in %llu ms", s->mail_url, ds_error_name(code), code ? ": " : "",
            code ? st_error_last() : "", (unsigned long long)c->up_done,
            (unsigned long long)c->up_conflicts, (unsigned long long)c->up_refused,
            (unsigned long long)c->up_bytes, (unsigned long long)(st_os_time_ms() - t0));
    return code;
}
