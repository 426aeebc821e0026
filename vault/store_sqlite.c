/* store_sqlite.c - the SQLite backend of store.h (a vault in one file), and
 * with the other store_*.c backends the only place of leadvault with SQL. Every statement is
 * prepared once and reused; every value is bound, never formatted into SQL text. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
/* Debian's libsqlite3 is built with the preupdate hook (the state digest
 * needs it); the header declares it only when told so. */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "error.h"
#include "store.h"
#include "store_sqlite.h"
#include "util_array.h"

#define APPLICATION_ID 0x4C564C54 /* "LVLT" in the SQLite header */
#define SCHEMA_VERSION 2
/* INDEX_PUT_MANY rows of placeholders for S_INDEX_PUT_MANY. */
#define INDEX_PUT_MANY 32
#define INDEX_ROWS_4 "(?,?,?),(?,?,?),(?,?,?),(?,?,?)"
// clang-format off
#define INDEX_ROWS_32 INDEX_ROWS_4 "," INDEX_ROWS_4 "," INDEX_ROWS_4 "," INDEX_ROWS_4 "," \
    INDEX_ROWS_4 "," INDEX_ROWS_4 "," INDEX_ROWS_4 "," INDEX_ROWS_4
// clang-format on
#define CACHE_NORMAL_SQL "PRAGMA cache_size=-32768" /* 32 MiB */

/* Format 1, kept to read a vault that has not been upgraded yet (its
 * exact-schema check, and `upgrade` reading its rows). */
static const char *const schema_v1_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE keyslot(name TEXT PRIMARY KEY, role INTEGER NOT NULL,"
    " kdf_memory INTEGER NOT NULL, kdf_iterations INTEGER NOT NULL,"
    " kdf_parallelism INTEGER NOT NULL, salt BLOB NOT NULL, wrapped BLOB NOT NULL,"
    " mac BLOB NOT NULL, created INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE lead(id BLOB NOT NULL UNIQUE, source TEXT NOT NULL,"
    " source_detail TEXT NOT NULL, stage TEXT NOT NULL, owner TEXT NOT NULL,"
    " country TEXT NOT NULL, incentive INTEGER NOT NULL, verified INTEGER NOT NULL,"
    " aware INTEGER NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,"
    " last_contact INTEGER NOT NULL, data_key BLOB NOT NULL,"
    " first_name BLOB, last_name BLOB, email BLOB, phone BLOB, company BLOB,"
    " title BLOB, website BLOB, address BLOB, notes BLOB, email2 BLOB, phone2 BLOB,"
    " consent_head BLOB NOT NULL, tags BLOB NOT NULL, mac BLOB NOT NULL);"
    "CREATE TABLE lead_index(kind INTEGER NOT NULL, tag BLOB NOT NULL,"
    " lead_id BLOB NOT NULL, PRIMARY KEY(kind, tag, lead_id)) WITHOUT ROWID;"
    "CREATE TABLE audit(seq INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,"
    " role TEXT NOT NULL, os_user TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,"
    " fields TEXT NOT NULL, purpose TEXT NOT NULL, outcome TEXT NOT NULL,"
    " code INTEGER NOT NULL, request TEXT NOT NULL, lead_ids BLOB NOT NULL,"
    " prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
    "CREATE TABLE audit_lead(lead_id BLOB NOT NULL, seq INTEGER NOT NULL,"
    " PRIMARY KEY(lead_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE purpose(name TEXT PRIMARY KEY, basis INTEGER NOT NULL,"
    " fields INTEGER NOT NULL, roles INTEGER NOT NULL, created INTEGER NOT NULL,"
    " retired INTEGER NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE consent(seq INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
    " lead_id BLOB NOT NULL, purpose TEXT NOT NULL, granted INTEGER NOT NULL,"
    " time INTEGER NOT NULL, expires INTEGER NOT NULL, actor TEXT NOT NULL,"
    " notice_version TEXT NOT NULL, evidence BLOB, reason BLOB, prev BLOB NOT NULL,"
    " mac BLOB NOT NULL);"
    "CREATE INDEX consent_by_lead ON consent(lead_id, purpose, seq);"
    "CREATE TABLE erasure(lead_id BLOB PRIMARY KEY, time INTEGER NOT NULL,"
    " request TEXT NOT NULL, ground TEXT NOT NULL, actor TEXT NOT NULL,"
    " audit_seq INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE suppression(kind INTEGER NOT NULL, hash BLOB NOT NULL,"
    " time INTEGER NOT NULL, PRIMARY KEY(kind, hash)) WITHOUT ROWID;"
    "CREATE TABLE hold(lead_id BLOB PRIMARY KEY, reason TEXT NOT NULL, actor TEXT NOT NULL,"
    " time INTEGER NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE retention(name TEXT PRIMARY KEY, stage TEXT NOT NULL, source TEXT NOT NULL,"
    " no_consent INTEGER NOT NULL, consent_withdrawn INTEGER NOT NULL,"
    " older_than INTEGER NOT NULL, inactive INTEGER NOT NULL, created INTEGER NOT NULL,"
    " mac BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE audit_checkpoint(id INTEGER PRIMARY KEY, size INTEGER NOT NULL,"
    " head BLOB NOT NULL, time TEXT NOT NULL, signature BLOB NOT NULL);";

static const char *const schema_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE keyslot(name TEXT PRIMARY KEY, role INTEGER NOT NULL,"
    " kdf_memory INTEGER NOT NULL, kdf_iterations INTEGER NOT NULL,"
    " kdf_parallelism INTEGER NOT NULL, salt BLOB NOT NULL, wrapped BLOB NOT NULL,"
    " mac BLOB NOT NULL, created INTEGER NOT NULL, kind INTEGER NOT NULL,"
    " public BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE lead(id BLOB NOT NULL UNIQUE, source TEXT NOT NULL,"
    " source_detail TEXT NOT NULL, stage TEXT NOT NULL, owner TEXT NOT NULL,"
    " country TEXT NOT NULL, incentive INTEGER NOT NULL, verified INTEGER NOT NULL,"
    " aware INTEGER NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,"
    " last_contact INTEGER NOT NULL, data_key BLOB NOT NULL,"
    " first_name BLOB, last_name BLOB, email BLOB, phone BLOB, company BLOB,"
    " title BLOB, website BLOB, address BLOB, notes BLOB, email2 BLOB, phone2 BLOB,"
    " consent_head BLOB NOT NULL, tags BLOB NOT NULL, mac BLOB NOT NULL,"
    " generation INTEGER NOT NULL);"
    "CREATE TABLE lead_index(kind INTEGER NOT NULL, tag BLOB NOT NULL,"
    " lead_id BLOB NOT NULL, PRIMARY KEY(kind, tag, lead_id)) WITHOUT ROWID;"
    "CREATE TABLE audit(seq INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,"
    " role TEXT NOT NULL, os_user TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,"
    " fields TEXT NOT NULL, purpose TEXT NOT NULL, outcome TEXT NOT NULL,"
    " code INTEGER NOT NULL, request TEXT NOT NULL, lead_ids BLOB NOT NULL,"
    " prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
    "CREATE TABLE audit_lead(lead_id BLOB NOT NULL, seq INTEGER NOT NULL,"
    " PRIMARY KEY(lead_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE purpose(name TEXT PRIMARY KEY, basis INTEGER NOT NULL,"
    " fields INTEGER NOT NULL, roles INTEGER NOT NULL, created INTEGER NOT NULL,"
    " retired INTEGER NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE consent(seq INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE,"
    " lead_id BLOB NOT NULL, purpose TEXT NOT NULL, granted INTEGER NOT NULL,"
    " time INTEGER NOT NULL, expires INTEGER NOT NULL, actor TEXT NOT NULL,"
    " notice_version TEXT NOT NULL, evidence BLOB, reason BLOB, prev BLOB NOT NULL,"
    " mac BLOB NOT NULL);"
    "CREATE INDEX consent_by_lead ON consent(lead_id, purpose, seq);"
    "CREATE TABLE erasure(lead_id BLOB PRIMARY KEY, time INTEGER NOT NULL,"
    " request TEXT NOT NULL, ground TEXT NOT NULL, actor TEXT NOT NULL,"
    " audit_seq INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE suppression(kind INTEGER NOT NULL, hash BLOB NOT NULL,"
    " time INTEGER NOT NULL, PRIMARY KEY(kind, hash)) WITHOUT ROWID;"
    "CREATE TABLE hold(lead_id BLOB PRIMARY KEY, reason TEXT NOT NULL, actor TEXT NOT NULL,"
    " time INTEGER NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE retention(name TEXT PRIMARY KEY, stage TEXT NOT NULL, source TEXT NOT NULL,"
    " no_consent INTEGER NOT NULL, consent_withdrawn INTEGER NOT NULL,"
    " older_than INTEGER NOT NULL, inactive INTEGER NOT NULL, created INTEGER NOT NULL,"
    " mac BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE audit_checkpoint(id INTEGER PRIMARY KEY, size INTEGER NOT NULL,"
    " head BLOB NOT NULL, time TEXT NOT NULL, signature BLOB NOT NULL,"
    " digest BLOB NOT NULL);"
    "CREATE TABLE keygen(generation INTEGER PRIMARY KEY, state INTEGER NOT NULL,"
    " sign_public BLOB NOT NULL, commitments BLOB NOT NULL, mac BLOB NOT NULL);"
    "CREATE TABLE envelope(user TEXT NOT NULL, generation INTEGER NOT NULL,"
    " sealed BLOB NOT NULL, PRIMARY KEY(user, generation)) WITHOUT ROWID;";

// clang-format off
enum stmt_id {
    S_BEGIN, S_BEGIN_READ, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
    S_META_GET, S_META_PUT,
    S_SLOT_GET, S_SLOT_INSERT, S_SLOT_UPDATE, S_SLOT_DELETE, S_SLOT_ANY, S_SLOT_EACH,
    S_LEAD_INSERT, S_LEAD_UPDATE, S_LEAD_GET,
    S_INDEX_PUT, S_INDEX_PUT_MANY, S_INDEX_DELETE, S_INDEX_LOOKUP, S_INDEX_EACH,
    S_INDEX_CLEAR,
    S_AUDIT_APPEND, S_AUDIT_LEAD, S_AUDIT_HEAD,
    S_CHECKPOINT_APPEND, S_CHECKPOINT_LATEST, S_CHECKPOINT_EACH,
    S_PURPOSE_PUT, S_PURPOSE_GET, S_PURPOSE_EACH, S_CONSENT_INSERT, S_LEAD_SET_HEAD,
    S_CONSENT_OF_LEAD,
    S_ERASE_LEAD, S_ERASE_CONSENT, S_ERASE_HOLD, S_TOMBSTONE_INSERT,
    S_TOMBSTONE_EXISTS, S_TOMBSTONE_GET, S_TOMBSTONE_AFTER, S_SUPPRESS_TIME, S_SUPPRESS_PUT,
    S_SUPPRESS_DELETE, S_SUPPRESS_ANY, S_SUPPRESS_TIMES,
    S_HOLD_PUT, S_HOLD_GET, S_HOLD_DELETE, S_HOLD_EACH, S_RULE_PUT, S_RULE_DELETE, S_RULE_EACH,
    S_DATA_VERSION, S_CACHE_BULK, S_CACHE_NORMAL, S_AUDIT_CONSENT_LATEST,
    S_KEYGEN_PUT, S_KEYGEN_DELETE, S_KEYGEN_EACH,
    S_ENVELOPE_PUT, S_ENVELOPE_GET, S_ENVELOPE_DELETE_USER, S_ENVELOPE_DELETE_GEN,
    S_SLOT_GET_V1, S_SLOT_EACH_V1, S_CONSENT_RESEAL,
    S_CHECKPOINT_APPEND_V1, S_CHECKPOINT_LATEST_V1, S_CHECKPOINT_EACH_V1,
    S_COUNT
};
// clang-format on

static const char *const stmt_sql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_BEGIN_READ] = "BEGIN DEFERRED",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT lv_group_member",
    [S_RELEASE] = "RELEASE lv_group_member",
    [S_ROLLBACK_TO] = "ROLLBACK TO lv_group_member",
    [S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [S_META_PUT] = "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
    [S_SLOT_GET] = "SELECT name, role, kdf_memory, kdf_iterations, kdf_parallelism, salt,"
                   " wrapped, mac, created, kind, public FROM keyslot WHERE name = ?1",
    /* A format-1 keyslot reads as a legacy slot. */
    [S_SLOT_GET_V1] = "SELECT name, role, kdf_memory, kdf_iterations, kdf_parallelism, salt,"
                      " wrapped, mac, created, 1, zeroblob(32) FROM keyslot WHERE name = ?1",
    [S_SLOT_INSERT] = "INSERT INTO keyslot(name, role, kdf_memory, kdf_iterations,"
                      " kdf_parallelism, salt, wrapped, mac, created, kind, public)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [S_SLOT_UPDATE] = "UPDATE keyslot SET role = ?2, kdf_memory = ?3, kdf_iterations = ?4,"
                      " kdf_parallelism = ?5, salt = ?6, wrapped = ?7, mac = ?8, created = ?9,"
                      " kind = ?10, public = ?11 WHERE name = ?1",
    [S_SLOT_DELETE] = "DELETE FROM keyslot WHERE name = ?1",
    [S_SLOT_ANY] = "SELECT kdf_memory, kdf_iterations, kdf_parallelism FROM keyslot"
                   " ORDER BY created LIMIT 1",
    [S_SLOT_EACH] = "SELECT name, role, kdf_memory, kdf_iterations, kdf_parallelism, salt,"
                    " wrapped, mac, created, kind, public FROM keyslot ORDER BY name",
    [S_SLOT_EACH_V1] = "SELECT name, role, kdf_memory, kdf_iterations, kdf_parallelism, salt,"
                       " wrapped, mac, created, 1, zeroblob(32) FROM keyslot ORDER BY name",
    [S_KEYGEN_PUT] = "INSERT OR REPLACE INTO keygen(generation, state, sign_public, commitments,"
                     " mac) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_CONSENT_RESEAL] = "UPDATE consent SET evidence = ?2, reason = ?3, prev = ?4, mac = ?5"
                         " WHERE id = ?1",
    [S_KEYGEN_DELETE] = "DELETE FROM keygen WHERE generation = ?1",
    [S_KEYGEN_EACH] = "SELECT generation, state, sign_public, commitments, mac FROM keygen"
                      " ORDER BY generation",
    [S_ENVELOPE_PUT] = "INSERT OR REPLACE INTO envelope(user, generation, sealed)"
                       " VALUES (?1, ?2, ?3)",
    [S_ENVELOPE_GET] = "SELECT sealed FROM envelope WHERE user = ?1 AND generation = ?2",
    [S_ENVELOPE_DELETE_USER] = "DELETE FROM envelope WHERE user = ?1",
    [S_ENVELOPE_DELETE_GEN] = "DELETE FROM envelope WHERE generation = ?1",
    [S_LEAD_INSERT] = "INSERT INTO lead(id, source, source_detail, stage, owner, country,"
                      " incentive, verified, aware, created, updated, last_contact, data_key,"
                      " first_name, last_name, email, phone, company, title, website, address,"
                      " notes, email2, phone2, consent_head, tags, mac, generation) VALUES (?1, ?2,"
                      " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
                      " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?27, ?26, ?28)",
    [S_LEAD_UPDATE] = "UPDATE lead SET source = ?2, source_detail = ?3, stage = ?4, owner = ?5,"
                      " country = ?6, incentive = ?7, verified = ?8, aware = ?9, created = ?10,"
                      " updated = ?11, last_contact = ?12, data_key = ?13, first_name = ?14,"
                      " last_name = ?15, email = ?16, phone = ?17, company = ?18, title = ?19,"
                      " website = ?20, address = ?21, notes = ?22, email2 = ?23, phone2 = ?24,"
                      " consent_head = ?25, tags = ?27, mac = ?26, generation = ?28 WHERE id = ?1",
    [S_LEAD_GET] = "SELECT id, source, source_detail, stage, owner, country, incentive,"
                   " verified, aware, created, updated, last_contact, data_key, first_name,"
                   " last_name, email, phone, company, title, website, address, notes, email2,"
                   " phone2, consent_head, mac, tags, generation FROM lead WHERE id = ?1",
    [S_INDEX_PUT] = "INSERT OR IGNORE INTO lead_index(kind, tag, lead_id) VALUES (?1, ?2, ?3)",
    [S_INDEX_DELETE] = "DELETE FROM lead_index WHERE kind = ?1 AND tag = ?2 AND lead_id = ?3",
    [S_INDEX_LOOKUP] = "SELECT lead_id FROM lead_index WHERE kind = ?1 AND tag = ?2",
    [S_INDEX_EACH] = "SELECT kind, tag FROM lead_index",
    /* Row by row, through the digest's hook (with a preupdate hook set,
     * SQLite does not truncate the table in one step). */
    [S_INDEX_CLEAR] = "DELETE FROM lead_index",
    [S_INDEX_PUT_MANY] =
        "INSERT OR IGNORE INTO lead_index(kind, tag, lead_id) VALUES " INDEX_ROWS_32,
    [S_SUPPRESS_ANY] = "SELECT 1 FROM suppression LIMIT 1",
    [S_SUPPRESS_TIMES] = "SELECT time FROM suppression ORDER BY time",
    [S_DATA_VERSION] = "PRAGMA data_version",
    [S_CACHE_BULK] = "PRAGMA cache_size=-8192",
    [S_CACHE_NORMAL] = CACHE_NORMAL_SQL,
    [S_AUDIT_APPEND] = "INSERT INTO audit(seq, time, actor, role, os_user, action, subject,"
                       " fields, purpose, outcome, code, request, lead_ids, prev_hash, hash)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [S_AUDIT_LEAD] = "INSERT OR IGNORE INTO audit_lead(lead_id, seq) VALUES (?1, ?2)",
    [S_AUDIT_HEAD] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
    [S_CHECKPOINT_APPEND] = "INSERT INTO audit_checkpoint(size, head, time, signature, digest)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_CHECKPOINT_LATEST] = "SELECT size, head, time, signature, digest FROM audit_checkpoint"
                            " ORDER BY id DESC LIMIT 1",
    [S_CHECKPOINT_EACH] = "SELECT size, head, time, signature, digest FROM audit_checkpoint"
                          " ORDER BY id",
    /* A format-1 vault's checkpoints carry no digest (read as an empty one). */
    [S_CHECKPOINT_APPEND_V1] = "INSERT INTO audit_checkpoint(size, head, time, signature)"
                               " VALUES (?1, ?2, ?3, ?4)",
    [S_CHECKPOINT_LATEST_V1] = "SELECT size, head, time, signature, x'' FROM audit_checkpoint"
                               " ORDER BY id DESC LIMIT 1",
    [S_CHECKPOINT_EACH_V1] = "SELECT size, head, time, signature, x'' FROM audit_checkpoint"
                             " ORDER BY id",
    /* The per-lead audit index backwards, to the lead's newest consent
     * change for a purpose (audit_lead's key is (lead_id, seq)): a grant,
     * a withdrawal, or an import that granted it to the leads it added
     * (`import --consent P`: a lead.import entry with that purpose). */
    [S_AUDIT_CONSENT_LATEST] = "SELECT a.action FROM audit_lead l JOIN audit a ON a.seq = l.seq"
                               " WHERE l.lead_id = ?1 AND a.purpose = ?2 AND a.code = 0"
                               " AND a.action IN ('consent.grant', 'consent.withdraw',"
                               " 'lead.import') ORDER BY l.seq DESC LIMIT 1",
    [S_PURPOSE_PUT] = "INSERT OR REPLACE INTO purpose(name, basis, fields, roles, created, retired,"
                      " mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_PURPOSE_GET] = "SELECT name, basis, fields, roles, created, retired, mac FROM purpose"
                      " WHERE name = ?1",
    [S_PURPOSE_EACH] = "SELECT name, basis, fields, roles, created, retired, mac FROM purpose"
                       " ORDER BY name",
    [S_ERASE_LEAD] = "DELETE FROM lead WHERE id = ?1",
    [S_ERASE_CONSENT] = "DELETE FROM consent WHERE lead_id = ?1",
    [S_ERASE_HOLD] = "DELETE FROM hold WHERE lead_id = ?1",
    [S_TOMBSTONE_INSERT] = "INSERT INTO erasure(lead_id, time, request, ground, actor, audit_seq)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_TOMBSTONE_EXISTS] = "SELECT 1 FROM erasure WHERE lead_id = ?1",
    [S_TOMBSTONE_GET] = "SELECT lead_id, time, request, ground, actor, audit_seq FROM erasure"
                        " WHERE lead_id = ?1",
    [S_TOMBSTONE_AFTER] = "SELECT lead_id, time, request, ground, actor, audit_seq FROM erasure"
                          " WHERE time >= ?1 ORDER BY time, audit_seq LIMIT 1",
    [S_SUPPRESS_TIME] = "SELECT time FROM suppression WHERE kind = ?1 AND hash = ?2",
    [S_SUPPRESS_PUT] = "INSERT OR IGNORE INTO suppression(kind, hash, time) VALUES (?1, ?2, ?3)",
    [S_SUPPRESS_DELETE] = "DELETE FROM suppression WHERE kind = ?1 AND hash = ?2",
    [S_HOLD_PUT] = "INSERT OR REPLACE INTO hold(lead_id, reason, actor, time, mac)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_HOLD_GET] = "SELECT lead_id, reason, actor, time, mac FROM hold WHERE lead_id = ?1",
    [S_HOLD_DELETE] = "DELETE FROM hold WHERE lead_id = ?1",
    [S_HOLD_EACH] = "SELECT lead_id, reason, actor, time, mac FROM hold ORDER BY time",
    [S_RULE_PUT] =
        "INSERT INTO retention(name, stage, source, no_consent, consent_withdrawn,"
        " older_than, inactive, created, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_RULE_DELETE] = "DELETE FROM retention WHERE name = ?1",
    [S_RULE_EACH] = "SELECT name, stage, source, no_consent, consent_withdrawn, older_than,"
                    " inactive, created, mac FROM retention ORDER BY name",
    [S_CONSENT_INSERT] = "INSERT INTO consent(id, lead_id, purpose, granted, time, expires, actor,"
                         " notice_version, evidence, reason, prev, mac)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [S_LEAD_SET_HEAD] = "UPDATE lead SET consent_head = ?2, mac = ?3 WHERE id = ?1",
    [S_CONSENT_OF_LEAD] = "SELECT id, lead_id, purpose, granted, time, expires, actor,"
                          " notice_version, evidence, reason, prev, mac FROM consent"
                          " WHERE lead_id = ?1 AND (?2 IS NULL OR purpose = ?2) ORDER BY seq",
};

struct sqlite_store {
    store base; /* first: a store * of this backend is a sqlite_store * */
    sqlite3 *db;
    int format; /* schema version of the file: 1 or 2 */
    sqlite3_stmt *stmt[S_COUNT];
    /* Copies of sealed values read by store_lead_get (ciphertext only). */
    unsigned char *scratch;
    size_t scratch_cap;
    /* The state digest (digest.h): the attached key, D as committed and D
     * of the open transaction, which the preupdate hook keeps up to date. */
    store_digest digest_key;
    int digest_on;
    digest_sum digest_committed, digest_pending;
    int64_t digest_version; /* PRAGMA data_version when D was read from meta.digest */
    int in_write;           /* a write transaction (BEGIN IMMEDIATE) is open */
    int digest_unkeyed;     /* a covered table changed while no key was attached */
    int digest_failed;      /* the hook could not read a row (out of memory) */
    /* The lead S_LEAD_INSERT is writing, with its tags column: the hook
     * takes the new row's element from these values, as bound, instead of
     * unpacking the record again (see lead_insert_element). */
    const store_lead *lead_inserting;
    const unsigned char *lead_inserting_tags;
    /* The above as they were at the open savepoint (savepoint_undo). */
    digest_sum mark_pending;
    int mark_unkeyed, mark_failed;
    /* The file's entry in open_files (NULL: not counted). */
    struct open_file *file;
};
typedef struct sqlite_store sqlite_store;

static const store_ops sqlite_ops;

static sqlite_store *as_sqlite(store *base)
{
    return (sqlite_store *)base;
}

/* Operations the opening and restoring code calls before their definition. */
static void sqlite_close(store *base);
static void sqlite_rollback(store *base);
static void sqlite_restore_done(store *base);
static int sqlite_checkpoint_wal(store *base);
static int sqlite_check_table(store *base, const char *table, int thorough);
static void digest_hook(void *arg, sqlite3 *db, int op, const char *db_name, const char *table,
                        sqlite3_int64 key1, sqlite3_int64 key2);

/* Whether a failed write means the storage has no room: the disk
 * (ENOSPC), a quota (EDQUOT) or a file size limit (EFBIG). */
static int errno_means_full(int err)
{
    return err == ENOSPC || err == EFBIG || err == EDQUOT;
}

/* Whether a failed open or write means the file or its folder may not be
 * written: permissions (EACCES, EPERM) or a read-only mount (EROFS). */
static int errno_means_readonly(int err)
{
    return err == EROFS || err == EACCES || err == EPERM;
}

/* The errno behind a failed I/O call of SQLite. sqlite3_system_errno()
 * reads errno when the error is recorded, after SQLite rolled back, which
 * may have changed it; the vault file and its write-ahead log each keep
 * the errno of their own last failed call. */
static int io_errno(sqlite3 *db)
{
    int sys = sqlite3_system_errno(db);
    if (errno_means_full(sys) || errno_means_readonly(sys))
        return sys;
    sqlite3_file *wal = NULL;
    int file_errno = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) == SQLITE_OK &&
        wal != NULL && wal->pMethods != NULL &&
        wal->pMethods->xFileControl(wal, SQLITE_FCNTL_LAST_ERRNO, &file_errno) == SQLITE_OK &&
        file_errno != 0)
        return file_errno;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &file_errno) == SQLITE_OK &&
        file_errno != 0)
        return file_errno;
    return sys;
}

