/*
 * msg_tables.c: IMessage's live recipient and attachment tables.
 * GetRecipientTable and GetAttachmentTable give views of a live table
 * (memtable.h) the message makes at the first call and keeps: it shows the
 * rows as they are now, pending changes included, and follows the object
 * with table notifications: ModifyRecipients (row by row; 0, replace all:
 * one TABLE_CHANGED), IAttach::SaveChanges and DeleteAttach (a row added,
 * modified, deleted), SaveChanges (storage's rows: recipients renumbered
 * 0..n-1 by storage and new attachments renumbered by it keep their rows,
 * with the new PR_ROWID / PR_ATTACH_NUM; rows that look the same notify
 * nothing). An attachment shows once IAttach::SaveChanges handed it over,
 * as MAPI defines it: CreateAttach alone and unsaved IAttach changes do
 * not show. The tables are updated under the store's lock and their sinks
 * called after it is released (md_memtable_hold). A table outlives the
 * message: its views keep the rows they had at the message's last Release.
 * Never: call a table's sinks with the store's lock held; write to
 * storage.
 */
#include <stdint.h>
#include <stdlib.h>

#include "provider/memtable.h"
#include "provider/message_int.h"

/* Attachment num's row of the attachment table as it is now: storage's
 * values with the pending changes, big data (PT_ERROR markers) left out,
 * PR_ATTACH_NUM set. *out NULL and S_OK when it is deleted. */
static HRESULT att_row(md_message *m, uint32_t num, st_bag **out)
{
    st_bag *b = NULL;
    int exists = 0;
    *out = NULL;
    HRESULT hr = md_message_attach_base(m, num, &b, &exists);
    if (hr == MAPI_E_NOT_FOUND)
        return S_OK;   /* deleted, not saved yet */
    if (hr == S_OK && !b && !(b = st_bag_new()))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t j = st_bag_count(b); hr == S_OK && j-- > 0;)
        if (PROP_TYPE(st_bag_at(b, j)->tag) == PT_ERROR)
            st_bag_delete(b, st_bag_at(b, j)->tag);   /* big data: not a column */
    if (hr == S_OK && st_bag_set_long(b, PR_ATTACH_NUM, (int32_t)num))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr != S_OK) {
        st_bag_free(b);
        return hr;
    }
    *out = b;
    return S_OK;
}

/* The attachment table's rows as they are now (att_row of each; each bag
 * and the array freed by the caller). */
static HRESULT att_rows(md_message *m, st_bag ***out, size_t *n)
{
    uint32_t *nums = NULL;
    size_t k = 0, got = 0;
    *out = NULL;
    *n = 0;
    HRESULT hr = md_msg__attach_numbers(m, &nums, &k);
    st_bag **rows = hr == S_OK ? calloc(k ? k : 1, sizeof *rows) : NULL;
    if (hr == S_OK && !rows)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; hr == S_OK && i < k; i++) {
        hr = att_row(m, nums[i], &rows[got]);
        if (hr == S_OK && rows[got])
            got++;
    }
    free(nums);
    if (hr != S_OK) {
        for (size_t i = 0; i < got; i++)
            st_bag_free(rows[i]);
        free(rows);
        return hr;
    }
    *out = rows;
    *n = got;
    return S_OK;
}

/* After attachment num changed (IAttach::SaveChanges, DeleteAttach): its
 * row of the live attachment table, when there is one, under the store's
 * lock; *held as md_msg__table_update's. */
HRESULT md_msg__att_table_put(md_message *m, uint32_t num, md_memtable **held)
{
    st_bag *b = NULL;
    *held = NULL;
    EnterCriticalSection(&m->store->lock);
    md_memtable *t = m->att_table;
    HRESULT hr = t ? att_row(m, num, &b) : S_OK;
    if (t && hr == S_OK) {
        st_value key = st_view_long(PR_ATTACH_NUM, (int32_t)num);
        md_memtable_hold(t);
        *held = t;
        hr = b ? md_memtable_set_row(t, b) : md_memtable_delete_row(t, &key);
        if (hr == MAPI_E_NOT_FOUND)
            hr = S_OK;   /* deleted before it was shown */
    }
    LeaveCriticalSection(&m->store->lock);
    st_bag_free(b);
    return hr;
}

