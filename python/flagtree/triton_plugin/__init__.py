"""flagtree's entry in Triton's ``triton.backends`` entry-point group.

Triton imports this package while ``import triton`` runs, which is the
moment flagtree activates itself (:mod:`flagtree.activation`). Triton then
takes this package's ``compiler`` and ``driver`` modules as the back end of
flagtree's own lane for ``cpu`` targets. Nothing here may raise: a broken
flagtree must leave ``import triton`` working.
"""

try:
    from flagtree.activation import activate

    activate()
except Exception as _exc:  # noqa: BLE001
    import warnings

    warnings.warn(f"flagtree: not activated ({_exc}); Triton runs as upstream", stacklevel=2)
