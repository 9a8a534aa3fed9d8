/*
 * test_provider_restrict.c: provider/restrict.c called directly (the
 * provider's static library), under Wine: every restriction type of
 * storage/props.h from storage to MAPI and back unchanged (one
 * MAPIAllocateBuffer chain, freed whole), also hung off a caller's parent;
 * RES_ANNOTATION read as a comment; bad trees refused with the documented
 * error (NULL pointers and unknown types MAPI_E_INVALID_PARAMETER; too deep,
 * too many nodes, RES_COUNT, RELOP_RE MAPI_E_TOO_COMPLEX); sort order sets
 * both ways with their categories, bad ones refused; PT_SRESTRICT values
 * (storage's bytes <-> MAPI's structure, propconv.c) both ways, junk bytes
 * and nesting through a value refused; no buffer left over.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

#include "testutil.h"
#include "host_alloc.h"
#include "provider/restrict.h"
#include "storage/props_rescodec.h"
#include "storage/props_tags.h"

static const md_alloc alloc = { host_AllocateBuffer, host_AllocateMore, host_FreeBuffer };

/* Structural equality of two storage trees (values by st_value_compare). */
static int res_equal(const st_restriction *a, const st_restriction *b)
{
    if (!a || !b)
        return a == b;
    if (a->rt != b->rt)
        return 0;
    switch (a->rt) {
    case RES_AND: case RES_OR:
        if (a->u.and_or.n != b->u.and_or.n)
            return 0;
        for (uint32_t i = 0; i < a->u.and_or.n; i++)
            if (!res_equal(a->u.and_or.kids[i], b->u.and_or.kids[i]))
                return 0;
        return 1;
    case RES_NOT:
        return res_equal(a->u.not_.kid, b->u.not_.kid);
    case RES_CONTENT:
        return a->u.content.fuzzy == b->u.content.fuzzy && a->u.content.tag == b->u.content.tag
            && a->u.content.value.tag == b->u.content.value.tag
            && st_value_compare(&a->u.content.value, &b->u.content.value, 0) == 0;
    case RES_PROPERTY:
        return a->u.prop.relop == b->u.prop.relop && a->u.prop.tag == b->u.prop.tag
            && a->u.prop.value.tag == b->u.prop.value.tag
            && st_value_compare(&a->u.prop.value, &b->u.prop.value, 0) == 0;
    case RES_COMPAREPROPS:
        return a->u.cmp.relop == b->u.cmp.relop && a->u.cmp.tag1 == b->u.cmp.tag1
            && a->u.cmp.tag2 == b->u.cmp.tag2;
    case RES_BITMASK:
        return a->u.bitmask.bmr == b->u.bitmask.bmr && a->u.bitmask.tag == b->u.bitmask.tag
            && a->u.bitmask.mask == b->u.bitmask.mask;
    case RES_SIZE:
        return a->u.size.relop == b->u.size.relop && a->u.size.tag == b->u.size.tag
            && a->u.size.cb == b->u.size.cb;
    case RES_EXIST:
        return a->u.exist.tag == b->u.exist.tag;
    case RES_SUBRESTRICTION:
        return a->u.sub.subobject == b->u.sub.subobject && res_equal(a->u.sub.kid, b->u.sub.kid);
    case RES_COMMENT:
        if (a->u.comment.n != b->u.comment.n)
            return 0;
        for (uint32_t i = 0; i < a->u.comment.n; i++)
            if (a->u.comment.values[i].tag != b->u.comment.values[i].tag
                || st_value_compare(&a->u.comment.values[i], &b->u.comment.values[i], 0))
                return 0;
        return res_equal(a->u.comment.kid, b->u.comment.kid);
    }
    return 0;
}

