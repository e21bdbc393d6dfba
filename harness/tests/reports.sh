#!/bin/bash
# reports.sh - the report formats against real servers on loopback: HTML
# (checked in headless Chromium), JUnit XML (xmllint and harness/tests/junit.xsd),
# the JSON result (reports/result.schema.json, with Ajv from Debian's node-ajv),
# the certification statement and its digest, baselines, diffs, the
# comparison matrix, security findings shown apart (category) and the console.
#
#   a private Postfix (scripts/postfix-private.sh): the three formats of a real run;
#   smtp-sink (scripts/smtp-sink.sh): a server that fails vectors, for baselines;
#   a hostile responder (below, nc): every reply carries <script>, </pre>, ]]>,
#     quotes, NUL, invalid UTF-8 and an escape sequence, and no format may change
#     its structure because of it.
#
# Only 127.0.0.1 is contacted.  Ends with "reports: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
schema=$top/reports/result.schema.json
xsd=$top/harness/tests/junit.xsd
work=$(mktemp -d /tmp/smtpspec-reports.XXXXXX)
# a private copy of the catalogue: the digests must not see edits made meanwhile
mkdir -p "$work/catalogue"
cp -R "${SMTPSPEC_CATALOGUE:-$top}/vectors" "${SMTPSPEC_CATALOGUE:-$top}/suites" "$work/catalogue/"
export SMTPSPEC_CATALOGUE=$work/catalogue
chmod 755 "$work" # the private Postfix runs as user postfix
passed=0
failed=0
hostile_pid=

cleanup() {
	[ -n "$hostile_pid" ] && kill "$hostile_pid" 2>/dev/null
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
	"$top/scripts/postfix-private.sh" stop "$work/postfix" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

# refute NAME COMMAND...: the command must fail (a check that can fail, shown failing).
refute() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then not_ok "$name" "succeeded: $out"; else ok "$name"; fi
}

