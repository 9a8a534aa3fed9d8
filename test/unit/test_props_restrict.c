/*
 * test_props_restrict.c: restrictions of every kind built, copied, checked
 * and evaluated: missing and multi-valued properties (with and without
 * MV_INSTANCE), every CONTENT fuzzy level, NOT/AND/OR nesting, BITMASK,
 * SIZE, EXIST, SUBRESTRICTION on recipients, COMMENT, depth limits.
 */
#include <string.h>

#include "storage/props.h"
#include "testutil.h"

#define PR_SUBJECT_W PROP_TAG(PT_UNICODE, 0x0037)
#define PR_SUBJECT_A PROP_TAG(PT_STRING8, 0x0037)
#define PR_BODY_W PROP_TAG(PT_UNICODE, 0x1000)
#define PR_IMPORTANCE PROP_TAG(PT_LONG, 0x0017)
#define PR_MESSAGE_FLAGS PROP_TAG(PT_LONG, 0x0E07)
#define PR_MESSAGE_SIZE PROP_TAG(PT_LONG, 0x0E08)
#define PR_FLAG_STATUS PROP_TAG(PT_LONG, 0x1090)          /* never set: missing */
#define PR_ENTRYID PROP_TAG(PT_BINARY, 0x0FFF)
#define PR_SENDER_NAME_W PROP_TAG(PT_UNICODE, 0x0C1A)
#define PR_DISPLAY_TO_W PROP_TAG(PT_UNICODE, 0x0E04)
#define PR_HASATTACH PROP_TAG(PT_BOOLEAN, 0x0E1B)
#define KEYWORDS PROP_TAG(PT_MV_UNICODE, 0x8001)
#define NUMBERS PROP_TAG(PT_MV_LONG, 0x8002)
#define EMPTY_MV PROP_TAG(PT_MV_LONG, 0x8003)
#define PR_RECIPIENT_TYPE PROP_TAG(PT_LONG, 0x0C15)
#define PR_SMTP_ADDRESS_W PROP_TAG(PT_UNICODE, 0x39FE)
#define PR_MESSAGE_RECIPIENTS PROP_TAG(PT_OBJECT, 0x0E12)
#define PR_MESSAGE_ATTACHMENTS PROP_TAG(PT_OBJECT, 0x0E13)

static st_bag *msg;

/* Evaluate r on msg, free it, return the result. A NULL r (a constructor
 * failed) counts as -2 so it shows in the message. */
static int ev(st_restriction *r)
{
    int m;
    if (!r)
        return -2;
    m = st_res_eval(r, msg, NULL);
    st_res_free(r);
    return m;
}

static int chk(st_restriction *r)
{
    int c;
    if (!r)
        return -2;
    c = st_res_check(r);
    st_res_free(r);
    return c;
}

static st_restriction *prop_long(uint32_t relop, uint32_t tag, int32_t l)
{
    st_value v = st_view_long(PROP_TAG(PT_LONG, PROP_ID(tag)), l);
    return st_res_property(relop, tag, &v);
}

static st_restriction *prop_str(uint32_t relop, uint32_t tag, const char *s)
{
    st_value v = st_view_str(PROP_TAG(PT_UNICODE, PROP_ID(tag)), s);
    return st_res_property(relop, tag, &v);
}

static st_restriction *content(uint32_t fuzzy, uint32_t tag, const char *s)
{
    st_value v = st_view_str(PROP_TAG(PT_UNICODE, PROP_ID(tag)), s);
    return st_res_content(fuzzy, tag, &v);
}

static st_restriction *content_bin(uint32_t fuzzy, const void *data, uint32_t len)
{
    st_value v = st_view_bin(PR_ENTRYID, data, len);
    return st_res_content(fuzzy, PR_ENTRYID, &v);
}

static void setup(void)
{
    const char *kw[] = {"Rot", "Blau", "Grün"};
    int32_t nums[] = {1, 5, 9};
    st_value v;

    msg = st_bag_new();
    st_bag_set_str(msg, PR_SUBJECT_W, "Ärger im Büro: Résumé");
    st_bag_set_str(msg, PR_BODY_W, "Treffen in der Hauptstraße 5, bitte pünktlich.");
    st_bag_set_long(msg, PR_IMPORTANCE, 2);
    st_bag_set_long(msg, PR_MESSAGE_FLAGS, 0x11);
    st_bag_set_long(msg, PR_MESSAGE_SIZE, 2048);
    st_bag_set_bin(msg, PR_ENTRYID, "\x00\x01\x02\x03\xAB", 5);
    st_bag_set_str(msg, PR_SENDER_NAME_W, "Ann Smith");
    st_bag_set_str(msg, PR_DISPLAY_TO_W, "ann SMITH");
    st_bag_set_bool(msg, PR_HASATTACH, 1);
    v = st_view_mv_str(KEYWORDS, kw, 3);
    st_bag_set(msg, &v);
    v = (st_value){ .tag = NUMBERS };
    v.v.mv.n = 3;
    v.v.mv.l = nums;
    st_bag_set(msg, &v);
    v = (st_value){ .tag = EMPTY_MV };
    st_bag_set(msg, &v);
    ok(st_bag_count(msg) == 12, "setup: %zu values\n", st_bag_count(msg));
}

