/*
 * cmd_show.c: `mapidav show ITEM [--data]`: a stored message as JSON
 * (convert/json.h): its properties, recipients, attachments and embedded
 * messages, named properties by name (the account catalog's map).
 * Binaries longer than 1 KB show as their size unless --data is given (then
 * attachment bytes kept in the store are read in, up to 64 MB each).
 *
 * The message is read with ds_msgload (the loader the up-sync uses); while
 * that is not available it is read here from storage directly (properties,
 * recipients, attachments, embedded messages; values kept as streams read
 * back, up to 64 MB each).
 *
 * Invariant: read-only. Never: crash on what the store holds (a value is
 * shown as it is, a missing part is left out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"
#include "davsync/msgload.h"
#include "storage/props_tags.h"
#include "tools/account.h"
#include "tools/folders.h"
#include "tools/tool.h"

#define SHOW_MAX_BINARY 1024
#define MAX_EMBED_DEPTH 8
#define STREAM_MAX ((uint64_t)64 << 20)   /* bytes of one streamed value read for show */

/* Values the store keeps as streams come back from st_message_get /
 * st_attach_get as PT_ERROR "too large to return": read them (up to
 * STREAM_MAX bytes; larger ones stay markers) so they show as their text
 * (string properties) or as binaries (their size, or their bytes with
 * --data). */
static int resolve_streams(st_store *s, st_bag *bag, st_id mid, uint32_t attach_num)
{
    for (size_t i = 0; i < st_bag_count(bag); i++) {
        const st_value *v = st_bag_at(bag, i);
        if (PROP_TYPE(v->tag) != PT_ERROR || v->v.err != ST_E_NOT_ENOUGH_MEMORY)
            continue;
        uint32_t id = PROP_ID(v->tag);
        st_stream *r = NULL;
        if (st_stream_open_read(&r, s, mid, attach_num, PROP_TAG(PT_BINARY, id)) != 0)
            continue;   /* shown as the marker */
        uint64_t size = st_stream_size(r);
        char *buf = size <= STREAM_MAX ? malloc((size_t)size + 1) : NULL;
        size_t len = 0, got = 1;
        int code = buf ? 0 : -1;
        while (!code && got && len < size) {
            code = st_stream_read(r, buf + len, (size_t)size - len, &got);
            len += code ? 0 : got;
        }
        if (!code && len == size) {
            buf[len] = 0;
            uint32_t type = PROP_TYPE(st_stream_tag(r));
            int text = (type == PT_UNICODE || type == PT_STRING8) && st_utf8_valid(buf, len);
            code = text ? st_bag_set_str(bag, PROP_TAG(type, id), buf)
                        : st_bag_set_bin(bag, PROP_TAG(PT_BINARY, id), buf, (uint32_t)len);
            if (code) {
                free(buf);
                st_stream_close(r);
                st_error_set("out of memory");
                return ST_ERROR;
            }
        }
        st_stream_close(r);
        free(buf);
    }
    return 0;
}

/* --data with the loader: attachment bytes it left in the store (data_id)
 * are read through its source into PR_ATTACH_DATA_BIN (up to STREAM_MAX
 * each), in m and its embedded messages. m is the loader's, ours to change
 * until ds_msgload_free. */
static int fill_from_source(cv_message *m, const cv_source *src, int depth)
{
    for (size_t i = 0; i < m->n_attachments && depth < MAX_EMBED_DEPTH; i++) {
        cv_attachment *a = &m->attachments[i];
        if (a->embedded && fill_from_source(a->embedded, src, depth + 1) != 0)
            return ST_ERROR;
        if (!a->data_id || !src || a->data_size > STREAM_MAX ||
            st_bag_get(a->props, PR_ATTACH_DATA_BIN))
            continue;
        uint8_t *buf = malloc((size_t)a->data_size + 1);
        size_t len = 0, got = 1;
        int code = buf ? 0 : -1;
        while (!code && got && len < a->data_size) {
            code = src->read(src->ctx, a->data_id, len, buf + len, (size_t)a->data_size - len, &got);
            len += code ? 0 : got;
        }
        if (!buf || (!code && st_bag_set_bin(a->props, PR_ATTACH_DATA_BIN, buf, (uint32_t)len))) {
            st_error_set("out of memory");
            code = -1;
        }
        free(buf);
        if (code)
            return ST_ERROR;   /* the source or the bag said why */
    }
    return 0;
}

/* The stored message mid as a cv_message (without msgload). 0 or the
 * store's code. */
