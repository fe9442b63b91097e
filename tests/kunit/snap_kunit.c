// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask_snap: cgmask_snapshot_validate(), the check that makes cgmask.ko
 * refuse to load on a kernel that is not the one it was built for. Each
 * case damages one field of an otherwise valid snapshot.
 */
#include "cgmask_kunit.h"

#include <linux/kernel.h>
#include <linux/string.h>

#define CGM_WHY_LEN	128

/* A snapshot that must validate: the headers' subsystems, in id order. */
static struct cgmask_snapshot *cgm_valid_snap(struct kunit *test)
{
	struct cgmask_snapshot *snap;
	unsigned int i;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	snap->nr_ss = CGROUP_SUBSYS_COUNT;
	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		struct cgmask_ss *ss = &snap->ss[i];

		ss->id = i;
		strscpy(ss->name, cgmask_ss_names[i], sizeof(ss->name));
		strscpy(ss->legacy_name, cgmask_ss_names[i],
			sizeof(ss->legacy_name));
		ss->enabled = true;
		ss->bound_dfl = true;
		ss->on_dfl = true;
		ss->root_known = true;
	}
	for (i = 0; i < CGMASK_NR_MASKS; i++) {
		snap->masks[i].has_read = i != CGMASK_ROOT_CTRL;
		snap->masks[i].read = CGMASK_ALL;
	}
	cgmask_derive(snap);
	return snap;
}

static void cgmask_snapshot_validate_accepts_headers(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_valid_snap(test);
	char why[CGM_WHY_LEN] = "untouched";

	KUNIT_EXPECT_EQ(test, cgmask_snapshot_validate(snap, cgmask_ss_names,
						       why, sizeof(why)), 0);
	KUNIT_EXPECT_STREQ(test, why, "untouched");
}

struct cgm_validate_case {
	const char *desc;
	void (*damage)(struct cgmask_snapshot *snap);
	int ret;
	const char *why;	/* substring of the reason */
};

static void cgm_nr_short(struct cgmask_snapshot *s)
{
	s->nr_ss--;
}

static void cgm_nr_long(struct cgmask_snapshot *s)
{
	s->nr_ss++;
}

static void cgm_id_shifted(struct cgmask_snapshot *s)
{
	s->ss[3].id = 4;
}

static void cgm_id_negative(struct cgmask_snapshot *s)
{
	s->ss[0].id = -1;
}

static void cgm_name_empty(struct cgmask_snapshot *s)
{
	s->ss[2].name[0] = '\0';
}

static void cgm_name_space(struct cgmask_snapshot *s)
{
	strscpy(s->ss[2].name, "me mory", CGMASK_NAME_LEN);
}

static void cgm_name_ctrl(struct cgmask_snapshot *s)
{
	strscpy(s->ss[2].name, "cpu\n", CGMASK_NAME_LEN);
}

static void cgm_name_high(struct cgmask_snapshot *s)
{
	strscpy(s->ss[2].name, "cpu\xff", CGMASK_NAME_LEN);
}

static void cgm_legacy_empty(struct cgmask_snapshot *s)
{
	s->ss[1].legacy_name[0] = '\0';
}

static void cgm_names_swapped(struct cgmask_snapshot *s)
{
	strscpy(s->ss[0].name, cgmask_ss_names[1], CGMASK_NAME_LEN);
	strscpy(s->ss[1].name, cgmask_ss_names[0], CGMASK_NAME_LEN);
}

static void cgm_name_longer(struct cgmask_snapshot *s)
{
	strlcat(s->ss[0].name, "x", CGMASK_NAME_LEN);
}

static void cgm_depends_beyond(struct cgmask_snapshot *s)
{
	s->ss[1].depends_on = BIT(CGROUP_SUBSYS_COUNT);
}

static void cgm_depends_inside(struct cgmask_snapshot *s)
{
	s->ss[1].depends_on = CGMASK_ALL;
}

static void cgm_hierarchy_negative(struct cgmask_snapshot *s)
{
	s->ss[1].hierarchy_id = -1;
}

static void cgm_hierarchy_unknown(struct cgmask_snapshot *s)
{
	s->ss[1].root_known = false;
	s->ss[1].hierarchy_id = -1;
}

/* cgroup_no_v1=all style: U16_MAX where only COUNT bits are subsystems. */
static void cgm_implicit_all_ones(struct cgmask_snapshot *s)
{
	s->masks[CGMASK_IMPLICIT].read = (u64)CGMASK_ALL | BIT_ULL(CGROUP_SUBSYS_COUNT);
}

/* A u32 read of a u16 variable picks up its neighbour. */
static void cgm_inhibit_wide_read(struct cgmask_snapshot *s)
{
	s->masks[CGMASK_INHIBIT].read = 0xdead0000ULL | 0x1;
}

