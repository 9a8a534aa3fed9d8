/*
 * test_props_actions.c: rule actions <-> bytes (storage/props_actcodec.c):
 * every action type round-trips, the exact bytes of a small set match
 * [MS-OXORULE] 2.2.5's layout, and damaged bytes (cut anywhere, counts too
 * big, blocks too long or too short, unknown types) are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/error.h"
#include "storage/props_actcodec.h"
#include "testutil.h"

/* One of each type. */
static st_actions *sample(void)
{
    st_actions *acts = st_actions_new(11);
    if (!acts)
        test_fatal("st_actions_new\n");
    static uint8_t store_eid[5] = { 1, 2, 3, 4, 5 }, folder_eid[3] = { 9, 8, 7 };
    static uint8_t defer[4] = { 0xde, 0xfe, 0x12, 0x00 };
    for (uint32_t i = 0; i < 11; i++) {
        st_action *a = &acts->a[i];
        a->type = i + 1;
        a->flavor = i;
        a->flags = 0;
        switch (a->type) {
        case ST_OP_MOVE: case ST_OP_COPY:
            a->eid1.data = malloc(5);
            memcpy(a->eid1.data, store_eid, 5);
            a->eid1.len = a->type == ST_OP_MOVE ? 5 : 0;   /* copy: in this store */
            a->eid2.data = malloc(3);
            memcpy(a->eid2.data, folder_eid, 3);
            a->eid2.len = 3;
            break;
        case ST_OP_REPLY: case ST_OP_OOF_REPLY:
            a->eid1.data = malloc(3);
            memcpy(a->eid1.data, folder_eid, 3);
            a->eid1.len = 3;
            a->guid = (st_guid){ 0x01020304, 0x0506, 0x0708, { 9, 10, 11, 12, 13, 14, 15, 16 } };
            break;
        case ST_OP_DEFER_ACTION:
            a->eid1.data = malloc(4);
            memcpy(a->eid1.data, defer, 4);
            a->eid1.len = 4;
            break;
        case ST_OP_BOUNCE:
            a->bounce = 38;
            break;
        case ST_OP_FORWARD: case ST_OP_DELEGATE:
            a->n_recips = 2;
            a->recips = calloc(2, sizeof *a->recips);
            for (int r = 0; r < 2; r++) {
                a->recips[r].n = 2;
                a->recips[r].props = calloc(2, sizeof(st_value));
                a->recips[r].props[0].tag = PROP_TAG(PT_UNICODE, 0x3001);
                a->recips[r].props[0].v.str = strdup(r ? "B\xc3\xa9" : "A");
                a->recips[r].props[1].tag = PROP_TAG(PT_LONG, 0x0C15);
                a->recips[r].props[1].v.l = 1;
            }
            break;
        case ST_OP_TAG:
            a->tag.tag = PROP_TAG(PT_LONG, 0x1090);
            a->tag.v.l = 2;
            break;
        default:
            break;
        }
    }
    return acts;
}

static void test_round_trip(void)
{
    st_actions *acts = sample(), *back = NULL;
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t l1 = 0, l2 = 0;
    ok(st_actions_encode(&b1, &l1, acts) == 0, "encode: %s\n", st_error_last());
    ok(st_actions_decode(&back, b1, l1) == 0 && back && back->n == 11, "decode: %s\n",
        st_error_last());
    ok(back && st_actions_encode(&b2, &l2, back) == 0 && l1 == l2 && !memcmp(b1, b2, l1),
        "decode + encode gives the same bytes\n");
    if (back && back->n == 11) {
        ok(back->a[0].eid1.len == 5 && back->a[0].eid2.len == 3 && back->a[0].eid2.data[0] == 9,
            "move\n");
        ok(back->a[1].eid1.len == 0, "copy in this store\n");
        ok(back->a[2].guid.data1 == 0x01020304 && back->a[2].eid1.len == 3, "reply\n");
        ok(back->a[4].eid1.len == 4 && back->a[4].eid1.data[0] == 0xde, "defer\n");
        ok(back->a[5].bounce == 38 && back->a[5].flavor == 5, "bounce\n");
        ok(back->a[6].n_recips == 2 && back->a[6].recips[1].n == 2
            && !strcmp(back->a[6].recips[1].props[0].v.str, "B\xc3\xa9"), "forward\n");
        ok(back->a[8].tag.tag == PROP_TAG(PT_LONG, 0x1090) && back->a[8].tag.v.l == 2, "tag\n");
        ok(back->a[9].type == ST_OP_DELETE && back->a[10].type == ST_OP_MARK_AS_READ,
            "delete, mark as read\n");
    }
    /* every cut is refused, never a crash (ASan watches) */
    int refused = 0;
    for (size_t cut = 0; cut < l1; cut++) {
        st_actions *x = NULL;
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, b1, cut);
        refused += st_actions_decode(&x, copy, cut) != 0 && !x;
        st_actions_free(x);
        free(copy);
    }
    ok(refused == (int)l1, "every cut refused: %d of %zu\n", refused, l1);
    free(b1);
    free(b2);
    st_actions_free(acts);
    st_actions_free(back);
}

