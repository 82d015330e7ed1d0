"""The criteria classifier: TF-IDF words and character n-grams, one logistic regression per criterion.

A document is read in three views: its whole (first pages of) text, its opening (the first HEAD_TOKENS words)
and its title block (pipeline/classify/titleblock.py: the subject after "TENTANG", "Perihal", or the heading under the
letterhead). A regulation or decree is judged by its title alone: its body cites other laws ("Undang-Undang
Nomor 36 Tahun 2009 tentang Kesehatan") that say nothing of its own subject. Other documents take the most
confident view. Titles are what the model learnt best (48,000 regional regulation titles).

A document whose own title states an administrative subject (organisation, budget, pay, performance plans:
pipeline/classify/guideline.py) is evidence for nothing, whatever its words suggest; one whose title names a subject
the labelling guideline lists for a criterion ("PPID", "Kabupaten Layak Anak") is evidence for it.
Each criterion has its own decision thresholds, tuned by cross-validation on the train split.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.criteria import IDS
from pipeline.classify.guideline import named_subjects, none_subject
from pipeline.classify.ngrams import CharGrams, WordGrams
from pipeline.classify.textprep import normalize_many
from pipeline.classify.titleblock import TitleBlock, title_block

SHIPPED_MODEL_DIR = Path(__file__).resolve().parents[2] / "models"
FORMAT_VERSION = 1
HEAD_TOKENS = 60
MODEL_NAME = "criteria"


class ModelError(RuntimeError):
    """The shipped model cannot be used; the message says what to do."""


def make_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000,
                                 dtype=np.float32)),
        # Character n-grams within words survive OCR's misread letters where whole words do not.
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True,
                                 max_features=300_000, dtype=np.float32)),
    ])


def make_estimator(C: float = 4.0):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0)


def head(normalized: str) -> str:
    return " ".join(normalized.split()[:HEAD_TOKENS])


@dataclass(frozen=True)
class Views:
    """Per-view probabilities of a batch of documents, (n, 10) each, and what the title block said."""
    text: np.ndarray
    opening: np.ndarray
    title: np.ndarray
    blocks: list[TitleBlock]
    # The text view's word features (n, word terms), kept so that explaining a document does not read it again.
    words: object = None


@dataclass
class CriteriaModel:
    vectorizer: object
    estimators: list  # one fitted LogisticRegression per criterion, in IDS order
    thresholds: dict[str, float]
    card: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.card.get("version", "unsaved")

    def _vectorizers(self):
        parts = dict(self.vectorizer.transformer_list)
        return parts["word"], parts["char"]

    def _features(self, normalized: Sequence[str]):
        """(word features, word and char features), as the FeatureUnion's transform stacks them."""
        from scipy import sparse

        words = self._word_grams.transform(normalized)
        return words, sparse.hstack([words, self._char_grams.transform(normalized)]).tocsr()

    @functools.cached_property
    def _char_grams(self) -> CharGrams:
        return CharGrams(self._vectorizers()[1])

    @functools.cached_property
    def _word_grams(self) -> WordGrams:
        return WordGrams(self._vectorizers()[0])

    @functools.cached_property
    def _linear(self) -> tuple[np.ndarray, np.ndarray] | None:
        """All criteria's coefficients as one (features, 10) matrix and their intercepts, when every estimator
        is a binary linear model (as trained): one sparse product instead of ten predict_proba calls."""
        if not all(getattr(e, "coef_", np.empty((2, 0))).shape[0] == 1 and len(e.classes_) == 2
                   for e in self.estimators):
            return None
        return (np.column_stack([e.coef_.ravel() for e in self.estimators]),
                np.array([e.intercept_[0] for e in self.estimators]))

    def _proba(self, X) -> np.ndarray:
        """P(criterion) per document: predict_proba's own arithmetic (liblinear's one-vs-rest, binary: the
        logistic of X·coef + intercept, the sparse product summed in the same order), for all ten at once."""
        if self._linear is None:
            return np.column_stack([e.predict_proba(X)[:, 1] for e in self.estimators])
        from scipy.special import expit
        from sklearn.utils.extmath import safe_sparse_dot

        coef, intercept = self._linear
        return expit(safe_sparse_dot(X, coef, dense_output=True) + intercept)

    def _predict(self, normalized: Sequence[str]) -> np.ndarray:
        return self._proba(self._features(list(normalized))[1])

    def views(self, texts: Sequence[str]) -> Views:
        blocks = [title_block(t) for t in texts]
        normalized = normalize_many(list(texts))
        titles = normalize_many([b.core for b in blocks])
        p_title = self._predict(titles) * np.array([[bool(t)] for t in titles])
        words, X = self._features(normalized)
        return Views(self._proba(X), self._predict([head(t) for t in normalized]), p_title, blocks, words)

    def combine(self, views: Views, title_view: bool = True, instruments_by_title: bool = True,
                guideline_subjects: bool = True, guideline_veto: bool = True) -> np.ndarray:
        """One confidence per document and criterion, on the scale of `thresholds`. The switches exist so that
        `bukti eval --real` can show what each part of the rule adds; the pipeline uses all of them."""
        threshold = np.array([self.thresholds[c] for c in IDS])
        title = views.title if title_view else np.zeros_like(views.title)
        combined = np.maximum(np.maximum(views.text, views.opening), title)
        if title_view and instruments_by_title:
            instrument = np.array([[b.source == "tentang"] for b in views.blocks])
            combined = np.where(instrument, title, combined)
        if guideline_subjects:  # a title naming a subject the guideline lists reaches the threshold
            names = [named_subjects(b.subject) if b.source != "none" else {} for b in views.blocks]
            named = np.array([[c in n for c in IDS] for n in names], dtype=bool).reshape(-1, len(IDS))
            combined = np.where(named, np.maximum(combined, threshold), combined)
        if guideline_veto:
            vetoed = np.array([[bool(none_subject(b.subject))] for b in views.blocks])
            combined = np.where(vetoed, 0.0, combined)
        return combined

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 10) confidences, to compare with `thresholds`."""
        return self.combine(self.views(list(texts)))

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return probs >= np.array([self.thresholds[c] for c in IDS])

    def classify(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each text, the criteria at or above their threshold, highest confidence first."""
        probs = self.probabilities(texts)
        out = []
        for row, decided in zip(probs, self.decide(probs)):
            hits = [(IDS[j], float(row[j])) for j in range(len(IDS)) if decided[j]]
            out.append(sorted(hits, key=lambda h: -h[1]))
        return out

    @functools.cached_property
    def _word_features(self):
        """The word vectorizer and its feature names, built once: get_feature_names_out makes an array of every
        term (200,000), which per explanation cost more than the explanation itself."""
        word_vec = dict(self.vectorizer.transformer_list)["word"]
        return word_vec, word_vec.get_feature_names_out()

    def explain(self, text: str, criterion: str, terms: int = 5, sentences: int = 2) -> dict:
        """The words and sentences that pushed `text` towards `criterion` (word features only: readable)."""
        return self.explainer(text)(criterion, terms, sentences)

    def explainer(self, text: str, words=None, block: TitleBlock | None = None):
        """`explain` for one text and any number of criteria: the text's word features, its sentences' word
        features and its title block are computed once, here (or taken from `views`: `words` is the text's row
        of Views.words, `block` its title block), and each criterion costs two sparse products."""
        x = words if words is not None else self._word_grams.transform(normalize_many([text]))
        pieces = _pieces(text)
        piece_x = self._word_grams.transform(normalize_many(pieces)) if pieces else None
        return self._explain_fn(x, pieces, piece_x, block if block is not None else title_block(text))

    def explainers(self, texts: Sequence[str], views: Views, which: Sequence[bool]) -> list:
        """`explainer` for each of `texts` where `which` says so (None elsewhere), the sentences of all of them
        read in one go: what stage 6 needs for a batch."""
        chosen = [i for i, wanted in enumerate(which) if wanted]
        pieces = {i: _pieces(texts[i]) for i in chosen}
        flat = [p for i in chosen for p in pieces[i]]
        X = self._word_grams.transform(normalize_many(flat)) if flat else None
        out: list = [None] * len(texts)
        at = 0
        for i in chosen:
            n = len(pieces[i])
            out[i] = self._explain_fn(views.words[i], pieces[i], X[at:at + n] if n else None, views.blocks[i])
            at += n
        return out

    def _explain_fn(self, x, pieces: list[str], piece_x, block: TitleBlock):
        _, names = self._word_features
        named_all = named_subjects(block.subject) if block.source != "none" else {}

        def explain_one(criterion: str, terms: int = 5, sentences: int = 2) -> dict:
            j = IDS.index(criterion)
            coef = self.estimators[j].coef_.ravel()[:len(names)]
            contrib = x.multiply(coef).tocsr()
            order = np.argsort(-contrib.data)
            top_terms = [str(names[contrib.indices[k]]) for k in order[:terms] if contrib.data[k] > 0]
            if piece_x is not None:
                scores = piece_x @ coef
                best = [pieces[k] for k in np.argsort(-scores)[:sentences] if scores[k] > 0]
            else:
                best = []
            out = {"terms": top_terms, "sentences": [s[:300] for s in best], "title": block.text[:300]}
            named = named_all.get(criterion)
            if named:
                out["rule"] = f"judul menyebut «{named}» (pedoman pelabelan) / the title names «{named}» (guideline)"
            return out

        return explain_one


