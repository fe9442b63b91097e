# SPDX-License-Identifier: GPL-2.0
# Targets for people. kbuild itself reads ./Kbuild (which descends into
# module/), so this file never needs to guess whether kbuild is running.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
KERNELS ?= 5.10 6.1 6.12 7.2 kunit
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)

.PHONY: all modules tools clean check run style help

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

style:
	tests/style.sh

help:
	@echo 'cgmask $(VERSION)'
	@echo
	@echo 'Targets:'
	@echo '  all (default)  build module/cgmask.ko against KDIR and tools/cgmask'
	@echo '  modules        build module/cgmask.ko against KDIR'
	@echo '  tools          build the reader tools/cgmask'
	@echo '  run            boot Debian 6.1 in qemu, load cgmask, print its output'
	@echo '  check          every test: reader, fuzz smoke, style, KUnit, VM scenarios'
	@echo '  style          checkpatch --strict over the kernel code'
	@echo '  clean          remove build products'
	@echo
	@echo 'Variables:'
	@echo '  KDIR=$(KDIR)'
	@echo '      kernel headers or build tree to build against'
	@echo '  KERNELS="$(KERNELS)"'
	@echo '      kernels that make check boots (5.10 6.1 6.12 7.2 kunit)'
	@echo '  PREFIX=$(PREFIX)'
	@echo '  CGMASK_CACHE=/var/cache/cgmask (environment)'
	@echo '      downloads, chroots and built kernels, kept between runs'
