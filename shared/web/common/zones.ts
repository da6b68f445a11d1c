import { CURRENT_ZONE_NAMES } from '../../time/zone-names.js';

/**
 * Browsers take their zone list and the visitor's own zone from ICU, which keeps the first
 * spelling it shipped as the canonical one: `Asia/Calcutta` where the tz database and everyone
 * else say `Asia/Kolkata`. The server's table of renamed zones maps them, here as there.
 * NOTE: https://github.com/tc39/proposal-canonical-tz (why engines report the old names).
 *
 * The current name of a zone (`Asia/Calcutta` -> `Asia/Kolkata`); any other name unchanged. An
 * older browser that does not know the new name keeps the old one, which it can still format.
 */
export function modernZone(zone: string): string {
  const modern = CURRENT_ZONE_NAMES[zone];
  if (!modern) return zone;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: modern });
    return modern;
  } catch {
    return zone;
  }
}
