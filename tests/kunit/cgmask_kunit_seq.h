/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seq_file helpers shared by every cgmask KUnit suite, at either mask
 * width: they touch no cgmask type, so rule_u32_kunit.c (which includes
 * cgmask_kunit_u32.h instead of cgmask_kunit.h) uses them too. Defined in
 * helpers.c.
 */
#ifndef CGMASK_KUNIT_SEQ_H
#define CGMASK_KUNIT_SEQ_H

#include <linux/types.h>

struct kunit;
struct seq_file;

/* A seq_file with a @size byte buffer and no file behind it, for emit. */
struct seq_file *cgm_seq_new(struct kunit *test, size_t size);

/*
 * Line @n (from 0) of @m's text, without its newline; "" past the end.
 * Asserts that the text did not overflow the buffer.
 */
const char *cgm_seq_line(struct kunit *test, struct seq_file *m,
			 unsigned int n);

#endif /* CGMASK_KUNIT_SEQ_H */
