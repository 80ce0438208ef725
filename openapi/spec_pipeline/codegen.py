"""Run openapi-python-client in this process, with the template facts installed, and return its warnings.

In-process rather than through its command line so that (1) ``template_facts`` can be computed from the parsed API
once and handed to the templates before anything renders, and (2) the warnings come back as data
(``GeneratorWarning``) that ``known_gaps`` can compare against the named, known ones, instead of text on stderr.
The calls are the ones the generator's own ``generate`` command makes (``Config.from_sources``,
``GeneratorData.from_dict``, ``Project.build``).
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_python_client import Project
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import ErrorLevel, GeneratorError, ParseError

from .errors import SpecPipelineError
from .open_enums import open_response_enums
from .template_facts import collect

_ENDPOINT_HEADER = re.compile(
    r"WARNING parsing (?P<method>[A-Z]+) (?P<path>\S+) within .*?\.(?P<dropped> Endpoint will not be generated\.)?$"
)
_SCHEMA_HEADER = re.compile(r"Unable to (?:parse|process) schema (?P<name>\S+?):?$")
# The generator puts some spec strings in its messages as `<...UntrustedString object at 0x7f...>`: not stable.
_OBJECT_REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>")


@dataclass(frozen=True, order=True)
class GeneratorWarning:
    """One thing the generator left out: an operation (``GET /path``) or a schema (``schema #/...``), and why."""

    subject: str
    problem: str
    dropped: bool  # an operation left out entirely; otherwise part of it (a response) or a schema

    @property
    def operation(self) -> str | None:
        return None if self.subject.startswith("schema ") else self.subject

    @property
    def key(self) -> str:
        """How ``openapi/known-gaps.yaml`` names it."""
        return f"{self.subject}: {self.problem}"


def generate_package(
    normalized_spec: dict[str, Any], config_file: Path, templates: Path | None, output: Path
) -> list[GeneratorWarning]:
    """Write the package for ``normalized_spec`` to ``output``; return its warnings (sorted, without repeats).

    Errors (as opposed to warnings) raise ``SpecPipelineError``: then nothing usable was written.
    """
    config = Config.from_sources(
        ConfigFile.load_from_path(config_file), MetaType.NONE, str(output), "utf-8", overwrite=False, output_path=output
    )
    openapi = GeneratorData.from_dict(normalized_spec, config=config)
    if isinstance(openapi, GeneratorError):
        raise SpecPipelineError(f"openapi-python-client cannot read the spec: {openapi.header}: {openapi.detail}")
    project = Project(openapi=openapi, config=config, custom_template_path=templates)
    open_response_enums(openapi)  # before the facts: they read the properties as they will be rendered
    project.env.globals["facts"] = collect(openapi)
    with contextlib.redirect_stdout(io.StringIO()):  # "Generating <dir>": the caller says what it generated
        problems = project.build()
    errors = [problem for problem in problems if problem.level == ErrorLevel.ERROR]
    if errors:
        raise SpecPipelineError("openapi-python-client failed: " + "; ".join(_message(error) for error in errors))
    return sorted({_warning(problem) for problem in problems})


def _message(error: GeneratorError) -> str:
    return " ".join(part.strip() for part in (error.header, error.detail or "") if part.strip())


def _warning(problem: GeneratorError) -> GeneratorWarning:
    header = problem.header.strip()
    problem_text = _OBJECT_REPR.sub("<...>", " ".join((problem.detail or "").split()))
    if endpoint := _ENDPOINT_HEADER.match(header):
        subject = f"{endpoint['method']} {endpoint['path']}"
        return GeneratorWarning(subject, problem_text, dropped=bool(endpoint["dropped"]))
    if schema := _SCHEMA_HEADER.match(header):
        return GeneratorWarning(f"schema {schema['name']}", problem_text, dropped=False)
    if isinstance(problem, ParseError) or problem.level == ErrorLevel.WARNING:
        return GeneratorWarning(header.rstrip(":"), problem_text, dropped=False)
    raise SpecPipelineError(f"unexpected generator message: {_message(problem)}")
