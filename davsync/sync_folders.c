/*
 * sync_folders.c: the server's collection tree under the mail root -> the
 * store's folder tree under the IPM subtree.
 *
 * Listing: level by level (breadth first), all collections of one level in
 * parallel, two requests each: PROPFIND Depth 1 asking what a folder
 * listing asks of each member (resourcetype, getetag, size, date and the
 * flag properties: ds_sync__list_props), and PROPFIND Depth 0 asking
 * DAV:displayname and CS:getctag (the collection's own; asking those two in
 * the Depth 1 listing would make the server look them up for every message
 * too). The ctag is kept in the ds_sync for ds_sync_folder_down, which
 * skips a folder whose ctag did not change since its last complete
 * down-sync; a collection without a ctag (Apache) gets a fingerprint of its
 * members' state from the Depth 1 answer in its place, so a no-change sync
 * costs this walk only, with or without ctags (100,000 messages in 100
 * folders on Apache: 1.2 s instead of 3.0 s with a second listing of each
 * folder). Chosen over Depth: infinity
 * although the Apache fixture allows it: infinity lists every message of
 * every folder in one answer (the per-folder listings of sync_down.c list
 * them again), nginx and Cyrus refuse it with 403, and Depth 1 keeps
 * memory bounded by one level.
 * The Depth 1 listing of a collection is also kept for its folder's
 * down-sync (ds_sync__take_members), which then asks no second PROPFIND of
 * the same (on Apache it was a fifth of an initial sync's CPU), when it
 * will be used: the folder lists by PROPFIND (no sync-collection token)
 * and its ctag or fingerprint changed. At most KEEP_MAX members in all
 * are kept (memory); the folders beyond are listed again.
 * The Inbox's first download begins during the walk (stream_step): as
 * soon as its Depth 0 answer names it, its folder is applied, and while it
 * holds no messages, each member its Depth 1 listing brings is fetched and
 * stored at once (ds_sync__stream, sync_down.c); the walk waits for those
 * GETs before it applies the rest, and the Inbox's down-sync then fetches
 * only what is left (it finds the others stored, so nothing comes twice).
 * For that a level sends its Depth 0 requests first, then the Inbox's
 * Depth 1, then the others, never more at once than there are connections
 * (the Inbox's GETs would queue behind a hundred listings otherwise). On
 * 100 folders of 1,000 messages (Apache) the first Inbox message is stored
 * 0.12 s after the sync began instead of 1.23 s; the sync's throughput is
 * the same (bench-sync: first_inbox_message_s_100k).
 * The ctag path (quick check): on a server with ctags, the walk also asks
 * the mail root's ctag and records the complete walk in the IPM subtree's
 * sync state (tree_state). While that record is under TREE_REFRESH_S old,
 * a sync first asks only PROPFIND Depth 0 (displayname, getctag) of the
 * root and of each known folder, in parallel, and no Depth 1: when every
 * ctag equals the one stored at the folder's last complete down-sync (the
 * root's: at the walk) and every name is the local one, the tree is taken
 * as it is and every folder is skipped by its ctag (no REPORT or PROPFIND
 * of its items either, so the cost does not grow with the items); anything
 * else (a ctag or name changed, a 404, a folder without a stored server
 * ctag) falls back to the walk. That trusts a folder's ctag to change when
 * its subcollections do. Xandikos 0.2.8, seen by hand: its ctag (= sync
 * token = getetag) is the git tree of the collection's own items and its
 * .xandikos properties file, so a PUT or DELETE of an item, or a
 * displayname PROPPATCH, changes it; an MKCOL or DELETE of a subcollection
 * does not (a subcollection is a repository of its own in a subdirectory);
 * MOVE of a collection is refused (405); sync-level infinite is refused
 * (400). Two collections with the same items have the same ctag, and one
 * can come back to an earlier value; neither matters here (equal = the
 * same items). So every walk checks the trust (ctag_misses_children): a
 * collection whose ctag is unchanged but whose subcollections differ from
 * the local folders proves the server's ctag does not cover them, recorded
 * as 'n' and logged. Either way a subfolder added under an unchanged ctag
 * is found by the next walk: the one any changed ctag starts, or the one
 * after TREE_REFRESH_S. Chosen over walking every sync once 'n' is proven:
 * on Xandikos that walk lists every item of every folder (8.7 s for 20,000
 * messages against 0.75 s), and what the ctag does cover (every item
 * change, rename, 404 of a deleted folder) is still seen at once; only a
 * new server-side subfolder waits up to TREE_REFRESH_S. Servers without
 * ctags (Apache) never get a record and are walked as before.
 * Display names: DAV:displayname when present, else the last path segment
 * percent-decoded; when the Depth 0 request failed, a known folder keeps
 * its name.
 *
 * A collection renamed or moved on the server looks like one gone and one
 * new (DAV gives a collection no identity beyond its URL): the new one is
 * made and filled, the old one deleted, unless its subtree holds local
 * changes not yet sent, in which case it stays as it is (its down-sync then
 * finds the collection gone and leaves it alone): nothing pending is lost.
 *
 * Invariants: a folder is found again by its collection URL
 * (st_folder_sync_set); a local folder of the same name without a URL is
 * adopted (the provider may have made Inbox before the first sync); every
 * write is ST_FROM_SERVER. Deletions happen only after a complete listing
 * (every request answered, no response dropped as outside or unusable),
 * and never to a subtree that holds a pending local change (kept, logged).
 * Never: follow a collection outside the mail root, delete on a partial
 * listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"
#include "davsync/sync_int.h"
#include "davsync/xml.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

#define MAX_LEVELS 64
#define MAX_COLLECTIONS 100000
#define KEEP_MAX 50000      /* members kept for the down-syncs, in all */
#define TREE_REFRESH_S 600  /* the quick check trusts a walk this long at most */
#define STREAM_STEP 32      /* members of the Inbox listed between stream steps */

typedef struct coll {
    char *url;          /* normalised, ends in '/' */
    char *parent;       /* the parent collection's URL (borrowed from the list) */
    char *name;         /* display name (UTF-8): the last segment until the
                           Depth 0 answer gives a displayname */
    char *ctag;         /* CS:getctag, or NULL */
    uint64_t fp;        /* fingerprint of its members (sum of hashes), see fingerprint() */
    uint64_t fp_n;      /* members counted in it */
    int fp_ok;          /* its Depth 1 listing was complete */
    int level;          /* 1: a child of the mail root */
    int name_known;     /* the Depth 0 answer came: name is the server's */
    ds_sync__members *members;  /* its Depth 1 listing kept, or NULL */
} coll;

