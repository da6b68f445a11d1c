import { api, ApiError } from '../common/api';

/**
 * The console's sign-in session. The access token lives only in memory (a reload or a new tab
 * trades the refresh token for a fresh one). The refresh token lives in localStorage, one per
 * business, shared by all of its tabs: a duplicated tab must not hold its own copy, because
 * refresh tokens are single use and the server treats a second use as theft and ends the
 * session everywhere. Tabs therefore take turns to refresh under a Web Lock, and each reads the
 * token inside the lock, so a tab that waited uses the one the previous tab was just given.
 */
export type Role = 'owner' | 'admin' | 'staff' | 'customer';

interface SessionTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
  expiresIn: number;
}

export type SignInOutcome = { kind: 'signed-in' } | { kind: 'mfa'; mfaToken: string };

/** Raised when the session cannot be renewed: the console goes back to the sign-in form. */
export const SESSION_EXPIRED = 'session_expired';

export class Session {
  private accessToken: string | undefined;
  private refreshing: Promise<boolean> | undefined;
  /** The refresh token when storage is off; otherwise localStorage holds it. */
  private unstoredToken: string | undefined;
  role: Role | undefined;
  /** The signed-in person's id (the token's subject), to mark them in the team list. */
  userId: string | undefined;
  /** Called once when the session ends without the user signing out. */
  onExpired: () => void = () => {};
  /**
   * True from the moment the session ended without the person signing out (another tab signed
   * out, a password changed elsewhere) until someone signs in again: editors keep their unsaved
   * drafts then, and drop them when the person leaves the page or signs out themselves.
   */
  ended = false;

  constructor(readonly slug: string) {}

  private get storageKey(): string {
    return `slotwise.console.refresh.${this.slug}`;
  }

  get isSignedIn(): boolean {
    return this.accessToken !== undefined;
  }

  get canManageCatalogue(): boolean {
    return this.role === 'owner' || this.role === 'admin';
  }

  async signIn(email: string, password: string): Promise<SignInOutcome> {
    const answer = await api<SessionTokens | MfaChallenge>('POST', 'auth/login', {
      body: { slug: this.slug, email, password },
    });
    if ('mfaRequired' in answer) return { kind: 'mfa', mfaToken: answer.mfaToken };
    this.adopt(answer);
    return { kind: 'signed-in' };
  }

  /** Accepts an invitation to the business, which creates the person and signs them in. */
  async acceptInvitation(token: string, password: string, name: string): Promise<void> {
    const body = { token, password, ...(name ? { name } : {}) };
    this.adopt(await api<SessionTokens>('POST', 'auth/invitations/accept', { body }));
  }

  /** The second step: a code from the authenticator app, or one of the recovery codes. */
  async finishSignIn(
    mfaToken: string,
    proof: { code: string } | { recoveryCode: string },
  ): Promise<void> {
    this.adopt(
      await api<SessionTokens>('POST', 'auth/login/mfa', { body: { mfaToken, ...proof } }),
    );
  }

  /**
   * Picks up the session this business's tabs already have (after a reload, in a new tab):
   * `none` when there is none, `ended` when there was one that can no longer be renewed.
   */
  async resume(): Promise<'resumed' | 'none' | 'ended'> {
    if (!this.readRefreshToken()) return 'none';
    return (await this.refresh()) ? 'resumed' : 'ended';
  }

  /** Trades the refresh token for new tokens, whose claims say the person's current role. */
  async renewClaims(): Promise<void> {
    if (!(await this.refresh())) throw this.expire();
  }

  /**
   * Forgets this browser's tokens without telling the server, for when the server has already
   * ended every session of the person (a password change does).
   */
  endLocally(): void {
    this.forget();
  }

  async signOut(): Promise<void> {
    const token = this.accessToken;
    this.forget();
    // Ending the session on the server is best effort: the tokens are already gone here.
    if (token) await api('POST', 'auth/logout', { token }).catch(() => undefined);
  }

