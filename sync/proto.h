/* The sync protocol's messages (sync/PROTOCOL.md) as C records, and their
 * JSON encoding and decoding with cJSON. Used by both ends: the agent and
 * the regional server. Decoders are strict: a missing field or a wrong
 * type is CM_INVALID with a message naming the field; they are fuzzed.
 *
 * Ownership: every *_encode returns a malloc'd NUL-terminated JSON text
 * (NULL on allocation failure); every decoded record owns its arrays and is
 * freed with its *_free, which also accepts a zeroed record. */
#ifndef PROTO_H
#define PROTO_H

#include "core/dues.h"
#include "core/records.h"

#define PROTO_VERSION 1
#define PROTO_MAX_EVENTS 1000
#define PROTO_MAX_BODY (4u * 1024 * 1024)
#define PROTO_HEX_HASH 65          /* 64 hex digits + NUL */
#define PROTO_HEX_SIG 129          /* an Ed25519 signature: 128 hex digits + NUL */
#define PROTO_MAX_BARCODES 8

struct proto_event {
	int64_t seq;
	char type[32];
	int64_t at;
	int64_t user;
	char *payload;                  /* canonical JSON text, owned */
	char prev_hash[PROTO_HEX_HASH];
	char hash[PROTO_HEX_HASH];
	char sig[PROTO_HEX_SIG];        /* Ed25519 over the hash, hex; "" = unsigned */
};

struct proto_push {
	char store[32];
	char terminal[16];
	int64_t local_head;
	struct proto_event *events;
	size_t nevents;
};

struct proto_ack {
	int64_t acked_seq;
	char head_hash[PROTO_HEX_HASH];   /* "" when nothing is held */
	int64_t stored;
	int64_t duplicates;
};

struct proto_error {
	char code[32];
	char message[256];
	int64_t seq;                      /* -1 when absent */
	int64_t acked_seq;                /* -1 when absent */
};

struct proto_item {
	struct item_rec item;             /* id unused */
	char barcodes[PROTO_MAX_BARCODES][16];
	size_t nbarcodes;
	int64_t version;
};

#define PROTO_MAX_OWED 120            /* wajib months owed listed per member */
#define PROTO_MAX_RATES 1000

struct proto_member {
	struct member_rec m;              /* id unused; m.hq.month/seq from the page */
	int64_t version;
	struct dues_owed owed[PROTO_MAX_OWED]; /* oldest first */
	size_t nowed;
};

/* One page of a catalogue or members pull. */
struct proto_page {
	int64_t upto;
	struct proto_item *items;
	size_t nitems;
	struct proto_member *members;
	size_t nmembers;
	char (*deleted)[32];              /* SKUs (catalogue) or numbers (members) */
	size_t ndeleted;
	char next[80];                    /* "" on the last page */
	/* members pages: the dues schedule and what the standings are as of */
	bool has_dues;
	int32_t month;                    /* HQ's month, YYYYMM */
	int64_t acked_seq;
	int32_t inactive_after;
	struct dues_rate *rates;
	size_t nrates;
};

struct proto_terminal {
	char store[32];
	char terminal[16];
	int64_t acked_seq;
	char head_hash[PROTO_HEX_HASH];
	int64_t catalogue_version;
	int64_t members_version;
};

/* What a terminal found wrong with its own journal, for HQ to keep until
 * an operator acknowledges it (POST /v1/alerts). kind: one of
 * proto_report_kinds; seq: the journal sequence concerned (0 = none). */
struct proto_report {
	char store[32];
	char terminal[16];
	char kind[24];
	int64_t seq;
	char detail[256];
};
/* NULL-terminated: verify_failed, fork, older_database. */
extern const char *const proto_report_kinds[];

/* Purchase orders HQ sends a store (GET /v1/orders). qty in thousandths
 * (pieces x 1000, or grams for weighed items), cost rupiah per piece/kg. */
