/*
 * http.h: the sync thread's HTTP client: a queue of requests run through one
 * libcurl multi handle (HTTP/1.1 keep-alive on several parallel connections;
 * HTTP/2 only when asked, PEERS.md pitfall 1).
 *
 *   ds_http *h;  ds_http_new(&h, &cfg);
 *   ds_http_submit(h, &rq, &id);       // as many as wanted
 *   while (ds_http_pending(h)) ds_http_run(h, 1000);   // done callbacks fire here
 *
 * or ds_http_perform(h, &rq, &res) for one request, waiting for it.
 *
 * Invariants: one thread owns a ds_http and is the only one to call into it,
 * except ds_http_wakeup and ds_http_abort, which any thread may call. TLS
 * peer and host verification are always on, unless the account's explicit
 * exception flag is set, which is logged at warn level on every request.
 * Redirects are followed only within the same origin. Requests are retried
 * (exponential backoff with jitter, Retry-After honoured) only when that is
 * safe. Never: log a password, a token or an Authorization header.
 */
#ifndef MAPIDAV_DAVSYNC_HTTP_H
#define MAPIDAV_DAVSYNC_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "davsync/http_error.h"

typedef struct ds_http ds_http;

typedef enum ds_http_method {
    DS_HTTP_GET,
    DS_HTTP_HEAD,
    DS_HTTP_PUT,
    DS_HTTP_DELETE,
    DS_HTTP_MKCOL,
    DS_HTTP_MOVE,
    DS_HTTP_COPY,
    DS_HTTP_PROPFIND,
    DS_HTTP_PROPPATCH,
    DS_HTTP_REPORT,
    DS_HTTP_OPTIONS,
    DS_HTTP_MKCALENDAR              /* RFC 4791 */
} ds_http_method;

/* Authentication schemes (any combination; curl picks the best offered). */
enum {
    DS_HTTP_AUTH_BASIC = 1u << 0,
    DS_HTTP_AUTH_DIGEST = 1u << 1,
    DS_HTTP_AUTH_NTLM = 1u << 2     /* only if curl has it: ds_http_has_ntlm() */
};

/* Bearer-token hook: *out = a malloc'd token for this request (the client
 * frees it and registers it as a log secret), or return nonzero to fail the
 * request with DS_EAUTH. `renew` is 1 after the server refused the last token. */
typedef int (*ds_http_token_fn)(void *arg, char **out, int renew);

typedef struct ds_http_config {
    const char *user;               /* NULL: no credentials */
    const char *password;           /* registered with st_log_add_secret */
    unsigned auth;                  /* DS_HTTP_AUTH_*; 0: Basic|Digest (|NTLM if built) */
    ds_http_token_fn bearer;        /* non-NULL: Authorization: Bearer from this hook */
    void *bearer_arg;
    const char *ca_file;            /* PEM bundle; NULL: the system's (on Windows: the
                                       ROOT certificate store) */
    int system_roots;               /* Windows: also trust the ROOT store when ca_file
                                       is set (it is always used without ca_file) */
    const char *pinned_pubkey;      /* "sha256//BASE64[;sha256//...]" of the server's
                                       public key (SPKI), or NULL */
    int insecure_tls;               /* the account's explicit "ignore certificate
                                       errors" exception; warned about on every use */
    const char *proxy;              /* NULL: the system's (Linux: http_proxy ... in
                                       the environment; Windows: Internet Options,
                                       http_proxy_win.c); "": none; else
                                       "http://host:port" */
    int max_connections;            /* parallel connections to the host; 0: 6 */
    int http2;                      /* opt-in HTTP/2 (multiplexed) */
    long connect_timeout_ms;        /* 0: 15000 */
    long low_speed_time_s;          /* abort below 1 byte/s for this long; 0: 60 */
    int max_retries;                /* extra attempts; 0: 3; -1: none */
    unsigned retry_base_ms;         /* first backoff; 0: 500 */
    unsigned retry_max_ms;          /* longest backoff or Retry-After; 0: 60000 */
    size_t max_body;                /* cap for bodies kept in memory; 0: 64 MiB */
    const char *user_agent;         /* NULL: "mapidav/VERSION" */
} ds_http_config;

/* Streaming sinks and sources. Return 0 to go on; a nonzero value aborts the
 * transfer and becomes the request's result code. */
typedef int (*ds_http_write_fn)(void *arg, const char *data, size_t len);
/* Fill buf with up to size bytes; *out_n = 0 at the end. */
typedef int (*ds_http_read_fn)(void *arg, char *buf, size_t size, size_t *out_n);
/* Go back to the start of the body (for a retry, a redirect or an auth round). */
typedef int (*ds_http_rewind_fn)(void *arg);

typedef struct ds_http_result ds_http_result;
/* Called on the owning thread from ds_http_run/ds_http_cancel*; res is
 * borrowed for the call. It may submit and cancel, but never free the client. */
typedef void (*ds_http_done_fn)(void *arg, const ds_http_result *res);