/* Map a SQLite result to an LV code with a message that names what failed
 * (SQLite's own messages name tables and columns, never bound values). A
 * write that fails inside a transaction leaves it to be rolled back by the
 * caller (SQLite may already have done so): nothing of it stays. */
static int sql_fail_db(sqlite3 *db, int rc, const char *what)
{
    int primary = rc & 0xff;
    const char *detail = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    /* Only these two come from a failed system call. */
    int sys =
        db != NULL && (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) ? io_errno(db) : 0;
    if (primary == SQLITE_NOMEM || rc == SQLITE_IOERR_NOMEM)
        return err_set(LV_ERROR, "out of memory while %s", what);
    if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && errno_means_full(sys)))
        return err_set(LV_EFULL,
                       "storage full while %s: the disk, or a file size limit, has "
                       "no room (%s)",
                       what, sys != 0 ? strerror(sys) : "database or disk is full");
    if (primary == SQLITE_READONLY || (sys != 0 && errno_means_readonly(sys)))
        return err_set(LV_EREADONLY,
                       "cannot write the vault while %s: the vault file or its "
                       "folder is read-only",
                       what);
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return err_set(LV_EBUSY, "vault is busy: another process holds its write lock");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return err_set(LV_ECORRUPT, "vault file is damaged (%s): %s", what, detail);
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
            return err_set(LV_EEXISTS, "%s: already exists", what);
        return err_set(LV_ERROR, "%s: %s", what, detail);
    default:
        return err_set(LV_ERROR, "%s: %s", what, detail);
    }
}

static int sql_fail(sqlite_store *st, int rc, const char *what)
{
    return sql_fail_db(st != NULL ? st->db : NULL, rc, what);
}

/* An LV code for a failed system call on a vault file: verb is what was
 * tried ("create", "open for writing"). */
static int errno_fail(int err, const char *verb, const char *path)
{
    if (errno_means_full(err))
        return err_set(LV_EFULL, "storage full: cannot %s %s (%s)", verb, path, strerror(err));
    if (errno_means_readonly(err))
        return err_set(LV_EREADONLY, "cannot %s %s: the file or its folder is read-only (%s)", verb,
                       path, strerror(err));
    return err_set(LV_ERROR, "cannot %s %s: %s", verb, path, strerror(err));
}

static sqlite3_stmt *prepared(sqlite_store *st, enum stmt_id id)
{
    if (st->stmt[id] == NULL) {
        if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[id],
                               NULL) != SQLITE_OK)
            return NULL;
    } else {
        sqlite3_reset(st->stmt[id]);
        sqlite3_clear_bindings(st->stmt[id]);
    }
    return st->stmt[id];
}

/* After a failed write: SQLite undid the statement's changes, or with the
 * whole transaction; the running digest follows (the hook had already
 * counted the rows the statement wrote before it failed). */
static void digest_undo_statement(sqlite_store *st, const digest_sum *before)
{
    st->digest_pending = sqlite3_get_autocommit(st->db) ? st->digest_committed : *before;
}

/* Run a prepared statement that returns no rows. */
static int run(sqlite_store *st, sqlite3_stmt *s, const char *what)
{
    digest_sum before = st->digest_pending;
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        digest_undo_statement(st, &before);
        return sql_fail(st, rc, what);
    }
    return 0;
}

/* Run a prepared write that must change exactly one row: an insert, or
 * an update or delete of a row the caller has just read in the same
 * transaction. Any other count means something in the file changed the
 * write (a planted trigger with RAISE(IGNORE), a row gone): an integrity
 * failure, never a silent success. */
static int run_one(sqlite_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = run(st, s, what);
    if (rc == 0 && sqlite3_changes(st->db) != 1)
        return err_set(LV_ECORRUPT, "integrity failure: %s changed %d rows instead of one", what,
                       sqlite3_changes(st->db));
    return rc;
}

#define PREPARE(st, var, id, what)                                                                 \
    sqlite3_stmt *var = prepared((st), (id));                                                      \
    if ((var) == NULL)                                                                             \
    return sql_fail((st), sqlite3_errcode((st)->db), (what))

static void bind_text(sqlite3_stmt *s, int i, const char *text)
{
    sqlite3_bind_text(s, i, text != NULL ? text : "", -1, SQLITE_STATIC);
}

static void copy_text(char *dst, size_t cap, sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    /* Only a tampered vault holds a longer value: cut here, its record
     * then fails its MAC or signature check. */
    (void)snprintf(dst, cap, "%s", t != NULL ? (const char *)t : "");
}

/* Copy a blob column of exactly len bytes; LV_ECORRUPT when its size differs. */
static int copy_blob(void *dst, size_t len, sqlite3_stmt *s, int col)
{
    if ((size_t)sqlite3_column_bytes(s, col) != len || sqlite3_column_type(s, col) != SQLITE_BLOB)
        return LV_ECORRUPT;
    memcpy(dst, sqlite3_column_blob(s, col), len);
    return 0;
}

/* Reads the current row of s into ctx, or hands it on; 0 or an LV code. */
typedef int row_fn(void *ctx, sqlite3_stmt *s);

/* Step s to its end, giving each row to row(ctx, s). The first non-zero
 * result of row stops the scan and is returned as is; a failed step is
 * sql_fail(what). s is reset in every case (a statement prepared for this
 * call alone is then finalized by the caller). */
static int each_row(sqlite_store *st, sqlite3_stmt *s, const char *what, row_fn *row, void *ctx)
{
    int rc, result = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((result = row(ctx, s)) != 0)
            break;
    }
    sqlite3_reset(s);
    if (result == 0 && rc != SQLITE_DONE)
        result = sql_fail(st, rc, what);
    return result;
}

/* Step s once and give its row to row(ctx, s), whose result is returned.
 * No row is LV_ENOTFOUND with the message not_found, or with none when
 * not_found is NULL (the caller looks further, or words it itself). s is
 * reset in every case. */
static int one_row(sqlite_store *st, sqlite3_stmt *s, const char *what, const char *not_found,
                   row_fn *row, void *ctx)
{
    int rc = sqlite3_step(s);
    int result = rc == SQLITE_ROW ? row(ctx, s) : 0;
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return not_found != NULL ? err_set(LV_ENOTFOUND, "%s", not_found) : LV_ENOTFOUND;
    if (rc != SQLITE_ROW)
        return sql_fail(st, rc, what);
    return result;
}

/* A caller's typed callback of store.h and its context, for the row
 * function (X_visit below) that reads a row of that type and calls it. */
typedef struct visit {
    union {
        store_keyslot_fn keyslot;
        store_lead_fn lead;
        store_tag_fn tag;
        store_audit_fn audit;
        store_checkpoint_fn checkpoint;
        store_purpose_fn purpose;
        store_consent_fn consent;
        store_hold_fn hold;
        store_rule_fn rule;
        store_label_fn label;
        store_count_fn count;
        store_time_fn time;
        store_keygen_fn keygen;
    } fn;
    void *ctx;
    int with_sealed; /* lead rows: also read the sealed field columns */
} visit;

static int exec_pragmas(sqlite_store *st)
{
    static const char *const pragmas[] = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA secure_delete=ON",
        "PRAGMA foreign_keys=ON",
        "PRAGMA trusted_schema=OFF",
        "PRAGMA temp_store=MEMORY",
        "PRAGMA cell_size_check=ON",
        /* 32 MiB of page cache (allocated as used): bulk paths otherwise
         * re-read and re-write the same pages through system calls. */
        CACHE_NORMAL_SQL,
    };
    for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
        sqlite3_stmt *s = NULL;
        int rc = sqlite3_prepare_v2(st->db, pragmas[i], -1, &s, NULL);
        if (rc == SQLITE_OK) {
            do
                rc = sqlite3_step(s);
            while (rc == SQLITE_ROW);
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return sql_fail(st, rc, "configuring the vault");
    }
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    return 0;
}

static int pragma_int(sqlite_store *st, const char *sql, int *out)
{
    sqlite3_stmt *s = NULL;
    /* st is open: the analyzer's path has open_connection() return 0 from
     * a failure, as it does not see that sql_fail() never returns 0.
     * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *out = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? 0 : sql_fail(st, rc, "reading the vault header");
}

static int open_connection(sqlite_store **out, const char *path, int flags, int busy_timeout_ms)
{
    sqlite_store *st = calloc(1, sizeof *st);
    if (st == NULL)
        return err_set(LV_ERROR, "out of memory");
    st->base.ops = &sqlite_ops;
    /* NOMUTEX: a connection is only ever used by one thread at a time (the
     * import's reader thread never touches the store). */
    int rc =
        sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        int code = sql_fail(st, rc, "opening the vault");
        sqlite_close(&st->base);
        return code;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, busy_timeout_ms > 0 ? busy_timeout_ms : 5000);
    /* From the first statement on: a covered table changed without the
     * digest key is then refused at commit. */
    sqlite3_preupdate_hook(st->db, digest_hook, st);
    if ((rc = exec_pragmas(st)) != 0) {
        /* The vault file itself was writable (callers check it first). */
        if (rc == LV_EREADONLY)
            rc = err_set(rc,
                         "cannot write the -wal and -shm files SQLite keeps next to %s: "
                         "its folder, or those files, are read-only",
                         path);
        sqlite_close(&st->base);
        return rc;
    }
    *out = st;
    return 0;
}

/* POSIX record locks belong to the process: closing any descriptor of a
 * file drops every lock the process holds on it, SQLite's included (its
 * WAL-mode read lock, which tells another connection closing that it is
 * not the last one; without it that one checkpoints and resets the WAL
 * under the others). So the looks at a vault file through a descriptor of
 * our own (precheck_file, the write probe) happen only while no connection
 * of this process has that file open: a server's sessions and its commit
 * group each hold one. The files open here, counted by connection. */
typedef struct open_file {
    dev_t dev;
    ino_t ino;
    unsigned count;
    struct open_file *next;
} open_file;
static pthread_mutex_t open_files_lock = PTHREAD_MUTEX_INITIALIZER;
static open_file *open_files;

/* Under open_files_lock. */
static open_file *open_file_find(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return NULL;
    for (open_file *f = open_files; f != NULL; f = f->next) {
        if (f->dev == sb.st_dev && f->ino == sb.st_ino)
            return f;
    }
    return NULL;
}

