// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the reader: the dump parser (accepts, rejects with the
 * right line), the JSON and text escapers, the kernel's rule over
 * tri-state flags, and the ftrace source against a fake tracefs.
 *
 * "unit --list" prints the test names; "unit NAME" runs one and exits 0
 * when it passes (tests/reader/run.sh numbers and counts them). Each test
 * starts failed and passes only at its end, like the kernel's selftests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgmask.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A small dump in the format of docs/format.md: one subsystem per reason. */
static const char good[] =
	"cgmask-format 1\n"
	"kernel release=6.1.0\\x2bx module=0.1.0 subsys_count=4 mask_width=16 lock=mutex\n"
	"mask name=implicit value=0x0004 read=0x0004 derived=0x0004 agree=1 via=kprobe names=perf_event\n"
	"mask name=inhibit value=0x0002 read=- derived=0x0002 agree=- via=- names=devices\n"
	"mask name=threaded value=0x0005 read=0x0005 derived=0x0005 agree=1 via=param names=cpu,perf_event\n"
	"mask name=subsys_mask value=0x0007 read=0x0007 derived=0x0007 agree=1 via=export names=cpu,devices,perf_event\n"
	"mask name=subtree_control value=0x0001 read=0x0001 derived=- agree=- via=export names=cpu\n"
	"mask name=root_controllers value=0x0001 read=- derived=0x0001 agree=- via=- names=cpu\n"
	"ss id=0 name=cpu legacy_name=cpu enabled=1 on_dfl=1 hierarchy_id=0 hierarchy_name=- implicit_on_dfl=0 threaded=1 dfl_cftypes=1 legacy_cftypes=1 early_init=1 depends_on=- visible=1 reasons=-\n"
	"ss id=1 name=devices legacy_name=devices enabled=1 on_dfl=1 hierarchy_id=0 hierarchy_name=- implicit_on_dfl=0 threaded=0 dfl_cftypes=0 legacy_cftypes=1 early_init=0 depends_on=- visible=0 reasons=inhibited\n"
	"ss id=2 name=perf_event legacy_name=perf_event enabled=1 on_dfl=1 hierarchy_id=0 hierarchy_name=- implicit_on_dfl=1 threaded=1 dfl_cftypes=0 legacy_cftypes=0 early_init=0 depends_on=- visible=0 reasons=implicit\n"
	"ss id=3 name=memory legacy_name=memory enabled=1 on_dfl=0 hierarchy_id=2 hierarchy_name=my\\x20h\\x5c implicit_on_dfl=0 threaded=0 dfl_cftypes=1 legacy_cftypes=1 early_init=0 depends_on=cpu visible=0 reasons=v1\n"
	"end subsystems=4\n";

static struct model m;
static char err[1024];

