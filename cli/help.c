/* help.c - the help text of leadvault: the one source of `leadvault help`,
 * the COMMANDS section of docs/leadvault.1 (scripts/gen_man.py) and the
 * usage blocks of docs/cli.md.
 *
 * Each topic is a command path ("lead add"), its usage lines and a text.
 * `leadvault help TOPIC` prints "usage: " before the first usage line,
 * seven spaces before each other one, then the text. The first code block
 * under the heading "## TOPIC" or "### TOPIC" of docs/cli.md holds exactly
 * the usage lines, and the topics come in the order of those headings.
 * After changing this file, run scripts/gen_man.py; the ctest tests help.*
 * (tests/help/check_help.py) fail until docs/cli.md, docs/leadvault.1 and
 * the built command agree with it.
 *
 * tests/help/check_help.py reads this file: keep to plain string literals
 * with no escapes but \n, \" and \\, and one topic per brace. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct help_topic {
    const char *topic; /* a top-level command, or a group and a subcommand */
    const char *usage; /* lines, each ending in \n; continuations start with spaces */
    const char *text;  /* what the command does: lines, each ending in \n */
} help_topic;

// clang-format off
static const char overview[] =
    "leadvault - an encrypted vault for sales-lead personal data\n"
    "\n"
    "usage: leadvault [--vault PATH] [--user NAME] [--passphrase-file FILE | --passphrase-fd N]\n"
    "                 [--json] COMMAND ...\n"
    "\n"
    "commands:\n"
    "  init --admin NAME             create a vault and its first (admin) user\n"
    "  user add|list|remove|passwd|role  manage users (keyslots and key envelopes)\n"
    "  lead add|get|find|search|list|update|assign\n"
    "                                store, reveal, search and assign leads\n"
    "  purpose add|list|retire       purposes: lawful basis, fields, roles\n"
    "  consent grant|withdraw|show|import  consent records per lead and purpose\n"
    "  stats                         lead counts by stage, source, consent (no PII)\n"
    "  import FILE|-                 bulk import from CSV or JSON Lines\n"
    "  export --purpose P            the leads and fields a purpose allows (CSV / JSONL)\n"
    "  erase (ID | --email E | --phone P) --request REF\n"
    "                                provable erasure (crypto-shredding), signed receipt\n"
    "  suppress check|remove         the suppression list of erased people\n"
    "  receipt verify FILE           verify an erasure receipt\n"
    "  hold set|clear|list           legal holds (held leads are never erased)\n"
    "  retention add|list|remove|plan|run\n"
    "                                retention rules, enforced through erasure\n"
    "  subject export                subject access / portability export\n"
    "  backup --out FILE, restore FILE\n"
    "                                backups; a restore re-applies later erasures\n"
    "  check [--deep]                verify the file and its state digest (--deep: every value)\n"
    "  upgrade                       upgrade a vault of format 1 in place (admin)\n"
    "  rekey [--reencrypt]           renew the vault keys; old ones open nothing new (admin)\n"
    "  audit show|export|actions|pubkey|checkpoint|verify\n"
    "                                read and verify the tamper-evident audit log\n"
    "  setting set|list              vault settings: controller, DPO contact\n"
    "  report processing|access|consent|retention|erasure\n"
    "                                compliance reports (HTML, CSV, JSON; no PII)\n"
    "  serve --socket PATH | --listen HOST:PORT\n"
    "                                serve the vault to a team over HTTP/JSON\n"
    "  login                         open a session on the --server, token cached\n"
    "  logout                        end the cached session\n"
    "  help [COMMAND ...]            help for a command, e.g. 'leadvault help lead add'\n"
    "  version                       print the version\n"
    "\n"
    "global options (before or after the command):\n"
    "  --vault PATH            vault file (env LEADVAULT_VAULT)\n"
    "  --user NAME             vault user (env LEADVAULT_USER)\n"
    "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
    "                          (env LEADVAULT_PASSPHRASE_FILE); otherwise it is asked on the\n"
    "                          terminal with echo off. Never given on the command line.\n"
    "  --passphrase-fd N       read the passphrase from file descriptor N\n"
    "  --json                  print one JSON document on stdout\n"
    "  --server URL            work through a leadvault server (env LEADVAULT_SERVER):\n"
    "                          https://HOST:PORT, http://127.0.0.1:PORT or unix:/path.sock\n"
    "  --ca-file FILE          CA certificate(s) to trust for an https:// server\n"
    "                          (env LEADVAULT_CA_FILE)\n"
    "\n"
    "exit codes:\n"
    "  0 ok, 1 error, 2 usage or invalid input, 3 wrong passphrase or unknown user,\n"
    "  4 not found, 5 denied by policy, 6 integrity failure (tampered or corrupt data),\n"
    "  7 vault busy (locked by another writer), 8 storage full (disk or file size limit),\n"
    "  9 vault file or folder read-only\n";

