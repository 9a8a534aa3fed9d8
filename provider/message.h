/*
 * message.h: IMessage (message.c, with its parts in msg_*.c: message_int.h) and
 * IAttach (attach.c).
 *
 * A message object keeps every change in memory (values, deletions,
 * recipients, attachments, spooled streams) until SaveChanges writes them
 * in one storage transaction (streams after it, in chunks). An embedded
 * message (PR_ATTACH_DATA_OBJ) of an attachment in storage writes at its
 * own SaveChanges (storage journals it as a change of the top message); one
 * of an attachment not in storage yet hands a copy of its state to the
 * attachment, which goes with the top message's SaveChanges.
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

/* ---- between the message (message.c, msg_attachments.c) and attach.c ---- */

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
    IMessage *emb;         /* embedded message to write into it (owned), or NULL */
    uint32_t saved_num;    /* the number storage gave it (during SaveChanges) */
} md_att_change;

void md_att_change_clear(md_att_change *c);
/* Deep copy (spools shared, the embedded message copied). */
HRESULT md_att_change_dup(md_att_change *out, const md_att_change *c);

/* The embedded message of an attachment not in storage yet: a copy of
 * saved (what an earlier SaveChanges of it handed over; NULL: empty),
 * whose SaveChanges calls md_attach_put_embedded(parent). */
HRESULT md_message_open_pending_embedded(md_store *s, IMessage *saved, IAttach *parent,
    int modify, IMessage **out);
/* Takes emb (a reference) as the embedded message of attachment iface. */
void md_attach_put_embedded(IAttach *iface, IMessage *emb);
/* A new attachment numbered *num by m, saved since: 1 and *num is the
 * number storage gave it; 0 otherwise. */
int md_message_renumber(md_message *m, uint32_t *num);
/* The embedded message handed to attachment num of m, AddRef'd, or NULL. */
IMessage *md_message_attach_emb(md_message *m, uint32_t num);

/* An attachment object of msg (attach.c): num, new or existing. */
HRESULT md_attach_open(md_message *msg, uint32_t num, int is_new, int modify,
    IAttach **out);

/* Pending changes applied to b: del removed, set copied in, each spool as
 * its value (a small one) or as storage's marker of a value kept as a
 * stream (PT_ERROR MAPI_E_NOT_ENOUGH_MEMORY). 0 or -1 (out of memory). */
int md_pending_apply(st_bag *b, const uint32_t *del, size_t n_del, const st_bag *set,
    md_spool *const *spool, size_t n_spool);

/* PR_MESSAGE_SIZE / PR_ATTACH_SIZE of what b holds: its values (storage's
 * stream markers, PT_ERROR, not counted) plus extra bytes, at most
 * INT32_MAX. */
int32_t md_bag_size(const st_bag *b, uint64_t extra);

/* The lists of pending changes a message and an attachment keep (under
 * the store's lock). A deletion list holds PT_UNSPECIFIED tags, each once:
 * md_tags_add adds tag (0, or -1 when out of memory; *cap its capacity),
 * md_tags_remove takes tag's id out. A spool list holds one spool per id:
 * md_spools_drop releases the one of tag's id, md_spools_put puts s (a
 * reference taken) in its place (0, or -1 when out of memory). */
int md_tags_add(uint32_t **list, size_t *n, size_t *cap, uint32_t tag);
void md_tags_remove(uint32_t *list, size_t *n, uint32_t tag);
void md_spools_drop(md_spool **sp, size_t *n, uint32_t tag);
int md_spools_put(md_spool ***sp, size_t *n, md_spool *s);
/* The spool of tag's id in the list (not AddRef'd), or NULL. */
md_spool *md_spools_find(md_spool *const *sp, size_t n, uint32_t tag);

/* What attach.c needs of its message (msg_attachments.c). */
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
