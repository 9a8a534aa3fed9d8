/*
 * test_props_tags.c: storage/props_tags.h, props_guids.h and their tables.
 *
 * Checks tag, flag and GUID values against literals copied from [MS-OXPROPS]
 * (and [MS-OXCMSG], [MS-OXCDATA], the MAPI reference) rather than against
 * our own macros, so a wrong value in the header fails here; then the name
 * table both ways, GUID text both ways (bad text refused), and the
 * named-property table.
 *
 * On Windows this file includes the mingw-w64 MAPI headers first, as
 * provider/ does: the build itself then checks that our headers add to them
 * without a redefinition, and the literals check the values that win.
 * Never: include a MAPI header when not on Windows.
 */
#ifdef _WIN32
#include <windows.h>
#include <mapidefs.h>
#include <mapitags.h>
#include <mapicode.h>
#endif

#include <stdint.h>
#include <string.h>

#include "storage/error.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"
#include "testutil.h"

#define CHECK_TAG(tag, want) \
    ok((uint32_t)(tag) == (uint32_t)(want), "%s: got 0x%08lX, want 0x%08lX\n", #tag, \
        (unsigned long)(uint32_t)(tag), (unsigned long)(uint32_t)(want))

/* Tags, from the "Property ID" and "Data type" of [MS-OXPROPS]. */
static void test_tag_values(void)
{
    CHECK_TAG(PR_NULL, 0x00000001);
    CHECK_TAG(PR_IMPORTANCE, 0x00170003);
    CHECK_TAG(PR_MESSAGE_CLASS, 0x001A001F);
    CHECK_TAG(PR_MESSAGE_CLASS_A, 0x001A001E);
    CHECK_TAG(PR_PRIORITY, 0x00260003);
    CHECK_TAG(PR_READ_RECEIPT_REQUESTED, 0x0029000B);
    CHECK_TAG(PR_SENSITIVITY, 0x00360003);
    CHECK_TAG(PR_SUBJECT, 0x0037001F);
    CHECK_TAG(PR_SUBJECT_W, 0x0037001F);
    CHECK_TAG(PR_SUBJECT_A, 0x0037001E);
    CHECK_TAG(PR_CLIENT_SUBMIT_TIME, 0x00390040);
    CHECK_TAG(PR_SUBJECT_PREFIX_W, 0x003D001F);
    CHECK_TAG(PR_SENT_REPRESENTING_NAME_W, 0x0042001F);
    CHECK_TAG(PR_CONVERSATION_TOPIC_W, 0x0070001F);
    CHECK_TAG(PR_CONVERSATION_INDEX, 0x00710102);
    CHECK_TAG(PR_TRANSPORT_MESSAGE_HEADERS_W, 0x007D001F);
    CHECK_TAG(PR_RECIPIENT_TYPE, 0x0C150003);
    CHECK_TAG(PR_SENDER_ENTRYID, 0x0C190102);
    CHECK_TAG(PR_SENDER_EMAIL_ADDRESS_W, 0x0C1F001F);
    CHECK_TAG(PR_DISPLAY_TO_W, 0x0E04001F);
    CHECK_TAG(PR_MESSAGE_DELIVERY_TIME, 0x0E060040);
    CHECK_TAG(PR_MESSAGE_FLAGS, 0x0E070003);
    CHECK_TAG(PR_MESSAGE_SIZE, 0x0E080003);
    CHECK_TAG(PR_MESSAGE_SIZE_EXTENDED, 0x0E080014);
    CHECK_TAG(PR_MSG_STATUS, 0x0E170003);
    CHECK_TAG(PR_HASATTACH, 0x0E1B000B);
    CHECK_TAG(PR_NORMALIZED_SUBJECT_W, 0x0E1D001F);
    CHECK_TAG(PR_RTF_IN_SYNC, 0x0E1F000B);
    CHECK_TAG(PR_TODO_ITEM_FLAGS, 0x0E2B0003);
    CHECK_TAG(PR_INSTANCE_KEY, 0x0FF60102);
    CHECK_TAG(PR_ROW_TYPE, 0x0FF50003);
    CHECK_TAG(PR_RECORD_KEY, 0x0FF90102);
    CHECK_TAG(PR_STORE_ENTRYID, 0x0FFB0102);
    CHECK_TAG(PR_OBJECT_TYPE, 0x0FFE0003);
    CHECK_TAG(PR_ENTRYID, 0x0FFF0102);
    CHECK_TAG(PR_BODY_W, 0x1000001F);
    CHECK_TAG(PR_RTF_COMPRESSED, 0x10090102);
    CHECK_TAG(PR_HTML, 0x10130102);
    CHECK_TAG(PR_BODY_HTML_W, 0x1013001F);
    CHECK_TAG(PR_NATIVE_BODY_INFO, 0x10160003);
    CHECK_TAG(PR_INTERNET_MESSAGE_ID_W, 0x1035001F);
    CHECK_TAG(PR_INTERNET_REFERENCES_W, 0x1039001F);
    CHECK_TAG(PR_IN_REPLY_TO_ID_W, 0x1042001F);
    CHECK_TAG(PR_ICON_INDEX, 0x10800003);
    CHECK_TAG(PR_FLAG_STATUS, 0x10900003);
    CHECK_TAG(PR_ATTR_HIDDEN, 0x10F4000B);
    CHECK_TAG(PR_DISPLAY_NAME_W, 0x3001001F);
    CHECK_TAG(PR_CREATION_TIME, 0x30070040);
    CHECK_TAG(PR_LAST_MODIFICATION_TIME, 0x30080040);
    CHECK_TAG(PR_SEARCH_KEY, 0x300B0102);
    CHECK_TAG(PR_STORE_SUPPORT_MASK, 0x340D0003);
    CHECK_TAG(PR_STORE_UNICODE_MASK, 0x340F0003);
    CHECK_TAG(PR_MDB_PROVIDER, 0x34140102);
    CHECK_TAG(PR_VALID_FOLDER_MASK, 0x35DF0003);
    CHECK_TAG(PR_IPM_SUBTREE_ENTRYID, 0x35E00102);
    CHECK_TAG(PR_FINDER_ENTRYID, 0x35E70102);
    CHECK_TAG(PR_CONTENT_COUNT, 0x36020003);
    CHECK_TAG(PR_CONTENT_UNREAD, 0x36030003);
    CHECK_TAG(PR_SUBFOLDERS, 0x360A000B);
    CHECK_TAG(PR_CONTAINER_CLASS_W, 0x3613001F);
    CHECK_TAG(PR_ASSOC_CONTENT_COUNT, 0x36170003);
    CHECK_TAG(PR_IPM_APPOINTMENT_ENTRYID, 0x36D00102);
    CHECK_TAG(PR_IPM_DRAFTS_ENTRYID, 0x36D70102);
    CHECK_TAG(PR_REM_ONLINE_ENTRYID, 0x36D50102);
    CHECK_TAG(PR_ADDITIONAL_REN_ENTRYIDS, 0x36D81102);
    CHECK_TAG(PR_ADDITIONAL_REN_ENTRYIDS_EX, 0x36D90102);
    CHECK_TAG(PR_EXTENDED_FOLDER_FLAGS, 0x36DA0102);
    CHECK_TAG(PR_FREEBUSY_ENTRYIDS, 0x36E41102);
    CHECK_TAG(PR_ATTACH_DATA_BIN, 0x37010102);
    CHECK_TAG(PR_ATTACH_DATA_OBJ, 0x3701000D);
    CHECK_TAG(PR_ATTACH_METHOD, 0x37050003);
    CHECK_TAG(PR_ATTACH_LONG_FILENAME_W, 0x3707001F);
    CHECK_TAG(PR_RENDERING_POSITION, 0x370B0003);
    CHECK_TAG(PR_ATTACH_MIME_TAG_W, 0x370E001F);
    CHECK_TAG(PR_ATTACH_CONTENT_ID_W, 0x3712001F);
    CHECK_TAG(PR_ATTACH_FLAGS, 0x37140003);
    CHECK_TAG(PR_DISPLAY_TYPE, 0x39000003);
    CHECK_TAG(PR_SMTP_ADDRESS_W, 0x39FE001F);
    CHECK_TAG(PR_SERVICE_ENTRY_NAME, 0x3D0B001E);
    CHECK_TAG(PR_RESOURCE_FLAGS, 0x30090003);
    CHECK_TAG(PR_OWN_STORE_ENTRYID, 0x3E060102);
    CHECK_TAG(PR_INTERNET_CPID, 0x3FDE0003);
    CHECK_TAG(PR_MESSAGE_LOCALE_ID, 0x3FF10003);
    CHECK_TAG(PR_MESSAGE_CODEPAGE, 0x3FFD0003);
    CHECK_TAG(PR_SENDER_SMTP_ADDRESS_W, 0x5D01001F);
    CHECK_TAG(PR_SENT_REPRESENTING_SMTP_ADDRESS_W, 0x5D02001F);
    CHECK_TAG(PR_SOURCE_KEY, 0x65E00102);
    CHECK_TAG(PR_PARENT_SOURCE_KEY, 0x65E10102);
    CHECK_TAG(PR_CHANGE_KEY, 0x65E20102);
    CHECK_TAG(PR_PREDECESSOR_CHANGE_LIST, 0x65E30102);
    CHECK_TAG(PR_IPM_FAVORITES_ENTRYID, 0x66300102);
    CHECK_TAG(PR_FOLDER_CHILD_COUNT, 0x66380003);
    CHECK_TAG(PR_LOCAL_COMMIT_TIME_MAX, 0x670A0040);
    CHECK_TAG(PR_DELETED_COUNT_TOTAL, 0x670B0003);
    CHECK_TAG(PR_ROAMING_XMLSTREAM, 0x7C080102);
    CHECK_TAG(PR_ATTACHMENT_HIDDEN, 0x7FFE000B);
    /* multi-valued strings and aliases */
    CHECK_TAG(PR_CONTACT_EMAIL_ADDRESSES_W, 0x3A56101F);
    CHECK_TAG(PR_CONTACT_EMAIL_ADDRESSES_A, 0x3A56101E);
    CHECK_TAG(PR_OFFICE_TELEPHONE_NUMBER_W, PR_BUSINESS_TELEPHONE_NUMBER_W);
    CHECK_TAG(PR_BUSINESS_ADDRESS_CITY_W, 0x3A27001F);
}

