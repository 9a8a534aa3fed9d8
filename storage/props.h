/*
 * props.h: the MAPI property value model (floor 0), spoken by storage (SQLite),
 * convert (MIME, iCalendar, vCard) and the provider (COM): property types and
 * tags, values, property bags, named-property names, restrictions and their
 * evaluation, sort orders, and the Unicode string comparison they rely on.
 *
 * Invariants: a value held by a bag (or a restriction) owns its memory and is
 * well formed: a valid type, strings are NUL-terminated UTF-8 without invalid
 * sequences (both PT_UNICODE and PT_STRING8; the provider converts at the
 * boundary), PT_SYSTIME is FILETIME ticks (100 ns since 1601-01-01 UTC).
 * Bytes from outside are never trusted: invalid UTF-8 becomes U+FFFD on the
 * way in. Nothing here aborts on a failed allocation: functions return -1
 * (or NULL) and leave their objects as they were.
 *
 * Never: include windows.h, a MAPI header or SQLite here. The provider
 * includes mingw-w64's <mapidefs.h> BEFORE this header: every MAPI constant
 * below is #ifndef-guarded and has mapidefs.h's value, so the two coexist.
 */
#ifndef MAPIDAV_PROPS_H
#define MAPIDAV_PROPS_H

#include <stddef.h>
#include <stdint.h>

/* ---- Property types ([MS-OXCDATA] 2.11.1; values as in mapidefs.h) ---- */

#ifndef MV_FLAG
#define MV_FLAG 0x1000
#endif
#ifndef MV_INSTANCE
#define MV_INSTANCE 0x2000
#endif
#ifndef MVI_FLAG
#define MVI_FLAG (MV_FLAG | MV_INSTANCE)
#endif
#ifndef MVI_PROP
#define MVI_PROP(tag) ((tag) | MVI_FLAG)
#endif

#ifndef PT_UNSPECIFIED
#define PT_UNSPECIFIED ((uint32_t) 0)
#endif
#ifndef PT_NULL
#define PT_NULL ((uint32_t) 1)
#endif
#ifndef PT_I2
#define PT_I2 ((uint32_t) 2)
#endif
#ifndef PT_LONG
#define PT_LONG ((uint32_t) 3)
#endif
#ifndef PT_R4
#define PT_R4 ((uint32_t) 4)
#endif
#ifndef PT_DOUBLE
#define PT_DOUBLE ((uint32_t) 5)
#endif
#ifndef PT_CURRENCY
#define PT_CURRENCY ((uint32_t) 6)
#endif
#ifndef PT_APPTIME
#define PT_APPTIME ((uint32_t) 7)
#endif
#ifndef PT_ERROR
#define PT_ERROR ((uint32_t) 10)
#endif
#ifndef PT_BOOLEAN
#define PT_BOOLEAN ((uint32_t) 11)
#endif
#ifndef PT_OBJECT
#define PT_OBJECT ((uint32_t) 13)
#endif
#ifndef PT_I8
#define PT_I8 ((uint32_t) 20)
#endif
#ifndef PT_STRING8
#define PT_STRING8 ((uint32_t) 30)
#endif
#ifndef PT_UNICODE
#define PT_UNICODE ((uint32_t) 31)
#endif
#ifndef PT_SYSTIME
#define PT_SYSTIME ((uint32_t) 64)
#endif
#ifndef PT_CLSID
#define PT_CLSID ((uint32_t) 72)
#endif
#ifndef PT_SVREID
#define PT_SVREID ((uint32_t) 0xFB)
#endif
#ifndef PT_SRESTRICT
#define PT_SRESTRICT ((uint32_t) 0xFD)
#endif
#ifndef PT_ACTIONS
#define PT_ACTIONS ((uint32_t) 0xFE)
#endif
#ifndef PT_BINARY
#define PT_BINARY ((uint32_t) 258)
#endif
#ifndef PT_TSTRING
#define PT_TSTRING PT_UNICODE
#endif