def _pieces(text: str) -> list[str]:
    """The sentences (or lines) of a text's first 20,000 characters that an explanation may quote."""
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+|\n+", text[:20000]) if len(s.strip()) > 15]


# -- saving and loading -----------------------------------------------------------------------------------

def model_paths(model_dir: Path) -> tuple[Path, Path, Path]:
    return (model_dir / f"{MODEL_NAME}.skops", model_dir / f"{MODEL_NAME}.card.json",
            model_dir / f"{MODEL_NAME}.card.md")


def save_model(model: CriteriaModel, model_dir: Path) -> CriteriaModel:
    import skops.io as sio

    model_dir.mkdir(parents=True, exist_ok=True)
    skops_path, card_path, md_path = model_paths(model_dir)
    # A vocabulary is a dict of numpy integers, which skops writes entry by entry (78 MB, two minutes);
    # as a plain list of terms in index order it is a few MB and a second.
    terms = {}
    for name, vec in model.vectorizer.transformer_list:
        if hasattr(vec, "stop_words_"):  # every term cut by min_df/max_features: introspection only
            del vec.stop_words_
        terms[name] = [t for t, _ in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])]
        del vec.vocabulary_
    try:
        sio.dump({"vectorizer": model.vectorizer, "estimators": model.estimators, "terms": terms}, skops_path,
                 compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    finally:
        _restore_vocabularies(model.vectorizer, terms)
    digest = hashlib.sha256(skops_path.read_bytes()).hexdigest()
    model.card.update(format_version=FORMAT_VERSION, version=f"{MODEL_NAME}-{digest[:12]}",
                      artifact_sha256=digest, thresholds=model.thresholds)
    card_path.write_text(json.dumps(model.card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    from pipeline.training.modelcard import card_markdown
    md_path.write_text(card_markdown(model.card), encoding="utf-8")
    return model


def _restore_vocabularies(vectorizer, terms: dict[str, list[str]]) -> None:
    for name, vec in vectorizer.transformer_list:
        vec.vocabulary_ = {term: i for i, term in enumerate(terms[name])}


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
    if card.get("format_version") != FORMAT_VERSION:
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
    vectorizer, estimators = _rebuild(data_bytes, skops_path.name)
    return CriteriaModel(vectorizer, estimators, thresholds, card)


def _sklearn_version(imported: bool) -> str:
    if imported:
        import sklearn

        return sklearn.__version__
    from importlib.metadata import version

    return version("scikit-learn")  # the installed distribution's version, without importing it (seconds)


def _rebuild(data_bytes: bytes, name: str) -> tuple[object, list]:
    """The vectorizer and estimators from the bytes of a trusted file, refusing types skops does not trust."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(data=data_bytes)
    refused = [t for t in untrusted if t not in EXTRA_TRUSTED_TYPES]
    if refused:
        raise ModelError(f"{name} contains types that are not trusted: {', '.join(refused)}")
    data = sio.loads(data_bytes, trusted=untrusted)
    _restore_vocabularies(data["vectorizer"], data["terms"])
    return data["vectorizer"], data["estimators"]


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

    def __getattr__(self, name: str):  # only for attributes not set yet: the two the file holds
        if name not in ("vectorizer", "estimators"):
            raise AttributeError(name)
        with self._lock:
            if not self.loaded:
                vectorizer, estimators = _rebuild(self._data_bytes, self._name)
                self.__dict__.update(vectorizer=vectorizer, estimators=estimators)
                self._data_bytes = b""
        return self.__dict__[name]
