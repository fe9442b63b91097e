// SPDX-License-Identifier: GPL-2.0
/*
 * "cgmask check" and "cgmask why": answers about named controllers, from
 * the model only.
 */
#include <string.h>

#include "cgmask.h"

static const char *const reason_text[R_COUNT] = {
	[R_DISABLED] = "disabled (booted with cgroup_disable=)",
	[R_V1] = "v1 (bound to a v1 hierarchy)",
	[R_IMPLICIT] = "implicit (flag implicit_on_dfl: always on in v2, nothing to enable)",
	[R_INHIBITED] = "inhibited (no dfl_cftypes: a v1-only controller, v2 has no interface for it)",
};

struct pair {
	const char *name, *text;
};

/* What v2 offers instead of an inhibited (v1-only) controller. */
static const struct pair v2_instead[] = {
	{ "devices", "BPF device programs (BPF_PROG_TYPE_CGROUP_DEVICE, needs CONFIG_CGROUP_BPF), as systemd and runc use" },
	{ "freezer", "the cgroup.freeze file of every non-root cgroup (Linux 5.2+)" },
	{ "cpuacct", "cpu.stat (usage_usec, user_usec, system_usec), which every v2 cgroup has" },
	{ "net_cls", "BPF cgroup socket and skb programs, or nftables matching on the cgroup v2 path" },
	{ "net_prio", "BPF cgroup skb programs, or tc/nftables classification by cgroup v2 path" },
	{ "hugetlb", "a kernel with hugetlb v2 support (Linux 5.6+)" },
	{ "debug", "booting with cgroup_debug, which makes it an implicit v2 controller" },
	{ NULL, NULL },
};

/* The option that compiles each controller in (include/linux/cgroup_subsys.h). */
static const struct pair configs[] = {
	{ "cpuset", "CONFIG_CPUSETS" }, { "cpu", "CONFIG_CGROUP_SCHED" },
	{ "cpuacct", "CONFIG_CGROUP_CPUACCT" }, { "io", "CONFIG_BLK_CGROUP" },
	{ "blkio", "CONFIG_BLK_CGROUP" }, { "memory", "CONFIG_MEMCG" },
	{ "devices", "CONFIG_CGROUP_DEVICE" }, { "freezer", "CONFIG_CGROUP_FREEZER" },
	{ "net_cls", "CONFIG_CGROUP_NET_CLASSID" }, { "perf_event", "CONFIG_CGROUP_PERF" },
	{ "net_prio", "CONFIG_CGROUP_NET_PRIO" }, { "hugetlb", "CONFIG_CGROUP_HUGETLB" },
	{ "pids", "CONFIG_CGROUP_PIDS" }, { "rdma", "CONFIG_CGROUP_RDMA" },
	{ "misc", "CONFIG_CGROUP_MISC" }, { "dmem", "CONFIG_CGROUP_DMEM" },
	{ "debug", "CONFIG_CGROUP_DEBUG" }, { NULL, NULL },
};

static const char *pair_text(const struct pair *t, const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t->text;
	return NULL;
}

/* "x (why); y (why)" for the reasons in bits. */
static void reasons_line(unsigned bits, char *buf, size_t n)
{
	buf[0] = 0;
	for (int r = 0; r < R_COUNT; r++)
		if (bits >> r & 1)
			bcat(buf, n, "%s%s", buf[0] ? "; " : "", reason_text[r]);
}

/* A name no compiled-in controller has: the check line, or the why answer. */
static void not_found(const struct model *m, const char *name, FILE *f, bool why)
{
	const char *config = pair_text(configs, name), *src = source_name(m->source);

	if (!config && !why)
		fputs("unknown controller name\n", f);
	else if (!config)
		fprintf(f, "%s is not the name of any Linux cgroup controller (v2 or v1 name).\n", name);
	else if (m->complete && !why)
		fprintf(f, "not compiled into this kernel (needs %s)\n", config);
	else if (m->complete)
		fprintf(f, "%s is not compiled into this kernel (the %s source lists every compiled-in"
			" controller).\nFix: use a kernel built with %s.\n", name, src, config);
	else if (!why)
		fprintf(f, "not found (the %s source cannot list every compiled-in controller;"
			" it needs %s)\n", src, config);
	else
		fprintf(f, "%s was not found, but the %s source cannot list every compiled-in"
			" controller (Linux 6.12+ leaves v2-only controllers out of /proc/cgroups),"
			" so this does not prove it is missing.\nLoad cgmask.ko for a definite answer;"
			" the controller needs %s.\n", name, src, config);
}

