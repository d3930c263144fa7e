"""Worker for the AMD lane test: compiles one corpus kernel for gfx942 with
upstream Triton and with flagtree, and compares the hsaco."""

from __future__ import annotations

TARGET = ("hip", "gfx942", 64)


def compile_both(name: str) -> str:
    """``identical``, ``differs``, ``both-failed: <error>``, or
    ``flagtree-only-failed: <error>``. A crash of the process is reported by
    the caller; the marker files say which compile was running."""
    import triton
    from triton.backends.compiler import GPUTarget

    from corpus import CASES
    from flagtree import activation

    case = next(c for c in CASES if c.name == name)
    target = GPUTarget(*TARGET)
    source = triton.compiler.ASTSource(
        fn=case.fn, signature=dict(case.signature), constexprs=dict(case.constexprs)
    )
    try:
        with activation.suspended():
            upstream = triton.compile(source, target=target, options=dict(case.options))
    except Exception as exc:  # noqa: BLE001 - an upstream failure is an outcome
        upstream_error = f"{type(exc).__name__}"
        try:
            triton.compile(source, target=target, options=dict(case.options))
        except Exception:  # noqa: BLE001
            return f"both-failed: {upstream_error}"
        return f"upstream-only-failed: {upstream_error}"
    try:
        ours = triton.compile(source, target=target, options=dict(case.options))
    except Exception as exc:  # noqa: BLE001
        return f"flagtree-only-failed: {type(exc).__name__}: {exc}"
    if "flagtree" not in ours.asm:
        return "flagtree stage missing"
    return "identical" if ours.asm["hsaco"] == upstream.asm["hsaco"] else "differs"


def _compile_one(name: str, with_flagtree: bool) -> str:
    import triton
    from triton.backends.compiler import GPUTarget

    from corpus import CASES
    from flagtree import activation

    case = next(c for c in CASES if c.name == name)
    source = triton.compiler.ASTSource(
        fn=case.fn, signature=dict(case.signature), constexprs=dict(case.constexprs)
    )
    try:
        if with_flagtree:
            triton.compile(source, target=GPUTarget(*TARGET), options=dict(case.options))
        else:
            with activation.suspended():
                triton.compile(source, target=GPUTarget(*TARGET), options=dict(case.options))
    except Exception as exc:  # noqa: BLE001
        return f"failed: {type(exc).__name__}"
    return "ok"


def compile_upstream_only(name: str) -> str:
    return _compile_one(name, with_flagtree=False)


def compile_flagtree_only(name: str) -> str:
    return _compile_one(name, with_flagtree=True)
