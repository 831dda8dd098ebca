/* test_arena.c - the bump arena: alignment, zeroing and no overlap when
 * 8-byte (arena_alloc_small) and 16-byte (arena_alloc) blocks mix, across
 * chunks, big blocks and huge-page chunks, on mapped memory and on a
 * caller's allocator; and no block lost when the ends of the chunks
 * behind the current one are given back (arena_release_behind). */
#include <stdint.h>

#include "testutil.h"

struct blk {
    unsigned char *p;
    size_t n;
    unsigned char fill;
};

/* A small deterministic generator (xorshift). */
static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* release: give back the chunks' ends every so often, and after adopting
 * a second arena's chunks (the two halves of a file, journal.c). */
static void mix(struct arena *a, bool release)
{
    enum { N = 20000 };
    struct blk *b = malloc(N * sizeof *b);
    ck_assert_ptr_nonnull(b);
    uint32_t seed = 2463534242u;
    for (int i = 0; i < N; i++) {
        uint32_t r = next_rand(&seed);
        size_t n = 1 + r % 300;
        if (i % 997 == 0)
            n = 70 * 1024 + r % 4096;           /* a big block of its own */
        if (i == 15000)
            n = 3u << 20;                       /* more than a chunk */
        bool small = (r >> 16) & 1;
        unsigned char *p = small ? arena_alloc_small(a, n) : arena_alloc(a, n);
        if (!p || (uintptr_t)p % (small ? 8 : 16))
            ck_abort_msg("block %d (%zu bytes, %s) at %p", i, n, small ? "small" : "aligned",
                         (void *)p);
        size_t k = 0;
        while (k < n && p[k] == 0)
            k++;
        if (k < n)
            ck_abort_msg("block %d not zeroed at %zu", i, k);
        if (!arena_owns(a, p) || !arena_owns(a, p + n - 1))
            ck_abort_msg("block %d not the arena's", i);
        b[i] = (struct blk){ p, n, (unsigned char)(1 + i % 251) };
        memset(p, b[i].fill, n);
        if (release && i % 1000 == 999)
            arena_release_behind(a);
        if (release && i == 10000) {
            /* Another arena's blocks, adopted, then the ends released. */
            struct arena *o = arena_new(arena_mem(a));
            for (int k = 0; k < 200; k++) {
                unsigned char *q = arena_alloc(o, 20000);
                ck_assert(q[0] == 0 && q[19999] == 0);
                memset(q, 0xA5, 20000);
                b[i - 1 - k].p = q;                  /* checked at the end */
                b[i - 1 - k].n = 20000;
                b[i - 1 - k].fill = 0xA5;
            }
            arena_adopt(a, o);
            arena_free(o);
            arena_release_behind(a);
        }
    }
    int local = 0;
    unsigned char *heap = malloc(64);
    ck_assert(!arena_owns(a, &local) && !arena_owns(a, heap) && !arena_owns(a, NULL));
    free(heap);
    for (int i = 0; i < N; i++) {
        size_t k = 0;
        while (k < b[i].n && b[i].p[k] == b[i].fill)
            k++;
        if (k < b[i].n)
            ck_abort_msg("block %d overwritten at %zu", i, k);
    }
    free(b);
}

START_TEST(mixed_alignments)
{
    struct arena *a = test_arena();
    int local = 0;
    ck_assert(!arena_owns(a, &local));              /* no chunk yet */
    mix(a, false);
    test_arena_free(a);
}
END_TEST

START_TEST(release_behind_keeps_blocks)
{
    struct arena *a = test_arena();
    arena_release_behind(a);                        /* no chunk: nothing */
    mix(a, true);
    test_arena_free(a);
}
END_TEST

static void *my_alloc(void *ud, size_t n) { ++*(int *)ud; return malloc(n); }
static void *my_realloc(void *ud, void *p, size_t n) { (void)ud; return realloc(p, n); }
static void my_free(void *ud, void *p) { if (p) --*(int *)ud; free(p); }

START_TEST(mixed_alignments_own_allocator)
{
    int live = 0;
    struct allocator al = { my_alloc, my_realloc, my_free, &live };
    struct mem *m = mem_new(&al);
    ck_assert_ptr_nonnull(m);
    struct arena *a = arena_new(m);
    mix(a, true);
    ck_assert_int_gt(live, 2);
    arena_free(a);
    mem_free(m);
    ck_assert_int_eq(live, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("arena");
    TCase *tc = tcase_create("arena");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, mixed_alignments);
    tcase_add_test(tc, mixed_alignments_own_allocator);
    tcase_add_test(tc, release_behind_keeps_blocks);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
