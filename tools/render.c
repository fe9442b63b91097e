// SPDX-License-Identifier: GPL-2.0
/*
 * Renderers that read the model only: the subsystem table (text and JSON,
 * both driven by one column table, util-linux lsns style), the masks, the
 * source line, and the Prometheus textfile.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cgmask.h"

enum {
	C_ID, C_NAME, C_LEGACY, C_ENABLED, C_BOUND, C_ON_DFL, C_HID, C_HNAME,
	C_IMPLICIT, C_THREADED, C_DFL, C_LEGACY_CF, C_EARLY, C_DEPENDS,
	C_VISIBLE, C_WHY,
};

const struct column columns[] = {
	[C_ID] = { "ID", "id", "number", "subsystem id, the bit number in every mask", true, true },
	[C_NAME] = { "NAME", "name", "string", "subsystem name (v2 name)", true, false },
	[C_LEGACY] = { "LEGACY_NAME", "legacy_name", "string", "v1 and /proc/cgroups name", false, false },
	[C_ENABLED] = { "ENABLED", "enabled", "boolean", "not switched off with cgroup_disable=", true, false },
	[C_BOUND] = { "BOUND", NULL, NULL, "hierarchy: dfl, or v1:<id>[:<name>]", true, false },
	[C_ON_DFL] = { "ON_DFL", "on_dfl", "boolean", "bound to the default (v2) hierarchy", false, false },
	[C_HID] = { "HIERARCHY_ID", "hierarchy_id", "number", "0 for the default hierarchy, else the v1 hierarchy id", false, true },
	[C_HNAME] = { "HIERARCHY_NAME", "hierarchy_name", "string", "the v1 hierarchy's name= option, empty if none", false, false },
	[C_IMPLICIT] = { "IMPLICIT", "implicit_on_dfl", "boolean", "flag implicit_on_dfl: always on in v2, never listed", true, false },
	[C_THREADED] = { "THREADED", "threaded", "boolean", "flag threaded: usable in threaded subtrees", true, false },
	[C_DFL] = { "DFL_CFTYPES", "dfl_cftypes", "boolean", "has v2 interface files (without them: inhibited)", true, false },
	[C_LEGACY_CF] = { "LEGACY_CFTYPES", "legacy_cftypes", "boolean", "has v1 interface files", true, false },
	[C_EARLY] = { "EARLY_INIT", "early_init", "boolean", "flag early_init", false, false },
	[C_DEPENDS] = { "DEPENDS_ON", "depends_on", "array", "subsystems it depends on", false, false },
	[C_VISIBLE] = { "VISIBLE", "visible", "boolean", "listed in the root cgroup.controllers", true, false },
	[C_WHY] = { "WHY", "reasons", "array", "why not visible: disabled, v1, implicit, inhibited (x? = may apply)", true, false },
};
const int ncolumns = sizeof(columns) / sizeof(columns[0]);

struct val col_value(const struct model *m, int i, int c)
{
	const struct cg_ss *s = &m->ss[i];

	switch (c) {
	case C_ID:
		return v_num(s->id, s->id >= 0);
	case C_NAME:
		return v_str(s->name, true);
	case C_LEGACY:
		return v_str(s->legacy_name, s->legacy_name[0]);
	case C_ENABLED:
		return v_tri(s->enabled);
	case C_BOUND:
		return v_bound(s);
	case C_ON_DFL:
		return v_tri(s->on_dfl);
	case C_HID:
		return v_num(s->hierarchy_id, s->hierarchy_id >= 0);
	case C_HNAME:
		return v_str(s->hierarchy_name, s->hname_known);
	case C_IMPLICIT:
		return v_tri(s->implicit_on_dfl);
	case C_THREADED:
		return v_tri(s->threaded);
	case C_DFL:
		return v_tri(s->dfl_cftypes);
	case C_LEGACY_CF:
		return v_tri(s->legacy_cftypes);
	case C_EARLY:
		return v_tri(s->early_init);
	case C_DEPENDS:
		return v_sslist(m, s->depends_on, s->depends_known);
	case C_VISIBLE:
		return v_tri(s->visible);
	case C_WHY:
		return v_reasons(s->reasons, s->reasons_possible);
	}
	return v_null();
}

/* "-o a,b,c": header names or JSON keys, any case. Returns the count. */
int parse_columns(const char *list, int *cols, int max)
{
	int n = 0;

	while (*list) {
		size_t len = strcspn(list, ",");
		int c;

		for (c = 0; c < ncolumns; c++)
			if ((strlen(columns[c].name) == len &&
			     !strncasecmp(columns[c].name, list, len)) ||
			    (columns[c].key && strlen(columns[c].key) == len &&
			     !strncasecmp(columns[c].key, list, len)))
				break;
		if (c == ncolumns)
			errx(2, "unknown column '%.*s' (see --help)", (int)len, list);
		if (n == max)
			errx(2, "too many columns");
		cols[n++] = c;
		list += len;
		if (*list)
			list++;
	}
	if (!n)
		errx(2, "no columns given");
	return n;
}

