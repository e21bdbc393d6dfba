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

# run_auth_tls NAME PORT: the RFC 4954 and RFC 3207 vectors into $work/NAME-auth.json.
run_auth_tls() {
	"$bin" run --target "127.0.0.1:$2" --suite rfc4954 --suite rfc3207 --no-progress \
		--json "$work/$1-auth.json" >"$work/$1-auth.txt" 2>&1
	[ -s "$work/$1-auth.json" ] || not_ok "$1: the RFC 4954 and RFC 3207 vectors run" "$(tail -20 "$work/$1-auth.txt")"
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
	for id in rfc4954/4/auth-cancel-501 rfc4954/4/auth-in-transaction-503 rfc4954/4/auth-bad-credentials-535 \
		rfc4954/5/mail-auth-parameter-accepted rfc3207/4/starttls-parameter-501 \
		rfc3207/4.2/no-plaintext-reply-after-220; do
		expect_verdict postfix "$work/postfix-auth.json" "$id" pass
	done
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
	for id in rfc4954/4/auth-cancel-501 rfc4954/4/auth-bad-base64-501 rfc4954/4/auth-misplaced-pad-501 \
		rfc4954/4/auth-in-transaction-503 rfc4954/4/auth-bad-credentials-535 \
		rfc4954/5/mail-auth-parameter-accepted rfc3207/4/starttls-parameter-501; do
		expect_verdict exim "$work/exim-auth.json" "$id" pass
	done
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

echo "tls: $passed passed, $failed failed"
[ $failed -eq 0 ]
