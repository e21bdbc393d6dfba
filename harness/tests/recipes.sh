#!/bin/bash
# recipes.sh - the README's CI recipes, run as written: the lines between
# "# smtpspec-recipe: begin NAME" and "# smtpspec-recipe: end" (in shell
# and YAML blocks alike; a YAML list item's "- " is dropped) are extracted
# with awk and run by sh -e, with smtpspec on PATH and SMTP_TARGET set to a
# local server.  A recipe that no longer matches the command line fails.
#
#   RECIPE_PATH   directory holding the smtpspec to run (default: make install
#                 into a scratch directory)
#   SMTP_TARGET   the server (default: a private smtp-sink on 127.0.0.1)
# Ends with "recipes: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
readme=${RECIPE_README:-$top/README.md}
work=$(mktemp -d /tmp/smtpspec-recipes.XXXXXX)
chmod 755 "$work"
passed=0
failed=0

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

cleanup() {
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# recipe NAME: the shell lines of recipe NAME in the README.
recipe() {
	awk -v name="$1" '
		/# smtpspec-recipe: begin / { on = ($NF == name); next }
		/# smtpspec-recipe: end/ { on = 0; next }
		on { sub(/^[ \t]+/, ""); sub(/^- /, ""); print }
	' "$readme"
}

echo "# smtpspec README recipes (work dir $work)"
if [ -z "${RECIPE_PATH:-}" ]; then
	make -s -C "$top" install PREFIX=/usr DESTDIR="$work/inst" BIN="${SMTPSPEC_BIN:-bin/smtpspec}" >/dev/null
	RECIPE_PATH=$work/inst/usr/bin
fi
if [ -z "${SMTP_TARGET:-}" ]; then
	port=$(start_server smtp-sink "$work/sink" "$work/sink.log") || { not_ok "smtp-sink did not start" "$(cat "$work/sink.log")"; exit 1; }
	SMTP_TARGET=127.0.0.1:$port
fi
export SMTP_TARGET
unset SMTPSPEC_CATALOGUE # the recipes use the catalogue installed with the binary

names=$(awk '/# smtpspec-recipe: begin / { print $NF }' "$readme" | tr '\n' ' ')
[ "$names" = "baseline shell github gitlab " ] && ok "the README has the recipes: $names" ||
	not_ok "README recipes" "found: $names"

# the baseline first, as a user would make it once
mkdir -p "$work/job"
recipe baseline >"$work/baseline.sh"
(cd "$work/job" && PATH="$RECIPE_PATH:$PATH" sh -e "$work/baseline.sh") >"$work/baseline.out" 2>&1
rc=$?
[ $rc -eq 0 ] && jq -e '.summary.total > 0' "$work/job/baseline.json" >/dev/null &&
	ok "recipe baseline: $(tr -s ' ' <"$work/baseline.sh" | cut -c1-90)" ||
	not_ok "recipe baseline" "exit $rc: $(cat "$work/baseline.sh" "$work/baseline.out" | head -20)"

for name in shell github gitlab; do
	recipe "$name" >"$work/$name.sh"
	rm -rf "$work/$name" && mkdir -p "$work/$name" && cp "$work/job/baseline.json" "$work/$name/"
	if ! grep -q '^smtpspec ' "$work/$name.sh"; then
		not_ok "recipe $name: no smtpspec line" "$(cat "$work/$name.sh")"
		continue
	fi
	(cd "$work/$name" && PATH="$RECIPE_PATH:$PATH" sh -e "$work/$name.sh") >"$work/$name.out" 2>&1
	rc=$?
	# the same server as the baseline: no new failure, exit 0; both reports written
	if [ $rc -eq 0 ] && xmllint --noout --schema "$top/harness/tests/junit.xsd" "$work/$name/junit.xml" 2>/dev/null &&
		grep -q '</html>' "$work/$name/report.html" && grep -q 'baseline: 0 new failures' "$work/$name.out"; then
		ok "recipe $name runs: exit 0 against its baseline, junit.xml valid, report.html written"
	else
		not_ok "recipe $name" "exit $rc: $(cat "$work/$name.sh"; tail -5 "$work/$name.out")"
	fi
done

echo "recipes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
