/* keys.c - the key hierarchy (vault/keys.c, vault/keyslot.c) below
 * the public API: KDF parameters resolved and bounded, a failing Argon2id
 * reported and its output wiped, the random generator after fork(), and
 * keyslots refusing every field changed behind their back. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <sodium.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "envelope.h"
#include "keys.h"
#include "keyslot.h"
#include "vault_fixture.h"

#define PASS "bob passphrase for the key tests"

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static int all_bytes(const unsigned char *p, size_t len, unsigned char value)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != value)
            return 0;
    }
    return 1;
}

/* ---- KDF parameters ---- */

/* Zero members take the documented defaults. */
static void test_kdf_defaults(void **state)
{
    (void)state;
    lv_kdf_params p = {0, 0, 0};
    FIXTURE_OK(kdf_params_resolve(&p));
    assert_int_equal(p.memory_kib, LV_KDF_MEMORY_KIB_DEFAULT);
    assert_int_equal(p.iterations, LV_KDF_ITERATIONS_DEFAULT);
    assert_int_equal(p.parallelism, LV_KDF_PARALLELISM_DEFAULT);

    lv_kdf_params floor = {LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MIN, 1};
    lv_kdf_params kept = floor;
    FIXTURE_OK(kdf_params_resolve(&kept));
    assert_memory_equal(&kept, &floor, sizeof floor);
}

/* Each bound refused with LV_EINVAL and a message naming it; one past the
 * limit fails, the limit itself passes. */
static void test_kdf_bounds(void **state)
{
    (void)state;
    static const struct {
        lv_kdf_params params;
        const char *message; /* NULL: accepted */
    } cases[] = {
        {{LV_KDF_MEMORY_KIB_MIN - 1, 2, 1}, "KDF memory below the floor of 19 MiB"},
        {{LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MIN - 1, 1},
         "KDF iterations below the floor of 2"},
        {{LV_KDF_MEMORY_KIB_MIN, 2, LV_KDF_PARALLELISM_MAX + 1}, "KDF parallelism above 64"},
        {{LV_KDF_MEMORY_KIB_MIN, 2, LV_KDF_PARALLELISM_MAX}, NULL},
        {{LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MAX + 1, 1}, "KDF iterations above 64"},
        {{LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MAX, 1}, NULL},
        {{LV_KDF_MEMORY_KIB_MAX + 1, 2, 1}, "KDF memory above 4096 MiB"},
        {{LV_KDF_MEMORY_KIB_MAX, 2, 1}, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lv_kdf_params p = cases[i].params;
        int rc = kdf_params_resolve(&p);
        if (cases[i].message == NULL) {
            assert_int_equal(rc, 0);
            continue;
        }
        assert_int_equal(rc, LV_EINVAL);
        assert_string_equal(lv_error_last(), cases[i].message);
    }
}

/* ---- Argon2id failing ---- */

/* An error from libargon2 is LV_ERROR with its message, and the output
 * buffer holds nothing of a half-computed key. */
static void test_kdf_derive_error_wipes(void **state)
{
    (void)state;
    lv_kdf_params p = {LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MIN, 1};
    unsigned char salt[SALT_BYTES] = {1, 2, 3};
    unsigned char kek[KEY_BYTES];
    memset(kek, 0xa5, sizeof kek);
    /* A NULL passphrase with a length: libargon2 refuses the pointer. */
    assert_int_equal(kdf_derive(kek, NULL, 5, salt, &p), LV_ERROR);
    assert_non_null(strstr(lv_error_last(), "key derivation failed: "));
    assert_true(all_bytes(kek, sizeof kek, 0));

    /* The same call with the passphrase gives a key (the wipe is not a
     * blanket memset of every result). */
    FIXTURE_OK(kdf_derive(kek, PASS, strlen(PASS), salt, &p));
    assert_false(all_bytes(kek, sizeof kek, 0));
}

/* Parameters within bounds that the machine cannot afford (4 GiB on a
 * small box): "out of memory", not a crash, and the output wiped. The
 * address-space limit stands in for the small box; ASan reserves far more
 * address space than any such limit allows, so it is skipped there. */
static void test_kdf_derive_out_of_memory(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip();
#else
    long pages = 0;
    FILE *statm = fopen("/proc/self/statm", "r");
    assert_non_null(statm);
    assert_int_equal(fscanf(statm, "%ld", &pages), 1);
    fclose(statm);
    struct rlimit saved, limited;
    assert_int_equal(getrlimit(RLIMIT_AS, &saved), 0);
    limited = saved;
    limited.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (rlim_t)256 * 1024 * 1024;
    if (saved.rlim_cur != RLIM_INFINITY && saved.rlim_cur < limited.rlim_cur)
        limited.rlim_cur = saved.rlim_cur;
    assert_int_equal(setrlimit(RLIMIT_AS, &limited), 0);

    lv_kdf_params p = {1024u * 1024u, LV_KDF_ITERATIONS_MIN, 1}; /* 1 GiB */
    FIXTURE_OK(kdf_params_resolve(&p));
    unsigned char salt[SALT_BYTES] = {0};
    unsigned char kek[KEY_BYTES];
    memset(kek, 0xa5, sizeof kek);
    int rc = kdf_derive(kek, PASS, strlen(PASS), salt, &p);
    assert_int_equal(setrlimit(RLIMIT_AS, &saved), 0);

    assert_int_equal(rc, LV_ERROR);
    assert_string_equal(lv_error_last(), "key derivation: out of memory");
    assert_true(all_bytes(kek, sizeof kek, 0));
#endif
}

/* ---- the random generator and fork() ---- */

/* A forked child must not replay the parent's stream: the generator state
 * is copied by fork(), so without the atfork hook both would print the
 * same bytes next. */
static void test_random_after_fork(void **state)
{
    (void)state;
    unsigned char warm[16];
    key_random(warm, sizeof warm); /* the state exists before the fork */

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        unsigned char child[64];
        key_random(child, sizeof child);
        ssize_t n = write(fds[1], child, sizeof child);
        key_random_release();
        exit(n == (ssize_t)sizeof child ? 0 : 1); /* exit, not _exit: gcov counts */
    }
    close(fds[1]);
    unsigned char parent[64], child[64];
    key_random(parent, sizeof parent);
    size_t got = 0;
    while (got < sizeof child) {
        ssize_t n = read(fds[0], child + got, sizeof child - got);
        assert_true(n > 0);
        got += (size_t)n;
    }
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_memory_not_equal(parent, child, sizeof parent);

    /* And the parent's own stream goes on without repeating. */
    unsigned char again[64];
    key_random(again, sizeof again);
    assert_memory_not_equal(parent, again, sizeof again);
}

