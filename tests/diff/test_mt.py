"""Optional machine translation: a tiny real model through argostranslate's real code, offline.

The model comes from make_tiny_model.py (CTranslate2 + SentencePiece, built
in ~0.1 s): it translates a toy Ukrainian→English lexicon word by word and
copies everything else, so outputs are exact and deterministic.
"""
import json
import socket
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import ROOT
from make_tiny_model import build_package, build_tiny_model, zip_package

from tracer.errors import InputError, TracerError
from tracer.diff.mt import (
    ArgosTranslator,
    DiffOp,
    get_translator,
    install_model,
    list_models,
    models_dir,
    mt_compare,
    no_translation_message,
    word_diff,
)

EN_RU = {"you": "ты", "nothing": "ничто", "go": "иди", "to": "в", "treeline": "лесополосу", "said": "сказал"}


@pytest.fixture(scope="module")
def uk_en(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("uk_en"))


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """Any network access fails the test; argostranslate's home folders go to tmp."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "xdg" / var.lower()))
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("TRACER_MT_MODELS_DIR", str(tmp_path / "models"))


@pytest.fixture
def installed(uk_en) -> Path:
    return install_model(uk_en).path


# ------------------------------------------------------------------ no MT


def test_no_model_installed_means_no_translator(tmp_path):
    assert get_translator() is None  # folder does not even exist
    (tmp_path / "models").mkdir()
    assert get_translator() is None and list_models() == []
    result = mt_compare("you're nothing", "en", "ти ніщо", "uk")
    assert result.translation is None and result.ops == ()
    assert result.note == no_translation_message("uk", "en")
    assert result.note == "no machine translation installed for uk→en; install one with `tracer models install FILE.argosmodel`"
    json.dumps(result.to_dict())


def test_no_mt_path_imports_nothing_heavy(tmp_path):
    code = (
        "import sys\n"
        "from tracer.diff.mt import get_translator, mt_compare\n"
        "assert get_translator(sys.argv[1]) is None\n"
        "assert mt_compare('a', 'en', 'б', 'uk').translation is None\n"
        "heavy = [m for m in ('argostranslate', 'ctranslate2', 'sentencepiece', 'stanza', 'spacy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "empty")], check=True, cwd=ROOT)


# ------------------------------------------------------------- the MT path


def test_install_list_and_translate(installed):
    (model,) = list_models()
    assert (model.from_code, model.to_code, model.version, model.problem) == ("uk", "en", "1.0", None)
    assert model.path == installed and model.pair == "uk→en"
    tr = get_translator()
    assert tr is not None and tr.available_pairs() == [("uk", "en")]
    assert tr.can_translate("uk", "en") and not tr.can_translate("en", "uk")
    assert tr.translate("ти ніщо, йди в посадку!", "uk", "en") == "you nothing, go to treeline!"
    # Unknown words and figures are copied through; sentences and paragraphs kept.
    text = "Зеленський сказав, що ми переможемо.\n\nблизько 250 тисяч людей. Він не було!"
    assert tr.translate(text, "uk", "en") == "Зеленський said, that we win.\n\nabout 250 thousand people. Він not was!"
    assert tr.translate("", "uk", "en") == ""
    # Deterministic, also across freshly loaded translators.
    assert get_translator().translate(text, "uk", "en") == tr.translate(text, "uk", "en")
    with pytest.raises(InputError, match="no machine translation installed for en→uk"):
        tr.translate("you", "en", "uk")


def test_translation_goes_through_argostranslate(installed):
    import argostranslate.package
    import argostranslate.translate
    import ctranslate2

    tr = get_translator()
    assert isinstance(tr, ArgosTranslator)
    assert tr.translate("ти ніщо", "uk", "en") == "you nothing"
    translation = tr._translation(("uk", "en"))
    assert isinstance(translation, argostranslate.translate.PackageTranslation)
    assert isinstance(translation.pkg, argostranslate.package.Package)
    assert isinstance(translation.translator, ctranslate2.Translator)
    assert type(translation.pkg.tokenizer).__name__ == "SentencePieceTokenizer"
    # The same package through argostranslate's own public API, our sentence splitting aside.
    pkg = argostranslate.package.get_installed_packages(path=[installed.parent])[0]
    assert (pkg.from_code, pkg.to_code) == ("uk", "en")


def test_pivot_through_a_shared_language(installed, tmp_path):
    install_model(build_tiny_model(tmp_path / "en_ru", "en", "ru", EN_RU))
    tr = get_translator()
    assert tr.available_pairs() == [("en", "ru"), ("uk", "en"), ("uk", "ru")]
    assert tr.translate("ти ніщо, йди в посадку", "uk", "ru") == "ты ничто, иди в лесополосу"


def test_mt_compare_shows_what_the_quote_changed(installed):
    quote, original = "you're nothing, go to the bunker", "ти ніщо, йди в посадку"
    result = mt_compare(quote, "en", original, "uk")
    assert result.translation == "you nothing, go to treeline" and result.engine == "argostranslate"
    changed = [(result.translation[a[0]:a[1]], quote[b[0]:b[1]]) for op, a, b in result.changed]
    assert ("treeline", "the bunker") in changed
    assert json.loads(json.dumps(result.to_dict()))["word_diff"][-1] == ["replace", [19, 27], [22, 32]]
    same = mt_compare("go to the bunker", "en", "Go to the bunker!", "en")
    assert same.note.startswith("same language") and [op.op for op in same.changed] == ["delete"]


def test_reinstall_replaces_the_pair(installed, uk_en, tmp_path):
    install_model(uk_en)
    assert [m.path for m in list_models()] == [installed]
    newer = zip_package(build_package(tmp_path / "v2", version="1.1"), tmp_path / "newer.argosmodel")
    model = install_model(newer)
    assert [(m.version, m.path) for m in list_models()] == [("1.1", model.path)]
    assert not installed.exists()
    assert not [p for p in model.path.parent.iterdir() if p.name.startswith(".")]


def test_archive_without_top_folder(uk_en, tmp_path):
    flat = zip_package(build_package(tmp_path / "flat"), tmp_path / "flat.argosmodel", with_root=False)
    model = install_model(flat)
    assert model.path.name == "translate-uk_en" and get_translator().translate("ти", "uk", "en") == "you"


def test_broken_weights_fail_with_one_clear_error(tmp_path):
    folder = build_package(tmp_path / "broken")
    (folder / "model" / "model.bin").write_bytes(b"not a model")
    install_model(zip_package(folder, tmp_path / "broken.argosmodel"))
    with pytest.raises(TracerError, match=r"uk→en machine translation model in .* could not be loaded") as err:
        get_translator().translate("ти", "uk", "en")
    assert "\n" not in str(err.value)
    result = mt_compare("you", "en", "ти", "uk")  # a diff goes on without MT, and says why
    assert result.translation is None and "could not be loaded" in result.note


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


GOOD_META = json.dumps({"from_code": "uk", "to_code": "en"})


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda d: d / "missing.argosmodel", "model file not found"),
        (lambda d: d, "is a folder"),
        (lambda d: (d / "x.argosmodel").write_text("hello") and d / "x.argosmodel", "not an Argos Translate model (.argosmodel files are zip archives)"),
        (lambda d: _zip(d / "x.argosmodel", {"pkg/model/model.bin": b"x"}), "has no metadata.json"),
        (lambda d: _zip(d / "x.argosmodel", {"pkg/metadata.json": "{bad", "pkg/model/model.bin": b"", "pkg/sentencepiece.model": b""}), "not valid JSON"),
        (lambda d: _zip(d / "x.argosmodel", {"pkg/metadata.json": '{"from_code": "uk"}', "pkg/model/model.bin": b"", "pkg/sentencepiece.model": b""}), "has no to_code"),
        (lambda d: _zip(d / "x.argosmodel", {"pkg/metadata.json": GOOD_META, "pkg/sentencepiece.model": b""}), "no CTranslate2 model"),
        (lambda d: _zip(d / "x.argosmodel", {"pkg/metadata.json": GOOD_META, "pkg/model/model.bin": b""}), "no tokenizer"),
        (lambda d: _zip(d / "x.argosmodel", {"pkg/metadata.json": GOOD_META, "pkg/model/model.bin": b"", "pkg/sentencepiece.model": b"", "../evil": b""}), "unsafe file name"),
    ],
)
def test_bad_model_files_give_one_line_errors(tmp_path, make, fragment):
    src = tmp_path / "src"
    src.mkdir()
    with pytest.raises(InputError) as err:
        install_model(make(src))
    assert fragment in str(err.value) and "\n" not in str(err.value)
    models = tmp_path / "models"
    assert not models.exists() or not list(models.iterdir())  # nothing half-installed


# --------------------------------------------------------------- settings


def test_models_dir_precedence(monkeypatch, tmp_path):
    assert models_dir("given") == Path("given")
    assert models_dir() == tmp_path / "models"
    monkeypatch.delenv("TRACER_MT_MODELS_DIR")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos"))
    assert models_dir() == tmp_path / "argos"
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    assert models_dir() == tmp_path / "xdg" / "xdg_data_home" / "argos-translate" / "packages"
    config = tmp_path / "xdg" / "xdg_config_home" / "argos-translate"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "configured")}))
    assert models_dir() == tmp_path / "configured"


# --------------------------------------------------------------- word diff


def test_word_diff_offsets():
    a, b = "About 250 thousand people came.", "250,000 people  came!"
    ops = word_diff(a, b)
    assert all(isinstance(op, DiffOp) for op in ops)
    seen = [(op.op, a[op.a_span[0]:op.a_span[1]], b[op.b_span[0]:op.b_span[1]]) for op in ops]
    assert seen == [
        ("replace", "About 250 thousand", "250,000"),
        ("equal", "people came", "people  came"),
        ("replace", ".", "!"),
    ]
    a, b = "go to the tree line now", "go tree line"
    assert word_diff(a, b) == [
        DiffOp("equal", (0, 2), (0, 2)),
        DiffOp("delete", (3, 9), (3, 3)),  # a deletion points at where it would be in b
        DiffOp("equal", (10, 19), (3, 12)),
        DiffOp("delete", (20, 23), (12, 12)),
    ]
    assert word_diff("Go home", "go HOME") == [DiffOp("equal", (0, 7), (0, 7))]
    assert word_diff("", "") == []
    assert word_diff("", "new words") == [DiffOp("insert", (0, 0), (0, 9))]
    assert word_diff("old", "old words") == [DiffOp("equal", (0, 3), (0, 3)), DiffOp("insert", (3, 3), (4, 9))]


# --------------------------------------------------------------------- CLI


@pytest.fixture
def cli():
    from tracer.cli.app import app
    from tracer.cli.models_cmds import register

    register(app)
    register(app)  # idempotent
    return app


def test_cli_install_and_list(cli, uk_en, tmp_path):
    runner = CliRunner()
    empty = runner.invoke(cli, ["models", "list"])
    assert empty.exit_code == 0 and "no machine translation models installed" in empty.output
    result = runner.invoke(cli, ["models", "install", str(uk_en)])
    assert result.exit_code == 0, result.output
    assert "installed uk→en" in result.output
    again = runner.invoke(cli, ["models", "install", str(uk_en)])
    assert "replacing the previous one" in again.output
    listed = runner.invoke(cli, ["models", "list"])
    assert listed.exit_code == 0 and listed.output.startswith("uk→en\t")
    as_json = json.loads(runner.invoke(cli, ["models", "list", "--json"]).output)
    assert [(m["from_code"], m["to_code"], m["usable"]) for m in as_json] == [("uk", "en", True)]
    other = tmp_path / "elsewhere"
    assert runner.invoke(cli, ["models", "install", str(uk_en), "--models-dir", str(other)]).exit_code == 0
    assert [m.pair for m in list_models(other)] == ["uk→en"]


@pytest.mark.parametrize("command", ["install", "list"])
def test_models_commands_have_examples(cli, command):
    result = CliRunner().invoke(cli, ["models", command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_cli_errors_are_one_line(tmp_path):
    (tmp_path / "text.argosmodel").write_text("hello")
    _zip(tmp_path / "nometa.argosmodel", {"pkg/model/model.bin": b""})
    code = "from tracer.cli.app import app, main\nfrom tracer.cli.models_cmds import register\nregister(app)\nmain()\n"
    for name, fragment in [("missing.argosmodel", "not found"), ("text.argosmodel", "zip"), ("nometa.argosmodel", "metadata.json")]:
        proc = subprocess.run(
            [sys.executable, "-c", code, "models", "install", str(tmp_path / name), "--models-dir", str(tmp_path / "m")],
            capture_output=True, text=True, cwd=ROOT,
        )
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1, proc.stderr
        assert lines[0].startswith("tracer: ") and fragment in lines[0]
