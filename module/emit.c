// SPDX-License-Identifier: GPL-2.0
/*
 * Emit: a snapshot as text, in the format of docs/format.md. Nothing but
 * formatting happens here.
 */
#include "cgmask.h"

#include <linux/seq_file.h>
#include <linux/utsname.h>

static const char *const cgmask_mask_names[CGMASK_NR_MASKS] = {
	[CGMASK_IMPLICIT] = "implicit",
	[CGMASK_INHIBIT] = "inhibit",
	[CGMASK_THREADED] = "threaded",
	[CGMASK_SUBSYS] = "subsys_mask",
	[CGMASK_SUBTREE] = "subtree_control",
	[CGMASK_ROOT_CTRL] = "root_controllers",
};

static const char *const cgmask_via_names[] = {
	[CGMASK_VIA_NONE] = "-",
	[CGMASK_VIA_EXPORT] = "export",
	[CGMASK_VIA_PARAM] = "param",
	[CGMASK_VIA_KPROBE] = "kprobe",
};

static const char *const cgmask_lock_names[] = {
	[CGMASK_LOCK_MUTEX] = "mutex",
	[CGMASK_LOCK_RCU] = "rcu",
	[CGMASK_LOCK_NONE] = "none",
};

static const char *const cgmask_why_names[] = {
	"disabled", "v1", "implicit", "inhibited",
};

static void cgmask_emit_hex(struct seq_file *m, const char *key, u64 v)
{
	seq_printf(m, " %s=0x%0*llx", key, (int)(CGMASK_WIDTH / 4),
		   (unsigned long long)(v & CGMASK_ALL));
}

/* A kernel string as one value: printable ASCII except \ = , kept. */
static void cgmask_emit_str(struct seq_file *m, const char *key,
			    const char *s)
{
	const char *p;

	seq_printf(m, " %s=", key);
	if (!*s) {
		seq_putc(m, '-');
		return;
	}
	for (p = s; *p; p++) {
		unsigned char c = *p;
		bool lone = p == s && !p[1] && (c == '-' || c == '?');

		if (c > ' ' && c < 0x7f && c != '\\' && c != '=' &&
		    c != ',' && !lone)
			seq_putc(m, c);
		else
			seq_printf(m, "\\x%02x", c);
	}
}

/* A mask as a list of subsystem names, "-" when empty (both files). */
void cgmask_put_names(struct seq_file *m, const struct cgmask_snapshot *snap,
		      u64 mask)
{
	const char *sep = "";
	unsigned int i;

	if (!(mask & CGMASK_ALL))
		seq_putc(m, '-');
	for (i = 0; i < snap->nr_ss; i++) {
		if (!(mask & BIT_ULL(i)))
			continue;
		seq_printf(m, "%s%s", sep, snap->ss[i].name);
		sep = ",";
	}
}

static void cgmask_emit_names(struct seq_file *m, const char *key,
			      const struct cgmask_snapshot *snap, u64 mask)
{
	seq_printf(m, " %s=", key);
	cgmask_put_names(m, snap, mask);
}

static void cgmask_emit_bool(struct seq_file *m, const char *key, bool v)
{
	seq_printf(m, " %s=%d", key, v);
}

static void cgmask_emit_mask(struct seq_file *m,
			     const struct cgmask_snapshot *snap, int id)
{
	const struct cgmask_mask *mk = &snap->masks[id];
	cgmask_t value = cgmask_mask_value(mk);

	seq_printf(m, "mask name=%s", cgmask_mask_names[id]);
	cgmask_emit_hex(m, "value", value);
	if (mk->has_read)
		cgmask_emit_hex(m, "read", mk->read);
	else
		seq_puts(m, " read=-");
	if (mk->has_derived)
		cgmask_emit_hex(m, "derived", mk->derived);
	else
		seq_puts(m, " derived=-");
	if (mk->has_read && mk->has_derived)
		cgmask_emit_bool(m, "agree", mk->read == mk->derived);
	else
		seq_puts(m, " agree=-");
	seq_printf(m, " via=%s", cgmask_via_names[mk->via]);
	cgmask_emit_names(m, "names", snap, value);
	seq_putc(m, '\n');
}

static void cgmask_emit_ss(struct seq_file *m,
			   const struct cgmask_snapshot *snap, int id)
{
	const struct cgmask_ss *ss = &snap->ss[id];
	unsigned int why = cgmask_reasons(snap, id);
	const char *sep = "";
	int i;

	seq_printf(m, "ss id=%d", ss->id);
	cgmask_emit_str(m, "name", ss->name);
	cgmask_emit_str(m, "legacy_name", ss->legacy_name);
	cgmask_emit_bool(m, "enabled", ss->enabled);
	cgmask_emit_bool(m, "on_dfl", ss->on_dfl);
	if (ss->root_known) {
		seq_printf(m, " hierarchy_id=%d", ss->hierarchy_id);
		cgmask_emit_str(m, "hierarchy_name", ss->hierarchy_name);
	} else {
		seq_puts(m, " hierarchy_id=? hierarchy_name=?");
	}
	cgmask_emit_bool(m, "implicit_on_dfl", ss->implicit_on_dfl);
	cgmask_emit_bool(m, "threaded", ss->threaded);
	cgmask_emit_bool(m, "dfl_cftypes", ss->dfl_cftypes);
	cgmask_emit_bool(m, "legacy_cftypes", ss->legacy_cftypes);
	cgmask_emit_bool(m, "early_init", ss->early_init);
	cgmask_emit_names(m, "depends_on", snap, ss->depends_on);
	cgmask_emit_bool(m, "visible", cgmask_visible(snap, id));
	seq_puts(m, " reasons=");
	if (!why)
		seq_putc(m, '-');
	for (i = 0; i < ARRAY_SIZE(cgmask_why_names); i++) {
		if (!(why & BIT(i)))
			continue;
		seq_printf(m, "%s%s", sep, cgmask_why_names[i]);
		sep = ",";
	}
	seq_putc(m, '\n');
}

void cgmask_emit(struct seq_file *m, const struct cgmask_snapshot *snap)
{
	unsigned int i;

	seq_printf(m, "cgmask-format %d\n", CGMASK_FORMAT_VERSION);
	seq_puts(m, "kernel");
	cgmask_emit_str(m, "release", init_utsname()->release);
	seq_printf(m, " module=%s subsys_count=%d mask_width=%zu lock=%s\n",
		   CGMASK_VERSION, CGROUP_SUBSYS_COUNT, CGMASK_WIDTH,
		   cgmask_lock_names[snap->lock]);
	for (i = 0; i < CGMASK_NR_MASKS; i++)
		cgmask_emit_mask(m, snap, i);
	for (i = 0; i < snap->nr_ss; i++)
		cgmask_emit_ss(m, snap, i);
	seq_printf(m, "end subsystems=%u\n", snap->nr_ss);
}
