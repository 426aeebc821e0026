/* lead_search.c - lv_lead_search and lv_lead_list_reveal through the
 * public API: folding (case, accents, compatibility forms), every word
 * needed, only readable leads (scope), the limit, bad input, and a
 * listing's callback stopping early. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
// clang-format on

#include "session.h"
#include "store.h"
#include "vault_fixture.h"

#define BOB_PASS "bob passphrase for the unit tests"

static void add(lv_vault *vault, char id[LV_ID_STRLEN + 1], const char *first, const char *last,
                const char *company, const char *owner)
{
    lv_lead_input in = fixture_input();
    in.field[LV_FIELD_FIRST_NAME] = first;
    in.field[LV_FIELD_LAST_NAME] = last;
    in.field[LV_FIELD_COMPANY] = company;
    in.owner = owner;
    FIXTURE_OK(lv_lead_add(vault, id, &in));
}

/* The number of matches of text, and the id of the first in first_id. */
static size_t search(lv_vault *vault, const char *text, size_t limit, char first_id[33])
{
    lv_lead **leads = NULL;
    size_t count = 0;
    FIXTURE_OK(lv_lead_search(&leads, &count, vault, text, FIXTURE_PURPOSE, limit));
    if (first_id != NULL)
        snprintf(first_id, 33, "%s", count ? leads[0]->meta.id : "");
    lv_lead_list_free(leads, count);
    return count;
}

static void folds_case_accents_and_forms(void **state)
{
    fixture_session *s = *state;
    char a[33], b[33], c[33], got[33];
    add(s->vault, a, "Ana", "Straße", "Ｕｍｂｒｅｌｌａ Labs", NULL); /* fullwidth */
    add(s->vault, b, "José", "Müller", "ﬁnance corp", NULL);          /* fi ligature */
    add(s->vault, c, "Ana", "Other", "Globex", NULL);
    static const struct {
        const char *text;
        size_t limit, count;
        int first; /* index into ids, or -1 */
    } cases[] = {
        {"STRASSE", 0, 1, 0},    /* ß folds to ss */
        {"umbrella", 0, 1, 0},   /* fullwidth letters */
        {"JOSE mull", 0, 1, 1},  /* accents, case, part of a word */
        {"finance", 0, 1, 1},    /* a ligature */
        {"ana globex", 0, 1, 2}, /* every word must occur */
        {"  ana  ", 0, 2, 3},    /* several matches, in id order */
        {"ana umbrella globex", 0, 0, -1},
        {"ana", 1, 1, 3}, /* the limit */
    };
    /* Ids start with the time in ms: leads added within one millisecond
     * order by their random part, so the first of a and c is whichever
     * id is lower (index 3). */
    const char *ids[] = {a, b, c, strcmp(a, c) < 0 ? a : c};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(search(s->vault, cases[i].text, cases[i].limit, got), cases[i].count);
        assert_string_equal(got, cases[i].first >= 0 ? ids[cases[i].first] : "");
    }
}

static void refuses_bad_input(void **state)
{
    fixture_session *s = *state;
    lv_lead **leads = NULL;
    size_t count = 7;
    assert_int_equal(lv_lead_search(&leads, &count, s->vault, "   ", FIXTURE_PURPOSE, 0),
                     LV_EINVAL);
    assert_int_equal(lv_lead_search(&leads, &count, s->vault, "\xff\xfe", FIXTURE_PURPOSE, 0),
                     LV_EINVAL);
    assert_int_equal(
        lv_lead_search(&leads, &count, s->vault, "x", FIXTURE_PURPOSE, LV_SEARCH_LIMIT_MAX + 1),
        LV_EINVAL);
    assert_int_equal(lv_lead_search(&leads, &count, s->vault, "x", "Bad Name", 0), LV_EINVAL);
    assert_int_equal(lv_lead_search(&leads, &count, s->vault, "x", "no_such_purpose", 0),
                     LV_EDENIED);
    assert_null(leads);
    assert_int_equal(count, 0);
    /* A purpose that reveals none of the searched fields. */
    FIXTURE_OK(lv_purpose_add(s->vault, "qa_contact", LV_BASIS_LEGITIMATE_INTEREST,
                              1u << LV_FIELD_EMAIL, 1u << LV_ROLE_ADMIN));
    assert_int_equal(lv_lead_search(&leads, &count, s->vault, "x", "qa_contact", 0), LV_EDENIED);
}

