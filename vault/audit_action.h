/* audit_action.h - every action the audit log records, with its meaning
 * (the one table: audit_append refuses a name that is not in it), and the
 * matching of --action patterns. A leaf: uses only error.c and
 * util_name.c. */
#ifndef LV_AUDIT_ACTION_H
#define LV_AUDIT_ACTION_H

/* 1 when name is in the table, else 0. */
int audit_action_known(const char *name);

/* 1 when action matches pattern: the name itself, a prefix of whole
 * dot-separated parts ("lead.find" matches "lead.find.email", "lead"
 * every lead action), or a glob where * matches any run of characters
 * and ? one ("lead.*", "*.export"). */
int audit_action_match(const char *pattern, const char *action);

/* 0 when pattern matches at least one action of the table; otherwise
 * LV_EINVAL naming the action families and the closest action. */
int audit_action_pattern_check(const char *pattern);

#endif
