#!/usr/bin/env bash
# DKMS and package tests.
#   tests/dkms/run.sh [KERNEL...]     (default: 5.10 6.1 6.12 7.2)
#
# For each matrix kernel, in a DKMS chroot of that kernel's distribution
# (lib.sh): copy the module source to /usr/src/cgmask-VERSION, dkms add,
# build -k KVER, install -k KVER, check where the module landed and that
# DKMS signed it with its MOK key, check that headers of kernels outside
# BUILD_EXCLUSIVE are skipped quietly, boot that kernel in qemu with the
# DKMS-built cgmask.ko and judge the default scenario (tests/vm/check.py),
# then dkms remove --all must leave nothing behind.
# With 5.10 and 6.1, what Secure Boot does (guest-sig.sh): locked down and
# with signatures enforced, the kernel refuses the unsigned module and the
# one signed by a MOK key it does not trust. With 6.1 (the host's kernel)
# also make dkms-install/dkms-remove and make install/uninstall, and the
# packages (deb.sh builds them in a chroot of the host's release): lintian,
# contents, installation into a clean chroot with headers (DKMS builds
# during the install), a second kernel's headers, BUILD_EXCLUSIVE, purge.
# CGMASK_DKMS_DEB=0 leaves the packages out.
#
# One "ok N name" / "not ok N name" line per test point, "# " details under
# failures; the line before the last counts the skipped points, the last is
# "N passed, N failed". Exit status 0 only when nothing failed. Logs go to
# $CGMASK_OUT (default build/dkms).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

out=${CGMASK_OUT:-$top/build/dkms}
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
n=0 passed=0 failed=0 skipped=0
reader="" static=""

point() { # ok|fail NAME [DETAIL]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		passed=$((passed + 1))
		echo "ok $n $2"
	else
		failed=$((failed + 1))
		echo "not ok $n $2"
		[ -z "${3:-}" ] || sed 's/^/# /' <<<"$3"
	fi
}

skip() { # NAME REASON
	n=$((n + 1))
	skipped=$((skipped + 1))
	echo "ok $n $1 # SKIP $2"
}

# check NAME LOG CMD...: one test point from CMD's status; its output goes
# to LOG and its tail into the details of a failure.
check() {
	local name=$1 logf=$2
	shift 2
	if "$@" >"$logf" 2>&1; then
		point ok "$name"
	else
		point fail "$name" "$(tail -n 15 "$logf")"
		return 1
	fi
}

# The reader: check.py parses with it, the guest reads with its static
# build. Built from a copy, so a concurrent edit of tools/ is never touched.
reader_build() {
	copy_tree "$out/src" &&
		make -C "$out/src/tools" clean >/dev/null &&
		timeout 300 make -C "$out/src/tools" all static
}

# copy_tree DIR: the project's build inputs (no build products) in DIR.
copy_tree() {
	rm -rf "$1"
	mkdir -p "$1"
	tar -C "$top" -c --exclude-vcs --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.order' --exclude='*.symvers' \
		--exclude=tools/build --exclude=tools/cgmask --exclude=tools/cgmask-static \
		--exclude=__pycache__ Kbuild Makefile dkms.conf module tools | tar -C "$1" -x
}

# stage_source ROOT: the module source, as DKMS wants it, in ROOT/usr/src
# (what make dkms-install and cgmask-dkms put there).
stage_source() {
	local src=$1/usr/src/cgmask-$version
	copy_tree "$src.tmp" && mkdir -p "$src" && cp -r "$src.tmp/Kbuild" "$src.tmp/dkms.conf" \
		"$src.tmp/module" "$src/"
	rm -rf "$src.tmp"
}

