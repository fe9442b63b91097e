#!/bin/sh
# /init of the cgmask test VM. It collects evidence and judges nothing:
# everything it gathers goes to the data port (ttyS1) between
# "@@ BEGIN <phase> <item>" and "@@ END <phase> <item> rc=N t=UPTIME" lines
# (t: seconds since boot when the item ended, for the logs), and the
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
stress_seconds=20
churn_min=2000
cycles=1000
life_seconds=600
for arg in $(cat /proc/cmdline); do
	case $arg in
	cgmask_test=*) scenario=${arg#cgmask_test=} ;;
	cgmask_stress=*) stress_seconds=${arg#cgmask_stress=} ;;
	cgmask_churn=*) churn_min=${arg#cgmask_churn=} ;;
	cgmask_cycles=*) cycles=${arg#cgmask_cycles=} ;;
	cgmask_life=*) life_seconds=${arg#cgmask_life=} ;;
	esac
done
T=/sys/kernel/tracing
CG=/sys/fs/cgroup
KO=/cgmask.ko

log() { echo "@@ cgmask-guest: $*"; }

# The per-cgroup view's scenario and readers.
[ -e /tree.sh ] && . /tree.sh

# item PHASE NAME CMD...: run CMD, its output and exit code to the data port.
item() {
	_p=$1 _n=$2
	shift 2
	echo "@@ BEGIN $_p $_n" >&3
	"$@" >&3 2>&1
	_rc=$?
	echo "@@ END $_p $_n rc=$_rc t=$(cut -d' ' -f1 /proc/uptime)" >&3
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
	item "$1" cgroups cat /sys/kernel/debug/cgmask_cgroups
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

# ---------------------------------------------------------------- stress
# Every loop is bounded in time (running) and, where it counts something,
# in count. The loops print one summary line each; check.py judges them.
F=/sys/kernel/debug/cgmask
now() { cut -d. -f1 /proc/uptime; }

# running START: true while a stress loop begun at START goes on: for
# stress_seconds and then, while the cgroup churn still owes cgroups
# (/tmp/churn.owed exists: cg_loop), up to 8 times that in all.
running() {
	t=$(now)
	[ "$t" -lt $(($1 + stress_seconds)) ] && return 0
	[ -e /tmp/churn.owed ] && [ "$t" -lt $(($1 + 8 * stress_seconds)) ]
}

# read_file FILE OUT MODE N: one whole read of FILE into OUT, as MODE reads:
# cat, dd bs=1, dd bs=7, or seek (a partial read at an offset that varies
# with N, then a whole one).
read_file() {
	case $3 in
	cat) cat "$1" >"$2" 2>/dev/null ;;
	dd1) dd if="$1" of="$2" bs=1 2>/dev/null ;;
	dd7) dd if="$1" of="$2" bs=7 2>/dev/null ;;
	seek) dd if="$1" of=/dev/null bs=61 skip=$(($4 % 97)) count=5 2>/dev/null &&
		dd if="$1" of="$2" bs=4096 2>/dev/null ;;
	esac
}

# read_loop ID MODE: read the file until the deadline; every complete read
# must parse as a valid dump (the reader's strict parser).
read_loop() {
	n=0 bad=0 failed=0 start=$(now)
	while running "$start"; do
		read_file $F /tmp/r$1 "$2" $n || { failed=$((failed + 1)); continue; }
		n=$((n + 1))
		if ! cgmask -f /tmp/r$1 >/dev/null 2>/tmp/e$1; then
			bad=$((bad + 1))
			[ -e /tmp/bad$1 ] || { cp /tmp/r$1 /tmp/bad$1; cp /tmp/e$1 /tmp/bad$1.err; }
		fi
	done
	echo "reader $1 mode=$2 reads=$n invalid=$bad failed=$failed"
	[ -e /tmp/bad$1 ] && { echo "first invalid read:"; cat /tmp/bad$1.err /tmp/bad$1; }
	return 0
}