/* Flags and constants, from [MS-OXPROPS], [MS-OXCMSG], [MS-OXCDATA] and the
 * MAPI reference's pages for the properties they belong to. */
static void test_flag_values(void)
{
    CHECK_TAG(STORE_ENTRYID_UNIQUE, 0x00000001);
    CHECK_TAG(STORE_SEARCH_OK, 0x00000004);
    CHECK_TAG(STORE_RTF_OK, 0x00000800);
    CHECK_TAG(STORE_UNCOMPRESSED_RTF, 0x00008000);
    CHECK_TAG(STORE_HTML_OK, 0x00010000);
    CHECK_TAG(STORE_ANSI_OK, 0x00020000);
    CHECK_TAG(STORE_UNICODE_OK, 0x00040000);
    CHECK_TAG(STORE_ITEMPROC, 0x00200000);
    CHECK_TAG(STORE_PUSHER_OK, 0x00800000);
    CHECK_TAG(STORE_HAS_SEARCHES, 0x01000000);
    CHECK_TAG(STORE_RULES_OK, 0x10000000);
    CHECK_TAG(FOLDER_IPM_SUBTREE_VALID | FOLDER_FINDER_VALID, 0x00000081);
    CHECK_TAG(MSGFLAG_READ | MSGFLAG_UNSENT | MSGFLAG_ASSOCIATED, 0x00000049);
    CHECK_TAG(MSGFLAG_ORIGIN_INTERNET, 0x00002000);
    CHECK_TAG(MSGSTATUS_IN_CONFLICT, 0x00000800);
    CHECK_TAG(MSGSTATUS_REMOTE_DELETE, 0x00002000);
    CHECK_TAG(MAPI_FOLDER, 3);
    CHECK_TAG(MAPI_ATTACH, 7);
    CHECK_TAG(FOLDER_SEARCH, 2);
    CHECK_TAG(MAPI_BCC, 3);
    CHECK_TAG(ATTACH_EMBEDDED_MSG, 5);
    CHECK_TAG(ATTACH_BY_WEB_REF, 7);
    CHECK_TAG(ATT_MHTML_REF, 4);
    CHECK_TAG(MAPI_NATIVE_BODY, 0x00010000);
    CHECK_TAG(ST_NATIVE_BODY_HTML, 3);
    CHECK_TAG(TBL_COLLAPSED_CATEGORY, 4);
    CHECK_TAG(TABLE_RELOAD, 9);
    CHECK_TAG(fnevNewMail, 0x00000002);
    CHECK_TAG(fnevTableModified, 0x00000100);
    CHECK_TAG(fnevExtended, 0x80000000);
    CHECK_TAG(MAPI_STORE_PROVIDER, 33);
    CHECK_TAG(STATUS_DEFAULT_STORE, 0x00000002);
    CHECK_TAG(MNID_STRING, 1);
    ok(IMPORTANCE_HIGH == 2 && PRIO_NONURGENT == -1 && SENSITIVITY_PRIVATE == 2,
        "importance, priority or sensitivity values\n");
    /* restrictions: mostly from storage/props.h, checked here all the same */
    CHECK_TAG(RES_SUBRESTRICTION, 9);
    CHECK_TAG(RES_COMMENT, 10);
    CHECK_TAG(RES_COUNT, 11);
    CHECK_TAG(RES_ANNOTATION, 12);
    CHECK_TAG(RELOP_RE, 6);
    CHECK_TAG(FL_IGNORECASE | FL_LOOSE, 0x00050000);
    CHECK_TAG(BMR_NEZ, 1);
    CHECK_TAG(TABLE_SORT_COMBINE, 2);
    /* error codes */
    CHECK_TAG(MAPI_E_NOT_FOUND, 0x8004010F);
    CHECK_TAG(MAPI_E_NO_SUPPORT, 0x80040102);
    CHECK_TAG(MAPI_E_INVALID_PARAMETER, 0x80070057);
    CHECK_TAG(MAPI_E_CALL_FAILED, 0x80004005);
    CHECK_TAG(MAPI_E_NOT_ENOUGH_MEMORY, 0x8007000E);
    CHECK_TAG(MAPI_E_COLLISION, 0x80040604);
    CHECK_TAG(MAPI_E_AMBIGUOUS_RECIP, 0x80040700);
    CHECK_TAG(MAPI_W_ERRORS_RETURNED, 0x00040380);
    ok(MAPI_E_NOT_FOUND < 0, "MAPI_E_NOT_FOUND must be a negative SCODE\n");
}

