/*
 * test_propconv.c: provider/propconv.c and provider/entryid.c, called
 * directly (linked from the provider's static library), under Wine: every
 * property type converted from storage to MAPI and back unchanged, strings
 * as PT_UNICODE and PT_STRING8 (MAPI_UNICODE, PT_UNSPECIFIED), GetProps over
 * a bag in one MAPIAllocateBuffer chain, bad MAPI values refused; entry IDs
 * written, read back, and garbage refused with MAPI_E_INVALID_ENTRYID.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

#include "testutil.h"
#include "host_alloc.h"
#include "provider/entryid.h"
#include "provider/propconv.h"

static const md_alloc alloc = { host_AllocateBuffer, host_AllocateMore, host_FreeBuffer };

/* v -> MAPI as type `as` (PT_UNSPECIFIED: its own) -> back; equal to v. */
static void round_trip(const st_value *v, ULONG as, ULONG flags, const char *what)
{
    SPropValue *m = NULL;
    st_value back;

    host_AllocateBuffer(sizeof *m, (void **)&m);
    HRESULT hr = md_value_to_mapi(m, PROP_TAG(as, 0x6001), v, flags, m, &alloc);
    ok(hr == S_OK, "%s: to MAPI %#lx\n", what, (unsigned long)hr);
    if (hr == S_OK) {
        hr = md_value_from_mapi(&back, m);
        ok(hr == S_OK, "%s: from MAPI %#lx\n", what, (unsigned long)hr);
        if (hr == S_OK) {
            ok(st_value_compare(v, &back, 0) == 0, "%s: changed on the way\n", what);
            st_value_clear(&back);
        }
    }
    host_FreeBuffer(m);
}

