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
#include "storage/storage.h"

static void usage(FILE *to)
{
    fputs("usage: mapidav <command> [options]\n"
          "\n"
          "commands:\n"
          "  version    the mapidav version and the libraries it runs on\n"
          "  help       this text\n", to);
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
