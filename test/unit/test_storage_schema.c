/*
 * test_storage_schema.c: schema versions. A new file is at the current
 * version; a file at every earlier version migrates forward (there is only
 * v1, so the mechanism is also run with a made-up v1 -> v2 step); a file
 * from a newer version is refused with a message naming it and is left
 * byte for byte as it was; damaged and foreign files are refused cleanly.
 */
#include "test_storage_util.h"
#include "storage/storage_int.h"

static char *slurp(const char *path, size_t *len)
{
    char *d = NULL;
    if (st_os_read_file(&d, len, path) != 0)
        return NULL;
    return d;
}

static int user_version(const char *path)
{
    sqlite3 *db = NULL;
    int v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

static void set_user_version(const char *path, int v)
{
    sqlite3 *db = NULL;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode=DELETE; PRAGMA user_version=%d", v);
    sqlite3_open(path, &db);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
}

static void test_new_files(void)
{
    st_store *s = tsu_store("new.sqlite", NULL, NULL);
    st_store_close(s);
    ok(user_version(tsu_path("new.sqlite")) == ST_STORE_VERSION, "store version\n");
    st_catalog *c = NULL;
    ok(st_catalog_open(&c, tsu_path("cat.sqlite"), ST_OPEN_CREATE) == 0, "catalog\n");
    st_catalog_close(c);
    ok(user_version(tsu_path("cat.sqlite")) == ST_CATALOG_VERSION, "catalog version\n");
    /* Reopening checks the GUID. */
    st_guid other = tsu_guid;
    other.data1++;
    int r = st_store_open(&s, tsu_path("new.sqlite"), &other, 0);
    ok(r == ST_ECORRUPT && strstr(st_error_last(), "new.sqlite"), "other guid: %d %s\n", r,
        st_error_last());
}

/* Every earlier version: made with the schema code of that version, then
 * opened through the public API. */
static void test_every_earlier_version(void)
{
    for (int kind = 0; kind < 2; kind++) {
        int current = kind == ST_SCHEMA_CATALOG ? ST_CATALOG_VERSION : ST_STORE_VERSION;
        for (int v = 1; v <= current; v++) {
            char name[64];
            snprintf(name, sizeof name, "old-%d-%d.sqlite", kind, v);
            st_db d;
            ok(st_db__open(&d, tsu_path(name), 1, 0, current) == 0, "raw open\n");
            ok(st_schema__create_version(&d, kind, v) == 0, "make v%d: %s\n", v, st_error_last());
            if (kind == ST_SCHEMA_STORE) {
                /* a v-file with content */
                st_db__exec(&d, "INSERT INTO meta(key, value) VALUES ('guid', "
                    "x'78563412341278569" "0abcdef01234567')");
            }
            st_db__close(&d);
            ok(user_version(tsu_path(name)) == v, "at v%d\n", v);
            int r;
            if (kind == ST_SCHEMA_CATALOG) {
                st_catalog *c = NULL;
                r = st_catalog_open(&c, tsu_path(name), 0);
                st_catalog_close(c);
            } else {
                st_store *s = NULL;
                r = st_store_open(&s, tsu_path(name), &tsu_guid, 0);
                st_store_close(s);
            }
            ok(r == 0, "open v%d: %d %s\n", v, r, st_error_last());
            ok(user_version(tsu_path(name)) == current, "migrated to %d\n", current);
        }
    }
}

/* The mechanism with a step of our own, as v2 will be added. */
static int step_1_to_2(st_db *d)
{
    return st_db__exec(d, "CREATE TABLE added_in_v2(x); ALTER TABLE messages ADD COLUMN v2col");
}

static int failing_step(st_db *d)
{
    st_db__exec(d, "CREATE TABLE half_done(x)");
    st_error_set("step failed on purpose");
    return ST_ERROR;
}

static void test_mechanism(void)
{
    st_db d;
    ok(st_db__open(&d, tsu_path("mech.sqlite"), 1, 0, 2) == 0, "open\n");
    ok(st_schema__create_version(&d, ST_SCHEMA_STORE, 1) == 0, "v1\n");
    static const st_schema_step bad[] = { failing_step };
    int r = st_schema__migrate(&d, ST_SCHEMA_STORE, 2, bad);
    ok(r == ST_ERROR && strstr(st_error_last(), "from schema 1 to 2"), "failed step: %s\n",
        st_error_last());
    int64_t v = 0, n = 0;
    st_db__int(&d, &v, "PRAGMA user_version");
    st_db__int(&d, &n, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'");
    ok(v == 1 && n == 0, "rolled back: v%lld, %lld\n", (long long)v, (long long)n);
    static const st_schema_step good[] = { step_1_to_2 };
    ok(st_schema__migrate(&d, ST_SCHEMA_STORE, 2, good) == 0, "migrate: %s\n", st_error_last());
    st_db__int(&d, &v, "PRAGMA user_version");
    st_db__int(&d, &n, "SELECT count(*) FROM sqlite_schema WHERE name = 'added_in_v2'");
    ok(v == 2 && n == 1, "at v2\n");
    ok(st_schema__migrate(&d, ST_SCHEMA_STORE, 2, good) == 0, "idempotent\n");
    st_db__close(&d);
    /* Real code older than v2 refuses this v2 file; since v2 (the tables'
     * sender index) it takes it for its own version (and then finds no
     * store GUID in this made-up file: not ST_ENEWER is what counts). */
    st_store *s = NULL;
    r = st_store_open(&s, tsu_path("mech.sqlite"), NULL, 0);
    ok(ST_STORE_VERSION < 2 ? r == ST_ENEWER : r != ST_ENEWER, "v2 file, v%d code: %d\n", ST_STORE_VERSION,
        r);
    st_store_close(s);
}

static void test_newer_refused(void)
{
    st_store *s = NULL;
    const char *path = tsu_path("future.sqlite");
    ok(st_store_open(&s, path, &tsu_guid, ST_OPEN_CREATE) == 0, "create\n");
    st_store_close(s);
    set_user_version(path, ST_STORE_VERSION + 7);
    size_t len0 = 0, len1 = 0;
    char *before = slurp(path, &len0);
    int r = st_store_open(&s, path, &tsu_guid, 0);
    ok(r == ST_ENEWER, "refused: %d\n", r);
    ok(strstr(st_error_last(), "future.sqlite") && strstr(st_error_last(), "newer"),
        "message names the file: %s\n", st_error_last());
    ok(s == NULL, "no handle\n");
    char *after = slurp(path, &len1);
    ok(before && after && len0 == len1 && !memcmp(before, after, len0), "file untouched\n");
    free(before);
    free(after);
    ok(user_version(path) == ST_STORE_VERSION + 7, "version untouched\n");

    const char *cpath = tsu_path("future-cat.sqlite");
    st_catalog *c = NULL;
    ok(st_catalog_open(&c, cpath, ST_OPEN_CREATE) == 0, "catalog\n");
    st_catalog_close(c);
    set_user_version(cpath, 99);
    r = st_catalog_open(&c, cpath, 0);
    ok(r == ST_ENEWER && strstr(st_error_last(), "future-cat.sqlite"), "catalog refused: %s\n",
        st_error_last());
}

static void test_bad_files(void)
{
    const char *path = tsu_path("garbage.sqlite");
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 4096; i++)
        fputc(i * 7 & 0xff, f);
    fclose(f);
    st_store *s = NULL;
    int r = st_store_open(&s, path, &tsu_guid, 0);
    ok(r == ST_ECORRUPT && strstr(st_error_last(), "garbage.sqlite"), "garbage: %d %s\n", r,
        st_error_last());
    /* A SQLite file of someone else's. */
    sqlite3 *db = NULL;
    sqlite3_open(tsu_path("foreign.sqlite"), &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    r = st_store_open(&s, tsu_path("foreign.sqlite"), &tsu_guid, 0);
    ok(r == ST_ECORRUPT, "foreign: %d %s\n", r, st_error_last());
    /* Read-only: the open works, writes are refused clearly. */
    ok(st_store_open(&s, tsu_path("new.sqlite"), NULL, ST_OPEN_READONLY) == 0, "read-only open: %s\n",
        st_error_last());
    st_id root = 0;
    ok(st_folder_root(s, &root) == 0, "reads work\n");
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, "x");
    st_id f2;
    r = st_folder_create(s, &f2, root ? root : 1, b, 0);
    ok(r == ST_EREADONLY, "write refused: %d %s\n", r, st_error_last());
    st_bag_free(b);
    st_store_close(s);
}

int main(void)
{
    test_new_files();
    test_every_earlier_version();
    test_mechanism();
    test_newer_refused();
    test_bad_files();
    tsu_cleanup();
    return test_done();
}
