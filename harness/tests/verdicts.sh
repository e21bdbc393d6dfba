#!/bin/bash
# verdicts.sh - the verdicts of issue 8 that live in the vector files and the
# quotes checker, against fakesmtpd modes that reproduce each class:
#
#   - a vector's level is its quote's strongest RFC 2119 keyword (smtpspec
#     quotes fails a catalogue where it is not);
#   - one cause, one finding: a server whose HELP answers 250, one without
#     VRFY (500 or 502), one that refuses a second EHLO with 503 each get
#     their finding from the one vector that owns the rule, and the others
#     skip or pass;
#   - the new vectors fail against their mutants (long lines cut into
#     commands, a second EHLO refused that also drops the transaction) and
#     the smuggling modes fail the fake end-of-data vectors.
#
# And, with no profile at all, zero configuration and the close ladder:
# a greeting host that is no mail domain, a catch-all, a server closing
# with 421 after errors or on a bare LF (security.sh has the smuggling
# outcomes).  Only 127.0.0.1 is contacted.  Ends with "verdicts: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
catalogue=${SMTPSPEC_CATALOGUE:-$top}
work=$(mktemp -d /tmp/smtpspec-verdicts.XXXXXX)
passed=0
failed=0
fake_pid=

cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

echo "# smtpspec verdict tests (work dir $work)"

# ---- levels from the RFC's own words --------------------------------------
# A private RFC text and catalogue: the check must not depend on ../shared/rfc.
mkdir -p "$work/rfc" "$work/cat/vectors/x"
cat >"$work/rfc/rfc5321.txt" <<'EOF'
   If the server SMTP does not recognize or cannot implement one or more
   of the parameters associated with a particular MAIL FROM or RCPT TO
   command, it will return code 555.

   The receiver MUST send a "250 OK" reply to a RSET command with no
   arguments.
EOF
# level_vector FILE LEVEL QUOTE: a one-step vector with this level and quote.
level_vector() {
	printf '{ "id": "rfc5321/4.1.1.11/x-%s", "title": "t", "rfc": 5321, "section": "4.1.1.11",\n  "level": "%s", "quote": "%s",\n  "steps": [ { "send": "NOOP", "expect": 250 } ] }\n' \
		"$(echo "$2" | tr 'A-Z' 'a-z')" "$2" "$3" >"$work/cat/vectors/x/$1"
}
level_vector a.json MUST "it will return code 555."
"$bin" quotes --rfc-dir "$work/rfc" --catalogue "$work/cat" >"$work/q1.txt" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'x-must: level MUST, but the strongest keyword of the quote is none' "$work/q1.txt" &&
	grep -q 'levels: 0 agree with their quote, 1 do not' "$work/q1.txt"; then
	ok "quotes: a MUST whose quote has no keyword fails (exit 1, file:line, the reason)"
else
	not_ok "quotes: a MUST whose quote has no keyword fails" "exit $rc: $(cat "$work/q1.txt")"
fi
level_vector a.json MAY "it will return code 555."
level_vector b.json SHOULD "The receiver MUST send a \\\"250 OK\\\" reply to a RSET command with no arguments."
"$bin" quotes --rfc-dir "$work/rfc" --catalogue "$work/cat" >"$work/q2.txt" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'x-should: level SHOULD, but the strongest keyword of the quote is MUST' "$work/q2.txt" &&
	! grep -q 'x-may:' "$work/q2.txt"; then
	ok "quotes: a SHOULD quoting a MUST fails; a MAY quoting no keyword passes"
else
	not_ok "quotes: SHOULD quoting a MUST" "exit $rc: $(cat "$work/q2.txt")"
fi
level_vector b.json MUST "The receiver MUST send a \\\"250 OK\\\" reply to a RSET command with no arguments."
"$bin" quotes --rfc-dir "$work/rfc" --catalogue "$work/cat" >"$work/q3.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "quotes: levels equal to their keywords pass (exit 0)" ||
	not_ok "quotes: matching levels pass" "exit $rc: $(cat "$work/q3.txt")"

# ---- the fake server in one mode or more ---------------------------------
cat >"$work/profile.json" <<'EOF'
{ "domain": "fake.test", "mailbox": "smtpspec@fake.test", "rejected_mailbox": "no-such-user@fake.test" }
EOF

# run_mode OUT MODE...: the whole catalogue against fakesmtpd in MODE(s).
# the profile every run_mode uses; empty for zero configuration
profile_args=(--profile "$work/profile.json")

run_mode() {
	local out=$1 m args=()
	shift
	for m in "$@"; do args+=(--mode "$m"); done
	if fake_start "${args[@]}"; then
		"$bin" run --target "127.0.0.1:$port" "${profile_args[@]}" --catalogue "$catalogue" \
			--no-progress --timeout "${VERDICTS_TIMEOUT_MS:-1500}" --jobs 32 --deadline 300 \
			--json "$out" >/dev/null 2>&1
	fi
	stop_fake
	[ -s "$out" ]
}

# findings FILE: "verdict id" of every result that is not a pass or a skip.
findings() {
	jq -r '.results[] | select(.verdict != "pass" and .verdict != "skip") | "\(.verdict) \(.id)"' "$1" | sort
}

