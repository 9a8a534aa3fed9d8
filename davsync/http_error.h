/*
 * http_error.h: davsync's named failures (STYLE.md "Errors"), shared by the
 * HTTP, XML and href layers and, later, the sync engine. provider/ maps them
 * to MAPI codes in one place.
 *
 * Invariant: every value is negative and distinct from ST_ERROR (-1), so a
 * function may return ST_ERROR or one of these. Never reuse a value: these
 * numbers end up in logs.
 * (They may move to davsync.h once the engine owns that header.)
 */
#ifndef MAPIDAV_DAVSYNC_HTTP_ERROR_H
#define MAPIDAV_DAVSYNC_HTTP_ERROR_H

enum {
    DS_EAUTH = -101,      /* 401 although credentials were sent (or none set) */
    DS_EPRECOND = -102,   /* 412 Precondition Failed (If-Match / If-None-Match) */
    DS_ENOTFOUND = -103,  /* 404 Not Found (410 Gone too) */
    DS_ETLS = -104,       /* certificate or TLS handshake problem; message says why */
    DS_ENETWORK = -105,   /* could not resolve/connect/send/receive */
    DS_ECANCELLED = -106, /* cancelled by the owner or aborted from another thread */
    DS_ETIMEOUT = -107,   /* connect, low-speed or overall timeout */
    DS_EPROTO = -108,     /* the server broke the protocol: bad XML, bad href,
                             redirect to another origin, response too large */
    DS_EHTTP = -109       /* any other non-success status (403, 405, 5xx after
                             retries, 207 on PUT ...): look at the status */
};

/* "DS_EAUTH" ... ; "ST_ERROR" for -1, "OK" for 0, "?" otherwise. */
const char *ds_error_name(int code);

#endif /* MAPIDAV_DAVSYNC_HTTP_ERROR_H */
