import { readdir, readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { SCOPES } from '../../../shared/auth/scopes.js';

/**
 * The scope a route enforces (`authorize(request, { roles, scope })`) and the scope its docs
 * announce must be the same, or third parties would be told the wrong thing.
 */
describe('route scopes', () => {
  it('documents exactly the scope each handler enforces', async () => {
    const files = (await readdir('functions')).filter((name) => name.endsWith('.ts'));
    const scoped: string[] = [];
    for (const file of files) {
      const source = await readFile(`functions/${file}`, 'utf8');
      const enforced = /authorize\(request, \{ roles: \w+, scope: '([a-z:]+)' \}\)/.exec(
        source,
      )?.[1];
      const documented = /^ {4}scope: '([a-z:]+)',$/m.exec(source)?.[1];
      expect(documented, file).toBe(enforced);
      if (enforced) {
        expect(SCOPES, file).toContain(enforced);
        scoped.push(file.replace(/\.ts$/, ''));
      }
    }
    expect(scoped.sort()).toEqual([
      'admin-bookings-cancel',
      'admin-bookings-list',
      'admin-bookings-reschedule',
      'admin-bookings-slots',
      'service-create',
      'service-delete',
      'service-get',
      'service-list',
      'service-update',
      'staff-create',
      'staff-delete',
      'staff-get',
      'staff-list',
      'staff-update',
    ]);
  });
});
