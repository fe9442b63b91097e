// SPDX-License-Identifier: GPL-2.0
/*
 * Parser for the module's per-cgroup dump, /sys/kernel/debug/cgmask_cgroups
 * (docs/format.md, "cgmask_cgroups format", version 1), on the lexical layer
 * of field.c. Strict about what the format promises (record order, values,
 * pre-order levels, paths that extend their parent's, the final count),
 * lenient about what it reserves: unknown keys and record types are skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tree.h"

const char *const cg_type_names[] = {
	[CGT_UNKNOWN] = "?", [CGT_DOMAIN] = "domain", [CGT_DOMAIN_THREADED] = "domain_threaded",
	[CGT_DOMAIN_INVALID] = "domain_invalid", [CGT_THREADED] = "threaded",
};

const char *const cgm_keys[CGM_COUNT] = {
	"controllers", "subtree_control", "subtree_ss_mask", "css",
};

void tree_init(struct cg_tree *t, enum source s)
{
	memset(t, 0, sizeof(*t));
	model_init(&t->m, s);
}

void tree_free(struct cg_tree *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->nodes[i].path);
	free(t->nodes);
	t->nodes = NULL;
	t->n = t->cap = 0;
}

/* A new node, every field unknown; NULL when out of memory. */
struct cg_node *tree_add(struct cg_tree *t)
{
	struct cg_node *nd;

	if (t->n == t->cap) {
		int cap = t->cap ? 2 * t->cap : 64;
		struct cg_node *nn = cap > 0 ? realloc(t->nodes, (size_t)cap * sizeof(*nn)) : NULL;

		if (!nn)
			return NULL;
		t->nodes = nn;
		t->cap = cap;
	}
	nd = &t->nodes[t->n++];
	memset(nd, 0, sizeof(*nd));
	nd->id = -1;
	nd->parent = -1;
	return nd;
}

struct tparser {
	struct parser p;
	struct cg_tree *t;
	int nss_seen;
	bool deps_done;
	int *stack;		/* stack[level] = node index of the last cgroup at that level */
	int stack_cap;
};

static int rec_ss(struct tparser *tp, const struct rec *r)
{
	static const struct { const char *key; size_t off; } flags[] = {
		{ "enabled", offsetof(struct cg_ss, enabled) },
		{ "threaded", offsetof(struct cg_ss, threaded) },
		{ "implicit_on_dfl", offsetof(struct cg_ss, implicit_on_dfl) },
	};
	struct parser *p = &tp->p;
	struct model *m = p->m;
	char name[CG_NAME_LEN];
	const struct field *f;
	struct cg_ss *s;
	long v;

	if (tp->t->n)
		return fail(p, "'ss' record after the 'cgroup' records");
	if (m->nss == m->subsys_count)
		return fail(p, "more 'ss' records than subsys_count=%d", m->subsys_count);
	if (!(f = need(p, r, "id")) || get_uint(p, f, CG_MAX_SS, &v))
		return -1;
	if (v != m->nss)
		return fail(p, "ss id=%ld out of order (expected id=%d)", v, m->nss);
	if (!(f = need(p, r, "name")) || get_name(p, f, name))
		return -1;
	if (!name[0])
		return bad(p, f, "a subsystem name");
	if (model_find(m, name) >= 0)
		return fail(p, "second 'ss' record for '%s'", name);
	s = model_add(m, name);
	s->id = (int)v;
	p->ss_line[s->id] = p->line;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!(f = need(p, r, flags[i].key)) ||
		    get_tri(p, f, (tri *)((char *)s + flags[i].off)))
			return -1;
	if (!(f = need(p, r, "depends_on")) || check_list(p, f))
		return -1;
	p->deps[s->id] = (struct span){ f->v, f->vlen };
	return 0;
}

