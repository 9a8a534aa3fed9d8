/*
 * props_tags.h: the property tags, flags and constants Outlook and MAPI use,
 * written from [MS-OXPROPS] and the MAPI reference for floor 0 (portable C,
 * no Windows header), plus the name table of storage/props_names.c.
 *
 * Invariant: every value equals the one in [MS-OXPROPS] and, where mingw-w64's
 * mapidefs.h, mapitags.h or mapicode.h define the same name, the one there.
 * Every definition is guarded by #ifndef, so provider/ (floor 3), which
 * includes the Windows MAPI headers FIRST and builds with UNICODE, gets the
 * very same values without redefinition warnings. Tags are spelled token for
 * token as mapitags.h spells them, so for tags the include order does not
 * matter; flags and error codes (cast to ULONG/SCODE there) need MAPI first.
 *
 * Never: include windows.h or a MAPI header here; define a tag with a value
 * of our own invention; give a string property anything but PT_TSTRING
 * (= PT_UNICODE) in its plain name (the _W and _A names carry the width),
 * except the two that MAPI defines as 8-bit only; define again what
 * storage/props.h owns (PT_*, PROP_TAG() and friends, PROP_ID_NULL,
 * PROP_ID_INVALID, RES_AND..RES_COMMENT, RELOP_*, FL_FULLSTRING..FL_LOOSE,
 * BMR_*, TABLE_SORT_*).
 *
 * Sections follow MAPI's property-identifier ranges (0x0001-0x0BFF envelope,
 * 0x0C00 recipient, 0x0E00 non-transmittable, 0x1000 content, 0x3000 common,
 * 0x3400 store, 0x3600 folder, 0x3700 attachment, 0x3900 address book,
 * 0x3D00 profile, 0x3E00 status, 0x4000 and 0x5800 transport, 0x6000 user,
 * 0x6600 provider, 0x6800 and 0x7C00 message class); inside a section tags
 * are in increasing id order. The comment after a tag is its [MS-OXPROPS]
 * canonical name; "Outlook headers" marks the few we found only in Outlook's
 * own MAPI headers (as MFCMAPI's extraPropTags.h has them). Then flags and constants by the property they belong to,
 * then MAPI's error codes, then the name functions.
 *
 * Adding a tag: add it here in id order, then to the table in
 * props_names.c where its value sorts (test_props_tags checks the table's
 * order and that every name in it parses back; nothing checks that every
 * tag here is in it, so do not forget).
 */
#ifndef MAPIDAV_STORAGE_PROPS_TAGS_H
#define MAPIDAV_STORAGE_PROPS_TAGS_H

#include <stdint.h>

#include "storage/props.h" /* PT_*, PROP_TAG(), PROP_ID(), PROP_TYPE() */

/* mapitags.h spells PR_GENDER with PT_SHORT; storage/props.h has PT_I2 only. */
#ifndef PT_SHORT
#define PT_SHORT PT_I2
#endif

/* ------------------------------------------------------------------------
 * Property ids with a meaning of their own (PROP_ID_NULL and PROP_ID_INVALID
 * are in storage/props.h).
 */
/* Secure profile properties (passwords): IProfSect hides them. */
#ifndef PROP_ID_SECURE_MIN
#define PROP_ID_SECURE_MIN 0x67F0
#endif
#ifndef PROP_ID_SECURE_MAX
#define PROP_ID_SECURE_MAX 0x67FF
#endif
#ifndef PR_NULL
#define PR_NULL PROP_TAG(PT_NULL,PROP_ID_NULL)
#endif

/* ------------------------------------------------------------------------
 * Message envelope (0x0001-0x0BFF): transmittable properties of the
 * message as a whole, from MAPI and X.400.
 */
#ifndef PR_ACKNOWLEDGEMENT_MODE
#define PR_ACKNOWLEDGEMENT_MODE PROP_TAG(PT_LONG,0x0001) /* PidTagAcknowledgementMode */
#endif
#ifndef PR_ALTERNATE_RECIPIENT_ALLOWED
#define PR_ALTERNATE_RECIPIENT_ALLOWED PROP_TAG(PT_BOOLEAN,0x0002) /* PidTagAlternateRecipientAllowed */
#endif
#ifndef PR_AUTHORIZING_USERS
#define PR_AUTHORIZING_USERS PROP_TAG(PT_BINARY,0x0003) /* PidTagAuthorizingUsers */
#endif
#ifndef PR_AUTO_FORWARD_COMMENT
#define PR_AUTO_FORWARD_COMMENT PROP_TAG(PT_TSTRING,0x0004) /* PidTagAutoForwardComment */
#endif
#ifndef PR_AUTO_FORWARD_COMMENT_W
#define PR_AUTO_FORWARD_COMMENT_W PROP_TAG(PT_UNICODE,0x0004)
#endif
#ifndef PR_AUTO_FORWARD_COMMENT_A
#define PR_AUTO_FORWARD_COMMENT_A PROP_TAG(PT_STRING8,0x0004)
#endif
#ifndef PR_AUTO_FORWARDED
#define PR_AUTO_FORWARDED PROP_TAG(PT_BOOLEAN,0x0005) /* PidTagAutoForwarded */
#endif
#ifndef PR_CONTENT_CONFIDENTIALITY_ALGORITHM_ID
#define PR_CONTENT_CONFIDENTIALITY_ALGORITHM_ID PROP_TAG(PT_BINARY,0x0006) /* PidTagContentConfidentialityAlgorithmId */
#endif
#ifndef PR_CONTENT_CORRELATOR
#define PR_CONTENT_CORRELATOR PROP_TAG(PT_BINARY,0x0007) /* PidTagContentCorrelator */
#endif
#ifndef PR_CONTENT_IDENTIFIER
#define PR_CONTENT_IDENTIFIER PROP_TAG(PT_TSTRING,0x0008) /* PidTagContentIdentifier */
#endif
#ifndef PR_CONTENT_IDENTIFIER_W
#define PR_CONTENT_IDENTIFIER_W PROP_TAG(PT_UNICODE,0x0008)
#endif
#ifndef PR_CONTENT_IDENTIFIER_A
#define PR_CONTENT_IDENTIFIER_A PROP_TAG(PT_STRING8,0x0008)
#endif
#ifndef PR_CONTENT_LENGTH
#define PR_CONTENT_LENGTH PROP_TAG(PT_LONG,0x0009) /* PidTagContentLength */
#endif
#ifndef PR_CONTENT_RETURN_REQUESTED
#define PR_CONTENT_RETURN_REQUESTED PROP_TAG(PT_BOOLEAN,0x000A) /* PidTagContentReturnRequested */
#endif
#ifndef PR_CONVERSATION_KEY
#define PR_CONVERSATION_KEY PROP_TAG(PT_BINARY,0x000B) /* PidTagConversationKey */
#endif
#ifndef PR_CONVERSION_EITS
#define PR_CONVERSION_EITS PROP_TAG(PT_BINARY,0x000C) /* PidTagConversionEits */
#endif
#ifndef PR_CONVERSION_WITH_LOSS_PROHIBITED
#define PR_CONVERSION_WITH_LOSS_PROHIBITED PROP_TAG(PT_BOOLEAN,0x000D) /* PidTagConversionWithLossProhibited */
#endif
#ifndef PR_CONVERTED_EITS
#define PR_CONVERTED_EITS PROP_TAG(PT_BINARY,0x000E) /* PidTagConvertedEits */
#endif
#ifndef PR_DEFERRED_DELIVERY_TIME
#define PR_DEFERRED_DELIVERY_TIME PROP_TAG(PT_SYSTIME,0x000F) /* PidTagDeferredDeliveryTime */
#endif
#ifndef PR_DELIVER_TIME
#define PR_DELIVER_TIME PROP_TAG(PT_SYSTIME,0x0010) /* PidTagDeliverTime */
#endif
#ifndef PR_DISCARD_REASON
#define PR_DISCARD_REASON PROP_TAG(PT_LONG,0x0011) /* PidTagDiscardReason */
#endif
#ifndef PR_DISCLOSURE_OF_RECIPIENTS
#define PR_DISCLOSURE_OF_RECIPIENTS PROP_TAG(PT_BOOLEAN,0x0012) /* PidTagDisclosureOfRecipients */
#endif
#ifndef PR_DL_EXPANSION_HISTORY
#define PR_DL_EXPANSION_HISTORY PROP_TAG(PT_BINARY,0x0013) /* PidTagDistributionListExpansionHistory */
#endif
#ifndef PR_DL_EXPANSION_PROHIBITED
#define PR_DL_EXPANSION_PROHIBITED PROP_TAG(PT_BOOLEAN,0x0014) /* PidTagDistributionListExpansionProhibited */
#endif
#ifndef PR_EXPIRY_TIME
#define PR_EXPIRY_TIME PROP_TAG(PT_SYSTIME,0x0015) /* PidTagExpiryTime */
#endif
#ifndef PR_IMPLICIT_CONVERSION_PROHIBITED
#define PR_IMPLICIT_CONVERSION_PROHIBITED PROP_TAG(PT_BOOLEAN,0x0016) /* PidTagImplicitConversionProhibited */
#endif
#ifndef PR_IMPORTANCE
#define PR_IMPORTANCE PROP_TAG(PT_LONG,0x0017) /* PidTagImportance */
#endif
#ifndef PR_IPM_ID
#define PR_IPM_ID PROP_TAG(PT_BINARY,0x0018) /* PidTagIpmId */
#endif
#ifndef PR_LATEST_DELIVERY_TIME
#define PR_LATEST_DELIVERY_TIME PROP_TAG(PT_SYSTIME,0x0019) /* PidTagLatestDeliveryTime */
#endif
#ifndef PR_MESSAGE_CLASS
#define PR_MESSAGE_CLASS PROP_TAG(PT_TSTRING,0x001A) /* PidTagMessageClass */
#endif
#ifndef PR_MESSAGE_CLASS_W
#define PR_MESSAGE_CLASS_W PROP_TAG(PT_UNICODE,0x001A)
#endif
#ifndef PR_MESSAGE_CLASS_A
#define PR_MESSAGE_CLASS_A PROP_TAG(PT_STRING8,0x001A)
#endif
#ifndef PR_MESSAGE_DELIVERY_ID
#define PR_MESSAGE_DELIVERY_ID PROP_TAG(PT_BINARY,0x001B) /* PidTagMessageDeliveryId */
#endif
#ifndef PR_MESSAGE_SECURITY_LABEL
#define PR_MESSAGE_SECURITY_LABEL PROP_TAG(PT_BINARY,0x001E) /* PidTagMessageSecurityLabel */
#endif
#ifndef PR_OBSOLETED_IPMS
#define PR_OBSOLETED_IPMS PROP_TAG(PT_BINARY,0x001F) /* PidTagObsoletedMessageIds */
#endif
#ifndef PR_ORIGINALLY_INTENDED_RECIPIENT_NAME
#define PR_ORIGINALLY_INTENDED_RECIPIENT_NAME PROP_TAG(PT_BINARY,0x0020) /* PidTagOriginallyIntendedRecipientName */
#endif
#ifndef PR_ORIGINAL_EITS
#define PR_ORIGINAL_EITS PROP_TAG(PT_BINARY,0x0021) /* PidTagOriginalEits */
#endif
#ifndef PR_ORIGINATOR_CERTIFICATE
#define PR_ORIGINATOR_CERTIFICATE PROP_TAG(PT_BINARY,0x0022) /* PidTagOriginatorCertificate */
#endif
#ifndef PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED
#define PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED PROP_TAG(PT_BOOLEAN,0x0023) /* PidTagOriginatorDeliveryReportRequested */
#endif
#ifndef PR_ORIGINATOR_RETURN_ADDRESS
#define PR_ORIGINATOR_RETURN_ADDRESS PROP_TAG(PT_BINARY,0x0024) /* PidTagOriginatorReturnAddress */
#endif
#ifndef PR_PARENT_KEY
#define PR_PARENT_KEY PROP_TAG(PT_BINARY,0x0025) /* PidTagParentKey */
#endif
#ifndef PR_PRIORITY
#define PR_PRIORITY PROP_TAG(PT_LONG,0x0026) /* PidTagPriority */
#endif
#ifndef PR_ORIGIN_CHECK
#define PR_ORIGIN_CHECK PROP_TAG(PT_BINARY,0x0027) /* PidTagOriginCheck */
#endif
#ifndef PR_PROOF_OF_SUBMISSION_REQUESTED
#define PR_PROOF_OF_SUBMISSION_REQUESTED PROP_TAG(PT_BOOLEAN,0x0028) /* PidTagProofOfSubmissionRequested */
#endif
#ifndef PR_READ_RECEIPT_REQUESTED
#define PR_READ_RECEIPT_REQUESTED PROP_TAG(PT_BOOLEAN,0x0029) /* PidTagReadReceiptRequested */
#endif
#ifndef PR_RECEIPT_TIME
#define PR_RECEIPT_TIME PROP_TAG(PT_SYSTIME,0x002A) /* PidTagReceiptTime */
#endif
#ifndef PR_RECIPIENT_REASSIGNMENT_PROHIBITED
#define PR_RECIPIENT_REASSIGNMENT_PROHIBITED PROP_TAG(PT_BOOLEAN,0x002B) /* PidTagRecipientReassignmentProhibited */
#endif
#ifndef PR_REDIRECTION_HISTORY
#define PR_REDIRECTION_HISTORY PROP_TAG(PT_BINARY,0x002C) /* PidTagRedirectionHistory */
#endif
#ifndef PR_RELATED_IPMS
#define PR_RELATED_IPMS PROP_TAG(PT_BINARY,0x002D) /* PidTagRelatedMessageIds */
#endif
#ifndef PR_ORIGINAL_SENSITIVITY
#define PR_ORIGINAL_SENSITIVITY PROP_TAG(PT_LONG,0x002E) /* PidTagOriginalSensitivity */
#endif
#ifndef PR_LANGUAGES
#define PR_LANGUAGES PROP_TAG(PT_TSTRING,0x002F) /* PidTagLanguages */
#endif
#ifndef PR_LANGUAGES_W
#define PR_LANGUAGES_W PROP_TAG(PT_UNICODE,0x002F)
#endif
#ifndef PR_LANGUAGES_A
#define PR_LANGUAGES_A PROP_TAG(PT_STRING8,0x002F)
#endif
#ifndef PR_REPLY_TIME
#define PR_REPLY_TIME PROP_TAG(PT_SYSTIME,0x0030) /* PidTagReplyTime */
#endif
#ifndef PR_REPORT_TAG
#define PR_REPORT_TAG PROP_TAG(PT_BINARY,0x0031) /* PidTagReportTag */
#endif
#ifndef PR_REPORT_TIME
#define PR_REPORT_TIME PROP_TAG(PT_SYSTIME,0x0032) /* PidTagReportTime */
#endif
#ifndef PR_RETURNED_IPM
#define PR_RETURNED_IPM PROP_TAG(PT_BOOLEAN,0x0033) /* PidTagReturnedMessageid */
#endif
#ifndef PR_SECURITY
#define PR_SECURITY PROP_TAG(PT_LONG,0x0034) /* PidTagSecurity */
#endif
#ifndef PR_INCOMPLETE_COPY
#define PR_INCOMPLETE_COPY PROP_TAG(PT_BOOLEAN,0x0035) /* PidTagIncompleteCopy */
#endif
#ifndef PR_SENSITIVITY
#define PR_SENSITIVITY PROP_TAG(PT_LONG,0x0036) /* PidTagSensitivity */
#endif
#ifndef PR_SUBJECT
#define PR_SUBJECT PROP_TAG(PT_TSTRING,0x0037) /* PidTagSubject */
#endif
#ifndef PR_SUBJECT_W
#define PR_SUBJECT_W PROP_TAG(PT_UNICODE,0x0037)
#endif
#ifndef PR_SUBJECT_A
#define PR_SUBJECT_A PROP_TAG(PT_STRING8,0x0037)
#endif
#ifndef PR_SUBJECT_IPM
#define PR_SUBJECT_IPM PROP_TAG(PT_BINARY,0x0038) /* PidTagSubjectMessageId */
#endif
#ifndef PR_CLIENT_SUBMIT_TIME
#define PR_CLIENT_SUBMIT_TIME PROP_TAG(PT_SYSTIME,0x0039) /* PidTagClientSubmitTime */
#endif
#ifndef PR_REPORT_NAME
#define PR_REPORT_NAME PROP_TAG(PT_TSTRING,0x003A) /* PidTagReportName */
#endif
#ifndef PR_REPORT_NAME_W
#define PR_REPORT_NAME_W PROP_TAG(PT_UNICODE,0x003A)
#endif
#ifndef PR_REPORT_NAME_A
#define PR_REPORT_NAME_A PROP_TAG(PT_STRING8,0x003A)
#endif
#ifndef PR_SENT_REPRESENTING_SEARCH_KEY
#define PR_SENT_REPRESENTING_SEARCH_KEY PROP_TAG(PT_BINARY,0x003B) /* PidTagSentRepresentingSearchKey */
#endif
#ifndef PR_X400_CONTENT_TYPE
#define PR_X400_CONTENT_TYPE PROP_TAG(PT_BINARY,0x003C) /* PidTagX400ContentType */
#endif
#ifndef PR_SUBJECT_PREFIX
#define PR_SUBJECT_PREFIX PROP_TAG(PT_TSTRING,0x003D) /* PidTagSubjectPrefix */
#endif
#ifndef PR_SUBJECT_PREFIX_W
#define PR_SUBJECT_PREFIX_W PROP_TAG(PT_UNICODE,0x003D)
#endif
#ifndef PR_SUBJECT_PREFIX_A
#define PR_SUBJECT_PREFIX_A PROP_TAG(PT_STRING8,0x003D)
#endif
#ifndef PR_NON_RECEIPT_REASON
#define PR_NON_RECEIPT_REASON PROP_TAG(PT_LONG,0x003E) /* PidTagNonReceiptReason */
#endif
#ifndef PR_RECEIVED_BY_ENTRYID
#define PR_RECEIVED_BY_ENTRYID PROP_TAG(PT_BINARY,0x003F) /* PidTagReceivedByEntryId */
#endif
#ifndef PR_RECEIVED_BY_NAME
#define PR_RECEIVED_BY_NAME PROP_TAG(PT_TSTRING,0x0040) /* PidTagReceivedByName */
#endif
#ifndef PR_RECEIVED_BY_NAME_W
#define PR_RECEIVED_BY_NAME_W PROP_TAG(PT_UNICODE,0x0040)
#endif
#ifndef PR_RECEIVED_BY_NAME_A
#define PR_RECEIVED_BY_NAME_A PROP_TAG(PT_STRING8,0x0040)
#endif
#ifndef PR_SENT_REPRESENTING_ENTRYID
#define PR_SENT_REPRESENTING_ENTRYID PROP_TAG(PT_BINARY,0x0041) /* PidTagSentRepresentingEntryId */
#endif
#ifndef PR_SENT_REPRESENTING_NAME
#define PR_SENT_REPRESENTING_NAME PROP_TAG(PT_TSTRING,0x0042) /* PidTagSentRepresentingName */
#endif
#ifndef PR_SENT_REPRESENTING_NAME_W
#define PR_SENT_REPRESENTING_NAME_W PROP_TAG(PT_UNICODE,0x0042)
#endif
#ifndef PR_SENT_REPRESENTING_NAME_A
#define PR_SENT_REPRESENTING_NAME_A PROP_TAG(PT_STRING8,0x0042)
#endif
#ifndef PR_RCVD_REPRESENTING_ENTRYID
#define PR_RCVD_REPRESENTING_ENTRYID PROP_TAG(PT_BINARY,0x0043) /* PidTagReceivedRepresentingEntryId */
#endif
#ifndef PR_RCVD_REPRESENTING_NAME
#define PR_RCVD_REPRESENTING_NAME PROP_TAG(PT_TSTRING,0x0044) /* PidTagReceivedRepresentingName */
#endif
#ifndef PR_RCVD_REPRESENTING_NAME_W
#define PR_RCVD_REPRESENTING_NAME_W PROP_TAG(PT_UNICODE,0x0044)
#endif
#ifndef PR_RCVD_REPRESENTING_NAME_A
#define PR_RCVD_REPRESENTING_NAME_A PROP_TAG(PT_STRING8,0x0044)
#endif
#ifndef PR_REPORT_ENTRYID
#define PR_REPORT_ENTRYID PROP_TAG(PT_BINARY,0x0045) /* PidTagReportEntryId */
#endif
#ifndef PR_READ_RECEIPT_ENTRYID
#define PR_READ_RECEIPT_ENTRYID PROP_TAG(PT_BINARY,0x0046) /* PidTagReadReceiptEntryId */
#endif
#ifndef PR_MESSAGE_SUBMISSION_ID
#define PR_MESSAGE_SUBMISSION_ID PROP_TAG(PT_BINARY,0x0047) /* PidTagMessageSubmissionId */
#endif
#ifndef PR_PROVIDER_SUBMIT_TIME
#define PR_PROVIDER_SUBMIT_TIME PROP_TAG(PT_SYSTIME,0x0048) /* PidTagProviderSubmitTime */
#endif
#ifndef PR_ORIGINAL_SUBJECT
#define PR_ORIGINAL_SUBJECT PROP_TAG(PT_TSTRING,0x0049) /* PidTagOriginalSubject */
#endif
#ifndef PR_ORIGINAL_SUBJECT_W
#define PR_ORIGINAL_SUBJECT_W PROP_TAG(PT_UNICODE,0x0049)
#endif
#ifndef PR_ORIGINAL_SUBJECT_A
#define PR_ORIGINAL_SUBJECT_A PROP_TAG(PT_STRING8,0x0049)
#endif
#ifndef PR_DISC_VAL
#define PR_DISC_VAL PROP_TAG(PT_BOOLEAN,0x004A) /* PidTagDiscVal */
#endif
#ifndef PR_ORIG_MESSAGE_CLASS
#define PR_ORIG_MESSAGE_CLASS PROP_TAG(PT_TSTRING,0x004B) /* PidTagOriginalMessageClass */
#endif
#ifndef PR_ORIG_MESSAGE_CLASS_W
#define PR_ORIG_MESSAGE_CLASS_W PROP_TAG(PT_UNICODE,0x004B)
#endif
#ifndef PR_ORIG_MESSAGE_CLASS_A
#define PR_ORIG_MESSAGE_CLASS_A PROP_TAG(PT_STRING8,0x004B)
#endif
#ifndef PR_ORIGINAL_AUTHOR_ENTRYID
#define PR_ORIGINAL_AUTHOR_ENTRYID PROP_TAG(PT_BINARY,0x004C) /* PidTagOriginalAuthorEntryId */
#endif
#ifndef PR_ORIGINAL_AUTHOR_NAME
#define PR_ORIGINAL_AUTHOR_NAME PROP_TAG(PT_TSTRING,0x004D) /* PidTagOriginalAuthorName */
#endif
#ifndef PR_ORIGINAL_AUTHOR_NAME_W
#define PR_ORIGINAL_AUTHOR_NAME_W PROP_TAG(PT_UNICODE,0x004D)
#endif
#ifndef PR_ORIGINAL_AUTHOR_NAME_A
#define PR_ORIGINAL_AUTHOR_NAME_A PROP_TAG(PT_STRING8,0x004D)
#endif
#ifndef PR_ORIGINAL_SUBMIT_TIME
#define PR_ORIGINAL_SUBMIT_TIME PROP_TAG(PT_SYSTIME,0x004E) /* PidTagOriginalSubmitTime */
#endif
#ifndef PR_REPLY_RECIPIENT_ENTRIES
#define PR_REPLY_RECIPIENT_ENTRIES PROP_TAG(PT_BINARY,0x004F) /* PidTagReplyRecipientEntries */
#endif
#ifndef PR_REPLY_RECIPIENT_NAMES
#define PR_REPLY_RECIPIENT_NAMES PROP_TAG(PT_TSTRING,0x0050) /* PidTagReplyRecipientNames */
#endif
#ifndef PR_REPLY_RECIPIENT_NAMES_W
#define PR_REPLY_RECIPIENT_NAMES_W PROP_TAG(PT_UNICODE,0x0050)
#endif
#ifndef PR_REPLY_RECIPIENT_NAMES_A
#define PR_REPLY_RECIPIENT_NAMES_A PROP_TAG(PT_STRING8,0x0050)
#endif
#ifndef PR_RECEIVED_BY_SEARCH_KEY
#define PR_RECEIVED_BY_SEARCH_KEY PROP_TAG(PT_BINARY,0x0051) /* PidTagReceivedBySearchKey */
#endif
#ifndef PR_RCVD_REPRESENTING_SEARCH_KEY
#define PR_RCVD_REPRESENTING_SEARCH_KEY PROP_TAG(PT_BINARY,0x0052) /* PidTagReceivedRepresentingSearchKey */
#endif
#ifndef PR_READ_RECEIPT_SEARCH_KEY
#define PR_READ_RECEIPT_SEARCH_KEY PROP_TAG(PT_BINARY,0x0053) /* PidTagReadReceiptSearchKey */
#endif
#ifndef PR_REPORT_SEARCH_KEY
#define PR_REPORT_SEARCH_KEY PROP_TAG(PT_BINARY,0x0054) /* PidTagReportSearchKey */
#endif
#ifndef PR_ORIGINAL_DELIVERY_TIME
#define PR_ORIGINAL_DELIVERY_TIME PROP_TAG(PT_SYSTIME,0x0055) /* PidTagOriginalDeliveryTime */
#endif
#ifndef PR_ORIGINAL_AUTHOR_SEARCH_KEY
#define PR_ORIGINAL_AUTHOR_SEARCH_KEY PROP_TAG(PT_BINARY,0x0056) /* PidTagOriginalAuthorSearchKey */
#endif
#ifndef PR_MESSAGE_TO_ME
#define PR_MESSAGE_TO_ME PROP_TAG(PT_BOOLEAN,0x0057) /* PidTagMessageToMe */
#endif
#ifndef PR_MESSAGE_CC_ME
#define PR_MESSAGE_CC_ME PROP_TAG(PT_BOOLEAN,0x0058) /* PidTagMessageCcMe */
#endif
#ifndef PR_MESSAGE_RECIP_ME
#define PR_MESSAGE_RECIP_ME PROP_TAG(PT_BOOLEAN,0x0059) /* PidTagMessageRecipientMe */
#endif
#ifndef PR_ORIGINAL_SENDER_NAME
#define PR_ORIGINAL_SENDER_NAME PROP_TAG(PT_TSTRING,0x005A) /* PidTagOriginalSenderName */
#endif
#ifndef PR_ORIGINAL_SENDER_NAME_W
#define PR_ORIGINAL_SENDER_NAME_W PROP_TAG(PT_UNICODE,0x005A)
#endif
#ifndef PR_ORIGINAL_SENDER_NAME_A
#define PR_ORIGINAL_SENDER_NAME_A PROP_TAG(PT_STRING8,0x005A)
#endif
#ifndef PR_ORIGINAL_SENDER_ENTRYID
#define PR_ORIGINAL_SENDER_ENTRYID PROP_TAG(PT_BINARY,0x005B) /* PidTagOriginalSenderEntryId */
#endif
#ifndef PR_ORIGINAL_SENDER_SEARCH_KEY
#define PR_ORIGINAL_SENDER_SEARCH_KEY PROP_TAG(PT_BINARY,0x005C) /* PidTagOriginalSenderSearchKey */
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_NAME
#define PR_ORIGINAL_SENT_REPRESENTING_NAME PROP_TAG(PT_TSTRING,0x005D) /* PidTagOriginalSentRepresentingName */
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_NAME_W
#define PR_ORIGINAL_SENT_REPRESENTING_NAME_W PROP_TAG(PT_UNICODE,0x005D)
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_NAME_A
#define PR_ORIGINAL_SENT_REPRESENTING_NAME_A PROP_TAG(PT_STRING8,0x005D)
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_ENTRYID
#define PR_ORIGINAL_SENT_REPRESENTING_ENTRYID PROP_TAG(PT_BINARY,0x005E) /* PidTagOriginalSentRepresentingEntryId */
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY
#define PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY PROP_TAG(PT_BINARY,0x005F) /* PidTagOriginalSentRepresentingSearchKey */
#endif
#ifndef PR_START_DATE
#define PR_START_DATE PROP_TAG(PT_SYSTIME,0x0060) /* PidTagStartDate */
#endif
#ifndef PR_END_DATE
#define PR_END_DATE PROP_TAG(PT_SYSTIME,0x0061) /* PidTagEndDate */
#endif
#ifndef PR_OWNER_APPT_ID
#define PR_OWNER_APPT_ID PROP_TAG(PT_LONG,0x0062) /* PidTagOwnerAppointmentId */
#endif
#ifndef PR_RESPONSE_REQUESTED
#define PR_RESPONSE_REQUESTED PROP_TAG(PT_BOOLEAN,0x0063) /* PidTagResponseRequested */
#endif
#ifndef PR_SENT_REPRESENTING_ADDRTYPE
#define PR_SENT_REPRESENTING_ADDRTYPE PROP_TAG(PT_TSTRING,0x0064) /* PidTagSentRepresentingAddressType */
#endif
#ifndef PR_SENT_REPRESENTING_ADDRTYPE_W
#define PR_SENT_REPRESENTING_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x0064)
#endif
#ifndef PR_SENT_REPRESENTING_ADDRTYPE_A
#define PR_SENT_REPRESENTING_ADDRTYPE_A PROP_TAG(PT_STRING8,0x0064)
#endif
#ifndef PR_SENT_REPRESENTING_EMAIL_ADDRESS
#define PR_SENT_REPRESENTING_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x0065) /* PidTagSentRepresentingEmailAddress */
#endif
#ifndef PR_SENT_REPRESENTING_EMAIL_ADDRESS_W
#define PR_SENT_REPRESENTING_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x0065)
#endif
#ifndef PR_SENT_REPRESENTING_EMAIL_ADDRESS_A
#define PR_SENT_REPRESENTING_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x0065)
#endif
#ifndef PR_ORIGINAL_SENDER_ADDRTYPE
#define PR_ORIGINAL_SENDER_ADDRTYPE PROP_TAG(PT_TSTRING,0x0066) /* PidTagOriginalSenderAddressType */
#endif
#ifndef PR_ORIGINAL_SENDER_ADDRTYPE_W
#define PR_ORIGINAL_SENDER_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x0066)
#endif
#ifndef PR_ORIGINAL_SENDER_ADDRTYPE_A
#define PR_ORIGINAL_SENDER_ADDRTYPE_A PROP_TAG(PT_STRING8,0x0066)
#endif
#ifndef PR_ORIGINAL_SENDER_EMAIL_ADDRESS
#define PR_ORIGINAL_SENDER_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x0067) /* PidTagOriginalSenderEmailAddress */
#endif
#ifndef PR_ORIGINAL_SENDER_EMAIL_ADDRESS_W
#define PR_ORIGINAL_SENDER_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x0067)
#endif
#ifndef PR_ORIGINAL_SENDER_EMAIL_ADDRESS_A
#define PR_ORIGINAL_SENDER_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x0067)
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE
#define PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE PROP_TAG(PT_TSTRING,0x0068) /* PidTagOriginalSentRepresentingAddressType */
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE_W
#define PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x0068)
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE_A
#define PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE_A PROP_TAG(PT_STRING8,0x0068)
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS
#define PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x0069) /* PidTagOriginalSentRepresentingEmailAddress */
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS_W
#define PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x0069)
#endif
#ifndef PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS_A
#define PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x0069)
#endif
#ifndef PR_CONVERSATION_TOPIC
#define PR_CONVERSATION_TOPIC PROP_TAG(PT_TSTRING,0x0070) /* PidTagConversationTopic */
#endif
#ifndef PR_CONVERSATION_TOPIC_W
#define PR_CONVERSATION_TOPIC_W PROP_TAG(PT_UNICODE,0x0070)
#endif
#ifndef PR_CONVERSATION_TOPIC_A
#define PR_CONVERSATION_TOPIC_A PROP_TAG(PT_STRING8,0x0070)
#endif
#ifndef PR_CONVERSATION_INDEX
#define PR_CONVERSATION_INDEX PROP_TAG(PT_BINARY,0x0071) /* PidTagConversationIndex */
#endif
#ifndef PR_ORIGINAL_DISPLAY_BCC
#define PR_ORIGINAL_DISPLAY_BCC PROP_TAG(PT_TSTRING,0x0072) /* PidTagOriginalDisplayBcc */
#endif
#ifndef PR_ORIGINAL_DISPLAY_BCC_W
#define PR_ORIGINAL_DISPLAY_BCC_W PROP_TAG(PT_UNICODE,0x0072)
#endif
#ifndef PR_ORIGINAL_DISPLAY_BCC_A
#define PR_ORIGINAL_DISPLAY_BCC_A PROP_TAG(PT_STRING8,0x0072)
#endif
#ifndef PR_ORIGINAL_DISPLAY_CC
#define PR_ORIGINAL_DISPLAY_CC PROP_TAG(PT_TSTRING,0x0073) /* PidTagOriginalDisplayCc */
#endif
#ifndef PR_ORIGINAL_DISPLAY_CC_W
#define PR_ORIGINAL_DISPLAY_CC_W PROP_TAG(PT_UNICODE,0x0073)
#endif
#ifndef PR_ORIGINAL_DISPLAY_CC_A
#define PR_ORIGINAL_DISPLAY_CC_A PROP_TAG(PT_STRING8,0x0073)
#endif
#ifndef PR_ORIGINAL_DISPLAY_TO
#define PR_ORIGINAL_DISPLAY_TO PROP_TAG(PT_TSTRING,0x0074) /* PidTagOriginalDisplayTo */
#endif
#ifndef PR_ORIGINAL_DISPLAY_TO_W
#define PR_ORIGINAL_DISPLAY_TO_W PROP_TAG(PT_UNICODE,0x0074)
#endif
#ifndef PR_ORIGINAL_DISPLAY_TO_A
#define PR_ORIGINAL_DISPLAY_TO_A PROP_TAG(PT_STRING8,0x0074)
#endif
#ifndef PR_RECEIVED_BY_ADDRTYPE
#define PR_RECEIVED_BY_ADDRTYPE PROP_TAG(PT_TSTRING,0x0075) /* PidTagReceivedByAddressType */
#endif
#ifndef PR_RECEIVED_BY_ADDRTYPE_W
#define PR_RECEIVED_BY_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x0075)
#endif
#ifndef PR_RECEIVED_BY_ADDRTYPE_A
#define PR_RECEIVED_BY_ADDRTYPE_A PROP_TAG(PT_STRING8,0x0075)
#endif
#ifndef PR_RECEIVED_BY_EMAIL_ADDRESS
#define PR_RECEIVED_BY_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x0076) /* PidTagReceivedByEmailAddress */
#endif
#ifndef PR_RECEIVED_BY_EMAIL_ADDRESS_W
#define PR_RECEIVED_BY_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x0076)
#endif
#ifndef PR_RECEIVED_BY_EMAIL_ADDRESS_A
#define PR_RECEIVED_BY_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x0076)
#endif
#ifndef PR_RCVD_REPRESENTING_ADDRTYPE
#define PR_RCVD_REPRESENTING_ADDRTYPE PROP_TAG(PT_TSTRING,0x0077) /* PidTagReceivedRepresentingAddressType */
#endif
#ifndef PR_RCVD_REPRESENTING_ADDRTYPE_W
#define PR_RCVD_REPRESENTING_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x0077)
#endif
#ifndef PR_RCVD_REPRESENTING_ADDRTYPE_A
#define PR_RCVD_REPRESENTING_ADDRTYPE_A PROP_TAG(PT_STRING8,0x0077)
#endif
#ifndef PR_RCVD_REPRESENTING_EMAIL_ADDRESS
#define PR_RCVD_REPRESENTING_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x0078) /* PidTagReceivedRepresentingEmailAddress */
#endif
#ifndef PR_RCVD_REPRESENTING_EMAIL_ADDRESS_W
#define PR_RCVD_REPRESENTING_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x0078)
#endif
#ifndef PR_RCVD_REPRESENTING_EMAIL_ADDRESS_A
#define PR_RCVD_REPRESENTING_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x0078)
#endif
#ifndef PR_ORIGINAL_AUTHOR_ADDRTYPE
#define PR_ORIGINAL_AUTHOR_ADDRTYPE PROP_TAG(PT_TSTRING,0x0079) /* PidTagOriginalAuthorAddressType */
#endif
#ifndef PR_ORIGINAL_AUTHOR_ADDRTYPE_W
#define PR_ORIGINAL_AUTHOR_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x0079)
#endif
#ifndef PR_ORIGINAL_AUTHOR_ADDRTYPE_A
#define PR_ORIGINAL_AUTHOR_ADDRTYPE_A PROP_TAG(PT_STRING8,0x0079)
#endif
#ifndef PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS
#define PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x007A) /* PidTagOriginalAuthorEmailAddress */
#endif
#ifndef PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS_W
#define PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x007A)
#endif
#ifndef PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS_A
#define PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x007A)
#endif
#ifndef PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE
#define PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE PROP_TAG(PT_TSTRING,0x007B) /* PidTagOriginallyIntendedRecipAddrtype */
#endif
#ifndef PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE_W
#define PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x007B)
#endif
#ifndef PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE_A
#define PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE_A PROP_TAG(PT_STRING8,0x007B)
#endif
#ifndef PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS
#define PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x007C) /* PidTagOriginallyIntendedRecipEmailAddress */
#endif
#ifndef PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS_W
#define PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x007C)
#endif
#ifndef PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS_A
#define PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x007C)
#endif
#ifndef PR_TRANSPORT_MESSAGE_HEADERS
#define PR_TRANSPORT_MESSAGE_HEADERS PROP_TAG(PT_TSTRING,0x007D) /* PidTagTransportMessageHeaders */
#endif
#ifndef PR_TRANSPORT_MESSAGE_HEADERS_W
#define PR_TRANSPORT_MESSAGE_HEADERS_W PROP_TAG(PT_UNICODE,0x007D)
#endif
#ifndef PR_TRANSPORT_MESSAGE_HEADERS_A
#define PR_TRANSPORT_MESSAGE_HEADERS_A PROP_TAG(PT_STRING8,0x007D)
#endif
#ifndef PR_DELEGATION
#define PR_DELEGATION PROP_TAG(PT_BINARY,0x007E) /* PidTagDelegation */
#endif
#ifndef PR_TNEF_CORRELATION_KEY
#define PR_TNEF_CORRELATION_KEY PROP_TAG(PT_BINARY,0x007F) /* PidTagTnefCorrelationKey */
#endif

