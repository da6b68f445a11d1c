/**
 * What a credential may do. People signed in get every scope their role allows; API keys and
 * third-party apps get only the scopes they were granted.
 */
export const SCOPES = ['catalog:read', 'catalog:write', 'bookings:read', 'bookings:write'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
