/* clock.h: the virtual clock: the only source of "now" for expiries, timers and timestamps. */
#ifndef CLOCK_H
#define CLOCK_H

#include "mock.h"

/* Virtual now in ms since the epoch: frozen unless --realtime, moved by clock_advance. */
long long clock_now_ms(struct mock *m);
/* Moves the clock forward by ms and fires every timer that falls due on the way. */
int clock_advance(struct mock *m, long long ms);
/* Back to the start (a full reset). */
void clock_reset(struct mock *m);

#endif
