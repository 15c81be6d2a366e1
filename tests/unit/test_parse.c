// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/parse.c: pool_flags, UUID and transport parameters.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "xt_test.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define P XTMEM_POOL_PERSIST
#define S XTMEM_POOL_SHARED
#define C XTMEM_POOL_PRECOMPRESSED
#define SH S			/* cleancache only */
#define PS (P | S)		/* with frontswap */
#define ANY (P | S | C)

#define OK XTMEM_PARSE_OK
#define EMPTY XTMEM_PARSE_EMPTY
#define SYNTAX XTMEM_PARSE_SYNTAX
#define UNKNOWN XTMEM_PARSE_UNKNOWN
#define NOTAL XTMEM_PARSE_NOT_ALLOWED
#define RESV XTMEM_PARSE_RESERVED
#define RANGE XTMEM_PARSE_RANGE
#define LONG XTMEM_PARSE_TOO_LONG
#define TWICE XTMEM_PARSE_TWICE
#define MIXED XTMEM_PARSE_NONE_MIXED

#define UNTOUCHED 0xdeadbeefu

struct flags_row {
	const char *in;
	uint32_t allowed;
	enum xtmem_parse_err err;
	uint32_t out;		/* when err == OK */
	const char *bad;	/* expected offending token; NULL: don't care */
};

