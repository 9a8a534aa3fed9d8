/*
 * test_table_diff.c: randomized differential test of contents tables. A
 * folder of a few hundred messages with hot, blob, named, missing,
 * non-ASCII and multi-valued values; random sorts (1-3 keys, ascending and
 * descending) and random restriction trees (pushed into SQL, sent to the
 * FTS index, or evaluated by st_res_eval); the table's rows, read forward
 * and backward in pages, must be exactly a brute-force st_res_eval over
 * every message sorted with st_bag_compare_sorted (ties by id in the
 * direction of the last key). Sorts by one blob string (rows chosen in C,
 * the first ones kept) come often, with few or many rows kept. Never
 * depends on the wall clock: seeded.
 */
#include "storage/table.h"
#include "storage/table_int.h"
#include "test_storage_util.h"

#define N_MSG 320
#define T_NLONG PROP_TAG(PT_LONG, 0x8001)
#define T_NSTR PROP_TAG(PT_UNICODE, 0x8002)
#define T_NDBL PROP_TAG(PT_DOUBLE, 0x8003)
#define T_NMV PROP_TAG(PT_MV_UNICODE, 0x8004)
#define T_EMAIL PROP_TAG(PT_UNICODE, 0x0C1F)
#define T_TOME PROP_TAG(PT_BOOLEAN, 0x0057)
#define T_CIDX PROP_TAG(PT_BINARY, 0x0071)
#define T_CREATE PR_CREATION_TIME

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *subjects[] = { "Quarterly report", "quarterly REPORT", "Ärger im Büro",
    "ärger", "ÄRGER groß", "Straße", "STRASSE", "Kelvin \xE2\x84\xAA scale", "kelvin k",
    "status update", "ſtatus", "naïve résumé", "", "x", "re: meeting" };
static const char *senders[] = { "Alice", "alice", "Bob", "Ödön", "ödön", "Zed", "Sender 3" };
static const char *words[] = { "alpha", "Beta", "gamma", "ALPHA", "délta", "" };

static st_bag *make_msg(int i)
{
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, i % 11 ? "IPM.Note" : "IPM.Appointment");
    if (rnd(8))
        st_bag_set_str(b, PR_SUBJECT_W, subjects[rnd(15)]);
    if (rnd(6))
        st_bag_set_str(b, PR_SENDER_NAME_W, senders[rnd(7)]);
    if (rnd(7))
        st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME,
            UINT64_C(133000000000000000) + (uint64_t)rnd(50) * 10000000u);
    st_bag_set_long(b, PR_MESSAGE_FLAGS, (int32_t)rnd(2));
    if (rnd(3))
        st_bag_set_long(b, PR_IMPORTANCE, (int32_t)rnd(3));
    if (rnd(3))
        st_bag_set_long(b, T_NLONG, (int32_t)rnd(9) - 4);
    if (rnd(3))
        st_bag_set_str(b, T_NSTR, words[rnd(6)]);
    if (rnd(2))
        st_bag_set_double(b, T_NDBL, (double)rnd(7) / 2.0);
    if (rnd(2)) {
        const char *mv[3] = { words[rnd(6)], words[rnd(6)], words[rnd(6)] };
        st_value v = st_view_mv_str(T_NMV, mv, 1 + rnd(3));
        st_bag_set(b, &v);
    }
    if (rnd(2))
        st_bag_set_str(b, T_EMAIL, senders[rnd(7)]);
    if (rnd(2))
        st_bag_set_bool(b, T_TOME, (int)rnd(2));
    if (rnd(2)) {
        uint8_t d[4] = { (uint8_t)rnd(3), (uint8_t)rnd(3), (uint8_t)rnd(3), (uint8_t)rnd(3) };
        st_bag_set_bin(b, T_CIDX, d, 1 + rnd(4));
    }
    if (rnd(2))
        st_bag_set_systime(b, T_CREATE, UINT64_C(132000000000000000) + rnd(20));
    if (rnd(3))
        st_bag_set_str(b, PR_BODY_W, subjects[rnd(15)]);
    return b;
}

