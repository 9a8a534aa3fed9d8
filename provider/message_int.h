/*
 * message_int.h: what the files of IMessage share (message.c the object,
 * its values, bodies and SaveChanges; msg_recipients.c, msg_attachments.c,
 * msg_tables.c, msg_submit.c, msg_copy.c its other concerns): the object's
 * struct and the few helpers one file gives another, each declared here
 * once (md_msg__: private to the message's files).
 *
 * Invariants: a message's pending changes (set, del, rcp, att, spool,
 * renum, the live tables) are read and changed under the store's lock
 * (recursive); the helpers below take it themselves unless they say the
 * caller holds it.
 * Never: include this outside the message's files (attach.c and the rest
 * of the provider go through message.h).
 */
#ifndef MAPIDAV_PROVIDER_MESSAGE_INT_H
#define MAPIDAV_PROVIDER_MESSAGE_INT_H

#include "provider/memtable.h"
#include "provider/message.h"

struct md_message {
    IMessage iface;
    LONG refs;
    md_store *store;       /* AddRef'd */
    st_id mid;             /* 0 until the first SaveChanges of a new message */
    st_id fid;             /* its folder; 0 for an embedded message */
    unsigned st_flags;     /* ST_ASSOCIATED for associated contents */
    int modify;            /* opened read-write */
    int embedded;          /* the message of an attachment */
    int is_saved;          /* in storage (mid is its id) */
    st_bag *set;           /* pending values */
    uint32_t *del;         /* pending deletions (PT_UNSPECIFIED tags) */
    size_t n_del, cap_del;
    uint32_t body_changed; /* id of the body written last, or 0 */
    st_bag **rcp;          /* recipient rows, once loaded */
    size_t n_rcp;
    int rcp_loaded, rcp_dirty;
    md_att_change *att;    /* pending attachment changes */
    size_t n_att;
    uint32_t next_num;     /* next number for a new attachment; 0: not known yet */
    md_spool **spool;      /* pending streams of the message */
    size_t n_spool;
    IAttach *parent;       /* embedded in an attachment not in storage yet:
                              SaveChanges hands a snapshot to it (AddRef'd) */
    uint32_t (*renum)[2];  /* new attachments saved: [our number, storage's] */
    size_t n_renum;
    md_memtable *rcp_table; /* live recipient table once asked for (owned) */
    md_memtable *att_table; /* live attachment table once asked for (owned) */
};

static inline md_message *impl(IMessage *iface)
{
    return (md_message *)iface;
}

/* ---- message.c */

/* A copy of m's pending state in a new object, or NULL. */
md_message *md_msg__snapshot(md_message *m);
/* IMAPIProp over the message (mapiprop.h md_prop_ops): every value, and
 * pending changes. */
st_bag *md_msg__message_props(void *obj, HRESULT *hr);
HRESULT md_msg__message_write(void *obj, const st_bag *set, const uint32_t *del,
    size_t n_del);
HRESULT STDMETHODCALLTYPE md_msg__SaveChanges(IMessage *iface, ULONG flags);

/* ---- msg_recipients.c */

/* The recipient rows dropped, to be loaded again / storage's recipients
 * into m->rcp once: the caller holds the store's lock (or has the last
 * reference, at Release). */
void md_msg__rcp_free(md_message *m);
HRESULT md_msg__rcp_load(md_message *m);
HRESULT STDMETHODCALLTYPE md_msg__GetRecipientTable(IMessage *iface, ULONG flags,
    LPMAPITABLE *table);
HRESULT STDMETHODCALLTYPE md_msg__ModifyRecipients(IMessage *iface, ULONG flags,
    LPADRLIST mods);

/* ---- msg_attachments.c */

/* After a commit: storage's numbers of the new attachments (renum); the
 * caller holds the store's lock. */
void md_msg__remember_numbers(md_message *m);
/* The numbers of the attachments the message has now (*out malloc'd). */
HRESULT md_msg__attach_numbers(md_message *m, uint32_t **out, size_t *n);
/* S_OK when attachment num exists, *is_new when not in storage yet;
 * MAPI_E_NOT_FOUND when it does not (or is deleted). */
HRESULT md_msg__attach_state(md_message *m, uint32_t num, int *is_new);
HRESULT STDMETHODCALLTYPE md_msg__GetAttachmentTable(IMessage *iface, ULONG flags,
    LPMAPITABLE *table);
HRESULT STDMETHODCALLTYPE md_msg__OpenAttach(IMessage *iface, ULONG num, LPCIID iid,
    ULONG flags, LPATTACH *out);
HRESULT STDMETHODCALLTYPE md_msg__CreateAttach(IMessage *iface, LPCIID iid, ULONG flags,
    ULONG *num, LPATTACH *out);
HRESULT STDMETHODCALLTYPE md_msg__DeleteAttach(IMessage *iface, ULONG num, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags);

/* ---- msg_tables.c: the live recipient (att 0) and attachment tables;
 * *held: a table whose notifications wait for md_memtable_deliver once the
 * store's lock is released. */

HRESULT md_msg__att_table_put(md_message *m, uint32_t num, md_memtable **held);
HRESULT md_msg__table_update(md_message *m, int att, int replace, size_t renum_from,
    md_memtable **held);
void md_msg__tables_saved(md_message *m, size_t renum_from);
HRESULT md_msg__sub_table(md_message *m, LPMAPITABLE *out, ULONG flags,
    const uint32_t *cols, size_t ncols, int att);

/* ---- msg_submit.c */

HRESULT STDMETHODCALLTYPE md_msg__SubmitMessage(IMessage *iface, ULONG flags);
HRESULT STDMETHODCALLTYPE md_msg__SetReadFlag(IMessage *iface, ULONG flags);

/* ---- msg_copy.c */

/* md_prop_ops.copy_sub: the recipients and attachments to a message. */
HRESULT md_msg__message_copy_sub(void *obj, IMAPIProp *dest, const SPropTagArray *list,
    int include_mode, ULONG flags);

#endif
