/*
 * test_log.c: channels, levels, debug.log rotation, thread safety and the
 * redaction of secrets (storage/log.h).
 *
 * Works in a temporary folder it creates and removes. The redaction test is
 * the one that matters most: every secret logged below must be absent from
 * the file, while the text around it stays.
 */
#include <stdatomic.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/error.h"
#include "storage/log.h"
#include "storage/os.h"
#include "testutil.h"

static char *tmp; /* the test's temporary folder */

static char *path_in(const char *rel)
{
    size_t n = strlen(tmp) + strlen(rel) + 2;
    char *p = malloc(n);
    if (!p)
        test_fatal("out of memory\n");
    snprintf(p, n, "%s/%s", tmp, rel);
    return p;
}

/* path itself for i == 0, else path.i */
static char *numbered(const char *path, int i)
{
    size_t n = strlen(path) + 16;
    char *p = malloc(n);
    if (!p)
        test_fatal("out of memory\n");
    if (i)
        snprintf(p, n, "%s.%d", path, i);
    else
        snprintf(p, n, "%s", path);
    return p;
}

static char *slurp(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    if (st_os_read_file(&data, &len, path) != ST_OK)
        return NULL;
    return data;
}

static int exists(const char *path)
{
    uint64_t size;
    return st_os_path_size(&size, path) == ST_OK;
}

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

/* Checks "2024-05-01T12:34:56.789Z [1234] level channel: " at l and returns
 * where the message starts, or NULL. */
static const char *message_of(const char *l)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ [";
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !isdig(l[i]) : l[i] != shape[i])
            return NULL;
    const char *p = l + sizeof shape - 1;
    if (!isdig(*p))
        return NULL;
    while (isdig(*p))
        p++;
    if (strncmp(p, "] ", 2) != 0)
        return NULL;
    p += 2;
    static const char *const levels[] = { "error ", "warn ", "info ", "trace " };
    int lv = -1;
    for (int i = 0; i < 4; i++)
        if (!strncmp(p, levels[i], strlen(levels[i])))
            lv = i;
    if (lv < 0)
        return NULL;
    p += strlen(levels[lv]);
    int ch = -1;
    for (int c = 0; c < ST_LOG_NCHANNELS; c++) {
        const char *name = st_log_channel_name((st_log_channel)c);
        if (!strncmp(p, name, strlen(name)) && !strncmp(p + strlen(name), ": ", 2))
            ch = c;
    }
    if (ch < 0)
        return NULL;
    return p + strlen(st_log_channel_name((st_log_channel)ch)) + 2;
}

/* ---- Before any configuration ------------------------------------------ */

static void test_defaults(void)
{
    for (int c = 0; c < ST_LOG_NCHANNELS; c++) {
        st_log_level want = c < ST_LOG_HTTP ? ST_LOG_LEVEL_WARN : ST_LOG_LEVEL_OFF;
        ok(st_log_get_level((st_log_channel)c) == want, "default of %s is %s\n",
            st_log_channel_name((st_log_channel)c),
            st_log_level_name(st_log_get_level((st_log_channel)c)));
    }
    ok(st_log_enabled(ST_LOG_DAVSYNC, ST_LOG_LEVEL_WARN), "warn on by default\n");
    ok(!st_log_enabled(ST_LOG_DAVSYNC, ST_LOG_LEVEL_INFO), "info off by default\n");
    ok(!st_log_enabled(ST_LOG_HTTP, ST_LOG_LEVEL_TRACE), "http off by default\n");
    ok(!st_log_enabled(ST_LOG_NCHANNELS, ST_LOG_LEVEL_ERROR), "bad channel\n");
    ok(!st_log_enabled(ST_LOG_STORAGE, ST_LOG_LEVEL_OFF), "level off is never enabled\n");

    /* No output yet: harmless. */
    ST_LOG_ERROR(ST_LOG_STORAGE, "before any configuration %d", 1);
    st_log(ST_LOG_NCHANNELS, ST_LOG_LEVEL_ERROR, "bad channel");
    st_log(ST_LOG_STORAGE, (st_log_level)42, "bad level");
    st_log(ST_LOG_STORAGE, (st_log_level)-1, "bad level");
    ok(strcmp(st_log_channel_name(ST_LOG_NCHANNELS), "?") == 0, "bad channel name\n");
}

