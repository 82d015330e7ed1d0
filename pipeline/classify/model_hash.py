"""The sha256 of the shipped model (models/criteria.skops), kept in the package and not beside the file: whoever
can replace the model file can also rewrite a hash stored next to it. Written by `bukti train` when it rebuilds
the shipped model; a model trained elsewhere is trusted through the local trust list (`bukti model trust`)."""

SHIPPED_MODEL_SHA256 = "22951cf2c906e95a30c0eeb4d8f398f6fa6fa19409a8dc7ae0e32de51609321f"
