/* Push: the journal's unacknowledged events to HQ, in sequence order, in
 * batches bounded by count and bytes (PROTOCOL.md, POST /v1/events).
 *
 * The journal is the outbox: nothing is copied or deleted; sync_state
 * remembers acked_seq and head_hash as HQ said them, checked against our
 * own chain first (a different hash at the same sequence is a fork). */
#include "sync/agent/agent.h"
#include "sync/agent/backoff.h"
#include "sync/proto.h"
#include "store/store_stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Envelope and per-event bytes around the payloads in the encoded JSON:
 * field names, two 64-digit hashes, a 128-digit signature, numbers.
 * Generous on purpose. */
#define EVENT_OVERHEAD 400
#define PUSH_OVERHEAD 200

struct batch {
	struct proto_event *ev;
	size_t n;
	size_t max_events;
	size_t max_bytes;
	size_t bytes;
	bool nomem;
};

/* The payload's length once written as a JSON string: quotes and
 * backslashes are escaped, control characters become \uXXXX. */
static size_t escaped_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += (*s == '"' || *s == '\\') ? 2 : ((unsigned char)*s < 0x20 ? 6 : 1);
	return n;
}

static bool collect(const struct journal_entry *e, const char *payload, void *ctx)
{
	struct batch *b = ctx;
	size_t size = escaped_len(payload) + EVENT_OVERHEAD;
	/* At least one event per batch, however large: HQ's own limit (4 MiB)
	 * decides about a single huge event. */
	if (b->n && b->bytes + size > b->max_bytes)
		return false;
	struct proto_event *p = &b->ev[b->n];
	memset(p, 0, sizeof *p);
	if (!(p->payload = strdup(payload))) {
		b->nomem = true;
		return false;
	}
	p->seq = e->seq;
	snprintf(p->type, sizeof p->type, "%s", e->type);
	p->at = e->at;
	p->user = e->user_id;
	chain_hex(e->prev_hash, CHAIN_HASH_LEN, p->prev_hash);
	chain_hex(e->hash, CHAIN_HASH_LEN, p->hash);
	if (e->has_sig)
		chain_hex(e->sig, sizeof e->sig, p->sig);
	b->n++;
	b->bytes += size;
	return b->n < b->max_events;
}

static void batch_clear(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->ev[i].payload);
	b->n = 0;
	b->bytes = PUSH_OVERHEAD;
	b->nomem = false;
}

/* Checks what HQ says it holds against our own chain. AX_OK when HQ's
 * head_hash is our hash at acked_seq. */
static enum agent_exit check_hq_head(struct agent *ag, int64_t acked, const char *hash,
                                     int64_t local_head)
{
	char ours[SYNC_HEX_HASH];
	if (acked > local_head)
		return agent_alert_hq(ag, "older_database", local_head + 1,
		                   _("this database is older than HQ's copy: HQ holds events up to "
		                   "%lld, this terminal's journal ends at %lld. Was it restored from "
		                   "a backup? Pushing stops until someone who knows clears this alert"),
		                   (long long)acked, (long long)local_head);
	if (acked == 0)
		return AX_OK;
	if (store_sync_event_hash(ag->st, acked, ours) != CM_OK)
		return agent_store_fail(ag, _("reading the journal"));
	if (strcmp(ours, hash) != 0)
		return agent_alert_hq(ag, "fork", acked,
		                   _("HQ's event %lld differs from this terminal's (HQ %.12s..., here "
		                   "%.12s...): the journals have forked. Pushing stops"),
		                   (long long)acked, hash, ours);
	return AX_OK;
}

/* GET /v1/terminal once after start (and after an alert is cleared):
 * where HQ is, compared with this database. */
static enum agent_exit check_terminal(struct agent *ag, int64_t local_head)
{
	struct http_response r;
	enum agent_exit ax;
	struct proto_terminal t;
	struct sync_state s;
	char why[300];
	if (!agent_request(ag, "/v1/terminal", NULL, NULL, 0, &r, &ax))
		return ax;
	if (r.status != 200) {
		ax = agent_refused(ag, _("to say where it is (GET /v1/terminal)"), &r);
		http_response_free(&r);
		return ax;
	}
	enum cm_rc rc = proto_terminal_decode(r.body, r.len, &t, why, sizeof why);
	http_response_free(&r);
	if (rc != CM_OK)
		return agent_alert(ag, "bad_answer", _("HQ's answer to GET /v1/terminal: %s"), why);
	if (strcmp(t.store, ag->cfg.store) != 0 || strcmp(t.terminal, ag->cfg.terminal) != 0)
		return agent_alert(ag, "wrong_terminal",
		                   _("the token is for terminal %s of store %s, the config says %s of %s"),
		                   t.terminal, t.store, ag->cfg.terminal, ag->cfg.store);
	if ((ax = check_hq_head(ag, t.acked_seq, t.head_hash, local_head)) != AX_OK)
		return ax;
	if (store_sync_state(ag->st, &s) != CM_OK)
		return agent_store_fail(ag, _("reading the sync state"));
	if (s.acked_seq != t.acked_seq) {
		/* HQ is the book of record: behind us means it lost what it had
		 * acknowledged (restored from a backup), and those events are
		 * sent again; ahead of us means an answer was lost on the way. */
		agent_log(_("HQ holds events up to %lld (this terminal had %lld recorded)"),
		          (long long)t.acked_seq, (long long)s.acked_seq);
		if (store_sync_set_acked(ag->st, t.acked_seq, t.head_hash, 0) != CM_OK)
			return agent_store_fail(ag, _("saving what HQ holds"));
	}
	ag->terminal_checked = true;
	return AX_OK;
}

