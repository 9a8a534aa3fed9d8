/*
 * test_storage_kill.c (Linux only): a child process writes continuously -
 * local changes with their journal entries (create with recipients and an
 * attachment in one transaction, modify, read flag, move, delete) and
 * server imports in time-bounded batches - and is killed with SIGKILL at a
 * random moment, about 100 times. After each kill: the store opens, passes
 * st_store_check (SQLite integrity, folder counts, journal references,
 * streams, blobs), every change the child reported as committed is there,
 * and no half-written message is visible (each local message has its two
 * recipients and its attachment). A search folder of the unread messages
 * of the whole store (storage/search.c) is exact after every kill: its
 * count is the sum of the folders' unread counts.
 */
#include "test_storage_util.h"

#ifdef _WIN32
int main(void)
{
    test_skip("fork-based test: Linux only\n");
}
#else
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ID (1u << 20)

static uint8_t state_of[MAX_ID];   /* 0 unknown, 1 committed, 2 maybe deleted */

static void say(int fd, char what, st_id id)
{
    char line[32];
    int n = snprintf(line, sizeof line, "%c %llu\n", what, (unsigned long long)id);
    if (write(fd, line, (size_t)n) < 0)
        _exit(3);
}

static int local_create(st_store *s, st_id fid, int i, st_id *out)
{
    st_bag *b = tsu_mail(i, 1500);
    st_bag_set_str(b, PR_SUBJECT_W, "L local message");
    st_bag *rows[2] = { st_bag_new(), st_bag_new() };
    st_bag_set_str(rows[0], PR_DISPLAY_NAME_W, "One");
    st_bag_set_str(rows[1], PR_DISPLAY_NAME_W, "Two");
    int code = tsu_create_full(s, fid, b, rows, 2, (uint32_t)(50000 - i % 100), out);
    st_bag_free(rows[0]);
    st_bag_free(rows[1]);
    st_bag_free(b);
    return code;
}

static void child(const char *path, st_id inbox, st_id other, int fd, unsigned seed)
{
    st_store *s = NULL;
    if (st_store_open(&s, path, NULL, 0) != 0)
        _exit(2);
    st_id *ids = NULL;
    size_t n = 0;
    st_message_list(s, &ids, &n, inbox, 0);
    size_t cap = n + 100000;
    ids = realloc(ids, cap * sizeof *ids);
    srand(seed);
    for (int round = 0;; round++) {
        int what = rand() % 10;
        st_id id;
        if (what < 3) {
            if (local_create(s, inbox, round, &id) == 0) {
                say(fd, 'C', id);
                if (n < cap)
                    ids[n++] = id;
            }
        } else if (what < 5 && n) {
            st_import *imp = NULL;
            if (st_import_begin(&imp, s, 20) == 0) {
                st_id got[20];
                int k;
                for (k = 0; k < 20; k++) {
                    st_bag *b = tsu_mail(round * 20 + k, 2048);
                    char href[64];
                    snprintf(href, sizeof href, "/m/%u-%d-%d.eml", seed, round, k);
                    if (st_import_message(imp, &got[k], inbox, b, NULL, 0, href, "\"1\"") != 0)
                        got[k] = 0;
                    st_bag_free(b);
                }
                if (st_import_end(imp) == 0)
                    for (k = 0; k < 20; k++)
                        if (got[k]) {
                            say(fd, 'C', got[k]);
                            if (n < cap)
                                ids[n++] = got[k];
                        }
            }
        } else if (n) {
            size_t pick = (size_t)rand() % n;
            id = ids[pick];
            st_bag *set = st_bag_new();
            st_bag_set_long(set, PR_FLAG_STATUS, round);
            switch (what) {
            case 5: st_message_set_props(s, id, set, NULL, 0, 0); break;
            case 6: st_message_set_read(s, id, round & 1, 0); break;
            case 7: {
                st_id f = 0;
                st_message_folder(s, &f, id);
                st_message_move(s, id, f == inbox ? other : inbox, 0);
                break;
            }
            default:
                say(fd, 'd', id);   /* before: a kill may come right after the commit */
                st_message_delete(s, id, rand() % 2 ? ST_FROM_SERVER : 0);
                ids[pick] = ids[--n];
                break;
            }
            st_bag_free(set);
        }
        if (n > 300) {   /* keep the file small: drop the oldest, as the server would */
            say(fd, 'd', ids[0]);
            st_message_delete(s, ids[0], ST_FROM_SERVER);
            ids[0] = ids[--n];
        }
    }
}

static void read_log(int fd)
{
    static char buf[1 << 16];
    static size_t have;
    for (;;) {
        ssize_t r = read(fd, buf + have, sizeof buf - have - 1);
        if (r <= 0)
            break;
        have += (size_t)r;
        char *line = buf, *nl;
        while ((nl = memchr(line, '\n', (size_t)(buf + have - line)))) {
            *nl = 0;
            unsigned long long id = strtoull(line + 2, NULL, 10);
            if (id < MAX_ID)
                state_of[id] = line[0] == 'C' ? 1 : 2;
            line = nl + 1;
        }
        have = (size_t)(buf + have - line);
        memmove(buf, line, have);
    }
    have = 0;   /* a partial line at the kill is dropped */
}

