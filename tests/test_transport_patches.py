"""No patch on an httpx transport outlives its test: the leak vcrpy leaves when saving a cassette raises is undone."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import pytest
import vcr
from vcr.cassette import CassetteNotFoundError

from tests.transport_patches import TransportMethods


def _answer_204(request: httpx.Request) -> httpx.Response:
    return httpx.Response(204)


class _RefusingPersister:
    @staticmethod
    def load_cassette(cassette_path: str, serializer: Any) -> Any:
        raise CassetteNotFoundError

    @staticmethod
    def save_cassette(cassette_path: str, cassette_dict: dict[str, Any], serializer: Any) -> None:
        raise RuntimeError("refused")


def test_a_cassette_whose_saving_raises_leaves_its_patches_until_restored(tmp_path: Path) -> None:
    transports = TransportMethods()
    recording = vcr.VCR(record_mode="all")
    recording.register_persister(_RefusingPersister)
    with pytest.raises(RuntimeError, match="refused"), recording.use_cassette(str(tmp_path / "x.yaml")):
        httpx.Client(transport=httpx.MockTransport(_answer_204)).get("http://recorded.test/")
    assert "httpx.MockTransport.handle_request" in transports.changed()  # vcrpy's leak, as it happens

    assert transports.restore() == []  # its own unpatching ran, so nothing leaked past vcrpy
    assert transports.changed() == []
    assert httpx.Client(transport=httpx.MockTransport(_answer_204)).get("http://after.test/").status_code == 204


def test_a_patch_nothing_undoes_is_restored_and_named() -> None:
    transports = TransportMethods()
    original = vars(httpx.MockTransport)["handle_async_request"]
    setattr(httpx.MockTransport, "handle_async_request", mock.AsyncMock())  # noqa: B010 - a patch nothing undoes
    assert transports.restore() == ["httpx.MockTransport.handle_async_request"]
    assert vars(httpx.MockTransport)["handle_async_request"] is original
