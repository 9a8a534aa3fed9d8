/*
 * cmd_register.c: `mapidav register [--dll PATH] [--inf FILE]` and
 * `mapidav unregister [--inf FILE]`: add mapidav's service to MAPISVC.INF,
 * or take it out (the text work is mapisvc.c).
 *
 * Which file: --inf FILE, else (Windows) the first that exists of: the
 * folder of Outlook's MAPI DLL (HKLM Software\Clients\Mail\Microsoft Outlook,
 * DLLPathEx), Click-to-Run's <InstallPath>\root\vfs\System (HKLM
 * Software\Microsoft\Office\ClickToRun, InstallPath), %SystemRoot%\System32
 * (MAPI-NOTES.md). On Linux there is no MAPI: --inf is required (tests).
 * Which DLL: --dll PATH (mapidav32.dll), else mapidav32.dll beside this
 * program (Windows) or the bare name (Linux); registered as MAPI wants it
 * (mapisvc_dll_name).
 *
 * Invariants: nothing is written when the file already says what we would
 * write (idempotent); else the old bytes go to FILE.mapidav-backup, the new
 * ones to FILE.mapidav-new, which is renamed over FILE (atomic: a reader
 * sees the old file or the new one). Writing MAPISVC.INF needs
 * administrator rights: a refusal says so.
 * Never: change a line that is not ours (mapisvc.h); leave a half-written
 * MAPISVC.INF.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#endif

#include "storage/os.h"
#include "storage/strutil.h"
#include "tools/mapisvc.h"
#include "tools/tool.h"

#ifdef _WIN32
/* UTF-16 -> malloc'd UTF-8, NULL when it cannot be converted. */
static char *utf8(const WCHAR *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = n > 0 ? malloc((size_t)n) : NULL;
    if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
        free(s);
        s = NULL;
    }
    return s;
}

/* A REG_SZ / REG_EXPAND_SZ value of HKLM\key as UTF-8 (expanded), or NULL. */
static char *hklm_string(const WCHAR *key, const WCHAR *value)
{
    WCHAR data[MAX_PATH * 2], expanded[MAX_PATH * 2];
    DWORD size = sizeof data - sizeof(WCHAR);
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, value, RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ
            | RRF_NOEXPAND, NULL, data, &size) != ERROR_SUCCESS)
        return NULL;
    data[size / sizeof(WCHAR)] = 0;
    DWORD n = ExpandEnvironmentStringsW(data, expanded, MAX_PATH * 2);
    return n && n <= MAX_PATH * 2 ? utf8(expanded) : NULL;
}

/* dir (or the folder of the file at dir, with strip_file) + "\" + tail,
 * when that file exists; else NULL. dir is freed. */
static char *existing(char *dir, int strip_file, const char *tail)
{
    char *path = NULL;
    if (!dir)
        return NULL;
    if (strip_file) {
        char *slash = strrchr(dir, '\\');
        if (slash)
            *slash = 0;
    }
    path = tool_path_join(dir, tail);
    free(dir);
    uint64_t size;
    if (path && st_os_path_size(&size, path) != 0) {
        free(path);
        path = NULL;
    }
    return path;
}

/* MAPISVC.INF as MAPI-NOTES.md says to find it: *out malloc'd, or 1
 * (printed) when none is found. */
static int find_inf(char **out)
{
    char *sysroot = NULL;
    *out = existing(hklm_string(L"SOFTWARE\\Clients\\Mail\\Microsoft Outlook", L"DLLPathEx"),
        1, "MAPISVC.INF");
    if (!*out)
        *out = existing(hklm_string(L"SOFTWARE\\Microsoft\\Office\\ClickToRun", L"InstallPath"),
            0, "root\\vfs\\System\\MAPISVC.INF");
    if (!*out && st_os_getenv(&sysroot, "SystemRoot") == 0 && sysroot)
        *out = existing(sysroot, 0, "System32\\MAPISVC.INF");
    if (*out)
        return 0;
    return tool_fail("MAPISVC.INF not found (is Outlook installed?): give its path with "
        "--inf FILE");
}

/* mapidav32.dll beside this program. */
static char *default_dll(void)
{
    WCHAR self[MAX_PATH];
    DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
    if (!n || n >= MAX_PATH)
        return NULL;
    char *exe = utf8(self);
    char *slash = exe ? strrchr(exe, '\\') : NULL;
    if (!slash) {
        free(exe);
        return NULL;
    }
    *slash = 0;
    char *dll = tool_path_join(exe, "mapidav32.dll");
    free(exe);
    if (dll)
        for (char *p = dll; *p; p++)
            if (*p == '/')
                *p = '\\';
    return dll;
}
#else
static int find_inf(char **out)
{
    *out = NULL;
    return tool_fail("there is no MAPI here: give the MAPISVC.INF to change with --inf FILE");
}

