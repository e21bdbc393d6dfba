#!/bin/bash
# tls.sh - TLS and AUTH against real servers and fakesmtpd (issue 9).
#
#   A private Postfix and a private Exim with STARTTLS, implicit TLS on a
#   second port and AUTH PLAIN/LOGIN/CRAM-MD5 with the test account (SMTPSPEC_TLS,
#   SMTPSPEC_TLS_PORT, SMTPSPEC_AUTH of scripts/*-private.sh): the openssl
#   client completes both kinds of handshake with the self-signed certificate
#   of scripts/tls-cert.sh, and the RFC 4954 and RFC 3207 vectors give the
#   verdicts known for each server.
#   fakesmtpd: STARTTLS and implicit TLS through harness/tls.c in the server
#   role, and its TLS modes.
#
# Only 127.0.0.1 is ever contacted.  Ends with "N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
work=$(mktemp -d /tmp/smtpspec-tls.XXXXXX)
chmod 755 "$work" # the private servers run as postfix and Debian-exim
passed=0
failed=0
fake_pid=

trap cleanup_servers EXIT # lib.sh

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

# expect_verdict NAME FILE ID VERDICT
expect_verdict() {
	local got
	got=$(jq -r --arg id "$3" '.results[] | select(.id == $id) | .verdict' "$2")
	if [ "$got" = "$4" ]; then
		ok "$1: $3 is $4"
	else
		not_ok "$1: $3 is $4" "got ${got:-nothing}: $(jq -r --arg id "$3" '.results[] | select(.id == $id) | .reason' "$2")"
	fi
}

# starttls_subject PORT: the subject of the certificate a STARTTLS handshake shows.
starttls_subject() {
	printf 'QUIT\r\n' | timeout 10 openssl s_client -starttls smtp -connect "127.0.0.1:$1" \
		-servername localhost 2>/dev/null </dev/null | openssl x509 -noout -subject 2>/dev/null
}

# implicit_greeting PORT: the first line the server sends inside TLS.
implicit_greeting() {
	printf 'QUIT\r\n' | timeout 10 openssl s_client -connect "127.0.0.1:$1" -quiet 2>/dev/null | head -n 1
}

# plaintext_to_tls PORT: what a plaintext EHLO to an implicit-TLS port gets
# back before the server closes (no SMTP reply may come).
plaintext_to_tls() {
	# shellcheck disable=SC2016 # $1 is expanded by the inner bash
	timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "EHLO client.smtpspec.test\r\n" >&3; head -c 200 <&3' \
		probe "$1" 2>/dev/null | tr -d '\0'
}

# silent_until_handshake PORT: a plaintext client that sends nothing gets
# nothing within 2 s from an implicit-TLS port (RFC 8314 §3: the greeting
# only comes inside TLS, after the client's handshake).
silent_until_handshake() {
	local got rc
	# shellcheck disable=SC2016 # $1 is expanded by the inner bash
	got=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 9; timeout 2 head -c 1 <&3' probe "$1" 2>/dev/null)
	rc=$?
	[ $rc -eq 124 ] && [ -z "$got" ]   # connected, and 2 s of silence
}

# implicit_first NAME PORT: smtpspec --tls: the handshake comes first, then
# the greeting (the transcript: "TLS established" before any server byte).
implicit_first() {
	"$bin" run --target "127.0.0.1:$2" --tls --only rfc5321/4.3.1/greeting-220 --timeout 5000 --no-progress \
		--json "$work/$1-first.json" >/dev/null 2>&1
	check "$1 --tls: the greeting (220) comes after the handshake, inside TLS" \
		jq -e '.results[0].verdict == "pass" and (.results[0].transcript | (map(.dir == "#" and (.text | startswith("TLS established"))) | index(true)) as $t | (map(.dir == "S") | index(true)) as $s | $t != null and $s != null and $t < $s)' \
		"$work/$1-first.json"
}

# plain_to_implicit NAME PORT: a run without --tls against an implicit-TLS
# port ends in bounded time, with no greeting and a message that says why.
plain_to_implicit() {
	local start elapsed
	start=$(date +%s)
	"$bin" run --target "127.0.0.1:$2" --only rfc5321/4.3.1/greeting-220 --timeout 1500 --connect-timeout 1500 \
		--no-progress --json "$work/$1-plain-to-tls.json" >"$work/$1-plain-to-tls.txt" 2>&1
	elapsed=$(($(date +%s) - start))
	if [ "$elapsed" -le 10 ] && jq -e '.target.greeting == null and .results[0].verdict != "pass"' "$work/$1-plain-to-tls.json" >/dev/null 2>&1 &&
		grep -q "no SMTP greeting: .*try --tls" "$work/$1-plain-to-tls.txt"; then
		ok "$1: plaintext against implicit TLS: no greeting, ends in ${elapsed}s, the console says try --tls"
	else
		not_ok "$1: plaintext against implicit TLS ends clearly" "in ${elapsed}s: $(tail -4 "$work/$1-plain-to-tls.txt")"
	fi
}

