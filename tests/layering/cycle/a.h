/* a.h */
#include "b.h"
