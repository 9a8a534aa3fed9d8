/*
 * xml.h: WebDAV XML (RFC 4918, RFC 6578, RFC 4791, RFC 6352) through expat:
 * a streaming DAV:multistatus reader and the request-body builders.
 *
 * The reader is fed the body chunk by chunk as it arrives (it fits the HTTP
 * layer's write callback, ds_http_write_fn) and calls back once per
 * DAV:response, then forgets it: memory is bounded by one response, however
 * many members a PROPFIND lists. Every href is resolved against the request
 * URL and normalised (href.h); a response whose href lies outside the allowed
 * collections is dropped with a warning, never followed. A status-form
 * response naming several hrefs (RFC 4918 14.24) gives one callback each.
 *
 * Invariants: no external entity is ever loaded, entity declarations are
 * refused (and expat's amplification limit is set as a second fence); bytes,
 * nesting and text per property are bounded. Bad or hostile XML ends in
 * DS_EPROTO with expat's line and column in st_error_last(). Never: build a
 * tree of a whole document, or let an href become a file name.
 *
 * Owned by one thread (the sync thread), like the HTTP client.
 */
#ifndef MAPIDAV_DAVSYNC_XML_H
#define MAPIDAV_DAVSYNC_XML_H

#include <stddef.h>
#include <stdint.h>

#include "davsync/http_error.h"

#define DS_NS_DAV "DAV:"
#define DS_NS_CALDAV "urn:ietf:params:xml:ns:caldav"
#define DS_NS_CARDDAV "urn:ietf:params:xml:ns:carddav"
#define DS_NS_CS "http://calendarserver.org/ns/"
#define DS_NS_HTTPMAIL "urn:schemas:httpmail:"
#define DS_NS_MAPI_PROPTAG "http://schemas.microsoft.com/mapi/proptag/"

/* A property name: namespace URI ("" for none) and local name. */
typedef struct ds_xml_name {
    const char *ns;       /* e.g. DS_NS_DAV */
    const char *name;     /* e.g. "getetag" */
} ds_xml_name;

/* DAV:resourcetype flags. */
enum {
    DS_RT_COLLECTION = 1u << 0,   /* DAV:collection */
    DS_RT_CALENDAR = 1u << 1,     /* CALDAV:calendar */
    DS_RT_ADDRESSBOOK = 1u << 2,  /* CARDDAV:addressbook */
    DS_RT_PRINCIPAL = 1u << 3     /* DAV:principal */
};

/* DAV:supported-report-set items. */
enum {
    DS_REPORT_SYNC_COLLECTION = 1u << 0,    /* DAV:sync-collection */
    DS_REPORT_CALENDAR_MULTIGET = 1u << 1,  /* CALDAV:calendar-multiget */
    DS_REPORT_CALENDAR_QUERY = 1u << 2,     /* CALDAV:calendar-query */
    DS_REPORT_ADDRESSBOOK_MULTIGET = 1u << 3, /* CARDDAV:addressbook-multiget */
    DS_REPORT_ADDRESSBOOK_QUERY = 1u << 4,  /* CARDDAV:addressbook-query */
    DS_REPORT_EXPAND_PROPERTY = 1u << 5     /* DAV:expand-property */
};

/* One property of one response, as the server sent it. */
typedef struct ds_ms_prop {
    const char *ns;       /* namespace URI, "" for none */
    const char *name;     /* local name */
    const char *value;    /* text content (children's text included, trimmed
                             for the well-known properties); "" if empty */
    int status;           /* of its propstat: 200, 404, 403 ... (0: none given) */
} ds_ms_prop;

/* One DAV:response. Everything is borrowed and valid only during the
 * callback. The well-known fields are filled from 200 propstats only. */
typedef struct ds_ms_response {
    const char *url;              /* normalised absolute URL (collections end in '/') */
    const char *path;             /* its path (points into url) */
    int status;                   /* a response-level DAV:status (404 for a member
                                     gone in sync-collection, 507 truncated), else 0 */
    const char *etag;             /* DAV:getetag as is (may be weak W/"..."), or NULL */
    const char *ctag;             /* CS:getctag, or NULL */
    const char *last_modified;    /* DAV:getlastmodified (an HTTP-date), or NULL */
    int64_t content_length;       /* DAV:getcontentlength, -1 if absent or bad */
    const char *content_type;     /* DAV:getcontenttype, or NULL */
    const char *displayname;      /* DAV:displayname, or NULL */
    const char *sync_token;       /* DAV:sync-token as a property, or NULL */
    unsigned resourcetype;        /* DS_RT_* */
    unsigned reports;             /* DS_REPORT_* from supported-report-set */
    const char *current_user_principal; /* normalised URL, or NULL */
    const char *calendar_home_set;      /* normalised URL (first href), or NULL */
    const char *addressbook_home_set;   /* normalised URL (first href), or NULL */
    const ds_ms_prop *props;      /* every property of every propstat, in order */
    size_t nprops;
} ds_ms_response;

