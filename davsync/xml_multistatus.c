/*
 * xml_multistatus.c: the streaming DAV:multistatus reader (xml.h).
 *
 * expat is fed chunk by chunk; the handlers keep a stack of what each open
 * element is, collect the text of hrefs, statuses and properties, and at the
 * end of each DAV:response resolve its href, check it lies inside the allowed
 * collections, hand it to the callback and free it.
 *
 * Invariants: memory is bounded by one response (max_props x max_text) plus
 * the element stack (max_depth); a handler that finds a limit crossed stops
 * the parser, and the error is reported with expat's position. Never: load an
 * external entity, accept an entity declaration, or assert on document bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Both expat builds (Debian's and the Windows prefix) have DTD support; this
 * makes expat.h declare the amplification limits. */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>

#include "davsync/href.h"
#include "davsync/xml.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/strutil.h"

#define NS_SEP ' '

enum kind {
    K_OTHER,        /* anything we do not look at */
    K_MULTISTATUS,  /* DAV:multistatus (the root) */
    K_RESPONSE,     /* DAV:response */
    K_HREF,         /* DAV:href of a response */
    K_PROPSTAT,     /* DAV:propstat */
    K_PROP,         /* DAV:prop in a propstat */
    K_PROPERTY,     /* a child of DAV:prop: one property */
    K_INPROP,       /* inside a property's value */
    K_STATUS,       /* DAV:status of a response or a propstat */
    K_TOKEN         /* DAV:sync-token directly under multistatus */
};

/* Properties whose value is read in a particular way. */
enum special {
    SP_NONE,
    SP_RESOURCETYPE,
    SP_REPORTS,
    SP_HREF        /* current-user-principal, calendar-home-set ... */
};

struct buf {
    char *p;        /* NUL-terminated when not NULL */
    size_t len;
    size_t cap;
};

/* The properties ds_ms_response has a field for. */
enum field {
    F_NONE, F_ETAG, F_LASTMOD, F_CTYPE, F_DISPLAYNAME, F_SYNCTOKEN, F_PRINCIPAL, F_LENGTH,
    F_CTAG, F_CALHOME, F_ABOOKHOME
};

struct name_ent;

struct ms_prop {
    const struct name_ent *ne;  /* its name, interned (the parser's names table) */
    char *value;    /* owned */
    int status;
    unsigned flags; /* DS_RT_* or DS_REPORT_* for the special ones */
};

/* Property names seen so far, interned: a PROPFIND repeats the same few
 * names for every member, so they are allocated once per document. */
#define NAME_SLOTS 2048     /* power of two; at most half used */
struct name_ent {
    char *ns;           /* owned; NULL for an empty slot */
    char *name;         /* owned */
    size_t ns_len;
    struct name_ent *next_seen;     /* the property that followed it last time */
    /* what the name means, found once when interned (not per response) */
    enum special sp;
    enum field field;
    int trim;           /* a DAV: or CS: property: its value is trimmed */
};

struct ds_ms_parser {
    struct name_ent *names;     /* NAME_SLOTS open-addressing table */
    size_t nnames;
    struct name_ent *first_seen;    /* the first property of the last response */
    struct name_ent *last_ne;       /* the property before, in the open response */
    XML_Parser xp;              /* the expat parser */
    ds_ms_config cfg;           /* copy; the strings below are owned */
    char *request_url;          /* normalised */
    char **allowed;             /* normalised collections */
    size_t nallowed;
    enum kind *stack;           /* kind of each open element, max_depth long */
    int depth;                  /* open elements */
    int err;                    /* first error (sticky), 0 if none */
    uint64_t fed;               /* bytes fed so far */
    int saw_root;               /* the root was DAV:multistatus */
    /* the open response */
    struct buf href;            /* text of its DAV:href */
    struct buf more_hrefs;      /* further hrefs of a status-form response, NUL-separated */
    int nhref;                  /* DAV:href elements seen in it */
    int resp_status;            /* its own DAV:status, 0 if none */
    struct ms_prop *props;      /* its properties so far */
    size_t nprops;
    size_t cap_props;
    size_t propstat_first;      /* first property of the open propstat */
    int propstat_status;
    struct buf text;            /* text being collected */
    int collecting;             /* text goes to `text` */
    struct buf prop_href;       /* first DAV:href inside a special SP_HREF property */
    int prop_href_depth;        /* depth of that DAV:href, 0 if not inside one */
    char *sync_token;           /* the top-level one */
    size_t count;               /* responses delivered */
    size_t dropped;             /* responses dropped */
    ds_ms_prop *view;           /* props as handed to the callback */
    size_t cap_view;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
    return st_append(&b->p, &b->len, &b->cap, s, n);
}

