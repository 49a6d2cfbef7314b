/* Plain records passed between the engine and the store. Fixed-size text
 * fields keep ownership simple: a record owns nothing and is copied by
 * value. Lengths include the terminating NUL. */
#ifndef RECORDS_H
#define RECORDS_H

#include "core/cm.h"
#include "core/tax.h"

enum role { ROLE_CASHIER = 0, ROLE_SUPERVISOR = 1, ROLE_ADMIN = 2, ROLE_COUNT };

struct item_rec {
	int64_t id;
	char sku[32];
	char name[96];
	char receipt_name[96];  /* the name on the receipt (wrapped there); default the name */
	char unit[9];           /* "pcs", "kg", "btl" ... */
	bool weighed;
	cm_money price;         /* shelf price, tax inclusive */
	cm_money member_price;  /* 0 = same as price */
	enum tax_class tax;
	char category[48];
	char supplier[48];
	int32_t plu;            /* scale item code, 0 = none */
	bool active;
};

struct user_rec {
	int64_t id;
	char number[16];        /* what the cashier types at login, e.g. "101" */
	char name[64];
	enum role role;
	bool locked;
	bool active;
	int32_t failed_logins;
	int64_t locked_until;   /* unix seconds a lockout ends; 0 = until unlocked */
	int32_t lockouts;       /* lockouts in a row (each lasts twice the last) */
};

/* A member's dues standing as HQ computed it (sync/PROTOCOL.md "Members'
 * dues"): as of HQ's month `month`, counting this terminal's events up to
 * journal sequence `seq`. All zero before the first pull. */
struct member_standing {
	cm_money pokok_owed;
	int32_t wajib_through;  /* YYYYMM, 0 = the first month is owed */
	int32_t wajib_paid_until;
	int32_t wajib_months;
	cm_money wajib_arrears;
	cm_money sukarela;
	cm_money credit_limit;  /* 0 = no credit */
	cm_money credit_balance;/* what the member owes on credit */
	int32_t month;          /* YYYYMM */
	int64_t seq;
};

struct member_rec {
	int64_t id;
	char number[24];
	char name[64];
	char card_code[32];
	char status[12];        /* "active", "left", "blocked" */
	char type[24];          /* the coop's member type, for the dues rates */
	int32_t join_date;      /* YYYYMMDD, 0 unknown */
	int32_t left_date;      /* YYYYMMDD, 0 = still a member */
	struct member_standing hq;
};

enum disc_kind { DISC_NONE = 0, DISC_PERCENT = 1, DISC_AMOUNT = 2 };

struct line_rec {
	int32_t line_no;        /* 1-based, stable for the ticket's life */
	int64_t item_id;
	char sku[32];
	char barcode[32];       /* what was scanned, "" when added by SKU */
	char name[96];
	char receipt_name[96];
	char unit[9];
	bool weighed;
	enum tax_class tax;
	cm_money unit_price;    /* in force: shelf, member or overridden */
	cm_money list_price;    /* catalogue shelf price when added */
	cm_qty qty;
	enum disc_kind disc_kind;
	int64_t disc_value;     /* basis points or rupiah */
	cm_money fixed_amount;  /* price-embedded scale label: the amount, qty
	                           derived for stock; 0 = amount from price x qty */
	bool voided;
	int64_t price_override_by; /* who approved a price override, 0 = none */
};

/* TENDER_CREDIT: member credit (potong gaji), paid from the member's salary. */
enum tender_kind { TENDER_CASH = 0, TENDER_DEBIT = 1, TENDER_QRIS = 2, TENDER_CREDIT = 3,
                   TENDER_KIND_COUNT };

struct tender_rec {
	enum tender_kind kind;
	cm_money amount;        /* tendered (cash may exceed what is due) */
	char ref[41];           /* debit approval code / QRIS reference */
};

enum ticket_state { TICKET_ACTIVE = 0, TICKET_SUSPENDED = 1 };