# expect_findings NAME FILE EXPECTED: exactly these findings (sorted lines).
expect_findings() {
	local got
	got=$(findings "$2")
	if [ "$got" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected:
$3
got:
$got"
	fi
}

# expect_verdicts NAME FILE VERDICT ID...: each ID has VERDICT.
expect_verdicts() {
	local name=$1 file=$2 want=$3 id got bad=
	shift 3
	for id in "$@"; do
		got=$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .verdict' "$file")
		[ "$got" = "$want" ] || bad="$bad$id: ${got:-<missing>} ($(jq -r --arg id "$id" '.results[] | select(.id == $id) | .reason' "$file"))
"
	done
	if [ -z "$bad" ]; then ok "$name"; else not_ok "$name" "$bad"; fi
}

# a conformant server: no finding at all
if run_mode "$work/base.json"; then
	expect_findings "conformant fakesmtpd: no finding" "$work/base.json" ""
else
	not_ok "conformant fakesmtpd: a result"
fi

# HELP answered 250: only help-supported owns HELP's code; every other
# vector that sends HELP passes (a note of the §4.3.2 table, a warning of
# the engine's, is all that may be left beside them).
if run_mode "$work/help.json" help-250; then
	expect_verdicts "help-250: help-supported warns" "$work/help.json" warn rfc5321/4.1.1.8/help-supported
	check "help-250: no vector fails, and none but help-supported finds more than the §4.3.2 table note" \
		jq -e '[.results[] | select(.verdict != "pass" and .verdict != "skip" and .id != "rfc5321/4.1.1.8/help-supported")
			| select(.verdict != "warn" or (.reason | contains("§4.3.2 lists for it") | not))] == []' "$work/help.json"
else
	not_ok "help-250: a result"
fi

# A server without VRFY, 500 or 502 alike: one warning, by vrfy-supported;
# every other VRFY vector skips.
vrfy_skips="rfc5321/3.5.1/vrfy-local-user-recognized rfc5321/3.5.1/vrfy-mailbox-form-accepted
	rfc5321/3.5.1/vrfy-250-names-mailbox rfc5321/3.5.2/vrfy-reply-names-mailbox rfc5321/3.5.3/vrfy-unknown-not-250
	rfc5321/4.1.1.6/vrfy-keeps-transaction rfc5321/4.1.1.6/vrfy-no-argument-syntax-error rfc5321/4.1.4/vrfy-before-ehlo
	rfc5321/7.3/vrfy-deliverable-not-550"
for m in no-vrfy-500 no-vrfy-502; do
	if run_mode "$work/$m.json" "$m"; then
		expect_findings "$m: one finding, a warning by rfc5321/4.5.1/vrfy-supported" "$work/$m.json" \
			"warn rfc5321/4.5.1/vrfy-supported"
		# shellcheck disable=SC2086
		expect_verdicts "$m: the other VRFY vectors skip" "$work/$m.json" skip $vrfy_skips
	else
		not_ok "$m: a result"
	fi
done

# A second EHLO refused with 503, the transaction kept: second-ehlo-accepted
# owns it (an info: the client's MAY); the vectors that need a second EHLO
# or HELO skip; second-ehlo-refused-keeps-transaction passes its own rule
# (the engine's §4.3.2 table note about 503 for EHLO may stand beside it).
if run_mode "$work/ehlo.json" second-ehlo-503; then
	expect_verdicts "second-ehlo-503: second-ehlo-accepted is an info" "$work/ehlo.json" info \
		rfc5321/4.1.4/second-ehlo-accepted
	expect_verdicts "second-ehlo-503: the vectors that need a second EHLO or HELO skip" "$work/ehlo.json" skip \
		rfc5321/4.1.4/ehlo-resets-transaction rfc5321/4.1.4/mail-after-new-ehlo rfc5321/4.1.4/ehlo-refused-keeps-transaction \
		rfc5321/4.1.1.1/helo-resets-transaction rfc5321/4.1.1.1/ehlo-lists-help rfc5321/4.1.1.1/ehlo-lists-expn
	check "second-ehlo-503: no other finding (the §4.3.2 table note aside)" \
		jq -e '[.results[] | select(.verdict != "pass" and .verdict != "skip" and .id != "rfc5321/4.1.4/second-ehlo-accepted")
			| select(.id != "rfc5321/4.1.4/second-ehlo-refused-keeps-transaction" or .verdict != "warn"
				or (.reason | contains("§4.3.2 lists for it") | not))] == []' "$work/ehlo.json"
	expect_verdicts "second-ehlo-503: the EHLO-argument vectors (the session's first EHLO) pass" "$work/ehlo.json" pass \
		rfc5321/4.1.1.1/ehlo-ipv4-literal rfc5321/4.1.1.1/ehlo-ipv6-literal-compressed rfc5321/4.1.1.1/ehlo-ipv6-literal-full \
		rfc5321/4.1.1.1/ehlo-ipv6v4-literal rfc5321/4.1.1.1/ehlo-keyword-characters rfc5321/4.1.1.1/ehlo-reply-lines-have-keyword \
		rfc5321/2.2.2/ehlo-keywords-registered rfc5321/4.5.3.1/ehlo-domain-255-octets rfc5321/4.1.4/ehlo-no-argument-501
