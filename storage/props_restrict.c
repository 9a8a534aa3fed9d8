/*
 * props_restrict.c: restrictions (SRestriction) as trees of data: building,
 * copying, freeing, checking, and evaluating them against a property bag.
 * The semantics are documented at st_res_eval in props.h.
 *
 * Invariant: a tree built by these constructors owns its nodes, children and
 * values, and no node is deeper than ST_RES_MAX_DEPTH, so every recursion
 * here is bounded.
 * Never: evaluate a node whose operands do not fit (return -1 instead), or
 * leak a child handed to a constructor that fails.
 */
#include <stdarg.h>
#include <string.h>

#include "storage/props_int.h"

/* Subobject tags: PR_MESSAGE_RECIPIENTS and PR_MESSAGE_ATTACHMENTS ([MS-OXPROPS]). */
#define SUB_RECIPIENTS PROP_TAG(PT_OBJECT, 0x0E12)
#define SUB_ATTACHMENTS PROP_TAG(PT_OBJECT, 0x0E13)

/* String comparisons of PROPERTY and COMPAREPROPS (see props.h). */
#define STRING_CMP FL_IGNORECASE

/* ---- Building ---- */

static st_restriction *node(uint32_t rt)
{
    st_restriction *r = st__calloc(1, sizeof *r);
    if (r) {
        r->rt = rt;
        r->depth = 1;
    }
    return r;
}

/* AND/OR over kids[0..n), an st__malloc'd array the node takes over. Frees
 * the kids and the array on failure. */
static st_restriction *make_list(uint32_t rt, size_t n, st_restriction **kids)
{
    st_restriction *r = NULL;
    uint32_t depth = 0;
    size_t i;
    int ok = n <= UINT32_MAX;

    for (i = 0; i < n; i++) {
        if (!kids[i])
            ok = 0;
        else if (kids[i]->depth > depth)
            depth = kids[i]->depth;
    }
    if (!ok || depth >= ST_RES_MAX_DEPTH || !(r = node(rt))) {
        for (i = 0; i < n; i++)
            st_res_free(kids[i]);
        st__free(kids);
        return NULL;
    }
    r->u.and_or.n = (uint32_t)n;
    r->u.and_or.kids = kids;
    r->depth = depth + 1;
    return r;
}

static st_restriction *make_va(uint32_t rt, size_t n, va_list ap)
{
    st_restriction **kids = NULL;
    size_t i;

    if (n && (n > SIZE_MAX / sizeof *kids || !(kids = st__malloc(n * sizeof *kids)))) {
        for (i = 0; i < n; i++)
            st_res_free(va_arg(ap, st_restriction *));
        return NULL;
    }
    for (i = 0; i < n; i++)
        kids[i] = va_arg(ap, st_restriction *);
    return make_list(rt, n, kids);
}

static st_restriction *make_array(uint32_t rt, size_t n, st_restriction **src)
{
    st_restriction **kids = NULL;
    size_t i;

    if (n && (n > SIZE_MAX / sizeof *kids || !(kids = st__malloc(n * sizeof *kids)))) {
        for (i = 0; i < n; i++)
            st_res_free(src[i]);
        return NULL;
    }
    if (n)
        memcpy(kids, src, n * sizeof *kids);
    return make_list(rt, n, kids);
}

st_restriction *st_res_and(size_t n, ...)
{
    st_restriction *r;
    va_list ap;
    va_start(ap, n);
    r = make_va(RES_AND, n, ap);
    va_end(ap);
    return r;
}

st_restriction *st_res_or(size_t n, ...)
{
    st_restriction *r;
    va_list ap;
    va_start(ap, n);
    r = make_va(RES_OR, n, ap);
    va_end(ap);
    return r;
}

st_restriction *st_res_and_array(size_t n, st_restriction **kids)
{
    return make_array(RES_AND, n, kids);
}

st_restriction *st_res_or_array(size_t n, st_restriction **kids)
{
    return make_array(RES_OR, n, kids);
}

/* A node with one child (NOT, SUBRESTRICTION). */
static st_restriction *make_one(uint32_t rt, st_restriction *kid)
{
    st_restriction *r;
    if (!kid)
        return NULL;
    if (kid->depth >= ST_RES_MAX_DEPTH || !(r = node(rt))) {
        st_res_free(kid);
        return NULL;
    }
    r->depth = kid->depth + 1;
    if (rt == RES_NOT)
        r->u.not_.kid = kid;
    else
        r->u.sub.kid = kid;
    return r;
}

