/* audit_action.c - unit tests of the table of audit actions and of
 * --action patterns (vault/audit_action.c): every action the library's
 * sources record is in the table with a one-line meaning, and a name
 * missing from it is refused by audit_append. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_action.h"
#include "leadvault.h"

static void table_is_sorted_unique_and_explained(void **state)
{
    (void)state;
    const lv_audit_action *a = lv_audit_actions();
    size_t n = 0;
    for (; a[n].name != NULL; n++) {
        assert_non_null(a[n].meaning);
        size_t len = strlen(a[n].meaning);
        /* one line, a real sentence, not the name again */
        assert_true(len >= 15 && len <= 100);
        assert_null(strchr(a[n].meaning, '\n'));
        assert_true(strcmp(a[n].meaning, a[n].name) != 0);
        for (const char *c = a[n].name; *c; c++)
            assert_true((*c >= 'a' && *c <= 'z') || *c == '.' || *c == '_');
        if (n > 0)
            assert_true(strcmp(a[n - 1].name, a[n].name) < 0);
        assert_true(audit_action_known(a[n].name));
    }
    assert_null(a[n].meaning);
    assert_true(n >= 40);
    assert_false(audit_action_known("lead.gets"));
    assert_false(audit_action_known("lead"));
    assert_false(audit_action_known(""));
    assert_false(audit_action_known(NULL));
}

/* Every literal assigned to an audit_event's action in the .c files of vault/ (the
 * value after "action = ", up to the next , or ;, ternaries included). */
static size_t check_file(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *text = calloc(1, 1 << 20);
    assert_non_null(text);
    size_t len = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    text[len] = '\0';
    size_t found = 0;
    for (const char *at = strstr(text, "action = "); at != NULL; at = strstr(at, "action = ")) {
        at += strlen("action = ");
        while (*at != '\0' && *at != ',' && *at != ';') {
            if (*at != '"') {
                at++;
                continue;
            }
            const char *end = strchr(at + 1, '"');
            assert_non_null(end);
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(end - at - 1), at + 1);
            if (!audit_action_known(name))
                print_error("%s records action \"%s\", which is not in vault/audit_action.c's "
                            "table (add it with its meaning)\n",
                            path, name);
            assert_true(audit_action_known(name));
            found++;
            at = end + 1;
        }
    }
    free(text);
    return found;
}

static void every_recorded_action_is_in_the_table(void **state)
{
    (void)state;
    DIR *dir = opendir(LV_VAULT_DIR);
    assert_non_null(dir);
    size_t found = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", LV_VAULT_DIR, e->d_name);
        found += check_file(path);
    }
    closedir(dir);
    /* The scan itself works: every action of the table is recorded
     * somewhere (lead.find.email and lead.find.phone on one line). */
    size_t count = 0;
    while (lv_audit_actions()[count].name != NULL)
        count++;
    assert_true(found >= count - 2);
}

static void patterns(void **state)
{
    (void)state;
    /* exact */
    assert_true(audit_action_match("lead.get", "lead.get"));
    assert_false(audit_action_match("lead.get", "lead.gets"));
    /* a prefix of whole parts */
    assert_true(audit_action_match("lead.find", "lead.find.email"));
    assert_true(audit_action_match("lead.find", "lead.find.phone"));
    assert_true(audit_action_match("lead", "lead.import.dry_run"));
    assert_true(audit_action_match("vault.backup", "vault.backup.failed"));
    assert_false(audit_action_match("lead.fi", "lead.find.email"));
    assert_false(audit_action_match("lead.find.email", "lead.find"));
    assert_false(audit_action_match("lea", "lead.get"));
    /* globs */
    assert_true(audit_action_match("lead.*", "lead.get"));
    assert_true(audit_action_match("lead.*", "lead.find.email"));
    assert_false(audit_action_match("lead.*", "consent.grant"));
    assert_true(audit_action_match("*.export", "lead.export"));
    assert_true(audit_action_match("*.export", "subject.export"));
    assert_false(audit_action_match("*.export", "lead.export.x"));
    assert_true(audit_action_match("lead.find.?????", "lead.find.email"));
    assert_true(audit_action_match("*", "stats"));
    assert_false(audit_action_match("*e*", "stats"));
    assert_true(audit_action_match("l*d.*", "lead.add"));
    assert_true(audit_action_match("*.*.*", "lead.find.email"));
    assert_false(audit_action_match("*.*.*", "lead.get"));
    assert_true(audit_action_match("*a*a*", "vault.backup.failed"));
    assert_false(audit_action_match("lead.?", "lead.get"));
    /* the check against the table */
    assert_int_equal(audit_action_pattern_check("lead.find"), 0);
    assert_int_equal(audit_action_pattern_check("lead.*"), 0);
    assert_int_equal(audit_action_pattern_check("stats"), 0);
    assert_int_equal(audit_action_pattern_check("lead.fnd"), LV_EINVAL);
    assert_non_null(strstr(lv_error_last(), "did you mean lead.find"));
    assert_non_null(strstr(lv_error_last(), "audit, consent, erase, hold, lead, purpose, report, "
                                            "retention, setting, stats, subject, suppress, "
                                            "user, vault"));
    assert_int_equal(audit_action_pattern_check("nothing.*"), LV_EINVAL);
    assert_int_equal(audit_action_pattern_check(""), LV_EINVAL);
    assert_int_equal(audit_action_pattern_check("lead."), LV_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_sorted_unique_and_explained),
        cmocka_unit_test(every_recorded_action_is_in_the_table),
        cmocka_unit_test(patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
