/*
 * test_storage_search.c: search folders (storage/search.c) with Outlook's
 * Reminders folder as the case: the restriction codec ([MS-OXCDATA] 2.12)
 * round trip and its refusal of damaged bytes; create, set criteria,
 * initial fill; results kept exact for every kind of change (create,
 * modify, read flag, move in and out of scope, copy, delete, bulk import
 * with ST_FROM_SERVER) with events naming the search folder; recursive
 * scope with a new subfolder and a moved folder; stop and restart; no
 * messages of its own; a deleted scope folder leaves the scope; a contents
 * table over the search folder (sort, restriction, categories, counts,
 * notifications); content criteria over the trigram index; lost events;
 * reopen after close; migration of version 1 and 2 files with content.
 *
 * Kill safety is the transactions': results, their counts and the criteria
 * are written in the transaction of the message change (search.c), which
 * test_storage_kill exercises for every change; here st_store_check
 * confirms the store after each phase.
 */
#include <sqlite3.h>

#include "storage/props_rescodec.h"
#include "storage/table.h"
#include "storage/storage_int.h"
#include "test_storage_util.h"
#include "reminders_util.h"


/* ---- events ---- */
static st_event evs[4096];
static size_t n_evs;

static void on_events(void *ctx, const st_event *e, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n && n_evs < sizeof evs / sizeof evs[0]; i++)
        evs[n_evs++] = e[i];
}

/* How many events of type about message id in folder fid arrived since the
 * last call (which then clears the list when reset). */
static int seen(int type, st_id id, st_id fid)
{
    int k = 0;
    for (size_t i = 0; i < n_evs; i++)
        if (evs[i].type == type && evs[i].id == id && evs[i].folder == fid &&
                evs[i].kind == ST_JKIND_MESSAGE)
            k++;
    return k;
}

static void clear_events(void)
{
    n_evs = 0;
}

/* ---- helpers ---- */


static st_bag *item(const char *subject, const char *cls, int reminder, int read)
{
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_SUBJECT_W, subject);
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, cls);
    if (reminder >= 0)
        st_bag_set_bool(b, T_REMINDER_SET, reminder);
    st_bag_set_long(b, PR_MESSAGE_FLAGS, read ? 1 : 0);
    st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, UINT64_C(133000000000000000) +
        (uint64_t)(unsigned char)subject[0] * 1000);
    return b;
}

static st_id mk(st_store *s, st_id fid, const char *subject, const char *cls, int reminder,
    int read, unsigned flags)
{
    st_bag *b = item(subject, cls, reminder, read);
    st_id id = 0;
    int r = st_message_create(s, &id, fid, b, flags);
    ok(r == 0, "create %s: %d %s\n", subject, r, st_error_last());
    st_bag_free(b);
    return id;
}

static void counts(st_store *s, st_id fid, uint32_t content, uint32_t unread, int line)
{
    st_folder_counts c;
    int r = st_folder_counts_get(s, &c, fid);
    ok(r == 0 && c.content == content && c.unread == unread,
        "line %d: counts %u/%u, want %u/%u\n", line, c.content, c.unread, content, unread);
    st_bag *b = NULL;
    r = st_folder_get(s, &b, fid);
    const st_value *v = b ? st_bag_get(b, PR_CONTENT_COUNT) : NULL;
    ok(r == 0 && v && (uint32_t)v->v.l == content, "line %d: PR_CONTENT_COUNT\n", line);
    st_bag_free(b);
}

/* Is mid among the results (one table read)? */
static int in_results(st_store *s, st_id sid, st_id mid)
{
    st_table *t = NULL;
    if (st_table_open(&t, s, sid, ST_TABLE_CONTENTS))
        return -1;
    int found = 0;
    for (;;) {
        st_row *rows = NULL;
        size_t n = 0;
        if (st_table_query_rows(t, &rows, &n, 50, 0) || !n)
            break;
        for (size_t i = 0; i < n; i++) {
            const st_value *k = &rows[i].vals[0];
            st_id id = 0;
            for (int j = 0; j < 8 && k->v.bin.len == 8; j++)
                id |= (st_id)k->v.bin.data[j] << (8 * j);
            if (id == mid)
                found = 1;
        }
        st_rows_free(rows, n);
    }
    st_table_close(t);
    return found;
}

/* Outlook's Reminders criteria on sid over scope (recursive). */
static void set_reminders(st_store *s, st_id sid, st_id scope, int line)
{
    st_restriction *rem = test_reminders();
    int r = st_search_set(s, sid, rem, &scope, 1, ST_SEARCH_RECURSIVE);
    ok(r == 0, "line %d: set reminders: %d %s\n", line, r, st_error_last());
    st_res_free(rem);
}

static void check_store(st_store *s, int line)
{
    char *rep = NULL;
    int r = st_store_check(s, &rep);
    ok(r == 0, "line %d: store check: %s\n", line, rep ? rep : "");
    free(rep);
}

/* ---- the codec ---- */