/* r -> MAPI -> back: equal. With parent: the tree hangs off a buffer of ours. */
static void round_trip(st_restriction *r, int with_parent, const char *what)
{
    SRestriction *m = NULL;
    st_restriction *back = NULL;
    void *parent = NULL;

    ok(r != NULL, "%s: built\n", what);
    if (!r)
        return;
    if (with_parent)
        host_AllocateBuffer(16, &parent);
    HRESULT hr = md_res_to_mapi(&m, r, parent, &alloc);
    ok(hr == S_OK && m, "%s: to MAPI %#lx\n", what, (unsigned long)hr);
    if (hr == S_OK) {
        hr = md_res_from_mapi(&back, m);
        ok(hr == S_OK, "%s: from MAPI %#lx\n", what, (unsigned long)hr);
        ok(res_equal(r, back), "%s: changed on the way\n", what);
        st_res_free(back);
    }
    host_FreeBuffer(parent ? parent : m);
    st_res_free(r);
    ok(buffers_live == 0, "%s: buffers left: %ld\n", what, (long)buffers_live);
}

static void test_round_trip(void)
{
    st_value subj = st_view_str(PR_SUBJECT_W, "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac");
    st_value subj8 = st_view_str(PR_SUBJECT_A, "report");
    st_value imp = st_view_long(PR_IMPORTANCE, 2);
    st_value t = st_view_systime(PR_MESSAGE_DELIVERY_TIME, 0x01D9000012345678ULL);
    static const uint8_t key[] = { 1, 2, 3, 0 };
    st_value bin = st_view_bin(PR_SEARCH_KEY, key, sizeof key);
    const char *cats[] = { "red", "blue" };
    st_value mv = st_view_mv_str(PROP_TAG(PT_MV_UNICODE, 0x8001), cats, 2);
    st_value cat = st_view_str(PROP_TAG(PT_UNICODE, 0x8001), "red");
    st_value notes[2] = { st_view_long(PROP_TAG(PT_LONG, 0x6601), 7),
                          st_view_str(PROP_TAG(PT_UNICODE, 0x6602), "note") };

    round_trip(st_res_exist(PR_SUBJECT_W), 0, "exist");
    round_trip(st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &subj), 0, "content");
    round_trip(st_res_content(FL_PREFIX, PR_SUBJECT_A, &subj8), 0, "content 8-bit");
    round_trip(st_res_content(FL_FULLSTRING, PR_SEARCH_KEY, &bin), 0, "content binary");
    round_trip(st_res_property(RELOP_GE, PR_IMPORTANCE, &imp), 0, "property long");
    round_trip(st_res_property(RELOP_LT, PR_MESSAGE_DELIVERY_TIME, &t), 0, "property time");
    round_trip(st_res_property(RELOP_EQ, MVI_PROP(PROP_TAG(PT_MV_UNICODE, 0x8001)), &cat), 0,
        "property mv instance");
    round_trip(st_res_property(RELOP_EQ, PROP_TAG(PT_MV_UNICODE, 0x8001), &mv), 0,
        "property whole mv");
    round_trip(st_res_compareprops(RELOP_NE, PR_SUBJECT_W, PR_NORMALIZED_SUBJECT_W), 0,
        "compareprops");
    round_trip(st_res_bitmask(BMR_NEZ, PR_MESSAGE_FLAGS, MSGFLAG_READ), 0, "bitmask");
    round_trip(st_res_size(RELOP_GT, PR_BODY_W, 1000), 0, "size");
    round_trip(st_res_sub(PR_MESSAGE_RECIPIENTS,
        st_res_content(FL_SUBSTRING, PR_SUBJECT_W, &subj)), 0, "subrestriction");
    round_trip(st_res_comment(notes, 2, st_res_exist(PR_SUBJECT_W)), 0, "comment");
    round_trip(st_res_comment_alone(notes, 2), 0, "comment alone");
    round_trip(st_res_and(0), 0, "empty and");
    round_trip(st_res_or(0), 0, "empty or");
    round_trip(st_res_and(3,
        st_res_or(2, st_res_exist(PR_SUBJECT_W), st_res_not(st_res_exist(PR_BODY_W))),
        st_res_not(st_res_bitmask(BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ)),
        st_res_comment(notes, 1, st_res_property(RELOP_EQ, PR_IMPORTANCE, &imp))), 1,
        "nested, off a parent");

    /* 64 levels is the most storage builds: still converts. */
    st_restriction *deep = st_res_exist(PR_SUBJECT_W);
    for (int i = 1; i < ST_RES_MAX_DEPTH; i++)
        deep = st_res_not(deep);
    round_trip(deep, 0, "64 deep");
}

