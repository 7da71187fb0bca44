"""The REST API: a thin FastAPI face over :class:`~lightrig.service.LightingGenerationService`."""
