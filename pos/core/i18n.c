/* Language of every coopmart program (the till and its command line,
 * coopmart-sync, coopmart-hq): Bahasa Indonesia first. The message
 * catalogue is looked up in $COOPMART_LOCALEDIR, then "locale" beside the
 * executable or one folder up (a build tree: build/locale serves
 * build/coopmart and build/sync/coopmart-hq), then the install prefix.
 * English when COOPMART_LANG, LANGUAGE, LC_ALL, LC_MESSAGES or LANG (the
 * first one set) asks for it ("en..."). */
#include "core/i18n.h"
#include "core/cm.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef COOPMART_LOCALEDIR
#define COOPMART_LOCALEDIR "/usr/local/share/locale"
#endif

static bool is_dir(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* "locale" in dir or its parent, when that folder exists. */
static bool beside(char *dir, char *buf, size_t n)
{
	for (int up = 0; up < 2; up++) {
		int w = snprintf(buf, n, "%s/locale", dir);
		if (w > 0 && (size_t)w < n && is_dir(buf))
			return true;
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return false;
		*slash = '\0';
	}
	return false;
}

static void locale_dir(char *buf, size_t n)
{
	const char *env = getenv("COOPMART_LOCALEDIR");
	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return;
	}
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (beside(exe, buf, n))
				return;
		}
	}
	snprintf(buf, n, "%s", COOPMART_LOCALEDIR);
}

static bool wants_english(void)
{
	const char *vars[] = { "COOPMART_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "en", 2) == 0;
	}
	return false;
}

void i18n_init(void)
{
	setlocale(LC_ALL, "");
	/* Numbers written to files, JSON and SQL keep '.' whatever the
	 * locale: amounts are formatted by core/money.c, never by printf. */
	setlocale(LC_NUMERIC, "C");
	/* The till's screen needs UTF-8 for line drawing and names, and
	 * translated messages are UTF-8 everywhere; a "C" locale (common on
	 * minimal installs) gets C.UTF-8, which glibc always has. */
	const char *ctype = setlocale(LC_CTYPE, NULL);
	if (!ctype || (!strstr(ctype, "UTF-8") && !strstr(ctype, "utf8")))
		setlocale(LC_CTYPE, "C.UTF-8");
	if (!wants_english()) {
		/* gettext ignores LANGUAGE in the C locale: use C.UTF-8 for
		 * messages and ask for Indonesian explicitly. */
		const char *msgs = setlocale(LC_MESSAGES, NULL);
		if (!msgs || strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0)
			setlocale(LC_MESSAGES, "C.UTF-8");
		setenv("LANGUAGE", "id", 1);
	} else {
		unsetenv("LANGUAGE");
	}
	char dir[PATH_MAX];
	locale_dir(dir, sizeof dir);
	bindtextdomain("coopmart", dir);
	bind_textdomain_codeset("coopmart", "UTF-8");
	textdomain("coopmart");
}
