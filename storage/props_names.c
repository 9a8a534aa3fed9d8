/*
 * props_names.c: the names of the property tags of props_tags.h, both ways,
 * for logs, `mapidav dump` and the CLI.
 *
 * Invariant: names[] is in strictly increasing tag order (test_props_tags
 * walks it through st_prop_tag_at() and fails otherwise), so a tag is found
 * by binary search. Every entry is built from the tag's own macro (T(), S(),
 * A(), AS() below), so a name and its value cannot drift apart.
 *
 * Never: allocate, keep state, or name a tag that props_tags.h does not
 * define. Adding a tag: define it in props_tags.h, then add it here at the
 * place its value sorts to.
 */
#include <stddef.h>
#include <stdint.h>

#include "storage/error.h"
#include "storage/props_tags.h"

/* A string tag's plain name means its PT_TSTRING form, which is its _W form
 * here: everything below provider/ is Unicode. */
_Static_assert(PT_TSTRING == PT_UNICODE, "PT_TSTRING must be PT_UNICODE");

typedef struct tag_name {
    uint32_t tag;        /* the property tag */
    const char *name;    /* its name: "PR_SUBJECT_W", "PR_MESSAGE_FLAGS" */
    const char *plain;   /* string tags: the plain name "PR_SUBJECT"; else NULL */
} tag_name;

/* T: a tag with one name (any type but PT_TSTRING); S: a string tag, as its
 * _A and _W forms (in that order, the order of their values). The comments
 * give the id range of the props_tags.h section that follows. */
#define T(t) { t, #t, NULL }
#define S(t) { t##_A, #t "_A", #t }, { t##_W, #t "_W", #t }