static int failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int failf(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* good with the first "from" replaced by "to" (from must be there). */
static char *edit(const char *from, const char *to)
{
	const char *at = strstr(good, from);
	size_t n = strlen(good) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);

	if (!at || !s)
		abort();
	snprintf(s, n, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	return s;
}

static int parse_str(const char *s, size_t len)
{
	return parse_dump(s, len, "t.dump", &m, err, sizeof(err));
}

/* The edit must be refused with an error naming line and saying why. */
static int rejects(const char *from, const char *to, const char *where, const char *why)
{
	char *s = edit(from, to);
	int r = parse_str(s, strlen(s));

	free(s);
	if (!r)
		return failf("'%s' -> '%s' was accepted", from, to);
	if (!strstr(err, where) || !strstr(err, why))
		return failf("'%s' -> '%s': error '%s' lacks '%s' or '%s'", from, to, err, where, why);
	return 0;
}

static int accepts(const char *from, const char *to)
{
	char *s = edit(from, to);
	int r = parse_str(s, strlen(s));

	free(s);
	return r ? failf("'%s' -> '%s' refused: %s", from, to, err) : 0;
}

static int test_parse_good(void)
{
	int ret = 1;

	if (parse_str(good, strlen(good)))
		return failf("%s", err);
	if (strcmp(m.release, "6.1.0+x") || m.nss != 4 || !m.complete || m.mask_width != 16)
		return failf("kernel record: release '%s' nss %d", m.release, m.nss);
	if (strcmp(m.ss[3].hierarchy_name, "my h\\") || m.ss[3].hierarchy_id != 2)
		return failf("hierarchy_name '%s' (escapes not decoded)", m.ss[3].hierarchy_name);
	if (m.ss[3].depends_on != 1 || m.ss[3].reasons != 1u << R_V1 || m.ss[0].visible != T_YES)
		return failf("memory depends_on %llx reasons %x",
			     (unsigned long long)m.ss[3].depends_on, m.ss[3].reasons);
	if (strcmp(m.mask[MASK_IMPLICIT].via, "kprobe") || m.mask[MASK_INHIBIT].via[0] ||
	    m.mask[MASK_THREADED].value != 5 || m.mask[MASK_THREADED].members != 5 ||
	    m.mask[MASK_SUBTREE].derived_known || m.mask[MASK_ROOT].agree != T_UNK)
		return failf("masks parsed wrong");
	ret = 0;
	return ret;
}

static int test_parse_future(void)
{
	int ret = 1;

	/* Unknown keys, record types and mask names are a later version-1 module's. */
	if (accepts("lock=mutex\n", "lock=mutex new_key=x\nnewrec a=1\n") ||
	    accepts("ss id=0 name=cpu", "mask name=later value=0x0000 read=- derived=- agree=- via=- names=-\nss id=0 name=cpu") ||
	    accepts("reasons=-\n", "reasons=- weight=3\n") ||
	    accepts("hierarchy_name=my\\x20h\\x5c", "hierarchy_name=a+b") ||
	    accepts("lock=mutex", "lock=none") ||
	    accepts("hierarchy_id=2 hierarchy_name=my\\x20h\\x5c", "hierarchy_id=? hierarchy_name=?"))
		return ret;
	ret = 0;
	return ret;
}

static int test_parse_rejects(void)
{
	static const struct { const char *from, *to, *where, *why; } cases[] = {
		{ "cgmask-format 1", "cgmask-format 2", ":1:", "unsupported format version 2" },
		{ "cgmask-format 1", "hello", ":1:", "not a cgmask dump" },
		{ "end subsystems=4\n", "", ":13:", "truncated" },
		{ "end subsystems=4\n", "end subsystems=4", ":13:", "newline" },
		{ "end subsystems=4", "end subsystems=3", ":13:", "end subsystems=3" },
		{ "end subsystems=4\n", "end subsystems=4\nss id=4\n", ":14:", "after the 'end'" },
		{ "value=0x0004 read=0x0004 derived=0x0004", "value=0x0014 read=0x0014 derived=0x0014", ":3:", "beyond subsys_count" },
		{ "value=0x0004", "value=0x04", ":3:", "mask_width/4" },
		{ "value=0x0004", "value=0x000A", ":3:", "lower-case" },
		{ "ss id=1 name=devices", "ss id=0 name=devices", ":10:", "out of order" },
		{ "ss id=1 name=devices", "ss id=1 name=cpu", ":10:", "second 'ss' record" },
		{ "agree=1 via=kprobe", "agree=0 via=kprobe", ":3:", "does not match" },
		{ "read=- derived=0x0002 agree=- via=-", "read=- derived=0x0002 agree=- via=kprobe", ":4:", "via=kprobe but read=-" },
		{ "names=perf_event", "names=cpu", ":3:", "names do not match" },
		{ "names=cpu,perf_event", "names=perf_event,cpu", ":5:", "out of id order" },
		{ "depends_on=cpu", "depends_on=nope", ":12:", "unknown subsystem 'nope'" },
		{ "visible=0 reasons=inhibited", "visible=1 reasons=inhibited", ":10:", "visible=1 but has reasons" },
		{ "visible=0 reasons=v1", "visible=0 reasons=inhibited", ":12:", "reasons of 'memory'" },
		{ "reasons=implicit", "reasons=bogus", ":11:", "expected" },
		{ "enabled=1 on_dfl=1 hierarchy_id=0", "enabled=2 on_dfl=1 hierarchy_id=0", ":9:", "0, 1 or ?" },
		{ "lock=mutex", "lock=mutex lock=rcu", ":2:", "duplicate key" },
		{ "lock=mutex", "lock=mutex ", ":2:", "trailing space" },
		{ "lock=mutex", "lock=", ":2:", "empty value" },
		{ "lock=mutex", "lock=a=b", ":2:", "contains '='" },
		{ "module=0.1.0 ", "module=0.1.0  ", ":2:", "exactly one space" },
		{ "kernel release", "kernel\trelease", ":2:", "0x09" },
		{ "kernel release", "kernel \xff", ":2:", "0xff" },
		{ " subsys_count=4", " subsys_count=40", ":2:", "mask_width" },
		{ "hierarchy_name=my\\x20h\\x5c", "hierarchy_name=my\\x2", ":12:", "\\xHH" },
		{ "hierarchy_name=my\\x20h\\x5c", "hierarchy_name=my\\x00", ":12:", "non-NUL" },
		{ "mask name=inhibit", "mask name=threaded", ":4:", "out of order" },
		{ "mask name=subtree_control value=0x0001 read=0x0001", "mask name=subtree_control value=0x0001 read=0x0003", ":7:", "not the read value" },
		{ "mask name=root_controllers value=0x0001 read=- derived=0x0001 agree=- via=- names=cpu",
		  "mask name=root_controllers value=0x0003 read=- derived=0x0003 agree=- via=- names=cpu,devices", ":8:", "subsys_mask & ~" },
		{ "ss id=3 name=memory legacy_name=memory", "ss id=3 name=mem,ory legacy_name=memory", ":12:", "subsystem name" },
		{ "kernel release=6.1.0\\x2bx ", "kernel ", ":2:", "no 'release' key" },
		{ "\nkernel", "\n\nkernel", ":2:", "empty line" },
		{ "mask name=implicit", "ss id=0 name=x\nmask name=implicit", ":3:", "before all six" },
	};
	int ret = 1;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (rejects(cases[i].from, cases[i].to, cases[i].where, cases[i].why))
			return ret;
	ret = 0;
	return ret;
}

static int test_parse_limits(void)
{
	size_t n = 1 << 20;
	char *huge = malloc(n + 64);
	int ret = 1;

	if (!huge)
		return failf("out of memory");
	if (!parse_str("", 0) || !strstr(err, ":1:") || !strstr(err, "empty file"))
		goto out;
	/* A megabyte-long line, and a line of 100 fields. */
	memcpy(huge, "cgmask-format 1\nkernel x=", 25);
	memset(huge + 25, 'a', n);
	memcpy(huge + 25 + n, "\n", 2);
	if (!parse_str(huge, strlen(huge)) || !strstr(err, ":2:"))
		goto out;
	strcpy(huge, "cgmask-format 1\nkernel");
	for (int i = 0; i < 100; i++)
		sprintf(huge + strlen(huge), " k%d=1", i);
	strcat(huge, "\n");
	if (!parse_str(huge, strlen(huge)) || !strstr(err, "more than"))
		goto out;
	/* Bytes after a NUL are still seen: the length is the file's. */
	if (!parse_str(good, sizeof(good)) || !strstr(err, ":14:"))
		goto out;
	ret = 0;
out:
	if (ret)
		failf("limits: %s", err);
	free(huge);
	return ret;
}

/* What f wrote, NUL-terminated, in buf (at most n bytes). */
static void captured(FILE *f, char *buf, size_t n)
{
	size_t len;

	fflush(f);
	rewind(f);
	len = fread(buf, 1, n - 1, f);
	buf[len] = 0;
	fclose(f);
}

static int test_json_string(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "\"plain\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "nl\ntab\tcr\r", "\"nl\\ntab\\tcr\\r\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "\xc3\xa9", "\"\\u00c3\\u00a9\"" },
		{ "", "\"\"" },
	};
	char buf[256];
	int ret = 1;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		FILE *f = tmpfile();

		if (!f)
			return failf("tmpfile: %s", strerror(errno));
		json_string(f, cases[i].in);
		captured(f, buf, sizeof(buf));
		if (strcmp(buf, cases[i].out))
			return failf("json_string(case %zu) = %s, want %s", i, buf, cases[i].out);
	}
	ret = 0;
	return ret;
}

