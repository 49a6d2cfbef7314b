/* coopmart-sync: the command line, the modes, and what they share
 * (logging, alerts, exit codes). See agent.h for the exit codes. */
#include "sync/agent/agent.h"
#include "sync/agent/backoff.h"
#include "core/i18n.h"
#include "sync/proto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_CONFIG "/etc/coopmart/sync.conf"

static const char *const usage_text = N_(
	"usage: coopmart-sync [--config FILE] COMMAND\n"
	"\n"
	"Commands:\n"
	"  once            push the journal's waiting events to HQ, then pull the\n"
	"                  catalogue and members\n"
	"  daemon          keep running: push every push_every minutes when events\n"
	"                  wait, a full sync nightly at nightly_at; stops on SIGTERM\n"
	"  status          last successful push and pull, events waiting, alerts\n"
	"  clear-alert ID  clear an alert once its cause is dealt with (pushing resumes)\n"
	"  check           read the configuration only, and say what it holds\n"
	"\n"
	"Options:\n"
	"  --config FILE   the configuration (default /etc/coopmart/sync.conf)\n"
	"\n"
	"Exit codes: 0 done (also: nothing to do), 1 usage or configuration error,\n"
	"2 another coopmart-sync works on this database, 3 HQ refused: pushing is\n"
	"parked with an alert (status: an alert is open), 4 HQ unavailable after\n"
	"retries, 5 HQ's certificate or key not trusted, 6 local database error.\n");

void agent_log(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "coopmart-sync: %s\n", line);
}

int64_t agent_now(void)
{
	return (int64_t)time(NULL);
}

static int severity(enum agent_exit x)
{
	switch (x) {
	case AX_OK: return 0;
	case AX_UNAVAILABLE: return 1;
	case AX_UNTRUSTED: return 2;
	case AX_RUNNING: return 3;
	case AX_REFUSED: return 4;
	case AX_USAGE: return 5;
	case AX_LOCAL: return 6;
	}
	return 6;
}

enum agent_exit agent_worse(enum agent_exit a, enum agent_exit b)
{
	return severity(a) >= severity(b) ? a : b;
}

enum agent_exit agent_store_fail(struct agent *ag, const char *doing)
{
	snprintf(ag->msg, sizeof ag->msg, "%s: %s", doing, store_errmsg(ag->st));
	agent_log("%s", ag->msg);
	return AX_LOCAL;
}

struct same_alert {
	const char *code;
	int64_t id;
};

static void find_same(const struct sync_alert *a, void *ctx)
{
	struct same_alert *s = ctx;
	if (!s->id && strcmp(a->code, s->code) == 0)
		s->id = a->id;
}

