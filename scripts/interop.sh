#!/bin/bash
# interop.sh - "make interop": run the whole catalogue against every real SMTP
# server the project can start on loopback, and write the comparison matrix.
#
#   postfix     a private Postfix instance    (scripts/postfix-private.sh)
#   exim        a private Exim daemon         (scripts/exim-private.sh; skipped,
#               with the reason, when it is missing or cannot start)
#   smtp-sink   Postfix's test server         (scripts/smtp-sink.sh)
#
# For each server OUT/NAME.json, OUT/NAME.html and OUT/NAME.xml (JUnit), then
# OUT/matrix.html: vectors x servers, each cell linking to that server's
# report.  OUT is out/interop (or $INTEROP_OUT).  Only 127.0.0.1 is contacted;
# every server is stopped at the end.  Exits 0 when the matrix was written,
# whatever the verdicts (comparing is the point); 1 when no server ran.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
# the catalogue of this checkout, wherever the binary is
export SMTPSPEC_CATALOGUE=${SMTPSPEC_CATALOGUE:-$top}
out=${INTEROP_OUT:-$top/out/interop}
# the servers run as their own users: their directories must be reachable
work=$(mktemp -d /tmp/smtpspec-interop.XXXXXX)
chmod 755 "$work"
started=()

cleanup() {
	for s in "${started[@]}"; do
		"$top/scripts/$s.sh" stop "$work/$s" >/dev/null 2>&1
	done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

[ -x "$bin" ] || { echo "interop: $bin is missing (make bin/smtpspec)" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.html "$out"/*.xml
results=()

# run_one NAME SCRIPT: start the server with scripts/SCRIPT.sh, run the catalogue, stop it.
run_one() {
	local name=$1 script=$2 port rc
	if [ ! -x "$top/scripts/$script.sh" ]; then
		echo "interop: $name skipped: scripts/$script.sh is not there"
		return
	fi
	port=$(free_port) || { echo "interop: $name skipped: no free port"; return; }
	echo "interop: starting $name on 127.0.0.1:$port"
	if ! "$top/scripts/$script.sh" start "$work/$script" "$port" >"$work/$script.start" 2>&1; then
		echo "interop: $name skipped: it did not start:"
		tail -n 5 "$work/$script.start" | sed 's/^/    /'
		"$top/scripts/$script.sh" stop "$work/$script" >/dev/null 2>&1
		return
	fi
	started+=("$script")
	"$bin" run --target "127.0.0.1:$port" --no-progress --json "$out/$name.json" --html "$out/$name.html" \
		--junit "$out/$name.xml" >"$out/$name.txt" 2>&1
	rc=$?
	if [ $rc -le 1 ] && [ -s "$out/$name.json" ]; then
		echo "interop: $name: $(jq -r '.summary | "\(.total) vectors: \(.pass) pass, \(.fail) fail, \(.warn) warn, \(.info) info, \(.skip) skip, \(.error) error"' "$out/$name.json")"
		results+=("$out/$name.json")
	else
		echo "interop: $name: smtpspec exited $rc:"
		tail -n 5 "$out/$name.txt" | sed 's/^/    /'
	fi
	"$top/scripts/$script.sh" stop "$work/$script" >/dev/null 2>&1
}

run_one postfix postfix-private
run_one exim exim-private
run_one smtp-sink smtp-sink

if [ ${#results[@]} -eq 0 ]; then
	echo "interop: no server could be run" >&2
	exit 1
fi
"$bin" report --compare "${results[@]}" --html "$out/matrix.html" || exit 1
echo "interop: ${#results[@]} servers compared: $out/matrix.html"