static const struct flags_row flags_rows[] = {
	/* Names. */
	{ "shared", SH, OK, S, "" },
	{ "shared\n", SH, OK, S, "" },
	{ "none", SH, OK, 0, "" },
	{ "none\n", SH, OK, 0, "" },
	{ "none", 0, OK, 0, "" },
	{ "persist", PS, OK, P, "" },
	{ "persist\n", PS, OK, P, "" },
	{ "persist,shared", PS, OK, P | S, "" },
	{ "shared,persist", PS, OK, P | S, "" },
	{ "shared,persist\n", PS, OK, P | S, "" },
	{ "precompressed", ANY, OK, C, "" },
	{ "persist,shared,precompressed", ANY, OK, P | S | C, "" },
	{ "precompressed,shared,persist", ANY, OK, P | S | C, "" },
	/* Numbers. */
	{ "0", SH, OK, 0, "" },
	{ "0\n", SH, OK, 0, "" },
	{ "1", PS, OK, P, "" },
	{ "2", SH, OK, S, "" },
	{ "2\n", SH, OK, S, "" },
	{ "3", PS, OK, P | S, "" },
	{ "4", ANY, OK, C, "" },
	{ "7", ANY, OK, P | S | C, "" },
	{ "0x0", SH, OK, 0, "" },
	{ "0x2", SH, OK, S, "" },
	{ "0X2", SH, OK, S, "" },
	{ "0x00000002", SH, OK, S, "" },
	{ "0x3", PS, OK, P | S, "" },
	{ "0x3\n", PS, OK, P | S, "" },
	{ "0x7", ANY, OK, P | S | C, "" },

	/* Empty. */
	{ "", SH, EMPTY, 0, "" },
	{ "\n", SH, EMPTY, 0, "" },
	/* Unknown names. */
	{ "foo", SH, UNKNOWN, 0, "foo" },
	{ "SHARED", SH, UNKNOWN, 0, "SHARED" },
	{ "Shared", SH, UNKNOWN, 0, "Shared" },
	{ "NONE", SH, UNKNOWN, 0, "NONE" },
	{ "shared2", SH, UNKNOWN, 0, "shared2" },
	{ "private", SH, UNKNOWN, 0, "private" },
	{ "persist,foo", PS, UNKNOWN, 0, "foo" },
	{ "foo,precompressed", SH, UNKNOWN, 0, "foo" },
	/* Malformed lists. */
	{ "shared,", SH, SYNTAX, 0, "shared," },
	{ ",shared", SH, SYNTAX, 0, ",shared" },
	{ ",", SH, SYNTAX, 0, "," },
	{ "shared,,persist", PS, SYNTAX, 0, "shared,,persist" },
	{ " shared", SH, SYNTAX, 0, " shared" },
	{ "shared ", SH, SYNTAX, 0, "shared " },
	{ "shared\t", SH, SYNTAX, 0, "shared?" },
	{ "shared\n\n", SH, SYNTAX, 0, "shared?" },
	{ "\nshared", SH, SYNTAX, 0, "?shared" },
	{ "shared\npersist", PS, SYNTAX, 0, "shared?persist" },
	{ "shared, persist", PS, SYNTAX, 0, " persist" },
	{ "shared;persist", PS, SYNTAX, 0, "shared;persist" },
	{ "shared|persist", PS, SYNTAX, 0, "shared|persist" },
	{ "sh-ared", SH, SYNTAX, 0, "sh-ared" },
	{ "shared,shared", SH, TWICE, 0, "shared" },
	{ "persist,shared,persist", PS, TWICE, 0, "persist" },
	{ "none,shared", SH, MIXED, 0, "none" },
	{ "shared,none", SH, MIXED, 0, "none" },
	{ "persist,none", PS, MIXED, 0, "none" },
	{ "none,none", SH, MIXED, 0, "none" },
	{ "shared,2", SH, SYNTAX, 0, "2" },
	{ "2,shared", SH, SYNTAX, 0, "2,shared" },
	{ "\xff", SH, SYNTAX, 0, "?" },
	{ "shar\xc3\xa9" "d", SH, SYNTAX, 0, "shar??d" },
	{ "shared\x7f", SH, SYNTAX, 0, "shared?" },
	/* Valid flags the caller refuses. */
	{ "precompressed", SH, NOTAL, 0, "precompressed" },
	{ "precompressed", PS, NOTAL, 0, "precompressed" },
	{ "persist", SH, NOTAL, 0, "persist" },
	{ "shared,persist", SH, NOTAL, 0, "persist" },
	{ "shared", 0, NOTAL, 0, "shared" },
	{ "shared", P, NOTAL, 0, "shared" },
	{ "precompressed,foo", SH, NOTAL, 0, "precompressed" },
	{ "1", SH, NOTAL, 0, "1" },
	{ "3", SH, NOTAL, 0, "3" },
	{ "4", PS, NOTAL, 0, "4" },
	{ "0x4", SH, NOTAL, 0, "0x4" },
	{ "0x1\n", SH, NOTAL, 0, "0x1" },
	/* Numbers with reserved, page-size or version bits. */
	{ "8", ANY, RESV, 0, "8" },
	{ "0x8", ANY, RESV, 0, "0x8" },
	{ "0xa", ANY, RESV, 0, "0xa" },
	{ "0x10", ANY, RESV, 0, "0x10" },
	{ "16", ANY, RESV, 0, "16" },
	{ "0xf0", ANY, RESV, 0, "0xf0" },
	{ "0x100", ANY, RESV, 0, "0x100" },
	{ "0x00ffff00", ANY, RESV, 0, "0x00ffff00" },
	{ "0x800000", ANY, RESV, 0, "0x800000" },
	{ "0x1000000", ANY, RESV, 0, "0x1000000" },
	{ "0x01000002", ANY, RESV, 0, "0x01000002" },
	{ "16777218", ANY, RESV, 0, "16777218" },
	{ "0x80000000", ANY, RESV, 0, "0x80000000" },
	{ "0xffffffff", ANY, RESV, 0, "0xffffffff" },
	{ "4294967295", ANY, RESV, 0, "4294967295" },
	{ "0x100", SH, RESV, 0, "0x100" },
	/* Numbers that do not fit. */
	{ "4294967296", ANY, RANGE, 0, "4294967296" },
	{ "99999999999999999999", ANY, RANGE, 0, "99999999999999999999" },
	{ "0x100000000", ANY, RANGE, 0, "0x100000000" },
	{ "0xffffffffffffffffffff", ANY, RANGE, 0, "0xffffffffffffffffffff" },
	{ "184467440737095516160", ANY, RANGE, 0, NULL },
	/* Malformed numbers. */
	{ "0x", SH, SYNTAX, 0, "0x" },
	{ "0x\n", SH, SYNTAX, 0, "0x" },
	{ "0X", SH, SYNTAX, 0, "0X" },
	{ "0xg", SH, SYNTAX, 0, "0xg" },
	{ "0x 2", SH, SYNTAX, 0, "0x 2" },
	{ "0x-2", SH, SYNTAX, 0, "0x-2" },
	{ "0xffffffffff1g", SH, SYNTAX, 0, "0xffffffffff1g" },
	{ "-1", SH, SYNTAX, 0, "-1" },
	{ "+1", SH, SYNTAX, 0, "+1" },
	{ "1e3", SH, SYNTAX, 0, "1e3" },
	{ "1.0", SH, SYNTAX, 0, "1.0" },
	{ "01", SH, SYNTAX, 0, "01" },
	{ "00", SH, SYNTAX, 0, "00" },
	{ "02", SH, SYNTAX, 0, "02" },
	{ "0b1", SH, SYNTAX, 0, "0b1" },
	{ "0o2", SH, SYNTAX, 0, "0o2" },
	{ "2 ", SH, SYNTAX, 0, "2 " },
	{ " 2", SH, SYNTAX, 0, " 2" },
	{ "2\n\n", SH, SYNTAX, 0, "2?" },
	{ "2a", SH, SYNTAX, 0, "2a" },
	{ "2\xff", SH, SYNTAX, 0, "2?" },
};

