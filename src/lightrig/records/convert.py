"""A :class:`GenerationRecord` in its two other shapes: the public
:class:`~lightrig.models.generation.GenerationResponse` (what the library, the API and the command
line return) and a row of the metadata store's ``generations`` table (plain values by column
name: JSON documents as dictionaries, statuses as their values, aware UTC datetimes). Every
conversion is here, both ways.

The public shape flattens the image (``image_url``, ``image_key``, ``media_type``, ``width``,
``height``), gives ``seed`` beside the parameters, and keeps the parameters as plain data
(:meth:`GenerationParams.describe`); it leaves out the run's bookkeeping (lease, job, due time,
first start), which a record made from a response therefore lacks. A row holds everything; its
lease columns linger after a run ends, and mean something only while the record is ``running``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, fields
from typing import Any

from pydantic import TypeAdapter

from lightrig.models.adherence import Adherence
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.gate import GatePolicy, GateReport
from lightrig.models.generation import GenerationResponse, GenerationStatus, SourcePhoto
from lightrig.models.params import GenerationParams
from lightrig.models.scene import SceneRequest
from lightrig.records.record import GenerationRecord, Lease, StoredImage

__all__ = [
    "COLUMNS",
    "IDENTITY_COLUMNS",
    "OUTCOME_COLUMNS",
    "from_response",
    "from_row",
    "params_from_document",
    "to_response",
    "to_row",
]

#: Every column of ``generations``, in the table's order.
COLUMNS: tuple[str, ...] = (
    "id",
    "status",
    "user_id",
    "image_url",
    "image_key",
    "media_type",
    "width",
    "height",
    "structured_prompt",
    "request",
    "analysis",
    "adherence",
    "backend",
    "backend_request_id",
    "seed",
    "params",
    "cost_usd",
    "possible_duplicates",
    "duration_s",
    "cached",
    "parent_id",
    "batch_id",
    "batch_index",
    "error",
    "created_at",
    "completed_at",
    "started_at",
    "lease_expires_at",
    "worker",
    "attempts",
    "job",
    "due_at",
    "source_url",
    "source_key",
    "source_media_type",
    "source_width",
    "source_height",
    "gate",
    "gate_id",
    "gate_index",
)
#: The columns that say which generation it is, whose, and where it belongs.
IDENTITY_COLUMNS: tuple[str, ...] = (
    "id",
    "user_id",
    "parent_id",
    "batch_id",
    "batch_index",
    "gate_id",
    "gate_index",
    "created_at",
)
#: The columns a finished run writes: its status and outcome (the lease columns are the
#: store's to end, the attempts its to count, and what was asked never changes).
OUTCOME_COLUMNS: tuple[str, ...] = (
    "status",
    "image_url",
    "image_key",
    "media_type",
    "width",
    "height",
    "adherence",
    "backend_request_id",
    "cost_usd",
    "possible_duplicates",
    "duration_s",
    "cached",
    "error",
    "completed_at",
)

_PARAMS = TypeAdapter(GenerationParams)
_PARAM_NAMES = frozenset(field.name for field in fields(GenerationParams))


def params_from_document(document: Mapping[str, Any]) -> GenerationParams:
    """The :class:`GenerationParams` a record's ``params`` document describes (what
    :meth:`GenerationParams.describe` wrote), its defaults for the names it lacks.
    ``ValueError`` (pydantic's ``ValidationError``) for a name it does not know or a value of
    the wrong kind, so that nothing is dropped unseen."""
    unknown = sorted(set(document) - _PARAM_NAMES)
    if unknown:
        raise ValueError(
            f"params: {', '.join(unknown)} not among {', '.join(sorted(_PARAM_NAMES))}"
        )
    return _PARAMS.validate_python(dict(document))


def _image(
    url: str | None, key: str | None, media_type: str | None, width: int | None, height: int | None
) -> StoredImage | None:
    if url is None or key is None or media_type is None or width is None or height is None:
        return None
    return StoredImage(url=url, key=key, media_type=media_type, width=width, height=height)


# --------------------------------------------------------------------------- the public shape


def to_response(record: GenerationRecord, gate: GateReport | None = None) -> GenerationResponse:
    """The public shape of ``record``, with its adherence gate's report when given (the
    report is made from the gate's attempts, not kept on the record)."""
    image = record.image
    return GenerationResponse(
        generation_id=record.generation_id,
        status=record.status,
        user_id=record.user_id,
        image_url=None if image is None else image.url,
        image_key=None if image is None else image.key,
        media_type=None if image is None else image.media_type,
        width=None if image is None else image.width,
        height=None if image is None else image.height,
        structured_prompt=record.structured_prompt,
        request=record.request,
        analysis=record.analysis,
        backend=record.backend,
        backend_request_id=record.backend_request_id,
        seed=record.seed,
        params=None if record.params is None else record.params.describe(),
        cost_usd=record.cost_usd,
        possible_duplicates=record.possible_duplicates,
        duration_s=record.duration_s,
        cached=record.cached,
        parent_id=record.parent_id,
        batch_id=record.batch_id,
        batch_index=record.batch_index,
        gate_id=record.gate_id,
        gate_index=record.gate_index,
        gate=gate,
        error=record.error,
        attempts=record.attempts,
        adherence=record.adherence,
        created_at=record.created_at,
        completed_at=record.completed_at,
        source=None if record.source is None else SourcePhoto(**asdict(record.source)),
    )


def from_response(response: GenerationResponse) -> GenerationRecord:
    """The record a public ``response`` shows (without the run's bookkeeping it leaves out:
    lease, job, due time, first start). ``ValueError`` for parameters that are not
    :class:`GenerationParams`."""
    params = None
    if response.params is not None:
        document = dict(response.params)
        if response.seed is not None:
            document.setdefault("seed", response.seed)
        params = params_from_document(document)
    return GenerationRecord(
        generation_id=response.generation_id,
        created_at=response.created_at,
        user_id=response.user_id,
        request=response.request,
        structured_prompt=response.structured_prompt,
        analysis=response.analysis,
        backend=response.backend,
        params=params,
        parent_id=response.parent_id,
        batch_id=response.batch_id,
        batch_index=response.batch_index,
        gate=None if response.gate is None else response.gate.policy,
        gate_id=response.gate_id if response.gate is not None else None,
        gate_index=response.gate_index if response.gate is not None else None,
        status=response.status,
        attempts=response.attempts,
        backend_request_id=response.backend_request_id,
        image=_image(
            response.image_url,
            response.image_key,
            response.media_type,
            response.width,
            response.height,
        ),
        cached=response.cached,
        cost_usd=response.cost_usd,
        possible_duplicates=response.possible_duplicates,
        duration_s=response.duration_s,
        adherence=response.adherence,
        error=response.error,
        completed_at=response.completed_at,
        source=None if response.source is None else StoredImage(**response.source.model_dump()),
    )


# --------------------------------------------------------------------------- rows


def _document(model: SceneRequest | LightingAnalysis | Adherence | GatePolicy | None) -> Any:
    return None if model is None else model.model_dump(mode="json")


def to_row(record: GenerationRecord, columns: Iterable[str] | None = None) -> dict[str, Any]:
    """``record`` as values of ``generations``' ``columns`` (every one by default; a name that
    is not a column is a ``KeyError``)."""
    image, lease, source = record.image, record.lease, record.source
    every: dict[str, Any] = {
        "id": record.generation_id,
        "status": record.status.value,
        "user_id": record.user_id,
        "image_url": None if image is None else image.url,
        "image_key": None if image is None else image.key,
        "media_type": None if image is None else image.media_type,
        "width": None if image is None else image.width,
        "height": None if image is None else image.height,
        "structured_prompt": record.structured_prompt,
        "request": _document(record.request),
        "analysis": _document(record.analysis),
        "adherence": _document(record.adherence),
        "backend": record.backend,
        "backend_request_id": record.backend_request_id,
        "seed": record.seed,
        "params": None if record.params is None else record.params.describe(),
        "cost_usd": record.cost_usd,
        "possible_duplicates": record.possible_duplicates,
        "duration_s": record.duration_s,
        "cached": record.cached,
        "parent_id": record.parent_id,
        "batch_id": record.batch_id,
        "batch_index": record.batch_index,
        "error": record.error,
        "created_at": record.created_at,
        "completed_at": record.completed_at,
        "started_at": record.started_at,
        "lease_expires_at": None if lease is None else lease.expires_at,
        "worker": None if lease is None else lease.worker,
        "attempts": record.attempts,
        "job": record.job,
        "due_at": record.due_at,
        "source_url": None if source is None else source.url,
        "source_key": None if source is None else source.key,
        "source_media_type": None if source is None else source.media_type,
        "source_width": None if source is None else source.width,
        "source_height": None if source is None else source.height,
        "gate": _document(record.gate),
        "gate_id": record.gate_id,
        "gate_index": record.gate_index,
    }
    if columns is None:
        return every
    return {column: every[column] for column in columns}


def from_row(row: Mapping[Any, Any]) -> GenerationRecord:
    """The record a row of ``generations`` holds (by column name)."""
    status = GenerationStatus(row["status"])
    worker, expires_at = row["worker"], row["lease_expires_at"]
    lease = (
        Lease(worker=worker, expires_at=expires_at)
        if status is GenerationStatus.RUNNING and worker is not None and expires_at is not None
        else None
    )
    request, analysis, adherence = row["request"], row["analysis"], row["adherence"]
    params = row["params"]
    return GenerationRecord(
        generation_id=row["id"],
        created_at=row["created_at"],
        user_id=row["user_id"],
        request=None if request is None else SceneRequest.model_validate(request),
        structured_prompt=row["structured_prompt"],
        analysis=None if analysis is None else LightingAnalysis.model_validate(analysis),
        backend=row["backend"],
        params=None if params is None else params_from_document(params),
        parent_id=row["parent_id"],
        batch_id=row["batch_id"],
        batch_index=row["batch_index"],
        gate=None if row["gate"] is None else GatePolicy.model_validate(row["gate"]),
        gate_id=row["gate_id"],
        gate_index=row["gate_index"],
        status=status,
        attempts=row["attempts"],
        lease=lease,
        started_at=row["started_at"],
        job=bool(row["job"]),
        due_at=row["due_at"],
        backend_request_id=row["backend_request_id"],
        image=_image(
            row["image_url"], row["image_key"], row["media_type"], row["width"], row["height"]
        ),
        cached=bool(row["cached"]),
        cost_usd=row["cost_usd"],
        possible_duplicates=row["possible_duplicates"] or 0,
        duration_s=row["duration_s"],
        adherence=None if adherence is None else Adherence.model_validate(adherence),
        error=row["error"],
        completed_at=row["completed_at"],
        source=_image(
            row["source_url"],
            row["source_key"],
            row["source_media_type"],
            row["source_width"],
            row["source_height"],
        ),
    )
