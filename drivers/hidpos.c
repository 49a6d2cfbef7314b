/* hidpos: HID report descriptor parser and POS scanner report decoder
 * (formats in hidpos.h). */
#include "drivers/hidpos.h"

#include <string.h>

#define MAX_USAGES   64
#define MAX_STACK    8
#define MAX_DEPTH    32
#define MAX_REPORT_BITS (64u * 1024u * 8u)

enum { TYPE_MAIN, TYPE_GLOBAL, TYPE_LOCAL };
enum { MAIN_INPUT = 8, MAIN_OUTPUT = 9, MAIN_COLLECTION = 10, MAIN_FEATURE = 11, MAIN_END = 12 };
enum { G_PAGE = 0, G_SIZE = 7, G_ID = 8, G_COUNT = 9, G_PUSH = 10, G_POP = 11 };
enum { L_USAGE = 0, L_MIN = 1, L_MAX = 2 };
enum { U_SYM1 = 0xFB, U_DATA = 0xFE, U_CONT = 0xFF };

struct globals {
	uint32_t page, size, count, id;
};

struct parser {
	struct globals g, stack[MAX_STACK];
	int sp, depth;
	uint32_t usages[MAX_USAGES];	/* page << 16 | usage */
	int n_usages;
	uint32_t umin;
	int have_min;
	uint32_t in_bits[256];		/* input bits so far, per report id */
	int uses_ids;
	/* The candidate length field: the last 8-bit single field seen. */
	uint32_t last_bit, last_id;
	int last_one_byte;
	int found_data;
	struct hidpos_layout *out;
};

static uint32_t full_usage(const struct parser *p, uint32_t v, size_t n)
{
	return n == 4 ? v : (p->g.page << 16 | (v & 0xFFFF));
}

static void add_usage(struct parser *p, uint32_t u)
{
	if (p->n_usages < MAX_USAGES)
		p->usages[p->n_usages++] = u;
}

static void set_field(struct hidpos_field *f, uint8_t id, uint32_t bit, uint32_t size,
                      uint32_t count)
{
	f->id = id;
	f->bit = bit;
	f->size = (uint16_t)size;
	f->count = (uint16_t)count;
	f->present = 1;
}

/* The usage of field i of an input item: usages apply in order, the last
 * repeating (HID 1.11, 6.2.2.8). */
static uint32_t usage_of(const struct parser *p, uint32_t i)
{
	if (p->n_usages == 0)
		return 0;
	return p->usages[i < (uint32_t)p->n_usages ? i : (uint32_t)p->n_usages - 1];
}

static void claim_length(struct parser *p, uint32_t first_bit)
{
	struct hidpos_layout *l = p->out;
	if (!l->length.present && !l->sym[0].present && !l->data.present &&
	    p->last_one_byte && p->last_id == p->g.id && p->last_bit + 8 == first_bit)
		set_field(&l->length, (uint8_t)p->last_id, p->last_bit, 8, 1);
}

static void take_input(struct parser *p, uint32_t flags)
{
	uint32_t id = p->g.id, bit = p->in_bits[id];
	struct hidpos_layout *l = p->out;
	int is_var = (flags & 0x02) != 0;
	int claimed = 0;

	/* Only the report that holds the decoded data is kept; once found,
	 * fields of other reports are skipped. */
	if (!p->found_data || l->report_id == id) {
		for (uint32_t i = 0; is_var && i < p->g.count; i++) {
			uint32_t u = usage_of(p, i);
			uint32_t fbit = bit + i * p->g.size;
			if (u >> 16 != HIDPOS_PAGE)
				continue;
			u &= 0xFFFF;
			if (u >= U_SYM1 && u < U_DATA && p->g.size == 8) {
				claim_length(p, fbit);
				set_field(&l->sym[u - U_SYM1], (uint8_t)id, fbit, 8, 1);
				claimed = 1;
			} else if (u == U_DATA && p->g.size == 8 && !l->data.present) {
				claim_length(p, fbit);
				/* One usage for a run of bytes: the whole run is data. */
				uint32_t n = (p->n_usages <= 1 || i + 1 >= (uint32_t)p->n_usages)
				             ? p->g.count - i : 1;
				set_field(&l->data, (uint8_t)id, fbit, 8, n);
				l->report_id = (uint8_t)id;
				p->found_data = 1;
				claimed = 1;
				i += n - 1;
			} else if (u == U_CONT && !l->cont.present) {
				set_field(&l->cont, (uint8_t)id, fbit, p->g.size, 1);
				claimed = 1;
			}
		}
	}
	p->last_one_byte = !claimed && p->g.count == 1 && p->g.size == 8;
	p->last_bit = bit;
	p->last_id = id;
	p->in_bits[id] = bit + p->g.size * p->g.count;
}