# leftovers ROOT: print what of cgmask is left in DKMS and /lib/modules.
leftovers() {
	local root=$1
	[ ! -e "$root/var/lib/dkms/cgmask" ] || echo "/var/lib/dkms/cgmask exists"
	find "$root/lib/modules/" -name 'cgmask.ko*' -printf '/lib/modules/%P\n' 2>/dev/null
	grep -l 'cgmask' "$root"/lib/modules/*/modules.dep 2>/dev/null | sed "s|^$root||"
}

# shellcheck disable=SC2016
dkms_version() { droot "$1" dpkg-query -W -f='${Version}' dkms 2>/dev/null; }

# plain_ko KO OUT: KO uncompressed (dkms compresses like the kernel does).
plain_ko() {
	case $1 in
	*.xz) xz -dc "$1" >"$2" ;;
	*.zst) zstd -qdc "$1" >"$2" ;;
	*.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# boot_default NAME KO VMLINUZ DIR: boot VMLINUZ with KO as /cgmask.ko, run
# the default scenario and judge it.
boot_default() {
	local name=$1 ko=$2 vmlinuz=$3 dir=$4
	mkdir -p "$dir"
	"$top/tests/vm/lib/initramfs.sh" "$dir/initrd.gz" "$top/tests/vm/guest/init.sh" \
		"$ko:/cgmask.ko" "$static:/bin/cgmask" >"$dir/initramfs.log" 2>&1 ||
		{ cat "$dir/initramfs.log"; return 1; }
	"$top/tests/vm/lib/boot.sh" "$vmlinuz" "$dir/initrd.gz" "$dir/console.log" \
		--data "$dir/data.log" --timeout "${CGMASK_BOOT_TIMEOUT:-180}" \
		--append "cgmask_test=default" >"$dir/boot.log" 2>&1
	timeout 120 python3 "$top/tests/vm/check.py" --kernel "$name" --scenario default \
		--console "$dir/console.log" --data "$dir/data.log" --reader "$reader" \
		>"$dir/ktap.txt" 2>"$dir/check.err"
	local rc=$?
	echo "$(grep -c '^ok ' "$dir/ktap.txt") check.py points passed"
	grep -A3 '^not ok ' "$dir/ktap.txt"
	[ "$rc" -eq 0 ] || tail -n 5 "$dir/check.err"
	return "$rc"
}

# boot_sig KO VMLINUZ DIR: boot guest-sig.sh with KO (signed by DKMS with a
# key the kernel does not trust) and KO without its signature. Locked down
# (what Secure Boot does to every Debian kernel) both must fail with
# "Operation not permitted"; with signatures enforced (what Secure Boot
# adds on kernels with CONFIG_IMA_ARCH_POLICY, Debian's 6.1 and later) with
# "Key was rejected by service". (5.10 says "unsupported crypto" rather than
# "unavailable key" for the signed one: its sha512 is a module, absent here.)
boot_sig() {
	local ko=$1 vmlinuz=$2 dir=$3 f
	mkdir -p "$dir"
	objcopy "$ko" "$dir/unsigned.ko" || return 1
	if tail -c 28 "$dir/unsigned.ko" | grep -q 'Module signature appended'; then
		echo "objcopy kept the signature"
		return 1
	fi
	"$top/tests/vm/lib/initramfs.sh" "$dir/initrd.gz" "$here/guest-sig.sh" \
		"$dir/unsigned.ko:/unsigned.ko" "$ko:/signed.ko" >"$dir/initramfs.log" 2>&1 ||
		{ cat "$dir/initramfs.log"; return 1; }
	"$top/tests/vm/lib/boot.sh" "$vmlinuz" "$dir/initrd.gz" "$dir/console.log" \
		--timeout "${CGMASK_BOOT_TIMEOUT:-180}" >"$dir/boot.log" 2>&1
	tr -d '\r' <"$dir/console.log" | grep '^@@ ' | tee "$dir/result.txt"
	grep -q '^@@ lockdown .*\[integrity\]' "$dir/result.txt" &&
		grep -qx '@@ enforce Y' "$dir/result.txt" &&
		grep -q '^@@ lockdown dmesg .*Lockdown: insmod: unsigned module loading is restricted' \
			"$dir/result.txt" &&
		grep -q '^@@ enforce dmesg .*Loading of unsigned module is rejected' "$dir/result.txt" &&
		grep -qE '^@@ enforce dmesg .*Loading of module with (unavailable key|unsupported crypto) is rejected' \
			"$dir/result.txt" || return 1
	for f in unsigned signed; do
		grep -q "^@@ lockdown insmod /$f.ko rc=[1-9].*Operation not permitted" "$dir/result.txt" &&
			grep -q "^@@ enforce insmod /$f.ko rc=[1-9].*Key was rejected by service" \
				"$dir/result.txt" || return 1
	done
}

# signed_by_mok NAME ROOT KVER: the installed module carries a signature by
# the key of the certificate DKMS uses (mok_cert), as modinfo shows it.
signed_by_mok() {
	local name=$1 root=$2 kver=$3 cert info serial cn signer key
	cert=$(mok_cert "$root")
	info=$(droot "$root" --timeout 60 sh -c "modinfo -k $kver -F signer cgmask; echo;
		modinfo -k $kver -F sig_key cgmask; echo;
		openssl x509 -inform DER -in $cert -noout -serial -subject" 2>&1)
	signer=$(sed -n 1p <<<"$info")
	key=$(sed -n 3p <<<"$info" | tr -d ':' | sed 's/^0*//')
	serial=$(sed -n 's/^serial=0*//p' <<<"$info")
	cn=$(sed -n 's/^subject=.*CN *= *//p' <<<"$info")
	if [ -n "$signer" ] && [ "$signer" = "$cn" ] && [ -n "$key" ] &&
	   [ "${key^^}" = "${serial^^}" ]; then
		point ok "$name/module for $kver signed by the MOK key in $cert (signer \"$signer\")"
	else
		point fail "$name/module for $kver signed by the MOK key in $cert" "$info"
	fi
}