typedef struct walk {
    ds_sync *s;
    coll *c;            /* found collections, in breadth-first order */
    size_t n, cap;
    int failed;         /* a listing failed: no deletions */
    int first_error;    /* its code */
    size_t kept;        /* members kept in all (KEEP_MAX) */
    char *root_ctag;    /* the mail root's CS:getctag, or NULL */
    int root_known;     /* the mail root's Depth 0 answer came */
    size_t answered;    /* listings whose done callback ran (list_level) */
    /* The Inbox fetched while listed (stream_step); cnt NULL: never. */
    ds_sync_counts *cnt;
    const st_id *pend;  /* folders with local changes pending (apply_coll) */
    size_t npend;
    int stream_tried;   /* the Inbox was looked at */
    ds_sync__stream *stream;
    size_t stream_coll; /* its index in c + 1 */
} walk;

typedef struct listing {
    walk *w;
    const char *url;    /* the collection asked (a copy: w->c may move) */
    int level;          /* of its members */
    size_t own;         /* Depth 0 for the props of w->c[own - 1]; 0: Depth 1 */
    size_t coll;        /* Depth 1 of w->c[coll - 1]; 0: of the mail root */
    int root_own;       /* Depth 0 of the mail root (its ctag) */
    ds_ms_parser *p;
} listing;

/* Last path segment of a collection URL, percent-decoded when that gives
 * valid UTF-8 without NUL, else as it is. */
static char *segment_name(const char *url)
{
    const char *path = ds_href_path(url);
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t n = len - start;
    char *raw = malloc(n + 1), *dec = malloc(n + 1);
    if (!raw || !dec) {
        free(raw);
        free(dec);
        return NULL;
    }
    memcpy(raw, path + start, n);
    raw[n] = 0;
    size_t k = 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (raw[i] == '%' && i + 2 < n && (hi = st_hex_digit(raw[i + 1])) >= 0 &&
            (lo = st_hex_digit(raw[i + 2])) >= 0) {
            char ch = (char)(hi * 16 + lo);
            if (!ch)
                ok = 0;
            dec[k++] = ch;
            i += 2;
        } else {
            dec[k++] = raw[i];
        }
    }
    dec[k] = 0;
    if (ok && st_utf8_valid(dec, k) && k) {
        free(raw);
        return dec;
    }
    free(dec);
    return raw;
}

static int add_coll(walk *w, const char *url, const char *parent, int level)
{
    if (w->n >= MAX_COLLECTIONS) {
        st_error_set("%s: more than %d collections", w->s->mail_url, MAX_COLLECTIONS);
        return DS_EPROTO;
    }
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 32;
        coll *p = realloc(w->c, nc * sizeof *p);
        if (!p) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        w->c = p;
        w->cap = nc;
    }
    coll *c = &w->c[w->n];
    memset(c, 0, sizeof *c);
    c->url = strdup(url);
    c->parent = strdup(parent);
    c->name = segment_name(url);
    c->level = level;
    if (!c->url || !c->parent || !c->name) {
        free(c->url);
        free(c->parent);
        free(c->name);
        st_error_set("out of memory");
        return ST_ERROR;
    }
    w->n++;
    return 0;
}

/* The Depth 0 answer: the collection's displayname and ctag (the mail
 * root's: only its ctag). */
static int on_own(listing *l, const ds_ms_response *r)
{
    if (r->status || strcmp(r->url, l->url) != 0)
        return 0;   /* not it (Cyrus lists members on Depth 0, pitfall 6) */
    if (l->root_own) {
        free(l->w->root_ctag);
        l->w->root_ctag = r->ctag && *r->ctag ? strdup(r->ctag) : NULL;
        if (r->ctag && *r->ctag && !l->w->root_ctag) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        l->w->root_known = 1;
        return 0;
    }
    coll *c = &l->w->c[l->own - 1];
    const char *dn = r->displayname;
    if (dn && *dn && st_utf8_valid(dn, strlen(dn))) {
        char *name = strdup(dn);
        if (!name) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        free(c->name);
        c->name = name;
    }
    free(c->ctag);
    c->ctag = r->ctag && *r->ctag ? strdup(r->ctag) : NULL;
    if (r->ctag && *r->ctag && !c->ctag) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    c->name_known = 1;
    return 0;
}

/* Adds a message's state (href, ETag without W/, size and date when there
 * is no ETag, read and flag properties) to its collection's fingerprint.
 * A sum of hashes, so the order of the listing does not matter. */
static void fingerprint(coll *c, const ds_ms_response *r)
{
    uint64_t h = 1469598103934665603ULL;
    const char *etag = r->etag && !strncmp(r->etag, "W/", 2) ? r->etag + 2 : r->etag;
    const ds_ms_prop *rd = ds_ms_find(r, DS_NS_HTTPMAIL, "read");
    const ds_ms_prop *fl = ds_ms_find(r, DS_NS_MAPI_PROPTAG, "x10900003");
    char num[48];
    snprintf(num, sizeof num, "%lld", (long long)r->content_length);
    const char *parts[] = { r->url, etag, etag ? "" : num, etag ? "" : r->last_modified,
        rd && rd->value ? rd->value : "-", fl && fl->value ? fl->value : "-" };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        for (const char *p = parts[i] ? parts[i] : ""; *p; p++)
            h = (h ^ (uint8_t)*p) * 0x100000001B3ULL;
        h = (h ^ 0xFF) * 0x100000001B3ULL;   /* separator */
    }
    c->fp += h;
    c->fp_n++;
}

static void drop_members(listing *l)
{
    coll *c = &l->w->c[l->coll - 1];
    l->w->kept -= ds_sync__members_count(c->members);
    ds_sync__members_free(c->members);
    c->members = NULL;
}

/* Keeps r for the down-sync of l's collection as its own PROPFIND would
 * take it: a response outside the collection (which that parser drops,
 * and then trusts the listing no more) makes it list again itself; so do
 * too many members, or no memory. */