/* ---- restrictions ---- */

static const uint32_t val_tags[] = { PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME,
    PR_MESSAGE_FLAGS, PR_IMPORTANCE, T_NLONG, T_NSTR, T_NDBL, T_EMAIL, T_TOME, T_CIDX,
    T_CREATE, PR_MESSAGE_CLASS_W, PR_MESSAGE_SIZE, PR_HASATTACH };
#define N_VAL_TAGS (sizeof val_tags / sizeof val_tags[0])

static st_value const_for(uint32_t tag, uint8_t *binbuf)
{
    switch (PROP_TYPE(tag)) {
    case PT_UNICODE: {
        static const char *pool[] = { "ärger", "ALICE", "alpha", "Straße", "STRASSE", "m",
            "quarterly report", "ödön", "" };
        return st_view_str(tag, tag == PR_MESSAGE_CLASS_W ? "ipm.note" : pool[rnd(9)]);
    }
    case PT_SYSTIME:
        return st_view_systime(tag, (tag == T_CREATE ? UINT64_C(132000000000000000) + rnd(20)
            : UINT64_C(133000000000000000) + (uint64_t)rnd(50) * 10000000u));
    case PT_LONG:
        return st_view_long(tag, tag == PR_MESSAGE_SIZE ? (int32_t)(200 + rnd(400))
            : (int32_t)rnd(5) - 2);
    case PT_DOUBLE:
        return st_view_double(tag, (double)rnd(7) / 2.0);
    case PT_BOOLEAN:
        return st_view_bool(tag, (int)rnd(2));
    default:
        binbuf[0] = (uint8_t)rnd(3);
        binbuf[1] = (uint8_t)rnd(3);
        return st_view_bin(tag, binbuf, 1 + rnd(2));
    }
}

static st_restriction *rand_leaf(void)
{
    uint8_t bb[4];
    switch (rnd(9)) {
    case 0: case 1: {
        uint32_t tag = val_tags[rnd(N_VAL_TAGS)];
        st_value v = const_for(tag, bb);
        return st_res_property(rnd(6), tag, &v);
    }
    case 2:
        return st_res_exist(val_tags[rnd(N_VAL_TAGS)]);
    case 3:
        return st_res_bitmask(rnd(2), rnd(2) ? PR_MESSAGE_FLAGS : T_NLONG, 1 + rnd(3));
    case 4: case 5: {
        static const char *pats[] = { "report", "ärger", "ÄRGER", "port", "ss", "straße",
            "STRASSE", "k", "kelvin", "Sender 3", "tatus", "status", "ice", "Ö", "ödö",
            "RéSuMé" };
        static const uint32_t fz[] = { FL_SUBSTRING | FL_IGNORECASE, FL_SUBSTRING,
            FL_PREFIX | FL_IGNORECASE, FL_FULLSTRING | FL_IGNORECASE,
            FL_SUBSTRING | FL_LOOSE, FL_SUBSTRING | FL_IGNORECASE | FL_IGNORENONSPACE };
        static const uint32_t ct[] = { PR_SUBJECT_W, PR_SENDER_NAME_W, T_NSTR, PR_BODY_W };
        uint32_t tag = ct[rnd(4)];
        st_value v = st_view_str(tag, pats[rnd(16)]);
        return st_res_content(fz[rnd(6)], tag, &v);
    }
    case 6: {
        st_value v = st_view_str(PROP_TAG(PT_UNICODE, 0x8004), words[rnd(6)]);
        return st_res_property(RELOP_EQ, T_NMV, &v);
    }
    case 7:
        return st_res_compareprops(rnd(6), PR_SENDER_NAME_W, T_EMAIL);
    default:
        return st_res_size(rnd(6), PR_SUBJECT_W, rnd(30));
    }
}

