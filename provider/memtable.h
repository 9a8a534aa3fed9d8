/*
 * memtable.h: an in-memory IMAPITable, like MAPI's ITableData: the rows of
 * small provider tables that are not folder contents (recipients,
 * attachments, receive folders, the outgoing queue) kept as property bags,
 * with any number of views (IMAPITable objects), each with its own columns,
 * sort, restriction, cursor, bookmarks and advise sinks.
 *
 * Rows: md_memtable_set_row adds a row or replaces the row with the same
 * value of key_tag (st_value_compare, flags 0); the bag is copied. Each row
 * gets a 4-byte PR_INSTANCE_KEY of its own, stable for the row's life (a
 * replaced row keeps it); a PR_INSTANCE_KEY in the bag is ignored.
 * md_memtable_sync makes the content a given list of rows, row by row (a
 * row may take another row's place under a new key: renumbered, same
 * row); md_memtable_replace_all makes it a list of new rows at once.
 * Each change either fails before touching anything or completes.
 * Unsorted views show rows in the order they were first added.
 *
 * Views: every IMAPITable method. Sorts and restrictions come through
 * provider/restrict.h and are evaluated with storage's st_bag_compare_sorted
 * and st_res_eval (rows compare on their own bags; ties by insertion order;
 * rows have no subobjects, so a RES_SUBRESTRICTION matches no row).
 * No categories (SortTable with cCategories > 0 and MV_INSTANCE columns or
 * keys: MAPI_E_TOO_COMPLEX); ExpandRow, CollapseRow, GetCollapseState and
 * SetCollapseState answer MAPI_E_NO_SUPPORT, the documented answer of a
 * table that does not support categorization. Tables are complete at once:
 * GetStatus says TBLSTAT_COMPLETE / TBLTYPE_DYNAMIC, Abort and
 * WaitForCompletion have nothing to wait for. The cursor and bookmarks
 * follow their row when rows are added, moved or deleted; a bookmark whose
 * row was deleted (or left the view) moves to the next row and SeekRow /
 * FindRow from it answer MAPI_W_POSITION_CHANGED once.
 * Notifications (Advise with fnevTableModified): set_row, delete_row and
 * sync send TABLE_ROW_ADDED / TABLE_ROW_MODIFIED / TABLE_ROW_DELETED to
 * each view's sinks, with the row's instance key, the prior row's (PR_NULL
 * when it is first) and the row in the view's columns; a changed row that
 * keeps its place in a view and shows the same values in its columns is
 * not told to that view. replace_all sends one TABLE_CHANGED per sink (no
 * row; the cursor and every bookmark go to the beginning, bookmarks
 * "moved"). Sinks are called in the order of the changes, after the
 * table's lock is released, on the thread that made the change, or on one
 * already delivering (a sink changing the table from OnNotify gets its
 * notifications after it returns). md_memtable_hold makes them wait until
 * the matching md_memtable_deliver: an owner changes the table under a
 * lock of its own and lets the sinks be called after releasing it.
 *
 * GetLastError gives this thread's last storage message (md_prop_last_error:
 * why a Restrict, SortTable or SetColumns was refused).
 *
 * Threads: one lock per memtable, shared by its views, innermost (an
 * owner may change the table with its own lock held; a view never takes
 * anything but this lock). Memory: the data lives while md_memtable_free
 * has not been called or a view is alive (refcounted); every view is a
 * counted object (object.h).
 * Never: hand MAPI a pointer into a bag; call a sink with the lock held.
 */
#ifndef MAPIDAV_PROVIDER_MEMTABLE_H
#define MAPIDAV_PROVIDER_MEMTABLE_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>
#include <mapidefs.h>

#include "provider/propconv.h"

typedef struct md_memtable md_memtable;

/* A table whose views start with the ncols columns cols (copied) and whose
 * rows are told apart by key_tag. MAPI_E_INVALID_PARAMETER for no columns
 * or a PT_UNSPECIFIED/MV key. */
HRESULT md_memtable_new(md_memtable **out, const md_alloc *a, const uint32_t *cols,
    size_t ncols, uint32_t key_tag);

/* Adds row (copied), or replaces the row with the same key: the views are
 * updated and notified (a replacement equal to the row is no change and
 * notifies nothing). MAPI_E_INVALID_PARAMETER when row has no key_tag. */
HRESULT md_memtable_set_row(md_memtable *t, const st_bag *row);

/* Deletes the row whose key is key: MAPI_E_NOT_FOUND when none. */
HRESULT md_memtable_delete_row(md_memtable *t, const st_value *key);

/* The content becomes the n rows (copied), each told as added, modified
 * (only when it changed) or deleted. Row i continues the row whose key is
 * prev[i] (its instance key, place in insertion order and bookmarks) when
 * prev and prev[i] are not NULL, else the row of its own key; a row no
 * given row continues is deleted. MAPI_E_INVALID_PARAMETER when a row lacks
 * key_tag or two share a key. Meant for small tables: O(n log n) plus the
 * views' moves. */
HRESULT md_memtable_sync(md_memtable *t, st_bag *const *rows, const st_value *const *prev,
    size_t n);

/* The content becomes the n rows (copied), all new (new instance keys):
 * one TABLE_CHANGED per sink. Errors as md_memtable_sync. */
HRESULT md_memtable_replace_all(md_memtable *t, st_bag *const *rows, size_t n);

/* Notifications of changes wait (queued, in order) until the matching
 * md_memtable_deliver, which calls the sinks when no hold remains (no lock
 * of t held then; the caller must hold none of its own that a sink could
 * need). t stays alive in between. */
void md_memtable_hold(md_memtable *t);
void md_memtable_deliver(md_memtable *t);

/* The rows' keys in key order, copied: *out holds n values (st_value_clear
 * each, then free()). */
HRESULT md_memtable_keys(md_memtable *t, st_value **out, size_t *n);

/* Number of rows (all of them, no view's restriction). */
size_t md_memtable_count(md_memtable *t);

/* A new view with one reference, its own cursor at the beginning, in the
 * table's columns; _cols: in the ncols columns cols (copied) instead. */
HRESULT md_memtable_view(md_memtable *t, IMAPITable **out);
HRESULT md_memtable_view_cols(md_memtable *t, const uint32_t *cols, size_t ncols,
    IMAPITable **out);

/* fn(ctx) is called each time the number of views drops to zero (the
 * owner still holds t), on the thread releasing the last view, with no lock
 * of t held; possibly inside a change or md_memtable_deliver of any
 * thread (a sink releasing the view when told). */
void md_memtable_on_last_view(md_memtable *t, void (*fn)(void *ctx), void *ctx);

/* The owner lets go; views keep the data alive. NULL-safe. */
void md_memtable_free(md_memtable *t);

#endif
