/* What a streamed import has put into its build so far, kept in memory
 * (store_catkeys.c): which SKUs and barcodes may have been put (a Bloom
 * filter) and which line of the file put each item (by item id). Used
 * by store_catgen.c only; no SQL here. */
#ifndef STORE_CATKEYS_H
#define STORE_CATKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct catkeys;

/* NULL when out of memory. Free with catkeys_free (NULL is fine). */
struct catkeys *catkeys_new(void);
void catkeys_free(struct catkeys *k);

/* Whether the key (kind 's' SKU, 'b' barcode) may have been added:
 * false is sure, true is wrong for under 0.1% of keys at two million. */
bool catkeys_maybe(const struct catkeys *k, char kind, const char *value);
void catkeys_add(struct catkeys *k, char kind, const char *value);

/* Keys of a line refused after its check (a barcode of another item):
 * a later line repeating them is still a repeat. false when out of
 * memory. catkeys_refused: the first line that had the key, 0 none. */
bool catkeys_refuse(struct catkeys *k, char kind, const char *value, size_t line);
size_t catkeys_refused(const struct catkeys *k, char kind, const char *value);

/* The line that put item id, 0 when none did. */
size_t catkeys_line(const struct catkeys *k, int64_t id);
/* false when out of memory. */
bool catkeys_set_line(struct catkeys *k, int64_t id, size_t line);

#endif
