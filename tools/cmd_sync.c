/*
 * cmd_sync.c: `mapidav sync [--once|--watch [--interval S]]`.
 *
 * --once (the default) runs one pass on this thread: local changes up
 * (ds_sync_up), the folder tree, then every folder down, Inbox first. On a
 * terminal one line is redrawn with '\r' (folder, done/total, messages per
 * second); otherwise each folder gets a plain line. It ends with a summary
 * line and, on failure, one error line saying what to do (sync_setup.c).
 * --watch starts the account's sync thread (davsync/engine.h) and shows its
 * status until interrupted (Ctrl-C) or, with --passes N, after N passes
 * (the first, then N-1 "sync now"), then stops it cleanly, exiting 1 with
 * the last pass's error if it had one; `mapidav offline|online` from another shell takes
 * it offline / online (the catalog setting is polled each second).
 *
 * Invariant: an account working offline is refused before any connection;
 * the outcome is recorded in the catalog for `mapidav status`. Never: print
 * the password; stop mid-transaction on Ctrl-C (--once aborts the HTTP
 * client and ends through DS_ECANCELLED; --watch calls ds_engine_stop).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/engine.h"
#include "davsync/http_error.h"
#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"
#include "tools/account.h"
#include "tools/sync_setup.h"
#include "tools/tool.h"
#include "tools/tool_os.h"

#define BAR_WIDTH 20
#define REDRAW_MS 100

typedef struct view {
    int tty;                 /* stdout is a terminal: redraw one line */
    int drawn;               /* a progress line is on screen */
    uint64_t t0;             /* start, ms */
    uint64_t last_draw;      /* ms */
} view;

static void clear_line(view *v)
{
    if (v->drawn) {
        printf("\r%-79s\r", "");
        v->drawn = 0;
    }
}

static double rate(const view *v, uint64_t n)
{
    uint64_t ms = st_os_time_ms() - v->t0;
    return ms ? (double)n * 1000.0 / (double)ms : 0.0;
}

