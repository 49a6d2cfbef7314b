/* Receipt printers: the interface, and the fd transports (lp, tcp, file).
 * The USB transport is in printer_usb.c. */
#include "drivers/printer_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const char *printer_rc_name(enum printer_rc rc)
{
	static const char *const names[] = {
		[PRINTER_OK] = "ok", [PRINTER_BADSPEC] = "bad printer setting",
		[PRINTER_ABSENT] = "absent", [PRINTER_BUSY] = "busy",
		[PRINTER_ACCESS] = "permission denied", [PRINTER_TIMEOUT] = "timeout",
		[PRINTER_GONE] = "gone", [PRINTER_IO] = "i/o error",
		[PRINTER_UNSUPPORTED] = "unsupported", [PRINTER_NOMEM] = "out of memory",
	};

	return (unsigned)rc < sizeof names / sizeof names[0] ? names[rc] : "?";
}

enum printer_rc printer_fail(struct printer *p, enum printer_rc rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof p->err, fmt, ap);
	va_end(ap);
	return rc;
}

/* errno after open() or connect() as a result code. */
static enum printer_rc errno_rc(int e)
{
	switch (e) {
	case ENOENT: case ENXIO: case ENODEV: case ECONNREFUSED:
	case EHOSTUNREACH: case ENETUNREACH:
		return PRINTER_ABSENT;
	case EACCES: case EPERM:
		return PRINTER_ACCESS;
	case EBUSY:
		return PRINTER_BUSY;
	case ETIMEDOUT:
		return PRINTER_TIMEOUT;
	case EPIPE: case ECONNRESET: case ESHUTDOWN:
		return PRINTER_GONE;
	default:
		return PRINTER_IO;
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on p->fd for up to ms; 1 ready, 0 timed out, -1 error. */
static int fd_wait(struct printer *p, short events, int ms)
{
	int64_t until = now_ms() + ms;

	for (;;) {
		struct pollfd pfd = { .fd = p->fd, .events = events };
		int64_t left = until - now_ms();
		int r;

		if (left < 0)
			left = 0;
		r = poll(&pfd, 1, (int)left);
		if (r > 0)
			return (pfd.revents & (events | POLLHUP | POLLERR)) ? 1 : 0;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/* ---- fd transports: write and read with timeouts --------------------------- */

/* sock: send() without SIGPIPE (a printer switched off mid-receipt must
 * not kill the till); write() for device nodes. */
static enum printer_rc fd_put(struct printer *p, const uint8_t *buf, size_t n, bool sock)
{
	while (n > 0) {
		ssize_t w;
		int r = fd_wait(p, POLLOUT, p->opts.stall_ms);

		if (r == 0)
			return printer_fail(p, PRINTER_TIMEOUT,
			                    "%s: the printer took no data for %d ms", p->spec, p->opts.stall_ms);
		if (r < 0)
			return printer_fail(p, PRINTER_IO, "%s: poll: %s", p->spec, strerror(errno));
		w = sock ? send(p->fd, buf, n, MSG_NOSIGNAL) : write(p->fd, buf, n);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return printer_fail(p, errno_rc(errno) == PRINTER_IO ? PRINTER_GONE : errno_rc(errno),
			                    "%s: %s", p->spec, strerror(errno));
		}
		buf += w;
		n -= (size_t)w;
	}
	return PRINTER_OK;
}

static enum printer_rc lp_write(struct printer *p, const uint8_t *buf, size_t n)
{
	return fd_put(p, buf, n, false);
}

static enum printer_rc tcp_write(struct printer *p, const uint8_t *buf, size_t n)
{
	return fd_put(p, buf, n, true);
}

static enum printer_rc fd_read_byte(struct printer *p, uint8_t *b)
{
	for (;;) {
		int r = fd_wait(p, POLLIN, p->opts.answer_ms);
		ssize_t got;

		if (r == 0)
			return printer_fail(p, PRINTER_TIMEOUT, "%s: no status answer within %d ms",
			                    p->spec, p->opts.answer_ms);
		if (r < 0)
			return printer_fail(p, PRINTER_IO, "%s: poll: %s", p->spec, strerror(errno));
		got = read(p->fd, b, 1);
		if (got == 1)
			return PRINTER_OK;
		if (got == 0)
			return printer_fail(p, PRINTER_GONE, "%s: connection closed by the printer", p->spec);
		if (errno == EAGAIN || errno == EINTR)
			continue;
		if (errno == EINVAL || errno == EBADF)
			return printer_fail(p, PRINTER_UNSUPPORTED, "%s: cannot read status", p->spec);
		return printer_fail(p, errno_rc(errno), "%s: %s", p->spec, strerror(errno));
	}
}

static void fd_close(struct printer *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

/* ---- file: append ----------------------------------------------------------- */

static enum printer_rc file_open(struct printer *p, const char *path)
{
	if (!*path)
		return printer_fail(p, PRINTER_BADSPEC, "file: needs a path");
	p->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (p->fd < 0)
		return printer_fail(p, errno_rc(errno), "%s: %s", path, strerror(errno));
	return PRINTER_OK;
}

static enum printer_rc file_write(struct printer *p, const uint8_t *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(p->fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return printer_fail(p, PRINTER_IO, "%s: %s", p->spec, strerror(errno));
		buf += w;
		n -= (size_t)w;
	}
	return PRINTER_OK;
}

static bool path_valid(const char *arg)
{
	return *arg != '\0';
}

static const struct printer_ops file_ops = {
	"file", file_open, path_valid, file_write, NULL, NULL, fd_close,
};

/* ---- lp: the kernel's usblp node -------------------------------------------- */

/* Read-write when the node allows it (bidirectional printers answer status
 * through read), else write only. Non-blocking: a printer that stops
 * taking data shows as a poll timeout, not a hung write. */
static enum printer_rc lp_open(struct printer *p, const char *path)
{
	if (!*path)
		return printer_fail(p, PRINTER_BADSPEC, "lp: needs a device path");
	p->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (p->fd < 0 && (errno == EACCES || errno == EINVAL || errno == EROFS))
		p->fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (p->fd < 0)
		return printer_fail(p, errno_rc(errno), "%s: %s", path, strerror(errno));
	return PRINTER_OK;
}

static enum printer_rc lp_read_byte(struct printer *p, uint8_t *b)
{
	int fl = fcntl(p->fd, F_GETFL);

	if (fl >= 0 && (fl & O_ACCMODE) == O_WRONLY)
		return printer_fail(p, PRINTER_UNSUPPORTED, "%s: opened write-only", p->spec);
	return fd_read_byte(p, b);
}

static const struct printer_ops lp_ops = {
	"lp", lp_open, path_valid, lp_write, lp_read_byte, NULL, fd_close,
};

/* ---- tcp: raw port 9100 ----------------------------------------------------- */

/* "host", "host:port", "[v6]:port" into host and port. */
static bool tcp_split(const char *arg, char *host, size_t hn, char *port, size_t pn)
{
	const char *colon;
	size_t len;

	snprintf(port, pn, "9100");
	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (!close)
			return false;
		len = (size_t)(close - arg - 1);
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] && !colon)
			return false;
		arg++;
	} else {
		colon = strrchr(arg, ':');
		len = colon ? (size_t)(colon - arg) : strlen(arg);
	}
	if (len == 0 || len >= hn)
		return false;
	memcpy(host, arg, len);
	host[len] = '\0';
	if (colon) {
		char *end;
		long v = strtol(colon + 1, &end, 10);

		if (*end || v < 1 || v > 65535)
			return false;
		snprintf(port, pn, "%ld", v);
	}
	return true;
}

static enum printer_rc tcp_connect(struct printer *p, const struct addrinfo *ai)
{
	int e = 0, r;
	socklen_t el = sizeof e;

