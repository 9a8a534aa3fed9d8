/*
 * sync_down.c: one mail folder down. The listing asks for getetag,
 * getcontentlength, getlastmodified, httpmail:read and the MAPI
 * PR_FLAG_STATUS dead property (named as Exchange did: local name
 * "x10900003" in the proptag namespace, since an XML name cannot start
 * with a digit), either
 *   - by RFC 6578 sync-collection (REPORT, Depth 0) with the folder's
 *     stored token: no token gives every member (a full listing), a token
 *     only what changed since (a 404 response = deleted); a 507 for the
 *     collection itself means truncated (3.6): asked again with the token
 *     of that answer until whole, every page applied as one listing (a
 *     member named twice: the later answer wins). A token the server
 *     refuses (403/409 valid-sync-token, or any other error status:
 *     Xandikos answers 500) is dropped and the folder listed again in full,
 *     diffed as below, so nothing is duplicated. A collection that refuses
 *     the REPORT without a token (501/405/403/400: Apache, nginx) gets the
 *     DS_SYNC_NO_REPORT marker in its token field and is listed by
 *   - PROPFIND Depth 1 from then on (the folder walk's own Depth 1 answer
 *     for the collection when it kept one, ds_sync__take_members),
 * diffed against the stored (href, ETag) map (a full listing: what is not
 * listed is gone; a delta: only what is listed is looked at); new and
 * changed messages fetched in parallel (a window of 2 x connections GETs
 * in flight), each body streamed into a MIME parser as it arrives, stored
 * with st_import_message; gone ones deleted; read and flag changes that
 * kept the ETag (a PROPPATCH does not change it) applied. The new token,
 * and the ctag listed by ds_sync_folders, are stored only when everything
 * listed was applied (no fetch failed, nothing kept for a pending local
 * change, not cancelled): otherwise the next delta starts from the old
 * token and sees those changes again.
 * An empty folder's first download may begin during the tree walk (the
 * stream at the end of this file, sync_int.h): the same fetches, fed with
 * the walk's listing as it comes in; this down-sync then finds those
 * messages stored and fetches the rest.
 *
 * Memory: a GET body never sits in memory whole: it is fed to the parser
 * chunk by chunk. The parser keeps the text bodies (bounded by its
 * max_body) and hands attachment bytes to a cv_sink; storage streams need
 * the message and attachment to exist first, which they do not while the
 * message is being parsed, so the sink spools each attachment: in memory up
 * to SPOOL_MEM_MAX, beyond that in a temporary file beside the store
 * (<store>.spool-PID-N, removed at once). After the parse the message is
 * stored and each big attachment copied into a storage stream in chunks.
 *
 * ETags: stored as the server gives them (weak ones too). A weak and a
 * strong ETag with the same opaque value count as the same version (Apache
 * hands out W/"x" for a second after a write, then "x" for the same file:
 * PEERS.md pitfall 2), so that transition costs no download. A server
 * without getetag (nginx, pitfall 7) gets a pseudo-ETag
 * "mapidav-lm:LENGTH:LAST-MODIFIED", which is never sent as If-Match.
 *
 * Invariants: an item is stored as one savepoint of the import's batch
 * (st_import_item_begin/_end: props, recipients, ETag, attachments), or,
 * new and without attachments, by one st_import_message (no savepoint
 * when light; a store failure in it rolls the batch back, storage.h): a
 * kill leaves it either whole with its ETag or absent/old, so the next
 * sync fetches it again and upserts it by href; a message with a pending
 * local change is never overwritten or deleted here.
 * Never: journal (ST_FROM_SERVER everywhere), trust a server byte (no
 * assert), follow an href outside the folder's collection.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/body.h"
#include "convert/mail.h"
#include "convert/mime.h"
#include "davsync/href.h"
#include "davsync/sync_int.h"
#include "davsync/xml.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_tags.h"

#define SPOOL_MEM_MAX ((size_t)256 * 1024)
#define PSEUDO_ETAG "mapidav-lm:"

/* ---- the server's listing ---------------------------------------------- */

typedef struct sitem {
    char *url;          /* normalised absolute URL: the href we store */
    char *etag;         /* as given, or a pseudo-ETag, or NULL */
    int64_t size;       /* getcontentlength, -1 */
    int read;           /* httpmail:read: 1, 0, or -1 when not set */
    int has_flag;       /* PR_FLAG_STATUS dead property present */
    int32_t flag;       /* its value */
    int gone;           /* sync-collection: 404, deleted on the server */
    size_t seq;         /* order of arrival (the later of two wins) */
} sitem;

typedef struct slist {
    const char *coll;   /* the folder's URL */
    sitem *it;
    size_t n, cap;
    size_t seen;        /* responses taken, over every page */
    int truncated;      /* sync-collection: this page ended in a 507 */
} slist;

#define MAX_PAGES 100000    /* sync-collection pages of one folder */
#define SMALL_DELTA 64      /* changes looked up one by one in the store */

static int parse_bool(const char *v)
{
    if (!v)
        return -1;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    if (*v == '1' || *v == 't' || *v == 'T')
        return 1;
    if (*v == '0' || *v == 'f' || *v == 'F')
        return 0;
    return -1;
}

