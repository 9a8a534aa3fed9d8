/*
 * cred.h: an account's password at rest, in <account folder>/credentials.
 * On Linux (cred_unix.c) the file holds the password itself and is created
 * readable and writable only by its owner (0600, whatever the umask): the
 * README says so, and that the home folder must be protected. On Windows
 * (cred_win.c) it holds a DPAPI blob (CryptProtectData, user scope), so only
 * the same Windows user on the same machine can read it back.
 *
 * Invariant: the file is replaced atomically (written beside, then
 * renamed), so a crash leaves the old password or the new one. Never: log
 * the password, or leave it in a file another user may read.
 */
#ifndef MAPIDAV_TOOLS_CRED_H
#define MAPIDAV_TOOLS_CRED_H

/* Stores password for the account whose folder is dir. 0 or -1
 * (st_error_set). */
int tool_cred_save(const char *dir, const char *password);

/* *out = the stored password (malloc'd; wipe then free it). 0; ST_ENOTFOUND
 * when there is none; -1 (st_error_set) when it cannot be read. */
int tool_cred_load(char **out, const char *dir);

#endif /* MAPIDAV_TOOLS_CRED_H */
