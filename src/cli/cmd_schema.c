/*
 * cmd_schema.c: `fairaudit schema [report|jsonl]` prints the JSON Schema of
 * the JSON report (docs/report.schema.json) or of a line of the JSON Lines
 * report (docs/report-jsonl.schema.json). Both are compiled in from those
 * files at build time (cmake/EmbedFile.cmake), so the program and the docs
 * cannot disagree.
 */
#include "options.h"

#include <string.h>

extern const char fa_cli_schema_report[];
extern const size_t fa_cli_schema_report_len;
extern const char fa_cli_schema_jsonl[];
extern const size_t fa_cli_schema_jsonl_len;

void cmd_schema_usage(FILE *f)
{
	fputs("Usage: fairaudit schema [report|jsonl]\n"
	      "\n"
	      "Print a JSON Schema (draft 2020-12) to standard output:\n"
	      "  report   the JSON report, -o FILE.json (the default)\n"
	      "  jsonl    one line of the JSON Lines report, -o FILE.jsonl or\n"
	      "           --format jsonl\n"
	      "\n"
	      "  -h, --help   this help\n"
	      "\n"
	      "Exit status: 0, or 2 on a usage or output error.\n",
	      f);
}

int cmd_schema(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "report";
	const char *text;
	size_t len;

	if (argc > 1 && (strcmp(which, "-h") == 0 || strcmp(which, "--help") == 0)) {
		cmd_schema_usage(stdout);
		return 0;
	}
	if (argc > 2) {
		fprintf(stderr, "fairaudit: error: schema takes one argument, report or jsonl\n");
		return 2;
	}
	if (strcmp(which, "report") == 0) {
		text = fa_cli_schema_report;
		len = fa_cli_schema_report_len;
	} else if (strcmp(which, "jsonl") == 0) {
		text = fa_cli_schema_jsonl;
		len = fa_cli_schema_jsonl_len;
	} else {
		fprintf(stderr, "fairaudit: error: no schema \"%s\"; there are report and jsonl\n",
			which);
		return 2;
	}
	if (fwrite(text, 1, len, stdout) != len)
		return 2;
	return 0;
}
