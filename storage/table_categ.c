/*
 * table_categ.c: categorized tables (SortTable with cCategories 1 or 2).
 * The visible rows are produced in order by walking the groups level by
 * level: a GROUP BY query streams the groups of one level (within the
 * group values of the levels above) with their counts; an expanded group
 * recurses into the next level, the last level into its leaf rows by
 * keyset (the same as a flat table, with the group values fixed). A
 * position is a header (level + group values) or a leaf (all key values +
 * id), so reading resumes with the same queries wherever it stopped.
 *
 * Invariant: a header's identity is its level and its group values folded
 * as ST_NOCASE compares them (st_utf8_fold), so "alice" and "Alice" are one
 * category, as GROUP BY sees them; its instance key (top bit set) never
 * changes while the table lives. Nothing reads more than the groups and
 * rows it shows, except counts and positions (a GROUP BY over the table).
 * Never: hand out a header key that is also a message id (ids < 2^63).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/props_tags.h"
#include "storage/table_int.h"

#define HKEY_BIT (UINT64_C(1) << 63)

int st_table__categorized(const st_table *t)
{
    return t->sort && t->sort->n_categories > 0;
}

static uint32_t ncat(const st_table *t)
{
    return t->sort->n_categories;
}

/* ---- values as bytes: raw (to rebuild) and folded (identity) ---- */

static int ser_value(st_buf *b, sqlite3_value *v, int fold)
{
    uint8_t ty;
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: ty = 1; break;
    case SQLITE_FLOAT: ty = 2; break;
    case SQLITE_TEXT: ty = 3; break;
    case SQLITE_BLOB: ty = 4; break;
    default: ty = 0;
    }
    if (st_buf_append(b, &ty, 1))
        return ST_ERROR;
    if (ty == 1) {
        int64_t x = sqlite3_value_int64(v);
        return st_buf_append(b, &x, 8) ? ST_ERROR : 0;
    }
    if (ty == 2) {
        double x = sqlite3_value_double(v);
        return st_buf_append(b, &x, 8) ? ST_ERROR : 0;
    }
    if (ty == 0)
        return 0;
    const void *p = ty == 3 ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
    uint32_t len = (uint32_t)sqlite3_value_bytes(v);
    char *folded = NULL;
    if (ty == 3 && fold) {
        size_t need = st_utf8_fold(NULL, 0, p, len, FL_IGNORECASE) + 1;
        folded = malloc(need);
        if (!folded)
            return ST_ERROR;
        st_utf8_fold(folded, need, p, len, FL_IGNORECASE);
        p = folded;
        len = (uint32_t)(need - 1);
    }
    int r = st_buf_append(b, &len, 4) || (len && st_buf_append(b, p, len));
    free(folded);
    return r ? ST_ERROR : 0;
}

/* Reads one value written by ser_value(fold 0) into a sqlite3_value. */
static int deser_value(st_table *t, sqlite3_value **out, const uint8_t **p, const uint8_t *end)
{
    *out = NULL;
    if (*p >= end)
        return ST_ECORRUPT;
    uint8_t ty = *(*p)++;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(t->s->d.db, "SELECT ?", -1, &st, NULL) != SQLITE_OK)
        return st_db__err(&t->s->d, sqlite3_errcode(t->s->d.db), "collapse state");
    int code = 0;
    if (ty == 1 || ty == 2) {
        if (end - *p < 8)
            code = ST_ECORRUPT;
        else if (ty == 1) {
            int64_t x;
            memcpy(&x, *p, 8);
            sqlite3_bind_int64(st, 1, x);
        } else {
            double x;
            memcpy(&x, *p, 8);
            sqlite3_bind_double(st, 1, x);
        }
        *p += 8;
    } else if (ty == 3 || ty == 4) {
        uint32_t len;
        if (end - *p < 4)
            code = ST_ECORRUPT;
        else {
            memcpy(&len, *p, 4);
            *p += 4;
            if ((size_t)(end - *p) < len)
                code = ST_ECORRUPT;
            else if (ty == 3)
                sqlite3_bind_text(st, 1, (const char *)*p, (int)len, SQLITE_TRANSIENT);
            else
                sqlite3_bind_blob(st, 1, *p, (int)len, SQLITE_TRANSIENT);
            if (!code)
                *p += len;
        }
    } else if (ty != 0)
        code = ST_ECORRUPT;
    if (!code && sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_value_dup(sqlite3_column_value(st, 0));
        if (!*out)
            code = ST_ERROR;
    } else if (!code)
        code = ST_ERROR;
    sqlite3_finalize(st);
    if (code == ST_ECORRUPT)
        st_error_set("table: damaged collapse state");
    return code;
}

/* ---- header registry ---- */

