/*
 * table_live.c: table notifications. A table listens to its store's change
 * bus; the listener (any thread, bus mutex held) only queues the events of
 * the table's folder under the queue's mutex. st_table_notifications, on the
 * table's own thread, turns them into TABLE_ROW_ADDED / _MODIFIED /
 * _DELETED with the row's and the prior row's instance keys, or one
 * TABLE_RELOAD (another process wrote the file, or the queue overflowed).
 *
 * Invariant: the listener touches nothing but the queue (it must not read
 * the store: the bus forbids it and the table's connection is not its own).
 * Never: block in the listener beyond the queue mutex.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/props_tags.h"
#include "storage/table_int.h"

static void on_events(void *ctx, const st_event *ev, size_t n)
{
    st_tqueue *q = ctx;
    st_mutex_lock(&q->mutex);
    for (size_t i = 0; i < n; i++)   /* the table's kept rows (t->top) are stale */
        if (ev[i].type == ST_EV_EXTERNAL || (ev[i].kind == ST_JKIND_MESSAGE &&
                (ev[i].folder == q->fid || (ev[i].type == ST_EV_MOVED &&
                 ev[i].old_folder == q->fid))))
            q->gen++;
    for (size_t i = 0; i < n && !q->reload; i++) {
        const st_event *e = &ev[i];
        if (e->type == ST_EV_EXTERNAL) {
            q->reload = 1;
            break;
        }
        if (q->hier && e->kind == ST_JKIND_FOLDER) {
            q->reload = 1;   /* folders are few: the provider re-reads the table */
            break;
        }
        if (q->hier || e->kind != ST_JKIND_MESSAGE || e->type == ST_EV_NEWMAIL)
            continue;
        int here = e->folder == q->fid && (e->associated != 0) == (q->assoc != 0);
        int left = e->type == ST_EV_MOVED && e->old_folder == q->fid;
        if (!here && !left)
            continue;
        if (q->n == q->cap) {
            if (q->cap >= ST_TABLE__MAX_QUEUE) {
                q->reload = 1;
                break;
            }
            size_t cap = q->cap ? q->cap * 2 : 16;
            st_event *p = realloc(q->ev, cap * sizeof *p);
            if (!p) {
                q->reload = 1;
                break;
            }
            q->ev = p;
            q->cap = cap;
        }
        q->ev[q->n++] = *e;
    }
    st_mutex_unlock(&q->mutex);
}

int st_table__live_start(st_table *t)
{
    st_tqueue *q = calloc(1, sizeof *q);
    if (!q) {
        st_error_set("table: out of memory");
        return ST_ERROR;
    }
    st_mutex_init(&q->mutex);
    q->fid = t->fid;
    q->assoc = t->assoc;
    q->hier = t->hier;
    int code = st_store_listen(t->s, &t->listen_token, on_events, q);
    if (code) {
        st_mutex_destroy(&q->mutex);
        free(q);
        return code;
    }
    t->queue = q;
    return 0;
}

void st_table__live_stop(st_table *t)
{
    if (!t->queue)
        return;
    st_store_unlisten(t->s, t->listen_token);   /* no callback runs after this */
    st_mutex_destroy(&t->queue->mutex);
    free(t->queue->ev);
    free(t->queue);
    t->queue = NULL;
}

static void put_key(uint8_t out[8], int64_t id)
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)((uint64_t)id >> (8 * i));
}

void st_table_notifs_free(st_table_notif *ns, size_t n)
{
    for (size_t i = 0; ns && i < n; i++) {
        for (size_t j = 0; j < ns[i].row.n; j++)
            st_value_clear(&ns[i].row.vals[j]);
        free(ns[i].row.vals);
    }
    free(ns);
}

/* ADDED/MODIFIED for id if it is a row now, else DELETED (when asked). */
static int present(st_table *t, st_table_notif *nt, st_id id, uint32_t type, int else_delete,
    int *emitted)
{
    st_tpos pos = { 0 };
    *emitted = 0;
    memset(nt, 0, sizeof *nt);
    put_key(nt->key, (int64_t)id);
    int code = st_table__pos_of(t, &pos, (int64_t)id);
    if (code == ST_ENOTFOUND) {
        if (else_delete) {
            nt->type = TABLE_ROW_DELETED;
            *emitted = 1;
        }
        return 0;
    }
    if (code)
        return code;
    int64_t prior = 0;
    code = st_table__row_before(t, &prior, &pos);
    st_tpos__clear(&pos);
    if (!code) {
        nt->has_prior = 1;
        put_key(nt->prior_key, prior);
    } else if (code != ST_ENOTFOUND)
        return code;
    code = st_table__make_row(t, &nt->row, (int64_t)id, 0);
    if (code == ST_ENOTFOUND) {   /* deleted since: its DELETED event follows */
        memset(nt, 0, sizeof *nt);
        return 0;
    }
    if (code)
        return code;
    nt->type = type;
    *emitted = 1;
    return 0;
}

int st_table_notifications(st_table *t, st_table_notif **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    st_tqueue *q = t->queue;
    st_mutex_lock(&q->mutex);
    st_event *ev = q->ev;
    size_t n_ev = q->n;
    int reload = q->reload;
    q->ev = NULL;
    q->n = q->cap = 0;
    q->reload = 0;
    st_mutex_unlock(&q->mutex);
    if (!reload && !n_ev)
        return 0;
    if (st_table__categorized(t) || t->q.mvi_tag)
        reload = 1;   /* header counts move too: the provider reloads (for now) */
    st_table_notif *ns = calloc(reload ? 1 : n_ev, sizeof *ns);
    if (!ns) {
        free(ev);
        st_error_set("table: out of memory");
        return ST_ERROR;
    }
    size_t k = 0;
    int code = 0;
    if (reload) {
        ns[k++].type = TABLE_RELOAD;
    } else {
        for (size_t i = 0; !code && i < n_ev; i++) {
            const st_event *e = &ev[i];
            int here = e->folder == t->fid && (e->associated != 0) == (t->assoc != 0);
            int emitted = 0;
            if (e->type == ST_EV_DELETED || (e->type == ST_EV_MOVED && !here)) {
                memset(&ns[k], 0, sizeof ns[k]);
                ns[k].type = TABLE_ROW_DELETED;
                put_key(ns[k].key, (int64_t)e->id);
                emitted = 1;
            } else if (e->type == ST_EV_CREATED || e->type == ST_EV_MOVED) {
                code = present(t, &ns[k], e->id, TABLE_ROW_ADDED, 0, &emitted);
            } else if (e->type == ST_EV_MODIFIED) {
                code = present(t, &ns[k], e->id, TABLE_ROW_MODIFIED, 1, &emitted);
            }
            if (emitted)
                k++;
        }
    }
    free(ev);
    if (code) {
        st_table_notifs_free(ns, k);
        return code;
    }
    if (!k) {
        free(ns);
        ns = NULL;
    }
    *out = ns;
    *n = k;
    return 0;
}