static enum agent_exit on_ack(struct agent *ag, const struct http_response *r,
                              int64_t local_head, int64_t *acked)
{
	struct proto_ack a;
	char why[300];
	if (proto_ack_decode(r->body, r->len, &a, why, sizeof why) != CM_OK)
		return agent_alert(ag, "bad_answer", _("HQ's answer to a push: %s"), why);
	enum agent_exit ax = check_hq_head(ag, a.acked_seq, a.head_hash, local_head);
	if (ax != AX_OK)
		return ax;
	if (store_sync_set_acked(ag->st, a.acked_seq, a.head_hash, agent_now()) != CM_OK)
		return agent_store_fail(ag, _("saving what HQ acknowledged"));
	agent_log(_("pushed: HQ holds events up to %lld (%lld new, %lld again)"),
	          (long long)a.acked_seq, (long long)a.stored, (long long)a.duplicates);
	*acked = a.acked_seq;
	return AX_OK;
}

/* HQ's acked_seq from a 409 gap answer, -1 when it is not a gap. */
static int64_t gap_acked(const struct http_response *r)
{
	struct proto_error e;
	if (r->status != 409 || proto_error_decode(r->body, r->len, &e, NULL, 0) != CM_OK ||
	    strcmp(e.code, "gap") != 0 || e.acked_seq < 0)
		return -1;
	return e.acked_seq;
}

struct push {
	struct agent *ag;
	struct batch b;
	int64_t next;             /* first sequence of the next batch */
	int64_t head;             /* our journal's head */
	bool rewound;             /* a gap answer was followed once */
	int stalls;               /* 200 answers that acknowledged nothing new */
};

/* Sends one batch and acts on the answer. AX_OK to go on. */
static enum agent_exit push_batch(struct push *p)
{
	struct agent *ag = p->ag;
	struct proto_push msg = { .local_head = p->head, .events = p->b.ev, .nevents = p->b.n };
	struct http_response r;
	enum agent_exit ax;
	snprintf(msg.store, sizeof msg.store, "%s", ag->cfg.store);
	snprintf(msg.terminal, sizeof msg.terminal, "%s", ag->cfg.terminal);
	char *json = proto_push_encode(&msg);
	if (!json) {
		snprintf(ag->msg, sizeof ag->msg, _("out of memory encoding a push"));
		return AX_LOCAL;
	}
	bool answered = agent_request(ag, "/v1/events", NULL, json, strlen(json), &r, &ax);
	free(json);
	if (!answered)
		return ax;
	int64_t last = p->b.ev[p->b.n - 1].seq, acked = 0, gap;
	if (r.status == 200) {
		ax = on_ack(ag, &r, p->head, &acked);
		if (ax == AX_OK && acked < last && ++p->stalls >= 3)
			ax = agent_alert(ag, "no_progress", _("HQ answers pushes of events %lld-%lld "
			                 "but holds only up to %lld"), (long long)p->b.ev[0].seq,
			                 (long long)last, (long long)acked);
		if (ax == AX_OK) {
			p->next = acked + 1;
			p->rewound = false;
		}
	} else if ((gap = gap_acked(&r)) >= 0 && !p->rewound) {
		agent_log(_("HQ holds events only up to %lld; sending from %lld"), (long long)gap,
		          (long long)gap + 1);
		p->next = gap + 1;
		p->rewound = true;
		ax = AX_OK;
	} else if (r.status == 413 && p->b.max_events > 1) {
		p->b.max_events /= 2;
		agent_log(_("HQ found the push too large; trying %zu events at a time"), p->b.max_events);
		ax = AX_OK;
	} else {
		char what[80];
		snprintf(what, sizeof what, _("events %lld-%lld"), (long long)p->b.ev[0].seq,
		         (long long)last);
		ax = agent_refused(ag, what, &r);
	}
	http_response_free(&r);
	return ax;
}

/* Before the terminal's first push, the store's opening stock goes into
 * the journal (once), so that HQ's stock of the store starts from what it
 * holds (pos/store/store_opening.c). */
static enum agent_exit opening_stock(struct agent *ag)
{
	struct sync_state s;
	bool added = false;
	if (store_sync_state(ag->st, &s) != CM_OK)
		return agent_store_fail(ag, _("reading the sync state"));
	if (s.acked_seq > 0)
		return AX_OK;
	if (store_stock_opening(ag->st, agent_now(), &added) != CM_OK)
		return agent_store_fail(ag, _("journaling the opening stock"));
	if (added)
		agent_log("%s", _("journaled the store's opening stock for HQ"));
	return AX_OK;
}

