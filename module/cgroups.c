// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/cgmask_cgroups: one record per cgroup of the default
 * hierarchy, in pre-order, with the masks that decide which controllers
 * each cgroup offers. The format is described in docs/format.md.
 *
 * The dump streams through seq_file, so it works for any number of
 * cgroups. The walk is the kernel's own css_next_descendant_pre() over the
 * cgroups' self csses. It never takes cgroup_mutex, so it never delays a
 * cgroup creation: each step (find the next cgroup, print one record)
 * runs under the RCU read lock and drops it before returning, and the
 * fields of a record are read the way the kernel's own cgroupfs files
 * (cgroup.controllers, cgroup.type) read them, without cgroup_mutex. What
 * carries the position from one step to the next, and from one read() to
 * the next, is a reference on the self css of the current cgroup: it keeps
 * that cgroup, its ancestors and its place in the sibling list alive,
 * which is all css_next_descendant_pre() needs to resume (see
 * css_next_child() in kernel/cgroup/cgroup.c).
 */
#include "cgmask.h"

#include <linux/cgroup.h>
#include <linux/debugfs.h>
#include <linux/kernfs.h>
#include <linux/limits.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

#define CGMASK_CGROUPS_FORMAT_VERSION	1

struct cgmask_cg_iter {
	struct cgmask_snapshot *snap;	/* subsystems and boot-time masks */
	cgmask_t threaded;		/* cgrp_dfl_threaded_ss_mask */
	cgmask_t hidden;		/* inhibit | implicit */
	struct cgroup_subsys_state *pos;	/* pinned: record at pos_index */
	loff_t pos_index;
	loff_t end_index;		/* index of the end record, 0: not reached */
	unsigned long count;		/* cgroup records up to pos */
	bool skipped;			/* pos went offline: not printed */
	char *path;			/* PATH_MAX bytes */
};

/* The iterator's positions that are not a cgroup: header, then end. */
static char cgmask_cg_end;
#define CGMASK_CG_END	((void *)&cgmask_cg_end)

static struct dentry *cgmask_cg_file;

static struct cgroup_subsys_state *cgmask_cg_root(void)
{
	return &cgrp_dfl_root.cgrp.self;
}

/* The kernel's cgroup_has_tasks(); Kbuild says where the counter lives. */
static bool cgmask_cg_has_tasks(const struct cgroup *cgrp)
{
#ifdef CGMASK_SELF_POPULATED
	return READ_ONCE(cgrp->self.nr_populated_csets);
#else
	return READ_ONCE(cgrp->nr_populated_csets);
#endif
}

/* The kernel's cgroup_is_threaded(), cgroup_is_thread_root() and friends. */
static bool cgmask_cg_is_threaded(const struct cgroup *cgrp)
{
	return READ_ONCE(cgrp->dom_cgrp) != cgrp;
}

static bool cgmask_cg_is_thread_root(const struct cgroup *cgrp,
				     cgmask_t threaded)
{
	if (cgmask_cg_is_threaded(cgrp))
		return false;
	if (READ_ONCE(cgrp->nr_threaded_children))
		return true;
	return cgmask_cg_has_tasks(cgrp) &&
	       (READ_ONCE(cgrp->subtree_control) & threaded);
}

static bool cgmask_cg_is_valid_domain(struct cgroup *cgrp, cgmask_t threaded)
{
	if (cgmask_cg_is_threaded(cgrp))
		return false;
	while ((cgrp = cgroup_parent(cgrp))) {
		/* Only the root is mixable. */
		if (cgroup_parent(cgrp) &&
		    cgmask_cg_is_thread_root(cgrp, threaded))
			return false;
		if (cgmask_cg_is_threaded(cgrp))
			return false;
	}
	return true;
}

/*
 * cgroup_type_show(), with "_" for the space. The root has no cgroup.type;
 * the kernel's rule would call it a thread root whenever it has tasks and
 * a threaded controller enabled, so say only whether it has threaded
 * children.
 */