static void scoped_user_reads_only_own_leads(void **state)
{
    fixture_session *s = *state;
    lv_kdf_params floor = FIXTURE_KDF_FLOOR;
    char mine[33], theirs[33];
    FIXTURE_OK(lv_user_add_scoped(s->vault, "bob", LV_ROLE_SALES, LV_SCOPE_OWN, BOB_PASS,
                                  strlen(BOB_PASS), &floor));
    assert_int_equal(lv_user_add_scoped(s->vault, "cora", LV_ROLE_COMPLIANCE, LV_SCOPE_OWN,
                                        BOB_PASS, strlen(BOB_PASS), &floor),
                     LV_EINVAL);
    add(s->vault, mine, "Mia", "Same", "Shared Corp", "bob");
    add(s->vault, theirs, "Max", "Same", "Shared Corp", "alice");
    lv_user_info *users = NULL;
    size_t n = 0;
    FIXTURE_OK(lv_user_list(s->vault, &users, &n));
    assert_int_equal(n, 2);
    assert_string_equal(users[1].name, "bob");
    assert_int_equal(users[1].role, LV_ROLE_SALES);
    assert_int_equal(users[1].scope, LV_SCOPE_OWN);
    assert_int_equal(users[0].scope, LV_SCOPE_ALL);
    lv_user_list_free(users);
    FIXTURE_OK(lv_vault_close(s->vault));

    s->vault = fixture_open_ok(&s->f, "bob", BOB_PASS);
    char got[33];
    assert_int_equal(search(s->vault, "same", 0, got), 1);
    assert_string_equal(got, mine);
    lv_lead *lead = NULL;
    assert_int_equal(lv_lead_get(&lead, s->vault, theirs, FIXTURE_PURPOSE, 0), LV_EDENIED);
    assert_null(lead);
    FIXTURE_OK(lv_lead_get(&lead, s->vault, mine, FIXTURE_PURPOSE, 0));
    lv_lead_free(lead);
    assert_int_equal(lv_lead_assign(s->vault, theirs, "bob"), LV_EDENIED);
    FIXTURE_OK(lv_vault_close(s->vault));

    /* Assigned to bob, the lead becomes his to read. */
    s->vault = fixture_open_ok(&s->f, "alice", FIXTURE_ALICE_PASS);
    assert_int_equal(lv_lead_assign(s->vault, theirs, "nobody"), LV_ENOTFOUND);
    assert_int_equal(lv_lead_assign(s->vault, theirs, "bad name!"), LV_EINVAL);
    FIXTURE_OK(lv_lead_assign(s->vault, theirs, "bob"));
    FIXTURE_OK(lv_vault_close(s->vault));
    s->vault = fixture_open_ok(&s->f, "bob", BOB_PASS);
    assert_int_equal(search(s->vault, "same", 0, NULL), 2);
}

/* A store whose lead scan, once it has read every lead, lets a second
 * handle (another user's process) update one of them: the search's
 * snapshot must not hold the write lock, and must leave that lead out. */
static const store_ops *real_ops;
static store_ops racing_ops;
static lv_vault *racer;
static const char *raced_id;
static int racer_rc;

static int racing_lead_each(store *st, const store_lead_filter *filter, int with_sealed,
                            store_lead_fn fn, void *ctx)
{
    int rc = real_ops->lead_each(st, filter, with_sealed, fn, ctx);
    lv_lead_input in = fixture_input();
    in.stage = "qualified";
    racer_rc = lv_lead_update(racer, raced_id, &in);
    return rc;
}

