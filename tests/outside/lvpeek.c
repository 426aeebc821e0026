/* lvpeek.c - what a passphrase opens in a vault file, computed from the
 * documented format alone (docs/format.md) by a program that is not
 * leadvault: it links libsodium, libargon2 and SQLite, never libleadvault.
 *
 * usage: lvpeek VAULT USER PASSFILE KNOWN [--save-keys FILE]
 *        lvpeek VAULT --keys FILE KNOWN
 *
 * It derives the user's KEK (Argon2id with the slot's parameters), opens
 * the keyslot (format 2: the X25519 secret; format 1: the master key and
 * its six crypto_kdf subkeys), opens every envelope of the table it can
 * (any user, any generation) and collects every 32-byte key it obtained,
 * the KEK and the X25519 secret included. Then it tries EVERY key against
 * EVERY wrapped lead data key, sealed field, consent evidence and reason,
 * and, for each known email or phone of KNOWN (lines "email:VALUE" or
 * "phone:VALUE", in their normalized form), recomputes blind-index tags and
 * suppression hashes under every key. Data keys it opens are tried against
 * every sealed value too. It prints counts, one "name value" per line:
 *   keys, envelopes, data_keys, fields, consent_notes, tags, suppressed
 * --save-keys writes every key obtained, the data keys it opened included
 * (hex, one a line), for a later run with --keys against another copy of
 * the vault (acceptance 3: what a removed member kept).
 *
 *        lvpeek VAULT --forge USER
 * replaces USER's envelope of the newest generation with one a file writer
 * can make without any key: random keys for the role the real one names,
 * sealed to USER's public key (the unlock must refuse it, exit 6). */
#include <argon2.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXKEYS 4096
#define ID 16

static unsigned char keys[MAXKEYS][32];
static size_t nkeys;
static unsigned char vault_id[ID];
static unsigned long envelopes;

static void add_key(const unsigned char *k)
{
    for (size_t i = 0; i < nkeys; i++)
        if (memcmp(keys[i], k, 32) == 0)
            return;
    if (nkeys < MAXKEYS)
        memcpy(keys[nkeys++], k, 32);
}

static int die(const char *what)
{
    fprintf(stderr, "lvpeek: %s\n", what);
    exit(2);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    return s;
}

/* format byte | nonce 24 | ciphertext | tag 16, XChaCha20-Poly1305 */
static int aead_open(unsigned char *out, const unsigned char *in, size_t len,
                     const unsigned char *key, const unsigned char *ad, size_t ad_len)
{
    if (len < 1 + 24 + 16 || in[0] != 1)
        return -1;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, in + 25, len - 25, ad,
                                                      ad_len, in + 1, key);
}

static size_t ad_of(unsigned char *ad, const char *tag, const unsigned char *lead,
                    const unsigned char *extra, size_t extra_len)
{
    memcpy(ad, tag, 3);
    ad[3] = 1;
    memcpy(ad + 4, vault_id, ID);
    size_t n = 4 + ID;
    if (lead != NULL) {
        memcpy(ad + n, lead, ID);
        n += ID;
    }
    if (extra_len > 0)
        memcpy(ad + n, extra, extra_len);
    return n + extra_len;
}

static void open_slot(sqlite3 *db, int format, const char *user, const char *pass)
{
    sqlite3_stmt *s = prep(db, format == 1 ? "SELECT kdf_memory, kdf_iterations, kdf_parallelism,"
                                             " salt, wrapped, 1, zeroblob(32) FROM keyslot"
                                             " WHERE name = ?1"
                                           : "SELECT kdf_memory, kdf_iterations, kdf_parallelism,"
                                             " salt, wrapped, kind, public FROM keyslot"
                                             " WHERE name = ?1");
    sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW)
        die("no such user");
    unsigned char kek[32], secret[32], ad[4 + ID + 64 + 32];
    if (argon2id_hash_raw((uint32_t)sqlite3_column_int64(s, 1),
                          (uint32_t)sqlite3_column_int64(s, 0),
                          (uint32_t)sqlite3_column_int64(s, 2), pass, strlen(pass),
                          sqlite3_column_blob(s, 3), 16, kek, 32) != ARGON2_OK)
        die("argon2id failed");
    int kind = sqlite3_column_int(s, 5);
    memcpy(ad, "lvS", 3);
    ad[3] = (unsigned char)kind;
    memcpy(ad + 4, vault_id, ID);
    size_t n = 4 + ID;
    memcpy(ad + n, user, strlen(user));
    n += strlen(user);
    if (kind == 2) {
        memcpy(ad + n, sqlite3_column_blob(s, 6), 32);
        n += 32;
    }
    const unsigned char *w = sqlite3_column_blob(s, 4);
    if (sqlite3_column_bytes(s, 4) != 73 || w[0] != 1 ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(secret, NULL, NULL, w + 25, 48, ad, n, w + 1,
                                                   kek) != 0)
        die("wrong passphrase");
    add_key(kek);
    add_key(secret);
    if (kind == 1) { /* format 1: the master key's crypto_kdf subkeys */
        static const char *ctx[] = {"lvdatakw", "lvidxeml", "lvidxphn",
                                    "lvrecmac", "lvaudsig", "lvsuppr_"};
        for (int i = 0; i < 6; i++) {
            unsigned char sub[32];
            crypto_kdf_derive_from_key(sub, 32, 1, ctx[i], secret);
            add_key(sub);
        }
    } else {
        unsigned char pk[32];
        crypto_scalarmult_base(pk, secret);
        sqlite3_stmt *e = prep(db, "SELECT sealed FROM envelope");
        unsigned char plain[4096];
        while (sqlite3_step(e) == SQLITE_ROW) {
            int len = sqlite3_column_bytes(e, 0);
            if (len < (int)crypto_box_SEALBYTES || len > (int)sizeof plain ||
                crypto_box_seal_open(plain, sqlite3_column_blob(e, 0), (unsigned long long)len, pk,
                                     secret) != 0)
                continue;
            envelopes++;
            size_t plen = (size_t)len - crypto_box_SEALBYTES;
            /* "lvK2" | id 16 | gen 4 | role 1 | mask 2 | name_len 1 | name | keys |
             * sign_public 32 | kept 1 | kept * (gen 4, key 32) */
            size_t at = 27;
            unsigned mask = (unsigned)plain[25] << 8 | plain[26];
            at += 1 + plain[27];
            for (int i = 0; i < 16 && at + 32 <= plen; i++)
                if (mask & (1u << i)) {
                    add_key(plain + at);
                    at += 32;
                }
            at += 32; /* signing public key: not a secret */
            unsigned kept = at < plen ? plain[at] : 0;
            at++;
            for (unsigned k = 0; k < kept && at + 36 <= plen; k++, at += 36)
                add_key(plain + at + 4);
        }
        sqlite3_finalize(e);
    }
    sqlite3_finalize(s);
}

