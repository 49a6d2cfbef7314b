/* POST /v1/events: a terminal pushes journal events (PROTOCOL.md).
 *
 * The whole batch is one transaction: every event's hash is recomputed
 * from its fields (core/chain.h), its prev_hash must be the hash of the
 * event before it (in the batch, or held by HQ); an event HQ holds must
 * have the same hash (a duplicate) or the batch is a conflict; a new event
 * must be HQ's head + 1. Any refusal rolls the batch back; its alert is
 * then recorded in a transaction of its own, so it survives. The ack is
 * committed (synchronous=FULL) before the answer leaves. */
#include "fold.h"
#include "route.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum outcome { PUSH_OK, PUSH_TAMPERED, PUSH_CONFLICT, PUSH_GAP, PUSH_SIGNATURE, PUSH_STORE };

struct push {
	struct req *r;
	const struct hq_terminal *t;
	const struct proto_push *in;
	struct hq_head head;              /* HQ's head before the batch */
	int64_t held;                     /* HQ's head as the batch goes on */
	int64_t stored, duplicates;
	enum outcome outcome;
	enum cm_rc store_rc;
	int64_t bad_seq;
	char why[300];
	char payload_alert[300];          /* an event kept whose payload could not be folded */
};

static bool hex_to_hash(const char *hex, uint8_t out[CHAIN_HASH_LEN])
{
	size_t n = 0;
	return sodium_hex2bin(out, CHAIN_HASH_LEN, hex, strlen(hex), NULL, &n, NULL) == 0 &&
	       n == CHAIN_HASH_LEN;
}

static bool refuse(struct push *p, enum outcome o, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bool refuse(struct push *p, enum outcome o, int64_t seq, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof p->why, fmt, ap);
	va_end(ap);
	p->outcome = o;
	p->bad_seq = seq;
	return false;
}

static bool store_failed(struct push *p, enum cm_rc rc)
{
	p->outcome = PUSH_STORE;
	p->store_rc = rc;
	return false;
}

/* The hash the event's prev_hash must equal: the batch's previous event,
 * or the one HQ holds (all zeros before seq 1). false when HQ cannot
 * know it (the event lies beyond a gap). */
static bool expected_prev(struct push *p, size_t i, const struct hq_event *prev_ev,
                          uint8_t out[CHAIN_HASH_LEN], enum cm_rc *rc)
{
	int64_t seq = p->in->events[i].seq;
	*rc = CM_OK;
	if (i > 0) {
		memcpy(out, prev_ev->hash, CHAIN_HASH_LEN);
		return true;
	}
	if (seq == 1) {
		memset(out, 0, CHAIN_HASH_LEN);
		return true;
	}
	if (seq - 1 > p->held)
		return false;
	*rc = hqstore_event_hash(p->r->st, p->t, seq - 1, out);
	return *rc == CM_OK;
}

/* PROTOCOL.md "Signatures": a terminal enrolled with a key signs every
 * event from its 'signing_key' event on (that one included, and it must
 * name the key HQ registered). Events before it, and every event of a
 * terminal enrolled without a key, need none. */
static bool check_signature(struct push *p, const struct proto_event *pe,
                            const uint8_t hash[CHAIN_HASH_LEN])
{
	const struct hq_terminal *t = p->t;
	uint8_t pk[32], sig[64];
	size_t n = 0;
	if (!t->sign_key[0] || pe->seq < t->sign_from)
		return true;
	if (pe->seq == t->sign_from) {
		char want[100];
		snprintf(want, sizeof want, "\"public_key\":\"%s\"", t->sign_key);
		if (strcmp(pe->type, "signing_key") != 0 || !strstr(pe->payload, want))
			return refuse(p, PUSH_SIGNATURE, pe->seq, "event %lld is not the signing key "
			              "registered for %s/%s", (long long)pe->seq, t->store, t->terminal);
	}
	if (!pe->sig[0])
		return refuse(p, PUSH_SIGNATURE, pe->seq, "event %lld of %s/%s is not signed (the "
		              "terminal signs every event from %lld on)", (long long)pe->seq, t->store,
		              t->terminal, (long long)t->sign_from);
	if (sodium_hex2bin(pk, sizeof pk, t->sign_key, strlen(t->sign_key), NULL, &n, NULL) != 0 ||
	    n != sizeof pk ||
	    sodium_hex2bin(sig, sizeof sig, pe->sig, strlen(pe->sig), NULL, &n, NULL) != 0 ||
	    n != sizeof sig || crypto_sign_verify_detached(sig, hash, CHAIN_HASH_LEN, pk) != 0)
		return refuse(p, PUSH_SIGNATURE, pe->seq, "event %lld of %s/%s: its signature does not "
		              "verify with the terminal's registered key", (long long)pe->seq, t->store,
		              t->terminal);
	return true;
}

