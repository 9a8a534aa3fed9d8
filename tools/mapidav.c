/*
 * mapidav.c: the command-line tool that drives the portable core headless:
 * the dispatcher. Each command group lives in its own file (cmd_mime.c,
 * cmd_rtf.c, cmd_tnef.c); `version`, `help` and the `show` arguments the
 * groups share are here. Account set-up, sync, status, list, dump, check
 * and rebuild come with the storage and sync issues.
 * Invariant: exit 0 done, 1 bad input, 2 wrong usage. Never: print a
 * password or a token.
 */
#include <stdio.h>
#include <string.h>

#include "davsync/davsync.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/storage.h"
#include "tools/tool.h"

int tool_show_args(const char **path, int *data, int argc, char **argv)
{
    *path = NULL;
    *data = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--data"))
            *data = 1;
        else if (!*path)
            *path = argv[i];
        else
            return -1;
    }
    return *path ? 0 : -1;
}

static void usage(FILE *to)
{
    fputs("usage: mapidav <command> [options]\n"
          "\n"
          "commands:\n"
          "  version                       the mapidav version and the libraries it runs on\n"
          "  mime show [--data] FILE       an Internet message as Outlook holds it, as JSON\n"
          "  mime build FILE.json [-o OUT] Internet mail from such JSON\n"
          "  rtf decompress|compress IN OUT  compressed RTF (PR_RTF_COMPRESSED) and back\n"
          "  tnef show [--data] FILE       a TNEF stream (winmail.dat) as JSON\n"
          "  help                          this text\n"
          "  ('-' as a file: standard input or output)\n"
          "\n"
          "environment:\n"
          "  MAPIDAV_LOG  log levels per channel, e.g. davsync=trace,*=info (to standard error)\n", to);
}

static int cmd_version(void)
{
    char net[256];

    printf("mapidav %s\n", MAPIDAV_VERSION);
    printf("sqlite/%s %s\n", st_sqlite_version(), ds_library_versions(net, sizeof net));
    return 0;
}

int main(int argc, char **argv)
{
    st_log_to_stderr(1);
    if (st_log_configure_from_env() != 0) {
        fprintf(stderr, "mapidav: %s\n", st_error_last());
        return 2;
    }
    ST_LOG_INFO(ST_LOG_TOOLS, "mapidav %s", MAPIDAV_VERSION);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version"))
        return cmd_version();
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "mime"))
        return cmd_mime(argc - 1, argv + 1);
    if (!strcmp(argv[1], "rtf"))
        return cmd_rtf(argc - 1, argv + 1);
    if (!strcmp(argv[1], "tnef"))
        return cmd_tnef(argc - 1, argv + 1);
    fprintf(stderr, "mapidav: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
