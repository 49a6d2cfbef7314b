/* coopmart key show|create: the terminal's signing key (store/store_sign.h). */
#include "cli/cli.h"
#include "store/store_sign.h"

#include <stdio.h>
#include <string.h>

static const char *const help = N_(
	"usage: coopmart key show\n"
	"       coopmart --user N key create\n"
	"\n"
	"Every event this terminal journals is signed with its Ed25519 key, made\n"
	"by 'coopmart init' (or 'key create' for a store made before keys, by an\n"
	"admin). The secret half is the file DB.key beside the database (mode\n"
	"0640: the till's and the sync agent's group); the public half is\n"
	"journaled. show prints the line that registers the key with HQ:\n"
	"  coopmart-hq enroll --store S --terminal T --signing-key ed25519:SEQ:HEX\n");

/* Prints the key's state; exit EX_NOTFOUND when there is none. */
static int show(struct cli *c)
{
	struct store_sign_info i;
	char line[128], path[1100];
	enum cm_rc rc = store_sign_info(c->st, &i);
	if (rc != CM_OK)
		return cli_fail(rc, store_errmsg(c->st));
	if (!i.has_key) {
		fprintf(stderr, "coopmart: %s\n",
		        _("this terminal has no signing key (an admin makes one: coopmart --user N "
		        "key create)"));
		return EX_NOTFOUND;
	}
	store_sign_enrolment(&i, line, sizeof line);
	store_sign_path(c->st, path, sizeof path);
	printf("%s\n", line);
	if (i.loaded)
		fprintf(stderr, _("coopmart: signing since sequence %lld with %s\n"),
		        (long long)i.since_seq, path);
	else
		fprintf(stderr, _("coopmart: NOT signing: %s\n"), i.note);
	return EX_DONE;
}

static int create(struct cli *c)
{
	struct store_sign_info i;
	char line[128], path[1100];
	int ex = cli_login(c);
	if (ex != EX_DONE)
		return ex;
	if (till_user(c->till)->role != ROLE_ADMIN)
		return cli_fail(CM_DENIED, _("only an admin makes the signing key"));
	enum cm_rc rc = store_sign_create(c->st, till_now(c->till), till_user(c->till)->id, &i);
	if (rc != CM_OK)
		return cli_fail(rc, store_errmsg(c->st));
	store_sign_enrolment(&i, line, sizeof line);
	store_sign_path(c->st, path, sizeof path);
	printf("%s\n", line);
	fprintf(stderr, _("coopmart: signing key made: %s (mode 0640); register it with HQ: "
	        "coopmart-hq enroll ... --signing-key %s\n"), path, line);
	return EX_DONE;
}

int cmd_key(struct cli *c)
{
	if (c->argc != 1 || cli_wants_help(c->argc, c->argv)) {
		fputs(_(help), c->argc != 1 ? stderr : stdout);
		return c->argc != 1 ? EX_USAGE : EX_DONE;
	}
	if (strcmp(c->argv[0], "show") == 0)
		return show(c);
	if (strcmp(c->argv[0], "create") == 0)
		return create(c);
	return cli_usage(help);
}
