// The studio's vocabulary: roles, modifiers, how softness follows from a modifier's apparent
// size, where a photographer puts a new light, and the diagram's distance scale. Mirrors
// lightrig/lighting/{roles,modifiers,softness}.py and lightrig/render/diagram.py.

export const ROLES = ['key', 'fill', 'rim', 'kicker', 'hair', 'background', 'ambient'];

/** Each role's name, diagram colour (lighter shades of the server diagram's palette, for a
 * dark UI) and what it is for. */
export const ROLE_INFO = {
  key: { label: 'Key', accent: '#ff922b', blurb: 'The main light: it sets the pattern and the exposure.' },
  fill: { label: 'Fill', accent: '#4dabf7', blurb: 'Opens the shadows; its level against the key sets the ratio.' },
  rim: { label: 'Rim', accent: '#da77f2', blurb: 'From behind: a bright edge that separates the subject from the background.' },
  kicker: { label: 'Kicker', accent: '#3bc9db', blurb: 'Behind and to the side: a glint along the jaw and cheek.' },
  hair: { label: 'Hair', accent: '#f783ac', blurb: 'High behind the head: light on hair and shoulders.' },
  background: { label: 'Background', accent: '#a9e34b', blurb: 'Lights the backdrop; its distance is measured to the backdrop.' },
  ambient: { label: 'Ambient', accent: '#ced4da', blurb: 'The room’s own light, from everywhere: no position, not on the diagram.' },
};

/** Modifiers and their typical effective diameters in metres (lighting/modifiers.py). */
export const MODIFIERS = [
  { value: 'softbox', label: 'Softbox', short: 'softbox', size: 0.9 },
  { value: 'octabox', label: 'Octabox', short: 'octabox', size: 1.2 },
  { value: 'strip_box', label: 'Strip box', short: 'strip box', size: 0.6 },
  { value: 'beauty_dish', label: 'Beauty dish', short: 'dish', size: 0.55 },
  { value: 'umbrella', label: 'Umbrella', short: 'umbrella', size: 1.05 },
  { value: 'reflector', label: 'Reflector (bounce)', short: 'reflector', size: 1.0 },
  { value: 'scrim', label: 'Diffusion scrim', short: 'scrim', size: 1.8 },
  { value: 'window', label: 'Window', short: 'window', size: 1.2 },
  { value: 'overcast', label: 'Overcast sky', short: 'overcast', size: 6.0 },
  { value: 'bare', label: 'Bare reflector', short: 'bare', size: 0.18 },
  { value: 'fresnel', label: 'Fresnel spot', short: 'fresnel', size: 0.15 },
  { value: 'snoot', label: 'Snoot', short: 'snoot', size: 0.05 },
];
export const MODIFIER_BY_VALUE = Object.fromEntries(MODIFIERS.map((m) => [m.value, m]));

/** Softness 1.0 is a source spanning 75° at 1 m (a 1.5 m octabox); softness is defined at 1 m,
 * so moving a light away makes its shadows harder, as it does in a studio. */
export const FULL_SOFTNESS_ANGLE_DEG = 75;
const rad = (deg) => (deg * Math.PI) / 180;
const deg = (r) => (r * 180) / Math.PI;

/** Degrees a source `size` metres across spans seen from `distance` metres: θ = 2·atan(D/2d). */
export const apparentAngle = (size, distance) => deg(2 * Math.atan(size / (2 * distance)));
export const softnessFromSize = (size) => Math.min(1, apparentAngle(size, 1) / FULL_SOFTNESS_ANGLE_DEG);
export const sizeFromSoftness = (s) => 2 * Math.tan(rad((s * FULL_SOFTNESS_ANGLE_DEG) / 2));

/** Shadow edges read hard under 10° of apparent size, soft over 25° (lighting/softness.py). */
export function hardnessForAngle(angle) {
  if (angle < 10) return 'hard';
  if (angle > 25) return 'soft';
  return 'medium';
}

/** Inverse square only holds beyond about five source diameters; closer, light falls off more
 * gently than it predicts. */
export const isNearField = (size, distance) => distance < 5 * size;

/** Where a photographer puts a light of this role by habit, on the side the key leaves open,
 * at the key's colour temperature (lights match unless mixed on purpose). */
export function defaultLight(role, scene) {
  const key = scene && scene.lighting_setup.key;
  const keySide = key && key.azimuth > 0 ? 1 : -1; // −1: the key is at camera-left
  const kelvin = key ? key.color_temperature : 5600;
  const base = { enabled: true, color_temperature: kelvin };
  switch (role) {
    case 'key':
      return { ...base, azimuth: -45, elevation: 35, distance: 1.5, intensity: 0.8, modifier: 'softbox', modifier_size: 0.9 };
    case 'fill': // near the lens on the far side: opens shadows without a second nose shadow
      return { ...base, azimuth: -keySide * 25, elevation: 0, distance: 2.0, intensity: 0.35, modifier: 'umbrella', modifier_size: 1.05 };
    case 'rim': // behind, opposite the key: the shadow side's edge needs it most
      return { ...base, azimuth: -keySide * 135, elevation: 20, distance: 1.5, intensity: 0.5, modifier: 'strip_box', modifier_size: 0.6 };
    case 'kicker':
      return { ...base, azimuth: keySide * 130, elevation: 10, distance: 1.8, intensity: 0.4, modifier: 'strip_box', modifier_size: 0.6 };
    case 'hair':
      return { ...base, azimuth: 180, elevation: 55, distance: 1.2, intensity: 0.3, modifier: 'strip_box', modifier_size: 0.6 };
    case 'background': // distance is to the backdrop
      return { ...base, azimuth: 180, elevation: 0, distance: 1.0, intensity: 0.4, modifier: 'bare', modifier_size: 0.18 };
    case 'ambient':
      return { ...base, azimuth: 0, elevation: 90, distance: 1.5, intensity: 0.05, modifier: null, modifier_size: sizeFromSoftness(0.5) };
    default:
      throw new Error(`unknown role ${role}`);
  }
}

// --- the top-down diagram's distance scale (render/diagram.py): linear 46 px + 42 px per metre
// up to 3 m, then 40 px per tenfold distance, so a 100 m sun still fits.
const R0 = 46;
const PX_PER_M = 42;
const LINEAR_LIMIT_M = 3;
const PX_PER_DECADE = 40;
export const MIN_DISTANCE_M = 0.1;
export const MAX_DISTANCE_M = 100;

export function diagramRadius(distance) {
  const d = Math.min(Math.max(distance, 0), MAX_DISTANCE_M);
  if (d <= LINEAR_LIMIT_M) return R0 + PX_PER_M * d;
  return R0 + PX_PER_M * LINEAR_LIMIT_M + PX_PER_DECADE * Math.log10(d / LINEAR_LIMIT_M);
}

export function distanceForRadius(radius) {
  const linearEnd = R0 + PX_PER_M * LINEAR_LIMIT_M;
  const d = radius <= linearEnd
    ? (radius - R0) / PX_PER_M
    : LINEAR_LIMIT_M * 10 ** ((radius - linearEnd) / PX_PER_DECADE);
  return Math.min(Math.max(d, MIN_DISTANCE_M), MAX_DISTANCE_M);
}

/** Wrap degrees into (−180, 180]. */
export function wrapDegrees(value) {
  let a = ((value + 180) % 360 + 360) % 360 - 180;
  if (a === -180) a = 180;
  return a;
}
