/*
 * bench-convert.c: the converter figures, side by side with GMime 3 in one
 * run, on the same bytes.
 *
 *   bench-convert [corpus dir]      (MAPIDAV_CORPUS wins over the argument)
 *
 * Prints
 *   BENCH peak_rss_mb_200mb_message <v> MB   a 200 MB message (large base64
 *         attachments, generated into a temp file) parsed streaming in 64 KB
 *         reads with a sink that discards: the peak RSS of a child process
 *         forked before anything else is loaded (goal < 32)
 *   BENCH mime_parse_mb_per_s <v> MB/s      cv_mime_parse of every corpus
 *         message to the full cv_message: headers decoded (RFC 2047/2231,
 *         addresses), bodies decoded and converted to UTF-8, attachment data
 *         decoded into PR_ATTACH_DATA_BIN, then freed
 *   BENCH gmime_parse_mb_per_s <v> MB/s     GMime 3 on the same bytes, made
 *         to do the same work: g_mime_parser_construct_message, then for the
 *         message and every part all header values decoded
 *         (g_mime_header_get_value), the address lists formatted, the file
 *         name and content type read, and each leaf's content decoded
 *         (transfer encoding) and, for text parts, converted to UTF-8 into a
 *         null stream; then unreferenced
 *   BENCH mime_parse_vs_gmime <v> x         the ratio of the two (goal >= 1)
 *   BENCH mime_build_mb_per_s <v> MB/s      cv_mime_build of the parsed
 *         corpus messages (MB of MIME written)
 *   BENCH rtf_decompress_mb_per_s <v> MB/s  (MB of RTF produced)
 *   BENCH rtf_compress_mb_per_s <v> MB/s    (MB of RTF consumed)
 * Sizes in MB of 10^6 bytes. The corpus mix is every file under
 * <corpus>/mime that starts with a header field; the RTF set is the
 * compressed RTF of the corpus TNEF files plus RTF made from the corpus
 * bodies. Without a corpus, generated messages are used and a line says so.
 * Each rate repeats its work for at least a second. Build it without
 * sanitizers (meson setup --buildtype=release) for meaningful numbers.
 * Never: write outside the temp file, which is removed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "convert/mime.h"
#include "convert/mime_int.h"
#include "convert/rtf.h"
#include "convert/tnef.h"
#include "storage/props_tags.h"

typedef struct blob {
    uint8_t *data;   /* owned */
    size_t len;
} blob;

typedef struct set {
    blob *b;         /* n blobs */
    size_t n, cap;
    size_t bytes;    /* sum of len */
} set;

static void set_add(set *s, uint8_t *data, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->b = realloc(s->b, s->cap * sizeof *s->b);
        if (!s->b)
            abort();
    }
    s->b[s->n].data = data;
    s->b[s->n++].len = len;
    s->bytes += len;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f)
        return NULL;
    if (fstat(fileno(f), &st) != 0 || st.st_size <= 0 || st.st_size > (64 << 20)) {
        fclose(f);
        return NULL;
    }
    uint8_t *d = malloc((size_t)st.st_size + 1);
    *len = d ? fread(d, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    return d;
}

static int looks_mime(const uint8_t *s, size_t n)
{
    size_t i = 0;
    if (n > 5 && !memcmp(s, "From ", 5)) {   /* an mbox separator line */
        while (i < n && s[i] != '\n')
            i++;
        s += i + 1 < n ? i + 1 : n;
        n -= i + 1 < n ? i + 1 : n;
        i = 0;
    }
    while (i < n && s[i] > ' ' && s[i] < 0x7F && s[i] != ':')
        i++;
    return i > 0 && i < n && s[i] == ':';
}

/* Every file under dir (recursively) for which keep() says yes. */
static void walk(set *s, const char *dir, int (*keep)(const char *, const uint8_t *, size_t))
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    if (!d)
        return;
    while ((e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(s, path, keep);
        } else if (S_ISREG(st.st_mode)) {
            size_t len;
            uint8_t *data = read_file(path, &len);
            if (data && keep(path, data, len))
                set_add(s, data, len);
            else
                free(data);
        }
    }
    closedir(d);
}

static int keep_mime(const char *path, const uint8_t *d, size_t n)
{
    return !strstr(path, "SOURCES.md") && looks_mime(d, n);
}

static int keep_tnef(const char *path, const uint8_t *d, size_t n)
{
    (void)path;
    return cv_tnef_detect(d, n);
}

/* ---- generated messages (no corpus) ---- */

