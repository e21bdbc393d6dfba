#!/bin/bash
# mutation.sh - prove that every vector can fail.
#
# fakesmtpd (harness/tests/fake/) is conformant by default; each --mode
# breaks one rule.  Every vector must pass against the conformant server,
# and fail (fail, warn or info by its level) against at least one mutant.
# Prints, for each vector, the mutants that kill it; the vectors no mutant
# kills; and the mutation score.  Exit 1 on a vector that does not pass the
# conformant server or that nothing kills.  Only 127.0.0.1 is contacted.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
work=$(mktemp -d /tmp/smtpspec-mut.XXXXXX)
fake_pid=

cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/profile.json" <<'EOF'
{ "domain": "fake.test", "mailbox": "smtpspec@fake.test", "rejected_mailbox": "no-such-user@fake.test" }
EOF

# start_fake MODE...: start fakesmtpd, set $port from its READY line.
start_fake() {
	args=()
	for m in "$@"; do args+=(--mode "$m"); done
	coproc FAKE { exec "$fake" --port 0 "${args[@]}"; }
	fake_pid=$FAKE_PID
	port=
	if read -r -t 10 ready p <&"${FAKE[0]}" && [ "$ready" = READY ]; then
		port=$p
		return 0
	fi
	echo "mutation: fakesmtpd $* did not start" >&2
	return 1
}

stop_fake() {
	kill "$fake_pid" 2>/dev/null
	wait "$fake_pid" 2>/dev/null
	fake_pid=
}

# run_against OUT MODE...: the whole catalogue against fakesmtpd in MODE.
run_against() {
	out=$1
	shift
	start_fake "$@" || return 1
	"$bin" run --target "127.0.0.1:$port" --profile "$work/profile.json" --no-progress \
		--timeout "${MUTATION_TIMEOUT_MS:-1500}" --jobs 64 --deadline 300 --json "$out" >/dev/null 2>&1
	stop_fake
	[ -s "$out" ]
}

bad=0
run_against "$work/conformant.json" || { echo "mutation: the conformant run produced no result"; exit 1; }
jq -r '.results[] | select(.verdict != "pass") | "mutation: not passing against the conformant server: \(.id): \(.verdict): \(.reason)"' \
	"$work/conformant.json" >"$work/notpass.txt"
if [ -s "$work/notpass.txt" ]; then
	cat "$work/notpass.txt"
	bad=1
fi

modes=$("$fake" --list-modes | awk '{print $1}' | grep -v '^hostile-' | grep -v '^close-with-421$')
for m in $modes; do
	run_against "$work/mut-$m.json" "$m" || { echo "mutation: mode $m produced no result"; bad=1; continue; }
	jq -r --arg m "$m" '.results[] | select(.verdict == "fail" or .verdict == "warn" or .verdict == "info") | "\(.id)\t\($m)"' \
		"$work/mut-$m.json" >>"$work/kills.tsv"
done
touch "$work/kills.tsv"

total=0
killed=0
echo "# vector -> mutants that make it fail"
for id in $(jq -r '.results[].id' "$work/conformant.json"); do
	total=$((total + 1))
	by=$(awk -F'\t' -v id="$id" '$1 == id {print $2}' "$work/kills.tsv" | sort -u | tr '\n' ' ')
	if [ -n "$by" ]; then
		killed=$((killed + 1))
		echo "$id: $by"
	else
		echo "$id: NOT KILLED by any mutant"
	fi
done
echo "# vectors no mutant kills:"
for id in $(jq -r '.results[].id' "$work/conformant.json"); do
	grep -q "^$id	" "$work/kills.tsv" || echo "  $id"
done
echo "mutation score: $killed/$total vectors killed"
[ "$killed" -eq "$total" ] || bad=1
if [ $bad -eq 0 ]; then
	echo "mutation: $total passed, 0 failed"
else
	echo "mutation: $killed passed, $((total - killed)) failed"
fi
exit $bad