XT_TEST(pool_flags_table)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flags_rows); i++) {
		const struct flags_row *r = &flags_rows[i];
		uint32_t out = UNTOUCHED;
		char bad[64];
		enum xtmem_parse_err err;

		xt_case_begin("pool_flags \"%s\" allowed=%u", xt_quote(r->in),
			      r->allowed);
		memset(bad, 'X', sizeof(bad));
		err = xtmem_parse_pool_flags(r->in, r->allowed, &out, bad,
					     sizeof(bad));
		XT_CHECK_MSG(err == r->err, "got %s (%d), want %s (%d)",
			     xtmem_parse_strerror(err), err,
			     xtmem_parse_strerror(r->err), r->err);
		if (r->err == OK)
			XT_EQ_HEX(out, r->out);
		else
			XT_EQ_HEX(out, UNTOUCHED);
		if (r->bad)
			XT_EQ_STR(bad, r->bad);
		XT_CHECK(memchr(bad, '\0', sizeof(bad)) != NULL);
		/* No bad buffer at all is fine too, and gives the same answer. */
		out = UNTOUCHED;
		XT_EQ_INT(xtmem_parse_pool_flags(r->in, r->allowed, &out, NULL,
						 sizeof(bad)), r->err);
		XT_EQ_INT(xtmem_parse_pool_flags(r->in, r->allowed, &out, bad,
						 0), r->err);
		xt_case_end();
	}
}

/* A long input of @n copies of @pattern, NUL-terminated. */
static char *repeat(const char *pattern, size_t n)
{
	size_t len = strlen(pattern);
	char *s = malloc(len * n + 1);
	size_t i;

	if (!s)
		abort();
	for (i = 0; i < n; i++)
		memcpy(s + i * len, pattern, len);
	s[len * n] = '\0';
	return s;
}

XT_TEST(pool_flags_huge)
{
	static const char * const patterns[] = { "a", "shared,", "0", "\xff" };
	uint32_t out = UNTOUCHED;
	char bad[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(patterns); i++) {
		char *s = repeat(patterns[i], 4096 / strlen(patterns[i]));

		xt_case_begin("pool_flags 4 KiB of \"%s\"",
			      xt_quote(patterns[i]));
		XT_EQ_INT(xtmem_parse_pool_flags(s, ANY, &out, bad,
						 sizeof(bad)), LONG);
		XT_EQ_HEX(out, UNTOUCHED);
		XT_EQ_INT(strlen(bad), sizeof(bad) - 1);
		XT_CHECK(strchr(bad, '\xff') == NULL);
		free(s);
		xt_case_end();
	}
}

/* "0x0...02" of exactly @len bytes, then @nl newlines. */
static char *padded_hex(size_t len, size_t nl)
{
	char *s = malloc(len + nl + 1);

	if (!s)
		abort();
	memset(s, '0', len);
	s[1] = 'x';
	s[len - 1] = '2';
	memset(s + len, '\n', nl);
	s[len + nl] = '\0';
	return s;
}

XT_TEST(pool_flags_length_limit)
{
	static const struct {
		size_t len, nl;
		enum xtmem_parse_err err;
	} rows[] = {
		{ XTMEM_POOL_FLAGS_MAX_LEN - 1, 0, OK },
		{ XTMEM_POOL_FLAGS_MAX_LEN, 0, OK },
		{ XTMEM_POOL_FLAGS_MAX_LEN, 1, OK },
		{ XTMEM_POOL_FLAGS_MAX_LEN, 2, LONG },
		{ XTMEM_POOL_FLAGS_MAX_LEN + 1, 0, LONG },
		{ XTMEM_POOL_FLAGS_MAX_LEN + 1, 1, LONG },
		{ XTMEM_POOL_FLAGS_MAX_LEN + 2, 0, LONG },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		char *s = padded_hex(rows[i].len, rows[i].nl);
		uint32_t out = UNTOUCHED;

		xt_case_begin("pool_flags %zu bytes + %zu newlines",
			      rows[i].len, rows[i].nl);
		XT_EQ_INT(xtmem_parse_pool_flags(s, SH, &out, NULL, 0),
			  rows[i].err);
		XT_EQ_HEX(out, rows[i].err == OK ? S : UNTOUCHED);
		free(s);
		xt_case_end();
	}
	XT_EQ_INT(XTMEM_POOL_FLAGS_MAX_LEN, 64);
}

/*
 * Inputs without a terminating NUL: the parsers read at most max + 2
 * bytes, so AddressSanitizer sees no overflow.
 */
XT_TEST(bounded_reads)
{
	size_t n = XTMEM_POOL_FLAGS_MAX_LEN + 2;
	uint8_t uuid[XTMEM_UUID_SIZE];
	uint32_t out;
	char *s;
	int t;

	s = malloc(n);
	memset(s, 'a', n);
	XT_EQ_INT(xtmem_parse_pool_flags(s, ANY, &out, NULL, 0), LONG);
	free(s);

	n = XTMEM_UUID_STR_LEN + 2;
	s = malloc(n);
	memset(s, 'a', n);
	XT_EQ_INT(xtmem_parse_uuid(s, uuid), LONG);
	free(s);

	n = XTMEM_TRANSPORT_MAX_LEN + 2;
	s = malloc(n);
	memset(s, 'a', n);
	XT_EQ_INT(xtmem_parse_transport(s, &t), LONG);
	free(s);
}

