/*
 * props_guids.h: the property-set GUIDs of [MS-OXPROPS] 1.3.2, GUID helpers
 * (compare, print, parse, name), and the named properties Outlook relies on:
 * their long ids (ST_LID_*, PidLid*) and string names (ST_NAME_*, PidName*).
 *
 * A named property is a (property set, LID or name) pair; the store maps each
 * pair it meets to an id in 0x8000-0xFFFE (storage's named-property map), so
 * the tag of PidLidAppointmentStartWhole differs from store to store and is
 * never a constant. Each ST_LID_* below belongs to the set named above it;
 * the comment gives its [MS-OXPROPS] type (PT_UNICODE for strings).
 *
 * Invariant: every GUID, LID, name and type equals [MS-OXPROPS] (the GUIDs
 * also the table of "Commonly Used Property Sets" in the MAPI reference).
 * Never: include windows.h or a MAPI header; provider/ converts between
 * st_guid and GUID by layout (both are the Windows GUID).
 */
#ifndef MAPIDAV_STORAGE_PROPS_GUIDS_H
#define MAPIDAV_STORAGE_PROPS_GUIDS_H

#include <stddef.h>
#include <stdint.h>

#include "storage/props.h" /* st_guid */

/* ------------------------------------------------------------------------
 * Property sets. ST_ + the MAPI name, so they never clash with mapiguid.h.
 */
extern const st_guid ST_PS_MAPI;                  /* {00020328-0000-0000-C000-000000000046} */
extern const st_guid ST_PS_PUBLIC_STRINGS;        /* {00020329-0000-0000-C000-000000000046} */
extern const st_guid ST_PS_INTERNET_HEADERS;      /* {00020386-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Appointment;       /* {00062002-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Task;              /* {00062003-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Address;           /* {00062004-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Common;            /* {00062008-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Log;               /* {0006200A-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Note;              /* {0006200E-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Report;            /* {00062013-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Remote;            /* {00062014-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Sharing;           /* {00062040-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_PostRss;           /* {00062041-0000-0000-C000-000000000046} */
extern const st_guid ST_PSETID_Meeting;           /* {6ED8DA90-450B-101B-98DA-00AA003F1305} */
extern const st_guid ST_PSETID_Messaging;         /* {41F28F13-83F4-4114-A584-EEDB5A6B0BFF} */
extern const st_guid ST_PSETID_UnifiedMessaging;  /* {4442858E-A9E3-4E80-B900-317A210CC15B} */
extern const st_guid ST_PSETID_AirSync;           /* {71035549-0739-4DCB-9163-00F0580DBBDF} */
extern const st_guid ST_PSETID_Attachment;        /* {96357F7F-59E1-47D0-99A7-46515C183B54} */
extern const st_guid ST_PSETID_CalendarAssistant; /* {11000E07-B51B-40D6-AF21-CAA85EDAB1D0} */
extern const st_guid ST_PSETID_XmlExtractedEntities; /* {23239608-685D-4732-9C55-4C95CB4E8E33} */

/* ------------------------------------------------------------------------
 * GUID helpers.
 */

/* Length of "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" plus its NUL. */
#define ST_GUID_STRING_SIZE 39

/* 1 if a and b are the same GUID, else 0. */
int st_guid_equal(const st_guid *a, const st_guid *b);

/* A fresh version-4-style GUID for a new store or account: the clock, the
 * process and salt (e.g. a path) mixed. Unique enough to name files; not a
 * secret or a security token. */
void st_guid_new(st_guid *out, const char *salt);

/* Writes g as "{00062002-0000-0000-C000-000000000046}" (upper case, braces,
 * NUL-terminated) into out and returns out. */
char *st_guid_to_string(char out[ST_GUID_STRING_SIZE], const st_guid *g);

/* Parses the 36-character form "00062002-0000-0000-c000-000000000046", with
 * or without one pair of braces around it, hex digits in either case, and
 * nothing else (no spaces). Returns 0 and sets *out, or -1 with a message in
 * st_error_last() and *out untouched. */
int st_guid_from_string(st_guid *out, const char *s);

