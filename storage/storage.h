/*
 * storage.h: the offline store's public interface (floor 1). Other modules
 * include this; storage_int.h holds what only storage's own files share.
 * Nothing here includes windows.h, a MAPI header or anything of provider/.
 */
#ifndef MAPIDAV_STORAGE_H
#define MAPIDAV_STORAGE_H

/* The linked SQLite library's version, e.g. "3.40.1". Borrowed, static. */
const char *st_sqlite_version(void);

#endif /* MAPIDAV_STORAGE_H */