/* The journal must verify (journal verify) before any of it leaves: a
 * till whose sale rows were edited behind the journal's back, or whose
 * newest events were removed, pushes nothing and tells HQ. The whole
 * journal is checked when the agent starts and once a day; in between
 * only what follows HQ's acknowledgement (linked to the hash HQ holds),
 * since HQ already holds every event before it: with a signature to check
 * per event, the whole of a year-old journal would cost a till half a
 * minute of CPU on every push. */
#define VERIFY_WHOLE_EVERY (24 * 3600)

static enum agent_exit verify_journal(struct agent *ag)
{
	struct journal_check chk;
	struct sync_state s;
	int64_t now = agent_now(), from = 0;
	if (ag->verified_at && now - ag->verified_at < VERIFY_WHOLE_EVERY) {
		if (store_sync_state(ag->st, &s) != CM_OK)
			return agent_store_fail(ag, _("reading the sync state"));
		from = s.acked_seq;
	}
	enum cm_rc rc = journal_verify_since(ag->st, from, &chk);
	if (rc == CM_CORRUPT)
		return agent_alert_hq(ag, "verify_failed", chk.bad_seq,
		                      _("the journal does not verify at sequence %lld: %s. Nothing "
		                      "is pushed; HQ is told"), (long long)chk.bad_seq, chk.why);
	if (rc == CM_OK && from == 0)
		ag->verified_at = now;
	return rc == CM_OK ? AX_OK : agent_store_fail(ag, _("verifying the journal"));
}

enum agent_exit push_run(struct agent *ag)
{
	struct push p = { .ag = ag };
	struct journal_entry head;
	struct sync_state s;
	int64_t open = 0;
	enum agent_exit ax = AX_OK;
	report_pending(ag);
	if (store_sync_alert_open_count(ag->st, &open) != CM_OK)
		return agent_store_fail(ag, _("reading sync alerts"));
	if (open) {
		snprintf(ag->msg, sizeof ag->msg, _("pushing is parked: %lld alert(s) open; see "
		         "'coopmart-sync status', then 'coopmart-sync clear-alert ID'"),
		         (long long)open);
		agent_log("%s", ag->msg);
		ag->terminal_checked = false;
		return AX_REFUSED;
	}
	if ((ax = verify_journal(ag)) != AX_OK)
		return ax;
	if ((ax = opening_stock(ag)) != AX_OK)
		return ax;
	if (journal_head(ag->st, &head) != CM_OK)
		return agent_store_fail(ag, _("reading the journal"));
	p.head = head.seq;
	if (!ag->terminal_checked && (ax = check_terminal(ag, p.head)) != AX_OK)
		return ax;
	if (store_sync_state(ag->st, &s) != CM_OK)
		return agent_store_fail(ag, _("reading the sync state"));
	p.next = s.acked_seq + 1;
	p.b.max_events = (size_t)ag->cfg.batch_events;
	p.b.max_bytes = (size_t)ag->cfg.batch_bytes;
	if (!(p.b.ev = calloc(p.b.max_events, sizeof *p.b.ev))) {
		snprintf(ag->msg, sizeof ag->msg, _("out of memory"));
		return AX_LOCAL;
	}
	if (p.next > p.head)
		agent_log(_("nothing to push: HQ holds every event (up to %lld)"), (long long)s.acked_seq);
	while (ax == AX_OK && p.next <= p.head) {
		if (backoff_stopping()) {
			snprintf(ag->msg, sizeof ag->msg, _("stopped by a signal"));
			ax = AX_UNAVAILABLE;
			break;
		}
		batch_clear(&p.b);
		if (store_sync_events(ag->st, p.next, (int64_t)p.b.max_events, collect, &p.b) != CM_OK) {
			ax = agent_store_fail(ag, _("reading the journal"));
		} else if (p.b.nomem) {
			snprintf(ag->msg, sizeof ag->msg, _("out of memory"));
			ax = AX_LOCAL;
		} else if (p.b.n == 0 || p.b.ev[0].seq != p.next) {
			snprintf(ag->msg, sizeof ag->msg, _("the journal has no event %lld (run "
			         "'coopmart journal verify')"), (long long)p.next);
			ax = AX_LOCAL;
		} else {
			/* A till selling meanwhile adds events after the head read
			 * above, and a batch may carry them: the head is at least the
			 * batch's last, or HQ's acknowledgement of them would look
			 * like a database older than HQ's copy. */
			if (p.b.ev[p.b.n - 1].seq > p.head)
				p.head = p.b.ev[p.b.n - 1].seq;
			ax = push_batch(&p);
		}
		if (ax == AX_REFUSED)
			ag->terminal_checked = false;
	}
	batch_clear(&p.b);
	free(p.b.ev);
	return ax;
}
