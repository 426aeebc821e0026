/* util_name.c - names from a fixed list, as a person types them. */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "util_name.h"

/* Longest input compared or quoted back: names are short, and anything
 * longer is not a mistyped name. */
#define NAME_INPUT_MAX 40

static int fold(char c)
{
    int u = (unsigned char)c;
    return u >= 'A' && u <= 'Z' ? u + ('a' - 'A') : u;
}

const char *util_name_lookup(const char *const *names, const char *input)
{
    for (size_t i = 0; input != NULL && names[i] != NULL; i++) {
        size_t k = 0;
        while (names[i][k] != '\0' && fold(names[i][k]) == fold(input[k]))
            k++;
        if (names[i][k] == '\0' && input[k] == '\0')
            return names[i];
    }
    return NULL;
}

/* Levenshtein distance, case ignored; both at most NAME_INPUT_MAX bytes. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[NAME_INPUT_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t above = row[j];
            size_t best = diagonal + (fold(a[i - 1]) != fold(b[j - 1]));
            if (above + 1 < best)
                best = above + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
}

const char *util_name_closest(const char *const *names, const char *input)
{
    size_t len = input != NULL ? strlen(input) : 0;
    if (len == 0 || len > NAME_INPUT_MAX)
        return NULL;
    const char *best = NULL;
    size_t best_distance = len / 3 + 2; /* a distance up to a third of it, plus one */
    for (size_t i = 0; names[i] != NULL; i++) {
        size_t n = strlen(names[i]);
        if (n > NAME_INPUT_MAX)
            continue;
        size_t d = distance(input, len, names[i], n);
        /* A name that starts with what was typed ("qual") is close too. */
        if (n > len && len >= 3 && distance(input, len, names[i], len) == 0)
            d = 1;
        /* On a tie the shorter name: "lead.fi" suggests lead.find. */
        if (d < best_distance || (best != NULL && d == best_distance && n < strlen(best))) {
            best = names[i];
            best_distance = d;
        }
    }
    return best;
}

int util_name_unknown(const char *what, const char *kind, const char *input,
                      const char *const *names)
{
    char list[400] = "";
    size_t at = 0;
    for (size_t i = 0; names[i] != NULL && at < sizeof list; i++) {
        int n = snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", names[i]);
        at = n < 0 ? sizeof list : at + (size_t)n;
    }
    const char *closest = util_name_closest(names, input);
    char hint[NAME_INPUT_MAX + 24] = "";
    if (closest != NULL)
        (void)snprintf(hint, sizeof hint, " (did you mean %s?)", closest);
    return err_set(LV_EINVAL, "%s: unknown %s%s; expected one of %s", what, kind, hint, list);
}
