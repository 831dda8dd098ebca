/* test_arena.c - the bump arena: alignment, zeroing and no overlap when
 * 8-byte (arena_alloc_small) and 16-byte (arena_alloc) blocks mix, across
 * chunks, big blocks and huge-page chunks, on mapped memory and on a
 * caller's allocator; no block lost when the ends of the chunks are given
 * back (arena_settle) and the arena goes on in small pages; and what
 * settling gives back, and what is faulted in ahead after it. */
#define _DEFAULT_SOURCE             /* mincore, MAP_ANONYMOUS */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

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
            arena_settle(a);
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
            arena_settle(a);
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

START_TEST(settle_keeps_blocks)
{
    struct arena *a = test_arena();
    arena_settle(a);                                /* no chunk: nothing */
    mix(a, true);
    test_arena_free(a);
}
END_TEST

/* Chunks come from mmap only without AddressSanitizer. */
#if !defined(__SANITIZE_ADDRESS__)
#define MAPPED 1
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* How many of the n pages from the page at p are in memory (-1: p is not
 * mapped). */
static long resident(const void *p, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t at = (uintptr_t)p / page * page;
    unsigned char v[256];
    ck_assert_uint_le(n, sizeof v);
    if (mincore((void *)at, n * page, v) != 0)
        return -1;
    long k = 0;
    for (size_t i = 0; i < n; i++)
        k += v[i] & 1;
    return k;
}
#endif

/* The current chunk's pages past its last block are given back, and later
 * blocks are faulted in before anyone touches them. */
START_TEST(settle_gives_back_then_fills_ahead)
{
#ifdef MAPPED
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    struct arena *a = test_arena();
    unsigned char *p = NULL;
    /* 2.2 MB in blocks of 1 KB: the chunks grow from 64 KiB by doubling,
     * and the fifth (2 MiB, in huge pages where the kernel has them) has
     * the last block about 1.2 MiB in, with more than 256 KiB after it. */
    for (int i = 0; i < 2200; i++) {
        p = arena_alloc(a, 1000);
        memset(p, 0x5A, 1000);
    }
    arena_settle(a);
    const unsigned char *end = p + 1000;
    const unsigned char *past = (const unsigned char *)
        (((uintptr_t)end + page - 1) / page * page);
    long n = resident(past, 64);                    /* 256 KiB with 4 KiB pages */
    ck_assert_msg(n == 0, "%ld pages past the last block still in memory", n);
    ck_assert(p[0] == 0x5A && p[999] == 0x5A);
    /* The next blocks: in memory before they are touched, if the kernel
     * can fault pages in ahead (MADV_POPULATE_WRITE, Linux 5.14). */
    void *probe = mmap(NULL, page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(probe != MAP_FAILED);
    bool ahead = madvise(probe, page, MADV_POPULATE_WRITE) == 0;
    munmap(probe, page);
    unsigned char *q = arena_alloc(a, 3 * page);
    ck_assert_ptr_eq(q, (void *)(((uintptr_t)end + 15) & ~(uintptr_t)15));  /* same chunk */
    if (ahead)
        ck_assert_int_eq(resident(q, 4), 4);
    for (size_t i = 0; i < 3 * page; i++)
        if (q[i])
            ck_abort_msg("not zeroed at %zu", i);
    test_arena_free(a);
#endif
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
    tcase_add_test(tc, settle_keeps_blocks);
    tcase_add_test(tc, settle_gives_back_then_fills_ahead);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
