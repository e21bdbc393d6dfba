#!/bin/sh
# quotes.sh - every vector's "quote" must occur in the text of the RFC it
# cites.  The RFC texts are not part of the repository: they are read from
# $SMTPSPEC_RFC_DIR, or from ../shared/rfc beside the checkout.  Where they
# are absent the check says so and is skipped, except under CI (CI=true),
# where it must run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${SMTPSPEC_RFC_DIR:-$top/../shared/rfc}

if [ ! -f "$dir/rfc5321.txt" ]; then
	if [ "${CI:-}" = true ]; then
		echo "quotes: FAIL: the RFC texts are not in $dir (set SMTPSPEC_RFC_DIR); under CI this check must run"
		exit 1
	fi
	echo "quotes: skipped: the RFC texts are not in $dir (set SMTPSPEC_RFC_DIR to run this check)"
	exit 0
fi
exec "${SMTPSPEC_BIN:-$top/bin/smtpspec}" quotes --rfc-dir "$dir" --catalogue "$top"
