/*
 * defaults.c: the folders a store must have before Outlook sees it, made at
 * logon when missing, and the entry IDs by which Outlook finds them.
 *
 * The folders ([MS-OXOSFLD] 2.2 names them): the root; under it "Top of
 * Information Store" (the IPM subtree), "Views", "Common Views" and
 * "Finder" (the root of search folders); under the IPM subtree Inbox,
 * Outbox, Sent Items, Deleted Items, Drafts, Junk E-mail (IPF.Note),
 * Calendar (IPF.Appointment), Contacts (IPF.Contact), Tasks (IPF.Task),
 * Notes (IPF.StickyNote), Journal (IPF.Journal) and Sync Issues with
 * Conflicts, Local Failures and Server Failures under it (IPF.Note). While
 * the store has no default receive folder, the Inbox becomes the receive
 * folder of "", "IPM" and "REPORT.IPM", the root that of "IPC"
 * (MAPI-NOTES.md), whoever made the Inbox.
 *
 * Folders are found by name under their parent, as davsync/sync.c does
 * (the sync adopts a local folder of the same name; Sync Issues and its
 * children are the very folders davsync/sync_issues.c finds or makes by the
 * same names), and made with ST_FROM_SERVER like the sync's: their creation
 * is not a local change to send.
 *
 * Entry IDs ([MS-OXOSFLD] 2.2.2, MAPI-NOTES.md): PR_IPM_APPOINTMENT, CONTACT,
 * JOURNAL, NOTE, TASK and DRAFTS _ENTRYID and PR_ADDITIONAL_REN_ENTRYIDS
 * ([0] Conflicts, [1] Sync Issues, [2] Local Failures, [3] Server Failures,
 * [4] Junk E-mail) on the root and the Inbox; PR_VIEWS, PR_COMMON_VIEWS and
 * PR_FINDER _ENTRYID on the store (msgstore.c).
 * Never: rename or move an existing folder.
 */
#include "provider/entryid.h"
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
    [MD_DF_JUNK] = { MD_DF_IPM_SUBTREE, "Junk E-mail", "IPF.Note" },
    [MD_DF_CALENDAR] = { MD_DF_IPM_SUBTREE, "Calendar", "IPF.Appointment" },
    [MD_DF_CONTACTS] = { MD_DF_IPM_SUBTREE, "Contacts", "IPF.Contact" },
    [MD_DF_TASKS] = { MD_DF_IPM_SUBTREE, "Tasks", "IPF.Task" },
    [MD_DF_NOTES] = { MD_DF_IPM_SUBTREE, "Notes", "IPF.StickyNote" },
    [MD_DF_JOURNAL] = { MD_DF_IPM_SUBTREE, "Journal", "IPF.Journal" },
    [MD_DF_SYNC_ISSUES] = { MD_DF_IPM_SUBTREE, "Sync Issues", "IPF.Note" },
    [MD_DF_CONFLICTS] = { MD_DF_SYNC_ISSUES, "Conflicts", "IPF.Note" },
    [MD_DF_LOCAL_FAILURES] = { MD_DF_SYNC_ISSUES, "Local Failures", "IPF.Note" },
    [MD_DF_SERVER_FAILURES] = { MD_DF_SYNC_ISSUES, "Server Failures", "IPF.Note" },
    [MD_DF_VIEWS] = { MD_DF_ROOT, "Views", NULL },
    [MD_DF_COMMON_VIEWS] = { MD_DF_ROOT, "Common Views", NULL },
    [MD_DF_FINDER] = { MD_DF_ROOT, "Finder", NULL },
};

/* The default-folder entry IDs on the root and the Inbox. */
static const struct {
    ULONG tag;
    int folder;
} folder_eids[] = {
    { PR_IPM_APPOINTMENT_ENTRYID, MD_DF_CALENDAR },
    { PR_IPM_CONTACT_ENTRYID, MD_DF_CONTACTS },
    { PR_IPM_JOURNAL_ENTRYID, MD_DF_JOURNAL },
    { PR_IPM_NOTE_ENTRYID, MD_DF_NOTES },
    { PR_IPM_TASK_ENTRYID, MD_DF_TASKS },
    { PR_IPM_DRAFTS_ENTRYID, MD_DF_DRAFTS },
};

