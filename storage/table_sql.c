/*
 * table_sql.c: sort orders and restrictions of a table turned into SQL over
 * the messages table, and the SQL functions that support them:
 *   st_prop(props, tag)   a property from the codec blob (non-hot columns);
 *   st_topn(?ptr, id, props)  an aggregate keeping the first rows of a sort
 *                         by one blob string (table.c's top-N read);
 *   st_tres(?ptr, id)     a restriction subtree SQL cannot decide, evaluated
 *                         with st_res_eval on the message's own bag;
 *   st_match(text, pattern, fuzzy)  st_utf8_match (RES_CONTENT re-check).
 *
 * Invariant: every restriction SQL fragment evaluates to exactly 0 or 1
 * (never NULL) and to what st_res_eval would say of st_message_get's bag,
 * so NOT and OR of fragments are exact; a node we cannot prove exact goes
 * to st_tres. Sort keys use the hot column (ST_NOCASE) or st_prop with
 * COLLATE ST_NOCASE for strings; NULL (missing) sorts first ascending and
 * last descending, as st_bag_compare_sorted.
 * Never: put a string constant into SQL unquoted (literals are escaped), or
 * use the FTS index as the answer (only as a candidate filter, re-checked).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/props_tags.h"
#include "storage/table_int.h"

void st_tstr__add(st_tstr *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) {
        b->oom = 1;
        return;
    }
    if (b->len + (size_t)need + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 256) + (size_t)need;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)need + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

/* ---- tags -> SQL ---- */

/* The hot columns of storage/schema.c (message.c's hot[] keeps the same
 * list: a property whose type fits lives only in its column). */
enum { K_STR, K_LONG, K_TIME, K_BIN };
static const struct { uint32_t tag; const char *col; int kind; } hot[] = {
    { PR_MESSAGE_CLASS_W, "msg_class", K_STR },
    { PR_SUBJECT_W, "subject", K_STR },
    { PR_NORMALIZED_SUBJECT_W, "norm_subject", K_STR },
    { PR_SENDER_NAME_W, "sender_name", K_STR },
    { PR_DISPLAY_TO_W, "display_to", K_STR },
    { PR_CONVERSATION_TOPIC_W, "conv_topic", K_STR },
    { PR_MESSAGE_DELIVERY_TIME, "delivery_time", K_TIME },
    { PR_CLIENT_SUBMIT_TIME, "submit_time", K_TIME },
    { PR_LAST_MODIFICATION_TIME, "mod_time", K_TIME },
    { PR_IMPORTANCE, "importance", K_LONG },
    { PR_FLAG_STATUS, "flag_status", K_LONG },
    { PR_ICON_INDEX, "icon_index", K_LONG },
    { PR_SEARCH_KEY, "search_key", K_BIN },
};

static int is_str_type(uint32_t t)
{
    return t == PT_UNICODE || t == PT_STRING8;
}

static int kind_fits(uint32_t t, int kind)
{
    switch (kind) {
    case K_STR: return is_str_type(t);
    case K_LONG: return t == PT_LONG;
    case K_TIME: return t == PT_SYSTIME;
    default: return t == PT_BINARY;
    }
}

