/* crm_map.c - map the headers and picklist values of CRM exports onto
 * leadvault's fields, channels, stages, signals and countries.
 *
 * Every lookup first reduces its input to a key (see make_key) and then
 * searches a table sorted by strcmp order, so a new alias is one line in the
 * right place. No allocation: keys live in a fixed stack buffer. */
#include <stdlib.h>
#include <string.h>

#include "crm_map.h"
#include "error.h"
#include "lead.h"
#include "lead_country.h"

/* Longer input is never a header or picklist value we know: it is refused
 * before any work, which also bounds the key buffer. */
#define KEY_MAX 128

#define F(field) ((map_target)LV_FIELD_##field)

typedef struct header_entry {
    const char *key; /* cppcheck-suppress unusedStructMember ; read through bsearch's comparator */
    map_target target;
} header_entry;

typedef struct name_entry {
    const char *key; /* cppcheck-suppress unusedStructMember ; read through bsearch's comparator */
    const char *name; /* channel, stage or alpha-2 code */
} name_entry;

/* ---- tables (keys in make_key form, sorted by strcmp) ------------------ */

/* Headers not listed are MAP_UNKNOWN on purpose, e.g. datablist's "Index"
 * and "Account Id" (identifiers of another system) and HubSpot's
 * "Marketing contact status" (a billing flag, not a lead property: only
 * --consent-column reads it, see crm_consent_convention). */
