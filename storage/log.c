/*
 * log.c: channels, levels, outputs (debug.log with rotation, stderr) and
 * redaction of secrets (log.h).
 *
 * Invariant: no byte of a message reaches an output before redact_line()
 * has masked it, and an output holds whole lines only: each record is built
 * completely, then written with one st_os_file_write() under log_lock.
 * Must never write a secret, never call st_error_set() in a way the caller
 * can see (st_log keeps st_error_last() and errno), and never log from
 * inside itself.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/log.h"
#include "storage/os.h"
#include "storage/strutil.h"

#define REDACTED "[redacted]"
#define LINE_MAX_BYTES 16384   /* a longer line is cut (after redaction) */
#define KEEP_FILES_MAX 100
#define B64_CORE_MIN 4         /* shorter base64 forms of a secret are not used */

/* ---- Channels and levels ----------------------------------------------- */

#define MODULE_CHANNELS 6      /* storage .. tools: what "*" sets */
_Static_assert(MODULE_CHANNELS == ST_LOG_HTTP, "the audit channels come last");

_Atomic int st_log__level[ST_LOG_NCHANNELS] = {
    ST_LOG_LEVEL_WARN, ST_LOG_LEVEL_WARN, ST_LOG_LEVEL_WARN,
    ST_LOG_LEVEL_WARN, ST_LOG_LEVEL_WARN, ST_LOG_LEVEL_WARN,
    ST_LOG_LEVEL_OFF, ST_LOG_LEVEL_OFF, ST_LOG_LEVEL_OFF,
};

static const char *const channel_names[ST_LOG_NCHANNELS] = {
    "storage", "convert", "davsync", "provider", "tray", "tools", "http", "sql", "mapi",
};

static const char *const level_names[] = { "off", "error", "warn", "info", "trace" };
#define NLEVELS ((int)(sizeof level_names / sizeof level_names[0]))

const char *st_log_channel_name(st_log_channel ch)
{
    return (unsigned)ch < ST_LOG_NCHANNELS ? channel_names[ch] : "?";
}

const char *st_log_level_name(st_log_level level)
{
    return (unsigned)level < (unsigned)NLEVELS ? level_names[level] : "?";
}

st_log_level st_log_get_level(st_log_channel ch)
{
    if ((unsigned)ch >= ST_LOG_NCHANNELS)
        return ST_LOG_LEVEL_OFF;
    return (st_log_level)atomic_load_explicit(&st_log__level[ch], memory_order_relaxed);
}

void st_log_set_level(st_log_channel ch, st_log_level level)
{
    if ((unsigned)ch < ST_LOG_NCHANNELS && (unsigned)level < (unsigned)NLEVELS)
        atomic_store_explicit(&st_log__level[ch], (int)level, memory_order_relaxed);
}

/* ---- Output state (all under log_lock) ----------------------------------- */

typedef struct secret {
    char *s;                      /* the string to mask (plain or a base64 core) */
    size_t len;
    unsigned char widen_left;     /* base64 core: the character before it and */
    unsigned char widen_right;    /* the one after it hold bits of the secret too */
} secret;

static st_mutex log_lock = ST_MUTEX_INIT;
static struct {
    st_file *file;                /* debug.log, or NULL */
    char *path;                   /* its path, for rotation */
    uint64_t max_bytes;           /* rotate past this size; 0: never */
    int keep_files;               /* path.1 .. path.keep_files */
    uint64_t size;                /* bytes in the file, as far as we know */
    int to_stderr;                /* also write to stderr */
    secret *secrets;              /* registered secrets and their base64 cores */
    size_t nsecrets;
} out;

/* SMTP: this thread saw "AUTH" and no final status yet, so the client's
 * base64 lines are credentials. */
static _Thread_local unsigned char smtp_auth_pending;

/* ---- A growable buffer ------------------------------------------------- */