static int on_item(void *arg, const ds_ms_response *r)
{
    slist *l = arg;
    if (r->status == 507 && strcmp(r->url, l->coll) == 0) {
        l->truncated = 1;
        return 0;
    }
    int gone = r->status == 404 || r->status == 410;
    if ((r->resourcetype & DS_RT_COLLECTION) || (r->status && !gone) ||
        strcmp(r->url, l->coll) == 0)
        return 0;
    /* Direct members only. */
    const char *rest = r->url + strlen(l->coll);
    if (strncmp(r->url, l->coll, strlen(l->coll)) != 0 || !*rest || strchr(rest, '/'))
        return 0;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        sitem *p = realloc(l->it, nc * sizeof *p);
        if (!p) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        l->it = p;
        l->cap = nc;
    }
    sitem *it = &l->it[l->n];
    memset(it, 0, sizeof *it);
    it->size = r->content_length;
    it->gone = gone;
    it->seq = l->seen++;
    it->url = strdup(r->url);
    if (gone) {
        if (!it->url) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        l->n++;
        return 0;
    }
    if (r->etag && *r->etag) {
        it->etag = strdup(r->etag);
    } else if (r->last_modified || r->content_length >= 0) {
        size_t len = strlen(PSEUDO_ETAG) + 32 + (r->last_modified ? strlen(r->last_modified) : 0);
        if ((it->etag = malloc(len)))
            snprintf(it->etag, len, PSEUDO_ETAG "%lld:%s", (long long)r->content_length,
                r->last_modified ? r->last_modified : "");
    }
    it->read = -1;
    const ds_ms_prop *p = ds_ms_find(r, DS_NS_HTTPMAIL, "read");
    if (p && (p->status == 200 || p->status == 0))
        it->read = parse_bool(p->value);
    p = ds_ms_find(r, DS_NS_MAPI_PROPTAG, "x10900003");
    if (p && (p->status == 200 || p->status == 0) && p->value && *p->value) {
        char *end = NULL;
        long v = strtol(p->value, &end, 0);
        if (end && end != p->value) {
            it->has_flag = 1;
            it->flag = (int32_t)v;
        }
    }
    if (!it->url || ((r->etag || r->last_modified || r->content_length >= 0) && !it->etag)) {
        free(it->url);
        free(it->etag);
        st_error_set("out of memory");
        return ST_ERROR;
    }
    l->n++;
    return 0;
}

static int cmp_sitem(const void *a, const void *b)
{
    const sitem *x = a, *y = b;
    int c = strcmp(x->url, y->url);
    return c ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts by URL and keeps the last answer for a URL named twice (pages of
 * a sync-collection, or a server repeating itself). */
static void slist_sort(slist *l)
{
    if (!l->n)
        return;
    qsort(l->it, l->n, sizeof *l->it, cmp_sitem);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k && strcmp(l->it[k - 1].url, l->it[i].url) == 0) {
            free(l->it[k - 1].url);
            free(l->it[k - 1].etag);
            l->it[k - 1] = l->it[i];
        } else {
            l->it[k++] = l->it[i];
        }
    }
    l->n = k;
}

static void slist_free(slist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->it[i].url);
        free(l->it[i].etag);
    }
    free(l->it);
}

/* Sends one listing request (PROPFIND or REPORT) and streams its answer
 * through p: 0 only for a whole 207 the parser took in full. A listing with
 * responses the parser dropped (outside the collection, an unusable href)
 * is not trusted: applied, it would delete what those responses stood for.
 * *status (may be NULL): the HTTP status. */
static int ask(ds_sync *s, ds_http_method method, const char *depth, const char *url,
    const char *body, ds_ms_parser *p, long *status)
{
    const char *mn = ds_http_method_name(method);
    ds_http_result res = { 0 };
    ds_http_request rq = { .method = method, .url = url, .depth = depth, .body = body,
        .body_len = strlen(body), .write = ds_ms_http_sink, .write_arg = p };
    int code = ds_http_perform(s->http, &rq, &res);
    if (status)
        *status = res.status;
    if (code && res.error && *res.error)
        st_error_set("%s %s: %s", mn, url, res.error);
    if (!code)
        code = ds_ms_finish(p);
    if (!code && res.status != 207) {
        st_error_set("%s %s: status %ld, not a multistatus", mn, url, res.status);
        code = DS_EPROTO;
    }
    if (!code && ds_ms_dropped(p)) {
        st_error_set("%s %s: %zu responses outside the collection or unusable: listing not"
            " used", mn, url, ds_ms_dropped(p));
        code = DS_EPROTO;
    }
    ds_http_result_clear(&res);
    return code;
}

/* ---- members kept by the tree walk (sync_int.h) ------------------------ */

struct ds_sync__members {
    char *coll;         /* the collection's URL */
    slist l;            /* its members, l.coll = coll */
};

ds_sync__members *ds_sync__members_new(const char *coll_url)
{
    ds_sync__members *m = calloc(1, sizeof *m);
    if (m && !(m->coll = strdup(coll_url))) {
        free(m);
        m = NULL;
    }
    if (m)
        m->l.coll = m->coll;
    return m;
}

int ds_sync__members_add(ds_sync__members *m, const ds_ms_response *r)
{
    return on_item(&m->l, r);
}

size_t ds_sync__members_count(const ds_sync__members *m)
{
    return m ? m->l.n : 0;
}

void ds_sync__members_free(ds_sync__members *m)
{
    if (!m)
        return;
    slist_free(&m->l);
    free(m->coll);
    free(m);
}

static void slist_reset(slist *l)
{
    slist_free(l);
    l->it = NULL;
    l->n = l->cap = l->seen = 0;
    l->truncated = 0;
}

const ds_xml_name ds_sync__list_props[DS_SYNC_NLIST_PROPS] = {
    { DS_NS_DAV, "resourcetype" }, { DS_NS_DAV, "getetag" },
    { DS_NS_DAV, "getcontentlength" }, { DS_NS_DAV, "getlastmodified" },
    { DS_NS_HTTPMAIL, "read" }, { DS_NS_MAPI_PROPTAG, "x10900003" },
};
#define list_props ds_sync__list_props
#define NLIST_PROPS DS_SYNC_NLIST_PROPS

/* sync-collection from token (NULL or "": everything), every page. *out_token
 * gets the token of the last page (malloc'd, NULL if the server sent none),
 * *status the HTTP status of a refusal. */
static int list_report(ds_sync *s, slist *l, const char *url, const char *token,
    char **out_token, long *status)
{
    *out_token = NULL;
    *status = 0;
    l->coll = url;
    char *tok = strdup(token ? token : "");
    int code = tok ? 0 : ST_ERROR;
    for (int page = 0; !code; page++) {
        char *body = NULL;
        ds_ms_parser *p = NULL;
        l->truncated = 0;
        code = ds_xml_sync_collection(&body, tok, list_props, NLIST_PROPS, 0);
        ds_ms_config mc = { .request_url = url, .on_response = on_item, .arg = l };
        if (!code)
            code = ds_ms_parser_new(&p, &mc);
        if (!code)
            code = ask(s, DS_HTTP_REPORT, "0", url, body, p, status);
        const char *next = p ? ds_ms_sync_token(p) : NULL;
        if (!code && l->truncated && (!next || !*next || strcmp(next, tok) == 0 ||
            page + 1 >= MAX_PAGES)) {
            st_error_set("REPORT %s: truncated answer without a way on (token %s)", url,
                next ? next : "none");
            code = DS_EPROTO;
        }
        if (!code) {
            free(tok);
            tok = next && *next ? strdup(next) : NULL;
            if (next && *next && !tok)
                code = ST_ERROR;
        }
        ds_ms_parser_free(p);
        free(body);
        if (!code && !l->truncated)
            break;
        if (!code)
            ST_LOG_INFO(ST_LOG_DAVSYNC, "REPORT %s: truncated, page %d: asking on", url, page + 2);
    }
    if (code) {
        free(tok);
        if (code == ST_ERROR && !*st_error_last())
            st_error_set("out of memory");
        return code;
    }
    slist_sort(l);
    *out_token = tok;
    return 0;
}

