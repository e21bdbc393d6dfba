#!/bin/bash
# bench.sh - speed and memory figures for make bench (nothing is asserted).
#
#  1. the reply parser and escaping, in memory;
#  2. load: Postfix's smtp-source and smtpspec bench against one smtp-sink
#     on loopback, the same workloads, rounds alternated between the two
#     tools: median messages/s of each, the ratio smtpspec/smtp-source, and
#     user+sys CPU seconds per 1,000 messages; a pipelined round (which
#     smtp-source cannot do); peak memory of smtpspec bench at 1,000
#     concurrent connections;
#  3. whole runs of the catalogue against smtp-sink, at several --jobs
#     settings: vectors per second and peak memory.
# BENCH_LOAD_ROUNDS (default 5) and BENCH_ROUNDS (default 3) set the rounds;
# BENCH_SKIP_RUNS=1 leaves out part 3.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
build=${BUILD:-$top/build}
source_bin=/usr/sbin/smtp-source
work=$(mktemp -d /tmp/smtpspec-bench.XXXXXX)
trap '"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1; rm -rf "$work"' EXIT
load_rounds=${BENCH_LOAD_ROUNDS:-5}
# 1,000 connections need 1,000 descriptors in each process, and more in the sink
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

echo "== in memory"
"$build/bench/bench_reply"

port=$((20000 + RANDOM % 12000))
SMTP_SINK_OPTS="-m 1100" SMTP_SINK_BACKLOG=1024 \
	"$top/scripts/smtp-sink.sh" start "$work/sink" "$port" >/dev/null || exit 1

# timed FILE CMD...: run CMD (output discarded), append "elapsed user sys maxrss_kb" to FILE.
timed() {
	local out=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >"$work/last.out" 2>&1 ||
		echo "  (exit $?: $(tail -n 3 "$work/last.out" | tr '\n' ' '))" >&2
	tail -n 1 "$work/t" >>"$out"
}

# median FILE COLUMN-EXPR: the median of an awk expression over FILE's lines.
median() {
	awk "{ print $2 }" "$1" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0;
		else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# report NAME FILE MESSAGES: median msg/s (also left in $rate), CPU s per
# 1,000 messages, max RSS.
report() {
	local cpu rss
	rate=$(median "$2" "$3 / (\$1 > 0 ? \$1 : 0.001)")
	cpu=$(median "$2" "(\$2 + \$3) * 1000 / $3")
	rss=$(awk '$4 > m { m = $4 } END { print m + 0 }' "$2")
	printf '  %-28s %10.0f msg/s  %7.3f CPU s/1000 msg  peak RSS %6d KiB\n' "$1" "$rate" "$cpu" "$rss"
}

# load LABEL MESSAGES SOURCE-ARGS -- BENCH-ARGS: alternate the two tools.
load() {
	local label=$1 msgs=$2 sargs=() bargs=() r a b rate
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
	shift
	bargs=("$@")
	: >"$work/src" && : >"$work/ssp"
	for r in $(seq 1 "$load_rounds"); do
		if [ $((r % 2)) = 1 ]; then
			timed "$work/src" "$source_bin" "${sargs[@]}" "127.0.0.1:$port"
			timed "$work/ssp" "$bin" bench --target "127.0.0.1:$port" --no-progress "${bargs[@]}"
		else
			timed "$work/ssp" "$bin" bench --target "127.0.0.1:$port" --no-progress "${bargs[@]}"
			timed "$work/src" "$source_bin" "${sargs[@]}" "127.0.0.1:$port"
		fi
	done
	echo "-- $label"
	report "smtp-source" "$work/src" "$msgs"
	a=$rate
	report "smtpspec bench" "$work/ssp" "$msgs"
	b=$rate
	printf '  %-28s %10.2f\n' "ratio smtpspec/smtp-source" "$(echo "scale=4; $b / ($a + 0.0001)" | bc)"
}

echo "== load: smtp-source and smtpspec bench against smtp-sink on 127.0.0.1:$port, $load_rounds rounds alternated"
load "20 connections, 20000 messages of 1 KB, 1 recipient, 1 message per session" 20000 \
	-s 20 -m 20000 -l 1024 -r 1 -- --connections 20 --messages 20000 --size 1024 --rcpts 1
load "20 connections, 20000 messages of 1 KB, 1 recipient, 1000 messages per session (smtp-source -d)" 20000 \
	-d -s 20 -m 20000 -l 1024 -r 1 -- --connections 20 --messages 20000 --size 1024 --rcpts 1 --per-session 1000
load "the same, smtpspec bench --pipelining (smtp-source cannot pipeline: it runs as above)" 20000 \
	-d -s 20 -m 20000 -l 1024 -r 1 -- --connections 20 --messages 20000 --size 1024 --rcpts 1 --per-session 1000 --pipelining
load "20 connections, 10000 messages of 1 KB, 5 recipients, 1 message per session" 10000 \
	-s 20 -m 10000 -l 1024 -r 5 -- --connections 20 --messages 10000 --size 1024 --rcpts 5

echo "-- smtpspec bench at 1000 concurrent connections (20000 messages, 20 per session)"
: >"$work/big"
timed "$work/big" "$bin" bench --target "127.0.0.1:$port" --no-progress --connections 1000 \
	--messages 20000 --per-session 20 --json "$work/big.json"
printf '  %-28s %10.0f msg/s  peak RSS %d KiB, %s sessions open at once\n' "smtpspec bench" \
	"$(jq '.messages_per_s' "$work/big.json" 2>/dev/null || echo 0)" "$(awk '{ print $4 }' "$work/big")" \
	"$(jq '.sessions.peak' "$work/big.json" 2>/dev/null || echo '?')"

[ -n "${BENCH_SKIP_RUNS:-}" ] && exit 0
n=$("$bin" run --list | wc -l)
echo "== whole runs: $n vectors against smtp-sink on 127.0.0.1:$port, ${BENCH_ROUNDS:-3} rounds each (--jobs 1: one)"
for jobs in 1 8 32 128; do
	best=
	rss=0
	rounds=${BENCH_ROUNDS:-3}
	[ "$jobs" = 1 ] && rounds=1     # one session at a time: waits, not noise; 16 s a round
	for _ in $(seq 1 "$rounds"); do
		/usr/bin/time -f '%e %M' -o "$work/time" "$bin" run --target "127.0.0.1:$port" \
			--jobs "$jobs" --no-progress >/dev/null 2>&1
		read -r secs kb < <(tail -n 1 "$work/time")
		if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then best=$secs; fi
		[ "$kb" -gt "$rss" ] && rss=$kb
	done
	rate=$(echo "scale=1; $n / ($best + 0.0001)" | bc)
	printf 'jobs %4d: best %6.2f s  %8s vectors/s  peak RSS %6d KiB\n' "$jobs" "$best" "$rate" "$rss"
done
