// SPDX-License-Identifier: GPL-2.0
/*
 * The model: names, lookups and the kernel's visibility rule.
 *
 * The rule is the one cgroup_init() and cgroup_control() apply
 * (kernel/cgroup/cgroup.c), written once over tri-state inputs so that a
 * source that knows only some flags gets "unknown" instead of a guess.
 */
#include <stdlib.h>
#include <string.h>

#include "cgmask.h"

const char *const mask_names[MASK_COUNT] = {
	"implicit", "inhibit", "threaded",
	"subsys_mask", "subtree_control", "root_controllers",
};

const char *const reason_names[R_COUNT] = {
	"disabled", "v1", "implicit", "inhibited",
};

const char *source_name(enum source s)
{
	switch (s) {
	case SRC_MODULE:
		return "module";
	case SRC_FTRACE:
		return "ftrace";
	case SRC_USERSPACE:
		return "userspace";
	}
	return "?";
}

void model_init(struct model *m, enum source s)
{
	memset(m, 0, sizeof(*m));
	m->source = s;
	m->subsys_count = -1;
	m->mask_width = -1;
	for (int k = 0; k < MASK_COUNT; k++)
		m->mask[k].agree = T_UNK;
}

/* Append a subsystem with every field unknown. */
struct cg_ss *model_add(struct model *m, const char *name)
{
	struct cg_ss *s;

	if (m->nss >= CG_MAX_SS || strlen(name) >= CG_NAME_LEN)
		return NULL;
	s = &m->ss[m->nss++];
	memset(s, 0, sizeof(*s));
	strcpy(s->name, name);
	s->id = -1;
	s->hierarchy_id = -1;
	s->enabled = s->on_dfl = s->visible = T_UNK;
	s->implicit_on_dfl = s->threaded = T_UNK;
	s->dfl_cftypes = s->legacy_cftypes = s->early_init = T_UNK;
	return s;
}

/* Index of the subsystem called name (v2 or v1 name), or -1. */
int model_find(const struct model *m, const char *name)
{
	for (int i = 0; i < m->nss; i++)
		if (!strcmp(m->ss[i].name, name))
			return i;
	for (int i = 0; i < m->nss; i++)
		if (m->ss[i].legacy_name[0] && !strcmp(m->ss[i].legacy_name, name))
			return i;
	return -1;
}

/*
 * Only io sets ss->legacy_name in any kernel (block/blk-cgroup.c); every
 * other subsystem's legacy name is its name. Userspace needs this to match
 * /proc/cgroups (legacy names) with cgroup.controllers (v2 names).
 */
static const struct { const char *name, *legacy; } legacy_table[] = {
	{ "io", "blkio" },
};

const char *legacy_of(const char *name)
{
	for (size_t i = 0; i < sizeof(legacy_table) / sizeof(legacy_table[0]); i++)
		if (!strcmp(legacy_table[i].name, name))
			return legacy_table[i].legacy;
	return name;
}

const char *v2_name_of(const char *legacy)
{
	for (size_t i = 0; i < sizeof(legacy_table) / sizeof(legacy_table[0]); i++)
		if (!strcmp(legacy_table[i].legacy, legacy))
			return legacy_table[i].name;
	return legacy;
}

bool ids_known(const struct model *m, uint64_t members)
{
	for (int i = 0; i < m->nss; i++)
		if ((members >> i & 1) && m->ss[i].id < 0)
			return false;
	return true;
}

uint64_t members_to_bits(const struct model *m, uint64_t members)
{
	uint64_t bits = 0;

	for (int i = 0; i < m->nss; i++)
		if ((members >> i & 1) && m->ss[i].id >= 0 && m->ss[i].id < 64)
			bits |= (uint64_t)1 << m->ss[i].id;
	return bits;
}

static tri t_not(tri a)
{
	return a == T_UNK ? T_UNK : !a;
}