/* Called once per accepted response. Return 0 to go on, anything else to stop
 * the parse: ds_ms_feed/ds_ms_finish then return that value. */
typedef int (*ds_ms_response_fn)(void *arg, const ds_ms_response *r);

typedef struct ds_ms_config {
    const char *request_url;        /* base for relative hrefs (required) */
    const char *const *allowed;     /* collections responses must lie inside
                                       (normalised URLs); NULL: request_url */
    size_t nallowed;
    ds_ms_response_fn on_response;  /* required */
    void *arg;
    uint64_t max_bytes;             /* whole document; 0: 1 GiB */
    size_t max_text;                /* one property's text; 0: 1 MiB */
    int max_depth;                  /* element nesting; 0: 64 */
    size_t max_props;               /* properties per response; 0: 4096 */
} ds_ms_config;

typedef struct ds_ms_parser ds_ms_parser;

/* Makes a parser. Strings in cfg are copied. */
int ds_ms_parser_new(ds_ms_parser **out, const ds_ms_config *cfg);

/* Feeds the next len bytes. 0, DS_EPROTO, or a callback's return value.
 * After an error every further call returns the same error. */
int ds_ms_feed(ds_ms_parser *p, const char *data, size_t len);

/* The same, with the signature of ds_http_write_fn (arg is the parser). */
int ds_ms_http_sink(void *arg, const char *data, size_t len);

/* Ends the document: DS_EPROTO if it is incomplete or not a multistatus. */
int ds_ms_finish(ds_ms_parser *p);

/* The top-level DAV:sync-token of a sync-collection answer, or NULL.
 * Borrowed from p. */
const char *ds_ms_sync_token(const ds_ms_parser *p);

/* Responses passed to the callback / dropped as outside or bad. */
size_t ds_ms_count(const ds_ms_parser *p);
size_t ds_ms_dropped(const ds_ms_parser *p);

/* NULL-safe. */
void ds_ms_parser_free(ds_ms_parser *p);

/* The property (ns, name) of r, or NULL. */
const ds_ms_prop *ds_ms_find(const ds_ms_response *r, const char *ns, const char *name);

/* ---- request bodies ----------------------------------------------------
 * Each returns a malloc'd, NUL-terminated UTF-8 document in *out (free with
 * free()), or DS_EPROTO if a text is not valid UTF-8 or holds a character
 * XML 1.0 cannot carry. Namespaces get prefixes of their own ("D" is DAV:). */

/* PROPFIND: allprop when nprops == 0, else prop with the names. */
int ds_xml_propfind(char **out, const ds_xml_name *props, size_t nprops);

typedef struct ds_xml_update {
    ds_xml_name prop;
    const char *value;    /* text to set (escaped here); NULL: remove */
} ds_xml_update;

/* PROPPATCH: one DAV:set or DAV:remove per update, in order. */
int ds_xml_proppatch(char **out, const ds_xml_update *updates, size_t n);

/* sync-collection REPORT (RFC 6578): sync-level 1; token NULL or "" for the
 * initial sync; limit > 0 adds DAV:limit/nresults. */
int ds_xml_sync_collection(char **out, const char *token, const ds_xml_name *props,
                           size_t nprops, unsigned limit);

typedef enum ds_xml_multiget_kind {
    DS_MULTIGET_CALENDAR,     /* CALDAV:calendar-multiget */
    DS_MULTIGET_ADDRESSBOOK   /* CARDDAV:addressbook-multiget */
} ds_xml_multiget_kind;

/* calendar-multiget / addressbook-multiget of hrefs (paths or URLs as the
 * server gave them), asking for props (e.g. getetag, calendar-data). */
int ds_xml_multiget(char **out, ds_xml_multiget_kind kind, const ds_xml_name *props,
                    size_t nprops, const char *const *hrefs, size_t nhrefs);

#endif /* MAPIDAV_DAVSYNC_XML_H */
