#!/bin/sh
# install-deps.sh - install, as root, the Debian packages smtpspec needs.
#
#   scripts/install-deps.sh demo   what make demo needs: the build and Postfix
#   scripts/install-deps.sh test   also what only make test needs (the default)
#
# Postfix is installed with debconf's "No configuration" answer and with service starts
# blocked (policy-rc.d), so the machine's default instance stays unconfigured and stopped:
# the demo and the tests run their own private instance (scripts/postfix-private.sh).
set -eu

# make demo: build bin/smtpspec, start a private Postfix with STARTTLS (a
# self-signed certificate made by the openssl tool) and AUTH (Cyrus SASL).
DEMO_PKGS="build-essential pkg-config libuv1-dev libjansson-dev libssl-dev libpcre2-dev postfix \
openssl sasl2-bin libsasl2-modules"
# make test: unit tests (CUnit), result checks (jq, xmllint, JSON Schema with node-ajv),
# the report pages (chromium), measurements (time, bc, nc), the Debian package
# (debhelper, dpkg-dev, lintian), the manual page (groff, man-db), TAP (perl).
TEST_PKGS="libcunit1-dev jq libxml2-utils time bc netcat-openbsd chromium node-ajv \
debhelper dpkg-dev lintian groff man-db perl"

case ${1:-test} in
demo) PKGS=$DEMO_PKGS ;;
test) PKGS="$DEMO_PKGS $TEST_PKGS" ;;
*)
	echo "usage: $0 demo|test" >&2
	exit 2
	;;
esac

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "smtpspec: missing packages:$missing" >&2
	echo "smtpspec: run as root: apt-get install$missing" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections

# Block service starts for the duration of the install only.
policy=/usr/sbin/policy-rc.d
had_policy=0
[ -e "$policy" ] && had_policy=1
if [ "$had_policy" = 0 ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi

apt-get update -q || true
apt-get install -y -q --no-install-recommends $missing
