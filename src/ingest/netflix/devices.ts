// Netflix's Device Type is a free product name ("Roku Rockett Set Top Box", "Apple iPhone XR",
// "Netflix Chrome MAC (Cadmium) HTML 5"); binge keeps a coarse kind. Order matters: consoles and
// TVs first, since "Sony Android TV" is a TV and "DefaultWidevineAndroidPhone" a phone.

const KINDS: readonly [kind: string, pattern: RegExp][] = [
  ['console', /PlayStation|\bPS[345]\b|Xbox|Nintendo|Wii U/i],
  ['tv', /\bTV\b|Smart TV|Set Top Box|\bSTB\b|Roku|Fire ?TV|Chromecast|Google TV|Blu-?ray/i],
  ['tablet', /iPad|Tablet|Kindle/i],
  ['phone', /iPhone|Phone|Android/i],
  ['browser', /Chrome|Firefox|Safari|Edge|Opera|Internet Explorer|Cadmium|HTML ?5/i],
];

export function deviceKindOf(deviceType: string): string {
  for (const [kind, pattern] of KINDS) if (pattern.test(deviceType)) return kind;
  return 'other';
}