static void test_exist(void)
{
    ok(ev(st_res_exist(PR_SUBJECT_W)) == 1, "exist\n");
    ok(ev(st_res_exist(PR_SUBJECT_A)) == 1, "exist as PT_STRING8\n");
    ok(ev(st_res_exist(PROP_TAG(PT_UNSPECIFIED, 0x0037))) == 1, "exist any type\n");
    ok(ev(st_res_exist(PROP_TAG(PT_LONG, 0x0037))) == 0, "exist wrong type\n");
    ok(ev(st_res_exist(PR_FLAG_STATUS)) == 0, "exist missing\n");
    ok(ev(st_res_not(st_res_exist(PR_FLAG_STATUS))) == 1, "not exist missing\n");
    ok(ev(st_res_exist(MVI_PROP(KEYWORDS))) == 1, "exist MVI\n");
}

static void test_property(void)
{
    static const uint32_t relops[] = {RELOP_LT, RELOP_LE, RELOP_GT, RELOP_GE, RELOP_EQ, RELOP_NE};
    static const int below[] = {0, 0, 1, 1, 0, 1};     /* 2048 relop 1000 */
    static const int equal[] = {0, 1, 0, 1, 1, 0};     /* 2048 relop 2048 */
    static const int above[] = {1, 1, 0, 0, 0, 1};     /* 2048 relop 4096 */
    size_t k;
    st_value v;

    for (k = 0; k < 6; k++) {
        ok(ev(prop_long(relops[k], PR_MESSAGE_SIZE, 1000)) == below[k], "relop %u below\n", relops[k]);
        ok(ev(prop_long(relops[k], PR_MESSAGE_SIZE, 2048)) == equal[k], "relop %u equal\n", relops[k]);
        ok(ev(prop_long(relops[k], PR_MESSAGE_SIZE, 4096)) == above[k], "relop %u above\n", relops[k]);
        /* Missing: false for every relop, and NOT of it true. */
        ok(ev(prop_long(relops[k], PR_FLAG_STATUS, 0)) == 0, "relop %u missing\n", relops[k]);
        ok(ev(st_res_not(prop_long(relops[k], PR_FLAG_STATUS, 0))) == 1, "not relop %u missing\n",
           relops[k]);
    }
    ok(ev(prop_long(RELOP_RE, PR_MESSAGE_SIZE, 1)) == -1, "RELOP_RE refused\n");
    ok(chk(prop_long(RELOP_RE, PR_MESSAGE_SIZE, 1)) == -1, "RELOP_RE fails the check\n");
    ok(ev(prop_long(99, PR_MESSAGE_SIZE, 1)) == -1, "unknown relop\n");

    /* Strings compare case-insensitively. */
    ok(ev(prop_str(RELOP_EQ, PR_SUBJECT_W, "ärger im büro: résumé")) == 1, "string eq\n");
    ok(ev(prop_str(RELOP_EQ, PR_SUBJECT_A, "ÄRGER IM BÜRO: RÉSUMÉ")) == 1, "string8 eq\n");
    ok(ev(prop_str(RELOP_EQ, PR_SUBJECT_W, "Ärger")) == 0, "string eq is whole\n");
    ok(ev(prop_str(RELOP_GT, PR_SUBJECT_W, "ärger")) == 1, "string gt\n");
    ok(ev(prop_str(RELOP_LT, PR_SUBJECT_W, "z")) == 0, "string lt: Ä (U+E4) > z\n");

    /* Operand types must fit. */
    v = st_view_str(PR_SUBJECT_W, "x");
    ok(ev(st_res_property(RELOP_EQ, PR_MESSAGE_SIZE, &v)) == -1, "long vs string\n");
    ok(chk(st_res_property(RELOP_EQ, PR_MESSAGE_SIZE, &v)) == -1, "check long vs string\n");
    ok(chk(st_res_property(RELOP_EQ, PROP_TAG(PT_UNSPECIFIED, 0x0037), &v)) == -1,
       "check PT_UNSPECIFIED tag\n");

    /* Booleans, binaries. */
    v = st_view_bool(PR_HASATTACH, 1);
    ok(ev(st_res_property(RELOP_EQ, PR_HASATTACH, &v)) == 1, "bool eq\n");
    v = st_view_bin(PR_ENTRYID, "\x00\x01\x02\x03\xAB", 5);
    ok(ev(st_res_property(RELOP_EQ, PR_ENTRYID, &v)) == 1, "bin eq\n");
    v = st_view_bin(PR_ENTRYID, "\x00\x01\x02", 3);
    ok(ev(st_res_property(RELOP_GT, PR_ENTRYID, &v)) == 1, "bin gt prefix\n");
}

