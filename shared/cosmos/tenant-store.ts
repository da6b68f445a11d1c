import type { Container, ItemDefinition } from '@azure/cosmos';

import { AppError } from '../errors.js';
import { getContainer } from './client.js';
import type { SqlParameters, SqlText } from './sql.js';

declare const tenantBrand: unique symbol;

/**
 * A tenant id that came from a verified token or a resolved public slug, never straight from
 * request input. Only `shared/tenants` and `shared/auth` mint these.
 */
export type TenantId = string & { readonly [tenantBrand]: true };

export function trustTenantId(verified: string): TenantId {
  return verified as TenantId;
}

/** Fields every tenant-owned document carries. */
export interface TenantDoc {
  id: string;
  tenantId: string;
  type: string;
  _etag?: string;
  _ts?: number;
}

export type NewDoc<T extends TenantDoc> = Omit<T, 'tenantId' | '_etag' | '_ts'>;

/** Outcome of a conditional write: the stored document, or the fact that someone was first. */
export type WriteResult<T> = { ok: true; doc: T } | { ok: false; reason: 'conflict' | 'stale' };

/**
 * The only door to tenant data. A handle is bound to one tenant's partition: every read, write
 * and query passes that partition key, so nothing here can reach another tenant's documents.
 * Cross-partition work (backups, sweeps) lives in `platform-scan.ts`, named as such.
 */
export class TenantStore {
  readonly tenantId: TenantId;
  private readonly container: Container;

  private constructor(tenantId: TenantId, container: Container) {
    this.tenantId = tenantId;
    this.container = container;
  }

  static for(tenantId: TenantId): TenantStore {
    if (typeof tenantId !== 'string' || tenantId.length === 0) {
      throw new TypeError('A tenant id is required for tenant data.');
    }
    return new TenantStore(tenantId, getContainer('data'));
  }

  /** Reads one document of the given type; another type under the same id counts as missing. */
  async read<T extends TenantDoc>(type: T['type'], id: string): Promise<T | undefined> {
    if (!isSafeId(id)) return undefined;
    const { resource } = await this.container.item(id, this.tenantId).read<T>();
    if (!resource || resource.tenantId !== this.tenantId || resource.type !== type)
      return undefined;
    return resource;
  }

  /** Creates a document; `conflict` when the id is taken. */
  async create<T extends TenantDoc>(doc: NewDoc<T>): Promise<WriteResult<T>> {
    try {
      const { resource } = await this.container.items.create<ItemDefinition>({
        ...doc,
        tenantId: this.tenantId,
      });
      return { ok: true, doc: resource as unknown as T };
    } catch (error) {
      if (statusOf(error) === 409) return { ok: false, reason: 'conflict' };
      throw error;
    }
  }

  /** Replaces a document only if it is unchanged since it was read (its ETag still matches). */
  async replace<T extends TenantDoc>(doc: T): Promise<WriteResult<T>> {
    if (doc.tenantId !== this.tenantId) throw new TypeError('Document belongs to another tenant.');
    try {
      const { resource } = await this.container
        .item(doc.id, this.tenantId)
        .replace<T>(
          doc,
          doc._etag ? { accessCondition: { type: 'IfMatch', condition: doc._etag } } : {},
        );
      return { ok: true, doc: resource as T };
    } catch (error) {
      const status = statusOf(error);
      if (status === 412) return { ok: false, reason: 'stale' };
      if (status === 404) return { ok: false, reason: 'stale' };
      throw error;
    }
  }

  /** Deletes a document; with an ETag, only if unchanged. Missing documents count as deleted. */
  async delete(id: string, etag?: string): Promise<WriteResult<null>> {
    try {
      await this.container
        .item(id, this.tenantId)
        .delete(etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : {});
      return { ok: true, doc: null };
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return { ok: true, doc: null };
      if (status === 412) return { ok: false, reason: 'stale' };
      throw error;
    }
  }

  /** Runs a literal query inside this tenant's partition and returns every page. */
  async query<T extends TenantDoc>(query: SqlText, parameters: SqlParameters = {}): Promise<T[]> {
    const { resources } = await this.container.items
      .query<T>(
        {
          query,
          parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
        },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources.filter((doc) => doc.tenantId === this.tenantId);
  }

  /** Reads a document, applies `change`, and writes it back, retrying when someone else wrote first. */
  async update<T extends TenantDoc>(
    type: T['type'],
    id: string,
    change: (current: T) => T | undefined,
    attempts = 20,
  ): Promise<T | undefined> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const current = await this.read<T>(type, id);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      const result = await this.replace(next);
      if (result.ok) return result.doc;
    }
    throw new AppError('unavailable', 503, 'The record is busy; try again in a moment.');
  }

  /**
   * Like `update`, but only while the document is still the version whose `_etag` is `etag`:
   * one read, then one write conditional on that ETag. Never retried, as a retry would apply a
   * change meant for a version that is gone. `stale` when the document is another version, or
   * becomes one before the write; undefined when there is no such document.
   */
  async updateAt<T extends TenantDoc>(
    type: T['type'],
    id: string,
    etag: string,
    change: (current: T) => T | undefined,
  ): Promise<WriteResult<T> | undefined> {
    const current = await this.read<T>(type, id);
    if (!current) return undefined;
    if (current._etag !== etag) return { ok: false, reason: 'stale' };
    const next = change(structuredClone(current));
    if (!next) return { ok: true, doc: current };
    return this.replace({ ...next, _etag: etag });
  }
}

/** Cosmos ids may not contain these characters; such an id can never exist, so it is missing. */
function isSafeId(id: string): boolean {
  return id.length > 0 && id.length <= 255 && !/[/\\?#]/.test(id);
}

const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts', 'tenantId', 'type'];

/** A document without the store's bookkeeping fields, ready to be shown to a client. */
export function toView<T extends TenantDoc>(
  doc: T,
): Omit<T, keyof TenantDoc | 'deletedAt'> & { id: string } {
  const view = { ...doc } as Record<string, unknown>;
  for (const field of [...SYSTEM_FIELDS, 'deletedAt']) delete view[field];
  return view as Omit<T, keyof TenantDoc | 'deletedAt'> & { id: string };
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}