/* Steps 1-4 of PROTOCOL.md for event i; false when the batch is refused. */
static bool take_event(struct push *p, size_t i, struct hq_event *ev, const struct hq_event *prev_ev)
{
	const struct proto_event *pe = &p->in->events[i];
	uint8_t want[CHAIN_HASH_LEN], got[CHAIN_HASH_LEN];
	enum cm_rc rc;
	*ev = (struct hq_event){ .seq = pe->seq, .type = pe->type, .at = pe->at,
	                         .user = pe->user, .payload = pe->payload,
	                         .sig = pe->sig[0] ? pe->sig : NULL };
	hex_to_hash(pe->prev_hash, ev->prev_hash);
	hex_to_hash(pe->hash, ev->hash);
	struct chain_event ce = { .terminal = p->t->terminal, .seq = pe->seq, .type = pe->type,
	                          .time = pe->at, .user_id = pe->user, .payload = pe->payload };
	if (chain_hash(ev->prev_hash, &ce, got) != CM_OK || memcmp(got, ev->hash, CHAIN_HASH_LEN))
		return refuse(p, PUSH_TAMPERED, pe->seq,
		              "event %lld: its hash does not match its content", (long long)pe->seq);
	if (!check_signature(p, pe, got))
		return false;
	bool known = expected_prev(p, i, prev_ev, want, &rc);
	if (rc != CM_OK)
		return store_failed(p, rc);
	if (known && memcmp(want, ev->prev_hash, CHAIN_HASH_LEN) != 0) {
		if (i == 0 && pe->seq <= p->held)
			return refuse(p, PUSH_CONFLICT, pe->seq,
			              "sequence %lld differs from the event HQ holds", (long long)pe->seq);
		return refuse(p, PUSH_TAMPERED, pe->seq,
		              "event %lld: prev_hash is not the hash of event %lld%s",
		              (long long)pe->seq, (long long)pe->seq - 1,
		              i ? " in the batch" : " held by HQ");
	}
	if (pe->seq <= p->held) {
		if ((rc = hqstore_event_hash(p->r->st, p->t, pe->seq, want)) != CM_OK)
			return store_failed(p, rc);
		if (memcmp(want, ev->hash, CHAIN_HASH_LEN) != 0)
			return refuse(p, PUSH_CONFLICT, pe->seq,
			              "sequence %lld differs from the event HQ holds", (long long)pe->seq);
		p->duplicates++;
		return true;
	}
	if (pe->seq > p->held + 1)
		return refuse(p, PUSH_GAP, pe->seq, "event %lld is past HQ's head %lld: send from %lld",
		              (long long)pe->seq, (long long)p->held, (long long)p->held + 1);
	if ((rc = hqstore_event_insert(p->r->st, p->t, ev, (int64_t)time(NULL))) != CM_OK)
		return store_failed(p, rc);
	char why[300] = "";
	rc = fold_event(p->r->st, p->t, ev, why, sizeof why);
	if (rc == CM_INVALID && !p->payload_alert[0])
		snprintf(p->payload_alert, sizeof p->payload_alert, "%s", why);
	else if (rc != CM_OK && rc != CM_INVALID)
		return store_failed(p, rc);
	p->held = pe->seq;
	p->stored++;
	return true;
}

/* The batch in one transaction; true when committed. */
static bool apply(struct push *p)
{
	struct hqstore *st = p->r->st;
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return store_failed(p, rc);
	if ((rc = hqstore_head(st, p->t, &p->head)) != CM_OK) {
		hqstore_rollback(st);
		return store_failed(p, rc);
	}
	p->held = p->head.seq;
	struct hq_event prev = { 0 }, cur;
	bool ok = true;
	for (size_t i = 0; ok && i < p->in->nevents; i++) {
		ok = take_event(p, i, &cur, &prev);
		prev = cur;
	}
	if (ok && p->payload_alert[0])
		rc = hqstore_alert(st, p->t->store, p->t->terminal, "payload", p->payload_alert);
	if (ok && rc != CM_OK)
		ok = store_failed(p, rc);
	if (!ok) {
		hqstore_rollback(st);
		return false;
	}
	if ((rc = hqstore_commit(st)) != CM_OK)
		return store_failed(p, rc);
	return true;
}

