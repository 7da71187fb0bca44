// lightrig's vocabulary and the diagram's conventions, as the API states them
// (GET /v1/conventions, loaded once before the studio first draws): the roles, the modifiers and
// their typical sizes, the gels, the names of colours, the ranges the API accepts, how softness
// follows from a source's apparent size, and the diagram's distance and icon scale. The page keeps
// no copy of any of it: every view is handed one Conventions made from the server's document.

import { prettyGel } from './colour.js';
import { apparentAngle } from './rig.js';

const rad = (deg) => (deg * Math.PI) / 180;

/** A gel as the page shows it: its name, the family (CTO / CTB) and the strength alone. */
function gelOf({ name, mired_shift: shift }) {
  const label = prettyGel(name);
  const [short, family] = label.split(' ');
  return { name, label, short, family, shift };
}

export class Conventions {
  /** `doc`: the JSON of GET /v1/conventions. */
  constructor(doc) {
    this.version = doc.version;
    /** Role values in the product's order. */
    this.roles = doc.roles.map((r) => r.value);
    this.roleInfo = Object.fromEntries(doc.roles.map((r) => [r.value, {
      label: r.label,
      blurb: r.blurb,
      accent: r.accent_on_dark, // the studio's page is dark
      defaultElevation: r.default_elevation_deg,
    }]));
    /** {value, label, short, size (metres), sized}, smallest kinds first. */
    this.modifiers = doc.modifiers.map((m) => ({
      value: m.value, label: m.label, short: m.short, size: m.typical_size_m, sized: m.sized,
    }));
    this.modifierByValue = Object.fromEntries(this.modifiers.map((m) => [m.value, m]));
    /** {name, label, short, family, shift (mireds)}. */
    this.gels = doc.gels.map(gelOf);
    this.matchedMired = doc.matched_mired;
    this.colourNames = doc.colour_names;
    /** {kelvin, white_balance_k, distance_m, azimuth_deg, ...}: each {min, max}. */
    this.ranges = doc.ranges;
    this.softness = doc.softness;
    this.scale = doc.diagram;
    /** Heights above the floor (stands.py): eye height, camera offsets, framings. */
    this.stands = doc.stands;
  }

  role(value) {
    const info = this.roleInfo[value];
    if (!info) throw new Error(`the API names no role ${value}`);
    return info;
  }

  modifier(value) {
    return this.modifierByValue[value] || null;
  }

  /** The 0–1 softness of a source `size` metres across: its apparent angle at the reference
   * distance over the full-softness angle. */
  softnessFromSize(size) {
    const s = this.softness;
    return Math.min(1, apparentAngle(size, s.reference_distance_m) / s.full_softness_angle_deg);
  }

  /** Metres across of the source a 0–1 softness names. */
  sizeFromSoftness(softness) {
    const s = this.softness;
    return 2 * s.reference_distance_m * Math.tan(rad((softness * s.full_softness_angle_deg) / 2));
  }

  /** Metres across of a light given no size (the API's default softness). */
  get defaultSize() {
    return this.sizeFromSoftness(this.softness.default_softness);
  }

  /** How shadow edges read under a source spanning `angle` degrees. */
  hardnessForAngle(angle) {
    if (angle < this.softness.hard_below_deg) return 'hard';
    if (angle > this.softness.soft_above_deg) return 'soft';
    return 'medium';
  }

  /** What photographers call a colour temperature in kelvin. */
  colourName(kelvin) {
    const found = this.colourNames.find((c) => c.below_kelvin === null || kelvin < c.below_kelvin);
    return found ? found.name : '';
  }

  /** Pixels from the subject's centre at which a light `distance` metres away is drawn. */
  diagramRadius(distance) {
    const s = this.scale;
    const d = Math.min(Math.max(distance, 0), s.max_distance_m);
    if (d <= s.linear_limit_m) return s.base_px + s.px_per_m * d;
    return s.base_px + s.px_per_m * s.linear_limit_m + s.px_per_decade * Math.log10(d / s.linear_limit_m);
  }

  /** Metres of a light drawn `radius` px from the subject (the inverse of diagramRadius),
   * within the distances the API accepts. */
  distanceForRadius(radius) {
    const s = this.scale;
    const linearEnd = s.base_px + s.px_per_m * s.linear_limit_m;
    const d = radius <= linearEnd
      ? (radius - s.base_px) / s.px_per_m
      : s.linear_limit_m * 10 ** ((radius - linearEnd) / s.px_per_decade);
    return this.clampDistance(d);
  }

  clampDistance(metres) {
    const { min, max } = this.ranges.distance_m;
    return Math.min(Math.max(metres, min), max);
  }

  /** Pixels of a modifier icon's face for a source `size` metres across. */
  iconPx(size) {
    const s = this.scale;
    return Math.min(Math.max(size * s.icon_px_per_m, s.icon_min_px), s.icon_max_px);
  }
}
