#!/bin/sh
# /init of the cgmask test VM. It collects evidence and judges nothing:
# everything it gathers goes to the data port (ttyS1) between
# "@@ BEGIN <phase> <item>" and "@@ END <phase> <item> rc=N" lines, and the
# host-side checker (tests/vm/check.py) compares it with the kernel's own
# answers. The scenario comes from "cgmask_test=NAME" on the command line.
export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /tmp /mnt
mount -t tmpfs tmpfs /tmp

stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

scenario=default
for arg in $(cat /proc/cmdline); do
	case $arg in cgmask_test=*) scenario=${arg#cgmask_test=} ;; esac
done
T=/sys/kernel/tracing
CG=/sys/fs/cgroup
KO=/cgmask.ko

log() { echo "@@ cgmask-guest: $*"; }

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

# The mask width is the kernel's: u16 before 7.0, u32 since.
mask_bits() {
	major=$(uname -r | cut -d. -f1)
	if [ "$major" -ge 7 ]; then echo 32; else echo 16; fi
}

# The ftrace oracle: the kernel's own masks, fetched by a kprobe event on
# cgroup_controllers_show, triggered by reading the root cgroup.controllers.
oracle() {
	w=$(mask_bits)
	echo "p:cgmask_oracle/masks cgroup_controllers_show implicit=@cgrp_dfl_implicit_ss_mask:u$w inhibit=@cgrp_dfl_inhibit_ss_mask:u$w threaded=@cgrp_dfl_threaded_ss_mask:u$w" >> $T/kprobe_events || return 1
	echo > $T/trace
	echo 1 > $T/events/cgmask_oracle/masks/enable
	cat $CG/cgroup.controllers > /dev/null
	echo 0 > $T/events/cgmask_oracle/masks/enable
	grep -o 'implicit=[0-9]* inhibit=[0-9]* threaded=[0-9]*' $T/trace | head -n 1
	echo '-:cgmask_oracle/masks' >> $T/kprobe_events
}

check_each() {
	for name in $(sed -n 's/^ss .* name=\([^ ]*\) .*/\1/p' /sys/kernel/debug/cgmask); do
		cgmask check "$name" > /dev/null 2>&1
		echo "$name $?"
	done
	cgmask check no_such_controller > /dev/null 2>&1
	echo "no_such_controller $?"
}

# collect PHASE: everything the checker compares for one state of the kernel.
collect() {
	item "$1" dump cat /sys/kernel/debug/cgmask
	item "$1" controllers cat $CG/cgroup.controllers
	item "$1" proc_cgroups cat /proc/cgroups
	item "$1" mounts cat /proc/mounts
	item "$1" oracle oracle
	[ -x /bin/cgmask ] || return 0
	item "$1" table cgmask
	item "$1" json_module cgmask -J --source module
	item "$1" json_ftrace cgmask -J --source ftrace
	item "$1" json_userspace cgmask -J --source userspace
	item "$1" check check_each
}

load() {
	item "$1" insmod insmod $KO "$@"
}

ksym() {
	awk -v s="$1" '$3 == s { print "0x" $1; exit }' /proc/kallsyms
}

# Loads that must be refused, each with one clear dmesg line.
refusals() {
	threaded=$(ksym cgrp_dfl_threaded_ss_mask)
	item bogus_name insmod insmod $KO cgrp_dfl_implicit_ss_mask="$(ksym cgrp_dfl_root)"
	item bogus_name dmesg sh -c 'dmesg | grep "cgmask: " | tail -n 1'
	item bogus_addr insmod insmod $KO cgrp_dfl_inhibit_ss_mask=0x1234
	item bogus_addr dmesg sh -c 'dmesg | grep "cgmask: " | tail -n 1'
	item bogus_offset insmod insmod $KO cgrp_dfl_threaded_ss_mask="$(printf 0x%x $((threaded + 1)))"
	item bogus_offset dmesg sh -c 'dmesg | grep "cgmask: " | tail -n 1'
	item bogus_lookup insmod insmod $KO lookup=everything
	item bogus_lookup dmesg sh -c 'dmesg | grep "cgmask: " | tail -n 1'
}

finish() {
	item final dmesg dmesg
	item final taint cat /proc/sys/kernel/tainted
	echo "@@ DONE" >&3
	sleep 1
	log "done"
	reboot -f
}

log "scenario $scenario on $(uname -r)"
echo "@@ SCENARIO $scenario $(uname -r)" >&3
item boot cmdline cat /proc/cmdline

case $scenario in
run)
	{
		insmod $KO
		echo "=== cat /sys/kernel/debug/cgmask"
		cat /sys/kernel/debug/cgmask
		echo "=== cgmask"
		cgmask
		echo "=== cat /sys/fs/cgroup/cgroup.controllers"
		cat $CG/cgroup.controllers
		echo "@@ DONE"
	} >&3 2>&1
	sleep 1
	reboot -f
	;;
default)
	load main && collect main
	item main rmmod rmmod cgmask
	load derived lookup=none && collect derived
	item derived rmmod rmmod cgmask
	load param lookup=param \
		cgrp_dfl_implicit_ss_mask="$(ksym cgrp_dfl_implicit_ss_mask)" \
		cgrp_dfl_inhibit_ss_mask="$(ksym cgrp_dfl_inhibit_ss_mask)" \
		cgrp_dfl_threaded_ss_mask="$(ksym cgrp_dfl_threaded_ss_mask)" \
		cgroup_mutex="$(ksym cgroup_mutex)" && collect param
	item param rmmod rmmod cgmask
	refusals
	;;
v1)
	load main && collect main
	mkdir -p /mnt/cpu /mnt/net
	item v1_mounted mount_cpu mount -t cgroup -o cpu,cpuacct cgroup /mnt/cpu
	item v1_mounted mount_net mount -t cgroup -o net_cls,net_prio,name=netv1 cgroup /mnt/net
	collect v1_mounted
	item v1_unmounted umount_cpu umount /mnt/cpu
	item v1_unmounted umount_net umount /mnt/net
	# Rebinding to v2 happens when the v1 roots are destroyed.
	sleep 1
	collect v1_unmounted
	item v1_unmounted rmmod rmmod cgmask
	;;
*)
	# Scenarios that differ only by the kernel command line.
	load main && collect main
	item main rmmod rmmod cgmask
	;;
esac
finish