static const header_entry header_table[] = {
    {"account name", F(COMPANY)}, /* Salesforce / Zoho name of the company */
    {"address", F(ADDRESS)},      /* whole address; street, city... are parts */
    {"address 1", MAP_ADDRESS_PART},
    {"address 2", MAP_ADDRESS_PART},
    {"address line 1", MAP_ADDRESS_PART},
    {"address line 2", MAP_ADDRESS_PART},
    {"alternate email", F(EMAIL2)},
    {"aware", MAP_AWARE},
    {"campaign", MAP_SOURCE_DETAIL},
    {"campaign name", MAP_SOURCE_DETAIL},
    {"cell", F(PHONE2)},
    {"cell phone", F(PHONE2)},
    {"channel", MAP_SOURCE},
    {"city", MAP_ADDRESS_PART},
    {"comment", F(NOTES)},
    {"comments", F(NOTES)},
    {"company", F(COMPANY)},
    {"company name", F(COMPANY)},
    {"consent aware", MAP_AWARE},
    {"contact name", MAP_FULL_NAME},
    {"contact owner", MAP_OWNER},
    {"country", MAP_COUNTRY},
    {"country code", MAP_COUNTRY},
    {"country region", MAP_COUNTRY},
    {"deal stage", MAP_STAGE},
    {"description", F(NOTES)}, /* Salesforce's free-text field */
    {"designation", F(TITLE)}, /* the usual word for job title in Indian exports */
    {"e mail", F(EMAIL)},
    {"e mail 1", F(EMAIL)},
    {"e mail 2", F(EMAIL2)},
    {"e mail address", F(EMAIL)},
    {"email", F(EMAIL)},
    {"email 1", F(EMAIL)},
    {"email 2", F(EMAIL2)},
    {"email address", F(EMAIL)},
    {"family name", F(LAST_NAME)},
    {"first name", F(FIRST_NAME)},
    {"firstname", F(FIRST_NAME)},
    {"full name", MAP_FULL_NAME},
    {"given name", F(FIRST_NAME)},
    {"homepage", F(WEBSITE)},
    {"hs analytics source", MAP_SOURCE}, /* HubSpot internal name of Original Source */
    {"hs analytics source data 1", MAP_SOURCE_DETAIL},
    {"hs lead status", MAP_STAGE}, /* HubSpot internal name of Lead Status */
    {"hubspot owner id", MAP_OWNER},
    {"incentive", MAP_INCENTIVE},
    {"job title", F(TITLE)},
    {"jobtitle", F(TITLE)},              /* HubSpot internal name */
    {"last activity", MAP_LAST_CONTACT}, /* Salesforce: the closest it has to a last contact */
    {"last activity date", MAP_LAST_CONTACT},
    {"last contact", MAP_LAST_CONTACT},
    {"last contact date", MAP_LAST_CONTACT},
    {"last contacted", MAP_LAST_CONTACT},
    {"last name", F(LAST_NAME)},
    {"lastactivitydate", MAP_LAST_CONTACT}, /* Salesforce API name */
    {"lastname", F(LAST_NAME)},
    {"lead name", MAP_FULL_NAME},
    {"lead owner", MAP_OWNER},
    {"lead source", MAP_SOURCE},
    {"lead source detail", MAP_SOURCE_DETAIL},
    {"lead stage", MAP_STAGE},
    {"lead status", MAP_STAGE},
    {"leadsource", MAP_SOURCE}, /* Salesforce API name (Data Loader exports) */
    {"lifecycle stage", MAP_LIFECYCLE},
    {"lifecyclestage", MAP_LIFECYCLE}, /* HubSpot internal name */
    {"mobile", F(PHONE2)},
    {"mobile number", F(PHONE2)},
    {"mobile phone", F(PHONE2)},
    {"mobile phone number", F(PHONE2)},
    {"mobilephone", F(PHONE2)}, /* Salesforce and HubSpot API name */
    {"name", MAP_FULL_NAME},
    {"note", F(NOTES)},
    {"notes", F(NOTES)},
    {"notes last contacted", MAP_LAST_CONTACT}, /* HubSpot internal name of Last Contacted */
    {"organisation", F(COMPANY)},
    {"organization", F(COMPANY)},
    {"original source", MAP_SOURCE},
    {"original source drill down 1", MAP_SOURCE_DETAIL},
    {"other email", F(EMAIL2)},
    {"other phone", F(PHONE2)},
    {"owner", MAP_OWNER},
    {"owner name", MAP_OWNER}, /* Salesforce Data Loader: Owner.Name */
    {"ownerid", MAP_OWNER}, /* Salesforce API name: a user id, --map-owner turns it into a user */
    {"phone", F(PHONE)},
    {"phone 1", F(PHONE)},
    {"phone 2", F(PHONE2)},
    {"phone number", F(PHONE)},
    {"position", F(TITLE)},
    {"postal code", MAP_ADDRESS_PART},
    {"postalcode", MAP_ADDRESS_PART}, /* Salesforce API name */
    {"postcode", MAP_ADDRESS_PART},
    {"primary email", F(EMAIL)},
    {"primary phone", F(PHONE)},
    {"province", MAP_ADDRESS_PART},
    {"remarks", F(NOTES)},
    {"secondary email", F(EMAIL2)},
    {"secondary phone", F(PHONE2)},
    {"source", MAP_SOURCE},
    {"source detail", MAP_SOURCE_DETAIL},
    {"stage", MAP_STAGE},
    {"state", MAP_ADDRESS_PART},
    {"state province", MAP_ADDRESS_PART},
    {"state region", MAP_ADDRESS_PART},
    {"status", MAP_STAGE},
    {"street", MAP_ADDRESS_PART},
    {"street address", MAP_ADDRESS_PART},
    {"surname", F(LAST_NAME)},
    {"tel", F(PHONE)},
    {"telephone", F(PHONE)},
    {"telephone number", F(PHONE)},
    {"title", F(TITLE)},
    {"url", F(WEBSITE)},
    {"verified", MAP_VERIFIED},
    {"web site", F(WEBSITE)},
    {"website", F(WEBSITE)},
    {"website url", F(WEBSITE)},
    {"zip", MAP_ADDRESS_PART},
    {"zip code", MAP_ADDRESS_PART},
    {"zip postal code", MAP_ADDRESS_PART},
};

