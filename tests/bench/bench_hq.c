/* bench_hq: load on the real coopmart-hq over HTTPS on loopback, from many
 * simulated terminals at once (one libcurl multi handle, one connection
 * each), with /v1/health timed beside it. A benchmark, not a test: it
 * prints figures (bench_hq.sh compares them with the targets).
 *
 *   bench_hq push URL CA TOKENS EVENTS BATCH
 *       every terminal of TOKENS pushes EVENTS journal events of its own
 *       (valid hash chains: 3 of 4 are sales with two lines that HQ folds
 *       into its ledgers, 1 of 4 a login) in batches of BATCH, all at once.
 *   bench_hq pull URL CA TOKENS
 *       every terminal of TOKENS pulls the whole catalogue (all pages), all
 *       at once; bodies are counted, not kept.
 *
 * TOKENS: lines "store terminal token" (coopmart-hq enroll). Terminals use
 * the loopback source addresses 127.0.0.2 ... 127.0.0.201 in turn, as
 * terminals of many stores come from many addresses; the health probe
 * comes from 127.0.0.1. Prints "key value" lines. */
#include "core/chain.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TERMS 2000
#define HEALTH_EVERY_MS 50

struct term {
	char store[32], id[16], token[64];
	char src[16];
	int64_t seq;                      /* events sent so far */
	uint8_t prev[CHAIN_HASH_LEN];
	char *body;                       /* the request in flight */
	char next[96];                    /* pull: the cursor of the next page */
	bool pulling_done;
	struct curl_slist *hdr;
	CURL *e;
	char *answer;                     /* pull: the page being received */
	size_t alen, acap;
};

struct lat {
	double *v;
	size_t n, cap;
};

static const char *url, *ca;
static struct term terms[MAX_TERMS];
static int nterms;
static struct lat push_lat, health_lat;
static long errors;
static size_t bytes_in;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void lat_add(struct lat *l, double v)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			abort();
	}
	l->v[l->n++] = v;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void lat_print(const char *name, struct lat *l)
{
	if (!l->n) {
		printf("%s_count 0\n", name);
		return;
	}
	qsort(l->v, l->n, sizeof *l->v, cmp_d);
	printf("%s_count %zu\n%s_p50_ms %.1f\n%s_p99_ms %.1f\n%s_max_ms %.1f\n", name, l->n, name,
	       l->v[l->n / 2] * 1e3, name, l->v[(size_t)(l->n * 0.99)] * 1e3, name,
	       l->v[l->n - 1] * 1e3);
}

static void read_tokens(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	while (nterms < MAX_TERMS) {
		struct term *t = &terms[nterms];
		if (fscanf(f, "%31s %15s %63s", t->store, t->id, t->token) != 3)
			break;
		snprintf(t->src, sizeof t->src, "127.0.0.%d", 2 + nterms % 200);
		nterms++;
	}
	fclose(f);
}

static size_t discard(char *p, size_t sz, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	bytes_in += sz * n;
	return sz * n;
}

static size_t keep(char *p, size_t sz, size_t n, void *ctx)
{
	struct term *t = ctx;
	size_t len = sz * n;
	if (t->alen + len + 1 > t->acap) {
		t->acap = (t->alen + len + 1) * 2;
		if (!(t->answer = realloc(t->answer, t->acap)))
			abort();
	}
	memcpy(t->answer + t->alen, p, len);
	t->alen += len;
	t->answer[t->alen] = '\0';
	bytes_in += len;
	return len;
}

static CURL *easy(const char *full, const char *src)
{
	CURL *e = curl_easy_init();
	curl_easy_setopt(e, CURLOPT_URL, full);
	curl_easy_setopt(e, CURLOPT_CAINFO, ca);
	curl_easy_setopt(e, CURLOPT_INTERFACE, src);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	return e;
}

