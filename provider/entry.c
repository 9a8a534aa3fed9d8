/*
 * entry.c: the three entry points MAPI looks up in mapidav32.dll.
 *
 * MSProviderInit checks the SPI version and hands over to the store provider
 * (msprovider.c). XPProviderInit and MSGServiceEntry still answer
 * MAPI_E_NO_SUPPORT: MAPI then reports that the service cannot be used, and
 * nothing in the profile or the user's data is touched; they are stubs and are
 * not called done.
 * This file must stay free of logic: it only hands over to the store,
 * transport and service objects.
 */
#include <windows.h>
#include <mapispi.h>
#include <mapicode.h>

#include "provider/store.h"


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

/* Not done: profile configuration comes with the provider issue. */
HRESULT WINAPI MSGServiceEntry(HINSTANCE instance, LPMALLOC malloc_iface,
    LPMAPISUP support, ULONG_PTR ui_param, ULONG flags, ULONG context,
    ULONG n_props, LPSPropValue props, LPPROVIDERADMIN provider_admin,
    LPMAPIERROR *error_out)
{
    if (error_out)
        *error_out = NULL;
    return MAPI_E_NO_SUPPORT;
}
