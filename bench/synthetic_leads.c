/* synthetic_leads.c - the lead generator of the benchmarks. Tables of
 * names per locale; every choice comes from the caller's seeded rng, so a
 * seed always yields the same leads. */
#include <stdio.h>
#include <string.h>

#include "synthetic_leads.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- random numbers ---- */

void synth_rng_seed(synth_rng *rng, uint64_t seed)
{
    rng->state = seed;
}

uint64_t synth_rng_next(synth_rng *rng)
{
    uint64_t z = (rng->state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

uint64_t synth_rng_below(synth_rng *rng, uint64_t bound)
{
    /* Modulo bias is below 2^-40 for the small bounds used here. */
    return synth_rng_next(rng) % bound;
}

static int chance(synth_rng *rng, unsigned percent)
{
    return synth_rng_below(rng, 100) < percent;
}

#define PICK(rng, array) ((array)[synth_rng_below((rng), COUNT(array))])

/* ---- locales ---- */

/* A name as written, and the ASCII spelling used in e-mail addresses. */
typedef struct name {
    const char *written;
    const char *ascii;
} name;

typedef struct list {
    const char *const *item;
    size_t count;
} list;

typedef struct name_list {
    const name *item;
    size_t count;
} name_list;

/* clang-format off */
#define LIST(array) {(array), COUNT(array)}
/* clang-format on */

typedef struct locale {
    const char *country;
    unsigned weight;   /* relative share of the leads */
    int accented_mail; /* local parts may keep accented Latin-1 letters */
    name_list first, last;
    list companies, titles, mail_domains;
    list phone_patterns; /* '#' any digit, 'N' 2-9 */
    list notes;          /* openers in the local language */
} locale;

/* Written forms are NFC except the few marked NFD, which the library
 * must compose. */
static const name us_first[] = {
    {"James", "james"},       {"Mary", "mary"},        {"Robert", "robert"},
    {"Patricia", "patricia"}, {"Michael", "michael"},  {"Jennifer", "jennifer"},
    {"DeShawn", "deshawn"},   {"Aaliyah", "aaliyah"},  {"Kevin", "kevin"},
    {"Megan", "megan"},       {"Mei-Ling", "mei-ling"}};
static const name us_last[] = {{"Smith", "smith"},       {"Johnson", "johnson"},
                               {"Williams", "williams"}, {"Brown", "brown"},
                               {"Garcia", "garcia"},     {"Miller", "miller"},
                               {"O'Brien", "obrien"},    {"Nguyen", "nguyen"},
                               {"Davis", "davis"},       {"Washington", "washington"}};
static const name gb_first[] = {{"Oliver", "oliver"}, {"Amelia", "amelia"}, {"Harry", "harry"},
                                {"Isla", "isla"},     {"George", "george"}, {"Siobhán", "siobhan"},
                                {"Rhys", "rhys"}};
static const name gb_last[] = {{"Taylor", "taylor"},   {"Wilson", "wilson"},
                               {"Evans", "evans"},     {"Thomas", "thomas"},
                               {"Roberts", "roberts"}, {"Featherstonehaugh", "featherstonehaugh"}};
static const name de_first[] = {
    {"Jürgen", "juergen"},        {"Lukas", "lukas"}, {"Sophie", "sophie"}, {"Käthe", "kaethe"},
    {"Maximilian", "maximilian"}, {"Jörg", "joerg"},  {"Ute", "ute"}};
static const name de_last[] = {
    {"Müller", "mueller"}, {"Schäfer", "schaefer"}, {"Groß", "gross"},       {"Weiß", "weiss"},
    {"Becker", "becker"},  {"Köhler", "koehler"},   {"Hoffmann", "hoffmann"}};
static const name fr_first[] = {{"Éloïse", "eloise"}, {"François", "francois"},
                                {"Chloé", "chloe"},   {"Hélène", "helene"},
                                {"Théo", "theo"},     {"Ame\xcc\x81lie", "amelie"} /* NFD */,
                                {"Noémie", "noemie"}};
static const name fr_last[] = {{"Lefèvre", "lefevre"},   {"Dubois", "dubois"},
                               {"Moreau", "moreau"},     {"Girard", "girard"},
                               {"Rousseau", "rousseau"}, {"Bérénger", "berenger"}};
static const name es_first[] = {{"José", "jose"},        {"María", "maria"}, {"Begoña", "begona"},
                                {"Iñaki", "inaki"},      {"Lucía", "lucia"}, {"Álvaro", "alvaro"},
                                {"Jose\xcc\x81", "jose"} /* NFD */};
static const name es_last[] = {{"Núñez", "nunez"}, {"García", "garcia"}, {"Fernández", "fernandez"},
                               {"Peña", "pena"},   {"Muñoz", "munoz"},   {"Ibáñez", "ibanez"}};
static const name br_first[] = {{"João", "joao"},
                                {"Conceição", "conceicao"},
                                {"Thiago", "thiago"},
                                {"Letícia", "leticia"},
                                {"Gonçalo", "goncalo"}};
static const name br_last[] = {{"Gonçalves", "goncalves"},
                               {"Araújo", "araujo"},
                               {"Simões", "simoes"},
                               {"Magalhães", "magalhaes"},
                               {"Silva", "silva"}};
static const name ru_first[] = {
    {"Дмитрий", "dmitry"}, {"Анна", "anna"},       {"Сергей", "sergey"}, {"Ольга", "olga"},
    {"Алексей", "alexey"}, {"Наталья", "natalya"}, {"Юлия", "yulia"}};
static const name ru_last[] = {{"Иванов", "ivanov"},      {"Смирнова", "smirnova"},
                               {"Кузнецов", "kuznetsov"}, {"Попова", "popova"},
                               {"Соколов", "sokolov"},    {"Лебедева", "lebedeva"}};
static const name gr_first[] = {{"Γιώργος", "giorgos"},
                                {"Ελένη", "eleni"},
                                {"Νίκος", "nikos"},
                                {"Κατερίνα", "katerina"},
                                {"Δημήτρης", "dimitris"}};
static const name gr_last[] = {{"Παπαδόπουλος", "papadopoulos"},
                               {"Οικονόμου", "oikonomou"},
                               {"Γεωργίου", "georgiou"},
                               {"Βλάχος", "vlachos"}};
static const name cn_first[] = {{"伟", "wei"},  {"芳", "fang"}, {"娜", "na"},       {"敏", "min"},
                                {"静", "jing"}, {"磊", "lei"},  {"秀英", "xiuying"}};
static const name cn_last[] = {{"王", "wang"}, {"李", "li"},   {"张", "zhang"},
                               {"刘", "liu"},  {"陈", "chen"}, {"欧阳", "ouyang"}};
static const name jp_first[] = {{"翔太", "shota"}, {"さくら", "sakura"}, {"健", "ken"},
                                {"陽菜", "hina"},  {"大輝", "daiki"},    {"美咲", "misaki"}};
static const name jp_last[] = {{"佐藤", "sato"},   {"鈴木", "suzuki"},   {"高橋", "takahashi"},
                               {"田中", "tanaka"}, {"渡辺", "watanabe"}, {"伊藤", "ito"}};
static const name kr_first[] = {
    {"민준", "minjun"}, {"서연", "seoyeon"}, {"지훈", "jihun"}, {"하은", "haeun"}};
static const name kr_last[] = {{"김", "kim"}, {"이", "lee"}, {"박", "park"}, {"최", "choi"}};
static const name in_first[] = {{"Aarav", "aarav"}, {"अनन्या", "ananya"},  {"राहुल", "rahul"},
                                {"प्रिया", "priya"}, {"Vikram", "vikram"}, {"லக்ஷ்மி", "lakshmi"}};
static const name in_last[] = {{"शर्मा", "sharma"}, {"Patel", "patel"},
                               {"Iyer", "iyer"},   {"गुप्ता", "gupta"},
                               {"Reddy", "reddy"}, {"சுப்பிரமணியன்", "subramanian"}};
static const name ar_first[] = {{"محمد", "mohammed"},
                                {"فاطمة", "fatima"},
                                {"أحمد", "ahmed"},
                                {"ليلى", "layla"},
                                {"عمر", "omar"}};
static const name ar_last[] = {
    {"العتيبي", "alotaibi"}, {"حسن", "hassan"}, {"الحربي", "alharbi"}, {"المنصوري", "almansoori"}};
static const name th_first[] = {{"สมชาย", "somchai"}, {"สุดา", "suda"}, {"ณัฐพล", "nattapon"}};
static const name th_last[] = {{"ใจดี", "jaidee"}, {"ศรีสุข", "srisuk"}, {"วงศ์ไทย", "wongthai"}};

static const char *const en_companies[] = {"Acme Robotics Inc.", "Globex Corporation",
                                           "Initech LLC",        "Umbrella Logistics",
                                           "Northwind Traders",  "Blue Harbor Analytics Ltd"};
static const char *const de_companies[] = {"Müller Maschinenbau GmbH", "Schäfer & Söhne KG",
                                           "Nordlicht Software AG", "Weißwald Logistik GmbH"};
static const char *const fr_companies[] = {"Société Générale de Logiciels", "Éditions Lumière SARL",
                                           "Groupe Hélios SA"};
static const char *const es_companies[] = {
    "Soluciones Ibéricas S.L.", "Grupo Peñalara S.A. de C.V.", "Tecnologías del Sur S.A."};
static const char *const br_companies[] = {"Construtora Araújo Ltda.", "Inovação Paulista S.A."};
static const char *const ru_companies[] = {"ООО «Северсталь-Софт»", "АО «Ромашка»",
                                           "ООО «Технологии Будущего»"};
static const char *const gr_companies[] = {"Αιγαίο Λογισμικό Α.Ε.", "Ολυμπιακές Μεταφορές Ε.Π.Ε."};
static const char *const cn_companies[] = {"北京星辰科技有限公司", "上海东方物流有限公司",
                                           "深圳华光电子有限公司"};
static const char *const jp_companies[] = {"株式会社さくら技研", "東京ロボティクス株式会社",
                                           "大阪データ工業株式会社"};
static const char *const kr_companies[] = {"한빛소프트 주식회사", "서울로보틱스", "대한물류"};
static const char *const in_companies[] = {"Tata Consulting Partners", "इन्फ़ोटेक सॉल्यूशंस प्रा. लि.",
                                           "Chennai Precision Tools Pvt Ltd"};
static const char *const ar_companies[] = {"شركة الأفق للتقنية", "مجموعة الخليج للتجارة",
                                           "Emirates Cloud Services FZ-LLC"};
static const char *const th_companies[] = {"บริษัท สยามซอฟต์ จำกัด", "Bangkok Data Co., Ltd."};

static const char *const en_titles[] = {"Head of Procurement",  "CTO",         "VP Engineering",
                                        "Marketing Manager",    "IT Director", "Office Manager",
                                        "Chief Revenue Officer"};
static const char *const de_titles[] = {"Einkaufsleiter", "Geschäftsführerin", "Leiter IT",
                                        "Head of Sales DACH"};
static const char *const fr_titles[] = {"Directrice marketing", "Responsable achats",
                                        "Directeur des systèmes d'information"};
static const char *const es_titles[] = {"Director de Ventas", "Jefa de Compras", "Gerente de TI"};
static const char *const br_titles[] = {"Diretora Comercial", "Gerente de Compras"};
static const char *const ru_titles[] = {"Генеральный директор", "Руководитель отдела закупок",
                                        "ИТ-директор"};
static const char *const gr_titles[] = {"Διευθυντής Πωλήσεων", "Υπεύθυνη Προμηθειών"};
static const char *const cn_titles[] = {"采购经理", "技术总监", "销售副总裁"};
static const char *const jp_titles[] = {"営業部長", "情報システム課長", "代表取締役"};
static const char *const kr_titles[] = {"구매팀장", "기술이사", "영업부장"};
static const char *const in_titles[] = {"Procurement Lead", "प्रबंध निदेशक", "Head of IT"};
static const char *const ar_titles[] = {"مدير المشتريات", "المدير التنفيذي", "IT Manager"};
static const char *const th_titles[] = {"ผู้จัดการฝ่ายจัดซื้อ", "CTO"};

static const char *const us_domains[] = {"gmail.com", "outlook.com", "acme-robotics.com",
                                         "globex.io", "yahoo.com"};
static const char *const gb_domains[] = {"btinternet.com", "gmail.com", "northwind.co.uk"};
static const char *const de_domains[] = {"web.de", "gmx.de", "mueller-maschinenbau.de",
                                         "bücher-werk.de"};
static const char *const fr_domains[] = {"orange.fr", "free.fr", "helios-groupe.fr"};
static const char *const es_domains[] = {"gmail.com", "telefonica.es", "penalara.com.mx"};
static const char *const br_domains[] = {"uol.com.br", "gmail.com", "araujo.com.br"};
static const char *const ru_domains[] = {"yandex.ru", "mail.ru", "почта.рф"};
static const char *const gr_domains[] = {"otenet.gr", "gmail.com"};
static const char *const cn_domains[] = {"qq.com", "163.com", "xingchen-tech.cn"};
static const char *const jp_domains[] = {"yahoo.co.jp", "docomo.ne.jp", "sakura-giken.co.jp"};
static const char *const kr_domains[] = {"naver.com", "daum.net", "hanbitsoft.co.kr"};
static const char *const in_domains[] = {"gmail.com", "rediffmail.com", "tataconsult.in"};
static const char *const ar_domains[] = {"gmail.com", "emirates-cloud.ae", "alufuq.sa"};
static const char *const th_domains[] = {"gmail.com", "siamsoft.co.th"};

static const char *const us_phones[] = {"(N##) N##-####", "+1 N##-N##-####", "N##.N##.####",
                                        "(N##) N##-#### ext. ###"};
static const char *const gb_phones[] = {"07### ######", "020 7### ####", "+44 7### ######"};
static const char *const de_phones[] = {"030 #######", "0151 ########", "+49 89 #######",
                                        "0221 ####### x##"};
static const char *const fr_phones[] = {"06 ## ## ## ##", "01 ## ## ## ##", "+33 6 ## ## ## ##"};
static const char *const es_phones[] = {"6## ## ## ##", "+34 91 ### ## ##"};
static const char *const mx_phones[] = {"55 #### ####", "+52 81 #### ####"};
static const char *const br_phones[] = {"(11) 9####-####", "+55 21 9####-####"};
static const char *const ru_phones[] = {"+7 9## ###-##-##", "9## ###-##-##"};
static const char *const gr_phones[] = {"69# ### ####", "+30 21# ### ####"};
static const char *const cn_phones[] = {"+86 13# #### ####", "139 #### ####"};
static const char *const jp_phones[] = {"090-####-####", "03-####-####", "+81 80-####-####"};
static const char *const kr_phones[] = {"010-####-####", "+82 2-###-####"};
static const char *const in_phones[] = {"98### #####", "+91 7#### #####"};
static const char *const ae_phones[] = {"+971 50 ### ####", "050 ### ####"};
static const char *const sa_phones[] = {"+966 5# ### ####", "05# ### ####"};
static const char *const th_phones[] = {"08#-###-####", "+66 2 ### ####"};

static const char *const en_notes[] = {
    "Met at the trade show booth; wants a demo before Q3 budget review",
    "Inbound from webinar Q&A, asked about SSO and audit logs",
    "Referred by an existing customer. Evaluating two competitors now",
    "Downloaded the pricing ebook; call back after the holidays",
    "Needs a signed DPA before any pilot; legal contact to follow"};
static const char *const de_notes[] = {"Auf der Messe getroffen; möchte Demo im Q3, Budget offen",
                                       "Rückruf erbeten, Interesse an Schnittstelle zu SAP"};
static const char *const fr_notes[] = {"Rencontrée au salon, souhaite une démo avant la rentrée",
                                       "Intéressé par l'offre PME, rappeler après le 15"};
static const char *const es_notes[] = {"Conocido en la feria; pide demo y presupuesto para el Q3",
                                       "Llamar de nuevo en septiembre, evalúa a la competencia"};
static const char *const ru_notes[] = {"Встретились на выставке, просит демо в третьем квартале",
                                       "Перезвонить после праздников"};
static const char *const cn_notes[] = {"展会上认识，希望第三季度前安排演示",
                                       "需要先签数据处理协议"};
static const char *const jp_notes[] = {"展示会で名刺交換、第3四半期にデモ希望", "来月再連絡"};
static const char *const kr_notes[] = {"전시회에서 만남, 3분기 데모 요청", "다음 달 재연락"};
static const char *const ar_notes[] = {"التقينا في المعرض، يطلب عرضاً تجريبياً",
                                       "معاودة الاتصال الشهر القادم"};

static const locale locales[] = {
    {"US", 22, 0, LIST(us_first), LIST(us_last), LIST(en_companies), LIST(en_titles),
     LIST(us_domains), LIST(us_phones), LIST(en_notes)},
    {"GB", 8, 0, LIST(gb_first), LIST(gb_last), LIST(en_companies), LIST(en_titles),
     LIST(gb_domains), LIST(gb_phones), LIST(en_notes)},
    {"DE", 9, 1, LIST(de_first), LIST(de_last), LIST(de_companies), LIST(de_titles),
     LIST(de_domains), LIST(de_phones), LIST(de_notes)},
    {"FR", 6, 1, LIST(fr_first), LIST(fr_last), LIST(fr_companies), LIST(fr_titles),
     LIST(fr_domains), LIST(fr_phones), LIST(fr_notes)},
    {"ES", 4, 1, LIST(es_first), LIST(es_last), LIST(es_companies), LIST(es_titles),
     LIST(es_domains), LIST(es_phones), LIST(es_notes)},
    {"MX", 4, 0, LIST(es_first), LIST(es_last), LIST(es_companies), LIST(es_titles),
     LIST(es_domains), LIST(mx_phones), LIST(es_notes)},
    {"BR", 5, 1, LIST(br_first), LIST(br_last), LIST(br_companies), LIST(br_titles),
     LIST(br_domains), LIST(br_phones), LIST(en_notes)},
    {"RU", 6, 0, LIST(ru_first), LIST(ru_last), LIST(ru_companies), LIST(ru_titles),
     LIST(ru_domains), LIST(ru_phones), LIST(ru_notes)},
    {"GR", 2, 0, LIST(gr_first), LIST(gr_last), LIST(gr_companies), LIST(gr_titles),
     LIST(gr_domains), LIST(gr_phones), LIST(en_notes)},
    {"CN", 9, 0, LIST(cn_first), LIST(cn_last), LIST(cn_companies), LIST(cn_titles),
     LIST(cn_domains), LIST(cn_phones), LIST(cn_notes)},
    {"JP", 7, 0, LIST(jp_first), LIST(jp_last), LIST(jp_companies), LIST(jp_titles),
     LIST(jp_domains), LIST(jp_phones), LIST(jp_notes)},
    {"KR", 4, 0, LIST(kr_first), LIST(kr_last), LIST(kr_companies), LIST(kr_titles),
     LIST(kr_domains), LIST(kr_phones), LIST(kr_notes)},
    {"IN", 8, 0, LIST(in_first), LIST(in_last), LIST(in_companies), LIST(in_titles),
     LIST(in_domains), LIST(in_phones), LIST(en_notes)},
    {"AE", 3, 0, LIST(ar_first), LIST(ar_last), LIST(ar_companies), LIST(ar_titles),
     LIST(ar_domains), LIST(ae_phones), LIST(ar_notes)},
    {"SA", 2, 0, LIST(ar_first), LIST(ar_last), LIST(ar_companies), LIST(ar_titles),
     LIST(ar_domains), LIST(sa_phones), LIST(ar_notes)},
    {"TH", 2, 0, LIST(th_first), LIST(th_last), LIST(th_companies), LIST(th_titles),
     LIST(th_domains), LIST(th_phones), LIST(en_notes)},
};

static const locale *pick_locale(synth_rng *rng)
{
    unsigned total = 0;
    for (size_t i = 0; i < COUNT(locales); i++)
        total += locales[i].weight;
    unsigned at = (unsigned)synth_rng_below(rng, total);
    for (size_t i = 0; i < COUNT(locales); i++) {
        if (at < locales[i].weight)
            return &locales[i];
        at -= locales[i].weight;
    }
    return &locales[0];
}

static const char *pick(synth_rng *rng, const list *l)
{
    return l->item[synth_rng_below(rng, l->count)];
}

static const name *pick_name(synth_rng *rng, const name_list *l)
{
    return &l->item[synth_rng_below(rng, l->count)];
}

/* ---- text helpers ---- */

/* Latin-1 letters in UTF-8 are C3 xx; upper and lower case differ in bit
 * 0x20 of xx, except the multiplication / division signs, ß and ÿ. */
static int latin1_upper(unsigned char second)
{
    return second >= 0x80 && second <= 0x9E && second != 0x97;
}

static int latin1_lower(unsigned char second)
{
    return second >= 0xA0 && second <= 0xBE && second != 0xB7;
}

/* Lower-cased copy of a name made only of ASCII and Latin-1 letters; 0
 * when it holds anything else (other scripts, combining marks, spaces). */
static int accented_local(char *out, size_t cap, const char *written)
{
    const unsigned char *p = (const unsigned char *)written;
    size_t at = 0;
    while (*p != '\0') {
        if (at + 3 > cap)
            return 0;
        if ((*p >= 'a' && *p <= 'z') || *p == '-') {
            out[at++] = (char)*p++;
        } else if (*p >= 'A' && *p <= 'Z') {
            out[at++] = (char)(*p++ + ('a' - 'A'));
        } else if (p[0] == 0xC3 && (latin1_upper(p[1]) || latin1_lower(p[1]))) {
            out[at++] = (char)p[0];
            out[at++] = (char)(latin1_upper(p[1]) ? p[1] | 0x20 : p[1]);
            p += 2;
        } else {
            return 0;
        }
    }
    out[at] = '\0';
    return 1;
}

static void base36(char *out, size_t cap, uint64_t value)
{
    char digits[16];
    size_t n = 0;
    do {
        digits[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[value % 36];
        value /= 36;
    } while (value != 0 && n < sizeof digits);
    size_t i = 0;
    for (; i < n && i + 1 < cap; i++)
        out[i] = digits[n - 1 - i];
    out[i] = '\0';
}

/* Expand a phone pattern: '#' any digit, 'N' 2-9, anything else as is. */
static void fill_pattern(char *out, size_t cap, const char *pattern, synth_rng *rng)
{
    size_t at = 0;
    for (const char *p = pattern; *p != '\0' && at + 1 < cap; p++) {
        if (*p == '#')
            out[at++] = (char)('0' + synth_rng_below(rng, 10));
        else if (*p == 'N')
            out[at++] = (char)('2' + synth_rng_below(rng, 8));
        else
            out[at++] = *p;
    }
    out[at] = '\0';
}

/* Cut text to at most max bytes: after the last word that fits when that
 * keeps most of it, else (scripts written without spaces) at the last
 * whole UTF-8 sequence. */
static void cut_text(char *text, size_t max)
{
    if (strlen(text) <= max)
        return;
    size_t cut = max;
    while (cut > 0 && text[cut] != ' ')
        cut--;
    if (cut + 12 < max) {
        cut = max;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
    }
    while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == ','))
        cut--;
    text[cut] = '\0';
}

/* Notes of about 60 bytes (mostly 54..68): a call reference, then one or
 * two remarks. */
static void make_notes(char *out, size_t cap, const locale *loc, synth_rng *rng)
{
    size_t target = 58 + (size_t)synth_rng_below(rng, 11);
    const list english = LIST(en_notes);
    const list *first = chance(rng, 70) ? &loc->notes : &english;
    snprintf(out, cap, "#%05u %s. %s", (unsigned)synth_rng_below(rng, 100000), pick(rng, first),
             pick(rng, &loc->notes));
    cut_text(out, target);
}

/* ---- the lead ---- */

static void make_email(synth_lead *lead, const locale *loc, const name *first, const name *last,
                       uint64_t index, synth_rng *rng)
{
    /* Sized so that every local part fits RFC 5321's 64 bytes. */
    char first_part[24], last_part[24], suffix[16], local[64];
    if (!loc->accented_mail || !chance(rng, 25) ||
        !accented_local(first_part, sizeof first_part, first->written) ||
        !accented_local(last_part, sizeof last_part, last->written)) {
        snprintf(first_part, sizeof first_part, "%s", first->ascii);
        snprintf(last_part, sizeof last_part, "%s", last->ascii);
    }
    base36(suffix, sizeof suffix, index);
    /* The unique suffix always follows the last '.' or '+' of the local
     * part, and no name part holds either: no two leads share an address. */
    switch (synth_rng_below(rng, 5)) {
    case 0:
        snprintf(local, sizeof local, "%s.%s.%s", first_part, last_part, suffix);
        break;
    case 1:
        snprintf(local, sizeof local, "%c.%s.%s", first->ascii[0], last_part, suffix);
        break;
    case 2:
        snprintf(local, sizeof local, "%s_%s+%s", first_part, last_part, suffix);
        break;
    case 3:
        snprintf(local, sizeof local, "%s%s.%s", last_part, first_part, suffix);
        break;
    default:
        snprintf(local, sizeof local, "%s.%s", first_part, suffix);
        break;
    }
    snprintf(lead->email, sizeof lead->email, "%s@%s", local, pick(rng, &loc->mail_domains));
    /* Some people type their address capitalised; the stored form keeps it. */
    if (chance(rng, 10) && lead->email[0] >= 'a' && lead->email[0] <= 'z')
        lead->email[0] = (char)(lead->email[0] - ('a' - 'A'));
}

void synth_lead_make(synth_lead *lead, synth_rng *rng, uint64_t index, int64_t now_ms)
{
    memset(lead, 0, sizeof *lead);
    const locale *loc = pick_locale(rng);
    const name *first = pick_name(rng, &loc->first);
    const name *last = pick_name(rng, &loc->last);

    snprintf(lead->first_name, sizeof lead->first_name, "%s", first->written);
    snprintf(lead->last_name, sizeof lead->last_name, "%s", last->written);
    make_email(lead, loc, first, last, index, rng);
    fill_pattern(lead->phone, sizeof lead->phone, pick(rng, &loc->phone_patterns), rng);
    snprintf(lead->company, sizeof lead->company, "%s", pick(rng, &loc->companies));
    snprintf(lead->title, sizeof lead->title, "%s", pick(rng, &loc->titles));
    make_notes(lead->notes, sizeof lead->notes, loc, rng);
    snprintf(lead->country, sizeof lead->country, "%s", loc->country);
    if (chance(rng, 10)) /* the library accepts any case */
        for (int i = 0; i < 2; i++)
            lead->country[i] = (char)(lead->country[i] + ('a' - 'A'));

    lv_lead_input *in = &lead->input;
    in->version = LV_LEAD_INPUT_VERSION;
    in->field[LV_FIELD_FIRST_NAME] = lead->first_name;
    in->field[LV_FIELD_LAST_NAME] = lead->last_name;
    in->field[LV_FIELD_EMAIL] = lead->email;
    in->field[LV_FIELD_PHONE] = lead->phone;
    in->field[LV_FIELD_COMPANY] = lead->company;
    in->field[LV_FIELD_TITLE] = lead->title;
    in->field[LV_FIELD_NOTES] = lead->notes;
    in->country = lead->country;

    const char *const *sources = lv_source_names();
    const char *const *stages = lv_stage_names();
    size_t source_count = 0, stage_count = 0;
    while (sources[source_count] != NULL)
        source_count++;
    while (stages[stage_count] != NULL)
        stage_count++;
    in->source = sources[synth_rng_below(rng, source_count)];
    in->stage = stages[synth_rng_below(rng, stage_count)];
    if (chance(rng, 50)) {
        snprintf(lead->source_detail, sizeof lead->source_detail, "campaign-%u-q%u",
                 (unsigned)(2023 + synth_rng_below(rng, 3)),
                 (unsigned)(1 + synth_rng_below(rng, 4)));
        in->source_detail = lead->source_detail;
    }
    for (int i = 0; i < LV_SIGNAL_COUNT; i++)
        in->signal[i] = (lv_signal)(LV_SIGNAL_UNKNOWN + synth_rng_below(rng, 3));
    if (chance(rng, 40))
        in->last_contact = now_ms - (int64_t)synth_rng_below(rng, 365ull * 24 * 3600 * 1000);
}

void synth_email_vary_case(char *out, size_t cap, const char *email, synth_rng *rng)
{
    const unsigned char *p = (const unsigned char *)email;
    size_t at = 0;
    for (; *p != '\0' && at + 1 < cap; p++, at++) {
        unsigned char c = *p;
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (at > 0 && (unsigned char)out[at - 1] == 0xC3)
            letter = latin1_upper(c) || latin1_lower(c);
        out[at] = (char)(letter && chance(rng, 50) ? c ^ 0x20 : c);
    }
    out[at] = '\0';
}
