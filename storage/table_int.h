/*
 * table_int.h: what the table*.c files share (never included outside
 * storage/): the st_table struct, its cursor (a saved keyset position), the
 * SQL translation of sorts and restrictions (table_sql.c) and the change
 * queue (table_live.c).
 *
 * Invariant: a position is (mode, key values, object id) and is compared in
 * SQL with the same expressions the ORDER BY uses, so a position stays
 * valid whatever rows are added or deleted around it.
 * Never: let an sqlite3_stmt or sqlite3_value of a table cross threads.
 */
#ifndef MAPIDAV_TABLE_INT_H
#define MAPIDAV_TABLE_INT_H

#include "storage/os.h"
#include "storage/storage_int.h"
#include "storage/table.h"

#define ST_TABLE__MAX_KEYS 16   /* sort keys (+ the object id) */
#define ST_TABLE__MAX_EVAL 32   /* sub-restrictions evaluated in C per query */
#define ST_TABLE__MAX_QUEUE 256 /* queued events before a TABLE_RELOAD */
#define ST_TABLE__APPROX_EXACT 10000 /* rows up to which SeekRowApprox is exact */

/* A position in the table: before the row with key (vals, id), or at an end. */
enum { POS_BEGIN = 0, POS_KEY = 1, POS_END = 2 };
typedef struct st_tpos {
    int mode;                           /* POS_* */
    int level;                          /* categorized: 1..c header of that level, 0 leaf */
    sqlite3_value *vals[ST_TABLE__MAX_KEYS]; /* POS_KEY: sort-key values (owned) */
    int64_t id;                         /* POS_KEY: the row's object id */
    int64_t inst;                       /* POS_KEY: MV instance index (0 without) */
} st_tpos;

/* One restriction subtree SQL cannot decide: evaluated by st_tres(?N, id). */
typedef struct st_teval {
    st_store *s;                        /* to load the message */
    const st_restriction *r;            /* borrowed from the table's copy */
} st_teval;

/* The compiled form of a (sort, restriction) pair. */
/* Trigram candidates counted before a content restriction is driven by
 * the index (table_sql.c fts_selective), and the budget of SQLite VM steps
 * a scan gets to produce the first screen before the table falls back to
 * the index (table.c). */
#define ST_TABLE__FTS_PROBE 256
#define ST_TABLE__SCAN_BUDGET 2000000
/* Their values in force (table_sql.c): tests lower them to reach every
 * plan on a small folder. */
extern uint32_t st_table__fts_probe;
extern long st_table__scan_budget;

typedef struct st_tsql {
    size_t n_keys;                      /* sort keys, not counting the id */
    char *key_expr[ST_TABLE__MAX_KEYS]; /* SQL expression of each key (owned) */
    int key_desc[ST_TABLE__MAX_KEYS];   /* 1: descending */
    int id_desc;                        /* direction of the id tie-break */
    char *where;                        /* restriction as SQL, or NULL (owned) */
    st_teval eval[ST_TABLE__MAX_EVAL];  /* ?101.. bound as pointers */
    size_t n_eval;                      /* used in eval */
    uint32_t mvi_tag;                   /* the MV_INSTANCE column expanded per value, or 0 */
    uint32_t fts_cap;                   /* trigram candidates above which we scan; 0: always use */
    int by_rowid;                       /* few FTS candidates: drive by them, not by an index */
    int fts_force;                      /* the trigram index drives every content node it can */
    int fts_trial;                      /* a scan was chosen where the index might be better */
} st_tsql;

typedef struct st_tbm {
    st_bookmark id;                     /* handed out */
    st_tpos pos;                        /* saved position */
} st_tbm;

typedef struct st_tqueue {
    st_mutex mutex;                     /* guards what follows (any thread) */
    st_event *ev;                       /* queued events of our folder */
    size_t n, cap;                      /* used / allocated */
    int reload;                         /* overflow or another process: reload */
    st_id fid;                          /* the table's folder (constant) */
    int assoc;                          /* the table's kind (constant) */
    int hier;                           /* a hierarchy table: folder events reload */
    uint64_t gen;                       /* bumped by every event of our rows */
} st_tqueue;