#ifndef PT_MV_I2
#define PT_MV_I2 (MV_FLAG|PT_I2)
#endif
#ifndef PT_MV_LONG
#define PT_MV_LONG (MV_FLAG|PT_LONG)
#endif
#ifndef PT_MV_R4
#define PT_MV_R4 (MV_FLAG|PT_R4)
#endif
#ifndef PT_MV_DOUBLE
#define PT_MV_DOUBLE (MV_FLAG|PT_DOUBLE)
#endif
#ifndef PT_MV_CURRENCY
#define PT_MV_CURRENCY (MV_FLAG|PT_CURRENCY)
#endif
#ifndef PT_MV_APPTIME
#define PT_MV_APPTIME (MV_FLAG|PT_APPTIME)
#endif
#ifndef PT_MV_SYSTIME
#define PT_MV_SYSTIME (MV_FLAG|PT_SYSTIME)
#endif
#ifndef PT_MV_STRING8
#define PT_MV_STRING8 (MV_FLAG|PT_STRING8)
#endif
#ifndef PT_MV_BINARY
#define PT_MV_BINARY (MV_FLAG|PT_BINARY)
#endif
#ifndef PT_MV_UNICODE
#define PT_MV_UNICODE (MV_FLAG|PT_UNICODE)
#endif
#ifndef PT_MV_CLSID
#define PT_MV_CLSID (MV_FLAG|PT_CLSID)
#endif
#ifndef PT_MV_I8
#define PT_MV_I8 (MV_FLAG|PT_I8)
#endif
#ifndef PT_MV_TSTRING
#define PT_MV_TSTRING (MV_FLAG|PT_UNICODE)
#endif

/* ---- Property tags: type in the low 16 bits, id in the high 16 ---- */

#ifndef PROP_TYPE_MASK
#define PROP_TYPE_MASK ((uint32_t) 0x0000FFFF)
#endif
#ifndef PROP_TYPE
#define PROP_TYPE(tag) (((uint32_t)(tag)) & PROP_TYPE_MASK)
#endif
#ifndef PROP_ID
#define PROP_ID(tag) (((uint32_t)(tag)) >> 16)
#endif
#ifndef PROP_TAG
#define PROP_TAG(type, id) ((((uint32_t)(id)) << 16) | ((uint32_t)(type)))
#endif
#ifndef CHANGE_PROP_TYPE
#define CHANGE_PROP_TYPE(tag, type) (((uint32_t)0xFFFF0000 & (tag)) | (type))
#endif
#ifndef PROP_ID_NULL
#define PROP_ID_NULL 0
#endif
#ifndef PROP_ID_INVALID
#define PROP_ID_INVALID 0xFFFF
#endif

/* ---- Restriction and sort constants ([MS-OXCDATA] 2.12, 2.13) ----
 * Owned here because the evaluator needs them; props_tags.h must not define
 * them again. */

#ifndef RES_AND
#define RES_AND ((uint32_t) 0x00000000)
#endif
#ifndef RES_OR
#define RES_OR ((uint32_t) 0x00000001)
#endif
#ifndef RES_NOT
#define RES_NOT ((uint32_t) 0x00000002)
#endif
#ifndef RES_CONTENT
#define RES_CONTENT ((uint32_t) 0x00000003)
#endif
#ifndef RES_PROPERTY
#define RES_PROPERTY ((uint32_t) 0x00000004)
#endif
#ifndef RES_COMPAREPROPS
#define RES_COMPAREPROPS ((uint32_t) 0x00000005)
#endif
#ifndef RES_BITMASK
#define RES_BITMASK ((uint32_t) 0x00000006)
#endif
#ifndef RES_SIZE
#define RES_SIZE ((uint32_t) 0x00000007)
#endif
#ifndef RES_EXIST
#define RES_EXIST ((uint32_t) 0x00000008)
#endif
#ifndef RES_SUBRESTRICTION
#define RES_SUBRESTRICTION ((uint32_t) 0x00000009)
#endif
#ifndef RES_COMMENT
#define RES_COMMENT ((uint32_t) 0x0000000A)
#endif

#ifndef RELOP_LT
#define RELOP_LT ((uint32_t) 0)
#endif
#ifndef RELOP_LE
#define RELOP_LE ((uint32_t) 1)
#endif
#ifndef RELOP_GT
#define RELOP_GT ((uint32_t) 2)
#endif
#ifndef RELOP_GE
#define RELOP_GE ((uint32_t) 3)
#endif
#ifndef RELOP_EQ
#define RELOP_EQ ((uint32_t) 4)
#endif
#ifndef RELOP_NE
#define RELOP_NE ((uint32_t) 5)
#endif
#ifndef RELOP_RE
#define RELOP_RE ((uint32_t) 6)
#endif

