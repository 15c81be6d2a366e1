// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: parsers and formatters for the module parameters.
 *
 * Built both into the module and into the userspace unit tests; see
 * parse.h for the contract of every function.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#include "parse.h"

_Static_assert((XTMEM_POOL_PARSE_RESERVED | XTMEM_POOL_NAMED_BITS) ==
	       0xffffffffu, "every flag bit is either named or reserved");
_Static_assert((XTMEM_POOL_PARSE_RESERVED & XTMEM_POOL_NAMED_BITS) == 0,
	       "named and reserved flag bits overlap");

static const char * const parse_errors[] = {
	[XTMEM_PARSE_OK] = "ok",
	[XTMEM_PARSE_EMPTY] = "empty value",
	[XTMEM_PARSE_SYNTAX] = "malformed value",
	[XTMEM_PARSE_UNKNOWN] = "unknown name",
	[XTMEM_PARSE_NOT_ALLOWED] = "flag not allowed here",
	[XTMEM_PARSE_RESERVED] = "reserved bits set",
	[XTMEM_PARSE_RANGE] = "number out of range",
	[XTMEM_PARSE_TOO_LONG] = "value too long",
	[XTMEM_PARSE_NIL_UUID] = "nil UUID names no shared pool",
	[XTMEM_PARSE_MAX_UUID] = "all-ones UUID: Xen makes the pool private",
	[XTMEM_PARSE_TWICE] = "given twice",
	[XTMEM_PARSE_NONE_MIXED] = "'none' cannot be combined with other names",
};

const char *xtmem_parse_strerror(enum xtmem_parse_err e)
{
	unsigned int i = (unsigned int)e;

	if (i >= ARRAY_SIZE(parse_errors) ||
	    !parse_errors[i])
		return "unknown error";
	return parse_errors[i];
}

/*
 * Length of @s with one trailing '\n' dropped, reading at most @max + 2
 * bytes. Returns @max + 1 when the value is longer than @max.
 */
static size_t value_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max + 2 && s[n])
		n++;
	if (n > 0 && s[n - 1] == '\n')
		n--;
	return n > max ? max + 1 : n;
}

static void copy_bad(char *bad, size_t badlen, const char *tok, size_t n)
{
	size_t i;

	if (!bad || badlen == 0)
		return;
	if (n > badlen - 1)
		n = badlen - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tok[i];

		bad[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	bad[n] = '\0';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
	return is_lower(c) || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       c == '_';
}

/* The value of hex digit @c, or -1. */
static int hex_val(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* @n bytes of @s equal the NUL-terminated @name. */
static bool token_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(s, name, n) == 0;
}

/*
 * Parse all of @s[0..n) as one number: decimal without leading zeros, or
 * "0x"/"0X" and at least one hex digit.
 */
static enum xtmem_parse_err parse_u32(const char *s, size_t n, uint32_t *out)
{
	unsigned int base = 10;
	bool range = false;
	uint64_t v = 0;
	size_t i = 0;
	int d;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
		if (n == 2)
			return XTMEM_PARSE_SYNTAX;
	} else if (n > 1 && s[0] == '0') {
		return XTMEM_PARSE_SYNTAX;
	}
	for (; i < n; i++) {
		d = hex_val(s[i]);
		if (d < 0 || (unsigned int)d >= base)
			return XTMEM_PARSE_SYNTAX;
		if (!range)
			v = v * base + (unsigned int)d;
		if (v > 0xffffffffu)
			range = true;
	}
	if (range)
		return XTMEM_PARSE_RANGE;
	*out = (uint32_t)v;
	return XTMEM_PARSE_OK;
}

struct flag_name {
	const char *name;
	uint32_t bit;
};

/* In bit order: the formatter relies on it. */
static const struct flag_name flag_names[] = {
	{ "persist", XTMEM_POOL_PERSIST },
	{ "shared", XTMEM_POOL_SHARED },
	{ "precompressed", XTMEM_POOL_PRECOMPRESSED },
};

