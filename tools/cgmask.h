/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgmask reader: shared declarations.
 *
 * Data flows one way: a source (module dump, ftrace, userspace inference)
 * fills one struct model; the renderers (table, JSON, Prometheus, check,
 * why, diff) read the model only. Every field can be "unknown", and a
 * source that cannot know a field leaves it unknown rather than guessing.
 */
#ifndef CGMASK_H
#define CGMASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef CGMASK_VERSION
#define CGMASK_VERSION "0.0.0"
#endif

#define JSON_FORMAT_VERSION 1	/* docs/json.md */
#define DUMP_FORMAT_VERSION 1	/* docs/format.md */

#define CG_MAX_SS 64		/* model limit; kernels have at most 32 */
#define CG_NAME_LEN 32
#define CG_HNAME_LEN 64		/* MAX_CGROUP_ROOT_NAMELEN */

/* A boolean the source may not know. */
typedef signed char tri;
#define T_NO 0
#define T_YES 1
#define T_UNK (-1)

enum source { SRC_MODULE, SRC_FTRACE, SRC_USERSPACE };

/* The six masks, in dump order. */
enum {
	MASK_IMPLICIT, MASK_INHIBIT, MASK_THREADED,
	MASK_SUBSYS, MASK_SUBTREE, MASK_ROOT, MASK_COUNT
};

/* Why a controller is not in the root cgroup.controllers, in dump order. */
enum { R_DISABLED, R_V1, R_IMPLICIT, R_INHIBITED, R_COUNT };

struct cg_mask {
	bool value_known, derived_known;
	uint64_t value, derived;	/* kernel bits: bit N = subsystem id N */
	tri agree;			/* value (as read) == derived */
	char via[16];			/* how value was read, "" = not read */
	bool names_known;
	uint64_t members;		/* bit i = model.ss[i] */
};

struct cg_ss {
	int id;				/* -1: unknown */
	char name[CG_NAME_LEN];
	char legacy_name[CG_NAME_LEN];	/* "": unknown */
	tri enabled, on_dfl;
	int hierarchy_id;		/* 0 = default hierarchy, -1: unknown */
	bool hname_known;
	char hierarchy_name[CG_HNAME_LEN];	/* "" = none */
	tri implicit_on_dfl, threaded, dfl_cftypes, legacy_cftypes, early_init;
	bool depends_known;
	uint64_t depends_on;		/* bit i = model.ss[i] */
	tri visible;
	/* reasons certainly applying / possibly applying (bit R_*) */
	unsigned reasons, reasons_possible;
};

struct model {
	enum source source;
	char input[256];		/* file read, or what was inspected */
	char release[80];		/* "" unknown */
	char module[32];		/* cgmask.ko version, "" unknown */
	char lock[16];			/* "" unknown */
	int subsys_count;		/* -1 unknown */
	int mask_width;			/* -1 unknown */
	bool complete;			/* ss[] is every compiled-in subsystem */
	int nss;
	struct cg_ss ss[CG_MAX_SS];
	struct cg_mask mask[MASK_COUNT];
};

/* model.c: names, lookups and the kernel's rule, written once */
extern const char *const mask_names[MASK_COUNT];
extern const char *const reason_names[R_COUNT];
const char *source_name(enum source s);
void model_init(struct model *m, enum source s);
struct cg_ss *model_add(struct model *m, const char *name);
int model_find(const struct model *m, const char *name);	/* name or legacy */
const char *legacy_of(const char *name);
const char *v2_name_of(const char *legacy);
bool ids_known(const struct model *m, uint64_t members);
uint64_t members_to_bits(const struct model *m, uint64_t members);
void rule_reasons(struct cg_ss *s);
void model_derive(struct model *m);
int release_cmp(const char *release, int major, int minor);	/* -2: unparsable */
int width_for_release(const char *release);