static void generate_mix(set *s)
{
    static const char text[] = "The quick brown fox jumps over the lazy dog. "
                               "Gr\xC3\xBC\xC3\x9F" "e aus Z\xC3\xBCrich. ";
    for (int m = 0; m < 200; m++) {
        size_t cap = 300000, n = 0;
        char *b = malloc(cap);
        n += (size_t)snprintf(b + n, cap - n,
            "From: =?UTF-8?B?SsO8cmdlbiBXZWnDnw==?= <j%d@example.org>\r\n"
            "To: A <a@example.org>, \"B, C\" <bc@example.org>\r\n"
            "Subject: =?ISO-8859-1?Q?Gr=FC=DFe_number?= %d\r\n"
            "Date: Tue, 1 Mar 2022 10:00:00 +0100\r\nMessage-ID: <%d@example.org>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
            "--XX\r\nContent-Type: multipart/alternative; boundary=\"YY\"\r\n\r\n"
            "--YY\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n", m, m, m);
        for (int i = 0; i < 20 + m % 50; i++)
            n += (size_t)snprintf(b + n, cap - n, "%s=\r\n", "Line of text with =C3=BC and more words");
        n += (size_t)snprintf(b + n, cap - n, "\r\n--YY\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>");
        for (int i = 0; i < 20 + m % 50; i++)
            n += (size_t)snprintf(b + n, cap - n, "%s<br>\r\n", text);
        n += (size_t)snprintf(b + n, cap - n, "</p>\r\n--YY--\r\n--XX\r\n"
            "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n");
        for (int i = 0; i < (m % 10) * 300; i++)
            n += (size_t)snprintf(b + n, cap - n, "%s\r\n",
                "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0");
        n += (size_t)snprintf(b + n, cap - n, "--XX--\r\n");
        set_add(s, (uint8_t *)b, n);
    }
}

/* ---- mapidav side ---- */

static int null_begin(void *ctx, uint64_t *id)
{
    (*(uint64_t *)ctx)++;
    *id = *(uint64_t *)ctx;
    return 0;
}
static int null_write(void *ctx, uint64_t id, const void *data, size_t len)
{
    (void)ctx; (void)id; (void)data; (void)len;
    return 0;
}
static int null_end(void *ctx, uint64_t id, int ok)
{
    (void)ctx; (void)id; (void)ok;
    return 0;
}

static void mime_parse_all(const set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        cv_message *m = NULL;
        cv_mime_parse(&m, s->b[i].data, s->b[i].len, NULL, NULL);
        cv_message_free(m);
    }
}

/* ---- GMime side ---- */

static void gm_headers(GMimeObject *o, size_t *sink)
{
    GMimeHeaderList *hl = g_mime_object_get_header_list(o);
    int n = g_mime_header_list_get_count(hl);
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
        const char *v = g_mime_header_get_value(h);
        *sink += v ? strlen(v) : 0;
    }
}

static void gm_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    size_t *sink = data;
    (void)parent;
    gm_headers(part, sink);
    if (GMIME_IS_MESSAGE_PART(part)) {
        GMimeMessage *m = g_mime_message_part_get_message((GMimeMessagePart *)part);
        if (m) {
            gm_headers(GMIME_OBJECT(m), sink);
            g_mime_message_foreach(m, gm_part, data);
        }
        return;
    }
    if (!GMIME_IS_PART(part))
        return;
    const char *fn = g_mime_part_get_filename((GMimePart *)part);
    *sink += fn ? strlen(fn) : 0;
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    GMimeDataWrapper *w = g_mime_part_get_content((GMimePart *)part);
    if (!w)
        return;
    GMimeStream *null = g_mime_stream_null_new();
    const char *cs = g_mime_content_type_get_parameter(ct, "charset");
    if (g_mime_content_type_is_type(ct, "text", "*") && cs) {
        GMimeStream *f = g_mime_stream_filter_new(null);
        GMimeFilter *conv = g_mime_filter_charset_new(cs, "UTF-8");
        if (conv) {
            g_mime_stream_filter_add((GMimeStreamFilter *)f, conv);
            g_object_unref(conv);
        }
        g_mime_data_wrapper_write_to_stream(w, f);
        g_mime_stream_flush(f);
        g_object_unref(f);
    } else {
        g_mime_data_wrapper_write_to_stream(w, null);
    }
    *sink += (size_t)((GMimeStreamNull *)null)->written;
    g_object_unref(null);
}

