/*
 * test_mapisvc.c: merging mapidav's entries into MAPISVC.INF text and
 * removing them (tools/mapisvc.h), on sample files written here (CRLF and
 * LF, comments, other services, our sections from an older install in the
 * middle of the file, duplicates, odd case, no [Services], no last line
 * end, binary junk). Checks: everything not ours kept byte for byte
 * (remove(merge(x)) == x), merge idempotent, our lines present once, the
 * file's line end used, the DLL name MAPI needs.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "storage/error.h"
#include "tools/mapisvc.h"

static const char sample_crlf[] =
    "; MAPISVC.INF for a test\r\n"
    "[Services]\r\n"
    "MSPST MS=Personal Folders File (.pst)\r\n"
    "CONTAB=Outlook Address Book\r\n"
    "\r\n"
    "[Help File Mappings]\r\n"
    "MAPI=MAPI.HLP ; trailing comment\r\n"
    "\r\n"
    "; the PST service\r\n"
    "[MSPST MS]\r\n"
    "Providers=MSPST MSP\r\n"
    "PR_SERVICE_DLL_NAME=mspst.dll\r\n"
    "\r\n"
    "[MSPST MSP]\r\n"
    "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\r\n";

static const char dll[] = "C:\\Program Files\\mapidav\\mapidav.dll";

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* merge, merge again (same bytes), remove (the original when want_back). */
static char *round_trip(const char *in, size_t len, int want_back, const char *what)
{
    char *m = NULL, *m2 = NULL, *r = NULL;
    size_t ml = 0, m2l = 0, rl = 0;

    ok(mapisvc_merge(&m, &ml, in, len, dll) == 0 && m, "%s: merge failed\n", what);
    if (!m)
        return NULL;
    ok(strlen(m) == ml || memchr(in, 0, len), "%s: length %zu vs %zu\n", what, strlen(m), ml);
    ok(mapisvc_is_registered(m, ml), "%s: not registered after merge\n", what);
    ok(mapisvc_merge(&m2, &m2l, m, ml, dll) == 0 && m2l == ml && memcmp(m, m2, ml) == 0,
       "%s: merging twice changed the file:\n%s\n---\n%s\n", what, m, m2 ? m2 : "");
    ok(mapisvc_remove(&r, &rl, m, ml) == 0, "%s: remove failed\n", what);
    if (want_back)
        ok(rl == len && memcmp(r, in, len) == 0, "%s: remove(merge(x)) != x:\n%s\n---\n%s\n",
           what, in, r);
    ok(!mapisvc_is_registered(r, rl), "%s: still registered after remove\n", what);
    free(m2);
    free(r);
    return m;
}

static void test_sample_crlf(void)
{
    char *m = round_trip(sample_crlf, strlen(sample_crlf), 1, "CRLF sample");
    if (!m)
        return;
    ok(count(m, "\n") == count(m, "\r\n"), "a new line without CR in a CRLF file:\n%s\n", m);
    /* Our [Services] entry right after the last entry of [Services]. */
    ok(strstr(m, "CONTAB=Outlook Address Book\r\nmapidav=") != NULL,
       "[Services] line not after the last entry:\n%s\n", m);
    ok(strstr(m, "\r\n[mapidav]\r\n") && strstr(m, "\r\n[mapidav_store]\r\n"),
       "sections missing:\n%s\n", m);
    ok(count(m, "PR_SERVICE_DLL_NAME=C:\\Program Files\\mapidav\\mapidav.dll\r\n") == 1
       && count(m, "PR_PROVIDER_DLL_NAME=C:\\Program Files\\mapidav\\mapidav.dll\r\n") == 1,
       "DLL path not written once:\n%s\n", m);
    ok(strstr(m, "PR_SERVICE_ENTRY_NAME=MSGServiceEntry\r\n")
       && strstr(m, "Providers=mapidav_store\r\n")
       && strstr(m, "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\r\nPR_PROVIDER_DLL_NAME=C:")
       && strstr(m, "34140102=6970616d61640076800073746f726521\r\n"),
       "service or provider section incomplete:\n%s\n", m);
    /* The original text is there unchanged, up to our [Services] line. */
    const char *ours = strstr(m, "mapidav=");
    size_t head = (size_t)(strstr(sample_crlf, "\r\n\r\n[Help") + 2 - sample_crlf);
    ok(ours && (size_t)(ours - m) == head && memcmp(m, sample_crlf, head) == 0,
       "the head of the file changed\n");
    free(m);
}

static void test_sample_lf(void)
{
    static const char lf[] = "[Services]\nA=B\n\n[A]\nx=1\n";
    char *m = round_trip(lf, strlen(lf), 1, "LF sample");
    if (m)
        ok(!strchr(m, '\r'), "a CR in an LF file:\n%s\n", m);
    free(m);
}

/* Sections of an older install in the middle, odd case, a duplicate, a
 * comment above the next section: replaced in place, the comment kept. */
