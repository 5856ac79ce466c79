/* drift.h: `refold-mock drift DIR`: replays a recording against a fresh mock and reports where
 * the mock answers differently from what was recorded (mock/PROXY.md). */
#ifndef DRIFT_H
#define DRIFT_H

/* argv[0] is "drift". Exit status: 0 no drift, 1 drift, 2 bad usage or an unreadable recording. */
int drift_main(int argc, char **argv);

#endif
