#!/bin/bash
# package.sh - what installs (issue 13): the manual page (groff -ww clean,
# man -l renders it, every option a --help prints is in it), make install,
# the Debian package (make deb from a copy of the tree, nothing left in the
# checkout, dpkg -x into a scratch root, the unpacked binary with its
# unpacked catalogue against smtp-sink, lintian without error), and the
# README's CI recipes run against the unpacked binary (recipes.sh).
# Only 127.0.0.1 is contacted.  Ends with "package: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SMTPSPEC_BIN:-$top/bin/smtpspec}
make=${MAKE:-make}
man_src=$top/docs/smtpspec.1
work=$(mktemp -d /tmp/smtpspec-pkg.XXXXXX)
chmod 755 "$work" # smtp-sink runs as user postfix
passed=0
failed=0

# shellcheck source=harness/tests/lib.sh
. "$top/harness/tests/lib.sh"

cleanup() {
	"$top/scripts/smtp-sink.sh" stop "$work/sink" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

echo "# smtpspec package tests (work dir $work)"
version=$(sed -n 's/^VERSION := //p' "$top/Makefile")

# ---- the manual page --------------------------------------------------------
out=$(groff -ww -z -man "$man_src" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] && ok "groff -ww -z -man: no warning" || not_ok "groff -ww" "exit $rc: $out"
MANWIDTH=80 man --warnings -l "$man_src" >"$work/man.txt" 2>"$work/man.err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$work/man.err" ] && grep -q '^SMTPSPEC(1)' "$work/man.txt" &&
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES; do
		grep -q "^$s\$" "$work/man.txt" || exit 1
	done; then
	ok "man -l renders it without warnings ($(wc -l <"$work/man.txt") lines, every section)"
else
	not_ok "man -l" "exit $rc: $(head -5 "$work/man.err")"
fi
grep -q "\"smtpspec $version\"" "$man_src" && ok "the man page names version $version" ||
	not_ok "man page version" "$(grep '^\.TH' "$man_src")"

# help_options: every option that any --help prints, one a line ("--jobs", "-v").
help_options() {
	local cmds
	cmds=$("$bin" --help | sed -n 's/^ *\(usage:\)\{0,1\} *smtpspec \([a-z][a-z]*\).*/\2/p' | sort -u)
	{
		"$bin" --help
		for c in $cmds; do "$bin" "$c" --help; done
	} | grep -oE '(^|[][ ,|(])--?[a-zA-Z][a-zA-Z0-9-]*' | sed 's/^[][ ,|(]//' | sort -u
}

# missing_from MANFILE: the options of help_options that MANFILE does not document.
missing_from() {
	local text
	text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1")
	help_options | while read -r opt; do
		grep -qE -- "(^|[^a-zA-Z0-9-])$opt([^a-zA-Z0-9-]|\$)" <<<"$text" || echo "$opt"
	done
}

nopts=$(help_options | wc -l)
missing=$(missing_from "$man_src" | tr '\n' ' ')
[ "$nopts" -gt 25 ] && [ -z "$missing" ] && ok "the man page documents all $nopts options the --help texts print" ||
	not_ok "options missing from the man page ($nopts options)" "$missing"
# the check itself must be able to fail: a man page without --quiet
sed -e 's/quiet/hushed/g' "$man_src" >"$work/broken.1"
[ "$(missing_from "$work/broken.1" | tr '\n' ' ')" = "--quiet " ] &&
	ok "the option check finds an option the man page lost (--quiet)" ||
	not_ok "option check cannot fail" "$(missing_from "$work/broken.1")"