/* Count st's connection to path (under open_files_lock); 0 or LV_ERROR. */
static int open_file_add(sqlite_store *st, const char *path, open_file *known)
{
    struct stat sb;
    if (known == NULL) {
        if (lstat(path, &sb) != 0)
            return err_set(LV_ERROR, "cannot open %s: %s", path, strerror(errno));
        if ((known = calloc(1, sizeof *known)) == NULL)
            return err_set(LV_ERROR, "out of memory");
        known->dev = sb.st_dev;
        known->ino = sb.st_ino;
        known->next = open_files;
        open_files = known;
    }
    known->count++;
    /* st is open (see pragma_int() on the analyzer's path).
     * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
    st->file = known;
    return 0;
}

static void open_file_release(sqlite_store *st)
{
    if (st->file == NULL)
        return;
    pthread_mutex_lock(&open_files_lock);
    if (--st->file->count == 0) {
        for (open_file **p = &open_files; *p != NULL; p = &(*p)->next) {
            if (*p == st->file) {
                *p = st->file->next;
                break;
            }
        }
        free(st->file);
    }
    st->file = NULL;
    pthread_mutex_unlock(&open_files_lock);
}

int store_sqlite_create(store **out, const char *path)
{
    *out = NULL;
    int fd = open(path, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return err_set(LV_EEXISTS, "%s already exists; refusing to overwrite it", path);
        return errno_fail(errno, "create", path);
    }
    close(fd);
    sqlite_store *st = NULL;
    pthread_mutex_lock(&open_files_lock);
    int rc = open_connection(&st, path, SQLITE_OPEN_READWRITE, 0);
    if (rc == 0 && (rc = open_file_add(st, path, open_file_find(path))) != 0)
        sqlite_close(&st->base);
    pthread_mutex_unlock(&open_files_lock);
    if (rc != 0) {
        unlink(path);
        return rc;
    }
    /* As in pragma_int(): sql_fail() never returns 0, so st is set.
     * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
    st->format = SCHEMA_VERSION;
    char header[96];
    (void)snprintf(header, sizeof header, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                   APPLICATION_ID, SCHEMA_VERSION);
    /* Fixed DDL and integer pragmas only: no value from outside reaches
     * this text. */
    const char *const steps[] = {"BEGIN", header, schema_sql, "COMMIT"};
    for (size_t i = 0; rc == 0 && i < sizeof steps / sizeof steps[0]; i++) {
        /* As in pragma_int(): sql_fail() never returns 0, so st is set.
         * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
        int sql_rc = sqlite3_exec(st->db, steps[i], NULL, NULL, NULL);
        if (sql_rc != SQLITE_OK)
            rc = sql_fail(st, sql_rc, "creating the vault schema");
    }
    if (rc != 0) {
        sqlite_close(&st->base);
        unlink(path);
        return rc;
    }
    /* Write the header into the file now, so the vault identifies itself
     * even if this process dies before its first checkpoint. */
    (void)sqlite_checkpoint_wal(&st->base);
    *out = &st->base;
    return 0;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- damaged or foreign: telling them apart (docs/format.md, "Damaged
 * files") ---- */

/* The header fields that SQLite reads and that no vault ever changes: both
 * format versions 1 or 2, no reserved bytes, the fixed payload fractions,
 * schema format 1-4, no auto-vacuum, UTF-8. With anything else SQLite
 * would refuse the file as read-only or of an unsupported format, or read
 * its pages with another layout. */
static int header_fields_valid(const unsigned char header[100])
{
    uint32_t schema_format = be32(header + 44);
    return (header[18] == 1 || header[18] == 2) && (header[19] == 1 || header[19] == 2) &&
           header[20] == 0 && header[21] == 64 && header[22] == 32 && header[23] == 32 &&
           schema_format >= 1 && schema_format <= 4 && be32(header + 52) == 0 &&
           be32(header + 56) == 1 && be32(header + 64) == 0;
}

/* Every object of the schema (tables, their automatic indexes, indexes,
 * views, triggers): a vault holds exactly the ones store_create makes. A
 * trigger planted by a file writer would run inside every later write (drop
 * chosen audit entries, swallow a consent withdrawal, bring an erased lead
 * back), a view or an extra index is not ours either. sqlite_stat tables
 * would come from ANALYZE, which leadvault never runs. */
static const char *const schema_list_sql =
    "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY rowid";
/* The same of an attached backup (restore reads its tables). */
static const char *const backup_schema_list_sql =
    "SELECT type, name, tbl_name, rootpage, sql FROM backup.sqlite_schema ORDER BY rowid";

static int same_column(sqlite3_stmt *a, sqlite3_stmt *b, int col)
{
    int type = sqlite3_column_type(a, col);
    if (type != sqlite3_column_type(b, col))
        return 0;
    if (type == SQLITE_INTEGER)
        return sqlite3_column_int64(a, col) == sqlite3_column_int64(b, col);
    const void *x = sqlite3_column_blob(a, col);
    int x_len = sqlite3_column_bytes(a, col);
    const void *y = sqlite3_column_blob(b, col);
    int y_len = sqlite3_column_bytes(b, col);
    return x_len == y_len && (x_len == 0 || memcmp(x, y, (size_t)x_len) == 0);
}

/* A schema object's type or name from the file, fit for a message: at
 * most 64 bytes of printable ASCII, anything else as '?' (a name is the
 * only text of the file a message shows; never its SQL or a row). */
static void schema_name(char *out, size_t cap, const unsigned char *text)
{
    size_t at = 0;
    for (; text != NULL && text[at] != '\0' && at < 64 && at + 1 < cap; at++)
        out[at] = (char)(text[at] >= 0x20 && text[at] < 0x7f ? text[at] : '?');
    if (text != NULL && text[at] != '\0' && at + 4 < cap) {
        memcpy(out + at, "...", 3);
        at += 3;
    }
    out[at] = '\0';
}

/* What differs, named by what the vault holds: "trigger x, not one of
 * leadvault's", "table lead, changed" (ours, with other SQL or another
 * root page), or "table lead, missing". */
static void schema_difference(char *out, size_t cap, sqlite3 *ref, sqlite3_stmt *want,
                              sqlite3_stmt *have, int h)
{
    char type[72], name[72];
    if (h == SQLITE_ROW) {
        schema_name(type, sizeof type, sqlite3_column_text(have, 0));
        schema_name(name, sizeof name, sqlite3_column_text(have, 1));
        /* Ours when the reference has an object of that type and name
         * anywhere (VACUUM, say, lists them in another order). */
        sqlite3_stmt *find = NULL;
        int ours =
            sqlite3_prepare_v2(ref, "SELECT 1 FROM sqlite_schema WHERE type = ?1 AND name = ?2", -1,
                               &find, NULL) == SQLITE_OK &&
            sqlite3_bind_value(find, 1, sqlite3_column_value(have, 0)) == SQLITE_OK &&
            sqlite3_bind_value(find, 2, sqlite3_column_value(have, 1)) == SQLITE_OK &&
            sqlite3_step(find) == SQLITE_ROW;
        sqlite3_finalize(find);
        (void)snprintf(out, cap, "%s %s, %s", type, name,
                       ours ? "changed" : "not one of leadvault's");
    } else {
        schema_name(type, sizeof type, sqlite3_column_text(want, 0));
        schema_name(name, sizeof name, sqlite3_column_text(want, 1));
        (void)snprintf(out, cap, "%s %s, missing", type, name);
    }
}

/* 1 when db's schema is the one store_create makes: the same objects in
 * the same order, with the same SQL text and the same root pages (which a
 * vault keeps for life: leadvault never drops a table or vacuums). 0 when
 * it differs, with the first difference, named as schema_difference does,
 * in *differs. An LV code below 0 when the schema cannot be read.
 *
 * ref_sql is the schema of the format the file claims: schema_sql for
 * format 2, schema_v1_sql for a format-1 vault not upgraded yet (each
 * format was created by exactly one set of statements). */
static int schema_matches_list(sqlite3 *db, const char *ref_sql, const char *list_sql,
                               char *differs, size_t differs_cap)
{
    sqlite3 *ref = NULL;
    sqlite3_stmt *want = NULL, *have = NULL;
    int result = 1, rc;
    if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(ref, ref_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(ref, schema_list_sql, -1, &want, NULL) != SQLITE_OK)
        result = err_set(LV_ERROR, "cannot build the reference schema: %s",
                         ref != NULL ? sqlite3_errmsg(ref) : "out of memory");
    else if ((rc = sqlite3_prepare_v2(db, list_sql, -1, &have, NULL)) != SQLITE_OK)
        result = sql_fail_db(db, rc, "reading the vault schema");
    while (result == 1) {
        int w = sqlite3_step(want);
        int h = sqlite3_step(have);
        if (h != SQLITE_ROW && h != SQLITE_DONE)
            result = sql_fail_db(db, h, "reading the vault schema");
        else if (w != SQLITE_ROW && w != SQLITE_DONE)
            result = sql_fail_db(ref, w, "listing the reference schema");
        else if (w == SQLITE_DONE && h == SQLITE_DONE)
            break;
        else if (w != h || !same_column(want, have, 0) || !same_column(want, have, 1) ||
                 !same_column(want, have, 2) || !same_column(want, have, 3) ||
                 !same_column(want, have, 4)) {
            schema_difference(differs, differs_cap, ref, want, have, h);
            result = 0;
        }
    }
    sqlite3_finalize(have);
    sqlite3_finalize(want);
    sqlite3_close(ref);
    return result;
}

static int schema_matches(sqlite3 *db, int format, char *differs, size_t differs_cap)
{
    return schema_matches_list(db, format == 1 ? schema_v1_sql : schema_sql, schema_list_sql,
                               differs, differs_cap);
}

static int schema_check(sqlite3 *db, int format, const char *path)
{
    char differs[192];
    int rc = schema_matches(db, format, differs, sizeof differs);
    if (rc == 0)
        return err_set(LV_ECORRUPT,
                       "%s is a damaged vault: its schema differs from the one leadvault "
                       "creates (%s)",
                       path, differs);
    return rc < 0 ? rc : 0;
}

/* path as a URI that opens it read-only and immutable: SQLite then takes
 * no lock and creates no -wal, -shm or -journal file next to it. */
static char *immutable_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char suffix[] = "?immutable=1";
    size_t len = strlen(path);
    char *uri = malloc(sizeof "file://" + 3 * len + sizeof suffix);
    if (uri == NULL)
        return NULL;
    size_t at = 0;
    const char *scheme = path[0] == '/' ? "file://" : "file:";
    memcpy(uri, scheme, strlen(scheme));
    at += strlen(scheme);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
            uri[at++] = (char)c;
        } else {
            uri[at++] = '%';
            uri[at++] = hex[c >> 4];
            uri[at++] = hex[c & 15];
        }
    }
    memcpy(uri + at, suffix, sizeof suffix);
    return uri;
}

/* A SQLite file without the leadvault application id. If it holds the
 * whole vault schema and a vault id, it is a vault whose header was
 * damaged; otherwise it is another application's database (or a copy of
 * the schema alone), refused as before. db is a connection to it, or NULL
 * to look through an immutable one that changes nothing. */
static int foreign_or_damaged(sqlite3 *db, const char *path)
{
    sqlite3 *probe = NULL;
    if (db == NULL) {
        char *uri = immutable_uri(path);
        if (uri == NULL)
            return err_set(LV_ERROR, "out of memory");
        if (sqlite3_open_v2(uri, &probe,
                            SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW |
                                SQLITE_OPEN_NOMUTEX,
                            NULL) == SQLITE_OK) {
            (void)sqlite3_db_config(probe, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
            (void)sqlite3_db_config(probe, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
            db = probe;
        }
        free(uri);
    }
    int damaged = 0;
    char differs[192];
    /* The schema first: only then is "meta" known to be a plain table. */
    if (db != NULL && (schema_matches(db, 2, differs, sizeof differs) == 1 ||
                       schema_matches(db, 1, differs, sizeof differs) == 1)) {
        sqlite3_stmt *s = NULL;
        damaged = sqlite3_prepare_v2(db, "SELECT length(value) FROM meta WHERE key = 'vault_id'",
                                     -1, &s, NULL) == SQLITE_OK &&
                  sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == LV_ID_BYTES;
        sqlite3_finalize(s);
    }
    sqlite3_close(probe);
    if (damaged)
        return err_set(LV_ECORRUPT,
                       "%s is a damaged vault: its SQLite header lacks the leadvault "
                       "application id",
                       path);
    return err_set(LV_EINVAL, "%s is a SQLite database but not a leadvault vault", path);
}

/* Look at the file before SQLite does, so that a symlink, a foreign file
 * or a truncated vault gets a precise error instead of a generic one. */
static int precheck_file(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT)
            return err_set(LV_ENOTFOUND, "no vault at %s", path);
        return err_set(LV_ERROR, "cannot open %s: %s", path, strerror(errno));
    }
    if (S_ISLNK(sb.st_mode))
        return err_set(LV_EINVAL, "%s is a symbolic link; refusing to follow it", path);
    if (!S_ISREG(sb.st_mode))
        return err_set(LV_EINVAL, "%s is not a regular file", path);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return err_set(LV_ERROR, "cannot open %s: %s", path, strerror(errno));
    unsigned char header[100];
    ssize_t got = read(fd, header, sizeof header);
    close(fd);
    /* The application id outlives a damaged magic: such a file was a vault. */
    if (got >= 72 && memcmp(header, "SQLite format 3", 16) != 0 &&
        be32(header + 68) == APPLICATION_ID)
        return err_set(LV_ECORRUPT, "%s is a damaged vault: its SQLite header is not valid", path);
    if (got < 16 || memcmp(header, "SQLite format 3", 16) != 0)
        return err_set(LV_EINVAL, "%s is not a leadvault vault", path);
    if (got < (ssize_t)sizeof header)
        return err_set(LV_ECORRUPT, "%s is truncated", path);
    if (be32(header + 68) == APPLICATION_ID && !header_fields_valid(header))
        return err_set(LV_ECORRUPT, "%s is a damaged vault: its SQLite header is not valid", path);
    /* Until the first checkpoint the current header may live only in the
     * -wal file: then the checks after opening (through SQLite) decide. */
    char wal[4096];
    struct stat wal_sb;
    /* A name cut to fit would be another file's: then no -wal is looked
     * at (SQLite refuses a path that long in any case). */
    int wal_pending = snprintf(wal, sizeof wal, "%s-wal", path) < (int)sizeof wal &&
                      lstat(wal, &wal_sb) == 0 && S_ISREG(wal_sb.st_mode) && wal_sb.st_size > 0;
    if (!wal_pending && be32(header + 68) != APPLICATION_ID)
        return foreign_or_damaged(NULL, path);
    if (!wal_pending && be32(header + 60) > SCHEMA_VERSION)
        return err_set(LV_ERROR, "%s has vault format %u; this leadvault reads up to %d", path,
                       be32(header + 60), SCHEMA_VERSION);
    unsigned page_size = (unsigned)header[16] << 8 | header[17];
    if (page_size == 1)
        page_size = 65536;
    if (page_size < 512 || (page_size & (page_size - 1)) != 0 ||
        (uint64_t)sb.st_size % page_size != 0)
        return err_set(LV_ECORRUPT, "%s is truncated or damaged", path);
    /* The in-header page count is valid when the change counter matches
     * "version-valid-for"; a file shorter than that lost pages. */
    if (!wal_pending && be32(header + 24) == be32(header + 92) &&
        (uint64_t)sb.st_size < (uint64_t)be32(header + 28) * page_size)
        return err_set(LV_ECORRUPT, "%s is truncated", path);
    return 0;
}

/* The checks before SQLite opens path, on a file no connection of this
 * process has open. */
static int open_prechecks(const char *path)
{
    int rc = precheck_file(path);
    if (rc != 0)
        return rc;
    /* Every command writes, if only its audit entry: a vault that cannot
     * be written is refused before SQLite creates side files next to it. */
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno_means_readonly(errno))
            return err_set(LV_EREADONLY,
                           "the vault file %s is read-only (%s); leadvault writes "
                           "to it on every command, to audit it",
                           path, strerror(errno));
        return errno_fail(errno, "open for writing", path);
    }
    close(fd);
    return 0;
}

int store_sqlite_open(store **out, const char *path, int busy_timeout_ms)
{
    *out = NULL;
    sqlite_store *st = NULL;
    pthread_mutex_lock(&open_files_lock);
    open_file *known = open_file_find(path);
    int rc = known == NULL ? open_prechecks(path) : 0;
    if (rc == 0 && (rc = open_connection(&st, path, SQLITE_OPEN_READWRITE, busy_timeout_ms)) == 0 &&
        (rc = open_file_add(st, path, known)) != 0)
        sqlite_close(&st->base);
    pthread_mutex_unlock(&open_files_lock);
    if (rc != 0)
        return rc;
    int app = 0, version = 0;
    if ((rc = pragma_int(st, "PRAGMA application_id", &app)) != 0 ||
        (rc = pragma_int(st, "PRAGMA user_version", &version)) != 0) {
        sqlite_close(&st->base);
        return rc;
    }
    if ((uint32_t)app != APPLICATION_ID) {
        rc = foreign_or_damaged(st->db, path);
        sqlite_close(&st->base);
        return rc;
    }
    if (version > SCHEMA_VERSION) {
        sqlite_close(&st->base);
        return err_set(LV_ERROR, "%s has vault format %d; this leadvault reads up to %d", path,
                       version, SCHEMA_VERSION);
    }
    /* The two tables an unlock reads before the passphrase is checked: a
     * damaged page there would otherwise read as an unknown user (exit 3). */
    st->format = version == 1 ? 1 : SCHEMA_VERSION;
    if ((rc = schema_check(st->db, st->format, path)) != 0 ||
        (rc = sqlite_check_table(&st->base, "meta", 1)) != 0 ||
        (rc = sqlite_check_table(&st->base, "keyslot", 1)) != 0) {
        sqlite_close(&st->base);
        return rc;
    }
    *out = &st->base;
    return 0;
}

static void sqlite_close(store *base)
{
    sqlite_store *st = as_sqlite(base);
    if (st == NULL)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    sqlite3_close(st->db);
    open_file_release(st);
    free(st->scratch);
    free(st);
}

/* A transaction starts only once its ROLLBACK is prepared: ending it must
 * not need memory, or a refused allocation would leave it open. */
