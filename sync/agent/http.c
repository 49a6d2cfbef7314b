/* HTTPS to HQ with libcurl (OpenSSL). One easy handle for the agent's
 * life, so consecutive requests reuse the TLS connection.
 *
 * Security settings that no config can loosen: peer and host verification,
 * https only (also on redirects, which are not followed anyway), and the
 * token only in the Authorization header (never logged: no verbose mode).
 * Answers are read into memory up to the protocol's body limit, so a
 * broken or hostile server cannot make the agent grow without bound. */
#include "sync/agent/http.h"
#include "sync/agent/gzip.h"
#include "sync/proto.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct http {
	CURL *curl;
	const struct config *cfg;
	char auth[256];               /* "Authorization: Bearer ..." */
	char errbuf[CURL_ERROR_SIZE];
	struct http_response *r;      /* the answer being read */
	size_t cap;
	bool too_large;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct http *h = ctx;
	struct http_response *r = h->r;
	size_t n = size * nmemb;
	if (r->len + n > PROTO_MAX_BODY) {
		h->too_large = true;
		return 0;
	}
	if (r->len + n + 1 > h->cap) {
		size_t cap = h->cap ? h->cap : 16384;
		while (cap < r->len + n + 1)
			cap *= 2;
		char *b = realloc(r->body, cap);
		if (!b)
			return 0;
		r->body = b;
		h->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

/* Keeps the ETag (the only header the protocol gives meaning to beyond
 * Retry-After, which curl parses itself). */
static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct http *h = ctx;
	size_t n = size * nmemb;
	if (n > 5 && strncasecmp(data, "ETag:", 5) == 0) {
		const char *v = data + 5;
		size_t len = n - 5;
		while (len && (*v == ' ' || *v == '\t'))
			v++, len--;
		while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
			len--;
		if (len < sizeof h->r->etag) {
			memcpy(h->r->etag, v, len);
			h->r->etag[len] = '\0';
		}
	}
	return n;
}

static bool setup(struct http *h)
{
	const struct config *c = h->cfg;
	CURL *k = h->curl;
	bool ok = curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_REDIR_PROTOCOLS_STR, "https") == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_ERRORBUFFER, h->errbuf) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_WRITEDATA, h) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_HEADERDATA, h) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_ACCEPT_ENCODING, "gzip") == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_USERAGENT, "coopmart-sync/1") == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT, c->connect_timeout) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_TIMEOUT, c->timeout) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_LOW_SPEED_LIMIT, c->low_speed_limit) == CURLE_OK &&
	          curl_easy_setopt(k, CURLOPT_LOW_SPEED_TIME, c->low_speed_time) == CURLE_OK;
	if (ok && c->ca_file[0])
		ok = curl_easy_setopt(k, CURLOPT_CAINFO, c->ca_file) == CURLE_OK;
	if (ok && c->pin[0])
		ok = curl_easy_setopt(k, CURLOPT_PINNEDPUBLICKEY, c->pin) == CURLE_OK;
	if (ok && c->proxy[0])
		ok = curl_easy_setopt(k, CURLOPT_PROXY, c->proxy) == CURLE_OK;
	return ok;
}

enum http_rc http_new(const struct config *c, const char *token, struct http **out,
                      char *err, size_t errlen)
{
	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, _("cannot initialise libcurl"));
		return HTTP_LOCAL;
	}
	struct http *h = calloc(1, sizeof *h);
	if (!h || !(h->curl = curl_easy_init())) {
		free(h);
		snprintf(err, errlen, _("out of memory"));
		return HTTP_LOCAL;
	}
	h->cfg = c;
	snprintf(h->auth, sizeof h->auth, "Authorization: Bearer %s", token);
	if (!setup(h)) {
		snprintf(err, errlen, _("this libcurl lacks a needed option (pinning, https only?)"));
		http_free(h);
		return HTTP_LOCAL;
	}
	*out = h;
	return HTTP_DONE;
}

void http_free(struct http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	explicit_bzero(h->auth, sizeof h->auth);
	free(h);
}

void http_response_free(struct http_response *r)
{
	free(r->body);
	memset(r, 0, sizeof *r);
}

char *http_escape(struct http *h, const char *s)
{
	char *e = curl_easy_escape(h->curl, s, 0);
	char *copy = e ? strdup(e) : NULL;
	curl_free(e);
	return copy;
}

/* Turns curl's failure into a sentence for a store manager, and says
 * whether retrying could help. */
