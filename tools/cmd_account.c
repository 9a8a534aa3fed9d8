/*
 * cmd_account.c: `mapidav account add|list|remove` and `mapidav
 * offline|online`: an account's folder, catalog, store and credentials
 * (account.h, cred.h).
 *
 * add checks everything it is given (name, URL, connection count, CA file,
 * password source) before it creates anything, then creates the folder, the
 * catalog with the "account.*" settings, the private store under a new
 * GUID (st_guid_new), and the credentials; on any failure it removes the folder
 * again, so no half account is left.
 *
 * Invariant: a password comes from a prompt (echo off), an environment
 * variable or a file, never from the command line; it is wiped from memory
 * after use. Never: print it; remove a folder that is not an account.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"
#include "storage/os.h"
#include "storage/props_guids.h"
#include "storage/strutil.h"
#include "tools/account.h"
#include "tools/cred.h"
#include "tools/tool.h"
#include "tools/tool_os.h"

#define MAX_CONNECTIONS 32

static int usage(void)
{
    fputs("usage: mapidav account add NAME --url URL --user USER\n"
          "                 [--password-env VAR | --password-file FILE]\n"
          "                 [--ca-file PEM] [--insecure-tls] [--connections N]\n"
          "       mapidav account list\n"
          "       mapidav account remove NAME\n", stderr);
    return 2;
}

typedef struct add_args {
    const char *name, *url, *user, *pw_env, *pw_file, *ca_file;
    int insecure;
    long connections;          /* 0: the default */
} add_args;

/* The password from its source; *out malloc'd. 0 or 1 (printed). */
static int get_password(char **out, const add_args *a)
{
    *out = NULL;
    if (a->pw_env) {
        char *v = NULL;
        if (st_os_getenv(&v, a->pw_env) != 0 || !v || !*v) {
            free(v);
            return tool_fail("--password-env %s: that variable is not set or empty", a->pw_env);
        }
        *out = v;
        return 0;
    }
    if (a->pw_file) {
        uint8_t *data = NULL;
        size_t len = 0;
        if (tool_read_file(&data, &len, a->pw_file))
            return 1;
        size_t end = strcspn((char *)data, "\r\n");   /* the first line */
        char *pw = end ? st_memdup(data, end) : NULL;
        tool_os_wipe(data, len);
        free(data);
        if (!pw)
            return tool_fail("--password-file %s: no password on its first line", a->pw_file);
        *out = pw;
        return 0;
    }
    int rc = tool_os_read_password(out, "Password: ");
    if (rc == 1)
        return tool_fail("no password: standard input is not a terminal; use --password-env VAR"
            " or --password-file FILE");
    if (rc)
        return tool_fail("reading the password: %s", st_error_last());
    if (!**out) {
        free(*out);
        *out = NULL;
        return tool_fail("no password was typed");
    }
    return 0;
}

static int parse_add(add_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--password") || !strncmp(o, "--password=", 11)) {
            fputs("mapidav: the password is never taken on the command line (other users can"
                  " see it): use --password-env VAR, --password-file FILE, or type it when"
                  " asked\n", stderr);
            return 2;
        }
        if (!strcmp(o, "--insecure-tls")) {
            a->insecure = 1;
            continue;
        }
        const char **slot = !strcmp(o, "--url") ? &a->url : !strcmp(o, "--user") ? &a->user
            : !strcmp(o, "--password-env") ? &a->pw_env : !strcmp(o, "--password-file") ? &a->pw_file
            : !strcmp(o, "--ca-file") ? &a->ca_file : NULL;
        if (slot && v) {
            *slot = v;
            i++;
        } else if (!strcmp(o, "--connections") && v) {
            char *end = NULL;
            errno = 0;
            a->connections = strtol(v, &end, 10);
            if (*end || errno || a->connections < 1 || a->connections > MAX_CONNECTIONS) {
                fprintf(stderr, "mapidav: --connections %s: give a number from 1 to %d\n", v,
                    MAX_CONNECTIONS);
                return 2;
            }
            i++;
        } else if (o[0] != '-' && !a->name) {
            a->name = o;
        } else {
            return usage();
        }
    }
    if (!a->name || !a->url || !a->user)
        return usage();
    if (a->pw_env && a->pw_file) {
        fputs("mapidav: give one of --password-env and --password-file\n", stderr);
        return 2;
    }
    return 0;
}

/* Catalog, settings, store, credentials in dir (which exists). 0 or 1. */
static int create_account(const add_args *a, const char *dir, const char *url, const char *pw)
{
    char *cat_path = tool_path_join(dir, "catalog.sqlite"), *store_path = NULL;
    st_catalog *cat = NULL;
    st_store *st = NULL;
    int rc = 1;
    if (!cat_path || st_catalog_open(&cat, cat_path, ST_OPEN_CREATE) != 0) {
        tool_fail("creating the account's catalog: %s", st_error_last());
        goto cleanup;
    }
    char conns[16];
    snprintf(conns, sizeof conns, "%ld", a->connections);
    if (st_catalog_setting_set(cat, ACC_URL, url) || st_catalog_setting_set(cat, ACC_USER, a->user) ||
        (a->ca_file && st_catalog_setting_set(cat, ACC_CA_FILE, a->ca_file)) ||
        (a->insecure && st_catalog_setting_set(cat, ACC_INSECURE_TLS, "1")) ||
        (a->connections && st_catalog_setting_set(cat, ACC_CONNECTIONS, conns))) {
        tool_fail("writing the account's settings: %s", st_error_last());
        goto cleanup;
    }
    st_guid g;
    st_guid_new(&g, dir);
    st_store_info info = { .guid = g, .kind = ST_STORE_KIND_PRIVATE,
                           .display_name = (char *)(uintptr_t)a->name, .url = (char *)(uintptr_t)url };
    if (st_catalog_store_add(cat, &info) || st_catalog_store_path(cat, &store_path, &g) ||
        st_store_open(&st, store_path, &g, ST_OPEN_CREATE)) {
        tool_fail("creating the account's store: %s", st_error_last());
        goto cleanup;
    }
    if (tool_cred_save(dir, pw) != 0) {
        tool_fail("saving the password: %s", st_error_last());
        goto cleanup;
    }
    rc = 0;
cleanup:
    st_store_close(st);
    st_catalog_close(cat);
    free(store_path);
    free(cat_path);
    return rc;
}

