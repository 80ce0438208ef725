"""Tooling that turns Galileo's published OpenAPI document into the generated package.

The pipeline is: fetch (download + select the operations we ship) -> normalize (patches the generator
needs) -> generate (openapi-python-client, then headers and ``py.typed``). Each step is a module with a
``main`` so the Makefile targets stay one line each.
"""
