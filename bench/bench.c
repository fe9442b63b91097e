// SPDX-License-Identifier: GPL-2.0
/*
 * bench - the measuring half of `make bench`, run inside the test VM.
 *
 * Built static for the busybox initramfs. Every subcommand prints one line
 *   RESULT kind=KIND name=NAME key=value ...
 * on stdout (times in nanoseconds, CLOCK_MONOTONIC) and judges nothing:
 * bench/report.py turns the lines into ratios. Every loop is bounded both in
 * count and in time.
 *
 *   bench clock NAME ITERS                     cost of one clock_gettime()
 *   bench read NAME PATH ITERS SECS [FILE CTRL]
 *                                              open, read to EOF, close; with
 *                                              FILE and CTRL, "+CTRL" and
 *                                              "-CTRL" written to FILE (a
 *                                              cgroup.subtree_control) in
 *                                              turn before each read, untimed
 *   bench ftrace NAME WIDTH ITERS SECS         the seed's kprobe-event method
 *   bench exec NAME ITERS SECS CMD [ARG...]    spawn CMD (output discarded), wait
 *   bench insmod NAME KO ITERS                 finit_module + delete_module;
 *                                              the module stays loaded after
 *   bench tree DIR FANOUT FROM TO              mkdir nodes FROM..TO-1 of a
 *                                              FANOUT-ary tree under DIR (at
 *                                              most TREE_SECS; fails if cut)
 *   bench dump NAME PATH RUNS SECS             read a whole (big) file
 *   bench walk NAME DIR RUNS SECS              read cgroup.controllers and
 *                                              cgroup.subtree_control of every
 *                                              cgroup under DIR (DIR included)
 *   bench mkdirlat NAME PROBE SECS LOAD [PATH] mkdir+rmdir in PROBE every 1 ms
 *                                              from a child while this process
 *                                              runs LOAD: idle, spin (userspace
 *                                              loop), read PATH (read_all in a
 *                                              loop) or dump PATH (whole dumps
 *                                              checked for their end record)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 200000
#define TREE_SECS 1800
#define BUF_SIZE (128 * 1024)

extern char **environ;

static char buf[BUF_SIZE];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct samples {
	uint64_t *v;
	size_t n, cap;
};

static void samples_init(struct samples *s, size_t cap)
{
	s->v = calloc(cap ? cap : 1, sizeof(*s->v));
	if (!s->v)
		err(1, "calloc");
	s->n = 0;
	s->cap = cap;
}

static void samples_add(struct samples *s, uint64_t v)
{
	if (s->n < s->cap)
		s->v[s->n++] = v;
}

/* "n=.. median_ns=.. p99_ns=.. max_ns=.. min_ns=..": sorts the samples. */
static void print_stats(const struct samples *s)
{
	size_t p99;

	if (!s->n) {
		printf(" n=0");
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	p99 = (s->n * 99 + 99) / 100;
	p99 = p99 ? p99 - 1 : 0;
	if (p99 >= s->n)
		p99 = s->n - 1;
	printf(" n=%zu median_ns=%llu p99_ns=%llu max_ns=%llu min_ns=%llu", s->n,
	       (unsigned long long)s->v[s->n / 2], (unsigned long long)s->v[p99],
	       (unsigned long long)s->v[s->n - 1], (unsigned long long)s->v[0]);
}

static unsigned long num(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end)
		errx(2, "%s: not a number: '%s'", what, s);
	return v;
}

/* Open, read to EOF, close. Returns the bytes read, -1 on error. */
static long read_all_at(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	long total = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += r;
	close(fd);
	return r < 0 ? -1 : total;
}

static long read_all(const char *path)
{
	return read_all_at(AT_FDCWD, path);
}

/* Write text to an existing file (O_APPEND when asked, O_TRUNC otherwise). */
static int put(const char *path, const char *text, int append)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	size_t len = strlen(text);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = write(fd, text, len);
	if (close(fd) || r != (ssize_t)len)
		return -1;
	return 0;
}

static int cmd_clock(int argc, char **argv)
{
	unsigned long iters;
	struct samples s;

	if (argc != 2)
		errx(2, "usage: clock NAME ITERS");
	iters = num(argv[1], "ITERS");
	samples_init(&s, iters < MAX_SAMPLES ? iters : MAX_SAMPLES);
	for (unsigned long i = 0; i < s.cap; i++) {
		uint64_t t0 = now_ns();

		samples_add(&s, now_ns() - t0);
	}
	printf("RESULT kind=clock name=%s", argv[0]);
	print_stats(&s);
	printf("\n");
	return 0;
}

