/*
 * test_sync_xandikos.c: the sync-collection (RFC 6578) and getctag path of
 * the mail down-sync against the real Xandikos of test/fixtures/serve.py
 * (plain collections holding .eml under /user/mail/, no auth), partly
 * through faultproxy.py (sync-collection paging, which Xandikos does not do
 * itself).
 *
 * Checked: the initial sync stores a token and a ctag per folder; a second
 * sync of unchanged folders sends only the folder walk (ctag skip); a
 * change, a delete and an addition by a second client come down as a delta
 * (only the changes listed, only the two GETs, the token advanced); a
 * token the server refuses (Xandikos: 500) recovers by a full listing
 * without duplicates; 507 paging; an interrupted initial sync resumes
 * without fetching anything twice, its token stored only once complete; a
 * listed ctag is used once; small and large deltas. The ctag path over a
 * tree (test_tree): no change costs one Depth 0 per folder and the root,
 * no Depth 1; a changed message in a nested folder, a renamed folder, a
 * folder deleted (also while the ctags are trusted) are found; a new
 * subfolder under an unchanged ctag (Xandikos's ctag does not cover
 * subcollections) is found by the walk after the refresh time, which
 * records that the ctag misses subcollections (the quick check goes on,
 * a walk every TREE_REFRESH_S finds new subfolders); a walk record that does not parse.
 * Kept to a few dozen items: Xandikos slows down as a collection grows.
 * Never: a mock server; the checks read the store's public API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/sync.h"
#include "storage/log.h"
#include "storage/props_tags.h"
#include "sync_testutil.h"

#define NO_REPORT "mapidav:no-sync-collection"   /* sync_int.h's marker */

static const char *fixdir;

#define TREE_MARK "mapidav:tree:"   /* sync_folders.c's walk record */

static ds_sync_config config(const char *root, const char *store, ds_http *h)
{
    return (ds_sync_config){ .mail_url = root, .store_path = store, .http = h,
                             .max_connections = 4 };
}

static uint64_t requests(ds_http *h)
{
    ds_http_stats st;
    ds_http_get_stats(h, &st);
    return st.requests;
}

/* Every folder of the tree has a real token and a ctag stored. */
static void check_state(st_store *s, const char *root, const char *const *folders, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *u = cat(root, folders[i]), *tok = NULL, *ctag = NULL;
        st_id fid = find_folder(s, u);
        ok(fid != 0, "folder %s\n", u);
        st_folder_sync_get(s, fid, NULL, &tok, &ctag);
        ok(tok && *tok && strcmp(tok, NO_REPORT) != 0, "%s: token %s\n", folders[i], tok ? tok : "-");
        ok(ctag && *ctag, "%s: ctag %s\n", folders[i], ctag ? ctag : "-");
        free(tok);
        free(ctag);
        free(u);
    }
}


/* The IPM subtree's walk record (sync_folders.c): its COVERS letter
 * ('y', 'n'; 0 when there is none), and with age set, its time put back
 * to long ago (as if TREE_REFRESH_S had passed). */
static char tree_mark(const char *store, int age)
{
    st_store *s = NULL;
    st_id rootf = 0, ipm = 0;
    char *tok = NULL, covers = 0;
    if (st_store_open(&s, store, NULL, 0) != 0)
        return 0;
    st_folder_root(s, &rootf);
    st_folder_find_by_name(s, &ipm, rootf, "Top of Information Store");
    st_folder_sync_get(s, ipm, NULL, &tok, NULL);
    const char *p = tok && !strncmp(tok, TREE_MARK, strlen(TREE_MARK)) ? tok + strlen(TREE_MARK) : NULL;
    while (p && *p >= '0' && *p <= '9')
        p++;
    if (p && *p == ':') {
        covers = p[1];
        if (age) {
            char *aged = cat(TREE_MARK "1", p);
            ok(st_folder_sync_set(s, ipm, NULL, aged, NULL) == 0, "walk record aged\n");
            free(aged);
        }
    }
    free(tok);
    st_store_close(s);
    return covers;
}