/* The source line: JSON header members, or the text footer. */
static void emit_source(struct out *o, const struct model *m)
{
	print_val(o, PRINT_JSON, "format", NULL, v_num(JSON_FORMAT_VERSION, true));
	print_val(o, PRINT_ANY, "source", "source: %s", v_str(source_name(m->source), true));
	print_val(o, PRINT_ANY, "input", " (%s)", v_str(m->input, true));
	print_val(o, PRINT_ANY, "kernel", ", kernel %s", v_str(m->release, m->release[0]));
	print_val(o, m->module[0] ? PRINT_ANY : PRINT_JSON, "module", ", cgmask.ko %s",
		  v_str(m->module, m->module[0]));
	print_val(o, m->lock[0] ? PRINT_ANY : PRINT_JSON, "lock", ", lock %s",
		  v_str(m->lock, m->lock[0]));
	print_val(o, PRINT_JSON, "subsys_count", NULL, v_num(m->subsys_count, m->subsys_count >= 0));
	print_val(o, PRINT_TEXT, NULL, m->complete ? ", %s subsystems" :
		  ", %s subsystems found (the list may be incomplete)", v_num(m->nss, true));
	print_val(o, PRINT_JSON, "complete", NULL, v_tri(m->complete));
	print_val(o, PRINT_ANY, "mask_width", ", mask width %s\n",
		  v_num(m->mask_width, m->mask_width > 0));
}

static void emit_masks(struct out *o, const struct model *m)
{
	jw_open(o, "masks", '{', false);
	for (int k = 0; k < MASK_COUNT; k++) {
		const struct cg_mask *mk = &m->mask[k];
		int w = m->mask_width;

		jw_open(o, mask_names[k], '{', false);
		print_val(o, PRINT_TEXT, NULL, "%-17s", v_str(mask_names[k], true));
		print_val(o, PRINT_JSON, "value", NULL, v_bits(mk->value, mk->value_known));
		print_val(o, PRINT_ANY, "hex", " %-10s", v_hex(mk->value, w, mk->value_known));
		print_val(o, PRINT_ANY, "names", " %s", v_sslist(m, mk->members, mk->names_known));
		print_val(o, PRINT_JSON, "read", NULL, v_tri(mk->via[0] != 0));
		print_val(o, PRINT_JSON, "derived", NULL, v_bits(mk->derived, mk->derived_known));
		print_val(o, PRINT_JSON, "agree", NULL, v_tri(mk->agree));
		print_val(o, PRINT_JSON, "via", NULL, v_str(mk->via, mk->via[0]));
		if (mk->agree == T_NO) {
			print_val(o, PRINT_TEXT, NULL, "  [MISMATCH: read %s", v_hex(mk->value, w, true));
			print_val(o, PRINT_TEXT, NULL, ", derived %s]", v_hex(mk->derived, w, true));
		}
		if (!o->json)
			fputc('\n', o->f);
		jw_close(o, '}');
	}
	jw_close(o, '}');
}

void render_json_head(const struct model *m, struct out *o)
{
	emit_source(o, m);
}

void render_table(const struct model *m, FILE *f, const int *cols, int ncols,
		  bool noheadings, bool raw, bool masks)
{
	int width[64] = { 0 };
	char buf[4096];
	struct out o;

	for (int c = 0; c < ncols; c++) {
		width[c] = (int)strlen(columns[cols[c]].name);
		for (int i = 0; i < m->nss; i++) {
			struct val v = col_value(m, i, cols[c]);

			val_text(&v, buf, sizeof(buf));
			if ((int)strlen(buf) > width[c])
				width[c] = (int)strlen(buf);
		}
	}
	for (int i = noheadings ? 0 : -1; i < m->nss; i++) {
		for (int c = 0; c < ncols; c++) {
			const struct column *col = &columns[cols[c]];
			const char *text = buf;
			bool last = c == ncols - 1;

			if (i < 0) {
				text = col->name;
			} else {
				struct val v = col_value(m, i, cols[c]);

				val_text(&v, buf, sizeof(buf));
			}
			if (raw)
				fprintf(f, "%s%s", text, last ? "" : " ");
			else if (col->right)
				fprintf(f, "%*s%s", width[c], text, last ? "" : " ");
			else
				fprintf(f, "%-*s%s", last ? 0 : width[c], text, last ? "" : " ");
		}
		fputc('\n', f);
	}
	out_init(&o, f, false);
	if (masks) {
		fputc('\n', f);
		emit_masks(&o, m);
	}
	if (!noheadings) {
		fputc('\n', f);
		emit_source(&o, m);
	}
}