XT_TEST(pool_flags_bad_truncated)
{
	uint32_t out = UNTOUCHED;
	char bad[8];

	memset(bad, 'X', sizeof(bad));
	XT_EQ_INT(xtmem_parse_pool_flags("foobar", SH, &out, bad, 4), UNKNOWN);
	XT_EQ_STR(bad, "foo");
	XT_EQ_INT(bad[4], 'X');

	memset(bad, 'X', sizeof(bad));
	XT_EQ_INT(xtmem_parse_pool_flags("foobar", SH, &out, bad, 1), UNKNOWN);
	XT_EQ_INT(bad[0], '\0');
	XT_EQ_INT(bad[1], 'X');

	memset(bad, 'X', sizeof(bad));
	XT_EQ_INT(xtmem_parse_pool_flags("foobar", SH, &out, bad, 0), UNKNOWN);
	XT_EQ_INT(bad[0], 'X');

	XT_EQ_INT(xtmem_parse_pool_flags("shared,\x01\x02", SH, &out, bad,
					 sizeof(bad)), SYNTAX);
	XT_EQ_STR(bad, "??");
	XT_EQ_HEX(out, UNTOUCHED);
}

struct format_row {
	uint32_t flags;
	const char *text;
};

static const struct format_row format_rows[] = {
	{ 0, "none" },
	{ P, "persist" },
	{ S, "shared" },
	{ P | S, "persist,shared" },
	{ C, "precompressed" },
	{ P | C, "persist,precompressed" },
	{ S | C, "shared,precompressed" },
	{ P | S | C, "persist,shared,precompressed" },
	{ 0x8, "0x00000008" },
	{ 0x01000002, "0x01000002" },
	{ 0x00ffff00, "0x00ffff00" },
	{ 0xffffffffu, "0xffffffff" },
};

XT_TEST(pool_flags_format)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(format_rows); i++) {
		const struct format_row *r = &format_rows[i];
		char buf[XTMEM_POOL_FLAGS_BUF_LEN + 8];
		size_t len = strlen(r->text);
		uint32_t back = UNTOUCHED;
		enum xtmem_parse_err want;

		xt_case_begin("format 0x%x", r->flags);
		memset(buf, 'X', sizeof(buf));
		XT_EQ_INT(xtmem_format_pool_flags(r->flags, buf, sizeof(buf)),
			  len);
		XT_EQ_STR(buf, r->text);
		XT_CHECK(len < XTMEM_POOL_FLAGS_BUF_LEN);

		/* Exactly enough room, then one byte short. */
		memset(buf, 'X', sizeof(buf));
		XT_EQ_INT(xtmem_format_pool_flags(r->flags, buf, len + 1), len);
		XT_EQ_STR(buf, r->text);
		memset(buf, 'X', sizeof(buf));
		XT_EQ_INT(xtmem_format_pool_flags(r->flags, buf, len),
			  -ENOSPC);
		XT_EQ_INT(buf[0], '\0');
		XT_EQ_INT(buf[len], 'X');
		XT_EQ_INT(xtmem_format_pool_flags(r->flags, buf, 0), -ENOSPC);

		/* The text parses back, or is refused as reserved. */
		want = (r->flags & ~(uint32_t)ANY) ? RESV : OK;
		XT_EQ_INT(xtmem_parse_pool_flags(r->text, ANY, &back, NULL, 0),
			  want);
		if (want == OK)
			XT_EQ_HEX(back, r->flags);
		xt_case_end();
	}
}

XT_TEST(pool_flags_round_trip_all)
{
	char buf[XTMEM_POOL_FLAGS_BUF_LEN];
	uint32_t v, back;

	for (v = 0; v <= ANY; v++) {
		back = UNTOUCHED;
		XT_CHECK(xtmem_format_pool_flags(v, buf, sizeof(buf)) > 0);
		XT_EQ_INT(xtmem_parse_pool_flags(buf, ANY, &back, NULL, 0), OK);
		XT_EQ_HEX(back, v);
	}
}

XT_TEST(strerror_texts)
{
	int e, f;

	for (e = XTMEM_PARSE_OK; e <= XTMEM_PARSE_LAST; e++) {
		const char *t = xtmem_parse_strerror(e);

		XT_CHECK(t && *t);
		XT_CHECK(strcmp(t, "unknown error") != 0);
		for (f = XTMEM_PARSE_OK; f < e; f++)
			XT_CHECK(strcmp(t, xtmem_parse_strerror(f)) != 0);
	}
	XT_EQ_STR(xtmem_parse_strerror((enum xtmem_parse_err)999),
		  "unknown error");
	XT_EQ_STR(xtmem_parse_strerror((enum xtmem_parse_err)-1),
		  "unknown error");
}

