import type { Region } from '../config/config.js';
import { getContainer } from '../cosmos/client.js';
import { statusOf, TenantStore, trustTenantId, type TenantId } from '../cosmos/tenant-store.js';
import { NotFoundError } from '../errors.js';

/**
 * The global directory: public slug -> tenant id and region. It holds no personal data, so it
 * may live outside the tenant's region; everything else about a tenant stays in its partition.
 */
interface SlugEntry {
  id: string;
  kind: 'slug';
  slug: string;
  tenantId: string;
  region: Region;
  createdAt: string;
}

export interface ResolvedTenant {
  tenantId: TenantId;
  region: Region;
}

const slugKey = (slug: string) => `slug:${slug}`;

/** Records the slug for a tenant; `false` when another business already has it. */
export async function claimSlug(slug: string, tenantId: string, region: Region): Promise<boolean> {
  const entry: SlugEntry = {
    id: slugKey(slug),
    kind: 'slug',
    slug,
    tenantId,
    region,
    createdAt: new Date().toISOString(),
  };
  try {
    await getContainer('directory').items.create(entry);
    return true;
  } catch (error) {
    if (statusOf(error) === 409) return false;
    throw error;
  }
}

/** Finds the tenant behind a public slug. Unknown slugs resolve to `undefined`. */
export async function resolveSlug(slug: string): Promise<ResolvedTenant | undefined> {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(slug)) return undefined;
  const key = slugKey(slug);
  const { resource } = await getContainer('directory').item(key, key).read<SlugEntry>();
  if (!resource || resource.kind !== 'slug') return undefined;
  return { tenantId: trustTenantId(resource.tenantId), region: resource.region };
}

/** The data handle of the business behind a public slug; 404 when there is none. */
export async function storeForSlug(slug: string): Promise<TenantStore> {
  const tenant = await resolveSlug(slug);
  if (!tenant) throw new NotFoundError(`Business "${slug.slice(0, 63)}"`);
  return TenantStore.for(tenant.tenantId);
}
