/* The members' online store at HQ: its commands (shop_cmd.c) and its
 * pages under /shop/<store>/ (shop_web.c and the shop_*.c it calls; the
 * routes are in route.h). */
#ifndef SHOP_H
#define SHOP_H

#include "hqstore.h"

/* `coopmart-hq shop ...` (settings, order) and `coopmart-hq member
 * web-pin NUMBER`: argv after the command's name; exit codes as hq.c's. */
int shop_cmd(struct hqstore *st, int argc, char **argv);
int shop_cmd_web_pin(struct hqstore *st, int argc, char **argv);
/* Their usage text, translated (hq.c prints it after its own). */
const char *shop_usage(void);

/* A member's web PIN as the till's rule wants it: 6 to 12 digits and not
 * trivial (core/pin.h). false with the reason in words into msg. */
bool shop_pin_acceptable(const char *member, const char *pin, char *msg, size_t n);

#endif