/* --- UUIDs ------------------------------------------------------------ */

#define U1 "01234567-89ab-cdef-0011-223344556677"
static const uint8_t u1_bytes[16] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
};

struct uuid_row {
	const char *in;
	enum xtmem_parse_err err;
	const char *canon;	/* when OK: the lower-case form */
};

static const struct uuid_row uuid_rows[] = {
	{ U1, OK, U1 },
	{ U1 "\n", OK, U1 },
	{ "01234567-89AB-CDEF-0011-223344556677", OK, U1 },
	{ "01234567-89Ab-cDeF-0011-223344556677\n", OK, U1 },
	{ "6ba7b810-9dad-11d1-80b4-00c04fd430c8", OK,
	  "6ba7b810-9dad-11d1-80b4-00c04fd430c8" },
	{ "00000000-0000-0000-0000-000000000001", OK,
	  "00000000-0000-0000-0000-000000000001" },
	{ "80000000-0000-0000-0000-000000000000", OK,
	  "80000000-0000-0000-0000-000000000000" },
	{ "ffffffff-ffff-ffff-ffff-fffffffffffe", OK,
	  "ffffffff-ffff-ffff-ffff-fffffffffffe" },
	{ "fffffffe-ffff-ffff-ffff-ffffffffffff", OK,
	  "fffffffe-ffff-ffff-ffff-ffffffffffff" },

	{ "", EMPTY, NULL },
	{ "\n", EMPTY, NULL },
	{ "00000000-0000-0000-0000-000000000000", XTMEM_PARSE_NIL_UUID, NULL },
	{ "00000000-0000-0000-0000-000000000000\n", XTMEM_PARSE_NIL_UUID,
	  NULL },
	{ "ffffffff-ffff-ffff-ffff-ffffffffffff", XTMEM_PARSE_MAX_UUID, NULL },
	{ "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF\n", XTMEM_PARSE_MAX_UUID,
	  NULL },
	/* 35 and 37 characters. */
	{ "01234567-89ab-cdef-0011-22334455667", SYNTAX, NULL },
	{ "01234567-89ab-cdef-0011-22334455667\n", SYNTAX, NULL },
	{ "01234567-89ab-cdef-0011-2233445566778", LONG, NULL },
	{ "01234567-89ab-cdef-0011-2233445566778\n", LONG, NULL },
	/* Wrong group lengths, 36 characters each. */
	{ "0123456-789ab-cdef-0011-223344556677", SYNTAX, NULL },
	{ "012345678-9ab-cdef-0011-223344556677", SYNTAX, NULL },
	{ "01234567-89abc-def-0011-223344556677", SYNTAX, NULL },
	{ "01234567-89ab-cdef0-011-223344556677", SYNTAX, NULL },
	{ "01234567-89ab-cdef-00112-23344556677", SYNTAX, NULL },
	{ "0123-4567-89ab-cdef-0011223344556677", SYNTAX, NULL },
	/* Dashes missing. */
	{ "0123456789abcdef0011223344556677", SYNTAX, NULL },
	{ "0123456789abcdef00112233445566778899", SYNTAX, NULL },
	{ "01234567089ab-cdef-0011-223344556677", SYNTAX, NULL },
	{ "01234567-89ab-cdef-0011+223344556677", SYNTAX, NULL },
	{ "01234567_89ab_cdef_0011_223344556677", SYNTAX, NULL },
	{ "01234567 89ab cdef 0011 223344556677", SYNTAX, NULL },
	/* Extra characters. */
	{ "{01234567-89ab-cdef-0011-223344556677}", LONG, NULL },
	{ " " U1, LONG, NULL },
	{ U1 " ", LONG, NULL },
	{ U1 "\n\n", LONG, NULL },
	{ U1 "0", LONG, NULL },
	{ "\n" U1, LONG, NULL },
	/* Non-hex digits. */
	{ "0123456g-89ab-cdef-0011-223344556677", SYNTAX, NULL },
	{ "01234567-89ab-cdef-0011-22334455667G", SYNTAX, NULL },
	{ "0x234567-89ab-cdef-0011-223344556677", SYNTAX, NULL },
	{ "01234567-89ab-cdef-0011-22334455667\xff", SYNTAX, NULL },
	{ "\xff" "1234567-89ab-cdef-0011-223344556677", SYNTAX, NULL },
	{ " 1234567-89ab-cdef-0011-223344556677", SYNTAX, NULL },
	{ "01234567-89ab-cdef-0011-22334455667\n", SYNTAX, NULL },
	{ "01234567-89ab-cdef-0011-2233445566\n7", SYNTAX, NULL },
	{ "--------------------------------------", LONG, NULL },
	{ "------------------------------------", SYNTAX, NULL },
};