static const char *cgmask_cg_type(struct cgroup *cgrp, cgmask_t threaded)
{
	if (!cgroup_parent(cgrp))
		return READ_ONCE(cgrp->nr_threaded_children) ?
		       "domain_threaded" : "domain";
	if (cgmask_cg_is_threaded(cgrp))
		return "threaded";
	if (!cgmask_cg_is_valid_domain(cgrp, threaded))
		return "domain_invalid";
	if (cgmask_cg_is_thread_root(cgrp, threaded))
		return "domain_threaded";
	return "domain";
}

/* cgroup_control(): what cgroup.controllers lists. */
static cgmask_t cgmask_cg_control(const struct cgmask_cg_iter *it,
				  struct cgroup *cgrp)
{
	struct cgroup *parent = cgroup_parent(cgrp);
	cgmask_t mask;

	if (!parent)
		return READ_ONCE(cgrp_dfl_root.subsys_mask) & ~it->hidden &
		       CGMASK_ALL;
	mask = READ_ONCE(parent->subtree_control);
	if (cgmask_cg_is_threaded(cgrp))
		mask &= it->threaded;
	return mask & CGMASK_ALL;
}

/* Subsystems with an online, not dying css. Caller holds rcu_read_lock(). */
static cgmask_t cgmask_cg_live(struct cgroup *cgrp)
{
	cgmask_t live = 0;
	int i;

	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		struct cgroup_subsys_state *css = rcu_dereference(cgrp->subsys[i]);

		if (css && (READ_ONCE(css->flags) & CSS_ONLINE) &&
		    !css_is_dying(css))
			live |= (cgmask_t)BIT_ULL(i);
	}
	return live;
}

static bool cgmask_cg_plain(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '\\' && c != '=' && c != ',';
}

/* A kernel string as one value, escaped as docs/format.md says. */
static void cgmask_cg_put_str(struct seq_file *m, const char *s)
{
	const char *p;

	if (!*s) {
		seq_putc(m, '-');
		return;
	}
	/* The common case, in one copy: nothing to escape. */
	for (p = s; *p && cgmask_cg_plain(*p); p++)
		;
	if (!*p && (p - s > 1 || (*s != '-' && *s != '?'))) {
		seq_write(m, s, p - s);
		return;
	}
	for (p = s; *p; p++) {
		unsigned char c = *p;
		bool lone = p == s && !p[1] && (c == '-' || c == '?');

		if (cgmask_cg_plain(c) && !lone)
			seq_putc(m, c);
		else
			seq_printf(m, "\\x%02x", c);
	}
}

/* " key=" and @val, into @p; returns the end. */
static char *cgmask_cg_key(char *p, const char *key, const char *val)
{
	size_t klen = strlen(key), vlen = strlen(val);

	*p++ = ' ';
	memcpy(p, key, klen);
	p += klen;
	*p++ = '=';
	memcpy(p, val, vlen);
	return p + vlen;
}

/* " key=0x" and the mask in CGMASK_WIDTH / 4 hex digits, into @p. */
static char *cgmask_cg_hex(char *p, const char *key, u64 v)
{
	int i;

	p = cgmask_cg_key(p, key, "0x");
	for (i = CGMASK_WIDTH / 4 - 1; i >= 0; i--)
		*p++ = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
	return p;
}

static void cgmask_cg_show_header(struct seq_file *m,
				  const struct cgmask_cg_iter *it)
{
	const struct cgmask_snapshot *snap = it->snap;
	unsigned int i;

	seq_printf(m, "cgmask-cgroups-format %d\nkernel release=",
		   CGMASK_CGROUPS_FORMAT_VERSION);
	cgmask_cg_put_str(m, init_utsname()->release);
	seq_printf(m, " module=%s subsys_count=%d mask_width=%zu lock=rcu\n",
		   CGMASK_VERSION, CGROUP_SUBSYS_COUNT, CGMASK_WIDTH);
	for (i = 0; i < snap->nr_ss; i++) {
		const struct cgmask_ss *ss = &snap->ss[i];

		seq_printf(m, "ss id=%d name=", ss->id);
		cgmask_cg_put_str(m, ss->name);
		seq_printf(m, " enabled=%d threaded=%d implicit_on_dfl=%d depends_on=",
			   ss->enabled, ss->threaded, ss->implicit_on_dfl);
		cgmask_put_names(m, snap, ss->depends_on);
		seq_putc(m, '\n');
	}
}