static tri t_and(tri a, tri b)
{
	if (a == T_NO || b == T_NO)
		return T_NO;
	if (a == T_UNK || b == T_UNK)
		return T_UNK;
	return T_YES;
}

/* Is s in the kernel's mask? (cgroup_init(), cgroup_control()) */
static tri rule_member(const struct cg_ss *s, int mask)
{
	tri implicit = t_and(s->enabled, s->implicit_on_dfl);
	tri inhibit = t_and(s->enabled, t_and(t_not(s->implicit_on_dfl),
					      t_not(s->dfl_cftypes)));

	switch (mask) {
	case MASK_IMPLICIT:
		return implicit;
	case MASK_INHIBIT:
		return inhibit;
	case MASK_THREADED:
		return t_and(s->enabled, s->threaded);
	case MASK_SUBSYS:
		return t_and(s->enabled, s->on_dfl);
	case MASK_ROOT:
		return t_and(t_and(s->enabled, s->on_dfl),
			     t_and(t_not(implicit), t_not(inhibit)));
	}
	return T_UNK;	/* subtree_control is runtime state, no rule */
}

/*
 * The reasons of docs/format.md, from the flags. Sets visible too when the
 * source has not observed it directly.
 */
void rule_reasons(struct cg_ss *s)
{
	tri r[R_COUNT] = {
		[R_DISABLED] = t_not(s->enabled),
		[R_V1] = t_and(s->enabled, t_not(s->on_dfl)),
		[R_IMPLICIT] = rule_member(s, MASK_IMPLICIT),
		[R_INHIBITED] = rule_member(s, MASK_INHIBIT),
	};

	s->reasons = s->reasons_possible = 0;
	for (int i = 0; i < R_COUNT; i++) {
		if (r[i] == T_YES)
			s->reasons |= 1u << i;
		if (r[i] != T_NO)
			s->reasons_possible |= 1u << i;
	}
	if (s->visible == T_UNK)
		s->visible = rule_member(s, MASK_ROOT);
}

/*
 * Fill the masks a source did not set itself from the per-subsystem flags.
 * Names are known only when every subsystem's membership is and the list is
 * complete; the raw value only when the members' ids are known too.
 */
void model_derive(struct model *m)
{
	static const int derivable[] = {
		MASK_IMPLICIT, MASK_INHIBIT, MASK_THREADED, MASK_SUBSYS, MASK_ROOT,
	};

	for (size_t j = 0; j < sizeof(derivable) / sizeof(derivable[0]); j++) {
		struct cg_mask *mk = &m->mask[derivable[j]];
		uint64_t members = 0;
		bool known = m->complete;

		if (mk->names_known || mk->value_known)
			continue;
		for (int i = 0; i < m->nss && known; i++) {
			tri t = rule_member(&m->ss[i], derivable[j]);

			if (t == T_UNK)
				known = false;
			else if (t == T_YES)
				members |= (uint64_t)1 << i;
		}
		if (!known)
			continue;
		mk->names_known = true;
		mk->members = members;
		if (ids_known(m, members)) {
			mk->derived = mk->value = members_to_bits(m, members);
			mk->derived_known = mk->value_known = true;
		}
	}
}

/* Compare the leading "X.Y" of a release with major.minor: -1, 0, 1; -2 bad. */
int release_cmp(const char *release, int major, int minor)
{
	char *end;
	long x, y;

	x = strtol(release, &end, 10);
	if (end == release || *end != '.')
		return -2;
	release = end + 1;
	y = strtol(release, &end, 10);
	if (end == release)
		return -2;
	if (x != major)
		return x < major ? -1 : 1;
	if (y != minor)
		return y < minor ? -1 : 1;
	return 0;
}

/* Kernel mask width: u16 before Linux 7.0, u32 since (commit 5eab8c588bf3). */
int width_for_release(const char *release)
{
	int c = release_cmp(release, 7, 0);

	if (c == -2)
		return -1;
	return c < 0 ? 16 : 32;
}