static void dav_displayname(ds_http *h, const char *url, const char *name)
{
    char xml[512];
    snprintf(xml, sizeof xml, "<?xml version=\"1.0\"?><propertyupdate xmlns=\"DAV:\"><set><prop>"
             "<displayname>%s</displayname></prop></set></propertyupdate>", name);
    long st = dav_do(h, &(ds_http_request){ .method = DS_HTTP_PROPPATCH, .url = url, .body = xml,
                                            .body_len = strlen(xml),
                                            .content_type = "application/xml" });
    ok(st == 207 || st == 200, "PROPPATCH %s: %ld\n", url, st);
}

/* One sync of cfg: its counts and requests (*req). */
static int sync_counted(ds_http *h, const ds_sync_config *cfg, ds_sync_counts *c, uint64_t *req)
{
    uint64_t r0 = requests(h);
    int rc = ds_sync_once(c, cfg);
    *req = requests(h) - r0;
    return rc;
}

/* The ctag path over a tree (sync_folders.c, "the quick check"): what
 * Xandikos does was seen first by hand and is what this checks: its ctag
 * is the git tree of the collection's own items (and its properties file),
 * so an item or displayname change changes it, a subcollection added or
 * deleted under it does not; MOVE of a collection is refused (405). */
static void test_tree(ds_http *h, const char *base)
{
    char *root = cat(base, "user/tree/"), url[512];
    static const char *const folders[] = { "Inbox/", "A/", "A/Sub/", "B/" };
    static const int nitems[] = { 3, 2, 2, 2 };
    dav_mkcol(h, root);
    for (int f = 0; f < 4; f++) {
        char *u = cat(root, folders[f]);
        dav_mkcol(h, u);
        for (int n = 0; n < nitems[f]; n++) {
            snprintf(url, sizeof url, "%s%d.eml", u, n);
            dav_put_plain(h, url, folders[f], n, NULL);
        }
        free(u);
    }
    char *store = cat(fixdir, "/tree.sqlite");
    ds_sync_config cfg = config(root, store, h);
    ds_sync_counts c;
    uint64_t req = 0;
    int rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && c.folders_created == 4 && c.new_items == 9, "tree: first sync %d created %llu"
       " new %llu\n", rc, (unsigned long long)c.folders_created, (unsigned long long)c.new_items);
    ok(tree_mark(store, 0) == 'y', "tree: walk recorded, ctags trusted\n");

    /* nothing changed: Depth 0 of the root and the 4 folders, nothing else */
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && req == 5 && c.folders_skipped == 4 && c.gets == 0,
       "tree: no change: %d requests %llu skipped %llu\n", rc, (unsigned long long)req,
       (unsigned long long)c.folders_skipped);
    {   /* the quick check finds the special folders as a walk does */
        ds_sync *ss = NULL;
        ds_sync_counts c1 = { 0 };
        uint64_t r0 = requests(h);
        rc = ds_sync_open(&ss, &cfg);
        ok(rc == 0 && ds_sync_folders(ss, &c1) == 0 && requests(h) - r0 == 5,
           "tree: quick check alone: %llu requests\n", (unsigned long long)(requests(h) - r0));
        char *u = cat(root, "Inbox/");
        st_id inbox = rc ? 0 : find_folder(ds_sync_store(ss), u);
        ok(inbox && ds_sync_role_folder(ss, DS_ROLE_INBOX) == inbox && c1.folders == 4,
           "tree: Inbox found by the quick check, %llu folders\n", (unsigned long long)c1.folders);
        free(u);
        ds_sync_close(ss);
    }

    /* a changed message in a nested folder */
    snprintf(url, sizeof url, "%sA/Sub/0.eml", root);
    dav_put_plain(h, url, "Sub", 0, " Changed in a nested folder.");
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && c.changed == 1 && c.gets == 1 && c.folders_skipped == 3,
       "tree: nested change: %d changed %llu gets %llu skipped %llu\n", rc,
       (unsigned long long)c.changed, (unsigned long long)c.gets,
       (unsigned long long)c.folders_skipped);

    /* a folder renamed (Xandikos: displayname; MOVE of a collection is 405) */
    snprintf(url, sizeof url, "%sB/", root);
    dav_displayname(h, url, "Bee");
    rc = sync_counted(h, &cfg, &c, &req);
    st_store *s = NULL;
    st_store_open(&s, store, NULL, 0);
    st_id bf = find_folder(s, url), rootf = 0, ipm = 0, got = 0;
    st_folder_root(s, &rootf);
    st_folder_find_by_name(s, &ipm, rootf, "Top of Information Store");
    ok(rc == 0 && bf && st_folder_find_by_name(s, &got, ipm, "Bee") == 0 && got == bf,
       "tree: renamed folder: %d\n", rc);
    st_store_close(s);
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && req == 5 && tree_mark(store, 0) == 'y', "tree: no change again: %llu requests,"
       " ctags still trusted\n", (unsigned long long)req);

    /* a new subfolder under B: Xandikos's ctag of B stays, so the quick
     * check does not see it; the walk after TREE_REFRESH_S does, and finds
     * the ctag did not cover it: from then on the tree is listed */
    snprintf(url, sizeof url, "%sB/New/", root);
    dav_mkcol(h, url);
    for (int n = 0; n < 2; n++) {
        char item[600];
        snprintf(item, sizeof item, "%s%d.eml", url, n);
        dav_put_plain(h, item, "New", n, NULL);
    }
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && req == 5 && c.folders_created == 0, "tree: new subfolder under an unchanged"
       " ctag not seen before the refresh: %llu requests, created %llu\n",
       (unsigned long long)req, (unsigned long long)c.folders_created);
    tree_mark(store, 1);
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && c.folders_created == 1 && c.new_items == 2, "tree: new subfolder after the"
       " refresh: %d created %llu new %llu\n", rc, (unsigned long long)c.folders_created,
       (unsigned long long)c.new_items);
    ok(tree_mark(store, 0) == 'n', "tree: the ctag proved not to cover subcollections\n");
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && req == 6 && c.gets == 0, "tree: no change after the proof: still the quick"
       " check, Depth 0 of the root and 5 folders: %llu requests\n", (unsigned long long)req);

    /* a deleted folder */
    snprintf(url, sizeof url, "%sA/Sub/", root);
    dav_del(h, url);
    rc = sync_counted(h, &cfg, &c, &req);
    st_store_open(&s, store, NULL, 0);
    ok(rc == 0 && c.folders_deleted == 1 && find_folder(s, url) == 0, "tree: deleted folder:"
       " %d deleted %llu\n", rc, (unsigned long long)c.folders_deleted);
    st_store_close(s);
    free(store);
    free(root);

    /* a folder deleted while the ctags are trusted: its Depth 0 is a 404 */
    root = cat(base, "user/tree2/");
    store = cat(fixdir, "/tree2.sqlite");
    dav_mkcol(h, root);
    snprintf(url, sizeof url, "%sX/", root);
    dav_mkcol(h, url);
    snprintf(url, sizeof url, "%sX/Y/", root);
    dav_mkcol(h, url);
    cfg = config(root, store, h);
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && c.folders_created == 2, "tree2: first sync %d\n", rc);
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && req == 3, "tree2: no change: %llu requests\n", (unsigned long long)req);
    {   /* a walk record that does not parse: walked, and recorded again */
        st_store *s2 = NULL;
        st_id rf = 0, ipm2 = 0;
        st_store_open(&s2, store, NULL, 0);
        st_folder_root(s2, &rf);
        st_folder_find_by_name(s2, &ipm2, rf, "Top of Information Store");
        ok(st_folder_sync_set(s2, ipm2, NULL, TREE_MARK "x:y:", NULL) == 0, "tree2: bad record\n");
        st_store_close(s2);
        rc = sync_counted(h, &cfg, &c, &req);
        ok(rc == 0 && req == 6 && c.folders_skipped == 2 && tree_mark(store, 0) == 'y',
           "tree2: bad record: walked, %llu requests\n", (unsigned long long)req);
        rc = sync_counted(h, &cfg, &c, &req);
        ok(rc == 0 && req == 3, "tree2: then no change: %llu requests\n", (unsigned long long)req);
    }
    dav_del(h, url);
    rc = sync_counted(h, &cfg, &c, &req);
    ok(rc == 0 && c.folders_deleted == 1 && tree_mark(store, 0) == 'n', "tree2: deleted under"
       " trust: %d deleted %llu\n", rc, (unsigned long long)c.folders_deleted);
    free(store);
    free(root);
}