static int same_bytes(const st_restriction *a, const st_restriction *b)
{
    uint8_t *x = NULL, *y = NULL;
    size_t lx = 0, ly = 0;
    int r = !st_res_encode(&x, &lx, a) && !st_res_encode(&y, &ly, b) && lx == ly &&
        !memcmp(x, y, lx);
    free(x);
    free(y);
    return r;
}

static void test_codec(void)
{
    st_restriction *r = test_reminders();
    uint8_t *bytes = NULL;
    size_t len = 0;
    ok(st_res_encode(&bytes, &len, r) == 0, "encode reminders\n");
    /* AND(3): 00 0300; EXIST: 08 tag */
    ok(len > 8 && bytes[0] == 0x00 && bytes[1] == 3 && bytes[2] == 0 && bytes[3] == 0x08,
        "AND header, EXIST first\n");
    st_restriction *back = NULL;
    ok(st_res_decode(&back, bytes, len) == 0 && back && same_bytes(r, back), "round trip\n");
    st_res_free(back);
    /* Every cut is refused, never read past. */
    int refused = 0;
    for (size_t i = 0; i < len; i++) {
        st_restriction *x = NULL;
        uint8_t *cut = malloc(i ? i : 1);
        memcpy(cut, bytes, i);
        refused += st_res_decode(&x, cut, i) == -1 && !x;
        free(cut);
    }
    ok(refused == (int)len, "all %zu prefixes refused (%d)\n", len, refused);
    free(bytes);
    st_res_free(r);

    /* Every node type and value type. */
    static const char *const strs[] = { "a", "\xF0\x9F\x98\x80 emoji", "" };
    st_value mv = st_view_mv_str(PROP_TAG(PT_MV_UNICODE, 0x8010), strs, 3);
    st_value s8 = st_view_str(PROP_TAG(PT_STRING8, 0x0037), "plain 8-bit");
    st_value bin = st_view_bin(PR_SEARCH_KEY, "\x00\x01\x02", 3);
    st_value i8 = st_view_i8(PROP_TAG(PT_I8, 0x8011), -5);
    st_value dbl = st_view_double(PROP_TAG(PT_DOUBLE, 0x8012), 2.5);
    st_value ft = st_view_systime(PR_MESSAGE_DELIVERY_TIME, UINT64_C(133000000000000000));
    st_guid g = tsu_guid;
    st_value gv = st_view_guid(PROP_TAG(PT_CLSID, 0x8013), &g);
    st_value cmt = st_view_str(PR_SUBJECT_W, "why");
    st_value uni = st_view_str(PR_SUBJECT_W, "Ärger");
    st_restriction *all = st_res_or(10,
        st_res_property(RELOP_EQ, PROP_TAG(PT_MV_UNICODE, 0x8010), &mv),
        st_res_property(RELOP_NE, PROP_TAG(PT_STRING8, 0x0037), &s8),
        st_res_content(FL_SUBSTRING, PR_SEARCH_KEY, &bin),
        st_res_property(RELOP_GT, PROP_TAG(PT_I8, 0x8011), &i8),
        st_res_property(RELOP_LE, PROP_TAG(PT_DOUBLE, 0x8012), &dbl),
        st_res_and(2, st_res_property(RELOP_GE, PR_MESSAGE_DELIVERY_TIME, &ft),
            st_res_property(RELOP_EQ, PROP_TAG(PT_CLSID, 0x8013), &gv)),
        st_res_compareprops(RELOP_LT, PR_SUBJECT_W, PR_BODY_W),
        st_res_bitmask(BMR_NEZ, PR_MESSAGE_FLAGS, 1),
        st_res_size(RELOP_GT, PR_BODY_W, 100),
        st_res_comment(&cmt, 1, st_res_sub(PR_MESSAGE_RECIPIENTS,
            st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &uni))));
    ok(all != NULL, "built\n");
    ok(st_res_encode(&bytes, &len, all) == 0, "encode all: %s\n", st_error_last());
    ok(st_res_decode(&back, bytes, len) == 0 && same_bytes(all, back), "round trip all\n");
    st_res_free(back);
    /* A byte too many, and a flipped type byte. */
    uint8_t *more = malloc(len + 1);
    memcpy(more, bytes, len);
    more[len] = 0;
    ok(st_res_decode(&back, more, len + 1) == -1 && !back, "trailing byte refused: %s\n",
        st_error_last());
    more[0] = 0x0B;   /* RES_COUNT: not in our model */
    ok(st_res_decode(&back, more, len) == -1 && !back, "RES_COUNT refused\n");
    free(more);
    free(bytes);
    st_res_free(all);
    st_value alone = st_view_long(PR_IMPORTANCE, 2);
    r = st_res_comment_alone(&alone, 1);
    ok(st_res_encode(&bytes, &len, r) == 0 && st_res_decode(&back, bytes, len) == 0 &&
        same_bytes(r, back), "comment without restriction\n");
    st_res_free(back);
    st_res_free(r);
    free(bytes);
    /* Nesting deeper than ST_RES_MAX_DEPTH: refused, no deep recursion. */
    uint8_t deep[200];
    memset(deep, 0x02, sizeof deep);   /* NOT NOT NOT ... */
    ok(st_res_decode(&back, deep, sizeof deep) == -1 && !back, "too deep refused\n");
}

