// Colour temperature as a photographer reads it: kelvin, mireds, gels and the swatch a light
// shows through the camera's white balance. The maths of lightrig/lighting/{colour,gels}.py, so
// the page can colour sliders and swatches without asking the server on every pixel of a drag;
// the numbers it works on — the kelvin range, the gels, the names of colours — come from the API
// (conventions.js), and tests/test_studio.py holds this maths to Python's.

/** Micro reciprocal degrees. Compare colour temperatures in mireds, never in kelvin: 1000 K is
 * 83 mired at 3000–4000 K but only 24 mired at 6000–7000 K. */
export const mired = (kelvin) => 1e6 / kelvin;
export const kelvinFromMired = (value) => 1e6 / value;

const XYZ_TO_SRGB = [
  [3.2404542, -1.5371385, -0.4985314],
  [-0.969266, 1.8760108, 0.041556],
  [0.0556434, -0.2040259, 1.0572252],
];
const BRADFORD = [
  [0.8951, 0.2664, -0.1614],
  [-0.7502, 1.7135, 0.0367],
  [0.0389, -0.0685, 1.0296],
];
const BRADFORD_INV = [
  [0.9869929, -0.1470543, 0.1599627],
  [0.4323053, 0.5183603, 0.0492912],
  [-0.0085287, 0.0400428, 0.9684867],
];
const D65 = [0.95047, 1.0, 1.08883];

const mul = (m, v) => m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]);

/** CIE 1931 xy of a black body (Kang et al. 2002; 1667–25000 K), not the daylight locus,
 * which means nothing for tungsten. */
export function planckianXy(kelvin) {
  const t = Math.min(Math.max(kelvin, 1667), 25000);
  const x = t <= 4000
    ? -0.2661239e9 / t ** 3 - 0.2343589e6 / t ** 2 + 0.8776956e3 / t + 0.17991
    : -3.0258469e9 / t ** 3 + 2.1070379e6 / t ** 2 + 0.2226347e3 / t + 0.24039;
  let y;
  if (t <= 2222) y = -1.1063814 * x ** 3 - 1.3481102 * x ** 2 + 2.18555832 * x - 0.20219683;
  else if (t <= 4000) y = -0.9549476 * x ** 3 - 1.37418593 * x ** 2 + 2.09137015 * x - 0.16748867;
  else y = 3.081758 * x ** 3 - 5.8733867 * x ** 2 + 3.75112997 * x - 0.37001483;
  return [x, y];
}

function xyz(kelvin) {
  const [x, y] = planckianXy(kelvin);
  return [x / y, 1, (1 - x - y) / y];
}

/** Linear sRGB of a black body photographed at `whiteBalance` K (von Kries in Bradford space):
 * a light at the white balance comes out neutral. */
export function kelvinToLinearSrgb(kelvin, whiteBalance = 6504) {
  const light = mul(BRADFORD, xyz(kelvin));
  const white = mul(BRADFORD, xyz(whiteBalance));
  const target = mul(BRADFORD, D65);
  const adapted = light.map((c, i) => (c * target[i]) / white[i]);
  return mul(XYZ_TO_SRGB, mul(BRADFORD_INV, adapted));
}

const encode = (v) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);

/** '#rrggbb' of a light's colour with its brightest channel at full scale. */
export function swatchHex(kelvin, whiteBalance = 6504) {
  const rgb = kelvinToLinearSrgb(kelvin, whiteBalance).map((c) => Math.max(0, c));
  const peak = Math.max(...rgb) || 1;
  return `#${rgb
    .map((c) => Math.round(255 * encode(c / peak)).toString(16).padStart(2, '0'))
    .join('')}`;
}

/** A CSS gradient of the kelvin range as the camera sees it, laid out evenly in mireds (the
 * kelvin sliders move in mireds, so equal travel is an equal change of colour). */
export function kelvinGradient(minK, maxK, whiteBalance, steps = 12) {
  const stops = [];
  for (let i = 0; i <= steps; i += 1) {
    const k = kelvinFromMired(mired(minK) + ((mired(maxK) - mired(minK)) * i) / steps);
    stops.push(`${swatchHex(k, whiteBalance)} ${((100 * i) / steps).toFixed(1)}%`);
  }
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}

/** How a light renders against the white balance: within 10 mired reads neutral, 10–40
 * slight, 40–100 clear, beyond 100 deep (lighting/colour.py). */
export function colourCast(kelvin, whiteBalance) {
  const shift = mired(kelvin) - mired(whiteBalance);
  const size = Math.abs(shift);
  if (size <= 10) return 'neutral';
  const side = shift > 0 ? 'warm' : 'cool';
  if (size <= 40) return `slightly ${side}`;
  if (size <= 100) return side;
  return `deep ${side}`;
}

/** A second gel only earns its place when it gets at least 8 mired (about one just-noticeable
 * difference) closer. */
const WORTH_A_SECOND_GEL = 8;

/** The gel, or pair of gels of one family, closest to `needed` mireds; null when the lights
 * already read as matched. Gels (and the match) are the API's: `conventions.gels`. */
export function suggestGel(needed, conventions) {
  if (Math.abs(needed) <= conventions.matchedMired) return null;
  const family = conventions.gels.filter((g) => g.shift > 0 === needed > 0);
  let single = family[0];
  for (const g of family) if (Math.abs(needed - g.shift) < Math.abs(needed - single.shift)) single = g;
  let pair = [family[0], family[0]];
  for (let i = 0; i < family.length; i += 1) {
    for (let j = i; j < family.length; j += 1) {
      const shift = family[i].shift + family[j].shift;
      if (Math.abs(needed - shift) < Math.abs(needed - pair[0].shift - pair[1].shift)) {
        pair = [family[i], family[j]];
      }
    }
  }
  const pairShift = pair[0].shift + pair[1].shift;
  if (Math.abs(needed - pairShift) + WORTH_A_SECOND_GEL <= Math.abs(needed - single.shift)) {
    return { gels: pair, shift: pairShift, residual: needed - pairShift };
  }
  return { gels: [single], shift: single.shift, residual: needed - single.shift };
}

export function gelLabel(suggestion) {
  return suggestion.gels.map((g) => g.label).join(' + ');
}

/** '1/2 CTO + 1/8 CTO' as the server writes gels → '½ CTO + ⅛ CTO'. */
export function prettyGel(name) {
  return String(name)
    .replaceAll('1/2', '½').replaceAll('1/4', '¼').replaceAll('1/8', '⅛')
    .replace(/\bfull\b/g, 'Full');
}

/** A light's colour said the way it is made on set: a 5600 K flash head behind a gel (or a
 * 3200 K tungsten lamp for the warmest colours, which a single daylight gel cannot reach). */
export function asGelledSource(kelvin, conventions) {
  const daylight = suggestGel(mired(kelvin) - mired(5600), conventions);
  if (!daylight) return { source: 'daylight / flash', gel: null, residual: mired(kelvin) - mired(5600) };
  const tungsten = suggestGel(mired(kelvin) - mired(3200), conventions);
  if (kelvin < 3000 && (!tungsten || Math.abs(tungsten.residual) < Math.abs(daylight.residual))) {
    return tungsten
      ? { source: '3200 K tungsten', gel: gelLabel(tungsten), residual: tungsten.residual }
      : { source: '3200 K tungsten', gel: null, residual: mired(kelvin) - mired(3200) };
  }
  return { source: '5600 K flash', gel: gelLabel(daylight), residual: daylight.residual };
}

/** sRGB hex → relative luminance (linear Y), the backdrop's reflectance as paint. */
export function luminanceOfHex(hex) {
  const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