static enum http_rc explain(struct http *h, CURLcode cc, char *err, size_t errlen)
{
	const struct config *c = h->cfg;
	const char *detail = h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc);
	curl_off_t connected = 0;
	curl_easy_getinfo(h->curl, CURLINFO_CONNECT_TIME_T, &connected);
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		if (strstr(detail, "too slow"))
			snprintf(err, errlen, _("HQ sent less than %ld bytes a second for %ld s; gave up"),
			         c->low_speed_limit, c->low_speed_time);
		else if (!connected)
			snprintf(err, errlen, _("could not reach HQ at %s within %ld s"), c->url,
			         c->connect_timeout);
		else
			snprintf(err, errlen, _("HQ did not answer within %ld s"), c->timeout);
		return HTTP_NETWORK;
	case CURLE_COULDNT_CONNECT:
		snprintf(err, errlen, _("could not connect to HQ at %s (%s)"), c->url, detail);
		return HTTP_NETWORK;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(err, errlen, _("the name of HQ's server cannot be found (%s)"), detail);
		return HTTP_NETWORK;
	case CURLE_COULDNT_RESOLVE_PROXY:
		snprintf(err, errlen, _("the proxy's name cannot be found (%s)"), detail);
		return HTTP_NETWORK;
	case CURLE_PEER_FAILED_VERIFICATION: {
		/* OpenSSL's verify result says which advice fits: 9 not yet
		 * valid, 10 expired; otherwise the chain or the name is wrong. */
		long vr = 0;
		curl_easy_getinfo(h->curl, CURLINFO_SSL_VERIFYRESULT, &vr);
		if (vr == 9 || vr == 10)
			snprintf(err, errlen, _("HQ's certificate is outside its validity dates: %s "
			         "(check this terminal's date and time; otherwise HQ must renew "
			         "its certificate)"), detail);
		else
			snprintf(err, errlen, _("certificate not trusted: %s (is ca_file %s right?)"),
			         detail, c->ca_file[0] ? c->ca_file : "(system CAs)");
		return HTTP_UNTRUSTED;
	}
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		snprintf(err, errlen, _("HQ's public key does not match the pin in %s; "
		         "not talking to it (a different server, or HQ's key changed)"), c->path);
		return HTTP_UNTRUSTED;
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(err, errlen, _("cannot use the CA file %s: %s"), c->ca_file, detail);
		return HTTP_LOCAL;
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(err, errlen, _("the secure connection to HQ failed: %s"), detail);
		return HTTP_NETWORK;
	case CURLE_SEND_ERROR: case CURLE_RECV_ERROR: case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		snprintf(err, errlen, _("the connection to HQ broke off (%s)"), detail);
		return HTTP_NETWORK;
	case CURLE_WRITE_ERROR:
		if (h->too_large) {
			snprintf(err, errlen, _("HQ's answer is larger than %u bytes"), PROTO_MAX_BODY);
			return HTTP_NETWORK;
		}
		snprintf(err, errlen, _("out of memory reading HQ's answer"));
		return HTTP_LOCAL;
	case CURLE_OUT_OF_MEMORY:
		snprintf(err, errlen, _("out of memory"));
		return HTTP_LOCAL;
	default:
		snprintf(err, errlen, _("talking to HQ failed: %s"), detail);
		return HTTP_NETWORK;
	}
}

static enum http_rc perform(struct http *h, const char *path, struct curl_slist *hdr,
                            struct http_response *r, char *err, size_t errlen)
{
	char url[1024 + 512];
	memset(r, 0, sizeof *r);
	if ((size_t)snprintf(url, sizeof url, "%s%s", h->cfg->url, path) >= sizeof url) {
		snprintf(err, errlen, _("request path too long"));
		return HTTP_LOCAL;
	}
	h->r = r;
	h->cap = 0;
	h->too_large = false;
	h->errbuf[0] = '\0';
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdr);
	CURLcode cc = curl_easy_perform(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	h->r = NULL;
	if (cc != CURLE_OK) {
		http_response_free(r);
		return explain(h, cc, err, errlen);
	}
	curl_off_t after = 0;
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
	if (curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0)
		r->retry_after = after > 86400 ? 86400 : (long)after;
	if (!r->body && !(r->body = calloc(1, 1))) {
		snprintf(err, errlen, _("out of memory"));
		return HTTP_LOCAL;
	}
	return HTTP_DONE;
}

/* Common headers; extra may be NULL. NULL when out of memory. */
static struct curl_slist *headers(struct http *h, const char *extra1, const char *extra2)
{
	const char *lines[] = { h->auth, "Accept: application/json", extra1, extra2 };
	struct curl_slist *list = NULL;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (!lines[i])
			continue;
		struct curl_slist *l = curl_slist_append(list, lines[i]);
		if (!l) {
			curl_slist_free_all(list);
			return NULL;
		}
		list = l;
	}
	return list;
}

enum http_rc http_get(struct http *h, const char *path, const char *if_none_match,
                      struct http_response *r, char *err, size_t errlen)
{
	char inm[128];
	if (if_none_match)
		snprintf(inm, sizeof inm, "If-None-Match: %s", if_none_match);
	struct curl_slist *hdr = headers(h, if_none_match ? inm : NULL, NULL);
	if (!hdr) {
		snprintf(err, errlen, _("out of memory"));
		return HTTP_LOCAL;
	}
	curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	enum http_rc rc = perform(h, path, hdr, r, err, errlen);
	curl_slist_free_all(hdr);
	return rc;
}

enum http_rc http_post_json(struct http *h, const char *path, const char *json, size_t len,
                            struct http_response *r, char *err, size_t errlen)
{
	unsigned char *gz = NULL;
	size_t gzlen = 0;
	struct curl_slist *hdr = NULL;
	enum http_rc rc = HTTP_LOCAL;
	memset(r, 0, sizeof *r);
	if (gzip_compress(json, len, &gz, &gzlen) != CM_OK) {
		snprintf(err, errlen, _("cannot compress the request (out of memory?)"));
		goto out;
	}
	/* No "Expect: 100-continue": HQ reads the body anyway, and waiting for
	 * the interim answer costs a second per large push. */
	hdr = headers(h, "Content-Type: application/json", "Content-Encoding: gzip");
	struct curl_slist *l = hdr ? curl_slist_append(hdr, "Expect:") : NULL;
	if (!l) {
		snprintf(err, errlen, _("out of memory"));
		goto out;
	}
	hdr = l;
	curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, gz);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)gzlen);
	rc = perform(h, path, hdr, r, err, errlen);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
out:
	curl_slist_free_all(hdr);
	free(gz);
	return rc;
}
