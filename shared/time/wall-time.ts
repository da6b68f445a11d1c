/**
 * Wall-clock times of day (`HH:mm`, 24 h) as used in working hours.
 */

const WALL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes in a day; also the value of `24:00`. */
export const END_OF_DAY_MINUTES = 24 * 60;

/**
 * Minutes since midnight for a strict `HH:mm` time (`'09:30'` → 570), or undefined when the text
 * is not one. `'24:00'` (→ 1440) is accepted only with `role: 'end'`, because the end of a day
 * is a valid end of an interval but not a valid start.
 */
export function parseWallTime(hhmm: string, role: 'start' | 'end' = 'start'): number | undefined {
  if (hhmm === '24:00') return role === 'end' ? END_OF_DAY_MINUTES : undefined;
  const match = WALL_TIME.exec(hhmm);
  if (!match) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}