static const help_topic topics[] = {
    {"init",
     "leadvault init --admin NAME [--new-passphrase-file FILE]\n"
     "               [--kdf-memory MIB] [--kdf-iterations N] [--kdf-parallelism N]\n",
     "Create a new vault file (mode 0600; an existing file is never overwritten) with NAME as\n"
     "its first user, role admin. The passphrase comes from --new-passphrase-file, the global\n"
     "passphrase options, or is asked twice on the terminal.\n"
     "Argon2id defaults: 64 MiB, 3 iterations, parallelism 4; anything below 19 MiB or 2\n"
     "iterations is refused.\n"},
    {"user",
     "leadvault user add NAME --role admin|sales|compliance|auditor [--scope own|all]\n"
     "                       [--new-passphrase-file FILE]\n"
     "leadvault user list\n"
     "leadvault user remove NAME\n"
     "leadvault user passwd [--new-passphrase-file FILE]\n"
     "leadvault user role NAME ROLE\n",
     "Users are keyslots: each wraps the user's own key pair under their passphrase, and an\n"
     "envelope sealed to that key pair gives them the vault keys their role holds.\n"
     "Only admins add, list, remove users and change roles; every user may change their own\n"
     "passphrase.\n"},
    {"user add",
     "leadvault user add NAME --role admin|sales|compliance|auditor [--scope own|all]\n"
     "                        [--new-passphrase-file FILE]\n"
     "                        [--kdf-memory MIB] [--kdf-iterations N] [--kdf-parallelism N]\n",
     "Add a user with their own passphrase (admin only). --scope own (sales only; default all)\n"
     "limits the user to the leads they own: get, find, search, list --show, export and update\n"
     "of any other lead are refused (exit 5, audited) or leave it out.\n"},
    {"user list",
     "leadvault user list\n",
     "List users, roles and KDF settings (admin only).\n"},
    {"user remove",
     "leadvault user remove NAME\n",
     "Delete a user's keyslot and key envelopes (admin only). The last admin and yourself\n"
     "cannot be removed. Keys the user held stay known to them: run 'leadvault rekey'.\n"},
    {"user passwd",
     "leadvault user passwd [--new-passphrase-file FILE]\n"
     "                      [--kdf-memory MIB] [--kdf-iterations N] [--kdf-parallelism N]\n",
     "Change your own passphrase. Only your keyslot is rewrapped; no data is re-encrypted.\n"
     "Without --kdf-* options the keyslot keeps its KDF settings; with any, the others take\n"
     "their defaults.\n"},
    {"user role",
     "leadvault user role NAME ROLE\n",
     "Change a user's role (admin only) and seal their key envelope again with the keys of the\n"
     "new role only: an auditor's envelope holds no key that opens or indexes personal data.\n"
     "A sales user limited to their own leads stays so; for other roles the limit is dropped.\n"
     "Keys the user held before stay known to them: run 'leadvault rekey' to renew them.\n"
     "Through a --server, the user's sessions end (they hold the old role).\n"},
    {"lead",
     "leadvault lead add|get|find|search|list|update|assign ...\n",
     "See 'leadvault help lead add' and the others.\n"},
    {"lead add",
     "leadvault lead add [--first-name T] [--last-name T] [--email E] [--phone P]\n"
     "                   [--company T] [--title T] [--website U] [--address T] [--notes T]\n"
     "                   [--email2 E] [--phone2 P] [--source CHANNEL] [--source-detail T]\n"
     "                   [--stage STAGE] [--owner USER] [--country CC] [--last-contact TIME]\n"
     "                   [--incentive yes|no|unknown] [--verified yes|no|unknown]\n"
     "                   [--aware yes|no|unknown]\n",
     "Store a lead; prints its id. At least one of first name, last name, email, phone,\n"
     "email2 or phone2.\n"
     "--email2 and --phone2 are secondary contacts, searchable like the primary ones.\n"
     "--last-contact takes a time: 2026-11-26, 2026-11-26T17:45:00Z (or an offset such as\n"
     "+02:00), now, or an age before now (24h, 7d, 2w).\n"
     "Every personal field is sealed on its own; source, source detail, stage, owner, country\n"
     "and the signals are plain metadata (do not put personal data in --source-detail).\n"
     "channels: advertising trade_show direct_mail third_party_list webinar ebook podcast\n"
     "          social_media lead_magnet networking chamber_of_commerce referral local_media\n"
     "          community_event website_form other (default other)\n"
     "stages:   new contacted qualified unqualified nurturing converted lost (default new)\n"
     "Channel and stage names ignore case (Qualified is qualified); an unknown one exits 2.\n"
     "signals:  incentive (was an incentive given for the contact data), verified (is the data\n"
     "          verified), aware (did the person know sales would follow); default unknown.\n"
     "quality:  high when verified=yes, aware=yes and incentive is not yes; low when verified=no,\n"
     "          aware=no, or incentive=yes without verified=yes; medium otherwise.\n"},
    {"lead update",
     "leadvault lead update ID [the options of lead add]\n",
     "Change the given fields; an empty value (--notes '') clears a field.\n"},
    {"lead get",
     "leadvault lead get ID --purpose PURPOSE [--fields f1,f2,...]\n",
     "Reveal a lead's fields for a stated purpose. The access is written to the audit log\n"
     "before anything is printed.\n"
     "fields: first_name last_name email phone company title website address notes email2\n"
     "        phone2\n"},
    {"lead find",
     "leadvault lead find (--email E | --phone P) --purpose PURPOSE [--fields f1,f2,...]\n",
     "Find leads by exact email (case and surrounding space ignored) or phone (digits with\n"
     "country code), through a blind index; every candidate is decrypted and compared.\n"},
    {"lead search",
     "leadvault lead search TEXT --purpose PURPOSE [--limit N]\n",
     "Find leads whose first name, last name or company contain every word of TEXT, ignoring\n"
     "case and accents, among the leads you may read for the purpose (each is decrypted in\n"
     "memory). Shows the first N matches (default 20, at most 1000) with the purpose's\n"
     "fields; the audit entry lists exactly those leads and fields. Exit 4 when none match.\n"},
    {"lead list",
     "leadvault lead list [--stage STAGE] [--source CHANNEL] [--owner USER]\n"
     "                    [--purpose PURPOSE --show f1,f2,...]\n",
     "List lead metadata: id, stage, source, owner, country, quality, times. No personal data,\n"
     "unless --show names fields to reveal for --purpose: then each lead the purpose allows\n"
     "(consent, scope) is listed with them, audited as one reveal. A field the purpose does\n"
     "not allow: exit 5.\n"},
    {"lead assign",
     "leadvault lead assign ID USER\n",
     "Make USER (an existing user) the owner of a lead. Admin only; audited.\n"},
    {"import",
     "leadvault import FILE|- [--format csv|jsonl] [--delimiter C] [--map \"Header=field\"]...\n"
     "                 [--source CHANNEL] [--consent PURPOSE --evidence TEXT]\n"
     "                 [--on-duplicate skip|update|error] [--reject-file FILE]\n"
     "                 [--atomic] [--dry-run] [--default-country CC]\n"
     "                 [--map-owner \"CRM NAME=user\"]... [--consent-column \"COLUMN=PURPOSE\"]...\n"
     "                 [--consent-granted V,...] [--consent-withdrawn V,...]\n",
     "Import leads from a CSV (RFC 4180, header row; LF, CRLF or CR; UTF-8 with or without\n"
     "BOM) or JSON Lines file. Headers of HubSpot, Salesforce and similar exports, and\n"
     "leadvault's own field names, map by themselves; --map \"Header=field\" overrides (field: a\n"
     "lead field, source, source_detail, stage, owner, country, incentive, verified, aware,\n"
     "last_contact, address_part, full_name, or ignore). Unknown columns are reported. An\n"
     "unknown source or status never rejects a row: the channel becomes other (value kept in\n"
     "source_detail, which is plain metadata) and the stage new. Duplicates (email, then phone)\n"
     "of stored leads or earlier rows are skipped by default; people on the suppression list\n"
     "are skipped. Bad rows are rejected with their line number (never their values) and, with\n"
     "--reject-file, written as read (0600; CSV with its header line) for fixing. Rows commit\n"
     "in batches of 10000, each audited with its lead ids; --atomic stores all or nothing,\n"
     "--dry-run stores nothing. A run is audited even when it stores nothing, a dry run too.\n"
     "CRM API field names (LeadSource, OwnerId, hs_lead_status, lifecyclestage...) map like\n"
     "their labels. A cell of leadvault's export formula guard ('=, '+, '-, '@) loses the\n"
     "apostrophe, so an export imports back unchanged. --default-country CC: rows without a\n"
     "country are in CC (their national phone numbers get its code). Owners must be vault\n"
     "users or be mapped with --map-owner; others are counted in a warning and the lead is\n"
     "yours. --consent-column \"COLUMN=PURPOSE\" records, for each new lead, what the column\n"
     "says: HubSpot's Marketing contact status (Marketing contact grants), Salesforce's\n"
     "HasOptedOutOfEmail and Salesforce's or Zoho's Email Opt Out (true withdraws; false says\n"
     "nothing: no consent is read from a missing opt-out), or opted in / opted out; the\n"
     "evidence names the file, line and column. --consent-granted / --consent-withdrawn add\n"
     "values. Other values record nothing and are reported. Roles admin, sales.\n"},
    {"export",
     "leadvault export --purpose P [--format csv|jsonl] [--out FILE] [--stage S] [--source S]\n",
     "Export exactly the leads the purpose allows (where its basis is consent: those with an\n"
     "active consent) with only the purpose's fields, as CSV (header: id and the fields) or\n"
     "JSON Lines. CSV cells that a spreadsheet would run as a formula (starting with = + - @,\n"
     "tab or CR) get a leading apostrophe. Every exported lead id is in the audit log before\n"
     "anything is written; --out files are created 0600. Roles as lead get.\n"},
    {"purpose",
     "leadvault purpose add NAME --basis consent|legitimate_interest|contract|legal_obligation\n"
     "                  --fields f1,f2,... --roles r1,r2,...\n"
     "leadvault purpose list\n"
     "leadvault purpose retire NAME\n",
     "A purpose says which fields may be revealed, by which roles, on which lawful basis.\n"
     "Where the basis is consent, a lead must hold an active consent for it. Defaults:\n"
     "email_marketing, phone_outreach, direct_mail, profiling (consent), sales_followup\n"
     "(legitimate interest), subject_request (legal obligation; compliance only).\n"
     "Admins add and retire purposes; retiring keeps the consent history readable.\n"},
    {"purpose add",
     "leadvault purpose add NAME --basis BASIS --fields f1,f2,... --roles r1,r2,...\n",
     ""},
    {"purpose list",
     "leadvault purpose list\n",
     ""},
    {"purpose retire",
     "leadvault purpose retire NAME\n",
     ""},
    {"consent",
     "leadvault consent grant (ID | --email E | --phone P) PURPOSE --evidence TEXT\n"
     "                        [--notice-version V] [--expires DATE]\n"
     "leadvault consent withdraw (ID | --email E | --phone P) PURPOSE [--evidence TEXT]\n"
     "leadvault consent show ID\n"
     "leadvault consent import FILE|- [--reject-file FILE] [--delimiter C]\n",
     "Consent history is append-only; evidence and reasons are sealed like personal data.\n"
     "grant, withdraw and import: admin, sales, compliance. show: admin, compliance.\n"},
    {"consent grant",
     "leadvault consent grant (ID | --email E | --phone P) PURPOSE --evidence TEXT\n"
     "                        [--notice-version V] [--expires DATE]\n",
     "--email / --phone find the lead as lead find does; several leads: refused, ids listed.\n"},
    {"consent withdraw",
     "leadvault consent withdraw (ID | --email E | --phone P) PURPOSE [--evidence TEXT]\n",
     "--evidence (or --reason, the same note) says how the person withdrew.\n"},
    {"consent show",
     "leadvault consent show ID\n",
     ""},
    {"consent import",
     "leadvault consent import FILE|- [--reject-file FILE] [--delimiter C]\n",
     "CSV with a header of: email and/or phone, purpose, action (grant|withdraw), time\n"
     "(optional; YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, empty: now), evidence (required to\n"
     "grant). Each row is recorded on its own, audited, its evidence followed by the file\n"
     "and line; a row that cannot be (no such lead, several, bad purpose or time) is\n"
     "rejected with its line and reason, as import does.\n"},
    {"stats",
     "leadvault stats\n",
     "Counts of leads by stage, source and active consent per purpose;\n"
     "no personal data. Any role. With --json the number of leads is under \"total\".\n"},
    {"erase",
     "leadvault erase (ID | --email E | --phone P) --request REF [--ground TEXT]\n"
     "                [--no-suppress] [--receipt FILE]\n",
     "Erase a lead (or every lead with that email or phone): its data key, every sealed field,\n"
     "its index entries and consent records are deleted with secure_delete, the write-ahead\n"
     "log is truncated, and a tombstone (id, time, request, ground) is kept. Unless\n"
     "--no-suppress, the email and phone go on the suppression list so the person cannot be\n"
     "added or imported again. --receipt writes a signed JSON receipt (0600), recorded as an\n"
     "erase.receipt audit entry. A lead under legal hold is refused (exit 5). Roles admin,\n"
     "compliance.\n"},
    {"suppress",
     "leadvault suppress check (--email E | --phone P)\n"
     "leadvault suppress remove (--email E | --phone P)\n",
     "The suppression list holds keyed hashes of the emails and phones of erased people.\n"
     "check: admin, sales, compliance. remove (a person who asks to come back): admin.\n"},
    {"suppress check",
     "leadvault suppress check (--email E | --phone P)\n",
     "Prints \"suppressed: erased on TIME under request REF\" or \"not suppressed\".\n"},
    {"suppress remove",
     "leadvault suppress remove (--email E | --phone P)\n",
     ""},
    {"receipt",
     "leadvault receipt verify FILE [--pubkey KEYFILE]\n",
     "Check an erasure receipt's signature; any changed byte fails (exit 6).\n"},
    {"receipt verify",
     "leadvault receipt verify FILE [--pubkey KEYFILE]\n",
     ""},
    {"hold",
     "leadvault hold set ID --reason TEXT\n"
     "leadvault hold clear ID\n"
     "leadvault hold list\n",
     "A held lead is skipped by retention and refused by erase. Roles admin, compliance.\n"},
    {"hold set",
     "leadvault hold set ID --reason TEXT\n",
     ""},
    {"hold clear",
     "leadvault hold clear ID\n",
     ""},
    {"hold list",
     "leadvault hold list\n",
     ""},
    {"retention",
     "leadvault retention add NAME [--stage S] [--source S] [--no-consent] [--consent-withdrawn]\n"
     "                             (--older-than AGE | --inactive AGE)\n"
     "leadvault retention list\n"
     "leadvault retention remove NAME\n"
     "leadvault retention plan [--as-of DATE]\n"
     "leadvault retention run [--request REF] [--receipt FILE]\n",
     "AGE: a number and h, d, w or y (365 days), e.g. 180d. --older-than counts from the\n"
     "lead's creation, --inactive from its last contact (or creation). A lead is due when\n"
     "every condition of a rule holds. plan changes nothing; run erases what is due through\n"
     "the erase path (no suppression), skips held leads, and writes one receipt. Roles admin,\n"
     "compliance.\n"},
    {"retention add",
     "leadvault retention add NAME [--stage S] [--source S] [--no-consent] [--consent-withdrawn]\n"
     "                             (--older-than AGE | --inactive AGE)\n",
     ""},
    {"retention list",
     "leadvault retention list\n",
     ""},
    {"retention remove",
     "leadvault retention remove NAME\n",
     ""},
    {"retention plan",
     "leadvault retention plan [--as-of DATE]\n",
     ""},
    {"retention run",
     "leadvault retention run [--request REF] [--receipt FILE]\n",
     ""},
    {"subject",
     "leadvault subject export (ID | --email E | --phone P) --request REF --out FILE\n"
     "                         [--format json|csv|html]\n",
     "Everything held on a person: every field in clear, the metadata, the consent history\n"
     "with evidence, and every access to the lead from the audit log; and what GDPR Art. 15\n"
     "adds: source, purposes and legal bases with the consent state, recipients (exports),\n"
     "retention, and the person's rights. html: one page to send to the person as is. A\n"
     "person erased before: exit 4, naming when and under which request. File created 0600.\n"
     "CSV rows are lead_id,section,item,name,value; cells starting with = + - @ tab or CR\n"
     "get a leading apostrophe. Compliance role.\n"},
    {"subject export",
     "leadvault subject export (ID | --email E | --phone P) --request REF --out FILE\n"
     "                         [--format json|csv|html]\n",
     ""},
    {"backup",
     "leadvault backup --out FILE\n",
     "Online, consistent copy of the vault (SQLite backup API), created 0600. Admin.\n"},
    {"restore",
     "leadvault restore FILE\n",
     "Bring back from a backup of this vault every lead the vault lacks and never erased,\n"
     "with its consent records (one transaction). Leads the vault holds keep their newer\n"
     "state; users, purposes, holds, rules, the suppression list and the audit log stay the\n"
     "current ones. Admin.\n"},
    {"check",
     "leadvault check [--deep]\n",
     "Run SQLite's integrity check, verify the MAC of every keyslot, purpose, hold, retention\n"
     "rule and setting, and recompute the state digest over every row: a row deleted, added,\n"
     "rolled back or edited (a sealed value's bytes included) without the keys makes it differ.\n"
     "When anything fails, every lead is checked one by one (MAC, consent chain, data key,\n"
     "every sealed value opened), and the problems are named by lead and field (never a\n"
     "value). --deep checks every lead that way even when the digest matches: it also finds\n"
     "what a holder of the keys wrote wrongly, and takes far longer on a large vault. Exit 6\n"
     "on any problem. Any role may run it; an auditor, who holds no data key, opens no sealed\n"
     "value.\n"},
    {"upgrade",
     "leadvault upgrade\n",
     "Upgrade a vault of format 1 to format 2 (admin): a new file is built beside the vault\n"
     "with every row, and replaces it in one rename while the old file stays locked; an\n"
     "interruption leaves the old vault or the new one. The admin gets a key-pair keyslot at\n"
     "once, the other users at their next unlock. Until upgraded, a vault of format 1 allows\n"
     "only upgrade, audit verify and backup. On a vault of format 2 it does nothing. Runs on\n"
     "the vault file only (given --server: exit 2); a server serves a vault of format 2.\n"},
    {"rekey",
     "leadvault rekey [--reencrypt]\n",
     "Renew the vault keys (admin): a new key generation, an envelope of it for every user,\n"
     "every lead's data key re-wrapped and its index tags recomputed under the new keys; the\n"
     "old generation is dropped (its suppression key kept for lookups) and a vault.rekey\n"
     "entry signed with the old audit key certifies the new one. --reencrypt also gives every\n"
     "lead a new data key and re-seals every field and consent evidence. Leads go in batches;\n"
     "if interrupted, run rekey again to finish. Refused while a user still has a format-1\n"
     "keyslot. Through a --server, every other session ends (its keys are of the dropped\n"
     "generation) before the rekey starts, and yours goes on with the new keys.\n"},
    {"audit",
     "leadvault audit show [--lead ID] [--user U] [--action A] [--purpose P] [--outcome O]\n"
     "                     [--since T] [--until T]\n"
     "leadvault audit export [--format jsonl|csv] [--out FILE] [--lead ID] [--user U]\n"
     "                       [--action A] [--purpose P] [--outcome O] [--since T] [--until T]\n"
     "leadvault audit actions\n"
     "leadvault audit pubkey [--out FILE]\n"
     "leadvault audit checkpoint [--out FILE]\n"
     "leadvault audit verify [--pubkey FILE] [--checkpoint FILE] [--log FILE.jsonl]\n",
     "Every operation appends a hash-chained entry (never a value or secret); each command\n"
     "that appended signs a checkpoint with the vault's Ed25519 audit key.\n"
     "show and export need the compliance or auditor role; pubkey, checkpoint and verify\n"
     "any role. verify with --pubkey needs no passphrase; with --log it needs no vault.\n"
     "actions lists every action the log records, with its meaning (no vault needed).\n"},
    {"audit show",
     "leadvault audit show [--lead ID] [--user U] [--action A] [--purpose P] [--outcome O]\n"
     "                     [--since T] [--until T]\n",
     "Show audit entries (times are RFC 3339 UTC, e.g. 2026-11-26T00:00:00.000Z). The\n"
     "filters combine (all must hold):\n"
     "  --action A   an action (lead.get), a prefix of whole parts (lead.find: both lookups;\n"
     "               lead: every lead action) or a glob (lead.*, *.export); see 'audit actions'\n"
     "  --purpose P  entries naming purpose P;  --outcome O  ok, denied or error\n"
     "  --user U     entries by vault user U (give the user to unlock as before 'audit')\n"
     "  --since T / --until T   inclusive; T is a date (2026-12-01), a date and time with its\n"
     "               zone (2026-12-01T10:00:00Z, ...+02:00), now, or an age before now (24h,\n"
     "               7d, 2w). A date alone as --until means the end of that day.\n"
     "An unknown action, purpose or outcome exits 2 naming the valid ones.\n"},
    {"audit export",
     "leadvault audit export [--format jsonl|csv] [--out FILE] [--lead ID] [--user U]\n"
     "                       [--action A] [--purpose P] [--outcome O] [--since T] [--until T]\n",
     "Export the log. jsonl (the default), with no filter: a header, the signed checkpoints,\n"
     "then one entry per line with seq, hash and prev_hash; it verifies with 'audit verify\n"
     "--log'. With a filter (as for audit show): a header of type leadvault-audit-selection and\n"
     "the matching entries, which cannot be verified. csv: a header row, then one row per\n"
     "entry and lead id (an export naming 100 leads gives 100 rows). The file is created 0600.\n"},
    {"audit actions",
     "leadvault audit actions\n",
     "List every action the audit log records, with a one-line meaning. Any user; no vault.\n"},
    {"audit pubkey",
     "leadvault audit pubkey [--out FILE]\n",
     "Print the audit public key and its fingerprint.\n"},
    {"audit checkpoint",
     "leadvault audit checkpoint [--out FILE]\n",
     "Print the latest signed checkpoint (signing the current head first if needed). Keep it\n"
     "outside the vault: a later 'audit verify --checkpoint FILE' proves the log still extends it.\n"},
    {"audit verify",
     "leadvault audit verify [--pubkey FILE] [--checkpoint FILE] [--log FILE.jsonl]\n",
     "Recompute the whole hash chain and every checkpoint signature. Exit 0 with a summary, or\n"
     "exit 6 naming the first bad entry. Entries after the last signature are a warning.\n"},
    {"setting",
     "leadvault setting set NAME VALUE\n"
     "leadvault setting list\n",
     "Vault settings the record of processing prints: controller, controller_contact,\n"
     "dpo_contact, representative. Admin only.\n"},
    {"setting set",
     "leadvault setting set NAME VALUE\n",
     "Set a setting (admin). NAME is one of controller, controller_contact, dpo_contact,\n"
     "representative; VALUE is at most 256 bytes of UTF-8 without control characters, \"\"\n"
     "clears it. The value is stored under a MAC: an edit of the file is an integrity failure\n"
     "(exit 6). The audit log records the name, never the value.\n"},
    {"setting list",
     "leadvault setting list\n",
     "Print every setting, \"(not set)\" for those never set (admin).\n"},
    {"report",
     "leadvault report processing|access|consent|retention|erasure [--from TIME] [--to TIME]\n"
     "                 [--format html|csv|json] --out FILE\n",
     "Write a compliance report (compliance and auditor roles) to a new file (0600). The audit\n"
     "log is verified first: a log that fails verification gives no report (exit 6). Figures\n"
     "come from the verified entries only, and the report names the audit head and the last\n"
     "checkpoint they were computed from. Reports hold counts, lead ids and names of users,\n"
     "purposes, fields and rules: never a lead's personal data. Each report is audited, and\n"
     "its entry committed before the file is written.\n"
     "--from and --to bound the period (UTC, inclusive; default: from the beginning to now).\n"
     "--format html (default) is one self-contained page (inline CSS and SVG charts, no\n"
     "script, nothing loaded); csv and json carry the same figures (see docs/reports.md).\n"},
    {"report processing",
     "leadvault report processing [--from TIME] [--to TIME] [--format html|csv|json]\n"
     "                            --out FILE\n",
     "Record of processing activities (GDPR Art. 30(1)): controller and DPO (see 'leadvault\n"
     "setting'), purposes and legal bases, categories of personal data and of data subjects,\n"
     "users and roles, recipients (exports per purpose in the period), retention rules, and\n"
     "the technical measures in force with the last verified checkpoint.\n"},
    {"report access",
     "leadvault report access [--from TIME] [--to TIME] [--format html|csv|json]\n"
     "                        --out FILE\n",
     "Reveals, finds, searches and exports per user, purpose and day, with a heat map; the\n"
     "most accessed leads; denials; failed unlocks; access outside Monday-Friday 08:00-18:00\n"
     "UTC. Every figure gives the audit sequence numbers it counts.\n"},
    {"report consent",
     "leadvault report consent [--from TIME] [--to TIME] [--format html|csv|json]\n"
     "                         --out FILE\n",
     "Consent coverage per consent purpose (count and share of leads), grants and withdrawals\n"
     "per day, consents expiring within 30 and 90 days, and every use of a lead under a\n"
     "consent purpose without an active consent at that moment (must be none).\n"},
    {"report retention",
     "leadvault report retention [--from TIME] [--to TIME] [--format html|csv|json]\n"
     "                           --out FILE\n",
     "Retention rules, the leads coming due within 30, 90 and 365 days with their dates and\n"
     "rules, leads under legal hold and why, and the erasures each rule made in the period.\n"},
    {"report erasure",
     "leadvault report erasure [--from TIME] [--to TIME] [--format html|csv|json]\n"
     "                         --out FILE\n",
     "Erasure requests: received (first audit entry naming the reference), erased, the\n"
     "one-month deadline of GDPR Art. 12(3) and whether it was met, open requests, the audit\n"
     "entry each receipt is signed over, and the suppression list over time.\n"},
    {"serve",
     "leadvault serve [--listen HOST:PORT] [--socket PATH] [--tls-cert FILE --tls-key FILE]\n"
     "                [--session-idle DURATION] [--session-max DURATION]\n"
     "                [--connection-limit N] [--connection-timeout DURATION]\n"
     "                [--max-requests N]\n",
     "Serve the vault (--vault) over HTTP/1.1 with JSON bodies, in the foreground, until\n"
     "SIGTERM or SIGINT (requests in flight finish; every session is closed and its keys\n"
     "wiped; exit 0). Plain HTTP only on a loopback address or the Unix socket (created\n"
     "0600); anything else needs --tls-cert and --tls-key (PEM; TLS 1.2 and 1.3, AEAD\n"
     "ciphers, forward secrecy only). Prints 'listening on URL' for each address; port 0\n"
     "picks a free port. A login runs the keyslot unlock and opens a session: idle for at\n"
     "most --session-idle (default 15m), alive at most --session-max (default 8h);\n"
     "DURATION is 90s, 15m, 8h or 1d. Failed logins are rate-limited per user and per\n"
     "client address (429 with Retry-After). Limits: --connection-limit connections per\n"
     "listening socket (default 256; each needs a file descriptor, checked at start against\n"
     "ulimit -n), --connection-timeout for a silent client (default 30s), --max-requests\n"
     "handled at once (default 64; 503 past it). See docs/server.md.\n"},
    {"login",
     "leadvault login\n",
     "Log in to the --server as --user with the passphrase (as for any command) and cache the\n"
     "session token in a 0600 file under $XDG_RUNTIME_DIR/leadvault/, keyed by server and\n"
     "user; the folder must be private (0700) and yours. Later commands for that server and\n"
     "user use the token and ask for no passphrase until the session ends. Without a cached\n"
     "token a command logs in with the passphrase and logs out when it ends.\n"},
    {"logout",
     "leadvault logout\n",
     "End the cached session of --user at the --server and remove its token file. Exit 4\n"
     "when no token is cached.\n"},
    {"help",
     "leadvault help [COMMAND ...]\n",
     "Print the overview, or the help for a command. --help (or -h) anywhere on the line does\n"
     "the same for the command words it follows, so 'leadvault lead add --help' is\n"
     "'leadvault help lead add'. With no arguments, leadvault prints the overview. A topic\n"
     "that does not exist exits 2.\n"},
    {"version",
     "leadvault version\n",
     "Print the version; 'leadvault --version' does the same.\n"},
};
// clang-format on

int print_help(const char *topic)
{
    if (topic == NULL || topic[0] == '\0') {
        (void)fputs(overview, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++) {
        if (strcmp(topics[i].topic, topic) != 0)
            continue;
        const char *line = topics[i].usage;
        for (const char *prefix = "usage: "; *line != '\0'; prefix = "       ") {
            size_t len = strcspn(line, "\n");
            printf("%s%.*s\n", prefix, (int)len, line);
            line += len + (line[len] == '\n');
        }
        (void)fputs(topics[i].text, stdout);
        return EXIT_OK;
    }
    (void)fprintf(stderr, "leadvault: no help for '%s'\n", topic);
    return EXIT_USAGE;
}