/* ---- Specs -------------------------------------------------------------- */

static void test_spec(void)
{
    ok(st_log_configure("davsync=trace,*=info") == ST_OK, "spec: %s\n", st_error_last());
    ok(st_log_get_level(ST_LOG_DAVSYNC) == ST_LOG_LEVEL_TRACE, "davsync trace\n");
    ok(st_log_get_level(ST_LOG_STORAGE) == ST_LOG_LEVEL_INFO, "storage info\n");
    ok(st_log_get_level(ST_LOG_TOOLS) == ST_LOG_LEVEL_INFO, "tools info\n");
    ok(st_log_get_level(ST_LOG_HTTP) == ST_LOG_LEVEL_OFF, "* leaves http off\n");

    /* A named channel wins over "*" in either order. */
    ok(st_log_configure("*=error, davsync=info") == ST_OK, "spec 2\n");
    ok(st_log_get_level(ST_LOG_DAVSYNC) == ST_LOG_LEVEL_INFO
        && st_log_get_level(ST_LOG_CONVERT) == ST_LOG_LEVEL_ERROR, "order does not matter\n");

    /* Unnamed channels go back to the default. */
    ok(st_log_configure("http=trace,sql=TRACE, Mapi = trace ") == ST_OK, "audit: %s\n",
        st_error_last());
    ok(st_log_get_level(ST_LOG_HTTP) == ST_LOG_LEVEL_TRACE
        && st_log_get_level(ST_LOG_SQL) == ST_LOG_LEVEL_TRACE
        && st_log_get_level(ST_LOG_MAPI) == ST_LOG_LEVEL_TRACE, "audit channels on\n");
    ok(st_log_get_level(ST_LOG_DAVSYNC) == ST_LOG_LEVEL_WARN, "davsync back to warn\n");

    ok(st_log_configure("trace") == ST_OK && st_log_get_level(ST_LOG_PROVIDER) == ST_LOG_LEVEL_TRACE
        && st_log_get_level(ST_LOG_SQL) == ST_LOG_LEVEL_OFF, "bare level means *\n");
    ok(st_log_configure("*=off,,tray=error,") == ST_OK
        && st_log_get_level(ST_LOG_STORAGE) == ST_LOG_LEVEL_OFF
        && st_log_get_level(ST_LOG_TRAY) == ST_LOG_LEVEL_ERROR, "off and empty items\n");
    ok(st_log_configure("") == ST_OK && st_log_get_level(ST_LOG_STORAGE) == ST_LOG_LEVEL_WARN,
        "empty spec: defaults\n");
    ok(st_log_configure(NULL) == ST_OK, "NULL spec\n");

    static const struct {
        const char *spec;
        const char *in_error[2]; /* what the message must name */
    } bad[] = {
        { "foo=trace", { "unknown channel", "'foo'" } },
        { "davsync=trace,bogus=info", { "unknown channel", "'bogus'" } },
        { "davsync=loud", { "unknown level", "'loud'" } },
        { "davsync=", { "unknown level", "'davsync'" } },
        { "verbose", { "unknown level", "'verbose'" } },
        { "davsync", { "needs a level", "'davsync'" } },
        { "=trace", { "missing channel", "=trace" } },
        { "http=trace=x", { "unknown level", "'trace=x'" } },
    };
    ok(st_log_configure("storage=info") == ST_OK, "known state\n");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        st_error_clear();
        int rc = st_log_configure(bad[i].spec);
        const char *e = st_error_last();
        ok(rc == ST_ERROR, "'%s' accepted\n", bad[i].spec);
        ok(strstr(e, bad[i].in_error[0]) && strstr(e, bad[i].in_error[1]),
            "'%s': unclear error '%s'\n", bad[i].spec, e);
        ok(st_log_get_level(ST_LOG_STORAGE) == ST_LOG_LEVEL_INFO
            && st_log_get_level(ST_LOG_DAVSYNC) == ST_LOG_LEVEL_WARN,
            "'%s' changed the levels\n", bad[i].spec);
    }

    /* The environment variable. */
    ok(st_os_setenv("MAPIDAV_LOG", "sql=trace,convert=info") == ST_OK, "setenv\n");
    ok(st_log_configure_from_env() == ST_OK, "from env: %s\n", st_error_last());
    ok(st_log_get_level(ST_LOG_SQL) == ST_LOG_LEVEL_TRACE
        && st_log_get_level(ST_LOG_CONVERT) == ST_LOG_LEVEL_INFO, "env applied\n");
    st_os_setenv("MAPIDAV_LOG", "convert=chatty");
    ok(st_log_configure_from_env() == ST_ERROR && strstr(st_error_last(), "MAPIDAV_LOG")
        && strstr(st_error_last(), "'chatty'"), "bad env: '%s'\n", st_error_last());
    ok(st_log_get_level(ST_LOG_CONVERT) == ST_LOG_LEVEL_INFO, "bad env changed nothing\n");
    st_os_setenv("MAPIDAV_LOG", NULL);
    ok(st_log_configure_from_env() == ST_OK && st_log_get_level(ST_LOG_CONVERT)
        == ST_LOG_LEVEL_INFO, "unset env changes nothing\n");

    st_log_set_level(ST_LOG_TRAY, ST_LOG_LEVEL_INFO);
    ok(st_log_get_level(ST_LOG_TRAY) == ST_LOG_LEVEL_INFO, "set_level\n");
    st_log_configure(NULL);
}

