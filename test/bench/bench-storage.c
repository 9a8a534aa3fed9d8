/*
 * bench-storage.c: the storage figures the sync thread cares about.
 *
 *   bench-storage [messages] [dir]
 *
 * Imports `messages` (default 100,000) realistic mails - the hot columns
 * Outlook's views use, a dozen other properties, one recipient, a 2 KB
 * plain-text body - through st_import_message, the path the sync thread
 * uses, in 20 ms batches, into a new store; then prints
 *
 *   BENCH import_msgs_per_s <value> msgs/s
 *   BENCH peak_rss_mb <value> MB
 *
 * plus informational lines (file size, a contents-style query). Build it
 * without sanitizers for meaningful numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage.h"

#if defined(_WIN32)
static double peak_rss_mb(void) { return 0; }
static double cpu_seconds(void) { return 0; }
#else
#include <sys/resource.h>
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
        ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}
static double peak_rss_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double mb = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            mb = strtod(line + 6, NULL) / 1024.0;
    if (f)
        fclose(f);
    return mb;
}
#endif

static const char *words[] = { "meeting", "report", "invoice", "project", "status", "update",
    "lunch", "budget", "review", "release", "Grüße", "über", "naïve", "résumé", "plan", "draft" };

static st_bag *mail(int i, st_bag *rcp)
{
    st_bag *b = st_bag_new();
    char subj[160], from[64], body[2049], addr[96];
    snprintf(subj, sizeof subj, "RE: %s %s %d %s", words[i % 16], words[(i / 16) % 16], i,
        words[(i / 7) % 16]);
    snprintf(from, sizeof from, "Sender Name %d", i % 500);
    snprintf(addr, sizeof addr, "sender%d@example.org", i % 500);
    size_t k = 0;
    while (k < 2048) {
        const char *w = words[(k * 7 + (size_t)i) % 16];
        size_t wl = strlen(w);
        if (k + wl + 1 > 2048)
            break;
        memcpy(body + k, w, wl);
        k += wl;
        body[k] = (k % 80) ? ' ' : '\n';
        k++;
    }
    body[k] = 0;
    uint64_t t = UINT64_C(133000000000000000) + (uint64_t)i * 600000000u;
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    st_bag_set_str(b, PR_SUBJECT_W, subj);
    st_bag_set_str(b, PR_NORMALIZED_SUBJECT_W, subj + 4);
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x003D), "RE: ");   /* PR_SUBJECT_PREFIX */
    st_bag_set_str(b, PR_CONVERSATION_TOPIC_W, subj + 4);
    st_bag_set_str(b, PR_SENDER_NAME_W, from);
    st_bag_set_str(b, PR_DISPLAY_TO_W, "Me Myself");
    st_bag_set_str(b, PR_SENT_REPRESENTING_NAME_W, from);
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x0C1F), addr);     /* PR_SENDER_EMAIL_ADDRESS */
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x0C1E), "SMTP");   /* PR_SENDER_ADDRTYPE */
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x1035), "<1234567890.abcdef@example.org>"); /* PR_INTERNET_MESSAGE_ID */
    st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, t);
    st_bag_set_systime(b, PR_CLIENT_SUBMIT_TIME, t - 300000000);
    st_bag_set_systime(b, PR_LAST_MODIFICATION_TIME, t);
    st_bag_set_systime(b, PR_CREATION_TIME, t);
    st_bag_set_long(b, PR_MESSAGE_FLAGS, i % 4 ? 1 : 0);
    st_bag_set_long(b, PR_IMPORTANCE, 1);
    st_bag_set_long(b, PR_ICON_INDEX, 256);
    st_bag_set_long(b, PR_INTERNET_CPID, 65001);
    st_bag_set_long(b, PROP_TAG(PT_LONG, 0x0E17), 0);          /* PR_MSG_STATUS */
    st_bag_set_bool(b, PROP_TAG(PT_BOOLEAN, 0x0057), 1);       /* PR_MESSAGE_TO_ME */
    uint8_t idx[22];
    for (int j = 0; j < 22; j++)
        idx[j] = (uint8_t)(i * 31 + j);
    st_bag_set_bin(b, PROP_TAG(PT_BINARY, 0x0071), idx, 22);   /* PR_CONVERSATION_INDEX */
    st_bag_set_str(b, PR_BODY_W, body);
    (void)rcp;
    return b;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100000;
    char *dir = NULL;
    if (argc > 2) {
        dir = malloc(strlen(argv[2]) + 1);
        strcpy(dir, argv[2]);
    } else if (st_os_tempdir_create(&dir, "mapidav-bench-") != 0) {
        fprintf(stderr, "%s\n", st_error_last());
        return 1;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/bench.sqlite", dir);
    st_os_remove(path);
    st_guid g = { 0xBE7C4, 1, 2, { 3, 4, 5, 6, 7, 8, 9, 10 } };
    st_store *s = NULL;
    if (st_store_open(&s, path, &g, ST_OPEN_CREATE) != 0) {
        fprintf(stderr, "%s\n", st_error_last());
        return 1;
    }
    st_bag *fb = st_bag_new();
    st_id root, inbox;
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Root");
    st_folder_create(s, &root, 0, fb, ST_FROM_SERVER);
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Inbox");
    st_folder_create(s, &inbox, root, fb, ST_FROM_SERVER);
    st_bag_free(fb);
    st_receive_folder_set(s, "", inbox);

    /* Prepare the bags first: we time storage, not bag building. */
    enum { POOL = 1000 };
    st_bag *pool[POOL];
    for (int i = 0; i < POOL; i++)
        pool[i] = mail(i, NULL);
    st_bag *rcp = st_bag_new();
    st_bag_set_str(rcp, PR_DISPLAY_NAME_W, "Me Myself");
    st_bag_set_str(rcp, PR_EMAIL_ADDRESS_W, "me@example.org");
    st_bag_set_long(rcp, PR_RECIPIENT_TYPE, 1);

    st_import *imp = NULL;
    uint64_t t0 = st_os_time_ms();
    double c0 = cpu_seconds();
    if (st_import_begin(&imp, s, 20) != 0)
        return 1;
    int errors = 0;
    for (int i = 0; i < n; i++) {
        char href[64];
        snprintf(href, sizeof href, "/mail/me/Inbox/%d.eml", i);
        if (st_import_message(imp, NULL, inbox, pool[i % POOL], &rcp, 1, href, "\"etag\"") != 0
            && errors++ < 3)
            fprintf(stderr, "import %d: %s\n", i, st_error_last());
    }
    if (st_import_end(imp) != 0)
        errors++;
    uint64_t t1 = st_os_time_ms();
    double cpu = cpu_seconds() - c0;
    double secs = (double)(t1 - t0) / 1000.0;
    if (secs <= 0)
        secs = 0.001;
    st_store_stats st;
    st_store_stats_get(s, &st);
    printf("messages %llu, errors %d, %.2f s, file %.1f MB\n", (unsigned long long)st.messages,
        errors, secs, (double)(st.page_size * st.page_count) / 1048576.0);
    printf("BENCH import_msgs_per_s %.0f msgs/s\n", n / secs);
    if (cpu > 0)   /* informational: what one otherwise idle core would do */
        printf("import_msgs_per_cpu_s %.0f msgs/s (%.2f s CPU)\n", n / cpu, cpu);
    {
        uint64_t i0 = st_os_time_ms();
        double ic0 = cpu_seconds();
        size_t left = 0;
        int r = st_store_index_pending(s, 600000, &left);
        double isecs = (double)(st_os_time_ms() - i0) / 1000.0;
        printf("search indexing (deferred FTS): %s, %.2f s, %.0f msgs/s wall, %.0f per CPU-s, "
            "%zu left\n", r ? st_error_last() : "ok", isecs, isecs > 0 ? n / isecs : 0,
            cpu_seconds() - ic0 > 0 ? n / (cpu_seconds() - ic0) : 0, left);
        st_store_stats_get(s, &st);
        printf("file after indexing %.1f MB\n", (double)(st.page_size * st.page_count) / 1048576.0);
    }
    printf("BENCH peak_rss_mb %.1f MB\n", peak_rss_mb());
    for (int i = 0; i < POOL; i++)
        st_bag_free(pool[i]);
    st_bag_free(rcp);
    st_store_close(s);
    if (argc <= 2)
        st_os_remove_tree(dir);
    free(dir);
    return errors ? 1 : 0;
}
