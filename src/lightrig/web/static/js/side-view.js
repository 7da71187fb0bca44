// The side (elevation) view and heights in metres: where each light's stand stands and how
// high, the subject at its eye height, the camera at its angle's height — following the
// controls as they move — and the inputs that set a light's height in metres (its elevation
// follows) and the subject's eye height.
//
// The numbers are the API's (lightrig/lighting/stands.py, through GET /v1/conventions): a light
// d metres from eyes e metres high, at elevation a, stands e + d·sin a above the floor and
// d·cos a from the subject along it; a height h gives the elevation asin((h − e) / d), within
// reach only when |h − e| ≤ d, and never below the floor. The camera stands at the eyes' height
// plus its angle's offset (at least the lowest a camera stands), its framing's working distance
// in front (frame height × focal length / sensor height). As in the server's drawing
// (render/diagram/side.py) the lights are unfolded onto one plane: toward the camera (right)
// for a light in front of the subject, toward the backdrop (left) for one behind.

import { attrs, h, s, text } from './dom.js';
import { NumberField } from './fields.js';
import { distanceText, elevationText } from './format.js';

const W = 560;
const H = 136;
const LEFT = 64;
const RIGHT = W - 8;
const TOP = 6;
const BOTTOM = H - 10;
const rad = (d) => (d * Math.PI) / 180;
const deg = (r) => (r * 180) / Math.PI;

/** Metres above the floor of a light `distance` metres from eyes `eye` metres high,
 * `elevation` degrees above their level. */
export const lightHeight = (eye, elevation, distance) => eye + distance * Math.sin(rad(elevation));

/** Metres along the floor from under the eyes to under the light. */
export const floorDistance = (elevation, distance) => distance * Math.cos(rad(elevation));

/** The lowest and highest a light `distance` metres from eyes `eye` metres high can stand. */
export const heightRange = (eye, distance) => [Math.max(0, eye - distance), eye + distance];

/** Degrees above eye level of a light `height` metres above the floor, or an Error saying why
 * it cannot stand there (the API's words). */
export function elevationForHeight(height, eye, distance) {
  if (!Number.isFinite(height)) return new Error('Give the height in metres.');
  if (height < 0) return new Error(`${distanceText(height)} is below the floor: give metres above the floor, 0 or more.`);
  const rise = (height - eye) / distance;
  if (Math.abs(rise) > 1 + 1e-9) {
    const [lo, hi] = heightRange(eye, distance);
    const low = Math.ceil(Number((lo * 100).toFixed(6))) / 100;
    const high = Math.floor(Number((hi * 100).toFixed(6))) / 100;
    return new Error(`${distanceText(height)} is out of reach ${distanceText(distance)} from eyes at ${distanceText(eye)}: from ${low} to ${distanceText(high)}, or move the light farther.`);
  }
  return deg(Math.asin(Math.min(1, Math.max(-1, rise))));
}

/** The studio scene's stands in metres: the eyes, the camera and each positioned light (role
 * order), as render/diagram/side_frame.py places them. */
export function sideScene(scene, conventions) {
  const st = conventions.stands;
  const eye = scene.subject_eye_height;
  const cam = scene.camera_settings;
  const offset = st.camera_offset_m[cam.camera_angle] ?? 0;
  const frame = st.frame_height_m[cam.shot_type] ?? st.frame_height_m['medium close-up'];
  const lights = [];
  for (const role of conventions.roles) {
    const light = scene.lighting_setup[role];
    if (!light || role === 'ambient') continue;
    const height = lightHeight(eye, light.elevation, light.distance);
    const floor = floorDistance(light.elevation, light.distance);
    const front = Math.cos(rad(light.azimuth));
    let along = front >= 0 ? floor : -floor;
    let aim = 0;
    if (role === 'background') {
      aim = -scene.background_distance;
      if (front < -0.2) {
        along = -Math.max((scene.background_distance - floor) / -front, conventions.scale.min_background_light_m);
      }
    }
    lights.push({ role, light, height, floor, along, aim, on: light.enabled && light.intensity > 0 });
  }
  return {
    eye,
    cameraHeight: Math.max(st.min_camera_height_m, eye + offset),
    cameraDistance: (frame * cam.focal_length) / st.sensor_height_mm,
    backdrop: scene.background_distance,
    lights,
  };
}