static void test_multivalued(void)
{
    st_bag *row = st_bag_new(), *saved = msg;
    int32_t whole[] = {1, 5, 9}, part[] = {1, 5};
    st_value v;

    /* Plain MV tag, base-type constant: any value. */
    ok(ev(prop_str(RELOP_EQ, KEYWORDS, "blau")) == 1, "mv any eq (case-insensitive)\n");
    ok(ev(prop_str(RELOP_EQ, KEYWORDS, "Gelb")) == 0, "mv none eq\n");
    ok(ev(prop_str(RELOP_EQ, MVI_PROP(KEYWORDS), "Grün")) == 1, "mvi any eq\n");
    ok(ev(prop_long(RELOP_GT, NUMBERS, 8)) == 1, "mv any gt\n");
    ok(ev(prop_long(RELOP_LT, NUMBERS, 1)) == 0, "mv none lt\n");
    ok(ev(prop_long(RELOP_NE, NUMBERS, 1)) == 1, "mv ne: some value differs\n");
    ok(ev(prop_long(RELOP_EQ, EMPTY_MV, 0)) == 0, "empty mv\n");
    ok(ev(st_res_not(prop_long(RELOP_EQ, NUMBERS, 7))) == 1, "not mv\n");
    /* A single-valued tag does not find the MV value: missing, so false. */
    ok(ev(prop_long(RELOP_EQ, PROP_TAG(PT_LONG, 0x8002), 5)) == 0, "single tag on MV\n");

    /* Multi-valued constant: whole values. */
    v = (st_value){ .tag = NUMBERS };
    v.v.mv.n = 3;
    v.v.mv.l = whole;
    ok(ev(st_res_property(RELOP_EQ, NUMBERS, &v)) == 1, "mv whole eq\n");
    v.v.mv.l = part;
    v.v.mv.n = 2;
    ok(ev(st_res_property(RELOP_EQ, NUMBERS, &v)) == 0, "mv whole ne\n");
    ok(ev(st_res_property(RELOP_GT, NUMBERS, &v)) == 1, "mv whole gt (longer)\n");
    ok(chk(st_res_property(RELOP_EQ, PROP_TAG(PT_LONG, 0x8002), &v)) == -1,
       "mv constant on single tag\n");

    /* CONTENT on MV: any value. */
    ok(ev(content(FL_SUBSTRING, KEYWORDS, "ün")) == 1, "mv content substring\n");
    ok(ev(content(FL_PREFIX | FL_IGNORECASE, KEYWORDS, "BL")) == 1, "mv content prefix\n");
    ok(ev(content(FL_PREFIX | FL_IGNORECASE, KEYWORDS, "gru")) == 0, "mv content: ü is not u\n");
    ok(ev(content(FL_PREFIX | FL_LOOSE, MVI_PROP(KEYWORDS), "gru")) == 1, "mvi content loose\n");

    /* A row expanded per value (MV_INSTANCE): a single value under the id. */
    st_bag_set_str(row, PROP_TAG(PT_UNICODE, 0x8001), "Blau");
    st_bag_set_long(row, PROP_TAG(PT_LONG, 0x8002), 5);
    msg = row;
    ok(ev(prop_str(RELOP_EQ, MVI_PROP(KEYWORDS), "blau")) == 1, "instance row, MVI tag\n");
    ok(ev(prop_str(RELOP_EQ, KEYWORDS, "blau")) == 0, "instance row, MV tag: missing\n");
    ok(ev(prop_long(RELOP_NE, MVI_PROP(NUMBERS), 5)) == 0, "instance row ne\n");
    ok(ev(content(FL_FULLSTRING | FL_IGNORECASE, MVI_PROP(KEYWORDS), "BLAU")) == 1,
       "instance row content\n");
    msg = saved;
    st_bag_free(row);
}

