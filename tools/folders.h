/*
 * folders.h: folders and items as the `mapidav` tool names them: a folder
 * by its path under "Top of Information Store" ("Inbox", "inbox/sub": one
 * display name per level, case-insensitive as Outlook compares them), an
 * item by the decimal id `mapidav ls FOLDER` prints.
 *
 * Invariant: functions returning int give 0, or 1 after printing one line
 * "mapidav: ..." with what to do. Never: create a folder.
 */
#ifndef MAPIDAV_TOOLS_FOLDERS_H
#define MAPIDAV_TOOLS_FOLDERS_H

#include "storage/storage.h"

/* "Top of Information Store" of the store. */
int tool_folder_ipm(st_store *s, st_id *out);
/* The folder at path below ipm. */
int tool_folder_find(st_store *s, st_id ipm, const char *path, st_id *out);
/* The path of fid below ipm ("Inbox/Sub"), malloc'd; "?" style fallbacks
 * never fail: NULL only when out of memory. */
char *tool_folder_path(st_store *s, st_id ipm, st_id fid);
/* ITEM argument -> message id that exists in the store (*folder, may be
 * NULL, gets its folder). */
int tool_item_find(st_store *s, const char *arg, st_id *out, st_id *folder);

#endif /* MAPIDAV_TOOLS_FOLDERS_H */
