/*
 * cmd_tnef.c: `mapidav tnef show FILE`: a TNEF stream (winmail.dat,
 * [MS-OXTNEF]) as JSON (convert/json.h), named properties by name, big
 * binaries as their size unless --data. Warnings of the reader go to
 * standard error; what was recovered is still shown.
 *
 * Never: exit 0 on a stream that is not TNEF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"
#include "convert/tnef.h"
#include "tools/tool.h"

#define SHOW_MAX_BINARY 1024 /* bytes shown in full without --data */

static int usage(void)
{
    fputs("usage: mapidav tnef show [--data] FILE   (FILE '-': standard input)\n", stderr);
    return 2;
}

int cmd_tnef(int argc, char **argv)
{
    const char *path = NULL;
    int data = 0;
    uint8_t *in = NULL;
    size_t in_len = 0;
    cv_tnef *t = NULL;
    char *json = NULL;
    size_t json_len = 0;
    int rc = 1;

    if (argc < 2 || strcmp(argv[1], "show") || tool_show_args(&path, &data, argc - 1, argv + 1))
        return usage();
    if (tool_read_file(&in, &in_len, path))
        return 1;
    int prc = cv_tnef_parse(&t, in, in_len, NULL);
    if (!t) {
        if (prc == CV_EPARSE)
            tool_fail("%s: not a TNEF stream: no TNEF signature", path);
        else
            tool_fail("%s: %s", path, st_error_last());
        goto cleanup;
    }
    if (t->warning[0])
        fprintf(stderr, "mapidav: %s: warning: %s\n", path, t->warning);
    cv_json_options opt = { .named = t->named, .n_named = t->n_named,
                            .max_binary = data ? 0 : SHOW_MAX_BINARY };
    if (cv_json_write_message(&json, &json_len, t->msg, &opt)) {
        tool_fail("%s: %s", path, st_error_last());
        goto cleanup;
    }
    rc = tool_write_file(NULL, json, json_len);
    if (rc == 0 && prc == CV_EPARSE)
        rc = tool_fail("%s: damaged TNEF stream: %s", path, t->warning);
cleanup:
    free(json);
    cv_tnef_free(t);
    free(in);
    return rc;
}
