// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask_sym: module/sym.c. cgmask_sym_verify() must accept only the exact
 * start of the named kernel symbol, and cgmask_sym_init() must refuse to
 * load on a bad lookup= or a handed-in address that does not verify.
 */
#include "cgmask_kunit.h"

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

/* ---------------------------------------------------- cgmask_sym_verify */

static void cgm_need_kallsyms_all(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_KALLSYMS_ALL))
		kunit_skip(test, "needs CONFIG_KALLSYMS_ALL: data symbols are not in kallsyms");
}

static void cgmask_sym_verify_exact_data(struct kunit *test)
{
	cgm_need_kallsyms_all(test);
	KUNIT_EXPECT_EQ(test, cgmask_sym_verify("cgrp_dfl_root",
						(unsigned long)&cgrp_dfl_root,
						sizeof(cgrp_dfl_root)), 0);
	KUNIT_EXPECT_EQ(test, cgmask_sym_verify("cgrp_dfl_root",
						(unsigned long)&cgrp_dfl_root, 1), 0);
}

static void cgmask_sym_verify_exact_function(struct kunit *test)
{
	if (IS_ENABLED(CONFIG_CFI_CLANG))
		kunit_skip(test, "Clang CFI: a function's address is its jump table slot");
	KUNIT_EXPECT_EQ(test, cgmask_sym_verify("sprint_symbol",
						(unsigned long)sprint_symbol, 1), 0);
}

struct cgm_verify_case {
	const char *desc;
	const char *name;
	unsigned long (*addr)(struct kunit *test);
	size_t size;
};

static unsigned long cgm_dfl_root(struct kunit *test)
{
	return (unsigned long)&cgrp_dfl_root;
}

static unsigned long cgm_dfl_root_plus1(struct kunit *test)
{
	return (unsigned long)&cgrp_dfl_root + 1;
}

static unsigned long cgm_dfl_root_plus8(struct kunit *test)
{
	return (unsigned long)&cgrp_dfl_root + 8;
}

static unsigned long cgm_null(struct kunit *test)
{
	return 0;
}

static unsigned long cgm_heap(struct kunit *test)
{
	void *p = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return (unsigned long)p;
}

static struct kunit_suite cgmask_sym_suite;

static unsigned long cgm_module_data(struct kunit *test)
{
	return (unsigned long)&cgmask_sym_suite;
}

static const struct cgm_verify_case cgm_verify_cases[] = {
	{ "wrong_name", "cgrp_dfl_implicit_ss_mask", cgm_dfl_root, 1 },
	{ "name_prefix", "cgrp_dfl", cgm_dfl_root, 1 },
	{ "name_longer", "cgrp_dfl_root_x", cgm_dfl_root, 1 },
	{ "name_empty", "", cgm_dfl_root, 1 },
	{ "offset_1", "cgrp_dfl_root", cgm_dfl_root_plus1, 1 },
	{ "offset_8", "cgrp_dfl_root", cgm_dfl_root_plus8, 1 },
	{ "larger_than_symbol", "cgrp_dfl_root", cgm_dfl_root, SZ_64M },
	{ "null_address", "cgrp_dfl_root", cgm_null, 0 },
	{ "heap_address", "cgrp_dfl_root", cgm_heap, 1 },
	{ "module_symbol", "cgmask_sym_suite", cgm_module_data, 1 },
};

static void cgm_verify_desc(const struct cgm_verify_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cgm_verify, cgm_verify_cases, cgm_verify_desc);

static void cgmask_sym_verify_rejects(struct kunit *test)
{
	const struct cgm_verify_case *c = test->param_value;
	unsigned long addr = c->addr(test);
	char buf[KSYM_SYMBOL_LEN];

	cgm_need_kallsyms_all(test);
	sprint_symbol(buf, addr);
	KUNIT_EXPECT_EQ_MSG(test, cgmask_sym_verify(c->name, addr, c->size),
			    -EINVAL, "%s accepted for %s", buf, c->name);
}