static void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

static void buf_free(struct buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Stops the parse with code and a message (the first error wins). */
static void fail(struct ds_ms_parser *p, int code, const char *what)
{
    if (!p->err) {
        p->err = code;
        st_error_set("multistatus, line %lu column %lu: %s",
                     (unsigned long)XML_GetCurrentLineNumber(p->xp),
                     (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1, what);
    }
    XML_StopParser(p->xp, XML_FALSE);
}

/* Splits "NS local" (expat's form) into its parts; ns is "" without one. */
static void split_name(const XML_Char *full, const char **ns, size_t *ns_len, const char **local)
{
    const char *sep = strrchr(full, NS_SEP);
    if (sep) {
        *ns = full;
        *ns_len = (size_t)(sep - full);
        *local = sep + 1;
    } else {
        *ns = "";
        *ns_len = 0;
        *local = full;
    }
}

static int is_name(const char *ns, size_t ns_len, const char *local, const char *want_ns,
                   const char *want_local)
{
    return ns_len == strlen(want_ns) && memcmp(ns, want_ns, ns_len) == 0
        && strcmp(local, want_local) == 0;
}

static int is_dav(const char *ns, size_t ns_len, const char *local, const char *want)
{
    return is_name(ns, ns_len, local, DS_NS_DAV, want);
}

static void free_props(struct ds_ms_parser *p)
{
    for (size_t i = 0; i < p->nprops; i++)
        free(p->props[i].value);
    p->nprops = 0;
}

static enum special special_of(const char *ns, size_t ns_len, const char *local);
static enum field field_of(const char *ns, size_t ns_len, const char *local);

/* The interned copy of (ns, local); NULL when out of memory or when a
 * document uses more distinct names than any server has (a hostile one). */
static struct name_ent *intern(struct ds_ms_parser *p, const char *ns, size_t ns_len,
                               const char *local)
{
    size_t local_len = strlen(local);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < ns_len; i++)
        h = (h ^ (unsigned char)ns[i]) * 16777619u;
    h = (h ^ 0xffu) * 16777619u;
    for (size_t i = 0; i < local_len; i++)
        h = (h ^ (unsigned char)local[i]) * 16777619u;
    for (size_t i = h & (NAME_SLOTS - 1);; i = (i + 1) & (NAME_SLOTS - 1)) {
        struct name_ent *e = &p->names[i];
        if (!e->ns) {
            if (p->nnames >= NAME_SLOTS / 2)
                return NULL;
            e->ns = dup_n(ns, ns_len);
            e->name = dup_n(local, local_len);
            if (!e->ns || !e->name) {
                free(e->ns);
                free(e->name);
                e->ns = e->name = NULL;
                return NULL;
            }
            e->ns_len = ns_len;
            e->sp = special_of(ns, ns_len, local);
            e->field = field_of(ns, ns_len, local);
            e->trim = (ns_len == strlen(DS_NS_DAV) && !memcmp(ns, DS_NS_DAV, ns_len))
                   || (ns_len == strlen(DS_NS_CS) && !memcmp(ns, DS_NS_CS, ns_len));
            p->nnames++;
            return e;
        }
        if (e->ns_len == ns_len && memcmp(e->ns, ns, ns_len) == 0 && !strcmp(e->name, local))
            return e;
    }
}

static void reset_response(struct ds_ms_parser *p)
{
    free_props(p);
    p->last_ne = NULL;
    buf_reset(&p->href);
    buf_reset(&p->more_hrefs);
    p->nhref = 0;
    p->resp_status = 0;
    p->propstat_first = 0;
    p->propstat_status = 0;
}

/* "HTTP/1.1 404 Not Found" -> 404; 0 if unreadable. */
static int parse_status(const char *s)
{
    const char *sp = strchr(s, ' ');
    int v = 0;
    if (!sp)
        return 0;
    sp++;
    for (int i = 0; i < 3; i++) {
        if (sp[i] < '0' || sp[i] > '9')
            return 0;
        v = v * 10 + (sp[i] - '0');
    }
    return v;
}

static void trim(char *s)
{
    size_t n = strlen(s), a = 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    while (a < n && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n'))
        a++;
    memmove(s, s + a, n - a);
    s[n - a] = '\0';
}

static enum special special_of(const char *ns, size_t ns_len, const char *local)
{
    if (is_dav(ns, ns_len, local, "resourcetype"))
        return SP_RESOURCETYPE;
    if (is_dav(ns, ns_len, local, "supported-report-set"))
        return SP_REPORTS;
    if (is_dav(ns, ns_len, local, "current-user-principal")
        || is_name(ns, ns_len, local, DS_NS_CALDAV, "calendar-home-set")
        || is_name(ns, ns_len, local, DS_NS_CARDDAV, "addressbook-home-set"))
        return SP_HREF;
    return SP_NONE;
}

static enum field field_of(const char *ns, size_t ns_len, const char *local)
{
    static const struct {
        const char *ns, *name;
        enum field f;
    } tab[] = {
        { DS_NS_DAV, "getetag", F_ETAG }, { DS_NS_DAV, "getlastmodified", F_LASTMOD },
        { DS_NS_DAV, "getcontenttype", F_CTYPE }, { DS_NS_DAV, "displayname", F_DISPLAYNAME },
        { DS_NS_DAV, "sync-token", F_SYNCTOKEN },
        { DS_NS_DAV, "current-user-principal", F_PRINCIPAL },
        { DS_NS_DAV, "getcontentlength", F_LENGTH }, { DS_NS_CS, "getctag", F_CTAG },
        { DS_NS_CALDAV, "calendar-home-set", F_CALHOME },
        { DS_NS_CARDDAV, "addressbook-home-set", F_ABOOKHOME },
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        if (is_name(ns, ns_len, local, tab[i].ns, tab[i].name))
            return tab[i].f;
    return F_NONE;
}

static void mark_child(struct ms_prop *pr, const char *ns, size_t ns_len, const char *local)
{
    if (pr->ne->sp == SP_RESOURCETYPE) {
        if (is_dav(ns, ns_len, local, "collection"))
            pr->flags |= DS_RT_COLLECTION;
        else if (is_dav(ns, ns_len, local, "principal"))
            pr->flags |= DS_RT_PRINCIPAL;
        else if (is_name(ns, ns_len, local, DS_NS_CALDAV, "calendar"))
            pr->flags |= DS_RT_CALENDAR;
        else if (is_name(ns, ns_len, local, DS_NS_CARDDAV, "addressbook"))
            pr->flags |= DS_RT_ADDRESSBOOK;
    } else if (pr->ne->sp == SP_REPORTS) {
        if (is_dav(ns, ns_len, local, "sync-collection"))
            pr->flags |= DS_REPORT_SYNC_COLLECTION;
        else if (is_dav(ns, ns_len, local, "expand-property"))
            pr->flags |= DS_REPORT_EXPAND_PROPERTY;
        else if (is_name(ns, ns_len, local, DS_NS_CALDAV, "calendar-multiget"))
            pr->flags |= DS_REPORT_CALENDAR_MULTIGET;
        else if (is_name(ns, ns_len, local, DS_NS_CALDAV, "calendar-query"))
            pr->flags |= DS_REPORT_CALENDAR_QUERY;
        else if (is_name(ns, ns_len, local, DS_NS_CARDDAV, "addressbook-multiget"))
            pr->flags |= DS_REPORT_ADDRESSBOOK_MULTIGET;
        else if (is_name(ns, ns_len, local, DS_NS_CARDDAV, "addressbook-query"))
            pr->flags |= DS_REPORT_ADDRESSBOOK_QUERY;
    }
}

static void start_collect(struct ds_ms_parser *p)
{
    p->collecting = 1;
    buf_reset(&p->text);
}

static void XMLCALL on_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
    struct ds_ms_parser *p = arg;
    const char *ns, *local;
    size_t ns_len;
    enum kind parent = p->depth ? p->stack[p->depth - 1] : K_OTHER;
    enum kind k = K_OTHER;

    (void)atts;
    if (p->err)
        return;
    if (p->depth >= p->cfg.max_depth) {
        fail(p, DS_EPROTO, "elements nested too deep");
        return;
    }
    split_name(name, &ns, &ns_len, &local);
    if (p->depth == 0) {
        if (!is_dav(ns, ns_len, local, "multistatus")) {
            fail(p, DS_EPROTO, "the root element is not DAV:multistatus");
            return;
        }
        p->saw_root = 1;
        k = K_MULTISTATUS;
    } else if (parent == K_MULTISTATUS) {
        if (is_dav(ns, ns_len, local, "response")) {
            k = K_RESPONSE;
            reset_response(p);
        } else if (is_dav(ns, ns_len, local, "sync-token")) {
            k = K_TOKEN;
            start_collect(p);
        }
    } else if (parent == K_RESPONSE) {
        if (is_dav(ns, ns_len, local, "href")) {
            /* RFC 4918 14.24: the status form may name several resources */
            if (p->nhref++ >= 1024) {
                fail(p, DS_EPROTO, "too many hrefs in one response");
                return;
            }
            k = K_HREF;
            start_collect(p);
        } else if (is_dav(ns, ns_len, local, "propstat")) {
            k = K_PROPSTAT;
            p->propstat_first = p->nprops;
            p->propstat_status = 0;
        } else if (is_dav(ns, ns_len, local, "status")) {
            k = K_STATUS;
            start_collect(p);
        }
    } else if (parent == K_PROPSTAT) {
        if (is_dav(ns, ns_len, local, "prop"))
            k = K_PROP;
        else if (is_dav(ns, ns_len, local, "status")) {
            k = K_STATUS;
            start_collect(p);
        }
    } else if (parent == K_PROP) {
        struct ms_prop *pr;
        if (p->nprops >= p->cfg.max_props) {
            fail(p, DS_EPROTO, "too many properties in one response");
            return;
        }
        if (p->nprops == p->cap_props) {
            size_t cap = p->cap_props ? p->cap_props * 2 : 16;
            struct ms_prop *np = realloc(p->props, cap * sizeof(*np));
            if (!np) {
                fail(p, ST_ERROR, "out of memory");
                return;
            }
            p->props = np;
            p->cap_props = cap;
        }
        /* Members list the same properties in the same order: the one that
         * followed the previous property last time is tried before the
         * hash table. */
        struct name_ent *ne = p->last_ne ? p->last_ne->next_seen : p->first_seen;
        if (!ne || ne->ns_len != ns_len || memcmp(ne->ns, ns, ns_len) != 0
            || strcmp(ne->name, local) != 0) {
            ne = intern(p, ns, ns_len, local);
            if (!ne) {
                fail(p, DS_EPROTO, "too many distinct property names (or out of memory)");
                return;
            }
            if (p->last_ne)
                p->last_ne->next_seen = ne;
            else
                p->first_seen = ne;
        }
        p->last_ne = ne;
        pr = &p->props[p->nprops];
        memset(pr, 0, sizeof(*pr));
        pr->ne = ne;
        p->nprops++;
        k = K_PROPERTY;
        start_collect(p);
        buf_reset(&p->prop_href);
        p->prop_href_depth = 0;
    } else if (parent == K_PROPERTY || parent == K_INPROP) {
        struct ms_prop *pr = &p->props[p->nprops - 1];
        k = K_INPROP;
        mark_child(pr, ns, ns_len, local);
        if (pr->ne->sp == SP_HREF && !p->prop_href_depth && p->prop_href.len == 0
            && is_dav(ns, ns_len, local, "href"))
            p->prop_href_depth = p->depth + 1;
    }
    p->stack[p->depth++] = k;
}

static void XMLCALL on_text(void *arg, const XML_Char *s, int len)
{
    struct ds_ms_parser *p = arg;

    if (p->err || len <= 0)
        return;
    if (p->prop_href_depth > 0 && p->depth >= p->prop_href_depth) {
        if (p->prop_href.len + (size_t)len > p->cfg.max_text) {
            fail(p, DS_EPROTO, "href text too long");
            return;
        }
        if (buf_add(&p->prop_href, s, (size_t)len) != 0)
            fail(p, ST_ERROR, "out of memory");
    }
    if (!p->collecting)
        return;
    if (p->text.len + (size_t)len > p->cfg.max_text) {
        fail(p, DS_EPROTO, "text too long");
        return;
    }
    if (buf_add(&p->text, s, (size_t)len) != 0)
        fail(p, ST_ERROR, "out of memory");
}

/* Resolves a property's href value; NULL (with a warning) if it is unusable
 * or on another origin. */
static char *prop_url(struct ds_ms_parser *p, const char *text)
{
    char *url = NULL;
    if (ds_href_resolve(&url, p->request_url, text) != 0) {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "multistatus: property href ignored: %s", st_error_last());
        return NULL;
    }
    if (!ds_href_same_origin(url, p->request_url)) {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "multistatus: property href on another origin ignored: %s",
                    url);
        free(url);
        return NULL;
    }
    return url;
}

