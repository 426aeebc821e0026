/* subject_html.c - the subject export page: every text escaped (markup in
 * a value or a request reference stays text), values marked dir="auto",
 * UTF-8 kept as is, no script, and a write failure reported. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <jansson.h>
#include <string.h>

#include "subject_html.h"
#include "vault_fixture.h"

static json_t *hostile_doc(void)
{
    json_t *lead = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:{s:s}, s:{s:s}, s:[], s:[], s:{s:[], s:b}, s:[], s:[],"
        " s:[{s:s, s:s, s:s}]}",
        "id", "00112233445566778899aabbccddeeff", "fields", "first_name",
        "<script>alert(1)</script>", "last_name", "\xd9\x81\xd8\xa7\xd8\xb7\xd9\x85\xd8\xa9",
        "company", "A & B \"quoted\" 'single'", "metadata", "stage", "new", "source", "channel",
        "trade_show", "purposes", "recipients", "retention", "rules", "legal_hold", 1, "consent",
        "access", "rights", "right", "erasure", "article", "Art. 17", "text", "<b>erase</b>");
    return json_pack("{s:s, s:s, s:[o]}", "request", "REQ-<1>&", "generated",
                     "2026-12-07T00:00:00.000Z", "leads", lead);
}

static void escapes_every_text(void **state)
{
    (void)state;
    json_t *doc = hostile_doc();
    fixture_bytes page = {0};
    assert_int_equal(subject_html_write(doc, fixture_bytes_write, &page), 0);
    json_decref(doc);
    const char *p = page.data;
    assert_null(strstr(p, "<script"));
    assert_null(strstr(p, "<b>"));
    assert_non_null(strstr(p, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(p, "A &amp; B &quot;quoted&quot; &#39;single&#39;"));
    assert_non_null(strstr(p, "REQ-&lt;1&gt;&amp;"));
    /* Arabic as UTF-8, in a cell whose direction the browser decides. */
    assert_non_null(strstr(p, "<td dir=\"auto\">\xd9\x81\xd8\xa7\xd8\xb7\xd9\x85\xd8\xa9</td>"));
    assert_non_null(strstr(p, "<html lang=\"en\">"));
    assert_non_null(strstr(p, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(p, "default-src 'none'"));
    assert_non_null(strstr(p, "script-src 'none'"));
    /* Every cell is a value cell with dir="auto". */
    size_t cells = 0, auto_cells = 0;
    for (const char *at = p; (at = strstr(at, "<td")) != NULL; at++, cells++)
        auto_cells += strncmp(at, "<td dir=\"auto\">", 15) == 0;
    assert_int_equal(cells, 5); /* 3 fields, 1 metadata, 1 source */
    assert_int_equal(cells, auto_cells);
    /* Empty lists say so; the hold is stated. */
    assert_non_null(strstr(p, "The data has not been disclosed to any recipient."));
    assert_non_null(strstr(p, "under a legal hold"));
    free(page.data);
}

static int failing_write(void *ctx, const char *data, size_t len)
{
    (void)data;
    (void)len;
    return ++*(int *)ctx > 3 ? -1 : 0;
}

static void reports_a_write_failure(void **state)
{
    (void)state;
    json_t *doc = hostile_doc();
    int calls = 0;
    assert_int_equal(subject_html_write(doc, failing_write, &calls), LV_ERROR);
    /* It stops writing after the first failure. */
    assert_int_equal(calls, 4);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_every_text),
        cmocka_unit_test(reports_a_write_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