static const name_entry source_table[] = {
    {"advertisement", "advertising"},
    {"advertising", "advertising"},
    {"adwords", "advertising"},
    {"ai referrals", "website_form"}, /* HubSpot: AI assistant traffic, like search */
    {"chamber of commerce", "chamber_of_commerce"},
    {"community event", "community_event"},
    {"direct mail", "direct_mail"},
    {"direct traffic", "website_form"}, /* HubSpot: came straight to the site */
    {"e book", "ebook"},
    {"e book download", "ebook"},
    {"ebook", "ebook"},
    {"ebook download", "ebook"},
    {"email marketing", "other"}, /* HubSpot; direct_mail is postal */
    {"employee referral", "referral"},
    {"external referral", "referral"},
    {"facebook", "social_media"},
    {"google ads", "advertising"},
    {"google adwords", "advertising"},
    {"instagram", "social_media"},
    {"lead magnet", "lead_magnet"},
    {"linkedin", "social_media"},
    {"list import", "third_party_list"},
    {"local media", "local_media"},
    {"networking", "networking"},
    {"networking event", "networking"},
    {"offline", "other"},               /* HubSpot: imports, origin unknown */
    {"offline sources", "other"},       /* HubSpot display form of OFFLINE */
    {"organic search", "website_form"}, /* HubSpot: search, then a site form */
    {"organic social", "social_media"},
    {"other", "other"},
    {"other campaigns", "other"}, /* HubSpot: none of its buckets */
    {"paid search", "advertising"},
    {"paid social", "advertising"}, /* paid, though on social networks */
    {"partner", "referral"},        /* Salesforce: passed on by a partner */
    {"partner referral", "referral"},
    {"phone inquiry", "other"}, /* Salesforce: no phone channel exists */
    {"podcast", "podcast"},
    {"public relations", "local_media"}, /* Salesforce: press coverage */
    {"purchased list", "third_party_list"},
    {"referral", "referral"},
    {"referrals", "referral"},               /* HubSpot: links from other sites */
    {"seminar", "community_event"},          /* an in-person event */
    {"seminar internal", "community_event"}, /* Salesforce: our own seminar */
    {"seminar partner", "community_event"},  /* Salesforce: a partner's seminar */
    {"social media", "social_media"},
    {"third party list", "third_party_list"},
    {"trade show", "trade_show"},
    {"tradeshow", "trade_show"},
    {"twitter", "social_media"},
    {"web", "website_form"},
    {"web form", "website_form"},
    {"webinar", "webinar"},
    {"website", "website_form"},
    {"website form", "website_form"},
    {"white paper", "ebook"},      /* gated content like an e-book */
    {"whitepaper", "ebook"},       /* gated content like an e-book */
    {"word of mouth", "referral"}, /* a personal recommendation */
};

static const name_entry stage_table[] = {
    {"attempted to contact", "contacted"},
    {"bad timing", "nurturing"},
    {"closed converted", "converted"},
    {"closed lost", "lost"},
    {"closed not converted", "lost"},
    {"closed won", "converted"},
    {"connected", "contacted"},
    {"contact in future", "nurturing"}, /* Zoho: not now, follow up later */
    {"contacted", "contacted"},
    {"converted", "converted"},
    {"customer", "converted"},
    {"disqualified", "unqualified"},
    {"evangelist", "converted"},
    {"in progress", "contacted"},
    {"junk lead", "unqualified"}, /* Zoho */
    {"lead", "new"},
    {"lost", "lost"},
    {"lost lead", "lost"}, /* Zoho */
    {"marketing qualified lead", "qualified"},
    {"marketingqualifiedlead", "qualified"}, /* internal name */
    {"new", "new"},
    {"not contacted", "new"},         /* Zoho */
    {"not qualified", "unqualified"}, /* Zoho */
    {"nurture", "nurturing"},
    {"nurturing", "nurturing"},
    {"open", "new"},
    {"open deal", "qualified"},
    {"open not contacted", "new"},
    {"opportunity", "qualified"},
    {"pre qualified", "qualified"}, /* Zoho: qualified enough to work on */
    {"qualified", "qualified"},
    {"recycled", "nurturing"}, /* returned to marketing for nurturing */
    {"sales qualified lead", "qualified"},
    {"salesqualifiedlead", "qualified"}, /* internal name */
    {"subscriber", "new"},               /* HubSpot lifecycle stage, like lead, customer */
    {"unqualified", "unqualified"},
    {"won", "converted"},
    {"working", "contacted"},
    {"working contacted", "contacted"},
};

/* English short names and common variants. England, Scotland, Wales and
 * Northern Ireland are GB; a bare "Congo" is ISO's short name for CG.
 * Packed by hand: clang-format would give each entry its own line. */
