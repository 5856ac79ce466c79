/* memo.c: unit tests for the read-route memo: hits only at the same key, generation and clock;
 * a body being sent outlives its replacement; oversized bodies are not kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "memo.h"

static const char *text_of(const struct memo_body *b)
{
    size_t len;
    return memo_body_text(b, &len);
}

static void hits_only_at_same_key_generation_and_clock(void **state)
{
    (void)state;
    struct memo *mc = memo_new();
    assert_null(memo_get(mc, "t\nla\n/x?", 7, 1000));
    memo_put(mc, "t\nla\n/x?", 7, 1000, "{\"a\":1}", 7);
    const struct memo_body *b = memo_get(mc, "t\nla\n/x?", 7, 1000);
    assert_non_null(b);
    size_t len;
    assert_string_equal(memo_body_text(b, &len), "{\"a\":1}");
    assert_int_equal(len, 7);
    memo_release(b);
    assert_null(memo_get(mc, "t\nlb\n/x?", 7, 1000));   /* another account */
    assert_null(memo_get(mc, "t\nla\n/x?", 7, 1001));   /* the clock moved */
    assert_null(memo_get(mc, "t\nla\n/x?", 7, 1000));   /* ... and the stale body was dropped */
    memo_put(mc, "t\nla\n/x?", 8, 1000, "{\"a\":2}", 7);
    assert_null(memo_get(mc, "t\nla\n/x?", 9, 1000));   /* a write happened since */
    memo_free(mc);
}

static void a_body_being_sent_outlives_its_replacement(void **state)
{
    (void)state;
    struct memo *mc = memo_new();
    memo_put(mc, "k", 1, 0, "old", 3);
    const struct memo_body *held = memo_get(mc, "k", 1, 0);
    assert_non_null(held);
    memo_put(mc, "k", 2, 0, "new", 3);
    memo_clear(mc);
    assert_string_equal(text_of(held), "old"); /* (AddressSanitizer: not freed under the reader) */
    memo_release(held);
    assert_null(memo_get(mc, "k", 2, 0));      /* cleared */
    memo_free(mc);
}

static void oversized_bodies_are_not_kept(void **state)
{
    (void)state;
    struct memo *mc = memo_new();
    size_t big = 300 * 1024;
    char *text = malloc(big);
    memset(text, 'x', big);
    memo_put(mc, "big", 1, 0, text, big);
    assert_null(memo_get(mc, "big", 1, 0));
    free(text);
    memo_free(mc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hits_only_at_same_key_generation_and_clock),
        cmocka_unit_test(a_body_being_sent_outlives_its_replacement),
        cmocka_unit_test(oversized_bodies_are_not_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
