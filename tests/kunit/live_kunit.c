// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask_live: the module's snapshot of the running kernel against the
 * kernel's own answers: /proc/cgroups (legacy name, hierarchy id and
 * cgroup_ssid_enabled() of every subsystem), the root's cgroup.controllers
 * and cgroup.subtree_control as the kernel prints them, and every mask
 * read from kernel memory against its derivation.
 *
 * The files are read from where tests/kunit/run.sh's guest mounts them
 * (/proc, cgroup2 on /sys/fs/cgroup); a case whose file is missing skips.
 */
#include "cgmask_kunit.h"

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#define CGM_PROC_CGROUPS	"/proc/cgroups"
#define CGM_CGROUP2		"/sys/fs/cgroup"
#define CGM_FILE_MAX		4096

/* @path's contents, NUL-terminated; NULL (with *err) when it can't be read. */
static char *cgm_read_file(struct kunit *test, const char *path, int *err)
{
	struct file *f;
	char *buf;
	loff_t pos = 0;
	ssize_t n;
	size_t len = 0;

	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	buf = kunit_kzalloc(test, CGM_FILE_MAX, GFP_KERNEL);
	if (!buf) {
		filp_close(f, NULL);
		*err = -ENOMEM;
		return NULL;
	}
	while (len < CGM_FILE_MAX - 1) {
		n = kernel_read(f, buf + len, CGM_FILE_MAX - 1 - len, &pos);
		if (n <= 0)
			break;
		len += n;
	}
	filp_close(f, NULL);
	*err = 0;
	return buf;
}

static char *cgm_read_or_skip(struct kunit *test, const char *path)
{
	char *text;
	int err;

	text = cgm_read_file(test, path, &err);
	if (!text)
		kunit_skip(test, "cannot read %s (%d); the guest mounts it", path, err);
	return text;
}

/* Find symbols, take a snapshot, as cgmask.ko's init and read do. */
static struct cgmask_snapshot *cgm_live_snap(struct kunit *test)
{
	struct cgmask_snapshot *snap;
	int ret;

	KUNIT_ASSERT_EQ(test, cgmask_sym_init(), 0);
	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	ret = cgmask_snapshot_take(snap);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "cgmask_snapshot_take");
	return snap;
}

/* The mask named by a space- or newline-separated list of v2 names. */
static u64 cgm_mask_of_words(struct kunit *test,
			     const struct cgmask_snapshot *snap, char *text)
{
	char *s = text, *tok;
	u64 mask = 0;

	while ((tok = strsep(&s, "\n "))) {
		if (!*tok)
			continue;
		mask |= BIT_ULL(cgm_id(test, snap, tok));
	}
	return mask;
}

/* -------------------------------------------------------------- cases */

static void cgmask_sym_init_kprobe_finds_all(struct kunit *test)
{
	int i;

	if (!IS_ENABLED(CONFIG_KPROBES) || !IS_ENABLED(CONFIG_KALLSYMS_ALL))
		kunit_skip(test, "needs CONFIG_KPROBES and CONFIG_KALLSYMS_ALL");
	KUNIT_ASSERT_EQ(test, cgmask_sym_init(), 0);
	for (i = 0; i < CGMASK_NR_SYMS; i++) {
		KUNIT_EXPECT_NE_MSG(test, cgmask_sym_addr(i), 0UL, "symbol %d", i);
		KUNIT_EXPECT_EQ_MSG(test, cgmask_sym_via(i), CGMASK_VIA_KPROBE,
				    "symbol %d", i);
	}
}

/* What cgmask.ko's init checks before it publishes anything. */
static void cgmask_snapshot_take_validates(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_live_snap(test);
	char why[128] = "";

	KUNIT_EXPECT_EQ_MSG(test, cgmask_snapshot_validate(snap, cgmask_ss_names,
							   why, sizeof(why)),
			    0, "refused: %s", why);
	KUNIT_EXPECT_EQ(test, snap->nr_ss, (unsigned int)CGROUP_SUBSYS_COUNT);
	if (CGMASK_HAVE_CGROUP_MUTEX_EXPORT)
		KUNIT_EXPECT_EQ(test, snap->lock, CGMASK_LOCK_MUTEX);
}

static void cgm_mask_desc(const int *id, char *desc)
{
	static const char *const names[CGMASK_NR_MASKS] = {
		[CGMASK_IMPLICIT] = "implicit",
		[CGMASK_INHIBIT] = "inhibit",
		[CGMASK_THREADED] = "threaded",
		[CGMASK_SUBSYS] = "subsys_mask",
		[CGMASK_SUBTREE] = "subtree_control",
		[CGMASK_ROOT_CTRL] = "root_controllers",
	};

	strscpy(desc, names[*id], KUNIT_PARAM_DESC_SIZE);
}

