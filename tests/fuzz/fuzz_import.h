/* fuzz_import.h - the body of fuzz_csv_import and fuzz_jsonl_import:
 * the import reader (parse, map, validate, seal) over the input, with a
 * sink that frees every item. The reader never touches the store, so one
 * unlocked vault serves the whole process. Define FUZZ_IMPORT_FORMAT. */
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "import_read.h"
#include "keys.h"

static lv_vault *fuzz_vault;
static unsigned char *fuzz_key_scratch;

static void fuzz_vault_close(void)
{
    lv_vault_close(fuzz_vault); /* NULL is a no-op */
    fuzz_vault = NULL;
    if (fuzz_key_scratch != NULL)
        sodium_free(fuzz_key_scratch);
    fuzz_key_scratch = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char pass[] = "fuzz-passphrase";
    char path[512];
    snprintf(path, sizeof path, "%s/vault.db", fuzz_dir_make());
    lv_create_options c = LV_CREATE_OPTIONS_INIT;
    c.admin_name = "fuzz";
    c.passphrase = pass;
    c.passphrase_len = sizeof pass - 1;
    c.kdf.memory_kib = LV_KDF_MEMORY_KIB_MIN;
    c.kdf.iterations = LV_KDF_ITERATIONS_MIN;
    c.kdf.parallelism = 1;
    lv_vault *v = NULL;
    if (lv_vault_create(&v, path, &c) != 0 || lv_vault_close(v) != 0) {
        fprintf(stderr, "fuzz: cannot create the scratch vault: %s\n", lv_error_last());
        abort();
    }
    lv_open_options o = LV_OPEN_OPTIONS_INIT;
    o.user = "fuzz";
    o.passphrase = pass;
    o.passphrase_len = sizeof pass - 1;
    if (lv_vault_open(&fuzz_vault, path, &o) != 0) {
        fprintf(stderr, "fuzz: cannot open the scratch vault: %s\n", lv_error_last());
        abort();
    }
    fuzz_key_scratch = sodium_malloc(KEY_BYTES);
    if (fuzz_key_scratch == NULL)
        abort();
    /* atexit runs in reverse: close the vault before its directory goes. */
    atexit(fuzz_vault_close);
    return 0;
}

typedef struct buffer_reader {
    const uint8_t *data;
    size_t size, pos, chunk;
} buffer_reader;

/* Hands the input over in small chunks, so that records, quotes, CRLF and
 * UTF-8 sequences are split across reads. */
static int buffer_read(void *ctx, char *buf, size_t cap, size_t *got)
{
    buffer_reader *br = ctx;
    size_t n = br->size - br->pos;
    if (n > cap)
        n = cap;
    if (n > br->chunk)
        n = br->chunk;
    memcpy(buf, br->data + br->pos, n);
    br->pos += n;
    *got = n;
    return 0;
}

static int free_sink(void *ctx, row_item *item)
{
    (void)ctx;
    row_item_free(item);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lv_import_options opts = LV_IMPORT_OPTIONS_INIT;
    opts.format = FUZZ_IMPORT_FORMAT;
    lv_import_summary summary;
    memset(&summary, 0, sizeof summary);
    reader *r = NULL;
    if (reader_new(&r, fuzz_vault, &opts, &summary, fuzz_key_scratch, 0, free_sink, NULL) != 0)
        abort();
    /* Chunk size from the input's length: 1..64 bytes, or everything. */
    size_t chunk = size % 5 == 0 ? SIZE_MAX : 1 + size % 64;
    buffer_reader br = {data, size, 0, chunk};
    atomic_ullong bytes = 0;
    (void)reader_run(r, buffer_read, &br, &bytes, NULL);
    if (atomic_load(&bytes) > size)
        abort(); /* consumed more than it was given */
    reader_free(r);
    return 0;
}
