/*
 * rng.h - the engine's PRNG: xoshiro256** seeded through splitmix64.
 * Only the engine draws from it; generators ask the case for choices.
 */
#ifndef GF_RNG_H
#define GF_RNG_H

#include <stdint.h>

typedef struct gf_rng {
    uint64_t s[4];
} gf_rng;

static inline uint64_t gf_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline void gf_rng_seed(gf_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = gf_splitmix64(&x);
}

static inline uint64_t gf_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t gf_rng_next(gf_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = gf_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gf_rotl(s[3], 45);
    return result;
}

__extension__ typedef unsigned __int128 gf_u128;

/* Uniform in [0, n) for n > 0, without modulo bias (Lemire's method). */
static inline uint64_t gf_rng_below(gf_rng *r, uint64_t n)
{
    uint64_t x = gf_rng_next(r);
    gf_u128 m = (gf_u128)x * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = -n % n;
        while (low < threshold) {
            x = gf_rng_next(r);
            m = (gf_u128)x * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* Uniform double in [0, 1). */
static inline double gf_rng_unit(gf_rng *r)
{
    return (double)(gf_rng_next(r) >> 11) * 0x1.0p-53;
}

#endif /* GF_RNG_H */
