/* Language: Bahasa Indonesia first. The message catalogue is looked up in
 * $COOPMART_LOCALEDIR, then "locale" beside the executable (a build tree),
 * then the install prefix. English when LANG/LC_ALL/LC_MESSAGES or
 * COOPMART_LANG asks for it ("en..."). */
#include "ui/ui.h"

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
			int w = snprintf(buf, n, "%s/locale", exe);
			if (w > 0 && (size_t)w < n && is_dir(buf))
				return;
		}
	}
	snprintf(buf, n, "%s", COOPMART_LOCALEDIR);
}

static bool wants_english(void)
{
	const char *vars[] = { "COOPMART_LANG", "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "en", 2) == 0;
	}
	return false;
}

void ui_i18n_init(void)
{
	setlocale(LC_ALL, "");
	/* The screen needs UTF-8 for line drawing and names; a "C" locale
	 * (common on minimal installs) gets C.UTF-8, which glibc always has. */
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