static int test_text_escape(void)
{
	char buf[64];
	int ret = 1;

	text_escape("a b\\c\x01\xff-x", buf, sizeof(buf));
	if (strcmp(buf, "a\\x20b\\x5cc\\x01\\xff-x"))
		return failf("text_escape = %s", buf);
	ret = 0;
	return ret;
}

/* The JSON of the good dump: masks as numbers and hex, the exact keys. */
static int test_render_json(void)
{
	static const char *const want[] = {
		"\"format\": 1", "\"source\": \"module\"", "\"kernel\": \"6.1.0+x\"",
		"\"mask_width\": 16", "\"subsys_count\": 4",
		("\"value\": 4,\n      \"hex\": \"0x0004\",\n      \"names\": [\"perf_event\"],\n"
		 "      \"read\": true,\n      \"derived\": 4,\n      \"agree\": true,\n      \"via\": \"kprobe\""),
		"\"read\": false,\n      \"derived\": 1,\n      \"agree\": null,\n      \"via\": null",
		"\"hierarchy_name\": \"my h\\\\\"", "\"depends_on\": [\"cpu\"]", "\"reasons\": [\"v1\"]",
		"\"reasons\": []", "\"hierarchy_id\": 2",
	};
	static char buf[65536];
	int cols[64], ncols = 0, ret = 1;
	FILE *f = tmpfile();

	if (!f || parse_str(good, strlen(good)))
		return failf("setup: %s", err);
	for (int c = 0; c < ncolumns; c++)
		if (columns[c].key)
			cols[ncols++] = c;
	render_json(&m, f, cols, ncols);
	captured(f, buf, sizeof(buf));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(buf, want[i]))
			return failf("JSON lacks %s:\n%s", want[i], buf);
	ret = 0;
	return ret;
}

