/*
 * mapidav.c: the command-line tool that drives the portable core headless:
 * the dispatcher. Each command group lives in its own file (cmd_*.c);
 * `version`, `help`, the global --account option and the `show` arguments
 * the groups share are here.
 * Invariant: exit 0 done, 1 bad input, 2 wrong usage. Never: print a
 * password or a token.
 */
#include <stdio.h>
#include <string.h>

#include "davsync/davsync.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/storage.h"
#include "tools/account.h"
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
          "accounts and mail (--account NAME, or MAPIDAV_ACCOUNT, picks the account when\n"
          "there are several):\n"
          "  account add NAME --url URL --user USER [--password-env VAR | --password-file FILE]\n"
          "        [--ca-file PEM] [--insecure-tls] [--connections N]\n"
          "                                set up an account (the password is asked for\n"
          "                                when no option gives it)\n"
          "  account list | remove NAME    the accounts; delete one and its offline copy\n"
          "  sync [--once | --watch]       bring the mail down and local changes up\n"
          "  status                        sync state, last error, changes waiting to go up\n"
          "  ls [FOLDER]                   the folder tree, or a folder's messages (newest first)\n"
          "  show ITEM [--data]            a message's properties as JSON\n"
          "  offline | online              work offline / go back online\n"
          "  item read|unread|delete ITEM, item move ITEM FOLDER\n"
          "  draft --subject S --to ADDR [--body TEXT] [--from ADDR]\n"
          "                                local changes, as Outlook makes them\n"
          "  check                         is the offline copy sound?\n"
          "  rebuild [--force]             set a damaged offline copy aside and start afresh;\n"
          "                                unsent changes are saved and put back after the\n"
          "                                next sync\n"
          "\n"
          "files (Internet mail, RTF, TNEF):\n"
          "  mime show [--data] FILE       an Internet message as Outlook holds it, as JSON\n"
          "  mime build FILE.json [-o OUT] Internet mail from such JSON\n"
          "  mime join FRAGMENT... [-o OUT]  a message split into message/partial fragments\n"
          "  rtf decompress|compress IN OUT  compressed RTF (PR_RTF_COMPRESSED) and back\n"
          "  tnef show [--data] FILE       a TNEF stream (winmail.dat) as JSON\n"
          "  ('-' as a file: standard input or output)\n"
          "\n"
          "Outlook (MAPISVC.INF; needs administrator rights):\n"
          "  register [--dll PATH] [--inf FILE]\n"
          "                                add the mapidav service to MAPISVC.INF (PATH:\n"
          "                                mapidav32.dll, default beside this program)\n"
          "  unregister [--inf FILE]       take it out again\n"
          "\n"
          "  version                       the mapidav version and the libraries it runs on\n"
          "  help                          this text\n"
          "\n"
          "environment:\n"
          "  MAPIDAV_HOME  where accounts live (default ~/.local/share/mapidav,\n"
          "                %LOCALAPPDATA%\\mapidav on Windows)\n"
          "  MAPIDAV_LOG  log levels per channel, e.g. davsync=trace,*=info (to standard error;\n"
          "               default: errors only)\n", to);
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
    /* A command reports its own failure in one line: the layers' warnings
     * (kept in the catalog's sync.last_error, or shown by `status`) are
     * only shown on demand, MAPIDAV_LOG=warn. */
    st_log_to_stderr(1);
    st_log_configure("error");
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
    /* --account NAME (or --account=NAME) anywhere: taken out of argv. */
    int n = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--account") && i + 1 < argc) {
            tool_account_choose(argv[++i]);
        } else if (!strncmp(argv[i], "--account=", 10)) {
            tool_account_choose(argv[i] + 10);
        } else if (!strcmp(argv[i], "--account")) {
            fputs("mapidav: --account needs a NAME\n", stderr);
            return 2;
        } else {
            argv[n++] = argv[i];
        }
    }
    argc = n;
    argv[argc] = NULL;
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    static const struct { const char *name; int (*fn)(int, char **); } groups[] = {
        { "mime", cmd_mime }, { "rtf", cmd_rtf }, { "tnef", cmd_tnef },
        { "account", cmd_account }, { "sync", cmd_sync }, { "status", cmd_status },
        { "ls", cmd_ls }, { "show", cmd_show }, { "offline", cmd_online },
        { "online", cmd_online }, { "item", cmd_item }, { "draft", cmd_draft },
        { "check", cmd_check }, { "rebuild", cmd_check },
        { "register", cmd_register }, { "unregister", cmd_register },
    };
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (!strcmp(argv[1], groups[i].name))
            return groups[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "mapidav: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
