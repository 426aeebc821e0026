desc: an import whose every row is rejected still counts its rows and rejections
# Found while writing the erasure benchmark: with every row rejected (here,
# for too many fields) the summary said 0 rows, 0 rejected.
setup: vault
run: printf 'First Name,Email\nA,a@example.com,extra\nB,b@example.com,extra\n' > bad.csv
run: leadvault --json import bad.csv > all.json
stderr-has: line 2: rejected
run: for k in rows imported rejected; do lvtool json $k all.json; echo; done | paste -sd ' '
stdout-is: 2 0 2
# The same rows after a good one are counted.
run: printf 'First Name,Email\nC,c@example.com\nA,a@example.com,extra\nB,b@example.com,extra\n' > mixed.csv
run: leadvault --json import mixed.csv > mixed.json && for k in rows imported rejected; do lvtool json $k mixed.json; echo; done | paste -sd ' '
stdout-is: 3 1 2
