/* Common types and the one error convention of coopmart.
 *
 * Money is a signed 64-bit count of the currency's minor unit (for rupiah,
 * 1 rupiah). Quantities are signed 64-bit thousandths: 1 piece = 1000,
 * 0.750 kg = 750. No floating point touches either, anywhere.
 *
 * Functions return enum cm_rc. A message for a person travels on the
 * handle (store_errmsg, sale_errmsg, ...) or through an out-parameter. */
#ifndef CM_H
#define CM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t cm_money;
typedef int64_t cm_qty;

#define CM_QTY_ONE 1000

enum cm_rc {
	CM_OK = 0,
	CM_NOTFOUND,      /* no such item, user, sale ... */
	CM_INVALID,       /* input rejected: bad barcode, amount, CSV row ... */
	CM_DENIED,        /* the role may not do this at all */
	CM_NEED_OVERRIDE, /* allowed with a supervisor's approval */
	CM_LOCKED,        /* user locked out */
	CM_STATE,         /* not possible in the current state */
	CM_CONFLICT,      /* already exists / differs from what is recorded */
	CM_BUSY,          /* database locked by another writer */
	CM_READONLY,      /* database or file system is read-only */
	CM_FULL,          /* disk full */
	CM_CORRUPT,       /* database damaged, journal chain broken */
	CM_IO,            /* other I/O or database error */
	CM_NOMEM,
};

/* Short stable English name for logs and exit-code tables ("notfound"). */
const char *cm_rc_name(enum cm_rc rc);

/* Milliseconds on the monotonic clock: for deadlines and elapsed times,
 * never for dates. */
int64_t cm_mono_ms(void);

/* gettext hook: messages are written in English in code and translated
 * (Bahasa Indonesia first) by the UI's message catalogue. */
#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)

#endif
