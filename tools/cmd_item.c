/*
 * cmd_item.c: local changes made the way Outlook makes them, for the demo
 * and the tests: `mapidav item read|unread ITEM`, `item move ITEM FOLDER`,
 * `item delete ITEM` (to Deleted Items; for good when it is there already)
 * and `mapidav draft --subject S --to ADDR [--to ADDR...] [--body TEXT]
 * [--from ADDR]`
 * (a new unsent message in Drafts).
 *
 * Invariant: every write goes through storage without ST_FROM_SERVER, so
 * it is journaled in the same transaction and the next sync sends it up.
 * The special folders are those the sync recorded in the catalog
 * ("store.{GUID}.folder.deleted" / ".drafts"). Never: touch the server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/props_tags.h"
#include "tools/account.h"
#include "tools/folders.h"
#include "tools/tool.h"

#define MAX_TO 64

static int usage(void)
{
    fputs("usage: mapidav item read|unread|delete ITEM\n"
          "       mapidav item move ITEM FOLDER\n"
          "       mapidav draft --subject TEXT --to ADDRESS [--to ADDRESS ...] [--body TEXT]\n"
          "                     [--from ADDRESS]  (default: the account's user, if an address)\n",
        stderr);
    return 2;
}

/* Opens the chosen account and its store. 0 or 1. */
static int open_all(tool_account **a, st_store **s)
{
    *a = NULL;
    *s = NULL;
    if (tool_account_open(a))
        return 1;
    if (tool_account_store(*a, s)) {
        tool_account_close(*a);
        *a = NULL;
        return 1;
    }
    return 0;
}

static int role_folder(tool_account *a, const char *role, const char *label, st_id *out)
{
    *out = tool_account_role(a, role);
    if (!*out)
        return tool_fail("no %s folder is known yet: run `mapidav sync` first", label);
    return 0;
}

int cmd_item(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *verb = argv[1], *item = argv[2];
    int want = !strcmp(verb, "move") ? 4 : 3;
    if (argc != want || (strcmp(verb, "read") && strcmp(verb, "unread") && strcmp(verb, "move") &&
                         strcmp(verb, "delete")))
        return usage();
    tool_account *a = NULL;
    st_store *s = NULL;
    st_id mid = 0, folder = 0, ipm = 0, dest = 0;
    int rc = open_all(&a, &s);
    if (!rc)
        rc = tool_item_find(s, item, &mid, &folder);
    if (rc)
        goto cleanup;
    if (!strcmp(verb, "read") || !strcmp(verb, "unread")) {
        int read = !strcmp(verb, "read");
        if (st_message_set_read(s, mid, read, 0) != 0)
            rc = tool_fail("item %s: %s", item, st_error_last());
        else
            printf("item %s marked %s\n", item, verb);
        goto cleanup;
    }
    rc = tool_folder_ipm(s, &ipm);
    if (!rc)
        rc = !strcmp(verb, "move") ? tool_folder_find(s, ipm, argv[3], &dest)
                                   : role_folder(a, "deleted", "Deleted Items", &dest);
    if (rc)
        goto cleanup;
    if (!strcmp(verb, "delete") && folder == dest) {
        if (st_message_delete(s, mid, 0) != 0)
            rc = tool_fail("item %s: %s", item, st_error_last());
        else
            printf("item %s deleted for good\n", item);
    } else if (folder == dest) {
        printf("item %s is in that folder already\n", item);
    } else if (st_message_move(s, mid, dest, 0) != 0) {
        rc = tool_fail("item %s: %s", item, st_error_last());
    } else {
        char *path = tool_folder_path(s, ipm, dest);
        printf("item %s moved to %s\n", item, path ? path : "?");
        free(path);
    }
cleanup:
    st_store_close(s);
    tool_account_close(a);
    return rc;
}

/* An address a recipient row can carry: local@domain, printable, short. */
static int address_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 320)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7F || *p == '<' || *p == '>' || *p == ',' || *p == '"')
            return 0;
    return 1;
}