typedef struct ds_http_request {
    ds_http_method method;
    const char *url;                /* absolute http(s) URL */
    const char *depth;              /* Depth: "0", "1", "infinity"; NULL: none */
    const char *destination;        /* Destination: for MOVE/COPY */
    int overwrite;                  /* Overwrite: 'T', 'F', or 0 for none */
    const char *if_match;           /* If-Match: value as is (an ETag) */
    const char *if_none_match;      /* If-None-Match: "*" or an ETag */
    const char *content_type;       /* of the body; PROPFIND/PROPPATCH/REPORT
                                       default to application/xml; charset=utf-8 */
    const char *const *headers;     /* more "Name: value" lines, NULL-ended; or NULL */
    const void *body;               /* request body in memory, or NULL */
    size_t body_len;
    ds_http_read_fn read;           /* or a streamed body (when body is NULL) */
    ds_http_rewind_fn rewind;       /* NULL: a streamed body cannot be re-sent */
    void *read_arg;
    int64_t upload_size;            /* of a streamed body; -1: unknown (chunked) */
    ds_http_write_fn write;         /* response body of a 2xx goes here; NULL: memory */
    void *write_arg;
    size_t max_body;                /* memory cap for this one; 0: the config's */
    int accept_encoding;            /* offer gzip/deflate: 1 yes, -1 no, 0 default =
                                       yes for PROPFIND/REPORT only (pitfall 8: a
                                       gzipped GET changes Apache's ETag) */
    int retry_safe;                 /* may be re-sent although not idempotent */
    long timeout_ms;                /* whole transfer; 0: none (low-speed still applies) */
    ds_http_done_fn done;           /* NULL with ds_http_perform */
    void *done_arg;
} ds_http_request;

struct ds_http_result {
    uint64_t id;                    /* from ds_http_submit */
    int code;                       /* 0 (2xx, and not 207 on PUT) or DS_E* / ST_ERROR */
    long status;                    /* final HTTP status, 0 if none */
    const char *error;              /* why, for a human (redacted); "" on success */
    const char *url;                /* the URL finally asked (after redirects) */
    const char *etag;               /* ETag: as is (weak ones too), or NULL */
    const char *content_type;       /* Content-Type:, or NULL */
    const char *location;           /* Location:, or NULL */
    const char *dav;                /* DAV: (compliance classes), or NULL */
    const char *retry_after;        /* Retry-After: as sent, or NULL */
    const char *content_encoding;   /* Content-Encoding: (already decoded), or NULL */
    int64_t content_length;         /* Content-Length:, -1 if none */
    const char *body;               /* memory body (NUL-terminated), or error body
                                       of a non-2xx answer (first 64 KiB); may be NULL */
    size_t body_len;
    uint64_t body_bytes;            /* bytes of the final body received (decoded) */
    int attempts;                   /* 1 + retries */
    int redirects;                  /* same-origin redirects followed */
    long connects;                  /* new connections this request opened */
    double seconds;                 /* from submit to done */
};

/* ---- the client ---------------------------------------------------------- */

int ds_http_new(ds_http **out, const ds_http_config *cfg);
/* Cancels what is left (done callbacks run with DS_ECANCELLED). NULL-safe. */
void ds_http_free(ds_http *h);

/* Queues rq (copied, strings too; a memory body is copied). *out_id may be NULL. */
int ds_http_submit(ds_http *h, const ds_http_request *rq, uint64_t *out_id);

/* Runs transfers for at most timeout_ms (-1: until nothing is pending).
 * Returns early when the queue empties or ds_http_wakeup is called. Returns
 * 0, or DS_ECANCELLED if ds_http_abort was seen (everything was cancelled). */
int ds_http_run(ds_http *h, long timeout_ms);

/* Requests not yet done. */
size_t ds_http_pending(const ds_http *h);

/* From the owning thread: ends one request / all with DS_ECANCELLED (done
 * callbacks run before this returns). ds_http_cancel returns DS_ENOTFOUND
 * for an unknown id. */
int ds_http_cancel(ds_http *h, uint64_t id);
void ds_http_cancel_all(ds_http *h);

/* Any thread: make ds_http_run return soon. */
void ds_http_wakeup(ds_http *h);
/* The owning thread, from a callback inside ds_http_run: it returns after
 * this pass. Cheaper than ds_http_wakeup (no wake-up through curl, which
 * costs system calls and a spare pass of the next run). */
void ds_http_yield(ds_http *h);
/* Any thread: cancel everything at the next chance (within milliseconds). */
void ds_http_abort(ds_http *h);

/* Submit and run until this request is done. *res must be freed with
 * ds_http_result_clear (also on failure). Returns res->code. */
int ds_http_perform(ds_http *h, const ds_http_request *rq, ds_http_result *res);
void ds_http_result_clear(ds_http_result *res);

typedef struct ds_http_stats {
    uint64_t requests;      /* finished */
    uint64_t attempts;      /* transfers started (retries and redirects included) */
    uint64_t connects;      /* connections opened */
    uint64_t retries;
} ds_http_stats;

void ds_http_get_stats(const ds_http *h, ds_http_stats *out);

/* ---- helpers --------------------------------------------------------------- */

/* 1 for W/"...". A weak ETag never matches If-Match (RFC 7232 3.1 uses
 * strong comparison): Apache hands out weak ETags for about a second after a
 * write (PEERS.md pitfall 2) and answers 412 to If-Match with one, which is
 * not a conflict. Callers should not store a weak ETag as the base of a
 * conditional write: fetch it again (HEAD/PROPFIND) a moment later, or
 * write without If-Match only where the engine can prove nobody else wrote.
 * test_http_apache shows the behaviour. */
int ds_etag_is_weak(const char *etag);

const char *ds_http_method_name(ds_http_method m);

/* 1 if the linked curl can do NTLM. (Linux: yes; the Windows build: see
 * ds_http_has_ntlm's note in http_auth.c.) */
int ds_http_has_ntlm(void);

/* Retry-After (delay-seconds or HTTP-date) as milliseconds from now_unix
 * (seconds since 1970); -1 if unreadable. */
long ds_http_retry_after_ms(const char *value, int64_t now_unix);

/* *out = "sha256//BASE64" of the public key of the first certificate in a PEM
 * or DER file, for ds_http_config.pinned_pubkey. */
int ds_http_pin_from_cert_file(char **out, const char *path);

#endif /* MAPIDAV_DAVSYNC_HTTP_H */
