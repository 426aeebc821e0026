/* crm_map.c - unit tests of the CRM header and picklist mapping
 * (vault/crm_map.c). Links vault/lead.c, vault/lead_country.c and vault/error.c.
 *
 * The header rows and picklist values below are copied from the sample
 * exports in /work/shared/data and the value lists of genleads.py, so the
 * tests do not need those files at run time. */
/* cmocka.h needs these four before it, in this order. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <string.h>

#include "crm_map.h"
#include "error.h"
#include "lead.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define F(field) ((map_target)LV_FIELD_##field)

typedef struct header_case {
    const char *header;
    map_target target;
} header_case;

typedef struct value_case {
    const char *value;
    const char *expected;
} value_case;

/* ---- helpers ---------------------------------------------------------- */

static void expect_headers(const header_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        map_target got = crm_map_header(cases[i].header, strlen(cases[i].header));
        if (got != cases[i].target)
            print_error("header \"%s\": got %d, want %d\n", cases[i].header, (int)got,
                        (int)cases[i].target);
        assert_int_equal(got, cases[i].target);
    }
}

static void expect_sources(const value_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char out[32] = "";
        int known = crm_map_source(cases[i].value, strlen(cases[i].value), out);
        if (!known || strcmp(out, cases[i].expected) != 0)
            print_error("source \"%s\": got %d \"%s\", want \"%s\"\n", cases[i].value, known, out,
                        cases[i].expected);
        assert_int_equal(known, 1);
        assert_string_equal(out, cases[i].expected);
        assert_true(lead_source_valid(out));
    }
}

static void expect_stages(const value_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char out[16] = "";
        int known = crm_map_stage(cases[i].value, strlen(cases[i].value), out);
        if (!known || strcmp(out, cases[i].expected) != 0)
            print_error("stage \"%s\": got %d \"%s\", want \"%s\"\n", cases[i].value, known, out,
                        cases[i].expected);
        assert_int_equal(known, 1);
        assert_string_equal(out, cases[i].expected);
        assert_true(lead_stage_valid(out));
    }
}

static void expect_country(const char *value, const char *expected)
{
    char out[3] = "";
    int known = crm_map_country(value, strlen(value), out);
    if (!known || strcmp(out, expected) != 0)
        print_error("country \"%s\": got %d \"%s\", want \"%s\"\n", value, known, out, expected);
    assert_int_equal(known, 1);
    assert_string_equal(out, expected);
}

/* Expects every mapping to call value unknown, and to leave out alone. */
static void expect_unknown(const char *value, size_t len)
{
    char source[32] = "untouched";
    char stage[16] = "untouched";
    char country[3] = "ZZ";
    assert_int_equal(crm_map_header(value, len), MAP_UNKNOWN);
    assert_int_equal(crm_map_source(value, len, source), 0);
    assert_string_equal(source, "untouched");
    assert_int_equal(crm_map_stage(value, len, stage), 0);
    assert_string_equal(stage, "untouched");
    assert_int_equal(crm_map_signal(value, len), -1);
    assert_int_equal(crm_map_country(value, len, country), 0);
    assert_string_equal(country, "ZZ");
}

/* ---- headers ---------------------------------------------------------- */

static void test_datablist_headers(void **state)
{
    (void)state;
    static const header_case cases[] = {
        {"Index", MAP_UNKNOWN},        {"Account Id", MAP_UNKNOWN}, {"Lead Owner", MAP_OWNER},
        {"First Name", F(FIRST_NAME)}, {"Last Name", F(LAST_NAME)}, {"Company", F(COMPANY)},
        {"Phone 1", F(PHONE)},         {"Phone 2", F(PHONE2)},      {"Email 1", F(EMAIL)},
        {"Email 2", F(EMAIL2)},        {"Website", F(WEBSITE)},     {"Source", MAP_SOURCE},
        {"Deal Stage", MAP_STAGE},     {"Notes", F(NOTES)},
    };
    expect_headers(cases, COUNT(cases));
}