/* ---- the store side ---- */

typedef struct world {
    st_store *s;
    st_id root, ipm, inbox, cal, tasks, outside, finder, sid;
} world;

static void make_world(world *w, const char *name)
{
    w->s = tsu_store(name, &w->root, NULL);
    w->ipm = tsu_folder(w->s, w->root, "IPM_SUBTREE", ST_FROM_SERVER);
    w->inbox = tsu_folder(w->s, w->ipm, "Inbox", ST_FROM_SERVER);
    w->cal = tsu_folder(w->s, w->ipm, "Calendar", ST_FROM_SERVER);
    w->tasks = tsu_folder(w->s, w->ipm, "Tasks", ST_FROM_SERVER);
    w->outside = tsu_folder(w->s, w->root, "Outside", ST_FROM_SERVER);
    w->finder = tsu_folder(w->s, w->root, "Finder", 0);
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, "Reminders");
    int r = st_folder_create(w->s, &w->sid, w->finder, b, ST_FOLDER_SEARCH);
    ok(r == 0 && w->sid, "search folder: %d %s\n", r, st_error_last());
    st_bag_free(b);
    b = NULL;
    st_folder_get(w->s, &b, w->sid);
    const st_value *ft = b ? st_bag_get(b, PR_FOLDER_TYPE) : NULL;
    ok(ft && ft->v.l == FOLDER_SEARCH, "PR_FOLDER_TYPE FOLDER_SEARCH\n");
    st_bag_free(b);
}

