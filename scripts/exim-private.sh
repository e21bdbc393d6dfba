#!/bin/sh
# exim-private.sh - start, stop and query a PRIVATE Exim daemon used as a
# conformance-test target by smtpspec.  Exim is NOT installed: Debian's exim4
# packages conflict with postfix, so the binary is taken from the .deb files
# (fetched with "apt-get download", cached, unpacked with "dpkg -x") and run
# from DIR/exim/usr/sbin/exim4 with a private configuration (DIR/exim.conf).
# Everything lives under DIR (spool DIR/spool, logs DIR/log/{main,reject,panic}log,
# pid DIR/exim.pid); nothing under /etc/exim4 or /var/spool/exim4 is read or
# written.  The daemon listens only on 127.0.0.1:PORT, does no DNS, reverse or
# ident lookups, and discards every message it accepts (:blackhole:), so nothing
# ever leaves the machine.
#
# Usage (as root):
#   scripts/exim-private.sh start  DIR PORT   fetch/unpack if needed, (re)write config, start, wait for "220"
#   scripts/exim-private.sh stop   DIR        stop; succeeds if not running
#   scripts/exim-private.sh status DIR        exit 0 if running, 1 if not
#
# "start" is idempotent: a daemon already running from DIR is stopped first, then
# DIR/exim.conf is rewritten and a fresh daemon is started (so PORT may change
# between runs).  Spool and logs are kept across restarts.
#
# Changes to the machine, all outside DIR, all only when missing:
#   - the .deb files exim4-daemon-light and exim4-base are downloaded into the
#     cache $SMTPSPEC_EXIM_CACHE (default /var/cache/smtpspec/exim) and reused;
#     delete that directory to force a fresh download;
#   - the shared libraries the binary needs (the lib* packages in the Depends of
#     exim4-daemon-light, e.g. libidn12) are installed with apt-get; they do not
#     conflict with postfix;
#   - the system user and group "Debian-exim" are created: the Debian binary
#     has EXIM_USER=ref:Debian-exim compiled in and refuses to run without it.
# The unpacked binary has its setuid bit removed.  Started by root it binds the
# port and then runs as Debian-exim (deliver_drop_privilege: deliveries too).
#
# Target behaviour (verified with Exim 4.96 from Debian 12):
#   banner           220 smtpspec-exim.test ESMTP Exim 4.96 <date>
#   EHLO             SIZE 10485760, 8BITMIME, DSN, PIPELINING, CHUNKING, SMTPUTF8, HELP
#   RCPT postmaster (bare, RFC 5321 4.5.1: Exim qualifies it itself),
#        postmaster@smtpspec-exim.test, smtpspec@smtpspec-exim.test    250 Accepted
#   RCPT no-such-user@smtpspec-exim.test                                550 unknown user
#   RCPT x@foreign.example                                              550 relay not permitted
#   VRFY 252 (Exim's default), EXPN 550 (Exim's default: no EXPN ACL)
# Deviations from Exim's defaults, for a test target: up to 100 unknown commands
# and 100 syntax/protocol errors and 1000 non-mail commands per session (the
# defaults, 3, 3 and 10, drop the connection very early), no TLS, no PIPECONNECT
# (Exim 4.96 advertises it by default, and while it is advertised Exim does not
# enforce RFC 2920 command synchronisation; without it, input sent too soon
# gets "554 SMTP synchronization error" and the connection is closed).
#
# TLS and AUTH, off unless asked for (the tests of issue 9), by environment:
#   SMTPSPEC_TLS=1        STARTTLS (RFC 3207) with a self-signed certificate for
#                          made by scripts/tls-cert.sh in DIR/tls
#   SMTPSPEC_TLS_PORT=N   also implicit TLS (RFC 8314) on 127.0.0.1:N
#                         (tls_on_connect_ports; implies SMTPSPEC_TLS=1)
#   SMTPSPEC_TLS_CLIENT_CA=FILE  require a client certificate signed by a CA of
#                         FILE (tls_verify_hosts = *, tls_verify_certificates:
#                         a copy in DIR/tls/client-ca.pem; implies SMTPSPEC_TLS=1);
#                         without one, or with another CA's, the handshake fails;
#                         the main log names each verified client (CV=yes DN=...)
#   SMTPSPEC_AUTH=1       AUTH PLAIN and LOGIN (RFC 4954) through the plaintext
#                         authenticator, CRAM-MD5 (RFC 2195: the server speaks
#                         first) through cram_md5, one fixed test account: user "smtpspec",
#                         password "smtpspec-secret" (as fakesmtpd's); offered
#                         without TLS too (auth_advertise_hosts = *): loopback only
set -eu

