# shellcheck shell=bash
# What every script of scripts/ does with its inputs, in one place: sourced
# (`. "$(dirname "$0")/lib.sh"`), it gives
#   die MSG...          "PROG: MSG" on stderr, exit 2 (a script may redefine it)
#   need "$@"           in an option's case branch: its value is there
#   want_count WHAT V   V is a whole number >= 1
#   want_seconds WHAT V V is a number of seconds above 0 (2, 0.5)
#   want_size WHAT V    V is a size like 64M, 1G, 4096 (not 0)
#   caller_path P       P as the caller meant it, before the script's cd
# Every check runs before the first build, boot or run, and leaves nothing.
lib_caller=${lib_caller:-$PWD}

die() { echo "${prog:-${0##*/}}: $*" >&2; exit 2; }

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
