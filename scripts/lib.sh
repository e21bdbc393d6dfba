# lib.sh - shell functions shared by the scripts that start and stop the
# project's loopback servers (postfix-private.sh, exim-private.sh,
# smtp-sink.sh).  Sourced, not run; the caller sets PROG.

usage() {
	echo "usage: $PROG start DIR PORT | stop DIR | status DIR" >&2
	exit 2
}

die() {
	echo "$PROG: $*" >&2
	exit 1
}

# alive PID: the process exists and is not a zombie (an orphan that exited may stay
# a zombie for a while until init reaps it; it no longer holds any socket).
alive() {
	state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $state in
	"" | Z*) return 1 ;;
	esac
	return 0
}

# check_port PORT: a decimal port number, or die.
check_port() {
	case $1 in
	'' | *[!0-9]*) die "PORT must be a number: $1" ;;
	esac
	if [ "$1" -lt 1 ] || [ "$1" -gt 65535 ]; then
		die "PORT out of range: $1"
	fi
}

# probe PORT: something on 127.0.0.1:PORT greets with 220.
probe() {
	# shellcheck disable=SC2016 # $1 is expanded by the inner bash
	reply=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 3 <&3' \
		probe "$1" 2>/dev/null) || return 1
	[ "$reply" = 220 ]
}

# listening PORT: 127.0.0.1:PORT accepts connections.
listening() {
	# shellcheck disable=SC2016 # $1 is expanded by the inner bash
	timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' probe "$1" 2>/dev/null
}
