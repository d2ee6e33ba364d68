/*
 * config.c: `fairaudit audit --config FILE.json`.
 *
 * A config is a JSON object whose keys are the audit's long options. Each
 * value becomes an argument "--KEY=VALUE", and these are placed before the
 * command line's, so that the one option parser reads both: every option
 * works in a config as soon as it exists, and the command line, read last,
 * wins. An option that the command line gives drops every value the config
 * gives it, so a repeatable option's list is replaced, not extended.
 * Relative paths in a config are taken from the config file's folder: a
 * folder of configs and data can be moved or run from anywhere.
 */
#include "options.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Options whose value may be a list; the others take one value. */
static const char *const repeatable[] = {
	"group", "bin", "reference", "operating-point", "output", "gate", "policy", "model",
};

/* Options whose values are paths, taken from the config's folder. */
static const char *const path_keys[] = {"output", "policy", "population"};

static int in_list(const char *k, const char *const *list, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(k, list[i]) == 0)
			return 1;
	return 0;
}

/* ---- positions ----------------------------------------------------------- */

static int config_error(const cli_config *c, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int config_error(const cli_config *c, size_t off, const char *fmt, ...)
{
	char msg[sizeof(c->err->message)];
	unsigned long line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->text)
		fa_text_position(c->text, off, &line, &col);
	return fa_error_set(c->err, FA_EUSAGE, c->path, line, col, "%s", msg);
}

/* ---- messages ------------------------------------------------------------ */

/* A key quoted for a one-line message: escaped, cut at 60 characters. */
static char *quoted(const char *s)
{
	fa_buf b = FA_BUF_INIT;
	size_t i;

	fa_buf_putc(&b, '"');
	for (i = 0; s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (i >= 60 && (ch & 0xC0) != 0x80) {
			fa_buf_puts(&b, "...");
			break;
		}
		if (ch == '"' || ch == '\\')
			fa_buf_printf(&b, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fa_buf_printf(&b, "\\x%02x", ch);
		else
			fa_buf_putc(&b, (char)ch);
	}
	fa_buf_putc(&b, '"');
	return fa_buf_detach(&b);
}

static int unknown_key(const cli_config *c, size_t off, const char *k)
{
	const struct option *o;
	const char *best = "inputs";
	size_t bd = fa_edit_distance(k, "inputs");
	char *q = quoted(k);
	int rc;

	for (o = cli_audit_options(); o->name; o++) {
		size_t d;
		if (strcmp(o->name, "config") == 0 || strcmp(o->name, "help") == 0)
			continue;
		d = fa_edit_distance(k, o->name);
		if (d < bd) {
			bd = d;
			best = o->name;
		}
	}
	/* as gates.c offers one: about one edit in three, never the whole word;
	 * a key written with '_' for '-' is one edit per '_' */
	if (fa_suggest_close(bd, k))
		rc = config_error(c, off,
				  "unknown key %s (did you mean \"%s\"?); the keys are the long "
				  "options of fairaudit audit without their dashes, and \"inputs\"",
				  q, best);
	else
		rc = config_error(c, off,
				  "unknown key %s (the closest is \"%s\"); the keys are the long "
				  "options of fairaudit audit without their dashes, and \"inputs\"",
				  q, best);
	free(q);
	return rc;
}

/* ---- building the arguments ---------------------------------------------- */

static char *own(cli_config *c, char *s)
{
	c->owned = fa_xrealloc(c->owned, (c->nowned + 1) * sizeof(char *));
	c->owned[c->nowned++] = s;
	return s;
}

/* A path of the config taken from its folder; "-" and absolute paths as
 * they are. A path that would read as an option gets "./". */
static char *resolve(const cli_config *c, const char *v)
{
	const char *slash = strrchr(c->path, '/');

	if (strcmp(v, "-") == 0 || v[0] == '/')
		return fa_xstrdup(v);
	if (slash)
		return fa_xasprintf("%.*s/%s", (int)(slash - c->path), c->path, v);
	if (v[0] == '-')
		return fa_xasprintf("./%s", v);
	return fa_xstrdup(v);
}

/* --model NAME=FILE[:COL] with FILE taken from the config's folder, as
 * NAME=file:PATH[:COL]; a column, or a value the option will reject, as
 * it is (the option's own parser reports it). Takes `text`. */
static char *resolve_model(const cli_config *c, char *text)
{
	const char *eq = strchr(text, '=');
	char *path = NULL, *column = NULL, *p, *out;
	fa_error err;

	if (!eq || fa_join_parse_model(&path, &column, eq + 1, &err) < 0 || !path) {
		free(column);
		return text;
	}
	p = resolve(c, path);
	out = column ? fa_xasprintf("%.*s=file:%s:%s", (int)(eq - text), text, p, column)
		     : fa_xasprintf("%.*s=file:%s", (int)(eq - text), text, p);
	free(p);
	free(path);
	free(column);
	free(text);
	return out;
}

/* The text of a scalar value, or NULL when it is not a string or number.
 * A whole number is written without a fraction (so "bootstrap": 2000 reads
 * as 2000); others in the shortest form that reads back the same. */
static char *scalar_text(const cJSON *v)
{
	char num[32];

	if (cJSON_IsString(v))
		return fa_xstrdup(v->valuestring);
	if (!cJSON_IsNumber(v))
		return NULL;
	if (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9007199254740992.0)
		snprintf(num, sizeof(num), "%.0f", v->valuedouble);
	else
		fa_format_double(num, v->valuedouble);
	return fa_xstrdup(num);
}

static void add_arg(cli_config *c, char ***args, int *nargs, char *arg, const char *origin,
		    size_t off)
{
	*args = fa_xrealloc(*args, (size_t)(*nargs + 1) * sizeof(char *));
	(*args)[(*nargs)++] = own(c, arg);
	c->origin = fa_xrealloc(c->origin, (size_t)*nargs * sizeof(char *));
	c->offset = fa_xrealloc(c->offset, (size_t)*nargs * sizeof(size_t));
	c->origin[*nargs - 1] = fa_xstrdup(origin);
	c->offset[*nargs - 1] = off;
	c->nfirst = *nargs - 1;
}

/* One value of option `name` as "--name=value". */
static int add_value(cli_config *c, char ***args, int *nargs, const char *name, const cJSON *v,
		     const char *origin, size_t off, const char *expected)
{
	char *text = scalar_text(v), *q;

	if (!text) {
		q = quoted(origin);
		config_error(c, off, "key %s: expected %s, got %s", q, expected, fa_json_kind(v));
		free(q);
		return -1;
	}
	if (in_list(name, path_keys, sizeof(path_keys) / sizeof(path_keys[0]))) {
		char *p = resolve(c, text);
		free(text);
		text = p;
	} else if (strcmp(name, "model") == 0) {
		text = resolve_model(c, text);
	}
	add_arg(c, args, nargs, fa_xasprintf("--%s=%s", name, text), origin, off);
	free(text);
	return 0;
}

static const struct option *find_option(const char *name)
{
	const struct option *o;
	for (o = cli_audit_options(); o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* The config's arguments, less those of options in `given` (the command
 * line's), and its inputs. */
static int config_args(cli_config *c, const cJSON *root, const unsigned char *given,
		       char ***args, int *nargs, char ***inputs, size_t *ninputs)
{
	const struct option *table = cli_audit_options();
	fa_json_member *pos;
	size_t npos, i = 0;
	const cJSON *it;
	int rc = 0;

	pos = fa_json_members(c->text, strlen(c->text), &npos);
	for (it = root->child; it && rc == 0; it = it->next, i++) {
		const char *k = it->string ? it->string : "";
		const fa_json_member *p = i < npos ? &pos[i] : NULL;
		size_t koff = p ? p->key : 0, voff = p ? p->value : 0;
		const struct option *o = NULL;
		const cJSON *prev, *e;
		char *q = quoted(k);
		size_t j;

		for (prev = root->child; prev != it; prev = prev->next)
			if (prev->string && strcmp(prev->string, k) == 0)
				break;
		if (prev != it) {
			rc = config_error(c, koff, "key %s appears twice", q);
		} else if (strcmp(k, "inputs") == 0) {
			if (cJSON_IsString(it)) {
				*inputs = fa_xrealloc(*inputs, (*ninputs + 1) * sizeof(char *));
				(*inputs)[(*ninputs)++] = own(c, resolve(c, it->valuestring));
			} else if (cJSON_IsArray(it)) {
				for (e = it->child, j = 0; e && rc == 0; e = e->next, j++) {
					size_t eoff = p && j < p->nelems ? p->elems[j] : voff;
					if (!cJSON_IsString(e)) {
						rc = config_error(c, eoff,
								  "key \"inputs\": element %zu: expected a "
								  "file name in a string, got %s",
								  j, fa_json_kind(e));
						break;
					}
					*inputs = fa_xrealloc(*inputs, (*ninputs + 1) * sizeof(char *));
					(*inputs)[(*ninputs)++] = own(c, resolve(c, e->valuestring));
				}
			} else {
				rc = config_error(c, voff,
						  "key \"inputs\": expected a list of file names such as "
						  "[\"preds.csv\"], got %s",
						  fa_json_kind(it));
			}
		} else if (strcmp(k, "config") == 0) {
			rc = config_error(c, koff, "key \"config\": a config cannot read another config");
		} else if (strcmp(k, "help") == 0 || !(o = find_option(k))) {
			rc = unknown_key(c, koff, k);
		} else if (given[o - table]) {
			/* the command line gives this option: it replaces the config's */
		} else if (o->has_arg == no_argument) {
			if (!cJSON_IsBool(it))
				rc = config_error(c, voff, "key %s: expected true or false, got %s", q,
						  fa_json_kind(it));
			else if (cJSON_IsTrue(it))
				add_arg(c, args, nargs, fa_xasprintf("--%s", k), k, voff);
		} else if (cJSON_IsArray(it)) {
			if (!in_list(k, repeatable, sizeof(repeatable) / sizeof(repeatable[0]))) {
				rc = config_error(c, voff,
						  "key %s: expected a string or a number (--%s takes one "
						  "value), got a list",
						  q, k);
			}
			for (e = it->child, j = 0; e && rc == 0; e = e->next, j++) {
				size_t eoff = p && j < p->nelems ? p->elems[j] : voff;
				char *origin = fa_xasprintf("%s[%zu]", k, j);
				rc = add_value(c, args, nargs, k, e, origin, eoff, "a string or a number");
				free(origin);
			}
		} else {
			int rep = in_list(k, repeatable, sizeof(repeatable) / sizeof(repeatable[0]));
			rc = add_value(c, args, nargs, k, it, k, voff,
				       rep ? "a string, a number or a list of them"
					   : "a string or a number");
		}
		free(q);
	}
	fa_json_members_free(pos, npos);
	return rc;
}

/* ---- reading ------------------------------------------------------------- */

static int read_text(cli_config *c)
{
	char *text;
	size_t len;
	int rc = fa_read_file(c->path, "config file", 0, &text, &len, c->err);

	if (rc < 0)
		return rc;
	c->text = text;
	if (strlen(text) != len)
		return config_error(c, strlen(text), "NUL byte in config file");
	return 0;
}

/* The command line's options (marked in `given`, by index into the table),
 * its --config, and the arguments that name it, to be left out. */
static int scan_command_line(cli_config *c, int argc, char **argv, unsigned char *given,
			     char ***strip, size_t *nstrip, int *positional)
{
	const struct option *table = cli_audit_options();
	char **copy = fa_xmalloc((size_t)(argc + 1) * sizeof(char *));
	int ch, idx, rc = 0;

	memcpy(copy, argv, (size_t)argc * sizeof(char *));
	copy[argc] = NULL;
	optind = 0; /* glibc: a new scan of a new vector */
	opterr = 0;
	for (;;) {
		const struct option *o = NULL;
		idx = -1;
		ch = getopt_long(argc, copy, ":g:o:qh", table, &idx);
		if (ch == -1)
			break;
		if (ch == '?' || ch == ':')
			continue; /* the parser proper reports these */
		if (idx >= 0) {
			o = &table[idx];
		} else {
			for (o = table; o->name && o->val != ch; o++)
				;
			if (!o->name)
				continue;
		}
		given[o - table] = 1;
		if (strcmp(o->name, "config") == 0) {
			if (c->path) {
				rc = fa_error_set(c->err, FA_EUSAGE, NULL, 0, 0,
						  "--config is given twice; a run reads one config");
				break;
			}
			c->path = fa_xstrdup(optarg);
			*strip = fa_xrealloc(*strip, (*nstrip + 2) * sizeof(char *));
			(*strip)[(*nstrip)++] = copy[optind - 1];
			/* "--config FILE": the option is the argument before */
			if (optarg == copy[optind - 1] && optind >= 2)
				(*strip)[(*nstrip)++] = copy[optind - 2];
		}
	}
	*positional = optind < argc;
	free(copy);
	optind = 1;
	return rc;
}

int cli_config_expand(cli_config *c, int argc, char **argv, fa_error *err)
{
	const struct option *o;
	size_t nopts = 0, nstrip = 0, ninputs = 0, i;
	unsigned char *given;
	char **strip = NULL, **args = NULL, **inputs = NULL;
	int nargs = 0, positional = 0, rc, k;
	cJSON *root = NULL;

	memset(c, 0, sizeof(*c));
	c->err = err;
	for (o = cli_audit_options(); o->name; o++)
		nopts++;
	given = fa_xcalloc(nopts + 1, 1);
	rc = scan_command_line(c, argc, argv, given, &strip, &nstrip, &positional);
	if (rc < 0 || !c->path) {
		c->argc = argc;
		c->argv = fa_xmalloc((size_t)(argc + 1) * sizeof(char *));
		memcpy(c->argv, argv, (size_t)argc * sizeof(char *));
		c->argv[argc] = NULL;
		goto done;
	}
	if ((rc = read_text(c)) < 0)
		goto done;
	{
		const char *end = NULL;
		size_t len = strlen(c->text);
		/* the length includes the NUL, so trailing text is an error */
		root = cJSON_ParseWithLengthOpts(c->text, len + 1, &end, 1);
		if (!root) {
			size_t off = end && end >= c->text ? (size_t)(end - c->text) : 0;
			rc = config_error(c, off, "invalid JSON: unexpected %s",
					  off < len ? "character" : "end of file");
			goto done;
		}
	}
	if (!cJSON_IsObject(root)) {
		rc = config_error(c, 0,
				  "expected a JSON object of audit options such as "
				  "{\"inputs\": [\"preds.csv\"], \"group\": [\"race\"]}, got %s",
				  fa_json_kind(root));
		goto done;
	}
	/* argv[0], then the config's options */
	args = fa_xmalloc(sizeof(char *));
	args[nargs++] = argv[0];
	c->origin = fa_xcalloc(1, sizeof(char *));
	c->offset = fa_xcalloc(1, sizeof(size_t));
	if ((rc = config_args(c, root, given, &args, &nargs, &inputs, &ninputs)) < 0)
		goto done;
	/* then the command line's, less its --config */
	for (k = 1; k < argc; k++) {
		int skip = 0;
		for (i = 0; i < nstrip; i++)
			skip |= argv[k] == strip[i];
		if (skip)
			continue;
		args = fa_xrealloc(args, (size_t)(nargs + 1) * sizeof(char *));
		args[nargs++] = argv[k];
	}
	/* and the config's inputs, unless the command line names some */
	for (i = 0; i < ninputs && !positional; i++) {
		args = fa_xrealloc(args, (size_t)(nargs + 1) * sizeof(char *));
		args[nargs++] = inputs[i];
	}
	args = fa_xrealloc(args, (size_t)(nargs + 1) * sizeof(char *));
	args[nargs] = NULL;
	c->argv = args;
	c->argc = nargs;
	args = NULL;
done:
	free(args);
	free(inputs);
	free(strip);
	free(given);
	cJSON_Delete(root);
	return rc;
}

void cli_config_blame(const cli_config *c, int index, fa_error *err)
{
	char msg[sizeof(err->message)];
	unsigned long line = 0, col = 0;
	char *q;

	/* an error already about a file (a policy's) stays as it is */
	if (!c->path || !err || index < 1 || index > c->nfirst || err->path[0])
		return;
	snprintf(msg, sizeof(msg), "%s", err->message);
	fa_text_position(c->text, c->offset[index], &line, &col);
	q = quoted(c->origin[index]);
	fa_error_set(err, err->code, c->path, line, col, "key %s: %s", q, msg);
	free(q);
}

void cli_config_free(cli_config *c)
{
	size_t i;
	int k;

	free(c->argv);
	free(c->path);
	free(c->text);
	if (c->origin)
		for (k = 0; k <= c->nfirst; k++)
			free(c->origin[k]);
	free(c->origin);
	free(c->offset);
	for (i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	memset(c, 0, sizeof(*c));
}
