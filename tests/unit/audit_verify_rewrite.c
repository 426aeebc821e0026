/* audit_verify_rewrite.c - exported audit logs changed the way someone with
 * the file but not the signing key would (vault/audit_verify.c): an entry
 * edited and the whole chain re-hashed so every link holds, checkpoint
 * lines dropped, an entry's code pushed out of range. Only the signed
 * checkpoints (in the log, or kept outside) can tell; these show they do,
 * and that a re-hashed but unedited log still verifies (so a refusal is
 * the edit's doing, not the rewriter's). tests/unit/audit.c flips single bytes. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "checkpoint.h"
#include "vault_fixture.h"

#define ALICE_PASS "alice passphrase for the rewrite tests"
#define AUD_PASS "aud passphrase for the rewrite tests"

typedef struct state {
    fixture f;
    char log[400];    /* the export as written */
    char mutant[400]; /* the rewritten copy */
    char pubkey[LV_AUDIT_TEXT_MAX];
    char checkpoint[LV_AUDIT_TEXT_MAX];
    uint64_t checkpoint_size;
} state;

static int write_to(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* Two sessions of alice's, each signing a checkpoint when it closes (at 2
 * entries: vault.create, purpose.add; at 4: user.add, lead.add), then the
 * auditor's checkpoint text and export. */
static int setup(void **in)
{
    state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    fixture_make_dir(&s->f);
    snprintf(s->log, sizeof s->log, "%s/log.jsonl", s->f.dir);
    snprintf(s->mutant, sizeof s->mutant, "%s/mutant.jsonl", s->f.dir);
    lv_vault *vault = fixture_create(&s->f, ALICE_PASS);
    fixture_close(vault);
    vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    fixture_add_user(vault, "aud", LV_ROLE_AUDITOR, AUD_PASS);
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_EMAIL] = "ann@example.com";
    char id[LV_ID_STRLEN + 1], fingerprint[48];
    FIXTURE_OK(lv_lead_add(vault, id, &input));
    FIXTURE_OK(lv_audit_pubkey(vault, s->pubkey, fingerprint));
    fixture_close(vault);

    vault = fixture_open_ok(&s->f, "aud", AUD_PASS);
    FIXTURE_OK(lv_audit_checkpoint(vault, s->checkpoint));
    checkpoint_signed cp;
    FIXTURE_OK(checkpoint_parse(&cp, s->checkpoint));
    s->checkpoint_size = cp.size;
    FILE *out = fopen(s->log, "wb");
    assert_non_null(out);
    FIXTURE_OK(lv_audit_export(vault, write_to, out));
    assert_int_equal(fclose(out), 0);
    fixture_close(vault);
    *in = s;
    return 0;
}

static int teardown(void **in)
{
    state *s = *in;
    fixture_remove_dir(&s->f);
    free(s);
    return 0;
}

static void hex_to_bin(unsigned char *out, size_t len, const char *hex)
{
    size_t got = 0;
    assert_non_null(hex);
    assert_int_equal(sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got, NULL), 0);
    assert_int_equal(got, len);
}

static void set_hex(json_t *o, const char *key, const unsigned char *bin, size_t len)
{
    char hex[2 * 32 + 1];
    sodium_bin2hex(hex, sizeof hex, bin, len);
    assert_int_equal(json_object_set_new(o, key, json_string(hex)), 0);
}

