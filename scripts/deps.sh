#!/bin/sh
# Install the Debian packages uffdbench needs, when they are missing.
# As root: apt-get installs them.  Otherwise: name them and exit 2.
set -eu

PKGS="gcc make pkg-config git libjansson-dev libhwloc-dev hwloc libnuma-dev numactl
libgsl-dev libcmocka-dev gnuplot-nox linux-perf util-linux stress-ng qemu-system-x86 busybox-static cpio
openssh-server parallel rsync"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "uffdbench: missing Debian packages:$missing" >&2
	echo "uffdbench: install them as root: apt-get install$missing" >&2
	exit 2
fi
echo "uffdbench: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