static int account_add(int argc, char **argv)
{
    add_args a;
    int prc = parse_add(&a, argc, argv);
    if (prc)
        return prc;
    if (!tool_account_name_ok(a.name))
        return tool_fail("'%s' is not a usable account name: use letters, digits, '.', '_' and"
            " '-' (64 at most, not starting with '.')", a.name);
    char *url = NULL;
    if (!strstr(a.url, "://"))
        return tool_fail("--url %s: give the mail folder's full http:// or https:// URL", a.url);
    if (ds_href_normalize(&url, a.url) != 0 || ds_href_add_slash(&url) != 0) {
        int rc = tool_fail("--url %s: not a usable http:// or https:// URL: %s", a.url,
            st_error_last());
        free(url);
        return rc;
    }
    if (!strncmp(url, "http://", 7) && a.insecure)
        fprintf(stderr, "mapidav: warning: --insecure-tls has no effect on an http:// URL\n");
    uint64_t size;
    if (a.ca_file && st_os_path_size(&size, a.ca_file) != 0) {
        free(url);
        return tool_fail("--ca-file %s: no such file", a.ca_file);
    }
    char *data = NULL, *dir = NULL, *pw = NULL;
    int rc = 1, made = 0;
    if (tool_data_dir(&data))
        goto cleanup;
    if (!(dir = tool_path_join(data, a.name))) {
        tool_fail("%s", st_error_last());
        goto cleanup;
    }
    if (st_os_is_dir(dir)) {
        tool_fail("account '%s' exists already (%s): remove it first with `mapidav account remove"
            " %s`", a.name, dir, a.name);
        goto cleanup;
    }
    if (get_password(&pw, &a))
        goto cleanup;
    if (st_os_mkdir_p(dir) != 0) {
        tool_fail("creating %s: %s", dir, st_error_last());
        goto cleanup;
    }
    made = 1;
    if (create_account(&a, dir, url, pw))
        goto cleanup;
    printf("account '%s' added: %s as %s%s\n", a.name, url, a.user,
        a.insecure ? " (TLS certificate NOT checked)" : "");
    printf("next: `mapidav sync` to fetch the mail\n");
    rc = 0;
cleanup:
    if (rc && made)
        st_os_remove_tree(dir);
    if (pw) {
        tool_os_wipe(pw, strlen(pw));
        free(pw);
    }
    free(dir);
    free(data);
    free(url);
    return rc;
}

static int account_list(void)
{
    char **names = NULL;
    size_t n = 0;
    if (tool_account_names(&names, &n))
        return 1;
    if (n == 0)
        printf("no account yet: add one with `mapidav account add NAME --url URL --user USER`\n");
    for (size_t i = 0; i < n; i++) {
        tool_account *a = NULL;
        if (tool_account_open_named(&a, names[i]))
            continue;   /* said why; list the others */
        char *url = tool_account_get(a, ACC_URL), *user = tool_account_get(a, ACC_USER);
        char *off = tool_account_get(a, ACC_OFFLINE), *state = tool_account_get(a, SYNC_STATE);
        printf("%-16s %s  user %s  %s\n", a->name, url ? url : "?", user ? user : "?",
            off && !strcmp(off, "1") ? "offline" : state ? state : "never synced");
        free(url);
        free(user);
        free(off);
        free(state);
        tool_account_close(a);
    }
    tool_account_names_free(names, n);
    return 0;
}

static int account_remove(const char *name)
{
    tool_account *a = NULL;
    if (tool_account_open_named(&a, name))
        return 1;
    char *dir = st_strdup(a->dir);
    tool_account_close(a);   /* close the catalog before its folder goes */
    if (!dir)
        return tool_fail("%s", st_error_last());
    int rc = 0;
    if (st_os_remove_tree(dir) != 0)
        rc = tool_fail("removing %s: %s", dir, st_error_last());
    else
        printf("account '%s' removed (its offline copy and password are deleted)\n", name);
    free(dir);
    return rc;
}

int cmd_account(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "add"))
        return account_add(argc, argv);
    if (!strcmp(argv[1], "list") && argc == 2)
        return account_list();
    if (!strcmp(argv[1], "remove") && argc == 3)
        return account_remove(argv[2]);
    return usage();
}

int cmd_online(int argc, char **argv)
{
    int online = !strcmp(argv[0], "online");
    if (argc != 1) {
        fprintf(stderr, "usage: mapidav %s\n", argv[0]);
        return 2;
    }
    tool_account *a = NULL;
    if (tool_account_open(&a))
        return 1;
    int rc = tool_account_set(a, ACC_OFFLINE, online ? NULL : "1");
    if (!rc)
        printf(online ? "account '%s' is online: `mapidav sync` sends the local changes\n"
                      : "account '%s' works offline: changes wait until `mapidav online`\n",
            a->name);
    tool_account_close(a);
    return rc;
}
