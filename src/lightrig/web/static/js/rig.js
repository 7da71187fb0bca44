// A studio's geometry and habits: a source's apparent size, where inverse square holds, and
// where a photographer puts a new light. The vocabulary and the scales (roles, modifiers and
// their sizes, softness, the diagram's distance scale) come from the API: see conventions.js.

const deg = (r) => (r * 180) / Math.PI;

/** Degrees a source `size` metres across spans seen from `distance` metres: θ = 2·atan(D/2d). */
export const apparentAngle = (size, distance) => deg(2 * Math.atan(size / (2 * distance)));

/** Inverse square only holds beyond about five source diameters; closer, light falls off more
 * gently than it predicts. */
export const isNearField = (size, distance) => distance < 5 * size;

/** Where a photographer puts a light of this role by habit — on the side the key leaves open,
 * at the role's usual height (the API's), with its usual modifier at its typical size — and at
 * the key's colour temperature (lights match unless mixed on purpose). */
export function defaultLight(role, scene, conventions) {
  const key = scene && scene.lighting_setup.key;
  const keySide = key && key.azimuth > 0 ? 1 : -1; // −1: the key is at camera-left
  const kelvin = key ? key.color_temperature : 5600;
  const base = { enabled: true, color_temperature: kelvin };
  const elevation = conventions.role(role).defaultElevation;
  const shaped = (modifier) => ({ modifier, modifier_size: conventions.modifier(modifier).size });
  switch (role) {
    case 'key':
      return { ...base, azimuth: -45, elevation, distance: 1.5, intensity: 0.8, ...shaped('softbox') };
    case 'fill': // near the lens on the far side: opens shadows without a second nose shadow
      return { ...base, azimuth: -keySide * 25, elevation, distance: 2.0, intensity: 0.35, ...shaped('umbrella') };
    case 'rim': // behind, opposite the key: the shadow side's edge needs it most
      return { ...base, azimuth: -keySide * 135, elevation, distance: 1.5, intensity: 0.5, ...shaped('strip_box') };
    case 'kicker':
      return { ...base, azimuth: keySide * 130, elevation, distance: 1.8, intensity: 0.4, ...shaped('strip_box') };
    case 'hair':
      return { ...base, azimuth: 180, elevation, distance: 1.2, intensity: 0.3, ...shaped('strip_box') };
    case 'background': // distance is to the backdrop
      return { ...base, azimuth: 180, elevation, distance: 1.0, intensity: 0.4, ...shaped('bare') };
    case 'ambient': // from everywhere: no position, as the API places it
      return { ...base, azimuth: 0, elevation: 90, distance: 1.5, intensity: 0.05, modifier: null, modifier_size: conventions.defaultSize };
    default:
      throw new Error(`unknown role ${role}`);
  }
}

/** Wrap degrees into (−180, 180]. */
export function wrapDegrees(value) {
  let a = ((value + 180) % 360 + 360) % 360 - 180;
  if (a === -180) a = 180;
  return a;
}