/* ---- Filtering and line format ------------------------------------------ */

static void test_filter(void)
{
    char *path = path_in("filter/deeper/debug.log");
    ok(st_log_open_file(path, 0, 3) == ST_OK, "open (creating folders): %s\n", st_error_last());
    ok(st_log_configure("davsync=trace,*=error") == ST_OK, "configure\n");

    ST_LOG_TRACE(ST_LOG_DAVSYNC, "M1 davsync trace %d", 1);
    ST_LOG_WARN(ST_LOG_STORAGE, "M2 storage warn");
    ST_LOG_ERROR(ST_LOG_STORAGE, "M3 storage error %s", "x");
    ST_LOG_TRACE(ST_LOG_HTTP, "M4 http trace");
    ST_LOG_INFO(ST_LOG_PROVIDER, "M5 provider info");
    st_log_configure("http=trace");
    ST_LOG_TRACE(ST_LOG_HTTP, "M6 http trace");
    ST_LOG_TRACE(ST_LOG_DAVSYNC, "M7 davsync trace, now warn");
    ST_LOG_WARN(ST_LOG_DAVSYNC, "M8 davsync warn");

    /* The macros skip formatting when off: the argument is not evaluated. */
    int evaluated = 0;
    ST_LOG_TRACE(ST_LOG_SQL, "M9 %d", ++evaluated);
    ok(evaluated == 0, "arguments of a disabled line were evaluated\n");

    /* st_log keeps the caller's error message and errno. */
    st_error_set("the caller's error");
    errno = ERANGE;
    ST_LOG_WARN(ST_LOG_DAVSYNC, "M10 %s", "keeps state");
    ok(errno == ERANGE, "errno changed to %d\n", errno);
    ok(strcmp(st_error_last(), "the caller's error") == 0, "error changed: '%s'\n",
        st_error_last());

    /* Several lines, control characters, long messages. */
    ST_LOG_WARN(ST_LOG_DAVSYNC, "M11 first\nM11 second\r\n");
    ST_LOG_WARN(ST_LOG_DAVSYNC, "M12 bell\a tab\t del\x7f");
    static char longmsg[5001], huge[40001];
    memset(longmsg, 'L', sizeof longmsg - 1);
    memset(huge, 'H', sizeof huge - 1);
    ST_LOG_WARN(ST_LOG_DAVSYNC, "M13 %s end", longmsg);
    ST_LOG_WARN(ST_LOG_DAVSYNC, "M14 %s", huge);
    ST_LOG_WARN(ST_LOG_DAVSYNC, "%s", "");
    st_log_close();
    ST_LOG_WARN(ST_LOG_DAVSYNC, "M15 after close");

    char *text = slurp(path);
    ok(text != NULL, "read %s\n", path);
    if (!text)
        text = calloc(1, 1);
    ok(strstr(text, "M1 davsync trace 1\n") != NULL, "M1\n");
    ok(!strstr(text, "M2"), "M2 filtered\n");
    ok(strstr(text, "M3 storage error x\n") != NULL, "M3\n");
    ok(!strstr(text, "M4"), "M4 filtered (http off)\n");
    ok(!strstr(text, "M5"), "M5 filtered\n");
    ok(strstr(text, " trace http: M6 http trace\n") != NULL, "M6\n");
    ok(!strstr(text, "M7"), "M7 filtered\n");
    ok(strstr(text, " warn davsync: M8 davsync warn\n") != NULL, "M8\n");
    ok(!strstr(text, "M9"), "M9 filtered\n");
    ok(strstr(text, "M10 keeps state\n") != NULL, "M10\n");
    ok(strstr(text, ": M11 first\n") && strstr(text, "davsync: M11 second\n"),
        "a two-line message is two prefixed lines\n");
    ok(strstr(text, "M12 bell\\x07 tab\t del\\x7F\n") != NULL, "control characters escaped\n");
    ok(strstr(text, longmsg) && strstr(text, "L end\n"), "a 5000-byte message whole\n");
    ok(strstr(text, "bytes cut]\n") != NULL && !strstr(text, huge), "a 40000-byte line is cut\n");
    ok(!strstr(text, "M15"), "nothing after close\n");

    /* Every line has the prefix; the date is today's (UTC). */
    int lines = 0, bad = 0;
    char today[16];
    time_t now = time(NULL);
    strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
    for (char *l = text; *l; lines++) {
        char *nl = strchr(l, '\n');
        if (!nl) {
            bad++;
            break;
        }
        if (!message_of(l) || strncmp(l, today, 10) != 0) {
            bad++;
            fprintf(stderr, "bad line: %.80s\n", l);
        }
        l = nl + 1;
    }
    ok(lines == 11 && bad == 0, "%d lines, %d bad\n", lines, bad);
    free(text);
    free(path);
    st_log_configure(NULL);
}