static void emit_response(struct ds_ms_parser *p, char *href)
{
    ds_ms_response r;
    char *url = NULL;
    size_t i;
    int inside = 0, rc;

    memset(&r, 0, sizeof(r));
    r.content_length = -1;
    if (href)
        trim(href);
    if (!href || !href[0]) {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "multistatus: response without href dropped");
        p->dropped++;
        return;
    }
    if (ds_href_resolve(&url, p->request_url, href) != 0) {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "multistatus: response dropped: %s", st_error_last());
        p->dropped++;
        return;
    }
    for (i = 0; i < p->nprops; i++) {
        struct ms_prop *pr = &p->props[i];
        if (pr->status != 200)
            continue;
        if (pr->ne->sp == SP_RESOURCETYPE)
            r.resourcetype |= pr->flags;
        else if (pr->ne->sp == SP_REPORTS)
            r.reports |= pr->flags;
    }
    if ((r.resourcetype & DS_RT_COLLECTION) && ds_href_add_slash(&url) != 0) {
        fail(p, ST_ERROR, "out of memory");
        free(url);
        return;
    }
    for (i = 0; i < p->nallowed && !inside; i++)
        inside = ds_href_is_inside(url, p->allowed[i]);
    if (!inside) {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "multistatus: response outside the account's collections "
                    "dropped: %s", url);
        p->dropped++;
        free(url);
        return;
    }
    r.url = url;
    r.path = ds_href_path(url);
    r.status = p->resp_status;

    if (p->cap_view < p->nprops) {
        ds_ms_prop *v = realloc(p->view, p->nprops * sizeof(*v));
        if (!v) {
            fail(p, ST_ERROR, "out of memory");
            free(url);
            return;
        }
        p->view = v;
        p->cap_view = p->nprops;
    }
    for (i = 0; i < p->nprops; i++) {
        struct ms_prop *pr = &p->props[i];
        const char *v = pr->value ? pr->value : "";
        p->view[i] = (ds_ms_prop){ pr->ne->ns, pr->ne->name, v, pr->status };
        if (pr->status != 200)
            continue;
        switch (pr->ne->field) {   /* found when the name was interned */
        case F_ETAG: r.etag = v; break;
        case F_LASTMOD: r.last_modified = v; break;
        case F_CTYPE: r.content_type = v; break;
        case F_DISPLAYNAME: r.displayname = v; break;
        case F_SYNCTOKEN: r.sync_token = v; break;
        case F_PRINCIPAL:
            if (*v)
                r.current_user_principal = v;
            break;
        case F_LENGTH: {
            int64_t n = 0;
            const char *c = v;
            if (*c) {
                for (; *c >= '0' && *c <= '9' && n < (INT64_MAX - 9) / 10; c++)
                    n = n * 10 + (*c - '0');
                if (!*c)
                    r.content_length = n;
            }
            break;
        }
        case F_CTAG: r.ctag = v; break;
        case F_CALHOME:
            if (*v)
                r.calendar_home_set = v;
            break;
        case F_ABOOKHOME:
            if (*v)
                r.addressbook_home_set = v;
            break;
        case F_NONE: break;
        }
    }
    r.props = p->view;
    r.nprops = p->nprops;
    rc = p->cfg.on_response(p->cfg.arg, &r);
    p->count++;
    free(url);
    if (rc != 0) {
        if (!p->err)
            p->err = rc;
        XML_StopParser(p->xp, XML_FALSE);
    }
}

