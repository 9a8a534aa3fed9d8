/*
 * http_proxy_win.c: the Windows user's proxy settings, as Internet Options
 * keep them (HKCU\Software\Microsoft\Windows\CurrentVersion\Internet
 * Settings: ProxyEnable, ProxyServer, ProxyOverride), turned into curl's
 * CURLOPT_PROXY and CURLOPT_NOPROXY for a client created with proxy NULL
 * ("the system's"). On Linux curl reads the environment itself.
 *
 * ProxyServer is "host:port" (every scheme) or "http=h:p;https=h:p;...":
 * the https= entry is taken (the mail server is normally HTTPS), else
 * http=, and "http://" is put in front when no scheme is given.
 * ProxyOverride is a ';' list: "<local>" (names without a dot) becomes
 * localhost and the loopback addresses, "*.example.org" the suffix
 * ".example.org", a plain name stays; patterns curl cannot express
 * ("10.*") are logged and left out. An automatic configuration script
 * (PAC) or WPAD is not read: logged once, and no proxy is used.
 * Never: fail a client for a setting it cannot read (it logs and goes on
 * without a proxy).
 */
#include <winsock2.h>
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "davsync/http_int.h"
#include "storage/log.h"
#include "storage/strutil.h"

#define SETTINGS_KEY L"Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings"

/* A REG_SZ value as UTF-8, malloc'd, or NULL. */
static char *reg_string(HKEY key, const wchar_t *name)
{
    DWORD type = 0, size = 0;
    if (RegQueryValueExW(key, name, NULL, &type, NULL, &size) != ERROR_SUCCESS ||
        (type != REG_SZ && type != REG_EXPAND_SZ) || size < sizeof(wchar_t) || size > 65536)
        return NULL;
    wchar_t *w = calloc(size / sizeof(wchar_t) + 1, sizeof(wchar_t));
    if (!w)
        return NULL;
    char *out = NULL;
    if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)w, &size) == ERROR_SUCCESS) {
        int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
        if (n > 0 && (out = malloc((size_t)n)))
            WideCharToMultiByte(CP_UTF8, 0, w, -1, out, n, NULL, NULL);
    }
    free(w);
    return out;
}

/* The proxy for https from a ProxyServer value, with a scheme; malloc'd. */
static char *pick_proxy(const char *v)
{
    const char *pick = NULL;
    size_t len = 0;
    if (!strchr(v, '=')) {
        pick = v;
        len = strcspn(v, ";");
    } else {
        static const char *const prefer[] = { "https=", "http=" };
        for (size_t k = 0; k < 2 && !pick; k++)
            for (const char *p = v; *p; p += strcspn(p, ";"), p += *p == ';') {
                size_t pl = strlen(prefer[k]);
                if (!_strnicmp(p, prefer[k], pl)) {
                    pick = p + pl;
                    len = strcspn(pick, ";");
                    break;
                }
            }
    }
    while (pick && len && (*pick == ' '))
        pick++, len--;
    if (!pick || !len)
        return NULL;
    int has_scheme = strstr(pick, "://") && (size_t)(strstr(pick, "://") - pick) < len;
    char *out = malloc(len + 8);
    if (out) {
        strcpy(out, has_scheme ? "" : "http://");
        strncat(out, pick, len);
    }
    return out;
}

/* ProxyOverride -> curl's NOPROXY list; malloc'd. */
static char *no_proxy(const char *v)
{
    char *out = malloc(strlen(v) * 2 + 64), *o = out;
    if (!out)
        return NULL;
    *o = 0;
    for (const char *p = v; *p; p += strcspn(p, ";"), p += *p == ';') {
        size_t n = strcspn(p, ";");
        while (n && *p == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        if (!n)
            continue;
        const char *add = NULL;
        size_t add_len = 0;
        if (n == 7 && !_strnicmp(p, "<local>", 7)) {
            add = "localhost,127.0.0.1,::1";
            add_len = strlen(add);
        } else if (n > 2 && p[0] == '*' && p[1] == '.' && !memchr(p + 1, '*', n - 1)) {
            add = p + 1;   /* ".example.org" */
            add_len = n - 1;
        } else if (!memchr(p, '*', n)) {
            add = p;
            add_len = n;
        } else {
            ST_LOG_INFO(ST_LOG_HTTP, "proxy bypass pattern '%.*s' cannot be used: left out",
                (int)n, p);
            continue;
        }
        if (o != out)
            *o++ = ',';
        memcpy(o, add, add_len);
        o += add_len;
        *o = 0;
    }
    return out;
}

int ds_http__system_proxy(char **proxy, char **noproxy)
{
    *proxy = NULL;
    *noproxy = NULL;
    HKEY key;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, KEY_READ, &key) != ERROR_SUCCESS)
        return 0;
    DWORD enable = 0, size = sizeof enable, type = 0;
    if (RegQueryValueExW(key, L"ProxyEnable", NULL, &type, (BYTE *)&enable, &size) !=
            ERROR_SUCCESS || type != REG_DWORD)
        enable = 0;
    char *server = enable ? reg_string(key, L"ProxyServer") : NULL;
    char *bypass = server ? reg_string(key, L"ProxyOverride") : NULL;
    char *pac = reg_string(key, L"AutoConfigURL");
    RegCloseKey(key);
    if (pac && !server)
        ST_LOG_WARN(ST_LOG_HTTP, "the system proxy is set by a configuration script (%s), "
            "which is not read: no proxy is used; give one in the account", pac);
    int code = 0;
    if (server) {
        *proxy = pick_proxy(server);
        if (*proxy && bypass)
            *noproxy = no_proxy(bypass);
        if (!*proxy)
            ST_LOG_WARN(ST_LOG_HTTP, "system proxy '%s' not understood: no proxy is used",
                server);
        else
            ST_LOG_INFO(ST_LOG_HTTP, "system proxy %s (not for: %s)", *proxy,
                *noproxy ? *noproxy : "-");
        if (bypass && *proxy && !*noproxy)
            code = ST_ERROR;   /* out of memory */
    }
    free(server);
    free(bypass);
    free(pac);
    if (code) {
        free(*proxy);
        *proxy = NULL;
        st_error_set("out of memory");
    }
    return code;
}
