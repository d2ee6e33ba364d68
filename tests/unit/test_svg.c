/*
 * test_svg.c: the geometry of the SVG helper, against values worked out by
 * hand: where a value lands on a scale, where an interval starts and ends,
 * how values beyond the axis are clipped, and which ticks are chosen.
 */
#include "harness.h"

#include "svg.h"

#include <stdlib.h>

/* The number after `name="` at or after `from`, or NaN; *next is moved past it. */
static double attr_after(const char *from, const char *name, const char **next)
{
	char key[64];
	const char *p;
	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(from, key);
	if (!p)
		return NAN;
	p += strlen(key);
	if (next)
		*next = p;
	return strtod(p, NULL);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* Domain [0, 1] onto pixels [50, 350]: 300 px per unit. */
static void test_svg__scale_maps_values(void)
{
	fa_scale s;
	fa_scale_init(&s, 0, 1, 50, 350);
	CHECK_NEAR(fa_scale_map(&s, 0), 50, 1e-12);
	CHECK_NEAR(fa_scale_map(&s, 1), 350, 1e-12);
	CHECK_NEAR(fa_scale_map(&s, 0.25), 125, 1e-12); /* 50 + 0.25 * 300 */
	CHECK_NEAR(fa_scale_map(&s, 0.9), 320, 1e-12);  /* 50 + 270 */
	CHECK_NEAR(fa_scale_map(&s, -0.1), 20, 1e-12);  /* unclamped */
	/* a y axis runs backwards: [0.6, 1] onto [300, 10] */
	fa_scale_init(&s, 0.6, 1, 300, 10);
	CHECK_NEAR(fa_scale_map(&s, 0.8), 155, 1e-12); /* 300 - 0.5 * 290 */
	CHECK_NEAR(fa_scale_map(&s, 1), 10, 1e-12);
	/* a zero-width domain maps everything to the middle, never to NaN */
	fa_scale_init(&s, 0.5, 0.5, 0, 100);
	CHECK_NEAR(fa_scale_map(&s, 0.7), 50, 1e-12);
}

static void test_svg__clamp_to_axis(void)
{
	fa_scale s;
	fa_scale_init(&s, 0, 1, 50, 350);
	CHECK_NEAR(fa_scale_clamp(&s, -0.2), 50, 1e-12);
	CHECK_NEAR(fa_scale_clamp(&s, 1.3), 350, 1e-12);
	CHECK_NEAR(fa_scale_clamp(&s, 0.5), 200, 1e-12);
	CHECK_INT(fa_scale_side(&s, -0.2), -1);
	CHECK_INT(fa_scale_side(&s, 1.3), 1);
	CHECK_INT(fa_scale_side(&s, 1.0), 0);
	/* backwards range: clamping still lands on the ends */
	fa_scale_init(&s, 0, 1, 300, 10);
	CHECK_NEAR(fa_scale_clamp(&s, 2), 10, 1e-12);
	CHECK_NEAR(fa_scale_clamp(&s, -1), 300, 1e-12);
}

/* [0.2, 0.6] on [0, 1] -> [100, 500]: from 180 to 340, capped both ends. */
static void test_svg__interval_from_low_to_high(void)
{
	fa_buf b = FA_BUF_INIT;
	fa_scale s;
	const char *p;
	int clip;

	fa_scale_init(&s, 0, 1, 100, 500);
	clip = fa_svg_hinterval(&b, &s, 0.2, 0.6, 40, "class=\"ci\"");
	CHECK_INT(clip, 0);
	CHECK(strncmp(b.ptr, "<g class=\"ci\">", 14) == 0);
	CHECK_NEAR(attr_after(b.ptr, "x1", NULL), 180, 1e-9);
	CHECK_NEAR(attr_after(b.ptr, "x2", NULL), 340, 1e-9);
	CHECK_NEAR(attr_after(b.ptr, "y1", NULL), 40, 1e-9);
	CHECK_NEAR(attr_after(b.ptr, "y2", NULL), 40, 1e-9);
	/* two vertical caps at 180 and 340, no arrow */
	p = strstr(b.ptr, "/>") + 2;
	CHECK_NEAR(attr_after(p, "x1", NULL), 180, 1e-9);
	CHECK_NEAR(attr_after(p, "y1", NULL), 36, 1e-9);
	CHECK_NEAR(attr_after(p, "y2", NULL), 44, 1e-9);
	CHECK_INT(count(b.ptr, "<line"), 3);
	CHECK_INT(count(b.ptr, "class=\"clip\""), 0);
	/* ends given the wrong way round are drawn the same */
	fa_buf_clear(&b);
	fa_svg_hinterval(&b, &s, 0.6, 0.2, 40, NULL);
	CHECK_NEAR(attr_after(b.ptr, "x1", NULL), 180, 1e-9);
	CHECK_NEAR(attr_after(b.ptr, "x2", NULL), 340, 1e-9);
	fa_buf_free(&b);
}

/* An interval reaching beyond [0, 1] stops at the axis ends with arrows. */
static void test_svg__interval_clipped_to_axis(void)
{
	fa_buf b = FA_BUF_INIT;
	fa_scale s;
	const char *p;
	int clip;

	fa_scale_init(&s, 0, 1, 100, 500);
	clip = fa_svg_hinterval(&b, &s, -0.15, 1.2, 10, NULL);
	CHECK_INT(clip, 3);
	CHECK_NEAR(attr_after(b.ptr, "x1", NULL), 100, 1e-9);
	CHECK_NEAR(attr_after(b.ptr, "x2", NULL), 500, 1e-9);
	CHECK_INT(count(b.ptr, "class=\"clip\""), 2);
	CHECK_INT(count(b.ptr, "<line"), 1);
	/* the left arrow's tip is on the axis end, pointing outwards */
	p = strstr(b.ptr, "d=\"M");
	CHECK(p != NULL);
	if (p)
		CHECK(strncmp(p, "d=\"M100.0,10.0L106.0,6.0", 24) == 0);
	/* only the high end beyond the axis */
	fa_buf_clear(&b);
	clip = fa_svg_hinterval(&b, &s, 0.5, 1.01, 10, NULL);
	CHECK_INT(clip, 2);
	CHECK_NEAR(attr_after(b.ptr, "x1", NULL), 300, 1e-9);
	CHECK_NEAR(attr_after(b.ptr, "x2", NULL), 500, 1e-9);
	CHECK_INT(count(b.ptr, "class=\"clip\""), 1);
	/* an undefined end draws nothing */
	fa_buf_clear(&b);
	clip = fa_svg_hinterval(&b, &s, NAN, 0.5, 10, NULL);
	CHECK_INT(clip, 0);
	CHECK_INT(b.len, 0);
	fa_buf_free(&b);
}

static void test_svg__polyline_clamped(void)
{
	fa_buf b = FA_BUF_INIT;
	fa_scale x, y;
	const double xs[] = {0, 0.5, 1.5}, ys[] = {0, 0.25, -1};

	fa_scale_init(&x, 0, 1, 0, 200);
	fa_scale_init(&y, 0, 1, 100, 0);
	fa_svg_polyline(&b, &x, &y, xs, ys, 3, "class=\"curve\"");
	CHECK_STR(b.ptr, "<polyline points=\"0.0,100.0 100.0,75.0 200.0,100.0\" class=\"curve\"/>");
	fa_buf_free(&b);
}

static void check_ticks(double lo, double hi, int n, const double *want, size_t nwant)
{
	double got[32];
	size_t k = fa_ticks(lo, hi, n, got, 32), i;
	CHECK_INT(k, nwant);
	for (i = 0; i < k && i < nwant; i++)
		if (got[i] != want[i]) /* exactly the decimal number */
			test_fail(__FILE__, __LINE__, "ticks(%g,%g,%d)[%zu]: got %.17g, want %.17g",
			          lo, hi, n, i, got[i], want[i]);
}

/* Steps of 1, 2 or 5 times a power of ten (span / count, rounded by the
 * thresholds sqrt(2), sqrt(10), sqrt(50)):
 * [0.613, 0.947] / 5 = 0.0668 -> 6.68 x 0.01, between sqrt(10) and sqrt(50) -> 0.05
 * [0, 1] / 5 = 0.2 -> 2 x 0.1 -> 0.2
 * [0, 6000] / 4 = 1500 -> 1.5 x 1000 -> 2000
 * [-0.03, 0.21] / 5 = 0.048 -> 4.8 x 0.01 -> 0.05
 * [0, 0.2] / 5 = 0.04 -> 4 x 0.01, just above sqrt(10) -> 0.05
 * [0, 0.7] / 5 = 0.14 -> 1.4 x 0.1, just below sqrt(2) -> 0.1 */
static void test_svg__ticks_at_nice_numbers(void)
{
	static const double a[] = {0.65, 0.7, 0.75, 0.8, 0.85, 0.9};
	static const double b[] = {0, 0.2, 0.4, 0.6, 0.8, 1};
	static const double c[] = {0, 2000, 4000, 6000};
	static const double d[] = {0, 0.05, 0.1, 0.15, 0.2};
	static const double e[] = {0, 0.05, 0.1, 0.15, 0.2};
	static const double f[] = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7};
	double lo, hi;

	check_ticks(0.613, 0.947, 5, a, 6);
	check_ticks(0, 1, 5, b, 6);
	check_ticks(0, 6000, 4, c, 4);
	check_ticks(-0.03, 0.21, 5, d, 5);
	check_ticks(0, 0.2, 5, e, 5);
	check_ticks(0, 0.7, 5, f, 8);
	CHECK_NEAR(fa_tick_step(0.613, 0.947, 5), 0.05, 1e-15);
	CHECK_INT(fa_tick_decimals(0.05), 2);
	CHECK_INT(fa_tick_decimals(0.2), 1);
	CHECK_INT(fa_tick_decimals(2000), 0);
	/* [0.613, 0.947] / 4 = 0.0835 -> 8.35 x 0.01 >= sqrt(50) -> 0.1: [0.6, 1] */
	lo = 0.613;
	hi = 0.947;
	fa_nice_extent(&lo, &hi, 4);
	CHECK(lo == 0.6);
	CHECK(hi == 1.0);
	/* already nice: unchanged */
	lo = 0.2;
	hi = 0.8;
	fa_nice_extent(&lo, &hi, 3);
	CHECK(lo == 0.2);
	CHECK(hi == 0.8);
	/* nothing to tick */
	CHECK_INT(fa_ticks(1, 1, 5, (double[4]){0}, 4), 0);
	CHECK_INT(fa_ticks(0, NAN, 5, (double[4]){0}, 4), 0);
}

