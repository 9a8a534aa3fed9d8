/*
 * test_dump.c: mapidav-dump.exe under Wine on a store made here by storage
 * calls (the root, "Top of Information Store", an Inbox holding three
 * messages, one of them read, and a folder of the user's own, "Projects",
 * with a subfolder named in UTF-8 beyond Latin-1).
 * Runs the dump as a user would (CreateProcess, its standard output read
 * through a pipe) and checks what it prints: the store's properties, the
 * whole tree from the hierarchy table with depths and counts, --items (the
 * Inbox's messages from its contents table, read and unread), an unknown
 * folder, a missing store file and bad usage refused without a new file
 * being made.
 *
 * usage: test_dump PATH-TO-mapidav-dump.exe PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "testutil.h"
#include "dll_path.h"
#include "storage/os.h"
#include "storage/storage.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"

static char exe[MAX_PATH], dll[MAX_PATH];

/* Runs the dump with args; its exit code, stdout and stderr (malloc'd). */
static DWORD run(const char *args, char **out, char **err)
{
    char cmd[4 * MAX_PATH];
    SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
    HANDLE o_r, o_w, e_r, e_w;
    CreatePipe(&o_r, &o_w, &sa, 0);
    CreatePipe(&e_r, &e_w, &sa, 0);
    SetHandleInformation(o_r, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(e_r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = { .cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES,
                        .hStdOutput = o_w, .hStdError = e_w,
                        .hStdInput = GetStdHandle(STD_INPUT_HANDLE) };
    PROCESS_INFORMATION pi;
    snprintf(cmd, sizeof cmd, "\"%s\" %s", exe, args);
    DWORD code = 255;
    *out = *err = NULL;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        ok(0, "CreateProcess(%s): error %lu\n", cmd, GetLastError());
        return code;
    }
    CloseHandle(o_w);
    CloseHandle(e_w);
    HANDLE from[2] = { o_r, e_r };
    char *bufs[2] = { NULL, NULL };
    for (int k = 0; k < 2; k++) {
        size_t len = 0, cap = 0;
        DWORD got;
        char chunk[4096];
        while (ReadFile(from[k], chunk, sizeof chunk, &got, NULL) && got) {
            if (len + got + 1 > cap) {
                cap = (len + got + 1) * 2;
                bufs[k] = realloc(bufs[k], cap);
            }
            memcpy(bufs[k] + len, chunk, got);
            len += got;
        }
        if (!bufs[k]) {
            bufs[k] = calloc(1, 1);
        } else {   /* text-mode "\r\n" as "\n" */
            size_t o = 0;
            for (size_t i = 0; i < len; i++)
                if (bufs[k][i] != '\r' || i + 1 == len || bufs[k][i + 1] != '\n')
                    bufs[k][o++] = bufs[k][i];
            bufs[k][o] = 0;
        }
        CloseHandle(from[k]);
    }
    WaitForSingleObject(pi.hProcess, 60000);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    *out = bufs[0];
    *err = bufs[1];
    return code;
}

static st_id folder(st_store *s, st_id parent, const char *name, const char *cls)
{
    st_bag *b = st_bag_new();
    st_id id = 0;
    st_bag_set_str(b, PR_DISPLAY_NAME_W, name);
    if (cls)
        st_bag_set_str(b, PR_CONTAINER_CLASS_W, cls);
    ok(st_folder_create(s, &id, parent, b, ST_FROM_SERVER) == 0, "folder %s: %s\n", name,
       st_error_last());
    st_bag_free(b);
    return id;
}

static void message(st_store *s, st_id fid, const char *subject, int read)
{
    st_bag *b = st_bag_new();
    st_id id = 0;
    st_bag_set_str(b, PR_SUBJECT_W, subject);
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    st_bag_set_str(b, PR_SENDER_NAME_W, "Ann Example");
    st_bag_set_long(b, PR_MESSAGE_FLAGS, read ? MSGFLAG_READ : 0);
    st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, UINT64_C(133000000000000000));
    ok(st_message_create(s, &id, fid, b, ST_FROM_SERVER) == 0, "message %s: %s\n", subject,
       st_error_last());
    st_bag_free(b);
}

