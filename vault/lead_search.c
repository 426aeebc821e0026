/* lead_search.c - reveals over many leads: a listing with a purpose's
 * fields (lv_lead_list_reveal) and a search of names and company
 * (lv_lead_search). Both reveal only leads the caller may read (scope,
 * consent), and audit exactly the leads and fields they hand back, before
 * they hand anything back. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "audit.h"
#include "error.h"
#include "lead.h"
#include "lead_ops.h"
#include "lead_record.h"
#include "purpose.h"
#include "session.h"
#include "util_array.h"
#include "util_id.h"

/* The fields a search compares. */
#define SEARCHED (1u << LV_FIELD_FIRST_NAME | 1u << LV_FIELD_LAST_NAME | 1u << LV_FIELD_COMPANY)

/* What the caller may read of a stored lead under an authorized purpose:
 * 0, LV_EDENIED (scope or consent: leave it out), or an integrity error. */
static int readable(lv_vault *vault, const store_purpose *p, const store_lead *lead)
{
    int rc = lead_mac_check(vault, lead);
    if (rc != 0)
        return rc;
    if (!session_may_read(vault, lead->owner))
        return LV_EDENIED;
    return lead_consent_allows(vault, p, lead);
}

/* Gate of a bulk reveal: arguments, role, then a new transaction (a
 * read snapshot when read_only, else the write transaction of the entry). */
static int bulk_gate(lv_vault *vault, audit_event *event, const char *purpose, uint32_t fields,
                     char names[128], int read_only)
{
    if (fields & ~LV_FIELD_MASK_ALL)
        return err_set(LV_EINVAL, "fields: unknown field bits");
    if (!purpose_name_valid(purpose))
        return err_set(LV_EINVAL, "purpose: required (lower-case letters, digits and _)");
    lead_mask_names(names, fields);
    event->fields = names;
    int rc = audit_gate(vault, POLICY_LEAD_REVEAL, event);
    if (rc != 0)
        return rc;
    return read_only ? store_begin_read(vault->store) : store_begin(vault->store);
}

/* Inside the transaction: the purpose's rules; names gets the fields revealed. */
static int bulk_authorize(lv_vault *vault, const char *purpose, uint32_t fields, store_purpose *p,
                          uint32_t *mask, char names[128])
{
    int rc = purpose_authorize(vault, purpose, fields, p, mask);
    if (rc == 0)
        lead_mask_names(names, *mask);
    return rc;
}

/* ---- listing with fields ---- */

typedef struct listed {
    lv_vault *vault;
    const store_purpose *purpose;
    unsigned char *ids;
    size_t count, cap;
} listed;

static int list_collect(void *ctx, const store_lead *lead)
{
    listed *l = ctx;
    int rc = readable(l->vault, l->purpose, lead);
    if (rc != 0)
        return rc == LV_EDENIED ? 0 : rc;
    if (util_array_grow((void **)&l->ids, &l->cap, l->count + 1, LV_ID_BYTES, 256) != 0)
        return LV_ERROR;
    memcpy(l->ids + l->count++ * LV_ID_BYTES, lead->id, LV_ID_BYTES);
    return 0;
}

int lv_lead_list_reveal(lv_vault *vault, const lv_lead_filter *filter, const char *purpose,
                        uint32_t fields, lv_lead_fn fn, void *ctx)
{
    err_clear();
    audit_event event = {.action = "lead.list.show", .purpose = purpose};
    store_purpose p;
    uint32_t mask = 0;
    char names[128];
    store_lead_filter sf;
    int rc = lead_filter_resolve(&sf, filter);
    if (rc != 0 || (rc = bulk_gate(vault, &event, purpose, fields, names, 0)) != 0)
        return rc;
    rc = bulk_authorize(vault, purpose, fields, &p, &mask, names);
    if (vault->own_leads_only && sf.owner == NULL)
        sf.owner = vault->user; /* the others would be left out one by one */
    listed l = {.vault = vault, .purpose = &p};
    /* The first pass decides, without decrypting, which leads are shown;
     * the audit entry lists them and is committed before any is opened. */
    if (rc == 0)
        rc = store_lead_each(vault->store, &sf, 0, list_collect, &l);
    event.lead_ids = l.ids;
    event.lead_count = rc == 0 ? l.count : 0;
    if ((rc = audit_commit(vault, rc, &event)) != 0 || l.count == 0) {
        free(l.ids);
        return rc;
    }
    /* The second pass, in a snapshot of its own, opens the listed leads
     * one by one; one erased, reassigned or whose consent was withdrawn
     * since the entry is left out. */
    if ((rc = store_begin_read(vault->store)) != 0) {
        free(l.ids);
        return rc;
    }
    for (size_t i = 0; rc == 0 && i < l.count; i++) {
        store_lead lead;
        lv_lead *shown = NULL;
        rc = store_lead_get(vault->store, l.ids + i * LV_ID_BYTES, &lead);
        if (rc == LV_ENOTFOUND) {
            rc = 0;
            continue;
        }
        if (rc == 0 && (rc = readable(vault, &p, &lead)) == LV_EDENIED) {
            rc = 0;
            continue;
        }
        if (rc == 0 && (rc = lead_reveal(&shown, vault, &lead, mask)) == 0 && fn(ctx, shown) != 0)
            rc = 1;
        lv_lead_free(shown);
    }
    store_rollback(vault->store);
    free(l.ids);
    return rc == 1 ? 0 : rc;
}

