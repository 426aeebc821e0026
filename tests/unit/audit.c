/* audit.c - the audit chain (vault/audit.c, vault/audit_verify.c):
 * the worked example of docs/format.md byte for byte, the docs carrying it,
 * every one-byte change of an exported log refused in-process, and an
 * unlocked vault verified against a wrong public key text.
 *
 * Needs LV_DOCS_FORMAT_MD, the path of docs/format.md (a compile
 * definition in tests/CMakeLists.txt). */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <sodium.h>

#include "audit.h"
#include "vault_fixture.h"

#ifndef LV_DOCS_FORMAT_MD
#error "LV_DOCS_FORMAT_MD (the path of docs/format.md) must be defined"
#endif

#define ALICE_PASS FIXTURE_ALICE_PASS
#define AUD_PASS "aud passphrase for the audit tests"

/* ---- the worked example ---- */

#define WORKED_HASH "23bf6ad9ad9e9b402d3e8549195bac7f892bace4026e776b4f5f5fc82fcffa3e"

/* audit_encode of the worked example: "LVA1", seq as two u32be, ten
 * length-prefixed strings, code, the number of ids, the id. */
// clang-format off
static const char worked_encoding_hex[] =
    "4c564131" "00000000" "00000001"                                     /* LVA1, seq 1 */
    "00000018" "323032362d30312d31355430393a33303a30302e3030305a"         /* time */
    "00000005" "616c696365"                                               /* actor */
    "00000005" "73616c6573"                                               /* role */
    "00000005" "616c696365"                                               /* os_user */
    "00000008" "6c6561642e676574"                                         /* action */
    "00000000"                                                            /* subject */
    "0000000b" "656d61696c2c70686f6e65"                                   /* fields */
    "0000000e" "73616c65735f666f6c6c6f777570"                             /* purpose */
    "00000002" "6f6b"                                                     /* outcome */
    "00000000"                                                            /* request */
    "00000000"                                                            /* code */
    "00000001" "0102030405060708090a0b0c0d0e0f10";                        /* one lead id */
// clang-format on

static void worked_entry(store_audit *e, unsigned char ids[LV_ID_BYTES])
{
    memset(e, 0, sizeof *e);
    for (int i = 0; i < LV_ID_BYTES; i++)
        ids[i] = (unsigned char)(i + 1);
    e->seq = 1;
    e->time = "2026-01-15T09:30:00.000Z";
    e->actor = "alice";
    e->role = "sales";
    e->os_user = "alice";
    e->action = "lead.get";
    e->subject = "";
    e->fields = "email,phone";
    e->purpose = "sales_followup";
    e->outcome = "ok";
    e->code = 0;
    e->request = "";
    e->lead_ids = ids;
    e->lead_count = 1;
    /* prev_hash: 32 zero bytes (memset above), as for entry 1. */
}

static void hash_hex(char out[2 * AUDIT_HASH_BYTES + 1], const store_audit *e)
{
    unsigned char hash[AUDIT_HASH_BYTES];
    unsigned char *buf = NULL;
    size_t cap = 0;
    FIXTURE_OK(audit_hash(hash, e, &buf, &cap));
    free(buf);
    sodium_bin2hex(out, 2 * AUDIT_HASH_BYTES + 1, hash, sizeof hash);
}

static void test_worked_example(void **in)
{
    (void)in;
    assert_int_equal(sodium_init() >= 0, 1);
    store_audit e;
    unsigned char ids[LV_ID_BYTES];
    worked_entry(&e, ids);

    unsigned char *buf = NULL;
    size_t cap = 0;
    size_t len = audit_encode(&buf, &cap, &e);
    assert_int_equal(len, 150);
    assert_memory_equal(buf, "LVA1", 4);
    char encoding_hex[2 * 150 + 1];
    sodium_bin2hex(encoding_hex, sizeof encoding_hex, buf, len);
    assert_string_equal(encoding_hex, worked_encoding_hex);
    free(buf);

    char hex[2 * AUDIT_HASH_BYTES + 1];
    hash_hex(hex, &e);
    assert_string_equal(hex, WORKED_HASH);

    /* The hash is BLAKE2b-256(prev_hash || encoding), unkeyed. */
    unsigned char input[32 + 150], direct[32];
    memset(input, 0, 32);
    assert_int_equal(sodium_hex2bin(input + 32, 150, worked_encoding_hex,
                                    sizeof worked_encoding_hex - 1, NULL, &len, NULL),
                     0);
    assert_int_equal(len, 150);
    crypto_generichash(direct, sizeof direct, input, sizeof input, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, direct, sizeof direct);
    assert_string_equal(hex, WORKED_HASH);
}

