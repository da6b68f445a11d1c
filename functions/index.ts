/**
 * Loads every function. Azure runs this file (package.json `main`); the local host imports it
 * too, so both see the same registry.
 */
import './health.js';
import './openapi.js';
import './auth-signup.js';
import './auth-login.js';
import './auth-jwks.js';
import './auth-login-mfa.js';
import './auth-refresh.js';
import './auth-logout.js';
import './auth-password-change.js';
import './auth-totp-setup.js';
import './auth-totp-confirm.js';
import './auth-totp-disable.js';
import './admin-security-settings-get.js';
import './admin-security-settings-update.js';
import './admin-security-events-list.js';
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
