/* header_alone.c - include/leadvault.h must compile on its own, first and
 * alone, warning-free under -std=c11 -Wall -Wextra -pedantic -Werror (and
 * as C++). The uses below make the compiler look at every _INIT macro and
 * at the types an application touches first. */
#include "leadvault.h"

int header_alone_use(void);

int header_alone_use(void)
{
    lv_create_options create = LV_CREATE_OPTIONS_INIT;
    lv_open_options open = LV_OPEN_OPTIONS_INIT;
    lv_kdf_params kdf = {LV_KDF_MEMORY_KIB_MIN, LV_KDF_ITERATIONS_MIN, 1};
    lv_lead_filter filter = {NULL, NULL, NULL};
    lv_field field = LV_FIELD_NOTES;
    lv_role role = LV_ROLE_AUDITOR;
    lv_lookup by = LV_LOOKUP_EMAIL;
    lv_signal signal = LV_SIGNAL_YES;
    char id[LV_ID_STRLEN + 1] = {0};
    create.kdf = kdf;
    (void)filter;
    (void)id;
    return (int)create.version + (int)open.version + (int)field + (int)role + (int)by +
           (int)signal + (int)(LV_FIELD_MASK_ALL & 1u) + LV_EAUTH;
}
