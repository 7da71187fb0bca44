"""The public names: the seed's usage example works with ``from lightrig import ...``."""

from __future__ import annotations

import lightrig


def test_all_names_resolve_once() -> None:
    assert len(set(lightrig.__all__)) == len(lightrig.__all__)
    for name in lightrig.__all__:
        assert getattr(lightrig, name) is not None, name


def test_seed_public_names_are_exported() -> None:
    for name in (
        "SceneRequest",
        "LightType",
        "LightSettings",
        "CameraSettings",
        "GenerationResponse",
        "LightingAnalysis",
        "LightingAnalyzer",
        "LightingGenerationError",
        "InvalidLightingSetupError",
        "FIBOGenerationError",
        "NaturalLanguageTranslationError",
        "LightingGenerationService",
    ):
        assert name in lightrig.__all__, name


def test_seed_usage_example_builds_and_analyses() -> None:
    from lightrig import CameraSettings, LightingAnalyzer, LightSettings, LightType, SceneRequest

    scene_request = SceneRequest(
        subject_description="Professional portrait",
        environment="studio",
        lighting_setup={
            LightType.KEY: LightSettings(
                direction="45 degrees camera-right",
                intensity=0.8,
                color_temperature=5600,
                softness=0.5,
                distance=1.5,
                enabled=True,
            ),
            LightType.FILL: LightSettings(
                direction="30 degrees camera-left",
                intensity=0.4,
                color_temperature=5600,
                softness=0.7,
                distance=2.0,
                enabled=True,
            ),
        },
        camera_settings=CameraSettings(
            shot_type="medium shot",
            camera_angle="eye-level",
            fov=85,
            lens_type="portrait",
            aperture="f/2.8",
        ),
    )
    analysis = LightingAnalyzer().analyze(scene_request)
    key = scene_request.lighting_setup[LightType.KEY]
    assert (key.azimuth, key.elevation) == (45.0, 30.0)
    assert scene_request.camera_settings.aperture == 2.8
    assert analysis.key_role is LightType.KEY
    assert 1.0 <= analysis.rating <= 10.0
