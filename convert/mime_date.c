/*
 * mime_date.c: Date and Received dates -> FILETIME ticks (100 ns since
 * 1601-01-01 UTC, PT_SYSTIME).
 *
 * Reads RFC 5322 dates, the obsolete forms of 4.3 (2- and 3-digit years,
 * named and military zones, comments), asctime ("Mon May 25 14:38:53
 * 2008"), ISO 8601 ("2008-05-25T14:38:53Z") and the broken ones mailers
 * write (no weekday comma, dashes, "GMT+0200", AM/PM, a missing zone read
 * as UTC). Invariant: a result is always a valid date within FILETIME's
 * range. Never: guess a date out of nothing (no month or no year: CV_EPARSE).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "convert/mime_int.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil, public domain algorithm). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

int cv_mime__filetime(uint64_t *out, int year, int month, int day, int hour, int min, int sec,
                      int zone_minutes)
{
    if (year < 1601 || year > 30000 || month < 1 || month > 12 || day < 1 || day > 31
        || hour < 0 || hour > 24 || min < 0 || min > 59 || sec < 0 || sec > 60
        || zone_minutes < -24 * 60 || zone_minutes > 24 * 60)
        return -1;
    long long secs = days_from_civil(year, (unsigned)month, (unsigned)day) * 86400LL
                     + hour * 3600LL + min * 60LL + sec - zone_minutes * 60LL;
    secs += 11644473600LL; /* 1601 -> 1970 */
    if (secs < 0)
        return -1;
    *out = (uint64_t)secs * 10000000ULL;
    return 0;
}

static const char *const months[12] = { "jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec" };

