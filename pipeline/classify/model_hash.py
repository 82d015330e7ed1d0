"""The sha256 of the shipped model (models/criteria.skops), kept in the package and not beside the file: whoever
can replace the model file can also rewrite a hash stored next to it. Written by `bukti train` when it rebuilds
the shipped model; a model trained elsewhere is trusted through the local trust list (`bukti model trust`)."""

SHIPPED_MODEL_SHA256 = "029837bd61609b046b11d2a6fe35028bd5f067ee3d6e00445fd0231274ef357f"
