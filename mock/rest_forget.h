/* rest_forget.h: what a deleted linked account takes with it in tables, datarefs, schedules, env values, MCP servers and PATs. */
#ifndef REST_FORGET_H
#define REST_FORGET_H

#include "mock.h"

/* Removes the linked account's datarefs, schedules, linked-account-scoped env values, the MCP
 * servers created for it and the persistent tables it owns (with their records). Joins the caller's transaction. */
void rest_forget_linked_account(struct mock *m, const struct tenant *t, const char *la);

#endif
