"""The sha256 of the shipped model (models/criteria.skops), kept in the package and not beside the file: whoever
can replace the model file can also rewrite a hash stored next to it. Written by `bukti train` when it rebuilds
the shipped model; a model trained elsewhere is trusted through the local trust list (`bukti model trust`)."""

SHIPPED_MODEL_SHA256 = "f0fa1ee338ea31118b9810de049408d541b1f2e2b4947d3564e93d297586ceda"