/* The folder's members: the tree walk's listing when it kept one for this
 * URL (*kept taken: the same PROPFIND a moment ago), else a PROPFIND. */
static int list_server(ds_sync *s, slist *l, const char *url, ds_sync__members **kept)
{
    char *body = NULL;
    ds_ms_parser *p = NULL;
    l->coll = url;
    if (*kept && strcmp((*kept)->coll, url) == 0 && !l->n) {
        slist_free(l);
        l->it = (*kept)->l.it;
        l->n = (*kept)->l.n;
        l->cap = (*kept)->l.cap;
        l->seen = (*kept)->l.seen;
        (*kept)->l.it = NULL;
        (*kept)->l.n = (*kept)->l.cap = 0;
        ds_sync__members_free(*kept);
        *kept = NULL;
        slist_sort(l);
        ST_LOG_TRACE(ST_LOG_DAVSYNC, "%s: %zu members from the folder listing", url, l->n);
        return 0;
    }
    int code = ds_xml_propfind(&body, list_props, NLIST_PROPS);
    ds_ms_config mc = { .request_url = url, .on_response = on_item, .arg = l };
    if (!code)
        code = ds_ms_parser_new(&p, &mc);
    if (!code)
        code = ask(s, DS_HTTP_PROPFIND, "1", url, body, p, NULL);
    ds_ms_parser_free(p);
    free(body);
    if (!code)
        slist_sort(l);
    return code;
}

/* ---- the store's side ---------------------------------------------------- */

typedef struct litem {
    st_id mid;
    char *href;         /* NULL: made locally, not on the server yet */
    char *etag;
    int32_t flags;      /* PR_MESSAGE_FLAGS */
    int has_flag;
    int32_t flag;       /* PR_FLAG_STATUS */
} litem;

static int cmp_litem(const void *a, const void *b)
{
    const litem *x = a, *y = b;
    if (!x->href || !y->href)
        return !x->href - !y->href;
    return strcmp(x->href, y->href);
}

static void litems_free(litem *l, size_t n)
{
    for (size_t i = 0; l && i < n; i++) {
        free(l[i].href);
        free(l[i].etag);
    }
    free(l);
}

/* The folder's messages with href, ETag and flags, sorted by href
 * (local-only ones, without href, at the end). One table read for the
 * flags (no message is loaded whole), one lookup each for the href. */
static int list_local(ds_sync *s, litem **out, size_t *n, st_id fid)
{
    *out = NULL;
    *n = 0;
    st_server_item *items = NULL;
    size_t cnt = 0;
    int code = st_message_server_list(s->store, &items, &cnt, fid);
    if (code)
        return code;
    litem *l = calloc(cnt ? cnt : 1, sizeof *l);
    if (!l) {
        st_server_items_free(items, cnt);
        st_error_set("out of memory");
        return ST_ERROR;
    }
    for (size_t i = 0; i < cnt; i++) {   /* the strings change hands */
        l[i].mid = items[i].mid;
        l[i].href = items[i].href;
        l[i].etag = items[i].etag;
        l[i].flags = items[i].flags;
        l[i].has_flag = items[i].has_flag_status;
        l[i].flag = items[i].flag_status;
        items[i].href = items[i].etag = NULL;
    }
    st_server_items_free(items, cnt);
    if (cnt)
        qsort(l, cnt, sizeof *l, cmp_litem);
    *out = l;
    *n = cnt;
    return 0;
}

/* For a small delta: the stored messages the listing names, looked up one
 * by one (a few indexed reads each) instead of reading the whole folder.
 * Same order as l (sorted by href), so the merge below works unchanged. */
static int lookup_local(ds_sync *s, litem **out, size_t *n, const slist *l)
{
    *out = NULL;
    *n = 0;
    litem *loc = calloc(l->n ? l->n : 1, sizeof *loc);
    size_t cnt = 0;
    int code = loc ? 0 : ST_ERROR;
    for (size_t i = 0; !code && i < l->n; i++) {
        st_id mid = 0;
        st_bag *b = NULL;
        code = st_message_find_by_href(s->store, &mid, l->it[i].url);
        if (code == ST_ENOTFOUND) {
            code = 0;
            continue;
        }
        if (!code)
            code = st_message_get(s->store, &b, mid);
        litem *it = &loc[cnt];
        if (!code) {
            it->mid = mid;
            const st_value *v = st_bag_get(b, PR_MESSAGE_FLAGS);
            if (v && PROP_TYPE(v->tag) == PT_LONG)
                it->flags = v->v.l;
            v = st_bag_get(b, PR_FLAG_STATUS);
            if (v && PROP_TYPE(v->tag) == PT_LONG) {
                it->has_flag = 1;
                it->flag = v->v.l;
            }
            code = st_message_server_get(s->store, mid, &it->href, &it->etag);
        }
        st_bag_free(b);
        if (!code && it->href)
            cnt++;
        else if (!code) {
            free(it->etag);
            it->etag = NULL;
        }
    }
    if (code) {
        litems_free(loc, cnt);
        if (code == ST_ERROR && !*st_error_last())
            st_error_set("out of memory");
        return code;
    }
    *out = loc;
    *n = cnt;
    return 0;
}

/* ---- attachment spool (the parser's cv_sink) ------------------------------ */

typedef struct spent {
    char *mem;          /* bytes while small */
    size_t len, cap;
    FILE *f;            /* once past SPOOL_MEM_MAX */
    char *path;         /* its name, removed at close */
    uint64_t size;      /* bytes in all */
    int ok;             /* end() said the data is whole */
} spent;

