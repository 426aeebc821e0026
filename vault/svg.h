/* svg.h - the small SVG writer of the HTML reports: a bar chart and a
 * heat map, inline in the page (no script, no external reference). Each
 * chart is role="img" with a <title> and <desc> for screen readers, and
 * writes every value as text beside its bar or in its cell, so that colour
 * is never the only way to read it. Every text is escaped. */
#ifndef LV_SVG_H
#define LV_SVG_H

#include <stddef.h>

#include "util_buf.h"

/* Horizontal bars, one per label, scaled to the largest value. */
void svg_bar_chart(util_buf *b, const char *title, const char *desc, const char *const *labels,
                   const double *values, size_t n);

/* A grid of nrows x ncols cells (values row-major), shaded by value
 * relative to the largest, each cell showing its value. */
void svg_heat_map(util_buf *b, const char *title, const char *desc, const char *const *rows,
                  size_t nrows, const char *const *cols, size_t ncols, const double *values);

#endif