static void keep_member(listing *l, const ds_ms_response *r)
{
    ds_sync__members *m = l->w->c[l->coll - 1].members;
    size_t before = ds_sync__members_count(m);
    if (!ds_href_is_inside(r->url, l->url) || l->w->kept >= KEEP_MAX ||
        ds_sync__members_add(m, r) != 0) {
        drop_members(l);
        return;
    }
    size_t now = ds_sync__members_count(m);
    l->w->kept += now - before;
    /* The stream's collection: back to stream_step now and then. */
    if (l->w->stream_coll && l->coll == l->w->stream_coll && now != before &&
        now % STREAM_STEP == 0)
        ds_http_yield(l->w->s->http);
}

static int on_response(void *arg, const ds_ms_response *r)
{
    listing *l = arg;
    if (l->own || l->root_own)
        return on_own(l, r);
    if (l->coll && l->w->c[l->coll - 1].members)
        keep_member(l, r);
    if (r->status)
        return 0;
    if (strcmp(r->url, l->url) == 0)
        return 0;   /* the collection itself */
    /* Only direct members: a server answering Depth 1 with more (Cyrus on
     * Depth 0 answers with members, pitfall 6) must not confuse the tree. */
    size_t pl = strlen(l->url);
    const char *rest = r->url + pl;
    if (strncmp(r->url, l->url, pl) != 0 || !*rest || *rest == '/')
        return 0;
    const char *slash = strchr(rest, '/');
    if (slash && slash[1])
        return 0;
    if (!(r->resourcetype & DS_RT_COLLECTION)) {
        if (l->coll && !slash) {
            fingerprint(&l->w->c[l->coll - 1], r);
        }
        return 0;
    }
    for (size_t i = 0; i < l->w->n; i++)
        if (strcmp(l->w->c[i].url, r->url) == 0)
            return 0;   /* seen (a loop through a server alias) */
    return add_coll(l->w, r->url, l->url, l->level);
}

static void on_done(void *arg, const ds_http_result *res)
{
    listing *l = arg;
    int code = res->code;
    if (!code)
        code = ds_ms_finish(l->p);
    if (!code && res->status != 207) {
        st_error_set("PROPFIND %s: status %ld, not a multistatus", l->url, res->status);
        code = DS_EPROTO;
    }
    if (!code && ds_ms_dropped(l->p)) {   /* applied, but no deletions on its word */
        st_error_set("PROPFIND %s: %zu responses outside the mail root or unusable", l->url,
            ds_ms_dropped(l->p));
        code = DS_EPROTO;
    }
    if (code && l->root_own) {   /* the root's ctag only: no quick check next time */
        ST_LOG_INFO(ST_LOG_DAVSYNC, "ctag of %s: %s: %s", l->url, ds_error_name(code),
            res->code ? res->error : st_error_last());
        l->w->root_known = 0;
        free(l->w->root_ctag);
        l->w->root_ctag = NULL;
    } else if (code) {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "listing %s: %s: %s", l->url, ds_error_name(code),
            res->code ? res->error : st_error_last());
        l->w->failed = 1;
        if (!l->w->first_error)
            l->w->first_error = code;
    } else if (l->coll) {
        l->w->c[l->coll - 1].fp_ok = 1;
    }
    if (code && l->coll && l->w->c[l->coll - 1].members)
        drop_members(l);
    l->w->answered++;
    ds_http_yield(l->w->s->http);   /* list_level sends the next, stream_step may go on */
}

static void stream_step(walk *w);
static ds_folder_role coll_role(const coll *c);

/* Lists the collections of level `level` (members of those of level-1)
 * with body, and asks those of level-1 for their own props with own_body.
 * own_only: no Depth 1 at all: only the own props (Depth 0) of
 * w->c[from..to) and of the mail root (its ctag). */
static int list_level(walk *w, size_t from, size_t to, int level, const char *body,
    const char *own_body, int own_only)
{
    ds_sync *s = w->s;
    if (level > 2 || own_only)   /* the top level's names are in: no Inbox to stream */
        w->stream_tried = 1;
    size_t nl = own_only ? to - from + 1 : level == 1 ? 1 : to - from;
    size_t nreq = own_only || level == 1 ? nl : 2 * nl;
    listing *ls = calloc(nreq, sizeof *ls);
    size_t *order = calloc(nreq, sizeof *order);
    if (!ls || !order) {
        free(ls);
        free(order);
        st_error_set("out of memory");
        return ST_ERROR;
    }
    /* The URLs of this level are copied: add_coll may move w->c. */
    char **urls = calloc(nl ? nl : 1, sizeof *urls);
    int code = urls ? 0 : ST_ERROR;
    for (size_t i = 0; !code && i < nl; i++) {
        int root = own_only ? i == nl - 1 : level == 1;
        urls[i] = strdup(root ? s->mail_url : w->c[from + i].url);
        if (!urls[i])
            code = ST_ERROR;
    }
    const char *allowed[1] = { s->mail_url };
    for (size_t k = 0; !code && k < nreq; k++) {
        listing *l = &ls[k];
        size_t i = k % nl;
        l->w = w;
        l->url = urls[i];
        l->level = level;
        l->root_own = own_only && i == nl - 1;
        l->own = l->root_own ? 0 : own_only || (level > 1 && k < nl) ? from + i + 1 : 0;
        l->coll = !own_only && k >= nl && level > 1 ? from + i + 1 : 0;
        if (l->coll && w->kept < KEEP_MAX)   /* NULL when out of memory: listed again */
            w->c[l->coll - 1].members = ds_sync__members_new(l->url);
        ds_ms_config mc = { .request_url = l->url, .allowed = allowed, .nallowed = 1,
            .on_response = on_response, .arg = l };
        code = ds_ms_parser_new(&l->p, &mc);
    }
    /* The order they go in: a level's Depth 0 requests first (small, and
     * the names they bring let stream_step begin early), then the Depth 1
     * listings, the Inbox's first; no more in flight than there are
     * connections, so that the Inbox's GETs need not queue behind the
     * listings of a hundred folders. */
    size_t no = 0;
    for (size_t k = 0; k < nreq; k++)
        if (!ls[k].coll)
            order[no++] = k;
    for (size_t k = 0; k < nreq; k++)
        if (ls[k].coll && coll_role(&w->c[ls[k].coll - 1]) == DS_ROLE_INBOX)
            order[no++] = k;
    for (size_t k = 0; k < nreq; k++)
        if (ls[k].coll && coll_role(&w->c[ls[k].coll - 1]) != DS_ROLE_INBOX)
            order[no++] = k;
    size_t sent = 0, submitted = 0, answered0 = w->answered;
    size_t limit = s->max_connections > 0 ? (size_t)s->max_connections : 1;
    int rc = 0;
    for (;;) {
        size_t inflight = submitted - (w->answered - answered0);
        while (!code && sent < nreq && inflight < limit) {
            listing *l = &ls[order[sent++]];
            int depth0 = l->own || l->root_own;
            const char *b = depth0 ? own_body : body;
            ds_http_request rq = { .method = DS_HTTP_PROPFIND, .url = l->url,
                .depth = depth0 ? "0" : "1", .body = b, .body_len = strlen(b),
                .write = ds_ms_http_sink, .write_arg = l->p, .done = on_done, .done_arg = l };
            code = ds_http_submit(s->http, &rq, NULL);
            if (!code) {
                submitted++;
                inflight++;
            }
        }
        /* Until this level's answers are in (the Inbox's GETs may go on). */
        if (!inflight)
            break;
        rc = ds_http_run(s->http, 1000);
        if (rc)
            break;
        stream_step(w);
    }
    if (!code && rc)
        code = rc;
    for (size_t k = 0; k < nreq; k++)
        ds_ms_parser_free(ls[k].p);
    for (size_t i = 0; urls && i < nl; i++)
        free(urls[i]);
    free(urls);
    free(ls);
    free(order);
    if (code == ST_ERROR && !*st_error_last())
        st_error_set("out of memory");
    return code;
}

