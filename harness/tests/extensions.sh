#!/bin/bash
# extensions.sh - the ESMTP extension vectors (RFC 1870 SIZE, 6152 8BITMIME,
# 6531 SMTPUTF8, 3030 CHUNKING, 3461 DSN, 3463 subjects, the 2034 keyword)
# against known
# servers, with the verdicts that are known facts about them:
#
#   fakesmtpd, conformant (every extension vector passes but the four "not
#   advertised" ones, which skip), its no-extensions variant (those four
#   pass, the rest skip but RFC 2034's and 3463's: ENHANCEDSTATUSCODES stays) and a few
#   one-rule mutants (the vector of that rule
#   fails, at the level of its quote);
#   a private Postfix and a private Exim (scripts/*-private.sh): exactly
#   their known failures and warnings, no error (README, "Interoperability").
#
# Also the coverage maps: each extension RFC prints "N of M requirements
# checked", no MUST is left without a vector or a reason, and a broken map
# is refused at its file:line:column.  Only 127.0.0.1 is contacted.  Ends
# with "extensions: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
work=$(mktemp -d /tmp/smtpspec-ext.XXXXXX)
chmod 755 "$work" # the private servers drop privileges
passed=0
failed=0
fake_pid=

trap cleanup_servers EXIT # lib.sh

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

# The extension vectors: every file of these RFCs.
SELECT=(--only 'rfc1870/*' --only 'rfc6152/*' --only 'rfc6531/*' --only 'rfc3030/*' --only 'rfc3461/*' --only 'rfc3463/*' --only 'rfc2034/3/*')
NOT_ADVERTISED='["rfc1870/4/size-not-advertised-555","rfc3461/2/dsn-not-advertised-555","rfc6152/3/body-not-advertised-555","rfc6531/3.1/smtputf8-not-advertised-555"]'

cat >"$work/fake-profile.json" <<'EOF'
{ "domain": "fake.test", "mailbox": "smtpspec@fake.test", "rejected_mailbox": "no-such-user@fake.test" }
EOF

# run_fake OUT MODE...: the extension vectors against fakesmtpd in MODE.
run_fake() {
	local out=$1 m args=()
	shift
	for m in "$@"; do args+=(--mode "$m"); done
	coproc FAKE { exec "$fake" --port 0 "${args[@]}"; }
	fake_pid=$FAKE_PID
	if ! read -r -t 10 ready port <&"${FAKE[0]}" || [ "$ready" != READY ]; then
		echo "extensions: fakesmtpd $* did not start" >&2
		return 1
	fi
	"$bin" run --target "127.0.0.1:$port" --profile "$work/fake-profile.json" --no-progress --timeout 3000 \
		--jobs 16 "${SELECT[@]}" --json "$out" >/dev/null 2>&1
	kill "$fake_pid" 2>/dev/null
	wait "$fake_pid" 2>/dev/null
	fake_pid=
	[ -s "$out" ]
}

# verdict FILE ID: the verdict of one vector in a JSON result.
verdict() {
	jq -r --arg id "$2" '.results[] | select(.id == $id) | .verdict' "$1"
}

# expect_verdict NAME FILE ID VERDICT
expect_verdict() {
	local got
	got=$(verdict "$2" "$3")
	if [ "$got" = "$4" ]; then
		ok "$1: $3 is $4"
	else
		not_ok "$1: $3 is $4" "got '${got:-<missing>}': $(jq -r --arg id "$3" '.results[] | select(.id == $id) | .reason' "$2")"
	fi
}

# ids FILE VERDICT: the sorted ids with that verdict, as a JSON array.
ids() {
	jq -c --arg v "$2" '[.results[] | select(.verdict == $v) | .id] | sort' "$1"
}