static st_tcat *cat_find(st_table *t, int level, sqlite3_value **vals, int create)
{
    st_buf path = { 0 };
    for (int i = 0; i < level; i++)
        if (ser_value(&path, vals[i], 1)) {
            st_buf_free(&path);
            return NULL;
        }
    for (size_t i = 0; i < t->n_cats; i++) {
        st_tcat *c = &t->cats[i];
        if (c->level == level && c->len == path.len && !memcmp(c->path, path.data, path.len)) {
            st_buf_free(&path);
            return c;
        }
    }
    if (!create) {
        st_buf_free(&path);
        return NULL;
    }
    if (t->n_cats == t->cap_cats) {
        size_t cap = t->cap_cats ? t->cap_cats * 2 : 32;
        st_tcat *p = realloc(t->cats, cap * sizeof *p);
        if (!p) {
            st_buf_free(&path);
            return NULL;
        }
        t->cats = p;
        t->cap_cats = cap;
    }
    st_buf raw = { 0 };
    for (int i = 0; i < level; i++)
        if (ser_value(&raw, vals[i], 0)) {
            st_buf_free(&raw);   /* optional: expand/collapse then count the long way */
            break;
        }
    st_tcat *c = &t->cats[t->n_cats++];
    c->level = level;
    c->path = path.data;
    c->len = path.len;
    c->key = HKEY_BIT | ++t->next_hkey;
    c->state = -1;
    c->raw = raw.data;
    c->raw_len = raw.len;
    return c;
}

static int cat_expanded(st_table *t, int level, sqlite3_value **vals)
{
    st_tcat *c = cat_find(t, level, vals, 0);
    if (c && c->state >= 0)
        return c->state;
    return (uint32_t)level <= t->sort->n_expanded;
}

void st_table__c_reset(st_table *t)
{
    for (size_t i = 0; i < t->n_cats; i++) {
        free(t->cats[i].path);
        free(t->cats[i].raw);
    }
    free(t->cats);
    t->cats = NULL;
    t->n_cats = t->cap_cats = 0;
}

/* ---- the walk ---- */

typedef struct cdesc {
    st_tpos p;            /* level 1..c header (vals[0..level-1]) or 0 leaf (all, id) */
    int64_t count;        /* header: rows in the group */
    int64_t unread;       /* header: unread rows in the group */
} cdesc;

typedef struct walk {
    st_table *t;          /* the table */
    cdesc *d;             /* rows produced */
    size_t n, max;        /* produced / wanted */
} walk;

static void walk_free(walk *w)
{
    for (size_t i = 0; i < w->n; i++)
        st_tpos__clear(&w->d[i].p);
    free(w->d);
    w->d = NULL;
    w->n = 0;
}

static void add_base(st_tstr *b, const st_table *t)
{
    st_table__add_from(b, t);
    st_tstr__add(b, " WHERE ");
    st_table__add_scope(b, t, t->q.by_rowid);
    if (t->q.where)
        st_tstr__add(b, " AND %s", t->q.where);
}

/* The groups of level L come from the per-sender counts the schema keeps
 * (schema.c, store v4) instead of a GROUP BY over the folder: first level
 * by the sender column, no restriction, no MV instance rows. */
static int counted(const st_table *t, int L)
{
    return L == 1 && !t->q.where && !t->q.mvi_tag && !strcmp(t->q.key_expr[0], "sender_name");
}

/* The sender_counts rows as (sender_name or NULL, extra columns): a
 * subquery, so the bounds and ORDER BY of a GROUP BY query apply as they
 * are (a missing sender sorts first, as NULL does). */
static void add_counted(st_tstr *b, const st_table *t, const char *cols)
{
    st_tstr__add(b, "SELECT %s FROM (SELECT CASE WHEN has THEN sender_name END"
        " COLLATE ST_NOCASE AS sender_name, n, unread FROM sender_counts"
        " WHERE folder_id = %lld AND assoc = %d) WHERE 1", cols, (long long)t->fid, t->assoc);
}

static void add_prefix(st_tstr *b, const st_table *t, sqlite3_value **pv, int n)
{
    for (int i = 0; i < n; i++) {
        if (sqlite3_value_type(pv[i]) == SQLITE_NULL)
            st_tstr__add(b, " AND %s IS NULL", t->q.key_expr[i]);
        else
            st_tstr__add(b, " AND %s = ?%d", t->q.key_expr[i], i + 1);
    }
}