/* "PSETID_Appointment", "PS_PUBLIC_STRINGS" ... for a set above, else NULL.
 * Borrowed, static. */
const char *st_guid_set_name(const st_guid *g);

/* ------------------------------------------------------------------------
 * Named properties Outlook relies on. For each: what it is, in a table for
 * the dump tool (st_named_prop_by_*), and its LID or name as a constant.
 */
typedef struct st_named_prop_info {
    const st_guid *set;    /* property set, e.g. &ST_PSETID_Appointment */
    int kind;              /* MNID_ID (a LID) or MNID_STRING (a name) */
    uint32_t lid;          /* MNID_ID: the long id; 0 otherwise */
    const char *name;      /* MNID_STRING: the name; NULL otherwise */
    uint32_t type;         /* [MS-OXPROPS] type; strings are PT_UNICODE */
    const char *canonical; /* "PidLidAppointmentStartWhole" */
} st_named_prop_info;

/* The known property (set, lid), or NULL. Borrowed, static. */
const st_named_prop_info *st_named_prop_by_lid(const st_guid *set, uint32_t lid);

/* The known property (set, name), or NULL. Names compare byte for byte, as
 * MAPI does, except in PS_INTERNET_HEADERS, where they are header field
 * names and compare ASCII case-insensitively. Borrowed, static. */
const st_named_prop_info *st_named_prop_by_name(const st_guid *set, const char *name);

/* The i-th known named property, for listing them all; NULL past the end. */
const st_named_prop_info *st_named_prop_at(size_t i);

/* Long ids (MNID_ID), by property set. */

/* PSETID_Meeting */
#define ST_LID_ATTENDEE_CRITICAL_CHANGE                  0x0001 /* PT_SYSTIME */
#define ST_LID_WHERE                                     0x0002 /* PT_UNICODE */
#define ST_LID_GLOBAL_OBJECT_ID                          0x0003 /* PT_BINARY */
#define ST_LID_IS_RECURRING                              0x0005 /* PT_BOOLEAN */
#define ST_LID_IS_EXCEPTION                              0x000A /* PT_BOOLEAN */
#define ST_LID_TIME_ZONE                                 0x000C /* PT_LONG */
#define ST_LID_START_RECURRENCE_DATE                     0x000D /* PT_LONG */
#define ST_LID_START_RECURRENCE_TIME                     0x000E /* PT_LONG */
#define ST_LID_END_RECURRENCE_DATE                       0x000F /* PT_LONG */
#define ST_LID_END_RECURRENCE_TIME                       0x0010 /* PT_LONG */
#define ST_LID_OWNER_CRITICAL_CHANGE                     0x001A /* PT_SYSTIME */
#define ST_LID_CALENDAR_TYPE                             0x001C /* PT_LONG */
#define ST_LID_CLEAN_GLOBAL_OBJECT_ID                    0x0023 /* PT_BINARY */
#define ST_LID_APPOINTMENT_MESSAGE_CLASS                 0x0024 /* PT_UNICODE */
#define ST_LID_MEETING_TYPE                              0x0026 /* PT_LONG */

