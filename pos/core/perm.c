/* The one permission table. Every "may this user do that?" in the till
 * is a lookup here, so the policy can be read (and audited) in one place;
 * tests/unit/test_core_perm.c repeats it so a change is always deliberate. */
#include "core/perm.h"

#include <strings.h>

#define A PERM_ALLOW
#define O PERM_OVERRIDE
#define D PERM_DENY

static const enum perm perm_table[ACT_COUNT][ROLE_COUNT] = {
	/*                          cashier supervisor admin */
	[ACT_SELL]                = { A,      A,         A },
	[ACT_VOID_LINE]           = { A,      A,         A },
	[ACT_VOID_AFTER_SUBTOTAL] = { O,      A,         A },
	[ACT_PRICE_OVERRIDE]      = { O,      A,         A },
	[ACT_DISCOUNT]            = { A,      A,         A },
	[ACT_DISCOUNT_OVER_LIMIT] = { O,      A,         A },
	[ACT_CANCEL_EMPTY]        = { A,      A,         A },
	[ACT_CANCEL_TICKET]       = { O,      A,         A },
	[ACT_NO_SALE]             = { O,      A,         A },
	[ACT_ABORT_RECOVERED]     = { O,      A,         A },
	[ACT_REPRINT]             = { A,      A,         A },
	[ACT_REPORT]              = { D,      A,         A },
	[ACT_MANAGE_USERS]        = { D,      D,         A },
	[ACT_MANAGE_CATALOGUE]    = { D,      D,         A },
	/* Cash out always needs a second person: a limit would only invite
	 * splitting one withdrawal into several small ones. The X report and
	 * the close confirmation show the expected cash, which a cashier must
	 * not see before the blind count. */
	[ACT_SHIFT_OPEN]          = { A,      A,         A },
	[ACT_CASH_IN]             = { A,      A,         A },
	[ACT_CASH_OUT]            = { O,      A,         A },
	[ACT_SHIFT_CLOSE]         = { A,      A,         A },
	[ACT_CLOSE_APPROVE]       = { O,      A,         A },
	[ACT_X_REPORT]            = { O,      A,         A },
	[ACT_Z_REPORT]            = { D,      A,         A },
	[ACT_RETURN]              = { O,      A,         A },
	[ACT_RETURN_NO_RECEIPT]   = { D,      A,         A },
	[ACT_RECEIVE]             = { D,      A,         A },
	[ACT_ADJUST]              = { D,      A,         A },
	[ACT_COUNT_START]         = { D,      A,         A },
	[ACT_STOCK_COUNT]         = { A,      A,         A },
	[ACT_COUNT_POST]          = { D,      A,         A },
	[ACT_STOCK_REPORT]        = { D,      A,         A },
	[ACT_CREDIT_EXCESS]       = { O,      A,         A },
	/* A web PIN opens the member's orders at HQ's shop: a supervisor
	 * checks who is at the counter (their card, their face). */
	[ACT_WEB_PIN]             = { O,      A,         A },
};

#undef A
#undef O
#undef D

/* Written into journal payloads: never rename, only add. */
static const char *const action_names[ACT_COUNT] = {
	[ACT_SELL]                = "sell",
	[ACT_VOID_LINE]           = "void_line",
	[ACT_VOID_AFTER_SUBTOTAL] = "void_after_subtotal",
	[ACT_PRICE_OVERRIDE]      = "price_override",
	[ACT_DISCOUNT]            = "discount",
	[ACT_DISCOUNT_OVER_LIMIT] = "discount_over_limit",
	[ACT_CANCEL_EMPTY]        = "cancel_empty",
	[ACT_CANCEL_TICKET]       = "cancel_ticket",
	[ACT_NO_SALE]             = "no_sale",
	[ACT_ABORT_RECOVERED]     = "abort_recovered",
	[ACT_REPRINT]             = "reprint",
	[ACT_REPORT]              = "report",
	[ACT_MANAGE_USERS]        = "manage_users",
	[ACT_MANAGE_CATALOGUE]    = "manage_catalogue",
	[ACT_SHIFT_OPEN]          = "shift_open",
	[ACT_CASH_IN]             = "cash_in",
	[ACT_CASH_OUT]            = "cash_out",
	[ACT_SHIFT_CLOSE]         = "shift_close",
	[ACT_CLOSE_APPROVE]       = "close_approve",
	[ACT_X_REPORT]            = "x_report",
	[ACT_Z_REPORT]            = "z_report",
	[ACT_RETURN]              = "return",
	[ACT_RETURN_NO_RECEIPT]   = "return_no_receipt",
	[ACT_RECEIVE]             = "receive",
	[ACT_ADJUST]              = "adjust",
	[ACT_COUNT_START]         = "count_start",
	[ACT_STOCK_COUNT]         = "stock_count",
	[ACT_COUNT_POST]          = "count_post",
	[ACT_STOCK_REPORT]        = "stock_report",
	[ACT_CREDIT_EXCESS]       = "credit_excess",
	[ACT_WEB_PIN]             = "web_pin",
};

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_CASHIER]    = "cashier",
	[ROLE_SUPERVISOR] = "supervisor",
	[ROLE_ADMIN]      = "admin",
};

static bool action_valid(enum action act)
{
	return (unsigned)act < ACT_COUNT;
}

static bool role_valid(enum role r)
{
	return (unsigned)r < ROLE_COUNT;
}

/* Out-of-range values come from corrupt data or a bug: fail closed. */
enum perm perm_check(enum role role, enum action act)
{
	if (!role_valid(role) || !action_valid(act))
		return PERM_DENY;
	return perm_table[act][role];
}

const char *perm_action_name(enum action act)
{
	return action_valid(act) ? action_names[act] : "unknown";
}

const char *role_name(enum role r)
{
	return role_valid(r) ? role_names[r] : "unknown";
}

/* Accepts the English names and "kasir", which is what Indonesian staff
 * call the role; any case. */
enum cm_rc role_parse(const char *s, enum role *out)
{
	if (!s)
		return CM_INVALID;
	if (strcasecmp(s, "kasir") == 0) {
		*out = ROLE_CASHIER;
		return CM_OK;
	}
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (strcasecmp(s, role_names[r]) == 0) {
			*out = (enum role)r;
			return CM_OK;
		}
	}
	return CM_INVALID;
}
