"""The Triton driver flagtree registers: the CPU lane's."""

from triton.backends.driver import DriverBase

try:
    from flagtree.lanes.cpu.driver import CPUDriver
except Exception as _exc:  # noqa: BLE001 - Triton needs exactly one concrete driver here
    import warnings

    warnings.warn(f"flagtree: the CPU lane failed to load ({_exc})", stacklevel=2)

    class CPUDriver(DriverBase):  # type: ignore[no-redef]
        """Stand-in that is never active."""

        @classmethod
        def is_active(cls):
            return False

        def map_python_to_cpp_type(self, ty):
            raise RuntimeError("flagtree's CPU lane is unavailable")

        def get_current_target(self):
            raise RuntimeError("flagtree's CPU lane is unavailable")

        def get_active_torch_device(self):
            raise RuntimeError("flagtree's CPU lane is unavailable")

        def get_benchmarker(self):
            raise RuntimeError("flagtree's CPU lane is unavailable")


__all__ = ["CPUDriver"]
