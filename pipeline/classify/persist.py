"""Saving and loading the criteria model: skops (never pickle), the shipped model's hash in the package, a
local trust list for models built elsewhere (a model file can run code), and a deferred load for nights with
nothing to classify."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import zipfile
from pathlib import Path

from pipeline.classify.model import MODEL_NAME, CriteriaModel
from pipeline.classify.stack import RealTextModel, Stacker

SHIPPED_MODEL_DIR = Path(__file__).resolve().parents[2] / "models"
FORMAT_VERSION = 2  # 2: the real-document text model and the second stage are in the file
READABLE_FORMATS = (1, 2)  # a format-1 file is a first stage alone, decided by its own rule


class ModelError(RuntimeError):
    """The shipped model cannot be used; the message says what to do."""


def model_paths(model_dir: Path) -> tuple[Path, Path, Path]:
    return (model_dir / f"{MODEL_NAME}.skops", model_dir / f"{MODEL_NAME}.card.json",
            model_dir / f"{MODEL_NAME}.card.md")


def _unionised(model: CriteriaModel) -> dict:
    """The FeatureUnions the file holds, by name: the first stage's and the real-document text model's."""
    out = {"": model.vectorizer}
    if model.real_model is not None:
        out["real"] = model.real_model.vectorizer
    return out


def save_model(model: CriteriaModel, model_dir: Path) -> CriteriaModel:
    import numpy as np
    import skops.io as sio

    model_dir.mkdir(parents=True, exist_ok=True)
    skops_path, card_path, md_path = model_paths(model_dir)
    # A vocabulary is a dict of numpy integers, which skops writes entry by entry (78 MB, two minutes);
    # as a plain list of terms in index order it is a few MB and a second.
    unions = _unionised(model)
    terms = {}
    for prefix, union in unions.items():
        for name, vec in union.transformer_list:
            if hasattr(vec, "stop_words_"):  # every term cut by min_df/max_features: introspection only
                del vec.stop_words_
            terms[prefix + name] = [t for t, _ in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])]
            del vec.vocabulary_
    data = {"vectorizer": model.vectorizer, "estimators": model.estimators, "terms": terms}
    if model.real_model is not None:
        data["real_vectorizer"] = model.real_model.vectorizer
        # A criterion without any positive real document has its prior as a number instead of an estimator.
        data["real_estimators"] = [e if not isinstance(e, float) else np.array([e])
                                   for e in model.real_model.estimators]
    if model.stacker is not None:
        data["stack_coef"] = np.asarray(model.stacker.coef, dtype=np.float64)
        data["stack_intercept"] = np.array([model.stacker.intercept])
        data["stack_groups"] = list(model.stacker.groups)
    try:
        sio.dump(data, skops_path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    finally:
        for prefix, union in unions.items():
            _restore_vocabularies(union, terms, prefix)
    digest = hashlib.sha256(skops_path.read_bytes()).hexdigest()
    model.card.update(format_version=FORMAT_VERSION, version=f"{MODEL_NAME}-{digest[:12]}",
                      artifact_sha256=digest, thresholds=model.thresholds)
    card_path.write_text(json.dumps(model.card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    from pipeline.training.modelcard import card_markdown
    md_path.write_text(card_markdown(model.card), encoding="utf-8")
    return model


def _restore_vocabularies(vectorizer, terms: dict[str, list[str]], prefix: str = "") -> None:
    for name, vec in vectorizer.transformer_list:
        vec.vocabulary_ = {term: i for i, term in enumerate(terms[prefix + name])}


# Types a saved model may contain beyond what skops trusts by default (scikit-learn estimators, NumPy arrays).
# Exact names only: a prefix such as "builtins." would let a crafted file call builtins.exec on load.
EXTRA_TRUSTED_TYPES: frozenset[str] = frozenset()


def trusted_hashes(trust_file: Path | None) -> set[str]:
    """The shipped model's hash (from the package) and those a user trusted on this machine."""
    from pipeline.classify.model_hash import SHIPPED_MODEL_SHA256

    hashes = {SHIPPED_MODEL_SHA256}
    if trust_file is not None and trust_file.is_file():
        hashes |= {line.split()[0] for line in trust_file.read_text(encoding="utf-8").splitlines() if line.strip()}
    return hashes


def write_shipped_hash(digest: str) -> None:
    """Record a rebuilt shipped model's hash in the package (pipeline/classify/model_hash.py), to be committed with it."""
    path = Path(__file__).with_name("model_hash.py")
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'SHIPPED_MODEL_SHA256 = "[0-9a-f]*"', f'SHIPPED_MODEL_SHA256 = "{digest}"', text),
                    encoding="utf-8")


def trust_model(model_dir: Path, trust_file: Path) -> str:
    """Add the model in `model_dir` to the local trust list; returns its sha256."""
    digest = hashlib.sha256(model_paths(model_dir)[0].read_bytes()).hexdigest()
    if digest not in trusted_hashes(trust_file):
        trust_file.parent.mkdir(parents=True, exist_ok=True)
        with trust_file.open("a", encoding="utf-8") as fh:
            fh.write(f"{digest} {model_dir.resolve()}\n")
    return digest


