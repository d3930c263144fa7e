# Helper targets; the build itself is CMake driven by scikit-build-core.
# `make demo` and `make test` do every set-up step themselves.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
JOBS ?= $(shell nproc)
CLANG_FORMAT := /usr/lib/llvm-22/bin/clang-format
# LLVM 22's own lit (Debian), matching FileCheck and the lit.cfg API.
LIT := /usr/lib/llvm-22/bin/lit
CXX_SOURCES = $(shell git ls-files '*.cpp' '*.h' '*.c')

.PHONY: demo test setup install lint format lit pytest asan docs clean

demo: install
	$(PY) -m flagtree.demo

test: install lint lit pytest

setup:
	@bash scripts/setup.sh

# Builds the core (incrementally, in build/) and installs the package.
install: setup
	$(PY) -m pip install -q --no-build-isolation --no-deps .
	@$(PY) -c "import flagtree.core as c; print('flagtree core', c.version(), 'at', c.library_path())"

lint: setup
	$(VENV)/bin/ruff check python
	$(VENV)/bin/ruff format --check python
	$(CLANG_FORMAT) --dry-run -Werror $(CXX_SOURCES)

format: setup
	$(VENV)/bin/ruff format python
	$(VENV)/bin/ruff check --fix python
	$(CLANG_FORMAT) -i $(CXX_SOURCES)

lit: install
	$(LIT) -sv build/test

pytest: install
	$(PY) -m pytest -n $(JOBS) python/test

# The CPU lane's tests with its JIT-compiled kernels under AddressSanitizer.
asan: install
	JOBS=$(JOBS) bash scripts/asan.sh

# Regenerates the generated references: the `tt` dialect's ops (from its
# TableGen source) and the hints (from the hint registry).
docs: install
	/usr/lib/llvm-22/bin/mlir-tblgen -gen-op-doc -dialect=tt -I include \
	  -I /usr/lib/llvm-22/include include/flagtree/Dialect/Triton/IR/TritonOps.td \
	  > docs/dialects/tt.md
	$(PY) -m flagtree.hints.docs > docs/hints.md

clean:
	rm -rf build dist
