/* setup.h: applying a "setup" block (fixtures' seed data, a scenario's setup) to a tenant. */
#ifndef SETUP_H
#define SETUP_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* Checks a setup block without changing anything. 0, or -1 with "FIELD: reason" in err. */
int setup_validate(struct mock *m, const struct tenant *t, const cJSON *setup, char *err, size_t errlen);
/* Applies it in one transaction, through the same code as the API. 0, or -1 (nothing applied). */
int setup_apply(struct mock *m, const struct tenant *t, const cJSON *setup, char *err, size_t errlen);

#endif