/* ---- keyslots ---- */

static const unsigned char vault_id[LV_ID_BYTES] = {0x10, 0x20, 0x30, 0x40};

static void make_slot(store_keyslot *slot, keyring **ring)
{
    *ring = keyring_new_generation(NULL, 1);
    assert_non_null(*ring);
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;
    FIXTURE_OK(keyslot_make(slot, *ring, vault_id, "bob", LV_ROLE_SALES, NULL, NULL, PASS,
                            strlen(PASS), &floor, 1767225600000));
}

/* As an unlock does it: open the slot, then check its MAC under the
 * vault's record-MAC key (which the envelope gives). */
static int unlock(const store_keyslot *slot, const keyring *ring, const char *pass)
{
    unsigned char *secret = sodium_malloc(KEY_BYTES);
    assert_non_null(secret);
    int rc = keyslot_open(secret, NULL, slot, vault_id, pass, strlen(pass));
    if (rc == 0) {
        unsigned char public_key[BOX_KEY_BYTES];
        assert_int_equal(crypto_scalarmult_base(public_key, secret), 0);
        assert_memory_equal(public_key, slot->public_key, BOX_KEY_BYTES);
        if (!keyslot_mac_valid(slot, ring, vault_id))
            rc = LV_ECORRUPT;
    }
    sodium_free(secret);
    return rc;
}

static void test_keyslot_empty_passphrase(void **state)
{
    (void)state;
    keyring *ring = keyring_new_generation(NULL, 1);
    assert_non_null(ring);
    store_keyslot slot;
    assert_int_equal(keyslot_make(&slot, ring, vault_id, "bob", LV_ROLE_SALES, NULL, NULL, "", 0,
                                  NULL, 0),
                     LV_EINVAL);
    assert_string_equal(lv_error_last(), "the passphrase is empty");
    assert_int_equal(keyslot_make(&slot, ring, vault_id, "bob", LV_ROLE_SALES, NULL, NULL, NULL,
                                  3, NULL, 0),
                     LV_EINVAL);
    /* Nothing of a slot is left filled in. */
    assert_true(all_bytes((const unsigned char *)&slot, sizeof slot, 0));
    keyring_free(ring);
}

