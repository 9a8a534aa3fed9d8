/*
 * version.c: which network libraries the sync engine runs on. Reports what is
 * linked (curl_version_info, XML_ExpatVersion, zlibVersion,
 * mbedtls_version_get_string), so a debug log or `mapidav version` tells the
 * truth about a static Windows build as well as a Linux one.
 */
#include <stdio.h>

#include <curl/curl.h>
#include <expat.h>
#include <mbedtls/version.h>
#include <zlib.h>

#include "davsync/davsync.h"

char *ds_library_versions(char *buf, size_t size)
{
    const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    char tls[32];

    mbedtls_version_get_string(tls);
    snprintf(buf, size, "curl/%s (%s) mbedTLS/%s expat/%s zlib/%s",
             cv->version, cv->ssl_version ? cv->ssl_version : "no TLS", tls,
             XML_ExpatVersion() + (sizeof "expat_" - 1), zlibVersion());
    return buf;
}