#ifndef FL_FULLSTRING
#define FL_FULLSTRING ((uint32_t) 0x00000000)
#endif
#ifndef FL_SUBSTRING
#define FL_SUBSTRING ((uint32_t) 0x00000001)
#endif
#ifndef FL_PREFIX
#define FL_PREFIX ((uint32_t) 0x00000002)
#endif
#ifndef FL_IGNORECASE
#define FL_IGNORECASE ((uint32_t) 0x00010000)
#endif
#ifndef FL_IGNORENONSPACE
#define FL_IGNORENONSPACE ((uint32_t) 0x00020000)
#endif
#ifndef FL_LOOSE
#define FL_LOOSE ((uint32_t) 0x00040000)
#endif

#ifndef BMR_EQZ
#define BMR_EQZ ((uint32_t) 0)
#endif
#ifndef BMR_NEZ
#define BMR_NEZ ((uint32_t) 1)
#endif

#ifndef TABLE_SORT_ASCEND
#define TABLE_SORT_ASCEND ((uint32_t) 0x00000000)
#endif
#ifndef TABLE_SORT_DESCEND
#define TABLE_SORT_DESCEND ((uint32_t) 0x00000001)
#endif
#ifndef TABLE_SORT_COMBINE
#define TABLE_SORT_COMBINE ((uint32_t) 0x00000002)
#endif
/* Outlook's categorized views: aggregate columns (MS-OXCDATA "MaximumCategory"). */
#ifndef TABLE_SORT_CATEG_MAX
#define TABLE_SORT_CATEG_MAX ((uint32_t) 0x00000004)
#endif
#ifndef TABLE_SORT_CATEG_MIN
#define TABLE_SORT_CATEG_MIN ((uint32_t) 0x00000008)
#endif

/* ---- Return codes ----
 * 0 is success (ST_OK) and -1 a failure (ST_ERROR: out of memory, invalid
 * argument), with the reason in st_error_last() (storage/error.h). The
 * props module's named expected failure: */
#ifndef ST_ENOTFOUND
#define ST_ENOTFOUND (-2) /* no such property / entry */
#endif

/* ---- GUIDs ---- */

/* Layout-compatible with the Windows GUID (and MAPIUID as 16 bytes). */
typedef struct st_guid {
    uint32_t data1;   /* little-endian on the wire */
    uint16_t data2;   /* little-endian on the wire */
    uint16_t data3;   /* little-endian on the wire */
    uint8_t data4[8]; /* as is */
} st_guid;

/* The 16 bytes of g as Windows stores and sends it (Data1-3 little-endian). */
void st_guid_to_bytes(uint8_t out[16], const st_guid *g);
void st_guid_from_bytes(st_guid *out, const uint8_t in[16]);
/* Total order: memcmp of the 16 wire bytes. */
int st_guid_compare(const st_guid *a, const st_guid *b);

/* ---- Values ---- */

typedef struct st_bin {
    uint32_t len;     /* bytes in data */
    uint8_t *data;    /* owned; may be NULL when len is 0 */
} st_bin;

typedef struct st_mv {
    uint32_t n;       /* number of values; 0 is allowed */
    union {           /* array of n, owned; NULL when n is 0 */
        int16_t *i;       /* PT_MV_I2 */
        int32_t *l;       /* PT_MV_LONG */
        float *flt;       /* PT_MV_R4 */
        double *dbl;      /* PT_MV_DOUBLE */
        int64_t *cur;     /* PT_MV_CURRENCY (10^-4 units) */
        double *at;       /* PT_MV_APPTIME */
        int64_t *li;      /* PT_MV_I8 */
        uint64_t *ft;     /* PT_MV_SYSTIME */
        char **str;       /* PT_MV_UNICODE, PT_MV_STRING8: UTF-8, each owned */
        st_guid *guid;    /* PT_MV_CLSID */
        st_bin *bin;      /* PT_MV_BINARY: each data owned */
        void *any;        /* the array, whatever its type */
    };
} st_mv;

