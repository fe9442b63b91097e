// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask: why does the root's cgroup.controllers miss a controller?
 *
 * Publishes /sys/kernel/debug/cgmask: every cgroup subsystem the kernel
 * was built with, the kernel's default-hierarchy masks, and per subsystem
 * whether the root's cgroup.controllers shows it and why not. The format
 * is described in docs/format.md; it is versioned and stable within a
 * version. The file is read-only (0444, no write, ioctl or mmap), so it
 * can be read under lockdown=integrity.
 */
#include "cgmask.h"

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

static struct dentry *cgmask_file;

/*
 * The last text sent and the snapshot it was made from. The text is a
 * function of the snapshot alone (cgmask_emit() adds only constants), so
 * a read whose snapshot is byte for byte the same sends the same bytes
 * without formatting them again: most reads find nothing changed, and
 * formatting is most of what a read costs.
 */
static DEFINE_MUTEX(cgmask_last_lock);
static struct cgmask_snapshot *cgmask_last_snap;
static char *cgmask_last_text;
static size_t cgmask_last_len;

/* Caller holds cgmask_last_lock. Keeps @snap (sets it to NULL) if used. */
static void cgmask_keep_last(struct cgmask_snapshot **snap, const char *text,
			     size_t len)
{
	char *copy = kmemdup(text, len, GFP_KERNEL);

	if (!copy)
		return;		/* the next read formats again */
	kfree(cgmask_last_text);
	kfree(cgmask_last_snap);
	cgmask_last_text = copy;
	cgmask_last_len = len;
	cgmask_last_snap = *snap;
	*snap = NULL;
}

static int cgmask_show(struct seq_file *m, void *v)
{
	struct cgmask_snapshot *snap;
	size_t start = m->count;
	int ret;

	snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	ret = cgmask_snapshot_take(snap);
	if (ret)
		goto out_free_snap;
	mutex_lock(&cgmask_last_lock);
	if (cgmask_last_snap &&
	    !memcmp(snap, cgmask_last_snap, sizeof(*snap))) {
		seq_write(m, cgmask_last_text, cgmask_last_len);
	} else {
		cgmask_emit(m, snap);
		if (!seq_has_overflowed(m))
			cgmask_keep_last(&snap, m->buf + start, m->count - start);
	}
	mutex_unlock(&cgmask_last_lock);
out_free_snap:
	kfree(snap);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(cgmask);

/* Refuse to load, with one line saying why, unless the kernel looks right. */
static int cgmask_check_kernel(void)
{
	struct cgmask_snapshot *snap;
	char why[128];
	int ret;

	snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	ret = cgmask_snapshot_take(snap);
	if (ret) {
		pr_err("refusing to load: cannot take a consistent snapshot (%d)\n",
		       ret);
		goto out_free_snap;
	}
	ret = cgmask_snapshot_validate(snap, cgmask_ss_names, why, sizeof(why));
	if (ret)
		pr_err("refusing to load: %s\n", why);

out_free_snap:
	kfree(snap);
	return ret;
}

static int __init cgmask_init(void)
{
	int ret;

	ret = cgmask_sym_init();
	if (ret)
		return ret;
	ret = cgmask_check_kernel();
	if (ret)
		return ret;
	cgmask_file = debugfs_create_file("cgmask", 0444, NULL, NULL,
					  &cgmask_fops);
	if (IS_ERR(cgmask_file)) {
		ret = PTR_ERR(cgmask_file);
		pr_err("refusing to load: cannot create debugfs file cgmask (%d)\n",
		       ret);
		return ret;
	}
	ret = cgmask_cgroups_init();
	if (ret)
		goto out_remove_file;
	return 0;

out_remove_file:
	debugfs_remove(cgmask_file);
	return ret;
}

static void __exit cgmask_exit(void)
{
	cgmask_cgroups_exit();
	debugfs_remove(cgmask_file);
	kfree(cgmask_last_text);
	kfree(cgmask_last_snap);
}

module_init(cgmask_init);
module_exit(cgmask_exit);

MODULE_DESCRIPTION("Why the root's cgroup.controllers misses controllers");
MODULE_AUTHOR("The cgmask developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(CGMASK_VERSION);