PROG=exim-private.sh
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
HOSTNAME_TEST=smtpspec-exim.test
TLS=${SMTPSPEC_TLS:-0}
TLS_PORT=${SMTPSPEC_TLS_PORT:-}
AUTH=${SMTPSPEC_AUTH:-0}
CLIENT_CA=${SMTPSPEC_TLS_CLIENT_CA:-}
[ -z "$CLIENT_CA" ] || TLS=1
[ -z "$TLS_PORT" ] || TLS=1
EXIM_USER=Debian-exim            # compiled into Debian's binary (EXIM_USER=ref:Debian-exim)
DEBS="exim4-daemon-light exim4-base"
CACHE=${SMTPSPEC_EXIM_CACHE:-/var/cache/smtpspec/exim}
START_TIMEOUT=15        # seconds to wait for the 220 greeting
STOP_TIMEOUT=15         # seconds to wait for the daemon (and its sessions) to exit

# Make DIR absolute, strip trailing slashes, refuse anything dangerous or anything
# Exim would mangle in its configuration (whitespace, '$', ':', quotes...).
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
	case $d in
	*[!A-Za-z0-9._/+-]*) die "DIR must only contain [A-Za-z0-9._/+-]: $d" ;;
	/ | /etc | /etc/* | /var/spool/exim4 | /var/spool/exim4/* | /usr | /usr/* | /var | /var/cache | /tmp)
		die "refusing to use $d as a private instance directory" ;;
	esac
	printf '%s\n' "$d"
}

# ours PID: the process runs the private binary of this DIR (guards against a
# recycled pid and against any other Exim on the machine).
ours() {
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$DIR/exim/usr/sbin/exim4" ]
}

# daemon_pid: print the pid from DIR/exim.pid if that process is alive and ours.
daemon_pid() {
	f=$DIR/exim.pid
	[ -r "$f" ] || return 1
	p=$(tr -dc 0-9 <"$f")
	[ -n "$p" ] && alive "$p" && ours "$p" || return 1
	printf '%s\n' "$p"
}

# session_pids: pids of all live processes running DIR's binary (the daemon's
# children serving SMTP sessions survive the daemon until their client leaves).
session_pids() {
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		ours "$p" && alive "$p" && printf '%s\n' "$p"
	done
	return 0
}

show_log() {
	shown=0
	for f in "$DIR/log/daemon.err" "$DIR/log/paniclog" "$DIR/log/mainlog"; do
		if [ -s "$f" ]; then
			echo "$PROG: last lines of $f:" >&2
			tail -n 20 "$f" >&2
			shown=1
		fi
	done
	[ "$shown" = 1 ] || echo "$PROG: no log under $DIR/log" >&2
}

# ------------------------------------------------------------------ the binary

# deb_version FILE: the Version field of a .deb.
deb_version() {
	dpkg-deb -f "$1" Version
}

# cached_deb PKG: print the newest cached .deb of PKG (fails if there is none).
cached_deb() {
	best=
	for f in "$CACHE/$1"_*.deb; do
		[ -f "$f" ] || continue
		if [ -z "$best" ] ||
			dpkg --compare-versions "$(deb_version "$f")" gt "$(deb_version "$best")"; then
			best=$f
		fi
	done
	[ -n "$best" ] || return 1
	printf '%s\n' "$best"
}

# fetch_debs: make sure the cache holds a .deb of every package in $DEBS.  The
# download goes to a scratch directory inside the cache and is moved into place
# only when apt-get succeeded (apt-get checks the hashes), so an interrupted
# download never leaves a truncated .deb behind.
fetch_debs() {
	need=
	for pkg in $DEBS; do
		cached_deb "$pkg" >/dev/null || need="$need $pkg"
	done
	[ -n "$need" ] || return 0

	command -v apt-get >/dev/null 2>&1 || die "apt-get is needed to fetch$need"
	mkdir -p "$CACHE"
	tmp=$(mktemp -d "$CACHE/.download.XXXXXX")
	# apt's download sandbox user must be able to write there (else a warning).
	if id _apt >/dev/null 2>&1; then
		chown _apt "$tmp" 2>/dev/null || true
	fi
	echo "$PROG: downloading$need into $CACHE"
	# shellcheck disable=SC2086 # need is a list of package names
	if ! (cd "$tmp" && apt-get -q download $need); then
		# A fresh machine may have no (or stale) package lists.
		echo "$PROG: apt-get download failed; running apt-get update and retrying" >&2
		apt-get -q update >&2 || true
		# shellcheck disable=SC2086
		if ! (cd "$tmp" && apt-get -q download $need); then
			rm -rf "$tmp"
			die "apt-get download$need failed"
		fi
	fi
	for f in "$tmp"/*.deb; do
		[ -f "$f" ] || continue
		chown root:root "$f"
		chmod 644 "$f"
		mv -f "$f" "$CACHE/"
		echo "$PROG: fetched $CACHE/${f##*/}"
	done
	rm -rf "$tmp"
	for pkg in $need; do
		cached_deb "$pkg" >/dev/null || die "apt-get download left no $pkg .deb in $CACHE"
	done
}