/* Re-hash entry o onto prev (32 bytes), which becomes its hash. */
static void rehash(json_t *o, unsigned char prev[32])
{
    store_audit e;
    memset(&e, 0, sizeof e);
    const char **text[] = {&e.time,    &e.actor,  &e.role,    &e.os_user, &e.action,
                           &e.subject, &e.fields, &e.purpose, &e.outcome, &e.request};
    static const char *const keys[] = {"time",    "actor",  "role",    "os_user", "action",
                                       "subject", "fields", "purpose", "outcome", "request"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        *text[i] = json_string_value(json_object_get(o, keys[i]));
        assert_non_null(*text[i]);
    }
    e.seq = (uint64_t)json_integer_value(json_object_get(o, "seq"));
    e.code = (int)json_integer_value(json_object_get(o, "code"));
    json_t *list = json_object_get(o, "lead_ids");
    e.lead_count = json_array_size(list);
    unsigned char *ids = malloc(e.lead_count * LV_ID_BYTES + 1);
    assert_non_null(ids);
    for (size_t i = 0; i < e.lead_count; i++)
        hex_to_bin(ids + i * LV_ID_BYTES, LV_ID_BYTES, json_string_value(json_array_get(list, i)));
    e.lead_ids = ids;
    memcpy(e.prev_hash, prev, 32);
    unsigned char *buf = NULL;
    size_t cap = 0;
    FIXTURE_OK(audit_hash(prev, &e, &buf, &cap));
    free(buf);
    free(ids);
    set_hex(o, "prev_hash", e.prev_hash, 32);
    set_hex(o, "hash", prev, 32);
}

typedef enum rewrite_flags {
    REWRITE_EDIT_ENTRY_2 = 1,     /* entry 2's os_user becomes "mallory" */
    REWRITE_DROP_CHECKPOINTS = 2, /* leave out every checkpoint line */
} rewrite_flags;

/* Copy s->log to s->mutant with the chain recomputed from entry 1 on, so
 * that every hash and link matches the (possibly edited) content. Returns
 * the number of entries. */
static uint64_t rewrite(const state *s, unsigned flags)
{
    size_t len = 0;
    unsigned char *log = fixture_read_file(s->log, &len);
    assert_non_null(log);
    FILE *out = fopen(s->mutant, "wb");
    assert_non_null(out);
    unsigned char prev[32] = {0};
    uint64_t entries = 0;
    size_t line = 0;
    for (size_t at = 0; at < len; line++) {
        const unsigned char *nl = memchr(log + at, '\n', len - at);
        assert_non_null(nl);
        size_t n = (size_t)(nl - (log + at));
        json_error_t jerr;
        json_t *o = json_loadb((const char *)log + at, n, 0, &jerr);
        assert_non_null(o);
        at += n + 1;
        const char *type = json_string_value(json_object_get(o, "type"));
        if (line > 0 && type == NULL) {
            entries++;
            if ((flags & REWRITE_EDIT_ENTRY_2) &&
                json_integer_value(json_object_get(o, "seq")) == 2)
                assert_int_equal(json_object_set_new(o, "os_user", json_string("mallory")), 0);
            rehash(o, prev);
        } else if (type != NULL && strcmp(type, "checkpoint") == 0 &&
                   (flags & REWRITE_DROP_CHECKPOINTS)) {
            json_decref(o);
            continue;
        }
        char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_non_null(text);
        assert_true(fputs(text, out) >= 0 && fputc('\n', out) == '\n');
        free(text);
        json_decref(o);
    }
    assert_int_equal(fclose(out), 0);
    free(log);
    return entries;
}

/* The rewriter alone changes nothing that matters: the log verifies. */
static void test_rehashed_log_verifies(void **in)
{
    state *s = *in;
    lv_audit_report report;
    uint64_t entries = rewrite(s, 0);
    FIXTURE_OK(lv_audit_verify_log(s->mutant, s->pubkey, s->checkpoint, &report));
    assert_int_equal(report.entries, entries);
    assert_int_equal(report.checkpoints, 2);
    assert_int_equal(report.extends_checkpoint, 1);
}

/* An edited entry, re-hashed: every link holds, the first stored
 * checkpoint signed after it does not. */