typedef struct st_value {
    uint32_t tag;     /* property tag; its type selects the member of v */
    union {
        int16_t i;        /* PT_I2 */
        int32_t l;        /* PT_LONG */
        float flt;        /* PT_R4 */
        double dbl;       /* PT_DOUBLE */
        int64_t cur;      /* PT_CURRENCY (10^-4 units) */
        double at;        /* PT_APPTIME (OLE automation date) */
        int32_t err;      /* PT_ERROR (an SCODE) */
        int b;            /* PT_BOOLEAN: 0 or 1 once copied */
        int32_t x;        /* PT_OBJECT, PT_NULL: placeholder, no data */
        int64_t li;       /* PT_I8 */
        uint64_t ft;      /* PT_SYSTIME: FILETIME ticks */
        char *str;        /* PT_UNICODE, PT_STRING8: UTF-8, NUL-terminated */
        st_guid *guid;    /* PT_CLSID */
        st_bin bin;       /* PT_BINARY; also PT_SVREID, PT_SRESTRICT,
                             PT_ACTIONS as their opaque [MS-OXCDATA] bytes */
        st_mv mv;         /* every PT_MV_* type */
    } v;
} st_value;

/* 1 when type (MV_INSTANCE excluded) is one a value can have: PT_NULL, the
 * fixed and variable types above, and the PT_MV_* types listed. */
int st_proptype_valid(uint32_t type);

/* Bytes of one element of a multi-valued array of base type t (the st_mv
 * array layout); 0 for a type that has no multi-valued form. */
size_t st_proptype_elem_size(uint32_t t);

/* Deep copy of src into out (which is overwritten, not freed). Strings are
 * checked: invalid UTF-8 becomes U+FFFD, a NULL string becomes "". Booleans
 * become 0/1. Returns 0, or -1 (out of memory, invalid type, binary with
 * len > 0 and no data), then *out is empty. */
int st_value_copy(st_value *out, const st_value *src);

/* Frees what v owns and leaves it empty ({0}). NULL-safe; an empty value may
 * be cleared again. Never call it on a view (below). */
void st_value_clear(st_value *v);

/* Total order, <0, 0, >0. Types of different classes order by type number
 * (PT_STRING8 and PT_UNICODE are one class); within a type: numbers by value
 * (NaN after everything, -0 == 0), booleans false < true, PT_SYSTIME and
 * PT_CURRENCY as integers, binaries memcmp then shorter first (SQLite's BLOB
 * order), GUIDs by their wire bytes, multi-valued element by element then
 * shorter first. Strings: flags 0 compares code points (strcmp); FL_IGNORECASE,
 * FL_IGNORENONSPACE, FL_LOOSE as st_utf8_collate. The property ids are not
 * compared. */
int st_value_compare(const st_value *a, const st_value *b, uint32_t flags);

/* The size RES_SIZE compares, in bytes, as Outlook would count it: PT_I2 2,
 * PT_LONG/PT_R4/PT_ERROR 4, PT_BOOLEAN 2 (MAPI's unsigned short), 8-byte
 * types 8, PT_CLSID 16, PT_BINARY (and the opaque types) len, PT_UNICODE the
 * UTF-16 bytes including the terminator (what Outlook sees), PT_STRING8 the
 * UTF-8 bytes including the terminator (our 8-bit form), PT_NULL/PT_OBJECT 0,
 * multi-valued the sum over the values. */
uint64_t st_value_size(const st_value *v);

/* Views: st_value structs that BORROW their data, to pass to st_bag_set,
 * st_res_property ... which copy. Never st_value_clear a view. */
static inline st_value st_view_long(uint32_t tag, int32_t l)
{
    st_value v = { .tag = tag };
    v.v.l = l;
    return v;
}
static inline st_value st_view_bool(uint32_t tag, int b)
{
    st_value v = { .tag = tag };
    v.v.b = b != 0;
    return v;
}
static inline st_value st_view_double(uint32_t tag, double d)
{
    st_value v = { .tag = tag };
    v.v.dbl = d;
    return v;
}
static inline st_value st_view_i8(uint32_t tag, int64_t li)
{
    st_value v = { .tag = tag };
    v.v.li = li;
    return v;
}
static inline st_value st_view_systime(uint32_t tag, uint64_t ft)
{
    st_value v = { .tag = tag };
    v.v.ft = ft;
    return v;
}
static inline st_value st_view_str(uint32_t tag, const char *s)
{
    st_value v = { .tag = tag };
    v.v.str = (char *)(uintptr_t)s;            /* borrowed */
    return v;
}
static inline st_value st_view_bin(uint32_t tag, const void *data, uint32_t len)
{
    st_value v = { .tag = tag };
    v.v.bin.len = len;
    v.v.bin.data = (uint8_t *)(uintptr_t)data;
    return v;
}
static inline st_value st_view_guid(uint32_t tag, const st_guid *g)
{
    st_value v = { .tag = tag };
    v.v.guid = (st_guid *)(uintptr_t)g;
    return v;
}
static inline st_value st_view_mv_str(uint32_t tag, const char *const *strs, uint32_t n)
{
    st_value v = { .tag = tag };
    v.v.mv.n = n;
    v.v.mv.str = (char **)(uintptr_t)strs;
    return v;
}

