/* fixtures_from.h: `refold-mock fixtures-from DIR --out FIXTURES_DIR`: app fixtures from what a
 * recording saw (mock/PROXY.md). */
#ifndef FIXTURES_FROM_H
#define FIXTURES_FROM_H

/* argv[0] is "fixtures-from". Exit status 0, or 2 with a reason on stderr. */
int fixtures_from_main(int argc, char **argv);

#endif