# unpack: DIR/exim/usr/sbin/exim4 from the cached .debs.  Unpacked beside the
# target first, then renamed, so a half-unpacked tree is never taken for a good
# one.  The stamp DIR/exim/.smtpspec-exim lists the .debs and keeps the Depends
# of exim4-daemon-light (used by ensure_libs on every start).
unpack() {
	bin=$DIR/exim/usr/sbin/exim4
	[ -x "$bin" ] && return 0
	if [ -e "$DIR/exim" ] && [ ! -f "$DIR/exim/.smtpspec-exim" ]; then
		die "$DIR/exim exists but is not an Exim tree unpacked by $PROG; remove it"
	fi
	fetch_debs
	new=$DIR/exim.new
	rm -rf "$new"
	mkdir -p "$new"
	: >"$new/.smtpspec-exim"
	for pkg in $DEBS; do
		deb=$(cached_deb "$pkg")
		if ! dpkg -x "$deb" "$new"; then
			rm -rf "$new"
			rm -f "$deb"
			die "cannot unpack $deb (removed from the cache; try again)"
		fi
		echo "deb $deb" >>"$new/.smtpspec-exim"
		if [ "$pkg" = exim4-daemon-light ]; then
			printf 'depends %s\n' "$(dpkg-deb -f "$deb" Depends)" >>"$new/.smtpspec-exim"
		fi
	done
	[ -f "$new/usr/sbin/exim4" ] || die "no usr/sbin/exim4 in the unpacked packages"
	# No setuid-root binary lying around in DIR: started by root, Exim behaves
	# as if it were setuid root; started by anybody else it cannot gain root.
	chmod u-s,g-s "$new/usr/sbin/exim4"
	chmod 755 "$new"
	rm -rf "$DIR/exim"
	mv "$new" "$DIR/exim"
	echo "$PROG: unpacked $(sed -n 's/^deb //p' "$DIR/exim/.smtpspec-exim" | tr '\n' ' ')into $DIR/exim"
}

# ensure_libs: install (apt-get) the lib* packages among the Depends of
# exim4-daemon-light that are not installed, then check that ldd finds every
# shared library.  Only libraries: exim4-base, exim4-config, debconf... are not
# needed to run the binary with our own configuration.
ensure_libs() {
	bin=$DIR/exim/usr/sbin/exim4
	deps=$(sed -n 's/^depends //p' "$DIR/exim/.smtpspec-exim" 2>/dev/null) || deps=
	missing=
	# "a (>= 1), b | c, d" -> first alternative of each, without version
	for pkg in $(printf '%s\n' "$deps" | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/:.*//; s/[[:space:]]//g'); do
		case $pkg in
		lib*) ;;
		*) continue ;;
		esac
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $pkg"
	done
	if [ -n "$missing" ]; then
		echo "$PROG: installing libraries needed by exim4:$missing"
		# shellcheck disable=SC2086 # missing is a list of package names
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing; then
			apt-get -q update >&2 || true
			# shellcheck disable=SC2086
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing ||
				die "apt-get install$missing failed"
		fi
	fi
	if ldd "$bin" 2>/dev/null | grep -q 'not found'; then
		ldd "$bin" | grep 'not found' >&2
		die "$bin: shared libraries not found"
	fi
}

