/*
 * xml_build.c: WebDAV request bodies (PROPFIND, PROPPATCH, sync-collection,
 * calendar-/addressbook-multiget), written as text.
 *
 * Invariant: every text and attribute value is escaped and checked to be
 * valid UTF-8 made of characters XML 1.0 can carry; a namespace gets one
 * prefix per document ("D" for DAV:, "C" CalDAV, "A" CardDAV, "n0".. others)
 * declared on the root. Never: pass a caller's string into markup unescaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/xml.h"
#include "storage/error.h"
#include "storage/strutil.h"

#define MAX_NS 32

struct doc {
    char *p;                    /* NUL-terminated */
    size_t len, cap;
    int err;                    /* first error (sticky) */
    const char *ns[MAX_NS];     /* namespaces declared on the root */
    char prefix[MAX_NS][8];     /* their prefixes */
    int nns;
};

static void add(struct doc *d, const char *s, size_t n)
{
    if (d->err)
        return;
    if (st_reserve(&d->p, &d->cap, d->len + n + 1, 512) != 0) {
        d->err = ST_ERROR;
        st_error_set("out of memory");
        return;
    }
    memcpy(d->p + d->len, s, n);
    d->len += n;
    d->p[d->len] = '\0';
}

static void adds(struct doc *d, const char *s)
{
    add(d, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (an XML Char), 0 if invalid. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    unsigned c = s[0], cp, len, i;
    if (c < 0x80) {
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return 0;   /* not an XML 1.0 Char */
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
        || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
        return 0;
    return len;
}

static void add_escaped(struct doc *d, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;

    while (i < n && !d->err) {
        size_t l = utf8_char(u + i, n - i);
        if (!l) {
            d->err = DS_EPROTO;
            st_error_set("XML text has a byte XML cannot carry (0x%02x at %zu)", u[i], i);
            return;
        }
        switch (u[i]) {
        case '&': adds(d, "&amp;"); break;
        case '<': adds(d, "&lt;"); break;
        case '>': adds(d, "&gt;"); break;
        case '"': adds(d, "&quot;"); break;
        case '\'': adds(d, "&apos;"); break;
        case '\r': adds(d, "&#13;"); break;   /* kept through end-of-line handling */
        default: add(d, s + i, l); break;
        }
        i += l;
    }
}

/* 1 if name is an XML NCName we can write (ASCII letters, digits, - _ .). */
static int plain_name(const char *name)
{
    if (!name || !*name || (name[0] >= '0' && name[0] <= '9') || name[0] == '-'
        || name[0] == '.')
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
              || *c == '-' || *c == '_' || *c == '.'))
            return 0;
    return 1;
}

/* The prefix of ns, declaring it if new. */
static const char *prefix_of(struct doc *d, const char *ns)
{
    int i;
    for (i = 0; i < d->nns; i++)
        if (!strcmp(d->ns[i], ns))
            return d->prefix[i];
    if (d->nns == MAX_NS) {
        d->err = DS_EPROTO;
        st_error_set("too many namespaces in one request");
        return "D";
    }
    d->ns[d->nns] = ns;
    if (!strcmp(ns, DS_NS_DAV))
        strcpy(d->prefix[d->nns], "D");
    else if (!strcmp(ns, DS_NS_CALDAV))
        strcpy(d->prefix[d->nns], "C");
    else if (!strcmp(ns, DS_NS_CARDDAV))
        strcpy(d->prefix[d->nns], "A");
    else
        snprintf(d->prefix[d->nns], sizeof(d->prefix[0]), "n%d", d->nns);
    return d->prefix[d->nns++];
}

static int check_names(const ds_xml_name *props, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!props[i].ns || !*props[i].ns || !plain_name(props[i].name)) {
            st_error_set("bad property name {%s}%s", props[i].ns ? props[i].ns : "(null)",
                         props[i].name ? props[i].name : "(null)");
            return DS_EPROTO;
        }
    }
    return 0;
}

/* Writes "<?xml ...?>\n<P:root xmlns:..." for every namespace in d (declare
 * them all first with prefix_of), then ">". */
