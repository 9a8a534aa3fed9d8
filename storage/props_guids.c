/*
 * props_guids.c: the property-set GUIDs, the GUID helpers and the table of
 * named properties declared in props_guids.h.
 *
 * Invariant: GUID text is exactly 36 hex-and-dash characters, optionally in
 * one pair of braces; anything else is refused, so a GUID read from a file,
 * the database or a server either parses exactly or fails. The table is
 * built from the ST_LID_* and ST_NAME_* macros, so the two cannot drift.
 *
 * Never: allocate, keep state, or depend on the C locale (no sscanf, no
 * isxdigit: ASCII only).
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "storage/error.h"
#include "storage/os.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

/* Sets {xxxxxxxx-0000-0000-C000-000000000046}: the OLE GUIDs of MAPI. */
#define OLE_GUID(l) { (l), 0x0000, 0x0000, { 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 } }

const st_guid ST_PS_MAPI = OLE_GUID(0x00020328);
const st_guid ST_PS_PUBLIC_STRINGS = OLE_GUID(0x00020329);
const st_guid ST_PS_INTERNET_HEADERS = OLE_GUID(0x00020386);
const st_guid ST_PSETID_Appointment = OLE_GUID(0x00062002);
const st_guid ST_PSETID_Task = OLE_GUID(0x00062003);
const st_guid ST_PSETID_Address = OLE_GUID(0x00062004);
const st_guid ST_PSETID_Common = OLE_GUID(0x00062008);
const st_guid ST_PSETID_Log = OLE_GUID(0x0006200A);
const st_guid ST_PSETID_Note = OLE_GUID(0x0006200E);
const st_guid ST_PSETID_Report = OLE_GUID(0x00062013);
const st_guid ST_PSETID_Remote = OLE_GUID(0x00062014);
const st_guid ST_PSETID_Sharing = OLE_GUID(0x00062040);
const st_guid ST_PSETID_PostRss = OLE_GUID(0x00062041);
const st_guid ST_PSETID_Meeting =
    { 0x6ED8DA90, 0x450B, 0x101B, { 0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05 } };
const st_guid ST_PSETID_Messaging =
    { 0x41F28F13, 0x83F4, 0x4114, { 0xA5, 0x84, 0xEE, 0xDB, 0x5A, 0x6B, 0x0B, 0xFF } };
const st_guid ST_PSETID_UnifiedMessaging =
    { 0x4442858E, 0xA9E3, 0x4E80, { 0xB9, 0x00, 0x31, 0x7A, 0x21, 0x0C, 0xC1, 0x5B } };
const st_guid ST_PSETID_AirSync =
    { 0x71035549, 0x0739, 0x4DCB, { 0x91, 0x63, 0x00, 0xF0, 0x58, 0x0D, 0xBB, 0xDF } };
const st_guid ST_PSETID_Attachment =
    { 0x96357F7F, 0x59E1, 0x47D0, { 0x99, 0xA7, 0x46, 0x51, 0x5C, 0x18, 0x3B, 0x54 } };
const st_guid ST_PSETID_CalendarAssistant =
    { 0x11000E07, 0xB51B, 0x40D6, { 0xAF, 0x21, 0xCA, 0xA8, 0x5E, 0xDA, 0xB1, 0xD0 } };
const st_guid ST_PSETID_XmlExtractedEntities =
    { 0x23239608, 0x685D, 0x4732, { 0x9C, 0x55, 0x4C, 0x95, 0xCB, 0x4E, 0x8E, 0x33 } };

typedef struct set_name {
    const st_guid *guid;   /* the set */
    const char *name;      /* its MAPI name */
} set_name;

#define SET(g) { &ST_##g, #g }

static const set_name set_names[] = {
    SET(PS_MAPI),
    SET(PS_PUBLIC_STRINGS),
    SET(PS_INTERNET_HEADERS),
    SET(PSETID_Appointment),
    SET(PSETID_Task),
    SET(PSETID_Address),
    SET(PSETID_Common),
    SET(PSETID_Log),
    SET(PSETID_Note),
    SET(PSETID_Report),
    SET(PSETID_Remote),
    SET(PSETID_Sharing),
    SET(PSETID_PostRss),
    SET(PSETID_Meeting),
    SET(PSETID_Messaging),
    SET(PSETID_UnifiedMessaging),
    SET(PSETID_AirSync),
    SET(PSETID_Attachment),
    SET(PSETID_CalendarAssistant),
    SET(PSETID_XmlExtractedEntities),
};

int st_guid_equal(const st_guid *a, const st_guid *b)
{
    return a->data1 == b->data1 && a->data2 == b->data2 && a->data3 == b->data3
        && memcmp(a->data4, b->data4, sizeof a->data4) == 0;
}

/* Writes the n low nibbles of v, most significant first, in upper case. */
static char *put_hex(char *p, uint32_t v, int n)
{
    static const char digits[] = "0123456789ABCDEF";

    while (n-- > 0)
        *p++ = digits[(v >> (4 * n)) & 0xF];
    return p;
}