static st_restriction *rand_res(int depth)
{
    uint32_t k = depth >= 3 ? 5 : rnd(6);
    if (k < 2) {
        uint32_t n = rnd(4);
        st_restriction *kids[3] = { 0 };
        for (uint32_t i = 0; i < n; i++)
            kids[i] = rand_res(depth + 1);
        return k == 0 ? st_res_and_array(n, kids) : st_res_or_array(n, kids);
    }
    if (k == 2)
        return st_res_not(rand_res(depth + 1));
    return rand_leaf();
}

/* ---- brute force ---- */

typedef struct item {
    st_id id;
    uint32_t inst;        /* MV instance index (rounds with an MV instance key) */
    st_bag *bag;          /* borrowed */
} item;

static const st_sortset *cmp_sort;
static int cmp_id_desc;
static int cmp_items(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = cmp_sort ? st_bag_compare_sorted(x->bag, y->bag, cmp_sort) : 0;
    if (c)
        return c;
    c = x->id < y->id ? -1 : x->id > y->id;
    if (!c)
        c = x->inst < y->inst ? -1 : x->inst > y->inst;
    return cmp_id_desc ? -c : c;
}

/* id and instance as one number: id * 4096 + inst. */
static uint64_t row_id(const st_row *r)
{
    const st_value *v = &r->vals[0];
    if (PROP_TYPE(v->tag) != PT_BINARY || (v->v.bin.len != 8 && v->v.bin.len != 12))
        return 0;
    uint64_t id = 0, inst = 0;
    for (int i = 0; i < 8; i++)
        id |= (uint64_t)v->v.bin.data[i] << (8 * i);
    for (uint32_t i = 8; i < v->v.bin.len; i++)
        inst |= (uint64_t)v->v.bin.data[i] << (8 * (i - 8));
    return id * 4096 + inst;
}

static uint64_t item_id(const item *it)
{
    return it->id * 4096 + it->inst;
}

static const uint32_t sort_tags[] = { PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME,
    PR_IMPORTANCE, T_NLONG, T_NSTR, T_NDBL, T_EMAIL, T_TOME, T_CIDX, T_CREATE,
    PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE };
#define N_SORT_TAGS (sizeof sort_tags / sizeof sort_tags[0])

