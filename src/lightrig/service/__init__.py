"""The service: :class:`LightingGenerationService`, one face over its use cases.

* :mod:`.facade` — :class:`LightingGenerationService`, the seed design's public methods;
* :mod:`.adapters` — the parts it works with (store, storage, cache, limiter, job queue,
  backends, translator, analyzer, verifier, runner), given or made from the settings;
* :mod:`.generate` — drafts (validated, analysed, compiled) produced now or queued;
* :mod:`.batches` — many at once, run here or handed to the job queue, and their progress;
* :mod:`.worker` — jobs, claimed records, resumed ones, crash recovery;
* :mod:`.records` — stored generations read, listed, checked, deleted, given up;
* :mod:`.setups` — saved setups kept per user under names, and their read-only links;
* :mod:`.health` — every dependency probed;
* :mod:`.runner` — one generation run so that its record is never lost nor half-written
  (lease, generate, store, cache, complete), with :mod:`.results` (the result cache's keys and
  entries) and :mod:`.retries` (failures worth another attempt, and the waits between them).

The generation records they pass around are :mod:`lightrig.records`, changed only through its
lifecycle. It knows nothing of HTTP.
"""

from lightrig.service.facade import LightingGenerationService, ProgressCallback
from lightrig.service.health import CheckResult, HealthReport

__all__ = ["CheckResult", "HealthReport", "LightingGenerationService", "ProgressCallback"]