typedef struct spool {
    const char *base;   /* store path: files go beside it */
    spent *e;           /* id i + 1 is e[i] */
    size_t n, cap;
    int failed;
} spool;

static atomic_uint spool_counter;   /* names within this process (a sync thread per account) */

static int sp_begin(void *ctx, uint64_t *id)
{
    spool *sp = ctx;
    if (sp->n == sp->cap) {
        size_t nc = sp->cap ? sp->cap * 2 : 8;
        spent *p = realloc(sp->e, nc * sizeof *p);
        if (!p) {
            st_error_set("out of memory");
            return -1;
        }
        sp->e = p;
        sp->cap = nc;
    }
    memset(&sp->e[sp->n], 0, sizeof sp->e[0]);
    *id = ++sp->n;
    return 0;
}

static int sp_write(void *ctx, uint64_t id, const void *data, size_t len)
{
    spool *sp = ctx;
    if (!id || id > sp->n)
        return -1;
    spent *e = &sp->e[id - 1];
    e->size += len;
    if (!e->f && e->len + len > SPOOL_MEM_MAX) {
        size_t plen = strlen(sp->base) + 48;
        e->path = malloc(plen);
        if (!e->path)
            return -1;
        snprintf(e->path, plen, "%s.spool-%llu-%u", sp->base,
            (unsigned long long)st_os_pid(), atomic_fetch_add(&spool_counter, 1) + 1);
        e->f = fopen(e->path, "w+b");
        if (!e->f) {
            st_error_set("%s: cannot create a spool file", e->path);
            free(e->path);
            e->path = NULL;
            return -1;
        }
        if (e->len && fwrite(e->mem, 1, e->len, e->f) != e->len)
            return -1;
        free(e->mem);
        e->mem = NULL;
        e->len = e->cap = 0;
    }
    if (e->f)
        return len && fwrite(data, 1, len, e->f) != len ? -1 : 0;
    if (e->len + len > e->cap) {
        size_t nc = e->cap ? e->cap : 4096;
        while (nc < e->len + len)
            nc *= 2;
        char *p = realloc(e->mem, nc);
        if (!p)
            return -1;
        e->mem = p;
        e->cap = nc;
    }
    memcpy(e->mem + e->len, data, len);
    e->len += len;
    return 0;
}

static int sp_end(void *ctx, uint64_t id, int ok)
{
    spool *sp = ctx;
    if (!id || id > sp->n)
        return -1;
    sp->e[id - 1].ok = ok;
    return 0;
}

static void spool_clear(spool *sp)
{
    for (size_t i = 0; i < sp->n; i++) {
        free(sp->e[i].mem);
        if (sp->e[i].f) {
            fclose(sp->e[i].f);
            remove(sp->e[i].path);
        }
        free(sp->e[i].path);
    }
    free(sp->e);
    sp->e = NULL;
    sp->n = sp->cap = 0;
}

/* ---- one folder's run ------------------------------------------------------ */

typedef struct down down;

typedef struct fetch {
    down *d;
    sitem it;           /* what the listing said (its own copy: a listing
                           still coming in may move its items) */
    const litem *local; /* the stored version, or NULL for a new item */
    cv_mime_parser *p;
    spool sp;
    cv_sink sink;
    int feed_error;     /* the parser refused input */
} fetch;

struct down {
    ds_sync *s;
    st_id fid;
    const char *name;   /* folder's display name, for progress */
    st_import *imp;
    ds_sync_counts *c;
    size_t inflight;
    uint64_t done, total;
    int cancelled;
    int auth_failed;
    uint64_t store_ms;  /* time spent parsing the end and storing, for the log */
};

static int fetch_write(void *arg, const char *data, size_t len)
{
    fetch *f = arg;
    if (cv_mime_parser_feed(f->p, data, len) != 0) {
        f->feed_error = 1;
        return ST_ERROR;
    }
    return 0;
}

/* Copies spool entry e into a stream of attachment num of mid. */
static int copy_stream(st_store *st, st_id mid, uint32_t num, spent *e)
{
    st_stream *w = NULL;
    int code = st_stream_open_write(&w, st, mid, num, PR_ATTACH_DATA_BIN);
    if (code)
        return code;
    if (e->f) {
        char buf[65536];
        size_t got;
        if (fflush(e->f) != 0 || fseek(e->f, 0, SEEK_SET) != 0) {
            st_error_set("%s: cannot read the spool file", e->path);
            code = ST_ERROR;
        }
        while (!code && (got = fread(buf, 1, sizeof buf, e->f)) > 0)
            code = st_stream_write(w, buf, got);
        if (!code && ferror(e->f)) {
            st_error_set("%s: cannot read the spool file", e->path);
            code = ST_ERROR;
        }
    } else if (e->len) {
        code = st_stream_write(w, e->mem, e->len);
    }
    if (code) {
        st_stream_close(w);
        return code;
    }
    return st_stream_commit(w, ST_FROM_SERVER);
}

static int store_attachments(st_store *st, st_id mid, const cv_message *m, spool *sp,
    int *embedded);

static int store_attachment(st_store *st, st_id mid, const cv_attachment *a, spool *sp,
    int *embedded)
{
    spent *e = a->data_id && a->data_id <= sp->n ? &sp->e[a->data_id - 1] : NULL;
    st_bag *props = st_bag_dup(a->props);
    int code = props ? 0 : ST_ERROR;
    int inline_data = e && !e->f && e->len <= ST_STREAM_INLINE_MAX;
    if (!code && inline_data &&
        st_bag_set_bin(props, PR_ATTACH_DATA_BIN, e->mem ? e->mem : "", (uint32_t)e->len) < 0)
        code = ST_ERROR;
    uint32_t num = 0;
    if (!code)
        code = st_attach_create(st, &num, mid, props, ST_FROM_SERVER);
    st_bag_free(props);
    if (!code && e && !inline_data)
        code = copy_stream(st, mid, num, e);
    if (!code && a->embedded) {
        st_id eid = 0;
        /* storage gap: st_attach_embedded takes no flags and journals a
         * modification of mid (acknowledged by the caller). */
        code = st_attach_embedded(st, &eid, mid, num, 1);
        if (!code) {
            *embedded = 1;
            code = st_message_set_props(st, eid, a->embedded->props, NULL, 0, ST_FROM_SERVER);
        }
        if (!code && a->embedded->n_recipients)
            code = st_recipients_set(st, eid, a->embedded->recipients,
                a->embedded->n_recipients, ST_FROM_SERVER);
        if (!code)
            code = store_attachments(st, eid, a->embedded, sp, embedded);
    }
    return code;
}