// clang-format off
static const name_entry country_table[] = {
    {"afghanistan", "AF"}, {"albania", "AL"}, {"algeria", "DZ"}, {"andorra", "AD"},
    {"angola", "AO"}, {"argentina", "AR"}, {"armenia", "AM"}, {"australia", "AU"},
    {"austria", "AT"}, {"azerbaijan", "AZ"}, {"bahrain", "BH"}, {"bangladesh", "BD"},
    {"belarus", "BY"}, {"belgium", "BE"}, {"benin", "BJ"}, {"bhutan", "BT"}, {"bolivia", "BO"},
    {"bosnia", "BA"}, {"bosnia and herzegovina", "BA"}, {"botswana", "BW"}, {"brazil", "BR"},
    {"britain", "GB"}, {"brunei", "BN"}, {"bulgaria", "BG"}, {"burkina faso", "BF"},
    {"burma", "MM"}, {"burundi", "BI"}, {"cambodia", "KH"}, {"cameroon", "CM"}, {"canada", "CA"},
    {"central african republic", "CF"}, {"chad", "TD"}, {"chile", "CL"}, {"china", "CN"},
    {"colombia", "CO"}, {"congo", "CG"}, {"costa rica", "CR"}, {"cote d'ivoire", "CI"},
    {"croatia", "HR"}, {"cuba", "CU"}, {"cyprus", "CY"}, {"czech republic", "CZ"},
    {"czechia", "CZ"}, {"democratic republic of the congo", "CD"}, {"denmark", "DK"},
    {"deutschland", "DE"}, {"dominican republic", "DO"}, {"dr congo", "CD"}, {"drc", "CD"},
    {"ecuador", "EC"}, {"egypt", "EG"}, {"el salvador", "SV"}, {"england", "GB"}, {"eritrea", "ER"},
    {"estonia", "EE"}, {"eswatini", "SZ"}, {"ethiopia", "ET"}, {"fiji", "FJ"}, {"finland", "FI"},
    {"france", "FR"}, {"gabon", "GA"}, {"gambia", "GM"}, {"georgia", "GE"}, {"germany", "DE"},
    {"ghana", "GH"}, {"great britain", "GB"}, {"greece", "GR"}, {"guatemala", "GT"},
    {"guinea", "GN"}, {"haiti", "HT"}, {"holland", "NL"}, {"honduras", "HN"}, {"hong kong", "HK"},
    {"hungary", "HU"}, {"iceland", "IS"}, {"india", "IN"}, {"indonesia", "ID"}, {"iran", "IR"},
    {"iraq", "IQ"}, {"ireland", "IE"}, {"israel", "IL"}, {"italy", "IT"}, {"ivory coast", "CI"},
    {"jamaica", "JM"}, {"japan", "JP"}, {"jordan", "JO"}, {"kazakhstan", "KZ"}, {"kenya", "KE"},
    {"korea, republic of", "KR"}, {"kuwait", "KW"}, {"kyrgyzstan", "KG"}, {"laos", "LA"},
    {"latvia", "LV"}, {"lebanon", "LB"}, {"liberia", "LR"}, {"libya", "LY"},
    {"liechtenstein", "LI"}, {"lithuania", "LT"}, {"luxembourg", "LU"}, {"macao", "MO"},
    {"macau", "MO"}, {"macedonia", "MK"}, {"madagascar", "MG"}, {"malawi", "MW"},
    {"malaysia", "MY"}, {"maldives", "MV"}, {"mali", "ML"}, {"malta", "MT"}, {"mauritania", "MR"},
    {"mauritius", "MU"}, {"mexico", "MX"}, {"moldova", "MD"}, {"monaco", "MC"}, {"mongolia", "MN"},
    {"montenegro", "ME"}, {"morocco", "MA"}, {"mozambique", "MZ"}, {"myanmar", "MM"},
    {"namibia", "NA"}, {"nepal", "NP"}, {"netherlands", "NL"}, {"new zealand", "NZ"},
    {"nicaragua", "NI"}, {"niger", "NE"}, {"nigeria", "NG"}, {"north korea", "KP"},
    {"north macedonia", "MK"}, {"northern ireland", "GB"}, {"norway", "NO"}, {"oman", "OM"},
    {"pakistan", "PK"}, {"palestine", "PS"}, {"panama", "PA"}, {"papua new guinea", "PG"},
    {"paraguay", "PY"}, {"peru", "PE"}, {"philippines", "PH"}, {"poland", "PL"}, {"portugal", "PT"},
    {"puerto rico", "PR"}, {"qatar", "QA"}, {"republic of korea", "KR"},
    {"republic of the congo", "CG"}, {"romania", "RO"}, {"russia", "RU"},
    {"russian federation", "RU"}, {"rwanda", "RW"}, {"san marino", "SM"}, {"saudi arabia", "SA"},
    {"scotland", "GB"}, {"senegal", "SN"}, {"serbia", "RS"}, {"sierra leone", "SL"},
    {"singapore", "SG"}, {"slovakia", "SK"}, {"slovenia", "SI"}, {"somalia", "SO"},
    {"south africa", "ZA"}, {"south korea", "KR"}, {"south sudan", "SS"}, {"spain", "ES"},
    {"sri lanka", "LK"}, {"sudan", "SD"}, {"swaziland", "SZ"}, {"sweden", "SE"},
    {"switzerland", "CH"}, {"syria", "SY"}, {"taiwan", "TW"}, {"tajikistan", "TJ"},
    {"tanzania", "TZ"}, {"thailand", "TH"}, {"the gambia", "GM"}, {"the netherlands", "NL"},
    {"togo", "TG"}, {"trinidad and tobago", "TT"}, {"tunisia", "TN"}, {"turkey", "TR"},
    {"turkiye", "TR"}, {"turkmenistan", "TM"}, {"u a e", "AE"}, {"u k", "GB"}, {"u s", "US"},
    {"u s a", "US"}, {"uae", "AE"}, {"uganda", "UG"}, {"uk", "GB"}, {"ukraine", "UA"},
    {"united arab emirates", "AE"}, {"united kingdom", "GB"}, {"united states", "US"},
    {"united states of america", "US"}, {"uruguay", "UY"}, {"usa", "US"}, {"uzbekistan", "UZ"},
    {"venezuela", "VE"}, {"viet nam", "VN"}, {"vietnam", "VN"}, {"wales", "GB"}, {"yemen", "YE"},
    {"zambia", "ZM"}, {"zimbabwe", "ZW"},
};
// clang-format on