# ---------------------------------------------------------------- BUILD_EXCLUSIVE

# fake_headers DIR KVER CONFIG: a minimal linux-headers-KVER package in DIR
# whose .config is CONFIG and whose postinst runs the kernel header hooks
# (as Debian's linux-headers-* do); its Makefile fails any build.
fake_headers() {
	local dir=$1 kver=$2 config=$3 p=$1/linux-headers-$2
	mkdir -p "$p/DEBIAN" "$p/usr/src/linux-headers-$kver/include/generated" "$p/usr/lib/modules/$kver"
	echo "#define UTS_RELEASE \"$kver\"" >"$p/usr/src/linux-headers-$kver/include/generated/utsrelease.h"
	cat >"$p/DEBIAN/control" <<EOF
Package: linux-headers-$kver
Version: 1
Architecture: amd64
Maintainer: cgmask tests <cgmask@localhost>
Description: fake headers of a kernel cgmask must not be built for
EOF
	cat >"$p/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
[ "\$1" = configure ] || exit 0
exec run-parts --report --exit-on-error --arg=$kver /etc/kernel/header_postinst.d
EOF
	chmod 755 "$p/DEBIAN/postinst"
	cp "$config" "$p/usr/src/linux-headers-$kver/.config"
	printf 'modules modules_install clean:\n\t@echo fake headers: no build; exit 1\n' \
		>"$p/usr/src/linux-headers-$kver/Makefile"
	ln -s "/usr/src/linux-headers-$kver" "$p/usr/lib/modules/$kver/build"
	dpkg-deb --root-owner-group -b "$p" "$dir/linux-headers-$kver.deb" >/dev/null
}