/* PSETID_Address */
#define ST_LID_FILE_UNDER                                0x8005 /* PT_UNICODE */
#define ST_LID_FILE_UNDER_ID                             0x8006 /* PT_LONG */
#define ST_LID_CONTACT_ITEM_DATA                         0x8007 /* PT_MV_LONG */
#define ST_LID_DEPARTMENT                                0x8010 /* PT_UNICODE */
#define ST_LID_HAS_PICTURE                               0x8015 /* PT_BOOLEAN */
#define ST_LID_HOME_ADDRESS                              0x801A /* PT_UNICODE */
#define ST_LID_WORK_ADDRESS                              0x801B /* PT_UNICODE */
#define ST_LID_OTHER_ADDRESS                             0x801C /* PT_UNICODE */
#define ST_LID_POSTAL_ADDRESS_ID                         0x8022 /* PT_LONG */
#define ST_LID_CONTACT_CHARACTER_SET                     0x8023 /* PT_LONG */
#define ST_LID_AUTO_LOG                                  0x8025 /* PT_BOOLEAN */
#define ST_LID_FILE_UNDER_LIST                           0x8026 /* PT_MV_LONG */
#define ST_LID_ADDRESS_BOOK_PROVIDER_EMAIL_LIST          0x8028 /* PT_MV_LONG */
#define ST_LID_ADDRESS_BOOK_PROVIDER_ARRAY_TYPE          0x8029 /* PT_LONG */
#define ST_LID_HTML                                      0x802B /* PT_UNICODE */
#define ST_LID_YOMI_FIRST_NAME                           0x802C /* PT_UNICODE */
#define ST_LID_YOMI_LAST_NAME                            0x802D /* PT_UNICODE */
#define ST_LID_YOMI_COMPANY_NAME                         0x802E /* PT_UNICODE */
#define ST_LID_WORK_ADDRESS_STREET                       0x8045 /* PT_UNICODE */
#define ST_LID_WORK_ADDRESS_CITY                         0x8046 /* PT_UNICODE */
#define ST_LID_WORK_ADDRESS_STATE                        0x8047 /* PT_UNICODE */
#define ST_LID_WORK_ADDRESS_POSTAL_CODE                  0x8048 /* PT_UNICODE */
#define ST_LID_WORK_ADDRESS_COUNTRY                      0x8049 /* PT_UNICODE */
#define ST_LID_WORK_ADDRESS_POST_OFFICE_BOX              0x804A /* PT_UNICODE */
#define ST_LID_DISTRIBUTION_LIST_CHECKSUM                0x804C /* PT_LONG */
#define ST_LID_DISTRIBUTION_LIST_NAME                    0x8053 /* PT_UNICODE */
#define ST_LID_DISTRIBUTION_LIST_ONE_OFF_MEMBERS         0x8054 /* PT_MV_BINARY */
#define ST_LID_DISTRIBUTION_LIST_MEMBERS                 0x8055 /* PT_MV_BINARY */
#define ST_LID_INSTANT_MESSAGING_ADDRESS                 0x8062 /* PT_UNICODE */
#define ST_LID_DISTRIBUTION_LIST_STREAM                  0x8064 /* PT_BINARY */
#define ST_LID_EMAIL1_DISPLAY_NAME                       0x8080 /* PT_UNICODE */
#define ST_LID_EMAIL1_ADDRESS_TYPE                       0x8082 /* PT_UNICODE */
#define ST_LID_EMAIL1_EMAIL_ADDRESS                      0x8083 /* PT_UNICODE */
#define ST_LID_EMAIL1_ORIGINAL_DISPLAY_NAME              0x8084 /* PT_UNICODE */
#define ST_LID_EMAIL1_ORIGINAL_ENTRY_ID                  0x8085 /* PT_BINARY */
#define ST_LID_EMAIL2_DISPLAY_NAME                       0x8090 /* PT_UNICODE */
#define ST_LID_EMAIL2_ADDRESS_TYPE                       0x8092 /* PT_UNICODE */
#define ST_LID_EMAIL2_EMAIL_ADDRESS                      0x8093 /* PT_UNICODE */
#define ST_LID_EMAIL2_ORIGINAL_DISPLAY_NAME              0x8094 /* PT_UNICODE */
#define ST_LID_EMAIL2_ORIGINAL_ENTRY_ID                  0x8095 /* PT_BINARY */
#define ST_LID_EMAIL3_DISPLAY_NAME                       0x80A0 /* PT_UNICODE */
#define ST_LID_EMAIL3_ADDRESS_TYPE                       0x80A2 /* PT_UNICODE */
#define ST_LID_EMAIL3_EMAIL_ADDRESS                      0x80A3 /* PT_UNICODE */
#define ST_LID_EMAIL3_ORIGINAL_DISPLAY_NAME              0x80A4 /* PT_UNICODE */
#define ST_LID_EMAIL3_ORIGINAL_ENTRY_ID                  0x80A5 /* PT_BINARY */
#define ST_LID_FREE_BUSY_LOCATION                        0x80D8 /* PT_UNICODE */
#define ST_LID_BIRTHDAY_LOCAL                            0x80DE /* PT_SYSTIME */
#define ST_LID_WEDDING_ANNIVERSARY_LOCAL                 0x80DF /* PT_SYSTIME */

