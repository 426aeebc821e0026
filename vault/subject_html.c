/* subject_html.c - a subject export as one HTML page that can be sent to
 * the person as is: every text escaped, values in their own direction
 * (dir="auto", so Arabic reads right to left), a font stack that covers
 * Latin, Devanagari, CJK and Arabic, and a Content-Security-Policy that
 * forbids scripts and every external load. */
#include <string.h>

#include "error.h"
#include "subject_html.h"

typedef struct page {
    lv_write_fn fn;
    void *ctx;
    int failed;
} page;

static void put(page *p, const char *text, size_t len)
{
    if (!p->failed && len > 0 && p->fn(p->ctx, text, len) != 0)
        p->failed = 1;
}

static void raw(page *p, const char *text)
{
    put(p, text, strlen(text));
}

/* Text as HTML: & < > " ' become references; the rest is UTF-8 as is. */
static void text(page *p, const char *s)
{
    const char *run = s != NULL ? s : "";
    const char *at = run;
    for (; *at != '\0'; at++) {
        const char *ref = *at == '&'    ? "&amp;"
                          : *at == '<'  ? "&lt;"
                          : *at == '>'  ? "&gt;"
                          : *at == '"'  ? "&quot;"
                          : *at == '\'' ? "&#39;"
                                        : NULL;
        if (ref == NULL)
            continue;
        put(p, run, (size_t)(at - run));
        raw(p, ref);
        run = at + 1;
    }
    put(p, run, (size_t)(at - run));
}

/* A JSON scalar as text: a string, a number, yes / no, else a dash. */
static void scalar(page *p, const json_t *v)
{
    char number[32];
    if (json_is_string(v))
        text(p, json_string_value(v));
    else if (json_is_integer(v)) {
        (void)snprintf(number, sizeof number, "%lld", (long long)json_integer_value(v));
        raw(p, number);
    } else if (json_is_boolean(v))
        raw(p, json_is_true(v) ? "yes" : "no");
    else
        raw(p, "&mdash;");
}

/* A scalar, or a list of scalars joined with commas. */
static void value(page *p, const json_t *v)
{
    if (!json_is_array(v)) {
        scalar(p, v);
        return;
    }
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        raw(p, i ? ", " : "");
        scalar(p, item);
    }
}

static const char *const labels[][2] = {
    {"first_name", "First name"},
    {"last_name", "Last name"},
    {"email", "Email"},
    {"phone", "Phone"},
    {"company", "Company"},
    {"title", "Job title"},
    {"website", "Website"},
    {"address", "Address"},
    {"notes", "Notes"},
    {"email2", "Second email"},
    {"phone2", "Second phone"},
    {"source", "Channel"},
    {"source_detail", "Channel detail"},
    {"stage", "Stage"},
    {"owner", "Responsible user"},
    {"country", "Country"},
    {"incentive", "Incentive given"},
    {"verified", "Data verified"},
    {"aware", "Aware of sales contact"},
    {"quality", "Rating"},
    {"created", "Collected"},
    {"updated", "Last changed"},
    {"last_contact", "Last contact"},
    {"channel", "Channel"},
    {"detail", "Channel detail"},
    {"entered", "How it was entered"},
    {"collected", "Collected on"},
    {"by", "By"},
};

static const char *label(const char *key)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        if (strcmp(labels[i][0], key) == 0)
            return labels[i][1];
    }
    return key;
}

/* A two-column table of an object's members. */
static void pairs(page *p, const json_t *object)
{
    const char *key;
    json_t *v;
    raw(p, "<table>\n");
    json_object_foreach((json_t *)object, key, v)
    {
        raw(p, "<tr><th scope=\"row\">");
        text(p, label(key));
        raw(p, "</th><td dir=\"auto\">");
        value(p, v);
        raw(p, "</td></tr>\n");
    }
    raw(p, "</table>\n");
}