/* The slot opens to its key pair; its role, creation time or public key
 * edited in the file (what a user would do to become admin) fails the MAC. */
static void test_keyslot_fields_authenticated(void **state)
{
    (void)state;
    store_keyslot slot;
    keyring *ring = NULL;
    make_slot(&slot, &ring);
    assert_int_equal(slot.kind, KEYSLOT_KIND_X25519);
    FIXTURE_OK(unlock(&slot, ring, PASS));

    store_keyslot edited = slot;
    edited.role = LV_ROLE_ADMIN;
    assert_int_equal(unlock(&edited, ring, PASS), LV_ECORRUPT);

    edited = slot;
    edited.created += 1;
    assert_int_equal(unlock(&edited, ring, PASS), LV_ECORRUPT);

    /* The MAC is under the record-MAC key: a slot's own MAC does not fit
     * the same slot in another vault, nor under another generation's
     * keys that kept no record-MAC key. */
    static const unsigned char other_vault[LV_ID_BYTES] = {0x99};
    assert_false(keyslot_mac_valid(&slot, ring, other_vault));
    keyring *other = keyring_new_generation(NULL, 2);
    keyring *next = keyring_new_generation(ring, 2);
    assert_false(keyslot_mac_valid(&slot, other, vault_id));
    assert_true(keyslot_mac_valid(&slot, next, vault_id));
    keyring_free(other);
    keyring_free(next);
    keyring_free(ring);
}

/* What feeds the passphrase check (wrapped key, its format byte, the name
 * and public key in its associated data) cannot be told from a wrong
 * passphrase: LV_EAUTH. */
static void test_keyslot_wrapped_key_bound(void **state)
{
    (void)state;
    store_keyslot slot;
    keyring *ring = NULL;
    make_slot(&slot, &ring);

    store_keyslot edited = slot;
    edited.wrapped[WRAPPED_KEY_BYTES - 1] ^= 1;
    assert_int_equal(unlock(&edited, ring, PASS), LV_EAUTH);

    edited = slot;
    edited.wrapped[0] = FORMAT_VERSION + 1;
    assert_int_equal(unlock(&edited, ring, PASS), LV_EAUTH);

    edited = slot;
    memcpy(edited.name, "bod", 4);
    assert_int_equal(unlock(&edited, ring, PASS), LV_EAUTH);

    edited = slot;
    edited.public_key[0] ^= 1;
    assert_int_equal(unlock(&edited, ring, PASS), LV_EAUTH);

    assert_int_equal(unlock(&slot, ring, "bob"), LV_EAUTH);
    assert_string_equal(lv_error_last(), "wrong passphrase or unknown user");
    keyring_free(ring);
}

/* An envelope opens with its user's pair into exactly the role's keys,
 * which match the generation's commitments; sealed to another user, for
 * another role or generation, or with keys not committed to, it is
 * refused (LV_ECORRUPT). An auditor's envelope holds no key but the
 * record-MAC key. */
