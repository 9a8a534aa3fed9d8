/*
 * log.h: named log channels with levels (floor 0), after curl's curl_trc
 * and Wine's debug channels.
 *
 *   ST_LOG_INFO(ST_LOG_DAVSYNC, "folder %s: %d new items", name, n);
 *   ST_LOG_TRACE(ST_LOG_HTTP, "> %s", request_line);
 *
 * The macros test the channel's level first (one relaxed atomic load) and
 * skip formatting entirely when it is off, so a disabled trace costs almost
 * nothing. Lines go to the per-account debug.log (st_log_open_file) and/or
 * standard error (st_log_to_stderr, for the command-line tool). Until one is
 * chosen, lines go nowhere; logging before any configuration is safe.
 *
 * Line format, UTC, one record per line (a message with embedded newlines
 * becomes several lines with the same prefix; control characters are written
 * as \xNN):
 *
 *   2024-05-01T12:34:56.789Z [4242] info davsync: folder Inbox: 3 new items
 *
 * Levels per channel come from a spec, the same as the MAPIDAV_LOG
 * environment variable:  davsync=trace,*=info
 *   - items are separated by commas; "name=level" sets one channel, "*=level"
 *     every module channel, and a bare "level" means "*=level";
 *   - a named channel wins over "*" whatever the order; channels the spec
 *     does not name get the default;
 *   - levels: off, error, warn, info, trace. Default: warn for each module
 *     channel, off for the audit channels.
 *
 * Audit channels (KOFF's "log HTTP requests / SQL statements / MAPI calls"):
 * http, sql and mapi log only at trace level and are off unless named, e.g.
 * MAPIDAV_LOG=http=trace,sql=trace. "*" never turns them on.
 *
 * SECRETS ARE NEVER WRITTEN. Before a line is written it is redacted; the
 * value is replaced by "[redacted]":
 *   - header values of Authorization:, Proxy-Authorization:, Cookie:,
 *     Set-Cookie: (case-insensitive, to the end of the line);
 *   - values of password, passwd, pass, pwd, token, access_token,
 *     refresh_token, id_token, secret, client_secret, api_key, apikey in
 *     key=value text and query strings, and as quoted JSON keys
 *     ("password": "..."); case-insensitive, whole key names only (so
 *     "sync-token=" and "bypass=" stay);
 *   - the password in a URL's userinfo: https://user:[redacted]@host/;
 *   - SMTP: the argument of "AUTH <MECHANISM> <initial response>" (an
 *     upper-case SASL name, so "auth failed ..." prose stays), and after
 *     an AUTH command the client's base64 continuation lines, until the
 *     server's next status other than 334. SMTP traces should mark lines
 *     "C: "/"S: " (or "> "/"< "); server lines are never redacted;
 *   - every secret registered with st_log_add_secret(), in plain text and in
 *     base64 at any byte alignment (so inside Basic credentials too).
 * Redaction may over-redact; it must never under-redact. Still: do not log
 * secrets on purpose.
 */
#ifndef MAPIDAV_STORAGE_LOG_H
#define MAPIDAV_STORAGE_LOG_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>

#include "storage/error.h"

typedef enum st_log_channel {
    ST_LOG_STORAGE,               /* storage/ */
    ST_LOG_CONVERT,               /* convert/ */
    ST_LOG_DAVSYNC,               /* davsync/ */
    ST_LOG_PROVIDER,              /* provider/ */
    ST_LOG_TRAY,                  /* tray/ */
    ST_LOG_TOOLS,                 /* tools/ */
    ST_LOG_HTTP,                  /* audit: HTTP and SMTP requests (trace) */
    ST_LOG_SQL,                   /* audit: SQL statements (trace) */
    ST_LOG_MAPI,                  /* audit: MAPI calls (trace) */
    ST_LOG_NCHANNELS
} st_log_channel;