# run_auth_tls NAME PORT: the RFC 4954 and RFC 3207 vectors into $work/NAME-auth.json, with
# the test account of the private servers in the profile.
run_auth_tls() {
	printf '{ "auth": { "user": "smtpspec", "password": "smtpspec-secret" } }\n' >"$work/auth.json"
	"$bin" run --target "127.0.0.1:$2" --suite rfc4954 --suite rfc3207 --profile "$work/auth.json" --no-progress \
		--json "$work/$1-auth.json" >"$work/$1-auth.txt" 2>&1
	[ -s "$work/$1-auth.json" ] || not_ok "$1: the RFC 4954 and RFC 3207 vectors run" "$(tail -20 "$work/$1-auth.txt")"
}

# plaintext_password NAME PORT: rfc4954/4/no-plaintext-password-mechanism
# ("exposure": "network") against a server that offers AUTH PLAIN LOGIN in
# plaintext: skipped on loopback with a reason naming --remote; a security
# warning with --remote; skipped inside TLS (--starttls).
plaintext_password() {
	local id=rfc4954/4/no-plaintext-password-mechanism
	"$bin" run --target "127.0.0.1:$2" --only "$id" --no-progress --json "$work/$1-pw.json" >/dev/null 2>&1
	check "$1: $id on loopback: skipped, the reason says --remote" \
		jq -e '.results[0].verdict == "skip" and (.results[0].reason | contains("loopback") and contains("--remote"))' "$work/$1-pw.json"
	"$bin" run --target "127.0.0.1:$2" --only "$id" --remote --no-progress --json "$work/$1-pw-remote.json" >/dev/null 2>&1
	check "$1: $id --remote: AUTH PLAIN in plaintext is a security warning" \
		jq -e '.results[0].verdict == "warn" and .results[0].category == "security" and .summary.security.warn == 1' "$work/$1-pw-remote.json"
	"$bin" run --target "127.0.0.1:$2" --only "$id" --remote --starttls --no-progress --json "$work/$1-pw-tls.json" >/dev/null 2>&1
	check "$1: $id --remote --starttls: skipped, inside TLS" \
		jq -e '.results[0].verdict == "skip" and (.results[0].reason | contains("inside TLS"))' "$work/$1-pw-tls.json"
}