static void open_root(struct doc *d, const char *root_ns, const char *root)
{
    const char *pre = prefix_of(d, root_ns);
    adds(d, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<");
    adds(d, pre);
    adds(d, ":");
    adds(d, root);
    for (int i = 0; i < d->nns; i++) {
        adds(d, " xmlns:");
        adds(d, d->prefix[i]);
        adds(d, "=\"");
        add_escaped(d, d->ns[i]);
        adds(d, "\"");
    }
    adds(d, ">");
}

static void tag(struct doc *d, const char *ns, const char *name, const char *how)
{
    /* how: "<" open, "</" close, "/" empty */
    adds(d, how[0] == '<' && how[1] == '/' ? "</" : "<");
    adds(d, prefix_of(d, ns));
    adds(d, ":");
    adds(d, name);
    adds(d, how[0] == '/' ? "/>" : ">");
}

static void prop_list(struct doc *d, const ds_xml_name *props, size_t n)
{
    tag(d, DS_NS_DAV, "prop", "<");
    for (size_t i = 0; i < n; i++)
        tag(d, props[i].ns, props[i].name, "/");
    tag(d, DS_NS_DAV, "prop", "</");
}

static int finish(char **out, struct doc *d)
{
    if (d->err) {
        free(d->p);
        return d->err;
    }
    *out = d->p;
    return 0;
}

/* Checks the property names, declares DAV:, root_ns and the properties'
 * namespaces (in that order) and opens the root element. 0 or DS_EPROTO. */
static int begin_doc(struct doc *d, const ds_xml_name *props, size_t nprops,
                     const char *root_ns, const char *root)
{
    int rc = check_names(props, nprops);
    if (rc != 0)
        return rc;
    prefix_of(d, DS_NS_DAV);
    prefix_of(d, root_ns);
    for (size_t i = 0; i < nprops; i++)
        prefix_of(d, props[i].ns);
    open_root(d, root_ns, root);
    return 0;
}

int ds_xml_propfind(char **out, const ds_xml_name *props, size_t nprops)
{
    struct doc d = { 0 };
    int rc;

    *out = NULL;
    if ((rc = begin_doc(&d, props, nprops, DS_NS_DAV, "propfind")) != 0)
        return rc;
    if (nprops == 0)
        tag(&d, DS_NS_DAV, "allprop", "/");
    else
        prop_list(&d, props, nprops);
    tag(&d, DS_NS_DAV, "propfind", "</");
    return finish(out, &d);
}

int ds_xml_proppatch(char **out, const ds_xml_update *updates, size_t n)
{
    struct doc d = { 0 };
    int rc;

    *out = NULL;
    prefix_of(&d, DS_NS_DAV);
    for (size_t i = 0; i < n; i++) {
        if ((rc = check_names(&updates[i].prop, 1)) != 0)
            return rc;
        prefix_of(&d, updates[i].prop.ns);
    }
    open_root(&d, DS_NS_DAV, "propertyupdate");
    for (size_t i = 0; i < n; i++) {
        const ds_xml_update *u = &updates[i];
        const char *op = u->value ? "set" : "remove";
        tag(&d, DS_NS_DAV, op, "<");
        tag(&d, DS_NS_DAV, "prop", "<");
        if (u->value) {
            tag(&d, u->prop.ns, u->prop.name, "<");
            add_escaped(&d, u->value);
            tag(&d, u->prop.ns, u->prop.name, "</");
        } else {
            tag(&d, u->prop.ns, u->prop.name, "/");
        }
        tag(&d, DS_NS_DAV, "prop", "</");
        tag(&d, DS_NS_DAV, op, "</");
    }
    tag(&d, DS_NS_DAV, "propertyupdate", "</");
    return finish(out, &d);
}

int ds_xml_sync_collection(char **out, const char *token, const ds_xml_name *props,
                           size_t nprops, unsigned limit)
{
    struct doc d = { 0 };
    int rc;

    *out = NULL;
    if ((rc = begin_doc(&d, props, nprops, DS_NS_DAV, "sync-collection")) != 0)
        return rc;
    tag(&d, DS_NS_DAV, "sync-token", "<");
    add_escaped(&d, token ? token : "");
    tag(&d, DS_NS_DAV, "sync-token", "</");
    tag(&d, DS_NS_DAV, "sync-level", "<");
    adds(&d, "1");
    tag(&d, DS_NS_DAV, "sync-level", "</");
    if (limit) {
        char num[16];
        snprintf(num, sizeof(num), "%u", limit);
        tag(&d, DS_NS_DAV, "limit", "<");
        tag(&d, DS_NS_DAV, "nresults", "<");
        adds(&d, num);
        tag(&d, DS_NS_DAV, "nresults", "</");
        tag(&d, DS_NS_DAV, "limit", "</");
    }
    prop_list(&d, props, nprops);
    tag(&d, DS_NS_DAV, "sync-collection", "</");
    return finish(out, &d);
}

int ds_xml_multiget(char **out, ds_xml_multiget_kind kind, const ds_xml_name *props,
                    size_t nprops, const char *const *hrefs, size_t nhrefs)
{
    struct doc d = { 0 };
    const char *ns = kind == DS_MULTIGET_CALENDAR ? DS_NS_CALDAV : DS_NS_CARDDAV;
    const char *root = kind == DS_MULTIGET_CALENDAR ? "calendar-multiget" : "addressbook-multiget";
    int rc;

    *out = NULL;
    if ((rc = begin_doc(&d, props, nprops, ns, root)) != 0)
        return rc;
    prop_list(&d, props, nprops);
    for (size_t i = 0; i < nhrefs; i++) {
        tag(&d, DS_NS_DAV, "href", "<");
        add_escaped(&d, hrefs[i]);
        tag(&d, DS_NS_DAV, "href", "</");
    }
    tag(&d, ns, root, "</");
    return finish(out, &d);
}