void render_json(const struct model *m, FILE *f, const int *cols, int ncols)
{
	struct out o;

	out_init(&o, f, true);
	jw_open(&o, NULL, '{', false);
	emit_source(&o, m);
	emit_masks(&o, m);
	jw_open(&o, "subsystems", '[', false);
	for (int i = 0; i < m->nss; i++) {
		jw_open(&o, NULL, '{', false);
		for (int c = 0; c < ncols; c++) {
			struct val v = col_value(m, i, cols[c]);

			if (!columns[cols[c]].key)
				continue;
			jw_key(&o, columns[cols[c]].key);
			jw_val(&o, &v);
		}
		jw_close(&o, '}');
	}
	jw_close(&o, ']');
	jw_close(&o, '}');
}

/* A Prometheus label value: the text form, with \ and " escaped. */
static void prom_label(FILE *f, const char *name, struct val v, bool comma)
{
	char buf[4096];

	val_text(&v, buf, sizeof(buf));
	if (v.t == V_REASONS && !strcmp(buf, "-"))
		buf[0] = 0;
	fprintf(f, "%s%s=\"", comma ? "," : "", name);
	for (const char *p = buf; *p; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

static void prom_head(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* One gauge per controller from a tri-state; unknown values are left out. */
static void prom_ss_gauge(const struct model *m, FILE *f, const char *name,
			  const char *help, int col)
{
	prom_head(f, name, help);
	for (int i = 0; i < m->nss; i++) {
		struct val v = col_value(m, i, col);

		if (v.t != V_BOOL)
			continue;
		fprintf(f, "%s{", name);
		prom_label(f, "controller", v_str(m->ss[i].name, true), false);
		fprintf(f, "} %lld\n", v.n);
	}
}

void render_prom(const struct model *m, FILE *f)
{
	prom_head(f, "cgmask_source_info",
		  "Where cgmask read the kernel's cgroup controller state; always 1.");
	fputs("cgmask_source_info{", f);
	prom_label(f, "source", v_str(source_name(m->source), true), false);
	prom_label(f, "kernel", v_str(m->release, m->release[0]), true);
	prom_label(f, "module", v_str(m->module, m->module[0]), true);
	prom_label(f, "mask_width", v_num(m->mask_width, m->mask_width > 0), true);
	prom_label(f, "complete", v_num(m->complete, true), true);
	fputs("} 1\n", f);

	prom_ss_gauge(m, f, "cgmask_controller_visible",
		      "1 if the controller is listed in the root cgroup.controllers.", C_VISIBLE);
	prom_ss_gauge(m, f, "cgmask_controller_enabled",
		      "1 unless the controller was switched off with cgroup_disable=.", C_ENABLED);

	prom_head(f, "cgmask_controller_info",
		  "Controller details as labels (reasons it is not visible; x? = may apply); always 1.");
	for (int i = 0; i < m->nss; i++) {
		fputs("cgmask_controller_info{", f);
		prom_label(f, "controller", col_value(m, i, C_NAME), false);
		prom_label(f, "legacy_name", col_value(m, i, C_LEGACY), true);
		prom_label(f, "id", col_value(m, i, C_ID), true);
		prom_label(f, "hierarchy_id", col_value(m, i, C_HID), true);
		prom_label(f, "reasons", col_value(m, i, C_WHY), true);
		fputs("} 1\n", f);
	}

	prom_head(f, "cgmask_mask", "Kernel cgroup subsystem mask; bit N is subsystem id N.");
	for (int k = 0; k < MASK_COUNT; k++)
		if (m->mask[k].value_known)
			fprintf(f, "cgmask_mask{mask=\"%s\"} %llu\n", mask_names[k],
				(unsigned long long)m->mask[k].value);
}
