/*
 * reminders_util.h: Outlook's Reminders search folder criteria, shared by
 * test_storage_search and bench-storage (header-only): AND(EXIST(reminder
 * set), reminder set == true, NOT(message class starts with IPM.Schedule)),
 * roughly what Outlook sets on its Reminders folder.
 */
#ifndef MAPIDAV_TEST_REMINDERS_UTIL_H
#define MAPIDAV_TEST_REMINDERS_UTIL_H

#include "storage/props_tags.h"

/* PidLidReminderSet as the catalog would map it (0x8503 is its LID in
 * PSETID_Common; tests and benches need no catalog for the mapping). */
#define T_REMINDER_SET PROP_TAG(PT_BOOLEAN, 0x8503)

/* NULL when out of memory; st_res_free it. */
static inline st_restriction *test_reminders(void)
{
    st_value t = st_view_bool(T_REMINDER_SET, 1);
    st_value cls = st_view_str(PR_MESSAGE_CLASS_W, "IPM.Schedule");
    return st_res_and(3, st_res_exist(T_REMINDER_SET),
        st_res_property(RELOP_EQ, T_REMINDER_SET, &t),
        st_res_not(st_res_content(FL_PREFIX | FL_IGNORECASE, PR_MESSAGE_CLASS_W, &cls)));
}

#endif
