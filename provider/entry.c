/*
 * entry.c: the three entry points MAPI looks up in mapidav32.dll.
 *
 * Until the provider issue lands, each one answers MAPI_E_NO_SUPPORT: MAPI
 * then reports that the service cannot be used, and nothing in the profile or
 * the user's data is touched. They are stubs and are not called done.
 * This file must stay free of logic: it only hands over to the store,
 * transport and service objects when those exist.
 */
#include <windows.h>
#include <mapispi.h>


/* MSGServiceEntry as Outlook's headers declare it: ulUIParam is a window
 * handle, ULONG_PTR wide (mingw-w64 says ULONG). */
HRESULT WINAPI MSGServiceEntry(HINSTANCE instance, LPMALLOC malloc_iface,
    LPMAPISUP support, ULONG_PTR ui_param, ULONG flags, ULONG context,
    ULONG n_props, LPSPropValue props, LPPROVIDERADMIN provider_admin,
    LPMAPIERROR *error_out);

/* Not done: the store provider comes with the provider issue. */
HRESULT __cdecl MSProviderInit(HINSTANCE instance, LPMALLOC malloc_iface,
    LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
    LPFREEBUFFER free_buffer, ULONG flags, ULONG mapi_version,
    ULONG *provider_version_out, LPMSPROVIDER *provider_out)
{
    if (provider_out)
        *provider_out = NULL;
    return MAPI_E_NO_SUPPORT;
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