#define PROTO_MAX_ORDERS 200
#define PROTO_MAX_ORDER_LINES 500
struct proto_order_line {
	char sku[32];
	int64_t qty;
	int64_t cost;
};
struct proto_order {
	char po[32];
	char supplier[64];
	int32_t date;                     /* yyyymmdd */
	int64_t version;
	struct proto_order_line *lines;
	size_t nlines;
};
struct proto_orders {
	int64_t upto;                     /* the newest version in this answer */
	bool more;                        /* more orders after upto: ask again */
	struct proto_order *orders;
	size_t norders;
};

char *proto_push_encode(const struct proto_push *p);
enum cm_rc proto_push_decode(const char *json, size_t len, struct proto_push *out,
                             char *err, size_t errlen);
void proto_push_free(struct proto_push *p);

char *proto_ack_encode(const struct proto_ack *a);
enum cm_rc proto_ack_decode(const char *json, size_t len, struct proto_ack *out,
                            char *err, size_t errlen);

char *proto_error_encode(const struct proto_error *e);
enum cm_rc proto_error_decode(const char *json, size_t len, struct proto_error *out,
                              char *err, size_t errlen);

/* Pages are decoded with their cJSON tree in a pool of big chunks, kept
 * for the next page, instead of a malloc and a free per node. Installs
 * cJSON's allocation hooks for the whole process: call it once, before
 * any thread uses cJSON (the agent's main). Without it pages decode as
 * every other message does. */
void proto_pool_init(void);

/* kind: "items" for the catalogue, "members" for members. */
char *proto_page_encode(const struct proto_page *p);
enum cm_rc proto_page_decode(const char *json, size_t len, struct proto_page *out,
                             char *err, size_t errlen);
void proto_page_free(struct proto_page *p);

char *proto_terminal_encode(const struct proto_terminal *t);
enum cm_rc proto_terminal_decode(const char *json, size_t len, struct proto_terminal *out,
                                 char *err, size_t errlen);

char *proto_orders_encode(const struct proto_orders *o);
enum cm_rc proto_orders_decode(const char *json, size_t len, struct proto_orders *out,
                               char *err, size_t errlen);
void proto_orders_free(struct proto_orders *o);
/* Checks that s is 64 lower-case hex digits. */
bool proto_is_hash(const char *s);

char *proto_report_encode(const struct proto_report *r);
/* Also CM_INVALID for a kind not in proto_report_kinds or a negative seq. */
enum cm_rc proto_report_decode(const char *json, size_t len, struct proto_report *out,
                               char *err, size_t errlen);

/* Online orders of the members' shop (GET /v1/shop/orders, PROTOCOL.md
 * "Online orders"). qty in thousandths, price the member price per piece
 * or kg as ordered; picked is the picking a terminal journaled
 * (has_picked false: null). */
#define PROTO_MAX_SHOP_ORDERS 200
#define PROTO_MAX_SHOP_LINES 100
struct proto_shop_line {
	int64_t line;
	char sku[32];
	char gtin[16];
	char name[80];
	int64_t qty;
	int64_t price;
	/* the picking of this line (when the order's has_picked) */
	char pick_status[16];             /* picked, short, substituted */
	int64_t picked_qty;
	char sub_sku[32];                 /* substituted: the item given instead */
	int64_t sub_price;                /* its member price */
};
struct proto_shop_order {
	char id[24];
	int64_t version;
	char status[16];                  /* placed ready collected expired cancelled */
	char member[24];
	char member_name[64];
	int64_t placed_at, slot_start, slot_end, expires_at;
	int64_t total;
	bool has_picked;
	int64_t picked_total;
	struct proto_shop_line *lines;
	size_t nlines;
};
struct proto_shop_orders {
	int64_t upto;
	bool more;
	struct proto_shop_order *orders;
	size_t norders;
};
/* true when s is one of the five order statuses / three pick statuses. */
bool proto_shop_status_valid(const char *s);
bool proto_shop_pick_valid(const char *s);

char *proto_shop_orders_encode(const struct proto_shop_orders *o);
enum cm_rc proto_shop_orders_decode(const char *json, size_t len, struct proto_shop_orders *out,
                                    char *err, size_t errlen);
void proto_shop_orders_free(struct proto_shop_orders *o);

#endif
