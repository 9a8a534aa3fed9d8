/*
 * account.h: the `mapidav` tool's accounts on disk. The data folder is
 * $MAPIDAV_HOME, else $XDG_DATA_HOME/mapidav (~/.local/share/mapidav) on
 * Linux and %LOCALAPPDATA%\mapidav on Windows; an account is its folder
 * <data>/<name>/ holding catalog.sqlite (settings "account.*", the store
 * list), the private store's {GUID}.sqlite and the credentials (cred.h).
 *
 * Which account a command works on: --account NAME (tool_account_choose),
 * else $MAPIDAV_ACCOUNT, else the only one there is.
 *
 * Invariant: a folder counts as an account only when it holds
 * catalog.sqlite, and a name is one path segment of [A-Za-z0-9._-] not
 * starting with '.', so `account remove` can never reach outside <data>.
 * Every function that returns 1 has printed one line "mapidav: ..." saying
 * what failed and what to do. Never: print a password.
 */
#ifndef MAPIDAV_TOOLS_ACCOUNT_H
#define MAPIDAV_TOOLS_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "storage/storage.h"

/* Settings keys (the catalog's). */
#define ACC_URL          "account.url"           /* the mail root collection */
#define ACC_USER         "account.user"
#define ACC_CA_FILE      "account.ca_file"       /* PEM bundle, or unset: the system's */
#define ACC_INSECURE_TLS "account.insecure_tls"  /* "1": certificate not checked (logged) */
#define ACC_CONNECTIONS  "account.connections"   /* parallel connections, decimal */
#define ACC_OFFLINE      "account.offline"       /* "1": work offline */
#define SYNC_STATE       "sync.state"            /* written by the sync (engine names) */
#define SYNC_LAST_OK     "sync.last_success"     /* FILETIME, decimal */
#define SYNC_LAST_ERROR  "sync.last_error"

typedef struct tool_account {
    char *name;           /* the account's name (its folder's) */
    char *dir;            /* <data>/<name> */
    char *catalog_path;   /* <dir>/catalog.sqlite */
    char *store_path;     /* the private store's file */
    st_guid guid;         /* the private store's GUID */
    st_catalog *cat;      /* the catalog, open on this thread */
} tool_account;

/* The --account option's value (NULL: none given). */
void tool_account_choose(const char *name);

/* The data folder (not created). *out malloc'd. 0 or 1. */
int tool_data_dir(char **out);
/* 1 when name is an acceptable account name, else 0. */
int tool_account_name_ok(const char *name);
/* The accounts in the data folder, sorted. 0 or 1. */
int tool_account_names(char ***out, size_t *n);
void tool_account_names_free(char **names, size_t n);   /* NULL-safe */

/* Opens the chosen account (see above) / the account name. 0 or 1. */
int tool_account_open(tool_account **out);
int tool_account_open_named(tool_account **out, const char *name);
void tool_account_close(tool_account *a);   /* NULL-safe */

/* A setting, malloc'd, or NULL when unset (or unreadable). */
char *tool_account_get(tool_account *a, const char *key);
/* Sets (value NULL: removes) a setting. 0 or 1. */
int tool_account_set(tool_account *a, const char *key, const char *value);
/* Opens the private store (must exist). 0 or 1. */
int tool_account_store(tool_account *a, st_store **out);
/* The folder recorded for role ("inbox", "sent", "drafts", "deleted",
 * "junk") by the sync, or 0. */
st_id tool_account_role(tool_account *a, const char *role);

/* After `mapidav rebuild`: once the fresh store s has synced down, puts
 * back the unsent changes saved then (st_store_restore) and forgets them;
 * *restored gets how many (0: nothing was pending). 0 or 1 (cmd_check.c). */
int tool_restore_pending(tool_account *a, st_store *s, uint64_t *restored);

#endif /* MAPIDAV_TOOLS_ACCOUNT_H */