else
	not_ok "second-ehlo-503: a result"
fi
if run_mode "$work/ehlo550.json" second-ehlo-550; then
	expect_findings "second-ehlo-550: one finding, an info by second-ehlo-accepted" "$work/ehlo550.json" \
		"info rfc5321/4.1.4/second-ehlo-accepted"
	expect_verdicts "second-ehlo-550: second-ehlo-refused-keeps-transaction passes" "$work/ehlo550.json" pass \
		rfc5321/4.1.4/second-ehlo-refused-keeps-transaction
else
	not_ok "second-ehlo-550: a result"
fi
if run_mode "$work/ehlo-resets.json" second-ehlo-503 bad-ehlo-resets; then
	expect_verdicts "second-ehlo-503 that drops the transaction: second-ehlo-refused-keeps-transaction fails" \
		"$work/ehlo-resets.json" fail rfc5321/4.1.4/second-ehlo-refused-keeps-transaction
else
	not_ok "second-ehlo-503+bad-ehlo-resets: a result"
fi

# A fixed command buffer that executes the rest of a long line.
if run_mode "$work/split.json" long-line-split; then
	expect_verdicts "long-line-split: every long line's tail executed is caught by the sentinels" "$work/split.json" fail \
		rfc5321/4.2/long-line-one-reply-1k rfc5321/4.2/long-line-one-reply-4k \
		rfc5321/4.2/long-line-one-reply-16k-plus-1 rfc5321/4.2/long-line-one-reply-64k
else
	not_ok "long-line-split: a result"
fi

# Fake ends of mail data: the server that executes what follows and the one
# that discards it both fail every fake end-of-data vector (the engine's
# three-way judging of issue 8 §3 will tell them apart).
fake_ends="rfc5321/4.1.1.4/bare-lf-dot-not-end-of-data rfc5321/4.1.1.4/crlf-dot-lf-not-end-of-data
	rfc5321/4.1.1.4/lf-dot-crlf-not-end-of-data rfc5321/2.3.8/cr-dot-cr-not-end-of-data
	rfc5321/2.3.8/cr-dot-crlf-not-end-of-data rfc5321/2.3.8/crlf-dot-cr-not-end-of-data"
for m in smuggling-exploitable data-ends-early-discards; do
	if run_mode "$work/$m.json" "$m"; then
		# shellcheck disable=SC2086
		expect_verdicts "$m: every fake end of data fails" "$work/$m.json" fail $fake_ends
	else
		not_ok "$m: a result"
	fi
done

# Refusing bare CR and LF with 451 at the end of data is conformant.
if run_mode "$work/451.json" refuse-bare-lf-451; then
	expect_findings "refuse-bare-lf-451: no finding" "$work/451.json" ""
else
	not_ok "refuse-bare-lf-451: a result"
fi

# ---- zero configuration and the close ladder (no profile at all) ---------
# Servers real users have: a greeting that names a host that is not a mail
# domain, a catch-all, one that closes with 421 after a burst of errors, one
# that refuses bare CR or LF with 421 and closes.  With only --target: no
# error, no fail; what cannot be judged skips with one reason.
profile_args=()
for m in greeting-host-not-mail-domain catch-all closes-after-errors refuse-bare-lf-421; do
	if run_mode "$work/zc-$m.json" "$m"; then
		check "$m, no profile: no error and no fail" \
			jq -e '.summary.error == 0 and .summary.fail == 0' "$work/zc-$m.json"
	else
		not_ok "$m, no profile: a result"
	fi
done
check "greeting-host-not-mail-domain: the recipient found is postmaster at the parent of the greeting's domain" \
	jq -e '.target.mailbox == "postmaster@smtpspec.test" and .target.domain == "smtpspec.test" and (.target.recipients | contains("parent of the greeting"))' \
	"$work/zc-greeting-host-not-mail-domain.json"
check "catch-all: the vectors needing a refused recipient skip, all for one reason naming --rejected-mailbox" \
	jq -e '[.results[] | select(.verdict == "skip" and (.reason | contains("--rejected-mailbox")))] | length > 5 and (map(.reason) | unique | length == 1)' \
	"$work/zc-catch-all.json"
check "closes-after-errors: the recipient-limit vectors end without a fail (452 then 421 is a defence, RFC 5321 §7.8)" \
	jq -e '[.results[] | select(.id | startswith("rfc5321/4.5.3.1.")) | .verdict] | all(. == "pass" or . == "skip")' \
	"$work/zc-closes-after-errors.json"
check "refuse-bare-lf-421: every smuggling vector passes (refused)" \
	jq -e '[.results[] | select(.category == "security" and (.id | contains("not-end-of-data"))) | .verdict] | length >= 20 and all(. == "pass")' \
	"$work/zc-refuse-bare-lf-421.json"
profile_args=(--profile "$work/profile.json")

echo "verdicts: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
