/*
 * big_folder.h: the folder "Big" of the Windows table tests, filled by
 * storage calls while the store is logged off: under the root of store s,
 * n messages imported in batches of budget_ms, message i with subject
 * "Message %05d" (i), class IPM.Note and href "m%05d.eml"; props, when not
 * NULL, adds the test's own properties of message i. Returns Big's id, 0
 * on failure (reported with ok()).
 * Header-only: include testutil.h and storage/storage.h first.
 */
#ifndef MAPIDAV_BIG_FOLDER_H
#define MAPIDAV_BIG_FOLDER_H

#include <stdio.h>

static st_id big_folder_fill(st_store *s, int n, unsigned budget_ms,
    void (*props)(st_bag *b, int i))
{
    st_id root = 0, big = 0;
    int code = st_folder_root(s, &root);
    st_bag *fb = st_bag_new();
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Big");
    st_bag_set_str(fb, PR_CONTAINER_CLASS_W, "IPF.Note");
    if (!code)
        code = st_folder_create(s, &big, root, fb, ST_FROM_SERVER);
    st_bag_free(fb);
    ok(code == 0, "folder Big: %d %s\n", code, st_error_last());
    st_import *imp = NULL;
    if (!code)
        code = st_import_begin(&imp, s, budget_ms);
    for (int i = 0; !code && i < n; i++) {
        char subj[32], href[32];
        snprintf(subj, sizeof subj, "Message %05d", i);
        snprintf(href, sizeof href, "m%05d.eml", i);
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_SUBJECT_W, subj);
        st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
        if (props)
            props(b, i);
        code = st_import_message(imp, NULL, big, b, NULL, 0, href, "\"1\"");
        st_bag_free(b);
    }
    if (imp)
        code = code ? (st_import_abort(imp), code) : st_import_end(imp);
    ok(code == 0, "import: %d %s\n", code, st_error_last());
    return code ? 0 : big;
}

#endif
