/* The agent's configuration file.
 *
 * Format: one "key = value" per line; blank lines and lines starting with
 * '#' are ignored, and so is a '#' that follows a space or a tab and the
 * rest of its line (a trailing comment: "timeout = 30   # seconds"); a '#'
 * inside a value ("/srv/toko#2/store.db") stays. Spaces around key and
 * value are dropped; no quoting (a value is the rest of the line, up to a
 * trailing comment). A key may appear once. Unknown keys are errors naming
 * the line, so a typo never silently falls back to a default.
 *
 *   db               the store database                       (required)
 *   url              https://host[:port] of HQ                 (required)
 *   store            the store's code at HQ, e.g. KMB-SMG      (required)
 *   terminal         this terminal's id, e.g. K01              (required)
 *   token_file       file holding the bearer token, mode 0600  (required)
 *   ca_file          CA certificate(s) to trust (PEM); default: the system's
 *   pin              HQ's public key, sha256//BASE64 (curl's format)
 *   proxy            proxy URL; default: curl's https_proxy/no_proxy handling
 *   connect_timeout  seconds to connect (default 20)
 *   timeout          seconds for a whole request (default 300)
 *   low_speed_limit  bytes per second below which ...   (default 100)
 *   low_speed_time   ... for this many seconds a request is given up (60)
 *   batch_events     events per push request, 1-1000 (default 500)
 *   batch_bytes      bytes per push request before compression (default 1 MiB)
 *   backoff_cap      longest wait between retries, seconds (default 300)
 *   attempts         tries of one request before giving up (default 6)
 *   nightly_at       HH:MM local time of the daemon's full sync (default 02:00)
 *   nightly_jitter   minutes of random delay after nightly_at (default 30)
 *   push_every       minutes between the daemon's pushes (default 15; 0 = off)
 */
#include "sync/agent/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX_BYTES (64 * 1024)

struct parse {
	const char *name;
	size_t line;
	char *err;
	size_t errlen;
};

static enum cm_rc bad(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum cm_rc bad(struct parse *p, const char *fmt, ...)
{
	char why[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, _("%s, line %zu: %s"), p->name, p->line, why);
	return CM_INVALID;
}

static enum cm_rc set_text(struct parse *p, const char *key, const char *v, char *dst, size_t n)
{
	if (strlen(v) >= n)
		return bad(p, _("'%s' is longer than %zu characters"), key, n - 1);
	memcpy(dst, v, strlen(v) + 1);
	return CM_OK;
}

static enum cm_rc set_long(struct parse *p, const char *key, const char *v, long min,
                           long max, long *dst)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (!*v || *end || errno || (v[0] < '0' || v[0] > '9'))
		return bad(p, _("'%s' must be a whole number, not '%s'"), key, v);
	if (x < min || x > max)
		return bad(p, _("'%s' must be between %ld and %ld"), key, min, max);
	*dst = x;
	return CM_OK;
}

static enum cm_rc set_url(struct parse *p, const char *v, struct config *c)
{
	if (strncmp(v, "https://", 8) != 0)
		return bad(p, _("'url' must start with https:// (HQ is only spoken to over TLS)"));
	const char *host = v + 8, *slash = strchr(host, '/');
	if (!*host || *host == '/' || (slash && slash[1]) || strpbrk(v, " \t?#@"))
		return bad(p, _("'url' must be https://host or https://host:port, not '%s'"), v);
	enum cm_rc rc = set_text(p, "url", v, c->url, sizeof c->url);
	size_t n = strlen(c->url);
	if (rc == CM_OK && c->url[n - 1] == '/')
		c->url[n - 1] = '\0';
	return rc;
}

/* A store code or terminal id: what HQ knows it by, printable, no spaces. */
static enum cm_rc set_id(struct parse *p, const char *key, const char *v, char *dst, size_t n)
{
	for (const char *q = v; *q; q++)
		if (*q <= ' ' || *q == '|' || *q == 0x7f)
			return bad(p, _("'%s' may not contain spaces or '|'"), key);
	return set_text(p, key, v, dst, n);
}

