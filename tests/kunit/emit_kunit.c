// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask_emit: module/emit.c's text for synthetic snapshots, checked
 * against docs/format.md: record lines, mask rendering, string escaping,
 * and the grammar every line must follow.
 */
#include "cgmask_kunit.h"

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#define DFL	.enabled = true, .bound_dfl = true
#define CFT	.dfl_cftypes = true

static const struct cgm_row cgm_emit_rows[] = {
	{ "cpuset", DFL, .threaded = true, CFT },
	{ "cpu", DFL, .threaded = true, CFT },
	{ "cpuacct", DFL },
	{ "io", DFL, CFT },
	{ "memory", DFL, CFT },
	{ "devices", DFL },
	{ "freezer", .enabled = true },
	{ "net_cls", .enabled = false, .bound_dfl = true },
	{ "perf_event", DFL, .implicit_on_dfl = true, .threaded = true },
};

static struct cgmask_snapshot *cgm_emit_snap(struct kunit *test)
{
	struct cgmask_snapshot *snap;

	snap = cgm_snap_new(test, cgm_emit_rows, ARRAY_SIZE(cgm_emit_rows));
	strscpy(snap->ss[3].legacy_name, "blkio", sizeof(snap->ss[3].legacy_name));
	snap->ss[1].depends_on = BIT(0);
	/* freezer on a named v1 hierarchy */
	snap->ss[6].root_known = true;
	snap->ss[6].hierarchy_id = 3;
	strscpy(snap->ss[6].hierarchy_name, "cgmask",
		sizeof(snap->ss[6].hierarchy_name));
	snap->ss[6].on_dfl = false;
	snap->ss[8].early_init = true;
	return snap;
}

static struct seq_file *cgm_emit_text(struct kunit *test,
				      struct cgmask_snapshot *snap)
{
	struct seq_file *m = cgm_seq_new(test, 2 * PAGE_SIZE);

	cgmask_emit(m, snap);
	KUNIT_ASSERT_LT_MSG(test, m->count, m->size, "emit overflowed");
	return m;
}

static void cgmask_emit_header_lines(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_emit_snap(test);
	struct seq_file *m;
	char want[96];

	snap->lock = CGMASK_LOCK_RCU;
	cgmask_derive(snap);
	m = cgm_emit_text(test, snap);
	snprintf(want, sizeof(want), " module=kunit subsys_count=%d mask_width=%zu lock=rcu",
		 CGROUP_SUBSYS_COUNT, CGMASK_WIDTH);

	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 0), "cgmask-format 1");
	KUNIT_EXPECT_TRUE(test, str_has_prefix(cgm_seq_line(test, m, 1),
					       "kernel release="));
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(cgm_seq_line(test, m, 1), want),
				  "%s", cgm_seq_line(test, m, 1));
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 2 + CGMASK_NR_MASKS +
					      ARRAY_SIZE(cgm_emit_rows)),
			   "end subsystems=9");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 3 + CGMASK_NR_MASKS +
					      ARRAY_SIZE(cgm_emit_rows)), "");
}

static void cgmask_emit_mask_lines(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_emit_snap(test);
	struct cgmask_mask *implicit = &snap->masks[CGMASK_IMPLICIT];
	struct cgmask_mask *threaded = &snap->masks[CGMASK_THREADED];
	struct cgmask_mask *subtree = &snap->masks[CGMASK_SUBTREE];
	struct seq_file *m;

	implicit->has_read = true;
	implicit->read = BIT(8);
	implicit->via = CGMASK_VIA_KPROBE;
	threaded->has_read = true;
	threaded->read = BIT(0);	/* disagrees with the rows */
	threaded->via = CGMASK_VIA_PARAM;
	subtree->has_read = true;
	subtree->read = BIT(4) | BIT(1);
	subtree->via = CGMASK_VIA_EXPORT;
	cgmask_derive(snap);
	m = cgm_emit_text(test, snap);

	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 2),
			   "mask name=implicit value=0x0100 read=0x0100 derived=0x0100 agree=1 via=kprobe names=perf_event");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 3),
			   "mask name=inhibit value=0x0064 read=- derived=0x0064 agree=- via=- names=cpuacct,devices,freezer");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 4),
			   "mask name=threaded value=0x0001 read=0x0001 derived=0x0103 agree=0 via=param names=cpuset");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 5),
			   "mask name=subsys_mask value=0x013f read=- derived=0x013f agree=- via=- names=cpuset,cpu,cpuacct,io,memory,devices,perf_event");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 6),
			   "mask name=subtree_control value=0x0012 read=0x0012 derived=- agree=- via=export names=cpu,memory");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 7),
			   "mask name=root_controllers value=0x001b read=- derived=0x001b agree=- via=- names=cpuset,cpu,io,memory");
}

