/*
 * mapisvc.h: mapidav's entries in MAPISVC.INF, merged into and removed from
 * the file's text in memory (portable C; `mapidav register`/`unregister` in
 * cmd_register.c does the file work).
 *
 * What we own in the file (MAPI-NOTES.md, "Loading and registration"; the
 * MAPI reference "MapiSvc.inf Message Service Sections" / "Service Provider
 * Sections"): the line `mapidav=...` of [Services], the service section
 * [mapidav] and one section per provider ([mapidav_store]).
 *
 * Invariants: every other byte of the file is kept (lines, comments, blank
 * lines, line ends, order); merging twice gives the same bytes as merging
 * once; removing what a merge added gives back the original bytes (when the
 * file ended with a line end). Section and key names compare
 * case-insensitively, as GetPrivateProfileString does. New lines use the
 * file's line end (CRLF when it has none).
 * Never: write a DLL path MAPI would misread (a second '.', a character
 * outside printable ASCII, a line end).
 */
#ifndef MAPIDAV_TOOLS_MAPISVC_H
#define MAPIDAV_TOOLS_MAPISVC_H

#include <stddef.h>

/* The service's name in [Services] and its section's name. */
#define MAPISVC_SERVICE "mapidav"

/* The name to register for the DLL at dll_path: MAPI appends "32" at the
 * first '.' of the name it reads, so ".../mapidav32.dll" becomes
 * ".../mapidav.dll" (a name without "32" before its extension is refused).
 * *out malloc'd. -1 with st_error_set when the path cannot be registered
 * (no extension, another '.', a character outside printable ASCII, ';'). */
int mapisvc_dll_name(char **out, const char *dll_path);

/* in (in_len bytes, any content) with our entries for dll_name (as
 * mapisvc_dll_name gives it) added or brought up to date: *out malloc'd
 * (NUL after *out_len bytes). 0 or -1 (out of memory, st_error_set). */
int mapisvc_merge(char **out, size_t *out_len, const char *in, size_t in_len,
    const char *dll_name);

/* in without our entries: *out malloc'd as above. 0 or -1. */
int mapisvc_remove(char **out, size_t *out_len, const char *in, size_t in_len);

/* 1 when in holds our [Services] line and service section, else 0. */
int mapisvc_is_registered(const char *in, size_t in_len);

#endif /* MAPIDAV_TOOLS_MAPISVC_H */
