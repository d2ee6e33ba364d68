/* report.c: report format dispatch. */
#include "fairaudit/report.h"

#include <string.h>
#include <strings.h>

int fa_report_format_for_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return -1;
	if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0)
		return FA_REPORT_MARKDOWN;
	if (strcasecmp(dot, ".json") == 0)
		return FA_REPORT_JSON;
	if (strcasecmp(dot, ".csv") == 0)
		return FA_REPORT_CSV;
	if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
		return FA_REPORT_HTML;
	if (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0)
		return FA_REPORT_JSONL;
	return -1;
}

int fa_report_write(fa_buf *out, const fa_result *r, fa_report_format format,
		    fa_error *err)
{
	switch (format) {
	case FA_REPORT_MARKDOWN: return fa_report_markdown(out, r);
	case FA_REPORT_JSON: return fa_report_json(out, r);
	case FA_REPORT_CSV: return fa_report_csv(out, r);
	case FA_REPORT_HTML: return fa_report_html(out, r);
	case FA_REPORT_JSONL: return fa_report_jsonl(out, r);
	}
	return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "unknown report format");
}