# chromium_dom FILE URL-SUFFIX: the DOM of a page after its script ran, on stdout.
chromium_dom() {
	local ud
	ud=$(mktemp -d "$work/chromium.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$ud" --dump-dom "file://$1${2:-}" 2>/dev/null
}

# chromium_shot FILE PNG WIDTH,HEIGHT: a screenshot of a page.
chromium_shot() {
	local ud
	ud=$(mktemp -d "$work/chromium.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$ud" --hide-scrollbars --window-size="$3" --screenshot="$2" "file://$1" >/dev/null 2>&1
}

# schema_check DOC...: validate result documents against reports/result.schema.json.
schema_check() {
	NODE_PATH=/usr/share/nodejs node "$top/harness/tests/schema-check.js" "$schema" "$@"
}

# dom_count DOM ID: the number in <span ... id="ID">N</span> of a dumped DOM.
dom_count() {
	grep -o "id=\"$2\">[0-9]*<" "$1" | head -1 | tr -dc 0-9
}

# html_is_inert FILE NAME: the page has exactly the template's one script, no
# raw control byte, only UTF-8, and loads nothing from outside.
html_is_inert() {
	local f=$1 name=$2 n
	n=$(grep -o '<script' "$f" | wc -l)
	[ "$n" -eq 1 ] && ok "$name: exactly one <script> (the template's)" || not_ok "$name: one <script>" "found $n"
	if LC_ALL=C grep -q -P '[\x00-\x08\x0b-\x1f\x7f]' "$f"; then
		not_ok "$name: no raw control byte" "$(LC_ALL=C grep -n -P '[\x00-\x08\x0b-\x1f\x7f]' "$f" | head -3 | cat -v)"
	else
		ok "$name: no raw control byte (NUL, ESC, ...)"
	fi
	check "$name: valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null "$f"
	if grep -q -i -E '<link|<script[^>]+src|<img|<iframe|@import|url\(' "$f"; then
		not_ok "$name: self-contained" "$(grep -n -i -E '<link|<script[^>]+src|<img|<iframe|@import|url\(' "$f" | head -3)"
	else
		ok "$name: self-contained (no external script, style, font or image)"
	fi
}

# xml_count FILE XPATH: an XPath count over a JUnit file.
xml_count() {
	xmllint --xpath "count($2)" "$1" 2>/dev/null
}

# junit_matches NAME XML JSON: the JUnit file is valid and its counts are the run's.
junit_matches() {
	local name=$1 xml=$2 json=$3
	check "$name: JUnit well-formed and valid (junit.xsd)" xmllint --noout --schema "$xsd" "$xml"
	local tc fl er sk
	tc=$(xml_count "$xml" '//testcase')
	fl=$(xml_count "$xml" '//testcase/failure')
	er=$(xml_count "$xml" '//testcase/error')
	sk=$(xml_count "$xml" '//testcase/skipped')
	if [ "$tc" = "$(jq .summary.total "$json")" ] && [ "$fl" = "$(jq .summary.fail "$json")" ] &&
		[ "$er" = "$(jq .summary.error "$json")" ] && [ "$sk" = "$(jq .summary.skip "$json")" ]; then
		ok "$name: JUnit has one testcase per vector, failure/error/skipped as the verdicts ($tc, $fl, $er, $sk)"
	else
		not_ok "$name: JUnit counts" "testcase $tc failure $fl error $er skipped $sk vs $(jq -c .summary "$json")"
	fi
}

# page_matches NAME HTML JSON: in Chromium the page renders and shows the run's counts.
page_matches() {
	local name=$1 html=$2 json=$3 dom=$work/$1.dom v want got total bad=
	chromium_dom "$html" >"$dom"
	if ! grep -q '<h1>SMTP conformance' "$dom"; then
		not_ok "$name: Chromium renders the page" "$(head -c 600 "$dom")"
		return
	fi
	ok "$name: Chromium renders the page"
	for v in pass fail warn info skip error; do
		want=$(jq ".summary.$v" "$json")
		got=$(dom_count "$dom" "count-$v")
		[ "$want" = "$got" ] || bad="$bad $v: page $got, result $want;"
	done
	total=$(jq '.summary.total' "$json")
	grep -q "id=\"shown\">$total of $total shown<" "$dom" || bad="$bad no '$total of $total shown' (the script did not run?);"
	[ "$(grep -o '<details class="vec"' "$dom" | wc -l)" = "$total" ] || bad="$bad not one entry per vector;"
	[ -z "$bad" ] && ok "$name: the page shows the right counts, one entry per vector" || not_ok "$name: counts in the page" "$bad"
	# the filters work without a server: only the failing vectors (from the query string)
	want=$(jq '.summary.fail' "$json")
	chromium_dom "$html" "?verdict=fail" >"$dom.fail"
	if grep -q "id=\"shown\">$want of $total shown<" "$dom.fail" &&
		[ "$(grep -o '<details class="vec"[^>]*hidden' "$dom.fail" | wc -l)" = $((total - want)) ]; then
		ok "$name: the verdict filter shows only the $want failing vectors"
	else
		not_ok "$name: verdict filter" "$(grep -o 'id="shown">[^<]*' "$dom.fail")"
	fi
}

echo "# smtpspec report tests (work dir $work)"
for tool in chromium xmllint jq nc node; do
	command -v "$tool" >/dev/null 2>&1 || not_ok "$tool is installed (scripts/install-deps.sh)"
done
[ -d /usr/share/nodejs/ajv ] || not_ok "node-ajv is installed (scripts/install-deps.sh)"

# ---- no network: usage --------------------------------------------------
"$bin" report >"$work/u.txt" 2>&1
[ $? -eq 2 ] && ok "report without arguments is bad usage (exit 2)" || not_ok "report usage" "$(cat "$work/u.txt")"
echo '{"schema": "something-else/1"}' >"$work/other.json"
"$bin" report "$work/other.json" --html "$work/other.html" >"$work/u.txt" 2>&1
[ $? -eq 2 ] && grep -q 'smtpspec-result/1' "$work/u.txt" && ok "report refuses a document of another schema (exit 2)" ||
	not_ok "report refuses another schema" "$(cat "$work/u.txt")"
printf '{"schema": "smtpspec-result/1",\n "results": [,]}\n' >"$work/broken.json"
"$bin" report --diff "$work/broken.json" "$work/broken.json" >"$work/u.txt" 2>&1
[ $? -eq 2 ] && grep -q 'broken.json:2:' "$work/u.txt" && ok "report --diff on broken JSON: exit 2 at file:line" ||
	not_ok "report --diff on broken JSON" "$(cat "$work/u.txt")"
port=$(free_port)
"$bin" run --target "127.0.0.1:$port" --baseline "$work/broken.json" --no-progress >"$work/u.txt" 2>&1
[ $? -eq 2 ] && ok "run --baseline with a broken baseline is bad input (exit 2), nothing runs" ||
	not_ok "run --baseline broken" "$(cat "$work/u.txt")"

# ---- a private Postfix: the three formats of a real run -------------------
if pf_port=$(start_server postfix-private "$work/postfix" "$work/pf.txt"); then
	"$bin" run --target "127.0.0.1:$pf_port" --no-progress --json "$work/pf.json" --html "$work/pf.html" \
		--junit "$work/pf.xml" >"$work/pf-run.txt" 2>&1
	rc=$?
	if [ $rc -le 1 ] && [ -s "$work/pf.json" ] && [ -s "$work/pf.html" ] && [ -s "$work/pf.xml" ]; then
		ok "postfix: JSON, HTML and JUnit written (exit $rc)"
	else
		not_ok "postfix: three formats" "exit $rc: $(tail -5 "$work/pf-run.txt")"
	fi
	check "postfix: the JSON result is valid against reports/result.schema.json" schema_check "$work/pf.json"
	junit_matches postfix "$work/pf.xml" "$work/pf.json"
	html_is_inert "$work/pf.html" postfix
	page_matches postfix "$work/pf.html" "$work/pf.json"
	check "postfix: the page names the greeting and the EHLO keywords" \
		bash -c "grep -q 'smtpspec-postfix.test ESMTP' '$work/pf.html' && grep -q '<li><code>PIPELINING</code></li>' '$work/pf.html'"
	# certification: the same statement and digest in JSON and HTML
	check "postfix: a certification statement for each suite, with the catalogue digest" \
		jq -e '.certification.suites | length > 0 and ([.[] | select(.conforms != "not-applicable")] | all(.statement | test("digest sha256:[0-9a-f]{64}")))' "$work/pf.json"
	digest=$(jq -r .certification.digest "$work/pf.json")
	check "postfix: the HTML shows the same digest" grep -q "${digest#sha256:}" "$work/pf.html"
	stmt=$(jq -r '.certification.suites[0].statement' "$work/pf.json" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g; s/'"'"'/\&#39;/g')
	check "postfix: the HTML carries the JSON's statement" grep -qF "$stmt" "$work/pf.html"
	check "postfix: conforms at MUST level exactly where no vector failed" \
		jq -e '[.certification.suites[] | select(.conforms != "partial" and .conforms != "not-applicable") |
			.conforms_must == (.counts | ([.MUST.fail, .SHOULD.fail, .MAY.fail, .MUST.error] | add) == 0)] | all' "$work/pf.json"
	# the digest is reproducible, and changes with the profile
	"$bin" run --target "127.0.0.1:$pf_port" --no-progress --only rfc5321/4.1.1.5 --json "$work/pf2.json" >/dev/null 2>&1
	check "postfix: a second run has the same digest" jq -e --arg d "$digest" '.certification.digest == $d' "$work/pf2.json"
	printf '{"client": "digest.smtpspec.test"}\n' >"$work/profile.json"
	"$bin" run --target "127.0.0.1:$pf_port" --no-progress --only rfc5321/4.1.1.5 --profile "$work/profile.json" \
		--json "$work/pf3.json" >/dev/null 2>&1
	check "postfix: another profile gives another digest, and names its own" \
		jq -e --arg d "$digest" --arg p "$(sha256sum "$work/profile.json" | cut -c1-64)" \
		'.certification.digest != $d and .certification.profile_sha256 == $p' "$work/pf3.json"
	check "postfix: a partial run makes no statement" \
		jq -e '[.certification.suites[].conforms] | all(. == "partial")' "$work/pf2.json"
	# report renders a saved result like a live one
	"$bin" report "$work/pf.json" --html "$work/pf-again.html" --junit "$work/pf-again.xml" >/dev/null 2>&1
	check "report RESULT.json: the saved result renders the same page and JUnit" \
		bash -c "cmp -s '$work/pf.html' '$work/pf-again.html' && cmp -s '$work/pf.xml' '$work/pf-again.xml'"
	chromium_shot "$work/pf.html" "$work/pf-laptop.png" 1280,900
	chromium_shot "$work/pf.html" "$work/pf-phone.png" 390,844
	check "postfix: screenshots at laptop and phone width" test -s "$work/pf-laptop.png" -a -s "$work/pf-phone.png"
	[ -n "${REPORTS_KEEP:-}" ] && cp "$work"/pf*.png "$work/pf.html" "$REPORTS_KEEP"/ 2>/dev/null
else
	not_ok "postfix starts" "$(cat "$work/pf.txt")"
fi

# ---- the TLS of the run (target.tls) in every format ---------------------
# From the Postfix result: documents with a crafted "tls", as a run against a
# hostile TLS server would write them, rendered by `smtpspec report`.
if [ -s "$work/pf.json" ]; then
	check "tls: a plaintext run says so (mode none, no handshake, nothing verified)" \
		jq -e '.target.tls == {"mode": "none", "verify": false, "sni": null, "ca_file": null, "client_certificate": false,
			"protocol": null, "cipher": null, "peer_subject": null, "peer_verified": null, "error": null}' "$work/pf.json"
	check "tls: the plaintext page names the mode and claims no unverified certificate" \
		bash -c "grep -q '<dt>TLS</dt><dd id=\"tls\" data-mode=\"none\">' '$work/pf.html' && ! grep -q 'tls-unverified' '$work/pf.html'"
	subject='CN=</code><img src=x onerror=alert(1)>,O="q'"'"'&amp;\x1b[31m'
	jq --arg s "$subject" '.target.tls = {"mode": "starttls", "verify": false, "sni": "mx.example", "ca_file": null,
		"client_certificate": true, "protocol": "TLSv1.3", "cipher": "<script>alert(1)</script>", "peer_subject": $s,
		"peer_verified": null, "error": "TLS read failed: <b>alert</b> certificate required"}' "$work/pf.json" >"$work/tls-hostile.json"
	check "tls: a hostile subject and cipher (display escaping) are valid against the schema" schema_check "$work/tls-hostile.json"
	"$bin" report "$work/tls-hostile.json" --html "$work/tls-hostile.html" --junit "$work/tls-hostile.xml" >"$work/tls-hostile.txt" 2>&1
	check "tls: report renders the hostile document" test -s "$work/tls-hostile.html" -a -s "$work/tls-hostile.xml"
	html_is_inert "$work/tls-hostile.html" "tls: hostile subject and cipher"
	check "tls: the page shows subject, cipher and error as text, and says certificates were not verified" \
		bash -c "grep -qF 'id=\"tls-subject\">CN=&lt;/code&gt;&lt;img src=x onerror=alert(1)&gt;,O=&quot;q&#39;&amp;amp;' '$work/tls-hostile.html' &&
			grep -qF '<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>' '$work/tls-hostile.html' &&
			grep -qF 'TLS failure: TLS read failed: &lt;b&gt;alert&lt;/b&gt;' '$work/tls-hostile.html' &&
			grep -q 'id=\"tls-unverified\">certificates were not verified<' '$work/tls-hostile.html' &&
			grep -q 'a client certificate was offered' '$work/tls-hostile.html'"
	chromium_dom "$work/tls-hostile.html" >"$work/tls-hostile.dom"
	check "tls: in Chromium the subject is one text node (no element came out of it)" \
		grep -qF 'id="tls-subject">CN=&lt;/code&gt;&lt;img src=x onerror=alert(1)&gt;' "$work/tls-hostile.dom"
	check "tls: JUnit with the TLS properties is valid (junit.xsd)" xmllint --noout --schema "$xsd" "$work/tls-hostile.xml"
	got=$(xmllint --xpath 'string(//testsuite[1]/properties/property[@name="tls_peer_subject"]/@value)' "$work/tls-hostile.xml" 2>/dev/null)
	[ "$got" = "$subject" ] && ok "tls: JUnit carries the subject byte for byte as an escaped attribute" ||
		not_ok "tls: JUnit tls_peer_subject" "got: $got"
	check "tls: JUnit names the mode, the cipher and the client certificate" \
		bash -c "[ \"\$(xmllint --xpath 'string(//testsuite[1]/properties/property[@name=\"tls_mode\"]/@value)' '$work/tls-hostile.xml')\" = starttls ] &&
			[ \"\$(xmllint --xpath 'string(//testsuite[1]/properties/property[@name=\"tls_cipher\"]/@value)' '$work/tls-hostile.xml')\" = '<script>alert(1)</script>' ] &&
			[ \"\$(xmllint --xpath 'string(//testsuite[1]/properties/property[@name=\"tls_client_certificate\"]/@value)' '$work/tls-hostile.xml')\" = true ]"
	# verified: the page says against what, and makes no "not verified" statement
	jq '.target.tls = {"mode": "implicit", "verify": true, "sni": "mx.example", "ca_file": "/srv/ca.pem", "client_certificate": false,
		"protocol": "TLSv1.3", "cipher": "TLS_AES_256_GCM_SHA384", "peer_subject": "CN=mx.example", "peer_verified": true,
		"error": null}' "$work/pf.json" >"$work/tls-verified.json"
	"$bin" report "$work/tls-verified.json" --html "$work/tls-verified.html" --junit "$work/tls-verified.xml" >/dev/null 2>&1
	check "tls: a verified run says against which CA file and for which name" \
		bash -c "grep -q 'certificates verified against /srv/ca.pem for the name <code>mx.example</code>' '$work/tls-verified.html' &&
			! grep -q 'tls-unverified' '$work/tls-verified.html' &&
			[ \"\$(xmllint --xpath 'string(//testsuite[1]/properties/property[@name=\"tls_peer_verified\"]/@value)' '$work/tls-verified.xml')\" = true ]"
	# raw control bytes are not the display escaping: refused at file:line:column, by the schema too
	jq '.target.tls.peer_subject = "CN=\u001b[31m"' "$work/tls-hostile.json" >"$work/tls-raw.json"
	"$bin" report "$work/tls-raw.json" --html "$work/tls-raw.html" >"$work/tls-raw.txt" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q 'tls-raw.json:[0-9]*:[0-9]*: error: target.tls.peer_subject: must hold printable ASCII' "$work/tls-raw.txt" &&
		ok "tls: a raw control byte in the subject is refused at file:line:column (exit 2)" ||
		not_ok "tls: raw subject refused" "exit $rc: $(cat "$work/tls-raw.txt")"
	refute "tls: the schema refuses the raw subject too" schema_check "$work/tls-raw.json"
	jq '.target.tls.mode = "ssl"' "$work/tls-hostile.json" >"$work/tls-mode.json"
	refute "tls: the schema refuses an unknown mode" schema_check "$work/tls-mode.json"
	# an older document without "tls": renders without a TLS line; diffs and baselines still work
	jq 'del(.target.tls)' "$work/pf.json" >"$work/tls-old.json"
	"$bin" report "$work/tls-old.json" --html "$work/tls-old.html" --junit "$work/tls-old.xml" >"$work/tls-old.txt" 2>&1
	rc=$?
	[ $rc -eq 0 ] && ! grep -q 'id="tls"' "$work/tls-old.html" && ! grep -q 'tls_mode' "$work/tls-old.xml" &&
		ok "tls: a document without tls (an earlier version) renders, with no TLS line" ||
		not_ok "tls: earlier document" "exit $rc: $(cat "$work/tls-old.txt")"
	"$bin" report --diff "$work/tls-old.json" "$work/tls-hostile.json" >"$work/tls-diff.txt" 2>&1
	rc=$?
	[ $rc -eq 0 ] && grep -q '0 new failures' "$work/tls-diff.txt" &&
		ok "tls: report --diff between a document without tls and one with it (exit 0, nothing new)" ||
		not_ok "tls: --diff old and new" "exit $rc: $(cat "$work/tls-diff.txt")"
fi

# ---- smtp-sink: strict JUnit, baselines, diffs, the matrix ----------------
if sink_port=$(start_server smtp-sink "$work/sink" "$work/sink.txt"); then
	"$bin" run --target "127.0.0.1:$sink_port" --no-progress --json "$work/sink.json" --html "$work/sink.html" \
		--junit "$work/sink.xml" >"$work/sink-run.txt" 2>&1
	rc=$?
	[ $rc -eq 1 ] && ok "smtp-sink: the run fails (exit 1)" || not_ok "smtp-sink exit 1" "exit $rc"
	check "smtp-sink: the JSON result is valid against the schema" schema_check "$work/sink.json"
	junit_matches smtp-sink "$work/sink.xml" "$work/sink.json"
	page_matches smtp-sink "$work/sink.html" "$work/sink.json"
	check "smtp-sink: warnings are visible in JUnit without failing" \
		bash -c "[ \"\$(xmllint --xpath 'count(//testcase/system-err[starts-with(., \"WARNING\")])' '$work/sink.xml')\" = \"\$(jq .summary.warn '$work/sink.json')\" ]"
	"$bin" report "$work/sink.json" --junit "$work/sink-strict.xml" --strict >/dev/null 2>&1
	check "smtp-sink: with --strict every warning is a JUnit failure" \
		bash -c "[ \"\$(xmllint --xpath 'count(//testcase/failure)' '$work/sink-strict.xml')\" = \"\$(jq '.summary.fail + .summary.warn' '$work/sink.json')\" ]"
	entry=$(sed -n '/id="v-rfc5321\/4.1.4\/mail-bad-argument-501"/,/<\/details>/p' "$work/sink.html")
	if printf '%s\n' "$entry" | grep -qF 'MAIL FROM:<span class="x">\r\n</span>' &&
		printf '%s\n' "$entry" | grep -qF "printf &#39;MAIL FROM:\\r\\n&#39;; sleep 1; printf &#39;QUIT\\r\\n&#39;; sleep 2; } | nc -w 10 &#39;127.0.0.1&#39; $sink_port"; then
		ok "smtp-sink: the failing MAIL FROM: vector has a reproducer: its exact bytes and a command line"
	else
		not_ok "smtp-sink: reproducer" "$(printf '%s\n' "$entry" | grep -A3 'class="bytes"\|class="cmd"')"
	fi
	# the reproducer really replays: run its command line against smtp-sink
	cmd=$(sed -n '/id="v-rfc5321\/4.1.4\/mail-bad-argument-501"/,/<\/details>/p' "$work/sink.html" |
		sed -n 's/.*<pre class="cmd">\(.*\)<\/pre>.*/\1/p' | sed 's/&#39;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g')
	if [ -n "$cmd" ] && out=$(timeout 30 bash -c "$cmd" 2>&1) && printf '%s' "$out" | grep -q '^250 2.1.0 Ok'; then
		ok "smtp-sink: the reproducer's command line replays the failure (MAIL FROM: gets 250)"
	else
		not_ok "smtp-sink: reproducer replays" "command: $cmd; got: ${out:-}"
	fi

	# --baseline: the same result as baseline, nothing new, exit 0 although vectors
	# fail (a few vectors whose verdicts against smtp-sink do not depend on timing)
	bsel="--only rfc5321/4.1.4/mail-bad-argument-501 --only rfc5321/4.3.2 --only rfc5321/3.5 --only rfc5321/4.1.1.1"
	"$bin" run --target "127.0.0.1:$sink_port" --no-progress $bsel --json "$work/sink-base.json" >/dev/null 2>&1
	"$bin" run --target "127.0.0.1:$sink_port" --no-progress $bsel --baseline "$work/sink-base.json" \
		--json "$work/sink-b.json" >"$work/sink-b.txt" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q 'baseline: 0 new failures' "$work/sink-b.txt" && jq -e '.summary.fail > 0' "$work/sink-b.json" >/dev/null; then
		ok "--baseline: a failing server with no new failure exits 0"
	else
		not_ok "--baseline unchanged" "exit $rc: $(grep baseline "$work/sink-b.txt")"
	fi
	check "--baseline: the result carries the comparison (schema-valid)" \
		bash -c "jq -e '.baseline.new_failures == [] and .exit_code == 0' '$work/sink-b.json' >/dev/null && NODE_PATH=/usr/share/nodejs node '$top/harness/tests/schema-check.js' '$schema' '$work/sink-b.json'"
	# a baseline in which one failing vector passed: that vector is a new failure
	id=rfc5321/4.1.4/mail-bad-argument-501
	jq --arg id "$id" '(.results[] | select(.id == $id) | .verdict) = "pass"' "$work/sink-base.json" >"$work/base-pass.json"
	"$bin" run --target "127.0.0.1:$sink_port" --no-progress $bsel --baseline "$work/base-pass.json" \
		--json "$work/sink-nf.json" --html "$work/sink-nf.html" >"$work/sink-nf.txt" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q "new failure  $id: pass -> fail" "$work/sink-nf.txt" &&
		jq -e --arg id "$id" '.baseline.new_failures | map(.id) == [$id]' "$work/sink-nf.json" >/dev/null; then
		ok "--baseline: a vector that passed before and fails now is a new failure (exit 1)"
	else
		not_ok "--baseline new failure" "exit $rc: $(grep -A3 baseline "$work/sink-nf.txt")"
	fi
	check "--baseline: the HTML lists the new failure" grep -q 'New failures: 1' "$work/sink-nf.html"
	# a baseline in which a passing vector failed: fixed, and still exit 0 with nothing new
	id2=$(jq -r '[.results[] | select(.verdict == "pass")][0].id' "$work/sink.json")
	jq --arg id "$id2" '(.results[] | select(.id == $id) | .verdict) = "fail"' "$work/sink.json" >"$work/base-fail.json"
	"$bin" report --diff "$work/base-fail.json" "$work/sink.json" >"$work/diff.txt" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q "fixed        $id2: fail -> pass" "$work/diff.txt"; then
		ok "report --diff: a vector failing before and passing now is fixed (exit 0)"
	else
		not_ok "report --diff fixed" "exit $rc: $(cat "$work/diff.txt")"
	fi
	"$bin" report --diff "$work/base-pass.json" "$work/sink.json" >"$work/diff2.txt" 2>&1
	[ $? -eq 1 ] && ok "report --diff: exit 1 on a new failure" || not_ok "report --diff exit 1" "$(cat "$work/diff2.txt")"
	jq '(.results[] | select(.verdict == "warn") | .verdict) = "pass"' "$work/sink.json" >"$work/base-nowarn.json"
	"$bin" report --diff "$work/base-nowarn.json" "$work/sink.json" >"$work/diff3.txt" 2>&1
	rc=$?
	"$bin" report --diff "$work/base-nowarn.json" "$work/sink.json" --strict >/dev/null 2>&1
	rc_strict=$?
	if [ $rc -eq 0 ] && grep -q 'changed      .*: pass -> warn' "$work/diff3.txt" && [ $rc_strict -eq 1 ]; then
		ok "report --diff: new warnings are changed verdicts; with --strict they are new failures"
	else
		not_ok "report --diff warnings" "exit $rc / strict $rc_strict: $(head -5 "$work/diff3.txt")"
	fi

	# the comparison matrix
	if [ -s "${pf_json:=$work/pf.json}" ]; then
		"$bin" report --compare "$work/pf.json" "$work/sink.json" --html "$work/matrix.html" >"$work/m.txt" 2>&1
		rc=$?
		[ $rc -eq 0 ] && ok "report --compare writes the matrix" || not_ok "report --compare" "exit $rc: $(cat "$work/m.txt")"
		html_is_inert "$work/matrix.html" matrix
		chromium_dom "$work/matrix.html" >"$work/matrix.dom"
		rows=$(jq -s '[.[].results[].id] | unique | length' "$work/pf.json" "$work/sink.json")
		if [ "$(grep -o '<tr data-id=' "$work/matrix.dom" | wc -l)" = "$rows" ] &&
			grep -q "id=\"shown\">$rows of $rows shown<" "$work/matrix.dom"; then
			ok "matrix: one row per vector ($rows) in Chromium"
		else
			not_ok "matrix rows" "$(grep -o 'id="shown">[^<]*' "$work/matrix.dom")"
		fi
		check "matrix: each cell links to that implementation's report" \
			grep -q 'href="sink.html#v-rfc5321/4.1.4/mail-bad-argument-501"' "$work/matrix.html"
		check "matrix: cells coloured by verdict" \
			bash -c "grep -q 'class=\"badge b-fail\" href=\"sink.html#v-rfc5321/4.1.4/mail-bad-argument-501\"' '$work/matrix.html'"
	fi
	# ---- category: a security finding is shown apart in every format ----------
	# a private catalogue in which the vector smtp-sink fails is a security vector
	mkdir -p "$work/seccat"
	cp -R "$work/catalogue/vectors" "$work/catalogue/suites" "$work/seccat/"
	secid=rfc5321/4.1.4/mail-bad-argument-501
	secf=$work/seccat/vectors/rfc5321/4.1.4-mail-bad-argument.json
	jq '.category = "security"' "$secf" >"$secf.new" && mv "$secf.new" "$secf"
	SMTPSPEC_CATALOGUE=$work/seccat "$bin" run --target "127.0.0.1:$sink_port" --no-progress --only "$secid" \
		--only rfc5321/4.1.1.1 --json "$work/sec.json" --html "$work/sec.html" --junit "$work/sec.xml" >"$work/sec.txt" 2>&1
	check "category: the JSON with a security finding is valid against the schema" schema_check "$work/sec.json"
	check "category: the JSON carries each result's category and the security counts" \
		jq -e --arg id "$secid" '([.results[] | select(.id == $id) | .category] == ["security"]) and
			([.results[] | select(.id != $id) | .category] | all(. == "conformance")) and
			.summary.security.total == 1 and .summary.security.fail == 1' "$work/sec.json"
	chromium_dom "$work/sec.html" >"$work/sec.dom"
	if grep -q '<section id="security">' "$work/sec.dom" &&
		[ "$(dom_count "$work/sec.dom" count-security)" = 1 ] &&
		sed -n '/<section id="security">/,/<\/section>/p' "$work/sec.dom" | grep -q "href=\"#v-$secid\"" &&
		[ "$(grep -n '<section id="security">' "$work/sec.dom" | cut -d: -f1)" -lt "$(grep -n '<section id="certification">' "$work/sec.dom" | cut -d: -f1)" ] &&
		grep -q "id=\"v-$secid\" data-verdicts=\"fail\" data-category=\"security\"" "$work/sec.dom"; then
		ok "category: in Chromium the security finding has its own section at the top, its count and its badge"
	else
		not_ok "category: HTML security section" "$(grep -o 'id="count-security">[^<]*\|<section id="[a-z]*">' "$work/sec.dom" | tr '\n' ' ')"
	fi
	sectotal=$(jq '.summary.total' "$work/sec.json")
	chromium_dom "$work/sec.html" "?category=security" >"$work/sec-only.dom"
	if grep -q "id=\"shown\">1 of $sectotal shown<" "$work/sec-only.dom" &&
		[ "$(grep -o '<details class="vec"[^>]*hidden' "$work/sec-only.dom" | wc -l)" = $((sectotal - 1)) ]; then
		ok "category: the page's security filter (?category=security) shows only the security result"
	else
		not_ok "category: security filter" "$(grep -o 'id="shown">[^<]*' "$work/sec-only.dom")"
	fi
	check "category: a run without security findings shows no security section and counts 0" \
		bash -c "! grep -q '<section id=\"security\">' '$work/sink.html' && grep -q 'id=\"count-security\">0<' '$work/sink.html'"
	junit_matches category "$work/sec.xml" "$work/sec.json"
	if [ "$(xml_count "$work/sec.xml" '//testsuite[@name="security findings"][properties/property[@name="category" and @value="security"]]/testcase[starts-with(@classname, "security.rfc5321")]/failure[starts-with(@type, "security")]')" = 1 ] &&
		[ "$(xml_count "$work/sec.xml" '//testsuite[@name!="security findings"]/testcase[@name="mail-bad-argument-501"]')" = 0 ]; then
		ok "category: JUnit lists the security finding once, in its own testsuite, as a security failure"
	else
		not_ok "category: JUnit security testsuite" "$(grep -n 'security' "$work/sec.xml" | head -5)"
	fi
	check "category: the console marks the finding and counts security findings apart" \
		bash -c "grep -q '^fail  $secid \[SECURITY, MUST' '$work/sec.txt' && grep -q 'security 1 (also counted above)' '$work/sec.txt'"
	"$bin" report --compare "$work/sink.json" "$work/sec.json" --html "$work/sec-matrix.html" >/dev/null 2>&1
	check "category: the matrix marks the security finding and counts it per implementation" \
		bash -c "grep -q 'id=\"security-1\">1<' '$work/sec-matrix.html' && ! grep -q 'id=\"security-0\"' '$work/sec-matrix.html' &&
			[ \"\$(grep -o 'title=\"security finding\"' '$work/sec-matrix.html' | wc -l)\" = 1 ]"
	jq '.results[0].category = "safety"' "$work/sec.json" >"$work/sec-bad.json"
	"$bin" report "$work/sec-bad.json" --html "$work/sec-bad.html" >"$work/sec-bad.txt" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q 'sec-bad.json:[0-9]*:[0-9]*: error: results\[0\].category: unknown name "safety"' "$work/sec-bad.txt" &&
		ok "category: report refuses an unknown category at file:line:column (exit 2)" ||
		not_ok "category: unknown category refused" "exit $rc: $(cat "$work/sec-bad.txt")"
	jq 'del(.results[].category) | del(.summary.security)' "$work/sec.json" >"$work/sec-old.json"
	"$bin" report "$work/sec-old.json" --html "$work/sec-old.html" >/dev/null 2>&1 &&
		grep -q 'id="count-security">0<' "$work/sec-old.html" && ! grep -q 'data-category="security"' "$work/sec-old.html" &&
		ok "category: a document without categories (an earlier version) still renders, all conformance" ||
		not_ok "category: earlier document" "$(head -3 "$work/sec-old.html")"
else
	not_ok "smtp-sink starts" "$(cat "$work/sink.txt")"
fi

# ---- the hostile responder ------------------------------------------------
# Every reply carries markup, CDATA ends, quotes, NUL, bytes that are not
# UTF-8 (\377\376, a broken and a surrogate sequence) and an ANSI escape.
respond() {
	local line data=0
	while IFS= read -r line; do
		line=${line%$'\r'}
		if [ "$data" = 1 ]; then
			[ "$line" = . ] && { data=0; printf '250 2.0.0 queued <script>alert("d")</script> ]]>\r\n'; }
			continue
		fi
		case $line in
		"Listening on"*) ;;
		"Connection received on"*)
			printf '220 hostile.test ESMTP <script>alert("g")</script> </pre> ]]> <!-- "dq" \047sq\047 &amp; \000NUL\000 \377\376 bad \303\050 utf8 \355\240\200 \033[31mred\r\n' ;;
		[Ee][Hh][Ll][Oo]*)
			printf '250-hostile.test <img src=x onerror=alert(1)>\r\n250-PIPELINING\r\n250-X-</textarea></pre>]]>"\r\n250 8BITMIME\r\n' ;;
		[Dd][Aa][Tt][Aa]*) data=1; printf '354 go on </pre>\r\n' ;;
		[Qq][Uu][Ii][Tt]*) printf '221 bye </pre>]]> \000\r\n' ;;
		*) printf '250 2.0.0 ok <script>alert("c")</script> ]]> </pre> "q" \047q\047 \000 \377\r\n' ;;
		esac
	done
}

