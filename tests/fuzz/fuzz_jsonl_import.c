/* fuzz_jsonl_import.c - the JSON Lines import reader. */
#define FUZZ_IMPORT_FORMAT LV_IMPORT_JSONL
#include "fuzz_import.h"