/* PSETID_Task */
#define ST_LID_TASK_STATUS                               0x8101 /* PT_LONG */
#define ST_LID_PERCENT_COMPLETE                          0x8102 /* PT_DOUBLE */
#define ST_LID_TEAM_TASK                                 0x8103 /* PT_BOOLEAN */
#define ST_LID_TASK_START_DATE                           0x8104 /* PT_SYSTIME */
#define ST_LID_TASK_DUE_DATE                             0x8105 /* PT_SYSTIME */
#define ST_LID_TASK_RESET_REMINDER                       0x8107 /* PT_BOOLEAN */
#define ST_LID_TASK_ACCEPTED                             0x8108 /* PT_BOOLEAN */
#define ST_LID_TASK_DEAD_OCCURRENCE                      0x8109 /* PT_BOOLEAN */
#define ST_LID_TASK_DATE_COMPLETED                       0x810F /* PT_SYSTIME */
#define ST_LID_TASK_ACTUAL_EFFORT                        0x8110 /* PT_LONG */
#define ST_LID_TASK_ESTIMATED_EFFORT                     0x8111 /* PT_LONG */
#define ST_LID_TASK_VERSION                              0x8112 /* PT_LONG */
#define ST_LID_TASK_STATE                                0x8113 /* PT_LONG */
#define ST_LID_TASK_LAST_UPDATE                          0x8115 /* PT_SYSTIME */
#define ST_LID_TASK_RECURRENCE                           0x8116 /* PT_BINARY */
#define ST_LID_TASK_ASSIGNERS                            0x8117 /* PT_BINARY */
#define ST_LID_TASK_STATUS_ON_COMPLETE                   0x8119 /* PT_BOOLEAN */
#define ST_LID_TASK_HISTORY                              0x811A /* PT_LONG */
#define ST_LID_TASK_UPDATES                              0x811B /* PT_BOOLEAN */
#define ST_LID_TASK_COMPLETE                             0x811C /* PT_BOOLEAN */
#define ST_LID_TASK_F_CREATOR                            0x811E /* PT_BOOLEAN */
#define ST_LID_TASK_OWNER                                0x811F /* PT_UNICODE */
#define ST_LID_TASK_MULTIPLE_RECIPIENTS                  0x8120 /* PT_LONG */
#define ST_LID_TASK_ASSIGNER                             0x8121 /* PT_UNICODE */
#define ST_LID_TASK_LAST_USER                            0x8122 /* PT_UNICODE */
#define ST_LID_TASK_ORDINAL                              0x8123 /* PT_LONG */
#define ST_LID_TASK_NO_COMPUTE                           0x8124 /* PT_BOOLEAN */
#define ST_LID_TASK_LAST_DELEGATE                        0x8125 /* PT_UNICODE */
#define ST_LID_TASK_F_RECURRING                          0x8126 /* PT_BOOLEAN */
#define ST_LID_TASK_ROLE                                 0x8127 /* PT_UNICODE */
#define ST_LID_TASK_OWNERSHIP                            0x8129 /* PT_LONG */
#define ST_LID_TASK_ACCEPTANCE_STATE                     0x812A /* PT_LONG */
#define ST_LID_TASK_F_FIX_OFFLINE                        0x812C /* PT_BOOLEAN */
#define ST_LID_TASK_CUSTOM_FLAGS                         0x8139 /* PT_LONG */

