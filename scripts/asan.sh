#!/usr/bin/env bash
# Runs the CPU lane's tests with every JIT-compiled kernel instrumented for
# AddressSanitizer (`make asan`). The ASan runtime of LLVM 22 is preloaded
# into Python, so an access a kernel makes outside the memory it was given
# (a masked-off lane that touches memory, a read past a tile) stops the run
# with ASan's report. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=$(ls /usr/lib/llvm-22/lib/clang/*/lib/linux/libclang_rt.asan-x86_64.so 2>/dev/null | head -n 1)
if [[ ! -f "$runtime" ]]; then
  echo "asan: LLVM 22's AddressSanitizer runtime is missing (Debian package libclang-rt-22-dev; make setup installs it)" >&2
  exit 1
fi

# Python and torch are not instrumented: leak reports about them would be
# noise. The kernels' own errors still stop the run.
export LD_PRELOAD="$runtime"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:halt_on_error=1:${ASAN_OPTIONS:-}"
export FLAGTREE_CPU_SANITIZE=address
exec .venv/bin/python -m pytest -n "${JOBS:-$(nproc)}" -p no:cacheprovider \
  python/test/test_cpu_*.py python/test/test_suite_cpu.py "$@"
