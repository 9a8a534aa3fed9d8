/*
 * http_auth.c: credentials for one transfer: Basic, Digest, NTLM through
 * curl's own negotiation, or a bearer token from the account's hook.
 *
 * NTLM: curl needs MD4 and DES for it. Both builds have it, as
 * ds_http_has_ntlm() reports at run time: Linux (Debian's curl on OpenSSL),
 * and the Windows build (curl 7.88 on mbedTLS 2.28 without SSPI: DES from
 * mbedTLS, MD4 from curl's own implementation) - checked by test_http_fault
 * under Wine. Were it missing, DS_HTTP_AUTH_NTLM is dropped from the mask
 * with a warning. The NTLM exchange itself is curl's: test_http_ntlm runs it,
 * natively and under Wine, against a real NTLM server (serve.py's `ntlm`
 * peer: Squid with Samba's ntlm_auth); Digest against Apache's digest/.
 *
 * Invariant: the password and every token are registered as log secrets
 * before curl sees them. Never: build an Authorization header by hand (curl
 * keeps it out of its own debug output's reach only as a header; we filter it
 * in the trace too) or log a token.
 */
#include <stdlib.h>
#include <string.h>

#include "davsync/http_int.h"
#include "storage/error.h"
#include "storage/log.h"

int ds_http_has_ntlm(void)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    return (v->features & CURL_VERSION_NTLM) != 0;
}

int ds_http__auth_setup(ds_http *h, CURL *easy, char **bearer_slot, int renew)
{
    if (h->cfg.bearer) {
        char *tok = NULL;
        if (h->cfg.bearer(h->cfg.bearer_arg, &tok, renew) != 0 || !tok || !*tok) {
            free(tok);
            st_error_set("no bearer token for the request");
            return DS_EAUTH;
        }
        st_log_add_secret(tok);
        free(*bearer_slot);
        *bearer_slot = tok;
        curl_easy_setopt(easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
        curl_easy_setopt(easy, CURLOPT_XOAUTH2_BEARER, tok);
        return 0;
    }
    if (h->user) {
        curl_easy_setopt(easy, CURLOPT_HTTPAUTH, (long)h->auth_mask);
        curl_easy_setopt(easy, CURLOPT_USERNAME, h->user);
        curl_easy_setopt(easy, CURLOPT_PASSWORD, h->password ? h->password : "");
    }
    return 0;
}
