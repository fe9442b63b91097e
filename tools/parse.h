/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dump parser's private parts: a line split into fields (field.c) and
 * the state of one parse (parse.c).
 */
#ifndef CGMASK_PARSE_H
#define CGMASK_PARSE_H

#include "cgmask.h"

#define MAX_FIELDS 64

struct field {
	const char *k, *v;
	size_t klen, vlen;
};

struct rec {
	const char *type;
	size_t tlen;
	int n;
	struct field f[MAX_FIELDS];
};

struct span {
	const char *p;
	size_t len;
};

struct parser {
	const char *fname;
	int line;
	char *err;
	size_t errlen;
	struct model *m;
	bool kernel_seen;
	int nmask;			/* known masks seen, in order */
	int mask_line[MASK_COUNT];
	struct span mask_names[MASK_COUNT];
	int ss_line[CG_MAX_SS];
	struct span deps[CG_MAX_SS];
};

/* field.c */
int fail_at(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define fail(p, ...) fail_at(p, (p)->line, __VA_ARGS__)
bool span_eq(const char *p, size_t len, const char *s);
int check_bytes(struct parser *p, const char *s, size_t len);
int tokenize(struct parser *p, const char *s, size_t len, struct rec *r);
const struct field *need(struct parser *p, const struct rec *r, const char *key);
int bad(struct parser *p, const struct field *f, const char *expected);
int get_uint(struct parser *p, const struct field *f, long max, long *out);
int get_tri(struct parser *p, const struct field *f, tri *out);
int get_str(struct parser *p, const struct field *f, char *buf, size_t n);
int get_name(struct parser *p, const struct field *f, char *buf);
int get_word(struct parser *p, const struct field *f, char *buf, size_t n);
int parse_kernel_rec(struct parser *p, const struct rec *r);
int get_mask(struct parser *p, const struct field *f, bool dash, uint64_t *out, bool *known);
int get_hname(struct parser *p, const struct field *f, struct cg_ss *s);
int check_list(struct parser *p, const struct field *f);
bool list_next(struct span *l, const char **e, size_t *elen);

#endif