static void test_lifecycle(void)
{
    world w;
    make_world(&w, "life.sqlite");
    st_store *s = w.s;
    uint64_t tok = 0;
    ok(st_store_listen(s, &tok, on_events, NULL) == 0, "listen\n");

    /* Before criteria: empty, get says no criteria, no journal entry for it. */
    st_restriction *got = NULL;
    size_t n = 9;
    unsigned fl = 9;
    ok(st_search_get(s, w.sid, &got, NULL, &n, &fl) == 0 && !got && n == 0 && fl == 0,
        "get before set\n");
    ok(st_search_get(s, w.inbox, NULL, NULL, NULL, NULL) == ST_ENOTFOUND, "not a search folder\n");
    ok(st_search_set(s, w.inbox, NULL, NULL, 0, 0) == ST_ERROR, "set on a plain folder\n");
    size_t pend = 9;
    st_journal_count(s, &pend, ST_JSTATE_PENDING);
    ok(pend == 1, "only Finder journaled, not the search folder: %zu\n", pend);

    /* Existing messages. */
    st_id a = mk(s, w.inbox, "a due", "IPM.Note", 1, 0, ST_FROM_SERVER);
    st_id b = mk(s, w.tasks, "b task", "IPM.Task", 1, 1, ST_FROM_SERVER);
    st_id c = mk(s, w.cal, "c meeting req", "IPM.Schedule.Meeting.Request", 1, 0, ST_FROM_SERVER);
    st_id d = mk(s, w.inbox, "d no reminder", "IPM.Note", 0, 0, ST_FROM_SERVER);
    st_id e = mk(s, w.inbox, "e none", "IPM.Note", -1, 0, ST_FROM_SERVER);
    st_id f = mk(s, w.outside, "f outside", "IPM.Note", 1, 0, ST_FROM_SERVER);
    (void)d;
    (void)e;

    /* Set: the initial fill. */
    st_restriction *rem = test_reminders();
    clear_events();
    int r = st_search_set(s, w.sid, rem, &w.ipm, 1, ST_SEARCH_RECURSIVE);
    ok(r == 0, "set: %d %s\n", r, st_error_last());
    counts(s, w.sid, 2, 1, __LINE__);
    ok(seen(ST_EV_CREATED, a, w.sid) == 1 && seen(ST_EV_CREATED, b, w.sid) == 1 &&
        seen(ST_EV_CREATED, c, w.sid) == 0, "fill events\n");
    ok(in_results(s, w.sid, a) == 1 && in_results(s, w.sid, b) == 1 &&
        in_results(s, w.sid, c) == 0 && in_results(s, w.sid, f) == 0, "fill rows\n");
    st_id *scope = NULL;
    ok(st_search_get(s, w.sid, &got, &scope, &n, &fl) == 0 && got && same_bytes(got, rem) &&
        n == 1 && scope[0] == w.ipm && fl == ST_SEARCH_RECURSIVE, "get after set\n");
    st_res_free(got);
    free(scope);
    check_store(s, __LINE__);

    /* Create (local), modify out and in, read flag. */
    clear_events();
    st_id g = mk(s, w.inbox, "g new", "IPM.Note", 1, 0, 0);
    ok(seen(ST_EV_CREATED, g, w.sid) == 1, "created -> result event\n");
    counts(s, w.sid, 3, 2, __LINE__);
    clear_events();
    st_bag *set = st_bag_new();
    st_bag_set_bool(set, T_REMINDER_SET, 0);
    ok(st_message_set_props(s, g, set, NULL, 0, 0) == 0, "clear reminder\n");
    ok(seen(ST_EV_DELETED, g, w.sid) == 1, "modified out -> deleted event\n");
    counts(s, w.sid, 2, 1, __LINE__);
    st_bag_set_bool(set, T_REMINDER_SET, 1);
    clear_events();
    ok(st_message_set_props(s, g, set, NULL, 0, 0) == 0, "set reminder\n");
    ok(seen(ST_EV_CREATED, g, w.sid) == 1, "modified in -> created event\n");
    clear_events();
    st_bag_set_str(set, PR_SUBJECT_W, "g renamed");
    ok(st_message_set_props(s, g, set, NULL, 0, 0) == 0, "rename\n");
    ok(seen(ST_EV_MODIFIED, g, w.sid) == 1, "modified -> modified event\n");
    st_bag_free(set);
    clear_events();
    ok(st_message_set_read(s, g, 1, 0) == 0, "read\n");
    ok(seen(ST_EV_MODIFIED, g, w.sid) == 1, "read -> modified event\n");
    counts(s, w.sid, 3, 1, __LINE__);
    ok(st_message_set_read(s, g, 0, 0) == 0, "unread\n");
    counts(s, w.sid, 3, 2, __LINE__);

    /* Moves out of scope and back, copy, delete. */
    clear_events();
    ok(st_message_move(s, g, w.outside, 0) == 0, "move out\n");
    ok(seen(ST_EV_DELETED, g, w.sid) == 1, "moved out -> deleted event\n");
    counts(s, w.sid, 2, 1, __LINE__);
    clear_events();
    ok(st_message_move(s, g, w.tasks, 0) == 0, "move in\n");
    ok(seen(ST_EV_CREATED, g, w.sid) == 1, "moved in -> created event\n");
    ok(st_message_move(s, f, w.cal, 0) == 0, "f moves in\n");
    counts(s, w.sid, 4, 3, __LINE__);
    st_id h = 0;
    clear_events();
    ok(st_message_copy(s, &h, a, w.cal, 0) == 0 && h, "copy\n");
    ok(seen(ST_EV_CREATED, h, w.sid) == 1, "copy -> created event\n");
    counts(s, w.sid, 5, 4, __LINE__);
    clear_events();
    ok(st_message_delete(s, h, 0) == 0, "delete\n");
    ok(seen(ST_EV_DELETED, h, w.sid) == 1, "deleted -> deleted event\n");
    counts(s, w.sid, 4, 3, __LINE__);
    check_store(s, __LINE__);

    /* A search folder holds no messages of its own. */
    st_id x = 0;
    st_bag *xb = item("x", "IPM.Note", 1, 0);
    ok(st_message_create(s, &x, w.sid, xb, 0) == ST_ERROR && strstr(st_error_last(), "search"),
        "create in a search folder refused: %s\n", st_error_last());
    ok(st_message_move(s, a, w.sid, 0) == ST_ERROR, "move into refused\n");
    ok(st_message_copy(s, &x, a, w.sid, 0) == ST_ERROR, "copy into refused\n");
    st_bag_free(xb);
    counts(s, w.sid, 4, 3, __LINE__);

    /* Bulk import (the sync thread, ST_FROM_SERVER): new, updated, deleted. */
    st_import *imp = NULL;
    ok(st_import_begin(&imp, s, 50) == 0, "import begin\n");
    st_bag *ib = item("i imported", "IPM.Note", 1, 0);
    st_bag *jb = item("j imported", "IPM.Note", 0, 0);
    st_id i1 = 0, j1 = 0;
    clear_events();
    ok(st_import_message(imp, &i1, w.inbox, ib, NULL, 0, "/inbox/i.eml", "\"1\"") == 0 &&
        st_import_message(imp, &j1, w.inbox, jb, NULL, 0, "/inbox/j.eml", "\"1\"") == 0,
        "import two\n");
    ok(st_import_end(imp) == 0, "import end\n");
    ok(seen(ST_EV_CREATED, i1, w.sid) == 1 && seen(ST_EV_CREATED, j1, w.sid) == 0,
        "import -> created event for the match only\n");
    int from_server = 0;
    for (size_t k = 0; k < n_evs; k++)
        if (evs[k].id == i1 && evs[k].folder == w.sid)
            from_server = evs[k].from_server;
    ok(from_server, "the result event says from_server\n");
    counts(s, w.sid, 5, 4, __LINE__);
    ok(st_import_begin(&imp, s, 50) == 0, "import begin 2\n");
    st_bag_set_bool(ib, T_REMINDER_SET, 0);
    st_bag_set_bool(jb, T_REMINDER_SET, 1);
    clear_events();
    ok(st_import_message(imp, NULL, w.inbox, ib, NULL, 0, "/inbox/i.eml", "\"2\"") == 0 &&
        st_import_message(imp, NULL, w.inbox, jb, NULL, 0, "/inbox/j.eml", "\"2\"") == 0,
        "import updates\n");
    ok(st_import_end(imp) == 0, "import end 2\n");
    ok(seen(ST_EV_DELETED, i1, w.sid) == 1 && seen(ST_EV_CREATED, j1, w.sid) == 1,
        "import update events\n");
    ok(st_import_begin(&imp, s, 50) == 0 && st_import_delete(imp, j1) == 0 &&
        st_import_end(imp) == 0, "import delete\n");
    counts(s, w.sid, 4, 3, __LINE__);
    st_bag_free(ib);
    st_bag_free(jb);

    /* Recursive scope: a new subfolder, and a folder moved out of and back
     * into the subtree. */
    st_id sub = tsu_folder(s, w.inbox, "Sub", 0);
    st_id k1 = mk(s, sub, "k in sub", "IPM.Note", 1, 0, 0);
    ok(in_results(s, w.sid, k1) == 1, "new subfolder searched\n");
    counts(s, w.sid, 5, 4, __LINE__);
    clear_events();
    ok(st_folder_move(s, sub, w.outside, NULL, 0) == 0, "subfolder moves out\n");
    ok(in_results(s, w.sid, k1) == 0 && seen(ST_EV_DELETED, k1, w.sid) == 1,
        "moved folder leaves the scope\n");
    ok(st_folder_move(s, sub, w.tasks, NULL, 0) == 0, "subfolder moves back\n");
    ok(in_results(s, w.sid, k1) == 1, "moved folder back in the scope\n");
    check_store(s, __LINE__);

    /* Stop: results frozen; a delete still removes; restart refills. */
    ok(st_search_set(s, w.sid, NULL, NULL, 0, ST_SEARCH_RECURSIVE | ST_SEARCH_STOPPED) == 0,
        "stop: %s\n", st_error_last());
    ok(st_search_get(s, w.sid, &got, NULL, NULL, &fl) == 0 && got && same_bytes(got, rem) &&
        (fl & ST_SEARCH_STOPPED), "criteria kept while stopped\n");
    st_res_free(got);
    st_id l1 = mk(s, w.inbox, "l while stopped", "IPM.Note", 1, 0, 0);
    ok(in_results(s, w.sid, l1) == 0, "not added while stopped\n");
    ok(st_message_move(s, a, w.outside, 0) == 0, "a moves out while stopped\n");
    ok(in_results(s, w.sid, a) == 1, "kept while stopped\n");
    ok(st_message_delete(s, k1, 0) == 0 && in_results(s, w.sid, k1) == 0,
        "deleted while stopped: removed\n");
    clear_events();
    ok(st_search_set(s, w.sid, NULL, NULL, 0, ST_SEARCH_RECURSIVE) == 0, "restart\n");
    ok(in_results(s, w.sid, l1) == 1 && in_results(s, w.sid, a) == 0 &&
        seen(ST_EV_CREATED, l1, w.sid) == 1 && seen(ST_EV_DELETED, a, w.sid) == 1,
        "restart refills with events\n");
    check_store(s, __LINE__);

    /* A second, shallow search over two folders; one of them is deleted. */
    st_bag *fb = st_bag_new();
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Shallow");
    st_id s2 = 0;
    ok(st_folder_create(s, &s2, w.finder, fb, ST_FOLDER_SEARCH) == 0, "second search\n");
    st_bag_free(fb);
    st_id temp = tsu_folder(s, w.root, "Temp", 0);
    st_id m1 = mk(s, temp, "m temp", "IPM.Note", 1, 0, 0);
    st_id sc2[2] = { w.inbox, temp };
    ok(st_search_set(s, s2, rem, sc2, 2, 0) == 0, "set shallow\n");
    ok(in_results(s, s2, m1) == 1 && in_results(s, s2, l1) == 1, "shallow results\n");
    st_id sub2 = tsu_folder(s, w.inbox, "Sub2", 0);
    st_id n1 = mk(s, sub2, "n in sub2", "IPM.Note", 1, 0, 0);
    ok(in_results(s, s2, n1) == 0 && in_results(s, w.sid, n1) == 1,
        "shallow: subfolder not searched; recursive: it is\n");
    ok(st_search_set(s, temp, rem, sc2, 2, 0) == ST_ERROR, "a plain folder cannot be set\n");
    st_id bad_scope = s2;
    ok(st_search_set(s, w.sid, NULL, &bad_scope, 1, 0) == ST_ERROR,
        "a search folder cannot be in a scope\n");
    ok(st_folder_delete(s, temp, ST_RECURSIVE) == 0, "delete a scope folder\n");
    ok(st_search_get(s, s2, NULL, &scope, &n, NULL) == 0 && n == 1 && scope[0] == w.inbox,
        "scope shrank\n");
    free(scope);
    counts(s, s2, 1, 1, __LINE__);
    ok(st_folder_delete(s, s2, 0) == 0,
        "a search folder with results deletes (not ENOTEMPTY): %s\n", st_error_last());
    check_store(s, __LINE__);

    /* Reopen: criteria, scope, results and counts are in the file. */
    st_folder_counts before;
    st_folder_counts_get(s, &before, w.sid);
    st_store_unlisten(s, tok);
    st_store_close(s);
    s = NULL;
    ok(st_store_open(&s, tsu_path("life.sqlite"), &tsu_guid, 0) == 0, "reopen\n");
    counts(s, w.sid, before.content, before.unread, __LINE__);
    ok(st_search_get(s, w.sid, &got, NULL, &n, &fl) == 0 && got && same_bytes(got, rem) &&
        fl == ST_SEARCH_RECURSIVE, "criteria after reopen\n");
    st_res_free(got);
    ok(mk(s, w.cal, "o after reopen", "IPM.Note", 1, 0, 0) &&
        st_folder_counts_get(s, &before, w.sid) == 0, "create after reopen\n");
    counts(s, w.sid, before.content, before.unread, __LINE__);
    check_store(s, __LINE__);
    st_res_free(rem);
    st_store_close(s);
}