/* ------------------------------------------------------------------------
 * Recipient and sender (0x0C00-0x0DFF).
 */
#ifndef PR_CONTENT_INTEGRITY_CHECK
#define PR_CONTENT_INTEGRITY_CHECK PROP_TAG(PT_BINARY,0x0C00) /* PidTagContentIntegrityCheck */
#endif
#ifndef PR_EXPLICIT_CONVERSION
#define PR_EXPLICIT_CONVERSION PROP_TAG(PT_LONG,0x0C01) /* PidTagExplicitConversion */
#endif
#ifndef PR_IPM_RETURN_REQUESTED
#define PR_IPM_RETURN_REQUESTED PROP_TAG(PT_BOOLEAN,0x0C02) /* PidTagIpmReturnRequested */
#endif
#ifndef PR_MESSAGE_TOKEN
#define PR_MESSAGE_TOKEN PROP_TAG(PT_BINARY,0x0C03) /* PidTagMessageToken */
#endif
#ifndef PR_NDR_REASON_CODE
#define PR_NDR_REASON_CODE PROP_TAG(PT_LONG,0x0C04) /* PidTagNonDeliveryReportReasonCode */
#endif
#ifndef PR_NDR_DIAG_CODE
#define PR_NDR_DIAG_CODE PROP_TAG(PT_LONG,0x0C05) /* PidTagNonDeliveryReportDiagCode */
#endif
#ifndef PR_NON_RECEIPT_NOTIFICATION_REQUESTED
#define PR_NON_RECEIPT_NOTIFICATION_REQUESTED PROP_TAG(PT_BOOLEAN,0x0C06) /* PidTagNonReceiptNotificationRequested */
#endif
#ifndef PR_DELIVERY_POINT
#define PR_DELIVERY_POINT PROP_TAG(PT_LONG,0x0C07) /* PidTagDeliveryPoint */
#endif
#ifndef PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED
#define PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED PROP_TAG(PT_BOOLEAN,0x0C08) /* PidTagOriginatorNonDeliveryReportRequested */
#endif
#ifndef PR_ORIGINATOR_REQUESTED_ALTERNATE_RECIPIENT
#define PR_ORIGINATOR_REQUESTED_ALTERNATE_RECIPIENT PROP_TAG(PT_BINARY,0x0C09) /* PidTagOriginatorRequestedAlternateRecipient */
#endif
#ifndef PR_PHYSICAL_DELIVERY_BUREAU_FAX_DELIVERY
#define PR_PHYSICAL_DELIVERY_BUREAU_FAX_DELIVERY PROP_TAG(PT_BOOLEAN,0x0C0A) /* PidTagPhysicalDeliveryBureauFaxDelivery */
#endif
#ifndef PR_PHYSICAL_DELIVERY_MODE
#define PR_PHYSICAL_DELIVERY_MODE PROP_TAG(PT_LONG,0x0C0B) /* PidTagPhysicalDeliveryMode */
#endif
#ifndef PR_PHYSICAL_DELIVERY_REPORT_REQUEST
#define PR_PHYSICAL_DELIVERY_REPORT_REQUEST PROP_TAG(PT_LONG,0x0C0C) /* PidTagPhysicalDeliveryReportRequest */
#endif
#ifndef PR_PHYSICAL_FORWARDING_ADDRESS
#define PR_PHYSICAL_FORWARDING_ADDRESS PROP_TAG(PT_BINARY,0x0C0D) /* PidTagPhysicalForwardingAddress */
#endif
#ifndef PR_PHYSICAL_FORWARDING_ADDRESS_REQUESTED
#define PR_PHYSICAL_FORWARDING_ADDRESS_REQUESTED PROP_TAG(PT_BOOLEAN,0x0C0E) /* PidTagPhysicalForwardingAddressRequested */
#endif
#ifndef PR_PHYSICAL_FORWARDING_PROHIBITED
#define PR_PHYSICAL_FORWARDING_PROHIBITED PROP_TAG(PT_BOOLEAN,0x0C0F) /* PidTagPhysicalForwardingProhibited */
#endif
#ifndef PR_PHYSICAL_RENDITION_ATTRIBUTES
#define PR_PHYSICAL_RENDITION_ATTRIBUTES PROP_TAG(PT_BINARY,0x0C10) /* PidTagPhysicalRenditionAttributes */
#endif
#ifndef PR_PROOF_OF_DELIVERY
#define PR_PROOF_OF_DELIVERY PROP_TAG(PT_BINARY,0x0C11) /* PidTagProofOfDelivery */
#endif
#ifndef PR_PROOF_OF_DELIVERY_REQUESTED
#define PR_PROOF_OF_DELIVERY_REQUESTED PROP_TAG(PT_BOOLEAN,0x0C12) /* PidTagProofOfDeliveryRequested */
#endif
#ifndef PR_RECIPIENT_CERTIFICATE
#define PR_RECIPIENT_CERTIFICATE PROP_TAG(PT_BINARY,0x0C13) /* PidTagRecipientCertificate */
#endif
#ifndef PR_RECIPIENT_NUMBER_FOR_ADVICE
#define PR_RECIPIENT_NUMBER_FOR_ADVICE PROP_TAG(PT_TSTRING,0x0C14) /* PidTagRecipientNumberForAdvice */
#endif
#ifndef PR_RECIPIENT_NUMBER_FOR_ADVICE_W
#define PR_RECIPIENT_NUMBER_FOR_ADVICE_W PROP_TAG(PT_UNICODE,0x0C14)
#endif
#ifndef PR_RECIPIENT_NUMBER_FOR_ADVICE_A
#define PR_RECIPIENT_NUMBER_FOR_ADVICE_A PROP_TAG(PT_STRING8,0x0C14)
#endif
#ifndef PR_RECIPIENT_TYPE
#define PR_RECIPIENT_TYPE PROP_TAG(PT_LONG,0x0C15) /* PidTagRecipientType */
#endif
#ifndef PR_REGISTERED_MAIL_TYPE
#define PR_REGISTERED_MAIL_TYPE PROP_TAG(PT_LONG,0x0C16) /* PidTagRegisteredMailType */
#endif
#ifndef PR_REPLY_REQUESTED
#define PR_REPLY_REQUESTED PROP_TAG(PT_BOOLEAN,0x0C17) /* PidTagReplyRequested */
#endif
#ifndef PR_REQUESTED_DELIVERY_METHOD
#define PR_REQUESTED_DELIVERY_METHOD PROP_TAG(PT_LONG,0x0C18) /* PidTagRequestedDeliveryMethod */
#endif
#ifndef PR_SENDER_ENTRYID
#define PR_SENDER_ENTRYID PROP_TAG(PT_BINARY,0x0C19) /* PidTagSenderEntryId */
#endif
#ifndef PR_SENDER_NAME
#define PR_SENDER_NAME PROP_TAG(PT_TSTRING,0x0C1A) /* PidTagSenderName */
#endif
#ifndef PR_SENDER_NAME_W
#define PR_SENDER_NAME_W PROP_TAG(PT_UNICODE,0x0C1A)
#endif
#ifndef PR_SENDER_NAME_A
#define PR_SENDER_NAME_A PROP_TAG(PT_STRING8,0x0C1A)
#endif
#ifndef PR_SUPPLEMENTARY_INFO
#define PR_SUPPLEMENTARY_INFO PROP_TAG(PT_TSTRING,0x0C1B) /* PidTagSupplementaryInfo */
#endif
#ifndef PR_SUPPLEMENTARY_INFO_W
#define PR_SUPPLEMENTARY_INFO_W PROP_TAG(PT_UNICODE,0x0C1B)
#endif
#ifndef PR_SUPPLEMENTARY_INFO_A
#define PR_SUPPLEMENTARY_INFO_A PROP_TAG(PT_STRING8,0x0C1B)
#endif
#ifndef PR_TYPE_OF_MTS_USER
#define PR_TYPE_OF_MTS_USER PROP_TAG(PT_LONG,0x0C1C) /* PidTagTypeOfX400User */
#endif
#ifndef PR_SENDER_SEARCH_KEY
#define PR_SENDER_SEARCH_KEY PROP_TAG(PT_BINARY,0x0C1D) /* PidTagSenderSearchKey */
#endif
#ifndef PR_SENDER_ADDRTYPE
#define PR_SENDER_ADDRTYPE PROP_TAG(PT_TSTRING,0x0C1E) /* PidTagSenderAddressType */
#endif
#ifndef PR_SENDER_ADDRTYPE_W
#define PR_SENDER_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x0C1E)
#endif
#ifndef PR_SENDER_ADDRTYPE_A
#define PR_SENDER_ADDRTYPE_A PROP_TAG(PT_STRING8,0x0C1E)
#endif
#ifndef PR_SENDER_EMAIL_ADDRESS
#define PR_SENDER_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x0C1F) /* PidTagSenderEmailAddress */
#endif
#ifndef PR_SENDER_EMAIL_ADDRESS_W
#define PR_SENDER_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x0C1F)
#endif
#ifndef PR_SENDER_EMAIL_ADDRESS_A
#define PR_SENDER_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x0C1F)
#endif
#ifndef PR_NDR_STATUS_CODE
#define PR_NDR_STATUS_CODE PROP_TAG(PT_LONG,0x0C20) /* PidTagNonDeliveryReportStatusCode */
#endif
#ifndef PR_DSN_REMOTE_MTA
#define PR_DSN_REMOTE_MTA PROP_TAG(PT_TSTRING,0x0C21) /* PidTagRemoteMessageTransferAgent */
#endif
#ifndef PR_DSN_REMOTE_MTA_W
#define PR_DSN_REMOTE_MTA_W PROP_TAG(PT_UNICODE,0x0C21)
#endif
#ifndef PR_DSN_REMOTE_MTA_A
#define PR_DSN_REMOTE_MTA_A PROP_TAG(PT_STRING8,0x0C21)
#endif

/* ------------------------------------------------------------------------
 * Non-transmittable message properties (0x0E00-0x0FF3) and the properties
 * every MAPI object has (0x0FF4-0x0FFF: entry ids, keys, table rows).
 */
#ifndef PR_CURRENT_VERSION
#define PR_CURRENT_VERSION PROP_TAG(PT_I8,0x0E00) /* PidTagCurrentVersion */
#endif
#ifndef PR_DELETE_AFTER_SUBMIT
#define PR_DELETE_AFTER_SUBMIT PROP_TAG(PT_BOOLEAN,0x0E01) /* PidTagDeleteAfterSubmit */
#endif
#ifndef PR_DISPLAY_BCC
#define PR_DISPLAY_BCC PROP_TAG(PT_TSTRING,0x0E02) /* PidTagDisplayBcc */
#endif
#ifndef PR_DISPLAY_BCC_W
#define PR_DISPLAY_BCC_W PROP_TAG(PT_UNICODE,0x0E02)
#endif
#ifndef PR_DISPLAY_BCC_A
#define PR_DISPLAY_BCC_A PROP_TAG(PT_STRING8,0x0E02)
#endif
#ifndef PR_DISPLAY_CC
#define PR_DISPLAY_CC PROP_TAG(PT_TSTRING,0x0E03) /* PidTagDisplayCc */
#endif
#ifndef PR_DISPLAY_CC_W
#define PR_DISPLAY_CC_W PROP_TAG(PT_UNICODE,0x0E03)
#endif
#ifndef PR_DISPLAY_CC_A
#define PR_DISPLAY_CC_A PROP_TAG(PT_STRING8,0x0E03)
#endif
#ifndef PR_DISPLAY_TO
#define PR_DISPLAY_TO PROP_TAG(PT_TSTRING,0x0E04) /* PidTagDisplayTo */
#endif
#ifndef PR_DISPLAY_TO_W
#define PR_DISPLAY_TO_W PROP_TAG(PT_UNICODE,0x0E04)
#endif
#ifndef PR_DISPLAY_TO_A
#define PR_DISPLAY_TO_A PROP_TAG(PT_STRING8,0x0E04)
#endif
#ifndef PR_PARENT_DISPLAY
#define PR_PARENT_DISPLAY PROP_TAG(PT_TSTRING,0x0E05) /* PidTagParentDisplay */
#endif
#ifndef PR_PARENT_DISPLAY_W
#define PR_PARENT_DISPLAY_W PROP_TAG(PT_UNICODE,0x0E05)
#endif
#ifndef PR_PARENT_DISPLAY_A
#define PR_PARENT_DISPLAY_A PROP_TAG(PT_STRING8,0x0E05)
#endif
#ifndef PR_MESSAGE_DELIVERY_TIME
#define PR_MESSAGE_DELIVERY_TIME PROP_TAG(PT_SYSTIME,0x0E06) /* PidTagMessageDeliveryTime */
#endif
#ifndef PR_MESSAGE_FLAGS
#define PR_MESSAGE_FLAGS PROP_TAG(PT_LONG,0x0E07) /* PidTagMessageFlags */
#endif
#ifndef PR_MESSAGE_SIZE
#define PR_MESSAGE_SIZE PROP_TAG(PT_LONG,0x0E08) /* PidTagMessageSize */
#endif
/* PR_MESSAGE_SIZE and PR_MESSAGE_SIZE_EXTENDED share an id (PT_LONG, PT_I8). */
#ifndef PR_MESSAGE_SIZE_EXTENDED
#define PR_MESSAGE_SIZE_EXTENDED PROP_TAG(PT_I8,0x0E08) /* PidTagMessageSizeExtended */
#endif
#ifndef PR_PARENT_ENTRYID
#define PR_PARENT_ENTRYID PROP_TAG(PT_BINARY,0x0E09) /* PidTagParentEntryId */
#endif
#ifndef PR_SENTMAIL_ENTRYID
#define PR_SENTMAIL_ENTRYID PROP_TAG(PT_BINARY,0x0E0A) /* PidTagSentMailEntryId */
#endif
#ifndef PR_CORRELATE
#define PR_CORRELATE PROP_TAG(PT_BOOLEAN,0x0E0C) /* PidTagCorrelate */
#endif
#ifndef PR_CORRELATE_MTSID
#define PR_CORRELATE_MTSID PROP_TAG(PT_BINARY,0x0E0D) /* PidTagCorrelateMtsid */
#endif
#ifndef PR_DISCRETE_VALUES
#define PR_DISCRETE_VALUES PROP_TAG(PT_BOOLEAN,0x0E0E) /* PidTagDiscreteValues */
#endif
#ifndef PR_RESPONSIBILITY
#define PR_RESPONSIBILITY PROP_TAG(PT_BOOLEAN,0x0E0F) /* PidTagResponsibility */
#endif
#ifndef PR_SPOOLER_STATUS
#define PR_SPOOLER_STATUS PROP_TAG(PT_LONG,0x0E10) /* PidTagSpoolerStatus */
#endif
#ifndef PR_TRANSPORT_STATUS
#define PR_TRANSPORT_STATUS PROP_TAG(PT_LONG,0x0E11) /* PidTagTransportStatus */
#endif
#ifndef PR_MESSAGE_RECIPIENTS
#define PR_MESSAGE_RECIPIENTS PROP_TAG(PT_OBJECT,0x0E12) /* PidTagMessageRecipients */
#endif
#ifndef PR_MESSAGE_ATTACHMENTS
#define PR_MESSAGE_ATTACHMENTS PROP_TAG(PT_OBJECT,0x0E13) /* PidTagMessageAttachments */
#endif
#ifndef PR_SUBMIT_FLAGS
#define PR_SUBMIT_FLAGS PROP_TAG(PT_LONG,0x0E14) /* PidTagSubmitFlags */
#endif
#ifndef PR_RECIPIENT_STATUS
#define PR_RECIPIENT_STATUS PROP_TAG(PT_LONG,0x0E15) /* PidTagRecipientStatus */
#endif
#ifndef PR_TRANSPORT_KEY
#define PR_TRANSPORT_KEY PROP_TAG(PT_LONG,0x0E16) /* PidTagTransportKey */
#endif
#ifndef PR_MSG_STATUS
#define PR_MSG_STATUS PROP_TAG(PT_LONG,0x0E17) /* PidTagMessageStatus */
#endif
#ifndef PR_MESSAGE_DOWNLOAD_TIME
#define PR_MESSAGE_DOWNLOAD_TIME PROP_TAG(PT_LONG,0x0E18) /* PidTagMessageDownloadTime */
#endif
#ifndef PR_CREATION_VERSION
#define PR_CREATION_VERSION PROP_TAG(PT_I8,0x0E19) /* PidTagCreationVersion */
#endif
#ifndef PR_MODIFY_VERSION
#define PR_MODIFY_VERSION PROP_TAG(PT_I8,0x0E1A) /* PidTagModifyVersion */
#endif
#ifndef PR_HASATTACH
#define PR_HASATTACH PROP_TAG(PT_BOOLEAN,0x0E1B) /* PidTagHasAttachments */
#endif
#ifndef PR_BODY_CRC
#define PR_BODY_CRC PROP_TAG(PT_LONG,0x0E1C) /* PidTagBodyCrc */
#endif
#ifndef PR_NORMALIZED_SUBJECT
#define PR_NORMALIZED_SUBJECT PROP_TAG(PT_TSTRING,0x0E1D) /* PidTagNormalizedSubject */
#endif
#ifndef PR_NORMALIZED_SUBJECT_W
#define PR_NORMALIZED_SUBJECT_W PROP_TAG(PT_UNICODE,0x0E1D)
#endif
#ifndef PR_NORMALIZED_SUBJECT_A
#define PR_NORMALIZED_SUBJECT_A PROP_TAG(PT_STRING8,0x0E1D)
#endif
#ifndef PR_RTF_IN_SYNC
#define PR_RTF_IN_SYNC PROP_TAG(PT_BOOLEAN,0x0E1F) /* PidTagRtfInSync */
#endif
#ifndef PR_ATTACH_SIZE
#define PR_ATTACH_SIZE PROP_TAG(PT_LONG,0x0E20) /* PidTagAttachSize */
#endif
#ifndef PR_ATTACH_NUM
#define PR_ATTACH_NUM PROP_TAG(PT_LONG,0x0E21) /* PidTagAttachNumber */
#endif
#ifndef PR_PREPROCESS
#define PR_PREPROCESS PROP_TAG(PT_BOOLEAN,0x0E22) /* PidTagPreprocess */
#endif
#ifndef PR_INTERNET_ARTICLE_NUMBER
#define PR_INTERNET_ARTICLE_NUMBER PROP_TAG(PT_LONG,0x0E23) /* PidTagInternetArticleNumber */
#endif
#ifndef PR_ORIGINATING_MTA_CERTIFICATE
#define PR_ORIGINATING_MTA_CERTIFICATE PROP_TAG(PT_BINARY,0x0E25) /* PidTagOriginatingMtaCertificate */
#endif
#ifndef PR_PROOF_OF_SUBMISSION
#define PR_PROOF_OF_SUBMISSION PROP_TAG(PT_BINARY,0x0E26) /* PidTagProofOfSubmission */
#endif
#ifndef PR_NT_SECURITY_DESCRIPTOR
#define PR_NT_SECURITY_DESCRIPTOR PROP_TAG(PT_BINARY,0x0E27) /* Outlook headers */
#endif
#ifndef PR_PRIMARY_SEND_ACCOUNT
#define PR_PRIMARY_SEND_ACCOUNT PROP_TAG(PT_TSTRING,0x0E28) /* PidTagPrimarySendAccount */
#endif
#ifndef PR_PRIMARY_SEND_ACCOUNT_W
#define PR_PRIMARY_SEND_ACCOUNT_W PROP_TAG(PT_UNICODE,0x0E28)
#endif
#ifndef PR_PRIMARY_SEND_ACCOUNT_A
#define PR_PRIMARY_SEND_ACCOUNT_A PROP_TAG(PT_STRING8,0x0E28)
#endif
#ifndef PR_NEXT_SEND_ACCT
#define PR_NEXT_SEND_ACCT PROP_TAG(PT_TSTRING,0x0E29) /* PidTagNextSendAcct */
#endif
#ifndef PR_NEXT_SEND_ACCT_W
#define PR_NEXT_SEND_ACCT_W PROP_TAG(PT_UNICODE,0x0E29)
#endif
#ifndef PR_NEXT_SEND_ACCT_A
#define PR_NEXT_SEND_ACCT_A PROP_TAG(PT_STRING8,0x0E29)
#endif
#ifndef PR_TODO_ITEM_FLAGS
#define PR_TODO_ITEM_FLAGS PROP_TAG(PT_LONG,0x0E2B) /* PidTagToDoItemFlags */
#endif
#ifndef PR_SWAPPED_TODO_STORE
#define PR_SWAPPED_TODO_STORE PROP_TAG(PT_BINARY,0x0E2C) /* PidTagSwappedToDoStore */
#endif
#ifndef PR_SWAPPED_TODO_DATA
#define PR_SWAPPED_TODO_DATA PROP_TAG(PT_BINARY,0x0E2D) /* PidTagSwappedToDoData */
#endif
#ifndef PR_ACCESS
#define PR_ACCESS PROP_TAG(PT_LONG,0x0FF4) /* PidTagAccess */
#endif
#ifndef PR_ROW_TYPE
#define PR_ROW_TYPE PROP_TAG(PT_LONG,0x0FF5) /* PidTagRowType */
#endif
#ifndef PR_INSTANCE_KEY
#define PR_INSTANCE_KEY PROP_TAG(PT_BINARY,0x0FF6) /* PidTagInstanceKey */
#endif
#ifndef PR_ACCESS_LEVEL
#define PR_ACCESS_LEVEL PROP_TAG(PT_LONG,0x0FF7) /* PidTagAccessLevel */
#endif
#ifndef PR_MAPPING_SIGNATURE
#define PR_MAPPING_SIGNATURE PROP_TAG(PT_BINARY,0x0FF8) /* PidTagMappingSignature */
#endif
#ifndef PR_RECORD_KEY
#define PR_RECORD_KEY PROP_TAG(PT_BINARY,0x0FF9) /* PidTagRecordKey */
#endif
#ifndef PR_STORE_RECORD_KEY
#define PR_STORE_RECORD_KEY PROP_TAG(PT_BINARY,0x0FFA) /* PidTagStoreRecordKey */
#endif
#ifndef PR_STORE_ENTRYID
#define PR_STORE_ENTRYID PROP_TAG(PT_BINARY,0x0FFB) /* PidTagStoreEntryId */
#endif
#ifndef PR_MINI_ICON
#define PR_MINI_ICON PROP_TAG(PT_BINARY,0x0FFC) /* PidTagMiniIcon */
#endif
#ifndef PR_ICON
#define PR_ICON PROP_TAG(PT_BINARY,0x0FFD) /* PidTagIcon */
#endif
#ifndef PR_OBJECT_TYPE
#define PR_OBJECT_TYPE PROP_TAG(PT_LONG,0x0FFE) /* PidTagObjectType */
#endif
#ifndef PR_ENTRYID
#define PR_ENTRYID PROP_TAG(PT_BINARY,0x0FFF) /* PidTagEntryId */
#endif