struct ticket_rec {
	int64_t id;
	enum ticket_state state;
	int64_t cashier_id;
	int64_t member_id;      /* 0 = none */
	int64_t opened_at;      /* unix seconds */
	bool subtotaled;
	enum disc_kind disc_kind;
	int64_t disc_value;
	char label[33];         /* for suspended tickets: what the cashier sees */
	int64_t credit_approved_by; /* the supervisor who let credit go over the limit */
	char shop_order[24];    /* the online order this ticket collects, "" = none */
};

/* Everything the till knows about a completed sale. Line amounts and the
 * per-class figures are computed by the engine; the store only records. */
struct sale_totals {
	cm_money gross;                    /* sum of line amounts before discounts */
	cm_money line_discounts;
	cm_money ticket_discount;
	cm_money total;                    /* the goods after discounts: sales */
	cm_money dues;                     /* members' dues on the ticket: savings */
	cm_money rounding;                 /* cash rounding difference (+/-) */
	cm_money due;                      /* total + dues + rounding */
	cm_money paid;                     /* sum of tenders */
	cm_money change;
	cm_money class_total[TAX_CLASS_COUNT]; /* tax inclusive, after discounts */
	cm_money class_tax[TAX_CLASS_COUNT];   /* 0 when the store is not PKP */
};

struct sale_line_amounts {
	cm_money amount;        /* unit_price * qty, rounded */
	cm_money line_discount;
	cm_money ticket_discount; /* share of the ticket discount */
	cm_money net;           /* amount - both discounts */
};

/* A completed return (refund) and its lines. sale_id 0: a return without
 * a receipt. Amounts are positive: what goes back to the customer. */
struct return_line_rec {
	int32_t n;              /* 1-based within the return */
	int32_t sale_line;      /* line_no on the sale, 0 = no receipt */
	int64_t item_id;
	char sku[32];
	char name[96];
	char receipt_name[96];
	char unit[9];
	bool weighed;
	enum tax_class tax;
	cm_money unit_price;
	cm_qty qty;
	cm_money amount;        /* refund of this line after the sale's discounts */
	bool damaged;           /* goes to the damaged bin, not the shelf */
};

struct return_rec {
	int64_t id;
	char return_no[32];     /* "<terminal>-R000001", never reused */
	int64_t sale_id;        /* 0 = no receipt */
	char sale_receipt[32];  /* the sale's receipt number, "" = none */
	int64_t cashier_id;
	int64_t approver_id;
	char reason[32];        /* return reason code (engine/returns.h) */
	int64_t at;
	int32_t business_date;
	cm_money total;         /* sum of line amounts */
	cm_money rounding;      /* cash rounding of the cash part (+/-) */
	cm_money refund;        /* total + rounding: paid out */
	cm_money class_total[TAX_CLASS_COUNT];
	cm_money class_tax[TAX_CLASS_COUNT];   /* PPN inside, 0 when not PKP */
	int64_t journal_seq;
};

/* A delivery being received (draft) or posted. */
struct delivery_rec {
	int64_t id;
	int64_t supplier_id;
	char supplier[48];
	int64_t po_id;          /* 0 = none */
	char po_no[32];
	char note[48];          /* the supplier's delivery note number */
	bool posted;
	int64_t created_by;
	int64_t created_at;
	int64_t posted_by;
	int64_t posted_at;
	int64_t journal_seq;    /* 0 while a draft */
};

struct delivery_line_rec {
	int32_t line_no;
	int64_t item_id;
	char sku[32];
	char name[96];
	char barcode[32];
	cm_qty qty;
	cm_money unit_cost;     /* per piece (or kg), tax inclusive */
};

/* A barcode the catalogue does not know, parked for HQ with a delivery. */
struct parked_rec {
	int32_t n;
	char barcode[32];
	char description[96];
	cm_qty qty;
	cm_money unit_cost;
};

#endif