static size_t gmime_parse_all(const set *s)
{
    size_t sink = 0;
    for (size_t i = 0; i < s->n; i++) {
        GMimeStream *st = g_mime_stream_mem_new_with_buffer((const char *)s->b[i].data, s->b[i].len);
        GMimeParser *p = g_mime_parser_new_with_stream(st);
        GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
        if (m) {
            gm_headers(GMIME_OBJECT(m), &sink);
            InternetAddressList *l[] = { g_mime_message_get_from(m), g_mime_message_get_to(m),
                                         g_mime_message_get_cc(m) };
            for (size_t k = 0; k < 3; k++) {
                char *t = l[k] ? internet_address_list_to_string(l[k], NULL, FALSE) : NULL;
                sink += t ? strlen(t) : 0;
                g_free(t);
            }
            const char *subj = g_mime_message_get_subject(m);
            sink += subj ? strlen(subj) : 0;
            GMimeObject *body = g_mime_message_get_mime_part(m);
            if (body) {
                if (GMIME_IS_MULTIPART(body))
                    g_mime_message_foreach(m, gm_part, &sink);
                else
                    gm_part(NULL, body, &sink);
            }
            g_object_unref(m);
        }
        g_object_unref(p);
        g_object_unref(st);
    }
    return sink;
}

/* ---- building ---- */

static int count_write(void *ctx, const void *data, size_t len)
{
    (void)data;
    *(size_t *)ctx += len;
    return 0;
}

/* ---- the 200 MB message, in a child ---- */

static int rss_child(void)
{
    char path[] = "/tmp/bench-convert-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    FILE *f = fdopen(fd, "wb+");
    static char line[80];
    uint64_t state = 1;
    fputs("From: big@example.org\r\nTo: you@example.org\r\nSubject: 200 MB\r\n"
          "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BIG\"\r\n\r\n"
          "--BIG\r\nContent-Type: text/plain\r\n\r\nSee the attachments.\r\n", f);
    size_t total = 0;
    for (int a = 0; total < (size_t)200000000; a++) {
        fprintf(f, "--BIG\r\nContent-Type: application/octet-stream; name=\"part%d.bin\"\r\n"
                   "Content-Transfer-Encoding: base64\r\n\r\n", a);
        for (size_t l = 0; l < 250000 && total < (size_t)200000000; l++) {
            static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            for (int k = 0; k < 76; k++) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                line[k] = al[(state >> 58) & 63];
            }
            line[76] = '\r';
            line[77] = '\n';
            fwrite(line, 1, 78, f);
            total += 78;
        }
    }
    fputs("--BIG--\r\n", f);
    fflush(f);
    long size = ftell(f);
    rewind(f);
    uint64_t ids = 0;
    cv_sink sink = { null_begin, null_write, null_end, &ids };
    cv_mime_options opts = { .sink = &sink };
    cv_mime_parser *p = NULL;
    cv_message *m = NULL;
    static char buf[65536];
    size_t got;
    double t0 = now();
    cv_mime_parser_new(&p, &opts);
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        if (cv_mime_parser_feed(p, buf, got) != 0)
            break;
    int rc = cv_mime_parser_finish(p, &m, NULL);
    double t = now() - t0;
    cv_mime_parser_free(p);
    fclose(f);
    unlink(path);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("# 200 MB message: %.1f MB, %zu attachments, rc %d, parsed in %.2f s (%.0f MB/s)\n",
           (double)size / 1e6, m ? m->n_attachments : 0, rc, t, (double)size / 1e6 / t);
    FILE *st = fopen("/proc/self/status", "r");
    char l[256];
    while (st && fgets(l, sizeof l, st))
        if (!strncmp(l, "VmHWM:", 6))
            printf("# child %s", l);   /* the kernel's view, the same figure */
    if (st)
        fclose(st);
    printf("BENCH peak_rss_mb_200mb_message %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    fflush(stdout);
    cv_message_free(m);
    return 0;
}

