#!/bin/bash
# repeat.sh - smtpspec run --repeat N (issue 11, "Conformance under load")
# against fakesmtpd on 127.0.0.1:
#
#   mode flaky-rset (every second RSET of the server keeps the recipients):
#   --repeat 6 --jobs 3 on rfc5321/4.1.1.5/rset-clears-transaction reports
#   that vector once, failed (the worst round), unstable with both pass and
#   fail counted (adding up to 6), in the text summary, the JSON result
#   (schema-valid, read back by "smtpspec report"), the HTML and the JUnit;
#   the conformant fake with --repeat 3: nothing unstable, each vector
#   reported once with 3 rounds of one verdict;
#   without --repeat: no repeat field, no unstable line;
#   --repeat 0, 100000, "x": usage errors (exit 2), nothing run.
#
# Ends with "repeat: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
schema=$top/reports/result.schema.json
work=$(mktemp -d /tmp/smtpspec-repeat.XXXXXX)
passed=0
failed=0
fake_pid=
ID=rfc5321/4.1.1.5/rset-clears-transaction

cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

cat >"$work/profile.json" <<'JSON'
{ "domain": "fake.test", "mailbox": "smtpspec@fake.test", "rejected_mailbox": "no-such-user@fake.test" }
JSON


# run NAME ARGS...: smtpspec run against the fake; stdout in NAME.txt, exit code in rc.
run() {
	local name=$1
	shift
	"$bin" run --target "127.0.0.1:$port" --catalogue "$top" --profile "$work/profile.json" --no-progress \
		--timeout 3000 "$@" >"$work/$name.txt" 2>"$work/$name.err"
	rc=$?
}

schema_ok() {
	if [ -d /usr/share/nodejs/ajv ]; then
		NODE_PATH=/usr/share/nodejs node "$top/harness/tests/schema-check.js" "$schema" "$@"
	else
		echo "(node-ajv missing: the typed loader only)"
	fi
}

# ---- flaky-rset: the rule broken every other time ---------------------------
if ! start_fake flaky-rset; then
	not_ok "fakesmtpd --mode flaky-rset starts"
else
	run flaky --repeat 6 --jobs 3 --only "$ID" --json "$work/flaky.json" --html "$work/flaky.html" \
		--junit "$work/flaky.xml"
	stop_fake
	[ "$rc" -eq 1 ] && ok "flaky: exit 1 (the worst round failed)" || not_ok "flaky: exit 1" "rc=$rc $(cat "$work/flaky.err")"
	check "flaky: console says 1 vector unstable under --repeat 6" grep -qx 'unstable under --repeat 6: 1 vector' "$work/flaky.txt"
	line=$(grep -F "  $ID: " "$work/flaky.txt")
	if [[ $line =~ pass\ ([0-9]+),\ fail\ ([0-9]+)$ ]] && [ $((BASH_REMATCH[1] + BASH_REMATCH[2])) -eq 6 ] &&
		[ "${BASH_REMATCH[1]}" -ge 1 ] && [ "${BASH_REMATCH[2]}" -ge 1 ]; then
		ok "flaky: console distribution: ${line# }"
	else
		not_ok "flaky: console distribution pass N, fail M adding up to 6" "$(cat "$work/flaky.txt")"
	fi
	check "flaky: the vector's own line says unstable" grep -qE "^fail +$ID .*unstable \(pass [0-9]+, fail [0-9]+\)$" "$work/flaky.txt"
	check "flaky: JSON: one result, worst verdict, both counted, unstable 1, options.repeat 6" \
		jq -e --arg id "$ID" '(.results | length) == 1 and .results[0].id == $id and .results[0].verdict == "fail"
			and .results[0].repeat.rounds == 6 and .results[0].repeat.verdicts.pass >= 1
			and .results[0].repeat.verdicts.fail >= 1
			and (.results[0].repeat.verdicts | add) == 6 and .summary.unstable == 1 and .options.repeat == 6
			and .summary.fail == 1 and .summary.total == 1' "$work/flaky.json"
	check "flaky: JSON: the failing round's transcript is kept (the RCPT after RSET accepted)" \
		jq -e '[.results[0].transcript[] | select(.dir == "S" and (.text | startswith("250 2.1.5")))] | length >= 2' "$work/flaky.json"
	check "flaky: JSON valid against the schema" schema_ok "$work/flaky.json"
	check "flaky: the typed loader reads it back (smtpspec report --html)" \
		bash -c '"$0" report "$1" --html - | grep -q "class=\"badge b-unstable\">unstable<"' "$bin" "$work/flaky.json"
	check "flaky: HTML: unstable count, section and badge" \
		bash -c 'grep -q "id=\"count-unstable\">1<" "$0" && grep -q "<section id=\"unstable\">" "$0" &&
			grep -q "data-unstable=\"$1\"" "$0" && grep -q "b-unstable\">unstable</span>" "$0"' "$work/flaky.html" "$ID"
	check "flaky: JUnit valid, with the distribution as testcase properties" \
		bash -c 'xmllint --noout --schema "$0" "$1" 2>/dev/null && grep -q "<property name=\"repeat\" value=\"6\"/>" "$1" &&
			grep -qE "<property name=\"verdicts\" value=\"pass [0-9]+, fail [0-9]+\"/>" "$1" &&
			grep -q "<property name=\"unstable\" value=\"true\"/>" "$1"' "$top/harness/tests/junit.xsd" "$work/flaky.xml"
