"""The methods a path takes, for the ``Allow`` header of a 405 answer.

Starlette answers a wrong method with the methods of the first route whose path matches, but a
path may have several routes (``GET`` and ``POST /v1/generations`` are two): ``Allow`` must
list every one of them (RFC 9110 §15.5.6), as the OpenAPI document does. So the answer is read
from the document: the methods of the path template the path matches — a concrete path before
a templated one (``/v1/generations/natural-language`` before ``/v1/generations/{id}``), as
OpenAPI matches them.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["AllowedMethods"]

#: The order ``Allow`` lists methods in (any others follow, alphabetically).
_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_METHODS = frozenset(method.lower() for method in _ORDER) | {"trace", "query"}
_PARAMETER = re.compile(r"\{[^{}/]+\}")


def _template(path: str) -> re.Pattern[str]:
    parts = _PARAMETER.split(path)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


def _ordered(methods: set[str]) -> list[str]:
    return sorted(methods, key=lambda m: (_ORDER.index(m) if m in _ORDER else len(_ORDER), m))


class AllowedMethods:
    """The methods of every path of an OpenAPI ``document`` (a dict, as ``app.openapi()``)."""

    def __init__(self, document: dict[str, Any]) -> None:
        templates = []
        for path, item in document.get("paths", {}).items():
            methods = {name.upper() for name in item if name in _METHODS}
            # the fewer parameters, the more concrete: tried first
            templates.append((path.count("{"), _template(path), _ordered(methods)))
        templates.sort(key=lambda entry: entry[0])
        self._templates = [(pattern, methods) for _, pattern, methods in templates]

    def of(self, path: str) -> list[str]:
        """The methods ``path`` takes, in the usual order; empty for a path not in the
        document."""
        for pattern, methods in self._templates:
            if pattern.fullmatch(path):
                return methods
        return []