static char *default_dll(void)
{
    return st_strdup("mapidav32.dll");
}
#endif

/* path + suffix, malloc'd (NULL when out of memory). */
static char *with_suffix(const char *path, const char *suffix)
{
    size_t a = strlen(path), b = strlen(suffix);
    char *s = malloc(a + b + 1);
    if (s) {
        memcpy(s, path, a);
        memcpy(s + a, suffix, b + 1);
    }
    return s;
}

/* Writes data to path in one go; 0, or 1 (printed, with the administrator
 * hint when access is refused). */
static int write_whole(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int err = errno;
    if (f) {
        int bad = len && fwrite(data, 1, len, f) != len;
        bad |= fflush(f) != 0;
        err = errno;
        bad |= fclose(f) != 0;
        if (!bad)
            return 0;
    }
    if (err == EACCES || err == EPERM)
        return tool_fail("%s: %s: changing MAPISVC.INF needs administrator rights (run "
            "from an elevated command prompt)", path, strerror(err));
    return tool_fail("%s: %s", path, strerror(err));
}

/* Replaces path's content old (old_len) by new via backup, temp, rename. */
static int replace_file(const char *path, const char *old, size_t old_len, const char *new,
    size_t new_len)
{
    char *backup = with_suffix(path, ".mapidav-backup");
    char *tmp = with_suffix(path, ".mapidav-new");
    int rc = 1;

    if (!backup || !tmp) {
        tool_fail("out of memory");
        goto cleanup;
    }
    if (write_whole(backup, old, old_len) != 0 || write_whole(tmp, new, new_len) != 0)
        goto cleanup;
    if (st_os_rename(tmp, path) != 0) {
        tool_fail("%s: %s (MAPISVC.INF is unchanged; writing it needs administrator rights)",
            path, st_error_last());
        st_os_remove(tmp);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(backup);
    free(tmp);
    return rc;
}

static int usage(void)
{
    fputs("usage: mapidav register [--dll PATH] [--inf FILE]\n"
          "       mapidav unregister [--inf FILE]\n", stderr);
    return 2;
}

/* argv[0] is "register" or "unregister". */
int cmd_register(int argc, char **argv)
{
    int unregister = !strcmp(argv[0], "unregister");
    const char *inf_arg = NULL, *dll_arg = NULL;
    char *inf = NULL, *dll = NULL, *name = NULL, *next = NULL;
    uint8_t *old = NULL;
    size_t old_len = 0, next_len = 0;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--inf") && i + 1 < argc)
            inf_arg = argv[++i];
        else if (!strcmp(argv[i], "--dll") && i + 1 < argc && !unregister)
            dll_arg = argv[++i];
        else
            return usage();
    }
    if (inf_arg) {
        inf = st_strdup(inf_arg);
        if (!inf)
            return tool_fail("out of memory");
    } else if (find_inf(&inf) != 0) {
        return 1;
    }
    if (!unregister) {
        dll = dll_arg ? st_strdup(dll_arg) : default_dll();
        if (!dll) {
            tool_fail("cannot tell where mapidav32.dll is: give --dll PATH");
            goto cleanup;
        }
        if (mapisvc_dll_name(&name, dll) != 0) {
            tool_fail("%s", st_error_last());
            goto cleanup;
        }
#ifdef _WIN32
        uint64_t size;
        if (st_os_path_size(&size, dll) != 0) {
            tool_fail("%s: no such file (give the path of mapidav32.dll with --dll)", dll);
            goto cleanup;
        }
#endif
    }
    if (tool_read_file(&old, &old_len, inf) != 0)
        goto cleanup;
    if ((unregister ? mapisvc_remove(&next, &next_len, (char *)old, old_len)
                    : mapisvc_merge(&next, &next_len, (char *)old, old_len, name)) != 0) {
        tool_fail("%s: %s", inf, st_error_last());
        goto cleanup;
    }
    if (next_len == old_len && memcmp(next, old, old_len) == 0) {
        printf("%s: %s already\n", inf, unregister ? "mapidav is not registered"
               : "mapidav is registered");
        rc = 0;
        goto cleanup;
    }
    rc = replace_file(inf, (char *)old, old_len, next, next_len);
    if (rc == 0)
        printf(unregister ? "%s: mapidav removed (the old file is %s.mapidav-backup)\n"
               : "%s: mapidav registered (the old file is %s.mapidav-backup)\n", inf, inf);
    if (rc == 0 && !unregister)
        printf("registered DLL: %s (MAPI loads %s)\n", name, dll);
cleanup:
    free(inf);
    free(dll);
    free(name);
    free(next);
    free(old);
    return rc;
}