XT_TEST(uuid_table)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(uuid_rows); i++) {
		const struct uuid_row *r = &uuid_rows[i];
		uint8_t out[XTMEM_UUID_SIZE];
		char buf[XTMEM_UUID_BUF_LEN];
		enum xtmem_parse_err err;

		xt_case_begin("uuid \"%s\"", xt_quote(r->in));
		memset(out, 0xa5, sizeof(out));
		err = xtmem_parse_uuid(r->in, out);
		XT_CHECK_MSG(err == r->err, "got %s (%d), want %s (%d)",
			     xtmem_parse_strerror(err), err,
			     xtmem_parse_strerror(r->err), r->err);
		if (r->err == OK && err == OK) {
			XT_EQ_INT(xtmem_format_uuid(out, buf, sizeof(buf)),
				  XTMEM_UUID_STR_LEN);
			XT_EQ_STR(buf, r->canon);
		} else if (r->err != OK) {
			size_t k;

			for (k = 0; k < sizeof(out); k++)
				XT_EQ_HEX(out[k], 0xa5);
		}
		xt_case_end();
	}
}

XT_TEST(uuid_bytes)
{
	uint8_t out[XTMEM_UUID_SIZE];

	XT_EQ_INT(xtmem_parse_uuid(U1, out), OK);
	XT_EQ_MEM(out, u1_bytes, sizeof(out));
	XT_EQ_INT(xtmem_parse_uuid("01234567-89AB-CDEF-0011-223344556677\n",
				   out), OK);
	XT_EQ_MEM(out, u1_bytes, sizeof(out));
}

XT_TEST(uuid_huge)
{
	char *s = repeat("0", 4096);
	uint8_t out[XTMEM_UUID_SIZE];

	XT_EQ_INT(xtmem_parse_uuid(s, out), LONG);
	free(s);
}

XT_TEST(uuid_format)
{
	uint8_t b[XTMEM_UUID_SIZE], back[XTMEM_UUID_SIZE];
	char buf[XTMEM_UUID_BUF_LEN + 4];
	unsigned int seed = 12345;
	int i, k;

	memset(buf, 'X', sizeof(buf));
	XT_EQ_INT(xtmem_format_uuid(u1_bytes, buf, XTMEM_UUID_BUF_LEN),
		  XTMEM_UUID_STR_LEN);
	XT_EQ_STR(buf, U1);
	XT_EQ_INT(buf[XTMEM_UUID_BUF_LEN], 'X');

	memset(buf, 'X', sizeof(buf));
	XT_EQ_INT(xtmem_format_uuid(u1_bytes, buf, XTMEM_UUID_STR_LEN),
		  -ENOSPC);
	XT_EQ_INT(buf[0], '\0');
	XT_EQ_INT(buf[1], 'X');
	XT_EQ_INT(xtmem_format_uuid(u1_bytes, buf, 0), -ENOSPC);

	/* Pseudo-random round trips (a fixed LCG: reproducible). */
	for (i = 0; i < 200; i++) {
		for (k = 0; k < XTMEM_UUID_SIZE; k++) {
			seed = seed * 1103515245u + 12345u;
			b[k] = (uint8_t)(seed >> 16);
		}
		if (xtmem_format_uuid(b, buf, sizeof(buf)) !=
		    XTMEM_UUID_STR_LEN ||
		    xtmem_parse_uuid(buf, back) != OK ||
		    memcmp(b, back, sizeof(b)) != 0) {
			XT_CHECK_MSG(0, "round trip of \"%s\" failed",
				     xt_quote(buf));
			break;
		}
	}
}

/*
 * The toolstack's parser, as in Xen 4.9 - 4.12 tools/libxc/xc_tmem.c
 * xc_tmem_uuid_parse() (after fix 7bacfe38b6), re-typed as a model: hex
 * digits accumulate into uuid_hi until the third dash, then into uuid_lo.
 * xc_tmem_auth() passes (&uuid[0], &uuid[1]) as (uuid_lo, uuid_hi).
 */
static int libxc_model(const char *str, uint64_t *uuid_lo, uint64_t *uuid_hi)
{
	uint64_t *x = uuid_hi;
	const char *p;
	int i, digit;

	*uuid_lo = 0;
	*uuid_hi = 0;
	for (p = str, i = 0; i != 36 && *p != '\0'; p++, i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (*p != '-')
				return -1;
			if (i == 18)
				x = uuid_lo;
			continue;
		} else if (*p >= '0' && *p <= '9') {
			digit = *p - '0';
		} else if (*p >= 'A' && *p <= 'F') {
			digit = *p - 'A' + 10;
		} else if (*p >= 'a' && *p <= 'f') {
			digit = *p - 'a' + 10;
		} else {
			return -1;
		}
		*x = (*x << 4) | (uint64_t)digit;
	}
	if ((i != 1 && i != 36) || *p != '\0')
		return -1;
	return 0;
}

struct tmem_row {
	const char *in;
	uint64_t w0, w1;	/* hand-computed u.creat.uuid[0], [1] */
};

