// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask_rule: module/rule.c over synthetic subsystem tables. Each table
 * is a kernel configuration in miniature; the expected masks are what
 * cgroup_init() and cgroup_control() in kernel/cgroup/cgroup.c give for it.
 */
#include "cgmask_kunit.h"

#include <linux/kernel.h>
#include <linux/string.h>

/* Row shorthands: bound to the default root and enabled, or not. */
#define DFL	.enabled = true, .bound_dfl = true
#define OFF	.enabled = false, .bound_dfl = true
#define V1	.enabled = true, .bound_dfl = false
#define IMP	.implicit_on_dfl = true
#define THR	.threaded = true
#define CFT	.dfl_cftypes = true

/* ------------------------------------------------------------ mask value */

struct cgm_value_case {
	const char *desc;
	bool has_read;
	u64 read;
	bool has_derived;
	u64 derived;
	u64 want;
};

static const struct cgm_value_case cgm_value_cases[] = {
	{ "neither", false, 0, false, 0, 0 },
	{ "read_only", true, 0x0100, false, 0, 0x0100 },
	{ "derived_only", false, 0, true, 0x0042, 0x0042 },
	{ "read_over_derived", true, 0x0001, true, 0x0002, 0x0001 },
	{ "read_zero_over_derived", true, 0, true, 0x0005, 0 },
	/* cgroup_no_v1=all stores U16_MAX (U32_MAX on 7.x) */
	{ "read_u16_all_ones", true, U16_MAX, false, 0, CGMASK_ALL },
	{ "read_u32_all_ones", true, U32_MAX, false, 0, CGMASK_ALL },
	{ "read_u64_all_ones", true, U64_MAX, true, 0, CGMASK_ALL },
	{ "derived_all_ones", false, 0, true, U64_MAX, CGMASK_ALL },
	{ "read_bit_beyond_count", true, BIT_ULL(CGROUP_SUBSYS_COUNT) | 1,
	  false, 0, 1 },
};

static void cgm_value_desc(const struct cgm_value_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cgm_value, cgm_value_cases, cgm_value_desc);

static void cgmask_mask_value_table(struct kunit *test)
{
	const struct cgm_value_case *c = test->param_value;
	struct cgmask_mask m = {
		.has_read = c->has_read,
		.read = c->read,
		.has_derived = c->has_derived,
		.derived = (cgmask_t)c->derived,
	};

	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&m), c->want);
}

/* ------------------------------------------------------ root controllers */

struct cgm_root_case {
	const char *desc;
	u64 subsys, inhibit, implicit, want;
};

static const struct cgm_root_case cgm_root_cases[] = {
	{ "empty", 0, 0, 0, 0 },
	{ "subsys_only", 0x0c1b, 0, 0, 0x0c1b },
	{ "inhibit_removes", 0x0c1b, 0x0002, 0, 0x0c19 },
	{ "implicit_removes", 0x0c1b, 0, 0x0008, 0x0c13 },
	{ "both_remove", 0x0fff, 0x02e4, 0x0100, 0x0c1b },
	{ "inhibit_outside_subsys", 0x0001, 0x0002, 0x0004, 0x0001 },
	{ "subsys_all_ones", U64_MAX, 0x0001, 0, CGMASK_ALL & ~1ULL },
};

static void cgm_root_desc(const struct cgm_root_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cgm_root, cgm_root_cases, cgm_root_desc);

static void cgmask_root_controllers_table(struct kunit *test)
{
	const struct cgm_root_case *c = test->param_value;
	u64 got = cgmask_root_controllers((cgmask_t)c->subsys,
					  (cgmask_t)c->inhibit,
					  (cgmask_t)c->implicit);

	KUNIT_EXPECT_EQ_MSG(test, got, c->want & CGMASK_ALL,
			    "subsys=0x%llx inhibit=0x%llx implicit=0x%llx",
			    c->subsys, c->inhibit, c->implicit);
}

/* ------------------------------------------------------ derive, reasons */

/* Debian 6.1 amd64, booted plainly: all 14 subsystems on the default root. */
static const struct cgm_row cgm_debian61[] = {
	{ "cpuset", DFL, THR, CFT },
	{ "cpu", DFL, THR, CFT },
	{ "cpuacct", DFL },
	{ "io", DFL, CFT },
	{ "memory", DFL, CFT },
	{ "devices", DFL },
	{ "freezer", DFL },
	{ "net_cls", DFL },
	{ "perf_event", DFL, IMP, THR },
	{ "net_prio", DFL },
	{ "hugetlb", DFL, CFT },
	{ "pids", DFL, THR, CFT },
	{ "rdma", DFL, CFT },
	{ "misc", DFL, CFT },
};

