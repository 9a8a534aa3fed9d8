/*
 * defaults.c: the folders a store must have before Outlook sees it, made at
 * logon when missing: the root, "Top of Information Store" (the IPM subtree)
 * and under it Inbox, Outbox, Sent Items, Deleted Items and Drafts with
 * container class IPF.Note; a new Inbox becomes the receive folder of "",
 * "IPM" and "REPORT.IPM", the root that of "IPC" (MAPI-NOTES.md).
 *
 * Folders are found by name under their parent, as davsync/sync.c does
 * (the sync adopts a local folder of the same name), and made with
 * ST_FROM_SERVER like the sync's: their creation is not a local change to
 * send. Not made yet: Junk, Calendar, Contacts, Tasks, Notes, Journal,
 * Sync Issues and its children, Views, Common Views, Finder.
 * Never: rename or move an existing folder.
 */
#include "provider/store.h"

static const struct {
    int parent;
    const char *name;
    const char *container_class;
} defaults[MD_DF_COUNT] = {
    [MD_DF_ROOT] = { -1, "Root", NULL },
    [MD_DF_IPM_SUBTREE] = { MD_DF_ROOT, "Top of Information Store", NULL },
    [MD_DF_INBOX] = { MD_DF_IPM_SUBTREE, "Inbox", "IPF.Note" },
    [MD_DF_OUTBOX] = { MD_DF_IPM_SUBTREE, "Outbox", "IPF.Note" },
    [MD_DF_SENT] = { MD_DF_IPM_SUBTREE, "Sent Items", "IPF.Note" },
    [MD_DF_DELETED] = { MD_DF_IPM_SUBTREE, "Deleted Items", "IPF.Note" },
    [MD_DF_DRAFTS] = { MD_DF_IPM_SUBTREE, "Drafts", "IPF.Note" },
};

static int make_folder(st_store *st, st_id *out, st_id parent, int i)
{
    st_bag *b = st_bag_new();
    int code = b && st_bag_set_str(b, PR_DISPLAY_NAME_W, defaults[i].name) == 0 ? 0 : ST_ERROR;
    if (!code && defaults[i].container_class)
        code = st_bag_set_str(b, PR_CONTAINER_CLASS_W, defaults[i].container_class);
    if (!code)
        code = st_folder_create(st, out, parent, b, ST_FROM_SERVER);
    st_bag_free(b);
    return code;
}

int md_defaults_ensure(st_store *st, st_id fid[MD_DF_COUNT])
{
    int new_inbox = 0;
    int code = st_folder_root(st, &fid[MD_DF_ROOT]);

    if (code == ST_ENOTFOUND)
        code = make_folder(st, &fid[MD_DF_ROOT], 0, MD_DF_ROOT);
    for (int i = MD_DF_IPM_SUBTREE; !code && i < MD_DF_COUNT; i++) {
        st_id parent = fid[defaults[i].parent];
        code = st_folder_find_by_name(st, &fid[i], parent, defaults[i].name);
        if (code == ST_ENOTFOUND) {
            code = make_folder(st, &fid[i], parent, i);
            if (i == MD_DF_INBOX)
                new_inbox = 1;
        }
    }
    if (!code && new_inbox) {
        static const char *const inbox_classes[] = { "", "IPM", "REPORT.IPM" };
        for (int k = 0; !code && k < 3; k++)
            code = st_receive_folder_set(st, inbox_classes[k], fid[MD_DF_INBOX]);
        if (!code)
            code = st_receive_folder_set(st, "IPC", fid[MD_DF_ROOT]);
    }
    return code;
}