/* A bottom axis over [0, 1] on [0, 200]: ticks every 0.2, i.e. every 40 px,
 * labelled with one decimal, each label under its tick. */
static void test_svg__axis_labels_under_ticks(void)
{
	fa_buf b = FA_BUF_INIT;
	fa_scale s;
	static const char *labels[] = {">0.0<", ">0.2<", ">0.4<", ">0.6<", ">0.8<", ">1.0<"};
	int i;

	fa_scale_init(&s, 0, 1, 0, 200);
	fa_svg_axis(&b, &s, FA_AXIS_BOTTOM, 100, 5, 60, "True positive rate");
	for (i = 0; i < 6; i++) {
		const char *lab = strstr(b.ptr, labels[i]), *t;
		char want[64];
		CHECK(lab != NULL);
		if (!lab)
			continue;
		/* the <text> that holds this label */
		for (t = lab; t > b.ptr && strncmp(t, "<text", 5) != 0; t--)
			;
		CHECK_NEAR(attr_after(t, "x", NULL), 40.0 * i, 1e-9);
		CHECK_NEAR(attr_after(t, "y", NULL), 115, 1e-9);
		/* a grid line from the axis up by 60 px at the same x */
		snprintf(want, sizeof(want),
		         "<line x1=\"%.1f\" y1=\"100.0\" x2=\"%.1f\" y2=\"40.0\" class=\"grid\"/>",
		         40.0 * i, 40.0 * i);
		CHECK(strstr(b.ptr, want) != NULL);
	}
	CHECK(strstr(b.ptr, ">True positive rate</text>") != NULL);
	CHECK_INT(count(b.ptr, "class=\"grid\""), 6);
	fa_buf_free(&b);
	/* a left axis over [0, 1] on [300, 0]: 0.4 is at y = 300 - 120 = 180 */
	fa_scale_init(&s, 0, 1, 300, 0);
	fa_svg_axis(&b, &s, FA_AXIS_LEFT, 50, 5, 0, NULL);
	{
		const char *lab = strstr(b.ptr, ">0.4<"), *t;
		CHECK(lab != NULL);
		if (lab) {
			for (t = lab; t > b.ptr && strncmp(t, "<text", 5) != 0; t--)
				;
			CHECK_NEAR(attr_after(t, "y", NULL), 184, 1e-9); /* baseline 4 px below */
			CHECK_NEAR(attr_after(t, "x", NULL), 43, 1e-9);
		}
	}
	CHECK_INT(count(b.ptr, "class=\"grid\""), 0);
	fa_buf_free(&b);
}