/* Every property set, as [MS-OXPROPS] 1.3.2 writes it. */
static const struct {
    const st_guid *guid;
    const char *text;
    const char *name;
} sets[] = {
    { &ST_PS_MAPI, "{00020328-0000-0000-C000-000000000046}", "PS_MAPI" },
    { &ST_PS_PUBLIC_STRINGS, "{00020329-0000-0000-C000-000000000046}", "PS_PUBLIC_STRINGS" },
    { &ST_PS_INTERNET_HEADERS, "{00020386-0000-0000-C000-000000000046}", "PS_INTERNET_HEADERS" },
    { &ST_PSETID_Appointment, "{00062002-0000-0000-C000-000000000046}", "PSETID_Appointment" },
    { &ST_PSETID_Task, "{00062003-0000-0000-C000-000000000046}", "PSETID_Task" },
    { &ST_PSETID_Address, "{00062004-0000-0000-C000-000000000046}", "PSETID_Address" },
    { &ST_PSETID_Common, "{00062008-0000-0000-C000-000000000046}", "PSETID_Common" },
    { &ST_PSETID_Log, "{0006200A-0000-0000-C000-000000000046}", "PSETID_Log" },
    { &ST_PSETID_Note, "{0006200E-0000-0000-C000-000000000046}", "PSETID_Note" },
    { &ST_PSETID_Report, "{00062013-0000-0000-C000-000000000046}", "PSETID_Report" },
    { &ST_PSETID_Remote, "{00062014-0000-0000-C000-000000000046}", "PSETID_Remote" },
    { &ST_PSETID_Sharing, "{00062040-0000-0000-C000-000000000046}", "PSETID_Sharing" },
    { &ST_PSETID_PostRss, "{00062041-0000-0000-C000-000000000046}", "PSETID_PostRss" },
    { &ST_PSETID_Meeting, "{6ED8DA90-450B-101B-98DA-00AA003F1305}", "PSETID_Meeting" },
    { &ST_PSETID_Messaging, "{41F28F13-83F4-4114-A584-EEDB5A6B0BFF}", "PSETID_Messaging" },
    { &ST_PSETID_UnifiedMessaging, "{4442858E-A9E3-4E80-B900-317A210CC15B}",
        "PSETID_UnifiedMessaging" },
    { &ST_PSETID_AirSync, "{71035549-0739-4DCB-9163-00F0580DBBDF}", "PSETID_AirSync" },
    { &ST_PSETID_Attachment, "{96357F7F-59E1-47D0-99A7-46515C183B54}", "PSETID_Attachment" },
    { &ST_PSETID_CalendarAssistant, "{11000E07-B51B-40D6-AF21-CAA85EDAB1D0}",
        "PSETID_CalendarAssistant" },
    { &ST_PSETID_XmlExtractedEntities, "{23239608-685D-4732-9C55-4C95CB4E8E33}",
        "PSETID_XmlExtractedEntities" },
};

