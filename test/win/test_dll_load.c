/*
 * test_dll_load.c: the first thing MAPI does with a provider, done under Wine.
 *
 * Loads mapidav32.dll by the path given on the command line (a Unix path is
 * turned into Wine's Z: drive path), resolves the three entry points MAPI looks
 * up, and checks what they answer today: MSProviderInit without allocators is
 * refused (MAPI_E_INVALID_PARAMETER: test_provider_host.c drives it for real),
 * so is MSGServiceEntry without a support object (test_provider_service.c);
 * XPProviderInit returns MAPI_E_NO_SUPPORT until the transport work lands;
 * each clears its out-pointer.
 */
#include <stdio.h>
#include <string.h>

#include <windows.h>
#include <mapispi.h>

#include "testutil.h"
#include "dll_path.h"

typedef HRESULT(WINAPI *service_entry_fn)(HINSTANCE, LPMALLOC, LPMAPISUP, ULONG_PTR,
    ULONG, ULONG, ULONG, LPSPropValue, LPPROVIDERADMIN, LPMAPIERROR *);

int main(int argc, char **argv)
{
    char path[MAX_PATH];
    HMODULE dll;

    if (argc < 2)
        test_fatal("usage: test_dll_load PATH-TO-mapidav32.dll\n");
    to_windows_path(path, sizeof path, argv[1]);

    dll = LoadLibraryA(path);
    if (!dll)
        test_fatal("LoadLibrary(%s) failed: error %lu\n", path, GetLastError());

    MSPROVIDERINIT *ms_init = (MSPROVIDERINIT *)(void (*)(void))GetProcAddress(dll, "MSProviderInit");
    XPPROVIDERINIT *xp_init = (XPPROVIDERINIT *)(void (*)(void))GetProcAddress(dll, "XPProviderInit");
    service_entry_fn service_entry = (service_entry_fn)(void (*)(void))GetProcAddress(dll, "MSGServiceEntry");

    ok(ms_init != NULL, "MSProviderInit not exported\n");
    ok(xp_init != NULL, "XPProviderInit not exported\n");
    ok(service_entry != NULL, "MSGServiceEntry not exported\n");
    ok(GetProcAddress(dll, "st_sqlite_version") == NULL, "internal symbol exported\n");
    ok(GetProcAddress(dll, "sqlite3_libversion") == NULL, "SQLite exported\n");

    if (ms_init) {
        LPMSPROVIDER provider = (LPMSPROVIDER)(ULONG_PTR)1;
        ULONG version = 0;
        HRESULT hr = ms_init(NULL, NULL, NULL, NULL, NULL, 0, CURRENT_SPI_VERSION,
                             &version, &provider);
        ok(hr == MAPI_E_INVALID_PARAMETER, "MSProviderInit: got %#lx\n", (unsigned long)hr);
        ok(provider == NULL, "MSProviderInit left %p\n", (void *)provider);
    }
    if (xp_init) {
        LPXPPROVIDER provider = (LPXPPROVIDER)(ULONG_PTR)1;
        ULONG version = 0;
        HRESULT hr = xp_init(NULL, NULL, NULL, NULL, NULL, 0, CURRENT_SPI_VERSION,
                             &version, &provider);
        ok(hr == MAPI_E_NO_SUPPORT, "XPProviderInit: got %#lx\n", (unsigned long)hr);
        ok(provider == NULL, "XPProviderInit left %p\n", (void *)provider);
    }
    if (service_entry) {
        LPMAPIERROR err = (LPMAPIERROR)(ULONG_PTR)1;
        HRESULT hr = service_entry(NULL, NULL, NULL, 0, 0, MSG_SERVICE_CREATE, 0, NULL,
                                   NULL, &err);
        /* no support object, no IProviderAdmin (test_provider_service
         * drives it properly) */
        ok(hr == MAPI_E_INVALID_PARAMETER, "MSGServiceEntry: got %#lx\n", (unsigned long)hr);
        ok(err == NULL, "MSGServiceEntry left %p\n", (void *)err);
    }

    ok(FreeLibrary(dll), "FreeLibrary failed: error %lu\n", GetLastError());
    return test_done();
}
