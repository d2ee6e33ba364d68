/*
 * svg.c: scales, nice ticks, axes and clipped intervals for the charts of
 * the HTML report, and the XML escaping that keeps the page well-formed
 * whatever bytes the data holds.
 */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- scales ------------------------------------------------------------ */

void fa_scale_init(fa_scale *s, double d0, double d1, double r0, double r1)
{
	s->d0 = d0;
	s->d1 = d1;
	s->r0 = r0;
	s->r1 = r1;
}

double fa_scale_map(const fa_scale *s, double v)
{
	if (s->d1 == s->d0)
		return (s->r0 + s->r1) / 2;
	return s->r0 + (v - s->d0) / (s->d1 - s->d0) * (s->r1 - s->r0);
}

int fa_scale_side(const fa_scale *s, double v)
{
	double lo = s->d0 < s->d1 ? s->d0 : s->d1, hi = s->d0 < s->d1 ? s->d1 : s->d0;
	if (v < lo)
		return -1;
	if (v > hi)
		return 1;
	return 0;
}

double fa_scale_clamp(const fa_scale *s, double v)
{
	double lo = s->d0 < s->d1 ? s->d0 : s->d1, hi = s->d0 < s->d1 ? s->d1 : s->d0;
	if (v < lo)
		v = lo;
	else if (v > hi)
		v = hi;
	return fa_scale_map(s, v);
}

/* ---- ticks ------------------------------------------------------------- */

/* The step as mantissa x 10^exponent, mantissa 1, 2 or 5, so tick i can be
 * computed as (i * mantissa) scaled by an exact power of ten. */
static int step_parts(double lo, double hi, int count, int *mant, int *expo)
{
	double span = hi - lo, raw, err;
	int e, m;

	if (!(span > 0) || !isfinite(span) || count < 1)
		return -1;
	raw = span / count;
	e = (int)floor(log10(raw));
	err = raw / pow(10, e);
	if (err >= sqrt(50.0))
		m = 10;
	else if (err >= sqrt(10.0))
		m = 5;
	else if (err >= sqrt(2.0))
		m = 2;
	else
		m = 1;
	if (m == 10) {
		m = 1;
		e++;
	}
	*mant = m;
	*expo = e;
	return 0;
}

static double tick_value(long i, int mant, int expo)
{
	double k = (double)i * mant;
	return expo >= 0 ? k * pow(10, expo) : k / pow(10, -expo);
}

double fa_tick_step(double lo, double hi, int count)
{
	int m, e;
	if (step_parts(lo, hi, count, &m, &e) < 0)
		return 0;
	return tick_value(1, m, e);
}

size_t fa_ticks(double lo, double hi, int count, double *out, size_t max)
{
	int m, e;
	double step;
	long i, i0, i1;
	size_t k = 0;

	if (step_parts(lo, hi, count, &m, &e) < 0)
		return 0;
	step = tick_value(1, m, e);
	/* the slack absorbs lo / step landing a hair beside an integer */
	i0 = (long)ceil(lo / step - 1e-9);
	i1 = (long)floor(hi / step + 1e-9);
	for (i = i0; i <= i1 && k < max; i++)
		out[k++] = tick_value(i, m, e);
	return k;
}

void fa_nice_extent(double *lo, double *hi, int count)
{
	int pass, m, e;

	for (pass = 0; pass < 2; pass++) {
		double step;
		if (step_parts(*lo, *hi, count, &m, &e) < 0)
			return;
		step = tick_value(1, m, e);
		*lo = tick_value((long)floor(*lo / step + 1e-9), m, e);
		*hi = tick_value((long)ceil(*hi / step - 1e-9), m, e);
	}
}

int fa_tick_decimals(double step)
{
	int d;
	for (d = 0; d < 15; d++) {
		double x = step * pow(10, d);
		if (fabs(x - floor(x + 0.5)) < 1e-6 * x)
			return d;
	}
	return d;
}

