# smtpspec - a conformance test suite for SMTP servers.
#
#   make            build bin/smtpspec
#   make test       install missing packages (as root), unit and integration tests
#   make demo       run the whole catalogue against a private Postfix on loopback
#                   (installs only the build dependencies and Postfix)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deb        the Debian package, in build/deb/
#   make clean
#
# One non-recursive Makefile; objects in build/; V=1 shows the commands.

VERSION := 0.1.0
PREFIX ?= /usr/local
DATADIR ?= $(PREFIX)/share/smtpspec
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man

CC ?= cc
PKGS := libuv jansson libcrypto libssl libpcre2-8
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CUNIT_CFLAGS := $(shell pkg-config --cflags cunit 2>/dev/null)
CUNIT_LIBS := $(shell pkg-config --libs cunit 2>/dev/null)

WARNINGS := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-Wwrite-strings -Wformat=2 -Wshadow -Wpointer-arith
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARNINGS) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) \
	-DSSP_VERSION='"$(VERSION)"' -DSSP_DATADIR='"$(DATADIR)"' -MMD -MP
LDLIBS := $(PKG_LIBS) -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

HARNESS_SRC := $(filter-out harness/main.c harness/cli_%.c,$(wildcard harness/*.c))
REPORT_SRC := $(wildcard reports/*.c)
BUILD ?= build
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(HARNESS_SRC) $(REPORT_SRC))
# The HTML template, embedded into the binary (below).
LIB_OBJ += $(BUILD)/reports/template_html.o
MAIN_OBJ := $(BUILD)/harness/main.o
# The command line: main.c and its subcommand modules (not in the library the tests link).
MAIN_OBJ += $(patsubst %.c,$(BUILD)/%.o,$(wildcard harness/cli_*.c))
TEST_SRC := $(wildcard harness/tests/*.c)
TEST_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(TEST_SRC))

.DELETE_ON_ERROR:
.PHONY: all test unit integration hostile mutation demo deps install clean fuzz fuzz-replay asan bench interop cli package deb deps-demo

all: bin/smtpspec

bin/smtpspec: $(LIB_OBJ) $(MAIN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# reports/template.html as a C array, made with od and sed only (as jq embeds its
# builtins): the page is part of the binary, so a report never looks for files.
$(BUILD)/reports/template_html.c: reports/template.html
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q){ echo '/* generated from reports/template.html by the Makefile: do not edit */'; \
	  echo '#include "reports/markup.h"'; \
	  echo 'const char ssp_template_html[] = {'; \
	  od -An -v -tx1 $< | sed -e 's/[0-9a-f][0-9a-f]/0x&,/g'; \
	  echo '0x00 };'; \
	  echo 'const size_t ssp_template_html_len = sizeof(ssp_template_html) - 1;'; } >$@

$(BUILD)/reports/template_html.o: $(BUILD)/reports/template_html.c
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -I. -c -o $@ $<

$(BUILD)/harness/tests/%.o: harness/tests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(CUNIT_CFLAGS) -c -o $@ $<

$(BUILD)/unit-tests: $(LIB_OBJ) $(TEST_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CUNIT_LIBS)

# The misbehaving test server (issue: prove the suite can't be fooled).
FAKE_SRC := $(wildcard harness/tests/fake/*.c)
$(BUILD)/fakesmtpd: $(patsubst %.c,$(BUILD)/%.o,$(FAKE_SRC)) $(BUILD)/harness/tls.o
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Packages first (a fresh machine has none of them), then a fresh build.
deps:
	@scripts/install-deps.sh test

# Only what the demo needs: the build dependencies and Postfix.
deps-demo:
	@scripts/install-deps.sh demo

# The binary the tests run (make asan points it at a sanitizer build), and
# what every test script is told.
BIN ?= bin/smtpspec
TEST_ENV = SMTPSPEC_BIN=$(abspath $(BIN)) FAKESMTPD=$(abspath $(BUILD)/fakesmtpd) SMTPSPEC_CATALOGUE=$(CURDIR)

test: deps
	@$(MAKE) --no-print-directory $(BIN) $(BUILD)/unit-tests $(BUILD)/fakesmtpd
	@$(MAKE) --no-print-directory unit integration hostile mutation fuzz-replay cli package

unit: $(BUILD)/unit-tests
	$(Q)$(BUILD)/unit-tests harness/tests

# Real servers on loopback (Postfix, Exim, smtp-sink), citations, coverage, reports.
integration: $(BIN) $(BUILD)/fakesmtpd
	$(Q)$(TEST_ENV) bash harness/tests/quotes.sh
	$(Q)$(TEST_ENV) bash harness/tests/extensions.sh
	$(Q)$(TEST_ENV) bash harness/tests/integration.sh
	$(Q)$(TEST_ENV) bash harness/tests/security.sh
	$(Q)$(TEST_ENV) bash harness/tests/verdicts.sh
	$(Q)$(TEST_ENV) bash harness/tests/reports.sh
	$(Q)$(TEST_ENV) bash harness/tests/tls.sh
	$(Q)$(TEST_ENV) bash harness/tests/bench.sh
	$(Q)$(TEST_ENV) bash harness/tests/repeat.sh

# The command line where its users work: stdout/stderr, --quiet, TAP, "-", --version,
# --help, explain, closed descriptors, RLIMIT_NOFILE, colour, atomic report files.
cli: $(BIN) $(BUILD)/fakesmtpd
	$(Q)$(TEST_ENV) bash harness/tests/cli.sh

# Servers that misbehave on purpose: every run ends, bounded in time and memory.
hostile: $(BIN) $(BUILD)/fakesmtpd
	$(Q)$(TEST_ENV) bash harness/tests/hostile.sh

# Every vector passes a conformant server and fails against a mutant.
mutation: $(BIN) $(BUILD)/fakesmtpd
	$(Q)$(TEST_ENV) bash harness/tests/mutation.sh

# Every real server the project can start on loopback (Postfix, Exim, smtp-sink),
# the whole catalogue against each, and the comparison matrix: out/interop/matrix.html.
interop: deps
	@$(MAKE) --no-print-directory bin/smtpspec
	$(Q)bash scripts/interop.sh

demo: deps-demo
	@$(MAKE) --no-print-directory bin/smtpspec
	$(Q)sh scripts/demo.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/smtpspec
	cp -R vectors suites $(DESTDIR)$(DATADIR)/
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 docs/smtpspec.1 $(DESTDIR)$(MANDIR)/man1/smtpspec.1

# The Debian package, built by dpkg-buildpackage from a copy of the tree in
# $(BUILD)/deb/ (the toolchain writes its outputs beside the source tree, and
# debian/ gets build products: the checkout stays clean).  The .deb lands in
# $(BUILD)/deb/smtpspec_$(VERSION)_ARCH.deb.
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/smtpspec-$(VERSION)
DEB_BUILD_OPTIONS ?= parallel=2
deb:
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	$(Q)if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z -c -o --exclude-standard | xargs -0 cp --parents -d -t $(DEB_SRC); \
	else \
		tar -cf - --exclude=./build --exclude=./bin --exclude=./out --exclude=./.git . | tar -xf - -C $(DEB_SRC); \
	fi
	$(Q)cd $(DEB_SRC) && DEB_BUILD_OPTIONS='$(DEB_BUILD_OPTIONS)' dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -30 ../build.log; echo "make deb: dpkg-buildpackage failed: $(DEB_DIR)/build.log" >&2; exit 1; }
	$(Q)ls $(DEB_DIR)/smtpspec_$(VERSION)_*.deb

# The package (make deb, dpkg -x, the installed binary and catalogue against
# smtp-sink, lintian), the man page (groff, man -l, every --help option in it)
# and the README's CI recipes, run as written.
package: $(BIN)
	$(Q)$(TEST_ENV) MAKE='$(MAKE)' bash harness/tests/package.sh

# Fuzzing (libFuzzer, clang): make fuzz [FUZZ_SECONDS=60].  The corpus and
# the kept reproducers also run in make test, built with the normal compiler.
FUZZ_TARGETS := reply escape vector profile result suite
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
	-std=c11 -D_GNU_SOURCE $(PKG_CFLAGS)
HARNESS_LIB_SRC := $(HARNESS_SRC)

$(BUILD)/fuzz/fuzz_%: harness/fuzz/fuzz_%.c $(HARNESS_LIB_SRC)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(HARNESS_LIB_SRC) $(LDLIBS)

# The result documents' target also renders what it accepts: the report writers too.
$(BUILD)/fuzz/fuzz_result: harness/fuzz/fuzz_result.c $(HARNESS_LIB_SRC) $(REPORT_SRC) $(BUILD)/reports/template_html.c
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -I. -o $@ $< $(HARNESS_LIB_SRC) $(REPORT_SRC) $(BUILD)/reports/template_html.c $(LDLIBS)

$(BUILD)/fuzz/replay_%: $(BUILD)/harness/fuzz/fuzz_%.o $(BUILD)/harness/fuzz/replay.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuzz: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$t harness/fuzz/regressions/$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
			-dict=harness/fuzz/smtp.dict -artifact_prefix=harness/fuzz/regressions/$$t/ \
			$(BUILD)/fuzz/corpus-$$t harness/fuzz/corpus/$$t || exit 1; \
	done

fuzz-replay: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p harness/fuzz/regressions/$$t; \
		$(BUILD)/fuzz/replay_$$t harness/fuzz/corpus/$$t harness/fuzz/regressions/$$t || exit 1; \
	done

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer
# (LeakSanitizer included: a leak fails the run).
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan CFLAGS='$(ASAN_FLAGS)' LDFLAGS='-fsanitize=address,undefined' \
		build/asan/smtpspec build/asan/unit-tests build/asan/fakesmtpd
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/smtpspec CFLAGS='$(ASAN_FLAGS)' \
		LDFLAGS='-fsanitize=address,undefined' HOSTILE_RSS_MAX_KB=262144 unit integration hostile mutation fuzz-replay cli

$(BUILD)/smtpspec: $(LIB_OBJ) $(MAIN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(patsubst %.c,$(BUILD)/%.d,$(FAKE_SRC)) $(patsubst %.c,$(BUILD)/%.d,$(wildcard harness/fuzz/*.c))
.SECONDARY:

# Speed and memory, printed as figures (never asserted).
$(BUILD)/bench/bench_reply: $(BUILD)/harness/bench/bench_reply.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench: deps
	$(Q)$(MAKE) --no-print-directory bin/smtpspec $(BUILD)/bench/bench_reply
	$(Q)BUILD=$(BUILD) bash harness/bench/bench.sh