# whole_catalogue NAME PORT TLSPORT CERT HOST: the whole catalogue inside TLS,
# by STARTTLS on PORT and by implicit TLS on TLSPORT: it ends, nothing is an
# error, and it fails exactly where the plaintext run fails (TLS carries the
# same SMTP); certificate verification fails without the CA, passes with it.
whole_catalogue() {
	local name=$1 port=$2 tport=$3 cert=$4 host=$5 mode rc
	"$bin" run --target "127.0.0.1:$port" --no-progress --json "$work/$name-plain.json" >/dev/null 2>&1
	for mode in starttls tls; do
		if [ $mode = starttls ]; then p=$port; else p=$tport; fi
		"$bin" run --target "127.0.0.1:$p" --$mode --no-progress --json "$work/$name-$mode.json" \
			>"$work/$name-$mode.txt" 2>&1
		rc=$?
		if [ $rc -gt 1 ] || [ ! -s "$work/$name-$mode.json" ]; then
			not_ok "$name --$mode: the whole catalogue runs inside TLS" "exit $rc: $(tail -5 "$work/$name-$mode.txt")"
			continue
		fi
		check "$name --$mode: the whole catalogue inside TLS, no error, the plaintext run's failures" \
			jq -e --slurpfile p "$work/$name-plain.json" '.summary.error == 0 and
				([.results[] | select(.verdict == "fail") | .id] - [.results[] | select(.id | startswith("rfc3207/"))| .id]) ==
				([$p[0].results[] | select(.verdict == "fail") | .id] - [$p[0].results[] | select(.id | startswith("rfc3207/")) | .id])' \
			"$work/$name-$mode.json"
		check "$name --$mode: the transcripts say where TLS starts and that the certificate is not verified" \
			jq -e '[.results[] | select(.verdict != "skip") | [.transcript[] | select(.dir == "#") | .text] | any(startswith("TLS established: TLSv1.") and contains("CN='"$host"'") and contains("not verified"))] | all' \
			"$work/$name-$mode.json"
		grep -q "TLS: .*not verified" "$work/$name-$mode.txt" && ok "$name --$mode: the summary says certificates are not verified" ||
			not_ok "$name --$mode: the summary says certificates are not verified" "$(tail -5 "$work/$name-$mode.txt")"
	done
	out=$("$bin" run --target "127.0.0.1:$tport" --tls --tls-verify --only rfc5321/4.3.1/greeting-220 --no-progress 2>&1)
	rc=$?
	[ $rc -eq 3 ] && case $out in *"certificate verification: self-signed certificate"*) true ;; *) false ;; esac &&
		ok "$name --tls-verify without its CA: unreachable, and the reason is the certificate" ||
		not_ok "$name --tls-verify without its CA" "exit $rc: $out"
	"$bin" run --target "127.0.0.1:$tport" --tls --tls-verify --ca-file "$cert" --sni "$host" \
		--only rfc5321/4.3.1/greeting-220 --no-progress --json "$work/$name-verified.json" >/dev/null 2>&1
	check "$name --tls-verify --ca-file --sni: verified" \
		jq -e '.results[0].verdict == "pass" and ([.results[0].transcript[] | .text] | any(contains("\", verified")))' "$work/$name-verified.json"
	check "$name --tls-verify --ca-file --sni: the JSON says verified, against what, for which name" \
		jq -e --arg ca "$cert" --arg host "$host" '.target.tls | .mode == "implicit" and .verify and .ca_file == $ca and
			.sni == $host and .peer_verified == true and .peer_subject == "CN=" + $host' "$work/$name-verified.json"
	out=$("$bin" run --target "127.0.0.1:$tport" --tls --tls-verify --ca-file "$cert" --sni wrong.example \
		--only rfc5321/4.3.1/greeting-220 --no-progress 2>&1)
	case $out in *"hostname mismatch"*) ok "$name --sni with another name: hostname mismatch" ;;
	*) not_ok "$name --sni with another name: hostname mismatch" "$out" ;; esac
}

# ---- the RFC 4954 map: every MUST sentence has a vector or a reason ------
"$bin" coverage --rfc 4954 --catalogue "$top" >"$work/coverage-4954.txt" 2>&1
rc=$?
line=$(grep "^RFC 4954: [0-9]* of [0-9]* requirements checked" "$work/coverage-4954.txt")
[ $rc -eq 0 ] && [ -n "$line" ] && ! grep -q "GAP" "$work/coverage-4954.txt" && ok "coverage: $line, no gap" ||
	not_ok "coverage of RFC 4954" "exit $rc: $(grep -B2 GAP "$work/coverage-4954.txt"; tail -2 "$work/coverage-4954.txt")"

# tls_listener_checks NAME PORT TLS_PORT HOST GREETING: the certificate
# STARTTLS shows on PORT, and the implicit-TLS port TLS_PORT: it greets
# (GREETING...) inside TLS, gives plaintext no SMTP reply, says nothing
# before the handshake, and a run against it starts TLS first.
tls_listener_checks() {
	local name=$1 port=$2 tls=$3 host=$4 greeting=$5 g
	check "$name: STARTTLS shows the certificate of tls-cert.sh" \
		test "$(starttls_subject "$port")" = "subject=CN = $host"
	g=$(implicit_greeting "$tls")
	case $g in
	"$greeting"*) ok "$name: implicit TLS on its second port greets inside TLS" ;;
	*) not_ok "$name: implicit TLS greets inside TLS" "got: $g" ;;
	esac
	g=$(plaintext_to_tls "$tls")
	case $g in
	[2-5][0-9][0-9]*) not_ok "$name: plaintext to the implicit-TLS port gets no SMTP reply" "got: $g" ;;
	*) ok "$name: plaintext to the implicit-TLS port gets no SMTP reply" ;;
	esac
	check "$name: the implicit-TLS port says nothing before the handshake" silent_until_handshake "$tls"
	implicit_first "$name" "$tls"
	plain_to_implicit "$name" "$tls"
}