/* ------------------------------------------------------------------------
 * Message content (0x1000-0x2FFF): bodies, Internet headers, follow-up flags.
 */
#ifndef PR_BODY
#define PR_BODY PROP_TAG(PT_TSTRING,0x1000) /* PidTagBody */
#endif
#ifndef PR_BODY_W
#define PR_BODY_W PROP_TAG(PT_UNICODE,0x1000)
#endif
#ifndef PR_BODY_A
#define PR_BODY_A PROP_TAG(PT_STRING8,0x1000)
#endif
#ifndef PR_REPORT_TEXT
#define PR_REPORT_TEXT PROP_TAG(PT_TSTRING,0x1001) /* PidTagReportText */
#endif
#ifndef PR_REPORT_TEXT_W
#define PR_REPORT_TEXT_W PROP_TAG(PT_UNICODE,0x1001)
#endif
#ifndef PR_REPORT_TEXT_A
#define PR_REPORT_TEXT_A PROP_TAG(PT_STRING8,0x1001)
#endif
#ifndef PR_ORIGINATOR_AND_DL_EXPANSION_HISTORY
#define PR_ORIGINATOR_AND_DL_EXPANSION_HISTORY PROP_TAG(PT_BINARY,0x1002) /* PidTagOriginatorAndDistributionListExpansionHistory */
#endif
#ifndef PR_REPORTING_DL_NAME
#define PR_REPORTING_DL_NAME PROP_TAG(PT_BINARY,0x1003) /* PidTagReportingDistributionListName */
#endif
#ifndef PR_REPORTING_MTA_CERTIFICATE
#define PR_REPORTING_MTA_CERTIFICATE PROP_TAG(PT_BINARY,0x1004) /* PidTagReportingMessageTransferAgentCertificate */
#endif
#ifndef PR_RTF_SYNC_BODY_CRC
#define PR_RTF_SYNC_BODY_CRC PROP_TAG(PT_LONG,0x1006) /* PidTagRtfSyncBodyCrc */
#endif
#ifndef PR_RTF_SYNC_BODY_COUNT
#define PR_RTF_SYNC_BODY_COUNT PROP_TAG(PT_LONG,0x1007) /* PidTagRtfSyncBodyCount */
#endif
#ifndef PR_RTF_SYNC_BODY_TAG
#define PR_RTF_SYNC_BODY_TAG PROP_TAG(PT_TSTRING,0x1008) /* PidTagRtfSyncBodyTag */
#endif
#ifndef PR_RTF_SYNC_BODY_TAG_W
#define PR_RTF_SYNC_BODY_TAG_W PROP_TAG(PT_UNICODE,0x1008)
#endif
#ifndef PR_RTF_SYNC_BODY_TAG_A
#define PR_RTF_SYNC_BODY_TAG_A PROP_TAG(PT_STRING8,0x1008)
#endif
#ifndef PR_RTF_COMPRESSED
#define PR_RTF_COMPRESSED PROP_TAG(PT_BINARY,0x1009) /* PidTagRtfCompressed */
#endif
#ifndef PR_RTF_SYNC_PREFIX_COUNT
#define PR_RTF_SYNC_PREFIX_COUNT PROP_TAG(PT_LONG,0x1010) /* PidTagRtfSyncPrefixCount */
#endif
#ifndef PR_RTF_SYNC_TRAILING_COUNT
#define PR_RTF_SYNC_TRAILING_COUNT PROP_TAG(PT_LONG,0x1011) /* PidTagRtfSyncTrailingCount */
#endif
#ifndef PR_ORIGINALLY_INTENDED_RECIP_ENTRYID
#define PR_ORIGINALLY_INTENDED_RECIP_ENTRYID PROP_TAG(PT_BINARY,0x1012) /* PidTagOriginallyIntendedRecipEntryId */
#endif
#ifndef PR_BODY_HTML
#define PR_BODY_HTML PROP_TAG(PT_TSTRING,0x1013) /* PidTagBodyHtml */
#endif
#ifndef PR_BODY_HTML_W
#define PR_BODY_HTML_W PROP_TAG(PT_UNICODE,0x1013)
#endif
#ifndef PR_BODY_HTML_A
#define PR_BODY_HTML_A PROP_TAG(PT_STRING8,0x1013)
#endif
/* PR_HTML (bytes in PR_INTERNET_CPID's code page) and PR_BODY_HTML (text) are
 * the same property, id 0x1013, seen as PT_BINARY or as a string. */
#ifndef PR_HTML
#define PR_HTML PROP_TAG(PT_BINARY,0x1013) /* PidTagHtml */
#endif
#ifndef PR_BODY_CONTENT_LOCATION
#define PR_BODY_CONTENT_LOCATION PROP_TAG(PT_TSTRING,0x1014) /* PidTagBodyContentLocation */
#endif
#ifndef PR_BODY_CONTENT_LOCATION_W
#define PR_BODY_CONTENT_LOCATION_W PROP_TAG(PT_UNICODE,0x1014)
#endif
#ifndef PR_BODY_CONTENT_LOCATION_A
#define PR_BODY_CONTENT_LOCATION_A PROP_TAG(PT_STRING8,0x1014)
#endif
#ifndef PR_BODY_CONTENT_ID
#define PR_BODY_CONTENT_ID PROP_TAG(PT_TSTRING,0x1015) /* PidTagBodyContentId */
#endif
#ifndef PR_BODY_CONTENT_ID_W
#define PR_BODY_CONTENT_ID_W PROP_TAG(PT_UNICODE,0x1015)
#endif
#ifndef PR_BODY_CONTENT_ID_A
#define PR_BODY_CONTENT_ID_A PROP_TAG(PT_STRING8,0x1015)
#endif
#ifndef PR_NATIVE_BODY_INFO
#define PR_NATIVE_BODY_INFO PROP_TAG(PT_LONG,0x1016) /* PidTagNativeBody */
#endif
#ifndef PR_INTERNET_MESSAGE_ID
#define PR_INTERNET_MESSAGE_ID PROP_TAG(PT_TSTRING,0x1035) /* PidTagInternetMessageId */
#endif
#ifndef PR_INTERNET_MESSAGE_ID_W
#define PR_INTERNET_MESSAGE_ID_W PROP_TAG(PT_UNICODE,0x1035)
#endif
#ifndef PR_INTERNET_MESSAGE_ID_A
#define PR_INTERNET_MESSAGE_ID_A PROP_TAG(PT_STRING8,0x1035)
#endif
#ifndef PR_INTERNET_REFERENCES
#define PR_INTERNET_REFERENCES PROP_TAG(PT_TSTRING,0x1039) /* PidTagInternetReferences */
#endif
#ifndef PR_INTERNET_REFERENCES_W
#define PR_INTERNET_REFERENCES_W PROP_TAG(PT_UNICODE,0x1039)
#endif
#ifndef PR_INTERNET_REFERENCES_A
#define PR_INTERNET_REFERENCES_A PROP_TAG(PT_STRING8,0x1039)
#endif
#ifndef PR_IN_REPLY_TO_ID
#define PR_IN_REPLY_TO_ID PROP_TAG(PT_TSTRING,0x1042) /* PidTagInReplyToId */
#endif
#ifndef PR_IN_REPLY_TO_ID_W
#define PR_IN_REPLY_TO_ID_W PROP_TAG(PT_UNICODE,0x1042)
#endif
#ifndef PR_IN_REPLY_TO_ID_A
#define PR_IN_REPLY_TO_ID_A PROP_TAG(PT_STRING8,0x1042)
#endif
#ifndef PR_LIST_HELP
#define PR_LIST_HELP PROP_TAG(PT_TSTRING,0x1043) /* PidTagListHelp */
#endif
#ifndef PR_LIST_HELP_W
#define PR_LIST_HELP_W PROP_TAG(PT_UNICODE,0x1043)
#endif
#ifndef PR_LIST_HELP_A
#define PR_LIST_HELP_A PROP_TAG(PT_STRING8,0x1043)
#endif
#ifndef PR_LIST_SUBSCRIBE
#define PR_LIST_SUBSCRIBE PROP_TAG(PT_TSTRING,0x1044) /* PidTagListSubscribe */
#endif
#ifndef PR_LIST_SUBSCRIBE_W
#define PR_LIST_SUBSCRIBE_W PROP_TAG(PT_UNICODE,0x1044)
#endif
#ifndef PR_LIST_SUBSCRIBE_A
#define PR_LIST_SUBSCRIBE_A PROP_TAG(PT_STRING8,0x1044)
#endif
#ifndef PR_LIST_UNSUBSCRIBE
#define PR_LIST_UNSUBSCRIBE PROP_TAG(PT_TSTRING,0x1045) /* PidTagListUnsubscribe */
#endif
#ifndef PR_LIST_UNSUBSCRIBE_W
#define PR_LIST_UNSUBSCRIBE_W PROP_TAG(PT_UNICODE,0x1045)
#endif
#ifndef PR_LIST_UNSUBSCRIBE_A
#define PR_LIST_UNSUBSCRIBE_A PROP_TAG(PT_STRING8,0x1045)
#endif
#ifndef PR_ICON_INDEX
#define PR_ICON_INDEX PROP_TAG(PT_LONG,0x1080) /* PidTagIconIndex */
#endif
#ifndef PR_LAST_VERB_EXECUTED
#define PR_LAST_VERB_EXECUTED PROP_TAG(PT_LONG,0x1081) /* PidTagLastVerbExecuted */
#endif
#ifndef PR_LAST_VERB_EXECUTION_TIME
#define PR_LAST_VERB_EXECUTION_TIME PROP_TAG(PT_SYSTIME,0x1082) /* PidTagLastVerbExecutionTime */
#endif
#ifndef PR_FLAG_STATUS
#define PR_FLAG_STATUS PROP_TAG(PT_LONG,0x1090) /* PidTagFlagStatus */
#endif
#ifndef PR_FLAG_COMPLETE_TIME
#define PR_FLAG_COMPLETE_TIME PROP_TAG(PT_SYSTIME,0x1091) /* PidTagFlagCompleteTime */
#endif
#ifndef PR_FOLLOWUP_ICON
#define PR_FOLLOWUP_ICON PROP_TAG(PT_LONG,0x1095) /* PidTagFollowupIcon */
#endif
#ifndef PR_BLOCK_STATUS
#define PR_BLOCK_STATUS PROP_TAG(PT_LONG,0x1096) /* PidTagBlockStatus */
#endif
#ifndef PR_CONFLICT_ITEMS
#define PR_CONFLICT_ITEMS PROP_TAG(PT_MV_BINARY,0x1098) /* PidTagConflictItems */
#endif
#ifndef PR_URL_COMP_NAME
#define PR_URL_COMP_NAME PROP_TAG(PT_TSTRING,0x10F3) /* PidTagUrlComponentName */
#endif
#ifndef PR_URL_COMP_NAME_W
#define PR_URL_COMP_NAME_W PROP_TAG(PT_UNICODE,0x10F3)
#endif
#ifndef PR_URL_COMP_NAME_A
#define PR_URL_COMP_NAME_A PROP_TAG(PT_STRING8,0x10F3)
#endif
#ifndef PR_ATTR_HIDDEN
#define PR_ATTR_HIDDEN PROP_TAG(PT_BOOLEAN,0x10F4) /* PidTagAttributeHidden */
#endif
#ifndef PR_ATTR_SYSTEM
#define PR_ATTR_SYSTEM PROP_TAG(PT_BOOLEAN,0x10F5) /* Outlook headers */
#endif
#ifndef PR_ATTR_READONLY
#define PR_ATTR_READONLY PROP_TAG(PT_BOOLEAN,0x10F6) /* PidTagAttributeReadOnly */
#endif

/* ------------------------------------------------------------------------
 * Common to all objects (0x3000-0x32FF) and form properties (0x3300-0x33FF).
 */
#ifndef PR_ROWID
#define PR_ROWID PROP_TAG(PT_LONG,0x3000) /* PidTagRowid */
#endif
#ifndef PR_DISPLAY_NAME
#define PR_DISPLAY_NAME PROP_TAG(PT_TSTRING,0x3001) /* PidTagDisplayName */
#endif
#ifndef PR_DISPLAY_NAME_W
#define PR_DISPLAY_NAME_W PROP_TAG(PT_UNICODE,0x3001)
#endif
#ifndef PR_DISPLAY_NAME_A
#define PR_DISPLAY_NAME_A PROP_TAG(PT_STRING8,0x3001)
#endif
#ifndef PR_ADDRTYPE
#define PR_ADDRTYPE PROP_TAG(PT_TSTRING,0x3002) /* PidTagAddressType */
#endif
#ifndef PR_ADDRTYPE_W
#define PR_ADDRTYPE_W PROP_TAG(PT_UNICODE,0x3002)
#endif
#ifndef PR_ADDRTYPE_A
#define PR_ADDRTYPE_A PROP_TAG(PT_STRING8,0x3002)
#endif
#ifndef PR_EMAIL_ADDRESS
#define PR_EMAIL_ADDRESS PROP_TAG(PT_TSTRING,0x3003) /* PidTagEmailAddress */
#endif
#ifndef PR_EMAIL_ADDRESS_W
#define PR_EMAIL_ADDRESS_W PROP_TAG(PT_UNICODE,0x3003)
#endif
#ifndef PR_EMAIL_ADDRESS_A
#define PR_EMAIL_ADDRESS_A PROP_TAG(PT_STRING8,0x3003)
#endif
#ifndef PR_COMMENT
#define PR_COMMENT PROP_TAG(PT_TSTRING,0x3004) /* PidTagComment */
#endif
#ifndef PR_COMMENT_W
#define PR_COMMENT_W PROP_TAG(PT_UNICODE,0x3004)
#endif
#ifndef PR_COMMENT_A
#define PR_COMMENT_A PROP_TAG(PT_STRING8,0x3004)
#endif
#ifndef PR_DEPTH
#define PR_DEPTH PROP_TAG(PT_LONG,0x3005) /* PidTagDepth */
#endif
#ifndef PR_PROVIDER_DISPLAY
#define PR_PROVIDER_DISPLAY PROP_TAG(PT_TSTRING,0x3006) /* PidTagProviderDisplay */
#endif
#ifndef PR_PROVIDER_DISPLAY_W
#define PR_PROVIDER_DISPLAY_W PROP_TAG(PT_UNICODE,0x3006)
#endif
#ifndef PR_PROVIDER_DISPLAY_A
#define PR_PROVIDER_DISPLAY_A PROP_TAG(PT_STRING8,0x3006)
#endif
#ifndef PR_CREATION_TIME
#define PR_CREATION_TIME PROP_TAG(PT_SYSTIME,0x3007) /* PidTagCreationTime */
#endif
#ifndef PR_LAST_MODIFICATION_TIME
#define PR_LAST_MODIFICATION_TIME PROP_TAG(PT_SYSTIME,0x3008) /* PidTagLastModificationTime */
#endif
#ifndef PR_RESOURCE_FLAGS
#define PR_RESOURCE_FLAGS PROP_TAG(PT_LONG,0x3009) /* PidTagResourceFlags */
#endif
#ifndef PR_PROVIDER_DLL_NAME
#define PR_PROVIDER_DLL_NAME PROP_TAG(PT_TSTRING,0x300A) /* PidTagProviderDllName */
#endif
#ifndef PR_PROVIDER_DLL_NAME_W
#define PR_PROVIDER_DLL_NAME_W PROP_TAG(PT_UNICODE,0x300A)
#endif
#ifndef PR_PROVIDER_DLL_NAME_A
#define PR_PROVIDER_DLL_NAME_A PROP_TAG(PT_STRING8,0x300A)
#endif
#ifndef PR_SEARCH_KEY
#define PR_SEARCH_KEY PROP_TAG(PT_BINARY,0x300B) /* PidTagSearchKey */
#endif
#ifndef PR_PROVIDER_UID
#define PR_PROVIDER_UID PROP_TAG(PT_BINARY,0x300C) /* PidTagProviderUid */
#endif
#ifndef PR_PROVIDER_ORDINAL
#define PR_PROVIDER_ORDINAL PROP_TAG(PT_LONG,0x300D) /* PidTagProviderOrdinal */
#endif
#ifndef PR_TARGET_ENTRYID
#define PR_TARGET_ENTRYID PROP_TAG(PT_BINARY,0x3010) /* PidTagTargetEntryId */
#endif
#ifndef PR_CONVERSATION_ID
#define PR_CONVERSATION_ID PROP_TAG(PT_BINARY,0x3013) /* PidTagConversationId */
#endif
#ifndef PR_CONVERSATION_INDEX_TRACKING
#define PR_CONVERSATION_INDEX_TRACKING PROP_TAG(PT_BOOLEAN,0x3016) /* PidTagConversationIndexTracking */
#endif
#ifndef PR_FORM_VERSION
#define PR_FORM_VERSION PROP_TAG(PT_TSTRING,0x3301) /* PidTagFormVersion */
#endif
#ifndef PR_FORM_VERSION_W
#define PR_FORM_VERSION_W PROP_TAG(PT_UNICODE,0x3301)
#endif
#ifndef PR_FORM_VERSION_A
#define PR_FORM_VERSION_A PROP_TAG(PT_STRING8,0x3301)
#endif
#ifndef PR_FORM_CLSID
#define PR_FORM_CLSID PROP_TAG(PT_CLSID,0x3302) /* PidTagFormClassId */
#endif
#ifndef PR_FORM_CONTACT_NAME
#define PR_FORM_CONTACT_NAME PROP_TAG(PT_TSTRING,0x3303) /* PidTagFormContactName */
#endif
#ifndef PR_FORM_CONTACT_NAME_W
#define PR_FORM_CONTACT_NAME_W PROP_TAG(PT_UNICODE,0x3303)
#endif
#ifndef PR_FORM_CONTACT_NAME_A
#define PR_FORM_CONTACT_NAME_A PROP_TAG(PT_STRING8,0x3303)
#endif
#ifndef PR_FORM_CATEGORY
#define PR_FORM_CATEGORY PROP_TAG(PT_TSTRING,0x3304) /* PidTagFormCategory */
#endif
#ifndef PR_FORM_CATEGORY_W
#define PR_FORM_CATEGORY_W PROP_TAG(PT_UNICODE,0x3304)
#endif
#ifndef PR_FORM_CATEGORY_A
#define PR_FORM_CATEGORY_A PROP_TAG(PT_STRING8,0x3304)
#endif
#ifndef PR_FORM_CATEGORY_SUB
#define PR_FORM_CATEGORY_SUB PROP_TAG(PT_TSTRING,0x3305) /* PidTagFormCategorySub */
#endif
#ifndef PR_FORM_CATEGORY_SUB_W
#define PR_FORM_CATEGORY_SUB_W PROP_TAG(PT_UNICODE,0x3305)
#endif
#ifndef PR_FORM_CATEGORY_SUB_A
#define PR_FORM_CATEGORY_SUB_A PROP_TAG(PT_STRING8,0x3305)
#endif
#ifndef PR_FORM_HOST_MAP
#define PR_FORM_HOST_MAP PROP_TAG(PT_MV_LONG,0x3306) /* PidTagFormHostMap */
#endif
#ifndef PR_FORM_HIDDEN
#define PR_FORM_HIDDEN PROP_TAG(PT_BOOLEAN,0x3307) /* PidTagFormHidden */
#endif
#ifndef PR_FORM_DESIGNER_NAME
#define PR_FORM_DESIGNER_NAME PROP_TAG(PT_TSTRING,0x3308) /* PidTagFormDesignerName */
#endif
#ifndef PR_FORM_DESIGNER_NAME_W
#define PR_FORM_DESIGNER_NAME_W PROP_TAG(PT_UNICODE,0x3308)
#endif
#ifndef PR_FORM_DESIGNER_NAME_A
#define PR_FORM_DESIGNER_NAME_A PROP_TAG(PT_STRING8,0x3308)
#endif
#ifndef PR_FORM_DESIGNER_GUID
#define PR_FORM_DESIGNER_GUID PROP_TAG(PT_CLSID,0x3309) /* PidTagFormDesignerGuid */
#endif
#ifndef PR_FORM_MESSAGE_BEHAVIOR
#define PR_FORM_MESSAGE_BEHAVIOR PROP_TAG(PT_LONG,0x330A) /* PidTagFormMessageBehavior */
#endif

/* ------------------------------------------------------------------------
 * Message store (0x3400-0x35FF).
 */
#ifndef PR_DEFAULT_STORE
#define PR_DEFAULT_STORE PROP_TAG(PT_BOOLEAN,0x3400) /* PidTagDefaultStore */
#endif
#ifndef PR_STORE_SUPPORT_MASK
#define PR_STORE_SUPPORT_MASK PROP_TAG(PT_LONG,0x340D) /* PidTagStoreSupportMask */
#endif
#ifndef PR_STORE_STATE
#define PR_STORE_STATE PROP_TAG(PT_LONG,0x340E) /* PidTagStoreState */
#endif
#ifndef PR_STORE_UNICODE_MASK
#define PR_STORE_UNICODE_MASK PROP_TAG(PT_LONG,0x340F) /* PidTagStoreUnicodeMask */
#endif
#ifndef PR_IPM_SUBTREE_SEARCH_KEY
#define PR_IPM_SUBTREE_SEARCH_KEY PROP_TAG(PT_BINARY,0x3410) /* PidTagIpmSubtreeSearchKey */
#endif
#ifndef PR_IPM_OUTBOX_SEARCH_KEY
#define PR_IPM_OUTBOX_SEARCH_KEY PROP_TAG(PT_BINARY,0x3411) /* PidTagIpmOutboxSearchKey */
#endif
#ifndef PR_IPM_WASTEBASKET_SEARCH_KEY
#define PR_IPM_WASTEBASKET_SEARCH_KEY PROP_TAG(PT_BINARY,0x3412) /* PidTagIpmWastebasketSearchKey */
#endif
#ifndef PR_IPM_SENTMAIL_SEARCH_KEY
#define PR_IPM_SENTMAIL_SEARCH_KEY PROP_TAG(PT_BINARY,0x3413) /* PidTagIpmSentMailSearchKey */
#endif
#ifndef PR_MDB_PROVIDER
#define PR_MDB_PROVIDER PROP_TAG(PT_BINARY,0x3414) /* PidTagStoreProvider */
#endif
#ifndef PR_RECEIVE_FOLDER_SETTINGS
#define PR_RECEIVE_FOLDER_SETTINGS PROP_TAG(PT_OBJECT,0x3415) /* PidTagReceiveFolderSettings */
#endif
#ifndef PR_VALID_FOLDER_MASK
#define PR_VALID_FOLDER_MASK PROP_TAG(PT_LONG,0x35DF) /* PidTagValidFolderMask */
#endif
#ifndef PR_IPM_SUBTREE_ENTRYID
#define PR_IPM_SUBTREE_ENTRYID PROP_TAG(PT_BINARY,0x35E0) /* PidTagIpmSubtreeEntryId */
#endif
#ifndef PR_IPM_OUTBOX_ENTRYID
#define PR_IPM_OUTBOX_ENTRYID PROP_TAG(PT_BINARY,0x35E2) /* PidTagIpmOutboxEntryId */
#endif
#ifndef PR_IPM_WASTEBASKET_ENTRYID
#define PR_IPM_WASTEBASKET_ENTRYID PROP_TAG(PT_BINARY,0x35E3) /* PidTagIpmWastebasketEntryId */
#endif
#ifndef PR_IPM_SENTMAIL_ENTRYID
#define PR_IPM_SENTMAIL_ENTRYID PROP_TAG(PT_BINARY,0x35E4) /* PidTagIpmSentMailEntryId */
#endif
#ifndef PR_VIEWS_ENTRYID
#define PR_VIEWS_ENTRYID PROP_TAG(PT_BINARY,0x35E5) /* PidTagViewsEntryId */
#endif
#ifndef PR_COMMON_VIEWS_ENTRYID
#define PR_COMMON_VIEWS_ENTRYID PROP_TAG(PT_BINARY,0x35E6) /* PidTagCommonViewsEntryId */
#endif
#ifndef PR_FINDER_ENTRYID
#define PR_FINDER_ENTRYID PROP_TAG(PT_BINARY,0x35E7) /* PidTagFinderEntryId */
#endif