def load_model(model_dir: Path, trust_file: Path | None = None, *, deferred: bool = False) -> CriteriaModel:
    """Load the model in `model_dir` if its file is the shipped model or one trusted in `trust_file`.

    `deferred`: check the card, the library version, the file's hash and its trust now, but import scikit-learn
    and skops, check the file's types and rebuild the model only when it is first used (`DeferredModel`): a
    night with nothing new to classify needs only the version and the thresholds, and the rest costs 2-3 s on
    a quiet machine (8 s on a loaded one). A type the file may not contain then raises ModelError at first use.
    """
    skops_path, card_path, _ = model_paths(model_dir)
    if not skops_path.is_file() or not card_path.is_file():
        raise ModelError(f"no classifier in {model_dir} (expected {skops_path.name} and {card_path.name}); "
                         "run `bukti train` on the corpus to build it")
    card = json.loads(card_path.read_text(encoding="utf-8"))
    if card.get("format_version") not in READABLE_FORMATS:
        raise ModelError(f"model format {card.get('format_version')} is not the supported {FORMAT_VERSION}; "
                         "run `bukti train` to rebuild it with this version of bukti")
    trained_with = card.get("libraries", {}).get("scikit-learn")
    installed = _sklearn_version(imported=not deferred)
    if trained_with != installed:
        raise ModelError(f"the model was trained with scikit-learn {trained_with} but {installed} is "
                         "installed; run `uv sync --frozen` to install the locked version, or `bukti train` to "
                         "rebuild the model")
    data_bytes = skops_path.read_bytes()  # hashed and loaded from the same bytes: no swap in between
    digest = hashlib.sha256(data_bytes).hexdigest()
    if digest != card.get("artifact_sha256"):
        raise ModelError(f"{skops_path.name} does not match its model card (sha256 differs); rebuild it with "
                         "`bukti train` or restore both files from git")
    if digest not in trusted_hashes(trust_file):
        raise ModelError(f"{skops_path} is not the shipped model and was not trusted on this machine (sha256 "
                         f"{digest[:12]}…); a model file can run code, so bukti loads only the shipped one or one "
                         "built here by `bukti train`. If you know where this one comes from: "
                         f"`bukti model trust {model_dir}`")
    thresholds = {k: float(v) for k, v in card["thresholds"].items()}
    if deferred:
        return DeferredModel(data_bytes, skops_path.name, thresholds, card)
    return CriteriaModel(thresholds=thresholds, card=card, **_rebuild(data_bytes, skops_path.name))


def _sklearn_version(imported: bool) -> str:
    if imported:
        import sklearn

        return sklearn.__version__
    from importlib.metadata import version

    return version("scikit-learn")  # the installed distribution's version, without importing it (seconds)


# The parts a model file holds beyond thresholds and card (CriteriaModel's fields), rebuilt on load.
PARTS = ("vectorizer", "estimators", "real_model", "stacker")


def _rebuild(data_bytes: bytes, name: str) -> dict:
    """The model's parts from the bytes of a trusted file, refusing types skops does not trust."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(data=data_bytes)
    refused = [t for t in untrusted if t not in EXTRA_TRUSTED_TYPES]
    if refused:
        raise ModelError(f"{name} contains types that are not trusted: {', '.join(refused)}")
    data = sio.loads(data_bytes, trusted=untrusted)
    _restore_vocabularies(data["vectorizer"], data["terms"])
    real = stacker = None
    if "real_vectorizer" in data:
        _restore_vocabularies(data["real_vectorizer"], data["terms"], "real")
        real = RealTextModel(data["real_vectorizer"], [
            float(e[0]) if hasattr(e, "shape") and getattr(e, "ndim", 0) == 1 else e for e in data["real_estimators"]])
    if "stack_coef" in data:
        stacker = Stacker(data["stack_coef"], float(data["stack_intercept"][0]), tuple(data["stack_groups"]))
    return {"vectorizer": data["vectorizer"], "estimators": data["estimators"], "real_model": real,
            "stacker": stacker}


class DeferredModel(CriteriaModel):
    """A checked and trusted model whose vectorizer and estimators are rebuilt from the file's bytes (read and
    hashed by load_model) on first use; version, thresholds and card are there at once.

    As a dataclass it shows only those two fields: whatever walks a dataclass's fields (Prefect resolving a
    task's arguments does) must not rebuild the model by looking at it."""

    __dataclass_fields__ = {name: f for name, f in CriteriaModel.__dataclass_fields__.items()
                            if name in ("thresholds", "card")}

    def __init__(self, data_bytes: bytes, name: str, thresholds: dict[str, float], card: dict):
        self.thresholds, self.card = thresholds, card
        self._data_bytes, self._name = data_bytes, name
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return "estimators" in self.__dict__

    def __getattr__(self, name: str):  # only for attributes not set yet: those the file holds
        if name not in PARTS:
            raise AttributeError(name)
        with self._lock:
            if not self.loaded:
                self.__dict__.update(_rebuild(self._data_bytes, self._name))
                self._data_bytes = b""
        return self.__dict__[name]