static const struct tmem_row tmem_rows[] = {
	{ U1, 0x0011223344556677ull, 0x0123456789abcdefull },
	{ "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	  0x80b400c04fd430c8ull, 0x6ba7b8109dad11d1ull },
	{ "00000000-0000-0000-0000-000000000001", 1, 0 },
	{ "00000000-0000-0001-0000-000000000000", 0, 1 },
	{ "80000000-0000-0000-0000-000000000000", 0, 0x8000000000000000ull },
	{ "00000000-0000-0000-8000-000000000000", 0x8000000000000000ull, 0 },
	{ "ABCDEF01-2345-6789-ABCD-EF0123456789",
	  0xabcdef0123456789ull, 0xabcdef0123456789ull },
	{ "ffffffff-ffff-ffff-ffff-fffffffffffe",
	  0xfffffffffffffffeull, 0xffffffffffffffffull },
};

XT_TEST(uuid_to_tmem)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tmem_rows); i++) {
		const struct tmem_row *r = &tmem_rows[i];
		uint8_t b[XTMEM_UUID_SIZE];
		uint64_t w[2], lo, hi;

		xt_case_begin("uuid_to_tmem %s", r->in);
		XT_EQ_INT(xtmem_parse_uuid(r->in, b), OK);
		xtmem_uuid_to_tmem(b, w);
		XT_EQ_HEX(w[0], r->w0);
		XT_EQ_HEX(w[1], r->w1);
		XT_EQ_INT(libxc_model(r->in, &lo, &hi), 0);
		XT_EQ_HEX(w[0], lo);
		XT_EQ_HEX(w[1], hi);
		xt_case_end();
	}
}

XT_TEST(uuid_to_tmem_model_random)
{
	uint8_t b[XTMEM_UUID_SIZE];
	char buf[XTMEM_UUID_BUF_LEN];
	unsigned int seed = 777;
	uint64_t w[2], lo, hi;
	int i, k;

	for (i = 0; i < 500; i++) {
		for (k = 0; k < XTMEM_UUID_SIZE; k++) {
			seed = seed * 1103515245u + 12345u;
			b[k] = (uint8_t)(seed >> 16);
		}
		xtmem_format_uuid(b, buf, sizeof(buf));
		xtmem_uuid_to_tmem(b, w);
		if (libxc_model(buf, &lo, &hi) != 0 || w[0] != lo ||
		    w[1] != hi) {
			XT_CHECK_MSG(0, "%s: got {0x%llx, 0x%llx}, "
				     "libxc {0x%llx, 0x%llx}", buf, (unsigned long long)w[0],
				     (unsigned long long)w[1],
				     (unsigned long long)lo,
				     (unsigned long long)hi);
			break;
		}
	}
}

/* The all-ones UUID is the value Xen's do_tmem_new_pool makes private. */
XT_TEST(uuid_to_tmem_all_ones)
{
	uint8_t b[XTMEM_UUID_SIZE];
	uint64_t w[2];

	memset(b, 0xff, sizeof(b));
	xtmem_uuid_to_tmem(b, w);
	XT_EQ_HEX(w[0], ~0ull);
	XT_EQ_HEX(w[1], ~0ull);
	memset(b, 0, sizeof(b));
	xtmem_uuid_to_tmem(b, w);
	XT_EQ_HEX(w[0], 0);
	XT_EQ_HEX(w[1], 0);
}

/* --- transport ------------------------------------------------------ */

struct transport_row {
	const char *in;
	enum xtmem_parse_err err;
	int out;
};

static const struct transport_row transport_rows[] = {
	{ "xen", OK, XTMEM_TRANSPORT_XEN },
	{ "xen\n", OK, XTMEM_TRANSPORT_XEN },
	{ "emulated", OK, XTMEM_TRANSPORT_EMULATED },
	{ "emulated\n", OK, XTMEM_TRANSPORT_EMULATED },
	{ "", EMPTY, 0 },
	{ "\n", EMPTY, 0 },
	{ "Xen", UNKNOWN, 0 },
	{ "XEN", UNKNOWN, 0 },
	{ "Emulated", UNKNOWN, 0 },
	{ "kvm", UNKNOWN, 0 },
	{ "emu", UNKNOWN, 0 },
	{ "xe", UNKNOWN, 0 },
	{ "xenx", UNKNOWN, 0 },
	{ "emulatedx", UNKNOWN, 0 },
	{ "emulate", UNKNOWN, 0 },
	{ "0", UNKNOWN, 0 },
	{ "aaaaaaaaaaaaaaaa", UNKNOWN, 0 },
	{ "aaaaaaaaaaaaaaaa\n", UNKNOWN, 0 },
	{ "aaaaaaaaaaaaaaaaa", LONG, 0 },
	{ "xen\n\n", SYNTAX, 0 },
	{ "\nxen", SYNTAX, 0 },
	{ " xen", SYNTAX, 0 },
	{ "xen ", SYNTAX, 0 },
	{ "xen,emulated", SYNTAX, 0 },
	{ "x-en", SYNTAX, 0 },
	{ "\xff", SYNTAX, 0 },
	{ "xen\xff", SYNTAX, 0 },
};