/* ------------------------------------------------------------------------
 * Folders and containers (0x3600-0x36FF), with the default-folder entry
 * ids Outlook reads from the root folder and the Inbox (0x36D0-0x36E4).
 */
#ifndef PR_CONTAINER_FLAGS
#define PR_CONTAINER_FLAGS PROP_TAG(PT_LONG,0x3600) /* PidTagContainerFlags */
#endif
#ifndef PR_FOLDER_TYPE
#define PR_FOLDER_TYPE PROP_TAG(PT_LONG,0x3601) /* PidTagFolderType */
#endif
#ifndef PR_CONTENT_COUNT
#define PR_CONTENT_COUNT PROP_TAG(PT_LONG,0x3602) /* PidTagContentCount */
#endif
#ifndef PR_CONTENT_UNREAD
#define PR_CONTENT_UNREAD PROP_TAG(PT_LONG,0x3603) /* PidTagContentUnreadCount */
#endif
#ifndef PR_CREATE_TEMPLATES
#define PR_CREATE_TEMPLATES PROP_TAG(PT_OBJECT,0x3604) /* PidTagCreateTemplates */
#endif
#ifndef PR_DETAILS_TABLE
#define PR_DETAILS_TABLE PROP_TAG(PT_OBJECT,0x3605) /* PidTagDetailsTable */
#endif
#ifndef PR_SEARCH
#define PR_SEARCH PROP_TAG(PT_OBJECT,0x3607) /* PidTagSearch */
#endif
#ifndef PR_SELECTABLE
#define PR_SELECTABLE PROP_TAG(PT_BOOLEAN,0x3609) /* PidTagSelectable */
#endif
#ifndef PR_SUBFOLDERS
#define PR_SUBFOLDERS PROP_TAG(PT_BOOLEAN,0x360A) /* PidTagSubfolders */
#endif
#ifndef PR_STATUS
#define PR_STATUS PROP_TAG(PT_LONG,0x360B) /* PidTagStatus */
#endif
#ifndef PR_ANR
#define PR_ANR PROP_TAG(PT_TSTRING,0x360C) /* PidTagAnr */
#endif
#ifndef PR_ANR_W
#define PR_ANR_W PROP_TAG(PT_UNICODE,0x360C)
#endif
#ifndef PR_ANR_A
#define PR_ANR_A PROP_TAG(PT_STRING8,0x360C)
#endif
#ifndef PR_CONTENTS_SORT_ORDER
#define PR_CONTENTS_SORT_ORDER PROP_TAG(PT_MV_LONG,0x360D) /* PidTagContentSortOrder */
#endif
#ifndef PR_CONTAINER_HIERARCHY
#define PR_CONTAINER_HIERARCHY PROP_TAG(PT_OBJECT,0x360E) /* PidTagContainerHierarchy */
#endif
#ifndef PR_CONTAINER_CONTENTS
#define PR_CONTAINER_CONTENTS PROP_TAG(PT_OBJECT,0x360F) /* PidTagContainerContents */
#endif
#ifndef PR_FOLDER_ASSOCIATED_CONTENTS
#define PR_FOLDER_ASSOCIATED_CONTENTS PROP_TAG(PT_OBJECT,0x3610) /* PidTagFolderAssociatedContents */
#endif
#ifndef PR_DEF_CREATE_DL
#define PR_DEF_CREATE_DL PROP_TAG(PT_BINARY,0x3611) /* PidTagDefCreateDl */
#endif
#ifndef PR_DEF_CREATE_MAILUSER
#define PR_DEF_CREATE_MAILUSER PROP_TAG(PT_BINARY,0x3612) /* PidTagDefCreateMailuser */
#endif
#ifndef PR_CONTAINER_CLASS
#define PR_CONTAINER_CLASS PROP_TAG(PT_TSTRING,0x3613) /* PidTagContainerClass */
#endif
#ifndef PR_CONTAINER_CLASS_W
#define PR_CONTAINER_CLASS_W PROP_TAG(PT_UNICODE,0x3613)
#endif
#ifndef PR_CONTAINER_CLASS_A
#define PR_CONTAINER_CLASS_A PROP_TAG(PT_STRING8,0x3613)
#endif
#ifndef PR_CONTAINER_MODIFY_VERSION
#define PR_CONTAINER_MODIFY_VERSION PROP_TAG(PT_I8,0x3614) /* PidTagContainerModifyVersion */
#endif
#ifndef PR_AB_PROVIDER_ID
#define PR_AB_PROVIDER_ID PROP_TAG(PT_BINARY,0x3615) /* PidTagAbProviderId */
#endif
#ifndef PR_DEFAULT_VIEW_ENTRYID
#define PR_DEFAULT_VIEW_ENTRYID PROP_TAG(PT_BINARY,0x3616) /* PidTagDefaultViewEntryId */
#endif
#ifndef PR_ASSOC_CONTENT_COUNT
#define PR_ASSOC_CONTENT_COUNT PROP_TAG(PT_LONG,0x3617) /* PidTagAssociatedContentCount */
#endif
#ifndef PR_IPM_APPOINTMENT_ENTRYID
#define PR_IPM_APPOINTMENT_ENTRYID PROP_TAG(PT_BINARY,0x36D0) /* PidTagIpmAppointmentEntryId */
#endif
#ifndef PR_IPM_CONTACT_ENTRYID
#define PR_IPM_CONTACT_ENTRYID PROP_TAG(PT_BINARY,0x36D1) /* PidTagIpmContactEntryId */
#endif
#ifndef PR_IPM_JOURNAL_ENTRYID
#define PR_IPM_JOURNAL_ENTRYID PROP_TAG(PT_BINARY,0x36D2) /* PidTagIpmJournalEntryId */
#endif
#ifndef PR_IPM_NOTE_ENTRYID
#define PR_IPM_NOTE_ENTRYID PROP_TAG(PT_BINARY,0x36D3) /* PidTagIpmNoteEntryId */
#endif
#ifndef PR_IPM_TASK_ENTRYID
#define PR_IPM_TASK_ENTRYID PROP_TAG(PT_BINARY,0x36D4) /* PidTagIpmTaskEntryId */
#endif
#ifndef PR_REM_ONLINE_ENTRYID
#define PR_REM_ONLINE_ENTRYID PROP_TAG(PT_BINARY,0x36D5) /* PidTagRemindersOnlineEntryId */
#endif
#ifndef PR_REM_OFFLINE_ENTRYID
#define PR_REM_OFFLINE_ENTRYID PROP_TAG(PT_BINARY,0x36D6) /* Outlook headers */
#endif
#ifndef PR_IPM_DRAFTS_ENTRYID
#define PR_IPM_DRAFTS_ENTRYID PROP_TAG(PT_BINARY,0x36D7) /* PidTagIpmDraftsEntryId */
#endif
#ifndef PR_ADDITIONAL_REN_ENTRYIDS
#define PR_ADDITIONAL_REN_ENTRYIDS PROP_TAG(PT_MV_BINARY,0x36D8) /* PidTagAdditionalRenEntryIds */
#endif
#ifndef PR_ADDITIONAL_REN_ENTRYIDS_EX
#define PR_ADDITIONAL_REN_ENTRYIDS_EX PROP_TAG(PT_BINARY,0x36D9) /* PidTagAdditionalRenEntryIdsEx */
#endif
#ifndef PR_EXTENDED_FOLDER_FLAGS
#define PR_EXTENDED_FOLDER_FLAGS PROP_TAG(PT_BINARY,0x36DA) /* PidTagExtendedFolderFlags */
#endif
#ifndef PR_FREEBUSY_ENTRYIDS
#define PR_FREEBUSY_ENTRYIDS PROP_TAG(PT_MV_BINARY,0x36E4) /* PidTagFreeBusyEntryIds */
#endif
/* The MAPI reference lists PR_DEF_POST_MSGCLASS as PT_STRING8 only;
 * [MS-OXPROPS] gives PtypString. Both widths are defined, like every string. */
#ifndef PR_DEF_POST_MSGCLASS
#define PR_DEF_POST_MSGCLASS PROP_TAG(PT_TSTRING,0x36E5) /* PidTagDefaultPostMessageClass */
#endif
#ifndef PR_DEF_POST_MSGCLASS_W
#define PR_DEF_POST_MSGCLASS_W PROP_TAG(PT_UNICODE,0x36E5)
#endif
#ifndef PR_DEF_POST_MSGCLASS_A
#define PR_DEF_POST_MSGCLASS_A PROP_TAG(PT_STRING8,0x36E5)
#endif
#ifndef PR_DEF_POST_DISPLAYNAME
#define PR_DEF_POST_DISPLAYNAME PROP_TAG(PT_TSTRING,0x36E6) /* Outlook headers */
#endif
#ifndef PR_DEF_POST_DISPLAYNAME_W
#define PR_DEF_POST_DISPLAYNAME_W PROP_TAG(PT_UNICODE,0x36E6)
#endif
#ifndef PR_DEF_POST_DISPLAYNAME_A
#define PR_DEF_POST_DISPLAYNAME_A PROP_TAG(PT_STRING8,0x36E6)
#endif

/* ------------------------------------------------------------------------
 * Attachments (0x3700-0x38FF).
 */
#ifndef PR_ATTACHMENT_X400_PARAMETERS
#define PR_ATTACHMENT_X400_PARAMETERS PROP_TAG(PT_BINARY,0x3700) /* PidTagAttachmentX400Parameters */
#endif
/* PR_ATTACH_DATA_OBJ and PR_ATTACH_DATA_BIN share id 0x3701: opened as an
 * object (embedded message, OLE storage) or read as bytes. */
#ifndef PR_ATTACH_DATA_OBJ
#define PR_ATTACH_DATA_OBJ PROP_TAG(PT_OBJECT,0x3701) /* PidTagAttachDataObject */
#endif
#ifndef PR_ATTACH_DATA_BIN
#define PR_ATTACH_DATA_BIN PROP_TAG(PT_BINARY,0x3701) /* PidTagAttachDataBinary */
#endif
#ifndef PR_ATTACH_ENCODING
#define PR_ATTACH_ENCODING PROP_TAG(PT_BINARY,0x3702) /* PidTagAttachEncoding */
#endif
#ifndef PR_ATTACH_EXTENSION
#define PR_ATTACH_EXTENSION PROP_TAG(PT_TSTRING,0x3703) /* PidTagAttachExtension */
#endif
#ifndef PR_ATTACH_EXTENSION_W
#define PR_ATTACH_EXTENSION_W PROP_TAG(PT_UNICODE,0x3703)
#endif
#ifndef PR_ATTACH_EXTENSION_A
#define PR_ATTACH_EXTENSION_A PROP_TAG(PT_STRING8,0x3703)
#endif
#ifndef PR_ATTACH_FILENAME
#define PR_ATTACH_FILENAME PROP_TAG(PT_TSTRING,0x3704) /* PidTagAttachFilename */
#endif
#ifndef PR_ATTACH_FILENAME_W
#define PR_ATTACH_FILENAME_W PROP_TAG(PT_UNICODE,0x3704)
#endif
#ifndef PR_ATTACH_FILENAME_A
#define PR_ATTACH_FILENAME_A PROP_TAG(PT_STRING8,0x3704)
#endif
#ifndef PR_ATTACH_METHOD
#define PR_ATTACH_METHOD PROP_TAG(PT_LONG,0x3705) /* PidTagAttachMethod */
#endif
#ifndef PR_ATTACH_LONG_FILENAME
#define PR_ATTACH_LONG_FILENAME PROP_TAG(PT_TSTRING,0x3707) /* PidTagAttachLongFilename */
#endif
#ifndef PR_ATTACH_LONG_FILENAME_W
#define PR_ATTACH_LONG_FILENAME_W PROP_TAG(PT_UNICODE,0x3707)
#endif
#ifndef PR_ATTACH_LONG_FILENAME_A
#define PR_ATTACH_LONG_FILENAME_A PROP_TAG(PT_STRING8,0x3707)
#endif
#ifndef PR_ATTACH_PATHNAME
#define PR_ATTACH_PATHNAME PROP_TAG(PT_TSTRING,0x3708) /* PidTagAttachPathname */
#endif
#ifndef PR_ATTACH_PATHNAME_W
#define PR_ATTACH_PATHNAME_W PROP_TAG(PT_UNICODE,0x3708)
#endif
#ifndef PR_ATTACH_PATHNAME_A
#define PR_ATTACH_PATHNAME_A PROP_TAG(PT_STRING8,0x3708)
#endif
#ifndef PR_ATTACH_RENDERING
#define PR_ATTACH_RENDERING PROP_TAG(PT_BINARY,0x3709) /* PidTagAttachRendering */
#endif
#ifndef PR_ATTACH_TAG
#define PR_ATTACH_TAG PROP_TAG(PT_BINARY,0x370A) /* PidTagAttachTag */
#endif
#ifndef PR_RENDERING_POSITION
#define PR_RENDERING_POSITION PROP_TAG(PT_LONG,0x370B) /* PidTagRenderingPosition */
#endif
#ifndef PR_ATTACH_TRANSPORT_NAME
#define PR_ATTACH_TRANSPORT_NAME PROP_TAG(PT_TSTRING,0x370C) /* PidTagAttachTransportName */
#endif
#ifndef PR_ATTACH_TRANSPORT_NAME_W
#define PR_ATTACH_TRANSPORT_NAME_W PROP_TAG(PT_UNICODE,0x370C)
#endif
#ifndef PR_ATTACH_TRANSPORT_NAME_A
#define PR_ATTACH_TRANSPORT_NAME_A PROP_TAG(PT_STRING8,0x370C)
#endif
#ifndef PR_ATTACH_LONG_PATHNAME
#define PR_ATTACH_LONG_PATHNAME PROP_TAG(PT_TSTRING,0x370D) /* PidTagAttachLongPathname */
#endif
#ifndef PR_ATTACH_LONG_PATHNAME_W
#define PR_ATTACH_LONG_PATHNAME_W PROP_TAG(PT_UNICODE,0x370D)
#endif
#ifndef PR_ATTACH_LONG_PATHNAME_A
#define PR_ATTACH_LONG_PATHNAME_A PROP_TAG(PT_STRING8,0x370D)
#endif
#ifndef PR_ATTACH_MIME_TAG
#define PR_ATTACH_MIME_TAG PROP_TAG(PT_TSTRING,0x370E) /* PidTagAttachMimeTag */
#endif
#ifndef PR_ATTACH_MIME_TAG_W
#define PR_ATTACH_MIME_TAG_W PROP_TAG(PT_UNICODE,0x370E)
#endif
#ifndef PR_ATTACH_MIME_TAG_A
#define PR_ATTACH_MIME_TAG_A PROP_TAG(PT_STRING8,0x370E)
#endif
#ifndef PR_ATTACH_ADDITIONAL_INFO
#define PR_ATTACH_ADDITIONAL_INFO PROP_TAG(PT_BINARY,0x370F) /* PidTagAttachAdditionalInformation */
#endif
#ifndef PR_ATTACH_MIME_SEQUENCE
#define PR_ATTACH_MIME_SEQUENCE PROP_TAG(PT_LONG,0x3710) /* PidTagAttachMimeSequence */
#endif
#ifndef PR_ATTACH_CONTENT_BASE
#define PR_ATTACH_CONTENT_BASE PROP_TAG(PT_TSTRING,0x3711) /* PidTagAttachContentBase */
#endif
#ifndef PR_ATTACH_CONTENT_BASE_W
#define PR_ATTACH_CONTENT_BASE_W PROP_TAG(PT_UNICODE,0x3711)
#endif
#ifndef PR_ATTACH_CONTENT_BASE_A
#define PR_ATTACH_CONTENT_BASE_A PROP_TAG(PT_STRING8,0x3711)
#endif
#ifndef PR_ATTACH_CONTENT_ID
#define PR_ATTACH_CONTENT_ID PROP_TAG(PT_TSTRING,0x3712) /* PidTagAttachContentId */
#endif
#ifndef PR_ATTACH_CONTENT_ID_W
#define PR_ATTACH_CONTENT_ID_W PROP_TAG(PT_UNICODE,0x3712)
#endif
#ifndef PR_ATTACH_CONTENT_ID_A
#define PR_ATTACH_CONTENT_ID_A PROP_TAG(PT_STRING8,0x3712)
#endif
#ifndef PR_ATTACH_CONTENT_LOCATION
#define PR_ATTACH_CONTENT_LOCATION PROP_TAG(PT_TSTRING,0x3713) /* PidTagAttachContentLocation */
#endif
#ifndef PR_ATTACH_CONTENT_LOCATION_W
#define PR_ATTACH_CONTENT_LOCATION_W PROP_TAG(PT_UNICODE,0x3713)
#endif
#ifndef PR_ATTACH_CONTENT_LOCATION_A
#define PR_ATTACH_CONTENT_LOCATION_A PROP_TAG(PT_STRING8,0x3713)
#endif
#ifndef PR_ATTACH_FLAGS
#define PR_ATTACH_FLAGS PROP_TAG(PT_LONG,0x3714) /* PidTagAttachFlags */
#endif

/* ------------------------------------------------------------------------
 * Address book, mail users and contacts (0x3900-0x3CFF).
 */