# expect_ids NAME FILE VERDICT JSON-ARRAY: exactly these ids have the verdict.
expect_ids() {
	local got want
	got=$(ids "$2" "$3")
	want=$(jq -c 'sort' <<<"$4")
	if [ "$got" = "$want" ]; then
		ok "$1: the $3 verdicts are exactly $want"
	else
		not_ok "$1: the $3 verdicts" "expected $want
got      $got"
	fi
}

echo "# smtpspec extension tests (work dir $work)"

# ---- fakesmtpd: conformant, no extensions, mutants -----------------------
if run_fake "$work/base.json"; then
	check "fakesmtpd: every extension vector passes, but the not-advertised ones and BINARYMIME's skip" \
		jq -e --argjson na "$NOT_ADVERTISED" '([.results[] | select(.verdict != "pass") | .id] | sort) == ($na + ["rfc3030/3/data-after-binarymime-503"] | sort)
			and ([.results[] | select(.verdict == "skip") | .reason] | all(contains("this vector checks a server that does not") or contains("does not advertise BINARYMIME")))' "$work/base.json"
else
	not_ok "fakesmtpd runs"
fi
if run_fake "$work/binary.json" binarymime; then
	expect_verdict "fakesmtpd binarymime" "$work/binary.json" rfc3030/3/data-after-binarymime-503 pass
else
	not_ok "fakesmtpd binarymime runs"
fi
if run_fake "$work/noext.json" no-extensions; then
	check "fakesmtpd without extensions: the not-advertised vectors pass (555), the others skip" \
		jq -e --argjson na "$NOT_ADVERTISED" '[.results[] | select(.id | test("^rfc(3463|2034)/") | not)] as $r
			| ([$r[] | select(.verdict == "pass") | .id] | sort) == $na
			and ([$r[] | select(.verdict != "pass") | .verdict] | all(. == "skip"))' "$work/noext.json"
else
	not_ok "fakesmtpd no-extensions runs"
fi
# one-rule mutants: the vector of the rule, at the level of its quote
mutant() {
	local mode=$1 id=$2 want=$3
	if run_fake "$work/mut-$mode.json" "$mode"; then
		expect_verdict "mutant $mode" "$work/mut-$mode.json" "$id" "$want"
	else
		not_ok "fakesmtpd $mode runs"
	fi
}
mutant size-not-enforced rfc1870/7/size-over-limit-552 info
mutant size-ends-data rfc1870/6/size-not-end-of-content fail
mutant data-size-not-enforced rfc1870/4/message-over-limit-552 info
mutant body-8bitmime-rejected rfc6152/3/body-8bitmime-accepted info
mutant smtputf8-rejected rfc6531/3.2/utf8-mailboxes-accepted fail
mutant utf8-reply-echo rfc6531/3.7.4.2/vrfy-reply-ascii fail
mutant bdat-ends-at-dot rfc3030/2/bdat-chunk-not-commands fail
mutant bdat-failure-no-discard rfc3030/2/bdat-pipelined-after-failure fail
mutant bdat-data-mixed rfc3030/2/data-after-bdat-503 fail
mutant bdat-eats-crlf rfc3030/2/bdat-last-accepted fail
mutant dsn-params-rejected rfc3461/5.1/ret-envid-accepted fail
mutant dsn-syntax-accepted rfc3461/5.1/orcpt-no-type-501 warn
mutant unadvertised-params-501 rfc1870/4/size-not-advertised-555 info
mutant enhanced-wrong-subject rfc3463/2/mail-subject-address info
mutant binarymime-data-accepted rfc3030/3/data-after-binarymime-503 fail
mutant ehlo-a-label-rejected rfc6531/3.7.1/ehlo-a-label-accepted fail
mutant ext-keyword-parameters rfc6531/3.1/ehlo-smtputf8-no-parameters fail