static int cmd_read(int argc, char **argv)
{
	unsigned long iters;
	uint64_t deadline;
	struct samples s;
	long bytes = 0, failed = 0;
	const char *toggle = argc == 6 ? argv[4] : NULL;
	char on[64], off[64];

	if (argc != 4 && argc != 6)
		errx(2, "usage: read NAME PATH ITERS SECS [FILE CTRL]");
	iters = num(argv[2], "ITERS");
	deadline = now_ns() + num(argv[3], "SECS") * 1000000000u;
	if (toggle && (snprintf(on, sizeof(on), "+%s", argv[5]) >= (int)sizeof(on) ||
		       snprintf(off, sizeof(off), "-%s", argv[5]) >= (int)sizeof(off)))
		errx(2, "CTRL too long");
	samples_init(&s, iters < MAX_SAMPLES ? iters : MAX_SAMPLES);
	/* One untimed read first: dentry, inode and page cache warm. */
	read_all(argv[1]);
	while (s.n < s.cap && now_ns() < deadline) {
		uint64_t t0;
		long r;

		if (toggle && put(toggle, s.n % 2 ? off : on, 0)) {
			warn("%s", toggle);
			failed++;
			break;
		}
		t0 = now_ns();
		r = read_all(argv[1]);
		samples_add(&s, now_ns() - t0);
		if (r < 0)
			failed++;
		else
			bytes = r;
	}
	if (toggle)
		put(toggle, off, 0);
	printf("RESULT kind=read name=%s bytes=%ld failed=%ld", argv[0], bytes, failed);
	print_stats(&s);
	printf("\n");
	return failed ? 1 : 0;
}

/*
 * The seed's ftrace method, as tests/vm/guest/init.sh's oracle does it:
 * add a kprobe event on cgroup_controllers_show fetching the three masks,
 * clear the trace, enable the event, trigger it by reading the root
 * cgroup.controllers, disable, read the trace and find the masks, remove
 * the event. A run counts as failed when the trace has no mask line.
 */
static int ftrace_once(const char *w)
{
	static const char *const T = "/sys/kernel/tracing";
	char path[PATH_MAX], def[512];
	long n;
	int ok;

	snprintf(def, sizeof(def),
		 "p:cgmask_bench/masks cgroup_controllers_show"
		 " implicit=@cgrp_dfl_implicit_ss_mask:u%s"
		 " inhibit=@cgrp_dfl_inhibit_ss_mask:u%s"
		 " threaded=@cgrp_dfl_threaded_ss_mask:u%s\n", w, w, w);
	snprintf(path, sizeof(path), "%s/kprobe_events", T);
	if (put(path, def, 1))
		return -1;
	snprintf(path, sizeof(path), "%s/trace", T);
	put(path, "", 0);
	snprintf(path, sizeof(path), "%s/events/cgmask_bench/masks/enable", T);
	put(path, "1\n", 0);
	read_all("/sys/fs/cgroup/cgroup.controllers");
	put(path, "0\n", 0);
	snprintf(path, sizeof(path), "%s/trace", T);
	n = read_all(path);
	/* The trace is ~1 KiB: read_all's last buffer holds all of it. */
	ok = n > 0 && n < (long)sizeof(buf);
	if (ok) {
		buf[n] = 0;
		ok = strstr(buf, " implicit=") && strstr(buf, " inhibit=") &&
		     strstr(buf, " threaded=");
	}
	snprintf(path, sizeof(path), "%s/kprobe_events", T);
	if (put(path, "-:cgmask_bench/masks\n", 1))
		return -1;
	return ok ? 0 : -1;
}

static int cmd_ftrace(int argc, char **argv)
{
	unsigned long iters;
	uint64_t deadline;
	struct samples s;
	long failed = 0;

	if (argc != 4)
		errx(2, "usage: ftrace NAME WIDTH ITERS SECS");
	iters = num(argv[2], "ITERS");
	deadline = now_ns() + num(argv[3], "SECS") * 1000000000u;
	samples_init(&s, iters < MAX_SAMPLES ? iters : MAX_SAMPLES);
	if (ftrace_once(argv[1]))
		failed++;
	while (s.n < s.cap && now_ns() < deadline && failed < 3) {
		uint64_t t0 = now_ns();

		if (ftrace_once(argv[1]))
			failed++;
		samples_add(&s, now_ns() - t0);
	}
	printf("RESULT kind=ftrace name=%s failed=%ld", argv[0], failed);
	print_stats(&s);
	printf("\n");
	return failed ? 1 : 0;
}