#define N_SETS (sizeof sets / sizeof sets[0])

/* s with every A-F turned to a-f, into buf. */
static const char *lower(char *buf, const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++)
        buf[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
    buf[i] = '\0';
    return buf;
}

static void test_guids(void)
{
    char text[ST_GUID_STRING_SIZE], buf[64];
    st_guid g;
    size_t i, j;

    for (i = 0; i < N_SETS; i++) {
        const char *t = sets[i].text;
        ok(strcmp(st_guid_to_string(text, sets[i].guid), t) == 0, "%s: printed as %s\n",
            sets[i].name, text);
        memset(&g, 0xAA, sizeof g);
        ok(st_guid_from_string(&g, t) == 0 && st_guid_equal(&g, sets[i].guid),
            "%s: %s does not parse back\n", sets[i].name, t);
        memset(&g, 0xAA, sizeof g);
        ok(st_guid_from_string(&g, lower(buf, t)) == 0 && st_guid_equal(&g, sets[i].guid),
            "%s: lower case %s refused\n", sets[i].name, buf);
        memcpy(buf, t + 1, 36);
        buf[36] = '\0';
        memset(&g, 0xAA, sizeof g);
        ok(st_guid_from_string(&g, buf) == 0 && st_guid_equal(&g, sets[i].guid),
            "%s: %s without braces refused\n", sets[i].name, buf);
        ok(st_guid_set_name(sets[i].guid) && strcmp(st_guid_set_name(sets[i].guid),
            sets[i].name) == 0, "%s: set name %s\n", sets[i].name,
            st_guid_set_name(sets[i].guid) ? st_guid_set_name(sets[i].guid) : "NULL");
        for (j = 0; j < N_SETS; j++)
            if (j != i)
                ok(!st_guid_equal(sets[i].guid, sets[j].guid), "%s equals %s\n",
                    sets[i].name, sets[j].name);
    }

    /* Byte order: data1..3 are numbers, data4 bytes as written. */
    ok(ST_PSETID_Meeting.data1 == 0x6ED8DA90 && ST_PSETID_Meeting.data2 == 0x450B
        && ST_PSETID_Meeting.data3 == 0x101B && ST_PSETID_Meeting.data4[0] == 0x98
        && ST_PSETID_Meeting.data4[7] == 0x05, "PSETID_Meeting fields\n");

    {
        static const char *const bad[] = {
            "",
            "{}",
            "{00062002-0000-0000-C000-000000000046",        /* no closing brace */
            "00062002-0000-0000-C000-000000000046}",        /* no opening brace */
            "(00062002-0000-0000-C000-000000000046)",
            "{{00062002-0000-0000-C000-000000000046}}",
            "00062002-0000-0000-C000-00000000004",          /* short */
            "00062002-0000-0000-C000-0000000000466",        /* long */
            "00062002000000000C000000000000046000",         /* no dashes */
            "00062002-0000-0000-C0000-00000000046",         /* dash misplaced */
            "0006200G-0000-0000-C000-000000000046",         /* not hex */
            "00062002-0000-0000-C000-00000000004 ",         /* space */
            " 00062002-0000-0000-C000-00000000004",
            "+0062002-0000-0000-C000-000000000046",
            "0x062002-0000-0000-C000-000000000046",
            "00062002-0000-0000-C000-000000000046\n",
        };
        static const st_guid canary = { 1, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } };

        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            g = canary;
            st_error_clear();
            ok(st_guid_from_string(&g, bad[i]) == -1, "bad GUID \"%s\" accepted\n", bad[i]);
            ok(st_guid_equal(&g, &canary), "bad GUID \"%s\" changed *out\n", bad[i]);
            ok(st_error_last()[0] != '\0', "bad GUID \"%s\": no message\n", bad[i]);
        }
        g = canary;
        ok(st_guid_from_string(&g, NULL) == -1 && st_guid_equal(&g, &canary),
            "NULL GUID text accepted\n");
    }

    g = ST_PSETID_Common;
    g.data4[7] ^= 1;
    ok(st_guid_set_name(&g) == NULL, "near miss of PSETID_Common has a name\n");
    ok(!st_guid_equal(&g, &ST_PSETID_Common), "near miss equals PSETID_Common\n");
}

