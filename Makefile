# uffdbench: `make` builds bench/uffdbench; `make check` builds and runs every test
# (plain, ASan+UBSan, TSan); `make quick` installs missing packages, builds and runs
# the default suite; `make install PREFIX=/usr/local DESTDIR=...` installs it.
# Sources are picked up by wildcard: adding a memory type or a workload is one new
# file under workloads/ and one line in its table.
#
# CFLAGS, CPPFLAGS and LDFLAGS are the user's (`make CFLAGS=-O3` works): what the
# build needs lives in UFFD_CPPFLAGS, UFFD_CFLAGS and UFFD_LDFLAGS.

CC       ?= gcc
PKGS     := jansson hwloc numa gsl
CFLAGS   ?= -O2 -g
GIT_REV  := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
UFFD_CPPFLAGS := -D_GNU_SOURCE -Ibench -Iworkloads $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	    -DUFFDBENCH_GIT_REV=\"$(GIT_REV)\"
# Truncation by snprintf is deliberate here (messages cut to their buffers); at
# -O3 gcc sees more of it: a warning then, not a failed build.
UFFD_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers \
	    -Wno-error=format-truncation
UFFD_LDFLAGS :=
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ljansson -lhwloc -lnuma -lgsl -lgslcblas) -lm -lpthread

# Build variants: "" (plain, in-tree binary), asan (ASan+UBSan), tsan, fuzz
# (clang, libFuzzer + ASan + UBSan: the fuzz targets of bench/tests/fuzz/).
V        ?= plain
B        := build/$(V)
VARIANT_CFLAGS :=
ifeq ($(V),asan)
VARIANT_CFLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UFFD_LDFLAGS   += -fsanitize=address,undefined
endif
ifeq ($(V),tsan)
VARIANT_CFLAGS := -O1 -fsanitize=thread -fno-omit-frame-pointer
UFFD_LDFLAGS   += -fsanitize=thread
endif
ifeq ($(V),fuzz)
CC             := clang
VARIANT_CFLAGS := -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
		  -Wno-unknown-warning-option \
		  -fno-sanitize-recover=all
UFFD_LDFLAGS   += -fsanitize=fuzzer,address,undefined
endif
# The order lets a variant's -O1 win over the default -O2.
ALL_CFLAGS  := $(UFFD_CPPFLAGS) $(CPPFLAGS) $(UFFD_CFLAGS) $(CFLAGS) $(VARIANT_CFLAGS)
ALL_LDFLAGS := $(UFFD_LDFLAGS) $(LDFLAGS)

# bench/<subsystem>/*.c and workloads/, workloads/<axis>/*.c; bench/tests/ holds the tests.
LIB_SRCS  := $(filter-out bench/tests/%,$(wildcard bench/*/*.c)) \
	     $(wildcard workloads/*.c workloads/*/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(B)/%.o)
TEST_SRCS := $(wildcard bench/tests/test_*.c)
TESTS     := $(TEST_SRCS:bench/tests/%.c=$(B)/tests/%)
FUZZ_SRCS := $(wildcard bench/tests/fuzz/fuzz_*.c)
FUZZERS   := $(FUZZ_SRCS:bench/tests/fuzz/%.c=$(B)/fuzz/%)
HDRS      := $(wildcard bench/*/*.h workloads/*.h workloads/*/*.h)

ifeq ($(V),plain)
BIN := bench/uffdbench
else
BIN := $(B)/uffdbench
endif

.PHONY: all tests layers fuzzers fuzz check quick deps clean man install uninstall plugin FORCE
all: $(BIN) $(B)/refloop $(B)/faultloop

# The attribution plugin (qemu TCG, bench/attr/plugin): built when qemu's
# plugin header of the installed qemu is at hand (scripts/deps.sh fetches it
# from Debian's qemu source package; QEMU_PLUGIN_H=FILE overrides), else
# skipped with the reason.  Plain builds only: qemu loads it, no sanitizer.
UFFDBENCH_CACHE ?= /var/tmp/uffdbench-kernel-ab
QEMU_VERSION  := $(shell qemu-system-x86_64 --version 2>/dev/null | \
		   sed -n '1s/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p')
QEMU_PLUGIN_H ?= $(firstword $(wildcard $(UFFDBENCH_CACHE)/qemu-plugin/$(QEMU_VERSION)/qemu-plugin.h))
PLUGIN        := build/plain/attr/uffdattr.so
ifeq ($(V),plain)
ifneq ($(QEMU_PLUGIN_H),)
all: $(PLUGIN)
plugin: $(PLUGIN)
else
all: plugin
plugin:
	@echo "  SKIP    $(PLUGIN): no qemu-plugin.h for qemu $(or $(QEMU_VERSION),(none)) (scripts/qemu-plugin-header fetches it)"
endif
endif

$(PLUGIN): bench/attr/plugin/uffdattr.c $(QEMU_PLUGIN_H)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) -std=gnu11 -Wall -Wextra -Werror $(CFLAGS) -fPIC -shared \
		-I$(dir $(QEMU_PLUGIN_H)) -o $@ $<

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

# --version and env.json name the revision: rebuild what prints it when it changes.
$(B)/git-rev: FORCE
	@mkdir -p $(B)
	@echo '$(GIT_REV)' | cmp -s - $@ || echo '$(GIT_REV)' >$@
