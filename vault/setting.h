/* setting.h - vault settings (controller, DPO contact) as the reports
 * read them. */
#ifndef LV_SETTING_H
#define LV_SETTING_H

#include "session.h"

/* The value of setting name into out ("" when never set), after checking
 * its MAC: LV_ECORRUPT when the stored value was edited, LV_EINVAL for an
 * unknown name. Inside the caller's transaction; no audit. */
int setting_get(lv_vault *vault, const char *name, char out[LV_SETTING_VALUE_MAX + 1]);

#endif