static void check_name(uint32_t tag, const char *want)
{
    const char *got = st_prop_tag_name(tag);

    if (want)
        ok(got && strcmp(got, want) == 0, "0x%08lX: got %s, want %s\n", (unsigned long)tag,
            got ? got : "NULL", want);
    else
        ok(got == NULL, "0x%08lX: got %s, want NULL\n", (unsigned long)tag, got);
}

static void check_parse(const char *name, uint32_t want)
{
    uint32_t tag = 0xDEADBEEF;
    int r = st_prop_tag_from_name(&tag, name);

    ok(r == 0 && tag == want, "\"%s\": r %d, 0x%08lX, want 0x%08lX\n", name, r,
        (unsigned long)tag, (unsigned long)want);
}

static void check_parse_fails(const char *name)
{
    uint32_t tag = 0xDEADBEEF;

    st_error_clear();
    ok(st_prop_tag_from_name(&tag, name) == -1 && tag == 0xDEADBEEF,
        "\"%s\" accepted as 0x%08lX\n", name ? name : "NULL", (unsigned long)tag);
    ok(st_error_last()[0] != '\0', "\"%s\": no message\n", name ? name : "NULL");
}

static void test_names(void)
{
    uint32_t tag, prev = 0;
    const char *name;
    size_t i, n = 0;
    int ordered = 1, round_trip = 1;

    /* exact */
    check_name(0x0037001F, "PR_SUBJECT_W");
    check_name(0x0037001E, "PR_SUBJECT_A");
    check_name(0x0E070003, "PR_MESSAGE_FLAGS");
    check_name(0x10130102, "PR_HTML");
    check_name(0x1013001F, "PR_BODY_HTML_W");
    check_name(0x3701000D, "PR_ATTACH_DATA_OBJ");
    check_name(0x37010102, "PR_ATTACH_DATA_BIN");
    check_name(0x36D81102, "PR_ADDITIONAL_REN_ENTRYIDS");
    check_name(0x3A56101F, "PR_CONTACT_EMAIL_ADDRESSES_W");
    check_name(0x3A08001F, "PR_BUSINESS_TELEPHONE_NUMBER_W");
    check_name(0x00000001, "PR_NULL");
    /* known id, other type: the id's plain name */
    check_name(0x0037000A, "PR_SUBJECT");
    check_name(0x00370000, "PR_SUBJECT");
    check_name(0x0E07000A, "PR_MESSAGE_FLAGS");
    check_name(0x3FDE0102, "PR_INTERNET_CPID");
    check_name(0x3A56001F, "PR_CONTACT_EMAIL_ADDRESSES");
    /* unknown ids, named properties */
    check_name(0x0000001F, NULL);
    check_name(0x001C0003, NULL);
    check_name(0x80000003, NULL);
    check_name(0x8501000B, NULL);
    check_name(0xFFFF0102, NULL);

    check_parse("PR_SUBJECT", 0x0037001F);
    check_parse("PR_SUBJECT_W", 0x0037001F);
    check_parse("PR_SUBJECT_A", 0x0037001E);
    check_parse("pr_subject", 0x0037001F);
    check_parse("Pr_Subject_a", 0x0037001E);
    check_parse("PR_MESSAGE_FLAGS", 0x0E070003);
    check_parse("PR_CONTACT_EMAIL_ADDRESSES", 0x3A56101F);
    check_parse("PR_OFFICE_TELEPHONE_NUMBER", 0x3A08001F);
    check_parse("PR_OFFICE_TELEPHONE_NUMBER_A", 0x3A08001E);
    check_parse("PR_BUSINESS_ADDRESS_CITY", 0x3A27001F);
    check_parse("PR_NULL", 0x00000001);
    check_parse("0x0037001F", 0x0037001F);
    check_parse("0X0037001f", 0x0037001F);
    check_parse("0x85010003", 0x85010003);
    check_parse("0x1", 0x00000001);
    check_parse("0xffffffff", 0xFFFFFFFF);

    check_parse_fails(NULL);
    check_parse_fails("");
    check_parse_fails("PR_");
    check_parse_fails("PR_NO_SUCH_TAG");
    check_parse_fails("PR_MESSAGE_FLAGS_W");  /* not a string tag */
    check_parse_fails("PR_SUBJECT_X");
    check_parse_fails(" PR_SUBJECT");
    check_parse_fails("PR_SUBJECT ");
    check_parse_fails("PidTagSubject");
    check_parse_fails("0x");
    check_parse_fails("0x123456789");
    check_parse_fails("0x0037001G");
    check_parse_fails("0x-1");
    check_parse_fails("0x 37");
    check_parse_fails("37001F");

    /* The whole table: strictly increasing, and each name parses back to its
     * tag and is the name of that tag. */
    for (i = 0; (name = st_prop_tag_at(&tag, i)) != NULL; i++, n++) {
        uint32_t back = 0;
        const char *again = st_prop_tag_name(tag);

        if (i > 0 && tag <= prev) {
            ordered = 0;
            ok(0, "table out of order: %s (0x%08lX) after 0x%08lX\n", name,
                (unsigned long)tag, (unsigned long)prev);
        }
        if (st_prop_tag_from_name(&back, name) != 0 || back != tag || !again
            || strcmp(again, name) != 0) {
            round_trip = 0;
            ok(0, "%s (0x%08lX) does not round-trip\n", name, (unsigned long)tag);
        }
        prev = tag;
    }
    ok(ordered, "table order\n");
    ok(round_trip, "table round trip\n");
    ok(n > 600, "only %lu tags named\n", (unsigned long)n);
    ok(st_prop_tag_at(NULL, 0) != NULL, "st_prop_tag_at(NULL, 0)\n");
    ok(st_prop_tag_at(&tag, n) == NULL, "st_prop_tag_at past the end\n");
}