int main(void)
{
    st_id root, inbox, other;
    st_store *s = tsu_store("kill.sqlite", &root, &inbox);
    other = tsu_folder(s, root, "Other", ST_FROM_SERVER);
    st_bag *fb = st_bag_new();
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Unread");
    st_id unread_sf = 0;
    st_restriction *unread_r = st_res_bitmask(BMR_EQZ, PR_MESSAGE_FLAGS, 1);
    ok(st_folder_create(s, &unread_sf, root, fb, ST_FOLDER_SEARCH) == 0 &&
        st_search_set(s, unread_sf, unread_r, &root, 1, ST_SEARCH_RECURSIVE) == 0,
        "search folder: %s\n", st_error_last());
    st_res_free(unread_r);
    st_bag_free(fb);
    char path[1024];
    snprintf(path, sizeof path, "%s", st_store_path(s));
    st_store_close(s);

    srand(12345);
    uint64_t start = st_os_time_ms();
    int kills = 0, opened = 0, clean = 0, lost = 0, partial = 0, search_off = 0;
    for (int it = 0; it < 100 && st_os_time_ms() - start < 45000; it++) {
        int p[2];
        if (pipe(p) != 0)
            test_fatal("pipe\n");
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            child(path, inbox, other, p[1], (unsigned)it + 1);
            _exit(0);
        }
        close(p[1]);
        test_sleep_ms(10 + (unsigned)(rand() % 140));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFSIGNALED(status))
            kills++;
        read_log(p[0]);
        close(p[0]);

        if (st_store_open(&s, path, &tsu_guid, 0) != 0) {
            fprintf(stderr, "iteration %d: open: %s\n", it, st_error_last());
            continue;
        }
        opened++;
        char *rep = NULL;
        if (st_store_check(s, &rep) == 0)
            clean++;
        else
            fprintf(stderr, "iteration %d: check: %s\n", it, rep ? rep : st_error_last());
        free(rep);
        st_folder_counts fi, fo, fs;
        if (st_folder_counts_get(s, &fi, inbox) || st_folder_counts_get(s, &fo, other) ||
                st_folder_counts_get(s, &fs, unread_sf) || fs.content != fi.unread + fo.unread ||
                fs.unread != fs.content) {
            search_off++;
            fprintf(stderr, "iteration %d: search folder %u/%u, unread %u + %u\n", it,
                fs.content, fs.unread, fi.unread, fo.unread);
        }
        for (uint32_t id = 0; id < MAX_ID; id++) {
            if (state_of[id] != 1)
                continue;
            st_bag *b = NULL;
            if (st_message_get(s, &b, id) != 0) {
                lost++;
                fprintf(stderr, "iteration %d: committed message %u missing\n", it, id);
                state_of[id] = 0;
                continue;
            }
            const st_value *subj = st_bag_get(b, PR_SUBJECT_W);
            if (subj && subj->v.str[0] == 'L') {
                st_bag **rows = NULL;
                size_t nr = 0;
                uint32_t *nums = NULL;
                size_t na = 0;
                st_recipients_get(s, &rows, &nr, id);
                st_attach_list(s, &nums, &na, id);
                if (nr != 2 || na != 1) {
                    partial++;
                    fprintf(stderr, "message %u: %zu recipients, %zu attachments\n", id, nr, na);
                }
                for (size_t k = 0; k < nr; k++)
                    st_bag_free(rows[k]);
                free(rows);
                free(nums);
            }
            st_bag_free(b);
        }
        st_store_close(s);
    }
    unsigned committed = 0;
    for (uint32_t id = 0; id < MAX_ID; id++)
        committed += state_of[id] != 0;
    printf("kills %d, opened %d, clean %d, lost %d, partial %d, messages reported %u\n", kills,
        opened, clean, lost, partial, committed);
    ok(committed > 500, "the child got work done: %u messages\n", committed);
    ok(kills >= 50, "killed %d times\n", kills);
    ok(opened == kills && clean == kills, "every kill: opens %d, clean %d of %d\n", opened, clean,
        kills);
    ok(lost == 0, "committed changes lost: %d\n", lost);
    ok(partial == 0, "half-written messages: %d\n", partial);
    ok(search_off == 0, "search folder out of step: %d times\n", search_off);
    /* The journal is consistent and usable after all that. */
    ok(st_store_open(&s, path, &tsu_guid, 0) == 0, "final open\n");
    st_journal_entry *e = NULL;
    size_t n = 0;
    ok(st_journal_take(s, &e, &n, 0) == 0 && n > 0, "journal entries: %zu\n", n);
    for (size_t i = 0; i < n; i++)
        st_journal_ack(s, e[i].seq, NULL, NULL);
    st_journal_entries_free(e, n);
    char *rep = NULL;
    ok(st_store_check(s, &rep) == 0, "final check: %s\n", rep ? rep : "");
    free(rep);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
#endif
