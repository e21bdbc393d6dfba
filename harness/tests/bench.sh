#!/bin/bash
# bench.sh - smtpspec bench, checked against what the server saw.
#
#  1. a short run against Postfix's smtp-sink, which dumps every mail
#     transaction (-D): delivered == requested, and the sink holds exactly
#     those messages and recipients, each recipient once (nothing lost,
#     nothing counted twice), with and without pipelining;
#  2. the sharded run as a user runs it: two processes, --shard 1/2 and
#     2/2, in parallel against one sink, then bench --merge: the merged
#     counts are the sums, every histogram bucket the sum of the two, and
#     no recipient was used twice;
#  2b. --duration with --rate and --ramp sends what was due; the first
#     SIGINT ends the run without cutting a message;
#  3. servers that refuse, reset, close, stall or reject (fakesmtpd's
#     modes): the run ends by itself, well before its deadline, with the
#     failure counted under the right kind and every message failed.
# Only 127.0.0.1 is used.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
fake=${FAKESMTPD:-$top/build/fakesmtpd}
work=$(mktemp -d /tmp/smtpspec-benchtest.XXXXXX)
chmod 755 "$work"          # smtp-sink, as user postfix, writes its dump below
passed=0
failed=0
fake_pid=
cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

command -v jq >/dev/null || { echo "bench: jq is needed"; exit 1; }

# sink_start NAME [OPTS]: a fresh smtp-sink (with OPTS) dumping into
# $work/dump/NAME; sets port.
sink_start() {
	mkdir -p "$work/dump"
	chmod 777 "$work/dump"      # smtp-sink drops to user postfix
	rm -f "$work/dump/$1"
	port=$(SMTP_SINK_OPTS="-c -D $work/dump/$1 ${2:-}" start_server smtp-sink "$work/sink" "$work/sink.out") || {
		not_ok "$1: smtp-sink did not start" "$(cat "$work/sink.out")"
		return 1
	}
}

# dump_check NAME MESSAGES RCPTS: the sink saw exactly MESSAGES transactions
# and RCPTS distinct recipients, none twice.  Prints what differs.
dump_check() {
	local d=$work/dump/$1 msgs rcpts uniq
	for _ in $(seq 1 20); do      # the dump is written as each dot arrives
		msgs=$(grep -c '^X-Mail-Args:' "$d" 2>/dev/null)
		[ "${msgs:-0}" -ge "$2" ] && break
		sleep 0.1
	done
	rcpts=$(grep -c '^X-Rcpt-Args:' "$d")
	uniq=$(grep '^X-Rcpt-Args:' "$d" | sort -u | wc -l)
	[ "$msgs" = "$2" ] || echo "sink saw $msgs messages, expected $2"
	[ "$rcpts" = "$3" ] || echo "sink saw $rcpts recipients, expected $3"
	[ "$uniq" = "$rcpts" ] || echo "$((rcpts - uniq)) recipients used twice"
}

# json_check FILE JQ-EXPR: the expression holds for the result document.
json_check() {
	jq -e "$2" "$1" >/dev/null 2>&1
}

# ---- 1. counts checked against the sink -------------------------------
for mode in plain pipelining fallback; do
	sopt=
	[ $mode = fallback ] && sopt=-p     # smtp-sink -p: no PIPELINING in the EHLO reply
	sink_start "$mode" "$sopt" || continue
	opt=
	[ $mode = plain ] || opt=--pipelining
	# shellcheck disable=SC2086 # opt is empty or one word
	"$bin" bench --target "127.0.0.1:$port" --connections 10 --messages 1500 --per-session 4 \
		--rcpts 2 --size 3000 $opt --deadline 60 --no-progress --json "$work/$mode.json" \
		>"$work/$mode.out" 2>&1
	rc=$?
	problems=$(dump_check "$mode" 1500 3000)
	[ $rc -eq 0 ] || problems="$problems exit $rc"
	json_check "$work/$mode.json" '.delivered == 1500 and .failed == 0 and .requested == 1500
		and .latency_us.dot.count == 1500 and .latency_us.rcpt.count == 3000
		and .replies.dot["250"] == 1500 and .sessions.failed == 0
		and ([.errors[]] | add) == 0 and .messages_per_s > 0' ||
		problems="$problems counts in the JSON: $(jq -c '{delivered,failed,errors}' "$work/$mode.json" 2>&1)"
	if [ $mode = pipelining ]; then
		json_check "$work/$mode.json" '.sessions.pipelined == .sessions.started and .sessions.fallback == 0' ||
			problems="$problems the sink advertises PIPELINING but sessions did not pipeline"
	fi
	if [ $mode = fallback ]; then
		json_check "$work/$mode.json" '.sessions.pipelined == 0 and .sessions.fallback == .sessions.started' &&
			grep -q "note .*PIPELINING" "$work/$mode.out" ||
			problems="$problems no fallback noted though the sink does not advertise PIPELINING"
	fi
	if [ -z "$problems" ]; then
		ok "$mode: 1500 messages delivered, the sink holds 1500 and 3000 distinct recipients"
	else
		not_ok "$mode" "$problems
