/* export.c - a large export, whose leads are decrypted on a second
 * thread in chunks (open_pipe.c) while this one reads and writes: every
 * lead exactly once, in storage order, with its own values, chunks cut by
 * count and by size; and a lead that fails to open stops the export with
 * exactly the leads before it written. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <jansson.h>
#include <sqlite3.h>

#include "vault_fixture.h"

#define LEADS 3000      /* well over the 1024 that start the second thread */
#define BIG_FROM 1500   /* leads BIG_FROM .. BIG_FROM + 9 carry near-limit notes, */
#define BIG_NOTES 60000 /* so that chunks also fill up by size */
#define DAMAGED 2000    /* the lead whose email is damaged in the second test */

typedef fixture_session state;

static void expected_notes(char *out, size_t cap, int i)
{
    if (i >= BIG_FROM && i < BIG_FROM + 10) {
        memset(out, 'n', BIG_NOTES);
        snprintf(out + BIG_NOTES, cap - BIG_NOTES, "%d", i);
    } else {
        snprintf(out, cap, "note %d", i);
    }
}

static int setup(void **out)
{
    fixture_session_setup(out);
    state *s = *out;
    fixture_bytes csv = {0};
    char *notes = malloc(BIG_NOTES + 64);
    assert_non_null(notes);
    assert_int_equal(fixture_bytes_write(&csv, "First Name,Email,Notes\n", 23), 0);
    for (int i = 0; i < LEADS; i++) {
        char head[128];
        int n = snprintf(head, sizeof head, "F%d,e%d@example.com,", i, i);
        expected_notes(notes, BIG_NOTES + 64, i);
        assert_int_equal(fixture_bytes_write(&csv, head, (size_t)n), 0);
        assert_int_equal(fixture_bytes_write(&csv, notes, strlen(notes)), 0);
        assert_int_equal(fixture_bytes_write(&csv, "\n", 1), 0);
    }
    free(notes);
    lv_import_options opts = LV_IMPORT_OPTIONS_INIT;
    lv_import_summary summary;
    FIXTURE_OK(lv_import(s->vault, fixture_bytes_read, &csv, &opts, &summary));
    assert_int_equal(summary.imported, LEADS);
    free(csv.data);
    return 0;
}

static int export_json(state *s, fixture_bytes *out, uint64_t *exported)
{
    lv_export_options opts = LV_EXPORT_OPTIONS_INIT;
    opts.purpose = FIXTURE_PURPOSE;
    opts.format = LV_FORMAT_JSON;
    return lv_export(s->vault, &opts, fixture_bytes_write, out, exported);
}

/* Line k holds lead k's own values. */
static void check_line(const char *line, size_t len, int k, char *notes, size_t notes_cap)
{
    json_error_t error;
    json_t *o = json_loadb(line, len, 0, &error);
    assert_non_null(o);
    char want[64];
    snprintf(want, sizeof want, "F%d", k);
    assert_string_equal(json_string_value(json_object_get(o, "first_name")), want);
    snprintf(want, sizeof want, "e%d@example.com", k);
    assert_string_equal(json_string_value(json_object_get(o, "email")), want);
    expected_notes(notes, notes_cap, k);
    assert_string_equal(json_string_value(json_object_get(o, "notes")), notes);
    json_decref(o);
}

static void test_export_every_lead_once_in_order(void **in)
{
    state *s = *in;
    fixture_bytes out = {0};
    uint64_t exported = 0;
    FIXTURE_OK(export_json(s, &out, &exported));
    assert_int_equal(exported, LEADS);
    char *notes = malloc(BIG_NOTES + 64);
    assert_non_null(notes);
    const char *at = out.data;
    int k = 0;
    for (const char *nl; (nl = strchr(at, '\n')) != NULL; at = nl + 1, k++) {
        assert_true(k < LEADS);
        check_line(at, (size_t)(nl - at), k, notes, BIG_NOTES + 64);
    }
    assert_int_equal(k, LEADS);
    assert_int_equal(*at, '\0');
    free(notes);
    free(out.data);
}

/* Flip the last byte (in the Poly1305 tag) of a stored email: opening it
 * fails its authentication. */
