// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask_cgroups: module/cgroups.c's per-cgroup rules over synthetic
 * cgroups (cgroup.type, cgroup.controllers, live csses) and its record
 * formatting. The helpers under test are static, so this file includes
 * cgroups.c and is that translation unit (the kernel's own pattern for
 * testing static functions); cgroups.c stays unchanged.
 */
#include "../../module/cgroups.c"

#include "cgmask_kunit.h"

#include <linux/percpu-refcount.h>

/*
 * A small tree of zeroed struct cgroups, linked the way the kernel links
 * them: self.parent, dom_cgrp (itself for a domain, the thread root for a
 * threaded cgroup), nr_threaded_children, subtree_control.
 */
struct cgm_tree {
	struct cgroup root, a, t, inv, b;
};

static void cgm_link(struct cgroup *cgrp, struct cgroup *parent,
		     struct cgroup *dom)
{
	cgrp->self.cgroup = cgrp;
	cgrp->self.parent = parent ? &parent->self : NULL;
	cgrp->dom_cgrp = dom;
	cgrp->level = parent ? parent->level + 1 : 0;
}

/*
 * root
 *   a    domain with a threaded child: "domain threaded"
 *     t    threaded, dom_cgrp = a
 *       inv  a domain under a threaded cgroup: "domain invalid"
 *   b    a plain domain
 */
static struct cgm_tree *cgm_tree_new(struct kunit *test)
{
	struct cgm_tree *tr = kunit_kzalloc(test, sizeof(*tr), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tr);
	cgm_link(&tr->root, NULL, &tr->root);
	cgm_link(&tr->a, &tr->root, &tr->a);
	cgm_link(&tr->t, &tr->a, &tr->a);
	cgm_link(&tr->inv, &tr->t, &tr->inv);
	cgm_link(&tr->b, &tr->root, &tr->b);
	tr->a.nr_threaded_children = 1;
	return tr;
}

static void cgmask_cg_type_tree(struct kunit *test)
{
	struct cgm_tree *tr = cgm_tree_new(test);
	cgmask_t threaded = BIT(1);

	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(&tr->root, threaded), "domain");
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(&tr->a, threaded),
			   "domain_threaded");
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(&tr->t, threaded), "threaded");
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(&tr->inv, threaded),
			   "domain_invalid");
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(&tr->b, threaded), "domain");
}

/* The root says only whether it has threaded children. */
static void cgmask_cg_type_root_threaded_children(struct kunit *test)
{
	struct cgm_tree *tr = cgm_tree_new(test);

	tr->root.nr_threaded_children = 1;
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(&tr->root, 0), "domain_threaded");
}

/*
 * A domain whose parent (not the root) is a thread root is invalid: the
 * parent has tasks and a threaded controller in its subtree_control.
 */
static void cgmask_cg_type_under_populated_thread_root(struct kunit *test)
{
	struct cgm_tree *tr = cgm_tree_new(test);
	struct cgroup *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	cgmask_t threaded = BIT(1);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	cgm_link(c, &tr->b, c);
#ifdef CGMASK_SELF_POPULATED
	tr->b.self.nr_populated_csets = 1;
#else
	tr->b.nr_populated_csets = 1;
#endif
	tr->b.subtree_control = BIT(0);
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(c, threaded), "domain");
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(&tr->b, threaded), "domain");
	tr->b.subtree_control = BIT(0) | BIT(1);
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(&tr->b, threaded),
			   "domain_threaded");
	KUNIT_EXPECT_STREQ(test, cgmask_cg_type(c, threaded), "domain_invalid");
}

/* cgroup.controllers below the root: the parent's subtree_control. */
static void cgmask_cg_control_child(struct kunit *test)
{
	struct cgm_tree *tr = cgm_tree_new(test);
	struct cgmask_cg_iter it = { .threaded = BIT(1), .hidden = BIT(2) };

	tr->root.subtree_control = BIT(0) | BIT(1) | BIT(3);
	tr->a.subtree_control = BIT(0) | BIT(1);
	KUNIT_EXPECT_EQ(test, (u64)cgmask_cg_control(&it, &tr->a),
			(u64)(BIT(0) | BIT(1) | BIT(3)));
	KUNIT_EXPECT_EQ(test, (u64)cgmask_cg_control(&it, &tr->b),
			(u64)(BIT(0) | BIT(1) | BIT(3)));
	/* Threaded: only the threaded controllers of the parent's set. */
	KUNIT_EXPECT_EQ(test, (u64)cgmask_cg_control(&it, &tr->t), (u64)BIT(1));
	/* Domain invalid, under threaded t with an empty subtree_control. */
	KUNIT_EXPECT_EQ(test, (u64)cgmask_cg_control(&it, &tr->inv), 0ULL);
}

/* The root: the kernel's subsys_mask minus the hidden controllers. */
static void cgmask_cg_control_root(struct kunit *test)
{
	struct cgm_tree *tr = cgm_tree_new(test);
	cgmask_t subsys = READ_ONCE(cgrp_dfl_root.subsys_mask);
	struct cgmask_cg_iter it = { .hidden = 0 };

	KUNIT_EXPECT_EQ(test, (u64)cgmask_cg_control(&it, &tr->root),
			(u64)(subsys & CGMASK_ALL));
	it.hidden = subsys;
	KUNIT_EXPECT_EQ(test, (u64)cgmask_cg_control(&it, &tr->root), 0ULL);
}