/** Metres → viewBox: one scale both ways, fitted to what there is to draw. */
function fitted(side) {
  const heights = side.lights.map((l) => l.height);
  const alongs = side.lights.map((l) => l.along);
  const top = Math.max(2, side.eye + 0.35, side.cameraHeight + 0.35, ...heights.map((v) => v + 0.35));
  const bottom = Math.min(0, ...heights.map((v) => v - 0.35));
  const left = Math.min(-0.8, -side.backdrop - 0.15, ...alongs.map((a) => a - 0.4));
  const right = Math.max(0.8, side.cameraDistance + 0.4, ...alongs.map((a) => a + 0.4));
  const scale = Math.min((RIGHT - LEFT) / (right - left), (BOTTOM - TOP) / (top - bottom));
  const originX = LEFT + ((RIGHT - LEFT) - (right - left) * scale) / 2 - left * scale;
  const floorY = BOTTOM + bottom * scale;
  return { scale, top, bottom, x: (m) => originX + m * scale, y: (m) => floorY - m * scale };
}

const shared = (a, b) => {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const hh = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && hh > 0 ? w * hh : 0;
};
/** Where a label may go around its light's head: above first, then beside, then below. */
const SPOTS = [[0, -1], [1, -0.4], [-1, -0.4], [1, 0.3], [-1, 0.3], [0, 1], [1, 1], [-1, 1]];
const GAPS = [3, 14, 28, 46];

export class SideView {
  /** The side view drawn into `root` (an empty element), with the eye-height control. */
  constructor(root, store) {
    this.root = root;
    this.store = store;
    this.conventions = store.conventions;
    this.nodes = new Map();
    this.build();
    store.subscribe((change) => {
      if (change.scene || change.selection) this.render();
    });
    this.render();
  }

  build() {
    const range = this.conventions.ranges.subject_eye_height_m;
    this.svg = s('svg', {
      id: 'side-view-svg', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'side-view-title',
      preserveAspectRatio: 'xMidYMid meet',
    });
    this.title = s('title', { id: 'side-view-title' });
    this.grid = s('g', { class: 'side-grid', 'aria-hidden': 'true' });
    this.eyeLine = s('line', { class: 'side-eye-line', x1: LEFT, x2: RIGHT });
    this.eyeWords = s('text', { class: 'side-eye-words', x: LEFT - 5, 'text-anchor': 'end' });
    this.floor = s('line', { class: 'side-floor', x1: LEFT, x2: RIGHT });
    this.backdrop = s('rect', { class: 'side-backdrop', width: 5 });
    this.body = s('polygon', { class: 'side-body' });
    this.head = s('ellipse', { class: 'side-head' });
    this.subject = s('g', { class: 'side-subject', id: 'side-subject' }, this.body, this.head);
    this.sight = s('line', { class: 'side-sight' });
    this.legs = [s('line', {}), s('line', {}), s('line', {})];
    this.cameraBody = s('g', {}, s('rect', { x: -8, y: -6, width: 16, height: 12 }), s('rect', { x: -14, y: -4, width: 6, height: 8 }));
    this.cameraWords = s('text', { class: 'side-camera-words' });
    this.camera = s('g', { class: 'side-camera', id: 'side-camera' }, this.sight, ...this.legs, this.cameraBody, this.cameraWords);
    this.lights = s('g', { class: 'side-lights' });
    this.svg.append(this.title, this.grid, this.eyeLine, this.floor, this.backdrop, this.subject, this.camera, this.lights, this.eyeWords);

    this.eye = new NumberField({
      id: 'subject-eye-height', label: 'Eye height', unit: 'm', min: range.min, max: range.max, step: 0.01, digits: 2,
      valueText: (v) => `eyes ${distanceText(v)} above the floor`,
      onInput: (v, { live, end } = {}) => {
        this.store.update((sc) => { sc.subject_eye_height = v; }, { live: live || end, source: 'eyes' });
        if (end) this.store.endLive();
      },
    });
    this.eye.element.title = 'The subject’s eyes above the floor: 1.6 m standing, about 1.2 m seated';
    this.root.replaceChildren(
      h('div', { class: 'side-head-row' }, h('h3', { id: 'h-side' }, 'Side view')),
      h('div', { class: 'side-wrap' }, this.svg),
      this.eye.element);
  }

