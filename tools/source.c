// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing a source and reading files. The module source is the dump
 * (docs/format.md) read from debugfs or a saved file; ftrace.c and
 * userspace.c hold the other two.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgmask.h"

#define MAX_FILE (4 << 20)

int seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if ((n < 0 || (size_t)n >= errlen) && errlen > 4)
		strcpy(err + errlen - 4, "...");	/* cut, but still an error */
	return -1;
}

/* Build dir/rel; a path that does not fit is an error, never a cut path. */
int join(char *buf, size_t n, const char *dir, const char *rel)
{
	int r = snprintf(buf, n, "%s/%s", dir, rel);

	if (r < 0 || (size_t)r >= n) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

const char *env_path(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && *v ? v : def;
}

/* Read a whole file ("-": stdin) into a NUL-terminated buffer. */
int read_all(const char *path, char **buf, size_t *len, size_t max)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	size_t cap = 4096, n = 0;
	char *b;

	if (fd < 0)
		return -1;
	b = malloc(cap);
	for (;;) {
		ssize_t r;

		if (!b)
			break;
		if (n + 1 >= cap) {
			size_t want = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *nb = cap > max ? NULL : realloc(b, want);

			if (!nb) {
				free(b);
				b = NULL;
				errno = cap > max ? EFBIG : ENOMEM;
				break;
			}
			b = nb;
			cap = want;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			b = NULL;
			errno = e;
			break;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	if (fd != STDIN_FILENO) {
		int e = errno;

		close(fd);
		errno = e;
	}
	if (!b)
		return -1;
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

/* Parse a saved dump ("-": stdin): 0, LOAD_UNREADABLE (errno set) or LOAD_BAD. */
int load_dump(const char *path, struct model *m, char *err, size_t errlen)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	size_t len;
	char *buf;
	int r;

	if (read_all(path, &buf, &len, MAX_FILE)) {
		int e = errno;

		seterr(err, errlen, "%s: %s", name, strerror(e));
		errno = e;
		return LOAD_UNREADABLE;
	}
	r = parse_dump(buf, len, name, m, err, errlen);
	free(buf);
	if (r)
		return LOAD_BAD;
	if (strlen(name) >= sizeof(m->input)) {
		seterr(err, errlen, "%s: path too long", name);
		return LOAD_BAD;
	}
	strcpy(m->input, name);
	return 0;
}

/*
 * The kernel's lockdown level as securityfs shows it ("none [integrity]
 * confidentiality"): "none", "integrity", "confidentiality", or NULL when
 * it cannot be read (no securityfs, no lockdown LSM).
 */
static const char *lockdown_level(char *buf, size_t n)
{
	char path[4096], *text, *l, *r;
	size_t len;

	if (join(path, sizeof(path), env_path("CGMASK_SECURITYFS", "/sys/kernel/security"),
		 "lockdown") || read_all(path, &text, &len, 4096))
		return NULL;
	l = strchr(text, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!r || (size_t)(r - l) > n || r == l + 1) {
		free(text);
		return NULL;
	}
	memcpy(buf, l + 1, (size_t)(r - l - 1));
	buf[r - l - 1] = 0;
	free(text);
	return buf;
}

#define LOCKED_DOWN	"debugfs is locked down"
#define LOCKDOWN_ADVICE	"; it then serves only files of mode 0444, as cgmask.ko creates its" \
	" file: reload the module if the mode was changed, or use --source" \
	" userspace, which works under any lockdown"

static bool str_starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * Why the module's debugfs file cannot be read, in a user's words; NULL
 * when strerror() says it all. EPERM from debugfs is kernel lockdown
 * (fs/debugfs/file.c, Linux 5.4+): at either level it refuses every file
 * that is not plain mode 0444 without write, ioctl or mmap. cgmask's file
 * is, so it stays readable under lockdown=integrity and confidentiality
 * (measured: tests/kunit/lockdown.sh, docs/security.md) unless its mode
 * was changed (before the lockdown; lockdown forbids it) or the kernel
 * locks all of debugfs down.
 */
static const char *debugfs_hint(int e, char *buf, size_t n)
{
	char level[32];
	const char *l;

	switch (e) {
	case EPERM:
		l = lockdown_level(level, sizeof(level));
		if (l && !strcmp(l, "none"))
			snprintf(buf, n, "debugfs refused the file although the kernel is not"
				 " locked down (a security module's policy?)");
		else
			snprintf(buf, n, LOCKED_DOWN " (lockdown=%s)",
				 l ? l : "integrity or confidentiality");
		return buf;
	case ENOENT:
		return "cgmask.ko is not loaded, or debugfs is not mounted";
	case EACCES:
		return "reading debugfs needs root";
	}
	return NULL;
}

/*
 * The module source. On failure *gone is the errno that kept the file from
 * being read, or 0 when it was read and is bad.
 */
static int source_module(struct model *m, int *gone, char *err, size_t errlen)
{
	char path[4096], hint[160];
	int r;

	*gone = 0;
	if (join(path, sizeof(path), env_path("CGMASK_DEBUGFS", "/sys/kernel/debug"), "cgmask"))
		return seterr(err, errlen, "CGMASK_DEBUGFS: %s", strerror(errno));
	r = load_dump(path, m, err, errlen);
	if (r == LOAD_UNREADABLE) {
		const char *h;

		*gone = errno;
		h = debugfs_hint(*gone, hint, sizeof(hint));
		if (h)
			seterr(err, errlen, "%s: %s: %s%s", path, strerror(*gone), h,
			       str_starts(h, LOCKED_DOWN) ? LOCKDOWN_ADVICE : "");
	}
	return r ? -1 : 0;
}

/*
 * --source: module, ftrace, userspace, or auto (the first that works, in
 * that order; a module dump that does not parse is an error, not a reason
 * to fall back).
 */
int load_source(const char *want, const char *file, struct model *m,
		char *err, size_t errlen)
{
	const char *next;
	int gone;

	if (file)
		return load_dump(file, m, err, errlen) ? -1 : 0;
	if (!strcmp(want, "module"))
		return source_module(m, &gone, err, errlen);
	if (!strcmp(want, "ftrace"))
		return source_ftrace(m, err, errlen);
	if (!strcmp(want, "userspace"))
		return source_userspace(m, err, errlen);
	if (strcmp(want, "auto"))
		return seterr(err, errlen, "unknown source '%s' (module, ftrace, userspace or auto)", want);
	if (!source_module(m, &gone, err, errlen))
		return 0;
	if (!gone)
		return -1;
	next = ftrace_usable() ? "ftrace" : "userspace";
	if (gone == EPERM) {
		char hint[160];

		warnx("%s; falling back to the %s source",
		      debugfs_hint(gone, hint, sizeof(hint)), next);
	}
	if (!strcmp(next, "ftrace")) {
		if (!source_ftrace(m, err, errlen))
			return 0;
		warnx("the ftrace source failed, falling back to the userspace source: %s", err);
	}
	return source_userspace(m, err, errlen);
}
