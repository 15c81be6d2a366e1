/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: parsers and formatters for the module parameters.
 *
 * Pure functions with no kernel dependency beyond a few types: the same
 * parse.c is built into the module and into the userspace unit tests
 * (tests/unit), so both see exactly the same behaviour. No libc or kernel
 * number parser is used; the digit loops are our own.
 *
 * Conventions common to all parsers:
 *  - the input is a NUL-terminated string; at most one trailing '\n' (as
 *    written through sysfs) is ignored, nothing else is trimmed;
 *  - only a bounded prefix of the input is ever read (the maximum length
 *    plus two bytes), so an unterminated or huge string is refused with
 *    XTMEM_PARSE_TOO_LONG without being scanned to its end;
 *  - on any error the output is left untouched.
 */
#ifndef XEN_TMEM_PARSE_H
#define XEN_TMEM_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#include <xen-tmem/abi.h>

enum xtmem_parse_err {
	XTMEM_PARSE_OK = 0,
	XTMEM_PARSE_EMPTY,		/* empty string (or a lone '\n') */
	XTMEM_PARSE_SYNTAX,		/* bad characters / malformed */
	XTMEM_PARSE_UNKNOWN,		/* unknown name */
	XTMEM_PARSE_NOT_ALLOWED,	/* valid flag refused by the caller */
	XTMEM_PARSE_RESERVED,		/* number with non-flag bits set */
	XTMEM_PARSE_RANGE,		/* number does not fit 32 bits */
	XTMEM_PARSE_TOO_LONG,		/* input longer than the maximum */
	XTMEM_PARSE_NIL_UUID,		/* all-zero uuid: the private uuid */
	XTMEM_PARSE_MAX_UUID,		/* all-ones uuid: Xen makes it private */
	XTMEM_PARSE_TWICE,		/* a flag name given twice */
	XTMEM_PARSE_NONE_MIXED,		/* "none" with other names */
	XTMEM_PARSE_LAST = XTMEM_PARSE_NONE_MIXED
};

/* Maximum input lengths, not counting the optional trailing '\n'. */
#define XTMEM_POOL_FLAGS_MAX_LEN	64
#define XTMEM_UUID_STR_LEN		36
#define XTMEM_TRANSPORT_MAX_LEN		16

/* Size of the binary UUID (RFC 4122 byte order, as the kernel's uuid_t). */
#define XTMEM_UUID_SIZE			16

/* Buffer sizes for the formatters, including the terminating NUL. */
#define XTMEM_POOL_FLAGS_BUF_LEN	32
#define XTMEM_UUID_BUF_LEN		(XTMEM_UUID_STR_LEN + 1)

/* The pool flag bits that have names; every other bit is reserved here. */
#define XTMEM_POOL_NAMED_BITS						\
	(XTMEM_POOL_PERSIST | XTMEM_POOL_SHARED | XTMEM_POOL_PRECOMPRESSED)

/*
 * Bits a numeric pool_flags value must not carry: bit 3, the page-size
 * field (bits 4-7), TMEM_POOL_RESERVED_BITS (8-23) and the spec-version
 * field (24-31). The module fills the page size and version itself.
 */
#define XTMEM_POOL_PARSE_RESERVED					\
	((uint32_t)0x8 |						\
	 ((uint32_t)XTMEM_POOL_PAGESIZE_MASK << XTMEM_POOL_PAGESIZE_SHIFT) | \
	 (uint32_t)XTMEM_POOL_RESERVED_BITS |				\
	 ((uint32_t)XTMEM_POOL_VERSION_MASK << XTMEM_POOL_VERSION_SHIFT))

/* Values of the transport parameter. */
enum xtmem_transport_kind {
	XTMEM_TRANSPORT_XEN = 0,	/* "xen": the tmem_op hypercall */
	XTMEM_TRANSPORT_EMULATED = 1,	/* "emulated": tests/emu module */
};

/*
 * xtmem_parse_strerror() - short human-readable text for @e, never NULL.
 * Unknown values give "unknown error".
 */
const char *xtmem_parse_strerror(enum xtmem_parse_err e);