static void test_content(void)
{
    /* Every low level x case flags. */
    ok(ev(content(FL_FULLSTRING, PR_SUBJECT_W, "Ärger im Büro: Résumé")) == 1, "full exact\n");
    ok(ev(content(FL_FULLSTRING, PR_SUBJECT_W, "ärger im büro: résumé")) == 0, "full, case\n");
    ok(ev(content(FL_FULLSTRING | FL_IGNORECASE, PR_SUBJECT_W, "ÄRGER IM BÜRO: RÉSUMÉ")) == 1,
       "full ignorecase\n");
    ok(ev(content(FL_FULLSTRING | FL_IGNORECASE, PR_SUBJECT_W, "Ärger")) == 0, "full is whole\n");
    ok(ev(content(FL_PREFIX, PR_SUBJECT_W, "Ärger")) == 1, "prefix\n");
    ok(ev(content(FL_PREFIX, PR_SUBJECT_W, "ÄRGER")) == 0, "prefix, case\n");
    ok(ev(content(FL_PREFIX | FL_IGNORECASE, PR_SUBJECT_W, "ÄRGER")) == 1, "prefix ignorecase\n");
    ok(ev(content(FL_PREFIX, PR_SUBJECT_W, "Büro")) == 0, "prefix not in the middle\n");
    ok(ev(content(FL_SUBSTRING, PR_SUBJECT_W, "Büro")) == 1, "substring\n");
    ok(ev(content(FL_SUBSTRING, PR_SUBJECT_W, "büro")) == 0, "substring, case\n");
    ok(ev(content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, "BÜRO")) == 1, "substring ignorecase\n");
    ok(ev(content(FL_SUBSTRING, PR_SUBJECT_W, "")) == 1, "empty substring\n");
    ok(ev(content(FL_FULLSTRING, PR_SUBJECT_W, "")) == 0, "empty full\n");

    /* Accents: FL_IGNORENONSPACE, FL_LOOSE. */
    ok(ev(content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, "resume")) == 0, "resume: accents\n");
    ok(ev(content(FL_SUBSTRING | FL_LOOSE, PR_SUBJECT_W, "resume")) == 1, "resume: loose\n");
    ok(ev(content(FL_SUBSTRING | FL_IGNORENONSPACE, PR_SUBJECT_W, "Resume")) == 1,
       "Resume: ignorenonspace\n");
    ok(ev(content(FL_SUBSTRING | FL_IGNORENONSPACE, PR_SUBJECT_W, "resume")) == 0,
       "resume: ignorenonspace keeps case\n");
    ok(ev(content(FL_SUBSTRING | FL_IGNORENONSPACE | FL_IGNORECASE, PR_SUBJECT_W, "RESUME")) == 1,
       "RESUME: both flags\n");
    ok(ev(content(FL_PREFIX | FL_LOOSE, PR_SUBJECT_W, "arger im buro")) == 1, "loose prefix\n");
    ok(ev(content(FL_SUBSTRING | FL_LOOSE, PR_SUBJECT_W, "Re\xCC\x81sume\xCC\x81")) == 1,
       "decomposed pattern, loose\n");

    /* ß: simple folding keeps it, FL_LOOSE folds it to ss. */
    ok(ev(content(FL_SUBSTRING | FL_IGNORECASE, PR_BODY_W, "HAUPTSTRASSE")) == 0, "STRASSE case\n");
    ok(ev(content(FL_SUBSTRING | FL_LOOSE, PR_BODY_W, "HAUPTSTRASSE")) == 1, "STRASSE loose\n");
    ok(ev(content(FL_SUBSTRING | FL_LOOSE, PR_BODY_W, "SE 5")) == 1, "match inside ß's expansion\n");
    ok(ev(content(FL_SUBSTRING | FL_IGNORECASE, PR_BODY_W, "HAUPTSTRAẞE")) == 1, "ẞ folds to ß\n");
    ok(ev(content(FL_SUBSTRING | FL_IGNORECASE, PR_BODY_W, "PÜNKTLICH")) == 1, "ü\n");

    /* A PT_STRING8 constant works on the Unicode property. */
    {
        st_value v = st_view_str(PR_SUBJECT_A, "büro");
        ok(ev(st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &v)) == 1, "string8 const\n");
    }

    /* Missing: false; NOT: true. */
    ok(ev(content(FL_SUBSTRING, PROP_TAG(PT_UNICODE, 0x0E1D), "x")) == 0, "content missing\n");
    ok(ev(st_res_not(content(FL_SUBSTRING, PROP_TAG(PT_UNICODE, 0x0E1D), "x"))) == 1,
       "not content missing\n");

    /* Refused. */
    ok(ev(content(3, PR_SUBJECT_W, "x")) == -1, "fuzzy level 3\n");
    ok(chk(content(FL_SUBSTRING, PR_SUBJECT_W, "x")) == 0, "check ok\n");
    {
        st_value v = st_view_long(PR_MESSAGE_SIZE, 1);
        ok(ev(st_res_content(FL_SUBSTRING, PR_MESSAGE_SIZE, &v)) == -1, "content on a long\n");
        ok(ev(st_res_content(FL_SUBSTRING, PR_SUBJECT_W, &v)) == -1, "long constant\n");
    }

    /* Binary: bytes, upper flags ignored. */
    ok(ev(content_bin(FL_FULLSTRING, "\x00\x01\x02\x03\xAB", 5)) == 1, "bin full\n");
    ok(ev(content_bin(FL_FULLSTRING, "\x00\x01\x02\x03", 4)) == 0, "bin full shorter\n");
    ok(ev(content_bin(FL_PREFIX, "\x00\x01", 2)) == 1, "bin prefix\n");
    ok(ev(content_bin(FL_PREFIX, "\x01\x02", 2)) == 0, "bin prefix not at start\n");
    ok(ev(content_bin(FL_SUBSTRING | FL_IGNORECASE, "\x03\xAB", 2)) == 1, "bin substring\n");
    ok(ev(content_bin(FL_SUBSTRING, "\x03\x02", 2)) == 0, "bin substring absent\n");
    ok(ev(content_bin(FL_SUBSTRING, "\x00\x01\x02\x03\xAB\x00", 6)) == 0, "bin longer\n");
    ok(ev(content_bin(FL_PREFIX, NULL, 0)) == 1, "bin empty prefix\n");
    ok(ev(content_bin(FL_FULLSTRING, NULL, 0)) == 0, "bin empty full\n");
}