/* cgroup_disable=memory,net_cls: both still point at the default root. */
static const struct cgm_row cgm_disabled[] = {
	{ "cpuset", DFL, THR, CFT },
	{ "cpu", DFL, THR, CFT },
	{ "memory", OFF, CFT },
	{ "net_cls", OFF },
	{ "perf_event", OFF, IMP, THR },
	{ "pids", DFL, THR, CFT },
};

/* Implicit controllers must be threaded too (cgroup_init() WARNs). */
static const struct cgm_row cgm_implicit_threaded[] = {
	{ "cpu", DFL, THR, CFT },
	{ "perf_event", DFL, IMP, THR },
	/* booted with cgroup_debug: implicit, threaded, with v2 files */
	{ "debug", DFL, IMP, THR, CFT },
	/* implicit wins over inhibit: cgroup_init() uses else-if */
	{ "quiet", DFL, IMP },
};

/* Linux 5.3: hugetlb has no dfl_cftypes yet, so v2 inhibits it. */
static const struct cgm_row cgm_hugetlb53[] = {
	{ "cpuset", DFL, THR, CFT },
	{ "cpu", DFL, THR, CFT },
	{ "io", DFL, CFT },
	{ "memory", DFL, CFT },
	{ "perf_event", DFL, IMP, THR },
	{ "hugetlb", DFL },
	{ "pids", DFL, THR, CFT },
	{ "rdma", DFL, CFT },
};

/* freezer and cpu mounted as v1 hierarchies; one of them also disabled. */
static const struct cgm_row cgm_v1[] = {
	{ "cpuset", DFL, THR, CFT },
	{ "cpu", V1, THR, CFT },
	{ "memory", DFL, CFT },
	{ "freezer", V1 },
	{ "net_prio", .enabled = false, .bound_dfl = false },
};

/* The KUnit kernel: 15 subsystems, debug without cgroup_debug. */
static const struct cgm_row cgm_kunit61[] = {
	{ "cpuset", DFL, THR, CFT },
	{ "cpu", DFL, THR, CFT },
	{ "cpuacct", DFL },
	{ "io", DFL, CFT },
	{ "memory", DFL, CFT },
	{ "devices", DFL },
	{ "freezer", DFL },
	{ "net_cls", DFL },
	{ "perf_event", DFL, IMP, THR },
	{ "net_prio", DFL },
	{ "hugetlb", DFL, CFT },
	{ "pids", DFL, THR, CFT },
	{ "rdma", DFL, CFT },
	{ "misc", DFL, CFT },
	{ "debug", DFL },
};

struct cgm_derive_case {
	const char *desc;
	const struct cgm_row *rows;
	unsigned int n;
	const char *implicit, *inhibit, *threaded, *subsys, *root;
	/* "name:reasons name:reasons"; a subsystem not listed has none */
	const char *why;
};

