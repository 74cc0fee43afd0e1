# shellcheck shell=bash
# What every script of scripts/ does, in one place.  Sourced first thing
# (`. "$(dirname "$0")/lib.sh"`, before any cd), it sets
#   top                 the tree's top directory (scripts/..), absolute
#   prog                the script's name for messages (set it before to change)
# and gives
#   die MSG...          "PROG: MSG" on stderr, exit 2
#   log MSG...          "PROG: MSG" on stderr
#   usage [STATUS]      the script's header comment (line 2 up to the first
#                       line that is not a comment), then exit STATUS [0]
#   need "$@"           in an option's case branch: its value is there
#   want_count WHAT V   V is a whole number >= 1
#   want_seconds WHAT V V is a number of seconds above 0 (2, 0.5)
#   want_size WHAT V    V is a size like 64M, 1G, 4096 (not 0)
#   caller_path P       P as the caller meant it, before the script's cd
#   at_exit CMD...      run CMD at exit (the last registered first)
#   tmpdir VAR [1]      VAR = a new directory in $TMPDIR or /tmp, removed at
#                       exit (not with 1: kept)
#   tree_bin [--build]  $uffdbench = the tree's binary ($UFFDBENCH_BIN
#                       overrides); --build runs make first when the tree has
#                       a Makefile (an installed tree has none)
#   median, minimum     of the numbers on stdin, one a line
#   ratio A B           A / B to 3 decimals
# JSON is the binary's job (uffdbench json, merge, split, export): no script
# takes it apart with sed or awk, or writes it with printf.
# Every check runs before the first build, boot or run, and leaves nothing.
lib_caller=${lib_caller:-$PWD}
lib_self=$(realpath "$0")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prog=${prog:-${0##*/}}

die() { echo "$prog: $*" >&2; exit 2; }

log() { echo "$prog: $*" >&2; }

usage() {
	sed -n '2,/^[^#]/{/^#/p}' "$lib_self" | sed 's/^# \{0,1\}//'
	exit "${1:-0}"
}

need() {
	[ $# -ge 2 ] || die "$1 needs a value (--help)"
}

want_count() {
	[[ $2 =~ ^[1-9][0-9]{0,8}$ ]] || die "$1 '$2': want a whole number, 1 or more"
}

want_seconds() {
	[[ $2 =~ ^[0-9]{1,6}(\.[0-9]{1,6})?$ ]] && [[ $2 =~ [1-9] ]] ||
		die "$1 '$2': want a number of seconds above 0"
}

want_size() {
	[[ $2 =~ ^[1-9][0-9]{0,12}[kKmMgG]?$ ]] || die "$1 '$2': want a size such as 64M or 1G"
}

caller_path() {
	case $1 in /*) echo "$1" ;; *) echo "$lib_caller/$1" ;; esac
}

# Debian kernels by version, cached under $UFFDBENCH_CACHE/debian (used by
# kernel-ab --debian and test-kernel-ab):
#   debian_fetch DIR PKG [APT_OPTION...]  DIR/PKG/boot/vmlinuz-* from Debian's
#                       package PKG (apt-get download with the options, then
#                       dpkg-deb -x), unless already there: prints its path;
#                       1 with the reason on stderr when it cannot be had
#   debian_kernel VERSION  the image of linux-binary-VERSION (trixie-backports'
#                       7.x: linux-image-VERSION is a meta package there) or
#                       linux-image-VERSION (6.1.0-57-cloud-amd64): prints its path
# The archive is this machine's own (the URIs `apt-cache policy` names), its
# suites moved to the release the version names (+deb13: trixie, with
# trixie-backports), through a private sources list and lists directory
# ($UFFDBENCH_CACHE/debian/apt-RELEASE): the machine's apt configuration is
# never changed.
debian_fetch() {
	local dir=$1 pkg=$2 k
	shift 2
	k=$(ls "$dir/$pkg"/boot/vmlinuz-* 2>/dev/null | head -1)
	if [ -z "$k" ]; then
		mkdir -p "$dir" || { echo "cannot create $dir" >&2; return 1; }
		(cd "$dir" && rm -f "$pkg"_*.deb && apt-get -q "$@" download "$pkg" >/dev/null 2>&1) ||
			{ echo "apt-get download $pkg failed" >&2; return 1; }
		dpkg-deb -x "$dir/$pkg"_*.deb "$dir/$pkg" && rm -f "$dir/$pkg"_*.deb ||
			{ echo "cannot unpack $pkg" >&2; return 1; }
		k=$(ls "$dir/$pkg"/boot/vmlinuz-* 2>/dev/null | head -1)
		[ -n "$k" ] || { echo "$pkg holds no boot/vmlinuz-*" >&2; return 1; }
	fi
	echo "$k"
}

debian_kernel() {
	local ver=$1 cache=${UFFDBENCH_CACHE:-/var/tmp/uffdbench-kernel-ab}/debian
	local own target apt pkg k key="" deb
	[[ $ver =~ ^[0-9]+\.[0-9]+[0-9A-Za-z.+~-]*$ ]] ||
		die "--debian '$ver': want a Debian kernel version such as 7.0.13+deb13-cloud-amd64"
	for pkg in "linux-binary-$ver" "linux-image-$ver"; do
		k=$(ls "$cache/$pkg"/boot/vmlinuz-* 2>/dev/null | head -1)
		[ -z "$k" ] || { echo "$k"; return 0; }
	done
	command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
		die "--debian $ver: needs apt-get and dpkg-deb (a Debian machine)"
	own=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	[ -n "$own" ] || die "--debian $ver: cannot tell this machine's Debian release (/etc/os-release)"
	target=$own
	if [[ $ver =~ \+deb([0-9]+) ]]; then
		case ${BASH_REMATCH[1]} in
		11) target=bullseye ;; 12) target=bookworm ;; 13) target=trixie ;;
		14) target=forky ;; 15) target=duke ;;
		*) die "--debian $ver: which Debian release is deb${BASH_REMATCH[1]}?" ;;
		esac
	fi
	apt=$cache/apt-$target
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" ||
		die "--debian $ver: cannot create $apt"
	[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] &&
		key="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
	# " 500 URI bookworm-updates/main amd64 Packages" -> "URI trixie-updates main"
	deb=$(apt-cache policy 2>/dev/null | awk -v own="$own" -v t="$target" '
		$2 ~ /^[a-z+]+:\/\// && index($3, own) == 1 {
			n = split($3, p, "/"); s = t substr(p[1], length(own) + 1)
			l = $2 " " s " " (n > 1 ? p[2] : "main")
			if (!(l in seen)) { seen[l]; print l }
			if (!main && s == t) main = $2
		}
		END { if (main && !((main " " t "-backports main") in seen)) print main, t "-backports", "main" }')
	[ -n "$deb" ] || die "--debian $ver: apt-cache policy names no $own archive to take the URI from"
	echo "$deb" | sed "s|^|deb $key|" >"$apt/sources.list"
	set -- -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o Debug::NoLocking=1
	apt-get -q "$@" update >"$apt/update.log" 2>&1 ||
		die "--debian $ver: apt-get update of $target failed ($apt/update.log)"
	for pkg in "linux-binary-$ver" "linux-image-$ver"; do
		apt-cache "$@" show "$pkg" >/dev/null 2>&1 || continue
		k=$(debian_fetch "$cache" "$pkg" "$@" 2>"$apt/fetch.err") ||
			die "--debian $ver: $(cat "$apt/fetch.err")"
		echo "$k"
		return 0
	done
	die "--debian $ver: no linux-binary-$ver or linux-image-$ver in $target (its suites: $apt/sources.list)"
}

lib_exit_cmds=()
lib_exit() {
	local c
	for c in "${lib_exit_cmds[@]}"; do eval "$c" || true; done
}
at_exit() {
	lib_exit_cmds=("$*" "${lib_exit_cmds[@]}")
	trap lib_exit EXIT
}

tmpdir() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX") || die "cannot create a temporary directory"
	[ "${2:-0}" = 1 ] || at_exit "rm -rf -- '$d'"
	printf -v "$1" '%s' "$d"
}

tree_bin() {
	if [ "${1:-}" = --build ] && [ -f "$top/Makefile" ]; then
		make -s -C "$top" all >/dev/null || die "the build failed (make -C $top all)"
	fi
	uffdbench=${UFFDBENCH_BIN:-$top/bench/uffdbench}
	[ -x "$uffdbench" ] || die "no $uffdbench: run make first"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

minimum() { sort -g | head -1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
