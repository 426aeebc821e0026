/* util_name.h - names from a fixed list typed by a person: lookup that
 * ignores ASCII case, and a refusal that lists the names and suggests the
 * closest one. A leaf: uses only error.c. */
#ifndef LV_UTIL_NAME_H
#define LV_UTIL_NAME_H

#include <stddef.h>

/* The entry of names (NULL-terminated) equal to input when ASCII case is
 * ignored ("Qualified" gives "qualified"), or NULL. */
const char *util_name_lookup(const char *const *names, const char *input);

/* The entry of names closest to input (case ignored) by edit distance,
 * when it is a likely typo: at most a third of the input's length plus
 * one edits away, or a longer name the input (3 or more characters)
 * begins. NULL when none is. */
const char *util_name_closest(const char *const *names, const char *input);

/* Refuse input: LV_EINVAL with "<what>: unknown <kind> (did you mean
 * <closest>?); expected one of <names, comma-separated>". The input itself
 * is never quoted back (messages hold no value a person typed: it could be
 * pasted personal data). */
int util_name_unknown(const char *what, const char *kind, const char *input,
                      const char *const *names);

#endif
