/*
 * http_tls_win.c: Windows only. The system ROOT certificate store as an
 * mbedTLS chain, installed into each TLS connection through curl's
 * CURLOPT_SSL_CTX_FUNCTION (the Windows curl is built on mbedTLS with no CA
 * bundle of its own).
 *
 * Invariant: the chain is built once per client and outlives every
 * connection that uses it (freed in ds_http_free after the multi handle).
 * With http_proxy_win.c, the only files of davsync/ that include windows.h. Never: trust a
 * certificate the store does not hold as a root, or skip one silently
 * (certificates mbedTLS cannot parse are counted in the log).
 */
#include <stdlib.h>

/* curl.h (through http_int.h) brings winsock2.h, which must come first. */
#include "davsync/http_int.h"

#include <windows.h>
#include <wincrypt.h>

#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "storage/error.h"
#include "storage/log.h"

int ds_http__win_roots(void **out, const char *ca_file)
{
    mbedtls_x509_crt *chain = malloc(sizeof(*chain));
    HCERTSTORE store;
    PCCERT_CONTEXT ctx = NULL;
    int added = 0, bad = 0;

    *out = NULL;
    if (!chain) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    mbedtls_x509_crt_init(chain);
    store = CertOpenSystemStoreW(0, L"ROOT");
    if (store) {
        while ((ctx = CertEnumCertificatesInStore(store, ctx)) != NULL) {
            if (ctx->dwCertEncodingType & X509_ASN_ENCODING
                && mbedtls_x509_crt_parse_der(chain, ctx->pbCertEncoded, ctx->cbCertEncoded) == 0)
                added++;
            else
                bad++;
        }
        CertCloseStore(store, 0);
    } else {
        ST_LOG_WARN(ST_LOG_DAVSYNC, "cannot open the ROOT certificate store (error %lu)",
                    (unsigned long)GetLastError());
    }
    if (ca_file) {
        int rc = mbedtls_x509_crt_parse_file(chain, ca_file);
        if (rc < 0) {
            st_error_set("CA file %s could not be read (mbedTLS -0x%04x)", ca_file,
                         (unsigned)-rc);
            mbedtls_x509_crt_free(chain);
            free(chain);
            return DS_ETLS;
        }
        added++;
    }
    ST_LOG_INFO(ST_LOG_DAVSYNC, "TLS roots: %d from the ROOT store%s, %d unreadable", added,
                ca_file ? " and the CA file" : "", bad);
    *out = chain;
    return 0;
}

void ds_http__win_roots_free(void *roots)
{
    if (roots) {
        mbedtls_x509_crt_free(roots);
        free(roots);
    }
}

CURLcode ds_http__win_ssl_ctx(CURL *easy, void *ssl_conf, void *userptr)
{
    (void)easy;
    /* With the mbedTLS backend, curl passes its mbedtls_ssl_config. */
    mbedtls_ssl_conf_ca_chain(ssl_conf, userptr, NULL);
    return CURLE_OK;
}