/* The draft's properties. NULL when out of memory. */
static st_bag *draft_props(const char *subject, const char *body, const char **to, size_t n_to)
{
    st_bag *b = st_bag_new();
    size_t len = 1;
    for (size_t i = 0; i < n_to; i++)
        len += strlen(to[i]) + 2;
    char *display_to = malloc(len);
    if (!b || !display_to) {
        st_bag_free(b);
        free(display_to);
        return NULL;
    }
    display_to[0] = 0;
    for (size_t i = 0; i < n_to; i++) {
        strcat(display_to, i ? "; " : "");
        strcat(display_to, to[i]);
    }
    uint64_t now = st_os_time_filetime();
    int r = st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    r |= st_bag_set_str(b, PR_SUBJECT_W, subject);
    r |= st_bag_set_str(b, PR_DISPLAY_TO_W, display_to);
    r |= st_bag_set_long(b, PR_MESSAGE_FLAGS, (int32_t)(MSGFLAG_UNSENT | MSGFLAG_READ));
    r |= st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, now);
    r |= st_bag_set_systime(b, PR_CREATION_TIME, now);
    if (body)
        r |= st_bag_set_str(b, PR_BODY_W, body);
    free(display_to);
    if (r) {
        st_bag_free(b);
        return NULL;
    }
    return b;
}

int cmd_draft(int argc, char **argv)
{
    const char *subject = NULL, *body = NULL, *from = NULL, *to[MAX_TO];
    size_t n_to = 0;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return usage();
        if (!strcmp(argv[i], "--subject"))
            subject = argv[++i];
        else if (!strcmp(argv[i], "--body"))
            body = argv[++i];
        else if (!strcmp(argv[i], "--from"))
            from = argv[++i];
        else if (!strcmp(argv[i], "--to") && n_to < MAX_TO)
            to[n_to++] = argv[++i];
        else
            return usage();
    }
    if (!subject || !n_to)
        return usage();
    for (size_t i = 0; i < n_to; i++)
        if (!address_ok(to[i]))
            return tool_fail("--to %s: not an e-mail address (name@example.org)", to[i]);
    if (from && !address_ok(from))
        return tool_fail("--from %s: not an e-mail address (name@example.org)", from);
    if (!st_utf8_valid(subject, strlen(subject)) || (body && !st_utf8_valid(body, strlen(body))))
        return tool_fail("the subject and body must be UTF-8 text");
    tool_account *a = NULL;
    st_store *s = NULL;
    st_id drafts = 0, mid = 0;
    st_bag *props = NULL, *rows[MAX_TO] = { 0 };
    int rc = open_all(&a, &s);
    if (!rc)
        rc = role_folder(a, "drafts", "Drafts", &drafts);
    if (rc)
        goto cleanup;
    props = draft_props(subject, body, to, n_to);
    int bad = !props;
    /* The sender: --from, else the account's user name when it is an address. */
    char *user = from ? NULL : tool_account_get(a, ACC_USER);
    const char *sender = from ? from : user && address_ok(user) ? user : NULL;
    static const uint32_t who[][3] = {
        { PR_SENDER_NAME_W, PR_SENDER_EMAIL_ADDRESS_W, PR_SENDER_ADDRTYPE_W },
        { PR_SENT_REPRESENTING_NAME_W, PR_SENT_REPRESENTING_EMAIL_ADDRESS_W,
          PR_SENT_REPRESENTING_ADDRTYPE_W },
    };
    for (size_t k = 0; !bad && sender && k < 2; k++)
        bad = st_bag_set_str(props, who[k][0], sender) || st_bag_set_str(props, who[k][1], sender) ||
            st_bag_set_str(props, who[k][2], "SMTP");
    free(user);
    for (size_t i = 0; !bad && i < n_to; i++) {
        rows[i] = st_bag_new();
        bad = !rows[i] || st_bag_set_long(rows[i], PR_RECIPIENT_TYPE, MAPI_TO) ||
            st_bag_set_str(rows[i], PR_DISPLAY_NAME_W, to[i]) ||
            st_bag_set_str(rows[i], PR_EMAIL_ADDRESS_W, to[i]) ||
            st_bag_set_str(rows[i], PR_ADDRTYPE_W, "SMTP") ||
            st_bag_set_str(rows[i], PR_SMTP_ADDRESS_W, to[i]);
    }
    if (bad) {
        rc = tool_fail("out of memory");
        goto cleanup;
    }
    /* One transaction: the message, its recipients and their journal entry. */
    int code = st_store_begin(s), began = !code;
    if (!code)
        code = st_message_create(s, &mid, drafts, props, 0);
    if (!code)
        code = st_recipients_set(s, mid, rows, n_to, 0);
    if (!code)
        code = st_store_commit(s);
    if (code && began)
        st_store_rollback(s);
    if (code)
        rc = tool_fail("saving the draft: %s", st_error_last());
    else
        printf("draft %llu saved in Drafts\n", (unsigned long long)mid);
cleanup:
    for (size_t i = 0; i < n_to; i++)
        st_bag_free(rows[i]);
    st_bag_free(props);
    st_store_close(s);
    tool_account_close(a);
    return rc;
}
