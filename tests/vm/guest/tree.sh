# shellcheck shell=sh
# shellcheck disable=SC2154 # CG, stress_seconds: set by /init
# The "tree" scenario of the test VM, sourced by /init (guest/init.sh),
# whose helpers (item, load, log, now, running, kmemleak, stress_seconds) it
# uses. Like /init it judges nothing: it builds a tree of domain and
# threaded cgroups with controllers enabled at various depths, then sends
# the module's
# /sys/kernel/debug/cgmask_cgroups, what cgroupfs shows for every cgroup
# and the reader's answers to the data port; tests/vm/tree_check.py
# compares them. Then readers race cgroup creation and removal.
TF=/sys/kernel/debug/cgmask_cgroups

# The queries of "cgmask why"; tree_check.py knows the expected answers.
TREE_WHY="memory:/a/b/c cpu:/a/b/c memory:/a/b pids:/deep/1/2/3/4/5 memory:/deep/1/2/3/4/5
memory:/tt cpu:/tt memory:/t/u cpu:/t/u/v memory:/d/e io:/d/e perf_event:/a/b cpuacct:/a
no_such:/a"

# cg_enable CGROUP CONTROLLER...: add them to CGROUP's subtree_control, one by one.
cg_enable() {
	_cg=$1
	shift
	for _c in "$@"; do
		echo "+$_c" >"$CG$_cg/cgroup.subtree_control" ||
			log "tree: cannot enable $_c in $_cg"
	done
}

# The tree. Every controller the kernel offers is enabled at the root;
# below it, each branch tests one rule of cgroup.controllers.
tree_build() {
	# shellcheck disable=SC2046 # one word per controller
	cg_enable "" $(cat $CG/cgroup.controllers)
	# Domains, a controller dropped at each level.
	mkdir -p $CG/a/b/c
	cg_enable /a cpu memory pids
	cg_enable /a/b cpu pids
	cg_enable /a/b/c pids
	# A deep chain: memory stops at level 3, pids goes all the way.
	mkdir -p $CG/deep/1/2/3/4/5/6
	cg_enable /deep memory pids
	cg_enable /deep/1 memory pids
	cg_enable /deep/1/2 memory pids
	for p in /deep/1/2/3 /deep/1/2/3/4 /deep/1/2/3/4/5; do cg_enable $p pids; done
	# io depends on memory: /d/e gets a memory css without memory's files.
	mkdir -p $CG/d/e
	cg_enable /d io
	# A threaded subtree under a domain: /t becomes "domain threaded", a new
	# child of a threaded cgroup or of /t is "domain invalid" until made
	# threaded.
	mkdir -p $CG/t/u/v $CG/t/u/x $CG/t/w
	cg_enable /t cpu pids
	echo threaded >$CG/t/u/cgroup.type
	echo threaded >$CG/t/u/v/cgroup.type
	cg_enable /t/u cpu
	# A threaded child of the root, which may mix: memory is enabled in the
	# root's subtree_control but /tt cannot list it.
	mkdir $CG/tt
	echo threaded >$CG/tt/cgroup.type
	# Names that need escaping.
	mkdir "$CG/odd name=1,2" "$CG/odd name=1,2/back\\slash" "$CG/-"
	# A chain whose paths outgrow PATH_MAX (the module prints path=?):
	# the shell cannot cd that deep, so the second half is made with a
	# relative mkdir -p from the middle.
	long=$(printf '%0250d' 0)
	mkdir $CG/long
	(
		cd $CG/long || exit 1
		i=0 rest=
		while [ $i -lt 20 ]; do
			if [ $i -lt 10 ]; then
				mkdir "$long$i" && cd "$long$i" || exit 1
			else
				rest="$rest${rest:+/}$long$i"
			fi
			i=$((i + 1))
		done
		mkdir -p "$rest"
	) || log "tree: cannot build the long chain"
	# Processes in a leaf, so some cgroups are populated.
	sleep 1000 &
	echo $! >$CG/a/b/c/cgroup.procs || log "tree: cannot move a process to /a/b/c"
	sleep 1000 &
	echo $! >$CG/t/u/v/cgroup.procs || log "tree: cannot move a process to /t/u/v"
}