static int begin_with(sqlite_store *st, enum stmt_id id, const char *what)
{
    if (st->stmt[S_ROLLBACK] == NULL && prepared(st, S_ROLLBACK) == NULL)
        return sql_fail(st, sqlite3_errcode(st->db), what);
    PREPARE(st, s, id, what);
    return run(st, s, what);
}

static int digest_reload(sqlite_store *st);

static int sqlite_begin(store *base)
{
    sqlite_store *st = as_sqlite(base);
    int rc = begin_with(st, S_BEGIN, "starting a transaction");
    if (rc == 0) {
        st->in_write = 1;
        st->digest_unkeyed = st->digest_failed = 0;
        st->digest_pending = st->digest_committed;
        /* Under the write lock: another connection may have committed
         * since D was read, and D goes on from what it wrote. */
        if (st->digest_on && (rc = digest_reload(st)) != 0)
            sqlite_rollback(base);
    }
    return rc;
}

static int sqlite_begin_read(store *base)
{
    return begin_with(as_sqlite(base), S_BEGIN_READ, "starting a read");
}

static int digest_write(sqlite_store *st);

static int sqlite_commit(store *base)
{
    sqlite_store *st = as_sqlite(base);
    int rc = 0;
    /* SQLite ends a transaction itself after some failures (a full disk,
     * an I/O error); a group's transaction may be committed after one of
     * its members met one. Then nothing is written, meta.digest included
     * (in autocommit mode it would be stored on its own). */
    if (st->in_write && sqlite3_get_autocommit(st->db))
        rc = err_set(LV_ERROR, "the write transaction was ended by an earlier failed write; "
                               "nothing of it was committed");
    else if (st->in_write && st->digest_unkeyed)
        rc = err_set(LV_ECORRUPT, "integrity failure: a table of the state digest was changed "
                                  "without the digest key; the changes were rolled back");
    else if (st->in_write && st->digest_failed)
        rc = err_set(LV_ERROR, "out of memory while updating the state digest; the changes "
                               "were rolled back");
    else if (st->in_write && st->digest_on)
        rc = digest_write(st);
    if (rc != 0) {
        sqlite_rollback(&st->base);
        return rc;
    }
    PREPARE(st, s, S_COMMIT, "committing");
    rc = run(st, s, "committing");
    if (rc == 0) {
        st->digest_committed = st->digest_pending;
        st->in_write = 0;
    } else {
        sqlite_rollback(&st->base);
        if (rc == LV_EFULL || rc == LV_EREADONLY) {
            char cause[400]; /* err_set writes the buffer the cause is in */
            (void)snprintf(cause, sizeof cause, "%s", lv_error_last());
            rc = err_set(rc, "%s; the changes were rolled back", cause);
        }
    }
    return rc;
}

static void sqlite_rollback(store *base)
{
    sqlite_store *st = as_sqlite(base);
    /* SQLite may have rolled back already (a full disk, a busy commit):
     * the running digest goes back in every case. */
    st->digest_pending = st->digest_committed;
    st->in_write = 0;
    st->digest_unkeyed = st->digest_failed = 0;
    if (sqlite3_get_autocommit(st->db))
        return;
    sqlite3_stmt *s = prepared(st, S_ROLLBACK);
    if (s != NULL) {
        sqlite3_step(s);
        sqlite3_reset(s);
    }
}

static int sqlite_savepoint(store *base)
{
    sqlite_store *st = as_sqlite(base);
    /* Outside a transaction SAVEPOINT would open one of its own (SQLite
     * ends a transaction itself after some I/O errors): refused, so that a
     * group's members never write outside the group's transaction. */
    if (!st->in_write || sqlite3_get_autocommit(st->db))
        return err_set(LV_ERROR, "the group's write transaction is no longer open "
                                 "(an earlier write failed); nothing was written");
    if (st->stmt[S_ROLLBACK_TO] == NULL && prepared(st, S_ROLLBACK_TO) == NULL)
        return sql_fail(st, sqlite3_errcode(st->db), "starting a nested transaction");
    if (st->stmt[S_RELEASE] == NULL && prepared(st, S_RELEASE) == NULL)
        return sql_fail(st, sqlite3_errcode(st->db), "starting a nested transaction");
    st->mark_pending = st->digest_pending;
    st->mark_unkeyed = st->digest_unkeyed;
    st->mark_failed = st->digest_failed;
    PREPARE(st, s, S_SAVEPOINT, "starting a nested transaction");
    return run(st, s, "starting a nested transaction");
}

static int sqlite_savepoint_keep(store *base)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_RELEASE, "ending a nested transaction");
    return run(st, s, "ending a nested transaction");
}

static void sqlite_savepoint_undo(store *base)
{
    sqlite_store *st = as_sqlite(base);
    /* Both statements are prepared by sqlite_savepoint. */
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *s = st->stmt[i == 0 ? S_ROLLBACK_TO : S_RELEASE];
        if (s != NULL) {
            sqlite3_step(s);
            sqlite3_reset(s);
        }
    }
    st->digest_pending = st->mark_pending;
    st->digest_unkeyed = st->mark_unkeyed;
    st->digest_failed = st->mark_failed;
}

static int sqlite_bulk_mode(store *base, int on)
{
    sqlite_store *st = as_sqlite(base);
    int rc = sqlite3_wal_autocheckpoint(st->db, on ? 16384 : 1000);
    /* A bulk import mostly appends, and its random index entries come
     * sorted per batch: a smaller page cache costs it little time (1M rows:
     * about 4 %) and keeps its memory bounded alongside the import's queue. */
    if (rc == SQLITE_OK) {
        sqlite3_stmt *s = prepared(st, on ? S_CACHE_BULK : S_CACHE_NORMAL);
        rc = s == NULL ? sqlite3_errcode(st->db) : sqlite3_step(s);
        if (s != NULL)
            sqlite3_reset(s);
        rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
    }
    return rc == SQLITE_OK ? 0 : sql_fail(st, rc, "configuring bulk mode");
}

static int sqlite_checkpoint_wal(store *base)
{
    sqlite_store *st = as_sqlite(base);
    int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    if (rc != SQLITE_OK)
        return sql_fail(st, rc, "checkpointing the write-ahead log");
    return 0;
}

/* ---- meta ---- */

/* Where sqlite_meta_get copies a value. */
typedef struct meta_value {
    const char *key;
    void *buf;
    size_t cap, len;
} meta_value;

static int read_meta(void *dest, sqlite3_stmt *s)
{
    meta_value *value = dest;
    size_t n = (size_t)sqlite3_column_bytes(s, 0);
    if (n > value->cap)
        return err_set(LV_ECORRUPT, "vault metadata '%s' has a wrong size", value->key);
    memcpy(value->buf, sqlite3_column_blob(s, 0), n);
    value->len = n;
    return 0;
}

static int sqlite_meta_get(store *base, const char *key, void *buf, size_t cap, size_t *len)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_META_GET, "reading vault metadata");
    bind_text(s, 1, key);
    meta_value value = {key, buf, cap, 0};
    int rc = one_row(st, s, "reading vault metadata", NULL, read_meta, &value);
    if (rc == LV_ENOTFOUND)
        return err_set(LV_ENOTFOUND, "vault metadata '%s' is missing", key);
    if (rc == 0)
        *len = value.len;
    return rc;
}

static int sqlite_meta_put(store *base, const char *key, const void *value, size_t len)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_META_PUT, "writing vault metadata");
    bind_text(s, 1, key);
    sqlite3_bind_blob(s, 2, value, (int)len, SQLITE_STATIC);
    return run_one(st, s, "writing vault metadata");
}

/* ---- keyslots ---- */

static int read_slot(void *dest, sqlite3_stmt *s)
{
    store_keyslot *out = dest;
    memset(out, 0, sizeof *out);
    /* The name is looked up as text: one stored as a blob (or cut short
     * here) would stand for another name under the same MAC. Its type is
     * read first: reading it as text converts it. */
    int name_is_text = sqlite3_column_type(s, 0) == SQLITE_TEXT;
    copy_text(out->name, sizeof out->name, s, 0);
    int name_ok = name_is_text && (size_t)sqlite3_column_bytes(s, 0) == strlen(out->name);
    out->role = sqlite3_column_int(s, 1);
    out->kdf.memory_kib = (uint32_t)sqlite3_column_int64(s, 2);
    out->kdf.iterations = (uint32_t)sqlite3_column_int64(s, 3);
    out->kdf.parallelism = (uint32_t)sqlite3_column_int64(s, 4);
    out->created = sqlite3_column_int64(s, 8);
    /* Integers that do not fit their field would be truncated and still
     * pass the MAC: refuse them as malformed instead. */
    int in_range = 1;
    for (int col = 1; col <= 4; col++) {
        sqlite3_int64 v = sqlite3_column_int64(s, col);
        in_range &= sqlite3_column_type(s, col) == SQLITE_INTEGER && v >= 0 &&
                    v <= (col == 1 ? INT_MAX : (sqlite3_int64)UINT32_MAX);
    }
    if (!in_range || !name_ok || copy_blob(out->salt, SALT_BYTES, s, 5) != 0 ||
        copy_blob(out->wrapped, WRAPPED_KEY_BYTES, s, 6) != 0 ||
        copy_blob(out->mac, MAC_BYTES, s, 7) != 0 ||
        copy_blob(out->public_key, BOX_KEY_BYTES, s, 10) != 0 ||
        sqlite3_column_type(s, 9) != SQLITE_INTEGER)
        return err_set(LV_ECORRUPT, "keyslot '%s' is malformed", out->name);
    out->kind = sqlite3_column_int(s, 9);
    if (out->kind != KEYSLOT_KIND_LEGACY && out->kind != KEYSLOT_KIND_X25519)
        return err_set(LV_ECORRUPT, "keyslot '%s' is of an unknown kind", out->name);
    return 0;
}

static int sqlite_keyslot_get(store *base, const char *name, store_keyslot *out)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, st->format == 1 ? S_SLOT_GET_V1 : S_SLOT_GET, "reading a keyslot");
    bind_text(s, 1, name);
    return one_row(st, s, "reading a keyslot", "no such user", read_slot, out);
}

static void bind_slot(sqlite3_stmt *s, const store_keyslot *slot)
{
    bind_text(s, 1, slot->name);
    sqlite3_bind_int(s, 2, slot->role);
    sqlite3_bind_int64(s, 3, slot->kdf.memory_kib);
    sqlite3_bind_int64(s, 4, slot->kdf.iterations);
    sqlite3_bind_int64(s, 5, slot->kdf.parallelism);
    sqlite3_bind_blob(s, 6, slot->salt, SALT_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 7, slot->wrapped, WRAPPED_KEY_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 8, slot->mac, MAC_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, slot->created);
    sqlite3_bind_int(s, 10, slot->kind);
    sqlite3_bind_blob(s, 11, slot->public_key, BOX_KEY_BYTES, SQLITE_STATIC);
}

static int sqlite_keyslot_insert(store *base, const store_keyslot *slot)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_SLOT_INSERT, "adding a keyslot");
    bind_slot(s, slot);
    int rc = run_one(st, s, "adding a user");
    return rc;
}

static int sqlite_keyslot_update(store *base, const store_keyslot *slot)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_SLOT_UPDATE, "updating a keyslot");
    bind_slot(s, slot);
    return run_one(st, s, "updating a keyslot");
}

static int sqlite_keyslot_delete(store *base, const char *name)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_SLOT_DELETE, "removing a keyslot");
    bind_text(s, 1, name);
    /* lv_user_remove read the slot in this transaction. */
    return run_one(st, s, "removing a keyslot");
}

static int read_kdf(void *dest, sqlite3_stmt *s)
{
    lv_kdf_params *out = dest;
    out->memory_kib = (uint32_t)sqlite3_column_int64(s, 0);
    out->iterations = (uint32_t)sqlite3_column_int64(s, 1);
    out->parallelism = (uint32_t)sqlite3_column_int64(s, 2);
    return 0;
}

static int sqlite_keyslot_any_kdf(store *base, lv_kdf_params *out)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_SLOT_ANY, "reading keyslots");
    return one_row(st, s, "reading keyslots", "vault has no users", read_kdf, out);
}

static int keyslot_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_keyslot slot;
    int rc = read_slot(&slot, s);
    return rc != 0 ? rc : v->fn.keyslot(v->ctx, &slot);
}

static int sqlite_keyslot_each(store *base, store_keyslot_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, st->format == 1 ? S_SLOT_EACH_V1 : S_SLOT_EACH, "listing keyslots");
    visit v = {.fn.keyslot = fn, .ctx = ctx};
    return each_row(st, s, "listing keyslots", keyslot_visit, &v);
}

/* ---- leads ---- */

/* The tags column: which contact slots are indexed, then their tags. */
#define LEAD_TAGS_BYTES (1 + CONTACT_SLOTS * INDEX_TAG_BYTES)
_Static_assert(LEAD_TAGS_BYTES == 1 + sizeof((store_lead *)NULL)->tags, "tags column size");

/* Every value is bound without a copy (a copy could fail for want of
 * memory, and a failed bind would leave NULL): tags, where the tags column
 * is assembled, must outlive the statement's step. */
static void bind_lead(sqlite3_stmt *s, const store_lead *lead, unsigned char tags[LEAD_TAGS_BYTES])
{
    sqlite3_bind_blob(s, 1, lead->id, LV_ID_BYTES, SQLITE_STATIC);
    bind_text(s, 2, lead->source);
    bind_text(s, 3, lead->source_detail);
    bind_text(s, 4, lead->stage);
    bind_text(s, 5, lead->owner);
    bind_text(s, 6, lead->country);
    for (int i = 0; i < LV_SIGNAL_COUNT; i++)
        sqlite3_bind_int(s, 7 + i, lead->signal[i]);
    sqlite3_bind_int64(s, 10, lead->created);
    sqlite3_bind_int64(s, 11, lead->updated);
    sqlite3_bind_int64(s, 12, lead->last_contact);
    sqlite3_bind_blob(s, 13, lead->wrapped_key, WRAPPED_KEY_BYTES, SQLITE_STATIC);
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (lead->sealed[f] != NULL)
            sqlite3_bind_blob(s, 14 + f, lead->sealed[f], (int)lead->sealed_len[f], SQLITE_STATIC);
        else
            sqlite3_bind_null(s, 14 + f);
    }
    sqlite3_bind_blob(s, 14 + LV_FIELD_COUNT, lead->consent_head, MAC_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 15 + LV_FIELD_COUNT, lead->mac, MAC_BYTES, SQLITE_STATIC);
    tags[0] = lead->tag_present;
    memcpy(tags + 1, lead->tags, sizeof lead->tags);
    sqlite3_bind_blob(s, 16 + LV_FIELD_COUNT, tags, LEAD_TAGS_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(s, 17 + LV_FIELD_COUNT, lead->generation);
}

static int sqlite_lead_insert(store *base, const store_lead *lead)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_LEAD_INSERT, "adding a lead");
    unsigned char tags[LEAD_TAGS_BYTES];
    bind_lead(s, lead, tags);
    st->lead_inserting = lead;
    st->lead_inserting_tags = tags;
    int rc = run_one(st, s, "adding a lead");
    st->lead_inserting = NULL;
    st->lead_inserting_tags = NULL;
    return rc;
}

static int sqlite_lead_update(store *base, const store_lead *lead)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_LEAD_UPDATE, "updating a lead");
    unsigned char tags[LEAD_TAGS_BYTES];
    bind_lead(s, lead, tags);
    return run_one(st, s, "updating a lead");
}

/* Fill out from the current row of a lead query (column order of
 * S_LEAD_GET). Sealed pointers stay borrowed from the statement. */
static int read_lead(sqlite3_stmt *s, store_lead *out, int with_sealed)
{
    memset(out, 0, sizeof *out);
    if (copy_blob(out->id, LV_ID_BYTES, s, 0) != 0)
        return err_set(LV_ECORRUPT, "a lead has a malformed id");
    copy_text(out->source, sizeof out->source, s, 1);
    copy_text(out->source_detail, sizeof out->source_detail, s, 2);
    copy_text(out->stage, sizeof out->stage, s, 3);
    copy_text(out->owner, sizeof out->owner, s, 4);
    copy_text(out->country, sizeof out->country, s, 5);
    for (int i = 0; i < LV_SIGNAL_COUNT; i++)
        out->signal[i] = sqlite3_column_int(s, 6 + i);
    out->created = sqlite3_column_int64(s, 9);
    out->updated = sqlite3_column_int64(s, 10);
    out->last_contact = sqlite3_column_int64(s, 11);
    if (copy_blob(out->wrapped_key, WRAPPED_KEY_BYTES, s, 12) != 0)
        memset(out->wrapped_key, 0, WRAPPED_KEY_BYTES); /* fails to unwrap: reported then */
    /* Malformed: zeros, which fail the MAC check where they are used. */
    if (copy_blob(out->consent_head, MAC_BYTES, s, 13 + LV_FIELD_COUNT) != 0)
        memset(out->consent_head, 0, MAC_BYTES);
    if (copy_blob(out->mac, MAC_BYTES, s, 14 + LV_FIELD_COUNT) != 0)
        memset(out->mac, 0, MAC_BYTES);
    unsigned char tags[1 + sizeof out->tags];
    if (copy_blob(tags, sizeof tags, s, 15 + LV_FIELD_COUNT) == 0) {
        out->tag_present = tags[0];
        memcpy(out->tags, tags + 1, sizeof out->tags);
    }
    sqlite3_int64 generation = sqlite3_column_int64(s, 16 + LV_FIELD_COUNT);
    /* Out of range: no key generation, so the data key fails to unwrap. */
    out->generation = generation > 0 && generation <= UINT32_MAX ? (uint32_t)generation : 0;
    if (!with_sealed)
        return 0;
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (sqlite3_column_type(s, 13 + f) == SQLITE_NULL)
            continue;
        out->sealed[f] = sqlite3_column_blob(s, 13 + f);
        out->sealed_len[f] = (size_t)sqlite3_column_bytes(s, 13 + f);
        if (out->sealed[f] == NULL) /* a zero-length blob: corrupt, opening fails */
            out->sealed[f] = (const unsigned char *)"";
    }
    return 0;
}

static int sqlite_lead_set_head(store *base, const unsigned char id[LV_ID_BYTES],
                                const unsigned char head[MAC_BYTES],
                                const unsigned char mac[MAC_BYTES])
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_LEAD_SET_HEAD, "recording consent");
    sqlite3_bind_blob(s, 1, id, LV_ID_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, head, MAC_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 3, mac, MAC_BYTES, SQLITE_STATIC);
    return run_one(st, s, "recording consent");
}

