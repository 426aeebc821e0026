/* subject_html.h - a subject export as one HTML page for the person. */
#ifndef LV_SUBJECT_HTML_H
#define LV_SUBJECT_HTML_H

#include <jansson.h>

#include "leadvault.h"

/* Write the subject export document (lv_subject_export's JSON) as one
 * self-contained HTML page through fn: UTF-8, every text escaped, values
 * marked dir="auto", no script and no external load (its
 * Content-Security-Policy forbids both). 0, or LV_ERROR when fn fails. */
int subject_html_write(const json_t *doc, lv_write_fn fn, void *ctx);

#endif