ds_folder_role ds_sync__role_of(const char *name)
{
    static const struct { const char *name; ds_folder_role role; } names[] = {
        { "inbox", DS_ROLE_INBOX },
        { "sent items", DS_ROLE_SENT }, { "sent", DS_ROLE_SENT },
        { "sent messages", DS_ROLE_SENT }, { "sent mail", DS_ROLE_SENT },
        { "drafts", DS_ROLE_DRAFTS },
        { "deleted items", DS_ROLE_DELETED }, { "trash", DS_ROLE_DELETED },
        { "deleted messages", DS_ROLE_DELETED },
        { "junk", DS_ROLE_JUNK }, { "junk e-mail", DS_ROLE_JUNK },
        { "junk email", DS_ROLE_JUNK }, { "spam", DS_ROLE_JUNK },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *a = names[i].name, *b = name;
        while (*a && (*b >= 'A' && *b <= 'Z' ? *b + 32 : *b) == *a)
            a++, b++;
        if (!*a && !*b)
            return names[i].role;
    }
    return DS_ROLE_NONE;
}

int ds_sync__folder_name(ds_sync *s, char **out, st_id fid)
{
    *out = NULL;
    st_bag *b = NULL;
    int code = st_folder_get(s->store, &b, fid);
    if (code)
        return code;
    const st_value *v = st_bag_get(b, PR_DISPLAY_NAME_W);
    *out = strdup(v && v->v.str ? v->v.str : "");
    st_bag_free(b);
    if (!*out) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    return 0;
}

/* Creates a folder `name` under parent, or "name (2)" ... when a local
 * folder with a URL of its own has the name. */
static int create_folder(ds_sync *s, st_id *out, st_id parent, const char *name)
{
    size_t len = strlen(name) + 16;
    char *buf = malloc(len);
    st_bag *b = st_bag_new();
    int code = buf && b ? 0 : ST_ERROR;
    for (int k = 1; !code && k < 100; k++) {
        if (k == 1)
            snprintf(buf, len, "%s", name);
        else
            snprintf(buf, len, "%s (%d)", name, k);
        if (st_bag_set_str(b, PR_DISPLAY_NAME_W, buf) < 0 ||
            st_bag_set_str(b, PR_CONTAINER_CLASS_W, "IPF.Note") < 0) {
            code = ST_ERROR;
            break;
        }
        code = st_folder_create(s->store, out, parent, b, ST_FROM_SERVER);
        if (code != ST_EEXISTS)
            break;
        code = 0;
        if (k == 99)
            code = ST_EEXISTS;
    }
    free(buf);
    st_bag_free(b);
    return code;
}

/* The special folder a top-level collection is, by its name, else by its
 * last path segment. */
static ds_folder_role coll_role(const coll *c)
{
    if (c->level != 1)
        return DS_ROLE_NONE;
    ds_folder_role role = ds_sync__role_of(c->name);
    if (role == DS_ROLE_NONE) {
        char *seg = segment_name(c->url);
        if (seg)
            role = ds_sync__role_of(seg);
        free(seg);
    }
    return role;
}

static void note_role(ds_sync *s, const coll *c, st_id fid)
{
    ds_folder_role role = coll_role(c);
    if (role != DS_ROLE_NONE && !s->roles[role])
        s->roles[role] = fid;
}

/* Maps one collection to a folder: found by URL (moved/renamed to match),
 * adopted by name, or created. */
static int apply_coll(ds_sync *s, st_id *out, const coll *c, const st_id *pend, size_t npend,
    ds_sync_counts *cnt)
{
    *out = 0;
    st_id parent = 0, fid = 0;
    int code = 0;
    if (strcmp(c->parent, s->mail_url) == 0)
        parent = s->ipm;
    else
        code = st_folder_find_by_url(s->store, &parent, c->parent);
    if (code)
        return code;
    code = st_folder_find_by_url(s->store, &fid, c->url);
    if (!code) {
        st_id cur_parent = 0;
        char *cur = NULL;
        code = st_folder_parent(s->store, &cur_parent, fid);
        if (!code)
            code = ds_sync__folder_name(s, &cur, fid);
        /* Without the server's name (its Depth 0 failed) the name stays. */
        int renamed = !code && c->name_known && strcmp(cur, c->name) != 0;
        if (!code && (cur_parent != parent || renamed) && ds_sync__has_id(pend, npend, fid)) {
            /* Renamed or moved here too: the up-sync sends ours. */
            ST_LOG_INFO(ST_LOG_DAVSYNC, "folder %s: local rename or move pending: kept", cur);
        } else if (!code && (cur_parent != parent || renamed)) {
            code = st_folder_move(s->store, fid, parent, renamed ? c->name : NULL,
                ST_FROM_SERVER);
            if (code == ST_EEXISTS) {   /* keep the old name rather than fail */
                ST_LOG_WARN(ST_LOG_DAVSYNC, "folder %s: cannot take the name of %s", cur, c->url);
                code = cur_parent != parent
                    ? st_folder_move(s->store, fid, parent, NULL, ST_FROM_SERVER) : 0;
            }
        }
        free(cur);
    } else if (code == ST_ENOTFOUND) {
        code = st_folder_find_by_name(s->store, &fid, parent, c->name);
        if (!code) {
            char *url = NULL;
            code = st_folder_sync_get(s->store, fid, &url, NULL, NULL);
            if (!code && url && *url)
                fid = 0;    /* another collection's: make a new one */
            free(url);
        } else if (code == ST_ENOTFOUND) {
            fid = 0;
            code = 0;
        }
        if (!code && !fid) {
            code = create_folder(s, &fid, parent, c->name);
            if (!code)
                cnt->folders_created++;
        }
        if (!code)
            code = st_folder_sync_set(s->store, fid, c->url, "", "");
    }
    if (!code)
        note_role(s, c, fid);
    if (!code)
        *out = fid;
    return code;
}