static int store_attachments(st_store *st, st_id mid, const cv_message *m, spool *sp,
    int *embedded)
{
    int code = 0;
    for (size_t i = 0; !code && i < m->n_attachments; i++)
        code = store_attachment(st, mid, &m->attachments[i], sp, embedded);
    return code;
}

/* Drops the journal entries that st_attach_embedded made for mid (the
 * message had none before: pending ones are never synced down). */
static int ack_own_entries(st_store *st, st_id mid)
{
    st_journal_entry *e = NULL;
    size_t n = 0;
    int code = st_journal_list(st, &e, &n);
    for (size_t i = 0; !code && i < n; i++)
        if (e[i].kind == ST_JKIND_MESSAGE && e[i].obj == mid &&
            e[i].state == ST_JSTATE_PENDING)
            code = st_journal_ack(st, e[i].seq, NULL, NULL);
    st_journal_entries_free(e, n);
    return code;
}

/* Read reports ([MS-OXCMSG] 2.2.1.6; the provider sends them, receipt.h):
 * a message asking for one (Disposition-Notification-To, mapped to
 * PR_READ_RECEIPT_REQUESTED) arrives owing a read and a nonread report while
 * it is unread; a changed one keeps what its local copy still owed; one
 * the server says is read owes none (another client of the mailbox read
 * it, and answered or not). The bits of PR_MESSAGE_FLAGS for props. */
#define REPORTS_OWED ((int32_t)(MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING))

static int32_t reports_owed(const st_bag *props, const litem *local, int read)
{
    const st_value *rq = st_bag_get(props, PR_READ_RECEIPT_REQUESTED);
    if (read || !rq || PROP_TYPE(rq->tag) != PT_BOOLEAN || !rq->v.b)
        return 0;
    return local ? (local->flags & REPORTS_OWED) : REPORTS_OWED;
}

/* One parsed message into the store, whole or not at all: a new one
 * without attachments by one st_import_message, others as an item. */
static int store_item(down *d, fetch *f, cv_message *m)
{
    st_store *st = d->s->store;
    st_bag *props = m->props;   /* the message is ours and goes after this: no copy */
    const st_value *fv = st_bag_get(props, PR_MESSAGE_FLAGS);
    int32_t flags = fv && PROP_TYPE(fv->tag) == PT_LONG ? fv->v.l : 0;
    int read = f->it.read;
    if (read < 0)   /* the server does not say: keep what we had */
        read = f->local ? (f->local->flags & (int32_t)MSGFLAG_READ) != 0 : 0;
    flags = read ? (flags | (int32_t)MSGFLAG_READ) : (flags & ~(int32_t)MSGFLAG_READ);
    flags = (flags & ~REPORTS_OWED) | reports_owed(props, f->local, read);
    int code = st_bag_set_long(props, PR_MESSAGE_FLAGS, flags) < 0 ? ST_ERROR : 0;
    if (!code && f->it.has_flag && st_bag_set_long(props, PR_FLAG_STATUS, f->it.flag) < 0)
        code = ST_ERROR;
    if (code)
        return code;
    st_id mid = 0;
    if (!f->local && !m->n_attachments)   /* one call: no savepoint when light (storage.h) */
        return st_import_message(d->imp, &mid, d->fid, props, m->recipients, m->n_recipients,
            f->it.url, f->it.etag ? f->it.etag : "");
    /* A new message with attachments: no savepoint (storage.h); a
     * failure after its first write takes the open batch with it, whose
     * items are fetched again, as for a light one. */
    code = f->local ? st_import_item_begin(d->imp) : st_import_item_begin_new(d->imp);
    if (code)
        return code;
    int embedded = 0;
    /* The ETag goes with the row: the item is one savepoint, so it is
     * stored whole with it or not at all (see the file comment). */
    code = st_import_message(d->imp, &mid, d->fid, props, m->recipients, m->n_recipients,
        f->it.url, f->it.etag ? f->it.etag : "");
    if (!code && f->local) {   /* replaced: the old attachments go */
        uint32_t *nums = NULL;
        size_t nn = 0;
        code = st_attach_list(st, &nums, &nn, mid);
        for (size_t i = 0; !code && i < nn; i++)
            code = st_attach_delete(st, mid, nums[i], ST_FROM_SERVER);
        free(nums);
    }
    if (!code)
        code = store_attachments(st, mid, m, &f->sp, &embedded);
    if (!code && embedded)
        code = ack_own_entries(st, mid);
    return st_import_item_end(d->imp, code);
}

static void fetch_free(fetch *f)
{
    free(f->it.url);
    free(f->it.etag);
    cv_mime_parser_free(f->p);
    spool_clear(&f->sp);
    free(f);
}