/* ---------------------------------------------------- cgmask_sym_init */

static char *cgm_lookup_default;

static int cgm_sym_suite_init(struct kunit_suite *suite)
{
	cgm_lookup_default = *cgm_sym_lookup_param();
	return 0;
}

/* Put the parameters back as insmod left them; runs even after a failure. */
static void cgm_sym_exit(struct kunit *test)
{
	int i;

	*cgm_sym_lookup_param() = cgm_lookup_default;
	for (i = 0; i < CGMASK_NR_SYMS; i++)
		*cgm_sym_addr_param(i) = 0;
}

struct cgm_lookup_case {
	const char *lookup;
	int ret;
};

static const struct cgm_lookup_case cgm_lookup_cases[] = {
	{ "none", 0 },
	{ "param", 0 },
	{ "kprobe", 0 },
	{ "param,kprobe", 0 },
	{ "kprobe,param", 0 },
	{ "", -EINVAL },
	{ "bogus", -EINVAL },
	{ "param,", -EINVAL },
	{ "param,none", -EINVAL },
	{ "PARAM", -EINVAL },
	{ "param,kprobe,param,kprobe,param,kprobe", -EINVAL },
};

static void cgm_lookup_desc(const struct cgm_lookup_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "lookup='%s'", c->lookup);
}

KUNIT_ARRAY_PARAM(cgm_lookup, cgm_lookup_cases, cgm_lookup_desc);

static void cgmask_sym_init_lookup(struct kunit *test)
{
	const struct cgm_lookup_case *c = test->param_value;

	*cgm_sym_lookup_param() = (char *)c->lookup;
	KUNIT_EXPECT_EQ(test, cgmask_sym_init(), c->ret);
}

static void cgmask_sym_init_none_finds_nothing(struct kunit *test)
{
	int i;

	*cgm_sym_lookup_param() = "none";
	KUNIT_ASSERT_EQ(test, cgmask_sym_init(), 0);
	for (i = 0; i < CGMASK_NR_SYMS; i++) {
		KUNIT_EXPECT_EQ(test, cgmask_sym_addr(i), 0UL);
		KUNIT_EXPECT_EQ(test, cgmask_sym_via(i), CGMASK_VIA_NONE);
	}
}

static void cgm_need_mutex_export(struct kunit *test)
{
	cgm_need_kallsyms_all(test);
	if (!CGMASK_HAVE_CGROUP_MUTEX_EXPORT)
		kunit_skip(test, "cgroup_mutex is exported only with CONFIG_PROVE_RCU");
}

static void cgmask_sym_init_param_exact(struct kunit *test)
{
#if CGMASK_HAVE_CGROUP_MUTEX_EXPORT
	unsigned long mtx = (unsigned long)&cgroup_mutex;
#else
	unsigned long mtx = 0;
#endif

	cgm_need_mutex_export(test);
	*cgm_sym_lookup_param() = "param";
	*cgm_sym_addr_param(CGMASK_SYM_MUTEX) = mtx;
	KUNIT_ASSERT_EQ(test, cgmask_sym_init(), 0);
	KUNIT_EXPECT_EQ(test, cgmask_sym_addr(CGMASK_SYM_MUTEX), mtx);
	KUNIT_EXPECT_EQ(test, cgmask_sym_via(CGMASK_SYM_MUTEX), CGMASK_VIA_PARAM);
	KUNIT_EXPECT_EQ(test, cgmask_sym_addr(CGMASK_SYM_IMPLICIT), 0UL);
}