static sqlite3_stmt *prep(st_table *t, st_tstr *b)
{
    if (b->oom) {
        free(b->p);
        st_error_set("table: out of memory");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(t->s->d.db, b->p, -1, &st, NULL);
    free(b->p);
    if (rc != SQLITE_OK) {
        st_db__err(&t->s->d, rc, "preparing a categorized query");
        return NULL;
    }
    st_tsql__bind_eval(&t->q, st);
    return st;
}

static int push(walk *w, cdesc *d)
{
    w->d[w->n++] = *d;
    memset(d, 0, sizeof *d);
    return 0;
}

static int walk_level(walk *w, int L, sqlite3_value **pv, const st_tpos *from);

static int walk_leaves(walk *w, sqlite3_value **pv, const st_tpos *from)
{
    st_table *t = w->t;
    const st_tsql *q = &t->q;
    int c = (int)ncat(t);
    st_tstr b = { 0 };
    st_tstr__add(&b, "SELECT id");
    for (size_t i = 0; i < q->n_keys; i++)
        st_tstr__add(&b, ", %s", q->key_expr[i]);
    if (q->mvi_tag)
        st_tstr__add(&b, ", mvi.i");
    add_base(&b, t);
    add_prefix(&b, t, pv, c);
    if (from) {
        /* keyset over the leaf keys (c..) and the id, inclusive */
        size_t open = 0;
        st_tstr__add(&b, " AND ");
        for (size_t i = (size_t)c; i < q->n_keys; i++) {
            const char *k = q->key_expr[i];
            int desc = q->key_desc[i];
            int p = (int)i + 1;
            if (sqlite3_value_type(from->vals[i]) == SQLITE_NULL)
                st_tstr__add(&b, desc ? "(0 OR (%s IS NULL AND " :
                    "(%s IS NOT NULL OR (%s IS NULL AND ", k, k);
            else if (desc)
                st_tstr__add(&b, "((%s < ?%d OR %s IS NULL) OR (%s = ?%d AND ", k, p, k, k, p);
            else
                st_tstr__add(&b, "(%s > ?%d OR (%s = ?%d AND ", k, p, k, p);
            open++;
        }
        if (q->mvi_tag)
            st_tstr__add(&b, "(id %s ?%d OR (id = ?%d AND mvi.i %s ?%d))", q->id_desc ? "<" : ">",
                ST_TABLE__MAX_KEYS + 1, ST_TABLE__MAX_KEYS + 1, q->id_desc ? "<=" : ">=",
                ST_TABLE__MAX_KEYS + 2);
        else
            st_tstr__add(&b, "id %s ?%d", q->id_desc ? "<=" : ">=", ST_TABLE__MAX_KEYS + 1);
        for (size_t i = 0; i < open; i++)
            st_tstr__add(&b, "))");
    }
    st_tstr__add(&b, " ORDER BY ");
    for (size_t i = (size_t)c; i < q->n_keys; i++)
        st_tstr__add(&b, "%s %s, ", q->key_expr[i], q->key_desc[i] ? "DESC" : "ASC");
    st_tstr__add(&b, "id %s", q->id_desc ? "DESC" : "ASC");
    if (q->mvi_tag)
        st_tstr__add(&b, ", mvi.i %s", q->id_desc ? "DESC" : "ASC");
    st_tstr__add(&b, " LIMIT %zu", w->max - w->n);
    sqlite3_stmt *st = prep(t, &b);
    if (!st)
        return ST_ERROR;
    for (int i = 0; i < c; i++)
        if (sqlite3_value_type(pv[i]) != SQLITE_NULL)
            sqlite3_bind_value(st, i + 1, pv[i]);
    if (from) {
        for (size_t i = (size_t)c; i < q->n_keys; i++)
            if (sqlite3_value_type(from->vals[i]) != SQLITE_NULL)
                sqlite3_bind_value(st, (int)i + 1, from->vals[i]);
        sqlite3_bind_int64(st, ST_TABLE__MAX_KEYS + 1, from->id);
        sqlite3_bind_int64(st, ST_TABLE__MAX_KEYS + 2, from->inst);
    }
    int rc, code = 0;
    while (!code && w->n < w->max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        cdesc d = { .p = { .mode = POS_KEY, .level = 0, .id = sqlite3_column_int64(st, 0),
            .inst = q->mvi_tag ? sqlite3_column_int64(st, (int)q->n_keys + 1) : 0 } };
        for (size_t i = 0; !code && i < q->n_keys; i++) {
            d.p.vals[i] = sqlite3_value_dup(sqlite3_column_value(st, (int)i + 1));
            if (!d.p.vals[i])
                code = ST_ERROR;
        }
        if (code)
            st_tpos__clear(&d.p);
        else
            push(w, &d);
    }
    if (!code && rc != SQLITE_ROW && rc != SQLITE_DONE)
        code = st_db__err(&t->s->d, rc, "reading category rows");
    sqlite3_finalize(st);
    return code;
}

static int same_group(sqlite3_value *a, sqlite3_value *b)
{
    st_buf x = { 0 }, y = { 0 };
    int eq = !ser_value(&x, a, 1) && !ser_value(&y, b, 1) && x.len == y.len &&
        !memcmp(x.data, y.data, x.len);
    st_buf_free(&x);
    st_buf_free(&y);
    return eq;
}

static int walk_level(walk *w, int L, sqlite3_value **pv, const st_tpos *from)
{
    st_table *t = w->t;
    int c = (int)ncat(t);
    if (L > c)
        return walk_leaves(w, pv, from);
    const char *k = t->q.key_expr[L - 1];
    int desc = t->q.key_desc[L - 1];
    st_tstr b = { 0 };
    int fast = counted(t, L);
    if (fast)
        add_counted(&b, t, "sender_name, n, unread");
    else {
        st_tstr__add(&b, "SELECT %s, count(*), sum(CASE WHEN flags & 1 THEN 0 ELSE 1 END)", k);
        add_base(&b, t);
        add_prefix(&b, t, pv, L - 1);
    }
    sqlite3_value *fv = from ? from->vals[L - 1] : NULL;
    if (fv) {
        int null = sqlite3_value_type(fv) == SQLITE_NULL;
        if (null && desc)
            st_tstr__add(&b, " AND %s IS NULL", k);
        else if (!null && !desc)
            st_tstr__add(&b, " AND %s >= ?%d", k, L);
        else if (!null)
            st_tstr__add(&b, " AND (%s <= ?%d OR %s IS NULL)", k, L, k);
    }
    if (!fast)
        st_tstr__add(&b, " GROUP BY %s", k);
    st_tstr__add(&b, " ORDER BY %s %s LIMIT %zu", k, desc ? "DESC" : "ASC", w->max - w->n);
    sqlite3_stmt *st = prep(t, &b);
    if (!st)
        return ST_ERROR;
    for (int i = 0; i < L - 1; i++)
        if (sqlite3_value_type(pv[i]) != SQLITE_NULL)
            sqlite3_bind_value(st, i + 1, pv[i]);
    if (fv && sqlite3_value_type(fv) != SQLITE_NULL)
        sqlite3_bind_value(st, L, fv);
    int rc, code = 0, first = 1;
    while (!code && w->n < w->max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_value *g = sqlite3_value_dup(sqlite3_column_value(st, 0));
        if (!g) {
            code = ST_ERROR;
            break;
        }
        int inside = first && fv && same_group(fv, g);
        first = 0;
        sqlite3_value *vals[ST_TABLE__MAX_KEYS] = { 0 };
        for (int i = 0; i < L - 1; i++)
            vals[i] = pv[i];
        vals[L - 1] = g;
        if (!inside || from->level == L) {
            cdesc d = { .p = { .mode = POS_KEY, .level = L }, .count = sqlite3_column_int64(st, 1),
                .unread = sqlite3_column_int64(st, 2) };
            for (int i = 0; !code && i < L; i++) {
                d.p.vals[i] = sqlite3_value_dup(vals[i]);
                if (!d.p.vals[i])
                    code = ST_ERROR;
            }
            if (!code && !cat_find(t, L, vals, 1))
                code = ST_ERROR;
            if (code)
                st_tpos__clear(&d.p);
            else
                push(w, &d);
        }
        if (!code && w->n < w->max && cat_expanded(t, L, vals))
            code = walk_level(w, L + 1, vals,
                inside && (from->level == 0 || from->level > L) ? from : NULL);
        sqlite3_value_free(g);
    }
    if (!code && rc != SQLITE_ROW && rc != SQLITE_DONE)
        code = st_db__err(&t->s->d, rc, "reading categories");
    sqlite3_finalize(st);
    return code;
}

/* Up to max rows from pos (NULL/BEGIN: the start). */
static int walk_from(st_table *t, walk *w, const st_tpos *pos, size_t max)
{
    memset(w, 0, sizeof *w);
    w->t = t;
    w->max = max;
    w->d = calloc(max ? max : 1, sizeof *w->d);
    if (!w->d) {
        st_error_set("table: out of memory");
        return ST_ERROR;
    }
    if (pos && pos->mode == POS_END)
        return 0;
    int code = walk_level(w, 1, NULL, pos && pos->mode == POS_KEY ? pos : NULL);
    if (code)
        walk_free(w);
    return code;
}

/* ---- rows ---- */

static int value_from_sql(st_value *out, uint32_t tag, sqlite3_value *v)
{
    if (PROP_TYPE(tag) & MV_INSTANCE)
        tag &= ~(uint32_t)MVI_FLAG;   /* a header shows one value of an MV instance key */
    st_value x = { .tag = tag };
    uint8_t g[16];
    st_guid guid;
    if (sqlite3_value_type(v) == SQLITE_NULL)
        return ST_ENOTFOUND;
    switch (PROP_TYPE(tag)) {
    case PT_I2: x.v.i = (int16_t)sqlite3_value_int(v); break;
    case PT_LONG: x.v.l = sqlite3_value_int(v); break;
    case PT_BOOLEAN: x.v.b = sqlite3_value_int(v) != 0; break;
    case PT_I8: case PT_CURRENCY: x.v.li = sqlite3_value_int64(v); break;
    case PT_SYSTIME: x.v.ft = (uint64_t)sqlite3_value_int64(v); break;
    case PT_R4: x.v.flt = (float)sqlite3_value_double(v); break;
    case PT_DOUBLE: x.v.dbl = sqlite3_value_double(v); break;
    case PT_APPTIME: x.v.at = sqlite3_value_double(v); break;
    case PT_UNICODE: case PT_STRING8: x.v.str = (char *)(uintptr_t)sqlite3_value_text(v); break;
    case PT_BINARY:
        x.v.bin.len = (uint32_t)sqlite3_value_bytes(v);
        x.v.bin.data = (uint8_t *)(uintptr_t)sqlite3_value_blob(v);
        break;
    case PT_CLSID:
        if (sqlite3_value_bytes(v) != 16)
            return ST_ENOTFOUND;
        memcpy(g, sqlite3_value_blob(v), 16);
        st_guid_from_bytes(&guid, g);
        x.v.guid = &guid;
        break;
    default:
        return ST_ENOTFOUND;
    }
    return st_value_copy(out, &x) ? ST_ERROR : 0;
}

static int header_row(st_table *t, st_row *out, const cdesc *d)
{
    memset(out, 0, sizeof *out);
    out->vals = calloc(t->n_cols ? t->n_cols : 1, sizeof *out->vals);
    if (!out->vals)
        return ST_ERROR;
    out->n = t->n_cols;
    st_tcat *c = cat_find(t, d->p.level, (sqlite3_value **)(uintptr_t)d->p.vals, 1);
    if (!c)
        return ST_ERROR;
    int expanded = cat_expanded(t, d->p.level, (sqlite3_value **)(uintptr_t)d->p.vals);
    uint8_t key[8];
    for (int i = 0; i < 8; i++)
        key[i] = (uint8_t)(c->key >> (8 * i));
    for (size_t i = 0; i < t->n_cols; i++) {
        uint32_t tag = t->cols[i];
        st_value *v = &out->vals[i];
        int code = ST_ENOTFOUND;
        if (tag == PR_INSTANCE_KEY)
            code = st_value_copy(v, &(st_value){ .tag = tag, .v.bin = { 8, key } }) ? ST_ERROR : 0;
        else if (tag == PR_ROW_TYPE) {
            *v = st_view_long(tag, (int32_t)(expanded ? TBL_EXPANDED_CATEGORY
                : TBL_COLLAPSED_CATEGORY));
            code = 0;
        } else if (tag == PR_DEPTH) {
            *v = st_view_long(tag, d->p.level - 1);
            code = 0;
        } else if (tag == PR_INSTANCE_NUM) {
            *v = st_view_long(tag, 0);
            code = 0;
        } else if (tag == PR_CONTENT_COUNT) {
            *v = st_view_long(tag, (int32_t)d->count);
            code = 0;
        } else if (tag == PR_CONTENT_UNREAD) {
            *v = st_view_long(tag, (int32_t)d->unread);
            code = 0;
        } else {
            for (int l = 0; l < d->p.level; l++)
                if (t->sort->orders[l].tag == tag) {
                    code = value_from_sql(v, tag, d->p.vals[l]);
                    break;
                }
        }
        if (code == ST_ERROR)
            return ST_ERROR;
        if (code)
            st_table__not_found(v, tag);
    }
    return 0;
}

static int leaf_row(st_table *t, st_row *out, const cdesc *d)
{
    int code = st_table__make_row(t, out, d->p.id, d->p.inst);
    for (size_t i = 0; !code && i < out->n; i++)
        if (t->cols[i] == PR_DEPTH)
            out->vals[i].v.l = (int32_t)ncat(t);
    return code;
}

/* The rows of the first k descriptors of w. */
static int build_rows(st_table *t, walk *w, size_t k, st_row **out, size_t *n)
{
    st_row *rows = calloc(k ? k : 1, sizeof *rows);
    size_t made = 0;
    int code = rows ? 0 : ST_ERROR;
    for (size_t i = 0; !code && i < k; i++) {
        code = w->d[i].p.level ? header_row(t, &rows[made], &w->d[i])
                               : leaf_row(t, &rows[made], &w->d[i]);
        if (code == ST_ENOTFOUND)   /* deleted meanwhile */
            code = 0;
        else
            made++;   /* built, or partly built: freed below */
    }
    if (code) {
        st_rows_free(rows, made);
        if (code == ST_ERROR)
            st_error_set("table: out of memory");
        return code;
    }
    *out = rows;
    *n = made;
    return 0;
}

/* Backward moves: the position k rows before pos (or the beginning), and
 * how many rows that is. Positions in a categorized table are counted from
 * the beginning (st_table__c_index), so this costs a walk to pos. */
static int back_start(st_table *t, const st_tpos *pos, long k, st_tpos *start, long *moved)
{
    uint32_t idx = 0;
    int code = st_table__c_index(t, &idx, pos);
    if (code)
        return code;
    long s = (long)idx > k ? (long)idx - k : 0;
    *moved = (long)idx - s;
    memset(start, 0, sizeof *start);
    start->mode = POS_BEGIN;
    long got = 0;
    code = st_table__c_advance(t, start, s, &got);
    if (code)
        st_tpos__clear(start);
    return code;
}

int st_table__c_query(st_table *t, st_row **out, size_t *n, long count, unsigned flags)
{
    *out = NULL;
    *n = 0;
    if (count == 0)
        return 0;
    int back = count < 0;
    long want = back ? -count : count;
    if (want > 100000)
        want = 100000;
    st_tpos start = { 0 };
    long avail = want;
    int code = 0;
    if (back) {
        if (t->cur.mode == POS_BEGIN)
            return 0;
        code = back_start(t, &t->cur, want, &start, &avail);
        if (code)
            return code;
    } else if (t->cur.mode == POS_END) {
        return 0;
    }
    walk w;
    code = walk_from(t, &w, back ? &start : &t->cur, (size_t)avail + (back ? 0 : 1));
    if (code) {
        st_tpos__clear(&start);
        return code;
    }
    size_t k = w.n < (size_t)avail ? w.n : (size_t)avail;
    code = build_rows(t, &w, k, out, n);
    if (!code && !(flags & TBL_NOADVANCE)) {
        st_tpos__clear(&t->cur);
        if (back) {   /* the cursor stands before the first row read */
            t->cur = start;
            memset(&start, 0, sizeof start);
        } else if (w.n > (size_t)avail) {
            t->cur = w.d[avail].p;
            memset(&w.d[avail].p, 0, sizeof w.d[avail].p);
        } else
            t->cur.mode = POS_END;
    }
    st_tpos__clear(&start);
    walk_free(&w);
    return code;
}

int st_table__c_seek_back(st_table *t, const st_tpos *from, long rows, long *moved)
{
    st_tpos start;
    int code = back_start(t, from, rows, &start, moved);
    if (code)
        return code;
    *moved = -*moved;
    st_tpos__clear(&t->cur);
    t->cur = start;
    return 0;
}

int st_table__c_count(st_table *t, uint32_t *out)
{
    int c = (int)ncat(t);
    st_tstr b = { 0 };
    if (c == 1 && counted(t, 1))
        add_counted(&b, t, "sender_name, n");
    else {
        st_tstr__add(&b, "SELECT %s", t->q.key_expr[0]);
        if (c > 1)
            st_tstr__add(&b, ", %s", t->q.key_expr[1]);
        st_tstr__add(&b, ", count(*)");
        add_base(&b, t);
        st_tstr__add(&b, " GROUP BY %s", t->q.key_expr[0]);
        if (c > 1)
            st_tstr__add(&b, ", %s", t->q.key_expr[1]);
    }
    sqlite3_stmt *st = prep(t, &b);
    if (!st)
        return ST_ERROR;
    uint64_t total = 0;
    sqlite3_value *g1 = NULL;
    int exp1 = 0, rc, code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_value *v0 = sqlite3_column_value(st, 0);
        int64_t cnt = sqlite3_column_int64(st, c);
        if (!g1 || !same_group(g1, v0)) {
            sqlite3_value_free(g1);
            g1 = sqlite3_value_dup(v0);
            if (!g1) {
                code = ST_ERROR;
                break;
            }
            total++;
            exp1 = cat_expanded(t, 1, &g1);
            if (c == 1 && exp1)
                total += (uint64_t)cnt;
        }
        if (c > 1 && exp1) {
            sqlite3_value *vals[2] = { g1, sqlite3_column_value(st, 1) };
            total += 1 + (cat_expanded(t, 2, vals) ? (uint64_t)cnt : 0);
        }
    }
    if (!code && rc != SQLITE_DONE)
        code = st_db__err(&t->s->d, rc, "counting categorized rows");
    sqlite3_value_free(g1);
    sqlite3_finalize(st);
    if (!code)
        *out = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
    return code;
}

