#!/usr/bin/env bash
# security.sh - security findings judged by what the server executed (issue 8
# §3): SMTP smuggling against a private Postfix as Debian ships it
# (smtpd_forbid_bare_newline = no: exploitable, security fails) and with the
# fix on (= yes, no exclusions: no security finding at all), and against the
# fake server's smuggling modes, one verdict per outcome.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
. "$top/harness/tests/lib.sh"
passed=0
failed=0
work=$(mktemp -d /tmp/smtpspec-security.XXXXXX)
chmod 755 "$work" # the private Postfix runs as user postfix
cleanup() {
	"$top/scripts/postfix-private.sh" stop "$work/pf-open" >/dev/null 2>&1
	"$top/scripts/postfix-private.sh" stop "$work/pf-fixed" >/dev/null 2>&1
	[ -n "${fake_pid:-}" ] && kill "$fake_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

smuggling='rfc5321/*/*-not-end-of-data*'

# security_ids FILE: the ids of security fails, sorted, one line.
security_ids() {
	jq -r '[.results[] | select(.verdict == "fail" and .category == "security") | .id] | sort | join(" ")' "$1"
}

# ---- Postfix as shipped: exploitable ---------------------------------------
if port=$(start_server postfix-private "$work/pf-open" "$work/pf-open.txt"); then
	"$bin" run --target "127.0.0.1:$port" --only "$smuggling" --no-progress --json "$work/open.json" >"$work/open.txt" 2>&1
	want="rfc5321/4.1.1.4/bare-lf-dot-not-end-of-data rfc5321/4.1.1.4/bare-lf-dot-not-end-of-data-next-write rfc5321/4.1.1.4/crlf-dot-lf-not-end-of-data rfc5321/4.1.1.4/crlf-dot-lf-not-end-of-data-next-write rfc5321/4.1.1.4/lf-dot-crlf-not-end-of-data rfc5321/4.1.1.4/lf-dot-crlf-not-end-of-data-next-write"
	got=$(security_ids "$work/open.json")
	[ "$got" = "$want" ] && ok "postfix (forbid_bare_newline=no): the six bare-LF sequences are security fails" ||
		not_ok "postfix open: security fails" "got: $got"
	check "postfix (forbid_bare_newline=no): the transcript shows the smuggled transaction answered (354)" \
		jq -e '.results[] | select(.id == "rfc5321/4.1.1.4/bare-lf-dot-not-end-of-data") | [.transcript[] | select(.dir == "S") | .text] | any(startswith("354 "))' "$work/open.json"
	check "postfix (forbid_bare_newline=no): no error, the rest pass" \
		jq -e '.summary.error == 0 and .summary.fail == 6' "$work/open.json"
	"$top/scripts/postfix-private.sh" stop "$work/pf-open" >/dev/null 2>&1
else
	not_ok "postfix starts" "$(cat "$work/pf-open.txt")"
fi

# ---- Postfix with the fix on: nothing exploitable --------------------------
if port=$(SMTPSPEC_POSTFIX_CONF="smtpd_forbid_bare_newline=yes smtpd_forbid_bare_newline_exclusions=" \
	start_server postfix-private "$work/pf-fixed" "$work/pf-fixed.txt"); then
	"$bin" run --target "127.0.0.1:$port" --only "$smuggling" --no-progress --json "$work/fixed.json" >"$work/fixed.txt" 2>&1
	rc=$?
	[ $rc -eq 0 ] && ok "postfix (forbid_bare_newline=yes): the smuggling vectors pass (exit 0)" ||
		not_ok "postfix fixed: exit 0" "exit $rc: $(grep -E '^(fail|error)' "$work/fixed.txt")"
	check "postfix (forbid_bare_newline=yes): no security finding" \
		jq -e '.summary.security.fail == 0 and ([.results[] | select(.category == "security" and .verdict != "pass")] | length == 0)' "$work/fixed.json"
	check "postfix (forbid_bare_newline=yes): the fake end stayed message content (one 250 for the whole content)" \
		jq -e '.results[] | select(.id == "rfc5321/4.1.1.4/bare-lf-dot-not-end-of-data") | [.transcript[] | select(.dir == "S") | .text | select(startswith("250 2.0.0"))] | length == 1' "$work/fixed.json"
else
	not_ok "postfix with the fix starts" "$(cat "$work/pf-fixed.txt")"
fi

# ---- the fake server: one verdict per outcome -------------------------------
# fake_run MODE OUT: the smuggling vectors against the fake server in MODE.
fake_run() {
	local out=$2
	"$fake" --port 0 ${1:+--mode "$1"} >"$work/fake.txt" 2>&1 &
	fake_pid=$!
	for _ in $(seq 1 50); do grep -q READY "$work/fake.txt" && break; sleep 0.1; done
	"$bin" run --target "127.0.0.1:$(awk '/READY/{print $2}' "$work/fake.txt")" --only "$smuggling" \
		--no-progress --json "$out" >/dev/null 2>&1
	kill "$fake_pid" 2>/dev/null
	wait "$fake_pid" 2>/dev/null
	fake_pid=
}

fake_run "" "$work/f-ok.json"
check "fake, conformant: every smuggling vector passes" jq -e '.summary.pass == .summary.total' "$work/f-ok.json"
fake_run bare-lf-ends-data "$work/f-lf.json"
check "fake, <LF>.<LF> ends the data and the rest runs: security fails" \
	jq -e '[.results[] | select(.id | test("bare-lf-dot")) | .verdict + "/" + .category] == ["fail/security", "fail/security"]' "$work/f-lf.json"
for mode in refuse-bare-lf-421 refuse-bare-lf-451; do
	if "$fake" --list-modes 2>/dev/null | grep -q "^$mode "; then
		fake_run "$mode" "$work/f-$mode.json"
		check "fake $mode: refusing the bare CR or LF passes, no error" \
			jq -e '.summary.fail == 0 and .summary.error == 0' "$work/f-$mode.json"
	fi
done
if "$fake" --list-modes 2>/dev/null | grep -q "^data-ends-early-discards "; then
	fake_run data-ends-early-discards "$work/f-early.json"
	check "fake data-ends-early-discards: conformance fails, no security finding" \
		jq -e '([.results[] | select(.verdict == "fail")] | length > 0) and ([.results[] | select(.verdict == "fail") | .category] | all(. == "conformance"))' "$work/f-early.json"
fi
if "$fake" --list-modes 2>/dev/null | grep -q "^smuggling-exploitable "; then
	fake_run smuggling-exploitable "$work/f-exp.json"
	check "fake smuggling-exploitable: all 20 fake sequences (10, in one write and in two) are security fails" \
		jq -e '[.results[] | select(.verdict == "fail") | .category] | length == 20 and all(. == "security")' "$work/f-exp.json"
fi

echo "security: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
