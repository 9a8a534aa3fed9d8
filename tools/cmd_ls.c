/*
 * cmd_ls.c: `mapidav ls [FOLDER] [--limit N]`. Without FOLDER the folder
 * tree under "Top of Information Store", indented, with item and unread
 * counts (a hierarchy table); with FOLDER its messages as Outlook lists
 * them: newest first by PR_MESSAGE_DELIVERY_TIME, one line each with the
 * id (`mapidav show ID`), received time (UTC), from, subject and flags
 * (read/unread, attachment, draft).
 *
 * Invariant: rows come through storage/table.h a page at a time, so a
 * folder of any size lists in constant memory. Never: write to the store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"
#include "storage/props_tags.h"
#include "storage/table.h"
#include "tools/account.h"
#include "tools/folders.h"
#include "tools/tool.h"

#define PAGE 200

/* Prints s padded or cut to width characters (UTF-8 code points; a cut
 * never splits one). */
static void put_col(const char *s, size_t width)
{
    size_t chars = 0, i = 0;
    while (s[i] && chars < width) {
        size_t start = i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        if ((unsigned char)s[start] < 0x20)   /* a control character: shown as a space */
            putchar(' ');
        else
            fwrite(s + start, 1, i - start, stdout);
        chars++;
    }
    for (; chars < width; chars++)
        putchar(' ');
}

static const char *str_of(const st_value *v)
{
    uint32_t t = PROP_TYPE(v->tag);
    return (t == PT_UNICODE || t == PT_STRING8) && v->v.str ? v->v.str : NULL;
}

static int ls_tree(st_store *s, st_id ipm)
{
    st_table *t = NULL;
    static const uint32_t cols[] = { PR_DISPLAY_NAME_W, PR_DEPTH, PR_CONTENT_COUNT,
                                     PR_CONTENT_UNREAD };
    if (st_table_open_hierarchy(&t, s, ipm, ST_CONVENIENT_DEPTH) != 0 ||
        st_table_set_columns(t, cols, 4) != 0) {
        st_table_close(t);
        return tool_fail("reading the folder tree: %s", st_error_last());
    }
    int rc = 0;
    for (;;) {
        st_row *rows = NULL;
        size_t n = 0;
        if (st_table_query_rows(t, &rows, &n, PAGE, 0) != 0) {
            rc = tool_fail("reading the folder tree: %s", st_error_last());
            break;
        }
        for (size_t i = 0; i < n; i++) {
            const st_value *v = rows[i].vals;
            const char *name = str_of(&v[0]);
            int depth = PROP_TYPE(v[1].tag) == PT_LONG ? v[1].v.l : 0;
            long items = PROP_TYPE(v[2].tag) == PT_LONG ? v[2].v.l : 0;
            long unread = PROP_TYPE(v[3].tag) == PT_LONG ? v[3].v.l : 0;
            int indent = depth < 0 ? 0 : depth > 30 ? 60 : 2 * depth;
            printf("%*s", indent, "");
            put_col(name ? name : "?", (size_t)(indent < 40 ? 40 - indent : 1));
            printf(" %6ld items %6ld unread\n", items, unread);
        }
        st_rows_free(rows, n);
        if (n == 0)
            break;
    }
    st_table_close(t);
    return rc;
}

