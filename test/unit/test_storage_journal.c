/*
 * test_storage_journal.c: the journal of local changes: written with the
 * change, coalescing rules, base ETag, take/ack/refuse/release, nothing
 * journaled for ST_FROM_SERVER, entries of a rolled-back change vanish
 * with it.
 */
#include "test_storage_util.h"

static int n_entries(st_store *s)
{
    st_journal_entry *e = NULL;
    size_t n = 0;
    st_journal_list(s, &e, &n);
    st_journal_entries_free(e, n);
    return (int)n;
}

/* The pending entries as "op:obj op:obj ..." for compact checks. */
static const char *summary(st_store *s)
{
    static char buf[512];
    st_journal_entry *e = NULL;
    size_t n = 0;
    buf[0] = 0;
    st_journal_list(s, &e, &n);
    static const char *ops[] = { "?", "create", "modify", "read", "move", "delete", "rename" };
    for (size_t i = 0; i < n; i++) {
        char one[64];
        snprintf(one, sizeof one, "%s%s%s", i ? " " : "", ops[e[i].op >= 1 && e[i].op <= 6 ? e[i].op : 0],
            e[i].state == ST_JSTATE_TAKEN ? "(taken)" : e[i].state == ST_JSTATE_REFUSED ? "(refused)" : "");
        strncat(buf, one, sizeof buf - strlen(buf) - 1);
    }
    st_journal_entries_free(e, n);
    return buf;
}

static void clear(st_store *s)
{
    st_journal_entry *e = NULL;
    size_t n = 0;
    st_journal_take(s, &e, &n, 0);
    for (size_t i = 0; i < n; i++)
        st_journal_ack(s, e[i].seq, NULL, NULL);
    st_journal_entries_free(e, n);
}

#define SUMMARY(s, want) \
    do { \
        const char *got_ = summary(s); \
        ok(!strcmp(got_, want), "journal \"%s\", want \"%s\"\n", got_, want); \
    } while (0)

