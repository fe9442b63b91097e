// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own rules, as pure functions over a snapshot, so that KUnit
 * can feed them synthetic tables. The rules are those of
 * kernel/cgroup/cgroup.c: cgroup_init() builds the three boot-time masks,
 * cgroup_control() decides what the root's cgroup.controllers shows.
 */
#include "cgmask.h"

/* The value cgmask reports: what was read from the kernel, else derived. */
cgmask_t cgmask_mask_value(const struct cgmask_mask *m)
{
	if (m->has_read)
		return m->read & CGMASK_ALL;
	if (m->has_derived)
		return m->derived & CGMASK_ALL;
	return 0;
}

/* cgroup_control() for the default root. */
cgmask_t cgmask_root_controllers(cgmask_t subsys, cgmask_t inhibit,
				 cgmask_t implicit)
{
	return subsys & ~(inhibit | implicit) & CGMASK_ALL;
}

static void cgmask_set_derived(struct cgmask_mask *m, cgmask_t v)
{
	m->has_derived = true;
	m->derived = v;
}

/*
 * Recompute what cgroup_init() computes at boot for every enabled
 * subsystem, and the default root's subsys_mask as rebind_subsystems()
 * keeps it, then apply cgroup_control() to the reported values.
 */
void cgmask_derive(struct cgmask_snapshot *snap)
{
	cgmask_t implicit = 0, inhibit = 0, threaded = 0, subsys = 0;
	struct cgmask_mask *masks = snap->masks;
	unsigned int i;

	for (i = 0; i < snap->nr_ss; i++) {
		const struct cgmask_ss *ss = &snap->ss[i];
		cgmask_t bit = (cgmask_t)BIT_ULL(i);

		if (!ss->enabled)
			continue;
		if (ss->bound_dfl)
			subsys |= bit;
		if (ss->implicit_on_dfl)
			implicit |= bit;
		else if (!ss->dfl_cftypes)
			inhibit |= bit;
		if (ss->threaded)
			threaded |= bit;
	}

	cgmask_set_derived(&masks[CGMASK_IMPLICIT], implicit);
	cgmask_set_derived(&masks[CGMASK_INHIBIT], inhibit);
	cgmask_set_derived(&masks[CGMASK_THREADED], threaded);
	cgmask_set_derived(&masks[CGMASK_SUBSYS], subsys);

	masks[CGMASK_ROOT_CTRL].has_read = false;
	masks[CGMASK_ROOT_CTRL].via = CGMASK_VIA_NONE;
	cgmask_set_derived(&masks[CGMASK_ROOT_CTRL],
			   cgmask_root_controllers(cgmask_mask_value(&masks[CGMASK_SUBSYS]),
						   cgmask_mask_value(&masks[CGMASK_INHIBIT]),
						   cgmask_mask_value(&masks[CGMASK_IMPLICIT])));
}

/* Every reason subsystem @id is missing from the root's cgroup.controllers. */
unsigned int cgmask_reasons(const struct cgmask_snapshot *snap, int id)
{
	const struct cgmask_mask *masks = snap->masks;
	cgmask_t bit = (cgmask_t)BIT_ULL(id);
	unsigned int why = 0;

	if (!snap->ss[id].enabled)
		why |= CGMASK_WHY_DISABLED;
	else if (!(cgmask_mask_value(&masks[CGMASK_SUBSYS]) & bit))
		why |= CGMASK_WHY_V1;
	if (cgmask_mask_value(&masks[CGMASK_IMPLICIT]) & bit)
		why |= CGMASK_WHY_IMPLICIT;
	if (cgmask_mask_value(&masks[CGMASK_INHIBIT]) & bit)
		why |= CGMASK_WHY_INHIBITED;
	return why;
}

bool cgmask_visible(const struct cgmask_snapshot *snap, int id)
{
	return cgmask_mask_value(&snap->masks[CGMASK_ROOT_CTRL]) & BIT_ULL(id);
}