# ---- a private Postfix ---------------------------------------------------
if pf_port=$(start_server postfix-private "$work/postfix" "$work/pf.txt"); then
	"$bin" run --target "127.0.0.1:$pf_port" --no-progress "${SELECT[@]}" --json "$work/pf.json" >"$work/pf-run.txt" 2>&1
	"$top/scripts/postfix-private.sh" stop "$work/postfix" >/dev/null 2>&1
	check "postfix: no extension vector errors" jq -e '.summary.error == 0 and .summary.total > 50' "$work/pf.json"
	# Postfix repeats a UTF-8 address in the text of its 550 to RCPT and
	# VRFY, which RFC 6531 §3.7.4.2 forbids (README, interoperability)
	expect_ids "postfix" "$work/pf.json" fail '["rfc6531/3.7.4.2/rcpt-refusal-ascii","rfc6531/3.7.4.2/vrfy-reply-ascii"]'
	expect_ids "postfix" "$work/pf.json" info '["rfc1870/6/size-twice-refused","rfc6152/3/body-twice-refused",
		"rfc6531/3.5/utf8-recipient-without-smtputf8-553","rfc6531/3.5/utf8-sender-without-smtputf8-550"]'
	# ... and the reply grammar sees the same echo (8-bit reply text) in two
	# vectors that judge something else: a warning there, or only a note
	# where one cause makes one finding (issue 8); never a failure
	check "postfix: the UTF-8 echo is at most a warning beside the two vectors that own it" \
		jq -e '[.results[] | select(.verdict == "warn") | .id] - ["rfc6531/3.2/utf8-mailboxes-accepted",
			"rfc6531/3.7.4.2/vrfy-utf8-without-smtputf8-252-550"] == [] and
			([.results[] | select(.id == "rfc6531/3.2/utf8-mailboxes-accepted" or
			.id == "rfc6531/3.7.4.2/vrfy-utf8-without-smtputf8-252-550") | .verdict] | all(. == "pass" or . == "warn"))' "$work/pf.json"
	# the extensions it advertises skip the not-advertised vectors; it has
	# no BINARYMIME; it accepts the UTF-8 sender, so no 5.6.7 to look at
	expect_ids "postfix" "$work/pf.json" skip "$(jq -c '. + ["rfc3030/3/data-after-binarymime-503",
		"rfc6531/3.5/utf8-sender-refusal-x-6-7"]' <<<"$NOT_ADVERTISED")"
	expect_verdict "postfix" "$work/pf.json" rfc3030/2/bdat-pipelined-after-failure pass
	expect_verdict "postfix" "$work/pf.json" rfc1870/4/message-over-limit-552 pass
	expect_verdict "postfix" "$work/pf.json" rfc3461/5.1/envid-bad-xtext-501 pass
else
	not_ok "postfix starts" "$(tail -20 "$work/pf.txt")"
fi

# ---- a private Exim --------------------------------------------------------
if ex_port=$(start_server exim-private "$work/exim" "$work/ex.txt"); then
	"$bin" run --target "127.0.0.1:$ex_port" --no-progress "${SELECT[@]}" --json "$work/ex.json" >"$work/ex-run.txt" 2>&1
	"$top/scripts/exim-private.sh" stop "$work/exim" >/dev/null 2>&1
	check "exim: no extension vector errors" jq -e '.summary.error == 0 and .summary.total > 50' "$work/ex.json"
	# Exim accepts ENVID=smtpspec+zz (not xtext: RFC 3461 §5.1 (a) MUST 501)
	expect_ids "exim" "$work/ex.json" fail '["rfc3461/5.1/envid-bad-xtext-501"]'
	# ... and ORCPT=rfc822 without ";" (§5.1 (b) SHOULD 501)
	expect_ids "exim" "$work/ex.json" warn '["rfc3461/5.1/orcpt-no-type-501"]'
	# ... and refuses "VRFY <mailbox> SMTPUTF8" with 501 (RFC 6531 §3.1 (6))
	expect_ids "exim" "$work/ex.json" info '["rfc1870/3/size-not-a-number-refused","rfc1870/6/size-twice-refused",
		"rfc6152/3/body-twice-refused","rfc6531/3.1/vrfy-smtputf8-parameter","rfc6531/3.5/utf8-recipient-without-smtputf8-553","rfc6531/3.5/utf8-sender-without-smtputf8-550"]'
	check "exim: no ENHANCEDSTATUSCODES, so the RFC 3463 subject vectors skip" \
		jq -e '[.results[] | select(.id | startswith("rfc3463/2/")) | .verdict] | all(. == "skip")' "$work/ex.json"
	expect_verdict "exim" "$work/ex.json" rfc3030/2/bdat-pipelined-after-failure pass
	expect_verdict "exim" "$work/ex.json" rfc6531/3.7.4.2/vrfy-reply-ascii pass
