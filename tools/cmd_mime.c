/*
 * cmd_mime.c: `mapidav mime show [--data] FILE` (Internet mail -> the
 * message as Outlook would hold it, as JSON: convert/json.h) and `mapidav
 * mime build FILE.json [-o OUT]` (that JSON -> Internet mail), `mapidav
 * mime join FRAGMENT... [-o OUT]` (message/partial fragments -> the message). "-" is
 * standard input / output.
 *
 * show runs what the store runs on a downloaded message: the MIME parser,
 * then cv_mail_from_mime (winmail.dat merged, missing bodies filled in).
 * build runs cv_mail_prepare_build (an HTML-only message gets its plain
 * text) before cv_mime_build.
 *
 * Invariant: bad input is one line "mapidav: FILE: not a MIME message: ..."
 * (or "... not a message in JSON: at byte N: ...") and exit 1.
 * Never: crash on bad input; print a JSON half written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"
#include "convert/mail.h"
#include "convert/mime.h"
#include "tools/tool.h"

#define SHOW_MAX_BINARY 1024 /* bytes shown in full without --data */

static int usage(void)
{
    fputs("usage: mapidav mime show [--data] FILE      (FILE '-': standard input)\n"
          "       mapidav mime build FILE.json [-o OUT] (OUT '-' or none: standard output)\n"
          "       mapidav mime join FRAGMENT... [-o OUT] (message/partial fragments, any order)\n",
          stderr);
    return 2;
}

/* A MIME message starts with a header field ("Name:"), perhaps after an
 * mbox "From " line. NULL when it does, else why not. */
static const char *not_mime(const uint8_t *s, size_t n)
{
    size_t i = 0;
    if (n == 0)
        return "the file is empty";
    if (n >= 5 && !memcmp(s, "From ", 5)) {
        while (i < n && s[i] != '\n')
            i++;
        i++;
    }
    size_t start = i;
    while (i < n && s[i] > ' ' && s[i] < 0x7F && s[i] != ':')
        i++;
    if (i == start)
        return "no header field at the start";
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || s[i] != ':')
        return "no header field at the start";
    return NULL;
}

static int show(const char *path, int data)
{
    uint8_t *in = NULL;
    size_t in_len = 0;
    cv_message *msg = NULL;
    cv_mime_warnings warn = { 0 };
    char *json = NULL;
    size_t json_len = 0;
    const char *why;
    cv_tnef *tnef = NULL;
    int rc = 1;

    if (tool_read_file(&in, &in_len, path))
        return 1;
    if ((why = not_mime(in, in_len))) {
        tool_fail("%s: not a MIME message: %s", path, why);
        goto cleanup;
    }
    int prc = cv_mime_parse(&msg, in, in_len, NULL, &warn);
    if (!msg) {
        tool_fail("%s: not a MIME message: %s", path, st_error_last());
        goto cleanup;
    }
    for (size_t i = 0; i < warn.n; i++)
        fprintf(stderr, "mapidav: %s: warning: %s\n", path, warn.msg[i]);
    if (prc == CV_ELIMIT)
        fprintf(stderr, "mapidav: %s: warning: a limit was hit, the message is truncated\n", path);
    int mrc = cv_mail_from_mime(msg, NULL, &tnef);
    if (mrc == -1) {
        tool_fail("%s: %s", path, st_error_last());
        goto cleanup;
    }
    if (mrc == 1)
        fprintf(stderr, "mapidav: %s: warning: %s\n", path, st_error_last());
    if (tnef && tnef->warning[0])
        fprintf(stderr, "mapidav: %s: warning: winmail.dat: %s\n", path, tnef->warning);
    /* named properties of a winmail.dat are shown by name */
    cv_json_options opt = { .named = tnef ? tnef->named : NULL, .n_named = tnef ? tnef->n_named : 0,
                            .max_binary = data ? 0 : SHOW_MAX_BINARY };
    if (cv_json_write_message(&json, &json_len, msg, &opt)) {
        tool_fail("%s: %s", path, st_error_last());
        goto cleanup;
    }
    rc = tool_write_file(NULL, json, json_len);
cleanup:
    free(json);
    cv_tnef_free(tnef);
    cv_mime_warnings_clear(&warn);
    cv_message_free(msg);
    free(in);
    return rc;
}

