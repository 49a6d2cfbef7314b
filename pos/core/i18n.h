/* Message language of every coopmart program; see i18n.c. */
#ifndef I18N_H
#define I18N_H

/* Sets the locale and binds the "coopmart" message catalogue: Bahasa
 * Indonesia unless the environment asks for English. Call first in main().
 * Leaves LC_NUMERIC as "C": numbers in files and JSON stay as they are. */
void i18n_init(void);

#endif