st_restriction *st_res_not(st_restriction *kid)
{
    return make_one(RES_NOT, kid);
}

st_restriction *st_res_sub(uint32_t subobject, st_restriction *kid)
{
    st_restriction *r = make_one(RES_SUBRESTRICTION, kid);
    if (r)
        r->u.sub.subobject = subobject;
    return r;
}

/* CONTENT and PROPERTY share their layout: an operator, a tag, a value. */
static st_restriction *make_valued(uint32_t rt, uint32_t op, uint32_t tag, const st_value *value)
{
    st_restriction *r;
    if (!value || !(r = node(rt)))
        return NULL;
    if (rt == RES_CONTENT) {
        r->u.content.fuzzy = op;
        r->u.content.tag = tag;
        if (st_value_copy(&r->u.content.value, value) == 0)
            return r;
    } else {
        r->u.prop.relop = op;
        r->u.prop.tag = tag;
        if (st_value_copy(&r->u.prop.value, value) == 0)
            return r;
    }
    st__free(r);
    return NULL;
}

st_restriction *st_res_content(uint32_t fuzzy, uint32_t tag, const st_value *value)
{
    return make_valued(RES_CONTENT, fuzzy, tag, value);
}

st_restriction *st_res_property(uint32_t relop, uint32_t tag, const st_value *value)
{
    return make_valued(RES_PROPERTY, relop, tag, value);
}

st_restriction *st_res_compareprops(uint32_t relop, uint32_t tag1, uint32_t tag2)
{
    st_restriction *r = node(RES_COMPAREPROPS);
    if (r) {
        r->u.cmp.relop = relop;
        r->u.cmp.tag1 = tag1;
        r->u.cmp.tag2 = tag2;
    }
    return r;
}

st_restriction *st_res_bitmask(uint32_t bmr, uint32_t tag, uint32_t mask)
{
    st_restriction *r = node(RES_BITMASK);
    if (r) {
        r->u.bitmask.bmr = bmr;
        r->u.bitmask.tag = tag;
        r->u.bitmask.mask = mask;
    }
    return r;
}

st_restriction *st_res_size(uint32_t relop, uint32_t tag, uint32_t cb)
{
    st_restriction *r = node(RES_SIZE);
    if (r) {
        r->u.size.relop = relop;
        r->u.size.tag = tag;
        r->u.size.cb = cb;
    }
    return r;
}

st_restriction *st_res_exist(uint32_t tag)
{
    st_restriction *r = node(RES_EXIST);
    if (r)
        r->u.exist.tag = tag;
    return r;
}

/* Copies n values into a fresh array; NULL on failure (nothing left over). */
static st_value *copy_values(const st_value *values, size_t n)
{
    st_value *out;
    size_t i;
    if (!(out = st__calloc(n, sizeof *out)))
        return NULL;
    for (i = 0; i < n; i++) {
        if (st_value_copy(&out[i], &values[i]) < 0) {
            while (i-- > 0)
                st_value_clear(&out[i]);
            st__free(out);
            return NULL;
        }
    }
    return out;
}

static st_restriction *make_comment(const st_value *values, size_t n, st_restriction *kid)
{
    st_restriction *r = NULL;
    st_value *copy = NULL;

    if (n > UINT32_MAX || (n && !values) || (kid && kid->depth >= ST_RES_MAX_DEPTH))
        goto fail;
    if (n && !(copy = copy_values(values, n)))
        goto fail;
    if (!(r = node(RES_COMMENT))) {
        size_t i;
        for (i = 0; i < n; i++)
            st_value_clear(&copy[i]);
        st__free(copy);
        goto fail;
    }
    r->u.comment.n = (uint32_t)n;
    r->u.comment.values = copy;
    r->u.comment.kid = kid;
    r->depth = kid ? kid->depth + 1 : 1;
    return r;
fail:
    st_res_free(kid);
    return NULL;
}

st_restriction *st_res_comment(const st_value *values, size_t n, st_restriction *kid)
{
    if (!kid)
        return NULL;
    return make_comment(values, n, kid);
}

st_restriction *st_res_comment_alone(const st_value *values, size_t n)
{
    return make_comment(values, n, NULL);
}

