/*
 * notify.c: the change-listener bus. One bus per store file (keyed by the
 * path given to st_store_open: callers take it from st_catalog_store_path, so
 * it is the same string everywhere) shared by every connection of this
 * process to that file. Each connection queues events during its
 * transaction and, after its own COMMIT succeeds, publishes them here, so a
 * listener registered through any connection hears every thread's changes.
 *
 * Other processes (Windows Search's protocol host, the CLI) write the same
 * file without this bus: st_store_poll compares PRAGMA data_version, which
 * moves when another connection commits, and the store's change-number
 * counter with the highest one this bus has published. Only a commit that no
 * connection of this process published gives ST_EV_EXTERNAL, once, meaning
 * "reload": we cannot tell which objects changed, so listeners refresh.
 *
 * Invariant: listeners run with the bus mutex held and no transaction open
 * on the publishing connection, in commit order for that bus. Never: call
 * st_store_listen/unlisten or write to the store from inside a listener
 * (the mutex is not recursive).
 */
#include <stdlib.h>
#include <string.h>

#include "storage/log.h"
#include "storage/os.h"
#include "storage/storage_int.h"

typedef struct listener {
    uint64_t token;       /* handed to the caller */
    st_listener_fn fn;    /* callback */
    void *ctx;            /* its argument */
} listener;

struct st_bus {
    st_bus *next;         /* registry list (under reg_mutex) */
    char *path;           /* key */
    int refs;             /* connections using it (under reg_mutex) */
    st_mutex mutex;       /* guards what follows and serialises dispatch */
    listener *ls;         /* listeners */
    size_t n_ls, cap_ls;  /* used / allocated */
    int64_t max_cn;       /* highest change number published in-process */
};

static st_mutex reg_mutex = ST_MUTEX_INIT;
static st_bus *reg_head;
static uint64_t next_token = 1;   /* under reg_mutex */

st_bus *st_bus__get(const char *path)
{
    st_mutex_lock(&reg_mutex);
    st_bus *b;
    for (b = reg_head; b; b = b->next)
        if (strcmp(b->path, path) == 0)
            break;
    if (!b) {
        b = calloc(1, sizeof *b);
        if (b && !(b->path = st_strdup(path))) {
            free(b);
            b = NULL;
        }
        if (b) {
            st_mutex_init(&b->mutex);
            b->next = reg_head;
            reg_head = b;
        }
    }
    if (b)
        b->refs++;
    st_mutex_unlock(&reg_mutex);
    if (!b)
        st_error_set("out of memory");
    return b;
}

void st_bus__put(st_bus *bus)
{
    if (!bus)
        return;
    st_mutex_lock(&reg_mutex);
    if (--bus->refs == 0) {
        st_bus **pp = &reg_head;
        while (*pp != bus)
            pp = &(*pp)->next;
        *pp = bus->next;
        st_mutex_destroy(&bus->mutex);
        free(bus->ls);
        free(bus->path);
        free(bus);
    }
    st_mutex_unlock(&reg_mutex);
}

void st_bus__publish(st_bus *bus, const st_event *ev, size_t n, int64_t last_cn)
{
    st_mutex_lock(&bus->mutex);
    if (last_cn > bus->max_cn)
        bus->max_cn = last_cn;
    if (n)
        for (size_t i = 0; i < bus->n_ls; i++)
            bus->ls[i].fn(bus->ls[i].ctx, ev, n);
    st_mutex_unlock(&bus->mutex);
}

int64_t st_bus__seen_cn(st_bus *bus, int64_t cn)
{
    st_mutex_lock(&bus->mutex);
    int64_t seen = bus->max_cn;
    if (cn > bus->max_cn)
        bus->max_cn = cn;
    st_mutex_unlock(&bus->mutex);
    return seen;
}

int st_bus__listen(st_bus *bus, uint64_t *out_token, st_listener_fn fn, void *ctx)
{
    st_mutex_lock(&reg_mutex);
    uint64_t token = next_token++;
    st_mutex_unlock(&reg_mutex);
    st_mutex_lock(&bus->mutex);
    listener *ls = st_grow(bus->ls, &bus->cap_ls, bus->n_ls, sizeof *ls, 4);
    if (!ls) {
        st_mutex_unlock(&bus->mutex);
        return ST_ERROR;
    }
    bus->ls = ls;
    bus->ls[bus->n_ls++] = (listener){ token, fn, ctx };
    st_mutex_unlock(&bus->mutex);
    *out_token = token;
    return 0;
}

void st_bus__unlisten(st_bus *bus, uint64_t token)
{
    st_mutex_lock(&bus->mutex);
    for (size_t i = 0; i < bus->n_ls; i++) {
        if (bus->ls[i].token == token) {
            memmove(&bus->ls[i], &bus->ls[i + 1], (bus->n_ls - i - 1) * sizeof *bus->ls);
            bus->n_ls--;
            break;
        }
    }
    st_mutex_unlock(&bus->mutex);
}

int st_store_listen(st_store *s, uint64_t *out_token, st_listener_fn fn, void *ctx)
{
    return st_bus__listen(s->bus, out_token, fn, ctx);
}

void st_store_unlisten(st_store *s, uint64_t token)
{
    st_bus__unlisten(s->bus, token);
}

int st_store_poll(st_store *s)
{
    int64_t dv = 0, cn = 0;
    int code = st_db__int(&s->d, &dv, "PRAGMA data_version");
    if (code)
        return code;
    if (dv == s->data_version)
        return 0;
    s->data_version = dv;
    code = st_db__int(&s->d, &cn, "SELECT value - 1 FROM meta WHERE key = 'next_cn'");
    if (code)
        return code;
    if (st_bus__seen_cn(s->bus, cn) >= cn)
        return 0;   /* every change so far was published by this process */
    ST_LOG_INFO(ST_LOG_STORAGE, "%s: changed by another process", s->d.path);
    st_event ev = { .type = ST_EV_EXTERNAL };
    st_bus__publish(s->bus, &ev, 1, cn);
    return 1;
}
