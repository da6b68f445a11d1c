import { describe, expect, it } from 'vitest';

import { getService, type ServiceRecord } from '../../shared/catalog/services.js';
import { TenantStore, trustTenantId } from '../../shared/cosmos/tenant-store.js';
import { updateChecked, versionOf } from '../../shared/cosmos/versions.js';
import { useTestHost } from '../support/env.js';
import { Api, setUpBusiness, WEEKDAYS_9_TO_5 } from './api-client.js';

const host = useTestHost();
const api = new Api(() => host().baseUrl);

/** A strong entity tag, quoted (RFC 9110 §8.8.3). */
const STRONG_TAG = /^"[\x21\x23-\x7e]+"$/;

const ifMatch = (tag: string) => ({ headers: { 'If-Match': tag } });

const CONSULTATION = { name: 'Consultation', durationMinutes: 60 };

const ALEX = { name: 'Alex', timeZone: 'Europe/London', weeklyHours: WEEKDAYS_9_TO_5 };

describe('PUT /api/admin/services/{id} with If-Match', () => {
  it('answers the version in ETag and as version, on GET, list, POST and PUT', async () => {
    const biz = await setUpBusiness(api);
    const got = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag')!;
    expect(etag).toMatch(STRONG_TAG);
    expect(got.body.version).toBe(etag);
    const listed = await biz.admin.get('/api/admin/services');
    expect(listed.body.items.map((s: { version: string }) => s.version)).toEqual([etag]);

    const body = { ...CONSULTATION, name: 'Long consultation', staffIds: [biz.staffId] };
    const put = await biz.admin.put(`/api/admin/services/${biz.serviceId}`, body, ifMatch(etag));
    expect(put.status).toBe(200);
    const next = put.headers.get('etag')!;
    expect(next).toMatch(STRONG_TAG);
    expect(next).not.toBe(etag);
    expect(put.body).toMatchObject({ name: 'Long consultation', version: next });
    const again = await biz.admin.get(`/api/admin/services/${biz.serviceId}`);
    expect(again.headers.get('etag')).toBe(next);

    // The same tab saves a second time with the version its first save answered.
    const second = await biz.admin.put(
      `/api/admin/services/${biz.serviceId}`,
      { ...body, durationMinutes: 90 },
      ifMatch(next),
    );
    expect(second.status).toBe(200);
    expect(second.body.durationMinutes).toBe(90);

    const created = await biz.admin.post('/api/admin/services', { ...body, name: 'Follow-up' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toMatch(STRONG_TAG);
    expect(created.body.version).toBe(created.headers.get('etag'));
  });

  it('answers 412 edited_elsewhere to a stale version and keeps the other change', async () => {
    const biz = await setUpBusiness(api);
    const loaded = (await biz.admin.get(`/api/admin/services/${biz.serviceId}`)).body;
    const path = `/api/admin/services/${biz.serviceId}`;

    // Tab 1 renames it; tab 2, still showing the old service, changes the duration.
    const renamed = await biz.admin.put(
      path,
      { ...CONSULTATION, name: 'Intro call', staffIds: [biz.staffId] },
      ifMatch(loaded.version),
    );
    expect(renamed.status).toBe(200);
    const stale = await biz.admin.put(
      path,
      { ...CONSULTATION, durationMinutes: 45, staffIds: [biz.staffId] },
      ifMatch(loaded.version),
    );
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({
      error: {
        code: 'edited_elsewhere',
        message: `Service ${biz.serviceId} was changed by someone else since you loaded it, so nothing was saved; load it again to see their changes, then make yours again.`,
        details: null,
      },
    });

    const now = await biz.admin.get(path);
    expect(now.body).toMatchObject({ name: 'Intro call', durationMinutes: 60 });
    expect(now.headers.get('etag')).toBe(renamed.headers.get('etag'));
  });

  it('refuses a stale version with 412 before the staff it would drop are checked', async () => {
    const biz = await setUpBusiness(api);
    const path = `/api/admin/services/${biz.serviceId}`;
    const loaded = (await biz.admin.get(path)).body;
    const other = { ...CONSULTATION, name: 'Intro call', staffIds: [biz.staffId] };
    expect((await biz.admin.put(path, other)).status).toBe(200);

    const unknown = await biz.admin.put(
      path,
      { ...CONSULTATION, staffIds: ['stf_nobody'] },
      ifMatch(loaded.version),
    );
    expect(unknown.status).toBe(412);
    expect((await biz.admin.get(path)).body.staffIds).toEqual([biz.staffId]);
  });

  it('changes the version of a service when removing a staff member takes them off it', async () => {
    const biz = await setUpBusiness(api);
    const kim = await biz.admin.post('/api/admin/staff', { ...ALEX, name: 'Kim' });
    const path = `/api/admin/services/${biz.serviceId}`;
    const both = { ...CONSULTATION, staffIds: [biz.staffId, kim.body.id] };
    expect((await biz.admin.put(path, both)).status).toBe(200);
    const loaded = (await biz.admin.get(path)).body;

    expect((await biz.admin.delete(`/api/admin/staff/${kim.body.id}`)).status).toBe(204);
    const after = await biz.admin.get(path);
    expect(after.body.staffIds).toEqual([biz.staffId]);
    expect(after.body.version).not.toBe(loaded.version);
    // Saving the form loaded before would put the removed person back.
    expect((await biz.admin.put(path, both, ifMatch(loaded.version))).status).toBe(412);
  });

  it('takes * as "if it exists", and a list naming the current version', async () => {
    const biz = await setUpBusiness(api);
    const path = `/api/admin/services/${biz.serviceId}`;
    const body = { ...CONSULTATION, staffIds: [biz.staffId] };
    const any = await biz.admin.put(path, { ...body, capacity: 2 }, ifMatch('*'));
    expect(any.status).toBe(200);
    expect(any.body.capacity).toBe(2);

    const current = any.headers.get('etag')!;
    const listed = await biz.admin.put(path, body, ifMatch(`"nope", W/${current}, ${current}`));
    expect(listed.status).toBe(200);
    // A weak tag never matches (strong comparison), though its opaque part is the version's.
    const weak = await biz.admin.put(path, body, ifMatch(`W/${listed.headers.get('etag')}`));
    expect(weak.status).toBe(412);

    const missing = await biz.admin.put('/api/admin/services/svc_missing', body, ifMatch('*'));
    expect(missing.status).toBe(404);
  });

  it('answers 422 naming header.If-Match when it is not an entity tag list', async () => {
    const biz = await setUpBusiness(api);
    const path = `/api/admin/services/${biz.serviceId}`;
    const before = (await biz.admin.get(path)).body;
    const body = { ...CONSULTATION, name: 'Changed', staffIds: [biz.staffId] };
    const unquoted = before.version.slice(1, -1);
    for (const value of [unquoted, '"a" "b"', '*, "a"', '"unterminated', ',']) {
      const refused = await biz.admin.put(path, body, ifMatch(value));
      expect(refused.status, value).toBe(422);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual([
        'header.If-Match',
      ]);
      expect(refused.body.error.message).toMatch(/^header\.If-Match: must be \* or the ETag/);
    }
    expect((await biz.admin.get(path)).body).toEqual(before);
  });

  it('still replaces the service without If-Match, whatever changed meanwhile', async () => {
    const biz = await setUpBusiness(api);
    const path = `/api/admin/services/${biz.serviceId}`;
    await biz.admin.put(path, { ...CONSULTATION, name: 'Intro call', staffIds: [biz.staffId] });
    const blind = await biz.admin.put(path, {
      ...CONSULTATION,
      durationMinutes: 45,
      staffIds: [biz.staffId],
    });
    expect(blind.status).toBe(200);
    expect(blind.body).toMatchObject({ name: 'Consultation', durationMinutes: 45 });
    expect(blind.headers.get('etag')).toBe(blind.body.version);
  });

  it('refuses a write whose version changed between the check and the write', async () => {
    const biz = await setUpBusiness(api);
    const store = TenantStore.for(trustTenantId(biz.tenantId));
    const checked = await getService(store, biz.serviceId);
    // Someone else saves after the version was checked, before the write.
    const path = `/api/admin/services/${biz.serviceId}`;
    await biz.admin.put(path, { ...CONSULTATION, name: 'Intro call', staffIds: [biz.staffId] });

    const write = updateChecked<ServiceRecord>(
      store,
      checked,
      [versionOf(checked)],
      `Service ${biz.serviceId}`,
      (current) => ({ ...current, durationMinutes: 45 }),
    );
    await expect(write).rejects.toMatchObject({ status: 412, code: 'edited_elsewhere' });
    expect((await biz.admin.get(path)).body).toMatchObject({
      name: 'Intro call',
      durationMinutes: 60,
    });
  });
});

describe('PUT /api/admin/staff/{id} with If-Match', () => {
  it('answers the version in ETag and as version, and a new one after a save', async () => {
    const biz = await setUpBusiness(api);
    const path = `/api/admin/staff/${biz.staffId}`;
    const got = await biz.admin.get(path);
    const etag = got.headers.get('etag')!;
    expect(etag).toMatch(STRONG_TAG);
    expect(got.body.version).toBe(etag);
    const listed = await biz.admin.get('/api/admin/staff');
    expect(listed.body.items.map((s: { version: string }) => s.version)).toEqual([etag]);

    const saved = await biz.admin.put(path, { ...ALEX, name: 'Alex Kim' }, ifMatch(etag));
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toMatch(STRONG_TAG);
    expect(saved.headers.get('etag')).not.toBe(etag);
    expect(saved.body.version).toBe(saved.headers.get('etag'));

    const created = await biz.admin.post('/api/admin/staff', { ...ALEX, name: 'Kim' });
    expect(created.headers.get('etag')).toBe(created.body.version);
  });

  it('keeps the owner’s new hours when an older form is saved: 412 edited_elsewhere', async () => {
    const biz = await setUpBusiness(api);
    const path = `/api/admin/staff/${biz.staffId}`;
    const loaded = (await biz.admin.get(path)).body;
    const saturdays = { ...WEEKDAYS_9_TO_5, sat: [{ start: '10:00', end: '14:00' }] };
    const hours = await biz.admin.put(
      path,
      { ...ALEX, weeklyHours: saturdays },
      ifMatch(loaded.version),
    );
    expect(hours.status).toBe(200);

    const rename = await biz.admin.put(path, { ...ALEX, name: 'Alex K' }, ifMatch(loaded.version));
    expect(rename.status).toBe(412);
    expect(rename.body.error).toEqual({
      code: 'edited_elsewhere',
      message: `Staff member ${biz.staffId} was changed by someone else since you loaded it, so nothing was saved; load it again to see their changes, then make yours again.`,
      details: null,
    });
    const now = (await biz.admin.get(path)).body;
    expect(now.name).toBe('Alex');
    expect(now.weeklyHours).toEqual(saturdays);
  });

  it('takes *, refuses a malformed If-Match with 422, and replaces without one', async () => {
    const biz = await setUpBusiness(api);
    const path = `/api/admin/staff/${biz.staffId}`;
    expect((await biz.admin.put(path, { ...ALEX, name: 'A' }, ifMatch('*'))).status).toBe(200);
    const missing = await biz.admin.put('/api/admin/staff/stf_missing', ALEX, ifMatch('*'));
    expect(missing.status).toBe(404);

    const malformed = await biz.admin.put(path, { ...ALEX, name: 'B' }, ifMatch('v1'));
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.details).toEqual([
      {
        path: 'header.If-Match',
        message:
          'must be * or the ETag of the item as loaded (a quoted entity tag such as "abc", as the ETag header or the version field gives it), or a comma-separated list of them',
      },
    ]);
    expect((await biz.admin.get(path)).body.name).toBe('A');

    const blind = await biz.admin.put(path, { ...ALEX, name: 'C' });
    expect(blind.status).toBe(200);
    expect(blind.body.name).toBe('C');
  });
});
