// SPDX-License-Identifier: GPL-2.0
/*
 * modcycle - load and unload a module many times from one process, for the
 * lifecycle test of the VM's stress scenario (tests/vm/guest/init.sh).
 *
 *   modcycle KO NAME CYCLES SECS [FILE [DIR]]
 *
 * A cycle is finit_module(KO) then delete_module(NAME, O_NONBLOCK). With
 * FILE (a file the module creates), each cycle also opens FILE once the
 * module is loaded, reads a few bytes, tries to unload the module (which
 * the open file must prevent), reads the rest (it must be one whole dump,
 * ending with an "end " record) and closes it. A reader in another process
 * holding the file open keeps the module busy too; the unload is then
 * retried every millisecond, up to 2 s. Stops after CYCLES cycles or SECS
 * seconds, whichever comes first, and prints one line:
 *   lifecycle cycles=N wanted=CYCLES busy=N held=N failures=N
 * (busy: unloads retried; held: unloads refused while this process held
 * FILE open, one per cycle when all is well; failures: loads refused,
 * unloads that never succeeded, an unload under an open file, a held read
 * that was not whole), then one "modcycle: ..." line per kind of failure.
 * Exit status 0 unless the arguments are wrong.
 *
 * With DIR too, a child process races the cycles: it opens FILE and reads
 * it to the end, again and again, pausing 0.2 ms when it cannot open it
 * (the module is away) and 2 ms after a read (reading back to back would
 * starve the cycles on one CPU); each cycle gives it 1 ms with the module
 * loaded.
 * It keeps every distinct text it read as DIR/N (up to 16; the module's
 * state does not change meanwhile, so they should all be the same), for
 * the caller to check with the reader's parser: every read is then either
 * checked or byte for byte the same as one that is. It prints, first:
 *   racer reads=N distinct=N unsaved=N partial=N failed=N
 * (reads: reads to the end; unsaved: distinct texts beyond 16; partial:
 * reads that did not end with the end record; failed: opens or reads
 * refused, as while the module is away).
 *
 * busybox insmod and rmmod would cost two processes a cycle, which on the
 * KASAN kernel under TCG is 100 ms a cycle: most of the test's time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RETRIES 2000
#define DISTINCT 16

static char buf[1 << 20];
static const char *problem[8];

/* Remember the first problem of each kind (at most 8 kinds). */
static void note(const char *what)
{
	unsigned int i;

	for (i = 0; i < sizeof(problem) / sizeof(problem[0]); i++) {
		if (!problem[i] || !strcmp(problem[i], what)) {
			problem[i] = what;
			return;
		}
	}
}

/* One whole dump: @len bytes ending with a line that starts with "end ". */
static int whole(char *text, size_t len)
{
	char *last;
	int ok;

	if (!len || text[len - 1] != '\n')
		return 0;
	text[len - 1] = '\0';
	last = strrchr(text, '\n');
	ok = !strncmp(last ? last + 1 : text, "end ", 4);
	text[len - 1] = '\n';
	return ok;
}

static volatile sig_atomic_t racer_stop;

static void racer_term(int sig)
{
	(void)sig;
	racer_stop = 1;
}

/* Keep @text as DIR/N if it is new; returns 0 when it cannot. */
static int racer_keep(const char *dir, char **seen, size_t *seen_len,
		      unsigned long *distinct, const char *text, size_t len)
{
	unsigned long i;
	char path[4096];
	FILE *f;

	for (i = 0; i < *distinct; i++)
		if (seen_len[i] == len && !memcmp(seen[i], text, len))
			return 1;
	if (*distinct == DISTINCT)
		return 0;
	seen[i] = malloc(len);
	if (!seen[i])
		return 0;
	memcpy(seen[i], text, len);
	seen_len[i] = len;
	(*distinct)++;
	snprintf(path, sizeof(path), "%s/%lu", dir, i);
	f = fopen(path, "w");
	if (!f)
		return 0;
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		return 0;
	}
	return !fclose(f);
}

/* The child: read FILE again and again until SIGTERM (see the top). */
static void racer(const char *file, const char *dir)
{
	static const struct timespec pause = { 0, 200000 }, after = { 0, 2000000 };
	static char rbuf[1 << 20];
	unsigned long reads = 0, distinct = 0, unsaved = 0, partial = 0, failed = 0;
	struct sigaction sa = { .sa_handler = racer_term };
	char *seen[DISTINCT];
	size_t seen_len[DISTINCT];

	sigaction(SIGTERM, &sa, NULL);
	while (!racer_stop) {
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		size_t total = 0;
		ssize_t r = 0;

		if (fd < 0) {
			failed++;
			nanosleep(&pause, NULL);
			continue;
		}
		while (total < sizeof(rbuf) &&
		       (r = read(fd, rbuf + total, sizeof(rbuf) - total)) > 0)
			total += r;
		close(fd);
		if (r < 0 || total == sizeof(rbuf)) {
			failed++;
			continue;
		}
		reads++;
		nanosleep(&after, NULL);
		if (!whole(rbuf, total))
			partial++;
		else if (!racer_keep(dir, seen, seen_len, &distinct, rbuf, total))
			unsaved++;
	}
	printf("racer reads=%lu distinct=%lu unsaved=%lu partial=%lu failed=%lu\n",
	       reads, distinct, unsaved, partial, failed);
	fflush(stdout);
	_exit(0);
}

