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
#include "storage/props_guids.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

#define MAX_LEVELS 64
#define MAX_COLLECTIONS 100000
#define KEEP_MAX 50000      /* members kept for the down-syncs, in all */

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
} walk;

typedef struct listing {
    walk *w;
    const char *url;    /* the collection asked (a copy: w->c may move) */
    int level;          /* of its members */
    size_t own;         /* Depth 0 for the props of w->c[own - 1]; 0: Depth 1 */
    size_t coll;        /* Depth 1 of w->c[coll - 1]; 0: of the mail root */
    ds_ms_parser *p;
    int done;
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

/* The Depth 0 answer: the collection's displayname and ctag. */
static int on_own(listing *l, const ds_ms_response *r)
{
    coll *c = &l->w->c[l->own - 1];
    if (r->status || strcmp(r->url, l->url) != 0)
        return 0;   /* not it (Cyrus lists members on Depth 0, pitfall 6) */
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
    l->w->kept += ds_sync__members_count(m) - before;
}

static int on_response(void *arg, const ds_ms_response *r)
{
    listing *l = arg;
    if (l->own)
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
    if (code) {
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
    l->done = 1;
}

/* Lists the collections of level `level` (members of those of level-1)
 * with body, and asks those of level-1 for their own props with own_body. */
static int list_level(walk *w, size_t from, size_t to, int level, const char *body,
    const char *own_body)
{
    ds_sync *s = w->s;
    size_t nl = level == 1 ? 1 : to - from;
    size_t nreq = level == 1 ? 1 : 2 * nl;
    listing *ls = calloc(nreq, sizeof *ls);
    if (!ls) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    /* The URLs of this level are copied: add_coll may move w->c. */
    char **urls = calloc(nl ? nl : 1, sizeof *urls);
    int code = urls ? 0 : ST_ERROR;
    for (size_t i = 0; !code && i < nl; i++) {
        urls[i] = strdup(level == 1 ? s->mail_url : w->c[from + i].url);
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
        l->own = k >= nl ? from + i + 1 : 0;
        l->coll = k < nl && level > 1 ? from + i + 1 : 0;
        if (l->coll && w->kept < KEEP_MAX)   /* NULL when out of memory: listed again */
            w->c[l->coll - 1].members = ds_sync__members_new(l->url);
        ds_ms_config mc = { .request_url = l->url, .allowed = allowed, .nallowed = 1,
            .on_response = on_response, .arg = l };
        code = ds_ms_parser_new(&l->p, &mc);
        const char *b = l->own ? own_body : body;
        ds_http_request rq = { .method = DS_HTTP_PROPFIND, .url = l->url,
            .depth = l->own ? "0" : "1", .body = b, .body_len = strlen(b),
            .write = ds_ms_http_sink, .write_arg = l->p, .done = on_done, .done_arg = l };
        if (!code)
            code = ds_http_submit(s->http, &rq, NULL);
        if (code)
            l->done = 1;
    }
    int rc = 0;
    while (ds_http_pending(s->http)) {
        rc = ds_http_run(s->http, 1000);
        if (rc)
            break;
    }
    if (!code && rc)
        code = rc;
    for (size_t k = 0; k < nreq; k++)
        ds_ms_parser_free(ls[k].p);
    for (size_t i = 0; urls && i < nl; i++)
        free(urls[i]);
    free(urls);
    free(ls);
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
    if (!code && c->level == 1) {
        ds_folder_role role = ds_sync__role_of(c->name);
        if (role == DS_ROLE_NONE) {
            char *seg = segment_name(c->url);
            if (seg)
                role = ds_sync__role_of(seg);
            free(seg);
        }
        if (role != DS_ROLE_NONE && !s->roles[role])
            s->roles[role] = fid;
    }
    if (!code)
        *out = fid;
    return code;
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

int ds_sync_folders(ds_sync *s, ds_sync_counts *cnt)
{
    static const ds_xml_name own_props[] = {
        { DS_NS_DAV, "displayname" }, { DS_NS_CS, "getctag" },
    };
    walk w = { .s = s };
    char *body = NULL, *own_body = NULL;
    ds_sync__ctags_clear(s);
    int code = ds_xml_propfind(&body, ds_sync__list_props, DS_SYNC_NLIST_PROPS);
    if (!code)
        code = ds_xml_propfind(&own_body, own_props, 2);
    memset(s->roles, 0, sizeof s->roles);
    size_t from = 0, to = 0;
    for (int level = 1; !code && level <= MAX_LEVELS; level++) {
        if (level > 1 && from == to)
            break;
        code = list_level(&w, from, to, level, body, own_body);
        from = to;
        to = w.n;
    }
    free(body);
    free(own_body);
    if (!code && w.failed)
        code = w.first_error;
    cnt->folders = w.n;
    /* What was listed is applied even after a failure (a failed level
     * only leaves its subtree as it was). */
    st_id *pend = NULL;
    size_t npend = 0;
    int acode = ds_sync__journal_objects(s, &pend, &npend, 1);
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
    if (!code)
        code = acode;
    for (size_t i = 0; i < w.n; i++) {
        free(w.c[i].url);
        free(w.c[i].parent);
        free(w.c[i].name);
        free(w.c[i].ctag);
        ds_sync__members_free(w.c[i].members);
    }
    free(w.c);
    ds_sync__progress(s, "folders", NULL, w.n, w.n, cnt);
    return code;
}
