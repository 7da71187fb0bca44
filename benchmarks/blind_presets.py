"""The blind check of ``tests/test_render_patterns.py``, with each preset's margin.

For every preset: its key (azimuth from the nose, elevation), the direction the estimator reads
from the preview's PNG (384 px, rendered as the test renders it) turned into the face's frame by
the request's subject yaw, the lighting pattern both name (:func:`classify_pattern`, butterfly
and clamshell one family, rim-lit and silhouette "behind", as the test groups them) and the
**margin**: how far (degrees, in azimuth and elevation alike) the reading would have to move to
be named otherwise — positive when the reading names the setup's pattern, negative when it
misses. The truth's own margin (the key's numbers classified the same way, the estimate's ratio
set aside) bounds what any reading can show.

Each preset is read twice: on the default bust the test renders (every preset's words set
aside: "a person") and on the preset's own sitter (its description chooses build, hair and
beard, :mod:`lightrig.render.subject`), which is what the studio and the preview backend show.

    python benchmarks/blind_presets.py
"""

from __future__ import annotations

import math
import time

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.geometry import wrap_degrees
from lightrig.lighting.patterns import Pattern, classify_pattern
from lightrig.presets import PRESETS, get_preset
from lightrig.render.preview import PreviewRenderer
from lightrig.verify import estimate_lighting

SIZE = 384
#: As the test: a key further round than this is behind the face.
BEHIND_DEG = 100.0
#: A ratio that leaves a pattern standing (the truth's margin is read with it).
TRUTH_RATIO = 3.0
#: The margin is searched on circles this many degrees apart, up to this far.
STEP_DEG, REACH_DEG = 0.1, 40.0


def family(pattern: Pattern) -> str:
    if pattern in (Pattern.BUTTERFLY, Pattern.CLAMSHELL):
        return "butterfly"
    if pattern in (Pattern.RIM_LIT, Pattern.SILHOUETTE):
        return "behind"
    return pattern.value


def named(face_azimuth: float, elevation: float, ratio: float) -> str:
    if abs(face_azimuth) > BEHIND_DEG:
        return "behind"
    return family(classify_pattern(face_azimuth, elevation, ratio, None, -2.0).pattern)


def margin(face_azimuth: float, elevation: float, ratio: float) -> float:
    """Degrees to the nearest direction named otherwise (REACH_DEG when none is nearer)."""
    name = named(face_azimuth, elevation, ratio)
    for step in range(1, round(REACH_DEG / STEP_DEG)):
        radius = step * STEP_DEG
        for k in range(72):
            turn = 2.0 * math.pi * k / 72
            moved = (face_azimuth + radius * math.cos(turn), elevation + radius * math.sin(turn))
            if named(*moved, ratio) != name:
                return radius
    return REACH_DEG


def main() -> None:
    renderer = PreviewRenderer()
    for sitter in ("default bust", "the preset's own sitter"):
        print(f"\n{sitter}:\n")
        hits = _table(renderer, own_sitter=sitter != "default bust")
        print(f"\npattern named right: {hits} of {len(PRESETS)}")


def _table(renderer: PreviewRenderer, *, own_sitter: bool) -> int:
    """Print the table for every preset; how many the reading names right."""
    hits = 0
    print(
        "| preset | key (face az, el) | truth's margin | read (face az, el) | ratio | named | "
        "setup's | margin |"
    )
    print("|---|---|---|---|---|---|---|---|")
    seconds = 0.0
    for preset in PRESETS:
        request = get_preset(preset).request()
        if not own_sitter:
            request = request.model_copy(update={"subject_description": "a person"})
        key = request.rig().key()
        if key is None:
            continue
        want = family(LightingAnalyzer().analyze(request).pattern)
        png = renderer.render(request, SIZE).png()
        start = time.perf_counter()
        estimate = estimate_lighting(png)
        seconds += time.perf_counter() - start
        truth_margin = margin(key.face_azimuth, key.elevation, TRUTH_RATIO)
        direction = estimate.direction
        if direction is None:
            print(
                f"| {preset} | {key.face_azimuth:.0f}°, {key.elevation:.0f}° | "
                f"{truth_margin:.1f}° | — | — | — | {want} | — |"
            )
            continue
        face_azimuth = wrap_degrees(direction.azimuth - request.subject_yaw)
        ratio = estimate.ratio.ratio if estimate.ratio is not None else 1.0
        got = named(face_azimuth, direction.elevation, ratio)
        signed = margin(face_azimuth, direction.elevation, ratio) * (1 if got == want else -1)
        hits += got == want
        print(
            f"| {preset} | {key.face_azimuth:.0f}°, {key.elevation:.0f}° | {truth_margin:.1f}° | "
            f"{face_azimuth:.1f}°, {direction.elevation:.1f}° | {ratio:.1f} | {got} | {want} | "
            f"{signed:+.1f}° |"
        )
    print(f"\nestimates: {seconds:.1f} s in all")
    return hits


if __name__ == "__main__":
    main()
