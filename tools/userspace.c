// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace source: what can be inferred without a module, and nothing
 * more. Every conclusion below is an exact consequence of kernel code; what
 * does not follow is left unknown.
 *
 * - root cgroup.controllers (V) is the visible set, by definition.
 * - root cgroup.stat "nr_subsys_<name>" lines (Linux 6.11+, ab03125268679)
 *   list every subsystem bound to v2 that is not inhibited (S), including
 *   implicit and disabled ones. So an enabled one in S but not V is implicit;
 *   an enabled one on v2 in neither is inhibited.
 * - /proc/cgroups lists legacy names in id order with the hierarchy id and
 *   enabled state. Before 6.11 it lists every subsystem, so the row number
 *   is the id. From 6.12 it leaves out subsystems with v2 files but no v1
 *   files (cgroup1_subsys_absent); those cannot be bound to v1 or inhibited,
 *   so they are in S: /proc/cgroups plus S is then the complete list,
 *   without ids.
 * - /proc/mounts gives a v1 hierarchy's name= option.
 * - /proc/cmdline gives cgroup_disable= (the only way to disable one).
 * The threaded, legacy_cftypes, early_init and depends_on flags and, where
 * the rows above do not settle it, ids stay unknown.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cgmask.h"

#define MAX_FILE (4 << 20)

struct names {
	int n;
	char v[CG_MAX_SS][CG_NAME_LEN];
};

struct row {
	char name[CG_NAME_LEN];
	int hier, enabled;
};

struct evidence {
	struct names vis, subtree, stat, disabled;
	bool subtree_ok, stat_ok, rows_ok, cmdline_ok;
	int nrows;
	struct row rows[CG_MAX_SS];
	char *mounts;		/* /proc/mounts, or NULL */
};

static bool has(const struct names *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], name))
			return true;
	return false;
}

static int add_name(struct names *l, const char *w, size_t len)
{
	if (!len || len >= CG_NAME_LEN || l->n == CG_MAX_SS)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (!(w[i] >= 'a' && w[i] <= 'z') && !(w[i] >= 'A' && w[i] <= 'Z') &&
		    !(w[i] >= '0' && w[i] <= '9') && w[i] != '_' && w[i] != '-')
			return -1;
	memcpy(l->v[l->n], w, len);
	l->v[l->n][len] = 0;
	if (!has(l, l->v[l->n]))
		l->n++;
	return 0;
}

/* Read dir/rel into buf; -1 with errno when it cannot be read. */
static int slurp(const char *dir, const char *rel, char **buf)
{
	char path[PATH_MAX];
	size_t len;

	if (join(path, sizeof(path), dir, rel))
		return -1;
	return read_all(path, buf, &len, MAX_FILE);
}

/* A whitespace-separated list of names (cgroup.controllers). */
static int read_names(const char *dir, const char *rel, struct names *l,
		      char *err, size_t errlen)
{
	char *buf, *p;

	l->n = 0;
	if (slurp(dir, rel, &buf))
		return seterr(err, errlen, "%s/%s: %s", dir, rel, strerror(errno));
	for (p = buf; *p;) {
		size_t len;

		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len && add_name(l, p, len)) {
			free(buf);
			return seterr(err, errlen, "%s/%s: unexpected content", dir, rel);
		}
		p += len;
	}
	free(buf);
	return 0;
}

int kernel_release(char *buf, size_t n)
{
	const char *proc = env_path("CGMASK_PROC", "/proc");
	struct utsname u;
	char *s;

	if (!slurp(proc, "sys/kernel/osrelease", &s)) {
		s[strcspn(s, "\n")] = 0;
		if (strlen(s) < n) {
			strcpy(buf, s);
			free(s);
			return 0;
		}
		free(s);
	}
	if (uname(&u) || strlen(u.release) >= n)
		return -1;
	strcpy(buf, u.release);
	return 0;
}

/* The root of the cgroup2 hierarchy: $CGMASK_SYSFS_CGROUP or its unified/. */
int cgroup2_root(char *root, size_t n, char *err, size_t errlen)
{
	const char *sys = env_path("CGMASK_SYSFS_CGROUP", "/sys/fs/cgroup");
	char path[PATH_MAX];

	if (join(root, n, sys, "cgroup.controllers") || access(root, F_OK)) {
		if (join(root, n, sys, "unified/cgroup.controllers") || access(root, F_OK))
			return seterr(err, errlen, "no cgroup2 hierarchy at %s or %s/unified"
				      " (this source needs cgroup v2 mounted)", sys, sys);
	}
	*strrchr(root, '/') = 0;
	if (join(path, sizeof(path), root, "cgroup.type"))
		return seterr(err, errlen, "%s: %s", root, strerror(errno));
	if (!access(path, F_OK))
		return seterr(err, errlen, "%s is not the root cgroup (it has cgroup.type: a cgroup"
			      " namespace, container or bind mount), so its cgroup.controllers is its"
			      " parent's subtree_control; run cgmask on the host, or point"
			      " CGMASK_SYSFS_CGROUP at the host's cgroup2 mount", root);
	return 0;
}

