/*
 * sync_setup.h: an account's settings and password turned into the sync
 * engine's configuration (davsync/sync.h), for `mapidav sync`.
 *
 * Invariant: the password lives in the struct until tool_sync_setup_clear
 * wipes it. Never: print it.
 */
#ifndef MAPIDAV_TOOLS_SYNC_SETUP_H
#define MAPIDAV_TOOLS_SYNC_SETUP_H

#include "davsync/sync.h"
#include "tools/account.h"

typedef struct tool_sync_setup {
    ds_sync_config cfg;   /* points into the fields below and the account */
    char *url, *user, *password, *ca_file;   /* malloc'd */
} tool_sync_setup;

/* Fills ss from a's settings and credentials. Refuses (1, printed) an
 * account that works offline, with the hint to go online. 0 or 1. */
int tool_sync_setup_load(tool_sync_setup *ss, tool_account *a);
void tool_sync_setup_clear(tool_sync_setup *ss);

/* One line for a failed sync: what failed and what to do (printed as
 * "mapidav: ..."); returns 1. msg is the error's own text. */
int tool_sync_fail(tool_account *a, int code, const char *msg);

/* Records the outcome in the catalog as the engine does (sync.state,
 * sync.last_success, sync.last_error). */
void tool_sync_record(tool_account *a, int code, const char *msg);

#endif /* MAPIDAV_TOOLS_SYNC_SETUP_H */