static const int cgm_mask_ids[] = {
	CGMASK_IMPLICIT, CGMASK_INHIBIT, CGMASK_THREADED, CGMASK_SUBSYS,
};

KUNIT_ARRAY_PARAM(cgm_mask, cgm_mask_ids, cgm_mask_desc);

/* The kernel's boot-time masks, read, against cgmask_derive(). */
static void cgmask_live_read_matches_derived(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_live_snap(test);
	const struct cgmask_mask *m = &snap->masks[*(const int *)test->param_value];

	if (!m->has_read)
		kunit_skip(test, "not read: its symbol is not reachable on this kernel");
	KUNIT_ASSERT_TRUE(test, m->has_derived);
	KUNIT_EXPECT_EQ_MSG(test, m->read, (u64)m->derived,
			    "read {%s} derived {%s}",
			    cgm_render(test, snap, m->read),
			    cgm_render(test, snap, m->derived));
}

/* The root's cgroup.controllers, as the kernel prints it. */
static void cgmask_live_root_controllers_file(struct kunit *test)
{
	char *text = cgm_read_or_skip(test, CGM_CGROUP2 "/cgroup.controllers");
	struct cgmask_snapshot *snap = cgm_live_snap(test);
	u64 want = cgm_mask_of_words(test, snap, text);
	unsigned int i;

	KUNIT_EXPECT_EQ_MSG(test, CGM_VALUE(snap, CGMASK_ROOT_CTRL), want,
			    "cgmask {%s}, cgroup.controllers {%s}",
			    cgm_render(test, snap, CGM_VALUE(snap, CGMASK_ROOT_CTRL)),
			    cgm_render(test, snap, want));
	for (i = 0; i < snap->nr_ss; i++)
		KUNIT_EXPECT_EQ_MSG(test, cgmask_visible(snap, i),
				    !!(want & BIT_ULL(i)), "%s",
				    snap->ss[i].name);
}

static void cgmask_live_subtree_control_file(struct kunit *test)
{
	char *text = cgm_read_or_skip(test, CGM_CGROUP2 "/cgroup.subtree_control");
	struct cgmask_snapshot *snap = cgm_live_snap(test);
	u64 want = cgm_mask_of_words(test, snap, text);

	KUNIT_EXPECT_EQ_MSG(test, CGM_VALUE(snap, CGMASK_SUBTREE), want,
			    "cgmask {%s}, cgroup.subtree_control {%s}",
			    cgm_render(test, snap, CGM_VALUE(snap, CGMASK_SUBTREE)),
			    cgm_render(test, snap, want));
}

/* /proc/cgroups' row for @legacy: hierarchy id and enabled, or false. */
static bool cgm_proc_row(char *text, const char *legacy, int *hier,
			 int *enabled)
{
	char *s = text, *line, name[CGMASK_NAME_LEN + 1];
	int ncg;

	while ((line = strsep(&s, "\n"))) {
		if (sscanf(line, "%32s %d %d %d", name, hier, &ncg, enabled) == 4 &&
		    !strcmp(name, legacy))
			return true;
	}
	return false;
}

static void cgm_ss_desc(const int *id, char *desc)
{
	strscpy(desc, cgmask_ss_names[*id], KUNIT_PARAM_DESC_SIZE);
}

/* Every subsystem id of the headers, in order. */
static const int cgm_ss_ids[] = {
#define SUBSYS(_x) _x ## _cgrp_id,
#include <linux/cgroup_subsys.h>
#undef SUBSYS
};

KUNIT_ARRAY_PARAM(cgm_ss, cgm_ss_ids, cgm_ss_desc);

/*
 * One subsystem against /proc/cgroups, which prints ss->legacy_name,
 * ss->root->hierarchy_id and cgroup_ssid_enabled() (not exported).
 */
