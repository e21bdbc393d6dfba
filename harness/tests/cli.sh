#!/bin/bash
# cli.sh - the command line where its users work (issue 13; issue 14 §3, §6):
# results on stdout and progress on stderr, --quiet, --format tap (read back
# with Perl's TAP::Parser) and json, "-" as standard output, --version,
# --help of every subcommand, explain, closed standard descriptors, --jobs
# under a small open-file limit, colour only where it belongs, UTF-8 of the
# tool's own text, report paths checked before the run, reports replaced
# atomically.  Against fakesmtpd on 127.0.0.1 only.
# Ends with "cli: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
work=$(mktemp -d /tmp/smtpspec-cli.XXXXXX)
passed=0
failed=0
fake_pid=

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	if [ -n "${tmpfs:-}" ]; then umount "$tmpfs" 2>/dev/null; fi
	rm -rf "$work"
}
trap cleanup EXIT


# has_esc FILE: the file holds an ESC byte.
has_esc() {
	LC_ALL=C grep -q "$(printf '\033')" "$1"
}

echo "# smtpspec command-line tests (work dir $work)"
sel=(--only 'rfc5321/3.3/*' --only 'rfc5321/4.1.1.5/*' --only 'rfc5321/4.1.1.10/*' --only rfc5321/4.2/only-listed-reply-codes)

# ---- help and version: no network ----------------------------------------
for cmd in run report explain quotes coverage; do
	"$bin" "$cmd" --help >"$work/help-$cmd.txt" 2>"$work/help-$cmd.err"
	rc=$?
	if [ $rc -eq 0 ] && head -1 "$work/help-$cmd.txt" | grep -q "^usage: smtpspec $cmd" && [ ! -s "$work/help-$cmd.err" ]; then
		ok "smtpspec $cmd --help: its own usage on stdout, exit 0"
	else
		not_ok "smtpspec $cmd --help" "exit $rc: $(head -3 "$work/help-$cmd.txt") $(cat "$work/help-$cmd.err")"
	fi
done
"$bin" --help >"$work/help.txt" 2>&1 && grep -q 'smtpspec explain ID' "$work/help.txt" &&
	ok "smtpspec --help lists the subcommands" || not_ok "smtpspec --help" "$(cat "$work/help.txt")"
"$bin" frobnicate >"$work/unk.out" 2>"$work/unk.err"
rc=$?
[ $rc -eq 2 ] && grep -q 'unknown command: frobnicate' "$work/unk.err" && [ ! -s "$work/unk.out" ] &&
	ok "an unknown subcommand: exit 2, message on stderr" || not_ok "unknown subcommand" "exit $rc: $(cat "$work/unk.err")"

"$bin" --version >"$work/version.txt" 2>&1
rc=$?
uv=$(pkg-config --modversion libuv 2>/dev/null)
js=$(pkg-config --modversion jansson 2>/dev/null)
if [ $rc -eq 0 ] && grep -q '^smtpspec [0-9][0-9.]*$' "$work/version.txt" &&
	grep -Eq "^catalogue $top sha256:[0-9a-f]{64}$" "$work/version.txt" &&
	grep -q "^libuv $uv" "$work/version.txt" && grep -q "^jansson $js" "$work/version.txt" &&
	grep -q "^OpenSSL $(pkg-config --modversion libcrypto)" "$work/version.txt"; then
	ok "--version: version, catalogue digest, libuv $uv, jansson $js, OpenSSL"
else
	not_ok "--version fields" "exit $rc: $(cat "$work/version.txt")"
fi
"$bin" run --version >"$work/version2.txt" 2>&1
cmp -s "$work/version.txt" "$work/version2.txt" && ok "run --version prints the same" ||
	not_ok "run --version" "$(diff "$work/version.txt" "$work/version2.txt")"

