/* checkpoint.c - the texts kept outside the vault (vault/checkpoint.c)
 * and what the library does with them (vault/audit_read.c,
 * vault/audit_verify.c): every malformed line of a checkpoint or public key
 * refused, a checkpoint that covers entries written without a key (a failed
 * unlock), a locked vault that has no key to give, and an outside
 * checkpoint of another vault or with a broken signature. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <sodium.h>

#include "checkpoint.h"
#include "vault_fixture.h"

#define ALICE_PASS FIXTURE_ALICE_PASS

typedef fixture_session state;

/* text with the first occurrence of from replaced by to. */
static void replace(char out[LV_AUDIT_TEXT_MAX], const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    int n =
        snprintf(out, LV_AUDIT_TEXT_MAX, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    assert_true(n > 0 && n < LV_AUDIT_TEXT_MAX);
}

/* ---- the texts ---- */

static void sample_checkpoint(checkpoint_signed *cp)
{
    memset(cp, 0, sizeof *cp);
    for (int i = 0; i < LV_ID_BYTES; i++)
        cp->vault_id[i] = (unsigned char)(0xa0 + i);
    cp->size = 42;
    for (int i = 0; i < 32; i++)
        cp->head[i] = (unsigned char)i;
    snprintf(cp->time, sizeof cp->time, "%s", "2026-01-15T09:30:00.000Z");
    for (int i = 0; i < 64; i++)
        cp->signature[i] = (unsigned char)(255 - i);
}

/* A checkpoint with the state digest's line (format 2): it parses back,
 * a damaged digest line is refused, and the signature covers the line. */
static void test_checkpoint_digest_text(void **in)
{
    (void)in;
    checkpoint_signed cp, back;
    sample_checkpoint(&cp);
    cp.has_digest = 1;
    for (int i = 0; i < 32; i++)
        cp.digest[i] = (unsigned char)(0x40 + i);
    unsigned char pk[32], sk[64];
    crypto_sign_keypair(pk, sk);
    char body[CHECKPOINT_BODY_MAX];
    size_t n = checkpoint_body(body, cp.vault_id, cp.size, cp.head, cp.time, cp.digest);
    assert_true(n > 0);
    assert_non_null(strstr(body, "\ndigest QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=\n"));
    crypto_sign_detached(cp.signature, NULL, (const unsigned char *)body, n, sk);
    char text[LV_AUDIT_TEXT_MAX], bad[LV_AUDIT_TEXT_MAX];
    checkpoint_format(text, &cp);
    FIXTURE_OK(checkpoint_parse(&back, text));
    assert_memory_equal(&back, &cp, sizeof cp);
    assert_true(checkpoint_signature_valid(&back, pk));
    /* A changed commitment, or the line left out, breaks the signature. */
    back.digest[5] ^= 1;
    assert_false(checkpoint_signature_valid(&back, pk));
    back.digest[5] ^= 1;
    back.has_digest = 0;
    assert_false(checkpoint_signature_valid(&back, pk));
    static const struct {
        const char *from, *to, *message;
    } cases[] = {
        {"\ndigest ", "\ndigest: ", "checkpoint: bad digest line"},
        {"\ndigest QEFC", "\ndigest QEF*", "checkpoint: bad digest line"},
        {"Xl8=\n", "Xl8A\n", "checkpoint: bad digest line"},
        {"Xl8=\n\n", "Xl8=\nx\n", "checkpoint: missing blank line before the signature"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        replace(bad, text, cases[i].from, cases[i].to);
        assert_int_equal(checkpoint_parse(&back, bad), LV_EINVAL);
        assert_string_equal(lv_error_last(), cases[i].message);
    }
}

/* The formatted text parses back to the same checkpoint; each kind of
 * damage to one line is refused with LV_EINVAL naming that line. */
static void test_checkpoint_text(void **in)
{
    (void)in;
    checkpoint_signed cp, back;
    sample_checkpoint(&cp);
    char text[LV_AUDIT_TEXT_MAX], bad[LV_AUDIT_TEXT_MAX + 1]; /* room for text + "\n" */
    checkpoint_format(text, &cp);
    FIXTURE_OK(checkpoint_parse(&back, text));
    assert_memory_equal(&back, &cp, sizeof cp);

    static const struct {
        const char *from, *to, *message;
    } cases[] = {
        /* The id is written in lower case: upper case is a changed text. */
        {"a0a1a2a3", "A0A1A2A3", "checkpoint: bad origin line"},
        {"leadvault-audit ", "leadvault-audit  ", "checkpoint: bad origin line"},
        {"\n42\n", "\n42a\n", "checkpoint: bad size line"},
        {"\n42\n", "\n042\n", "checkpoint: bad size line"},
        {"\n42\n", "\n+42\n", "checkpoint: bad size line"},
        {"\n42\n", "\n\n", "checkpoint: bad size line"},
        {"\n42\n", "\n123456789012345678901234\n", "checkpoint: bad size line"},
        {"AAECAwQFBgcI", "AAECAwQFBgc*", "checkpoint: bad head hash line"},
        {"2026-01-15T09:30:00.000Z\n", "\n", "checkpoint: bad time line"},
        {"2026-01-15T09:30:00.000Z\n", "2026-01-15T09:30:00.000000000000Z\n",
         "checkpoint: bad time line"},
        /* After the time: the blank line, or a digest line (format 2). */
        {".000Z\n\n", ".000Z\nx\n", "checkpoint: bad digest line"},
        {"- leadvault ", "- leadvault: ", "checkpoint: bad signature line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        replace(bad, text, cases[i].from, cases[i].to);
        assert_int_equal(checkpoint_parse(&back, bad), LV_EINVAL);
        assert_string_equal(lv_error_last(), cases[i].message);
    }

    /* Nothing may follow the signature line, and it must end in a newline. */
    snprintf(bad, sizeof bad, "%s\n", text);
    assert_int_equal(checkpoint_parse(&back, bad), LV_EINVAL);
    assert_string_equal(lv_error_last(), "checkpoint: text after the signature line");
    snprintf(bad, sizeof bad, "%.*s", (int)strlen(text) - 1, text);
    assert_int_equal(checkpoint_parse(&back, bad), LV_EINVAL);
    assert_string_equal(lv_error_last(), "checkpoint: bad signature line");
}

static void test_pubkey_text(void **in)
{
    (void)in;
    unsigned char id[LV_ID_BYTES], key[32], back_key[32], back_id[LV_ID_BYTES];
    for (int i = 0; i < LV_ID_BYTES; i++)
        id[i] = (unsigned char)(0xb0 + i);
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(7 * i);
    char text[LV_AUDIT_TEXT_MAX], bad[LV_AUDIT_TEXT_MAX], fingerprint[48];
    pubkey_format(text, fingerprint, id, key);
    assert_int_equal(strncmp(fingerprint, "lv1:", 4), 0);
    assert_int_equal(strlen(fingerprint), 4 + 32);
    FIXTURE_OK(pubkey_parse(back_key, back_id, text));
    assert_memory_equal(back_key, key, 32);
    assert_memory_equal(back_id, id, LV_ID_BYTES);
    FIXTURE_OK(pubkey_parse(back_key, NULL, text)); /* the id is optional */

    static const struct {
        const char *from, *to, *message;
    } cases[] = {
        {"leadvault-audit-pubkey ", "leadvault-audit ", "public key: bad first line"},
        {"b0b1", "B0B1", "public key: bad first line"},
        {"b0b1", "b0b", "public key: bad first line"},
        {"AAcOFRwj", "AAcOFRw", "public key: bad key line"}, /* not 32 bytes */
        {"AAcOFRwj", "AAcO FRwj", "public key: bad key line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        replace(bad, text, cases[i].from, cases[i].to);
        assert_int_equal(pubkey_parse(back_key, back_id, bad), LV_EINVAL);
        assert_string_equal(lv_error_last(), cases[i].message);
    }
    /* The key line must be a whole line. */
    snprintf(bad, sizeof bad, "%.*s", (int)strlen(text) - 1, text);
    assert_int_equal(pubkey_parse(back_key, back_id, bad), LV_EINVAL);
    assert_string_equal(lv_error_last(), "public key: bad key line");
    assert_int_equal(pubkey_parse(back_key, back_id, ""), LV_EINVAL);
    assert_string_equal(lv_error_last(), "public key: bad first line");
}

/* ---- in a vault ---- */

/* A failed unlock is audited without a key to sign it. The next session's
 * lv_audit_checkpoint signs the head first, so the checkpoint handed out
 * covers that entry too, and the log extends it with nothing unsigned. */
static void test_checkpoint_covers_failed_unlock(void **in)
{
    state *s = *in;
    char text[LV_AUDIT_TEXT_MAX];
    checkpoint_signed before, after;
    FIXTURE_OK(lv_audit_checkpoint(s->vault, text));
    FIXTURE_OK(checkpoint_parse(&before, text));
    fixture_close(s->vault);
    s->vault = NULL;

    assert_int_equal(fixture_open(&s->vault, &s->f, "alice", "not alice's passphrase"), LV_EAUTH);
    assert_null(s->vault);

    s->vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    FIXTURE_OK(lv_audit_checkpoint(s->vault, text));
    FIXTURE_OK(checkpoint_parse(&after, text));
    assert_int_equal(after.size, before.size + 1);

    char pubkey[LV_AUDIT_TEXT_MAX], fingerprint[48];
    FIXTURE_OK(lv_audit_pubkey(s->vault, pubkey, fingerprint));
    unsigned char key[32];
    FIXTURE_OK(pubkey_parse(key, NULL, pubkey));
    assert_true(checkpoint_signature_valid(&after, key));

    lv_audit_report report;
    FIXTURE_OK(lv_audit_verify(s->vault, NULL, text, &report));
    assert_int_equal(report.entries, after.size);
    assert_int_equal(report.extends_checkpoint, 1);
    assert_int_equal(report.unsigned_tail, 0);
    assert_int_equal(report.signed_size, after.size);

    /* Asked again with nothing new since: the same checkpoint... apart
     * from the lv_audit_verify just audited, which it now covers too. */
    FIXTURE_OK(lv_audit_checkpoint(s->vault, text));
    FIXTURE_OK(checkpoint_parse(&before, text));
    assert_int_equal(before.size, after.size + 1);
    char again[LV_AUDIT_TEXT_MAX];
    FIXTURE_OK(lv_audit_checkpoint(s->vault, again));
    assert_string_equal(again, text);
}

/* Opened locked, a vault has no key: no public key or checkpoint to hand
 * out, and verification needs the key text. */
static void test_locked_vault(void **in)
{
    state *s = *in;
    char pubkey[LV_AUDIT_TEXT_MAX], text[LV_AUDIT_TEXT_MAX], fingerprint[48];
    FIXTURE_OK(lv_audit_pubkey(s->vault, pubkey, fingerprint));
    fixture_close(s->vault);
    s->vault = NULL;

    FIXTURE_OK(fixture_open(&s->vault, &s->f, NULL, NULL));
    assert_int_equal(lv_audit_pubkey(s->vault, text, fingerprint), LV_EDENIED);
    assert_int_equal(lv_audit_checkpoint(s->vault, text), LV_EDENIED);
    assert_string_equal(lv_error_last(), "the vault is locked: unlock it as a user first");
    lv_audit_report report;
    assert_int_equal(lv_audit_verify(s->vault, NULL, NULL, &report), LV_EINVAL);
    assert_string_equal(lv_error_last(), "verifying a locked vault needs its public key");
    FIXTURE_OK(lv_audit_verify(s->vault, pubkey, NULL, &report));
    assert_true(report.entries > 0);
    assert_int_equal(report.first_bad_seq, 0);

    assert_int_equal(lv_audit_verify(NULL, pubkey, NULL, &report), LV_EINVAL);
    assert_string_equal(lv_error_last(), "no vault");
}

/* An outside checkpoint that is malformed, of another vault, or whose
 * signature does not verify under this vault's key is refused before the
 * log is read, and the report says why. */
static void test_outside_checkpoint_refused(void **in)
{
    state *s = *in;
    char own[LV_AUDIT_TEXT_MAX], text[LV_AUDIT_TEXT_MAX];
    FIXTURE_OK(lv_audit_checkpoint(s->vault, own));
    lv_audit_report report;
    FIXTURE_OK(lv_audit_verify(s->vault, NULL, own, &report));
    assert_int_equal(report.extends_checkpoint, 1);

    replace(text, own, "\n- leadvault ", "\n-leadvault ");
    assert_int_equal(lv_audit_verify(s->vault, NULL, text, &report), LV_EINVAL);
    assert_string_equal(lv_error_last(), "checkpoint: bad signature line");

    fixture second;
    fixture_make_dir(&second);
    lv_vault *other = fixture_create(&second, ALICE_PASS);
    char theirs[LV_AUDIT_TEXT_MAX];
    FIXTURE_OK(lv_audit_checkpoint(other, theirs));
    fixture_close(other);
    fixture_remove_dir(&second);
    assert_int_equal(lv_audit_verify(s->vault, NULL, theirs, &report), LV_ECORRUPT);
    assert_string_equal(report.reason, "the outside checkpoint belongs to another vault");

    /* One bit of the signature flipped, the text otherwise well formed. */
    checkpoint_signed cp;
    FIXTURE_OK(checkpoint_parse(&cp, own));
    cp.signature[10] ^= 0x04;
    checkpoint_format(text, &cp);
    assert_int_equal(lv_audit_verify(s->vault, NULL, text, &report), LV_ECORRUPT);
    assert_string_equal(report.reason,
                        "the outside checkpoint's signature does not verify under this key");
    assert_int_equal(report.first_bad_seq, cp.size);
}

/* lv_audit_show with a lead id that is not 32 hex characters. */
static void test_show_bad_lead_id(void **in)
{
    state *s = *in;
    fixture_add_user(s->vault, "carol", LV_ROLE_COMPLIANCE, "carol passphrase for the tests");
    fixture_close(s->vault);
    s->vault = fixture_open_ok(&s->f, "carol", "carol passphrase for the tests");
    lv_audit_filter filter = LV_AUDIT_FILTER_INIT;
    filter.lead_id = "not-an-id";
    size_t seen = 0;
    assert_int_equal(lv_audit_show(s->vault, &filter, NULL, &seen), LV_EINVAL);
    assert_int_equal(seen, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checkpoint_text),
        cmocka_unit_test(test_checkpoint_digest_text),
        cmocka_unit_test(test_pubkey_text),
        cmocka_unit_test_setup_teardown(test_checkpoint_covers_failed_unlock, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_locked_vault, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_outside_checkpoint_refused, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_show_bad_lead_id, fixture_session_setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
