"""How an adapter is chosen: by name from its kind's registry, or by the scheme of a URL setting.

Each kind of adapter — image backends, translators, image stores, metadata stores, caches, rate
limiters, job queues — has one tuple of names in :mod:`lightrig.config` (read from a ``Literal``)
that the settings are checked against and every message lists; the first name is the embedded
default. Its factory module holds one ``{name: lazy factory}`` registry with those names (a test
holds the two together), and each factory imports its adapter only when called, so an adapter
that is not chosen never loads its dependencies.

A kind set by a URL (``LIGHTRIG_STORAGE_URL``, ``_DATABASE_URL``, ``_REDIS_URL``, ``_QUEUE_URL``)
is chosen by the URL's scheme, which is the adapter's name: ``s3://bucket`` is the ``s3`` store,
``postgresql://host/db`` the ``postgresql`` store. A ``+driver`` suffix is not part of the name
(``sqlite+aiosqlite:///x.db`` is ``sqlite``), and :data:`SCHEME_SPELLINGS` lists the other
spellings of a scheme. Without the URL the kind's embedded default is chosen.

Nothing here imports beyond the standard library: :mod:`lightrig.config` checks the settings
with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["SCHEME_SPELLINGS", "UrlChoice", "choose", "url_scheme"]

F = TypeVar("F")

#: Other spellings of a URL scheme, and the adapter name each stands for: PostgreSQL's short name,
#: and Redis over TLS and over a Unix socket.
SCHEME_SPELLINGS: Mapping[str, str] = {"postgres": "postgresql", "rediss": "redis", "unix": "redis"}


def choose(kind: str, name: str, factories: Mapping[str, F]) -> F:
    """The factory registered as ``name`` among ``factories`` (``kind`` names what they make,
    e.g. ``cache``, for the message); :class:`ValueError`, one line listing the names there
    are, for any other name."""
    factory = factories.get(name)
    if factory is None:
        raise ValueError(f"unknown {kind} {name!r}; accepted: {', '.join(factories)}")
    return factory


def url_scheme(url: str) -> str | None:
    """The scheme of ``url``, lower-cased and without a ``+driver`` suffix; ``None`` when
    ``url`` is a path (no ``scheme:`` before it, or a one-letter drive such as ``C:``)."""
    scheme, colon, _ = url.partition(":")
    if not colon or len(scheme) < 2 or not scheme[0].isalpha():
        return None
    if not all(char.isalnum() or char in "+-." for char in scheme):
        return None
    return scheme.lower().partition("+")[0]


@dataclass(frozen=True, slots=True)
class UrlChoice:
    """How one URL setting chooses among a kind's adapters.

    ``names`` are the kind's adapter names, the embedded default first: it is chosen when the
    URL is unset or blank. ``default_by_url`` says whether the default may also be named by a
    URL (``sqlite:///file.db``: yes; the in-memory cache: no, it has no URL). ``folder``: a
    bare path (``~/pictures``, ``C:\\images``) chooses the default, which keeps files there.
    ``what`` names the URL in messages, e.g. ``database URL``.
    """

    what: str
    names: tuple[str, ...]
    default_by_url: bool = True
    folder: bool = False

    @property
    def default(self) -> str:
        """The embedded adapter's name: what an unset URL chooses."""
        return self.names[0]

    @property
    def schemes(self) -> tuple[str, ...]:
        """The URL schemes accepted: the names a URL may choose, then their other spellings."""
        named = self.names if self.default_by_url else self.names[1:]
        others = tuple(other for other, name in SCHEME_SPELLINGS.items() if name in named)
        return named + others

    @property
    def accepted(self) -> str:
        """What the URL may be, for messages: ``a folder path, file://, s3://``."""
        forms = [f"{scheme}://" for scheme in self.schemes]
        return ", ".join((["a folder path"] if self.folder else []) + forms)

    def name(self, url: str | None) -> str:
        """The adapter ``url`` chooses. :class:`ValueError`, one line with the scheme and what
        is accepted (never the rest of the URL, which may hold a password), for a scheme no
        adapter answers to, or for a path where a URL is needed."""
        if url is None or not url.strip():
            return self.default
        scheme = url_scheme(url.strip())
        if scheme is None:
            if self.folder:
                return self.default
            raise ValueError(f"a {self.what} needs a scheme; accepted: {self.accepted}")
        if scheme not in self.schemes:
            raise ValueError(
                f"unsupported {self.what} scheme {scheme!r}; accepted: {self.accepted}"
            )
        return SCHEME_SPELLINGS.get(scheme, scheme)