/* ---- lookup ------------------------------------------------------------ */

static int is_separator(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '_' ||
           c == '-' || c == '.' || c == '/';
}

/* Writes the lookup key of len bytes of text: ASCII lower case, separator
 * runs collapsed to one space, none at either end. Returns 0 when text can
 * match nothing (NULL, too long, a NUL, a control or non-ASCII byte). The
 * key is never longer than the input, so key[KEY_MAX + 1] always suffices. */
static int make_key(char key[KEY_MAX + 1], const char *text, size_t len)
{
    size_t n = 0;
    int pending_space = 0;

    if (text == NULL || len > KEY_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_separator(c)) {
            pending_space = n > 0;
            continue;
        }
        if (c < 0x20 || c >= 0x7f)
            return 0;
        if (pending_space) {
            key[n++] = ' ';
            pending_space = 0;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        key[n++] = (char)c;
    }
    key[n] = '\0';
    return 1;
}

static int header_compare(const void *key, const void *element)
{
    return strcmp(key, ((const header_entry *)element)->key);
}

static int name_compare(const void *key, const void *element)
{
    return strcmp(key, ((const name_entry *)element)->key);
}

#define TABLE_SIZE(table) (sizeof(table) / sizeof((table)[0]))

/* The entry of table whose key is text's key, or NULL. */
static const name_entry *name_find(const name_entry *table, size_t count, const char *text,
                                   size_t len)
{
    char key[KEY_MAX + 1];
    if (!make_key(key, text, len) || key[0] == '\0')
        return NULL;
    return bsearch(key, table, count, sizeof table[0], name_compare);
}

/* ---- public ------------------------------------------------------------ */

map_target crm_map_header(const char *header, size_t len)
{
    char key[KEY_MAX + 1];
    const header_entry *found;

    if (!make_key(key, header, len) || key[0] == '\0')
        return MAP_UNKNOWN;
    found = bsearch(key, header_table, TABLE_SIZE(header_table), sizeof header_table[0],
                    header_compare);
    return found == NULL ? MAP_UNKNOWN : found->target;
}

int crm_map_source(const char *value, size_t len, char out[32])
{
    const name_entry *found = name_find(source_table, TABLE_SIZE(source_table), value, len);
    if (found == NULL)
        return 0;
    memcpy(out, found->name, strlen(found->name) + 1);
    return 1;
}

int crm_map_stage(const char *value, size_t len, char out[16])
{
    const name_entry *found = name_find(stage_table, TABLE_SIZE(stage_table), value, len);
    if (found == NULL)
        return 0;
    memcpy(out, found->name, strlen(found->name) + 1);
    return 1;
}

/* ---- consent columns ---- */

static const char *const opt_out_headers[] = {
    "do not email",    "email opt out",          "email optout",
    "emailoptout",     "has opted out of email", "hasoptedoutofemail",
    "hs email optout", "opted out of email",     "unsubscribed from all email",
};

static const char *const marketing_status_headers[] = {"hs marketable status",
                                                       "marketing contact status"};

static int key_in(const char *key, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(key, list[i]) == 0)
            return 1;
    }
    return 0;
}

