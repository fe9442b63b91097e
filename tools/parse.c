// SPDX-License-Identifier: GPL-2.0
/*
 * Parser for the module's dump, docs/format.md version 1.
 *
 * Strict about what the format promises (grammar, record order, value
 * syntax, the counts and cross-references it states), lenient about what
 * it reserves for the future: unknown keys, record types and mask names are
 * skipped. Every error names the file and line and stops the parse.
 */
#include <string.h>

#include "parse.h"

/* The 'kernel' record, the same in both formats (parse.h). */
int parse_kernel_rec(struct parser *p, const struct rec *r)
{
	struct model *m = p->m;
	const struct field *f;
	long v;

	if (p->kernel_seen)
		return fail(p, "second 'kernel' record");
	p->kernel_seen = true;
	if (!(f = need(p, r, "release")) || get_str(p, f, m->release, sizeof(m->release)) ||
	    !(f = need(p, r, "module")) || get_str(p, f, m->module, sizeof(m->module)) ||
	    !(f = need(p, r, "lock")) || get_word(p, f, m->lock, sizeof(m->lock)) ||
	    !(f = need(p, r, "subsys_count")) || get_uint(p, f, CG_MAX_SS, &v))
		return -1;
	m->subsys_count = (int)v;
	if (!(f = need(p, r, "mask_width")) || get_uint(p, f, 64, &v))
		return -1;
	if (v < 4 || v % 4)
		return bad(p, f, "a multiple of 4");
	m->mask_width = (int)v;
	if (m->subsys_count > m->mask_width)
		return fail(p, "subsys_count=%d does not fit mask_width=%d",
			    m->subsys_count, m->mask_width);
	return 0;
}

static int rec_mask(struct parser *p, const struct rec *r)
{
	const struct field *f;
	struct cg_mask *mk;
	uint64_t read;
	bool read_known;
	int k;

	if (!p->kernel_seen)
		return fail(p, "'mask' record before the 'kernel' record");
	if (p->m->nss)
		return fail(p, "'mask' record after the 'ss' records");
	if (!(f = need(p, r, "name")))
		return -1;
	for (k = 0; k < MASK_COUNT; k++)
		if (span_eq(f->v, f->vlen, mask_names[k]))
			break;
	if (k == MASK_COUNT)
		return 0;	/* a mask this reader does not know */
	if (k != p->nmask)
		return fail(p, "mask '%s' out of order (expected '%s')", mask_names[k],
			    p->nmask < MASK_COUNT ? mask_names[p->nmask] : "ss");
	mk = &p->m->mask[k];
	p->mask_line[p->nmask++] = p->line;
	if (!(f = need(p, r, "value")) || get_mask(p, f, false, &mk->value, &mk->value_known) ||
	    !(f = need(p, r, "read")) || get_mask(p, f, true, &read, &read_known) ||
	    !(f = need(p, r, "derived")) ||
	    get_mask(p, f, true, &mk->derived, &mk->derived_known) ||
	    !(f = need(p, r, "agree")))
		return -1;
	if (span_eq(f->v, f->vlen, "-"))
		mk->agree = T_UNK;
	else if (get_tri(p, f, &mk->agree) || mk->agree == T_UNK)
		return bad(p, f, "0, 1 or -");
	if (read_known && mk->derived_known ?
	    mk->agree != (read == mk->derived) : mk->agree != T_UNK)
		return fail(p, "agree=%.*s does not match read and derived", (int)f->vlen, f->v);
	if (read_known ? mk->value != read : !mk->derived_known || mk->value != mk->derived)
		return fail(p, "value is not the read value (or, unread, the derived one)");
	if (!(f = need(p, r, "via")))
		return -1;
	if (span_eq(f->v, f->vlen, "-") == read_known)
		return fail(p, "via=%.*s but read=%s", (int)f->vlen, f->v, read_known ? "0x..." : "-");
	if (!span_eq(f->v, f->vlen, "-") && get_word(p, f, mk->via, sizeof(mk->via)))
		return -1;
	if (!(f = need(p, r, "names")) || check_list(p, f))
		return -1;
	p->mask_names[k] = (struct span){ f->v, f->vlen };
	return 0;
}