/* Spawn argv with stdout and stderr to /dev/null; its exit status or -1. */
static int spawn_wait(char **argv)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmd_exec(int argc, char **argv)
{
	unsigned long iters;
	uint64_t deadline;
	struct samples s;
	long failed = 0;
	int rc;

	if (argc < 4)
		errx(2, "usage: exec NAME ITERS SECS CMD [ARG...]");
	iters = num(argv[1], "ITERS");
	deadline = now_ns() + num(argv[2], "SECS") * 1000000000u;
	samples_init(&s, iters < MAX_SAMPLES ? iters : MAX_SAMPLES);
	rc = spawn_wait(argv + 3);
	while (s.n < s.cap && now_ns() < deadline) {
		uint64_t t0 = now_ns();

		rc = spawn_wait(argv + 3);
		samples_add(&s, now_ns() - t0);
		if (rc)
			failed++;
	}
	printf("RESULT kind=exec name=%s failed=%ld status=%d", argv[0], failed, rc);
	print_stats(&s);
	printf("\n");
	return failed ? 1 : 0;
}

static int cmd_insmod(int argc, char **argv)
{
	unsigned long iters;
	struct samples load, unload;
	long failed = 0;
	const char *name;
	struct stat st;
	int loaded = 0;

	if (argc != 3)
		errx(2, "usage: insmod NAME KO ITERS");
	iters = num(argv[2], "ITERS");
	if (iters < 1 || iters > 100)
		errx(2, "ITERS must be 1..100");
	name = argv[0];
	samples_init(&load, iters);
	samples_init(&unload, iters);
	if (stat(argv[1], &st))
		err(1, "%s", argv[1]);
	for (unsigned long i = 0; i < iters; i++) {
		int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		uint64_t t0, t1;
		long r;

		if (fd < 0)
			err(1, "%s", argv[1]);
		t0 = now_ns();
		r = syscall(SYS_finit_module, fd, "", 0);
		t1 = now_ns();
		close(fd);
		if (r) {
			warn("finit_module %s", argv[1]);
			failed++;
			break;
		}
		loaded = 1;
		samples_add(&load, t1 - t0);
		if (i + 1 == iters)
			break;
		t0 = now_ns();
		r = syscall(SYS_delete_module, name, O_NONBLOCK);
		t1 = now_ns();
		if (r) {
			warn("delete_module %s", name);
			failed++;
			break;
		}
		loaded = 0;
		samples_add(&unload, t1 - t0);
	}
	printf("RESULT kind=insmod name=load ko_bytes=%lld failed=%ld loaded=%d",
	       (long long)st.st_size, failed, loaded);
	print_stats(&load);
	printf("\nRESULT kind=insmod name=unload");
	print_stats(&unload);
	printf("\n");
	return failed ? 1 : 0;
}

/* Node i (1-based) of a FANOUT-ary tree: parent (i - 1) / FANOUT, 0 = DIR. */
static int node_path(char *p, size_t size, const char *dir, unsigned long fanout,
		     unsigned long i)
{
	unsigned long chain[64];
	int depth = 0, off;

	while (i && depth < 64) {
		chain[depth++] = i;
		i = (i - 1) / fanout;
	}
	off = snprintf(p, size, "%s", dir);
	while (depth-- > 0 && off > 0 && (size_t)off < size)
		off += snprintf(p + off, size - off, "/c%lu", chain[depth]);
	return off > 0 && (size_t)off < size ? 0 : -1;
}

static int cmd_tree(int argc, char **argv)
{
	unsigned long fanout, from, to, made = 0;
	char path[PATH_MAX];
	uint64_t t0, deadline;

	if (argc != 4)
		errx(2, "usage: tree DIR FANOUT FROM TO");
	fanout = num(argv[1], "FANOUT");
	from = num(argv[2], "FROM");
	to = num(argv[3], "TO");
	if (fanout < 2 || from < 1 || from > to || to > 10000000)
		errx(2, "bad tree parameters");
	t0 = now_ns();
	deadline = t0 + TREE_SECS * 1000000000ull;
	for (unsigned long i = from; i < to && now_ns() < deadline; i++) {
		if (node_path(path, sizeof(path), argv[0], fanout, i))
			errx(1, "path too long");
		if (mkdir(path, 0755) && errno != EEXIST)
			err(1, "mkdir %s", path);
		made++;
	}
	printf("RESULT kind=tree name=mkdir fanout=%lu from=%lu to=%lu made=%lu time_ns=%llu\n",
	       fanout, from, to, made, (unsigned long long)(now_ns() - t0));
	return made == to - from ? 0 : 1;
}

