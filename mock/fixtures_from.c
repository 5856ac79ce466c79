/* fixtures_from.c: placeholder */
#include "fixtures_from.h"
int fixtures_from_main(int argc, char **argv) { (void)argc; (void)argv; return 2; }