int main(void)
{
    st_id root, inbox, other;
    st_store *s = tsu_store("j.sqlite", &root, &inbox);
    other = tsu_folder(s, root, "Other", ST_FROM_SERVER);
    SUMMARY(s, "");
    st_bag *b = tsu_mail(1, 100);
    st_bag *set = st_bag_new();
    st_bag_set_str(set, PR_SUBJECT_W, "edited");

    /* From the server: nothing journaled. */
    st_id srv;
    ok(st_message_create(s, &srv, inbox, b, ST_FROM_SERVER) == 0, "server create\n");
    ok(st_message_server_set(s, srv, "/mail/me/Inbox/1.eml", "\"e1\"") == 0, "identity\n");
    ok(st_message_set_props(s, srv, set, NULL, 0, ST_FROM_SERVER) == 0, "server modify\n");
    ok(st_message_set_read(s, srv, 1, ST_FROM_SERVER) == 0, "server read\n");
    SUMMARY(s, "");

    /* create + modify + read = create; + delete = nothing. */
    st_id m;
    st_message_create(s, &m, inbox, b, 0);
    SUMMARY(s, "create");
    st_message_set_props(s, m, set, NULL, 0, 0);
    st_message_set_read(s, m, 1, 0);
    st_message_move(s, m, other, 0);
    SUMMARY(s, "create");
    st_journal_entry *e = NULL;
    size_t n = 0;
    st_journal_list(s, &e, &n);
    ok(n == 1 && e[0].folder == other && e[0].obj == m && e[0].href == NULL,
        "create moved to the new folder\n");
    st_journal_entries_free(e, n);
    st_message_delete(s, m, 0);
    SUMMARY(s, "");

    /* On the server: read, then modify = modify; + delete = delete with base ETag. */
    st_message_set_read(s, srv, 0, 0);
    SUMMARY(s, "read");
    st_message_set_read(s, srv, 1, 0);
    SUMMARY(s, "read");
    st_message_set_props(s, srv, set, NULL, 0, 0);
    SUMMARY(s, "modify");
    st_message_set_read(s, srv, 0, 0);
    SUMMARY(s, "modify");
    st_journal_list(s, &e, &n);
    ok(n == 1 && e[0].base_etag && !strcmp(e[0].base_etag, "\"e1\"") && e[0].href &&
        !strcmp(e[0].href, "/mail/me/Inbox/1.eml"), "base etag and href\n");
    st_journal_entries_free(e, n);
    /* move + move = one move from the first origin */
    st_id third = tsu_folder(s, root, "Third", ST_FROM_SERVER);
    st_message_move(s, srv, other, 0);
    st_message_move(s, srv, third, 0);
    SUMMARY(s, "modify move");
    st_journal_list(s, &e, &n);
    ok(n == 2 && e[1].folder == third && e[1].old_folder == inbox, "move coalesced\n");
    st_journal_entries_free(e, n);
    st_message_delete(s, srv, 0);
    SUMMARY(s, "delete");
    st_journal_list(s, &e, &n);
    ok(n == 1 && e[0].href && !strcmp(e[0].href, "/mail/me/Inbox/1.eml") && e[0].base_etag &&
        !strcmp(e[0].base_etag, "\"e1\"") && e[0].folder == inbox,
        "delete where the server has it\n");
    st_journal_entries_free(e, n);
    clear(s);

    /* Taken entries are never rewritten. */
    st_id m2;
    st_message_create(s, &m2, inbox, b, 0);
    ok(st_journal_take(s, &e, &n, 10) == 0 && n == 1 && e[0].op == ST_JOP_CREATE, "take\n");
    int64_t create_seq = n ? e[0].seq : 0;
    st_journal_entries_free(e, n);
    st_message_set_props(s, m2, set, NULL, 0, 0);
    SUMMARY(s, "create(taken) modify");
    ok(st_journal_take(s, &e, &n, 10) == 0 && n == 1 && e[0].op == ST_JOP_MODIFY && !e[0].href,
        "take modify\n");
    int64_t mod_seq = n ? e[0].seq : 0;
    st_journal_entries_free(e, n);
    /* Ack the create with the server's href and ETag: the object gets them. */
    ok(st_journal_ack(s, create_seq, "/mail/me/Inbox/2.eml", "\"e2\"") == 0, "ack create\n");
    char *href = NULL, *etag = NULL;
    st_message_server_get(s, m2, &href, &etag);
    ok(href && etag && !strcmp(href, "/mail/me/Inbox/2.eml") && !strcmp(etag, "\"e2\""),
        "identity recorded\n");
    free(href);
    free(etag);
    /* A refused change is kept with its reason. */
    ok(st_journal_refuse(s, mod_seq, "412 Precondition Failed") == 0, "refuse\n");
    SUMMARY(s, "modify(refused)");
    st_journal_list(s, &e, &n);
    ok(n == 1 && e[0].reason && !strcmp(e[0].reason, "412 Precondition Failed"), "reason kept\n");
    st_journal_entries_free(e, n);
    /* The refused entry is not coalesced away by a delete. */
    st_message_delete(s, m2, 0);
    SUMMARY(s, "modify(refused) delete");
    st_journal_list(s, &e, &n);
    ok(n == 2 && e[1].base_etag && !strcmp(e[1].base_etag, "\"e2\""), "delete against e2\n");
    st_journal_entries_free(e, n);
    size_t cnt;
    ok(st_journal_count(s, &cnt, ST_JSTATE_REFUSED) == 0 && cnt == 1, "count refused\n");
    ok(st_journal_ack(s, 99999, NULL, NULL) == ST_ENOTFOUND, "ack unknown\n");

    /* Release puts taken entries back in order. */
    ok(st_journal_take(s, &e, &n, 10) == 0 && n == 1, "take delete\n");
    st_journal_entries_free(e, n);
    ok(st_journal_release(s) == 0, "release\n");
    SUMMARY(s, "modify(refused) delete");

    /* Folders. */
    int before = n_entries(s);
    st_id f;
    st_bag *fb = st_bag_new();
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "New");
    st_folder_create(s, &f, inbox, fb, 0);
    st_folder_move(s, f, inbox, "Renamed", 0);
    st_folder_move(s, f, other, NULL, 0);
    ok(n_entries(s) == before + 1, "folder create + rename + move = create\n");
    st_folder_delete(s, f, ST_RECURSIVE);
    ok(n_entries(s) == before, "folder create + delete = nothing\n");
    st_folder_sync_set(s, other, "https://x/Other/", NULL, NULL);
    st_folder_move(s, other, inbox, "Other2", 0);
    st_folder_move(s, other, inbox, "Other3", 0);
    ok(n_entries(s) == before + 1, "move then rename: one move\n");
    st_folder_set_props(s, other, fb, NULL, 0, 0);   /* renames to "New" via props */
    ok(n_entries(s) == before + 2, "folder modify\n");
    st_bag_free(fb);

    /* A failing change leaves no journal entry behind. */
    before = n_entries(s);
    st_id bad;
    int r = st_message_create(s, &bad, 424242, b, 0);
    ok(r == ST_ENOTFOUND && n_entries(s) == before, "failed create: no entry\n");
    ok(st_store_begin(s) == 0, "begin\n");
    st_message_create(s, &bad, inbox, b, 0);
    st_message_set_props(s, bad, set, NULL, 0, 0);
    st_store_rollback(s);
    ok(n_entries(s) == before, "rolled back: no entry\n");
    char *rep = NULL;
    r = st_store_check(s, &rep);
    ok(r == 0, "check: %s\n", rep ? rep : "");
    free(rep);

    st_bag_free(set);
    st_bag_free(b);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