  lightNode(role) {
    let node = this.nodes.get(role);
    if (node) return node;
    const accent = this.conventions.role(role).accent;
    const stand = s('line', { class: 'side-stand' });
    const feet = s('path', { class: 'side-feet' });
    const head = s('g', { class: 'side-lamp' }, s('rect', { x: -9, y: -4, width: 9, height: 8 }), s('line', { class: 'side-face', x1: 0, x2: 0 }));
    const words = s('text', { class: 'side-label' });
    const leader = s('line', { class: 'side-leader' });
    const group = s('g', {
      class: 'side-light', 'data-role': role, style: `--accent: ${accent}`,
      onclick: () => this.store.select(role),
    }, stand, feet, head, leader, words);
    this.lights.append(group);
    node = { group, stand, feet, head, words, leader };
    this.nodes.set(role, node);
    return node;
  }

  render() {
    const scene = this.store.scene;
    const conventions = this.conventions;
    const side = sideScene(scene, conventions);
    const f = fitted(side);
    this.eye.show(scene.subject_eye_height);
    text(this.title, `Side view: eyes ${distanceText(side.eye)} above the floor, camera ${distanceText(side.cameraHeight)} high`);

    // the height scale: a line every so many metres, each named, but where the eyes are
    const step = [0.25, 0.5, 1, 2, 5, 10, 20, 50].find((v) => v * f.scale >= 20) || 100;
    const eyeY = f.y(side.eye);
    const grid = [];
    for (let k = Math.ceil(f.bottom / step - 1e-9); k * step <= f.top + 1e-9; k += 1) {
      const y = f.y(k * step);
      if (y < TOP - 0.5 || y > BOTTOM + 0.5) continue;
      grid.push(s('line', { x1: LEFT, x2: RIGHT, y1: y.toFixed(1), y2: y.toFixed(1) }));
      if (Math.abs(y - eyeY) >= 11) grid.push(s('text', { x: LEFT - 5, y: (y + 3.5).toFixed(1), 'text-anchor': 'end' }, distanceText(k * step)));
    }
    this.grid.replaceChildren(...grid);
    this.grid.dataset.step = String(step);

    const floorY = f.y(0);
    attrs(this.floor, { y1: floorY.toFixed(1), y2: floorY.toFixed(1) });
    attrs(this.eyeLine, { y1: eyeY.toFixed(1), y2: eyeY.toFixed(1) });
    attrs(this.eyeWords, { y: (eyeY + 3.5).toFixed(1) });
    text(this.eyeWords, `eyes ${distanceText(side.eye)}`);
    const bx = f.x(-side.backdrop);
    attrs(this.backdrop, { x: (bx - 5).toFixed(1), y: TOP, height: Math.max(1, floorY - TOP).toFixed(1), fill: scene.backdrop_color || 'none' });
    this.backdrop.classList.toggle('side-backdrop-none', !scene.backdrop_color);

    // the subject in profile, its proportions fractions of its eye height
    const e = side.eye;
    const at = ([a, u]) => `${f.x(a * e).toFixed(1)},${f.y(u * e).toFixed(1)}`;
    attrs(this.body, { points: [[-0.028, 0.945], [0.028, 0.945], [0.075, 0.875], [0.08, 0.55], [0.05, 0], [-0.05, 0], [-0.08, 0.55], [-0.088, 0.875]].map(at).join(' ') });
    attrs(this.head, { cx: f.x(0).toFixed(1), cy: f.y(1.01 * e).toFixed(1), rx: Math.max(1.5, 0.053 * e * f.scale).toFixed(1), ry: Math.max(2, 0.072 * e * f.scale).toFixed(1) });
    attrs(this.subject, { 'data-eye-height': String(e), 'data-eye-y': eyeY.toFixed(1) });

    // the camera on its tripod, its line of sight to the eyes
    const cx = f.x(side.cameraDistance);
    const cy = f.y(side.cameraHeight);
    attrs(this.sight, { x1: (cx - 14).toFixed(1), y1: cy.toFixed(1), x2: f.x(0).toFixed(1), y2: eyeY.toFixed(1) });
    [-9, 0, 9].forEach((foot, i) => attrs(this.legs[i], { x1: cx.toFixed(1), y1: (cy + 6).toFixed(1), x2: (cx + foot).toFixed(1), y2: floorY.toFixed(1) }));
    attrs(this.cameraBody, { transform: `translate(${cx.toFixed(1)} ${cy.toFixed(1)})` });
    attrs(this.camera, { 'data-height': side.cameraHeight.toFixed(4), 'data-distance': side.cameraDistance.toFixed(4) });
    const cameraWords = `Camera ${distanceText(side.cameraHeight)}`;
    const cameraW = cameraWords.length * 5.8;
    const right = cx + 12 + cameraW <= W - 4;
    attrs(this.cameraWords, { x: (right ? cx + 12 : cx - 18).toFixed(1), y: (cy - 9).toFixed(1), 'text-anchor': right ? 'start' : 'end' });
    text(this.cameraWords, cameraWords);
    const cameraBox = right ? { x0: cx + 11, y0: cy - 19, x1: cx + 13 + cameraW, y1: cy - 5 } : { x0: cx - 19 - cameraW, y0: cy - 19, x1: cx - 17, y1: cy - 5 };

    // the lights on their stands, labelled with their heights; labels never over one another
    const obstacles = [
      cameraBox,
      { x0: cx - 15, y0: cy - 7, x1: cx + 9, y1: cy + 7 },
      { x0: f.x(0) - Math.max(8, 0.09 * e * f.scale), y0: f.y(1.09 * e), x1: f.x(0) + Math.max(8, 0.09 * e * f.scale), y1: floorY },
      { x0: LEFT - 60, y0: eyeY - 7, x1: LEFT - 3, y1: eyeY + 5 },
      { x0: LEFT, y0: floorY - 2, x1: RIGHT, y1: floorY + 7 },
    ];
    const placed = [];
    const seen = new Set();
    for (const l of side.lights) {
      seen.add(l.role);
      const node = this.lightNode(l.role);
      const x = f.x(l.along);
      const y = f.y(l.height);
      const face = Math.min(Math.max(l.light.modifier_size * f.scale, 8), 36);
      const aim = deg(Math.atan2(f.y(side.eye) - y, f.x(l.aim) - x));
      const below = l.height < 0;
      attrs(node.stand, { x1: x.toFixed(1), x2: x.toFixed(1), y1: (below ? y : y + 5).toFixed(1), y2: floorY.toFixed(1) });
      node.stand.classList.toggle('side-stand-under', below);
      const footTop = Math.max(floorY - 7, y + 5);
      attrs(node.feet, { d: below ? '' : `M${(x - 7).toFixed(1)} ${floorY.toFixed(1)} L${x.toFixed(1)} ${footTop.toFixed(1)} L${(x + 7).toFixed(1)} ${floorY.toFixed(1)}` });
      attrs(node.head, { transform: `translate(${x.toFixed(1)} ${y.toFixed(1)}) rotate(${aim.toFixed(1)})` });
      attrs(node.head.lastChild, { y1: (-face / 2).toFixed(1), y2: (face / 2).toFixed(1) });
      const words = `${conventions.role(l.role).label} ${below ? 'below the floor' : distanceText(l.height)}${l.on ? '' : ' · off'}`;
      text(node.words, words);
      attrs(node.group, {
        'data-height': l.height.toFixed(4), 'data-floor-distance': l.floor.toFixed(4),
        'data-along': l.along.toFixed(4), 'data-elevation': String(l.light.elevation),
        'data-x': x.toFixed(1), 'data-y': y.toFixed(1),
        'aria-label': `${conventions.role(l.role).label} light: stand ${distanceText(l.height)} high, ${distanceText(l.floor)} from the subject, ${elevationText(l.light.elevation)}`,
      });
      node.group.classList.toggle('off', !l.on);
      node.group.classList.toggle('selected', this.store.selected === l.role);
      obstacles.push({ x0: x - face / 2 - 4, y0: y - face / 2 - 4, x1: x + face / 2 + 4, y1: y + face / 2 + 4 });
      placed.push({ l, node, x, y, extent: face / 2 + 4, words });
    }
    for (const [role, node] of this.nodes) {
      if (!seen.has(role)) { node.group.remove(); this.nodes.delete(role); }
    }
    const labels = [];
    const inside = (b) => b.x0 >= 2 && b.x1 <= W - 2 && b.y0 >= 1 && b.y1 <= H - 1;
    for (const p of placed) {
      const drawn = p.node.words.getComputedTextLength ? p.node.words.getComputedTextLength() : 0;
      const w = (drawn > 0 ? drawn : p.words.length * 6) + 4;
      const hh = 13;
      let best = null;
      let bestCost = Infinity;
      for (const gap of GAPS) {
        for (const [ux, uy] of SPOTS) {
          const ax = p.x + ux * (p.extent + gap);
          const ay = p.y + uy * (p.extent + gap);
          const x0 = ux > 0.3 ? ax : ux < -0.3 ? ax - w : ax - w / 2;
          const y0 = uy > 0.3 ? ay : uy < -0.3 ? ay - hh : ay - hh / 2;
          const box = { x0, y0, x1: x0 + w, y1: y0 + hh };
          if (!inside(box)) continue;
          const onLabels = labels.reduce((sum, b) => sum + shared(box, b), 0);
          const cost = onLabels * 1e6 + obstacles.reduce((sum, b) => sum + shared(box, b), 0);
          if (cost < bestCost) { best = box; bestCost = cost; }
          if (cost === 0) break;
        }
        if (bestCost === 0) break;
      }
      if (!best) best = { x0: p.x + p.extent, y0: p.y - hh / 2, x1: p.x + p.extent + w, y1: p.y + hh / 2 };
      labels.push(best);
      attrs(p.node.words, { x: (best.x0 + 2).toFixed(1), y: (best.y0 + 10).toFixed(1) });
      Object.assign(p.node.words.dataset, { x0: best.x0.toFixed(1), y0: best.y0.toFixed(1), x1: best.x1.toFixed(1), y1: best.y1.toFixed(1) });
      const nx = Math.min(Math.max(p.x, best.x0), best.x1);
      const ny = Math.min(Math.max(p.y, best.y0), best.y1);
      const reach = Math.hypot(nx - p.x, ny - p.y);
      p.node.leader.style.display = reach > p.extent + 6 ? '' : 'none';
      attrs(p.node.leader, { x1: p.x.toFixed(1), y1: p.y.toFixed(1), x2: nx.toFixed(1), y2: ny.toFixed(1) });
    }
  }
}

