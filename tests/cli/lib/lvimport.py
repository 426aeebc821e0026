"""lvimport.py - helpers for the import and export test cases
(tests/cli/cases/import_*.t, export_*.t) and the script tests under
tests/import/. lvtool.py registers the commands below; the script tests
import this module for compare_leads.

  lvtool data NAME                 copy tests/data/NAME into the working
                                   directory (the samples, genleads.py).
  lvtool sample-emails CSV COUNT   the emails of COUNT rows of CSV (an export
                                   of the datablist or HubSpot layout), one a
                                   line: the rows with the hardest values
                                   first (notes with quotes, commas and line
                                   breaks; Devanagari and CJK; a second email
                                   and phone), then rows spread over the file.
                                   Only first occurrences: a later row with
                                   the same email is a duplicate, not stored.
  lvtool compare-leads FILE CSV... [--all]
                                   FILE holds `lead find --json` documents
                                   (one a line) or an `export --format jsonl`.
                                   Each lead in it must be, field by field,
                                   the first row with its email in the CSV
                                   files, as the import maps and normalizes
                                   it; with lead find output also its source
                                   and stage. --all: every person of the CSV
                                   files must be there, once. Prints counts;
                                   exit 1 listing every difference.
  lvtool csv-dump FILE             each CSV record of FILE as a JSON array of
                                   its cells, one a line (exact cells, after
                                   RFC 4180 unquoting).
  lvtool csv-ids FILE              the first cell of each data row (the lead
                                   ids of an export), sorted, one a line.
  lvtool csv-values FILE COLUMN [WHERE=VALUE]
                                   the cells of COLUMN (by its header), of the
                                   rows whose column WHERE holds exactly VALUE
                                   when given, sorted, one a line.
  lvtool csv-fields FILE           the header and the data rows of an export
                                   without their id column, rows sorted, each
                                   as a JSON array of its exact cells: two
                                   exports of the same leads in two vaults
                                   give the same lines.
  lvtool jsonl-ids FILE            the "id" of each line of a JSON Lines file,
                                   sorted, one a line.
  lvtool jsonl-keys FILE           the keys used by the lines of a JSON Lines
                                   file, sorted, joined by commas.
  lvtool jget FILE PATH...         the values at each PATH (as for lvtool json)
                                   of the JSON document in FILE ("-": stdin),
                                   joined by one space, one line: one process
                                   for what would take one `lvtool json` per
                                   value.
"""
import csv
import json
import os
import re
import shutil
import sys
import unicodedata

DATA_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "..", "..", "data"))

# Where each column of the two layouts must land (include/leadvault.h,
# vault/crm_map.h). Columns not listed must not be stored at all.
LAYOUTS = {
    "datablist": {
        "email": "Email 1",
        "fields": {"First Name": "first_name", "Last Name": "last_name", "Company": "company",
                   "Phone 1": "phone", "Phone 2": "phone2", "Email 1": "email",
                   "Email 2": "email2", "Website": "website", "Notes": "notes"},
        "source": "Source", "stage": "Deal Stage",
    },
    "hubspot": {
        "email": "Email",
        "fields": {"First Name": "first_name", "Last Name": "last_name", "Email": "email",
                   "Phone Number": "phone", "Company Name": "company", "Job Title": "title",
                   "Notes": "notes"},
        "source": "Original Source", "stage": "Lead Status",
    },
}

# The picklist values genleads.py and the samples use, and the channel or
# stage crm_map.h documents for each. Written out here on purpose: the test
# must not ask the code under test what the answer is.
SOURCES = {"Advertising": "advertising", "Trade Show": "trade_show", "Direct Mail": "direct_mail",
           "Third Party List": "third_party_list", "Webinar": "webinar",
           "E-book Download": "ebook", "Podcast": "podcast", "Social Media": "social_media",
           "Lead Magnet": "lead_magnet", "Networking Event": "networking",
           "Chamber of Commerce": "chamber_of_commerce", "Referral": "referral",
           "Local Media": "local_media", "Community Event": "community_event",
           "Website Form": "website_form"}
STAGES = {"New": "new", "Contacted": "contacted", "Qualified": "qualified",
          "Unqualified": "unqualified", "Nurturing": "nurturing", "Converted": "converted",
          "Lost": "lost", "Open": "new", "In progress": "contacted", "Open deal": "qualified",
          "Attempted to contact": "contacted", "Connected": "contacted"}

NAME_FIELDS = ("first_name", "last_name", "company", "title")


def die(message, code=2):
    sys.stderr.write("lvtool: %s\n" % message)
    sys.exit(code)


_csv_cache = {}


def read_csv(path):
    """(layout name, header, rows as dicts; "_line" is the line a row starts on).
    Cached per path, size and mtime: the crash test compares often."""
    st = os.stat(path)
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
    if key not in _csv_cache:
        _csv_cache[key] = _read_csv(path)
    return _csv_cache[key]