/* The first rows of a table sorted by one string property of the blob,
 * chosen in C by the st_topn aggregate (table_sql.c) instead of SQLite's
 * sorter: a bounded max-heap of the best cap rows in reading order (key
 * COLLATE ST_NOCASE, then id; NULL first ascending; desc reverses both). */
typedef struct st_topn_ent {
    char *key;                          /* the key's bytes (owned), NULL: no value */
    size_t len;                         /* bytes in key */
    int64_t id;                         /* the message */
} st_topn_ent;
typedef struct st_topn {
    uint32_t tag;                       /* the sort property */
    int desc;                           /* reading order is descending */
    size_t cap;                         /* rows kept at most */
    size_t n;                           /* rows in e */
    st_topn_ent *e;                     /* heap, then (st_topn__sort) reading order */
    int oom;                            /* an allocation failed */
} st_topn;
#define ST_TABLE__TOPN_MAX 2048         /* rows kept of the first scan; pages below it */
/* The rows kept in force (table_sql.c): tests lower it to reach the page
 * past the kept rows on a small folder. */
extern size_t st_table__topn_keep;

/* A category header the table has shown: its key and expand state. */
typedef struct st_tcat {
    int level;                          /* 1..n_categories */
    uint8_t *path;                      /* folded values of levels 1..level (owned) */
    size_t len;                         /* bytes in path */
    uint64_t key;                       /* instance key (top bit set) */
    int state;                          /* -1 default, 0 collapsed, 1 expanded */
    uint8_t *raw;                       /* the values as shown (unfolded), or NULL */
    size_t raw_len;                     /* bytes in raw */
} st_tcat;

struct st_table {
    st_store *s;                        /* borrowed */
    st_id fid;                          /* the folder */
    int assoc;                          /* ST_TABLE_ASSOCIATED */
    int search;                         /* fid is a search folder: rows are its results */
    int hier;                           /* ST_TABLE_HIERARCHY */
    unsigned hier_flags;                /* ST_CONVENIENT_DEPTH */
    uint32_t *cols;                     /* columns (owned) */
    size_t n_cols;                      /* in cols */
    st_sortset *sort;                   /* owned, NULL: by id */
    st_restriction *res;                /* owned, NULL: none */
    st_tsql q;                          /* compiled sort + restriction */
    int fts_force;                      /* the scan's trial ran out: the index drives */
    st_tpos cur;                        /* the cursor */
    st_tbm *bms;                        /* bookmarks */
    size_t n_bms, cap_bms;              /* used / allocated */
    st_bookmark next_bm;                /* next bookmark id (>= 3) */
    st_tcat *cats;                      /* headers seen (categorized sorts) */
    size_t n_cats, cap_cats;            /* used / allocated */
    uint64_t next_hkey;                 /* next header key (low bits) */
    st_tqueue *queue;                   /* change events (shared with the listener) */
    uint64_t listen_token;              /* bus registration */
    st_topn top;                        /* first rows of a blob-key sort (table.c) */
    int top_ok;                         /* top holds the table's first rows in order */
    int top_all;                        /* ... and they are all of its rows */
    uint64_t top_gen;                   /* queue->gen when top was read */
    int64_t top_dv;                     /* PRAGMA data_version then (other processes) */
};

/* table_sql.c */
struct st_tstr;
/* A growing string; oom set on a failed allocation (then p may be NULL). */
typedef struct st_tstr {
    char *p;                            /* NUL-terminated text (owned) */
    size_t len, cap;                    /* used / allocated */
    int oom;                            /* an append failed */
} st_tstr;
ST_PRINTF(2, 3) void st_tstr__add(st_tstr *b, const char *fmt, ...);
/* st_topn: cap rows of tag (0 or ST_ERROR on out of memory); clear frees
 * them; sort puts e[0..n) in reading order. */