static void test_every_type(void)
{
    static const st_guid g = { 0x01020304, 0x0506, 0x0708, { 9, 10, 11, 12, 13, 14, 15, 16 } };
    static const uint8_t bytes[] = { 0, 1, 2, 0xFF };
    st_value v;

#define ONE(type, member, val) \
    do { memset(&v, 0, sizeof v); v.tag = PROP_TAG(type, 0x6001); v.v.member = val; \
         round_trip(&v, PT_UNSPECIFIED, MAPI_UNICODE, #type); } while (0)
    ONE(PT_I2, i, -1234);
    ONE(PT_LONG, l, -123456789);
    ONE(PT_R4, flt, 1.5f);
    ONE(PT_DOUBLE, dbl, -2.25e100);
    ONE(PT_CURRENCY, cur, 123456789012345LL);
    ONE(PT_APPTIME, at, 45000.5);
    ONE(PT_ERROR, err, (int32_t)MAPI_E_NOT_FOUND);
    ONE(PT_BOOLEAN, b, 1);
    ONE(PT_I8, li, -9000000000000000000LL);
    ONE(PT_SYSTIME, ft, 0x01D9000012345678ULL);
    ONE(PT_UNICODE, str, "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x98\x80");
    ONE(PT_CLSID, guid, (st_guid *)&g);
    ONE(PT_NULL, x, 0);
    ONE(PT_OBJECT, x, 0);
#undef ONE
    v = st_view_bin(PROP_TAG(PT_BINARY, 0x6001), bytes, sizeof bytes);
    round_trip(&v, PT_UNSPECIFIED, 0, "PT_BINARY");
    v = st_view_bin(PROP_TAG(PT_BINARY, 0x6001), NULL, 0);
    round_trip(&v, PT_UNSPECIFIED, 0, "empty PT_BINARY");
    v = st_view_bin(PROP_TAG(PT_SVREID, 0x6001), bytes, sizeof bytes);
    round_trip(&v, PT_UNSPECIFIED, 0, "PT_SVREID");

    int16_t i2[] = { 1, -2, 3 };
    int32_t l[] = { 1, -2, 3 };
    float r4[] = { 1.5f, -2 };
    double dbl[] = { 1e300, -0.5 };
    int64_t i8[] = { 1, -2, INT64_MAX };
    uint64_t ft[] = { 1, 0xFFFFFFFF00000000ULL };
    const char *strs[] = { "a", "", "\xc3\xa9t\xc3\xa9" };
    st_guid guids[] = { g, g };
    st_bin bins[] = { { 2, (uint8_t *)bytes }, { 0, NULL } };
    struct { uint32_t type; void *arr; uint32_t n; const char *what; } mv[] = {
        { PT_MV_I2, i2, 3, "PT_MV_I2" }, { PT_MV_LONG, l, 3, "PT_MV_LONG" },
        { PT_MV_R4, r4, 2, "PT_MV_R4" }, { PT_MV_DOUBLE, dbl, 2, "PT_MV_DOUBLE" },
        { PT_MV_APPTIME, dbl, 2, "PT_MV_APPTIME" }, { PT_MV_CURRENCY, i8, 3, "PT_MV_CURRENCY" },
        { PT_MV_I8, i8, 3, "PT_MV_I8" }, { PT_MV_SYSTIME, ft, 2, "PT_MV_SYSTIME" },
        { PT_MV_UNICODE, strs, 3, "PT_MV_UNICODE" }, { PT_MV_STRING8, strs, 3, "PT_MV_STRING8" },
        { PT_MV_CLSID, guids, 2, "PT_MV_CLSID" }, { PT_MV_BINARY, bins, 2, "PT_MV_BINARY" },
        { PT_MV_LONG, NULL, 0, "empty PT_MV_LONG" },
    };
    for (size_t k = 0; k < sizeof mv / sizeof *mv; k++) {
        memset(&v, 0, sizeof v);
        v.tag = PROP_TAG(mv[k].type, 0x6001);
        v.v.mv.n = mv[k].n;
        v.v.mv.any = mv[k].arr;
        round_trip(&v, PT_UNSPECIFIED, MAPI_UNICODE, mv[k].what);
    }
    ok(buffers_live == 0, "buffers left: %ld\n", (long)buffers_live);
}

static void test_strings(void)
{
    const char *utf8 = "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac";   /* "Grüße €" */
    st_value v = st_view_str(PROP_TAG(PT_UNICODE, 0x3001), utf8);
    SPropValue *m = NULL;
    HRESULT hr;

    host_AllocateBuffer(sizeof *m * 4, (void **)&m);
    hr = md_value_to_mapi(&m[0], PROP_TAG(PT_UNICODE, 0x3001), &v, 0, m, &alloc);
    ok(hr == S_OK && m[0].ulPropTag == PROP_TAG(PT_UNICODE, 0x3001)
       && wcscmp(m[0].Value.lpszW, L"Gr\u00fc\u00dfe \u20ac") == 0, "as PT_UNICODE: %#lx\n",
       (unsigned long)hr);
    hr = md_value_to_mapi(&m[1], PROP_TAG(PT_STRING8, 0x3001), &v, MAPI_UNICODE, m, &alloc);
    ok(hr == S_OK && m[1].ulPropTag == PROP_TAG(PT_STRING8, 0x3001), "as PT_STRING8: %#lx\n",
       (unsigned long)hr);
    if (GetACP() == 1252)
        ok(strcmp(m[1].Value.lpszA, "Gr\xfc\xdf" "e \x80") == 0, "PT_STRING8 in cp1252: %s\n",
           m[1].Value.lpszA);
    hr = md_value_to_mapi(&m[2], PROP_TAG(PT_UNSPECIFIED, 0x3001), &v, 0, m, &alloc);
    ok(hr == S_OK && m[2].ulPropTag == PROP_TAG(PT_STRING8, 0x3001),
       "PT_UNSPECIFIED without MAPI_UNICODE: %#lx tag %#lx\n", (unsigned long)hr,
       (unsigned long)m[2].ulPropTag);
    hr = md_value_to_mapi(&m[3], PROP_TAG(PT_UNSPECIFIED, 0x3001), &v, MAPI_UNICODE, m, &alloc);
    ok(hr == S_OK && m[3].ulPropTag == PROP_TAG(PT_UNICODE, 0x3001),
       "PT_UNSPECIFIED with MAPI_UNICODE: tag %#lx\n", (unsigned long)m[3].ulPropTag);

    /* 8-bit from MAPI back to UTF-8 */
    if (GetACP() == 1252) {
        st_value back;
        hr = md_value_from_mapi(&back, &m[1]);
        ok(hr == S_OK && strcmp(back.v.str, utf8) == 0, "PT_STRING8 -> UTF-8: %#lx\n",
           (unsigned long)hr);
        if (hr == S_OK)
            st_value_clear(&back);
    }
    hr = md_value_to_mapi(&m[0], PROP_TAG(PT_LONG, 0x3001), &v, 0, m, &alloc);
    ok(hr == MAPI_E_INVALID_TYPE, "string asked as PT_LONG: %#lx\n", (unsigned long)hr);
    hr = md_value_to_mapi(&m[0], PROP_TAG(PT_MV_UNICODE, 0x3001), &v, 0, m, &alloc);
    ok(hr == MAPI_E_INVALID_TYPE, "string asked as PT_MV_UNICODE: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(m);
    ok(buffers_live == 0, "buffers left: %ld\n", (long)buffers_live);
}

static void test_bad_mapi_values(void)
{
    SPropValue m;
    st_value out;

    memset(&m, 0, sizeof m);
    m.ulPropTag = PROP_TAG(PT_UNICODE, 0x3001);
    ok(md_value_from_mapi(&out, &m) == MAPI_E_INVALID_PARAMETER, "NULL PT_UNICODE accepted\n");
    m.ulPropTag = PROP_TAG(PT_STRING8, 0x3001);
    ok(md_value_from_mapi(&out, &m) == MAPI_E_INVALID_PARAMETER, "NULL PT_STRING8 accepted\n");
    m.ulPropTag = PROP_TAG(PT_MV_LONG, 0x6001);
    m.Value.MVl.cValues = 5;
    ok(md_value_from_mapi(&out, &m) == MAPI_E_INVALID_PARAMETER, "MV without array accepted\n");
    m.ulPropTag = PROP_TAG(PT_BINARY, 0x6001);
    m.Value.bin.cb = 3;
    m.Value.bin.lpb = NULL;
    ok(md_value_from_mapi(&out, &m) == MAPI_E_INVALID_PARAMETER, "binary without bytes\n");
    m.ulPropTag = PROP_TAG(PT_CLSID, 0x6001);
    m.Value.lpguid = NULL;
    ok(md_value_from_mapi(&out, &m) == MAPI_E_INVALID_PARAMETER, "NULL PT_CLSID accepted\n");
    m.ulPropTag = PROP_TAG(PT_ACTIONS, 0x6001);
    m.Value.lpszA = NULL;
    ok(md_value_from_mapi(&out, &m) == MAPI_E_INVALID_PARAMETER, "NULL PT_ACTIONS accepted\n");
    m.ulPropTag = PROP_TAG(0x77, 0x6001);
    ok(md_value_from_mapi(&out, &m) == MAPI_E_INVALID_TYPE, "type 0x77 accepted\n");
    m.ulPropTag = PROP_TAG(PT_MV_LONG | MV_INSTANCE, 0x6001);
    ok(md_value_from_mapi(&out, &m) == MAPI_E_INVALID_TYPE, "MV_INSTANCE accepted\n");
}

static void test_bag_props(void)
{
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x3001), "name");
    st_bag_set_long(b, PROP_TAG(PT_LONG, 0x3602), 7);
    st_bag_set_bin(b, PROP_TAG(PT_BINARY, 0x0FFF), "\x01\x02", 2);
    st_value err = { .tag = PROP_TAG(PT_ERROR, 0x1000) };
    err.v.err = (int32_t)MAPI_E_NOT_ENOUGH_MEMORY;
    st_bag_set(b, &err);   /* a big body kept as a stream */

    SizedSPropTagArray(5, tags) = { 5, { PROP_TAG(PT_UNICODE, 0x3001), PROP_TAG(PT_LONG, 0x3602),
        PROP_TAG(PT_LONG, 0x6002), PROP_TAG(PT_UNICODE, 0x1000), PROP_TAG(PT_I8, 0x3602) } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = md_bag_get_props(b, (LPSPropTagArray)&tags, MAPI_UNICODE, &alloc, &n, &v);
    ok(hr == MAPI_W_ERRORS_RETURNED && n == 5, "GetProps: %#lx %lu\n", (unsigned long)hr,
       (unsigned long)n);
    if (v && n == 5) {
        ok(v[0].ulPropTag == PROP_TAG(PT_UNICODE, 0x3001) && wcscmp(v[0].Value.lpszW, L"name") == 0,
           "name: tag %#lx\n", (unsigned long)v[0].ulPropTag);
        ok(v[1].ulPropTag == PROP_TAG(PT_LONG, 0x3602) && v[1].Value.l == 7, "count\n");
        ok(v[2].ulPropTag == PROP_TAG(PT_ERROR, 0x6002) && v[2].Value.err == MAPI_E_NOT_FOUND,
           "missing: %#lx\n", (unsigned long)v[2].ulPropTag);
        ok(v[3].ulPropTag == PROP_TAG(PT_ERROR, 0x1000)
           && v[3].Value.err == MAPI_E_NOT_ENOUGH_MEMORY, "stream property: %#lx %#lx\n",
           (unsigned long)v[3].ulPropTag, (unsigned long)v[3].Value.err);
        ok(v[4].ulPropTag == PROP_TAG(PT_ERROR, 0x3602) && v[4].Value.err == MAPI_E_NOT_FOUND,
           "wrong type: %#lx\n", (unsigned long)v[4].ulPropTag);
    }
    host_FreeBuffer(v);

    hr = md_bag_get_props(b, NULL, 0, &alloc, &n, &v);
    ok(hr == MAPI_W_ERRORS_RETURNED && n == 4, "GetProps(NULL) (one PT_ERROR): %#lx %lu\n",
       (unsigned long)hr, (unsigned long)n);
    ok(v && v[2].ulPropTag == PROP_TAG(PT_STRING8, 0x3001) && strcmp(v[2].Value.lpszA, "name") == 0,
       "all props without MAPI_UNICODE: string tag %#lx\n", v ? (unsigned long)v[2].ulPropTag : 0ul);
    host_FreeBuffer(v);

    LPSPropTagArray list = NULL;
    hr = md_bag_prop_list(b, MAPI_UNICODE, &alloc, &list);
    ok(hr == S_OK && list && list->cValues == 4
       && list->aulPropTag[2] == PROP_TAG(PT_UNICODE, 0x3001), "GetPropList: %#lx\n",
       (unsigned long)hr);
    host_FreeBuffer(list);
    hr = md_bag_prop_list(b, 0, &alloc, &list);
    ok(hr == S_OK && list && list->aulPropTag[2] == PROP_TAG(PT_STRING8, 0x3001),
       "GetPropList 8-bit: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(list);
    st_bag_free(b);
    ok(buffers_live == 0, "buffers left: %ld\n", (long)buffers_live);
}

static void test_entryids(void)
{
    md_eid e = { .store = { 0xAABBCCDD, 1, 2, { 3, 4, 5, 6, 7, 8, 9, 10 } },
                 .kind = MD_EID_FOLDER, .id = 0x0102030405060708ULL };
    md_eid back;
    BYTE buf[MD_EID_SIZE + 8];

    md_eid_write(buf, &e);
    ok(md_eid_parse(&back, MD_EID_SIZE, (ENTRYID *)buf) == S_OK && back.kind == MD_EID_FOLDER
       && back.id == e.id && st_guid_compare(&back.store, &e.store) == 0, "round trip\n");
    ok(memcmp(buf + 4, MD_PROVIDER_UID.ab, 16) == 0, "provider UID not at offset 4\n");
    ok(md_eid_parse(&back, MD_EID_SIZE, NULL) == MAPI_E_INVALID_ENTRYID, "NULL accepted\n");
    for (ULONG cb = 0; cb < MD_EID_SIZE + 8; cb++)
        if (cb != MD_EID_SIZE)
            ok(md_eid_parse(&back, cb, (ENTRYID *)buf) == MAPI_E_INVALID_ENTRYID,
               "length %lu accepted\n", (unsigned long)cb);
    for (int i = 0; i < 40; i++) {   /* every byte of flags, UID and kind matters */
        if (i >= 20 && i < 36)
            continue;                 /* the store GUID is any value */
        BYTE bad[MD_EID_SIZE];
        memcpy(bad, buf, sizeof bad);
        bad[i] ^= 0x40;
        ok(md_eid_parse(&back, MD_EID_SIZE, (ENTRYID *)bad) == MAPI_E_INVALID_ENTRYID,
           "byte %d changed: accepted\n", i);
    }
    e.id = 0;
    md_eid_write(buf, &e);
    ok(md_eid_parse(&back, MD_EID_SIZE, (ENTRYID *)buf) == MAPI_E_INVALID_ENTRYID,
       "folder 0 accepted\n");
    e.kind = MD_EID_STORE;
    md_eid_write(buf, &e);
    ok(md_eid_parse(&back, MD_EID_SIZE, (ENTRYID *)buf) == S_OK && back.kind == MD_EID_STORE,
       "store entry ID refused\n");
    e.id = 5;
    md_eid_write(buf, &e);
    ok(md_eid_parse(&back, MD_EID_SIZE, (ENTRYID *)buf) == MAPI_E_INVALID_ENTRYID,
       "store entry ID with an object id accepted\n");

    ULONG cb = 0;
    LPENTRYID eid = NULL;
    e.kind = MD_EID_MESSAGE;
    ok(md_eid_alloc(&cb, &eid, &e, host_AllocateBuffer) == S_OK && cb == MD_EID_SIZE
       && md_eid_parse(&back, cb, eid) == S_OK && back.kind == MD_EID_MESSAGE && back.id == 5,
       "md_eid_alloc\n");
    host_FreeBuffer(eid);
}

int main(void)
{
    test_every_type();
    test_strings();
    test_bad_mapi_values();
    test_bag_props();
    test_entryids();
    ok(buffers_live == 0, "buffers left: %ld\n", (long)buffers_live);
    return test_done();
}
