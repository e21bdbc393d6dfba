#!/bin/bash
# integration.sh - run bin/smtpspec against real SMTP servers on loopback and
# check verdicts that are known facts about them.
#
#   smtp-sink (Postfix's test server): accepts everything, checks no syntax;
#   a private Postfix instance (scripts/postfix-private.sh): a conformant
#   server with a known configuration (see the header of that script).
#
# Also: exit codes (unreachable target, bad vector file, bad usage), --list
# without network, the JSON result's shape and its real transcripts.
# Only 127.0.0.1 is ever contacted.  Ends with "N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
work=$(mktemp -d /tmp/smtpspec-it.XXXXXX)
chmod 755 "$work" # the private Postfix runs as user postfix
passed=0
failed=0

cleanup() {
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
	"$top/scripts/postfix-private.sh" stop "$work/postfix" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

# verdict FILE ID: the verdict of one vector in a JSON result.
verdict() {
	jq -r --arg id "$2" '.results[] | select(.id == $id) | .verdict' "$1"
}

# expect_verdict NAME FILE ID VERDICT
expect_verdict() {
	got=$(verdict "$2" "$3")
	if [ "$got" = "$4" ]; then
		ok "$1: $3 is $4"
	else
		not_ok "$1: $3 is $4" "got '${got:-<missing>}': $(jq -r --arg id "$3" '.results[] | select(.id == $id) | .reason' "$2")"
	fi
}

echo "# smtpspec integration tests (work dir $work)"

# ---- no network: usage, listing, bad input files ------------------------
"$bin" run --list >"$work/list.txt" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q '^MUST   rfc5321/' "$work/list.txt"; then
	ok "--list prints the catalogue ($(wc -l <"$work/list.txt") vectors) and exits 0"
else
	not_ok "--list" "exit $rc: $(head -5 "$work/list.txt")"
fi

"$bin" run --target 127.0.0.1:1 --jobs 0 >"$work/usage.txt" 2>&1
rc=$?
[ $rc -eq 2 ] && ok "--jobs 0 is bad usage (exit 2)" || not_ok "--jobs 0 exit 2" "exit $rc: $(cat "$work/usage.txt")"

"$bin" run --target '::1:25' >"$work/usage.txt" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'brackets' "$work/usage.txt" && ok "an IPv6 target without brackets is bad usage (exit 2)" ||
	not_ok "IPv6 without brackets" "exit $rc: $(cat "$work/usage.txt")"

"$bin" run >"$work/usage.txt" 2>&1
rc=$?
[ $rc -eq 2 ] && ok "run without --target is bad usage (exit 2)" || not_ok "run without --target" "exit $rc"

# a catalogue with a syntax error: exit 2 with file:line:column, nothing run
mkdir -p "$work/badcat/vectors/x" "$work/badcat/suites"
cp "$top/vectors/rfc5321/4.1.1.5-rset.json" "$work/badcat/vectors/x/good.json"
printf '{\n  "id": "rfc5321/4.1.1.9/noop",\n  "title": "x",,\n}\n' >"$work/badcat/vectors/x/bad.json"
port=$(free_port)
"$bin" run --catalogue "$work/badcat" --target "127.0.0.1:$port" >"$work/bad.txt" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "badcat/vectors/x/bad.json:3:[0-9]*: error:" "$work/bad.txt"; then
	ok "a vector file with a syntax error: exit 2 and file:line:column"
else
	not_ok "bad vector file" "exit $rc: $(cat "$work/bad.txt")"
fi

# a semantic error is located too
printf '{\n  "id": "rfc5321/4.1.1.9/noop", "title": "t", "rfc": 5321, "section": "4.1.1.9",\n  "level": "MUST", "quote": "q",\n  "steps": [ { "send": "NOOP", "expect": 2500 } ]\n}\n' >"$work/badcat/vectors/x/bad.json"
"$bin" run --catalogue "$work/badcat" --list >"$work/bad.txt" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q 'bad.json:4:42: error: steps\[0\].expect: reply code 2500' "$work/bad.txt"; then
	ok "a bad reply code is reported at its own file:line:column"
else
	not_ok "semantic error position" "exit $rc: $(cat "$work/bad.txt")"
fi

# bad suite files: exit 2, located, nothing runs (the target is unreachable
# on purpose: reaching it would mean something ran)
rm -f "$work/badcat/vectors/x/bad.json"
port=$(free_port)
bad_suite() {
	printf '%b' "$2" >"$work/badcat/suites/s.json"
	"$bin" run --catalogue "$work/badcat" --target "127.0.0.1:$port" --suite s >"$work/suite.txt" 2>&1
	rc=$?
	if [ $rc -eq 2 ] && grep -q "$3" "$work/suite.txt"; then
		ok "a bad suite file ($1): exit 2 and a located message"
	else
		not_ok "bad suite file ($1)" "exit $rc: $(cat "$work/suite.txt")"
	fi
}
bad_suite "syntax error" '{ "title": "t",\n  "vectors": ["rfc5321/*",] }\n' 's.json:2:[0-9]*: error: JSON'
bad_suite "unknown field" '{ "title": "t", "vectors": ["rfc5321/*"],\n  "vectros": [] }\n' 's.json:2:3: error: vectros: unknown field'
bad_suite "wrong type" '{ "title": "t", "vectors": "rfc5321/*" }\n' 's.json:1:28: error: vectors: must be a non-empty array'
bad_suite "a stale entry" '{ "title": "t", "vectors": ["rfc9999/*"] }\n' 's.json:1:29: error: vectors\[0\]: "rfc9999/\*" selects no vector'
bad_suite "invalid UTF-8" '{ "title": "\xff", "vectors": ["rfc5321/*"] }\n' 's.json:1:[0-9]*: error: JSON'
rm -f "$work/badcat/suites/s.json"

# ---- input files that are not regular files ------------------------------
# Nothing is skipped silently and nothing blocks: a FIFO as a profile, a
# directory named *.json, a dangling link and a FIFO among the vectors are
# each an error with their path (exit 2), within seconds (issue 14 §5).
mkdir -p "$work/files/cat/vectors" "$work/files/cat/suites"
mkfifo "$work/files/profile.json"
# bad_file NAME ARGS...: run --list with ARGS: exit 2 within 10 s, the path named
bad_file() {
	local name=$1 path=$2 out rc
	shift 2
	out=$(timeout 10 "$bin" run --list "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 2 ] && printf '%s' "$out" | grep -qF "$path"; then
		ok "$name: exit 2 naming the path, no hang"
	else
		not_ok "$name" "exit $rc: $out"
	fi
}
bad_file "a FIFO as --profile" "$work/files/profile.json" --profile "$work/files/profile.json"
mkdir "$work/files/cat/vectors/x.json"
bad_file "a directory named *.json under vectors/" "x.json" --catalogue "$work/files/cat"
rmdir "$work/files/cat/vectors/x.json"
ln -s /nonexistent-smtpspec "$work/files/cat/vectors/y.json"
bad_file "a dangling symlink under vectors/" "y.json" --catalogue "$work/files/cat"
rm "$work/files/cat/vectors/y.json"
mkfifo "$work/files/cat/vectors/z.json"
bad_file "a FIFO under vectors/" "z.json" --catalogue "$work/files/cat"
rm -f "$work/files/cat/vectors/z.json" "$work/files/profile.json"

# ---- unreachable target -------------------------------------------------
port=$(free_port)
start=$(date +%s)
"$bin" run --target "127.0.0.1:$port" --connect-timeout 2000 --no-progress >"$work/unreach.txt" 2>&1
rc=$?
elapsed=$(($(date +%s) - start))
if [ $rc -eq 3 ] && grep -q 'cannot reach' "$work/unreach.txt" && [ $elapsed -le 5 ]; then
	ok "an unreachable target: exit 3 with a clear message"
else
	not_ok "unreachable target" "exit $rc after ${elapsed}s: $(cat "$work/unreach.txt")"
fi

# ---- smtp-sink ------------------------------------------------------------
if sink_port=$(start_server smtp-sink "$work/sink" "$work/sink.txt"); then
	"$bin" run --target "127.0.0.1:$sink_port" --no-progress --json "$work/sink.json" >"$work/sink-run.txt" 2>&1
	rc=$?
	[ $rc -eq 1 ] && ok "smtp-sink: the run fails (exit 1)" || not_ok "smtp-sink exit 1" "exit $rc: $(tail -20 "$work/sink-run.txt")"
	check "smtp-sink: the JSON result has the documented shape" \
		jq -e '.schema == "smtpspec-result/1" and (.results | length) > 0 and .summary.total == (.results | length)
		       and ([.results[] | has("id", "title", "rfc", "section", "level", "quote", "verdict", "reason", "duration_ms", "transcript")] | all)' \
		"$work/sink.json"
	check "smtp-sink: the transcript shows the real greeting" \
		jq -e '.target.greeting == "220 smtp-sink ESMTP\\r\\n"' "$work/sink.json"
	# (the server's first line is the greeting; rfc5321/4.3.1/command-before-greeting writes before reading it)
	check "smtp-sink: every transcript starts with the connection, and the server's first line is the greeting" \
		jq -e '[.results[] | select(.verdict != "skip") | .transcript | (.[0].text | startswith("connected to 127.0.0.1:")) and ([.[] | select(.dir == "S")][0].text | startswith("220 "))] | all' \
		"$work/sink.json"
	# smtp-sink checks no syntax: RSET with an argument gets 250 (RFC 5321 §4.1.1.5: 501)
	expect_verdict "smtp-sink" "$work/sink.json" "rfc5321/4.3.2/rset-with-argument-501" warn
	expect_verdict "smtp-sink" "$work/sink.json" "rfc5321/4.1.4/mail-bad-argument-501" fail
	# smtp-sink answers any VRFY with a bare "250 2.0.0 Ok"; it accepts every
	# recipient, so the vectors that need a refused one skip, with one reason
	# saying what to add (zero configuration)
	expect_verdict "smtp-sink" "$work/sink.json" "rfc5321/3.5.3/vrfy-unknown-not-250" skip
	check "smtp-sink: a catch-all: every vector that needs a refused recipient skips for one reason naming --rejected-mailbox, none errs" \
		jq -e '.summary.error == 0 and ([.results[] | select(.verdict == "skip" and (.reason | contains("--rejected-mailbox")))] | length > 5 and (map(.reason) | unique | length == 1))' "$work/sink.json"
	check "smtp-sink: the JSON target says which recipients were used and how" \
		jq -e '.target.mailbox == "postmaster@smtp-sink" and (.target.recipients | contains("not refused"))' "$work/sink.json"
	expect_verdict "smtp-sink" "$work/sink.json" "rfc5321/3.5.2/vrfy-reply-names-mailbox" fail
	# its last EHLO line is "250 " (SP, no text): one finding, owned by the
	# reply-text vector (an info: the grammar has no RFC 2119 keyword); a note
	# elsewhere, so the RSET vector passes (one cause, one finding)
	expect_verdict "smtp-sink" "$work/sink.json" "rfc5321/4.1.1.5/rset-clears-transaction" pass
	expect_verdict "smtp-sink" "$work/sink.json" "rfc5321/4.2/reply-text-printable" info
	check "smtp-sink: the owner names the empty reply text; the RSET vector keeps it as a note" \
		jq -e '(.results[] | select(.id == "rfc5321/4.2/reply-text-printable") | .reason | contains("SP after the code with no text")) and (.results[] | select(.id == "rfc5321/4.1.1.5/rset-clears-transaction") | [.transcript[] | select(.dir == "#") | .text] | any(contains("SP after the code with no text")))' \
		"$work/sink.json"
else
	not_ok "smtp-sink starts" "$(cat "$work/sink.txt")"
fi

# ---- a private Postfix --------------------------------------------------
if pf_port=$(start_server postfix-private "$work/postfix" "$work/pf.txt"); then
	"$bin" run --target "127.0.0.1:$pf_port" --no-progress --json "$work/pf.json" >"$work/pf-run.txt" 2>&1
	rc=$?
	# Postfix 3.7 (smtpd_forbid_bare_newline = no by default) ends DATA at
	# <LF>.<LF>: the one MUST it breaks, and the SMTP smuggling vector.
	[ $rc -eq 1 ] && ok "postfix: the run fails (exit 1) on its known failure" || not_ok "postfix exit 1" "exit $rc: $(tail -30 "$work/pf-run.txt")"
	# Its known failures, each checked against the transcript and the RFC:
	# bare LF ends commands and (with CR or not) the data: SMTP smuggling;
	# underscores and control characters in names are accepted.
	check "postfix: exactly the known failures, no error" \
		jq -e '[.results[] | select(.verdict == "fail") | .id] == [
			"rfc5321/2.3.8/bare-lf-not-command-end",
			"rfc5321/4.1.1.4/bare-lf-dot-not-end-of-data",
			"rfc5321/4.1.1.4/bare-lf-dot-not-end-of-data-next-write",
			"rfc5321/4.1.1.4/crlf-dot-lf-not-end-of-data",
			"rfc5321/4.1.1.4/crlf-dot-lf-not-end-of-data-next-write",
			"rfc5321/4.1.1.4/lf-dot-crlf-not-end-of-data",
			"rfc5321/4.1.1.4/lf-dot-crlf-not-end-of-data-next-write",
			"rfc5321/4.1.2/ehlo-underscore-501",
			"rfc5321/4.1.2/mail-control-character-501",
			"rfc5321/4.1.2/mail-underscore-domain-501",
			"rfc6531/3.7.4.2/rcpt-refusal-ascii",
			"rfc6531/3.7.4.2/vrfy-reply-ascii"] and .summary.error == 0' "$work/pf.json"
	check "postfix: known warnings (no HELP; QUIT with an argument gets 221; relay refused with 554)" \
		jq -e '[.results[] | select(.verdict == "warn") | .id] as $w | ["rfc5321/4.1.1.8/help-supported", "rfc5321/4.3.2/quit-with-argument-501", "rfc5321/3.6.2/relay-denied-550"] - $w == []' "$work/pf.json"
	check "postfix: the transcript shows the real greeting" \
		jq -e '.target.greeting == "220 smtpspec-postfix.test ESMTP\\r\\n"' "$work/pf.json"
	check "postfix: EHLO advertises PIPELINING" \
		jq -e '.target.extensions | index("PIPELINING") != null' "$work/pf.json"
	expect_verdict "postfix" "$work/pf.json" "rfc5321/4.1.1.5/rset-clears-transaction" pass
	expect_verdict "postfix" "$work/pf.json" "rfc5321/4.3.2/rset-with-argument-501" pass
	expect_verdict "postfix" "$work/pf.json" "rfc5321/4.1.4/mail-bad-argument-501" pass
	# without TLS and SASL: STARTTLS gets 502, AUTH 503 "authentication not enabled"
	expect_verdict "postfix" "$work/pf.json" "rfc5321/4.2.4/starttls-not-advertised-refused" pass
	expect_verdict "postfix" "$work/pf.json" "rfc5321/4.2.4/auth-not-advertised-refused" pass
	check "postfix: the RSET vector's transcript holds the 503 to RCPT after RSET" \
		jq -e '.results[] | select(.id == "rfc5321/4.1.1.5/rset-clears-transaction") | [.transcript[] | select(.dir == "S") | .text] | any(startswith("503 "))' \
		"$work/pf.json"

	# a profile is used: its mailbox appears on the wire
	printf '{"mailbox": "smtpspec@smtpspec-postfix.test", "client": "profile.smtpspec.test"}\n' >"$work/profile.json"
	"$bin" run --target "127.0.0.1:$pf_port" --no-progress --profile "$work/profile.json" \
		--only rfc5321/4.1.1.5/rset-clears-transaction --json "$work/pf-profile.json" >"$work/pf-profile.txt" 2>&1
	rc=$?
	check "postfix with a profile: its values go on the wire" \
		jq -e '[.results[0].transcript[] | select(.dir == "C") | .text] | (index("EHLO profile.smtpspec.test\\r\\n") != null) and (index("RCPT TO:<smtpspec@smtpspec-postfix.test>\\r\\n") != null)' \
		"$work/pf-profile.json"

	# parallel and serial runs judge alike
	"$bin" run --target "127.0.0.1:$pf_port" --no-progress --jobs 1 --json "$work/pf-serial.json" >/dev/null 2>&1
	check "postfix: --jobs 1 and --jobs 8 give the same verdicts" \
		bash -c "diff <(jq -r '.results[] | .id + \" \" + .verdict' '$work/pf.json') <(jq -r '.results[] | .id + \" \" + .verdict' '$work/pf-serial.json')"
else
	not_ok "postfix starts" "$(cat "$work/pf.txt")"
fi

# ---- a private Exim (Debian's packages, unpacked beside the system) -------
chmod 755 "$work"
if ex_port=$(start_server exim-private "$work/exim" "$work/ex.txt"); then
	"$bin" run --target "127.0.0.1:$ex_port" --no-progress --json "$work/ex.json" >"$work/ex-run.txt" 2>&1
	rc=$?
	"$top/scripts/exim-private.sh" stop "$work/exim" >/dev/null 2>&1
	[ $rc -eq 1 ] && ok "exim: the run fails (exit 1) on its known failures" || not_ok "exim exit 1" "exit $rc: $(tail -30 "$work/ex-run.txt")"
	check "exim: the transcript shows the real greeting" \
		jq -e '.target.greeting | startswith("220 smtpspec-exim.test ESMTP Exim 4.")' "$work/ex.json"
	# bare LF ends a command; unknown RCPT parameters get 501 (an info: 555
	# is defined, but by a sentence with no RFC 2119 keyword, and a refusal
	# with another code is never judged worse than accepting it); "MAIL"
	# without "FROM:" is an unrecognised command (500: MAIL is required,
	# §4.3.2); a control character is echoed back in the reply text, breaking
	# the reply grammar: the reply-text vector owns that (an info: the grammar
	# has no RFC 2119 keyword); the MAIL vector got its 501 and passes.
	expect_verdict "exim" "$work/ex.json" "rfc5321/2.3.8/bare-lf-not-command-end" fail
	expect_verdict "exim" "$work/ex.json" "rfc5321/4.1.1.11/rcpt-unknown-parameter-555" info
	expect_verdict "exim" "$work/ex.json" "rfc5321/4.1.4/mail-no-argument-501" fail
	expect_verdict "exim" "$work/ex.json" "rfc5321/4.1.2/mail-control-character-501" pass
	expect_verdict "exim" "$work/ex.json" "rfc5321/4.2/reply-text-printable" info
	expect_verdict "exim" "$work/ex.json" "rfc5321/4.1.1.4/bare-lf-dot-not-end-of-data" pass
	# tls_advertise_hosts and auth_advertise_hosts empty: 503 "... command used when not advertised"
	expect_verdict "exim" "$work/ex.json" "rfc5321/4.2.4/starttls-not-advertised-refused" pass
	expect_verdict "exim" "$work/ex.json" "rfc5321/4.2.4/auth-not-advertised-refused" pass
	check "exim: no vector errors; ENHANCEDSTATUSCODES vectors skip (not advertised)" \
		jq -e '.summary.error == 0 and ([.results[] | select(.id | startswith("rfc2034/")) | .verdict] | all(. == "skip"))' "$work/ex.json"
else
	not_ok "exim starts" "$(tail -20 "$work/ex.txt")"
fi

# ---- an installed copy finds its catalogue -------------------------------
if make -s -C "$top" install PREFIX="$work/inst" BIN="$bin" >"$work/install.txt" 2>&1 &&
	[ "$("$work/inst/bin/smtpspec" run --list 2>&1 | wc -l)" = "$("$bin" run --list --catalogue "$top" | wc -l)" ]; then
	ok "make install PREFIX=...: the installed binary finds the installed catalogue"
else
	not_ok "make install" "$(tail -5 "$work/install.txt")"
fi

# ---- the coverage map ---------------------------------------------------
"$bin" coverage --catalogue "$top" >"$work/coverage.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "coverage: every server-side MUST section of RFC 5321 has a vector or a reason ($(tail -1 "$work/coverage.txt"))" ||
	not_ok "coverage" "exit $rc: $(grep GAP "$work/coverage.txt")"

echo "integration: $passed passed, $failed failed"
[ $failed -eq 0 ]