/*
 * xtmem_parse_pool_flags() - parse the pool_flags parameter.
 * @s:       input: a comma-separated list of the names "persist", "shared"
 *           and "precompressed" (lower case, each at most once, no spaces),
 *           or "none" alone, or one number in decimal (no leading zeros)
 *           or hex ("0x"/"0X" prefix, digits of either case);
 * @allowed: the flag bits the caller accepts;
 * @out:     receives the flag bits (only XTMEM_POOL_NAMED_BITS) on success;
 * @bad:     if not NULL and @badlen > 0, receives the offending token (the
 *           whole input for errors that concern all of it), truncated to
 *           @badlen - 1 bytes, non-printable bytes replaced by '?'; "" on
 *           success;
 * @badlen:  size of @bad.
 *
 * Errors: EMPTY; TOO_LONG (more than XTMEM_POOL_FLAGS_MAX_LEN bytes);
 * SYNTAX (empty token, a character outside [A-Za-z0-9_] in a name, a name
 * given twice, "none" combined with another name, a malformed number, any
 * whitespace or newline other than one trailing '\n'); UNKNOWN (a
 * well-formed name that is not a flag, including upper-case spellings);
 * RANGE (number above 0xffffffff); RESERVED (number with any bit of
 * XTMEM_POOL_PARSE_RESERVED); NOT_ALLOWED (a flag bit outside @allowed).
 * For names, the first failing token from the left decides.
 */
enum xtmem_parse_err xtmem_parse_pool_flags(const char *s, uint32_t allowed,
					    uint32_t *out, char *bad,
					    size_t badlen);

/*
 * xtmem_format_pool_flags() - format pool flags for humans and for
 * re-parsing: "none", or the set names in bit order joined by ','
 * ("persist", "shared", "persist,shared", ...). A value with any bit
 * outside XTMEM_POOL_NAMED_BITS is printed whole as "0x%08x".
 *
 * Returns the string length (without the NUL), or -ENOSPC when @len is too
 * small for the string and its NUL (then @buf is "" if @len > 0).
 * XTMEM_POOL_FLAGS_BUF_LEN is always enough.
 */
int xtmem_format_pool_flags(uint32_t flags, char *buf, size_t len);

/*
 * xtmem_parse_uuid() - parse a canonical 8-4-4-4-12 hex UUID, digits of
 * either case, with at most one trailing '\n'. @out receives the 16 bytes
 * in string order (byte 0 = the first two hex digits).
 *
 * Errors: EMPTY; TOO_LONG (more than 36 characters); SYNTAX (fewer than
 * 36 characters, a dash missing or misplaced, a non-hex digit); NIL_UUID
 * (all zero) and MAX_UUID (all ones): neither can name a shared pool.
 */
enum xtmem_parse_err xtmem_parse_uuid(const char *s,
				      uint8_t out[XTMEM_UUID_SIZE]);

/*
 * xtmem_format_uuid() - format @b as 36 lower-case characters.
 * Returns 36, or -ENOSPC when @len < XTMEM_UUID_BUF_LEN (then @buf is ""
 * if @len > 0).
 */
int xtmem_format_uuid(const uint8_t b[XTMEM_UUID_SIZE], char *buf,
		      size_t len);

/*
 * xtmem_uuid_to_tmem() - the two 64-bit words of NEW_POOL's u.creat.uuid
 * for the UUID @b, in the convention of Xen's toolstack, so that a UUID
 * authorised with `xl tmem-shared-auth -u UUID` matches:
 *   words[0] (uuid_lo) = bytes 8..15 read as a big-endian number
 *                        (the last 16 hex digits of the string);
 *   words[1] (uuid_hi) = bytes 0..7 read as a big-endian number
 *                        (the first 16 hex digits of the string).
 * Sources and caveats are in parse.c.
 */
void xtmem_uuid_to_tmem(const uint8_t b[XTMEM_UUID_SIZE], uint64_t words[2]);

/*
 * xtmem_parse_transport() - parse "xen" or "emulated" (lower case, at most
 * one trailing '\n') into an enum xtmem_transport_kind value in @out.
 *
 * Errors: EMPTY; TOO_LONG (more than XTMEM_TRANSPORT_MAX_LEN bytes);
 * SYNTAX (a character outside [A-Za-z0-9_]); UNKNOWN (any other name).
 */
enum xtmem_parse_err xtmem_parse_transport(const char *s, int *out);

/* xtmem_transport_name() - "xen", "emulated", or NULL for other values. */
const char *xtmem_transport_name(int kind);

/* Longest accepted on/off word, not counting the optional '\n'. */
#define XTMEM_ONOFF_MAX_LEN		3

/*
 * xtmem_parse_onoff() - a strict boolean: "1", "y", "Y", "on" are true,
 * "0", "n", "N", "off" false, with at most one trailing '\n'. Unlike the
 * kernel's kstrtobool() it refuses "1junk" and "yes please".
 *
 * Errors: EMPTY; TOO_LONG; UNKNOWN (any other word).
 */
enum xtmem_parse_err xtmem_parse_onoff(const char *s, bool *out);

/*
 * xtmem_parse_printable() - a copy of a refused value for a log line:
 * at most @len - 1 bytes, one trailing '\n' dropped, non-printable bytes
 * replaced by '?', always NUL-terminated when @len > 0.
 */
void xtmem_parse_printable(const char *s, char *buf, size_t len);

#endif /* XEN_TMEM_PARSE_H */
