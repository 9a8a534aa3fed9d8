/*
 * version.c: which SQLite the store runs on, for `mapidav version` and the
 * debug log header. Reports the library actually linked, not the header seen
 * at compile time: on Windows it is the static copy inside mapidav32.dll.
 */
#include <sqlite3.h>

#include "storage/storage.h"

const char *st_sqlite_version(void)
{
    return sqlite3_libversion();
}
