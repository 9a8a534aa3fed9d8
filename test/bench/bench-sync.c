/*
 * bench-sync.c: the mail sync figures (issue 5, Performance) against the
 * real Apache mod_dav of test/fixtures/serve.py.
 *
 *   serve.py apache -- bench-sync [scale]     (MAPIDAV_BENCH_SCALE wins)
 *
 * The mail trees are written straight into MAPIDAV_TEST_APACHE_ROOT (far
 * faster than PUT; owned by nobody when run as root, so Apache's children
 * can read and write them, PEERS.md "Running as root"). Prints
 *
 *   BENCH initial_sync_msgs_per_s <v> msgs/s  20,000 messages of about 4 KB
 *         (headers, text/plain, some HTML alternatives, some with a small
 *         attachment) in 5 folders, ds_sync_once into a fresh store,
 *         6 connections
 *   BENCH first_inbox_message_s <v> s         from its start to the first
 *         Inbox message stored (the walk fetches it while listing)
 *   BENCH peak_rss_mb <v> MB                  the process's peak RSS right
 *         after that sync (nothing before it holds much)
 *   BENCH raw_parallel_get_per_s <v> msgs/s   (best of ROUNDS) the same files fetched by a
 *         plain libcurl multi loop (6 connections, keep-alive, Basic auth
 *         sent up front, a window of 12 transfers like the sync's, bytes
 *         discarded)
 *   BENCH initial_sync_msgs_per_s_best <v> msgs/s  the best of ROUNDS
 *         such syncs, each into a fresh store, alternating with as many
 *         raw rounds (a neighbour on a shared machine slows single rounds)
 *   BENCH store_mb_20k <v> MB                 the store file (and its WAL) after
 *         the first initial sync
 *   BENCH sync_vs_raw_get <v> x               the ratio of the bests (goal
 *         >= 0.7)
 *   BENCH nochange_sync_s_20k <v> s           a second sync, nothing changed
 *   BENCH upload_msgs_per_s <v> msgs/s        2,000 local changes (1,600
 *         messages marked read, 400 new messages in Drafts) replayed by
 *         ds_sync_up; "n/a" while ds_sync_up is a placeholder
 *   BENCH initial_sync_msgs_per_s_100k <v> msgs/s  100,000 messages in 100
 *         folders, the first named Inbox (the set-up of the next figure)
 *   BENCH first_inbox_message_s_100k <v> s    in that sync, as above
 *   BENCH nochange_sync_s_100k <v> s          a sync with nothing changed over
 *         them: Apache has no ctag, so this is the "without ctag" figure
 *         (goal < 3 s)
 *
 * With Xandikos too (serve.py apache,xandikos; skipped without it), the
 * ctag path (sync_folders.c's quick check: Depth 0 of the root and of each
 * folder, no Depth 1), over 100 folders of PER messages, PER 2, 20 and
 * 200 (Xandikos's GETs slow down as a collection grows: the 20,000 take
 * about 3 minutes, 100,000 would take hours, so no 100k through it; the
 * quick check never lists items, so its cost on our side does not depend
 * on PER, which the CPU figures show; Xandikos's own cost of a ctag does:
 * it builds the collection's git tree from its index, about 9 ms a Depth 0
 * at 1 item, 80 ms at 1,000). The collections are made by MKCOL and filled
 * on disk (git add + commit in each collection's repository, far faster
 * than PUT). Not scaled.
 *   BENCH nochange_sync_s_ctag_100folders_<PER> <v> s   no change, ctags
 *   BENCH nochange_sync_cpu_s_ctag_100folders_<PER> <v> s   its CPU time in
 *         this process
 *   BENCH nochange_sync_s_walk_100folders_<PER> <v> s   the same with the
 *         walk (what a server whose ctag misses subcollections gets)
 *
 * MAPIDAV_BENCH_PART=xandikos runs the Xandikos part alone;
 * MAPIDAV_BENCH_PART=ratio runs the 20,000 up to sync_vs_raw_get and stops.
 * scale (e.g. 0.1) multiplies every message count (the folder counts stay),
 * for a quick try; the names keep their full-size spelling and a comment
 * line gives the scale. Build without sanitizers for meaningful figures:
 * meson setup build-rel --buildtype=release -Dtests=true.
 * Never: write outside the fixture's folder (removed by serve.py).
 */
