/* fuzz_csv_import.c - the CSV import reader. */
#define FUZZ_IMPORT_FORMAT LV_IMPORT_CSV
#include "fuzz_import.h"
