/* output.c - JSON and text output. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* jansson documents hold revealed values; every block it frees is wiped.
 * The block size is kept in a header in front of the block. */
typedef union wipe_header {
    size_t size;
    max_align_t align;
} wipe_header;

static void *wipe_malloc(size_t size)
{
    wipe_header *h = malloc(sizeof *h + size);
    if (h == NULL)
        return NULL;
    h->size = size;
    return h + 1;
}

static void wipe_free(void *ptr)
{
    if (ptr == NULL)
        return;
    wipe_header *h = (wipe_header *)ptr - 1;
    sodium_memzero(ptr, h->size);
    free(h);
}

void output_init(void)
{
    json_set_alloc_funcs(wipe_malloc, wipe_free);
}

int print_json(json_t *json)
{
    char *text = json_dumps(json, JSON_COMPACT);
    json_decref(json);
    if (text == NULL) {
        fprintf(stderr, "leadvault: cannot encode JSON output\n");
        return EXIT_ERROR;
    }
    int ok = fputs(text, stdout) >= 0 && fputc('\n', stdout) != EOF && fflush(stdout) == 0;
    wipe_free(text);
    if (!ok) {
        fprintf(stderr, "leadvault: cannot write output\n");
        return EXIT_ERROR;
    }
    return EXIT_OK;
}

void print_field(const char *name, const char *value, size_t len)
{
    printf("%s: ", name);
    for (size_t i = 0; i < len; i++) {
        putchar(value[i]);
        if (value[i] == '\n' && i + 1 < len)
            fputs("  ", stdout);
    }
    putchar('\n');
}