typedef struct sbuf {
    char *p;                      /* malloc'd, not NUL-terminated */
    size_t len, cap;
    int oom;                      /* an append failed: the content is incomplete */
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->cap - b->len < n) {
        size_t ncap = b->cap ? b->cap : 256;
        while (ncap - b->len < n)
            ncap *= 2;
        char *p = realloc(b->p, ncap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void sb_adds(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* ---- Redaction ---------------------------------------------------------- */

/* ASCII only, whatever the process locale (Outlook sets one). */
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Case-insensitive: does l[0..n) start with the lowercase word w? */
static int starts_ci(const char *l, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)l[i]) != w[i])
            return 0;
    return 1;
}

static void mark(unsigned char *mask, size_t from, size_t to)
{
    if (from < to)
        memset(mask + from, 1, to - from);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* "Authorization: x", "Proxy-Authorization: x", "Cookie: x", "Set-Cookie: x":
 * the value to the end of the line. */
static void rule_headers(const char *l, size_t n, unsigned char *mask)
{
    static const char *const names[] = { "authorization:", "cookie:" };
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            if (!starts_ci(l + i, n - i, names[k]))
                continue;
            size_t v = i + strlen(names[k]);
            while (v < n && (l[v] == ' ' || l[v] == '\t'))
                v++;
            mark(mask, v, n);
            return;
        }
    }
}

static int is_key_char(char c)
{
    return is_alnum(c) || c == '_' || c == '-';
}

static int is_secret_key(const char *k, size_t n)
{
    static const char *const keys[] = {
        "password", "passwd", "pass", "pwd", "token", "access_token", "refresh_token",
        "id_token", "secret", "client_secret", "api_key", "apikey",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i]) == n && starts_ci(k, n, keys[i]))
            return 1;
    return 0;
}

/* password=x (query strings, key=value text) and "password": "x" (JSON). */
static void rule_keys(const char *l, size_t n, unsigned char *mask)
{
    for (size_t i = 0; i < n; i++) {
        char c = l[i];
        if (c != '=' && c != ':')
            continue;
        size_t ke = i;
        while (ke > 0 && (l[ke - 1] == ' ' || l[ke - 1] == '\t'))
            ke--;
        char q = 0;
        if (ke > 0 && (l[ke - 1] == '"' || l[ke - 1] == '\''))
            q = l[--ke];
        if (c == ':' && !q)
            continue; /* "key: value" prose is not a key-value pair */
        size_t ks = ke;
        while (ks > 0 && is_key_char(l[ks - 1]))
            ks--;
        if (ks == ke || (q && (ks == 0 || l[ks - 1] != q)))
            continue;
        if (!is_secret_key(l + ks, ke - ks))
            continue;

        size_t v = i + 1;
        while (v < n && (l[v] == ' ' || l[v] == '\t'))
            v++;
        size_t e = v;
        if (v < n && (l[v] == '"' || l[v] == '\'')) {
            char vq = l[v++];
            for (e = v; e < n && l[e] != vq; e++)
                if (l[e] == '\\' && e + 1 < n)
                    e++;
        } else {
            /* Stop only where a value surely ends: a password may hold
             * ';', ')' or ','. Over-redacting punctuation is fine. */
            while (e < n && !is_space(l[e]) && l[e] != '&' && l[e] != '"' && l[e] != '\'')
                e++;
        }
        mark(mask, v, e);
        i = e > i ? e - 1 : i;
    }
}

/* scheme://user:password@host: the password (RFC 3986 authority). */
static void rule_url_userinfo(const char *l, size_t n, unsigned char *mask)
{
    for (size_t i = 0; i + 3 <= n; i++) {
        if (memcmp(l + i, "://", 3) != 0)
            continue;
        size_t a = i + 3, e = a;
        while (e < n && !strchr("/?#\"'<> \t", l[e]))
            e++;
        size_t at = e;
        while (at > a && l[at - 1] != '@')
            at--;
        if (at == a)
            continue; /* no userinfo */
        at--;
        const char *colon = memchr(l + a, ':', at - a);
        if (colon)
            mark(mask, (size_t)(colon - l) + 1, at);
        i = e > i ? e - 1 : i;
    }
}

