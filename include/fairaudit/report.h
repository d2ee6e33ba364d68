/*
 * report.h: write an audit result as Markdown, JSON, tidy CSV or HTML, and
 * read a saved JSON report back.
 *
 * Reporters write into an fa_buf and never touch files; fa_report_save()
 * writes a buffer to a path atomically (temporary file, then rename).
 */
#ifndef FAIRAUDIT_REPORT_H
#define FAIRAUDIT_REPORT_H

#include "fairaudit/result.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fa_report_format {
	FA_REPORT_MARKDOWN = 0,
	FA_REPORT_JSON,
	FA_REPORT_CSV,
	FA_REPORT_HTML,
	FA_REPORT_JSONL
} fa_report_format;

/** The version of the JSON report schema (docs/report-schema.md). */
#define FA_REPORT_SCHEMA_VERSION "1.0"

/** The version of the JSON Lines layout (docs/report-schema.md, "JSON
 * Lines"), written in every line as "schema_version"; versioned apart from
 * the JSON report, with the same MAJOR.MINOR rules. */
#define FA_REPORT_JSONL_VERSION "1.0"

/** The format a file name asks for by its extension (.md, .json, .csv,
 * .html, .jsonl), or -1. */
int fa_report_format_for_path(const char *path);

/** Append the report of `r` in `format` to `out`. */
int fa_report_write(fa_buf *out, const fa_result *r, fa_report_format format,
		    fa_error *err);

int fa_report_markdown(fa_buf *out, const fa_result *r);
int fa_report_json(fa_buf *out, const fa_result *r);
int fa_report_csv(fa_buf *out, const fa_result *r);
int fa_report_html(fa_buf *out, const fa_result *r);
/** The JSON Lines report: one object per line (the run, the whole
 * population, every group, gap and summary of every model and operating
 * point, every difference of two models, every gate), each with
 * "schema_version" and "kind". Suppressed groups have no counts or
 * metrics, as in the JSON report. */
int fa_report_jsonl(fa_buf *out, const fa_result *r);

/** Read a JSON report written by fa_report_json() into a new result (free
 * with fa_result_free). Fails with FA_EINPUT naming `path` when the text is
 * not such a report or its schema version is not understood. */
int fa_result_read_json(fa_result **out, const char *text, size_t len,
			const char *path, fa_error *err);

/** Write `len` bytes to `path` atomically: a temporary file in the same
 * folder, flushed and renamed over `path` only when complete. On failure
 * nothing is left behind and an existing file is untouched (FA_EIO). */
int fa_report_save(const char *path, const char *data, size_t len, fa_error *err);

/** Write several reports all or nothing: every temporary file is written
 * and flushed first, and only then are they renamed into place. */
int fa_report_save_all(const char *const *paths, const fa_buf *bufs, size_t n,
		       fa_error *err);

/** Remove any temporary report files still open (for a signal handler:
 * async-signal-safe). */
void fa_report_cleanup_temps(void);

#ifdef __cplusplus
}
#endif
#endif
