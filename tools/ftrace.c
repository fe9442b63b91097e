// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace source: read the three boot-time masks with a kprobe event on
 * cgroup_controllers_show() and @symbol fetch arguments, then combine them
 * with the userspace inference.
 *
 * The event lives in its own group (cgmask_<pid>) and is enabled only in
 * its own tracefs instance, so concurrent runs and other users' events and
 * trace buffers are left alone. kprobe_events is only ever appended to.
 * The event and the instance are removed on every path, including errors
 * and SIGINT/SIGTERM/SIGHUP (the handlers only set a flag; the signal is
 * raised again after cleanup).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgmask.h"

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static const char *tracefs_dir(void)
{
	const char *e = getenv("CGMASK_TRACEFS");

	if (e && *e)
		return e;
	if (!access("/sys/kernel/tracing/kprobe_events", F_OK))
		return "/sys/kernel/tracing";
	return "/sys/kernel/debug/tracing";
}

bool ftrace_usable(void)
{
	char path[PATH_MAX];

	return !join(path, sizeof(path), tracefs_dir(), "kprobe_events") &&
	       !access(path, W_OK);
}

/* Write text to an existing file; append adds O_APPEND (never truncate). */
static int put(const char *path, const char *text, bool append)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : 0));
	size_t len = strlen(text);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = write(fd, text, len);
	if (close(fd) && r >= 0)
		return -1;
	if (r >= 0 && (size_t)r != len) {
		errno = EIO;
		return -1;
	}
	return r < 0 ? -1 : 0;
}

/* "... implicit=256 inhibit=740 threaded=2307": the three masks. */
int ftrace_parse_line(const char *line, uint64_t v[3])
{
	static const char *const keys[3] = { " implicit=", " inhibit=", " threaded=" };

	for (int j = 0; j < 3; j++) {
		const char *p = strstr(line, keys[j]);
		char *end;

		if (!p)
			return -1;
		p += strlen(keys[j]);
		if (*p < '0' || *p > '9')
			return -1;
		errno = 0;
		v[j] = strtoull(p, &end, 0);
		if (errno || (*end && *end != ' ' && *end != '\n'))
			return -1;
	}
	return 0;
}

/* The last event line in an instance's trace file. */
static int find_event(const char *trace, uint64_t v[3])
{
	char *buf, *line, *save;
	size_t len;
	int r = -1;

	if (read_all(trace, &buf, &len, 16 << 20))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#' && !ftrace_parse_line(line, v))
			r = 0;
	free(buf);
	return r;
}

/* Record the masks read by the probe, and what they settle per subsystem. */
static void ftrace_apply(struct model *m, const uint64_t v[3])
{
	static const int ks[3] = { MASK_IMPLICIT, MASK_INHIBIT, MASK_THREADED };
	bool ids = m->complete && ids_known(m, ~(uint64_t)0);

	for (int j = 0; j < 3; j++) {
		struct cg_mask *mk = &m->mask[ks[j]];
		uint64_t members = 0, seen = 0;

		mk->value = v[j];
		mk->value_known = true;
		strcpy(mk->via, "ftrace");
		mk->agree = mk->derived_known ? mk->derived == v[j] : T_UNK;
		if (ids) {
			for (int i = 0; i < m->nss; i++) {
				seen |= (uint64_t)1 << m->ss[i].id;
				if (v[j] >> m->ss[i].id & 1)
					members |= (uint64_t)1 << i;
			}
			mk->names_known = !(v[j] & ~seen);
			mk->members = members;
		} else if (mk->names_known &&
			   __builtin_popcountll(mk->members) != __builtin_popcountll(v[j])) {
			mk->names_known = false;	/* inferred names cannot be these bits */
		}
	}
	if (!ids)
		return;
	for (int i = 0; i < m->nss; i++) {
		struct cg_ss *s = &m->ss[i];
		bool implicit = v[0] >> s->id & 1, inhibit = v[1] >> s->id & 1;

		if (s->enabled != T_YES)
			continue;	/* the masks say nothing about disabled ones */
		if (s->implicit_on_dfl == T_UNK)
			s->implicit_on_dfl = implicit;
		if (!implicit && s->dfl_cftypes == T_UNK)
			s->dfl_cftypes = !inhibit;
		if (s->threaded == T_UNK)
			s->threaded = v[2] >> s->id & 1;
		rule_reasons(s);
	}
}