# fs_dump: what cgroupfs shows for every cgroup it can list, one block per
# cgroup. Paths longer than PATH_MAX cannot be opened; find skips them.
# Files are read with the shell's own read: a process (or a command
# substitution) per file costs 50 ms on the KASAN kernel.
fs_dump() {
	find $CG -type d 2>/dev/null | while read -r d; do
		rel=${d#"$CG"}
		printf 'cgroup %s\n' "${rel:-/}"
		stat -c 'ino %i' "$d"
		v=
		read -r v <"$d/cgroup.controllers"
		echo "controllers $v"
		v=
		read -r v <"$d/cgroup.subtree_control"
		echo "subtree_control $v"
		if [ -n "$rel" ]; then
			v=
			read -r v <"$d/cgroup.type"
			echo "type $v"
		fi
		printf 'files'
		for f in "$d"/*; do printf ' %s' "${f##*/}"; done
		printf '\n'
		if [ -e "$d/debug.masks" ]; then
			while read -r l; do echo "debug.masks $l"; done <"$d/debug.masks"
			while read -r l; do echo "debug.csses $l"; done <"$d/debug.csses"
		fi
	done
}

tree_dd1() {
	dd if=$TF bs=1 2>/dev/null
}

tree_why() {
	for q in $TREE_WHY; do
		c=${q%%:*} p=${q#*:}
		echo "@@ why $c $p module"
		cgmask -J why "$c" "$p"
		echo "@@ rc $?"
		echo "@@ why $c $p userspace"
		cgmask -J --source userspace why "$c" "$p"
		echo "@@ rc $?"
	done
}

# tree_collect PHASE: one quiet state, everything the checker compares.
tree_collect() {
	item "$1" cgroups cat $TF
	item "$1" cgroups_dd1 tree_dd1
	item "$1" fs fs_dump
	[ -x /bin/cgmask ] || return 0
	item "$1" tree cgmask tree
	item "$1" tree_json cgmask -J tree
	item "$1" tree_userspace cgmask -J --source userspace tree
	item "$1" why tree_why
}

# ---------------------------------------------------------------- stress
# tree_read_loop ID MODE: read cgmask_cgroups until the deadline. Every
# sequential read must parse (the reader's strict parser checks the grammar,
# pre-order, paths and the end count) and hold each of the cgroups that
# never change (/stable and /zstable, when they exist) exactly once. Also
# run by the stress scenario of /init.
tree_read_loop() {
	n=0 bad=0 failed=0 start=$(now)
	while running "$start"; do
		read_file $TF /tmp/t$1 "$2" $n || { failed=$((failed + 1)); continue; }
		n=$((n + 1))
		if ! cgmask -f /tmp/t$1 tree >/dev/null 2>/tmp/te$1; then
			bad=$((bad + 1))
		elif [ -d $CG/stable ] &&
		     { [ "$(grep -c ' path=/stable[/ ]' /tmp/t$1)" != 11 ] ||
		       [ "$(grep -c ' path=/zstable[/ ]' /tmp/t$1)" != 11 ]; }; then
			bad=$((bad + 1))
			echo "stable cgroups missing or repeated" >/tmp/te$1
		else
			continue
		fi
		[ -e /tmp/tbad$1 ] || { cp /tmp/t$1 /tmp/tbad$1; cp /tmp/te$1 /tmp/tbad$1.err; }
	done
	echo "reader $1 mode=$2 reads=$n invalid=$bad failed=$failed"
	[ -e /tmp/tbad$1 ] && { echo "first invalid read:"; cat /tmp/tbad$1.err; head -c 3000 /tmp/tbad$1; }
	return 0
}

# tree_churn: create and remove cgroups around the readers' positions:
# wide (siblings), deep (chains) and threaded, toggling controllers.
tree_churn() {
	n=0 start=$(now)
	while running "$start"; do
		i=0
		while [ $i -lt 40 ]; do mkdir $CG/churn/s$i; i=$((i + 1)); done
		mkdir -p $CG/churn/s1/a/b/c $CG/churn/s7/t/u
		echo threaded >$CG/churn/s7/t/u/cgroup.type
		echo +pids >$CG/churn/s1/cgroup.subtree_control
		echo -pids >$CG/churn/s1/cgroup.subtree_control
		rmdir $CG/churn/s7/t/u $CG/churn/s7/t $CG/churn/s1/a/b/c $CG/churn/s1/a/b $CG/churn/s1/a
		i=0
		while [ $i -lt 40 ]; do rmdir $CG/churn/s$i; i=$((i + 1)); done
		n=$((n + 46))
	done
	echo "churn cgroups=$n"
}

tree_stress_round() {
	pids=
	i=0
	for mode in cat dd1 dd7 seek; do
		tree_read_loop $i $mode >/tmp/tout.r$i &
		pids="$pids $!"
		i=$((i + 1))
	done
	tree_churn >/tmp/tout.churn &
	pids="$pids $!"
	for p in $pids; do wait $p; done
	cat /tmp/tout.r* /tmp/tout.churn
	rm -f /tmp/tout.* /tmp/tbad*
}

# A reader that keeps the file open while the cgroups around its position
# are removed and new siblings appear: the bytes read before and after must
# still be one valid dump, with every new sibling (they come after the
# pinned position in the walk). Then no removed cgroup may stay behind (a
# leaked reference would keep it dying forever).
# tree_names PREFIX N: PREFIX0 ... PREFIX<N-1>, one word each.
tree_names() {
	_i=0
	while [ $_i -lt "$2" ]; do
		printf '%s%d\n' "$1" $_i
		_i=$((_i + 1))
	done
}

tree_pinned() {
	mkdir $CG/pin
	# One mkdir or rmdir process for many cgroups (names: tree_names).
	# shellcheck disable=SC2046 # a list of paths
	mkdir $(tree_names $CG/pin/x 100)
	off=$(awk '/ path=\/pin\/x50 / { print o + 10; exit } { o += length($0) + 1 }' $TF)
	exec 4<$TF
	dd bs=1 count="${off:-100}" <&4 >/tmp/pin.head 2>/dev/null
	# shellcheck disable=SC2046
	rmdir $(tree_names $CG/pin/x 100)
	# shellcheck disable=SC2046
	mkdir $(tree_names $CG/pin/y 20)
	cat <&4 >/tmp/pin.tail
	exec 4<&-
	cat /tmp/pin.head /tmp/pin.tail >/tmp/pin.all
	if cgmask -f /tmp/pin.all tree >/dev/null 2>/tmp/pin.err; then
		echo "pinned_parse ok"
	else
		echo "pinned_parse bad: $(cat /tmp/pin.err)"
	fi
	echo "pinned_x $(grep -c ' path=/pin/x[0-9]* ' /tmp/pin.all)"
	echo "pinned_y $(grep -c ' path=/pin/y[0-9]* ' /tmp/pin.all)"
	echo "pinned_read_end $(tail -n 1 /tmp/pin.all)"
	# shellcheck disable=SC2046
	rmdir $(tree_names $CG/pin/y 20)
	rmdir $CG/pin
	i=0
	while [ $i -lt 50 ]; do
		d=$(sed -n 's/^nr_dying_descendants //p' $CG/cgroup.stat)
		[ "$d" = 0 ] && break
		sleep 0.2
		i=$((i + 1))
	done
	echo "nr_dying_descendants $d"
}

# Load/unload cycles, each with an unload tried while modcycle holds the
# file open, and modcycle's racer reading it meanwhile: every distinct
# text it read must parse (parse_kept, guest/init.sh).
tree_lifecycle() {
	rm -rf /tmp/tlife
	mkdir /tmp/tlife
	modcycle $KO cgmask 300 "$stress_seconds" $TF /tmp/tlife |
		sed 's/^lifecycle /tree_lifecycle /'
	parse_kept tl /tmp/tlife tree
}

tree_stress() {
	mkdir -p $CG/stable/1/2 $CG/churn $CG/zstable/1/2
	i=0
	while [ $i -lt 8 ]; do mkdir $CG/stable/s$i $CG/zstable/s$i; i=$((i + 1)); done
	echo "+pids" >$CG/churn/cgroup.subtree_control
	tree_stress_round
}

tree_scenario() {
	[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
	tree_build
	load tree && tree_collect tree
	item tree_stress readers tree_stress
	item tree_stress pinned tree_pinned
	item tree_stress rmmod rmmod cgmask
	item tree_stress lifecycle tree_lifecycle
	# The same with the module finding no kernel symbol (lookup=none).
	load tree_rcu lookup=none && tree_collect tree_rcu
	item tree_rcu_stress readers tree_stress_round
	item tree_rcu_stress pinned tree_pinned
	item tree_rcu_stress rmmod rmmod cgmask
	item tree_stress kmemleak kmemleak
}