static void XMLCALL on_end(void *arg, const XML_Char *name)
{
    struct ds_ms_parser *p = arg;
    enum kind k;

    (void)name;
    if (p->err || p->depth == 0)
        return;
    k = p->stack[--p->depth];
    switch (k) {
    case K_HREF:
        if (p->nhref == 1) {
            if (buf_add(&p->href, p->text.p ? p->text.p : "", p->text.len) != 0)
                fail(p, ST_ERROR, "out of memory");
        } else if (buf_add(&p->more_hrefs, p->text.p ? p->text.p : "", p->text.len + 1) != 0) {
            fail(p, ST_ERROR, "out of memory");     /* +1: keeps the NUL as separator */
        }
        p->collecting = 0;
        break;
    case K_STATUS:
        if (p->depth && p->stack[p->depth - 1] == K_PROPSTAT)
            p->propstat_status = parse_status(p->text.p ? p->text.p : "");
        else
            p->resp_status = parse_status(p->text.p ? p->text.p : "");
        p->collecting = 0;
        break;
    case K_TOKEN:
        free(p->sync_token);
        p->sync_token = dup_n(p->text.p ? p->text.p : "", p->text.len);
        if (!p->sync_token)
            fail(p, ST_ERROR, "out of memory");
        else
            trim(p->sync_token);
        p->collecting = 0;
        break;
    case K_INPROP:
        if (p->prop_href_depth == p->depth + 1)
            p->prop_href_depth = -1;    /* done: keep the first href only */
        break;
    case K_PROPERTY: {
        struct ms_prop *pr = &p->props[p->nprops - 1];
        if (pr->ne->sp == SP_HREF) {
            if (p->prop_href.p)
                trim(p->prop_href.p);
            pr->value = p->prop_href.p && p->prop_href.p[0] ? prop_url(p, p->prop_href.p) : NULL;
        } else if (p->text.len) {   /* no text: value stays NULL, handed on as "" */
            pr->value = dup_n(p->text.p, p->text.len);
            if (!pr->value) {
                fail(p, ST_ERROR, "out of memory");
                break;
            }
            if (pr->ne->trim)
                trim(pr->value);
        }
        p->prop_href_depth = 0;
        buf_reset(&p->prop_href);
        p->collecting = 0;
        break;
    }
    case K_PROPSTAT:
        for (size_t i = p->propstat_first; i < p->nprops; i++)
            p->props[i].status = p->propstat_status;
        break;
    case K_RESPONSE:
        emit_response(p, p->nhref ? p->href.p : NULL);
        for (size_t off = 0; !p->err && off < p->more_hrefs.len;) {
            char *h = p->more_hrefs.p + off;
            off += strlen(h) + 1;
            emit_response(p, h);
        }
        reset_response(p);
        break;
    default:
        break;
    }
}