static const tag_name names[] = {
    T(PR_NULL), /* 0x00000001 */
    /* 0x0001-0x0BFF */
    T(PR_ACKNOWLEDGEMENT_MODE),
    T(PR_ALTERNATE_RECIPIENT_ALLOWED),
    T(PR_AUTHORIZING_USERS),
    S(PR_AUTO_FORWARD_COMMENT),
    T(PR_AUTO_FORWARDED),
    T(PR_CONTENT_CONFIDENTIALITY_ALGORITHM_ID),
    T(PR_CONTENT_CORRELATOR),
    S(PR_CONTENT_IDENTIFIER),
    T(PR_CONTENT_LENGTH),
    T(PR_CONTENT_RETURN_REQUESTED),
    T(PR_CONVERSATION_KEY),
    T(PR_CONVERSION_EITS),
    T(PR_CONVERSION_WITH_LOSS_PROHIBITED),
    T(PR_CONVERTED_EITS),
    T(PR_DEFERRED_DELIVERY_TIME),
    T(PR_DELIVER_TIME),
    T(PR_DISCARD_REASON),
    T(PR_DISCLOSURE_OF_RECIPIENTS),
    T(PR_DL_EXPANSION_HISTORY),
    T(PR_DL_EXPANSION_PROHIBITED),
    T(PR_EXPIRY_TIME),
    T(PR_IMPLICIT_CONVERSION_PROHIBITED),
    T(PR_IMPORTANCE),
    T(PR_IPM_ID),
    T(PR_LATEST_DELIVERY_TIME),
    S(PR_MESSAGE_CLASS),
    T(PR_MESSAGE_DELIVERY_ID),
    T(PR_MESSAGE_SECURITY_LABEL),
    T(PR_OBSOLETED_IPMS),
    T(PR_ORIGINALLY_INTENDED_RECIPIENT_NAME),
    T(PR_ORIGINAL_EITS),
    T(PR_ORIGINATOR_CERTIFICATE),
    T(PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED),
    T(PR_ORIGINATOR_RETURN_ADDRESS),
    T(PR_PARENT_KEY),
    T(PR_PRIORITY),
    T(PR_ORIGIN_CHECK),
    T(PR_PROOF_OF_SUBMISSION_REQUESTED),
    T(PR_READ_RECEIPT_REQUESTED),
    T(PR_RECEIPT_TIME),
    T(PR_RECIPIENT_REASSIGNMENT_PROHIBITED),
    T(PR_REDIRECTION_HISTORY),
    T(PR_RELATED_IPMS),
    T(PR_ORIGINAL_SENSITIVITY),
    S(PR_LANGUAGES),
    T(PR_REPLY_TIME),
    T(PR_REPORT_TAG),
    T(PR_REPORT_TIME),
    T(PR_RETURNED_IPM),
    T(PR_SECURITY),
    T(PR_INCOMPLETE_COPY),
    T(PR_SENSITIVITY),
    S(PR_SUBJECT),
    T(PR_SUBJECT_IPM),
    T(PR_CLIENT_SUBMIT_TIME),
    S(PR_REPORT_NAME),
    T(PR_SENT_REPRESENTING_SEARCH_KEY),
    T(PR_X400_CONTENT_TYPE),
    S(PR_SUBJECT_PREFIX),
    T(PR_NON_RECEIPT_REASON),
    T(PR_RECEIVED_BY_ENTRYID),
    S(PR_RECEIVED_BY_NAME),
    T(PR_SENT_REPRESENTING_ENTRYID),
    S(PR_SENT_REPRESENTING_NAME),
    T(PR_RCVD_REPRESENTING_ENTRYID),
    S(PR_RCVD_REPRESENTING_NAME),
    T(PR_REPORT_ENTRYID),
    T(PR_READ_RECEIPT_ENTRYID),
    T(PR_MESSAGE_SUBMISSION_ID),
    T(PR_PROVIDER_SUBMIT_TIME),
    S(PR_ORIGINAL_SUBJECT),
    T(PR_DISC_VAL),
    S(PR_ORIG_MESSAGE_CLASS),
    T(PR_ORIGINAL_AUTHOR_ENTRYID),
    S(PR_ORIGINAL_AUTHOR_NAME),
    T(PR_ORIGINAL_SUBMIT_TIME),
    T(PR_REPLY_RECIPIENT_ENTRIES),
    S(PR_REPLY_RECIPIENT_NAMES),
    T(PR_RECEIVED_BY_SEARCH_KEY),
    T(PR_RCVD_REPRESENTING_SEARCH_KEY),
    T(PR_READ_RECEIPT_SEARCH_KEY),
    T(PR_REPORT_SEARCH_KEY),
    T(PR_ORIGINAL_DELIVERY_TIME),
    T(PR_ORIGINAL_AUTHOR_SEARCH_KEY),
    T(PR_MESSAGE_TO_ME),
    T(PR_MESSAGE_CC_ME),
    T(PR_MESSAGE_RECIP_ME),
    S(PR_ORIGINAL_SENDER_NAME),
    T(PR_ORIGINAL_SENDER_ENTRYID),
    T(PR_ORIGINAL_SENDER_SEARCH_KEY),
    S(PR_ORIGINAL_SENT_REPRESENTING_NAME),
    T(PR_ORIGINAL_SENT_REPRESENTING_ENTRYID),
    T(PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY),
    T(PR_START_DATE),
    T(PR_END_DATE),
    T(PR_OWNER_APPT_ID),
    T(PR_RESPONSE_REQUESTED),
    S(PR_SENT_REPRESENTING_ADDRTYPE),
    S(PR_SENT_REPRESENTING_EMAIL_ADDRESS),
    S(PR_ORIGINAL_SENDER_ADDRTYPE),
    S(PR_ORIGINAL_SENDER_EMAIL_ADDRESS),
    S(PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE),
    S(PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS),
    S(PR_CONVERSATION_TOPIC),
    T(PR_CONVERSATION_INDEX),
    S(PR_ORIGINAL_DISPLAY_BCC),
    S(PR_ORIGINAL_DISPLAY_CC),
    S(PR_ORIGINAL_DISPLAY_TO),
    S(PR_RECEIVED_BY_ADDRTYPE),
    S(PR_RECEIVED_BY_EMAIL_ADDRESS),
    S(PR_RCVD_REPRESENTING_ADDRTYPE),
    S(PR_RCVD_REPRESENTING_EMAIL_ADDRESS),
    S(PR_ORIGINAL_AUTHOR_ADDRTYPE),
    S(PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS),
    S(PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE),
    S(PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS),
    S(PR_TRANSPORT_MESSAGE_HEADERS),
    T(PR_DELEGATION),
    T(PR_TNEF_CORRELATION_KEY),
    /* 0x0C00-0x0DFF */
    T(PR_CONTENT_INTEGRITY_CHECK),
    T(PR_EXPLICIT_CONVERSION),
    T(PR_IPM_RETURN_REQUESTED),
    T(PR_MESSAGE_TOKEN),
    T(PR_NDR_REASON_CODE),
    T(PR_NDR_DIAG_CODE),
    T(PR_NON_RECEIPT_NOTIFICATION_REQUESTED),
    T(PR_DELIVERY_POINT),
    T(PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED),
    T(PR_ORIGINATOR_REQUESTED_ALTERNATE_RECIPIENT),
    T(PR_PHYSICAL_DELIVERY_BUREAU_FAX_DELIVERY),
    T(PR_PHYSICAL_DELIVERY_MODE),
    T(PR_PHYSICAL_DELIVERY_REPORT_REQUEST),
    T(PR_PHYSICAL_FORWARDING_ADDRESS),
    T(PR_PHYSICAL_FORWARDING_ADDRESS_REQUESTED),
    T(PR_PHYSICAL_FORWARDING_PROHIBITED),
    T(PR_PHYSICAL_RENDITION_ATTRIBUTES),
    T(PR_PROOF_OF_DELIVERY),
    T(PR_PROOF_OF_DELIVERY_REQUESTED),
    T(PR_RECIPIENT_CERTIFICATE),
    S(PR_RECIPIENT_NUMBER_FOR_ADVICE),
    T(PR_RECIPIENT_TYPE),
    T(PR_REGISTERED_MAIL_TYPE),
    T(PR_REPLY_REQUESTED),
    T(PR_REQUESTED_DELIVERY_METHOD),
    T(PR_SENDER_ENTRYID),
    S(PR_SENDER_NAME),
    S(PR_SUPPLEMENTARY_INFO),
    T(PR_TYPE_OF_MTS_USER),
    T(PR_SENDER_SEARCH_KEY),
    S(PR_SENDER_ADDRTYPE),
    S(PR_SENDER_EMAIL_ADDRESS),
    T(PR_NDR_STATUS_CODE),
    S(PR_DSN_REMOTE_MTA),
    /* 0x0E00-0x0FFF */
    T(PR_CURRENT_VERSION),
    T(PR_DELETE_AFTER_SUBMIT),
    S(PR_DISPLAY_BCC),
    S(PR_DISPLAY_CC),
    S(PR_DISPLAY_TO),
    S(PR_PARENT_DISPLAY),
    T(PR_MESSAGE_DELIVERY_TIME),
    T(PR_MESSAGE_FLAGS),
    T(PR_MESSAGE_SIZE),
    T(PR_MESSAGE_SIZE_EXTENDED),
    T(PR_PARENT_ENTRYID),
    T(PR_SENTMAIL_ENTRYID),
    T(PR_CORRELATE),
    T(PR_CORRELATE_MTSID),
    T(PR_DISCRETE_VALUES),
    T(PR_RESPONSIBILITY),
    T(PR_SPOOLER_STATUS),
    T(PR_TRANSPORT_STATUS),
    T(PR_MESSAGE_RECIPIENTS),
    T(PR_MESSAGE_ATTACHMENTS),
    T(PR_SUBMIT_FLAGS),
    T(PR_RECIPIENT_STATUS),
    T(PR_TRANSPORT_KEY),
    T(PR_MSG_STATUS),
    T(PR_MESSAGE_DOWNLOAD_TIME),
    T(PR_CREATION_VERSION),
    T(PR_MODIFY_VERSION),
    T(PR_HASATTACH),
    T(PR_BODY_CRC),
    S(PR_NORMALIZED_SUBJECT),
    T(PR_RTF_IN_SYNC),
    T(PR_ATTACH_SIZE),
    T(PR_ATTACH_NUM),
    T(PR_PREPROCESS),
    T(PR_INTERNET_ARTICLE_NUMBER),
    T(PR_ORIGINATING_MTA_CERTIFICATE),
    T(PR_PROOF_OF_SUBMISSION),
    T(PR_NT_SECURITY_DESCRIPTOR),
    S(PR_PRIMARY_SEND_ACCOUNT),
    S(PR_NEXT_SEND_ACCT),
    T(PR_TODO_ITEM_FLAGS),
    T(PR_SWAPPED_TODO_STORE),
    T(PR_SWAPPED_TODO_DATA),
    T(PR_ACCESS),
    T(PR_ROW_TYPE),
    T(PR_INSTANCE_KEY),
    T(PR_ACCESS_LEVEL),
    T(PR_MAPPING_SIGNATURE),
    T(PR_RECORD_KEY),
    T(PR_STORE_RECORD_KEY),
    T(PR_STORE_ENTRYID),
    T(PR_MINI_ICON),
    T(PR_ICON),
    T(PR_OBJECT_TYPE),
    T(PR_ENTRYID),
    /* 0x1000-0x2FFF */
    S(PR_BODY),
    S(PR_REPORT_TEXT),
    T(PR_ORIGINATOR_AND_DL_EXPANSION_HISTORY),
    T(PR_REPORTING_DL_NAME),
    T(PR_REPORTING_MTA_CERTIFICATE),
    T(PR_RTF_SYNC_BODY_CRC),
    T(PR_RTF_SYNC_BODY_COUNT),
    S(PR_RTF_SYNC_BODY_TAG),
    T(PR_RTF_COMPRESSED),
    T(PR_RTF_SYNC_PREFIX_COUNT),
    T(PR_RTF_SYNC_TRAILING_COUNT),
    T(PR_ORIGINALLY_INTENDED_RECIP_ENTRYID),
    S(PR_BODY_HTML),
    T(PR_HTML),
    S(PR_BODY_CONTENT_LOCATION),
    S(PR_BODY_CONTENT_ID),
    T(PR_NATIVE_BODY_INFO),
    S(PR_INTERNET_MESSAGE_ID),
    S(PR_INTERNET_REFERENCES),
    S(PR_IN_REPLY_TO_ID),
    S(PR_LIST_HELP),
    S(PR_LIST_SUBSCRIBE),
    S(PR_LIST_UNSUBSCRIBE),
    T(PR_ICON_INDEX),
    T(PR_LAST_VERB_EXECUTED),
    T(PR_LAST_VERB_EXECUTION_TIME),
    T(PR_FLAG_STATUS),
    T(PR_FLAG_COMPLETE_TIME),
    T(PR_FOLLOWUP_ICON),
    T(PR_BLOCK_STATUS),
    T(PR_CONFLICT_ITEMS),
    S(PR_URL_COMP_NAME),
    T(PR_ATTR_HIDDEN),
    T(PR_ATTR_SYSTEM),
    T(PR_ATTR_READONLY),
    /* 0x3000-0x33FF */
    T(PR_ROWID),
    S(PR_DISPLAY_NAME),
    S(PR_ADDRTYPE),
    S(PR_EMAIL_ADDRESS),
    S(PR_COMMENT),
    T(PR_DEPTH),
    S(PR_PROVIDER_DISPLAY),
    T(PR_CREATION_TIME),
    T(PR_LAST_MODIFICATION_TIME),
    T(PR_RESOURCE_FLAGS),
    S(PR_PROVIDER_DLL_NAME),
    T(PR_SEARCH_KEY),
    T(PR_PROVIDER_UID),
    T(PR_PROVIDER_ORDINAL),
    T(PR_TARGET_ENTRYID),
    T(PR_CONVERSATION_ID),
    T(PR_CONVERSATION_INDEX_TRACKING),
    S(PR_FORM_VERSION),
    T(PR_FORM_CLSID),
    S(PR_FORM_CONTACT_NAME),
    S(PR_FORM_CATEGORY),
    S(PR_FORM_CATEGORY_SUB),
    T(PR_FORM_HOST_MAP),
    T(PR_FORM_HIDDEN),
    S(PR_FORM_DESIGNER_NAME),
    T(PR_FORM_DESIGNER_GUID),
    T(PR_FORM_MESSAGE_BEHAVIOR),
    /* 0x3400-0x35FF */
    T(PR_DEFAULT_STORE),
    T(PR_STORE_SUPPORT_MASK),
    T(PR_STORE_STATE),
    T(PR_STORE_UNICODE_MASK),
    T(PR_IPM_SUBTREE_SEARCH_KEY),
    T(PR_IPM_OUTBOX_SEARCH_KEY),
    T(PR_IPM_WASTEBASKET_SEARCH_KEY),
    T(PR_IPM_SENTMAIL_SEARCH_KEY),
    T(PR_MDB_PROVIDER),
    T(PR_RECEIVE_FOLDER_SETTINGS),
    T(PR_VALID_FOLDER_MASK),
    T(PR_IPM_SUBTREE_ENTRYID),
    T(PR_IPM_OUTBOX_ENTRYID),
    T(PR_IPM_WASTEBASKET_ENTRYID),
    T(PR_IPM_SENTMAIL_ENTRYID),
    T(PR_VIEWS_ENTRYID),
    T(PR_COMMON_VIEWS_ENTRYID),
    T(PR_FINDER_ENTRYID),
    /* 0x3600-0x36FF */
    T(PR_CONTAINER_FLAGS),
    T(PR_FOLDER_TYPE),
    T(PR_CONTENT_COUNT),
    T(PR_CONTENT_UNREAD),
    T(PR_CREATE_TEMPLATES),
    T(PR_DETAILS_TABLE),
    T(PR_SEARCH),
    T(PR_SELECTABLE),
    T(PR_SUBFOLDERS),
    T(PR_STATUS),
    S(PR_ANR),
    T(PR_CONTENTS_SORT_ORDER),
    T(PR_CONTAINER_HIERARCHY),
    T(PR_CONTAINER_CONTENTS),
    T(PR_FOLDER_ASSOCIATED_CONTENTS),
    T(PR_DEF_CREATE_DL),
    T(PR_DEF_CREATE_MAILUSER),
    S(PR_CONTAINER_CLASS),
    T(PR_CONTAINER_MODIFY_VERSION),
    T(PR_AB_PROVIDER_ID),
    T(PR_DEFAULT_VIEW_ENTRYID),
    T(PR_ASSOC_CONTENT_COUNT),
    T(PR_IPM_APPOINTMENT_ENTRYID),
    T(PR_IPM_CONTACT_ENTRYID),
    T(PR_IPM_JOURNAL_ENTRYID),
    T(PR_IPM_NOTE_ENTRYID),
    T(PR_IPM_TASK_ENTRYID),
    T(PR_REM_ONLINE_ENTRYID),
    T(PR_REM_OFFLINE_ENTRYID),
    T(PR_IPM_DRAFTS_ENTRYID),
    T(PR_ADDITIONAL_REN_ENTRYIDS),
    T(PR_ADDITIONAL_REN_ENTRYIDS_EX),
    T(PR_EXTENDED_FOLDER_FLAGS),
    T(PR_FREEBUSY_ENTRYIDS),
    S(PR_DEF_POST_MSGCLASS),
    S(PR_DEF_POST_DISPLAYNAME),
    /* 0x3700-0x38FF */
    T(PR_ATTACHMENT_X400_PARAMETERS),
    T(PR_ATTACH_DATA_OBJ),
    T(PR_ATTACH_DATA_BIN),
    T(PR_ATTACH_ENCODING),
    S(PR_ATTACH_EXTENSION),
    S(PR_ATTACH_FILENAME),
    T(PR_ATTACH_METHOD),
    S(PR_ATTACH_LONG_FILENAME),
    S(PR_ATTACH_PATHNAME),
    T(PR_ATTACH_RENDERING),
    T(PR_ATTACH_TAG),
    T(PR_RENDERING_POSITION),
    S(PR_ATTACH_TRANSPORT_NAME),
    S(PR_ATTACH_LONG_PATHNAME),
    S(PR_ATTACH_MIME_TAG),
    T(PR_ATTACH_ADDITIONAL_INFO),
    T(PR_ATTACH_MIME_SEQUENCE),
    S(PR_ATTACH_CONTENT_BASE),
    S(PR_ATTACH_CONTENT_ID),
    S(PR_ATTACH_CONTENT_LOCATION),
    T(PR_ATTACH_FLAGS),
    /* 0x3900-0x3CFF */
    T(PR_DISPLAY_TYPE),
    T(PR_TEMPLATEID),
    T(PR_PRIMARY_CAPABILITY),
    T(PR_DISPLAY_TYPE_EX),
    S(PR_SMTP_ADDRESS),
    T(PR_7BIT_DISPLAY_NAME),
    S(PR_ACCOUNT),
    T(PR_ALTERNATE_RECIPIENT),
    S(PR_CALLBACK_TELEPHONE_NUMBER),
    T(PR_CONVERSION_PROHIBITED),
    T(PR_DISCLOSE_RECIPIENTS),
    S(PR_GENERATION),
    S(PR_GIVEN_NAME),
    S(PR_GOVERNMENT_ID_NUMBER),
    S(PR_BUSINESS_TELEPHONE_NUMBER),
    S(PR_HOME_TELEPHONE_NUMBER),
    S(PR_INITIALS),
    S(PR_KEYWORD),
    S(PR_LANGUAGE),
    S(PR_LOCATION),
    T(PR_MAIL_PERMISSION),
    S(PR_MHS_COMMON_NAME),
    S(PR_ORGANIZATIONAL_ID_NUMBER),
    S(PR_SURNAME),
    T(PR_ORIGINAL_ENTRYID),
    S(PR_ORIGINAL_DISPLAY_NAME),
    T(PR_ORIGINAL_SEARCH_KEY),
    S(PR_POSTAL_ADDRESS),
    S(PR_COMPANY_NAME),
    S(PR_TITLE),
    S(PR_DEPARTMENT_NAME),
    S(PR_OFFICE_LOCATION),
    S(PR_PRIMARY_TELEPHONE_NUMBER),
    S(PR_BUSINESS2_TELEPHONE_NUMBER),
    S(PR_MOBILE_TELEPHONE_NUMBER),
    S(PR_RADIO_TELEPHONE_NUMBER),
    S(PR_CAR_TELEPHONE_NUMBER),
    S(PR_OTHER_TELEPHONE_NUMBER),
    S(PR_TRANSMITABLE_DISPLAY_NAME),
    S(PR_PAGER_TELEPHONE_NUMBER),
    T(PR_USER_CERTIFICATE),
    S(PR_PRIMARY_FAX_NUMBER),
    S(PR_BUSINESS_FAX_NUMBER),
    S(PR_HOME_FAX_NUMBER),
    S(PR_COUNTRY),
    S(PR_LOCALITY),
    S(PR_STATE_OR_PROVINCE),
    S(PR_STREET_ADDRESS),
    S(PR_POSTAL_CODE),
    S(PR_POST_OFFICE_BOX),
    S(PR_TELEX_NUMBER),
    S(PR_ISDN_NUMBER),
    S(PR_ASSISTANT_TELEPHONE_NUMBER),
    S(PR_HOME2_TELEPHONE_NUMBER),
    S(PR_ASSISTANT),
    T(PR_SEND_RICH_INFO),
    T(PR_WEDDING_ANNIVERSARY),
    T(PR_BIRTHDAY),
    S(PR_HOBBIES),
    S(PR_MIDDLE_NAME),
    S(PR_DISPLAY_NAME_PREFIX),
    S(PR_PROFESSION),
    S(PR_PREFERRED_BY_NAME),
    S(PR_SPOUSE_NAME),
    S(PR_COMPUTER_NETWORK_NAME),
    S(PR_CUSTOMER_ID),
    S(PR_TTYTDD_PHONE_NUMBER),
    S(PR_FTP_SITE),
    T(PR_GENDER),
    S(PR_MANAGER_NAME),
    S(PR_NICKNAME),
    S(PR_PERSONAL_HOME_PAGE),
    S(PR_BUSINESS_HOME_PAGE),
    T(PR_CONTACT_VERSION),
    T(PR_CONTACT_ENTRYIDS),
    S(PR_CONTACT_ADDRTYPES),
    T(PR_CONTACT_DEFAULT_ADDRESS_INDEX),
    S(PR_CONTACT_EMAIL_ADDRESSES),
    S(PR_COMPANY_MAIN_PHONE_NUMBER),
    S(PR_CHILDRENS_NAMES),
    S(PR_HOME_ADDRESS_CITY),
    S(PR_HOME_ADDRESS_COUNTRY),
    S(PR_HOME_ADDRESS_POSTAL_CODE),
    S(PR_HOME_ADDRESS_STATE_OR_PROVINCE),
    S(PR_HOME_ADDRESS_STREET),
    S(PR_HOME_ADDRESS_POST_OFFICE_BOX),
    S(PR_OTHER_ADDRESS_CITY),
    S(PR_OTHER_ADDRESS_COUNTRY),
    S(PR_OTHER_ADDRESS_POSTAL_CODE),
    S(PR_OTHER_ADDRESS_STATE_OR_PROVINCE),
    S(PR_OTHER_ADDRESS_STREET),
    S(PR_OTHER_ADDRESS_POST_OFFICE_BOX),
    T(PR_SEND_INTERNET_ENCODING),
    /* 0x3D00-0x3DFF */
    T(PR_STORE_PROVIDERS),
    T(PR_AB_PROVIDERS),
    T(PR_TRANSPORT_PROVIDERS),
    T(PR_DEFAULT_PROFILE),
    T(PR_AB_SEARCH_PATH),
    T(PR_AB_DEFAULT_DIR),
    T(PR_AB_DEFAULT_PAB),
    T(PR_FILTERING_HOOKS),
    S(PR_SERVICE_NAME),
    S(PR_SERVICE_DLL_NAME),
    T(PR_SERVICE_ENTRY_NAME),
    T(PR_SERVICE_UID),
    T(PR_SERVICE_EXTRA_UIDS),
    T(PR_SERVICES),
    S(PR_SERVICE_SUPPORT_FILES),
    S(PR_SERVICE_DELETE_FILES),
    T(PR_AB_SEARCH_PATH_UPDATE),
    S(PR_PROFILE_NAME),
    S(PR_SERVICE_INSTALL_ID),
    /* 0x3E00-0x3F08 */
    S(PR_IDENTITY_DISPLAY),
    T(PR_IDENTITY_ENTRYID),
    T(PR_RESOURCE_METHODS),
    T(PR_RESOURCE_TYPE),
    T(PR_STATUS_CODE),
    T(PR_IDENTITY_SEARCH_KEY),
    T(PR_OWN_STORE_ENTRYID),
    S(PR_RESOURCE_PATH),
    S(PR_STATUS_STRING),
    T(PR_X400_DEFERRED_DELIVERY_CANCEL),
    T(PR_HEADER_FOLDER_ENTRYID),
    T(PR_REMOTE_PROGRESS),
    S(PR_REMOTE_PROGRESS_TEXT),
    T(PR_REMOTE_VALIDATE_OK),
    T(PR_CONTROL_FLAGS),
    T(PR_CONTROL_STRUCTURE),
    T(PR_CONTROL_TYPE),
    T(PR_DELTAX),
    T(PR_DELTAY),
    T(PR_XPOS),
    T(PR_YPOS),
    T(PR_CONTROL_ID),
    T(PR_INITIAL_DETAILS_PANE),
    /* 0x3F09-0x3FFF */
    S(PR_PREVIEW_UNREAD),
    S(PR_PREVIEW),
    T(PR_INTERNET_CPID),
    T(PR_AUTO_RESPONSE_SUPPRESS),
    T(PR_DEFERRED_SEND_NUMBER),
    T(PR_DEFERRED_SEND_UNITS),
    T(PR_DEFERRED_SEND_TIME),
    T(PR_CONFLICT_ENTRYID),
    T(PR_MESSAGE_LOCALE_ID),
    S(PR_CREATOR_NAME),
    T(PR_CREATOR_ENTRYID),
    S(PR_LAST_MODIFIER_NAME),
    T(PR_LAST_MODIFIER_ENTRYID),
    T(PR_MESSAGE_CODEPAGE),
    /* 0x4000-0x57FF */
    T(PR_CONTENT_FILTER_SCL),
    /* 0x5800-0x5FFF */
    T(PR_INETMAIL_OVERRIDE_FORMAT),
    T(PR_MSG_EDITOR_FORMAT),
    S(PR_SENDER_SMTP_ADDRESS),
    S(PR_SENT_REPRESENTING_SMTP_ADDRESS),
    S(PR_READ_RECEIPT_SMTP_ADDRESS),
    S(PR_RECEIVED_BY_SMTP_ADDRESS),
    S(PR_RCVD_REPRESENTING_SMTP_ADDRESS),
    T(PR_RECIPIENT_ORDER),
    S(PR_RECIPIENT_DISPLAY_NAME),
    T(PR_RECIPIENT_ENTRYID),
    T(PR_RECIPIENT_TRACKSTATUS_TIME),
    T(PR_RECIPIENT_FLAGS),
    T(PR_RECIPIENT_TRACKSTATUS),
    /* 0x6000-0x65FF */
    T(PR_SOURCE_KEY),
    T(PR_PARENT_SOURCE_KEY),
    T(PR_CHANGE_KEY),
    T(PR_PREDECESSOR_CHANGE_LIST),
    /* 0x6600-0x67FF */
    T(PR_MAILBOX_OWNER_ENTRYID),
    S(PR_MAILBOX_OWNER_NAME),
    T(PR_NON_IPM_SUBTREE_ENTRYID),
    T(PR_IPM_FAVORITES_ENTRYID),
    T(PR_IPM_PUBLIC_FOLDERS_ENTRYID),
    T(PR_FOLDER_CHILD_COUNT),
    T(PR_RIGHTS),
    T(PR_HAS_RULES),
    T(PR_LONGTERM_ENTRYID_FROM_TABLE),
    T(PR_DELETED_ON),
    T(PR_LOCALE_ID),
    T(PR_SORT_LOCALE_ID),
    T(PR_LOCAL_COMMIT_TIME),
    T(PR_LOCAL_COMMIT_TIME_MAX),
    T(PR_DELETED_COUNT_TOTAL),
    T(PR_INSTANCE_NUM),
    T(PR_ASSOCIATED),
    /* 0x6800-0x7BFF */
    T(PR_SECURITY_FLAGS),
    /* 0x7C00-0x7FFF */
    T(PR_ROAMING_DATATYPES),
    T(PR_ROAMING_DICTIONARY),
    T(PR_ROAMING_XMLSTREAM),
    T(PR_PROCESSED),
    T(PR_EXCEPTION_REPLACETIME),
    T(PR_ATTACHMENT_LINKID),
    T(PR_EXCEPTION_STARTTIME),
    T(PR_EXCEPTION_ENDTIME),
    T(PR_ATTACHMENT_FLAGS),
    T(PR_ATTACHMENT_HIDDEN),
    T(PR_ATTACHMENT_CONTACTPHOTO),
};

