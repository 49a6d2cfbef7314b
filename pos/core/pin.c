/* PINs too easy to guess (pin.h). */
#include "core/pin.h"

#include <string.h>

bool pin_trivial(const char *number, const char *pin)
{
	size_t n = strlen(pin), k = strlen(number);
	bool same = true, up = true, down = true, own = k > 0;
	for (size_t i = 1; i < n; i++) {
		same = same && pin[i] == pin[0];
		up = up && pin[i] == pin[i - 1] + 1;
		down = down && pin[i] == pin[i - 1] - 1;
	}
	for (size_t i = 0; own && i < n; i++)
		own = pin[i] == number[i % k];
	return same || up || down || own;
}