static void cgmask_live_ss_vs_proc_cgroups(struct kunit *test)
{
	int id = *(const int *)test->param_value;
	char *text = cgm_read_or_skip(test, CGM_PROC_CGROUPS);
	struct cgmask_snapshot *snap = cgm_live_snap(test);
	const struct cgmask_ss *ss = &snap->ss[id];
	int hier, enabled;

	KUNIT_EXPECT_EQ(test, ss->id, id);
	KUNIT_EXPECT_STREQ(test, ss->name, cgmask_ss_names[id]);
	if (!cgm_proc_row(text, ss->legacy_name, &hier, &enabled))
		kunit_skip(test, "%s has no row in /proc/cgroups on this kernel",
			   ss->legacy_name);
	KUNIT_EXPECT_EQ_MSG(test, ss->enabled, !!enabled, "enabled");
	KUNIT_EXPECT_TRUE_MSG(test, ss->root_known, "lock=%d", snap->lock);
	KUNIT_EXPECT_EQ_MSG(test, ss->hierarchy_id, hier, "hierarchy id");
	/* on_dfl is the kernel's static key, bound_dfl the root pointer */
	KUNIT_EXPECT_EQ(test, ss->on_dfl, ss->bound_dfl);
	KUNIT_EXPECT_EQ(test, ss->bound_dfl, hier == 0);
	/* in the default root's subsys_mask exactly when enabled and bound */
	KUNIT_EXPECT_EQ_MSG(test, !!(CGM_VALUE(snap, CGMASK_SUBSYS) & BIT_ULL(id)),
			    enabled && hier == 0, "subsys_mask {%s}",
			    cgm_render(test, snap, CGM_VALUE(snap, CGMASK_SUBSYS)));
}

/* A controller switched off with cgroup_disable= (run.sh: rdma). */
static void cgmask_live_disabled_controller(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_live_snap(test);
	unsigned int i, seen = 0;

	for (i = 0; i < snap->nr_ss; i++) {
		const struct cgmask_ss *ss = &snap->ss[i];

		if (ss->enabled)
			continue;
		seen++;
		KUNIT_EXPECT_TRUE_MSG(test, ss->bound_dfl, "%s", ss->name);
		KUNIT_EXPECT_TRUE_MSG(test, ss->on_dfl, "%s", ss->name);
		KUNIT_EXPECT_EQ_MSG(test, ss->hierarchy_id, 0, "%s", ss->name);
		KUNIT_EXPECT_STREQ_MSG(test, cgm_reasons(test, cgmask_reasons(snap, i)),
				       "disabled", "%s", ss->name);
		KUNIT_EXPECT_FALSE_MSG(test, cgmask_visible(snap, i), "%s", ss->name);
	}
	if (!seen)
		kunit_skip(test, "no controller disabled (boot with cgroup_disable=)");
}

/* A controller bound to a v1 hierarchy (run.sh mounts freezer). */
static void cgmask_live_v1_controller(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_live_snap(test);
	unsigned int i, seen = 0;

	for (i = 0; i < snap->nr_ss; i++) {
		const struct cgmask_ss *ss = &snap->ss[i];

		if (ss->bound_dfl || !ss->enabled)
			continue;
		seen++;
		KUNIT_EXPECT_FALSE_MSG(test, ss->on_dfl, "%s", ss->name);
		KUNIT_EXPECT_TRUE_MSG(test, ss->root_known, "%s", ss->name);
		KUNIT_EXPECT_GT_MSG(test, ss->hierarchy_id, 0, "%s", ss->name);
		KUNIT_EXPECT_TRUE_MSG(test, cgmask_reasons(snap, i) & CGMASK_WHY_V1,
				      "%s: reasons %s", ss->name,
				      cgm_reasons(test, cgmask_reasons(snap, i)));
		KUNIT_EXPECT_FALSE_MSG(test, cgmask_visible(snap, i), "%s", ss->name);
		kunit_info(test, "%s on v1 hierarchy %d name '%s'", ss->name,
			   ss->hierarchy_id, ss->hierarchy_name);
	}
	if (!seen)
		kunit_skip(test, "no controller bound to a v1 hierarchy");
}

static struct kunit_case cgmask_live_cases[] = {
	KUNIT_CASE(cgmask_sym_init_kprobe_finds_all),
	KUNIT_CASE(cgmask_snapshot_take_validates),
	KUNIT_CASE_PARAM(cgmask_live_read_matches_derived, cgm_mask_gen_params),
	KUNIT_CASE(cgmask_live_root_controllers_file),
	KUNIT_CASE(cgmask_live_subtree_control_file),
	KUNIT_CASE_PARAM(cgmask_live_ss_vs_proc_cgroups, cgm_ss_gen_params),
	KUNIT_CASE(cgmask_live_disabled_controller),
	KUNIT_CASE(cgmask_live_v1_controller),
	{}
};

static struct kunit_suite cgmask_live_suite = {
	.name = "cgmask_live",
	.test_cases = cgmask_live_cases,
};

kunit_test_suite(cgmask_live_suite);
