/*
 * message.h: IMessage (message.c) and IAttach (attach.c).
 *
 * A message object keeps every change in memory (values, deletions,
 * recipients, attachments, spooled streams) until SaveChanges writes them
 * in one storage transaction (streams after it, in chunks). Embedded
 * messages (PR_ATTACH_DATA_OBJ) exist in storage only once their attachment
 * is saved: their own SaveChanges writes at once.
 *
 * Threads: an object's pending state and every storage call are guarded by
 * the store's lock (md_store.lock, recursive).
 * Never: keep a storage bag across calls as the truth (another thread may
 * change the message: the pending changes are applied on top of a fresh
 * read); write to storage outside SaveChanges (SetReadFlag excepted, as
 * MAPI defines it).
 */
#ifndef MAPIDAV_PROVIDER_MESSAGE_H
#define MAPIDAV_PROVIDER_MESSAGE_H

#include "provider/store.h"
#include "provider/stream.h"

typedef struct md_message md_message;

/* A new message in folder fid (flags of IMAPIFolder::CreateMessage:
 * MAPI_ASSOCIATED, MAPI_DEFERRED_ERRORS). */
HRESULT md_message_create(md_store *s, st_id fid, ULONG flags, IMessage **out);
/* Opens message mid; flags MAPI_MODIFY / MAPI_BEST_ACCESS give a
 * read-write object. MAPI_E_NOT_FOUND when it is not a message of s. */
HRESULT md_message_open(md_store *s, st_id mid, ULONG flags, IMessage **out);
/* The embedded message of attachment num of saved message mid (create:
 * made when missing), read-write when modify. */
HRESULT md_message_open_embedded(md_store *s, st_id mid, uint32_t num, int create,
    int modify, IMessage **out);

/* ---- between message.c and attach.c ---- */

/* An attachment's changes handed to its message by IAttach::SaveChanges. */
typedef struct md_att_change {
    uint32_t num;          /* attachment number (a new one: a number of ours) */
    int is_new;            /* not in storage yet */
    int deleted;           /* DeleteAttach */
    st_bag *set;           /* values to write (owned) */
    uint32_t *del;         /* tags to remove (owned) */
    size_t n_del;
    md_spool **spool;      /* streams to write (references owned) */
    size_t n_spool;
} md_att_change;

void md_att_change_clear(md_att_change *c);

/* An attachment object of msg (attach.c): num, new or existing. */
HRESULT md_attach_open(md_message *msg, uint32_t num, int is_new, int modify,
    IAttach **out);

/* What attach.c needs of its message (message.c). */
md_store *md_message_store(md_message *m);
IMessage *md_message_iface(md_message *m);
st_id md_message_mid(md_message *m);               /* 0 while never saved */
/* The saved values of attachment num with the message's pending changes
 * applied (*out NULL and S_OK for a new one without changes). */
HRESULT md_message_attach_base(md_message *m, uint32_t num, st_bag **out, int *exists);
/* Takes c's contents (c emptied) as the pending change of its attachment. */
HRESULT md_message_attach_put(md_message *m, md_att_change *c);
/* A pending spool of attachment num for tag's id, AddRef'd, or NULL. */
md_spool *md_message_attach_spool(md_message *m, uint32_t num, uint32_t tag);

#endif
