"""Recording settings for the live contract check: what is scrubbed before a cassette is written (see ``recording``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from vcr import VCR

from tests.live.recording import RecordingSecrets, SecretScanningPersister, vcr_config

CASSETTE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "cassettes" / "live"
SECRETS = RecordingSecrets(os.environ)


def pytest_recording_configure(config: pytest.Config, vcr: VCR) -> None:
    vcr.register_persister(SecretScanningPersister(vcr.persister, SECRETS))


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTE_DIR)


@pytest.fixture(name="vcr_config")
def recording_config() -> dict[str, Any]:
    return vcr_config(os.environ, SECRETS)
