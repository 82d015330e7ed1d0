"""The shipped classifier (models/): loads safely, decides sensibly, explains itself. No corpus needed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.classify.persist import ModelError, load_model
from pipeline.criteria import IDS
from pipeline.training.noise import add_ocr_noise
from pipeline.training.train import tune_thresholds

from .conftest import ROOT

MODELS = ROOT / "models"
TEXTS = ROOT / "samples" / "texts"
EXPECTED = {
    "perwal-bantuan-hukum": "bantuan_hukum", "laporan-imunisasi": "kesehatan",
    "sk-pendidikan-inklusif": "pendidikan", "laporan-bank-sampah": "lingkungan_perumahan",
    "forum-anak": "perempuan_anak", "laporan-ppid": "informasi", "laporan-akta-kelahiran": "kependudukan",
}


@pytest.fixture(scope="module")
def model():
    return load_model(MODELS)


def _text(name: str) -> str:
    return (TEXTS / f"{name}.txt").read_text(encoding="utf-8")


def test_card_matches_model(model):
    card = json.loads((MODELS / "criteria.card.json").read_text())
    assert model.version == card["version"] and model.version.startswith("criteria-")
    assert set(model.thresholds) == set(IDS)
    assert all(0.0 < t < 1.0 for t in model.thresholds.values())
    for key in ("corpus_sha256", "rows_by_label_source", "label_source_weights"):
        assert key in card["data"]
    assert card["libraries"]["scikit-learn"] and card["metrics"]["clean"]["all"]["macro_f1"] is not None


@pytest.mark.parametrize("name,criterion", sorted(EXPECTED.items()))
def test_documents_get_their_criterion(model, name, criterion):
    (hits,) = model.classify([_text(name)])
    assert [c for c, _ in hits][:1] == [criterion]


def test_irrelevant_letter_gets_no_criterion(model):
    assert model.classify([_text("undangan-rapat-pajak")]) == [[]]
    assert model.classify(["Nota dinas pengadaan alat tulis kantor dan konsumsi rapat sekretariat daerah"]) == [[]]


@pytest.mark.parametrize("name,criterion", sorted(EXPECTED.items()))
def test_ocr_noise_does_not_change_the_decision(model, name, criterion):
    noisy = add_ocr_noise(_text(name), rate=0.03, seed=7)
    (hits,) = model.classify([noisy])
    assert criterion in [c for c, _ in hits]


def test_explanation_names_the_words_that_decided(model):
    why = model.explain(_text("perwal-bantuan-hukum"), "bantuan_hukum")
    assert any("hukum" in term for term in why["terms"])
    assert why["sentences"] and any("bantuan hukum" in s.lower() for s in why["sentences"])


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "models"
    shutil.copytree(MODELS, target)
    return target


def test_load_refuses_another_scikit_learn(tmp_path):
    models = _copy(tmp_path)
    card = json.loads((models / "criteria.card.json").read_text())
    card["libraries"]["scikit-learn"] = "0.24.0"
    (models / "criteria.card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.0.*bukti train"):
        load_model(models)


def test_load_refuses_a_tampered_artifact(tmp_path):
    models = _copy(tmp_path)
    with (models / "criteria.skops").open("ab") as fh:
        fh.write(b"x")
    with pytest.raises(ModelError, match="does not match its model card"):
        load_model(models)


def test_load_refuses_another_format_and_a_missing_model(tmp_path):
    models = _copy(tmp_path)
    card = json.loads((models / "criteria.card.json").read_text())
    card["format_version"] = 99
    (models / "criteria.card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="format"):
        load_model(models)
    with pytest.raises(ModelError, match="bukti train"):
        load_model(tmp_path / "empty")


def test_thresholds_are_tuned_to_the_best_f1():
    rng = np.random.default_rng(0)
    Y = np.zeros((200, len(IDS)), dtype=np.int8)
    Y[:40, :] = 1
    probs = rng.uniform(0.0, 0.5, size=Y.shape)
    probs[:40, :] = rng.uniform(0.55, 1.0, size=(40, len(IDS)))  # separable at any threshold in (0.5, 0.55)
    thresholds = tune_thresholds(probs, Y)
    assert all(0.45 <= t <= 0.6 for t in thresholds.values()), thresholds


def test_a_model_that_is_neither_shipped_nor_trusted_is_refused_until_trusted(tmp_path, model):
    from pipeline.classify.persist import save_model, trust_model

    other = tmp_path / "other"
    model.card = dict(model.card)
    model.thresholds = {**model.thresholds, "kesehatan": 0.5}  # any change makes another artifact
    save_model(model, other)
    trust_file = tmp_path / "home" / "trusted-models.txt"
    with pytest.raises(ModelError, match="bukti model trust"):
        load_model(other, trust_file)
    trust_model(other, trust_file)
    assert load_model(other, trust_file).thresholds["kesehatan"] == 0.5


def test_a_crafted_model_that_would_run_code_is_refused(tmp_path):
    """A skops file whose tree calls builtins.exec, with its card's hash updated and even trusted by hash:
    loading must refuse the type, not run it."""
    import hashlib

    import skops.io as sio

    from pipeline.classify.persist import trust_model

    models = _copy(tmp_path)
    skops_path = models / "criteria.skops"
    sio.dump({"payload": exec}, skops_path)  # skops stores a function as a reference to builtins.exec
    assert "builtins.exec" in sio.get_untrusted_types(file=skops_path)
    card = json.loads((models / "criteria.card.json").read_text())
    card["artifact_sha256"] = hashlib.sha256(skops_path.read_bytes()).hexdigest()
    (models / "criteria.card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="not the shipped model"):
        load_model(models)  # a hash beside the file proves nothing
    trust_file = tmp_path / "trusted-models.txt"
    trust_model(models, trust_file)
    with pytest.raises(ModelError, match="builtins.exec"):
        load_model(models, trust_file)


def test_the_package_knows_the_shipped_model_hash():
    import hashlib

    from pipeline.classify.model_hash import SHIPPED_MODEL_SHA256

    assert hashlib.sha256((MODELS / "criteria.skops").read_bytes()).hexdigest() == SHIPPED_MODEL_SHA256


def test_a_title_naming_a_guideline_subject_is_evidence_and_says_why(model):
    from tests.test_titleblock import LETTER

    (hits,) = model.classify([LETTER])
    assert "informasi" in [c for c, _ in hits]
    why = model.explain(LETTER, "informasi")
    assert "ppid" in why["rule"] and why["title"].startswith("SURAT Undangan Desk PPID")


def test_an_administrative_title_is_evidence_for_nothing(model):
    text = ("PERATURAN WALIKOTA SUKAMAJU\nNOMOR 7 TAHUN 2025\nTENTANG\nKEDUDUKAN, SUSUNAN ORGANISASI, TUGAS DAN "
            "FUNGSI SERTA TATA KERJA DINAS PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK\nDENGAN RAHMAT TUHAN YANG "
            "MAHA ESA\nbahwa perlindungan anak dan pemberdayaan perempuan ...")
    assert model.classify([text]) == [[]]


def _varied_texts() -> list[str]:
    """Sample texts, OCR-noised copies and awkward strings (special cases with a space, digits, marks)."""
    texts = [_text(p.stem) for p in sorted(TEXTS.glob("*.txt"))]
    texts += [add_ocr_noise(t, rate=0.05, seed=k) for k, t in enumerate(texts)]
    texts += ["Dr. med Budi dan Dr. iur. Sari, a.n. Bupati s.d. 2025; dll. (PPID)", "", "   \n\t ",
              "İSTANBUL Ärzte naïve café ﬁnal 12abc abc12 ab-cd e-KTP KTP-el", "^^^ ~~~ #### aaaaaab"]
    return texts


def test_cached_normalisation_equals_spacy_on_whole_texts():
    from pipeline.classify import textprep

    texts = _varied_texts()
    textprep._CHUNKS.clear()
    assert textprep.normalize_many(texts) == textprep.normalize_whole(texts)
    assert textprep.normalize_many(texts[::-1]) == textprep.normalize_whole(texts[::-1])  # warm cache


def test_fast_counting_equals_the_vectorizers_transform(model):
    from pipeline.classify.textprep import normalize_many

    normalized = normalize_many(_varied_texts())
    word_vec, char_vec = model._vectorizers()
    for fast, vec in ((model.word_grams, word_vec), (model._char_grams, char_vec)):
        mine, theirs = fast.transform(normalized), vec.transform(normalized)
        assert (mine != theirs).nnz == 0 and np.array_equal(mine.indptr, theirs.indptr)
        assert np.array_equal(mine.indices, theirs.indices) and np.array_equal(mine.data, theirs.data)
    X = model.vectorizer.transform(normalized)
    assert np.array_equal(model._proba(model._features(normalized)[1]),
                          np.column_stack([e.predict_proba(X)[:, 1] for e in model.estimators]))


def test_batch_explanations_equal_one_at_a_time(model):
    texts = [_text(p.stem) for p in sorted(TEXTS.glob("*.txt"))]
    views = model.views(texts)
    batch = model.explainers(texts, views, [True] * len(texts))
    for text, explain in zip(texts, batch):
        for criterion in IDS:
            assert explain(criterion) == model.explain(text, criterion)


def test_a_deferred_model_is_rebuilt_only_when_used_and_decides_the_same():
    from pipeline.classify.stage import classify_documents

    model = load_model(MODELS)  # not the module's fixture: another test changes its thresholds
    deferred = load_model(MODELS, deferred=True)
    assert deferred.version == model.version and deferred.thresholds == model.thresholds and not deferred.loaded

    class NothingNew:
        def texts_to_classify(self, version):
            return []

    assert classify_documents(NothingNew(), deferred) == 0 and not deferred.loaded  # a quiet night
    from prefect.utilities.collections import visit_collection  # as a Prefect task resolves its arguments

    assert visit_collection((NothingNew(), deferred), lambda x: x, return_data=True)[1] is deferred
    assert not deferred.loaded
    texts = [_text(p.stem) for p in sorted(TEXTS.glob("*.txt"))]
    assert np.array_equal(deferred.probabilities(texts), model.probabilities(texts)) and deferred.loaded


def test_a_deferred_model_still_refuses_a_crafted_file_when_first_used(tmp_path):
    import hashlib

    import skops.io as sio

    from pipeline.classify.persist import trust_model

    models = _copy(tmp_path)
    skops_path = models / "criteria.skops"
    sio.dump({"payload": exec}, skops_path)
    card = json.loads((models / "criteria.card.json").read_text())
    card["artifact_sha256"] = hashlib.sha256(skops_path.read_bytes()).hexdigest()
    (models / "criteria.card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="not the shipped model"):
        load_model(models, deferred=True)  # hash and trust are checked at once
    trust_file = tmp_path / "trusted-models.txt"
    trust_model(models, trust_file)
    deferred = load_model(models, trust_file, deferred=True)
    with pytest.raises(ModelError, match="builtins.exec"):
        deferred.estimators