static struct cg_ss *ss_with(tri enabled, tri on_dfl, tri implicit, tri dfl)
{
	static struct model mm;
	struct cg_ss *s;

	model_init(&mm, SRC_USERSPACE);
	s = model_add(&mm, "x");
	s->enabled = enabled;
	s->on_dfl = on_dfl;
	s->implicit_on_dfl = implicit;
	s->dfl_cftypes = dfl;
	rule_reasons(s);
	return s;
}

/* The rule of cgroup_init()/cgroup_control() over tri-state flags. */
static int test_rule_reasons(void)
{
	static const struct {
		tri enabled, on_dfl, implicit, dfl, visible;
		unsigned sure, maybe;
	} cases[] = {
		{ T_YES, T_YES, T_NO, T_YES, T_YES, 0, 0 },
		{ T_NO, T_YES, T_NO, T_YES, T_NO, 1u << R_DISABLED, 1u << R_DISABLED },
		{ T_NO, T_YES, T_YES, T_NO, T_NO, 1u << R_DISABLED, 1u << R_DISABLED },
		{ T_YES, T_NO, T_NO, T_NO, T_NO, 1u << R_V1 | 1u << R_INHIBITED,
		  1u << R_V1 | 1u << R_INHIBITED },
		{ T_YES, T_YES, T_YES, T_UNK, T_NO, 1u << R_IMPLICIT, 1u << R_IMPLICIT },
		{ T_YES, T_NO, T_UNK, T_UNK, T_NO, 1u << R_V1,
		  1u << R_V1 | 1u << R_IMPLICIT | 1u << R_INHIBITED },
		{ T_UNK, T_YES, T_NO, T_YES, T_UNK, 0, 1u << R_DISABLED },
	};
	int ret = 1;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cg_ss *s = ss_with(cases[i].enabled, cases[i].on_dfl, cases[i].implicit,
					  cases[i].dfl);

		if (s->visible != cases[i].visible || s->reasons != cases[i].sure ||
		    s->reasons_possible != cases[i].maybe)
			return failf("case %zu: visible %d reasons %x/%x", i, s->visible,
				     s->reasons, s->reasons_possible);
	}
	ret = 0;
	return ret;
}

