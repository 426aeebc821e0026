/* audit_action.c - the table of audit actions and their meanings. */
#include <stdio.h>
#include <string.h>

#include "audit_action.h"
#include "error.h"
#include "leadvault.h"
#include "util_name.h"

/* Every action an audit entry can name. An operation that records a name
 * missing here fails (audit_append), so a new action cannot ship without
 * its line in `leadvault audit actions`. Kept by family, then by name. */
static const lv_audit_action actions[] = {
    {"audit.export", "the audit log was exported (audit export)"},
    {"audit.show", "audit entries were read (audit show)"},
    {"audit.verify", "the audit chain and its checkpoint signatures were verified (audit verify)"},
    {"consent.grant", "a lead's consent to a purpose was recorded, with its evidence"},
    {"consent.show", "a lead's consent history was read, evidence included"},
    {"consent.withdraw", "a lead's consent to a purpose was withdrawn"},
    {"erase.receipt", "a signed erasure receipt was handed out; subject: the entry it proves"},
    {"hold.clear", "a legal hold on a lead was lifted"},
    {"hold.list", "the legal holds were listed"},
    {"hold.set", "a lead was put under legal hold (no erasure while it lasts)"},
    {"lead.add", "a lead was added; fields names the personal fields given"},
    {"lead.assign", "a lead was given another owner; subject names the new owner"},
    {"lead.erase", "a lead was erased (crypto-shredded); request and ground say why"},
    {"lead.export", "leads were exported for a purpose; every exported lead id is listed"},
    {"lead.find.email", "leads were looked up by email and revealed for a purpose"},
    {"lead.find.phone", "leads were looked up by phone and revealed for a purpose"},
    {"lead.get", "a lead's fields were revealed for a purpose"},
    {"lead.import", "a batch of leads was imported; every added lead id is listed"},
    {"lead.import.dry_run", "an import was tried without storing anything (import --dry-run)"},
    {"lead.list", "lead metadata was listed (no personal data)"},
    {"lead.list.show", "leads were listed with fields revealed for a purpose; every one is listed"},
    {"lead.search", "leads were searched by name or company; the matches shown are listed"},
    {"lead.update", "a lead was changed; fields names the personal fields changed"},
    {"purpose.add", "a purpose was defined (basis, fields, roles)"},
    {"purpose.list", "the purposes were listed"},
    {"purpose.retire", "a purpose was retired: nothing can be revealed for it any more"},
    {"report.access", "an access report was made (report access; counts, no personal data)"},
    {"report.consent", "a consent report was made (report consent; counts, no personal data)"},
    {"report.erasure", "an erasure report was made (report erasure; counts, no personal data)"},
    {"report.processing", "the record of processing was made (report processing)"},
    {"report.retention",
     "a retention report was made (report retention; counts, no personal data)"},
    {"retention.add", "a retention rule was added"},
    {"retention.list", "the retention rules were listed"},
    {"retention.plan", "the leads due under the retention rules were listed"},
    {"retention.remove", "a retention rule was removed"},
    {"retention.run", "a retention run erased the leads that were due"},
    {"setting.list", "the vault settings were listed (setting list)"},
    {"setting.set", "a vault setting was set; subject names it, never its value"},
    {"stats", "lead counts were read (no personal data)"},
    {"subject.export", "a person's data was exported for an access or portability request"},
    {"suppress.check", "an email or phone was checked against the suppression list"},
    {"suppress.remove", "an email or phone was taken off the suppression list"},
    {"user.add", "a user was added; subject names the user"},
    {"user.convert", "a user's format-1 keyslot became a key-pair slot at their first unlock"},
    {"user.list", "the users were listed"},
    {"user.passwd", "a user's passphrase was changed"},
    {"user.remove", "a user was removed"},
    {"user.role", "a user's role was changed; their key envelope was sealed for the new role"},
    {"vault.backup", "a backup of the vault was written"},
    {"vault.backup.failed", "writing a backup failed after it was recorded"},
    {"vault.check", "every keyslot, record and sealed value was verified (check)"},
    {"vault.create", "the vault was created with its first admin"},
    {"vault.rekey", "the vault keys were renewed; subject certifies the new audit signing key"},
    {"vault.restore", "the vault was restored from a backup"},
    {"vault.session.refused", "the server refused a token of the actor's ended session (logout, "
                              "expiry, revocation)"},
    {"vault.unlock", "an unlock failed: wrong passphrase or unknown user"},
    {"vault.upgrade", "the vault was upgraded from an older format"},
    {NULL, NULL},
};