static int is_b64_token(const char *s, size_t n)
{
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '+' && s[i] != '/' && s[i] != '=')
            return 0;
    return 1;
}

/* "AUTH <mechanism> [initial response]" at l[p..n)? The mechanism must be a
 * SASL name (RFC 4422: up to 20 of A-Z 0-9 - _), so that prose such as
 * "auth failed for ..." is left alone. *resp: where the response starts. */
static int is_auth_command(const char *l, size_t p, size_t n, size_t *resp)
{
    if (!starts_ci(l + p, n - p, "auth "))
        return 0;
    size_t m = p + 5;
    while (m < n && l[m] == ' ')
        m++;
    size_t mech = m;
    while (m < n && ((l[m] >= 'A' && l[m] <= 'Z') || is_digit(l[m]) || l[m] == '-'
                        || l[m] == '_'))
        m++;
    if (m == mech || m - mech > 20 || (m < n && !is_space(l[m])))
        return 0;
    while (m < n && is_space(l[m]))
        m++;
    *resp = m;
    return 1;
}

/* SMTP: "AUTH PLAIN <b64>" and, after AUTH, the client's base64 lines. */
static void rule_smtp(const char *l, size_t n, unsigned char *mask, unsigned char *pending)
{
    size_t p = 0;
    int server = 0;
    while (p < n && (l[p] == ' ' || l[p] == '\t'))
        p++;
    if (p + 1 < n && (l[p] == 'C' || l[p] == 'S') && l[p + 1] == ':') {
        server = l[p] == 'S';
        p += 2;
    } else if (p < n && (l[p] == '<' || l[p] == '>')) {
        server = l[p] == '<';
        while (p < n && (l[p] == '<' || l[p] == '>'))
            p++;
    }
    while (p < n && (l[p] == ' ' || l[p] == '\t'))
        p++;

    if (n - p >= 3 && is_digit(l[p]) && is_digit(l[p + 1])
        && is_digit(l[p + 2]) && (n - p == 3 || l[p + 3] == ' ' || l[p + 3] == '-')) {
        if (memcmp(l + p, "334", 3) != 0)
            *pending = 0; /* a final status ends the exchange */
        return;
    }
    if (server)
        return;
    size_t resp;
    if (is_auth_command(l, p, n, &resp)) {
        mark(mask, resp, n); /* the initial response, if any */
        *pending = 1;
        return;
    }
    if (*pending && is_b64_token(l + p, n - p))
        mark(mask, p, n);
}

static int is_b64_char(char c)
{
    return is_alnum(c) || c == '+' || c == '/';
}

static void rule_secrets(const char *l, size_t n, unsigned char *mask)
{
    for (size_t k = 0; k < out.nsecrets; k++) {
        const secret *s = &out.secrets[k];
        for (size_t i = 0; i + s->len <= n; i++) {
            if (l[i] != s->s[0] || memcmp(l + i, s->s, s->len) != 0)
                continue;
            size_t from = i, to = i + s->len;
            /* The base64 characters on either side of a core still carry
             * a few bits of the secret. */
            if (s->widen_left && from > 0 && is_b64_char(l[from - 1]))
                from--;
            if (s->widen_right && to < n && is_b64_char(l[to]))
                to++;
            mark(mask, from, to);
        }
    }
}

/* Appends line l[0..n) to b, masked and with control characters escaped.
 * Caller holds log_lock (for the secrets). */