static void test_edited_and_rehashed(void **in)
{
    state *s = *in;
    lv_audit_report report;
    rewrite(s, REWRITE_EDIT_ENTRY_2);
    assert_int_equal(lv_audit_verify_log(s->mutant, s->pubkey, NULL, &report), LV_ECORRUPT);
    /* The fixture's first session (vault.create, purpose.add) signed at 2. */
    assert_int_equal(report.first_bad_seq, 2);
    assert_string_equal(report.reason,
                        "chain differs from the checkpoint signed at size 2 (log rewritten)");

    /* Checkpoint lines dropped as well: with none in the log and none
     * given, the log proves nothing and is refused; an outside checkpoint
     * still catches the edit. */
    rewrite(s, REWRITE_EDIT_ENTRY_2 | REWRITE_DROP_CHECKPOINTS);
    assert_int_equal(lv_audit_verify_log(s->mutant, s->pubkey, NULL, &report), LV_ECORRUPT);
    assert_int_equal(report.first_bad_seq, 1);
    assert_string_equal(report.reason, "the log has no signed checkpoint (deleted?)");
    assert_int_equal(lv_audit_verify_log(s->mutant, s->pubkey, s->checkpoint, &report),
                     LV_ECORRUPT);
    assert_int_equal(report.first_bad_seq, s->checkpoint_size);
    assert_non_null(strstr(report.reason, "does not extend the outside checkpoint"));
}

/* Checkpoint lines dropped from an unedited log: the outside checkpoint
 * alone vouches for it, and the report says how far. */
static void test_only_outside_checkpoint(void **in)
{
    state *s = *in;
    lv_audit_report report;
    uint64_t entries = rewrite(s, REWRITE_DROP_CHECKPOINTS);
    FIXTURE_OK(lv_audit_verify_log(s->mutant, s->pubkey, s->checkpoint, &report));
    assert_int_equal(report.checkpoints, 0);
    assert_int_equal(report.entries, entries);
    assert_int_equal(report.signed_size, s->checkpoint_size);
    assert_int_equal(report.unsigned_tail, entries - s->checkpoint_size);
    assert_int_equal(report.extends_checkpoint, 1);
}

/* A code that does not fit the int32 the chain hashes is a malformed line,
 * not a value silently truncated into a matching one. */
static void test_code_out_of_range(void **in)
{
    state *s = *in;
    size_t len = 0;
    unsigned char *log = fixture_read_file(s->log, &len);
    assert_non_null(log);
    static const char *const codes[] = {"\"code\":4294967296,", "\"code\":-2147483649,",
                                        "\"code\":2147483648,"};
    const char *at = strstr((const char *)log, "\"code\":0,");
    assert_non_null(at);
    size_t before = (size_t)(at - (const char *)log), old = strlen("\"code\":0,");
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        FILE *out = fopen(s->mutant, "wb");
        assert_non_null(out);
        assert_int_equal(fwrite(log, 1, before, out), before);
        assert_true(fputs(codes[i], out) >= 0);
        assert_int_equal(fwrite(at + old, 1, len - before - old, out), len - before - old);
        assert_int_equal(fclose(out), 0);
        lv_audit_report report;
        assert_int_equal(lv_audit_verify_log(s->mutant, s->pubkey, NULL, &report), LV_ECORRUPT);
        assert_non_null(strstr(report.reason, ": malformed entry"));
    }
    free(log);
}

static void test_verify_log_arguments(void **in)
{
    state *s = *in;
    lv_audit_report report;
    assert_int_equal(lv_audit_verify_log(s->log, NULL, NULL, &report), LV_EINVAL);
    assert_string_equal(lv_error_last(), "verifying an exported log needs the public key");
    assert_int_equal(lv_audit_verify_log(s->mutant, s->pubkey, NULL, &report), LV_ENOTFOUND);
    assert_non_null(strstr(lv_error_last(), "cannot open"));
    FIXTURE_OK(lv_audit_verify_log(s->log, s->pubkey, NULL, &report));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rehashed_log_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edited_and_rehashed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_outside_checkpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_log_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