#include <curl/curl.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "davsync/http.h"
#include "davsync/rss_util.h"
#include "davsync/sync.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage.h"
#include "testutil.h"

#define CONNS 6
#define ROUNDS 5   /* of the ratio's raw GETs and initial syncs */

static const char *base, *user, *pass, *apache_root, *fixdir;
static uid_t owner_uid = (uid_t)-1;
static gid_t owner_gid = (gid_t)-1;

static char *fmt(const char *f, ...) TEST_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s)
        test_fatal("out of memory\n");
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

static double now_s(void)
{
    return (double)st_os_time_ms() / 1000.0;
}

/* ---- the mail tree on disk --------------------------------------------------- */

static void give_to_apache(const char *path)
{
    if (owner_uid != (uid_t)-1 && chown(path, owner_uid, owner_gid) != 0)
        test_fatal("chown %s failed\n", path);
}

static void make_dir(const char *path)
{
    if (st_os_mkdir_p(path) != 0)
        test_fatal("mkdir %s: %s\n", path, st_error_last());
    chmod(path, 0755);
    give_to_apache(path);
}

typedef struct buf {
    char d[8192];
    size_t n;
} buf;

static void put(buf *b, const char *f, ...) TEST_PRINTF(2, 3);
static void put(buf *b, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(b->d + b->n, sizeof b->d - b->n, f, ap);
    va_end(ap);
    if (n > 0)
        b->n += (size_t)n < sizeof b->d - b->n ? (size_t)n : sizeof b->d - b->n - 1;
}

static const char *const words[] = { "meeting", "report", "invoice", "project", "status",
    "update", "lunch", "budget", "review", "release", "schedule", "customer", "the", "and",
    "please", "find", "attached", "thanks", "regards", "tomorrow", "quarter", "numbers" };
#define NWORDS (sizeof words / sizeof words[0])

/* About len bytes of text in 72-column CRLF lines. */
static void text(buf *b, unsigned seed, size_t len)
{
    size_t start = b->n, col = 0;
    uint32_t x = seed * 2654435761u + 7;
    while (b->n - start < len) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        const char *w = words[x % NWORDS];
        if (col + strlen(w) > 72) {
            put(b, "\r\n");
            col = 0;
        }
        put(b, "%s%s", col ? " " : "", w);
        col += strlen(w) + 1;
    }
    put(b, "\r\n");
}

static void base64_block(buf *b, unsigned seed, size_t len)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t x = seed * 2246822519u + 3;
    size_t col = 0;
    for (size_t i = 0; i < len; i += 3) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        for (int k = 0; k < 4; k++)
            b->d[b->n++] = tab[(x >> (6 * k)) & 63];
        if ((col += 4) == 76) {
            b->d[b->n++] = '\r';
            b->d[b->n++] = '\n';
            col = 0;
        }
    }
    put(b, "\r\n");
}

/* Message number i (about 4 KB): 6 in 10 plain, 2 multipart/alternative,
 * 2 with a 1 KB attachment. */
