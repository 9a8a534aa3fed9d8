/*
 * sync.c: the sync engine's frame: open the store and the HTTP client, run
 * one whole down-sync (ds_sync_once), shared helpers (progress, the journal's
 * pending objects).
 *
 * Invariant: ds_sync_once leaves the store consistent whatever happens
 * (every write is a storage transaction); a failed folder does not stop the
 * others. Never: log the password (the HTTP layer registers it as a secret).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"
#include "davsync/sync_int.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"

static const char *const role_names[DS_ROLE_COUNT] = {
    "", "inbox", "sent", "drafts", "deleted", "junk"
};

const char *ds_folder_role_name(ds_folder_role role)
{
    return (unsigned)role < DS_ROLE_COUNT ? role_names[role] : "";
}

void ds_sync__progress(ds_sync *s, const char *phase, const char *folder, uint64_t done,
    uint64_t total, const ds_sync_counts *c)
{
    if (!s->progress)
        return;
    ds_sync_progress p = { phase, folder, done, total, c,
        strcmp(phase, "fetch") == 0 ? s->bytes_left : 0 };
    s->progress(s->progress_arg, &p);
}

int ds_sync__same_etag(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    if (a[0] == 'W' && a[1] == '/')
        a += 2;
    if (b[0] == 'W' && b[1] == '/')
        b += 2;
    return strcmp(a, b) == 0;
}

static int cmp_id(const void *a, const void *b)
{
    st_id x = *(const st_id *)a, y = *(const st_id *)b;
    return x < y ? -1 : x > y;
}

int ds_sync__has_id(const st_id *ids, size_t n, st_id id)
{
    return n && bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL;
}

int ds_sync__journal_objects(ds_sync *s, st_id **out, size_t *n, int folders_only)
{
    *out = NULL;
    *n = 0;
    st_journal_entry *e = NULL;
    size_t ne = 0;
    int code = st_journal_list(s->store, &e, &ne);
    if (code)
        return code;
    st_id *ids = ne ? malloc(ne * 3 * sizeof *ids) : NULL;
    if (ne && !ids) {
        st_journal_entries_free(e, ne);
        st_error_set("out of memory");
        return ST_ERROR;
    }
    size_t k = 0;
    for (size_t i = 0; i < ne; i++) {
        if (folders_only && e[i].kind != ST_JKIND_FOLDER)
            continue;
        ids[k++] = e[i].obj;
        /* Ids are unique across folders and messages (one counter), so one
         * set holds both: the changed object, its folder (or parent) and,
         * for a move, where it came from. */
        if (e[i].folder)
            ids[k++] = e[i].folder;
        if (e[i].old_folder)
            ids[k++] = e[i].old_folder;
    }
    st_journal_entries_free(e, ne);
    if (k)
        qsort(ids, k, sizeof *ids, cmp_id);
    *out = ids;
    *n = k;
    return 0;
}

/* The store's root and "Top of Information Store" under it. */
static int ensure_tree(ds_sync *s)
{
    int code = st_folder_root(s->store, &s->root);
    if (code == ST_ENOTFOUND) {
        st_bag *b = st_bag_new();
        code = b && st_bag_set_str(b, PR_DISPLAY_NAME_W, "Root") >= 0 ? 0 : ST_ERROR;
        if (!code)
            code = st_folder_create(s->store, &s->root, 0, b, ST_FROM_SERVER);
        st_bag_free(b);
    }
    if (code)
        return code;
    code = st_folder_find_by_name(s->store, &s->ipm, s->root, "Top of Information Store");
    if (code == ST_ENOTFOUND) {
        st_bag *b = st_bag_new();
        code = b && st_bag_set_str(b, PR_DISPLAY_NAME_W, "Top of Information Store") >= 0
            ? 0 : ST_ERROR;
        if (!code)
            code = st_folder_create(s->store, &s->ipm, s->root, b, ST_FROM_SERVER);
        st_bag_free(b);
    }
    if (code)
        return code;
    return st_folder_sync_set(s->store, s->ipm, s->mail_url, NULL, NULL);
}

int ds_sync_open(ds_sync **out, const ds_sync_config *cfg)
{
    *out = NULL;
    if (!cfg->mail_url || !cfg->store_path) {
        st_error_set("sync: mail_url and store_path are required");
        return ST_ERROR;
    }
    ds_sync *s = calloc(1, sizeof *s);
    if (!s) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    int code = ds_href_normalize(&s->mail_url, cfg->mail_url);
    if (!code)
        code = ds_href_add_slash(&s->mail_url);
    if (!code && cfg->catalog_path && !(s->catalog_path = strdup(cfg->catalog_path))) {
        st_error_set("out of memory");
        code = ST_ERROR;
    }
    s->budget_ms = cfg->budget_ms ? cfg->budget_ms : 50;
    s->max_connections = cfg->max_connections > 0 ? cfg->max_connections : 6;
    s->progress = cfg->progress;
    s->progress_arg = cfg->progress_arg;
    if (!code && cfg->http) {
        s->http = cfg->http;
        s->http_borrowed = 1;
    } else if (!code) {
        ds_http_config hc = {
            .user = cfg->user, .password = cfg->password, .ca_file = cfg->ca_file,
            .insecure_tls = cfg->insecure_tls, .max_connections = s->max_connections,
        };
        code = ds_http_new(&s->http, &hc);
    }
    if (!code) {
        uint64_t size = 0;
        if (st_os_path_size(&size, cfg->store_path) == 0) {
            code = st_store_open(&s->store, cfg->store_path, NULL, 0);
        } else {
            st_guid g;
            st_guid_new(&g, cfg->store_path);
            code = st_store_open(&s->store, cfg->store_path, &g, ST_OPEN_CREATE);
        }
    }
    if (!code)
        code = ensure_tree(s);
    if (code) {
        ds_sync_close(s);
        return code;
    }
    *out = s;
    return 0;
}