# ---- make demo installs only what the demo needs --------------------------------
demo_pkgs=$(sh -c '. /dev/stdin; echo "$DEMO_PKGS"' <<<"$(sed -n '/^DEMO_PKGS=/,/"$/p' "$top/scripts/install-deps.sh")")
test_pkgs=$(sh -c '. /dev/stdin; echo "$TEST_PKGS"' <<<"$(sed -n '/^TEST_PKGS=/,/"$/p' "$top/scripts/install-deps.sh")")
build_deps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$top/debian/control")
problems=
for mod in $(sed -n 's/^PKGS := //p' "$top/Makefile"); do
	pc=$(pkg-config --variable=pcfiledir "$mod" 2>/dev/null)/$mod.pc
	pkg=$(dpkg -S "$pc" 2>/dev/null | head -1 | cut -d: -f1)
	[ -n "$pkg" ] || { problems="$problems no package owns $pc;"; continue; }
	case " $demo_pkgs " in *" $pkg "*) ;; *) problems="$problems $pkg (for $mod) not in DEMO_PKGS;" ;; esac
	grep -q "$pkg" <<<"$build_deps" || problems="$problems $pkg (for $mod) not in debian/control Build-Depends;"
done
for pkg in postfix build-essential openssl sasl2-bin; do
	case " $demo_pkgs " in *" $pkg "*) ;; *) problems="$problems $pkg not in DEMO_PKGS;" ;; esac
done
for pkg in chromium node-ajv lintian libcunit1-dev jq; do
	case " $demo_pkgs " in *" $pkg "*) problems="$problems $pkg (test only) in DEMO_PKGS;" ;; esac
	case " $test_pkgs " in *" $pkg "*) ;; *) problems="$problems $pkg not in TEST_PKGS;" ;; esac
done
grep -q '^demo: deps-demo$' "$top/Makefile" && grep -q 'install-deps.sh demo' "$top/Makefile" ||
	problems="$problems make demo does not use install-deps.sh demo;"
[ -z "$problems" ] && ok "make demo installs only the build dependencies and Postfix with its TLS and SASL tools: $demo_pkgs" ||
	not_ok "the demo's package set" "$problems"

# ---- make install -------------------------------------------------------------
$make -s -C "$top" install PREFIX=/opt/ssp DESTDIR="$work/inst" BIN="$bin" >"$work/install.log" 2>&1
rc=$?
[ $rc -eq 0 ] && cmp -s "$man_src" "$work/inst/opt/ssp/share/man/man1/smtpspec.1" &&
	[ -x "$work/inst/opt/ssp/bin/smtpspec" ] && [ -d "$work/inst/opt/ssp/share/smtpspec/vectors" ] &&
	ok "make install: binary, catalogue and PREFIX/share/man/man1/smtpspec.1" ||
	not_ok "make install" "exit $rc: $(tail -5 "$work/install.log")"

# ---- the Debian package ---------------------------------------------------------
if ! command -v dpkg-buildpackage >/dev/null 2>&1 || ! command -v dh >/dev/null 2>&1; then
	echo "skip the Debian package: dpkg-dev or debhelper missing (scripts/install-deps.sh test installs them)"
	root=