/* The Inbox fetched while the walk lists (file comment), one step: after
 * each ds_http_run of a listing. Once the Inbox's Depth 0 answer is in
 * (its name) while its Depth 1 is being kept, its folder is applied at
 * once and, when it holds no messages, a stream opened; each step then
 * hands the stream the members that came since. Nothing here fails the
 * walk: without a stream the down-sync fetches it all. */
static void stream_step(walk *w)
{
    ds_sync *s = w->s;
    if (!w->cnt)
        return;
    if (!w->stream_tried) {   /* top-level collections come first in c */
        size_t k = 0;
        while (k < w->n && w->c[k].level == 1 && !(w->c[k].name_known && w->c[k].members &&
                                                   coll_role(&w->c[k]) == DS_ROLE_INBOX))
            k++;
        if (k == w->n || w->c[k].level != 1)
            return;
        w->stream_tried = 1;
        st_id fid = 0;
        int code = apply_coll(s, &fid, &w->c[k], w->pend, w->npend, w->cnt);
        if (!code)
            code = ds_sync__stream_open(s, &w->stream, fid, w->cnt);
        if (code)
            ST_LOG_WARN(ST_LOG_DAVSYNC, "%s: not fetched while listed: %s", w->c[k].url,
                st_error_last());
        if (!w->stream)
            return;
        w->stream_coll = k + 1;
    }
    if (w->stream_coll && ds_sync__stream_feed(w->stream, w->c[w->stream_coll - 1].members)) {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "%s: fetching while listed stopped: %s",
            w->c[w->stream_coll - 1].url, st_error_last());
        w->stream_coll = 0;   /* what is in flight still lands (stream_close) */
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every folder of the subtree at fid (fid included). */
static int subtree(ds_sync *s, st_id **ids, size_t *n, size_t *cap, st_id fid)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        st_id *p = realloc(*ids, nc * sizeof *p);
        if (!p) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        *ids = p;
        *cap = nc;
    }
    (*ids)[(*n)++] = fid;
    st_id *kids = NULL;
    size_t nk = 0;
    int code = st_folder_children(s->store, &kids, &nk, fid);
    for (size_t i = 0; !code && i < nk; i++)
        code = subtree(s, ids, n, cap, kids[i]);
    free(kids);
    return code;
}

/* Local folders with a URL the server no longer lists. */
static int delete_gone(ds_sync *s, walk *w, ds_sync_counts *cnt)
{
    char **urls = malloc((w->n ? w->n : 1) * sizeof *urls);
    st_id *local = NULL, *pend = NULL;
    size_t nl = 0, np = 0;
    if (!urls) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    for (size_t i = 0; i < w->n; i++)
        urls[i] = w->c[i].url;
    qsort(urls, w->n, sizeof *urls, cmp_str);
    int code = ds_sync_folder_list(s, &local, &nl);
    if (!code)
        code = ds_sync__journal_objects(s, &pend, &np, 0);
    for (size_t i = 0; !code && i < nl; i++) {
        char *url = NULL;
        code = st_folder_sync_get(s->store, local[i], &url, NULL, NULL);
        if (code == ST_ENOTFOUND) {   /* went with its parent */
            code = 0;
            continue;
        }
        const char *key = url;
        if (!code && url && *url && !bsearch(&key, urls, w->n, sizeof *urls, cmp_str)) {
            st_id *sub = NULL;
            size_t ns = 0, cs = 0;
            int pinned = 0;
            code = subtree(s, &sub, &ns, &cs, local[i]);
            for (size_t k = 0; !code && k < ns && !pinned; k++)
                pinned = ds_sync__has_id(pend, np, sub[k]);
            /* Messages with pending changes name their folder in the
             * journal, so the folder ids cover them. */
            if (!code && pinned) {
                ST_LOG_WARN(ST_LOG_DAVSYNC, "folder %s is gone on the server but holds"
                    " local changes not yet sent: kept", url);
                cnt->folders_kept++;
            } else if (!code) {
                code = st_folder_delete(s->store, local[i], ST_RECURSIVE | ST_FROM_SERVER);
                if (!code) {
                    cnt->folders_deleted++;
                    ST_LOG_INFO(ST_LOG_DAVSYNC, "folder %s is gone on the server: deleted", url);
                }
            }
            free(sub);
        }
        free(url);
    }
    free(urls);
    free(local);
    free(pend);
    return code;
}

/* Roles -> receive folder (Inbox) and, with a catalog, its settings. */
static int record_roles(ds_sync *s)
{
    int code = 0;
    if (s->roles[DS_ROLE_INBOX]) {
        code = st_receive_folder_set(s->store, "", s->roles[DS_ROLE_INBOX]);
        if (!code)
            code = st_receive_folder_set(s->store, "IPM.Note", s->roles[DS_ROLE_INBOX]);
    }
    if (code || !s->catalog_path)
        return code;
    st_catalog *cat = NULL;
    code = st_catalog_open(&cat, s->catalog_path, ST_OPEN_CREATE);
    st_guid g;
    char gs[ST_GUID_STRING_SIZE];
    st_store_guid(s->store, &g);
    st_guid_to_string(gs, &g);
    for (int r = DS_ROLE_INBOX; !code && r < DS_ROLE_COUNT; r++) {
        char key[96], val[24];
        snprintf(key, sizeof key, "store.%s.folder.%s", gs, ds_folder_role_name((ds_folder_role)r));
        snprintf(val, sizeof val, "%llu", (unsigned long long)s->roles[r]);
        code = st_catalog_setting_set(cat, key, s->roles[r] ? val : NULL);
    }
    st_catalog_close(cat);
    return code;
}

static int cmp_ctag(const void *a, const void *b)
{
    st_id x = ((const ds_ctag *)a)->fid, y = ((const ds_ctag *)b)->fid;
    return x < y ? -1 : x > y;
}

