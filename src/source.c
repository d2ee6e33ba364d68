/* source.c: raw bytes -> (SHA-256) -> (gzip inflate) -> text lines.
 *
 * Memory use is bounded by the line limit: text is decoded into a buffer
 * that holds the current line and grows only while a line is longer than
 * the buffer, and a line is refused as soon as it passes the limit. */
#include "source.h"

#include "table_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_CHUNK (1u << 18)
#define TEXT_START (1u << 16)
#define QDEPTH 4
#define QCHUNK (1u << 20)

struct fa_source {
	const char *display;
	int fd;
	int own_fd;
	/* raw bytes: from memory in place, otherwise read into `rawbuf` */
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	unsigned char *rawbuf;
	const unsigned char *raw;
	size_t raw_len, raw_pos;
	int raw_eof;
	int sniffed, gz;
	z_stream zs;
	int z_ready, z_member_done;
	struct sha256_ctx sha;
	size_t bytes;
	/* decoded text; [text_start, text_end) is not yet consumed */
	char *text;
	size_t text_start, text_end, text_cap, scan;
	int text_eof;
	int bom_checked;
	unsigned long lineno; /* lines consumed so far */
	/* a regular file is read and decompressed by a thread of its own,
	 * a few chunks ahead of the parser */
	int threaded;
	int in_thread;        /* set while the reader thread decodes */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t nonempty, nonfull;
	struct qitem {
		char *buf;
		size_t len, used;
		int code;     /* 0 data, 1 end of input, < 0 an error */
		fa_error err; /* for an error: the message, without a position */
	} q[QDEPTH];
	int qhead, qcount;
	int stop;
};

static void start_reader(fa_source *s);
static void stop_reader(fa_source *s);

static fa_source *source_new(const char *display)
{
	fa_source *s = fa_xcalloc(1, sizeof(*s));
	s->display = display;
	s->fd = -1;
	s->text_cap = TEXT_START;
	s->text = fa_xmalloc(s->text_cap + 1);
	sha256_init(&s->sha);
	return s;
}

int fa_source_open_path(fa_source **out, const char *path, const char *display,
			fa_error *err)
{
	fa_source *s;
	int fd, own = 0;

	*out = NULL;
	if (strcmp(path, "-") == 0) {
		fd = 0;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fa_error_set(err, FA_EIO, display, 0, 0, "cannot open: %s",
					    strerror(errno));
		own = 1;
	}
	s = source_new(display);
	s->fd = fd;
	s->own_fd = own;
	s->rawbuf = fa_xmalloc(RAW_CHUNK);
	start_reader(s);
	*out = s;
	return 0;
}

int fa_source_open_memory(fa_source **out, const void *data, size_t len,
			  const char *display, fa_error *err)
{
	fa_source *s = source_new(display);
	static const unsigned char none[1];

	(void)err;
	s->mem = data && len ? data : none;
	s->mem_len = data ? len : 0;
	*out = s;
	return 0;
}

void fa_source_close(fa_source *s)
{
	if (!s)
		return;
	stop_reader(s);
	if (s->own_fd)
		close(s->fd);
	if (s->z_ready)
		inflateEnd(&s->zs);
	free(s->rawbuf);
	free(s->text);
	free(s);
}

/* Where the decoded text ends so far, as a 1-based line and column: the
 * position a decoding error refers to. */
static void text_end_pos(const fa_source *s, unsigned long *line, unsigned long *col)
{
	const char *p = s->text + s->text_start, *end = s->text + s->text_end, *nl;

	*line = s->lineno + 1;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		++*line;
		p = nl + 1;
	}
	*col = fa_utf8_columns(p, (size_t)(end - p)) + 1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int decode_error(fa_source *s, fa_error *err, const char *fmt, ...)
{
	unsigned long line, col;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->in_thread) /* the parser's side adds the position */
		return fa_error_set(err, FA_EINPUT, s->display, 0, 0, "%s", msg);
	text_end_pos(s, &line, &col);
	return fa_error_set(err, FA_EINPUT, s->display, line, col, "%s", msg);
}

