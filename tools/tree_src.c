// SPDX-License-Identifier: GPL-2.0
/*
 * Sources of the per-cgroup view: the module's cgmask_cgroups file (live in
 * debugfs, or a saved copy), or a walk of cgroupfs. The walk sees only what
 * cgroupfs shows: cgroup.controllers, cgroup.subtree_control, cgroup.type
 * and the directory's inode number (the cgroup id on 64-bit); the effective
 * mask and the live css set stay unknown.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tree.h"

#define MAX_TREE_FILE (1L << 30)	/* a dump of a million cgroups fits */

int tree_load_file(const char *path, struct cg_tree *t, char *err, size_t errlen)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	size_t len;
	char *buf;
	int r;

	if (read_all(path, &buf, &len, MAX_TREE_FILE)) {
		int e = errno;

		seterr(err, errlen, "%s: %s", name, strerror(e));
		errno = e;
		return LOAD_UNREADABLE;
	}
	r = tree_parse(buf, len, name, t, err, errlen);
	free(buf);
	if (r)
		return LOAD_BAD;
	if (strlen(name) >= sizeof(t->m.input)) {
		seterr(err, errlen, "%s: path too long", name);
		return LOAD_BAD;
	}
	strcpy(t->m.input, name);
	return 0;
}

/* A whitespace-separated list of controller names as a set over t->m.ss. */
static int read_set(struct cg_tree *t, const char *dir, const char *file, uint64_t *out)
{
	char path[PATH_MAX], *buf, *p;
	size_t len;

	*out = 0;
	if (join(path, sizeof(path), dir, file) || read_all(path, &buf, &len, 1 << 20))
		return -1;
	for (p = buf; *p;) {
		size_t n;

		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (n && n < CG_NAME_LEN) {
			char name[CG_NAME_LEN];
			int i;

			memcpy(name, p, n);
			name[n] = 0;
			i = model_find(&t->m, name);
			if (i < 0 && model_add(&t->m, name))
				i = t->m.nss - 1;
			if (i >= 0)
				*out |= (uint64_t)1 << i;
		}
		p += n;
	}
	free(buf);
	return 0;
}

static enum cg_type read_type(const char *dir)
{
	char path[PATH_MAX], *buf;
	enum cg_type ty = CGT_UNKNOWN;
	size_t len;

	if (join(path, sizeof(path), dir, "cgroup.type") || read_all(path, &buf, &len, 4096))
		return CGT_UNKNOWN;
	buf[strcspn(buf, "\n")] = 0;
	if (!strcmp(buf, "domain"))
		ty = CGT_DOMAIN;
	else if (!strcmp(buf, "domain threaded"))
		ty = CGT_DOMAIN_THREADED;
	else if (!strcmp(buf, "domain invalid"))
		ty = CGT_DOMAIN_INVALID;
	else if (!strcmp(buf, "threaded"))
		ty = CGT_THREADED;
	free(buf);
	return ty;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The subdirectories of dir, sorted; NULL-terminated, or NULL on error. */
static char **subdirs(const char *dir)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (de->d_type == DT_UNKNOWN &&
		    (join(path, sizeof(path), dir, de->d_name) || stat(path, &st) || !S_ISDIR(st.st_mode)))
			continue;
		if (n + 2 > cap) {
			char **nv;

			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto fail;
			v = nv;
		}
		if (!(v[n] = strdup(de->d_name)))
			goto fail;
		v[++n] = NULL;
	}
	closedir(d);
	if (!v)
		v = calloc(1, sizeof(*v));
	else
		qsort(v, n, sizeof(*v), name_cmp);
	return v;
fail:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return NULL;
}

/*
 * One cgroup and, depth first, its children. A cgroup removed while it is
 * walked is left out. rel is the path below the root ("" for the root).
 */