/* A contents table over the search folder: every table feature. */
static void test_table(void)
{
    world w;
    make_world(&w, "table.sqlite");
    st_store *s = w.s;
    static const char *const names[] = { "delta", "alpha", "echo", "charlie", "bravo" };
    st_id ids[5];
    for (int i = 0; i < 5; i++)
        ids[i] = mk(s, i % 2 ? w.inbox : w.tasks, names[i], i % 2 ? "IPM.Note" : "IPM.Task", 1,
            i == 2, ST_FROM_SERVER);
    mk(s, w.inbox, "zulu no", "IPM.Note", 0, 0, ST_FROM_SERVER);
    set_reminders(s, w.sid, w.ipm, __LINE__);

    st_table *t = NULL;
    ok(st_table_open(&t, s, w.sid, ST_TABLE_CONTENTS) == 0, "open table\n");
    uint32_t cnt = 0;
    ok(st_table_count(t, &cnt) == 0 && cnt == 5, "row count %u\n", cnt);
    uint32_t cols[] = { PR_INSTANCE_KEY, PR_SUBJECT_W, PR_MESSAGE_CLASS_W };
    ok(st_table_set_columns(t, cols, 3) == 0, "columns\n");
    st_sortset *so = st_sortset_new(1);
    so->orders[0].tag = PR_SUBJECT_W;
    so->orders[0].order = TABLE_SORT_DESCEND;
    ok(st_table_sort(t, so) == 0, "sort\n");
    st_row *rows = NULL;
    size_t n = 0;
    ok(st_table_query_rows(t, &rows, &n, 10, 0) == 0 && n == 5 &&
        !strcmp(rows[0].vals[1].v.str, "echo") && !strcmp(rows[4].vals[1].v.str, "alpha"),
        "sorted descending\n");
    st_rows_free(rows, n);
    st_value v = st_view_str(PR_MESSAGE_CLASS_W, "IPM.Task");
    st_restriction *tr = st_res_property(RELOP_EQ, PR_MESSAGE_CLASS_W, &v);
    ok(st_table_restrict(t, tr) == 0, "restrict\n");
    ok(st_table_count(t, &cnt) == 0 && cnt == 3, "restricted count %u\n", cnt);
    ok(st_table_query_rows(t, &rows, &n, 10, 0) == 0 && n == 3 &&
        !strcmp(rows[0].vals[1].v.str, "echo") && !strcmp(rows[2].vals[1].v.str, "bravo"),
        "restricted rows\n");
    st_rows_free(rows, n);
    st_res_free(tr);
    ok(st_table_restrict(t, NULL) == 0, "unrestrict\n");
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 2, NULL) == 0, "seek\n");
    uint32_t row = 0, num = 0, den = 0;
    ok(st_table_position(t, &row, &num, &den) == 0 && row == 2 && den == 5, "position %u/%u\n",
        row, den);
    ok(st_table_seek_approx(t, 1, 2) == 0, "seek approx\n");

    /* Categories by message class. */
    st_sortset *cat = st_sortset_new(2);
    cat->n_categories = 1;
    cat->n_expanded = 1;
    cat->orders[0].tag = PR_MESSAGE_CLASS_W;
    cat->orders[1].tag = PR_SUBJECT_W;
    ok(st_table_sort(t, cat) == 0, "categorized sort\n");
    ok(st_table_query_rows(t, &rows, &n, 20, 0) == 0 && n == 7, "2 headers + 5 rows: %zu\n", n);
    st_rows_free(rows, n);
    st_sortset_free(cat);
    ok(st_table_sort(t, so) == 0, "back to the plain sort\n");
    st_sortset_free(so);

    /* Notifications: a new match, a modification, a drop. */
    st_table_notif *ns = NULL;
    st_table_notifications(t, &ns, &n);
    st_table_notifs_free(ns, n);
    st_id nw = mk(s, w.inbox, "foxtrot", "IPM.Note", 1, 0, 0);
    ok(st_table_notifications(t, &ns, &n) == 0 && n == 1 && ns[0].type == TABLE_ROW_ADDED &&
        ns[0].row.n == 3 && !strcmp(ns[0].row.vals[1].v.str, "foxtrot"), "row added: %zu\n", n);
    st_table_notifs_free(ns, n);
    st_bag *set = st_bag_new();
    st_bag_set_str(set, PR_SUBJECT_W, "golf");
    st_message_set_props(s, nw, set, NULL, 0, 0);
    ok(st_table_notifications(t, &ns, &n) == 0 && n == 1 && ns[0].type == TABLE_ROW_MODIFIED,
        "row modified\n");
    st_table_notifs_free(ns, n);
    st_bag_set_bool(set, T_REMINDER_SET, 0);
    st_message_set_props(s, nw, set, NULL, 0, 0);
    ok(st_table_notifications(t, &ns, &n) == 0 && n == 1 && ns[0].type == TABLE_ROW_DELETED,
        "row deleted\n");
    st_table_notifs_free(ns, n);
    st_bag_free(set);
    st_message_delete(s, ids[0], 0);
    ok(st_table_notifications(t, &ns, &n) == 0 && n == 1 && ns[0].type == TABLE_ROW_DELETED,
        "message deleted -> row deleted\n");
    st_table_notifs_free(ns, n);
    ok(st_table_count(t, &cnt) == 0 && cnt == 4, "count %u\n", cnt);
    st_table_close(t);
    check_store(s, __LINE__);
    st_store_close(s);
}