/* What MAPI hands in: annotation, bad trees. */
static void test_from_mapi(void)
{
    SPropValue v = { .ulPropTag = PR_SUBJECT_W };
    SRestriction r, kids[2];
    st_restriction *out = (st_restriction *)1;
    HRESULT hr;

    v.Value.lpszW = L"hello";
    ok(md_res_from_mapi(&out, NULL) == S_OK && out == NULL, "NULL: no restriction\n");
    ok(md_res_from_mapi(NULL, &r) == MAPI_E_INVALID_PARAMETER, "NULL out\n");

    /* RES_ANNOTATION (0x0C) has the comment's layout. */
    memset(&r, 0, sizeof r);
    r.rt = RES_ANNOTATION;
    r.res.resComment.cValues = 1;
    r.res.resComment.lpProp = &v;
    hr = md_res_from_mapi(&out, &r);
    ok(hr == S_OK && out && out->rt == RES_COMMENT && out->u.comment.n == 1
       && strcmp(out->u.comment.values[0].v.str, "hello") == 0, "annotation: %#lx\n",
       (unsigned long)hr);
    st_res_free(out);

    struct { SRestriction r; HRESULT want; const char *what; } bad[] = {
        { { .rt = 0x77 }, MAPI_E_INVALID_PARAMETER, "unknown type" },
        { { .rt = RES_COUNT }, MAPI_E_TOO_COMPLEX, "RES_COUNT" },
        { { .rt = RES_AND, .res.resAnd = { 3, NULL } }, MAPI_E_INVALID_PARAMETER,
          "and: count without array" },
        { { .rt = RES_OR, .res.resOr = { 0xFFFFFFF0, kids } }, MAPI_E_TOO_COMPLEX,
          "or: 4 billion kids" },
        { { .rt = RES_NOT }, MAPI_E_INVALID_PARAMETER, "not without child" },
        { { .rt = RES_SUBRESTRICTION, .res.resSub = { PR_MESSAGE_RECIPIENTS, NULL } },
          MAPI_E_INVALID_PARAMETER, "sub without child" },
        { { .rt = RES_CONTENT, .res.resContent = { FL_SUBSTRING, PR_SUBJECT_W, NULL } },
          MAPI_E_INVALID_PARAMETER, "content without value" },
        { { .rt = RES_PROPERTY, .res.resProperty = { RELOP_EQ, PR_SUBJECT_W, NULL } },
          MAPI_E_INVALID_PARAMETER, "property without value" },
        { { .rt = RES_PROPERTY, .res.resProperty = { RELOP_RE, PR_SUBJECT_W, &v } },
          MAPI_E_TOO_COMPLEX, "RELOP_RE" },
        { { .rt = RES_PROPERTY, .res.resProperty = { 99, PR_SUBJECT_W, &v } },
          MAPI_E_TOO_COMPLEX, "unknown relop" },
        { { .rt = RES_BITMASK, .res.resBitMask = { BMR_NEZ, PR_SUBJECT_W, 1 } },
          MAPI_E_TOO_COMPLEX, "bitmask on a string" },
        { { .rt = RES_COMMENT, .res.resComment = { 2, NULL, NULL } },
          MAPI_E_INVALID_PARAMETER, "comment: count without values" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        out = (st_restriction *)1;
        hr = md_res_from_mapi(&out, &bad[i].r);
        ok(hr == bad[i].want && out == NULL, "%s: got %#lx\n", bad[i].what, (unsigned long)hr);
    }

    /* A bad child deep inside: the built part is freed (ASan / no leak). */
    memset(kids, 0, sizeof kids);
    kids[0].rt = RES_EXIST;
    kids[0].res.resExist.ulPropTag = PR_SUBJECT_W;
    kids[1].rt = 0x55;
    r.rt = RES_AND;
    r.res.resAnd.cRes = 2;
    r.res.resAnd.lpRes = kids;
    hr = md_res_from_mapi(&out, &r);
    ok(hr == MAPI_E_INVALID_PARAMETER && !out, "bad second child: %#lx\n", (unsigned long)hr);

    /* 65 levels of NOT: too deep. */
    static SRestriction chain[ST_RES_MAX_DEPTH + 1];
    for (int i = 0; i < ST_RES_MAX_DEPTH; i++) {
        chain[i].rt = RES_NOT;
        chain[i].res.resNot.lpRes = &chain[i + 1];
    }
    chain[ST_RES_MAX_DEPTH].rt = RES_EXIST;
    chain[ST_RES_MAX_DEPTH].res.resExist.ulPropTag = PR_SUBJECT_W;
    hr = md_res_from_mapi(&out, &chain[0]);
    ok(hr == MAPI_E_TOO_COMPLEX && !out, "65 deep: %#lx\n", (unsigned long)hr);
    hr = md_res_from_mapi(&out, &chain[1]);
    ok(hr == S_OK && out && out->depth == ST_RES_MAX_DEPTH, "64 deep: %#lx\n",
       (unsigned long)hr);
    st_res_free(out);

    /* Too many nodes in all. */
    SRestriction *wide = calloc(MD_RES_MAX_NODES + 1, sizeof *wide);
    for (ULONG i = 0; wide && i <= MD_RES_MAX_NODES; i++) {
        wide[i].rt = RES_EXIST;
        wide[i].res.resExist.ulPropTag = PR_SUBJECT_W;
    }
    r.rt = RES_OR;
    r.res.resOr.cRes = MD_RES_MAX_NODES;
    r.res.resOr.lpRes = wide;
    hr = md_res_from_mapi(&out, &r);
    ok(hr == MAPI_E_TOO_COMPLEX && !out, "too many nodes: %#lx\n", (unsigned long)hr);
    r.res.resOr.cRes = 1000;
    hr = md_res_from_mapi(&out, &r);
    ok(hr == S_OK && out && out->u.and_or.n == 1000, "1000 kids: %#lx\n", (unsigned long)hr);
    st_res_free(out);
    free(wide);
    ok(buffers_live == 0, "buffers left: %ld\n", (long)buffers_live);
}

static void test_sort(void)
{
    SizedSSortOrderSet(3, in) = { 3, 2, 1, {
        { PROP_TAG(PT_MV_UNICODE, 0x8001) | MV_INSTANCE, TABLE_SORT_ASCEND },
        { PR_SENDER_NAME_W, TABLE_SORT_DESCEND },
        { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    st_sortset *s = NULL;
    SSortOrderSet *m = NULL;

    HRESULT hr = md_sort_from_mapi(&s, (SSortOrderSet *)&in);
    ok(hr == S_OK && s && s->n == 3 && s->n_categories == 2 && s->n_expanded == 1
       && s->orders[1].tag == PR_SENDER_NAME_W && s->orders[1].order == TABLE_SORT_DESCEND,
       "sort from MAPI: %#lx\n", (unsigned long)hr);
    hr = md_sort_to_mapi(&m, s, &alloc);
    ok(hr == S_OK && m && CbSSortOrderSet(m) == sizeof in && memcmp(m, &in, sizeof in) == 0,
       "sort back: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(m);
    st_sortset_free(s);

    hr = md_sort_to_mapi(&m, NULL, &alloc);
    ok(hr == S_OK && m && m->cSorts == 0, "empty sort: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(m);
    s = (st_sortset *)1;
    ok(md_sort_from_mapi(&s, NULL) == S_OK && !s, "NULL sort: default\n");

    in.cCategories = 4;
    ok(md_sort_from_mapi(&s, (SSortOrderSet *)&in) == MAPI_E_INVALID_PARAMETER && !s,
       "more categories than keys\n");
    in.cCategories = 1;
    in.cExpanded = 2;
    ok(md_sort_from_mapi(&s, (SSortOrderSet *)&in) == MAPI_E_INVALID_PARAMETER && !s,
       "more expanded than categories\n");
    in.cExpanded = 0;
    in.aSort[1].ulOrder = 0x40;
    ok(md_sort_from_mapi(&s, (SSortOrderSet *)&in) == MAPI_E_INVALID_PARAMETER && !s,
       "unknown order\n");
    in.aSort[1].ulOrder = TABLE_SORT_ASCEND;
    in.aSort[1].ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x8002);
    ok(md_sort_from_mapi(&s, (SSortOrderSet *)&in) == MAPI_E_INVALID_PARAMETER && !s,
       "MV key without MV_INSTANCE\n");
    in.cSorts = MD_SORT_MAX_KEYS + 1;
    ok(md_sort_from_mapi(&s, (SSortOrderSet *)&in) == MAPI_E_TOO_COMPLEX && !s,
       "too many keys\n");
    ok(buffers_live == 0, "buffers left: %ld\n", (long)buffers_live);
}

/* PT_SRESTRICT values: storage's [MS-OXCDATA] bytes <-> an LPSRestriction
 * in Value.lpszA (propconv.c), kept as data (no st_res_check). */
static void test_srestrict_values(void)
{
    st_value subj = st_view_str(PR_SUBJECT_W, "budget");
    st_restriction *r = st_res_and(2, st_res_content(FL_SUBSTRING, PR_SUBJECT_W, &subj),
        st_res_property(RELOP_RE, PR_SUBJECT_W, &subj));   /* data: RELOP_RE is fine */
    uint8_t *bytes = NULL;
    size_t len = 0;
    ok(r && st_res_encode(&bytes, &len, r) == 0, "encode\n");
    st_value v = st_view_bin(PROP_TAG(PT_SRESTRICT, 0x6679), bytes, (uint32_t)len);
    SPropValue *m = NULL;
    host_AllocateBuffer(sizeof *m, (void **)&m);
    HRESULT hr = md_value_to_mapi(m, v.tag, &v, MAPI_UNICODE, m, &alloc);
    const SRestriction *mr = hr == S_OK ? (const SRestriction *)(void *)m->Value.lpszA : NULL;
    ok(hr == S_OK && mr && mr->rt == RES_AND && mr->res.resAnd.cRes == 2
       && mr->res.resAnd.lpRes[1].res.resProperty.relop == RELOP_RE,
       "PT_SRESTRICT to MAPI: %#lx\n", (unsigned long)hr);
    if (hr == S_OK) {
        st_value back;
        hr = md_value_from_mapi(&back, m);
        ok(hr == S_OK && back.tag == v.tag && back.v.bin.len == len
           && memcmp(back.v.bin.data, bytes, len) == 0, "PT_SRESTRICT back: %#lx\n",
           (unsigned long)hr);
        if (hr == S_OK)
            st_value_clear(&back);
    }
    host_FreeBuffer(m);

    static const uint8_t junk[] = { 0x00, 0xFF, 0xFF, 0x17 };
    v = st_view_bin(PROP_TAG(PT_SRESTRICT, 0x6679), junk, sizeof junk);
    SPropValue m2;
    ok(md_value_to_mapi(&m2, v.tag, &v, 0, NULL, &alloc) == MAPI_E_CORRUPT_DATA,
       "bytes that are no restriction\n");
    SPropValue in = { .ulPropTag = PROP_TAG(PT_SRESTRICT, 0x6679) };
    st_value out;
    ok(md_value_from_mapi(&out, &in) == MAPI_E_INVALID_PARAMETER, "NULL PT_SRESTRICT\n");

    /* A restriction whose constant is itself a restriction: refused. */
    SRestriction inner = { .rt = RES_EXIST };
    inner.res.resExist.ulPropTag = PR_SUBJECT_W;
    SPropValue nested = { .ulPropTag = PROP_TAG(PT_SRESTRICT, 0x6679) };
    nested.Value.lpszA = (LPSTR)(void *)&inner;
    SRestriction outer = { .rt = RES_PROPERTY };
    outer.res.resProperty.relop = RELOP_EQ;
    outer.res.resProperty.ulPropTag = nested.ulPropTag;
    outer.res.resProperty.lpProp = &nested;
    st_restriction *o = NULL;
    ok(md_res_from_mapi_data(&o, &outer) == MAPI_E_TOO_COMPLEX && !o,
       "a restriction nested through a value\n");
    free(bytes);
    st_res_free(r);
    ok(buffers_live == 0, "buffers left: %ld\n", (long)buffers_live);
}

int main(void)
{
    test_round_trip();
    test_from_mapi();
    test_sort();
    test_srestrict_values();
    return test_done();
}
