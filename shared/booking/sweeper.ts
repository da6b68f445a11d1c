import {
  scanExpiredAuthFlows,
  scanExpiredIdempotencyRecords,
  scanLedgersWithHolds,
} from '../cosmos/platform-scan.js';
import { TenantStore, trustTenantId } from '../cosmos/tenant-store.js';
import { holdResolverFor } from './bookings.js';
import { sweepLedgerDay } from './ledger.js';

export interface SweepReport {
  ledgerDaysSwept: number;
  idempotencyRecordsPurged: number;
  authFlowsPurged: number;
}

/** Spent authorization codes stay a day past expiry, so a replayed one still revokes its grant. */
const AUTH_FLOW_GRACE_MS = 24 * 3600_000;

/**
 * Releases holds that outlived their request (a crash between claiming and storing a booking)
 * and deletes expired idempotency records, authorization codes and sign-in flows. Cosmos TTL
 * would expire the latter on its own; the embedded server never expires anything, so the job
 * does it explicitly on both.
 */
export async function sweep(now: number): Promise<SweepReport> {
  let ledgerDaysSwept = 0;
  for (const ledger of await scanLedgersWithHolds()) {
    const store = TenantStore.for(trustTenantId(ledger.tenantId));
    await sweepLedgerDay(store, ledger.staffId, ledger.day, holdResolverFor(store));
    ledgerDaysSwept++;
  }

  let idempotencyRecordsPurged = 0;
  for (const record of await scanExpiredIdempotencyRecords(now)) {
    const result = await TenantStore.for(trustTenantId(record.tenantId)).delete(
      record.id,
      record._etag,
    );
    if (result.ok) idempotencyRecordsPurged++;
  }

  let authFlowsPurged = 0;
  for (const record of await scanExpiredAuthFlows(now - AUTH_FLOW_GRACE_MS)) {
    const result = await TenantStore.for(trustTenantId(record.tenantId)).delete(
      record.id,
      record._etag,
    );
    if (result.ok) authFlowsPurged++;
  }
  return { ledgerDaysSwept, idempotencyRecordsPurged, authFlowsPurged };
}