/* A table of a list of objects, with the given members as columns. */
static void rows(page *p, const json_t *list, const char *const *keys, const char *const *heads,
                 const char *empty)
{
    if (json_array_size(list) == 0) {
        raw(p, "<p class=\"none\">");
        text(p, empty);
        raw(p, "</p>\n");
        return;
    }
    raw(p, "<table>\n<tr>");
    for (size_t k = 0; keys[k] != NULL; k++) {
        raw(p, "<th scope=\"col\">");
        text(p, heads[k]);
        raw(p, "</th>");
    }
    raw(p, "</tr>\n");
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        raw(p, "<tr>");
        for (size_t k = 0; keys[k] != NULL; k++) {
            raw(p, "<td dir=\"auto\">");
            value(p, json_object_get(item, keys[k]));
            raw(p, "</td>");
        }
        raw(p, "</tr>\n");
    }
    raw(p, "</table>\n");
}

static void section(page *p, const char *id, const char *heading, const char *intro)
{
    raw(p, "<section class=\"");
    raw(p, id);
    raw(p, "\">\n<h3>");
    text(p, heading);
    raw(p, "</h3>\n");
    if (intro != NULL) {
        raw(p, "<p>");
        text(p, intro);
        raw(p, "</p>\n");
    }
}

static void lead_page(page *p, const json_t *lead)
{
    raw(p, "<article class=\"lead\" id=\"lead-");
    text(p, json_string_value(json_object_get(lead, "id")));
    raw(p, "\">\n<h2>Record ");
    text(p, json_string_value(json_object_get(lead, "id")));
    raw(p, "</h2>\n");

    section(p, "data", "The personal data we hold (Art. 15(1) and (3))", NULL);
    const json_t *fields = json_object_get(lead, "fields");
    if (json_object_size(fields) == 0)
        raw(p, "<p class=\"none\">No personal data fields.</p>\n");
    else
        pairs(p, fields);
    raw(p, "<h4>About the record</h4>\n");
    pairs(p, json_object_get(lead, "metadata"));
    raw(p, "</section>\n");

    section(p, "source", "Where the data came from (Art. 14(2)(f), Art. 15(1)(g))", NULL);
    pairs(p, json_object_get(lead, "source"));
    raw(p, "</section>\n");

    static const char *const pk[] = {"purpose", "legal_basis", "fields", "your_consent", NULL};
    static const char *const ph[] = {"Purpose", "Legal basis", "Data used", "Your consent", NULL};
    section(p, "purposes", "Purposes and their legal bases (Art. 15(1)(a) and (b), Art. 6)",
            "The purposes for which the data may be used, the legal basis of each, the data it "
            "may use and, where it rests on consent, the state of your consent.");
    rows(p, json_object_get(lead, "purposes"), pk, ph, "No purposes are defined.");
    raw(p, "</section>\n");

    static const char *const rk[] = {"recipient", "time", "by", "purpose", "fields", NULL};
    static const char *const rh[] = {"Recipient", "When", "By", "Purpose", "Data", NULL};
    section(p, "recipients", "Recipients (Art. 15(1)(c))",
            "Each time the data left this system in an export.");
    rows(p, json_object_get(lead, "recipients"), rk, rh,
         "The data has not been disclosed to any recipient.");
    raw(p, "</section>\n");

    static const char *const tk[] = {"rule", "erased", "stage", "source", NULL};
    static const char *const th[] = {"Rule", "Erased", "For stage", "For channel", NULL};
    const json_t *retention = json_object_get(lead, "retention");
    section(p, "retention", "How long the data is kept (Art. 15(1)(d))", NULL);
    rows(p, json_object_get(retention, "rules"), tk, th,
         "No retention rule applies: the data is kept until you ask for its erasure or it is "
         "no longer needed.");
    if (json_is_true(json_object_get(retention, "legal_hold")))
        raw(p, "<p>The record is under a legal hold: it is kept, and not erased, while the "
               "hold lasts.</p>\n");
    raw(p, "</section>\n");

    static const char *const ck[] = {"purpose",           "state", "time", "expires", "evidence",
                                     "withdrawal_reason", NULL};
    static const char *const ch[] = {"Purpose",  "State",  "When", "Expires",
                                     "Evidence", "Reason", NULL};
    section(p, "consent", "Consent history", NULL);
    rows(p, json_object_get(lead, "consent"), ck, ch, "No consent was recorded.");
    raw(p, "</section>\n");

    static const char *const ak[] = {"time",    "by",     "role",    "action",
                                     "purpose", "fields", "outcome", NULL};
    static const char *const ah[] = {"When",    "By",   "Role",    "Action",
                                     "Purpose", "Data", "Outcome", NULL};
    section(p, "access", "Every access to the record", NULL);
    rows(p, json_object_get(lead, "access"), ak, ah, "No access was recorded.");
    raw(p, "</section>\n");

    section(p, "rights", "Your rights (Art. 15(1)(e) and (f))", NULL);
    raw(p, "<ul>\n");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(lead, "rights"), i, r)
    {
        raw(p, "<li><strong>");
        text(p, json_string_value(json_object_get(r, "article")));
        raw(p, "</strong> ");
        text(p, json_string_value(json_object_get(r, "text")));
        raw(p, "</li>\n");
    }
    raw(p, "</ul>\n</section>\n</article>\n");
}