void ds_sync_close(ds_sync *s)
{
    if (!s)
        return;
    if (!s->http_borrowed)
        ds_http_free(s->http);
    st_store_close(s->store);
    ds_sync__ctags_clear(s);
    free(s->mail_url);
    free(s->catalog_path);
    free(s);
}

st_id ds_sync_role_folder(const ds_sync *s, ds_folder_role role)
{
    return (unsigned)role < DS_ROLE_COUNT ? s->roles[role] : 0;
}

st_id ds_sync_ipm_subtree(const ds_sync *s)
{
    return s->ipm;
}

st_store *ds_sync_store(ds_sync *s)
{
    return s->store;
}

/* Pre-order walk below fid, appending folders that have a URL. */
static int collect(ds_sync *s, st_id **ids, size_t *n, size_t *cap, st_id fid, st_id skip)
{
    st_id *kids = NULL;
    size_t nk = 0;
    int code = st_folder_children(s->store, &kids, &nk, fid);
    for (size_t i = 0; !code && i < nk; i++) {
        char *url = NULL;
        code = st_folder_sync_get(s->store, kids[i], &url, NULL, NULL);
        if (!code && url && *url && kids[i] != skip) {
            if (*n == *cap) {
                size_t nc = *cap ? *cap * 2 : 16;
                st_id *p = realloc(*ids, nc * sizeof *p);
                if (!p) {
                    st_error_set("out of memory");
                    code = ST_ERROR;
                } else {
                    *ids = p;
                    *cap = nc;
                }
            }
            if (!code)
                (*ids)[(*n)++] = kids[i];
        }
        free(url);
        if (!code)
            code = collect(s, ids, n, cap, kids[i], skip);
    }
    free(kids);
    return code;
}

int ds_sync_folder_list(ds_sync *s, st_id **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    st_id *ids = NULL;
    size_t cnt = 0, cap = 0;
    st_id inbox = s->roles[DS_ROLE_INBOX];
    if (inbox) {
        ids = malloc(16 * sizeof *ids);
        if (!ids) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        cap = 16;
        ids[cnt++] = inbox;
    }
    int code = collect(s, &ids, &cnt, &cap, s->ipm, inbox);
    if (code) {
        free(ids);
        return code;
    }
    *out = ids;
    *n = cnt;
    return 0;
}

static void add_counts(ds_sync_counts *a, const ds_sync_counts *b)
{
    a->folders += b->folders;
    a->folders_created += b->folders_created;
    a->folders_deleted += b->folders_deleted;
    a->folders_kept += b->folders_kept;
    a->folders_skipped += b->folders_skipped;
    a->items += b->items;
    a->new_items += b->new_items;
    a->changed += b->changed;
    a->flags += b->flags;
    a->deleted += b->deleted;
    a->kept += b->kept;
    a->failed += b->failed;
    a->gets += b->gets;
    a->bytes += b->bytes;
}

int ds_sync_once(ds_sync_counts *out, const ds_sync_config *cfg)
{
    ds_sync_counts total = { 0 };
    ds_sync *s = NULL;
    st_id *fids = NULL;
    size_t nf = 0;
    int first = 0;
    int code = ds_sync_open(&s, cfg);
    if (!code) {
        ds_sync__progress(s, "folders", NULL, 0, 0, &total);
        code = ds_sync_folders(s, &total);
    }
    /* A folder listing that failed halfway still leaves a usable tree:
     * sync what is known unless the server refused us altogether. */
    if (code && code != DS_ECANCELLED && code != DS_EAUTH && s) {
        first = code;
        code = 0;
    }
    if (!code)
        code = ds_sync_folder_list(s, &fids, &nf);
    for (size_t i = 0; !code && i < nf; i++) {
        ds_sync_counts c = { 0 };
        int r = ds_sync_folder_down(s, fids[i], &c);
        add_counts(&total, &c);
        if (r == DS_ENOTFOUND) {   /* gone, kept for local changes: not an error */
            ST_LOG_INFO(ST_LOG_DAVSYNC, "folder %llu: its collection is gone",
                (unsigned long long)fids[i]);
            r = 0;
        }
        if (r == DS_ECANCELLED || r == DS_EAUTH)
            code = r;
        else if (r && !first)
            first = r;
    }
    if (!code && first)
        code = first;
    if (s) {
        ds_sync__progress(s, "done", NULL, 0, 0, &total);
        ST_LOG_INFO(ST_LOG_DAVSYNC, "sync %s: %s; %llu folders (%llu unchanged), %llu new,"
            " %llu changed, %llu flags, %llu deleted, %llu failed, %llu bytes", s->mail_url,
            ds_error_name(code), (unsigned long long)total.folders,
            (unsigned long long)total.folders_skipped,
            (unsigned long long)total.new_items, (unsigned long long)total.changed,
            (unsigned long long)total.flags, (unsigned long long)total.deleted,
            (unsigned long long)total.failed, (unsigned long long)total.bytes);
    }
    free(fids);
    ds_sync_close(s);
    if (out)
        *out = total;
    return code;
}
