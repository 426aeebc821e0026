/* import_read.c - the reading half of an import, bytes to records: CSV
 * through libcsv (strict quoting, resynchronising at the next line after a
 * malformed quote, exact line numbers across embedded and CR/CRLF breaks)
 * or JSON Lines, after an encoding check; each record goes to import_row.c.
 * No store access: this half may run on its own thread. */
#include <csv.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "error.h"
#include "import_read.h"
#include "import_reader.h"
#include "util_array.h"
#include "util_time.h"

#define RECORD_MAX (16u << 20) /* a record larger than this stops the import */
/* libcsv grows its field buffer by blk_size bytes at a time: a field of
 * megabytes would be copied over and over. Before each parse call the step
 * is set to the buffer's current size (at least CSV_BLOCK_MIN), so the
 * buffer doubles instead. */
#define CSV_BLOCK_MIN ((size_t)16 * 1024)
#define CHUNK 65536

static int raw_append(importer *im, const char *data, size_t len)
{
    if (util_array_grow_wiped((void **)&im->raw, &im->raw_cap, im->raw_len, im->raw_len + len, 4096,
                              NULL, NULL) != 0)
        return im->rc = LV_ERROR;
    memcpy(im->raw + im->raw_len, data, len);
    im->raw_len += len;
    return 0;
}

/* ---- CSV through libcsv ---- */

static void count_breaks(importer *im, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n'))) {
            im->line++;
            im->record_lines++;
        }
    }
}

static void on_cell(void *data, size_t len, void *ctx)
{
    importer *im = ctx;
    if (im->rc != 0 || im->skip_record)
        return;
    count_breaks(im, data, len);
    /* off and lens share cells_cap: it moves only once both have grown. */
    size_t off_cap = im->cells_cap, lens_cap = im->cells_cap;
    if (util_array_grow((void **)&im->off, &off_cap, im->ncells + 1, sizeof *im->off, 32) != 0 ||
        util_array_grow((void **)&im->lens, &lens_cap, im->ncells + 1, sizeof *im->lens, 32) != 0) {
        im->rc = LV_ERROR;
        return;
    }
    im->cells_cap = off_cap;
    /* Wiped, not realloc'd: the old block holds row plaintext. */
    if (util_array_grow_wiped((void **)&im->buf, &im->cap, im->len, im->len + len + 1, 4096, NULL,
                              NULL) != 0) {
        im->rc = LV_ERROR;
        return;
    }
    if (len > 0)
        memcpy(im->buf + im->len, data, len);
    im->buf[im->len + len] = '\0';
    im->off[im->ncells] = im->len;
    im->lens[im->ncells++] = len;
    im->len += len + 1;
}

static void end_record(importer *im)
{
    if (im->rc == 0 && im->ncells > 0 && !im->skip_record) {
        if (im->on_record != NULL)
            import_deliver_record(im, NULL);
        else if (!im->header_done)
            im->rc = import_read_header(im);
        else
            import_prepare_row(im);
    }
    /* Cells and raw bytes hold plaintext of the row: wipe before reuse. */
    if (im->len > 0)
        sodium_memzero(im->buf, im->len);
    if (im->raw_len > 0)
        sodium_memzero(im->raw, im->raw_len);
    im->raw_len = 0;
    im->len = 0;
    im->ncells = 0;
    im->record_bytes = 0;
    im->record_lines = 0;
    im->skip_record = 0;
}

static void on_row(int terminator, void *ctx)
{
    importer *im = ctx;
    int empty = im->ncells == 0;
    end_record(im);
    /* CSV_REPALL_NL reports the LF of a CRLF as an empty row of its own. */
    if (terminator == '\r') {
        im->line++;
        im->prev_cr = 1;
    } else if (terminator == '\n') {
        if (!(im->prev_cr && empty))
            im->line++;
        im->prev_cr = 0;
    }
}

