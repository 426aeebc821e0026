/* retention.h - retention rules as check consults them. */
#ifndef LV_RETENTION_H
#define LV_RETENTION_H

#include "session.h"
#include "store.h"

/* 0 when the retention rule's MAC is valid, else LV_ECORRUPT. */
int retention_rule_check(const lv_vault *vault, const store_rule *rule);

#endif
