// SPDX-License-Identifier: GPL-2.0
/*
 * module/emit.c, compiled unchanged into the KUnit module as its own
 * translation unit, exactly as in cgmask.ko (see Kbuild).
 */
#include "../../module/emit.c"
