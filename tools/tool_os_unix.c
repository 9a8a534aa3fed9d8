/*
 * tool_os_unix.c: tool_os.h on POSIX systems: isatty, a password read with
 * termios echo off, readdir.
 *
 * Invariant: the terminal's echo is restored on every path out of
 * tool_os_read_password (also when the read fails). Never: echo or log the
 * password.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "storage/error.h"
#include "storage/strutil.h"
#include "tools/tool_os.h"

int tool_os_isatty(FILE *f)
{
    return isatty(fileno(f)) == 1;
}

int tool_os_read_password(char **out, const char *prompt)
{
    *out = NULL;
    if (!isatty(STDIN_FILENO))
        return 1;
    struct termios old, quiet;
    if (tcgetattr(STDIN_FILENO, &old) != 0) {
        st_error_set("terminal: %s", strerror(errno));
        return -1;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    fputs(prompt, stderr);
    fflush(stderr);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
        st_error_set("terminal: %s", strerror(errno));
        return -1;
    }
    char buf[1024];
    char *got = fgets(buf, sizeof buf, stdin);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    if (!got) {
        st_error_set("no password was typed");
        return -1;
    }
    buf[strcspn(buf, "\r\n")] = 0;
    *out = st_strdup(buf);
    tool_os_wipe(buf, sizeof buf);
    return *out ? 0 : -1;
}

int tool_os_each_dir(const char *dir, int (*fn)(void *ctx, const char *name), void *ctx)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        st_error_set("%s: %s", dir, strerror(errno));
        return -1;
    }
    int code = 0;
    struct dirent *e;
    while (!code && (e = readdir(d)) != NULL) {
        struct stat sb;
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode))
            code = fn(ctx, e->d_name);
    }
    closedir(d);
    return code;
}