/* ---- Property bags ----
 * A set of values keyed by property id (one value per id), kept sorted by id.
 * Lookups match by id; a tag's type selects compatible values only. */

typedef struct st_bag st_bag;

st_bag *st_bag_new(void);                   /* NULL when out of memory */
void st_bag_free(st_bag *bag);              /* NULL-safe */
st_bag *st_bag_dup(const st_bag *bag);      /* deep copy; NULL when out of memory */

/* The value with tag's id, borrowed (valid until the bag changes), or NULL.
 * Type rules: PT_UNSPECIFIED matches any value; PT_STRING8 and PT_UNICODE
 * match each other (also as PT_MV_*); a tag with MV_INSTANCE matches the
 * multi-valued value or a single value of its base type (a row of a table
 * expanded per value); otherwise the types must be equal. */
const st_value *st_bag_get(const st_bag *bag, uint32_t tag);

/* Deep copy of v (as st_value_copy) into the bag, replacing the value with
 * the same id; the tag is kept as given (PT_STRING8 stays PT_STRING8).
 * Refuses PT_UNSPECIFIED, PT_NULL, MV_INSTANCE, invalid types and the ids
 * PROP_ID_NULL and PROP_ID_INVALID. 0, or -1 and the bag is unchanged. */
int st_bag_set(st_bag *bag, const st_value *v);

/* Convenience setters: st_bag_set with a view; -1 if tag's type does not fit
 * (long: PT_LONG, bool: PT_BOOLEAN, double: PT_DOUBLE or PT_APPTIME, i8:
 * PT_I8 or PT_CURRENCY, systime: PT_SYSTIME, str: PT_UNICODE or PT_STRING8,
 * bin: PT_BINARY, guid: PT_CLSID). set_strn takes len bytes of s and stops at
 * a NUL among them (a MAPI string ends at its NUL); a NULL s is "". */
int st_bag_set_long(st_bag *bag, uint32_t tag, int32_t l);
int st_bag_set_bool(st_bag *bag, uint32_t tag, int b);
int st_bag_set_double(st_bag *bag, uint32_t tag, double d);
int st_bag_set_i8(st_bag *bag, uint32_t tag, int64_t li);
int st_bag_set_systime(st_bag *bag, uint32_t tag, uint64_t ft);
int st_bag_set_str(st_bag *bag, uint32_t tag, const char *s);
int st_bag_set_strn(st_bag *bag, uint32_t tag, const char *s, size_t len);
/* st_bag_set_strn for a malloc'd s of at least len + 1 bytes, which the bag
 * takes over whatever it returns: valid UTF-8 without NUL (checked here)
 * becomes the value as it is, without a copy (big bodies); else a repaired
 * copy, as set_strn makes, and s is freed. */
int st_bag_take_strn(st_bag *bag, uint32_t tag, char *s, size_t len);
int st_bag_set_bin(st_bag *bag, uint32_t tag, const void *data, uint32_t len);
int st_bag_set_guid(st_bag *bag, uint32_t tag, const st_guid *g);

/* Removes the value with tag's id (type rules of st_bag_get): 0, or
 * ST_ENOTFOUND. */
int st_bag_delete(st_bag *bag, uint32_t tag);

/* Listing in ascending property id: st_bag_at(bag, i) for i < count,
 * borrowed; NULL past the end. */
size_t st_bag_count(const st_bag *bag);
const st_value *st_bag_at(const st_bag *bag, size_t i);

