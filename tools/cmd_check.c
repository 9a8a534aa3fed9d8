/*
 * cmd_check.c: `mapidav check` (the offline copy's integrity: SQLite's
 * checks and the store's own, with its figures) and `mapidav rebuild
 * [--force]` (a damaged copy set aside and started afresh without losing
 * the changes not sent yet: st_store_rebuild; the next `mapidav sync`
 * fills it from the server and then puts those changes back,
 * tool_restore_pending).
 *
 * Invariant: check only reads. rebuild never deletes a file: the damaged
 * one is renamed, the unsent changes are copied out before anything moves.
 * Never: rebuild an account whose sync is running (another process holding
 * the store makes the rename fail on Windows and is refused on Linux by the
 * write lock taken first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/account.h"
#include "tools/tool.h"

static int usage(const char *cmd)
{
    fprintf(stderr, "usage: mapidav %s\n", !strcmp(cmd, "check") ? "check" : "rebuild [--force]");
    return 2;
}

static int check(tool_account *a)
{
    st_store *s = NULL;
    if (tool_account_store(a, &s))
        return 1;
    st_store_stats st;
    char *report = NULL;
    int code = st_store_check(s, &report);
    int rc = 0;
    if (st_store_stats_get(s, &st) == 0)
        printf("%s: %llu folders, %llu messages, %llu attachments, %.1f MB, "
            "%llu changes to send, %llu refused\n", a->store_path,
            (unsigned long long)st.folders, (unsigned long long)st.messages,
            (unsigned long long)st.attachments,
            (double)(st.page_size * st.page_count) / 1048576.0,
            (unsigned long long)(st.journal_pending + st.journal_taken),
            (unsigned long long)st.journal_refused);
    if (code == 0) {
        printf("sound\n");
    } else if (code == ST_ECORRUPT) {
        fputs(report ? report : "", stdout);
        rc = tool_fail("the offline copy is damaged; run `mapidav rebuild` (unsent changes "
            "are kept)");
    } else {
        rc = tool_fail("checking %s: %s", a->store_path, st_error_last());
    }
    free(report);
    st_store_close(s);
    return rc;
}

static int rebuild(tool_account *a, unsigned flags)
{
    char *pending = tool_account_get(a, ST_SETTING_RESTORE_FROM);
    if (pending) {
        int rc = tool_fail("changes from an earlier rebuild (%s) are still to be put back: run "
            "`mapidav sync` first", pending);
        free(pending);
        return rc;
    }
    st_rebuild_report r = { 0 };
    int code = st_store_rebuild(a->store_path, &a->guid, flags, &r);
    if (code)
        return tool_fail("%s", st_error_last());
    printf("the damaged copy is kept as %s\n", r.damaged_path);
    if (r.journal_lost)
        printf("its unsent changes could not be read: they are not in the new copy\n");
    if (r.export_path) {
        printf("%llu unsent changes (%llu messages) saved in %s", (unsigned long long)r.entries,
            (unsigned long long)r.messages, r.export_path);
        if (r.unreadable)
            printf(" (%llu could not be read)", (unsigned long long)r.unreadable);
        printf("\n");
        if (tool_account_set(a, ST_SETTING_RESTORE_FROM, r.export_path)) {
            st_rebuild_report_clear(&r);
            return 1;
        }
    }
    printf("run `mapidav sync` to fill the new copy from the server%s\n",
        r.export_path ? "; the saved changes are put back after it" : "");
    st_rebuild_report_clear(&r);
    return 0;
}

int tool_restore_pending(tool_account *a, st_store *s, uint64_t *restored)
{
    st_restore_report r;
    char *path = NULL;
    *restored = 0;
    if (st_store_restore_pending(s, a->cat, &r, &path) != 0)
        return tool_fail("putting back the changes saved by `mapidav rebuild`: %s",
            st_error_last());
    if (!path)
        return 0;
    printf("put back %llu unsent changes from %s", (unsigned long long)r.restored, path);
    if (r.failed || r.skipped)
        printf(" (%llu could not be made again, %llu were unreadable; see the log)",
            (unsigned long long)r.failed, (unsigned long long)r.skipped);
    printf("\n");
    free(path);
    *restored = r.restored;
    return 0;
}

int cmd_check(int argc, char **argv)
{
    unsigned flags = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[0], "rebuild") && !strcmp(argv[i], "--force"))
            flags |= ST_REBUILD_FORCE;
        else
            return usage(argv[0]);
    }
    tool_account *a = NULL;
    if (tool_account_open(&a))
        return 1;
    int rc = !strcmp(argv[0], "check") ? check(a) : rebuild(a, flags);
    tool_account_close(a);
    return rc;
}