# ---- Postfix: STARTTLS, wrappermode, Cyrus SASL -------------------------
pf_tls=$(free_port)
if pf_port=$(SMTPSPEC_TLS_PORT=$pf_tls SMTPSPEC_AUTH=1 start_server postfix-private "$work/postfix" "$work/pf.txt"); then
	tls_listener_checks postfix "$pf_port" "$pf_tls" smtpspec-postfix.test "220 smtpspec-postfix.test ESMTP"
	run_auth_tls postfix "$pf_port"
	# Cyrus SASL answers an undecodable response with 535 "bad protocol /
	# cancel", where RFC 4954 §4 asks for 501: a real deviation.
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/4/auth-bad-base64-501 fail
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/4/auth-misplaced-pad-501 fail
	# CRAM-MD5 with an initial response: Cyrus answers 535 "bad protocol /
	# cancel" where RFC 4954 §4 asks for 501 (the server speaks first)
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/4/initial-response-server-first-501 fail
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/4/initial-response-server-first-5.7.0 skip
	# an unknown mechanism: 535 "no mechanism available" where §4 says 504
	# (no RFC 2119 keyword: information), so its enhanced code is not judged
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/4/unknown-mechanism-504 info
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/4/unknown-mechanism-enhanced-5.5.4 skip
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/6/auth-failure-enhanced-5.7.8 pass
	for id in rfc4954/4/auth-plain-initial-response-235 rfc4954/4/auth-plain-empty-challenge \
		rfc4954/4/auth-login-235 rfc4954/4/second-auth-503 \
		rfc4954/4/auth-cancel-501 rfc4954/4/auth-in-transaction-503 rfc4954/4/auth-bad-credentials-535 \
		rfc4954/4/plain-longest-response rfc4954/4/challenge-only-base64 rfc4954/8/mechanism-name-any-case \
		rfc4954/5/mail-auth-parameter-accepted rfc4954/5/mail-auth-mailbox-accepted rfc4954/3/mail-auth-line-over-512 \
		rfc3207/4/starttls-parameter-501 \
		rfc3207/4.2/no-plaintext-reply-after-220; do
		expect_verdict postfix "$work/postfix-auth.json" "$id" pass
	done
	expect_verdict postfix "$work/postfix-auth.json" rfc3207/4.2/pipelined-after-starttls-not-executed pass
	for id in rfc3207/4.2/transaction-discarded rfc3207/4.2/no-starttls-after-tls rfc3207/4.2/second-starttls-refused; do
		expect_verdict postfix "$work/postfix-auth.json" "$id" pass
	done
	# AUTH PLAIN LOGIN listed in plaintext (smtpd_tls_auth_only = no): AUTH
	# PLAIN gets a 334 challenge, not 538; STARTTLS and AUTH are listed, so
	# the vectors about a server without them skip
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/6/advertised-mechanism-not-538 pass
	expect_verdict postfix "$work/postfix-auth.json" rfc5321/4.2.4/starttls-not-advertised-refused skip
	expect_verdict postfix "$work/postfix-auth.json" rfc5321/4.2.4/auth-not-advertised-refused skip
	plaintext_password postfix "$pf_port"
	whole_catalogue postfix "$pf_port" "$pf_tls" "$work/postfix/tls/cert.pem" smtpspec-postfix.test
	"$top/scripts/postfix-private.sh" stop "$work/postfix" >/dev/null 2>&1
else
	not_ok "postfix starts with TLS and AUTH" "$(tail -20 "$work/pf.txt")"
fi