static void message(buf *b, unsigned i)
{
    static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    b->n = 0;
    unsigned day = 1 + i % 28, hh = i % 24, mm = (i / 24) % 60;
    put(b, "Received: from mx%u.example.org (mx%u.example.org [192.0.2.%u])\r\n"
           "\tby mail.example.com with ESMTPS id %08X for <me@example.com>;\r\n"
           "\t%s, %u Oct 2026 %02u:%02u:07 +0000\r\n",
        i % 7, i % 7, i % 250, i * 2654435761u, days[i % 7], day, hh, mm);
    put(b, "From: Sender %u <sender%u@example.org>\r\nTo: Me Myself <me@example.com>\r\n",
        i % 500, i % 500);
    if (i % 3 == 0)
        put(b, "Cc: Colleague %u <colleague%u@example.com>\r\n", i % 50, i % 50);
    if (i % 10 == 4)
        put(b, "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_zum_Bericht_%u?=\r\n", i);
    else
        put(b, "Subject: RE: %s %s %u\r\n", words[i % NWORDS], words[(i / 7) % NWORDS], i);
    put(b, "Date: %s, %u Oct 2026 %02u:%02u:00 +0000\r\nMessage-ID: <%u.bench@example.org>\r\n"
           "X-Mailer: bench-sync\r\nMIME-Version: 1.0\r\n",
        days[i % 7], day, hh, mm, i);
    switch (i % 10) {
    case 6:
    case 7:
        put(b, "Content-Type: multipart/alternative; boundary=\"alt-%u\"\r\n\r\n"
               "--alt-%u\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", i, i);
        text(b, i, 1400);
        put(b, "--alt-%u\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>", i);
        text(b, i, 1400);
        put(b, "</p></body></html>\r\n--alt-%u--\r\n", i);
        break;
    case 8:
    case 9:
        put(b, "Content-Type: multipart/mixed; boundary=\"mix-%u\"\r\n\r\n"
               "--mix-%u\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", i, i);
        text(b, i, 1800);
        put(b, "--mix-%u\r\nContent-Type: application/pdf; name=\"report-%u.pdf\"\r\n"
               "Content-Disposition: attachment; filename=\"report-%u.pdf\"\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n", i, i, i);
        base64_block(b, i, 1024);
        put(b, "--mix-%u--\r\n", i);
        break;
    default:
        put(b, "Content-Type: text/plain; charset=utf-8\r\n\r\n");
        text(b, i, 3300);
        break;
    }
}

typedef struct tree {
    char **urls;        /* every message's URL */
    size_t n;
    uint64_t bytes;
} tree;

/* Writes count messages into dir (under the Apache root) as <no>.eml;
 * url_dir is dir's URL (ends with '/'). */
static void fill(tree *t, const char *dir, const char *url_dir, size_t count, unsigned first)
{
    buf b;
    make_dir(dir);
    t->urls = realloc(t->urls, (t->n + count) * sizeof *t->urls);
    for (size_t k = 0; k < count; k++) {
        unsigned i = first + (unsigned)k;
        message(&b, i);
        char *path = fmt("%s/%06u.eml", dir, i);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(b.d, 1, b.n, f) != b.n || fclose(f) != 0)
            test_fatal("write %s\n", path);
        give_to_apache(path);
        free(path);
        t->urls[t->n++] = fmt("%s%06u.eml", url_dir, i);
        t->bytes += b.n;
    }
}

static void tree_free(tree *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->urls[i]);
    free(t->urls);
}

/* ---- the raw loop -------------------------------------------------------- */

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
    (void)p;
    *(uint64_t *)arg += size * n;
    return size * n;
}