/* ---- Rotation ------------------------------------------------------------ */

/* The number after "rotation line " on the first / last line of a file. */
static int line_number(const char *text, int last)
{
    const char *p = last ? NULL : strstr(text, "rotation line ");
    if (last)
        for (const char *q = text; (q = strstr(q, "rotation line ")) != NULL; q++)
            p = q;
    return p ? atoi(p + strlen("rotation line ")) : -1;
}

static void test_rotation(void)
{
    char *path = path_in("rot/debug.log");
    ok(st_log_open_file(path, 2000, 3) == ST_OK, "open: %s\n", st_error_last());
    for (int i = 0; i < 300; i++)
        ST_LOG_WARN(ST_LOG_STORAGE, "rotation line %04d %s", i,
            "................................................................");
    st_log_close();

    char *names[5];
    for (int i = 0; i < 5; i++)
        names[i] = numbered(path, i);
    for (int i = 0; i <= 3; i++) {
        uint64_t size = 0;
        ok(st_os_path_size(&size, names[i]) == ST_OK, "%s missing\n", names[i]);
        ok(size > 0 && size <= 2000, "%s: %llu bytes\n", names[i], (unsigned long long)size);
    }
    ok(!exists(names[4]), "only 3 old files are kept\n");

    /* The files hold consecutive lines, newest in debug.log. */
    int prev_first = -1;
    for (int i = 0; i <= 3; i++) {
        char *t = slurp(names[i]);
        if (!t)
            continue;
        int first = line_number(t, 0), last = line_number(t, 1);
        if (i == 0)
            ok(last == 299, "the last line is in debug.log (got %d)\n", last);
        else
            ok(last + 1 == prev_first, "%s ends at %d, next starts at %d\n", names[i], last,
                prev_first);
        ok(t[strlen(t) - 1] == '\n', "%s ends with a whole line\n", names[i]);
        prev_first = first;
        free(t);
    }

    /* Reopening appends and counts what is there. */
    uint64_t after = 0;
    ok(st_log_open_file(path, 2000, 3) == ST_OK, "reopen\n");
    ST_LOG_WARN(ST_LOG_STORAGE, "rotation line 0300 appended");
    st_log_close();
    st_os_path_size(&after, path);
    char *t = slurp(path);
    ok(t && line_number(t, 1) == 300, "reopen appends\n");
    ok(after <= 2000, "size after reopen %llu\n", (unsigned long long)after);
    free(t);
    for (int i = 0; i < 5; i++)
        free(names[i]);
    free(path);

    /* keep_files 0: the file starts over, no old file. */
    path = path_in("rot0/debug.log");
    ok(st_log_open_file(path, 500, 0) == ST_OK, "open keep 0\n");
    for (int i = 0; i < 50; i++)
        ST_LOG_WARN(ST_LOG_STORAGE, "rotation line %04d keep none", i);
    st_log_close();
    char *one = numbered(path, 1);
    uint64_t size = 0;
    ok(st_os_path_size(&size, path) == ST_OK && size <= 500, "keep 0: %llu bytes\n",
        (unsigned long long)size);
    ok(!exists(one), "keep 0: no .1\n");
    t = slurp(path);
    ok(t && line_number(t, 1) == 49, "keep 0: newest lines kept\n");
    free(t);
    free(one);
    free(path);

    ok(st_log_open_file("", 0, 1) == ST_ERROR && strstr(st_error_last(), "empty"),
        "empty path: '%s'\n", st_error_last());
    ok(st_log_open_file("x.log", 0, -1) == ST_ERROR && strstr(st_error_last(), "keep_files"),
        "keep -1: '%s'\n", st_error_last());
    ok(st_log_open_file("x.log", 0, 101) == ST_ERROR && strstr(st_error_last(), "101"),
        "keep 101: '%s'\n", st_error_last());
    path = path_in("rot/debug.log.1/cannot");
    ok(st_log_open_file(path, 0, 1) == ST_ERROR && strstr(st_error_last(), "debug.log.1"),
        "folder over a file: '%s'\n", st_error_last());
    free(path);
}

