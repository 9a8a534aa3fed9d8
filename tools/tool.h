/*
 * tool.h: what the files of the `mapidav` command-line tool share: the
 * command groups (one cmd_*.c each) and the file helpers.
 *
 * Invariant: a command returns its exit code: 0 done, 1 bad input or a
 * failed write (one line "mapidav: WHAT: WHY" on standard error), 2 wrong
 * usage. Never: crash or abort on what a file holds; print a password.
 */
#ifndef MAPIDAV_TOOLS_TOOL_H
#define MAPIDAV_TOOLS_TOOL_H

#include <stddef.h>
#include <stdint.h>

#include "storage/error.h"

/* argv[0] is the group's name ("mime", "rtf", "tnef", "account" ...). */
int cmd_mime(int argc, char **argv);
int cmd_rtf(int argc, char **argv);
int cmd_tnef(int argc, char **argv);
int cmd_account(int argc, char **argv);   /* account add|list|remove (cmd_account.c) */
int cmd_online(int argc, char **argv);    /* offline, online (cmd_account.c) */
int cmd_sync(int argc, char **argv);      /* cmd_sync.c */
int cmd_status(int argc, char **argv);    /* cmd_status.c */
int cmd_ls(int argc, char **argv);        /* cmd_ls.c */
int cmd_show(int argc, char **argv);      /* show ITEM (cmd_show.c) */
int cmd_item(int argc, char **argv);      /* item read|unread|move|delete (cmd_item.c) */
int cmd_draft(int argc, char **argv);     /* draft (cmd_item.c) */
int cmd_check(int argc, char **argv);     /* check, rebuild (cmd_check.c) */
int cmd_register(int argc, char **argv);  /* register, unregister (cmd_register.c) */

/* Reads all of path ("-": standard input) into *out (NUL after the last
 * byte, not counted). 0, or 1 after printing "mapidav: PATH: why". */
int tool_read_file(uint8_t **out, size_t *out_len, const char *path);
/* Writes len bytes to path ("-" or NULL: standard output). 0 or 1 (printed). */
int tool_write_file(const char *path, const void *data, size_t len);
/* The arguments of "GROUP show [--data] FILE" after "show" (argv[0]):
 * *path = FILE, *data = 1 with --data (else 0). 0, or -1 for wrong usage
 * (no FILE, or more than one). */
int tool_show_args(const char **path, int *data, int argc, char **argv);
/* dir + "/" + name, malloc'd; NULL with "out of memory" set. */
char *tool_path_join(const char *dir, const char *name);
/* Prints "mapidav: fmt..." and a newline to standard error; returns 1. */
int tool_fail(const char *fmt, ...) ST_PRINTF(1, 2);

#endif /* MAPIDAV_TOOLS_TOOL_H */
