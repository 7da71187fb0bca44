// The top-down lighting diagram, drawn in the page so every light is a handle to drag.
//
// Conventions follow lightrig/render/diagram.py, and the names, colours and scale are the API's
// (conventions.js): seen from above, the subject's head in the middle (its nose shows where the
// face points), the camera at the bottom looking up, the backdrop across the top. A light at
// azimuth a (0 at the camera, positive camera-right, ±180 behind) and distance d metres sits at
// x = cx + r(d)·sin a, y = cy + r(d)·cos a, with r(d) the API's scale (linear near the subject,
// logarithmic beyond). A background light's distance is to the backdrop.
//
// Keyboard: a focused light moves with ←/→ (around the subject), ↑/↓ (farther/closer) and
// PageUp/PageDown (height); Shift makes the steps bigger; Enter opens its settings. The head
// turns with ←/→.

import { attrs, s } from './dom.js';
import { swatchHex } from './colour.js';
import { wrapDegrees } from './rig.js';
import { azimuthText, azimuthWords, distanceText, elevationText } from './format.js';

const CX = 0;
const CY = 0;
const HEAD_RX = 14;
const HEAD_RY = 17;
const rad = (d) => (d * Math.PI) / 180;
const deg = (r) => (r * 180) / Math.PI;
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const round = (v, step) => Math.round(v / step) * step;

/** Where a light is drawn (viewBox units) and what it aims at. */
export function placeLight(role, light, scene, conventions) {
  const a = rad(light.azimuth);
  let metres = light.distance;
  let target = [CX, CY];
  const backdropY = CY - conventions.diagramRadius(scene.background_distance);
  if (role === 'background') {
    target = [CX, backdropY];
    if (Math.cos(a) < -0.2) {
      // behind the subject its distance is to the backdrop: stand it that far in front of it
      metres = Math.max((scene.background_distance - light.distance) / -Math.cos(a), conventions.scale.min_background_light_m);
    }
  }
  const r = conventions.diagramRadius(metres);
  return { x: CX + r * Math.sin(a), y: CY + r * Math.cos(a), target };
}

/** The light's azimuth and distance for a point of the drawing (the inverse of placeLight). */
function lightAt(role, x, y, scene, conventions, { coarse }) {
  const dx = x - CX;
  const dy = y - CY;
  let azimuth = wrapDegrees(deg(Math.atan2(dx, dy)));
  let metres = conventions.distanceForRadius(Math.hypot(dx, dy));
  if (role === 'background' && Math.cos(rad(azimuth)) < -0.2) {
    metres = scene.background_distance - metres * -Math.cos(rad(azimuth));
  }
  azimuth = round(azimuth, coarse ? 15 : 1);
  let step = metres < 3 ? 0.05 : metres < 10 ? 0.1 : 1;
  if (coarse) step = metres < 3 ? 0.25 : metres < 10 ? 1 : 5;
  metres = conventions.clampDistance(round(metres, step));
  return { azimuth: wrapDegrees(azimuth), distance: Number(metres.toFixed(2)) };
}

/** Length in px of the icon's emitting face, by the API's icon scale: small heads at the
 * smallest size; a strip box by its long side (√π × its equal-area diameter). */
function faceLength(light, conventions) {
  const m = light.modifier;
  if (m === 'bare' || m === 'fresnel' || m === 'snoot') return conventions.iconPx(0);
  const size = m === 'strip_box' ? light.modifier_size * Math.sqrt(Math.PI) : light.modifier_size;
  return conventions.iconPx(size);
}

