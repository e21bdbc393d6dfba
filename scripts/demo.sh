#!/bin/sh
# demo.sh - the main job on a default target: start a private Postfix on
# 127.0.0.1 with STARTTLS (a self-signed certificate) and AUTH (Cyrus SASL,
# the test account of scripts/postfix-private.sh), run the whole catalogue
# against it with those credentials, print the summary and where the results
# are, stop Postfix.  Called by "make demo" after the build.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
out=${DEMO_OUT:-$top/out/demo}
port=${DEMO_PORT:-2525}
# Postfix runs as user postfix: its directory must be reachable by that user,
# which a checkout under a private home directory is not.
inst=$(mktemp -d /tmp/smtpspec-demo.XXXXXX)
chmod 755 "$inst"

stop() {
	"$top/scripts/postfix-private.sh" stop "$inst/postfix" >/dev/null 2>&1
	rm -rf "$inst"
}
trap stop EXIT INT TERM

mkdir -p "$out"
echo "demo: starting a private Postfix on 127.0.0.1:$port (STARTTLS, AUTH PLAIN LOGIN CRAM-MD5)"
SMTPSPEC_TLS=1 SMTPSPEC_AUTH=1 "$top/scripts/postfix-private.sh" start "$inst/postfix" "$port" || exit 1
"$top/bin/smtpspec" run --target "127.0.0.1:$port" --auth-user smtpspec --auth-password smtpspec-secret --json "$out/result.json" \
	--html "$out/report.html" --junit "$out/junit.xml"
rc=$?
echo "demo: smtpspec exited $rc (1: the server failed at least one vector)"
echo "demo: the report is $out/report.html (JSON: $out/result.json, JUnit: $out/junit.xml)"
echo "demo: what a vector checks, and how to run it alone: bin/smtpspec explain ID"
exit 0
