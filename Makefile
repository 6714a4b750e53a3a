# undead: small static tools that rescue a Linux server.
# One makefile, no configure: `make`, `make check`, `make demo`.

VERSION	 = 0.1.0
PREFIX	?= /usr/local
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR	?=

MUSLGCC	:= $(shell command -v musl-gcc 2>/dev/null)
ifeq ($(origin CC),default)
ifneq ($(MUSLGCC),)
CC	 = musl-gcc
else
CC	 = cc
endif
endif
HOSTCC	?= cc
ARCH	:= $(shell $(CC) -dumpmachine 2>/dev/null | cut -d- -f1)

# musl-gcc does not see the kernel's uapi headers; give it only those.
KINC	 = build/kinc
ifneq ($(findstring musl,$(CC)),)
KFLAGS	 = -isystem $(KINC)
KDEP	 = $(KINC)/.done
endif

WARN	 = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(CI),true)
WARN	+= -Werror
endif
# CFLAGS and LDFLAGS are the user's to set (make sanitize does); the
# flags the sources need are in XCFLAGS, the static link in STATIC.
CFLAGS	?= -Os
# The static musl binaries are never position-independent: -fno-pie gives
# shorter code (about 0.5 KB a tool); host builds (make sanitize) link
# dynamically and keep the compiler's default.
XCFLAGS	 = $(WARN) -std=c11 -D_GNU_SOURCE -DUNDEAD_VERSION='"$(VERSION)"' \
	   -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	   -fno-ident -ffile-prefix-map=$(CURDIR)=. \
	   $(if $(findstring musl,$(CC)),-fno-pie)
# Size: no separate page for code, and the data segment packed right after
# it (a static binary has next to nothing for RELRO to protect).
STATIC	?= -static -Wl,--gc-sections -Wl,--build-id=none -s \
	   -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=64
TESTLDFLAGS ?= -static

TOOLS	:= $(sort $(basename $(notdir $(wildcard cmd/*.c))))
LIBSRC	:= $(sort $(wildcard lib/*.c))
# B: where lib and the unit tests are built (make sanitize uses its own).
B	?= build
LIBOBJ	:= $(LIBSRC:lib/%.c=$(B)/lib/%.o)
BINS	:= $(TOOLS:%=dist/%)
UNITS	:= $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/*.c))
HELPERS	:= $(patsubst tests/helpers/%.c,build/helpers/%,$(wildcard tests/helpers/*.c))
FUZZ	:= $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/*.c))
FUZZTIME ?= 60

all: $(BINS)
	@echo "built $(words $(BINS)) tools with $(CC) ($(ARCH)) into dist/"

$(KINC)/.done:
	@mkdir -p $(KINC)
	@for d in linux asm-generic; do ln -sfn /usr/include/$$d $(KINC)/$$d; done
	@a=/usr/include/$$($(HOSTCC) -dumpmachine)/asm; \
	  [ -d "$$a" ] || a=/usr/include/asm; ln -sfn $$a $(KINC)/asm
	@touch $@

$(B)/lib/%.o: lib/%.c lib/lib.h $(KDEP)
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -c -o $@ $<

$(B)/libundead.a: $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $(LIBOBJ)

dist/%: cmd/%.c $(B)/libundead.a lib/lib.h
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -Ilib -o $@ $< $(B)/libundead.a \
	  $(STATIC) $(LDFLAGS)

$(B)/unit/%: tests/unit/%.c tests/unit/t.h $(B)/libundead.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -Ilib -Itests/unit -o $@ $< \
	  $(B)/libundead.a $(TESTLDFLAGS) $(LDFLAGS)

build/helpers/%: tests/helpers/%.c build/libundead.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -Ilib -o $@ $< build/libundead.a \
	  $(TESTLDFLAGS) $(LDFLAGS) -lpthread

# fdclose_hooked compiles cmd/fdclose.c and lib/inject.c into itself.
build/helpers/fdclose_hooked: cmd/fdclose.c lib/inject.c

tests: all $(UNITS) $(HELPERS)

check: tests
	@sh tests/static.sh $(BINS)
	@sh tests/run.sh

# The suite again with the tools and unit tests built by the host compiler
# with ASan and UBSan (dynamic: the sanitizer runtimes need it); the test
# victims stay the static ones, so they behave as in make check.
sanitize:
	$(MAKE) clean
	$(MAKE) tests
	rm -f $(BINS)
	$(MAKE) B=build/san CC=$(HOSTCC) CI= STATIC= TESTLDFLAGS= \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	  LDFLAGS='-fsanitize=address,undefined' all \
	  $(patsubst tests/unit/%.c,build/san/unit/%,$(wildcard tests/unit/*.c))
	ASAN_OPTIONS=detect_leaks=0 UNIT=$(CURDIR)/build/san/unit sh tests/run.sh; \
	  rc=$$?; $(MAKE) clean; exit $$rc

# Every parser's fuzz target under libFuzzer for FUZZTIME seconds each.
fuzz:
	@sh tests/fuzz/run.sh $(FUZZTIME) $(FUZZ)

bench: all $(HELPERS)
	@sh tests/bench/run.sh

demo: all $(HELPERS)
	@sh tests/demo.sh

lint:
	@sh tests/lint.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	for t in $(TOOLS); do \
	  cp dist/$$t $(DESTDIR)$(PREFIX)/bin/$$t && chmod 755 $(DESTDIR)$(PREFIX)/bin/$$t; \
	  sed 's/@VERSION@/$(VERSION)/g' cmd/$$t.1 > $(DESTDIR)$(MANPREFIX)/man1/$$t.1; \
	done

uninstall:
	for t in $(TOOLS); do \
	  rm -f $(DESTDIR)$(PREFIX)/bin/$$t $(DESTDIR)$(MANPREFIX)/man1/$$t.1; \
	done

clean-build:
	rm -rf build

clean: clean-build
	rm -f $(BINS)

.PHONY: all tests check sanitize fuzz bench demo lint install uninstall clean clean-build
.SECONDARY:
