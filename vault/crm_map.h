/* crm_map.h - how the headers and picklist values of common CRM exports
 * (HubSpot, Salesforce, Zoho, Pipedrive, datablist-style samples) map onto
 * leadvault's fields, channels and stages. Pure functions, no I/O. */
#ifndef LV_CRM_MAP_H
#define LV_CRM_MAP_H

#include <stddef.h>

#include "leadvault.h"

/* Where a column goes. Values 0 .. LV_FIELD_COUNT-1 are sealed fields
 * (lv_field); the others are metadata or special. */
typedef enum map_target {
    MAP_UNKNOWN = -1,        /* reported to the user, never silently dropped */
    MAP_SOURCE = 100,        /* channel: picklist value, see crm_map_source */
    MAP_SOURCE_DETAIL = 101, /* free text about the source (campaign, event) */
    MAP_STAGE = 102,         /* status / stage picklist, see crm_map_stage */
    MAP_OWNER = 103,         /* lead owner (a vault user name when it is one) */
    MAP_COUNTRY = 104,       /* ISO alpha-2, or a country name */
    MAP_INCENTIVE = 105,     /* yes / no signals, see crm_map_signal */
    MAP_VERIFIED = 106,
    MAP_AWARE = 107,
    MAP_LAST_CONTACT = 108, /* a date */
    MAP_ADDRESS_PART = 109, /* street, city, state, postal code: joined into address */
    MAP_FULL_NAME = 110,    /* "Name" / "Full Name": split into first and last name */
    MAP_LIFECYCLE = 111     /* HubSpot lifecycle stage: the stage when no status column
                               gives one (see crm_map_stage) */
} map_target;

/* Map a column header. Matching is case-insensitive, ignores surrounding
 * white space, and treats runs of spaces, '_', '-', '.' and '/' as one
 * separator (so "Email_1", "email 1", "E-mail 1" all match). Aliases cover
 * at least these layouts:
 *   datablist: Index, Account Id, Lead Owner, First Name, Last Name, Company,
 *     Phone 1, Phone 2, Email 1, Email 2, Website, Source, Deal Stage, Notes
 *     (Index and Account Id are MAP_UNKNOWN: identifiers of another system)
 *   HubSpot: First Name, Last Name, Email, Phone Number, Mobile Phone Number,
 *     Company Name, Job Title, Lead Status, Original Source, Original Source
 *     Drill-Down 1 (source detail), Street Address, City, State/Region,
 *     Postal Code, Country/Region, Website URL, Contact owner, Last Contacted
 *   Salesforce: First Name, Last Name, Email, Phone, Mobile, Company, Title,
 *     Website, Street, City, State/Province, Zip/Postal Code, Country, Lead
 *     Source, Lead Status, Description, Lead Owner, Last Activity
 *   API field names, as Salesforce Data Loader and HubSpot's internal
 *     names give them (any case): LeadSource, FirstName, LastName,
 *     MobilePhone, PostalCode, OwnerId, Owner.Name, LastActivityDate,
 *     firstname, lastname, jobtitle, hs_lead_status, lifecyclestage,
 *     hs_analytics_source, hubspot_owner_id, notes_last_contacted
 *   generic: name, full name, e-mail, email address, secondary email,
 *     telephone, tel, mobile, cell, organization, organisation, account name,
 *     job title, position, url, homepage, address, comments, comment, note,
 *     remarks, channel, campaign, stage, status, owner, country code,
 *     incentive, verified, aware, consent aware.
 * "Email 2", "Secondary Email", "Other Email" map to LV_FIELD_EMAIL2;
 * "Phone 2", "Mobile", "Mobile Phone Number", "Other Phone" to
 * LV_FIELD_PHONE2 unless a plain phone column is absent (then the caller
 * decides; this function maps Mobile to LV_FIELD_PHONE2 always). */
map_target crm_map_header(const char *header, size_t len);