static void search_lets_writers_in_and_drops_changed_leads(void **state)
{
    fixture_session *s = *state;
    char changed[33], kept[33], got[33];
    add(s->vault, changed, "Ann", "Racer", "Track Ltd", "alice");
    add(s->vault, kept, "Ben", "Racer", "Track Ltd", "alice");
    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    opts.user = "alice";
    opts.passphrase = FIXTURE_ALICE_PASS;
    opts.passphrase_len = strlen(FIXTURE_ALICE_PASS);
    opts.busy_timeout_ms = 50; /* a held write lock fails the update at once */
    FIXTURE_OK(lv_vault_open(&racer, s->f.path, &opts));
    raced_id = changed;
    real_ops = s->vault->store->ops;
    racing_ops = *real_ops;
    racing_ops.lead_each = racing_lead_each;
    s->vault->store->ops = &racing_ops;
    racer_rc = -1;
    size_t n = search(s->vault, "racer", 0, got);
    s->vault->store->ops = real_ops;
    FIXTURE_OK(racer_rc); /* the other writer was not locked out by the scan */
    assert_int_equal(n, 1);
    assert_string_equal(got, kept);
    FIXTURE_OK(lv_vault_close(racer));
    assert_int_equal(search(s->vault, "racer", 0, NULL), 2);
}

typedef struct seen {
    size_t count, stop_after;
    char first[33];    /* the first lead's first name */
    char first_id[33]; /* and its id */
} seen;

static int on_lead(void *ctx, const lv_lead *lead)
{
    seen *s = ctx;
    if (s->count == 0) {
        snprintf(s->first, sizeof s->first, "%s", lead->value[LV_FIELD_FIRST_NAME]);
        snprintf(s->first_id, sizeof s->first_id, "%s", lead->meta.id);
    }
    assert_null(lead->value[LV_FIELD_LAST_NAME]); /* not asked for */
    return ++s->count == s->stop_after;
}

static void listing_reveals_asked_fields(void **state)
{
    fixture_session *s = *state;
    char id[33], lowest[33] = "", first[33] = "";
    for (int i = 0; i < 5; i++) {
        add(s->vault, id, i == 0 ? "First" : "Next", "Last", "Co", NULL);
        if (i == 0)
            memcpy(first, id, sizeof id);
        if (i == 0 || strcmp(id, lowest) < 0)
            memcpy(lowest, id, sizeof id);
    }
    /* Listed in id order; ids added within one millisecond order by their
     * random part, so the first listed is the lowest id. */
    seen all = {0, 0, "", ""};
    FIXTURE_OK(lv_lead_list_reveal(s->vault, NULL, FIXTURE_PURPOSE, 1u << LV_FIELD_FIRST_NAME,
                                   on_lead, &all));
    assert_int_equal(all.count, 5);
    assert_string_equal(all.first_id, lowest);
    assert_string_equal(all.first, strcmp(lowest, first) == 0 ? "First" : "Next");
    seen two = {0, 2, "", ""};
    FIXTURE_OK(lv_lead_list_reveal(s->vault, NULL, FIXTURE_PURPOSE, 1u << LV_FIELD_FIRST_NAME,
                                   on_lead, &two));
    assert_int_equal(two.count, 2);
    assert_int_equal(lv_lead_list_reveal(s->vault, NULL, FIXTURE_PURPOSE, 1u << 20, on_lead, &all),
                     LV_EINVAL);
    assert_int_equal(
        lv_lead_list_reveal(s->vault, NULL, "sales_followup", 1u << LV_FIELD_NOTES, on_lead, &all),
        LV_EDENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(folds_case_accents_and_forms, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(refuses_bad_input, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(scoped_user_reads_only_own_leads, fixture_session_setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(search_lets_writers_in_and_drops_changed_leads,
                                        fixture_session_setup, fixture_session_teardown),
        cmocka_unit_test_setup_teardown(listing_reveals_asked_fields, fixture_session_setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
