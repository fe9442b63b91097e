// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot: copy the kernel's cgroup subsystem state into a plain struct,
 * consistently, and check that it looks like what cgmask was built for.
 *
 * The subsystems are reached without kallsyms: init_task's css_set points
 * at a css of every compiled-in subsystem (cgroup_init_subsys() fills it
 * even for subsystems disabled at boot), and each css points at its
 * struct cgroup_subsys. Enabled state and binding come from the exported
 * per-subsystem static keys and from comparing ss->root with the exported
 * cgrp_dfl_root. Only the three boot-time masks and cgroup_mutex need
 * kallsyms (sym.c).
 */
#include "cgmask.h"

#include <linux/cgroup.h>
#include <linux/jump_label.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define CGMASK_RCU_TRIES	8

/*
 * Tables in id order: <linux/cgroup_subsys.h> lists the subsystems in the
 * order that numbers them (enum cgroup_subsys_id).
 */
#define CGMASK_SS_NAME(_x)	#_x
#define CGMASK_SS_KEY(_x, _k)	(&_x ## _cgrp_subsys_ ## _k ## _key)

#define SUBSYS(_x) CGMASK_SS_NAME(_x),
const char *const cgmask_ss_names[CGROUP_SUBSYS_COUNT] = {
#include <linux/cgroup_subsys.h>
};

#undef SUBSYS
#define SUBSYS(_x) CGMASK_SS_KEY(_x, enabled),
static struct static_key_true *const cgmask_enabled_key[CGROUP_SUBSYS_COUNT] = {
#include <linux/cgroup_subsys.h>
};

#undef SUBSYS
#define SUBSYS(_x) CGMASK_SS_KEY(_x, on_dfl),
static struct static_key_true *const cgmask_on_dfl_key[CGROUP_SUBSYS_COUNT] = {
#include <linux/cgroup_subsys.h>
};

#undef SUBSYS

static struct mutex *cgmask_cgroup_mutex(void)
{
#if CGMASK_HAVE_CGROUP_MUTEX_EXPORT
	return &cgroup_mutex;
#else
	return (struct mutex *)cgmask_sym_addr(CGMASK_SYM_MUTEX);
#endif
}

/* Caller holds rcu_read_lock(), and cgroup_mutex when @deref_root. */
static void cgmask_read_ss(struct cgmask_ss *out, int i,
			   const struct css_set *cset, bool deref_root)
{
	const struct cgroup_subsys *ss = cset->subsys[i]->ss;
	const struct cgroup_root *root = READ_ONCE(ss->root);

	out->id = ss->id;
	strscpy(out->name, ss->name ? ss->name : "", sizeof(out->name));
	strscpy(out->legacy_name, ss->legacy_name ? ss->legacy_name : "",
		sizeof(out->legacy_name));
	out->enabled = static_key_enabled(cgmask_enabled_key[i]);
	out->on_dfl = static_key_enabled(cgmask_on_dfl_key[i]);
	out->bound_dfl = root == &cgrp_dfl_root;
	out->implicit_on_dfl = ss->implicit_on_dfl;
	out->threaded = ss->threaded;
	out->early_init = ss->early_init;
	out->dfl_cftypes = ss->dfl_cftypes;
	out->legacy_cftypes = ss->legacy_cftypes;
	out->depends_on = ss->depends_on;

	if (out->bound_dfl) {
		out->root_known = true;
		out->hierarchy_id = cgrp_dfl_root.hierarchy_id;
	} else if (deref_root && root) {
		out->root_known = true;
		out->hierarchy_id = root->hierarchy_id;
		strscpy(out->hierarchy_name, root->name,
			sizeof(out->hierarchy_name));
	}
}

/* Everything that can change at runtime. */
static void cgmask_read_live(struct cgmask_snapshot *snap, bool deref_root)
{
	struct cgmask_mask *subsys = &snap->masks[CGMASK_SUBSYS];
	struct cgmask_mask *subtree = &snap->masks[CGMASK_SUBTREE];
	const struct css_set *cset;
	int i;

	memset(snap->ss, 0, sizeof(snap->ss));
	rcu_read_lock();
	cset = rcu_dereference(init_task.cgroups);
	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++)
		cgmask_read_ss(&snap->ss[i], i, cset, deref_root);
	rcu_read_unlock();
	snap->nr_ss = CGROUP_SUBSYS_COUNT;

	subsys->has_read = true;
	subsys->via = CGMASK_VIA_EXPORT;
	subsys->read = READ_ONCE(cgrp_dfl_root.subsys_mask);
	subtree->has_read = true;
	subtree->via = CGMASK_VIA_EXPORT;
	subtree->read = READ_ONCE(cgrp_dfl_root.cgrp.subtree_control);
}