static void damage_email(const char *path, int k)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *get = NULL, *put = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT email FROM lead WHERE rowid = ?1", -1, &get, NULL),
        SQLITE_OK);
    sqlite3_bind_int(get, 1, k + 1);
    assert_int_equal(sqlite3_step(get), SQLITE_ROW);
    int n = sqlite3_column_bytes(get, 0);
    unsigned char blob[512];
    assert_true(n > 0 && n <= (int)sizeof blob);
    memcpy(blob, sqlite3_column_blob(get, 0), (size_t)n);
    sqlite3_finalize(get);
    blob[n - 1] ^= 0x01;
    assert_int_equal(
        sqlite3_prepare_v2(db, "UPDATE lead SET email = ?1 WHERE rowid = ?2", -1, &put, NULL),
        SQLITE_OK);
    sqlite3_bind_blob(put, 1, blob, n, SQLITE_STATIC);
    sqlite3_bind_int(put, 2, k + 1);
    assert_int_equal(sqlite3_step(put), SQLITE_DONE);
    sqlite3_finalize(put);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* A stored email of zero bytes (no nonce, no tag) is damage too: the
 * export stops there, as lead get does, instead of leaving the field out. */
static void test_export_stops_at_an_emptied_value(void **in)
{
    state *s = *in;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(s->f.path, &db), SQLITE_OK);
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE lead SET email = x'' WHERE rowid = %d", DAMAGED + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    fixture_bytes out = {0};
    uint64_t exported = 0;
    assert_int_equal(export_json(s, &out, &exported), LV_ECORRUPT);
    assert_int_equal(exported, DAMAGED);
    assert_non_null(strstr(lv_error_last(), "field email"));
    free(out.data);
}

static void test_export_stops_at_a_damaged_lead(void **in)
{
    state *s = *in;
    damage_email(s->f.path, DAMAGED);
    fixture_bytes out = {0};
    uint64_t exported = 0;
    assert_int_equal(export_json(s, &out, &exported), LV_ECORRUPT);
    assert_int_equal(exported, DAMAGED);
    assert_non_null(strstr(lv_error_last(), "field email"));
    char value[64];
    snprintf(value, sizeof value, "e%d@", DAMAGED);
    assert_null(strstr(lv_error_last(), value));
    size_t lines = 0;
    for (size_t i = 0; i < out.len; i++)
        lines += out.data[i] == '\n';
    assert_int_equal(lines, DAMAGED);
    assert_null(strstr(out.data, value));
    free(out.data);
}

/* Ten leads of the 3000 at stage contacted: the writing pass looks them
 * up one by one instead of reading the table again, and they still come
 * out in the order they were added, with their own values. */
static void test_export_of_a_few_leads(void **in)
{
    state *s = *in;
    fixture_bytes all = {0};
    uint64_t exported = 0;
    lv_export_options opts = LV_EXPORT_OPTIONS_INIT;
    opts.purpose = FIXTURE_PURPOSE;
    opts.format = LV_FORMAT_JSON;
    FIXTURE_OK(lv_export(s->vault, &opts, fixture_bytes_write, &all, &exported));
    int picked[10];
    for (int i = 0; i < 10; i++) {
        picked[i] = 7 + i * 297; /* spread over the table, increasing */
        const char *line = all.data;
        for (int k = 0; k < picked[i]; k++)
            line = strchr(line, '\n') + 1;
        char id[LV_ID_STRLEN + 1];
        memcpy(id, strstr(line, "\"id\":\"") + 6, LV_ID_STRLEN);
        id[LV_ID_STRLEN] = '\0';
        lv_lead_input up = fixture_input();
        up.stage = "contacted";
        FIXTURE_OK(lv_lead_update(s->vault, id, &up));
    }
    free(all.data);
    fixture_bytes out = {0};
    opts.stage = "contacted";
    FIXTURE_OK(lv_export(s->vault, &opts, fixture_bytes_write, &out, &exported));
    assert_int_equal(exported, 10);
    char *notes = malloc(BIG_NOTES + 64);
    assert_non_null(notes);
    const char *at = out.data;
    for (int i = 0; i < 10; i++) {
        const char *nl = strchr(at, '\n');
        assert_non_null(nl);
        check_line(at, (size_t)(nl - at), picked[i], notes, BIG_NOTES + 64);
        at = nl + 1;
    }
    assert_int_equal(*at, '\0');
    free(notes);
    free(out.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_export_every_lead_once_in_order, setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_export_stops_at_a_damaged_lead, setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_export_stops_at_an_emptied_value, setup,
                                        fixture_session_teardown),
        cmocka_unit_test_setup_teardown(test_export_of_a_few_leads, setup,
                                        fixture_session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
