# undead: small static tools that rescue a Linux server.
# One makefile, no configure: `make`, `make check`, `make demo`.

VERSION	 = 0.1.0
# Dates in the release set (man pages, tarball entries): the last commit's,
# or outside git the release date of VERSION (2026-11-20).
RELEASED = 1795132800
SOURCE_DATE_EPOCH ?= $(or $(if $(wildcard .git),$(shell \
	  git log -1 --format=%ct 2>/dev/null)),$(RELEASED))
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

# musl-gcc does not see the kernel's uapi headers; give it only those, of
# the arch built for (Debian: linux-libc-dev:ARCH in /usr/include/TRIPLET,
# or linux-libc-dev-ARCH-cross in /usr/TRIPLET/include).
KINC	 = $(B)/kinc
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
# dynamically and keep the compiler's default. No unwind tables: nothing
# unwinds C code here, and aarch64's gcc makes them by default (7 KB a tool).
XCFLAGS	 = $(WARN) -std=c11 -D_GNU_SOURCE -DUNDEAD_VERSION='"$(VERSION)"' \
	   -DUNDEAD_LINK='"$(if $(STATIC),static,dynamic)"' \
	   -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	   -fno-unwind-tables -fno-ident -ffile-prefix-map=$(CURDIR)=. \
	   $(if $(findstring musl,$(CC)),-fno-pie)
# Size: no separate page for code, and the data segment packed right after
# it (a static binary has next to nothing for RELRO to protect).
STATIC	?= -static -Wl,--gc-sections -Wl,--build-id=none -s \
	   -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=64
TESTLDFLAGS ?= -static

