/*
 * json_text.c: positions in JSON text that cJSON has accepted. cJSON keeps
 * none, so a message about a key or a list element of a policy or config
 * file finds where it starts by scanning the text again.
 */
#include "fairaudit/common.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && is_ws(s[i]))
		i++;
	return i;
}

static size_t skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n && s[i] != '"'; i++)
		if (s[i] == '\\')
			i++;
	return i + 1;
}

static size_t skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;

	while (i < n) {
		char c = s[i];
		if (c == '"') {
			i = skip_string(s, n, i);
			if (depth == 0)
				return i;
			continue;
		}
		if (c == '[' || c == '{') {
			depth++;
		} else if (c == ']' || c == '}') {
			if (depth == 0)
				return i;
			if (--depth == 0)
				return i + 1;
		} else if (depth == 0 && (c == ',' || is_ws(c))) {
			return i;
		}
		i++;
	}
	return i;
}

fa_json_member *fa_json_members(const char *s, size_t n, size_t *count)
{
	fa_json_member *m = NULL;
	size_t nm = 0, i = skip_ws(s, n, 0);

	*count = 0;
	if (i >= n || s[i] != '{')
		return NULL;
	i++;
	for (;;) {
		fa_json_member *p;
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != '"')
			break;
		m = fa_xrealloc(m, (nm + 1) * sizeof(*m));
		p = &m[nm++];
		memset(p, 0, sizeof(*p));
		p->key = i;
		i = skip_ws(s, n, skip_string(s, n, i));
		i = skip_ws(s, n, i + 1); /* ':' */
		p->value = i;
		if (i < n && s[i] == '[') {
			i++;
			for (;;) {
				i = skip_ws(s, n, i);
				if (i >= n || s[i] == ']')
					break;
				p->elems = fa_xrealloc(p->elems, (p->nelems + 1) * sizeof(size_t));
				p->elems[p->nelems++] = i;
				i = skip_ws(s, n, skip_value(s, n, i));
				if (i >= n || s[i] != ',')
					break;
				i++;
			}
			i++; /* ']' */
		} else {
			i = skip_value(s, n, i);
		}
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != ',')
			break;
		i++;
	}
	*count = nm;
	return m;
}

void fa_text_position(const char *text, size_t off, unsigned long *line, unsigned long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			++*col;
		}
	}
}

void fa_json_members_free(fa_json_member *m, size_t count)
{
	size_t i;
	for (i = 0; m && i < count; i++)
		free(m[i].elems);
	free(m);
}

const char *fa_json_kind(const struct cJSON *v)
{
	if (cJSON_IsString(v)) return "a string";
	if (cJSON_IsNumber(v)) return "a number";
	if (cJSON_IsBool(v)) return "a boolean";
	if (cJSON_IsNull(v)) return "null";
	if (cJSON_IsArray(v)) return "a list";
	return "an object";
}