static int get_reasons(struct parser *p, const struct field *f, struct cg_ss *s)
{
	struct span l = { f->v, f->vlen };
	const char *e;
	size_t elen;

	if (check_list(p, f))
		return -1;
	s->reasons = 0;
	while (list_next(&l, &e, &elen)) {
		int i;

		for (i = 0; i < R_COUNT; i++)
			if (span_eq(e, elen, reason_names[i]))
				break;
		if (i == R_COUNT)
			return bad(p, f, "- or a list of disabled, v1, implicit, inhibited");
		s->reasons |= 1u << i;
	}
	s->reasons_possible = s->reasons;
	return 0;
}

static int rec_ss(struct parser *p, const struct rec *r)
{
	static const struct { const char *key; size_t off; } flags[] = {
		{ "enabled", offsetof(struct cg_ss, enabled) },
		{ "on_dfl", offsetof(struct cg_ss, on_dfl) },
		{ "implicit_on_dfl", offsetof(struct cg_ss, implicit_on_dfl) },
		{ "threaded", offsetof(struct cg_ss, threaded) },
		{ "dfl_cftypes", offsetof(struct cg_ss, dfl_cftypes) },
		{ "legacy_cftypes", offsetof(struct cg_ss, legacy_cftypes) },
		{ "early_init", offsetof(struct cg_ss, early_init) },
		{ "visible", offsetof(struct cg_ss, visible) },
	};
	struct model *m = p->m;
	char name[CG_NAME_LEN];
	const struct field *f;
	struct cg_ss *s;
	long v;

	if (p->nmask != MASK_COUNT)
		return fail(p, "'ss' record before all six 'mask' records");
	if (m->nss == m->subsys_count)
		return fail(p, "more 'ss' records than subsys_count=%d", m->subsys_count);
	if (!(f = need(p, r, "id")) || get_uint(p, f, CG_MAX_SS, &v))
		return -1;
	if (v != m->nss)
		return fail(p, "ss id=%ld out of order (expected id=%d)", v, m->nss);
	if (!(f = need(p, r, "name")) || get_name(p, f, name))
		return -1;
	if (model_find(m, name) >= 0)
		return fail(p, "second 'ss' record for '%s'", name);
	s = model_add(m, name);
	s->id = (int)v;
	p->ss_line[s->id] = p->line;
	if (!(f = need(p, r, "legacy_name")) || get_name(p, f, s->legacy_name))
		return -1;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!(f = need(p, r, flags[i].key)) || get_tri(p, f, (tri *)((char *)s + flags[i].off)))
			return -1;
	if (!(f = need(p, r, "hierarchy_id")))
		return -1;
	if (span_eq(f->v, f->vlen, "?"))
		s->hierarchy_id = -1;
	else if (get_uint(p, f, 1L << 30, &v))
		return -1;
	else
		s->hierarchy_id = (int)v;
	if (!(f = need(p, r, "hierarchy_name")) || get_hname(p, f, s) ||
	    !(f = need(p, r, "depends_on")) || check_list(p, f))
		return -1;
	p->deps[s->id] = (struct span){ f->v, f->vlen };
	if (!(f = need(p, r, "reasons")) || get_reasons(p, f, s))
		return -1;
	if (s->visible == T_YES && s->reasons)
		return fail(p, "'%s' is visible=1 but has reasons", name);
	if (s->visible == T_NO && !s->reasons)
		return fail(p, "'%s' is visible=0 but has no reasons", name);
	return 0;
}

/* An ss record against the reported masks: visible and reasons (format.md). */
static int check_ss_masks(struct parser *p, int i)
{
	const struct model *m = p->m;
	const struct cg_ss *s = &m->ss[i];
	unsigned want = 0, known = ~0u;

	if (s->visible != T_UNK && s->visible != (tri)(m->mask[MASK_ROOT].value >> i & 1))
		return fail_at(p, p->ss_line[i], "visible=%d disagrees with root_controllers",
			       s->visible);
	if (s->enabled == T_NO)
		want |= 1u << R_DISABLED;
	else if (s->enabled == T_UNK)
		known &= ~(1u << R_DISABLED | 1u << R_V1);
	else if (!(m->mask[MASK_SUBSYS].value >> i & 1))
		want |= 1u << R_V1;
	if (m->mask[MASK_IMPLICIT].value >> i & 1)
		want |= 1u << R_IMPLICIT;
	if (m->mask[MASK_INHIBIT].value >> i & 1)
		want |= 1u << R_INHIBITED;
	if ((s->reasons & known) != want)
		return fail_at(p, p->ss_line[i], "reasons of '%s' disagree with enabled and the masks",
			       s->name);
	return 0;
}