# gate PREFIX ROOT KVER DIR: with cgmask added in chroot ROOT, install the
# headers of three kernels cgmask must not be built for (older than 5.10;
# KVER's configuration without CONFIG_DEBUG_FS; without CONFIG_CGROUPS) as
# packages, which run DKMS's kernel hook, then dkms autoinstall for each:
# both must exit 0 with a BUILD_EXCLUSIVE notice and no build attempted.
# Where ROOT's dkms cannot do that, the point is a SKIP that says why:
# dkms 2.8 (bullseye) ignores BUILD_EXCLUSIVE_CONFIG; dkms before 3.0.11
# (bookworm's 3.0.10) skips the build but reports it as a failure.
gate() {
	local pre=$1 root=$2 kver=$3 d=$4 k rc rc2 st dv log name cfg
	local old=5.4.0-99-amd64 base=${kver%-amd64}
	local -A drop=([$old]="" [$base-nodebugfs]=CONFIG_DEBUG_FS [$base-nocgroups]=CONFIG_CGROUPS)
	dv=$(dkms_version "$root")
	mkdir -p "$d/fake" "$root/tmp/fake"
	for k in "$old" "$base-nodebugfs" "$base-nocgroups"; do
		log=$d/gate-$k.log
		name="$pre/BUILD_EXCLUSIVE skips $k quietly (dkms $dv)"
		cfg=${drop[$k]}
		if [ -n "$cfg" ] && ! grep -qs BUILD_EXCLUSIVE_CONFIG "$root/usr/sbin/dkms" "$root/usr/bin/dkms"; then
			skip "$name" "dkms $dv ignores BUILD_EXCLUSIVE_CONFIG: it attempts the build for a kernel without $cfg"
			continue
		fi
		grep -v "^${cfg:-NONE}=" "$root/usr/src/linux-headers-$kver/.config" >"$d/fake/$k.config"
		fake_headers "$d/fake" "$k" "$d/fake/$k.config"
		cp "$d/fake/linux-headers-$k.deb" "$root/tmp/fake/"
		droot "$root" --timeout 300 dpkg -i "/tmp/fake/linux-headers-$k.deb" >"$log" 2>&1
		rc=$?
		droot "$root" --timeout 300 dkms autoinstall -k "$k" >>"$log" 2>&1
		rc2=$?
		st=$(droot "$root" dkms status cgmask -k "$k" 2>&1)
		droot "$root" --timeout 300 dpkg --purge "linux-headers-$k" >>"$log" 2>&1
		if ! grep -q 'BUILD_EXCLUSIVE' "$log" || grep -qE 'fake headers|Building module' "$log" ||
		   grep -qE 'built|installed' <<<"$st" || [ -d "$root/var/lib/dkms/cgmask/kernel-$k-x86_64" ]; then
			point fail "$name" "headers install rc=$rc, autoinstall rc=$rc2; dkms status: $st"$'\n'"$(tail -n 12 "$log")"
		elif [ $rc -eq 0 ] && [ $rc2 -eq 0 ]; then
			point ok "$name"
		elif dpkg --compare-versions "${dv:-0}" lt 3.0.11; then
			skip "$name" "not built, but dkms $dv reports the skip as a failure (headers install rc=$rc, autoinstall rc=$rc2); fixed in dkms 3.0.11"
		else
			point fail "$name" "headers install rc=$rc, autoinstall rc=$rc2"$'\n'"$(tail -n 12 "$log")"
		fi
	done
	rm -rf "$root/tmp/fake"
}

# ---------------------------------------------------------------- per kernel