static void test_hubspot_headers(void **state)
{
    (void)state;
    static const header_case cases[] = {
        /* The sample export (leads-hubspot-200.csv). */
        {"First Name", F(FIRST_NAME)},
        {"Last Name", F(LAST_NAME)},
        {"Email", F(EMAIL)},
        {"Phone Number", F(PHONE)},
        {"Company Name", F(COMPANY)},
        {"Job Title", F(TITLE)},
        {"Lead Status", MAP_STAGE},
        {"Original Source", MAP_SOURCE},
        {"Marketing contact status", MAP_UNKNOWN},
        {"Notes", F(NOTES)},
        /* The rest of the layout in crm_map.h. */
        {"Mobile Phone Number", F(PHONE2)},
        {"Original Source Drill-Down 1", MAP_SOURCE_DETAIL},
        {"Street Address", MAP_ADDRESS_PART},
        {"City", MAP_ADDRESS_PART},
        {"State/Region", MAP_ADDRESS_PART},
        {"Postal Code", MAP_ADDRESS_PART},
        {"Country/Region", MAP_COUNTRY},
        {"Website URL", F(WEBSITE)},
        {"Contact owner", MAP_OWNER},
        {"Last Contacted", MAP_LAST_CONTACT},
    };
    expect_headers(cases, COUNT(cases));
}

static void test_salesforce_headers(void **state)
{
    (void)state;
    static const header_case cases[] = {
        {"First Name", F(FIRST_NAME)},
        {"Last Name", F(LAST_NAME)},
        {"Email", F(EMAIL)},
        {"Phone", F(PHONE)},
        {"Mobile", F(PHONE2)},
        {"Company", F(COMPANY)},
        {"Title", F(TITLE)},
        {"Website", F(WEBSITE)},
        {"Street", MAP_ADDRESS_PART},
        {"City", MAP_ADDRESS_PART},
        {"State/Province", MAP_ADDRESS_PART},
        {"Zip/Postal Code", MAP_ADDRESS_PART},
        {"Country", MAP_COUNTRY},
        {"Lead Source", MAP_SOURCE},
        {"Lead Status", MAP_STAGE},
        {"Description", F(NOTES)},
        {"Lead Owner", MAP_OWNER},
        {"Last Activity", MAP_LAST_CONTACT},
    };
    expect_headers(cases, COUNT(cases));
}

static void test_generic_headers(void **state)
{
    (void)state;
    static const header_case cases[] = {
        {"name", MAP_FULL_NAME},
        {"full name", MAP_FULL_NAME},
        {"e-mail", F(EMAIL)},
        {"email address", F(EMAIL)},
        {"secondary email", F(EMAIL2)},
        {"Other Email", F(EMAIL2)},
        {"telephone", F(PHONE)},
        {"tel", F(PHONE)},
        {"mobile", F(PHONE2)},
        {"cell", F(PHONE2)},
        {"Other Phone", F(PHONE2)},
        {"organization", F(COMPANY)},
        {"organisation", F(COMPANY)},
        {"account name", F(COMPANY)},
        {"job title", F(TITLE)},
        {"position", F(TITLE)},
        {"url", F(WEBSITE)},
        {"homepage", F(WEBSITE)},
        {"address", F(ADDRESS)},
        {"comments", F(NOTES)},
        {"comment", F(NOTES)},
        {"note", F(NOTES)},
        {"remarks", F(NOTES)},
        {"channel", MAP_SOURCE},
        {"campaign", MAP_SOURCE_DETAIL},
        {"stage", MAP_STAGE},
        {"status", MAP_STAGE},
        {"owner", MAP_OWNER},
        {"country code", MAP_COUNTRY},
        {"incentive", MAP_INCENTIVE},
        {"verified", MAP_VERIFIED},
        {"aware", MAP_AWARE},
        {"consent aware", MAP_AWARE},
        {"Secondary Email", F(EMAIL2)},
    };
    expect_headers(cases, COUNT(cases));
}

