from tracer.config import Settings
from tracer.encoders.factory import encoder_for
from tracer.encoders.lowercase import LowercasedEncoder

from fakes import FakeEncoder


def test_texts_are_lowercased_and_the_id_says_so():
    inner = FakeEncoder()
    enc = LowercasedEncoder(inner)
    assert enc.id == "fake/trigram-64|lower" and enc.dim == inner.dim
    assert (enc.encode_query(["Армия ЗСУ"]) == inner.encode_query(["армия зсу"])).all()
    assert (enc.encode_document(["Syrskyi SAID"]) == inner.encode_document(["syrskyi said"])).all()


def test_settings_choose_the_wrapper():
    assert encoder_for(Settings()).id.endswith("|lower")
    assert not encoder_for(Settings(lowercase=False)).id.endswith("|lower")
