/* util_json.c - JSON text that is complete or absent, and wiped when freed. */
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "util_array.h"
#include "util_json.h"

/* The text of util_json_dumps as it grows, in jansson's allocator. */
typedef struct json_text {
    char *text;
    size_t len, cap;
    int failed; /* once set, every later write fails too */
} json_text;

static int json_text_append(const char *data, size_t size, void *ctx)
{
    json_text *t = ctx;
    if (t->failed)
        return -1;
    /* In jansson's allocator, as jansson frees it; room for the NUL. */
    json_malloc_t jmalloc = NULL;
    json_free_t jfree = NULL;
    json_get_alloc_funcs(&jmalloc, &jfree);
    if (size >= SIZE_MAX - t->len ||
        util_array_grow_wiped((void **)&t->text, &t->cap, t->len, t->len + size + 1, 256, jmalloc,
                              jfree) != 0) {
        t->failed = 1;
        return -1;
    }
    memcpy(t->text + t->len, data, size);
    t->len += size;
    t->text[t->len] = '\0';
    return 0;
}

char *util_json_dumps(const json_t *json, size_t flags)
{
    json_text t = {NULL, 0, 0, 0};
    if (json_dump_callback(json, json_text_append, &t, flags) != 0 || t.failed) {
        util_json_free(t.text);
        return NULL;
    }
    return t.text;
}

void util_json_free(char *text)
{
    if (text == NULL)
        return;
    /* An application may have installed its own jansson allocators. */
    json_free_t jfree = NULL;
    json_get_alloc_funcs(NULL, &jfree);
    sodium_memzero(text, strlen(text));
    jfree(text);
}