int st_table__c_advance(st_table *t, st_tpos *pos, long rows, long *moved)
{
    *moved = 0;
    while (rows > 0 && pos->mode != POS_END) {
        long k = rows < 1000 ? rows : 1000;
        walk w;
        int code = walk_from(t, &w, pos, (size_t)k + 1);
        if (code)
            return code;
        st_tpos__clear(pos);
        if (w.n > (size_t)k) {
            *pos = w.d[k].p;
            memset(&w.d[k].p, 0, sizeof w.d[k].p);
            *moved += k;
            rows -= k;
        } else {
            pos->mode = POS_END;
            *moved += (long)w.n;
        }
        walk_free(&w);
    }
    return 0;
}

static int same_pos(const st_table *t, const st_tpos *a, const st_tpos *b)
{
    if (a->level != b->level)
        return 0;
    if (a->level == 0)
        return a->id == b->id && a->inst == b->inst;
    for (int i = 0; i < a->level; i++)
        if (!same_group(a->vals[i], b->vals[i]))
            return 0;
    (void)t;
    return 1;
}

int st_table__c_index(st_table *t, uint32_t *out, const st_tpos *pos)
{
    *out = 0;
    if (pos->mode == POS_BEGIN)
        return 0;
    if (pos->mode == POS_END)
        return st_table__c_count(t, out);
    st_tpos at = { .mode = POS_BEGIN };
    uint32_t idx = 0;
    for (;;) {
        walk w;
        int code = walk_from(t, &w, &at, 1001);
        if (code) {
            st_tpos__clear(&at);
            return code;
        }
        size_t lim = w.n > 1000 ? 1000 : w.n;
        for (size_t i = 0; i < lim; i++, idx++)
            if (same_pos(t, &w.d[i].p, pos)) {
                walk_free(&w);
                st_tpos__clear(&at);
                *out = idx;
                return 0;
            }
        st_tpos__clear(&at);
        if (w.n <= 1000) {
            walk_free(&w);
            *out = idx;   /* the row is gone: the end */
            return 0;
        }
        at = w.d[1000].p;
        memset(&w.d[1000].p, 0, sizeof w.d[1000].p);
        walk_free(&w);
    }
}

