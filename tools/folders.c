/*
 * folders.c: folder paths and item ids for the `mapidav` commands
 * (folders.h).
 *
 * Invariant: a path is resolved one level at a time through the store's
 * case-insensitive name index; nothing is created. Never: trust an argument
 * (a bad one is a clear error).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storage/props_tags.h"
#include "storage/strutil.h"
#include "tools/folders.h"
#include "tools/tool.h"

#define IPM_NAME "Top of Information Store"

int tool_folder_ipm(st_store *s, st_id *out)
{
    st_id root = 0;
    int code = st_folder_root(s, &root);
    if (!code)
        code = st_folder_find_by_name(s, out, root, IPM_NAME);
    if (code == ST_ENOTFOUND)
        return tool_fail("no folders yet: run `mapidav sync` first");
    if (code)
        return tool_fail("%s", st_error_last());
    return 0;
}

int tool_folder_find(st_store *s, st_id ipm, const char *path, st_id *out)
{
    char *copy = st_strdup(path);
    if (!copy)
        return tool_fail("%s", st_error_last());
    st_id cur = ipm;
    int rc = 0;
    char *save = copy;
    for (char *seg = copy; seg && !rc;) {
        char *slash = strchr(seg, '/');
        if (slash)
            *slash = 0;
        if (*seg) {
            int code = st_folder_find_by_name(s, &cur, cur, seg);
            if (code == ST_ENOTFOUND)
                rc = tool_fail("no folder '%s': see `mapidav ls` for the folder tree", path);
            else if (code)
                rc = tool_fail("%s", st_error_last());
        }
        seg = slash ? slash + 1 : NULL;
    }
    free(save);
    if (!rc && cur == ipm)
        rc = tool_fail("'%s' is not a folder path (e.g. Inbox or Inbox/Sub)", path);
    if (!rc)
        *out = cur;
    return rc;
}

/* fid's display name, malloc'd, or NULL. */
static char *folder_name(st_store *s, st_id fid)
{
    st_bag *b = NULL;
    if (st_folder_get(s, &b, fid) != 0)
        return NULL;
    const st_value *v = st_bag_get(b, PR_DISPLAY_NAME_W);
    char *name = v ? st_strdup(v->v.str) : NULL;
    st_bag_free(b);
    return name;
}

char *tool_folder_path(st_store *s, st_id ipm, st_id fid)
{
    char *path = NULL;
    for (int depth = 0; fid && fid != ipm && depth < 64; depth++) {
        char *name = folder_name(s, fid);
        const char *n = name ? name : "?";
        size_t a = strlen(n), b = path ? strlen(path) : 0;
        char *p = malloc(a + b + 2);
        if (!p) {
            free(name);
            free(path);
            return NULL;
        }
        memcpy(p, n, a);
        if (path) {
            p[a] = '/';
            memcpy(p + a + 1, path, b + 1);
        } else {
            p[a] = 0;
        }
        free(name);
        free(path);
        path = p;
        st_id parent = 0;
        if (st_folder_parent(s, &parent, fid) != 0)
            break;
        fid = parent;
    }
    return path ? path : st_strdup("(top)");
}

int tool_item_find(st_store *s, const char *arg, st_id *out, st_id *folder)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *arg == '-' || *end || errno || v == 0)
        return tool_fail("'%s' is not an item id: use the number `mapidav ls FOLDER` shows", arg);
    st_id f = 0;
    int code = st_message_folder(s, &f, (st_id)v);
    if (code == ST_ENOTFOUND || (!code && f == 0))
        return tool_fail("no item %s: `mapidav ls FOLDER` shows the ids", arg);
    if (code)
        return tool_fail("%s", st_error_last());
    *out = (st_id)v;
    if (folder)
        *folder = f;
    return 0;
}