h_port=$(free_port)
mkfifo "$work/hostile.in"
# nc -k serves one connection after the other; -v announces each on stderr,
# which is the cue for the greeting.
{ echo "$BASHPID" >"$work/hostile.pid"; exec nc -lkv 127.0.0.1 "$h_port" <"$work/hostile.in" 2>&1; } |
	respond >"$work/hostile.in" &
for _ in $(seq 1 50); do
	[ -s "$work/hostile.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$h_port") 2>/dev/null && break
	sleep 0.1
done
hostile_pid=$(cat "$work/hostile.pid" 2>/dev/null)
sleep 0.3 # the probe connection above is being served; let it end
"$bin" run --target "127.0.0.1:$h_port" --jobs 1 --timeout 2000 --no-progress \
	--only rfc5321/4.1.1.5 --only rfc5321/4.1.4/mail-bad-argument-501 --only rfc5321/4.1.1.4/message-accepted-250 \
	--json "$work/h.json" --html "$work/h.html" --junit "$work/h.xml" >"$work/h.txt" 2>&1
rc=$?
[ -n "$hostile_pid" ] && kill "$hostile_pid" 2>/dev/null
hostile_pid=
if [ $rc -eq 1 ] && [ -s "$work/h.json" ] && jq -e '.target.greeting | contains("<script>")' "$work/h.json" >/dev/null; then
	ok "hostile: the run against the hostile server completes (exit 1) and records its greeting"