static void test_compareprops(void)
{
    ok(ev(st_res_compareprops(RELOP_EQ, PR_SENDER_NAME_W, PR_DISPLAY_TO_W)) == 1,
       "compareprops eq, case-insensitive\n");
    ok(ev(st_res_compareprops(RELOP_NE, PR_SENDER_NAME_W, PR_DISPLAY_TO_W)) == 0, "compareprops ne\n");
    ok(ev(st_res_compareprops(RELOP_GT, PR_MESSAGE_SIZE, PR_IMPORTANCE)) == 1, "compareprops gt\n");
    ok(ev(st_res_compareprops(RELOP_LE, PR_MESSAGE_SIZE, PR_IMPORTANCE)) == 0, "compareprops le\n");
    ok(ev(st_res_compareprops(RELOP_EQ, PR_MESSAGE_SIZE, PR_FLAG_STATUS)) == 0,
       "compareprops missing\n");
    ok(ev(st_res_not(st_res_compareprops(RELOP_EQ, PR_FLAG_STATUS, PR_MESSAGE_SIZE))) == 1,
       "not compareprops missing\n");
    ok(ev(st_res_compareprops(RELOP_EQ, PR_MESSAGE_SIZE, PR_SUBJECT_W)) == -1, "type mismatch\n");
    ok(ev(st_res_compareprops(RELOP_RE, PR_SENDER_NAME_W, PR_DISPLAY_TO_W)) == -1, "RELOP_RE\n");
    ok(ev(st_res_compareprops(RELOP_EQ, PR_SUBJECT_A, PR_SUBJECT_W)) == 1, "string8 vs unicode\n");
    ok(ev(st_res_compareprops(RELOP_EQ, MVI_PROP(NUMBERS), PR_IMPORTANCE)) == -1,
       "mv vs single: types differ\n");
}

static void test_bitmask(void)
{
    ok(ev(st_res_bitmask(BMR_NEZ, PR_MESSAGE_FLAGS, 0x01)) == 1, "nez set bit\n");
    ok(ev(st_res_bitmask(BMR_EQZ, PR_MESSAGE_FLAGS, 0x01)) == 0, "eqz set bit\n");
    ok(ev(st_res_bitmask(BMR_EQZ, PR_MESSAGE_FLAGS, 0x04)) == 1, "eqz clear bit\n");
    ok(ev(st_res_bitmask(BMR_NEZ, PR_MESSAGE_FLAGS, 0x06)) == 0, "nez clear bits\n");
    ok(ev(st_res_bitmask(BMR_NEZ, PR_MESSAGE_FLAGS, 0xFFFFFFFFu)) == 1, "nez all\n");
    ok(ev(st_res_bitmask(BMR_EQZ, PR_FLAG_STATUS, 0x01)) == 0, "bitmask missing\n");
    ok(ev(st_res_not(st_res_bitmask(BMR_EQZ, PR_FLAG_STATUS, 0x01))) == 1, "not bitmask missing\n");
    ok(ev(st_res_bitmask(BMR_NEZ, PR_HASATTACH, 1)) == -1, "bitmask on a boolean\n");
    ok(ev(st_res_bitmask(2, PR_MESSAGE_FLAGS, 1)) == -1, "unknown bmr\n");
}

