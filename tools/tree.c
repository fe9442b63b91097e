// SPDX-License-Identifier: GPL-2.0
/*
 * "cgmask tree" and "cgmask why CONTROLLER PATH": the per-cgroup view, from
 * a struct cg_tree only (tree_src.c fills it).
 *
 * A cgroup's cgroup.controllers is its parent's cgroup.subtree_control,
 * masked to the threaded controllers in a threaded cgroup; at the root it
 * is every controller bound to v2 that is neither implicit nor v1-only
 * (cgroup_control() in kernel/cgroup/cgroup.c). "why" walks that chain
 * from the root down to the cgroup and says where it breaks.
 */
#include <err.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"

/* A growing string; running out of memory ends the program. */
struct sb {
	char *p;
	size_t len, cap;
};

static void sb_printf(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		errx(2, "internal error: bad format");
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = (b->len + (size_t)n + 1) * 2;
		char *np = realloc(b->p, cap);

		if (!np)
			errx(2, "out of memory");
		b->p = np;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static char *sb_take(struct sb *b)
{
	char *p = b->p ? b->p : strdup("");

	if (!p)
		errx(2, "out of memory");
	memset(b, 0, sizeof(*b));
	return p;
}

/* A path or name for text: printable ASCII except space and \ as is, else \xHH. */
static char *esc(const char *s)
{
	struct sb b = { 0 };

	if (!s)
		s = "?";
	sb_printf(&b, "%s", "");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7f && c != '\\')
			sb_printf(&b, "%c", c);
		else
			sb_printf(&b, "\\x%02x", c);
	}
	return sb_take(&b);
}

/* "cpu, memory" for a set of subsystems ("none" when empty). */
static char *names_of(const struct cg_tree *t, uint64_t set, const char *sep)
{
	struct sb b = { 0 };

	for (int i = 0; i < t->m.nss; i++)
		if (set >> i & 1)
			sb_printf(&b, "%s%s", b.len ? sep : "", t->m.ss[i].name);
	if (!b.len)
		sb_printf(&b, "none");
	return sb_take(&b);
}

static bool has(const struct cg_node *nd, int k, int i)
{
	return (nd->known >> k & 1) && (nd->mask[k] >> i & 1);
}

static tri has_tri(const struct cg_node *nd, int k, int i)
{
	if (!(nd->known >> k & 1))
		return T_UNK;
	return nd->mask[k] >> i & 1 ? T_YES : T_NO;
}

/* Index of the cgroup at path ("/a/b", "a/b", or under the cgroup2 mount), or -1. */
int tree_find(const struct cg_tree *t, const char *path)
{
	const char *mnt = env_path("CGMASK_SYSFS_CGROUP", "/sys/fs/cgroup");
	size_t n = strlen(mnt), len;
	char *want;
	int found = -1;

	if (n > 1 && !strncmp(path, mnt, n) && (path[n] == '/' || !path[n]))
		path += n;
	want = malloc(strlen(path) + 2);
	if (!want)
		errx(2, "out of memory");
	want[0] = '/';
	strcpy(want + 1, path + (path[0] == '/'));
	len = strlen(want);
	while (len > 1 && want[len - 1] == '/')
		want[--len] = 0;
	for (int i = 0; i < t->n; i++)
		if (t->nodes[i].path && !strcmp(t->nodes[i].path, want)) {
			found = i;
			break;
		}
	free(want);
	return found;
}

/* ---------------------------------------------------------------- tree */

static const char *const tree_headers[] = {
	"CGROUP", "TYPE", "CONTROLLERS", "SUBTREE_CONTROL", "EFFECTIVE", "CSS",
};
#define TREE_COLS 6