/* ---- escaping ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at `s` that XML 1.0 allows, or 0. */
static size_t utf8_char(const unsigned char *s)
{
	unsigned c = s[0];

	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] > 0x9F)
			return 0; /* surrogate */
		if (c == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
			return 0; /* U+FFFE, U+FFFF are not XML characters */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] > 0x8F)
			return 0;
		return 4;
	}
	return 0;
}

static void escape_n(fa_buf *b, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t chars = 0;

	while (*s) {
		size_t n = utf8_char(s);
		if (chars == max) {
			fa_buf_puts(b, "\xE2\x80\xA6"); /* ellipsis */
			return;
		}
		chars++;
		if (n == 0) {
			if (*s >= 0x80)
				fa_buf_puts(b, "\xEF\xBF\xBD");
			else
				chars--; /* a control character: dropped */
			s++;
			continue;
		}
		switch (*s) {
		case '&':
			fa_buf_puts(b, "&amp;");
			break;
		case '<':
			fa_buf_puts(b, "&lt;");
			break;
		case '>':
			fa_buf_puts(b, "&gt;");
			break;
		case '"':
			fa_buf_puts(b, "&quot;");
			break;
		case '\'':
			fa_buf_puts(b, "&#39;");
			break;
		default:
			fa_buf_put(b, (const char *)s, n);
			break;
		}
		s += n;
	}
}

void fa_svg_escape(fa_buf *b, const char *s)
{
	escape_n(b, s ? s : "", (size_t)-1);
}

size_t fa_svg_strlen(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = 0;
	while (*s) {
		size_t n = utf8_char(s);
		s += n ? n : 1;
		k++;
	}
	return k;
}

void fa_svg_escape_cut(fa_buf *b, const char *s, size_t max)
{
	if (!s)
		s = "";
	if (max == 0 || fa_svg_strlen(s) <= max)
		escape_n(b, s, (size_t)-1);
	else
		escape_n(b, s, max - 1);
}

void fa_svg_num(fa_buf *b, double v)
{
	char tmp[64];
	if (!isfinite(v))
		v = 0;
	snprintf(tmp, sizeof(tmp), "%.1f", v);
	fa_buf_puts(b, strcmp(tmp, "-0.0") == 0 ? "0.0" : tmp);
}

/* ---- elements ---------------------------------------------------------- */

static void attr_num(fa_buf *b, const char *name, double v)
{
	fa_buf_printf(b, " %s=\"", name);
	fa_svg_num(b, v);
	fa_buf_putc(b, '"');
}

static void extra(fa_buf *b, const char *attrs)
{
	if (attrs && *attrs) {
		fa_buf_putc(b, ' ');
		fa_buf_puts(b, attrs);
	}
}

void fa_svg_begin(fa_buf *b, double w, double h, const char *cls, const char *label,
                  const char *title, const char *desc)
{
	fa_buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
	attr_num(b, "width", w);
	attr_num(b, "height", h);
	fa_buf_puts(b, " viewBox=\"0 0 ");
	fa_svg_num(b, w);
	fa_buf_putc(b, ' ');
	fa_svg_num(b, h);
	fa_buf_puts(b, "\" role=\"img\"");
	if (cls) {
		fa_buf_puts(b, " class=\"");
		fa_svg_escape(b, cls);
		fa_buf_putc(b, '"');
	}
	fa_buf_puts(b, " aria-label=\"");
	fa_svg_escape(b, label);
	fa_buf_puts(b, "\"><title>");
	fa_svg_escape(b, title);
	fa_buf_puts(b, "</title><desc>");
	fa_svg_escape(b, desc);
	fa_buf_puts(b, "</desc>\n");
}

void fa_svg_end(fa_buf *b)
{
	fa_buf_puts(b, "</svg>\n");
}