/* Every part of the entry is in the hash: change one, the hash changes. */
static void test_every_part_hashed(void **in)
{
    (void)in;
    assert_int_equal(sodium_init() >= 0, 1);
    store_audit e;
    unsigned char ids[LV_ID_BYTES];
    char hex[2 * AUDIT_HASH_BYTES + 1];
    const char **text[] = {&e.time,    &e.actor,  &e.role,    &e.os_user, &e.action,
                           &e.subject, &e.fields, &e.purpose, &e.outcome, &e.request};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        worked_entry(&e, ids);
        *text[i] = "x";
        hash_hex(hex, &e);
        assert_string_not_equal(hex, WORKED_HASH);
    }
    worked_entry(&e, ids);
    e.seq = 2;
    hash_hex(hex, &e);
    assert_string_not_equal(hex, WORKED_HASH);
    worked_entry(&e, ids);
    e.code = LV_EDENIED;
    hash_hex(hex, &e);
    assert_string_not_equal(hex, WORKED_HASH);
    worked_entry(&e, ids);
    ids[15] ^= 1;
    hash_hex(hex, &e);
    assert_string_not_equal(hex, WORKED_HASH);
    worked_entry(&e, ids);
    e.lead_count = 0;
    hash_hex(hex, &e);
    assert_string_not_equal(hex, WORKED_HASH);
    worked_entry(&e, ids);
    e.prev_hash[31] = 1;
    hash_hex(hex, &e);
    assert_string_not_equal(hex, WORKED_HASH);
    /* A string moved to its neighbour (length prefixes keep them apart). */
    worked_entry(&e, ids);
    e.subject = "email,phone";
    e.fields = "";
    hash_hex(hex, &e);
    assert_string_not_equal(hex, WORKED_HASH);

    /* code is a two's complement u32be: -5 is ff ff ff fb. */
    worked_entry(&e, ids);
    e.code = LV_EDENIED;
    unsigned char *buf = NULL;
    size_t cap = 0;
    size_t len = audit_encode(&buf, &cap, &e);
    assert_int_equal(len, 150);
    static const unsigned char minus_five[4] = {0xff, 0xff, 0xff, 0xfb};
    assert_memory_equal(buf + 150 - 4 - 4 - LV_ID_BYTES, minus_five, 4);
    free(buf);
}

/* docs/format.md carries the worked example: its hash, in hex. */
static void test_docs_have_worked_example(void **in)
{
    (void)in;
    size_t len = 0;
    unsigned char *docs = fixture_read_file(LV_DOCS_FORMAT_MD, &len);
    if (docs == NULL) {
        print_error("cannot read %s\n", LV_DOCS_FORMAT_MD);
        fail();
    }
    long at = fixture_find(docs, len, WORKED_HASH, strlen(WORKED_HASH), 0);
    free(docs);
    if (at < 0) {
        print_error("%s does not hold the worked example's hash %s\n", LV_DOCS_FORMAT_MD,
                    WORKED_HASH);
        fail();
    }
}

/* ---- a vault's log ---- */

typedef fixture_session state;

static int write_to(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

static void write_file(const char *path, const unsigned char *data, size_t len)
{
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(data, 1, len, out), len);
    assert_int_equal(fclose(out), 0);
}

/* Entries from two sessions (two checkpoints), then the export of the
 * auditor, the checkpoint taken just before it, the public key. */
static void make_export(state *s, const char *log_path, char pubkey[LV_AUDIT_TEXT_MAX],
                        char checkpoint[LV_AUDIT_TEXT_MAX])
{
    fixture_add_user(s->vault, "aud", LV_ROLE_AUDITOR, AUD_PASS);
    fixture_close(s->vault);
    s->vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_FIRST_NAME] = "Ann";
    input.field[LV_FIELD_EMAIL] = "ann@example.com";
    char id[LV_ID_STRLEN + 1];
    FIXTURE_OK(lv_lead_add(s->vault, id, &input));
    lv_lead *lead = NULL;
    FIXTURE_OK(lv_lead_get(&lead, s->vault, id, FIXTURE_PURPOSE, 1u << LV_FIELD_EMAIL));
    lv_lead_free(lead);
    char fingerprint[48];
    FIXTURE_OK(lv_audit_pubkey(s->vault, pubkey, fingerprint));
    fixture_close(s->vault);

    s->vault = fixture_open_ok(&s->f, "aud", AUD_PASS);
    FIXTURE_OK(lv_audit_checkpoint(s->vault, checkpoint));
    FILE *out = fopen(log_path, "wb");
    assert_non_null(out);
    FIXTURE_OK(lv_audit_export(s->vault, write_to, out));
    assert_int_equal(fclose(out), 0);
    fixture_close(s->vault);
    s->vault = NULL;
}

/* Every byte of an exported log, its low bit flipped: refused with
 * LV_ECORRUPT and a reason, with and without the outside checkpoint. The
 * CLI case audit_log_offline.t does this through the command at spread
 * positions; here every position, quickly, under the sanitizers too. */
