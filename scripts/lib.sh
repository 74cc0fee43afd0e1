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