/* Cross-references that need every record: names in masks and depends_on. */
static int finish(struct parser *p)
{
	struct model *m = p->m;

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
				return fail_at(p, p->ss_line[i], "depends_on names unknown subsystem '%.*s'",
					       (int)elen, e);
			m->ss[i].depends_on |= (uint64_t)1 << j;
		}
		m->ss[i].depends_known = true;
	}
	for (int k = 0; k < MASK_COUNT; k++) {
		struct cg_mask *mk = &m->mask[k];
		struct span l = p->mask_names[k];
		const char *e;
		size_t elen;
		uint64_t named = 0;

		while (list_next(&l, &e, &elen)) {
			int j;

			for (j = 0; j < m->nss; j++)
				if (span_eq(e, elen, m->ss[j].name))
					break;
			if (j == m->nss || (named >> j))
				return fail_at(p, p->mask_line[k],
					       "names: '%.*s' is unknown or out of id order",
					       (int)elen, e);
			named |= (uint64_t)1 << j;
		}
		if (named != mk->value)
			return fail_at(p, p->mask_line[k], "names do not match value of mask '%s'",
				       mask_names[k]);
		mk->members = mk->value;
		mk->names_known = true;
	}
	if (m->mask[MASK_ROOT].value != (m->mask[MASK_SUBSYS].value &
	    ~(m->mask[MASK_INHIBIT].value | m->mask[MASK_IMPLICIT].value)))
		return fail_at(p, p->mask_line[MASK_ROOT],
			       "root_controllers is not subsys_mask & ~(inhibit | implicit)");
	for (int i = 0; i < m->nss; i++)
		if (check_ss_masks(p, i))
			return -1;
	m->complete = true;
	return 0;
}

int parse_dump(const char *buf, size_t len, const char *fname,
	       struct model *m, char *err, size_t errlen)
{
	struct parser p = { .fname = fname, .err = err, .errlen = errlen, .m = m };
	static const char magic[] = "cgmask-format ";
	bool ended = false;
	size_t pos = 0;
	struct rec r;

	model_init(m, SRC_MODULE);
	while (pos < len) {
		const char *s = buf + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		p.line++;
		pos += n + 1;
		if (!nl)
			return fail(&p, "line does not end in a newline (truncated dump?)");
		if (ended)
			return fail(&p, "data after the 'end' record");
		if (p.line == 1) {
			const char *ver = s + sizeof(magic) - 1;
			size_t vlen = n - (sizeof(magic) - 1);

			if (check_bytes(&p, s, n))
				return -1;
			if (n < sizeof(magic) || memcmp(s, magic, sizeof(magic) - 1) ||
			    strspn(ver, "0123456789") < vlen)
				return fail(&p, "not a cgmask dump (the first line must be 'cgmask-format 1')");
			if (!span_eq(ver, vlen, "1"))
				return fail(&p, "unsupported format version %.*s (this cgmask reads version %d)",
					    (int)(vlen > 20 ? 20 : vlen), ver, DUMP_FORMAT_VERSION);
			continue;
		}
		if (tokenize(&p, s, n, &r))
			return -1;
		if (span_eq(r.type, r.tlen, "kernel")) {
			if (parse_kernel_rec(&p, &r))
				return -1;
		} else if (!p.kernel_seen) {
			return fail(&p, "'%.*s' record before the 'kernel' record", (int)r.tlen, r.type);
		} else if (span_eq(r.type, r.tlen, "mask")) {
			if (rec_mask(&p, &r))
				return -1;
		} else if (span_eq(r.type, r.tlen, "ss")) {
			if (rec_ss(&p, &r))
				return -1;
		} else if (span_eq(r.type, r.tlen, "end")) {
			const struct field *f = need(&p, &r, "subsystems");
			long v;

			if (!f || get_uint(&p, f, CG_MAX_SS, &v))
				return -1;
			if (p.nmask != MASK_COUNT)
				return fail(&p, "'end' record before all six 'mask' records");
			if (v != m->nss)
				return fail(&p, "end subsystems=%ld but there are %d 'ss' records", v, m->nss);
			if (finish(&p))
				return -1;
			ended = true;
		}
		/* any other record type: from a newer module, skip it */
	}
	if (!p.line) {
		p.line = 1;
		return fail(&p, "empty file (expected 'cgmask-format 1')");
	}
	if (!ended) {
		p.line++;
		return fail(&p, "truncated dump: end of file before the 'end' record");
	}
	return 0;
}