int main(int argc, char **argv)
{
    char *dir = NULL, *out = NULL, *err = NULL, path[MAX_PATH + 32], args[3 * MAX_PATH];
    st_store *s = NULL;
    st_guid g;

    if (argc < 3)
        test_fatal("usage: test_dump PATH-TO-mapidav-dump.exe PATH-TO-mapidav32.dll\n");
    to_windows_path(exe, sizeof exe, argv[1]);
    to_windows_path(dll, sizeof dll, argv[2]);
    if (st_os_tempdir_create(&dir, "mapidav-dump-") != 0)
        test_fatal("temporary folder: %s\n", st_error_last());
    snprintf(path, sizeof path, "%s\\store.sqlite", dir);
    st_guid_new(&g, path);
    if (st_store_open(&s, path, &g, ST_OPEN_CREATE) != 0)
        test_fatal("store: %s\n", st_error_last());
    st_id root = folder(s, 0, "Root", NULL);
    st_id ipm = folder(s, root, "Top of Information Store", NULL);
    st_id inbox = folder(s, ipm, "Inbox", "IPF.Note");
    st_id projects = folder(s, ipm, "Projects", "IPF.Note");
    message(s, inbox, "Hello one", 1);
    message(s, inbox, "Hello two", 0);
    message(s, inbox, "Hello three", 0);
    message(s, projects, "Plan", 1);
    folder(s, projects, "\xc3\x84rger \xe2\x82\xac", NULL);   /* "Ärger €", UTF-8 out */
    /* The Inbox is IPM.Note's receive folder, as the first logon makes it
     * for an Inbox it creates (provider/defaults.c leaves an Inbox that is
     * there already, as here, without one). */
    ok(st_receive_folder_set(s, "", inbox) == 0, "receive folder: %s\n", st_error_last());
    st_store_close(s);

    /* The store, the tree, counts. */
    snprintf(args, sizeof args, "--dll \"%s\" \"%s\"", dll, path);
    DWORD code = run(args, &out, &err);
    ok(code == 0, "dump: exit %lu, %s\n", (unsigned long)code, err);
    printf("%s", out);   /* for the log */
    ok(strstr(out, "store ") && strstr(out, "store.sqlite"), "no store line:\n%s\n", out);
    ok(strstr(out, "\"PR_DISPLAY_NAME_W\": \"mapidav\"") && strstr(out, "\"PR_MDB_PROVIDER\"")
       && strstr(out, "\"PR_IPM_SUBTREE_ENTRYID\""), "store properties missing:\n%s\n", out);
    ok(strstr(out, "Inbox  (3 items, 2 unread)  IPF.Note") != NULL, "Inbox line:\n%s\n", out);
    ok(strstr(out, "Top of Information Store  (0 items") && strstr(out, "Deleted Items")
       && strstr(out, "Calendar  (0 items, 0 unread)  IPF.Appointment"),
       "default folders missing:\n%s\n", out);
    ok(strstr(out, "\n      Projects  (1 items, 0 unread)  IPF.Note\n")
       && strstr(out, "\n        Conflicts  (0 items") && !strstr(out, "no hierarchy tables"),
       "the tree (hierarchy table, depths) is not complete:\n%s\n", out);
    ok(strstr(out, "\n        \xc3\x84rger \xe2\x82\xac  (0 items, 0 unread)\n") != NULL,
       "a non-ASCII name is not UTF-8 at its depth:\n%s\n", out);
    free(out);
    free(err);

    /* --items: the list, or the refusal while there are no contents tables. */
    snprintf(args, sizeof args, "--dll \"%s\" --items inbox \"%s\"", dll, path);
    code = run(args, &out, &err);
    printf("%s", out);
    ok(code == 0 && strstr(out, "items of inbox:\n") && strstr(out, "Hello one")
       && strstr(out, "  unread  ") && strstr(out, "  read    ")
       && strstr(out, "Ann Example           Hello three") && strstr(out, "(3 items)")
       && !strstr(out, "Plan"), "--items: exit %lu\n%s\n%s\n", (unsigned long)code, out, err);
    free(out);
    free(err);
    snprintf(args, sizeof args, "--dll \"%s\" --items Nowhere \"%s\"", dll, path);
    code = run(args, &out, &err);
    ok(code == 1 && strstr(err, "no folder named \"Nowhere\""), "unknown folder: %lu %s\n",
       (unsigned long)code, err);
    free(out);
    free(err);

    /* A missing store is refused, not made; bad usage. */
    char missing[MAX_PATH + 32];
    snprintf(missing, sizeof missing, "%s\\missing.sqlite", dir);
    snprintf(args, sizeof args, "--dll \"%s\" \"%s\"", dll, missing);
    code = run(args, &out, &err);
    ok(code == 1 && strstr(err, "no such store file")
       && GetFileAttributesA(missing) == INVALID_FILE_ATTRIBUTES,
       "missing store: %lu %s\n", (unsigned long)code, err);
    free(out);
    free(err);
    code = run("--bogus", &out, &err);
    ok(code == 2 && strstr(err, "usage:"), "bad usage: %lu\n", (unsigned long)code);
    free(out);
    free(err);

    st_os_remove_tree(dir);
    free(dir);
    return test_done();
}