else
	not_ok "exim starts" "$(tail -20 "$work/ex.txt")"
fi

# ---- the coverage maps ---------------------------------------------------
"$bin" coverage --catalogue "$top" >"$work/coverage.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "coverage: no MUST without a vector or a reason (exit 0)" || not_ok "coverage exit 0" "exit $rc: $(grep -B2 GAP "$work/coverage.txt")"
for rfc in 1870 6152 6531 3030 3461 3207; do
	line=$(grep "^RFC $rfc: [0-9]* of [0-9]* requirements checked" "$work/coverage.txt")
	[ -n "$line" ] && ok "coverage: $line" || not_ok "coverage: RFC $rfc has no count line"
done
# the certification statement of each extension suite says how much of its
# RFC it checked, with the same count as `smtpspec coverage`
saved_select=("${SELECT[@]}")
SELECT=(--suite rfc1870 --suite rfc3030)
if run_fake "$work/cert.json"; then
	for rfc in 1870 3030; do
		want=$(grep "^RFC $rfc: " "$work/coverage.txt" | sed -n 's/^RFC [0-9]*: \([0-9]* of [0-9]*\) requirements checked.*/\1/p')
		if [ -n "$want" ] && jq -e --arg s "rfc$rfc" --arg w "$want requirements checked" \
			'.certification.suites[] | select(.name == $s) | .line | contains($w)' "$work/cert.json" >/dev/null; then
			ok "certification: the RFC $rfc statement says $want requirements checked, as coverage does"
		else
			not_ok "certification: RFC $rfc coverage in the statement" "want '$want'; $(jq -r '.certification.suites[].line' "$work/cert.json" 2>&1 | head -3)"
		fi
	done
else
	not_ok "fakesmtpd runs for the certification check"
fi
SELECT=("${saved_select[@]}")

# a map with a MUST sentence nobody checks: a gap, exit 1; a bad map: exit 2
mkdir -p "$work/cat/suites/coverage"
ln -s "$top/vectors" "$work/cat/vectors"
printf '{ "rfc": 3030, "sections": [\n  { "section": "2", "title": "t", "requirement": "No vector quotes this sentence.", "level": "MUST" } ] }\n' \
	>"$work/cat/suites/coverage/rfc3030.json"
"$bin" coverage --catalogue "$work/cat" >"$work/gap.txt" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'GAP' "$work/gap.txt" && grep -q '^RFC 3030: 0 of 1 requirements checked' "$work/gap.txt" &&
	ok "coverage: an unchecked MUST sentence is a gap (exit 1, 0 of 1 checked)" || not_ok "coverage gap" "exit $rc: $(cat "$work/gap.txt")"
printf '{ "rfc": 3030, "sections": [\n  { "section": "2", "title": "t", "requirement": 7, "level": "MUST" } ] }\n' \
	>"$work/cat/suites/coverage/rfc3030.json"
"$bin" coverage --catalogue "$work/cat" >"$work/bad.txt" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'rfc3030.json:2:[0-9]*: error: sections\[0\].requirement' "$work/bad.txt" &&
	ok "coverage: a requirement that is not a string is refused at file:line:column (exit 2)" || not_ok "coverage bad map" "exit $rc: $(cat "$work/bad.txt")"

echo "extensions: $passed passed, $failed failed"
[ $failed -eq 0 ]