/* Properties the store computes and st_prop cannot see. */
static int computed_id(uint32_t id)
{
    switch (id) {
    case PROP_ID(PR_RECORD_KEY): case PROP_ID(PR_INSTANCE_KEY):
    case PROP_ID(PR_SOURCE_KEY): case PROP_ID(PR_PARENT_SOURCE_KEY):
    case PROP_ID(PR_CHANGE_KEY): case PROP_ID(PR_ENTRYID):
    case PROP_ID(PR_PARENT_ENTRYID): case PROP_ID(PR_MESSAGE_RECIPIENTS):
    case PROP_ID(PR_MESSAGE_ATTACHMENTS): case PROP_ID(PR_ROW_TYPE):
    case PROP_ID(PR_DEPTH): case PROP_ID(PR_INSTANCE_NUM):
        return 1;
    default:
        return 0;
    }
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *st_table__expr(uint32_t tag, int *is_str)
{
    uint32_t t = PROP_TYPE(tag);
    *is_str = 0;
    if ((t & (MV_FLAG | MV_INSTANCE)) || !st_proptype_valid(t) || t == PT_ERROR ||
        t == PT_NULL || t == PT_OBJECT || t == PT_UNSPECIFIED)
        return NULL;
    for (size_t i = 0; i < sizeof hot / sizeof hot[0]; i++) {
        if (PROP_ID(hot[i].tag) != PROP_ID(tag))
            continue;
        if (kind_fits(t, hot[i].kind)) {
            *is_str = hot[i].kind == K_STR;
            return dupstr(hot[i].col);
        }
        break;   /* another type under a hot id lives in the blob */
    }
    if (tag == PR_MESSAGE_FLAGS)
        return dupstr("(flags | (CASE WHEN has_attach THEN 16 ELSE 0 END))");
    if (tag == PR_MESSAGE_SIZE)
        return dupstr("min(size, 2147483647)");
    if (tag == PR_HASATTACH)
        return dupstr("(has_attach <> 0)");
    if (computed_id(PROP_ID(tag)) || PROP_ID(tag) == PROP_ID(PR_MESSAGE_FLAGS) ||
        PROP_ID(tag) == PROP_ID(PR_MESSAGE_SIZE) || PROP_ID(tag) == PROP_ID(PR_HASATTACH))
        return NULL;
    st_tstr b = { 0 };
    *is_str = is_str_type(t);
    if (*is_str)
        st_tstr__add(&b, "(st_prop(props, %u) COLLATE ST_NOCASE)", (unsigned)tag);
    else
        st_tstr__add(&b, "st_prop(props, %u)", (unsigned)tag);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---- SQL functions ---- */

static void result_value(sqlite3_context *ctx, const st_value *v)
{
    switch (PROP_TYPE(v->tag)) {
    case PT_I2: sqlite3_result_int(ctx, v->v.i); break;
    case PT_LONG: sqlite3_result_int(ctx, v->v.l); break;
    case PT_BOOLEAN: sqlite3_result_int(ctx, v->v.b != 0); break;
    case PT_I8: case PT_CURRENCY: sqlite3_result_int64(ctx, v->v.li); break;
    case PT_SYSTIME: sqlite3_result_int64(ctx, (sqlite3_int64)v->v.ft); break;
    case PT_R4: sqlite3_result_double(ctx, v->v.flt); break;
    case PT_DOUBLE: sqlite3_result_double(ctx, v->v.dbl); break;
    case PT_APPTIME: sqlite3_result_double(ctx, v->v.at); break;
    case PT_UNICODE: case PT_STRING8:
        sqlite3_result_text(ctx, v->v.str, -1, SQLITE_TRANSIENT);
        break;
    case PT_BINARY:
        sqlite3_result_blob(ctx, v->v.bin.data ? (const void *)v->v.bin.data : "",
            (int)v->v.bin.len, SQLITE_TRANSIENT);
        break;
    case PT_CLSID: {
        uint8_t w[16];
        st_guid_to_bytes(w, v->v.guid);
        sqlite3_result_blob(ctx, w, 16, SQLITE_TRANSIENT);
        break;
    }
    default:
        sqlite3_result_null(ctx);
    }
}

/* Little-endian n-byte integer at p. */
static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* A scalar value straight from its encoded bytes (st_propblob__find): 1
 * when done, 0 when the type needs the full decoder. */
static int result_encoded(sqlite3_context *ctx, uint32_t tag, const uint8_t *p,
    const uint8_t *end)
{
    uint64_t u;
    double d;
    switch (PROP_TYPE(tag)) {
    case PT_I2: sqlite3_result_int(ctx, (int16_t)(uint16_t)le(p, 2)); return 1;
    case PT_LONG: sqlite3_result_int(ctx, (int32_t)(uint32_t)le(p, 4)); return 1;
    case PT_BOOLEAN: sqlite3_result_int(ctx, p[0] != 0); return 1;
    case PT_I8: case PT_CURRENCY: case PT_SYSTIME:
        sqlite3_result_int64(ctx, (sqlite3_int64)le(p, 8));
        return 1;
    case PT_DOUBLE: case PT_APPTIME:
        u = le(p, 8);
        memcpy(&d, &u, 8);
        sqlite3_result_double(ctx, d);
        return 1;
    case PT_UNICODE: case PT_STRING8: case PT_BINARY: {
        size_t n = (size_t)(end - p);   /* find gave the bytes after the length */
        if (n > INT32_MAX)
            return 0;
        if (PROP_TYPE(tag) == PT_BINARY)
            sqlite3_result_blob(ctx, n ? (const void *)p : "", (int)n, SQLITE_TRANSIENT);
        else   /* up to a NUL, as the decoded C string would be */
            sqlite3_result_text(ctx, (const char *)p, (int)strnlen((const char *)p, (size_t)n),
                SQLITE_TRANSIENT);
        return 1;
    }
    default:
        return 0;
    }
}

/* st_prop(props, tag): the value of tag (st_bag_get rules) in the blob.
 * Called for every row of a sort or filter on a property without a column:
 * scalars and strings are read in place (no bag, no copy of the others);
 * other types go through the decoder. */
static void fn_prop(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_null(ctx);
        return;
    }
    uint32_t tag = (uint32_t)sqlite3_value_int64(argv[1]);
    const void *blob = sqlite3_value_blob(argv[0]);
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    uint32_t found = 0;
    const uint8_t *val = NULL, *end = NULL;
    int rc = st_propblob__find(blob, len, tag, &found, &val, &end);
    if (rc == 0) {
        sqlite3_result_null(ctx);
        return;
    }
    if (rc == 1 && result_encoded(ctx, found, val, end))
        return;
    st_bag *bag = st_bag_new();
    if (!bag) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    int code = st_propblob__decode(bag, blob, len);
    if (code == ST_ERROR)
        sqlite3_result_error_nomem(ctx);
    else if (code)
        sqlite3_result_error(ctx, "corrupt property blob", -1);
    else {
        const st_value *v = st_bag_get(bag, tag);
        if (v)
            result_value(ctx, v);
        else
            sqlite3_result_null(ctx);
    }
    st_bag_free(bag);
}

/* ---- st_topn(?ptr, id, props): the first rows of a blob string sort ----
 * An aggregate fed by a lean scan (no ORDER BY): each row's key is found
 * in place in the blob and compared with the worst row kept; only a
 * better row is copied. No sorter, no record per row, no st_prop result.
 * The order is the ORDER BY's: st_prop(props, tag) COLLATE ST_NOCASE then
 * id, NULL (missing) first, both reversed when descending. */

size_t st_table__topn_keep = ST_TABLE__TOPN_MAX;

static int topn_cmp(const st_topn *k, const char *a, size_t alen, int64_t aid,
    const st_topn_ent *b)
{
    int c;
    if (!a || !b->key)
        c = (a != NULL) - (b->key != NULL);
    else if (alen == b->len && !memcmp(a, b->key, alen))
        c = 0;   /* the same sender again: common, and the collation's slowest case */
    else
        c = st_utf8_collate(a, alen, b->key, b->len, FL_IGNORECASE);
    if (!c)
        c = aid < b->id ? -1 : aid > b->id;
    return k->desc ? -c : c;
}

static int ent_cmp(const st_topn *k, const st_topn_ent *a, const st_topn_ent *b)
{
    return topn_cmp(k, a->key, a->len, a->id, b);
}

/* Max-heap on reading order: the worst row kept is e[0]. */
static void heap_down(st_topn *k, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < k->n && ent_cmp(k, &k->e[l], &k->e[m]) > 0)
            m = l;
        if (r < k->n && ent_cmp(k, &k->e[r], &k->e[m]) > 0)
            m = r;
        if (m == i)
            return;
        st_topn_ent tmp = k->e[i];
        k->e[i] = k->e[m];
        k->e[m] = tmp;
        i = m;
    }
}