else
	not_ok "hostile run" "exit $rc: $(cat -v "$work/h.txt" | tail -5)"
fi
# JSON: plain ASCII, valid, everything from the server escaped
if LC_ALL=C grep -q -P '[^\x0a\x20-\x7e]' "$work/h.json"; then
	not_ok "hostile: the JSON is plain ASCII" "$(LC_ALL=C grep -n -P '[^\x0a\x20-\x7e]' "$work/h.json" | head -3 | cat -v)"
else
	ok "hostile: the JSON is plain ASCII"
fi
check "hostile: the JSON is valid against the schema" schema_check "$work/h.json"
check "hostile: NUL, invalid UTF-8 and ESC are escaped in the JSON" \
	jq -e '.target.greeting | contains("\\x00NUL\\x00 \\xff\\xfe bad \\xc3( utf8 \\xed\\xa0\\x80 \\x1b[31mred")' "$work/h.json"
# XML: well-formed, valid, the markup is text
check "hostile: the JUnit XML is well-formed and valid" xmllint --noout --schema "$xsd" "$work/h.xml"
check "hostile: the JUnit XML has the markup as text" \
	bash -c "xmllint --xpath 'string(//testsuite[1]/properties/property[@name=\"greeting\"]/@value)' '$work/h.xml' | grep -qF '<script>alert(\"g\")</script> </pre> ]]> <!-- \"dq\" '\''sq'\'' &amp; \\x00NUL'"