/*
 * Open FILE, read a little, try to unload NAME (refused: held), read the
 * rest. Returns 1 if the module is still loaded, 0 if it went away.
 */
static int held_read(const char *file, const char *name, unsigned long *held,
		     unsigned long *failures)
{
	size_t total = 0;
	int fd, loaded = 1;
	ssize_t r;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		note("open of the module's file failed");
		(*failures)++;
		return 1;
	}
	r = read(fd, buf, 64);
	if (r > 0)
		total = r;
	if (!syscall(SYS_delete_module, name, O_NONBLOCK)) {
		note("the module unloaded while its file was open");
		(*failures)++;
		loaded = 0;
	} else if (errno == EBUSY || errno == EAGAIN) {
		(*held)++;
	} else {
		note("an unload under an open file failed with an unexpected error");
		(*failures)++;
	}
	while (total < sizeof(buf) - 1 && (r = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += r;
	close(fd);
	if (!loaded)
		return 0;
	if (r < 0 || !whole(buf, total)) {
		note("a held read was not one whole dump");
		(*failures)++;
	}
	return 1;
}

static unsigned long num(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "modcycle: %s: not a number: %s\n", what, s);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Unload NAME, retrying while something holds it. */
static void unload(const char *name, int loaded, unsigned long *busy,
		   unsigned long *failures, int *unload_errno)
{
	static const struct timespec ms = { 0, 1000000 };
	int tries;

	for (tries = 0; syscall(SYS_delete_module, name, O_NONBLOCK); tries++) {
		if ((errno != EBUSY && errno != EAGAIN) || tries == RETRIES) {
			/* ENOENT after a refused load is that load's failure. */
			if (errno != ENOENT || loaded) {
				*unload_errno = errno;
				(*failures)++;
			}
			return;
		}
		(*busy)++;
		nanosleep(&ms, NULL);
	}
}

int main(int argc, char **argv)
{
	static const struct timespec racer_turn = { 0, 1000000 };
	unsigned long wanted, n = 0, busy = 0, held = 0, failures = 0;
	const char *file = argc >= 6 ? argv[5] : NULL;
	const char *dir = argc == 7 ? argv[6] : NULL;
	int load_errno = 0, unload_errno = 0;
	pid_t child = -1;
	unsigned int i;
	double end;

	if (argc < 5 || argc > 7) {
		fprintf(stderr, "usage: modcycle KO NAME CYCLES SECS [FILE [DIR]]\n");
		return 2;
	}
	wanted = num(argv[3], "CYCLES");
	end = now() + num(argv[4], "SECS");
	if (dir) {
		fflush(stdout);
		child = fork();
		if (child == 0)
			racer(file, dir);
		if (child < 0) {
			fprintf(stderr, "modcycle: fork: %s\n", strerror(errno));
			return 2;
		}
	}
	for (; n < wanted && now() < end; n++) {
		int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		int loaded;

		if (fd < 0) {
			fprintf(stderr, "modcycle: %s: %s\n", argv[1], strerror(errno));
			return 2;
		}
		loaded = !syscall(SYS_finit_module, fd, "", 0);
		if (!loaded) {
			load_errno = errno;
			failures++;
		}
		close(fd);
		if (loaded && child > 0)
			nanosleep(&racer_turn, NULL);
		if (loaded && file && !held_read(file, argv[2], &held, &failures))
			continue;	/* it went away under the open file */
		unload(argv[2], loaded, &busy, &failures, &unload_errno);
	}
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	printf("lifecycle cycles=%lu wanted=%lu busy=%lu held=%lu failures=%lu\n", n,
	       wanted, busy, held, failures);
	for (i = 0; i < sizeof(problem) / sizeof(problem[0]) && problem[i]; i++)
		printf("modcycle: %s\n", problem[i]);
	if (load_errno)
		printf("modcycle: a load failed: %s\n", strerror(load_errno));
	if (unload_errno)
		printf("modcycle: an unload failed: %s\n", strerror(unload_errno));
	return 0;
}