#define N_NAMES (sizeof names / sizeof names[0])

typedef struct tag_alias {
    const char *name;    /* another name mapitags.h gives a tag */
    uint32_t tag;        /* its value */
} tag_alias;

/* Names accepted by st_prop_tag_from_name() but never returned: mapitags.h's
 * second names of string tags, each with its _W and _A forms. */
#define AS(t) { #t, t }, { #t "_W", t##_W }, { #t "_A", t##_A }

static const tag_alias aliases[] = {
    AS(PR_OFFICE_TELEPHONE_NUMBER),
    AS(PR_OFFICE2_TELEPHONE_NUMBER),
    AS(PR_CELLULAR_TELEPHONE_NUMBER),
    AS(PR_BEEPER_TELEPHONE_NUMBER),
    AS(PR_BUSINESS_ADDRESS_COUNTRY),
    AS(PR_BUSINESS_ADDRESS_CITY),
    AS(PR_BUSINESS_ADDRESS_STATE_OR_PROVINCE),
    AS(PR_BUSINESS_ADDRESS_STREET),
    AS(PR_BUSINESS_ADDRESS_POSTAL_CODE),
    AS(PR_BUSINESS_ADDRESS_POST_OFFICE_BOX),
};

#define N_ALIASES (sizeof aliases / sizeof aliases[0])