/* A sale of two lines or a login, in the shapes the till journals. */
static void payload(const struct term *t, int64_t seq, char *buf, size_t n, const char **type)
{
	if (seq % 4 == 0) {
		*type = "login";
		snprintf(buf, n, "{\"ok\":true}");
		return;
	}
	*type = "sale";
	int64_t a = 3500 * (1 + seq % 3), b = 12500;
	snprintf(buf, n,
	         "{\"receipt\":\"%s-%08lld\",\"date\":20261206,\"total\":%lld,\"rounding\":0,"
	         "\"due\":%lld,\"taxes\":[{\"class\":\"standard\",\"total\":%lld,\"tax\":%lld}],"
	         "\"tenders\":[{\"kind\":\"cash\",\"amount\":%lld}],\"change\":0,"
	         "\"lines\":[{\"sku\":\"B-%lld\",\"qty\":%lld},{\"sku\":\"B-7\",\"qty\":1000}]}",
	         t->id, (long long)seq, (long long)(a + b), (long long)(a + b), (long long)(a + b),
	         (long long)((a + b) * 11 / 111), (long long)(a + b), (long long)(seq % 50),
	         (long long)(1000 * (1 + seq % 3)));
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		if (!(*buf = realloc(*buf, *cap)))
			abort();
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* The next batch of t's chain as a push body (the JSON of PROTOCOL.md). */
static char *push_body(struct term *t, int64_t upto)
{
	char *b = NULL, pl[600], ev[2000], ph[65], h[65];
	size_t len = 0, cap = 0;
	snprintf(ev, sizeof ev, "{\"store\":\"%s\",\"terminal\":\"%s\",\"local_head\":%lld,"
	         "\"events\":[", t->store, t->id, (long long)upto);
	append(&b, &len, &cap, ev);
	for (int64_t s = t->seq + 1; s <= upto; s++) {
		const char *type;
		payload(t, s, pl, sizeof pl, &type);
		struct chain_event ce = { .terminal = t->id, .seq = s, .type = type,
		                          .time = 1796000000 + s, .user_id = 101, .payload = pl };
		uint8_t hash[CHAIN_HASH_LEN];
		if (chain_hash(t->prev, &ce, hash) != CM_OK)
			abort();
		chain_hex(t->prev, CHAIN_HASH_LEN, ph);
		chain_hex(hash, CHAIN_HASH_LEN, h);
		/* the payload is a JSON string inside the event: escape its quotes */
		char esc[1200];
		size_t k = 0;
		for (const char *p = pl; *p && k < sizeof esc - 2; p++) {
			if (*p == '"' || *p == '\\')
				esc[k++] = '\\';
			esc[k++] = *p;
		}
		esc[k] = '\0';
		snprintf(ev, sizeof ev, "%s{\"seq\":%lld,\"type\":\"%s\",\"at\":%lld,\"user\":101,"
		         "\"payload\":\"%s\",\"prev_hash\":\"%s\",\"hash\":\"%s\"}",
		         s > t->seq + 1 ? "," : "", (long long)s, type, (long long)ce.time, esc, ph, h);
		append(&b, &len, &cap, ev);
		memcpy(t->prev, hash, CHAIN_HASH_LEN);
	}
	append(&b, &len, &cap, "]}");
	t->seq = upto;
	return b;
}

static void start_push(CURLM *m, struct term *t, int64_t events, int64_t batch)
{
	int64_t upto = t->seq + batch < events ? t->seq + batch : events;
	char full[256], auth[96];
	free(t->body);
	t->body = push_body(t, upto);
	snprintf(full, sizeof full, "%s/v1/events", url);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", t->token);
	curl_slist_free_all(t->hdr);
	t->hdr = curl_slist_append(NULL, auth);
	t->hdr = curl_slist_append(t->hdr, "Content-Type: application/json");
	if (!t->e)
		t->e = easy(full, t->src);
	curl_easy_setopt(t->e, CURLOPT_URL, full);
	curl_easy_setopt(t->e, CURLOPT_HTTPHEADER, t->hdr);
	curl_easy_setopt(t->e, CURLOPT_POSTFIELDS, t->body);
	curl_easy_setopt(t->e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(t->e, CURLOPT_PRIVATE, t);
	curl_multi_add_handle(m, t->e);
}

static void start_pull(CURLM *m, struct term *t)
{
	char full[400], auth[96];
	snprintf(full, sizeof full, "%s/v1/catalogue?since=0&limit=1000%s%s", url,
	         t->next[0] ? "&" : "", t->next);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", t->token);
	curl_slist_free_all(t->hdr);
	t->hdr = curl_slist_append(NULL, auth);
	if (!t->e)
		t->e = easy(full, t->src);
	curl_easy_setopt(t->e, CURLOPT_URL, full);
	curl_easy_setopt(t->e, CURLOPT_HTTPHEADER, t->hdr);
	curl_easy_setopt(t->e, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(t->e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->e, CURLOPT_PRIVATE, t);
	t->alen = 0;
	curl_multi_add_handle(m, t->e);
}

/* The next page's query from the answer: "upto=U&after=CURSOR", or done. */
static void next_page(struct term *t)
{
	const char *n = t->answer ? strstr(t->answer, "\"next\":\"") : NULL;
	const char *u = t->answer ? strstr(t->answer, "\"upto\":") : NULL;
	if (!n || !u) {
		t->pulling_done = true;
		return;
	}
	n += 8;
	size_t len = strcspn(n, "\"");
	char *cur = curl_easy_escape(t->e, n, (int)len);
	snprintf(t->next, sizeof t->next, "upto=%lld&after=%s", atoll(u + 7), cur);
	curl_free(cur);
}

static CURL *health_start(CURLM *m)
{
	char full[256];
	snprintf(full, sizeof full, "%s/v1/health", url);
	CURL *h = easy(full, "127.0.0.1");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_PRIVATE, NULL);
	curl_multi_add_handle(m, h);
	return h;
}

static void run(bool push, int64_t events, int64_t batch)
{
	CURLM *m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
	for (int i = 0; i < nterms; i++)
		push ? start_push(m, &terms[i], events, batch) : start_pull(m, &terms[i]);
	CURL *health = health_start(m);
	double t0 = now_s(), last_health = t0;
	int running = nterms, still = 1;
	bool health_busy = true;
	while (running > 0) {
		curl_multi_perform(m, &still);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			CURL *e = msg->easy_handle;
			struct term *t = NULL;
			long code = 0;
			curl_off_t us = 0;
			curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&t);
			curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
			curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &us);
			curl_multi_remove_handle(m, e);
			if (!t) {
				lat_add(&health_lat, us / 1e6);
				if (msg->data.result != CURLE_OK || code != 200)
					errors++;
				health_busy = false;
				continue;
			}
			if (msg->data.result != CURLE_OK || code != 200) {
				if (errors++ < 5)
					fprintf(stderr, "bench_hq: %s/%s: %s, HTTP %ld\n", t->store, t->id,
					        curl_easy_strerror(msg->data.result), code);
				running--;
				continue;
			}
			lat_add(&push_lat, us / 1e6);
			if (push && t->seq < events) {
				start_push(m, t, events, batch);
			} else if (!push && (next_page(t), !t->pulling_done)) {
				start_pull(m, t);
			} else {
				running--;
			}
		}
		if (!health_busy && now_s() - last_health >= HEALTH_EVERY_MS / 1e3) {
			last_health = now_s();
			curl_multi_add_handle(m, health);
			health_busy = true;
		}
		curl_multi_poll(m, NULL, 0, 10, NULL);
	}
	double dt = now_s() - t0;
	printf("terminals %d\nseconds %.2f\nerrors %ld\n", nterms, dt, errors);
	if (push)
		printf("events %lld\nevents_per_s %.0f\n", (long long)events * nterms,
		       events * nterms / dt);
	else
		printf("bytes %zu\nmib_per_s %.1f\n", bytes_in, bytes_in / dt / 1048576.0);
	lat_print(push ? "push" : "page", &push_lat);
	lat_print("health", &health_lat);
	curl_multi_remove_handle(m, health);
	curl_easy_cleanup(health);
	for (int i = 0; i < nterms; i++) {
		curl_easy_cleanup(terms[i].e);
		curl_slist_free_all(terms[i].hdr);
		free(terms[i].body);
		free(terms[i].answer);
	}
	curl_multi_cleanup(m);
}

int main(int argc, char **argv)
{
	if (argc < 5 || (strcmp(argv[1], "push") == 0 && argc < 7)) {
		fprintf(stderr, "usage: bench_hq push URL CA TOKENS EVENTS BATCH\n"
		                "       bench_hq pull URL CA TOKENS\n");
		return 1;
	}
	url = argv[2];
	ca = argv[3];
	read_tokens(argv[4]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (strcmp(argv[1], "push") == 0)
		run(true, atoll(argv[5]), atoll(argv[6]));
	else
		run(false, 0, 0);
	curl_global_cleanup();
	return errors ? 2 : 0;
}