static const struct cgm_derive_case cgm_derive_cases[] = {
	{
		"debian_6_1", cgm_debian61, ARRAY_SIZE(cgm_debian61),
		.implicit = "perf_event",
		.inhibit = "cpuacct,devices,freezer,net_cls,net_prio",
		.threaded = "cpuset,cpu,perf_event,pids",
		.subsys =
			"cpuset,cpu,cpuacct,io,memory,devices,freezer,net_cls,perf_event,net_prio,hugetlb,pids,rdma,misc",
		.root = "cpuset,cpu,io,memory,hugetlb,pids,rdma,misc",
		.why =
			"cpuacct:inhibited devices:inhibited freezer:inhibited net_cls:inhibited perf_event:implicit net_prio:inhibited",
	},
	{
		"disabled_on_dfl_root", cgm_disabled, ARRAY_SIZE(cgm_disabled),
		.implicit = "-",
		.inhibit = "-",
		.threaded = "cpuset,cpu,pids",
		.subsys = "cpuset,cpu,pids",
		.root = "cpuset,cpu,pids",
		.why = "memory:disabled net_cls:disabled perf_event:disabled",
	},
	{
		"implicit_and_threaded", cgm_implicit_threaded, ARRAY_SIZE(cgm_implicit_threaded),
		.implicit = "perf_event,debug,quiet",
		.inhibit = "-",
		.threaded = "cpu,perf_event,debug",
		.subsys = "cpu,perf_event,debug,quiet",
		.root = "cpu",
		.why = "perf_event:implicit debug:implicit quiet:implicit",
	},
	{
		"hugetlb_without_dfl_cftypes_5_3", cgm_hugetlb53, ARRAY_SIZE(cgm_hugetlb53),
		.implicit = "perf_event",
		.inhibit = "hugetlb",
		.threaded = "cpuset,cpu,perf_event,pids",
		.subsys = "cpuset,cpu,io,memory,perf_event,hugetlb,pids,rdma",
		.root = "cpuset,cpu,io,memory,pids,rdma",
		.why = "perf_event:implicit hugetlb:inhibited",
	},
	{
		"bound_to_v1", cgm_v1, ARRAY_SIZE(cgm_v1),
		.implicit = "-",
		.inhibit = "freezer",
		.threaded = "cpuset,cpu",
		.subsys = "cpuset,memory",
		.root = "cpuset,memory",
		.why = "cpu:v1 freezer:v1,inhibited net_prio:disabled",
	},
	{
		"kunit_6_1_no_cgroup_debug", cgm_kunit61, ARRAY_SIZE(cgm_kunit61),
		.implicit = "perf_event",
		.inhibit = "cpuacct,devices,freezer,net_cls,net_prio,debug",
		.threaded = "cpuset,cpu,perf_event,pids",
		.subsys =
			"cpuset,cpu,cpuacct,io,memory,devices,freezer,net_cls,perf_event,net_prio,hugetlb,pids,rdma,misc,debug",
		.root = "cpuset,cpu,io,memory,hugetlb,pids,rdma,misc",
		.why =
			"cpuacct:inhibited devices:inhibited freezer:inhibited net_cls:inhibited perf_event:implicit net_prio:inhibited debug:inhibited",
	},
	{
		"empty_table", NULL, 0,
		.implicit = "-", .inhibit = "-", .threaded = "-",
		.subsys = "-", .root = "-", .why = "",
	},
};

static void cgm_derive_desc(const struct cgm_derive_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cgm_derive, cgm_derive_cases, cgm_derive_desc);

/* The reasons @why lists for @name, "-" when it lists none. */
static const char *cgm_why_of(struct kunit *test, const char *why,
			      const char *name)
{
	size_t len = strlen(name);
	const char *p = why, *end;
	char *out;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == ':') {
			p += len + 1;
			end = strchrnul(p, ' ');
			out = kunit_kzalloc(test, end - p + 1, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, out);
			memcpy(out, p, end - p);
			return out;
		}
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return "-";
}

static void cgmask_derive_table(struct kunit *test)
{
	const struct cgm_derive_case *c = test->param_value;
	struct cgmask_snapshot *snap = cgm_snap_new(test, c->rows, c->n);
	unsigned int i;

	cgmask_derive(snap);

	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_IMPLICIT), c->implicit);
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_INHIBIT), c->inhibit);
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_THREADED), c->threaded);
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_SUBSYS), c->subsys);
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_ROOT_CTRL), c->root);
	for (i = 0; i < CGMASK_NR_MASKS; i++) {
		if (i == CGMASK_SUBTREE) {
			KUNIT_EXPECT_FALSE(test, snap->masks[i].has_derived);
			continue;
		}
		KUNIT_EXPECT_TRUE_MSG(test, snap->masks[i].has_derived,
				      "mask %u", i);
		KUNIT_EXPECT_FALSE_MSG(test, snap->masks[i].has_read,
				       "mask %u", i);
	}

	for (i = 0; i < snap->nr_ss; i++) {
		const char *name = snap->ss[i].name;
		unsigned int why = cgmask_reasons(snap, i);

		KUNIT_EXPECT_STREQ_MSG(test, cgm_reasons(test, why),
				       cgm_why_of(test, c->why, name),
				       "reasons of %s", name);
		KUNIT_EXPECT_EQ_MSG(test, cgmask_visible(snap, i), !why,
				    "%s: visible must mean no reason", name);
	}
}

/*
 * The reported value of a mask is the one read from the kernel; the root's
 * controllers and the reasons follow it, not the derivation.
 */
