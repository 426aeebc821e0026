/* svg.c - the SVG writer of the HTML reports: texts escaped, every value
 * written as text, bars scaled to the largest value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "svg.h"

static void bars_escape_labels_and_print_values(void **state)
{
    (void)state;
    util_buf b = {0};
    const char *labels[] = {"<script>alert(1)</script>", "a & b"};
    double values[] = {4, 2};
    svg_bar_chart(&b, "T\"itle", "D<esc>", labels, values, 2);
    assert_false(b.failed);
    assert_null(strstr(b.data, "<script>"));
    assert_non_null(strstr(b.data, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(b.data, "a &amp; b"));
    assert_non_null(strstr(b.data, "<title>T&quot;itle</title><desc>D&lt;esc&gt;</desc>"));
    /* The largest value fills the bar width, half of it half. */
    assert_non_null(strstr(b.data, "width=\"360\" height=\"16\" class=\"bar\""));
    assert_non_null(strstr(b.data, "width=\"180\" height=\"16\" class=\"bar\""));
    /* Values as text beside the bars, not only as lengths. */
    assert_non_null(strstr(b.data, "class=\"v\">4</text>"));
    assert_non_null(strstr(b.data, "class=\"v\">2</text>"));
    util_buf_free(&b);
}

static void heat_map_cells_carry_their_values(void **state)
{
    (void)state;
    util_buf b = {0};
    const char *rows[] = {"sam", "cora"};
    const char *cols[] = {"2033-03-07", "2033-03-08"};
    double values[] = {8, 0, 1, 2};
    svg_heat_map(&b, "t", "d", rows, 2, cols, 2, values);
    assert_false(b.failed);
    assert_non_null(strstr(b.data, "<title>sam, 2033-03-07: 8</title>"));
    assert_non_null(strstr(b.data, "<title>cora, 2033-03-08: 2</title>"));
    assert_non_null(strstr(b.data, "class=\"h4\""));       /* the largest */
    assert_non_null(strstr(b.data, "class=\"h0\""));       /* zero */
    assert_non_null(strstr(b.data, "class=\"c i\">8</text>")); /* light text on dark */
    util_buf_free(&b);
}

static void long_labels_are_cut_at_a_character(void **state)
{
    (void)state;
    util_buf b = {0};
    /* 31 ASCII bytes then a 2-byte character across the 32-byte cut. */
    const char *labels[] = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9zzz"};
    double values[] = {1};
    svg_bar_chart(&b, "t", "d", labels, values, 1);
    assert_non_null(strstr(b.data, ">aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe2\x80\xa6</text>"));
    util_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bars_escape_labels_and_print_values),
        cmocka_unit_test(heat_map_cells_carry_their_values),
        cmocka_unit_test(long_labels_are_cut_at_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
