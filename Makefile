# adal — the front door. `make help` lists the targets.
# Variants build into their own folder (build/release, build/asan, build/tsan...), so switching
# never needs `make clean`. Respects CC, CFLAGS, LDFLAGS, PREFIX, DESTDIR; V=1 shows commands.

CC      ?= cc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
VARIANT ?= release

PKGS    := libxml-2.0 icu-uc icu-i18n libzip libxxhash sqlite3 jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lz -lpthread -lm

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
           -Wformat=2 -Wno-unused-parameter -Werror
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -Isrc $(WARN) $(PKG_CFLAGS) -MMD -MP

ifeq ($(VARIANT),release)
  OPT := -O2 -g
else ifeq ($(VARIANT),asan)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  VLDFLAGS := -fsanitize=address,undefined
else ifeq ($(VARIANT),tsan)
  OPT := -O1 -g -fsanitize=thread
  VLDFLAGS := -fsanitize=thread
else ifeq ($(VARIANT),debug)
  OPT := -O0 -g
else ifeq ($(VARIANT),fuzz)
  CC  := clang
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
  VLDFLAGS := -fsanitize=fuzzer,address,undefined
else ifeq ($(VARIANT),coverage)
  OPT := -O0 -g --coverage
  VLDFLAGS := --coverage
endif

ALL_CFLAGS  = $(BASE_CFLAGS) $(OPT) $(CFLAGS)
ALL_LDFLAGS = $(VLDFLAGS) $(LDFLAGS)

B := build/$(VARIANT)
LIB_SRC  := $(sort $(wildcard src/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(B)/%.o)

ifeq ($(V),1)
  Q :=
else
  Q := @
endif

.PHONY: all test check asan ubsan tsan valgrind leakcheck fuzz fuzz-build bench eval install uninstall \
        lint format clean help golden-update sample deps

all: $(B)/adal $(B)/libadal.a

## help: list the documented targets
help:
	@grep -h '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC  $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/libadal.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

## all: build the library and the `adal` program (build/release/adal)
$(B)/adal: $(CLI_OBJ) $(B)/libadal.a
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(B)/libadal.a $(ALL_LDFLAGS) $(PKG_LIBS)

# the unit-test runner: the list of TEST(name) functions is generated from the sources,
# so adding a test never means editing a shared list
$(B)/tests/tests.inc: $(TEST_SRC)
	@mkdir -p $(dir $@)
	$(Q)sed -n 's/^TEST(\([A-Za-z0-9_]*\)).*/T(\1)/p' $(TEST_SRC) > $@.tmp && mv $@.tmp $@

$(B)/tests/runner.o: tests/runner.c $(B)/tests/tests.inc
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -I$(B)/tests -c $< -o $@

$(B)/test_unit: $(TEST_OBJ) $(B)/tests/runner.o $(B)/libadal.a
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(TEST_OBJ) $(B)/tests/runner.o $(B)/libadal.a \
	    $(ALL_LDFLAGS) $(PKG_LIBS)

## test: build and run every test (unit, CLI); ends with `N passed, N failed`
test check: $(B)/adal $(B)/test_unit
	$(Q)tests/run.sh $(B)

## asan: the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
asan ubsan:
	$(Q)$(MAKE) --no-print-directory VARIANT=asan test

## tsan: the suite under ThreadSanitizer (tests/tsan.supp: glibc's tzset lock it cannot see)
tsan:
	$(Q)TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp $${TSAN_OPTIONS:-}" \
	    $(MAKE) --no-print-directory VARIANT=tsan test

## valgrind: the unit tests under valgrind memcheck, failing on any leak or error
valgrind leakcheck: $(B)/test_unit $(B)/adal
	$(Q)ADAL_VALGRIND=1 tests/run.sh $(B)

## fuzz: run every libFuzzer target for FUZZ_SECONDS (default 60) with seeds from tests/
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz:
	$(Q)$(MAKE) --no-print-directory VARIANT=fuzz fuzz-build
	$(Q)tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_TARGETS:%=$(B)/%)

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(B)/libadal.a
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libadal.a $(ALL_LDFLAGS) $(PKG_LIBS)