$(cat "$work/$mode.out")"
	fi
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
done

# the sink's own counter (smtp-sink -c) agrees too
sink_start counter && {
	"$bin" bench --target "127.0.0.1:$port" --connections 5 --messages 300 --pipelining \
		--per-session 7 --no-progress >/dev/null 2>&1
	sleep 0.3
	mesg=$(tr '\r' '\n' <"$work/sink/smtp-sink.log" | grep -o 'mesg=[0-9]*' | tail -n 1)
	if [ "$mesg" = mesg=300 ]; then ok "smtp-sink -c counted 300 messages"; else not_ok "sink counter" "$mesg"; fi
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
}

# ---- 2. two shards in parallel, then --merge --------------------------
if sink_start shards; then
	for k in 1 2; do
		"$bin" bench --target "127.0.0.1:$port" --shard "$k/2" --connections 8 --messages 1000 \
			--per-session 3 --rcpts 3 --pipelining --no-progress --json "$work/s$k.json" \
			>"$work/s$k.out" 2>&1 &
		eval "pid$k=\$!"
	done
	# shellcheck disable=SC2154 # pid1 and pid2 are set by the eval
	wait "$pid1"; rc1=$?
	wait "$pid2"; rc2=$?
	"$bin" bench --merge "$work/s1.json" "$work/s2.json" --json "$work/merged.json" >"$work/merge.out" 2>&1
	rcm=$?
	problems=$(dump_check shards 2000 6000)
	[ "$rc1$rc2$rcm" = 000 ] || problems="$problems exits $rc1 $rc2, merge $rcm"
	grep -q 'bench-1of2-' "$work/dump/shards" && grep -q 'bench-2of2-' "$work/dump/shards" ||
		problems="$problems recipients do not carry their shard"
	json_check "$work/merged.json" '.delivered == 2000 and .failed == 0 and .requested == 2000
		and .processes == 2 and .latency_us.rcpt.count == 6000' ||
		problems="$problems merged counts: $(jq -c '{delivered,failed,requested,processes}' "$work/merged.json" 2>&1)"
	# every count of the merged document is the sum of the two, bucket by bucket
	sums=$(jq -n --slurpfile a "$work/s1.json" --slurpfile b "$work/s2.json" --slurpfile m "$work/merged.json" '
		def b(h): reduce (h.buckets[]) as $x ({}; .[$x[0]|tostring] += $x[1]);
		[ "connect","greeting","ehlo","mail","rcpt","data","dot","quit" ] as $steps
		| ([ $steps[] as $s | (b($a[0].histograms[$s]) as $x | b($b[0].histograms[$s]) as $y
		     | reduce (($x + $y) | keys[]) as $k ({}; .[$k] = (($x[$k] // 0) + ($y[$k] // 0))))
		     == b($m[0].histograms[$s]) ] | all)
		and ($m[0].histograms.dot.max == ([$a[0].histograms.dot.max, $b[0].histograms.dot.max] | max))
		and ($m[0].histograms.connect.min == ([$a[0].histograms.connect.min, $b[0].histograms.connect.min] | min))
		and ($m[0].sessions.started == $a[0].sessions.started + $b[0].sessions.started)
		and ($m[0].bytes.sent == $a[0].bytes.sent + $b[0].bytes.sent)
		and ($m[0].replies.rcpt["250"] == 6000)
		and ($m[0].elapsed_s == ([$a[0].elapsed_s, $b[0].elapsed_s] | max))' 2>&1)
	[ "$sums" = true ] || problems="$problems merged histograms or counts are not the sums ($sums)"
	if [ -z "$problems" ]; then
		ok "shards 1/2 and 2/2 in parallel: 2000 messages, 6000 distinct recipients, merge exact"
	else
		not_ok "shards" "$problems
$(cat "$work/s1.out" "$work/merge.out")"
	fi
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
fi

# ---- --duration with --rate (open loop), --ramp, and a SIGINT ----------
if sink_start paced; then
	start=$(date +%s%N)
	"$bin" bench --target "127.0.0.1:$port" --connections 10 --duration 2 --rate 300 --ramp 1 \
		--no-progress --json "$work/paced.json" >"$work/paced.out" 2>&1
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	problems=$(dump_check paced "$(jq '.delivered' "$work/paced.json" 2>/dev/null)" \
		"$(jq '.delivered' "$work/paced.json" 2>/dev/null)")
	[ $rc -eq 0 ] || problems="$problems exit $rc"
	[ $ms -ge 1900 ] && [ $ms -lt 5000 ] || problems="$problems took $ms ms for --duration 2"
	# 300/s for 2 s: 600 messages are due, the last at 1.997 s
	json_check "$work/paced.json" '.requested == 0 and .failed == 0 and .delivered >= 570
		and .delivered <= 600 and .options.rate == 300' ||
		problems="$problems $(jq -c '{requested,delivered,failed,schedule_lag_max_us}' "$work/paced.json" 2>&1)"
	if [ -z "$problems" ]; then
		ok "--duration 2 --rate 300 --ramp 1: $(jq .delivered "$work/paced.json") delivered in $ms ms"
	else
		not_ok "--duration --rate" "$problems
$(cat "$work/paced.out")"
	fi
	# the first SIGINT: no new message, the ones under way end, then the run
	"$bin" bench --target "127.0.0.1:$port" --connections 5 --duration 60 --no-progress \
		--json "$work/int.json" >"$work/int.out" 2>&1 &
	pid=$!
	sleep 1
	kill -INT "$pid"
	start=$(date +%s)
	wait "$pid"
	rc=$?
	elapsed=$(($(date +%s) - start))
	if [ $rc -eq 1 ] && [ $elapsed -le 3 ] &&
		json_check "$work/int.json" '.interrupted and .failed == 0 and .delivered > 0 and .sessions.failed == 0'; then
		ok "SIGINT: ends in ${elapsed}s, $(jq .delivered "$work/int.json") delivered, none cut"
	else
		not_ok "SIGINT: exit $rc after ${elapsed}s" "$(cat "$work/int.out")"
	fi
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
fi

# --merge refuses broken documents with file:line:column, and changes nothing
if [ -s "$work/s1.json" ]; then
	jq '.histograms.dot.buckets[0][0] = 99999' "$work/s1.json" >"$work/bad1.json"
	jq '.delivered = "many"' "$work/s1.json" >"$work/bad2.json"
	printf '{"format": 1,\n  "target": ' >"$work/bad3.json"
	jq '.histograms.dot.max = 1' "$work/s1.json" >"$work/bad4.json"
	jq '.format = 2' "$work/s1.json" >"$work/bad5.json"
	jq '.sessions = []' "$work/s1.json" >"$work/bad6.json"
	jq '.replies.mail = {"2500": 1}' "$work/s1.json" >"$work/bad7.json"
	jq '.errors.refused = -1' "$work/s1.json" >"$work/bad8.json"
	jq '.histograms.rcpt.count += 1' "$work/s1.json" >"$work/bad9.json"
	jq '.histograms.sub_bucket_bits = 8' "$work/s1.json" >"$work/bad10.json"
	jq '.elapsed_s = -3' "$work/s1.json" >"$work/bad11.json"
	jq '. + {"surprise": true}' "$work/s1.json" >"$work/bad12.json"
	jq 'del(.histograms.quit)' "$work/s1.json" >"$work/bad13.json"
	jq '.histograms.dot.buckets[0] = [1]' "$work/s1.json" >"$work/bad14.json"
	for b in bad1 bad2 bad3 bad4 bad5 bad6 bad7 bad8 bad9 bad10 bad11 bad12 bad13 bad14; do
		out=$("$bin" bench --merge "$work/s1.json" "$work/$b.json" --json "$work/$b.out.json" 2>&1)
		rc=$?
		if [ $rc -eq 2 ] && printf '%s' "$out" | grep -q "$b.json:[0-9]*:[0-9]*: " && [ ! -e "$work/$b.out.json" ]; then
			ok "--merge refuses $b: $(printf '%s' "$out" | sed "s|$work/||" | head -n 1)"
		else
			not_ok "--merge $b: exit $rc" "$out"
		fi
	done
fi

# ---- 3. servers that fail: the run ends, errors counted by kind --------
# hostile MODE ERROR-KIND EXIT: 20 messages over 4 connections, 1 s timeouts.
hostile() {
	local mode=$1 kind=$2 want=$3 start elapsed rc problems=
	if [ "$mode" = refused ]; then
		port=$(free_port)
	elif ! start_fake "$mode"; then
		not_ok "$mode: fakesmtpd did not start"
		return
	fi
	start=$(date +%s)
	"$bin" bench --target "127.0.0.1:$port" --connections 4 --messages 20 --timeout 1000 \
		--connect-timeout 1000 --deadline 20 --no-progress --json "$work/$mode.json" >"$work/$mode.out" 2>&1
	rc=$?
	elapsed=$(($(date +%s) - start))
	[ -n "$fake_pid" ] && stop_fake
	[ $rc -eq "$want" ] || problems="exit $rc, expected $want. "
	[ $elapsed -lt 15 ] || problems="${problems}took ${elapsed}s. "
	json_check "$work/$mode.json" ".delivered == 0 and .failed == 20 and .errors.$kind > 0
		and .interrupted == false" ||
		problems="${problems}$(jq -c '{delivered,failed,errors}' "$work/$mode.json" 2>&1)"
	if [ -z "$problems" ]; then
		ok "$mode: ends in ${elapsed}s, 20 failed, $(jq -c '.errors | with_entries(select(.value > 0))' "$work/$mode.json")"
	else
		not_ok "$mode" "$problems$(cat "$work/$mode.out")"
	fi
}
hostile refused refused 3
hostile hostile-reset reset 1
hostile close-before-quit closed 1
hostile hostile-silent timeout 1
hostile hostile-trickle timeout 1
hostile hostile-10mb-reply malformed 1
hostile reject-all-messages unexpected 1
hostile reject-all-senders unexpected 1
hostile greeting-554-closes unexpected 1

echo "bench: $passed passed, $failed failed"
[ $failed -eq 0 ]
