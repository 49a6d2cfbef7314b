/* The receipt check code: what a receipt's QR code holds, and the text
 * printed under it for a member to type, so that anyone holding the
 * receipt can ask HQ whether it is the sale HQ holds (coopmart-hq check,
 * GET /check; sync/PROTOCOL.md "Receipt check codes"):
 *
 *   CM1:STORE:TERMINAL:RECEIPT:SEQ:HASH:DUE
 *   CM1:KMB-SMG:K01:K01-000412:1207:9c1f2a3b4c5d6e7f:57500
 *
 *   CM1       the format, version 1
 *   STORE     the store code HQ enrolled (1..31 of A-Z a-z 0-9 - _ .)
 *   TERMINAL  the terminal id (1..15 of the same)
 *   RECEIPT   the sale's receipt number, or a return's number (1..31)
 *   SEQ       the journal sequence of the sale (return) event, decimal
 *   HASH      the first 16 hex digits of that event's hash: 64 bits, so a
 *             made-up receipt matches HQ's record by chance once in 2^64
 *   DUE       what the customer paid (a return: was paid back), rupiah,
 *             decimal: the sale's total + dues + rounding
 *
 * None of the fields can hold ':' or white space, so a code wrapped over
 * several printed lines reads back whole: the parser drops white space
 * anywhere and takes "cm1" and hex digits in either case. Pure C. */
#ifndef CHECKCODE_H
#define CHECKCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHECKCODE_HASH_HEX 16
/* The longest code: 3 + 31 + 15 + 31 + 19 + 16 + 19 and 6 separators. */
#define CHECKCODE_MAX 160

struct checkcode {
	char store[32];
	char terminal[16];
	char receipt[32];
	int64_t seq;                           /* >= 1 */
	char hash[CHECKCODE_HASH_HEX + 1];     /* lower-case hex */
	int64_t due;                           /* >= 0 */
};

/* The code of c into buf (n >= CHECKCODE_MAX is always enough). false,
 * with buf "", when a field cannot be written (empty, too long, a
 * character outside its set, seq < 1, due < 0, hash not 16+ hex digits:
 * only the first 16 are used). */
bool checkcode_format(const struct checkcode *c, char *buf, size_t n);

/* Reads a code typed or scanned (NULL-safe). false when text is not a
 * code of this format; *out is then zeroed. */
bool checkcode_parse(const char *text, struct checkcode *out);

#endif
