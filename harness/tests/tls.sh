#!/bin/bash
# tls.sh - TLS and AUTH against real servers and fakesmtpd (issue 9).
#
#   A private Postfix and a private Exim with STARTTLS, implicit TLS on a
#   second port and AUTH PLAIN/LOGIN with the test account (SMTPSPEC_TLS,
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

cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	"$top/scripts/postfix-private.sh" stop "$work/postfix" >/dev/null 2>&1
	"$top/scripts/exim-private.sh" stop "$work/exim" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

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
	out=$("$bin" run --target "127.0.0.1:$tport" --tls --tls-verify --ca-file "$cert" --sni wrong.example \
		--only rfc5321/4.3.1/greeting-220 --no-progress 2>&1)
	case $out in *"hostname mismatch"*) ok "$name --sni with another name: hostname mismatch" ;;
	*) not_ok "$name --sni with another name: hostname mismatch" "$out" ;; esac
}

# ---- Postfix: STARTTLS, wrappermode, Cyrus SASL -------------------------
pf_tls=$(free_port)
if pf_port=$(SMTPSPEC_TLS_PORT=$pf_tls SMTPSPEC_AUTH=1 start_server postfix-private "$work/postfix" "$work/pf.txt"); then
	check "postfix: STARTTLS shows the certificate of tls-cert.sh" \
		bash -c "[ \"\$(printf '%s' \"\$1\")\" = 'subject=CN = smtpspec-postfix.test' ]" _ "$(starttls_subject "$pf_port")"
	g=$(implicit_greeting "$pf_tls")
	case $g in
	"220 smtpspec-postfix.test ESMTP"*) ok "postfix: implicit TLS on its second port greets inside TLS" ;;
	*) not_ok "postfix: implicit TLS greets inside TLS" "got: $g" ;;
	esac
	g=$(plaintext_to_tls "$pf_tls")
	case $g in
	[2-5][0-9][0-9]*) not_ok "postfix: plaintext to the implicit-TLS port gets no SMTP reply" "got: $g" ;;
	*) ok "postfix: plaintext to the implicit-TLS port gets no SMTP reply" ;;
	esac
	run_auth_tls postfix "$pf_port"
	# Cyrus SASL answers an undecodable response with 535 "bad protocol /
	# cancel", where RFC 4954 §4 asks for 501: a real deviation.
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/4/auth-bad-base64-501 fail
	expect_verdict postfix "$work/postfix-auth.json" rfc4954/4/auth-misplaced-pad-501 fail
	for id in rfc4954/4/auth-plain-initial-response-235 rfc4954/4/auth-plain-empty-challenge \
		rfc4954/4/auth-login-235 rfc4954/4/second-auth-503 \
		rfc4954/4/auth-cancel-501 rfc4954/4/auth-in-transaction-503 rfc4954/4/auth-bad-credentials-535 \
		rfc4954/5/mail-auth-parameter-accepted rfc3207/4/starttls-parameter-501 \
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
	check "exim: STARTTLS shows the certificate of tls-cert.sh" \
		bash -c "[ \"\$(printf '%s' \"\$1\")\" = 'subject=CN = smtpspec-exim.test' ]" _ "$(starttls_subject "$ex_port")"
	g=$(implicit_greeting "$ex_tls")
	case $g in
	"220 smtpspec-exim.test ESMTP Exim"*) ok "exim: implicit TLS on its second port greets inside TLS" ;;
	*) not_ok "exim: implicit TLS greets inside TLS" "got: $g" ;;
	esac
	g=$(plaintext_to_tls "$ex_tls")
	case $g in
	[2-5][0-9][0-9]*) not_ok "exim: plaintext to the implicit-TLS port gets no SMTP reply" "got: $g" ;;
	*) ok "exim: plaintext to the implicit-TLS port gets no SMTP reply" ;;
	esac
	run_auth_tls exim "$ex_port"
	for id in rfc4954/4/auth-plain-initial-response-235 rfc4954/4/auth-plain-empty-challenge \
		rfc4954/4/auth-login-235 rfc4954/4/second-auth-503 \
		rfc4954/4/auth-cancel-501 rfc4954/4/auth-bad-base64-501 rfc4954/4/auth-misplaced-pad-501 \
		rfc4954/4/auth-in-transaction-503 rfc4954/4/auth-bad-credentials-535 \
		rfc4954/5/mail-auth-parameter-accepted rfc3207/4/starttls-parameter-501; do
		expect_verdict exim "$work/exim-auth.json" "$id" pass
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

