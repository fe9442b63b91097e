// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the dump parsers, of /sys/kernel/debug/cgmask and
 * of cgmask_cgroups (and the renderers, over whatever they accept).
 * `make -C tools fuzz-smoke FUZZ_SECONDS=60` runs it briefly; a crashing
 * input lands in tests/reader/regress/, which make check replays through
 * the reader.
 *
 * A long run of 10 million executions, from the top of the repository:
 *   make -C tools fuzz
 *   mkdir -p tools/build/corpus
 *   tools/build/fuzz-parse -runs=10000000 -dict=tests/reader/fuzz.dict \
 *       -artifact_prefix=tests/reader/regress/ tools/build/corpus \
 *       tests/reader/dumps tests/reader/trees tests/reader/regress
 */
#include <stdlib.h>

#include "cgmask.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	static struct cg_tree t;
	static FILE *sink;
	char err[512];
	int cols[64], ncols = 0;

	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	/* The same bytes as a cgmask_cgroups dump (docs/format.md), too. */
	if (!tree_parse((const char *)data, size, "fuzz", &t, err, sizeof(err))) {
		cmd_tree(&t, NULL, sink, false);
		cmd_tree(&t, NULL, sink, true);
		cmd_why_path(&t, "memory", "/a", sink, false);
		cmd_why_path(&t, "cpu", "/a/b", sink, true);
		tree_free(&t);
	}
	if (parse_dump((const char *)data, size, "fuzz", &m, err, sizeof(err)))
		return 0;
	for (int c = 0; c < ncolumns; c++)
		if (columns[c].key)
			cols[ncols++] = c;
	render_json(&m, sink, cols, ncols);
	render_table(&m, sink, cols, ncols, false, false, true);
	render_prom(&m, sink);
	cmd_diff(&m, &m, sink);
	return 0;
}