# ---- Exim: STARTTLS, tls_on_connect_ports, the plaintext authenticator ---
ex_tls=$(free_port)
if ex_port=$(SMTPSPEC_TLS_PORT=$ex_tls SMTPSPEC_AUTH=1 start_server exim-private "$work/exim" "$work/ex.txt"); then
	tls_listener_checks exim "$ex_port" "$ex_tls" smtpspec-exim.test "220 smtpspec-exim.test ESMTP Exim"
	run_auth_tls exim "$ex_port"
	for id in rfc4954/4/auth-plain-initial-response-235 rfc4954/4/auth-plain-empty-challenge \
		rfc4954/4/auth-login-235 rfc4954/4/second-auth-503 \
		rfc4954/4/auth-cancel-501 rfc4954/4/auth-bad-base64-501 rfc4954/4/auth-misplaced-pad-501 \
		rfc4954/4/auth-in-transaction-503 rfc4954/4/auth-bad-credentials-535 \
		rfc4954/4/plain-longest-response rfc4954/4/challenge-only-base64 rfc4954/8/mechanism-name-any-case \
		rfc4954/5/mail-auth-parameter-accepted rfc4954/5/mail-auth-mailbox-accepted rfc4954/3/mail-auth-line-over-512 \
		rfc3207/4/starttls-parameter-501; do
		expect_verdict exim "$work/exim-auth.json" "$id" pass
	done
	# CRAM-MD5 (cram_md5) with an initial response: Exim answers 553
	# "Initial data not expected" where RFC 4954 §4 asks for 501
	expect_verdict exim "$work/exim-auth.json" rfc4954/4/initial-response-server-first-501 fail
	expect_verdict exim "$work/exim-auth.json" rfc4954/4/unknown-mechanism-504 pass
	# no ENHANCEDSTATUSCODES in Exim's EHLO reply: the enhanced codes are not judged
	for id in rfc4954/4/initial-response-server-first-5.7.0 rfc4954/4/unknown-mechanism-enhanced-5.5.4 \
		rfc4954/6/auth-failure-enhanced-5.7.8; do
		expect_verdict exim "$work/exim-auth.json" "$id" skip
	done
	# Exim refuses STARTTLS pipelined with another command (554
	# synchronization error): the injection cannot be tried there
	expect_verdict exim "$work/exim-auth.json" rfc3207/4.2/pipelined-after-starttls-not-executed skip
	# after the 220, plaintext gets a TLS alert and a close: no SMTP reply
	for id in rfc3207/4.2/no-plaintext-reply-after-220 rfc3207/4.2/transaction-discarded \
		rfc3207/4.2/no-starttls-after-tls rfc3207/4.2/second-starttls-refused; do
		expect_verdict exim "$work/exim-auth.json" "$id" pass
	done
	# auth_advertise_hosts = *: as Postfix above
	expect_verdict exim "$work/exim-auth.json" rfc4954/6/advertised-mechanism-not-538 pass
	expect_verdict exim "$work/exim-auth.json" rfc5321/4.2.4/starttls-not-advertised-refused skip
	expect_verdict exim "$work/exim-auth.json" rfc5321/4.2.4/auth-not-advertised-refused skip
	plaintext_password exim "$ex_port"
	whole_catalogue exim "$ex_port" "$ex_tls" "$work/exim/tls/cert.pem" smtpspec-exim.test
	"$top/scripts/exim-private.sh" stop "$work/exim" >/dev/null 2>&1
else
	not_ok "exim starts with TLS and AUTH" "$(tail -20 "$work/ex.txt")"
fi

# ---- Exim requiring a client certificate (tls_verify_hosts) --------------

# client_certs DIR: a test CA, a client certificate it signs
# (CN=client.smtpspec.test) and one from another, self-signed "CA", each
# with its key, made by the openssl command-line tool.
client_certs() {
	local d=$1
	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=smtpspec test CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
		-keyout "$d/ca.key" -out "$d/ca.pem" >/dev/null 2>&1 &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=client.smtpspec.test" \
			-keyout "$d/client.key" -out "$d/client.csr" >/dev/null 2>&1 &&
		printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
			>"$d/client.ext" &&
		openssl x509 -req -in "$d/client.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
			-extfile "$d/client.ext" -out "$d/client.pem" >/dev/null 2>&1 &&
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=other.smtpspec.test" \
			-keyout "$d/other.key" -out "$d/other.pem" >/dev/null 2>&1
}

# cert_refused NAME FILE.json FILE.txt WHY: a run whose handshake the server
# refused: an error (no conformance verdict), the reason WHY on the console
# and in the JSON (the vector's reason and target.tls.error).
cert_refused() {
	if jq -e --arg why "$4" '.summary.error == .summary.total and .summary.total > 0 and .summary.fail == 0 and
		.summary.pass == 0 and (.target.tls.error | contains($why)) and ([.results[].reason] | all(contains($why)))' \
		"$2" >/dev/null 2>&1 && grep -q "TLS failure: .*$4" "$3"; then
		ok "$1: an error, not a verdict, and the reason ($4) on the console and in the JSON"
	else
		not_ok "$1: a clear TLS error" "$(jq -c '[.summary, .target.tls.error, .results[0].reason]' "$2" 2>&1; tail -5 "$3")"
	fi
}

cc=$work/client-certs
if ! client_certs "$cc"; then
	not_ok "a test CA and client certificates made with the openssl CLI"
