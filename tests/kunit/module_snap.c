// SPDX-License-Identifier: GPL-2.0
/*
 * module/snap.c, compiled unchanged into the KUnit module as its own
 * translation unit, exactly as in cgmask.ko (see Kbuild).
 */
#include "../../module/snap.c"
