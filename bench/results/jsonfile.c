// SPDX-License-Identifier: MIT
/* JSON objects of a file, for `uffdbench json` (see jsonfile.h). */
#include "results/jsonfile.h"
#include "core/alloc.h"
#include "core/common.h"
#include "core/file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Line of byte pos in buf, from 1. */
static unsigned line_of(const char *buf, size_t pos)
{
	unsigned line = 1;

	for (size_t i = 0; i < pos; i++)
		line += buf[i] == '\n';
	return line;
}

json_t *jf_load(const char *path, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n, pos = 0;
	json_t *all;
	FILE *f;

	f = fopen_regular(path, JF_MAX_FILE, err, errlen);
	if (!f)
		return NULL;
	do {
		if (len + 65536 > cap) {
			cap = (len + 65536) * 2;
			buf = xrealloc(buf, cap, 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		seterr(err, errlen, "%s: cannot read it", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';	/* room is left: the last read found none */
	all = json_array();
	for (;;) {
		json_error_t jerr;
		json_t *o;

		pos += strspn(buf + pos, " \t\r\n");
		if (pos >= len)
			break;
		if (buf[pos] != '{') {
			seterr(err, errlen, "%s:%u: not a JSON object", path, line_of(buf, pos));
			goto bad;
		}
		o = json_loadb(buf + pos, len - pos, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
			       &jerr);
		if (!o) {
			seterr(err, errlen, "%s:%u: not valid JSON: %s", path,
			       line_of(buf, pos) + (jerr.line > 0 ? jerr.line - 1 : 0), jerr.text);
			goto bad;
		}
		json_array_append_new(all, o);
		if (jerr.position <= 0 || (size_t)jerr.position > len - pos) {
			seterr(err, errlen, "%s:%u: cannot tell where the object ends", path,
			       line_of(buf, pos));
			goto bad;
		}
		pos += jerr.position;
	}
	free(buf);
	return all;
bad:
	json_decref(all);
	free(buf);
	return NULL;
}

/* A double as the shortest of %.15g and %.17g that reads back equal. */
static void print_real(FILE *f, double v)
{
	char s[40];

	if (!isfinite(v)) {
		fputs("null", f);
		return;
	}
	snprintf(s, sizeof(s), "%.15g", v);
	if (strtod(s, NULL) != v)
		snprintf(s, sizeof(s), "%.17g", v);
	fputs(s, f);
}

void jf_print_value(FILE *f, json_t *o, const char *path)
{
	const char *p = path;
	json_t *v = o;
	char *text;

	while (v && *p) {
		size_t n = strcspn(p, ".");
		char key[256];

		snprintf(key, sizeof(key), "%.*s", (int)(n < sizeof(key) ? n : sizeof(key) - 1), p);
		v = json_object_get(v, key);
		p += n + (p[n] == '.');
	}
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
		break;
	case JSON_STRING:
		for (const char *s = json_string_value(v); *s; s++)
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
		break;
	case JSON_INTEGER:
		fprintf(f, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		print_real(f, json_real_value(v));
		break;
	case JSON_TRUE:
		fputs("true", f);
		break;
	case JSON_FALSE:
		fputs("false", f);
		break;
	default:
		text = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(17));
		if (text)
			fputs(text, f);
		free(text);
	}
}

int jf_set_arg(json_t *obj, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	bool raw = eq && eq > arg && eq[-1] == ':';
	size_t klen = eq ? (size_t)(eq - arg) - raw : 0;
	json_error_t jerr;
	char key[256];
	json_t *v;

	if (!eq || !klen || klen >= sizeof(key))
		return seterr(err, errlen, "'%s': want KEY=STRING or KEY:=JSON", arg);
	memcpy(key, arg, klen);
	key[klen] = '\0';
	if (!raw) {
		v = json_string(eq + 1);
		if (!v) {	/* not UTF-8 (a console's bytes): non-ASCII as '?' */
			char *s = xstrdup(eq + 1);

			for (char *c = s; *c; c++)
				if ((unsigned char)*c >= 0x80)
					*c = '?';
			v = json_string(s);
			free(s);
		}
	} else
		v = json_loads(eq + 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!v)
		return seterr(err, errlen, "'%s': %s", arg, jerr.text);
	json_object_set_new(obj, key, v);
	return 0;
}
