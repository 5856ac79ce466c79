/* form.h: multipart/form-data request bodies, read with CivetWeb's form parser. */
#ifndef FORM_H
#define FORM_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "base/mock.h"

/* 1 when the request's Content-Type is multipart/form-data. */
int form_is_multipart(req *r);

/* Reads the (unread: a FORM_BODY route) multipart body into an object: a plain field as its
 * string value, a file field as {"filename", "size" (bytes), "mimetype" (from the file name)}.
 * The contents of files are not kept. NULL when the body is malformed or exceeds MOCK_MAX_BODY,
 * with the reason in err and *too_large set for the second. */
cJSON *form_read(req *r, int *too_large, char *err, size_t n);

#endif
