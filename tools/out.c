// SPDX-License-Identifier: GPL-2.0
/*
 * Output: typed values, their text and JSON forms, a small streaming JSON
 * writer, and print_val(), the one helper that prints a value as text or as
 * a JSON member (iproute2's print_*() style), so the two cannot drift.
 */
#include <err.h>
#include <stdarg.h>
#include <string.h>

#include "cgmask.h"

/* Append to buf; output that does not fit is a bug, never silently cut. */
void bcat(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= n - len)
		errx(2, "internal error: text too long for its buffer");
}

struct val v_null(void)
{
	return (struct val){ .t = V_NULL };
}

struct val v_tri(tri b)
{
	return b == T_UNK ? v_null() : (struct val){ .t = V_BOOL, .n = b };
}

struct val v_num(long long n, bool known)
{
	return known ? (struct val){ .t = V_NUM, .n = n } : v_null();
}

struct val v_str(const char *s, bool known)
{
	return known ? (struct val){ .t = V_STR, .s = s } : v_null();
}

struct val v_bits(uint64_t bits, bool known)
{
	return known ? (struct val){ .t = V_BITS, .bits = bits } : v_null();
}

struct val v_hex(uint64_t bits, int width, bool known)
{
	return known ? (struct val){ .t = V_HEX, .bits = bits, .width = width } : v_null();
}

struct val v_sslist(const struct model *m, uint64_t members, bool known)
{
	return known ? (struct val){ .t = V_SSLIST, .bits = members, .m = m } : v_null();
}

struct val v_reasons(unsigned certain, unsigned possible)
{
	return (struct val){ .t = V_REASONS, .bits = certain, .maybe = possible };
}

struct val v_bound(const struct cg_ss *s)
{
	return (struct val){ .t = V_BOUND, .ss = s };
}

/* Text form of a string: printable ASCII except space and \ as is, else \xHH. */
void text_escape(const char *s, char *buf, size_t n)
{
	buf[0] = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7f && c != '\\')
			bcat(buf, n, "%c", c);
		else
			bcat(buf, n, "\\x%02x", c);
	}
}

static void list_text(const struct val *v, char *buf, size_t n)
{
	char esc[4 * CG_NAME_LEN];
	bool any = false;

	for (int i = 0; i < 64; i++) {
		uint64_t bit = (uint64_t)1 << i;
		const char *name;

		if (!((v->bits | v->maybe) & bit))
			continue;
		if (v->t == V_SSLIST) {
			if (i >= v->m->nss)
				break;
			name = v->m->ss[i].name;
		} else {
			if (i >= R_COUNT)
				break;
			name = reason_names[i];
		}
		text_escape(name, esc, sizeof(esc));
		bcat(buf, n, "%s%s%s", any ? "," : "", esc, v->bits & bit ? "" : "?");
		any = true;
	}
	if (!any)
		bcat(buf, n, "-");
}

/* BOUND: "dfl", or "v1:<id>[:<name>]"; "?" for what the source cannot know. */
static void bound_text(const struct cg_ss *s, char *buf, size_t n)
{
	char esc[4 * CG_HNAME_LEN];

	if (s->on_dfl == T_UNK) {
		bcat(buf, n, "?");
		return;
	}
	if (s->on_dfl == T_YES) {
		bcat(buf, n, "dfl");
		return;
	}
	if (s->hierarchy_id >= 0)
		bcat(buf, n, "v1:%d", s->hierarchy_id);
	else
		bcat(buf, n, "v1:?");
	text_escape(s->hierarchy_name, esc, sizeof(esc));
	if (!s->hname_known)
		bcat(buf, n, ":?");
	else if (s->hierarchy_name[0])
		bcat(buf, n, ":%s", esc);
}

void val_text(const struct val *v, char *buf, size_t n)
{
	buf[0] = 0;
	switch (v->t) {
	case V_NULL:
		bcat(buf, n, "?");
		break;
	case V_BOOL:
		bcat(buf, n, v->n ? "yes" : "no");
		break;
	case V_NUM:
		bcat(buf, n, "%lld", v->n);
		break;
	case V_BITS:
		bcat(buf, n, "%llu", (unsigned long long)v->bits);
		break;
	case V_STR:
		if (v->s[0])
			text_escape(v->s, buf, n);
		else
			bcat(buf, n, "-");
		break;
	case V_HEX:
		if (v->width > 0)
			bcat(buf, n, "0x%0*llx", v->width / 4, (unsigned long long)v->bits);
		else
			bcat(buf, n, "0x%llx", (unsigned long long)v->bits);
		break;
	case V_SSLIST:
	case V_REASONS:
		list_text(v, buf, n);
		break;
	case V_BOUND:
		bound_text(v->ss, buf, n);
		break;
	}
}