char *st_guid_to_string(char out[ST_GUID_STRING_SIZE], const st_guid *g)
{
    char *p = out;
    int i;

    *p++ = '{';
    p = put_hex(p, g->data1, 8);
    *p++ = '-';
    p = put_hex(p, g->data2, 4);
    *p++ = '-';
    p = put_hex(p, g->data3, 4);
    *p++ = '-';
    p = put_hex(p, g->data4[0], 2);
    p = put_hex(p, g->data4[1], 2);
    *p++ = '-';
    for (i = 2; i < 8; i++)
        p = put_hex(p, g->data4[i], 2);
    *p++ = '}';
    *p = '\0';
    return out;
}

/* n hex digits at s into *v: 0, or -1 if one is not a hex digit. */
static int get_hex(uint32_t *v, const char *s, int n)
{
    uint32_t r = 0;

    while (n-- > 0) {
        int d = st_hex_digit((unsigned char)*s++);
        if (d < 0)
            return -1;
        r = (r << 4) | (uint32_t)d;
    }
    *v = r;
    return 0;
}

int st_guid_from_string(st_guid *out, const char *s)
{
    /* Offsets of the hex groups in "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
    static const int dash[4] = { 8, 13, 18, 23 };
    const char *text = s;
    st_guid g;
    uint32_t v;
    size_t len;
    int i;

    if (!s)
        goto bad;
    len = strlen(s);
    if (len == 38 && s[0] == '{' && s[37] == '}')
        s++;
    else if (len != 36)
        goto bad;
    for (i = 0; i < 4; i++)
        if (s[dash[i]] != '-')
            goto bad;
    if (get_hex(&v, s, 8) < 0)
        goto bad;
    g.data1 = v;
    if (get_hex(&v, s + 9, 4) < 0)
        goto bad;
    g.data2 = (uint16_t)v;
    if (get_hex(&v, s + 14, 4) < 0)
        goto bad;
    g.data3 = (uint16_t)v;
    for (i = 0; i < 8; i++) {
        /* data4: two bytes before the last dash, six after it */
        if (get_hex(&v, s + (i < 2 ? 19 + 2 * i : 24 + 2 * (i - 2)), 2) < 0)
            goto bad;
        g.data4[i] = (uint8_t)v;
    }
    *out = g;
    return 0;

bad:
    st_error_set("bad GUID \"%.40s\": want {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}",
        text ? text : "(null)");
    return -1;
}

const char *st_guid_set_name(const st_guid *g)
{
    size_t i;

    for (i = 0; i < sizeof set_names / sizeof set_names[0]; i++)
        if (st_guid_equal(set_names[i].guid, g))
            return set_names[i].name;
    return NULL;
}

/* ------------------------------------------------------------------------
 * Named properties. L: a LID of a set; N: a name of a set.
 */
#define L(set, lid, type, canonical) { &ST_PSETID_##set, MNID_ID, lid, NULL, type, #canonical }
#define N(set, name, type, canonical) { &ST_##set, MNID_STRING, 0, name, type, #canonical }

