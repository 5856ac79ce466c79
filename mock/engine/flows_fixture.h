/* flows_fixture.h: checks the flows sections of an app fixture (actions, config fields and
 * workflows, their templates and run definitions) so a bad fixture fails at start, by name. */
#ifndef FLOWS_FIXTURE_H
#define FLOWS_FIXTURE_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* 0, or -1 with "FIELD: reason" in err (e.g. "actions[1].records.id_param: names no parameter"). */
int flows_fixture_check(const cJSON *app, char *err, size_t n);

#endif