static void cgmask_emit_ss_lines(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_emit_snap(test);
	struct seq_file *m;

	cgmask_derive(snap);
	m = cgm_emit_text(test, snap);

	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 8 + 1),
			   "ss id=1 name=cpu legacy_name=cpu enabled=1 on_dfl=1 hierarchy_id=0 hierarchy_name=- implicit_on_dfl=0 threaded=1 dfl_cftypes=1 legacy_cftypes=1 early_init=0 depends_on=cpuset visible=1 reasons=-");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 8 + 3),
			   "ss id=3 name=io legacy_name=blkio enabled=1 on_dfl=1 hierarchy_id=0 hierarchy_name=- implicit_on_dfl=0 threaded=0 dfl_cftypes=1 legacy_cftypes=1 early_init=0 depends_on=- visible=1 reasons=-");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 8 + 6),
			   "ss id=6 name=freezer legacy_name=freezer enabled=1 on_dfl=0 hierarchy_id=3 hierarchy_name=cgmask implicit_on_dfl=0 threaded=0 dfl_cftypes=0 legacy_cftypes=1 early_init=0 depends_on=- visible=0 reasons=v1,inhibited");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 8 + 7),
			   "ss id=7 name=net_cls legacy_name=net_cls enabled=0 on_dfl=1 hierarchy_id=0 hierarchy_name=- implicit_on_dfl=0 threaded=0 dfl_cftypes=0 legacy_cftypes=1 early_init=0 depends_on=- visible=0 reasons=disabled");
	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 8 + 8),
			   "ss id=8 name=perf_event legacy_name=perf_event enabled=1 on_dfl=1 hierarchy_id=0 hierarchy_name=- implicit_on_dfl=1 threaded=1 dfl_cftypes=0 legacy_cftypes=1 early_init=1 depends_on=- visible=0 reasons=implicit");
}

/* lock=none: the module could not read the v1 root. */
static void cgmask_emit_ss_root_unknown(struct kunit *test)
{
	struct cgmask_snapshot *snap = cgm_emit_snap(test);
	struct seq_file *m;

	snap->ss[6].root_known = false;
	snap->lock = CGMASK_LOCK_NONE;
	cgmask_derive(snap);
	m = cgm_emit_text(test, snap);

	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(cgm_seq_line(test, m, 8 + 6),
					       " hierarchy_id=? hierarchy_name=? "),
				  "%s", cgm_seq_line(test, m, 8 + 6));
	KUNIT_EXPECT_NOT_NULL(test, strstr(cgm_seq_line(test, m, 1), " lock=none"));
}

/* Hierarchy names come from mount options: anything but NUL. */
struct cgm_escape_case {
	const char *desc;
	const char *in;
	const char *out;
};

static const struct cgm_escape_case cgm_escape_cases[] = {
	{ "empty", "", "-" },
	{ "plain", "cgmask", "cgmask" },
	{ "dot_dash_underscore", "a.b-c_d", "a.b-c_d" },
	{ "double_dash", "--", "--" },
	{ "lone_dash", "-", "\\x2d" },
	{ "lone_question_mark", "?", "\\x3f" },
	{ "space", "a b", "a\\x20b" },
	{ "equals", "a=b", "a\\x3db" },
	{ "comma", "a,b", "a\\x2cb" },
	{ "backslash", "a\\b", "a\\x5cb" },
	{ "escape_lookalike", "\\x20", "\\x5cx20" },
	{ "tab_newline", "\t\n", "\\x09\\x0a" },
	{ "del", "a\x7f", "a\\x7f" },
	{ "utf8", "\xc3\xa9", "\\xc3\\xa9" },
};

static void cgm_escape_desc(const struct cgm_escape_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cgm_escape, cgm_escape_cases, cgm_escape_desc);

