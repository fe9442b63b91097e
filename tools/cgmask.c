// SPDX-License-Identifier: GPL-2.0
/*
 * cgmask: which cgroup controllers this kernel has, which ones the root
 * cgroup.controllers lists, and why the others are missing.
 *
 * Command line only: reading is in source.c, userspace.c, ftrace.c and
 * parse.c; output in render.c, explain.c and diff.c.
 */
#include <err.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cgmask.h"
#include "tree.h"

enum { OPT_PROM = 256 };

static void usage(FILE *f)
{
	fputs("Usage:\n"
	      " cgmask [options]                      table of subsystems and masks\n"
	      " cgmask [options] check CONTROLLER...  exit 0 if all are in the root cgroup.controllers\n"
	      " cgmask [options] why CONTROLLER       explain whether and why it is listed\n"
	      " cgmask [options] why CONTROLLER PATH  the chain that makes it available in a cgroup or not\n"
	      " cgmask [options] tree [PATH]          every cgroup (below PATH) with its controllers\n"
	      " cgmask diff A B                       compare two saved dumps\n"
	      "\nOptions:\n"
	      " -f, --file FILE       read a saved dump (- for stdin), not the running kernel\n"
	      " -s, --source SOURCE   module, ftrace, userspace or auto (the default)\n"
	      " -o, --output COLUMNS  comma-separated columns (below); JSON keys work too\n"
	      " -n, --noheadings      no header line and no source line\n"
	      " -r, --raw             unaligned columns, no masks block\n"
	      " -J, --json            JSON (schema version 1, see cgmask(8)); also for check\n"
	      "     --prom            Prometheus textfile-collector format\n"
	      " -h, --help            show this help\n"
	      " -V, --version         show the version\n"
	      "\nColumns (* = default; JSON key and type in brackets):\n", f);
	for (int c = 0; c < ncolumns; c++) {
		fprintf(f, " %c %-15s %s", columns[c].dflt ? '*' : ' ', columns[c].name,
			columns[c].help);
		if (columns[c].key)
			fprintf(f, " [%s, %s]\n", columns[c].key, columns[c].type);
		else
			fputs(" [text only]\n", f);
	}
	fputs("\nExit status: 0 success (check: all listed; why: listed; diff: same),\n"
	      "1 check/why: not listed or not found, diff: different; 2 error.\n", f);
}

static void usage_error(const char *msg)
{
	warnx("%s", msg);
	fputs("Try 'cgmask --help'.\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "source", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'J' },
		{ "prom", no_argument, NULL, OPT_PROM },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *source = "auto", *output = NULL, *cmd;
	bool json = false, prom = false, noheadings = false, raw = false;
	static struct model m, b;
	int cols[64], ncols = 0, nargs, opt, rc = 0;
	char **args, errbuf[1024];

	while ((opt = getopt_long(argc, argv, "f:s:o:nrJhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			file = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'n':
			noheadings = true;
			break;
		case 'r':
			raw = true;
			break;
		case 'J':
			json = true;
			break;
		case OPT_PROM:
			prom = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cgmask %s\n", CGMASK_VERSION);
			return 0;
		default:
			fputs("Try 'cgmask --help'.\n", stderr);
			return 2;
		}
	}
	cmd = optind < argc ? argv[optind] : NULL;
	args = argv + optind + 1;
	nargs = cmd ? argc - optind - 1 : 0;
	if (json && prom)
		usage_error("--json and --prom exclude each other");
	if (cmd && (prom || output || raw || noheadings))
		usage_error("--prom, -o, -r and -n apply to the table only");
	if (file && strcmp(source, "auto") && strcmp(source, "module"))
		usage_error("a file given with -f is always a module dump");

	if (cmd && (!strcmp(cmd, "tree") || (!strcmp(cmd, "why") && nargs == 2))) {
		if (!strcmp(cmd, "tree") && nargs > 1)
			usage_error("tree takes at most one cgroup path");
		rc = tree_main(source, file, json, args, nargs);
	} else if (cmd && !strcmp(cmd, "diff")) {
		if (nargs != 2)
			usage_error("diff needs two dump files");
		if (file || json || strcmp(source, "auto"))
			usage_error("diff takes two dump files and no -f, -s or -J");
		if (load_dump(args[0], &m, errbuf, sizeof(errbuf)) ||
		    load_dump(args[1], &b, errbuf, sizeof(errbuf)))
			errx(2, "%s", errbuf);
		rc = cmd_diff(&m, &b, stdout);
	} else {
		if (cmd && strcmp(cmd, "check") && strcmp(cmd, "why"))
			usage_error("unknown command (check, why, tree or diff)");
		if (cmd && !strcmp(cmd, "check") && nargs < 1)
			usage_error("check needs at least one controller name");
		if (cmd && !strcmp(cmd, "why") && (nargs != 1 || json))
			usage_error("why takes one controller name and no -J, or a controller and a cgroup path");
		if (load_source(source, file, &m, errbuf, sizeof(errbuf)))
			errx(2, "%s", errbuf);
		if (output)
			ncols = parse_columns(output, cols, 64);
		else
			for (int c = 0; c < ncolumns; c++)
				if (json ? columns[c].key != NULL : columns[c].dflt)
					cols[ncols++] = c;
		if (!cmd && prom)
			render_prom(&m, stdout);
		else if (!cmd && json)
			render_json(&m, stdout, cols, ncols);
		else if (!cmd)
			render_table(&m, stdout, cols, ncols, noheadings, raw, !output && !raw);
		else if (!strcmp(cmd, "check"))
			rc = cmd_check(&m, args, nargs, stdout, json);
		else
			rc = cmd_why(&m, args[0], stdout);
	}
	if (fflush(stdout) || ferror(stdout))
		errx(2, "error writing output");
	return rc;
}
