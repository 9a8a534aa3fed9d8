/*
 * tool_os.h: the few platform calls the `mapidav` tool needs beyond
 * storage/os.h: is a stream a terminal, read a password without echo, walk
 * the subfolders of the data folder.
 * tool_os_unix.c (POSIX, termios) and tool_os_win.c (Win32 console) are the
 * two halves; meson builds one.
 *
 * Invariant: strings are UTF-8 on both sides. Never: echo or log a
 * password; keep one in memory longer than the caller does (callers wipe
 * it with tool_os_wipe).
 */
#ifndef MAPIDAV_TOOLS_TOOL_OS_H
#define MAPIDAV_TOOLS_TOOL_OS_H

#include <stddef.h>
#include <stdio.h>

/* 1 when f (stdin, stdout or stderr) is an interactive terminal / console. */
int tool_os_isatty(FILE *f);

/* Shows prompt on standard error and reads one line from the terminal on
 * standard input with echo off, into a malloc'd string (*out, no line end).
 * 0; 1 when standard input is not a terminal (nothing printed); -1 on
 * another failure (st_error_set). */
int tool_os_read_password(char **out, const char *prompt);

/* Calls fn(ctx, name) for each directory directly in dir (not "." or "..",
 * not a symbolic link or junction), in no particular order; stops at the
 * first non-zero return of fn and returns it. A dir that does not exist has
 * none. -1 (st_error_set) when dir cannot be read. */
int tool_os_each_dir(const char *dir, int (*fn)(void *ctx, const char *name), void *ctx);

/* Overwrites n bytes of p with zeros in a way the compiler keeps. */
static inline void tool_os_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (p && n--)
        *v++ = 0;
}

#endif /* MAPIDAV_TOOLS_TOOL_OS_H */
