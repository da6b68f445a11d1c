import { getContainer } from './client.js';
import { sql, type SqlParameters, type SqlText } from './sql.js';

/**
 * Cross-partition reads for platform jobs only (sweeps, backups, retention). Never called from
 * a request: a request reaches data only through its own tenant's `TenantStore`.
 */
async function scanAllTenants<T>(query: SqlText, parameters: SqlParameters): Promise<T[]> {
  const { resources } = await getContainer('data')
    .items.query<T>({
      query,
      parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
    })
    .fetchAll();
  return resources;
}

/** Ledger days, across tenants, that still carry holds. */
export function scanLedgersWithHolds() {
  return scanAllTenants<{ tenantId: string; staffId: string; day: string }>(
    sql`SELECT c.tenantId, c.staffId, c.day FROM c WHERE c.type = 'ledger' AND c.holds = true`,
    {},
  );
}

/** Idempotency records, across tenants, past their expiry. */
export function scanExpiredIdempotencyRecords(now: number) {
  return scanAllTenants<{ tenantId: string; id: string; _etag: string }>(
    sql`SELECT c.tenantId, c.id, c._etag FROM c WHERE c.type = 'idempotency' AND c.expiresAt <= @now`,
    { '@now': now },
  );
}

/**
 * Spent or abandoned sign-in state, across tenants: OAuth authorization codes and OpenID Connect
 * flows whose `expiresAt` is before `cutoff`.
 */
export function scanExpiredAuthFlows(cutoff: number) {
  return scanAllTenants<{ tenantId: string; id: string; _etag: string }>(
    sql`SELECT c.tenantId, c.id, c._etag FROM c WHERE (c.type = 'oauth-code' OR c.type = 'oidc-flow') AND c.expiresAt <= @cutoff`,
    { '@cutoff': cutoff },
  );
}
