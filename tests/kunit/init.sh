#!/bin/sh
# /init of the cgmask KUnit VM (tests/kunit/run.sh). Sets up what the live
# cases compare against, loads cgmask_kunit.ko (its suites run during
# insmod and print KTAP on the console), then unloads it, asks kmemleak for
# a scan and powers off. It judges nothing: run.sh reads the console.
#
# Environment for cgmask_live: cgroup2 on /sys/fs/cgroup; freezer bound
# to a named v1 hierarchy; run.sh boots with cgroup_disable=rdma.
export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /mnt/freezer
mount -t cgroup -o freezer,name=cgmask cgmask /mnt/freezer ||
	echo "@@ cgmask-kunit: cannot mount freezer on a v1 hierarchy"

# KTAP is printed at KERN_INFO; boot.sh's cmdline says quiet.
dmesg -n 8

echo "@@ cgmask-kunit: insmod begin"
insmod /cgmask_kunit.ko
echo "@@ cgmask-kunit: insmod rc=$?"
rmmod cgmask_kunit
echo "@@ cgmask-kunit: rmmod rc=$?"

# Leaks of the test run: unreferenced objects older than 5 s, two scans.
if [ -e /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo "@@ cgmask-kunit: kmemleak begin"
	cat /sys/kernel/debug/kmemleak
	echo "@@ cgmask-kunit: kmemleak end"
fi
echo "@@ cgmask-kunit: tainted=$(cat /proc/sys/kernel/tainted)"
echo "@@ cgmask-kunit: done"
# No ACPI in this kernel: poweroff would only halt. -no-reboot makes
# qemu exit on reboot.
reboot -f