static const char *base_name(const char *path)
{
	const char *s;

	if (!path)
		return NULL;
	s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

/* The text cells of one row; cells[0] is the tree-drawn name. */
static void tree_row(const struct cg_tree *t, int i, int top, const int *last, char **cells)
{
	const struct cg_node *nd = &t->nodes[i];
	struct sb b = { 0 };
	char *name = esc(base_name(nd->path));
	int depth = nd->level - t->nodes[top].level;

	if (depth) {
		int *chain = malloc((size_t)depth * sizeof(*chain)), a = nd->parent;

		if (!chain)
			errx(2, "out of memory");
		/* Ancestors below top, outermost first: "|   " while they have later siblings. */
		for (int d = depth - 2; d >= 0; d--) {
			chain[d] = a;
			a = t->nodes[a].parent;
		}
		for (int d = 0; d < depth - 1; d++)
			sb_printf(&b, "%s", last[chain[d]] ? "    " : "|   ");
		sb_printf(&b, "%s", last[i] ? "`-- " : "|-- ");
		free(chain);
	}
	sb_printf(&b, "%s", i == top ? "" : name);
	if (i == top) {
		char *p = esc(nd->path);

		sb_printf(&b, "%s", p);
		free(p);
	}
	free(name);
	cells[0] = sb_take(&b);
	cells[1] = strdup(cg_type_names[nd->type]);
	for (int k = 0; k < CGM_COUNT; k++) {
		int mk = k == 0 ? CGM_CONTROLLERS : k == 1 ? CGM_SUBTREE : k == 2 ? CGM_EFFECTIVE : CGM_CSS;

		cells[2 + k] = nd->known >> mk & 1 ? names_of(t, nd->mask[mk], ",") : strdup("?");
		if (cells[2 + k] && !strcmp(cells[2 + k], "none")) {
			free(cells[2 + k]);
			cells[2 + k] = strdup("-");
		}
	}
	for (int c = 0; c < TREE_COLS; c++)
		if (!cells[c])
			errx(2, "out of memory");
}

static void tree_text(const struct cg_tree *t, int top, int end, FILE *f)
{
	int *last = calloc((size_t)t->n, sizeof(*last)), *lastkid = malloc((size_t)t->n * sizeof(int));
	size_t width[TREE_COLS];
	char **cells;
	struct out o;
	int rows = end - top;

	cells = calloc((size_t)rows * TREE_COLS, sizeof(*cells));
	if (!last || !lastkid || !cells)
		errx(2, "out of memory");
	for (int i = 0; i < t->n; i++)
		lastkid[i] = -1;
	for (int i = top + 1; i < end; i++)
		lastkid[t->nodes[i].parent] = i;
	for (int i = top + 1; i < end; i++)
		last[i] = lastkid[t->nodes[i].parent] == i;
	for (int c = 0; c < TREE_COLS; c++)
		width[c] = strlen(tree_headers[c]);
	for (int r = 0; r < rows; r++) {
		tree_row(t, top + r, top, last, cells + (size_t)r * TREE_COLS);
		for (int c = 0; c < TREE_COLS; c++)
			if (strlen(cells[(size_t)r * TREE_COLS + c]) > width[c])
				width[c] = strlen(cells[(size_t)r * TREE_COLS + c]);
	}
	for (int c = 0; c < TREE_COLS - 1; c++)
		fprintf(f, "%-*s  ", (int)width[c], tree_headers[c]);
	fprintf(f, "%s\n", tree_headers[TREE_COLS - 1]);
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < TREE_COLS; c++) {
			char *s = cells[(size_t)r * TREE_COLS + c];

			if (c == TREE_COLS - 1)
				fprintf(f, "%s\n", s);
			else
				fprintf(f, "%-*s  ", (int)width[c], s);
			free(s);
		}
	fputc('\n', f);
	out_init(&o, f, false);
	render_json_head(&t->m, &o);
	free(cells);
	free(last);
	free(lastkid);
}

static void json_set(struct out *o, const struct cg_tree *t, const char *key,
		     const struct cg_node *nd, int k)
{
	print_val(o, PRINT_JSON, key, NULL, v_sslist(&t->m, nd->mask[k], nd->known >> k & 1));
}

static void json_subsystems(struct out *o, const struct cg_tree *t)
{
	jw_open(o, "subsystems", '[', false);
	for (int i = 0; i < t->m.nss; i++) {
		const struct cg_ss *s = &t->m.ss[i];

		jw_open(o, NULL, '{', false);
		print_val(o, PRINT_JSON, "id", NULL, v_num(s->id, s->id >= 0));
		print_val(o, PRINT_JSON, "name", NULL, v_str(s->name, true));
		print_val(o, PRINT_JSON, "enabled", NULL, v_tri(s->enabled));
		print_val(o, PRINT_JSON, "threaded", NULL, v_tri(s->threaded));
		print_val(o, PRINT_JSON, "implicit_on_dfl", NULL, v_tri(s->implicit_on_dfl));
		print_val(o, PRINT_JSON, "depends_on", NULL,
			  v_sslist(&t->m, s->depends_on, s->depends_known));
		jw_close(o, '}');
	}
	jw_close(o, ']');
}

