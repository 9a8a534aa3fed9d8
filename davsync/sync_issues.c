/*
 * sync_issues.c: the local Sync Issues folder (with Conflicts, Local
 * Failures and Server Failures) and what the up-sync puts there: a copy of
 * the local version of an item the server did not take, and a note saying
 * why (a small IPM.Note in Sync Issues, like Outlook's synchronization
 * log).
 *
 * Invariant: everything here is written with ST_FROM_SERVER: these folders
 * have no collection, are never journaled, never uploaded. Never: touch
 * the server, drop the item the copy was made from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/sync_int.h"
#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

static int ensure_folder(ds_sync *s, st_id *out, st_id parent, const char *name)
{
    int code = st_folder_find_by_name(s->store, out, parent, name);
    if (code != ST_ENOTFOUND)
        return code;
    st_bag *b = st_bag_new();
    code = b && st_bag_set_str(b, PR_DISPLAY_NAME_W, name) >= 0 &&
        st_bag_set_str(b, PR_CONTAINER_CLASS_W, "IPF.Note") >= 0 ? 0 : ST_ERROR;
    if (!code)
        code = st_folder_create(s->store, out, parent, b, ST_FROM_SERVER);
    else
        st_error_set("out of memory");
    st_bag_free(b);
    return code;
}

int ds_sync_issue_folders(ds_sync *s, st_id out[4])
{
    static const char *const names[] = { "Conflicts", "Local Failures", "Server Failures" };
    memset(out, 0, 4 * sizeof *out);
    int code = ensure_folder(s, &out[0], s->ipm, "Sync Issues");
    for (int i = 0; !code && i < 3; i++)
        code = ensure_folder(s, &out[i + 1], out[0], names[i]);
    if (code)
        memset(out, 0, 4 * sizeof *out);
    return code;
}

int ds_sync__keep_local(ds_sync *s, st_id mid, int conflict, const char *what,
    const char *reason)
{
    st_id f[4];
    int code = ds_sync_issue_folders(s, f);
    if (code)
        return code;
    st_store *st = s->store;
    char *subject = NULL;
    st_bag *b = NULL;
    if (mid && st_message_get(st, &b, mid) == 0) {
        const st_value *v = st_bag_get(b, PR_SUBJECT_W);
        subject = st_strdup(v && v->v.str ? v->v.str : "");
        if (!subject) {
            st_bag_free(b);
            st_error_set("out of memory");
            return ST_ERROR;
        }
        st_bag_free(b);
        b = NULL;
        st_id copy = 0;
        code = st_message_copy(st, &copy, mid, conflict ? f[1] : f[2], ST_FROM_SERVER);
        if (code)
            goto cleanup;
    }
    size_t len = strlen(what) + strlen(reason) + (subject ? strlen(subject) : 0) + 512;
    char *text = malloc(len), *subj = malloc(len);
    b = st_bag_new();
    if (!text || !subj || !b) {
        free(text);
        free(subj);
        code = ST_ERROR;
        goto cleanup;
    }
    snprintf(subj, len, "%s: %s", conflict ? "Sync conflict" : "Upload refused",
        subject && *subject ? subject : what);
    snprintf(text, len, "%s\r\n\r\n%s\r\nReason: %s\r\n\r\n%s\r\n",
        conflict ? "The server had a newer version of this item. The server's version"
                   " replaced yours in its folder; yours was kept in Sync"
                   " Issues\\Conflicts."
                 : "The server refused this change. The item was kept as it is, and a"
                   " copy is in Sync Issues\\Local Failures; the change stays in the"
                   " journal, marked refused.",
        what, reason, subject ? subject : "");
    uint64_t now = st_os_time_filetime();
    st_id note = 0;
    code = st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note") < 0 ||
        st_bag_set_str(b, PR_SUBJECT_W, subj) < 0 || st_bag_set_str(b, PR_BODY_W, text) < 0 ||
        st_bag_set_str(b, PR_SENDER_NAME_W, "mapidav") < 0 ||
        st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, now) < 0 ||
        st_bag_set_systime(b, PR_CLIENT_SUBMIT_TIME, now) < 0 ? ST_ERROR : 0;
    free(text);
    free(subj);
    if (!code)
        code = st_message_create(st, &note, f[0], b, ST_FROM_SERVER);
cleanup:
    if (code == ST_ERROR && !*st_error_last())
        st_error_set("out of memory");
    st_bag_free(b);
    free(subject);
    return code;
}