/* ---- expand / collapse / state ---- */

static st_tcat *cat_by_key(st_table *t, const uint8_t key[8])
{
    uint64_t k = 0;
    for (int i = 0; i < 8; i++)
        k |= (uint64_t)key[i] << (8 * i);
    for (size_t i = 0; i < t->n_cats; i++)
        if (t->cats[i].key == k)
            return &t->cats[i];
    return NULL;
}

/* Rows shown under an expanded header (level, vals), the header excluded:
 * its leaves (last level) or its subgroups with their expanded leaves. */
static int count_under(st_table *t, uint32_t *out, int level, sqlite3_value **vals)
{
    int c = (int)ncat(t);
    st_tstr b = { 0 };
    if (level == c)
        st_tstr__add(&b, "SELECT count(*), 0");
    else
        st_tstr__add(&b, "SELECT count(*), %s", t->q.key_expr[level]);
    add_base(&b, t);
    add_prefix(&b, t, vals, level);
    if (level < c)
        st_tstr__add(&b, " GROUP BY %s", t->q.key_expr[level]);
    sqlite3_stmt *st = prep(t, &b);
    if (!st)
        return ST_ERROR;
    for (int i = 0; i < level; i++)
        if (sqlite3_value_type(vals[i]) != SQLITE_NULL)
            sqlite3_bind_value(st, i + 1, vals[i]);
    uint64_t total = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t cnt = (uint64_t)sqlite3_column_int64(st, 0);
        if (level == c)
            total += cnt;
        else {
            sqlite3_value *sub[ST_TABLE__MAX_KEYS] = { 0 };
            for (int i = 0; i < level; i++)
                sub[i] = vals[i];
            sub[level] = sqlite3_column_value(st, 1);
            total += 1 + (cat_expanded(t, level + 1, sub) ? cnt : 0);
        }
    }
    int code = rc == SQLITE_DONE ? 0 : st_db__err(&t->s->d, rc, "counting a category");
    sqlite3_finalize(st);
    if (!code)
        *out = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
    return code;
}

