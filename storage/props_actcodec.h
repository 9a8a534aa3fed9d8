/*
 * props_actcodec.h: rule actions (PT_ACTIONS values such as
 * PR_RULE_ACTIONS, MAPI's ACTIONS of edkmdb.h) as a model of floor 0 and
 * the bytes storage keeps them as: the RuleAction layout of [MS-OXORULE]
 * 2.2.5 in its standard (ROP) form, little-endian:
 *   NoOfActions 2 bytes, then per action an ActionBlock:
 *   ActionLength 2 bytes (the bytes after it in the block), ActionType 1,
 *   ActionFlavor 4, ActionFlags 4, ActionData by type:
 *     OP_MOVE, OP_COPY    FolderInThisStore 1 (1 when the store entry ID
 *                         is empty), StoreEIDSize 2 + StoreEID,
 *                         FolderEIDSize 2 + FolderEID
 *     OP_REPLY,           ReplyTemplate entry-ID size 2 + entry ID, then
 *     OP_OOF_REPLY        ReplyTemplateGUID 16 (MAPI's form: an entry ID
 *                         where the wire has a FID and a MID)
 *     OP_DEFER_ACTION     the rest of the block (opaque)
 *     OP_BOUNCE           BounceCode 4
 *     OP_FORWARD,         RecipientCount 2, per recipient: Reserved 1
 *     OP_DELEGATE         (0x01), NoOfProperties 2, TaggedPropertyValues
 *     OP_TAG              one TaggedPropertyValue
 *     OP_DELETE,          nothing
 *     OP_MARK_AS_READ
 * Tagged values are those of props_rescodec.h ([MS-OXCDATA] 2.11.4).
 *
 * Never trusted on decode: every count and length is checked against the
 * end of its block and of the buffer, a block must be used up exactly,
 * counts are bounded (ST_ACT_MAX_*); bad bytes give -1 with a message,
 * never a read past the buffer or a partial result.
 */
#ifndef MAPIDAV_PROPS_ACTCODEC_H
#define MAPIDAV_PROPS_ACTCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "storage/props.h"

/* Action types of [MS-OXORULE] 2.2.5.1 / edkmdb.h's ACTTYPE. */
enum {
    ST_OP_MOVE = 1, ST_OP_COPY, ST_OP_REPLY, ST_OP_OOF_REPLY, ST_OP_DEFER_ACTION,
    ST_OP_BOUNCE, ST_OP_FORWARD, ST_OP_DELEGATE, ST_OP_TAG, ST_OP_DELETE,
    ST_OP_MARK_AS_READ
};

#define ST_ACT_MAX_ACTIONS 256u     /* actions of one value */
#define ST_ACT_MAX_RECIPS 1024u     /* recipients of one forward / delegate */
#define ST_ACT_MAX_PROPS 256u       /* values of one recipient */

typedef struct st_act_recip {
    uint32_t n;          /* values */
    st_value *props;     /* n, owned */
} st_act_recip;

typedef struct st_action {
    uint32_t type;       /* ST_OP_* */
    uint32_t flavor;     /* ulActionFlavor */
    uint32_t flags;      /* ulFlags */
    st_bin eid1;         /* MOVE/COPY: store entry ID; REPLY: template entry ID;
                            DEFER_ACTION: the data */
    st_bin eid2;         /* MOVE/COPY: folder entry ID */
    st_guid guid;        /* REPLY: the template's GUID */
    int32_t bounce;      /* BOUNCE: the code */
    uint32_t n_recips;   /* FORWARD/DELEGATE */
    st_act_recip *recips;
    st_value tag;        /* TAG: the value */
} st_action;

typedef struct st_actions {
    uint32_t n;
    st_action *a;        /* n, owned */
} st_actions;

/* A set of n zeroed actions (type 0: to be filled). NULL when out of
 * memory or n above ST_ACT_MAX_ACTIONS (message set). */
st_actions *st_actions_new(uint32_t n);
void st_actions_free(st_actions *acts);   /* NULL-safe: everything owned */

/* *out (malloc'd, free()) gets the bytes of acts, *len their count. -1
 * (message set) for what the format cannot carry: an unknown type, a
 * count or entry ID above 65535, a value props_rescodec.h refuses. */
int st_actions_encode(uint8_t **out, size_t *len, const st_actions *acts);
/* *out (st_actions_free) gets the actions in data[0..len), which must hold
 * exactly one RuleAction. -1 (message set) on anything else. */
int st_actions_decode(st_actions **out, const uint8_t *data, size_t len);

#endif /* MAPIDAV_PROPS_ACTCODEC_H */