/* ---- Threads ------------------------------------------------------------- */

#define NTHREADS 4
#define NLINES 500

static void log_worker(void *arg)
{
    int id = *(int *)arg;
    char payload[128];
    for (int i = 0; i < NLINES; i++) {
        int n = 20 + (i * 7 + id) % 90;
        memset(payload, 'a' + (i + id) % 26, (size_t)n);
        payload[n] = '\0';
        ST_LOG_INFO(ST_LOG_DAVSYNC, "worker %d line %d len %d %s", id, i, n, payload);
    }
}

/* Checks one "worker W line N len L <L letters>" line; records (W, N). */
static int check_worker_line(const char *l, size_t n, unsigned char seen[NTHREADS][NLINES])
{
    char line[512];
    if (n >= sizeof line)
        return 0;
    memcpy(line, l, n);
    line[n] = '\0';
    const char *m = message_of(line);
    int w, i, len, off = 0;
    if (!m || sscanf(m, "worker %d line %d len %d %n", &w, &i, &len, &off) != 3)
        return 0;
    if (w < 0 || w >= NTHREADS || i < 0 || i >= NLINES || off <= 0)
        return 0;
    const char *p = m + off;
    if ((int)strlen(p) != len || len != 20 + (i * 7 + w) % 90)
        return 0;
    for (int k = 0; k < len; k++)
        if (p[k] != 'a' + (i + w) % 26)
            return 0;
    seen[w][i]++;
    return 1;
}

static void test_threads(void)
{
    char *path = path_in("threads/debug.log");
    ok(st_log_open_file(path, 16384, 100) == ST_OK, "open: %s\n", st_error_last());
    st_log_configure("davsync=info");
    st_thread *t[NTHREADS];
    int ids[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        ids[i] = i;
        ok(st_thread_start(&t[i], log_worker, &ids[i]) == ST_OK, "start\n");
    }
    for (int i = 0; i < NTHREADS; i++)
        st_thread_join(t[i]);
    st_log_close();

    static unsigned char seen[NTHREADS][NLINES];
    int good = 0, bad = 0, files = 0;
    for (int f = 0; f <= 100; f++) {
        char *name = numbered(path, f);
        char *text = slurp(name);
        free(name);
        if (!text)
            continue;
        files++;
        ok(*text && text[strlen(text) - 1] == '\n', "file %d ends with a whole line\n", f);
        for (char *l = text; *l;) {
            char *nl = strchr(l, '\n');
            size_t n = nl ? (size_t)(nl - l) : strlen(l);
            if (check_worker_line(l, n, seen))
                good++;
            else if (bad++ < 5)
                fprintf(stderr, "torn or bad line: %.100s\n", l);
            l += n + (nl ? 1 : 0);
        }
        free(text);
    }
    int missing = 0;
    for (int w = 0; w < NTHREADS; w++)
        for (int i = 0; i < NLINES; i++)
            missing += seen[w][i] != 1;
    ok(bad == 0 && good == NTHREADS * NLINES && missing == 0,
        "%d good lines, %d bad, %d missing or doubled, in %d files\n", good, bad, missing, files);
    ok(files > 5, "rotated while threads wrote (%d files)\n", files);
    free(path);
    st_log_configure(NULL);
}

