// SPDX-License-Identifier: GPL-2.0
/*
 * The dump's lexical layer (docs/format.md, Grammar and value
 * conventions): one line into a record type and KEY=VALUE fields, and each
 * value checked and converted. Errors name the file and line.
 */
#include <stdarg.h>
#include <string.h>

#include "parse.h"

int fail_at(struct parser *p, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))	/* a cut message is still an error */
		strcpy(msg + sizeof(msg) - 4, "...");
	n = snprintf(p->err, p->errlen, "%s:%d: %s", p->fname, line, msg);
	if ((n < 0 || (size_t)n >= p->errlen) && p->errlen > 4)
		strcpy(p->err + p->errlen - 4, "...");
	return -1;
}

bool span_eq(const char *p, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(p, s, len);
}

static bool in_set(char c, const char *extra)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (extra && *extra && strchr(extra, c));
}

/* The file is printable ASCII (docs/format.md Grammar). */
int check_bytes(struct parser *p, const char *s, size_t len)
{
	for (size_t j = 0; j < len; j++)
		if ((unsigned char)s[j] < 0x20 || (unsigned char)s[j] > 0x7e)
			return fail(p, "byte 0x%02x not allowed (garbled dump?)",
				    (unsigned char)s[j]);
	return 0;
}

/* Split one line into a type and KEY=VALUE fields (docs/format.md Grammar). */
int tokenize(struct parser *p, const char *s, size_t len, struct rec *r)
{
	size_t i = 0, start;

	r->n = 0;
	if (!len)
		return fail(p, "empty line");
	if (check_bytes(p, s, len))
		return -1;
	while (i < len) {
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		if (i == start)
			return fail(p, "fields must be separated by exactly one space");
		if (start == 0) {
			r->type = s;
			r->tlen = i;
			if (!(s[0] >= 'a' && s[0] <= 'z'))
				return fail(p, "bad record type '%.*s'", (int)(i > 40 ? 40 : i), s);
			for (size_t j = 0; j < i; j++)
				if (!in_set(s[j], "_-"))
					return fail(p, "bad record type '%.*s'",
						    (int)(i > 40 ? 40 : i), s);
		} else {
			const char *eq = memchr(s + start, '=', i - start);
			struct field *f;

			if (!eq || eq == s + start)
				return fail(p, "'%.*s' is not KEY=VALUE",
					    (int)(i - start > 40 ? 40 : i - start), s + start);
			if (r->n == MAX_FIELDS)
				return fail(p, "more than %d fields", MAX_FIELDS);
			f = &r->f[r->n++];
			f->k = s + start;
			f->klen = (size_t)(eq - f->k);
			f->v = eq + 1;
			f->vlen = (size_t)(s + i - f->v);
			for (size_t j = 0; j < f->klen; j++)
				if (!in_set(f->k[j], "_"))
					return fail(p, "bad key '%.*s'",
						    (int)(f->klen > 40 ? 40 : f->klen), f->k);
			if (!f->vlen)
				return fail(p, "key '%.*s' has an empty value", (int)f->klen, f->k);
			if (memchr(f->v, '=', f->vlen))
				return fail(p, "value of '%.*s' contains '='", (int)f->klen, f->k);
			for (int j = 0; j < r->n - 1; j++)
				if (r->f[j].klen == f->klen && !memcmp(r->f[j].k, f->k, f->klen))
					return fail(p, "duplicate key '%.*s'", (int)f->klen, f->k);
		}
		if (i < len)
			i++;	/* the separating space */
		if (i == len && s[len - 1] == ' ')
			return fail(p, "trailing space");
	}
	return 0;
}

/* The value of a required key; fails when it is missing. */
const struct field *need(struct parser *p, const struct rec *r, const char *key)
{
	for (int i = 0; i < r->n; i++)
		if (span_eq(r->f[i].k, r->f[i].klen, key))
			return &r->f[i];
	fail(p, "'%.*s' record has no '%s' key", (int)r->tlen, r->type, key);
	return NULL;
}

int bad(struct parser *p, const struct field *f, const char *expected)
{
	return fail(p, "bad value for '%.*s': '%.*s' (expected %s)", (int)f->klen, f->k,
		    (int)(f->vlen > 40 ? 40 : f->vlen), f->v, expected);
}

int get_uint(struct parser *p, const struct field *f, long max, long *out)
{
	long long v = 0;

	for (size_t i = 0; i < f->vlen; i++) {
		if (f->v[i] < '0' || f->v[i] > '9' || v > max)
			return bad(p, f, "a decimal number");
		v = v * 10 + (f->v[i] - '0');
	}
	if (v > max)
		return bad(p, f, "a smaller number");
	*out = (long)v;
	return 0;
}

