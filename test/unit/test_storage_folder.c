/*
 * test_storage_folder.c: the folder hierarchy: create, properties, counts
 * kept incrementally (content, unread, associated, children), rename, move
 * (cycles refused), delete (refused when not empty unless recursive), deep
 * copy (messages normal and associated, subfolders with ST_RECURSIVE, the
 * name taken, a recursive copy into itself refused, copy into itself without
 * subfolders), st_folder_within, sync state, receive folders, keys.
 */
#include "test_storage_util.h"

static st_bag *named(const char *name)
{
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, name);
    return b;
}

static void expect_counts(st_store *s, st_id f, uint32_t content, uint32_t unread, uint32_t assoc,
    uint32_t children, int line)
{
    st_folder_counts c;
    int r = st_folder_counts_get(s, &c, f);
    test_check_(r == 0 && c.content == content && c.unread == unread && c.assoc == assoc &&
        c.children == children, __FILE__, line, "counts %u/%u/%u/%u, want %u/%u/%u/%u\n",
        c.content, c.unread, c.assoc, c.children, content, unread, assoc, children);
}
#define COUNTS(s, f, a, b, c, d) expect_counts(s, f, a, b, c, d, __LINE__)

/* st_folder_copy: A (two mails, one associated message, subfolder B with a
 * mail that has a recipient and an attachment) copied in several ways. */
static void check_copy(st_store *s, st_id root)
{
    st_id a = tsu_folder(s, root, "Copy A", 0);
    st_id b = tsu_folder(s, a, "Copy B", 0);
    st_id dest = tsu_folder(s, root, "Copy dest", 0), m, out = 0;
    for (int i = 0; i < 2; i++) {
        st_bag *mail = tsu_mail(i, 100);
        ok(st_message_create(s, &m, a, mail, 0) == 0, "mail %d\n", i);
        st_bag_free(mail);
    }
    st_bag *fai = st_bag_new();
    st_bag_set_str(fai, PR_MESSAGE_CLASS_W, "IPM.Microsoft.FolderDesign.NamedView");
    ok(st_message_create(s, &m, a, fai, ST_ASSOCIATED) == 0, "associated\n");
    st_bag_free(fai);
    st_bag *mail = tsu_mail(7, 100), *rcpt = st_bag_new();
    st_bag_set_str(rcpt, PR_DISPLAY_NAME_W, "Rcpt");
    ok(tsu_create_full(s, b, mail, &rcpt, 1, 40000, &m) == 0, "full mail\n");
    st_bag_free(mail);
    st_bag_free(rcpt);
    st_bag *props = st_bag_new();
    st_bag_set_str(props, PR_CONTAINER_CLASS_W, "IPF.Note");
    st_bag_set_long(props, PROP_TAG(PT_LONG, 0x6703), 7);
    ok(st_folder_set_props(s, a, props, NULL, 0, 0) == 0, "props on A\n");
    st_bag_free(props);

    /* Without subfolders: the folder, its messages, its properties. */
    ok(st_folder_copy(s, &out, a, dest, NULL, 0) == 0 && out && out != a, "copy: %s\n",
        st_error_last());
    COUNTS(s, out, 2, 1, 1, 0);
    COUNTS(s, a, 2, 1, 1, 1);
    st_bag *got = NULL;
    ok(st_folder_get(s, &got, out) == 0, "get copy\n");
    const st_value *v = got ? st_bag_get(got, PR_DISPLAY_NAME_W) : NULL;
    ok(v && strcmp(v->v.str, "Copy A") == 0, "copy keeps the name\n");
    v = got ? st_bag_get(got, PROP_TAG(PT_LONG, 0x6703)) : NULL;
    ok(v && v->v.l == 7, "copy keeps the properties\n");
    v = got ? st_bag_get(got, PR_CONTAINER_CLASS_W) : NULL;
    ok(v && strcmp(v->v.str, "IPF.Note") == 0, "copy keeps the class\n");
    st_bag_free(got);

    /* The name is taken now; with a new one it goes; recursive copies the tree. */
    st_id out2 = 0;
    int r = st_folder_copy(s, &out2, a, dest, NULL, ST_RECURSIVE);
    ok(r == ST_EEXISTS && out2 == 0, "name taken: %d\n", r);
    ok(st_folder_copy(s, &out2, a, dest, "Copy A2", ST_RECURSIVE) == 0, "recursive: %s\n",
        st_error_last());
    COUNTS(s, out2, 2, 1, 1, 1);
    st_id b2 = 0;
    ok(st_folder_find_by_name(s, &b2, out2, "Copy B") == 0 && b2 && b2 != b, "B copied\n");
    COUNTS(s, b2, 1, 1, 0, 0);
    st_id *ids = NULL;
    size_t n = 0;
    ok(st_message_list(s, &ids, &n, b2, 0) == 0 && n == 1, "B's mail copied\n");
    if (n == 1) {
        st_bag **rows = NULL;
        size_t nr = 0;
        ok(st_recipients_get(s, &rows, &nr, ids[0]) == 0 && nr == 1, "recipient copied\n");
        for (size_t i = 0; i < nr; i++)
            st_bag_free(rows[i]);
        free(rows);
        uint32_t *nums = NULL;
        size_t na = 0;
        ok(st_attach_list(s, &nums, &na, ids[0]) == 0 && na == 1, "attachment copied\n");
        free(nums);
    }
    free(ids);

    int inside = -1;
    ok(st_folder_within(s, &inside, b, a) == 0 && inside == 1, "B is within A\n");
    ok(st_folder_within(s, &inside, a, a) == 0 && inside == 1, "A is within A\n");
    ok(st_folder_within(s, &inside, dest, a) == 0 && inside == 0, "dest is not within A\n");
    ok(st_folder_within(s, &inside, a, b) == 0 && inside == 0, "A is not within B\n");

    /* Into itself: refused with subfolders, fine without (children listed
     * before the copy is made). */
    r = st_folder_copy(s, &out2, a, b, "Loop", ST_RECURSIVE);
    ok(r == ST_ERROR, "recursive copy below itself: %d\n", r);
    r = st_folder_copy(s, &out2, a, a, "Loop", ST_RECURSIVE);
    ok(r == ST_ERROR, "recursive copy into itself: %d\n", r);
    ok(st_folder_copy(s, &out2, a, a, "Inside", 0) == 0, "copy into itself: %s\n",
        st_error_last());
    COUNTS(s, a, 2, 1, 1, 2);
    COUNTS(s, out2, 2, 1, 1, 0);
    r = st_folder_copy(s, &out2, 987654, dest, NULL, 0);
    ok(r == ST_ENOTFOUND, "missing source: %d\n", r);
    r = st_folder_copy(s, &out2, a, 987654, NULL, 0);
    ok(r == ST_ENOTFOUND, "missing destination: %d\n", r);
    char *rep = NULL;
    r = st_store_check(s, &rep);
    ok(r == 0, "check after copies: %d %s\n", r, rep ? rep : "");
    free(rep);
}

