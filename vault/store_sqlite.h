/* store_sqlite.h - the SQLite backend of store.h: a vault in one file. */
#ifndef LV_STORE_SQLITE_H
#define LV_STORE_SQLITE_H

#include "store.h"

/* store_create and store_open for a file path (see store.h). */
int store_sqlite_create(store **out, const char *path);
int store_sqlite_open(store **out, const char *path, int busy_timeout_ms);
/* Remove the vault file at path and SQLite's side files (WAL, shared
 * memory, rollback journal), after a failed create or a discarded copy. */
void store_sqlite_remove(const char *path);

#endif
