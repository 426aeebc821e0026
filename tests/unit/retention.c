/* retention.c - retention rules (vault/retention.c) on a lead with more
 * purposes than the 32 the consent state once held: a --no-consent rule
 * must see an active consent in any of them. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "vault_fixture.h"

#define PURPOSES 40

static int collect_due(void *ctx, const char *lead_id, const char *rule, int held)
{
    (void)held;
    char *out = ctx;
    (void)snprintf(out, 128, "%s %s", lead_id, rule);
    return 0;
}

/* PURPOSES consent purposes; the lead's consent for each of the first
 * PURPOSES - 1 granted then withdrawn, for the last one granted. With the
 * rule "no active consent", the lead is not due while that last grant
 * stands, and due once it is withdrawn too. */
static void test_no_consent_any_number_of_purposes(void **in)
{
    fixture_session *s = *in;
    char id[LV_ID_STRLEN + 1], name[32];
    lv_lead_input input = fixture_input();
    input.field[LV_FIELD_EMAIL] = "ann@example.com";
    FIXTURE_OK(lv_lead_add(s->vault, id, &input));
    for (int i = 0; i < PURPOSES; i++) {
        (void)snprintf(name, sizeof name, "qa_consent_%02d", i);
        FIXTURE_OK(lv_purpose_add(s->vault, name, LV_BASIS_CONSENT, 1u << LV_FIELD_EMAIL,
                                  1u << LV_ROLE_ADMIN));
        FIXTURE_OK(lv_consent_grant(s->vault, id, name, "web form", "v1", 0));
        if (i < PURPOSES - 1)
            FIXTURE_OK(lv_consent_withdraw(s->vault, id, name, NULL));
    }
    lv_retention_rule rule = {
        .name = "no_consent_1h", .no_consent = 1, .older_than_ms = 3600 * 1000};
    FIXTURE_OK(lv_retention_add(s->vault, &rule));
    int64_t later = (int64_t)time(NULL) * 1000 + 7200 * 1000;

    char due[128] = "";
    FIXTURE_OK(lv_retention_plan(s->vault, later, collect_due, due));
    assert_string_equal(due, "");

    (void)snprintf(name, sizeof name, "qa_consent_%02d", PURPOSES - 1);
    FIXTURE_OK(lv_consent_withdraw(s->vault, id, name, NULL));
    char want[128];
    (void)snprintf(want, sizeof want, "%s no_consent_1h", id);
    FIXTURE_OK(lv_retention_plan(s->vault, later, collect_due, due));
    assert_string_equal(due, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_consent_any_number_of_purposes,
                                        fixture_session_setup, fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
