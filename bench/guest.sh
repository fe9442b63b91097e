#!/bin/sh
# /init of the cgmask benchmark VM (bench/run.sh builds the initramfs).
# Measures and judges nothing: /bin/bench prints "RESULT ..." lines, which
# go to the data port (ttyS1) with a few "META ..." lines saying what was
# measured where; bench/report.py computes the ratios on the host.
#
# Kernel command line (set by bench/run.sh):
#   bench_mode=read|tree    read: footprint and read cost (run.sh boots it
#                           with one vCPU); tree: tree scale (two vCPUs)
#   bench_tree=1000,10000   tree sizes (cgroups), ascending
#   bench_width=16|32       mask width for the ftrace method's fetch args
export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /tmp
mount -t tmpfs tmpfs /tmp

stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

mode="read"
trees=1000,10000,100000
width=16
for arg in $(cat /proc/cmdline); do
	case $arg in
	bench_mode=*) mode=${arg#bench_mode=} ;;
	bench_tree=*) trees=${arg#bench_tree=} ;;
	bench_width=*) width=${arg#bench_width=} ;;
	esac
done
CG=/sys/fs/cgroup
DBG=/sys/kernel/debug
FANOUT=16

meta() { echo "META $*" >&3; }
# run CMD...: one bench measurement, its RESULT lines (and errors) to ttyS1.
run() {
	bench "$@" >&3 2>&1 || echo "ERROR rc=$? bench $*" >&3
}
elapsed() { cut -d' ' -f1 /proc/uptime; }

meta "kernel release=$(uname -r) version=$(uname -v | tr ' ' '_')"
meta "vm nproc=$(nproc) mem_kb=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)" \
	"clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
meta "params mode=$mode trees=$trees width=$width fanout=$FANOUT"
meta "phase start uptime=$(elapsed)"

# ---------------------------------------------------------------- read cost
read_cost() {
	# Footprint: five loads and four unloads; the module stays loaded.
	run insmod cgmask /cgmask.ko 5
	meta "module $(awk '$1 == "cgmask" { print "core_bytes=" $2 }' /proc/modules)"
	run clock clock 10000
	run read cgmask $DBG/cgmask 2000 20
	# The same, the root's subtree_control changed before each read (pids
	# on, off, ...): the module formats the text again every time.
	run read cgmask_changed $DBG/cgmask 2000 20 $CG/cgroup.subtree_control pids
	run read controllers $CG/cgroup.controllers 2000 20
	run read proc_cgroups /proc/cgroups 2000 20
	run ftrace ftrace "$width" 50 15
	run exec cat 200 30 /bin/cat $CG/cgroup.controllers
	run exec cgmask_json 200 30 /bin/cgmask -J
	run exec cgmask_userspace 200 30 /bin/cgmask -J --source userspace
	run exec cgmask_ftrace 30 15 /bin/cgmask -J --source ftrace
	meta "phase read uptime=$(elapsed)"
}

# ---------------------------------------------------------------- tree scale
# One tree grown in steps: cgroup i (1-based) is $CG/bench/.../c<i>, its
# parent cgroup (i-1)/FANOUT, 0 being $CG/bench. Controllers enabled at
# the top two levels, as a host with slices and services would have them.
tree() {
	insmod /cgmask.ko || echo "ERROR insmod failed" >&3
	run clock tree_clock 10000
	if [ ! -e $DBG/cgmask_cgroups ]; then
		meta "tree missing=$DBG/cgmask_cgroups"
		return 0
	fi
	for c in $(cat $CG/cgroup.controllers); do
		echo "+$c" >$CG/cgroup.subtree_control 2>/dev/null
	done
	mkdir $CG/bench $CG/probe
	for c in pids memory cpu io; do
		echo "+$c" >$CG/bench/cgroup.subtree_control 2>/dev/null
	done
	lock=$(head -n 2 $DBG/cgmask_cgroups | grep -o 'lock=[a-z]*')
	meta "tree $lock"
	from=1
	for n in $(echo "$trees" | tr ',' ' '); do
		run tree $CG/bench $FANOUT $from $((n + 1))
		if [ "$from" = 1 ]; then
			for i in $(seq 1 $FANOUT); do
				echo +pids >$CG/bench/c$i/cgroup.subtree_control 2>/dev/null
			done
		fi
		from=$((n + 1))
		run dump "tree$n" $DBG/cgmask_cgroups 5 30
		run walk "tree$n" $CG 3 120
		run mkdirlat "tree$n" $CG/probe 5 spin
		run mkdirlat "tree$n" $CG/probe 5 read /proc/self/cgroup
		run mkdirlat "tree$n" $CG/probe 5 dump $DBG/cgmask_cgroups
		meta "phase tree$n uptime=$(elapsed) mem_avail_kb=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)"
	done
	# A module that takes cgroup_mutex: for comparison, the largest tree
	# again with the module unable to find it (lookup=none), lock=rcu.
	[ "$lock" = lock=mutex ] || return 0
	if ! rmmod cgmask || ! insmod /cgmask.ko lookup=none; then
		echo "ERROR cannot reload cgmask with lookup=none" >&3
		return 0
	fi
	meta "rcu size=$n $(head -n 2 $DBG/cgmask_cgroups | grep -o 'lock=[a-z]*')"
	run dump "rcu$n" $DBG/cgmask_cgroups 5 30
	run mkdirlat "rcu$n" $CG/probe 5 dump $DBG/cgmask_cgroups
	meta "phase rcu$n uptime=$(elapsed)"
}
case $mode in
read) read_cost ;;
tree) tree ;;
*) echo "ERROR unknown bench_mode=$mode" >&3 ;;
esac

# ---------------------------------------------------------------- health
bad=$(dmesg | grep -E 'BUG|WARNING|Oops|KASAN|lockdep|circular locking|general protection' | head -n 5)
meta "health taint=$(cat /proc/sys/kernel/tainted) dmesg_bad_lines=$(printf '%s' "$bad" | grep -c .)"
[ -z "$bad" ] || printf '%s\n' "$bad" | sed 's/^/DMESG /' >&3
meta "phase end uptime=$(elapsed)"
echo "@@ DONE" >&3
sleep 1
reboot -f