# ---- explain ---------------------------------------------------------------
id=rfc5321/4.1.1.5/rset-clears-transaction
vfile=$(grep -l "\"$id\"" "$top"/vectors/rfc5321/*.json | head -1)
"$bin" explain "$id" >"$work/explain.txt" 2>"$work/explain.err"
rc=$?
title=$(jq -r .title "$vfile")
quote_start=$(jq -r .quote "$vfile" | cut -c1-40)
nsteps=$(jq '.steps | length' "$vfile")
if [ $rc -eq 0 ] && grep -qF "${title:0:40}" "$work/explain.txt" && grep -qF "$quote_start" "$work/explain.txt" &&
	grep -q '^  RFC:      5321 section 4.1.1.5' "$work/explain.txt" && grep -q '^  level:    MUST' "$work/explain.txt" &&
	grep -q "^ *$nsteps\. send     RCPT TO:<\${mailbox}>" "$work/explain.txt" && grep -q '^       expect   503' "$work/explain.txt" &&
	grep -qF "smtpspec run --target HOST:PORT --only $id -v" "$work/explain.txt"; then
	ok "explain: title, RFC section, level, quote, $nsteps steps, the command that runs it alone"
else
	not_ok "explain $id" "exit $rc: $(cat "$work/explain.txt" "$work/explain.err")"
fi
"$bin" explain rfc5321/4.1.1.5 >"$work/explain2.txt" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'matches [0-9]* vectors' "$work/explain2.txt" && grep -qF "$id" "$work/explain2.txt" &&
	ok "explain of a prefix that matches several: exit 2 and the candidates" ||
	not_ok "explain ambiguous" "exit $rc: $(cat "$work/explain2.txt")"
"$bin" explain no/such/vector >"$work/explain3.txt" 2>&1
[ $? -eq 2 ] && grep -q 'no vector matches' "$work/explain3.txt" && ok "explain of an unknown id: exit 2" ||
	not_ok "explain unknown" "$(cat "$work/explain3.txt")"

# ---- report paths are checked before anything runs ------------------------
dead=$(free_port)
"$bin" run --target "127.0.0.1:$dead" --json "$work/no/such/dir/r.json" >"$work/pre.out" 2>&1
rc=$?
# exit 3 would mean the run was tried (nothing listens there) before the path was checked
[ $rc -eq 2 ] && grep -q 'no/such/dir' "$work/pre.out" && ok "a report in a missing directory: exit 2 before the run" ||
	not_ok "report path checked first" "exit $rc: $(cat "$work/pre.out")"
mkdir "$work/adir"
"$bin" run --target "127.0.0.1:$dead" --html "$work/adir" >"$work/pre2.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'a directory' "$work/pre2.out" && ok "a report path that is a directory: exit 2 before the run" ||
	not_ok "report path is a directory" "exit $rc: $(cat "$work/pre2.out")"
if [ "$(id -u)" != 0 ]; then
	mkdir "$work/ro" && chmod 555 "$work/ro"
	"$bin" run --target "127.0.0.1:$dead" --junit "$work/ro/j.xml" >"$work/pre3.out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && ok "a report in a read-only directory: exit 2 before the run" ||
		not_ok "read-only report directory" "exit $rc: $(cat "$work/pre3.out")"
fi
"$bin" run --target "127.0.0.1:$dead" --json - --junit - >"$work/two.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'only one of' "$work/two.out" && ok "two reports on standard output: exit 2" ||
	not_ok "two reports on stdout" "exit $rc: $(cat "$work/two.out")"

# ---- a server that breaks a MUST: the text output --------------------------
if ! start_fake no-503,noop-wrong-code; then
	not_ok "fakesmtpd no-503 did not start"
else
	"$bin" run --target "127.0.0.1:$port" "${sel[@]}" --json "$work/r.json" >"$work/r.out" 2>"$work/r.err"
	rc=$?
	total=$(jq .summary.total "$work/r.json")
	digest=$(jq -r .certification.catalogue_sha256 "$work/r.json")
	grep -q "^catalogue $top sha256:$digest\$" "$work/version.txt" && ok "--version names the catalogue digest the result document certifies" ||
		not_ok "--version digest" "result: $digest; $(grep ^catalogue "$work/version.txt")"
	if [ $rc -eq 1 ] && grep -q "^smtpspec [0-9.]*: $total vectors in" "$work/r.out" &&
		grep -q '^fail  rfc5321/3.3/rcpt-without-mail-503 \[MUST, RFC 5321 §3.3\]' "$work/r.out" &&
		! grep -q 'vectors in' "$work/r.err" && ! grep -q ' ms)$' "$work/r.out" &&
		[ "$(grep -c ' ms)$' "$work/r.err")" -eq "$total" ] && ! has_esc "$work/r.out" && ! has_esc "$work/r.err"; then
		ok "results and summary on stdout, $total progress lines on stderr, no colour off a terminal"
	else
		not_ok "stdout/stderr split" "exit $rc; stdout: $(head -5 "$work/r.out"); stderr: $(head -5 "$work/r.err")"
	fi

	"$bin" run --target "127.0.0.1:$port" --only rfc5321/4.2/only-listed-reply-codes -v >"$work/v.out" 2>/dev/null
	if grep -q '# reply code 200 is not among the replies RFC 5321 §4.3.2 lists' "$work/v.out" &&
		! grep -qF '\xc2\xa7' "$work/v.out"; then
		ok "-v: the tool's own notes print UTF-8 as itself (§)"
	else
		not_ok "-v UTF-8 notes" "$(grep -n 'xc2\|4.3.2' "$work/v.out" | head -5)"
	fi

	"$bin" run --target "127.0.0.1:$port" "${sel[@]}" --quiet >"$work/q.out" 2>"$work/q.err"
	rc=$?
	[ $rc -eq 1 ] && [ ! -s "$work/q.out" ] && [ ! -s "$work/q.err" ] &&
		ok "--quiet: nothing printed, exit 1 for the failure" ||
		not_ok "--quiet" "exit $rc: $(cat "$work/q.out" "$work/q.err" | head -5)"

	# TAP, read back by Perl's TAP::Parser (Test::Harness); counts match the JSON
	"$bin" run --target "127.0.0.1:$port" "${sel[@]}" --format tap >"$work/t.tap" 2>/dev/null
	rc=$?
	counts=$(perl -MTAP::Parser -e '
		local $/; my $p = TAP::Parser->new({ tap => <STDIN> });
		while (defined(my $r = $p->next)) {}
		my @e = $p->parse_errors;
		printf "%d %d %d %d %d %s\n", $p->tests_planned // -1, $p->tests_run, scalar($p->failed),
			scalar($p->skipped), scalar($p->todo), @e ? "errors:@e" : "clean";' <"$work/t.tap")
	want=$(jq -r '.summary | "\(.total) \(.total) \(.fail + .error) \(.skip) \(.warn) clean"' "$work/r.json")
	if [ $rc -eq 1 ] && [ "$counts" = "$want" ] && head -1 "$work/t.tap" | grep -qx 'TAP version 13'; then
		ok "--format tap: TAP::Parser reads it cleanly; planned, run, failed, skipped, todo = $counts"
	else
		not_ok "--format tap" "exit $rc: parser says '$counts', JSON says '$want'; $(head -12 "$work/t.tap")"
	fi
	"$bin" run --target "127.0.0.1:$port" "${sel[@]}" --format tap --strict >"$work/ts.tap" 2>/dev/null
	notok=$(grep -c '^not ok' "$work/ts.tap")
	want=$(jq '.summary | .fail + .error + .warn' "$work/r.json")
	if ! grep -q '# TODO' "$work/ts.tap" && [ "$notok" -eq "$want" ] && [ "$(jq .summary.warn "$work/r.json")" -gt 0 ]; then
		ok "--format tap --strict: no TODO; $notok not ok, warnings included"
	else
		not_ok "--strict TAP: a warning is a plain not ok" "$notok not ok, want $want"
	fi

	"$bin" run --target "127.0.0.1:$port" "${sel[@]}" --format json >"$work/fj.json" 2>"$work/fj.err"
	rc=$?
	[ $rc -eq 1 ] && jq -e --argjson t "$total" '.summary.total == $t and .schema == "smtpspec-result/1"' "$work/fj.json" >/dev/null &&
		ok "--format json: the result document on stdout" || not_ok "--format json" "exit $rc: $(head -c 300 "$work/fj.json")"

	for kind in json junit html; do
		"$bin" run --target "127.0.0.1:$port" "${sel[@]}" "--$kind" - >"$work/dash.$kind" 2>"$work/dash-$kind.err"
		rc=$?
		case $kind in
		json) check_cmd=(jq -e --argjson t "$total" '.summary.total == $t' "$work/dash.$kind") ;;
		junit) check_cmd=(xmllint --noout --schema "$top/harness/tests/junit.xsd" "$work/dash.$kind") ;;
		html) check_cmd=(grep -q '</html>' "$work/dash.$kind") ;;
		esac
		if [ $rc -eq 1 ] && "${check_cmd[@]}" >/dev/null 2>&1 && [ ! -e "$work/-" ] && [ ! -e ./- ] &&
			grep -q 'vectors in' "$work/dash-$kind.err"; then
			ok "--$kind -: the document alone on stdout, the summary moves to stderr"
		else
			not_ok "--$kind -" "exit $rc: $(head -c 300 "$work/dash.$kind"); $(head -3 "$work/dash-$kind.err")"
		fi
	done

	(cd "$work" && exec "$bin" report "$work/r.json" --junit - --html "$work/rep.html") >"$work/rep.xml" 2>"$work/rep.err"
	rc=$?
	[ $rc -eq 0 ] && xmllint --noout --schema "$top/harness/tests/junit.xsd" "$work/rep.xml" 2>/dev/null && [ ! -e "$work/-" ] &&
		grep -q '</html>' "$work/rep.html" && ok "report --junit -: JUnit on stdout, the HTML to its file" ||
		not_ok "report --junit -" "exit $rc: $(head -3 "$work/rep.err")"

	# terminated while writing: the signal ends the run (128+15), no temporary file is left
	# (SIGTERM: a background job of a script starts with SIGINT ignored, and stays so)
	mkdir -p "$work/tmpd" && mkfifo "$work/fifo"
	TMPDIR="$work/tmpd" "$bin" run --target "127.0.0.1:$port" --format json --junit "$work/int.xml" \
		>"$work/fifo" 2>/dev/null &
	pid=$!
	exec 3<"$work/fifo" # opened, never read: the copy to stdout blocks once the pipe is full
	for _ in $(seq 1 100); do
		[ -n "$(ls -A "$work/tmpd")" ] && break
		sleep 0.1
	done
	tmpname=$(ls -A "$work/tmpd")
	sleep 0.5
	kill -TERM "$pid"
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
	fi
	wait "$pid"
	rc=$?
	exec 3<&-
	[ -n "$tmpname" ] && [ $rc -eq 143 ] && [ -z "$(ls -A "$work/tmpd")" ] && [ -s "$work/int.xml" ] &&
		ok "SIGTERM while a report is written: exit 143, its temporary file ($tmpname) removed, the earlier report complete" ||
		not_ok "SIGTERM during the write" "exit $rc; temporary: '$tmpname'; left: $(ls -A "$work/tmpd")"

	# closed stdin, stdout and stderr: the run completes and writes its report
	"$bin" run --target "127.0.0.1:$port" "${sel[@]}" --json "$work/closed.json" <&- >&- 2>&-
	rc=$?
	[ $rc -eq 1 ] && jq -e --argjson t "$total" '.summary.total == $t' "$work/closed.json" >/dev/null &&
		ok "closed stdin, stdout and stderr: exit 1 and the report written" ||
		not_ok "closed descriptors" "exit $rc"
	"$bin" run --target "127.0.0.1:$port" "${sel[@]}" --json "$work/closed1.json" >&- 2>"$work/closed1.err"
	rc=$?
	[ $rc -eq 1 ] && jq -e '.summary' "$work/closed1.json" >/dev/null && ! grep -q 'vectors in' "$work/closed1.err" &&
		ok "closed stdout: the summary is not lost into stderr or a socket, the report written" ||
		not_ok "closed stdout" "exit $rc: $(cat "$work/closed1.err" | head -3)"

	# --jobs under a small descriptor limit: capped with a note, nothing runs out of descriptors
	(ulimit -n 48 && exec "$bin" run --target "127.0.0.1:$port" --jobs 200 --json "$work/nofile.json") \
		>"$work/nofile.out" 2>"$work/nofile.err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'note: --jobs 200 lowered to 16: the open-file limit (ulimit -n) is 48' "$work/nofile.err" &&
		jq -e '([.results[] | select(.reason | test("too many open files"; "i"))] | length) == 0 and .summary.error == 0' \
			"$work/nofile.json" >/dev/null; then
		ok "--jobs 200 at ulimit -n 48: lowered to 16 with a note, no vector out of descriptors"
	else
		not_ok "--jobs under RLIMIT_NOFILE" "exit $rc: $(grep -i 'note\|error' "$work/nofile.err" | head -3); $(jq -c .summary "$work/nofile.json" 2>&1)"
	fi
	(ulimit -Sn 48 && exec "$bin" run --target "127.0.0.1:$port" "${sel[@]}" --jobs 200 --json "$work/nofile2.json") \
		>/dev/null 2>"$work/nofile2.err"
	rc=$?
	[ $rc -eq 1 ] && ! grep -q 'lowered' "$work/nofile2.err" && jq -e '.summary.error == 0' "$work/nofile2.json" >/dev/null &&
		ok "--jobs 200 at a soft limit of 48: raised to the hard limit, no note" ||
		not_ok "soft limit raised" "exit $rc: $(head -3 "$work/nofile2.err")"

	# colour on a terminal only, not with TERM=dumb or NO_COLOR (script(1) gives a pty)
	if command -v script >/dev/null 2>&1; then
		for env in "TERM=xterm" "TERM=dumb" "TERM=xterm NO_COLOR=1"; do
			script -qec "env $env $bin run --target 127.0.0.1:$port $(printf '%q ' "${sel[@]}")" /dev/null >"$work/tty.out" 2>&1
			name="${env// /_}"
			if [ "$env" = "TERM=xterm" ]; then
				LC_ALL=C grep -q "$(printf '\033')\[31mfail" "$work/tty.out" && ok "on a terminal with $env: colour" ||
					not_ok "colour on a terminal" "$(head -c 300 "$work/tty.out" | od -c | head -5)"
			elif [ "$env" = "TERM=dumb" ]; then
				! has_esc "$work/tty.out" && grep -q 'vectors in' "$work/tty.out" &&
					ok "on a terminal with TERM=dumb: no escape sequence at all (no colour, no line rewriting)" ||
					not_ok "TERM=dumb" "$(LC_ALL=C grep -a "$(printf '\033')" "$work/tty.out" | head -3 | od -c | head -5)"
			else
				! LC_ALL=C grep -Eq "$(printf '\033')\[[0-9;]*m" "$work/tty.out" && grep -q 'vectors in' "$work/tty.out" &&
					ok "on a terminal with $env: no colour" ||
					not_ok "no colour with $name" "$(LC_ALL=C grep -a "$(printf '\033')" "$work/tty.out" | head -3 | od -c | head -5)"
			fi
		done
	else
		not_ok "script(1) is missing: no terminal to test colour on"
	fi
	stop_fake
fi

# ---- server bytes stay escaped on the terminal ----------------------------
if start_fake hostile-nul-utf8; then
	"$bin" run --target "127.0.0.1:$port" --only rfc5321/4.2/reply-text-printable -v --jobs 1 --timeout 2000 \
		>"$work/h.out" 2>"$work/h.err"
	rc=$?
	if [ $rc -le 1 ] && ! has_esc "$work/h.out" && grep -qF '\x1b[31m' "$work/h.out" &&
		! LC_ALL=C grep -q "$(printf '\377')" "$work/h.out"; then
		ok "a hostile greeting (ESC, NUL, invalid UTF-8) is printed escaped in -v"
	else
		not_ok "hostile greeting escaped" "exit $rc: $(head -c 400 "$work/h.out" | od -c | head)"
	fi
	stop_fake
else
	not_ok "fakesmtpd hostile-nul-utf8 did not start"
fi

# ---- nothing raw reaches the terminal (issue 14 §4) -----------------------
# raw_ctl FILE: the file holds a control byte other than LF and TAB, a C1
# control (UTF-8 C2 80..9F), a bidi control (U+200E/F, U+202A-E, U+2066-9),
# U+2028/9 or a byte of malformed UTF-8 (0xFF here).
raw_ctl() {
	LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f\xff]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}
hostile_text='\u001b[2J\u001b]52;c;aGk=\u0007\u001b]0;title\u0007\u202e\u2028\u009b31m'
mkdir -p "$work/tt-key/vectors" "$work/tt-level/vectors" "$work/tt-title/vectors" "$work/tt-title/suites"
vec() { # vec FILE LEVEL TITLE EXTRA-KEY
	cat >"$1" <<EOF
{
  "id": "rfc5321/4.1.1.9/noop-ok", "title": "$3", "rfc": 5321, "section": "4.1.1.9",
  "level": "$2", "quote": "This command does not affect any parameters or previously entered commands.",
  $4
  "steps": [ { "send": "NOOP", "expect": 250 } ]
}
EOF
}
vec "$work/tt-key/vectors/a.json" MUST "NOOP" "\"x$hostile_text\": 1,"
vec "$work/tt-level/vectors/a.json" "MUST$hostile_text" "NOOP" ""
vec "$work/tt-title/vectors/a.json" MUST "NOOP $hostile_text gets 250" ""
for c in key:4:3 level:3:12; do
	pos=${c#*:}
	c=${c%%:*}
	"$bin" run --list --catalogue "$work/tt-$c" >"$work/tt-$c.out" 2>"$work/tt-$c.err"
	rc=$?
	if [ $rc -eq 2 ] && ! raw_ctl "$work/tt-$c.err" && grep -qF '\x1b[2J\x1b]52;c;aGk=\x07' "$work/tt-$c.err" &&
		grep -qF '\xe2\x80\xae\xe2\x80\xa8\xc2\x9b31m' "$work/tt-$c.err" && grep -q "a.json:$pos: error" "$work/tt-$c.err"; then
		ok "ESC, OSC 52, U+202E, U+2028 and C1 in a vector's $c: the load error at $pos shows them escaped"
	else
		not_ok "a load error quoting a hostile $c is escaped" "exit $rc: $(od -c "$work/tt-$c.err" | head -8)"
	fi
done
"$bin" run --list --catalogue "$work/tt-title" >"$work/tt-list.out" 2>&1
rc1=$?
"$bin" explain rfc5321/4.1.1.9/noop-ok --catalogue "$work/tt-title" >"$work/tt-explain.out" 2>&1
rc2=$?
if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && ! raw_ctl "$work/tt-list.out" && ! raw_ctl "$work/tt-explain.out" &&
	grep -qF 'NOOP \x1b[2J' "$work/tt-list.out" && grep -qF '\x1b]52;c;aGk=\x07' "$work/tt-explain.out"; then
	ok "a hostile vector title is escaped in --list and explain"
else
	not_ok "--list and explain escape a vector title" "exit $rc1/$rc2: $(od -c "$work/tt-list.out" | head -5)"
fi
# a server's reply with terminal sequences, captured: the -v "captured" note is escaped
mkdir -p "$work/tt-cap/vectors" "$work/tt-cap/suites"
cat >"$work/tt-cap/vectors/a.json" <<'EOF'
{
  "id": "rfc5321/4.1.1.9/captured-escapes", "title": "a captured reply with escapes", "rfc": 5321,
  "section": "4.1.1.9", "level": "MUST", "prelude": "ehlo",
  "quote": "This command does not affect any parameters or previously entered commands.",
  "steps": [
    { "send_raw": "VRFY %x1B%]52;c;aGk=%x07%%x1B%[2J%xC29B%31m%xE280AE%x%CRLF%",
      "expect": { "code": "any", "capture": { "var": "echo", "regex": "^[0-9.]* *(.*): syntax" } } },
    { "send": "NOOP", "expect": 500 }
  ]
}
EOF
if start_fake utf8-reply-echo; then
	"$bin" run --catalogue "$work/tt-cap" --target "127.0.0.1:$port" --mailbox postmaster@fake.test -v --jobs 1 \
		--timeout 2000 --no-progress >"$work/tt-cap.out" 2>"$work/tt-cap.err"
	rc=$?
	stop_fake
	if [ $rc -eq 1 ] && grep -q 'captured ${echo} = "' "$work/tt-cap.out" && ! raw_ctl "$work/tt-cap.out" &&
		! raw_ctl "$work/tt-cap.err" && grep -qF '\x1b]52;c;aGk=\x07' "$work/tt-cap.out"; then
		ok "a captured reply holding OSC 52, ESC[2J, C1 CSI and U+202E is escaped in the -v note"
	else
		not_ok "the -v captured note is escaped" "exit $rc: $(grep -a captured "$work/tt-cap.out" | od -c | head -6)"
	fi
else
	not_ok "fakesmtpd utf8-reply-echo did not start"
fi

# a result document read back (report --diff, run --baseline) with terminal
# sequences in a reason: the comparison lines show them escaped
if start_fake ""; then
	"$bin" run --target "127.0.0.1:$port" --mailbox postmaster@fake.test --only 'rfc5321/4.1.1.9/*' \
		--json "$work/d0.json" -q
	jq --arg r "x$(printf '\033[2J\033]52;c;aGk=\007\342\200\256\342\200\250\302\23331m')" \
		'.results[0].verdict = "fail" | .results[0].reason = $r | .summary.pass -= 1 | .summary.fail += 1' \
		"$work/d0.json" >"$work/d1.json"
	"$bin" report --diff "$work/d0.json" "$work/d1.json" >"$work/diff.out" 2>&1
	rc1=$?
	"$bin" run --target "127.0.0.1:$port" --mailbox postmaster@fake.test --only 'rfc5321/4.1.1.9/*' \
		--baseline "$work/d1.json" --no-progress >"$work/bl.out" 2>&1
	rc2=$?
	stop_fake
	if [ $rc1 -eq 1 ] && [ $rc2 -eq 0 ] && ! raw_ctl "$work/diff.out" && ! raw_ctl "$work/bl.out" &&
		grep -qF 'pass -> fail: x\x1b[2J\x1b]52;c;aGk=\x07\xe2\x80\xae\xe2\x80\xa8\xc2\x9b31m' "$work/diff.out" &&
		grep -q 'fixed' "$work/bl.out"; then
		ok "a hostile reason in a result document read back: escaped in report --diff and run --baseline"
	else
		not_ok "report --diff and --baseline escape what they read" "exit $rc1/$rc2: $(od -c "$work/diff.out" | head -5)"
	fi
else
	not_ok "fakesmtpd did not start"
fi

# ---- every file and value is accounted for (issue 14 §5) ------------------
# non-UTF-8 paths (a Latin-1 file system): the catalogue, a vector file, a
# suite and the profile are named escaped in every report, never "out of memory"
nu="$work/nu/cat$(printf '\377\033')"
mkdir -p "$nu/vectors" "$nu/suites"
cp "$top/harness/tests/hostile-catalogue/vectors/noop.json" "$nu/vectors/no$(printf '\376')op.json"
echo '{ "title": "t", "vectors": ["rfc5321/*"] }' >"$nu/suites/s$(printf '\375').json"
printf '{ "mailbox": "postmaster@fake.test" }' >"$work/nu/prof$(printf '\377').json"
if start_fake ""; then
	"$bin" run --catalogue "$nu" --suite "s$(printf '\375')" --profile "$work/nu/prof$(printf '\377').json" \
		--target "127.0.0.1:$port" --no-progress --json "$work/nu.json" --html "$work/nu.html" \
		--junit "$work/nu.xml" >"$work/nu.out" 2>&1
	rc=$?
	stop_fake
	if [ $rc -eq 0 ] && jq -e '(.catalogue.path | endswith("cat\\xff\u001b")) and (.profile | endswith("prof\\xff.json"))
		and (.results[0].file | test("no\\\\xfeop.json:[0-9]+$")) and .suites == ["s\\xfd"]' "$work/nu.json" >/dev/null &&
		xmllint --noout "$work/nu.xml" && ! raw_ctl "$work/nu.out"; then
		ok "non-UTF-8 catalogue, vector, suite and profile names: reported escaped in JSON, HTML, JUnit and on the terminal"
	else
		not_ok "non-UTF-8 paths are reported escaped" "exit $rc: $(head -3 "$work/nu.out"); $(jq -c '{catalogue, profile, suites}' "$work/nu.json" 2>&1 | head -c 300)"
	fi
else
	not_ok "fakesmtpd did not start"
fi
# profile values up to SSP_VAR_VALUE_MAX (4,096 bytes) run, the values derived
# from them ("smtpspec-no-such-user-4f1e@${domain}", "smtpspec@${client}")
# included; 4,097 is refused at its file:line:column
if start_fake ""; then
	bad=
	for field in domain client rejected_mailbox; do
		for n in 4069 4070 4090 4096 4097; do
			val="$(head -c $((n - 8)) /dev/zero | tr '\0' a).example"
			printf '{ "mailbox": "postmaster@fake.test",\n  "%s": "%s" }\n' "$field" "$val" >"$work/long.json"
			"$bin" run --catalogue "$top/harness/tests/hostile-catalogue" --profile "$work/long.json" \
				--target "127.0.0.1:$port" --no-progress --jobs 2 --json "$work/long-res.json" >"$work/long.out" 2>&1
			rc=$?
			if [ "$n" -le 4096 ]; then
				{ [ $rc -le 1 ] && jq -e '.results | length > 0' "$work/long-res.json" >/dev/null; } ||
					bad="$bad $field=$n:exit $rc ($(head -c 200 "$work/long.out"))"
			else
				{ [ $rc -eq 2 ] && grep -q "long.json:2:[0-9]*: error: $field: must be 1 to 4096 bytes" "$work/long.out"; } ||
					bad="$bad $field=$n:exit $rc ($(head -c 200 "$work/long.out"))"
			fi
			rm -f "$work/long-res.json"
		done
	done
	stop_fake
	if [ -z "$bad" ]; then
		ok "profile values of 4,069 to 4,096 bytes run (domain, client, rejected_mailbox); 4,097 refused at file:line:column"
	else
		not_ok "long profile values" "$bad"
	fi
else
	not_ok "fakesmtpd did not start"
fi

# ---- reports are replaced atomically --------------------------------------
if start_fake ""; then
	out="$work/atomic"
	mkdir -p "$out"
	echo '{"old": true}' >"$out/r.json"
	ln -s r.json "$out/link.json"
	inode=$(stat -c %i "$out/r.json")
	(umask 022 && exec "$bin" run --target "127.0.0.1:$port" "${sel[@]}" --json "$out/link.json" --junit "$out/j.xml") \
		>/dev/null 2>&1
	rc=$?
	left=$(cd "$out" && ls -A | sort | tr '\n' ' ')
	if [ $rc -eq 0 ] && [ -L "$out/link.json" ] && jq -e .summary "$out/r.json" >/dev/null &&
		[ "$(stat -c %i "$out/r.json")" != "$inode" ] && [ "$(stat -c %a "$out/j.xml")" = 644 ] &&
		[ "$left" = "j.xml link.json r.json " ]; then
		ok "a report replaces the old one by rename (new inode, symlink kept, mode 644, no temporary left)"
	else
		not_ok "atomic replace" "exit $rc; files: $left; mode $(stat -c %a "$out/j.xml" 2>&1)"
	fi
	# a write that fails (a full file system) leaves the previous report whole
	if [ "$(id -u)" = 0 ] && mkdir -p "$work/small" && mount -t tmpfs -o size=64k tmpfs "$work/small" 2>/dev/null; then
		tmpfs="$work/small"
		head -c 20000 /dev/zero | tr '\0' x >"$tmpfs/r.html"
		sum=$(sha256sum <"$tmpfs/r.html")
		"$bin" run --target "127.0.0.1:$port" --html "$tmpfs/r.html" >/dev/null 2>"$work/full.err"
		rc=$?
		if [ $rc -eq 1 ] && [ "$(sha256sum <"$tmpfs/r.html")" = "$sum" ] && [ "$(ls -A "$tmpfs")" = r.html ]; then
			ok "a report that cannot be written (disk full): exit 1, the previous one intact, no temporary left"
		else
			not_ok "failed write keeps the old report" "exit $rc: $(ls -A "$tmpfs"); $(tail -2 "$work/full.err")"
		fi
		umount "$tmpfs" && tmpfs=
	else
		echo "skip a failing write (needs root to mount a small tmpfs)"
	fi
	stop_fake
else
	not_ok "fakesmtpd did not start"
fi

# ---- --auth-user and --auth-password: credentials without a profile --------
# The conformant fakesmtpd accepts smtpspec / smtpspec-secret (fake.h).  The
# flags give the needs_auth vectors what auth in a profile gives; without
# them those vectors are skipped naming the flags; a wrong password fails
# the vector that expects 235; half the credentials is a usage error.
auth=(--only rfc4954/4/auth-plain-initial-response-235 --only rfc4954/4/auth-login-235)
if start_fake ""; then
	"$bin" run --target "127.0.0.1:$port" "${auth[@]}" --auth-user smtpspec --auth-password smtpspec-secret \
		--no-progress --json "$work/auth-ok.json" >/dev/null 2>&1
	"$bin" run --target "127.0.0.1:$port" "${auth[@]}" --no-progress --json "$work/auth-none.json" >/dev/null 2>&1
	"$bin" run --target "127.0.0.1:$port" "${auth[@]}" --auth-user smtpspec --auth-password wrong \
		--no-progress --json "$work/auth-bad.json" >/dev/null 2>&1
	"$bin" run --target "127.0.0.1:$port" "${auth[@]}" --auth-user smtpspec >"$work/auth-half.out" 2>&1
	rc=$?
	stop_fake
	if jq -e '.summary.pass == 2' "$work/auth-ok.json" >/dev/null &&
		jq -e '.summary.skip == 2 and all(.results[]; .reason | contains("--auth-user and --auth-password"))' "$work/auth-none.json" >/dev/null &&
		jq -e '([.results[].verdict] | sort) == ["fail", "info"]' "$work/auth-bad.json" >/dev/null &&
		[ $rc -eq 2 ] && grep -q "the password is missing" "$work/auth-half.out"; then
		ok "--auth-user and --auth-password: 235 with the right pair, skipped naming the flags without, a wrong password fails PLAIN (MUST) and is an info for LOGIN (MAY), exit 2 with half"
	else
		not_ok "--auth-user and --auth-password" "$(jq -c .summary "$work/auth-ok.json" "$work/auth-none.json" "$work/auth-bad.json" 2>&1); exit $rc: $(cat "$work/auth-half.out")"
	fi
else
	not_ok "fakesmtpd did not start"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
