# lib.sh - what the bash test scripts share: counting and printing results,
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

# free_port: a loopback TCP port nobody listens on.
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
