// SPDX-License-Identifier: GPL-2.0
/*
 * xt_test: registration, case accounting and the runner's main().
 *
 * usage: unit_tests [SUBSTRING]   run the tests whose name contains it
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xt_test.h"

static struct xt_test *tests;
static struct xt_test **tests_tail = &tests;

static unsigned int passed, failed;

/* The running test, and the open row inside it if any. */
static const char *cur_test;
static char cur_case[160];
static int in_case;
static int case_failed, test_failed, test_had_cases;

void xt_register(struct xt_test *t)
{
	/* Constructors run in link order; keep it for stable output. */
	t->next = NULL;
	*tests_tail = t;
	tests_tail = &t->next;
}

void xt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s", cur_test ? cur_test : "?");
	if (in_case)
		printf(" [%s]", cur_case);
	printf(": %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (in_case)
		case_failed = 1;
	else
		test_failed = 1;
}

void xt_case_begin(const char *fmt, ...)
{
	va_list ap;

	if (in_case)
		xt_case_end();
	va_start(ap, fmt);
	vsnprintf(cur_case, sizeof(cur_case), fmt, ap);
	va_end(ap);
	in_case = 1;
	case_failed = 0;
	test_had_cases = 1;
}

void xt_case_end(void)
{
	if (!in_case)
		return;
	if (case_failed)
		failed++;
	else
		passed++;
	in_case = 0;
}

const char *xt_quote_n(const char *s, size_t n)
{
	static char bufs[4][96];
	static unsigned int next;
	char *buf = bufs[next++ % 4];
	size_t i, o = 0;

	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o > 60) {
			memcpy(buf + o, "...", 4);
			return buf;
		}
		if (c == '\n')
			o += (size_t)sprintf(buf + o, "\\n");
		else if (c == '\\' || c == '"')
			o += (size_t)sprintf(buf + o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)sprintf(buf + o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	struct xt_test *t;

	for (t = tests; t; t = t->next) {
		if (filter && !strstr(t->name, filter))
			continue;
		cur_test = t->name;
		test_failed = 0;
		test_had_cases = 0;
		t->fn();
		xt_case_end();
		if (test_failed)
			failed++;
		else if (!test_had_cases)
			passed++;
		cur_test = NULL;
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
