"""Whether the NVIDIA lane can run kernels here: Triton's CUDA driver decides."""

from flagtree.lanes import Availability


def availability() -> Availability:
    from triton.backends import backends

    cuda = backends.get("nvidia")
    if cuda is None:
        return Availability(False, "Triton's NVIDIA backend is not installed")
    try:
        if cuda.driver.is_active():
            return Availability(True, "an NVIDIA GPU and the CUDA driver are present")
    except Exception as exc:  # noqa: BLE001 - report, do not fail
        return Availability(False, f"Triton's CUDA driver failed: {exc}")
    return Availability(False, "no NVIDIA GPU or CUDA driver (libcuda.so) found")
