#!/bin/sh
# postfix-private.sh - start, stop and query a PRIVATE Postfix instance used as a
# conformance-test target by smtpspec.  The instance lives entirely under DIR
# (config in DIR/etc, queue in DIR/spool, data in DIR/data, log in DIR/maillog),
# listens only on 127.0.0.1:PORT, does no DNS lookups and discards every message
# it accepts, so nothing ever leaves the machine.  The machine's default instance
# (/etc/postfix, /var/spool/postfix) is never read for configuration, started,
# stopped or modified: every postfix/postconf call below carries "-c DIR/etc".
#
# Usage (as root):
#   scripts/postfix-private.sh start  DIR PORT   (re)create config, start, wait for "220"
#   scripts/postfix-private.sh stop   DIR        stop; succeeds if not running
#   scripts/postfix-private.sh status DIR        exit 0 if running, 1 if not
#
# "start" is idempotent: if an instance is already running from DIR it is stopped
# first, then DIR/etc is rewritten and a fresh instance is started (so PORT may
# change between runs).  The queue and DIR/maillog are kept across restarts.
#
# Target behaviour (verified with Postfix 3.7):
#   banner           220 smtpspec-postfix.test ESMTP
#   RCPT postmaster, postmaster@smtpspec-postfix.test, smtpspec@smtpspec-postfix.test
#                    250 2.1.5 Ok
#   RCPT no-such-user@smtpspec-postfix.test
#                    550 5.1.1 ... User unknown in local recipient table
#   RCPT x@foreign.example (from 127.0.0.1)
#                    554 5.7.1 ... Relay access denied
#
# TLS and AUTH, off unless asked for (the tests of issue 9), by environment:
#   SMTPSPEC_TLS=1        STARTTLS (RFC 3207, smtpd_tls_security_level = may) with a
#                         self-signed certificate for $HOSTNAME_TEST made by
#                         scripts/tls-cert.sh in DIR/tls
#   SMTPSPEC_TLS_PORT=N   also implicit TLS (RFC 8314) on 127.0.0.1:N: a second smtpd
#                         service with smtpd_tls_wrappermode=yes (implies SMTPSPEC_TLS=1)
#   SMTPSPEC_AUTH=1       AUTH PLAIN, LOGIN and CRAM-MD5 (RFC 4954) through Cyrus SASL with a
#                         private sasldb (DIR/etc/sasl): user "smtpspec", password
#                         "smtpspec-secret"; needs saslpasswd2 (sasl2-bin); offered
#                         without TLS too (loopback only)
set -eu

PROG=postfix-private.sh
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
HOSTNAME_TEST=smtpspec-postfix.test
TLS=${SMTPSPEC_TLS:-0}
TLS_PORT=${SMTPSPEC_TLS_PORT:-}
AUTH=${SMTPSPEC_AUTH:-0}
[ -z "$TLS_PORT" ] || TLS=1
START_TIMEOUT=15        # seconds to wait for the 220 greeting
STOP_TIMEOUT=15         # seconds to wait for the master (and listeners) to go away

