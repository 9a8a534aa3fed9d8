/*
 * guids.c: the one place the provider's interface identifiers are defined
 * (INITGUID): MAPI's, through mapiguid.h's USES_IID_x switches, those
 * mingw-w64 lacks (mapi_extra.h) and our private IID_IMapidavDebug
 * (object.h). Every other file only declares them.
 */
#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIContainer
#define USES_IID_IMAPIFolder
#define USES_IID_IMsgStore
#define USES_IID_IMSProvider
#define USES_IID_IMSLogon
#define USES_IID_IMessage
#define USES_IID_IAttachment
#define USES_IID_IMAPITable

#include <windows.h>
#include <initguid.h>
#include <mapiguid.h>

#include "provider/mapi_extra.h"
#include "provider/object.h"