/* After the last 'ss' record: resolve depends_on names. */
static int finish_ss(struct tparser *tp)
{
	struct parser *p = &tp->p;
	struct model *m = p->m;

	if (tp->deps_done)
		return 0;
	tp->deps_done = true;
	if (m->nss != m->subsys_count)
		return fail(p, "%d 'ss' records but subsys_count=%d", m->nss, m->subsys_count);
	for (int i = 0; i < m->nss; i++) {
		struct span l = p->deps[i];
		const char *e;
		size_t elen;

		while (list_next(&l, &e, &elen)) {
			int j;

			for (j = 0; j < m->nss; j++)
				if (span_eq(e, elen, m->ss[j].name))
					break;
			if (j == m->nss)
				return fail_at(p, p->ss_line[i],
					       "depends_on names unknown subsystem '%.*s'", (int)elen, e);
			m->ss[i].depends_on |= (uint64_t)1 << j;
		}
		m->ss[i].depends_known = true;
	}
	m->complete = true;
	return 0;
}

static int get_type(struct parser *p, const struct field *f, enum cg_type *out)
{
	for (int k = CGT_DOMAIN; k <= CGT_THREADED; k++)
		if (span_eq(f->v, f->vlen, cg_type_names[k])) {
			*out = (enum cg_type)k;
			return 0;
		}
	return bad(p, f, "domain, domain_threaded, domain_invalid or threaded");
}

/* The path: "/" or "/a/b", escaped; "?" when the module could not print it. */
static int get_path(struct parser *p, const struct field *f, char **out)
{
	char *buf;

	*out = NULL;
	if (span_eq(f->v, f->vlen, "?"))
		return 0;
	buf = malloc(f->vlen + 1);
	if (!buf)
		return fail(p, "out of memory");
	if (get_str(p, f, buf, f->vlen + 1)) {
		free(buf);
		return -1;
	}
	if (buf[0] != '/' || (buf[1] && buf[strlen(buf) - 1] == '/') || strstr(buf, "//")) {
		free(buf);
		return bad(p, f, "an absolute path without empty components");
	}
	*out = buf;
	return 0;
}

/* A node's path must be its parent's plus one component. */
static bool extends(const char *parent, const char *path)
{
	size_t n = strlen(parent);

	if (!strcmp(parent, "/"))
		n = 0;
	return !strncmp(path, parent, n) && path[n] == '/' && path[n + 1] &&
	       !strchr(path + n + 1, '/');
}

static int rec_cgroup(struct tparser *tp, const struct rec *r)
{
	struct parser *p = &tp->p;
	struct cg_tree *t = tp->t;
	struct cg_node *nd;
	const struct field *f;
	long v;
	bool known;

	if (finish_ss(tp))
		return -1;
	nd = tree_add(t);
	if (!nd)
		return fail(p, "out of memory");
	if (!(f = need(p, r, "id")) || get_uint(p, f, 100000000000000000L, &v))
		return -1;
	nd->id = v;
	if (!(f = need(p, r, "level")) || get_uint(p, f, 1L << 30, &v))
		return -1;
	nd->level = (int)v;
	if (!(f = need(p, r, "path")) || get_path(p, f, &nd->path) ||
	    !(f = need(p, r, "type")) || get_type(p, f, &nd->type))
		return -1;
	for (int k = 0; k < CGM_COUNT; k++) {
		if (!(f = need(p, r, cgm_keys[k])) || get_mask(p, f, false, &nd->mask[k], &known))
			return -1;
		nd->known |= 1u << k;
	}
	if (t->n == 1) {
		if (nd->level || !nd->path || strcmp(nd->path, "/"))
			return fail(p, "the first 'cgroup' record must be the root (level=0 path=/)");
	} else if (nd->level < 1 || nd->level > t->nodes[t->n - 2].level + 1) {
		return fail(p, "level=%d after level=%d is not pre-order", nd->level,
			    t->nodes[t->n - 2].level);
	}
	if (nd->level >= tp->stack_cap) {
		int cap = tp->stack_cap ? 2 * tp->stack_cap : 64;
		int *ns = realloc(tp->stack, (size_t)cap * sizeof(*ns));

		if (!ns)
			return fail(p, "out of memory");
		tp->stack = ns;
		tp->stack_cap = cap;
	}
	tp->stack[nd->level] = t->n - 1;
	if (nd->level) {
		const struct cg_node *pa = &t->nodes[tp->stack[nd->level - 1]];

		nd->parent = tp->stack[nd->level - 1];
		if (nd->path && pa->path && !extends(pa->path, nd->path))
			return fail(p, "path is not a child of the previous level-%d path",
				    nd->level - 1);
	}
	return 0;
}

