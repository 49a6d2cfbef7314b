/* A strict RFC 4180 reader. Strict, because a catalogue file that is read
 * "somehow" puts wrong prices on the shelf: anything ambiguous is an error
 * naming the line, and the manager fixes the file. See csv.h for the rules.
 * Beyond the errors listed there, a carriage return not followed by a line
 * feed outside quotes is refused too (old Mac line endings would otherwise
 * turn the whole file into one row). */
#include "core/csv.h"

#include <stdio.h>
#include <stdlib.h>

#define CSV_MAX_FIELD 4096
#define CSV_MAX_FIELDS 64

enum field_end { END_DELIM, END_LINE, END_FILE };

struct csv_parser {
	const char *p, *end;
	char delim;
	size_t line;            /* current physical line, 1-based */
	size_t nfields;
	char *store;            /* CSV_MAX_FIELDS slots of CSV_MAX_FIELD + 1 */
	const char *fields[CSV_MAX_FIELDS];
	char *err;
	size_t errlen;
};

static enum cm_rc fail(struct csv_parser *ps, size_t line, const char *what)
{
	if (ps->err && ps->errlen)
		snprintf(ps->err, ps->errlen, _("line %zu: %s"), line, what);
	return CM_INVALID;
}

/* ';' when the first record has a ';' outside quotes and no ','. */
static char detect_delim(const char *p, const char *end)
{
	bool quoted = false, semi = false;

	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '\n')
			break;
		else if (!quoted && *p == ',')
			return ',';
		else if (!quoted && *p == ';')
			semi = true;
	}
	return semi ? ';' : ',';
}

static enum cm_rc append(struct csv_parser *ps, char *dst, size_t *len, char c)
{
	if (c == '\0')
		return fail(ps, ps->line, _("NUL byte in the file (is it really a CSV text file?)"));
	if (*len == CSV_MAX_FIELD)
		return fail(ps, ps->line, _("field longer than 4096 bytes"));
	dst[(*len)++] = c;
	return CM_OK;
}

/* At a line ending (LF or CRLF) or not; consumes it when so. A lone CR
 * sets *bad. */
static bool take_eol(struct csv_parser *ps, bool *bad)
{
	const char *p = ps->p;

	*bad = false;
	if (p < ps->end && *p == '\r') {
		if (p + 1 < ps->end && p[1] == '\n') {
			ps->p += 2;
			ps->line++;
			return true;
		}
		*bad = true;
		return false;
	}
	if (p < ps->end && *p == '\n') {
		ps->p++;
		ps->line++;
		return true;
	}
	return false;
}

/* What follows a field: a delimiter, a line ending, the end, or an error.
 * junk is a msgid, translated only on failure: a lookup for every field
 * was 5% of a big import's CPU. */
static enum cm_rc field_end(struct csv_parser *ps, enum field_end *how,
			    const char *junk)
{
	bool bad;

	if (ps->p == ps->end) {
		*how = END_FILE;
	} else if (*ps->p == ps->delim) {
		ps->p++;
		*how = END_DELIM;
	} else if (take_eol(ps, &bad)) {
		*how = END_LINE;
	} else {
		return fail(ps, ps->line, bad ? _("carriage return without line feed") : _(junk));
	}
	return CM_OK;
}

static enum cm_rc read_quoted(struct csv_parser *ps, char *dst, size_t *len)
{
	size_t opened = ps->line;
	enum cm_rc rc;

	ps->p++;
	for (;;) {
		if (ps->p == ps->end)
			return fail(ps, opened, _("quoted field is never closed (missing '\"')"));
		if (*ps->p == '"') {
			if (ps->p + 1 == ps->end || ps->p[1] != '"')
				break;
			ps->p++;
		} else if (*ps->p == '\n') {
			ps->line++;
		}
		if ((rc = append(ps, dst, len, *ps->p)) != CM_OK)
			return rc;
		ps->p++;
	}
	ps->p++;
	return CM_OK;
}

static enum cm_rc read_plain(struct csv_parser *ps, char *dst, size_t *len)
{
	enum cm_rc rc;

	for (; ps->p < ps->end; ps->p++) {
		char c = *ps->p;

		if (c == ps->delim || c == '\n' || c == '\r')
			break;
		if (c == '"')
			return fail(ps, ps->line, _("quote inside an unquoted field "
				    "(put the whole field in quotes and double the quote)"));
		if ((rc = append(ps, dst, len, c)) != CM_OK)
			return rc;
	}
	return CM_OK;
}

static enum cm_rc read_field(struct csv_parser *ps, enum field_end *how)
{
	char *dst;
	size_t len = 0;
	bool quoted;
	enum cm_rc rc;

	if (ps->nfields == CSV_MAX_FIELDS)
		return fail(ps, ps->line, _("more than 64 fields"));
	dst = ps->store + ps->nfields * (CSV_MAX_FIELD + 1);
	quoted = ps->p < ps->end && *ps->p == '"';
	rc = quoted ? read_quoted(ps, dst, &len) : read_plain(ps, dst, &len);
	if (rc != CM_OK)
		return rc;
	dst[len] = '\0';
	ps->fields[ps->nfields++] = dst;
	return field_end(ps, how, N_("text after a closing quote"));
}

/* Skips empty lines; false at the end of the data. */
static enum cm_rc skip_empty(struct csv_parser *ps, bool *more)
{
	bool bad;

	while (take_eol(ps, &bad))
		;
	if (bad)
		return fail(ps, ps->line, _("carriage return without line feed"));
	*more = ps->p < ps->end;
	return CM_OK;
}

static enum cm_rc parse_rows(struct csv_parser *ps, csv_row_fn fn, void *ctx)
{
	enum field_end how = END_DELIM;
	struct csv_row row;
	enum cm_rc rc;
	bool more;

	for (;;) {
		if ((rc = skip_empty(ps, &more)) != CM_OK || !more)
			return rc;
		row.line = ps->line;
		ps->nfields = 0;
		do {
			if ((rc = read_field(ps, &how)) != CM_OK)
				return rc;
		} while (how == END_DELIM);
		row.nfields = ps->nfields;
		row.fields = ps->fields;
		if ((rc = fn(&row, ctx)) != CM_OK)
			return rc;
	}
}

enum cm_rc csv_parse(const char *data, size_t len, csv_row_fn fn, void *ctx,
		     char *err, size_t errlen)
{
	struct csv_parser ps = { .line = 1, .err = err, .errlen = errlen };
	enum cm_rc rc;

	if (err && errlen)
		err[0] = '\0';
	if (!data || !len)
		return CM_OK;
	ps.p = data;
	ps.end = data + len;
	if (len >= 3 && (unsigned char)data[0] == 0xEF &&
	    (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF)
		ps.p += 3;
	ps.delim = detect_delim(ps.p, ps.end);
	ps.store = malloc(CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1));
	if (!ps.store)
		return CM_NOMEM;
	rc = parse_rows(&ps, fn, ctx);
	free(ps.store);
	return rc;
}