static void tree_json(const struct cg_tree *t, int top, int end, FILE *f)
{
	struct out o;

	out_init(&o, f, true);
	jw_open(&o, NULL, '{', false);
	render_json_head(&t->m, &o);
	json_subsystems(&o, t);
	jw_open(&o, "cgroups", '[', false);
	for (int i = top; i < end; i++) {
		const struct cg_node *nd = &t->nodes[i];
		const char *pp = nd->parent >= 0 ? t->nodes[nd->parent].path : NULL;

		jw_open(&o, NULL, '{', false);
		print_val(&o, PRINT_JSON, "path", NULL, v_str(nd->path ? nd->path : "", nd->path));
		print_val(&o, PRINT_JSON, "id", NULL, v_num(nd->id, nd->id >= 0));
		print_val(&o, PRINT_JSON, "level", NULL, v_num(nd->level, true));
		print_val(&o, PRINT_JSON, "parent", NULL, v_str(pp ? pp : "", pp));
		print_val(&o, PRINT_JSON, "type", NULL,
			  v_str(cg_type_names[nd->type], nd->type != CGT_UNKNOWN));
		for (int k = 0; k < CGM_COUNT; k++)
			json_set(&o, t, cgm_keys[k], nd, k);
		jw_close(&o, '}');
	}
	jw_close(&o, ']');
	jw_close(&o, '}');
}

/* The tree below path (everything when NULL); 2 when path is not a cgroup. */
int cmd_tree(const struct cg_tree *t, const char *path, FILE *f, bool json)
{
	int top = path ? tree_find(t, path) : 0, end;

	if (top < 0 || !t->n) {
		warnx("no cgroup %s in %s", path ? path : "/", t->m.input);
		return 2;
	}
	for (end = top + 1; end < t->n && t->nodes[end].level > t->nodes[top].level; end++)
		;
	if (json)
		tree_json(t, top, end, f);
	else
		tree_text(t, top, end, f);
	return 0;
}

/* ---------------------------------------------------------------- why */

struct step {
	int node;
	const char *fact;
	tri ok;
	char *text;
};

struct why {
	const struct cg_tree *t;
	int ss, target;
	const char *reason;	/* NULL: nothing blocks it */
	int blocked_at;		/* node, -1 */
	tri available, enabled, css;
	bool usable;
	unsigned root_reasons, root_possible;
	int nsteps, cap;
	struct step *steps;
	struct sb fix;
};