static int walk(struct cg_tree *t, const char *root, const char *rel, int level, int parent,
		char *err, size_t errlen)
{
	char dir[PATH_MAX], **kids;
	uint64_t ctrl, subtree;
	struct cg_node *nd;
	struct stat st;
	int self;

	if (snprintf(dir, sizeof(dir), "%s%s", root, rel) >= (int)sizeof(dir))
		return 0;	/* deeper than PATH_MAX: cgroupfs paths cannot be opened */
	if (stat(dir, &st) || read_set(t, dir, "cgroup.controllers", &ctrl) ||
	    read_set(t, dir, "cgroup.subtree_control", &subtree)) {
		if (level)
			return 0;
		return seterr(err, errlen, "%s: %s", dir, strerror(errno));
	}
	if (!(nd = tree_add(t)))
		return seterr(err, errlen, "out of memory");
	self = t->n - 1;
	nd->path = strdup(level ? rel : "/");
	if (!nd->path)
		return seterr(err, errlen, "out of memory");
	nd->id = (long long)st.st_ino;
	nd->level = level;
	nd->parent = parent;
	nd->mask[CGM_CONTROLLERS] = ctrl;
	nd->mask[CGM_SUBTREE] = subtree;
	nd->known = 1u << CGM_CONTROLLERS | 1u << CGM_SUBTREE;
	nd->type = level ? read_type(dir) : CGT_DOMAIN;
	kids = subdirs(dir);
	if (!kids)
		return level ? 0 : seterr(err, errlen, "%s: %s", dir, strerror(errno));
	for (char **k = kids; *k; k++) {
		char sub[PATH_MAX];
		int first = t->n;

		if (snprintf(sub, sizeof(sub), "%s/%s", rel, *k) < (int)sizeof(sub) &&
		    walk(t, root, sub, level + 1, self, err, errlen)) {
			for (char **f = k; *f; f++)
				free(*f);
			free(kids);
			return -1;
		}
		/* The root has no cgroup.type; format.md: threaded children make it a thread root. */
		if (!level && t->n > first && t->nodes[first].type == CGT_THREADED)
			t->nodes[self].type = CGT_DOMAIN_THREADED;
		free(*k);
	}
	free(kids);
	return 0;
}

int tree_userspace(struct cg_tree *t, char *err, size_t errlen)
{
	char root[PATH_MAX];

	tree_free(t);
	if (source_userspace(&t->m, err, errlen) || cgroup2_root(root, sizeof(root), err, errlen))
		return -1;
	if (walk(t, root, "", 0, -1, err, errlen)) {
		tree_free(t);
		return -1;
	}
	if (strlen(root) < sizeof(t->m.input))
		strcpy(t->m.input, root);
	return 0;
}

/* Why the module's debugfs file cannot be read, in a user's words. */
static const char *hint(int e)
{
	switch (e) {
	case EPERM:
		return "debugfs is locked down (lockdown=confidentiality)";
	case ENOENT:
		return "cgmask.ko is not loaded (or too old for cgmask_cgroups), or debugfs is"
		       " not mounted";
	case EACCES:
		return "reading debugfs needs root";
	}
	return NULL;
}

static int tree_module(struct cg_tree *t, int *gone, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int r;

	*gone = 0;
	if (join(path, sizeof(path), env_path("CGMASK_DEBUGFS", "/sys/kernel/debug"),
		 "cgmask_cgroups"))
		return seterr(err, errlen, "CGMASK_DEBUGFS: %s", strerror(errno));
	r = tree_load_file(path, t, err, errlen);
	if (r == LOAD_UNREADABLE) {
		*gone = errno;
		if (hint(*gone))
			seterr(err, errlen, "%s: %s: %s", path, strerror(*gone), hint(*gone));
	}
	return r ? -1 : 0;
}

/*
 * --source for tree and why PATH: module, userspace, or auto (the module's
 * file when it can be read, else cgroupfs; a file that does not parse is
 * an error, not a reason to fall back). A file given with -f is a saved
 * cgmask_cgroups dump.
 */
int tree_load_source(const char *want, const char *file, struct cg_tree *t,
		     char *err, size_t errlen)
{
	int gone;

	tree_init(t, SRC_MODULE);
	if (file)
		return tree_load_file(file, t, err, errlen) ? -1 : 0;
	if (!strcmp(want, "module"))
		return tree_module(t, &gone, err, errlen);
	if (!strcmp(want, "userspace"))
		return tree_userspace(t, err, errlen);
	if (!strcmp(want, "ftrace"))
		return seterr(err, errlen, "the ftrace source has no per-cgroup view"
			      " (use module, userspace or auto)");
	if (strcmp(want, "auto"))
		return seterr(err, errlen, "unknown source '%s' (module, userspace or auto)", want);
	if (!tree_module(t, &gone, err, errlen))
		return 0;
	if (!gone)
		return -1;
	if (gone == EPERM)
		warnx("%s; falling back to cgroupfs", hint(gone));
	return tree_userspace(t, err, errlen);
}