void st_res_free(st_restriction *r)
{
    uint32_t i;
    if (!r)
        return;
    switch (r->rt) {
    case RES_AND: case RES_OR:
        for (i = 0; i < r->u.and_or.n; i++)
            st_res_free(r->u.and_or.kids[i]);
        st__free(r->u.and_or.kids);
        break;
    case RES_NOT:
        st_res_free(r->u.not_.kid);
        break;
    case RES_CONTENT:
        st_value_clear(&r->u.content.value);
        break;
    case RES_PROPERTY:
        st_value_clear(&r->u.prop.value);
        break;
    case RES_SUBRESTRICTION:
        st_res_free(r->u.sub.kid);
        break;
    case RES_COMMENT:
        for (i = 0; i < r->u.comment.n; i++)
            st_value_clear(&r->u.comment.values[i]);
        st__free(r->u.comment.values);
        st_res_free(r->u.comment.kid);
        break;
    default:
        break;
    }
    st__free(r);
}

st_restriction *st_res_copy(const st_restriction *r)
{
    st_restriction **kids;
    uint32_t i;

    switch (r->rt) {
    case RES_AND: case RES_OR:
        kids = NULL;
        if (r->u.and_or.n && !(kids = st__calloc(r->u.and_or.n, sizeof *kids)))
            return NULL;
        for (i = 0; i < r->u.and_or.n; i++) {
            if (!(kids[i] = st_res_copy(r->u.and_or.kids[i]))) {
                while (i-- > 0)
                    st_res_free(kids[i]);
                st__free(kids);
                return NULL;
            }
        }
        return make_list(r->rt, r->u.and_or.n, kids);
    case RES_NOT:
        return st_res_not(st_res_copy(r->u.not_.kid));
    case RES_CONTENT:
        return st_res_content(r->u.content.fuzzy, r->u.content.tag, &r->u.content.value);
    case RES_PROPERTY:
        return st_res_property(r->u.prop.relop, r->u.prop.tag, &r->u.prop.value);
    case RES_COMPAREPROPS:
        return st_res_compareprops(r->u.cmp.relop, r->u.cmp.tag1, r->u.cmp.tag2);
    case RES_BITMASK:
        return st_res_bitmask(r->u.bitmask.bmr, r->u.bitmask.tag, r->u.bitmask.mask);
    case RES_SIZE:
        return st_res_size(r->u.size.relop, r->u.size.tag, r->u.size.cb);
    case RES_EXIST:
        return st_res_exist(r->u.exist.tag);
    case RES_SUBRESTRICTION:
        return st_res_sub(r->u.sub.subobject, st_res_copy(r->u.sub.kid));
    case RES_COMMENT:
        if (!r->u.comment.kid)
            return st_res_comment_alone(r->u.comment.values, r->u.comment.n);
        return st_res_comment(r->u.comment.values, r->u.comment.n, st_res_copy(r->u.comment.kid));
    default:
        st__fail("unknown restriction type");
        return NULL;
    }
}

/* ---- Checking ---- */

static int relop_ok(uint32_t relop)
{
    return relop <= RELOP_NE;           /* RELOP_RE is not supported */
}

/* Type the operand tag of CONTENT/PROPERTY accepts as constant: tag's class,
 * or its base class when the tag is multi-valued. */
static int constant_fits(uint32_t tag, const st_value *value)
{
    uint32_t tt = st__type_class(PROP_TYPE(tag));
    uint32_t vt = st__type_class(PROP_TYPE(value->tag));
    if (PROP_TYPE(tag) == PT_UNSPECIFIED)
        return 0;
    return vt == tt || ((tt & MV_FLAG) && vt == (tt & ~(uint32_t)MV_FLAG));
}