# ensure_user: the Debian binary looks up its compiled-in user Debian-exim at
# startup and refuses to run without it.  Created like exim4-base's postinst
# would (system user and group, no home, no login).
ensure_user() {
	if ! getent group "$EXIM_USER" >/dev/null; then
		groupadd --system "$EXIM_USER" || die "cannot create group $EXIM_USER"
	fi
	if ! getent passwd "$EXIM_USER" >/dev/null; then
		useradd --system --gid "$EXIM_USER" --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin --comment "Exim (smtpspec private instances)" \
			"$EXIM_USER" || die "cannot create user $EXIM_USER"
	fi
}

# Exim drops to Debian-exim after binding and re-executes itself as that user
# (when it stops): DIR, the binary and the config must be reachable by it.
check_traversable() {
	# shellcheck disable=SC2016 # $1 is expanded by the inner sh
	if ! su -s /bin/sh "$EXIM_USER" -c 'test -x "$1/exim/usr/sbin/exim4" && test -r "$1/exim.conf" &&
		test -w "$1/spool" && test -w "$1/log"' sh "$DIR" 2>/dev/null; then
		die "user $EXIM_USER cannot reach $DIR (check the parent directories' permissions)"
	fi
}

# ------------------------------------------------------------------ the instance

write_config() {
	port=$1
	mkdir -p "$DIR/spool" "$DIR/log"
	ports=$port
	tls_conf="tls_advertise_hosts ="
	log_tls=
	if [ "$TLS" = 1 ]; then
		"$(dirname "$0")/tls-cert.sh" "$DIR/tls" "$HOSTNAME_TEST" >/dev/null || die "no TLS certificate"
		# Exim reads the key as $EXIM_USER
		chgrp "$EXIM_USER" "$DIR/tls/key.pem"
		chmod 640 "$DIR/tls/key.pem"
		chmod 755 "$DIR/tls"
		tls_conf="tls_advertise_hosts = *
tls_certificate = $DIR/tls/cert.pem
tls_privatekey = $DIR/tls/key.pem"
		if [ -n "$TLS_PORT" ]; then
			ports="$port : $TLS_PORT"
			tls_conf="$tls_conf
tls_on_connect_ports = $TLS_PORT"
		fi
		if [ -n "$CLIENT_CA" ]; then
			[ -r "$CLIENT_CA" ] || die "SMTPSPEC_TLS_CLIENT_CA: cannot read $CLIENT_CA"
			cp "$CLIENT_CA" "$DIR/tls/client-ca.pem"
			chmod 644 "$DIR/tls/client-ca.pem"
			tls_conf="$tls_conf
tls_verify_hosts = *
tls_verify_certificates = $DIR/tls/client-ca.pem"
			log_tls=" +tls_peerdn +tls_certificate_verified"
		fi
	fi
	auth_conf="auth_advertise_hosts ="
	[ "$AUTH" = 1 ] && auth_conf="auth_advertise_hosts = *"
	chmod 755 "$DIR"
	chown "$EXIM_USER:$EXIM_USER" "$DIR/spool" "$DIR/log"
	chmod 750 "$DIR/spool" "$DIR/log"

	cat >"$DIR/exim.conf" <<EOF
# Generated by scripts/$PROG - private smtpspec conformance target.
# Do not edit: rewritten on every "start".

# ---- Locations: everything private under $DIR.
exim_path = $DIR/exim/usr/sbin/exim4
exim_user = $EXIM_USER
exim_group = $EXIM_USER
spool_directory = $DIR/spool
log_file_path = $DIR/log/%slog
pid_file_path = $DIR/exim.pid
keep_environment =
message_logs = false
deliver_drop_privilege = true
log_selector = +smtp_connection +smtp_protocol_error +smtp_syntax_error \\
               +smtp_no_mail +smtp_incomplete_transaction +received_recipients$log_tls

# ---- Identity.
primary_hostname = $HOSTNAME_TEST
qualify_domain = $HOSTNAME_TEST
domainlist local_domains = $HOSTNAME_TEST : localhost
domainlist relay_to_domains =
hostlist relay_from_hosts =

# ---- Loopback only.
daemon_smtp_ports = $ports
local_interfaces = <; 127.0.0.1
disable_ipv6 = true
smtp_connect_backlog = 128

# ---- Never touch the network: no DNS, no reverse lookups, no ident.
host_lookup =
helo_lookup_domains =
rfc1413_hosts =
rfc1413_query_timeout = 0s

# ---- Extensions.
message_size_limit = 10M
accept_8bitmime = true
pipelining_advertise_hosts = *
pipelining_connect_advertise_hosts =
chunking_advertise_hosts = *
smtputf8_advertise_hosts = *
dsn_advertise_hosts = *
$(printf "%b" "$tls_conf")
$auth_conf
prdr_enable = false

# ---- Session limits, relaxed for a test target.
smtp_accept_max = 200
smtp_accept_queue_per_connection = 0
smtp_receive_timeout = 5m
smtp_max_unknown_commands = 100
smtp_max_synprot_errors = 100
smtp_accept_max_nonmail = 1000
smtp_ratelimit_hosts =
smtp_enforce_sync = true

# ---- Policy: which recipients exist (VRFY/EXPN: Exim's defaults).
acl_smtp_rcpt = acl_check_rcpt

# ---- Nothing is queued for long: every message is discarded at once.
queue_only = false
timeout_frozen_after = 1d

begin acl

acl_check_rcpt:
  accept  domains     = +local_domains
          local_parts = postmaster : smtpspec
  deny    domains     = +local_domains
          message     = unknown user
  deny    message     = relay not permitted

begin routers

# Everything accepted is thrown away: no transport, no delivery, no bounce.
discard:
  driver = redirect
  data = :blackhole:
EOF
	if [ "$AUTH" = 1 ]; then
		# RFC 4954 through the plaintext authenticator (RFC 4616 PLAIN: $auth2
		# is the user, $auth3 the password; LOGIN: $auth1 and $auth2), and
		# CRAM-MD5 through cram_md5 ($auth1 is the user).
		cat >>"$DIR/exim.conf" <<'EOF'

begin authenticators

plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if and {{eq{$auth2}{smtpspec}}{eq{$auth3}{smtpspec-secret}}}}
  server_set_id = $auth2