int main(int argc, char **argv)
{
    const char *corpus = getenv("MAPIDAV_CORPUS");
    set mix = { 0 }, tnefs = { 0 }, rtfs = { 0 }, comp = { 0 };
    double t0, t;
    size_t passes, sink = 0;

    if ((!corpus || !*corpus) && argc > 1)
        corpus = argv[1];
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(rss_child());
    if (pid > 0) {
        int status;
        waitpid(pid, &status, 0);
    }

    if (corpus) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/mime", corpus);
        walk(&mix, dir, keep_mime);
        snprintf(dir, sizeof dir, "%s/tnef", corpus);
        walk(&tnefs, dir, keep_tnef);
    }
    if (mix.n == 0) {
        printf("# no corpus at %s: generated messages are used\n", corpus ? corpus : "(unset)");
        generate_mix(&mix);
    } else {
        printf("# corpus %s: %zu messages, %.2f MB\n", corpus, mix.n, (double)mix.bytes / 1e6);
    }

    /* parse: mapidav */
    mime_parse_all(&mix);   /* warm-up */
    t0 = now();
    for (passes = 0; (t = now() - t0) < 1.0 || passes < 2; passes++)
        mime_parse_all(&mix);
    double ours = (double)mix.bytes * (double)passes / 1e6 / t;
    printf("BENCH mime_parse_mb_per_s %.1f MB/s\n", ours);

    /* parse: GMime */
    g_mime_init();
    sink += gmime_parse_all(&mix);
    t0 = now();
    for (passes = 0; (t = now() - t0) < 1.0 || passes < 2; passes++)
        sink += gmime_parse_all(&mix);
    double theirs = (double)mix.bytes * (double)passes / 1e6 / t;
    printf("BENCH gmime_parse_mb_per_s %.1f MB/s\n", theirs);
    printf("BENCH mime_parse_vs_gmime %.2f x\n", ours / theirs);
    printf("# (GMime decoded %zu bytes per run set)\n", sink / (passes + 1));
    g_mime_shutdown();

    /* build */
    cv_message **msgs = calloc(mix.n, sizeof *msgs);
    for (size_t i = 0; i < mix.n; i++)
        cv_mime_parse(&msgs[i], mix.b[i].data, mix.b[i].len, NULL, NULL);
    size_t out = 0;
    cv_mime_writer w = { count_write, &out };
    cv_mime_build_options bo = { .boundary_seed = "bench" };
    t0 = now();
    for (passes = 0; (t = now() - t0) < 1.0 || passes < 2; passes++)
        for (size_t i = 0; i < mix.n; i++)
            if (msgs[i])
                cv_mime_build(msgs[i], &bo, &w);
    printf("BENCH mime_build_mb_per_s %.1f MB/s\n", (double)out / 1e6 / t);

    /* RTF: the corpus TNEF bodies, and RTF made from the corpus text bodies */
    for (size_t i = 0; i < tnefs.n; i++) {
        cv_tnef *tn = NULL;
        cv_tnef_parse(&tn, tnefs.b[i].data, tnefs.b[i].len, NULL);
        const st_value *v = tn ? st_bag_get(tn->msg->props, PR_RTF_COMPRESSED) : NULL;
        uint8_t *r = NULL;
        size_t rl;
        if (v && cv_rtf_decompress(&r, &rl, v->v.bin.data, v->v.bin.len, 0, CV_RTF_NO_CRC) == 0)
            set_add(&rtfs, r, rl);
        else
            free(r);
        cv_tnef_free(tn);
    }
    size_t from_tnef = rtfs.n;
    for (size_t i = 0; i < mix.n; i++) {
        const st_value *b = msgs[i] ? st_bag_get(msgs[i]->props, PR_BODY) : NULL;
        char *r = NULL;
        size_t rl;
        if (b && strlen(b->v.str) > 200 && cv_text_to_rtf(&r, &rl, b->v.str, strlen(b->v.str)) == 0)
            set_add(&rtfs, (uint8_t *)r, rl);
        else
            free(r);
    }
    printf("# RTF set: %zu from TNEF, %zu from text bodies, %.2f MB\n", from_tnef,
           rtfs.n - from_tnef, (double)rtfs.bytes / 1e6);
    for (size_t i = 0; i < rtfs.n; i++) {
        uint8_t *c = NULL;
        size_t cl;
        if (cv_rtf_compress(&c, &cl, rtfs.b[i].data, rtfs.b[i].len, 0) == 0)
            set_add(&comp, c, cl);
    }
    size_t produced = 0;
    t0 = now();
    for (passes = 0; (t = now() - t0) < 1.0 || passes < 2; passes++)
        for (size_t i = 0; i < comp.n; i++) {
            uint8_t *r = NULL;
            size_t rl = 0;
            cv_rtf_decompress(&r, &rl, comp.b[i].data, comp.b[i].len, 0, 0);
            produced += rl;
            free(r);
        }
    printf("BENCH rtf_decompress_mb_per_s %.1f MB/s\n", (double)produced / 1e6 / t);
    t0 = now();
    for (passes = 0; (t = now() - t0) < 1.0 || passes < 2; passes++)
        for (size_t i = 0; i < rtfs.n; i++) {
            uint8_t *c = NULL;
            size_t cl;
            cv_rtf_compress(&c, &cl, rtfs.b[i].data, rtfs.b[i].len, 0);
            free(c);
        }
    printf("BENCH rtf_compress_mb_per_s %.1f MB/s\n", (double)rtfs.bytes * (double)passes / 1e6 / t);

    for (size_t i = 0; i < mix.n; i++)
        cv_message_free(msgs[i]);
    free(msgs);
    set *all[] = { &mix, &tnefs, &rtfs, &comp };
    for (size_t k = 0; k < 4; k++) {
        for (size_t i = 0; i < all[k]->n; i++)
            free(all[k]->b[i].data);
        free(all[k]->b);
    }
    return 0;
}