/* read(2) into `buf`, retrying on EINTR. Returns bytes read or a status. */
static long read_fd(fa_source *s, unsigned char *buf, size_t n, fa_error *err)
{
	ssize_t r;
	do
		r = read(s->fd, buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return fa_error_set(err, FA_EIO, s->display, 0, 0, "read failed: %s",
				    strerror(errno));
	if (r > 0) {
		sha256_update(&s->sha, (size_t)r, buf);
		s->bytes += (size_t)r;
	}
	return (long)r;
}

/* Make the next raw bytes available; sets raw_eof at the end. */
static int raw_fill(fa_source *s, fa_error *err)
{
	size_t n;

	s->raw_pos = 0;
	s->raw_len = 0;
	if (s->mem) {
		n = s->mem_len - s->mem_pos;
		if (n > RAW_CHUNK)
			n = RAW_CHUNK;
		s->raw = s->mem + s->mem_pos;
		s->mem_pos += n;
		if (n) {
			sha256_update(&s->sha, n, s->raw);
			s->bytes += n;
		}
	} else {
		long r = read_fd(s, s->rawbuf, RAW_CHUNK, err);
		if (r < 0)
			return (int)r;
		s->raw = s->rawbuf;
		n = (size_t)r;
	}
	if (n == 0)
		s->raw_eof = 1;
	s->raw_len = n;
	return 0;
}

/* Decode more text into `dst` (room for `room` > 0 bytes). `*added` is 0
 * only at the end of the input. */
static int decode_into(fa_source *s, char *dst, size_t room, size_t *added, fa_error *err)
{
	int rc;

	*added = 0;
	for (;;) {
		if (s->raw_pos == s->raw_len && !s->raw_eof) {
			if ((rc = raw_fill(s, err)) < 0)
				return rc;
		}
		if (!s->sniffed) {
			/* gzip's two magic bytes may come in two reads of a pipe */
			while (!s->mem && s->raw_len == 1 && !s->raw_eof) {
				long r = read_fd(s, s->rawbuf + 1, RAW_CHUNK - 1, err);
				if (r < 0)
					return (int)r;
				if (r == 0)
					s->raw_eof = 1;
				s->raw_len += (size_t)r;
			}
			s->sniffed = 1;
			if (s->raw_len >= 2 && s->raw[0] == 0x1f && s->raw[1] == 0x8b) {
				s->gz = 1;
				memset(&s->zs, 0, sizeof(s->zs));
				if (inflateInit2(&s->zs, 15 + 16) != Z_OK)
					return fa_error_set(err, FA_EIO, s->display, 0, 0,
							    "cannot start gzip decompression");
				s->z_ready = 1;
			}
		}
		if (!s->gz) {
			size_t n = s->raw_len - s->raw_pos;
			if (n == 0)
				return 0; /* raw_eof */
			if (n > room)
				n = room;
			memcpy(dst, s->raw + s->raw_pos, n);
			s->raw_pos += n;
			*added = n;
			return 0;
		}
		if (s->raw_pos == s->raw_len) {
			/* raw_eof */
			if (!s->z_member_done)
				return decode_error(s, err,
						    "truncated gzip data: the compressed stream ends before its end marker");
			return 0;
		}
		if (s->z_member_done) {
			/* Another gzip member follows (concatenated .gz files). */
			if (s->raw[s->raw_pos] != 0x1f)
				return decode_error(s, err,
						    "trailing bytes after the gzip data (from byte %zu of the file)",
						    s->bytes - (s->raw_len - s->raw_pos) + 1);
			inflateReset(&s->zs);
			s->z_member_done = 0;
		}
		s->zs.next_in = (Bytef *)(s->raw + s->raw_pos);
		s->zs.avail_in = (uInt)(s->raw_len - s->raw_pos);
		s->zs.next_out = (Bytef *)dst;
		s->zs.avail_out = (uInt)room;
		rc = inflate(&s->zs, Z_NO_FLUSH);
		s->raw_pos = s->raw_len - s->zs.avail_in;
		*added = room - s->zs.avail_out;
		if (rc == Z_STREAM_END) {
			s->z_member_done = 1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			if (s->in_thread) /* *added: the text before the damage */
				return decode_error(s, err, "corrupt gzip data: %s",
						    s->zs.msg ? s->zs.msg : zError(rc));
			/* report the text that did decode before the damage */
			s->text_end += *added;
			rc = decode_error(s, err, "corrupt gzip data: %s",
					  s->zs.msg ? s->zs.msg : zError(rc));
			s->text_end -= *added;
			*added = 0;
			return rc;
		}
		if (*added)
			return 0;
	}
}

static void *reader_main(void *arg)
{
	fa_source *s = arg;
	int done = 0;

	while (!done) {
		struct qitem *it;
		size_t fill = 0;
		int rc = 0;
		pthread_mutex_lock(&s->mu);
		while (s->qcount == QDEPTH && !s->stop)
			pthread_cond_wait(&s->nonfull, &s->mu);
		if (s->stop) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		it = &s->q[(s->qhead + s->qcount) % QDEPTH];
		pthread_mutex_unlock(&s->mu);
		/* the slot is ours until it is counted */
		it->code = 0;
		while (fill < QCHUNK) {
			size_t added = 0;
			rc = decode_into(s, it->buf + fill, QCHUNK - fill, &added, &it->err);
			fill += added;
			if (rc < 0 || added == 0)
				break;
		}
		it->len = fill;
		it->used = 0;
		if (rc < 0) {
			it->code = rc;
			done = 1;
		} else if (fill < QCHUNK) {
			it->code = 1; /* the end of the input */
			done = 1;
		}
		pthread_mutex_lock(&s->mu);
		s->qcount++;
		pthread_cond_signal(&s->nonempty);
		pthread_mutex_unlock(&s->mu);
	}
	return NULL;
}

static void start_reader(fa_source *s)
{
	struct stat st;
	int i;

	if (s->mem || fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (1 << 20))
		return;
	for (i = 0; i < QDEPTH; i++)
		s->q[i].buf = fa_xmalloc(QCHUNK);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->nonempty, NULL);
	pthread_cond_init(&s->nonfull, NULL);
	s->in_thread = 1;
	if (pthread_create(&s->th, NULL, reader_main, s) != 0) {
		s->in_thread = 0;
		for (i = 0; i < QDEPTH; i++)
			free(s->q[i].buf);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->nonempty);
		pthread_cond_destroy(&s->nonfull);
		return;
	}
	s->threaded = 1;
}

