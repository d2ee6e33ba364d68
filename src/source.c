/* source.c: raw bytes -> (SHA-256) -> (gzip inflate) -> text lines. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_CHUNK (1u << 18)

struct fa_source {
	const char *display;
	int fd;
	int own_fd;
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	unsigned char *raw;
	size_t raw_len, raw_pos;
	int raw_eof;
	int sniffed, gz;
	z_stream zs;
	int z_ready, z_member_done;
	struct sha256_ctx sha;
	size_t bytes;
	/* decoded text */
	char *text;
	size_t text_start, text_end, text_cap, scan;
	int text_eof;
	int bom_checked;
	unsigned long lineno;
};

static int source_init(fa_source *s, const char *display)
{
	s->display = display;
	s->raw = fa_xmalloc(RAW_CHUNK);
	s->text_cap = RAW_CHUNK * 4;
	s->text = fa_xmalloc(s->text_cap + 1);
	sha256_init(&s->sha);
	return 0;
}

int fa_source_open_path(fa_source **out, const char *path, const char *display,
			fa_error *err)
{
	fa_source *s;
	int fd;

	*out = NULL;
	if (strcmp(path, "-") == 0) {
		fd = 0;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fa_error_set(err, FA_EIO, display, 0, 0, "cannot open: %s",
					    strerror(errno));
	}
	s = fa_xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->own_fd = fd != 0;
	source_init(s, display);
	*out = s;
	return 0;
}

int fa_source_open_memory(fa_source **out, const void *data, size_t len,
			  const char *display, fa_error *err)
{
	fa_source *s = fa_xcalloc(1, sizeof(*s));
	(void)err;
	s->fd = -1;
	s->mem = data;
	s->mem_len = len;
	source_init(s, display);
	*out = s;
	return 0;
}

void fa_source_close(fa_source *s)
{
	if (!s)
		return;
	if (s->own_fd)
		close(s->fd);
	if (s->z_ready)
		inflateEnd(&s->zs);
	free(s->raw);
	free(s->text);
	free(s);
}

/* Fill s->raw with the next raw bytes; sets raw_eof at the end. */
static int raw_fill(fa_source *s, fa_error *err)
{
	size_t n;

	s->raw_pos = 0;
	s->raw_len = 0;
	if (s->mem) {
		n = s->mem_len - s->mem_pos;
		if (n > RAW_CHUNK)
			n = RAW_CHUNK;
		memcpy(s->raw, s->mem + s->mem_pos, n);
		s->mem_pos += n;
	} else {
		ssize_t r;
		do
			r = read(s->fd, s->raw, RAW_CHUNK);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return fa_error_set(err, FA_EIO, s->display, 0, 0, "read failed: %s",
					    strerror(errno));
		n = (size_t)r;
	}
	if (n == 0) {
		s->raw_eof = 1;
		return 0;
	}
	sha256_update(&s->sha, n, s->raw);
	s->bytes += n;
	s->raw_len = n;
	return 0;
}

/* Append decoded text to s->text (which has room for `room` bytes at
 * text_end). Returns bytes added; 0 only at the end of input. */
static int decode_more(fa_source *s, size_t room, size_t *added, fa_error *err)
{
	int rc;

	*added = 0;
	for (;;) {
		if (s->raw_pos == s->raw_len && !s->raw_eof) {
			if ((rc = raw_fill(s, err)) < 0)
				return rc;
		}
		if (!s->sniffed) {
			if (s->raw_len == 0 && s->raw_eof) {
				s->sniffed = 1;
				return 0;
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
			memcpy(s->text + s->text_end, s->raw + s->raw_pos, n);
			s->raw_pos += n;
			*added = n;
			return 0;
		}
		if (s->raw_pos == s->raw_len) {
			/* raw_eof */
			if (!s->z_member_done)
				return fa_error_set(err, FA_EINPUT, s->display, 0, 0,
						    "truncated gzip stream: the compressed data ends before the end of the gzip member");
			return 0;
		}
		if (s->z_member_done) {
			/* Another gzip member follows (concatenated .gz files). */
			if (s->raw[s->raw_pos] != 0x1f)
				return fa_error_set(err, FA_EINPUT, s->display, 0, 0,
						    "trailing garbage after the gzip stream at byte %zu",
						    s->bytes - (s->raw_len - s->raw_pos) + 1);
			inflateReset(&s->zs);
			s->z_member_done = 0;
		}
		s->zs.next_in = s->raw + s->raw_pos;
		s->zs.avail_in = (uInt)(s->raw_len - s->raw_pos);
		s->zs.next_out = (Bytef *)s->text + s->text_end;
		s->zs.avail_out = (uInt)room;
		rc = inflate(&s->zs, Z_NO_FLUSH);
		s->raw_pos = s->raw_len - s->zs.avail_in;
		*added = room - s->zs.avail_out;
		if (rc == Z_STREAM_END) {
			s->z_member_done = 1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			return fa_error_set(err, FA_EINPUT, s->display, 0, 0,
					    "corrupt gzip stream: %s",
					    s->zs.msg ? s->zs.msg : zError(rc));
		}
		if (*added)
			return 0;
	}
}

/* Make sure at least one more byte of text is buffered beyond `scan`, or
 * set text_eof. */
static int text_more(fa_source *s, size_t max_len, fa_error *err)
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
		if (max_len && s->text_cap > max_len + 2)
			return fa_error_set(err, FA_EINPUT, s->display, s->lineno + 1, 0,
					    "line longer than %zu bytes", max_len);
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

	if (s->bom_checked)
		return 0;
	while (!s->text_eof && s->text_end - s->text_start < 3)
		if ((rc = text_more(s, 0, err)) < 0)
			return rc;
	if (s->text_end - s->text_start >= 3 &&
	    memcmp(s->text + s->text_start, "\xEF\xBB\xBF", 3) == 0) {
		s->text_start += 3;
		s->scan = s->text_start;
	}
	s->bom_checked = 1;
	return 0;
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
			size_t start = s->text_start;
			*line = s->text + start;
			*len = (size_t)(nl - (s->text + start));
			s->text_start = s->scan = (size_t)(nl - s->text) + 1;
			*lineno = ++s->lineno;
			if (max_len && *len > max_len)
				return fa_error_set(err, FA_EINPUT, s->display, *lineno, 0,
						    "line longer than %zu bytes", max_len);
			return 1;
		}
		s->scan = s->text_end;
		if (s->text_eof) {
			if (s->text_start == s->text_end)
				return 0;
			*line = s->text + s->text_start;
			*len = s->text_end - s->text_start;
			s->text_start = s->scan = s->text_end;
			*lineno = ++s->lineno;
			return 1;
		}
		if ((rc = text_more(s, max_len, err)) < 0)
			return rc;
	}
}

int fa_source_peek(fa_source *s, fa_error *err)
{
	int rc;
	size_t i;

	if ((rc = check_bom(s, err)) < 0)
		return rc;
	for (i = s->text_start;; i++) {
		while (i >= s->text_end) {
			if (s->text_eof)
				return -1;
			if ((rc = text_more(s, 0, err)) < 0)
				return rc;
		}
		if (s->text[i] != ' ' && s->text[i] != '\t' && s->text[i] != '\r' &&
		    s->text[i] != '\n')
			return (unsigned char)s->text[i];
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
		if ((rc = text_more(s, 0, err)) < 0)
			return rc;
	}
	sha256_digest(&s->sha, sizeof(digest), digest);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return 0;
}
