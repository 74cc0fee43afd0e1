#!/usr/bin/env bash
# The whole test suite: build and run every test binary in three builds:
#   plain       -O2, what `run` measures with
#   asan        ASan + UBSan, every test
#   tsan        TSan, the tests that run threads (harness, cli)
# then the fuzz targets for a bounded time (scripts/fuzz).  The plain build's
# `make tests` checks that includes point down (scripts/test-layers).
# Prints cmocka's per-binary summaries, then one closing "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$top"

jobs=$(nproc 2>/dev/null || echo 2)
passed=0 failed=0 broken=""
tmpdir logs		# each test's output, to count its passes

run_tests() {		# variant, test names...
	local v=$1; shift
	local bin=bench/uffdbench
	[ "$v" = plain ] || bin=build/$v/uffdbench
	for t in "$@"; do
		local exe=build/$v/tests/$t log=$logs/$t.log
		echo "== $v: $t"
		# TSan needs a fixed address-space layout on kernels with many mmap_rnd_bits.
		local pre=""
		[ "$v" = tsan ] && pre="setarch $(uname -m) -R"
		UFFDBENCH_BIN=$PWD/$bin UFFDBENCH_VARIANT=$v $pre "$exe" 2>&1 | tee "$log"
		local rc=${PIPESTATUS[0]}
		local p f
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0}))
		if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
			failed=$((failed + 1))
			broken="$broken $v/$t(rc=$rc)"
		fi
	done
}

all_tests() {
	for f in bench/tests/test_*.c; do basename "$f" .c; done
}

for v in plain asan tsan; do
	if ! make -s -j"$jobs" V=$v tests all >/dev/null; then
		echo "check: the $v build failed" >&2
		make -j1 V=$v tests all 2>&1 | grep -E 'error|Error' | head -20 >&2
		echo "check: 0 passed, 1 failed"
		exit 1
	fi
done

run_tests plain $(all_tests)
run_tests asan $(all_tests)
run_tests tsan test_harness test_cli test_fault test_fault_cli test_stress test_repeat_signals test_ioctls test_matrix

# step NAME CMD...: run CMD and count it: 0 passed, 77 skipped (CMD says
# why), anything else failed.
step() {
	local name=$1 rc
	shift
	"$@"
	rc=$?
	case $rc in
	0) passed=$((passed + 1)) ;;
	77) ;;
	*) failed=$((failed + 1)); broken="$broken $name" ;;
	esac
}

# The build with the user's flags and an install into a DESTDIR, used from there.
echo "== install: make CFLAGS=-O3; make install DESTDIR=...; the installed tree"
step install scripts/test-install

# The docs: links in README.md and bench/docs/ resolve, the README's command
# lines parse, its worked example is what compare prints now (seconds).
echo "== docs: links, the README's command lines, its worked example"
step docs scripts/test-docs

# No UOP_<NAME> or UFFDIO_<NAME> of the ioctl table outside workloads/ioctls/,
# the tests and the docs: ops are chosen by their entries' properties (seconds).
echo "== ioctl names: only in workloads/ioctls/, the tests and the docs"
step ioctl-names scripts/test-ioctl-names

# Fuzzing: every reader of outside input for FUZZ_SECONDS (20) a target, ASan +
# UBSan (scripts/fuzz); skipped, not failed, without clang and its libFuzzer.
if [ "${UFFDBENCH_SKIP_FUZZ:-0}" = 1 ]; then
	echo "== fuzz: skipped (UFFDBENCH_SKIP_FUZZ=1)"
else
	echo "== fuzz: ${FUZZ_SECONDS:-20} s a target"
	step fuzz scripts/fuzz
fi

# The scripts' bad inputs: exit 2 at once, nothing left behind (seconds).
echo "== scripts: bad inputs"
step script-inputs timeout -k 10 300 scripts/test-script-inputs

# The bisect driver on a fake kernel history (no build, no boot; seconds).
echo "== kernel-bisect: a synthetic history, fake build and boot"
step kernel-bisect timeout -k 10 120 scripts/test-kernel-bisect

# Many hosts: GNU parallel over ssh to two local users through an sshd on
# 127.0.0.1, bare-metal rounds (~40 s); skipped without root, sshd or parallel.
if [ "${UFFDBENCH_SKIP_FLEET:-0}" = 1 ]; then
	echo "== fleet: skipped (UFFDBENCH_SKIP_FLEET=1)"
else
	echo "== fleet: two loopback ssh hosts"
	step fleet timeout -k 10 300 scripts/test-fleet
fi

# The A/B kernel runner, end to end: an A/A pair of 2 boots each under qemu
# icount (verdicts checked: same within 0.1%, --inject-ns 50 found); then the
# attribution plugin on a guest loop of known length, one icount boot (about
# 10 s).  Each skipped, not failed, without qemu or a kernel image to fetch
# (the plugin: without it too).
if [ "${UFFDBENCH_SKIP_KERNEL_AB:-0}" = 1 ]; then
	echo "== kernel-ab: skipped (UFFDBENCH_SKIP_KERNEL_AB=1)"
else
	echo "== kernel-ab: A/A, 2 boots each, icount"
	step kernel-ab timeout -k 10 2400 scripts/test-kernel-ab --boots 2 --timeout 500
	echo "== attr: the plugin on a loop of known length, one icount boot"
	step attr timeout -k 10 600 scripts/test-attr
fi

[ -n "$broken" ] && echo "check: crashed or exited non-zero:$broken"
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
