/* form.c: reads multipart/form-data bodies into JSON with CivetWeb's mg_handle_form_request. */
#include "base/form.h"
#include "base/json.h"
#include "base/http.h"
#include "base/util.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct form_read {
    cJSON *out;
    cJSON *file;            /* the file field being read, or NULL for a plain field */
    char key[256];
    char *text;             /* the plain field's value so far */
    size_t len, total;
    int too_large, bad;
};

int form_is_multipart(req *r)
{
    const char *ct = http_header(r, "Content-Type");
    return ct && !strncasecmp(ct, "multipart/form-data", 19);
}

/* The previous field is complete: into the object. */
static void flush(struct form_read *f)
{
    if (!f->key[0])
        return;
    if (f->file) {
        cJSON_AddNumberToObject(f->file, "size", (double)f->len);
        json_set(f->out, f->key, f->file);
    } else if (f->text && !util_utf8_valid(f->text, f->len)) {
        f->bad = 1;
    } else {
        json_set(f->out, f->key, cJSON_CreateString(f->text ? f->text : ""));
    }
    free(f->text);
    f->text = NULL;
    f->file = NULL;
    f->key[0] = 0;
    f->len = 0;
}

static int field_found(const char *key, const char *filename, char *path, size_t pathlen, void *user)
{
    struct form_read *f = user;
    (void)path, (void)pathlen;
    flush(f);
    if (f->bad || !util_copy(f->key, sizeof f->key, key))
        return f->bad = 1, MG_FORM_FIELD_STORAGE_ABORT;
    if (filename && *filename) { /* CivetWeb passes "" for a plain field */
        f->file = cJSON_CreateObject();
        cJSON_AddStringToObject(f->file, "filename", filename);
        cJSON_AddStringToObject(f->file, "mimetype", mg_get_builtin_mime_type(filename));
    }
    return MG_FORM_FIELD_STORAGE_GET;
}

/* Called once or more per field, with its next chunk. */
static int field_get(const char *key, const char *value, size_t len, void *user)
{
    struct form_read *f = user;
    (void)key;
    f->total += len;
    if (f->total > MOCK_MAX_BODY)
        return f->too_large = 1, MG_FORM_FIELD_HANDLE_ABORT;
    if (!f->file) {
        f->text = realloc(f->text, f->len + len + 1);
        memcpy(f->text + f->len, value, len);
        f->text[f->len + len] = 0;
    }
    f->len += len;
    return MG_FORM_FIELD_HANDLE_GET;
}

static int field_store(const char *path, long long size, void *user)
{
    (void)path, (void)size, (void)user;
    return MG_FORM_FIELD_HANDLE_ABORT; /* never asked for: field_found only gets */
}

cJSON *form_read(req *r, int *too_large, char *err, size_t n)
{
    struct form_read f = {.out = cJSON_CreateObject()};
    struct mg_form_data_handler h = {field_found, field_get, field_store, &f};
    int fields = mg_handle_form_request(r->conn, &h);
    flush(&f);
    cJSON_Delete(f.file);
    free(f.text);
    *too_large = f.too_large;
    if (fields < 0 || f.bad || f.too_large) {
        snprintf(err, n, "%s", f.too_large ? "the form exceeds the body limit"
                               : f.bad ? "a form field's name or value is not valid (names up to 255 bytes, values UTF-8)"
                                       : "malformed multipart/form-data body");
        cJSON_Delete(f.out);
        return NULL;
    }
    return f.out;
}
