desc: a rep finds a lead by part of a name or company (case and accents ignored), sees only what the purpose allows, and the audit entry lists exactly the leads and fields shown (issue 18, acceptance 2)
setup: vault
setup: user bob sales
setup: user carol compliance
run: leadvault lead add --first-name Ananya --last-name Sharma --company 'Umbrella Labs' --email ananya@example.in --phone '+91 98876 49965' --notes 'prefers calls after 5 pm'
save: A
run: leadvault lead add --first-name Rahul --last-name Sharma --company 'Globex' --email rahul@example.in
save: R
run: leadvault lead add --first-name 'José' --last-name 'Müller-Lüdenscheidt' --company 'Ça Va SARL' --email jose@example.fr
save: J
run: leadvault lead add --first-name 'अनन्या' --last-name 'शर्मा' --company '北京科技有限公司' --email x@example.cn
save: D
run: leadvault lead add --first-name 'فاطمة' --last-name 'الزهراء' --company 'Umbrella Gulf' --email f@example.sa
save: F

# Part of a name and part of the company, any case: only the Sharma at Umbrella.
run: lv_as bob --json lead search 'sharma UMBRELLA' --purpose sales_followup > out.json && lvtool pluck leads id out.json
stdout-is: $A
# Every field sales_followup allows, and nothing else (no notes, no website).
run: lvtool keys leads.0.fields out.json
stdout-is: first_name,last_name,email,phone,company
# One word matches several leads, in id order.
run: lv_as bob --json lead search sharma --purpose sales_followup | lvtool pluck leads id | paste -sd ' '
stdout-is: $A $R
# Accents and case: "jose muller" finds José Müller-Lüdenscheidt; "ca va" finds Ça Va.
run: lv_as bob lead search 'jose muller' --purpose sales_followup
stdout-has: first_name: José
stdout-has: id: $J
run: lv_as bob --json lead search 'ca va' --purpose sales_followup | lvtool pluck leads id
stdout-is: $J
# Devanagari, CJK and Arabic names and companies.
run: lv_as bob --json lead search 'शर्मा' --purpose sales_followup | lvtool pluck leads id
stdout-is: $D
run: lv_as bob --json lead search '科技' --purpose sales_followup | lvtool pluck leads id
stdout-is: $D
run: lv_as bob --json lead search 'الزهراء' --purpose sales_followup | lvtool pluck leads id
stdout-is: $F
# Email and phone are not searched (lookups stay on the blind index).
run: lv_as bob lead search ananya@example.in --purpose sales_followup
exit: 4
stderr-has: no matching lead
stdout-empty

# The purpose decides what is compared and shown: profiling reveals company,
# title and website, and needs consent. Without consent nothing is searched.
run: lv_as bob lead search umbrella --purpose profiling
exit: 4
run: leadvault consent grant $F profiling --evidence 'web form'
run: lv_as bob --json lead search umbrella --purpose profiling > prof.json && { lvtool pluck leads id prof.json; lvtool keys leads.0.fields prof.json; } | paste -sd " "
stdout-is: $F company
# A name is not compared under a purpose that does not reveal it.
run: lv_as bob lead search fatima --purpose profiling
exit: 4
# Notes are read back with sales_notes, not with sales_followup.
run: lv_as bob lead search ananya --purpose sales_notes
stdout-has: notes: prefers calls after 5 pm
run: lv_as bob lead search ananya --purpose sales_followup
stdout-lacks: prefers calls

# The audit entry of the first search: exactly the lead shown and the fields
# revealed, never the search text.
run: lv_as carol --json audit show --action lead.search | lvtool pluck entries lead_ids,fields,purpose,outcome | sed -n 1p
stdout-is: $A first_name,last_name,email,phone,company,title,email2,phone2 sales_followup ok
run: lv_as carol --json audit show --action lead.search | lvtool pluck entries lead_ids | sed -n 2p
stdout-is: $A,$R
run: lv_as carol --json audit show --action lead.search > all.json
run: grep -ci -e umbrella -e sharma -e muller all.json
exit: 1
stdout-is: 0

# Limit: the first N in id order, with a note; bad limits exit 2.
run: lv_as bob --json lead search sharma --purpose sales_followup --limit 1 | lvtool pluck leads id
stdout-is: $A
stderr-has: showing the first 1 matches
run: lv_as carol --json audit show --action lead.search | lvtool pluck entries lead_ids | tail -1
stdout-is: $A
run: lv_as bob lead search sharma --purpose sales_followup --limit 0
exit: 2
run: lv_as bob lead search sharma --purpose sales_followup --limit 1001
exit: 2
run: lv_as bob lead search sharma
exit: 2
run: lv_as bob lead search '   ' --purpose sales_followup
exit: 2
# A purpose the role may not use is denied and audited.
run: lv_as bob lead search sharma --purpose subject_request
exit: 5
stderr-has: denied: role sales may not use purpose subject_request
run: lv_as carol --json audit show --action lead.search | lvtool pluck entries outcome,purpose | tail -1
stdout-is: denied subject_request