/* A mask address found by the kprobe strategy also verifies as a param. */
static void cgmask_sym_init_param_from_kprobe(struct kunit *test)
{
	unsigned long addr;

	cgm_need_kallsyms_all(test);
	*cgm_sym_lookup_param() = "kprobe";
	KUNIT_ASSERT_EQ(test, cgmask_sym_init(), 0);
	addr = cgmask_sym_addr(CGMASK_SYM_INHIBIT);
	if (!addr)
		kunit_skip(test, "kallsyms_lookup_name is not reachable here");
	*cgm_sym_lookup_param() = "param";
	*cgm_sym_addr_param(CGMASK_SYM_INHIBIT) = addr;
	KUNIT_ASSERT_EQ(test, cgmask_sym_init(), 0);
	KUNIT_EXPECT_EQ(test, cgmask_sym_addr(CGMASK_SYM_INHIBIT), addr);
	KUNIT_EXPECT_EQ(test, cgmask_sym_via(CGMASK_SYM_INHIBIT), CGMASK_VIA_PARAM);
	KUNIT_EXPECT_EQ(test, cgmask_sym_addr(CGMASK_SYM_IMPLICIT), 0UL);
}

struct cgm_refuse_case {
	const char *desc;
	const char *lookup;
	enum cgmask_sym_id sym;
	unsigned long (*addr)(struct kunit *test);
};

static unsigned long cgm_mutex(struct kunit *test)
{
#if CGMASK_HAVE_CGROUP_MUTEX_EXPORT
	return (unsigned long)&cgroup_mutex;
#else
	return 0;
#endif
}

static unsigned long cgm_mutex_plus8(struct kunit *test)
{
	return cgm_mutex(test) + 8;
}

static const struct cgm_refuse_case cgm_refuse_cases[] = {
	{ "mask_is_another_symbol", "param", CGMASK_SYM_IMPLICIT, cgm_dfl_root },
	{ "mask_is_the_mutex", "param,kprobe", CGMASK_SYM_THREADED, cgm_mutex },
	{ "mutex_inside_symbol", "param", CGMASK_SYM_MUTEX, cgm_mutex_plus8 },
	{ "mutex_on_heap", "param", CGMASK_SYM_MUTEX, cgm_heap },
	{ "param_excluded_by_lookup", "kprobe", CGMASK_SYM_MUTEX, cgm_mutex },
	{ "param_with_lookup_none", "none", CGMASK_SYM_MUTEX, cgm_mutex },
};

static void cgm_refuse_desc(const struct cgm_refuse_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cgm_refuse, cgm_refuse_cases, cgm_refuse_desc);

static void cgmask_sym_init_refuses_param(struct kunit *test)
{
	const struct cgm_refuse_case *c = test->param_value;
	unsigned long addr;

	cgm_need_mutex_export(test);
	addr = c->addr(test);
	KUNIT_ASSERT_NE(test, addr, 0UL);
	*cgm_sym_lookup_param() = (char *)c->lookup;
	*cgm_sym_addr_param(c->sym) = addr;
	KUNIT_EXPECT_EQ(test, cgmask_sym_init(), -EINVAL);
}

static struct kunit_case cgmask_sym_cases[] = {
	KUNIT_CASE(cgmask_sym_verify_exact_data),
	KUNIT_CASE(cgmask_sym_verify_exact_function),
	KUNIT_CASE_PARAM(cgmask_sym_verify_rejects, cgm_verify_gen_params),
	KUNIT_CASE_PARAM(cgmask_sym_init_lookup, cgm_lookup_gen_params),
	KUNIT_CASE(cgmask_sym_init_none_finds_nothing),
	KUNIT_CASE(cgmask_sym_init_param_exact),
	KUNIT_CASE(cgmask_sym_init_param_from_kprobe),
	KUNIT_CASE_PARAM(cgmask_sym_init_refuses_param, cgm_refuse_gen_params),
	{}
};

static struct kunit_suite cgmask_sym_suite = {
	.name = "cgmask_sym",
	.suite_init = cgm_sym_suite_init,
	.exit = cgm_sym_exit,
	.test_cases = cgmask_sym_cases,
};

kunit_test_suite(cgmask_sym_suite);