/* The header's values, rebuilt from its raw bytes; 0 or an error. */
static int cat_values(st_table *t, const st_tcat *c, sqlite3_value **vals)
{
    const uint8_t *p = c->raw, *end = c->raw + c->raw_len;
    int code = 0;
    for (int i = 0; !code && i < c->level; i++)
        code = deser_value(t, &vals[i], &p, end);
    return code;
}

static int set_state(st_table *t, const uint8_t key[8], int expand, uint32_t *n)
{
    if (n)
        *n = 0;
    if (!st_table__categorized(t)) {
        st_error_set("table: not categorized");
        return ST_ENOTFOUND;
    }
    st_tcat *c = cat_by_key(t, key);
    if (!c) {
        st_error_set("table: no such category row");
        return ST_ENOTFOUND;
    }
    uint32_t before = 0, after = 0;
    int code;
    if (c->raw) {
        /* Only this header's rows change: count them, not the table. */
        sqlite3_value *vals[ST_TABLE__MAX_KEYS] = { 0 };
        code = cat_values(t, c, vals);
        int was = code ? 0 : cat_expanded(t, c->level, vals);
        int shown = code || c->level == 1 || cat_expanded(t, 1, vals);
        uint32_t under = 0;
        if (!code && was != expand && shown)
            code = count_under(t, &under, c->level, vals);
        for (int i = 0; i < c->level; i++)
            sqlite3_value_free(vals[i]);
        if (code)
            return code;
        c->state = expand;
        if (n)
            *n = under;
        return 0;
    }
    code = st_table__c_count(t, &before);
    if (code)
        return code;
    c->state = expand;
    code = st_table__c_count(t, &after);
    if (!code && n)
        *n = after > before ? after - before : before - after;
    return code;
}

