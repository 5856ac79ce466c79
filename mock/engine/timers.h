/* timers.h: the list of everything that changes with time, handed to the clock at start. */
#ifndef TIMERS_H
#define TIMERS_H

#include "base/mock.h"

/* Registers every timer source with m's clock (clock_add_source); refold_mock.c calls it once at
 * start. The clock drives them and knows none of them by name. */
void timers_register(struct mock *m);

#endif