/* Where sqlite_lead_get reads its row: the caller's lead, and the store
 * whose scratch buffer takes the sealed values. */
typedef struct lead_copy {
    sqlite_store *st;
    store_lead *out;
} lead_copy;

/* Read a lead with its sealed values copied out of the row, so the
 * statement can be reset before the caller uses them. */
static int read_lead_copy(void *dest, sqlite3_stmt *s)
{
    sqlite_store *st = ((lead_copy *)dest)->st;
    store_lead *out = ((lead_copy *)dest)->out;
    int result = read_lead(s, out, 1);
    size_t total = 0;
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        total += out->sealed_len[f];
    if (result != 0 ||
        (result = util_array_grow((void **)&st->scratch, &st->scratch_cap, total, 1, 1024)) != 0)
        return result;
    size_t at = 0;
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (out->sealed[f] == NULL)
            continue;
        memcpy(st->scratch + at, out->sealed[f], out->sealed_len[f]);
        out->sealed[f] = st->scratch + at;
        at += out->sealed_len[f];
    }
    return 0;
}

static int sqlite_lead_get(store *base, const unsigned char id[LV_ID_BYTES], store_lead *out)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_LEAD_GET, "reading a lead");
    sqlite3_bind_blob(s, 1, id, LV_ID_BYTES, SQLITE_STATIC);
    lead_copy dest = {st, out};
    int result = one_row(st, s, "reading a lead", NULL, read_lead_copy, &dest);
    if (result != LV_ENOTFOUND)
        return result;
    /* Before saying there is no such lead, make sure no damaged page of
     * the table or its id index hides it (a miss only: it reads every
     * page of the table). */
    if (sqlite_check_table(&st->base, "lead", 0) == LV_ECORRUPT)
        return LV_ECORRUPT;
    return err_set(LV_ENOTFOUND, "no such lead");
}

static int lead_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_lead lead;
    int rc = read_lead(s, &lead, v->with_sealed);
    lead.position = sqlite3_column_int64(s, 17 + LV_FIELD_COUNT);
    return rc != 0 ? rc : v->fn.lead(v->ctx, &lead);
}

static int sqlite_lead_each(store *base, const store_lead_filter *filter, int with_sealed,
                            store_lead_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    /* A fresh statement: callbacks may call store_lead_get meanwhile.
     * Without sealed values the field columns are not even decoded. */
#define LEAD_EACH_META                                                                             \
    "SELECT id, source, source_detail, stage, owner, country, incentive, verified, aware,"         \
    " created, updated, last_contact, data_key, "
#define LEAD_EACH_SEALED                                                                           \
    "first_name, last_name, email, phone, company, title, website, address, notes, email2,"        \
    " phone2, "
#define LEAD_EACH_NO_SEALED "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
#define LEAD_EACH_WHERE                                                                            \
    "consent_head, mac, tags, generation, rowid FROM lead"                                         \
    " WHERE (?1 IS NULL OR stage = ?1) AND (?2 IS NULL OR source = ?2)"                            \
    " AND (?3 IS NULL OR owner = ?3) AND (?4 IS NULL OR generation = ?4)"
/* In storage order from a position on: a range of rowids, which SQLite
 * seeks to instead of reading the table from its start. */
#define LEAD_EACH_AFTER " AND rowid > ?6 ORDER BY rowid LIMIT ?5"
    static const char *const sql[2][3] = {
        {LEAD_EACH_META LEAD_EACH_NO_SEALED LEAD_EACH_WHERE " ORDER BY id LIMIT ?5",
         LEAD_EACH_META LEAD_EACH_NO_SEALED LEAD_EACH_WHERE " ORDER BY rowid LIMIT ?5",
         LEAD_EACH_META LEAD_EACH_NO_SEALED LEAD_EACH_WHERE LEAD_EACH_AFTER},
        {LEAD_EACH_META LEAD_EACH_SEALED LEAD_EACH_WHERE " ORDER BY id LIMIT ?5",
         LEAD_EACH_META LEAD_EACH_SEALED LEAD_EACH_WHERE " ORDER BY rowid LIMIT ?5",
         LEAD_EACH_META LEAD_EACH_SEALED LEAD_EACH_WHERE LEAD_EACH_AFTER},
    };
#undef LEAD_EACH_META
#undef LEAD_EACH_SEALED
#undef LEAD_EACH_NO_SEALED
#undef LEAD_EACH_WHERE
#undef LEAD_EACH_AFTER
    int order = filter == NULL || !filter->storage_order ? 0 : filter->after == 0 ? 1 : 2;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql[with_sealed != 0][order], -1, &s, NULL) != SQLITE_OK)
        return sql_fail(st, sqlite3_errcode(st->db), "listing leads");
    if (filter != NULL) {
        if (filter->stage != NULL)
            bind_text(s, 1, filter->stage);
        if (filter->source != NULL)
            bind_text(s, 2, filter->source);
        if (filter->owner != NULL)
            bind_text(s, 3, filter->owner);
        if (filter->generation != 0)
            sqlite3_bind_int64(s, 4, filter->generation);
    }
    if (order == 2)
        sqlite3_bind_int64(s, 6, filter->after);
    sqlite3_bind_int64(s, 5, filter != NULL && filter->limit != 0 ? (sqlite3_int64)filter->limit
                                                                  : -1);
    visit v = {.fn.lead = fn, .ctx = ctx, .with_sealed = with_sealed};
    int result = each_row(st, s, "listing leads", lead_visit, &v);
    sqlite3_finalize(s);
    return result;
}

/* ---- blind index ---- */

static int sqlite_index_put(store *base, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                            const unsigned char lead_id[LV_ID_BYTES])
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_INDEX_PUT, "indexing a lead");
    sqlite3_bind_int(s, 1, kind);
    sqlite3_bind_blob(s, 2, tag, INDEX_TAG_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 3, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    return run(st, s, "indexing a lead");
}

static int sqlite_index_put_many(store *base, const store_index_entry *entries, size_t count)
{
    sqlite_store *st = as_sqlite(base);
    int rc = 0;
    size_t i = 0;
    for (; rc == 0 && count - i >= INDEX_PUT_MANY; i += INDEX_PUT_MANY) {
        PREPARE(st, s, S_INDEX_PUT_MANY, "indexing leads");
        for (int j = 0; j < INDEX_PUT_MANY; j++) {
            const store_index_entry *e = &entries[i + (size_t)j];
            sqlite3_bind_int(s, 3 * j + 1, e->kind);
            sqlite3_bind_blob(s, 3 * j + 2, e->tag, INDEX_TAG_BYTES, SQLITE_STATIC);
            sqlite3_bind_blob(s, 3 * j + 3, e->lead_id, LV_ID_BYTES, SQLITE_STATIC);
        }
        rc = run(st, s, "indexing leads");
    }
    for (; rc == 0 && i < count; i++)
        rc = sqlite_index_put(&st->base, entries[i].kind, entries[i].tag, entries[i].lead_id);
    return rc;
}

static int sqlite_index_delete(store *base, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                               const unsigned char lead_id[LV_ID_BYTES])
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_INDEX_DELETE, "unindexing a lead");
    sqlite3_bind_int(s, 1, kind);
    sqlite3_bind_blob(s, 2, tag, INDEX_TAG_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 3, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    return run(st, s, "unindexing a lead");
}

static int sqlite_index_clear(store *base)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_INDEX_CLEAR, "clearing the index");
    return run(st, s, "clearing the index");
}

static int tag_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    unsigned char tag[INDEX_TAG_BYTES];
    if (copy_blob(tag, INDEX_TAG_BYTES, s, 1) != 0)
        return err_set(LV_ECORRUPT, "the search index holds a malformed tag");
    return v->fn.tag(v->ctx, sqlite3_column_int(s, 0), tag);
}

static int sqlite_index_each(store *base, store_tag_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_INDEX_EACH, "reading the index");
    visit v = {.fn.tag = fn, .ctx = ctx};
    return each_row(st, s, "reading the index", tag_visit, &v);
}

static int sqlite_data_version(store *base, int64_t *version)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_DATA_VERSION, "reading the data version");
    int rc = sqlite3_step(s);
    *version = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 0 : sql_fail(st, rc, "reading the data version");
}

/* The lead ids an index lookup found. */
typedef struct id_list {
    unsigned char (*ids)[LV_ID_BYTES];
    size_t count, cap;
} id_list;

static int collect_id(void *dest, sqlite3_stmt *s)
{
    id_list *list = dest;
    if (util_array_grow((void **)&list->ids, &list->cap, list->count + 1, LV_ID_BYTES, 8) != 0)
        return LV_ERROR;
    if (copy_blob(list->ids[list->count], LV_ID_BYTES, s, 0) != 0)
        return err_set(LV_ECORRUPT, "the search index holds a malformed lead id");
    list->count++;
    return 0;
}

static int sqlite_index_lookup(store *base, int kind, const unsigned char tag[INDEX_TAG_BYTES],
                               store_id_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    /* Candidates are collected first, because fn reads the lead table
     * through other statements. */
    PREPARE(st, s, S_INDEX_LOOKUP, "searching the index");
    sqlite3_bind_int(s, 1, kind);
    sqlite3_bind_blob(s, 2, tag, INDEX_TAG_BYTES, SQLITE_STATIC);
    id_list found = {0};
    int result = each_row(st, s, "searching the index", collect_id, &found);
    for (size_t i = 0; result == 0 && i < found.count; i++)
        result = fn(ctx, found.ids[i]);
    free(found.ids);
    return result;
}

/* ---- audit ---- */

static int sqlite_audit_append(store *base, const store_audit *e)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_AUDIT_APPEND, "appending to the audit log");
    sqlite3_bind_int64(s, 1, (sqlite3_int64)e->seq);
    bind_text(s, 2, e->time);
    bind_text(s, 3, e->actor);
    bind_text(s, 4, e->role);
    bind_text(s, 5, e->os_user);
    bind_text(s, 6, e->action);
    bind_text(s, 7, e->subject);
    bind_text(s, 8, e->fields);
    bind_text(s, 9, e->purpose);
    bind_text(s, 10, e->outcome);
    sqlite3_bind_int(s, 11, e->code);
    bind_text(s, 12, e->request);
    sqlite3_bind_blob(s, 13, e->lead_count ? (const void *)e->lead_ids : "",
                      (int)(e->lead_count * LV_ID_BYTES), SQLITE_STATIC);
    sqlite3_bind_blob(s, 14, e->prev_hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(s, 15, e->hash, 32, SQLITE_STATIC);
    int rc = run_one(st, s, "appending to the audit log");
    /* seq is one above the highest stored (store_audit_head, under the
     * write lock): only a damaged table can already hold it. */
    if (rc == LV_EEXISTS)
        rc = err_set(LV_ECORRUPT, "the audit log is damaged: entry %llu already exists",
                     (unsigned long long)e->seq);
    for (size_t i = 0; rc == 0 && i < e->lead_count; i++) {
        PREPARE(st, l, S_AUDIT_LEAD, "appending to the audit log");
        sqlite3_bind_blob(l, 1, e->lead_ids + i * LV_ID_BYTES, LV_ID_BYTES, SQLITE_STATIC);
        sqlite3_bind_int64(l, 2, (sqlite3_int64)e->seq);
        rc = run(st, l, "appending to the audit log");
    }
    return rc;
}

/* Where sqlite_audit_head reads the newest entry. */
typedef struct audit_head {
    uint64_t *seq;
    unsigned char *hash;
} audit_head;

static int read_audit_head(void *dest, sqlite3_stmt *s)
{
    audit_head *head = dest;
    *head->seq = (uint64_t)sqlite3_column_int64(s, 0);
    if (copy_blob(head->hash, 32, s, 1) != 0)
        return err_set(LV_ECORRUPT, "audit entry %llu has a malformed hash",
                       (unsigned long long)*head->seq);
    return 0;
}

static int sqlite_audit_head(store *base, uint64_t *seq, unsigned char hash[32])
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_AUDIT_HEAD, "reading the audit log");
    *seq = 0;
    memset(hash, 0, 32);
    audit_head head = {seq, hash};
    int rc = one_row(st, s, "reading the audit log", NULL, read_audit_head, &head);
    return rc == LV_ENOTFOUND ? 0 : rc; /* an empty log */
}

static int audit_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_audit e;
    memset(&e, 0, sizeof e);
    /* A value SQLite would convert on reading (an integer stored as
     * REAL or TEXT, text with an embedded NUL) is not what was hashed:
     * it must fail verification, not be smoothed over. Types are read
     * before any conversion (after one they are undefined). */
    int exact =
        sqlite3_column_type(s, 0) == SQLITE_INTEGER && sqlite3_column_type(s, 10) == SQLITE_INTEGER;
    for (int i = 1; i <= 11; i++)
        exact &= i == 10 || sqlite3_column_type(s, i) == SQLITE_TEXT;
    for (int i = 1; exact && i <= 11; i++) {
        const unsigned char *t = i == 10 ? NULL : sqlite3_column_text(s, i);
        exact &=
            i == 10 || (t != NULL && strlen((const char *)t) == (size_t)sqlite3_column_bytes(s, i));
    }
    int blob_types =
        sqlite3_column_type(s, 12) == SQLITE_BLOB || sqlite3_column_type(s, 12) == SQLITE_NULL;
    e.seq = (uint64_t)sqlite3_column_int64(s, 0);
    const char **text[] = {&e.time,    &e.actor,  &e.role,    &e.os_user, &e.action,
                           &e.subject, &e.fields, &e.purpose, &e.outcome};
    for (int i = 0; i < 9; i++) {
        const unsigned char *t = sqlite3_column_text(s, 1 + i);
        *text[i] = t != NULL ? (const char *)t : "";
    }
    e.code = sqlite3_column_int(s, 10);
    const unsigned char *request = sqlite3_column_text(s, 11);
    e.request = request != NULL ? (const char *)request : "";
    size_t ids_len = (size_t)sqlite3_column_bytes(s, 12);
    e.lead_ids = sqlite3_column_blob(s, 12);
    e.lead_count = ids_len / LV_ID_BYTES;
    int bad = !exact || ids_len % LV_ID_BYTES != 0 || copy_blob(e.prev_hash, 32, s, 13) != 0 ||
              copy_blob(e.hash, 32, s, 14) != 0 || !blob_types;
    if (bad) {
        /* Reported by verification as a hash mismatch rather than here. */
        memset(e.hash, 0xff, 32);
        e.lead_count = 0;
    }
    return v->fn.audit(v->ctx, &e);
}

static int sqlite_audit_each(store *base, const store_audit_filter *filter, store_audit_fn fn,
                             void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    static const char *const sql =
        "SELECT seq, time, actor, role, os_user, action, subject, fields, purpose, outcome,"
        " code, request, lead_ids, prev_hash, hash FROM audit"
        " WHERE seq >= ?1 AND (?2 IS NULL OR seq IN"
        " (SELECT seq FROM audit_lead WHERE lead_id = ?2))"
        " AND (?3 IS NULL OR actor = ?3) ORDER BY seq";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sql_fail(st, sqlite3_errcode(st->db), "reading the audit log");
    store_audit_filter none = {0};
    if (filter == NULL)
        filter = &none;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)filter->from_seq);
    if (filter->lead_id != NULL)
        sqlite3_bind_blob(s, 2, filter->lead_id, LV_ID_BYTES, SQLITE_STATIC);
    if (filter->actor != NULL)
        bind_text(s, 3, filter->actor);
    visit v = {.fn.audit = fn, .ctx = ctx};
    int result = each_row(st, s, "reading the audit log", audit_visit, &v);
    sqlite3_finalize(s);
    return result;
}

static int read_checkpoint(void *dest, sqlite3_stmt *s)
{
    store_checkpoint *out = dest;
    memset(out, 0, sizeof *out);
    out->size = (uint64_t)sqlite3_column_int64(s, 0);
    copy_text(out->time, sizeof out->time, s, 2);
    /* A malformed head or signature reads as zeros, which fail the
     * signature check: verification then names the checkpoint. */
    if (copy_blob(out->head, 32, s, 1) != 0)
        memset(out->head, 0, 32);
    if (copy_blob(out->signature, 64, s, 3) != 0)
        memset(out->signature, 0, 64);
    /* An empty blob: signed without a digest (format 1). Any other size
     * than 32 reads as a zero commitment, which fails the signature. */
    if (sqlite3_column_bytes(s, 4) != 0 || sqlite3_column_type(s, 4) != SQLITE_BLOB) {
        out->has_digest = 1;
        if (copy_blob(out->digest, 32, s, 4) != 0)
            memset(out->digest, 0, 32);
    }
    return 0;
}

static int sqlite_checkpoint_append(store *base, const store_checkpoint *cp)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, st->format == 1 ? S_CHECKPOINT_APPEND_V1 : S_CHECKPOINT_APPEND,
            "saving an audit checkpoint");
    sqlite3_bind_int64(s, 1, (sqlite3_int64)cp->size);
    sqlite3_bind_blob(s, 2, cp->head, 32, SQLITE_STATIC);
    bind_text(s, 3, cp->time);
    sqlite3_bind_blob(s, 4, cp->signature, 64, SQLITE_STATIC);
    sqlite3_bind_blob(s, 5, cp->has_digest ? (const void *)cp->digest : "", cp->has_digest ? 32 : 0,
                      SQLITE_STATIC);
    return run_one(st, s, "saving an audit checkpoint");
}

static int sqlite_checkpoint_latest(store *base, store_checkpoint *out)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, st->format == 1 ? S_CHECKPOINT_LATEST_V1 : S_CHECKPOINT_LATEST,
            "reading audit checkpoints");
    return one_row(st, s, "reading audit checkpoints", "the audit log has no checkpoint yet",
                   read_checkpoint, out);
}

static int checkpoint_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_checkpoint cp;
    int rc = read_checkpoint(&cp, s);
    return rc != 0 ? rc : v->fn.checkpoint(v->ctx, &cp);
}

static int sqlite_checkpoint_each(store *base, store_checkpoint_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, st->format == 1 ? S_CHECKPOINT_EACH_V1 : S_CHECKPOINT_EACH,
            "reading audit checkpoints");
    visit v = {.fn.checkpoint = fn, .ctx = ctx};
    return each_row(st, s, "reading audit checkpoints", checkpoint_visit, &v);
}