/* Map a source / lead-source picklist value onto a channel name of
 * lv_source_names(). Returns 1 and writes the channel when known; 0 when
 * unknown (the caller then uses "other" and keeps the original value as
 * source detail). Case-insensitive, separator-insensitive. Examples:
 * "Trade Show" -> trade_show, "Web" / "Website" / "Web Form" -> website_form,
 * "Purchased List" / "Third Party List" / "List Import" -> third_party_list,
 * "Advertisement" / "Paid Search" / "Google AdWords" / "PAID_SEARCH" -> advertising,
 * "Partner Referral" / "Employee Referral" / "Referral" -> referral,
 * "E-book Download" / "Ebook" / "Whitepaper" -> ebook,
 * "Networking Event" / "Networking" -> networking, "Social Media" /
 * "SOCIAL_MEDIA" / "LinkedIn" / "Facebook" -> social_media,
 * "Direct Mail" -> direct_mail, "Webinar" -> webinar, "Podcast" -> podcast,
 * "Lead Magnet" -> lead_magnet, "Chamber of Commerce" -> chamber_of_commerce,
 * "Local Media" -> local_media, "Community Event" -> community_event,
 * "ORGANIC_SEARCH" / "Organic Search" -> website_form, "Other" -> other,
 * and every channel name itself. */
int crm_map_source(const char *value, size_t len, char out[32]);

/* Map a status / stage picklist value onto lv_stage_names(). Returns 1 and
 * writes the stage when known, 0 when unknown (caller uses "new").
 * Examples: Salesforce "Open - Not Contacted" -> new, "Working - Contacted"
 * -> contacted, "Closed - Converted" -> converted, "Closed - Not Converted"
 * -> lost; HubSpot "New" -> new, "Open" -> new, "In progress" -> contacted,
 * "Open deal" -> qualified, "Unqualified" -> unqualified, "Attempted to
 * contact" -> contacted, "Connected" -> contacted, "Bad timing" -> nurturing;
 * generic "Qualified", "Nurturing", "Nurture", "Converted", "Won",
 * "Closed Won" -> converted, "Lost", "Closed Lost", "Disqualified" ->
 * unqualified, "Contacted", "Lost" -> lost, and every stage name itself. */
int crm_map_stage(const char *value, size_t len, char out[16]);

/* How a consent column's values read, from its header. */
typedef enum consent_convention {
    CONSENT_GENERIC = 0,         /* "opted in", "granted" / "opted out", "withdrawn" */
    CONSENT_OPT_OUT = 1,         /* Salesforce HasOptedOutOfEmail / "Email Opt Out",
                                    Zoho "Email Opt Out", HubSpot hs_email_optout:
                                    true means the person opted out */
    CONSENT_MARKETING_STATUS = 2 /* HubSpot "Marketing contact status" /
                                    hs_marketable_status */
} consent_convention;

/* What one consent cell says. */
typedef enum consent_value {
    CONSENT_VALUE_UNKNOWN = -1, /* a value the convention does not know */
    CONSENT_VALUE_NONE = 0,     /* says nothing: empty, or no opt-out */
    CONSENT_VALUE_GRANTED = 1,
    CONSENT_VALUE_WITHDRAWN = 2
} consent_value;

consent_convention crm_consent_convention(const char *header, size_t len);

/* The built-in reading of a value under a convention. Consent is never
 * read from the absence of an opt-out: "false" in an opt-out column is
 * CONSENT_VALUE_NONE. Case- and separator-insensitive. */
consent_value crm_consent_value(consent_convention convention, const char *value, size_t len);

/* 1 when two picklist values are the same under the lookup rules
 * (case-insensitive, separator runs equal), else 0. */
int crm_map_same(const char *a, size_t a_len, const char *b, size_t b_len);

/* yes / no from "yes", "y", "true", "1", "x", "no", "n", "false", "0"
 * (case-insensitive); LV_SIGNAL_UNSET for "" and LV_SIGNAL_UNKNOWN for
 * "unknown"; -1 for anything else. */
int crm_map_signal(const char *value, size_t len);

/* A country column value: an alpha-2 code (any case) or an English short
 * name ("India", "United States", "United Kingdom", "Germany", "Japan",
 * ... at least the 60 most populous countries plus EU members, and "USA",
 * "UK", "U.S."). Writes the upper-case code and returns 1, or returns 0. */
int crm_map_country(const char *value, size_t len, char out[3]);

#endif
