/*
 * http_tls.c: certificate checks for one transfer: verification on, the CA
 * bundle, an optional public-key pin, the account's explicit exception; and
 * making a pin from a certificate file (mbedTLS, on both platforms).
 *
 * On Windows curl (mbedTLS backend) has no default CA bundle: the ROOT store
 * is loaded once per client (http_tls_win.c) and installed through
 * CURLOPT_SSL_CTX_FUNCTION, together with ca_file if one is set.
 *
 * Invariant: CURLOPT_SSL_VERIFYPEER/VERIFYHOST are off only with
 * cfg.insecure_tls, and then a warning is logged for every request. Never:
 * turn verification off for any other reason.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/version.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "davsync/http_int.h"
#include "storage/error.h"
#include "storage/log.h"

int ds_http__tls_setup(ds_http *h, CURL *easy, const char *url)
{
    if (strncmp(url, "https:", 6) != 0)
        return 0;
    if (h->cfg.insecure_tls) {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "TLS certificate verification is OFF for %s "
                    "(the account's exception)", url);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    }
#if defined(_WIN32)
    if (!h->ca_file || h->cfg.system_roots) {
        if (!h->tls_roots) {
            int rc = ds_http__win_roots(&h->tls_roots, h->ca_file);
            if (rc)
                return rc;
        }
        curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, ds_http__win_ssl_ctx);
        curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, h->tls_roots);
    } else {
        curl_easy_setopt(easy, CURLOPT_CAINFO, h->ca_file);
    }
#else
    if (h->ca_file)
        curl_easy_setopt(easy, CURLOPT_CAINFO, h->ca_file);
#endif
    if (h->pin)
        curl_easy_setopt(easy, CURLOPT_PINNEDPUBLICKEY, h->pin);
    return 0;
}

void ds_http__tls_free(ds_http *h)
{
#if defined(_WIN32)
    ds_http__win_roots_free(h->tls_roots);
#endif
    h->tls_roots = NULL;
}

int ds_http_pin_from_cert_file(char **out, const char *path)
{
    mbedtls_x509_crt crt;
    unsigned char der[4096], hash[32], b64[64];
    size_t b64_len = 0;
    int n, rc = DS_ETLS;

    *out = NULL;
    mbedtls_x509_crt_init(&crt);
    if (mbedtls_x509_crt_parse_file(&crt, path) != 0) {
        st_error_set("%s: no certificate could be read", path);
        goto cleanup;
    }
    /* mbedtls_pk_write_pubkey_der writes at the end of the buffer. */
    n = mbedtls_pk_write_pubkey_der(&crt.pk, der, sizeof(der));
    if (n <= 0) {
        st_error_set("%s: cannot encode the public key", path);
        goto cleanup;
    }
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_sha256(der + sizeof(der) - n, (size_t)n, hash, 0);
#else
    mbedtls_sha256_ret(der + sizeof(der) - n, (size_t)n, hash, 0);
#endif
    if (mbedtls_base64_encode(b64, sizeof(b64), &b64_len, hash, sizeof(hash)) != 0)
        goto cleanup;
    *out = malloc(8 + b64_len + 1);
    if (!*out) {
        st_error_set("out of memory");
        rc = ST_ERROR;
        goto cleanup;
    }
    memcpy(*out, "sha256//", 8);
    memcpy(*out + 8, b64, b64_len);
    (*out)[8 + b64_len] = '\0';
    rc = 0;
cleanup:
    mbedtls_x509_crt_free(&crt);
    return rc;
}
