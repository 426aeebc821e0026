/* store_location.h - open or create the store a vault location names. */
#ifndef LV_STORE_LOCATION_H
#define LV_STORE_LOCATION_H

#include "store.h"

/* Create a new vault at location: for a path, a file created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, schema installed. LV_EEXISTS when
 * it exists. */
int store_location_create(store **out, const char *location);

/* Open an existing vault. For a path: refuses symlinks, non-regular files,
 * files that are not leadvault vaults (LV_EINVAL), truncated or damaged
 * files (LV_ECORRUPT) and newer schema versions (LV_ERROR). */
int store_location_open(store **out, const char *location, int busy_timeout_ms);
/* Remove what a failed store_location_create left at a file path (the
 * file and SQLite's side files); nothing for a PostgreSQL location. */
void store_location_remove(const char *location);

/* 1 when location names a PostgreSQL database ("postgresql://...",
 * "postgres://..." or "postgresql:" followed by a libpq keyword string),
 * 0 for a file path. */
int store_location_is_postgres(const char *location);

#endif