int subject_html_write(const json_t *doc, lv_write_fn fn, void *ctx)
{
    page p = {fn, ctx, 0};
    raw(&p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'none'; img-src 'none'; font-src 'none'; "
            "connect-src 'none'; base-uri 'none'; form-action 'none'\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n<title>Your personal data, "
            "request ");
    text(&p, json_string_value(json_object_get(doc, "request")));
    raw(&p, "</title>\n<style>\n"
            "body { font-family: system-ui, \"Segoe UI\", \"Noto Sans\", \"DejaVu Sans\", "
            "\"Noto Sans Devanagari\", \"Lohit Devanagari\", \"Nirmala UI\", \"Mangal\", "
            "\"Noto Sans CJK SC\", \"Noto Sans CJK JP\", \"WenQuanYi Micro Hei\", "
            "\"Microsoft YaHei\", \"PingFang SC\", \"Hiragino Sans\", \"Noto Sans Arabic\", "
            "\"Noto Naskh Arabic\", \"Geeza Pro\", \"Arial\", sans-serif; margin: 2em auto; "
            "max-width: 60em; padding: 0 1em; color: #111; line-height: 1.5; }\n"
            "table { border-collapse: collapse; margin: 0.5em 0 1em; width: 100%; }\n"
            "th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; vertical-align: top; "
            "text-align: start; }\n"
            "th[scope=row] { width: 14em; background: #f3f3f3; }\n"
            "td { white-space: pre-wrap; unicode-bidi: plaintext; }\n"
            ".none { color: #555; font-style: italic; }\n"
            "article { border-top: 3px solid #333; margin-top: 2em; }\n"
            "</style>\n</head>\n<body>\n<header>\n<h1>Your personal data</h1>\n<p>This page "
            "answers your request ");
    text(&p, json_string_value(json_object_get(doc, "request")));
    raw(&p, " under Articles 15 and 20 of the General Data Protection Regulation. It was "
            "made on ");
    text(&p, json_string_value(json_object_get(doc, "generated")));
    raw(&p, " and lists every record we hold on you.</p>\n</header>\n<main>\n");
    size_t i;
    json_t *lead;
    json_array_foreach(json_object_get(doc, "leads"), i, lead)
    {
        lead_page(&p, lead);
    }
    raw(&p, "</main>\n</body>\n</html>\n");
    return p.failed ? err_set(LV_ERROR, "cannot write the export") : 0;
}