int st_table_expand(st_table *t, const uint8_t key[8], uint32_t *n)
{
    return set_state(t, key, 1, n);
}

int st_table_collapse(st_table *t, const uint8_t key[8], uint32_t *n)
{
    return set_state(t, key, 0, n);
}

/* Blob: "STCS" 1, u32 n, per header: level(1) state(1) u32 len path;
 * then the row: 0 none | 1 leaf u64 id | 2 header level(1) raw values. */
int st_table_collapse_state_get(st_table *t, uint8_t **out, size_t *len, const uint8_t key[8])
{
    *out = NULL;
    *len = 0;
    st_buf b = { 0 };
    uint32_t n = 0;
    for (size_t i = 0; i < t->n_cats; i++)
        n += t->cats[i].state >= 0;
    int r = st_buf_append(&b, "STCS\1", 5) || st_buf_append(&b, &n, 4);
    for (size_t i = 0; !r && i < t->n_cats; i++) {
        const st_tcat *c = &t->cats[i];
        if (c->state < 0)
            continue;
        uint8_t h[2] = { (uint8_t)c->level, (uint8_t)c->state };
        uint32_t l = (uint32_t)c->len;
        r = st_buf_append(&b, h, 2) || st_buf_append(&b, &l, 4) ||
            (l && st_buf_append(&b, c->path, l));
    }
    uint8_t none = 0;
    int code = r ? ST_ERROR : 0;
    uint64_t k = 0;
    for (int i = 0; key && i < 8; i++)
        k |= (uint64_t)key[i] << (8 * i);
    if (!code && key && !(k & HKEY_BIT)) {
        uint8_t one = 1;
        code = st_buf_append(&b, &one, 1) || st_buf_append(&b, &k, 8) ? ST_ERROR : 0;
    } else if (!code && key) {
        /* a header: find its values by walking to it would be costly; keep
         * the raw values of the row under the cursor when it is that header */
        st_tcat *c = cat_by_key(t, key);
        if (c && t->cur.mode == POS_KEY && t->cur.level == c->level &&
            cat_find(t, c->level, t->cur.vals, 0) == c) {
            uint8_t h[2] = { 2, (uint8_t)c->level };
            code = st_buf_append(&b, h, 2) ? ST_ERROR : 0;
            for (int i = 0; !code && i < c->level; i++)
                code = ser_value(&b, t->cur.vals[i], 0);
        } else
            code = st_buf_append(&b, &none, 1) ? ST_ERROR : 0;
    } else if (!code)
        code = st_buf_append(&b, &none, 1) ? ST_ERROR : 0;
    if (code) {
        st_buf_free(&b);
        st_error_set("table: out of memory");
        return code;
    }
    *out = b.data;
    *len = b.len;
    return 0;
}