elif ex_port=$(SMTPSPEC_TLS_PORT=$ex_tls SMTPSPEC_TLS_CLIENT_CA=$cc/ca.pem start_server exim-private "$work/exim" "$work/ex.txt"); then
	one=rfc5321/3.3/data-354-intermediate
	"$bin" run --target "127.0.0.1:$ex_port" --starttls --only $one --timeout 5000 --no-progress \
		--json "$work/cc-none.json" >"$work/cc-none.txt" 2>&1
	cert_refused "exim requiring a client certificate, none sent (--starttls)" "$work/cc-none.json" "$work/cc-none.txt" \
		"certificate required"
	check "exim requiring a client certificate, none sent: the JSON says none was offered" \
		jq -e '.target.tls.client_certificate == false and .target.tls.mode == "starttls"' "$work/cc-none.json"
	"$bin" run --target "127.0.0.1:$ex_tls" --tls --client-cert "$cc/other.pem" --client-key "$cc/other.key" --only $one \
		--timeout 5000 --no-progress --json "$work/cc-other.json" >"$work/cc-other.txt" 2>&1
	cert_refused "exim requiring a client certificate, another CA's sent (--tls)" "$work/cc-other.json" "$work/cc-other.txt" \
		"bad certificate"
	check "exim: its log says the other CA's certificate failed verification" \
		grep -q "TLS error on connection from \[127.0.0.1\] (certificate verification failed)" "$work/exim/log/mainlog"
	# the whole catalogue inside TLS with the client certificate: no error
	"$bin" run --target "127.0.0.1:$ex_port" --starttls --client-cert "$cc/client.pem" --client-key "$cc/client.key" \
		--no-progress --json "$work/cc.json" --html "$work/cc.html" --junit "$work/cc.xml" >"$work/cc.txt" 2>&1
	check "exim requiring a client certificate, the CA's sent: the whole catalogue runs inside TLS, no error" \
		jq -e '.summary.total > 200 and .summary.error == 0 and .summary.pass > 100' "$work/cc.json"
	check "exim: the JSON says how TLS was used and what the handshake showed" \
		jq -e '.target.tls | .mode == "starttls" and .client_certificate == true and .verify == false and
			(.protocol | startswith("TLSv1.")) and (.cipher | length > 0) and .peer_subject == "CN=smtpspec-exim.test" and
			.peer_verified == null and .error == null' "$work/cc.json"
	check "exim: the certificate reached the server (its log: CV=yes DN=\"CN=client.smtpspec.test\")" \
		grep -q 'CV=yes DN="CN=client.smtpspec.test"' "$work/exim/log/mainlog"
	check "exim: the console names the TLS session and says certificates were not verified" \
		grep -q "TLS session: TLSv1.*server certificate CN=smtpspec-exim.test (certificates were not verified)" "$work/cc.txt"
	check "exim: the page and JUnit say so too" \
		bash -c "grep -q 'id=\"tls-unverified\">certificates were not verified<' '$work/cc.html' &&
			grep -q 'id=\"tls-subject\">CN=smtpspec-exim.test<' '$work/cc.html' &&
			grep -q '<property name=\"tls_client_certificate\" value=\"true\"/>' '$work/cc.xml'"
	"$bin" report "$work/cc.json" --html "$work/cc-again.html" --junit "$work/cc-again.xml" >/dev/null 2>&1
	check "exim: report renders the saved TLS result as the run did" \
		bash -c "cmp -s '$work/cc.html' '$work/cc-again.html' && cmp -s '$work/cc.xml' '$work/cc-again.xml'"
	"$bin" run --target "127.0.0.1:$ex_tls" --tls --client-cert "$cc/client.pem" --client-key "$cc/client.key" \
		--only rfc5321/4.3.1/greeting-220 --timeout 5000 --no-progress --json "$work/cc-tls.json" >/dev/null 2>&1
	check "exim: implicit TLS with the client certificate greets (220)" \
		jq -e '.results[0].verdict == "pass" and .target.tls.mode == "implicit" and .target.tls.client_certificate' "$work/cc-tls.json"
	"$top/scripts/exim-private.sh" stop "$work/exim" >/dev/null 2>&1
else
	not_ok "exim starts requiring client certificates" "$(tail -20 "$work/ex.txt")"
fi

# ---- fakesmtpd: TLS through harness/tls.c in the server role ------------

# fake_start ARGS... (lib.sh) starts fakesmtpd with raw options; start_fake the conformant one.
if start_fake; then
	check "fakesmtpd: STARTTLS with its certificate made in memory" \
		bash -c "[ \"\$(printf '%s' \"\$1\")\" = 'subject=CN = fake.test' ]" _ "$(starttls_subject "$port")"
	stop_fake
else
	not_ok "fakesmtpd starts"
fi
if fake_start --tls-on-connect; then
	g=$(implicit_greeting "$port")
	case $g in
	"220 fake.test ESMTP"*) ok "fakesmtpd --tls-on-connect: the greeting comes inside TLS" ;;
	*) not_ok "fakesmtpd --tls-on-connect: the greeting comes inside TLS" "got: $g" ;;
	esac
	g=$(plaintext_to_tls "$port")
	[ -z "$g" ] && ok "fakesmtpd --tls-on-connect: plaintext gets no reply" ||
		not_ok "fakesmtpd --tls-on-connect: plaintext gets no reply" "got: $g"
	check "fakesmtpd --tls-on-connect: nothing before the handshake" silent_until_handshake "$port"
	implicit_first fakesmtpd "$port"
	plain_to_implicit fakesmtpd "$port"
	stop_fake
