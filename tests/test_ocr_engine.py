"""The Tesseract engine (pipeline/extract/engine.py): tesserocr kept loaded, or the tesseract command, read alike."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from PIL import Image

from pipeline.extract import engine, ocr
from pipeline.training import synth

from .conftest import INDONESIAN, ROOT


@pytest.fixture(autouse=True)
def fresh_engines():
    engine.reset()  # the engine is chosen once per process; these tests change BUKTI_OCR_ENGINE
    yield
    engine.reset()


@pytest.fixture(scope="module")
def library() -> engine.LibraryEngine:
    return engine.LibraryEngine(ocr._tessdata_dir())


def _page(dpi: int = 200) -> Image.Image:
    return synth.render_page(synth.wrap(INDONESIAN, 80), dpi=dpi)


def _structure(text: str) -> list[bool]:
    return [bool(line.strip()) for line in text.split("\n")]  # lines and the blank lines between paragraphs


@pytest.mark.slow
def test_both_engines_read_a_clean_page_alike(monkeypatch):
    page = synth.degrade(_page(), noise=6, blur=0.3)
    readings = {}
    for name in ("library", "command"):
        monkeypatch.setenv(engine.ENV, name)
        readings[name] = ocr.read(page, "ind+eng", 60.0, 200)
        assert engine.current().name == name
    for name, reading in readings.items():
        assert synth.char_error_rate(INDONESIAN, reading.text) < 0.02, name
        assert reading.confidence > 85, name
    lib, cmd = readings["library"], readings["command"]
    assert _structure(lib.text) == _structure(cmd.text)
    assert _structure(lib.text).count(False) >= 1  # the heading and the body are separate paragraphs
    assert abs(lib.words - cmd.words) <= 2 and lib.word_height == pytest.approx(cmd.word_height, abs=2)


@pytest.mark.slow
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_library_orientation_agrees_with_the_command(library, turn):
    page = synth.degrade(_page(), noise=5).rotate(turn, expand=True)
    lib, cmd = library.osd(page, 30.0), engine.CommandEngine().osd(page, 30.0)
    assert lib is not None and cmd is not None
    assert lib[0] == cmd[0] == turn  # PIL turns counter-clockwise: the page needs `turn` clockwise
    assert lib[1] >= 1.0 and cmd[1] >= 1.0


def test_orientation_of_a_blank_page_is_none_as_the_command_says(library, monkeypatch):
    blank = Image.new("L", (1200, 1600), 255)
    assert library.osd(blank, 30.0) is None
    monkeypatch.setenv(engine.ENV, "library")
    assert ocr.orientation(blank, 30.0) == (0, 0.0)


def test_a_library_read_past_its_timeout_raises_and_the_api_recovers(library, monkeypatch):
    page = _page()
    with pytest.raises(engine.TesseractTimeout, match="timeout") as caught:
        library.words(page, "ind+eng", 0.01, 200)
    assert isinstance(caught.value, RuntimeError)  # what ocr._optional_read abandons a second reading on
    monkeypatch.setenv(engine.ENV, "library")
    monkeypatch.setattr(engine, "_engine", lambda wanted: library)
    budget = ocr._Budget(0.01)
    assert ocr._optional_read(page, "ind+eng", budget, 200) is None
    words = library.words(page.crop((0, 0, page.width, page.height // 4)), "ind+eng", 60.0, 200)
    assert "PEMERINTAH" in [w.text for w in words]  # the kept API reads again after a timeout


def test_an_api_is_reused_within_a_thread_and_not_shared_across_threads(library, monkeypatch):
    mine = library.api("eng", engine.PSM_AUTO)
    assert library.api("eng", engine.PSM_AUTO) is mine
    assert library.api("eng", engine.PSM_OSD_ONLY) is not mine
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(library.api("eng", engine.PSM_AUTO)))
    thread.start()
    thread.join()
    assert theirs and theirs[0] is not mine
    # A process forked from this one (its pid differs) loads its own rather than use the parent's copy.
    monkeypatch.setattr(engine.os, "getpid", lambda: -1)
    assert library.api("eng", engine.PSM_AUTO) is not mine


def _python(code: str, **env: str) -> str:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env={**os.environ, **env})
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_the_command_engine_uses_no_tesserocr():
    out = _python(
        "import sys\n"
        "from PIL import Image, ImageDraw\n"
        "from pipeline.extract import engine, ocr\n"
        "img = Image.new('L', (600, 80), 255)\n"
        "ImageDraw.Draw(img).text((10, 30), 'Dinas Pendidikan', fill=0)\n"
        "ocr.read(img, 'eng', 30.0, None)\n"
        "print(engine.current().name, 'tesserocr' in sys.modules)", **{engine.ENV: "command"})
    assert out == "command False"


def test_the_forkserver_preload_makes_no_engine():
    # worker_process.worker_context preloads these; an API made there would be copied into every worker.
    out = _python("import sys\nimport pipeline.extract.read, pipeline.extract.worker_process\n"
                  "from pipeline.extract import engine\n"
                  "print('tesserocr' in sys.modules, engine._engine.cache_info().currsize)")
    assert out == "False 0"


def test_an_unknown_engine_fails_clearly(monkeypatch):
    monkeypatch.setenv(engine.ENV, "gpu")
    with pytest.raises(ValueError, match="auto, library, command"):
        engine.current()
    with pytest.raises(ValueError, match="BUKTI_OCR_ENGINE"):
        ocr.read(Image.new("L", (100, 100), 255), "eng", 10.0, None)


def test_library_wanted_but_missing_fails_and_auto_falls_back(monkeypatch):
    monkeypatch.setitem(sys.modules, "tesserocr", None)  # import tesserocr now raises ImportError
    monkeypatch.setenv(engine.ENV, "library")
    with pytest.raises(engine.EngineUnavailable, match="tesserocr"):
        engine.current()
    monkeypatch.setenv(engine.ENV, "auto")
    chosen = engine.current()
    assert chosen.name == "command" and "tesserocr" in chosen.why
    assert "(command; tesserocr" in engine.describe()


def test_the_engine_names_itself(monkeypatch):
    monkeypatch.delenv(engine.ENV, raising=False)
    assert engine.describe().startswith("tesserocr ") and "(Tesseract 5." in engine.describe()
    monkeypatch.setenv(engine.ENV, "command")
    assert engine.describe().startswith("tesseract ") and engine.describe().endswith("(command)")


def test_the_library_sees_the_resolution_the_command_saw():
    img = Image.new("L", (10, 10), 255)
    assert engine.source_resolution(img, 200.4) == 200
    assert engine.source_resolution(img, None) == 96  # Pillow's BMP header default
    img.info["dpi"] = (72.0, 72.0)  # a camera's
    assert engine.source_resolution(img, None) == 72


def test_tsv_words_carry_their_block_paragraph_and_line():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t\n"
           "4\t1\t1\t1\t1\t0\t10\t10\t300\t30\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t10\t10\t120\t28\t96.5\tDINAS\n"
           "5\t1\t1\t1\t1\t2\t140\t10\t120\t27\t95.0\t \n"
           "5\t1\t2\t1\t1\t1\t10\t60\t120\t25\t91.25\tLaporan\n")
    assert engine.parse_tsv(tsv) == [engine.Word("DINAS", 96.5, 28, (1, 1, 1)),
                                     engine.Word("Laporan", 91.25, 25, (2, 1, 1))]