static void alert(struct push *p, const char *kind, int64_t seq, const char *detail)
{
	if (hqstore_alert_seq(p->r->st, p->t->store, p->t->terminal, kind, seq, detail) != CM_OK)
		fprintf(stderr, "coopmart-hq: could not record the alert \"%s: %s\": %s\n",
		        kind, detail, hqstore_errmsg());
}

/* A terminal whose newest event is older than what HQ holds was restored
 * from an older database (or lost its file). */
static void check_regression(struct push *p)
{
	int64_t local = p->in->local_head;
	if (p->in->nevents && local < p->in->events[p->in->nevents - 1].seq)
		local = p->in->events[p->in->nevents - 1].seq;  /* local_head not sent */
	if (local >= p->head.seq)
		return;
	char detail[200];
	snprintf(detail, sizeof detail, "the terminal's newest event is %lld but HQ holds %lld",
	         (long long)local, (long long)p->head.seq);
	alert(p, "regression", local + 1, detail);
}

/* The gap alert is raised only when the agent sends the same gap twice
 * in a row: once is normal after HQ lost nothing but the agent's cursor. */
static void note_gap(struct push *p)
{
	bool again = p->head.gap_seq == p->bad_seq;
	if (hqstore_gap_note(p->r->st, p->t, p->bad_seq) != CM_OK)
		fprintf(stderr, "coopmart-hq: %s\n", hqstore_errmsg());
	if (again)
		alert(p, "gap", p->bad_seq, p->why);
}

static void answer_refusal(struct push *p)
{
	struct req *r = p->r;
	switch (p->outcome) {
	case PUSH_TAMPERED:
		alert(p, "tampered", p->bad_seq, p->why);
		req_fail(r, 422, "invalid_chain", p->bad_seq, -1, "%s", p->why);
		break;
	case PUSH_CONFLICT:
		alert(p, "fork", p->bad_seq, p->why);
		req_fail(r, 409, "conflict", p->bad_seq, p->head.seq, "%s", p->why);
		break;
	case PUSH_SIGNATURE:
		alert(p, "signature", p->bad_seq, p->why);
		req_fail(r, 422, "bad_signature", p->bad_seq, -1, "%s", p->why);
		break;
	case PUSH_GAP:
		note_gap(p);
		req_fail(r, 409, "gap", p->bad_seq, p->head.seq, "%s", p->why);
		break;
	default:
		req_fail_store(r, p->store_rc);
	}
}

static void answer_ack(struct push *p)
{
	struct hq_head h;
	enum cm_rc rc = hqstore_head(p->r->st, p->t, &h);
	if (rc != CM_OK) {
		req_fail_store(p->r, rc);
		return;
	}
	struct proto_ack a = { .acked_seq = h.seq, .stored = p->stored, .duplicates = p->duplicates };
	if (h.seq > 0)
		chain_hex(h.hash, CHAIN_HASH_LEN, a.head_hash);
	p->r->events = p->stored;
	req_reply(p->r, 200, proto_ack_encode(&a));
}

/* For the console's terminals page: when the terminal last pushed (and
 * was acknowledged), what it holds, its agent. A failure here costs the
 * push nothing. */
static void seen(struct push *p)
{
	int64_t local = p->in->local_head;
	if (p->in->nevents && local < p->in->events[p->in->nevents - 1].seq)
		local = p->in->events[p->in->nevents - 1].seq;
	if (hqstore_terminal_seen(p->r->st, p->t, true, local, req_header(p->r, "User-Agent")) != CM_OK)
		fprintf(stderr, "coopmart-hq: %s\n", hqstore_errmsg());
}

void route_events(struct req *r)
{
	struct proto_push in;
	char err[256];
	if (r->term->operator) {
		req_fail(r, 403, "forbidden", -1, -1, "an operator token does not push events");
		return;
	}
	if (proto_push_decode(r->body, r->len, &in, err, sizeof err) != CM_OK) {
		req_fail(r, 400, "bad_request", -1, -1, "%s", err);
		return;
	}
	if (strcmp(in.store, r->term->store) != 0 || strcmp(in.terminal, r->term->terminal) != 0) {
		req_fail(r, 403, "forbidden", -1, -1, "this token belongs to %s/%s, not %s/%s",
		         r->term->store, r->term->terminal, in.store, in.terminal);
		goto out;
	}
	struct push p = { .r = r, .t = r->term, .in = &in };
	bool ok = apply(&p);
	if (p.outcome != PUSH_STORE)
		check_regression(&p);
	if (ok) {
		answer_ack(&p);
		seen(&p);
	} else {
		answer_refusal(&p);
	}
out:
	proto_push_free(&in);
}