int main(void)
{
    st_id inbox;
    st_store *s = tsu_store("diff.sqlite", NULL, &inbox);
    /* Half created locally (indexed at once), half imported (queued for
     * the FTS index), then part of the queue indexed: every path of the
     * content search is exercised. */
    st_import *imp = NULL;
    ok(st_import_begin(&imp, s, 20) == 0, "import_begin\n");
    for (int i = 0; i < N_MSG; i++) {
        st_bag *b = make_msg(i);
        st_id id;
        if (i % 2)
            ok(st_message_create(s, &id, inbox, b, 0) == 0, "create %d: %s\n", i,
                st_error_last());
        else {
            char href[32];
            snprintf(href, sizeof href, "/m/%d", i);
            ok(st_import_message(imp, &id, inbox, b, NULL, 0, href, "e") == 0, "import\n");
        }
        if (i % 13 == 0) {   /* a recipient for RES_SUBRESTRICTION */
            st_bag *r = st_bag_new();
            st_bag_set_str(r, PR_DISPLAY_NAME_W, senders[i % 7]);
            st_bag_set_long(r, PR_RECIPIENT_TYPE, 1);
            if (i % 2)
                st_recipients_set(s, id, &r, 1, 0);
            st_bag_free(r);
        }
        st_bag_free(b);
    }
    ok(st_import_end(imp) == 0, "import_end\n");
    size_t left = 0;
    st_store_index_pending(s, 1, &left);

    st_id *ids = NULL;
    size_t n_ids = 0;
    ok(st_message_list(s, &ids, &n_ids, inbox, 0) == 0 && n_ids == N_MSG, "list %zu\n", n_ids);
    item *items = calloc(n_ids, sizeof *items);
    for (size_t i = 0; i < n_ids; i++) {
        items[i].id = ids[i];
        ok(st_message_get(s, &items[i].bag, ids[i]) == 0, "get\n");
    }

    st_table *t = NULL;
    ok(st_table_open(&t, s, inbox, ST_TABLE_CONTENTS) == 0, "open: %s\n", st_error_last());
    const uint32_t cols[] = { PR_INSTANCE_KEY, PR_SUBJECT_W, T_NLONG, PR_ROW_TYPE };
    ok(st_table_set_columns(t, cols, 4) == 0, "columns\n");

    int rounds = 200, mismatches = 0, selective = 0, mvi_rounds = 0;
    int fts_forced = 0, fts_scanned = 0, topn_rounds = 0;
    /* every message, and with an MV instance key one item per value, whose
     * bag holds that single value (st_bag_get's MV instance rule) */
    item *exp = calloc(n_ids * 4, sizeof *exp);
    st_bag **inst_bags = calloc(n_ids * 4, sizeof *inst_bags);
    for (int round = 0; round < rounds && mismatches < 5; round++) {
        uint32_t nk = rnd(4);
        st_sortset *so = nk ? st_sortset_new(nk) : NULL;
        int mvi = nk && rnd(3) == 0;
        for (uint32_t k = 0; k < nk; k++) {
            so->orders[k].tag = sort_tags[rnd(N_SORT_TAGS)];
            so->orders[k].order = rnd(2) ? TABLE_SORT_DESCEND : TABLE_SORT_ASCEND;
        }
        if (mvi)
            so->orders[rnd(nk)].tag = MVI_PROP(T_NMV);
        if (round % 3 == 1 && nk && !mvi) {   /* more sorts by one blob string (st_topn) */
            nk = so->n = 1;
            so->orders[0].tag = round % 12 == 1 ? T_EMAIL : T_NSTR;
        }
        /* the first rows kept by such a sort: fewer than a page, than the
         * folder, or all */
        st_table__topn_keep = round / 3 % 3 == 0 ? 5 : round / 3 % 3 == 1 ? 40 : ST_TABLE__TOPN_MAX;
        topn_rounds += nk == 1 && (so->orders[0].tag == T_EMAIL || so->orders[0].tag == T_NSTR);
        st_restriction *r = rnd(5) ? rand_res(0) : NULL;
        if (r && st_res_check(r)) {
            st_res_free(r);
            r = NULL;
        }
        if (round == rounds / 2) {   /* the second half with every message indexed */
            size_t queued = 0;
            ok(st_store_index_pending(s, 60000, &queued) == 0 && queued == 0, "index all\n");
        }
        /* every plan of a content restriction: the trigram index driving,
         * a scan, and a scan whose budget runs out (then the index) */
        int plan = (int)rnd(3);
        if (round >= rounds / 2 && plan) {   /* a content node the index can serve */
            st_value v = st_view_str(PR_SUBJECT_W, rnd(2) ? "report" : "tatus");
            st_restriction *c = st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &v);
            r = r ? st_res_and(2, r, c) : c;
        }
        st_table__fts_probe = plan ? 1 : ST_TABLE__FTS_PROBE;
        st_table__scan_budget = plan == 2 ? 0 : ST_TABLE__SCAN_BUDGET;
        ok(st_table_sort(t, so) == 0, "sort: %s\n", st_error_last());
        ok(st_table_restrict(t, r) == 0, "restrict: %s\n", st_error_last());
        fts_forced += t->fts_force;
        fts_scanned += plan == 1 && t->q.fts_trial && !t->fts_force;
        /* expected */
        size_t n_exp = 0;
        for (size_t i = 0; i < n_ids; i++) {
            int m = r ? st_res_eval(r, items[i].bag, NULL) : 1;
            ok(m >= 0, "eval\n");
            if (m <= 0)
                continue;
            const st_value *mv = mvi ? st_bag_get(items[i].bag, T_NMV) : NULL;
            if (!mv || mv->v.mv.n == 0) {
                exp[n_exp] = items[i];
                if (mvi) {   /* its one row has no value in the MV column */
                    inst_bags[n_exp] = st_bag_dup(items[i].bag);
                    st_bag_delete(inst_bags[n_exp], T_NMV);
                    exp[n_exp].bag = inst_bags[n_exp];
                }
                n_exp++;
                continue;
            }
            for (uint32_t k = 0; k < mv->v.mv.n; k++) {
                inst_bags[n_exp] = st_bag_dup(items[i].bag);
                st_bag_set_str(inst_bags[n_exp], PROP_TAG(PT_UNICODE, 0x8004), mv->v.mv.str[k]);
                exp[n_exp] = (item){ items[i].id, k, inst_bags[n_exp] };
                n_exp++;
            }
        }
        cmp_sort = so;
        cmp_id_desc = nk ? (so->orders[nk - 1].order & TABLE_SORT_DESCEND) != 0 : 0;
        qsort(exp, n_exp, sizeof *exp, cmp_items);
        selective += n_exp > 0 && n_exp < n_ids;
        mvi_rounds += mvi;
        /* the table, forward in pages of 7 */
        uint32_t count = 0;
        ok(st_table_count(t, &count) == 0 && count == n_exp, "round %d: count %u, want %zu "
            "(mvi %d)\n", round, count, n_exp, mvi);
        size_t pos = 0;
        int bad = 0;
        for (;;) {
            st_row *rows = NULL;
            size_t n = 0;
            if (st_table_query_rows(t, &rows, &n, 7, 0)) {
                ok(0, "query_rows: %s\n", st_error_last());
                bad = 1;
                break;
            }
            for (size_t j = 0; j < n; j++, pos++)
                if (pos >= n_exp || row_id(&rows[j]) != item_id(&exp[pos]))
                    bad = 1;
            st_rows_free(rows, n);
            if (!n || bad)
                break;
        }
        if (pos != n_exp)
            bad = 1;
        /* and backward from the end, in pages of 5 */
        ok(st_table_seek(t, BOOKMARK_END, 0, NULL) == 0, "seek end\n");
        size_t back = n_exp;
        for (int guard = 0; !bad && guard < 1000; guard++) {
            st_row *rows = NULL;
            size_t n = 0;
            if (st_table_query_rows(t, &rows, &n, -5, 0)) {
                bad = 1;
                break;
            }
            for (size_t j = n; j-- > 0;) {
                back--;
                if (back >= n_exp || row_id(&rows[j]) != item_id(&exp[back]))
                    bad = 2;
            }
            st_rows_free(rows, n);
            if (!n)
                break;
        }
        if (!bad && back != 0)
            bad = 3;
        if (!ok(!bad, "round %d: rows differ (%d) (sort keys %u, restriction %s)\n", round, bad,
                nk, r ? "yes" : "no"))
            mismatches++;
        st_res_free(r);
        st_sortset_free(so);
        for (size_t i = 0; i < n_ids * 4; i++) {
            st_bag_free(inst_bags[i]);
            inst_bags[i] = NULL;
        }
    }
    free(inst_bags);
    printf("%d of %d rounds had a selective restriction, %d an MV instance key\n", selective,
        rounds, mvi_rounds);
    ok(selective > rounds / 4, "too few selective restrictions\n");
    printf("content plans: %d rounds fell back to the index after a scan's budget, %d kept "
        "the scan\n", fts_forced, fts_scanned);
    ok(fts_forced > 0 && fts_scanned > 0, "every content plan reached: %d %d\n", fts_forced,
        fts_scanned);
    printf("%d rounds sorted by one blob string\n", topn_rounds);
    ok(topn_rounds >= 20, "too few blob string sorts: %d\n", topn_rounds);
    st_table__fts_probe = ST_TABLE__FTS_PROBE;
    st_table__scan_budget = ST_TABLE__SCAN_BUDGET;
    st_table__topn_keep = ST_TABLE__TOPN_MAX;
    free(exp);
    st_table_close(t);
    for (size_t i = 0; i < n_ids; i++)
        st_bag_free(items[i].bag);
    free(items);
    free(ids);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