/* ---- search ---- */

/* Text folded for comparison (NFKD, case fold, combining marks removed),
 * as code points, in guarded memory. */
typedef struct folded {
    utf8proc_int32_t *cp;
    size_t len, cap;
} folded;

static const utf8proc_option_t fold_options =
    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;

static void folded_free(folded *f)
{
    if (f->cp != NULL)
        sodium_free(f->cp);
    memset(f, 0, sizeof *f);
}

/* Append the folded text, then a 0 (which no value holds: a token never
 * matches across two fields). */
static int fold_append(folded *f, const char *text, size_t len)
{
    for (;;) {
        size_t room = f->cap - f->len;
        utf8proc_ssize_t n = utf8proc_decompose(
            (const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len,
            f->cp != NULL ? f->cp + f->len : NULL, (utf8proc_ssize_t)room, fold_options);
        if (n < 0)
            return err_set(LV_EINVAL, "search text: not valid UTF-8");
        if ((size_t)n < room) {
            f->len += (size_t)n;
            f->cp[f->len++] = 0;
            return 0;
        }
        size_t cap = 2 * (f->len + (size_t)n + 1);
        if (cap > SIZE_MAX / sizeof *f->cp)
            return err_set(LV_ERROR, "out of memory");
        utf8proc_int32_t *grown = sodium_malloc(cap * sizeof *grown);
        if (grown == NULL)
            return err_set(LV_ERROR, "out of memory");
        if (f->cp != NULL) {
            memcpy(grown, f->cp, f->len * sizeof *grown);
            sodium_free(f->cp);
        }
        f->cp = grown;
        f->cap = cap;
    }
}

static int is_space(utf8proc_int32_t c)
{
    return c == 0 || utf8proc_category(c) == UTF8PROC_CATEGORY_ZS || c == '\t' || c == '\n' ||
           c == '\r';
}

/* 1 when the code points [token, token + n) occur in hay. */
static int contains(const folded *hay, const utf8proc_int32_t *token, size_t n)
{
    for (size_t i = 0; i + n <= hay->len; i++) {
        if (memcmp(hay->cp + i, token, n * sizeof *token) == 0)
            return 1;
    }
    return 0;
}

/* 1 when every whitespace-separated token of query occurs in hay. */
static int matches(const folded *hay, const folded *query)
{
    size_t i = 0;
    while (i < query->len) {
        while (i < query->len && is_space(query->cp[i]))
            i++;
        size_t start = i;
        while (i < query->len && !is_space(query->cp[i]))
            i++;
        if (i > start && !contains(hay, query->cp + start, i - start))
            return 0;
    }
    return 1;
}

typedef struct search_ctx {
    lv_vault *vault;
    const store_purpose *purpose;
    uint32_t searched, mask;
    const folded *query;
    folded hay;
    size_t limit;
    lv_lead **items;
    unsigned char *ids;
    unsigned char *macs; /* each found lead's record MAC as the scan read it */
    size_t count;
} search_ctx;

static int search_one(void *ctx, const store_lead *lead)
{
    search_ctx *s = ctx;
    int rc = readable(s->vault, s->purpose, lead);
    if (rc != 0)
        return rc == LV_EDENIED ? 0 : rc;
    size_t need = lead_open_size(lead, s->searched);
    unsigned char *buf = session_scratch(s->vault, need);
    char *values[LV_FIELD_COUNT];
    size_t lens[LV_FIELD_COUNT];
    if (buf == NULL)
        return err_set(LV_ERROR, "out of memory");
    rc = lead_open_fields(s->vault, lead, s->searched, buf, values, lens);
    s->hay.len = 0;
    for (int f = 0; rc == 0 && f < LV_FIELD_COUNT; f++) {
        if (values[f] != NULL)
            rc = fold_append(&s->hay, values[f], lens[f]);
    }
    int hit = rc == 0 && s->hay.len > 0 && matches(&s->hay, s->query);
    sodium_memzero(buf, need);
    sodium_memzero(s->hay.cp, s->hay.len * sizeof *s->hay.cp);
    if (rc != 0 || !hit)
        return rc;
    if ((rc = lead_reveal(&s->items[s->count], s->vault, lead, s->mask)) != 0)
        return rc;
    memcpy(s->ids + s->count * LV_ID_BYTES, lead->id, LV_ID_BYTES);
    memcpy(s->macs + s->count * MAC_BYTES, lead->mac, MAC_BYTES);
    return ++s->count == s->limit ? 1 : 0;
}

/* In the entry's write transaction, after the scan's snapshot ended:
 * leave out each found lead that was erased or changed since (edited,
 * reassigned, its consent withdrawn: each changes the record MAC), so
 * nothing leaves that the vault no longer holds as it was read. */
static int search_recheck(search_ctx *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->count; i++) {
        store_lead now;
        int rc = store_lead_get(s->vault->store, s->ids + i * LV_ID_BYTES, &now);
        if (rc != 0 && rc != LV_ENOTFOUND)
            return rc;
        if (rc == 0 && memcmp(now.mac, s->macs + i * MAC_BYTES, MAC_BYTES) == 0) {
            s->items[kept] = s->items[i];
            memmove(s->ids + kept * LV_ID_BYTES, s->ids + i * LV_ID_BYTES, LV_ID_BYTES);
            kept++;
        } else {
            lv_lead_free(s->items[i]);
        }
    }
    for (size_t i = kept; i < s->count; i++)
        s->items[i] = NULL; /* freed, or moved down */
    s->count = kept;
    return 0;
}