void fa_svg_line(fa_buf *b, double x1, double y1, double x2, double y2, const char *attrs)
{
	fa_buf_puts(b, "<line");
	attr_num(b, "x1", x1);
	attr_num(b, "y1", y1);
	attr_num(b, "x2", x2);
	attr_num(b, "y2", y2);
	extra(b, attrs);
	fa_buf_puts(b, "/>");
}

void fa_svg_rect(fa_buf *b, double x, double y, double w, double h, const char *attrs)
{
	if (w < 0) {
		x += w;
		w = -w;
	}
	if (h < 0) {
		y += h;
		h = -h;
	}
	fa_buf_puts(b, "<rect");
	attr_num(b, "x", x);
	attr_num(b, "y", y);
	attr_num(b, "width", w);
	attr_num(b, "height", h);
	extra(b, attrs);
	fa_buf_puts(b, "/>");
}

void fa_svg_circle(fa_buf *b, double cx, double cy, double r, const char *attrs)
{
	fa_buf_puts(b, "<circle");
	attr_num(b, "cx", cx);
	attr_num(b, "cy", cy);
	attr_num(b, "r", r);
	extra(b, attrs);
	fa_buf_puts(b, "/>");
}

static void path_point(fa_buf *b, char cmd, double x, double y)
{
	fa_buf_putc(b, cmd);
	fa_svg_num(b, x);
	fa_buf_putc(b, ',');
	fa_svg_num(b, y);
}

void fa_svg_marker(fa_buf *b, int shape, double cx, double cy, double r, const char *attrs)
{
	switch (shape & 3) {
	case 0:
		fa_svg_circle(b, cx, cy, r, attrs);
		return;
	case 1:
		r *= 0.9;
		fa_svg_rect(b, cx - r, cy - r, 2 * r, 2 * r, attrs);
		return;
	case 2:
		r *= 1.2;
		fa_buf_puts(b, "<path d=\"");
		path_point(b, 'M', cx, cy - r);
		path_point(b, 'L', cx + r * 0.866, cy + r * 0.5);
		path_point(b, 'L', cx - r * 0.866, cy + r * 0.5);
		break;
	default:
		r *= 1.25;
		fa_buf_puts(b, "<path d=\"");
		path_point(b, 'M', cx, cy - r);
		path_point(b, 'L', cx + r, cy);
		path_point(b, 'L', cx, cy + r);
		path_point(b, 'L', cx - r, cy);
		break;
	}
	fa_buf_puts(b, "Z\"");
	extra(b, attrs);
	fa_buf_puts(b, "/>");
}

void fa_svg_text(fa_buf *b, double x, double y, const char *anchor, const char *attrs,
                 const char *s)
{
	fa_buf_puts(b, "<text");
	attr_num(b, "x", x);
	attr_num(b, "y", y);
	if (anchor && strcmp(anchor, "start") != 0)
		fa_buf_printf(b, " text-anchor=\"%s\"", anchor);
	extra(b, attrs);
	fa_buf_putc(b, '>');
	fa_svg_escape(b, s);
	fa_buf_puts(b, "</text>");
}