static const st_named_prop_info named[] = {
    /* PSETID_Meeting */
    L(Meeting, ST_LID_ATTENDEE_CRITICAL_CHANGE, PT_SYSTIME, PidLidAttendeeCriticalChange),
    L(Meeting, ST_LID_WHERE, PT_UNICODE, PidLidWhere),
    L(Meeting, ST_LID_GLOBAL_OBJECT_ID, PT_BINARY, PidLidGlobalObjectId),
    L(Meeting, ST_LID_IS_RECURRING, PT_BOOLEAN, PidLidIsRecurring),
    L(Meeting, ST_LID_IS_EXCEPTION, PT_BOOLEAN, PidLidIsException),
    L(Meeting, ST_LID_TIME_ZONE, PT_LONG, PidLidTimeZone),
    L(Meeting, ST_LID_START_RECURRENCE_DATE, PT_LONG, PidLidStartRecurrenceDate),
    L(Meeting, ST_LID_START_RECURRENCE_TIME, PT_LONG, PidLidStartRecurrenceTime),
    L(Meeting, ST_LID_END_RECURRENCE_DATE, PT_LONG, PidLidEndRecurrenceDate),
    L(Meeting, ST_LID_END_RECURRENCE_TIME, PT_LONG, PidLidEndRecurrenceTime),
    L(Meeting, ST_LID_OWNER_CRITICAL_CHANGE, PT_SYSTIME, PidLidOwnerCriticalChange),
    L(Meeting, ST_LID_CALENDAR_TYPE, PT_LONG, PidLidCalendarType),
    L(Meeting, ST_LID_CLEAN_GLOBAL_OBJECT_ID, PT_BINARY, PidLidCleanGlobalObjectId),
    L(Meeting, ST_LID_APPOINTMENT_MESSAGE_CLASS, PT_UNICODE, PidLidAppointmentMessageClass),
    L(Meeting, ST_LID_MEETING_TYPE, PT_LONG, PidLidMeetingType),
    /* PSETID_Address */
    L(Address, ST_LID_FILE_UNDER, PT_UNICODE, PidLidFileUnder),
    L(Address, ST_LID_FILE_UNDER_ID, PT_LONG, PidLidFileUnderId),
    L(Address, ST_LID_CONTACT_ITEM_DATA, PT_MV_LONG, PidLidContactItemData),
    L(Address, ST_LID_DEPARTMENT, PT_UNICODE, PidLidDepartment),
    L(Address, ST_LID_HAS_PICTURE, PT_BOOLEAN, PidLidHasPicture),
    L(Address, ST_LID_HOME_ADDRESS, PT_UNICODE, PidLidHomeAddress),
    L(Address, ST_LID_WORK_ADDRESS, PT_UNICODE, PidLidWorkAddress),
    L(Address, ST_LID_OTHER_ADDRESS, PT_UNICODE, PidLidOtherAddress),
    L(Address, ST_LID_POSTAL_ADDRESS_ID, PT_LONG, PidLidPostalAddressId),
    L(Address, ST_LID_CONTACT_CHARACTER_SET, PT_LONG, PidLidContactCharacterSet),
    L(Address, ST_LID_AUTO_LOG, PT_BOOLEAN, PidLidAutoLog),
    L(Address, ST_LID_FILE_UNDER_LIST, PT_MV_LONG, PidLidFileUnderList),
    L(Address, ST_LID_ADDRESS_BOOK_PROVIDER_EMAIL_LIST, PT_MV_LONG, PidLidAddressBookProviderEmailList),
    L(Address, ST_LID_ADDRESS_BOOK_PROVIDER_ARRAY_TYPE, PT_LONG, PidLidAddressBookProviderArrayType),
    L(Address, ST_LID_HTML, PT_UNICODE, PidLidHtml),
    L(Address, ST_LID_YOMI_FIRST_NAME, PT_UNICODE, PidLidYomiFirstName),
    L(Address, ST_LID_YOMI_LAST_NAME, PT_UNICODE, PidLidYomiLastName),
    L(Address, ST_LID_YOMI_COMPANY_NAME, PT_UNICODE, PidLidYomiCompanyName),
    L(Address, ST_LID_WORK_ADDRESS_STREET, PT_UNICODE, PidLidWorkAddressStreet),
    L(Address, ST_LID_WORK_ADDRESS_CITY, PT_UNICODE, PidLidWorkAddressCity),
    L(Address, ST_LID_WORK_ADDRESS_STATE, PT_UNICODE, PidLidWorkAddressState),
    L(Address, ST_LID_WORK_ADDRESS_POSTAL_CODE, PT_UNICODE, PidLidWorkAddressPostalCode),
    L(Address, ST_LID_WORK_ADDRESS_COUNTRY, PT_UNICODE, PidLidWorkAddressCountry),
    L(Address, ST_LID_WORK_ADDRESS_POST_OFFICE_BOX, PT_UNICODE, PidLidWorkAddressPostOfficeBox),
    L(Address, ST_LID_DISTRIBUTION_LIST_CHECKSUM, PT_LONG, PidLidDistributionListChecksum),
    L(Address, ST_LID_DISTRIBUTION_LIST_NAME, PT_UNICODE, PidLidDistributionListName),
    L(Address, ST_LID_DISTRIBUTION_LIST_ONE_OFF_MEMBERS, PT_MV_BINARY, PidLidDistributionListOneOffMembers),
    L(Address, ST_LID_DISTRIBUTION_LIST_MEMBERS, PT_MV_BINARY, PidLidDistributionListMembers),
    L(Address, ST_LID_INSTANT_MESSAGING_ADDRESS, PT_UNICODE, PidLidInstantMessagingAddress),
    L(Address, ST_LID_DISTRIBUTION_LIST_STREAM, PT_BINARY, PidLidDistributionListStream),
    L(Address, ST_LID_EMAIL1_DISPLAY_NAME, PT_UNICODE, PidLidEmail1DisplayName),
    L(Address, ST_LID_EMAIL1_ADDRESS_TYPE, PT_UNICODE, PidLidEmail1AddressType),
    L(Address, ST_LID_EMAIL1_EMAIL_ADDRESS, PT_UNICODE, PidLidEmail1EmailAddress),
    L(Address, ST_LID_EMAIL1_ORIGINAL_DISPLAY_NAME, PT_UNICODE, PidLidEmail1OriginalDisplayName),
    L(Address, ST_LID_EMAIL1_ORIGINAL_ENTRY_ID, PT_BINARY, PidLidEmail1OriginalEntryId),
    L(Address, ST_LID_EMAIL2_DISPLAY_NAME, PT_UNICODE, PidLidEmail2DisplayName),
    L(Address, ST_LID_EMAIL2_ADDRESS_TYPE, PT_UNICODE, PidLidEmail2AddressType),
    L(Address, ST_LID_EMAIL2_EMAIL_ADDRESS, PT_UNICODE, PidLidEmail2EmailAddress),
    L(Address, ST_LID_EMAIL2_ORIGINAL_DISPLAY_NAME, PT_UNICODE, PidLidEmail2OriginalDisplayName),
    L(Address, ST_LID_EMAIL2_ORIGINAL_ENTRY_ID, PT_BINARY, PidLidEmail2OriginalEntryId),
    L(Address, ST_LID_EMAIL3_DISPLAY_NAME, PT_UNICODE, PidLidEmail3DisplayName),
    L(Address, ST_LID_EMAIL3_ADDRESS_TYPE, PT_UNICODE, PidLidEmail3AddressType),
    L(Address, ST_LID_EMAIL3_EMAIL_ADDRESS, PT_UNICODE, PidLidEmail3EmailAddress),
    L(Address, ST_LID_EMAIL3_ORIGINAL_DISPLAY_NAME, PT_UNICODE, PidLidEmail3OriginalDisplayName),
    L(Address, ST_LID_EMAIL3_ORIGINAL_ENTRY_ID, PT_BINARY, PidLidEmail3OriginalEntryId),
    L(Address, ST_LID_FREE_BUSY_LOCATION, PT_UNICODE, PidLidFreeBusyLocation),
    L(Address, ST_LID_BIRTHDAY_LOCAL, PT_SYSTIME, PidLidBirthdayLocal),
    L(Address, ST_LID_WEDDING_ANNIVERSARY_LOCAL, PT_SYSTIME, PidLidWeddingAnniversaryLocal),
    /* PSETID_Task */
    L(Task, ST_LID_TASK_STATUS, PT_LONG, PidLidTaskStatus),
    L(Task, ST_LID_PERCENT_COMPLETE, PT_DOUBLE, PidLidPercentComplete),
    L(Task, ST_LID_TEAM_TASK, PT_BOOLEAN, PidLidTeamTask),
    L(Task, ST_LID_TASK_START_DATE, PT_SYSTIME, PidLidTaskStartDate),
    L(Task, ST_LID_TASK_DUE_DATE, PT_SYSTIME, PidLidTaskDueDate),
    L(Task, ST_LID_TASK_RESET_REMINDER, PT_BOOLEAN, PidLidTaskResetReminder),
    L(Task, ST_LID_TASK_ACCEPTED, PT_BOOLEAN, PidLidTaskAccepted),
    L(Task, ST_LID_TASK_DEAD_OCCURRENCE, PT_BOOLEAN, PidLidTaskDeadOccurrence),
    L(Task, ST_LID_TASK_DATE_COMPLETED, PT_SYSTIME, PidLidTaskDateCompleted),
    L(Task, ST_LID_TASK_ACTUAL_EFFORT, PT_LONG, PidLidTaskActualEffort),
    L(Task, ST_LID_TASK_ESTIMATED_EFFORT, PT_LONG, PidLidTaskEstimatedEffort),
    L(Task, ST_LID_TASK_VERSION, PT_LONG, PidLidTaskVersion),
    L(Task, ST_LID_TASK_STATE, PT_LONG, PidLidTaskState),
    L(Task, ST_LID_TASK_LAST_UPDATE, PT_SYSTIME, PidLidTaskLastUpdate),
    L(Task, ST_LID_TASK_RECURRENCE, PT_BINARY, PidLidTaskRecurrence),
    L(Task, ST_LID_TASK_ASSIGNERS, PT_BINARY, PidLidTaskAssigners),
    L(Task, ST_LID_TASK_STATUS_ON_COMPLETE, PT_BOOLEAN, PidLidTaskStatusOnComplete),
    L(Task, ST_LID_TASK_HISTORY, PT_LONG, PidLidTaskHistory),
    L(Task, ST_LID_TASK_UPDATES, PT_BOOLEAN, PidLidTaskUpdates),
    L(Task, ST_LID_TASK_COMPLETE, PT_BOOLEAN, PidLidTaskComplete),
    L(Task, ST_LID_TASK_F_CREATOR, PT_BOOLEAN, PidLidTaskFCreator),
    L(Task, ST_LID_TASK_OWNER, PT_UNICODE, PidLidTaskOwner),
    L(Task, ST_LID_TASK_MULTIPLE_RECIPIENTS, PT_LONG, PidLidTaskMultipleRecipients),
    L(Task, ST_LID_TASK_ASSIGNER, PT_UNICODE, PidLidTaskAssigner),
    L(Task, ST_LID_TASK_LAST_USER, PT_UNICODE, PidLidTaskLastUser),
    L(Task, ST_LID_TASK_ORDINAL, PT_LONG, PidLidTaskOrdinal),
    L(Task, ST_LID_TASK_NO_COMPUTE, PT_BOOLEAN, PidLidTaskNoCompute),
    L(Task, ST_LID_TASK_LAST_DELEGATE, PT_UNICODE, PidLidTaskLastDelegate),
    L(Task, ST_LID_TASK_F_RECURRING, PT_BOOLEAN, PidLidTaskFRecurring),
    L(Task, ST_LID_TASK_ROLE, PT_UNICODE, PidLidTaskRole),
    L(Task, ST_LID_TASK_OWNERSHIP, PT_LONG, PidLidTaskOwnership),
    L(Task, ST_LID_TASK_ACCEPTANCE_STATE, PT_LONG, PidLidTaskAcceptanceState),
    L(Task, ST_LID_TASK_F_FIX_OFFLINE, PT_BOOLEAN, PidLidTaskFFixOffline),
    L(Task, ST_LID_TASK_CUSTOM_FLAGS, PT_LONG, PidLidTaskCustomFlags),
    /* PSETID_Appointment */
    L(Appointment, ST_LID_APPOINTMENT_SEQUENCE, PT_LONG, PidLidAppointmentSequence),
    L(Appointment, ST_LID_APPOINTMENT_SEQUENCE_TIME, PT_SYSTIME, PidLidAppointmentSequenceTime),
    L(Appointment, ST_LID_APPOINTMENT_LAST_SEQUENCE, PT_LONG, PidLidAppointmentLastSequence),
    L(Appointment, ST_LID_CHANGE_HIGHLIGHT, PT_LONG, PidLidChangeHighlight),
    L(Appointment, ST_LID_BUSY_STATUS, PT_LONG, PidLidBusyStatus),
    L(Appointment, ST_LID_F_EXCEPTIONAL_BODY, PT_BOOLEAN, PidLidFExceptionalBody),
    L(Appointment, ST_LID_APPOINTMENT_AUXILIARY_FLAGS, PT_LONG, PidLidAppointmentAuxiliaryFlags),
    L(Appointment, ST_LID_LOCATION, PT_UNICODE, PidLidLocation),
    L(Appointment, ST_LID_MEETING_WORKSPACE_URL, PT_UNICODE, PidLidMeetingWorkspaceUrl),
    L(Appointment, ST_LID_FORWARD_INSTANCE, PT_BOOLEAN, PidLidForwardInstance),
    L(Appointment, ST_LID_LINKED_TASK_ITEMS, PT_MV_BINARY, PidLidLinkedTaskItems),
    L(Appointment, ST_LID_APPOINTMENT_START_WHOLE, PT_SYSTIME, PidLidAppointmentStartWhole),
    L(Appointment, ST_LID_APPOINTMENT_END_WHOLE, PT_SYSTIME, PidLidAppointmentEndWhole),
    L(Appointment, ST_LID_APPOINTMENT_START_TIME, PT_SYSTIME, PidLidAppointmentStartTime),
    L(Appointment, ST_LID_APPOINTMENT_END_TIME, PT_SYSTIME, PidLidAppointmentEndTime),
    L(Appointment, ST_LID_APPOINTMENT_END_DATE, PT_SYSTIME, PidLidAppointmentEndDate),
    L(Appointment, ST_LID_APPOINTMENT_START_DATE, PT_SYSTIME, PidLidAppointmentStartDate),
    L(Appointment, ST_LID_APPOINTMENT_DURATION, PT_LONG, PidLidAppointmentDuration),
    L(Appointment, ST_LID_APPOINTMENT_COLOR, PT_LONG, PidLidAppointmentColor),
    L(Appointment, ST_LID_APPOINTMENT_SUB_TYPE, PT_BOOLEAN, PidLidAppointmentSubType),
    L(Appointment, ST_LID_APPOINTMENT_RECUR, PT_BINARY, PidLidAppointmentRecur),
    L(Appointment, ST_LID_APPOINTMENT_STATE_FLAGS, PT_LONG, PidLidAppointmentStateFlags),
    L(Appointment, ST_LID_RESPONSE_STATUS, PT_LONG, PidLidResponseStatus),
    L(Appointment, ST_LID_APPOINTMENT_REPLY_TIME, PT_SYSTIME, PidLidAppointmentReplyTime),
    L(Appointment, ST_LID_RECURRING, PT_BOOLEAN, PidLidRecurring),
    L(Appointment, ST_LID_INTENDED_BUSY_STATUS, PT_LONG, PidLidIntendedBusyStatus),
    L(Appointment, ST_LID_APPOINTMENT_UPDATE_TIME, PT_SYSTIME, PidLidAppointmentUpdateTime),
    L(Appointment, ST_LID_EXCEPTION_REPLACE_TIME, PT_SYSTIME, PidLidExceptionReplaceTime),
    L(Appointment, ST_LID_F_INVITED, PT_BOOLEAN, PidLidFInvited),
    L(Appointment, ST_LID_F_EXCEPTIONAL_ATTENDEES, PT_BOOLEAN, PidLidFExceptionalAttendees),
    L(Appointment, ST_LID_OWNER_NAME, PT_UNICODE, PidLidOwnerName),
    L(Appointment, ST_LID_APPOINTMENT_REPLY_NAME, PT_UNICODE, PidLidAppointmentReplyName),
    L(Appointment, ST_LID_RECURRENCE_TYPE, PT_LONG, PidLidRecurrenceType),
    L(Appointment, ST_LID_RECURRENCE_PATTERN, PT_UNICODE, PidLidRecurrencePattern),
    L(Appointment, ST_LID_TIME_ZONE_STRUCT, PT_BINARY, PidLidTimeZoneStruct),
    L(Appointment, ST_LID_TIME_ZONE_DESCRIPTION, PT_UNICODE, PidLidTimeZoneDescription),
    L(Appointment, ST_LID_CLIP_START, PT_SYSTIME, PidLidClipStart),
    L(Appointment, ST_LID_CLIP_END, PT_SYSTIME, PidLidClipEnd),
    L(Appointment, ST_LID_ORIGINAL_STORE_ENTRY_ID, PT_BINARY, PidLidOriginalStoreEntryId),
    L(Appointment, ST_LID_ALL_ATTENDEES_STRING, PT_UNICODE, PidLidAllAttendeesString),
    L(Appointment, ST_LID_AUTO_FILL_LOCATION, PT_BOOLEAN, PidLidAutoFillLocation),
    L(Appointment, ST_LID_TO_ATTENDEES_STRING, PT_UNICODE, PidLidToAttendeesString),
    L(Appointment, ST_LID_CC_ATTENDEES_STRING, PT_UNICODE, PidLidCcAttendeesString),
    L(Appointment, ST_LID_CONFERENCING_CHECK, PT_BOOLEAN, PidLidConferencingCheck),
    L(Appointment, ST_LID_CONFERENCING_TYPE, PT_LONG, PidLidConferencingType),
    L(Appointment, ST_LID_DIRECTORY, PT_UNICODE, PidLidDirectory),
    L(Appointment, ST_LID_ORGANIZER_ALIAS, PT_UNICODE, PidLidOrganizerAlias),
    L(Appointment, ST_LID_AUTO_START_CHECK, PT_BOOLEAN, PidLidAutoStartCheck),
    L(Appointment, ST_LID_ALLOW_EXTERNAL_CHECK, PT_BOOLEAN, PidLidAllowExternalCheck),
    L(Appointment, ST_LID_COLLABORATE_DOC, PT_UNICODE, PidLidCollaborateDoc),
    L(Appointment, ST_LID_NET_SHOW_URL, PT_UNICODE, PidLidNetShowUrl),
    L(Appointment, ST_LID_ONLINE_PASSWORD, PT_UNICODE, PidLidOnlinePassword),
    L(Appointment, ST_LID_APPOINTMENT_PROPOSED_START_WHOLE, PT_SYSTIME, PidLidAppointmentProposedStartWhole),
    L(Appointment, ST_LID_APPOINTMENT_PROPOSED_END_WHOLE, PT_SYSTIME, PidLidAppointmentProposedEndWhole),
    L(Appointment, ST_LID_APPOINTMENT_PROPOSED_DURATION, PT_LONG, PidLidAppointmentProposedDuration),
    L(Appointment, ST_LID_APPOINTMENT_COUNTER_PROPOSAL, PT_BOOLEAN, PidLidAppointmentCounterProposal),
    L(Appointment, ST_LID_APPOINTMENT_PROPOSAL_NUMBER, PT_LONG, PidLidAppointmentProposalNumber),
    L(Appointment, ST_LID_APPOINTMENT_NOT_ALLOW_PROPOSE, PT_BOOLEAN, PidLidAppointmentNotAllowPropose),
    L(Appointment, ST_LID_APPOINTMENT_TIME_ZONE_DEFINITION_START_DISPLAY, PT_BINARY, PidLidAppointmentTimeZoneDefinitionStartDisplay),
    L(Appointment, ST_LID_APPOINTMENT_TIME_ZONE_DEFINITION_END_DISPLAY, PT_BINARY, PidLidAppointmentTimeZoneDefinitionEndDisplay),
    L(Appointment, ST_LID_APPOINTMENT_TIME_ZONE_DEFINITION_RECUR, PT_BINARY, PidLidAppointmentTimeZoneDefinitionRecur),
    /* PSETID_Common */
    L(Common, ST_LID_REMINDER_DELTA, PT_LONG, PidLidReminderDelta),
    L(Common, ST_LID_REMINDER_TIME, PT_SYSTIME, PidLidReminderTime),
    L(Common, ST_LID_REMINDER_SET, PT_BOOLEAN, PidLidReminderSet),
    L(Common, ST_LID_PRIVATE, PT_BOOLEAN, PidLidPrivate),
    L(Common, ST_LID_AGING_DONT_AGE_ME, PT_BOOLEAN, PidLidAgingDontAgeMe),
    L(Common, ST_LID_SIDE_EFFECTS, PT_LONG, PidLidSideEffects),
    L(Common, ST_LID_SMART_NO_ATTACH, PT_BOOLEAN, PidLidSmartNoAttach),
    L(Common, ST_LID_COMMON_START, PT_SYSTIME, PidLidCommonStart),
    L(Common, ST_LID_COMMON_END, PT_SYSTIME, PidLidCommonEnd),
    L(Common, ST_LID_TASK_MODE, PT_LONG, PidLidTaskMode),
    L(Common, ST_LID_TASK_GLOBAL_ID, PT_BINARY, PidLidTaskGlobalId),
    L(Common, ST_LID_REMINDER_OVERRIDE, PT_BOOLEAN, PidLidReminderOverride),
    L(Common, ST_LID_REMINDER_TYPE, PT_LONG, PidLidReminderType),
    L(Common, ST_LID_REMINDER_PLAY_SOUND, PT_BOOLEAN, PidLidReminderPlaySound),
    L(Common, ST_LID_REMINDER_FILE_PARAMETER, PT_UNICODE, PidLidReminderFileParameter),
    L(Common, ST_LID_VERB_STREAM, PT_BINARY, PidLidVerbStream),
    L(Common, ST_LID_VERB_RESPONSE, PT_UNICODE, PidLidVerbResponse),
    L(Common, ST_LID_FLAG_REQUEST, PT_UNICODE, PidLidFlagRequest),
    L(Common, ST_LID_MILEAGE, PT_UNICODE, PidLidMileage),
    L(Common, ST_LID_BILLING, PT_UNICODE, PidLidBilling),
    L(Common, ST_LID_NON_SENDABLE_TO, PT_UNICODE, PidLidNonSendableTo),
    L(Common, ST_LID_NON_SENDABLE_CC, PT_UNICODE, PidLidNonSendableCc),
    L(Common, ST_LID_NON_SENDABLE_BCC, PT_UNICODE, PidLidNonSendableBcc),
    L(Common, ST_LID_COMPANIES, PT_MV_UNICODE, PidLidCompanies),
    L(Common, ST_LID_CONTACTS, PT_MV_UNICODE, PidLidContacts),
    L(Common, ST_LID_HEADER_ITEM, PT_LONG, PidLidHeaderItem),
    L(Common, ST_LID_INTERNET_ACCOUNT_NAME, PT_UNICODE, PidLidInternetAccountName),
    L(Common, ST_LID_INTERNET_ACCOUNT_STAMP, PT_UNICODE, PidLidInternetAccountStamp),
    L(Common, ST_LID_USE_TNEF, PT_BOOLEAN, PidLidUseTnef),
    L(Common, ST_LID_CURRENT_VERSION, PT_LONG, PidLidCurrentVersion),
    L(Common, ST_LID_CURRENT_VERSION_NAME, PT_UNICODE, PidLidCurrentVersionName),
    L(Common, ST_LID_REMINDER_SIGNAL_TIME, PT_SYSTIME, PidLidReminderSignalTime),
    L(Common, ST_LID_TO_DO_ORDINAL_DATE, PT_SYSTIME, PidLidToDoOrdinalDate),
    L(Common, ST_LID_TO_DO_SUB_ORDINAL, PT_UNICODE, PidLidToDoSubOrdinal),
    L(Common, ST_LID_TO_DO_TITLE, PT_UNICODE, PidLidToDoTitle),
    L(Common, ST_LID_VALID_FLAG_STRING_PROOF, PT_SYSTIME, PidLidValidFlagStringProof),
    L(Common, ST_LID_FLAG_STRING, PT_LONG, PidLidFlagString),
    /* PSETID_Log */
    L(Log, ST_LID_LOG_TYPE, PT_UNICODE, PidLidLogType),
    L(Log, ST_LID_LOG_START, PT_SYSTIME, PidLidLogStart),
    L(Log, ST_LID_LOG_DURATION, PT_LONG, PidLidLogDuration),
    L(Log, ST_LID_LOG_END, PT_SYSTIME, PidLidLogEnd),
    L(Log, ST_LID_LOG_FLAGS, PT_LONG, PidLidLogFlags),
    L(Log, ST_LID_LOG_DOCUMENT_PRINTED, PT_BOOLEAN, PidLidLogDocumentPrinted),
    L(Log, ST_LID_LOG_DOCUMENT_SAVED, PT_BOOLEAN, PidLidLogDocumentSaved),
    L(Log, ST_LID_LOG_DOCUMENT_ROUTED, PT_BOOLEAN, PidLidLogDocumentRouted),
    L(Log, ST_LID_LOG_DOCUMENT_POSTED, PT_BOOLEAN, PidLidLogDocumentPosted),
    L(Log, ST_LID_LOG_TYPE_DESC, PT_UNICODE, PidLidLogTypeDesc),
    /* PSETID_Note */
    L(Note, ST_LID_NOTE_COLOR, PT_LONG, PidLidNoteColor),
    L(Note, ST_LID_NOTE_WIDTH, PT_LONG, PidLidNoteWidth),
    L(Note, ST_LID_NOTE_HEIGHT, PT_LONG, PidLidNoteHeight),
    L(Note, ST_LID_NOTE_X, PT_LONG, PidLidNoteX),
    L(Note, ST_LID_NOTE_Y, PT_LONG, PidLidNoteY),
    /* PS_PUBLIC_STRINGS */
    N(PS_PUBLIC_STRINGS, ST_NAME_KEYWORDS, PT_MV_UNICODE, PidNameKeywords),
    N(PS_PUBLIC_STRINGS, ST_NAME_APPLICATION_NAME, PT_UNICODE, PidNameApplicationName),
    N(PS_PUBLIC_STRINGS, ST_NAME_PHISHING_STAMP, PT_LONG, PidNamePhishingStamp),
    N(PS_PUBLIC_STRINGS, ST_NAME_EXCHANGE_JUNK_EMAIL_MOVE_STAMP, PT_LONG,
        PidNameExchangeJunkEmailMoveStamp),
    /* PS_INTERNET_HEADERS */
    N(PS_INTERNET_HEADERS, ST_NAME_CONTENT_CLASS, PT_UNICODE, PidNameContentClass),
    N(PS_INTERNET_HEADERS, ST_NAME_CONTENT_TYPE, PT_UNICODE, PidNameContentType),
    N(PS_INTERNET_HEADERS, ST_NAME_CONTENT_BASE, PT_UNICODE, PidNameContentBase),
    N(PS_INTERNET_HEADERS, ST_NAME_CONTENT_TRANSFER_ENCODING, PT_UNICODE,
        PidNameContentTransferEncoding),
    N(PS_INTERNET_HEADERS, ST_NAME_ACCEPT_LANGUAGE, PT_UNICODE, PidNameAcceptLanguage),
    N(PS_INTERNET_HEADERS, ST_NAME_CROSS_REFERENCE, PT_UNICODE, PidNameCrossReference),
    /* PSETID_Attachment */
    N(PSETID_Attachment, ST_NAME_ATTACHMENT_MAC_CONTENT_TYPE, PT_UNICODE,
        PidNameAttachmentMacContentType),
    N(PSETID_Attachment, ST_NAME_ATTACHMENT_MAC_INFO, PT_BINARY, PidNameAttachmentMacInfo),
};

