# SPDX-License-Identifier: GPL-2.0
#
# Developer Makefile of xen-tmem. The kbuild rules are in Kbuild, which
# DKMS uses directly; this file only drives kbuild and the tests.
#
#   make                 build xen_tmem.ko for the running kernel
#   make KVER=x.y.z      ... for another installed kernel
#   make KDIR=/path      ... against a kernel build tree
#   make check           userspace unit tests (seconds)
#   make test            everything: unit tests and the QEMU scenarios
#   make demo            boot the demo guest with the emulated hypervisor
#   make style           checkpatch and shellcheck
#   make bench           the benchmark (tests/bench/RESULTS.md), on the
#                        emulator, then on Xen 4.12 with tmem

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
SHELL := /bin/sh

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f src/config.h
	$(MAKE) -C tests/unit clean

check:
	$(MAKE) -C tests/unit check

test:
	tests/run-all.sh

demo:
	tests/qemu/demo.sh

bench:
	tests/setup-host.sh
	tests/bench/run.sh
	BENCH_HV=xen tests/bench/run.sh || [ $$? = 77 ]

style:
	tests/style.sh

.PHONY: all modules clean check test demo bench style

# Packages: build/pkg/deb/ and build/pkg/rpm/, version from VERSION
# (tools/mkpkg.sh). test-pkg installs and tests them (root, Debian 12).
deb:
	sh tools/mkpkg.sh deb build/pkg

rpm:
	sh tools/mkpkg.sh rpm build/pkg

test-pkg:
	sh tests/pkg/run.sh

.PHONY: deb rpm test-pkg
