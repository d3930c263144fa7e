"""The Triton back end flagtree registers: the CPU lane's."""

from triton.backends.compiler import BaseBackend, GPUTarget

try:
    from flagtree.lanes.cpu.compiler import CPUBackend
except Exception as _exc:  # noqa: BLE001 - Triton needs exactly one concrete back end here
    import warnings

    warnings.warn(f"flagtree: the CPU lane failed to load ({_exc})", stacklevel=2)

    class CPUBackend(BaseBackend):  # type: ignore[no-redef]
        """Stand-in that accepts no target."""

        @staticmethod
        def supports_target(target: GPUTarget) -> bool:
            return False

        def hash(self):
            return "flagtree-unavailable"

        def parse_options(self, options):
            raise RuntimeError("flagtree's CPU lane is unavailable")

        def add_stages(self, stages, options, language=None):
            raise RuntimeError("flagtree's CPU lane is unavailable")

        def load_dialects(self, context):
            pass

        def get_module_map(self):
            return {}


__all__ = ["CPUBackend"]