# ---- fakesmtpd: TLS through harness/tls.c in the server role ------------

# start_fake ARGS...: start fakesmtpd, set $port from its READY line.
start_fake() {
	coproc FAKE { exec "$fake" --port 0 "$@"; }
	fake_pid=$FAKE_PID
	port=
	if read -r -t 10 ready p <&"${FAKE[0]}" && [ "$ready" = READY ]; then
		port=$p
		return 0
	fi
	return 1
}

stop_fake() {
	kill "$fake_pid" 2>/dev/null
	wait "$fake_pid" 2>/dev/null
	fake_pid=
}

if start_fake; then
	check "fakesmtpd: STARTTLS with its certificate made in memory" \
		bash -c "[ \"\$(printf '%s' \"\$1\")\" = 'subject=CN = fake.test' ]" _ "$(starttls_subject "$port")"
	stop_fake
else
	not_ok "fakesmtpd starts"
fi
if start_fake --tls-on-connect; then
	g=$(implicit_greeting "$port")
	case $g in
	"220 fake.test ESMTP"*) ok "fakesmtpd --tls-on-connect: the greeting comes inside TLS" ;;
	*) not_ok "fakesmtpd --tls-on-connect: the greeting comes inside TLS" "got: $g" ;;
	esac
	g=$(plaintext_to_tls "$port")
	[ -z "$g" ] && ok "fakesmtpd --tls-on-connect: plaintext gets no reply" ||
		not_ok "fakesmtpd --tls-on-connect: plaintext gets no reply" "got: $g"
	stop_fake
else
	not_ok "fakesmtpd --tls-on-connect starts"
fi
# a certificate given on the command line is the one shown
"$top/scripts/tls-cert.sh" "$work/cert" cert.smtpspec.test >/dev/null
if start_fake --tls-cert "$work/cert/cert.pem" --tls-key "$work/cert/key.pem"; then
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
if start_fake --mode auth-after-starttls; then
	"$bin" run --target "127.0.0.1:$port" "${auth_ids[@]}" --remote --no-progress --json "$work/aas.json" >/dev/null 2>&1
	check "auth-after-starttls --remote: AUTH refused (503) in plaintext, nothing offered there to snoop, no mechanism to ask for" \
		jq -e '[.results[] | .id + " " + .verdict] | sort == ["rfc4954/4/no-plaintext-password-mechanism pass",
			"rfc4954/6/advertised-mechanism-not-538 skip", "rfc5321/4.2.4/auth-not-advertised-refused pass"]' "$work/aas.json"
	"$bin" run --target "127.0.0.1:$port" "${auth_ids[@]}" --starttls --no-progress --json "$work/aas-tls.json" >/dev/null 2>&1
	check "auth-after-starttls --starttls: AUTH listed inside TLS skips the not-advertised vector, its mechanism is not refused with 538" \
		jq -e '([.results[] | .id + " " + .verdict] | sort == ["rfc4954/4/no-plaintext-password-mechanism skip",
			"rfc4954/6/advertised-mechanism-not-538 pass", "rfc5321/4.2.4/auth-not-advertised-refused skip"]) and
			(.results[] | select(.id == "rfc5321/4.2.4/auth-not-advertised-refused") | .reason | contains("this session"))' "$work/aas-tls.json"
	stop_fake
else
	not_ok "fakesmtpd --mode auth-after-starttls starts"
fi

# ---- fakesmtpd's hostile TLS modes end in bounded time -------------------
for mode in hostile-junk-tls hostile-starttls-stall; do
	if start_fake --mode "$mode"; then
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
if start_fake --tls-on-connect --mode tls-plaintext-greeting; then
	out=$("$bin" run --target "127.0.0.1:$port" --tls --only rfc5321/4.3.1/greeting-220 --timeout 1500 --no-progress 2>&1)
	rc=$?
	[ $rc -eq 3 ] && case $out in *"TLS handshake failed"*) true ;; *) false ;; esac &&
		ok "--tls against a plaintext greeting: unreachable, the TLS error said" ||
		not_ok "--tls against a plaintext greeting" "exit $rc: $out"
	stop_fake
fi
if start_fake --tls-on-connect; then
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
