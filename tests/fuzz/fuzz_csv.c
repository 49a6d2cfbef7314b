/* libFuzzer target: a whole catalogue file through itemcsv_parse. The
 * result must be freed cleanly and keep its promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/itemcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct itemcsv_result r;
	enum cm_rc rc = itemcsv_parse((const char *)data, size, &r);

	if (rc == CM_INVALID && (r.nerrors != 1 || r.nrows != 0))
		abort();
	for (size_t i = 0; i < r.nerrors; i++)
		if (memchr(r.errors[i].msg, '\0', sizeof r.errors[i].msg) == NULL)
			abort();
	for (size_t i = 0; i < r.nrows; i++) {
		const struct item_rec *it = &r.rows[i].item;

		if (!it->sku[0] || !it->name[0] || it->price <= 0 ||
		    it->member_price > it->price || !it->unit[0] ||
		    r.rows[i].nbarcodes > ITEMCSV_MAX_BARCODES ||
		    (it->plu && !it->weighed))
			abort();
	}
	itemcsv_free(&r);
	return 0;
}