static void heap_up(st_topn *k, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (ent_cmp(k, &k->e[i], &k->e[p]) <= 0)
            return;
        st_topn_ent tmp = k->e[i];
        k->e[i] = k->e[p];
        k->e[p] = tmp;
        i = p;
    }
}

int st_topn__init(st_topn *k, uint32_t tag, int desc, size_t cap)
{
    memset(k, 0, sizeof *k);
    k->tag = tag;
    k->desc = desc;
    k->cap = cap ? cap : 1;
    k->e = malloc(k->cap * sizeof *k->e);
    if (!k->e) {
        st_error_set("table: out of memory");
        return ST_ERROR;
    }
    return 0;
}

void st_topn__clear(st_topn *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->e[i].key);
    free(k->e);
    memset(k, 0, sizeof *k);
}

/* Keeps (key, id) if it is among the cap best so far: 0, or -1 (memory). */
static int topn_add(st_topn *k, const char *key, size_t len, int64_t id)
{
    if (k->n == k->cap && topn_cmp(k, key, len, id, &k->e[0]) >= 0)
        return 0;   /* the common case at a million rows: no copy */
    char *c = NULL;
    if (key) {
        c = malloc(len + 1);
        if (!c)
            return -1;
        memcpy(c, key, len);
        c[len] = 0;
    }
    if (k->n == k->cap) {
        free(k->e[0].key);
        k->e[0] = (st_topn_ent){ c, len, id };
        heap_down(k, 0);
    } else {
        k->e[k->n++] = (st_topn_ent){ c, len, id };
        heap_up(k, k->n - 1);
    }
    return 0;
}

void st_topn__sort(st_topn *k)
{
    /* In place, no callback state: heap-sort (ascending in reading order). */
    size_t n = k->n;
    for (size_t end = n; end > 1; end--) {
        st_topn_ent tmp = k->e[0];
        k->e[0] = k->e[end - 1];
        k->e[end - 1] = tmp;
        k->n = end - 1;
        heap_down(k, 0);
    }
    k->n = n;
}

