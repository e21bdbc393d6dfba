#!/bin/sh
# tls-cert.sh - a self-signed certificate and key for smtpspec's private test
# servers (Postfix, Exim), made with the openssl command-line tool.
#
# Usage:
#   scripts/tls-cert.sh DIR [NAME]
#
# Writes DIR/cert.pem and DIR/key.pem (an EC P-256 key, mode 640) for NAME
# (default localhost; also in subjectAltName with IP:127.0.0.1), valid for
# ten years.  Idempotent: an existing pair that still matches NAME and is
# valid for at least a day is kept; otherwise a new pair replaces it, written
# beside the old one and renamed, so a half-written pair is never seen.
# Prints the path of the certificate.  Test-only: never use it for real mail.
set -eu

PROG=tls-cert.sh
die() {
	echo "$PROG: $*" >&2
	exit 1
}

[ $# -ge 1 ] && [ $# -le 2 ] || {
	echo "usage: $PROG DIR [NAME]" >&2
	exit 2
}
DIR=$1
NAME=${2:-localhost}
case $NAME in
'' | *[!A-Za-z0-9.-]*) die "NAME must be a host name ([A-Za-z0-9.-]): $NAME" ;;
esac
command -v openssl >/dev/null 2>&1 || die "openssl is not installed (scripts/install-deps.sh)"

mkdir -p "$DIR"
CERT=$DIR/cert.pem
KEY=$DIR/key.pem

# current: the pair exists, names NAME, lasts another day, key matches.
current() {
	[ -s "$CERT" ] && [ -s "$KEY" ] || return 1
	openssl x509 -in "$CERT" -noout -checkend 86400 >/dev/null 2>&1 || return 1
	openssl x509 -in "$CERT" -noout -subject 2>/dev/null | grep -q "CN *= *$NAME\$" || return 1
	[ "$(openssl x509 -in "$CERT" -noout -pubkey 2>/dev/null)" = \
		"$(openssl pkey -in "$KEY" -pubout 2>/dev/null)" ]
}

if ! current; then
	tmp=$(mktemp -d "$DIR/.tls-cert.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 3650 -subj "/CN=$NAME" \
		-addext "subjectAltName=DNS:$NAME,IP:127.0.0.1" \
		-addext "basicConstraints=critical,CA:FALSE" \
		-addext "keyUsage=critical,digitalSignature" \
		-addext "extendedKeyUsage=serverAuth" >"$tmp/openssl.log" 2>&1; then
		cat "$tmp/openssl.log" >&2
		die "openssl req failed"
	fi
	chmod 644 "$tmp/cert.pem"
	chmod 640 "$tmp/key.pem"
	mv -f "$tmp/key.pem" "$KEY"
	mv -f "$tmp/cert.pem" "$CERT"
	current || die "the new certificate in $DIR does not check out"
fi
printf '%s\n' "$CERT"