/* ---- purposes ---- */

static int read_purpose(void *dest, sqlite3_stmt *s)
{
    store_purpose *out = dest;
    memset(out, 0, sizeof *out);
    copy_text(out->name, sizeof out->name, s, 0);
    out->basis = sqlite3_column_int(s, 1);
    out->fields = (uint32_t)sqlite3_column_int64(s, 2);
    out->roles = (uint32_t)sqlite3_column_int64(s, 3);
    out->created = sqlite3_column_int64(s, 4);
    out->retired = sqlite3_column_int64(s, 5);
    if (copy_blob(out->mac, MAC_BYTES, s, 6) != 0)
        memset(out->mac, 0, MAC_BYTES); /* fails its MAC check: reported then */
    return 0;
}

static int sqlite_purpose_put(store *base, const store_purpose *p)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_PURPOSE_PUT, "saving a purpose");
    bind_text(s, 1, p->name);
    sqlite3_bind_int(s, 2, p->basis);
    sqlite3_bind_int64(s, 3, p->fields);
    sqlite3_bind_int64(s, 4, p->roles);
    sqlite3_bind_int64(s, 5, p->created);
    sqlite3_bind_int64(s, 6, p->retired);
    sqlite3_bind_blob(s, 7, p->mac, MAC_BYTES, SQLITE_STATIC);
    return run_one(st, s, "saving a purpose");
}

static int sqlite_purpose_get(store *base, const char *name, store_purpose *out)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_PURPOSE_GET, "reading a purpose");
    bind_text(s, 1, name);
    int result = one_row(st, s, "reading a purpose", NULL, read_purpose, out);
    if (result != LV_ENOTFOUND)
        return result;
    /* Purposes are never deleted: before saying there is none, make sure
     * no damaged page hides it. */
    if (sqlite_check_table(&st->base, "purpose", 1) == LV_ECORRUPT)
        return LV_ECORRUPT;
    return err_set(LV_ENOTFOUND, "no such purpose");
}

static int purpose_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_purpose p;
    int rc = read_purpose(&p, s);
    return rc != 0 ? rc : v->fn.purpose(v->ctx, &p);
}

static int sqlite_purpose_each(store *base, store_purpose_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_PURPOSE_EACH, "listing purposes");
    visit v = {.fn.purpose = fn, .ctx = ctx};
    return each_row(st, s, "listing purposes", purpose_visit, &v);
}

/* ---- consent ---- */

static void bind_optional_blob(sqlite3_stmt *s, int i, const unsigned char *blob, size_t len)
{
    if (blob != NULL)
        sqlite3_bind_blob(s, i, blob, (int)len, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static int sqlite_consent_insert(store *base, const store_consent *c)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_CONSENT_INSERT, "recording consent");
    sqlite3_bind_blob(s, 1, c->id, LV_ID_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, c->lead_id, LV_ID_BYTES, SQLITE_STATIC);
    bind_text(s, 3, c->purpose);
    sqlite3_bind_int(s, 4, c->granted);
    sqlite3_bind_int64(s, 5, c->time);
    sqlite3_bind_int64(s, 6, c->expires);
    bind_text(s, 7, c->actor);
    bind_text(s, 8, c->notice_version);
    bind_optional_blob(s, 9, c->evidence, c->evidence_len);
    bind_optional_blob(s, 10, c->reason, c->reason_len);
    sqlite3_bind_blob(s, 11, c->prev, MAC_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 12, c->mac, MAC_BYTES, SQLITE_STATIC);
    return run_one(st, s, "recording consent");
}

static void read_consent(sqlite3_stmt *s, store_consent *out)
{
    memset(out, 0, sizeof *out);
    if (copy_blob(out->id, LV_ID_BYTES, s, 0) != 0 ||
        copy_blob(out->lead_id, LV_ID_BYTES, s, 1) != 0)
        memset(out->mac, 0, MAC_BYTES); /* ids zeroed: the MAC check reports it */
    copy_text(out->purpose, sizeof out->purpose, s, 2);
    out->granted = sqlite3_column_int(s, 3);
    out->time = sqlite3_column_int64(s, 4);
    out->expires = sqlite3_column_int64(s, 5);
    copy_text(out->actor, sizeof out->actor, s, 6);
    copy_text(out->notice_version, sizeof out->notice_version, s, 7);
    if (sqlite3_column_type(s, 8) != SQLITE_NULL) {
        out->evidence_len = (size_t)sqlite3_column_bytes(s, 8);
        out->evidence = out->evidence_len ? sqlite3_column_blob(s, 8) : (const unsigned char *)"";
    }
    if (sqlite3_column_type(s, 9) != SQLITE_NULL) {
        out->reason_len = (size_t)sqlite3_column_bytes(s, 9);
        out->reason = out->reason_len ? sqlite3_column_blob(s, 9) : (const unsigned char *)"";
    }
    if (copy_blob(out->prev, MAC_BYTES, s, 10) != 0)
        memset(out->prev, 0xff, MAC_BYTES); /* breaks the chain check */
    if (copy_blob(out->mac, MAC_BYTES, s, 11) != 0)
        memset(out->mac, 0, MAC_BYTES);
}

static int consent_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_consent consent;
    read_consent(s, &consent);
    return v->fn.consent(v->ctx, &consent);
}

static int consent_query(sqlite_store *st, const char *sql, const unsigned char *lead_id,
                         const char *purpose, store_consent_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sql_fail(st, sqlite3_errcode(st->db), "reading consent records");
    if (lead_id != NULL)
        sqlite3_bind_blob(s, 1, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    if (purpose != NULL)
        bind_text(s, 2, purpose);
    visit v = {.fn.consent = fn, .ctx = ctx};
    int result = each_row(st, s, "reading consent records", consent_visit, &v);
    sqlite3_finalize(s);
    return result;
}

#define CONSENT_COLUMNS                                                                            \
    "SELECT id, lead_id, purpose, granted, time, expires, actor, notice_version, evidence,"        \
    " reason, prev, mac FROM consent"

static int sqlite_consent_each(store *base, const unsigned char lead_id[LV_ID_BYTES],
                               const char *purpose, store_consent_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    /* Prepared once: reveals, exports and retention ask this per lead.
     * Callbacks must not call it again while it runs. */
    PREPARE(st, s, S_CONSENT_OF_LEAD, "reading consent records");
    sqlite3_bind_blob(s, 1, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    if (purpose != NULL)
        bind_text(s, 2, purpose);
    visit v = {.fn.consent = fn, .ctx = ctx};
    return each_row(st, s, "reading consent records", consent_visit, &v);
}

static int sqlite_consent_all(store *base, store_consent_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    return consent_query(st, CONSENT_COLUMNS " ORDER BY seq", NULL, NULL, fn, ctx);
}

/* ---- erasure ---- */

static int run_with_id(sqlite_store *st, enum stmt_id id, const unsigned char lead_id[LV_ID_BYTES],
                       const char *what, int *changes)
{
    PREPARE(st, s, id, what);
    sqlite3_bind_blob(s, 1, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    int rc = run(st, s, what);
    if (changes != NULL)
        *changes = rc == 0 ? sqlite3_changes(st->db) : 0;
    return rc;
}

static int sqlite_lead_erase(store *base, const unsigned char lead_id[LV_ID_BYTES],
                             uint64_t *consents)
{
    sqlite_store *st = as_sqlite(base);
    int lead_rows = 0, consent_rows = 0;
    int rc = run_with_id(st, S_ERASE_LEAD, lead_id, "erasing a lead", &lead_rows);
    /* The caller read the lead in this transaction: it must go. */
    if (rc == 0 && lead_rows != 1)
        rc = err_set(LV_ECORRUPT,
                     "integrity failure: erasing a lead changed %d rows instead of one", lead_rows);
    if (rc == 0)
        rc = run_with_id(st, S_ERASE_CONSENT, lead_id, "erasing a lead", &consent_rows);
    if (rc == 0)
        rc = run_with_id(st, S_ERASE_HOLD, lead_id, "erasing a lead", NULL);
    *consents = (uint64_t)consent_rows;
    return rc;
}

static int sqlite_tombstone_insert(store *base, const store_tombstone *t)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_TOMBSTONE_INSERT, "recording an erasure");
    sqlite3_bind_blob(s, 1, t->lead_id, LV_ID_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, t->time);
    bind_text(s, 3, t->request);
    bind_text(s, 4, t->ground);
    bind_text(s, 5, t->actor);
    sqlite3_bind_int64(s, 6, (sqlite3_int64)t->audit_seq);
    return run_one(st, s, "recording an erasure");
}

/* Run a one-row existence query; *found = 1 when it returns a row. */
static int exists(sqlite_store *st, sqlite3_stmt *s, const char *what, int *found)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    *found = rc == SQLITE_ROW;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sql_fail(st, rc, what);
}

static int sqlite_tombstone_exists(store *base, const unsigned char lead_id[LV_ID_BYTES],
                                   int *erased)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_TOMBSTONE_EXISTS, "reading erasures");
    sqlite3_bind_blob(s, 1, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    return exists(st, s, "reading erasures", erased);
}

static int read_erasure(void *dest, sqlite3_stmt *s)
{
    store_erasure *out = dest;
    memset(out, 0, sizeof *out);
    if (copy_blob(out->lead_id, LV_ID_BYTES, s, 0) != 0)
        memset(out->lead_id, 0, LV_ID_BYTES);
    out->time = sqlite3_column_int64(s, 1);
    copy_text(out->request, sizeof out->request, s, 2);
    copy_text(out->ground, sizeof out->ground, s, 3);
    copy_text(out->actor, sizeof out->actor, s, 4);
    out->audit_seq = (uint64_t)sqlite3_column_int64(s, 5);
    return 0;
}

static int sqlite_tombstone_get(store *base, const unsigned char *lead_id, int64_t time,
                                store_erasure *out)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, lead_id != NULL ? S_TOMBSTONE_GET : S_TOMBSTONE_AFTER, "reading erasures");
    if (lead_id != NULL)
        sqlite3_bind_blob(s, 1, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    else
        sqlite3_bind_int64(s, 1, time);
    return one_row(st, s, "reading erasures", NULL, read_erasure, out);
}

static int read_time(void *dest, sqlite3_stmt *s)
{
    *(int64_t *)dest = sqlite3_column_int64(s, 0);
    return 0;
}

static sqlite3_stmt *suppress_stmt(sqlite_store *st, enum stmt_id id, int kind,
                                   const unsigned char hash[SUPPRESS_HASH_BYTES])
{
    sqlite3_stmt *s = prepared(st, id);
    if (s != NULL) {
        sqlite3_bind_int(s, 1, kind);
        sqlite3_bind_blob(s, 2, hash, SUPPRESS_HASH_BYTES, SQLITE_STATIC);
    }
    return s;
}

static int sqlite_suppress_put(store *base, int kind, const unsigned char hash[SUPPRESS_HASH_BYTES],
                               int64_t time)
{
    sqlite_store *st = as_sqlite(base);
    sqlite3_stmt *s = suppress_stmt(st, S_SUPPRESS_PUT, kind, hash);
    if (s == NULL)
        return sql_fail(st, sqlite3_errcode(st->db), "updating the suppression list");
    sqlite3_bind_int64(s, 3, time);
    return run(st, s, "updating the suppression list");
}

static int sqlite_suppress_time(store *base, int kind,
                                const unsigned char hash[SUPPRESS_HASH_BYTES], int64_t *time)
{
    sqlite_store *st = as_sqlite(base);
    sqlite3_stmt *s = suppress_stmt(st, S_SUPPRESS_TIME, kind, hash);
    if (s == NULL)
        return sql_fail(st, sqlite3_errcode(st->db), "reading the suppression list");
    return one_row(st, s, "reading the suppression list", NULL, read_time, time);
}

static int sqlite_suppress_exists(store *base, int kind,
                                  const unsigned char hash[SUPPRESS_HASH_BYTES], int *found)
{
    int64_t time = 0;
    int rc = sqlite_suppress_time(base, kind, hash, &time);
    *found = rc == 0;
    return rc == LV_ENOTFOUND ? 0 : rc;
}

static int sqlite_suppress_any(store *base, int *any)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_SUPPRESS_ANY, "reading the suppression list");
    return exists(st, s, "reading the suppression list", any);
}

static int time_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    return v->fn.time(v->ctx, sqlite3_column_int64(s, 0));
}

static int sqlite_suppress_times(store *base, store_time_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_SUPPRESS_TIMES, "reading the suppression list");
    visit v = {.fn.time = fn, .ctx = ctx};
    return each_row(st, s, "reading the suppression list", time_visit, &v);
}

static int sqlite_suppress_delete(store *base, int kind,
                                  const unsigned char hash[SUPPRESS_HASH_BYTES], int *removed)
{
    sqlite_store *st = as_sqlite(base);
    sqlite3_stmt *s = suppress_stmt(st, S_SUPPRESS_DELETE, kind, hash);
    if (s == NULL)
        return sql_fail(st, sqlite3_errcode(st->db), "updating the suppression list");
    int rc = run(st, s, "updating the suppression list");
    *removed = rc == 0 ? sqlite3_changes(st->db) : 0;
    return rc;
}

/* ---- holds ---- */

static int read_hold(void *dest, sqlite3_stmt *s)
{
    store_hold *out = dest;
    memset(out, 0, sizeof *out);
    if (copy_blob(out->lead_id, LV_ID_BYTES, s, 0) != 0)
        memset(out->lead_id, 0, LV_ID_BYTES);
    copy_text(out->reason, sizeof out->reason, s, 1);
    copy_text(out->actor, sizeof out->actor, s, 2);
    out->time = sqlite3_column_int64(s, 3);
    if (copy_blob(out->mac, MAC_BYTES, s, 4) != 0)
        memset(out->mac, 0, MAC_BYTES);
    return 0;
}

static int sqlite_hold_put(store *base, const store_hold *h)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_HOLD_PUT, "setting a hold");
    sqlite3_bind_blob(s, 1, h->lead_id, LV_ID_BYTES, SQLITE_STATIC);
    bind_text(s, 2, h->reason);
    bind_text(s, 3, h->actor);
    sqlite3_bind_int64(s, 4, h->time);
    sqlite3_bind_blob(s, 5, h->mac, MAC_BYTES, SQLITE_STATIC);
    return run_one(st, s, "setting a hold");
}

static int sqlite_hold_get(store *base, const unsigned char lead_id[LV_ID_BYTES], store_hold *out)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_HOLD_GET, "reading holds");
    sqlite3_bind_blob(s, 1, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    /* No hold: LV_ENOTFOUND without a message (hold_is_set reads it as "not held"). */
    return one_row(st, s, "reading holds", NULL, read_hold, out);
}

static int sqlite_hold_delete(store *base, const unsigned char lead_id[LV_ID_BYTES])
{
    sqlite_store *st = as_sqlite(base);
    int changes = 0;
    int rc = run_with_id(st, S_HOLD_DELETE, lead_id, "clearing a hold", &changes);
    if (rc == 0 && changes == 0)
        return err_set(LV_ENOTFOUND, "the lead has no hold");
    return rc;
}

static int hold_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_hold hold;
    read_hold(&hold, s);
    return v->fn.hold(v->ctx, &hold);
}

static int sqlite_hold_each(store *base, store_hold_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_HOLD_EACH, "listing holds");
    visit v = {.fn.hold = fn, .ctx = ctx};
    return each_row(st, s, "listing holds", hold_visit, &v);
}

/* ---- retention rules ---- */

static int sqlite_rule_put(store *base, const store_rule *r)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_RULE_PUT, "adding a retention rule");
    bind_text(s, 1, r->name);
    bind_text(s, 2, r->stage);
    bind_text(s, 3, r->source);
    sqlite3_bind_int(s, 4, r->no_consent);
    sqlite3_bind_int(s, 5, r->consent_withdrawn);
    sqlite3_bind_int64(s, 6, r->older_than_ms);
    sqlite3_bind_int64(s, 7, r->inactive_ms);
    sqlite3_bind_int64(s, 8, r->created);
    sqlite3_bind_blob(s, 9, r->mac, MAC_BYTES, SQLITE_STATIC);
    int rc = run_one(st, s, "adding a retention rule");
    return rc;
}

static int sqlite_rule_delete(store *base, const char *name)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_RULE_DELETE, "removing a retention rule");
    bind_text(s, 1, name);
    int rc = run(st, s, "removing a retention rule");
    if (rc == 0 && sqlite3_changes(st->db) == 0)
        return err_set(LV_ENOTFOUND, "no retention rule '%s'", name);
    return rc;
}

static int rule_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_rule r;
    memset(&r, 0, sizeof r);
    copy_text(r.name, sizeof r.name, s, 0);
    copy_text(r.stage, sizeof r.stage, s, 1);
    copy_text(r.source, sizeof r.source, s, 2);
    r.no_consent = sqlite3_column_int(s, 3);
    r.consent_withdrawn = sqlite3_column_int(s, 4);
    r.older_than_ms = sqlite3_column_int64(s, 5);
    r.inactive_ms = sqlite3_column_int64(s, 6);
    r.created = sqlite3_column_int64(s, 7);
    if (copy_blob(r.mac, MAC_BYTES, s, 8) != 0)
        memset(r.mac, 0, MAC_BYTES);
    return v->fn.rule(v->ctx, &r);
}

static int sqlite_rule_each(store *base, store_rule_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_RULE_EACH, "listing retention rules");
    visit v = {.fn.rule = fn, .ctx = ctx};
    return each_row(st, s, "listing retention rules", rule_visit, &v);
}

/* ---- key generations and envelopes ---- */

#define LEAD_COLUMNS                                                                               \
    "id, source, source_detail, stage, owner, country, incentive, verified, aware, created,"       \
    " updated, last_contact, data_key, first_name, last_name, email, phone, company, title,"       \
    " website, address, notes, email2, phone2, consent_head, tags, mac, generation"

static int sqlite_format(store *base)
{
    return as_sqlite(base)->format;
}