static void fetch_done(void *arg, const ds_http_result *res)
{
    fetch *f = arg;
    down *d = f->d;
    d->inflight--;
    d->c->gets++;
    d->c->bytes += res->body_bytes;
    int code = res->code;
    if (code == DS_ECANCELLED) {
        d->cancelled = 1;
        fetch_free(f);
        return;
    }
    if (code == DS_ENOTFOUND) {   /* deleted since the listing: next sync deletes it */
        ST_LOG_INFO(ST_LOG_DAVSYNC, "GET %s: gone since the listing", f->it.url);
        fetch_free(f);
        return;
    }
    if (code == DS_EAUTH)
        d->auth_failed = 1;
    cv_message *m = NULL;
    cv_mime_warnings w = { 0 };
    if (!code) {
        code = cv_mime_parser_finish(f->p, &m, &w);
        if (code == CV_ELIMIT) {
            ST_LOG_WARN(ST_LOG_DAVSYNC, "%s: stored truncated (%s)", f->it.url,
                w.n ? w.msg[0] : "a limit");
            code = 0;
        }
        if (!code && !m)
            code = ST_ERROR;
    }
    if (!code) {
        /* winmail.dat merged and bodies kept in step, as Outlook expects.
         * Attachment data already went to the spool, so a winmail.dat
         * spooled there stays an attachment for now (no cv_source yet).
         * No RTF is made from HTML or text here: it costs a fifth of the
         * sync's CPU and most messages are never opened as RTF; the
         * provider makes it when asked (cv_body_sync). */
        static const cv_mail_options opt = { .body_flags = CV_BODY_NO_RTF };
        int merged = cv_mail_from_mime(m, &opt, NULL);
        if (merged < 0)
            code = merged;
        else if (merged == 1)
            ST_LOG_WARN(ST_LOG_DAVSYNC, "%s: winmail.dat kept as is: %s", f->it.url,
                st_error_last());
    }
    uint64_t t0 = st_os_time_ms();
    if (!code)
        code = store_item(d, f, m);
    d->store_ms += st_os_time_ms() - t0;
    if (code) {
        d->c->failed++;
        ST_LOG_WARN(ST_LOG_DAVSYNC, "GET %s: %s: %s", f->it.url, ds_error_name(code),
            res->code ? res->error : st_error_last());
    } else if (f->local) {
        d->c->changed++;
    } else {
        d->c->new_items++;
    }
    cv_mime_warnings_clear(&w);
    cv_message_free(m);
    d->done++;
    if (f->it.size > 0)
        d->s->bytes_left -= (uint64_t)f->it.size < d->s->bytes_left ? (uint64_t)f->it.size
                                                                     : d->s->bytes_left;
    ds_sync__progress(d->s, "fetch", d->name, d->done, d->total, d->c);
    fetch_free(f);
    ds_http_yield(d->s->http);   /* back to the loop: refill the window now */
}

static int fetch_submit(down *d, const sitem *it, const litem *local)
{
    fetch *f = calloc(1, sizeof *f);
    if (!f) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    f->d = d;
    f->it = *it;
    f->it.url = strdup(it->url);
    f->it.etag = it->etag ? strdup(it->etag) : NULL;
    f->local = local;
    f->sp.base = st_store_path(d->s->store);
    f->sink = (cv_sink){ sp_begin, sp_write, sp_end, &f->sp };
    cv_mime_options mo = { .sink = &f->sink };
    int code = f->it.url && (f->it.etag || !it->etag) ? 0 : ST_ERROR;
    if (code)
        st_error_set("out of memory");
    else
        code = cv_mime_parser_new(&f->p, &mo);
    ds_http_request rq = { .method = DS_HTTP_GET, .url = f->it.url, .write = fetch_write,
        .write_arg = f, .accept_encoding = -1, .done = fetch_done, .done_arg = f };
    if (!code)
        code = ds_http_submit(d->s->http, &rq, NULL);
    if (code) {
        fetch_free(f);
        return code;
    }
    d->inflight++;
    return 0;
}

/* GETs in flight at most: two per connection, so that each connection has
 * its next request waiting when one ends. */
static size_t fetch_window(const ds_sync *s)
{
    return (size_t)s->max_connections * 2;
}

/* Fetches todo[0..n) (the stored versions in todo_local) within the window,
 * each stored as it completes, and waits for every GET in flight (the
 * stream's too); stops early when cancelled or refused, cancelling what is
 * left in flight (fetched next time); then ends the import. code: an error
 * already met (nothing more is sent). Returns code, or DS_ECANCELLED,
 * DS_EAUTH, or the store's error. */
static int fetch_all(down *d, const sitem **todo, const litem **todo_local, size_t n, int code)
{
    ds_sync *s = d->s;
    size_t next = 0, window = fetch_window(s);
    while (!code && !d->cancelled && !d->auth_failed && (next < n || d->inflight)) {
        while (!code && next < n && d->inflight < window) {
            code = fetch_submit(d, todo[next], todo_local[next]);
            next++;
        }
        if (code)
            break;
        int rc = ds_http_run(s->http, 1000);
        if (rc == DS_ECANCELLED)
            d->cancelled = 1;
        else if (rc)
            code = rc;
    }
    if (d->inflight)   /* stopped early: the rest is fetched next time */
        ds_http_cancel_all(s->http);
    if (!code && d->cancelled)
        code = DS_ECANCELLED;
    if (!code && d->auth_failed)
        code = DS_EAUTH;
    if (d->imp) {
        int e = st_import_end(d->imp);
        d->imp = NULL;
        if (!code)
            code = e;
    }
    return code;
}

static int need_flags(const sitem *it, const litem *l)
{
    int was_read = (l->flags & (int32_t)MSGFLAG_READ) != 0;
    return (it->read >= 0 && it->read != was_read) ||
        (it->has_flag && (!l->has_flag || l->flag != it->flag));
}

/* Read flag or flag status changed without a new ETag. */
static int apply_flags(down *d, const sitem *it, const litem *l)
{
    int code = 0, changed = 0;
    int was_read = (l->flags & (int32_t)MSGFLAG_READ) != 0;
    if (it->read >= 0 && it->read != was_read) {
        code = st_message_set_read(d->s->store, l->mid, it->read, ST_FROM_SERVER);
        changed = 1;
    }
    if (!code && it->read == 1 && (l->flags & REPORTS_OWED)) {   /* read elsewhere */
        st_bag *b = st_bag_new();
        int32_t nf = (l->flags | (int32_t)MSGFLAG_READ) & ~REPORTS_OWED;
        code = b && st_bag_set_long(b, PR_MESSAGE_FLAGS, nf) >= 0 ? 0 : ST_ERROR;
        if (!code)
            code = st_message_set_props(d->s->store, l->mid, b, NULL, 0, ST_FROM_SERVER);
        st_bag_free(b);
    }
    if (!code && it->has_flag && (!l->has_flag || l->flag != it->flag)) {
        st_bag *b = st_bag_new();
        code = b && st_bag_set_long(b, PR_FLAG_STATUS, it->flag) >= 0 ? 0 : ST_ERROR;
        if (!code)
            code = st_message_set_props(d->s->store, l->mid, b, NULL, 0, ST_FROM_SERVER);
        st_bag_free(b);
        changed = 1;
    }
    if (!code && changed)
        d->c->flags++;
    return code;
}