/* Fetches every URL with curl multi; returns the seconds taken. */
static double raw_get(const tree *t, uint64_t *bytes, size_t *failed)
{
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)CONNS);
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)CONNS);
    enum { WINDOW = 2 * CONNS };
    CURL *e[WINDOW];
    size_t next = 0, done = 0;
    *bytes = 0;
    *failed = 0;
    double t0 = now_s();
    for (int k = 0; k < WINDOW; k++) {
        e[k] = curl_easy_init();
        curl_easy_setopt(e[k], CURLOPT_USERNAME, user);
        curl_easy_setopt(e[k], CURLOPT_PASSWORD, pass);
        curl_easy_setopt(e[k], CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(e[k], CURLOPT_PROXY, "");
        curl_easy_setopt(e[k], CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e[k], CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(e[k], CURLOPT_WRITEDATA, bytes);
        if (next < t->n) {
            curl_easy_setopt(e[k], CURLOPT_URL, t->urls[next++]);
            curl_multi_add_handle(m, e[k]);
        }
    }
    while (done < t->n) {
        int running = 0, q = 0;
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        while ((msg = curl_multi_info_read(m, &q))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *h = msg->easy_handle;
            long code = 0;
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
            if (msg->data.result != CURLE_OK || code != 200)
                (*failed)++;
            done++;
            curl_multi_remove_handle(m, h);
            if (next < t->n) {
                curl_easy_setopt(h, CURLOPT_URL, t->urls[next++]);
                curl_multi_add_handle(m, h);
            }
        }
        if (done < t->n)
            curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    double secs = now_s() - t0;
    for (int k = 0; k < WINDOW; k++)
        curl_easy_cleanup(e[k]);
    curl_multi_cleanup(m);
    return secs;
}

/* ---- syncing --------------------------------------------------------------- */

static ds_http *client(void)
{
    ds_http *h = NULL;
    ds_http_config cfg = { .user = user, .password = pass, .max_connections = CONNS, .proxy = "" };
    if (ds_http_new(&h, &cfg) != 0)
        test_fatal("ds_http_new: %s\n", st_error_last());
    return h;
}

/* When the sync timed last stored its first message in the Inbox (0: not
 * yet), from its progress. */
static double first_inbox_at;

static void on_progress(void *arg, const ds_sync_progress *p)
{
    (void)arg;
    if (!first_inbox_at && p->done && p->folder && strcmp(p->phase, "fetch") == 0 &&
        strcmp(p->folder, "Inbox") == 0)
        first_inbox_at = now_s();
}

static ds_sync_config config(const char *root_url, const char *store, ds_http *h)
{
    return (ds_sync_config){ .mail_url = root_url, .user = user, .password = pass,
                             .store_path = store, .http = h, .max_connections = CONNS,
                             .progress = on_progress };
}

/* A store file of a round and its WAL files. */
static void remove_store(const char *path)
{
    static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        char *p = fmt("%s%s", path, ext[i]);
        st_os_remove(p);
        free(p);
    }
}

/* Bytes of a store file with its WAL (0 for a missing file). */
static long long file_size(const char *store)
{
    struct stat sb;
    long long n = stat(store, &sb) == 0 ? (long long)sb.st_size : 0;
    char *wal = fmt("%s-wal", store);
    n += stat(wal, &sb) == 0 ? (long long)sb.st_size : 0;
    free(wal);
    return n;
}

/* One ds_sync_once; returns its seconds. */
static double sync_started_at;

static double sync_timed(const ds_sync_config *cfg, ds_sync_counts *c, const char *what)
{
    double t0 = now_s(), c0 = cpu_seconds();
    first_inbox_at = 0;
    sync_started_at = t0;
    int rc = ds_sync_once(c, cfg);
    double secs = now_s() - t0;
    printf("# %s: %.2f s, %.2f s CPU in this process\n", what, secs, cpu_seconds() - c0);
    ok(rc == 0 && c->failed == 0, "%s: %d %s (failed %llu)\n", what, rc, rc ? st_error_last() : "",
       (unsigned long long)c->failed);
    return secs;
}

/* 2,000 x scale local changes in the store: most messages of Inbox marked
 * read, the rest new messages in Drafts. Returns how many were made. */
static size_t local_changes(const char *store, size_t want)
{
    st_store *s = NULL;
    if (st_store_open(&s, store, NULL, 0) != 0)
        test_fatal("open %s: %s\n", store, st_error_last());
    st_id rootf = 0, ipm = 0, inbox = 0, drafts = 0;
    st_folder_root(s, &rootf);
    st_folder_find_by_name(s, &ipm, rootf, "Top of Information Store");
    st_folder_find_by_name(s, &inbox, ipm, "Inbox");
    st_folder_find_by_name(s, &drafts, ipm, "Drafts");
    ok(inbox && drafts, "Inbox %llu, Drafts %llu\n", (unsigned long long)inbox,
       (unsigned long long)drafts);
    size_t nread = want - want / 5, made = 0;
    st_id *ids = NULL;
    size_t n = 0;
    st_message_list(s, &ids, &n, inbox, 0);
    for (size_t i = 0; i < n && i < nread; i++)
        if (ok(st_message_set_read(s, ids[i], 1, 0) == 0, "set read: %s\n", st_error_last()))
            made++;
    free(ids);
    for (size_t i = made; i < want; i++) {
        st_bag *b = st_bag_new();
        char subj[64], body[512];
        snprintf(subj, sizeof subj, "Draft %zu from the bench", i);
        snprintf(body, sizeof body, "Hello,\r\n\r\nthis is draft %zu, written offline.\r\n\r\n"
                 "Regards,\r\nMe\r\n", i);
        st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
        st_bag_set_str(b, PR_SUBJECT_W, subj);
        st_bag_set_str(b, PR_BODY_W, body);
        st_bag_set_long(b, PR_MESSAGE_FLAGS, MSGFLAG_READ | MSGFLAG_UNSENT);
        st_id mid = 0;
        if (ok(st_message_create(s, &mid, drafts, b, 0) == 0, "new message: %s\n", st_error_last()))
            made++;
        st_bag_free(b);
    }
    st_store_close(s);
    return made;
}

/* ds_sync_up of the store's journal; prints upload_msgs_per_s. */
static void upload(const ds_sync_config *cfg, size_t changes)
{
    ds_sync *sy = NULL;
    ds_sync_counts c = { 0 };
    if (ds_sync_open(&sy, cfg) != 0 || ds_sync_folders(sy, &c) != 0) {
        ok(0, "open for upload: %s\n", st_error_last());
        ds_sync_close(sy);
        return;
    }
    memset(&c, 0, sizeof c);
    double t0 = now_s();
    int rc = ds_sync_up(sy, &c);
    double secs = now_s() - t0;
    ds_sync_close(sy);
    ok(rc == 0 && c.up_done == changes, "upload: %d %s, %llu of %zu done, %llu conflicts, %llu refused\n",
       rc, rc ? st_error_last() : "", (unsigned long long)c.up_done, changes,
       (unsigned long long)c.up_conflicts, (unsigned long long)c.up_refused);
    printf("# upload: %zu changes in %.2f s (%llu done, %llu bytes sent)\n", changes, secs,
           (unsigned long long)c.up_done, (unsigned long long)c.up_bytes);
    printf("BENCH upload_msgs_per_s %.0f msgs/s\n", (double)changes / (secs > 0 ? secs : 1e-3));
}

static double scale_factor(int argc, char **argv)
{
    const char *v = getenv("MAPIDAV_BENCH_SCALE");
    if (!v || !*v)
        v = argc > 1 ? argv[1] : "1";
    double s = strtod(v, NULL);
    if (!(s > 0 && s <= 10))
        test_fatal("bad scale %s (0 < scale <= 10)\n", v);
    return s;
}

static size_t scaled(size_t n, double s)
{
    size_t v = (size_t)((double)n * s + 0.5);
    return v ? v : 1;
}

/* ---- the ctag path on Xandikos ------------------------------------------ */

static long request(ds_http *h, ds_http_method m, const char *url)
{
    ds_http_result r;
    ds_http_request rq = { .method = m, .url = url };
    ds_http_perform(h, &rq, &r);
    long st = r.status;
    ds_http_result_clear(&r);
    return st;
}

/* Puts the IPM subtree's walk record (sync_folders.c) back to long ago, so
 * the next sync walks the tree. */
static void age_walk(const char *store)
{
    st_store *s = NULL;
    st_id rootf = 0, ipm = 0;
    char *tok = NULL;
    if (st_store_open(&s, store, NULL, 0) != 0)
        test_fatal("open %s: %s\n", store, st_error_last());
    st_folder_root(s, &rootf);
    st_folder_find_by_name(s, &ipm, rootf, "Top of Information Store");
    st_folder_sync_get(s, ipm, NULL, &tok, NULL);
    const char *p = tok && !strncmp(tok, "mapidav:tree:", 13) ? tok + 13 : NULL;
    while (p && *p >= '0' && *p <= '9')
        p++;
    char *aged = p ? fmt("mapidav:tree:1%s", p) : NULL;
    ok(aged && st_folder_sync_set(s, ipm, NULL, aged, NULL) == 0, "walk record aged: %s\n",
       tok ? tok : "none");
    free(aged);
    free(tok);
    st_store_close(s);
}

static void bench_xandikos(void)
{
    const char *xbase = getenv("MAPIDAV_TEST_XANDIKOS_URL");
    char *xdata = fmt("%s/xandikos/data", fixdir);
    struct stat sb;
    if (!xbase || stat(xdata, &sb) != 0) {
        printf("# no Xandikos (serve.py apache,xandikos): no ctag figures\n");
        free(xdata);
        return;
    }
    /* Xandikos runs as the caller (PEERS.md): its files stay the caller's. */
    uid_t keep_uid = owner_uid;
    owner_uid = (uid_t)-1;
    ds_http *h = client();
    static const unsigned pers[] = { 2, 20, 200 };
    for (size_t k = 0; k < sizeof pers / sizeof pers[0]; k++) {
        unsigned per = pers[k];
        char *root = fmt("%suser/ctag%u/", xbase, per);
        tree t = { 0 };
        double t0 = now_s();
        ok(request(h, DS_HTTP_MKCOL, root) == 201, "MKCOL %s\n", root);
        for (unsigned f = 0; f < 100; f++) {
            char *u = fmt("%sF%03u/", root, f), *d = fmt("%s/user/ctag%u/F%03u", xdata, per, f);
            ok(request(h, DS_HTTP_MKCOL, u) == 201, "MKCOL %s\n", u);
            fill(&t, d, u, per, f * per);
            char *cmd = fmt("git -C '%s' -c safe.directory='*' add -A . && git -C '%s' -c "
                            "safe.directory='*' -c user.name=bench -c user.email=bench@example.com"
                            " commit -qm fill", d, d);
            ok(system(cmd) == 0, "%s\n", cmd);
            free(cmd);
            free(u);
            free(d);
        }
        printf("# Xandikos: 100 folders of %u messages made in %.1f s\n", per, now_s() - t0);
        char *store = fmt("%s/xctag%u.sqlite", fixdir, per);
        ds_sync_config cfg = config(root, store, h);
        ds_sync_counts c;
        sync_timed(&cfg, &c, "Xandikos initial sync");
        ok(c.new_items == t.n, "stored %llu of %zu\n", (unsigned long long)c.new_items, t.n);
        ds_http_stats st0, st1;
        ds_http_get_stats(h, &st0);
        double cpu0 = cpu_seconds();
        double s_ctag = sync_timed(&cfg, &c, "Xandikos no-change sync (ctags)");
        double cpu_ctag = cpu_seconds() - cpu0;
        ds_http_get_stats(h, &st1);
        ok(c.gets == 0 && c.items == 0 && c.folders_skipped == 100 &&
           st1.requests - st0.requests == 101, "ctag path: %llu requests, %llu skipped\n",
           (unsigned long long)(st1.requests - st0.requests),
           (unsigned long long)c.folders_skipped);
        printf("BENCH nochange_sync_s_ctag_100folders_%u %.3f s\n", per, s_ctag);
        printf("BENCH nochange_sync_cpu_s_ctag_100folders_%u %.3f s\n", per, cpu_ctag);
        age_walk(store);
        ds_http_get_stats(h, &st0);
        double s_walk = sync_timed(&cfg, &c, "Xandikos no-change sync (walk)");
        ds_http_get_stats(h, &st1);
        ok(c.gets == 0 && c.folders_skipped == 100, "walk: %llu GETs\n", (unsigned long long)c.gets);
        printf("# walk: %llu requests\n", (unsigned long long)(st1.requests - st0.requests));
        printf("BENCH nochange_sync_s_walk_100folders_%u %.3f s\n", per, s_walk);
        tree_free(&t);
        free(store);
        free(root);
    }
    ds_http_free(h);
    owner_uid = keep_uid;
    free(xdata);
}

int main(int argc, char **argv)
{
    st_log_to_stderr(1);   /* MAPIDAV_LOG=davsync=info shows each folder's timing */
    if (st_log_configure_from_env() != 0)
        test_fatal("MAPIDAV_LOG: %s\n", st_error_last());
    double scale = scale_factor(argc, argv);
    base = test_env("MAPIDAV_TEST_APACHE_URL");
    user = test_env("MAPIDAV_TEST_USER");
    pass = test_env("MAPIDAV_TEST_PASSWORD");
    apache_root = test_env("MAPIDAV_TEST_APACHE_ROOT");
    fixdir = test_env("MAPIDAV_TEST_FIXTURE_DIR");
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam("nobody");
        if (!pw)
            test_fatal("running as root without a user nobody for Apache\n");
        owner_uid = pw->pw_uid;
        owner_gid = pw->pw_gid;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (scale != 1)
        printf("# scale %g: every message count multiplied by it\n", scale);
    const char *part = getenv("MAPIDAV_BENCH_PART");
    if (!part || strcmp(part, "ratio") != 0)
        bench_xandikos();
    if (part && strcmp(part, "xandikos") == 0) {   /* that part alone */
        curl_global_cleanup();
        return test_done();
    }

    /* ---- 20,000 messages in 5 folders ---- */
    static const struct { const char *dir, *url; unsigned share; } f20[] = {
        { "Inbox", "Inbox/", 50 }, { "Inbox/Projects", "Inbox/Projects/", 10 },
        { "Sent Items", "Sent%20Items/", 20 }, { "Archive 2025", "Archive%202025/", 20 },
        { "Drafts", "Drafts/", 0 },
    };
    size_t n20 = scaled(20000, scale);
    char *dir20 = fmt("%s/mail20k", apache_root), *url20 = fmt("%smail20k/", base);
    tree t20 = { 0 };
    double t0 = now_s();
    make_dir(dir20);
    unsigned next = 0;
    for (size_t k = 0; k < sizeof f20 / sizeof f20[0]; k++) {
        /* Archive 2025, the last one with a share, takes what is left. */
        size_t cnt = !f20[k].share ? 0 : k == 3 ? n20 - next : n20 * f20[k].share / 100;
        char *d = fmt("%s/%s", dir20, f20[k].dir), *u = fmt("%s%s", url20, f20[k].url);
        fill(&t20, d, u, cnt, next);
        next += (unsigned)cnt;
        free(d);
        free(u);
    }
    printf("# %zu messages, %.1f MB, written in %.1f s\n", t20.n, (double)t20.bytes / 1e6,
           now_s() - t0);

    ds_http *h = client();
    char *store20 = fmt("%s/bench20k.sqlite", fixdir);
    ds_sync_config cfg = config(url20, store20, h);
    ds_sync_counts c;
    double s_sync = sync_timed(&cfg, &c, "initial sync 20k");
    ok(c.new_items == t20.n, "initial sync stored %llu of %zu\n", (unsigned long long)c.new_items,
       t20.n);
    long rss_kb = peak_rss_kb();
    printf("# initial sync: %llu messages, %.1f MB in %.2f s\n", (unsigned long long)c.new_items,
           (double)c.bytes / 1e6, s_sync);
    printf("BENCH initial_sync_msgs_per_s %.0f msgs/s\n", (double)t20.n / s_sync);
    printf("BENCH first_inbox_message_s %.3f s\n", first_inbox_at - sync_started_at);
    if (!RSS_CHECKED)
        printf("# peak RSS under AddressSanitizer (quarantine): not the real figure\n");
    printf("BENCH peak_rss_mb %.1f MB\n", (double)rss_kb / 1024.0);
    printf("BENCH store_mb_20k %.1f MB\n", (double)file_size(store20) / 1e6);

    /* The ratio: ROUNDS rounds of raw GETs and initial syncs (into a fresh
     * store each), alternating, and the best of each: on a shared machine
     * one round of either can be slowed by a neighbour (seen: 0.28-0.73
     * from single rounds); the best is what the code can do here. */
    double best_raw = 0, best_sync = s_sync;
    for (int round = 1; round <= ROUNDS; round++) {
        uint64_t raw_bytes = 0;
        size_t raw_failed = 0;
        double s_raw = raw_get(&t20, &raw_bytes, &raw_failed);
        ok(raw_failed == 0 && raw_bytes == t20.bytes, "raw GET: %zu failed, %llu of %llu bytes\n",
           raw_failed, (unsigned long long)raw_bytes, (unsigned long long)t20.bytes);
        printf("# round %d: raw GET: %zu messages in %.2f s\n", round, t20.n, s_raw);
        if (!best_raw || s_raw < best_raw)
            best_raw = s_raw;
        if (round == ROUNDS)
            break;
        char *fresh = fmt("%s/bench20k-round%d.sqlite", fixdir, round + 1);
        ds_sync_config rc = config(url20, fresh, h);
        double s = sync_timed(&rc, &c, "initial sync 20k, another round");
        ok(c.new_items == t20.n, "round %d stored %llu of %zu\n", round + 1,
           (unsigned long long)c.new_items, t20.n);
        if (s < best_sync)
            best_sync = s;
        remove_store(fresh);
        free(fresh);
    }
    printf("BENCH initial_sync_msgs_per_s_best %.0f msgs/s\n", (double)t20.n / best_sync);
    printf("BENCH raw_parallel_get_per_s %.0f msgs/s\n", (double)t20.n / best_raw);
    printf("BENCH sync_vs_raw_get %.2f x\n", best_raw / best_sync);
    if (part && strcmp(part, "ratio") == 0) {   /* up to the ratio alone */
        remove_store(store20);
        tree_free(&t20);
        free(store20);
        free(dir20);
        free(url20);
        ds_http_free(h);
        curl_global_cleanup();
        return test_done();
    }

    double s_nochange = sync_timed(&cfg, &c, "no-change sync 20k");
    ok(c.gets == 0, "no-change sync sent %llu GETs\n", (unsigned long long)c.gets);
    printf("BENCH nochange_sync_s_20k %.3f s\n", s_nochange);

    size_t want = scaled(2000, scale);
    size_t changes = local_changes(store20, want);
    upload(&cfg, changes);
    tree_free(&t20);

    /* ---- 100,000 messages in 100 folders ---- */
    size_t n100 = scaled(100000, scale), per = n100 / 100 ? n100 / 100 : 1;
    char *dir100 = fmt("%s/mail100k", apache_root), *url100 = fmt("%smail100k/", base);
    tree t100 = { 0 };
    t0 = now_s();
    make_dir(dir100);
    for (unsigned k = 0; k < 100; k++) {
        /* the first one is the Inbox (first_inbox_message_s_100k) */
        char *d = k ? fmt("%s/Folder %03u", dir100, k) : fmt("%s/Inbox", dir100);
        char *u = k ? fmt("%sFolder%%20%03u/", url100, k) : fmt("%sInbox/", url100);
        fill(&t100, d, u, per, k * (unsigned)per);
        free(d);
        free(u);
    }
    printf("# %zu messages in 100 folders, %.1f MB, written in %.1f s\n", t100.n,
           (double)t100.bytes / 1e6, now_s() - t0);
    char *store100 = fmt("%s/bench100k.sqlite", fixdir);
    ds_sync_config cfg100 = config(url100, store100, h);
    double s_init100 = sync_timed(&cfg100, &c, "initial sync 100k");
    ok(c.new_items == t100.n, "initial sync stored %llu of %zu\n", (unsigned long long)c.new_items,
       t100.n);
    printf("BENCH initial_sync_msgs_per_s_100k %.0f msgs/s\n", (double)t100.n / s_init100);
    printf("BENCH first_inbox_message_s_100k %.3f s\n", first_inbox_at - sync_started_at);
    ds_http_stats st0, st1;
    ds_http_get_stats(h, &st0);
    double s_nochange100 = sync_timed(&cfg100, &c, "no-change sync 100k");
    ds_http_get_stats(h, &st1);
    /* nothing fetched or stored; the folders are skipped by their ctag or
     * members' fingerprint, so no folder lists its items again */
    ok(c.gets == 0 && c.new_items == 0 && c.items == 0,
       "no-change sync: %llu GETs, %llu new, %llu items listed\n", (unsigned long long)c.gets,
       (unsigned long long)c.new_items, (unsigned long long)c.items);
    printf("# no-change sync 100k: %llu requests\n", (unsigned long long)(st1.requests - st0.requests));
    printf("BENCH nochange_sync_s_100k %.3f s\n", s_nochange100);

    tree_free(&t100);
    ds_http_free(h);
    free(dir20);
    free(url20);
    free(store20);
    free(dir100);
    free(url100);
    free(store100);
    curl_global_cleanup();
    return test_done();
}