else
	not_ok "fakesmtpd --tls-on-connect starts"
fi
# a certificate given on the command line is the one shown
"$top/scripts/tls-cert.sh" "$work/cert" cert.smtpspec.test >/dev/null
if fake_start --tls-cert "$work/cert/cert.pem" --tls-key "$work/cert/key.pem"; then
	check "fakesmtpd --tls-cert: STARTTLS shows that certificate" \
		bash -c "[ \"\$(printf '%s' \"\$1\")\" = 'subject=CN = cert.smtpspec.test' ]" _ "$(starttls_subject "$port")"
	stop_fake
else
	not_ok "fakesmtpd --tls-cert starts"
fi
out=$("$fake" --port 0 --tls-cert "$work/cert/key.pem" --tls-key "$work/cert/key.pem" 2>&1)
rc=$?
[ $rc -eq 1 ] && case $out in *"cannot load the certificate"*) true ;; *) false ;; esac &&
	ok "fakesmtpd: a bad --tls-cert is refused with a clear error" ||
	not_ok "fakesmtpd: a bad --tls-cert is refused with a clear error" "exit $rc: $out"

# ---- fakesmtpd: AUTH listed only inside TLS (RFC 4954 §4) ----------------
auth_ids=(--only rfc5321/4.2.4/auth-not-advertised-refused --only rfc4954/6/advertised-mechanism-not-538
	--only rfc4954/4/no-plaintext-password-mechanism)
if fake_start --mode auth-after-starttls; then
	"$bin" run --target "127.0.0.1:$port" "${auth_ids[@]}" --remote --no-progress --json "$work/aas.json" >/dev/null 2>&1
	check "auth-after-starttls --remote: AUTH refused (503) in plaintext, nothing offered there to snoop, no mechanism to ask for" \
		jq -e '([.results[] | .id + " " + .verdict] | sort == ["rfc4954/4/no-plaintext-password-mechanism pass",
			"rfc4954/6/advertised-mechanism-not-538 skip", "rfc5321/4.2.4/auth-not-advertised-refused pass"]) and .options.remote' "$work/aas.json"
	"$bin" run --target "127.0.0.1:$port" "${auth_ids[@]}" --starttls --no-progress --json "$work/aas-tls.json" >/dev/null 2>&1
	check "auth-after-starttls --starttls: AUTH listed inside TLS skips the not-advertised vector, its mechanism is not refused with 538" \
		jq -e '([.results[] | .id + " " + .verdict] | sort == ["rfc4954/4/no-plaintext-password-mechanism skip",
			"rfc4954/6/advertised-mechanism-not-538 pass", "rfc5321/4.2.4/auth-not-advertised-refused skip"]) and
			(.results[] | select(.id == "rfc5321/4.2.4/auth-not-advertised-refused") | .reason | contains("this session"))' "$work/aas-tls.json"
	stop_fake
else
	not_ok "fakesmtpd --mode auth-after-starttls starts"
fi

# the HTML's replay of a failing vector goes through openssl s_client when the
# run used TLS, and shows the same failure (no-503: DATA without RCPT gets 250)
if fake_start --mode no-503; then
	"$bin" run --target "127.0.0.1:$port" --starttls --only rfc5321/3.3/data-without-rcpt-refused --no-progress \
		--html "$work/replay.html" >/dev/null 2>&1
	cmd=$(grep -o '{ sleep 1; .*| openssl s_client -quiet -starttls smtp -connect [^<]*' "$work/replay.html" |
		sed "s/&#39;/'/g; s/&quot;/\"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\\&/g")
	got=$(timeout 30 bash -c "$cmd" 2>/dev/null)
	case $got in
	*"250 2.0.0 Ok"*) ok "HTML replay of a STARTTLS run: openssl s_client -starttls smtp shows the failure again" ;;
	*) not_ok "HTML replay of a STARTTLS run shows the failure" "command: $cmd; got: $got" ;;
	esac
	stop_fake
else
	not_ok "fakesmtpd --mode no-503 starts"
fi