/* PSETID_Appointment */
#define ST_LID_APPOINTMENT_SEQUENCE                      0x8201 /* PT_LONG */
#define ST_LID_APPOINTMENT_SEQUENCE_TIME                 0x8202 /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_LAST_SEQUENCE                 0x8203 /* PT_LONG */
#define ST_LID_CHANGE_HIGHLIGHT                          0x8204 /* PT_LONG */
#define ST_LID_BUSY_STATUS                               0x8205 /* PT_LONG */
#define ST_LID_F_EXCEPTIONAL_BODY                        0x8206 /* PT_BOOLEAN */
#define ST_LID_APPOINTMENT_AUXILIARY_FLAGS               0x8207 /* PT_LONG */
#define ST_LID_LOCATION                                  0x8208 /* PT_UNICODE */
#define ST_LID_MEETING_WORKSPACE_URL                     0x8209 /* PT_UNICODE */
#define ST_LID_FORWARD_INSTANCE                          0x820A /* PT_BOOLEAN */
#define ST_LID_LINKED_TASK_ITEMS                         0x820C /* PT_MV_BINARY */
#define ST_LID_APPOINTMENT_START_WHOLE                   0x820D /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_END_WHOLE                     0x820E /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_START_TIME                    0x820F /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_END_TIME                      0x8210 /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_END_DATE                      0x8211 /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_START_DATE                    0x8212 /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_DURATION                      0x8213 /* PT_LONG */
#define ST_LID_APPOINTMENT_COLOR                         0x8214 /* PT_LONG */
#define ST_LID_APPOINTMENT_SUB_TYPE                      0x8215 /* PT_BOOLEAN */
#define ST_LID_APPOINTMENT_RECUR                         0x8216 /* PT_BINARY */
#define ST_LID_APPOINTMENT_STATE_FLAGS                   0x8217 /* PT_LONG */
#define ST_LID_RESPONSE_STATUS                           0x8218 /* PT_LONG */
#define ST_LID_APPOINTMENT_REPLY_TIME                    0x8220 /* PT_SYSTIME */
#define ST_LID_RECURRING                                 0x8223 /* PT_BOOLEAN */
#define ST_LID_INTENDED_BUSY_STATUS                      0x8224 /* PT_LONG */
#define ST_LID_APPOINTMENT_UPDATE_TIME                   0x8226 /* PT_SYSTIME */
#define ST_LID_EXCEPTION_REPLACE_TIME                    0x8228 /* PT_SYSTIME */
#define ST_LID_F_INVITED                                 0x8229 /* PT_BOOLEAN */
#define ST_LID_F_EXCEPTIONAL_ATTENDEES                   0x822B /* PT_BOOLEAN */
#define ST_LID_OWNER_NAME                                0x822E /* PT_UNICODE */
#define ST_LID_APPOINTMENT_REPLY_NAME                    0x8230 /* PT_UNICODE */
#define ST_LID_RECURRENCE_TYPE                           0x8231 /* PT_LONG */
#define ST_LID_RECURRENCE_PATTERN                        0x8232 /* PT_UNICODE */
#define ST_LID_TIME_ZONE_STRUCT                          0x8233 /* PT_BINARY */
#define ST_LID_TIME_ZONE_DESCRIPTION                     0x8234 /* PT_UNICODE */
#define ST_LID_CLIP_START                                0x8235 /* PT_SYSTIME */
#define ST_LID_CLIP_END                                  0x8236 /* PT_SYSTIME */
#define ST_LID_ORIGINAL_STORE_ENTRY_ID                   0x8237 /* PT_BINARY */
#define ST_LID_ALL_ATTENDEES_STRING                      0x8238 /* PT_UNICODE */
#define ST_LID_AUTO_FILL_LOCATION                        0x823A /* PT_BOOLEAN */
#define ST_LID_TO_ATTENDEES_STRING                       0x823B /* PT_UNICODE */
#define ST_LID_CC_ATTENDEES_STRING                       0x823C /* PT_UNICODE */
#define ST_LID_CONFERENCING_CHECK                        0x8240 /* PT_BOOLEAN */
#define ST_LID_CONFERENCING_TYPE                         0x8241 /* PT_LONG */
#define ST_LID_DIRECTORY                                 0x8242 /* PT_UNICODE */
#define ST_LID_ORGANIZER_ALIAS                           0x8243 /* PT_UNICODE */
#define ST_LID_AUTO_START_CHECK                          0x8244 /* PT_BOOLEAN */
#define ST_LID_ALLOW_EXTERNAL_CHECK                      0x8246 /* PT_BOOLEAN */
#define ST_LID_COLLABORATE_DOC                           0x8247 /* PT_UNICODE */
#define ST_LID_NET_SHOW_URL                              0x8248 /* PT_UNICODE */
#define ST_LID_ONLINE_PASSWORD                           0x8249 /* PT_UNICODE */
#define ST_LID_APPOINTMENT_PROPOSED_START_WHOLE          0x8250 /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_PROPOSED_END_WHOLE            0x8251 /* PT_SYSTIME */
#define ST_LID_APPOINTMENT_PROPOSED_DURATION             0x8256 /* PT_LONG */
#define ST_LID_APPOINTMENT_COUNTER_PROPOSAL              0x8257 /* PT_BOOLEAN */
#define ST_LID_APPOINTMENT_PROPOSAL_NUMBER               0x8259 /* PT_LONG */
#define ST_LID_APPOINTMENT_NOT_ALLOW_PROPOSE             0x825A /* PT_BOOLEAN */
#define ST_LID_APPOINTMENT_TIME_ZONE_DEFINITION_START_DISPLAY 0x825E /* PT_BINARY */
#define ST_LID_APPOINTMENT_TIME_ZONE_DEFINITION_END_DISPLAY 0x825F /* PT_BINARY */
#define ST_LID_APPOINTMENT_TIME_ZONE_DEFINITION_RECUR    0x8260 /* PT_BINARY */