#define ACTION_COUNT (sizeof actions / sizeof actions[0] - 1)

const lv_audit_action *lv_audit_actions(void)
{
    return actions;
}

int audit_action_known(const char *name)
{
    for (size_t i = 0; name != NULL && i < ACTION_COUNT; i++) {
        if (strcmp(actions[i].name, name) == 0)
            return 1;
    }
    return 0;
}

/* * matches any run of characters, ? one. Iterative: on a mismatch the
 * last * takes one more character. */
static int glob_match(const char *pattern, const char *text)
{
    const char *star = NULL, *resume = NULL;
    while (*text != '\0') {
        if (*pattern == '*') {
            star = pattern++;
            resume = text;
        } else if (*pattern != '\0' && (*pattern == '?' || *pattern == *text)) {
            pattern++;
            text++;
        } else if (star != NULL) {
            pattern = star + 1;
            text = ++resume;
        } else {
            return 0;
        }
    }
    while (*pattern == '*')
        pattern++;
    return *pattern == '\0';
}

int audit_action_match(const char *pattern, const char *action)
{
    if (strpbrk(pattern, "*?") != NULL)
        return glob_match(pattern, action);
    size_t n = strlen(pattern);
    return strncmp(pattern, action, n) == 0 && (action[n] == '\0' || action[n] == '.');
}

/* The names a pattern is compared with for a suggestion: every action and
 * every prefix of whole parts of one ("lead", "lead.find"), the
 * families joined in *families. Returns the count. */
static size_t suggestions(const char *names[], char prefixes[][32], size_t max, char *families,
                          size_t families_size)
{
    size_t count = 0, nprefix = 0, at = 0;
    families[0] = '\0';
    for (size_t i = 0; i < ACTION_COUNT && count + 1 < max; i++) {
        names[count++] = actions[i].name;
        for (const char *dot = strchr(actions[i].name, '.'); dot != NULL && count + 1 < max;
             dot = strchr(dot + 1, '.')) {
            int len = (int)(dot - actions[i].name);
            int seen = 0;
            for (size_t k = 0; k < nprefix && !seen; k++)
                seen = strlen(prefixes[k]) == (size_t)len &&
                       strncmp(prefixes[k], actions[i].name, (size_t)len) == 0;
            if (seen || len >= 32 || nprefix >= ACTION_COUNT)
                continue;
            (void)snprintf(prefixes[nprefix], 32, "%.*s", len, actions[i].name);
            names[count++] = prefixes[nprefix++];
        }
        /* A family: the first part, once (the table is sorted). */
        size_t n = strcspn(actions[i].name, ".");
        if (i == 0 || strncmp(actions[i - 1].name, actions[i].name, n) != 0 ||
            strcspn(actions[i - 1].name, ".") != n) {
            int w = snprintf(families + at, families_size - at, "%s%.*s", at ? ", " : "", (int)n,
                             actions[i].name);
            at = w < 0 || (size_t)w >= families_size - at ? at : at + (size_t)w;
        }
    }
    names[count] = NULL;
    return count;
}

int audit_action_pattern_check(const char *pattern)
{
    for (size_t i = 0; pattern != NULL && pattern[0] != '\0' && i < ACTION_COUNT; i++) {
        if (audit_action_match(pattern, actions[i].name))
            return 0;
    }
    const char *names[2 * ACTION_COUNT + 1];
    char prefixes[ACTION_COUNT][32];
    char families[200];
    (void)suggestions(names, prefixes, sizeof names / sizeof names[0], families, sizeof families);
    const char *closest = util_name_closest(names, pattern);
    return err_set(LV_EINVAL,
                   "action: no action matches%s%s%s; give an action, a prefix (lead.find) or a "
                   "glob (lead.*) of: %s ('leadvault audit actions' lists them)",
                   closest != NULL ? " (did you mean " : "", closest != NULL ? closest : "",
                   closest != NULL ? "?)" : "", families);
}