static void test_update_in_place(void)
{
    static const char old[] =
        "[Services]\r\n"
        "MapiDav=old text\r\n"
        "X=Y\r\n"
        "\r\n"
        "[MAPIDAV]\r\n"
        "PR_SERVICE_DLL_NAME=D:\\old\\mapidav.dll\r\n"
        "Stale=1\r\n"
        "\r\n"
        "; X's section\r\n"
        "[X]\r\n"
        "k=v\r\n"
        "\r\n"
        "[mapidav_store]\r\n"
        "PR_PROVIDER_DLL_NAME=D:\\old\\mapidav.dll\r\n"
        "\r\n"
        "[mapidav]\r\n"
        "duplicate=1\r\n"
        "[Services]\r\n"
        "mapidav=second services section\r\n";
    char *m = NULL;
    size_t ml = 0;
    ok(mapisvc_merge(&m, &ml, old, strlen(old), dll) == 0 && m, "merge over an old install\n");
    if (!m)
        return;
    ok(!strstr(m, "D:\\old") && !strstr(m, "Stale") && !strstr(m, "duplicate")
       && !strstr(m, "old text") && !strstr(m, "second services"),
       "old entries left:\n%s\n", m);
    ok(count(m, "[mapidav]") + count(m, "[MAPIDAV]") == 1 && count(m, "[mapidav_store]") == 1
       && count(m, "\nmapidav=") == 1, "our entries not exactly once:\n%s\n", m);
    ok(strncmp(m, "[Services]\r\nmapidav=", 20) == 0, "[Services] entry not in place:\n%s\n", m);
    ok(strstr(m, "\r\n\r\n; X's section\r\n[X]\r\nk=v\r\n") != NULL,
       "the comment above [X] or [X] itself changed:\n%s\n", m);
    ok(strstr(m, "MSGServiceEntry\r\nPR_RESOURCE_FLAGS=SERVICE_NO_PRIMARY_IDENTITY\r\n\r\n; X's")
       != NULL, "[mapidav] not replaced where it was:\n%s\n", m);
    ok(strstr(m, "X=Y\r\n") != NULL && count(m, "[Services]") == 2,
       "other lines of [Services] lost:\n%s\n", m);
    char *m2 = NULL;
    size_t m2l = 0;
    ok(mapisvc_merge(&m2, &m2l, m, ml, dll) == 0 && m2l == ml && !memcmp(m, m2, ml),
       "second merge changed an updated file\n");
    free(m2);
    free(m);
}

static void test_edges(void)
{
    /* No [Services]: one is added; an empty file; no last line end. */
    static const char none[] = "[Other]\r\na=b\r\n";
    char *m = round_trip(none, strlen(none), 0, "no [Services]");
    ok(m && strstr(m, "[Other]\r\na=b\r\n\r\n[Services]\r\nmapidav=") == m,
       "[Services] not appended:\n%s\n", m ? m : "");
    free(m);
    m = round_trip("", 0, 0, "empty file");
    ok(m && strncmp(m, "[Services]\r\nmapidav=", 20) == 0, "empty file: %s\n", m ? m : "");
    free(m);
    static const char noeol[] = "[Services]\nA=B";
    m = round_trip(noeol, strlen(noeol), 0, "no last line end");
    ok(m && strncmp(m, "[Services]\nA=B\nmapidav=", 23) == 0, "no last line end: %s\n",
       m ? m : "");
    free(m);

    /* Junk: NULs, a lone CR, an unclosed header, very long lines. */
    size_t n = 70000;
    char *junk = malloc(n);
    for (size_t i = 0; i < n; i++)
        junk[i] = (char)((i * 7919u) % 251u);
    memcpy(junk + 100, "\n[mapidav\n[Services\r\r\n", 22);
    memcpy(junk + 300, "\n[Services]\n", 12);   /* else a [Services] stays */
    junk[n - 1] = '\n';   /* the round trip holds for a file ending a line */
    m = round_trip(junk, n, 1, "junk");
    free(m);
    free(junk);
}

static void test_dll_name(void)
{
    char *s = NULL;
    ok(mapisvc_dll_name(&s, "C:\\Program Files\\mapidav\\mapidav32.dll") == 0
       && s && !strcmp(s, "C:\\Program Files\\mapidav\\mapidav.dll"), "dll name: %s\n",
       s ? s : st_error_last());
    free(s);
    s = NULL;
    ok(mapisvc_dll_name(&s, "mapidav32.dll") == 0 && s && !strcmp(s, "mapidav.dll"),
       "bare dll name: %s\n", s ? s : st_error_last());
    free(s);
    static const char *const bad[] = {
        "C:\\Program Files (x86)\\v1.2\\mapidav32.dll",   /* a second dot */
        "C:\\mapidav\\mapidav.dll",                       /* no 32 */
        "C:\\mapidav\\mapidav32",                         /* no extension */
        "C:\\Benutzer\\J\xc3\xb6rg\\mapidav32.dll",        /* not ASCII */
        "C:\\a;b\\mapidav32.dll",
        "C:\\a\r\nb\\mapidav32.dll",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = (char *)1;
        ok(mapisvc_dll_name(&s, bad[i]) == -1 && s == NULL && st_error_last()[0],
           "dll name %zu accepted\n", i);
    }
    ok(strstr(st_error_last(), "ASCII") != NULL, "message: %s\n", st_error_last());
}

int main(void)
{
    test_sample_crlf();
    test_sample_lf();
    test_update_in_place();
    test_edges();
    test_dll_name();
    return test_done();
}