def _read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = []
        start = reader.line_num + 1
        for cells in reader:
            row = dict(zip(header, cells))
            row["_line"] = start
            start = reader.line_num + 1
            rows.append(row)
    layout = None
    for name, spec in LAYOUTS.items():
        if spec["email"] in header and all(c in header for c in spec["fields"]):
            layout = name
    if layout is None:
        die("%s: neither the datablist nor the HubSpot layout: %r" % (path, header))
    return layout, header, rows


def email_key(value):
    return unicodedata.normalize("NFC", value.strip()).casefold()


def normalize_phone(value):
    """The stored form of a phone without a country column: '+' and the
    digits when international ('+' or '00' first), else the digits."""
    value = value.strip()
    digits = re.sub(r"[ \-.()/]", "", value.lstrip("+"))
    if not digits.isdigit():
        raise ValueError("not a plain phone in the test data: %r" % value)
    if value.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits


def expected_fields(layout, row):
    spec = LAYOUTS[layout]
    out = {}
    for column, field in spec["fields"].items():
        value = row.get(column, "")
        if value.strip(" \t") == "":
            continue
        if field in NAME_FIELDS:
            value = unicodedata.normalize("NFC", value)
        elif field in ("email", "email2"):
            value = value.strip()
        elif field in ("phone", "phone2"):
            value = normalize_phone(value)
        out[field] = value
    return out


def first_occurrences(layout, rows):
    """{email key: row} for the first row of each person, and the count of
    later rows that repeat one (in-file duplicates)."""
    column = LAYOUTS[layout]["email"]
    people, duplicates = {}, 0
    for row in rows:
        key = email_key(row[column])
        if key in people:
            duplicates += 1
        else:
            people[key] = row
    return people, duplicates


def load_leads(path):
    """Leads of a file of `lead find --json` documents or of an export in
    JSON Lines: a list of (fields dict, metadata dict or None, id)."""
    leads = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except ValueError as e:
                die("%s: line %d is not JSON (%s)" % (path, number, e), 1)
            if "leads" in doc:
                if len(doc["leads"]) != 1:
                    die("%s: line %d: lead find returned %d leads, expected 1"
                        % (path, number, len(doc["leads"])), 1)
                lead = doc["leads"][0]
                leads.append((lead.get("fields", {}), lead, lead.get("id")))
            else:
                fields = {k: v for k, v in doc.items() if k != "id"}
                leads.append((fields, None, doc.get("id")))
    return leads


def compare_leads(csv_paths, leads, require_all=False):
    """Compare leads (see load_leads) with the people of the CSV files (a
    path or a list). Returns (problems, number of fields compared, number of
    leads whose metadata was compared)."""
    if isinstance(csv_paths, str):
        csv_paths = [csv_paths]
    people = {}  # email key -> (layout, row, path)
    for path in csv_paths:
        layout, _, rows = read_csv(path)
        found, _ = first_occurrences(layout, rows)
        for key, row in found.items():
            people.setdefault(key, (layout, row, path))
    problems, fields_compared, meta_compared = [], 0, 0
    seen = {}
    for fields, meta, lead_id in leads:
        email = fields.get("email")
        if email is None:
            problems.append("lead %s has no email" % lead_id)
            continue
        key = email_key(email)
        if key not in people:
            problems.append("lead %s: no CSV row has its email" % lead_id)
            continue
        layout, row, path = people[key]
        where = "%s line %d" % (os.path.basename(path), row["_line"])
        if key in seen:
            problems.append("lead %s: the person of %s is stored twice (also %s)"
                            % (lead_id, where, seen[key]))
        seen[key] = lead_id
        want = expected_fields(layout, row)
        for name in sorted(set(want) | set(fields)):
            fields_compared += 1
            if fields.get(name) != want.get(name):
                problems.append("lead %s (%s) field %s: stored %r, CSV %r"
                                % (lead_id, where, name, fields.get(name), want.get(name)))
        if meta is not None:
            meta_compared += 1
            spec = LAYOUTS[layout]
            for what, table in (("source", SOURCES), ("stage", STAGES)):
                value = row[spec[what]]
                expected = table.get(value)
                if expected is None:
                    problems.append("%s: the test knows no %s for %r" % (where, what, value))
                elif meta.get(what) != expected:
                    problems.append("lead %s (%s) %s: stored %r, expected %r (from %r)"
                                    % (lead_id, where, what, meta.get(what), expected, value))
    if require_all:
        missing = ["%s:%d" % (os.path.basename(p), r["_line"])
                   for key, (_, r, p) in people.items() if key not in seen]
        if missing:
            problems.append("%d people of the CSV files are not stored (%s%s)"
                            % (len(missing), ", ".join(missing[:20]),
                               "..." if len(missing) > 20 else ""))
    return problems, fields_compared, meta_compared


# ---- commands ----------------------------------------------------------------


def cmd_data(args):
    if len(args) != 1 or "/" in args[0]:
        die("usage: data NAME")
    source = os.path.join(DATA_DIR, args[0])
    if not os.path.isfile(source):
        die("no %s in %s" % (args[0], DATA_DIR))
    shutil.copyfile(source, args[0])