/*
 * One record. seq_printf() is the slow part of a dump of many cgroups, so
 * the fixed-width tail is formatted by hand and written in one go.
 */
static void cgmask_cg_show_cgroup(struct seq_file *m,
				  const struct cgmask_cg_iter *it,
				  struct cgroup *cgrp)
{
	char tail[192], *p = tail;
	int len;

	seq_put_decimal_ull(m, "cgroup id=", cgroup_id(cgrp));
	seq_put_decimal_ull(m, " level=", cgrp->level);
	seq_write(m, " path=", 6);
	/*
	 * Truncation is not reported the same way on every version (a
	 * length past the end, -E2BIG, or a cut path): treat a full
	 * buffer as too long.
	 */
	len = cgroup_path(cgrp, it->path, PATH_MAX);
	if (len <= 0 || len >= PATH_MAX - 1)
		seq_putc(m, '?');
	else
		cgmask_cg_put_str(m, it->path);
	p = cgmask_cg_key(p, "type", cgmask_cg_type(cgrp, it->threaded));
	p = cgmask_cg_hex(p, "controllers", cgmask_cg_control(it, cgrp));
	p = cgmask_cg_hex(p, "subtree_control",
			  READ_ONCE(cgrp->subtree_control) & CGMASK_ALL);
	p = cgmask_cg_hex(p, "subtree_ss_mask",
			  READ_ONCE(cgrp->subtree_ss_mask) & CGMASK_ALL);
	p = cgmask_cg_hex(p, "css", cgmask_cg_live(cgrp));
	*p++ = '\n';
	seq_write(m, tail, p - tail);
}

/* Forget the position: the next record is the header again. */
static void cgmask_cg_reset(struct cgmask_cg_iter *it)
{
	if (it->pos)
		css_put(it->pos);
	it->pos = NULL;
	it->pos_index = 0;
	it->end_index = 0;
	it->count = 0;
	it->skipped = false;
}

/*
 * The next online cgroup after @from (the root when @from is NULL), pinned
 * with a reference; NULL at the end of the walk. @from is pinned by the
 * caller, which is all the walk needs under RCU.
 */
static struct cgroup_subsys_state *
cgmask_cg_walk(struct cgroup_subsys_state *from)
{
	struct cgroup_subsys_state *root = cgmask_cg_root();
	struct cgroup_subsys_state *css = from;

	rcu_read_lock();
	while ((css = css_next_descendant_pre(css, root))) {
		/* Skip cgroups being removed and those already released. */
		if ((READ_ONCE(css->flags) & CSS_ONLINE) && css_tryget(css))
			break;
	}
	rcu_read_unlock();
	return css;
}

/*
 * Every step takes the RCU read lock and drops it before returning: between
 * two steps only the reference on the position is held, whatever seq_file
 * does (a read, or a seek that replays the walk up to an offset).
 */
static void *cgmask_cg_next(struct seq_file *m, void *v, loff_t *ppos)
{
	struct cgmask_cg_iter *it = m->private;
	struct cgroup_subsys_state *next;

	++*ppos;
	if (v == CGMASK_CG_END)
		return NULL;
	cond_resched();
	next = cgmask_cg_walk(v == SEQ_START_TOKEN ? NULL : it->pos);
	if (it->pos)
		css_put(it->pos);
	it->pos = next;
	it->pos_index = *ppos;
	it->skipped = false;
	if (!next) {
		it->end_index = *ppos;
		return CGMASK_CG_END;
	}
	it->count++;
	return next;
}