static void on_progress(void *arg, const ds_sync_progress *p)
{
    view *v = arg;
    if (!v->tty || !p->folder || strcmp(p->phase, "fetch") != 0)
        return;
    uint64_t now = st_os_time_ms();
    if (now - v->last_draw < REDRAW_MS && p->done != p->total)
        return;
    v->last_draw = now;
    uint64_t fetched = p->counts->new_items + p->counts->changed;   /* the pass's totals */
    char bar[BAR_WIDTH + 1];
    size_t fill = p->total ? (size_t)(p->done * BAR_WIDTH / p->total) : BAR_WIDTH;
    for (size_t i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[BAR_WIDTH] = 0;
    printf("\r%-24.24s [%s] %llu/%llu  %.0f msg/s   ", p->folder, bar,
        (unsigned long long)p->done, (unsigned long long)p->total, rate(v, fetched));
    fflush(stdout);
    v->drawn = 1;
}

static void summary(const view *v, const ds_sync_counts *c)
{
    double s = (double)(st_os_time_ms() - v->t0) / 1000.0;
    printf("sync done in %.1f s: %llu new, %llu changed, %llu deleted, %llu uploaded,"
        " %llu conflicts, %llu refused", s, (unsigned long long)c->new_items,
        (unsigned long long)(c->changed + c->flags), (unsigned long long)c->deleted,
        (unsigned long long)c->up_done, (unsigned long long)c->up_conflicts,
        (unsigned long long)c->up_refused);
    if (c->failed)
        printf(", %llu failed (fetched again next time)", (unsigned long long)c->failed);
    printf("\n");
}

/* Remembers the first error worth reporting (its code and message). */
static void keep_error(int *first, char **msg, int code)
{
    if (!code || *first)
        return;
    *first = code;
    free(*msg);
    *msg = st_strdup(st_error_last());
}

/* 1 when the rest of the pass is pointless after code (the server refused
 * us, cannot be reached, or the user interrupted). */
static int fatal(int code)
{
    return code == DS_EAUTH || code == DS_ECANCELLED || code == DS_ETLS ||
        code == DS_ENETWORK || code == DS_ETIMEOUT;
}

static char *name_of(ds_sync *s, st_id fid)
{
    st_bag *b = NULL;
    char *name = NULL;
    if (st_folder_get(ds_sync_store(s), &b, fid) == 0) {
        const st_value *nv = st_bag_get(b, PR_DISPLAY_NAME_W);
        name = nv ? st_strdup(nv->v.str) : NULL;
    }
    st_bag_free(b);
    return name;
}

static volatile sig_atomic_t stop_flag;   /* --watch: Ctrl-C seen */
static ds_http *once_http;                 /* --once: the client Ctrl-C aborts */

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* --once: the first Ctrl-C aborts the transfers (an atomic flag and a
 * wake-up write, both safe in a handler), so the pass ends through
 * DS_ECANCELLED between transactions; a second one kills as usual. */
static void on_signal_once(int sig)
{
    signal(sig, SIG_DFL);
    if (once_http)
        ds_http_abort(once_http);
}

static int sync_once(tool_account *a, tool_sync_setup *ss)
{
    view v = { .tty = tool_os_isatty(stdout), .t0 = st_os_time_ms() };
    ds_sync_counts total = { 0 };
    ds_sync *s = NULL;
    st_id *fids = NULL;
    size_t nf = 0;
    int first = 0;
    char *msg = NULL;

    ss->cfg.progress = on_progress;
    ss->cfg.progress_arg = &v;
    ds_http_config hc = { .user = ss->cfg.user, .password = ss->cfg.password,
                          .ca_file = ss->cfg.ca_file, .insecure_tls = ss->cfg.insecure_tls,
                          .max_connections = ss->cfg.max_connections };
    int code = ds_http_new(&once_http, &hc);
    if (!code) {
        ss->cfg.http = once_http;
        signal(SIGINT, on_signal_once);
        signal(SIGTERM, on_signal_once);
        code = ds_sync_open(&s, &ss->cfg);
    }
    keep_error(&first, &msg, code);
    /* Local changes up first (a folder deleted here must not come back
     * from the listing), then the folder tree, then each folder down. */
    if (s) {
        code = ds_sync_up(s, &total);
        keep_error(&first, &msg, code);
    }
    if (s && !fatal(first)) {
        if (!v.tty)
            printf("folders of %s\n", ss->url);
        code = ds_sync_folders(s, &total);
        keep_error(&first, &msg, code);
    }
    if (s && !fatal(first)) {
        code = ds_sync_folder_list(s, &fids, &nf);
        keep_error(&first, &msg, code);
    }
    for (size_t i = 0; s && !fatal(first) && i < nf; i++) {
        ds_sync_counts before = total;   /* the folder's figures: what it adds */
        code = ds_sync_folder_down(s, fids[i], &total);
        if (code == DS_ENOTFOUND)   /* gone, kept for local changes */
            code = 0;
        keep_error(&first, &msg, code);
        clear_line(&v);
        if (!v.tty || code) {
            char *name = name_of(s, fids[i]);
            printf("%s: %llu messages, %llu new, %llu changed, %llu deleted%s%s\n",
                name ? name : "?", (unsigned long long)(total.items - before.items),
                (unsigned long long)(total.new_items - before.new_items),
                (unsigned long long)(total.changed + total.flags - before.changed - before.flags),
                (unsigned long long)(total.deleted - before.deleted),
                code ? ", failed: " : "", code ? st_error_last() : "");
            free(name);
        }
    }
    clear_line(&v);
    /* After `mapidav rebuild`: the changes saved then go back in now that
     * the fresh copy is filled, and up at once. */
    uint64_t restored = 0;
    if (s && !first) {
        code = tool_restore_pending(a, ds_sync_store(s), &restored) ? ST_ERROR : 0;
        keep_error(&first, &msg, code);
    }
    if (s && !first && restored) {
        code = ds_sync_up(s, &total);
        keep_error(&first, &msg, code);
    }
    free(fids);
    ds_sync_close(s);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    ds_http_free(once_http);
    once_http = NULL;
    ss->cfg.http = NULL;
    tool_sync_record(a, first, msg);
    summary(&v, &total);
    int rc = first ? tool_sync_fail(a, first, msg ? msg : "failed") : 0;
    free(msg);
    return rc;
}

/* 1 when the catalog says the account works offline. */
static int offline_now(tool_account *a)
{
    char *off = tool_account_get(a, ACC_OFFLINE);
    int yes = off && !strcmp(off, "1");
    free(off);
    return yes;
}

/* One status line: redrawn on a terminal, else printed when it changes. */
static void show_status(const ds_status *st, int tty, int *last_state, uint64_t *last_passes)
{
    if (tty) {
        printf("\r%-12s %-20.20s down %llu  up %llu  passes %llu   ", ds_state_name(st->state),
            st->current_folder ? st->current_folder : "", (unsigned long long)st->down_items,
            (unsigned long long)st->up_items, (unsigned long long)st->passes);
    } else if ((int)st->state != *last_state || st->passes != *last_passes) {
        printf("%s%s%s, %llu passes, %llu new, %llu deleted, %llu uploaded\n",
            ds_state_name(st->state), st->last_error ? ": " : "",
            st->last_error ? st->last_error : "", (unsigned long long)st->passes,
            (unsigned long long)st->totals.new_items, (unsigned long long)st->totals.deleted,
            (unsigned long long)st->totals.up_done);
    }
    fflush(stdout);
    *last_state = (int)st->state;
    *last_passes = st->passes;
}

static int sync_watch(tool_account *a, tool_sync_setup *ss, unsigned interval_s, uint64_t passes)
{
    ds_engine *e = NULL;
    ds_engine_config ec = { .sync = ss->cfg, .interval_s = interval_s };
    if (ds_engine_start(&e, &ec) != 0)
        return tool_fail("sync --watch: the background sync did not start: %s; `mapidav sync"
            " --once` syncs once", st_error_last());
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    int tty = tool_os_isatty(stdout), last_state = -1, offline = 0, rc = 0, last_code = 0;
    uint64_t last_passes = 0, ended = 0;
    char *last_error = NULL;
    printf("watching account '%s' (every %u s; Ctrl-C stops)\n", a->name, interval_s);
    for (unsigned tick = 0; !stop_flag; tick++) {
        if (tick % 4 == 0 && offline_now(a) != offline) {   /* `mapidav offline|online` */
            offline = !offline;
            ds_engine_set_online(e, !offline);
        }
        /* With --passes: wait for the outstanding pass (the start's, then
         * each "sync now") a quarter second at a time. */
        int pass_ended = 0;
        if (passes) {
            int w = ds_engine_wait_pass(e, 250);
            if (w == 0)
                pass_ended = 1;
            else if (w != DS_ETIMEOUT)
                stop_flag = 1;
        }
        ds_status st;
        memset(&st, 0, sizeof st);
        if (ds_engine_status(e, &st) == 0) {
            show_status(&st, tty, &last_state, &last_passes);
            last_code = st.last_code;
            free(last_error);
            last_error = st.last_error ? st_strdup(st.last_error) : NULL;
            if (st.state == DS_STATE_AUTH_FAILED)
                stop_flag = 1;   /* no more tries until the user acts */
        }
        ds_status_clear(&st);
        if (pass_ended && ++ended >= passes)
            stop_flag = 1;
        else if (pass_ended)
            ds_engine_sync_now(e);
        if (!passes && !stop_flag)
            st_os_sleep_ms(250);
    }
    if (tty)
        printf("\n");
    ds_engine_stop(e);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    printf("stopped\n");
    if (last_code)
        rc = tool_sync_fail(a, last_code, last_error ? last_error : "failed");
    free(last_error);
    return rc;
}

static int usage(void)
{
    fputs("usage: mapidav sync [--once | --watch [--interval SECONDS] [--passes N]]\n", stderr);
    return 2;
}

/* A whole number from 1 to max in s, else -1. */
static long number(const char *s, long max)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= 1 && v <= max ? v : -1;
}

int cmd_sync(int argc, char **argv)
{
    int watch = 0;
    long interval = 60, passes = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--once"))
            watch = 0;
        else if (!strcmp(argv[i], "--watch"))
            watch = 1;
        else if (!strcmp(argv[i], "--interval") && i + 1 < argc) {
            if ((interval = number(argv[++i], 86400)) < 0)
                return usage();
        } else if (!strcmp(argv[i], "--passes") && i + 1 < argc) {
            if ((passes = number(argv[++i], 1000000)) < 0)
                return usage();
        } else
            return usage();
    }
    tool_account *a = NULL;
    tool_sync_setup ss;
    memset(&ss, 0, sizeof ss);
    if (tool_account_open(&a))
        return 1;
    int rc = tool_sync_setup_load(&ss, a);
    if (!rc)
        rc = watch ? sync_watch(a, &ss, (unsigned)interval, (uint64_t)passes) : sync_once(a, &ss);
    tool_sync_setup_clear(&ss);
    tool_account_close(a);
    return rc;
}
