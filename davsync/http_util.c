/*
 * http_util.c: the small pure helpers of the HTTP layer: error and method
 * names, weak ETags, Retry-After.
 *
 * Invariant: no state, no allocation; safe on any thread. Never: trust a
 * Retry-After to be sane (negative and absurd values are clamped or refused).
 */
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "davsync/http.h"
#include "storage/error.h"

const char *ds_error_name(int code)
{
    switch (code) {
    case 0: return "OK";
    case ST_ERROR: return "ST_ERROR";
    case DS_EAUTH: return "DS_EAUTH";
    case DS_EPRECOND: return "DS_EPRECOND";
    case DS_ENOTFOUND: return "DS_ENOTFOUND";
    case DS_ETLS: return "DS_ETLS";
    case DS_ENETWORK: return "DS_ENETWORK";
    case DS_ECANCELLED: return "DS_ECANCELLED";
    case DS_ETIMEOUT: return "DS_ETIMEOUT";
    case DS_EPROTO: return "DS_EPROTO";
    case DS_EHTTP: return "DS_EHTTP";
    default: return "?";
    }
}

int ds_etag_is_weak(const char *etag)
{
    return etag && etag[0] == 'W' && etag[1] == '/';
}

const char *ds_http_method_name(ds_http_method m)
{
    static const char *const names[] = {
        "GET", "HEAD", "PUT", "DELETE", "MKCOL", "MOVE", "COPY", "PROPFIND", "PROPPATCH",
        "REPORT", "OPTIONS", "MKCALENDAR"
    };
    return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

long ds_http_retry_after_ms(const char *value, int64_t now_unix)
{
    const char *p = value;
    int64_t secs = 0;

    if (!p)
        return -1;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p >= '0' && *p <= '9') {
        for (; *p >= '0' && *p <= '9'; p++) {
            secs = secs * 10 + (*p - '0');
            if (secs > 86400 * 365)
                return -1;
        }
        while (*p == ' ' || *p == '\t')
            p++;
        return *p ? -1 : (long)(secs * 1000);
    }
    /* An HTTP-date (RFC 7231 7.1.3): curl reads all three formats. */
    time_t t = curl_getdate(p, NULL);
    if (t == (time_t)-1)
        return -1;
    secs = (int64_t)t - now_unix;
    if (secs < 0)
        secs = 0;
    if (secs > 86400 * 365)
        return -1;
    return (long)(secs * 1000);
}
