/* concurrency.c: 32 concurrent clients for 10 s create and upsert linked accounts, connect, expire
 * and reconnect apps, mint session tokens and race each other for the same ids. Afterwards: no
 * 5xx, no record lost or duplicated, and every state change emitted its webhook exactly once.
 * (The store serialises all SQL through one connection and a recursive lock: there is one
 * writer at a time by construction, so this checks the lock covers every path.) */
#include "harness.h"
#include "receiver.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY "tk_acme_test"
#define LA "/api/v2/public/linked-account"
#define CLIENTS 32
/* 10 s of load; TH_LOAD_SECONDS shortens it where each request costs 20 to 50 times more (the
 * valgrind and TSan stages set 4): the load's length is not what the test asserts, what every
 * answer and webhook says is. */
static double load_seconds(void)
{
    const char *v = getenv("TH_LOAD_SECONDS");
    double s = v ? atof(v) : 0;
    return s >= 1 && s <= 10 ? s : 10.0;
}
#define SECONDS load_seconds()
#define RACE_SLOTS 4096

struct client {
    int index, port;
    double until;
    CURL *c;
    char *resp;
    size_t resp_len;
    /* results */
    int made;             /* linked accounts this client created: c<index>_<0..made-1> */
    long requests, s5xx, unexpected;
    char first_unexpected[512];
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    struct client *cl = ud;
    cl->resp = realloc(cl->resp, cl->resp_len + size * n + 1);
    memcpy(cl->resp + cl->resp_len, p, size * n);
    cl->resp_len += size * n;
    cl->resp[cl->resp_len] = 0;
    return size * n;
}