int st_topn__init(st_topn *k, uint32_t tag, int desc, size_t cap);
void st_topn__clear(st_topn *k);
void st_topn__sort(st_topn *k);
/* Registers st_prop, st_topn, st_tres and st_match on the connection (idempotent). */
int st_table__register(st_store *s);
/* Compiles sort + restriction of t into q (q cleared first). ST_ELIMIT for a
 * sort it cannot do. */
int st_table__compile(st_table *t, st_tsql *q);
void st_tsql__clear(st_tsql *q);
/* The i-th element of multi-valued v as a view (borrowing v): 0, or -1. */
int st_table__mv_elem(st_value *out, const st_value *v, uint32_t i);
/* Binds the ?101.. pointers of q on st. */
void st_tsql__bind_eval(const st_tsql *q, sqlite3_stmt *st);
/* The SQL expression of a tag for sorting/comparing, malloc'd, or NULL
 * when SQL cannot compute it; *is_str set for string keys. */
char *st_table__expr(uint32_t tag, int *is_str);
/* Restriction r as SQL (0/1, never NULL), adding evaluator slots to q.
 * malloc'd; NULL on out of memory or too many slots. */
char *st_table__res_sql(st_tsql *q, st_store *s, const st_restriction *r);

/* table.c helpers shared with table_live.c */
void st_tpos__clear(st_tpos *p);
int st_tpos__copy(st_tpos *dst, const st_tpos *src, size_t n_keys);
/* Position of object id if it is a row of t (0), ST_ENOTFOUND if not. */
int st_table__pos_of(st_table *t, st_tpos *out, int64_t id);
/* The id of the row before pos, ST_ENOTFOUND at the beginning. */
int st_table__row_before(st_table *t, int64_t *out, const st_tpos *pos);
/* Builds the row of message id with the table's columns. */
int st_table__make_row(st_table *t, st_row *out, int64_t id, int64_t inst);
/* The FROM clause (messages, joined with one row per value of the MV
 * instance column when there is one). */
void st_table__add_from(st_tstr *b, const st_table *t);
/* The condition naming the table's rows: its folder's messages (folder_id,
 * assoc; with_plus: "+" keeps SQLite off those indexes), or a search
 * folder's results (search.c). */
void st_table__add_scope(st_tstr *b, const st_table *t, int with_plus);
/* ST_TABLE__MAX_MVI: values of one MV instance column shown (more are cut). */
#define ST_TABLE__MAX_MVI 1024

/* table_categ.c: the categorized forms of the table operations */
int st_table__categorized(const st_table *t);
int st_table__c_query(st_table *t, st_row **out, size_t *n, long count, unsigned flags);
int st_table__c_count(st_table *t, uint32_t *out);
/* Moves pos forward by rows (>= 0); *moved gets how far. */
int st_table__c_advance(st_table *t, st_tpos *pos, long rows, long *moved);
int st_table__c_index(st_table *t, uint32_t *out, const st_tpos *pos);
void st_table__c_reset(st_table *t);
/* The cursor := rows (> 0) before from, or the beginning; *moved gets
 * -(rows moved). */
int st_table__c_seek_back(st_table *t, const st_tpos *from, long rows, long *moved);
/* FindRow among the leaf rows (st_res_eval per row): forward from `from`,
 * or backward (the last match before it). */
int st_table__c_find(st_table *t, const st_restriction *r, const st_tpos *from, int backward);
/* Shared by table.c and table_categ.c */
void st_table__not_found(st_value *v, uint32_t tag);

/* table_hier.c: hierarchy tables (positions are list indexes in pos.id) */
int st_table__h_query(st_table *t, st_row **out, size_t *n, long count, unsigned flags);
int st_table__h_count(st_table *t, uint32_t *out);
int st_table__h_seek(st_table *t, const st_tpos *from, long rows, long *sought);
int st_table__h_approx(st_table *t, uint32_t num, uint32_t den);
int st_table__h_index(st_table *t, uint32_t *out, const st_tpos *pos);
int st_table__h_find(st_table *t, const st_restriction *r, const st_tpos *from, int back);

/* table_live.c */
int st_table__live_start(st_table *t);
void st_table__live_stop(st_table *t);

#endif /* MAPIDAV_TABLE_INT_H */