static void test_size(void)
{
    /* "Ärger im Büro: Résumé": 21 UTF-16 units + terminator = 44 bytes. */
    ok(ev(st_res_size(RELOP_EQ, PR_SUBJECT_W, 44)) == 1, "size eq\n");
    ok(ev(st_res_size(RELOP_LT, PR_SUBJECT_W, 44)) == 0, "size lt\n");
    ok(ev(st_res_size(RELOP_GT, PR_SUBJECT_W, 10)) == 1, "size gt\n");
    ok(ev(st_res_size(RELOP_GE, PR_SUBJECT_A, 44)) == 1, "size as PT_STRING8 tag: same value\n");
    ok(ev(st_res_size(RELOP_EQ, PR_ENTRYID, 5)) == 1, "size binary\n");
    ok(ev(st_res_size(RELOP_EQ, PR_MESSAGE_SIZE, 4)) == 1, "size long\n");
    ok(ev(st_res_size(RELOP_EQ, NUMBERS, 12)) == 1, "size mv long\n");
    ok(ev(st_res_size(RELOP_NE, PR_FLAG_STATUS, 4)) == 0, "size missing\n");
    ok(ev(st_res_not(st_res_size(RELOP_NE, PR_FLAG_STATUS, 4))) == 1, "not size missing\n");
    ok(ev(st_res_size(RELOP_RE, PR_SUBJECT_W, 4)) == -1, "size RELOP_RE\n");
}

static void test_logic(void)
{
    st_restriction *kids[3];
    int i;

    ok(ev(st_res_and(0)) == 1, "AND() is true\n");
    ok(ev(st_res_or(0)) == 0, "OR() is false\n");
    ok(ev(st_res_and(2, st_res_exist(PR_SUBJECT_W), prop_long(RELOP_EQ, PR_IMPORTANCE, 2))) == 1,
       "and true\n");
    ok(ev(st_res_and(2, st_res_exist(PR_SUBJECT_W), prop_long(RELOP_EQ, PR_IMPORTANCE, 1))) == 0,
       "and false\n");
    ok(ev(st_res_or(3, st_res_exist(PR_FLAG_STATUS), prop_long(RELOP_EQ, PR_IMPORTANCE, 1),
                    content(FL_PREFIX | FL_IGNORECASE, PR_SUBJECT_W, "ärger"))) == 1, "or true\n");
    ok(ev(st_res_or(2, st_res_exist(PR_FLAG_STATUS), prop_long(RELOP_EQ, PR_IMPORTANCE, 1))) == 0,
       "or false\n");
    ok(ev(st_res_not(st_res_and(2, st_res_exist(PR_FLAG_STATUS),
                                prop_long(RELOP_EQ, PR_FLAG_STATUS, 1)))) == 1,
       "not(and(exist missing, prop missing))\n");
    ok(ev(st_res_not(st_res_not(st_res_exist(PR_SUBJECT_W)))) == 1, "not not\n");
    ok(ev(st_res_or(2, st_res_not(st_res_exist(PR_SUBJECT_W)),
                    st_res_and(2, st_res_bitmask(BMR_NEZ, PR_MESSAGE_FLAGS, 0x10),
                               st_res_not(prop_long(RELOP_LT, PR_MESSAGE_SIZE, 100))))) == 1,
       "nested\n");

    /* Arrays. */
    kids[0] = st_res_exist(PR_FLAG_STATUS);
    kids[1] = st_res_exist(PR_SUBJECT_W);
    kids[2] = st_res_exist(PR_BODY_W);
    ok(ev(st_res_or_array(3, kids)) == 1, "or array\n");
    kids[0] = st_res_exist(PR_FLAG_STATUS);
    kids[1] = st_res_exist(PR_SUBJECT_W);
    ok(ev(st_res_and_array(2, kids)) == 0, "and array\n");

    /* Short-circuit: an unsupported node after a decisive one is not seen by
     * st_res_eval, but st_res_check finds it. */
    ok(ev(st_res_or(2, st_res_exist(PR_SUBJECT_W), prop_long(RELOP_RE, PR_IMPORTANCE, 1))) == 1,
       "or stops at true\n");
    ok(chk(st_res_or(2, st_res_exist(PR_SUBJECT_W), prop_long(RELOP_RE, PR_IMPORTANCE, 1))) == -1,
       "check sees it\n");
    ok(ev(st_res_or(2, st_res_exist(PR_FLAG_STATUS), prop_long(RELOP_RE, PR_IMPORTANCE, 1))) == -1,
       "error reached\n");
    ok(ev(st_res_not(prop_long(RELOP_RE, PR_IMPORTANCE, 1))) == -1, "not of error\n");

    /* NULL children: the constructor fails and frees the others (ASan checks). */
    ok(st_res_and(3, st_res_exist(PR_SUBJECT_W), NULL, st_res_exist(PR_BODY_W)) == NULL, "NULL kid\n");
    ok(st_res_or(1, NULL) == NULL, "NULL kid in or\n");
    ok(st_res_not(NULL) == NULL && st_res_sub(PR_MESSAGE_RECIPIENTS, NULL) == NULL, "NULL one\n");
    ok(st_res_property(RELOP_EQ, PR_IMPORTANCE, NULL) == NULL, "NULL value\n");
    {
        st_value bad = { .tag = PROP_TAG(0x0999, 1) };
        ok(st_res_property(RELOP_EQ, PR_IMPORTANCE, &bad) == NULL, "invalid value\n");
        ok(st_res_comment(&bad, 1, st_res_exist(PR_SUBJECT_W)) == NULL, "invalid comment value\n");
    }
    kids[0] = st_res_exist(PR_SUBJECT_W);
    kids[1] = NULL;
    ok(st_res_and_array(2, kids) == NULL, "NULL kid in array\n");

    /* Depth: ST_RES_MAX_DEPTH levels are fine, one more is refused. */
    {
        st_restriction *r = st_res_exist(PR_SUBJECT_W);
        for (i = 1; i < ST_RES_MAX_DEPTH && r; i++)
            r = st_res_not(r);
        ok(r && r->depth == ST_RES_MAX_DEPTH, "depth %u\n", r ? r->depth : 0);
        ok(st_res_eval(r, msg, NULL) == (ST_RES_MAX_DEPTH % 2), "deep eval\n");
        ok(st_res_check(r) == 0, "deep check\n");
        ok(st_res_not(r) == NULL, "too deep refused (and freed)\n");
        r = st_res_exist(PR_SUBJECT_W);
        for (i = 1; i < ST_RES_MAX_DEPTH && r; i++)
            r = st_res_and(1, r);
        ok(st_res_or(2, st_res_exist(PR_BODY_W), r) == NULL, "too deep list refused\n");
    }
}

