"""The top-down lighting diagram: a valid, deterministic SVG that puts each light where it is."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.colour import swatch_hex
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS, Preset
from lightrig.render.diagram import diagram_radius, lighting_diagram

NS = "{http://www.w3.org/2000/svg}"


def request(lights: dict[str, dict[str, Any]], **extra: Any) -> SceneRequest:
    return SceneRequest.model_validate({"lighting_setup": lights, **extra})


def key_at(azimuth: float, distance: float = 1.5, **light: Any) -> SceneRequest:
    return request({"key": {"azimuth": azimuth, "distance": distance, "intensity": 0.8, **light}})


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_id(root: ET.Element, element_id: str) -> ET.Element:
    found = [el for el in root.iter() if el.get("id") == element_id]
    assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
    return found[0]


def ids(root: ET.Element) -> set[str]:
    return {el.get("id", "") for el in root.iter()} - {""}


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def drawn_at(root: ET.Element, element_id: str) -> tuple[float, float]:
    group = by_id(root, element_id)
    return float(group.get("data-x", "nan")), float(group.get("data-y", "nan"))


def subject_centre(root: ET.Element) -> tuple[float, float]:
    return drawn_at(root, "subject")


def label_boxes(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    boxes = {}
    for group in root.iter(f"{NS}g"):
        if group.get("class", "").startswith("light"):
            bg = group.find(f".//{NS}rect[@class='label-bg']")
            assert bg is not None
            x, y = float(bg.get("x", "0")), float(bg.get("y", "0"))
            w, h = float(bg.get("width", "0")), float(bg.get("height", "0"))
            boxes[group.get("data-role", "")] = (x, y, x + w, y + h)
    return boxes


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


# --- the document -----------------------------------------------------------------------------


def test_document_is_standalone_accessible_svg() -> None:
    svg = lighting_diagram(PRESETS["loop"].request())
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") == "0 0 720 576"
    assert root.get("role") == "img"
    assert root.get("width") == "720"
    assert root.get("height") == "576"
    assert "system-ui" in root.get("font-family", "")
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None
    assert "loop" in text_of(title)
    assert desc is not None
    assert "Key" in text_of(desc)
    assert "4.3:1" in text_of(desc)
    assert root.get("aria-labelledby") == "diagram-title diagram-desc"
    assert "<script" not in svg
    assert "href" not in svg  # nothing external: no links, images or fonts


def test_width_sets_the_rendered_size_not_the_drawing() -> None:
    root = parse(lighting_diagram(PRESETS["loop"].request(), width=1000))
    assert (root.get("width"), root.get("height")) == ("1000", "800")
    assert root.get("viewBox") == "0 0 720 576"
    with pytest.raises(ValueError, match="width"):
        lighting_diagram(PRESETS["loop"].request(), width=0)


def test_same_request_gives_the_same_bytes() -> None:
    first = lighting_diagram(PRESETS["film-noir"].request())
    second = lighting_diagram(PRESETS["film-noir"].request())
    assert first == second
    fresh = PRESETS["film-noir"].request()
    given = lighting_diagram(fresh, LightingAnalyzer().analyze(fresh))
    assert given == first


@pytest.mark.parametrize("preset", list(PRESETS.values()), ids=list(PRESETS))
def test_every_preset_draws_each_positioned_light(preset: Preset) -> None:
    scene = preset.request()
    root = parse(lighting_diagram(scene))
    drawn = {el.get("data-role") for el in by_id(root, "lights")}
    for role, light in scene.lighting_setup.items():
        if role.value == "ambient":
            assert f"light-{role.value}" not in ids(root)
            legend = text_of(by_id(root, "legend-ambient"))
            assert f"{round(light.color_temperature)} K" in legend
            continue
        group = by_id(root, f"light-{role.value}")
        assert group.get("data-role") == role.value
        assert float(group.get("data-azimuth", "nan")) == pytest.approx(light.azimuth)
        assert float(group.get("data-distance", "nan")) == pytest.approx(light.distance)
        assert role.value in drawn
        assert f"{round(light.color_temperature)} K" in text_of(group)
    if "ambient" not in {r.value for r in scene.lighting_setup}:
        assert "legend-ambient" not in ids(root)


@pytest.mark.parametrize("preset", list(PRESETS.values()), ids=list(PRESETS))
def test_preset_labels_do_not_collide(preset: Preset) -> None:
    root = parse(lighting_diagram(preset.request()))
    boxes = label_boxes(root)
    cx, cy = subject_centre(root)
    subject = (cx - 31.0, cy - 31.0, cx + 31.0, cy + 31.0)
    for role, box in boxes.items():
        x0, y0, x1, y1 = box
        assert x0 >= 0.0, role
        assert x1 <= 544.0, role  # left of the legend panel
        assert y0 >= 0.0, role
        assert y1 <= 576.0, role
        assert not overlaps(box, subject), role
        for other, other_box in boxes.items():
            if other < role:
                assert not overlaps(box, other_box), (role, other)


def test_close_lights_get_separate_labels() -> None:
    scene = request(
        {
            "key": {"azimuth": 40, "distance": 1.5, "intensity": 0.8, "modifier": "softbox"},
            "fill": {"azimuth": 45, "distance": 1.6, "intensity": 0.4, "modifier": "umbrella"},
            "kicker": {"azimuth": 50, "distance": 1.4, "intensity": 0.3, "modifier": "bare"},
            "rim": {"azimuth": 35, "distance": 1.7, "intensity": 0.3, "modifier": "strip_box"},
        }
    )
    boxes = label_boxes(parse(lighting_diagram(scene)))
    assert len(boxes) == 4
    roles = sorted(boxes)
    for i, role in enumerate(roles):
        for other in roles[i + 1 :]:
            assert not overlaps(boxes[role], boxes[other]), (role, other)


# --- geometry ---------------------------------------------------------------------------------


def test_camera_right_is_drawn_right_and_toward_the_camera() -> None:
    root = parse(lighting_diagram(key_at(45)))
    cx, cy = subject_centre(root)
    x, y = drawn_at(root, "light-key")
    assert x > cx
    assert y > cy  # SVG y grows downward: toward the camera at the bottom
    body = by_id(root, "camera").find(f"{NS}rect")
    assert body is not None
    camera_y = float(body.get("y", "nan"))
    assert y < camera_y


def test_camera_left_is_drawn_left() -> None:
    root = parse(lighting_diagram(key_at(-45)))
    cx, cy = subject_centre(root)
    x, y = drawn_at(root, "light-key")
    assert x < cx
    assert y > cy


def test_a_light_behind_is_drawn_above_the_subject() -> None:
    scene = request(
        {
            "key": {"azimuth": -45, "intensity": 0.8},
            "rim": {"azimuth": 150, "distance": 1.5, "intensity": 0.5},
        }
    )
    root = parse(lighting_diagram(scene))
    cx, cy = subject_centre(root)
    x, y = drawn_at(root, "light-rim")
    assert y < cy
    assert x > cx  # 150° is behind, camera-right


def test_farther_lights_are_drawn_farther_out() -> None:
    near_root = parse(lighting_diagram(key_at(30, 1.5)))
    far_root = parse(lighting_diagram(key_at(30, 3.0)))
    cx, cy = subject_centre(near_root)
    near = math.dist((cx, cy), drawn_at(near_root, "light-key"))
    far = math.dist((cx, cy), drawn_at(far_root, "light-key"))
    assert far > near
    assert near == pytest.approx(diagram_radius(1.5), abs=0.2)
    assert far == pytest.approx(diagram_radius(3.0), abs=0.2)


def test_icon_is_drawn_where_the_group_says_and_faces_the_subject() -> None:
    root = parse(lighting_diagram(key_at(90, modifier="softbox")))
    group = by_id(root, "light-key")
    icon = group.find(f"{NS}g[@class='icon']")
    assert icon is not None
    match = re.fullmatch(
        r"translate\(([-\d.]+) ([-\d.]+)\) rotate\(([-\d.]+)\)", icon.get("transform", "")
    )
    assert match is not None
    x, y, rotation = (float(v) for v in match.groups())
    assert (x, y) == drawn_at(root, "light-key")
    assert rotation == pytest.approx(180.0)  # at camera-right, facing left toward the subject


def test_scale_is_linear_then_compressed_and_bounded() -> None:
    assert diagram_radius(2.0) - diagram_radius(1.0) == pytest.approx(
        diagram_radius(3.0) - diagram_radius(2.0)
    )
    beyond = diagram_radius(6.0) - diagram_radius(3.0)
    assert 0 < beyond < diagram_radius(3.0) - diagram_radius(0.0)
    radii = [diagram_radius(d) for d in (0.1, 0.5, 1, 2, 3, 5, 10, 30, 100)]
    assert radii == sorted(radii)
    assert diagram_radius(0.0) > 31.0  # clear of the subject
    assert diagram_radius(1000.0) == diagram_radius(100.0)


def nose_tip(yaw: float) -> tuple[float, float]:
    scene = request({"key": {"azimuth": -30, "intensity": 0.8}}, subject_yaw=yaw)
    root = parse(lighting_diagram(scene))
    nose = by_id(root, "subject").find(f"{NS}polygon[@class='nose']")
    assert nose is not None
    points = []
    for point in nose.get("points", "").split():
        x, y = point.split(",")
        points.append((float(x), float(y)))
    centre = subject_centre(root)
    return max(points, key=lambda p: math.dist(p, centre))


def test_nose_points_where_the_head_turns() -> None:
    cx, cy = subject_centre(parse(lighting_diagram(key_at(45))))
    x, y = nose_tip(0)
    assert x == pytest.approx(cx)
    assert y > cy  # toward the camera
    x, _ = nose_tip(45)
    assert x > cx  # turned toward camera-right, the viewer's right
    x, _ = nose_tip(-45)
    assert x < cx


def test_background_light_stands_between_subject_and_backdrop() -> None:
    scene = request(
        {
            "key": {"azimuth": 30, "intensity": 0.8},
            "background": {"azimuth": 180, "distance": 1.0, "intensity": 0.4},
        },
        background_distance=2.5,
    )
    root = parse(lighting_diagram(scene))
    _, cy = subject_centre(root)
    _, y = drawn_at(root, "light-background")
    backdrop = by_id(root, "backdrop").find(f"{NS}rect")
    assert backdrop is not None
    backdrop_y = float(backdrop.get("y", "nan")) + float(backdrop.get("height", "nan"))
    assert backdrop_y < y < cy
    assert cy - y == pytest.approx(diagram_radius(1.5), abs=0.2)  # 2.5 m - 1.0 m from the subject


# --- colour, text and state -------------------------------------------------------------------


def swatch_fill(scene: SceneRequest) -> str:
    group = by_id(parse(lighting_diagram(scene)), "light-key")
    swatch = group.find(f".//{NS}rect[@class='swatch']")
    assert swatch is not None
    return swatch.get("fill", "")


def test_kelvin_swatch_renders_under_the_white_balance() -> None:
    camera = {"white_balance": 5600}
    tungsten = swatch_fill(
        request(
            {"key": {"azimuth": 45, "intensity": 0.8, "color_temperature": 3200}},
            camera_settings=camera,
        )
    )
    shade = swatch_fill(
        request(
            {"key": {"azimuth": 45, "intensity": 0.8, "color_temperature": 6500}},
            camera_settings=camera,
        )
    )
    assert tungsten == swatch_hex(3200, 5600)
    assert shade == swatch_hex(6500, 5600)
    assert tungsten != shade
    group = by_id(
        parse(
            lighting_diagram(
                request(
                    {"key": {"azimuth": 45, "intensity": 0.8, "color_temperature": 3200}},
                    camera_settings=camera,
                )
            )
        ),
        "light-key",
    )
    assert "3200 K" in text_of(group)


def test_labels_give_role_angle_height_distance_and_modifier() -> None:
    scene = key_at(45, 1.5, elevation=30, modifier="softbox", modifier_size=0.9)
    label = text_of(by_id(parse(lighting_diagram(scene)), "light-key"))
    assert "Key · 45° R · +30°" in label
    assert "1.5 m · softbox 90 cm" in label
    left = text_of(by_id(parse(lighting_diagram(key_at(-60, elevation=-10))), "light-key"))
    assert "60° L · \u221210°" in left


def test_legend_has_pattern_ratio_rating_and_camera() -> None:
    scene = PRESETS["rembrandt"].request()
    analysis = LightingAnalyzer().analyze(scene)
    root = parse(lighting_diagram(scene, analysis))
    ratio = text_of(by_id(root, "legend-ratio"))
    assert f"{analysis.ratio.ratio:.1f}:1" in ratio
    assert f"{analysis.ratio.stops:.1f} stops" in ratio
    assert re.search(r"\d+\.\d:1 · \d+\.\d stops", ratio)
    pattern = text_of(by_id(root, "legend-pattern"))
    for name in analysis.pattern_names:
        assert name in pattern
    assert f"{analysis.rating:.1f} / 10" in text_of(by_id(root, "legend-rating"))
    camera = text_of(by_id(root, "camera"))
    assert "85 mm" in camera
    assert "f/2.8" in camera


def test_ambient_is_listed_with_its_intensity_and_kelvin() -> None:
    scene = PRESETS["butterfly"].request()  # ambient 0.03 at 5600 K
    root = parse(lighting_diagram(scene))
    ambient = text_of(by_id(root, "legend-ambient"))
    assert "3 %" in ambient
    assert "5600 K" in ambient


@pytest.mark.parametrize("off", [{"enabled": False}, {"intensity": 0.0}])
def test_a_light_that_is_off_is_drawn_greyed_and_dashed(off: dict[str, Any]) -> None:
    scene = request(
        {
            "key": {"azimuth": 45, "intensity": 0.8, "modifier": "softbox"},
            "fill": {"azimuth": -30, "intensity": 0.4, "modifier": "umbrella", **off},
        }
    )
    root = parse(lighting_diagram(scene))
    fill = by_id(root, "light-fill")
    assert fill.get("data-enabled") == "false"
    assert "off" in fill.get("class", "").split()
    assert "off" in text_of(fill)
    icon = fill.find(f"{NS}g[@class='icon']")
    assert icon is not None
    assert all(el.get("stroke-dasharray") for el in icon if el.get("stroke"))
    assert "off" in text_of(by_id(root, "legend-lights"))
    key = by_id(root, "light-key")
    assert key.get("data-enabled") == "true"
    assert "off" not in text_of(key)


def test_user_text_is_escaped() -> None:
    nasty = "Tom & \"Jerry\" <b>bold</b> 'quoted' ]]> \x01 end"
    scene = request({"key": {"azimuth": 45, "intensity": 0.8}}, subject_description=nasty)
    svg = lighting_diagram(scene)
    root = parse(svg)  # still well-formed XML
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
    desc = text_of(by_id(root, "diagram-desc"))
    assert 'Tom & "Jerry" <b>bold</b>' in desc
    assert "\x01" not in desc
    assert "Tom &" in text_of(by_id(root, "legend-subject"))


def test_backdrop_colour_fills_the_band() -> None:
    scene = request({"key": {"azimuth": 45, "intensity": 0.8}}, backdrop_color="#1a2b3c")
    coloured = parse(lighting_diagram(scene))
    band = by_id(coloured, "backdrop").find(f"{NS}rect")
    assert band is not None
    assert band.get("fill") == "#1a2b3c"
    plain = by_id(parse(lighting_diagram(key_at(45))), "backdrop").find(f"{NS}rect")
    assert plain is not None
    assert plain.get("fill") == "none"
    assert plain.get("stroke")
