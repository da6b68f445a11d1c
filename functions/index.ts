/**
 * Loads every function. Azure runs this file (package.json `main`); the local host imports it
 * too, so both see the same registry.
 */
import './health.js';
import './openapi.js';
import './auth-signup.js';
import './auth-login.js';
import './auth-jwks.js';
import './auth-oidc-start.js';
import './auth-oidc-callback.js';
import './api-keys-create.js';
import './api-keys-list.js';
import './api-keys-revoke.js';
import './oauth-clients-create.js';
import './oauth-clients-list.js';
import './oauth-authorize.js';
import './oauth-consent.js';
import './oauth-token.js';
import './oauth-revoke.js';
import './oauth-connections-list.js';
import './oauth-connections-revoke.js';
import './staff-list.js';
import './staff-create.js';
import './staff-get.js';
import './staff-update.js';
import './staff-delete.js';
import './service-list.js';
import './service-create.js';
import './service-get.js';
import './service-update.js';
import './service-delete.js';
import './admin-bookings-list.js';
import './admin-bookings-cancel.js';
import './admin-bookings-reschedule.js';
import './public-services-list.js';
import './public-slots-list.js';
import './bookings-create.js';
import './bookings-get.js';
import './bookings-cancel.js';
import './bookings-reschedule.js';
import './notifications-send.js';
import './maintenance-sweep.js';