static void redact_line(sbuf *b, const char *l, size_t n, unsigned char *pending)
{
    unsigned char small[512];
    unsigned char *mask = n <= sizeof small ? small : malloc(n);
    if (!mask) {
        sb_adds(b, "[line dropped: out of memory]");
        return;
    }
    memset(mask, 0, n);
    rule_headers(l, n, mask);
    rule_keys(l, n, mask);
    rule_url_userinfo(l, n, mask);
    rule_smtp(l, n, mask, pending);
    rule_secrets(l, n, mask);

    size_t written = 0, i = 0;
    while (i < n) {
        if (written >= LINE_MAX_BYTES && (((unsigned char)l[i] & 0xC0) != 0x80 || mask[i])) {
            char note[48];
            snprintf(note, sizeof note, " [... %zu bytes cut]", n - i);
            sb_adds(b, note);
            break;
        }
        if (mask[i]) {
            sb_adds(b, REDACTED);
            written += sizeof REDACTED - 1;
            while (i < n && mask[i])
                i++;
            continue;
        }
        unsigned char c = (unsigned char)l[i++];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            char esc[5];
            snprintf(esc, sizeof esc, "\\x%02X", c);
            sb_add(b, esc, 4);
            written += 4;
        } else {
            sb_add(b, (const char *)&c, 1);
            written++;
        }
    }
    if (mask != small)
        free(mask);
}

/* Appends msg to b line by line. With a prefix: each line is prefix + text
 * + "\n"; without: the lines joined by "\n" (st_log_redact). */
static void redact_text(sbuf *b, const char *prefix, const char *msg, unsigned char *pending)
{
    const char *s = msg;
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        int last = !nl || nl[1] == '\0';
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (prefix)
            sb_adds(b, prefix);
        else if (s != msg)
            sb_add(b, "\n", 1);
        redact_line(b, s, n, pending);
        if (prefix)
            sb_add(b, "\n", 1);
        if (last)
            break;
        s = nl + 1;
    }
}

/* ---- Writing ------------------------------------------------------------ */

/* 2024-05-01T12:34:56.789Z from FILETIME ticks (proleptic Gregorian, UTC;
 * days to civil date after H. Hinnant's algorithm). */
static void format_time(char *buf, size_t size, uint64_t ft)
{
    int64_t ms = (int64_t)(ft / 10000u) - (int64_t)(ST_FILETIME_UNIX_EPOCH / 10000u);
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int64_t msday = ms - days * 86400000;

    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));

    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
        (int)(msday / 3600000), (int)(msday / 60000 % 60), (int)(msday / 1000 % 60),
        (int)(msday % 1000));
}

static char *rotated_name(const char *path, int i)
{
    size_t size = strlen(path) + 16;
    char *p = malloc(size);
    if (p)
        snprintf(p, size, "%s.%d", path, i);
    return p;
}

/* debug.log -> debug.log.1 -> ... -> debug.log.N (dropped). Errors are
 * ignored one by one: a missing old file is normal, and logging goes on. */
static void shift_files(void)
{
    for (int i = out.keep_files - 1; i >= 1; i--) {
        char *from = rotated_name(out.path, i), *to = rotated_name(out.path, i + 1);
        if (from && to)
            (void)st_os_rename(from, to);
        free(from);
        free(to);
    }
    if (out.keep_files > 0) {
        char *to = rotated_name(out.path, 1);
        if (to)
            (void)st_os_rename(out.path, to);
        free(to);
    } else {
        (void)st_os_remove(out.path);
    }
}

/* Makes room for len more bytes. Caller holds log_lock. */
static void rotate_if_needed(size_t len)
{
    if (!out.max_bytes || out.size == 0 || out.size + len <= out.max_bytes)
        return;
    st_os_file_close(out.file);
    out.file = NULL;

    /* Another process writing the same file may have rotated it already
     * (its rename moved our open file): then just follow the path. */
    uint64_t cur;
    int followed = st_os_path_size(&cur, out.path) == ST_OK && cur < out.size
        && cur + len <= out.max_bytes;
    if (!followed)
        shift_files();
    if (st_os_file_open_append(&out.file, out.path) != ST_OK)
        return; /* the file output stops until st_log_open_file() */
    if (st_os_path_size(&cur, out.path) != ST_OK)
        cur = 0;
    /* If the rename failed (Windows: another program holds the file without
     * sharing delete) the file keeps growing; counting from 0 retries only
     * after another max_bytes instead of on every line. */
    out.size = cur < out.max_bytes ? cur : 0;
}