/* Criteria the trigram index can serve (RES_CONTENT on the subject): the
 * fill and the per-message test agree, with bulk-imported messages still
 * in the index queue and after indexing. */
static void test_content(void)
{
    world w;
    make_world(&w, "content.sqlite");
    st_store *s = w.s;
    st_import *imp = NULL;
    st_id ids[4] = { 0 };
    static const char *const subj[] = { "Quarterly REPORT", "lunch", "report card", "misc" };
    ok(st_import_begin(&imp, s, 50) == 0, "import\n");
    for (int i = 0; i < 4; i++) {
        st_bag *b = item(subj[i], "IPM.Note", -1, 0);
        char href[32];
        snprintf(href, sizeof href, "/c/%d", i);
        ok(st_import_message(imp, &ids[i], w.inbox, b, NULL, 0, href, "\"1\"") == 0,
            "import %d\n", i);
        st_bag_free(b);
    }
    ok(st_import_end(imp) == 0, "import end\n");
    st_value v = st_view_str(PR_SUBJECT_W, "report");
    st_restriction *r = st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &v);
    ok(st_search_set(s, w.sid, r, &w.inbox, 1, 0) == 0, "set content criteria\n");
    counts(s, w.sid, 2, 2, __LINE__);
    ok(in_results(s, w.sid, ids[0]) == 1 && in_results(s, w.sid, ids[2]) == 1, "fill\n");
    size_t left = 1;
    ok(st_store_index_pending(s, 10000, &left) == 0 && left == 0, "indexed\n");
    st_id n1 = mk(s, w.inbox, "Another Report", "IPM.Note", -1, 0, 0);
    st_id n2 = mk(s, w.inbox, "nothing", "IPM.Note", -1, 0, 0);
    ok(in_results(s, w.sid, n1) == 1 && in_results(s, w.sid, n2) == 0, "incremental\n");
    st_bag *set = st_bag_new();
    st_bag_set_str(set, PR_SUBJECT_W, "reported later");
    ok(st_message_set_props(s, n2, set, NULL, 0, 0) == 0 && in_results(s, w.sid, n2) == 1,
        "renamed into the results\n");
    st_bag_free(set);
    ok(st_search_set(s, w.sid, NULL, NULL, 0, 0) == 0, "refill: no change\n");
    counts(s, w.sid, 4, 4, __LINE__);
    st_res_free(r);
    check_store(s, __LINE__);
    st_store_close(s);
}

