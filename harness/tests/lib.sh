# lib.sh - what the bash test scripts share: counting and printing results,
# the fake server (start and stop), the private servers' cleanup,
# and choosing a free loopback port.  Sourced; the caller sets passed=0 and
# failed=0 and prints "NAME: $passed passed, $failed failed" at the end.

ok() {
	passed=$((passed + 1))
	echo "ok   $1"
}

# not_ok NAME [DETAILS]: a failed check, with details indented (capped).
not_ok() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | head -c 4000 | sed 's/^/     /'
	return 0
}

# check NAME COMMAND...: the command must succeed.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "$out"; fi
}

# free_port: a loopback TCP port nobody listens on, below the range the
# kernel hands out to client sockets (whose ports a bind would collide with).
free_port() {
	local p low
	low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
	[ "$low" -gt 12000 ] 2>/dev/null || low=32768
	for _ in $(seq 1 50); do
		p=$((10000 + RANDOM % (low - 10000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# start_server SCRIPT DIR LOG: start scripts/SCRIPT.sh on a free port (a
# few tries: a port can be taken between the check and the bind); prints
# the port.  0, or 1 with LOG holding the last attempt's output.
start_server() {
	local port
	for _ in 1 2 3; do
		port=$(free_port) || return 1
		if "$top/scripts/$1.sh" start "$2" "$port" >"$3" 2>&1; then
			echo "$port"
			return 0
		fi
		grep -q 'in use' "$3" || return 1
	done
	return 1
}

# fake_start ARG...: fakesmtpd (the caller's $fake) on a port of its choosing,
# as the coprocess FAKE (its later lines, e.g. CLIENT-CERT, can be read from
# ${FAKE[0]}); sets $port and $fake_pid.  0, or 1 when it did not say READY
# within 10 s.
fake_start() {
	local ready p
	coproc FAKE { exec "$fake" --port 0 "$@"; }
	fake_pid=$FAKE_PID
	port=
	read -r -t 10 ready p <&"${FAKE[0]}" && [ "$ready" = READY ] || return 1
	port=$p
}

# start_fake [MODE]: the fake server in MODE ("" or none: the conformant one).
start_fake() {
	fake_start ${1:+--mode "$1"}
}

# stop_fake: end the fake server started last.
stop_fake() {
	kill "$fake_pid" 2>/dev/null
	wait "$fake_pid" 2>/dev/null
	fake_pid=
}

# cleanup_servers: an EXIT trap that stops the fake server and the private
# Postfix and Exim started under $work, then removes $work.
cleanup_servers() {
	[ -n "${fake_pid:-}" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	"$top/scripts/postfix-private.sh" stop "$work/postfix" >/dev/null 2>&1
	"$top/scripts/exim-private.sh" stop "$work/exim" >/dev/null 2>&1
	rm -rf "$work"
}