/* PR_ADDITIONAL_REN_ENTRYIDS, in the order Outlook reads it. */
static const int ren_folders[] = {
    MD_DF_CONFLICTS, MD_DF_SYNC_ISSUES, MD_DF_LOCAL_FAILURES, MD_DF_SERVER_FAILURES,
    MD_DF_JUNK,
};

/* The special folders under the root, on the store. */
static const struct {
    ULONG tag;
    int folder;
} store_eids[] = {
    { PR_VIEWS_ENTRYID, MD_DF_VIEWS },
    { PR_COMMON_VIEWS_ENTRYID, MD_DF_COMMON_VIEWS },
    { PR_FINDER_ENTRYID, MD_DF_FINDER },
};

static int make_folder(st_store *st, st_id *out, st_id parent, int i)
{
    st_bag *b = st_bag_new();
    int code = b && st_bag_set_str(b, PR_DISPLAY_NAME_W, defaults[i].name) == 0 ? 0 : ST_ERROR;
    if (!code && defaults[i].container_class
        && st_bag_set_str(b, PR_CONTAINER_CLASS_W, defaults[i].container_class) < 0)
        code = ST_ERROR;
    if (!code)
        code = st_folder_create(st, out, parent, b, ST_FROM_SERVER);
    else
        st_error_set("out of memory");
    st_bag_free(b);
    return code;
}

int md_defaults_ensure(st_store *st, st_id fid[MD_DF_COUNT])
{
    int code = st_folder_root(st, &fid[MD_DF_ROOT]);

    if (code == ST_ENOTFOUND)
        code = make_folder(st, &fid[MD_DF_ROOT], 0, MD_DF_ROOT);
    for (int i = MD_DF_IPM_SUBTREE; !code && i < MD_DF_COUNT; i++) {
        st_id parent = fid[defaults[i].parent];
        code = st_folder_find_by_name(st, &fid[i], parent, defaults[i].name);
        if (code == ST_ENOTFOUND)
            code = make_folder(st, &fid[i], parent, i);
    }
    /* A store without a default receive folder gets the Inbox as such, also
     * when the Inbox was there before the first logon (the sync made it). */
    st_id any = 0;
    int missing = code ? 0 : st_receive_folder_get(st, &any, "") == ST_ENOTFOUND;
    if (missing) {
        static const char *const inbox_classes[] = { "", "IPM", "REPORT.IPM" };
        for (int k = 0; !code && k < 3; k++)
            code = st_receive_folder_set(st, inbox_classes[k], fid[MD_DF_INBOX]);
        if (!code)
            code = st_receive_folder_set(st, "IPC", fid[MD_DF_ROOT]);
    }
    return code;
}

int md_bag_set_eid(st_bag *b, ULONG tag, const md_store *s, unsigned kind, st_id id)
{
    BYTE buf[MD_EID_SIZE];
    md_eid e = { .store = s->guid, .kind = kind, .id = id };
    md_eid_write(buf, &e);
    return st_bag_set_bin(b, tag, buf, sizeof buf);
}

int md_defaults_folder_eids(st_bag *b, const md_store *s)
{
    enum { N_REN = sizeof ren_folders / sizeof ren_folders[0] };
    BYTE data[N_REN][MD_EID_SIZE];
    st_bin bins[N_REN];
    int code = 0;

    for (size_t i = 0; i < sizeof folder_eids / sizeof folder_eids[0]; i++)
        code |= md_bag_set_eid(b, folder_eids[i].tag, s, MD_EID_FOLDER,
            s->fid[folder_eids[i].folder]);
    for (int i = 0; i < N_REN; i++) {
        md_eid e = { .store = s->guid, .kind = MD_EID_FOLDER, .id = s->fid[ren_folders[i]] };
        md_eid_write(data[i], &e);
        bins[i].data = data[i];
        bins[i].len = MD_EID_SIZE;
    }
    st_value v = { .tag = PR_ADDITIONAL_REN_ENTRYIDS };
    v.v.mv.n = N_REN;
    v.v.mv.bin = bins;
    code |= st_bag_set(b, &v);
    return code ? -1 : 0;
}

int md_defaults_store_eids(st_bag *b, const md_store *s)
{
    int code = 0;
    for (size_t i = 0; i < sizeof store_eids / sizeof store_eids[0]; i++)
        code |= md_bag_set_eid(b, store_eids[i].tag, s, MD_EID_FOLDER,
            s->fid[store_eids[i].folder]);
    return code ? -1 : 0;
}
