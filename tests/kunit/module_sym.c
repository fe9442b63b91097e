// SPDX-License-Identifier: GPL-2.0
/*
 * module/sym.c, compiled unchanged into the KUnit module as its own
 * translation unit, exactly as in cgmask.ko (see Kbuild).
 *
 * Appended: accessors for sym_kunit.c to its module parameters, which
 * sym.c keeps static. They stand in for a test hook in sym.c itself
 * (VISIBLE_IF_KUNIT); see cgmask_kunit.h.
 */
#include "../../module/sym.c"

#include "cgmask_kunit.h"

char **cgm_sym_lookup_param(void)
{
	return &lookup;
}

unsigned long *cgm_sym_addr_param(enum cgmask_sym_id id)
{
	return cgmask_syms[id].param;
}
