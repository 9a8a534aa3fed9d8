/*
 * http_int.h: what the files of the HTTP client share (http.c the queue and
 * multi loop, http_auth.c credentials, http_tls.c / http_tls_win.c
 * certificates). Private to davsync/http*.c.
 *
 * Invariant: a ds_http and everything hanging off it is touched only by its
 * owning thread, except the two atomics `wake` and `abort_req`. Never: put
 * windows.h in here (http_tls_win.c and http_proxy_win.c include it).
 */
#ifndef MAPIDAV_DAVSYNC_HTTP_INT_H
#define MAPIDAV_DAVSYNC_HTTP_INT_H

#include <stdatomic.h>

#include <curl/curl.h>

#include "davsync/http.h"

struct ds_http_req;

/* Easy handles kept for reuse (curl_easy_reset is cheaper than a cleanup
 * and a new handle per request; no reset at all is cheaper still: see
 * spare_kind). */
#define DS_HTTP_SPARE_MAX 16
#define DS_HTTP_ENDED_MAX 64   /* ended transfers taken from curl per pass */

struct ds_http {
    ds_http_config cfg;             /* copy; strings below are owned */
    char *user, *password, *ca_file, *pin, *proxy, *user_agent;
    char *noproxy;                  /* hosts the proxy is not used for (CURLOPT_NOPROXY) */
    unsigned auth_mask;             /* CURLAUTH_* from cfg.auth */
    CURLM *multi;                   /* the one multi handle (connection cache) */
    struct ds_http_req *head;       /* every request not yet done, oldest first */
    struct ds_http_req *tail;
    size_t npending;
    uint64_t next_id;
    uint64_t rng;                   /* xorshift state for jitter */
    ds_http_stats stats;
    void *tls_roots;                /* Windows: the mbedTLS chain of trusted roots */
    atomic_int wake;                /* set by ds_http_wakeup */
    atomic_int abort_req;           /* set by ds_http_abort */
    uint64_t cancels;               /* ds_http_cancel(_all) calls: a callback's
                                     * cancel frees requests ds_http_run holds */
    CURL *spare[DS_HTTP_SPARE_MAX]; /* easy handles of ended attempts, for the next */
    unsigned spare_kind[DS_HTTP_SPARE_MAX]; /* what each was set up for (http.c
                                     * plain_kind), 0: anything, reset before use */
    size_t nspare;
};

/* http_auth.c: credentials on one easy handle for one attempt. renew asks
 * the bearer hook for a fresh token. */
int ds_http__auth_setup(ds_http *h, CURL *easy, char **bearer_slot, int renew);

/* http_tls.c: verification, CA, pin, Windows roots on one easy handle. */
int ds_http__tls_setup(ds_http *h, CURL *easy, const char *url);
/* Frees what tls setup kept (the Windows root chain). */
void ds_http__tls_free(ds_http *h);

#if defined(_WIN32)
/* http_proxy_win.c: the user's proxy settings (Internet Options) for a
 * client whose config says proxy NULL. *proxy / *noproxy malloc'd or NULL;
 * 0, or ST_ERROR (out of memory). */
int ds_http__system_proxy(char **proxy, char **noproxy);

/* http_tls_win.c: builds *out (an mbedtls_x509_crt *) from the ROOT store,
 * plus ca_file if not NULL. */
int ds_http__win_roots(void **out, const char *ca_file);
void ds_http__win_roots_free(void *roots);
/* CURLOPT_SSL_CTX_FUNCTION: installs the chain (userptr) in mbedTLS's config. */
CURLcode ds_http__win_ssl_ctx(CURL *easy, void *ssl_conf, void *userptr);
#endif

#endif /* MAPIDAV_DAVSYNC_HTTP_INT_H */