static const struct {
    const char *name;
    int minutes;
} zones[] = {
    { "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 }, { "wet", 0 },
    { "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
    { "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
    { "bst", 60 }, { "cet", 60 }, { "met", 60 }, { "mez", 60 }, { "cest", 120 },
    { "mest", 120 }, { "mesz", 120 }, { "eet", 120 }, { "eest", 180 }, { "msk", 180 },
    { "ist", 330 }, { "hkt", 480 }, { "jst", 540 }, { "kst", 540 }, { "aest", 600 },
    { "aedt", 660 }, { "nzst", 720 }, { "nzdt", 780 },
};

int cv_mime__date_parse(uint64_t *out, const char *in, size_t len)
{
    int day = -1, mon = -1, year = -1, h = 0, m = 0, s = 0, zone = 0;
    int have_time = 0, have_zone = 0, zone_named = 0, pm = -1, year_digits = 0;
    size_t i = 0;

    *out = 0;
    /* ISO 8601: YYYY-MM-DD[T ]hh:mm[:ss][Z|+hh[:]mm] */
    while (i < len && isspace((unsigned char)in[i]))
        i++;
    if (len - i >= 10 && isdigit((unsigned char)in[i]) && isdigit((unsigned char)in[i + 3])
        && in[i + 4] == '-' && isdigit((unsigned char)in[i + 5]) && in[i + 7] == '-') {
        year = (in[i] - '0') * 1000 + (in[i + 1] - '0') * 100 + (in[i + 2] - '0') * 10
               + (in[i + 3] - '0');
        mon = (in[i + 5] - '0') * 10 + (in[i + 6] - '0');
        day = (in[i + 8] - '0') * 10 + (in[i + 9] - '0');
        if (!isdigit((unsigned char)in[i + 6]) || !isdigit((unsigned char)in[i + 8])
            || !isdigit((unsigned char)in[i + 9]))
            return CV_EPARSE;
        year_digits = 4;
        i += 10;
        if (i < len && (in[i] == 'T' || in[i] == 't'))
            i++;
    }
    while (i < len) {
        unsigned char c = (unsigned char)in[i];
        if (c == '(') { /* comment */
            int depth = 0;
            while (i < len) {
                if (in[i] == '\\') {
                    i += 2;
                    continue;
                }
                if (in[i] == '(')
                    depth++;
                else if (in[i] == ')' && --depth == 0) {
                    i++;
                    break;
                }
                i++;
            }
            continue;
        }
        if (isalpha(c)) {
            size_t st = i;
            while (i < len && isalpha((unsigned char)in[i]))
                i++;
            size_t wl = i - st;
            char w[8];
            if (wl >= sizeof w)
                continue;
            for (size_t k = 0; k < wl; k++)
                w[k] = (char)tolower((unsigned char)in[st + k]);
            w[wl] = 0;
            if (wl >= 3 && mon < 0) {
                int found = 0;
                for (int k = 0; k < 12; k++)   /* inline: strncmp calls cost 240 a word */
                    if (w[0] == months[k][0] && w[1] == months[k][1] && w[2] == months[k][2]) {
                        mon = k + 1;
                        found = 1;
                    }
                if (found)
                    continue;
            }
            if (strcmp(w, "am") == 0 || strcmp(w, "pm") == 0) {
                pm = w[0] == 'p';
                continue;
            }
            if (have_time || year >= 0) {
                int found = 0;
                for (size_t k = 0; k < sizeof zones / sizeof zones[0]; k++)
                    if (strcmp(w, zones[k].name) == 0) {
                        if (!have_zone) {
                            zone = zones[k].minutes;
                            have_zone = zone_named = 1;
                        }
                        found = 1;
                    }
                if (!found && wl == 1 && !have_zone && have_time) {
                    /* military zones: RFC 5322 4.3 says read them as -0000 */
                    have_zone = zone_named = 1;
                }
            }
            continue;
        }
        if ((c == '+' || c == '-') && i + 1 < len && isdigit((unsigned char)in[i + 1])
            && have_time && (!have_zone || zone_named)) {
            int sign = c == '-' ? -1 : 1;
            size_t st = ++i;
            int v = 0;
            while (i < len && isdigit((unsigned char)in[i]) && i - st < 4)
                v = v * 10 + (in[i++] - '0');
            size_t nd = i - st;
            int zh, zm = 0;
            if (nd <= 2) {
                zh = v;
                if (i + 2 < len && in[i] == ':' && isdigit((unsigned char)in[i + 1])
                    && isdigit((unsigned char)in[i + 2])) {
                    zm = (in[i + 1] - '0') * 10 + (in[i + 2] - '0');
                    i += 3;
                }
            } else if (nd == 3) {
                zh = v / 100;
                zm = v % 100;
            } else {
                zh = v / 100;
                zm = v % 100;
            }
            if (zh <= 14 && zm < 60) {
                zone = sign * (zh * 60 + zm);
                have_zone = 1;
                zone_named = 0;
            }
            while (i < len && isdigit((unsigned char)in[i]))
                i++;
            continue;
        }
        if (isdigit(c)) {
            size_t st = i;
            long v = 0;
            while (i < len && isdigit((unsigned char)in[i])) {
                if (v < 100000)
                    v = v * 10 + (in[i] - '0');
                i++;
            }
            size_t nd = i - st;
            if (i < len && (in[i] == ':' || (in[i] == '.' && nd <= 2 && i + 2 < len
                                              && isdigit((unsigned char)in[i + 1])
                                              && isdigit((unsigned char)in[i + 2])
                                              && (i + 3 >= len || in[i + 3] == ':'
                                                  || in[i + 3] == '.'
                                                  || isspace((unsigned char)in[i + 3])))
                                          ) && !have_time && nd <= 2) {
                char sep = in[i];
                int parts[3] = { (int)v, 0, 0 }, np = 1;
                while (np < 3 && i + 1 < len && in[i] == sep
                       && isdigit((unsigned char)in[i + 1])) {
                    i++;
                    int x = 0;
                    size_t ds = i;
                    while (i < len && isdigit((unsigned char)in[i]) && i - ds < 2)
                        x = x * 10 + (in[i++] - '0');
                    parts[np++] = x;
                }
                if (i < len && in[i] == '.') { /* fractions of a second */
                    i++;
                    while (i < len && isdigit((unsigned char)in[i]))
                        i++;
                }
                h = parts[0];
                m = parts[1];
                s = parts[2];
                have_time = 1;
                continue;
            }
            if (nd >= 3) {
                if (year < 0) {
                    year = (int)v;
                    year_digits = (int)nd;
                }
            } else if (day < 0 && v >= 1 && v <= 31 && (year < 0 || mon >= 0)) {
                day = (int)v;
            } else if (year < 0) {
                year = (int)v;
                year_digits = (int)nd;
            } else if (mon < 0 && v >= 1 && v <= 12) {
                mon = (int)v;
            }
            continue;
        }
        i++;
    }
    if (day < 0 || mon < 0 || year < 0)
        return CV_EPARSE;
    if (year_digits <= 2)
        year += year < 50 ? 2000 : 1900;
    else if (year_digits == 3)
        year += 1900;
    if (pm == 1 && h < 12)
        h += 12;
    else if (pm == 0 && h == 12)
        h = 0;
    if (s == 60)
        s = 59;
    if (h == 24 && (m > 0 || s > 0))
        return CV_EPARSE;
    return cv_mime__filetime(out, year, mon, day, h, m, s, zone) == 0 ? 0 : CV_EPARSE;
}