static void test_exported_log_every_byte(void **in)
{
    state *s = *in;
    char log_path[400], mutant_path[400];
    snprintf(log_path, sizeof log_path, "%s/log.jsonl", s->f.dir);
    snprintf(mutant_path, sizeof mutant_path, "%s/mutant.jsonl", s->f.dir);
    char pubkey[LV_AUDIT_TEXT_MAX], checkpoint[LV_AUDIT_TEXT_MAX];
    make_export(s, log_path, pubkey, checkpoint);

    lv_audit_report report;
    FIXTURE_OK(lv_audit_verify_log(log_path, pubkey, checkpoint, &report));
    assert_int_equal(report.entries, 5);
    assert_int_equal(report.checkpoints, 2);
    assert_int_equal(report.extends_checkpoint, 1);
    assert_int_equal(report.unsigned_tail, 0);

    size_t len = 0;
    unsigned char *log = fixture_read_file(log_path, &len);
    assert_non_null(log);
    assert_true(len > 1000);
    unsigned long wrong = 0;
    for (size_t i = 0; i < len; i++) {
        log[i] ^= 1;
        write_file(mutant_path, log, len);
        log[i] ^= 1;
        for (int with_checkpoint = 0; with_checkpoint < 2; with_checkpoint++) {
            int rc = lv_audit_verify_log(mutant_path, pubkey, with_checkpoint ? checkpoint : NULL,
                                         &report);
            if (rc != LV_ECORRUPT || report.reason[0] == '\0') {
                if (wrong++ < 20)
                    print_error("byte %zu ('%c') flipped%s: rc %d, entry %llu, reason \"%s\"\n", i,
                                log[i] >= 32 && log[i] < 127 ? log[i] : '?',
                                with_checkpoint ? " (with checkpoint)" : "", rc,
                                (unsigned long long)report.first_bad_seq, report.reason);
            }
        }
    }
    free(log);
    if (wrong > 0) {
        print_error("%lu of %zu one-byte changes were not refused\n", wrong, 2 * len);
        fail();
    }
}

/* An unlocked vault given a public key text that is not its own: another
 * vault's key file, and its own key file with another key in it. (The CLI
 * opens the vault locked whenever --pubkey is given.) */
static void test_unlocked_wrong_key(void **in)
{
    state *s = *in;
    char own[LV_AUDIT_TEXT_MAX], other[LV_AUDIT_TEXT_MAX], fingerprint[48];
    FIXTURE_OK(lv_audit_pubkey(s->vault, own, fingerprint));
    fixture second;
    fixture_make_dir(&second);
    lv_vault *other_vault = fixture_create(&second, ALICE_PASS);
    FIXTURE_OK(lv_audit_pubkey(other_vault, other, fingerprint));
    fixture_close(other_vault);
    fixture_remove_dir(&second);

    /* The first line (vault id) of own, the key line of other. */
    char mixed[LV_AUDIT_TEXT_MAX];
    const char *own_nl = strchr(own, '\n'), *other_nl = strchr(other, '\n');
    assert_non_null(own_nl);
    assert_non_null(other_nl);
    snprintf(mixed, sizeof mixed, "%.*s%s", (int)(own_nl - own + 1), own, other_nl + 1);
    assert_string_not_equal(mixed, own);
    assert_memory_equal(mixed, own, (size_t)(own_nl - own + 1));

    /* Signed checkpoints exist only once a session closed. */
    fixture_close(s->vault);
    s->vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);

    lv_audit_report report;
    FIXTURE_OK(lv_audit_verify(s->vault, NULL, NULL, &report));
    assert_int_equal(report.checkpoints, 1);
    FIXTURE_OK(lv_audit_verify(s->vault, own, NULL, &report));

    assert_int_equal(lv_audit_verify(s->vault, other, NULL, &report), LV_ECORRUPT);
    assert_int_equal(report.first_bad_seq, 1);
    assert_non_null(strstr(report.reason, "another vault"));

    assert_int_equal(lv_audit_verify(s->vault, mixed, NULL, &report), LV_ECORRUPT);
    /* Named by the entry the first checkpoint signs: the fixture's session
     * (vault.create, purpose.add) signed at size 2. */
    assert_int_equal(report.first_bad_seq, 2);
    assert_non_null(strstr(report.reason, "does not verify"));
}

/* An action missing from vault/audit_action.c's table is never written:
 * audit_append refuses it, so the operation fails and the log is as it
 * was (tests/unit/audit_action.c checks that every action in the sources
 * is in the table). */
static void test_unknown_action_refused(void **in)
{
    state *s = *in;
    uint64_t before = 0, after = 0;
    unsigned char head[32];
    FIXTURE_OK(store_audit_head(s->vault->store, &before, head));
    FIXTURE_OK(store_begin(s->vault->store));
    audit_event event = {.action = "lead.teleport"};
    assert_int_equal(audit_append(s->vault, &event), LV_ERROR);
    assert_non_null(strstr(lv_error_last(), "audit action lead.teleport is not in the table"));
    event.action = NULL;
    assert_int_equal(audit_append(s->vault, &event), LV_ERROR);
    /* a known one goes through in the same transaction */
    event.action = "stats";
    FIXTURE_OK(audit_append(s->vault, &event));
    FIXTURE_OK(store_commit(s->vault->store));
    FIXTURE_OK(store_audit_head(s->vault->store, &after, head));
    assert_int_equal(after, before + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_every_part_hashed),
        cmocka_unit_test(test_docs_have_worked_example),
        cmocka_unit_test_setup_teardown(test_exported_log_every_byte, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_unlocked_wrong_key, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_action_refused, fixture_session_setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