/* ---- Subrestrictions ---- */

typedef struct rows_ctx {
    st_bag *rcpt[3];    /* recipient rows */
    int calls;          /* callback invocations */
    int fail;           /* make the callback fail */
} rows_ctx;

static int get_rows(void *ctx, uint32_t subobject, const st_bag *const **rows, size_t *n)
{
    rows_ctx *c = ctx;
    c->calls++;
    if (c->fail)
        return -1;
    if (subobject == PR_MESSAGE_RECIPIENTS) {
        *rows = (const st_bag *const *)c->rcpt;
        *n = 3;
    } else {
        *rows = NULL;
        *n = 0;
    }
    return 0;
}

static void test_sub(void)
{
    rows_ctx c = { { NULL }, 0, 0 };
    st_res_subobjects sub = { get_rows, &c };
    static const char *addr[] = {"ann@example.org", "Bob@Example.org", "carl@example.org"};
    static const int32_t type[] = {1, 1, 2};           /* MAPI_TO, MAPI_TO, MAPI_CC */
    st_restriction *r;
    st_value v;
    int i;

    for (i = 0; i < 3; i++) {
        c.rcpt[i] = st_bag_new();
        st_bag_set_long(c.rcpt[i], PR_RECIPIENT_TYPE, type[i]);
        st_bag_set_str(c.rcpt[i], PR_SMTP_ADDRESS_W, addr[i]);
    }

    r = st_res_sub(PR_MESSAGE_RECIPIENTS,
        st_res_and(2, prop_long(RELOP_EQ, PR_RECIPIENT_TYPE, 1),
                   content(FL_PREFIX | FL_IGNORECASE, PR_SMTP_ADDRESS_W, "bob@")));
    ok(r && st_res_check(r) == 0, "check sub\n");
    ok(st_res_eval(r, msg, &sub) == 1, "a To recipient is bob\n");
    ok(c.calls == 1, "callback called %d times\n", c.calls);
    ok(st_res_eval(r, msg, NULL) == -1, "no subobjects: error\n");
    c.fail = 1;
    ok(st_res_eval(r, msg, &sub) == -1, "callback failure\n");
    c.fail = 0;
    st_res_free(r);

    r = st_res_sub(PR_MESSAGE_RECIPIENTS,
        st_res_and(2, prop_long(RELOP_EQ, PR_RECIPIENT_TYPE, 2),
                   content(FL_PREFIX | FL_IGNORECASE, PR_SMTP_ADDRESS_W, "bob@")));
    ok(st_res_eval(r, msg, &sub) == 0, "no Cc recipient is bob\n");
    st_res_free(r);

    /* Not evaluated, not called (lazy). */
    c.calls = 0;
    r = st_res_or(2, st_res_exist(PR_SUBJECT_W),
        st_res_sub(PR_MESSAGE_RECIPIENTS, st_res_exist(PR_SMTP_ADDRESS_W)));
    ok(st_res_eval(r, msg, &sub) == 1 && c.calls == 0, "lazy: %d calls\n", c.calls);
    st_res_free(r);

    /* Attachments: none here. NOT(sub(...)) is "has no such attachment". */
    r = st_res_sub(PR_MESSAGE_ATTACHMENTS, st_res_exist(PR_SUBJECT_W));
    ok(st_res_eval(r, msg, &sub) == 0, "no attachments\n");
    st_res_free(r);
    r = st_res_not(st_res_sub(PR_MESSAGE_ATTACHMENTS, st_res_exist(PR_SUBJECT_W)));
    ok(st_res_eval(r, msg, &sub) == 1, "not sub\n");
    st_res_free(r);

    /* Unknown subobject, nested subrestrictions. */
    r = st_res_sub(PR_SUBJECT_W, st_res_exist(PR_SUBJECT_W));
    ok(st_res_check(r) == -1 && st_res_eval(r, msg, &sub) == -1, "unknown subobject\n");
    st_res_free(r);
    r = st_res_sub(PR_MESSAGE_RECIPIENTS,
        st_res_sub(PR_MESSAGE_ATTACHMENTS, st_res_exist(PR_SUBJECT_W)));
    ok(st_res_eval(r, msg, &sub) == -1, "nested subrestriction\n");
    st_res_free(r);

    /* Rows see their own properties only. */
    v = st_view_str(PR_SUBJECT_W, "x");
    r = st_res_sub(PR_MESSAGE_RECIPIENTS, st_res_property(RELOP_NE, PR_SUBJECT_W, &v));
    ok(st_res_eval(r, msg, &sub) == 0, "row has no subject\n");
    st_res_free(r);

    for (i = 0; i < 3; i++)
        st_bag_free(c.rcpt[i]);
}

