# genuine — build, test, benchmark.
#   make            release build: build/genuine and build/libgenuine.a
#   make demo       install what is missing, build, load the demo marketplace, serve it
#   make check      install what is missing, build, run every test (unit under ASan/UBSan,
#                   command line and HTTP end to end, the PostgreSQL cluster test, bounded fuzzing)
#   make bench      build the benchmarks in bench/ (run them by hand; see bench/README.md)
#   make install    bin/genuine, lib/libgenuine.{a,so}, include/genuine.h and
#                   lib/pkgconfig/genuine.pc under $(DESTDIR)$(PREFIX) (README: the library)
# Every C file under src/ (but src/cli) goes into the library; tools/ (simulator,
# evaluation) into build/libgenuine-tools.a, beside it; every tests/unit/test_*.c
# is its own cmocka program; every bench/*.c and fuzz/fuzz_*.c its own program.

SHELL   := /bin/bash
CC      ?= cc
PKGS    := sqlite3 libpq jansson libhs icu-uc icu-i18n libmicrohttpd libsodium libcurl libpng libwebp libjpeg lua5.4 libqrencode
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
EXTRA_LIBS := -lxgboost -lstdc++ -lm -lpthread
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(EXTRA_LIBS)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-format-truncation
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -Isrc -Itools -Ibuild/gen $(PKG_CFLAGS)