static enum xtmem_parse_err parse_flag_number(const char *s, size_t n,
					      uint32_t allowed, uint32_t *out)
{
	enum xtmem_parse_err err;
	uint32_t v;

	err = parse_u32(s, n, &v);
	if (err)
		return err;
	if (v & XTMEM_POOL_PARSE_RESERVED)
		return XTMEM_PARSE_RESERVED;
	if (v & ~allowed)
		return XTMEM_PARSE_NOT_ALLOWED;
	*out = v;
	return XTMEM_PARSE_OK;
}

/*
 * Parse the name list @s[0..n). On error, *@tok and *@toklen locate the
 * token to report.
 */
static enum xtmem_parse_err parse_flag_names(const char *s, size_t n,
					     uint32_t allowed, uint32_t *out,
					     const char **tok, size_t *toklen)
{
	uint32_t v = 0;
	bool none = false;
	size_t start, end, i, k;

	/* Pass 1: shape. Every token non-empty and made of name chars. */
	for (start = 0; start <= n; start = end + 1) {
		end = start;
		while (end < n && s[end] != ',')
			end++;
		*tok = s + start;
		*toklen = end - start;
		if (end == start) {
			*tok = s;
			*toklen = n;
			return XTMEM_PARSE_SYNTAX;
		}
		if (is_digit(s[start]))
			return XTMEM_PARSE_SYNTAX;
		for (i = start; i < end; i++)
			if (!is_name_char(s[i]))
				return XTMEM_PARSE_SYNTAX;
	}

	/* Pass 2: meaning, first failing token from the left. */
	for (start = 0; start <= n; start = end + 1) {
		end = start;
		while (end < n && s[end] != ',')
			end++;
		*tok = s + start;
		*toklen = end - start;
		if (token_is(*tok, *toklen, "none")) {
			if (start != 0 || end != n)
				return XTMEM_PARSE_NONE_MIXED;
			none = true;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(flag_names); k++)
			if (token_is(*tok, *toklen, flag_names[k].name))
				break;
		if (k == ARRAY_SIZE(flag_names))
			return XTMEM_PARSE_UNKNOWN;
		if (v & flag_names[k].bit)
			return XTMEM_PARSE_TWICE;
		if (!(allowed & flag_names[k].bit))
			return XTMEM_PARSE_NOT_ALLOWED;
		v |= flag_names[k].bit;
	}
	*out = none ? 0 : v;
	return XTMEM_PARSE_OK;
}

enum xtmem_parse_err xtmem_parse_pool_flags(const char *s, uint32_t allowed,
					    uint32_t *out, char *bad,
					    size_t badlen)
{
	enum xtmem_parse_err err;
	const char *tok = s;
	size_t n, toklen;
	uint32_t v = 0;

	n = value_len(s, XTMEM_POOL_FLAGS_MAX_LEN);
	toklen = n;
	if (n == 0)
		err = XTMEM_PARSE_EMPTY;
	else if (n > XTMEM_POOL_FLAGS_MAX_LEN)
		err = XTMEM_PARSE_TOO_LONG;
	else if (is_digit(s[0]))
		err = parse_flag_number(s, n, allowed, &v);
	else
		err = parse_flag_names(s, n, allowed, &v, &tok, &toklen);

	if (err == XTMEM_PARSE_OK) {
		*out = v;
		toklen = 0;
	}
	copy_bad(bad, badlen, tok, toklen);
	return err;
}

/* Append @n bytes of @src at @pos if they fit; returns the new position. */
static size_t put(char *buf, size_t len, size_t pos, const char *src,
		  size_t n)
{
	if (pos + n < len)
		memcpy(buf + pos, src, n);
	return pos + n;
}