#ifndef PR_DISPLAY_TYPE
#define PR_DISPLAY_TYPE PROP_TAG(PT_LONG,0x3900) /* PidTagDisplayType */
#endif
#ifndef PR_TEMPLATEID
#define PR_TEMPLATEID PROP_TAG(PT_BINARY,0x3902) /* PidTagTemplateid */
#endif
#ifndef PR_PRIMARY_CAPABILITY
#define PR_PRIMARY_CAPABILITY PROP_TAG(PT_BINARY,0x3904) /* PidTagPrimaryCapability */
#endif
#ifndef PR_DISPLAY_TYPE_EX
#define PR_DISPLAY_TYPE_EX PROP_TAG(PT_LONG,0x3905) /* PidTagDisplayTypeEx */
#endif
#ifndef PR_SMTP_ADDRESS
#define PR_SMTP_ADDRESS PROP_TAG(PT_TSTRING,0x39FE) /* PidTagSmtpAddress */
#endif
#ifndef PR_SMTP_ADDRESS_W
#define PR_SMTP_ADDRESS_W PROP_TAG(PT_UNICODE,0x39FE)
#endif
#ifndef PR_SMTP_ADDRESS_A
#define PR_SMTP_ADDRESS_A PROP_TAG(PT_STRING8,0x39FE)
#endif
/* Eight-bit only by definition (and in mapitags.h): no _W or _A. */
#ifndef PR_7BIT_DISPLAY_NAME
#define PR_7BIT_DISPLAY_NAME PROP_TAG(PT_STRING8,0x39FF) /* PidTag7BitDisplayName */
#endif
#ifndef PR_ACCOUNT
#define PR_ACCOUNT PROP_TAG(PT_TSTRING,0x3A00) /* PidTagAccount */
#endif
#ifndef PR_ACCOUNT_W
#define PR_ACCOUNT_W PROP_TAG(PT_UNICODE,0x3A00)
#endif
#ifndef PR_ACCOUNT_A
#define PR_ACCOUNT_A PROP_TAG(PT_STRING8,0x3A00)
#endif
#ifndef PR_ALTERNATE_RECIPIENT
#define PR_ALTERNATE_RECIPIENT PROP_TAG(PT_BINARY,0x3A01) /* PidTagAlternateRecipient */
#endif
#ifndef PR_CALLBACK_TELEPHONE_NUMBER
#define PR_CALLBACK_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A02) /* PidTagCallbackTelephoneNumber */
#endif
#ifndef PR_CALLBACK_TELEPHONE_NUMBER_W
#define PR_CALLBACK_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A02)
#endif
#ifndef PR_CALLBACK_TELEPHONE_NUMBER_A
#define PR_CALLBACK_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A02)
#endif
#ifndef PR_CONVERSION_PROHIBITED
#define PR_CONVERSION_PROHIBITED PROP_TAG(PT_BOOLEAN,0x3A03) /* PidTagConversionProhibited */
#endif
#ifndef PR_DISCLOSE_RECIPIENTS
#define PR_DISCLOSE_RECIPIENTS PROP_TAG(PT_BOOLEAN,0x3A04)
#endif
#ifndef PR_GENERATION
#define PR_GENERATION PROP_TAG(PT_TSTRING,0x3A05) /* PidTagGeneration */
#endif
#ifndef PR_GENERATION_W
#define PR_GENERATION_W PROP_TAG(PT_UNICODE,0x3A05)
#endif
#ifndef PR_GENERATION_A
#define PR_GENERATION_A PROP_TAG(PT_STRING8,0x3A05)
#endif
#ifndef PR_GIVEN_NAME
#define PR_GIVEN_NAME PROP_TAG(PT_TSTRING,0x3A06) /* PidTagGivenName */
#endif
#ifndef PR_GIVEN_NAME_W
#define PR_GIVEN_NAME_W PROP_TAG(PT_UNICODE,0x3A06)
#endif
#ifndef PR_GIVEN_NAME_A
#define PR_GIVEN_NAME_A PROP_TAG(PT_STRING8,0x3A06)
#endif
#ifndef PR_GOVERNMENT_ID_NUMBER
#define PR_GOVERNMENT_ID_NUMBER PROP_TAG(PT_TSTRING,0x3A07) /* PidTagGovernmentIdNumber */
#endif
#ifndef PR_GOVERNMENT_ID_NUMBER_W
#define PR_GOVERNMENT_ID_NUMBER_W PROP_TAG(PT_UNICODE,0x3A07)
#endif
#ifndef PR_GOVERNMENT_ID_NUMBER_A
#define PR_GOVERNMENT_ID_NUMBER_A PROP_TAG(PT_STRING8,0x3A07)
#endif
#ifndef PR_BUSINESS_TELEPHONE_NUMBER
#define PR_BUSINESS_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A08) /* PidTagBusinessTelephoneNumber */
#endif
#ifndef PR_BUSINESS_TELEPHONE_NUMBER_W
#define PR_BUSINESS_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A08)
#endif
#ifndef PR_BUSINESS_TELEPHONE_NUMBER_A
#define PR_BUSINESS_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A08)
#endif
#ifndef PR_OFFICE_TELEPHONE_NUMBER
#define PR_OFFICE_TELEPHONE_NUMBER PR_BUSINESS_TELEPHONE_NUMBER
#endif
#ifndef PR_OFFICE_TELEPHONE_NUMBER_W
#define PR_OFFICE_TELEPHONE_NUMBER_W PR_BUSINESS_TELEPHONE_NUMBER_W
#endif
#ifndef PR_OFFICE_TELEPHONE_NUMBER_A
#define PR_OFFICE_TELEPHONE_NUMBER_A PR_BUSINESS_TELEPHONE_NUMBER_A
#endif
#ifndef PR_HOME_TELEPHONE_NUMBER
#define PR_HOME_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A09) /* PidTagHomeTelephoneNumber */
#endif
#ifndef PR_HOME_TELEPHONE_NUMBER_W
#define PR_HOME_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A09)
#endif
#ifndef PR_HOME_TELEPHONE_NUMBER_A
#define PR_HOME_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A09)
#endif
#ifndef PR_INITIALS
#define PR_INITIALS PROP_TAG(PT_TSTRING,0x3A0A) /* PidTagInitials */
#endif
#ifndef PR_INITIALS_W
#define PR_INITIALS_W PROP_TAG(PT_UNICODE,0x3A0A)
#endif
#ifndef PR_INITIALS_A
#define PR_INITIALS_A PROP_TAG(PT_STRING8,0x3A0A)
#endif
#ifndef PR_KEYWORD
#define PR_KEYWORD PROP_TAG(PT_TSTRING,0x3A0B) /* PidTagKeyword */
#endif
#ifndef PR_KEYWORD_W
#define PR_KEYWORD_W PROP_TAG(PT_UNICODE,0x3A0B)
#endif
#ifndef PR_KEYWORD_A
#define PR_KEYWORD_A PROP_TAG(PT_STRING8,0x3A0B)
#endif
#ifndef PR_LANGUAGE
#define PR_LANGUAGE PROP_TAG(PT_TSTRING,0x3A0C) /* PidTagLanguage */
#endif
#ifndef PR_LANGUAGE_W
#define PR_LANGUAGE_W PROP_TAG(PT_UNICODE,0x3A0C)
#endif
#ifndef PR_LANGUAGE_A
#define PR_LANGUAGE_A PROP_TAG(PT_STRING8,0x3A0C)
#endif
#ifndef PR_LOCATION
#define PR_LOCATION PROP_TAG(PT_TSTRING,0x3A0D) /* PidTagLocation */
#endif
#ifndef PR_LOCATION_W
#define PR_LOCATION_W PROP_TAG(PT_UNICODE,0x3A0D)
#endif
#ifndef PR_LOCATION_A
#define PR_LOCATION_A PROP_TAG(PT_STRING8,0x3A0D)
#endif
#ifndef PR_MAIL_PERMISSION
#define PR_MAIL_PERMISSION PROP_TAG(PT_BOOLEAN,0x3A0E) /* PidTagMailPermission */
#endif
#ifndef PR_MHS_COMMON_NAME
#define PR_MHS_COMMON_NAME PROP_TAG(PT_TSTRING,0x3A0F) /* PidTagMessageHandlingSystemCommonName */
#endif
#ifndef PR_MHS_COMMON_NAME_W
#define PR_MHS_COMMON_NAME_W PROP_TAG(PT_UNICODE,0x3A0F)
#endif
#ifndef PR_MHS_COMMON_NAME_A
#define PR_MHS_COMMON_NAME_A PROP_TAG(PT_STRING8,0x3A0F)
#endif
#ifndef PR_ORGANIZATIONAL_ID_NUMBER
#define PR_ORGANIZATIONAL_ID_NUMBER PROP_TAG(PT_TSTRING,0x3A10) /* PidTagOrganizationalIdNumber */
#endif
#ifndef PR_ORGANIZATIONAL_ID_NUMBER_W
#define PR_ORGANIZATIONAL_ID_NUMBER_W PROP_TAG(PT_UNICODE,0x3A10)
#endif
#ifndef PR_ORGANIZATIONAL_ID_NUMBER_A
#define PR_ORGANIZATIONAL_ID_NUMBER_A PROP_TAG(PT_STRING8,0x3A10)
#endif
#ifndef PR_SURNAME
#define PR_SURNAME PROP_TAG(PT_TSTRING,0x3A11) /* PidTagSurname */
#endif
#ifndef PR_SURNAME_W
#define PR_SURNAME_W PROP_TAG(PT_UNICODE,0x3A11)
#endif
#ifndef PR_SURNAME_A
#define PR_SURNAME_A PROP_TAG(PT_STRING8,0x3A11)
#endif
#ifndef PR_ORIGINAL_ENTRYID
#define PR_ORIGINAL_ENTRYID PROP_TAG(PT_BINARY,0x3A12) /* PidTagOriginalEntryId */
#endif
#ifndef PR_ORIGINAL_DISPLAY_NAME
#define PR_ORIGINAL_DISPLAY_NAME PROP_TAG(PT_TSTRING,0x3A13) /* PidTagOriginalDisplayName */
#endif
#ifndef PR_ORIGINAL_DISPLAY_NAME_W
#define PR_ORIGINAL_DISPLAY_NAME_W PROP_TAG(PT_UNICODE,0x3A13)
#endif
#ifndef PR_ORIGINAL_DISPLAY_NAME_A
#define PR_ORIGINAL_DISPLAY_NAME_A PROP_TAG(PT_STRING8,0x3A13)
#endif
#ifndef PR_ORIGINAL_SEARCH_KEY
#define PR_ORIGINAL_SEARCH_KEY PROP_TAG(PT_BINARY,0x3A14) /* PidTagOriginalSearchKey */
#endif
#ifndef PR_POSTAL_ADDRESS
#define PR_POSTAL_ADDRESS PROP_TAG(PT_TSTRING,0x3A15) /* PidTagPostalAddress */
#endif
#ifndef PR_POSTAL_ADDRESS_W
#define PR_POSTAL_ADDRESS_W PROP_TAG(PT_UNICODE,0x3A15)
#endif
#ifndef PR_POSTAL_ADDRESS_A
#define PR_POSTAL_ADDRESS_A PROP_TAG(PT_STRING8,0x3A15)
#endif
#ifndef PR_COMPANY_NAME
#define PR_COMPANY_NAME PROP_TAG(PT_TSTRING,0x3A16) /* PidTagCompanyName */
#endif
#ifndef PR_COMPANY_NAME_W
#define PR_COMPANY_NAME_W PROP_TAG(PT_UNICODE,0x3A16)
#endif
#ifndef PR_COMPANY_NAME_A
#define PR_COMPANY_NAME_A PROP_TAG(PT_STRING8,0x3A16)
#endif
#ifndef PR_TITLE
#define PR_TITLE PROP_TAG(PT_TSTRING,0x3A17) /* PidTagTitle */
#endif
#ifndef PR_TITLE_W
#define PR_TITLE_W PROP_TAG(PT_UNICODE,0x3A17)
#endif
#ifndef PR_TITLE_A
#define PR_TITLE_A PROP_TAG(PT_STRING8,0x3A17)
#endif
#ifndef PR_DEPARTMENT_NAME
#define PR_DEPARTMENT_NAME PROP_TAG(PT_TSTRING,0x3A18) /* PidTagDepartmentName */
#endif
#ifndef PR_DEPARTMENT_NAME_W
#define PR_DEPARTMENT_NAME_W PROP_TAG(PT_UNICODE,0x3A18)
#endif
#ifndef PR_DEPARTMENT_NAME_A
#define PR_DEPARTMENT_NAME_A PROP_TAG(PT_STRING8,0x3A18)
#endif
#ifndef PR_OFFICE_LOCATION
#define PR_OFFICE_LOCATION PROP_TAG(PT_TSTRING,0x3A19) /* PidTagOfficeLocation */
#endif
#ifndef PR_OFFICE_LOCATION_W
#define PR_OFFICE_LOCATION_W PROP_TAG(PT_UNICODE,0x3A19)
#endif
#ifndef PR_OFFICE_LOCATION_A
#define PR_OFFICE_LOCATION_A PROP_TAG(PT_STRING8,0x3A19)
#endif
#ifndef PR_PRIMARY_TELEPHONE_NUMBER
#define PR_PRIMARY_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A1A) /* PidTagPrimaryTelephoneNumber */
#endif
#ifndef PR_PRIMARY_TELEPHONE_NUMBER_W
#define PR_PRIMARY_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A1A)
#endif
#ifndef PR_PRIMARY_TELEPHONE_NUMBER_A
#define PR_PRIMARY_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A1A)
#endif
#ifndef PR_BUSINESS2_TELEPHONE_NUMBER
#define PR_BUSINESS2_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A1B) /* PidTagBusiness2TelephoneNumber */
#endif
#ifndef PR_BUSINESS2_TELEPHONE_NUMBER_W
#define PR_BUSINESS2_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A1B)
#endif
#ifndef PR_BUSINESS2_TELEPHONE_NUMBER_A
#define PR_BUSINESS2_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A1B)
#endif
#ifndef PR_OFFICE2_TELEPHONE_NUMBER
#define PR_OFFICE2_TELEPHONE_NUMBER PR_BUSINESS2_TELEPHONE_NUMBER
#endif
#ifndef PR_OFFICE2_TELEPHONE_NUMBER_W
#define PR_OFFICE2_TELEPHONE_NUMBER_W PR_BUSINESS2_TELEPHONE_NUMBER_W
#endif
#ifndef PR_OFFICE2_TELEPHONE_NUMBER_A
#define PR_OFFICE2_TELEPHONE_NUMBER_A PR_BUSINESS2_TELEPHONE_NUMBER_A
#endif
#ifndef PR_MOBILE_TELEPHONE_NUMBER
#define PR_MOBILE_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A1C) /* PidTagMobileTelephoneNumber */
#endif
#ifndef PR_MOBILE_TELEPHONE_NUMBER_W
#define PR_MOBILE_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A1C)
#endif
#ifndef PR_MOBILE_TELEPHONE_NUMBER_A
#define PR_MOBILE_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A1C)
#endif
#ifndef PR_CELLULAR_TELEPHONE_NUMBER
#define PR_CELLULAR_TELEPHONE_NUMBER PR_MOBILE_TELEPHONE_NUMBER
#endif
#ifndef PR_CELLULAR_TELEPHONE_NUMBER_W
#define PR_CELLULAR_TELEPHONE_NUMBER_W PR_MOBILE_TELEPHONE_NUMBER_W
#endif
#ifndef PR_CELLULAR_TELEPHONE_NUMBER_A
#define PR_CELLULAR_TELEPHONE_NUMBER_A PR_MOBILE_TELEPHONE_NUMBER_A
#endif
#ifndef PR_RADIO_TELEPHONE_NUMBER
#define PR_RADIO_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A1D) /* PidTagRadioTelephoneNumber */
#endif
#ifndef PR_RADIO_TELEPHONE_NUMBER_W
#define PR_RADIO_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A1D)
#endif
#ifndef PR_RADIO_TELEPHONE_NUMBER_A
#define PR_RADIO_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A1D)
#endif
#ifndef PR_CAR_TELEPHONE_NUMBER
#define PR_CAR_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A1E) /* PidTagCarTelephoneNumber */
#endif
#ifndef PR_CAR_TELEPHONE_NUMBER_W
#define PR_CAR_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A1E)
#endif
#ifndef PR_CAR_TELEPHONE_NUMBER_A
#define PR_CAR_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A1E)
#endif
#ifndef PR_OTHER_TELEPHONE_NUMBER
#define PR_OTHER_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A1F) /* PidTagOtherTelephoneNumber */
#endif
#ifndef PR_OTHER_TELEPHONE_NUMBER_W
#define PR_OTHER_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A1F)
#endif
#ifndef PR_OTHER_TELEPHONE_NUMBER_A
#define PR_OTHER_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A1F)
#endif
#ifndef PR_TRANSMITABLE_DISPLAY_NAME
#define PR_TRANSMITABLE_DISPLAY_NAME PROP_TAG(PT_TSTRING,0x3A20) /* PidTagTransmittableDisplayName */
#endif
#ifndef PR_TRANSMITABLE_DISPLAY_NAME_W
#define PR_TRANSMITABLE_DISPLAY_NAME_W PROP_TAG(PT_UNICODE,0x3A20)
#endif
#ifndef PR_TRANSMITABLE_DISPLAY_NAME_A
#define PR_TRANSMITABLE_DISPLAY_NAME_A PROP_TAG(PT_STRING8,0x3A20)
#endif
#ifndef PR_PAGER_TELEPHONE_NUMBER
#define PR_PAGER_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A21) /* PidTagPagerTelephoneNumber */
#endif
#ifndef PR_PAGER_TELEPHONE_NUMBER_W
#define PR_PAGER_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A21)
#endif
#ifndef PR_PAGER_TELEPHONE_NUMBER_A
#define PR_PAGER_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A21)
#endif
#ifndef PR_BEEPER_TELEPHONE_NUMBER
#define PR_BEEPER_TELEPHONE_NUMBER PR_PAGER_TELEPHONE_NUMBER
#endif
#ifndef PR_BEEPER_TELEPHONE_NUMBER_W
#define PR_BEEPER_TELEPHONE_NUMBER_W PR_PAGER_TELEPHONE_NUMBER_W
#endif
#ifndef PR_BEEPER_TELEPHONE_NUMBER_A
#define PR_BEEPER_TELEPHONE_NUMBER_A PR_PAGER_TELEPHONE_NUMBER_A
#endif
#ifndef PR_USER_CERTIFICATE
#define PR_USER_CERTIFICATE PROP_TAG(PT_BINARY,0x3A22) /* PidTagUserCertificate */
#endif
#ifndef PR_PRIMARY_FAX_NUMBER
#define PR_PRIMARY_FAX_NUMBER PROP_TAG(PT_TSTRING,0x3A23) /* PidTagPrimaryFaxNumber */
#endif
#ifndef PR_PRIMARY_FAX_NUMBER_W
#define PR_PRIMARY_FAX_NUMBER_W PROP_TAG(PT_UNICODE,0x3A23)
#endif
#ifndef PR_PRIMARY_FAX_NUMBER_A
#define PR_PRIMARY_FAX_NUMBER_A PROP_TAG(PT_STRING8,0x3A23)
#endif
#ifndef PR_BUSINESS_FAX_NUMBER
#define PR_BUSINESS_FAX_NUMBER PROP_TAG(PT_TSTRING,0x3A24) /* PidTagBusinessFaxNumber */
#endif
#ifndef PR_BUSINESS_FAX_NUMBER_W
#define PR_BUSINESS_FAX_NUMBER_W PROP_TAG(PT_UNICODE,0x3A24)
#endif
#ifndef PR_BUSINESS_FAX_NUMBER_A
#define PR_BUSINESS_FAX_NUMBER_A PROP_TAG(PT_STRING8,0x3A24)
#endif
#ifndef PR_HOME_FAX_NUMBER
#define PR_HOME_FAX_NUMBER PROP_TAG(PT_TSTRING,0x3A25) /* PidTagHomeFaxNumber */
#endif
#ifndef PR_HOME_FAX_NUMBER_W
#define PR_HOME_FAX_NUMBER_W PROP_TAG(PT_UNICODE,0x3A25)
#endif
#ifndef PR_HOME_FAX_NUMBER_A
#define PR_HOME_FAX_NUMBER_A PROP_TAG(PT_STRING8,0x3A25)
#endif
#ifndef PR_COUNTRY
#define PR_COUNTRY PROP_TAG(PT_TSTRING,0x3A26) /* PidTagCountry */
#endif
#ifndef PR_COUNTRY_W
#define PR_COUNTRY_W PROP_TAG(PT_UNICODE,0x3A26)
#endif
#ifndef PR_COUNTRY_A
#define PR_COUNTRY_A PROP_TAG(PT_STRING8,0x3A26)
#endif
#ifndef PR_BUSINESS_ADDRESS_COUNTRY
#define PR_BUSINESS_ADDRESS_COUNTRY PR_COUNTRY
#endif
#ifndef PR_BUSINESS_ADDRESS_COUNTRY_W
#define PR_BUSINESS_ADDRESS_COUNTRY_W PR_COUNTRY_W
#endif
#ifndef PR_BUSINESS_ADDRESS_COUNTRY_A
#define PR_BUSINESS_ADDRESS_COUNTRY_A PR_COUNTRY_A
#endif
#ifndef PR_LOCALITY
#define PR_LOCALITY PROP_TAG(PT_TSTRING,0x3A27) /* PidTagLocality */
#endif
#ifndef PR_LOCALITY_W
#define PR_LOCALITY_W PROP_TAG(PT_UNICODE,0x3A27)
#endif
#ifndef PR_LOCALITY_A
#define PR_LOCALITY_A PROP_TAG(PT_STRING8,0x3A27)
#endif
#ifndef PR_BUSINESS_ADDRESS_CITY
#define PR_BUSINESS_ADDRESS_CITY PR_LOCALITY
#endif
#ifndef PR_BUSINESS_ADDRESS_CITY_W
#define PR_BUSINESS_ADDRESS_CITY_W PR_LOCALITY_W
#endif
#ifndef PR_BUSINESS_ADDRESS_CITY_A
#define PR_BUSINESS_ADDRESS_CITY_A PR_LOCALITY_A
#endif
#ifndef PR_STATE_OR_PROVINCE
#define PR_STATE_OR_PROVINCE PROP_TAG(PT_TSTRING,0x3A28) /* PidTagStateOrProvince */
#endif
#ifndef PR_STATE_OR_PROVINCE_W
#define PR_STATE_OR_PROVINCE_W PROP_TAG(PT_UNICODE,0x3A28)
#endif
#ifndef PR_STATE_OR_PROVINCE_A
#define PR_STATE_OR_PROVINCE_A PROP_TAG(PT_STRING8,0x3A28)
#endif
#ifndef PR_BUSINESS_ADDRESS_STATE_OR_PROVINCE
#define PR_BUSINESS_ADDRESS_STATE_OR_PROVINCE PR_STATE_OR_PROVINCE
#endif
#ifndef PR_BUSINESS_ADDRESS_STATE_OR_PROVINCE_W
#define PR_BUSINESS_ADDRESS_STATE_OR_PROVINCE_W PR_STATE_OR_PROVINCE_W
#endif
#ifndef PR_BUSINESS_ADDRESS_STATE_OR_PROVINCE_A
#define PR_BUSINESS_ADDRESS_STATE_OR_PROVINCE_A PR_STATE_OR_PROVINCE_A
#endif
#ifndef PR_STREET_ADDRESS
#define PR_STREET_ADDRESS PROP_TAG(PT_TSTRING,0x3A29) /* PidTagStreetAddress */
#endif
#ifndef PR_STREET_ADDRESS_W
#define PR_STREET_ADDRESS_W PROP_TAG(PT_UNICODE,0x3A29)
#endif
#ifndef PR_STREET_ADDRESS_A
#define PR_STREET_ADDRESS_A PROP_TAG(PT_STRING8,0x3A29)
#endif
#ifndef PR_BUSINESS_ADDRESS_STREET
#define PR_BUSINESS_ADDRESS_STREET PR_STREET_ADDRESS
#endif
#ifndef PR_BUSINESS_ADDRESS_STREET_W
#define PR_BUSINESS_ADDRESS_STREET_W PR_STREET_ADDRESS_W
#endif
#ifndef PR_BUSINESS_ADDRESS_STREET_A
#define PR_BUSINESS_ADDRESS_STREET_A PR_STREET_ADDRESS_A
#endif
#ifndef PR_POSTAL_CODE
#define PR_POSTAL_CODE PROP_TAG(PT_TSTRING,0x3A2A) /* PidTagPostalCode */
#endif
#ifndef PR_POSTAL_CODE_W
#define PR_POSTAL_CODE_W PROP_TAG(PT_UNICODE,0x3A2A)
#endif
#ifndef PR_POSTAL_CODE_A
#define PR_POSTAL_CODE_A PROP_TAG(PT_STRING8,0x3A2A)
#endif
#ifndef PR_BUSINESS_ADDRESS_POSTAL_CODE
#define PR_BUSINESS_ADDRESS_POSTAL_CODE PR_POSTAL_CODE
#endif
#ifndef PR_BUSINESS_ADDRESS_POSTAL_CODE_W
#define PR_BUSINESS_ADDRESS_POSTAL_CODE_W PR_POSTAL_CODE_W
#endif
#ifndef PR_BUSINESS_ADDRESS_POSTAL_CODE_A
#define PR_BUSINESS_ADDRESS_POSTAL_CODE_A PR_POSTAL_CODE_A
#endif
#ifndef PR_POST_OFFICE_BOX
#define PR_POST_OFFICE_BOX PROP_TAG(PT_TSTRING,0x3A2B) /* PidTagPostOfficeBox */
#endif
#ifndef PR_POST_OFFICE_BOX_W
#define PR_POST_OFFICE_BOX_W PROP_TAG(PT_UNICODE,0x3A2B)
#endif
#ifndef PR_POST_OFFICE_BOX_A
#define PR_POST_OFFICE_BOX_A PROP_TAG(PT_STRING8,0x3A2B)
#endif
#ifndef PR_BUSINESS_ADDRESS_POST_OFFICE_BOX
#define PR_BUSINESS_ADDRESS_POST_OFFICE_BOX PR_POST_OFFICE_BOX
#endif
#ifndef PR_BUSINESS_ADDRESS_POST_OFFICE_BOX_W
#define PR_BUSINESS_ADDRESS_POST_OFFICE_BOX_W PR_POST_OFFICE_BOX_W
#endif
#ifndef PR_BUSINESS_ADDRESS_POST_OFFICE_BOX_A
#define PR_BUSINESS_ADDRESS_POST_OFFICE_BOX_A PR_POST_OFFICE_BOX_A
#endif
#ifndef PR_TELEX_NUMBER
#define PR_TELEX_NUMBER PROP_TAG(PT_TSTRING,0x3A2C) /* PidTagTelexNumber */
#endif
#ifndef PR_TELEX_NUMBER_W
#define PR_TELEX_NUMBER_W PROP_TAG(PT_UNICODE,0x3A2C)
#endif
#ifndef PR_TELEX_NUMBER_A
#define PR_TELEX_NUMBER_A PROP_TAG(PT_STRING8,0x3A2C)
#endif
#ifndef PR_ISDN_NUMBER
#define PR_ISDN_NUMBER PROP_TAG(PT_TSTRING,0x3A2D) /* PidTagIsdnNumber */
#endif
#ifndef PR_ISDN_NUMBER_W
#define PR_ISDN_NUMBER_W PROP_TAG(PT_UNICODE,0x3A2D)
#endif
#ifndef PR_ISDN_NUMBER_A
#define PR_ISDN_NUMBER_A PROP_TAG(PT_STRING8,0x3A2D)
#endif
#ifndef PR_ASSISTANT_TELEPHONE_NUMBER
#define PR_ASSISTANT_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A2E) /* PidTagAssistantTelephoneNumber */
#endif
#ifndef PR_ASSISTANT_TELEPHONE_NUMBER_W
#define PR_ASSISTANT_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A2E)
#endif
#ifndef PR_ASSISTANT_TELEPHONE_NUMBER_A
#define PR_ASSISTANT_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A2E)
#endif
#ifndef PR_HOME2_TELEPHONE_NUMBER
#define PR_HOME2_TELEPHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A2F) /* PidTagHome2TelephoneNumber */
#endif
#ifndef PR_HOME2_TELEPHONE_NUMBER_W
#define PR_HOME2_TELEPHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A2F)
#endif
#ifndef PR_HOME2_TELEPHONE_NUMBER_A
#define PR_HOME2_TELEPHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A2F)
#endif
#ifndef PR_ASSISTANT
#define PR_ASSISTANT PROP_TAG(PT_TSTRING,0x3A30) /* PidTagAssistant */
#endif
#ifndef PR_ASSISTANT_W
#define PR_ASSISTANT_W PROP_TAG(PT_UNICODE,0x3A30)
#endif
#ifndef PR_ASSISTANT_A
#define PR_ASSISTANT_A PROP_TAG(PT_STRING8,0x3A30)
#endif
#ifndef PR_SEND_RICH_INFO
#define PR_SEND_RICH_INFO PROP_TAG(PT_BOOLEAN,0x3A40) /* PidTagSendRichInfo */
#endif
#ifndef PR_WEDDING_ANNIVERSARY
#define PR_WEDDING_ANNIVERSARY PROP_TAG(PT_SYSTIME,0x3A41) /* PidTagWeddingAnniversary */
#endif
#ifndef PR_BIRTHDAY
#define PR_BIRTHDAY PROP_TAG(PT_SYSTIME,0x3A42) /* PidTagBirthday */
#endif
#ifndef PR_HOBBIES
#define PR_HOBBIES PROP_TAG(PT_TSTRING,0x3A43) /* PidTagHobbies */
#endif
#ifndef PR_HOBBIES_W
#define PR_HOBBIES_W PROP_TAG(PT_UNICODE,0x3A43)
#endif
#ifndef PR_HOBBIES_A
#define PR_HOBBIES_A PROP_TAG(PT_STRING8,0x3A43)
#endif
#ifndef PR_MIDDLE_NAME
#define PR_MIDDLE_NAME PROP_TAG(PT_TSTRING,0x3A44) /* PidTagMiddleName */
#endif
#ifndef PR_MIDDLE_NAME_W
#define PR_MIDDLE_NAME_W PROP_TAG(PT_UNICODE,0x3A44)
#endif
#ifndef PR_MIDDLE_NAME_A
#define PR_MIDDLE_NAME_A PROP_TAG(PT_STRING8,0x3A44)
#endif
#ifndef PR_DISPLAY_NAME_PREFIX
#define PR_DISPLAY_NAME_PREFIX PROP_TAG(PT_TSTRING,0x3A45) /* PidTagDisplayNamePrefix */
#endif
#ifndef PR_DISPLAY_NAME_PREFIX_W
#define PR_DISPLAY_NAME_PREFIX_W PROP_TAG(PT_UNICODE,0x3A45)
#endif
#ifndef PR_DISPLAY_NAME_PREFIX_A
#define PR_DISPLAY_NAME_PREFIX_A PROP_TAG(PT_STRING8,0x3A45)
#endif
#ifndef PR_PROFESSION
#define PR_PROFESSION PROP_TAG(PT_TSTRING,0x3A46) /* PidTagProfession */
#endif
#ifndef PR_PROFESSION_W
#define PR_PROFESSION_W PROP_TAG(PT_UNICODE,0x3A46)
#endif
#ifndef PR_PROFESSION_A
#define PR_PROFESSION_A PROP_TAG(PT_STRING8,0x3A46)
#endif
#ifndef PR_PREFERRED_BY_NAME
#define PR_PREFERRED_BY_NAME PROP_TAG(PT_TSTRING,0x3A47) /* PidTagPreferredByName */
#endif
#ifndef PR_PREFERRED_BY_NAME_W
#define PR_PREFERRED_BY_NAME_W PROP_TAG(PT_UNICODE,0x3A47)
#endif
#ifndef PR_PREFERRED_BY_NAME_A
#define PR_PREFERRED_BY_NAME_A PROP_TAG(PT_STRING8,0x3A47)
#endif
#ifndef PR_SPOUSE_NAME
#define PR_SPOUSE_NAME PROP_TAG(PT_TSTRING,0x3A48) /* PidTagSpouseName */
#endif
#ifndef PR_SPOUSE_NAME_W
#define PR_SPOUSE_NAME_W PROP_TAG(PT_UNICODE,0x3A48)
#endif
#ifndef PR_SPOUSE_NAME_A
#define PR_SPOUSE_NAME_A PROP_TAG(PT_STRING8,0x3A48)
#endif
#ifndef PR_COMPUTER_NETWORK_NAME
#define PR_COMPUTER_NETWORK_NAME PROP_TAG(PT_TSTRING,0x3A49) /* PidTagComputerNetworkName */
#endif
#ifndef PR_COMPUTER_NETWORK_NAME_W
#define PR_COMPUTER_NETWORK_NAME_W PROP_TAG(PT_UNICODE,0x3A49)
#endif
#ifndef PR_COMPUTER_NETWORK_NAME_A
#define PR_COMPUTER_NETWORK_NAME_A PROP_TAG(PT_STRING8,0x3A49)
#endif
#ifndef PR_CUSTOMER_ID
#define PR_CUSTOMER_ID PROP_TAG(PT_TSTRING,0x3A4A) /* PidTagCustomerId */
#endif
#ifndef PR_CUSTOMER_ID_W
#define PR_CUSTOMER_ID_W PROP_TAG(PT_UNICODE,0x3A4A)
#endif
#ifndef PR_CUSTOMER_ID_A
#define PR_CUSTOMER_ID_A PROP_TAG(PT_STRING8,0x3A4A)
#endif
#ifndef PR_TTYTDD_PHONE_NUMBER
#define PR_TTYTDD_PHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A4B) /* PidTagTelecommunicationsDeviceForDeafTelephoneNumber */
#endif
#ifndef PR_TTYTDD_PHONE_NUMBER_W
#define PR_TTYTDD_PHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A4B)
#endif
#ifndef PR_TTYTDD_PHONE_NUMBER_A
#define PR_TTYTDD_PHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A4B)
#endif
#ifndef PR_FTP_SITE
#define PR_FTP_SITE PROP_TAG(PT_TSTRING,0x3A4C) /* PidTagFtpSite */
#endif
#ifndef PR_FTP_SITE_W
#define PR_FTP_SITE_W PROP_TAG(PT_UNICODE,0x3A4C)
#endif
#ifndef PR_FTP_SITE_A
#define PR_FTP_SITE_A PROP_TAG(PT_STRING8,0x3A4C)
#endif
#ifndef PR_GENDER
#define PR_GENDER PROP_TAG(PT_SHORT,0x3A4D) /* PidTagGender */
#endif
#ifndef PR_MANAGER_NAME
#define PR_MANAGER_NAME PROP_TAG(PT_TSTRING,0x3A4E) /* PidTagManagerName */
#endif
#ifndef PR_MANAGER_NAME_W
#define PR_MANAGER_NAME_W PROP_TAG(PT_UNICODE,0x3A4E)
#endif
#ifndef PR_MANAGER_NAME_A
#define PR_MANAGER_NAME_A PROP_TAG(PT_STRING8,0x3A4E)
#endif
#ifndef PR_NICKNAME
#define PR_NICKNAME PROP_TAG(PT_TSTRING,0x3A4F) /* PidTagNickname */
#endif
#ifndef PR_NICKNAME_W
#define PR_NICKNAME_W PROP_TAG(PT_UNICODE,0x3A4F)
#endif
#ifndef PR_NICKNAME_A
#define PR_NICKNAME_A PROP_TAG(PT_STRING8,0x3A4F)
#endif
#ifndef PR_PERSONAL_HOME_PAGE
#define PR_PERSONAL_HOME_PAGE PROP_TAG(PT_TSTRING,0x3A50) /* PidTagPersonalHomePage */
#endif
#ifndef PR_PERSONAL_HOME_PAGE_W
#define PR_PERSONAL_HOME_PAGE_W PROP_TAG(PT_UNICODE,0x3A50)
#endif
#ifndef PR_PERSONAL_HOME_PAGE_A
#define PR_PERSONAL_HOME_PAGE_A PROP_TAG(PT_STRING8,0x3A50)
#endif
#ifndef PR_BUSINESS_HOME_PAGE
#define PR_BUSINESS_HOME_PAGE PROP_TAG(PT_TSTRING,0x3A51) /* PidTagBusinessHomePage */
#endif
#ifndef PR_BUSINESS_HOME_PAGE_W
#define PR_BUSINESS_HOME_PAGE_W PROP_TAG(PT_UNICODE,0x3A51)
#endif
#ifndef PR_BUSINESS_HOME_PAGE_A
#define PR_BUSINESS_HOME_PAGE_A PROP_TAG(PT_STRING8,0x3A51)
#endif
#ifndef PR_CONTACT_VERSION
#define PR_CONTACT_VERSION PROP_TAG(PT_CLSID,0x3A52) /* PidTagContactVersion */
#endif
#ifndef PR_CONTACT_ENTRYIDS
#define PR_CONTACT_ENTRYIDS PROP_TAG(PT_MV_BINARY,0x3A53)
#endif
#ifndef PR_CONTACT_ADDRTYPES
#define PR_CONTACT_ADDRTYPES PROP_TAG(PT_MV_TSTRING,0x3A54) /* PidTagContactAddressTypes */
#endif
#ifndef PR_CONTACT_ADDRTYPES_W
#define PR_CONTACT_ADDRTYPES_W PROP_TAG(PT_MV_UNICODE,0x3A54)
#endif
#ifndef PR_CONTACT_ADDRTYPES_A
#define PR_CONTACT_ADDRTYPES_A PROP_TAG(PT_MV_STRING8,0x3A54)
#endif
#ifndef PR_CONTACT_DEFAULT_ADDRESS_INDEX
#define PR_CONTACT_DEFAULT_ADDRESS_INDEX PROP_TAG(PT_LONG,0x3A55)
#endif
#ifndef PR_CONTACT_EMAIL_ADDRESSES
#define PR_CONTACT_EMAIL_ADDRESSES PROP_TAG(PT_MV_TSTRING,0x3A56)
#endif
#ifndef PR_CONTACT_EMAIL_ADDRESSES_W
#define PR_CONTACT_EMAIL_ADDRESSES_W PROP_TAG(PT_MV_UNICODE,0x3A56)
#endif
#ifndef PR_CONTACT_EMAIL_ADDRESSES_A
#define PR_CONTACT_EMAIL_ADDRESSES_A PROP_TAG(PT_MV_STRING8,0x3A56)
#endif
#ifndef PR_COMPANY_MAIN_PHONE_NUMBER
#define PR_COMPANY_MAIN_PHONE_NUMBER PROP_TAG(PT_TSTRING,0x3A57) /* PidTagCompanyMainTelephoneNumber */
#endif
#ifndef PR_COMPANY_MAIN_PHONE_NUMBER_W
#define PR_COMPANY_MAIN_PHONE_NUMBER_W PROP_TAG(PT_UNICODE,0x3A57)
#endif
#ifndef PR_COMPANY_MAIN_PHONE_NUMBER_A
#define PR_COMPANY_MAIN_PHONE_NUMBER_A PROP_TAG(PT_STRING8,0x3A57)
#endif
#ifndef PR_CHILDRENS_NAMES
#define PR_CHILDRENS_NAMES PROP_TAG(PT_MV_TSTRING,0x3A58) /* PidTagChildrensNames */
#endif
#ifndef PR_CHILDRENS_NAMES_W
#define PR_CHILDRENS_NAMES_W PROP_TAG(PT_MV_UNICODE,0x3A58)
#endif
#ifndef PR_CHILDRENS_NAMES_A
#define PR_CHILDRENS_NAMES_A PROP_TAG(PT_MV_STRING8,0x3A58)
#endif
#ifndef PR_HOME_ADDRESS_CITY
#define PR_HOME_ADDRESS_CITY PROP_TAG(PT_TSTRING,0x3A59) /* PidTagHomeAddressCity */
#endif
#ifndef PR_HOME_ADDRESS_CITY_W
#define PR_HOME_ADDRESS_CITY_W PROP_TAG(PT_UNICODE,0x3A59)
#endif
#ifndef PR_HOME_ADDRESS_CITY_A
#define PR_HOME_ADDRESS_CITY_A PROP_TAG(PT_STRING8,0x3A59)
#endif
#ifndef PR_HOME_ADDRESS_COUNTRY
#define PR_HOME_ADDRESS_COUNTRY PROP_TAG(PT_TSTRING,0x3A5A) /* PidTagHomeAddressCountry */
#endif
#ifndef PR_HOME_ADDRESS_COUNTRY_W
#define PR_HOME_ADDRESS_COUNTRY_W PROP_TAG(PT_UNICODE,0x3A5A)
#endif
#ifndef PR_HOME_ADDRESS_COUNTRY_A
#define PR_HOME_ADDRESS_COUNTRY_A PROP_TAG(PT_STRING8,0x3A5A)
#endif
#ifndef PR_HOME_ADDRESS_POSTAL_CODE
#define PR_HOME_ADDRESS_POSTAL_CODE PROP_TAG(PT_TSTRING,0x3A5B) /* PidTagHomeAddressPostalCode */
#endif
#ifndef PR_HOME_ADDRESS_POSTAL_CODE_W
#define PR_HOME_ADDRESS_POSTAL_CODE_W PROP_TAG(PT_UNICODE,0x3A5B)
#endif
#ifndef PR_HOME_ADDRESS_POSTAL_CODE_A
#define PR_HOME_ADDRESS_POSTAL_CODE_A PROP_TAG(PT_STRING8,0x3A5B)
#endif
#ifndef PR_HOME_ADDRESS_STATE_OR_PROVINCE
#define PR_HOME_ADDRESS_STATE_OR_PROVINCE PROP_TAG(PT_TSTRING,0x3A5C) /* PidTagHomeAddressStateOrProvince */
#endif
#ifndef PR_HOME_ADDRESS_STATE_OR_PROVINCE_W
#define PR_HOME_ADDRESS_STATE_OR_PROVINCE_W PROP_TAG(PT_UNICODE,0x3A5C)
#endif
#ifndef PR_HOME_ADDRESS_STATE_OR_PROVINCE_A
#define PR_HOME_ADDRESS_STATE_OR_PROVINCE_A PROP_TAG(PT_STRING8,0x3A5C)
#endif
#ifndef PR_HOME_ADDRESS_STREET
#define PR_HOME_ADDRESS_STREET PROP_TAG(PT_TSTRING,0x3A5D) /* PidTagHomeAddressStreet */
#endif
#ifndef PR_HOME_ADDRESS_STREET_W
#define PR_HOME_ADDRESS_STREET_W PROP_TAG(PT_UNICODE,0x3A5D)
#endif
#ifndef PR_HOME_ADDRESS_STREET_A
#define PR_HOME_ADDRESS_STREET_A PROP_TAG(PT_STRING8,0x3A5D)
#endif
#ifndef PR_HOME_ADDRESS_POST_OFFICE_BOX
#define PR_HOME_ADDRESS_POST_OFFICE_BOX PROP_TAG(PT_TSTRING,0x3A5E) /* PidTagHomeAddressPostOfficeBox */
#endif
#ifndef PR_HOME_ADDRESS_POST_OFFICE_BOX_W
#define PR_HOME_ADDRESS_POST_OFFICE_BOX_W PROP_TAG(PT_UNICODE,0x3A5E)
#endif
#ifndef PR_HOME_ADDRESS_POST_OFFICE_BOX_A
#define PR_HOME_ADDRESS_POST_OFFICE_BOX_A PROP_TAG(PT_STRING8,0x3A5E)
#endif
#ifndef PR_OTHER_ADDRESS_CITY
#define PR_OTHER_ADDRESS_CITY PROP_TAG(PT_TSTRING,0x3A5F) /* PidTagOtherAddressCity */
#endif
#ifndef PR_OTHER_ADDRESS_CITY_W
#define PR_OTHER_ADDRESS_CITY_W PROP_TAG(PT_UNICODE,0x3A5F)
#endif
#ifndef PR_OTHER_ADDRESS_CITY_A
#define PR_OTHER_ADDRESS_CITY_A PROP_TAG(PT_STRING8,0x3A5F)
#endif
#ifndef PR_OTHER_ADDRESS_COUNTRY
#define PR_OTHER_ADDRESS_COUNTRY PROP_TAG(PT_TSTRING,0x3A60) /* PidTagOtherAddressCountry */
#endif
#ifndef PR_OTHER_ADDRESS_COUNTRY_W
#define PR_OTHER_ADDRESS_COUNTRY_W PROP_TAG(PT_UNICODE,0x3A60)
#endif
#ifndef PR_OTHER_ADDRESS_COUNTRY_A
#define PR_OTHER_ADDRESS_COUNTRY_A PROP_TAG(PT_STRING8,0x3A60)
#endif
#ifndef PR_OTHER_ADDRESS_POSTAL_CODE
#define PR_OTHER_ADDRESS_POSTAL_CODE PROP_TAG(PT_TSTRING,0x3A61) /* PidTagOtherAddressPostalCode */
#endif
#ifndef PR_OTHER_ADDRESS_POSTAL_CODE_W
#define PR_OTHER_ADDRESS_POSTAL_CODE_W PROP_TAG(PT_UNICODE,0x3A61)
#endif
#ifndef PR_OTHER_ADDRESS_POSTAL_CODE_A
#define PR_OTHER_ADDRESS_POSTAL_CODE_A PROP_TAG(PT_STRING8,0x3A61)
#endif
#ifndef PR_OTHER_ADDRESS_STATE_OR_PROVINCE
#define PR_OTHER_ADDRESS_STATE_OR_PROVINCE PROP_TAG(PT_TSTRING,0x3A62) /* PidTagOtherAddressStateOrProvince */
#endif
#ifndef PR_OTHER_ADDRESS_STATE_OR_PROVINCE_W
#define PR_OTHER_ADDRESS_STATE_OR_PROVINCE_W PROP_TAG(PT_UNICODE,0x3A62)
#endif
#ifndef PR_OTHER_ADDRESS_STATE_OR_PROVINCE_A
#define PR_OTHER_ADDRESS_STATE_OR_PROVINCE_A PROP_TAG(PT_STRING8,0x3A62)
#endif
#ifndef PR_OTHER_ADDRESS_STREET
#define PR_OTHER_ADDRESS_STREET PROP_TAG(PT_TSTRING,0x3A63) /* PidTagOtherAddressStreet */
#endif
#ifndef PR_OTHER_ADDRESS_STREET_W
#define PR_OTHER_ADDRESS_STREET_W PROP_TAG(PT_UNICODE,0x3A63)
#endif
#ifndef PR_OTHER_ADDRESS_STREET_A
#define PR_OTHER_ADDRESS_STREET_A PROP_TAG(PT_STRING8,0x3A63)
#endif
#ifndef PR_OTHER_ADDRESS_POST_OFFICE_BOX
#define PR_OTHER_ADDRESS_POST_OFFICE_BOX PROP_TAG(PT_TSTRING,0x3A64) /* PidTagOtherAddressPostOfficeBox */
#endif
#ifndef PR_OTHER_ADDRESS_POST_OFFICE_BOX_W
#define PR_OTHER_ADDRESS_POST_OFFICE_BOX_W PROP_TAG(PT_UNICODE,0x3A64)
#endif
#ifndef PR_OTHER_ADDRESS_POST_OFFICE_BOX_A
#define PR_OTHER_ADDRESS_POST_OFFICE_BOX_A PROP_TAG(PT_STRING8,0x3A64)
#endif
#ifndef PR_SEND_INTERNET_ENCODING
#define PR_SEND_INTERNET_ENCODING PROP_TAG(PT_LONG,0x3A71) /* PidTagSendInternetEncoding */
#endif