B       ?= build
# Every word list under config/lexicon/ is compiled in as gn_<name>_lexicon.
LEXICONS := $(patsubst config/lexicon/%.txt,%,$(sort $(wildcard config/lexicon/*.txt)))
LIB_SRC := $(sort $(wildcard src/*/*.c)) $(B)/gen/default_config.c \
           $(patsubst %,$(B)/gen/%_lexicon.c,$(LEXICONS))
LIB_SRC := $(filter-out src/cli/%,$(LIB_SRC))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(patsubst $(B)/%,%,$(LIB_SRC)))
CLI_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(CLI_SRC))
# tools/: the marketplace simulator and the evaluation harness, out of the
# library (libgenuine.a and .so hold only what a platform runs); they go into
# build/libgenuine-tools.a, linked into the genuine command (simulate, eval)
# and the tests and benchmarks.
TOOLS_SRC := $(sort $(wildcard tools/*/*.c))
TOOLS_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(TOOLS_SRC))
TOOLS_LIB := $(B)/libgenuine-tools.a
TESTS   := $(patsubst tests/unit/%.c,$(B)/tests/%,$(sort $(wildcard tests/unit/test_*.c)))
BENCHES := $(patsubst bench/%.c,$(B)/bench/%,$(sort $(wildcard bench/*.c)))
FUZZERS := $(patsubst fuzz/%.c,build/fuzz/%,$(sort $(wildcard fuzz/fuzz_*.c)))
# The library's objects export only what include/genuine.h marks GN_API (so a
# shared libgenuine.so has no internal symbols) and are position-independent,
# one set of objects for libgenuine.a and libgenuine.so alike;
# -fno-semantic-interposition keeps calls inside the library direct.
LIB_FLAGS := -fvisibility=hidden -fPIC -fno-semantic-interposition
$(LIB_OBJ): ALL_CFLAGS += $(LIB_FLAGS)
# The version comes from the header; before 1.0 the soname carries the minor.
VERSION := $(shell sed -n 's/^\#define GN_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$$/\2/p' include/genuine.h | paste -sd.)
SONAME  := libgenuine.so.$(basename $(VERSION))
# Each object depends on the headers it includes, as the compiler found them
# (-MMD -MP write build/.../*.d beside the objects; make reads them back).
DEPFLAGS := -MMD -MP

.PHONY: all deps demo check unit test-cli test-cluster fuzz bench clean install format format-check
all: $(B)/genuine

deps:
	@bash scripts/install-deps.sh

# The shipped configuration file is the one source of the defaults: it is compiled in.
$(B)/gen/default_config.c: config/genuine.conf scripts/embed.sh
	@mkdir -p $(dir $@)
	bash scripts/embed.sh gn_default_config < $< > $@

# So are the word lists under config/lexicon/ (condition.txt: docs/signals.md;
# lingo.txt and common.txt: docs/text-matching.md).
$(B)/gen/%_lexicon.c: config/lexicon/%.txt scripts/embed.sh
	@mkdir -p $(dir $@)
	bash scripts/embed.sh gn_$*_lexicon < $< > $@
# Kept after the build (made by a pattern rule, make would take them as intermediate).
.SECONDARY: $(patsubst %,$(B)/gen/%_lexicon.c,$(LEXICONS))

# The web console (web/, docs/console.md): built with esbuild when web/ is set
# up (npm ci, by scripts/install-deps.sh) and compiled into build/genuine, not
# into the library. Without web/node_modules the binary carries a page saying
# how to build it.
WEB_SRC := $(wildcard web/src/*.* web/src/*/*.* web/build.mjs web/package-lock.json web/node_modules/.package-lock.json)
$(B)/gen/console_files.c: $(WEB_SRC) scripts/embed_console.py
	@mkdir -p $(dir $@)
	@if [ -x web/node_modules/.bin/esbuild ]; then cd web && node build.mjs; \
	 else echo "  (web/node_modules missing: the console is not built; run scripts/install-deps.sh)"; fi
	python3 scripts/embed_console.py web/dist > $@.tmp && mv $@.tmp $@

$(B)/obj/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/libgenuine.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# -z defs: every symbol the library uses resolves against what it links. The
# version script lists the GN_API declarations too, because GCC exports the
# resolver of a target_clones function (src/media/pdq.c) whatever
# -fvisibility says.
$(B)/libgenuine.map: include/genuine.h
	@mkdir -p $(dir $@)
	{ echo '{ global:'; sed -n 's/^GN_API [^(]*\<\(gn_[a-z_0-9]*\)(.*/  \1;/p' $<; \
	  echo '  local: *;'; echo '};'; } > $@
$(B)/libgenuine.so: $(LIB_OBJ) $(B)/libgenuine.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,-z,defs -Wl,--version-script=$(B)/libgenuine.map \
	    $(CFLAGS) -o $@ $(LIB_OBJ) $(PKG_LIBS)

$(TOOLS_LIB): $(TOOLS_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/genuine: $(CLI_OBJ) $(B)/obj/gen/console_files.o $(TOOLS_LIB) $(B)/libgenuine.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(B)/obj/gen/console_files.o $(TOOLS_LIB) $(B)/libgenuine.a $(PKG_LIBS)

$(B)/tests/%: tests/unit/%.c $(TOOLS_LIB) $(B)/libgenuine.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Itests/unit -o $@ $< $(TOOLS_LIB) $(B)/libgenuine.a $(PKG_LIBS) -lcmocka

$(B)/bench/%: bench/%.c $(TOOLS_LIB) $(B)/libgenuine.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Ibench -o $@ $< $(TOOLS_LIB) $(B)/libgenuine.a $(PKG_LIBS)

# bench_mih --faiss runs FAISS's IndexBinaryMultiHash beside the index, where
# Debian's libfaiss-dev is installed (bench/faiss_bank.cpp; make bench only).
FAISS_HEADER := $(wildcard /usr/include/faiss/IndexBinaryHash.h)
ifneq ($(FAISS_HEADER),)
$(B)/bench/faiss_bank.o: bench/faiss_bank.cpp
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 $(CFLAGS) -fopenmp -c $< -o $@
$(B)/bench/bench_mih: bench/bench_mih.c $(B)/libgenuine.a $(B)/bench/faiss_bank.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -DGN_BENCH_FAISS -Ibench -o $@ $< $(B)/bench/faiss_bank.o \
	    $(B)/libgenuine.a $(PKG_LIBS) -lfaiss -fopenmp -lblas -llapack
endif

bench: $(BENCHES) $(B)/genuine

demo: deps
	$(MAKE) all
	bash scripts/demo.sh

# Unit tests run under AddressSanitizer and UndefinedBehaviorSanitizer (build/asan);
# end-to-end tests drive the release binary and the ASan one.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
unit:
	$(MAKE) B=build/asan CFLAGS="$(SAN_FLAGS)" build/asan/genuine $(patsubst $(B)/%,build/asan/%,$(TESTS))
	@set -e; for t in $(patsubst $(B)/%,build/asan/%,$(TESTS)); do \
	  echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 $$t; done

test-cli: all
	@set -e; for t in tests/cli/test_*.sh; do echo "== $$t"; bash $$t; done

# The cluster test (issue 16): PostgreSQL under Patroni with etcd, three
# nodes, a node and then the primary killed under load (about a minute);
# before it, group commit's test on one PostgreSQL (about 20 s).
test-cluster: all
	bash tests/pg/test_group_commit.sh
	bash tests/pg/test_cluster.sh

# libFuzzer targets: the library is rebuilt with clang and the sanitizers into
# build/fuzz/libgenuine.a; each target runs for a bounded time on its seeds.
FUZZ_SECONDS ?= 20
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Iinclude -Isrc $(PKG_CFLAGS)
FUZZ_OBJ := $(patsubst %.c,build/fuzz/obj/%.o,$(filter-out src/cli/%,$(sort $(wildcard src/*/*.c)))) \
            build/fuzz/obj/gen/default_config.o $(patsubst %,build/fuzz/obj/gen/%_lexicon.o,$(LEXICONS))
build/fuzz/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC (fuzz) $<"
	@clang $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC (fuzz) $<"
	@clang $(FUZZ_FLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
build/fuzz/libgenuine.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/%: fuzz/%.c build/fuzz/libgenuine.a
	clang $(FUZZ_FLAGS) $(DEPFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzz/libgenuine.a $(PKG_LIBS)
fuzz: $(FUZZERS)
	@set -e; for f in $(FUZZERS); do n=$$(basename $$f); mkdir -p build/fuzz/corpus/$$n; \
	  echo "== $$f ($(FUZZ_SECONDS) s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 build/fuzz/corpus/$$n fuzz/seeds/$$n 2>&1 \
	    | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' ; test $${PIPESTATUS[0]} -eq 0; done

check: deps
	$(MAKE) format-check
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) test-cli
	$(MAKE) test-cluster
	$(MAKE) fuzz
	@echo "check: all tests passed"

# make install PREFIX=/usr DESTDIR=/tmp/stage: the files land under
# $(DESTDIR)$(PREFIX), and genuine.pc names $(PREFIX) (pkg-config's
# PKG_CONFIG_SYSROOT_DIR points it into a DESTDIR; tests/cli/test_library.sh).
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
install: all $(B)/libgenuine.so
	install -D -m 755 $(B)/genuine $(DESTDIR)$(PREFIX)/bin/genuine
	install -D -m 644 $(B)/libgenuine.a $(DESTDIR)$(LIBDIR)/libgenuine.a
	install -D -m 755 $(B)/libgenuine.so $(DESTDIR)$(LIBDIR)/libgenuine.so.$(VERSION)
	ln -sf libgenuine.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libgenuine.so
	install -D -m 644 include/genuine.h $(DESTDIR)$(INCLUDEDIR)/genuine.h
	@mkdir -p $(DESTDIR)$(LIBDIR)/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|; s|@REQUIRES@|$(PKGS)|; s|@LIBS_PRIVATE@|$(EXTRA_LIBS)|' \
	    scripts/genuine.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/genuine.pc

FORMATTED := $(wildcard include/*.h src/*/*.[ch] tools/*/*.[ch] tests/unit/*.[ch] bench/*.[ch] fuzz/*.c examples/*.c)
format:
	clang-format -i $(FORMATTED)

# make check fails on drift from .clang-format; `make format` mends it.
format-check:
	@clang-format --dry-run --Werror $(FORMATTED) || \
	  { echo "format-check: run make format (files above drift from .clang-format)"; exit 1; }

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