/*
 * Read a whole file; lines counted (memchr), its last line kept in @last
 * when it is complete and shorter than LAST_SIZE ("" otherwise). Returns the
 * bytes read or -1.
 */
#define LAST_SIZE 64
static long dump_once(const char *path, long *lines, char last[LAST_SIZE])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char tail[2 * LAST_SIZE], *nl;
	size_t tl = 0, keep;
	long total = 0, n = 0;
	ssize_t r;

	last[0] = 0;
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		total += r;
		for (char *p = buf; (p = memchr(p, '\n', buf + r - p)); p++)
			n++;
		/* tail: the file's last (up to) 2 * LAST_SIZE bytes */
		keep = (size_t)r < sizeof(tail) ? (size_t)r : sizeof(tail);
		if (tl + keep > sizeof(tail)) {
			memmove(tail, tail + tl + keep - sizeof(tail), sizeof(tail) - keep);
			tl = sizeof(tail) - keep;
		}
		memcpy(tail + tl, buf + r - keep, keep);
		tl += keep;
	}
	close(fd);
	*lines = n;
	if (r < 0)
		return -1;
	if (tl && tail[tl - 1] == '\n') {
		tail[tl - 1] = 0;
		nl = memrchr(tail, '\n', tl - 1);
		nl = nl ? nl + 1 : tail;
		if ((nl > tail || tl < sizeof(tail)) && strlen(nl) < LAST_SIZE)
			memcpy(last, nl, strlen(nl) + 1);
	}
	return total;
}

/* The "end KEY=N" of a dump: N, or -1 when the last line is no end record. */
static long end_count(const char *last)
{
	const char *eq = strchr(last, '=');

	if (strncmp(last, "end ", 4) || !eq || !eq[1] || strchr(last, ' ') != last + 3)
		return -1;
	return strtol(eq + 1, NULL, 10);
}

static int cmd_dump(int argc, char **argv)
{
	unsigned long runs;
	uint64_t deadline;
	struct samples s;
	long bytes = 0, lines = 0, failed = 0, records = -1;
	char last[LAST_SIZE];

	if (argc != 4)
		errx(2, "usage: dump NAME PATH RUNS SECS");
	runs = num(argv[2], "RUNS");
	deadline = now_ns() + num(argv[3], "SECS") * 1000000000u;
	samples_init(&s, runs < MAX_SAMPLES ? runs : MAX_SAMPLES);
	do {
		uint64_t t0 = now_ns();
		long r = dump_once(argv[1], &lines, last);

		samples_add(&s, now_ns() - t0);
		records = end_count(last);
		if (r < 0 || records < 0)
			failed++;
		else
			bytes = r;
	} while (s.n < s.cap && now_ns() < deadline);
	/* failed: a read error or a dump without its end record. */
	printf("RESULT kind=dump name=%s bytes=%ld lines=%ld records=%ld failed=%ld", argv[0],
	       bytes, lines, records, failed);
	print_stats(&s);
	printf("\n");
	return failed ? 1 : 0;
}

/*
 * What a userspace tool has to do without the module: visit every cgroup
 * directory (readdir), read its cgroup.controllers and
 * cgroup.subtree_control. Returns the cgroups visited, -1 on error.
 */
static long walk_dir(int dfd, int depth)
{
	DIR *d;
	struct dirent *e;
	long n = 1;

	if (read_all_at(dfd, "cgroup.controllers") < 0 ||
	    read_all_at(dfd, "cgroup.subtree_control") < 0) {
		int e = errno;

		close(dfd);
		return e == ENOENT || e == ENODEV ? 0 : -1; /* removed meanwhile */
	}
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -1;
	}
	while ((e = readdir(d))) {
		int cfd;
		long c;

		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if (depth > 200)
			break;
		cfd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cfd < 0)
			continue; /* removed meanwhile */
		c = walk_dir(cfd, depth + 1);
		if (c < 0) {
			closedir(d);
			return -1;
		}
		n += c;
	}
	closedir(d);
	return n;
}

static long walk(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -1 : walk_dir(fd, 0);
}

static int cmd_walk(int argc, char **argv)
{
	unsigned long runs;
	uint64_t deadline;
	struct samples s;
	long cgroups = 0, failed = 0;

	if (argc != 4)
		errx(2, "usage: walk NAME DIR RUNS SECS");
	runs = num(argv[2], "RUNS");
	deadline = now_ns() + num(argv[3], "SECS") * 1000000000u;
	samples_init(&s, runs < MAX_SAMPLES ? runs : MAX_SAMPLES);
	do {
		uint64_t t0 = now_ns();
		long r = walk(argv[1]);

		samples_add(&s, now_ns() - t0);
		if (r < 0)
			failed++;
		else
			cgroups = r;
	} while (s.n < s.cap && now_ns() < deadline);
	printf("RESULT kind=walk name=%s cgroups=%ld failed=%ld", argv[0], cgroups, failed);
	print_stats(&s);
	printf("\n");
	return failed ? 1 : 0;
}

