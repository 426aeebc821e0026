/* hold.h - legal holds as erasure and retention consult them. */
#ifndef LV_HOLD_H
#define LV_HOLD_H

#include "store.h"
#include "session.h"

/* *held = 1 when the lead is under a hold; LV_ECORRUPT when the hold
 * record fails its MAC (an inserted hold must not block erasure silently,
 * nor pass unnoticed). */
int hold_is_set(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES], int *held);

/* A hold freezes the lead's content as evidence: 0 when the lead is not
 * held, LV_EDENIED (with a message naming the lead) when it is, so that an
 * update, an import update or a consent change is refused until
 * compliance clears the hold. LV_ECORRUPT as hold_is_set. */
int hold_refuse_change(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES]);

/* Load a lead that the caller is about to change (its fields or its
 * consent): it must exist (lead_load), be within the user's scope
 * (session_require_owner: a scoped user changes only their own leads) and
 * not be frozen by a hold (hold_refuse_change). 0, or the first refusal. */
int hold_load_changeable(lv_vault *vault, const unsigned char lead_id[LV_ID_BYTES],
                         store_lead *lead);

/* 0 when the hold record's MAC is valid, else LV_ECORRUPT. */
int hold_check(const lv_vault *vault, const store_hold *hold);


#endif
