// SPDX-License-Identifier: GPL-2.0
/*
 * module/rule.c, compiled unchanged into the KUnit module as its own
 * translation unit, exactly as in cgmask.ko (see Kbuild).
 */
#include "../../module/rule.c"