/* ------------------------------------------------------------------------
 * Profile sections and message services (0x3D00-0x3DFF): what MAPISVC.INF
 * and MSGServiceEntry read and write.
 */
#ifndef PR_STORE_PROVIDERS
#define PR_STORE_PROVIDERS PROP_TAG(PT_BINARY,0x3D00) /* PidTagStoreProviders */
#endif
#ifndef PR_AB_PROVIDERS
#define PR_AB_PROVIDERS PROP_TAG(PT_BINARY,0x3D01) /* PidTagAbProviders */
#endif
#ifndef PR_TRANSPORT_PROVIDERS
#define PR_TRANSPORT_PROVIDERS PROP_TAG(PT_BINARY,0x3D02) /* PidTagTransportProviders */
#endif
#ifndef PR_DEFAULT_PROFILE
#define PR_DEFAULT_PROFILE PROP_TAG(PT_BOOLEAN,0x3D04) /* PidTagDefaultProfile */
#endif
#ifndef PR_AB_SEARCH_PATH
#define PR_AB_SEARCH_PATH PROP_TAG(PT_MV_BINARY,0x3D05) /* PidTagAbSearchPath */
#endif
#ifndef PR_AB_DEFAULT_DIR
#define PR_AB_DEFAULT_DIR PROP_TAG(PT_BINARY,0x3D06) /* PidTagAbDefaultDir */
#endif
#ifndef PR_AB_DEFAULT_PAB
#define PR_AB_DEFAULT_PAB PROP_TAG(PT_BINARY,0x3D07) /* PidTagAbDefaultPab */
#endif
#ifndef PR_FILTERING_HOOKS
#define PR_FILTERING_HOOKS PROP_TAG(PT_BINARY,0x3D08) /* PidTagFilteringHooks */
#endif
#ifndef PR_SERVICE_NAME
#define PR_SERVICE_NAME PROP_TAG(PT_TSTRING,0x3D09) /* PidTagServiceName */
#endif
#ifndef PR_SERVICE_NAME_W
#define PR_SERVICE_NAME_W PROP_TAG(PT_UNICODE,0x3D09)
#endif
#ifndef PR_SERVICE_NAME_A
#define PR_SERVICE_NAME_A PROP_TAG(PT_STRING8,0x3D09)
#endif
#ifndef PR_SERVICE_DLL_NAME
#define PR_SERVICE_DLL_NAME PROP_TAG(PT_TSTRING,0x3D0A) /* PidTagServiceDllName */
#endif
#ifndef PR_SERVICE_DLL_NAME_W
#define PR_SERVICE_DLL_NAME_W PROP_TAG(PT_UNICODE,0x3D0A)
#endif
#ifndef PR_SERVICE_DLL_NAME_A
#define PR_SERVICE_DLL_NAME_A PROP_TAG(PT_STRING8,0x3D0A)
#endif
/* The name of MSGServiceEntry in MAPISVC.INF: PT_STRING8 only, as in
 * mapitags.h and the MAPI reference. */
#ifndef PR_SERVICE_ENTRY_NAME
#define PR_SERVICE_ENTRY_NAME PROP_TAG(PT_STRING8,0x3D0B) /* PidTagServiceEntryName */
#endif
#ifndef PR_SERVICE_UID
#define PR_SERVICE_UID PROP_TAG(PT_BINARY,0x3D0C) /* PidTagServiceUid */
#endif
#ifndef PR_SERVICE_EXTRA_UIDS
#define PR_SERVICE_EXTRA_UIDS PROP_TAG(PT_BINARY,0x3D0D) /* PidTagServiceExtraUids */
#endif
#ifndef PR_SERVICES
#define PR_SERVICES PROP_TAG(PT_BINARY,0x3D0E) /* PidTagServices */
#endif
#ifndef PR_SERVICE_SUPPORT_FILES
#define PR_SERVICE_SUPPORT_FILES PROP_TAG(PT_MV_TSTRING,0x3D0F) /* PidTagServiceSupportFiles */
#endif
#ifndef PR_SERVICE_SUPPORT_FILES_W
#define PR_SERVICE_SUPPORT_FILES_W PROP_TAG(PT_MV_UNICODE,0x3D0F)
#endif
#ifndef PR_SERVICE_SUPPORT_FILES_A
#define PR_SERVICE_SUPPORT_FILES_A PROP_TAG(PT_MV_STRING8,0x3D0F)
#endif
#ifndef PR_SERVICE_DELETE_FILES
#define PR_SERVICE_DELETE_FILES PROP_TAG(PT_MV_TSTRING,0x3D10) /* PidTagServiceDeleteFiles */
#endif
#ifndef PR_SERVICE_DELETE_FILES_W
#define PR_SERVICE_DELETE_FILES_W PROP_TAG(PT_MV_UNICODE,0x3D10)
#endif
#ifndef PR_SERVICE_DELETE_FILES_A
#define PR_SERVICE_DELETE_FILES_A PROP_TAG(PT_MV_STRING8,0x3D10)
#endif
#ifndef PR_AB_SEARCH_PATH_UPDATE
#define PR_AB_SEARCH_PATH_UPDATE PROP_TAG(PT_BINARY,0x3D11) /* PidTagAbSearchPathUpdate */
#endif
#ifndef PR_PROFILE_NAME
#define PR_PROFILE_NAME PROP_TAG(PT_TSTRING,0x3D12) /* PidTagProfileName */
#endif
#ifndef PR_PROFILE_NAME_W
#define PR_PROFILE_NAME_W PROP_TAG(PT_UNICODE,0x3D12)
#endif
#ifndef PR_PROFILE_NAME_A
#define PR_PROFILE_NAME_A PROP_TAG(PT_STRING8,0x3D12)
#endif
/* Found in Outlook's headers (via MFCMAPI) only, not in [MS-OXPROPS]. */
#ifndef PR_SERVICE_INSTALL_ID
#define PR_SERVICE_INSTALL_ID PROP_TAG(PT_TSTRING,0x3D13) /* PidTagServiceInstallId */
#endif
#ifndef PR_SERVICE_INSTALL_ID_W
#define PR_SERVICE_INSTALL_ID_W PROP_TAG(PT_UNICODE,0x3D13)
#endif
#ifndef PR_SERVICE_INSTALL_ID_A
#define PR_SERVICE_INSTALL_ID_A PROP_TAG(PT_STRING8,0x3D13)
#endif

/* ------------------------------------------------------------------------
 * Status objects (0x3E00-0x3EFF) and display-table controls (0x3F00-0x3F08).
 */
#ifndef PR_IDENTITY_DISPLAY
#define PR_IDENTITY_DISPLAY PROP_TAG(PT_TSTRING,0x3E00) /* PidTagIdentityDisplay */
#endif
#ifndef PR_IDENTITY_DISPLAY_W
#define PR_IDENTITY_DISPLAY_W PROP_TAG(PT_UNICODE,0x3E00)
#endif
#ifndef PR_IDENTITY_DISPLAY_A
#define PR_IDENTITY_DISPLAY_A PROP_TAG(PT_STRING8,0x3E00)
#endif
#ifndef PR_IDENTITY_ENTRYID
#define PR_IDENTITY_ENTRYID PROP_TAG(PT_BINARY,0x3E01) /* PidTagIdentityEntryId */
#endif
#ifndef PR_RESOURCE_METHODS
#define PR_RESOURCE_METHODS PROP_TAG(PT_LONG,0x3E02) /* PidTagResourceMethods */
#endif
#ifndef PR_RESOURCE_TYPE
#define PR_RESOURCE_TYPE PROP_TAG(PT_LONG,0x3E03) /* PidTagResourceType */
#endif
#ifndef PR_STATUS_CODE
#define PR_STATUS_CODE PROP_TAG(PT_LONG,0x3E04) /* PidTagStatusCode */
#endif
#ifndef PR_IDENTITY_SEARCH_KEY
#define PR_IDENTITY_SEARCH_KEY PROP_TAG(PT_BINARY,0x3E05) /* PidTagIdentitySearchKey */
#endif
#ifndef PR_OWN_STORE_ENTRYID
#define PR_OWN_STORE_ENTRYID PROP_TAG(PT_BINARY,0x3E06) /* PidTagOwnStoreEntryId */
#endif
#ifndef PR_RESOURCE_PATH
#define PR_RESOURCE_PATH PROP_TAG(PT_TSTRING,0x3E07) /* PidTagResourcePath */
#endif
#ifndef PR_RESOURCE_PATH_W
#define PR_RESOURCE_PATH_W PROP_TAG(PT_UNICODE,0x3E07)
#endif
#ifndef PR_RESOURCE_PATH_A
#define PR_RESOURCE_PATH_A PROP_TAG(PT_STRING8,0x3E07)
#endif
#ifndef PR_STATUS_STRING
#define PR_STATUS_STRING PROP_TAG(PT_TSTRING,0x3E08) /* PidTagStatusString */
#endif
#ifndef PR_STATUS_STRING_W
#define PR_STATUS_STRING_W PROP_TAG(PT_UNICODE,0x3E08)
#endif
#ifndef PR_STATUS_STRING_A
#define PR_STATUS_STRING_A PROP_TAG(PT_STRING8,0x3E08)
#endif
#ifndef PR_X400_DEFERRED_DELIVERY_CANCEL
#define PR_X400_DEFERRED_DELIVERY_CANCEL PROP_TAG(PT_BOOLEAN,0x3E09) /* PidTagX400DeferredDeliveryCancel */
#endif
#ifndef PR_HEADER_FOLDER_ENTRYID
#define PR_HEADER_FOLDER_ENTRYID PROP_TAG(PT_BINARY,0x3E0A) /* PidTagHeaderFolderEntryId */
#endif
#ifndef PR_REMOTE_PROGRESS
#define PR_REMOTE_PROGRESS PROP_TAG(PT_LONG,0x3E0B) /* PidTagRemoteProgress */
#endif
#ifndef PR_REMOTE_PROGRESS_TEXT
#define PR_REMOTE_PROGRESS_TEXT PROP_TAG(PT_TSTRING,0x3E0C) /* PidTagRemoteProgressText */
#endif
#ifndef PR_REMOTE_PROGRESS_TEXT_W
#define PR_REMOTE_PROGRESS_TEXT_W PROP_TAG(PT_UNICODE,0x3E0C)
#endif
#ifndef PR_REMOTE_PROGRESS_TEXT_A
#define PR_REMOTE_PROGRESS_TEXT_A PROP_TAG(PT_STRING8,0x3E0C)
#endif
#ifndef PR_REMOTE_VALIDATE_OK
#define PR_REMOTE_VALIDATE_OK PROP_TAG(PT_BOOLEAN,0x3E0D) /* PidTagRemoteValidateOk */
#endif
#ifndef PR_CONTROL_FLAGS
#define PR_CONTROL_FLAGS PROP_TAG(PT_LONG,0x3F00) /* PidTagControlFlags */
#endif
#ifndef PR_CONTROL_STRUCTURE
#define PR_CONTROL_STRUCTURE PROP_TAG(PT_BINARY,0x3F01) /* PidTagControlStructure */
#endif
#ifndef PR_CONTROL_TYPE
#define PR_CONTROL_TYPE PROP_TAG(PT_LONG,0x3F02) /* PidTagControlType */
#endif
#ifndef PR_DELTAX
#define PR_DELTAX PROP_TAG(PT_LONG,0x3F03) /* PidTagDeltaX */
#endif
#ifndef PR_DELTAY
#define PR_DELTAY PROP_TAG(PT_LONG,0x3F04) /* PidTagDeltaY */
#endif
#ifndef PR_XPOS
#define PR_XPOS PROP_TAG(PT_LONG,0x3F05) /* PidTagXCoordinate */
#endif
#ifndef PR_YPOS
#define PR_YPOS PROP_TAG(PT_LONG,0x3F06) /* PidTagYCoordinate */
#endif
#ifndef PR_CONTROL_ID
#define PR_CONTROL_ID PROP_TAG(PT_BINARY,0x3F07) /* PidTagControlId */
#endif
#ifndef PR_INITIAL_DETAILS_PANE
#define PR_INITIAL_DETAILS_PANE PROP_TAG(PT_LONG,0x3F08) /* PidTagInitialDetailsPane */
#endif

/* ------------------------------------------------------------------------
 * Outlook and Exchange message properties in 0x3F09-0x3FFF: preview, code
 * pages, deferred send, creator and last modifier.
 */
#ifndef PR_PREVIEW_UNREAD
#define PR_PREVIEW_UNREAD PROP_TAG(PT_TSTRING,0x3FD8) /* Outlook headers */
#endif
#ifndef PR_PREVIEW_UNREAD_W
#define PR_PREVIEW_UNREAD_W PROP_TAG(PT_UNICODE,0x3FD8)
#endif
#ifndef PR_PREVIEW_UNREAD_A
#define PR_PREVIEW_UNREAD_A PROP_TAG(PT_STRING8,0x3FD8)
#endif
#ifndef PR_PREVIEW
#define PR_PREVIEW PROP_TAG(PT_TSTRING,0x3FD9) /* Outlook headers */
#endif
#ifndef PR_PREVIEW_W
#define PR_PREVIEW_W PROP_TAG(PT_UNICODE,0x3FD9)
#endif
#ifndef PR_PREVIEW_A
#define PR_PREVIEW_A PROP_TAG(PT_STRING8,0x3FD9)
#endif
#ifndef PR_INTERNET_CPID
#define PR_INTERNET_CPID PROP_TAG(PT_LONG,0x3FDE) /* PidTagInternetCodepage */
#endif
#ifndef PR_AUTO_RESPONSE_SUPPRESS
#define PR_AUTO_RESPONSE_SUPPRESS PROP_TAG(PT_LONG,0x3FDF) /* PidTagAutoResponseSuppress */
#endif
#ifndef PR_DEFERRED_SEND_NUMBER
#define PR_DEFERRED_SEND_NUMBER PROP_TAG(PT_LONG,0x3FEB) /* PidTagDeferredSendNumber */
#endif
#ifndef PR_DEFERRED_SEND_UNITS
#define PR_DEFERRED_SEND_UNITS PROP_TAG(PT_LONG,0x3FEC) /* PidTagDeferredSendUnits */
#endif
#ifndef PR_DEFERRED_SEND_TIME
#define PR_DEFERRED_SEND_TIME PROP_TAG(PT_SYSTIME,0x3FEF) /* PidTagDeferredSendTime */
#endif
#ifndef PR_CONFLICT_ENTRYID
#define PR_CONFLICT_ENTRYID PROP_TAG(PT_BINARY,0x3FF0) /* PidTagConflictEntryId */
#endif
#ifndef PR_MESSAGE_LOCALE_ID
#define PR_MESSAGE_LOCALE_ID PROP_TAG(PT_LONG,0x3FF1) /* PidTagMessageLocaleId */
#endif
#ifndef PR_CREATOR_NAME
#define PR_CREATOR_NAME PROP_TAG(PT_TSTRING,0x3FF8) /* PidTagCreatorName */
#endif
#ifndef PR_CREATOR_NAME_W
#define PR_CREATOR_NAME_W PROP_TAG(PT_UNICODE,0x3FF8)
#endif
#ifndef PR_CREATOR_NAME_A
#define PR_CREATOR_NAME_A PROP_TAG(PT_STRING8,0x3FF8)
#endif
#ifndef PR_CREATOR_ENTRYID
#define PR_CREATOR_ENTRYID PROP_TAG(PT_BINARY,0x3FF9) /* PidTagCreatorEntryId */
#endif
#ifndef PR_LAST_MODIFIER_NAME
#define PR_LAST_MODIFIER_NAME PROP_TAG(PT_TSTRING,0x3FFA) /* PidTagLastModifierName */
#endif
#ifndef PR_LAST_MODIFIER_NAME_W
#define PR_LAST_MODIFIER_NAME_W PROP_TAG(PT_UNICODE,0x3FFA)
#endif
#ifndef PR_LAST_MODIFIER_NAME_A
#define PR_LAST_MODIFIER_NAME_A PROP_TAG(PT_STRING8,0x3FFA)
#endif
#ifndef PR_LAST_MODIFIER_ENTRYID
#define PR_LAST_MODIFIER_ENTRYID PROP_TAG(PT_BINARY,0x3FFB) /* PidTagLastModifierEntryId */
#endif
#ifndef PR_MESSAGE_CODEPAGE
#define PR_MESSAGE_CODEPAGE PROP_TAG(PT_LONG,0x3FFD) /* PidTagMessageCodepage */
#endif

/* ------------------------------------------------------------------------
 * Transport-defined envelope (0x4000-0x57FF).
 */
#ifndef PR_CONTENT_FILTER_SCL
#define PR_CONTENT_FILTER_SCL PROP_TAG(PT_LONG,0x4076) /* PidTagContentFilterSpamConfidenceLevel */
#endif

/* ------------------------------------------------------------------------
 * Transport-defined recipient (0x5800-0x5FFF): SMTP addresses, editor
 * format, recipient-table columns Outlook adds.
 */