int get_tri(struct parser *p, const struct field *f, tri *out)
{
	if (f->vlen == 1 && (f->v[0] == '0' || f->v[0] == '1' || f->v[0] == '?')) {
		*out = f->v[0] == '?' ? T_UNK : f->v[0] - '0';
		return 0;
	}
	return bad(p, f, "0, 1 or ?");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A string from the kernel, unescaped into buf. docs/format.md writes every
 * byte outside [A-Za-z0-9._-] as \xHH; other printable bytes (the tokenizer
 * has already refused spaces, '=' and control bytes) are taken as they are,
 * so a module that escapes less is still read correctly.
 */
int get_str(struct parser *p, const struct field *f, char *buf, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < f->vlen; i++) {
		char c = f->v[i];

		if (c == '\\') {
			int hi, lo;

			if (i + 3 >= f->vlen || f->v[i + 1] != 'x' || (hi = hexval(f->v[i + 2])) < 0 ||
			    (lo = hexval(f->v[i + 3])) < 0 || !(hi | lo))
				return bad(p, f, "\\xHH escapes of non-NUL bytes");
			c = (char)(hi << 4 | lo);
			i += 3;
		}
		if (o + 1 >= n)
			return bad(p, f, "a shorter string");
		buf[o++] = c;
	}
	buf[o] = 0;
	return 0;
}

/* A subsystem name: what the name lists can hold, [A-Za-z0-9_-]+. */
int get_name(struct parser *p, const struct field *f, char *buf)
{
	if (get_str(p, f, buf, CG_NAME_LEN))
		return -1;
	for (const char *c = buf; *c; c++)
		if (!in_set(*c, "_-") && !(*c >= 'A' && *c <= 'Z'))
			return bad(p, f, "a subsystem name");
	return 0;
}

/* A keyword value (lock, via): [a-z0-9_]+. */
int get_word(struct parser *p, const struct field *f, char *buf, size_t n)
{
	for (size_t i = 0; i < f->vlen; i++)
		if (!in_set(f->v[i], "_"))
			return bad(p, f, "a lower-case word");
	return get_str(p, f, buf, n);
}

/* "0x" and exactly mask_width/4 lower-case hex digits; "-" when dash is allowed. */
int get_mask(struct parser *p, const struct field *f, bool dash,
		    uint64_t *out, bool *known)
{
	size_t digits = (size_t)p->m->mask_width / 4;
	uint64_t v = 0;

	*known = false;
	if (dash && span_eq(f->v, f->vlen, "-"))
		return 0;
	if (f->vlen != digits + 2 || f->v[0] != '0' || f->v[1] != 'x')
		return bad(p, f, dash ? "a 0x mask of mask_width/4 digits, or -" :
			   "a 0x mask of mask_width/4 digits");
	for (size_t i = 2; i < f->vlen; i++) {
		char c = f->v[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		else
			return bad(p, f, "lower-case hex digits");
	}
	if (p->m->subsys_count < 64 && v >> p->m->subsys_count)
		return fail(p, "'%.*s' has bits beyond subsys_count=%d", (int)f->klen, f->k,
			    p->m->subsys_count);
	*out = v;
	*known = true;
	return 0;
}

/* hierarchy_name: "-" none, "?" unknown, else an escaped string. */
int get_hname(struct parser *p, const struct field *f, struct cg_ss *s)
{
	s->hname_known = !span_eq(f->v, f->vlen, "?");
	s->hierarchy_name[0] = 0;
	if (!s->hname_known || span_eq(f->v, f->vlen, "-"))
		return 0;
	return get_str(p, f, s->hierarchy_name, sizeof(s->hierarchy_name));
}

/* A list of names: "-" or comma-separated [A-Za-z0-9_-]+. */
int check_list(struct parser *p, const struct field *f)
{
	if (span_eq(f->v, f->vlen, "-"))
		return 0;
	for (size_t i = 0; i < f->vlen; i++) {
		char c = f->v[i];

		if (c == ',' ? (i == 0 || i + 1 == f->vlen || f->v[i - 1] == ',') :
		    (!in_set(c, "_-") && !(c >= 'A' && c <= 'Z')))
			return bad(p, f, "- or a comma-separated list of names");
	}
	return 0;
}

/* Next element of a checked list; false at the end. */
bool list_next(struct span *l, const char **e, size_t *elen)
{
	const char *comma;

	if (!l->len || span_eq(l->p, l->len, "-"))
		return false;
	comma = memchr(l->p, ',', l->len);
	*e = l->p;
	*elen = comma ? (size_t)(comma - l->p) : l->len;
	l->len -= *elen + (comma ? 1 : 0);
	l->p += *elen + (comma ? 1 : 0);
	return true;
}
