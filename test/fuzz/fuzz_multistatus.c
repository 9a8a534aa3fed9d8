/*
 * fuzz_multistatus.c: the streaming DAV:multistatus reader (davsync/xml.h)
 * on arbitrary bytes. The first byte picks the chunk size, so the same
 * document is also fed in pieces; the rest is the body.
 * Invariant checked: no crash, leak or sanitizer report; every field handed
 * to the callback is a readable string; a response's url lies inside the
 * request URL. Never: network or file access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"
#include "davsync/xml.h"

static int on_response(void *arg, const ds_ms_response *r)
{
    size_t *sum = arg;
    *sum += strlen(r->url) + strlen(r->path);
    if (!ds_href_is_inside(r->url, "http://localhost:8080/dav/"))
        abort();
    const char *s[] = { r->etag, r->ctag, r->last_modified, r->content_type, r->displayname,
                        r->sync_token, r->current_user_principal, r->calendar_home_set,
                        r->addressbook_home_set };
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        if (s[i])
            *sum += strlen(s[i]);
    for (size_t i = 0; i < r->nprops; i++)
        *sum += strlen(r->props[i].ns) + strlen(r->props[i].name) + strlen(r->props[i].value);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ds_ms_parser *p = NULL;
    size_t sum = 0, chunk;
    ds_ms_config cfg = { .request_url = "http://localhost:8080/dav/", .on_response = on_response,
                         .arg = &sum, .max_text = 4096, .max_depth = 32, .max_props = 64 };
    int rc;

    if (size < 1)
        return 0;
    chunk = data[0] ? data[0] : size;
    data++;
    size--;
    if (ds_ms_parser_new(&p, &cfg) != 0)
        return 0;
    rc = 0;
    for (size_t off = 0; rc == 0 && off < size; off += chunk)
        rc = ds_ms_feed(p, (const char *)data + off, size - off < chunk ? size - off : chunk);
    if (rc == 0)
        (void)ds_ms_finish(p);
    (void)ds_ms_sync_token(p);
    ds_ms_parser_free(p);
    return 0;
}
