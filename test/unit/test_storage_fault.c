/*
 * test_storage_fault.c: write faults through a VFS shim (SQLite's
 * faultsim idea): from the N-th write on, every write fails with
 * SQLITE_FULL (disk full) or SQLITE_IOERR_WRITE, for N = 1, 2, ... until
 * an operation gets through. Each time: the call fails with a clear error
 * (ST_EFULL says "disk is full"), nothing committed before is lost, the
 * failed change is absent as a whole (message, recipients, attachment,
 * journal entry), the store reopens and passes st_store_check.
 */
#include <sqlite3.h>

#include "test_storage_util.h"

/* ---- the shim ---- */
typedef struct shim_file {
    sqlite3_file base;    /* our methods */
    sqlite3_file *real;   /* the wrapped file, allocated right after us */
} shim_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static int writes;        /* writes seen since armed */
static int fail_from;     /* 0: off; else fail writes number >= fail_from */
static int fail_code;     /* SQLITE_FULL or SQLITE_IOERR_WRITE */
static int failed_writes; /* writes refused */

#define REAL(f) (((shim_file *)(f))->real)

static int x_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int x_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int x_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    if (fail_from && ++writes >= fail_from) {
        failed_writes++;
        return fail_code;
    }
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int x_truncate(sqlite3_file *f, sqlite3_int64 s)
{
    if (fail_from && writes >= fail_from)
        return SQLITE_IOERR_TRUNCATE;
    return REAL(f)->pMethods->xTruncate(REAL(f), s);
}
static int x_sync(sqlite3_file *f, int fl) { return REAL(f)->pMethods->xSync(REAL(f), fl); }
static int x_size(sqlite3_file *f, sqlite3_int64 *s) { return REAL(f)->pMethods->xFileSize(REAL(f), s); }
static int x_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int x_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int x_check(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int x_fcntl(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int x_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int x_dev(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int x_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int x_shmlock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void x_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int x_shmunmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int x_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), o, n, pp);
}
static int x_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p) { return REAL(f)->pMethods->xUnfetch(REAL(f), o, p); }

static const sqlite3_io_methods shim_methods = {
    3, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock, x_unlock, x_check,
    x_fcntl, x_sector, x_dev, x_shmmap, x_shmlock, x_shmbarrier, x_shmunmap, x_fetch, x_unfetch
};

static int x_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    shim_file *sf = (shim_file *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    int rc = real_vfs->xOpen(real_vfs, name, sf->real, flags, out);
    sf->base.pMethods = rc == SQLITE_OK && sf->real->pMethods ? &shim_methods : NULL;
    return rc;
}

static void shim_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    shim_vfs = *real_vfs;
    shim_vfs.zName = "mapidav-faulty";
    shim_vfs.szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile;
    shim_vfs.xOpen = x_open;
    shim_vfs.pAppData = real_vfs;
    sqlite3_vfs_register(&shim_vfs, 1);
}

static void arm(int n, int code)
{
    writes = 0;
    failed_writes = 0;
    fail_from = n;
    fail_code = code;
}

/* ---- the operation under test: one local transaction ---- */
static int operation(st_store *s, st_id inbox, int i, st_id *out)
{
    st_bag *b = tsu_mail(i, 3000);
    st_bag *row = st_bag_new();
    st_bag_set_str(row, PR_DISPLAY_NAME_W, "Someone");
    int code = tsu_create_full(s, inbox, b, &row, 1, 40000, out);
    st_bag_free(row);
    st_bag_free(b);
    return code;
}

typedef struct snapshot {
    uint64_t messages, recipients, attachments, journal;
} snapshot;

static snapshot snap(st_store *s)
{
    st_store_stats st;
    snapshot x = { 0, 0, 0, 0 };
    if (st_store_stats_get(s, &st) == 0)
        x = (snapshot){ st.messages, st.recipients, st.attachments, st.journal_pending };
    return x;
}

int main(void)
{
    shim_install();
    st_id root, inbox;
    st_store *s = tsu_store("fault.sqlite", &root, &inbox);
    const char *path = st_store_path(s);
    char *path_copy = malloc(strlen(path) + 1);
    strcpy(path_copy, path);
    st_id first;
    ok(operation(s, inbox, 0, &first) == 0, "baseline\n");

    int faults = 0, clear_errors = 0, whole = 0, reopened = 0, checked = 0, n;
    for (n = 1; n < 400; n++) {
        int fcode = n % 2 ? SQLITE_FULL : SQLITE_IOERR_WRITE;
        snapshot before = snap(s);
        arm(n, fcode);
        st_id id = 0;
        int r = operation(s, inbox, n, &id);
        int hit = failed_writes > 0;
        arm(0, 0);
        if (!hit && r == 0)
            break;   /* got through without a fault: every write position tried */
        faults++;
        if (r != 0) {
            const char *msg = st_error_last();
            if ((fcode == SQLITE_FULL && r == ST_EFULL && strstr(msg, "disk is full") &&
                    strstr(msg, "fault.sqlite")) || (fcode != SQLITE_FULL && r != 0 && *msg))
                clear_errors++;
            else
                fprintf(stderr, "n=%d: unclear error %d: %s\n", n, r, msg);
        } else {
            clear_errors++;   /* the fault hit a checkpoint after the commit: fine */
        }
        /* All or nothing, and nothing earlier lost. */
        st_store_close(s);
        s = NULL;
        if (st_store_open(&s, path_copy, &tsu_guid, 0) == 0)
            reopened++;
        else {
            fprintf(stderr, "n=%d: reopen: %s\n", n, st_error_last());
            break;
        }
        snapshot after = snap(s);
        int added = after.messages == before.messages + 1;
        if (added ? (after.recipients == before.recipients + 1 &&
                after.attachments == before.attachments + 1 && after.journal == before.journal + 1)
                  : (after.messages == before.messages && after.recipients == before.recipients &&
                after.attachments == before.attachments && after.journal == before.journal))
            whole++;
        else
            fprintf(stderr, "n=%d: partial change visible\n", n);
        if (added != (r == 0))
            fprintf(stderr, "n=%d: result %d but change %s\n", n, r, added ? "present" : "absent");
        char *rep = NULL;
        if (st_store_check(s, &rep) == 0)
            checked++;
        else
            fprintf(stderr, "n=%d: check: %s\n", n, rep ? rep : st_error_last());
        free(rep);
        st_bag *b = NULL;
        if (st_message_get(s, &b, first) != 0)
            fprintf(stderr, "n=%d: first message lost\n", n);
        st_bag_free(b);
    }
    printf("faults injected: %d\n", faults);
    ok(faults > 3, "faults injected: %d (write positions tried: %d)\n", faults, n);
    ok(clear_errors == faults, "clear errors: %d of %d\n", clear_errors, faults);
    ok(whole == faults, "all or nothing: %d of %d\n", whole, faults);
    ok(reopened == faults, "reopened: %d of %d\n", reopened, faults);
    ok(checked == faults, "integrity: %d of %d\n", checked, faults);
    /* And the store still takes writes. */
    st_id last;
    ok(s && operation(s, inbox, 9999, &last) == 0, "writes again: %s\n", st_error_last());
    st_store_close(s);
    free(path_copy);
    tsu_cleanup();
    return test_done();
}
