/* Embedded schema migrations, generated from schema/store/ at build time
 * by schema/embed.cmake. Migration k brings the database to user_version k. */
#ifndef MIGRATIONS_H
#define MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration store_migrations[];
extern const int store_migrations_count;

#endif
