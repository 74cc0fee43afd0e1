/* SPDX-License-Identifier: MIT */
/*
 * Markers for the attribution plugin (bench/attr/plugin/uffdattr.c): empty
 * noinline functions, each one `movabs $MAGIC|kind, %rax` the plugin
 * recognises when qemu translates it.  They are called outside the timed
 * loop, around each counted single-thread pass and after each cell; without
 * the plugin each costs a call, one move and a return.
 */
#ifndef UFFDBENCH_CORE_ATTR_MARK_H
#define UFFDBENCH_CORE_ATTR_MARK_H

#define ATTR_MAGIC	0x7566666461747400ULL	/* "uffdatt\0" | kind */
#define ATTR_MARK_BEGIN	1	/* a timed pass begins (its clock not yet read) */
#define ATTR_MARK_END	2	/* the pass ended (its clock read) */
#define ATTR_MARK_CELL	3	/* the cell ended: the plugin writes its counts */

void attr_mark_begin(void);
void attr_mark_end(void);
void attr_mark_cell(void);

#endif