typedef struct membuf {
    char *p;     /* bytes written */
    size_t len;  /* bytes in p */
    size_t cap;  /* allocated */
} membuf;

static int mem_write(void *ctx, const void *data, size_t len)
{
    membuf *m = ctx;
    if (m->cap - m->len < len) {
        size_t nc = m->cap ? m->cap : 65536;
        while (nc - m->len < len)
            nc *= 2;
        char *np = realloc(m->p, nc);
        if (!np)
            return -1;
        m->p = np;
        m->cap = nc;
    }
    memcpy(m->p + m->len, data, len);
    m->len += len;
    return 0;
}

static int build(const char *path, const char *out_path)
{
    uint8_t *in = NULL;
    size_t in_len = 0;
    cv_message *msg = NULL;
    membuf mb = { 0 };
    int rc = 1;

    if (tool_read_file(&in, &in_len, path))
        return 1;
    int jrc = cv_json_read_message(&msg, in, in_len);
    if (jrc != 0) {
        tool_fail("%s: not a message in JSON: %s", path, st_error_last());
        goto cleanup;
    }
    if (cv_mail_prepare_build(msg) == -1) {
        tool_fail("%s: %s", path, st_error_last());
        goto cleanup;
    }
    cv_mime_writer w = { mem_write, &mb };
    if (cv_mime_build(msg, NULL, &w) != 0) {
        tool_fail("%s: building MIME: %s", path, st_error_last());
        goto cleanup;
    }
    rc = tool_write_file(out_path, mb.p, mb.len);
cleanup:
    free(mb.p);
    cv_message_free(msg);
    free(in);
    return rc;
}

/* message/partial fragments (RFC 2046 5.2.2) -> the message. */
static int join(char **paths, int n, const char *out_path)
{
    cv_mime_fragment *f = calloc((size_t)n, sizeof *f);
    int rc = 1, i = 0;
    if (!f)
        return tool_fail("out of memory");
    for (; i < n; i++) {
        uint8_t *data = NULL;
        size_t len = 0;
        if (tool_read_file(&data, &len, paths[i]))
            goto cleanup;
        f[i] = (cv_mime_fragment){ (const char *)data, len };
    }
    char *msg = NULL;
    size_t len = 0;
    int jrc = cv_mime_partial_join(&msg, &len, f, (size_t)n);
    if (jrc != 0)
        tool_fail("joining %d fragments: %s", n, st_error_last());
    else
        rc = tool_write_file(out_path, msg, len);
    free(msg);
cleanup:
    while (i-- > 0)
        free((void *)f[i].data);
    free(f);
    return rc;
}

int cmd_mime(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "show")) {
        const char *path;
        int data;
        return tool_show_args(&path, &data, argc - 1, argv + 1) == 0 ? show(path, data) : usage();
    }
    if (!strcmp(argv[1], "build")) {
        const char *path = NULL, *out = NULL;
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "-o") && i + 1 < argc)
                out = argv[++i];
            else if (!path)
                path = argv[i];
            else
                return usage();
        }
        return path ? build(path, out) : usage();
    }
    if (!strcmp(argv[1], "join")) {
        char **paths = calloc((size_t)argc, sizeof *paths);
        const char *out = NULL;
        int n = 0;
        if (!paths)
            return tool_fail("out of memory");
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "-o") && i + 1 < argc)
                out = argv[++i];
            else
                paths[n++] = argv[i];
        }
        int rc = n ? join(paths, n, out) : usage();
        free(paths);
        return rc;
    }
    return usage();
}