/* The root cgroup.stat: the names of its nr_subsys_<name> lines. */
static void read_stat(const char *root, struct evidence *e)
{
	char *buf, *line, *save;

	if (slurp(root, "cgroup.stat", &buf))
		return;
	e->stat_ok = true;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "nr_subsys_", 10))
			add_name(&e->stat, line + 10, strcspn(line + 10, " "));
	free(buf);
}

/* /proc/cgroups: "subsys_name hierarchy num_cgroups enabled" in id order. */
static void read_rows(const char *proc, struct evidence *e)
{
	char *buf, *line, *save;

	if (slurp(proc, "cgroups", &buf))
		return;
	e->rows_ok = true;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct row *r = &e->rows[e->nrows];

		if (line[0] == '#' || e->nrows == CG_MAX_SS)
			continue;
		if (sscanf(line, "%31s %d %*d %d", r->name, &r->hier, &r->enabled) == 3 &&
		    r->hier >= 0)
			e->nrows++;
		else
			e->rows_ok = false;	/* not the format we know: use none of it */
	}
	if (!e->rows_ok)
		e->nrows = 0;
	free(buf);
}

/* /proc/cmdline: the names in every cgroup_disable=, up to "--". */
static void read_cmdline(const char *proc, struct evidence *e)
{
	char *buf, *tok, *save;

	if (slurp(proc, "cmdline", &buf))
		return;
	e->cmdline_ok = true;
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strcmp(tok, "--"))
			break;
		if (strncmp(tok, "cgroup_disable=", 15))
			continue;
		for (char *p = tok + 15; *p;) {
			size_t len = strcspn(p, ",");

			add_name(&e->disabled, p, len);
			p += len + (p[len] == ',');
		}
	}
	free(buf);
}