static void clear_locals(struct parser *p)
{
	p->n_usages = 0;
	p->have_min = 0;
}

static enum hidpos_rc main_item(struct parser *p, uint32_t tag, uint32_t v)
{
	switch (tag) {
	case MAIN_INPUT:
		if ((uint64_t)p->g.size * p->g.count + p->in_bits[p->g.id] > MAX_REPORT_BITS)
			return HIDPOS_MALFORMED;
		if (!(v & 0x01))	/* constant fields are padding */
			take_input(p, v);
		else
			p->in_bits[p->g.id] += p->g.size * p->g.count;
		break;
	case MAIN_COLLECTION:
		if (++p->depth > MAX_DEPTH)
			return HIDPOS_MALFORMED;
		break;
	case MAIN_END:
		if (--p->depth < 0)
			return HIDPOS_MALFORMED;
		break;
	default:
		break;
	}
	clear_locals(p);
	return HIDPOS_OK;
}

static enum hidpos_rc global_item(struct parser *p, uint32_t tag, uint32_t v)
{
	switch (tag) {
	case G_PAGE:  p->g.page = v & 0xFFFF; break;
	case G_SIZE:  if (v > 32) return HIDPOS_MALFORMED; p->g.size = v; break;
	case G_COUNT: if (v > 65535) return HIDPOS_MALFORMED; p->g.count = v; break;
	case G_ID:
		if (v == 0 || v > 255)
			return HIDPOS_MALFORMED;
		p->g.id = v;
		p->uses_ids = 1;
		break;
	case G_PUSH:
		if (p->sp >= MAX_STACK)
			return HIDPOS_MALFORMED;
		p->stack[p->sp++] = p->g;
		break;
	case G_POP:
		if (p->sp <= 0)
			return HIDPOS_MALFORMED;
		p->g = p->stack[--p->sp];
		break;
	default:
		break;
	}
	return HIDPOS_OK;
}

static void local_item(struct parser *p, uint32_t tag, uint32_t v, size_t n)
{
	switch (tag) {
	case L_USAGE:
		add_usage(p, full_usage(p, v, n));
		break;
	case L_MIN:
		p->umin = full_usage(p, v, n);
		p->have_min = 1;
		break;
	case L_MAX:
		if (p->have_min) {
			uint32_t umax = full_usage(p, v, n);
			for (uint32_t u = p->umin; u <= umax && p->n_usages < MAX_USAGES; u++)
				add_usage(p, u);
		}
		break;
	default:
		break;
	}
}

enum hidpos_rc hidpos_parse(const uint8_t *desc, size_t len, struct hidpos_layout *out)
{
	static const size_t sizes[4] = {0, 1, 2, 4};
	struct parser p;
	size_t i = 0;
	enum hidpos_rc rc = HIDPOS_OK;