# Make DIR absolute, strip trailing slashes, refuse anything dangerous or anything
# Postfix would mangle in main.cf (whitespace, '$', ',', quotes...).
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
	/ | /etc | /etc/* | /var/spool/postfix | /var/spool/postfix/* | /usr | /usr/*)
		die "refusing to use $d as a private instance directory" ;;
	esac
	printf '%s\n' "$d"
}

master_pid() {
	f=$DIR/spool/pid/master.pid
	[ -r "$f" ] || return 1
	p=$(tr -dc 0-9 <"$f")
	[ -n "$p" ] && alive "$p" || return 1
	printf '%s\n' "$p"
}

is_running() {
	[ -f "$DIR/etc/main.cf" ] || return 1
	MAIL_CONFIG=$DIR/etc postfix -c "$DIR/etc" status >/dev/null 2>&1
}

show_log() {
	if [ -f "$DIR/maillog" ]; then
		echo "$PROG: last lines of $DIR/maillog:" >&2
		tail -n 30 "$DIR/maillog" >&2
	else
		echo "$PROG: no $DIR/maillog" >&2
	fi
}

write_config() {
	port=$1
	mkdir -p "$DIR/etc" "$DIR/spool"
	chmod 755 "$DIR" "$DIR/etc" "$DIR/spool"
	tls_conf="smtpd_tls_security_level = none"
	tls_services=
	if [ "$TLS" = 1 ]; then
		"$(dirname "$0")/tls-cert.sh" "$DIR/tls" "$HOSTNAME_TEST" >/dev/null || die "no TLS certificate"
		tls_conf="smtpd_tls_security_level = may
smtpd_tls_cert_file = $DIR/tls/cert.pem
smtpd_tls_key_file = $DIR/tls/key.pem
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database =
smtpd_tls_received_header = no"
		tls_services="tlsmgr    unix  -       -       n       1000?   1       tlsmgr"
		if [ -n "$TLS_PORT" ]; then
			tls_services="$tls_services
127.0.0.1:$TLS_PORT inet n - n - - smtpd
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt"
		fi
	fi
	auth_conf=
	if [ "$AUTH" = 1 ]; then
		write_sasl
		auth_conf="smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $DIR/etc/sasl
smtpd_sasl_local_domain = $HOSTNAME_TEST
smtpd_sasl_security_options = noanonymous
smtpd_tls_auth_only = no
broken_sasl_auth_clients = no"
	fi

	# Known local recipients; the value column is ignored.  Both the bare
	# local part and the full address are listed so either lookup form hits.
	cat >"$DIR/etc/recipients" <<EOF
postmaster                     OK
postmaster@$HOSTNAME_TEST      OK
smtpspec                       OK
smtpspec@$HOSTNAME_TEST        OK
EOF

	cat >"$DIR/etc/main.cf" <<EOF
# Generated by scripts/$PROG - private smtpspec conformance target.
# Do not edit: rewritten on every "start".
compatibility_level = 3.6

# Locations: everything private under $DIR (programs stay at the defaults).
queue_directory = $DIR/spool
data_directory = $DIR/data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-smtpspec

# Logging without syslog: postlogd (see master.cf) writes to this file.
maillog_file = $DIR/maillog
maillog_file_prefixes = $DIR

# Identity.
myhostname = $HOSTNAME_TEST
mydomain = $HOSTNAME_TEST
myorigin = \$myhostname
mydestination = \$myhostname, localhost
smtpd_banner = \$myhostname ESMTP

# Loopback only; the smtpd listener itself is 127.0.0.1:$port in master.cf.
inet_interfaces = 127.0.0.1
inet_protocols = ipv4

# No relaying, not even for 127.0.0.1: mynetworks names a loopback address
# the tests never use and permit_mynetworks is not in the relay restrictions,
# so a foreign recipient gets "554 5.7.1 Relay access denied".
mynetworks = 127.0.0.2/32
relay_domains =
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions =

# Known vs unknown local users: unknown -> 550 5.1.1.
local_recipient_maps = texthash:$DIR/etc/recipients
unknown_local_recipient_reject_code = 550
alias_maps =
alias_database =

# Nothing is ever delivered anywhere: every transport is discard.
local_transport = discard:
virtual_transport = discard:
relay_transport = discard:
default_transport = discard:
fallback_transport =
biff = no

# Protocol knobs for a conformance target.
smtpd_helo_required = no
disable_vrfy_command = no
$tls_conf
$auth_conf
smtp_tls_security_level = none

# Never touch the network: no DNS, no reverse lookups of clients.
smtp_dns_support_level = disabled
smtp_host_lookup = native
lmtp_host_lookup = native
smtpd_peername_lookup = no
EOF

	cat >"$DIR/etc/master.cf" <<EOF
# Generated by scripts/$PROG - private smtpspec conformance target.
# Only listener: 127.0.0.1:$port.  No chroot; no smtp/lmtp/local/virtual/pipe
# delivery agents at all (every transport is discard).
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:$port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
$tls_services
EOF
	# extra main.cf settings for one test (e.g. "smtpd_forbid_bare_newline=yes"),
	# space-separated NAME=VALUE words; none by default
	for kv in ${SMTPSPEC_POSTFIX_CONF:-}; do
		postconf -c "$DIR/etc" -e "$kv" || die "bad SMTPSPEC_POSTFIX_CONF setting: $kv"
	done
	chmod 644 "$DIR/etc/main.cf" "$DIR/etc/master.cf" "$DIR/etc/recipients"
	printf '%s\n' "$port" >"$DIR/port"
}

# write_sasl: Cyrus SASL for smtpd, private to DIR: DIR/etc/sasl/smtpd.conf and
# a sasldb with the one test account, readable by user postfix only.
write_sasl() {
	command -v saslpasswd2 >/dev/null 2>&1 || die "SMTPSPEC_AUTH=1 needs saslpasswd2 (package sasl2-bin)"
	mkdir -p "$DIR/etc/sasl"
	cat >"$DIR/etc/sasl/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
sasldb_path: $DIR/etc/sasl/sasldb2
mech_list: PLAIN LOGIN CRAM-MD5
EOF
	rm -f "$DIR/etc/sasl/sasldb2"
	printf '%s' smtpspec-secret | saslpasswd2 -p -c -f "$DIR/etc/sasl/sasldb2" -u "$HOSTNAME_TEST" smtpspec ||
		die "saslpasswd2 failed"
	chown postfix "$DIR/etc/sasl/sasldb2"
	chmod 600 "$DIR/etc/sasl/sasldb2"
	chmod 755 "$DIR/etc/sasl"
	chmod 644 "$DIR/etc/sasl/smtpd.conf"
}

# Postfix daemons drop to user postfix; make sure that user can reach DIR.
check_traversable() {
	# shellcheck disable=SC2016 # $1 is expanded by the inner sh
	if ! su -s /bin/sh postfix -c 'test -x "$1" && test -r "$1/etc/main.cf"' \
		sh "$DIR" 2>/dev/null; then
		die "user postfix cannot traverse $DIR (check the parent directories' permissions)"
	fi
}

do_stop() {
	[ -d "$DIR" ] || return 0
	pid=$(master_pid) || pid=
	if [ -f "$DIR/etc/main.cf" ]; then
		MAIL_CONFIG=$DIR/etc postfix -c "$DIR/etc" stop >/dev/null 2>&1 || true
	fi
	i=0
	if [ -n "$pid" ]; then
		while alive "$pid"; do
			i=$((i + 1))
			[ "$i" -le $((STOP_TIMEOUT * 5)) ] || die "master pid $pid still running after ${STOP_TIMEOUT}s"
			sleep 0.2
		done
	fi
	# Children (smtpd) inherit the listening socket and exit shortly after
	# the master; wait until the port is really closed (only if we stopped a
	# running master: the port may legitimately be reused by someone else now).
	if [ -n "$pid" ] && [ -r "$DIR/port" ]; then
		oldport=$(tr -dc 0-9 <"$DIR/port")
		if [ -n "$oldport" ]; then
			while listening "$oldport"; do
				i=$((i + 1))
				[ "$i" -le $((STOP_TIMEOUT * 5)) ] || die "127.0.0.1:$oldport still accepting connections after ${STOP_TIMEOUT}s"
				sleep 0.2
			done
		fi
	fi
	return 0
}

do_start() {
	port=$1
	command -v postfix >/dev/null 2>&1 || die "postfix is not installed (scripts/install-deps.sh)"
	command -v bash >/dev/null 2>&1 || die "bash is needed for the TCP probe"
	[ "$(id -u)" = 0 ] || die "must run as root (Postfix master needs root)"

	# Idempotence: stop a previous instance from this DIR, then start afresh.
	do_stop
	if listening "$port"; then
		die "127.0.0.1:$port is already in use by another process"
	fi

	mkdir -p "$DIR"
	write_config "$port"
	check_traversable

	export MAIL_CONFIG="$DIR/etc"
	# "check" creates the queue subdirectories and DIR/data with the right
	# owners and modes (DIR/spool itself must exist: Postfix chdirs there first).
	if ! postfix -c "$DIR/etc" check; then
		show_log
		die "postfix check failed"
	fi
	if ! postfix -c "$DIR/etc" start; then
		show_log
		die "postfix start failed"
	fi

	i=0
	while ! probe "$port"; do
		i=$((i + 1))
		if [ "$i" -ge $((START_TIMEOUT * 4)) ]; then
			show_log
			do_stop || true
			die "no 220 greeting on 127.0.0.1:$port within ${START_TIMEOUT}s"
		fi
		sleep 0.25
	done
	if ! is_running; then
		show_log
		die "something answers on 127.0.0.1:$port but the private master is not running"
	fi
	echo "$PROG: postfix running from $DIR on 127.0.0.1:$port (pid $(master_pid || echo '?'))"
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
	if is_running; then
		echo "$PROG: running from $DIR on 127.0.0.1:$(cat "$DIR/port" 2>/dev/null || echo '?') (pid $(master_pid || echo '?'))"
		exit 0
	fi
	echo "$PROG: not running from $DIR"
	exit 1
	;;
*)
	usage
	;;
esac