/* This node alone: 0 when it can be evaluated, else -1. */
static int check_node(const st_restriction *r)
{
    uint32_t mode, base;

    switch (r->rt) {
    case RES_AND: case RES_OR: case RES_NOT: case RES_EXIST:
        return 0;
    case RES_COMMENT:
        return 0;
    case RES_CONTENT:
        mode = r->u.content.fuzzy & 0xFFFF;
        base = st__type_class(PROP_TYPE(r->u.content.tag)) & ~(uint32_t)MV_FLAG;
        if (mode != FL_FULLSTRING && mode != FL_SUBSTRING && mode != FL_PREFIX)
            return st__fail("RES_CONTENT: unknown fuzzy level");
        if (base != PT_UNICODE && base != PT_BINARY)
            return st__fail("RES_CONTENT on a property that is no string or binary");
        if (st__type_class(PROP_TYPE(r->u.content.value.tag)) != base)
            return st__fail("RES_CONTENT: the value does not fit the property type");
        return 0;
    case RES_PROPERTY:
        if (!relop_ok(r->u.prop.relop))
            return st__fail("RES_PROPERTY: unsupported relational operator");
        if (!constant_fits(r->u.prop.tag, &r->u.prop.value))
            return st__fail("RES_PROPERTY: the value does not fit the property type");
        return 0;
    case RES_COMPAREPROPS:
        if (!relop_ok(r->u.cmp.relop))
            return st__fail("RES_COMPAREPROPS: unsupported relational operator");
        if (PROP_TYPE(r->u.cmp.tag1) == PT_UNSPECIFIED ||
            st__type_class(PROP_TYPE(r->u.cmp.tag1)) != st__type_class(PROP_TYPE(r->u.cmp.tag2)))
            return st__fail("RES_COMPAREPROPS: the property types differ");
        return 0;
    case RES_BITMASK:
        if (r->u.bitmask.bmr != BMR_EQZ && r->u.bitmask.bmr != BMR_NEZ)
            return st__fail("RES_BITMASK: unknown operator");
        if (PROP_TYPE(r->u.bitmask.tag) != PT_LONG)
            return st__fail("RES_BITMASK on a property that is no PT_LONG");
        return 0;
    case RES_SIZE:
        if (!relop_ok(r->u.size.relop))
            return st__fail("RES_SIZE: unsupported relational operator");
        return 0;
    case RES_SUBRESTRICTION:
        if (r->u.sub.subobject != SUB_RECIPIENTS && r->u.sub.subobject != SUB_ATTACHMENTS)
            return st__fail("RES_SUBRESTRICTION: unknown subobject");
        return 0;
    default:
        return st__fail("unknown restriction type");
    }
}

static int check(const st_restriction *r, unsigned depth)
{
    uint32_t i;
    if (depth > ST_RES_MAX_DEPTH)
        return st__fail("restriction nested too deeply");
    if (check_node(r) < 0)
        return -1;
    switch (r->rt) {
    case RES_AND: case RES_OR:
        for (i = 0; i < r->u.and_or.n; i++)
            if (check(r->u.and_or.kids[i], depth + 1) < 0)
                return -1;
        return 0;
    case RES_NOT:
        return check(r->u.not_.kid, depth + 1);
    case RES_SUBRESTRICTION:
        return check(r->u.sub.kid, depth + 1);
    case RES_COMMENT:
        return r->u.comment.kid ? check(r->u.comment.kid, depth + 1) : 0;
    default:
        return 0;
    }
}

int st_res_check(const st_restriction *r)
{
    return check(r, 1);
}

/* ---- Evaluating ---- */

static int relop_holds(uint32_t relop, int c)
{
    switch (relop) {
    case RELOP_LT: return c < 0;
    case RELOP_LE: return c <= 0;
    case RELOP_GT: return c > 0;
    case RELOP_GE: return c >= 0;
    case RELOP_EQ: return c == 0;
    default: return c != 0;            /* RELOP_NE; others refused by check_node */
    }
}

static int is_mv(const st_value *v)
{
    return (PROP_TYPE(v->tag) & MV_FLAG) != 0;
}

/* relop between a and b; when exactly one of them is multi-valued (and the
 * other of its base type), true if it holds for any of its values. */
static int compare_any(uint32_t relop, const st_value *a, const st_value *b)
{
    uint32_t i;
    if (is_mv(a) && !is_mv(b)) {
        for (i = 0; i < a->v.mv.n; i++) {
            st_value e = st__mv_elem_view(a, i);
            if (relop_holds(relop, st_value_compare(&e, b, STRING_CMP)))
                return 1;
        }
        return 0;
    }
    if (!is_mv(a) && is_mv(b)) {
        for (i = 0; i < b->v.mv.n; i++) {
            st_value e = st__mv_elem_view(b, i);
            if (relop_holds(relop, st_value_compare(a, &e, STRING_CMP)))
                return 1;
        }
        return 0;
    }
    return relop_holds(relop, st_value_compare(a, b, STRING_CMP));
}

static int bin_match(const st_bin *text, const st_bin *pat, uint32_t mode)
{
    uint32_t i;
    if (pat->len > text->len)
        return 0;
    if (pat->len == 0)
        return mode != FL_FULLSTRING || text->len == 0;
    if (mode == FL_FULLSTRING)
        return text->len == pat->len && memcmp(text->data, pat->data, pat->len) == 0;
    if (mode == FL_PREFIX)
        return memcmp(text->data, pat->data, pat->len) == 0;
    for (i = 0; i + pat->len <= text->len; i++)
        if (text->data[i] == pat->data[0] && memcmp(text->data + i, pat->data, pat->len) == 0)
            return 1;
    return 0;
}