/* fid's entry in the listed ctags, or NULL. */
static ds_ctag *find_ctag(ds_sync *s, st_id fid)
{
    ds_ctag key = { fid, NULL, NULL };
    return s->nctags ? bsearch(&key, s->ctags, s->nctags, sizeof *s->ctags, cmp_ctag) : NULL;
}

ds_sync__members *ds_sync__take_members(ds_sync *s, st_id fid)
{
    ds_ctag *c = find_ctag(s, fid);
    ds_sync__members *m = c ? c->members : NULL;
    if (c)
        c->members = NULL;
    return m;
}

char *ds_sync__take_ctag(ds_sync *s, st_id fid)
{
    ds_ctag *c = find_ctag(s, fid);
    char *t = c ? c->ctag : NULL;
    if (c)
        c->ctag = NULL;
    return t;
}

void ds_sync__ctags_clear(ds_sync *s)
{
    for (size_t i = 0; i < s->nctags; i++) {
        free(s->ctags[i].ctag);
        ds_sync__members_free(s->ctags[i].members);
    }
    free(s->ctags);
    s->ctags = NULL;
    s->nctags = s->ctags_cap = 0;
}

/* 1 when folder fid's down-sync will want c's members: it lists by
 * PROPFIND (no sync-collection token) and its ctag is not the one it
 * stored (it is not skipped). */
static int keep_members(ds_sync *s, st_id fid, const char *listed_ctag)
{
    char *url = NULL, *token = NULL, *ctag = NULL;
    if (st_folder_sync_get(s->store, fid, &url, &token, &ctag) != 0)
        return 0;
    int want = (!token || !*token || strcmp(token, DS_SYNC_NO_REPORT) == 0) &&
        !(ctag && listed_ctag && strcmp(ctag, listed_ctag) == 0);
    free(url);
    free(token);
    free(ctag);
    return want;
}

/* Remembers c's ctag for folder fid (the ctag moves into the list). A
 * collection without one gets its members' fingerprint in its place
 * ("mapidav-fp:COUNT:HASH"), which serves the same way: equal to what the
 * folder's last complete down-sync stored, nothing changed in it. */
static int keep_ctag(ds_sync *s, st_id fid, coll *c)
{
    if (!c->ctag && c->fp_ok) {
        char fp[64];
        snprintf(fp, sizeof fp, "mapidav-fp:%llu:%016llx", (unsigned long long)c->fp_n,
            (unsigned long long)c->fp);
        if (!(c->ctag = strdup(fp)))
            return ST_ERROR;
    }
    if (!c->ctag)
        return 0;
    ds_ctag *p = st_grow(s->ctags, &s->ctags_cap, s->nctags, sizeof *p, 64);
    if (!p)
        return ST_ERROR;
    s->ctags = p;
    p[s->nctags].fid = fid;
    p[s->nctags].ctag = c->ctag;
    p[s->nctags++].members = c->fp_ok && keep_members(s, fid, c->ctag) ? c->members : NULL;
    if (p[s->nctags - 1].members)
        c->members = NULL;
    c->ctag = NULL;
    return 0;
}

/* ---- the ctag path: a no-change check without Depth 1 ------------------- */

/* The IPM subtree's own sync state (it has no collection to list) records
 * the last complete walk: the token field holds
 * "mapidav:tree:SECONDS:COVERS:MAIL-URL" (SECONDS: wall clock of the walk,
 * seconds since 1601; COVERS: 'y' while the server's ctags were never seen
 * to miss a subcollection, 'n' once they were), the ctag field the mail
 * root's ctag at that walk. Not a token any server hands out. */
#define TREE_MARK "mapidav:tree:"

typedef struct tree_state {
    int valid;          /* a marker for this mail root */
    uint64_t when;      /* its SECONDS */
    int covers;         /* its COVERS: 1 'y', 0 'n' */
    char *root_ctag;    /* the stored root ctag, or NULL */
    int had_mark;       /* the token field holds some marker (to clear) */
} tree_state;

static uint64_t now_s(void)
{
    return st_os_time_filetime() / 10000000u;
}

static int tree_state_get(ds_sync *s, tree_state *t)
{
    memset(t, 0, sizeof *t);
    char *tok = NULL;
    int code = st_folder_sync_get(s->store, s->ipm, NULL, &tok, &t->root_ctag);
    if (code)
        return code;
    size_t ml = strlen(TREE_MARK);
    if (tok && strncmp(tok, TREE_MARK, ml) == 0) {
        t->had_mark = 1;
        char *end = NULL;
        unsigned long long when = strtoull(tok + ml, &end, 10);
        if (end && end != tok + ml && end[0] == ':' && (end[1] == 'y' || end[1] == 'n') &&
            end[2] == ':' && strcmp(end + 3, s->mail_url) == 0) {
            t->valid = 1;
            t->when = when;
            t->covers = end[1] == 'y';
        }
    }
    free(tok);
    return 0;
}

/* Records a walk: complete, now with the root's ctag it listed; else
 * (root_ctag NULL) only what is known of the server's ctags, with a time
 * the quick check never trusts. */
static int tree_state_set(ds_sync *s, int covers, const char *root_ctag)
{
    size_t len = strlen(TREE_MARK) + strlen(s->mail_url) + 32;
    char *mark = malloc(len);
    if (!mark) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    snprintf(mark, len, TREE_MARK "%llu:%c:%s", root_ctag ? (unsigned long long)now_s() : 0ULL,
        covers ? 'y' : 'n', s->mail_url);
    int code = st_folder_sync_set(s->store, s->ipm, NULL, mark, root_ctag ? root_ctag : "");
    free(mark);
    return code;
}

/* 1 when ctag is the server's own (not our "mapidav-fp:" fingerprint). */
static int real_ctag(const char *ctag)
{
    return ctag && *ctag && strncmp(ctag, "mapidav-fp:", 11) != 0;
}

static int cmp_coll_parent(const void *a, const void *b)
{
    return strcmp((*(const coll *const *)a)->parent, (*(const coll *const *)b)->parent);
}

static int cmp_coll_url(const void *a, const void *b)
{
    return strcmp((*(const coll *const *)a)->url, (*(const coll *const *)b)->url);
}

/* *out = 1 when the listed subcollections of the collection at url
 * (folder fid) differ from the local folders with a URL under fid, leaving
 * out folders with a pending local move or rename (pend). by_parent and
 * by_url: w's collections sorted by parent URL and by URL. */
