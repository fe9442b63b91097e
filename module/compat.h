/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences cgmask has to handle, in one place.
 * Each shim names the kernel version that needed it.
 */
#ifndef CGMASK_COMPAT_H
#define CGMASK_COMPAT_H

#include <linux/version.h>
#include <linux/cgroup.h>

#if KERNEL_VERSION(5, 10, 0) > LINUX_VERSION_CODE
#error "cgmask requires Linux >= 5.10"
#endif

/* What there is to read and where it is published (dkms.conf gates both). */
#if !IS_ENABLED(CONFIG_CGROUPS) || !IS_ENABLED(CONFIG_DEBUG_FS)
#error "cgmask requires CONFIG_CGROUPS and CONFIG_DEBUG_FS"
#endif

/*
 * v7.0: the subsystem masks grew from u16 to u32 (5eab8c588bf3). The
 * static masks changed in lock-step with struct cgroup::subtree_control,
 * so its type is the kernel's mask type on every version.
 */
typedef typeof(((struct cgroup *)0)->subtree_control) cgmask_t;

/*
 * v6.7: cgroup roots are freed with kfree_rcu() (d23b5c577715), so an
 * RCU reader may dereference ss->root. Before that only cgroup_mutex
 * keeps a v1 root alive. Some stable trees carry the backport, but the
 * headers cannot tell, so older kernels are treated as unsafe.
 */
#define CGMASK_ROOTS_RCU_FREED \
	(KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE)

/*
 * cgroup_mutex is exported only with CONFIG_PROVE_RCU (and, from v6.17,
 * also with CONFIG_LOCKDEP). Elsewhere it must be looked up.
 */
#if IS_ENABLED(CONFIG_PROVE_RCU) || \
	(IS_ENABLED(CONFIG_LOCKDEP) && \
	 KERNEL_VERSION(6, 17, 0) <= LINUX_VERSION_CODE)
#define CGMASK_HAVE_CGROUP_MUTEX_EXPORT 1
#else
#define CGMASK_HAVE_CGROUP_MUTEX_EXPORT 0
#endif

#endif /* CGMASK_COMPAT_H */