/* "not visible: x (why); y (why)", with the reasons the source cannot rule out. */
static void check_line(const struct cg_ss *s, FILE *f)
{
	char buf[1024];

	fputs(s->visible == T_NO ? "not visible: " : "unknown whether visible: ", f);
	reasons_line(s->reasons, buf, sizeof(buf));
	fputs(buf, f);
	if (s->reasons != s->reasons_possible) {
		reasons_line(s->reasons_possible & ~s->reasons, buf, sizeof(buf));
		fprintf(f, "%smay be: %s", s->reasons ? "; " : "", buf);
	}
	fputc('\n', f);
}

int cmd_check(const struct model *m, char *const *names, int n, FILE *f, bool json)
{
	struct out o;
	int rc = 0;

	out_init(&o, f, json);
	jw_open(&o, NULL, '{', false);
	if (json)
		render_json_head(m, &o);
	jw_open(&o, "controllers", '[', false);
	for (int j = 0; j < n; j++) {
		int i = model_find(m, names[j]);
		const struct cg_ss *s = i >= 0 ? &m->ss[i] : NULL;

		jw_open(&o, NULL, '{', false);
		print_val(&o, PRINT_ANY, "name", "%s: ", v_str(names[j], true));
		print_val(&o, PRINT_JSON, "found", NULL, v_tri(s != NULL));
		print_val(&o, PRINT_JSON, "known_name", NULL,
			  v_tri(s || pair_text(configs, names[j])));
		print_val(&o, PRINT_JSON, "compiled", NULL, v_tri(s ? T_YES : m->complete ? T_NO : T_UNK));
		print_val(&o, PRINT_JSON, "controller", NULL, v_str(s ? s->name : "", s));
		print_val(&o, PRINT_JSON, "visible", NULL, v_tri(s ? s->visible : T_NO));
		print_val(&o, PRINT_JSON, "reasons", NULL,
			  s ? v_reasons(s->reasons, s->reasons_possible) : v_null());
		print_val(&o, PRINT_JSON, "reasons_possible", NULL,
			  s ? v_reasons(s->reasons_possible, s->reasons_possible) : v_null());
		if (!s || s->visible != T_YES)
			rc = 1;
		if (!json && !s)
			not_found(m, names[j], f, false);
		else if (!json && s->visible != T_YES)
			check_line(s, f);
		else if (!json)
			fputs("visible\n", f);
		jw_close(&o, '}');
	}
	jw_close(&o, ']');
	print_val(&o, PRINT_JSON, "ok", NULL, v_tri(rc == 0));
	jw_close(&o, '}');
	return rc;
}

static void why_hidden_by_rule(const struct cg_ss *s, const char *prefix, FILE *f)
{
	const char *instead = pair_text(v2_instead, s->name);

	if (s->reasons >> R_IMPLICIT & 1)
		fprintf(f, "%sit has the flag implicit_on_dfl (kernel mask cgrp_dfl_implicit_ss_mask):"
			" it is always on in v2, in every cgroup, so cgroup.controllers never lists it"
			" and there is nothing to enable.\n", prefix);
	if (s->reasons >> R_INHIBITED & 1) {
		fprintf(f, "%sit has no dfl_cftypes (kernel mask cgrp_dfl_inhibit_ss_mask):"
			" it is a v1-only controller, and v2 has no interface for it.\n", prefix);
		if (instead)
			fprintf(f, "On v2 use instead: %s.\n", instead);
	}
}

