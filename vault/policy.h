/* policy.h - who may do what, and whether a reveal is allowed: pure
 * decisions, no I/O. docs/roles.md is generated from the same table. */
#ifndef LV_POLICY_H
#define LV_POLICY_H

#include <stdint.h>

#include "leadvault.h"

typedef enum policy_action {
    POLICY_USER_MANAGE,    /* user add / remove / list */
    POLICY_LEAD_WRITE,     /* lead add / update */
    POLICY_LEAD_REVEAL,    /* lead get / find: then the purpose decides */
    POLICY_LEAD_LIST,      /* metadata listing */
    POLICY_LEAD_ASSIGN,    /* give a lead another owner */
    POLICY_CHECK,          /* integrity check: reveals nothing */
    POLICY_STATS,          /* counts: reveal nothing */
    POLICY_AUDIT_READ,     /* audit show / export */
    POLICY_AUDIT_VERIFY,   /* audit verify / pubkey / checkpoint: reveal nothing */
    POLICY_PURPOSE_MANAGE, /* purpose add / retire */
    POLICY_PURPOSE_LIST,   /* purpose list */
    POLICY_CONSENT_WRITE,  /* consent grant / withdraw */
    POLICY_CONSENT_READ,   /* consent show: evidence is sealed data */
    POLICY_ERASE,          /* erase a lead */
    POLICY_SUPPRESS_CHECK, /* is a person on the suppression list */
    POLICY_SUPPRESS_REMOVE, /* take a person off it */
    POLICY_HOLD,           /* legal holds */
    POLICY_RETENTION,      /* retention rules, plan and run */
    POLICY_SUBJECT,        /* subject access export */
    POLICY_BACKUP,         /* backup and restore */
    POLICY_REPORT,         /* compliance reports: counts, ids, names; no PII */
    POLICY_SETTING,        /* vault settings (controller, DPO contact) */
    POLICY_VAULT_KEYS,     /* rekey, upgrade: the vault's keys and format */
    POLICY_ACTION_COUNT
} policy_action;

/* 0 when role may perform action, else LV_EDENIED naming role and action. */
int policy_check(lv_role role, policy_action action);

/* Roles allowed an action, as a mask of 1 << lv_role. */
uint32_t policy_roles(policy_action action);

/* What a reveal decision needs to know of a purpose. */
typedef struct policy_purpose {
    const char *name;
    lv_basis basis;
    uint32_t fields;
    uint32_t roles;
    int retired;
} policy_purpose;

/* The purpose rules of a reveal: the purpose is active, the role may use
 * it, and every requested field is one it allows. requested 0 means the
 * purpose's own fields. On success *effective is the mask to reveal. */
int policy_reveal_purpose(lv_role role, const policy_purpose *purpose, uint32_t requested,
                          uint32_t *effective);

/* The consent rule: where the basis is consent, the lead must hold an
 * active, unexpired consent for the purpose. */
int policy_reveal_consent(const policy_purpose *purpose, int consent_active);

#endif