/*
 * A JSON string. The output is ASCII: \ and " are escaped, control bytes
 * and bytes >= 0x7f become \u00XX (kernel strings are bytes; this reads
 * them as Latin-1, as the kernel's ctype does, and loses nothing).
 */
void json_string(FILE *f, const char *s)
{
	static const char *const esc[128] = {
		['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\t'] = "\\t", ['\r'] = "\\r",
	};

	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 128 && esc[c])
			fputs(esc[c], f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void out_init(struct out *o, FILE *f, bool json)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
}

/* Separator and indentation before the next element at this depth. */
static void jw_sep(struct out *o)
{
	int d = o->depth;

	if (o->after_key) {
		o->after_key = false;
		return;
	}
	if (!d)
		return;
	if (!o->first[d])
		fputs(o->inl[d] ? ", " : ",", o->f);
	if (!o->inl[d])
		fprintf(o->f, "\n%*s", 2 * d, "");
	o->first[d] = false;
}

void jw_key(struct out *o, const char *key)
{
	jw_sep(o);
	if (key) {
		json_string(o->f, key);
		fputs(": ", o->f);
		o->after_key = true;
	}
}

/* Open an object ('{') or array ('['); inl keeps an array on one line. */
void jw_open(struct out *o, const char *key, char c, bool inl)
{
	if (!o->json)
		return;
	if (o->depth + 1 >= (int)(sizeof(o->first) / sizeof(o->first[0])))
		errx(2, "internal error: JSON nested too deep");
	jw_key(o, key);
	o->after_key = false;
	fputc(c, o->f);
	o->depth++;
	o->first[o->depth] = true;
	o->inl[o->depth] = inl;
}

void jw_close(struct out *o, char c)
{
	int d = o->depth;

	if (!o->json)
		return;
	if (!o->inl[d] && !o->first[d])
		fprintf(o->f, "\n%*s", 2 * (d - 1), "");
	fputc(c, o->f);
	o->depth--;
	if (!o->depth)
		fputc('\n', o->f);
}

static void jw_list(struct out *o, const struct val *v)
{
	jw_open(o, NULL, '[', true);
	for (int i = 0; i < 64; i++) {
		if (!(v->bits >> i & 1))
			continue;
		jw_sep(o);
		json_string(o->f, v->t == V_SSLIST ? v->m->ss[i].name : reason_names[i]);
	}
	jw_close(o, ']');
}

/* The JSON form of a value, as the next element (after jw_key() in objects). */
void jw_val(struct out *o, const struct val *v)
{
	char buf[256];

	switch (v->t) {
	case V_NULL:
		jw_sep(o);
		fputs("null", o->f);
		break;
	case V_BOOL:
		jw_sep(o);
		fputs(v->n ? "true" : "false", o->f);
		break;
	case V_NUM:
		jw_sep(o);
		fprintf(o->f, "%lld", v->n);
		break;
	case V_BITS:
		jw_sep(o);
		fprintf(o->f, "%llu", (unsigned long long)v->bits);
		break;
	case V_STR:
		jw_sep(o);
		json_string(o->f, v->s);
		break;
	case V_REASONS:
		if (v->bits != v->maybe) {	/* not known exactly */
			jw_sep(o);
			fputs("null", o->f);
			break;
		}
		jw_list(o, v);
		break;
	case V_SSLIST:
		jw_list(o, v);
		break;
	case V_HEX:
	case V_BOUND:
		val_text(v, buf, sizeof(buf));
		jw_sep(o);
		json_string(o->f, buf);
		break;
	}
}

/*
 * Print v as a JSON member named key (JSON output, mode has PRINT_JSON), or
 * as text through fmt, which has one %s (text output, mode has PRINT_TEXT).
 */
void print_val(struct out *o, int mode, const char *key, const char *fmt, struct val v)
{
	char buf[4096];

	if (o->json) {
		if (mode & PRINT_JSON) {
			jw_key(o, key);
			jw_val(o, &v);
		}
	} else if (mode & PRINT_TEXT) {
		val_text(&v, buf, sizeof(buf));
		fprintf(o->f, fmt, buf);
	}
}