#define N_NAMED (sizeof named / sizeof named[0])

const st_named_prop_info *st_named_prop_by_lid(const st_guid *set, uint32_t lid)
{
    size_t i;

    for (i = 0; i < N_NAMED; i++)
        if (named[i].kind == MNID_ID && named[i].lid == lid && st_guid_equal(named[i].set, set))
            return &named[i];
    return NULL;
}

/* ASCII-only case-insensitive equality (header field names). */
static int ascii_case_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca = (unsigned char)(ca - 'A' + 'a');
        if (cb >= 'A' && cb <= 'Z')
            cb = (unsigned char)(cb - 'A' + 'a');
        if (ca != cb)
            return 0;
        if (!ca)
            return 1;
    }
}

const st_named_prop_info *st_named_prop_by_name(const st_guid *set, const char *name)
{
    int headers = st_guid_equal(set, &ST_PS_INTERNET_HEADERS);
    size_t i;

    if (!name)
        return NULL;
    for (i = 0; i < N_NAMED; i++) {
        if (named[i].kind != MNID_STRING || !st_guid_equal(named[i].set, set))
            continue;
        if (headers ? ascii_case_eq(named[i].name, name) : strcmp(named[i].name, name) == 0)
            return &named[i];
    }
    return NULL;
}

const st_named_prop_info *st_named_prop_at(size_t i)
{
    return i < N_NAMED ? &named[i] : NULL;
}

void st_guid_new(st_guid *g, const char *salt)
{
    static _Atomic uint64_t counter;   /* two calls in one tick still differ */
    uint64_t a = st_os_time_filetime() ^ (st_os_pid() << 32) ^ (uint64_t)(uintptr_t)g;
    uint64_t b = (st_os_time_ms() + ++counter) * 0x9E3779B97F4A7C15ull;
    for (const char *p = salt ? salt : ""; *p; p++)
        b = (b ^ (uint8_t)*p) * 0x100000001B3ull;
    g->data1 = (uint32_t)a;
    g->data2 = (uint16_t)(a >> 32);
    g->data3 = (uint16_t)(((a >> 48) & 0x0FFF) | 0x4000);
    for (int i = 0; i < 8; i++)
        g->data4[i] = (uint8_t)(b >> (8 * i));
    g->data4[0] = (uint8_t)((g->data4[0] & 0x3F) | 0x80);
}