/* Caller holds log_lock. */
static void write_record(const char *p, size_t len)
{
    if (out.file) {
        rotate_if_needed(len);
        if (out.file && st_os_file_write(out.file, p, len) == ST_OK)
            out.size += len;
    }
    if (out.to_stderr) {
        fwrite(p, 1, len, stderr);
        fflush(stderr);
    }
}

void st_log_v(st_log_channel ch, st_log_level level, const char *fmt, va_list ap)
{
    if (!st_log_enabled(ch, level))
        return;
    int saved_errno = errno;

    char small[1024];
    const char *msg = small;
    char *heap = NULL;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        msg = "(bad log format)";
    } else if ((size_t)n >= sizeof small) {
        heap = malloc((size_t)n + 1);
        if (heap)
            vsnprintf(heap, (size_t)n + 1, fmt, ap2);
        msg = heap ? heap : "(log message dropped: out of memory)";
    }
    va_end(ap2);

    char when[96], prefix[192];
    format_time(when, sizeof when, st_os_time_filetime());
    snprintf(prefix, sizeof prefix, "%s [%" PRIu64 "] %s %s: ", when, st_os_thread_id(),
        level_names[level], channel_names[ch]);

    /* Output functions may set the error message on failure: keep the
     * caller's. */
    char saved_error[ST_ERROR_MAX];
    const char *e = st_error_last();
    memcpy(saved_error, e, strlen(e) + 1);

    st_mutex_lock(&log_lock);
    if (out.file || out.to_stderr) {
        sbuf b = { 0 };
        redact_text(&b, prefix, msg, &smtp_auth_pending);
        if (!b.oom)
            write_record(b.p, b.len);
        free(b.p);
    }
    st_mutex_unlock(&log_lock);

    if (strcmp(saved_error, st_error_last()) != 0)
        st_error_set("%s", saved_error);
    free(heap);
    errno = saved_errno;
}

void st_log(st_log_channel ch, st_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st_log_v(ch, level, fmt, ap);
    va_end(ap);
}

int st_log_redact(char **out_text, const char *text)
{
    unsigned char pending = 0;
    sbuf b = { 0 };

    *out_text = NULL;
    st_mutex_lock(&log_lock);
    redact_text(&b, NULL, text, &pending);
    st_mutex_unlock(&log_lock);
    sb_add(&b, "", 1);
    if (b.oom) {
        free(b.p);
        st_error_set("out of memory redacting a message");
        return ST_ERROR;
    }
    *out_text = b.p;
    return ST_OK;
}

/* ---- Configuration ------------------------------------------------------ */

static int find_name(const char *const *names, int count, const char *s, size_t n)
{
    for (int i = 0; i < count; i++)
        if (strlen(names[i]) == n && starts_ci(s, n, names[i]))
            return i;
    return -1;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_space((*s)[*n - 1]))
        (*n)--;
}

#define LEVEL_LIST "off, error, warn, info, trace"
#define CHANNEL_LIST "storage, convert, davsync, provider, tray, tools, http, sql, mapi"
#define NAME_SHOWN(n) ((int)((n) > 64 ? 64 : (n)))

