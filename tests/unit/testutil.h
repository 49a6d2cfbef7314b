/* Helpers shared by the cmocka programs. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>

/* A fresh, empty directory under $TEST_TMPDIR (or /tmp) for this test:
 * "<tmp>/<name>-<pid>-<counter>". Returns a static buffer overwritten by
 * the next call; copy it if you need two. */
const char *tu_tmpdir(const char *name);

/* Path joined into buf (size n); returns buf. */
char *tu_path(char *buf, size_t n, const char *dir, const char *file);

/* Reads a whole file; caller frees. NULL when missing. */
char *tu_read_file(const char *path, size_t *len);
int tu_write_file(const char *path, const char *data);

#endif
