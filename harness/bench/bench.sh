#!/bin/bash
# bench.sh - speed and memory figures for make bench (nothing is asserted).
#
#  1. the reply parser and escaping, in memory;
#  2. whole runs of the catalogue against Postfix's smtp-sink on loopback,
#     at several --jobs settings: vectors per second and peak memory.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
build=${BUILD:-$top/build}
work=$(mktemp -d /tmp/smtpspec-bench.XXXXXX)
trap '"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1; rm -rf "$work"' EXIT

echo "== in memory"
"$build/bench/bench_reply"

port=$((20000 + RANDOM % 12000))
"$top/scripts/smtp-sink.sh" start "$work/sink" "$port" >/dev/null || exit 1
n=$("$bin" run --list | wc -l)
echo "== whole runs: $n vectors against smtp-sink on 127.0.0.1:$port, ${BENCH_ROUNDS:-5} rounds each"
for jobs in 1 8 32 128; do
	best=
	rss=0
	for _ in $(seq 1 "${BENCH_ROUNDS:-5}"); do
		/usr/bin/time -f '%e %M' -o "$work/time" "$bin" run --target "127.0.0.1:$port" \
			--jobs "$jobs" --no-progress >/dev/null 2>&1
		read -r secs kb < <(tail -n 1 "$work/time")
		if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then best=$secs; fi
		[ "$kb" -gt "$rss" ] && rss=$kb
	done
	rate=$(echo "scale=1; $n / ($best + 0.0001)" | bc)
	printf 'jobs %4d: best %6.2f s  %8s vectors/s  peak RSS %6d KiB\n' "$jobs" "$best" "$rate" "$rss"
done