static void fn_topn_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    /* The bound pointer, looked up once per query (each lookup compares
     * its type name). */
    st_topn **slot = sqlite3_aggregate_context(ctx, (int)sizeof *slot);
    if (!slot) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!*slot)
        *slot = sqlite3_value_pointer(argv[0], "st_topn");
    st_topn *k = *slot;
    if (!k) {
        sqlite3_result_error(ctx, "st_topn: no state bound", -1);
        return;
    }
    const char *key = NULL;
    size_t len = 0;
    if (sqlite3_value_type(argv[2]) == SQLITE_BLOB) {
        uint32_t found = 0;
        const uint8_t *val = NULL, *end = NULL;
        int rc = st_propblob__find(sqlite3_value_blob(argv[2]),
            (size_t)sqlite3_value_bytes(argv[2]), k->tag, &found, &val, &end);
        if (rc < 0 || (rc == 1 && !is_str_type(PROP_TYPE(found)))) {
            sqlite3_result_error(ctx, "corrupt property blob", -1);
            return;
        }
        if (rc == 1) {   /* up to a NUL, as st_prop gives it */
            key = (const char *)val;
            len = strnlen(key, (size_t)(end - val));
        }
    }
    if (topn_add(k, key, len, sqlite3_value_int64(argv[1]))) {
        k->oom = 1;
        sqlite3_result_error_nomem(ctx);
    }
}

static void fn_topn_final(sqlite3_context *ctx)
{
    sqlite3_result_null(ctx);
}

/* The MV value of tag in a blob (a borrowed value of bag), or NULL. */
static const st_value *mv_get(sqlite3_context *ctx, st_bag *bag, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB)
        return NULL;
    uint32_t tag = (uint32_t)sqlite3_value_int64(argv[1]) & ~(uint32_t)MV_INSTANCE;
    int code = st_propblob__decode(bag, sqlite3_value_blob(argv[0]),
        (size_t)sqlite3_value_bytes(argv[0]));
    if (code) {
        sqlite3_result_error(ctx, "corrupt property blob", -1);
        return NULL;
    }
    const st_value *v = st_bag_get(bag, tag);
    return v && (PROP_TYPE(v->tag) & MV_FLAG) ? v : NULL;
}

/* st_mv_n(props, tag): number of values of an MV property (0 if none). */
static void fn_mv_n(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    st_bag *bag = st_bag_new();
    if (!bag) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    const st_value *v = mv_get(ctx, bag, argv);
    uint32_t n = v ? v->v.mv.n : 0;
    sqlite3_result_int64(ctx, n > ST_TABLE__MAX_MVI ? ST_TABLE__MAX_MVI : n);
    st_bag_free(bag);
}

/* The i-th element of an MV value as a single value of its base type. */
static int mv_elem(st_value *out, const st_value *v, uint32_t i)
{
    uint32_t base = PROP_TYPE(v->tag) & ~(uint32_t)(MV_FLAG | MV_INSTANCE);
    memset(out, 0, sizeof *out);
    out->tag = PROP_TAG(base, PROP_ID(v->tag));
    if (i >= v->v.mv.n)
        return -1;
    switch (base) {
    case PT_I2: out->v.i = v->v.mv.i[i]; break;
    case PT_LONG: out->v.l = v->v.mv.l[i]; break;
    case PT_R4: out->v.flt = v->v.mv.flt[i]; break;
    case PT_DOUBLE: out->v.dbl = v->v.mv.dbl[i]; break;
    case PT_CURRENCY: out->v.cur = v->v.mv.cur[i]; break;
    case PT_APPTIME: out->v.at = v->v.mv.at[i]; break;
    case PT_I8: out->v.li = v->v.mv.li[i]; break;
    case PT_SYSTIME: out->v.ft = v->v.mv.ft[i]; break;
    case PT_UNICODE: case PT_STRING8: out->v.str = v->v.mv.str[i]; break;
    case PT_CLSID: out->v.guid = &v->v.mv.guid[i]; break;
    case PT_BINARY: out->v.bin = v->v.mv.bin[i]; break;
    default: return -1;
    }
    return 0;   /* a view: borrowed from v */
}

int st_table__mv_elem(st_value *out, const st_value *v, uint32_t i)
{
    return mv_elem(out, v, i);
}

/* st_mv_at(props, tag, i): the i-th value, or NULL. */
static void fn_mv_at(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    st_bag *bag = st_bag_new();
    if (!bag) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    const st_value *v = mv_get(ctx, bag, argv);
    st_value e;
    if (v && mv_elem(&e, v, (uint32_t)sqlite3_value_int64(argv[2])) == 0)
        result_value(ctx, &e);
    else
        sqlite3_result_null(ctx);
    st_bag_free(bag);
}

