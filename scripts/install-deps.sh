#!/bin/sh
# install-deps.sh - install, as root, the Debian packages smtpspec needs to build and test.
# Postfix is installed with debconf's "No configuration" answer and with service starts
# blocked (policy-rc.d), so the machine's default instance stays unconfigured and stopped:
# the tests run their own private instance (scripts/postfix-private.sh).
set -eu

PKGS="build-essential pkg-config libuv1-dev libjansson-dev libcunit1-dev libssl-dev \
postfix jq libxml2-utils time bc netcat-openbsd chromium node-ajv"
# AUTH on the private Postfix (scripts/postfix-private.sh, SMTPSPEC_AUTH=1): Cyrus SASL.
PKGS="$PKGS sasl2-bin libsasl2-modules"

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
