"""flagtree's operator regression suite: Triton kernels written here, each
with a torch reference, run per lane by `flagtree bench` and by pytest.

`registry` describes an operator and lists them all, `families/` holds one
module per family, `known` the operators a lane cannot run yet, `runner`
runs and checks one variant, `bench` and `report` make `flagtree bench`."""
