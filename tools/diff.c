// SPDX-License-Identifier: GPL-2.0
/*
 * "cgmask diff A B": what differs between two models, one line per field,
 * named by its JSON path. Values are compared in their text form, so the
 * comparison covers exactly what the table and JSON show; masks by value,
 * so a 16-bit and a 32-bit dump of the same bits agree.
 */
#include <string.h>

#include "cgmask.h"

struct differ {
	FILE *f;
	int count;
};

static void diff_val(struct differ *d, const char *path, const char *key,
		     struct val a, struct val b)
{
	char ta[4096], tb[4096];

	val_text(&a, ta, sizeof(ta));
	val_text(&b, tb, sizeof(tb));
	if (strcmp(ta, tb)) {
		fprintf(d->f, "%s%s: %s -> %s\n", path, key, ta, tb);
		d->count++;
	}
}

static int find_exact(const struct model *m, const char *name)
{
	for (int i = 0; i < m->nss; i++)
		if (!strcmp(m->ss[i].name, name))
			return i;
	return -1;
}

static void only_in(struct differ *d, const struct model *x, const struct model *y,
		    const char *which)
{
	for (int i = 0; i < x->nss; i++)
		if (find_exact(y, x->ss[i].name) < 0) {
			fprintf(d->f, "subsystems.%s: only in %s\n", x->ss[i].name, which);
			d->count++;
		}
}

int cmd_diff(const struct model *a, const struct model *b, FILE *f)
{
	struct differ d = { .f = f };
	char path[128];

	diff_val(&d, "", "source", v_str(source_name(a->source), true),
		 v_str(source_name(b->source), true));
	diff_val(&d, "", "kernel", v_str(a->release, a->release[0]), v_str(b->release, b->release[0]));
	diff_val(&d, "", "module", v_str(a->module, a->module[0]), v_str(b->module, b->module[0]));
	diff_val(&d, "", "lock", v_str(a->lock, a->lock[0]), v_str(b->lock, b->lock[0]));
	diff_val(&d, "", "subsys_count", v_num(a->subsys_count, a->subsys_count >= 0),
		 v_num(b->subsys_count, b->subsys_count >= 0));
	diff_val(&d, "", "mask_width", v_num(a->mask_width, a->mask_width > 0),
		 v_num(b->mask_width, b->mask_width > 0));

	for (int k = 0; k < MASK_COUNT; k++) {
		const struct cg_mask *x = &a->mask[k], *y = &b->mask[k];

		bcat(strcpy(path, ""), sizeof(path), "masks.%s.", mask_names[k]);
		diff_val(&d, path, "value", v_hex(x->value, 0, x->value_known),
			 v_hex(y->value, 0, y->value_known));
		diff_val(&d, path, "names", v_sslist(a, x->members, x->names_known),
			 v_sslist(b, y->members, y->names_known));
		diff_val(&d, path, "read", v_tri(x->via[0] != 0), v_tri(y->via[0] != 0));
		diff_val(&d, path, "derived", v_hex(x->derived, 0, x->derived_known),
			 v_hex(y->derived, 0, y->derived_known));
		diff_val(&d, path, "agree", v_tri(x->agree), v_tri(y->agree));
		diff_val(&d, path, "via", v_str(x->via, x->via[0]), v_str(y->via, y->via[0]));
	}

	only_in(&d, a, b, "A");
	for (int i = 0; i < a->nss; i++) {
		int j = find_exact(b, a->ss[i].name);

		if (j < 0)
			continue;
		bcat(strcpy(path, ""), sizeof(path), "subsystems.%s.", a->ss[i].name);
		for (int c = 0; c < ncolumns; c++)
			if (columns[c].key && strcmp(columns[c].key, "name"))
				diff_val(&d, path, columns[c].key, col_value(a, i, c), col_value(b, j, c));
	}
	only_in(&d, b, a, "B");
	return d.count ? 1 : 0;
}
