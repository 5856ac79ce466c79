/* forget.h: deleting a linked account and everything it owned (forget.c). */
#ifndef FORGET_H
#define FORGET_H

#include "base/mock.h"

/* Deletes linked account id and everything it owned (forget_parts in forget.c), in one
 * transaction: 0, 1 when there is no such account, -1 on a store error. */
int forget_linked_account(struct mock *m, const struct tenant *t, const char *id);

#endif
