/* b.c */
#include "a.h"
