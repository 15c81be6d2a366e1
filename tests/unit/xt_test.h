/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xt_test: a tiny assertion framework for the userspace unit tests.
 *
 * A test is a function declared with XT_TEST(name) { ... } in any file
 * linked into the runner; it registers itself before main() runs. Checks
 * (XT_CHECK, XT_EQ_*) record a failure with file and line and carry on.
 * Table-driven tests wrap each row in xt_case_begin()/xt_case_end(): each
 * row then counts as one test case, and a test with rows is counted by its
 * rows only (plus itself if a check outside any row failed).
 *
 * Output: nothing for a passing case; one "FAIL ..." line per failed
 * check; at the end exactly one line "N passed, M failed". The exit status
 * is 0 when nothing failed, 1 otherwise.
 */
#ifndef XT_TEST_H
#define XT_TEST_H

#include <stddef.h>
#include <stdint.h>

struct xt_test {
	const char *name;
	void (*fn)(void);
	struct xt_test *next;
};

void xt_register(struct xt_test *t);
void xt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void xt_case_begin(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void xt_case_end(void);

/*
 * C-escape up to @n bytes of @s (or up to its NUL when @n is SIZE_MAX) into
 * one of a few rotating static buffers, abbreviated with "..." past 60
 * characters. For messages only.
 */
const char *xt_quote_n(const char *s, size_t n);
#define xt_quote(s) xt_quote_n((s), SIZE_MAX)

#define XT_CAT_(a, b) a##b
#define XT_CAT(a, b) XT_CAT_(a, b)

#define XT_TEST(fn) XT_TEST_(fn)
#define XT_TEST_(fn)							\
	static void fn(void);						\
	static struct xt_test xt_test_##fn = { #fn, fn, NULL };	\
	__attribute__((constructor)) static void xt_reg_##fn(void)	\
	{								\
		xt_register(&xt_test_##fn);				\
	}								\
	static void fn(void)

#define XT_CHECK(cond)							\
	do {								\
		if (!(cond))						\
			xt_fail(__FILE__, __LINE__, "%s", #cond);	\
	} while (0)

#define XT_CHECK_MSG(cond, ...)						\
	do {								\
		if (!(cond))						\
			xt_fail(__FILE__, __LINE__, __VA_ARGS__);	\
	} while (0)

#define XT_EQ_INT(a, b)							\
	do {								\
		long long xt_a = (long long)(a), xt_b = (long long)(b); \
		if (xt_a != xt_b)					\
			xt_fail(__FILE__, __LINE__,			\
				"%s == %s: %lld != %lld",		\
				#a, #b, xt_a, xt_b);			\
	} while (0)

#define XT_EQ_HEX(a, b)							\
	do {								\
		unsigned long long xt_a = (unsigned long long)(a);	\
		unsigned long long xt_b = (unsigned long long)(b);	\
		if (xt_a != xt_b)					\
			xt_fail(__FILE__, __LINE__,			\
				"%s == %s: 0x%llx != 0x%llx",		\
				#a, #b, xt_a, xt_b);			\
	} while (0)

#define XT_EQ_STR(a, b)							\
	do {								\
		const char *xt_a = (a), *xt_b = (b);			\
		if (!xt_a || !xt_b || strcmp(xt_a, xt_b) != 0)		\
			xt_fail(__FILE__, __LINE__,			\
				"%s == %s: \"%s\" != \"%s\"", #a, #b,	\
				xt_a ? xt_quote(xt_a) : "(null)",	\
				xt_b ? xt_quote(xt_b) : "(null)");	\
	} while (0)

#define XT_EQ_MEM(a, b, n)						\
	do {								\
		if (memcmp((a), (b), (n)) != 0)				\
			xt_fail(__FILE__, __LINE__,			\
				"%s == %s: %zu bytes differ",		\
				#a, #b, (size_t)(n));			\
	} while (0)

#endif /* XT_TEST_H */