/* Entity declarations are refused: a DAV server has no use for them, and
 * they are how billion-laughs and external-entity attacks begin. */
static void XMLCALL on_entity_decl(void *arg, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *system_id, const XML_Char *public_id,
                                   const XML_Char *notation)
{
    (void)name; (void)is_param; (void)value; (void)value_len; (void)base;
    (void)system_id; (void)public_id; (void)notation;
    fail(arg, DS_EPROTO, "entity declarations are refused");
}

static int XMLCALL on_external_entity(XML_Parser xp, const XML_Char *context,
                                      const XML_Char *base, const XML_Char *system_id,
                                      const XML_Char *public_id)
{
    (void)xp; (void)context; (void)base; (void)system_id; (void)public_id;
    return XML_STATUS_ERROR;    /* never loaded */
}

int ds_ms_parser_new(ds_ms_parser **out, const ds_ms_config *cfg)
{
    struct ds_ms_parser *p;
    int rc = ST_ERROR;

    *out = NULL;
    if (!cfg || !cfg->request_url || !cfg->on_response) {
        st_error_set("multistatus parser: request_url and on_response are required");
        return ST_ERROR;
    }
    p = calloc(1, sizeof(*p));
    if (!p)
        goto oom;
    p->cfg = *cfg;
    if (!p->cfg.max_bytes)
        p->cfg.max_bytes = UINT64_C(1) << 30;
    if (!p->cfg.max_text)
        p->cfg.max_text = 1u << 20;
    if (p->cfg.max_depth <= 0)
        p->cfg.max_depth = 64;
    if (!p->cfg.max_props)
        p->cfg.max_props = 4096;
    rc = ds_href_normalize(&p->request_url, cfg->request_url);
    if (rc)
        goto cleanup;
    p->nallowed = cfg->allowed ? cfg->nallowed : 1;
    p->allowed = calloc(p->nallowed ? p->nallowed : 1, sizeof(char *));
    if (!p->allowed)
        goto oom;
    for (size_t i = 0; i < p->nallowed; i++) {
        rc = ds_href_normalize(&p->allowed[i], cfg->allowed ? cfg->allowed[i] : cfg->request_url);
        if (rc)
            goto cleanup;
    }
    p->cfg.request_url = p->request_url;
    p->cfg.allowed = NULL;
    p->stack = calloc((size_t)p->cfg.max_depth, sizeof(*p->stack));
    p->names = calloc(NAME_SLOTS, sizeof(*p->names));
    if (!p->names)
        goto oom;
    p->xp = XML_ParserCreateNS(NULL, NS_SEP);
    if (!p->stack || !p->xp)
        goto oom;
    XML_SetUserData(p->xp, p);
    XML_SetElementHandler(p->xp, on_start, on_end);
    XML_SetCharacterDataHandler(p->xp, on_text);
    XML_SetEntityDeclHandler(p->xp, on_entity_decl);
    XML_SetExternalEntityRefHandler(p->xp, on_external_entity);
    /* A second fence, should an entity ever get through. */
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(p->xp, 10.0f);
    XML_SetBillionLaughsAttackProtectionActivationThreshold(p->xp, 1u << 20);
    *out = p;
    return 0;
oom:
    st_error_set("out of memory");
    rc = ST_ERROR;
cleanup:
    ds_ms_parser_free(p);
    return rc;
}