/* Brings the live recipient (att 0) or attachment table, when there is
 * one, in step with the message: row by row, or with replace as new rows
 * at once (one TABLE_CHANGED). renum_from (SIZE_MAX: none) follows a
 * save: attachments it numbered anew (m->renum[renum_from...]) keep their
 * rows, and so do recipients, which storage numbers 0..n-1 in the order of
 * their row IDs (the order of m->rcp): row i continues the table's i-th
 * key when the counts agree.
 * *held: the table with its notifications held, for md_memtable_deliver
 * once the store's lock is released; NULL when there is no table. A
 * failure leaves the table behind until the next change or call. */
HRESULT md_msg__table_update(md_message *m, int att, int replace, size_t renum_from,
    md_memtable **held)
{
    md_memtable *t = NULL;
    st_bag **rows = NULL;
    size_t n = 0;
    const st_value **prev = NULL;
    st_value *pv = NULL;

    *held = NULL;
    EnterCriticalSection(&m->store->lock);
    t = att ? m->att_table : m->rcp_table;
    HRESULT hr = !t ? S_OK : att ? att_rows(m, &rows, &n) : md_msg__rcp_load(m);
    st_value *keys = NULL;
    size_t n_keys = 0;
    if (t && hr == S_OK && !att && renum_from != SIZE_MAX
        && md_memtable_keys(t, &keys, &n_keys) == S_OK && n_keys == m->n_rcp && n_keys) {
        prev = calloc(n_keys, sizeof *prev);
        for (size_t i = 0; prev && i < n_keys; i++)
            prev[i] = &keys[i];   /* out of memory: by key, still right */
    }
    if (t && hr == S_OK && att && renum_from < m->n_renum) {
        prev = calloc(n ? n : 1, sizeof *prev);
        pv = calloc(n ? n : 1, sizeof *pv);
        if (!prev || !pv)
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        for (size_t i = 0; hr == S_OK && i < n; i++) {
            uint32_t num = (uint32_t)st_bag_get(rows[i], PR_ATTACH_NUM)->v.l;
            for (size_t j = renum_from; j < m->n_renum; j++)
                if (m->renum[j][1] == num) {
                    pv[i] = st_view_long(PR_ATTACH_NUM, (int32_t)m->renum[j][0]);
                    prev[i] = &pv[i];
                }
        }
    }
    if (t && hr == S_OK) {
        st_bag *const *r = att ? rows : m->rcp;
        size_t k = att ? n : m->n_rcp;
        md_memtable_hold(t);
        *held = t;
        hr = replace ? md_memtable_replace_all(t, r, k) : md_memtable_sync(t, r, prev, k);
    }
    LeaveCriticalSection(&m->store->lock);
    for (size_t i = 0; i < n; i++)
        st_bag_free(rows[i]);
    free(rows);
    free(prev);
    free(pv);
    for (size_t i = 0; i < n_keys; i++)
        st_value_clear(&keys[i]);
    free(keys);
    return hr;
}

/* After a commit (m->renum[renum_from...] its renumberings): the tables
 * show storage's rows. */
void md_msg__tables_saved(md_message *m, size_t renum_from)
{
    md_memtable *held[2];
    md_msg__table_update(m, 0, 0, renum_from, &held[0]);
    md_msg__table_update(m, 1, 0, renum_from, &held[1]);
    for (int i = 0; i < 2; i++)
        if (held[i])
            md_memtable_deliver(held[i]);
}

/* A view of the live recipient (att 0) or attachment table, made at the
 * first call, in cols with strings 8-bit unless MAPI_UNICODE. */
HRESULT md_msg__sub_table(md_message *m, LPMAPITABLE *out, ULONG flags, const uint32_t *cols,
    size_t ncols, int att)
{
    uint32_t c[16];
    md_memtable *held = NULL;
    HRESULT hr = S_OK;
    for (size_t i = 0; i < ncols; i++)
        c[i] = PROP_TYPE(cols[i]) == PT_UNICODE && !(flags & MAPI_UNICODE)
            ? CHANGE_PROP_TYPE(cols[i], PT_STRING8) : cols[i];
    EnterCriticalSection(&m->store->lock);
    md_memtable **slot = att ? &m->att_table : &m->rcp_table;
    if (!*slot)
        hr = md_memtable_new(slot, &m->store->alloc, cols, ncols,
            att ? PR_ATTACH_NUM : PR_ROWID);
    if (hr == S_OK)
        hr = md_msg__table_update(m, att, 0, SIZE_MAX, &held);   /* healed if behind */
    if (hr == S_OK)
        hr = md_memtable_view_cols(*slot, c, ncols, out);
    LeaveCriticalSection(&m->store->lock);
    if (held)
        md_memtable_deliver(held);
    return hr;
}