login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = <| Username: | Password:
  server_condition = ${if and {{eq{$auth1}{smtpspec}}{eq{$auth2}{smtpspec-secret}}}}
  server_set_id = $auth1

cram:
  driver = cram_md5
  public_name = CRAM-MD5
  server_secret = ${if eq{$auth1}{smtpspec}{smtpspec-secret}fail}
  server_set_id = $auth1
EOF
	fi
	chmod 644 "$DIR/exim.conf"
	printf '%s\n' "$port" >"$DIR/port"
}

do_stop() {
	[ -d "$DIR" ] || return 0
	[ -x "$DIR/exim/usr/sbin/exim4" ] || return 0
	pid=$(daemon_pid) || pid=
	[ -z "$pid" ] || kill -TERM "$pid" 2>/dev/null || true
	i=0
	if [ -n "$pid" ]; then
		while alive "$pid"; do
			i=$((i + 1))
			if [ "$i" -eq $((STOP_TIMEOUT * 5)) ]; then
				kill -KILL "$pid" 2>/dev/null || true
			elif [ "$i" -gt $((STOP_TIMEOUT * 5 + 25)) ]; then
				die "exim daemon pid $pid does not exit"
			fi
			sleep 0.2
		done
	fi
	# The daemon's children (one per open SMTP session) outlive it until their
	# client leaves: end them too, so nothing of this instance is left.
	j=0
	while :; do
		pids=$(session_pids)
		[ -n "$pids" ] || break
		j=$((j + 1))
		if [ "$j" -eq 1 ]; then
			# shellcheck disable=SC2086 # pids is a list of numbers
			kill -TERM $pids 2>/dev/null || true
		elif [ "$j" -eq $((STOP_TIMEOUT * 5)) ]; then
			# shellcheck disable=SC2086
			kill -KILL $pids 2>/dev/null || true
		elif [ "$j" -gt $((STOP_TIMEOUT * 5 + 25)) ]; then
			die "exim session processes do not exit: $(printf '%s\n' "$pids" | tr '\n' ' ')"
		fi
		sleep 0.2
	done
	# Exim cannot remove its root-owned pid file itself once it runs as Debian-exim.
	rm -f "$DIR/exim.pid"
	# Wait until the port is really closed (only if we stopped a running
	# daemon: the port may legitimately be reused by someone else now).
	if [ -n "$pid" ] && [ -r "$DIR/port" ]; then
		oldport=$(tr -dc 0-9 <"$DIR/port")
		if [ -n "$oldport" ]; then
			while listening "$oldport"; do
				i=$((i + 1))
				[ "$i" -le $((STOP_TIMEOUT * 10)) ] || die "127.0.0.1:$oldport still accepting connections after ${STOP_TIMEOUT}s"
				sleep 0.2
			done
		fi
	fi
	return 0
}