static int sqlite_keygen_put(store *base, const store_keygen *gen)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_KEYGEN_PUT, "writing a key generation");
    sqlite3_bind_int64(s, 1, gen->generation);
    sqlite3_bind_int(s, 2, gen->state);
    sqlite3_bind_blob(s, 3, gen->sign_public, sizeof gen->sign_public, SQLITE_STATIC);
    sqlite3_bind_blob(s, 4, gen->commitments, sizeof gen->commitments, SQLITE_STATIC);
    sqlite3_bind_blob(s, 5, gen->mac, MAC_BYTES, SQLITE_STATIC);
    return run_one(st, s, "writing a key generation");
}

static int sqlite_keygen_delete(store *base, uint32_t generation)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_KEYGEN_DELETE, "dropping a key generation");
    sqlite3_bind_int64(s, 1, generation);
    return run(st, s, "dropping a key generation");
}

static int keygen_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    store_keygen gen;
    memset(&gen, 0, sizeof gen);
    sqlite3_int64 number = sqlite3_column_int64(s, 0);
    if (number < 1 || number > UINT32_MAX || sqlite3_column_type(s, 1) != SQLITE_INTEGER ||
        copy_blob(gen.sign_public, sizeof gen.sign_public, s, 2) != 0 ||
        copy_blob(gen.commitments, sizeof gen.commitments, s, 3) != 0 ||
        copy_blob(gen.mac, MAC_BYTES, s, 4) != 0)
        return err_set(LV_ECORRUPT, "integrity failure: a key generation row is malformed");
    gen.generation = (uint32_t)number;
    gen.state = sqlite3_column_int(s, 1);
    return v->fn.keygen(v->ctx, &gen);
}

static int sqlite_keygen_each(store *base, store_keygen_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_KEYGEN_EACH, "reading key generations");
    visit v = {.fn.keygen = fn, .ctx = ctx};
    return each_row(st, s, "reading key generations", keygen_visit, &v);
}

static int sqlite_envelope_put(store *base, const char *user, uint32_t generation,
                               const unsigned char *sealed, size_t len)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_ENVELOPE_PUT, "writing an envelope");
    bind_text(s, 1, user);
    sqlite3_bind_int64(s, 2, generation);
    sqlite3_bind_blob(s, 3, sealed, (int)len, SQLITE_STATIC);
    return run_one(st, s, "writing an envelope");
}

/* Where sqlite_envelope_get copies the value. */
typedef struct envelope_value {
    unsigned char *buf;
    size_t cap, len;
} envelope_value;

static int read_envelope(void *dest, sqlite3_stmt *s)
{
    envelope_value *value = dest;
    size_t n = (size_t)sqlite3_column_bytes(s, 0);
    if (n > value->cap || sqlite3_column_type(s, 0) != SQLITE_BLOB)
        return err_set(LV_ECORRUPT, "integrity failure: an envelope is malformed");
    memcpy(value->buf, sqlite3_column_blob(s, 0), n);
    value->len = n;
    return 0;
}

/* buf is written through value (read_envelope): not const. */
static int sqlite_envelope_get(store *base, const char *user, uint32_t generation,
                               // NOLINTNEXTLINE(readability-non-const-parameter)
                               unsigned char *buf, size_t cap, size_t *len)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_ENVELOPE_GET, "reading an envelope");
    bind_text(s, 1, user);
    sqlite3_bind_int64(s, 2, generation);
    envelope_value value = {buf, cap, 0};
    int rc = one_row(st, s, "reading an envelope", NULL, read_envelope, &value);
    if (rc == 0)
        *len = value.len;
    return rc;
}

static int sqlite_envelope_delete(store *base, const char *user, uint32_t generation)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, user != NULL ? S_ENVELOPE_DELETE_USER : S_ENVELOPE_DELETE_GEN,
            "removing envelopes");
    if (user != NULL)
        bind_text(s, 1, user);
    else
        sqlite3_bind_int64(s, 1, generation);
    return run(st, s, "removing envelopes");
}

static int sqlite_consent_reseal(store *base, const store_consent *c)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_CONSENT_RESEAL, "re-sealing a consent record");
    sqlite3_bind_blob(s, 1, c->id, LV_ID_BYTES, SQLITE_STATIC);
    if (c->evidence != NULL)
        sqlite3_bind_blob(s, 2, c->evidence, (int)c->evidence_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 2);
    if (c->reason != NULL)
        sqlite3_bind_blob(s, 3, c->reason, (int)c->reason_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 3);
    sqlite3_bind_blob(s, 4, c->prev, MAC_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s, 5, c->mac, MAC_BYTES, SQLITE_STATIC);
    return run_one(st, s, "re-sealing a consent record");
}

/* ---- format steps ---- */

static int sqlite_upgrade_copy(store *base, const char *v1_path)
{
    sqlite_store *st = as_sqlite(base);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "ATTACH DATABASE ?1 AS v1", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, v1_path, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sql_fail(st, rc, "opening the format-1 vault");
    /* The attached file must be exactly a format-1 vault: its tables are
     * read as such. */
    char differs[192];
    int result = schema_matches_list(st->db, schema_v1_sql,
                                     "SELECT type, name, tbl_name, rootpage, sql FROM"
                                     " v1.sqlite_schema ORDER BY rowid",
                                     differs, sizeof differs);
    if (result == 0)
        result = err_set(LV_ECORRUPT, "%s is not a format-1 vault (%s)", v1_path, differs);
    else if (result == 1)
        result = 0;
    /* Fixed statements: every row, in its table's order (the audit chain,
     * checkpoints and consent sequence verbatim). */
    static const char *const steps[] = {
        "INSERT INTO main.meta SELECT * FROM v1.meta",
        /* Each statement is one string over several lines.
         * NOLINTNEXTLINE(bugprone-suspicious-missing-comma) */
        "INSERT INTO main.keyslot(name, role, kdf_memory, kdf_iterations, kdf_parallelism, salt,"
        " wrapped, mac, created, kind, public) SELECT name, role, kdf_memory, kdf_iterations,"
        " kdf_parallelism, salt, wrapped, mac, created, 1, zeroblob(32) FROM v1.keyslot",
        "INSERT INTO main.lead(rowid, " LEAD_COLUMNS ") SELECT rowid, id, source, source_detail,"
        " stage, owner, country, incentive, verified, aware, created, updated, last_contact,"
        " data_key, first_name, last_name, email, phone, company, title, website, address, notes,"
        " email2, phone2, consent_head, tags, mac, 1 FROM v1.lead ORDER BY rowid",
        "INSERT INTO main.lead_index SELECT * FROM v1.lead_index",
        "INSERT INTO main.audit SELECT * FROM v1.audit ORDER BY seq",
        "INSERT INTO main.audit_lead SELECT * FROM v1.audit_lead",
        "INSERT INTO main.purpose SELECT * FROM v1.purpose",
        "INSERT INTO main.consent SELECT * FROM v1.consent ORDER BY seq",
        "INSERT INTO main.erasure SELECT * FROM v1.erasure",
        "INSERT INTO main.suppression SELECT * FROM v1.suppression",
        "INSERT INTO main.hold SELECT * FROM v1.hold",
        "INSERT INTO main.retention SELECT * FROM v1.retention",
        /* a format-1 checkpoint signs no digest: an empty one */
        "INSERT INTO main.audit_checkpoint SELECT *, x'' FROM v1.audit_checkpoint ORDER BY id",
    };
    if (result == 0 && (rc = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
        result = sql_fail(st, rc, "copying the format-1 vault");
    for (size_t i = 0; result == 0 && i < sizeof steps / sizeof steps[0]; i++) {
        if ((rc = sqlite3_exec(st->db, steps[i], NULL, NULL, NULL)) != SQLITE_OK)
            result = sql_fail(st, rc, "copying the format-1 vault");
    }
    if (result == 0 && (rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
        result = sql_fail(st, rc, "copying the format-1 vault");
    if (result != 0)
        sqlite_rollback(&st->base);
    sqlite3_exec(st->db, "DETACH DATABASE v1", NULL, NULL, NULL);
    return result;
}

static int sqlite_journal_standalone(store *base)
{
    sqlite_store *st = as_sqlite(base);
    /* Leaving WAL mode needs the only connection to the file: with another
     * one open, SQLite keeps WAL mode (and says "wal"). */
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=DELETE", -1, &s, NULL);
    int left = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *mode = sqlite3_column_text(s, 0);
        left = mode != NULL && strcmp((const char *)mode, "delete") == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK)
        return sql_fail(st, rc, "leaving WAL mode");
    if (!left)
        return err_set(LV_EBUSY, "vault is busy: another process has it open");
    return 0;
}

/* ---- backup / restore ---- */

static int sqlite_backup(store *base, const char *path)
{
    sqlite_store *st = as_sqlite(base);
    int fd = open(path, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return err_set(LV_EEXISTS, "%s already exists; refusing to overwrite it", path);
        return errno_fail(errno, "create", path);
    }
    close(fd);
    sqlite3 *dest = NULL;
    int rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dest, "main", st->db, "main") : NULL;
    if (b != NULL) {
        do {
            rc = sqlite3_backup_step(b, 256);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
    } else if (rc == SQLITE_OK) {
        rc = sqlite3_errcode(dest);
    }
    int result = rc == SQLITE_DONE ? 0
                 : dest != NULL    ? sql_fail_db(dest, rc, "writing the backup")
                                   : err_set(LV_ERROR, "backup failed: out of memory");
    /* The copy inherits WAL mode; fold it into one self-contained file. */
    if (result == 0)
        sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(dest);
    if (result != 0)
        unlink(path);
    return result;
}

static int sqlite_restore_attach(store *base, const char *path,
                                 const unsigned char vault_id[LV_ID_BYTES])
{
    sqlite_store *st = as_sqlite(base);
    int rc = precheck_file(path);
    if (rc != 0)
        return rc;
    sqlite3_stmt *s = NULL;
    /* The path is bound, never spliced into the SQL text. */
    rc = sqlite3_prepare_v2(st->db, "ATTACH DATABASE ?1 AS backup", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sql_fail(st, rc, "opening the backup");
    /* Its tables are read as leads and consent records: they must be
     * tables, not views or anything else a file writer put there. */
    char differs[192];
    int result =
        schema_matches_list(st->db, schema_sql, backup_schema_list_sql, differs, sizeof differs);
    if (result == 1)
        result = 0;
    else if (result == 0)
        result = err_set(LV_ECORRUPT,
                         "%s is a damaged vault: its schema differs from the one leadvault "
                         "creates (%s)",
                         path, differs);
    if (result != 0) {
        sqlite_restore_done(&st->base);
        return result;
    }
    rc = sqlite3_prepare_v2(st->db, "SELECT value FROM backup.meta WHERE key = 'vault_id'", -1, &s,
                            NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        unsigned char id[LV_ID_BYTES];
        if (copy_blob(id, LV_ID_BYTES, s, 0) != 0 || memcmp(id, vault_id, LV_ID_BYTES) != 0)
            result = err_set(LV_EINVAL, "the backup belongs to another vault");
    } else {
        result = rc == SQLITE_DONE ? err_set(LV_EINVAL, "the backup has no vault id")
                                   : sql_fail(st, rc, "reading the backup");
    }
    sqlite3_finalize(s);
    if (result != 0)
        sqlite_restore_done(&st->base);
    return result;
}

#define CONSENT_COPY_COLUMNS                                                                       \
    "id, lead_id, purpose, granted, time, expires, actor, notice_version, evidence, reason,"       \
    " prev, mac"

static int sqlite_restore_leads(store *base, uint64_t *restored, uint64_t *skipped)
{
    sqlite_store *st = as_sqlite(base);
    /* Fixed statements over the vault's own tables: nothing from outside
     * reaches this SQL text. Only leads this vault lacks, and never erased,
     * come back; leads it holds keep their newer state (consent
     * withdrawals, updates). */
    static const char *const steps[] = {
        "CREATE TEMP TABLE restored(id BLOB PRIMARY KEY) WITHOUT ROWID",
        "INSERT INTO restored SELECT id FROM backup.lead WHERE id NOT IN"
        " (SELECT lead_id FROM main.erasure) AND id NOT IN (SELECT id FROM main.lead)",
        "INSERT INTO main.lead(" LEAD_COLUMNS ") SELECT " LEAD_COLUMNS
        " FROM backup.lead WHERE id IN (SELECT id FROM restored)",
        "INSERT OR IGNORE INTO main.lead_index(kind, tag, lead_id) SELECT kind, tag, lead_id"
        " FROM backup.lead_index WHERE lead_id IN (SELECT id FROM restored)",
        "INSERT INTO main.consent(" CONSENT_COPY_COLUMNS ") SELECT " CONSENT_COPY_COLUMNS
        " FROM backup.consent WHERE lead_id IN (SELECT id FROM restored) ORDER BY seq",
    };
    *restored = *skipped = 0;
    int rc = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if ((rc = sqlite3_exec(st->db, steps[i], NULL, NULL, NULL)) != SQLITE_OK) {
            rc = sql_fail(st, rc, "restoring leads");
            break;
        }
    }
    sqlite3_stmt *s = NULL;
    if (rc == 0 &&
        sqlite3_prepare_v2(st->db,
                           "SELECT (SELECT count(*) FROM restored), (SELECT count(*) FROM"
                           " backup.lead WHERE id IN (SELECT lead_id FROM main.erasure))",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        *restored = (uint64_t)sqlite3_column_int64(s, 0);
        *skipped = (uint64_t)sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.restored", NULL, NULL, NULL);
    return rc;
}

static void sqlite_restore_done(store *base)
{
    sqlite_store *st = as_sqlite(base);
    sqlite3_exec(st->db, "DETACH DATABASE backup", NULL, NULL, NULL);
}

/* ---- counts ---- */

static int label_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    const char *stage = (const char *)sqlite3_column_text(s, 0);
    const char *source = (const char *)sqlite3_column_text(s, 1);
    return v->fn.label(v->ctx, stage != NULL ? stage : "", source != NULL ? source : "");
}

static int sqlite_lead_labels(store *base, store_label_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT stage, source FROM lead", -1, &s, NULL) != SQLITE_OK)
        return sql_fail(st, sqlite3_errcode(st->db), "counting leads");
    visit v = {.fn.label = fn, .ctx = ctx};
    int result = each_row(st, s, "counting leads", label_visit, &v);
    sqlite3_finalize(s);
    return result;
}

static int consent_count_visit(void *arg, sqlite3_stmt *s)
{
    const visit *v = arg;
    const char *purpose = (const char *)sqlite3_column_text(s, 0);
    v->fn.count(v->ctx, "consent", purpose != NULL ? purpose : "",
                (uint64_t)sqlite3_column_int64(s, 1));
    return 0;
}

static int sqlite_consent_counts(store *base, int64_t now_ms, store_count_fn fn, void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    static const char *const sql =
        "SELECT purpose, count(*) FROM"
        " (SELECT purpose, granted, expires, max(seq) FROM consent GROUP BY lead_id, purpose)"
        " WHERE granted = 1 AND (expires = 0 OR expires > ?1) GROUP BY purpose";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sql_fail(st, sqlite3_errcode(st->db), "counting consents");
    sqlite3_bind_int64(s, 1, now_ms);
    visit v = {.fn.count = fn, .ctx = ctx};
    int result = each_row(st, s, "counting consents", consent_count_visit, &v);
    sqlite3_finalize(s);
    return result;
}

/* ---- state digest (digest.h; docs/format.md, "State digest") ---- */

/* The tables whose rows the state digest covers, every column of every
 * row (meta less its own `digest` row). A table added later is one line
 * here: the hook, check's recomputation and digest_rebuild all read this
 * list. Not covered: audit and audit_checkpoint (the hash chain and the
 * signatures cover them). */
static const char *const digest_tables[] = {
    "meta",    "keyslot", "lead",        "lead_index", "purpose",    "consent",
    "erasure", "hold",    "suppression", "retention",  "audit_lead", "keygen",
    "envelope",
};
#define DIGEST_TABLE_COUNT (sizeof digest_tables / sizeof digest_tables[0])
#define DIGEST_META_KEY "digest"

static int digest_table_covered(const char *table)
{
    for (size_t i = 0; i < DIGEST_TABLE_COUNT; i++) {
        if (strcmp(table, digest_tables[i]) == 0)
            return 1;
    }
    return 0;
}

/* One column of the row encoding; -1 when SQLite could not give the
 * value's bytes (out of memory). */
static int digest_value_add(digest_row *r, sqlite3_value *v)
{
    int type = sqlite3_value_type(v);
    if (type == SQLITE_INTEGER) {
        digest_row_int(r, sqlite3_value_int64(v));
    } else if (type == SQLITE_FLOAT) {
        digest_row_float(r, sqlite3_value_double(v));
    } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
        /* The pointer first, then the size (SQLite's rule). A TEXT value's
         * bytes through sqlite3_value_blob: the same UTF-8 bytes (a vault
         * is UTF-8), without the NUL-terminated copy sqlite3_value_text
         * makes of a value in a record (a malloc per text column). */
        const void *bytes = sqlite3_value_blob(v);
        int len = sqlite3_value_bytes(v);
        if (bytes == NULL && len > 0)
            return -1;
        digest_row_bytes(r, type == SQLITE_TEXT ? DIGEST_TEXT : DIGEST_BLOB, bytes, (size_t)len);
    } else {
        digest_row_bytes(r, DIGEST_NULL, NULL, 0);
    }
    return 0;
}

/* 1 for meta's own row, which holds D and is not covered; -1 when the
 * key cannot be read (out of memory). */
static int digest_is_meta_digest(const char *table, sqlite3_value *key)
{
    if (key == NULL || strcmp(table, "meta") != 0 || sqlite3_value_type(key) != SQLITE_TEXT)
        return 0;
    const unsigned char *text = sqlite3_value_text(key);
    if (text == NULL)
        return -1;
    return sqlite3_value_bytes(key) == (int)strlen(DIGEST_META_KEY) &&
           memcmp(text, DIGEST_META_KEY, strlen(DIGEST_META_KEY)) == 0;
}

typedef int (*digest_column_fn)(sqlite3 *db, int column, sqlite3_value **out);

/* The element of the old or new row of the change the hook sees; 1 when
 * the row is not covered (meta.digest), -1 when it cannot be read. */
static int digest_hook_element(sqlite_store *st, const char *table, digest_column_fn column,
                               unsigned char element[DIGEST_BYTES])
{
    int count = sqlite3_preupdate_count(st->db);
    sqlite3_value *v = NULL;
    if (column(st->db, 0, &v) != SQLITE_OK)
        return -1;
    int own = digest_is_meta_digest(table, v);
    if (own != 0)
        return own;
    digest_row r;
    digest_row_begin(&r, st->digest_key.prf, table);
    for (int i = 0; i < count; i++) {
        if (column(st->db, i, &v) != SQLITE_OK || digest_value_add(&r, v) != 0) {
            sodium_memzero(&r.state, sizeof r.state);
            return -1;
        }
    }
    digest_row_end(&r, element);
    return 0;
}

/* The element of the row S_LEAD_INSERT writes, from the values bind_lead
 * binds, in the table's column order: the same bytes the record holds
 * (each value is bound with the type its column stores, so no affinity
 * changes it), without the 28 sqlite3_preupdate_new calls that would
 * unpack them again; on the import's writer thread these were a fifth of
 * the digest's cost. check recomputes every element from the stored
 * rows, so a difference here would be caught there (every CLI case that
 * adds a lead and runs check). */
static void lead_insert_element(const sqlite_store *st, const store_lead *lead,
                                const unsigned char tags[LEAD_TAGS_BYTES],
                                unsigned char element[DIGEST_BYTES])
{
    digest_row r;
    digest_row_begin(&r, st->digest_key.prf, "lead");
    digest_row_bytes(&r, DIGEST_BLOB, lead->id, LV_ID_BYTES);
    const char *text[] = {lead->source, lead->source_detail, lead->stage, lead->owner,
                          lead->country};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        digest_row_bytes(&r, DIGEST_TEXT, text[i], strlen(text[i]));
    for (int i = 0; i < LV_SIGNAL_COUNT; i++)
        digest_row_int(&r, lead->signal[i]);
    digest_row_int(&r, lead->created);
    digest_row_int(&r, lead->updated);
    digest_row_int(&r, lead->last_contact);
    digest_row_bytes(&r, DIGEST_BLOB, lead->wrapped_key, WRAPPED_KEY_BYTES);
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (lead->sealed[f] != NULL)
            digest_row_bytes(&r, DIGEST_BLOB, lead->sealed[f], lead->sealed_len[f]);
        else
            digest_row_bytes(&r, DIGEST_NULL, NULL, 0);
    }
    digest_row_bytes(&r, DIGEST_BLOB, lead->consent_head, MAC_BYTES);
    digest_row_bytes(&r, DIGEST_BLOB, tags, LEAD_TAGS_BYTES);
    digest_row_bytes(&r, DIGEST_BLOB, lead->mac, MAC_BYTES);
    digest_row_int(&r, lead->generation);
    digest_row_end(&r, element);
}

/* Every insert, update and delete of a main table, whoever issued it (a
 * set-based statement of restore included): the old row's element is
 * subtracted, the new row's added. */
static void digest_hook(void *arg, sqlite3 *db, int op, const char *db_name, const char *table,
                        sqlite3_int64 key1, sqlite3_int64 key2)
{
    (void)db, (void)key1, (void)key2;
    sqlite_store *st = arg;
    if (strcmp(db_name, "main") != 0 || !digest_table_covered(table))
        return;
    unsigned char element[DIGEST_BYTES];
    if (!st->digest_on) {
        /* meta.digest itself may be written (never is, without a key). */
        sqlite3_value *key = NULL;
        int has_key = (op == SQLITE_INSERT ? sqlite3_preupdate_new(st->db, 0, &key)
                                           : sqlite3_preupdate_old(st->db, 0, &key)) == SQLITE_OK;
        if (!has_key || digest_is_meta_digest(table, key) != 1)
            st->digest_unkeyed = 1;
        return;
    }
    int rc;
    if (op == SQLITE_DELETE || op == SQLITE_UPDATE) {
        if ((rc = digest_hook_element(st, table, sqlite3_preupdate_old, element)) < 0)
            st->digest_failed = 1;
        else if (rc == 0)
            digest_sum_sub(&st->digest_pending, element);
    }
    if (op == SQLITE_INSERT && st->lead_inserting != NULL && strcmp(table, "lead") == 0) {
        /* The one row of S_LEAD_INSERT; once, whatever else fires. Were
         * it another row (a trigger's, which the exact schema refuses
         * anyway), D would differ from the rows and check exit 6. */
        lead_insert_element(st, st->lead_inserting, st->lead_inserting_tags, element);
        st->lead_inserting = NULL;
        digest_sum_add(&st->digest_pending, element);
    } else if (op == SQLITE_INSERT || op == SQLITE_UPDATE) {
        if ((rc = digest_hook_element(st, table, sqlite3_preupdate_new, element)) < 0)
            st->digest_failed = 1;
        else if (rc == 0)
            digest_sum_add(&st->digest_pending, element);
    }
}

/* meta.digest: the pending D, bound to the audit head of the transaction. */
static int digest_write(sqlite_store *st)
{
    uint64_t seq = 0;
    unsigned char head[32], sealed[DIGEST_SEALED_BYTES];
    int rc = sqlite_audit_head(&st->base, &seq, head);
    if (rc != 0)
        return rc;
    digest_seal(sealed, &st->digest_pending, st->digest_key.key, st->digest_key.vault_id, seq,
                head);
    return sqlite_meta_put(&st->base, DIGEST_META_KEY, sealed, sizeof sealed);
}

static int sqlite_digest_stored(store *base, unsigned char d[32], uint64_t *seq,
                                unsigned char head[32])
{
    sqlite_store *st = as_sqlite(base);
    if (!st->digest_on)
        return err_set(LV_EDENIED, "the state digest needs an unlocked vault");
    unsigned char sealed[DIGEST_SEALED_BYTES];
    size_t len = 0;
    int rc = sqlite_meta_get(base, DIGEST_META_KEY, sealed, sizeof sealed, &len);
    if (rc == LV_ECORRUPT || (rc == 0 && len != sizeof sealed))
        return LV_ECORRUPT;
    if (rc != 0)
        return rc;
    digest_sum sum;
    if (digest_open(&sum, seq, head, sealed, st->digest_key.key, st->digest_key.vault_id) != 0)
        return LV_ECORRUPT;
    digest_sum_bytes(d, &sum);
    sodium_memzero(&sum, sizeof sum);
    return 0;
}

/* D as meta.digest holds it, when another connection committed since it
 * was read (PRAGMA data_version moved); inside a write transaction. */
static int digest_reload(sqlite_store *st)
{
    int64_t version = 0;
    int rc = sqlite_data_version(&st->base, &version);
    if (rc != 0 || version == st->digest_version)
        return rc;
    unsigned char d[DIGEST_BYTES], head[32];
    uint64_t seq = 0;
    rc = sqlite_digest_stored(&st->base, d, &seq, head);
    if (rc == LV_ENOTFOUND)
        rc = err_set(LV_ECORRUPT, "integrity failure: the vault's state digest is missing");
    else if (rc == LV_ECORRUPT)
        rc = err_set(LV_ECORRUPT, "integrity failure: the vault's state digest does not open "
                                  "(altered, or from another vault)");
    if (rc == 0) {
        digest_sum_from_bytes(&st->digest_committed, d);
        st->digest_pending = st->digest_committed;
        st->digest_version = version;
    }
    sodium_memzero(d, sizeof d);
    return rc;
}

static int sqlite_digest_set(store *base, const store_digest *key, int load)
{
    sqlite_store *st = as_sqlite(base);
    memset(&st->digest_committed, 0, sizeof st->digest_committed);
    st->digest_pending = st->digest_committed;
    if (key == NULL) {
        st->digest_on = 0;
        memset(&st->digest_key, 0, sizeof st->digest_key);
        return 0;
    }
    st->digest_key = *key;
    st->digest_on = 1;
    if (!load)
        return sqlite_data_version(base, &st->digest_version);
    unsigned char d[DIGEST_BYTES], head[32];
    uint64_t seq = 0;
    int rc = sqlite_digest_stored(base, d, &seq, head);
    if (rc == LV_ECORRUPT)
        return err_set(LV_ECORRUPT, "integrity failure: the vault's state digest does not open "
                                    "(altered, or from another vault)");
    if (rc == 0) {
        digest_sum_from_bytes(&st->digest_committed, d);
        st->digest_pending = st->digest_committed;
    }
    sodium_memzero(d, sizeof d);
    if (rc == 0)
        rc = sqlite_data_version(base, &st->digest_version);
    return rc;
}

static int sqlite_digest_value(store *base, unsigned char d[32])
{
    sqlite_store *st = as_sqlite(base);
    if (!st->digest_on)
        return err_set(LV_EDENIED, "the state digest needs an unlocked vault");
    digest_sum_bytes(d, &st->digest_pending);
    return 0;
}

/* The elements of every row of one covered table, added to *sum. */
static int digest_table_sum(sqlite_store *st, const char *table, digest_sum *sum, uint64_t *rows)
{
    char sql[96];
    /* One of our own table names (digest_tables), never a value. */
    (void)snprintf(sql, sizeof sql, "SELECT * FROM main.%s", table);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return sql_fail(st, rc, "reading the vault for its digest");
    int columns = sqlite3_column_count(s);
    int is_meta = strcmp(table, "meta") == 0;
    unsigned char element[DIGEST_BYTES];
    int failed = 0;
    while (!failed && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int own = is_meta ? digest_is_meta_digest(table, sqlite3_column_value(s, 0)) : 0;
        failed = own < 0;
        if (own != 0)
            continue;
        digest_row r;
        digest_row_begin(&r, st->digest_key.prf, table);
        for (int i = 0; !failed && i < columns; i++)
            failed = digest_value_add(&r, sqlite3_column_value(s, i)) != 0;
        digest_row_end(&r, element);
        digest_sum_add(sum, element);
        (*rows)++;
    }
    sqlite3_finalize(s);
    sodium_memzero(element, sizeof element);
    if (failed)
        return err_set(LV_ERROR, "out of memory while computing the state digest");
    return rc == SQLITE_DONE ? 0 : sql_fail(st, rc, "reading the vault for its digest");
}

static int sqlite_digest_recompute(store *base, unsigned char d[32], uint64_t *leads)
{
    sqlite_store *st = as_sqlite(base);
    if (!st->digest_on)
        return err_set(LV_EDENIED, "the state digest needs an unlocked vault");
    digest_sum sum;
    memset(&sum, 0, sizeof sum);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < DIGEST_TABLE_COUNT; i++) {
        uint64_t rows = 0;
        rc = digest_table_sum(st, digest_tables[i], &sum, &rows);
        if (leads != NULL && strcmp(digest_tables[i], "lead") == 0)
            *leads = rows;
    }
    if (rc == 0)
        digest_sum_bytes(d, &sum);
    sodium_memzero(&sum, sizeof sum);
    return rc;
}

static int sqlite_digest_rebuild(store *base)
{
    sqlite_store *st = as_sqlite(base);
    if (!st->in_write)
        return err_set(LV_ERROR, "rebuilding the state digest needs a write transaction");
    unsigned char d[DIGEST_BYTES];
    int rc = sqlite_digest_recompute(base, d, NULL);
    if (rc == 0) {
        digest_sum_from_bytes(&st->digest_pending, d);
        /* Whatever the rows were, they are now what D covers. */
        st->digest_unkeyed = 0;
        rc = digest_write(st);
    }
    sodium_memzero(d, sizeof d);
    return rc;
}

static int read_consent_action(void *dest, sqlite3_stmt *s)
{
    const unsigned char *action = sqlite3_column_text(s, 0);
    *(int *)dest = action != NULL && strcmp((const char *)action, "consent.withdraw") != 0;
    return 0;
}

static int sqlite_audit_consent_latest(store *base, const unsigned char lead_id[LV_ID_BYTES],
                                       const char *purpose, int *granted)
{
    sqlite_store *st = as_sqlite(base);
    PREPARE(st, s, S_AUDIT_CONSENT_LATEST, "reading the audit log");
    sqlite3_bind_blob(s, 1, lead_id, LV_ID_BYTES, SQLITE_STATIC);
    bind_text(s, 2, purpose);
    *granted = 0;
    return one_row(st, s, "reading the audit log", NULL, read_consent_action, granted);
}

/* ---- integrity ---- */

static int sqlite_check_table(store *base, const char *table, int thorough)
{
    sqlite_store *st = as_sqlite(base);
    /* A pragma takes no bound parameters: table is one of our own names. */
    char sql[80];
    (void)snprintf(sql, sizeof sql, "PRAGMA %s(%s)", thorough ? "integrity_check" : "quick_check",
                   table);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    int result = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *line = sqlite3_column_text(s, 0);
        if (line == NULL || strcmp((const char *)line, "ok") != 0)
            result = err_set(LV_ECORRUPT, "vault file is damaged (table %s): %s", table,
                             line != NULL ? (const char *)line : "unknown problem");
    } else
        result = sql_fail(st, rc, "checking the vault file");
    sqlite3_finalize(s);
    return result;
}