static int test_release_width(void)
{
	int ret = 1;

	if (width_for_release("6.19.2-amd64") != 16 || width_for_release("7.0.0") != 32 ||
	    width_for_release("7.2-rc1") != 32 || width_for_release("5.10.0") != 16 ||
	    width_for_release("junk") != -1 || release_cmp("6.11.0", 6, 11) != 0 ||
	    release_cmp("6.9", 6, 11) != -1 || release_cmp("10.0", 6, 11) != 1)
		return failf("release_cmp/width_for_release");
	ret = 0;
	return ret;
}

static int test_ftrace_line(void)
{
	uint64_t v[3];
	int ret = 1;

	if (ftrace_parse_line("cat-1 [000] ..... 1.5: m: (cgroup_controllers_show+0x0/0x80)"
			      " implicit=256 inhibit=0x2e4 threaded=2307", v) ||
	    v[0] != 256 || v[1] != 0x2e4 || v[2] != 2307)
		return failf("event line not parsed");
	if (!ftrace_parse_line("m: implicit=256 inhibit=740", v) ||
	    !ftrace_parse_line("m: implicit=x inhibit=1 threaded=2", v) ||
	    !ftrace_parse_line("m: implicit=1z inhibit=1 threaded=2", v))
		return failf("bad event lines accepted");
	ret = 0;
	return ret;
}

/*
 * A fake tracefs: mkdir() and rmdir() below are the test's, so that making
 * an instance populates it the way tracefs does (an enable file for our
 * event and a trace file that already holds the event the probe would
 * record), and removing it removes all that.
 */
static const char *fake_event;

static void put_file(const char *dir, const char *rel, const char *text)
{
	char path[4096], *slash;
	int fd;

	if (join(path, sizeof(path), dir, rel))
		abort();
	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		syscall(SYS_mkdirat, AT_FDCWD, path, 0755);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd))
		abort();
}

int mkdir(const char *path, mode_t mode)
{
	const char *group = strrchr(path, '/');
	char rel[256];

	if (syscall(SYS_mkdirat, AT_FDCWD, path, mode))
		return -1;
	if (fake_event && group) {
		snprintf(rel, sizeof(rel), "events/%s/m/enable", group + 1);
		put_file(path, rel, "0\n");
		put_file(path, "trace", fake_event);
	}
	return 0;
}

/* tracefs removes an instance with everything in it; so does this rmdir(). */
int rmdir(const char *path)
{
	static const char *const made[] = { "events/%s/m/enable", "events/%s/m", "events/%s",
					     "events", "trace" };
	const char *group = strrchr(path, '/');
	char rel[256], sub[4096];

	for (size_t i = 0; fake_event && group && i < ARRAY_SIZE(made); i++) {
		snprintf(rel, sizeof(rel), made[i], group + 1);
		if (!join(sub, sizeof(sub), path, rel))
			syscall(SYS_unlinkat, AT_FDCWD, sub, i == 0 || i == 4 ? 0 : AT_REMOVEDIR);
	}
	return (int)syscall(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR);
}

