/**
 * ICU, and so `Intl` in Node and in browsers, still calls some zones by names the IANA database
 * replaced years ago: `Intl.DateTimeFormat(…, { timeZone: 'Asia/Kolkata' })` resolves to
 * `Asia/Calcutta`. People look for the current names, so zones are stored and shown by them.
 * Keys are ICU's canonical spellings (what `resolvedOptions().timeZone` answers). The booking
 * pages use the same table for the names browsers report (shared/web/common/zones.ts).
 */
export const CURRENT_ZONE_NAMES: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/**
 * The zone's name as people know it today, in its canonical case: `europe/london` ->
 * `Europe/London`, `Asia/Calcutta` and `asia/kolkata` -> `Asia/Kolkata`. Throws a RangeError
 * for a zone `Intl` does not know; validate first.
 */
export function currentZoneName(zone: string): string {
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return CURRENT_ZONE_NAMES[canonical] ?? canonical;
}