/** The modifier drawn in the light's own frame: origin at the light, +x toward its target. */
function iconShapes(light, face) {
  const half = face / 2;
  const m = light.modifier;
  const body = { class: 'icon-body' };
  const edge = { class: 'icon-face', x1: 0, y1: -half, x2: 0, y2: half };
  switch (m) {
    case 'softbox':
    case 'octabox': {
      const depth = m === 'octabox' ? Math.max(8, half * 0.7) : Math.max(7, half * 0.45);
      return [
        s('polygon', { ...body, points: `0,${-half} 0,${half} ${-depth},${half * 0.35} ${-depth},${-half * 0.35}` }),
        s('line', edge),
      ];
    }
    case 'strip_box':
      return [s('rect', { ...body, x: -6, y: -half, width: 6, height: face }), s('line', edge)];
    case 'beauty_dish':
      return [s('path', { ...body, d: `M0 ${-half} A${half} ${half} 0 0 0 0 ${half} Z` }), s('line', edge)];
    case 'umbrella':
      return [
        s('path', { class: 'icon-line', d: `M2 ${-half} A${half * 1.2} ${half * 1.2} 0 0 0 2 ${half}` }),
        s('line', { class: 'icon-line', x1: -half * 0.55, y1: 0, x2: 6, y2: 0 }),
      ];
    case 'reflector':
      return [s('line', { ...edge, class: 'icon-face icon-panel' })];
    case 'scrim':
      return [s('line', { ...edge, class: 'icon-face icon-dashed' })];
    case 'window':
      return [
        s('rect', { ...body, x: -4, y: -half, width: 4, height: face }),
        s('line', { class: 'icon-line', x1: -4, y1: 0, x2: 0, y2: 0 }),
      ];
    case 'overcast':
      return [s('path', { class: 'icon-line icon-dashed', d: `M0 ${-half} A${half} ${half} 0 0 0 0 ${half}` })];
    case 'snoot':
      return [s('rect', { ...body, x: -14, y: -2.5, width: 14, height: 5 })];
    case 'bare':
    case 'fresnel':
      return [
        s('rect', { ...body, x: -10, y: -4, width: 7, height: 8 }),
        s('polygon', { ...body, points: `-3,-4 0,${-half} 0,${half} -3,4` }),
      ];
    default:
      return [s('circle', { class: 'icon-line', cx: 0, cy: 0, r: half })];
  }
}

/** Where labels go: each turn (degrees) away from the light's outward direction and each gap
 * (viewBox px) beyond its handle, least turned and nearest first (30° weighs as 14 px). */
const LABEL_TURNS = [0, 30, -30, 60, -60, 90, -90, 120, -120, 150, -150, 180];
const LABEL_GAPS = [4, 16, 30, 48, 70, 96];
const LABEL_CANDIDATES = LABEL_GAPS.flatMap((gap) => LABEL_TURNS.map((turn) => ({ turn, gap })))
  .sort((a, b) => (Math.abs(a.turn) / 30 + a.gap / 14) - (Math.abs(b.turn) / 30 + b.gap / 14));
/** A light's handle: labels keep this far (px) from its centre. */
const HANDLE_R = 16;
/** A label's two lines: the name's baseline 11 px and the detail's 24 px below its top. */
const LABEL_H = 28;
/** Space (px) kept between two labels. */
const LABEL_MARGIN = 3;

/** The width (viewBox px) of an SVG text as drawn, or an estimate while it is not laid out. */
function textWidth(node, perChar) {
  const drawn = node.textContent ? node.getComputedTextLength() : 0;
  return drawn > 0 ? drawn : node.textContent.length * perChar;
}