/* IMAPIProp::CopyTo between bags: every value of src whose id is not among
 * the n_exclude tags of exclude (compared by id only) is copied into dst,
 * replacing what dst has under that id, or, with ST_COPY_NOREPLACE, leaving
 * dst's value. All or nothing: 0, or -1 and dst is unchanged. */
#define ST_COPY_NOREPLACE 0x1u
int st_bag_copy_to(st_bag *dst, const st_bag *src, const uint32_t *exclude,
    size_t n_exclude, unsigned flags);

/* ---- Named property names (MAPINAMEID) ----
 * The map from names to ids 0x8000-0xFFFE belongs to storage. */

#define ST_MNID_ID 0
#define ST_MNID_STRING 1

typedef struct st_propname {
    st_guid guid;     /* property set */
    int kind;         /* ST_MNID_ID or ST_MNID_STRING */
    uint32_t lid;     /* ST_MNID_ID: the numeric name */
    char *name;       /* ST_MNID_STRING: UTF-8, owned; NULL for ST_MNID_ID */
} st_propname;

/* Total order: GUID (wire bytes), kind, then lid or name. Names compare
 * byte for byte: MAPI's FEqualNames is case-sensitive. */
int st_propname_compare(const st_propname *a, const st_propname *b);
/* Deep copy (name checked as UTF-8): 0, or -1 and *out is empty. */
int st_propname_copy(st_propname *out, const st_propname *src);
/* Frees the name; NULL-safe. */
void st_propname_clear(st_propname *pn);

/* ---- Restrictions: SRestriction as data ----
 * Build trees with the st_res_* constructors. Each constructor takes
 * ownership of the child restrictions passed to it, also when it fails, and
 * fails (returns NULL) when a child is NULL, so nested calls need no checks
 * in between:
 *
 *   st_value v = st_view_str(PR_SUBJECT_W, "report");
 *   st_restriction *r = st_res_and(2, st_res_exist(PR_SUBJECT_W),
 *       st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &v));
 *   if (!r) ... out of memory ...
 *
 * Values are copied. Trees are at most ST_RES_MAX_DEPTH deep (the
 * constructors refuse deeper ones), so walking them recursively is safe.
 * Read the fields freely (storage turns trees into SQL); never build or
 * change nodes by hand. */

#define ST_RES_MAX_DEPTH 64

typedef struct st_restriction st_restriction;
struct st_restriction {
    uint32_t rt;      /* RES_* */
    uint32_t depth;   /* 1 for a leaf, 1 + the deepest child; set by the constructors */
    union {
        struct {
            uint32_t n;               /* number of children */
            st_restriction **kids;    /* n children, owned */
        } and_or;                     /* RES_AND, RES_OR */
        struct {
            st_restriction *kid;      /* owned */
        } not_;                       /* RES_NOT */
        struct {
            uint32_t fuzzy;           /* FL_* */
            uint32_t tag;             /* property searched */
            st_value value;           /* the string or binary searched for */
        } content;                    /* RES_CONTENT */
        struct {
            uint32_t relop;           /* RELOP_* */
            uint32_t tag;             /* property compared */
            st_value value;           /* constant it is compared with */
        } prop;                       /* RES_PROPERTY */
        struct {
            uint32_t relop;           /* RELOP_* */
            uint32_t tag1;            /* left operand */
            uint32_t tag2;            /* right operand */
        } cmp;                        /* RES_COMPAREPROPS */
        struct {
            uint32_t bmr;             /* BMR_EQZ or BMR_NEZ */
            uint32_t tag;             /* a PT_LONG property */
            uint32_t mask;            /* bits tested */
        } bitmask;                    /* RES_BITMASK */
        struct {
            uint32_t relop;           /* RELOP_* */
            uint32_t tag;             /* property measured */
            uint32_t cb;              /* size compared with (st_value_size) */
        } size;                       /* RES_SIZE */
        struct {
            uint32_t tag;             /* property that must exist */
        } exist;                      /* RES_EXIST */
        struct {
            uint32_t subobject;       /* PR_MESSAGE_RECIPIENTS or PR_MESSAGE_ATTACHMENTS */
            st_restriction *kid;      /* owned; applied to each row */
        } sub;                        /* RES_SUBRESTRICTION */
        struct {
            uint32_t n;               /* number of values */
            st_value *values;         /* n comments, owned */
            st_restriction *kid;      /* owned; NULL: evaluates as true */
        } comment;                    /* RES_COMMENT */
    } u;
};