	p->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	               ai->ai_protocol);
	if (p->fd < 0)
		return printer_fail(p, PRINTER_IO, "%s: socket: %s", p->spec, strerror(errno));
	if (connect(p->fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return PRINTER_OK;
	if (errno != EINPROGRESS)
		return printer_fail(p, errno_rc(errno), "%s: %s", p->spec, strerror(errno));
	r = fd_wait(p, POLLOUT, p->opts.connect_ms);
	if (r == 0)
		return printer_fail(p, PRINTER_TIMEOUT, "%s: no connection within %d ms",
		                    p->spec, p->opts.connect_ms);
	if (r < 0 || getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
		e = errno;
	if (e)
		return printer_fail(p, errno_rc(e), "%s: %s", p->spec, strerror(e));
	return PRINTER_OK;
}

static enum printer_rc tcp_open(struct printer *p, const char *arg)
{
	char host[256], port[8];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	enum printer_rc rc = PRINTER_ABSENT;
	int one = 1, g;

	if (!tcp_split(arg, host, sizeof host, port, sizeof port))
		return printer_fail(p, PRINTER_BADSPEC, "tcp:%s: expected tcp:HOST[:PORT]", arg);
	/* A name lookup may block: the print worker is the only caller that
	 * waits on it, and printers are usually set by address. */
	g = getaddrinfo(host, port, &hints, &res);
	if (g != 0)
		return printer_fail(p, PRINTER_ABSENT, "%s: %s", host, gai_strerror(g));
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd_close(p);
		rc = tcp_connect(p, ai);
		if (rc == PRINTER_OK)
			break;
	}
	freeaddrinfo(res);
	if (rc == PRINTER_OK)
		setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	else
		fd_close(p);
	return rc;
}

static bool tcp_valid(const char *arg)
{
	char host[256], port[8];

	return tcp_split(arg, host, sizeof host, port, sizeof port);
}

static const struct printer_ops tcp_ops = {
	"tcp", tcp_open, tcp_valid, tcp_write, fd_read_byte, NULL, fd_close,
};

/* ---- the interface ---------------------------------------------------------- */

static const struct printer_ops *const transports[] = {
	&printer_usb_ops, &lp_ops, &tcp_ops, &file_ops,
};

/* The transport named by spec's scheme, and its argument. */
static const struct printer_ops *transport(const char *spec, const char **arg)
{
	const char *colon = spec ? strchr(spec, ':') : NULL;

	for (size_t i = 0; colon && i < sizeof transports / sizeof transports[0]; i++) {
		size_t n = strlen(transports[i]->scheme);

		if ((size_t)(colon - spec) == n && strncmp(spec, transports[i]->scheme, n) == 0) {
			*arg = colon + 1;
			return transports[i];
		}
	}
	return NULL;
}

bool printer_spec_valid(const char *spec)
{
	const char *arg = NULL;
	const struct printer_ops *ops = transport(spec, &arg);

	return ops && ops->valid(arg);
}

enum printer_rc printer_open(const char *spec, const struct printer_opts *opts,
                             struct printer **out, char *err, size_t errlen)
{
	const char *arg = NULL;
	struct printer *p;
	enum printer_rc rc = PRINTER_BADSPEC;

	*out = NULL;
	p = calloc(1, sizeof *p);
	if (!p || !(p->spec = strdup(spec ? spec : ""))) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return PRINTER_NOMEM;
	}
	p->fd = -1;
	if (opts)
		p->opts = *opts;
	if (p->opts.stall_ms <= 0)
		p->opts.stall_ms = 5000;
	if (p->opts.answer_ms <= 0)
		p->opts.answer_ms = 300;
	if (p->opts.connect_ms <= 0)
		p->opts.connect_ms = 3000;
	printer_fail(p, rc, "\"%s\": expected usb:VVVV:PPPP, lp:PATH, tcp:HOST[:PORT] or file:PATH",
	             p->spec);
	p->ops = transport(p->spec, &arg);
	if (p->ops)
		rc = p->ops->open(p, arg);
	if (rc != PRINTER_OK) {
		snprintf(err, errlen, "%s", p->err);
		if (p->ops)
			p->ops->close(p);
		free(p->spec);
		free(p);
		return rc;
	}
	*out = p;
	return PRINTER_OK;
}

void printer_close(struct printer *p)
{
	if (!p)
		return;
	p->ops->close(p);
	free(p->spec);
	free(p);
}

const char *printer_errmsg(const struct printer *p)
{
	return p->err;
}

const char *printer_spec(const struct printer *p)
{
	return p->spec;
}

enum printer_rc printer_write(struct printer *p, const void *buf, size_t n)
{
	return p->ops->write(p, buf, n);
}

/* Stale answers (automatic status back from an earlier job) would be taken
 * for this question's: read them away first, without waiting. */
static void drain(struct printer *p)
{
	int saved = p->opts.answer_ms;
	uint8_t b;

	p->opts.answer_ms = 0;
	for (int i = 0; i < 64 && p->ops->read_byte(p, &b) == PRINTER_OK; i++)
		;
	p->opts.answer_ms = saved;
}

enum printer_rc printer_status(struct printer *p, struct escstatus *out)
{
	static const int ask[3] = { ESCSTATUS_PRINTER, ESCSTATUS_OFFLINE, ESCSTATUS_PAPER };
	enum printer_rc rc = PRINTER_OK;