/* PSETID_Common */
#define ST_LID_REMINDER_DELTA                            0x8501 /* PT_LONG */
#define ST_LID_REMINDER_TIME                             0x8502 /* PT_SYSTIME */
#define ST_LID_REMINDER_SET                              0x8503 /* PT_BOOLEAN */
#define ST_LID_PRIVATE                                   0x8506 /* PT_BOOLEAN */
#define ST_LID_AGING_DONT_AGE_ME                         0x850E /* PT_BOOLEAN */
#define ST_LID_SIDE_EFFECTS                              0x8510 /* PT_LONG */
#define ST_LID_SMART_NO_ATTACH                           0x8514 /* PT_BOOLEAN */
#define ST_LID_COMMON_START                              0x8516 /* PT_SYSTIME */
#define ST_LID_COMMON_END                                0x8517 /* PT_SYSTIME */
#define ST_LID_TASK_MODE                                 0x8518 /* PT_LONG */
#define ST_LID_TASK_GLOBAL_ID                            0x8519 /* PT_BINARY */
#define ST_LID_REMINDER_OVERRIDE                         0x851C /* PT_BOOLEAN */
#define ST_LID_REMINDER_TYPE                             0x851D /* PT_LONG */
#define ST_LID_REMINDER_PLAY_SOUND                       0x851E /* PT_BOOLEAN */
#define ST_LID_REMINDER_FILE_PARAMETER                   0x851F /* PT_UNICODE */
#define ST_LID_VERB_STREAM                               0x8520 /* PT_BINARY */
#define ST_LID_VERB_RESPONSE                             0x8524 /* PT_UNICODE */
#define ST_LID_FLAG_REQUEST                              0x8530 /* PT_UNICODE */
#define ST_LID_MILEAGE                                   0x8534 /* PT_UNICODE */
#define ST_LID_BILLING                                   0x8535 /* PT_UNICODE */
#define ST_LID_NON_SENDABLE_TO                           0x8536 /* PT_UNICODE */
#define ST_LID_NON_SENDABLE_CC                           0x8537 /* PT_UNICODE */
#define ST_LID_NON_SENDABLE_BCC                          0x8538 /* PT_UNICODE */
#define ST_LID_COMPANIES                                 0x8539 /* PT_MV_UNICODE */
#define ST_LID_CONTACTS                                  0x853A /* PT_MV_UNICODE */
#define ST_LID_HEADER_ITEM                               0x8578 /* PT_LONG */
#define ST_LID_INTERNET_ACCOUNT_NAME                     0x8580 /* PT_UNICODE */
#define ST_LID_INTERNET_ACCOUNT_STAMP                    0x8581 /* PT_UNICODE */
#define ST_LID_USE_TNEF                                  0x8582 /* PT_BOOLEAN */
#define ST_LID_CURRENT_VERSION                           0x8552 /* PT_LONG */
#define ST_LID_CURRENT_VERSION_NAME                      0x8554 /* PT_UNICODE */
#define ST_LID_REMINDER_SIGNAL_TIME                      0x8560 /* PT_SYSTIME */
#define ST_LID_TO_DO_ORDINAL_DATE                        0x85A0 /* PT_SYSTIME */
#define ST_LID_TO_DO_SUB_ORDINAL                         0x85A1 /* PT_UNICODE */
#define ST_LID_TO_DO_TITLE                               0x85A4 /* PT_UNICODE */
#define ST_LID_VALID_FLAG_STRING_PROOF                   0x85BF /* PT_SYSTIME */
#define ST_LID_FLAG_STRING                               0x85C0 /* PT_LONG */

