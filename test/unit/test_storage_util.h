/*
 * test_storage_util.h: what the test_storage_*.c programs share: a fresh
 * temporary folder per program, a store with a root and an Inbox in it,
 * more folders, a sample message bag and a whole local mail transaction. Header-only, like testutil.h.
 */
#ifndef MAPIDAV_TEST_STORAGE_UTIL_H
#define MAPIDAV_TEST_STORAGE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage.h"
#include "testutil.h"

static char *tsu_dir_;

/* A fresh folder for this program; removed by tsu_cleanup(). */
static inline const char *tsu_dir(void)
{
    if (!tsu_dir_ && st_os_tempdir_create(&tsu_dir_, "mapidav-st-") != 0)
        test_fatal("tempdir: %s\n", st_error_last());
    return tsu_dir_;
}

/* dir/name in a static rotating buffer. */
static inline const char *tsu_path(const char *name)
{
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ & 7];
    snprintf(b, sizeof bufs[0], "%s/%s", tsu_dir(), name);
    return b;
}

static inline void tsu_cleanup(void)
{
    if (tsu_dir_) {
        st_os_remove_tree(tsu_dir_);
        free(tsu_dir_);
        tsu_dir_ = NULL;
    }
}

static const st_guid tsu_guid = { 0x12345678, 0x1234, 0x5678,
    { 0x90, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67 } };

/* Opens (creating) name in the temp folder; makes root + Inbox if new. */
static inline st_store *tsu_store(const char *name, st_id *root, st_id *inbox)
{
    st_store *s = NULL;
    int r = st_store_open(&s, tsu_path(name), &tsu_guid, ST_OPEN_CREATE);
    if (r != 0)
        test_fatal("st_store_open %s: %d %s\n", name, r, st_error_last());
    st_id rt = 0, in = 0;
    if (st_folder_root(s, &rt) == ST_ENOTFOUND) {
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_DISPLAY_NAME_W, "Root");
        if (st_folder_create(s, &rt, 0, b, ST_FROM_SERVER) != 0)
            test_fatal("root: %s\n", st_error_last());
        st_bag_set_str(b, PR_DISPLAY_NAME_W, "Inbox");
        st_bag_set_str(b, PR_CONTAINER_CLASS_W, "IPF.Note");
        if (st_folder_create(s, &in, rt, b, ST_FROM_SERVER) != 0)
            test_fatal("inbox: %s\n", st_error_last());
        st_bag_free(b);
    } else {
        st_folder_find_by_name(s, &in, rt, "Inbox");
    }
    if (root)
        *root = rt;
    if (inbox)
        *inbox = in;
    return s;
}

/* Creates folder name under parent (flags: 0 or ST_FROM_SERVER); its id,
 * 0 on failure. */
static inline st_id tsu_folder(st_store *s, st_id parent, const char *name, unsigned flags)
{
    st_id id = 0;
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, name);
    st_folder_create(s, &id, parent, b, flags);
    st_bag_free(b);
    return id;
}

/* One local transaction as Outlook makes a mail: message b in fid, its
 * recipients rows[0..n_rows) and an attachment of attach_len zero bytes
 * (above the inline limit: a stream); all or nothing. */
static inline int tsu_create_full(st_store *s, st_id fid, const st_bag *b, st_bag *const *rows,
    size_t n_rows, uint32_t attach_len, st_id *out)
{
    static uint8_t data[65536];
    if (attach_len > sizeof data)
        test_fatal("tsu_create_full: attachment of %u bytes\n", (unsigned)attach_len);
    int code = st_store_begin(s);
    if (code)
        return code;
    code = st_message_create(s, out, fid, b, 0);
    if (!code)
        code = st_recipients_set(s, *out, rows, n_rows, 0);
    st_bag *ab = st_bag_new();
    st_bag_set_bin(ab, PR_ATTACH_DATA_BIN, data, attach_len);
    uint32_t num;
    if (!code)
        code = st_attach_create(s, &num, *out, ab, 0);
    st_bag_free(ab);
    if (code) {
        st_store_rollback(s);
        return code;
    }
    return st_store_commit(s);
}

/* A realistic mail: subject, sender, times, flags, class, 2 KB body... */
static inline st_bag *tsu_mail(int i, size_t body_len)
{
    st_bag *b = st_bag_new();
    char subj[128], from[64];
    snprintf(subj, sizeof subj, "Quarterly report %d for project Ärger", i);
    snprintf(from, sizeof from, "Sender %d", i % 97);
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    st_bag_set_str(b, PR_SUBJECT_W, subj);
    st_bag_set_str(b, PR_NORMALIZED_SUBJECT_W, subj);
    st_bag_set_str(b, PR_CONVERSATION_TOPIC_W, subj);
    st_bag_set_str(b, PR_SENDER_NAME_W, from);
    st_bag_set_str(b, PR_DISPLAY_TO_W, "Me; You");
    uint64_t t = UINT64_C(133000000000000000) + (uint64_t)i * 10000000u;
    st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, t);
    st_bag_set_systime(b, PR_CLIENT_SUBMIT_TIME, t - 5000000);
    st_bag_set_systime(b, PR_LAST_MODIFICATION_TIME, t);
    st_bag_set_long(b, PR_MESSAGE_FLAGS, i % 3 == 0 ? 1 : 0);
    st_bag_set_long(b, PR_IMPORTANCE, 1);
    st_bag_set_long(b, PR_ICON_INDEX, 256);
    st_bag_set_long(b, PR_INTERNET_CPID, 65001);
    st_bag_set_str(b, PR_SENT_REPRESENTING_NAME_W, from);
    st_bag_set_str(b, PR_DISPLAY_CC_W, "");
    if (body_len) {
        char *body = malloc(body_len + 1);
        static const char words[] = "lorem ipsum dolor sit amet consectetur adipiscing elit ";
        for (size_t k = 0; k < body_len; k++)
            body[k] = words[(k + (size_t)i) % (sizeof words - 1)];
        body[body_len] = 0;
        st_bag_set_str(b, PR_BODY_W, body);
        free(body);
    }
    return b;
}

#endif
