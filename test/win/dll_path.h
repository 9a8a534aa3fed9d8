/*
 * dll_path.h: the path of the DLL under test, as meson gives it (a Unix
 * path), turned into the one Wine's LoadLibrary takes (drive Z: is /).
 * Header-only, for the Windows test programs.
 */
#ifndef MAPIDAV_DLL_PATH_H
#define MAPIDAV_DLL_PATH_H

#include <stddef.h>

/* "/work/build/provider/mapidav32.dll" -> "Z:\work\build\provider\mapidav32.dll" */
static void to_windows_path(char *out, size_t size, const char *path)
{
    size_t o = 0;

    if (path[0] == '/' && size > 2) {
        out[o++] = 'Z';
        out[o++] = ':';
    }
    for (; *path && o + 1 < size; path++)
        out[o++] = *path == '/' ? '\\' : *path;
    out[o] = '\0';
}

#endif