static void step(struct why *w, int node, const char *fact, tri ok, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void step(struct why *w, int node, const char *fact, tri ok, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = malloc((size_t)(n < 0 ? 0 : n) + 1);
	if (!text)
		errx(2, "out of memory");
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (w->nsteps == w->cap) {
		int cap = w->cap ? 2 * w->cap : 16;
		struct step *ns = realloc(w->steps, (size_t)cap * sizeof(*ns));

		if (!ns)
			errx(2, "out of memory");
		w->steps = ns;
		w->cap = cap;
	}
	w->steps[w->nsteps++] = (struct step){ node, fact, ok, text };
}

/* The escaped path of a node, for text; the caller frees *keep. */
static const char *path_of(const struct why *w, int node, char **keep)
{
	*keep = esc(w->t->nodes[node].path);
	return *keep;
}

/* The root's reasons, when the root's cgroup.controllers does not list ss i. */
static void root_reasons(struct why *w, int i)
{
	const struct cg_tree *t = w->t;
	const struct cg_ss *s = &t->m.ss[i];
	tri css = has_tri(&t->nodes[0], CGM_CSS, i);

	if (t->m.source != SRC_MODULE) {
		w->root_reasons = s->reasons;
		w->root_possible = s->reasons_possible;
		return;
	}
	/* The module's cgmask_cgroups: the flags, and whether the root has a css. */
	w->root_reasons = w->root_possible = 0;
	if (s->enabled == T_NO) {
		w->root_reasons = 1u << R_DISABLED;
	} else if (s->implicit_on_dfl == T_YES) {
		w->root_reasons = 1u << R_IMPLICIT;
	} else if (css == T_YES) {
		w->root_reasons = 1u << R_INHIBITED;
	} else if (css == T_NO) {
		/* Bound to v1; whether it would be inhibited on v2 is not in this file. */
		w->root_reasons = 1u << R_V1;
		w->root_possible = 1u << R_INHIBITED;
	}
	w->root_possible |= w->root_reasons;
}

static const char *const root_reason_text[R_COUNT] = {
	[R_DISABLED] = "it is disabled (booted with cgroup_disable=)",
	[R_V1] = "it is bound to a v1 hierarchy",
	[R_IMPLICIT] = "it is implicit on v2 (implicit_on_dfl)",
	[R_INHIBITED] = "it is a v1-only controller (no v2 interface files)",
};

static void why_root(struct why *w, int i)
{
	const struct cg_ss *s = &w->t->m.ss[i];
	struct sb b = { 0 };
	char *text;

	root_reasons(w, i);
	for (int r = 0; r < R_COUNT; r++)
		if (w->root_reasons >> r & 1)
			sb_printf(&b, "%s%s", b.len ? "; " : "", root_reason_text[r]);
	if (w->root_possible & ~w->root_reasons) {
		bool first = true;

		sb_printf(&b, "%s", w->root_reasons ? "; maybe also " : "either ");
		for (int r = 0; r < R_COUNT; r++)
			if ((w->root_possible & ~w->root_reasons) >> r & 1) {
				sb_printf(&b, "%s%s", first ? "" : ", or ", root_reason_text[r]);
				first = false;
			}
		sb_printf(&b, " (this source cannot tell)");
	}
	if (!b.len)
		sb_printf(&b, "the reason is unknown to this source");
	text = sb_take(&b);
	step(w, 0, "root_controllers", T_NO,
	     "/ does not list %s in cgroup.controllers: %s.", s->name, text);
	free(text);
	if (w->root_reasons >> R_DISABLED & 1)
		sb_printf(&w->fix, "remove cgroup_disable=%s from the kernel command line and reboot",
			  s->name);
	else if (w->root_reasons >> R_V1 & 1)
		sb_printf(&w->fix, "unmount the v1 hierarchy that holds %s (grep -w cgroup"
			  " /proc/mounts); the kernel then gives it back to v2", s->name);
	else if (w->root_reasons >> R_INHIBITED & 1)
		sb_printf(&w->fix, "none on v2; 'cgmask why %s' says what v2 offers instead", s->name);
	w->reason = "not_in_root";
	w->blocked_at = 0;
}

/* Subsystems in node's subtree_control whose depends_on pulls in ss i. */
static uint64_t pullers(const struct cg_tree *t, const struct cg_node *nd, int i)
{
	uint64_t out = 0;

	if (!(nd->known >> CGM_SUBTREE & 1))
		return 0;
	for (int j = 0; j < t->m.nss; j++) {
		uint64_t seen = (uint64_t)1 << j;

		if (!(nd->mask[CGM_SUBTREE] >> j & 1))
			continue;
		/* The closure of depends_on, as cgroup_calc_subtree_ss_mask() takes it. */
		for (;;) {
			uint64_t more = seen;

			for (int k = 0; k < t->m.nss; k++)
				if ((seen >> k & 1) && t->m.ss[k].depends_known)
					more |= t->m.ss[k].depends_on;
			if (more == seen)
				break;
			seen = more;
		}
		if (j != i && (seen >> i & 1))
			out |= (uint64_t)1 << j;
	}
	return out;
}

static uint64_t threaded_set(const struct cg_tree *t, bool *known)
{
	uint64_t set = 0;

	*known = true;
	for (int i = 0; i < t->m.nss; i++) {
		const struct cg_ss *s = &t->m.ss[i];

		if (s->threaded == T_UNK || s->enabled == T_UNK)
			*known = false;
		else if (s->threaded == T_YES && s->enabled == T_YES)
			set |= (uint64_t)1 << i;
	}
	return set;
}

static void fix_enable(struct why *w, int from, int to)
{
	const struct cg_tree *t = w->t;
	const char *mnt = env_path("CGMASK_SYSFS_CGROUP", "/sys/fs/cgroup");
	int *chain = malloc((size_t)(t->nodes[to].level + 1) * sizeof(*chain)), n = 0;

	if (!chain)
		errx(2, "out of memory");
	/* Every ancestor from the blocking one down to the target's parent lacking it. */
	for (int a = t->nodes[to].parent; a >= 0; a = t->nodes[a].parent) {
		chain[n++] = a;
		if (a == from)
			break;
	}
	while (n--) {
		const struct cg_node *nd = &t->nodes[chain[n]];
		char *p;

		if (has(nd, CGM_SUBTREE, w->ss))
			continue;
		p = esc(nd->path);
		sb_printf(&w->fix, "%secho +%s > %s%s/cgroup.subtree_control", w->fix.len ? "; " : "",
			  t->m.ss[w->ss].name, mnt, strcmp(p, "/") ? p : "");
		free(p);
	}
	free(chain);
}

/* Down from the root: where the chain of cgroup.controllers breaks. */
static void why_walk(struct why *w, const int *chain, int n, uint64_t tset, bool tknown)
{
	const struct cg_tree *t = w->t;
	const char *name = t->m.ss[w->ss].name;
	int i = w->ss;

	step(w, 0, "root_controllers", T_YES, "/ lists %s in cgroup.controllers.", name);
	for (int k = n - 2; k >= 0; k--) {
		const struct cg_node *c = &t->nodes[chain[k]], *p = &t->nodes[chain[k + 1]];
		char *cp, *pp;

		path_of(w, chain[k], &cp);
		path_of(w, chain[k + 1], &pp);
		if (has(c, CGM_CONTROLLERS, i)) {
			step(w, chain[k + 1], "subtree_control", T_YES,
			     "%s has %s in cgroup.subtree_control, so %s lists it in cgroup.controllers.",
			     pp, name, cp);
		} else if (!has(p, CGM_SUBTREE, i)) {
			uint64_t pull = pullers(t, p, i);

			step(w, chain[k + 1], "subtree_control", T_NO,
			     "%s is not in %s's cgroup.subtree_control, so %s does not list it in"
			     " cgroup.controllers.", name, pp, cp);
			if (has(c, CGM_CSS, i)) {
				char *pl = names_of(t, pull, ", ");

				step(w, chain[k], "css", T_YES,
				     "%s still has a %s css, without %s's interface files: %s%s.", cp,
				     name, name, pull ? pl : "the effective mask of its parent pulls it in",
				     pull ? (pull & (pull - 1) ? " (enabled in its parent's"
					     " cgroup.subtree_control) depend on it" :
					     " (enabled in its parent's cgroup.subtree_control) depends on it") : "");
				free(pl);
			}
			w->reason = "not_enabled";
			w->blocked_at = chain[k + 1];
			if (t->m.ss[i].threaded == T_NO && chain[k + 1] &&
			    (p->type == CGT_DOMAIN_THREADED || p->type == CGT_THREADED)) {
				step(w, chain[k + 1], "threaded", T_NO,
				     "%s cannot enable it: it is %s, where only threaded controllers can be"
				     " enabled, and %s is not one.", pp, p->type == CGT_THREADED ?
				     "threaded" : "the root of a threaded subtree (domain threaded)", name);
				sb_printf(&w->fix, "none inside a threaded subtree: run what needs %s in a"
					  " domain cgroup", name);
			} else {
				fix_enable(w, chain[k + 1], w->target);
			}
			free(cp);
			free(pp);
			return;
		} else if (c->type == CGT_THREADED) {
			char *tl = names_of(t, tset, ", ");

			step(w, chain[k], "threaded", T_NO,
			     "%s is threaded and %s is not a threaded controller%s%s%s, so %s does not"
			     " list it although %s's cgroup.subtree_control has it.", cp, name,
			     tknown ? " (threaded ones: " : "", tknown ? tl : "", tknown ? ")" : "",
			     cp, pp);
			free(tl);
			w->reason = "not_threaded";
			w->blocked_at = chain[k];
			sb_printf(&w->fix, "none inside a threaded subtree: run what needs %s in a domain"
				  " cgroup", name);
			free(cp);
			free(pp);
			return;
		} else {
			step(w, chain[k], "controllers", T_NO,
			     "%s does not list %s although %s's cgroup.subtree_control has it (the"
			     " tree changed while it was read?).", cp, name, pp);
			w->reason = "unknown";
			w->blocked_at = chain[k];
			free(cp);
			free(pp);
			return;
		}
		free(cp);
		free(pp);
	}
}

static void why_chain(struct why *w)
{
	const struct cg_tree *t = w->t;
	int *chain = malloc((size_t)(t->nodes[w->target].level + 1) * sizeof(*chain));
	int n = 0, i = w->ss;
	bool tknown;
	uint64_t tset = threaded_set(t, &tknown);

	if (!chain)
		errx(2, "out of memory");
	for (int a = w->target; a >= 0; a = t->nodes[a].parent)
		chain[n++] = a;
	if (!has(&t->nodes[0], CGM_CONTROLLERS, i))
		why_root(w, i);
	else
		why_walk(w, chain, n, tset, tknown);
	free(chain);
}

static void why_target(struct why *w)
{
	const struct cg_tree *t = w->t;
	const struct cg_node *nd = &t->nodes[w->target];
	const char *name = t->m.ss[w->ss].name;
	char *p;

	path_of(w, w->target, &p);
	if (nd->type == CGT_DOMAIN_INVALID)
		step(w, w->target, "type", T_NO,
		     "%s is domain invalid: it can hold no processes and enable nothing until it is"
		     " made threaded (echo threaded > cgroup.type).", p);
	if (w->available == T_YES) {
		if (w->enabled == T_YES)
			step(w, w->target, "enabled", T_YES,
			     "%s has %s in cgroup.subtree_control: its children get it too.", p, name);
		else if (w->enabled == T_NO)
			step(w, w->target, "enabled", T_NO,
			     "%s does not enable %s for its children (echo +%s >"
			     " cgroup.subtree_control there would).", p, name, name);
	}
	free(p);
}

static void why_implicit(struct why *w)
{
	const struct cg_tree *t = w->t;
	const char *name = t->m.ss[w->ss].name;
	char *p;

	path_of(w, w->target, &p);
	step(w, 0, "implicit", T_YES,
	     "%s is implicit on v2 (implicit_on_dfl): the kernel gives every cgroup a %s css"
	     " without listing it in cgroup.controllers, and there is nothing to enable.",
	     name, name);
	if (w->css == T_YES)
		step(w, w->target, "css", T_YES, "%s has a %s css.", p, name);
	else if (w->css == T_NO)
		step(w, w->target, "css", T_NO, "%s has no %s css (the tree changed while it was"
		     " read?).", p, name);
	free(p);
	w->reason = "implicit";
	w->usable = w->css != T_NO;
}

static void why_json(struct why *w, const char *asked, const char *path, FILE *f)
{
	const struct cg_tree *t = w->t;
	bool found = w->ss >= 0;
	struct out o;

	out_init(&o, f, true);
	jw_open(&o, NULL, '{', false);
	render_json_head(&t->m, &o);
	print_val(&o, PRINT_JSON, "controller", NULL,
		  v_str(found ? t->m.ss[w->ss].name : asked, true));
	print_val(&o, PRINT_JSON, "found", NULL, v_tri(found));
	print_val(&o, PRINT_JSON, "path", NULL, v_str(w->target >= 0 && t->nodes[w->target].path ?
							t->nodes[w->target].path : path, true));
	print_val(&o, PRINT_JSON, "usable", NULL, v_tri(w->usable));
	print_val(&o, PRINT_JSON, "available", NULL, v_tri(w->available));
	print_val(&o, PRINT_JSON, "enabled", NULL, v_tri(w->enabled));
	print_val(&o, PRINT_JSON, "css", NULL, v_tri(w->css));
	print_val(&o, PRINT_JSON, "reason", NULL, v_str(w->reason ? w->reason : "", w->reason));
	print_val(&o, PRINT_JSON, "blocked_at", NULL,
		  v_str(w->blocked_at >= 0 && t->nodes[w->blocked_at].path ?
			t->nodes[w->blocked_at].path : "", w->blocked_at >= 0));
	if (!found)
		print_val(&o, PRINT_JSON, "root_reasons", NULL, v_null());
	else if (has(&t->nodes[0], CGM_CONTROLLERS, w->ss))
		print_val(&o, PRINT_JSON, "root_reasons", NULL, v_reasons(0, 0));
	else
		print_val(&o, PRINT_JSON, "root_reasons", NULL,
			  v_reasons(w->root_reasons, w->root_possible));
	print_val(&o, PRINT_JSON, "fix", NULL, v_str(w->fix.p ? w->fix.p : "", w->fix.len));
	jw_open(&o, "steps", '[', false);
	for (int s = 0; s < w->nsteps; s++) {
		const struct step *st = &w->steps[s];

		jw_open(&o, NULL, '{', false);
		print_val(&o, PRINT_JSON, "path", NULL, v_str(t->nodes[st->node].path ?
							t->nodes[st->node].path : "", t->nodes[st->node].path));
		print_val(&o, PRINT_JSON, "fact", NULL, v_str(st->fact, true));
		print_val(&o, PRINT_JSON, "ok", NULL, v_tri(st->ok));
		print_val(&o, PRINT_JSON, "text", NULL, v_str(st->text, true));
		jw_close(&o, '}');
	}
	jw_close(&o, ']');
	jw_close(&o, '}');
}

static void why_text(struct why *w, const char *asked, FILE *f)
{
	const struct cg_tree *t = w->t;
	struct out o;
	char *p;

	if (w->ss < 0) {
		fprintf(f, "%s is not a controller of this kernel (%s).\n", asked,
			t->m.complete ? "the source lists every compiled-in controller" :
			"the source may not list every compiled-in controller");
	} else {
		path_of(w, w->target, &p);
		if (w->usable && w->available == T_YES)
			fprintf(f, "%s in %s: available (listed in cgroup.controllers).\n",
				t->m.ss[w->ss].name, p);
		else if (w->usable)
			fprintf(f, "%s in %s: in effect (implicit, never listed).\n",
				t->m.ss[w->ss].name, p);
		else
			fprintf(f, "%s in %s: not available.\n", t->m.ss[w->ss].name, p);
		free(p);
		for (int s = 0; s < w->nsteps; s++)
			fprintf(f, "%d. %s\n", s + 1, w->steps[s].text);
		if (w->fix.len)
			fprintf(f, "Fix: %s\n", w->fix.p);
		if (w->reason && !strcmp(w->reason, "not_enabled") &&
		    t->m.ss[w->ss].threaded != T_YES && strncmp(w->fix.p, "none", 4))
			fputs("(A non-root cgroup that has processes of its own cannot enable a domain"
			      " controller for its children: move them to a leaf cgroup first.)\n", f);
	}
	fputc('\n', f);
	out_init(&o, f, false);
	render_json_head(&t->m, &o);
}

int cmd_why_path(const struct cg_tree *t, const char *name, const char *path, FILE *f,
		 bool json)
{
	struct why *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		errx(2, "out of memory");
	w->t = t;
	w->blocked_at = -1;
	w->target = tree_find(t, path);
	if (w->target < 0) {
		warnx("no cgroup %s in %s", path, t->m.input);
		free(w);
		return 2;
	}
	w->ss = model_find(&t->m, name);
	if (w->ss < 0)	/* a v1 name (blkio) */
		w->ss = model_find(&t->m, v2_name_of(name));
	w->available = w->enabled = w->css = T_UNK;
	if (w->ss < 0) {
		w->reason = "not_compiled";
		w->available = w->enabled = w->css = T_NO;
		step(w, 0, "not_compiled", T_NO, "%s is not a controller of this kernel.", name);
	} else {
		const struct cg_node *nd = &t->nodes[w->target];

		w->available = has_tri(nd, CGM_CONTROLLERS, w->ss);
		w->enabled = has_tri(nd, CGM_SUBTREE, w->ss);
		w->css = has_tri(nd, CGM_CSS, w->ss);
		root_reasons(w, w->ss);
		if (!has(&t->nodes[0], CGM_CONTROLLERS, w->ss) &&
		    (w->root_reasons >> R_IMPLICIT & 1)) {
			why_implicit(w);
		} else {
			why_chain(w);
			why_target(w);
			w->usable = w->available == T_YES;
		}
	}
	if (json)
		why_json(w, name, path, f);
	else
		why_text(w, name, f);
	rc = w->usable ? 0 : 1;
	for (int s = 0; s < w->nsteps; s++)
		free(w->steps[s].text);
	free(w->steps);
	free(w->fix.p);
	free(w);
	return rc;
}

/* "cgmask [-J] [-s SOURCE] [-f FILE] tree [PATH]" and "... why CONTROLLER PATH". */
int tree_main(const char *source, const char *file, bool json, char **args, int nargs)
{
	static struct cg_tree t;
	char err[1024];
	int rc;

	if (tree_load_source(source, file, &t, err, sizeof(err)))
		errx(2, "%s", err);
	if (nargs == 2)
		rc = cmd_why_path(&t, args[0], args[1], stdout, json);
	else
		rc = cmd_tree(&t, nargs ? args[0] : NULL, stdout, json);
	tree_free(&t);
	return rc;
}