fi

# ---- the conformant fake: nothing unstable -----------------------------------
if ! start_fake; then
	not_ok "fakesmtpd starts"
else
	run conf --repeat 3 --jobs 8 --only 'rfc5321/4.1.1.5/*' --only 'rfc5321/4.1.1.9/*' --json "$work/conf.json"
	run plain --jobs 8 --only 'rfc5321/4.1.1.5/*' --only 'rfc5321/4.1.1.9/*' --json "$work/plain.json"
	stop_fake
	n=$("$bin" run --list --catalogue "$top" --only 'rfc5321/4.1.1.5/*' --only 'rfc5321/4.1.1.9/*' | wc -l)
	[ "$rc" -le 1 ] || not_ok "conformant: the plain run ended" "rc=$rc"
	check "conformant: console says 0 vectors unstable under --repeat 3" grep -qx 'unstable under --repeat 3: 0 vectors' "$work/conf.txt"
	check "conformant: one result per vector ($n), 3 rounds of one verdict each, summary.unstable 0" \
		jq -e --argjson n "$n" '(.results | length) == $n and ([.results[].id] | unique | length) == $n
			and all(.results[]; .repeat.rounds == 3 and (.repeat.verdicts | length) == 1
				and .repeat.verdicts[.verdict] == 3)
			and .summary.unstable == 0 and .options.repeat == 3' "$work/conf.json"
	check "conformant: the same verdicts as one round without --repeat" \
		bash -c 'diff <(jq -r ".results[] | .id + \" \" + .verdict" "$0" | sort) <(jq -r ".results[] | .id + \" \" + .verdict" "$1" | sort)' \
		"$work/conf.json" "$work/plain.json"
	check "conformant: JSON valid against the schema" schema_ok "$work/conf.json"
	check "without --repeat: no repeat field, no unstable count, no unstable line" \
		bash -c 'jq -e "all(.results[]; has(\"repeat\") | not) and (.summary | has(\"unstable\") | not) and (.options | has(\"repeat\") | not)" "$0" >/dev/null && ! grep -q unstable "$1"' \
		"$work/plain.json" "$work/plain.txt"
fi

# ---- usage errors ---------------------------------------------------------------
for v in 0 100000 x -1 ""; do
	"$bin" run --target 127.0.0.1:9 --catalogue "$top" --repeat "$v" --only "$ID" >"$work/u.txt" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q -- '--repeat: expected a number from 1 to 1000' "$work/u.txt"; then
		ok "--repeat \"$v\": usage error (exit 2)"
	else
		not_ok "--repeat \"$v\": usage error (exit 2)" "rc=$rc $(cat "$work/u.txt")"
	fi
done

# --max-memory holds the results first (issue 14 §2): a selection whose
# results alone would spend it is refused before any connection, with the
# numbers; the default budget refuses 1,000 rounds of the whole catalogue.
"$bin" run --target 127.0.0.1:9 --catalogue "$top" --repeat 1000 >"$work/mm.txt" 2>&1
rc=$?
"$bin" run --target 127.0.0.1:9 --catalogue "$top" --repeat 1000 --max-memory 2G --connect-timeout 500 >/dev/null 2>&1
rc2=$?  # past the budget check: port 9 refuses, exit 3
if [ "$rc" -eq 2 ] && grep -q "sessions hold [0-9]* bytes until the reports are written, more than --max-memory 268435456" "$work/mm.txt" &&
	[ "$rc2" -eq 3 ]; then
	ok "--repeat 1000 over the catalogue: refused before connecting under the default --max-memory, tried with 2G ($(grep -o "[0-9]* sessions hold [0-9]* bytes" "$work/mm.txt"))"
else
	not_ok "the results are charged to --max-memory" "rc=$rc rc2=$rc2 $(cat "$work/mm.txt")"
fi

echo "repeat: $passed passed, $failed failed"
[ $failed -eq 0 ]