XT_TEST(transport_table)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(transport_rows); i++) {
		const struct transport_row *r = &transport_rows[i];
		int out = -12345;
		enum xtmem_parse_err err;

		xt_case_begin("transport \"%s\"", xt_quote(r->in));
		err = xtmem_parse_transport(r->in, &out);
		XT_CHECK_MSG(err == r->err, "got %s (%d), want %s (%d)",
			     xtmem_parse_strerror(err), err,
			     xtmem_parse_strerror(r->err), r->err);
		XT_EQ_INT(out, r->err == OK ? r->out : -12345);
		xt_case_end();
	}
}

XT_TEST(transport_names)
{
	char *s = repeat("xen", 1366);
	int k, out = -1;

	XT_EQ_INT(XTMEM_TRANSPORT_XEN, 0);
	XT_EQ_INT(XTMEM_TRANSPORT_EMULATED, 1);
	XT_EQ_STR(xtmem_transport_name(XTMEM_TRANSPORT_XEN), "xen");
	XT_EQ_STR(xtmem_transport_name(XTMEM_TRANSPORT_EMULATED), "emulated");
	XT_CHECK(xtmem_transport_name(2) == NULL);
	XT_CHECK(xtmem_transport_name(-1) == NULL);
	for (k = XTMEM_TRANSPORT_XEN; k <= XTMEM_TRANSPORT_EMULATED; k++) {
		XT_EQ_INT(xtmem_parse_transport(xtmem_transport_name(k), &out),
			  OK);
		XT_EQ_INT(out, k);
	}
	out = -1;
	XT_EQ_INT(xtmem_parse_transport(s, &out), LONG);
	XT_EQ_INT(out, -1);
	free(s);
}

/* --- on/off -------------------------------------------------------------- */

struct onoff_row {
	const char *in;
	enum xtmem_parse_err err;
	bool out;
};

static const struct onoff_row onoff_rows[] = {
	{ "1", OK, true }, { "y", OK, true }, { "Y", OK, true },
	{ "on", OK, true }, { "on\n", OK, true }, { "1\n", OK, true },
	{ "0", OK, false }, { "n", OK, false }, { "N", OK, false },
	{ "off", OK, false }, { "off\n", OK, false },
	{ "", EMPTY, false }, { "\n", EMPTY, false },
	{ "yes", UNKNOWN, false }, { "true", LONG, false },
	{ "1junk", LONG, false }, { "10", UNKNOWN, false },
	{ "2", UNKNOWN, false }, { "-1", UNKNOWN, false },
	{ " 1", UNKNOWN, false }, { "1 ", UNKNOWN, false },
	{ "1\n\n", UNKNOWN, false }, { "ON", UNKNOWN, false },
	{ "\xff", UNKNOWN, false }, { "maybe", LONG, false },
};

XT_TEST(onoff_table)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(onoff_rows); i++) {
		const struct onoff_row *r = &onoff_rows[i];
		bool out = !r->out;
		enum xtmem_parse_err err;

		xt_case_begin("onoff \"%s\"", xt_quote(r->in));
		err = xtmem_parse_onoff(r->in, &out);
		XT_CHECK_MSG(err == r->err, "got %s (%d), want %s (%d)",
			     xtmem_parse_strerror(err), err,
			     xtmem_parse_strerror(r->err), r->err);
		/* On error the output is untouched. */
		XT_EQ_INT(out, r->err == OK ? r->out : !r->out);
		xt_case_end();
	}
}

XT_TEST(onoff_huge)
{
	char *s = repeat("1", 65536);
	bool out = false;

	XT_EQ_INT(xtmem_parse_onoff(s, &out), LONG);
	XT_EQ_INT(out, false);
	free(s);
}

/* --- printable copies of refused values ------------------------------------ */

XT_TEST(printable)
{
	char buf[8], *s = repeat("ab", 32768);

	xtmem_parse_printable("plain", buf, sizeof(buf));
	XT_EQ_STR(buf, "plain");
	xtmem_parse_printable("nl\n", buf, sizeof(buf));
	XT_EQ_STR(buf, "nl");
	xtmem_parse_printable("a\x01\xff\tb", buf, sizeof(buf));
	XT_EQ_STR(buf, "a???b");
	xtmem_parse_printable("a\nb", buf, sizeof(buf));
	XT_EQ_STR(buf, "a?b");
	xtmem_parse_printable(s, buf, sizeof(buf));
	XT_EQ_STR(buf, "abababa");
	xtmem_parse_printable("", buf, sizeof(buf));
	XT_EQ_STR(buf, "");
	buf[0] = 'x';
	xtmem_parse_printable("abc", buf, 0);
	XT_CHECK(buf[0] == 'x');
	free(s);
}