TOOLS	:= $(sort $(basename $(notdir $(wildcard cmd/*.c))))
LIBSRC	:= $(sort $(wildcard lib/*.c))
# B: where lib, the unit tests and the helpers are built (make sanitize and
# each arch of make dist use their own); D: where the tools go.
B	?= build
D	?= dist
LIBOBJ	:= $(LIBSRC:lib/%.c=$(B)/lib/%.o)
BINS	:= $(TOOLS:%=$(D)/%)
UNITS	:= $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/*.c))
HELPERS	:= $(patsubst tests/helpers/%.c,$(B)/helpers/%,$(wildcard tests/helpers/*.c))
FUZZ	:= $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/*.c))
FUZZTIME ?= 60

all: $(BINS)
	@echo "built $(words $(BINS)) tools with $(CC) ($(ARCH)) into $(D)/$(if \
	  $(findstring musl,$(CC))$(if $(STATIC),,x),, (no musl-gcc: the host \
	  libc linked statically; musl-tools makes them smaller))"

$(KINC)/.done:
	@mkdir -p $(KINC)
	@t=$(ARCH)-linux-gnu; h=$$(uname -m); \
	if [ -d /usr/include/$$t/asm ]; then i=/usr/include a=$$i/$$t/asm; \
	elif [ -d /usr/$$t/include/asm ]; then i=/usr/$$t/include a=$$i/asm; \
	elif [ "$(ARCH)" = "$$h" ] && [ -d /usr/include/asm ]; then \
	  i=/usr/include a=$$i/asm; \
	else echo "no kernel headers for $(ARCH) (Debian: linux-libc-dev:$(ARCH))" >&2; \
	  exit 1; fi; \
	for d in linux asm-generic; do ln -sfn $$i/$$d $(KINC)/$$d; done; \
	ln -sfn $$a $(KINC)/asm
	@touch $@

$(B)/lib/%.o: lib/%.c lib/lib.h $(KDEP)
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -c -o $@ $<

$(B)/libundead.a: $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $(LIBOBJ)

$(D)/%: cmd/%.c $(B)/libundead.a lib/lib.h
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -Ilib -o $@ $< $(B)/libundead.a \
	  $(STATIC) $(LDFLAGS)

$(B)/unit/%: tests/unit/%.c tests/unit/t.h $(B)/libundead.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -Ilib -Itests/unit -o $@ $< \
	  $(B)/libundead.a $(TESTLDFLAGS) $(LDFLAGS)

$(B)/helpers/%: tests/helpers/%.c $(B)/libundead.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -Ilib -o $@ $< $(B)/libundead.a \
	  $(TESTLDFLAGS) $(LDFLAGS) -lpthread

# fdclose_hooked compiles cmd/fdclose.c and lib/inject.c into itself.
$(B)/helpers/fdclose_hooked: cmd/fdclose.c lib/inject.c

tests: all $(UNITS) $(HELPERS)

# make check also runs the aarch64 tools and unit tests under qemu-user
# where they build.
XCHECK	:= $(if $(shell command -v aarch64-linux-gnu-gcc 2>/dev/null),$(if \
	   $(wildcard /usr/lib/aarch64-linux-musl/libc.a),dist-aarch64 units-aarch64))
check: tests $(XCHECK)
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
	ASAN_OPTIONS=detect_leaks=0 UNIT=$(CURDIR)/build/san/unit LINK=dynamic \
	  sh tests/run.sh; \
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
	  cp $(D)/$$t $(DESTDIR)$(PREFIX)/bin/$$t && chmod 755 $(DESTDIR)$(PREFIX)/bin/$$t; \
	  $(MANSTAMP) cmd/$$t.1 > $(DESTDIR)$(MANPREFIX)/man1/$$t.1; \
	done

uninstall:
	for t in $(TOOLS); do \
	  rm -f $(DESTDIR)$(PREFIX)/bin/$$t $(DESTDIR)$(MANPREFIX)/man1/$$t.1; \
	done

# Man pages carry the version and, as their date, SOURCE_DATE_EPOCH's.
MANSTAMP = sed -e 's/@VERSION@/$(VERSION)/g' -e "s/^\.Dd .*/.Dd $$(LC_ALL=C \
	   date -u -d @$(SOURCE_DATE_EPOCH) '+%B %-d, %Y')/"

# make dist: the release set, per arch in DISTARCHS: this makefile again
# with the arch's compiler (XCC_ARCH), build tree (build/ARCH) and output
# (dist/ARCH: the tools, man pages, SHA256SUMS), then
# dist/undead-VERSION-ARCH.tar.gz. Two builds of one tree are byte-identical
# wherever they are built (tests/dist.sh checks): no build path, build id or
# clock time gets in; tar and gzip take their dates from SOURCE_DATE_EPOCH.
# aarch64 is cross-built with Debian's gcc-aarch64-linux-gnu, musl-dev:arm64
# and linux-libc-dev:arm64, through a copy of musl-gcc's specs file.
DISTARCHS ?= x86_64 aarch64
XCC_x86_64 ?= musl-gcc
XCC_aarch64 ?= aarch64-linux-gnu-gcc -specs build/aarch64/musl.specs
MUSLSPECS = /usr/lib/x86_64-linux-musl/musl-gcc.specs
xmake	 = $(MAKE) B=build/$(1) D=dist/$(1) DISTARCH=$(1) CC='$(XCC_$(1))' \
	   SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH)

dist: $(DISTARCHS:%=dist-%)
	cd dist && sha256sum $(DISTARCHS:%=undead-$(VERSION)-%.tar.gz) > SHA256SUMS
	@cat dist/SHA256SUMS

dist-%: xcc-%
	+$(call xmake,$*) release

# make helpers-ARCH: the test helpers built for ARCH, in build/ARCH/helpers
# (but those that read x86_64 registers).
X86ONLY	 = pxkill_race
helpers-%: xcc-%
	+$(call xmake,$*) $(patsubst build/%,build/$*/%,$(if $(filter x86_64,$*), \
	  $(HELPERS),$(filter-out $(X86ONLY:%=build/helpers/%),$(HELPERS))))

xcc-%:
	@command -v $(firstword $(XCC_$*)) > /dev/null || { echo \
	  "no compiler for $* ($(firstword $(XCC_$*))): see .ci/run" >&2; exit 1; }
xcc-aarch64: build/aarch64/musl.specs

# make units-ARCH: the unit tests built for ARCH, in build/ARCH/unit.
units-%: xcc-%
	+$(call xmake,$*) $(UNITS:build/%=build/$*/%)

# musl-gcc's specs, pointed at the musl of another arch.
build/%/musl.specs: $(MUSLSPECS)
	@[ -f /usr/lib/$*-linux-musl/libc.a ] || { echo \
	  "no musl for $* in /usr/lib/$*-linux-musl (Debian: musl-dev:arm64)" >&2; \
	  exit 1; }
	@mkdir -p $(@D)
	sed 's/x86_64-linux-musl/$*-linux-musl/g; s/ld-musl-x86_64/ld-musl-$*/g' \
	  $(MUSLSPECS) > $@

# One arch's set (run by make dist-ARCH with D=dist/ARCH).
TARNAME	 = undead-$(VERSION)-$(DISTARCH)
release: $(BINS) $(TOOLS:%=$(D)/%.1)
	@sh tests/static.sh $(BINS)
	cd $(D) && sha256sum $(TOOLS) $(TOOLS:=.1) > SHA256SUMS
	tar --format=ustar --sort=name --mtime=@$(SOURCE_DATE_EPOCH) \
	  --owner=0 --group=0 --numeric-owner --mode=a=rX,u+w --no-recursion \
	  --transform='s,^$(DISTARCH),$(TARNAME),' -C $(dir $(D)) -cf - \
	  $(DISTARCH) $(sort $(addprefix $(DISTARCH)/,SHA256SUMS $(TOOLS) \
	  $(TOOLS:=.1))) | gzip -n -9 > $(dir $(D))$(TARNAME).tar.gz
	@cd $(D) && ls -l $(TOOLS)

$(D)/%.1: cmd/%.1
	@mkdir -p $(@D)
	$(MANSTAMP) $< > $@

# make vm-check: fdclose's injection run for real on arm64: Debian's arm64
# kernel in qemu-system-aarch64 with an initramfs of the aarch64 fdclose,
# its test victims and tests/vm/init.c as /init; the results come back on
# the serial console (tests/vm/run.sh, also the suite arm64-vm of make
# check, which builds them with vm-bins). The kernel is cached in build/vm.
VMBINS	 = dist/aarch64/fdclose build/aarch64/helpers/fdclose_victim \
	   build/aarch64/helpers/fdclose_hooked build/aarch64/vm/init
vm-bins: xcc-aarch64
	+$(call xmake,aarch64) $(VMBINS)

vm-check:
	@sh tests/run.sh arm64-vm

$(B)/vm/%: tests/vm/%.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(KFLAGS) -o $@ $< $(TESTLDFLAGS) $(LDFLAGS)

clean-build:
	rm -rf build

clean: clean-build
	rm -f $(BINS)
	rm -rf $(DISTARCHS:%=dist/%) dist/undead-*.tar.gz dist/SHA256SUMS

.PHONY: all tests check sanitize fuzz bench demo lint install uninstall clean \
	clean-build dist release vm-bins vm-check
.SECONDARY:
