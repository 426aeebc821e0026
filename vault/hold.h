/* hold.h - legal holds as erasure and retention consult them. */
#ifndef LV_HOLD_H
#define LV_HOLD_H

#include "store.h"
#include "session.h"

/* *held = 1 when the lead is under a hold; LV_ECORRUPT when the hold
 * record fails its MAC (an inserted hold must not block erasure silently,
 * nor pass unnoticed). */
int hold_is_set(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES], int *held);

/* 0 when the hold record's MAC is valid, else LV_ECORRUPT. */
int hold_check(const lv_vault *vault, const store_hold *hold);


#endif
