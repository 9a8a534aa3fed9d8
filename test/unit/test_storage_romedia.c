/*
 * test_storage_romedia.c: the store and the catalog on read-only media (a
 * tmpfs remounted read-only; root only, else skipped, as on Windows): a
 * cleanly closed store opens read-only and reads everything, a read-write
 * open and every write are refused with ST_EREADONLY naming the file, and
 * a store left with its WAL by a killed writer either opens with every
 * committed change or is refused clearly — never a crash or a wrong read.
 */
#include "test_storage_util.h"

#ifdef __linux__
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static char mnt[1024];

static int remount(int ro)
{
    return mount("tmpfs", mnt, "tmpfs", MS_REMOUNT | (ro ? MS_RDONLY : 0), "size=16m");
}

static void path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", mnt, name);
}

static int count_messages(st_store *s, st_id fid)
{
    st_id *ids = NULL;
    size_t n = 0;
    int r = st_message_list(s, &ids, &n, fid, 0);
    free(ids);
    return r ? -1 : (int)n;
}

/* A new store at sp with a root and an Inbox (server folders); *inbox its id. */
static st_store *new_store(const char *sp, st_id *inbox)
{
    st_store *s = NULL;
    st_id root = 0;
    ok(st_store_open(&s, sp, &tsu_guid, ST_OPEN_CREATE) == 0, "create: %s\n", st_error_last());
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, "Root");
    st_folder_create(s, &root, 0, b, ST_FROM_SERVER);
    st_bag_set_str(b, PR_DISPLAY_NAME_W, "Inbox");
    st_folder_create(s, inbox, root, b, ST_FROM_SERVER);
    st_bag_free(b);
    return s;
}

static void test_clean_store(void)
{
    char sp[1100], cp[1100];
    path(sp, sizeof sp, "store.sqlite");
    path(cp, sizeof cp, "catalog.sqlite");
    st_catalog *c = NULL;
    st_id inbox = 0, mid = 0;
    st_store *s = new_store(sp, &inbox);
    st_bag *b = tsu_mail(1, 100);
    ok(st_message_create(s, &mid, inbox, b, 0) == 0, "message\n");
    st_bag_free(b);
    st_store_close(s);
    ok(st_catalog_open(&c, cp, ST_OPEN_CREATE) == 0 &&
       st_catalog_setting_set(c, "account.url", "https://example.org/") == 0, "catalog\n");
    st_catalog_close(c);

    ok(remount(1) == 0, "remount read-only\n");
    s = NULL;
    int r = st_store_open(&s, sp, &tsu_guid, 0);
    ok(r == ST_EREADONLY && !s, "read-write open refused: %d\n", r);
    ok(strstr(st_error_last(), "store.sqlite") != NULL, "error names the file: %s\n",
       st_error_last());
    r = st_store_open(&s, sp, &tsu_guid, ST_OPEN_READONLY);
    ok(r == 0, "read-only open: %d %s\n", r, st_error_last());
    if (s) {
        st_bag *got = NULL;
        ok(count_messages(s, inbox) == 1, "the message is listed\n");
        ok(st_message_get(s, &got, mid) == 0 && got, "the message reads\n");
        st_bag_free(got);
        r = st_message_set_read(s, mid, 1, 0);
        ok(r == ST_EREADONLY, "write refused: %d %s\n", r, st_error_last());
        char *report = NULL;
        ok(st_store_check(s, &report) == 0, "check: %s\n", report ? report : "");
        free(report);
        st_store_close(s);
    }
    c = NULL;
    ok(st_catalog_open(&c, cp, 0) == ST_EREADONLY, "catalog read-write refused\n");
    ok(st_catalog_open(&c, cp, ST_OPEN_READONLY) == 0, "catalog read-only: %s\n",
       st_error_last());
    char *v = NULL;
    ok(c && st_catalog_setting_get(c, &v, "account.url") == 0 && v &&
       !strcmp(v, "https://example.org/"), "setting reads\n");
    free(v);
    ok(c && st_catalog_setting_set(c, "x", "y") == ST_EREADONLY, "setting write refused\n");
    st_catalog_close(c);
    ok(remount(0) == 0, "remount read-write\n");
}

/* A writer killed with its WAL in place, then the medium made read-only. */
static void test_killed_writer(void)
{
    char sp[1100];
    path(sp, sizeof sp, "killed.sqlite");
    st_id inbox = 0;
    st_store *s = new_store(sp, &inbox);
    st_store_close(s);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        st_store *w = NULL;
        if (st_store_open(&w, sp, &tsu_guid, 0) != 0)
            _exit(2);
        for (int i = 0; i < 20; i++) {
            st_bag *m = tsu_mail(i, 200);
            st_id id;
            if (st_message_create(w, &id, inbox, m, 0) != 0)
                _exit(3);
            st_bag_free(m);
        }
        _exit(0);   /* no close: the WAL stays */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer: %d\n", status);
    char wal[1200];
    snprintf(wal, sizeof wal, "%s-wal", sp);
    uint64_t wal_size = 0;
    ok(st_os_path_size(&wal_size, wal) == 0 && wal_size > 0, "the WAL stayed (%llu bytes)\n",
       (unsigned long long)wal_size);
    ok(remount(1) == 0, "remount read-only\n");
    s = NULL;
    int r = st_store_open(&s, sp, &tsu_guid, ST_OPEN_READONLY);
    if (r == 0) {
        ok(count_messages(s, inbox) == 20, "every committed message is there: %d\n",
           count_messages(s, inbox));
        st_store_close(s);
    } else {
        ok(r == ST_EREADONLY || r == ST_EBUSY, "refused clearly: %d %s\n", r, st_error_last());
        ok(strstr(st_error_last(), "killed.sqlite") != NULL, "names the file: %s\n",
           st_error_last());
    }
    printf("killed writer's store on read-only media: %s\n", r == 0 ? "opened" : st_error_last());
    ok(remount(0) == 0, "remount read-write\n");
}

int main(void)
{
    if (geteuid() != 0)
        test_skip("needs root to mount a read-only file system\n");
    snprintf(mnt, sizeof mnt, "%s", tsu_dir());
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=16m") != 0)
        test_skip("cannot mount a tmpfs here\n");
    test_clean_store();
    test_killed_writer();
    umount2(mnt, MNT_DETACH);
    tsu_cleanup();
    return test_done();
}
#else
int main(void)
{
    test_skip("read-only media are tested on Linux\n");
    return 0;
}
#endif
