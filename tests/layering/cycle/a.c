/* a.c: part of a deliberate include cycle (layering self-test). */
#include "b.h"
