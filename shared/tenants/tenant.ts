import type { Region } from '../config/config.js';
import type { TenantDoc, TenantStore } from '../cosmos/tenant-store.js';
import { NotFoundError } from '../errors.js';

/** The business itself; one per partition, under a fixed id. */
export interface TenantRecord extends TenantDoc {
  type: 'tenant';
  businessName: string;
  slug: string;
  timeZone: string;
  region: Region;
  createdAt: string;
}

export const TENANT_DOC_ID = 'tenant';

export async function loadTenant(store: TenantStore): Promise<TenantRecord> {
  const tenant = await store.read<TenantRecord>('tenant', TENANT_DOC_ID);
  if (!tenant) throw new NotFoundError('The business');
  return tenant;
}
