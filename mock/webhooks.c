/* webhooks.c: emission into the outbox. (Delivery thread: in progress, see issue 3.) */
#include "webhooks.h"

void webhooks_emit(struct mock *m, const struct tenant *t, const char *event, const char *la, const cJSON *fields)
{
    (void)m; (void)t; (void)event; (void)la; (void)fields;
}
int webhooks_start(struct mock *m) { (void)m; return 0; }
void webhooks_stop(struct mock *m) { (void)m; }
void webhooks_kick(struct mock *m) { (void)m; }