static void stop_reader(fa_source *s)
{
	int i;

	if (!s->threaded)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_signal(&s->nonfull);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->th, NULL);
	s->threaded = 0;
	s->in_thread = 0;
	for (i = 0; i < QDEPTH; i++)
		free(s->q[i].buf);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->nonempty);
	pthread_cond_destroy(&s->nonfull);
}

/* The next decoded text, from the reader thread when there is one. */
static int decode_more(fa_source *s, size_t room, size_t *added, fa_error *err)
{
	struct qitem *it;
	size_t n;

	if (!s->threaded)
		return decode_into(s, s->text + s->text_end, room, added, err);
	*added = 0;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->qcount == 0)
			pthread_cond_wait(&s->nonempty, &s->mu);
		it = &s->q[s->qhead];
		pthread_mutex_unlock(&s->mu);
		if (it->used < it->len) {
			n = it->len - it->used;
			if (n > room)
				n = room;
			memcpy(s->text + s->text_end, it->buf + it->used, n);
			it->used += n;
			*added = n;
			return 0;
		}
		if (it->code != 0) {
			/* the end, or an error after the text before it */
			int code = it->code;
			if (code < 0) {
				unsigned long line = 0, col = 0;
				if (code == FA_EINPUT)
					text_end_pos(s, &line, &col);
				fa_error_set(err, code, s->display, line, col, "%s", it->err.message);
				return code;
			}
			return 0;
		}
		pthread_mutex_lock(&s->mu);
		s->qhead = (s->qhead + 1) % QDEPTH;
		s->qcount--;
		pthread_cond_signal(&s->nonfull);
		pthread_mutex_unlock(&s->mu);
	}
}

/* Buffer more text after text_end, or set text_eof. */
static int text_more(fa_source *s, fa_error *err)
{
	size_t added = 0;
	int rc;

	if (s->text_eof)
		return 0;
	if (s->text_start > 0 && s->text_end == s->text_cap) {
		memmove(s->text, s->text + s->text_start, s->text_end - s->text_start);
		s->text_end -= s->text_start;
		s->scan -= s->text_start;
		s->text_start = 0;
	}
	if (s->text_end == s->text_cap) {
		s->text_cap *= 2;
		s->text = fa_xrealloc(s->text, s->text_cap + 1);
	}
	rc = decode_more(s, s->text_cap - s->text_end, &added, err);
	if (rc < 0)
		return rc;
	if (added == 0)
		s->text_eof = 1;
	s->text_end += added;
	return 0;
}

