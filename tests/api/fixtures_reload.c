/* fixtures_reload.c: POST /__mock/reset re-reads the fixtures directory: an edited app file is
 * served after the reset; a broken one is refused naming its file and field, and the old
 * fixtures and all state stay. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACME "tk_acme_test"

static void sh(const char *fmt, const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    assert_int_equal(system(cmd), 0);
}

static char *app_name(refold_mock *m)
{
    th_resp r = th_key(m, "GET", "/api/v2/public/application/hubspot", ACME, "reload-user", NULL);
    assert_int_equal(r.status, 200);
    char *name = strdup(th_str(r.json, "name"));
    th_free(&r);
    return name;
}

static long la_status(refold_mock *m)
{
    th_resp r = th_key(m, "GET", "/api/v2/public/linked-account/reload-user", ACME, NULL, NULL);
    long s = r.status;
    th_free(&r);
    return s;
}

static void reset_rereads_edited_and_refuses_broken(void **state)
{
    (void)state;
    char dir[] = "/tmp/refold-reload-XXXXXX";
    assert_non_null(mkdtemp(dir));
    sh("cp -r '%s/fixtures/.' '%s/'", REFOLD_SOURCE_DIR, dir);
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.fixtures_dir = dir;
    refold_mock *m = th_start(&o);
    th_resp r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL, "{\"linked_account_id\":\"reload-user\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    char *name = app_name(m);
    assert_string_equal(name, "Hubspot");
    free(name);

    /* an edit is not seen until a reset, then it is */
    sh("sed -i 's/\"name\": \"Hubspot\"/\"name\": \"HubSpot CRM (edited)\"/' '%s/apps/hubspot.json'%s", dir, "");
    name = app_name(m);
    assert_string_equal(name, "Hubspot");
    free(name);
    th_admin_ok(m, "/__mock/reset", NULL);
    assert_int_equal(la_status(m), 404); /* the reset did happen */
    r = th_key(m, "POST", "/api/v2/public/linked-account", ACME, NULL, "{\"linked_account_id\":\"reload-user\"}");
    th_free(&r);
    name = app_name(m);
    assert_string_equal(name, "HubSpot CRM (edited)");
    free(name);

    /* a broken file: 400 naming file and field; the edited fixtures and the linked account stay */
    sh("sed -i 's/\"auth_type\": \"oauth2\"/\"auth_type\": \"magic\"/' '%s/apps/hubspot.json'%s", dir, "");
    r = th_request(m, "POST", "/__mock/reset", NULL, NULL);
    assert_string_equal(th_assert_error(&r, 400), "INVALID_FIXTURES");
    const char *msg = th_str(r.json, "message");
    assert_non_null(strstr(msg, "apps/hubspot.json"));
    assert_non_null(strstr(msg, "auth_type"));
    th_free(&r);
    assert_int_equal(la_status(m), 200);
    name = app_name(m);
    assert_string_equal(name, "HubSpot CRM (edited)");
    free(name);

    /* not JSON at all: named with its line */
    sh("echo '{\"name\": ' > '%s/apps/hubspot.json'%s", dir, "");
    r = th_request(m, "POST", "/__mock/reset", NULL, NULL);
    th_assert_error(&r, 400);
    assert_non_null(strstr(th_str(r.json, "message"), "apps/hubspot.json"));
    th_free(&r);
    assert_int_equal(la_status(m), 200);

    refold_mock_stop(m);
    sh("rm -rf '%s'%s", dir, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reset_rereads_edited_and_refuses_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