/* Index of the first entry whose tag is >= tag (N_NAMES if none). */
static size_t lower_bound(uint32_t tag)
{
    size_t lo = 0, hi = N_NAMES;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (names[mid].tag < tag)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const char *st_prop_tag_name(uint32_t tag)
{
    size_t i = lower_bound(tag);

    if (i < N_NAMES && names[i].tag == tag)
        return names[i].name;
    /* Known id, other type (PT_ERROR in a row, PT_UNSPECIFIED ...): the
     * first entry of that id, by its plain name. Id 0 is PROP_ID_NULL:
     * only PR_NULL itself has a name. */
    if (PROP_ID(tag) == PROP_ID_NULL)
        return NULL;
    i = lower_bound(tag & 0xFFFF0000u);
    if (i < N_NAMES && PROP_ID(names[i].tag) == PROP_ID(tag))
        return names[i].plain ? names[i].plain : names[i].name;
    return NULL;
}

const char *st_prop_tag_at(uint32_t *out, size_t i)
{
    if (i >= N_NAMES)
        return NULL;
    if (out)
        *out = names[i].tag;
    return names[i].name;
}

/* ASCII-only, locale-independent case-insensitive equality. */
static int name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'a' && ca <= 'z')
            ca = (unsigned char)(ca - 'a' + 'A');
        if (cb >= 'a' && cb <= 'z')
            cb = (unsigned char)(cb - 'a' + 'A');
        if (ca != cb)
            return 0;
        if (!ca)
            return 1;
    }
}

