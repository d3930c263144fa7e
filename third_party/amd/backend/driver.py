"""Whether the AMD lane can run kernels here: Triton's HIP driver decides."""

from flagtree.lanes import Availability


def availability() -> Availability:
    from triton.backends import backends

    hip = backends.get("amd")
    if hip is None:
        return Availability(False, "Triton's AMD backend is not installed")
    try:
        if hip.driver.is_active():
            return Availability(True, "an AMD GPU and the HIP runtime are present")
    except Exception as exc:  # noqa: BLE001 - report, do not fail
        return Availability(False, f"Triton's HIP driver failed: {exc}")
    return Availability(False, "no AMD GPU or HIP runtime (libamdhip64.so) found")