consent_convention crm_consent_convention(const char *header, size_t len)
{
    char key[KEY_MAX + 1];
    if (!make_key(key, header, len))
        return CONSENT_GENERIC;
    if (key_in(key, opt_out_headers, TABLE_SIZE(opt_out_headers)))
        return CONSENT_OPT_OUT;
    if (key_in(key, marketing_status_headers, TABLE_SIZE(marketing_status_headers)))
        return CONSENT_MARKETING_STATUS;
    return CONSENT_GENERIC;
}

consent_value crm_consent_value(consent_convention convention, const char *value, size_t len)
{
    /* Per convention: the values that grant, withdraw, or say nothing. */
    static const char *const yes[] = {"1", "checked", "true", "x", "y", "yes"};
    static const char *const no[] = {"0", "false", "n", "no", "unchecked"};
    static const char *const opted_in[] = {"consent given", "consented", "granted",   "opt in",
                                           "opted in",      "optin",     "subscribed"};
    static const char *const opted_out[] = {"opt out", "opted out",    "optout",
                                            "revoked", "unsubscribed", "withdrawn"};
    static const char *const marketing[] = {"marketable", "marketing contact", "true"};
    static const char *const non_marketing[] = {"false", "non marketing contact", "non marketable"};
    char key[KEY_MAX + 1];
    if (!make_key(key, value, len))
        return CONSENT_VALUE_UNKNOWN;
    if (key[0] == '\0')
        return CONSENT_VALUE_NONE;
    switch (convention) {
    case CONSENT_OPT_OUT:
        if (key_in(key, yes, TABLE_SIZE(yes)) || key_in(key, opted_out, TABLE_SIZE(opted_out)))
            return CONSENT_VALUE_WITHDRAWN;
        if (key_in(key, no, TABLE_SIZE(no)))
            return CONSENT_VALUE_NONE; /* no opt-out is not consent */
        break;
    case CONSENT_MARKETING_STATUS:
        if (key_in(key, marketing, TABLE_SIZE(marketing)))
            return CONSENT_VALUE_GRANTED;
        if (key_in(key, non_marketing, TABLE_SIZE(non_marketing)))
            return CONSENT_VALUE_NONE; /* not marketed to; not an opt-out either */
        break;
    case CONSENT_GENERIC:
        if (key_in(key, opted_in, TABLE_SIZE(opted_in)))
            return CONSENT_VALUE_GRANTED;
        if (key_in(key, opted_out, TABLE_SIZE(opted_out)))
            return CONSENT_VALUE_WITHDRAWN;
        break;
    }
    return CONSENT_VALUE_UNKNOWN;
}

int crm_map_same(const char *a, size_t a_len, const char *b, size_t b_len)
{
    char key_a[KEY_MAX + 1], key_b[KEY_MAX + 1];
    return make_key(key_a, a, a_len) && make_key(key_b, b, b_len) && strcmp(key_a, key_b) == 0;
}

int crm_map_signal(const char *value, size_t len)
{
    static const struct {
        const char *key;
        lv_signal signal;
    } words[] = {
        {"yes", LV_SIGNAL_YES}, {"y", LV_SIGNAL_YES},           {"true", LV_SIGNAL_YES},
        {"1", LV_SIGNAL_YES},   {"x", LV_SIGNAL_YES},           {"no", LV_SIGNAL_NO},
        {"n", LV_SIGNAL_NO},    {"false", LV_SIGNAL_NO},        {"0", LV_SIGNAL_NO},
        {"", LV_SIGNAL_UNSET},  {"unknown", LV_SIGNAL_UNKNOWN},
    };
    char key[KEY_MAX + 1];

    if (!make_key(key, value, len))
        return -1;
    for (size_t i = 0; i < TABLE_SIZE(words); i++) {
        if (strcmp(key, words[i].key) == 0)
            return (int)words[i].signal;
    }
    return -1;
}

int crm_map_country(const char *value, size_t len, char out[3])
{
    char key[KEY_MAX + 1];
    char normalized[3];
    const name_entry *found;

    if (!make_key(key, value, len) || key[0] == '\0')
        return 0;
    /* Names first: "UK" is two letters but not an assigned code. */
    found = bsearch(key, country_table, TABLE_SIZE(country_table), sizeof country_table[0],
                    name_compare);
    if (found != NULL) {
        memcpy(out, found->name, 3);
        return 1;
    }
    if (strlen(key) != 2)
        return 0;
    if (lead_country_normalize(normalized, key) != 0) {
        /* An unknown country is an answer here, not a failure to report. */
        err_clear();
        return 0;
    }
    memcpy(out, normalized, 3);
    return 1;
}
