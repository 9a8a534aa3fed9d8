/*
 * svcentry.h: the message service entry (MSGServiceEntry, exported by
 * entry.c): it writes the account's settings into the profile sections of
 * the service's store providers, without UI (the settings dialog comes with
 * a later issue: SERVICE_UI_ALWAYS is refused with MAPI_E_NO_SUPPORT).
 *
 * Settings, in each store provider's profile section (IProviderAdmin::
 * OpenProfileSection of its PR_PROVIDER_UID), given to CREATE / CONFIGURE /
 * PROVIDER_CREATE in lpProps (PT_UNICODE or PT_STRING8 forms alike):
 *   PR_MAPIDAV_STORE_PATH_W  0x6770  full path of the store file (store.h);
 *                                    default %LOCALAPPDATA%\mapidav\<provider
 *                                    section UID>\{store GUID}.sqlite
 *   PR_DISPLAY_NAME_W        0x3001  the store's name in Outlook (default
 *                                    "mapidav")
 *   PR_MAPIDAV_SERVER_URL_W  0x6771  the mail root collection, http(s)://
 *   PR_MAPIDAV_USER_W        0x6772  the user name on the server
 *   PR_PROVIDER_UID                  (CONFIGURE, PROVIDER_DELETE) which store
 *                                    provider; default the first one
 * and written by the entry itself, fixed for the life of the store:
 *   PR_RECORD_KEY            the store file's GUID (16 bytes, as the store's
 *                            own PR_RECORD_KEY / PR_STORE_RECORD_KEY)
 *   PR_MDB_PROVIDER          MD_PROVIDER_UID (entryid.h)
 *   PR_ENTRYID               the store entry ID, wrapped by
 *                            IMAPISupport::WrapStoreEntryID
 * The password is not a setting here: it will be a secure property.
 * 0x6771/0x6772 are next to 0x6770 in the provider-defined range (store.h).
 * Never: keep a MAPI object beyond the call; write the profile when the
 * settings given are refused (all or nothing).
 */
#ifndef MAPIDAV_PROVIDER_SVCENTRY_H
#define MAPIDAV_PROVIDER_SVCENTRY_H

#include <windows.h>
#include <mapidefs.h>
#include <mapispi.h>
#include <mapicode.h>

#define PR_MAPIDAV_SERVER_URL_W PROP_TAG(PT_UNICODE, 0x6771)
#define PR_MAPIDAV_USER_W       PROP_TAG(PT_UNICODE, 0x6772)

/* The name of the store provider's section in MAPISVC.INF (tools/mapisvc.c
 * writes it): what MSG_SERVICE_PROVIDER_CREATE hands to
 * IProviderAdmin::CreateProvider. */
#define MD_STORE_PROVIDER_SECTION "mapidav_store"

/* MSGServiceEntry's work (the MAPI reference, "MSGSERVICEENTRY"):
 *   MSG_SERVICE_CREATE           the first store provider's section gets the
 *                                settings given and the defaults; S_OK
 *   MSG_SERVICE_CONFIGURE        the settings given replace those in the
 *                                profile; MAPI_E_UNCONFIGURED when the result
 *                                lacks the server URL or the user (with
 *                                SERVICE_UI_ALLOWED that is where the dialog
 *                                would show: none yet)
 *   MSG_SERVICE_PROVIDER_CREATE  IProviderAdmin::CreateProvider of another
 *                                store (a shared mailbox), configured as
 *                                CREATE does
 *   MSG_SERVICE_PROVIDER_DELETE  IProviderAdmin::DeleteProvider of the one
 *                                named by PR_PROVIDER_UID (not the first)
 *   MSG_SERVICE_DELETE, INSTALL, UNINSTALL   S_OK; store files are kept
 * Bad input: MAPI_E_INVALID_PARAMETER (NULL where needed, a value of the
 * wrong type or refused, with a MAPIERROR saying which), MAPI_E_UNKNOWN_FLAGS,
 * MAPI_E_NO_SUPPORT (an unknown context, SERVICE_UI_ALWAYS). */
HRESULT md_service_entry(HINSTANCE instance, LPMAPISUP support, ULONG_PTR ui_param,
    ULONG flags, ULONG context, ULONG n_props, LPSPropValue props,
    LPPROVIDERADMIN admin, LPMAPIERROR *error_out);

#endif