static void cgm_subtree_beyond(struct cgmask_snapshot *s)
{
	s->masks[CGMASK_SUBTREE].read = BIT_ULL(CGROUP_SUBSYS_COUNT);
}

/* Derived values are the module's own; only reads are checked. */
static void cgm_unread_beyond(struct cgmask_snapshot *s)
{
	s->masks[CGMASK_THREADED].has_read = false;
	s->masks[CGMASK_THREADED].read = U64_MAX;
}

static const struct cgm_validate_case cgm_validate_cases[] = {
	{ "nr_ss_short", cgm_nr_short, -EINVAL, "subsystems, headers say" },
	{ "nr_ss_long", cgm_nr_long, -EINVAL, "subsystems, headers say" },
	{ "id_shifted", cgm_id_shifted, -EINVAL, "subsystem 3 reports id 4" },
	{ "id_negative", cgm_id_negative, -EINVAL, "subsystem 0 reports id -1" },
	{ "name_empty", cgm_name_empty, -EINVAL, "2 has no short printable" },
	{ "name_space", cgm_name_space, -EINVAL, "2 has no short printable" },
	{ "name_control_char", cgm_name_ctrl, -EINVAL, "2 has no short printable" },
	/*
	 * The kernel's ctype is Latin-1: isalnum(0xff) is true, so only the
	 * comparison with the headers' name refuses this one.
	 */
	{ "name_high_byte", cgm_name_high, -EINVAL, "subsystem 2 " },
	{ "legacy_name_empty", cgm_legacy_empty, -EINVAL, "1 has no short printable" },
	{ "names_swapped", cgm_names_swapped, -EINVAL, "subsystem 0 is named" },
	{ "name_longer", cgm_name_longer, -EINVAL, "subsystem 0 is named" },
	{ "depends_on_beyond", cgm_depends_beyond, -EINVAL, "depends_on has bits beyond" },
	{ "depends_on_all", cgm_depends_inside, 0, NULL },
	{ "hierarchy_negative", cgm_hierarchy_negative, -EINVAL, "has hierarchy id -1" },
	{ "hierarchy_unknown", cgm_hierarchy_unknown, 0, NULL },
	{ "implicit_all_ones", cgm_implicit_all_ones, -EINVAL, "implicit_ss_mask has bits" },
	{ "inhibit_wide_read", cgm_inhibit_wide_read, -EINVAL, "inhibit_ss_mask has bits" },
	{ "subtree_control_beyond", cgm_subtree_beyond, -EINVAL, "subtree_control has bits" },
	{ "unread_mask_ignored", cgm_unread_beyond, 0, NULL },
};

static void cgm_validate_desc(const struct cgm_validate_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cgm_validate, cgm_validate_cases, cgm_validate_desc);

static void cgmask_snapshot_validate_table(struct kunit *test)
{
	const struct cgm_validate_case *c = test->param_value;
	struct cgmask_snapshot *snap = cgm_valid_snap(test);
	char why[CGM_WHY_LEN] = "";
	int ret;

	c->damage(snap);
	ret = cgmask_snapshot_validate(snap, cgmask_ss_names, why, sizeof(why));
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "why: %s", why);
	if (c->why)
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, c->why),
					  "why '%s' lacks '%s'", why, c->why);
}

/* The reason is cut to the buffer, NUL-terminated (KASAN watches). */
static void cgmask_snapshot_validate_short_why(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_valid_snap(test);
	char *why = kunit_kzalloc(test, 8, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, why);
	cgm_depends_beyond(snap);
	KUNIT_EXPECT_EQ(test, cgmask_snapshot_validate(snap, cgmask_ss_names,
						       why, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, strnlen(why, 8), (size_t)7);
}

/* The names table is the headers' subsystem order (ids count from 0). */
static void cgmask_ss_names_match_ids(struct kunit *test)
{
#define CGM_NAME(_x)	#_x
	static const char *const want[] = {
#define SUBSYS(_x) CGM_NAME(_x),
#include <linux/cgroup_subsys.h>
#undef SUBSYS
	};
#undef CGM_NAME
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(cgmask_ss_names), ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_STREQ(test, cgmask_ss_names[i], want[i]);
}

static struct kunit_case cgmask_snap_cases[] = {
	KUNIT_CASE(cgmask_snapshot_validate_accepts_headers),
	KUNIT_CASE_PARAM(cgmask_snapshot_validate_table, cgm_validate_gen_params),
	KUNIT_CASE(cgmask_snapshot_validate_short_why),
	KUNIT_CASE(cgmask_ss_names_match_ids),
	{}
};

static struct kunit_suite cgmask_snap_suite = {
	.name = "cgmask_snap",
	.test_cases = cgmask_snap_cases,
};

kunit_test_suite(cgmask_snap_suite);
