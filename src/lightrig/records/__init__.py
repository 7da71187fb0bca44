"""Generation records and their lifecycle, pure: no I/O, no clock.

:mod:`.record` holds :class:`GenerationRecord` (what was asked, with typed parameters, and where
its run stands) and :func:`inconsistencies`; :mod:`.lifecycle` the state machine as functions
from record to record; :mod:`.convert` the conversions to and from the public
:class:`~lightrig.models.generation.GenerationResponse` and the metadata store's rows. The
service and the runner change records only through the lifecycle; the store keeps them.
"""

from lightrig.records import lifecycle
from lightrig.records.convert import from_response, from_row, to_response, to_row
from lightrig.records.record import Draft, GenerationRecord, Lease, StoredImage, inconsistencies

__all__ = [
    "Draft",
    "GenerationRecord",
    "Lease",
    "StoredImage",
    "from_response",
    "from_row",
    "inconsistencies",
    "lifecycle",
    "to_response",
    "to_row",
]