/* Shared between the mkdir prober (child) and the loader (parent). */
struct probe_shm {
	volatile int stop;
	volatile long failed;
	volatile size_t n;
	uint64_t lat[MAX_SAMPLES];
};

static void prober(struct probe_shm *sh, const char *dir, uint64_t deadline)
{
	const struct timespec pause = { 0, 1000000 };
	char path[PATH_MAX];
	unsigned long i = 0;

	while (!sh->stop && sh->n < MAX_SAMPLES && now_ns() < deadline) {
		uint64_t t0;
		int r;

		snprintf(path, sizeof(path), "%s/p%lu", dir, i++ % 64);
		t0 = now_ns();
		r = mkdir(path, 0755);
		sh->lat[sh->n] = now_ns() - t0;
		__atomic_store_n(&sh->n, sh->n + 1, __ATOMIC_RELEASE);
		if (r || rmdir(path))
			sh->failed++;
		nanosleep(&pause, NULL);
	}
	_exit(0);
}

static int cmd_mkdirlat(int argc, char **argv)
{
	struct probe_shm *sh;
	struct samples s;
	uint64_t secs, t0, deadline, rounds = 0, round_max = 0;
	const char *load, *path = NULL;
	long lines, failed = 0;
	char last[LAST_SIZE];
	volatile unsigned long spin = 0;
	pid_t pid;
	int st;

	if (argc < 4)
		errx(2, "usage: mkdirlat NAME PROBE SECS idle|spin|read|dump [PATH]");
	secs = num(argv[2], "SECS");
	load = argv[3];
	if (!strcmp(load, "dump") || !strcmp(load, "read")) {
		if (argc != 5)
			errx(2, "%s needs a PATH", load);
		path = argv[4];
	} else if (strcmp(load, "idle") && strcmp(load, "spin")) {
		errx(2, "unknown load '%s'", load);
	}
	if (mkdir(argv[1], 0755) && errno != EEXIST)
		err(1, "mkdir %s", argv[1]);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		err(1, "mmap");
	t0 = now_ns();
	deadline = t0 + secs * 1000000000u;
	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (!pid)
		prober(sh, argv[1], deadline + 60 * 1000000000ull);
	/* Load for SECS, in whole rounds (at least one). */
	do {
		uint64_t r0 = now_ns(), d;

		if (!strcmp(load, "dump")) {
			if (dump_once(path, &lines, last) < 0 || end_count(last) < 0)
				failed++;
		} else if (path) {
			if (read_all(path) < 0)
				failed++;
		} else if (!strcmp(load, "spin")) {
			for (int i = 0; i < 100000; i++)
				spin++;
		} else {
			usleep(10000);
		}
		d = now_ns() - r0;
		round_max = d > round_max ? d : round_max;
		rounds++;
	} while (now_ns() < deadline && !failed);
	sh->stop = 1;
	if (waitpid(pid, &st, 0) != pid)
		err(1, "waitpid");
	samples_init(&s, MAX_SAMPLES);
	for (size_t i = 0; i < __atomic_load_n(&sh->n, __ATOMIC_ACQUIRE); i++)
		samples_add(&s, sh->lat[i]);
	printf("RESULT kind=mkdirlat name=%s load=%s rounds=%llu round_max_ns=%llu "
	       "load_failed=%ld mkdir_failed=%ld", argv[0], load,
	       (unsigned long long)rounds, (unsigned long long)round_max, failed, sh->failed);
	print_stats(&s);
	printf("\n");
	return failed || sh->failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "clock", cmd_clock },	  { "read", cmd_read },	    { "ftrace", cmd_ftrace },
		{ "exec", cmd_exec },	  { "insmod", cmd_insmod }, { "tree", cmd_tree },
		{ "dump", cmd_dump },	  { "walk", cmd_walk },	    { "mkdirlat", cmd_mkdirlat },
	};
	int rc;

	if (argc < 2)
		errx(2, "usage: bench clock|read|ftrace|exec|insmod|tree|dump|walk|mkdirlat ...");
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			rc = cmds[i].fn(argc - 2, argv + 2);
			fflush(stdout);
			return rc;
		}
	}
	errx(2, "unknown command '%s'", argv[1]);
}
