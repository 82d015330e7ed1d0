"""The sha256 of the shipped model (models/criteria.skops), kept in the package and not beside the file: whoever
can replace the model file can also rewrite a hash stored next to it. Written by `bukti train` when it rebuilds
the shipped model; a model trained elsewhere is trusted through the local trust list (`bukti model trust`)."""

SHIPPED_MODEL_SHA256 = "c73c68fc077b8e264d049f06b995f66d38e6b2350dfd550978795b1f787dd738"