	memset(out, 0, sizeof *out);
	if (!p->ops->read_byte)
		return printer_fail(p, PRINTER_UNSUPPORTED, "%s: no status on this transport", p->spec);
	if (p->fd >= 0)
		drain(p);      /* lp and tcp; USB takes the last byte of its answer */
	for (int i = 0; i < 3 && rc == PRINTER_OK; i++) {
		const uint8_t dle_eot[3] = { 0x10, 0x04, (uint8_t)ask[i] };
		uint8_t b;

		rc = p->ops->write(p, dle_eot, sizeof dle_eot);
		if (rc == PRINTER_OK)
			rc = p->ops->read_byte(p, &b);
		if (rc == PRINTER_OK && !escstatus_parse(ask[i], b, out))
			rc = printer_fail(p, PRINTER_IO, "%s: 0x%02X is not a status answer", p->spec, b);
	}
	return rc;
}

enum printer_rc printer_device_id(struct printer *p, struct escstatus_devid *out)
{
	uint8_t buf[1024];
	size_t len = 0;
	enum printer_rc rc;

	memset(out, 0, sizeof *out);
	if (!p->ops->device_id)
		return printer_fail(p, PRINTER_UNSUPPORTED, "%s: no device id on this transport", p->spec);
	rc = p->ops->device_id(p, buf, sizeof buf, &len);
	if (rc != PRINTER_OK)
		return rc;
	if (!escstatus_devid_parse(buf, len, out))
		return printer_fail(p, PRINTER_IO, "%s: the device id answer is not understood", p->spec);
	return PRINTER_OK;
}
