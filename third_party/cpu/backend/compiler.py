"""Triton back end of the CPU lane: compiles kernels for ``cpu`` targets.

Stages: Triton's front end, ``ttir`` (a TTIR pass sequence for a target
without TMA or block-pointer hardware), flagtree's stage, and ``cpujit``:
the TTIR text that the FLIR lane compiles to native code in-process. That
text is the lane's "binary": Triton caches it like a cubin, and loading it
JIT-compiles it (once per process). Compiling it already at ``cpujit``
reports unsupported ops at compile time, with the kernel's file:line.
"""

from __future__ import annotations

import functools
import hashlib
import platform
from dataclasses import dataclass, fields

from triton.backends.compiler import BaseBackend, GPUTarget


def host_target() -> GPUTarget:
    """The Triton target that names this machine's CPU."""
    return GPUTarget("cpu", platform.machine(), 1)


@dataclass(frozen=True)
class CPUOptions:
    """Compile options of the CPU lane (the GPU-only ones are accepted and
    ignored, so that kernels tuned for GPUs compile unchanged)."""

    num_warps: int = 1
    num_ctas: int = 1
    num_stages: int = 1
    debug: bool = False
    sanitize_overflow: bool = False
    enable_fp_fusion: bool = True
    launch_cooperative_grid: bool = False
    supported_fp8_dtypes: tuple[str, ...] = ("fp8e5", "fp8e4nv", "fp8e4b15", "fp8e4b8", "fp8e5b16")
    deprecated_fp8_dot_operand_dtypes: tuple[str, ...] = ()
    default_dot_input_precision: str = "ieee"
    allowed_dot_input_precisions: tuple[str, ...] = ("ieee", "tf32", "tf32x3")
    max_num_imprecise_acc_default: int = 0
    instrumentation_mode: str = ""
    backend_name: str = "cpu"
    arch: str = ""

    def __post_init__(self) -> None:
        # The same check as GPU lanes make, so that a kernel launch that
        # fails there fails here too.
        warps = self.num_warps
        if not (isinstance(warps, int) and warps > 0 and warps & (warps - 1) == 0):
            raise AssertionError(f"num_warps must be a power of 2, got {warps!r}")

    def hash(self) -> str:
        text = "_".join(f"{f.name}-{getattr(self, f.name)}" for f in fields(self))
        return hashlib.sha256(text.encode()).hexdigest()


def _min_dot_size(lhs_type, rhs_type):
    return (1, 1, 1)


def _convert_custom_types(arg, dst_ty, fp_downcast_rounding=None, _semantic=None):
    """Conversions from and to float8e4b15, which MLIR has no type for
    (Triton's front end asks the target for them; `tl.dot` widens such
    operands to fp16 through here).

    A float8e4b15 byte is a sign, 4 exponent bits with fp16's bias (15) and
    3 mantissa bits, with no infinities or NaNs: its fields are those of an
    fp16 number whose mantissa ends in seven zero bits, subnormals included.

    From it, the bits move into place, exactly, and go on from fp16 to the
    requested type (exact for fp32 and fp64).

    To it, as Triton's NVIDIA lane converts: fp32 (and bf16, through fp32)
    first to fp16 toward zero; then the fp16 magnitude is capped at 1.75
    (infinities and NaN too), half of the last kept place is added (ties
    away from zero) and the low seven bits are dropped; the sign is kept.
    ``fp_downcast_rounding`` does not change this recipe, as on GPUs."""
    from triton.language import core

    i32 = core.int32

    def const(value):
        return _semantic.scalar_constant(value, i32)

    if arg.type.scalar.is_fp8e4b15():
        byte = _semantic.cast(_semantic.bitcast(arg, core.uint8), i32)
        sign = _semantic.shl(_semantic.and_(byte, const(0x80)), const(8))
        rest = _semantic.shl(_semantic.and_(byte, const(0x7F)), const(7))
        half_bits = _semantic.cast(_semantic.or_(sign, rest), core.int16)
        half = _semantic.bitcast(half_bits, core.float16)
        return half if dst_ty.scalar.is_fp16() else _semantic.cast(half, dst_ty)

    source = arg.type.scalar
    narrowable = source.is_fp16() or source.is_fp32() or source.is_bf16()
    if not (dst_ty.scalar.is_fp8e4b15() and narrowable):
        raise ValueError(
            f"conversion of {source} to {dst_ty.scalar} is not supported by the CPU lane: "
            "float8e4b15 converts from fp16, bf16 and fp32"
        )
    half = arg
    if source.is_bf16():
        half = _semantic.cast(half, core.float32)
    if not source.is_fp16():
        half = _semantic.cast(half, core.float16, fp_downcast_rounding="rtz")
    bits = _semantic.cast(_semantic.bitcast(half, core.uint16), i32)
    sign = _semantic.lshr(_semantic.and_(bits, const(0x8000)), const(8))
    # Positive fp16 bit patterns order as their values; NaN's lie above 1.75.
    magnitude = _semantic.minimum(_semantic.and_(bits, const(0x7FFF)), const(0x3F00), None)
    doubled = _semantic.mul(magnitude, const(2), sanitize_overflow=False)
    rounded = _semantic.lshr(_semantic.add(doubled, const(0x80), sanitize_overflow=False), const(8))
    byte = _semantic.cast(_semantic.or_(rounded, sign), core.uint8)
    return _semantic.bitcast(byte, dst_ty)


