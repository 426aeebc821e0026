/* lead.h - lead model: validation, normalization, blind-index forms,
 * channel / stage / country tables and the quality rating. Pure functions:
 * no I/O, no crypto, no SQL. */
#ifndef LV_LEAD_H
#define LV_LEAD_H

#include <stddef.h>

#include "leadvault.h"

/* Largest accepted value of a sealed field, in bytes after normalization:
 * names, company, title 1 KiB; email 254; phone 64; website 2 KiB;
 * address 4 KiB; notes 64 KiB. */
size_t lead_field_limit(lv_field field);

/* Validate one sealed field value of len bytes and produce the form that
 * is stored. Rules:
 * - valid UTF-8 only; a NUL byte anywhere is refused;
 * - no control characters, except TAB, LF and CR in address and notes;
 * - first_name, last_name, company, title: Unicode NFC (utf8proc);
 * - email: surrounding white space trimmed, practical syntax check
 *   (one '@', local part 1..64 bytes, dotted domain), case kept;
 * - phone: digits with country code, "+<digits>" (a leading 00 becomes +;
 *   without + the country's calling code is prefixed and one trunk 0
 *   dropped; with no known country the digits stay as given), 4..15
 *   digits; an extension (x12, ext 12, ext. 12, #12) is kept as ";ext=12";
 * - size limits as lead_field_limit.
 * country is the lead's ISO alpha-2 code or NULL.
 * On success returns 0 and *out is a malloc'd NUL-terminated string of
 * *out_len bytes; the caller frees it with lead_text_free(*out, *out_len).
 * An empty value (after trimming, for email and phone) yields *out = NULL,
 * *out_len = 0. On failure returns LV_EINVAL with an err_set message that
 * names the field and never echoes the value. */
int lead_field_normalize(char **out, size_t *out_len, lv_field field,
                         const char *in, size_t len, const char *country);

/* The string a blind index is computed over, from a stored (already
 * normalized) or user-given value:
 * - LV_LOOKUP_EMAIL: trimmed, NFC, Unicode case-folded;
 * - LV_LOOKUP_PHONE: the normalized phone without its extension.
 * Same ownership and errors as lead_field_normalize. */
int lead_index_form(char **out, size_t *out_len, lv_lookup kind,
                    const char *in, size_t len, const char *country);

/* The same from a value lead_field_normalize already gave (a stored value,
 * or a draft's): the email only case-folded, the phone only cut before its
 * extension. A value that was not so normalized gets a form no stored
 * lead has. */
int lead_index_form_of_normalized(char **out, size_t *out_len, lv_lookup kind, const char *value,
                                  size_t len);

/* Wipe len bytes (plus the terminating NUL) and free. NULL is a no-op. */
void lead_text_free(char *text, size_t len);

/* 1 when name is one of lv_source_names() / lv_stage_names(), else 0. */
int lead_source_valid(const char *name);
int lead_stage_valid(const char *name);

/* The channel / stage that name means, case ignored ("Qualified" is
 * "qualified"): 0 with *out the canonical (static) name, or LV_EINVAL
 * whose message lists the valid names and suggests the closest. */
int lead_source_resolve(const char **out, const char *name);
int lead_stage_resolve(const char **out, const char *name);

/* User names: 1..LV_NAME_MAX bytes of [A-Za-z0-9._-]. 1 valid, 0 not. */
int lead_user_name_valid(const char *name);

#endif
