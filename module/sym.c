// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the kernel's unexported cgroup symbols. Strategies, in order:
 *
 *  1. param:  an address handed in as a module parameter (for example
 *             read from /proc/kallsyms by a loader script);
 *  2. kprobe: kallsyms_lookup_name(), located with a kprobe because it is
 *             not exported since v5.7, and called only where an indirect
 *             call cannot fault (no x86 IBT on the running CPU, no Clang
 *             CFI, no arm64 BTI).
 *
 * Every address, whatever found it, is checked with sprint_symbol() to be
 * exactly the start of the expected symbol before a byte is read through
 * it. A symbol nobody can find is simply absent (address 0): without
 * CONFIG_KALLSYMS_ALL no data symbol is in kallsyms, and the module then
 * derives what it can.
 */
#include "cgmask.h"

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/cpufeature.h>
#endif

#define CGMASK_USE_PARAM	BIT(0)
#define CGMASK_USE_KPROBE	BIT(1)

static char *lookup = "param,kprobe";
module_param(lookup, charp, 0444);
MODULE_PARM_DESC(lookup,
		 "strategies for finding unexported symbols: a comma-separated list of param and kprobe, or none (for testing fallbacks; default param,kprobe)");

static unsigned long cgmask_param_implicit;
static unsigned long cgmask_param_inhibit;
static unsigned long cgmask_param_threaded;
static unsigned long cgmask_param_mutex;
module_param_named(cgrp_dfl_implicit_ss_mask, cgmask_param_implicit, ulong, 0);
MODULE_PARM_DESC(cgrp_dfl_implicit_ss_mask, "address of cgrp_dfl_implicit_ss_mask (verified)");
module_param_named(cgrp_dfl_inhibit_ss_mask, cgmask_param_inhibit, ulong, 0);
MODULE_PARM_DESC(cgrp_dfl_inhibit_ss_mask, "address of cgrp_dfl_inhibit_ss_mask (verified)");
module_param_named(cgrp_dfl_threaded_ss_mask, cgmask_param_threaded, ulong, 0);
MODULE_PARM_DESC(cgrp_dfl_threaded_ss_mask, "address of cgrp_dfl_threaded_ss_mask (verified)");
module_param_named(cgroup_mutex, cgmask_param_mutex, ulong, 0);
MODULE_PARM_DESC(cgroup_mutex, "address of cgroup_mutex (verified)");

struct cgmask_sym {
	const char *name;
	size_t size;
	unsigned long *param;
	unsigned long addr;
	enum cgmask_via via;
};

static struct cgmask_sym cgmask_syms[CGMASK_NR_SYMS] = {
	[CGMASK_SYM_IMPLICIT] = { "cgrp_dfl_implicit_ss_mask", sizeof(cgmask_t),
				  &cgmask_param_implicit },
	[CGMASK_SYM_INHIBIT] = { "cgrp_dfl_inhibit_ss_mask", sizeof(cgmask_t),
				 &cgmask_param_inhibit },
	[CGMASK_SYM_THREADED] = { "cgrp_dfl_threaded_ss_mask", sizeof(cgmask_t),
				  &cgmask_param_threaded },
	[CGMASK_SYM_MUTEX] = { "cgroup_mutex", sizeof(struct mutex),
			       &cgmask_param_mutex },
};

unsigned long cgmask_sym_addr(enum cgmask_sym_id id)
{
	return cgmask_syms[id].addr;
}

enum cgmask_via cgmask_sym_via(enum cgmask_sym_id id)
{
	return cgmask_syms[id].via;
}

/*
 * 0 when @addr is exactly the start of kernel symbol @name and the symbol
 * spans at least @size bytes; -EINVAL otherwise. Only kallsyms tables are
 * consulted; nothing is read at @addr.
 */
int cgmask_sym_verify(const char *name, unsigned long addr, size_t size)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);
	unsigned long symsize;

	if (!addr)
		return -EINVAL;
	sprint_symbol(buf, addr);
	/* "name+0x0/0xSIZE", with no " [module]" suffix. */
	if (strncmp(buf, name, len) || strncmp(buf + len, "+0x0/0x", 7))
		return -EINVAL;
	if (kstrtoul(buf + len + 7, 16, &symsize) || symsize < size)
		return -EINVAL;
	return 0;
}

/* Log why a handed-in address was refused, without printing the address. */
static void cgmask_sym_refuse(const struct cgmask_sym *sym)
{
	char buf[KSYM_SYMBOL_LEN];

	sprint_symbol(buf, *sym->param);
	if (!strncmp(buf, "0x", 2))
		pr_err("refusing to load: %s= is not the address of a kernel symbol\n",
		       sym->name);
	else
		pr_err("refusing to load: %s= is not the start of %s (it resolves to %s)\n",
		       sym->name, sym->name, buf);
}

