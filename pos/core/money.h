/* Rupiah amounts and quantities: arithmetic, display, and parsing what a
 * cashier types.
 *
 * Display: "Rp12.500" (dot thousands separator, no decimals), "-Rp500" for
 * negatives. Quantities display with a decimal comma: 2000 -> "2",
 * 750 -> "0,75", 1250 -> "1,25" (trailing zeros of the fraction dropped).
 *
 * Rounding rules, one each, used everywhere:
 *  - line amount = price * qty / 1000, rounded half away from zero;
 *  - percentages: amount * bp / 10000, half away from zero;
 *  - cash rounding to a step: to the nearest multiple, an exact half goes
 *    DOWN (the member never pays the half). */
#ifndef MONEY_H
#define MONEY_H

#include "core/cm.h"

struct money_fmt {
	const char *symbol; /* "Rp" when NULL */
	bool space;         /* "Rp 12.500" rather than "Rp12.500" */
};

/* Writes the formatted amount into buf (always NUL-terminated when n > 0).
 * fmt may be NULL. Returns the length the full text needs, like snprintf. */
size_t money_format(cm_money v, const struct money_fmt *fmt, char *buf, size_t n);

/* Parses an amount typed by a cashier or written in a price list:
 * "12500", "12.500", "Rp12.500", "Rp 12.500", "Rp. 12.500", "1.250.000",
 * with any spaces around it. Dots must group exactly three digits. Rejects
 * (CM_INVALID) empty text, signs, decimals ("12,5", "12.50"), "12,5rb",
 * misplaced separators, trailing junk and values above 10^15. */
enum cm_rc money_parse(const char *s, cm_money *out);

/* The highest price or unit cost the store accepts for one unit (one kg of
 * a weighed item): Rp1.000.000.000. Nothing a coop-mart sells costs more;
 * a larger figure is a barcode or a price with extra zeros typed into a
 * price field, and would make every total absurd. Checked by the catalogue
 * import, price overrides, receiving and cost prices. */
#define MONEY_PRICE_MAX ((cm_money)1000000000)

/* What a member pays a unit: the member price when there is one (above
 * 0) and it is below the shelf price, else the shelf price. The till, the
 * online shop and its picking all price by this. */
cm_money money_member_price(cm_money price, cm_money member_price);

/* The price per piece or kg an online order's substitute sells at
 * (sync/PROTOCOL.md "A substitute's price"): its member price sub_price,
 * lowered when sub_qty of it would cost more than the ordered line
 * (ordered_price x ordered_qty) to the highest price at which that line
 * (money_line_amount) costs no more than the ordered one. The member
 * never pays more for a line than they ordered it at. The till's picking
 * and HQ's fold both price by this; quantities above 0. */
cm_money money_substitute_price(cm_money ordered_price, cm_qty ordered_qty, cm_money sub_price,
                                cm_qty sub_qty);

/* price * qty / 1000, half away from zero. CM_INVALID on overflow. */
enum cm_rc money_line_amount(cm_money price, cm_qty qty, cm_money *out);

/* v * bp / 10000, half away from zero (bp = basis points, 1000 = 10%). */
cm_money money_percent(cm_money v, int32_t bp);

/* Nearest multiple of step (step <= 1 returns v); exact halves go down
 * towards zero. */
cm_money money_round_step(cm_money v, cm_money step);

/* Quantity display with decimal comma, see above. Returns like snprintf. */
size_t qty_format(cm_qty q, char *buf, size_t n);

/* Parses a typed quantity: "3" -> 3000, "0,75" or "0.75" -> 750,
 * "1,250" -> 1250. At most three decimals; must be > 0 and <= 99999.
 * A fraction is refused (CM_INVALID) unless allow_fraction. */
enum cm_rc qty_parse(const char *s, bool allow_fraction, cm_qty *out);

#endif