kernel_flow() {
	local name=$1 d=$out/$1 env kver root ko found info left k v
	local KVER="" VMLINUZ="" ENV=""
	mkdir -p "$d"
	dkms_log "$d/setup.log"
	if ! env=$(timeout 1800 "$top/tests/vm/lib/kernel.sh" prepare "$name" 2>"$d/prepare.log"); then
		point fail "$name/prepare" "$(tail -n 15 "$d/prepare.log")"
		return
	fi
	while IFS='=' read -r k v; do
		case $k in
		KVER) KVER=$v ;;
		VMLINUZ) VMLINUZ=$v ;;
		ENV) ENV=$v ;;
		esac
	done <<<"$env"
	kver=$KVER
	# The harness's shared lock: its kernel stays while we use it.
	lock_take -s "$CGMASK_CACHE/locks/$name.lock"
	if ! ensure_kernel_chroot "$name" "$kver" "$ENV" 2>>"$d/setup.log"; then
		point fail "$name/chroot ($kver)" "$(tail -n 15 "$d/setup.log")"
		lock_drop "$CGMASK_CACHE/locks/$name.lock"
		return
	fi
	root=$R
	lock_take -x "$DKMS_CACHE/locks/use-$kver.lock"
	point ok "$name/chroot ($kver, dkms $(dkms_version "$root"))"

	# An interrupted earlier run may have left cgmask registered.
	droot "$root" --timeout 120 dkms remove -m cgmask -v "$version" --all >/dev/null 2>&1
	rm -rf "$root/var/lib/dkms/cgmask"
	# The chroot has KVER's headers but not its image. dkms 3.2 runs depmod
	# only for a kernel that has a modules.dep ("Skipping depmod because
	# ... is missing"), and removes it again with the last module: make the
	# kernel look installed, as it is on a real machine.
	[ -f "$root/lib/modules/$kver/modules.dep" ] ||
		droot "$root" --timeout 60 depmod -a "$kver" >/dev/null 2>&1
	stage_source "$root"
	if check "$name/dkms add" "$d/add.log" \
		droot "$root" --timeout 60 dkms add -m cgmask -v "$version" &&
	   check "$name/dkms build -k $kver" "$d/build.log" \
		droot "$root" --timeout 600 dkms build -m cgmask -v "$version" -k "$kver"; then
		check "$name/dkms install -k $kver" "$d/install.log" \
			droot "$root" --timeout 300 dkms install -m cgmask -v "$version" -k "$kver"
	elif cp "$root/var/lib/dkms/cgmask/$version/build/make.log" "$d/make.log" 2>/dev/null; then
		grep -m 5 -E 'error|Error' "$d/make.log" | sed 's/^/# make.log: /'
	fi

	# Debian's dkms (2.8 and 3.x alike) installs into updates/dkms; it
	# compresses the module as the kernel's own modules are.
	found=$(cd "$root" && find "lib/modules/$kver/" -name 'cgmask.ko*')
	ko=$root/$found
	info=$(droot "$root" --timeout 60 sh -c \
		"dkms status -m cgmask -v $version -k $kver; modinfo -k $kver -F filename cgmask;
		 modinfo -k $kver -F vermagic cgmask; modinfo -k $kver -F version cgmask" 2>&1)
	if [[ $found =~ ^lib/modules/"$kver"/updates/dkms/cgmask\.ko(\.xz|\.zst|\.gz)?$ ]] &&
	   grep -q "installed" <<<"$info" && grep -qx "/$found" <<<"$info" &&
	   grep -q "^$kver " <<<"$info" && grep -qx "$version" <<<"$info"; then
		point ok "$name/module in /$found"
	else
		point fail "$name/module in /lib/modules/$kver/updates/dkms" \
			"found: ${found:-nothing}"$'\n'"$info"
	fi
	signed_by_mok "$name" "$root" "$kver"

	gate "$name" "$root" "$kver" "$d"

	if [ -n "$found" ] && [ -f "$ko" ] && plain_ko "$ko" "$d/cgmask.ko"; then
		check "$name/boot $kver with the DKMS-built module (default scenario)" \
			"$d/boot-result.log" boot_default "$name" "$d/cgmask.ko" "$VMLINUZ" "$d/vm"
		case $name in
		5.10 | 6.1)
			check "$name/unsigned or untrusted: locked down \"Operation not permitted\", enforced \"Key was rejected by service\"" \
				"$d/sig-result.log" boot_sig "$d/cgmask.ko" "$VMLINUZ" "$d/sig"
			;;
		esac
	else
		point fail "$name/boot $kver with the DKMS-built module (default scenario)" "no module"
	fi

	check "$name/dkms remove --all" "$d/remove.log" \
		droot "$root" --timeout 300 dkms remove -m cgmask -v "$version" --all
	rm -rf "$root/usr/src/cgmask-$version"
	left=$(leftovers "$root")
	if [ -z "$left" ]; then
		point ok "$name/nothing left after remove"
	else
		point fail "$name/nothing left after remove" "$left"
	fi

	[ "$name" != 6.1 ] || make_flow "$name" "$root" "$kver" "$d"
	lock_drop "$DKMS_CACHE/locks/use-$kver.lock"
	lock_drop "$CGMASK_CACHE/locks/$name.lock"
	[ "$name" != 6.1 ] || [ "${CGMASK_DKMS_DEB:-1}" = 0 ] || package_flow "$kver"
}