class CPUBackend(BaseBackend):
    """Triton back end for the host CPU."""

    binary_ext = "cpujit"

    @staticmethod
    def supports_target(target: GPUTarget) -> bool:
        return target.backend == "cpu"

    def __init__(self, target: GPUTarget) -> None:
        super().__init__(target)

    @functools.lru_cache  # noqa: B019 - one backend object per target
    def hash(self) -> str:
        from flagtree import __version__

        return f"flagtree-cpu-{__version__}-{self.target.arch}"

    def parse_options(self, opts: dict) -> CPUOptions:
        known = {f.name for f in fields(CPUOptions)}
        args = {k: v for k, v in opts.items() if k in known and v is not None}
        args["arch"] = str(self.target.arch)
        return CPUOptions(**args)

    def pack_metadata(self, metadata):
        return (metadata.num_warps, metadata.num_ctas)

    def get_codegen_implementation(self, options):
        return {"min_dot_size": _min_dot_size, "convert_custom_types": _convert_custom_types}

    def get_module_map(self):
        # `libdevice.*` calls resolve to the CUDA spelling: the lane lowers
        # the `__nv_*` functions they name (see docs/cpu-lane.md).
        from triton.language.extra.cuda import libdevice

        return {"triton.language.extra.libdevice": libdevice}

    def load_dialects(self, context) -> None:
        pass

    @staticmethod
    def make_ttir(module, metadata, options):
        from triton._C.libtriton import ir, passes

        pm = ir.pass_manager(module.context)
        pm.enable_debug()
        passes.common.add_inliner(pm)
        # No TMA or block-pointer hardware: both become plain pointer math.
        passes.ttir.add_rewrite_tensor_descriptor_to_pointer(pm)
        passes.ttir.add_rewrite_tensor_pointer(pm)
        passes.common.add_canonicalizer(pm)
        passes.ttir.add_combine(pm)
        passes.ttir.add_reorder_broadcast(pm)
        passes.common.add_cse(pm)
        passes.common.add_symbol_dce(pm)
        passes.ttir.add_loop_unroll(pm)
        pm.run(module, "make_ttir")
        metadata["name"] = module.get_entry_func_name()
        metadata["shared"] = 0
        return module

    @staticmethod
    def make_cpujit(module, metadata) -> bytes:
        from .jit import compile_ttir

        text = str(module)
        compile_ttir(text, f"{metadata['name']}.ttir")
        return text.encode()

    def add_stages(self, stages: dict, options: CPUOptions, language=None) -> None:
        from flagtree import stage
        from flagtree.lanes import lane_named

        stages["ttir"] = lambda src, metadata: self.make_ttir(src, metadata, options)
        stages["cpujit"] = lambda src, metadata: self.make_cpujit(src, metadata)
        lane = lane_named("cpu")
        if lane is not None:
            stage.insert_after_ttir(stages, lane)