/* One request on the client's own keep-alive handle; returns the status. */
static long send_req(struct client *cl, const char *method, const char *path, const char *la, const char *body)
{
    char url[512], lh[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", cl->port, path);
    struct curl_slist *h = curl_slist_append(NULL, "x-api-key: " KEY);
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    if (la) {
        snprintf(lh, sizeof lh, "linked_account_id: %s", la);
        h = curl_slist_append(h, lh);
    }
    cl->resp_len = 0;
    if (cl->resp)
        cl->resp[0] = 0;
    curl_easy_setopt(cl->c, CURLOPT_URL, url);
    curl_easy_setopt(cl->c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(cl->c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(cl->c, CURLOPT_POSTFIELDS, body ? body : "");
    curl_easy_setopt(cl->c, CURLOPT_POSTFIELDSIZE, body ? (long)strlen(body) : 0L);
    long status = 0;
    if (curl_easy_perform(cl->c) == CURLE_OK)
        curl_easy_getinfo(cl->c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    cl->requests++;
    if (status >= 500 || status == 0)
        cl->s5xx++;
    return status;
}

static void expect(struct client *cl, long got, long want, const char *what)
{
    if (got == want)
        return;
    if (!cl->unexpected++)
        snprintf(cl->first_unexpected, sizeof cl->first_unexpected, "%s: %ld (expected %ld) %.300s", what, got, want,
                 cl->resp ? cl->resp : "");
}

/* Races for the same id: each slot is created by every client that gets there; exactly one may
 * win. wins[slot] counts the 200s. */
static int race_wins[RACE_SLOTS];
static pthread_mutex_t race_lock = PTHREAD_MUTEX_INITIALIZER;

static void *client_main(void *arg)
{
    struct client *cl = arg;
    cl->c = curl_easy_init();
    curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(cl->c, CURLOPT_WRITEDATA, cl);
    curl_easy_setopt(cl->c, CURLOPT_TIMEOUT, 30L);
    char id[64], body[512], path[256];
    for (int i = 0; th_seconds() < cl->until; i++) {
        snprintf(id, sizeof id, "c%02d_%d", cl->index, i);
        snprintf(body, sizeof body, "{\"linked_account_id\":\"%s\",\"name\":\"Client %d\"}", id, cl->index);
        expect(cl, send_req(cl, "POST", LA, NULL, body), 200, "create");
        cl->made = i + 1;
        snprintf(body, sizeof body, "{\"linked_account_id\":\"%s\",\"name\":\"Client %d, renamed\",\"udf\":{\"i\":\"%d\"}}",
                 id, cl->index, i);
        expect(cl, send_req(cl, "PUT", LA, NULL, body), 200, "upsert");
        const char *creds = "{\"sid\":\"AC7f3c9e2d41b8a6f05e1d2c3b4a596870\",\"number\":\"+15005550006\"}";
        expect(cl, send_req(cl, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", id, creds),
               200, "connect");
        snprintf(path, sizeof path, "/__mock/linked-accounts/%s/connections/twilio/expire", id);
        expect(cl, send_req(cl, "POST", path, NULL, "{\"reason\":\"revoked\"}"), 200, "expire");
        expect(cl, send_req(cl, "PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", id, creds),
               200, "reconnect");
        snprintf(body, sizeof body, "{\"linked_account_id\":\"%s\"}", id);
        expect(cl, send_req(cl, "POST", "/api/v2/public/session-token?force_refresh=true", NULL, body), 200, "token");
        /* Everyone upserts one shared account; and everyone tries to create the same new one. */
        snprintf(body, sizeof body, "{\"linked_account_id\":\"shared\",\"name\":\"Last writer %d\"}", cl->index);
        expect(cl, send_req(cl, "PUT", LA, NULL, body), 200, "shared upsert");
        int slot = i % RACE_SLOTS;
        snprintf(body, sizeof body, "{\"linked_account_id\":\"race_%d\",\"name\":\"Racer %d\"}", slot, cl->index);
        long st = send_req(cl, "POST", LA, NULL, body);
        if (st == 200) {
            pthread_mutex_lock(&race_lock);
            race_wins[slot]++;
            pthread_mutex_unlock(&race_lock);
        } else {
            expect(cl, st, 409, "race create");
        }
    }
    curl_easy_cleanup(cl->c);
    free(cl->resp);
    return NULL;
}

/* Every linked account of the tenant, by id, counted. */
static cJSON *all_accounts(refold_mock *m, int *total)
{
    cJSON *seen = cJSON_CreateObject();
    *total = 0;
    for (int page = 1;; page++) {
        char path[128];
        snprintf(path, sizeof path, LA "?page=%d&limit=1000", page);
        th_resp r = th_key(m, "GET", path, KEY, NULL, NULL);
        assert_int_equal(r.status, 200);
        const cJSON *d;
        int n = 0;
        cJSON_ArrayForEach(d, cJSON_GetObjectItem(r.json, "docs")) {
            const char *id = th_str(d, "account_id");
            cJSON *c = cJSON_GetObjectItem(seen, id);
            if (c)
                cJSON_SetNumberValue(c, c->valuedouble + 1);
            else
                cJSON_AddNumberToObject(seen, id, 1);
            n++;
        }
        *total += n;
        int more = cJSON_IsTrue(cJSON_GetObjectItem(r.json, "hasNextPage"));
        th_free(&r);
        if (!more)
            break;
    }
    return seen;
}

static void thirty_two_clients_for_ten_seconds(void **state)
{
    (void)state;
    refold_mock_options o;
    refold_mock_options_init(&o);
    o.webhook_backoff_ms = 50;
    refold_mock *m = th_start(&o);
    rcv *rc = rcv_start(0);
    char url[128];
    rcv_url(rc, "/hooks", url, sizeof url);
    rcv_subscribe(m, KEY, url, "[\"Connection Created\",\"Connection Expired\",\"Connection Deleted\"]", NULL, 0);

    struct client cl[CLIENTS];
    pthread_t th[CLIENTS];
    memset(cl, 0, sizeof cl);
    double until = th_seconds() + SECONDS;
    for (int i = 0; i < CLIENTS; i++) {
        cl[i].index = i;
        cl[i].port = refold_mock_port(m);
        cl[i].until = until;
        assert_int_equal(pthread_create(&th[i], NULL, client_main, &cl[i]), 0);
    }
    long requests = 0, s5xx = 0, unexpected = 0, made = 0;
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(th[i], NULL);
        requests += cl[i].requests;
        s5xx += cl[i].s5xx;
        unexpected += cl[i].unexpected;
        made += cl[i].made;
        if (cl[i].unexpected)
            fprintf(stderr, "concurrency: client %d: %ld unexpected, first: %s\n", i, cl[i].unexpected, cl[i].first_unexpected);
    }
    fprintf(stderr, "concurrency: %d clients, %.0f s: %ld requests (%.0f/s), %ld linked accounts, %ld 5xx, %ld unexpected\n",
            CLIENTS, SECONDS, requests, (double)requests / SECONDS, made, s5xx, unexpected);
    assert_int_equal(s5xx, 0);
    assert_int_equal(unexpected, 0);
    assert_true(made >= CLIENTS);

    /* No record lost or duplicated: every client's accounts once, one "shared", one per raced id. */
    int total = 0, races = 0;
    cJSON *seen = all_accounts(m, &total);
    for (int i = 0; i < CLIENTS; i++)
        for (int k = 0; k < cl[i].made; k++) {
            char id[64];
            snprintf(id, sizeof id, "c%02d_%d", i, k);
            const cJSON *c = cJSON_GetObjectItem(seen, id);
            if (!c || c->valueint != 1)
                fprintf(stderr, "concurrency: %s listed %d times\n", id, c ? c->valueint : 0);
            assert_true(c && c->valueint == 1);
        }
    for (int s = 0; s < RACE_SLOTS; s++) {
        char id[32];
        snprintf(id, sizeof id, "race_%d", s);
        const cJSON *c = cJSON_GetObjectItem(seen, id);
        assert_int_equal(race_wins[s], c ? 1 : 0); /* exactly one winner for every id that exists */
        races += c != NULL;
        if (c)
            assert_int_equal(c->valueint, 1);
    }
    const cJSON *shared = cJSON_GetObjectItem(seen, "shared");
    assert_true(shared && shared->valueint == 1);
    assert_int_equal(total, (int)made + races + 1);
    cJSON_Delete(seen);

    /* Each connection ended active, after exactly one expiry. */
    for (int i = 0; i < CLIENTS; i += 7)
        for (int k = 0; k < cl[i].made; k += 5) {
            char path[160];
            snprintf(path, sizeof path, "/__mock/linked-accounts/c%02d_%d/connections", i, k);
            th_resp r = th_key(m, "GET", path, KEY, NULL, NULL);
            assert_int_equal(r.status, 200);
            const cJSON *c = cJSON_GetArrayItem(r.json, 0);
            assert_string_equal(th_str(c, "status"), "active");
            th_free(&r);
        }

    /* Webhooks: two Connection Created and one Connection Expired per account, each exactly once. */
    long want = 3 * made;
    rcv_wait(rc, (int)want, 180000);
    int got = rcv_quiet(m, KEY, rc, 60000); /* a duplicate would have arrived by the time the outbox is settled */
    fprintf(stderr, "concurrency: %d webhooks received, %ld expected\n", got, want);
    assert_int_equal(got, want);
    cJSON *per = cJSON_CreateObject();
    for (int i = 0; i < got; i++) {
        cJSON *p = cJSON_Parse(rcv_get(rc, i)->body);
        assert_non_null(p);
        char k[160];
        snprintf(k, sizeof k, "%s|%s", th_str(p, "linked_account_id"), th_str(p, "event"));
        cJSON *c = cJSON_GetObjectItem(per, k);
        if (c)
            cJSON_SetNumberValue(c, c->valuedouble + 1);
        else
            cJSON_AddNumberToObject(per, k, 1);
        cJSON_Delete(p);
    }
    for (int i = 0; i < CLIENTS; i++)
        for (int k = 0; k < cl[i].made; k++) {
            char key[160];
            snprintf(key, sizeof key, "c%02d_%d|Connection Created", i, k);
            const cJSON *c = cJSON_GetObjectItem(per, key);
            assert_true(c && c->valueint == 2);
            snprintf(key, sizeof key, "c%02d_%d|Connection Expired", i, k);
            c = cJSON_GetObjectItem(per, key);
            assert_true(c && c->valueint == 1);
        }
    cJSON_Delete(per);
    cJSON *d = rcv_settled(m, KEY, 60000);
    const cJSON *e;
    cJSON_ArrayForEach(e, d)
        assert_string_equal(th_str(e, "status"), "delivered");
    cJSON_Delete(d);
    refold_mock_stop(m);
    rcv_stop(rc);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thirty_two_clients_for_ten_seconds),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
