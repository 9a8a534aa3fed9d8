/*
 * tool_os_win.c: tool_os.h on Windows: console checks, a password read
 * from the console with echo off (ReadConsoleW, so any Unicode password
 * works), FindFirstFileW.
 *
 * Invariant: the console mode is restored on every path out of
 * tool_os_read_password. Never: echo or log the password.
 */
#include <windows.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>

#include "storage/error.h"
#include "storage/strutil.h"
#include "tools/tool_os.h"

int tool_os_isatty(FILE *f)
{
    HANDLE h = (HANDLE)_get_osfhandle(_fileno(f));
    DWORD mode;
    return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
}

/* UTF-16 (n units, or -1: NUL-terminated) -> malloc'd UTF-8; NULL on failure. */
static char *narrow(const wchar_t *w, int n)
{
    int len = WideCharToMultiByte(CP_UTF8, 0, w, n, NULL, 0, NULL, NULL);
    char *s = len > 0 ? malloc((size_t)len + 1) : NULL;
    if (!s)
        return NULL;
    WideCharToMultiByte(CP_UTF8, 0, w, n, s, len, NULL, NULL);
    s[len] = 0;
    return s;
}

int tool_os_read_password(char **out, const char *prompt)
{
    *out = NULL;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD old;
    if (in == INVALID_HANDLE_VALUE || !GetConsoleMode(in, &old))
        return 1;
    fputs(prompt, stderr);
    fflush(stderr);
    if (!SetConsoleMode(in, (old & ~(DWORD)ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT)) {
        st_error_set("console: error %lu", (unsigned long)GetLastError());
        return -1;
    }
    wchar_t buf[512];
    DWORD got = 0;
    BOOL ok = ReadConsoleW(in, buf, (DWORD)(sizeof buf / sizeof buf[0]) - 1, &got, NULL);
    SetConsoleMode(in, old);
    fputc('\n', stderr);
    if (!ok) {
        st_error_set("no password was typed");
        return -1;
    }
    while (got && (buf[got - 1] == L'\r' || buf[got - 1] == L'\n'))
        got--;
    *out = got ? narrow(buf, (int)got) : st_strdup("");
    tool_os_wipe(buf, sizeof buf);
    if (!*out) {
        st_error_set("out of memory");
        return -1;
    }
    return 0;
}

int tool_os_each_dir(const char *dir, int (*fn)(void *ctx, const char *name), void *ctx)
{
    int wn = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, dir, -1, NULL, 0);
    wchar_t *pat = wn > 0 ? malloc(((size_t)wn + 2) * sizeof *pat) : NULL;
    if (!pat) {
        st_error_set("%s: not a valid path", dir);
        return -1;
    }
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, dir, -1, pat, wn);
    wcscat(pat, L"\\*");
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(pat, &fd);
    free(pat);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD err = GetLastError();
        if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND)
            return 0;
        st_error_set("%s: error %lu", dir, (unsigned long)err);
        return -1;
    }
    int code = 0;
    do {
        if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
            (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) ||
            !wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
            continue;
        char *name = narrow(fd.cFileName, -1);
        if (!name) {
            st_error_set("out of memory");
            code = -1;
        } else {
            code = fn(ctx, name);
            free(name);
        }
    } while (!code && FindNextFileW(h, &fd));
    FindClose(h);
    return code;
}
