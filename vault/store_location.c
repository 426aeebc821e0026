/* store_location.c - the backend a vault location names: a PostgreSQL URI or
 * keyword string, or else a file path (SQLite, the embedded default). */
#include <string.h>

#include "error.h"
#include "store_location.h"
#include "store_sqlite.h"

int store_location_is_postgres(const char *location)
{
    static const char *const prefixes[] = {"postgresql://", "postgres://", "postgresql:"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strncmp(location, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    }
    return 0;
}

/* The location is not repeated: a PostgreSQL URI may carry a password. */
static int no_postgres(void)
{
    return err_set(LV_EINVAL,
                   "this vault location names a PostgreSQL database, and this "
                   "leadvault has no PostgreSQL storage; give a file path (a file "
                   "whose name starts with postgresql: can be given as ./postgresql:...)");
}

int store_location_create(store **out, const char *location)
{
    *out = NULL;
    if (location == NULL || location[0] == '\0')
        return err_set(LV_EINVAL, "no vault location given");
    if (store_location_is_postgres(location))
        return no_postgres();
    return store_sqlite_create(out, location);
}

int store_location_open(store **out, const char *location, int busy_timeout_ms)
{
    *out = NULL;
    if (location == NULL || location[0] == '\0')
        return err_set(LV_EINVAL, "no vault location given");
    if (store_location_is_postgres(location))
        return no_postgres();
    return store_sqlite_open(out, location, busy_timeout_ms);
}

void store_location_remove(const char *location)
{
    if (location != NULL && location[0] != '\0' && !store_location_is_postgres(location))
        store_sqlite_remove(location);
}