/* Subobject rows for RES_SUBRESTRICTION. */
typedef struct sub_ctx {
    st_store *s;          /* the store */
    st_id mid;            /* the message */
    st_bag **rows;        /* loaded rows (owned) */
    size_t n;             /* in rows */
} sub_ctx;

static void sub_free(sub_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        st_bag_free(c->rows[i]);
    free(c->rows);
    c->rows = NULL;
    c->n = 0;
}

static int sub_rows(void *vctx, uint32_t subobject, const st_bag *const **rows, size_t *n)
{
    sub_ctx *c = vctx;
    sub_free(c);
    if (subobject == PR_MESSAGE_RECIPIENTS) {
        if (st_recipients_get(c->s, &c->rows, &c->n, c->mid))
            return -1;
    } else {
        uint32_t *nums = NULL;
        size_t k = 0;
        if (st_attach_list(c->s, &nums, &k, c->mid))
            return -1;
        c->rows = calloc(k ? k : 1, sizeof *c->rows);
        if (!c->rows) {
            free(nums);
            return -1;
        }
        for (size_t i = 0; i < k; i++) {
            if (st_attach_get(c->s, &c->rows[c->n], c->mid, nums[i])) {
                free(nums);
                return -1;
            }
            c->n++;
        }
        free(nums);
    }
    *rows = (const st_bag *const *)c->rows;
    *n = c->n;
    return 0;
}

/* st_tres(?ptr, id): st_res_eval of a subtree on the message's bag. */
static void fn_tres(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const st_teval *e = sqlite3_value_pointer(argv[0], "st_teval");
    if (!e) {
        sqlite3_result_error(ctx, "st_tres: no restriction bound", -1);
        return;
    }
    st_id mid = (st_id)sqlite3_value_int64(argv[1]);
    st_bag *bag = NULL;
    int code = st_message_get(e->s, &bag, mid);
    if (code == ST_ENOTFOUND) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    if (code) {
        sqlite3_result_error(ctx, st_error_last(), -1);
        return;
    }
    sub_ctx sc = { e->s, mid, NULL, 0 };
    st_res_subobjects sub = { sub_rows, &sc };
    int r = st_res_eval(e->r, bag, &sub);
    sub_free(&sc);
    st_bag_free(bag);
    if (r < 0)
        sqlite3_result_error(ctx, "restriction could not be evaluated", -1);
    else
        sqlite3_result_int(ctx, r);
}

/* st_match(text, pattern, fuzzy): 0/1; NULL text is 0. */
static void fn_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    size_t tl = (size_t)sqlite3_value_bytes(argv[0]);
    const char *p = (const char *)sqlite3_value_text(argv[1]);
    size_t pl = (size_t)sqlite3_value_bytes(argv[1]);
    int r = st_utf8_match(t, tl, p ? p : "", p ? pl : 0, (uint32_t)sqlite3_value_int64(argv[2]));
    sqlite3_result_int(ctx, r > 0);
}

int st_table__register(st_store *s)
{
    sqlite3 *db = s->d.db;
    int rc = sqlite3_create_function_v2(db, "st_prop", 2,
        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, fn_prop, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "st_match", 3,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, fn_match, NULL, NULL,
            NULL);
    /* Direct only: its first argument is a C pointer bound by table.c. */
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "st_topn", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY,
            NULL, NULL, fn_topn_step, fn_topn_final, NULL);
    /* Not deterministic: it reads other rows of the database. */
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "st_tres", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY,
            NULL, fn_tres, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "st_mv_n", 2,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, fn_mv_n, NULL, NULL,
            NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "st_mv_at", 3,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, fn_mv_at, NULL, NULL,
            NULL);
    if (rc == SQLITE_BUSY)
        rc = SQLITE_OK;   /* already there, in use by a running statement */
    if (rc != SQLITE_OK)
        return st_db__err(&s->d, rc, "registering table functions");
    /* 0..MAX_MVI-1: joined to expand an MV instance column (temp: this
     * connection only, never in the file). Best effort: without it only an
     * MV instance table fails (its query names st_seq), with a message. */
    (void)sqlite3_exec(s->d.db, "CREATE TEMP TABLE IF NOT EXISTS st_seq(i INTEGER PRIMARY KEY);"
        "INSERT OR IGNORE INTO st_seq(i) WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL"
        " SELECT x + 1 FROM c WHERE x < 1023) SELECT x FROM c;", NULL, NULL, NULL);
    return 0;
}

/* ---- restrictions -> SQL ---- */

