/*
 * davsync.h: the sync engine's public interface (floor 2). Callers on other
 * threads only post requests to the sync thread; they never call into curl or
 * expat themselves.
 */
#ifndef MAPIDAV_DAVSYNC_H
#define MAPIDAV_DAVSYNC_H

#include <stddef.h>

/*
 * Writes "curl/7.88.1 mbedTLS/2.28.3 expat/2.5.0 zlib/1.2.13" (the network
 * libraries actually linked, with curl's own TLS and zlib as it reports them)
 * into buf, always NUL-terminated. Returns buf.
 */
char *ds_library_versions(char *buf, size_t size);

#endif /* MAPIDAV_DAVSYNC_H */
