/*
 * test_storage_notify.c: change listeners. Events arrive after the commit
 * only (none for a rollback), with folder ids; a listener registered on
 * one connection hears commits made by another thread's connection to the
 * same file; new mail in a receive folder; and (Linux) another process's
 * commit is seen by st_store_poll as one ST_EV_EXTERNAL.
 */
#include "test_storage_util.h"

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

typedef struct rec {
    st_mutex mu;          /* guards the rest */
    st_event ev[256];     /* received */
    int n;                /* count */
    int calls;            /* listener invocations (= commits) */
} rec;

static void listener(void *ctx, const st_event *ev, size_t n)
{
    rec *r = ctx;
    st_mutex_lock(&r->mu);
    r->calls++;
    for (size_t i = 0; i < n && r->n < 256; i++)
        r->ev[r->n++] = ev[i];
    st_mutex_unlock(&r->mu);
}

static int count(rec *r, int type, st_id id)
{
    int c = 0;
    st_mutex_lock(&r->mu);
    for (int i = 0; i < r->n; i++)
        if (r->ev[i].type == type && (!id || r->ev[i].id == id))
            c++;
    st_mutex_unlock(&r->mu);
    return c;
}

typedef struct writer_arg {
    const char *path;     /* store file */
    st_id inbox;          /* where to write */
    st_id made[10];       /* messages created */
    int failed;           /* errors */
} writer_arg;

static void writer(void *p)
{
    writer_arg *a = p;
    st_store *s = NULL;
    if (st_store_open(&s, a->path, NULL, 0) != 0) {
        a->failed++;
        return;
    }
    for (int i = 0; i < 10; i++) {
        st_bag *b = tsu_mail(i, 50);
        if (st_message_create(s, &a->made[i], a->inbox, b, ST_FROM_SERVER) != 0)
            a->failed++;
        st_bag_free(b);
    }
    st_store_close(s);
}

int main(void)
{
    st_id root, inbox, other;
    st_store *s = tsu_store("n.sqlite", &root, &inbox);
    other = tsu_folder(s, root, "Other", 0);
    st_receive_folder_set(s, "", inbox);

    rec r;
    memset(&r, 0, sizeof r);
    st_mutex_init(&r.mu);
    uint64_t tok = 0;
    ok(st_store_listen(s, &tok, listener, &r) == 0, "listen\n");

    st_bag *b = tsu_mail(1, 50);
    st_id m;
    ok(st_message_create(s, &m, inbox, b, ST_FROM_SERVER) == 0, "create\n");
    ok(count(&r, ST_EV_CREATED, m) == 1 && count(&r, ST_EV_NEWMAIL, m) == 1, "created + new mail\n");
    ok(r.n == 2 && r.ev[0].folder == inbox && r.ev[0].kind == ST_JKIND_MESSAGE &&
        r.ev[0].from_server, "event fields\n");
    st_id m2;
    ok(st_message_create(s, &m2, other, b, 0) == 0, "create in other\n");
    ok(count(&r, ST_EV_NEWMAIL, m2) == 0, "no new mail outside receive folders\n");
    st_id a1;
    ok(st_message_create(s, &a1, inbox, b, ST_ASSOCIATED) == 0, "assoc\n");
    ok(count(&r, ST_EV_NEWMAIL, a1) == 0, "no new mail for associated\n");
    st_message_move(s, m2, inbox, 0);
    ok(count(&r, ST_EV_MOVED, m2) == 1, "moved\n");
    ok(r.ev[r.n - 1].folder == inbox && r.ev[r.n - 1].old_folder == other, "move folders\n");
    st_message_set_read(s, m, 1, 0);
    ok(count(&r, ST_EV_MODIFIED, m) == 1, "modified\n");
    st_message_delete(s, m, 0);
    ok(count(&r, ST_EV_DELETED, m) == 1, "deleted\n");

    /* Inside a transaction: nothing until the commit; nothing for a rollback. */
    int before = r.n;
    st_store_begin(s);
    st_id t1, t2;
    st_message_create(s, &t1, other, b, 0);
    st_message_create(s, &t2, other, b, 0);
    ok(r.n == before, "nothing before commit\n");
    ok(st_store_commit(s) == 0 && r.n == before + 2, "both after commit\n");
    before = r.n;
    int calls = r.calls;
    st_store_begin(s);
    st_message_create(s, &t1, other, b, 0);
    st_store_rollback(s);
    ok(r.n == before && r.calls == calls, "nothing for a rollback\n");
    /* A failed inner step (savepoint) drops only its own events. */
    st_store_begin(s);
    st_message_create(s, &t1, other, b, 0);
    ok(st_message_create(s, &t2, 999999, b, 0) != 0, "inner failure\n");
    ok(st_store_commit(s) == 0 && r.n == before + 1, "outer commit keeps the good one\n");

    /* Another thread's connection to the same file. */
    before = count(&r, ST_EV_CREATED, 0);
    writer_arg wa = { st_store_path(s), inbox, { 0 }, 0 };
    st_thread *th = NULL;
    ok(st_thread_start(&th, writer, &wa) == 0, "thread\n");
    st_thread_join(th);
    ok(!wa.failed, "writer ok\n");
    ok(count(&r, ST_EV_CREATED, 0) == before + 10, "heard the other connection: %d\n",
        count(&r, ST_EV_CREATED, 0) - before);
    ok(count(&r, ST_EV_NEWMAIL, wa.made[9]) == 1, "its new mail too\n");
    /* Those were in-process: a poll reports nothing external. */
    before = r.n;
    ok(st_store_poll(s) == 0 && r.n == before, "poll: nothing external\n");

#ifndef _WIN32
    /* Another process. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        st_store *c = NULL;
        if (st_store_open(&c, st_store_path(s), NULL, 0) != 0)
            _exit(1);
        st_id x;
        int rc = st_message_create(c, &x, inbox, b, ST_FROM_SERVER);
        st_store_close(c);
        _exit(rc ? 2 : 0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child wrote\n");
    before = r.n;
    ok(st_store_poll(s) == 1, "poll sees the other process\n");
    ok(r.n == before + 1 && r.ev[r.n - 1].type == ST_EV_EXTERNAL, "one EXTERNAL event\n");
    ok(st_store_poll(s) == 0, "once\n");
#endif

    st_store_unlisten(s, tok);
    before = r.n;
    st_message_create(s, &t1, other, b, 0);
    ok(r.n == before, "unlistened\n");
    st_bag_free(b);
    st_store_close(s);
    st_mutex_destroy(&r.mu);
    tsu_cleanup();
    return test_done();
}