static enum agent_exit alert_v(struct agent *ag, const char *code, bool report, int64_t seq,
                               const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static enum agent_exit alert_v(struct agent *ag, const char *code, bool report, int64_t seq,
                               const char *fmt, va_list ap)
{
	char text[sizeof ag->msg - 64];
	int64_t id = 0;
	struct same_alert same = { code, 0 };
	vsnprintf(text, sizeof text, fmt, ap);
	ag->terminal_checked = false;
	/* One open alert per kind: a daemon meeting a revoked token every
	 * night should not bury the operator in copies. */
	if (store_sync_alert_each(ag->st, true, find_same, &same) == CM_OK && same.id) {
		snprintf(ag->msg, sizeof ag->msg, _("alert %lld (still open): %s"), (long long)same.id,
		         text);
		agent_log("%s", ag->msg);
		return AX_REFUSED;
	}
	enum cm_rc rc = report ? store_sync_alert_add_report(ag->st, agent_now(), code, seq, text, &id)
	                       : store_sync_alert_add(ag->st, agent_now(), code, text, &id);
	if (rc != CM_OK) {
		agent_log(_("ALERT (could not be recorded: %s): %s"), store_errmsg(ag->st), text);
		snprintf(ag->msg, sizeof ag->msg, "%s", text);
		return AX_LOCAL;
	}
	snprintf(ag->msg, sizeof ag->msg, _("alert %lld: %s"), (long long)id, text);
	agent_log(_("ALERT %lld (%s): %s; pushing is parked until 'coopmart-sync clear-alert %lld'"),
	          (long long)id, code, text, (long long)id);
	if (report)
		report_pending(ag);
	return AX_REFUSED;
}

enum agent_exit agent_alert(struct agent *ag, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum agent_exit ax = alert_v(ag, code, false, 0, fmt, ap);
	va_end(ap);
	return ax;
}

enum agent_exit agent_alert_hq(struct agent *ag, const char *code, int64_t seq,
                               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum agent_exit ax = alert_v(ag, code, true, seq, fmt, ap);
	va_end(ap);
	return ax;
}

enum agent_exit agent_sync_once(struct agent *ag)
{
	int64_t waiting = 0;
	ag->msg[0] = '\0';
	ag->pulled = false;
	enum agent_exit ax = push_run(ag);
	char first[sizeof ag->msg];
	snprintf(first, sizeof first, "%s", ag->msg);
	if (ax == AX_OK || ax == AX_REFUSED) {
		/* A parked push does not stop prices reaching the till. */
		enum agent_exit pax = pull_run(ag);
		if (pax == AX_OK && ax == AX_OK && store_sync_waiting(ag->st, &waiting) == CM_OK &&
		    waiting > 0)
			pax = push_run(ag);     /* what the pull journaled */
		if (pax != AX_OK && ax == AX_OK)
			snprintf(first, sizeof first, "%s", ag->msg);
		ax = agent_worse(ax, pax);
	}
	if (ax != AX_LOCAL &&
	    store_sync_set_attempt(ag->st, agent_now(), ax == AX_OK ? "" : first, ag->pulled) != CM_OK)
		ax = agent_store_fail(ag, _("saving the sync state"));
	return ax;
}

/* One agent per database: a timer's `once` and the daemon must not both
 * push. The lock is held until the process ends. */
static enum agent_exit take_lock(const char *db)
{
	char path[1100];
	snprintf(path, sizeof path, "%s.sync-lock", db);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		agent_log(_("cannot create the lock file %s: %s"), path, strerror(errno));
		return AX_LOCAL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		agent_log(_("another coopmart-sync is already working on %s"), db);
		close(fd);
		return AX_RUNNING;
	}
	return AX_OK;   /* fd stays open: the lock lives as long as we do */
}

/* The database's store code (setting store_code) and the config's store =
 * must agree: a config copied from another store's till, or pointed at
 * another store's database, would push under the wrong store. A database
 * without a code (made before codes were kept, or by init without
 * --store-code) takes the config's on its first sync (status only reads). */
static enum agent_exit check_store_code(struct agent *ag, bool may_write)
{
	char code[32];
	enum cm_rc rc = store_setting_get(ag->st, "store_code", code, sizeof code);
	if (rc == CM_NOTFOUND || (rc == CM_OK && !code[0])) {
		if (!may_write)
			return AX_OK;
		if (store_sync_adopt_store_code(ag->st, ag->cfg.store, agent_now()) != CM_OK)
			return agent_store_fail(ag, _("recording the store code"));
		agent_log(_("the database %s had no store code; it is now %s (from %s)"), ag->cfg.db,
		          ag->cfg.store, ag->cfg.path);
		return AX_OK;
	}
	if (rc != CM_OK)
		return agent_store_fail(ag, _("reading the store code"));
	if (strcmp(code, ag->cfg.store) != 0) {
		agent_log(_("%s says store = %s, but the database %s belongs to store %s (its "
		            "store code); one of them is wrong: fix the config, or the database "
		            "path in it"), ag->cfg.path, ag->cfg.store, ag->cfg.db, code);
		return AX_USAGE;
	}
	return AX_OK;
}

