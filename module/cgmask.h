/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgmask: shared definitions. Data flows one way:
 * sym.c (find symbols) -> snap.c (snapshot the kernel's state into a
 * plain struct) -> rule.c (the kernel's visibility rule, pure) ->
 * emit.c (seq_file text).
 */
#ifndef CGMASK_H
#define CGMASK_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/types.h>
#include "compat.h"

#define CGMASK_FORMAT_VERSION	1
#ifndef CGMASK_VERSION
#define CGMASK_VERSION		"unknown"	/* built outside module/Kbuild */
#endif
#define CGMASK_WIDTH		(sizeof(cgmask_t) * BITS_PER_BYTE)
#define CGMASK_ALL		((cgmask_t)((1ULL << CGROUP_SUBSYS_COUNT) - 1))
#define CGMASK_NAME_LEN		32

/* The masks of the dump, in dump order. */
enum cgmask_mask_id {
	CGMASK_IMPLICIT,
	CGMASK_INHIBIT,
	CGMASK_THREADED,
	CGMASK_SUBSYS,
	CGMASK_SUBTREE,
	CGMASK_ROOT_CTRL,
	CGMASK_NR_MASKS
};

/* How a value read from the kernel was found. */
enum cgmask_via {
	CGMASK_VIA_NONE,
	CGMASK_VIA_EXPORT,
	CGMASK_VIA_PARAM,
	CGMASK_VIA_KPROBE,
};

/* How the snapshot was made consistent. */
enum cgmask_lock {
	CGMASK_LOCK_MUTEX,
	CGMASK_LOCK_RCU,
	CGMASK_LOCK_NONE,
};

/* Why a subsystem is missing from the root's cgroup.controllers. */
#define CGMASK_WHY_DISABLED	BIT(0)
#define CGMASK_WHY_V1		BIT(1)
#define CGMASK_WHY_IMPLICIT	BIT(2)
#define CGMASK_WHY_INHIBITED	BIT(3)

struct cgmask_ss {
	int id;
	char name[CGMASK_NAME_LEN];
	char legacy_name[CGMASK_NAME_LEN];
	bool enabled;
	bool on_dfl;		/* <ss>_cgrp_subsys_on_dfl_key */
	bool bound_dfl;		/* ss->root == &cgrp_dfl_root */
	bool root_known;	/* hierarchy_id and hierarchy_name are valid */
	int hierarchy_id;
	char hierarchy_name[MAX_CGROUP_ROOT_NAMELEN];
	bool implicit_on_dfl;
	bool threaded;
	bool early_init;
	bool dfl_cftypes;
	bool legacy_cftypes;
	unsigned int depends_on;
};

struct cgmask_mask {
	bool has_read;
	bool has_derived;
	u64 read;		/* raw, as wide as the kernel object */
	cgmask_t derived;
	enum cgmask_via via;
};

struct cgmask_snapshot {
	enum cgmask_lock lock;
	unsigned int nr_ss;
	struct cgmask_ss ss[CGROUP_SUBSYS_COUNT];
	struct cgmask_mask masks[CGMASK_NR_MASKS];
};

/* sym.c */
enum cgmask_sym_id {
	CGMASK_SYM_IMPLICIT,
	CGMASK_SYM_INHIBIT,
	CGMASK_SYM_THREADED,
	CGMASK_SYM_MUTEX,
	CGMASK_NR_SYMS
};

int cgmask_sym_init(void);
unsigned long cgmask_sym_addr(enum cgmask_sym_id id);
enum cgmask_via cgmask_sym_via(enum cgmask_sym_id id);
int cgmask_sym_verify(const char *name, unsigned long addr, size_t size);

/* snap.c */
int cgmask_snapshot_take(struct cgmask_snapshot *snap);
int cgmask_snapshot_validate(const struct cgmask_snapshot *snap,
			     const char *const *names, char *why,
			     size_t why_len);
extern const char *const cgmask_ss_names[CGROUP_SUBSYS_COUNT];

/* rule.c */
cgmask_t cgmask_mask_value(const struct cgmask_mask *m);
void cgmask_derive(struct cgmask_snapshot *snap);
cgmask_t cgmask_root_controllers(cgmask_t subsys, cgmask_t inhibit,
				 cgmask_t implicit);
unsigned int cgmask_reasons(const struct cgmask_snapshot *snap, int id);
bool cgmask_visible(const struct cgmask_snapshot *snap, int id);

/* emit.c */
struct seq_file;
void cgmask_emit(struct seq_file *m, const struct cgmask_snapshot *snap);
void cgmask_put_names(struct seq_file *m, const struct cgmask_snapshot *snap,
		      u64 mask);

/* cgroups.c: /sys/kernel/debug/cgmask_cgroups */
int cgmask_cgroups_init(void);
void cgmask_cgroups_exit(void);

#endif /* CGMASK_H */
