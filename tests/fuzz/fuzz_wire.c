/* fuzz_wire.c - the JSON layer of leadvault serve (server/wire.c) on any
 * bytes: a request body parsed as the server parses it (jansson, duplicate
 * keys refused), its {"b64"} byte strings decoded (wire_decode_bytes),
 * then read as a lead input, a lead and lead metadata.
 * Oracles: a body whose byte strings decode encodes again
 * (wire_encode_bytes, json_dumps) to text that parses and decodes to the
 * same document, byte for byte in every string; a lead that decodes
 * encodes again (wire_lead_json) to JSON that decodes to the same lead,
 * byte for byte in every value; the same for metadata; the error mapping
 * gives a row for every code. */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leadvault.h"
#include "wire.h"

static int same_meta(const lv_lead_meta *a, const lv_lead_meta *b)
{
    return strcmp(a->id, b->id) == 0 && strcmp(a->source, b->source) == 0 &&
           strcmp(a->source_detail, b->source_detail) == 0 && strcmp(a->stage, b->stage) == 0 &&
           strcmp(a->owner, b->owner) == 0 && strcmp(a->country, b->country) == 0 &&
           memcmp(a->signal, b->signal, sizeof a->signal) == 0 && a->created == b->created &&
           a->updated == b->updated && a->last_contact == b->last_contact;
}

/* What the other end sends: byte strings encoded, dumped, parsed and
 * decoded again give the same document. */
static void same_after_transit(const json_t *doc)
{
    json_error_t err;
    json_t *copy = json_deep_copy(doc);
    if (copy == NULL || wire_encode_bytes(copy) != 0)
        abort();
    char *text = json_dumps(copy, JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *again =
        text != NULL ? json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err) : NULL;
    if (again == NULL || wire_decode_bytes(again) != 0 || !json_equal(doc, again))
        abort();
    json_decref(again);
    free(text);
    json_decref(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536 || sodium_init() < 0) /* the CLI's main() calls it first, too */
        return 0;
    json_error_t err;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (doc == NULL)
        return 0;
    if (wire_decode_bytes(doc) != 0) {
        json_decref(doc);
        return 0;
    }
    same_after_transit(doc);
    lv_lead_input in;
    (void)wire_lead_input_from_json(&in, doc);
    lv_lead lead;
    if (wire_lead_from_json(&lead, doc) == 0) {
        json_t *again = wire_lead_json(&lead);
        lv_lead back;
        if (again == NULL || wire_lead_from_json(&back, again) != 0 ||
            !same_meta(&lead.meta, &back.meta))
            abort();
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            if ((lead.value[f] == NULL) != (back.value[f] == NULL) ||
                lead.value_len[f] != back.value_len[f] ||
                (lead.value[f] != NULL && memcmp(lead.value[f], back.value[f], lead.value_len[f])))
                abort();
        }
        wire_lead_values_free(&back);
        wire_lead_values_free(&lead);
        json_decref(again);
    }
    lv_lead_meta meta;
    if (wire_meta_from_json(&meta, doc) == 0) {
        json_t *again = wire_meta_json(&meta);
        lv_lead_meta back;
        if (again == NULL || wire_meta_from_json(&back, again) != 0 || !same_meta(&meta, &back))
            abort();
        json_decref(again);
    }
    const json_t *code = json_object_get(doc, "code");
    if (json_is_integer(code) && wire_error_for((int)json_integer_value(code)) == NULL)
        abort();
    json_decref(doc);
    return 0;
}