/* Lists the folder's collection: sync-collection unless the folder is
 * marked, falling back as the file comment says. *delta: the listing
 * holds only what changed since token. *new_token: to store once the
 * folder completed (malloc'd; NULL on the PROPFIND path, "" when the
 * server sent none). */
static int list_folder(ds_sync *s, slist *l, st_id fid, const char *url, const char *token,
    int *delta, char **new_token, ds_sync__members **kept)
{
    *delta = 0;
    *new_token = NULL;
    long status = 0;
    int code;
    if (token && strcmp(token, DS_SYNC_NO_REPORT) == 0)
        return list_server(s, l, url, kept);
    if (token && *token) {
        code = list_report(s, l, url, token, new_token, &status);
        if (!code) {
            *delta = 1;
        } else if (code == DS_EHTTP) {
            ST_LOG_WARN(ST_LOG_DAVSYNC, "%s: sync token refused (HTTP %ld): listing in full",
                url, status);
            slist_reset(l);
        }
        if (code != DS_EHTTP)
            goto done;
    }
    code = list_report(s, l, url, NULL, new_token, &status);
    if (code == DS_EHTTP && (status == 501 || status == 405 || status == 403 || status == 400)) {
        ST_LOG_INFO(ST_LOG_DAVSYNC, "%s: no sync-collection (HTTP %ld): PROPFIND from now on",
            url, status);
        slist_reset(l);
        code = st_folder_sync_set(s->store, fid, NULL, DS_SYNC_NO_REPORT, NULL);
        if (!code)
            code = list_server(s, l, url, kept);
        return code;
    }
done:
    if (!code && !*new_token && !(*new_token = strdup(""))) {
        st_error_set("out of memory");
        code = ST_ERROR;
    }
    if (code) {
        free(*new_token);
        *new_token = NULL;
    }
    return code;
}

int ds_sync_folder_down(ds_sync *s, st_id fid, ds_sync_counts *c)
{
    char *url = NULL, *name = NULL, *token = NULL, *ctag = NULL, *new_token = NULL;
    int delta = 0;
    const uint64_t failed0 = c->failed, kept0 = c->kept;
    slist sl = { 0 };
    litem *loc = NULL;
    size_t nloc = 0, npend = 0;
    st_id *pend = NULL;
    const sitem **todo = NULL;
    const litem **todo_local = NULL;
    size_t ntodo = 0;
    down d = { .s = s, .fid = fid, .c = c };

    int code = st_folder_sync_get(s->store, fid, &url, &token, &ctag);
    if (!code && (!url || !*url)) {
        st_error_set("folder %llu has no collection URL", (unsigned long long)fid);
        code = ST_ENOTFOUND;
    }
    if (!code && !ds_href_is_inside(url, s->mail_url)) {
        st_error_set("folder %llu: %s lies outside the mail root", (unsigned long long)fid, url);
        code = DS_EPROTO;
    }
    char *listed_ctag = ds_sync__take_ctag(s, fid);
    ds_sync__members *kept = ds_sync__take_members(s, fid);
    if (!code && listed_ctag && ctag && strcmp(listed_ctag, ctag) == 0) {
        ST_LOG_TRACE(ST_LOG_DAVSYNC, "folder %s: ctag unchanged", url);
        c->folders_skipped++;
        ds_sync__members_free(kept);
        free(url);
        free(token);
        free(ctag);
        free(listed_ctag);
        return 0;
    }
    if (!code)
        code = ds_sync__folder_name(s, &name, fid);
    d.name = name;
    uint64_t t0 = st_os_time_ms(), t1 = t0, t2 = t0;
    if (!code) {
        ds_sync__progress(s, "list", name, 0, 0, c);
        code = list_folder(s, &sl, fid, url, token, &delta, &new_token, &kept);
        ds_sync__members_free(kept);   /* not used (sync-collection): gone now */
        kept = NULL;
        t1 = st_os_time_ms();
    }
    /* A delta needs only what it names: one by one when it is small (an
     * empty one needs nothing), the whole folder's map otherwise. */
    if (!code && delta && sl.n <= SMALL_DELTA)
        code = lookup_local(s, &loc, &nloc, &sl);
    else if (!code)
        code = list_local(s, &loc, &nloc, fid);
    t2 = st_os_time_ms();
    if (!code)
        code = ds_sync__journal_objects(s, &pend, &npend, 0);
    if (!code) {
        todo = malloc((sl.n ? sl.n : 1) * sizeof *todo);
        todo_local = malloc((sl.n ? sl.n : 1) * sizeof *todo_local);
        if (!todo || !todo_local) {
            st_error_set("out of memory");
            code = ST_ERROR;
        }
    }
    st_id *dels = NULL;
    size_t ndels = 0;
    if (!code && !(dels = malloc((nloc ? nloc : 1) * sizeof *dels))) {
        st_error_set("out of memory");
        code = ST_ERROR;
    }
    for (size_t k = 0; k < sl.n; k++)
        c->items += !sl.it[k].gone;
    /* Changes that need no download (read flag, flag status, a weak ETag
     * turned strong) go in transactions of about budget_ms each, before
     * the import starts (its batches and these must not interleave). */
    int in_txn = 0;
    uint64_t txn_t = 0;

    /* Merge the two sorted lists. */
    size_t i = 0, j = 0;
    while (!code && (i < sl.n || (j < nloc && loc[j].href))) {
        const sitem *it = i < sl.n ? &sl.it[i] : NULL;
        const litem *l = j < nloc && loc[j].href ? &loc[j] : NULL;
        int cmp = !it ? 1 : !l ? -1 : strcmp(it->url, l->href);
        if (cmp < 0) {                          /* new on the server */
            st_id other = 0;
            if (it->gone) {
                /* made and deleted since: nothing to do */
            } else if (npend && st_message_find_by_href(s->store, &other, it->url) == 0 &&
                       ds_sync__has_id(pend, npend, other)) {
                /* ours, moved to another folder locally and not sent yet:
                 * not new, and not to be pulled back here */
                c->kept++;
            } else {
                todo[ntodo] = it;
                todo_local[ntodo++] = NULL;
            }
            i++;
        } else if (cmp > 0 && delta) {          /* not in the delta: unchanged */
            j++;
        } else if (cmp > 0 || it->gone) {       /* gone from the server */
            if (ds_sync__has_id(pend, npend, l->mid)) {
                c->kept++;
                ST_LOG_INFO(ST_LOG_DAVSYNC, "%s: gone on the server, local change pending:"
                    " kept", l->href);
            } else {
                dels[ndels++] = l->mid;
            }
            if (cmp == 0)
                i++;
            j++;
        } else {                                /* on both */
            if (ds_sync__has_id(pend, npend, l->mid)) {
                if (!ds_sync__same_etag(it->etag, l->etag))
                    c->kept++;   /* a conflict: the up-sync slice resolves it */
            } else if (!ds_sync__same_etag(it->etag, l->etag) || !l->etag) {
                todo[ntodo] = it;
                todo_local[ntodo++] = l;
            } else {
                int etag_only = it->etag && strcmp(it->etag, l->etag) != 0;   /* W/"x" -> "x" */
                if (etag_only || need_flags(it, l)) {
                    if (!in_txn) {
                        code = st_store_begin(s->store);
                        in_txn = !code;
                        txn_t = st_os_time_ms();
                    }
                    if (!code && etag_only)
                        code = st_message_server_set(s->store, l->mid, NULL, it->etag);
                    if (!code)
                        code = apply_flags(&d, it, l);
                    if (!code && st_os_time_ms() - txn_t >= s->budget_ms) {
                        in_txn = 0;
                        code = st_store_commit(s->store);
                    }
                }
            }
            i++;
            j++;
        }
    }
    if (in_txn) {
        if (code)
            st_store_rollback(s->store);
        else
            code = st_store_commit(s->store);
    }
    if (!code)
        code = st_import_begin(&d.imp, s->store, s->budget_ms);
    for (size_t k = 0; !code && k < ndels; k++) {
        code = st_import_delete(d.imp, dels[k]);
        if (code == ST_ENOTFOUND)
            code = 0;
        else if (!code)
            c->deleted++;
    }
    free(dels);

    /* Fetch: a window of GETs in flight, each stored as it completes. */
    d.total = ntodo;
    s->bytes_left = 0;
    for (size_t k = 0; k < ntodo; k++)
        if (todo[k]->size > 0)
            s->bytes_left += (uint64_t)todo[k]->size;
    if (!code && ntodo)
        ds_sync__progress(s, "fetch", name, 0, ntodo, c);
    code = fetch_all(&d, todo, todo_local, ntodo, code);
    /* Complete: the next sync starts from here. */
    if (!code && c->failed == failed0 && c->kept == kept0 && (new_token || listed_ctag))
        code = st_folder_sync_set(s->store, fid, NULL, new_token, listed_ctag);
    ST_LOG_INFO(ST_LOG_DAVSYNC, "folder %s: %zu %s, %zu fetched, %s (listing %llu ms,"
        " local map %llu ms, storing %llu ms, in all %llu ms)", url ? url : "?", sl.n,
        delta ? "changed on the server" : "on the server",
        (size_t)d.done, ds_error_name(code), (unsigned long long)(t1 - t0),
        (unsigned long long)(t2 - t1), (unsigned long long)d.store_ms,
        (unsigned long long)(st_os_time_ms() - t0));
    free(todo);
    free(todo_local);
    free(pend);
    litems_free(loc, nloc);
    slist_free(&sl);
    free(url);
    free(name);
    free(token);
    free(ctag);
    free(listed_ctag);
    ds_sync__members_free(kept);
    free(new_token);
    return code;
}

