/*
 * svg.h: the small SVG vocabulary the HTML report draws its charts with:
 * linear scales, ticks at nice numbers, axes, intervals clipped to their
 * axis, and XML escaping. Internal to the library.
 *
 * Everything writes into an fa_buf. Coordinates are pixels in the SVG's
 * own viewBox, written with one decimal.
 */
#ifndef FA_SVG_H
#define FA_SVG_H

#include "fairaudit/common.h"

/* A linear map from the domain [d0, d1] to the pixel range [r0, r1]. The
 * range may run backwards (r0 > r1), as a y axis does. */
typedef struct fa_scale {
	double d0, d1;
	double r0, r1;
} fa_scale;

void fa_scale_init(fa_scale *s, double d0, double d1, double r0, double r1);
/* The pixel of `v`, without clamping (so values outside the domain map
 * outside the range). */
double fa_scale_map(const fa_scale *s, double v);
/* The pixel of `v` clamped into the domain first: a value beyond an end of
 * the axis lands on that end. */
double fa_scale_clamp(const fa_scale *s, double v);
/* -1 when `v` lies below the domain, 1 above it, 0 inside (NaN: 0). */
int fa_scale_side(const fa_scale *s, double v);

/* ## Ticks
 *
 * The step between about `count` ticks over [lo, hi]: 1, 2 or 5 times a
 * power of ten. */
double fa_tick_step(double lo, double hi, int count);
/* The multiples of that step inside [lo, hi], ascending, at most `max` of
 * them into `out`; returns how many. Each tick is computed from its integer
 * multiple, so 0.3 is 0.3 and not 0.30000000000000004. */
size_t fa_ticks(double lo, double hi, int count, double *out, size_t max);
/* Widen [*lo, *hi] outwards to multiples of its tick step. */
void fa_nice_extent(double *lo, double *hi, int count);
/* Decimals needed to write ticks `step` apart (0.05 -> 2, 10 -> 0). */
int fa_tick_decimals(double step);

/* ## Output */

/* Append `s` escaped as XML text or attribute value: & < > " ' become
 * references, bytes that are not valid UTF-8 become U+FFFD, and control
 * characters XML 1.0 forbids are dropped. */
void fa_svg_escape(fa_buf *b, const char *s);
/* Like fa_svg_escape, but at most `max` characters, ending in an ellipsis
 * when cut. */
void fa_svg_escape_cut(fa_buf *b, const char *s, size_t max);
/* Characters (code points) in the UTF-8 string `s`. */
size_t fa_svg_strlen(const char *s);
/* Append a coordinate with one decimal ("-0.0" written as "0.0"). */
void fa_svg_num(fa_buf *b, double v);

/* Open an <svg> of `w` x `h` pixels with role="img", the accessible name
 * `label`, and <title> and <desc> children. `cls` is its class. */
void fa_svg_begin(fa_buf *b, double w, double h, const char *cls, const char *label,
                  const char *title, const char *desc);
void fa_svg_end(fa_buf *b);

typedef enum fa_axis_side {
	FA_AXIS_BOTTOM = 0, /* a horizontal axis, labels below */
	FA_AXIS_LEFT        /* a vertical axis, labels to the left */
} fa_axis_side;

/* Draw the axis of `s` at pixel `at` (its y for a bottom axis, its x for a
 * left one) with about `count` ticks at nice numbers and their labels; when
 * `grid` > 0, a faint grid line of that length at each tick, towards the
 * plot. `label` (may be NULL) is written centred beyond the tick labels. */
void fa_svg_axis(fa_buf *b, const fa_scale *s, fa_axis_side side, double at, int count, double grid,
                 const char *label);

/* A horizontal interval [lo, hi] at height `y` on scale `x`, with short end
 * caps. An end beyond the axis is clipped to the axis and drawn as an arrow
 * head instead of a cap, so the reader sees it continues. `attrs` are extra
 * attributes of the <g> (e.g. class and stroke), written as given. Returns
 * a bit set: 1 when the low end was clipped, 2 when the high end was. */
int fa_svg_hinterval(fa_buf *b, const fa_scale *x, double lo, double hi, double y,
                     const char *attrs);

/* A polyline through (xs[i], ys[i]) mapped by the scales, each point
 * clamped into its domain. `attrs` as above. */
void fa_svg_polyline(fa_buf *b, const fa_scale *x, const fa_scale *y, const double *xs,
                     const double *ys, size_t n, const char *attrs);

/* Plain shapes at pixel positions; `attrs` as above. */
void fa_svg_line(fa_buf *b, double x1, double y1, double x2, double y2, const char *attrs);
void fa_svg_rect(fa_buf *b, double x, double y, double w, double h, const char *attrs);
void fa_svg_circle(fa_buf *b, double cx, double cy, double r, const char *attrs);
/* A marker of shape `shape` (0 circle, 1 square, 2 triangle, 3 diamond)
 * centred at (cx, cy) with radius about `r`. */
void fa_svg_marker(fa_buf *b, int shape, double cx, double cy, double r, const char *attrs);
/* Text `s` (escaped) at (x, y); `anchor` is "start", "middle" or "end". */
void fa_svg_text(fa_buf *b, double x, double y, const char *anchor, const char *attrs,
                 const char *s);

#endif