else
	before=$(cd "$top" && git status --porcelain 2>/dev/null)
	start=$(date +%s)
	$make -s -C "$top" deb BUILD="$work/b" DEB_BUILD_OPTIONS="nocheck parallel=2" >"$work/deb.log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	deb=$work/b/deb/smtpspec_${version}_$(dpkg --print-architecture).deb
	after=$(cd "$top" && git status --porcelain 2>/dev/null)
	[ $rc -eq 0 ] && [ -s "$deb" ] && ok "make deb: $(basename "$deb") in ${took}s" ||
		not_ok "make deb" "exit $rc: $(tail -20 "$work/deb.log")"
	[ "$before" = "$after" ] && ok "make deb leaves nothing in the source tree" ||
		not_ok "make deb changed the source tree" "$(diff <(echo "$before") <(echo "$after"))"
	depends=$(dpkg-deb -f "$deb" Depends 2>/dev/null)
	case $depends in
	*libuv1*libjansson4* | *libjansson4*libuv1*) ok "Depends from dh_shlibdeps: $depends" ;;
	*) not_ok "package dependencies" "Depends: $depends" ;;
	esac

	root=$work/root
	dpkg -x "$deb" "$root" && [ -x "$root/usr/bin/smtpspec" ] && [ -s "$root/usr/share/man/man1/smtpspec.1.gz" ] &&
		[ -d "$root/usr/share/smtpspec/vectors" ] && [ -s "$root/usr/share/doc/smtpspec/copyright" ] &&
		ok "dpkg -x: /usr/bin/smtpspec, /usr/share/smtpspec, the man page, the copyright" ||
		not_ok "dpkg -x" "$(dpkg -c "$deb" | head -20)"
	MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/smtpspec.1.gz" 2>&1 >/dev/null | grep -q . &&
		not_ok "the packaged man page renders with warnings" || ok "the packaged man page renders"

	if command -v lintian >/dev/null 2>&1; then
		lintian --info "$deb" >"$work/lintian.txt" 2>&1
		errors=$(grep -c '^E:' "$work/lintian.txt")
		warnings=$(grep -c '^W:' "$work/lintian.txt")
		[ "$errors" -eq 0 ] && ok "lintian: no error ($warnings warnings)" ||
			not_ok "lintian reports errors" "$(grep '^[EW]:' "$work/lintian.txt")"
		grep '^W:' "$work/lintian.txt" | sed 's/^/# lintian /'
	else
		not_ok "lintian is missing (scripts/install-deps.sh test installs it)"
	fi
fi

# ---- the installed binary and catalogue against smtp-sink ----------------------
sink_port=$(start_server smtp-sink "$work/sink" "$work/sink.log")
if [ -z "$sink_port" ]; then
	not_ok "smtp-sink did not start" "$(cat "$work/sink.log")"
elif [ -n "$root" ]; then
	installed=$root/usr/bin/smtpspec
	env -u SMTPSPEC_CATALOGUE "$installed" --version >"$work/iver.txt" 2>&1
	grep -q "^catalogue $root/usr/share/smtpspec sha256:" "$work/iver.txt" &&
		ok "the unpacked binary finds its unpacked catalogue" || not_ok "installed catalogue" "$(cat "$work/iver.txt")"
	nvec=$(find "$root/usr/share/smtpspec/vectors" -name '*.json' | wc -l)
	env -u SMTPSPEC_CATALOGUE "$installed" run --target "127.0.0.1:$sink_port" --jobs 16 --quiet \
		--json "$work/pkg.json" >"$work/pkg.out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && jq -e --arg p "$root/usr/share/smtpspec" '.catalogue.path == $p and .summary.total > 0 and .summary.pass > 0' \
		"$work/pkg.json" >/dev/null; then
		ok "the unpacked binary runs its catalogue ($(jq .summary.total "$work/pkg.json") vectors from $nvec files) against smtp-sink: exit 1, as smtp-sink fails MUSTs"
	else
		not_ok "the unpacked binary against smtp-sink" "exit $rc: $(head -5 "$work/pkg.out"); $(jq -c '.summary, .catalogue' "$work/pkg.json" 2>&1)"
	fi
	# the README's CI recipes, with the unpacked smtpspec on PATH
	RECIPE_PATH=$root/usr/bin SMTP_TARGET=127.0.0.1:$sink_port bash "$top/harness/tests/recipes.sh" >"$work/recipes.out" 2>&1
	rc=$?
	sed -n 's/^\(ok  \|FAIL\) /\1 /p' "$work/recipes.out" | sed 's/^/  /'
	[ $rc -eq 0 ] && ok "the README's CI recipes run as written ($(tail -1 "$work/recipes.out"))" ||
		not_ok "README recipes" "$(grep -A5 FAIL "$work/recipes.out" | head -30)"
else
	SMTP_TARGET=127.0.0.1:$sink_port bash "$top/harness/tests/recipes.sh" >"$work/recipes.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] && ok "the README's CI recipes run as written, installed with make install ($(tail -1 "$work/recipes.out"))" ||
		not_ok "README recipes" "$(grep -A5 FAIL "$work/recipes.out" | head -30)"
fi

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
