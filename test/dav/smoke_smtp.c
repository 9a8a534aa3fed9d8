/*
 * smoke_smtp.c: the SMTP fixture (test/fixtures/smtp_server.py) takes a
 * submission, seen through libcurl: AUTH PLAIN on the plain port, AUTH LOGIN
 * after STARTTLS on the STARTTLS port (verified against the test CA), and it
 * refuses a wrong password, a submission without TLS on the STARTTLS port
 * (530) and, on the client side, a server certificate without the CA. Each
 * accepted message must land in MAPIDAV_TEST_SMTP_MAILDIR with its envelope.
 * Run through test/fixtures/serve.py.
 */
#include <dirent.h>
#include <time.h>

#include "davtest.h"

struct mail_result {
    CURLcode rc;                /* curl's result */
    long code;                  /* last SMTP reply code */
    char error[CURL_ERROR_SIZE]; /* curl's message */
};

static struct mail_result send_mail(CURL *h, const char *url, const char *user,
                                    const char *pass, const char *auth, long use_ssl,
                                    const char *ca, const char *subject)
{
    char msg[1024];
    struct dt_upload up;
    struct curl_slist *rcpt = NULL;
    struct mail_result res = { 0 };

    dt_fmt(msg,
           "From: Smoke Test <smoke@example.test>\r\n"
           "To: Somebody <somebody@example.test>\r\n"
           "Subject: %s\r\n"
           "Date: Tue, 02 Jan 2024 10:00:00 +0000\r\n"
           "Message-ID: <%ld.%s@example.test>\r\n"
           "\r\n"
           "Hello from the smoke test.\r\n", subject, (long)time(NULL), auth ? auth : "none");
    up = (struct dt_upload){ msg, strlen(msg), 0 };
    rcpt = curl_slist_append(rcpt, "<somebody@example.test>");

    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, res.error);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, "<smoke@example.test>");
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_USERNAME, user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
    if (auth) {
        char opt[64];
        dt_fmt(opt, "AUTH=%s", auth);
        curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS, opt);
    }
    curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl);
    if (ca)
        curl_easy_setopt(h, CURLOPT_CAINFO, ca);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, dt_read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.len);
    /* a fresh connection each time: each case is about its own session */
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);

    res.rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res.code);
    if (res.rc != CURLE_OK && !res.error[0])
        snprintf(res.error, sizeof(res.error), "%s", curl_easy_strerror(res.rc));
    curl_slist_free_all(rcpt);
    return res;
}

static char *read_file(const char *path)
{
    struct dt_buf b = { 0 };
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        dt_buf_add(&b, chunk, n);
    fclose(f);
    return b.data ? b.data : dt_strdup("");
}

/* Look in the maildir for a message with this Subject, for up to wait_ms.
 * On success returns its envelope file's text (caller frees). */
static char *find_mail(const char *maildir, const char *subject, int wait_ms)
{
    char want[512], path[1024];

    dt_fmt(want, "\r\nSubject: %s\r\n", subject);
    for (int waited = 0;; waited += 50) {
        DIR *d = opendir(maildir);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            char *text;
            if (!dt_ends_with(e->d_name, ".eml"))
                continue;
            dt_fmt(path, "%s/%s", maildir, e->d_name);
            text = read_file(path);
            if (text && strstr(text, want)) {
                free(text);
                /* NNN.eml -> NNN.envelope */
                dt_fmt(path, "%s/%.*s.envelope", maildir, (int)(strlen(e->d_name) - 4), e->d_name);
                closedir(d);
                text = read_file(path);
                return text ? text : dt_strdup("(no envelope)");
            }
            free(text);
        }
        if (d)
            closedir(d);
        if (waited >= wait_ms)
            return NULL;
        test_sleep_ms(50);
    }
}

int main(void)
{
    const char *plain = test_env("MAPIDAV_TEST_SMTP_URL");
    const char *starttls = test_env("MAPIDAV_TEST_SMTP_STARTTLS_URL");
    const char *maildir = test_env("MAPIDAV_TEST_SMTP_MAILDIR");
    const char *user = test_env("MAPIDAV_TEST_USER");
    const char *pass = test_env("MAPIDAV_TEST_PASSWORD");
    const char *ca = test_env("MAPIDAV_TEST_CA");
    struct mail_result res;
    char *env;
    CURL *h;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h = curl_easy_init()))
        test_fatal("libcurl does not initialise\n");

    res = send_mail(h, plain, user, pass, "PLAIN", CURLUSESSL_NONE, NULL, "smoke plain port");
    ok(res.rc == CURLE_OK, "plain port, AUTH PLAIN: curl %d (%s), reply %ld\n",
       res.rc, res.error, res.code);
    env = find_mail(maildir, "smoke plain port", 5000);
    ok(env != NULL, "message sent on the plain port did not arrive in %s\n", maildir);
    if (env) {
        ok(strstr(env, "somebody@example.test") && strstr(env, "\"tls\": false"),
           "plain port envelope: %s\n", env);
        free(env);
    }

    res = send_mail(h, plain, user, "wrong password", "PLAIN", CURLUSESSL_NONE, NULL,
                    "smoke wrong password");
    ok(res.rc == CURLE_LOGIN_DENIED, "wrong password: curl %d (%s), reply %ld, want %d\n",
       res.rc, res.error, res.code, CURLE_LOGIN_DENIED);

    res = send_mail(h, starttls, user, pass, "LOGIN", CURLUSESSL_ALL, ca, "smoke starttls port");
    ok(res.rc == CURLE_OK, "STARTTLS port with TLS, AUTH LOGIN: curl %d (%s), reply %ld\n",
       res.rc, res.error, res.code);
    env = find_mail(maildir, "smoke starttls port", 5000);
    ok(env != NULL, "message sent after STARTTLS did not arrive in %s\n", maildir);
    if (env) {
        ok(strstr(env, "\"tls\": true") != NULL, "STARTTLS envelope: %s\n", env);
        free(env);
    }

    res = send_mail(h, starttls, user, pass, NULL, CURLUSESSL_NONE, NULL, "smoke no tls");
    ok(res.rc != CURLE_OK && res.code == 530,
       "STARTTLS port without TLS: curl %d (%s), reply %ld, want a 530 refusal\n",
       res.rc, res.error, res.code);

    res = send_mail(h, starttls, user, pass, NULL, CURLUSESSL_ALL, NULL, "smoke unknown ca");
    ok(res.rc == CURLE_PEER_FAILED_VERIFICATION,
       "STARTTLS without the test CA: curl %d (%s), want %d (verification failed)\n",
       res.rc, res.error, CURLE_PEER_FAILED_VERIFICATION);

    /* The refused ones must not have been stored (the accepted ones were
     * written before their 250, so no wait is needed). */
    env = find_mail(maildir, "smoke wrong password", 0);
    ok(env == NULL, "message with a wrong password was stored\n");
    free(env);
    env = find_mail(maildir, "smoke no tls", 0);
    ok(env == NULL, "message without STARTTLS was stored\n");
    free(env);
    env = find_mail(maildir, "smoke unknown ca", 0);
    ok(env == NULL, "message over an unverified TLS session was stored\n");
    free(env);

    curl_easy_cleanup(h);
    curl_global_cleanup();
    return test_done();
}