int source_ftrace(struct model *m, char *err, size_t errlen)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	bool handled[3] = { false }, added = false, made = false, enabled = false;
	char events[PATH_MAX], inst[PATH_MAX], enable[PATH_MAX], trace[PATH_MAX];
	char root[PATH_MAX], release[80], group[32], def[512], rel[128];
	const char *tfs = tracefs_dir();
	uint64_t v[3];
	int width, rc = -1;
	size_t len;
	char *buf;

	if (cgroup2_root(root, sizeof(root), err, errlen))
		return -1;
	if (kernel_release(release, sizeof(release)) || (width = width_for_release(release)) < 0)
		return seterr(err, errlen, "cannot tell the kernel's mask width from its release");
	if (snprintf(group, sizeof(group), "cgmask_%ld", (long)getpid()) >= (int)sizeof(group) ||
	    snprintf(def, sizeof(def), "p:%s/m cgroup_controllers_show"
		     " implicit=@cgrp_dfl_implicit_ss_mask:u%d inhibit=@cgrp_dfl_inhibit_ss_mask:u%d"
		     " threaded=@cgrp_dfl_threaded_ss_mask:u%d\n", group, width, width, width)
	    >= (int)sizeof(def) ||
	    snprintf(rel, sizeof(rel), "instances/%s", group) >= (int)sizeof(rel) ||
	    join(events, sizeof(events), tfs, "kprobe_events") ||
	    join(inst, sizeof(inst), tfs, rel) ||
	    snprintf(enable, sizeof(enable), "%s/events/%s/m/enable", inst, group)
	    >= (int)sizeof(enable) ||
	    join(trace, sizeof(trace), inst, "trace"))
		return seterr(err, errlen, "%s: path too long", tfs);

	stop_sig = 0;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++) {
		if (sigaction(sigs[i], NULL, &old[i]) || old[i].sa_handler == SIG_IGN)
			continue;
		handled[i] = !sigaction(sigs[i], &sa, NULL);
	}

	if (put(events, def, true)) {
		seterr(err, errlen, "%s: cannot add a kprobe event (%s); it needs CONFIG_KPROBE_EVENTS,"
		       " CONFIG_KALLSYMS_ALL for the mask symbols, and no lockdown; see %s/error_log",
		       events, strerror(errno), tfs);
		goto cleanup;
	}
	added = true;
	if (stop_sig)
		goto cleanup;
	if (mkdir(inst, 0700)) {
		seterr(err, errlen, "%s: %s", inst, strerror(errno));
		goto cleanup;
	}
	made = true;
	if (stop_sig)
		goto cleanup;
	if (put(enable, "1", false)) {
		seterr(err, errlen, "%s: %s", enable, strerror(errno));
		goto cleanup;
	}
	enabled = true;
	if (stop_sig)
		goto cleanup;
	{
		char path[PATH_MAX];

		if (join(path, sizeof(path), root, "cgroup.controllers") ||
		    read_all(path, &buf, &len, 1 << 16)) {
			seterr(err, errlen, "%s: %s", path, strerror(errno));
			goto cleanup;
		}
		free(buf);	/* reading it fired the probe */
	}
	if (find_event(trace, v)) {
		seterr(err, errlen, "%s: no cgmask event after reading %s/cgroup.controllers",
		       trace, root);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (stop_sig && rc)
		seterr(err, errlen, "interrupted by signal %d", (int)stop_sig);
	if (enabled && put(enable, "0", false))
		warn("%s", enable);
	if (made && rmdir(inst))
		warn("cannot remove tracefs instance %s", inst);
	if (added) {
		char undo[64];

		if (snprintf(undo, sizeof(undo), "-:%s/m\n", group) >= (int)sizeof(undo) ||
		    put(events, undo, true))
			warn("cannot remove kprobe event %s/m; remove it with: echo '-:%s/m' >> %s",
			     group, group, events);
	}
	for (int i = 0; i < 3; i++)
		if (handled[i])
			sigaction(sigs[i], &old[i], NULL);
	if (stop_sig)
		raise(stop_sig);
	if (rc)
		return -1;

	if (source_userspace(m, err, errlen))
		return -1;
	m->source = SRC_FTRACE;
	if (snprintf(m->input, sizeof(m->input), "%s,%s,%s", tfs, root,
		     env_path("CGMASK_PROC", "/proc")) >= (int)sizeof(m->input))
		strcpy(m->input + sizeof(m->input) - 4, "...");
	ftrace_apply(m, v);
	return 0;
}