#ifndef PR_INETMAIL_OVERRIDE_FORMAT
#define PR_INETMAIL_OVERRIDE_FORMAT PROP_TAG(PT_LONG,0x5902) /* PidTagInternetMailOverrideFormat */
#endif
#ifndef PR_MSG_EDITOR_FORMAT
#define PR_MSG_EDITOR_FORMAT PROP_TAG(PT_LONG,0x5909) /* PidTagMessageEditorFormat */
#endif
#ifndef PR_SENDER_SMTP_ADDRESS
#define PR_SENDER_SMTP_ADDRESS PROP_TAG(PT_TSTRING,0x5D01) /* PidTagSenderSmtpAddress */
#endif
#ifndef PR_SENDER_SMTP_ADDRESS_W
#define PR_SENDER_SMTP_ADDRESS_W PROP_TAG(PT_UNICODE,0x5D01)
#endif
#ifndef PR_SENDER_SMTP_ADDRESS_A
#define PR_SENDER_SMTP_ADDRESS_A PROP_TAG(PT_STRING8,0x5D01)
#endif
#ifndef PR_SENT_REPRESENTING_SMTP_ADDRESS
#define PR_SENT_REPRESENTING_SMTP_ADDRESS PROP_TAG(PT_TSTRING,0x5D02) /* PidTagSentRepresentingSmtpAddress */
#endif
#ifndef PR_SENT_REPRESENTING_SMTP_ADDRESS_W
#define PR_SENT_REPRESENTING_SMTP_ADDRESS_W PROP_TAG(PT_UNICODE,0x5D02)
#endif
#ifndef PR_SENT_REPRESENTING_SMTP_ADDRESS_A
#define PR_SENT_REPRESENTING_SMTP_ADDRESS_A PROP_TAG(PT_STRING8,0x5D02)
#endif
/* [MS-OXPROPS] gives these three (PidTagReadReceiptSmtpAddress,
 * PidTagReceivedBySmtpAddress, PidTagReceivedRepresentingSmtpAddress) no PR_
 * name; ours follow PR_SENDER_SMTP_ADDRESS. */
#ifndef PR_READ_RECEIPT_SMTP_ADDRESS
#define PR_READ_RECEIPT_SMTP_ADDRESS PROP_TAG(PT_TSTRING,0x5D05) /* PidTagReadReceiptSmtpAddress */
#endif
#ifndef PR_READ_RECEIPT_SMTP_ADDRESS_W
#define PR_READ_RECEIPT_SMTP_ADDRESS_W PROP_TAG(PT_UNICODE,0x5D05)
#endif
#ifndef PR_READ_RECEIPT_SMTP_ADDRESS_A
#define PR_READ_RECEIPT_SMTP_ADDRESS_A PROP_TAG(PT_STRING8,0x5D05)
#endif
#ifndef PR_RECEIVED_BY_SMTP_ADDRESS
#define PR_RECEIVED_BY_SMTP_ADDRESS PROP_TAG(PT_TSTRING,0x5D07) /* PidTagReceivedBySmtpAddress */
#endif
#ifndef PR_RECEIVED_BY_SMTP_ADDRESS_W
#define PR_RECEIVED_BY_SMTP_ADDRESS_W PROP_TAG(PT_UNICODE,0x5D07)
#endif
#ifndef PR_RECEIVED_BY_SMTP_ADDRESS_A
#define PR_RECEIVED_BY_SMTP_ADDRESS_A PROP_TAG(PT_STRING8,0x5D07)
#endif
#ifndef PR_RCVD_REPRESENTING_SMTP_ADDRESS
#define PR_RCVD_REPRESENTING_SMTP_ADDRESS PROP_TAG(PT_TSTRING,0x5D08) /* PidTagReceivedRepresentingSmtpAddress */
#endif
#ifndef PR_RCVD_REPRESENTING_SMTP_ADDRESS_W
#define PR_RCVD_REPRESENTING_SMTP_ADDRESS_W PROP_TAG(PT_UNICODE,0x5D08)
#endif
#ifndef PR_RCVD_REPRESENTING_SMTP_ADDRESS_A
#define PR_RCVD_REPRESENTING_SMTP_ADDRESS_A PROP_TAG(PT_STRING8,0x5D08)
#endif
#ifndef PR_RECIPIENT_ORDER
#define PR_RECIPIENT_ORDER PROP_TAG(PT_LONG,0x5FDF) /* PidTagRecipientOrder */
#endif
#ifndef PR_RECIPIENT_DISPLAY_NAME
#define PR_RECIPIENT_DISPLAY_NAME PROP_TAG(PT_TSTRING,0x5FF6) /* PidTagRecipientDisplayName */
#endif
#ifndef PR_RECIPIENT_DISPLAY_NAME_W
#define PR_RECIPIENT_DISPLAY_NAME_W PROP_TAG(PT_UNICODE,0x5FF6)
#endif
#ifndef PR_RECIPIENT_DISPLAY_NAME_A
#define PR_RECIPIENT_DISPLAY_NAME_A PROP_TAG(PT_STRING8,0x5FF6)
#endif
#ifndef PR_RECIPIENT_ENTRYID
#define PR_RECIPIENT_ENTRYID PROP_TAG(PT_BINARY,0x5FF7) /* PidTagRecipientEntryId */
#endif
#ifndef PR_RECIPIENT_TRACKSTATUS_TIME
#define PR_RECIPIENT_TRACKSTATUS_TIME PROP_TAG(PT_SYSTIME,0x5FFB) /* PidTagRecipientTrackStatusTime */
#endif
#ifndef PR_RECIPIENT_FLAGS
#define PR_RECIPIENT_FLAGS PROP_TAG(PT_LONG,0x5FFD) /* PidTagRecipientFlags */
#endif
#ifndef PR_RECIPIENT_TRACKSTATUS
#define PR_RECIPIENT_TRACKSTATUS PROP_TAG(PT_LONG,0x5FFF) /* PidTagRecipientTrackStatus */
#endif

/* ------------------------------------------------------------------------
 * User-defined non-transmittable (0x6000-0x65FF): the incremental-change
 * keys of [MS-OXCFXICS] (source key, change key, predecessor change list).
 */
#ifndef PR_SOURCE_KEY
#define PR_SOURCE_KEY PROP_TAG(PT_BINARY,0x65E0) /* PidTagSourceKey */
#endif
#ifndef PR_PARENT_SOURCE_KEY
#define PR_PARENT_SOURCE_KEY PROP_TAG(PT_BINARY,0x65E1) /* PidTagParentSourceKey */
#endif
#ifndef PR_CHANGE_KEY
#define PR_CHANGE_KEY PROP_TAG(PT_BINARY,0x65E2) /* PidTagChangeKey */
#endif
#ifndef PR_PREDECESSOR_CHANGE_LIST
#define PR_PREDECESSOR_CHANGE_LIST PROP_TAG(PT_BINARY,0x65E3) /* PidTagPredecessorChangeList */
#endif

/* ------------------------------------------------------------------------
 * Provider-defined internal (0x6600-0x67FF): Exchange store properties that
 * Outlook reads on any store. mapidav's own private properties must not reuse
 * these ids; the profile's secure properties are PROP_ID_SECURE_MIN..MAX.
 */
#ifndef PR_MAILBOX_OWNER_ENTRYID
#define PR_MAILBOX_OWNER_ENTRYID PROP_TAG(PT_BINARY,0x661B) /* PidTagMailboxOwnerEntryId */
#endif
#ifndef PR_MAILBOX_OWNER_NAME
#define PR_MAILBOX_OWNER_NAME PROP_TAG(PT_TSTRING,0x661C) /* PidTagMailboxOwnerName */
#endif
#ifndef PR_MAILBOX_OWNER_NAME_W
#define PR_MAILBOX_OWNER_NAME_W PROP_TAG(PT_UNICODE,0x661C)
#endif
#ifndef PR_MAILBOX_OWNER_NAME_A
#define PR_MAILBOX_OWNER_NAME_A PROP_TAG(PT_STRING8,0x661C)
#endif
#ifndef PR_NON_IPM_SUBTREE_ENTRYID
#define PR_NON_IPM_SUBTREE_ENTRYID PROP_TAG(PT_BINARY,0x6620) /* PidTagNonIpmSubtreeEntryId */
#endif
#ifndef PR_IPM_FAVORITES_ENTRYID
#define PR_IPM_FAVORITES_ENTRYID PROP_TAG(PT_BINARY,0x6630) /* Outlook headers */
#endif
#ifndef PR_IPM_PUBLIC_FOLDERS_ENTRYID
#define PR_IPM_PUBLIC_FOLDERS_ENTRYID PROP_TAG(PT_BINARY,0x6631) /* Outlook headers */
#endif
#ifndef PR_FOLDER_CHILD_COUNT
#define PR_FOLDER_CHILD_COUNT PROP_TAG(PT_LONG,0x6638) /* Outlook headers */
#endif
#ifndef PR_RIGHTS
#define PR_RIGHTS PROP_TAG(PT_LONG,0x6639) /* PidTagRights */
#endif
#ifndef PR_HAS_RULES
#define PR_HAS_RULES PROP_TAG(PT_BOOLEAN,0x663A) /* PidTagHasRules */
#endif
#ifndef PR_LONGTERM_ENTRYID_FROM_TABLE
#define PR_LONGTERM_ENTRYID_FROM_TABLE PROP_TAG(PT_BINARY,0x6670) /* PidTagLongTermEntryIdFromTable */
#endif
#ifndef PR_DELETED_ON
#define PR_DELETED_ON PROP_TAG(PT_SYSTIME,0x668F) /* PidTagDeletedOn */
#endif
#ifndef PR_LOCALE_ID
#define PR_LOCALE_ID PROP_TAG(PT_LONG,0x66A1) /* PidTagLocaleId */
#endif
#ifndef PR_SORT_LOCALE_ID
#define PR_SORT_LOCALE_ID PROP_TAG(PT_LONG,0x6705) /* PidTagSortLocaleId */
#endif
#ifndef PR_LOCAL_COMMIT_TIME
#define PR_LOCAL_COMMIT_TIME PROP_TAG(PT_SYSTIME,0x6709) /* PidTagLocalCommitTime */
#endif
#ifndef PR_LOCAL_COMMIT_TIME_MAX
#define PR_LOCAL_COMMIT_TIME_MAX PROP_TAG(PT_SYSTIME,0x670A) /* PidTagLocalCommitTimeMax */
#endif
#ifndef PR_DELETED_COUNT_TOTAL
#define PR_DELETED_COUNT_TOTAL PROP_TAG(PT_LONG,0x670B) /* PidTagDeletedCountTotal */
#endif
/* No PR_ name in [MS-OXPROPS] for PidTagInstanceNum and PidTagAssociated;
 * these follow its ptag names. */
#ifndef PR_INSTANCE_NUM
#define PR_INSTANCE_NUM PROP_TAG(PT_LONG,0x674E) /* PidTagInstanceNum */
#endif
#ifndef PR_ASSOCIATED
#define PR_ASSOCIATED PROP_TAG(PT_BOOLEAN,0x67AA) /* PidTagAssociated */
#endif

/* ------------------------------------------------------------------------
 * Message-class-defined content (0x6800-0x7BFF).
 */
#ifndef PR_SECURITY_FLAGS
#define PR_SECURITY_FLAGS PROP_TAG(PT_LONG,0x6E01) /* Outlook headers */
#endif

/* ------------------------------------------------------------------------
 * Message-class-defined non-transmittable (0x7C00-0x7FFF): roaming
 * configuration (IPM.Configuration.*), processed flag, attachment flags.
 */
#ifndef PR_ROAMING_DATATYPES
#define PR_ROAMING_DATATYPES PROP_TAG(PT_LONG,0x7C06) /* PidTagRoamingDatatypes */
#endif
#ifndef PR_ROAMING_DICTIONARY
#define PR_ROAMING_DICTIONARY PROP_TAG(PT_BINARY,0x7C07) /* PidTagRoamingDictionary */
#endif
#ifndef PR_ROAMING_XMLSTREAM
#define PR_ROAMING_XMLSTREAM PROP_TAG(PT_BINARY,0x7C08) /* PidTagRoamingXmlStream */
#endif
#ifndef PR_PROCESSED
#define PR_PROCESSED PROP_TAG(PT_BOOLEAN,0x7D01) /* PidTagProcessed */
#endif
#ifndef PR_EXCEPTION_REPLACETIME
#define PR_EXCEPTION_REPLACETIME PROP_TAG(PT_SYSTIME,0x7FF9) /* PidTagExceptionReplaceTime */
#endif
#ifndef PR_ATTACHMENT_LINKID
#define PR_ATTACHMENT_LINKID PROP_TAG(PT_LONG,0x7FFA) /* PidTagAttachmentLinkId */
#endif
#ifndef PR_EXCEPTION_STARTTIME
#define PR_EXCEPTION_STARTTIME PROP_TAG(PT_SYSTIME,0x7FFB) /* PidTagExceptionStartTime */
#endif
#ifndef PR_EXCEPTION_ENDTIME
#define PR_EXCEPTION_ENDTIME PROP_TAG(PT_SYSTIME,0x7FFC) /* PidTagExceptionEndTime */
#endif
#ifndef PR_ATTACHMENT_FLAGS
#define PR_ATTACHMENT_FLAGS PROP_TAG(PT_LONG,0x7FFD) /* PidTagAttachmentFlags */
#endif
#ifndef PR_ATTACHMENT_HIDDEN
#define PR_ATTACHMENT_HIDDEN PROP_TAG(PT_BOOLEAN,0x7FFE) /* PidTagAttachmentHidden */
#endif
#ifndef PR_ATTACHMENT_CONTACTPHOTO
#define PR_ATTACHMENT_CONTACTPHOTO PROP_TAG(PT_BOOLEAN,0x7FFF) /* PidTagAttachmentContactPhoto */
#endif

/* ------------------------------------------------------------------------
 * Object types: PR_OBJECT_TYPE, OpenEntry's *lpulObjType.
 */
#ifndef MAPI_STORE
#define MAPI_STORE ((uint32_t) 1)
#endif
#ifndef MAPI_ADDRBOOK
#define MAPI_ADDRBOOK ((uint32_t) 2)
#endif
#ifndef MAPI_FOLDER
#define MAPI_FOLDER ((uint32_t) 3)
#endif
#ifndef MAPI_ABCONT
#define MAPI_ABCONT ((uint32_t) 4)
#endif
#ifndef MAPI_MESSAGE
#define MAPI_MESSAGE ((uint32_t) 5)
#endif
#ifndef MAPI_MAILUSER
#define MAPI_MAILUSER ((uint32_t) 6)
#endif
#ifndef MAPI_ATTACH
#define MAPI_ATTACH ((uint32_t) 7)
#endif
#ifndef MAPI_DISTLIST
#define MAPI_DISTLIST ((uint32_t) 8)
#endif
#ifndef MAPI_PROFSECT
#define MAPI_PROFSECT ((uint32_t) 9)
#endif
#ifndef MAPI_STATUS
#define MAPI_STATUS ((uint32_t) 10)
#endif
#ifndef MAPI_SESSION
#define MAPI_SESSION ((uint32_t) 11)
#endif
#ifndef MAPI_FORMINFO
#define MAPI_FORMINFO ((uint32_t) 12)
#endif

/* ------------------------------------------------------------------------
 * Folder types: PR_FOLDER_TYPE, IMAPIFolder::CreateFolder.
 */
#ifndef FOLDER_ROOT
#define FOLDER_ROOT ((uint32_t) 0)
#endif
#ifndef FOLDER_GENERIC
#define FOLDER_GENERIC ((uint32_t) 1)
#endif
#ifndef FOLDER_SEARCH
#define FOLDER_SEARCH ((uint32_t) 2)
#endif

/* ------------------------------------------------------------------------
 * PR_STORE_SUPPORT_MASK and PR_STORE_UNICODE_MASK (on the store, its folders
 * and its messages). mingw lacks those from STORE_HTML_OK on.
 */
#ifndef STORE_ENTRYID_UNIQUE
#define STORE_ENTRYID_UNIQUE ((uint32_t) 0x00000001) /* entry ids are never reused */
#endif
#ifndef STORE_READONLY
#define STORE_READONLY ((uint32_t) 0x00000002)
#endif
#ifndef STORE_SEARCH_OK
#define STORE_SEARCH_OK ((uint32_t) 0x00000004) /* search folders */
#endif
#ifndef STORE_MODIFY_OK
#define STORE_MODIFY_OK ((uint32_t) 0x00000008)
#endif
#ifndef STORE_CREATE_OK
#define STORE_CREATE_OK ((uint32_t) 0x00000010)
#endif
#ifndef STORE_ATTACH_OK
#define STORE_ATTACH_OK ((uint32_t) 0x00000020)
#endif
#ifndef STORE_OLE_OK
#define STORE_OLE_OK ((uint32_t) 0x00000040) /* PR_ATTACH_DATA_OBJ opens as IStorage */
#endif
#ifndef STORE_SUBMIT_OK
#define STORE_SUBMIT_OK ((uint32_t) 0x00000080)
#endif
#ifndef STORE_NOTIFY_OK
#define STORE_NOTIFY_OK ((uint32_t) 0x00000100)
#endif
#ifndef STORE_MV_PROPS_OK
#define STORE_MV_PROPS_OK ((uint32_t) 0x00000200)
#endif
#ifndef STORE_CATEGORIZE_OK
#define STORE_CATEGORIZE_OK ((uint32_t) 0x00000400)
#endif
#ifndef STORE_RTF_OK
#define STORE_RTF_OK ((uint32_t) 0x00000800) /* the store keeps PR_BODY and PR_RTF_COMPRESSED in step */
#endif
#ifndef STORE_RESTRICTION_OK
#define STORE_RESTRICTION_OK ((uint32_t) 0x00001000)
#endif
#ifndef STORE_SORT_OK
#define STORE_SORT_OK ((uint32_t) 0x00002000)
#endif
#ifndef STORE_PUBLIC_FOLDERS
#define STORE_PUBLIC_FOLDERS ((uint32_t) 0x00004000)
#endif
#ifndef STORE_UNCOMPRESSED_RTF
#define STORE_UNCOMPRESSED_RTF ((uint32_t) 0x00008000)
#endif
#ifndef STORE_HTML_OK
#define STORE_HTML_OK ((uint32_t) 0x00010000) /* PR_BODY_HTML / PR_HTML */
#endif
#ifndef STORE_ANSI_OK
#define STORE_ANSI_OK ((uint32_t) 0x00020000)
#endif
#ifndef STORE_UNICODE_OK
#define STORE_UNICODE_OK ((uint32_t) 0x00040000)
#endif
#ifndef STORE_LOCALSTORE
#define STORE_LOCALSTORE ((uint32_t) 0x00080000) /* reserved */
#endif
#ifndef STORE_ITEMPROC
#define STORE_ITEMPROC ((uint32_t) 0x00200000) /* wrapped PST: rules and junk filter run per new item */
#endif
#ifndef STORE_PUSHER_OK
#define STORE_PUSHER_OK ((uint32_t) 0x00800000) /* the store pushes changes to the indexer */
#endif
#ifndef STORE_FULLTEXT_QUERY_OK
#define STORE_FULLTEXT_QUERY_OK ((uint32_t) 0x02000000)
#endif
#ifndef STORE_FILTER_SEARCH_OK
#define STORE_FILTER_SEARCH_OK ((uint32_t) 0x04000000)
#endif
#ifndef STORE_RULES_OK
#define STORE_RULES_OK ((uint32_t) 0x10000000)
#endif

/* ------------------------------------------------------------------------
 * PR_STORE_STATE.
 */
#ifndef STORE_HAS_SEARCHES
#define STORE_HAS_SEARCHES ((uint32_t) 0x01000000)
#endif

/* ------------------------------------------------------------------------
 * PR_VALID_FOLDER_MASK: which of the store's special folder entry ids are valid.
 */
#ifndef FOLDER_IPM_SUBTREE_VALID
#define FOLDER_IPM_SUBTREE_VALID ((uint32_t) 0x00000001)
#endif
#ifndef FOLDER_IPM_INBOX_VALID
#define FOLDER_IPM_INBOX_VALID ((uint32_t) 0x00000002)
#endif
#ifndef FOLDER_IPM_OUTBOX_VALID
#define FOLDER_IPM_OUTBOX_VALID ((uint32_t) 0x00000004)
#endif
#ifndef FOLDER_IPM_WASTEBASKET_VALID
#define FOLDER_IPM_WASTEBASKET_VALID ((uint32_t) 0x00000008)
#endif
#ifndef FOLDER_IPM_SENTMAIL_VALID
#define FOLDER_IPM_SENTMAIL_VALID ((uint32_t) 0x00000010)
#endif
#ifndef FOLDER_VIEWS_VALID
#define FOLDER_VIEWS_VALID ((uint32_t) 0x00000020)
#endif
#ifndef FOLDER_COMMON_VIEWS_VALID
#define FOLDER_COMMON_VIEWS_VALID ((uint32_t) 0x00000040)
#endif
#ifndef FOLDER_FINDER_VALID
#define FOLDER_FINDER_VALID ((uint32_t) 0x00000080)
#endif

/* ------------------------------------------------------------------------
 * PR_MESSAGE_FLAGS.
 */
#ifndef MSGFLAG_READ
#define MSGFLAG_READ ((uint32_t) 0x00000001)
#endif
#ifndef MSGFLAG_UNMODIFIED
#define MSGFLAG_UNMODIFIED ((uint32_t) 0x00000002)
#endif
#ifndef MSGFLAG_SUBMIT
#define MSGFLAG_SUBMIT ((uint32_t) 0x00000004)
#endif
#ifndef MSGFLAG_UNSENT
#define MSGFLAG_UNSENT ((uint32_t) 0x00000008)
#endif
#ifndef MSGFLAG_HASATTACH
#define MSGFLAG_HASATTACH ((uint32_t) 0x00000010)
#endif
#ifndef MSGFLAG_FROMME
#define MSGFLAG_FROMME ((uint32_t) 0x00000020)
#endif
#ifndef MSGFLAG_ASSOCIATED
#define MSGFLAG_ASSOCIATED ((uint32_t) 0x00000040) /* folder-associated (hidden) message */
#endif
#ifndef MSGFLAG_RESEND
#define MSGFLAG_RESEND ((uint32_t) 0x00000080)
#endif
#ifndef MSGFLAG_RN_PENDING
#define MSGFLAG_RN_PENDING ((uint32_t) 0x00000100)
#endif
#ifndef MSGFLAG_NRN_PENDING
#define MSGFLAG_NRN_PENDING ((uint32_t) 0x00000200)
#endif
#ifndef MSGFLAG_ORIGIN_X400
#define MSGFLAG_ORIGIN_X400 ((uint32_t) 0x00001000)
#endif
#ifndef MSGFLAG_ORIGIN_INTERNET
#define MSGFLAG_ORIGIN_INTERNET ((uint32_t) 0x00002000)
#endif
#ifndef MSGFLAG_ORIGIN_MISC_EXT
#define MSGFLAG_ORIGIN_MISC_EXT ((uint32_t) 0x00008000)
#endif
#ifndef MSGFLAG_OUTLOOK_NON_EMS_XP
#define MSGFLAG_OUTLOOK_NON_EMS_XP ((uint32_t) 0x00010000)
#endif

/* ------------------------------------------------------------------------
 * PR_MSG_STATUS (a contents-table column, per folder).
 */
#ifndef MSGSTATUS_HIGHLIGHTED
#define MSGSTATUS_HIGHLIGHTED ((uint32_t) 0x00000001)
#endif
#ifndef MSGSTATUS_TAGGED
#define MSGSTATUS_TAGGED ((uint32_t) 0x00000002)
#endif
#ifndef MSGSTATUS_HIDDEN
#define MSGSTATUS_HIDDEN ((uint32_t) 0x00000004)
#endif
#ifndef MSGSTATUS_DELMARKED
#define MSGSTATUS_DELMARKED ((uint32_t) 0x00000008)
#endif
#ifndef MSGSTATUS_DRAFT
#define MSGSTATUS_DRAFT ((uint32_t) 0x00000100)
#endif
#ifndef MSGSTATUS_ANSWERED
#define MSGSTATUS_ANSWERED ((uint32_t) 0x00000200)
#endif
#ifndef MSGSTATUS_IN_CONFLICT
#define MSGSTATUS_IN_CONFLICT ((uint32_t) 0x00000800) /* [MS-OXCMSG] msInConflict */
#endif
#ifndef MSGSTATUS_REMOTE_DOWNLOAD
#define MSGSTATUS_REMOTE_DOWNLOAD ((uint32_t) 0x00001000)
#endif
#ifndef MSGSTATUS_REMOTE_DELETE
#define MSGSTATUS_REMOTE_DELETE ((uint32_t) 0x00002000)
#endif

/* ------------------------------------------------------------------------
 * PR_SUBMIT_FLAGS.
 */
#ifndef SUBMITFLAG_LOCKED
#define SUBMITFLAG_LOCKED ((uint32_t) 0x00000001)
#endif
#ifndef SUBMITFLAG_PREPROCESS
#define SUBMITFLAG_PREPROCESS ((uint32_t) 0x00000002)
#endif

/* ------------------------------------------------------------------------
 * PR_RECIPIENT_TYPE.
 */
#ifndef MAPI_ORIG
#define MAPI_ORIG ((uint32_t) 0)
#endif
#ifndef MAPI_TO
#define MAPI_TO ((uint32_t) 1)
#endif
#ifndef MAPI_CC
#define MAPI_CC ((uint32_t) 2)
#endif
#ifndef MAPI_BCC
#define MAPI_BCC ((uint32_t) 3)
#endif
#ifndef MAPI_P1
#define MAPI_P1 ((uint32_t) 0x10000000) /* resend */
#endif
#ifndef MAPI_SUBMITTED
#define MAPI_SUBMITTED ((uint32_t) 0x80000000) /* already sent to this recipient */
#endif

/* ------------------------------------------------------------------------
 * PR_IMPORTANCE, PR_PRIORITY, PR_SENSITIVITY.
 */
#ifndef IMPORTANCE_LOW
#define IMPORTANCE_LOW ((int32_t) 0)
#endif
#ifndef IMPORTANCE_NORMAL
#define IMPORTANCE_NORMAL ((int32_t) 1)
#endif
#ifndef IMPORTANCE_HIGH
#define IMPORTANCE_HIGH ((int32_t) 2)
#endif
#ifndef PRIO_URGENT
#define PRIO_URGENT ((int32_t) 1)
#endif
#ifndef PRIO_NORMAL
#define PRIO_NORMAL ((int32_t) 0)
#endif
#ifndef PRIO_NONURGENT
#define PRIO_NONURGENT ((int32_t) -1)
#endif
#ifndef SENSITIVITY_NONE
#define SENSITIVITY_NONE ((uint32_t) 0)
#endif
#ifndef SENSITIVITY_PERSONAL
#define SENSITIVITY_PERSONAL ((uint32_t) 1)
#endif
#ifndef SENSITIVITY_PRIVATE
#define SENSITIVITY_PRIVATE ((uint32_t) 2)
#endif
#ifndef SENSITIVITY_COMPANY_CONFIDENTIAL
#define SENSITIVITY_COMPANY_CONFIDENTIAL ((uint32_t) 3)
#endif

/* ------------------------------------------------------------------------
 * PR_ACCESS.
 */
#ifndef MAPI_ACCESS_MODIFY
#define MAPI_ACCESS_MODIFY ((uint32_t) 0x00000001)
#endif
#ifndef MAPI_ACCESS_READ
#define MAPI_ACCESS_READ ((uint32_t) 0x00000002)
#endif
#ifndef MAPI_ACCESS_DELETE
#define MAPI_ACCESS_DELETE ((uint32_t) 0x00000004)
#endif
#ifndef MAPI_ACCESS_CREATE_HIERARCHY
#define MAPI_ACCESS_CREATE_HIERARCHY ((uint32_t) 0x00000008)
#endif
#ifndef MAPI_ACCESS_CREATE_CONTENTS
#define MAPI_ACCESS_CREATE_CONTENTS ((uint32_t) 0x00000010)
#endif
#ifndef MAPI_ACCESS_CREATE_ASSOCIATED
#define MAPI_ACCESS_CREATE_ASSOCIATED ((uint32_t) 0x00000020)
#endif

/* ------------------------------------------------------------------------
 * PR_ATTACH_METHOD.
 */
