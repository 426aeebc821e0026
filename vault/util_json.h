/* util_json.h - JSON text that holds revealed values: written whole or
 * not at all, and wiped when freed. The only vault header that includes
 * jansson.h; modules that build JSON include it themselves. */
#ifndef LV_UTIL_JSON_H
#define LV_UTIL_JSON_H

#include <jansson.h>

/* json_dumps, but NULL whenever any part of the text could not be
 * written: jansson ignores a failure to write an object's key (out of
 * memory), and json_dumps then returns the text without it. Free with
 * util_json_free. */
char *util_json_dumps(const json_t *json, size_t flags);

/* Free a text produced by util_json_dumps (or json_dumps) with the
 * allocator jansson uses, after wiping it. NULL is a no-op. */
void util_json_free(char *text);

#endif
