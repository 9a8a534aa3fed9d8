/*
 * cred_unix.c: cred.h on POSIX systems: <dir>/credentials holds the
 * password, mode 0600. Written to <dir>/credentials.new opened with
 * O_CREAT|O_EXCL and mode 0600 (then fchmod 0600, so a strange umask cannot
 * widen or narrow it), synced, then renamed over the old file.
 *
 * Invariant: at no moment does a file holding the password exist with
 * more than owner access. Never: log the password.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/error.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props.h"
#include "tools/cred.h"
#include "tools/tool.h"
#include "tools/tool_os.h"

#define CRED_MAX 4096   /* longer is not a password */

int tool_cred_save(const char *dir, const char *password)
{
    char *tmp = tool_path_join(dir, "credentials.new"), *path = tmp ? tool_path_join(dir, "credentials") : NULL;
    int code = -1, fd = -1;
    if (!path)
        goto cleanup;
    unlink(tmp);   /* left by a crash: never reuse a file we did not create */
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        st_error_set("%s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    size_t len = strlen(password), done = 0;
    if (fchmod(fd, 0600) != 0) {
        st_error_set("%s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    while (done < len) {
        ssize_t w = write(fd, password + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            st_error_set("%s: %s", tmp, w < 0 ? strerror(errno) : "write failed");
            goto cleanup;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        st_error_set("%s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    fd = -1;
    code = st_os_rename(tmp, path) == 0 ? 0 : -1;
cleanup:
    if (fd >= 0)
        close(fd);
    if (code && tmp)
        unlink(tmp);
    free(tmp);
    free(path);
    return code;
}

int tool_cred_load(char **out, const char *dir)
{
    *out = NULL;
    char *path = tool_path_join(dir, "credentials");
    if (!path)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        int err = errno;
        st_error_set("%s: %s", path, strerror(err));
        free(path);
        return err == ENOENT ? ST_ENOTFOUND : -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && (sb.st_mode & 077))
        ST_LOG_WARN(ST_LOG_TOOLS, "%s can be read by other users (mode %03o): run chmod 600 on it",
            path, (unsigned)(sb.st_mode & 0777));
    char *buf = malloc(CRED_MAX + 1);
    size_t len = 0;
    int code = buf ? 0 : -1;
    if (!buf)
        st_error_set("out of memory");
    while (!code) {
        ssize_t r = read(fd, buf + len, CRED_MAX + 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            st_error_set("%s: %s", path, strerror(errno));
            code = -1;
        } else if (r == 0) {
            break;
        } else if ((len += (size_t)r) > CRED_MAX) {
            st_error_set("%s: longer than a password can be", path);
            code = -1;
        }
    }
    close(fd);
    if (!code && !st_utf8_valid(buf, len)) {
        st_error_set("%s: not a password in UTF-8", path);
        code = -1;
    }
    free(path);
    if (code) {
        if (buf)
            tool_os_wipe(buf, CRED_MAX + 1);
        free(buf);
        return code;
    }
    buf[len] = 0;
    *out = buf;
    return 0;
}