/* ---- new members fetched while the listing comes in (sync_int.h) -------- */

struct ds_sync__stream {
    down d;
    char *name;         /* the folder's display name (d.name) */
    st_id *pend;        /* what the journal names (ds_sync__journal_objects) */
    size_t npend;
    size_t next;        /* members looked at so far */
};

static void stream_free(ds_sync__stream *st)
{
    free(st->pend);
    free(st->name);
    free(st);
}

int ds_sync__stream_open(ds_sync *s, ds_sync__stream **out, st_id fid, ds_sync_counts *c)
{
    *out = NULL;
    ds_sync__stream *st = calloc(1, sizeof *st);
    if (!st) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    st->d = (down){ .s = s, .fid = fid, .c = c };
    st_folder_counts fc = { 0 };
    int code = st_folder_counts_get(s->store, &fc, fid);
    /* Only a folder's first download: one holding messages is left to its
     * down-sync, which sees the whole listing (and the ctag) first. */
    int eligible = !code && fc.content == 0;
    if (!code && eligible)
        code = ds_sync__folder_name(s, &st->name, fid);
    st->d.name = st->name;
    if (!code && eligible)
        code = ds_sync__journal_objects(s, &st->pend, &st->npend, 0);
    if (!code && eligible)
        code = st_import_begin(&st->d.imp, s->store, s->budget_ms);
    if (code || !eligible) {
        stream_free(st);
        return code;
    }
    *out = st;
    return 0;
}

int ds_sync__stream_feed(ds_sync__stream *st, const ds_sync__members *m)
{
    down *d = &st->d;
    size_t window = fetch_window(d->s);
    int code = 0;
    while (!code && m && !d->cancelled && !d->auth_failed && st->next < m->l.n &&
           d->inflight < window) {
        const sitem *it = &m->l.it[st->next++];
        st_id other = 0;
        if (it->gone)
            continue;
        if (st->npend && st_message_find_by_href(d->s->store, &other, it->url) == 0 &&
            ds_sync__has_id(st->pend, st->npend, other))
            continue;   /* moved away locally, not sent yet (as in the merge) */
        if (it->size > 0)
            d->s->bytes_left += (uint64_t)it->size;
        d->total++;
        code = fetch_submit(d, it, NULL);
    }
    return code;
}

int ds_sync__stream_close(ds_sync__stream *st)
{
    if (!st)
        return 0;
    down *d = &st->d;
    int code = fetch_all(d, NULL, NULL, 0, 0);   /* what is in flight lands */
    ST_LOG_INFO(ST_LOG_DAVSYNC, "folder %s: %llu fetched while its listing came in, %s"
        " (storing %llu ms)", st->name, (unsigned long long)d->done, ds_error_name(code),
        (unsigned long long)d->store_ms);
    stream_free(st);
    return code;
}