	memset(&p, 0, sizeof p);
	memset(out, 0, sizeof *out);
	p.out = out;
	while (i < len && rc == HIDPOS_OK) {
		uint8_t prefix = desc[i++];
		if (prefix == 0xFE) {	/* long item: size, tag, data; none defined */
			if (i + 2 > len || desc[i] > len - i - 2)
				return HIDPOS_MALFORMED;
			i += 2 + desc[i];
			continue;
		}
		size_t n = sizes[prefix & 3];
		if (n > len - i)
			return HIDPOS_MALFORMED;
		uint32_t v = 0;
		for (size_t k = 0; k < n; k++)
			v |= (uint32_t)desc[i + k] << (8 * k);
		i += n;
		uint32_t tag = prefix >> 4;
		switch ((prefix >> 2) & 3) {
		case TYPE_MAIN:   rc = main_item(&p, tag, v); break;
		case TYPE_GLOBAL: rc = global_item(&p, tag, v); break;
		case TYPE_LOCAL:  local_item(&p, tag, v, n); break;
		default: break;	/* reserved type */
		}
	}
	if (rc != HIDPOS_OK)
		return rc;
	if (p.depth != 0)
		return HIDPOS_MALFORMED;
	if (!out->data.present)
		return HIDPOS_NO_DATA;
	/* Fields seen before the data in another report are not its own. */
	struct hidpos_field *others[] = { &out->cont, &out->length, &out->sym[0], &out->sym[1], &out->sym[2] };
	for (size_t k = 0; k < sizeof others / sizeof *others; k++)
		if (others[k]->present && others[k]->id != out->report_id)
			memset(others[k], 0, sizeof *others[k]);
	out->uses_ids = p.uses_ids;
	out->report_len = (p.in_bits[out->report_id] + 7) / 8 + (p.uses_ids ? 1 : 0);
	return HIDPOS_OK;
}

static uint32_t get_bits(const uint8_t *r, size_t len, uint32_t bit, uint32_t size)
{
	uint32_t v = 0;
	for (uint32_t k = 0; k < size; k++) {
		uint32_t b = bit + k;
		if (b / 8 >= len)
			break;
		v |= (uint32_t)((r[b / 8] >> (b % 8)) & 1) << k;
	}
	return v;
}

void hidpos_init(struct hidpos *p, const struct hidpos_layout *l)
{
	memset(p, 0, sizeof *p);
	p->l = *l;
}

void hidpos_reset(struct hidpos *p)
{
	p->len = 0;
	p->overflow = 0;
	p->binary = 0;
	p->sym[0] = '\0';
}

/* Appends the n data bytes of one report. With a length byte every byte
 * up to the length is data, so a NUL among them makes the barcode binary;
 * without one the first NUL ends the data (what follows is padding, and
 * some devices pad with junk). */
static void take_data(struct hidpos *p, const uint8_t *report, size_t len, uint32_t n)
{
	const struct hidpos_layout *l = &p->l;

	for (uint32_t k = 0; k < n; k++) {
		uint32_t bit = l->data.bit + 8 * k;
		if (bit / 8 >= len)
			break;
		char c = (char)get_bits(report, len, bit, 8);
		if (c == '\0' && !l->length.present)
			break;
		if (c == '\0')
			p->binary = 1;
		else if (p->len < HIDPOS_MAX_CODE)
			p->buf[p->len++] = c;
		else
			p->overflow = 1;
	}
}

int hidpos_feed(struct hidpos *p, const uint8_t *report, size_t len,
                hidpos_code_fn *fn, void *arg, int *dropped)
{
	const struct hidpos_layout *l = &p->l;

	if (l->uses_ids) {
		if (len < 1 || report[0] != l->report_id)
			return 0;
		report++;
		len--;
	}
	if (p->len == 0 && l->sym[0].present) {
		for (int s = 0; s < 3; s++)
			p->sym[s] = l->sym[s].present
			          ? (char)get_bits(report, len, l->sym[s].bit, 8) : '\0';
		p->sym[3] = '\0';
		for (int s = 0; s < 3; s++)
			if (p->sym[s] < 0x21 || p->sym[s] > 0x7E)
				p->sym[s] = '\0';
	}
	uint32_t n = l->data.count;
	if (l->length.present) {
		uint32_t want = get_bits(report, len, l->length.bit, 8);
		if (want < n)
			n = want;
	}
	take_data(p, report, len, n);
	if (l->cont.present && get_bits(report, len, l->cont.bit, l->cont.size) != 0)
		return 0;
	int got = 0;
	if (p->overflow) {
		if (dropped)
			(*dropped)++;
	} else if (p->binary) {
		got = -1;
	} else if (p->len > 0) {
		p->buf[p->len] = '\0';
		if (fn)
			fn(arg, p->buf, p->sym);
		got = 1;
	}
	hidpos_reset(p);
	return got;
}