static void *cgmask_cg_start(struct seq_file *m, loff_t *ppos)
{
	struct cgmask_cg_iter *it = m->private;
	loff_t index = 0;
	void *v;

	if (*ppos && it->end_index && *ppos >= it->end_index)
		return *ppos == it->end_index ? CGMASK_CG_END : NULL;
	if (*ppos && it->pos && *ppos == it->pos_index)
		return it->pos;
	/* Offset 0, or a position this walk has not pinned: walk anew. */
	cgmask_cg_reset(it);
	v = SEQ_START_TOKEN;
	while (v && index < *ppos)
		v = cgmask_cg_next(m, v, &index);
	return v;
}

static void cgmask_cg_stop(struct seq_file *m, void *v)
{
	/* Nothing is locked between steps (see cgmask_cg_next()). */
}

/* One cgroup record, unless the cgroup went offline since it was pinned. */
static int cgmask_cg_show_pinned(struct seq_file *m, struct cgmask_cg_iter *it,
				 struct cgroup_subsys_state *css)
{
	if (!(READ_ONCE(css->flags) & CSS_ONLINE)) {
		/* show() may run twice for one record; count it out once. */
		if (!it->skipped)
			it->count--;
		it->skipped = true;
		return SEQ_SKIP;
	}
	rcu_read_lock();
	cgmask_cg_show_cgroup(m, it, css->cgroup);
	rcu_read_unlock();
	return 0;
}

static int cgmask_cg_show(struct seq_file *m, void *v)
{
	struct cgmask_cg_iter *it = m->private;

	if (v == SEQ_START_TOKEN) {
		cgmask_cg_show_header(m, it);
		return 0;
	}
	if (v == CGMASK_CG_END) {
		seq_printf(m, "end cgroups=%lu\n", it->count);
		return 0;
	}
	return cgmask_cg_show_pinned(m, it, v);
}

static const struct seq_operations cgmask_cg_sops = {
	.start = cgmask_cg_start,
	.next = cgmask_cg_next,
	.stop = cgmask_cg_stop,
	.show = cgmask_cg_show,
};

static void cgmask_cg_free(struct cgmask_cg_iter *it)
{
	cgmask_cg_reset(it);
	kfree(it->path);
	kfree(it->snap);
}

static int cgmask_cg_open(struct inode *inode, struct file *file)
{
	struct cgmask_cg_iter *it;
	int ret;

	it = __seq_open_private(file, &cgmask_cg_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->snap = kzalloc(sizeof(*it->snap), GFP_KERNEL);
	it->path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!it->snap || !it->path) {
		ret = -ENOMEM;
		goto out_release;
	}
	ret = cgmask_snapshot_take(it->snap);
	if (ret)
		goto out_release;
	it->threaded = cgmask_mask_value(&it->snap->masks[CGMASK_THREADED]);
	it->hidden = cgmask_mask_value(&it->snap->masks[CGMASK_INHIBIT]) |
		     cgmask_mask_value(&it->snap->masks[CGMASK_IMPLICIT]);
	return 0;

out_release:
	cgmask_cg_free(it);
	seq_release_private(inode, file);
	return ret;
}

static int cgmask_cg_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	cgmask_cg_free(m->private);
	return seq_release_private(inode, file);
}

static const struct file_operations cgmask_cg_fops = {
	.owner = THIS_MODULE,
	.open = cgmask_cg_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = cgmask_cg_release,
};

int cgmask_cgroups_init(void)
{
	cgmask_cg_file = debugfs_create_file("cgmask_cgroups", 0444, NULL, NULL,
					     &cgmask_cg_fops);
	if (IS_ERR(cgmask_cg_file)) {
		int ret = PTR_ERR(cgmask_cg_file);

		pr_err("refusing to load: cannot create debugfs file cgmask_cgroups (%d)\n",
		       ret);
		return ret;
	}
	return 0;
}

void cgmask_cgroups_exit(void)
{
	debugfs_remove(cgmask_cg_file);
}
