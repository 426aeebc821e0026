/* synthetic_leads.h - reproducible, varied lead inputs for benchmarks.
 *
 * Leads come from a dozen locales: names in Latin (with accents, some in
 * decomposed NFD form), Cyrillic, Greek, Han, Kana, Hangul, Devanagari,
 * Tamil, Arabic and Thai scripts; phone numbers in the national or
 * international format of the lead's country, some with an extension;
 * company, title, ~60-byte notes, channel, stage, country and signals.
 * Every e-mail address is unique, also after case folding: it ends with
 * the lead's index in base 36. Nothing here is a real person. */
#ifndef LV_BENCH_SYNTHETIC_LEADS_H
#define LV_BENCH_SYNTHETIC_LEADS_H

#include <stddef.h>
#include <stdint.h>

#include "leadvault.h"

/* splitmix64: fast, and the same sequence on every platform. */
typedef struct synth_rng {
    uint64_t state;
} synth_rng;

void synth_rng_seed(synth_rng *rng, uint64_t seed);
uint64_t synth_rng_next(synth_rng *rng);
/* Uniform in [0, bound); bound > 0. */
uint64_t synth_rng_below(synth_rng *rng, uint64_t bound);

#define SYNTH_EMAIL_MAX 128

/* One generated lead. input points into the buffers of the same struct:
 * do not copy a synth_lead, fill it in place. */
typedef struct synth_lead {
    lv_lead_input input;
    char first_name[96];
    char last_name[96];
    char email[SYNTH_EMAIL_MAX];
    char phone[48];
    char company[128];
    char title[96];
    char notes[96];
    char source_detail[48];
    char country[3];
} synth_lead;

/* Fill *lead with a new synthetic lead; index (unique per vault) goes
 * into the e-mail address. now_ms anchors last_contact dates. */
void synth_lead_make(synth_lead *lead, synth_rng *rng, uint64_t index, int64_t now_ms);

/* Copy email into out (cap bytes, cap > strlen(email)) flipping the case
 * of each ASCII and Latin-1 letter with probability 1/2: the result has
 * the same case-folded form. */
void synth_email_vary_case(char *out, size_t cap, const char *email, synth_rng *rng);

#endif
