desc: every sealed field round-trips byte for byte through lead add / update and lead get --json
# Acceptance 1: Devanagari, CJK, Arabic, emoji, quotes, commas, newlines (LF and
# CR LF), tabs, and a note of exactly 65536 bytes (the limit). Values are
# already in the form the vault stores (NFC names, a normalized phone), so
# what comes back must be exactly what went in.
setup: vault

run: lvtool gen-text 65536 > note64k.txt && wc -c < note64k.txt
stdout-is: 65536
run: lvtool gen-text 4096 | tail -c 3000 > note3k.txt

run: leadvault lead add --first-name 'अनन्या' --last-name '佐藤 "Sato", 美咲' --email 'Ünïcødé.Ü+tag@Exämple.org' --phone '+919887649965' --company '"Smith, Jones" & O'\''Brien, Ltd.' --title '🚀 Head of Growth 👩🏽‍💻' --website 'https://例子.测试/path?q="a,b"&x=1' --address $'شارع الملك فهد 12\nالرياض، "حي العليا"\r\n\tSaudi Arabia' --notes "$(cat note64k.txt)" --country IN
stdout-match: ^[0-9a-f]{32}$
save: ID

run: leadvault --json lead get $ID --purpose qa_all > got.json
run: lvtool field-is got.json fields.first_name 'अनन्या'
run: lvtool field-is got.json fields.last_name '佐藤 "Sato", 美咲'
run: lvtool field-is got.json fields.email 'Ünïcødé.Ü+tag@Exämple.org'
run: lvtool field-is got.json fields.phone '+919887649965'
run: lvtool field-is got.json fields.company '"Smith, Jones" & O'\''Brien, Ltd.'
run: lvtool field-is got.json fields.title '🚀 Head of Growth 👩🏽‍💻'
run: lvtool field-is got.json fields.website 'https://例子.测试/path?q="a,b"&x=1'
run: lvtool field-is got.json fields.address $'شارع الملك فهد 12\nالرياض، "حي العليا"\r\n\tSaudi Arabia'
run: lvtool field-is got.json fields.notes "$(cat note64k.txt)"
run: lvtool json fields.notes got.json | cmp - note64k.txt
run: lvtool json fields.length got.json
stdout-is: 9
run: lvtool json id got.json
stdout-is: $ID

# The guard: field-is must notice a single changed byte.
run: lvtool field-is got.json fields.notes "$(cat note64k.txt | sed '$ s/x$/y/')"
exit: 1
stderr-has: first difference at byte 65535

# --fields reveals only what was asked.
run: leadvault --json lead get $ID --purpose qa_all --fields email,notes > some.json
run: lvtool json fields.length some.json
stdout-is: 2
run: lvtool field-is some.json fields.email 'Ünïcødé.Ü+tag@Exämple.org'
run: lvtool json fields.notes some.json | cmp - note64k.txt

# Update every field to other exotic values; get returns the new bytes.
run: leadvault lead update $ID --first-name 'مريم' --last-name $'O\'Brien-Łukasiewicz' --email 'x.y@例子.测试' --phone '+81312345678' --company '株式会社 "テスト", 東京' --title 'Directrice, R&D 🇫🇷' --website 'https://example.org/ä?b=1,2' --address $'1 Rue de l\'Église\n75001 Paris' --notes "$(cat note3k.txt)"
stdout-has: updated $ID
run: leadvault --json lead get $ID --purpose qa_all > updated.json
run: lvtool field-is updated.json fields.first_name 'مريم'
run: lvtool field-is updated.json fields.last_name $'O\'Brien-Łukasiewicz'
run: lvtool field-is updated.json fields.email 'x.y@例子.测试'
run: lvtool field-is updated.json fields.phone '+81312345678'
run: lvtool field-is updated.json fields.company '株式会社 "テスト", 東京'
run: lvtool field-is updated.json fields.title 'Directrice, R&D 🇫🇷'
run: lvtool field-is updated.json fields.website 'https://example.org/ä?b=1,2'
run: lvtool field-is updated.json fields.address $'1 Rue de l\'Église\n75001 Paris'
run: lvtool json fields.notes updated.json | cmp - note3k.txt

# An empty value clears a field; the others stay as they were.
run: leadvault lead update $ID --notes '' --website ''
run: leadvault --json lead get $ID --purpose qa_all > cleared.json
run: lvtool json fields.length cleared.json
stdout-is: 7
run: lvtool field-is cleared.json fields.first_name 'مريم'
run: lvtool json fields.notes cleared.json
exit: 1
stderr-has: no key notes

# lead find hands back the same bytes.
run: leadvault --json lead find --email 'X.Y@例子.测试' --purpose qa_all > found.json
run: lvtool json leads.length found.json
stdout-is: 1
run: lvtool field-is found.json leads.0.fields.last_name $'O\'Brien-Łukasiewicz'
run: lvtool field-is found.json leads.0.fields.address $'1 Rue de l\'Église\n75001 Paris'

# And the text output carries the values too (continuation lines indented).
run: leadvault lead get $ID --purpose qa_all --fields first_name,address
stdout-has: first_name: مريم
stdout-has: address: 1 Rue de l'Église
stdout-has:   75001 Paris