/* Bits past CGROUP_SUBSYS_COUNT in a parent's mask never show. */
static void cgmask_cg_control_stray_bits(struct kunit *test)
{
	struct cgm_tree *tr = cgm_tree_new(test);
	struct cgmask_cg_iter it = { 0 };

	if (CGROUP_SUBSYS_COUNT >= CGMASK_WIDTH)
		kunit_skip(test, "every bit of the mask is a subsystem");
	tr->root.subtree_control = (cgmask_t)~0ULL;
	KUNIT_EXPECT_EQ(test, (u64)cgmask_cg_control(&it, &tr->a),
			(u64)CGMASK_ALL);
}

/* A css counts when it is online and not dying. */
static void cgmask_cg_live_flags(struct kunit *test)
{
	struct cgm_tree *tr = cgm_tree_new(test);
	struct cgroup_subsys_state *css;
	int i;

	if (CGROUP_SUBSYS_COUNT < 3)
		kunit_skip(test, "fewer than 3 subsystems");
	css = kunit_kcalloc(test, 3, sizeof(*css), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, css);
	for (i = 0; i < 3; i++) {
		css[i].cgroup = &tr->a;
		css[i].flags = CSS_NO_REF;
		RCU_INIT_POINTER(tr->a.subsys[i], &css[i]);
	}
	css[0].flags |= CSS_ONLINE;		/* live */
	/* css[1]: offline */
	css[2].flags = CSS_ONLINE;		/* online but dying */
	css[2].refcnt.percpu_count_ptr = __PERCPU_REF_DEAD;
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, (u64)cgmask_cg_live(&tr->a), (u64)BIT(0));
	rcu_read_unlock();
}

static void cgmask_cg_hex_width(struct kunit *test)
{
	char buf[64], *end;

	end = cgmask_cg_hex(buf, "css", 0x1b);
	*end = '\0';
	if (CGMASK_WIDTH == 16)
		KUNIT_EXPECT_STREQ(test, buf, " css=0x001b");
	else
		KUNIT_EXPECT_STREQ(test, buf, " css=0x0000001b");
	end = cgmask_cg_key(buf, "type", "domain");
	*end = '\0';
	KUNIT_EXPECT_STREQ(test, buf, " type=domain");
}

struct cgm_str_case {
	const char *in, *out;
};

static const struct cgm_str_case cgm_str_cases[] = {
	{ "", "-" },
	{ "-", "\\x2d" },
	{ "?", "\\x3f" },
	{ "--", "--" },
	{ "/a/b", "/a/b" },
	{ "/odd name=1,2", "/odd\\x20name\\x3d1\\x2c2" },
	{ "/back\\slash", "/back\\x5cslash" },
	{ "/caf\xc3\xa9", "/caf\\xc3\\xa9" },
	{ "/tab\there", "/tab\\x09here" },
};

static void cgmask_cg_put_str_escapes(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(cgm_str_cases); i++) {
		struct seq_file *m = cgm_seq_new(test, 256);

		cgmask_cg_put_str(m, cgm_str_cases[i].in);
		seq_putc(m, '\n');
		KUNIT_EXPECT_STREQ_MSG(test, cgm_seq_line(test, m, 0),
				       cgm_str_cases[i].out, "input %d", i);
	}
}

/* The fixed-width tail of the record, field by field, in order (16 bits). */
static const char *const cgm_record_tail[] = {
	" type=threaded", " controllers=0x0002", " subtree_control=0x0000",
	" subtree_ss_mask=0x0000", " css=0x0000",
};

/* One record: the fields in the order docs/format.md gives. */
static void cgmask_cg_show_cgroup_record(struct kunit *test)
{
	struct cgm_tree *tr = cgm_tree_new(test);
	struct cgmask_cg_iter it = { .threaded = BIT(1) };
	struct seq_file *m = cgm_seq_new(test, 1024);
	const char *line, *prev;
	int i;

	it.path = kunit_kzalloc(test, PATH_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, it.path);
	tr->a.subtree_control = BIT(0) | BIT(1);
	tr->a.subtree_ss_mask = BIT(0) | BIT(1) | BIT(2);
	tr->root.subtree_control = BIT(1);
	/* cgroup_id() and cgroup_path() need a kernfs node: the root's. */
	tr->t.kn = cgrp_dfl_root.cgrp.kn;
	rcu_read_lock();	/* as cgmask_cg_show() holds it */
	cgmask_cg_show_cgroup(m, &it, &tr->t);
	rcu_read_unlock();
	line = cgm_seq_line(test, m, 0);
	prev = line;
	KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(line, "cgroup id="), "%s", line);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(line, " level=2 path="), "%s", line);
	if (CGMASK_WIDTH != 16)
		return;
	for (i = 0; i < ARRAY_SIZE(cgm_record_tail); i++) {
		const char *at = strstr(line, cgm_record_tail[i]);

		KUNIT_EXPECT_TRUE_MSG(test, at && at > prev, "%s after %s in %s",
				      cgm_record_tail[i], prev, line);
		if (at)
			prev = at;
	}
}

static struct kunit_case cgmask_cgroups_cases[] = {
	KUNIT_CASE(cgmask_cg_type_tree),
	KUNIT_CASE(cgmask_cg_type_root_threaded_children),
	KUNIT_CASE(cgmask_cg_type_under_populated_thread_root),
	KUNIT_CASE(cgmask_cg_control_child),
	KUNIT_CASE(cgmask_cg_control_root),
	KUNIT_CASE(cgmask_cg_control_stray_bits),
	KUNIT_CASE(cgmask_cg_live_flags),
	KUNIT_CASE(cgmask_cg_hex_width),
	KUNIT_CASE(cgmask_cg_put_str_escapes),
	KUNIT_CASE(cgmask_cg_show_cgroup_record),
	{}
};

static struct kunit_suite cgmask_cgroups_suite = {
	.name = "cgmask_cgroups",
	.test_cases = cgmask_cgroups_cases,
};

kunit_test_suite(cgmask_cgroups_suite);
