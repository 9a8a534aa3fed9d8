/*
 * cmd_status.c: `mapidav status`: the account's sync state as the last
 * sync recorded it (catalog settings sync.*), whether it works offline, the
 * local changes still to go up per folder (the store's journal), those the
 * server refused with the reason, and the store's size.
 *
 * Invariant: read-only (opens the files, writes nothing). Never: print the
 * password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"
#include "tools/account.h"
#include "tools/folders.h"
#include "tools/tool.h"

typedef struct per_folder {
    st_id fid;       /* folder (0: unknown) */
    size_t pending;  /* entries waiting to go up */
} per_folder;

static const char *op_name(int op)
{
    switch (op) {
    case ST_JOP_CREATE: return "new";
    case ST_JOP_MODIFY: return "changed";
    case ST_JOP_READ: return "read flag";
    case ST_JOP_MOVE: return "moved";
    case ST_JOP_DELETE: return "deleted";
    case ST_JOP_RENAME: return "renamed";
    default: return "change";
    }
}

static int show_journal(st_store *s)
{
    st_journal_entry *e = NULL;
    size_t n = 0;
    if (st_journal_list(s, &e, &n) != 0)
        return tool_fail("reading the local changes: %s", st_error_last());
    st_id ipm = 0;
    st_id root = 0;
    if (st_folder_root(s, &root) == 0)
        st_folder_find_by_name(s, &ipm, root, "Top of Information Store");
    per_folder *pf = n ? calloc(n, sizeof *pf) : NULL;
    size_t npf = 0, pending = 0, refused = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].state == ST_JSTATE_REFUSED) {
            refused++;
            continue;
        }
        pending++;
        st_id f = e[i].kind == ST_JKIND_FOLDER ? e[i].obj : e[i].folder;
        size_t k = 0;
        while (k < npf && pf[k].fid != f)
            k++;
        if (pf && k == npf)
            pf[npf++].fid = f;
        if (pf)
            pf[k].pending++;
    }
    printf("pending uploads: %zu\n", pending);
    for (size_t k = 0; k < npf; k++) {
        char *path = tool_folder_path(s, ipm, pf[k].fid);
        printf("  %-32s %zu\n", path ? path : "?", pf[k].pending);
        free(path);
    }
    printf("refused by the server: %zu\n", refused);
    for (size_t i = 0; i < n; i++) {
        if (e[i].state != ST_JSTATE_REFUSED)
            continue;
        char *path = tool_folder_path(s, ipm, e[i].kind == ST_JKIND_FOLDER ? e[i].obj : e[i].folder);
        printf("  %s %s %llu in %s: %s\n", op_name(e[i].op),
            e[i].kind == ST_JKIND_FOLDER ? "folder" : "item", (unsigned long long)e[i].obj,
            path ? path : "?", e[i].reason ? e[i].reason : "no reason given");
        free(path);
    }
    free(pf);
    st_journal_entries_free(e, n);
    return 0;
}

int cmd_status(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fputs("usage: mapidav status\n", stderr);
        return 2;
    }
    tool_account *a = NULL;
    if (tool_account_open(&a))
        return 1;
    char *url = tool_account_get(a, ACC_URL), *user = tool_account_get(a, ACC_USER);
    char *off = tool_account_get(a, ACC_OFFLINE), *state = tool_account_get(a, SYNC_STATE);
    char *ok = tool_account_get(a, SYNC_LAST_OK), *err = tool_account_get(a, SYNC_LAST_ERROR);
    char when[32] = "never";
    if (ok) {
        cv_json_format_time(when, strtoull(ok, NULL, 10));   /* YYYY-MM-DDTHH:MM:SS... */
        when[10] = ' ';
        strcpy(when + 19, " UTC");
    }
    printf("account: %s (%s as %s)\n", a->name, url ? url : "?", user ? user : "?");
    printf("state: %s%s\n", state ? state : "never synced",
        off && !strcmp(off, "1") ? ", working offline (`mapidav online` to sync)" : "");
    printf("last success: %s\n", when);
    printf("last error: %s\n", err && *err ? err : "none");
    free(url);
    free(user);
    free(off);
    free(state);
    free(ok);
    free(err);

    st_store *s = NULL;
    int rc = tool_account_store(a, &s);
    if (!rc)
        rc = show_journal(s);
    st_store_stats stats;
    if (!rc && st_store_stats_get(s, &stats) != 0)
        rc = tool_fail("reading the store: %s", st_error_last());
    if (!rc)
        printf("store: %.1f MB, %llu folders, %llu messages (%s)\n",
            (double)(stats.page_size * stats.page_count) / 1e6, (unsigned long long)stats.folders,
            (unsigned long long)stats.messages, a->store_path);
    st_store_close(s);
    tool_account_close(a);
    return rc;
}
