"""A rebuild that publishes a new index version is served without a restart and
without a failed request; a version that cannot open leaves the old one serving."""
from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from serve_helpers import ServerThread, add_and_rebuild, build_index, make_app, make_client

NEW_DOC = """---
title: Новина
lang: ru
kind: original
source: new-source.example
date: 2025-10-05
---
Генерал заявил, что мосты через реку Ворсклу будут закрыты до весны.
"""
NEW_QUOTE = "Генерал заявил, что мосты через реку Ворсклу будут закрыты до весны."


@pytest.fixture
def own_index(tmp_path, fake_encoder_setting):
    return build_index(tmp_path / "index")


def test_new_version_is_picked_up_without_a_failed_request(own_index, fake_aligner):
    app = make_app(own_index, workers=2)
    seen: list[tuple[int, str]] = []
    stop = threading.Event()

    def client_loop(url: str) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while not stop.is_set():
                r = http.post("/api/lookup", json={"quote": NEW_QUOTE, "k": 1})
                seen.append((r.status_code, r.headers.get("x-tracer-index-version", "")))

    with ServerThread(app) as server:
        clients = [threading.Thread(target=client_loop, args=(server.url,)) for _ in range(3)]
        for c in clients:
            c.start()
        try:
            while len(seen) < 10:
                time.sleep(0.05)
            published = add_and_rebuild(own_index, "new.md", NEW_DOC)
            deadline = time.time() + 30
            while not any(v == published for _, v in seen[-3:]) and time.time() < deadline:
                time.sleep(0.05)
            before = len(seen)
            while len(seen) < before + 10:
                time.sleep(0.05)
        finally:
            stop.set()
            for c in clients:
                c.join(30)
        with httpx.Client(base_url=server.url) as http:
            after = http.post("/api/lookup", json={"quote": NEW_QUOTE, "k": 1}).json()
        info = app.state.tracer.serving.info()
    assert published == "v000002"
    assert {status for status, _ in seen} == {200}, [s for s in seen if s[0] != 200][:5]
    versions = [v for _, v in seen]
    assert versions[0] == "v000001" and versions[-1] == "v000002"
    assert after["matches"][0]["source"] == "new-source.example"  # the new version's document
    assert info.serving == "v000002" and info.switches == 1 and info.last_error is None


def test_old_version_stays_open_for_its_in_flight_request(own_index, fake_aligner):
    app = make_app(own_index, workers=1)
    serving = app.state.tracer.serving
    gate = threading.Event()

    def slow_lookup(tracer):
        gate.wait(30)  # still running when the new version takes over
        return tracer.lookup(NEW_QUOTE, k=1).matches[0].doc_id

    async def scenario():
        slow = asyncio.ensure_future(serving.call(slow_lookup))
        await asyncio.sleep(0.1)
        add_and_rebuild(own_index, "new.md", NEW_DOC)
        serving.check_for_new_version()  # what every request does first
        while serving.info().serving != "v000002":
            await asyncio.sleep(0.05)
        # new requests go to the new version while the old one still works on its request
        fresh, version = await serving.call(lambda tracer: tracer.lookup(NEW_QUOTE, k=1).matches[0].source)
        assert (fresh, version) == ("new-source.example", "v000002")
        assert serving.engines_closed == 0
        gate.set()
        doc_id, old_version = await slow
        return doc_id, old_version

    try:
        doc_id, old_version = asyncio.run(scenario())
        assert old_version == "v000001" and doc_id
        deadline = time.time() + 10
        while serving.engines_closed != 1 and time.time() < deadline:
            time.sleep(0.05)
        assert serving.engines_closed == 1
    finally:
        gate.set()
        app.state.tracer.close()


def test_a_version_that_cannot_open_leaves_the_old_one_serving(own_index, fake_aligner):
    from fakes import FakeEncoder

    app = make_app(own_index, workers=1)
    try:
        with make_client(app) as client:
            assert client.get("/api/status").headers["x-tracer-index-version"] == "v000001"
            # published by a tracer configured with another encoder: this server cannot read it
            add_and_rebuild(own_index, "new.md", NEW_DOC, encoder=FakeEncoder(id="fake/other-encoder"))
            deadline = time.time() + 30
            while time.time() < deadline:
                r = client.post("/api/lookup", json={"quote": NEW_QUOTE, "k": 1})
                assert r.status_code == 200
                info = app.state.tracer.serving.info()
                if info.last_error:
                    break
                time.sleep(0.05)
            assert info.serving == "v000001" and "v000002" in info.last_error and "encoder" in info.last_error
            assert r.headers["x-tracer-index-version"] == "v000001"
            page = client.get("/index")
            assert "could not open version v000002" in page.text and "still serving v000001" in page.text
    finally:
        app.state.tracer.close()
