#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the cgmask lockdown VM (tests/kunit/lockdown.sh), booted once per
# lockdown mode (none, integrity, confidentiality: lockdown= on the command
# line). It collects evidence and judges nothing: each step's output and
# exit code go to the data port (ttyS1) between "@@ BEGIN <phase> <item>"
# and "@@ END <phase> <item> rc=N" lines, the format of tests/vm/guest,
# and lockdown.py compares them with what the mode must do.
#
# The modules, all the same cgmask.ko: /cgmask-signed.ko (the kernel's own
# key), /cgmask-unsigned.ko, /cgmask-foreign.ko (signed with a key the
# kernel does not know), /cgmask-tampered.ko (signed, then one byte
# changed). /bin/cgmask is the static reader.
export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /tmp
mount -t tmpfs tmpfs /tmp

stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

F=/sys/kernel/debug/cgmask
LD=/sys/kernel/security/lockdown

# item PHASE NAME CMD...: run CMD, its output and exit code to the data port.
item() {
	_p=$1 _n=$2
	shift 2
	echo "@@ BEGIN $_p $_n" >&3
	"$@" >&3 2>&1
	_rc=$?
	echo "@@ END $_p $_n rc=$_rc" >&3
	return $_rc
}

# The kernel messages since mark was last called.
mark() { _mark=$(dmesg | wc -l); }
since() { dmesg | tail -n +$((_mark + 1)); }

ksym() {
	awk -v s="$1" '$3 == s { print "0x" $1; exit }' /proc/kallsyms
}

# try PHASE KO [PARAMS...]: one load, what it printed, what the kernel said,
# the kernel's taint after it and the module's own (E: not verified).
try() {
	_ph=$1
	shift
	mark
	item "$_ph" insmod insmod "$@"
	item "$_ph" dmesg since
	item "$_ph" taint cat /proc/sys/kernel/tainted
	[ -e /sys/module/cgmask/taint ] && item "$_ph" modtaint cat /sys/module/cgmask/taint
}

# every_file: each debugfs file of the module, its mode and whether it reads.
every_file() {
	for _f in /sys/kernel/debug/cgmask*; do
		cat "$_f" >/dev/null 2>&1
		_rc=$?
		echo "$_f mode=$(stat -c %a "$_f") read_rc=$_rc"
	done
}

# read_all PHASE: the file and the reader, while the module is loaded.
read_all() {
	item "$1" mode stat -c %a $F
	item "$1" files every_file
	item "$1" dump cat $F
	item "$1" controllers cat /sys/fs/cgroup/cgroup.controllers
	item "$1" table cgmask
	item "$1" json cgmask -J
	item "$1" json_ftrace cgmask -J --source ftrace
}

item boot lockdown cat $LD
item boot cmdline cat /proc/cmdline
item boot certs sh -c 'dmesg | grep -i "x.509"'

# The signed module first: the taint then shows whether it verified.
try signed /cgmask-signed.ko
read_all signed
# debugfs under lockdown serves only files of mode 0444 with no write,
# ioctl or mmap; a file of mode 0644 (kmemleak's) shows the lockdown is on.
item signed kmemleak head -c 0 /sys/kernel/debug/kmemleak
# The mode is what lets the file through; lockdown refuses changing it.
mark
item signed chmod chmod 0644 $F
item signed chmod_dmesg since
chmod 0444 $F
item signed rmmod rmmod cgmask

# Unloaded: the reader must say why there is nothing to read.
item gone read cat $F
item gone reader cgmask --source module
item gone auto cgmask -J

# Addresses handed in: ordinary module parameters, allowed under lockdown.
try param /cgmask-signed.ko \
	cgrp_dfl_implicit_ss_mask="$(ksym cgrp_dfl_implicit_ss_mask)" \
	cgrp_dfl_inhibit_ss_mask="$(ksym cgrp_dfl_inhibit_ss_mask)" \
	cgrp_dfl_threaded_ss_mask="$(ksym cgrp_dfl_threaded_ss_mask)" \
	cgroup_mutex="$(ksym cgroup_mutex)"
item param dump cat $F
item param rmmod rmmod cgmask

# Parameters outside what they document: refused by the kernel's parser
# (a number that is none) or by cgmask (lookup=); a name the module does
# not have is the kernel's business (ignored with a warning).
try badnum /cgmask-signed.ko cgroup_mutex=nonsense
[ -e $F ] && item badnum rmmod rmmod cgmask
try badlookup /cgmask-signed.ko lookup=everything
[ -e $F ] && item badlookup rmmod rmmod cgmask
try unknown /cgmask-signed.ko no_such_param=1
[ -e $F ] && item unknown rmmod rmmod cgmask

# Loads the mode may refuse; each one that loads is unloaded again.
for what in unsigned foreign tampered; do
	try $what /cgmask-$what.ko
	[ -e $F ] && item $what rmmod rmmod cgmask
done

# Booted without lockdown: make the real debugfs refuse the real file, as
# a kernel that locks down all of debugfs would. With the file 0644 and
# the kernel then locked down (securityfs lets root raise the level, never
# lower it), opening it fails with EPERM; the reader must say so plainly.
if grep -q '\[none\]' $LD; then
	insmod /cgmask-signed.ko
	chmod 0644 $F
	for level in integrity confidentiality; do
		item raise_$level raise sh -c "echo $level >$LD && cat $LD"
		item raise_$level read cat $F
		item raise_$level reader cgmask --source module
		item raise_$level auto cgmask -J
	done
fi

item final dmesg dmesg
item final taint cat /proc/sys/kernel/tainted
echo "@@ DONE" >&3
sleep 1
# No ACPI in this kernel: poweroff would only halt. -no-reboot makes
# qemu exit on reboot.
reboot -f
