/*
 * tnef_print.c: a readable dump of a cv_message (and of a cv_tnef result)
 * for people, tests and the command-line tool: one property per line with
 * its tag name (or its named-property name), type and value.
 *
 * Invariant: output only; the message is never changed, and every value is
 * printed within bounds (strings cut at a UTF-8 boundary, binaries and
 * multi-valued lists shortened, control characters escaped).
 * Never: print attachment data beyond a short prefix.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "convert/tnef.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"

#define MAX_STR 240   /* bytes of a string shown */
#define MAX_BIN 64    /* bytes of a binary shown */
#define MAX_MV 16     /* values of a multi-valued property shown */

static const char *type_name(uint32_t type)
{
    static const struct { uint32_t type; const char *name; } names[] = {
        { PT_I2, "PT_I2" }, { PT_LONG, "PT_LONG" }, { PT_R4, "PT_R4" },
        { PT_DOUBLE, "PT_DOUBLE" }, { PT_CURRENCY, "PT_CURRENCY" },
        { PT_APPTIME, "PT_APPTIME" }, { PT_ERROR, "PT_ERROR" },
        { PT_BOOLEAN, "PT_BOOLEAN" }, { PT_OBJECT, "PT_OBJECT" }, { PT_I8, "PT_I8" },
        { PT_STRING8, "PT_STRING8" }, { PT_UNICODE, "PT_UNICODE" },
        { PT_SYSTIME, "PT_SYSTIME" }, { PT_CLSID, "PT_CLSID" }, { PT_SVREID, "PT_SVREID" },
        { PT_SRESTRICT, "PT_SRESTRICT" }, { PT_ACTIONS, "PT_ACTIONS" },
        { PT_BINARY, "PT_BINARY" }, { PT_NULL, "PT_NULL" },
        { PT_MV_I2, "PT_MV_I2" }, { PT_MV_LONG, "PT_MV_LONG" }, { PT_MV_R4, "PT_MV_R4" },
        { PT_MV_DOUBLE, "PT_MV_DOUBLE" }, { PT_MV_CURRENCY, "PT_MV_CURRENCY" },
        { PT_MV_APPTIME, "PT_MV_APPTIME" }, { PT_MV_SYSTIME, "PT_MV_SYSTIME" },
        { PT_MV_STRING8, "PT_MV_STRING8" }, { PT_MV_BINARY, "PT_MV_BINARY" },
        { PT_MV_UNICODE, "PT_MV_UNICODE" }, { PT_MV_CLSID, "PT_MV_CLSID" },
        { PT_MV_I8, "PT_MV_I8" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].type == type)
            return names[i].name;
    return "PT_?";
}

static void put_indent(FILE *f, int indent)
{
    for (int i = 0; i < indent; i++)
        fputs("  ", f);
}