st_restriction *st_res_and(size_t n, ...);                /* n st_restriction * */
st_restriction *st_res_or(size_t n, ...);
st_restriction *st_res_and_array(size_t n, st_restriction **kids); /* takes the kids, not the array */
st_restriction *st_res_or_array(size_t n, st_restriction **kids);
st_restriction *st_res_not(st_restriction *kid);
st_restriction *st_res_content(uint32_t fuzzy, uint32_t tag, const st_value *value);
st_restriction *st_res_property(uint32_t relop, uint32_t tag, const st_value *value);
st_restriction *st_res_compareprops(uint32_t relop, uint32_t tag1, uint32_t tag2);
st_restriction *st_res_bitmask(uint32_t bmr, uint32_t tag, uint32_t mask);
st_restriction *st_res_size(uint32_t relop, uint32_t tag, uint32_t cb);
st_restriction *st_res_exist(uint32_t tag);
st_restriction *st_res_sub(uint32_t subobject, st_restriction *kid);
st_restriction *st_res_comment(const st_value *values, size_t n, st_restriction *kid);
/* A comment without a restriction (evaluates as true); st_res_comment
 * refuses a NULL kid so that a failed constructor is never taken for it. */
st_restriction *st_res_comment_alone(const st_value *values, size_t n);

void st_res_free(st_restriction *r);                      /* NULL-safe */
st_restriction *st_res_copy(const st_restriction *r);     /* NULL when out of memory */

/* 0 when st_res_eval can evaluate every node of r; -1 for what MAPI calls
 * MAPI_E_TOO_COMPLEX: RELOP_RE or an unknown relop/BMR/fuzzy level, RES_CONTENT
 * on a type other than string or binary, operand types that do not match,
 * RES_BITMASK on a non-PT_LONG, an unknown subobject. Check a restriction
 * once when it arrives (IMAPITable::Restrict), then evaluate it per row. */
int st_res_check(const st_restriction *r);

/* Rows of a message's subobject table for RES_SUBRESTRICTION: set *rows to
 * n borrowed bags (valid until st_res_eval returns) for subobject
 * PR_MESSAGE_RECIPIENTS or PR_MESSAGE_ATTACHMENTS; return 0, or -1. Called
 * only when a RES_SUBRESTRICTION is evaluated, so rows can be loaded lazily. */
typedef int (*st_res_rows_fn)(void *ctx, uint32_t subobject,
    const st_bag *const **rows, size_t *n);

typedef struct st_res_subobjects {
    st_res_rows_fn rows;  /* the callback */
    void *ctx;            /* passed to it */
} st_res_subobjects;

/* Evaluates r against one object's properties: 1 match, 0 no match, -1
 * error (what st_res_check refuses, a subrestriction without sub, a failing
 * callback). Children are evaluated in order and AND/OR stop at the first
 * decisive one, so an error after it goes unseen: call st_res_check first.
 *
 * Semantics (MAPI leaves the missing-property case undefined and recommends
 * failing, "Types of Restrictions" in the MAPI reference; we do):
 * - CONTENT, PROPERTY, COMPAREPROPS, BITMASK and SIZE on a property the bag
 *   does not have (or has with an incompatible type) are false; NOT of them
 *   is true. EXIST is true when st_bag_get finds the tag.
 * - Strings compare case-insensitively in PROPERTY and COMPAREPROPS (Unicode
 *   simple folding, as Exchange's collation does); CONTENT follows its FL_*
 *   flags: FL_IGNORECASE simple case folding, FL_IGNORENONSPACE drops
 *   nonspacing marks after canonical decomposition, FL_LOOSE both and full
 *   case folding (so "STRASSE" matches "straße" only with FL_LOOSE). On
 *   PT_BINARY, CONTENT compares bytes (FL_FULLSTRING/PREFIX/SUBSTRING).
 * - Multi-valued: a tag with MV_FLAG (with or without MV_INSTANCE) and a
 *   constant of the base type is true when ANY value satisfies it (the
 *   SPropertyRestriction remarks in the MAPI reference: the constant of a
 *   restriction on a multi-valued property has the type without MV_FLAG).
 *   With MV_INSTANCE a bag holding a single base-type value (a row expanded
 *   per value) is compared directly. A constant that is itself multi-valued
 *   compares whole values (PROPERTY only). Empty multi-valued: false.
 * - SUBRESTRICTION is true when any row of the subobject matches (rows get no
 *   subobjects of their own); COMMENT evaluates its child, or is true.
 * - AND of nothing is true, OR of nothing false. */