#ifndef NO_ATTACHMENT
#define NO_ATTACHMENT ((uint32_t) 0)
#endif
#ifndef ATTACH_BY_VALUE
#define ATTACH_BY_VALUE ((uint32_t) 1) /* data in PR_ATTACH_DATA_BIN */
#endif
#ifndef ATTACH_BY_REFERENCE
#define ATTACH_BY_REFERENCE ((uint32_t) 2)
#endif
#ifndef ATTACH_BY_REF_RESOLVE
#define ATTACH_BY_REF_RESOLVE ((uint32_t) 3)
#endif
#ifndef ATTACH_BY_REF_ONLY
#define ATTACH_BY_REF_ONLY ((uint32_t) 4)
#endif
#ifndef ATTACH_EMBEDDED_MSG
#define ATTACH_EMBEDDED_MSG ((uint32_t) 5) /* PR_ATTACH_DATA_OBJ opens as IMessage */
#endif
#ifndef ATTACH_OLE
#define ATTACH_OLE ((uint32_t) 6)
#endif
#ifndef ATTACH_BY_WEB_REF
#define ATTACH_BY_WEB_REF ((uint32_t) 7) /* URL in PR_ATTACH_LONG_FILENAME */
#endif

/* ------------------------------------------------------------------------
 * PR_ATTACH_FLAGS.
 */
#ifndef ATT_INVISIBLE_IN_HTML
#define ATT_INVISIBLE_IN_HTML ((uint32_t) 0x00000001)
#endif
#ifndef ATT_INVISIBLE_IN_RTF
#define ATT_INVISIBLE_IN_RTF ((uint32_t) 0x00000002)
#endif
#ifndef ATT_MHTML_REF
#define ATT_MHTML_REF ((uint32_t) 0x00000004)
#endif

/* ------------------------------------------------------------------------
 * PR_DISPLAY_TYPE (recipients, address book entries, folders).
 */
#ifndef DT_MAILUSER
#define DT_MAILUSER ((uint32_t) 0)
#endif
#ifndef DT_DISTLIST
#define DT_DISTLIST ((uint32_t) 1)
#endif
#ifndef DT_FORUM
#define DT_FORUM ((uint32_t) 2)
#endif
#ifndef DT_AGENT
#define DT_AGENT ((uint32_t) 3)
#endif
#ifndef DT_ORGANIZATION
#define DT_ORGANIZATION ((uint32_t) 4)
#endif
#ifndef DT_PRIVATE_DISTLIST
#define DT_PRIVATE_DISTLIST ((uint32_t) 5)
#endif
#ifndef DT_REMOTE_MAILUSER
#define DT_REMOTE_MAILUSER ((uint32_t) 6)
#endif
#ifndef DT_MODIFIABLE
#define DT_MODIFIABLE ((uint32_t) 0x00010000)
#endif
#ifndef DT_GLOBAL
#define DT_GLOBAL ((uint32_t) 0x00020000)
#endif
#ifndef DT_LOCAL
#define DT_LOCAL ((uint32_t) 0x00030000)
#endif
#ifndef DT_WAN
#define DT_WAN ((uint32_t) 0x00040000)
#endif
#ifndef DT_NOT_SPECIFIC
#define DT_NOT_SPECIFIC ((uint32_t) 0x00050000)
#endif
#ifndef DT_FOLDER
#define DT_FOLDER ((uint32_t) 0x01000000)
#endif
#ifndef DT_FOLDER_LINK
#define DT_FOLDER_LINK ((uint32_t) 0x02000000)
#endif
#ifndef DT_FOLDER_SPECIAL
#define DT_FOLDER_SPECIAL ((uint32_t) 0x04000000)
#endif

/* ------------------------------------------------------------------------
 * PR_RESOURCE_TYPE of a provider's profile section or status row.
 */
#ifndef MAPI_STORE_PROVIDER
#define MAPI_STORE_PROVIDER ((uint32_t) 33)
#endif
#ifndef MAPI_AB
#define MAPI_AB ((uint32_t) 34)
#endif
#ifndef MAPI_AB_PROVIDER
#define MAPI_AB_PROVIDER ((uint32_t) 35)
#endif
#ifndef MAPI_TRANSPORT_PROVIDER
#define MAPI_TRANSPORT_PROVIDER ((uint32_t) 36)
#endif
#ifndef MAPI_SPOOLER
#define MAPI_SPOOLER ((uint32_t) 37)
#endif
#ifndef MAPI_PROFILE_PROVIDER
#define MAPI_PROFILE_PROVIDER ((uint32_t) 38)
#endif
#ifndef MAPI_SUBSYSTEM
#define MAPI_SUBSYSTEM ((uint32_t) 39)
#endif
#ifndef MAPI_HOOK_PROVIDER
#define MAPI_HOOK_PROVIDER ((uint32_t) 40)
#endif

/* ------------------------------------------------------------------------
 * PR_RESOURCE_FLAGS: of a service (SERVICE_*) and of a provider (STATUS_*).
 */
#ifndef SERVICE_DEFAULT_STORE
#define SERVICE_DEFAULT_STORE ((uint32_t) 0x00000001)
#endif
#ifndef SERVICE_SINGLE_COPY
#define SERVICE_SINGLE_COPY ((uint32_t) 0x00000002)
#endif
#ifndef SERVICE_CREATE_WITH_STORE
#define SERVICE_CREATE_WITH_STORE ((uint32_t) 0x00000004)
#endif
#ifndef SERVICE_PRIMARY_IDENTITY
#define SERVICE_PRIMARY_IDENTITY ((uint32_t) 0x00000008)
#endif
#ifndef SERVICE_NO_PRIMARY_IDENTITY
#define SERVICE_NO_PRIMARY_IDENTITY ((uint32_t) 0x00000020)
#endif
#ifndef STATUS_DEFAULT_OUTBOUND
#define STATUS_DEFAULT_OUTBOUND ((uint32_t) 0x00000001)
#endif
#ifndef STATUS_DEFAULT_STORE
#define STATUS_DEFAULT_STORE ((uint32_t) 0x00000002)
#endif
#ifndef STATUS_PRIMARY_IDENTITY
#define STATUS_PRIMARY_IDENTITY ((uint32_t) 0x00000004)
#endif
#ifndef STATUS_SIMPLE_STORE
#define STATUS_SIMPLE_STORE ((uint32_t) 0x00000008)
#endif
#ifndef STATUS_XP_PREFER_LAST
#define STATUS_XP_PREFER_LAST ((uint32_t) 0x00000010)
#endif
#ifndef STATUS_NO_PRIMARY_IDENTITY
#define STATUS_NO_PRIMARY_IDENTITY ((uint32_t) 0x00000020)
#endif
#ifndef STATUS_NO_DEFAULT_STORE
#define STATUS_NO_DEFAULT_STORE ((uint32_t) 0x00000040)
#endif
#ifndef STATUS_TEMP_SECTION
#define STATUS_TEMP_SECTION ((uint32_t) 0x00000080)
#endif
#ifndef STATUS_OWN_STORE
#define STATUS_OWN_STORE ((uint32_t) 0x00000100)
#endif
#ifndef STATUS_NEED_IPM_TREE
#define STATUS_NEED_IPM_TREE ((uint32_t) 0x00000800)
#endif
#ifndef STATUS_PRIMARY_STORE
#define STATUS_PRIMARY_STORE ((uint32_t) 0x00001000)
#endif
#ifndef STATUS_SECONDARY_STORE
#define STATUS_SECONDARY_STORE ((uint32_t) 0x00002000)
#endif

/* ------------------------------------------------------------------------
 * Bodies. MAPI_NATIVE_BODY and MAPI_NATIVE_BODY_TYPE_* belong to
 * WrapCompressedRTFStreamEx; PR_NATIVE_BODY_INFO's values ([MS-OXCMSG]
 * 2.2.1.58.2) have no MAPI names, so they carry ours.
 */
#ifndef MAPI_NATIVE_BODY
#define MAPI_NATIVE_BODY ((uint32_t) 0x00010000)
#endif
#ifndef MAPI_NATIVE_BODY_TYPE_RTF
#define MAPI_NATIVE_BODY_TYPE_RTF ((uint32_t) 0x00000001)
#endif
#ifndef MAPI_NATIVE_BODY_TYPE_HTML
#define MAPI_NATIVE_BODY_TYPE_HTML ((uint32_t) 0x00000002)
#endif
#ifndef MAPI_NATIVE_BODY_TYPE_PLAINTEXT
#define MAPI_NATIVE_BODY_TYPE_PLAINTEXT ((uint32_t) 0x00000004)
#endif
#ifndef ST_NATIVE_BODY_UNDEFINED
#define ST_NATIVE_BODY_UNDEFINED ((uint32_t) 0)
#endif
#ifndef ST_NATIVE_BODY_PLAINTEXT
#define ST_NATIVE_BODY_PLAINTEXT ((uint32_t) 1)
#endif
#ifndef ST_NATIVE_BODY_RTF
#define ST_NATIVE_BODY_RTF ((uint32_t) 2) /* compressed RTF */
#endif
#ifndef ST_NATIVE_BODY_HTML
#define ST_NATIVE_BODY_HTML ((uint32_t) 3)
#endif
#ifndef ST_NATIVE_BODY_CLEARSIGNED
#define ST_NATIVE_BODY_CLEARSIGNED ((uint32_t) 4)
#endif

/* ------------------------------------------------------------------------
 * One-off entry ids ([MS-OXCDATA] 2.2.5.1): the provider UID and the flags.
 */
#ifndef MAPI_ONE_OFF_UID
#define MAPI_ONE_OFF_UID { 0x81,0x2b,0x1f,0xa4,0xbe,0xa3,0x10,0x19,0x9d,0x6e,0x00,0xdd,0x01,0x0f,0x54,0x02 }
#endif
#ifndef MAPI_ONE_OFF_UNICODE
#define MAPI_ONE_OFF_UNICODE 0x8000
#endif
#ifndef MAPI_ONE_OFF_NO_RICH_INFO
#define MAPI_ONE_OFF_NO_RICH_INFO 0x0001
#endif

/* ------------------------------------------------------------------------
 * Notification event types (NOTIFICATION.ulEventType, Advise masks).
 */
#ifndef fnevCriticalError
#define fnevCriticalError ((uint32_t) 0x00000001)
#endif
#ifndef fnevNewMail
#define fnevNewMail ((uint32_t) 0x00000002)
#endif
#ifndef fnevObjectCreated
#define fnevObjectCreated ((uint32_t) 0x00000004)
#endif
#ifndef fnevObjectDeleted
#define fnevObjectDeleted ((uint32_t) 0x00000008)
#endif
#ifndef fnevObjectModified
#define fnevObjectModified ((uint32_t) 0x00000010)
#endif
#ifndef fnevObjectMoved
#define fnevObjectMoved ((uint32_t) 0x00000020)
#endif
#ifndef fnevObjectCopied
#define fnevObjectCopied ((uint32_t) 0x00000040)
#endif
#ifndef fnevSearchComplete
#define fnevSearchComplete ((uint32_t) 0x00000080)
#endif
#ifndef fnevTableModified
#define fnevTableModified ((uint32_t) 0x00000100)
#endif
#ifndef fnevStatusObjectModified
#define fnevStatusObjectModified ((uint32_t) 0x00000200)
#endif
#ifndef fnevIndexing
#define fnevIndexing ((uint32_t) 0x00010000) /* pusher stores (STORE_PUSHER_OK) */
#endif
#ifndef fnevReservedForMapi
#define fnevReservedForMapi ((uint32_t) 0x40000000)
#endif
#ifndef fnevExtended
#define fnevExtended ((uint32_t) 0x80000000)
#endif

/* ------------------------------------------------------------------------
 * Table notifications (TABLE_NOTIFICATION.ulTableEvent).
 */
#ifndef TABLE_CHANGED
#define TABLE_CHANGED ((uint32_t) 1)
#endif
#ifndef TABLE_ERROR
#define TABLE_ERROR ((uint32_t) 2)
#endif
#ifndef TABLE_ROW_ADDED
#define TABLE_ROW_ADDED ((uint32_t) 3)
#endif
#ifndef TABLE_ROW_DELETED
#define TABLE_ROW_DELETED ((uint32_t) 4)
#endif
#ifndef TABLE_ROW_MODIFIED
#define TABLE_ROW_MODIFIED ((uint32_t) 5)
#endif
#ifndef TABLE_SORT_DONE
#define TABLE_SORT_DONE ((uint32_t) 6)
#endif
#ifndef TABLE_RESTRICT_DONE
#define TABLE_RESTRICT_DONE ((uint32_t) 7)
#endif
#ifndef TABLE_SETCOL_DONE
#define TABLE_SETCOL_DONE ((uint32_t) 8)
#endif
#ifndef TABLE_RELOAD
#define TABLE_RELOAD ((uint32_t) 9)
#endif

/* ------------------------------------------------------------------------
 * Tables: PR_ROW_TYPE, bookmarks, QueryRows and FindRow flags. (Sort orders,
 * TABLE_SORT_*, are in storage/props.h.)
 */
#ifndef TBL_LEAF_ROW
#define TBL_LEAF_ROW ((uint32_t) 1)
#endif
#ifndef TBL_EMPTY_CATEGORY
#define TBL_EMPTY_CATEGORY ((uint32_t) 2)
#endif
#ifndef TBL_EXPANDED_CATEGORY
#define TBL_EXPANDED_CATEGORY ((uint32_t) 3)
#endif
#ifndef TBL_COLLAPSED_CATEGORY
#define TBL_COLLAPSED_CATEGORY ((uint32_t) 4)
#endif
#ifndef TBL_ALL_COLUMNS
#define TBL_ALL_COLUMNS ((uint32_t) 0x00000001)
#endif
#ifndef TBL_NOADVANCE
#define TBL_NOADVANCE ((uint32_t) 0x00000001)
#endif
#ifndef DIR_BACKWARD
#define DIR_BACKWARD ((uint32_t) 0x00000001)
#endif
#ifndef BOOKMARK_BEGINNING
#define BOOKMARK_BEGINNING ((uint32_t) 0)
#endif
#ifndef BOOKMARK_CURRENT
#define BOOKMARK_CURRENT ((uint32_t) 1)
#endif
#ifndef BOOKMARK_END
#define BOOKMARK_END ((uint32_t) 2)
#endif

/* ------------------------------------------------------------------------
 * Restriction kinds and content-match flags that storage/props.h (which owns
 * RES_AND..RES_COMMENT, RELOP_*, FL_FULLSTRING..FL_LOOSE and BMR_*) does not
 * define: Outlook builds them in search folders and Instant Search.
 */
#ifndef RES_COUNT
#define RES_COUNT ((uint32_t) 11) /* wrapped-PST and Outlook search folders */
#endif
#ifndef RES_ANNOTATION
#define RES_ANNOTATION ((uint32_t) 12)
#endif
#ifndef FL_PREFIX_ON_ANY_WORD
#define FL_PREFIX_ON_ANY_WORD ((uint32_t) 0x00000010) /* Instant Search: prefix of any word */
#endif
#ifndef FL_PHRASE_MATCH
#define FL_PHRASE_MATCH ((uint32_t) 0x00000020) /* Instant Search: words in sequence */
#endif

/* ------------------------------------------------------------------------
 * Named properties: MAPINAMEID.ulKind (storage/props.h calls them ST_MNID_*).
 */
#ifndef MNID_ID
#define MNID_ID 0
#endif
#ifndef MNID_STRING
#define MNID_STRING 1
#endif

/* ------------------------------------------------------------------------
 * MAPI error and warning codes, as SCODE values (int32_t here; SCODE in
 * mapicode.h). Only provider/ returns them to MAPI; lower floors return int
 * codes (STYLE.md "Errors") that provider/ maps. They are here for that map
 * and for tools that print what Outlook would have been told.
 */
#ifndef SUCCESS_SUCCESS
#define SUCCESS_SUCCESS 0
#endif
#ifndef MAPI_E_CALL_FAILED
#define MAPI_E_CALL_FAILED ((int32_t)0x80004005) /* E_FAIL */
#endif
#ifndef MAPI_E_NOT_ENOUGH_MEMORY
#define MAPI_E_NOT_ENOUGH_MEMORY ((int32_t)0x8007000E) /* E_OUTOFMEMORY */
#endif
#ifndef MAPI_E_INVALID_PARAMETER
#define MAPI_E_INVALID_PARAMETER ((int32_t)0x80070057) /* E_INVALIDARG */
#endif
#ifndef MAPI_E_INTERFACE_NOT_SUPPORTED
#define MAPI_E_INTERFACE_NOT_SUPPORTED ((int32_t)0x80004002) /* E_NOINTERFACE */
#endif
#ifndef MAPI_E_NO_ACCESS
#define MAPI_E_NO_ACCESS ((int32_t)0x80070005) /* E_ACCESSDENIED */
#endif
#ifndef MAPI_E_NO_SUPPORT
#define MAPI_E_NO_SUPPORT ((int32_t)0x80040102)
#endif
#ifndef MAPI_E_BAD_CHARWIDTH
#define MAPI_E_BAD_CHARWIDTH ((int32_t)0x80040103)
#endif
#ifndef MAPI_E_STRING_TOO_LONG
#define MAPI_E_STRING_TOO_LONG ((int32_t)0x80040105)
#endif
#ifndef MAPI_E_UNKNOWN_FLAGS
#define MAPI_E_UNKNOWN_FLAGS ((int32_t)0x80040106)
#endif
#ifndef MAPI_E_INVALID_ENTRYID
#define MAPI_E_INVALID_ENTRYID ((int32_t)0x80040107)
#endif
#ifndef MAPI_E_INVALID_OBJECT
#define MAPI_E_INVALID_OBJECT ((int32_t)0x80040108)
#endif
#ifndef MAPI_E_OBJECT_CHANGED
#define MAPI_E_OBJECT_CHANGED ((int32_t)0x80040109)
#endif
#ifndef MAPI_E_OBJECT_DELETED
#define MAPI_E_OBJECT_DELETED ((int32_t)0x8004010A)
#endif
#ifndef MAPI_E_BUSY
#define MAPI_E_BUSY ((int32_t)0x8004010B)
#endif
#ifndef MAPI_E_NOT_ENOUGH_DISK
#define MAPI_E_NOT_ENOUGH_DISK ((int32_t)0x8004010D)
#endif
#ifndef MAPI_E_NOT_ENOUGH_RESOURCES
#define MAPI_E_NOT_ENOUGH_RESOURCES ((int32_t)0x8004010E)
#endif
#ifndef MAPI_E_NOT_FOUND
#define MAPI_E_NOT_FOUND ((int32_t)0x8004010F)
#endif
#ifndef MAPI_E_VERSION
#define MAPI_E_VERSION ((int32_t)0x80040110)
#endif
#ifndef MAPI_E_LOGON_FAILED
#define MAPI_E_LOGON_FAILED ((int32_t)0x80040111)
#endif
#ifndef MAPI_E_SESSION_LIMIT
#define MAPI_E_SESSION_LIMIT ((int32_t)0x80040112)
#endif
#ifndef MAPI_E_USER_CANCEL
#define MAPI_E_USER_CANCEL ((int32_t)0x80040113)
#endif
#ifndef MAPI_E_UNABLE_TO_ABORT
#define MAPI_E_UNABLE_TO_ABORT ((int32_t)0x80040114)
#endif
#ifndef MAPI_E_NETWORK_ERROR
#define MAPI_E_NETWORK_ERROR ((int32_t)0x80040115)
#endif
#ifndef MAPI_E_DISK_ERROR
#define MAPI_E_DISK_ERROR ((int32_t)0x80040116)
#endif
#ifndef MAPI_E_TOO_COMPLEX
#define MAPI_E_TOO_COMPLEX ((int32_t)0x80040117)
#endif
#ifndef MAPI_E_BAD_COLUMN
#define MAPI_E_BAD_COLUMN ((int32_t)0x80040118)
#endif
#ifndef MAPI_E_EXTENDED_ERROR
#define MAPI_E_EXTENDED_ERROR ((int32_t)0x80040119)
#endif
#ifndef MAPI_E_COMPUTED
#define MAPI_E_COMPUTED ((int32_t)0x8004011A)
#endif
#ifndef MAPI_E_CORRUPT_DATA
#define MAPI_E_CORRUPT_DATA ((int32_t)0x8004011B)
#endif
#ifndef MAPI_E_UNCONFIGURED
#define MAPI_E_UNCONFIGURED ((int32_t)0x8004011C)
#endif
#ifndef MAPI_E_FAILONEPROVIDER
#define MAPI_E_FAILONEPROVIDER ((int32_t)0x8004011D)
#endif
#ifndef MAPI_E_UNKNOWN_CPID
#define MAPI_E_UNKNOWN_CPID ((int32_t)0x8004011E)
#endif
#ifndef MAPI_E_UNKNOWN_LCID
#define MAPI_E_UNKNOWN_LCID ((int32_t)0x8004011F)
#endif
#ifndef MAPI_E_PASSWORD_CHANGE_REQUIRED
#define MAPI_E_PASSWORD_CHANGE_REQUIRED ((int32_t)0x80040120)
#endif
#ifndef MAPI_E_PASSWORD_EXPIRED
#define MAPI_E_PASSWORD_EXPIRED ((int32_t)0x80040121)
#endif
#ifndef MAPI_E_INVALID_WORKSTATION_ACCOUNT
#define MAPI_E_INVALID_WORKSTATION_ACCOUNT ((int32_t)0x80040122)
#endif
#ifndef MAPI_E_INVALID_ACCESS_TIME
#define MAPI_E_INVALID_ACCESS_TIME ((int32_t)0x80040123)
#endif
#ifndef MAPI_E_ACCOUNT_DISABLED
#define MAPI_E_ACCOUNT_DISABLED ((int32_t)0x80040124)
#endif
#ifndef MAPI_E_END_OF_SESSION
#define MAPI_E_END_OF_SESSION ((int32_t)0x80040200)
#endif
#ifndef MAPI_E_UNKNOWN_ENTRYID
#define MAPI_E_UNKNOWN_ENTRYID ((int32_t)0x80040201)
#endif
#ifndef MAPI_E_MISSING_REQUIRED_COLUMN
#define MAPI_E_MISSING_REQUIRED_COLUMN ((int32_t)0x80040202)
#endif
#ifndef MAPI_W_NO_SERVICE
#define MAPI_W_NO_SERVICE ((int32_t)0x00040203)
#endif
#ifndef MAPI_E_BAD_VALUE
#define MAPI_E_BAD_VALUE ((int32_t)0x80040301)
#endif
#ifndef MAPI_E_INVALID_TYPE
#define MAPI_E_INVALID_TYPE ((int32_t)0x80040302)
#endif
#ifndef MAPI_E_TYPE_NO_SUPPORT
#define MAPI_E_TYPE_NO_SUPPORT ((int32_t)0x80040303)
#endif
#ifndef MAPI_E_UNEXPECTED_TYPE
#define MAPI_E_UNEXPECTED_TYPE ((int32_t)0x80040304)
#endif
#ifndef MAPI_E_TOO_BIG
#define MAPI_E_TOO_BIG ((int32_t)0x80040305)
#endif
#ifndef MAPI_E_DECLINE_COPY
#define MAPI_E_DECLINE_COPY ((int32_t)0x80040306)
#endif
#ifndef MAPI_E_UNEXPECTED_ID
#define MAPI_E_UNEXPECTED_ID ((int32_t)0x80040307)
#endif
#ifndef MAPI_W_ERRORS_RETURNED
#define MAPI_W_ERRORS_RETURNED ((int32_t)0x00040380)
#endif
#ifndef MAPI_E_UNABLE_TO_COMPLETE
#define MAPI_E_UNABLE_TO_COMPLETE ((int32_t)0x80040400)
#endif
#ifndef MAPI_E_TIMEOUT
#define MAPI_E_TIMEOUT ((int32_t)0x80040401)
#endif
#ifndef MAPI_E_TABLE_EMPTY
#define MAPI_E_TABLE_EMPTY ((int32_t)0x80040402)
#endif
#ifndef MAPI_E_TABLE_TOO_BIG
#define MAPI_E_TABLE_TOO_BIG ((int32_t)0x80040403)
#endif
#ifndef MAPI_E_INVALID_BOOKMARK
#define MAPI_E_INVALID_BOOKMARK ((int32_t)0x80040405)
#endif
#ifndef MAPI_W_POSITION_CHANGED
#define MAPI_W_POSITION_CHANGED ((int32_t)0x00040481)
#endif
#ifndef MAPI_W_APPROX_COUNT
#define MAPI_W_APPROX_COUNT ((int32_t)0x00040482)
#endif
#ifndef MAPI_E_WAIT
#define MAPI_E_WAIT ((int32_t)0x80040500)
#endif
#ifndef MAPI_E_CANCEL
#define MAPI_E_CANCEL ((int32_t)0x80040501)
#endif
#ifndef MAPI_E_NOT_ME
#define MAPI_E_NOT_ME ((int32_t)0x80040502)
#endif
#ifndef MAPI_W_CANCEL_MESSAGE
#define MAPI_W_CANCEL_MESSAGE ((int32_t)0x00040580)
#endif
#ifndef MAPI_E_CORRUPT_STORE
#define MAPI_E_CORRUPT_STORE ((int32_t)0x80040600)
#endif
#ifndef MAPI_E_NOT_IN_QUEUE
#define MAPI_E_NOT_IN_QUEUE ((int32_t)0x80040601)
#endif
#ifndef MAPI_E_NO_SUPPRESS
#define MAPI_E_NO_SUPPRESS ((int32_t)0x80040602)
#endif
#ifndef MAPI_E_COLLISION
#define MAPI_E_COLLISION ((int32_t)0x80040604)
#endif
#ifndef MAPI_E_NOT_INITIALIZED
#define MAPI_E_NOT_INITIALIZED ((int32_t)0x80040605)
#endif
#ifndef MAPI_E_NON_STANDARD
#define MAPI_E_NON_STANDARD ((int32_t)0x80040606)
#endif
#ifndef MAPI_E_NO_RECIPIENTS
#define MAPI_E_NO_RECIPIENTS ((int32_t)0x80040607)
#endif
#ifndef MAPI_E_SUBMITTED
#define MAPI_E_SUBMITTED ((int32_t)0x80040608)
#endif
#ifndef MAPI_E_HAS_FOLDERS
#define MAPI_E_HAS_FOLDERS ((int32_t)0x80040609)
#endif
#ifndef MAPI_E_HAS_MESSAGES
#define MAPI_E_HAS_MESSAGES ((int32_t)0x8004060A)
#endif
#ifndef MAPI_E_FOLDER_CYCLE
#define MAPI_E_FOLDER_CYCLE ((int32_t)0x8004060B)
#endif
#ifndef MAPI_W_PARTIAL_COMPLETION
#define MAPI_W_PARTIAL_COMPLETION ((int32_t)0x00040680)
#endif
#ifndef MAPI_E_AMBIGUOUS_RECIP
#define MAPI_E_AMBIGUOUS_RECIP ((int32_t)0x80040700)
#endif

/* ------------------------------------------------------------------------
 * Tag names (storage/props_names.c), for logs, the dump tool and the CLI.
 * The table holds every tag defined above: string tags under their _W and _A
 * names, the others under their plain names. Thread-safe (read-only data).
 */

/* The name of tag: "PR_SUBJECT_W" for 0x0037001F, "PR_MESSAGE_FLAGS" for
 * 0x0E070003. When the id is known but not with this type, the plain name of
 * the id ("PR_SUBJECT" for 0x00370102). NULL for an unknown id (named
 * properties included). Borrowed, static. */
const char *st_prop_tag_name(uint32_t tag);

/* Parses "PR_SUBJECT" (a string tag's plain name means PT_TSTRING),
 * "PR_SUBJECT_W", "PR_SUBJECT_A", another name such as
 * "PR_OFFICE_TELEPHONE_NUMBER", or a hex tag "0x0037001F" (1 to 8 digits);
 * all case-insensitive, nothing else around them. Returns 0 and sets *out,
 * or -1 with a message in st_error_last() and *out untouched. */
int st_prop_tag_from_name(uint32_t *out, const char *name);

/* The i-th known tag in increasing tag order, for listing them all: returns
 * its name and sets *out, or returns NULL when i is past the end. */
const char *st_prop_tag_at(uint32_t *out, size_t i);

#endif /* MAPIDAV_STORAGE_PROPS_TAGS_H */