static void cgmask_emit_str_escapes(struct kunit *test)
{
	const struct cgm_escape_case *c = test->param_value;
	struct cgmask_snapshot *snap = cgm_emit_snap(test);
	const char *line, *v;
	struct seq_file *m;
	char *want;

	strscpy(snap->ss[6].hierarchy_name, c->in,
		sizeof(snap->ss[6].hierarchy_name));
	cgmask_derive(snap);
	m = cgm_emit_text(test, snap);
	line = cgm_seq_line(test, m, 8 + 6);
	want = kunit_kzalloc(test, 128, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	snprintf(want, 128, " hierarchy_name=%s ", c->out);
	v = strstr(line, want);
	KUNIT_EXPECT_NOT_NULL_MSG(test, v, "want '%s' in '%s'", want, line);
}

/*
 * docs/format.md's grammar, on a dump with hostile strings: TYPE then
 * KEY=VALUE fields, one space apart, keys [a-z0-9_]+, values non-empty
 * without spaces, '=' or control characters.
 */
static void cgmask_emit_grammar(struct kunit *test)
{
	static const char *const types[] = { "kernel", "mask", "ss", "end" };
	struct cgmask_snapshot *snap = cgm_emit_snap(test);
	const char *line, *p, *eq, *end;
	struct seq_file *m;
	unsigned int n, i;
	bool known;

	strscpy(snap->ss[6].hierarchy_name, "a b=c,d\\\x01\xff",
		sizeof(snap->ss[6].hierarchy_name));
	snap->masks[CGMASK_INHIBIT].has_read = true;
	snap->masks[CGMASK_INHIBIT].read = U64_MAX;
	cgmask_derive(snap);
	m = cgm_emit_text(test, snap);

	KUNIT_EXPECT_STREQ(test, cgm_seq_line(test, m, 0), "cgmask-format 1");
	KUNIT_EXPECT_EQ(test, m->buf[m->count - 1], '\n');
	for (n = 1; *(line = cgm_seq_line(test, m, n)); n++) {
		end = strchrnul(line, ' ');
		known = false;
		for (i = 0; i < ARRAY_SIZE(types); i++)
			known |= strlen(types[i]) == (size_t)(end - line) &&
				 !strncmp(line, types[i], end - line);
		KUNIT_EXPECT_TRUE_MSG(test, known, "line %u: %s", n, line);
		for (p = end; *p; p = end) {
			KUNIT_ASSERT_EQ_MSG(test, *p, ' ', "line %u: %s", n, line);
			p++;
			end = strchrnul(p, ' ');
			eq = strnchr(p, end - p, '=');
			KUNIT_ASSERT_NOT_NULL_MSG(test, eq, "line %u: field '%.*s'",
						  n, (int)(end - p), p);
			KUNIT_EXPECT_GT_MSG(test, eq - p, 0, "line %u: empty key", n);
			KUNIT_EXPECT_GT_MSG(test, end - eq - 1, 0,
					    "line %u: empty value", n);
			for (; p < eq; p++)
				KUNIT_EXPECT_TRUE_MSG(test, islower(*p) ||
						      isdigit(*p) || *p == '_',
						      "line %u: key char 0x%02x",
						      n, (u8)*p);
			for (p = eq + 1; p < end; p++)
				KUNIT_EXPECT_TRUE_MSG(test, *p > ' ' &&
						      *p < 0x7f && *p != '=',
						      "line %u: value char 0x%02x",
						      n, (u8)*p);
		}
	}
	KUNIT_EXPECT_EQ(test, n, 3U + CGMASK_NR_MASKS + ARRAY_SIZE(cgm_emit_rows));
}

static struct kunit_case cgmask_emit_cases[] = {
	KUNIT_CASE(cgmask_emit_header_lines),
	KUNIT_CASE(cgmask_emit_mask_lines),
	KUNIT_CASE(cgmask_emit_ss_lines),
	KUNIT_CASE(cgmask_emit_ss_root_unknown),
	KUNIT_CASE_PARAM(cgmask_emit_str_escapes, cgm_escape_gen_params),
	KUNIT_CASE(cgmask_emit_grammar),
	{}
};

static struct kunit_suite cgmask_emit_suite = {
	.name = "cgmask_emit",
	.test_cases = cgmask_emit_cases,
};

kunit_test_suite(cgmask_emit_suite);
