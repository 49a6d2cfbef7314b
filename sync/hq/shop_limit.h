/* Rate limits of the members' shop (shop_limit.c), in memory: a token
 * bucket per key ("login addr 10.0.0.7", "order member A-0001"), shared
 * by every worker thread. A full table forgets the stalest bucket, so a
 * flood of new keys cannot grow it; a forgotten bucket starts full again,
 * which the PIN lockout (kept in the database) backs up. */
#ifndef SHOP_LIMIT_H
#define SHOP_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* True when key may act at now (seconds): its bucket holds burst tokens
 * and gains one every per_s seconds; each act takes one. */
bool shop_limit_take(const char *key, int burst, int per_s, int64_t now);

#endif