/* parse.c: the module's dump (docs/format.md) */
int parse_dump(const char *buf, size_t len, const char *fname,
	       struct model *m, char *err, size_t errlen);

/* source.c and friends: fill a model from the running system */
int seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int join(char *buf, size_t n, const char *dir, const char *rel);
const char *env_path(const char *var, const char *def);
int read_all(const char *path, char **buf, size_t *len, size_t max);
enum { LOAD_UNREADABLE = -1, LOAD_BAD = -2 };
int load_dump(const char *path, struct model *m, char *err, size_t errlen);
int kernel_release(char *buf, size_t n);
int cgroup2_root(char *root, size_t n, char *err, size_t errlen);
int source_userspace(struct model *m, char *err, size_t errlen);
bool ftrace_usable(void);
int source_ftrace(struct model *m, char *err, size_t errlen);
int ftrace_parse_line(const char *line, uint64_t v[3]);
int load_source(const char *want, const char *file, struct model *m,
		char *err, size_t errlen);

/* out.c: one print helper for text and JSON */
enum { PRINT_TEXT = 1, PRINT_JSON = 2, PRINT_ANY = 3 };

enum val_type { V_NULL, V_BOOL, V_NUM, V_BITS, V_STR, V_HEX, V_SSLIST, V_REASONS, V_BOUND };

struct val {
	enum val_type t;
	long long n;			/* V_NUM, V_BOOL */
	const char *s;			/* V_STR */
	uint64_t bits;			/* V_BITS, V_HEX, V_SSLIST, V_REASONS (certain) */
	uint64_t maybe;			/* V_REASONS: possible */
	int width;			/* V_HEX: mask width in bits, <= 0 unknown */
	const struct model *m;		/* V_SSLIST */
	const struct cg_ss *ss;		/* V_BOUND */
};

struct val v_null(void);
struct val v_tri(tri b);
struct val v_num(long long n, bool known);
struct val v_str(const char *s, bool known);
struct val v_bits(uint64_t bits, bool known);
struct val v_hex(uint64_t bits, int width, bool known);
struct val v_sslist(const struct model *m, uint64_t members, bool known);
struct val v_reasons(unsigned certain, unsigned possible);
struct val v_bound(const struct cg_ss *s);

struct out {
	FILE *f;
	bool json;
	int depth;
	bool first[16], inl[16];
	bool after_key;
};

void bcat(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void out_init(struct out *o, FILE *f, bool json);
void val_text(const struct val *v, char *buf, size_t n);
void text_escape(const char *s, char *buf, size_t n);
void json_string(FILE *f, const char *s);
void jw_open(struct out *o, const char *key, char c, bool inl);
void jw_close(struct out *o, char c);
void jw_key(struct out *o, const char *key);
void jw_val(struct out *o, const struct val *v);
void print_val(struct out *o, int mode, const char *key, const char *fmt,
	       struct val v);

/* render.c: columns, table, JSON, Prometheus */
struct column {
	const char *name;	/* header, and -o name (case-insensitive) */
	const char *key;	/* JSON key, NULL: text only */
	const char *type;	/* JSON type, for --help and docs */
	const char *help;
	bool dflt;		/* in the default table */
	bool right;		/* right-aligned */
};
extern const struct column columns[];
extern const int ncolumns;
struct val col_value(const struct model *m, int ssi, int col);
int parse_columns(const char *list, int *cols, int max);
void render_table(const struct model *m, FILE *f, const int *cols, int ncols,
		  bool noheadings, bool raw, bool masks);
void render_json(const struct model *m, FILE *f, const int *cols, int ncols);
void render_json_head(const struct model *m, struct out *o);
void render_prom(const struct model *m, FILE *f);

/* explain.c: check and why */
int cmd_check(const struct model *m, char *const *names, int n, FILE *f,
	      bool json);
int cmd_why(const struct model *m, const char *name, FILE *f);

/* diff.c */
int cmd_diff(const struct model *a, const struct model *b, FILE *f);

#endif