/* (Re)start a parser with the import's options. */
static int csv_start(importer *im, struct csv_parser *p)
{
    if (csv_init(p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
        return err_set(LV_ERROR, "out of memory");
    csv_set_delim(p, im->delimiter ? (unsigned char)im->delimiter : ',');
    csv_set_blk_size(p, CSV_BLOCK_MIN);
    return 0;
}

/* Free a parser, wiping the field buffer first: it held row plaintext. */
static void csv_wipe_free(struct csv_parser *p)
{
    if (p->entry_buf != NULL)
        sodium_memzero(p->entry_buf, p->entry_size);
    csv_free(p);
}

/* Feed a chunk one physical line at a time (up to each LF or CR), so the
 * raw bytes of every record are known for the reject file. On a quoting
 * error the record is rejected and parsing resumes at the next line. */
static int feed_csv(importer *im, struct csv_parser *p, const char *data, size_t len, int *skipping)
{
    while (len > 0 && im->rc == 0) {
        size_t seg = 0;
        while (seg < len && data[seg] != '\n' && data[seg] != '\r')
            seg++;
        if (seg < len)
            seg++; /* the terminator belongs to the line */
        if (*skipping) {
            /* the rest of a line whose record was rejected */
            char last = data[seg - 1];
            if (last == '\n' || last == '\r') {
                im->line++;
                im->prev_cr = last == '\r';
                *skipping = 0;
            }
            data += seg;
            len -= seg;
            continue;
        }
        if (raw_append(im, data, seg) != 0)
            return im->rc;
        csv_set_blk_size(p, p->entry_size > CSV_BLOCK_MIN ? p->entry_size : CSV_BLOCK_MIN);
        size_t done = csv_parse(p, data, seg, on_cell, on_row, im);
        if (im->raw_len > RECORD_MAX)
            return err_set(LV_EINVAL,
                           "line %llu: a record is longer than 16 MiB (an unclosed "
                           "quote?); import stopped",
                           (unsigned long long)(im->line - im->record_lines));
        if (done == seg) {
            data += seg;
            len -= seg;
            continue;
        }
        /* libcsv stops short for want of memory too: not the row's fault. */
        if (csv_error(p) == CSV_ENOMEM)
            return err_set(LV_ERROR, "out of memory while reading line %llu",
                           (unsigned long long)im->line);
        /* A malformed quote: reject the record as read so far. */
        if (im->header_done) {
            import_reject(im,
                          "malformed quoting (a quote inside an unquoted field, or text after a "
                          "closing quote)");
        } else {
            const char *nl = memchr(im->raw, '\n', im->raw_len);
            size_t first = nl != NULL ? (size_t)(nl - im->raw) : im->raw_len;
            if (im->opts->delimiter == 0 &&
                (memchr(im->raw, ';', first) != NULL || memchr(im->raw, '\t', first) != NULL))
                return err_set(LV_EINVAL, "header: the file looks separated by ';' or tabs: "
                                          "use --delimiter");
            return err_set(LV_EINVAL, "line 1: malformed quoting in the header");
        }
        int ended = data[seg - 1] == '\n' || data[seg - 1] == '\r';
        im->ncells = 0;
        end_record(im);
        if (ended) {
            im->line++;
            im->prev_cr = data[seg - 1] == '\r'; /* a following LF is the same break */
        }
        csv_wipe_free(p);
        if ((im->rc = csv_start(im, p)) != 0)
            return im->rc;
        data += seg;
        len -= seg;
        *skipping = !ended;
    }
    return im->rc;
}

/* ---- JSON Lines ---- */

static int json_line(importer *im, const char *line, size_t len);

/* One line of JSON Lines: its raw bytes kept for the reject file, and the
 * line counted whatever happens to it. */
static int process_json_line(importer *im, const char *line, size_t len)
{
    int rc = 0;
    if (!(len == 0 || (len == 1 && line[0] == '\r'))) {
        im->raw_len = 0;
        if (raw_append(im, line, len) == 0)
            rc = json_line(im, line, len);
        else
            rc = im->rc;
        if (im->raw_len > 0)
            sodium_memzero(im->raw, im->raw_len);
        im->raw_len = 0;
    }
    im->line++;
    return rc;
}

static int json_line(importer *im, const char *line, size_t len)
{
    json_error_t jerr;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    im->ncells = 0;
    im->len = 0;
    if (!json_is_object(o)) {
        import_reject(im, "not a JSON object");
        json_decref(o);
        return 0;
    }
    /* Each line brings its own keys: map them as a header, then the values
     * as a row. */
    const char *key;
    json_t *value;
    json_object_foreach(o, key, value)
    {
        on_cell((void *)key, strlen(key), im);
    }
    free(im->columns);
    im->columns = NULL;
    im->header_done = 0;
    if (im->rc == 0 && import_read_header(im) != 0) {
        /* A line that names no usable field is a bad row, not a bad file. */
        im->rc = 0;
        import_reject(im, lv_error_last());
        json_decref(o);
        sodium_memzero(im->buf, im->len);
        return 0;
    }
    sodium_memzero(im->buf, im->len);
    im->ncells = 0;
    im->len = 0;
    json_object_foreach(o, key, value)
    {
        char number[32];
        const char *text = "";
        size_t n = 0;
        if (json_is_string(value)) {
            text = json_string_value(value);
            n = json_string_length(value);
        } else if (json_is_integer(value)) {
            n = (size_t)snprintf(number, sizeof number, "%lld",
                                 (long long)json_integer_value(value));
            text = number;
        } else if (json_is_true(value) || json_is_false(value)) {
            text = json_is_true(value) ? "yes" : "no";
            n = strlen(text);
        }
        on_cell((void *)text, n, im);
    }
    json_decref(o);
    if (im->rc == 0)
        import_prepare_row(im);
    sodium_memzero(im->buf, im->len);
    im->len = 0;
    im->ncells = 0;
    return im->rc;
}

/* ---- encoding ---- */

/* Refuse input that is not UTF-8, with the conversion to try. The check
 * covers the first chunk; later invalid bytes reject their rows. */
static int check_encoding(const unsigned char *data, size_t len, size_t *bom)
{
    *bom = 0;
    if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
        return err_set(LV_EINVAL, "the input is UTF-16; convert it first: iconv -f UTF-16 -t "
                                  "UTF-8");
    if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
        *bom = 3;
    size_t at = *bom;
    while (at < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(data + at, (utf8proc_ssize_t)(len - at), &cp);
        if (n < 0) {
            if (len - at < 4)
                break; /* a sequence cut by the chunk's end */
            return err_set(LV_EINVAL,
                           "the input is not UTF-8 (invalid byte at offset %zu); "
                           "convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8",
                           at);
        }
        at += (size_t)n;
    }
    return 0;
}

int reader_run(reader *im, lv_read_fn read, void *read_ctx, atomic_ullong *bytes_read,
               const atomic_int *stop)
{
    char *chunk = malloc(CHUNK);
    if (chunk == NULL)
        return err_set(LV_ERROR, "out of memory");
    struct csv_parser parser;
    int csv = im->opts->format != LV_IMPORT_JSONL, rc = 0, skipping = 0, first = 1;
    if (csv) {
        if ((rc = csv_start(im, &parser)) != 0) {
            free(chunk);
            return rc;
        }
    }
    char *line = NULL; /* JSON Lines: the line being assembled */
    size_t line_len = 0, line_cap = 0;
    uint64_t bytes = 0;
    size_t chunk_used = 0; /* high-water mark: what the wipe at the end covers */
    for (;;) {
        size_t got = 0;
        if (stop != NULL && atomic_load(stop))
            break;
        if (read(read_ctx, chunk, CHUNK, &got) != 0) {
            chunk_used = CHUNK; /* it may have written before failing */
            rc = err_set(LV_ERROR, "cannot read the input");
            break;
        }
        if (got == 0)
            break;
        if (got > chunk_used)
            chunk_used = got;
        size_t skip = 0;
        if (first && (rc = check_encoding((unsigned char *)chunk, got, &skip)) != 0)
            break;
        first = 0;
        bytes += got;
        if (csv) {
            if ((rc = feed_csv(im, &parser, chunk + skip, got - skip, &skipping)) != 0)
                break;
        } else {
            for (size_t at = skip; at < got && rc == 0;) {
                const char *nl = memchr(chunk + at, '\n', got - at);
                size_t n = nl != NULL ? (size_t)(nl - (chunk + at)) : got - at;
                if (line_len + n > RECORD_MAX) {
                    rc = err_set(LV_EINVAL, "line %llu: longer than 16 MiB; import stopped",
                                 (unsigned long long)im->line);
                    break;
                }
                if (util_array_grow_wiped((void **)&line, &line_cap, line_len, line_len + n + 1,
                                          4096, NULL, NULL) != 0) {
                    rc = LV_ERROR;
                    break;
                }
                memcpy(line + line_len, chunk + at, n);
                line_len += n;
                at += n;
                if (nl != NULL) {
                    at++;
                    rc = process_json_line(im, line, line_len);
                    sodium_memzero(line, line_len);
                    line_len = 0;
                }
            }
            if (rc != 0)
                break;
        }
        if (bytes_read != NULL)
            atomic_store(bytes_read, bytes);
    }
    if (rc == 0 && csv) {
        if (csv_fini(&parser, on_cell, on_row, im) != 0 && im->rc == 0 && im->header_done) {
            import_reject(im, "unclosed quote at the end of the input");
            im->ncells = 0;
            end_record(im);
        }
        rc = im->rc;
    } else if (rc == 0 && line_len > 0) {
        rc = process_json_line(im, line, line_len);
    }
    if (rc == 0 && !im->header_done && csv)
        rc = err_set(LV_EINVAL, "the input is empty: no header row");
    if (csv)
        csv_wipe_free(&parser);
    sodium_memzero(chunk, chunk_used);
    if (line != NULL) {
        sodium_memzero(line, line_cap);
        free(line);
    }
    free(chunk);
    return rc;
}

/* Records mode needs only the parsing options. */
static const lv_import_options records_options[1] = {LV_IMPORT_OPTIONS_INIT};

static reader *reader_alloc(const lv_import_options *opts, char delimiter)
{
    reader *r = calloc(1, sizeof *r);
    if (r == NULL) {
        err_set(LV_ERROR, "out of memory");
        return NULL;
    }
    r->opts = opts;
    r->line = 1;
    r->delimiter = delimiter;
    return r;
}

int reader_new_records(reader **out, char delimiter, record_fn fn, void *ctx)
{
    reader *r = reader_alloc(records_options, delimiter);
    if (r == NULL)
        return LV_ERROR;
    r->on_record = fn;
    r->record_ctx = ctx;
    *out = r;
    return 0;
}

void reader_set_users(reader *r, const import_user_name *users, size_t count)
{
    r->users = users;
    r->user_count = count;
}

int reader_new(reader **out, lv_vault *vault, const lv_import_options *opts,
               lv_import_summary *summary, unsigned char *key_scratch, int keep_input,
               row_sink sink, void *sink_ctx)
{
    reader *r = reader_alloc(opts, opts->delimiter);
    if (r == NULL)
        return LV_ERROR;
    r->vault = vault;
    r->summary = summary;
    r->now = util_now_ms();
    r->key = key_scratch;
    r->keep_input = keep_input;
    r->sink = sink;
    r->sink_ctx = sink_ctx;
    *out = r;
    return 0;
}

void reader_free(reader *r)
{
    if (r == NULL)
        return;
    if (r->buf != NULL) {
        sodium_memzero(r->buf, r->cap);
        free(r->buf);
    }
    if (r->raw != NULL) {
        sodium_memzero(r->raw, r->raw_cap);
        free(r->raw);
    }
    free(r->off);
    free(r->lens);
    free(r->columns);
    free(r->cell_ptrs);
    sodium_memzero(r, sizeof *r);
    free(r);
}