static void test_header_separators_and_case(void **state)
{
    (void)state;
    static const header_case cases[] = {
        {"EMAIL_1", F(EMAIL)},
        {" e-mail 1 ", F(EMAIL)},
        {"Email_1", F(EMAIL)},
        {"email 1", F(EMAIL)},
        {"E-mail 1", F(EMAIL)},
        {"e__mail--1", F(EMAIL)},
        {"E.Mail/1", F(EMAIL)},
        {"\tFirst-Name\r\n", F(FIRST_NAME)},
        {"FIRST_NAME", F(FIRST_NAME)},
        {"  LAST   NAME  ", F(LAST_NAME)},
        {"zip / postal code", MAP_ADDRESS_PART},
        {"ORIGINAL_SOURCE_DRILL_DOWN_1", MAP_SOURCE_DETAIL},
        {"_Notes_", F(NOTES)},
        /* Separators split words but never join them. */
        {"Phone1", MAP_UNKNOWN},
        {"Em ail", MAP_UNKNOWN},
        {"", MAP_UNKNOWN},
        {"  -_./ ", MAP_UNKNOWN},
    };
    expect_headers(cases, COUNT(cases));

    /* Only len bytes count: no NUL needed, none read past. */
    assert_int_equal(crm_map_header("Email 2 and more", 7), F(EMAIL2));
    assert_int_equal(crm_map_header("Email 2", 5), F(EMAIL));
    assert_int_equal(crm_map_header(NULL, 0), MAP_UNKNOWN);
    assert_int_equal(crm_map_header(NULL, 5), MAP_UNKNOWN);
}

/* ---- sources ---------------------------------------------------------- */

static void test_genleads_sources(void **state)
{
    (void)state;
    static const value_case cases[] = {
        {"Advertising", "advertising"},
        {"Trade Show", "trade_show"},
        {"Direct Mail", "direct_mail"},
        {"Third Party List", "third_party_list"},
        {"Webinar", "webinar"},
        {"E-book Download", "ebook"},
        {"Podcast", "podcast"},
        {"Social Media", "social_media"},
        {"Lead Magnet", "lead_magnet"},
        {"Networking Event", "networking"},
        {"Chamber of Commerce", "chamber_of_commerce"},
        {"Referral", "referral"},
        {"Local Media", "local_media"},
        {"Community Event", "community_event"},
        {"Website Form", "website_form"},
    };
    expect_sources(cases, COUNT(cases));
}

static void test_documented_sources(void **state)
{
    (void)state;
    static const value_case cases[] = {
        {"Web", "website_form"},
        {"Website", "website_form"},
        {"Web Form", "website_form"},
        {"Purchased List", "third_party_list"},
        {"List Import", "third_party_list"},
        {"Advertisement", "advertising"},
        {"Paid Search", "advertising"},
        {"Google AdWords", "advertising"},
        {"PAID_SEARCH", "advertising"},
        {"Partner Referral", "referral"},
        {"Employee Referral", "referral"},
        {"Ebook", "ebook"},
        {"Whitepaper", "ebook"},
        {"Networking", "networking"},
        {"SOCIAL_MEDIA", "social_media"},
        {"LinkedIn", "social_media"},
        {"Facebook", "social_media"},
        {"ORGANIC_SEARCH", "website_form"},
        {"Organic Search", "website_form"},
        {"Other", "other"},
    };
    expect_sources(cases, COUNT(cases));
}

static void test_salesforce_sources(void **state)
{
    (void)state;
    static const value_case cases[] = {
        {"Web", "website_form"},
        {"Phone Inquiry", "other"},
        {"Partner Referral", "referral"},
        {"Purchased List", "third_party_list"},
        {"Other", "other"},
        {"Advertisement", "advertising"},
        {"Employee Referral", "referral"},
        {"External Referral", "referral"},
        {"Partner", "referral"},
        {"Public Relations", "local_media"},
        {"Seminar - Internal", "community_event"},
        {"Seminar - Partner", "community_event"},
        {"Trade Show", "trade_show"},
        {"Word of mouth", "referral"},
    };
    expect_sources(cases, COUNT(cases));
}

static void test_hubspot_sources(void **state)
{
    (void)state;
    static const value_case cases[] = {
        {"ORGANIC_SEARCH", "website_form"}, {"PAID_SEARCH", "advertising"},
        {"EMAIL_MARKETING", "other"},       {"SOCIAL_MEDIA", "social_media"},
        {"REFERRALS", "referral"},          {"OTHER_CAMPAIGNS", "other"},
        {"DIRECT_TRAFFIC", "website_form"}, {"OFFLINE", "other"},
        {"PAID_SOCIAL", "advertising"},     {"AI_REFERRALS", "website_form"},
        {"Organic Search", "website_form"}, {"Paid Search", "advertising"},
        {"Email Marketing", "other"},       {"Organic Social", "social_media"},
        {"Referrals", "referral"},          {"Other Campaigns", "other"},
        {"Direct Traffic", "website_form"}, {"Offline Sources", "other"},
        {"Paid Social", "advertising"},     {"AI Referrals", "website_form"},
    };
    expect_sources(cases, COUNT(cases));
}