static int children_differ(ds_sync *s, coll *const *by_parent, coll *const *by_url, size_t n,
    const char *url, st_id fid, const st_id *pend, size_t npend, int *out)
{
    coll key = { .url = (char *)url, .parent = (char *)url }, *kp = &key;
    /* The first listed child of url, then the rest of its run. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(by_parent[mid]->parent, url) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int code = 0;
    for (size_t k = lo; !code && !*out && k < n && strcmp(by_parent[k]->parent, url) == 0; k++) {
        st_id child = 0, parent = 0;
        code = st_folder_find_by_url(s->store, &child, by_parent[k]->url);
        if (code == ST_ENOTFOUND) {
            *out = 1;   /* new on the server */
            code = 0;
        } else if (!code && !ds_sync__has_id(pend, npend, child)) {
            code = st_folder_parent(s->store, &parent, child);
            if (!code && parent != fid)
                *out = 1;   /* moved here on the server */
        }
    }
    st_id *kids = NULL;
    size_t nk = 0;
    if (!code && !*out)
        code = st_folder_children(s->store, &kids, &nk, fid);
    for (size_t k = 0; !code && !*out && k < nk; k++) {
        char *ku = NULL;
        code = st_folder_sync_get(s->store, kids[k], &ku, NULL, NULL);
        if (!code && ku && *ku && !ds_sync__has_id(pend, npend, kids[k])) {
            key.url = ku;
            coll *const *hit = bsearch(&kp, by_url, n, sizeof *by_url, cmp_coll_url);
            if (!hit || strcmp((*hit)->parent, url) != 0)
                *out = 1;   /* gone from here on the server */
        }
        free(ku);
    }
    free(kids);
    return code;
}

/* *out = 1 when the (complete) walk w shows the server's ctags do not
 * cover subcollections: a collection's ctag is the one stored at its
 * folder's last complete down-sync (the mail root's: at the last complete
 * walk, root_stored), yet its subcollections are not the ones known. Run
 * before the walk is applied. Only real ctags count. */
static int ctag_misses_children(ds_sync *s, const walk *w, const char *root_stored, int *out)
{
    *out = 0;
    st_id *pend = NULL;
    size_t npend = 0;
    coll **by_parent = malloc((w->n ? w->n : 1) * sizeof *by_parent);
    coll **by_url = malloc((w->n ? w->n : 1) * sizeof *by_url);
    int code = by_parent && by_url ? 0 : ST_ERROR;
    for (size_t i = 0; !code && i < w->n; i++)
        by_parent[i] = by_url[i] = &w->c[i];
    if (!code && w->n) {
        qsort(by_parent, w->n, sizeof *by_parent, cmp_coll_parent);
        qsort(by_url, w->n, sizeof *by_url, cmp_coll_url);
    }
    if (!code)
        code = ds_sync__journal_objects(s, &pend, &npend, 1);
    for (size_t i = 0; !code && !*out && i <= w->n; i++) {
        int root = i == w->n;
        const char *url = root ? s->mail_url : w->c[i].url;
        const char *listed = root ? w->root_ctag : w->c[i].ctag;
        char *stored = NULL;
        st_id fid = s->ipm;
        if (!real_ctag(listed))
            continue;
        if (!root) {
            code = st_folder_find_by_url(s->store, &fid, url);
            if (code == ST_ENOTFOUND) {
                code = 0;
                continue;
            }
            if (!code)
                code = st_folder_sync_get(s->store, fid, NULL, NULL, &stored);
        }
        const char *st = root ? root_stored : stored;
        if (!code && real_ctag(st) && strcmp(st, listed) == 0) {
            code = children_differ(s, by_parent, by_url, w->n, url, fid, pend, npend, out);
            if (!code && *out)
                ST_LOG_INFO(ST_LOG_DAVSYNC, "%s: its subcollections changed under the same"
                    " ctag %s: the server's ctag does not cover subcollections; the folder"
                    " tree is listed every sync from now on", url, listed);
        }
        free(stored);
    }
    if (code == ST_ERROR && !*st_error_last())
        st_error_set("out of memory");
    free(pend);
    free(by_parent);
    free(by_url);
    return code;
}

static void walk_free(walk *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->c[i].url);
        free(w->c[i].parent);
        free(w->c[i].name);
        free(w->c[i].ctag);
        ds_sync__members_free(w->c[i].members);
    }
    free(w->c);
    free(w->root_ctag);
    memset(w, 0, sizeof *w);
}

/* The quick check (file comment): *unchanged = 1 when the tree and every
 * folder are as the last complete walk and down-syncs left them, with
 * s->ctags and s->roles filled as a walk would; 0: walk the tree. Errors:
 * only those that stop the sync (cancelled, authentication, memory). */