/* ---- Redaction ----------------------------------------------------------- */

static void b64(char *out, const char *in, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0)
            | (i + 2 < n ? s[i + 2] : 0);
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? a[v & 63] : '=';
    }
    out[o] = '\0';
}

static const struct {
    const char *line;       /* logged on channel http at trace */
    const char *secret[2];  /* must not be in the file */
    const char *kept;       /* must be in the file */
} redact_cases[] = {
    { "> Authorization: Basic dXNlcjpodW50ZXIy", { "dXNlcjpodW50ZXIy", NULL },
      "> Authorization: [redacted]\n" },
    { "> Proxy-Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.PROXYTOKEN",
      { "PROXYTOKEN", "eyJhbGci" }, "> Proxy-Authorization: [redacted]\n" },
    { "authorization:Digest username=\"bob\", response=\"DIGESTRESP\"", { "DIGESTRESP", NULL },
      "authorization:[redacted]\n" },
    { "> Cookie: session=COOKIEVAL1; theme=dark", { "COOKIEVAL1", "theme" },
      "> Cookie: [redacted]\n" },
    { "< Set-Cookie: sid=COOKIEVAL2; Path=/; HttpOnly", { "COOKIEVAL2", "HttpOnly" },
      "< Set-Cookie: [redacted]\n" },
    { "GET /login?user=bob&password=QUERYPW1&lang=en HTTP/1.1", { "QUERYPW1", NULL },
      "GET /login?user=bob&password=[redacted]&lang=en HTTP/1.1\n" },
    { "form passwd=PWD2SECRET next", { "PWD2SECRET", NULL }, "form passwd=[redacted] next\n" },
    { "pass=PASS3SECRET", { "PASS3SECRET", NULL }, ": pass=[redacted]\n" },
    { "token=TOKEN4SECRET&x=1", { "TOKEN4SECRET", NULL }, ": token=[redacted]&x=1\n" },
    { "POST /oauth?access_token=ACCESS5SECRET", { "ACCESS5SECRET", NULL },
      "?access_token=[redacted]\n" },
    { "refresh_token=REFRESH6SECRET; more", { "REFRESH6SECRET", NULL },
      "refresh_token=[redacted] more\n" },
    { "config secret=SECRET7VALUE done", { "SECRET7VALUE", NULL },
      "config secret=[redacted] done\n" },
    { "PassWord = MIXED8SECRET (case)", { "MIXED8SECRET", NULL },
      "PassWord = [redacted] (case)\n" },
    { "{\"user\":\"bob\",\"password\":\"JSON9 \\\"QUOTED9\\\"\",\"x\":1}",
      { "JSON9", "QUOTED9" }, "{\"user\":\"bob\",\"password\":\"[redacted]\",\"x\":1}\n" },
    { "client_secret=CLIENT10SECRET&TOKEN=UPPER10", { "CLIENT10SECRET", "UPPER10" },
      "client_secret=[redacted]&TOKEN=[redacted]\n" },
    { "url https://bob:URLPW11@dav.example.com/cal/ ok", { "URLPW11", NULL },
      "url https://bob:[redacted]@dav.example.com/cal/ ok\n" },
    { "PUT http://alice:p%40ss12URL@host:8080/x", { "p%40ss12URL", "ss12URL" },
      "PUT http://alice:[redacted]@host:8080/x\n" },
    /* SMTP, "C:"/"S:" style */
    { "C: EHLO client.example", { NULL, NULL }, "C: EHLO client.example\n" },
    { "S: 250-AUTH PLAIN LOGIN", { NULL, NULL }, "S: 250-AUTH PLAIN LOGIN\n" },
    { "C: AUTH PLAIN AGJvYgBTTVRQUExBSU4xMw==", { "AGJvYgBTTVRQUExBSU4xMw==", NULL },
      "C: AUTH PLAIN [redacted]\n" },
    { "S: 235 2.7.0 Authentication successful", { NULL, NULL }, "S: 235 2.7.0 Auth" },
    { "C: AUTH LOGIN", { NULL, NULL }, "C: AUTH LOGIN\n" },
    { "S: 334 VXNlcm5hbWU6", { NULL, NULL }, "S: 334 VXNlcm5hbWU6\n" },
    { "C: Ym9iQGV4YW1wbGUuY29t", { "Ym9iQGV4YW1wbGUuY29t", NULL }, "C: [redacted]\n" },
    { "S: 334 UGFzc3dvcmQ6", { NULL, NULL }, "S: 334 UGFzc3dvcmQ6\n" },
    { "C: U01UUExPR0lOMTQ=", { "U01UUExPR0lOMTQ=", NULL }, NULL },
    { "S: 235 2.7.0 Authentication successful", { NULL, NULL }, NULL },
    { "C: MAIL FROM:<bob@example.com>", { NULL, NULL }, "C: MAIL FROM:<bob@example.com>\n" },
    { "C: DATA", { NULL, NULL }, "C: DATA\n" },
    { "auth failed for bob at https://mail.example.com/", { NULL, NULL },
      "auth failed for bob at https://mail.example.com/\n" },
    /* SMTP, curl's "> "/"< " style, a multi-line message */
    { "> AUTH LOGIN Ym9i\n< 334 UGFzc3dvcmQ6\n> c2VjcmV0MTU=\n< 535 5.7.8 failed\n> QUIT",
      { "c2VjcmV0MTU=", NULL }, "> AUTH LOGIN [redacted]\n" },
    /* an HTTP request as one multi-line message */
    { "PUT /x HTTP/1.1\r\nHost: h.example\r\nAuthorization: Basic TUxTRUNSRVQxNw==\r\n\r\n",
      { "TUxTRUNSRVQxNw==", NULL }, "http: Host: h.example\n" },
    /* not secrets: must stay as they are */
    { "sync-token=http://example.com/ns/sync/42 bypass=1 passenger=x", { NULL, NULL },
      "sync-token=http://example.com/ns/sync/42 bypass=1 passenger=x\n" },
    { "PROPFIND https://dav.example.com:8443/calendars/bob@example.com/", { NULL, NULL },
      "PROPFIND https://dav.example.com:8443/calendars/bob@example.com/\n" },
    { "< WWW-Authenticate: Basic realm=\"Kerio\"", { NULL, NULL },
      "< WWW-Authenticate: Basic realm=\"Kerio\"\n" },
};