/* "0x" then 1 to 8 hex digits and nothing else: 0 and *out, or -1. */
static int parse_hex(uint32_t *out, const char *s)
{
    uint32_t v = 0;
    size_t n = 0;

    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return -1;
    for (s += 2; *s; s++, n++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (*s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return -1;
        if (n == 8)
            return -1;
        v = (v << 4) | d;
    }
    if (n == 0)
        return -1;
    *out = v;
    return 0;
}

int st_prop_tag_from_name(uint32_t *out, const char *name)
{
    size_t i;

    if (!name) {
        st_error_set("property tag name: NULL");
        return -1;
    }
    if (name[0] == '0' && (name[1] == 'x' || name[1] == 'X')) {
        if (parse_hex(out, name) == 0)
            return 0;
        st_error_set("bad property tag \"%.40s\": want 0x and 1 to 8 hex digits", name);
        return -1;
    }
    /* Linear: ~900 names, used for what a person typed, not per property. */
    for (i = 0; i < N_NAMES; i++) {
        if (name_eq(names[i].name, name)) {
            *out = names[i].tag;
            return 0;
        }
        if (names[i].plain && (PROP_TYPE(names[i].tag) & ~(uint32_t)MV_FLAG) == PT_TSTRING
            && name_eq(names[i].plain, name)) {
            *out = names[i].tag;
            return 0;
        }
    }
    for (i = 0; i < N_ALIASES; i++) {
        if (name_eq(aliases[i].name, name)) {
            *out = aliases[i].tag;
            return 0;
        }
    }
    st_error_set("unknown property tag name \"%.64s\"", name);
    return -1;
}
