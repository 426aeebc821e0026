/* output.c - JSON and text output. */
#include <sodium.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* jansson documents hold revealed values; every block it frees is wiped.
 * The block size is kept in a header in front of the block. */
typedef union wipe_header {
    size_t size;
    max_align_t align; /* cppcheck-suppress unusedStructMember ; only aligns the block after it */
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
        (void)fprintf(stderr, "leadvault: cannot encode JSON output\n");
        return EXIT_ERROR;
    }
    int ok = fputs(text, stdout) >= 0 && fputc('\n', stdout) != EOF && fflush(stdout) == 0;
    wipe_free(text);
    if (!ok) {
        (void)fprintf(stderr, "leadvault: cannot write output\n");
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
            (void)fputs("  ", stdout);
    }
    putchar('\n');
}

/* errno of the first failed write to an output file, 0 while none
 * failed: a stream's error flag outlives the errno that set it. */
static int output_errno;

void output_note_failure(int err)
{
    if (output_errno == 0)
        output_errno = err != 0 ? err : EIO;
}

int output_write(FILE *out, const void *data, size_t len)
{
    if (fwrite(data, 1, len, out) == len)
        return 0;
    output_note_failure(errno);
    return -1;
}

int output_failed(int *exit_code, const char **cause)
{
    if (output_errno == 0)
        return 0;
    int full = output_errno == ENOSPC || output_errno == EFBIG || output_errno == EDQUOT;
    *exit_code = full ? EXIT_FULL : EXIT_ERROR;
    *cause = strerror(output_errno);
    return 1;
}

int write_to_file(void *ctx, const char *data, size_t len)
{
    return output_write(ctx, data, len);
}

int read_file(const cli *c, const char *path, char **out, size_t *len, size_t max)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rbe");
    if (f == NULL) {
        (void)fprintf(stderr, "leadvault %s: cannot read %s: %s\n", c->command_name, path,
                      strerror(errno));
        return EXIT_ERROR;
    }
    char *buf = malloc(max + 1);
    size_t n = buf != NULL ? fread(buf, 1, max, f) : 0;
    int too_long = buf != NULL && n == max && fgetc(f) != EOF;
    (void)fclose(f);
    if (buf == NULL)
        return usage_error(c, "out of memory");
    if (too_long || memchr(buf, '\0', n) != NULL) {
        free(buf);
        return usage_error(c, "%s is too large or not a text file", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int write_lazy(void *ctx, const char *data, size_t len)
{
    lazy_output *out = ctx;
    if (out->failed)
        return -1;
    if (out->file == NULL && output_open(out->c, &out->file, out->path) != 0) {
        out->failed = 1;
        return -1;
    }
    return output_write(out->file, data, len);
}

int lazy_close(lazy_output *out, int code)
{
    /* A successful run that wrote nothing still leaves its (empty) file. */
    if (out->file == NULL && code == EXIT_OK && out->path != NULL && !out->failed &&
        output_open(out->c, &out->file, out->path) != 0)
        return EXIT_ERROR;
    if (out->file == NULL)
        return code;
    code = output_close(out->c, out->file, code);
    if (code != EXIT_OK && out->path != NULL)
        (void)remove(out->path); /* created by this process: never half an output left */
    return code;
}
