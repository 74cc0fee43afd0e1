#!/usr/bin/env bash
# Install the Debian packages uffdbench needs, when they are missing.
# As root: apt-get installs them.  Otherwise: name them and exit 2.
#
#   scripts/deps.sh      (make deps; make check and make quick run it)
set -eu
prog=uffdbench
. "$(dirname "$0")/lib.sh"
case ${1:-} in -h | --help) usage ;; esac

PKGS="gcc make pkg-config git libjansson-dev libhwloc-dev hwloc libnuma-dev numactl
libgsl-dev libcmocka-dev gnuplot-nox linux-perf util-linux stress-ng qemu-system-x86 busybox-static cpio
openssh-server parallel rsync"
# For the fuzz targets (scripts/fuzz): clang and its libFuzzer runtime.  Only
# the fuzzing needs them: without them it is skipped, so they never fail this.
OPTIONAL="clang libclang-rt-dev"

missing_of() {
	out=""
	for p in "$@"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$status" in
		*"install ok installed"*) ;;
		*) out="$out $p" ;;
		esac
	done
	echo "$out"
}

# The attribution plugin's header (qemu's, from Debian's source package): only
# the plugin needs it; without it `make` skips the plugin, so it never fails this.
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
	"$top/scripts/qemu-plugin-header" >/dev/null ||
		log "no qemu plugin header: the attribution plugin is not built"
fi

# shellcheck disable=SC2086
missing=$(missing_of $PKGS)
# shellcheck disable=SC2086
optional=$(missing_of $OPTIONAL)
[ -z "$missing$optional" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	[ -z "$optional" ] || log "for fuzzing (else skipped): apt-get install$optional"
	[ -z "$missing" ] && exit 0
	log "missing Debian packages:$missing"
	die "install them as root: apt-get install$missing"
fi
echo "uffdbench: installing:$missing$optional"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
if [ -n "$optional" ]; then
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $optional >/dev/null ||
		log "could not install$optional: fuzzing will be skipped"
fi