static int remove_tree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? failf("cannot remove %s", dir) : 0;
}

static char *slurp(const char *dir, const char *rel)
{
	char path[4096], *buf;
	size_t len;

	if (join(path, sizeof(path), dir, rel))
		return NULL;
	return read_all(path, &buf, &len, 1 << 20) ? NULL : buf;
}

/* cpu visible, devices inhibited, perf_event implicit, memory on a v1 hierarchy. */
static void fake_system(const char *dir, const char *release, const char *stat)
{
	char sys[4096], proc[4096], tfs[4096];

	if (join(sys, sizeof(sys), dir, "cgroup") || join(proc, sizeof(proc), dir, "proc") ||
	    join(tfs, sizeof(tfs), dir, "tracing"))
		abort();
	put_file(sys, "cgroup.controllers", "cpu\n");
	put_file(sys, "cgroup.subtree_control", "cpu\n");
	put_file(sys, "cgroup.stat", stat);
	put_file(proc, "cgroups", "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		 "cpu\t0\t1\t1\ndevices\t0\t1\t1\nperf_event\t0\t1\t1\nmemory\t2\t1\t1\n");
	put_file(proc, "mounts", "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"
		 "cgroup /mnt/m cgroup rw,relatime,memory,name=my\\040h 0 0\n");
	put_file(proc, "cmdline", "root=/dev/vda\n");
	put_file(proc, "sys/kernel/osrelease", release);
	put_file(tfs, "kprobe_events", "");
	put_file(tfs, "instances/.keep", "");
	setenv("CGMASK_SYSFS_CGROUP", sys, 1);
	setenv("CGMASK_PROC", proc, 1);
	setenv("CGMASK_TRACEFS", tfs, 1);
}

/* The model after reading the masks; ids (so names) are known only before 6.11. */
static int ftrace_model_ok(bool ids)
{
	const struct cg_mask *impl = &m.mask[MASK_IMPLICIT], *inh = &m.mask[MASK_INHIBIT];

	if (m.source != SRC_FTRACE || impl->value != 4 || inh->value != 2 ||
	    m.mask[MASK_THREADED].value != 5 || strcmp(impl->via, "ftrace") ||
	    strcmp(m.ss[3].hierarchy_name, "my h") || m.ss[2].implicit_on_dfl != T_YES ||
	    m.ss[1].dfl_cftypes != T_NO || m.ss[1].reasons != 1u << R_INHIBITED)
		return failf("model from ftrace wrong");
	if (ids ? !impl->names_known || impl->members != 4 || inh->members != 2 ||
	    m.ss[0].threaded != T_YES || m.ss[3].implicit_on_dfl != T_NO :
	    impl->names_known || m.ss[0].threaded != T_UNK)
		return failf("ftrace %s ids: names or flags wrong", ids ? "with" : "without");
	return 0;
}

static int ftrace_on(const char *release, const char *stat, const char *type, bool ids)
{
	char dir[] = "/tmp/cgmask-unit.XXXXXX", tfs[4096], *events = NULL;
	char cmd[4200];
	int ret = 1;

	if (!mkdtemp(dir))
		return failf("mkdtemp: %s", strerror(errno));
	fake_system(dir, release, stat);
	if (join(tfs, sizeof(tfs), dir, "tracing"))
		abort();
	fake_event = "# tracer: nop\ncat-1 [000] ..... 1.5: m: (cgroup_controllers_show+0x0/0x80)"
		     " implicit=4 inhibit=2 threaded=5\n";
	if (source_ftrace(&m, err, sizeof(err))) {
		failf("source_ftrace: %s", err);
		goto out;
	}
	events = slurp(tfs, "kprobe_events");
	if (!events || !strstr(events, type) || !strstr(events, "@cgrp_dfl_inhibit_ss_mask") ||
	    !strstr(events, "p:cgmask_") || !strstr(events, "\n-:cgmask_")) {
		failf("kprobe_events: %s", events ? events : "(unreadable)");
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "test \"$(ls -A %s/instances)\" = .keep", tfs);
	if (system(cmd)) {
		failf("the tracefs instance was not removed");
		goto out;
	}
	ret = ftrace_model_ok(ids);
out:
	free(events);
	return remove_tree(dir) || ret;
}

static int test_ftrace_u16(void)
{
	return ftrace_on("6.1.0-57-amd64\n", "nr_descendants 0\n", ":u16", true);
}

static int test_ftrace_u32(void)
{
	return ftrace_on("7.1.3\n", "nr_descendants 0\nnr_subsys_cpu 1\nnr_subsys_perf_event 1\n",
			 ":u32", false);
}

/* open() of a debugfs file fails as under lockdown=confidentiality. */
static bool locked_down;

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (locked_down && strstr(path, "/debugfs/")) {
		errno = EPERM;
		return -1;
	}
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

static int test_lockdown_fallback(void)
{
	char dir[] = "/tmp/cgmask-unit.XXXXXX", path[4096], log[4096];
	FILE *f = tmpfile();
	int saved = dup(2), r1, r2, ret = 1;

	if (!f || saved < 0 || !mkdtemp(dir))
		return failf("setup: %s", strerror(errno));
	fake_system(dir, "6.1.0\n", "nr_descendants 0\n");
	if (join(path, sizeof(path), dir, "debugfs"))
		abort();
	put_file(path, "cgmask", good);
	setenv("CGMASK_DEBUGFS", path, 1);
	if (join(path, sizeof(path), dir, "security"))
		abort();
	put_file(path, "lockdown", "none integrity [confidentiality]\n");
	setenv("CGMASK_SECURITYFS", path, 1);
	setenv("CGMASK_TRACEFS", "/nonexistent", 1);
	locked_down = true;
	r1 = load_source("module", NULL, &m, err, sizeof(err));
	if (!r1 || !strstr(err, "Operation not permitted: debugfs is locked down"))
		failf("--source module: rc %d, %s", r1, err);
	dup2(fileno(f), 2);
	r2 = load_source("auto", NULL, &m, err, sizeof(err));
	dup2(saved, 2);
	locked_down = false;
	captured(f, log, sizeof(log));
	if (!r1 || r2 || m.source != SRC_USERSPACE ||
	    !strstr(log, "debugfs is locked down (lockdown=confidentiality);"
		    " falling back to the userspace source"))
		failf("auto: rc %d, source %s, stderr: %s", r2, source_name(m.source), log);
	else
		ret = 0;
	return remove_tree(dir) || ret;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "parse_good", test_parse_good },
	{ "parse_future_keys_ignored", test_parse_future },
	{ "parse_rejects_with_line", test_parse_rejects },
	{ "parse_limits", test_parse_limits },
	{ "json_string_escapes", test_json_string },
	{ "text_escape", test_text_escape },
	{ "render_json_keys", test_render_json },
	{ "rule_reasons_tristate", test_rule_reasons },
	{ "release_mask_width", test_release_width },
	{ "ftrace_event_line", test_ftrace_line },
	{ "ftrace_fake_tracefs_u16", test_ftrace_u16 },
	{ "ftrace_fake_tracefs_u32", test_ftrace_u32 },
	{ "lockdown_falls_back", test_lockdown_fallback },
};

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
			puts(tests[i].name);
		return 0;
	}
	for (size_t i = 0; argc == 2 && i < ARRAY_SIZE(tests); i++)
		if (!strcmp(argv[1], tests[i].name))
			return tests[i].fn();
	fputs("usage: unit --list | unit NAME\n", stderr);
	return 2;
}
