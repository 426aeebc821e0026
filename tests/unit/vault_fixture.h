/* vault_fixture.h - shared helpers of the unit tests that drive a real
 * vault through the public API: a private temporary directory, vaults and
 * users at the KDF floor, byte scans of files.
 *
 * Include after cmocka.h (its four prerequisite headers first). Every
 * helper is static: each test program gets its own copy. */
#ifndef LV_TEST_VAULT_FIXTURE_H
#define LV_TEST_VAULT_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leadvault.h"

#define FIXTURE_UNUSED __attribute__((unused))

/* The cheapest KDF the library accepts: every test vault uses it unless it
 * measures the KDF itself. */
#define FIXTURE_KDF_FLOOR                                                                          \
    {                                                                                              \
        LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MIN, 0                                            \
    }

/* A purpose fixture_create defines: every field, for admin, sales and
 * compliance, on legitimate interest (no consent records needed). */
#define FIXTURE_PURPOSE "qa_all"

typedef struct fixture {
    char dir[256];
    char path[320]; /* dir/vault.lv */
} fixture;

/* Print the library's message and fail when rc is not 0. */
#define FIXTURE_OK(call)                                                                           \
    do {                                                                                           \
        int fixture_rc_ = (call);                                                                  \
        if (fixture_rc_ != 0) {                                                                    \
            print_error("%s:%d: %s = %d (%s): %s\n", __FILE__, __LINE__, #call, fixture_rc_,       \
                        lv_strerror(fixture_rc_), lv_error_last());                                \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

static FIXTURE_UNUSED void fixture_make_dir(fixture *f)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/leadvault-unit.XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/vault.lv", f->dir);
}

/* Remove every file in the fixture's directory, then the directory. */
static FIXTURE_UNUSED void fixture_remove_dir(fixture *f)
{
    DIR *d = opendir(f->dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char file[600];
            snprintf(file, sizeof file, "%s/%s", f->dir, e->d_name);
            unlink(file);
        }
        closedir(d);
    }
    rmdir(f->dir);
}

/* Create a vault at f->path with admin "alice" / passphrase and the
 * purpose FIXTURE_PURPOSE; leaves it open. */
static FIXTURE_UNUSED lv_vault *fixture_create(fixture *f, const char *passphrase)
{
    lv_create_options opts = LV_CREATE_OPTIONS_INIT;
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;
    opts.admin_name = "alice";
    opts.passphrase = passphrase;
    opts.passphrase_len = strlen(passphrase);
    opts.kdf = floor;
    lv_vault *vault = NULL;
    FIXTURE_OK(lv_vault_create(&vault, f->path, &opts));
    assert_non_null(vault);
    FIXTURE_OK(
        lv_purpose_add(vault, FIXTURE_PURPOSE, LV_BASIS_LEGITIMATE_INTEREST, LV_FIELD_MASK_ALL,
                       (1u << LV_ROLE_ADMIN) | (1u << LV_ROLE_SALES) | (1u << LV_ROLE_COMPLIANCE)));
    return vault;
}

/* Open f->path as user; returns the LV code, *out set on success. */
static FIXTURE_UNUSED int fixture_open(lv_vault **out, const fixture *f, const char *user,
                                       const char *passphrase)
{
    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    opts.user = user;
    opts.passphrase = passphrase;
    opts.passphrase_len = passphrase != NULL ? strlen(passphrase) : 0;
    return lv_vault_open(out, f->path, &opts);
}

static FIXTURE_UNUSED lv_vault *fixture_open_ok(const fixture *f, const char *user,
                                                const char *passphrase)
{
    lv_vault *vault = NULL;
    FIXTURE_OK(fixture_open(&vault, f, user, passphrase));
    assert_non_null(vault);
    return vault;
}

static FIXTURE_UNUSED void fixture_add_user(lv_vault *admin, const char *name, lv_role role,
                                            const char *passphrase)
{
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;
    FIXTURE_OK(lv_user_add(admin, name, role, passphrase, strlen(passphrase), &floor));
}