#define ACCOUNT_PW "Hunter2-Reg!16"

static void test_redaction(void)
{
    char *path = path_in("redact/debug.log");
    ok(st_log_open_file(path, 0, 1) == ST_OK, "open: %s\n", st_error_last());
    ok(st_log_configure("*=trace,http=trace") == ST_OK, "configure\n");
    ok(st_log_add_secret(ACCOUNT_PW) == ST_OK, "add secret: %s\n", st_error_last());
    ok(st_log_add_secret(ACCOUNT_PW) == ST_OK, "adding it twice is fine\n");
    ok(st_log_add_secret("") == ST_ERROR, "empty secret refused\n");

    for (size_t i = 0; i < sizeof redact_cases / sizeof redact_cases[0]; i++)
        ST_LOG_TRACE(ST_LOG_HTTP, "%s", redact_cases[i].line);

    /* The account password, in plain text and inside base64 at each of the
     * three byte alignments (Basic credentials "user:password"). */
    ST_LOG_ERROR(ST_LOG_DAVSYNC, "login failed for bob with " ACCOUNT_PW " in text");
    static const char *const users[] = { "a:", "bob:", "ab:", "alice:", "carol:" };
    char enc[5][128];
    for (int i = 0; i < 5; i++) {
        char cred[64];
        snprintf(cred, sizeof cred, "%s%s", users[i], ACCOUNT_PW);
        b64(enc[i], cred, strlen(cred));
        ST_LOG_INFO(ST_LOG_DAVSYNC, "blob %s end", enc[i]);
        ST_LOG_INFO(ST_LOG_DAVSYNC, "glued%send", enc[i]);
    }
    /* A short account password is still masked (at the cost of noise). */
    st_log_add_secret("Q7z");
    ST_LOG_INFO(ST_LOG_DAVSYNC, "short Q7z pw");
    st_log_close();

    char *text = slurp(path);
    ok(text != NULL, "read %s\n", path);
    if (!text)
        text = calloc(1, 1);
    for (size_t i = 0; i < sizeof redact_cases / sizeof redact_cases[0]; i++) {
        for (int k = 0; k < 2; k++) {
            const char *s = redact_cases[i].secret[k];
            ok(!s || !strstr(text, s), "case %d: secret '%s' written\n", (int)i, s);
        }
        const char *kept = redact_cases[i].kept;
        ok(!kept || strstr(text, kept), "case %d: '%s' not in the file\n", (int)i, kept);
    }
    ok(strstr(text, "> c2VjcmV0MTU=") == NULL && strstr(text, "> [redacted]\n")
        && strstr(text, "< 535 5.7.8 failed\n") && strstr(text, "> QUIT\n"),
        "curl-style SMTP exchange\n");
    ok(!strstr(text, ACCOUNT_PW) && !strstr(text, "Hunter2"), "account password written\n");
    ok(strstr(text, "login failed for bob with [redacted] in text\n") != NULL,
        "plain password masked in place\n");
    for (int i = 0; i < 5; i++) {
        ok(!strstr(text, enc[i]), "base64 of '%s<password>' written: %s\n", users[i], enc[i]);
        /* The characters that mix the secret's bits with the neighbours'
         * are masked too: what stays is the user's part and the padding. */
        char around[160];
        size_t ulen = strlen(users[i]), keep = ulen * 8 / 6;
        snprintf(around, sizeof around, "blob %.*s[redacted]%s end\n", (int)keep, enc[i],
            strchr(enc[i], '=') ? strchr(enc[i], '=') : "");
        ok(strstr(text, around) != NULL, "expected '%s'\n", around);
    }
    ok(strstr(text, "blob ") && strstr(text, "[redacted]") && strstr(text, " end\n"),
        "text around base64 kept\n");
    ok(!strstr(text, "Q7z") && strstr(text, "short [redacted] pw\n"), "short secret masked\n");

    /* Every line still has its prefix. */
    int bad = 0;
    for (char *l = text; *l;) {
        char *nl = strchr(l, '\n');
        if (!nl || !message_of(l))
            bad++;
        l = nl ? nl + 1 : l + strlen(l);
    }
    ok(bad == 0, "%d lines without a prefix\n", bad);
    free(text);
    free(path);

    /* st_log_redact: the same rules for text shown elsewhere. */
    char *r = NULL;
    ok(st_log_redact(&r, "GET https://u:pw1@h/?token=abc\nAuthorization: Basic eHh4") == ST_OK
        && r && strcmp(r, "GET https://u:[redacted]@h/?token=[redacted]\n"
                          "Authorization: [redacted]") == 0, "st_log_redact: '%s'\n", r ? r : "(null)");
    free(r);
    ok(st_log_redact(&r, "no secret here") == ST_OK && r && !strcmp(r, "no secret here"),
        "st_log_redact plain\n");
    free(r);
    /* After st_log_close the registered secrets are gone. */
    ok(st_log_redact(&r, "x " ACCOUNT_PW) == ST_OK && r && strstr(r, ACCOUNT_PW),
        "secrets forgotten after close\n");
    free(r);
    st_log_configure(NULL);
}

static void test_stderr(void)
{
    st_log_to_stderr(1);
    ST_LOG_WARN(ST_LOG_TOOLS, "a line on stderr with password=hidden (expected in the test log)");
    st_log_to_stderr(0);
    ST_LOG_WARN(ST_LOG_TOOLS, "not shown");
    ok(1, "stderr output\n");
}

int main(void)
{
    test_defaults(); /* first: before any configuration */
    if (st_os_tempdir_create(&tmp, "mapidav-test-log-") != ST_OK)
        test_fatal("temp dir: %s\n", st_error_last());
    test_spec();
    test_filter();
    test_rotation();
    test_threads();
    test_redaction();
    test_stderr();
    ok(st_os_remove_tree(tmp) == ST_OK, "remove %s: %s\n", tmp, st_error_last());
    free(tmp);
    return test_done();
}
