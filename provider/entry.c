/*
 * entry.c: the three entry points MAPI looks up in mapidav32.dll.
 *
 * MSProviderInit checks the SPI version and hands over to the store provider
 * (msprovider.c); MSGServiceEntry hands over to the service entry
 * (svcentry.c). XPProviderInit still answers MAPI_E_NO_SUPPORT: MAPI then
 * reports that the transport cannot be used, and nothing in the profile or
 * the user's data is touched; it is a stub and is not called done.
 * This file must stay free of logic: it only hands over to the store,
 * transport and service objects.
 */
#include <windows.h>
#include <mapispi.h>
#include <mapicode.h>

#include "provider/store.h"
#include "provider/svcentry.h"


/* MSGServiceEntry as Outlook's headers declare it: ulUIParam is a window
 * handle, ULONG_PTR wide (mingw-w64 says ULONG). */
HRESULT WINAPI MSGServiceEntry(HINSTANCE instance, LPMALLOC malloc_iface,
    LPMAPISUP support, ULONG_PTR ui_param, ULONG flags, ULONG context,
    ULONG n_props, LPSPropValue props, LPPROVIDERADMIN provider_admin,
    LPMAPIERROR *error_out);

/* MAPI's SPI version must be ours (MAPI-NOTES.md); the allocators are kept. */
HRESULT __cdecl MSProviderInit(HINSTANCE instance, LPMALLOC malloc_iface,
    LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
    LPFREEBUFFER free_buffer, ULONG flags, ULONG mapi_version,
    ULONG *provider_version_out, LPMSPROVIDER *provider_out)
{
    (void)instance; (void)malloc_iface; (void)flags;
    if (!provider_out || !provider_version_out)
        return MAPI_E_INVALID_PARAMETER;
    *provider_out = NULL;
    *provider_version_out = CURRENT_SPI_VERSION;
    if (mapi_version < CURRENT_SPI_VERSION)
        return MAPI_E_VERSION;
    if (!allocate_buffer || !allocate_more || !free_buffer)
        return MAPI_E_INVALID_PARAMETER;
    md_alloc alloc = { allocate_buffer, allocate_more, free_buffer };
    return md_provider_create(&alloc, provider_out);
}

/* Not done: the transport provider comes with the transport issue. */
HRESULT __cdecl XPProviderInit(HINSTANCE instance, LPMALLOC malloc_iface,
    LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
    LPFREEBUFFER free_buffer, ULONG flags, ULONG mapi_version,
    ULONG *provider_version_out, LPXPPROVIDER *provider_out)
{
    if (provider_out)
        *provider_out = NULL;
    return MAPI_E_NO_SUPPORT;
}

/* Profile configuration without UI (svcentry.h). */
HRESULT WINAPI MSGServiceEntry(HINSTANCE instance, LPMALLOC malloc_iface,
    LPMAPISUP support, ULONG_PTR ui_param, ULONG flags, ULONG context,
    ULONG n_props, LPSPropValue props, LPPROVIDERADMIN provider_admin,
    LPMAPIERROR *error_out)
{
    (void)malloc_iface;
    return md_service_entry(instance, support, ui_param, flags, context, n_props, props,
        provider_admin, error_out);
}