static void test_names_map_to_themselves(void **state)
{
    (void)state;
    const char *const *sources = lv_source_names();
    for (size_t i = 0; sources[i] != NULL; i++) {
        value_case one = {sources[i], sources[i]};
        expect_sources(&one, 1);
    }
    const char *const *stages = lv_stage_names();
    for (size_t i = 0; stages[i] != NULL; i++) {
        value_case one = {stages[i], stages[i]};
        expect_stages(&one, 1);
    }
}

/* ---- stages ----------------------------------------------------------- */

static void test_genleads_stages(void **state)
{
    (void)state;
    static const value_case stage_list[] = {
        {"New", "new"},
        {"Contacted", "contacted"},
        {"Qualified", "qualified"},
        {"Unqualified", "unqualified"},
        {"Nurturing", "nurturing"},
        {"Converted", "converted"},
        {"Lost", "lost"},
    };
    static const value_case hubspot_status[] = {
        {"New", "new"},
        {"Open", "new"},
        {"In progress", "contacted"},
        {"Open deal", "qualified"},
        {"Unqualified", "unqualified"},
        {"Attempted to contact", "contacted"},
        {"Connected", "contacted"},
    };
    expect_stages(stage_list, COUNT(stage_list));
    expect_stages(hubspot_status, COUNT(hubspot_status));
}

static void test_documented_stages(void **state)
{
    (void)state;
    static const value_case cases[] = {
        {"Open - Not Contacted", "new"},
        {"Working - Contacted", "contacted"},
        {"Closed - Converted", "converted"},
        {"Closed - Not Converted", "lost"},
        {"Bad timing", "nurturing"},
        {"Nurture", "nurturing"},
        {"Won", "converted"},
        {"Closed Won", "converted"},
        {"Closed Lost", "lost"},
        {"Disqualified", "unqualified"},
        {"OPEN_DEAL", "qualified"},
        {"open-not-contacted", "new"},
    };
    expect_stages(cases, COUNT(cases));
}

/* ---- unknown values --------------------------------------------------- */

static void test_unknown_values(void **state)
{
    (void)state;
    static const char *const values[] = {
        "Carrier pigeon", "\xe5\xb1\x95\xe7\xa4\xba\xe4\xbc\x9a", /* 展示会, trade show */
        "Narnia",         "Web\302\240Form", /* NO-BREAK SPACE is not a separator */
        "\xff\xfe",       "Referral!",
    };
    for (size_t i = 0; i < COUNT(values); i++)
        expect_unknown(values[i], strlen(values[i]));

    /* A NUL inside the given length never matches. */
    expect_unknown("web\0", 4);
    expect_unknown("\0web", 4);

    char long_value[500];
    memset(long_value, 'a', sizeof long_value);
    expect_unknown(long_value, sizeof long_value);

    /* 128 bytes is the longest value looked up; 129 is unknown. */
    char edge[129];
    memset(edge, ' ', sizeof edge);
    memcpy(edge + 125, "web", 3);
    char out[32] = "";
    assert_int_equal(crm_map_source(edge, 128, out), 1);
    assert_string_equal(out, "website_form");
    memcpy(edge + 126, "web", 3);
    assert_int_equal(crm_map_source(edge, 129, out), 0);

    char stage[16];
    assert_int_equal(crm_map_source("", 0, out), 0);
    assert_int_equal(crm_map_stage(" - ", 3, stage), 0);
    assert_int_equal(crm_map_source(NULL, 3, out), 0);
    assert_int_equal(crm_map_stage(NULL, 0, stage), 0);
}

/* ---- signals ---------------------------------------------------------- */