int main(void)
{
    st_id root, inbox;
    st_store *s = tsu_store("f.sqlite", &root, &inbox);
    COUNTS(s, root, 0, 0, 0, 1);

    st_bag *b = named("Projects");
    st_bag_set_str(b, PR_CONTAINER_CLASS_W, "IPF.Note");
    st_bag_set_long(b, PROP_TAG(PT_LONG, 0x6701), 42);
    const char *mv[] = { "a", "b" };
    st_value v = st_view_mv_str(PROP_TAG(PT_MV_UNICODE, 0x6702), mv, 2);
    st_bag_set(b, &v);
    st_id proj = 0, sub = 0, other = 0;
    ok(st_folder_create(s, &proj, inbox, b, 0) == 0, "create: %s\n", st_error_last());
    st_bag_free(b);
    b = named("projects");   /* names are case-insensitive among siblings */
    int r = st_folder_create(s, &other, inbox, b, 0);
    ok(r == ST_EEXISTS, "duplicate name: %d\n", r);
    st_bag_free(b);
    b = named("Sub");
    ok(st_folder_create(s, &sub, proj, b, 0) == 0, "sub\n");
    st_bag_free(b);
    b = named("Other");
    ok(st_folder_create(s, &other, root, b, 0) == 0, "other\n");
    st_bag_free(b);
    b = named("Second root");
    st_id x;
    ok(st_folder_create(s, &x, 0, b, 0) == ST_EEXISTS, "one root only\n");
    st_bag_free(b);
    ok(proj && sub && other && proj != sub, "ids\n");
    COUNTS(s, inbox, 0, 0, 0, 1);
    COUNTS(s, root, 0, 0, 0, 2);

    st_bag *got = NULL;
    ok(st_folder_get(s, &got, proj) == 0, "get\n");
    const st_value *gv = st_bag_get(got, PR_DISPLAY_NAME_W);
    ok(gv && !strcmp(gv->v.str, "Projects"), "name\n");
    gv = st_bag_get(got, PR_CONTAINER_CLASS_W);
    ok(gv && !strcmp(gv->v.str, "IPF.Note"), "class\n");
    gv = st_bag_get(got, PROP_TAG(PT_LONG, 0x6701));
    ok(gv && gv->v.l == 42, "custom\n");
    gv = st_bag_get(got, PROP_TAG(PT_MV_UNICODE, 0x6702));
    ok(gv && gv->v.mv.n == 2 && !strcmp(gv->v.mv.str[1], "b"), "mv\n");
    gv = st_bag_get(got, PR_SUBFOLDERS);
    ok(gv && gv->v.b == 1, "subfolders\n");
    const st_value *sk = st_bag_get(got, PR_SOURCE_KEY);
    const st_value *ck1 = st_bag_get(got, PR_CHANGE_KEY);
    ok(sk && sk->v.bin.len == 22 && ck1 && ck1->v.bin.len == 22, "keys\n");
    uint8_t ck_before[22];
    memcpy(ck_before, ck1->v.bin.data, 22);
    st_bag_free(got);

    /* Messages and counts. */
    st_id m1, m2, m3, a1;
    st_bag *mb = tsu_mail(1, 100);   /* 1 % 3 != 0: unread */
    ok(st_message_create(s, &m1, proj, mb, 0) == 0, "m1\n");
    ok(st_message_create(s, &m2, proj, mb, 0) == 0, "m2\n");
    st_bag_set_long(mb, PR_MESSAGE_FLAGS, 1);
    ok(st_message_create(s, &m3, proj, mb, 0) == 0, "m3 read\n");
    ok(st_message_create(s, &a1, proj, mb, ST_ASSOCIATED) == 0, "assoc\n");
    st_bag_free(mb);
    COUNTS(s, proj, 3, 2, 1, 1);
    ok(st_message_set_read(s, m1, 1, 0) == 0, "read\n");
    COUNTS(s, proj, 3, 1, 1, 1);
    ok(st_message_set_read(s, m1, 1, 0) == 0, "read again\n");
    COUNTS(s, proj, 3, 1, 1, 1);
    ok(st_message_set_read(s, m3, 0, 0) == 0, "unread\n");
    COUNTS(s, proj, 3, 2, 1, 1);
    ok(st_message_move(s, m3, other, 0) == 0, "move\n");
    COUNTS(s, proj, 2, 1, 1, 1);
    COUNTS(s, other, 1, 1, 0, 0);
    st_id c1;
    ok(st_message_copy(s, &c1, m2, other, 0) == 0, "copy\n");
    COUNTS(s, other, 2, 2, 0, 0);
    ok(st_message_delete(s, m2, 0) == 0, "delete\n");
    COUNTS(s, proj, 1, 0, 1, 1);
    /* PR_MESSAGE_FLAGS through set_props changes unread too. */
    st_bag *fl = st_bag_new();
    st_bag_set_long(fl, PR_MESSAGE_FLAGS, 0);
    ok(st_message_set_props(s, m1, fl, NULL, 0, 0) == 0, "flags via props\n");
    st_bag_free(fl);
    COUNTS(s, proj, 1, 1, 1, 1);

    /* Change properties; change key moves on. */
    b = st_bag_new();
    st_bag_set_long(b, PROP_TAG(PT_LONG, 0x6701), 43);
    uint32_t del = PROP_TAG(PT_MV_UNICODE, 0x6702);
    ok(st_folder_set_props(s, proj, b, &del, 1, 0) == 0, "set props\n");
    st_bag_free(b);
    ok(st_folder_get(s, &got, proj) == 0, "get\n");
    gv = st_bag_get(got, PROP_TAG(PT_LONG, 0x6701));
    ok(gv && gv->v.l == 43, "changed\n");
    ok(!st_bag_get(got, PROP_TAG(PT_MV_UNICODE, 0x6702)), "deleted\n");
    gv = st_bag_get(got, PR_CHANGE_KEY);
    ok(gv && memcmp(gv->v.bin.data, ck_before, 22) != 0, "change key changed\n");
    gv = st_bag_get(got, PR_CONTENT_COUNT);
    ok(gv && gv->v.l == 1, "PR_CONTENT_COUNT\n");
    st_bag_free(got);

    /* Rename and move. */
    ok(st_folder_move(s, proj, inbox, "Projekte", 0) == 0, "rename\n");
    st_id found;
    ok(st_folder_find_by_name(s, &found, inbox, "PROJEKTE") == 0 && found == proj, "find\n");
    r = st_folder_move(s, proj, sub, NULL, 0);
    ok(r != 0 && strstr(st_error_last(), "itself"), "cycle refused: %s\n", st_error_last());
    r = st_folder_move(s, proj, proj, NULL, 0);
    ok(r != 0, "into itself refused\n");
    ok(st_folder_move(s, proj, other, NULL, 0) == 0, "move: %s\n", st_error_last());
    COUNTS(s, inbox, 0, 0, 0, 0);
    COUNTS(s, other, 2, 2, 0, 1);
    st_id parent;
    ok(st_folder_parent(s, &parent, proj) == 0 && parent == other, "parent\n");
    st_id *kids = NULL;
    size_t nk = 0;
    ok(st_folder_children(s, &kids, &nk, root) == 0 && nk == 2, "children %zu\n", nk);
    free(kids);

    /* Sync state. */
    ok(st_folder_sync_set(s, proj, "https://x/mail/me/Projekte/", "tok1", NULL) == 0, "sync set\n");
    ok(st_folder_sync_set(s, proj, NULL, NULL, "ctag9") == 0, "sync set ctag\n");
    char *url, *tok, *ctag;
    ok(st_folder_sync_get(s, proj, &url, &tok, &ctag) == 0 && url && tok && ctag &&
        !strcmp(tok, "tok1") && !strcmp(ctag, "ctag9"), "sync get\n");
    free(url);
    free(tok);
    free(ctag);
    ok(st_folder_sync_set(s, proj, NULL, "", NULL) == 0, "clear token\n");
    ok(st_folder_sync_get(s, proj, NULL, &tok, NULL) == 0 && tok == NULL, "cleared\n");
    ok(st_folder_find_by_url(s, &found, "https://x/mail/me/Projekte/") == 0 && found == proj,
        "by url\n");
    ok(st_folder_sync_set(s, 99999, "u", NULL, NULL) == ST_ENOTFOUND, "no folder\n");

    /* Receive folders. */
    ok(st_receive_folder_set(s, "", inbox) == 0, "default\n");
    ok(st_receive_folder_set(s, "IPM.Note.Special", other) == 0, "special\n");
    ok(st_receive_folder_get(s, &found, "IPM.Note") == 0 && found == inbox, "IPM.Note\n");
    ok(st_receive_folder_get(s, &found, "ipm.note.special.more") == 0 && found == other,
        "prefix\n");
    ok(st_receive_folder_get(s, &found, "IPM.Note.Specialist") == 0 && found == inbox,
        "whole components only\n");
    st_receive_folder *rfs = NULL;
    size_t nrf = 0;
    ok(st_receive_folder_list(s, &rfs, &nrf) == 0 && nrf == 2 && !strcmp(rfs[0].msg_class, "")
        && rfs[0].fid == inbox && !strcmp(rfs[1].msg_class, "IPM.Note.Special")
        && rfs[1].fid == other, "receive folder list (%zu)\n", nrf);
    st_receive_folders_free(rfs, nrf);
    st_receive_folders_free(NULL, 0);

    /* The outgoing queue: submitted messages, by client submit time. */
    st_id q1 = 0, q2 = 0, q3 = 0, *qs = NULL;
    size_t nq = 0;
    st_bag *qb = st_bag_new();
    st_bag_set_str(qb, PR_SUBJECT_W, "later");
    st_bag_set_long(qb, PR_MESSAGE_FLAGS, MSGFLAG_SUBMIT | MSGFLAG_UNSENT);
    st_bag_set_systime(qb, PR_CLIENT_SUBMIT_TIME, 2000);
    ok(st_message_create(s, &q1, inbox, qb, 0) == 0, "queued 1\n");
    st_bag_set_systime(qb, PR_CLIENT_SUBMIT_TIME, 1000);
    ok(st_message_create(s, &q2, other, qb, 0) == 0, "queued 2\n");
    st_bag_set_long(qb, PR_MESSAGE_FLAGS, MSGFLAG_UNSENT);
    ok(st_message_create(s, &q3, inbox, qb, 0) == 0, "not queued\n");
    st_bag_set_long(qb, PR_MESSAGE_FLAGS, MSGFLAG_SUBMIT);
    st_id q4 = 0;
    ok(st_message_create(s, &q4, inbox, qb, ST_ASSOCIATED) == 0, "associated\n");
    ok(st_message_list_submitted(s, &qs, &nq) == 0 && nq == 2 && qs[0] == q2 && qs[1] == q1,
        "submitted list (%zu)\n", nq);
    free(qs);
    ok(st_message_delete(s, q1, 0) == 0 && st_message_delete(s, q2, 0) == 0
        && st_message_delete(s, q3, 0) == 0 && st_message_delete(s, q4, 0) == 0,
        "queued deleted\n");
    st_bag_free(qb);

    check_copy(s, root);

    /* Delete. */
    r = st_folder_delete(s, proj, 0);
    ok(r == ST_ENOTEMPTY, "not empty: %d\n", r);
    ok(st_folder_delete(s, proj, ST_RECURSIVE) == 0, "recursive: %s\n", st_error_last());
    COUNTS(s, other, 2, 2, 0, 0);
    ok(st_folder_get(s, &got, sub) == ST_ENOTFOUND, "sub gone\n");
    st_bag *mg = NULL;
    ok(st_message_get(s, &mg, m1) == ST_ENOTFOUND, "messages gone\n");
    ok(st_folder_delete(s, root, ST_RECURSIVE) != 0, "root stays\n");
    char *rep = NULL;
    r = st_store_check(s, &rep);
    ok(r == 0, "check: %d %s\n", r, rep ? rep : "");
    free(rep);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