int lv_lead_search(lv_lead ***out, size_t *count, lv_vault *vault, const char *text,
                   const char *purpose, size_t limit)
{
    err_clear();
    *out = NULL;
    *count = 0;
    audit_event event = {.action = "lead.search", .purpose = purpose};
    if (limit == 0)
        limit = LV_SEARCH_LIMIT_DEFAULT;
    if (limit > LV_SEARCH_LIMIT_MAX)
        return err_set(LV_EINVAL, "limit: at most %d", LV_SEARCH_LIMIT_MAX);
    folded query = {0};
    int rc = text != NULL ? fold_append(&query, text, strlen(text))
                          : err_set(LV_EINVAL, "search text: required");
    int blank = 1;
    for (size_t i = 0; rc == 0 && i < query.len; i++)
        blank &= is_space(query.cp[i]);
    if (rc == 0 && blank)
        rc = err_set(LV_EINVAL, "search text: empty");
    if (rc != 0) {
        folded_free(&query);
        return rc;
    }
    store_purpose p;
    uint32_t mask = 0;
    char names[128];
    search_ctx s = {.vault = vault, .purpose = &p, .query = &query, .limit = limit};
    /* The scan decrypts every readable lead: it runs in a read snapshot,
     * so other users' writes go on meanwhile; only the entry takes the
     * write lock, after the scan. */
    if ((rc = bulk_gate(vault, &event, purpose, 0, names, 1)) != 0) {
        folded_free(&query);
        return rc;
    }
    rc = bulk_authorize(vault, purpose, 0, &p, &mask, names);
    s.mask = mask;
    s.searched = mask & SEARCHED;
    if (rc == 0 && s.searched == 0)
        rc = err_set(LV_EDENIED,
                     "denied: purpose %s reveals none of first_name, last_name, company: "
                     "nothing to search",
                     p.name);
    /* items holds pointers. NOLINTNEXTLINE(bugprone-sizeof-expression) */
    if (rc == 0 && ((s.items = calloc(limit, sizeof *s.items)) == NULL ||
                    (s.ids = malloc(limit * LV_ID_BYTES)) == NULL ||
                    (s.macs = malloc(limit * MAC_BYTES)) == NULL))
        rc = err_set(LV_ERROR, "out of memory");
    if (rc == 0) {
        /* Only a scoped user's own leads are read at all. */
        store_lead_filter sf = {.owner = vault->own_leads_only ? vault->user : NULL};
        rc = store_lead_each(vault->store, &sf, 1, search_one, &s);
        rc = rc == 1 ? 0 : rc;
    }
    store_rollback(vault->store); /* ends the snapshot */
    folded_free(&s.hay);
    folded_free(&query);
    if (rc == 0 && (rc = store_begin(vault->store)) == 0)
        rc = search_recheck(&s);
    event.lead_ids = s.ids;
    event.lead_count = rc == 0 ? s.count : 0;
    /* Plaintext leaves only after its audit entry is committed. */
    rc = audit_commit(vault, rc, &event);
    free(s.ids);
    free(s.macs);
    if (rc != 0) {
        lv_lead_list_free(s.items, s.count);
        return rc;
    }
    *out = s.items;
    *count = s.count;
    return 0;
}