  /**
   * Calls the API as the signed-in person. A 401 renews the access token once and retries; when
   * renewal fails the session has ended, `onExpired` runs and the call fails with
   * `session_expired`. `headers` go with the call as they are (`If-Match`, say).
   */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    if (!this.accessToken && !(await this.refresh())) throw this.expire();
    try {
      return await api<T>(method, path, { body, token: this.accessToken, headers });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    }
    if (!(await this.refresh())) throw this.expire();
    try {
      return await api<T>(method, path, { body, token: this.accessToken, headers });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw this.expire();
      throw error;
    }
  }

  private refresh(): Promise<boolean> {
    this.refreshing ??= this.renew().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async renew(): Promise<boolean> {
    // NOTE: Web Locks exist only in secure contexts (https, localhost); without them a tab
    // refreshes on its own, as a single tab always safely does.
    // https://developer.mozilla.org/en-US/docs/Web/API/Web_Locks_API
    if (typeof navigator === 'undefined' || !navigator.locks) return this.renewNow();
    return await navigator.locks.request(`slotwise-refresh-${this.slug}`, () => this.renewNow());
  }

  /** One refresh with the token as stored now, which another tab may have rotated meanwhile. */
  private async renewNow(): Promise<boolean> {
    let refreshToken = this.readRefreshToken();
    for (let tries = 0; refreshToken; tries++) {
      try {
        this.adopt(await api<SessionTokens>('POST', 'auth/refresh', { body: { refreshToken } }));
        return true;
      } catch (error) {
        // A network failure says nothing about the session: keep the refresh token for a retry.
        if (error instanceof ApiError && error.code === 'network') throw error;
        // Another tab rotated it moments ago, and its new token has not reached this tab's copy
        // of localStorage yet (Chromium passes writes between tabs' processes asynchronously).
        if (error instanceof ApiError && error.code === 'refresh_token_rotated' && tries < 2) {
          const newer = await this.newerRefreshToken(refreshToken);
          if (newer) {
            refreshToken = newer;
            continue;
          }
        }
        this.forget(refreshToken);
        return false;
      }
    }
    return false;
  }

  /** The stored refresh token once it is no longer `stale`, waiting up to two seconds. */
  private async newerRefreshToken(stale: string): Promise<string | undefined> {
    for (let waited = 0; waited < 2_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stored = this.readRefreshToken();
      if (stored !== stale) return stored ?? undefined;
    }
    return undefined;
  }

  private expire(): ApiError {
    // A refresh that failed has already removed its spent token; whatever is stored now is
    // another tab's, so only this tab's own tokens go.
    this.accessToken = undefined;
    this.role = undefined;
    this.userId = undefined;
    this.unstoredToken = undefined;
    this.ended = true;
    this.onExpired();
    return new ApiError(401, SESSION_EXPIRED, 'Your session has ended. Sign in again to continue.');
  }

  private adopt(tokens: SessionTokens): void {
    this.ended = false;
    this.accessToken = tokens.accessToken;
    const claims = claimsOf(tokens.accessToken);
    this.role = claims.role;
    this.userId = claims.userId;
    this.unstoredToken = tokens.refreshToken;
    try {
      localStorage.setItem(this.storageKey, tokens.refreshToken);
      this.unstoredToken = undefined;
    } catch {
      // Storage can be off (private modes); the token is then kept in this page's memory only.
    }
  }

  /**
   * Drops this tab's tokens and the stored refresh token, unless the stored one is no longer
   * `spent`: another tab may have signed in afresh since, and its session is not ended.
   */
  private forget(spent?: string): void {
    this.accessToken = undefined;
    this.role = undefined;
    this.userId = undefined;
    this.unstoredToken = undefined;
    try {
      if (spent === undefined || localStorage.getItem(this.storageKey) === spent) {
        localStorage.removeItem(this.storageKey);
      }
    } catch {
      // Nothing was stored.
    }
  }

  private readRefreshToken(): string | null {
    try {
      return localStorage.getItem(this.storageKey) ?? this.unstoredToken ?? null;
    } catch {
      return this.unstoredToken ?? null;
    }
  }
}

/**
 * The role and subject claims of an access token, read only to decide which controls to show;
 * the server checks the role on every call, so a wrong guess here costs a 403, never access.
 */
function claimsOf(token: string): { role?: Role; userId?: string } {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const { role, sub } = JSON.parse(json) as { role?: unknown; sub?: unknown };
    const known =
      role === 'owner' || role === 'admin' || role === 'staff' || role === 'customer'
        ? role
        : undefined;
    return {
      ...(known ? { role: known } : {}),
      ...(typeof sub === 'string' ? { userId: sub } : {}),
    };
  } catch {
    return {};
  }
}