## bench: throughput and latency benchmarks (figures for docs/PERFORMANCE.md)
bench: $(B)/adal
	$(Q)bench/run.sh $(B)

## eval: accuracy on the labelled data in ../shared/data (figures for docs/ACCURACY.md)
eval: $(B)/adal
	$(Q)tools/eval.sh $(B)

## sample: check the bundled sample course in corpus/
sample: $(B)/adal
	$(Q)tools/sample.sh $(B)

## deps: install the Debian packages adal needs (apt-get as root, else prints the command)
deps:
	$(Q)tools/deps.sh

## install: install the program, library, header and man page under $(DESTDIR)$(PREFIX)
install: $(B)/adal $(B)/libadal.a
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/adal $(DESTDIR)$(BINDIR)/adal
	install -m 644 $(B)/libadal.a $(DESTDIR)$(LIBDIR)/libadal.a
	install -m 644 include/adal.h $(DESTDIR)$(INCDIR)/adal.h
	install -m 644 docs/adal.1 $(DESTDIR)$(MANDIR)/man1/adal.1

## uninstall: remove what install put there
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/adal $(DESTDIR)$(LIBDIR)/libadal.a $(DESTDIR)$(INCDIR)/adal.h \
	      $(DESTDIR)$(MANDIR)/man1/adal.1

## lint: banned functions, clang-format check, cppcheck
lint:
	$(Q)tools/lint.sh

## format: reformat the sources with clang-format
format:
	clang-format -i src/*.c src/*.h src/cli/*.c src/cli/*.h include/*.h tests/unit/*.c

## clean: remove build/
clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

# ---- bench: ingest throughput (owner: txt branch; only that branch edits this block) ------
# bench/ingest_bench: adal_doc_load (+ normalise) vs libzip inflate + libxml2 SAX, run by
# bench/bench_ingest.sh from `make bench`.
$(B)/bench/ingest_bench: bench/ingest_bench.c $(B)/libadal.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libadal.a $(ALL_LDFLAGS) $(PKG_LIBS)

# ---- engine: check-latency benchmark (bench/check_bench.c, run by bench/bench_check.sh) ----
$(B)/check_bench: bench/check_bench.c tests/unit/tok_helper.c $(B)/libadal.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ bench/check_bench.c tests/unit/tok_helper.c \
	    $(B)/libadal.a $(ALL_LDFLAGS) $(PKG_LIBS)
bench: $(B)/check_bench
# ---- end engine ----

# ---- cli (report writers, check, compare, grade) ------------------------------------------
## golden-update: rewrite tests/golden/ from the current build (review the diff, then commit)
golden-update: golden-update-cli
golden-update-cli: $(B)/adal
	$(Q)ADAL=$(B)/adal tests/golden/run.sh update
.PHONY: golden-update-cli
# ---- end cli ------------------------------------------------------------------------------

# ---- html (report_html.c, batch_views.c, i18n) --------------------------------------------
# Labels: po/kk.po and po/ru.po compiled into C tables (tools/po2c.awk) that src/i18n.c
# includes; editing a .po file rebuilds the library.
$(B)/gen/i18n_%.inc: po/%.po tools/po2c.awk
	@mkdir -p $(dir $@)
	$(Q)awk -f tools/po2c.awk $< > $@.tmp && mv $@.tmp $@
$(B)/src/i18n.o: $(B)/gen/i18n_kk.inc $(B)/gen/i18n_ru.inc
$(B)/src/i18n.o: ALL_CFLAGS += -I$(B)/gen
## po-update: refresh po/adal.pot from the sources (xgettext) and merge it into po/*.po
po-update:
	$(Q)xgettext --from-code=UTF-8 -k -kT -kadal_tr:2 -kN_ -o po/adal.pot src/*.c src/cli/*.c
	$(Q)for p in po/kk.po po/ru.po; do msgmerge -q -U --backup=none $$p po/adal.pot; done
.PHONY: po-update
# ---- end html -----------------------------------------------------------------------------