/* Events lost to out-of-memory (ev_oom): the commit recomputes every active
 * search instead, and listeners get one ST_EV_EXTERNAL. */
static void test_lost_events(void)
{
    world w;
    make_world(&w, "oom.sqlite");
    st_store *s = w.s;
    set_reminders(s, w.sid, w.ipm, __LINE__);
    uint64_t tok = 0;
    st_store_listen(s, &tok, on_events, NULL);
    clear_events();
    ok(st_store_begin(s) == 0, "begin\n");
    st_id a = mk(s, w.inbox, "a", "IPM.Note", 1, 0, 0);
    s->n_ev = 0;      /* as if queuing had failed: */
    s->ev_oom = 1;
    ok(st_store_commit(s) == 0, "commit: %s\n", st_error_last());
    ok(in_results(s, w.sid, a) == 1, "found by the full recompute\n");
    counts(s, w.sid, 1, 1, __LINE__);
    ok(n_evs == 1 && evs[0].type == ST_EV_EXTERNAL, "one EXTERNAL event: %zu\n", n_evs);
    /* One transaction: a message made, then the criteria set again (the
     * refill finds it before the commit's pass does). */
    clear_events();
    ok(st_store_begin(s) == 0, "begin\n");
    st_id c = mk(s, w.inbox, "c", "IPM.Note", 1, 0, 0);
    ok(st_search_set(s, w.sid, NULL, NULL, 0, ST_SEARCH_RECURSIVE) == 0, "refill inside\n");
    ok(st_store_commit(s) == 0, "commit: %s\n", st_error_last());
    ok(in_results(s, w.sid, c) == 1 && seen(ST_EV_CREATED, c, w.sid) == 1,
        "found once: %d created events\n", seen(ST_EV_CREATED, c, w.sid));
    counts(s, w.sid, 2, 2, __LINE__);
    st_store_unlisten(s, tok);
    check_store(s, __LINE__);
    /* Damaged criteria: reported by st_search_get, never blocking a change. */
    ok(sqlite3_exec(s->d.db, "UPDATE searches SET criteria = x'FF'", NULL, NULL, NULL) ==
        SQLITE_OK, "damage the criteria\n");
    st_restriction *got = NULL;
    ok(st_search_get(s, w.sid, &got, NULL, NULL, NULL) == ST_ECORRUPT && !got,
        "damaged criteria reported: %s\n", st_error_last());
    ok(mk(s, w.inbox, "b after damage", "IPM.Note", 1, 0, 0) != 0, "changes go on\n");
    st_store_close(s);
}

