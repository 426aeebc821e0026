/* svg.c - bar chart and heat map as inline SVG (see svg.h). */
#include <string.h>

#include "svg.h"

#define LABEL_WIDTH 220
#define BAR_WIDTH 360
#define ROW_HEIGHT 22
#define LABEL_CHARS 32

static void svg_begin(util_buf *b, int width, int height, const char *title, const char *desc)
{
    util_buf_printf(b,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" "
                    "height=\"%d\" viewBox=\"0 0 %d %d\"><title>",
                    width, height, width, height);
    util_buf_escaped(b, title);
    util_buf_puts(b, "</title><desc>");
    util_buf_escaped(b, desc);
    util_buf_puts(b, "</desc>");
}

/* A label cut to LABEL_CHARS bytes at a UTF-8 boundary, with an ellipsis. */
static void svg_label(util_buf *b, const char *label)
{
    size_t len = strlen(label);
    if (len <= LABEL_CHARS) {
        util_buf_escaped(b, label);
        return;
    }
    char cut[LABEL_CHARS + 1];
    size_t n = LABEL_CHARS;
    while (n > 0 && ((unsigned char)label[n] & 0xc0) == 0x80)
        n--;
    memcpy(cut, label, n);
    cut[n] = '\0';
    util_buf_escaped(b, cut);
    util_buf_puts(b, "\xe2\x80\xa6");
}

static void svg_text(util_buf *b, int x, int y, const char *anchor, const char *cls,
                     const char *text)
{
    util_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor,
                    cls);
    svg_label(b, text);
    util_buf_puts(b, "</text>");
}

static double largest(const double *values, size_t n)
{
    double max = 0;
    for (size_t i = 0; i < n; i++)
        max = values[i] > max ? values[i] : max;
    return max;
}

void svg_bar_chart(util_buf *b, const char *title, const char *desc, const char *const *labels,
                   const double *values, size_t n)
{
    int height = (int)n * ROW_HEIGHT + 8;
    svg_begin(b, LABEL_WIDTH + BAR_WIDTH + 90, height, title, desc);
    double max = largest(values, n);
    for (size_t i = 0; i < n; i++) {
        int y = (int)i * ROW_HEIGHT + 4;
        int width = max > 0 ? (int)(values[i] / max * BAR_WIDTH + 0.5) : 0;
        svg_text(b, LABEL_WIDTH - 6, y + 15, "end", "l", labels[i]);
        util_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\">",
                        LABEL_WIDTH, y + 2, width, ROW_HEIGHT - 6);
        util_buf_puts(b, "<title>");
        util_buf_escaped(b, labels[i]);
        util_buf_printf(b, ": %.15g</title></rect>", values[i]);
        util_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"v\">%.15g</text>",
                        LABEL_WIDTH + width + 6, y + 15, values[i]);
    }
    util_buf_puts(b, "</svg>\n");
}

#define CELL_WIDTH 34
#define CELL_HEIGHT 22
#define HEAD_HEIGHT 74

void svg_heat_map(util_buf *b, const char *title, const char *desc, const char *const *rows,
                  size_t nrows, const char *const *cols, size_t ncols, const double *values)
{
    int width = LABEL_WIDTH + (int)ncols * CELL_WIDTH + 70; /* room for the last slanted label */
    int height = HEAD_HEIGHT + (int)nrows * CELL_HEIGHT + 6;
    svg_begin(b, width, height, title, desc);
    double max = largest(values, nrows * ncols);
    for (size_t c = 0; c < ncols; c++) {
        int x = LABEL_WIDTH + (int)c * CELL_WIDTH + CELL_WIDTH / 2;
        util_buf_printf(b, "<text transform=\"translate(%d %d) rotate(-60)\" class=\"l\">", x,
                        HEAD_HEIGHT - 4);
        svg_label(b, cols[c]);
        util_buf_puts(b, "</text>");
    }
    for (size_t r = 0; r < nrows; r++) {
        int y = HEAD_HEIGHT + (int)r * CELL_HEIGHT;
        svg_text(b, LABEL_WIDTH - 6, y + 15, "end", "l", rows[r]);
        for (size_t c = 0; c < ncols; c++) {
            double v = values[r * ncols + c];
            /* Five shades; the number in the cell carries the value. */
            int level = max > 0 && v > 0 ? 1 + (int)(v / max * 3.999) : 0;
            int x = LABEL_WIDTH + (int)c * CELL_WIDTH;
            util_buf_printf(b,
                            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"h%d\">"
                            "<title>",
                            x, y, CELL_WIDTH - 2, CELL_HEIGHT - 2, level);
            util_buf_escaped(b, rows[r]);
            util_buf_puts(b, ", ");
            util_buf_escaped(b, cols[c]);
            util_buf_printf(b, ": %.15g</title></rect>", v);
            if (v > 0)
                util_buf_printf(b,
                                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"c%s\">"
                                "%.15g</text>",
                                x + CELL_WIDTH / 2 - 1, y + 15, level >= 3 ? " i" : "", v);
        }
    }
    util_buf_puts(b, "</svg>\n");
}