static enum agent_exit open_store(struct agent *ag, bool may_write)
{
	char err[400], terminal[32];
	enum cm_rc rc = store_open(ag->cfg.db, 0, 0, &ag->st, err, sizeof err);
	if (rc != CM_OK) {
		agent_log("%s", err);
		return rc == CM_NOTFOUND ? AX_USAGE : AX_LOCAL;
	}
	if (store_setting_get(ag->st, "terminal_id", terminal, sizeof terminal) != CM_OK)
		snprintf(terminal, sizeof terminal, "T01");
	if (strcmp(terminal, ag->cfg.terminal) != 0) {
		agent_log(_("%s: the database %s belongs to terminal %s, the config says %s"),
		          ag->cfg.path, ag->cfg.db, terminal, ag->cfg.terminal);
		return AX_USAGE;
	}
	return check_store_code(ag, may_write);
}

/* What once and daemon need beyond the database: the token and HTTPS. */
static enum agent_exit open_network(struct agent *ag)
{
	char token[256], err[600];
	enum agent_exit ax = AX_OK;
	if (config_read_token(&ag->cfg, token, sizeof token, err, sizeof err) != CM_OK) {
		agent_log("%s", err);
		ax = AX_USAGE;
	} else if (http_new(&ag->cfg, token, &ag->http, err, sizeof err) != HTTP_DONE) {
		agent_log("%s", err);
		ax = AX_USAGE;
	}
	sodium_memzero(token, sizeof token);
	return ax;
}

/* check: the file parsed (config_load did that); what it says, in short. */
static int check_config(const struct config *c)
{
	printf(_("%s: valid. Store %s, terminal %s, HQ %s, database %s, token file %s\n"),
	       c->path, c->store, c->terminal, c->url, c->db, c->token_file);
	return AX_OK;
}

static int run(struct agent *ag, const char *cmd, int argc, char **argv)
{
	if (strcmp(cmd, "check") == 0 && argc == 0)
		return check_config(&ag->cfg);
	bool net = strcmp(cmd, "once") == 0 || strcmp(cmd, "daemon") == 0;
	bool known = net || strcmp(cmd, "status") == 0 || strcmp(cmd, "clear-alert") == 0;
	if (!known || (strcmp(cmd, "clear-alert") == 0) != (argc == 1) || argc > 1) {
		fputs(_(usage_text), stderr);
		return AX_USAGE;
	}
	enum agent_exit ax = net ? take_lock(ag->cfg.db) : AX_OK;
	if (ax == AX_OK)
		ax = open_store(ag, net);
	if (ax == AX_OK && net)
		ax = open_network(ag);
	if (ax != AX_OK)
		return ax;
	if (strcmp(cmd, "once") == 0) {
		ax = agent_sync_once(ag);
		if (ax != AX_OK)
			agent_log(_("not finished: %s"), ag->msg[0] ? ag->msg : _("see above"));
		return ax;
	}
	if (strcmp(cmd, "daemon") == 0)
		return daemon_run(ag);
	if (strcmp(cmd, "status") == 0)
		return status_show(ag);
	return status_clear_alert(ag, argv[0]);
}

int main(int argc, char **argv)
{
	i18n_init();
	proto_pool_init();      /* before the pull's threads */
	static struct agent ag;
	const char *config = DEFAULT_CONFIG;
	char err[600];
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(_(usage_text), stdout);
			return AX_OK;
		} else {
			fputs(_(usage_text), stderr);
			return AX_USAGE;
		}
	}
	if (i >= argc) {
		fputs(_(usage_text), stderr);
		return AX_USAGE;
	}
	if (sodium_init() < 0) {
		agent_log(_("cannot initialise libsodium"));
		return AX_LOCAL;
	}
	backoff_signals_init();
	if (config_load(config, &ag.cfg, err, sizeof err) != CM_OK) {
		agent_log("%s", err);
		return AX_USAGE;
	}
	int ex = run(&ag, argv[i], argc - i - 1, argv + i + 1);
	http_free(ag.http);
	store_close(ag.st);
	return ex;
}
