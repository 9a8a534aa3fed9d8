/*
 * href.h: URL references as servers send them (DAV:href, Location), made
 * comparable (RFC 3986 sections 5 and 6).
 *
 * Every href a server sends is resolved against the URL it answers and
 * normalised before anything else looks at it, so two spellings of one
 * resource compare equal as plain strings:
 *   - scheme and host in lower case, the default port (80 for http, 443 for
 *     https) dropped, userinfo refused, fragment dropped;
 *   - percent-escapes of unreserved characters (ALPHA DIGIT - . _ ~) decoded,
 *     every other escape in upper-case hex, and bytes that may not appear in
 *     a path or query (space, controls, non-ASCII, "<>\"\\^`{|}", a stray %)
 *     escaped; reserved characters (including an escaped %2F) left as they are;
 *   - dot-segments removed; an empty path becomes "/".
 * Invariant: the output of ds_href_resolve is a fixpoint (normalising it
 * again gives the same string). Never: an href becomes a local path here; a
 * server decides where a request goes only through ds_href_is_inside.
 */
#ifndef MAPIDAV_DAVSYNC_HREF_H
#define MAPIDAV_DAVSYNC_HREF_H

#include <stddef.h>

/* *out = ref resolved against base (an absolute http/https URL) and
 * normalised: "http://host[:port]/path[?query]". ref may be absolute, an
 * absolute path, or relative. Returns 0, or DS_EPROTO (st_error_set says
 * why) for an unusable reference: not http(s), userinfo, a control byte,
 * a bad port, a host with characters a host cannot have. */
int ds_href_resolve(char **out, const char *base, const char *ref);

/* ds_href_resolve without its fast path for hrefs already normal: for
 * test_href, which checks that both always agree. */
int ds_href__resolve_slow(char **out, const char *base, const char *ref);

/* ds_href_resolve(out, url, url): normalises an absolute URL. */
int ds_href_normalize(char **out, const char *url);

/* The path of a normalised URL (from its first '/' after the authority);
 * "/" if it has none. Borrowed from url. */
const char *ds_href_path(const char *url);

/* Length of "scheme://authority" of a normalised URL (0 if it is none). */
size_t ds_href_origin_len(const char *url);

/* 1 if normalised URLs a and b have the same scheme, host and port. */
int ds_href_same_origin(const char *a, const char *b);

/* 1 if normalised url lies inside the collection at normalised prefix: same
 * origin, and its path starts with prefix's path taken as a collection
 * (with a trailing '/'); the collection itself, with or without the slash,
 * counts as inside. Query strings take no part in the test. */
int ds_href_is_inside(const char *url, const char *prefix);

/* Appends '/' to the path of a normalised URL that lacks one (a collection).
 * Reallocates *url. */
int ds_href_add_slash(char **url);

#endif /* MAPIDAV_DAVSYNC_HREF_H */