static enum cm_rc set_time(struct parse *p, const char *v, struct config *c)
{
	int h, m;
	char tail;
	if (strlen(v) != 5 || sscanf(v, "%2d:%2d%c", &h, &m, &tail) != 2 || v[2] != ':' ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return bad(p, _("'nightly_at' must be a time like 02:30, not '%s'"), v);
	c->nightly_hour = h;
	c->nightly_minute = m;
	return CM_OK;
}

static enum cm_rc set_pin(struct parse *p, const char *v, struct config *c)
{
	if (strncmp(v, "sha256//", 8) != 0 && v[0] != '/')
		return bad(p, _("'pin' must be sha256//BASE64 (or a public key file's path)"));
	return set_text(p, "pin", v, c->pin, sizeof c->pin);
}

/* The keys, in the order of the comment above. */
enum key {
	K_DB, K_URL, K_STORE, K_TERMINAL, K_TOKEN_FILE, K_CA_FILE, K_PIN, K_PROXY,
	K_CONNECT_TIMEOUT, K_TIMEOUT, K_LOW_SPEED_LIMIT, K_LOW_SPEED_TIME,
	K_BATCH_EVENTS, K_BATCH_BYTES, K_BACKOFF_CAP, K_ATTEMPTS, K_NIGHTLY_AT,
	K_NIGHTLY_JITTER, K_PUSH_EVERY, K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"db", "url", "store", "terminal", "token_file", "ca_file", "pin", "proxy",
	"connect_timeout", "timeout", "low_speed_limit", "low_speed_time",
	"batch_events", "batch_bytes", "backoff_cap", "attempts", "nightly_at",
	"nightly_jitter", "push_every",
};

static enum cm_rc set_key(struct parse *p, enum key k, const char *v, struct config *c)
{
	const char *name = key_names[k];
	if (!*v && k != K_PROXY)
		return bad(p, _("'%s' has no value"), name);
	switch (k) {
	case K_DB: return set_text(p, name, v, c->db, sizeof c->db);
	case K_URL: return set_url(p, v, c);
	case K_STORE: return set_id(p, name, v, c->store, sizeof c->store);
	case K_TERMINAL: return set_id(p, name, v, c->terminal, sizeof c->terminal);
	case K_TOKEN_FILE: return set_text(p, name, v, c->token_file, sizeof c->token_file);
	case K_CA_FILE: return set_text(p, name, v, c->ca_file, sizeof c->ca_file);
	case K_PIN: return set_pin(p, v, c);
	case K_PROXY: return set_text(p, name, v, c->proxy, sizeof c->proxy);
	case K_CONNECT_TIMEOUT: return set_long(p, name, v, 1, 600, &c->connect_timeout);
	case K_TIMEOUT: return set_long(p, name, v, 1, 86400, &c->timeout);
	case K_LOW_SPEED_LIMIT: return set_long(p, name, v, 0, 1 << 30, &c->low_speed_limit);
	case K_LOW_SPEED_TIME: return set_long(p, name, v, 1, 3600, &c->low_speed_time);
	case K_BATCH_EVENTS: return set_long(p, name, v, 1, 1000, &c->batch_events);
	case K_BATCH_BYTES: return set_long(p, name, v, 4096, 4L * 1024 * 1024, &c->batch_bytes);
	case K_BACKOFF_CAP: return set_long(p, name, v, 1, 86400, &c->backoff_cap);
	case K_ATTEMPTS: return set_long(p, name, v, 1, 100, &c->attempts);
	case K_NIGHTLY_AT: return set_time(p, v, c);
	case K_NIGHTLY_JITTER: return set_long(p, name, v, 0, 720, &c->nightly_jitter);
	case K_PUSH_EVERY: return set_long(p, name, v, 0, 1440, &c->push_every);
	case K_COUNT: break;
	}
	return bad(p, _("unknown setting '%s'"), name);
}

static void defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->connect_timeout = 20;
	c->timeout = 300;
	c->low_speed_limit = 100;
	c->low_speed_time = 60;
	c->batch_events = 500;
	c->batch_bytes = 1024 * 1024;
	c->backoff_cap = 300;
	c->attempts = 6;
	c->nightly_hour = 2;
	c->nightly_minute = 0;
	c->nightly_jitter = 30;
	c->push_every = 15;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Cuts a trailing comment: a '#' after a space or a tab. */
static void cut_comment(char *s)
{
	for (char *h = strchr(s, '#'); h; h = strchr(h + 1, '#'))
		if (h > s && (h[-1] == ' ' || h[-1] == '\t')) {
			*h = '\0';
			return;
		}
}

static enum cm_rc parse_line(struct parse *p, char *line, bool seen[K_COUNT], struct config *c)
{
	cut_comment(line);
	char *s = trim(line);
	if (!*s || *s == '#')
		return CM_OK;
	char *eq = strchr(s, '=');
	if (!eq)
		return bad(p, _("expected 'key = value', got '%.60s'"), s);
	*eq = '\0';
	char *key = trim(s), *value = trim(eq + 1);
	for (int k = 0; k < K_COUNT; k++) {
		if (strcmp(key, key_names[k]) != 0)
			continue;
		if (seen[k])
			return bad(p, _("'%s' is set twice"), key);
		seen[k] = true;
		return set_key(p, (enum key)k, value, c);
	}
	return bad(p, _("unknown setting '%.60s'"), key);
}

static enum cm_rc check_required(struct parse *p, const bool seen[K_COUNT])
{
	static const enum key required[] = { K_DB, K_URL, K_STORE, K_TERMINAL, K_TOKEN_FILE };
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
		if (!seen[required[i]]) {
			snprintf(p->err, p->errlen, _("%s: '%s' is not set (it is required)"), p->name,
			         key_names[required[i]]);
			return CM_INVALID;
		}
	}
	return CM_OK;
}