static void test_signals(void **state)
{
    (void)state;
    static const char *const yes[] = {"yes",  "YES",  "Yes", " y ", "Y",
                                      "true", "TRUE", "1",   "x",   "X"};
    static const char *const no[] = {"no", "NO", "n", "N", "false", "False", "0", " no\t"};
    for (size_t i = 0; i < COUNT(yes); i++)
        assert_int_equal(crm_map_signal(yes[i], strlen(yes[i])), LV_SIGNAL_YES);
    for (size_t i = 0; i < COUNT(no); i++)
        assert_int_equal(crm_map_signal(no[i], strlen(no[i])), LV_SIGNAL_NO);
    assert_int_equal(crm_map_signal("", 0), LV_SIGNAL_UNSET);
    assert_int_equal(crm_map_signal("   ", 3), LV_SIGNAL_UNSET);
    assert_int_equal(crm_map_signal("unknown", 7), LV_SIGNAL_UNKNOWN);
    assert_int_equal(crm_map_signal("Unknown", 7), LV_SIGNAL_UNKNOWN);
    assert_int_equal(crm_map_signal("yes please", 3), LV_SIGNAL_YES);

    static const char *const other[] = {
        "maybe", "2", "yess", "oui", "t", "nope", "1.0", "\xe3\x81\xaf\xe3\x81\x84" /* はい */};
    for (size_t i = 0; i < COUNT(other); i++)
        assert_int_equal(crm_map_signal(other[i], strlen(other[i])), -1);
    assert_int_equal(crm_map_signal(NULL, 0), -1);
}

/* ---- countries -------------------------------------------------------- */

static void test_countries(void **state)
{
    (void)state;
    expect_country("IN", "IN");
    expect_country("in", "IN");
    expect_country(" de ", "DE");
    expect_country("us", "US");
    expect_country("GB", "GB");
    expect_country("india", "IN");
    expect_country("India", "IN");
    expect_country("United States", "US");
    expect_country("united_states_of_america", "US");
    expect_country("USA", "US");
    expect_country("U.S.", "US");
    expect_country("U.S.A.", "US");
    expect_country("UK", "GB");
    expect_country("United Kingdom", "GB");
    expect_country("Great Britain", "GB");
    expect_country("England", "GB");
    expect_country("Germany", "DE");
    expect_country("Deutschland", "DE");
    expect_country("Japan", "JP");
    expect_country("Netherlands", "NL");
    expect_country("Czech Republic", "CZ");
    expect_country("South Korea", "KR");
    expect_country("Cote d'Ivoire", "CI");
    expect_country("United Arab Emirates", "AE");

    char out[3] = "ZZ";
    err_clear();
    assert_int_equal(crm_map_country("Narnia", 6, out), 0);
    assert_int_equal(crm_map_country("XX", 2, out), 0);
    /* The refused two-letter code leaves no message behind. */
    assert_string_equal(lv_error_last(), "");
    assert_int_equal(crm_map_country("12", 2, out), 0);
    assert_int_equal(crm_map_country("X", 1, out), 0);
    assert_int_equal(crm_map_country("", 0, out), 0);
    assert_int_equal(crm_map_country("U K X", 5, out), 0);
    assert_int_equal(crm_map_country(NULL, 2, out), 0);
    assert_string_equal(out, "ZZ");
    assert_string_equal(lv_error_last(), "");
}

/* ---- API field names and consent columns (issue 18) ------------------ */

static void test_api_field_names(void **state)
{
    (void)state;
    /* Salesforce Data Loader writes API names, often in upper case. */
    static const header_case cases[] = {
        {"LeadSource", MAP_SOURCE},
        {"LEADSOURCE", MAP_SOURCE},
        {"FirstName", F(FIRST_NAME)},
        {"LASTNAME", F(LAST_NAME)},
        {"MobilePhone", F(PHONE2)},
        {"PostalCode", MAP_ADDRESS_PART},
        {"OwnerId", MAP_OWNER},
        {"Owner.Name", MAP_OWNER},
        {"LastActivityDate", MAP_LAST_CONTACT},
        {"Status", MAP_STAGE},
        {"firstname", F(FIRST_NAME)},
        {"jobtitle", F(TITLE)},
        {"hs_lead_status", MAP_STAGE},
        {"lifecyclestage", MAP_LIFECYCLE},
        {"Lifecycle Stage", MAP_LIFECYCLE},
        {"hs_analytics_source", MAP_SOURCE},
        {"hubspot_owner_id", MAP_OWNER},
        {"notes_last_contacted", MAP_LAST_CONTACT},
        /* consent columns are not fields: only --consent-column reads them */
        {"HasOptedOutOfEmail", MAP_UNKNOWN},
        {"Marketing contact status", MAP_UNKNOWN},
    };
    expect_headers(cases, COUNT(cases));
    char stage[16];
    assert_int_equal(crm_map_stage("marketingqualifiedlead", 22, stage), 1);
    assert_string_equal(stage, "qualified");
    assert_int_equal(crm_map_stage("customer", 8, stage), 1);
    assert_string_equal(stage, "converted");
}