/** The selected light's height in metres, beside its elevation in the light's settings: typing
 * a height sets the elevation that puts the light there; moving the elevation, the distance or
 * the eyes shows the new height. `lights` is the studio's LightControls. */
export class HeightControl {
  constructor(lights, store) {
    this.store = store;
    this.input = h('input', {
      type: 'number', class: 'num', id: 'light-height', min: 0, step: 0.01, inputmode: 'decimal',
      'aria-describedby': 'light-height-error light-height-note',
    });
    this.error = h('p', { class: 'field-error', id: 'light-height-error', 'aria-live': 'polite' });
    this.note = h('p', { class: 'field-note', id: 'light-height-note' });
    this.element = h('div', { class: 'field field-height', title: 'The light’s centre above the floor: what its stand is raised to' },
      h('label', { for: 'light-height', class: 'field-label' }, 'Stand height'),
      h('span', { class: 'field-height-gap' }),
      h('span', { class: 'num-wrap' }, this.input, h('span', { class: 'unit', 'aria-hidden': 'true' }, 'm')),
      this.error, this.note);
    lights.elevation.element.after(this.element);
    this.input.addEventListener('change', () => this.typed());
    this.input.addEventListener('keydown', (event) => { if (event.key === 'Enter') this.typed(); });
    store.subscribe((change) => {
      if (change.scene || change.selection) this.render();
    });
    this.render();
  }

