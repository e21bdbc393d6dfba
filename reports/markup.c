/*
 * markup.c - safe HTML/XML text and the embedded page template.
 *
 * XML 1.0 §2.2 allows only TAB, LF, CR and U+0020 and above (minus the
 * surrogates, U+FFFE and U+FFFF) as characters, even as character
 * references; HTML parsers replace NUL and stop at nothing else.  So no
 * control byte is ever written raw: all of them become visible \xHH text,
 * and so does every byte that is not part of well-formed UTF-8.  Characters
 * that are well-formed but invisible and able to reorder or break what a
 * reader sees (C1 controls, bidirectional overrides and isolates, line and
 * paragraph separators, zero-width characters) are shown byte by byte as
 * \xHH too: a server's U+202E cannot turn a reply around on the page.
 */
#include "markup.h"

#include <string.h>

/* invisible - 1 for a code point shown escaped although well-formed (see above). */
static int invisible(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}

/* utf8_len - length of the well-formed, visible UTF-8 sequence at p[0..n) (2-4 bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff || invisible(cp))
		return 0;
	return len;
}

void ssp_markup_text(FILE *f, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;

	while (i < n) {
		unsigned char c = p[i];
		size_t u;

		for (run = 0; i + run < n; run++) {
			unsigned char d = p[i + run];
			if (d < 0x20 || d >= 0x7f || d == '&' || d == '<' || d == '>' || d == '"' || d == '\'')
				break;
		}
		if (run > 0) {
			fwrite(p + i, 1, run, f);
			i += run;
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if (c >= 0x80 && (u = utf8_len(p + i, n - i)) > 0) {
				fwrite(p + i, 1, u, f);
				i += u;
				continue;
			}
			fputc('\\', f);
			fputc('x', f);
			fputc(hex[c >> 4], f);
			fputc(hex[c & 15], f);
		}
		i++;
	}
}

void ssp_markup_str(FILE *f, const char *s)
{
	if (s != NULL)
		ssp_markup_text(f, s, strlen(s));
}

void ssp_markup_id(FILE *f, const char *prefix, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	fputs(prefix, f);
	for (; s != NULL && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '/' || c == '_' || c == '-') {
			fputc(c, f);
		} else {
			fputc('~', f);
			fputc(hex[c >> 4], f);
			fputc(hex[c & 15], f);
		}
	}
}

void ssp_markup_template(FILE *f, const char *tmpl, size_t len, ssp_markup_part_cb part, void *arg)
{
	static const char open[] = "<!--ssp:";
	const char *p = tmpl, *end = tmpl + len;

	while (p < end) {
		const char *m = memmem(p, (size_t)(end - p), open, sizeof(open) - 1);
		const char *name, *close;
		char buf[32];

		if (m == NULL) {
			fwrite(p, 1, (size_t)(end - p), f);
			break;
		}
		fwrite(p, 1, (size_t)(m - p), f);
		name = m + sizeof(open) - 1;
		close = memmem(name, (size_t)(end - name), "-->", 3);
		if (close == NULL || (size_t)(close - name) >= sizeof(buf)) {
			fwrite(m, 1, sizeof(open) - 1, f);
			p = name;
			continue;
		}
		memcpy(buf, name, (size_t)(close - name));
		buf[close - name] = '\0';
		part(f, buf, arg);
		p = close + 3;
	}
}

int ssp_markup_close(FILE *f)
{
	int bad = ferror(f);

	if (fclose(f) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

const char *ssp_markup_cert_class(ssp_cert_level_t c)
{
	return c == SSP_CERT_SHOULD ? "ok" : c == SSP_CERT_MUST ? "meh" : c == SSP_CERT_NONE ? "bad" : "na";
}
