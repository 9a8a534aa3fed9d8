/*
 * table.h: table views over a folder (floor 1): the contents and associated
 * contents of a folder, with columns, multi-key sorts, restrictions, a
 * cursor, seeks, positions, bookmarks, find-row and change notifications.
 * The provider wraps a st_table in IMAPITable; nothing here knows COM.
 *
 * Invariant: a table never materialises its folder. Rows are read with
 * keyset pagination (WHERE sort-key > last key ORDER BY sort key, id LIMIT
 * n) on indexed SQL; the cursor and every bookmark are a saved sort key +
 * object id (not an offset), so they stay meaningful when rows come and go.
 * OFFSET is used only by the approximate seek and by st_table_seek.
 *
 * Threads: a table belongs to the thread that opened its st_store (like the
 * store handle). Change events may arrive from any thread or connection:
 * they are queued under a mutex and turned into table notifications only by
 * st_table_notifications, on the owner's thread.
 *
 * Never: return a row the restriction does not match (what SQL cannot
 * decide is evaluated with st_res_eval on the message's own bag).
 */
#ifndef MAPIDAV_TABLE_H
#define MAPIDAV_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "storage/storage.h"

typedef struct st_table st_table;

/* Kinds of table. */
#define ST_TABLE_CONTENTS    0   /* normal messages of a folder */
#define ST_TABLE_ASSOCIATED  1   /* associated (hidden) messages of a folder */
#define ST_TABLE_HIERARCHY   2   /* subfolders (st_table_open_hierarchy) */
#define ST_CONVENIENT_DEPTH  0x1u /* hierarchy: the whole subtree, with PR_DEPTH (MAPI's value) */

/* Opens a table over fid. Default columns: PR_INSTANCE_KEY, PR_SUBJECT_W,
 * PR_MESSAGE_DELIVERY_TIME; default sort: none (object id ascending). The
 * table keeps a pointer to s: close the table before the store. */
int st_table_open(st_table **out, st_store *s, st_id fid, int kind);
void st_table_close(st_table *t);   /* NULL-safe */
/* GetHierarchyTable: the subfolders of fid (flags ST_CONVENIENT_DEPTH: all
 * descendants, depth first, PR_DEPTH from 0). Default columns PR_INSTANCE_KEY,
 * PR_DISPLAY_NAME_W, PR_DEPTH. Every operation below applies (restrictions
 * and sorts evaluated in C: a mailbox has few folders); categories do not
 * (ST_ELIMIT); any folder change notifies TABLE_RELOAD. */
int st_table_open_hierarchy(st_table **out, st_store *s, st_id fid, unsigned flags);

/* SetColumns: the n tags of each row, in this order. Any tag: hot columns,
 * blob properties, named properties (0x8000+), computed ones (PR_INSTANCE_KEY,
 * PR_ROW_TYPE, PR_DEPTH, PR_INSTANCE_NUM, PR_MESSAGE_FLAGS ...), one
 * MV_INSTANCE property (then the cursor goes to the beginning). */
int st_table_set_columns(st_table *t, const uint32_t *tags, size_t n);

/* SortTable: copies sort; NULL restores the default. Moves the cursor to the
 * beginning. Categories: the first n_categories keys (1 or 2 levels) group
 * the rows under header rows (PR_ROW_TYPE TBL_EXPANDED_CATEGORY or
 * TBL_COLLAPSED_CATEGORY, PR_DEPTH = level - 1, PR_CONTENT_COUNT /
 * PR_CONTENT_UNREAD of the group, the category columns set); levels up to
 * n_expanded start expanded. A key (or column) with MV_INSTANCE expands each
 * message into one row per value (PR_INSTANCE_NUM = the value's index,
 * PR_INSTANCE_KEY = 12 bytes: id + index; a message without values gives
 * one row with the column missing); one such property per table. ST_ELIMIT
 * (MAPI_E_TOO_COMPLEX) for more than 2 levels, a second MV instance
 * property, or a key SQL cannot compute (PR_ENTRYID, PR_RECORD_KEY ...). */
int st_table_sort(st_table *t, const st_sortset *sort);

/* Restrict: copies r (NULL removes the restriction). -1 when st_res_check
 * refuses it (MAPI_E_TOO_COMPLEX). Moves the cursor to the beginning. */
int st_table_restrict(st_table *t, const st_restriction *r);

/* A row: n values in column order. A column the row has no value for comes
 * back as PT_ERROR MAPI_E_NOT_FOUND with the column's id. */
typedef struct st_row {
    size_t n;             /* values */
    st_value *vals;       /* n values, owned */
} st_row;
void st_rows_free(st_row *rows, size_t n);   /* NULL-safe */

/* QueryRows: up to |count| rows from the cursor, forward (count > 0) or
 * backward (count < 0; rows still come in table order). The cursor moves
 * past them unless flags has TBL_NOADVANCE. *n 0 at the end. */
int st_table_query_rows(st_table *t, st_row **out, size_t *n, long count, unsigned flags);

/* Row count (GetRowCount). From the folder counts without restriction. */
int st_table_count(st_table *t, uint32_t *out);