# make_flow NAME ROOT KVER DIR: the Makefile's install targets, run in chroot
# ROOT from a copy of the tree in /tmp/cgmask-tree.
make_flow() {
	local name=$1 root=$2 kver=$3 d=$4 left mk
	mk=(droot "$root" --timeout 600 make -C /tmp/cgmask-tree KDIR="/lib/modules/$kver/build")
	copy_tree "$root/tmp/cgmask-tree"
	check "$name/make dkms-install" "$d/make-dkms-install.log" "${mk[@]}" dkms-install
	if [ -f "$root/lib/modules/$kver/updates/dkms/cgmask.ko" ] &&
	   droot "$root" dkms status cgmask 2>&1 | grep -q "$kver.*installed"; then
		point ok "$name/make dkms-install: built and installed for $kver"
	else
		point fail "$name/make dkms-install: built and installed for $kver" \
			"$(droot "$root" dkms status cgmask 2>&1)"
	fi
	check "$name/make dkms-remove" "$d/make-dkms-remove.log" "${mk[@]}" dkms-remove
	left=$(leftovers "$root"; [ ! -e "$root/usr/src/cgmask-$version" ] || echo "/usr/src/cgmask-$version")
	if [ -z "$left" ]; then
		point ok "$name/nothing left after make dkms-remove"
	else
		point fail "$name/nothing left after make dkms-remove" "$left"
	fi

	copy_tree "$root/tmp/cgmask-tree"
	check "$name/make install" "$d/make-install.log" "${mk[@]}" install
	local got
	got=$(droot "$root" --timeout 60 sh -c "modinfo -k $kver -F filename cgmask;
		/usr/local/sbin/cgmask -V; ls /usr/local/share/man/man8/" 2>&1)
	if grep -qx "/lib/modules/$kver/updates/module/cgmask.ko" <<<"$got" &&
	   grep -q "$version" <<<"$got" && grep -q '^cgmask\.8' <<<"$got"; then
		point ok "$name/make install: module in /lib/modules/$kver/updates/module, reader and man page in /usr/local"
	else
		point fail "$name/make install: module, reader and man page in place" "$got"
	fi
	check "$name/make uninstall" "$d/make-uninstall.log" "${mk[@]}" uninstall
	left=$(leftovers "$root"; cd "$root" && ls -d usr/local/sbin/cgmask usr/local/share/man/man8/cgmask.8* 2>/dev/null)
	if [ -z "$left" ]; then
		point ok "$name/nothing left after make uninstall"
	else
		point fail "$name/nothing left after make uninstall" "$left"
	fi
	rm -rf "$root/tmp/cgmask-tree"
}

# ---------------------------------------------------------------- packages

package_flow() {
	local kver=$1 d=$out/deb root debs second st left
	mkdir -p "$d"
	dkms_log "$d/setup.log"
	check "deb/make deb" "$d/make-deb.log" \
		timeout 1800 make -C "$top" deb DEB_OUT="$d/out" || return
	debs=("$d/out/cgmask-dkms_${version}_all.deb" "$d/out/cgmask_${version}_amd64.deb")
	if ! ls "${debs[@]}" "$d/out/cgmask_$version.dsc" >/dev/null 2>&1; then
		point fail "deb/source package and two binary packages" "$(ls "$d/out")"
		return
	fi
	point ok "deb/source package and two binary packages: $(cd "$d/out" && echo *.dsc *.deb)"
	if grep -qx 'lintian exit status: 0' "$d/out/lintian.txt" && ! grep -q '^E: ' "$d/out/lintian.txt"; then
		point ok "deb/lintian: no errors ($(grep -c '^W: ' "$d/out/lintian.txt") warnings)"
	else
		point fail "deb/lintian: no errors" "$(grep '^E: ' "$d/out/lintian.txt" || tail -n 5 "$d/out/lintian.txt")"
	fi

	local c1 c2 bad=""
	c1=$(dpkg-deb -c "${debs[0]}" | awk '{print $6}')
	c2=$(dpkg-deb -c "${debs[1]}" | awk '{print $6}')
	for f in Kbuild dkms.conf module/main.c module/Kbuild; do
		grep -qx "./usr/src/cgmask-$version/$f" <<<"$c1" || bad+="cgmask-dkms lacks $f"$'\n'
	done
	grep -E 'tests/|kunit|Makefile|\.ko$|\.o$|debian/' <<<"$c1" | sed 's/^/cgmask-dkms ships /' >"$d/extra.txt"
	bad+=$(cat "$d/extra.txt")
	grep -qx './usr/sbin/cgmask' <<<"$c2" || bad+=$'\n'"cgmask lacks /usr/sbin/cgmask"
	grep -q '^./usr/share/man/man8/cgmask.8' <<<"$c2" || bad+=$'\n'"cgmask lacks its man page"
	if [ -z "$(tr -d '\n' <<<"$bad")" ]; then
		point ok "deb/contents"
	else
		point fail "deb/contents" "$bad"
	fi

	# A second kernel: another flavour of the same ABI (a different kernel
	# release), resolved from the archive now.
	second=${kver%-amd64}-cloud-amd64
	if ! ensure_debtest_chroot "$kver" dkms openssl "linux-headers-$second" 2>>"$d/setup.log"; then
		point fail "deb/clean chroot with linux-headers-$kver" "$(tail -n 15 "$d/setup.log")"
		return
	fi
	root=$d/chroot
	rm -rf --one-file-system "$root"
	cleanup_push rm -rf --one-file-system "$root"
	cp -a --reflink=auto "$R" "$root"
	mkdir -p "$root/tmp/debs"
	cp "${debs[@]}" "$root/tmp/debs/"

	check "deb/install cgmask-dkms + cgmask: DKMS builds for $kver" "$d/install.log" \
		droot "$root" --timeout 900 apt-get -q -y install \
		"/tmp/debs/${debs[0]##*/}" "/tmp/debs/${debs[1]##*/}"
	st=$(droot "$root" dkms status cgmask 2>&1)
	if grep -q "cgmask/$version, $kver, x86_64: installed" <<<"$st" &&
	   [ -f "$root/lib/modules/$kver/updates/dkms/cgmask.ko" ] &&
	   droot "$root" cgmask -V >"$d/reader-version.txt" 2>&1 &&
	   grep -q "$version" "$d/reader-version.txt"; then
		point ok "deb/module installed for $kver, reader runs"
	else
		point fail "deb/module installed for $kver, reader runs" \
			"$st"$'\n'"$(cat "$d/reader-version.txt")"
	fi

	# dkms signs only if openssl is there to make its key; it is not yet.
	local signer
	signer=$(droot "$root" sh -c "modinfo -k $kver -F signer cgmask; command -v openssl" 2>&1)
	if [ -z "$signer" ]; then
		point ok "deb/without openssl the module is not signed"
	else
		point fail "deb/without openssl the module is not signed" "$signer"
	fi
	check "deb/install openssl, reinstall cgmask-dkms: rebuilt" "$d/reinstall.log" \
		droot "$root" --timeout 900 sh -c "apt-get -q -y install openssl &&
			apt-get -q -y install --reinstall /tmp/debs/${debs[0]##*/}"
	signed_by_mok deb "$root" "$kver"

	check "deb/install linux-headers-$second" "$d/second.log" \
		droot "$root" --timeout 900 apt-get -q -y install "linux-headers-$second"
	st=$(droot "$root" dkms status cgmask 2>&1)
	if grep -q "cgmask/$version, $second, x86_64: installed" <<<"$st" &&
	   [ -f "$root/lib/modules/$second/updates/dkms/cgmask.ko" ]; then
		point ok "deb/second kernel $second: built and installed by its headers' hook"
	else
		point fail "deb/second kernel $second: built and installed by its headers' hook" "$st"
	fi
	signed_by_mok deb "$root" "$second"

	gate deb "$root" "$kver" "$d"

	check "deb/purge" "$d/purge.log" \
		droot "$root" --timeout 600 apt-get -q -y purge cgmask-dkms cgmask
	left=$(leftovers "$root"; [ ! -e "$root/usr/src/cgmask-$version" ] || echo "/usr/src/cgmask-$version"
		[ ! -e "$root/usr/sbin/cgmask" ] || echo /usr/sbin/cgmask)
	if [ -z "$left" ]; then
		point ok "deb/nothing left after purge"
	else
		point fail "deb/nothing left after purge" "$left"
	fi
	rm -rf --one-file-system "$root"
}

main() {
	local -a kernels=("$@")
	local k t0 start=$SECONDS
	[ $# -gt 0 ] || kernels=(5.10 6.1 6.12 7.2)
	rm -rf "$out"
	mkdir -p "$out"
	if ! "$top/tests/vm/lib/deps.sh" >"$out/deps.log" 2>&1; then
		point fail "host packages" "$(tail -n 15 "$out/deps.log")"
		echo "$passed passed, $failed failed"
		return 1
	fi
	if ! check reader "$out/reader.log" reader_build; then
		echo "$passed passed, $failed failed"
		return 1
	fi
	reader=$out/src/tools/cgmask
	static=$out/src/tools/cgmask-static
	for k in "${kernels[@]}"; do
		case $k in
		5.10 | 6.1 | 6.12 | 7.2) ;;
		*) point fail "$k" "unknown kernel (known: 5.10 6.1 6.12 7.2)"; continue ;;
		esac
		t0=$SECONDS
		kernel_flow "$k"
		echo "# $k: $((SECONDS - t0)) s"
	done
	echo "# took $((SECONDS - start)) s; logs in $out"
	echo "$skipped skipped"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# All in functions: an edit of this file cannot change a running test.
main "$@"
exit
