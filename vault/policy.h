/* policy.h - who may do what: pure decisions, no I/O. */
#ifndef LV_POLICY_H
#define LV_POLICY_H

#include "leadvault.h"

typedef enum policy_action {
    POLICY_USER_MANAGE, /* user add / remove / list */
    POLICY_LEAD_WRITE,  /* lead add / update */
    POLICY_LEAD_REVEAL, /* lead get / find */
    POLICY_LEAD_LIST,   /* metadata listing */
    POLICY_CHECK,       /* integrity check: reveals nothing */
    POLICY_AUDIT_READ,  /* audit show / export */
    POLICY_AUDIT_VERIFY, /* audit verify / pubkey / checkpoint: reveal nothing */
    POLICY_ACTION_COUNT
} policy_action;

/* 0 when role may perform action, else LV_EDENIED with a message naming
 * the role and the action. */
int policy_check(lv_role role, policy_action action);

/* Human name of an action, for messages. */
const char *policy_action_name(policy_action action);

#endif