# ---- fakesmtpd --tls-client-ca: the certificate reaches the server -------
if [ -s "$cc/ca.pem" ] && fake_start --tls-client-ca "$cc/ca.pem" 2>"$work/fake-cc.err"; then
	"$bin" run --target "127.0.0.1:$port" --starttls --client-cert "$cc/client.pem" --client-key "$cc/client.key" \
		--only rfc5321/3.3/data-354-intermediate --timeout 3000 --no-progress --json "$work/fake-cc.json" >/dev/null 2>&1
	line=
	read -r -t 5 line <&"${FAKE[0]}"
	[ "$line" = "CLIENT-CERT CN=client.smtpspec.test" ] &&
		jq -e '.results[0].verdict == "pass" and .target.tls.client_certificate' "$work/fake-cc.json" >/dev/null 2>&1 &&
		ok "fakesmtpd --tls-client-ca: the client certificate reached the server ($line)" ||
		not_ok "fakesmtpd --tls-client-ca: the client certificate reaches the server" "fake said: $line; $(jq -c '.results[0] | [.verdict, .reason]' "$work/fake-cc.json" 2>&1)"
	"$bin" run --target "127.0.0.1:$port" --starttls --only rfc5321/3.3/data-354-intermediate --timeout 3000 \
		--no-progress --json "$work/fake-cc-none.json" >"$work/fake-cc-none.txt" 2>&1
	cert_refused "fakesmtpd --tls-client-ca, no certificate sent" "$work/fake-cc-none.json" "$work/fake-cc-none.txt" \
		"certificate required"
	stop_fake
	check "fakesmtpd --tls-client-ca: the server says why it refused" grep -q "peer did not return a certificate" "$work/fake-cc.err"
else
	not_ok "fakesmtpd --tls-client-ca starts"
fi
out=$("$fake" --port 0 --tls-client-ca "$work/no-such-ca.pem" 2>&1)
rc=$?
[ $rc -eq 1 ] && case $out in *"cannot load the client CA file"*) true ;; *) false ;; esac &&
	ok "fakesmtpd: a --tls-client-ca that cannot be read is refused with a clear error" ||
	not_ok "fakesmtpd: a bad --tls-client-ca is refused" "exit $rc: $out"

# ---- fakesmtpd's hostile TLS modes end in bounded time -------------------
for mode in hostile-junk-tls hostile-starttls-stall; do
	if fake_start --mode "$mode"; then
		start=$(date +%s)
		"$bin" run --catalogue "$top/harness/tests/hostile-catalogue" --target "127.0.0.1:$port" --starttls \
			--timeout 1500 --deadline 60 --no-progress --json "$work/$mode.json" >"$work/$mode.txt" 2>&1
		rc=$?
		elapsed=$(($(date +%s) - start))
		if [ $rc -le 1 ] && [ "$elapsed" -le 30 ] &&
			jq -e '([.results[] | .verdict] | all(. == "error")) and ([.results[] | .reason] | any(contains("TLS")))' \
				"$work/$mode.json" >/dev/null 2>&1; then
			ok "$mode with --starttls: every vector ends in ${elapsed}s, an error that names TLS"
		else
			not_ok "$mode with --starttls: bounded, an error that names TLS" \
				"exit $rc in ${elapsed}s: $(jq -r '.results[] | "\(.id) \(.verdict) \(.reason)"' "$work/$mode.json" 2>&1 | head -5)"
		fi
		stop_fake
	else
		not_ok "fakesmtpd --mode $mode starts"
	fi
done
# implicit TLS against a plaintext greeting, and a plaintext run against implicit TLS
if fake_start --tls-on-connect --mode tls-plaintext-greeting; then
	out=$("$bin" run --target "127.0.0.1:$port" --tls --only rfc5321/4.3.1/greeting-220 --timeout 1500 --no-progress 2>&1)
	rc=$?
	[ $rc -eq 3 ] && case $out in *"TLS handshake failed"*) true ;; *) false ;; esac &&
		ok "--tls against a plaintext greeting: unreachable, the TLS error said" ||
		not_ok "--tls against a plaintext greeting" "exit $rc: $out"
	stop_fake
fi
if fake_start --tls-on-connect; then
	start=$(date +%s)
	"$bin" run --target "127.0.0.1:$port" --only rfc5321/4.3.1/greeting-220 --timeout 1500 --connect-timeout 1500 \
		--no-progress --json "$work/plain-to-tls.json" >"$work/plain-to-tls.txt" 2>&1
	elapsed=$(($(date +%s) - start))
	v=$(jq -r '.results[0].verdict + ": " + .results[0].reason' "$work/plain-to-tls.json" 2>/dev/null)
	case $v in
	pass*|"") not_ok "plaintext against implicit TLS: no greeting, and the run ends" "in ${elapsed}s: ${v:-no result}" ;;
	*) [ "$elapsed" -le 10 ] && ok "plaintext against implicit TLS: no greeting ($v), ends in ${elapsed}s" ||
		not_ok "plaintext against implicit TLS ends in bounded time" "${elapsed}s" ;;
	esac
	stop_fake
fi

echo "tls: $passed passed, $failed failed"
[ $failed -eq 0 ]
