/*
 * props.c: the small shared pieces of the props module: the allocation hooks
 * (with test fault injection), GUIDs, named-property names and the list of
 * valid property types.
 *
 * Invariant: st__malloc and friends are the only way props_*.c get memory,
 * and st__free the only way they give it back.
 * Never: abort or print on failure; just return NULL / -1.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/error.h"
#include "storage/props_int.h"

long st__alloc_fail_countdown;

/* 1 when the fault injector wants this allocation to fail. Disarmed (0), as
 * always outside tests, it only reads the counter: no data race between
 * threads. */
static int fault(void)
{
    if (st__alloc_fail_countdown > 0 && --st__alloc_fail_countdown == 0)
        return 1;
    return 0;
}

/* p, or the out-of-memory message when it is NULL. */
static void *checked(void *p)
{
    if (!p)
        st_error_set("out of memory");
    return p;
}

void *st__malloc(size_t size)
{
    return checked(fault() ? NULL : malloc(size ? size : 1));
}

void *st__calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return checked(NULL);
    return checked(fault() ? NULL : calloc(n ? n : 1, size ? size : 1));
}

void *st__realloc(void *p, size_t size)
{
    return checked(fault() ? NULL : realloc(p, size ? size : 1));
}

void st__free(void *p)
{
    free(p);
}

int st__fail(const char *what)
{
    st_error_set("%s", what);
    return -1;
}

/* ---- GUIDs ---- */

void st_guid_to_bytes(uint8_t out[16], const st_guid *g)
{
    out[0] = (uint8_t)g->data1;
    out[1] = (uint8_t)(g->data1 >> 8);
    out[2] = (uint8_t)(g->data1 >> 16);
    out[3] = (uint8_t)(g->data1 >> 24);
    out[4] = (uint8_t)g->data2;
    out[5] = (uint8_t)(g->data2 >> 8);
    out[6] = (uint8_t)g->data3;
    out[7] = (uint8_t)(g->data3 >> 8);
    memcpy(out + 8, g->data4, 8);
}

void st_guid_from_bytes(st_guid *out, const uint8_t in[16])
{
    out->data1 = (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 |
        (uint32_t)in[3] << 24;
    out->data2 = (uint16_t)(in[4] | in[5] << 8);
    out->data3 = (uint16_t)(in[6] | in[7] << 8);
    memcpy(out->data4, in + 8, 8);
}

int st_guid_compare(const st_guid *a, const st_guid *b)
{
    uint8_t x[16], y[16];
    st_guid_to_bytes(x, a);
    st_guid_to_bytes(y, b);
    return memcmp(x, y, 16);
}

/* ---- Named property names ---- */

int st_propname_compare(const st_propname *a, const st_propname *b)
{
    int c = st_guid_compare(&a->guid, &b->guid);
    if (c)
        return c;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->kind == ST_MNID_ID)
        return a->lid < b->lid ? -1 : a->lid > b->lid;
    c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    return c < 0 ? -1 : c > 0;
}

int st_propname_copy(st_propname *out, const st_propname *src)
{
    st_propname pn = *src;
    pn.name = NULL;
    if (src->kind == ST_MNID_STRING) {
        const char *s = src->name ? src->name : "";
        pn.name = st__utf8_dup(s, strlen(s));
        if (!pn.name) {
            memset(out, 0, sizeof *out);
            return -1;
        }
    } else if (src->kind != ST_MNID_ID) {
        memset(out, 0, sizeof *out);
        return st__fail("named property: unknown kind");
    }
    *out = pn;
    return 0;
}

void st_propname_clear(st_propname *pn)
{
    if (!pn)
        return;
    st__free(pn->name);
    memset(pn, 0, sizeof *pn);
}

/* ---- Types ---- */

int st_proptype_valid(uint32_t type)
{
    switch (type) {
    case PT_NULL: case PT_I2: case PT_LONG: case PT_R4: case PT_DOUBLE:
    case PT_CURRENCY: case PT_APPTIME: case PT_ERROR: case PT_BOOLEAN:
    case PT_OBJECT: case PT_I8: case PT_STRING8: case PT_UNICODE:
    case PT_SYSTIME: case PT_CLSID: case PT_SVREID: case PT_SRESTRICT:
    case PT_ACTIONS: case PT_BINARY:
    case PT_MV_I2: case PT_MV_LONG: case PT_MV_R4: case PT_MV_DOUBLE:
    case PT_MV_CURRENCY: case PT_MV_APPTIME: case PT_MV_I8:
    case PT_MV_STRING8: case PT_MV_UNICODE: case PT_MV_SYSTIME:
    case PT_MV_CLSID: case PT_MV_BINARY:
        return 1;
    default:
        return 0;
    }
}