static int check_bom(fa_source *s, fa_error *err)
{
	int rc;
	const unsigned char *t;

	if (s->bom_checked)
		return 0;
	s->bom_checked = 1;
	while (!s->text_eof && s->text_end - s->text_start < 3)
		if ((rc = text_more(s, err)) < 0)
			return rc;
	t = (const unsigned char *)s->text + s->text_start;
	if (s->text_end - s->text_start >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF) {
		s->text_start += 3;
		s->scan = s->text_start;
	} else if (s->text_end - s->text_start >= 2 &&
		   ((t[0] == 0xFF && t[1] == 0xFE) || (t[0] == 0xFE && t[1] == 0xFF))) {
		return fa_error_set(err, FA_EINPUT, s->display, 1, 1,
				    "the text is UTF-16 (byte-order mark %02X %02X); convert the file to UTF-8",
				    (unsigned)t[0], (unsigned)t[1]);
	}
	return 0;
}

/* The line starting at text_start is longer than `max_len` bytes. */
static int line_too_long(fa_source *s, size_t max_len, fa_error *err)
{
	/* the column of the first character past the limit */
	unsigned long col = fa_utf8_columns(s->text + s->text_start, max_len) + 1;
	return fa_error_set(err, FA_EINPUT, s->display, s->lineno + 1, col,
			    "line longer than %zu bytes, the limit for one line or record",
			    max_len);
}

int fa_source_next_line(fa_source *s, const char **line, size_t *len,
			unsigned long *lineno, size_t max_len, fa_error *err)
{
	int rc;

	if ((rc = check_bom(s, err)) < 0)
		return rc;
	for (;;) {
		char *nl = memchr(s->text + s->scan, '\n', s->text_end - s->scan);
		if (nl) {
			size_t start = s->text_start, n = (size_t)(nl - (s->text + start));
			if (max_len && n > max_len)
				return line_too_long(s, max_len, err);
			*line = s->text + start;
			*len = n;
			s->text_start = s->scan = (size_t)(nl - s->text) + 1;
			*lineno = ++s->lineno;
			return 1;
		}
		s->scan = s->text_end;
		if (max_len && s->text_end - s->text_start > max_len)
			return line_too_long(s, max_len, err);
		if (s->text_eof) {
			if (s->text_start == s->text_end)
				return 0;
			*line = s->text + s->text_start;
			*len = s->text_end - s->text_start;
			s->text_start = s->scan = s->text_end;
			*lineno = ++s->lineno;
			return 1;
		}
		if ((rc = text_more(s, err)) < 0)
			return rc;
	}
}

int fa_source_peek(fa_source *s, size_t max_len, fa_error *err)
{
	int rc;
	size_t i;

	if ((rc = check_bom(s, err)) < 0)
		return rc;
	for (i = s->text_start;; i++) {
		char c;
		while (i >= s->text_end) {
			if (s->text_eof)
				return -1;
			if (max_len && s->text_end - s->text_start > max_len)
				return line_too_long(s, max_len, err);
			/* text_more may move the unconsumed text to the front */
			i -= s->text_start;
			if ((rc = text_more(s, err)) < 0)
				return rc;
			i += s->text_start;
		}
		c = s->text[i];
		if (c == '\n') {
			/* a blank line: consume it, so blank input cannot pile up */
			s->text_start = s->scan = i + 1;
			s->lineno++;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return (unsigned char)c;
		}
	}
}

int fa_source_is_gzip(const fa_source *s) { return s->gz; }
size_t fa_source_bytes(const fa_source *s) { return s->bytes; }

int fa_source_finish(fa_source *s, char hex[65], fa_error *err)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	int rc, i;

	/* Drain whatever the parser did not need, so the digest and the gzip
	 * integrity check cover the whole input. */
	while (!s->text_eof) {
		s->text_start = s->scan = s->text_end = 0;
		if ((rc = text_more(s, err)) < 0)
			return rc;
	}
	/* the reader has sent the end: it has hashed every byte */
	stop_reader(s);
	sha256_digest(&s->sha, sizeof(digest), digest);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return 0;
}