/* Undo the \\ooo octal escapes of /proc/mounts (the kernel's mangle()). */
static void unmangle(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/* The name= option of the v1 mount that has the controller, "" if none. */
static bool mount_hname(const struct evidence *e, const char *legacy, char *out, size_t n)
{
	const char *line = e->mounts;

	while (line && *line) {
		size_t len = strcspn(line, "\n");
		char dev[256], dir[1024], type[32], opts[1024];

		if (len < 1024 &&
		    sscanf(line, "%255s %1023s %31s %1023s", dev, dir, type, opts) == 4 &&
		    !strcmp(type, "cgroup")) {
			bool found = false;
			const char *name = "";

			unmangle(opts);

			for (char *o = strtok(opts, ","); o; o = strtok(NULL, ",")) {
				if (!strcmp(o, legacy))
					found = true;
				else if (!strncmp(o, "name=", 5))
					name = o + 5;
			}
			if (found && strlen(name) < n) {
				strcpy(out, name);
				return true;
			}
		}
		line += len + (line[len] == '\n');
	}
	return false;
}

static const struct row *find_row(const struct evidence *e, const char *legacy)
{
	for (int i = 0; i < e->nrows; i++)
		if (!strcmp(e->rows[i].name, legacy))
			return &e->rows[i];
	return NULL;
}

/*
 * The order of include/linux/cgroup_subsys.h, which is id order. Only used
 * to place a subsystem where the id-ordered files leave its place open.
 */
static const char *const kernel_order[] = {
	"cpuset", "cpu", "cpuacct", "io", "memory", "devices", "freezer", "net_cls",
	"perf_event", "net_prio", "hugetlb", "pids", "rdma", "misc", "dmem", "debug",
};

static int rank(const char *name)
{
	for (size_t i = 0; i < sizeof(kernel_order) / sizeof(kernel_order[0]); i++)
		if (!strcmp(kernel_order[i], name))
			return (int)i;
	return -1;
}

/*
 * Add the names of an id-ordered list l that the model lacks, each after its
 * predecessor in l, and after any subsystem not in l that cgroup_subsys.h
 * puts before it.
 */
static int merge(struct model *m, const struct names *l)
{
	int pos = 0;

	for (int i = 0; i < l->n; i++) {
		int j = model_find(m, l->v[i]), r = rank(l->v[i]);
		struct cg_ss tmp;

		if (j >= 0) {
			pos = j + 1;
			continue;
		}
		while (pos < m->nss && !has(l, m->ss[pos].name) && r >= 0 &&
		       rank(m->ss[pos].name) >= 0 && rank(m->ss[pos].name) < r)
			pos++;
		if (!model_add(m, l->v[i]))
			return -1;
		tmp = m->ss[m->nss - 1];
		memmove(&m->ss[pos + 1], &m->ss[pos], (size_t)(m->nss - 1 - pos) * sizeof(tmp));
		m->ss[pos++] = tmp;
	}
	return 0;
}

/* Everything the evidence settles about one subsystem. */
static void infer(struct cg_ss *s, const struct evidence *e, bool stat_known)
{
	const char *legacy = legacy_of(s->name);
	const struct row *r = find_row(e, legacy);

	if (r)
		strcpy(s->legacy_name, r->name);
	if (has(&e->vis, s->name)) {
		s->visible = s->enabled = s->on_dfl = T_YES;
		s->hierarchy_id = 0;
		s->hname_known = true;
		s->implicit_on_dfl = T_NO;	/* else it would be implicit or inhibited */
		s->dfl_cftypes = T_YES;
		rule_reasons(s);
		return;
	}
	s->visible = T_NO;
	if (r)
		s->enabled = r->enabled ? T_YES : T_NO;
	else if (e->cmdline_ok)
		s->enabled = has(&e->disabled, s->name) || has(&e->disabled, legacy) ? T_NO : T_YES;
	if (r) {
		s->hierarchy_id = r->hier;
		s->on_dfl = r->hier == 0 ? T_YES : T_NO;
	} else if (has(&e->stat, s->name)) {
		s->hierarchy_id = 0;
		s->on_dfl = T_YES;
	}
	if (s->on_dfl == T_YES)
		s->hname_known = true;
	else if (s->on_dfl == T_NO)
		s->hname_known = mount_hname(e, legacy, s->hierarchy_name, sizeof(s->hierarchy_name));
	if (s->enabled == T_YES && s->on_dfl == T_YES && stat_known) {
		if (has(&e->stat, s->name)) {
			s->implicit_on_dfl = T_YES;
		} else {
			s->implicit_on_dfl = T_NO;
			s->dfl_cftypes = T_NO;
		}
	}
	rule_reasons(s);
}

/* A mask read from a cgroupfs file of names. */
static void names_mask(struct model *m, int k, const struct names *l)
{
	struct cg_mask *mk = &m->mask[k];

	mk->names_known = true;
	strcpy(mk->via, "cgroupfs");
	for (int i = 0; i < m->nss; i++)
		if (has(l, m->ss[i].name))
			mk->members |= (uint64_t)1 << i;
	if (ids_known(m, mk->members)) {
		mk->value = members_to_bits(m, mk->members);
		mk->value_known = true;
	}
}

int source_userspace(struct model *m, char *err, size_t errlen)
{
	const char *proc = env_path("CGMASK_PROC", "/proc");
	struct evidence *e = calloc(1, sizeof(*e));
	char root[PATH_MAX];
	size_t len;
	int newer, r = -1;
	bool stat_known;

	model_init(m, SRC_USERSPACE);
	if (!e)
		return seterr(err, errlen, "out of memory");
	if (cgroup2_root(root, sizeof(root), err, errlen) ||
	    read_names(root, "cgroup.controllers", &e->vis, err, errlen))
		goto out;
	e->subtree_ok = !read_names(root, "cgroup.subtree_control", &e->subtree, err, errlen);
	read_stat(root, e);
	read_rows(proc, e);
	read_cmdline(proc, e);
	{
		char path[PATH_MAX];

		if (join(path, sizeof(path), proc, "mounts") || read_all(path, &e->mounts, &len, MAX_FILE))
			e->mounts = NULL;
	}
	if (kernel_release(m->release, sizeof(m->release)))
		m->release[0] = 0;
	newer = release_cmp(m->release, 6, 11);	/* -1: before 6.11, -2: unknown */
	stat_known = e->stat_ok && (e->stat.n || newer >= 0);
	m->mask_width = width_for_release(m->release);

	for (int i = 0; i < e->nrows; i++)
		if (!model_add(m, v2_name_of(e->rows[i].name)))
			goto too_many;
	if (merge(m, &e->stat) || merge(m, &e->vis))
		goto too_many;
	for (int i = 0; i < m->nss; i++)
		infer(&m->ss[i], e, stat_known);

	m->complete = e->rows_ok && (newer == -1 || (newer >= 0 && stat_known));
	if (e->rows_ok && newer == -1 && m->nss == e->nrows) {
		for (int i = 0; i < m->nss; i++)
			m->ss[i].id = i;
		m->subsys_count = m->nss;
	}
	names_mask(m, MASK_ROOT, &e->vis);
	if (e->subtree_ok)
		names_mask(m, MASK_SUBTREE, &e->subtree);
	model_derive(m);
	if (snprintf(m->input, sizeof(m->input), "%s,%s", root, proc) >= (int)sizeof(m->input))
		strcpy(m->input + sizeof(m->input) - 4, "...");
	r = 0;
	goto out;
too_many:
	seterr(err, errlen, "more than %d controllers", CG_MAX_SS);
out:
	free(e->mounts);
	free(e);
	return r;
}
