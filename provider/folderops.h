/*
 * folderops.h: the IMAPIFolder operations over storage (folder.c's methods
 * call these with their folder): CopyMessages, DeleteMessages, CreateFolder,
 * CopyFolder, DeleteFolder, SetReadFlags, GetMessageStatus,
 * SetMessageStatus, SaveContentsSort, EmptyFolder, SetSearchCriteria and
 * GetSearchCriteria, each with the flags and errors of the MAPI reference.
 *
 * Rules they share:
 *  - Messages named in an ENTRYLIST must be in this folder (in a search
 *    folder: any message of the store, as its results are the messages
 *    themselves); one that is not (or is garbage, or of another store) is
 *    skipped and the call answers MAPI_W_PARTIAL_COMPLETION, as it does
 *    when storage refuses one. SetReadFlags(NULL) and EmptyFolder on a
 *    search folder touch nothing (it holds no messages of its own).
 *  - Lists are worked in batches of MD_FOLDEROPS_BATCH objects, each batch
 *    one transaction under md_store.lock, so the lock is never held long and
 *    the sync thread gets its turn between batches.
 *  - A destination folder of another store (or another provider) goes
 *    through IMAPISupport::CopyMessages / CopyFolder, or MAPI_E_DECLINE_COPY
 *    with MAPI_DECLINE_OK.
 *  - Default folders (md_store.fid) are never deleted or moved
 *    (MAPI_E_NO_ACCESS; EmptyFolder skips them: partial completion).
 *  - Progress: with MESSAGE_DIALOG / FOLDER_DIALOG, IMAPIProgress::Progress
 *    on the caller's progress object, else on MAPI's
 *    (IMAPISupport::DoProgressDialog), per batch; no UI of our own.
 *  - SetReadFlags sends read reports as IMessage::SetReadFlag does
 *    (receipt.h). DeleteMessages, EmptyFolder and DeleteFolder with
 *    DEL_MESSAGES send the nonread report a message deleted unread owes
 *    (MSGFLAG_NRN_PENDING, PR_READ_RECEIPT_REQUESTED; not with MDB_NO_MAIL)
 *    before it goes, with no lock held; the owing ones are found from
 *    storage's flags (st_message_flags), only they are opened. A report
 *    that fails does not stop the deletion (a warning is logged).
 *  - PR_MSG_STATUS is state of this store that no server keeps: changed
 *    without a journal entry (the storage flag for that is ST_FROM_SERVER).
 *
 * Never: call MAPI (a destination folder, IMAPISupport, a progress object)
 * while holding md_store.lock; accept an entry ID without md_eid_parse and
 * the store check.
 */
#ifndef MAPIDAV_PROVIDER_FOLDEROPS_H
#define MAPIDAV_PROVIDER_FOLDEROPS_H

#include <windows.h>
#include <mapidefs.h>

#include "provider/mapi_extra.h"
#include "provider/store.h"

#define MD_FOLDEROPS_BATCH 256u

/* The folder's saved contents sort (SaveContentsSort), a provider-defined
 * property ([MS-OXPROPS] 1.3.1 range, see store.h): little-endian uint32
 * n, n_categories, n_expanded, then n (tag, order) pairs. */
#define PR_MAPIDAV_CONTENTS_SORT PROP_TAG(PT_BINARY, 0x6771)

/* self is the folder object (for IMAPISupport's cross-store calls). */
HRESULT md_folder_copy_messages(md_store *s, st_id fid, IMAPIFolder *self, LPENTRYLIST list,
    LPCIID iid, LPVOID dest, ULONG ui, LPMAPIPROGRESS progress, ULONG flags);
HRESULT md_folder_delete_messages(md_store *s, st_id fid, LPENTRYLIST list, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags);
HRESULT md_folder_create_folder(md_store *s, st_id fid, ULONG type, LPTSTR name,
    LPTSTR comment, LPCIID iid, ULONG flags, LPMAPIFOLDER *out);
HRESULT md_folder_copy_folder(md_store *s, st_id fid, IMAPIFolder *self, ULONG cb,
    LPENTRYID eid, LPCIID iid, LPVOID dest, LPTSTR name, ULONG ui, LPMAPIPROGRESS progress,
    ULONG flags);
HRESULT md_folder_delete_folder(md_store *s, st_id fid, ULONG cb, LPENTRYID eid, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags);
HRESULT md_folder_set_read_flags(md_store *s, st_id fid, LPENTRYLIST list, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags);
HRESULT md_folder_get_message_status(md_store *s, st_id fid, ULONG cb, LPENTRYID eid,
    ULONG flags, ULONG *status);
HRESULT md_folder_set_message_status(md_store *s, st_id fid, ULONG cb, LPENTRYID eid,
    ULONG status, ULONG mask, ULONG *old);
HRESULT md_folder_save_contents_sort(md_store *s, st_id fid, LPSSortOrderSet sort,
    ULONG flags);
HRESULT md_folder_empty(md_store *s, st_id fid, ULONG ui, LPMAPIPROGRESS progress,
    ULONG flags);
HRESULT md_folder_set_search_criteria(md_store *s, st_id fid, LPSRestriction res,
    LPENTRYLIST containers, ULONG flags);
HRESULT md_folder_get_search_criteria(md_store *s, st_id fid, ULONG flags,
    LPSRestriction *res, LPENTRYLIST *containers, ULONG *state);

#endif