int st_table_collapse_state_set(st_table *t, st_bookmark *out, const uint8_t *state, size_t len)
{
    *out = BOOKMARK_BEGINNING;
    const uint8_t *p = state, *end = state + len;
    uint32_t n;
    if (len < 9 || memcmp(p, "STCS\1", 5)) {
        st_error_set("table: not a collapse state");
        return ST_ECORRUPT;
    }
    memcpy(&n, p + 5, 4);
    p += 9;
    for (size_t i = 0; i < t->n_cats; i++)
        t->cats[i].state = -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t l;
        if (end - p < 6)
            return ST_ECORRUPT;
        int level = p[0], st = p[1];
        memcpy(&l, p + 2, 4);
        p += 6;
        if ((size_t)(end - p) < l)
            return ST_ECORRUPT;
        st_tcat *c = NULL;
        for (size_t j = 0; j < t->n_cats; j++)
            if (t->cats[j].level == level && t->cats[j].len == l &&
                !memcmp(t->cats[j].path, p, l))
                c = &t->cats[j];
        if (!c) {
            if (t->n_cats == t->cap_cats) {
                size_t cap = t->cap_cats ? t->cap_cats * 2 : 32;
                st_tcat *q = realloc(t->cats, cap * sizeof *q);
                if (!q)
                    return ST_ERROR;
                t->cats = q;
                t->cap_cats = cap;
            }
            c = &t->cats[t->n_cats];
            c->raw = NULL;
            c->raw_len = 0;
            c->path = malloc(l ? l : 1);
            if (!c->path)
                return ST_ERROR;
            memcpy(c->path, p, l);
            c->len = l;
            c->level = level;
            c->key = HKEY_BIT | ++t->next_hkey;
            t->n_cats++;
        }
        c->state = st ? 1 : 0;
        p += l;
    }
    if (p >= end)
        return ST_ECORRUPT;
    st_tpos pos = { .mode = POS_BEGIN };
    int code = 0;
    if (*p == 1 && end - p >= 9) {
        uint64_t id;
        memcpy(&id, p + 1, 8);
        code = st_table__pos_of(t, &pos, (int64_t)id);
        if (code == ST_ENOTFOUND) {
            code = 0;
            pos.mode = POS_BEGIN;
        }
    } else if (*p == 2 && end - p >= 2) {
        int level = p[1];
        const uint8_t *q = p + 2;
        pos.mode = POS_KEY;
        pos.level = level;
        for (int i = 0; !code && i < level && i < ST_TABLE__MAX_KEYS; i++)
            code = deser_value(t, &pos.vals[i], &q, end);
    }
    if (code) {
        st_tpos__clear(&pos);
        return code;
    }
    st_tpos saved = t->cur;
    t->cur = pos;
    code = st_table_bookmark_create(t, out);
    st_tpos__clear(&t->cur);
    t->cur = saved;
    return code;
}

/* 1 when row descriptor d is a leaf matching r, 0 when not, <0 error. */
static int leaf_matches(st_table *t, const st_restriction *r, const cdesc *d)
{
    if (d->p.level)
        return 0;   /* header rows carry no message properties to match */
    st_bag *bag = NULL;
    int code = st_message_get(t->s, &bag, (st_id)d->p.id);
    if (code == ST_ENOTFOUND)
        return 0;
    if (code)
        return code;
    int m = st_res_eval(r, bag, NULL);
    st_bag_free(bag);
    return m < 0 ? ST_ERROR : m > 0;
}

/* Forward: the first matching leaf from `from` on. Backward: the last one
 * before `from` (a walk from the beginning up to it, remembering the last
 * match). The cursor goes to it. */
int st_table__c_find(st_table *t, const st_restriction *r, const st_tpos *from, int backward)
{
    st_tpos at = { 0 }, found = { 0 };
    uint32_t stop = UINT32_MAX, idx = 0;
    int code = 0, have = 0;
    if (backward) {
        code = st_table__c_index(t, &stop, from);
        at.mode = POS_BEGIN;
    } else
        code = st_tpos__copy(&at, from, t->q.n_keys);
    while (!code && at.mode != POS_END && idx < stop) {
        walk w;
        code = walk_from(t, &w, &at, 1001);
        if (code)
            break;
        size_t lim = w.n > 1000 ? 1000 : w.n;
        for (size_t i = 0; !code && i < lim && idx < stop; i++, idx++) {
            int m = leaf_matches(t, r, &w.d[i]);
            if (m < 0) {
                code = m;
            } else if (m) {
                st_tpos__clear(&found);
                found = w.d[i].p;
                memset(&w.d[i].p, 0, sizeof w.d[i].p);
                have = 1;
                if (!backward)
                    break;
            }
        }
        st_tpos__clear(&at);
        if (!code && have && !backward) {
            walk_free(&w);
            break;
        }
        if (!code && w.n > 1000) {
            at = w.d[1000].p;
            memset(&w.d[1000].p, 0, sizeof w.d[1000].p);
        } else
            at.mode = POS_END;
        walk_free(&w);
    }
    st_tpos__clear(&at);
    if (!code && have) {
        st_tpos__clear(&t->cur);
        t->cur = found;
        return 0;
    }
    st_tpos__clear(&found);
    if (!code) {
        st_error_set("table: no row matches");
        code = ST_ENOTFOUND;
    }
    return code;
}