/* Where it is bound, and what hides it there. */
static void why_bound(const struct model *m, const struct cg_ss *s, FILE *f)
{
	unsigned rule = (1u << R_IMPLICIT) | (1u << R_INHIBITED);
	char hname[4 * CG_HNAME_LEN];

	if (s->on_dfl == T_NO) {
		if (s->hierarchy_id >= 0)
			fprintf(f, "It is bound to a v1 hierarchy (id %d", s->hierarchy_id);
		else
			fputs("It is bound to a v1 hierarchy (id unknown", f);
		text_escape(s->hierarchy_name, hname, sizeof(hname));
		if (s->hname_known && s->hierarchy_name[0])
			fprintf(f, ", name=%s", hname);
		fprintf(f, "), so it is not in the default hierarchy's subsys_mask.\n"
			"Fix: unmount that v1 hierarchy (see 'grep -w cgroup /proc/mounts'); once it is"
			" unmounted and has no child cgroups left, the kernel destroys it and %s returns to"
			" v2. Boot with cgroup_no_v1=%s to keep it off v1.\n", s->name, s->name);
		if (s->reasons & rule)
			why_hidden_by_rule(s, "Even back on v2 it would stay hidden: ", f);
	} else if (s->on_dfl == T_YES) {
		fputs("It is bound to the default (v2) hierarchy.\n", f);
		if (s->reasons & rule) {
			why_hidden_by_rule(s, "v2 does not list it: ", f);
			fputs("Fix: none; this is how the kernel defines the controller.\n", f);
		}
	} else {
		fputs("Which hierarchy it is bound to is unknown to this source.\n", f);
	}
	if ((s->reasons_possible & ~s->reasons) & rule)
		fprintf(f, "The kernel's v2 rule may %s: either it has the flag implicit_on_dfl"
			" (always on in v2, nothing to enable) or it has no dfl_cftypes (a v1-only"
			" controller). The %s source cannot tell which%s; cgmask.ko or --source ftrace"
			" read the kernel's masks.\n", s->on_dfl == T_NO ? "hide it on v2 too" : "hide it",
			source_name(m->source), s->on_dfl == T_YES ? " (Linux 6.11+ lists implicit"
			" controllers in the root cgroup.stat)" : "");
}

static void why_listed(const struct model *m, const struct cg_ss *s, FILE *f)
{
	int i = (int)(s - m->ss);

	if (s->visible == T_UNK) {
		fputs("Whether the root cgroup.controllers lists it is unknown to this source.\n", f);
		return;
	}
	if (s->visible == T_NO)
		return;
	fputs("It is listed in the root cgroup.controllers.\n", f);
	if (m->mask[MASK_SUBTREE].names_known && (m->mask[MASK_SUBTREE].members >> i & 1))
		fputs("It is enabled for the root's children (root cgroup.subtree_control).\n", f);
	else
		fprintf(f, "To use it in child cgroups: echo +%s > /sys/fs/cgroup/cgroup.subtree_control\n",
			s->name);
	fputs("A cgroup's cgroup.controllers is its parent's cgroup.subtree_control: if a"
	      " container or child cgroup does not list it, an ancestor has not enabled it.\n", f);
}

/* Whether it is enabled, and if so where it is bound and whether it is listed. */
static void why_found(const struct model *m, const struct cg_ss *s, FILE *f)
{
	if (s->id >= 0)
		fprintf(f, "%s (id %d) is compiled into this kernel.\n", s->name, s->id);
	else
		fprintf(f, "%s is compiled into this kernel.\n", s->name);
	if (s->legacy_name[0] && strcmp(s->legacy_name, s->name))
		fprintf(f, "Its v1 name, used in /proc/cgroups and v1 mounts, is %s.\n", s->legacy_name);
	if (s->enabled == T_NO) {
		fprintf(f, "It is disabled: the kernel was booted with cgroup_disable=%s, so it is in"
			" none of the kernel's masks and no hierarchy can use it.\n"
			"Fix: remove cgroup_disable=%s from the kernel command line (on Debian:"
			" GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) and reboot.\n",
			s->name, s->name);
		return;
	}
	fputs(s->enabled == T_YES ? "It is enabled (not switched off with cgroup_disable=).\n" :
	      "Whether it is enabled is unknown to this source (cgroup_disable= switches it off).\n", f);
	why_bound(m, s, f);
	why_listed(m, s, f);
}

int cmd_why(const struct model *m, const char *name, FILE *f)
{
	int i = model_find(m, name);

	if (i < 0)
		not_found(m, name, f, true);
	else
		why_found(m, &m->ss[i], f);
	fprintf(f, "(source: %s, kernel %s)\n", source_name(m->source),
		m->release[0] ? m->release : "?");
	return i >= 0 && m->ss[i].visible == T_YES ? 0 : 1;
}