int main(void)
{
    const char *base = test_env("MAPIDAV_TEST_XANDIKOS_URL");
    const char *proxy = test_env("MAPIDAV_TEST_PROXY_URL");
    fixdir = test_env("MAPIDAV_TEST_FIXTURE_DIR");
    char *logpath = cat(fixdir, "/sync-xandikos.log"), url[512];
    st_log_open_file(logpath, 0, 0);
    st_log_configure("davsync=info");
    ds_sync_counts c;
    int rc;

    ds_http *h = dav_client(NULL, NULL, 4);
    char *root = cat(base, "user/mail/");
    static const char *const folders[] = { "Inbox/", "Sent%20Items/", "Archive/", "Archive/2025/" };
    static const int nitems[] = { 40, 5, 5, 3 };
    enum { NFOLDERS = 4 };
    dav_mkcol(h, root);
    int total = 0;
    for (int f = 0; f < NFOLDERS; f++) {
        char *u = cat(root, folders[f]);
        dav_mkcol(h, u);
        for (int n = 0; n < nitems[f]; n++) {
            snprintf(url, sizeof url, "%s%d.eml", u, n);
            dav_put_plain(h, url, folders[f], n, NULL);
            total++;
        }
        free(u);
    }
    char *inbox_url = cat(root, "Inbox/");

    /* ---- initial sync: sync-collection everywhere ---- */
    char *store = cat(fixdir, "/x1.sqlite");
    ds_sync_config cfg = config(root, store, h);
    rc = ds_sync_once(&c, &cfg);
    ok(rc == 0, "first sync: %d %s\n", rc, st_error_last());
    ok(c.folders == NFOLDERS && c.folders_created == NFOLDERS, "folders %llu created %llu\n",
       (unsigned long long)c.folders, (unsigned long long)c.folders_created);
    ok(c.new_items == (uint64_t)total && c.gets == (uint64_t)total && c.failed == 0,
       "new %llu gets %llu failed %llu (want %d)\n", (unsigned long long)c.new_items,
       (unsigned long long)c.gets, (unsigned long long)c.failed, total);
    st_store *s = NULL;
    rc = st_store_open(&s, store, NULL, 0);
    ok(rc == 0, "open store: %d %s\n", rc, st_error_last());
    if (rc)
        return test_done();
    check_state(s, root, folders, NFOLDERS);
    st_id rootf = 0, ipm = 0, f = 0, inbox = find_folder(s, inbox_url);
    st_folder_root(s, &rootf);
    st_folder_find_by_name(s, &ipm, rootf, "Top of Information Store");
    ok(st_folder_find_by_name(s, &f, ipm, "Sent Items") == 0, "display name Sent Items\n");
    ok(st_folder_find_by_name(s, &f, ipm, "Archive") == 0 &&
       st_folder_find_by_name(s, &f, f, "2025") == 0, "Archive/2025\n");
    ok(count_msgs(s, inbox) == 40, "inbox %zu\n", count_msgs(s, inbox));
    {   /* the walk fetched part of the empty Inbox from its Depth 1 listing
         * (sync_folders.c stream_step); its down-sync still took the rest
         * by sync-collection and kept the token */
        char *t = folder_token(s, inbox);
        ok(t && *t && strncmp(t, "mapidav:", 8) != 0, "Inbox token after the first sync: %s\n",
           t ? t : "-");
        free(t);
    }

    /* ---- nothing changed: the quick check only (PROPFIND Depth 0 of the
     * root and of each of the 4 collections, no Depth 1) ---- */
    uint64_t r0 = requests(h);
    rc = ds_sync_once(&c, &cfg);
    uint64_t r1 = requests(h);
    ok(rc == 0 && c.gets == 0 && c.folders_skipped == NFOLDERS, "no-change sync: %d gets %llu"
       " skipped %llu\n", rc, (unsigned long long)c.gets, (unsigned long long)c.folders_skipped);
    ok(r1 - r0 == 5, "requests of a no-change sync: %llu (want 5: Depth 0 of the root and"
       " of each folder)\n", (unsigned long long)(r1 - r0));

    /* ---- a second client: change one, delete one, add one ---- */
    char *tok0 = folder_token(s, inbox);
    {
        snprintf(url, sizeof url, "%s3.eml", inbox_url);
        dav_put_plain(h, url, "Inbox/", 3, " Changed, and longer.");
        snprintf(url, sizeof url, "%s4.eml", inbox_url);
        dav_del(h, url);
        snprintf(url, sizeof url, "%snew.eml", inbox_url);
        dav_put_plain(h, url, "New", 1, NULL);
    }
    r0 = requests(h);
    rc = ds_sync_once(&c, &cfg);
    r1 = requests(h);
    ok(rc == 0 && c.gets == 2 && c.new_items == 1 && c.changed == 1 && c.deleted == 1,
       "delta sync: %d gets %llu new %llu changed %llu deleted %llu\n", rc,
       (unsigned long long)c.gets, (unsigned long long)c.new_items,
       (unsigned long long)c.changed, (unsigned long long)c.deleted);
    ok(c.items == 2 && c.folders_skipped == NFOLDERS - 1, "only the changes listed: items %llu,"
       " skipped %llu\n", (unsigned long long)c.items, (unsigned long long)c.folders_skipped);
    ok(r1 - r0 == 5 + 10 + 1 + 2, "requests of the delta sync: %llu (quick check, walk, one"
       " REPORT, two GETs)\n",
       (unsigned long long)(r1 - r0));
    char *tok1 = folder_token(s, inbox);
    ok(*tok1 && strcmp(tok0, tok1) != 0, "token advanced: %s -> %s\n", tok0, tok1);
    ok(count_msgs(s, inbox) == 40 && count_dups(s, inbox) == 0, "inbox %zu\n", count_msgs(s, inbox));
    snprintf(url, sizeof url, "%s4.eml", inbox_url);
    ok(find_href(s, url) == 0, "deleted one is gone\n");
    {
        snprintf(url, sizeof url, "%s3.eml", inbox_url);
        st_bag *b = NULL;
        st_id mid = find_href(s, url);
        ok(mid && st_message_get(s, &b, mid) == 0, "changed one\n");
        const st_value *v = b ? st_bag_get(b, PR_BODY_W) : NULL;
        ok(v && strstr(v->v.str, "Changed, and longer"), "changed body: %s\n", v ? v->v.str : "-");
        st_bag_free(b);
    }
    free(tok0);

    /* ---- a token the server refuses: a full listing, no duplicates ---- */
    {
        ok(st_folder_sync_set(s, inbox, NULL, "http://invalid.example/sync/1", "") == 0, "bad token\n");
        snprintf(url, sizeof url, "%safter-bad.eml", inbox_url);
        dav_put_plain(h, url, "AfterBad", 1, NULL);
        rc = ds_sync_once(&c, &cfg);
        ok(rc == 0 && c.new_items == 1 && c.gets == 1 && c.deleted == 0 && c.changed == 0,
           "after a refused token: %d new %llu gets %llu deleted %llu changed %llu\n", rc,
           (unsigned long long)c.new_items, (unsigned long long)c.gets,
           (unsigned long long)c.deleted, (unsigned long long)c.changed);
        ok(count_msgs(s, inbox) == 41 && count_dups(s, inbox) == 0, "inbox %zu, no duplicates\n",
           count_msgs(s, inbox));
        char *tok = folder_token(s, inbox);
        ok(*tok && strcmp(tok, "http://invalid.example/sync/1") != 0 && strcmp(tok, NO_REPORT) != 0,
           "a fresh token: %s\n", tok);
        free(tok);
        total++;
    }
    ok(journal_len(s) == 0, "journal %zu\n", journal_len(s));

    /* ---- a listed ctag is used once: a folder synced again without a new
     * folder listing is listed, not skipped on the old ctag ---- */
    {
        ds_sync *ss = NULL;
        ds_sync_counts c1 = { 0 }, c2 = { 0 };
        rc = ds_sync_open(&ss, &cfg);
        ok(rc == 0 && ds_sync_folders(ss, &c1) == 0, "open and list folders: %d\n", rc);
        rc = ds_sync_folder_down(ss, inbox, &c1);
        ok(rc == 0 && c1.folders_skipped == 1 && c1.gets == 0, "unchanged: skipped %llu\n",
           (unsigned long long)c1.folders_skipped);
        snprintf(url, sizeof url, "%slater.eml", inbox_url);
        dav_put_plain(h, url, "Later", 1, NULL);
        rc = ds_sync_folder_down(ss, inbox, &c2);
        ok(rc == 0 && c2.folders_skipped == 0 && c2.new_items == 1 && c2.gets == 1,
           "again without a listing: %d skipped %llu new %llu\n", rc,
           (unsigned long long)c2.folders_skipped, (unsigned long long)c2.new_items);
        ds_sync_close(ss);
        total++;
    }
    ok(count_msgs(s, inbox) == 42 && count_dups(s, inbox) == 0, "inbox %zu\n", count_msgs(s, inbox));
    st_store_close(s);

    /* ---- 507 paging through the proxy: 7 members an answer ---- */
    {
        char *proot = cat(proxy, "user/mail/");
        char *pstore = cat(fixdir, "/x2.sqlite");
        proxy_rules(h, proxy, "page:7 REPORT /user/mail/Inbox/ -1\n");
        ds_sync_config pc = config(proot, pstore, h);
        rc = ds_sync_once(&c, &pc);
        char *hits = proxy_call(h, proxy, "hits");
        ok(rc == 0 && c.new_items == (uint64_t)total && c.gets == (uint64_t)total,
           "paged sync: %d new %llu gets %llu (want %d)\n", rc, (unsigned long long)c.new_items,
           (unsigned long long)c.gets, total);
        ok(proxy_hits(hits, 0) == 6, "pages asked: %d (42 members, 7 a page)\n", proxy_hits(hits, 0));
        free(hits);
        st_store *s2 = NULL;
        st_store_open(&s2, pstore, NULL, 0);
        char *pin = cat(proot, "Inbox/");
        st_id pf = find_folder(s2, pin);
        char *tok = folder_token(s2, pf);
        ok(count_msgs(s2, pf) == 42 && count_dups(s2, pf) == 0, "paged inbox %zu\n", count_msgs(s2, pf));
        ok(*tok && strncmp(tok, "proxypage:", 10) != 0, "the real token stored at the end: %s\n", tok);
        free(tok);
        /* 403 and 409 with DAV:valid-sync-token (RFC 6578 3.2) to the delta:
         * a full listing, no duplicates, sync-collection kept */
        for (int k = 0; k < 2; k++) {
            char rule[128];
            snprintf(rule, sizeof rule, "status:%d REPORT /user/mail/Inbox/ 1\n", k ? 409 : 403);
            proxy_rules(h, proxy, rule);
            snprintf(url, sizeof url, "%srefused-%d.eml", inbox_url, k);
            dav_put_plain(h, url, "Refused", k, NULL);
            rc = ds_sync_once(&c, &pc);
            hits = proxy_call(h, proxy, "hits");
            ok(rc == 0 && c.new_items == 1 && c.gets == 1 && c.deleted == 0 && proxy_hits(hits, 0) == 1,
               "%d to the token: %d new %llu gets %llu\n", k ? 409 : 403, rc,
               (unsigned long long)c.new_items, (unsigned long long)c.gets);
            free(hits);
            tok = folder_token(s2, pf);
            ok(*tok && strcmp(tok, NO_REPORT) != 0, "still sync-collection: %s\n", tok);
            free(tok);
            ok(count_msgs(s2, pf) == 43 + (size_t)k && count_dups(s2, pf) == 0, "inbox %zu\n",
               count_msgs(s2, pf));
            total++;
        }
        st_store_close(s2);
        proxy_rules(h, proxy, "");
        free(pin);
        free(pstore);
        free(proot);
    }

    /* ---- an interrupted initial sync resumes: nothing fetched twice ---- */
    {
        char *rstore = cat(fixdir, "/x3.sqlite");
        ds_http *h2 = dav_client(NULL, NULL, 1);
        aborter a = { .h = h2, .after = 12 };
        atomic_init(&a.fetched, 0);
        st_thread *t = NULL;
        ok(st_thread_start(&t, aborter_thread, &a) == 0, "thread\n");
        ds_sync_config ac = config(root, rstore, h2);
        ac.max_connections = 1;
        ac.progress = aborter_progress;
        ac.progress_arg = &a;
        rc = ds_sync_once(&c, &ac);
        st_thread_join(t);
        uint64_t first = c.new_items;
        ok(rc == DS_ECANCELLED && first >= 12 && first < 44, "aborted: %s after %llu\n",
           ds_error_name(rc), (unsigned long long)first);
        st_store *s3 = NULL;
        st_store_open(&s3, rstore, NULL, 0);
        st_id rf = find_folder(s3, inbox_url);
        char *tok = folder_token(s3, rf);
        ok(*tok == 0, "no token for the unfinished folder: %s\n", tok);
        free(tok);
        ds_sync_config rc2 = config(root, rstore, h);
        rc = ds_sync_once(&c, &rc2);
        ok(rc == 0 && c.new_items == (uint64_t)total - first && c.gets == (uint64_t)total - first,
           "resumed: %d new %llu gets %llu (first %llu)\n", rc, (unsigned long long)c.new_items,
           (unsigned long long)c.gets, (unsigned long long)first);
        ok(count_msgs(s3, rf) == 44 && count_dups(s3, rf) == 0, "resumed inbox %zu\n",
           count_msgs(s3, rf));
        check_state(s3, root, folders, NFOLDERS);
        st_store_close(s3);
        ds_http_free(h2);
        free(rstore);
    }

    /* ---- a delta bigger than the one-by-one lookup (70 new in Archive/) ---- */
    {
        char *arch = cat(root, "Archive/");
        for (int n = 0; n < 70; n++) {
            snprintf(url, sizeof url, "%smore-%02d.eml", arch, n);
            dav_put_plain(h, url, "More", n, NULL);
        }
        rc = ds_sync_once(&c, &cfg);
        /* (and the two of the 403/409 checks in Inbox) */
        ok(rc == 0 && c.new_items == 72 && c.gets == 72 && c.items == 72 && c.deleted == 0,
           "big delta: %d new %llu gets %llu items %llu deleted %llu\n", rc,
           (unsigned long long)c.new_items, (unsigned long long)c.gets,
           (unsigned long long)c.items, (unsigned long long)c.deleted);
        st_store_open(&s, store, NULL, 0);
        st_id af = find_folder(s, arch);
        ok(count_msgs(s, af) == 75 && count_dups(s, af) == 0, "archive %zu\n", count_msgs(s, af));
        st_store_close(s);
        free(arch);
    }

    test_tree(h, base);

    free(tok1);
    free(inbox_url);
    free(store);
    free(root);
    free(logpath);
    ds_http_free(h);
    st_log_close();
    return test_done();
}
