/* lead_country.h - ISO 3166-1 alpha-2 codes and their calling codes. */
#ifndef LV_LEAD_COUNTRY_H
#define LV_LEAD_COUNTRY_H

/* Validate an ISO 3166-1 alpha-2 code, any case; writes the upper-case
 * code plus NUL to out. Returns 0 or LV_EINVAL (message names "country"). */
int lead_country_normalize(char out[3], const char *code);

/* International calling code of an upper-case alpha-2 country, e.g. "1"
 * for "US", "91" for "IN"; NULL when unknown. */
const char *lead_country_calling_code(const char *alpha2);

#endif
