// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the cgmask KUnit suites (see cgmask_kunit.h and
 * cgmask_kunit_seq.h).
 */
#include "cgmask_kunit.h"

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#define CGM_TEXT_LEN	512

struct cgmask_snapshot *cgm_snap_new(struct kunit *test,
				     const struct cgm_row *rows,
				     unsigned int n)
{
	struct cgmask_snapshot *snap;
	unsigned int i;

	if (n > CGROUP_SUBSYS_COUNT)
		kunit_skip(test, "table has %u subsystems, these headers only %d",
			   n, CGROUP_SUBSYS_COUNT);
	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	snap->nr_ss = n;
	for (i = 0; i < n; i++) {
		struct cgmask_ss *ss = &snap->ss[i];

		ss->id = i;
		strscpy(ss->name, rows[i].name, sizeof(ss->name));
		strscpy(ss->legacy_name, rows[i].name, sizeof(ss->legacy_name));
		ss->enabled = rows[i].enabled;
		ss->bound_dfl = rows[i].bound_dfl;
		ss->on_dfl = rows[i].bound_dfl;
		ss->root_known = rows[i].bound_dfl;
		ss->implicit_on_dfl = rows[i].implicit_on_dfl;
		ss->threaded = rows[i].threaded;
		ss->dfl_cftypes = rows[i].dfl_cftypes;
		ss->legacy_cftypes = true;
	}
	return snap;
}

int cgm_id(struct kunit *test, const struct cgmask_snapshot *snap,
	   const char *name)
{
	unsigned int i;

	for (i = 0; i < snap->nr_ss; i++)
		if (!strcmp(snap->ss[i].name, name))
			return i;
	KUNIT_ASSERT_FAILURE(test, "no subsystem named %s in the table", name);
	return -1;
}

struct cgmask_ss *cgm_ss(struct kunit *test, struct cgmask_snapshot *snap,
			 const char *name)
{
	return &snap->ss[cgm_id(test, snap, name)];
}

u64 cgm_mask(struct kunit *test, const struct cgmask_snapshot *snap,
	     const char *names)
{
	char *buf, *s, *tok;
	u64 mask = 0;

	if (!strcmp(names, "-"))
		return 0;
	buf = kunit_kzalloc(test, strlen(names) + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	strcpy(buf, names);
	s = buf;
	while ((tok = strsep(&s, ",")))
		mask |= BIT_ULL(cgm_id(test, snap, tok));
	return mask;
}

const char *cgm_render(struct kunit *test,
		       const struct cgmask_snapshot *snap, u64 mask)
{
	char *buf = kunit_kzalloc(test, CGM_TEXT_LEN, GFP_KERNEL);
	const char *sep = " ";
	size_t len;
	unsigned int i;

	if (!buf)
		return "(no memory)";
	len = scnprintf(buf, CGM_TEXT_LEN, "0x%0*llx", (int)(CGMASK_WIDTH / 4),
			(unsigned long long)mask);
	if (!mask)
		len += scnprintf(buf + len, CGM_TEXT_LEN - len, " -");
	for (i = 0; i < 64; i++) {
		if (!(mask & BIT_ULL(i)))
			continue;
		if (i < snap->nr_ss)
			len += scnprintf(buf + len, CGM_TEXT_LEN - len, "%s%s",
					 sep, snap->ss[i].name);
		else
			len += scnprintf(buf + len, CGM_TEXT_LEN - len, "%s#%u",
					 sep, i);
		sep = ",";
	}
	return buf;
}

const char *cgm_reasons(struct kunit *test, unsigned int why)
{
	static const char *const names[] = {
		"disabled", "v1", "implicit", "inhibited",
	};
	char *buf = kunit_kzalloc(test, CGM_TEXT_LEN, GFP_KERNEL);
	const char *sep = "";
	size_t len = 0;
	unsigned int i;

	if (!buf)
		return "(no memory)";
	if (!why)
		return "-";
	for (i = 0; i < 32; i++) {
		if (!(why & BIT(i)))
			continue;
		if (i < ARRAY_SIZE(names))
			len += scnprintf(buf + len, CGM_TEXT_LEN - len, "%s%s",
					 sep, names[i]);
		else
			len += scnprintf(buf + len, CGM_TEXT_LEN - len,
					 "%sbit%u", sep, i);
		sep = ",";
	}
	return buf;
}

struct seq_file *cgm_seq_new(struct kunit *test, size_t size)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	m->size = size;
	return m;
}

const char *cgm_seq_line(struct kunit *test, struct seq_file *m,
			 unsigned int n)
{
	const char *p = m->buf, *end = m->buf + m->count, *nl;
	char *line;

	KUNIT_ASSERT_LT_MSG(test, m->count, m->size, "seq_file overflowed");
	for (; n && p < end; n--) {
		nl = memchr(p, '\n', end - p);
		p = nl ? nl + 1 : end;
	}
	nl = memchr(p, '\n', end - p);
	if (!nl)
		nl = end;
	line = kunit_kzalloc(test, nl - p + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, line);
	memcpy(line, p, nl - p);
	return line;
}

MODULE_DESCRIPTION("KUnit suites for cgmask");
MODULE_LICENSE("GPL");