static void test_named_props(void)
{
    const st_named_prop_info *p;
    size_t i, n = 0;

    /* [MS-OXPROPS]: set, LID, type */
    p = st_named_prop_by_lid(&ST_PSETID_Appointment, 0x820D);
    ok(p && strcmp(p->canonical, "PidLidAppointmentStartWhole") == 0 && p->type == PT_SYSTIME,
        "PidLidAppointmentStartWhole\n");
    ok(ST_LID_APPOINTMENT_START_WHOLE == 0x820D && ST_LID_APPOINTMENT_END_WHOLE == 0x820E
        && ST_LID_APPOINTMENT_RECUR == 0x8216 && ST_LID_BUSY_STATUS == 0x8205
        && ST_LID_LOCATION == 0x8208 && ST_LID_APPOINTMENT_SUB_TYPE == 0x8215,
        "appointment LIDs\n");
    ok(ST_LID_REMINDER_DELTA == 0x8501 && ST_LID_REMINDER_TIME == 0x8502
        && ST_LID_REMINDER_SET == 0x8503 && ST_LID_REMINDER_SIGNAL_TIME == 0x8560
        && ST_LID_PRIVATE == 0x8506 && ST_LID_SMART_NO_ATTACH == 0x8514
        && ST_LID_COMMON_START == 0x8516 && ST_LID_COMMON_END == 0x8517
        && ST_LID_FLAG_REQUEST == 0x8530 && ST_LID_TO_DO_ORDINAL_DATE == 0x85A0
        && ST_LID_TO_DO_SUB_ORDINAL == 0x85A1 && ST_LID_TO_DO_TITLE == 0x85A4,
        "common LIDs\n");
    ok(ST_LID_TASK_STATUS == 0x8101 && ST_LID_PERCENT_COMPLETE == 0x8102
        && ST_LID_TASK_START_DATE == 0x8104 && ST_LID_TASK_DUE_DATE == 0x8105
        && ST_LID_TASK_COMPLETE == 0x811C, "task LIDs\n");
    ok(ST_LID_FILE_UNDER == 0x8005 && ST_LID_EMAIL1_DISPLAY_NAME == 0x8080
        && ST_LID_EMAIL1_ADDRESS_TYPE == 0x8082 && ST_LID_EMAIL1_EMAIL_ADDRESS == 0x8083
        && ST_LID_EMAIL1_ORIGINAL_DISPLAY_NAME == 0x8084
        && ST_LID_EMAIL1_ORIGINAL_ENTRY_ID == 0x8085, "contact LIDs\n");
    ok(ST_LID_NOTE_COLOR == 0x8B00 && ST_LID_GLOBAL_OBJECT_ID == 0x0003
        && ST_LID_CLEAN_GLOBAL_OBJECT_ID == 0x0023, "note and meeting LIDs\n");

    p = st_named_prop_by_lid(&ST_PSETID_Task, ST_LID_PERCENT_COMPLETE);
    ok(p && p->type == PT_DOUBLE && strcmp(p->canonical, "PidLidPercentComplete") == 0,
        "PidLidPercentComplete\n");
    p = st_named_prop_by_lid(&ST_PSETID_Meeting, ST_LID_GLOBAL_OBJECT_ID);
    ok(p && p->type == PT_BINARY, "PidLidGlobalObjectId\n");
    ok(st_named_prop_by_lid(&ST_PSETID_Common, 0x820D) == NULL, "0x820D in the wrong set\n");
    ok(st_named_prop_by_lid(&ST_PSETID_Appointment, 0x7FFF) == NULL, "unknown LID\n");

    p = st_named_prop_by_name(&ST_PS_PUBLIC_STRINGS, "Keywords");
    ok(p && p->kind == MNID_STRING && p->type == PT_MV_UNICODE
        && strcmp(p->canonical, "PidNameKeywords") == 0, "PidNameKeywords\n");
    ok(st_named_prop_by_name(&ST_PS_PUBLIC_STRINGS, "keywords") == NULL,
        "PS_PUBLIC_STRINGS names are case-sensitive\n");
    p = st_named_prop_by_name(&ST_PS_INTERNET_HEADERS, "content-class");
    ok(p && strcmp(p->canonical, "PidNameContentClass") == 0,
        "header names are case-insensitive\n");
    ok(st_named_prop_by_name(&ST_PSETID_Common, "Keywords") == NULL, "Keywords, wrong set\n");
    ok(st_named_prop_by_name(&ST_PS_PUBLIC_STRINGS, NULL) == NULL, "NULL name\n");

    /* The table: each entry is found by its own key, and only once. */
    for (i = 0; (p = st_named_prop_at(i)) != NULL; i++, n++) {
        const st_named_prop_info *q = p->kind == MNID_ID
            ? st_named_prop_by_lid(p->set, p->lid) : st_named_prop_by_name(p->set, p->name);
        ok(q == p, "%s is not found by its own key\n", p->canonical);
        ok(st_guid_set_name(p->set) != NULL, "%s: unnamed set\n", p->canonical);
        ok(strncmp(p->canonical, p->kind == MNID_ID ? "PidLid" : "PidName",
            p->kind == MNID_ID ? 6 : 7) == 0, "%s: canonical name\n", p->canonical);
        ok(p->kind == MNID_STRING ? p->name != NULL : p->name == NULL && p->lid != 0,
            "%s: kind and key disagree\n", p->canonical);
    }
    ok(n > 200, "only %lu named properties\n", (unsigned long)n);
}

int main(void)
{
    test_tag_values();
    test_flag_values();
    test_guids();
    test_names();
    test_named_props();
    return test_done();
}
