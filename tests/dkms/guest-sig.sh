#!/bin/sh
# /init of the Secure Boot check of tests/dkms/run.sh: what a kernel booted
# with Secure Boot does with /unsigned.ko and /signed.ko (signed by DKMS with
# a MOK key this kernel was never given), in the two states Secure Boot puts
# a Debian kernel in. Prints "@@ ..." lines on the console:
#   @@ lockdown STATE        after raising lockdown to integrity, as
#                            CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT does
#   @@ enforce STATE         after switching signature enforcement on, as
#                            CONFIG_IMA_ARCH_POLICY does under Secure Boot
#   @@ PHASE insmod FILE rc=N MESSAGE
#   @@ PHASE dmesg LINE      the kernel's reason
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t securityfs securityfs /sys/kernel/security

try() {
	dmesg -c >/dev/null
	for ko in /unsigned.ko /signed.ko; do
		msg=$(insmod "$ko" 2>&1)
		echo "@@ $1 insmod $ko rc=$? $msg"
	done
	dmesg | grep -E 'Lockdown:|Loading of' | sed "s/^/@@ $1 dmesg /"
}

echo integrity >/sys/kernel/security/lockdown
echo "@@ lockdown $(cat /sys/kernel/security/lockdown)"
try lockdown
echo 1 >/sys/module/module/parameters/sig_enforce
echo "@@ enforce $(cat /sys/module/module/parameters/sig_enforce)"
try enforce
echo "@@ DONE"
reboot -f