int main(int argc, char **argv)
{
    if (argc < 4 || sodium_init() < 0)
        die("usage: lvpeek VAULT USER PASSFILE KNOWN [--save-keys FILE] | VAULT --keys FILE KNOWN");
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die("cannot open the vault");
    sqlite3_stmt *s = prep(db, "PRAGMA user_version");
    sqlite3_step(s);
    int format = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    s = prep(db, "SELECT value FROM meta WHERE key = 'vault_id'");
    if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_bytes(s, 0) != ID)
        die("no vault id");
    memcpy(vault_id, sqlite3_column_blob(s, 0), ID);
    sqlite3_finalize(s);
    if (strcmp(argv[2], "--forge") == 0) {
        sqlite3_close(db);
        if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
            die("cannot open the vault");
        s = prep(db, "SELECT e.generation, k.public, length(e.sealed) FROM envelope e JOIN keyslot"
                     " k ON k.name = e.user WHERE e.user = ?1 ORDER BY e.generation DESC LIMIT 1");
        sqlite3_bind_text(s, 1, argv[3], -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_ROW)
            die("no envelope for that user");
        int generation = sqlite3_column_int(s, 0), sealed_len = sqlite3_column_int(s, 2);
        unsigned char pk[32], plain[2048], sealed[2048 + crypto_box_SEALBYTES];
        memcpy(pk, sqlite3_column_blob(s, 1), 32);
        sqlite3_finalize(s);
        size_t n = (size_t)sealed_len - crypto_box_SEALBYTES, name_len = strlen(argv[3]);
        randombytes_buf(plain, n); /* the keys, signing key and all: random */
        memcpy(plain, "lvK2", 4);
        memcpy(plain + 4, vault_id, ID);
        plain[20] = (unsigned char)(generation >> 24);
        plain[21] = (unsigned char)(generation >> 16);
        plain[22] = (unsigned char)(generation >> 8);
        plain[23] = (unsigned char)generation;
        plain[24] = 2; /* sales */
        plain[25] = 0;
        plain[26] = 0x7f; /* every key of a sales user: 0..6 */
        plain[27] = (unsigned char)name_len;
        memcpy(plain + 28, argv[3], name_len);
        plain[n - 1] = 0; /* no kept suppression keys */
        crypto_box_seal(sealed, plain, n, pk);
        s = prep(db, "UPDATE envelope SET sealed = ?1 WHERE user = ?2 AND generation = ?3");
        sqlite3_bind_blob(s, 1, sealed, sealed_len, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, argv[3], -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, generation);
        if (sqlite3_step(s) != SQLITE_DONE)
            die(sqlite3_errmsg(db));
        sqlite3_finalize(s);
        sqlite3_close(db);
        return 0;
    }
    if (argc < 5)
        die("no KNOWN file");
    const char *known = argv[4];
    if (strcmp(argv[2], "--keys") == 0) {
        FILE *f = fopen(argv[3], "r");
        char line[128];
        while (f != NULL && fgets(line, sizeof line, f) != NULL) {
            unsigned char k[32];
            size_t got = 0;
            if (sodium_hex2bin(k, 32, line, strlen(line), "\n", &got, NULL) == 0 && got == 32)
                add_key(k);
        }
        if (f != NULL)
            fclose(f);
    } else {
        FILE *f = fopen(argv[3], "r");
        char pass[1024] = "";
        if (f == NULL || fgets(pass, sizeof pass, f) == NULL)
            die("cannot read the passphrase file");
        fclose(f);
        pass[strcspn(pass, "\n")] = '\0';
        open_slot(db, format, argv[2], pass);
    }
    size_t envelope_keys = nkeys;
    unsigned long data_keys = 0, fields = 0, notes = 0, tags = 0, suppressed = 0;
    static unsigned char plain[1 << 20];
    /* every key against every wrapped data key; the data keys opened join */
    s = prep(db, "SELECT id, data_key FROM lead");
    while (sqlite3_step(s) == SQLITE_ROW) {
        unsigned char ad[64];
        size_t n = ad_of(ad, "lvK", sqlite3_column_blob(s, 0), NULL, 0);
        for (size_t k = 0; k < envelope_keys; k++) {
            unsigned char dk[32];
            if (aead_open(dk, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1),
                          keys[k], ad, n) == 0) {
                data_keys++;
                add_key(dk);
            }
        }
    }
    sqlite3_finalize(s);
    /* every key (data keys included) against every sealed field */
    s = prep(db, "SELECT id, first_name, last_name, email, phone, company, title, website,"
                 " address, notes, email2, phone2 FROM lead");
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int f = 0; f < 11; f++) {
            if (sqlite3_column_type(s, 1 + f) != SQLITE_BLOB)
                continue;
            unsigned char ad[64], field = (unsigned char)f;
            size_t n = ad_of(ad, "lvF", sqlite3_column_blob(s, 0), &field, 1);
            size_t len = (size_t)sqlite3_column_bytes(s, 1 + f);
            for (size_t k = 0; k < nkeys && len <= sizeof plain; k++)
                if (aead_open(plain, sqlite3_column_blob(s, 1 + f), len, keys[k], ad, n) == 0)
                    fields++;
        }
    }
    sqlite3_finalize(s);
    s = prep(db, "SELECT lead_id, id, evidence, reason FROM consent");
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < 2; c++) {
            if (sqlite3_column_type(s, 2 + c) != SQLITE_BLOB)
                continue;
            unsigned char ad[80], extra[ID + 1];
            memcpy(extra, sqlite3_column_blob(s, 1), ID);
            extra[ID] = c == 0 ? 'e' : 'r';
            size_t n = ad_of(ad, "lvC", sqlite3_column_blob(s, 0), extra, sizeof extra);
            size_t len = (size_t)sqlite3_column_bytes(s, 2 + c);
            for (size_t k = 0; k < nkeys && len <= sizeof plain; k++)
                if (aead_open(plain, sqlite3_column_blob(s, 2 + c), len, keys[k], ad, n) == 0)
                    notes++;
        }
    }
    sqlite3_finalize(s);
    /* blind-index tags and suppression hashes of the known values */
    FILE *f = fopen(known, "r");
    char line[512];
    sqlite3_stmt *tag = prep(db, "SELECT count(*) FROM lead_index WHERE tag = ?1");
    sqlite3_stmt *sup = prep(db, "SELECT count(*) FROM suppression WHERE hash = ?1");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        const char *value = strchr(line, ':');
        if (value == NULL)
            continue;
        value++;
        unsigned char domain = strncmp(line, "email", 5) == 0 ? 1 : 2;
        for (size_t k = 0; k < nkeys; k++) {
            unsigned char t[16], h[32];
            crypto_generichash(t, sizeof t, (const unsigned char *)value, strlen(value), keys[k],
                               32);
            sqlite3_bind_blob(tag, 1, t, sizeof t, SQLITE_STATIC);
            if (sqlite3_step(tag) == SQLITE_ROW)
                tags += (unsigned long)sqlite3_column_int(tag, 0);
            sqlite3_reset(tag);
            crypto_generichash_state st;
            crypto_generichash_init(&st, keys[k], 32, sizeof h);
            crypto_generichash_update(&st, &domain, 1);
            crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
            crypto_generichash_final(&st, h, sizeof h);
            sqlite3_bind_blob(sup, 1, h, sizeof h, SQLITE_STATIC);
            if (sqlite3_step(sup) == SQLITE_ROW)
                suppressed += (unsigned long)sqlite3_column_int(sup, 0);
            sqlite3_reset(sup);
        }
    }
    if (f != NULL)
        fclose(f);
    sqlite3_finalize(tag);
    sqlite3_finalize(sup);
    sqlite3_close(db);
    /* every key obtained, the data keys opened included */
    if (argc >= 7 && strcmp(argv[5], "--save-keys") == 0) {
        FILE *out = fopen(argv[6], "w");
        for (size_t i = 0; out != NULL && i < nkeys; i++) {
            char hex[65];
            fprintf(out, "%s\n", sodium_bin2hex(hex, sizeof hex, keys[i], 32));
        }
        if (out != NULL)
            fclose(out);
    }
    printf("envelopes %lu\n", envelopes);
    printf("keys %zu\ndata_keys %lu\nfields %lu\nconsent_notes %lu\ntags %lu\nsuppressed %lu\n",
           envelope_keys, data_keys, fields, notes, tags, suppressed);
    return 0;
}