  typed() {
    const light = this.store.light();
    if (!light) return;
    const eye = this.store.scene.subject_eye_height;
    const raw = this.input.value.trim();
    const found = elevationForHeight(raw === '' ? NaN : Number(raw), eye, light.distance);
    if (found instanceof Error) {
      this.error.textContent = found.message;
      this.input.setAttribute('aria-invalid', 'true');
      return;
    }
    this.error.textContent = '';
    this.input.removeAttribute('aria-invalid');
    const role = this.store.selected;
    const elevation = Number(found.toFixed(2));
    this.store.update((sc) => { if (sc.lighting_setup[role]) sc.lighting_setup[role].elevation = elevation; }, { source: 'height' });
  }

  render() {
    const light = this.store.light();
    if (!light) return;
    const eye = this.store.scene.subject_eye_height;
    const height = lightHeight(eye, light.elevation, light.distance);
    const [lo, hi] = heightRange(eye, light.distance);
    attrs(this.input, { max: Number(hi.toFixed(2)) });
    if (document.activeElement !== this.input) {
      this.input.value = String(Number(height.toFixed(2)));
      this.error.textContent = '';
      this.input.removeAttribute('aria-invalid');
    }
    const note = height < 0
      ? 'centre below the floor: raise it or bring it closer'
      : `${distanceText(floorDistance(light.elevation, light.distance))} from the subject on the floor · reach ${distanceText(lo)}–${distanceText(hi)}`;
    if (this.note.textContent !== note) this.note.textContent = note;
  }
}
