/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the cgmask KUnit suites: synthetic snapshots built
 * from readable tables, and masks written and printed as subsystem names.
 */
#ifndef CGMASK_KUNIT_H
#define CGMASK_KUNIT_H

/* First, so that its pr_fmt is the one in effect. */
#include "../../module/cgmask.h"

#include <kunit/test.h>

#include "cgmask_kunit_seq.h"

/* One subsystem of a synthetic table; every other field stays zero. */
struct cgm_row {
	const char *name;
	bool enabled;
	bool bound_dfl;
	bool implicit_on_dfl;
	bool threaded;
	bool dfl_cftypes;
};

/*
 * A snapshot of @n rows, id = index, on_dfl = bound_dfl, no mask read.
 * Skips the test when the running headers have fewer subsystems than @n.
 */
struct cgmask_snapshot *cgm_snap_new(struct kunit *test,
				     const struct cgm_row *rows,
				     unsigned int n);

/* The subsystem named @name (asserts it exists). */
struct cgmask_ss *cgm_ss(struct kunit *test, struct cgmask_snapshot *snap,
			 const char *name);
int cgm_id(struct kunit *test, const struct cgmask_snapshot *snap,
	   const char *name);

/* "cpuset,cpu,io" (or "-") as a mask over @snap's names. */
u64 cgm_mask(struct kunit *test, const struct cgmask_snapshot *snap,
	     const char *names);

/* A mask as "0x0c1b cpuset,cpu,io,memory,#14": unnamed bits as #N. */
const char *cgm_render(struct kunit *test,
		       const struct cgmask_snapshot *snap, u64 mask);

/* CGMASK_WHY_* bits as "disabled,v1,implicit,inhibited" (or "-"). */
const char *cgm_reasons(struct kunit *test, unsigned int why);

/* Expect mask @got to be exactly the subsystems listed in @want. */
#define CGM_EXPECT_MASK(test, snap, got, want)				\
	do {								\
		struct kunit *__test = (test);				\
		const struct cgmask_snapshot *__snap = (snap);		\
		u64 __got = (got);					\
		u64 __want = cgm_mask(__test, __snap, want);		\
									\
		KUNIT_EXPECT_EQ_MSG(__test, __got, __want,		\
				    "%s is {%s}, expected {%s}", #got,	\
				    cgm_render(__test, __snap, __got),	\
				    cgm_render(__test, __snap, __want));	\
	} while (0)

/*
 * sym.c's module parameters lookup= and <symbol>= (module_sym.c), for
 * the cases that make cgmask_sym_init() refuse to load.
 */
char **cgm_sym_lookup_param(void);
unsigned long *cgm_sym_addr_param(enum cgmask_sym_id id);

#define CGM_VALUE(snap, id)	((u64)cgmask_mask_value(&(snap)->masks[id]))

#endif /* CGMASK_KUNIT_H */