def cmd_sample_emails(args):
    if len(args) != 2 or not args[1].isdigit():
        die("usage: sample-emails CSV COUNT")
    layout, _, rows = read_csv(args[0])
    count = int(args[1])
    people, _ = first_occurrences(layout, rows)
    firsts = list(people.values())
    column = LAYOUTS[layout]["email"]

    def hard(pred, n):
        return [r for r in firsts if pred(r)][:n]

    def script(text, lo, hi):
        return any(lo <= ord(c) <= hi for c in text)

    names = lambda r: r["First Name"] + r["Last Name"]
    picked = []
    for group in (
            hard(lambda r: "\n" in r["Notes"], 3),
            hard(lambda r: '"' in r["Notes"], 2),
            hard(lambda r: "," in r["Notes"], 2),
            hard(lambda r: script(r["Notes"], 0x900, 0x97f), 2),
            hard(lambda r: script(names(r), 0x900, 0x97f), 2),
            hard(lambda r: script(names(r), 0x4e00, 0x9fff), 2),
            hard(lambda r: script(names(r), 0x600, 0x6ff), 1),
            hard(lambda r: '"' in r.get("Company", r.get("Company Name", "")), 1),
            hard(lambda r: r.get("Email 2", "") != "", 2),
            hard(lambda r: r.get("Phone 2", "") != "", 2),
            hard(lambda r: "'" in r["Last Name"], 1)):
        for r in group:
            if r not in picked:
                picked.append(r)
    step = max(1, len(firsts) // max(1, count))
    for r in firsts[::step]:
        if len(picked) >= count:
            break
        if r not in picked:
            picked.append(r)
    if len(picked) < count:
        die("only %d distinct people in %s" % (len(picked), args[0]), 1)
    sys.stdout.write("".join(r[column] + "\n" for r in picked[:count]))


def cmd_compare_leads(args):
    require_all = "--all" in args
    args = [a for a in args if a != "--all"]
    if len(args) < 2:
        die("usage: compare-leads FILE CSV... [--all]")
    leads = load_leads(args[0])
    problems, fields, meta = compare_leads(args[1:], leads, require_all)
    if problems:
        for p in problems[:50]:
            print("MISMATCH " + p)
        if len(problems) > 50:
            print("... %d differences in all" % len(problems))
        sys.exit(1)
    print("%d leads match: %d fields compared, source and stage of %d"
          % (len(leads), fields, meta))


def cmd_csv_dump(args):
    if len(args) != 1:
        die("usage: csv-dump FILE")
    with open(args[0], encoding="utf-8", newline="") as f:
        for cells in csv.reader(f):
            sys.stdout.write(json.dumps(cells, ensure_ascii=False) + "\n")


def export_rows(path):
    """The records of an export (CSV with the id column first)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0][:1] != ["id"]:
        die("%s: the header does not start with id" % path, 1)
    return rows


def cmd_csv_ids(args):
    if len(args) != 1:
        die("usage: csv-ids FILE")
    rows = export_rows(args[0])
    sys.stdout.write("".join(i + "\n" for i in sorted(r[0] for r in rows[1:])))


def cmd_csv_values(args):
    if len(args) not in (2, 3):
        die("usage: csv-values FILE COLUMN [WHERE=VALUE]")
    with open(args[0], encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    where = args[2].split("=", 1) if len(args) == 3 else None
    values = [r[args[1]] for r in rows if where is None or r[where[0]] == where[1]]
    sys.stdout.write("".join(v + "\n" for v in sorted(values)))


def cmd_csv_fields(args):
    if len(args) != 1:
        die("usage: csv-fields FILE")
    rows = export_rows(args[0])
    lines = [json.dumps(r[1:], ensure_ascii=False) for r in rows[1:]]
    sys.stdout.write(json.dumps(rows[0][1:]) + "\n" + "".join(l + "\n" for l in sorted(lines)))


def cmd_jsonl_ids(args):
    if len(args) != 1:
        die("usage: jsonl-ids FILE")
    with open(args[0], encoding="utf-8") as f:
        ids = [json.loads(line)["id"] for line in f if line.strip()]
    sys.stdout.write("".join(i + "\n" for i in sorted(ids)))


def cmd_jsonl_keys(args):
    if len(args) != 1:
        die("usage: jsonl-keys FILE")
    keys = set()
    with open(args[0], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                keys.update(json.loads(line).keys())
    sys.stdout.write(",".join(sorted(keys)) + "\n")


def cmd_jget(args):
    import lvtool
    if len(args) < 2:
        die("usage: jget FILE PATH...")
    doc = lvtool.load_json(None if args[0] == "-" else args[0])
    values = []
    for path in args[1:]:
        value = lvtool.walk(doc, path)
        values.append(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    sys.stdout.buffer.write((" ".join(values) + "\n").encode("utf-8", "surrogatepass"))


COMMANDS = {"jget": cmd_jget, "data": cmd_data, "sample-emails": cmd_sample_emails,
            "compare-leads": cmd_compare_leads, "csv-dump": cmd_csv_dump,
            "csv-ids": cmd_csv_ids, "csv-fields": cmd_csv_fields,
            "csv-values": cmd_csv_values, "jsonl-ids": cmd_jsonl_ids, "jsonl-keys": cmd_jsonl_keys}