static int ls_folder(st_store *s, st_id fid, long limit)
{
    enum { C_KEY, C_TIME, C_REPR, C_SENDER, C_SUBJECT, C_FLAGS, C_ATTACH, C_N };
    static const uint32_t cols[C_N] = { PR_INSTANCE_KEY, PR_MESSAGE_DELIVERY_TIME,
        PR_SENT_REPRESENTING_NAME_W, PR_SENDER_NAME_W, PR_SUBJECT_W, PR_MESSAGE_FLAGS,
        PR_HASATTACH };
    st_table *t = NULL;
    st_sortset *sort = st_sortset_new(1);
    int rc = 0;
    if (!sort) {
        return tool_fail("out of memory");
    }
    sort->orders[0].tag = PR_MESSAGE_DELIVERY_TIME;
    sort->orders[0].order = TABLE_SORT_DESCEND;
    if (st_table_open(&t, s, fid, ST_TABLE_CONTENTS) != 0 || st_table_set_columns(t, cols, C_N) != 0 ||
        st_table_sort(t, sort) != 0) {
        rc = tool_fail("reading the folder: %s", st_error_last());
        goto cleanup;
    }
    printf("%-10s %-16s  ", "ID", "RECEIVED (UTC)");
    put_col("FROM", 24);
    printf("  ");
    put_col("SUBJECT", 48);
    printf("  FLAGS\n");
    long shown = 0;
    while (!limit || shown < limit) {
        st_row *rows = NULL;
        size_t n = 0;
        long want = limit && limit - shown < PAGE ? limit - shown : PAGE;
        if (st_table_query_rows(t, &rows, &n, want, 0) != 0) {
            rc = tool_fail("reading the folder: %s", st_error_last());
            break;
        }
        for (size_t i = 0; i < n; i++) {
            const st_value *v = rows[i].vals;
            uint64_t id = 0;
            if (PROP_TYPE(v[C_KEY].tag) == PT_BINARY && v[C_KEY].v.bin.len >= 8)
                for (int j = 7; j >= 0; j--)
                    id = id << 8 | v[C_KEY].v.bin.data[j];
            char when[32] = "";
            if (PROP_TYPE(v[C_TIME].tag) == PT_SYSTIME) {
                cv_json_format_time(when, v[C_TIME].v.ft);   /* YYYY-MM-DDTHH:MM:SS... */
                when[10] = ' ';
                when[16] = 0;
            }
            const char *from = str_of(&v[C_REPR]) ? str_of(&v[C_REPR]) : str_of(&v[C_SENDER]);
            const char *subj = str_of(&v[C_SUBJECT]);
            uint32_t flags = PROP_TYPE(v[C_FLAGS].tag) == PT_LONG ? (uint32_t)v[C_FLAGS].v.l : 0;
            int attach = (PROP_TYPE(v[C_ATTACH].tag) == PT_BOOLEAN && v[C_ATTACH].v.b) ||
                (flags & MSGFLAG_HASATTACH);
            printf("%-10llu %-16s  ", (unsigned long long)id, when);
            put_col(from ? from : "", 24);
            printf("  ");
            put_col(subj ? subj : "", 48);
            printf("  %s%s%s\n", flags & MSGFLAG_READ ? "read" : "unread",
                attach ? " attach" : "", flags & MSGFLAG_UNSENT ? " draft" : "");
        }
        st_rows_free(rows, n);
        shown += (long)n;
        if (n == 0)
            break;
    }
cleanup:
    st_table_close(t);
    st_sortset_free(sort);
    return rc;
}

int cmd_ls(int argc, char **argv)
{
    const char *path = NULL;
    long limit = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
            char *end = NULL;
            errno = 0;
            limit = strtol(argv[++i], &end, 10);
            if (*end || errno || limit < 1)
                goto usage;
        } else if (!path && argv[i][0] != '-') {
            path = argv[i];
        } else {
            goto usage;
        }
    }
    tool_account *a = NULL;
    st_store *s = NULL;
    st_id ipm = 0, fid = 0;
    int rc = tool_account_open(&a);
    if (!rc)
        rc = tool_account_store(a, &s);
    if (!rc)
        rc = tool_folder_ipm(s, &ipm);
    if (!rc && path)
        rc = tool_folder_find(s, ipm, path, &fid);
    if (!rc)
        rc = path ? ls_folder(s, fid, limit) : ls_tree(s, ipm);
    st_store_close(s);
    tool_account_close(a);
    return rc;
usage:
    fputs("usage: mapidav ls [FOLDER] [--limit N]   (FOLDER: a path like Inbox or Inbox/Sub)\n",
        stderr);
    return 2;
}