int st_log_configure(const char *spec)
{
    int wildcard = -1;              /* level for "*", or -1 */
    int named[ST_LOG_NCHANNELS];    /* level per named channel, or -1 */
    for (int c = 0; c < ST_LOG_NCHANNELS; c++)
        named[c] = -1;

    const char *s = spec ? spec : "";
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        const char *item = s;
        s = comma ? comma + 1 : s + len;
        trim(&item, &len);
        if (len == 0)
            continue;

        const char *eq = memchr(item, '=', len);
        const char *name = item, *lv = item;
        size_t nlen = 0, lvlen = len;
        if (eq) {
            nlen = (size_t)(eq - item);
            lv = eq + 1;
            lvlen = len - nlen - 1;
            trim(&name, &nlen);
            trim(&lv, &lvlen);
        }
        int level = find_name(level_names, NLEVELS, lv, lvlen);
        if (!eq && level < 0) {
            if (find_name(channel_names, ST_LOG_NCHANNELS, lv, lvlen) >= 0)
                st_error_set("log spec: channel '%.*s' needs a level, e.g. %.*s=trace "
                             "(levels: " LEVEL_LIST ")",
                    NAME_SHOWN(lvlen), lv, NAME_SHOWN(lvlen), lv);
            else
                st_error_set("log spec: unknown level '%.*s' (levels: " LEVEL_LIST ")",
                    NAME_SHOWN(lvlen), lv);
            return ST_ERROR;
        }
        if (eq && nlen == 0) {
            st_error_set("log spec: missing channel name before '=' in '%.*s'",
                NAME_SHOWN(len), item);
            return ST_ERROR;
        }
        int ch = -1;
        if (eq && !(nlen == 1 && name[0] == '*')) {
            ch = find_name(channel_names, ST_LOG_NCHANNELS, name, nlen);
            if (ch < 0) {
                st_error_set("log spec: unknown channel '%.*s' (channels: " CHANNEL_LIST ")",
                    NAME_SHOWN(nlen), name);
                return ST_ERROR;
            }
        }
        if (level < 0) {
            st_error_set("log spec: unknown level '%.*s' for channel '%.*s' (levels: "
                         LEVEL_LIST ")",
                NAME_SHOWN(lvlen), lv, NAME_SHOWN(nlen), name);
            return ST_ERROR;
        }
        if (ch < 0)
            wildcard = level;
        else
            named[ch] = level;
    }

    for (int c = 0; c < ST_LOG_NCHANNELS; c++) {
        int level = c < MODULE_CHANNELS ? ST_LOG_LEVEL_WARN : ST_LOG_LEVEL_OFF;
        if (c < MODULE_CHANNELS && wildcard >= 0)
            level = wildcard;
        if (named[c] >= 0)
            level = named[c];
        atomic_store_explicit(&st_log__level[c], level, memory_order_relaxed);
    }
    return ST_OK;
}

int st_log_configure_from_env(void)
{
    char *v = NULL;
    if (st_os_getenv(&v, "MAPIDAV_LOG") != ST_OK)
        return ST_ERROR;
    int rc = ST_OK;
    if (v && *v && st_log_configure(v) != ST_OK) {
        st_error_set("MAPIDAV_LOG: %s", st_error_last());
        rc = ST_ERROR;
    }
    free(v);
    return rc;
}

/* ---- Outputs ------------------------------------------------------------ */

static int is_path_sep(char c)
{
#if defined(_WIN32)
    return c == '/' || c == '\\';
#else
    return c == '/';
#endif
}

/* Creates the folder that will hold path, if it has one. */
static int make_parent(const char *path)
{
    size_t n = strlen(path);
    while (n > 0 && !is_path_sep(path[n - 1]))
        n--;
    while (n > 1 && is_path_sep(path[n - 1]))
        n--;
    if (n == 0 || (n == 1 && is_path_sep(path[0])) || (n == 2 && path[1] == ':'))
        return ST_OK; /* current folder, root, or a drive */
    char *dir = st_memdup(path, n);
    if (!dir) {
        st_error_set("out of memory opening '%s'", path);
        return ST_ERROR;
    }
    int rc = st_os_is_dir(dir) ? ST_OK : st_os_mkdir_p(dir);
    free(dir);
    return rc;
}

int st_log_open_file(const char *path, uint64_t max_bytes, int keep_files)
{
    if (!path || !*path) {
        st_error_set("log file: empty path");
        return ST_ERROR;
    }
    if (keep_files < 0 || keep_files > KEEP_FILES_MAX) {
        st_error_set("log file: keep_files %d is not in 0..%d", keep_files, KEEP_FILES_MAX);
        return ST_ERROR;
    }
    char *copy = st_strdup(path);
    if (!copy) {
        st_error_set("out of memory opening '%s'", path);
        return ST_ERROR;
    }

    st_file *f = NULL;
    uint64_t size = 0;
    if (make_parent(path) != ST_OK || st_os_file_open_append(&f, path) != ST_OK) {
        free(copy);
        return ST_ERROR;
    }
    if (st_os_path_size(&size, path) != ST_OK)
        size = 0;

    st_mutex_lock(&log_lock);
    st_os_file_close(out.file);
    free(out.path);
    out.file = f;
    out.path = copy;
    out.max_bytes = max_bytes;
    out.keep_files = keep_files;
    out.size = size;
    st_mutex_unlock(&log_lock);
    return ST_OK;
}

