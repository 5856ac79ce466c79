/* clock.h: the virtual clock: the only source of "now" for expiries, timers and timestamps. */
#ifndef CLOCK_H
#define CLOCK_H

#include "base/mock.h"

/* A piece of state that changes with time (token lifetimes, executions, scenario steps,
 * schedules). The clock knows only these questions, never a subsystem by name: whoever wires
 * the mock registers the sources (timers.c's list, from refold_mock.c), so no subsystem that
 * reads the clock is below it. */
struct timer_source {
    const char *name;
    long long (*next_due)(struct mock *m);        /* earliest due time (virtual ms) or LLONG_MAX */
    void (*fire)(struct mock *m, long long now);  /* act on everything due at or before now */
    /* For a source whose firings are unbounded in a window (schedules): how many of t's would
     * fall due in (from, to], counting no further than cap + 1. NULL: bounded by the state. */
    long long (*count_due)(struct mock *m, const struct tenant *t, long long from, long long to, long long cap);
};
/* Adds s (kept by pointer) to m's sources, at start before any advance; for equal due times the
 * earlier added fires first. 0, or -1 when m holds no more. */
int clock_add_source(struct mock *m, const struct timer_source *s);

/* Every tenant has its own virtual clock: the shared base (frozen unless --realtime, moved for
 * all by clock_advance) plus the tenant's own advances (clock_advance_tenant), so parallel test
 * workers in their own tenants never see each other's time. */

/* Virtual now in ms since the epoch of t's clock; NULL: the shared base. */
long long clock_now(struct mock *m, const struct tenant *t);
/* How far t's clock (NULL: the shared base) has been advanced since the start, read safely
 * while other requests advance or reset it. */
long long clock_offset(struct mock *m, const struct tenant *t);
/* clock_now of the tenant this thread works for (clock_scope), else the base. */
long long clock_now_ms(struct mock *m);
/* The tenant whose clock clock_now_ms reads on this thread (the dispatcher sets it per request). */
void clock_scope(const struct tenant *t);
const struct tenant *clock_scoped(void);
/* An advance does all that falls due on the way or nothing: one that would start more than
 * ADVANCE_MAX_RUNS scheduled runs in a tenant is refused before it starts (ADVANCE_TOO_LARGE).
 * One tenant's advance holds the store only a step at a time: other tenants' requests go on. */
#define ADVANCE_MAX_RUNS 10000
#define ADVANCE_MAX_STEPS 1000000LL /* a safety net against a timer that never clears; not a limit */
#define ADVANCE_TOO_LARGE 1
/* Moves every tenant's clock forward by ms and fires every timer that falls due on the way,
 * each tenant's in its own time order. 0, ADVANCE_TOO_LARGE (nothing moved; *would, when not
 * NULL, gets the count that was over the limit), or -1. */
int clock_advance(struct mock *m, long long ms);
int clock_advance_n(struct mock *m, long long ms, long long *would);
/* 1 once the mock is stopping (refold_mock_stop): an advance gives up between two steps, so a
 * stop never waits for a long one; its handler answers 503 then. */
int clock_stopping(struct mock *m);
/* Moves t's clock only, firing only t's timers; returns as clock_advance_n. */
int clock_advance_tenant(struct mock *m, const struct tenant *t, long long ms);
int clock_advance_tenant_n(struct mock *m, const struct tenant *t, long long ms, long long *would);
/* At start: finishes an advance a killed mock left half done (--db), from where its last
 * committed step left the clock. */
void clock_resume(struct mock *m);
/* t's clock back to the shared base (a tenant reset). */
void clock_reset_tenant(struct mock *m, const struct tenant *t);
/* At start: the base from --clock-start or the wall, then the offsets a --db file kept. */
void clock_reset(struct mock *m);
/* The shared offset back to 0 (a full reset; each tenant's own goes by clock_reset_tenant). The
 * caller holds the store lock. */
void clock_rewind(struct mock *m);

#endif