/* Bookmarks: BOOKMARK_BEGINNING, BOOKMARK_CURRENT, BOOKMARK_END, or a value
 * from st_table_bookmark_create (>= 3). */
typedef uint32_t st_bookmark;
int st_table_bookmark_create(st_table *t, st_bookmark *out);
int st_table_bookmark_free(st_table *t, st_bookmark b);   /* ST_ENOTFOUND */

/* SeekRow: moves the cursor rows from the bookmark (negative: backward);
 * *sought (may be NULL) gets how far it moved, short at either end. */
int st_table_seek(st_table *t, st_bookmark origin, long rows, long *sought);
/* SeekRowApprox: to about num/den of the table (exact up to 10,000 rows;
 * above, sorted by received time only, interpolated on the time range). */
int st_table_seek_approx(st_table *t, uint32_t num, uint32_t den);
/* QueryPosition: *row (index of the current row, = count at the end),
 * *num / *den as MAPI (den = row count). */
int st_table_position(st_table *t, uint32_t *row, uint32_t *num, uint32_t *den);

/* FindRow: the first row from bookmark origin (forward, or with DIR_BACKWARD
 * the rows before it, nearest first) that also matches r; the cursor goes
 * to it. ST_ENOTFOUND (cursor unchanged) when none does. */
int st_table_find_row(st_table *t, const st_restriction *r, st_bookmark origin,
    unsigned flags);

/* ---- Categories (a categorized sort) ----
 * Header rows have instance keys of their own (top bit set), stable for the
 * table's life. Every table operation works on a categorized table; FindRow
 * evaluates leaf rows one by one, and backward reads, seeks and FindRow
 * count positions from the beginning (a walk of the visible rows up to the
 * cursor), so they cost in proportion to the cursor's position. */
/* ExpandRow / CollapseRow of the header with instance key `key`; *n gets
 * the number of rows that appeared / disappeared. ST_ENOTFOUND: no such
 * header. */
int st_table_expand(st_table *t, const uint8_t key[8], uint32_t *n);
int st_table_collapse(st_table *t, const uint8_t key[8], uint32_t *n);
/* GetCollapseState: an opaque blob (malloc'd) with every expanded/collapsed
 * header and the row of `key` (a header or leaf instance key, may be NULL).
 * SetCollapseState restores it on a table with the same sort and gives a
 * bookmark on that row (BOOKMARK_BEGINNING when it had none). */
int st_table_collapse_state_get(st_table *t, uint8_t **out, size_t *len, const uint8_t key[8]);
int st_table_collapse_state_set(st_table *t, st_bookmark *out, const uint8_t *state, size_t len);

/* ---- Cancel (Abort of an asynchronous table operation) ----
 * While a hook is set on the calling thread, every SQL statement the table
 * functions run on that thread calls cancel(ctx) about every thousand
 * SQLite steps (a long scan: the first read after a sort by a property of
 * the blob, a restriction no index serves) and stops when it returns
 * nonzero; from then on every statement of the thread stops at its first
 * check (one shorter than a thousand steps may still end), until the hook
 * is set again or cleared. The call stopped fails with ST_ERROR and
 * st_table_cancelled() is 1; the table stays consistent (a sort or
 * restriction stopped while its plan is chosen is refused and the
 * previous one stays; a stopped read drops the rows kept of a scan).
 * cancel runs on the calling thread, inside SQLite, holding whatever the
 * caller holds: it may only read flags. The hook is installed on t's store
 * connection, so set it, make the calls and clear it (cancel NULL) on one
 * thread with no other thread using that st_store meanwhile. Portable C:
 * the hook is thread-local, the stop SQLite's progress handler. */
void st_table_cancel_hook(st_table *t, int (*cancel)(void *ctx), void *ctx);
/* 1 when the calling thread's hook stopped a statement since it was set. */
int st_table_cancelled(void);

/* ---- Notifications ----
 * A table listens to its store's change bus from st_table_open. Events
 * affecting its folder are queued; this turns them into table
 * notifications, each a TABLE_ROW_ADDED / TABLE_ROW_MODIFIED /
 * TABLE_ROW_DELETED with the row (current columns; not for DELETED), its
 * instance key and the instance key of the row before it in the table
 * (empty: it is the first), or one TABLE_RELOAD (another process changed
 * the file, or too much changed at once; a categorized table reports every
 * change as TABLE_RELOAD in this version). *out malloc'd; free with
 * st_table_notifs_free. */
typedef struct st_table_notif {
    uint32_t type;          /* TABLE_ROW_ADDED, _MODIFIED, _DELETED, TABLE_RELOAD */
    uint8_t key[8];         /* instance key of the row */
    uint8_t prior_key[8];   /* instance key of the row before it */
    int has_prior;          /* 0: the row is first (prior_key unused) */
    st_row row;             /* the row's columns (ADDED, MODIFIED) */
} st_table_notif;
int st_table_notifications(st_table *t, st_table_notif **out, size_t *n);
void st_table_notifs_free(st_table_notif *ns, size_t n);   /* NULL-safe */

#endif /* MAPIDAV_TABLE_H */