/* Terminate the string of length @pos, or report that it did not fit. */
static int finish(char *buf, size_t len, size_t pos)
{
	if (pos + 1 > len) {
		if (len > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	buf[pos] = '\0';
	return (int)pos;
}

static const char hex_digits[] = "0123456789abcdef";

int xtmem_format_pool_flags(uint32_t flags, char *buf, size_t len)
{
	size_t pos = 0, k;
	char num[10];
	int i;

	if (flags & ~(uint32_t)XTMEM_POOL_NAMED_BITS) {
		num[0] = '0';
		num[1] = 'x';
		for (i = 0; i < 8; i++)
			num[2 + i] = hex_digits[(flags >> (28 - 4 * i)) & 0xf];
		pos = put(buf, len, pos, num, sizeof(num));
		return finish(buf, len, pos);
	}
	if (!flags) {
		pos = put(buf, len, pos, "none", 4);
		return finish(buf, len, pos);
	}
	for (k = 0; k < ARRAY_SIZE(flag_names); k++) {
		if (!(flags & flag_names[k].bit))
			continue;
		if (pos)
			pos = put(buf, len, pos, ",", 1);
		pos = put(buf, len, pos, flag_names[k].name,
			  strlen(flag_names[k].name));
	}
	return finish(buf, len, pos);
}

/* Where the dashes of the canonical form are. */
static bool uuid_dash_at(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

enum xtmem_parse_err xtmem_parse_uuid(const char *s,
				      uint8_t out[XTMEM_UUID_SIZE])
{
	uint8_t b[XTMEM_UUID_SIZE];
	bool all0 = true, all1 = true;
	size_t n, i, k = 0;
	int hi = -1;

	n = value_len(s, XTMEM_UUID_STR_LEN);
	if (n == 0)
		return XTMEM_PARSE_EMPTY;
	if (n > XTMEM_UUID_STR_LEN)
		return XTMEM_PARSE_TOO_LONG;
	if (n < XTMEM_UUID_STR_LEN)
		return XTMEM_PARSE_SYNTAX;

	for (i = 0; i < n; i++) {
		int d;

		if (uuid_dash_at(i)) {
			if (s[i] != '-')
				return XTMEM_PARSE_SYNTAX;
			continue;
		}
		d = hex_val(s[i]);
		if (d < 0)
			return XTMEM_PARSE_SYNTAX;
		if (hi < 0) {
			hi = d;
			continue;
		}
		b[k++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}

	for (i = 0; i < XTMEM_UUID_SIZE; i++) {
		all0 = all0 && b[i] == 0x00;
		all1 = all1 && b[i] == 0xff;
	}
	if (all0)
		return XTMEM_PARSE_NIL_UUID;
	if (all1)
		return XTMEM_PARSE_MAX_UUID;
	memcpy(out, b, sizeof(b));
	return XTMEM_PARSE_OK;
}

int xtmem_format_uuid(const uint8_t b[XTMEM_UUID_SIZE], char *buf,
		      size_t len)
{
	size_t i, k = 0;

	if (len < XTMEM_UUID_BUF_LEN)
		return finish(buf, len, XTMEM_UUID_STR_LEN);
	for (i = 0; i < XTMEM_UUID_STR_LEN; i++) {
		if (uuid_dash_at(i)) {
			buf[i] = '-';
			continue;
		}
		buf[i] = hex_digits[(k & 1) ? b[k / 2] & 0xf : b[k / 2] >> 4];
		k++;
	}
	return finish(buf, len, XTMEM_UUID_STR_LEN);
}

/*
 * The toolstack's UUID convention, as read (Xen 4.0 - 4.12; tmem and its
 * tools are gone from 4.13, commits c588c002cc and c492e19fdd):
 *
 * - github.com/xen-project/xen, tools/libxc/xc_tmem.c,
 *   xc_tmem_uuid_parse(uuid_str, uuid_lo, uuid_hi): starts accumulating
 *   hex digits into *uuid_hi ("x = (x << 4) | digit") and switches to
 *   *uuid_lo at the third dash (string index 18). So uuid_hi is the first
 *   16 hex digits as a number, uuid_lo the last 16. Read at commit
 *   82639998a5f2 (TMEM_AUTH era, 4.1 - 4.8), at 1144c8f12bcf ("move
 *   TMEM_AUTH to sysctl", 4.9) and in the 4.10 - 4.12 form.
 * - Same file, xc_tmem_auth(): calls xc_tmem_uuid_parse(uuid_str,
 *   &uuid[0], &uuid[1]), i.e. uuid[0] = uuid_lo, uuid[1] = uuid_hi, both
 *   for the old TMEM_AUTH tmem_op (op.u.creat.uuid[]) and for 4.9+'s
 *   XEN_SYSCTL_TMEM_OP_SET_AUTH (xen_tmem_pool_info_t.uuid[]).
 *   `xl tmem-shared-auth -u UUID` reaches it through libxl_tmem_shared_auth.
 * - xen/common/tmem_control.c (4.9+), tmemc_auth_pools(): passes
 *   pool.uuid[0], pool.uuid[1] to tmemc_shared_pool_auth(cli_id, uuid_lo,
 *   uuid_hi, auth), which stores shared_auth_uuid[i][0] = uuid_lo and
 *   [1] = uuid_hi (xen/common/tmem.c; in <= 4.8 do_tmem_op's TMEM_AUTH
 *   case passes op.u.creat.uuid[0], [1] the same way).
 * - xen/common/tmem.c, do_tmem_op(): TMEM_NEW_POOL calls
 *   do_tmem_new_pool(..., op.u.creat.uuid[0], op.u.creat.uuid[1]) as
 *   (uuid_lo, uuid_hi), which compares shared_auth_uuid[i][0] == uuid_lo
 *   && [1] == uuid_hi, and turns uuid_lo == uuid_hi == -1 into a private
 *   pool.
 *
 * Hence NEW_POOL's uuid[0] = the last 16 hex digits, uuid[1] = the first
 * 16, each read as a big-endian number. Caveats:
 * - before Xen 4.9 (fix 7bacfe38b6, March 2017) xc_tmem_uuid_parse
 *   computed hex digits a-f as 0-5 ("*p - 'a'" without "+ 10"), as the
 *   82639998a5f2 text shows; with such a toolstack only UUIDs written with
 *   the digits 0-9 authorise the value this function computes;
 * - Linux's in-tree driver (drivers/xen/tmem.c, <= 5.2) used a different
 *   convention for ocfs2 shared pools: uuid[0] = native-endian u64 of
 *   bytes 0..7, uuid[1] = of bytes 8..15.
 * The tag of each file version could not be read with the search tool;
 * the release ranges above follow the commits' contents and
 * reference/feature-survey.md.
 */
static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void xtmem_uuid_to_tmem(const uint8_t b[XTMEM_UUID_SIZE], uint64_t words[2])
{
	words[0] = get_be64(b + 8);
	words[1] = get_be64(b);
}

static const char * const transport_names[] = {
	[XTMEM_TRANSPORT_XEN] = "xen",
	[XTMEM_TRANSPORT_EMULATED] = "emulated",
};

enum xtmem_parse_err xtmem_parse_transport(const char *s, int *out)
{
	size_t n, i;

	n = value_len(s, XTMEM_TRANSPORT_MAX_LEN);
	if (n == 0)
		return XTMEM_PARSE_EMPTY;
	if (n > XTMEM_TRANSPORT_MAX_LEN)
		return XTMEM_PARSE_TOO_LONG;
	for (i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return XTMEM_PARSE_SYNTAX;
	for (i = 0; i < ARRAY_SIZE(transport_names); i++) {
		if (token_is(s, n, transport_names[i])) {
			*out = (int)i;
			return XTMEM_PARSE_OK;
		}
	}
	return XTMEM_PARSE_UNKNOWN;
}

const char *xtmem_transport_name(int kind)
{
	if (kind < 0 || (size_t)kind >= ARRAY_SIZE(transport_names))
		return NULL;
	return transport_names[kind];
}

static const char * const onoff_names[][2] = {
	{ "0", "1" }, { "n", "y" }, { "N", "Y" }, { "off", "on" },
};

enum xtmem_parse_err xtmem_parse_onoff(const char *s, bool *out)
{
	size_t n, i, j;

	n = value_len(s, XTMEM_ONOFF_MAX_LEN);
	if (n == 0)
		return XTMEM_PARSE_EMPTY;
	if (n > XTMEM_ONOFF_MAX_LEN)
		return XTMEM_PARSE_TOO_LONG;
	for (i = 0; i < ARRAY_SIZE(onoff_names); i++) {
		for (j = 0; j < 2; j++) {
			if (token_is(s, n, onoff_names[i][j])) {
				*out = j;
				return XTMEM_PARSE_OK;
			}
		}
	}
	return XTMEM_PARSE_UNKNOWN;
}

void xtmem_parse_printable(const char *s, char *buf, size_t len)
{
	if (len == 0)
		return;
	copy_bad(buf, len, s, value_len(s, len - 1));
}