$(B)/bench/main.o $(B)/bench/machine/env.o: $(B)/git-rev
FORCE:

$(B)/libuffdbench.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(BIN): $(B)/bench/main.o $(B)/libuffdbench.a
	@echo "  LD      $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# The minimal reference loop for the fidelity benchmark (scripts/fidelity).
$(B)/refloop: bench/tests/refloop.c
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lm

# The minimal fault round trip for scripts/fault-fidelity.
$(B)/faultloop: bench/tests/faultloop.c
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lpthread

$(B)/tests/%: bench/tests/%.c $(B)/libuffdbench.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -DSRCDIR=\"$(CURDIR)\" $(ALL_LDFLAGS) -o $@ $< $(B)/libuffdbench.a $(LDLIBS) -lcmocka

tests: $(BIN) $(TESTS)

# Includes point down, in the order of bench/docs/HACKING.md's Layout
# (scripts/test-layers, under a second).  Part of `tests` in the plain tree,
# so make check runs it too; the other variants share the same sources.
layers:
	@bash scripts/test-layers
ifeq ($(V),plain)
tests: layers
endif

# libFuzzer targets: build with `make V=fuzz fuzzers`; `make fuzz` builds and
# runs each for FUZZ_SECONDS (scripts/fuzz).
$(B)/fuzz/%: bench/tests/fuzz/%.c bench/tests/fuzz/fuzz_util.h $(B)/libuffdbench.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libuffdbench.a $(LDLIBS)

fuzzers: $(FUZZERS)

fuzz:
	@bash scripts/fuzz

deps:
	@bash scripts/deps.sh

# The README's test command.  Each variant is built in its own tree and run.
check: deps
	@bash scripts/check.sh

# The README's run command: install, build, run the default suite.
quick: deps
	@$(MAKE) -s all
	bench/uffdbench run --suite quick

# uffdbench(1), built from the --help texts (uffdbench help --man): they cannot drift.
man: $(B)/uffdbench.1
$(B)/uffdbench.1: $(BIN)
	@echo "  MAN     $@"
	@$(BIN) help --man >$@.tmp && mv $@.tmp $@

# make install PREFIX=/usr/local DESTDIR=/staging: the binary; the suites where it
# looks for them (PREFIX/share/uffdbench/suites, beside bin/); the scripts in
# PREFIX/libexec/uffdbench (the tree they expect: scripts/, bench/uffdbench,
# workloads/suites, build/plain/refloop) with a wrapper bin/uffdbench-NAME each;
# the man page, bash completion, README, LICENSE and the documents of bench/docs/.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR     ?= $(DATADIR)/man
SCRIPTS    := kernel-ab profile inject-check aa-check fidelity \
	      kernel-bisect fleet fleet-cell fault-fidelity fault-styles
LX         := $(DESTDIR)$(LIBEXECDIR)/uffdbench
install: all man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/uffdbench/suites \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/doc/uffdbench $(LX)/scripts $(LX)/bench $(LX)/workloads \
		$(LX)/build/plain
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/uffdbench
	install -m 644 workloads/suites/*.suite $(DESTDIR)$(DATADIR)/uffdbench/suites/
	install -m 644 $(B)/uffdbench.1 $(DESTDIR)$(MANDIR)/man1/uffdbench.1
	install -m 644 bench/docs/uffdbench.bash-completion \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/uffdbench
	install -m 644 README.md LICENSE bench/docs/*.md $(DESTDIR)$(DATADIR)/doc/uffdbench/
	install -m 755 $(SCRIPTS:%=scripts/%) $(LX)/scripts/
	install -m 644 scripts/lib.sh $(LX)/scripts/
	install -m 755 $(B)/refloop $(B)/faultloop $(LX)/build/plain/
	[ ! -f $(PLUGIN) ] || install -D -m 644 $(PLUGIN) $(LX)/$(PLUGIN)
	ln -sfn $(shell realpath -m --relative-to=$(LIBEXECDIR)/uffdbench/bench $(BINDIR)/uffdbench) \
		$(LX)/bench/uffdbench
	ln -sfn $(shell realpath -m --relative-to=$(LIBEXECDIR)/uffdbench/workloads $(DATADIR)/uffdbench/suites) \
		$(LX)/workloads/suites
	for s in $(SCRIPTS); do \
		printf '#!/bin/sh\n# uffdbench scripts/%s, installed in %s\nexec "$$(dirname "$$(readlink -f "$$0")")/%s/uffdbench/scripts/%s" "$$@"\n' \
			$$s $(LIBEXECDIR) $(shell realpath -m --relative-to=$(BINDIR) $(LIBEXECDIR)) $$s \
			>$(DESTDIR)$(BINDIR)/uffdbench-$$s && chmod 755 $(DESTDIR)$(BINDIR)/uffdbench-$$s; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/uffdbench $(SCRIPTS:%=$(DESTDIR)$(BINDIR)/uffdbench-%) \
		$(DESTDIR)$(MANDIR)/man1/uffdbench.1 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/uffdbench
	rm -rf $(DESTDIR)$(DATADIR)/uffdbench $(DESTDIR)$(DATADIR)/doc/uffdbench $(LX)

clean:
	rm -rf build bench/uffdbench