static void add_literal(st_tstr *b, const st_value *v)
{
    switch (PROP_TYPE(v->tag)) {
    case PT_I2: st_tstr__add(b, "%d", v->v.i); break;
    case PT_LONG: st_tstr__add(b, "%ld", (long)v->v.l); break;
    case PT_BOOLEAN: st_tstr__add(b, "%d", v->v.b != 0); break;
    case PT_I8: case PT_CURRENCY: st_tstr__add(b, "%lld", (long long)v->v.li); break;
    case PT_SYSTIME: st_tstr__add(b, "%lld", (long long)(int64_t)v->v.ft); break;
    case PT_UNICODE: case PT_STRING8:
        st_tstr__add(b, "'");
        for (const char *p = v->v.str; *p; p++)
            st_tstr__add(b, *p == '\'' ? "''" : "%c", *p);
        st_tstr__add(b, "'");
        break;
    case PT_BINARY:
        st_tstr__add(b, "X'");
        for (uint32_t i = 0; i < v->v.bin.len; i++)
            st_tstr__add(b, "%02X", v->v.bin.data[i]);
        st_tstr__add(b, "'");
        break;
    default:
        b->oom = 1;   /* callers only pass the types above */
    }
}

/* Types whose SQL comparison is exactly st_value_compare's. */
static int literal_type(uint32_t t)
{
    switch (t) {
    case PT_I2: case PT_LONG: case PT_BOOLEAN: case PT_I8: case PT_CURRENCY:
    case PT_SYSTIME: case PT_UNICODE: case PT_STRING8: case PT_BINARY:
        return 1;
    default:
        return 0;
    }
}

static int same_class(uint32_t a, uint32_t b)
{
    return a == b || (is_str_type(a) && is_str_type(b));
}

/* A leaf sent to st_tres. */
static void add_eval(st_tstr *b, st_tsql *q, st_store *s, const st_restriction *r)
{
    if (q->n_eval >= ST_TABLE__MAX_EVAL) {
        b->oom = 1;
        return;
    }
    q->eval[q->n_eval].s = s;
    q->eval[q->n_eval].r = r;
    st_tstr__add(b, "st_tres(?%zu, id)", 101 + q->n_eval);
    q->n_eval++;
}

static void add_res(st_tstr *b, st_tsql *q, st_store *s, const st_restriction *r);

/* Is the index worth it? A common pattern ("budget": 12% of a folder) is
 * found faster by reading the view's index in order and matching each row
 * (the first screen needs 50 / selectivity rows) than by collecting every
 * candidate from the trigram index (each is re-checked against its row).
 * The crossover is at about 0.2% of the folder (q->fts_cap), but counting
 * that many candidates costs in proportion to the folder (1M: 2,000
 * candidates, ~8 ms), so the probe stops at ST_TABLE__FTS_PROBE: up to
 * there the index drives; above it the scan is chosen, and when the cap
 * is higher (a big folder) the table tries that scan with a budget before
 * its first rows and falls back to the index when the budget runs out
 * (q->fts_trial, table.c). q->fts_force: the index drives, no probe. */
uint32_t st_table__fts_probe = ST_TABLE__FTS_PROBE;
long st_table__scan_budget = ST_TABLE__SCAN_BUDGET;

