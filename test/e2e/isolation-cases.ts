/**
 * One request per HTTP function, for the tenant-isolation suite: it is sent with business A's
 * credentials (or A's slug) against business B's ids, and must never read or change B's data.
 *
 * `ids` are business B's: `slug`, `userId` (a person), `invitationId`, `bookingId` (a booking
 * made by B's signed-in customer).
 */
export type IsolationIds = Record<string, string>;

export interface IsolationCase {
  method: string;
  path: (ids: IsolationIds) => string;
  body?: unknown;
  public?: true;
}

export const ISOLATION_CASES: Record<string /* function name */, IsolationCase> = {
  'admin-users-list': { method: 'GET', path: () => '/api/admin/users' },
  'admin-users-update': {
    method: 'PATCH',
    path: (ids) => `/api/admin/users/${ids['userId']}`,
    body: { status: 'disabled' },
  },
  'admin-invitations-create': {
    method: 'POST',
    path: () => '/api/admin/invitations',
    body: { email: 'isolation@example.com', role: 'staff' },
  },
  'admin-invitations-list': { method: 'GET', path: () => '/api/admin/invitations' },
  'admin-invitations-revoke': {
    method: 'DELETE',
    path: (ids) => `/api/admin/invitations/${ids['invitationId']}`,
  },
  'auth-invitations-accept': {
    method: 'POST',
    path: () => '/api/auth/invitations/accept',
    body: {
      token: 'tnt_unknown.inv_unknown.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      password: 'a long and unguessable passphrase',
    },
    public: true,
  },
  'customer-signup': {
    method: 'POST',
    path: (ids) => `/api/public/${ids['slug']}/customers/signup`,
    body: {
      name: 'Isolation',
      email: 'isolation@example.com',
      password: 'a long and unguessable passphrase',
    },
    public: true,
  },
  'customer-login': {
    method: 'POST',
    path: (ids) => `/api/public/${ids['slug']}/customers/login`,
    body: { email: 'isolation@example.com', password: 'a long and unguessable passphrase' },
    public: true,
  },
  'customer-bookings-list': {
    method: 'GET',
    path: (ids) => `/api/public/${ids['slug']}/me/bookings`,
  },
  'customer-bookings-cancel': {
    method: 'POST',
    path: (ids) => `/api/public/${ids['slug']}/me/bookings/${ids['bookingId']}/cancel`,
  },
  'customer-bookings-reschedule': {
    method: 'POST',
    path: (ids) => `/api/public/${ids['slug']}/me/bookings/${ids['bookingId']}/reschedule`,
    body: { start: '2030-01-08T10:00:00Z' },
  },
};