/* CONTENT on one single value v (string or binary) with constant pat. */
static int content_one(const st_value *v, const st_value *pat, uint32_t fuzzy)
{
    if (st__type_class(PROP_TYPE(v->tag)) == PT_UNICODE) {
        const char *t = v->v.str ? v->v.str : "", *p = pat->v.str ? pat->v.str : "";
        return st_utf8_match(t, strlen(t), p, strlen(p), fuzzy) == 1;
    }
    return bin_match(&v->v.bin, &pat->v.bin, fuzzy & 0xFFFF);
}

static int eval(const st_restriction *r, const st_bag *bag, const st_res_subobjects *sub,
    unsigned depth);

static int eval_sub(const st_restriction *r, const st_res_subobjects *sub, unsigned depth)
{
    const st_bag *const *rows = NULL;
    size_t n = 0, i;

    if (!sub || !sub->rows)
        return st__fail("RES_SUBRESTRICTION without subobject rows");
    if (sub->rows(sub->ctx, r->u.sub.subobject, &rows, &n) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        int m = eval(r->u.sub.kid, rows[i], NULL, depth + 1);
        if (m != 0)
            return m;                   /* 1: a row matched; -1: error */
    }
    return 0;
}

static int eval(const st_restriction *r, const st_bag *bag, const st_res_subobjects *sub,
    unsigned depth)
{
    const st_value *a, *b;
    uint32_t i;
    int m;

    if (depth > ST_RES_MAX_DEPTH)
        return st__fail("restriction nested too deeply");
    if (check_node(r) < 0)
        return -1;
    switch (r->rt) {
    case RES_AND:
    case RES_OR:
        for (i = 0; i < r->u.and_or.n; i++) {
            m = eval(r->u.and_or.kids[i], bag, sub, depth + 1);
            if (m < 0)
                return -1;
            if (m == (r->rt == RES_OR))
                return m;               /* decisive: false for AND, true for OR */
        }
        return r->rt == RES_AND;
    case RES_NOT:
        m = eval(r->u.not_.kid, bag, sub, depth + 1);
        return m < 0 ? -1 : !m;
    case RES_CONTENT:
        if (!(a = st_bag_get(bag, r->u.content.tag)))
            return 0;
        if (!is_mv(a))
            return content_one(a, &r->u.content.value, r->u.content.fuzzy);
        for (i = 0; i < a->v.mv.n; i++) {
            st_value e = st__mv_elem_view(a, i);
            if (content_one(&e, &r->u.content.value, r->u.content.fuzzy))
                return 1;
        }
        return 0;
    case RES_PROPERTY:
        if (!(a = st_bag_get(bag, r->u.prop.tag)))
            return 0;
        return compare_any(r->u.prop.relop, a, &r->u.prop.value);
    case RES_COMPAREPROPS:
        if (!(a = st_bag_get(bag, r->u.cmp.tag1)) || !(b = st_bag_get(bag, r->u.cmp.tag2)))
            return 0;
        return compare_any(r->u.cmp.relop, a, b);
    case RES_BITMASK:
        if (!(a = st_bag_get(bag, r->u.bitmask.tag)))
            return 0;
        m = ((uint32_t)a->v.l & r->u.bitmask.mask) == 0;
        return r->u.bitmask.bmr == BMR_EQZ ? m : !m;
    case RES_SIZE: {
        uint64_t size;
        if (!(a = st_bag_get(bag, r->u.size.tag)))
            return 0;
        size = st_value_size(a);
        return relop_holds(r->u.size.relop, size < r->u.size.cb ? -1 : size > r->u.size.cb);
    }
    case RES_EXIST:
        return st_bag_get(bag, r->u.exist.tag) != NULL;
    case RES_SUBRESTRICTION:
        return eval_sub(r, sub, depth);
    case RES_COMMENT:
        return r->u.comment.kid ? eval(r->u.comment.kid, bag, sub, depth + 1) : 1;
    default:
        return -1;                      /* refused by check_node */
    }
}

int st_res_eval(const st_restriction *r, const st_bag *bag, const st_res_subobjects *sub)
{
    return eval(r, bag, sub, 1);
}