static int fts_selective(st_tsql *q, st_store *s, const char *col, const char *pat, size_t len)
{
    if (q->fts_cap == 0 || q->fts_force)
        return 1;
    uint32_t cap = q->fts_cap < st_table__fts_probe ? q->fts_cap : st_table__fts_probe;
    st_tstr b = { 0 };
    st_tstr__add(&b, "SELECT count(*) FROM (SELECT 1 FROM message_fts WHERE %s LIKE '%%%.*s%%'"
        " LIMIT %lu)", col, (int)len, pat, (unsigned long)cap + 1);
    if (b.oom) {
        free(b.p);
        return 1;
    }
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    if (sqlite3_prepare_v2(s->d.db, b.p, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    free(b.p);
    if (n <= (int64_t)cap)
        return 1;
    if (q->fts_cap > cap)
        q->fts_trial = 1;
    return 0;
}

static void add_content(st_tstr *b, st_tsql *q, st_store *s, const st_restriction *r)
{
    uint32_t fuzzy = r->u.content.fuzzy;
    const st_value *v = &r->u.content.value;
    int is_str = 0;
    char *e = is_str_type(PROP_TYPE(r->u.content.tag)) && is_str_type(PROP_TYPE(v->tag))
        ? st_table__expr(r->u.content.tag, &is_str) : NULL;
    uint32_t mode = fuzzy & 0xFFFF;
    if (!e || (mode != FL_FULLSTRING && mode != FL_SUBSTRING && mode != FL_PREFIX)) {
        free(e);
        add_eval(b, q, s, r);
        return;
    }
    st_tstr__add(b, "(");
    /* The trigram index as a candidate filter. FTS5's LIKE folds only ASCII
     * case when it re-checks a row (measured: '%ärger%' misses "Ärger"), so
     * we give it the longest run of the pattern that folds the same in both:
     * ASCII without k and s (U+212A KELVIN SIGN and U+017F LONG S fold to
     * them under Unicode) and without LIKE wildcards; at least 3 characters
     * (a trigram). Any match mode contains its pattern as a substring;
     * FL_IGNORENONSPACE / FL_LOOSE could match rows the index misses. */
    const char *fts_col = NULL;
    if (!strcmp(e, "subject"))
        fts_col = "subject";
    else if (!strcmp(e, "sender_name"))
        fts_col = "sender_name";
    size_t best = 0, best_len = 0;
    for (size_t i = 0, run = 0; fts_col; i++) {
        unsigned char c = (unsigned char)v->v.str[i];
        int ok = c && c < 0x80 && !strchr("kKsS%_\\'", c);
        if (ok)
            run++;
        else {
            if (run > best_len) {
                best_len = run;
                best = i - run;
            }
            run = 0;
        }
        if (!c)
            break;
    }
    if (fts_col && best_len >= 3 && !(fuzzy & (FL_IGNORENONSPACE | FL_LOOSE)) &&
        fts_selective(q, s, fts_col, v->v.str + best, best_len)) {
        /* One IN list, so SQLite can drive the query from the candidates
         * (the base condition is then written so no index is used for it:
         * without statistics SQLite takes "folder_id = ?" for 10 rows and
         * would rather scan the whole view index in order). */
        q->by_rowid = 1;
        st_tstr__add(b, "id IN (SELECT rowid FROM message_fts WHERE %s LIKE '%%%.*s%%'"
            " UNION ALL SELECT id FROM fts_queue WHERE head = 1) AND ", fts_col,
            (int)best_len, v->v.str + best);
    }
    st_tstr__add(b, "st_match(%s, ", e);
    add_literal(b, v);
    st_tstr__add(b, ", %u))", (unsigned)fuzzy);
    free(e);
}

static void add_res(st_tstr *b, st_tsql *q, st_store *s, const st_restriction *r)
{
    static const char *const ops[] = { "<", "<=", ">", ">=", "=", "<>" };
    int is_str = 0;
    char *e = NULL;
    switch (r->rt) {
    case RES_AND: case RES_OR:
        if (r->u.and_or.n == 0) {
            st_tstr__add(b, r->rt == RES_AND ? "1" : "0");
            return;
        }
        st_tstr__add(b, "(");
        for (uint32_t i = 0; i < r->u.and_or.n; i++) {
            if (i)
                st_tstr__add(b, r->rt == RES_AND ? " AND " : " OR ");
            add_res(b, q, s, r->u.and_or.kids[i]);
        }
        st_tstr__add(b, ")");
        return;
    case RES_NOT:
        st_tstr__add(b, "(NOT ");
        add_res(b, q, s, r->u.not_.kid);
        st_tstr__add(b, ")");
        return;
    case RES_COMMENT:
        if (!r->u.comment.kid)
            st_tstr__add(b, "1");
        else
            add_res(b, q, s, r->u.comment.kid);
        return;
    case RES_PROPERTY: {
        uint32_t tt = PROP_TYPE(r->u.prop.tag), vt = PROP_TYPE(r->u.prop.value.tag);
        if (r->u.prop.relop <= RELOP_NE && literal_type(tt) && same_class(tt, vt))
            e = st_table__expr(r->u.prop.tag, &is_str);
        if (!e)
            break;
        st_tstr__add(b, "(%s IS NOT NULL AND %s %s ", e, e, ops[r->u.prop.relop]);
        add_literal(b, &r->u.prop.value);
        st_tstr__add(b, ")");
        free(e);
        return;
    }
    case RES_EXIST:
        if (!computed_id(PROP_ID(r->u.exist.tag)))
            e = st_table__expr(r->u.exist.tag, &is_str);
        if (!e)
            break;
        st_tstr__add(b, "(%s IS NOT NULL)", e);
        free(e);
        return;
    case RES_BITMASK:
        if (PROP_TYPE(r->u.bitmask.tag) == PT_LONG && r->u.bitmask.bmr <= BMR_NEZ)
            e = st_table__expr(r->u.bitmask.tag, &is_str);
        if (!e)
            break;
        st_tstr__add(b, "(%s IS NOT NULL AND (%s & %lu) %s 0)", e, e,
            (unsigned long)r->u.bitmask.mask, r->u.bitmask.bmr == BMR_EQZ ? "=" : "<>");
        free(e);
        return;
    case RES_CONTENT:
        add_content(b, q, s, r);
        return;
    default:
        break;
    }
    add_eval(b, q, s, r);
}

char *st_table__res_sql(st_tsql *q, st_store *s, const st_restriction *r)
{
    st_tstr b = { 0 };
    add_res(&b, q, s, r);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

void st_tsql__bind_eval(const st_tsql *q, sqlite3_stmt *st)
{
    for (size_t i = 0; i < q->n_eval; i++)
        sqlite3_bind_pointer(st, (int)(101 + i), (void *)(uintptr_t)&q->eval[i], "st_teval",
            NULL);
}

void st_tsql__clear(st_tsql *q)
{
    for (size_t i = 0; i < q->n_keys; i++)
        free(q->key_expr[i]);
    free(q->where);
    memset(q, 0, sizeof *q);
}

/* A first sort key that no index gives (a property of the blob) makes
 * SQLite read every row of the folder and sort: through the folder index
 * that is an index step and a table seek per row. When the folder holds
 * most of the store's messages, reading the table itself in rowid order
 * reads the same rows for less (1M, bench-storage: about a fifth less CPU);
 * for a small folder of a big store it would read everything else too, so
 * the index stays. The share comes from the folder counts (cheap; embedded
 * messages left out). A restriction may set by_rowid again (FTS). */
static int scan_whole_table(st_table *t, const st_tsql *q)
{
    if (!q->n_keys || q->mvi_tag || strncmp(q->key_expr[0] + (q->key_expr[0][0] == '('),
            "st_prop(", 8) != 0)
        return 0;
    st_folder_counts fc;
    int64_t all = 0;
    if (st_folder_counts_get(t->s, &fc, t->fid) != 0 ||
        st_db__int(&t->s->d, &all, "SELECT total(content_count + assoc_count) FROM folders"))
        return 0;
    uint64_t mine = (uint64_t)fc.content + fc.assoc;
    return mine >= 10000 && mine * 2 >= (uint64_t)all;
}

int st_table__compile(st_table *t, st_tsql *q)
{
    st_tsql__clear(q);
    q->fts_force = t->fts_force;
    const st_sortset *so = t->sort;
    for (size_t i = 0; !t->hier && i < t->n_cols; i++)
        if ((PROP_TYPE(t->cols[i]) & MV_INSTANCE) && !q->mvi_tag)
            q->mvi_tag = t->cols[i];
    if (so) {
        if (so->n_categories > 2 || so->n > ST_TABLE__MAX_KEYS) {
            st_error_set("table: more than 2 category levels or %d sort keys are not "
                "supported yet", ST_TABLE__MAX_KEYS);
            return ST_ELIMIT;
        }
        for (uint32_t i = 0; i < so->n; i++) {
            int is_str;
            uint32_t tag = so->orders[i].tag;
            char *e = NULL;
            if ((PROP_TYPE(tag) & MV_INSTANCE) && (!q->mvi_tag ||
                    PROP_ID(q->mvi_tag) == PROP_ID(tag))) {
                st_tstr b = { 0 };
                q->mvi_tag = tag;
                st_tstr__add(&b, is_str_type(PROP_TYPE(tag) & ~(uint32_t)MVI_FLAG)
                    ? "(st_mv_at(props, %u, mvi.i) COLLATE ST_NOCASE)"
                    : "st_mv_at(props, %u, mvi.i)", (unsigned)tag);
                e = b.p;
            } else
                e = st_table__expr(tag, &is_str);
            if (!e) {
                st_error_set("table: cannot sort on property 0x%08X", so->orders[i].tag);
                st_tsql__clear(q);
                return ST_ELIMIT;
            }
            q->key_expr[q->n_keys] = e;
            q->key_desc[q->n_keys] = (so->orders[i].order & TABLE_SORT_DESCEND) != 0;
            q->n_keys++;
        }
        q->id_desc = q->n_keys ? q->key_desc[q->n_keys - 1] : 0;
        q->by_rowid = scan_whole_table(t, q);
    }
    if (t->res) {
        st_folder_counts fc;
        if (st_folder_counts_get(t->s, &fc, t->fid) == 0) {
            uint32_t n = t->assoc ? fc.assoc : fc.content;
            q->fts_cap = n / 500 > 200 ? n / 500 : 200;
        }
        q->where = st_table__res_sql(q, t->s, t->res);
        if (!q->where) {
            st_error_set("table: restriction too large or out of memory");
            st_tsql__clear(q);
            return ST_ERROR;
        }
    }
    return 0;
}
