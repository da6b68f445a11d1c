/**
 * Current IANA names for the zones the browser may still call by an old name. Chromium takes its
 * zone list and the visitor's own zone from ICU, which keeps the first spelling it shipped as the
 * canonical one: `Asia/Calcutta` where the tz database and everyone else say `Asia/Kolkata`.
 * NOTE: https://github.com/tc39/proposal-canonical-tz (why engines report the old names).
 */
export const LEGACY_ZONES: Readonly<Record<string, string>> = {
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
 * The current name of a zone (`Asia/Calcutta` -> `Asia/Kolkata`); any other name unchanged. An
 * older browser that does not know the new name keeps the old one, which it can still format.
 */
export function modernZone(zone: string): string {
  const modern = LEGACY_ZONES[zone];
  if (!modern) return zone;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: modern });
    return modern;
  } catch {
    return zone;
  }
}