typedef enum st_log_level {
    ST_LOG_LEVEL_OFF = 0,
    ST_LOG_LEVEL_ERROR,
    ST_LOG_LEVEL_WARN,
    ST_LOG_LEVEL_INFO,
    ST_LOG_LEVEL_TRACE
} st_log_level;

/* Per-channel level; read through st_log_enabled() only. */
extern _Atomic int st_log__level[ST_LOG_NCHANNELS];

static inline int st_log_enabled(st_log_channel ch, st_log_level level)
{
    return (unsigned)ch < ST_LOG_NCHANNELS
        && (unsigned)level - 1u < (unsigned)ST_LOG_LEVEL_TRACE /* error .. trace */
        && (int)level <= atomic_load_explicit(&st_log__level[ch], memory_order_relaxed);
}

#define ST_LOG_AT_(ch, level, ...) \
    do { \
        st_log_channel st_log_ch_ = (ch); \
        if (st_log_enabled(st_log_ch_, (level))) \
            st_log(st_log_ch_, (level), __VA_ARGS__); \
    } while (0)
#define ST_LOG_ERROR(ch, ...) ST_LOG_AT_((ch), ST_LOG_LEVEL_ERROR, __VA_ARGS__)
#define ST_LOG_WARN(ch, ...) ST_LOG_AT_((ch), ST_LOG_LEVEL_WARN, __VA_ARGS__)
#define ST_LOG_INFO(ch, ...) ST_LOG_AT_((ch), ST_LOG_LEVEL_INFO, __VA_ARGS__)
#define ST_LOG_TRACE(ch, ...) ST_LOG_AT_((ch), ST_LOG_LEVEL_TRACE, __VA_ARGS__)

/* Writes one record if the channel's level allows it. Thread-safe; never
 * fails visibly; leaves st_error_last() and errno as they were. */
void st_log(st_log_channel ch, st_log_level level, const char *fmt, ...) ST_PRINTF(3, 4);
void st_log_v(st_log_channel ch, st_log_level level, const char *fmt, va_list ap)
    ST_PRINTF(3, 0);

/* Sets every channel's level from a spec (see above). On a bad spec returns
 * ST_ERROR, names the unknown channel or level in st_error_last(), and
 * changes nothing. NULL or "" restores the defaults. */
int st_log_configure(const char *spec);

/* st_log_configure($MAPIDAV_LOG); unset or empty changes nothing. */
int st_log_configure_from_env(void);

st_log_level st_log_get_level(st_log_channel ch);
void st_log_set_level(st_log_channel ch, st_log_level level);

/* "davsync", "http"...; "?" for a bad value. */
const char *st_log_channel_name(st_log_channel ch);
const char *st_log_level_name(st_log_level level);

/* Logs to path (its folder is created), appending. When the file would grow
 * past max_bytes (0: never) it is rotated: path.N is dropped, path.N-1
 * becomes path.N, ..., path becomes path.1, with N = keep_files (0..100;
 * 0 keeps no old file). Replaces a file opened before. */
int st_log_open_file(const char *path, uint64_t max_bytes, int keep_files);

/* Also writes lines to stderr (the command-line tool) when on != 0. */
void st_log_to_stderr(int on);

/* Registers a secret (an account password, a token) to be replaced in every
 * line from now on, and its base64 forms at each of the three byte
 * alignments (only those at least 4 characters long). Copies s. Any
 * non-empty string is accepted; a very short one blanks out ordinary text
 * too, which is the price of never writing it. */
int st_log_add_secret(const char *s);

/* Redacts text as a log line would be (without the SMTP continuation state),
 * for messages shown elsewhere, e.g. errors returned to Outlook. *out is
 * malloc'd; free it with free(). */
int st_log_redact(char **out, const char *text);

/* Closes the file, stops stderr output and forgets the secrets. Levels are
 * kept. Logging afterwards is safe and goes nowhere. */
void st_log_close(void);

#endif /* MAPIDAV_STORAGE_LOG_H */
