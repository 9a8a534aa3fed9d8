/*
 * cmd_rtf.c: `mapidav rtf decompress IN OUT` and `mapidav rtf compress IN
 * OUT`: PR_RTF_COMPRESSED values ([MS-OXRTFCP]) to RTF and back ("-" for
 * standard input / output).
 *
 * Invariant: a damaged stream is reported (CRC, size), never written half.
 * Never: salvage silently (no CV_RTF_NO_CRC here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/message.h"
#include "convert/rtf.h"
#include "tools/tool.h"

static int usage(void)
{
    fputs("usage: mapidav rtf decompress IN OUT   (PR_RTF_COMPRESSED -> RTF)\n"
          "       mapidav rtf compress IN OUT     (RTF -> PR_RTF_COMPRESSED, LZFu)\n"
          "  '-' for standard input or output\n", stderr);
    return 2;
}

int cmd_rtf(int argc, char **argv)
{
    uint8_t *in = NULL, *out = NULL;
    size_t in_len = 0, out_len = 0;
    int rc;

    if (argc != 4)
        return usage();
    int decompress = !strcmp(argv[1], "decompress");
    if (!decompress && strcmp(argv[1], "compress"))
        return usage();
    if (tool_read_file(&in, &in_len, argv[2]))
        return 1;
    if (decompress)
        rc = cv_rtf_decompress(&out, &out_len, in, in_len, 0, 0);
    else
        rc = cv_rtf_compress(&out, &out_len, in, in_len, 0);
    if (rc == 0)
        rc = tool_write_file(argv[3], out, out_len);
    else if (rc == CV_EPARSE)
        rc = tool_fail("%s: not compressed RTF: %s", argv[2], st_error_last());
    else
        rc = tool_fail("%s: %s", argv[2], st_error_last());
    free(in);
    free(out);
    return rc;
}
