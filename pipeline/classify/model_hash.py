"""The sha256 of the shipped model (models/criteria.skops), kept in the package and not beside the file: whoever
can replace the model file can also rewrite a hash stored next to it. Written by `bukti train` when it rebuilds
the shipped model; a model trained elsewhere is trusted through the local trust list (`bukti model trust`)."""

SHIPPED_MODEL_SHA256 = "59de851b5daeb27da2e4e0bd4dd040bf60927ce1dc624d486c3b1c322096d41a"
