/* The progress line of long jobs run by hand (progress.h). */
#include "core/progress.h"
#include "core/cm.h"

#include <time.h>
#include <unistd.h>

void progress_init(struct progress *p, FILE *out)
{
	*p = (struct progress){ .out = out, .tty = isatty(fileno(out)) != 0 };
}

/* 1234567 -> "1.234.567", the way numbers are written in Indonesia. */
static void grouped(int64_t v, char *buf, size_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? 0 : v));
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

void progress_update(struct progress *p, const char *what, int64_t done, int64_t total)
{
	if (!p->tty)
		return;
	int64_t now = cm_mono_ms();
	if (what != p->what) {
		progress_end(p);
		p->what = what;
		p->t0_ms = now;
		p->last_ms = 0;
	}
	bool finished = total && done >= total;
	if (!finished && now - p->last_ms < 200)
		return;
	p->last_ms = now;
	char d[32], t[32];
	grouped(done, d, sizeof d);
	grouped(total, t, sizeof t);
	double secs = (double)(now - p->t0_ms) / 1000.0;
	int64_t rate = secs > 0.05 ? (int64_t)((double)done / secs) : 0;
	char r[32];
	grouped(rate, r, sizeof r);
	fprintf(p->out, "\r%s: %s", what, d);
	if (total)
		fprintf(p->out, " / %s", t);
	if (rate)
		fprintf(p->out, _("  %s/s"), r);
	if (total && rate && !finished)
		fprintf(p->out, _("  %lld s left"), (long long)((total - done) / rate + 1));
	fputs("\033[K", p->out);
	fflush(p->out);
	p->open = true;
}

void progress_end(struct progress *p)
{
	if (p->tty && p->open)
		fputc('\n', p->out);
	p->open = false;
	p->what = NULL;
}

int64_t progress_estimate(int64_t done, int64_t part, int64_t whole)
{
	if (part <= 0 || whole <= part)
		return done;
	return (int64_t)((double)done * (double)whole / (double)part);
}