int ds_ms_feed(ds_ms_parser *p, const char *data, size_t len)
{
    if (p->err)
        return p->err;
    while (len) {
        int n = len > (1u << 20) ? (1 << 20) : (int)len;
        p->fed += (uint64_t)n;
        if (p->fed > p->cfg.max_bytes) {
            p->err = DS_EPROTO;
            st_error_set("multistatus larger than %llu bytes",
                         (unsigned long long)p->cfg.max_bytes);
            return p->err;
        }
        if (XML_Parse(p->xp, data, n, 0) != XML_STATUS_OK) {
            if (!p->err) {
                p->err = DS_EPROTO;
                st_error_set("multistatus, line %lu column %lu: %s",
                             (unsigned long)XML_GetCurrentLineNumber(p->xp),
                             (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1,
                             XML_ErrorString(XML_GetErrorCode(p->xp)));
            }
            return p->err;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int ds_ms_http_sink(void *arg, const char *data, size_t len)
{
    return ds_ms_feed(arg, data, len);
}

int ds_ms_finish(ds_ms_parser *p)
{
    if (p->err)
        return p->err;
    if (XML_Parse(p->xp, "", 0, 1) != XML_STATUS_OK) {
        if (!p->err) {
            p->err = DS_EPROTO;
            st_error_set("multistatus, line %lu column %lu: %s",
                         (unsigned long)XML_GetCurrentLineNumber(p->xp),
                         (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1,
                         XML_ErrorString(XML_GetErrorCode(p->xp)));
        }
        return p->err;
    }
    if (!p->saw_root) {
        p->err = DS_EPROTO;
        st_error_set("multistatus: empty document");
    }
    return p->err;
}

const char *ds_ms_sync_token(const ds_ms_parser *p)
{
    return p->sync_token;
}

size_t ds_ms_count(const ds_ms_parser *p)
{
    return p->count;
}

size_t ds_ms_dropped(const ds_ms_parser *p)
{
    return p->dropped;
}

void ds_ms_parser_free(ds_ms_parser *p)
{
    if (!p)
        return;
    if (p->xp)
        XML_ParserFree(p->xp);
    free_props(p);
    free(p->props);
    free(p->view);
    buf_free(&p->href);
    buf_free(&p->more_hrefs);
    buf_free(&p->text);
    buf_free(&p->prop_href);
    free(p->sync_token);
    free(p->stack);
    if (p->names)
        for (size_t i = 0; i < NAME_SLOTS; i++) {
            free(p->names[i].ns);
            free(p->names[i].name);
        }
    free(p->names);
    if (p->allowed)
        for (size_t i = 0; i < p->nallowed; i++)
            free(p->allowed[i]);
    free(p->allowed);
    free(p->request_url);
    free(p);
}

const ds_ms_prop *ds_ms_find(const ds_ms_response *r, const char *ns, const char *name)
{
    for (size_t i = 0; i < r->nprops; i++)
        if (!strcmp(r->props[i].ns, ns) && !strcmp(r->props[i].name, name))
            return &r->props[i];
    return NULL;
}
