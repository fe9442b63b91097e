// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask_rule_u32: module/rule.c and module/emit.c built as for a Linux
 * 7.x kernel, whose subsystem masks are u32 and may name more than 16
 * subsystems (see cgmask_kunit_u32.h). The same source, the other width.
 */
#include "cgmask_kunit_u32.h"
#include "cgmask_kunit_seq.h"

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>

/* The 6.1 subsystems, dmem (6.14), then four that do not exist yet. */
static const char *const cgm_u32_names[CGM_U32_COUNT] = {
	"cpuset", "cpu", "cpuacct", "io", "memory", "devices", "freezer",
	"net_cls", "perf_event", "net_prio", "hugetlb", "pids", "rdma",
	"misc", "debug", "dmem", "x16", "x17", "x18", "x19",
};

/* All enabled on the default root with v2 files; callers adjust. */
static struct cgmask_snapshot *cgm_u32_snap(struct kunit *test)
{
	struct cgmask_snapshot *snap;
	unsigned int i;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	snap->nr_ss = CGM_U32_COUNT;
	for (i = 0; i < CGM_U32_COUNT; i++) {
		struct cgmask_ss *ss = &snap->ss[i];

		ss->id = i;
		strscpy(ss->name, cgm_u32_names[i], sizeof(ss->name));
		strscpy(ss->legacy_name, cgm_u32_names[i],
			sizeof(ss->legacy_name));
		ss->enabled = true;
		ss->bound_dfl = true;
		ss->on_dfl = true;
		ss->root_known = true;
		ss->dfl_cftypes = true;
	}
	return snap;
}

static void cgmask_u32_width(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(cgmask_t), sizeof(u32));
	KUNIT_EXPECT_EQ(test, (u64)CGMASK_WIDTH, 32ULL);
	KUNIT_EXPECT_EQ(test, (u64)CGMASK_ALL, 0xfffffULL);
}

/* U32_MAX as cgroup_no_v1=all stores it on 7.x: only 20 bits are real. */
static void cgmask_u32_mask_value_all_ones(struct kunit *test)
{
	struct cgmask_mask m = { .has_read = true, .read = U32_MAX };

	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&m), 0xfffffULL);
	m.read = U16_MAX;
	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&m), 0xffffULL);
	m.read = BIT_ULL(19) | BIT_ULL(20) | BIT_ULL(31);
	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&m), BIT_ULL(19));
	m.has_read = false;
	m.has_derived = true;
	m.derived = U32_MAX;
	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&m), 0xfffffULL);
}

static void cgmask_u32_root_controllers_high_bits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test,
			(u64)cgmask_root_controllers(U32_MAX, BIT(17), BIT(19)),
			0xfffffULL & ~(BIT_ULL(17) | BIT_ULL(19)));
	KUNIT_EXPECT_EQ(test,
			(u64)cgmask_root_controllers(BIT(16) | BIT(15), 0, BIT(15)),
			BIT_ULL(16));
}

/* Bits above 15 go through the derivation and the reasons unharmed. */
static void cgmask_u32_derive_high_ids(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_u32_snap(test);

	snap->ss[14].dfl_cftypes = false;	/* debug */
	snap->ss[16].implicit_on_dfl = true;	/* x16: implicit, threaded */
	snap->ss[16].threaded = true;
	snap->ss[17].dfl_cftypes = false;	/* x17: inhibited */
	snap->ss[18].enabled = false;		/* x18: disabled */
	snap->ss[19].bound_dfl = false;		/* x19: on a v1 hierarchy */
	cgmask_derive(snap);

	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&snap->masks[CGMASK_IMPLICIT]),
			BIT_ULL(16));
	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&snap->masks[CGMASK_INHIBIT]),
			BIT_ULL(14) | BIT_ULL(17));
	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&snap->masks[CGMASK_THREADED]),
			BIT_ULL(16));
	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&snap->masks[CGMASK_SUBSYS]),
			0xfffffULL & ~(BIT_ULL(18) | BIT_ULL(19)));
	KUNIT_EXPECT_EQ(test, (u64)cgmask_mask_value(&snap->masks[CGMASK_ROOT_CTRL]),
			0xfffffULL & ~(BIT_ULL(14) | BIT_ULL(16) | BIT_ULL(17) |
				       BIT_ULL(18) | BIT_ULL(19)));
	KUNIT_EXPECT_EQ(test, cgmask_reasons(snap, 15), 0U);
	KUNIT_EXPECT_TRUE(test, cgmask_visible(snap, 15));
	KUNIT_EXPECT_EQ(test, cgmask_reasons(snap, 16),
			(unsigned int)CGMASK_WHY_IMPLICIT);
	KUNIT_EXPECT_EQ(test, cgmask_reasons(snap, 17),
			(unsigned int)CGMASK_WHY_INHIBITED);
	KUNIT_EXPECT_EQ(test, cgmask_reasons(snap, 18),
			(unsigned int)CGMASK_WHY_DISABLED);
	KUNIT_EXPECT_EQ(test, cgmask_reasons(snap, 19),
			(unsigned int)CGMASK_WHY_V1);
	KUNIT_EXPECT_FALSE(test, cgmask_visible(snap, 19));
}

/* Masks print as 0x + 8 hex digits, names above bit 15 included. */
static void cgmask_u32_emit_mask_lines(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_u32_snap(test);
	struct seq_file *m;

	snap->ss[16].implicit_on_dfl = true;
	snap->ss[16].threaded = true;
	snap->masks[CGMASK_IMPLICIT].has_read = true;
	snap->masks[CGMASK_IMPLICIT].read = BIT(16);
	snap->masks[CGMASK_IMPLICIT].via = CGMASK_VIA_KPROBE;
	snap->masks[CGMASK_INHIBIT].has_read = true;
	snap->masks[CGMASK_INHIBIT].read = U32_MAX;	/* clamped */
	snap->masks[CGMASK_INHIBIT].via = CGMASK_VIA_PARAM;
	cgmask_derive(snap);

	m = cgm_seq_new(test, 4 * PAGE_SIZE);
	cgmask_emit(m, snap);

	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 0), "cgmask-format 1");
	KUNIT_EXPECT_NOT_NULL(test, strstr(cgm_seq_line(test, m, 1),
					   " subsys_count=20 mask_width=32 lock=mutex"));
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 2),
			   "mask name=implicit value=0x00010000 read=0x00010000 derived=0x00010000 agree=1 via=kprobe names=x16");
	/* read and derived print clamped, but agree compares them raw */
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 3),
			   "mask name=inhibit value=0x000fffff read=0x000fffff derived=0x00000000 agree=0 via=param names=cpuset,cpu,cpuacct,io,memory,devices,freezer,net_cls,perf_event,net_prio,hugetlb,pids,rdma,misc,debug,dmem,x16,x17,x18,x19");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 7),
			   "mask name=root_controllers value=0x00000000 read=- derived=0x00000000 agree=- via=- names=-");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 8 + 20),
			   "end subsystems=20");
}

static struct kunit_case cgmask_rule_u32_cases[] = {
	KUNIT_CASE(cgmask_u32_width),
	KUNIT_CASE(cgmask_u32_mask_value_all_ones),
	KUNIT_CASE(cgmask_u32_root_controllers_high_bits),
	KUNIT_CASE(cgmask_u32_derive_high_ids),
	KUNIT_CASE(cgmask_u32_emit_mask_lines),
	{}
};

static struct kunit_suite cgmask_rule_u32_suite = {
	.name = "cgmask_rule_u32",
	.test_cases = cgmask_rule_u32_cases,
};

kunit_test_suite(cgmask_rule_u32_suite);
