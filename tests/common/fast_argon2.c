/* fast_argon2.c - a stand-in for Argon2id in test programs that unlock a
 * vault thousands of times and do not test the KDF itself (the allocation
 * failure test, the fuzz targets). Linked with --wrap=argon2id_hash_raw
 * (tests/CMakeLists.txt), it takes the library's calls; the library itself
 * is unchanged. Deterministic, keyed by the salt, instant. Bounds on the
 * KDF parameters are checked by the library before it gets here. */
#include <argon2.h>
#include <sodium.h>
#include <stdint.h>

int __wrap_argon2id_hash_raw(const uint32_t t_cost, const uint32_t m_cost,
                             const uint32_t parallelism, const void *pwd, const size_t pwdlen,
                             const void *salt, const size_t saltlen, void *hash,
                             const size_t hashlen);

int __wrap_argon2id_hash_raw(const uint32_t t_cost, const uint32_t m_cost,
                             const uint32_t parallelism, const void *pwd, const size_t pwdlen,
                             const void *salt, const size_t saltlen, void *hash,
                             const size_t hashlen)
{
    (void)t_cost, (void)m_cost, (void)parallelism;
    crypto_generichash_state st;
    if (crypto_generichash_init(&st, salt, saltlen, hashlen) != 0 ||
        crypto_generichash_update(&st, pwd, pwdlen) != 0 ||
        crypto_generichash_final(&st, hash, hashlen) != 0)
        return ARGON2_OUTPUT_TOO_SHORT;
    return ARGON2_OK;
}