int st_res_eval(const st_restriction *r, const st_bag *bag, const st_res_subobjects *sub);

/* ---- Sort orders: SSortOrderSet as data ---- */

typedef struct st_sortorder {
    uint32_t tag;     /* column; MV columns carry MVI_FLAG */
    uint32_t order;   /* TABLE_SORT_ASCEND/DESCEND/COMBINE, | CATEG_MAX/MIN */
} st_sortorder;

typedef struct st_sortset {
    uint32_t n;              /* sort keys in orders */
    uint32_t n_categories;   /* leading keys that are categories (<= n) */
    uint32_t n_expanded;     /* categories shown expanded (<= n_categories) */
    st_sortorder orders[];   /* n keys, most significant first */
} st_sortset;

/* A set of n keys, zeroed (tags 0, ascending). NULL when out of memory. */
st_sortset *st_sortset_new(uint32_t n);
void st_sortset_free(st_sortset *s);                   /* NULL-safe */
st_sortset *st_sortset_copy(const st_sortset *s);      /* NULL when out of memory */
/* 0 when valid: counts consistent, known orders, no PT_UNSPECIFIED key,
 * MV_FLAG only together with MV_INSTANCE ([MS-OXCDATA] 2.13.1). Else -1. */
int st_sortset_check(const st_sortset *s);

/* Compares two rows by s: <0 when a sorts before b, 0 when no key tells them
 * apart (the caller breaks ties, e.g. by row id). Each key looks the column up
 * with st_bag_get rules; a missing value sorts before every present value
 * in ascending order and after them in descending order (as NULL in SQLite,
 * so sorting pushed into SQL agrees with this). Values compare with
 * st_value_compare(FL_IGNORECASE): strings case-insensitively. Categories
 * and aggregate (CATEG_MAX/MIN) keys compare like plain keys here: grouping
 * is the table's job. */
int st_bag_compare_sorted(const st_bag *a, const st_bag *b, const st_sortset *s);

/* ---- Unicode strings (UTF-8 in, never trusted) ----
 * Invalid UTF-8 reads as U+FFFD per maximal invalid subpart; a NUL ends a
 * string. len is a byte count; strlen() when the string is NUL-terminated.
 * Tables: Unicode 14.0 (tools/gen-casefold.py). */

/* 1 when s[0..len) is well-formed UTF-8 with no NUL, else 0. */
int st_utf8_valid(const char *s, size_t len);

/* Compares code point sequences after folding per flags: 0 plain code
 * points; FL_IGNORECASE simple case folding; FL_IGNORENONSPACE without
 * nonspacing marks (é == e); FL_LOOSE both and full case folding (ß == ss).
 * A consistent total order: usable as a SQLite collation. */
int st_utf8_collate(const char *a, size_t alen, const char *b, size_t blen, uint32_t flags);
/* st_utf8_collate(a, strlen(a), b, strlen(b), FL_IGNORECASE). */
int st_utf8_casecmp(const char *a, const char *b);

/* RES_CONTENT on strings: does text contain pattern per fuzzy (FL_FULLSTRING,
 * FL_PREFIX or FL_SUBSTRING | folding flags as st_utf8_collate)? 1 yes, 0 no,
 * -1 for an unknown match mode. An empty pattern is a prefix and substring
 * of everything. */
int st_utf8_match(const char *text, size_t tlen, const char *pattern, size_t plen, uint32_t fuzzy);

/* Writes s folded per flags (as st_utf8_collate) to out as NUL-terminated
 * UTF-8, at most size bytes with the NUL (nothing if size is 0); returns the
 * length of the whole folded string without the NUL (as snprintf: a result
 * >= size means it was cut, at a character boundary). For keys stored in
 * SQL: two strings collate equal iff their folded forms are equal. */
size_t st_utf8_fold(char *out, size_t size, const char *s, size_t len, uint32_t flags);

#endif /* MAPIDAV_PROPS_H */