enum cm_rc config_parse(const char *text, size_t len, const char *name,
                        struct config *out, char *err, size_t errlen)
{
	struct parse p = { .name = name, .err = err, .errlen = errlen };
	bool seen[K_COUNT] = {0};
	char line[2048];
	enum cm_rc rc = CM_OK;
	defaults(out);
	snprintf(out->path, sizeof out->path, "%s", name);
	size_t i = 0;
	while (rc == CM_OK && i < len) {
		size_t n = 0;
		p.line++;
		while (i < len && text[i] != '\n') {
			if (text[i] == '\0')
				return bad(&p, _("the file holds a NUL byte (not a text file?)"));
			if (n + 1 >= sizeof line)
				return bad(&p, _("the line is longer than %zu characters"), sizeof line - 2);
			line[n++] = text[i++];
		}
		line[n] = '\0';
		i++;
		rc = parse_line(&p, line, seen, out);
	}
	if (rc == CM_OK)
		rc = check_required(&p, seen);
	if (rc == CM_OK && out->low_speed_limit > 0 && out->low_speed_time >= out->timeout) {
		snprintf(err, errlen, _("%s: 'low_speed_time' must be shorter than 'timeout'"), name);
		rc = CM_INVALID;
	}
	return rc;
}

enum cm_rc config_load(const char *path, struct config *out, char *err, size_t errlen)
{
	enum cm_rc rc = CM_IO;
	char *text = NULL;
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, _("cannot read the config file %s: %s"), path, strerror(errno));
		goto out;
	}
	if (!(text = malloc(CONFIG_MAX_BYTES + 1))) {
		snprintf(err, errlen, _("out of memory"));
		rc = CM_NOMEM;
		goto out;
	}
	size_t n = fread(text, 1, CONFIG_MAX_BYTES + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, _("cannot read the config file %s: %s"), path, strerror(errno));
		goto out;
	}
	if (n > CONFIG_MAX_BYTES) {
		snprintf(err, errlen, _("the config file %s is larger than %d bytes"), path,
		         CONFIG_MAX_BYTES);
		rc = CM_INVALID;
		goto out;
	}
	rc = config_parse(text, n, path, out, err, errlen);
out:
	if (f)
		fclose(f);
	free(text);
	return rc;
}

static bool token_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '_';
}

enum cm_rc config_read_token(const struct config *c, char *tok, size_t n,
                             char *err, size_t errlen)
{
	enum cm_rc rc = CM_INVALID;
	struct stat sb;
	char buf[256];
	ssize_t got = 0;
	tok[0] = '\0';
	int fd = open(c->token_file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		snprintf(err, errlen, _("cannot read the token file %s: %s"), c->token_file,
		         strerror(errno));
		rc = CM_IO;
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, _("the token file %s is not a plain file"), c->token_file);
		goto out;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen,
		         _("the token file %s can be read or changed by other users (mode %04o); "
		         "refusing to use it. Make it private: chmod 600 %s"),
		         c->token_file, (unsigned)(sb.st_mode & 07777), c->token_file);
		goto out;
	}
	got = read(fd, buf, sizeof buf - 1);
	if (got < 0) {
		snprintf(err, errlen, _("cannot read the token file %s: %s"), c->token_file,
		         strerror(errno));
		rc = CM_IO;
		goto out;
	}
	buf[got] = '\0';
	char *t = buf;
	while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
		t++;
	size_t len = 0;
	while (token_char(t[len]))
		len++;
	const char *rest = t + len;
	while (*rest == ' ' || *rest == '\t' || *rest == '\n' || *rest == '\r')
		rest++;
	if (len < 16 || *rest || len >= n) {
		snprintf(err, errlen, _("the token file %s does not hold a token (one line of "
		         "letters, digits, '-' and '_', as printed by coopmart-hq enroll)"),
		         c->token_file);
		goto out;
	}
	memcpy(tok, t, len);
	tok[len] = '\0';
	rc = CM_OK;
out:
	explicit_bzero(buf, sizeof buf);
	if (fd >= 0)
		close(fd);
	return rc;
}