/* PSETID_Log */
#define ST_LID_LOG_TYPE                                  0x8700 /* PT_UNICODE */
#define ST_LID_LOG_START                                 0x8706 /* PT_SYSTIME */
#define ST_LID_LOG_DURATION                              0x8707 /* PT_LONG */
#define ST_LID_LOG_END                                   0x8708 /* PT_SYSTIME */
#define ST_LID_LOG_FLAGS                                 0x870C /* PT_LONG */
#define ST_LID_LOG_DOCUMENT_PRINTED                      0x870E /* PT_BOOLEAN */
#define ST_LID_LOG_DOCUMENT_SAVED                        0x870F /* PT_BOOLEAN */
#define ST_LID_LOG_DOCUMENT_ROUTED                       0x8710 /* PT_BOOLEAN */
#define ST_LID_LOG_DOCUMENT_POSTED                       0x8711 /* PT_BOOLEAN */
#define ST_LID_LOG_TYPE_DESC                             0x8712 /* PT_UNICODE */

/* PSETID_Note */
#define ST_LID_NOTE_COLOR                                0x8B00 /* PT_LONG */
#define ST_LID_NOTE_WIDTH                                0x8B02 /* PT_LONG */
#define ST_LID_NOTE_HEIGHT                               0x8B03 /* PT_LONG */
#define ST_LID_NOTE_X                                    0x8B04 /* PT_LONG */
#define ST_LID_NOTE_Y                                    0x8B05 /* PT_LONG */

/* String names (MNID_STRING), by property set. */

/* PS_PUBLIC_STRINGS */
/* PidNameKeywords, PT_MV_UNICODE: the item's categories. */
#define ST_NAME_KEYWORDS "Keywords"
/* PidNameApplicationName, PT_UNICODE. */
#define ST_NAME_APPLICATION_NAME "AppName"
/* PidNamePhishingStamp, PT_LONG. */
#define ST_NAME_PHISHING_STAMP "http://schemas.microsoft.com/outlook/phishingstamp"
/* PidNameExchangeJunkEmailMoveStamp, PT_LONG. */
#define ST_NAME_EXCHANGE_JUNK_EMAIL_MOVE_STAMP \
    "http://schemas.microsoft.com/exchange/junkemailmovestamp"

/* PS_INTERNET_HEADERS (all PT_UNICODE) */
#define ST_NAME_CONTENT_CLASS "Content-Class"                         /* PidNameContentClass */
#define ST_NAME_CONTENT_TYPE "Content-Type"                           /* PidNameContentType */
#define ST_NAME_CONTENT_BASE "Content-Base"                           /* PidNameContentBase */
#define ST_NAME_CONTENT_TRANSFER_ENCODING "Content-Transfer-Encoding" /* PidNameContentTransferEncoding */
#define ST_NAME_ACCEPT_LANGUAGE "Accept-Language"                     /* PidNameAcceptLanguage */
#define ST_NAME_CROSS_REFERENCE "Xref"                                /* PidNameCrossReference */

/* PSETID_Attachment */
/* PidNameAttachmentMacContentType, PT_UNICODE. */
#define ST_NAME_ATTACHMENT_MAC_CONTENT_TYPE "AttachmentMacContentType"
/* PidNameAttachmentMacInfo, PT_BINARY. */
#define ST_NAME_ATTACHMENT_MAC_INFO "AttachmentMacInfo"

#endif /* MAPIDAV_STORAGE_PROPS_GUIDS_H */