static void put_str(FILE *f, const char *s)
{
    size_t len = s ? strlen(s) : 0, n = len;

    if (n > MAX_STR) {
        n = MAX_STR;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;                        /* never cut a UTF-8 sequence */
    }
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\r')
            fputs("\\r", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (ch < 0x20 || ch == 0x7F)
            fprintf(f, "\\x%02X", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
    if (n < len)
        fprintf(f, "... (%zu bytes)", len);
}

static void put_bin(FILE *f, const st_bin *b)
{
    uint32_t n = b->len < MAX_BIN ? b->len : MAX_BIN;

    fprintf(f, "%" PRIu32 " bytes", b->len);
    if (b->len)
        fputc(':', f);
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, " %02X", b->data[i]);
    if (n < b->len)
        fputs(" ...", f);
}

/* FILETIME ticks as "2004-02-17 19:25:35Z". */
static void put_time(FILE *f, uint64_t ft)
{
    int64_t secs = (int64_t)(ft / 10000000u);
    int64_t days = secs / 86400, rem = secs % 86400;
    /* Civil date from days since 1601-01-01 (584694 days after 0000-03-01). */
    int64_t z = days + 584694;
    int64_t era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;

    y += m <= 2;
    fprintf(f, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 " %02" PRId64 ":%02" PRId64 ":%02" PRId64 "Z",
            y, m, d, rem / 3600, rem / 60 % 60, rem % 60);
}

static void put_guid(FILE *f, const st_guid *g)
{
    char buf[ST_GUID_STRING_SIZE];
    fputs(st_guid_to_string(buf, g), f);
}

/* One element of a value: i-th of a multi-valued one, or the single value. */
static void put_elem(FILE *f, const st_value *v, uint32_t base, uint32_t i, int mv)
{
    switch (base) {
    case PT_I2: fprintf(f, "%d", mv ? v->v.mv.i[i] : v->v.i); break;
    case PT_LONG: {
        int32_t l = mv ? v->v.mv.l[i] : v->v.l;
        fprintf(f, "%" PRId32 " (0x%08" PRIX32 ")", l, (uint32_t)l);
        break;
    }
    case PT_R4: fprintf(f, "%g", (double)(mv ? v->v.mv.flt[i] : v->v.flt)); break;
    case PT_DOUBLE: fprintf(f, "%g", mv ? v->v.mv.dbl[i] : v->v.dbl); break;
    case PT_APPTIME: fprintf(f, "%g", mv ? v->v.mv.at[i] : v->v.at); break;
    case PT_CURRENCY: {
        int64_t c = mv ? v->v.mv.cur[i] : v->v.cur;
        uint64_t a = c < 0 ? 0 - (uint64_t)c : (uint64_t)c;
        fprintf(f, "%s%" PRIu64 ".%04" PRIu64, c < 0 ? "-" : "", a / 10000, a % 10000);
        break;
    }
    case PT_ERROR: fprintf(f, "0x%08" PRIX32, (uint32_t)v->v.err); break;
    case PT_BOOLEAN: fputs(v->v.b ? "true" : "false", f); break;
    case PT_I8: fprintf(f, "%" PRId64, mv ? v->v.mv.li[i] : v->v.li); break;
    case PT_SYSTIME: put_time(f, mv ? v->v.mv.ft[i] : v->v.ft); break;
    case PT_STRING8:
    case PT_UNICODE: put_str(f, mv ? v->v.mv.str[i] : v->v.str); break;
    case PT_CLSID: put_guid(f, mv ? &v->v.mv.guid[i] : v->v.guid); break;
    case PT_BINARY:
    case PT_SVREID:
    case PT_SRESTRICT:
    case PT_ACTIONS: put_bin(f, mv ? &v->v.mv.bin[i] : &v->v.bin); break;
    default: fputs("(no value)", f); break;
    }
}

static void put_value(FILE *f, const st_value *v)
{
    uint32_t type = PROP_TYPE(v->tag), base = type & ~(uint32_t)MVI_FLAG;

    if (!(type & MV_FLAG)) {
        put_elem(f, v, base, 0, 0);
        return;
    }
    fprintf(f, "%" PRIu32 " values [", v->v.mv.n);
    for (uint32_t i = 0; i < v->v.mv.n && i < MAX_MV; i++) {
        if (i)
            fputs(", ", f);
        put_elem(f, v, base, i, 1);
    }
    fputs(v->v.mv.n > MAX_MV ? ", ...]" : "]", f);
}

static void put_name(FILE *f, uint32_t tag, const cv_tnef_named *named, size_t n_named)
{
    uint32_t id = PROP_ID(tag);
    const char *name;

    if (id >= 0x8000 && id - 0x8000 < n_named) {
        const st_propname *pn = &named[id - 0x8000].name;
        const st_named_prop_info *info = pn->kind == ST_MNID_ID
            ? st_named_prop_by_lid(&pn->guid, pn->lid) : st_named_prop_by_name(&pn->guid, pn->name);
        const char *set = st_guid_set_name(&pn->guid);

        fprintf(f, "0x%04" PRIX32 " ", id);
        if (set)
            fputs(set, f);
        else
            put_guid(f, &pn->guid);
        if (pn->kind == ST_MNID_ID)
            fprintf(f, "/0x%04" PRIX32, pn->lid);
        else {
            fputc('/', f);
            put_str(f, pn->name);
        }
        if (info)
            fprintf(f, " %s", info->canonical);
        return;
    }
    name = st_prop_tag_name(tag);
    if (name)
        fprintf(f, "%s", name);
    else
        fprintf(f, "0x%04" PRIX32, id);
}

static void put_bag(FILE *f, const st_bag *bag, const cv_tnef_named *named, size_t n_named,
                    int indent)
{
    for (size_t i = 0; i < st_bag_count(bag); i++) {
        const st_value *v = st_bag_at(bag, i);
        put_indent(f, indent);
        put_name(f, v->tag, named, n_named);
        fprintf(f, " %s = ", type_name(PROP_TYPE(v->tag)));
        put_value(f, v);
        fputc('\n', f);
    }
}

static void put_message(FILE *f, const cv_message *msg, const cv_tnef_named *named,
                        size_t n_named, int indent)
{
    put_bag(f, msg->props, named, n_named, indent);
    for (size_t i = 0; i < msg->n_recipients; i++) {
        put_indent(f, indent);
        fprintf(f, "recipient %zu:\n", i);
        put_bag(f, msg->recipients[i], named, n_named, indent + 1);
    }
    for (size_t i = 0; i < msg->n_attachments; i++) {
        const cv_attachment *a = &msg->attachments[i];
        put_indent(f, indent);
        fprintf(f, "attachment %zu: %" PRIu64 " bytes", i, a->data_size);
        if (a->data_id)
            fprintf(f, " in stream %" PRIu64, a->data_id);
        fputs(":\n", f);
        put_bag(f, a->props, named, n_named, indent + 1);
        if (a->embedded) {
            put_indent(f, indent + 1);
            fputs("embedded message:\n", f);
            put_message(f, a->embedded, named, n_named, indent + 2);
        }
    }
}

int cv_tnef_print_message(FILE *f, const cv_message *msg, const cv_tnef_named *named,
                          size_t n_named)
{
    if (!f || !msg)
        return -1;
    put_message(f, msg, named, n_named, 0);
    return ferror(f) ? -1 : 0;
}

int cv_tnef_print(FILE *f, const cv_tnef *t)
{
    static const char *const wnames[] = { "checksum", "truncated", "damaged", "limit", "charset" };

    if (!f || !t)
        return -1;
    fprintf(f, "TNEF key 0x%04X, code page %u, %zu named properties", (unsigned)t->key,
            t->codepage, t->n_named);
    if (t->warnings) {
        fputs(", warnings:", f);
        for (unsigned i = 0; i < sizeof wnames / sizeof wnames[0]; i++)
            if (t->warnings & (1u << i))
                fprintf(f, " %s", wnames[i]);
        fputs(" (", f);
        put_str(f, t->warning);
        fputc(')', f);
    }
    fputc('\n', f);
    return cv_tnef_print_message(f, t->msg, t->named, t->n_named);
}
