#!/bin/bash
# mutation.sh - prove that every vector can fail.
#
# fakesmtpd (harness/tests/fake/) is conformant by default; its "conformant
# variant" modes are other conformant servers (a 554 greeting, VRFY or EXPN
# implemented, an old server without EHLO); every other mode breaks one rule.
# Every vector must pass against at least one conformant configuration and
# fail against none of them (a failure there means the vector is stricter
# than the RFC); and it must fail (fail, warn or info by its level) against
# at least one mutant.  Mutants are the single modes and the combinations in
# COMBINED below, and the @remote configurations (run --remote) for the
# vectors about what crosses a network in plaintext.  Prints, for each
# vector, the mutants that kill it; the vectors no mutant kills; and the
# mutation score.  Exit 1 on any defect.
# Only 127.0.0.1 is contacted.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
work=$(mktemp -d /tmp/smtpspec-mut.XXXXXX)
fake_pid=

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/profile.json" <<'EOF'
{ "domain": "fake.test", "mailbox": "smtpspec@fake.test", "rejected_mailbox": "no-such-user@fake.test",
  "auth": { "user": "smtpspec", "password": "smtpspec-secret" } }
EOF

# start_fake MODE...: fakesmtpd with every MODE (lib.sh fake_start); sets $port.
start_fake() {
	local mode args=()
	for mode in "$@"; do args+=(--mode "$mode"); done
	fake_start "${args[@]}" && return 0
	echo "mutation: fakesmtpd $* did not start" >&2
	return 1
}

# run_against OUT CONFIG: the whole catalogue against fakesmtpd in CONFIG:
# "base" (no mode) or modes joined by "+", and "@remote" at the end to
# judge the target as a remote server (run --remote).
run_against() {
	local out=$1 cfg=$2 remote=()
	case $cfg in *@remote) remote=(--remote) cfg=${cfg%@remote} ;; esac
	[ "$cfg" = base ] && cfg=
	# shellcheck disable=SC2046 # the modes are words
	start_fake $(echo "$cfg" | tr '+' ' ') || return 1
	"$bin" run --target "127.0.0.1:$port" --profile "$work/profile.json" --no-progress "${remote[@]}" \
		--timeout "${MUTATION_TIMEOUT_MS:-1500}" --jobs 64 --deadline 300 --json "$out" >/dev/null 2>&1
	stop_fake
	[ -s "$out" ]
}

# Mutants that need another mode to show: a variant that enables a
# feature, plus the mode that breaks it.
COMBINED="advertise-vrfy+no-vrfy-502 send-implemented+ehlo-omits-send second-ehlo-503+bad-ehlo-resets auth-cram-md5+no-enhanced"
# Configurations judged as remote servers (@remote: run --remote), for the
# vectors with "exposure": "network", which are skipped on loopback: by
# default fakesmtpd offers AUTH PLAIN LOGIN in plaintext, which judged as a
# remote server is the mutant of rfc4954/4/no-plaintext-password-mechanism
# (base@remote); AUTH offered only inside TLS is its conformant variant.
REMOTE_CONFORMANT="auth-after-starttls@remote"
REMOTE_MUTANTS="base@remote"

bad=0
# greeting-host-not-mail-domain refuses the profile's mailbox by design: it is
# judged with no profile, by zero configuration (verdicts.sh)
variants=$("$fake" --list-modes | awk '$2 == "conformant" && $3 == "variant:" && $1 != "greeting-host-not-mail-domain" {print $1}')
: >"$work/passes.tsv"
: >"$work/toostrict.txt"
: >"$work/notpass.txt"
: >"$work/kills.tsv"
for c in base $variants $REMOTE_CONFORMANT; do
	run_against "$work/conf-$c.json" "$c" || { echo "mutation: conformant configuration $c produced no result"; bad=1; continue; }
	jq -r --arg c "$c" '.results[] | select(.verdict == "pass") | "\(.id)\t\($c)"' "$work/conf-$c.json" >>"$work/passes.tsv"
	jq -r --arg c "$c" '.results[] | select(.verdict == "fail") | "mutation: fails against a conformant server (\($c)): \(.id): \(.reason)"' \
		"$work/conf-$c.json" >>"$work/toostrict.txt"
done
cp "$work/conf-base.json" "$work/conformant.json"
for id in $(jq -r '.results[].id' "$work/conformant.json"); do
	grep -q "^$id	" "$work/passes.tsv" || echo "mutation: passes against no conformant configuration: $id: $(jq -r --arg id "$id" '.results[] | select(.id == $id) | .verdict + ": " + .reason' "$work/conformant.json")" >>"$work/notpass.txt"
done
for f in toostrict notpass; do
	if [ -s "$work/$f.txt" ]; then
		cat "$work/$f.txt"
		bad=1
	fi
done

# flaky- modes break a rule only some of the time (for run --repeat, repeat.sh): never a mutant here
modes=$("$fake" --list-modes | awk '$2 != "conformant" {print $1}' | grep -v -e '^hostile-' -e '^flaky-')
# the mutants run a few at a time: most of a run is spent waiting on timers
parallel=${MUTATION_PARALLEL:-6}
running=0
for m in $modes $COMBINED $REMOTE_MUTANTS; do
	( run_against "$work/mut-$m.json" "$m" ) &
	running=$((running + 1))
	if [ $running -ge $parallel ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for m in $modes $COMBINED $REMOTE_MUTANTS; do
	[ -s "$work/mut-$m.json" ] || { echo "mutation: mode $m produced no result"; bad=1; continue; }
	jq -r --arg m "$m" '.results[] | select(.verdict == "fail" or .verdict == "warn" or .verdict == "info") | "\(.id)\t\($m)"' \
		"$work/mut-$m.json" >>"$work/kills.tsv"
done
touch "$work/kills.tsv" "$work/toostrict.txt" "$work/notpass.txt"

# A mutant that makes most of the catalogue fail breaks something every
# session uses (the greeting, the EHLO reply, the reply grammar): it proves
# the automatic checks work, but says nothing about any one vector, so it
# kills no vector here.
nvec=$(jq '.results | length' "$work/conformant.json")
global=$(cut -f2 "$work/kills.tsv" | sort | uniq -c | awk -v t="$nvec" '$1 * 2 > t {print $2}' | tr '\n' ' ')
echo "# global mutants (each fails more than half of the vectors; they count for none): ${global:-none}"
awk -F'\t' -v g="$global" 'BEGIN { n = split(g, a, " "); for (i = 1; i <= n; i++) skip[a[i]] = 1 } !($2 in skip)' \
	"$work/kills.tsv" >"$work/kills-specific.tsv"
mv "$work/kills-specific.tsv" "$work/kills.tsv"

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
# a vector is a defect if nothing kills it, or if it fails a conformant
# server, or passes none
defects=$( { grep -v "^$" "$work/kills.tsv" | cut -f1 | sort -u | comm -13 - <(jq -r '.results[].id' "$work/conformant.json" | sort -u);
	sed -n 's/^mutation: [^:]*: \([^:]*\): .*/\1/p' "$work/toostrict.txt" "$work/notpass.txt" 2>/dev/null; } | sort -u | grep -c .)
echo "mutation: $((total - defects)) passed, $defects failed"
exit $bad