do_start() {
	port=$1
	[ "$(id -u)" = 0 ] || die "must run as root (creates a user, may install libraries)"
	command -v bash >/dev/null 2>&1 || die "bash is needed for the TCP probe"
	command -v dpkg >/dev/null 2>&1 || die "dpkg is needed to unpack Exim"

	# Idempotence: stop a previous instance from this DIR, then start afresh.
	do_stop
	if listening "$port"; then
		die "127.0.0.1:$port is already in use by another process"
	fi

	mkdir -p "$DIR"
	ensure_user
	unpack
	ensure_libs
	write_config "$port"
	check_traversable

	bin=$DIR/exim/usr/sbin/exim4
	# -bV reads and checks the configuration without starting anything.
	if ! out=$("$bin" -C "$DIR/exim.conf" -bV 2>&1); then
		printf '%s\n' "$out" >&2
		die "exim rejects $DIR/exim.conf"
	fi

	rm -f "$DIR/exim.pid"
	: >"$DIR/log/daemon.err"
	# -bd: daemon (detaches, writes DIR/exim.pid); -oY: no notifier socket.
	if ! "$bin" -C "$DIR/exim.conf" -bd -oY </dev/null >>"$DIR/log/daemon.err" 2>&1; then
		show_log
		die "exim -bd failed"
	fi

	i=0
	while ! probe "$port"; do
		i=$((i + 1))
		if [ -s "$DIR/exim.pid" ] && ! daemon_pid >/dev/null; then
			show_log
			die "exim daemon exited during startup"
		fi
		if [ "$i" -ge $((START_TIMEOUT * 4)) ]; then
			show_log
			do_stop || true
			die "no 220 greeting on 127.0.0.1:$port within ${START_TIMEOUT}s"
		fi
		sleep 0.25
	done
	if ! pid=$(daemon_pid); then
		show_log
		die "something answers on 127.0.0.1:$port but the private exim daemon is not running"
	fi
	echo "$PROG: exim $("$bin" -C "$DIR/exim.conf" -bV 2>/dev/null | sed -n '1s/^Exim version \([^ ]*\).*/\1/p') running from $DIR on 127.0.0.1:$port (pid $pid)"
}

[ $# -ge 2 ] || usage
cmd=$1
DIR=$(absdir "$2")

case $cmd in
start)
	[ $# -eq 3 ] || usage
	check_port "$3"
	[ -z "$TLS_PORT" ] || check_port "$TLS_PORT"
	do_start "$3"
	;;
stop)
	[ $# -eq 2 ] || usage
	do_stop
	;;
status)
	[ $# -eq 2 ] || usage
	if pid=$(daemon_pid); then
		echo "$PROG: exim running from $DIR on 127.0.0.1:$(cat "$DIR/port" 2>/dev/null || echo '?') (pid $pid)"
		exit 0
	fi
	echo "$PROG: exim not running from $DIR"
	exit 1
	;;
*)
	usage
	;;
esac