static int sqlite_integrity(store *base, void (*fn)(void *ctx, const char *problem), void *ctx)
{
    sqlite_store *st = as_sqlite(base);
    int problems = 0;
    /* Opening compared the schema already; check compares it again, for a
     * schema changed by another process since. */
    char differs[192];
    int schema = schema_matches(st->db, st->format, differs, sizeof differs);
    if (schema < 0)
        return schema;
    if (schema == 0) {
        char line_out[256];
        (void)snprintf(line_out, sizeof line_out,
                       "the schema differs from the one leadvault creates (%s)", differs);
        fn(ctx, line_out);
        problems++;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(s)) != SQLITE_ROW)
            break;
        const unsigned char *line = sqlite3_column_text(s, 0);
        if (line != NULL && strcmp((const char *)line, "ok") != 0) {
            fn(ctx, (const char *)line);
            problems++;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        fn(ctx, sqlite3_errstr(rc));
        return sql_fail(st, rc, "checking integrity");
    }
    return problems ? LV_ECORRUPT : 0;
}

/* ---- the backend ---- */

static const store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .begin = sqlite_begin,
    .begin_read = sqlite_begin_read,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .bulk_mode = sqlite_bulk_mode,
    .checkpoint_wal = sqlite_checkpoint_wal,
    .savepoint = sqlite_savepoint,
    .savepoint_keep = sqlite_savepoint_keep,
    .savepoint_undo = sqlite_savepoint_undo,
    .meta_get = sqlite_meta_get,
    .meta_put = sqlite_meta_put,
    .keyslot_get = sqlite_keyslot_get,
    .keyslot_insert = sqlite_keyslot_insert,
    .keyslot_update = sqlite_keyslot_update,
    .keyslot_delete = sqlite_keyslot_delete,
    .keyslot_any_kdf = sqlite_keyslot_any_kdf,
    .keyslot_each = sqlite_keyslot_each,
    .format = sqlite_format,
    .keygen_put = sqlite_keygen_put,
    .keygen_delete = sqlite_keygen_delete,
    .keygen_each = sqlite_keygen_each,
    .envelope_put = sqlite_envelope_put,
    .envelope_get = sqlite_envelope_get,
    .envelope_delete = sqlite_envelope_delete,
    .upgrade_copy = sqlite_upgrade_copy,
    .consent_reseal = sqlite_consent_reseal,
    .journal_standalone = sqlite_journal_standalone,
    .lead_insert = sqlite_lead_insert,
    .lead_update = sqlite_lead_update,
    .lead_set_head = sqlite_lead_set_head,
    .lead_get = sqlite_lead_get,
    .lead_each = sqlite_lead_each,
    .index_put = sqlite_index_put,
    .index_put_many = sqlite_index_put_many,
    .index_delete = sqlite_index_delete,
    .index_each = sqlite_index_each,
    .index_clear = sqlite_index_clear,
    .data_version = sqlite_data_version,
    .index_lookup = sqlite_index_lookup,
    .audit_append = sqlite_audit_append,
    .audit_head = sqlite_audit_head,
    .audit_each = sqlite_audit_each,
    .checkpoint_append = sqlite_checkpoint_append,
    .checkpoint_latest = sqlite_checkpoint_latest,
    .checkpoint_each = sqlite_checkpoint_each,
    .purpose_put = sqlite_purpose_put,
    .purpose_get = sqlite_purpose_get,
    .purpose_each = sqlite_purpose_each,
    .consent_insert = sqlite_consent_insert,
    .consent_each = sqlite_consent_each,
    .consent_all = sqlite_consent_all,
    .lead_erase = sqlite_lead_erase,
    .tombstone_insert = sqlite_tombstone_insert,
    .tombstone_exists = sqlite_tombstone_exists,
    .tombstone_get = sqlite_tombstone_get,
    .suppress_put = sqlite_suppress_put,
    .suppress_time = sqlite_suppress_time,
    .suppress_exists = sqlite_suppress_exists,
    .suppress_any = sqlite_suppress_any,
    .suppress_delete = sqlite_suppress_delete,
    .suppress_times = sqlite_suppress_times,
    .hold_put = sqlite_hold_put,
    .hold_get = sqlite_hold_get,
    .hold_delete = sqlite_hold_delete,
    .hold_each = sqlite_hold_each,
    .rule_put = sqlite_rule_put,
    .rule_delete = sqlite_rule_delete,
    .rule_each = sqlite_rule_each,
    .backup = sqlite_backup,
    .restore_attach = sqlite_restore_attach,
    .restore_leads = sqlite_restore_leads,
    .restore_done = sqlite_restore_done,
    .lead_labels = sqlite_lead_labels,
    .consent_counts = sqlite_consent_counts,
    .check_table = sqlite_check_table,
    .integrity = sqlite_integrity,
    .digest_set = sqlite_digest_set,
    .digest_value = sqlite_digest_value,
    .digest_recompute = sqlite_digest_recompute,
    .digest_rebuild = sqlite_digest_rebuild,
    .digest_stored = sqlite_digest_stored,
    .audit_consent_latest = sqlite_audit_consent_latest,
};

void store_sqlite_remove(const char *path)
{
    static const char *const side[] = {"-wal", "-shm", "-journal"};
    unlink(path);
    for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
        char name[4096];
        /* A cut-off name would be some other file: skip it (SQLite could
         * not have opened a path that long anyway). */
        if (snprintf(name, sizeof name, "%s%s", path, side[i]) < (int)sizeof name)
            unlink(name);
    }
}