int tree_parse(const char *buf, size_t len, const char *fname, struct cg_tree *t,
	       char *err, size_t errlen)
{
	static const char magic[] = "cgmask-cgroups-format ";
	struct tparser tp = { .p = { .fname = fname, .err = err, .errlen = errlen }, .t = t };
	struct parser *p = &tp.p;
	bool ended = false;
	size_t pos = 0;
	int ret = -1;
	struct rec r;

	tree_free(t);
	tree_init(t, SRC_MODULE);
	p->m = &t->m;
	while (pos < len) {
		const char *s = buf + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		p->line++;
		pos += n + 1;
		if (!nl) {
			fail(p, "line does not end in a newline (truncated dump?)");
			goto out;
		}
		if (ended) {
			fail(p, "data after the 'end' record");
			goto out;
		}
		if (p->line == 1) {
			const char *ver = s + sizeof(magic) - 1;
			size_t vlen = n - (sizeof(magic) - 1);

			if (check_bytes(p, s, n))
				goto out;
			if (n < sizeof(magic) || memcmp(s, magic, sizeof(magic) - 1) ||
			    strspn(ver, "0123456789") < vlen) {
				fail(p, "not a cgmask_cgroups dump (the first line must be"
				     " 'cgmask-cgroups-format 1')");
				goto out;
			}
			if (!span_eq(ver, vlen, "1")) {
				fail(p, "unsupported cgmask_cgroups format version %.*s (this cgmask"
				     " reads version %d)", (int)(vlen > 20 ? 20 : vlen), ver,
				     TREE_FORMAT_VERSION);
				goto out;
			}
			continue;
		}
		if (tokenize(p, s, n, &r))
			goto out;
		if (span_eq(r.type, r.tlen, "kernel")) {
			if (parse_kernel_rec(&tp.p, &r))
				goto out;
		} else if (!p->kernel_seen) {
			fail(p, "'%.*s' record before the 'kernel' record", (int)r.tlen, r.type);
			goto out;
		} else if (span_eq(r.type, r.tlen, "ss")) {
			if (rec_ss(&tp, &r))
				goto out;
		} else if (span_eq(r.type, r.tlen, "cgroup")) {
			if (rec_cgroup(&tp, &r))
				goto out;
		} else if (span_eq(r.type, r.tlen, "end")) {
			const struct field *f = need(p, &r, "cgroups");
			long v;

			if (!f || get_uint(p, f, 0x7fffffffL, &v) || finish_ss(&tp))
				goto out;
			if (!t->n) {
				fail(p, "no 'cgroup' record (there is always the root)");
				goto out;
			}
			if (v != t->n) {
				fail(p, "end cgroups=%ld but there are %d 'cgroup' records", v, t->n);
				goto out;
			}
			ended = true;
		}
		/* any other record type: from a newer module, skip it */
	}
	if (!p->line) {
		p->line = 1;
		fail(p, "empty file (expected 'cgmask-cgroups-format 1')");
		goto out;
	}
	if (!ended) {
		p->line++;
		fail(p, "truncated dump: end of file before the 'end' record");
		goto out;
	}
	ret = 0;
out:
	free(tp.stack);
	if (ret)
		tree_free(t);
	return ret;
}
