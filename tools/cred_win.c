/*
 * cred_win.c: cred.h on Windows: <dir>\credentials holds the password
 * sealed with DPAPI (CryptProtectData, the current user's key, no UI), so
 * only this Windows user on this machine can unseal it. Written to
 * credentials.new and renamed over the old file.
 *
 * Invariant: the password is never written unsealed. Never: log it.
 */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/error.h"
#include "storage/os.h"
#include "storage/props.h"
#include "tools/cred.h"
#include "tools/tool.h"
#include "tools/tool_os.h"

#define CRED_MAX 65536   /* a sealed password is a few hundred bytes */

static const wchar_t cred_label[] = L"mapidav account password";

int tool_cred_save(const char *dir, const char *password)
{
    char *tmp = tool_path_join(dir, "credentials.new"), *path = tmp ? tool_path_join(dir, "credentials") : NULL;
    DATA_BLOB in = { (DWORD)strlen(password), (BYTE *)(uintptr_t)password }, sealed = { 0 };
    FILE *f = NULL;
    int code = -1;
    if (!path)
        goto cleanup;
    if (!CryptProtectData(&in, cred_label, NULL, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &sealed)) {
        st_error_set("sealing the password (CryptProtectData): error %lu",
            (unsigned long)GetLastError());
        goto cleanup;
    }
    f = fopen(tmp, "wb");
    if (!f) {
        st_error_set("%s: cannot create it", tmp);
        goto cleanup;
    }
    int bad = fwrite(sealed.pbData, 1, sealed.cbData, f) != sealed.cbData;
    bad |= fclose(f) != 0;
    f = NULL;
    if (bad) {
        st_error_set("%s: write failed", tmp);
        goto cleanup;
    }
    code = st_os_rename(tmp, path) == 0 ? 0 : -1;
cleanup:
    if (sealed.pbData)
        LocalFree(sealed.pbData);
    if (code && tmp)
        st_os_remove(tmp);
    free(tmp);
    free(path);
    return code;
}

int tool_cred_load(char **out, const char *dir)
{
    *out = NULL;
    char *path = tool_path_join(dir, "credentials"), *data = NULL;
    size_t len = 0;
    uint64_t size = 0;
    int code = -1;
    DATA_BLOB open = { 0 };
    if (!path)
        return -1;
    if (st_os_path_size(&size, path) != 0) {
        code = ST_ENOTFOUND;
        goto cleanup;
    }
    if (size > CRED_MAX) {
        st_error_set("%s: too large for a sealed password", path);
        goto cleanup;
    }
    if (st_os_read_file(&data, &len, path) != 0)
        goto cleanup;
    DATA_BLOB sealed = { (DWORD)len, (BYTE *)data };
    if (!CryptUnprotectData(&sealed, NULL, NULL, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &open)) {
        st_error_set("%s: cannot unseal the password (another Windows user or machine?):"
            " error %lu", path, (unsigned long)GetLastError());
        goto cleanup;
    }
    if (!st_utf8_valid((const char *)open.pbData, open.cbData)) {
        st_error_set("%s: not a password in UTF-8", path);
        goto cleanup;
    }
    char *pw = malloc((size_t)open.cbData + 1);
    if (!pw) {
        st_error_set("out of memory");
        goto cleanup;
    }
    memcpy(pw, open.pbData, open.cbData);
    pw[open.cbData] = 0;
    *out = pw;
    code = 0;
cleanup:
    if (open.pbData) {
        tool_os_wipe(open.pbData, open.cbData);
        LocalFree(open.pbData);
    }
    free(data);
    free(path);
    return code;
}