static void test_exact_bytes(void)
{
    st_actions *acts = st_actions_new(2);
    acts->a[0].type = ST_OP_BOUNCE;
    acts->a[0].bounce = 13;
    acts->a[1].type = ST_OP_MARK_AS_READ;
    acts->a[1].flavor = 7;
    uint8_t *b = NULL;
    size_t l = 0;
    static const uint8_t want[] = {
        2, 0,                                  /* NoOfActions */
        13, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 13, 0, 0, 0,   /* bounce: 9 + 4 */
        9, 0, 11, 7, 0, 0, 0, 0, 0, 0, 0,      /* mark as read: 9 */
    };
    ok(st_actions_encode(&b, &l, acts) == 0 && l == sizeof want && !memcmp(b, want, l),
        "bytes of bounce + mark as read (%zu)\n", l);
    free(b);
    st_actions_free(acts);
}

static void test_bad(void)
{
    st_actions *x = NULL;
    static const uint8_t extra[] = { 1, 0, 9, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF };
    ok(st_actions_decode(&x, extra, sizeof extra) != 0 && !x, "bytes after the actions\n");
    static const uint8_t longer[] = { 1, 0, 10, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF };
    ok(st_actions_decode(&x, longer, sizeof longer) != 0, "bytes left in a block\n");
    static const uint8_t unknown[] = { 1, 0, 9, 0, 99, 0, 0, 0, 0, 0, 0, 0, 0 };
    ok(st_actions_decode(&x, unknown, sizeof unknown) != 0, "unknown type\n");
    static const uint8_t many[] = { 0xFF, 0xFF, 9, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0 };
    ok(st_actions_decode(&x, many, sizeof many) != 0, "count beyond the bytes\n");
    static const uint8_t recips[] = { 1, 0, 11, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
    ok(st_actions_decode(&x, recips, sizeof recips) != 0, "recipient count beyond the bytes\n");
    static const uint8_t reserved[] = { 1, 0, 14, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0 };
    ok(st_actions_decode(&x, reserved, sizeof reserved) != 0, "reserved byte not 1\n");
    static const uint8_t in_store[] = { 1, 0, 14, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    ok(st_actions_decode(&x, in_store, sizeof in_store) != 0, "FolderInThisStore wrong\n");
    static const uint8_t none[] = { 0, 0 };
    ok(st_actions_decode(&x, none, 2) == 0 && x && x->n == 0, "no actions\n");
    st_actions_free(x);
    ok(st_actions_decode(&x, NULL, 0) != 0, "NULL\n");
    st_actions *acts = st_actions_new(1);
    acts->a[0].type = 0;
    uint8_t *b = NULL;
    size_t l = 0;
    ok(st_actions_encode(&b, &l, acts) != 0 && !b, "unknown type not encoded\n");
    acts->a[0].type = ST_OP_TAG;
    acts->a[0].tag.tag = PROP_TAG(PT_ACTIONS, 0x6680);
    ok(st_actions_encode(&b, &l, acts) != 0 && !b, "PT_ACTIONS inside refused\n");
    acts->a[0].tag.tag = 0;
    st_actions_free(acts);
    ok(st_actions_new(ST_ACT_MAX_ACTIONS + 1) == NULL, "too many actions\n");
}

int main(void)
{
    test_round_trip();
    test_exact_bytes();
    test_bad();
    return test_done();
}