typedef struct consent_case {
    const char *header;
    const char *value;
    consent_value expected;
} consent_case;

static void test_consent_values(void **state)
{
    (void)state;
    static const consent_case cases[] = {
        /* HubSpot: the status grants; its absence says nothing */
        {"Marketing contact status", "Marketing contact", CONSENT_VALUE_GRANTED},
        {"Marketing contact status", "Non-marketing contact", CONSENT_VALUE_NONE},
        {"hs_marketable_status", "true", CONSENT_VALUE_GRANTED},
        {"hs_marketable_status", "false", CONSENT_VALUE_NONE},
        /* Salesforce / Zoho opt-out flags: true withdraws, false is no consent */
        {"HasOptedOutOfEmail", "true", CONSENT_VALUE_WITHDRAWN},
        {"HasOptedOutOfEmail", "1", CONSENT_VALUE_WITHDRAWN},
        {"HASOPTEDOUTOFEMAIL", "false", CONSENT_VALUE_NONE},
        {"HasOptedOutOfEmail", "0", CONSENT_VALUE_NONE},
        {"Email Opt Out", "TRUE", CONSENT_VALUE_WITHDRAWN},
        {"Email_Opt_Out", "false", CONSENT_VALUE_NONE},
        {"Email Opt Out", "", CONSENT_VALUE_NONE},
        {"Email Opt Out", "maybe", CONSENT_VALUE_UNKNOWN},
        /* generic: words only; yes / true mean nothing without a convention */
        {"Newsletter", "Opted in", CONSENT_VALUE_GRANTED},
        {"Newsletter", "opt-out", CONSENT_VALUE_WITHDRAWN},
        {"Newsletter", "yes", CONSENT_VALUE_UNKNOWN},
        {"Newsletter", "false", CONSENT_VALUE_UNKNOWN},
        {"Newsletter", "", CONSENT_VALUE_NONE},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        consent_convention c = crm_consent_convention(cases[i].header, strlen(cases[i].header));
        consent_value got = crm_consent_value(c, cases[i].value, strlen(cases[i].value));
        if (got != cases[i].expected)
            print_error("\"%s\" = \"%s\": got %d, want %d\n", cases[i].header, cases[i].value,
                        (int)got, (int)cases[i].expected);
        assert_int_equal(got, cases[i].expected);
    }
    assert_true(crm_map_same("Non-Marketing  Contact", 22, "non marketing contact", 21));
    assert_false(crm_map_same("false", 5, "true", 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_datablist_headers),
        cmocka_unit_test(test_hubspot_headers),
        cmocka_unit_test(test_salesforce_headers),
        cmocka_unit_test(test_generic_headers),
        cmocka_unit_test(test_header_separators_and_case),
        cmocka_unit_test(test_genleads_sources),
        cmocka_unit_test(test_documented_sources),
        cmocka_unit_test(test_salesforce_sources),
        cmocka_unit_test(test_hubspot_sources),
        cmocka_unit_test(test_names_map_to_themselves),
        cmocka_unit_test(test_genleads_stages),
        cmocka_unit_test(test_documented_stages),
        cmocka_unit_test(test_unknown_values),
        cmocka_unit_test(test_signals),
        cmocka_unit_test(test_countries),
        cmocka_unit_test(test_api_field_names),
        cmocka_unit_test(test_consent_values),
    };
    return cmocka_run_group_tests_name("crm_map", tests, NULL, NULL);
}
