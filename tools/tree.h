/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-cgroup view: a tree of cgroups with their masks, read from the
 * module's /sys/kernel/debug/cgmask_cgroups (docs/format.md) or walked in
 * cgroupfs, and what "cgmask tree" and "cgmask why CONTROLLER PATH" print
 * from it. Same flow as the rest of the reader: a source fills a struct
 * cg_tree, the renderers read it only.
 */
#ifndef CGMASK_TREE_H
#define CGMASK_TREE_H

#include "cgmask.h"

#define TREE_FORMAT_VERSION 1	/* docs/format.md, cgmask_cgroups */

enum cg_type { CGT_UNKNOWN, CGT_DOMAIN, CGT_DOMAIN_THREADED, CGT_DOMAIN_INVALID, CGT_THREADED };

/* Masks are sets of subsystems: bit i = tree.m.ss[i]. */
enum { CGM_CONTROLLERS, CGM_SUBTREE, CGM_EFFECTIVE, CGM_CSS, CGM_COUNT };

struct cg_node {
	char *path;		/* unescaped; NULL: unknown (too long for the module) */
	long long id;		/* -1: unknown */
	int level;
	int parent;		/* index in nodes[], -1 for the root */
	enum cg_type type;
	unsigned known;		/* bit k: mask[k] is known */
	uint64_t mask[CGM_COUNT];
};

struct cg_tree {
	struct model m;		/* source, kernel, lock; the subsystems */
	int n, cap;
	struct cg_node *nodes;	/* pre-order, root first */
};

extern const char *const cg_type_names[];
extern const char *const cgm_keys[CGM_COUNT];

/* tree_parse.c */
void tree_init(struct cg_tree *t, enum source s);
void tree_free(struct cg_tree *t);
struct cg_node *tree_add(struct cg_tree *t);
int tree_parse(const char *buf, size_t len, const char *fname, struct cg_tree *t,
	       char *err, size_t errlen);

/* tree_src.c */
int tree_load_file(const char *path, struct cg_tree *t, char *err, size_t errlen);
int tree_userspace(struct cg_tree *t, char *err, size_t errlen);
int tree_load_source(const char *want, const char *file, struct cg_tree *t,
		     char *err, size_t errlen);

/* tree.c */
int tree_find(const struct cg_tree *t, const char *path);
int cmd_tree(const struct cg_tree *t, const char *path, FILE *f, bool json);
int cmd_why_path(const struct cg_tree *t, const char *name, const char *path, FILE *f,
		 bool json);
int tree_main(const char *source, const char *file, bool json, char **args, int nargs);

#endif