static int read_message(cv_message **out, st_store *s, st_id mid, int depth)
{
    *out = NULL;
    cv_message *m = cv_message_new();
    st_bag *props = NULL, **rows = NULL;
    size_t nr = 0, na = 0;
    uint32_t *nums = NULL;
    if (!m) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    int code = st_message_get(s, &props, mid);
    if (!code)
        code = resolve_streams(s, props, mid, ST_NO_ATTACH);
    if (!code && st_bag_copy_to(m->props, props, NULL, 0, 0) != 0)
        code = ST_ERROR;
    if (!code)
        code = st_recipients_get(s, &rows, &nr, mid);
    for (size_t i = 0; !code && i < nr; i++) {
        st_bag *row = NULL;
        if (cv_message_add_recipient(m, &row) != 0 || st_bag_copy_to(row, rows[i], NULL, 0, 0))
            code = ST_ERROR;
    }
    if (!code)
        code = st_attach_list(s, &nums, &na, mid);
    for (size_t i = 0; !code && i < na; i++) {
        st_bag *ab = NULL;
        cv_attachment *att = NULL;
        code = st_attach_get(s, &ab, mid, nums[i]);
        if (!code)
            code = resolve_streams(s, ab, mid, nums[i]);
        if (!code && (cv_message_add_attachment(m, &att) != 0 ||
                      st_bag_copy_to(att->props, ab, NULL, 0, 0) != 0))
            code = ST_ERROR;
        st_id emb = 0;
        if (!code && depth < MAX_EMBED_DEPTH && st_attach_embedded(s, &emb, mid, nums[i], 0) == 0)
            code = read_message(&att->embedded, s, emb, depth + 1);
        st_bag_free(ab);
    }
    for (size_t i = 0; i < nr; i++)
        st_bag_free(rows[i]);
    free(rows);
    free(nums);
    st_bag_free(props);
    if (code) {
        cv_message_free(m);
        return code;
    }
    *out = m;
    return 0;
}

static uint32_t bag_max_named(const st_bag *b, uint32_t top)
{
    for (size_t i = 0; b && i < st_bag_count(b); i++) {
        uint32_t id = PROP_ID(st_bag_at(b, i)->tag);
        if (id >= 0x8000 && id > top)
            top = id;
    }
    return top;
}

/* The highest named-property id in m and its embedded messages (0: none). */
static uint32_t max_named(const cv_message *m, uint32_t top)
{
    top = bag_max_named(m->props, top);
    for (size_t i = 0; i < m->n_recipients; i++)
        top = bag_max_named(m->recipients[i], top);
    for (size_t i = 0; i < m->n_attachments; i++) {
        top = bag_max_named(m->attachments[i].props, top);
        if (m->attachments[i].embedded)
            top = max_named(m->attachments[i].embedded, top);
    }
    return top;
}

/* Names for ids 0x8000..top from the catalog (json.h's map shape). */
static cv_tnef_named *named_map(st_catalog *cat, uint32_t top, size_t *n)
{
    *n = 0;
    if (top < 0x8000 || top > 0xFFFE)
        return NULL;
    size_t cnt = top - 0x8000 + 1;
    cv_tnef_named *map = calloc(cnt, sizeof *map);
    uint16_t *ids = malloc(cnt * sizeof *ids);
    st_propname *names = calloc(cnt, sizeof *names);
    if (map && ids && names) {
        for (size_t i = 0; i < cnt; i++)
            ids[i] = (uint16_t)(0x8000 + i);
        if (st_catalog_ids_to_names(cat, names, ids, cnt) == 0) {
            for (size_t i = 0; i < cnt; i++) {
                map[i].name = names[i];   /* moved */
                map[i].id = ids[i];
            }
            *n = cnt;
            free(names);
            names = NULL;
        }
    }
    free(ids);
    free(names);
    if (!*n) {
        free(map);
        return NULL;
    }
    return map;
}

static void named_free(cv_tnef_named *map, size_t n)
{
    for (size_t i = 0; i < n; i++)
        st_propname_clear(&map[i].name);
    free(map);
}

int cmd_show(int argc, char **argv)
{
    const char *item;
    int data;
    if (tool_show_args(&item, &data, argc, argv) != 0) {
        fputs("usage: mapidav show ITEM [--data]   (ITEM: an id `mapidav ls FOLDER` shows)\n",
            stderr);
        return 2;
    }
    tool_account *a = NULL;
    st_store *s = NULL;
    st_id mid = 0;
    ds_msgload *l = NULL;
    cv_message *own = NULL;
    cv_tnef_named *map = NULL;
    size_t n_map = 0;
    char *json = NULL;
    size_t json_len = 0;
    int rc = tool_account_open(&a);
    if (!rc)
        rc = tool_account_store(a, &s);
    if (!rc)
        rc = tool_item_find(s, item, &mid, NULL);
    if (rc)
        goto cleanup;
    const cv_message *m = NULL;
    if (ds_msgload_open(&l, s, mid) == 0) {
        m = ds_msgload_message(l);
        if (m && data && fill_from_source((cv_message *)(uintptr_t)m, ds_msgload_source(l), 0)) {
            rc = tool_fail("item %s: %s", item, st_error_last());
            goto cleanup;
        }
    } else if (read_message(&own, s, mid, 0) == 0) {
        m = own;
    } else {
        rc = tool_fail("item %s: %s", item, st_error_last());
        goto cleanup;
    }
    map = named_map(a->cat, max_named(m, 0), &n_map);
    cv_json_options opt = { .named = map, .n_named = n_map,
                            .max_binary = data ? 0 : SHOW_MAX_BINARY };
    if (cv_json_write_message(&json, &json_len, m, &opt) != 0)
        rc = tool_fail("item %s: %s", item, st_error_last());
    else
        rc = tool_write_file(NULL, json, json_len);
cleanup:
    free(json);
    named_free(map, n_map);
    cv_message_free(own);
    ds_msgload_free(l);
    st_store_close(s);
    tool_account_close(a);
    return rc;
}