static int quick_check(ds_sync *s, const tree_state *t, const char *own_body,
    ds_sync_counts *cnt, int *unchanged)
{
    *unchanged = 0;
    uint64_t now = now_s();
    if (!t->valid || !real_ctag(t->root_ctag) || now < t->when ||
        now - t->when >= TREE_REFRESH_S)
        return 0;
    walk w = { .s = s };
    st_id *fids = NULL;
    size_t nf = 0;
    char **stored = NULL, **lname = NULL;
    const char *why = NULL;
    int code = ds_sync_folder_list(s, &fids, &nf);
    if (!code && nf) {
        stored = calloc(nf, sizeof *stored);
        lname = calloc(nf, sizeof *lname);
        if (!stored || !lname)
            code = ST_ERROR;
    }
    for (size_t i = 0; !code && !why && i < nf; i++) {
        char *url = NULL;
        st_id parent = 0;
        code = st_folder_sync_get(s->store, fids[i], &url, NULL, &stored[i]);
        if (!code)
            code = st_folder_parent(s->store, &parent, fids[i]);
        if (!code)
            code = ds_sync__folder_name(s, &lname[i], fids[i]);
        if (!code && !real_ctag(stored[i]))
            why = "a folder without a stored ctag";
        else if (!code && !ds_href_is_inside(url, s->mail_url))
            why = "a folder outside the mail root";
        else if (!code)
            code = add_coll(&w, url, "", parent == s->ipm ? 1 : 2);
        free(url);
    }
    if (!code && !why)
        code = list_level(&w, 0, w.n, 0, own_body, own_body, 1);
    if (!code && !why && (w.failed || !w.root_known))
        why = "a folder's Depth 0 failed or it is gone";
    if (!code && !why && (!w.root_ctag || strcmp(w.root_ctag, t->root_ctag) != 0))
        why = "the mail root's ctag changed";
    for (size_t i = 0; !code && !why && i < w.n; i++) {
        const coll *c = &w.c[i];
        if (!c->name_known || !c->ctag || strcmp(c->ctag, stored[i]) != 0)
            why = "a folder's ctag changed";
        else if (strcmp(c->name, lname[i]) != 0)
            why = "a folder's name changed";
    }
    if (!code && !why) {
        for (size_t i = 0; !code && i < w.n; i++) {
            note_role(s, &w.c[i], fids[i]);
            code = keep_ctag(s, fids[i], &w.c[i]);
        }
        if (s->nctags)
            qsort(s->ctags, s->nctags, sizeof *s->ctags, cmp_ctag);
        if (!code)
            code = record_roles(s);
        if (!code) {
            cnt->folders = w.n;
            *unchanged = 1;
            ST_LOG_INFO(ST_LOG_DAVSYNC, "folder tree: %zu ctags unchanged (Depth 0 only)", w.n);
        }
    } else if (!code) {
        ST_LOG_INFO(ST_LOG_DAVSYNC, "folder tree: %s: listing it", why);
    }
    for (size_t i = 0; i < nf; i++) {
        free(stored ? stored[i] : NULL);
        free(lname ? lname[i] : NULL);
    }
    free(stored);
    free(lname);
    free(fids);
    walk_free(&w);
    if (code == ST_ERROR && !*st_error_last())
        st_error_set("out of memory");
    if (code && code != DS_ECANCELLED && code != DS_EAUTH && code != ST_ERROR) {
        ST_LOG_INFO(ST_LOG_DAVSYNC, "folder tree: quick check failed (%s): listing it",
            ds_error_name(code));
        code = 0;
    }
    if (!*unchanged) {   /* what it found is for a walk to find again */
        ds_sync__ctags_clear(s);
        memset(s->roles, 0, sizeof s->roles);
    }
    return code;
}

int ds_sync_folders(ds_sync *s, ds_sync_counts *cnt)
{
    static const ds_xml_name own_props[] = {
        { DS_NS_DAV, "displayname" }, { DS_NS_CS, "getctag" },
    };
    walk w = { .s = s, .cnt = cnt };
    char *body = NULL, *own_body = NULL;
    tree_state ts;
    ds_sync__ctags_clear(s);
    memset(s->roles, 0, sizeof s->roles);
    int code = tree_state_get(s, &ts);
    if (!code)
        code = ds_xml_propfind(&body, ds_sync__list_props, DS_SYNC_NLIST_PROPS);
    if (!code)
        code = ds_xml_propfind(&own_body, own_props, 2);
    int unchanged = 0;
    if (!code)
        code = quick_check(s, &ts, own_body, cnt, &unchanged);
    if (!code && unchanged) {
        free(body);
        free(own_body);
        free(ts.root_ctag);
        ds_sync__progress(s, "folders", NULL, cnt->folders, cnt->folders, cnt);
        return 0;
    }
    st_id *pend = NULL;
    size_t npend = 0;
    if (!code)
        code = ds_sync__journal_objects(s, &pend, &npend, 1);
    w.pend = pend;
    w.npend = npend;
    size_t from = 0, to = 0;
    int any_ctag = 0;
    for (int level = 1; !code && level <= MAX_LEVELS; level++) {
        if (level > 1 && from == to)
            break;
        code = list_level(&w, from, to, level, body, own_body, 0);
        from = to;
        to = w.n;
    }
    for (size_t i = 0; i < w.n; i++)
        any_ctag |= real_ctag(w.c[i].ctag);
    /* The mail root's ctag, for the next quick check: asked only of a
     * server that gives ctags (Apache's walk stays as it was). */
    if (!code && !w.failed && any_ctag)
        code = list_level(&w, w.n, w.n, 0, own_body, own_body, 1);
    /* The Inbox's GETs still in flight land before anything else is
     * written (the stream's import batch must not hold the folders). */
    int sc = ds_sync__stream_close(w.stream);
    w.stream = NULL;
    w.stream_coll = 0;
    if (sc == DS_ECANCELLED || sc == DS_EAUTH)
        code = code == DS_ECANCELLED || code == DS_EAUTH ? code : sc;
    else if (sc)
        ST_LOG_WARN(ST_LOG_DAVSYNC, "fetching the Inbox while listed: %s: %s",
            ds_error_name(sc), st_error_last());
    free(body);
    free(own_body);
    if (!code && w.failed)
        code = w.first_error;
    int complete = !code && !w.failed;
    int misses = 0;
    if (complete && real_ctag(w.root_ctag) && (!ts.valid || ts.covers))
        code = ctag_misses_children(s, &w, ts.root_ctag, &misses);
    cnt->folders = w.n;
    /* What was listed is applied even after a failure (a failed level
     * only leaves its subtree as it was). */
    int acode = 0;
    for (size_t i = 0; !acode && i < w.n; i++) {
        st_id fid = 0;
        acode = apply_coll(s, &fid, &w.c[i], pend, npend, cnt);
        if (acode == ST_ENOTFOUND) {   /* parent could not be made: skip */
            ST_LOG_WARN(ST_LOG_DAVSYNC, "collection %s: no parent folder", w.c[i].url);
            acode = 0;
        } else if (!acode) {
            acode = keep_ctag(s, fid, &w.c[i]);
        }
    }
    if (s->nctags)
        qsort(s->ctags, s->nctags, sizeof *s->ctags, cmp_ctag);
    if (!acode && !code && !w.failed)
        acode = delete_gone(s, &w, cnt);
    free(pend);
    if (!acode)
        acode = record_roles(s);
    /* The walk's record: a complete walk of a server with ctags allows the
     * quick check until TREE_REFRESH_S; anything else does not (COVERS is
     * kept: once 'n', stays 'n'). */
    int covers = !misses && (!ts.valid || ts.covers);
    if (!acode && !code && real_ctag(w.root_ctag))
        acode = tree_state_set(s, covers, w.root_ctag);
    else if (!acode && ts.had_mark)
        acode = tree_state_set(s, covers, NULL);
    if (!code)
        code = acode;
    walk_free(&w);
    free(ts.root_ctag);
    ds_sync__progress(s, "folders", NULL, cnt->folders, cnt->folders, cnt);
    return code;
}