check "hostile: no element or CDATA section came from the server" \
	bash -c "! grep -q -e '<script' -e '<!\\[CDATA' -e '<img' '$work/h.xml'"
# HTML: inert, and Chromium shows the text without running it
html_is_inert "$work/h.html" hostile
page_matches hostile "$work/h.html" "$work/h.json"
dom=$work/hostile.dom
if [ "$(grep -o '<script' "$dom" | wc -l)" = 1 ] && ! grep -q '<img' "$dom" && ! grep -q '<textarea' "$dom" &&
	grep -qF '&lt;script&gt;alert("g")&lt;/script&gt; &lt;/pre&gt; ]]&gt; &lt;!-- "dq" \x27sq\x27' "$dom" ||
	grep -qF '&lt;script&gt;alert("g")&lt;/script&gt; &lt;/pre&gt; ]]&gt; &lt;!-- "dq" '"'"'sq'"'"' &amp;amp; ' "$dom"; then
	ok "hostile: in Chromium the server's markup is text: no new element, one script"
else
	not_ok "hostile: markup as text in the DOM" "$(grep -o 'Greeting</dt><dd>.\{0,300\}' "$dom")"
fi
check "hostile: NUL and invalid UTF-8 are visible marks in the page" \
	grep -qF '<span class="x">\x00</span>NUL<span class="x">\x00</span> <span class="x">\xff\xfe</span>' "$work/h.html"
