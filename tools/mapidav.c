/*
 * mapidav.c: the command-line tool that drives the portable core headless.
 *
 * One sub-command per verb. For now: `version`. Account set-up, sync, status,
 * list, dump, check and rebuild come with the storage and sync issues.
 * The tool never prints a password or a token.
 */
#include <stdio.h>
#include <string.h>

#include "davsync/davsync.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/storage.h"

static void usage(FILE *to)
{
    fputs("usage: mapidav <command> [options]\n"
          "\n"
          "commands:\n"
          "  version    the mapidav version and the libraries it runs on\n"
          "  help       this text\n"
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
    fprintf(stderr, "mapidav: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
