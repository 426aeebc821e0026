desc: subject export as HTML for a person with records in Devanagari, CJK and Arabic: one self-contained, escaped page with every Art. 15 section; JSON keeps UTF-8 unescaped and carries source, purposes with bases and consent state, recipients, retention and rights (issue 18, acceptance 5; the headless Chromium check is added by the integrator)
setup: vault
setup: user carol compliance
run: leadvault lead add --first-name 'अनन्या' --last-name 'शर्मा' --company 'Umbrella <Labs> & "Sons"' --email person@example.com --source trade_show --notes $'line one\nline two'
save: D
run: leadvault lead add --first-name '李娜' --last-name '王' --company '北京科技有限公司' --email other@example.cn --email2 person@example.com
save: C
run: leadvault lead add --first-name 'فاطمة' --last-name 'الزهراء' --company 'شركة المثال' --email PERSON@example.com
save: A
run: leadvault lead add --first-name Nobody --email nobody@example.com
save: N
# Consent granted then withdrawn; an export that included the lead; a
# retention rule that fits; a legal hold on the Arabic record.
run: leadvault consent grant $D email_marketing --evidence 'web form <signup>'
run: leadvault consent withdraw $D email_marketing --reason 'too many mails'
run: leadvault consent grant $D phone_outreach --evidence 'call recording'
run: leadvault export --purpose sales_followup --out sales.csv
run: leadvault retention add stale_new --stage new --older-than 365d
run: leadvault retention add lost_old --stage lost --older-than 30d
run: lv_as carol hold set $A --reason 'case LIT-1'

run: lv_as carol subject export --email person@example.com --request 'SAR-<9>' --format html --out p.html
stdout-is: wrote p.html
run: stat -c %a p.html
stdout-is: 600
run: lvtool html-check p.html 'अनन्या' 'शर्मा' '李娜' '北京科技有限公司' 'فاطمة' 'الزهراء' 'Umbrella <Labs> & "Sons"' 'SAR-<9>' 'Art. 77' 'Art. 17' 'Art. 21' 'Art. 7(3)' 'legitimate_interest' 'withdrawn' 'stale_new' 'legal hold' 'imported from a file' 'entered by hand' 'export file'
exit: 1
stderr-is: html-check: text not in the page: 'imported from a file'
run: lvtool html-check p.html 'अनन्या' 'शर्मा' '李娜' '北京科技有限公司' 'فاطمة' 'الزهراء' 'Umbrella <Labs> & "Sons"' 'SAR-<9>' 'Art. 77' 'Art. 17' 'Art. 21' 'Art. 7(3)' 'legitimate_interest' 'withdrawn' 'stale_new' 'legal hold' 'entered by hand' 'export file' 'trade_show'
# As the person sees it: headless Chromium, network off, no console error or
# request, not blank; each script drawn by a font that has its characters (no
# boxes), the Arabic record laid out right to left, every section there.
run: chromium_check p.html --screenshot p.png --glyphs 'अनन्या' --glyphs 'शर्मा' --glyphs '李娜' --glyphs '北京科技有限公司' --glyphs 'فاطمة' --glyphs 'الزهراء' --rtl 'فاطمة' --rtl 'شركة المثال' --expect 'अनन्या' --expect '李娜' --expect 'فاطمة' --expect 'SAR-<9>' --expect 'Art. 77' --expect 'Art. 17' --expect 'legal hold' --expect 'export file' --print-heading 'The personal data we hold (Art. 15(1) and (3))' --print-heading 'Purposes and their legal bases (Art. 15(1)(a) and (b), Art. 6)' --print-heading 'Recipients (Art. 15(1)(c))' --print-heading 'How long the data is kept (Art. 15(1)(d))' --print-heading 'Your rights (Art. 15(1)(e) and (f))' --print-heading 'Where the data came from (Art. 14(2)(f), Art. 15(1)(g))' --pdf p.pdf
stdout-has: ok: p.html
# Three records, the other person left out; text escaped in the source.
run: grep -c '<article class="lead"' p.html
stdout-is: 3
run: grep -c nobody@example.com p.html
exit: 1
stdout-is: 0
run: grep -c 'Umbrella &lt;Labs&gt; &amp; &quot;Sons&quot;' p.html
stdout-is: 1
run: grep -c 'lost_old' p.html
exit: 1
stdout-is: 0
run: grep -o '<html lang="en">' p.html
stdout-is: <html lang="en">
run: grep -c 'Content-Security-Policy' p.html
stdout-is: 1

# JSON: UTF-8 as is, and the Art. 15 items.
run: lv_as carol subject export --email person@example.com --request SAR-9 --out p.json
run: grep -c '\\u' p.json
exit: 1
stdout-is: 0
run: grep -c 'अनन्या' p.json
stdout-is: 1
run: lvtool json version p.json
stdout-is: 2
run: lvtool keys leads.0 p.json
stdout-is: id,fields,metadata,source,purposes,recipients,retention,consent,access,rights
run: lvtool pluck leads.0.purposes purpose,legal_basis,your_consent p.json | paste -sd ';'
stdout-is: direct_mail consent none;email_marketing consent withdrawn;phone_outreach consent granted;profiling consent none;qa_all legitimate_interest not needed;sales_followup legitimate_interest not needed;sales_notes legitimate_interest not needed;subject_request legal_obligation not needed
run: lvtool pluck leads.0.recipients recipient,by,purpose p.json
stdout-is: export file alice sales_followup
run: lvtool pluck leads.0.retention.rules rule p.json
stdout-is: stale_new
run: lvtool json leads.2.retention.legal_hold p.json
stdout-is: true
run: lvtool json leads.0.source.channel p.json && lvtool json leads.0.source.entered p.json
stdout-is: trade_showentered by hand
run: lvtool pluck leads.0.rights article p.json | paste -sd ' '
stdout-is: Art. 15 Art. 16 Art. 17 Art. 18 Art. 20 Art. 21 Art. 7(3) Art. 77
# CSV carries the same sections.
run: lv_as carol subject export $D --request SAR-9 --format csv --out p.csv
run: python3 -c 'import csv,sys; print(" ".join(sorted({r[1] for r in csv.reader(open("p.csv", newline=""))})))'
stdout-is: access consent field metadata purposes recipients retention retention.rules rights section source
run: grep -c '"retention","","legal_hold","no"' p.csv
stdout-is: 1
run: lv_as carol subject export $D --request SAR-9 --format pdf --out p.pdf
exit: 2