void fa_svg_axis(fa_buf *b, const fa_scale *s, fa_axis_side side, double at, int count, double grid,
                 const char *label)
{
	double lo = s->d0 < s->d1 ? s->d0 : s->d1, hi = s->d0 < s->d1 ? s->d1 : s->d0;
	double ticks[64], step = fa_tick_step(lo, hi, count);
	size_t n = fa_ticks(lo, hi, count, ticks, 64), i;
	int dec = step > 0 ? fa_tick_decimals(step) : 0;
	char txt[64];

	fa_buf_puts(b, "<g class=\"axis\">");
	for (i = 0; i < n; i++) {
		double p = fa_scale_map(s, ticks[i]);
		snprintf(txt, sizeof(txt), "%.*f", dec, ticks[i]);
		if (strcmp(txt, "-0") == 0 ||
		    (txt[0] == '-' && strspn(txt + 1, "0.") == strlen(txt + 1)))
			memmove(txt, txt + 1, strlen(txt));
		if (side == FA_AXIS_BOTTOM) {
			if (grid > 0)
				fa_svg_line(b, p, at, p, at - grid, "class=\"grid\"");
			fa_svg_line(b, p, at, p, at + 4, NULL);
			fa_svg_text(b, p, at + 15, "middle", NULL, txt);
		} else {
			if (grid > 0)
				fa_svg_line(b, at, p, at + grid, p, "class=\"grid\"");
			fa_svg_line(b, at - 4, p, at, p, NULL);
			fa_svg_text(b, at - 7, p + 4, "end", NULL, txt);
		}
	}
	if (side == FA_AXIS_BOTTOM) {
		fa_svg_line(b, s->r0, at, s->r1, at, "class=\"domain\"");
		if (label)
			fa_svg_text(b, (s->r0 + s->r1) / 2, at + 31, "middle", "class=\"label\"",
			            label);
	} else {
		fa_svg_line(b, at, s->r0, at, s->r1, "class=\"domain\"");
		if (label) {
			double cy = (s->r0 + s->r1) / 2;
			fa_buf_puts(b, "<text x=\"0\" y=\"0\" text-anchor=\"middle\" "
			               "class=\"label\" transform=\"translate(");
			fa_svg_num(b, at - 38);
			fa_buf_putc(b, ',');
			fa_svg_num(b, cy);
			fa_buf_puts(b, ") rotate(-90)\">");
			fa_svg_escape(b, label);
			fa_buf_puts(b, "</text>");
		}
	}
	fa_buf_puts(b, "</g>\n");
}

int fa_svg_hinterval(fa_buf *b, const fa_scale *x, double lo, double hi, double y,
                     const char *attrs)
{
	double xl, xh;
	int clip = 0;

	if (isnan(lo) || isnan(hi))
		return 0;
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (fa_scale_side(x, lo) < 0)
		clip |= 1;
	if (fa_scale_side(x, hi) > 0)
		clip |= 2;
	xl = fa_scale_clamp(x, lo);
	xh = fa_scale_clamp(x, hi);
	fa_buf_puts(b, "<g");
	extra(b, attrs);
	fa_buf_putc(b, '>');
	fa_svg_line(b, xl, y, xh, y, NULL);
	/* an arrow head points outwards from a clipped end; a cap ends the rest */
	if (clip & 1) {
		fa_buf_puts(b, "<path class=\"clip\" d=\"");
		path_point(b, 'M', xl, y);
		path_point(b, 'L', xl + 6, y - 4);
		path_point(b, 'L', xl + 6, y + 4);
		fa_buf_puts(b, "Z\"/>");
	} else {
		fa_svg_line(b, xl, y - 4, xl, y + 4, NULL);
	}
	if (clip & 2) {
		fa_buf_puts(b, "<path class=\"clip\" d=\"");
		path_point(b, 'M', xh, y);
		path_point(b, 'L', xh - 6, y - 4);
		path_point(b, 'L', xh - 6, y + 4);
		fa_buf_puts(b, "Z\"/>");
	} else {
		fa_svg_line(b, xh, y - 4, xh, y + 4, NULL);
	}
	fa_buf_puts(b, "</g>");
	return clip;
}

void fa_svg_polyline(fa_buf *b, const fa_scale *x, const fa_scale *y, const double *xs,
                     const double *ys, size_t n, const char *attrs)
{
	size_t i;

	fa_buf_puts(b, "<polyline points=\"");
	for (i = 0; i < n; i++) {
		if (i)
			fa_buf_putc(b, ' ');
		fa_svg_num(b, fa_scale_clamp(x, xs[i]));
		fa_buf_putc(b, ',');
		fa_svg_num(b, fa_scale_clamp(y, ys[i]));
	}
	fa_buf_putc(b, '"');
	extra(b, attrs);
	fa_buf_puts(b, "/>");
}
