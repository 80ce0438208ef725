"""The one error type the pipeline raises, so the command-line entry points can print it as one line."""


class SpecPipelineError(Exception):
    """Something about the input spec or its download is not what the pipeline expects."""
