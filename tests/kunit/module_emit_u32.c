// SPDX-License-Identifier: GPL-2.0
/*
 * module/emit.c, compiled unchanged but as for a Linux 7.x kernel: u32
 * masks and 20 subsystems, with every name renamed (cgmask_kunit_u32.h).
 */
#include "cgmask_kunit_u32.h"
#include "../../module/emit.c"
