/*
 * sync_setup.c: from an account to a ds_sync_config, and the one-line
 * messages a failed sync ends with (sync_setup.h).
 *
 * Invariant: the state words written to the catalog are the engine's
 * (ds_state_name), so `mapidav status` reads one vocabulary. Never: print
 * or log the password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/engine.h"
#include "davsync/http_error.h"
#include "storage/os.h"
#include "tools/cred.h"
#include "tools/sync_setup.h"
#include "tools/tool.h"
#include "tools/tool_os.h"

int tool_sync_setup_load(tool_sync_setup *ss, tool_account *a)
{
    memset(ss, 0, sizeof *ss);
    char *off = tool_account_get(a, ACC_OFFLINE);
    int offline = off && !strcmp(off, "1");
    free(off);
    if (offline)
        return tool_fail("account '%s' works offline: run `mapidav online` first", a->name);
    ss->url = tool_account_get(a, ACC_URL);
    ss->user = tool_account_get(a, ACC_USER);
    ss->ca_file = tool_account_get(a, ACC_CA_FILE);
    if (!ss->url)
        return tool_fail("account '%s' has no URL: remove it and add it again", a->name);
    int code = tool_cred_load(&ss->password, a->dir);
    if (code == ST_ENOTFOUND && ss->user)
        return tool_fail("account '%s' has no stored password: remove it and add it again",
            a->name);
    if (code && code != ST_ENOTFOUND)
        return tool_fail("account '%s': %s", a->name, st_error_last());
    char *ins = tool_account_get(a, ACC_INSECURE_TLS), *conns = tool_account_get(a, ACC_CONNECTIONS);
    ss->cfg.insecure_tls = ins && !strcmp(ins, "1");
    ss->cfg.max_connections = conns ? atoi(conns) : 0;
    free(ins);
    free(conns);
    if (ss->cfg.insecure_tls && !strncmp(ss->url, "https:", 6))
        fprintf(stderr, "mapidav: warning: account '%s' does not check the server's TLS"
            " certificate (added with --insecure-tls)\n", a->name);
    ss->cfg.mail_url = ss->url;
    ss->cfg.user = ss->user;
    ss->cfg.password = ss->password;
    ss->cfg.ca_file = ss->ca_file;
    ss->cfg.store_path = a->store_path;
    ss->cfg.catalog_path = a->catalog_path;
    return 0;
}

void tool_sync_setup_clear(tool_sync_setup *ss)
{
    if (ss->password)
        tool_os_wipe(ss->password, strlen(ss->password));
    free(ss->password);
    free(ss->url);
    free(ss->user);
    free(ss->ca_file);
    memset(ss, 0, sizeof *ss);
}

int tool_sync_fail(tool_account *a, int code, const char *msg)
{
    char *url = tool_account_get(a, ACC_URL), *user = tool_account_get(a, ACC_USER);
    const char *u = url ? url : "the server";
    switch (code) {
    case DS_EAUTH:
        tool_fail("sync: %s refused user '%s' (wrong password?): remove the account with"
            " `mapidav account remove %s` and add it again", u, user ? user : "", a->name);
        break;
    case DS_ETLS:
        tool_fail("sync: the TLS connection to %s failed: %s; give the server's CA with"
            " --ca-file when adding the account", u, msg);
        break;
    case DS_ENETWORK:
    case DS_ETIMEOUT:
        tool_fail("sync: cannot reach %s: %s; check the URL and the network, or work offline"
            " with `mapidav offline`", u, msg);
        break;
    case DS_ENOTFOUND:
        tool_fail("sync: %s is not on the server (404): check the account's URL (`mapidav"
            " account list`)", u);
        break;
    case DS_ECANCELLED:
        tool_fail("sync: interrupted; run `mapidav sync` to go on (nothing is lost or duplicated)");
        break;
    case DS_EHTTP:
    case DS_EPROTO:
        tool_fail("sync: %s; check that the account's URL is the mail folder on a WebDAV"
            " server (`mapidav account list`)", msg);
        break;
    default:
        tool_fail("sync: %s", msg);
        break;
    }
    free(url);
    free(user);
    return 1;
}

void tool_sync_record(tool_account *a, int code, const char *msg)
{
    ds_state st = code == DS_EAUTH ? DS_STATE_AUTH_FAILED
        : code == DS_ENETWORK || code == DS_ETIMEOUT || code == DS_ETLS ? DS_STATE_DISCONNECTED
        : DS_STATE_IDLE;
    char ft[24];
    snprintf(ft, sizeof ft, "%llu", (unsigned long long)st_os_time_filetime());
    /* A status line is worth less than the sync itself: failures are logged only. */
    if (st_catalog_setting_set(a->cat, SYNC_STATE, ds_state_name(st)) ||
        (code == 0 && st_catalog_setting_set(a->cat, SYNC_LAST_OK, ft)) ||
        st_catalog_setting_set(a->cat, SYNC_LAST_ERROR, code ? msg : NULL))
        fprintf(stderr, "mapidav: warning: recording the sync's outcome: %s\n", st_error_last());
}