static void test_envelope_roles_and_commitments(void **state)
{
    (void)state;
    keyring *ring = keyring_new_generation(NULL, 1);
    store_keygen row;
    keygen_make(&row, ring, vault_id, KEYGEN_CURRENT);
    unsigned char pk[BOX_KEY_BYTES], sk[BOX_KEY_BYTES];
    crypto_box_keypair(pk, sk);
    unsigned char sealed[ENVELOPE_MAX];
    size_t len = 0;
    FIXTURE_OK(envelope_seal(sealed, &len, ring, vault_id, "bob", LV_ROLE_SALES, pk));
    keyring *opened = keyring_alloc();
    int role = -1;
    FIXTURE_OK(envelope_open(opened, sealed, len, sk, pk, vault_id, "bob", 1, &role));
    assert_int_equal(role, LV_ROLE_SALES);
    keyring_finish(opened);
    assert_int_equal(opened->present, KEYSET_ALL);
    assert_memory_equal(opened->subkey, ring->subkey, sizeof ring->subkey);
    FIXTURE_OK(keygen_check(opened, &row, vault_id));
    keyring_free(opened);

    opened = keyring_alloc();
    assert_int_equal(envelope_open(opened, sealed, len, sk, pk, vault_id, "eve", 1, &role),
                     LV_ECORRUPT);
    keyring_free(opened);
    opened = keyring_alloc();
    assert_int_equal(envelope_open(opened, sealed, len, sk, pk, vault_id, "bob", 2, &role),
                     LV_ECORRUPT);
    keyring_free(opened);

    FIXTURE_OK(envelope_seal(sealed, &len, ring, vault_id, "ann", LV_ROLE_AUDITOR, pk));
    opened = keyring_alloc();
    FIXTURE_OK(envelope_open(opened, sealed, len, sk, pk, vault_id, "ann", 1, &role));
    assert_int_equal(role, LV_ROLE_AUDITOR);
    keyring_finish(opened);
    assert_int_equal(opened->present, KEY_BIT(SUBKEY_RECORD_MAC) | KEY_BIT(SUBKEY_DIGEST));
    for (int i = 0; i < SUBKEY_COUNT; i++) {
        if (i != SUBKEY_RECORD_MAC && i != SUBKEY_DIGEST)
            assert_true(all_bytes(opened->subkey[i], KEY_BYTES, 0));
    }
    assert_true(all_bytes(opened->sign_secret, sizeof opened->sign_secret, 0));
    assert_int_equal(keyring_require(opened, SUBKEY_DATA_WRAP), LV_EDENIED);
    assert_null(keyring_wrap_for(opened, 1));
    FIXTURE_OK(keygen_check(opened, &row, vault_id));
    keyring_free(opened);

    /* A forged envelope: other keys sealed to the same user. */
    keyring *forged = keyring_new_generation(ring, 1);
    FIXTURE_OK(envelope_seal(sealed, &len, forged, vault_id, "bob", LV_ROLE_SALES, pk));
    opened = keyring_alloc();
    FIXTURE_OK(envelope_open(opened, sealed, len, sk, pk, vault_id, "bob", 1, &role));
    keyring_finish(opened);
    assert_int_equal(keygen_check(opened, &row, vault_id), LV_ECORRUPT);
    keyring_free(opened);
    keyring_free(forged);
    keyring_free(ring);
}

/* The ring's pre-keyed BLAKE2b states give exactly the hash of the
 * one-shot keyed call with the subkey and output length they stand for
 * (blind-index tags, suppression hashes and record MACs of existing
 * vaults depend on it), for inputs of 0 to 300 bytes. */
static void test_keyed_states_match_one_shot(void **state)
{
    (void)state;
    static const struct {
        keyed_id keyed;
        subkey_id subkey;
        size_t out_len;
    } cases[] = {{KEYED_INDEX_EMAIL, SUBKEY_INDEX_EMAIL, 16},
                 {KEYED_INDEX_PHONE, SUBKEY_INDEX_PHONE, 16},
                 {KEYED_SUPPRESS, SUBKEY_SUPPRESS, 32},
                 {KEYED_RECORD_MAC, SUBKEY_RECORD_MAC, 32}};
    keyring *ring = keyring_new_generation(NULL, 1);
    assert_non_null(ring);
    unsigned char data[300];
    randombytes_buf(data, sizeof data);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t len = 0; len <= sizeof data; len += 13) {
            unsigned char want[32], got[32];
            crypto_generichash(want, cases[c].out_len, data, len, ring->subkey[cases[c].subkey],
                               KEY_BYTES);
            crypto_generichash_blake2b_state st;
            key_hash_begin(&st, ring, cases[c].keyed);
            crypto_generichash_blake2b_update(&st, data, len);
            crypto_generichash_blake2b_final(&st, got, cases[c].out_len);
            assert_memory_equal(want, got, cases[c].out_len);
        }
    }
    keyring_free(ring);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kdf_defaults),
        cmocka_unit_test(test_kdf_bounds),
        cmocka_unit_test(test_kdf_derive_error_wipes),
        cmocka_unit_test(test_kdf_derive_out_of_memory),
        cmocka_unit_test(test_random_after_fork),
        cmocka_unit_test(test_keyslot_empty_passphrase),
        cmocka_unit_test(test_keyslot_fields_authenticated),
        cmocka_unit_test(test_keyslot_wrapped_key_bound),
        cmocka_unit_test(test_envelope_roles_and_commitments),
        cmocka_unit_test(test_keyed_states_match_one_shot),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