static void test_svg__escape(void)
{
	fa_buf b = FA_BUF_INIT;

	fa_svg_escape(&b, "<a&b>\"'");
	CHECK_STR(b.ptr, "&lt;a&amp;b&gt;&quot;&#39;");
	fa_buf_clear(&b);
	/* valid UTF-8 passes; a stray byte becomes U+FFFD; controls go */
	fa_svg_escape(&b, "caf\xC3\xA9 \xFF x\x01y\tz");
	CHECK_STR(b.ptr, "caf\xC3\xA9 \xEF\xBF\xBD xy\tz");
	fa_buf_clear(&b);
	/* a UTF-16 surrogate in UTF-8 form and U+FFFE are not XML characters */
	fa_svg_escape(&b, "a\xED\xA0\x80"
	                  "b\xEF\xBF\xBE");
	CHECK(strstr(b.ptr, "\xED") == NULL);
	CHECK(strstr(b.ptr, "\xEF\xBF\xBE") == NULL);
	CHECK(b.ptr[0] == 'a' && strchr(b.ptr, 'b') != NULL);
	fa_buf_clear(&b);
	/* a truncated sequence at the end */
	fa_svg_escape(&b, "ok\xC3");
	CHECK_STR(b.ptr, "ok\xEF\xBF\xBD");
	fa_buf_clear(&b);
	fa_svg_escape_cut(&b, "abcdefgh", 5);
	CHECK_STR(b.ptr, "abcd\xE2\x80\xA6");
	fa_buf_clear(&b);
	fa_svg_escape_cut(&b, "abcde", 5);
	CHECK_STR(b.ptr, "abcde");
	fa_buf_clear(&b);
	fa_svg_escape_cut(&b, "\xC3\xA9\xC3\xA9\xC3\xA9<", 3);
	CHECK_STR(b.ptr, "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
	CHECK_INT(fa_svg_strlen("n\xC3\xA9"), 2);
	fa_buf_free(&b);
}

static void test_svg__accessible_root(void)
{
	fa_buf b = FA_BUF_INIT;
	fa_svg_begin(&b, 300, 200.5, "roc", "ROC of \"site\" <A&B>", "t", "d & e");
	fa_svg_end(&b);
	CHECK_STR(b.ptr,
	          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300.0\" height=\"200.5\" "
	          "viewBox=\"0 0 300.0 200.5\" role=\"img\" class=\"roc\" "
	          "aria-label=\"ROC of &quot;site&quot; &lt;A&amp;B&gt;\"><title>t</title>"
	          "<desc>d &amp; e</desc>\n</svg>\n");
	fa_buf_free(&b);
}

static void test_svg__numbers(void)
{
	fa_buf b = FA_BUF_INIT;
	fa_svg_num(&b, -0.04);
	fa_buf_putc(&b, ' ');
	fa_svg_num(&b, 12.25);
	fa_buf_putc(&b, ' ');
	fa_svg_num(&b, NAN);
	CHECK_STR(b.ptr, "0.0 12.2 0.0");
	fa_buf_free(&b);
}

test_case test_svg__cases[] = {
    {"svg/scale_maps_values", test_svg__scale_maps_values},
    {"svg/clamp_to_axis", test_svg__clamp_to_axis},
    {"svg/interval_from_low_to_high", test_svg__interval_from_low_to_high},
    {"svg/interval_clipped_to_axis", test_svg__interval_clipped_to_axis},
    {"svg/polyline_clamped", test_svg__polyline_clamped},
    {"svg/ticks_at_nice_numbers", test_svg__ticks_at_nice_numbers},
    {"svg/axis_labels_under_ticks", test_svg__axis_labels_under_ticks},
    {"svg/escape", test_svg__escape},
    {"svg/accessible_root", test_svg__accessible_root},
    {"svg/numbers", test_svg__numbers},
    {NULL, NULL},
};