static FIXTURE_UNUSED void fixture_close(lv_vault *vault)
{
    FIXTURE_OK(lv_vault_close(vault));
}

static FIXTURE_UNUSED lv_lead_input fixture_input(void)
{
    lv_lead_input in;
    memset(&in, 0, sizeof in);
    in.version = LV_LEAD_INPUT_VERSION;
    return in;
}

static FIXTURE_UNUSED int fixture_count_one(void *ctx, const lv_lead_meta *meta)
{
    (void)meta;
    ++*(size_t *)ctx;
    return 0;
}

/* Number of leads, through lv_lead_list. */
static FIXTURE_UNUSED size_t fixture_lead_count(lv_vault *vault)
{
    size_t count = 0;
    FIXTURE_OK(lv_lead_list(vault, NULL, fixture_count_one, &count));
    return count;
}

/* Bytes in memory, for lv_write_fn and lv_read_fn callbacks: writes
 * append (growing data, kept NUL-terminated), reads take from at on. */
typedef struct fixture_bytes {
    char *data;
    size_t len, cap, at;
} fixture_bytes;

static FIXTURE_UNUSED int fixture_bytes_write(void *ctx, const char *data, size_t len)
{
    fixture_bytes *b = ctx;
    if (b->len + len + 1 > b->cap) {
        size_t cap = (b->len + len + 1) * 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static FIXTURE_UNUSED int fixture_bytes_read(void *ctx, char *buf, size_t cap, size_t *got)
{
    fixture_bytes *b = ctx;
    size_t n = b->len - b->at < cap ? b->len - b->at : cap;
    memcpy(buf, b->data + b->at, n);
    b->at += n;
    *got = n;
    return 0;
}

/* Whole file into malloc'd memory; NULL (and *len 0) when it does not exist. */
static FIXTURE_UNUSED unsigned char *fixture_read_file(const char *path, size_t *len)
{
    *len = 0;
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *data = malloc(cap);
    assert_non_null(data);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            data = realloc(data, cap);
            assert_non_null(data);
        }
        size_t got = fread(data + n, 1, cap - n, file);
        if (got == 0)
            break;
        n += got;
    }
    fclose(file);
    *len = n;
    return data;
}

static FIXTURE_UNUSED unsigned char fixture_ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Offset of needle in haystack, ASCII letters compared without case when
 * fold is set; -1 when absent. */
static FIXTURE_UNUSED long fixture_find(const unsigned char *haystack, size_t len,
                                        const void *needle_bytes, size_t needle_len, int fold)
{
    const unsigned char *needle = needle_bytes;
    if (needle_len == 0 || needle_len > len)
        return -1;
    for (size_t i = 0; i + needle_len <= len; i++) {
        size_t j = 0;
        if (fold) {
            while (j < needle_len &&
                   fixture_ascii_lower(haystack[i + j]) == fixture_ascii_lower(needle[j]))
                j++;
        } else {
            while (j < needle_len && haystack[i + j] == needle[j])
                j++;
        }
        if (j == needle_len)
            return (long)i;
    }
    return -1;
}

/* Seconds of a monotonic clock. */
static FIXTURE_UNUSED double fixture_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The usual per-test state: a fresh vault in its own directory, alice's
 * session open. cmocka_unit_test_setup_teardown(test, fixture_session_setup,
 * fixture_session_teardown) hands it to the test as *state. */
#define FIXTURE_ALICE_PASS "alice passphrase for the unit tests"

typedef struct fixture_session {
    fixture f;
    lv_vault *vault;
} fixture_session;

static FIXTURE_UNUSED int fixture_session_setup(void **out)
{
    fixture_session *s = calloc(1, sizeof *s);
    assert_non_null(s);
    fixture_make_dir(&s->f);
    s->vault = fixture_create(&s->f, FIXTURE_ALICE_PASS);
    *out = s;
    return 0;
}

static FIXTURE_UNUSED int fixture_session_teardown(void **in)
{
    fixture_session *s = *in;
    if (s->vault != NULL)
        (void)lv_vault_close(s->vault);
    fixture_remove_dir(&s->f);
    free(s);
    return 0;
}

#endif