static void test_comment(void)
{
    st_value notes[2];
    st_restriction *r, *copy;

    notes[0] = st_view_str(PROP_TAG(PT_UNICODE, 0x6001), "made by Outlook");
    notes[1] = st_view_long(PROP_TAG(PT_LONG, 0x6002), 7);
    r = st_res_comment(notes, 2, st_res_exist(PR_FLAG_STATUS));
    ok(r && r->u.comment.n == 2 && r->u.comment.values[0].v.str != notes[0].v.str, "comment copied\n");
    ok(st_res_eval(r, msg, NULL) == 0, "comment evaluates its child\n");
    copy = st_res_copy(r);
    ok(copy && copy->u.comment.n == 2 && st_res_eval(copy, msg, NULL) == 0, "comment copy\n");
    st_res_free(copy);
    st_res_free(r);
    r = st_res_comment_alone(notes, 2);
    ok(r && r->u.comment.kid == NULL && st_res_eval(r, msg, NULL) == 1, "comment alone is true\n");
    copy = st_res_copy(r);
    ok(copy && copy->u.comment.kid == NULL && st_res_check(copy) == 0, "copy of comment alone\n");
    st_res_free(copy);
    st_res_free(r);
    ok(st_res_comment(notes, 2, NULL) == NULL, "comment refuses a NULL child\n");
    ok(ev(st_res_not(st_res_comment(NULL, 0, st_res_exist(PR_SUBJECT_W)))) == 0, "not comment\n");
}

static void test_copy(void)
{
    st_value kw = st_view_str(PROP_TAG(PT_UNICODE, 0x8001), "rot");
    st_value bin = st_view_bin(PR_ENTRYID, "\x02\x03", 2);
    st_value note = st_view_str(PROP_TAG(PT_UNICODE, 0x6001), "n");
    st_restriction *r = st_res_or(3,
        st_res_and(4, st_res_exist(PR_SUBJECT_W),
                   st_res_content(FL_SUBSTRING, PR_ENTRYID, &bin),
                   st_res_property(RELOP_EQ, KEYWORDS, &kw),
                   st_res_bitmask(BMR_NEZ, PR_MESSAGE_FLAGS, 1)),
        st_res_not(st_res_size(RELOP_GT, PR_SUBJECT_W, 2)),
        st_res_comment(&note, 1,
            st_res_sub(PR_MESSAGE_RECIPIENTS, st_res_compareprops(RELOP_EQ, PR_IMPORTANCE,
                                                                 PR_MESSAGE_SIZE))));
    st_restriction *c = r ? st_res_copy(r) : NULL;

    ok(r && c && c != r, "copy made\n");
    ok(c->depth == r->depth && r->depth == 4, "depth %u\n", r->depth);
    ok(st_res_check(c) == 0, "copy checks\n");
    ok(st_res_eval(c, msg, NULL) == 1 && st_res_eval(r, msg, NULL) == 1, "copy evaluates alike\n");
    ok(c->u.and_or.kids[0]->u.and_or.kids[1]->u.content.value.v.bin.data !=
       r->u.and_or.kids[0]->u.and_or.kids[1]->u.content.value.v.bin.data, "deep\n");
    st_res_free(r);
    ok(st_res_eval(c, msg, NULL) == 1, "copy outlives the original\n");
    st_res_free(c);
    st_res_free(NULL);
}

int main(void)
{
    setup();
    test_exist();
    test_property();
    test_multivalued();
    test_content();
    test_compareprops();
    test_bitmask();
    test_size();
    test_logic();
    test_sub();
    test_comment();
    test_copy();
    st_bag_free(msg);
    return test_done();
}