/* Without cgroup_mutex: read until two reads agree. */
static int cgmask_read_live_rcu(struct cgmask_snapshot *snap)
{
	struct cgmask_snapshot *again;
	bool deref = CGMASK_ROOTS_RCU_FREED;
	int tries, ret = -EAGAIN;

	again = kzalloc(sizeof(*again), GFP_KERNEL);
	if (!again)
		return -ENOMEM;
	cgmask_read_live(snap, deref);
	for (tries = 0; tries < CGMASK_RCU_TRIES; tries++) {
		cgmask_read_live(again, deref);
		if (!memcmp(snap->ss, again->ss, sizeof(snap->ss)) &&
		    !memcmp(snap->masks, again->masks, sizeof(snap->masks))) {
			ret = 0;
			break;
		}
		memcpy(snap, again, sizeof(*snap));
		cond_resched();
	}
	kfree(again);
	snap->lock = deref ? CGMASK_LOCK_RCU : CGMASK_LOCK_NONE;
	return ret;
}

/* The boot-time masks never change after cgroup_init(): no lock needed. */
static void cgmask_read_static(struct cgmask_snapshot *snap)
{
	static const enum cgmask_sym_id sym[] = {
		[CGMASK_IMPLICIT] = CGMASK_SYM_IMPLICIT,
		[CGMASK_INHIBIT] = CGMASK_SYM_INHIBIT,
		[CGMASK_THREADED] = CGMASK_SYM_THREADED,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(sym); i++) {
		struct cgmask_mask *m = &snap->masks[i];
		unsigned long addr = cgmask_sym_addr(sym[i]);
		cgmask_t v;

		if (!addr || copy_from_kernel_nofault(&v, (void *)addr, sizeof(v)))
			continue;
		m->has_read = true;
		m->read = v;
		m->via = cgmask_sym_via(sym[i]);
	}
}

int cgmask_snapshot_take(struct cgmask_snapshot *snap)
{
	struct mutex *mtx = cgmask_cgroup_mutex();
	int ret;

	memset(snap, 0, sizeof(*snap));
	if (mtx) {
		ret = mutex_lock_killable(mtx);
		if (ret)
			return ret;
		cgmask_read_live(snap, true);
		mutex_unlock(mtx);
		snap->lock = CGMASK_LOCK_MUTEX;
	} else {
		ret = cgmask_read_live_rcu(snap);
		if (ret)
			return ret;
	}
	cgmask_read_static(snap);
	cgmask_derive(snap);
	return 0;
}

/* ASCII only: the kernel's isalnum() also accepts Latin-1 letters. */
static bool cgmask_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static bool cgmask_printable(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!cgmask_name_char(*s))
			return false;
	return true;
}

/*
 * 0 when @snap looks like the kernel the module was built for: ids equal
 * their index, names are those of the headers, every mask bit names a
 * subsystem. Otherwise -EINVAL and a one-line reason in @why.
 */
int cgmask_snapshot_validate(const struct cgmask_snapshot *snap,
			     const char *const *names, char *why,
			     size_t why_len)
{
	static const char *const mask_sym[CGMASK_NR_MASKS] = {
		[CGMASK_IMPLICIT] = "cgrp_dfl_implicit_ss_mask",
		[CGMASK_INHIBIT] = "cgrp_dfl_inhibit_ss_mask",
		[CGMASK_THREADED] = "cgrp_dfl_threaded_ss_mask",
		[CGMASK_SUBSYS] = "cgrp_dfl_root.subsys_mask",
		[CGMASK_SUBTREE] = "cgrp_dfl_root.cgrp.subtree_control",
	};
	unsigned int i;

	if (snap->nr_ss != CGROUP_SUBSYS_COUNT) {
		snprintf(why, why_len, "found %u subsystems, headers say %d",
			 snap->nr_ss, CGROUP_SUBSYS_COUNT);
		return -EINVAL;
	}
	for (i = 0; i < snap->nr_ss; i++) {
		const struct cgmask_ss *ss = &snap->ss[i];

		if (ss->id != i) {
			snprintf(why, why_len, "subsystem %u reports id %d",
				 i, ss->id);
			return -EINVAL;
		}
		if (!cgmask_printable(ss->name) ||
		    !cgmask_printable(ss->legacy_name)) {
			snprintf(why, why_len,
				 "subsystem %u has no short printable name", i);
			return -EINVAL;
		}
		if (strcmp(ss->name, names[i])) {
			snprintf(why, why_len,
				 "subsystem %u is named %s, headers say %s",
				 i, ss->name, names[i]);
			return -EINVAL;
		}
		if (ss->depends_on & ~(unsigned int)CGMASK_ALL) {
			snprintf(why, why_len,
				 "subsystem %s depends_on has bits beyond the %d subsystems",
				 ss->name, CGROUP_SUBSYS_COUNT);
			return -EINVAL;
		}
		if (ss->root_known && ss->hierarchy_id < 0) {
			snprintf(why, why_len,
				 "subsystem %s has hierarchy id %d",
				 ss->name, ss->hierarchy_id);
			return -EINVAL;
		}
	}
	for (i = 0; i < CGMASK_NR_MASKS; i++) {
		const struct cgmask_mask *m = &snap->masks[i];

		if (m->has_read && (m->read & ~CGMASK_ALL)) {
			snprintf(why, why_len,
				 "%s has bits beyond the %d subsystems (wrong symbol or mask width?)",
				 mask_sym[i], CGROUP_SUBSYS_COUNT);
			return -EINVAL;
		}
	}
	return 0;
}
