# SPDX-License-Identifier: GPL-2.0
# Targets for people. kbuild itself reads ./Kbuild (which descends into
# module/), so this file never needs to guess whether kbuild is running.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
KERNELS ?= 5.10 6.1 6.12 7.2 kunit
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DEB_OUT ?= build/deb
DEB_CHROOT ?= yes
# The release KDIR's kernel reports (uname -r); Debian's headers put their
# upstream version in include/config/kernel.release, so not from there.
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
DKMS_SRC = /usr/src/cgmask-$(VERSION)
# What DKMS and cgmask-dkms ship: the production module only (./Kbuild
# descends into module/ alone), never tests/ or the KUnit module.
DKMS_FILES = Kbuild dkms.conf module/Kbuild $(wildcard module/*.[ch])
DKMS_ARGS = -m cgmask -v $(VERSION)

.PHONY: all modules tools clean check run bench style help install uninstall \
	dkms-install dkms-remove deb

all: modules tools

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

clean:
	-[ ! -d $(KDIR) ] || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean
	rm -rf build

check:
	KERNELS="$(KERNELS)" tests/run.sh

run:
	tests/vm/run-main.sh

# Benchmarks in the VM; bench/RESULTS.md gets the table.
BENCH_KERNELS ?= 6.1 5.10 6.12 7.2
bench:
	bench/run.sh $(BENCH_KERNELS)

style:
	tests/style.sh

# The module goes to /lib/modules/KRELEASE/updates/module/cgmask.ko.
install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KRELEASE)
	$(MAKE) -C tools install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KRELEASE)/updates/module/cgmask.ko*
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KRELEASE)
	$(MAKE) -C tools uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

# Replaces an earlier dkms-install of the same version.
dkms-install:
	[ -z "$$(dkms status $(DKMS_ARGS))" ] || dkms remove $(DKMS_ARGS) --all
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp --parents $(DKMS_FILES) $(DKMS_SRC)/
	dkms add $(DKMS_ARGS)
	dkms build $(DKMS_ARGS) -k $(KRELEASE)
	dkms install $(DKMS_ARGS) -k $(KRELEASE)

dkms-remove:
	[ -z "$$(dkms status $(DKMS_ARGS))" ] || dkms remove $(DKMS_ARGS) --all
	rm -rf $(DKMS_SRC)

deb:
	DEB_CHROOT=$(DEB_CHROOT) tests/dkms/deb.sh $(DEB_OUT)

help:
	@echo 'cgmask $(VERSION)'
	@echo
	@echo 'Targets:'
	@echo '  all (default)  build module/cgmask.ko against KDIR and tools/cgmask'
	@echo '  modules        build module/cgmask.ko against KDIR'
	@echo '  tools          build the reader tools/cgmask'
	@echo '  run            boot Debian 6.1 in qemu, load cgmask, print its output'
	@echo '  check          every test: reader, fuzz smoke, style, KUnit, VM scenarios,'
	@echo '                 lockdown, DKMS and packages'
	@echo '  bench          benchmarks in the VM; writes bench/RESULTS.md'
	@echo '  style          checkpatch --strict, shellcheck'
	@echo '  install        install the module for KDIR, the reader and man page'
	@echo '  uninstall      remove what install installed'
	@echo '  dkms-install   copy the module source to /usr/src, dkms add, build and'
	@echo '                 install it for KDIR'"'"'s kernel; later kernels: automatic'
	@echo '  dkms-remove    dkms remove --all and delete the source copy'
	@echo '  deb            build the source package and the cgmask-dkms and cgmask'
	@echo '                 packages into DEB_OUT (docs/dkms.md)'
	@echo '  clean          remove build products'
	@echo
	@echo 'Variables:'
	@echo '  KDIR=$(KDIR)'
	@echo '      kernel headers or build tree to build against'
	@echo '  KERNELS="$(KERNELS)"'
	@echo '      kernels that make check boots (5.10 6.1 6.12 7.2 kunit)'
	@echo '  BENCH_KERNELS="$(BENCH_KERNELS)"'
	@echo '      kernels that make bench boots (the first also runs the tree scale)'
	@echo '  PREFIX=$(PREFIX)'
	@echo '      where install puts the reader and its man page'
	@echo '  DEB_OUT=$(DEB_OUT)'
	@echo '      where deb puts the .dsc, .tar.xz, .debs, .changes, .buildinfo, lintian.txt'
	@echo '  DEB_CHROOT=$(DEB_CHROOT)'
	@echo '      yes: build in a cached chroot of this machine'"'"'s release (root); no:'
	@echo '      with this machine'"'"'s dpkg-buildpackage, debhelper, dh-dkms, lintian'
	@echo '  CGMASK_CACHE=/var/cache/cgmask (environment)'
	@echo '      downloads, chroots and built kernels, kept between runs'
