/*
 * account.c: where the tool's accounts live and how one is chosen and
 * opened (account.h). Creating and removing one is cmd_account.c's.
 *
 * Invariant: a name that is not tool_account_name_ok never becomes a path.
 * Never: create anything here (opening is read-write but never creates a
 * catalog or store).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/props_guids.h"
#include "storage/strutil.h"
#include "tools/account.h"
#include "tools/tool.h"
#include "tools/tool_os.h"

static const char *chosen;   /* --account NAME */

void tool_account_choose(const char *name)
{
    chosen = name;
}

/* Where accounts live when MAPIDAV_HOME is not set: the first variable set. */
static const struct {
    const char *var;    /* environment variable holding a folder */
    const char *sub;    /* below it */
} data_places[] = {
#ifdef _WIN32
    { "LOCALAPPDATA", "mapidav" },
#else
    { "XDG_DATA_HOME", "mapidav" },   /* only an absolute path counts (XDG spec) */
    { "HOME", ".local/share/mapidav" },
#endif
};

int tool_data_dir(char **out)
{
    *out = NULL;
    char *v = NULL;
    if (st_os_getenv(&v, "MAPIDAV_HOME") == 0 && v && *v) {
        *out = v;
        return 0;
    }
    for (size_t i = 0; i < sizeof data_places / sizeof data_places[0]; i++) {
        free(v);
        v = NULL;
        if (st_os_getenv(&v, data_places[i].var) != 0 || !v || !*v)
            continue;
#ifndef _WIN32
        if (v[0] != '/')
            continue;
#endif
        *out = tool_path_join(v, data_places[i].sub);
        free(v);
        return *out ? 0 : tool_fail("%s", st_error_last());
    }
    free(v);
    return tool_fail("no folder for the accounts: set MAPIDAV_HOME to one");
}

int tool_account_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || name[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* 1 when <data>/<name>/catalog.sqlite exists. */
static int is_account(const char *data, const char *name)
{
    char *dir = tool_path_join(data, name);
    char *cat = dir ? tool_path_join(dir, "catalog.sqlite") : NULL;
    uint64_t size;
    int yes = cat && st_os_path_size(&size, cat) == 0;
    free(cat);
    free(dir);
    return yes;
}

typedef struct name_list {
    const char *data;   /* the data folder */
    char **names;       /* accounts found, malloc'd */
    size_t n, cap;
} name_list;

static int add_name(void *ctx, const char *name)
{
    name_list *l = ctx;
    if (!tool_account_name_ok(name) || !is_account(l->data, name))
        return 0;
    char **grown = st_grow(l->names, &l->cap, l->n, sizeof *l->names, 8);
    char *copy = grown ? st_strdup(name) : NULL;
    if (grown)
        l->names = grown;
    if (!copy)
        return -1;
    l->names[l->n++] = copy;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void tool_account_names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

int tool_account_names(char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    name_list l = { 0 };
    char *data = NULL;
    if (tool_data_dir(&data))
        return 1;
    l.data = data;
    int code = tool_os_each_dir(data, add_name, &l);
    free(data);
    if (code) {
        tool_account_names_free(l.names, l.n);
        return tool_fail("listing the accounts: %s", st_error_last());
    }
    if (l.n)
        qsort(l.names, l.n, sizeof *l.names, cmp_names);
    *out = l.names;
    *n = l.n;
    return 0;
}

/* The name to use: --account, $MAPIDAV_ACCOUNT, the only account. */
static int pick(char **out)
{
    *out = NULL;
    if (chosen) {
        *out = st_strdup(chosen);
        return *out ? 0 : tool_fail("%s", st_error_last());
    }
    char *env = NULL;
    if (st_os_getenv(&env, "MAPIDAV_ACCOUNT") == 0 && env && *env) {
        *out = env;
        return 0;
    }
    free(env);
    char **names = NULL;
    size_t n = 0;
    if (tool_account_names(&names, &n))
        return 1;
    int rc = 0;
    if (n == 1) {
        *out = names[0];
        names[0] = NULL;
    } else if (n == 0) {
        rc = tool_fail("no account yet: add one with `mapidav account add NAME --url URL --user USER`");
    } else {
        size_t len = 0;
        for (size_t i = 0; i < n; i++)
            len += strlen(names[i]) + 2;
        char *list = malloc(len + 1);
        if (list) {
            list[0] = 0;
            for (size_t i = 0; i < n; i++) {
                strcat(list, i ? ", " : "");
                strcat(list, names[i]);
            }
        }
        rc = tool_fail("%zu accounts (%s): say which with --account NAME or MAPIDAV_ACCOUNT",
            n, list ? list : "?");
        free(list);
    }
    tool_account_names_free(names, n);
    return rc;
}

int tool_account_open(tool_account **out)
{
    char *name = NULL;
    *out = NULL;
    if (pick(&name))
        return 1;
    int rc = tool_account_open_named(out, name);
    free(name);
    return rc;
}

int tool_account_open_named(tool_account **out, const char *name)
{
    *out = NULL;
    if (!tool_account_name_ok(name))
        return tool_fail("'%s' is not an account name (letters, digits, '.', '_', '-'; see"
            " `mapidav account list`)", name);
    char *data = NULL;
    if (tool_data_dir(&data))
        return 1;
    tool_account *a = calloc(1, sizeof *a);
    int rc = 1;
    if (!a || !(a->name = st_strdup(name)) || !(a->dir = tool_path_join(data, name)) ||
        !(a->catalog_path = tool_path_join(a->dir, "catalog.sqlite"))) {
        tool_fail("out of memory");
        goto cleanup;
    }
    if (!is_account(data, name)) {
        tool_fail("no account '%s' in %s: see `mapidav account list`", name, data);
        goto cleanup;
    }
    if (st_catalog_open(&a->cat, a->catalog_path, 0) != 0) {
        tool_fail("account '%s': %s", name, st_error_last());
        goto cleanup;
    }
    st_store_info *infos = NULL;
    size_t n = 0;
    if (st_catalog_store_list(a->cat, &infos, &n) != 0) {
        tool_fail("account '%s': %s", name, st_error_last());
        goto cleanup;
    }
    for (size_t i = 0; i < n && !a->store_path; i++) {
        if (infos[i].kind != ST_STORE_KIND_PRIVATE)
            continue;
        a->guid = infos[i].guid;
        if (st_catalog_store_path(a->cat, &a->store_path, &a->guid) != 0) {
            tool_fail("account '%s': %s", name, st_error_last());
            st_store_info_free(infos, n);
            goto cleanup;
        }
    }
    st_store_info_free(infos, n);
    if (!a->store_path) {
        tool_fail("account '%s' has no mailbox store: remove it and add it again", name);
        goto cleanup;
    }
    *out = a;
    a = NULL;
    rc = 0;
cleanup:
    tool_account_close(a);
    free(data);
    return rc;
}

void tool_account_close(tool_account *a)
{
    if (!a)
        return;
    st_catalog_close(a->cat);
    free(a->name);
    free(a->dir);
    free(a->catalog_path);
    free(a->store_path);
    free(a);
}

char *tool_account_get(tool_account *a, const char *key)
{
    char *v = NULL;
    if (st_catalog_setting_get(a->cat, &v, key) != 0)
        return NULL;
    return v;
}

int tool_account_set(tool_account *a, const char *key, const char *value)
{
    if (st_catalog_setting_set(a->cat, key, value) != 0)
        return tool_fail("account '%s': %s", a->name, st_error_last());
    return 0;
}

int tool_account_store(tool_account *a, st_store **out)
{
    int code = st_store_open(out, a->store_path, &a->guid, 0);
    if (code == ST_ECORRUPT)
        return tool_fail("account '%s': %s; run `mapidav rebuild` (unsent changes are kept, "
            "`--force` if they cannot be read)", a->name, st_error_last());
    if (code)
        return tool_fail("account '%s': %s", a->name, st_error_last());
    return 0;
}

st_id tool_account_role(tool_account *a, const char *role)
{
    char gs[ST_GUID_STRING_SIZE], key[96];
    st_guid_to_string(gs, &a->guid);
    snprintf(key, sizeof key, "store.%s.folder.%s", gs, role);
    char *v = tool_account_get(a, key);
    st_id id = v ? (st_id)strtoull(v, NULL, 10) : 0;
    free(v);
    return id;
}