/* Files of every version before search folders (1 and 2), made by the
 * schema code of that version with folders and messages in them: migrated
 * on open, then searched (the messages from before are found). */
static void test_migration(void)
{
    for (int v = 1; v <= 2; v++) {
        char name[32];
        snprintf(name, sizeof name, "v%d.sqlite", v);
        st_db d;
        ok(st_db__open(&d, tsu_path(name), 1, 0, ST_STORE_VERSION) == 0 &&
            st_schema__create_version(&d, ST_SCHEMA_STORE, v) == 0, "made v%d: %s\n", v,
            st_error_last());
        /* Root 1 > IPM 2 > Inbox 3 with messages 5 (reminder set) and 6
         * (reminder clear); Finder 4 under the root; counts as kept. */
        ok(st_db__exec(&d, "INSERT INTO meta(key, value) VALUES ('guid',"
            " x'78563412341278569" "0abcdef01234567');"
            "UPDATE meta SET value = 100 WHERE key IN ('next_id', 'next_cn');"
            "INSERT INTO folders(id, parent_id, name, change_num, child_count) VALUES"
            " (1, NULL, 'Root', 1, 2), (2, 1, 'IPM_SUBTREE', 2, 1), (4, 1, 'Finder', 4, 0);"
            "INSERT INTO folders(id, parent_id, name, change_num, content_count, unread_count)"
            " VALUES (3, 2, 'Inbox', 3, 2, 2);"
            "INSERT INTO fts_queue(id, head) VALUES (5, 1), (6, 1);") == 0, "v%d rows: %s\n",
            v, st_error_last());
        for (int i = 0; i < 2; i++) {
            st_bag *b = st_bag_new();
            st_bag_set_bool(b, T_REMINDER_SET, i == 0);
            st_buf blob = { 0 };
            sqlite3_stmt *st = NULL;
            int rc = st_propblob__encode(&blob, b, NULL, NULL) ? SQLITE_ERROR :
                sqlite3_prepare_v2(d.db, "INSERT INTO messages(id, folder_id, msg_class,"
                    " subject, change_num, props) VALUES (?1, 3, 'IPM.Note', 'old', ?1, ?2)",
                    -1, &st, NULL);
            if (rc == SQLITE_OK) {
                sqlite3_bind_int(st, 1, 5 + i);
                sqlite3_bind_blob(st, 2, blob.data, (int)blob.len, SQLITE_TRANSIENT);
                rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            }
            sqlite3_finalize(st);
            ok(rc == SQLITE_OK, "v%d message %d\n", v, 5 + i);
            st_buf_free(&blob);
            st_bag_free(b);
        }
        st_db__close(&d);
        st_store *s = NULL;
        ok(st_store_open(&s, tsu_path(name), &tsu_guid, 0) == 0, "open v%d: %s\n", v,
            st_error_last());
        if (!s)
            continue;
        check_store(s, __LINE__);
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_DISPLAY_NAME_W, "Reminders");
        st_id sid = 0;
        ok(st_folder_create(s, &sid, 4, b, ST_FOLDER_SEARCH) == 0,
            "search folder after migration from v%d: %s\n", v, st_error_last());
        st_bag_free(b);
        set_reminders(s, sid, 2, __LINE__);
        counts(s, sid, 1, 1, __LINE__);
        ok(in_results(s, sid, 5) == 1 && in_results(s, sid, 6) == 0, "v%d: old message "
            "found\n", v);
        ok(st_message_set_read(s, 5, 1, 0) == 0, "read\n");
        counts(s, sid, 1, 0, __LINE__);
        check_store(s, __LINE__);
        st_store_close(s);
    }
}

int main(void)
{
    test_codec();
    test_lifecycle();
    test_table();
    test_content();
    test_lost_events();
    test_migration();
    tsu_cleanup();
    return test_done();
}
