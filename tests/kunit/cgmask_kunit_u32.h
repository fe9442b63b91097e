/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgmask's headers as they would be on a Linux 7.x kernel, where the
 * subsystem masks are u32 (v7.0, 5eab8c588bf3) and more than 16
 * subsystems fit, so that module/rule.c and module/emit.c can be tested
 * at the other width on this 6.1 kernel.
 *
 * Include this first, instead of cgmask.h. It includes every kernel
 * header those files use, then:
 *  - makes compat.h's `typeof(((struct cgroup *)0)->subtree_control)`
 *    see a stand-in struct with a u32 subtree_control;
 *  - sets CGROUP_SUBSYS_COUNT (an enum constant in the kernel) to
 *    CGM_U32_COUNT for the rest of the translation unit;
 *  - renames every cgmask type and function, so that these copies never
 *    meet the real ones (different layouts) at link time.
 * Nothing here is used by cgmask.ko.
 */
#ifndef CGMASK_KUNIT_U32_H
#define CGMASK_KUNIT_U32_H

#include <linux/cgroup.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/utsname.h>
#include <linux/version.h>

/* The u16 value would be 15 here; 20 puts names above bit 15. */
#define CGM_U32_COUNT	20

struct cgmask_kunit_cgroup_u32 {
	u32 subtree_control;
};

/* cgmask.h defines its own; printk.h's default came with the headers. */
#undef pr_fmt

#define cgroup			cgmask_kunit_cgroup_u32
#define CGROUP_SUBSYS_COUNT	CGM_U32_COUNT

#define cgmask_t		cgmask_u32_t
#define cgmask_ss		cgmask_u32_ss
#define cgmask_mask		cgmask_u32_mask
#define cgmask_snapshot		cgmask_u32_snapshot
#define cgmask_mask_value	cgmask_u32_mask_value
#define cgmask_derive		cgmask_u32_derive
#define cgmask_root_controllers	cgmask_u32_root_controllers
#define cgmask_reasons		cgmask_u32_reasons
#define cgmask_visible		cgmask_u32_visible
#define cgmask_emit		cgmask_u32_emit
#define cgmask_put_names	cgmask_u32_put_names
#define cgmask_sym_init		cgmask_u32_sym_init
#define cgmask_sym_addr		cgmask_u32_sym_addr
#define cgmask_sym_via		cgmask_u32_sym_via
#define cgmask_sym_verify	cgmask_u32_sym_verify
#define cgmask_snapshot_take	cgmask_u32_snapshot_take
#define cgmask_snapshot_validate cgmask_u32_snapshot_validate
#define cgmask_ss_names		cgmask_u32_ss_names

#include "../../module/cgmask.h"

/* The stand-in must not leak into what the including file writes. */
#undef cgroup

#endif /* CGMASK_KUNIT_U32_H */