/** The area two boxes share (0 when they only touch). */
function shared(a, b) {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

export class Diagram {
  constructor(svg, store, { onInteraction, onActivate } = {}) {
    this.svg = svg;
    this.store = store;
    this.conventions = store.conventions;
    this.onInteraction = onInteraction;
    this.onActivate = onActivate;
    this.nodes = new Map();
    this.build();
    store.subscribe((change) => {
      if (change.scene || change.selection) this.render();
    });
    // labels are laid out by their drawn widths: lay them out again once the drawing is shown
    // (a hidden drawing measures no text) or resized
    new ResizeObserver(() => { if (!this.dragging) this.render(); }).observe(svg);
    this.render();
  }

  build() {
    const svg = this.svg;
    const radius = (metres) => this.conventions.diagramRadius(metres);
    attrs(svg, { role: 'group', 'aria-labelledby': 'diagram-title', 'aria-describedby': 'diagram-help' });
    svg.replaceChildren();
    svg.append(s('title', { id: 'diagram-title' }, 'Top-down lighting diagram: camera at the bottom, subject in the middle, backdrop at the top, camera-right on the right'));
    svg.append(s('defs', {},
      s('pattern', { id: 'no-backdrop', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 6, height: 6, fill: '#2a2a2a' }),
        s('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#4a4a4a', 'stroke-width': 2 }))));

    // guides: range rings at 1, 2 and 3 m (and 10 m when something is that far), angle spokes
    const guides = s('g', { class: 'guides', 'aria-hidden': 'true' });
    this.fixed = []; // boxes that labels keep clear of
    for (let a = -135; a <= 180; a += 45) {
      const r = radius(3) + 6;
      guides.append(s('line', { class: 'spoke', x1: CX + 40 * Math.sin(rad(a)), y1: CY + 40 * Math.cos(rad(a)), x2: CX + r * Math.sin(rad(a)), y2: CY + r * Math.cos(rad(a)) }));
      if (a !== 0) {
        const lr = radius(3) + 18;
        const x = CX + lr * Math.sin(rad(a));
        const y = CY + lr * Math.cos(rad(a)) + 3;
        guides.append(s('text', { class: 'angle-label', x, y, 'text-anchor': 'middle' }, azimuthText(a)));
        this.fixed.push({ x0: x - 18, y0: y - 10, x1: x + 18, y1: y + 3 });
      }
    }
    this.ringLabels = []; // they give way to a light's label that has nowhere else to go
    for (const m of [1, 2, 3]) {
      const r = radius(m);
      guides.append(s('circle', { class: 'ring', cx: CX, cy: CY, r }));
      const label = s('text', { class: 'ring-label', x: CX + r * Math.sin(rad(-160)) - 3, y: CY + r * Math.cos(rad(-160)) - 2, 'text-anchor': 'end' }, `${m} m`);
      guides.append(label);
      this.ringLabels.push(label);
    }
    this.farRing = s('circle', { class: 'ring ring-far', cx: CX, cy: CY, r: radius(10) });
    guides.append(this.farRing);
    svg.append(guides);

    this.backdrop = s('g', { class: 'backdrop', 'aria-hidden': 'true' },
      s('rect', { class: 'backdrop-band', height: 8, rx: 2 }),
      s('text', { class: 'backdrop-label', 'text-anchor': 'start' }));
    svg.append(this.backdrop);

    this.fov = s('polygon', { class: 'fov', 'aria-hidden': 'true' });
    svg.append(this.fov);
    this.beams = s('g', { class: 'beams', 'aria-hidden': 'true' });
    svg.append(this.beams);

    this.camera = s('g', { class: 'camera', 'aria-hidden': 'true' },
      s('rect', { x: -15, y: -6, width: 30, height: 18, rx: 3 }),
      s('rect', { x: -7, y: -14, width: 14, height: 9, rx: 1.5 }),
      s('text', { class: 'camera-label', x: 24, y: 7 }));
    svg.append(this.camera);

    // the subject from above: shoulders, head and nose; a slider for the head turn
    this.subject = s('g', {
      class: 'subject', tabindex: 0, role: 'slider', 'aria-label': 'Head turn',
      'aria-valuemin': this.conventions.ranges.subject_yaw_deg.min,
      'aria-valuemax': this.conventions.ranges.subject_yaw_deg.max,
    },
      s('circle', { class: 'subject-hit', cx: 0, cy: 0, r: 32 }),
      s('ellipse', { class: 'shoulders', cx: 0, cy: -3, rx: 30, ry: 11 }),
      s('ellipse', { class: 'head', cx: 0, cy: 0, rx: HEAD_RX, ry: HEAD_RY }),
      s('polygon', { class: 'nose', points: `-4,${HEAD_RY - 2} 4,${HEAD_RY - 2} 0,${HEAD_RY + 7}` }),
      s('circle', { class: 'focus-ring', cx: 0, cy: 0, r: 36 }));
    svg.append(this.subject);
    this.subjectLabel = s('text', { class: 'subject-label', x: CX, y: CY + 52, 'text-anchor': 'middle', 'aria-hidden': 'true' });
    svg.append(this.subjectLabel);
    this.wireSubject();

    this.lights = s('g', { class: 'lights' });
    svg.append(this.lights);
  }

  /** Zoom to what is there: the 3 m ring, the backdrop and every light, with the camera just
   * beyond. Not while dragging — the drawing must not move under the pointer. */
  fit() {
    const scene = this.store.scene;
    const radius = (metres) => this.conventions.diagramRadius(metres);
    let r = radius(3) + 26;
    r = Math.max(r, radius(scene.background_distance) + 14);
    for (const [role, light] of Object.entries(scene.lighting_setup)) {
      if (role === 'ambient') continue;
      const at = placeLight(role, light, scene, this.conventions);
      r = Math.max(r, Math.hypot(at.x - CX, at.y - CY) + 24);
    }
    r = Math.ceil(r / 10) * 10;
    if (this.view && this.view.r === r) return;
    const side = 24;
    const cameraY = CY + r + 24;
    this.view = { r, x0: CX - r - side, y0: CY - r - 10, w: 2 * (r + side), h: 2 * r + 10 + 24 + 30, cameraY };
    attrs(this.svg, { viewBox: `${this.view.x0} ${this.view.y0} ${this.view.w} ${this.view.h}` });
    attrs(this.camera, { transform: `translate(${CX} ${cameraY})` });
    attrs(this.backdrop.firstChild, { x: this.view.x0 + 14, width: this.view.w - 28 });
    attrs(this.backdrop.lastChild, { x: this.view.x0 + 16 });
  }

  toSvg(event) {
    const point = this.svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(this.svg.getScreenCTM().inverse());
  }

  wireSubject() {
    const node = this.subject;
    const turn = (yaw, live) => {
      const range = this.conventions.ranges.subject_yaw_deg;
      this.store.update((sc) => { sc.subject_yaw = clamp(Math.round(yaw), range.min, range.max); }, { live, source: 'head' });
    };
    node.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      node.focus();
      node.setPointerCapture(event.pointerId);
      this.dragging = 'subject';
    });
    node.addEventListener('pointermove', (event) => {
      if (this.dragging !== 'subject' || !node.hasPointerCapture(event.pointerId)) return;
      const p = this.toSvg(event);
      const yaw = deg(Math.atan2(p.x - CX, p.y - CY));
      turn(event.shiftKey ? round(yaw, 15) : yaw, true);
    });
    const end = (event) => {
      if (this.dragging !== 'subject') return;
      this.dragging = null;
      if (node.hasPointerCapture(event.pointerId)) node.releasePointerCapture(event.pointerId);
      this.store.endLive();
    };
    node.addEventListener('pointerup', end);
    node.addEventListener('pointercancel', end);
    node.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? 15 : 5;
      const moves = { ArrowRight: step, ArrowUp: step, ArrowLeft: -step, ArrowDown: -step };
      if (event.key === 'Home') { event.preventDefault(); turn(0, false); return; }
      if (!(event.key in moves)) return;
      event.preventDefault();
      turn(this.store.scene.subject_yaw + moves[event.key], true);
    });
    node.addEventListener('keyup', () => this.store.endLive());
  }

  lightNode(role) {
    let entry = this.nodes.get(role);
    if (entry) return entry;
    const group = s('g', {
      class: 'light', tabindex: 0, role: 'button', 'data-role': role,
      'aria-roledescription': 'movable light', 'aria-describedby': 'diagram-help',
      style: `--accent: ${this.conventions.role(role).accent}`,
    });
    const icon = s('g', { class: 'icon' });
    const halo = s('circle', { class: 'halo', r: 15 });
    const knob = s('circle', { class: 'knob', r: 7 });
    const hit = s('circle', { class: 'hit', r: 19 });
    const name = s('text', { class: 'label-name' });
    const detail = s('text', { class: 'label-detail' });
    const label = s('g', { class: 'label', 'data-role': role, 'aria-hidden': 'true' }, name, detail);
    group.append(hit, icon, halo, knob);
    this.lights.append(group);
    const leader = s('line', { class: 'leader', 'data-role': role });
    const leaders = this.leaderLayer || (this.leaderLayer = s('g', { class: 'leaders', 'aria-hidden': 'true' }));
    leaders.append(leader);
    const labels = this.labelLayer || (this.labelLayer = s('g', { class: 'labels' }));
    labels.append(label);
    this.svg.append(leaders, labels); // leaders and labels above every light
    const beam = s('polygon', { class: 'beam' });
    this.beams.append(beam);
    entry = { group, icon, halo, knob, label, name, detail, beam, leader, iconKey: '' };
    this.nodes.set(role, entry);
    this.wireLight(role, group);
    return entry;
  }

  wireLight(role, group) {
    const move = (changes, live) => {
      this.store.update((sc) => {
        const light = sc.lighting_setup[role];
        if (light) Object.assign(light, changes);
      }, { live, source: 'diagram' });
    };
    group.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      group.focus();
      this.store.select(role);
      group.setPointerCapture(event.pointerId);
      this.dragging = role;
      this.grab = null;
      if (this.onInteraction) this.onInteraction(true);
    });
    group.addEventListener('pointermove', (event) => {
      if (this.dragging !== role || !group.hasPointerCapture(event.pointerId)) return;
      const p = this.toSvg(event);
      if (!this.grab) {
        // keep the offset between the pointer and the light's centre, so the light does not jump
        const at = placeLight(role, this.store.scene.lighting_setup[role], this.store.scene, this.conventions);
        this.grab = { dx: at.x - p.x, dy: at.y - p.y };
      }
      const where = lightAt(role, p.x + this.grab.dx, p.y + this.grab.dy, this.store.scene, this.conventions, { coarse: event.shiftKey });
      move(where, true);
    });
    const end = (event) => {
      if (this.dragging !== role) return;
      this.dragging = null;
      if (group.hasPointerCapture(event.pointerId)) group.releasePointerCapture(event.pointerId);
      this.store.endLive();
      this.render();
      if (this.onInteraction) this.onInteraction(false);
    };
    group.addEventListener('pointerup', end);
    group.addEventListener('pointercancel', end);
    group.addEventListener('focus', () => this.store.select(role));
    group.addEventListener('keydown', (event) => {
      const light = this.store.scene.lighting_setup[role];
      if (!light) return;
      const big = event.shiftKey;
      const height = this.conventions.ranges.elevation_deg;
      let change = null;
      if ((event.key === 'Enter' || event.key === ' ') && this.onActivate) {
        event.preventDefault(); // a light's button opens its settings for exact numbers
        this.onActivate(role);
        return;
      }
      switch (event.key) {
        case 'ArrowLeft': change = { azimuth: wrapDegrees(light.azimuth - (big ? 15 : 1)) }; break;
        case 'ArrowRight': change = { azimuth: wrapDegrees(light.azimuth + (big ? 15 : 1)) }; break;
        case 'ArrowUp': change = { distance: this.conventions.clampDistance(Number((light.distance + (big ? 0.5 : 0.05)).toFixed(2))) }; break;
        case 'ArrowDown': change = { distance: this.conventions.clampDistance(Number((light.distance - (big ? 0.5 : 0.05)).toFixed(2))) }; break;
        case 'PageUp': change = { elevation: clamp(light.elevation + (big ? 15 : 5), height.min, height.max) }; break;
        case 'PageDown': change = { elevation: clamp(light.elevation - (big ? 15 : 5), height.min, height.max) }; break;
        default: return;
      }
      event.preventDefault();
      move(change, true);
    });
    group.addEventListener('keyup', () => this.store.endLive());
  }

  render() {
    const scene = this.store.scene;
    if (!this.dragging) this.fit();
    const view = this.view;
    const wb = scene.camera_settings.white_balance;

    // backdrop and far ring
    const conventions = this.conventions;
    const backdropY = CY - conventions.diagramRadius(scene.background_distance);
    const band = this.backdrop.firstChild;
    attrs(band, { y: backdropY - 10, fill: scene.backdrop_color || 'url(#no-backdrop)' });
    band.classList.toggle('backdrop-none', !scene.backdrop_color);
    attrs(this.backdrop.lastChild, { y: backdropY + 12 });
    this.backdrop.lastChild.textContent = scene.backdrop_color
      ? `backdrop ${distanceText(scene.background_distance)} behind`
      : `background ${distanceText(scene.background_distance)} behind (no backdrop)`;

    // the camera's field of view, as a faint cone toward the subject
    const cam = scene.camera_settings;
    const fov = deg(2 * Math.atan(36 / (2 * cam.focal_length)));
    const reach = view.cameraY - 14 - (CY - 30);
    const spread = Math.tan(rad(Math.min(fov, 150) / 2)) * reach;
    attrs(this.fov, { points: `${CX},${view.cameraY - 14} ${CX - spread},${CY - 30} ${CX + spread},${CY - 30}` });
    this.camera.lastChild.textContent = `Camera · ${Math.round(cam.focal_length)} mm · f/${cam.aperture}`;

    // the subject's head turn
    const yaw = scene.subject_yaw;
    attrs(this.subject, {
      transform: `translate(${CX} ${CY}) rotate(${-yaw})`,
      'aria-valuenow': Math.round(yaw),
      'aria-valuetext': yaw === 0 ? 'facing the camera' : `turned ${Math.abs(Math.round(yaw))}° toward camera-${yaw > 0 ? 'right' : 'left'}`,
    });
    this.subjectLabel.textContent = yaw === 0 ? '' : `head ${azimuthText(yaw)}`;

    let far = false;
    const placed = [];
    for (const role of conventions.roles) {
      const light = scene.lighting_setup[role];
      if (!light || role === 'ambient') {
        const gone = this.nodes.get(role);
        if (gone) {
          gone.group.remove(); gone.label.remove(); gone.beam.remove(); gone.leader.remove();
          this.nodes.delete(role);
        }
        continue;
      }
      if (light.distance > conventions.scale.linear_limit_m) far = true;
      const node = this.lightNode(role);
      const at = placeLight(role, light, scene, conventions);
      const on = light.enabled && light.intensity > 0;
      const face = faceLength(light, conventions);
      const iconKey = `${light.modifier}:${face.toFixed(1)}`;
      if (node.iconKey !== iconKey) {
        node.icon.replaceChildren(...iconShapes(light, face));
        node.iconKey = iconKey;
      }
      const aim = deg(Math.atan2(at.target[1] - at.y, at.target[0] - at.x));
      attrs(node.group, {
        transform: `translate(${at.x.toFixed(1)} ${at.y.toFixed(1)})`,
        'data-azimuth': light.azimuth,
        'data-distance': light.distance,
        'data-enabled': String(on),
        'data-x': at.x.toFixed(1),
        'data-y': at.y.toFixed(1),
        'aria-label': `${conventions.role(role).label} light${on ? '' : ' (off)'}: ${azimuthWords(light.azimuth)}, ${elevationText(light.elevation)} high, ${distanceText(light.distance)}${role === 'background' ? ' from the backdrop' : ''}`,
        'aria-pressed': String(this.store.selected === role),
      });
      node.group.classList.toggle('off', !on);
      node.group.classList.toggle('selected', this.store.selected === role);
      attrs(node.icon, { transform: `rotate(${aim.toFixed(1)})` });

      // the beam, tinted with the light's colour as the camera's white balance renders it
      const [tx, ty] = at.target;
      const len = Math.hypot(tx - at.x, ty - at.y) || 1;
      const ux = (tx - at.x) / len;
      const uy = (ty - at.y) / len;
      const px = -uy;
      const py = ux;
      const near = role === 'background' ? 30 : 13;
      const pts = [
        [at.x + px * face / 2, at.y + py * face / 2], [tx + px * near, ty + py * near],
        [tx - px * near, ty - py * near], [at.x - px * face / 2, at.y - py * face / 2],
      ];
      attrs(node.beam, {
        points: pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '),
        fill: swatchHex(light.color_temperature, wb),
        'fill-opacity': on ? (0.05 + 0.16 * light.intensity).toFixed(3) : 0,
      });
      node.name.textContent = `${conventions.role(role).label}${on ? '' : ' · off'}`;
      const mod = light.modifier ? conventions.modifier(light.modifier)?.short || '' : '';
      node.detail.textContent = `${azimuthText(light.azimuth)} · ${elevationText(light.elevation)} · ${distanceText(light.distance)}${mod ? ` · ${mod}` : ''}`;
      placed.push({ role, node, x: at.x, y: at.y });
    }
    this.farRing.style.display = far ? '' : 'none';
    this.placeLabels(placed);
  }

  /** Labels beside their lights, never over one another: each (key first) goes to the first
   * place around its light — outward first, then turned further and farther out — that stays in
   * the drawing and clear of the labels already placed, the lights, the subject, the camera and
   * the guides' words; failing that, clear of the other labels and over as little of the rest as
   * can be. A label away from its light gets a leader line to it. */
  placeLabels(placed) {
    const view = this.view;
    const backdropY = CY - this.conventions.diagramRadius(this.store.scene.background_distance);
    const obstacles = [
      ...this.fixed,
      { x0: view.x0, y0: backdropY - 10, x1: view.x0 + view.w, y1: backdropY + 14 },
      { x0: CX - 40, y0: CY - 36, x1: CX + 40, y1: CY + 60 },
      { x0: CX - 20, y0: view.cameraY - 16, x1: CX + 150, y1: view.cameraY + 14 },
      ...placed.map((p) => ({ x0: p.x - HANDLE_R, y0: p.y - HANDLE_R, x1: p.x + HANDLE_R, y1: p.y + HANDLE_R })),
    ];
    const labels = [];
    const inside = (c) => c.x0 >= view.x0 + 2 && c.x1 <= view.x0 + view.w - 2
      && c.y0 >= view.y0 + 2 && c.y1 <= view.y0 + view.h - 2;
    const grown = (c) => ({ x0: c.x0 - LABEL_MARGIN, y0: c.y0 - LABEL_MARGIN, x1: c.x1 + LABEL_MARGIN, y1: c.y1 + LABEL_MARGIN });
    // every width measured before any label moves, so the page lays the text out once
    const widths = placed.map((p) => Math.max(textWidth(p.node.name, 6.6), textWidth(p.node.detail, 6)) + 2);
    for (const [i, p] of placed.entries()) {
      const w = widths[i];
      const out = Math.hypot(p.x - CX, p.y - CY) > 1e-6 ? Math.atan2(p.y - CY, p.x - CX) : Math.PI / 2;
      const candidates = LABEL_CANDIDATES.map(({ turn, gap }) => {
        const a = out + rad(turn);
        const ux = Math.cos(a);
        const uy = Math.sin(a);
        const ax = p.x + ux * (HANDLE_R + gap);
        const ay = p.y + uy * (HANDLE_R + gap);
        const anchor = ux > 0.35 ? 'start' : ux < -0.35 ? 'end' : 'middle';
        const x0 = anchor === 'start' ? ax : anchor === 'end' ? ax - w : ax - w / 2;
        const y0 = uy > 0.35 ? ay : uy < -0.35 ? ay - LABEL_H : ay - LABEL_H / 2;
        return { x0, y0, x1: x0 + w, y1: y0 + LABEL_H, anchor };
      }).filter(inside);
      const clearOfLabels = (c) => labels.every((l) => shared(grown(c), l) === 0);
      const clearOfAll = (c) => clearOfLabels(c) && obstacles.every((o) => shared(c, o) === 0);
      const crowding = (c) => labels.reduce((sum, l) => sum + shared(grown(c), l), 0);
      const covering = (c) => obstacles.reduce((sum, o) => sum + shared(c, o), 0);
      const least = (pool, cost) => pool.reduce((best, c) => (cost(c) < cost(best) ? c : best), pool[0]);
      const clear = candidates.filter(clearOfLabels);
      const chosen = candidates.find(clearOfAll) || least(clear, covering)
        || least(candidates, crowding)
        || { x0: p.x + HANDLE_R, y0: p.y - LABEL_H / 2, x1: p.x + HANDLE_R + w, y1: p.y + LABEL_H / 2, anchor: 'start' };
      labels.push(chosen);
      const tx = chosen.anchor === 'start' ? chosen.x0 : chosen.anchor === 'end' ? chosen.x1 : (chosen.x0 + chosen.x1) / 2;
      for (const [node, dy] of [[p.node.name, 11], [p.node.detail, 24]]) {
        attrs(node, { x: tx.toFixed(1), y: (chosen.y0 + dy).toFixed(1), 'text-anchor': chosen.anchor });
      }
      Object.assign(p.node.label.dataset, { x0: chosen.x0.toFixed(1), y0: chosen.y0.toFixed(1), x1: chosen.x1.toFixed(1), y1: chosen.y1.toFixed(1) });
      // a leader line from the light's handle to the nearest point of a label set away from it
      const nx = clamp(p.x, chosen.x0, chosen.x1);
      const ny = clamp(p.y, chosen.y0, chosen.y1);
      const reach = Math.hypot(nx - p.x, ny - p.y);
      const far = reach > HANDLE_R + 12;
      p.node.leader.style.display = far ? '' : 'none';
      if (far) {
        const ux = (nx - p.x) / reach;
        const uy = (ny - p.y) / reach;
        attrs(p.node.leader, { x1: (p.x + ux * 9).toFixed(1), y1: (p.y + uy * 9).toFixed(1), x2: nx.toFixed(1), y2: ny.toFixed(1) });
      }
      p.node.leader.style.setProperty('--accent', this.conventions.role(p.role).accent);
      p.node.label.classList.toggle('selected', this.store.selected === p.role);
      p.node.label.style.setProperty('--accent', this.conventions.role(p.role).accent);
    }
    // a ring's distance under a light's label gives way (the other rings still say theirs)
    for (const ring of this.ringLabels) {
      ring.style.display = '';
      const b = ring.getBBox();
      const box = { x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height };
      ring.style.display = labels.some((l) => shared(l, box) > 0) ? 'none' : '';
    }
  }
}
