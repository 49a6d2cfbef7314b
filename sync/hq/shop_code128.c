/* Code 128 (ISO/IEC 15417), code set B only: an order's number is a few
 * letters and digits, and set B holds every printable ASCII character.
 * Each symbol is three bars and three spaces, 11 modules in all; the
 * check symbol is (104 + sum of position * value) mod 103. */
#include "shop_code128.h"

#include <string.h>

static const char *const patterns[107] = {
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
	"221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
	"223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
	"312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
	"112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
	"113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
	"311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
	"111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
	"122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
	"121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
	"113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
};

#define START_B 104
#define STOP 106
#define QUIET 10

bool code128_widths(const char *text, char *out, size_t n)
{
	size_t len = strlen(text);
	if (n < (len + 2) * 6 + 7 + 1)
		return false;
	int sum = START_B;
	strcpy(out, patterns[START_B]);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 32 || c > 126)
			return false;
		sum += (int)(i + 1) * (c - 32);
		strcat(out, patterns[c - 32]);
	}
	strcat(out, patterns[sum % 103]);
	strcat(out, patterns[STOP]);
	return true;
}

void code128_svg(struct html *h, const char *text, int module, int height)
{
	char w[16 * 6 + 64];
	if (strlen(text) > 16 || !code128_widths(text, w, sizeof w))
		return;
	int modules = 2 * QUIET;
	for (const char *p = w; *p; p++)
		modules += *p - '0';
	html_f(h, "<svg class=\"barcode\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	       "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" aria-label=\"%s\">"
	       "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
	       modules * module, height, modules, height, text, modules, height);
	int x = QUIET;
	for (const char *p = w; *p; p++) {
		int k = *p - '0';
		if ((p - w) % 2 == 0) {
			html_raw(h, "<rect x=\"");
			html_int(h, x);
			html_raw(h, "\" width=\"");
			html_int(h, k);
			html_f(h, "\" height=\"%d\"/>", height);
		}
		x += k;
	}
	html_raw(h, "</svg>");
}