# parse_kept ID DIR [ARG]: the reader's strict parser (cgmask -f FILE
# [ARG]) over the texts modcycle's racer kept in DIR.
parse_kept() {
	n=0 bad=0
	for f in "$2"/*; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		# shellcheck disable=SC2086 # ARG: none or one word
		cgmask -f "$f" ${3:-} >/dev/null 2>/tmp/kept.err && continue
		bad=$((bad + 1))
		[ -e /tmp/kept.bad ] || { cp "$f" /tmp/kept.bad; cp /tmp/kept.err /tmp/kept.bad.err; }
	done
	echo "reader $1 mode=racer texts=$n invalid=$bad"
	[ -e /tmp/kept.bad ] && { echo "first invalid read:"; cat /tmp/kept.bad.err /tmp/kept.bad; }
	rm -f /tmp/kept.bad /tmp/kept.bad.err
	return 0
}

# v1_loop: mount and unmount v1 hierarchies, so controllers rebind:
# net_cls and net_prio (no dfl_cftypes: never in use on v2) every time,
# when the kernel has both (net_mounts=- when not); cpu and cpuacct only
# while no cgroup below the root has a cpu css (the kernel refuses to move
# a controller in use: EBUSY), so it depends on whether cg_loop enabled
# cpu in the root while cpu was on v1.
v1_loop() {
	n=0 cpu=0 net=- start=$(now)
	grep -q '^net_cls[[:space:]]' /proc/cgroups &&
		grep -q '^net_prio[[:space:]]' /proc/cgroups && net=0
	mkdir -p /mnt/scpu /mnt/snet
	while running "$start"; do
		if mount -t cgroup -o cpu,cpuacct cgroup /mnt/scpu 2>/dev/null; then
			umount /mnt/scpu
			cpu=$((cpu + 1))
		fi
		if [ "$net" != - ] &&
		   mount -t cgroup -o net_cls,net_prio,name=snet cgroup /mnt/snet 2>/dev/null; then
			umount /mnt/snet
			net=$((net + 1))
		fi
		n=$((n + 1))
	done
	echo "v1 cycles=$n cpu_mounts=$cpu net_mounts=$net"
}

# cg_loop: create and remove cgroups 500 at a time under /churn, and
# enable and disable every controller in /toggle's subtree_control; for
# stress_seconds and at least churn_min cgroups (cgmask_churn=N): the
# other loops go on until it has made them (running). The root enables
# every controller, /churn only pids: with all of them 500 cgroups cost
# the debug kernel 15 s of CPU, with pids 5 s.
# /toggle has no child, on purpose: disabling a controller above a live
# child kills that child's css, and a v1 unmount (v1_loop) at the same
# time deadlocks kernels without 79f919a89c9d ("cgroup: split
# cgroup_destroy_wq into 3 workqueues", 6.17): the root's destruction
# waits on cgroup_destroy_wq for that css's offline work queued behind it.
# Seen here on Debian's 5.10.223: hung tasks in
# cgroup_lock_and_drain_offline. A kernel bug, not one of cgmask's.
cg_loop() {
	n=0 start=$(now)
	for c in $(cat $CG/cgroup.controllers); do
		echo "+$c" >$CG/cgroup.subtree_control 2>/dev/null
	done
	mkdir -p $CG/churn $CG/toggle
	echo +pids >$CG/churn/cgroup.subtree_control
	# 500 at a time with one mkdir and one rmdir process (a fork per
	# cgroup would make this a fork benchmark).
	dirs='' i=0
	while [ $i -lt 500 ]; do dirs="$dirs $CG/churn/s$i"; i=$((i + 1)); done
	while running "$start" && [ $n -lt 200000 ]; do
		# shellcheck disable=SC2086 # a list of paths
		mkdir $dirs
		for c in $(cat $CG/toggle/cgroup.controllers); do
			echo "+$c" >$CG/toggle/cgroup.subtree_control 2>/dev/null
			echo "-$c" >$CG/toggle/cgroup.subtree_control 2>/dev/null
		done
		# shellcheck disable=SC2086
		rmdir $dirs
		n=$((n + 500))
		[ $n -lt "$churn_min" ] || rm -f /tmp/churn.owed
	done
	rm -f /tmp/churn.owed
	rmdir $CG/toggle $CG/churn
	echo "cgroups created=$n wanted=$churn_min seconds=$(($(now) - start))"
}

# The readers run at nice 10, the two churn loops at 0: six readers would
# otherwise take three quarters of the CPU and the churn would crawl (on the
# debug kernel 500 cgroups with every controller cost 15 s of CPU alone).
stress_readers() {
	pids=
	[ "$churn_min" -le 0 ] || : >/tmp/churn.owed
	i=0
	for mode in cat cat dd1 dd7 seek; do
		read_loop $i $mode >/tmp/out.r$i &
		renice -n 10 -p $! >/dev/null
		pids="$pids $!"
		i=$((i + 1))
	done
	v1_loop >/tmp/out.v1 &
	pids="$pids $!"
	# The per-cgroup file too (guest/tree.sh), read with the same churn.
	tree_read_loop 9 dd7 >/tmp/out.r9 &
	renice -n 10 -p $! >/dev/null
	pids="$pids $!"
	cg_loop >/tmp/out.cg &
	pids="$pids $!"
	for p in $pids; do wait $p; done
	cat /tmp/out.r* /tmp/out.v1 /tmp/out.cg
}

# lifecycle: load/unload cycles (modcycle, one process for all of them:
# see tests/vm/guest/modcycle.c). Each cycle tries to unload the module
# while modcycle holds the file open, and a child of modcycle reads the
# file again and again meanwhile, keeping each distinct text it read for
# the reader's parser here. Then the same held-open unload with the
# shell's rmmod. The cycles are bounded in time too (cgmask_life=SECS,
# default 600).
lifecycle() {
	rm -rf /tmp/life
	mkdir /tmp/life
	modcycle $KO cgmask "$cycles" "$life_seconds" $F /tmp/life
	parse_kept life /tmp/life
	insmod $KO || return 1
	exec 4<$F
	rmmod cgmask 2>/dev/null
	unload=$?
	cat <&4 >/tmp/held 2>/dev/null
	read_rc=$?
	exec 4<&-
	# rc 0 means the module went away under the open file; then the read
	# must have failed cleanly. Otherwise rmmod was refused (module busy).
	echo "held_open unload_rc=$unload read_rc=$read_rc"
	[ $unload -eq 0 ] || rmmod cgmask
}

kmemleak() {
	K=/sys/kernel/debug/kmemleak
	[ -e $K ] || { echo "kmemleak: not in this kernel"; return 0; }
	echo scan >$K
	sleep 5
	echo scan >$K
	cat $K
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
tree)
	# The per-cgroup view (guest/tree.sh, judged by tree_check.py).
	tree_scenario
	;;
stress)
	[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
	load main && collect main
	item stress readers stress_readers
	item stress rmmod rmmod cgmask
	item stress lifecycle lifecycle
	item stress kmemleak kmemleak
	load after && collect after
	item after rmmod rmmod cgmask
	;;
*)
	# Scenarios that differ only by the kernel command line.
	load main && collect main
	item main rmmod rmmod cgmask
	;;
esac
finish
