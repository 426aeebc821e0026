/* vault_open_concurrent.c - a vault opens while another session has it
 * open, and after a process died without closing it. In WAL mode SQLite
 * keeps recent pages - at first the whole schema and header values - in
 * the -wal file until a checkpoint, so the vault file alone is not the
 * whole vault. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <sys/types.h>
#include <sys/wait.h>

#include "vault_fixture.h"

#define ALICE_PASS FIXTURE_ALICE_PASS

typedef fixture_session state;

static void add_named(lv_vault *vault, char id[LV_ID_STRLEN + 1], const char *first_name)
{
    lv_lead_input in = fixture_input();
    in.field[LV_FIELD_FIRST_NAME] = first_name;
    FIXTURE_OK(lv_lead_add(vault, id, &in));
}

/* A second session opens the vault while the first, which created it, is
 * still open (SQLite keeps the new pages in the -wal file meanwhile). */
static void test_open_while_open(void **in)
{
    state *s = *in;
    char id[LV_ID_STRLEN + 1];
    add_named(s->vault, id, "Shared");
    lv_vault *second = NULL;
    int rc = fixture_open(&second, &s->f, "alice", ALICE_PASS);
    if (rc != 0)
        print_error("second session: %d (%s): %s\n", rc, lv_strerror(rc), lv_error_last());
    assert_int_equal(rc, 0);
    assert_int_equal(fixture_lead_count(second), 1);
    fixture_close(second);
    second = (lv_vault *)&second;
    assert_int_equal(fixture_open(&second, &s->f, "alice", "not the passphrase"), LV_EAUTH);
    assert_null(second);
}

/* The process that created (and wrote to) a vault dies without closing it:
 * the next session must open it, with everything that was committed. */
static void test_open_after_crash(void **in)
{
    state *s = *in;
    fixture_close(s->vault); /* the fixture's own vault is not used */
    s->vault = NULL;
    char path[400];
    snprintf(path, sizeof path, "%s/crashed.lv", s->f.dir);
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        lv_create_options opts = LV_CREATE_OPTIONS_INIT;
        lv_kdf_params floor = FIXTURE_KDF_FLOOR;
        opts.admin_name = "alice";
        opts.passphrase = ALICE_PASS;
        opts.passphrase_len = strlen(ALICE_PASS);
        opts.kdf = floor;
        lv_vault *vault = NULL;
        char id[LV_ID_STRLEN + 1];
        lv_lead_input input = fixture_input();
        input.field[LV_FIELD_FIRST_NAME] = "Committed";
        if (lv_vault_create(&vault, path, &opts) != 0 || lv_lead_add(vault, id, &input) != 0)
            _exit(1);
        _exit(0); /* no lv_vault_close: a crash */
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    opts.user = "alice";
    opts.passphrase = ALICE_PASS;
    opts.passphrase_len = strlen(ALICE_PASS);
    lv_vault *vault = NULL;
    int rc = lv_vault_open(&vault, path, &opts);
    if (rc != 0)
        print_error("open after a crash: %d (%s): %s\n", rc, lv_strerror(rc), lv_error_last());
    assert_int_equal(rc, 0);
    assert_int_equal(fixture_lead_count(vault), 1);
    fixture_close(vault);
}

/* Once the first session has closed, a second one opens beside a third. */
static void test_open_beside_later_session(void **in)
{
    state *s = *in;
    fixture_close(s->vault);
    s->vault = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    char id[LV_ID_STRLEN + 1];
    add_named(s->vault, id, "Later");
    lv_vault *second = fixture_open_ok(&s->f, "alice", ALICE_PASS);
    assert_int_equal(fixture_lead_count(second), 1);
    fixture_close(second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_beside_later_session, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_open_while_open, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_open_after_crash, fixture_session_setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