static void cgmask_derive_read_values_win(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_snap_new(test,
						    cgm_debian61, ARRAY_SIZE(cgm_debian61));
	struct cgmask_mask *implicit = &snap->masks[CGMASK_IMPLICIT];
	int memory = cgm_id(test, snap, "memory");

	implicit->has_read = true;
	implicit->read = cgm_mask(test, snap, "memory,perf_event");
	implicit->via = CGMASK_VIA_KPROBE;
	cgmask_derive(snap);

	CGM_EXPECT_MASK(test, snap, implicit->derived, "perf_event");
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_IMPLICIT),
			"memory,perf_event");
	KUNIT_EXPECT_EQ(test, implicit->via, CGMASK_VIA_KPROBE);
#ifdef CGMASK_KUNIT_SELFTEST_FAIL
	/* deliberately wrong: memory is implicit here */
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_ROOT_CTRL),
			"cpuset,cpu,io,memory,hugetlb,pids,rdma,misc");
#else
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_ROOT_CTRL),
			"cpuset,cpu,io,hugetlb,pids,rdma,misc");
#endif
	KUNIT_EXPECT_STREQ(test, cgm_reasons(test, cgmask_reasons(snap, memory)),
			   "implicit");
	KUNIT_EXPECT_FALSE(test, cgmask_visible(snap, memory));
}

/* cgroup_no_v1=all-style all-ones in a read mask never names phantoms. */
static void cgmask_derive_all_ones_read(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_snap_new(test,
						    cgm_debian61, ARRAY_SIZE(cgm_debian61));
	struct cgmask_mask *subsys = &snap->masks[CGMASK_SUBSYS];
	u64 rows;

	subsys->has_read = true;
	subsys->read = (cgmask_t)~0;
	cgmask_derive(snap);

	KUNIT_EXPECT_EQ(test, CGM_VALUE(snap, CGMASK_SUBSYS), (u64)CGMASK_ALL);
	KUNIT_EXPECT_EQ(test, CGM_VALUE(snap, CGMASK_ROOT_CTRL) & ~(u64)CGMASK_ALL,
			0ULL);
	/* the root shows the table's visible ones plus bits without a row */
	rows = GENMASK_ULL(ARRAY_SIZE(cgm_debian61) - 1, 0);
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_ROOT_CTRL) & rows,
			"cpuset,cpu,io,memory,hugetlb,pids,rdma,misc");
}

/* A stale read of root_controllers never survives cgmask_derive(). */
static void cgmask_derive_root_never_read(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_snap_new(test,
						    cgm_disabled, ARRAY_SIZE(cgm_disabled));
	struct cgmask_mask *root = &snap->masks[CGMASK_ROOT_CTRL];

	root->has_read = true;
	root->read = 0x3;
	root->via = CGMASK_VIA_PARAM;
	cgmask_derive(snap);

	KUNIT_EXPECT_FALSE(test, root->has_read);
	KUNIT_EXPECT_EQ(test, root->via, CGMASK_VIA_NONE);
	CGM_EXPECT_MASK(test, snap, CGM_VALUE(snap, CGMASK_ROOT_CTRL),
			"cpuset,cpu,pids");
}

/* Disabled wins over v1 and is reported alone when no mask has the bit. */
static void cgmask_reasons_disabled_not_v1(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_snap_new(test, cgm_v1, ARRAY_SIZE(cgm_v1));
	int net_prio = cgm_id(test, snap, "net_prio");

	cgmask_derive(snap);
	KUNIT_EXPECT_EQ(test, cgmask_reasons(snap, net_prio),
			(unsigned int)CGMASK_WHY_DISABLED);
}

static struct kunit_case cgmask_rule_cases[] = {
	KUNIT_CASE_PARAM(cgmask_mask_value_table, cgm_value_gen_params),
	KUNIT_CASE_PARAM(cgmask_root_controllers_table, cgm_root_gen_params),
	KUNIT_CASE_PARAM(cgmask_derive_table, cgm_derive_gen_params),
	KUNIT_CASE(cgmask_derive_read_values_win),
	KUNIT_CASE(cgmask_derive_all_ones_read),
	KUNIT_CASE(cgmask_derive_root_never_read),
	KUNIT_CASE(cgmask_reasons_disabled_not_v1),
	{}
};

static struct kunit_suite cgmask_rule_suite = {
	.name = "cgmask_rule",
	.test_cases = cgmask_rule_cases,
};

kunit_test_suite(cgmask_rule_suite);