# console: not a terminal, so no colour; the server's ESC never reaches it raw
if LC_ALL=C grep -q -P '[\x00\x1b]' "$work/h.txt"; then
	not_ok "hostile: the console output has no raw NUL or ESC" "$(cat -v "$work/h.txt" | head -5)"
else
	ok "hostile: the console output has no raw NUL or ESC (the server's \\x1b is escaped)"
fi

# ---- console on a terminal ------------------------------------------------
if [ -s "$work/sink.json" ] && command -v script >/dev/null 2>&1; then
	sink_args="run --target 127.0.0.1:$sink_port --only rfc5321/4.1.4"
	TERM=xterm script -qec "$bin $sink_args" /dev/null >"$work/tty.txt" 2>&1
	TERM=xterm NO_COLOR=1 script -qec "$bin $sink_args" /dev/null >"$work/tty-nc.txt" 2>&1
	"$bin" $sink_args >"$work/plain.txt" 2>&1
	if grep -q $'\r\033\[K\[1/' "$work/tty.txt" && grep -q $'\033\[31mfail' "$work/tty.txt"; then
		ok "console: on a terminal, a live progress line and colour"
	else
		not_ok "console on a TTY" "$(head -c 400 "$work/tty.txt" | cat -v)"
	fi
	if grep -q $'\033\[[0-9;]*m' "$work/tty-nc.txt"; then
		not_ok "console: NO_COLOR means no colour" "$(head -c 400 "$work/tty-nc.txt" | cat -v)"
	else
		ok "console: NO_COLOR means no colour, even on a terminal"
	fi
	if ! grep -q $'\033' "$work/plain.txt" && grep -q '^fail  rfc5321/4.1.4/mail-bad-argument-501 (' "$work/plain.txt" &&
		grep -q '^fail  rfc5321/4.1.4/mail-bad-argument-501 \[MUST' "$work/plain.txt" &&
		grep -q 'expected 501, got 250' "$work/plain.txt"; then
		ok "console: not a terminal: plain lines, no escape codes, a summary with each failing id and reason"
	else
		not_ok "console plain" "$(head -20 "$work/plain.txt" | cat -v)"
	fi
fi

# ---- the schema check can fail ----------------------------------------------
if [ -s "$work/pf.json" ]; then
	jq '.results[0].verdict = "maybe"' "$work/pf.json" >"$work/bad1.json"
	jq '.results[0].transcript[0].text = "raw \u0000 byte"' "$work/pf.json" >"$work/bad2.json"
	jq 'del(.certification)' "$work/pf.json" >"$work/bad3.json"
	jq '.undocumented = 1' "$work/pf.json" >"$work/bad4.json"
	jq '.results[0].category = "safety"' "$work/pf.json" >"$work/bad5.json"
	for b in 1 2 3 4 5; do
		refute "schema: a broken document is refused (case $b)" schema_check "$work/bad$b.json"
	done
fi

echo "reports: $passed passed, $failed failed"
[ $failed -eq 0 ]
