#!/bin/sh
# smtp-sink.sh - start, stop and query Postfix's stock smtp-sink(1) test server on
# 127.0.0.1:PORT, used by smtpspec as a second (deliberately minimal, non-RFC-strict)
# SMTP target.  It accepts everything and throws the mail away.  Only the options
# that are needed are given, so it behaves as "stock smtp-sink":
#   -u postfix        required when started as root (drops privileges after bind)
#   127.0.0.1:PORT    loopback only
#   128               listen backlog
# All other behaviour is the built-in default (greeting "220 smtp-sink ESMTP",
# PIPELINING, 8BITMIME, DSN, ENHANCEDSTATUSCODES, XCLIENT, XFORWARD announced,
# 100 s command timeout, at most 256 simultaneous sessions).
# SMTP_SINK_OPTS adds options (split on spaces) and SMTP_SINK_BACKLOG sets the
# backlog, for the load tests (smtpspec bench): e.g. "-c -D DIR/dump -m 1100".
#
# Usage:
#   scripts/smtp-sink.sh start  DIR PORT   start in the background, wait for "220"
#   scripts/smtp-sink.sh stop   DIR        stop; succeeds if not running
#   scripts/smtp-sink.sh status DIR        exit 0 if running, 1 if not
#
# Files: DIR/smtp-sink.pid (pid), DIR/smtp-sink.port, DIR/smtp-sink.log (stdout and
# stderr of smtp-sink).  "start" is idempotent: a sink already running from DIR is
# stopped first, then a fresh one is started (so PORT may change between runs).
set -eu

PROG=smtp-sink.sh
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
SINK=/usr/sbin/smtp-sink
BACKLOG=${SMTP_SINK_BACKLOG:-128}
START_TIMEOUT=15        # seconds to wait for the 220 greeting
STOP_TIMEOUT=10         # seconds to wait for the process to exit before SIGKILL

absdir() {
	d=$1
	case $d in
	/*) ;;
	*) d=$(pwd)/$d ;;
	esac
	while :; do
		case $d in
		*?/) d=${d%/} ;;
		*) break ;;
		esac
	done
	[ "$d" != / ] || die "refusing to use / as DIR"
	printf '%s\n' "$d"
}

# sink_pid: print the pid from DIR/smtp-sink.pid if that process is alive and
# really is smtp-sink (guards against a recycled pid).
sink_pid() {
	f=$DIR/smtp-sink.pid
	[ -r "$f" ] || return 1
	p=$(tr -dc 0-9 <"$f")
	[ -n "$p" ] && alive "$p" || return 1
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = smtp-sink ] || return 1
	printf '%s\n' "$p"
}

show_log() {
	if [ -s "$DIR/smtp-sink.log" ]; then
		echo "$PROG: last lines of $DIR/smtp-sink.log:" >&2
		tail -n 30 "$DIR/smtp-sink.log" >&2
	fi
}

do_stop() {
	pid=$(sink_pid) || pid=
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		i=0
		while alive "$pid"; do
			i=$((i + 1))
			if [ "$i" -eq $((STOP_TIMEOUT * 5)) ]; then
				kill -KILL "$pid" 2>/dev/null || true
			elif [ "$i" -gt $((STOP_TIMEOUT * 5 + 25)) ]; then
				die "smtp-sink pid $pid does not exit"
			fi
			sleep 0.2
		done
	fi
	rm -f "$DIR/smtp-sink.pid"
	return 0
}

do_start() {
	port=$1
	[ -x "$SINK" ] || die "$SINK not found (package postfix, scripts/install-deps.sh)"
	command -v bash >/dev/null 2>&1 || die "bash is needed for the TCP probe"

	do_stop
	if listening "$port"; then
		die "127.0.0.1:$port is already in use by another process"
	fi
	mkdir -p "$DIR"

	user_opt=
	[ "$(id -u)" != 0 ] || user_opt="-u postfix"
	# shellcheck disable=SC2086 # user_opt is empty or two words, SMTP_SINK_OPTS split on purpose
	"$SINK" $user_opt ${SMTP_SINK_OPTS:-} "127.0.0.1:$port" "$BACKLOG" \
		</dev/null >>"$DIR/smtp-sink.log" 2>&1 &
	pid=$!
	printf '%s\n' "$pid" >"$DIR/smtp-sink.pid"
	printf '%s\n' "$port" >"$DIR/smtp-sink.port"

	i=0
	while ! probe "$port"; do
		i=$((i + 1))
		if ! alive "$pid"; then
			show_log
			rm -f "$DIR/smtp-sink.pid"
			die "smtp-sink exited during startup"
		fi
		if [ "$i" -ge $((START_TIMEOUT * 4)) ]; then
			show_log
			do_stop
			die "no 220 greeting on 127.0.0.1:$port within ${START_TIMEOUT}s"
		fi
		sleep 0.25
	done
	echo "$PROG: smtp-sink running on 127.0.0.1:$port (pid $pid)"
}

[ $# -ge 2 ] || usage
cmd=$1
DIR=$(absdir "$2")

case $cmd in
start)
	[ $# -eq 3 ] || usage
	check_port "$3"
	do_start "$3"
	;;
stop)
	[ $# -eq 2 ] || usage
	do_stop
	;;
status)
	[ $# -eq 2 ] || usage
	if pid=$(sink_pid); then
		echo "$PROG: smtp-sink running on 127.0.0.1:$(cat "$DIR/smtp-sink.port" 2>/dev/null || echo '?') (pid $pid)"
		exit 0
	fi
	echo "$PROG: smtp-sink not running from $DIR"
	exit 1
	;;
*)
	usage
	;;
esac