#if IS_ENABLED(CONFIG_KPROBES) && IS_ENABLED(CONFIG_KALLSYMS)

/* Why calling a kallsyms-found function through a pointer could fault. */
static const char *cgmask_indirect_call_hazard(void)
{
	if (!IS_ENABLED(CONFIG_X86_64))
		return "architecture not validated";
	if (IS_ENABLED(CONFIG_CFI_CLANG))
		return "Clang CFI";
#ifdef CONFIG_X86_KERNEL_IBT
	/* v5.18: IBT seals unreferenced ENDBRs; an indirect call would #CP. */
	if (cpu_feature_enabled(X86_FEATURE_IBT))
		return "x86 IBT enabled";
#endif
	return NULL;
}

static unsigned long cgmask_kln_locate(void)
{
	static const char fn[] = "kallsyms_lookup_name";
	struct kprobe kp = { .symbol_name = fn };
	char buf[KSYM_SYMBOL_LEN];
	unsigned long addr, off;
	const char *hazard;
	char *end;

	hazard = cgmask_indirect_call_hazard();
	if (hazard) {
		pr_info("not calling kallsyms_lookup_name: %s\n", hazard);
		return 0;
	}
	if (register_kprobe(&kp) < 0)
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	/* kprobes may place the probe past an ENDBR (v6.1+): step back. */
	sprint_symbol(buf, addr);
	if (strncmp(buf, fn, sizeof(fn) - 1) ||
	    strncmp(buf + sizeof(fn) - 1, "+0x", 3))
		return 0;
	end = strchr(buf, '/');
	if (!end)
		return 0;
	*end = '\0';
	if (kstrtoul(buf + sizeof(fn) + 2, 16, &off) || off > 16)
		return 0;
	addr -= off;
	if (cgmask_sym_verify(fn, addr, 1))
		return 0;
	return addr;
}
#else
static unsigned long cgmask_kln_locate(void)
{
	return 0;
}
#endif

/* Only ever called with an address cgmask_kln_locate() verified. */
static unsigned long cgmask_kln_call(unsigned long kln, const char *name)
{
	unsigned long (*fn)(const char *name) = (void *)kln;

	return fn(name);
}

static int cgmask_parse_lookup(unsigned int *use)
{
	char buf[32], *s = buf, *tok;

	*use = 0;
	if (strscpy(buf, lookup ? lookup : "", sizeof(buf)) < 0)
		goto out_invalid;
	if (!strcmp(buf, "none"))
		return 0;
	while ((tok = strsep(&s, ","))) {
		if (!strcmp(tok, "param"))
			*use |= CGMASK_USE_PARAM;
		else if (!strcmp(tok, "kprobe"))
			*use |= CGMASK_USE_KPROBE;
		else
			goto out_invalid;
	}
	return 0;

out_invalid:
	pr_err("refusing to load: lookup= takes a comma-separated list of param and kprobe, or none\n");
	return -EINVAL;
}

int cgmask_sym_init(void)
{
	unsigned long kln = 0;
	unsigned int use;
	int i, ret;

	ret = cgmask_parse_lookup(&use);
	if (ret)
		return ret;

	for (i = 0; i < CGMASK_NR_SYMS; i++) {
		struct cgmask_sym *sym = &cgmask_syms[i];

		sym->addr = 0;
		sym->via = CGMASK_VIA_NONE;
		if (!*sym->param)
			continue;
		if (!(use & CGMASK_USE_PARAM)) {
			pr_err("refusing to load: %s= given but lookup= excludes param\n",
			       sym->name);
			return -EINVAL;
		}
		if (cgmask_sym_verify(sym->name, *sym->param, sym->size)) {
			cgmask_sym_refuse(sym);
			return -EINVAL;
		}
		sym->addr = *sym->param;
		sym->via = CGMASK_VIA_PARAM;
	}

	if (use & CGMASK_USE_KPROBE)
		kln = cgmask_kln_locate();

	for (i = 0; i < CGMASK_NR_SYMS; i++) {
		struct cgmask_sym *sym = &cgmask_syms[i];
		unsigned long addr;

		if (sym->addr || !kln)
			continue;
		addr = cgmask_kln_call(kln, sym->name);
		if (!addr)
			continue;
		if (cgmask_sym_verify(sym->name, addr, sym->size)) {
			pr_warn("kallsyms_lookup_name(%s) gave an address that does not verify; not using it\n",
				sym->name);
			continue;
		}
		sym->addr = addr;
		sym->via = CGMASK_VIA_KPROBE;
	}
	return 0;
}