void st_log_to_stderr(int on)
{
    st_mutex_lock(&log_lock);
    out.to_stderr = on != 0;
    st_mutex_unlock(&log_lock);
}

/* The part of base64(r zero bytes + s) that depends on s alone: what any
 * base64 text holding s at a byte offset = r (mod 3) must contain. *out is
 * NULL when that part is too short to be worth masking. */
static int b64_core(char **out, const char *s, size_t n, int r)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t total = (size_t)r + n;
    size_t first = ((size_t)r * 8 + 5) / 6, end = total * 8 / 6;

    *out = NULL;
    if (end < first || end - first < B64_CORE_MIN)
        return ST_OK;
    char *core = malloc(end - first + 1);
    if (!core)
        return ST_ERROR;
    for (size_t i = first; i < end; i++) {
        /* Character i holds bits 6i .. 6i+5 of the byte string. */
        unsigned v = 0;
        for (size_t bit = 6 * i; bit < 6 * i + 6; bit++) {
            size_t byte = bit / 8;
            unsigned char c = byte < (size_t)r ? 0 : (unsigned char)s[byte - (size_t)r];
            v = (v << 1) | ((c >> (7 - bit % 8)) & 1u);
        }
        core[i - first] = alphabet[v];
    }
    core[end - first] = '\0';
    *out = core;
    return ST_OK;
}

int st_log_add_secret(const char *s)
{
    if (!s || !*s) {
        st_error_set("log: empty secret");
        return ST_ERROR;
    }
    size_t n = strlen(s);
    char *forms[4] = { NULL, NULL, NULL, NULL };
    int rc = ST_ERROR;

    forms[0] = st_memdup(s, n);
    if (!forms[0])
        goto oom;
    for (int r = 0; r < 3; r++)
        if (b64_core(&forms[r + 1], s, n, r) != ST_OK)
            goto oom;

    st_mutex_lock(&log_lock);
    int dup = 0;
    for (size_t k = 0; k < out.nsecrets; k++)
        if (out.secrets[k].len == n && !memcmp(out.secrets[k].s, s, n))
            dup = 1;
    secret *grown = dup ? out.secrets : realloc(out.secrets, (out.nsecrets + 4) * sizeof *grown);
    if (grown) {
        out.secrets = grown;
        for (int i = 0; i < 4 && !dup; i++) {
            if (!forms[i])
                continue;
            grown[out.nsecrets].s = forms[i];
            grown[out.nsecrets].len = strlen(forms[i]);
            /* Core r (i = r + 1) starts mid-character unless r == 0, and
             * ends mid-character unless r + n is a multiple of 3. */
            grown[out.nsecrets].widen_left = i > 1;
            grown[out.nsecrets].widen_right = i > 0 && ((size_t)(i - 1) + n) % 3 != 0;
            out.nsecrets++;
            forms[i] = NULL;
        }
        rc = ST_OK;
    }
    st_mutex_unlock(&log_lock);
    if (rc == ST_OK)
        goto cleanup;
oom:
    st_error_set("out of memory registering a log secret");
cleanup:
    for (int i = 0; i < 4; i++)
        free(forms[i]);
    return rc;
}

void st_log_close(void)
{
    st_mutex_lock(&log_lock);
    st_os_file_close(out.file);
    free(out.path);
    for (size_t k = 0; k < out.nsecrets; k++)
        free(out.secrets[k].s);
    free(out.secrets);
    memset(&out, 0, sizeof out);
    st_mutex_unlock(&log_lock);
}
