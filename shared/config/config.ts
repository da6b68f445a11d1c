import { z } from 'zod';

/**
 * The app's configuration, parsed once from the environment. Nothing else reads `process.env`.
 * Locally `local/` fills these in for the embedded emulators; in Azure they are app settings
 * named like the Bicep outputs.
 */
const regionSchema = z.enum(['us', 'eu', 'au']);
export type Region = z.infer<typeof regionSchema>;

/**
 * App Service passes an unresolved Key Vault reference through as its literal text; taking that
 * text as a secret would be silently wrong, so it is refused.
 */
const secretSchema = z
  .string()
  .min(16)
  .refine((value) => !value.startsWith('@Microsoft.KeyVault('), {
    message: 'is an unresolved Key Vault reference; check the app identity can read the secret',
  });

function isPemList(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return (
      Array.isArray(parsed) &&
      parsed.every((pem) => typeof pem === 'string' && pem.includes('-----BEGIN '))
    );
  } catch {
    return false;
  }
}

const configSchema = z.object({
  SLOTWISE_REGION: regionSchema.default('us'),
  /** The standby app in the secondary region serves traffic after failover but runs no timers. */
  SLOTWISE_ROLE: z.enum(['primary', 'standby']).default('primary'),
  SLOTWISE_VERSION: z.string().default('0.1.0'),
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:7071'),
  /** Other browser origins allowed to call the API (comma-separated), besides PUBLIC_BASE_URL. */
  CORS_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),

  COSMOS_ENDPOINT: z.url().default('http://127.0.0.1:8081'),
  /** Only the embedded server uses a key; in Azure key auth is off and managed identity is used. */
  COSMOS_KEY: z.string().optional(),
  COSMOS_DATABASE: z.string().default('slotwise'),
  /** The global directory account (slug -> tenant); locally the regional server holds it too. */
  DIRECTORY_COSMOS_ENDPOINT: z.url().optional(),

  /** Connection string (Azurite locally) or, in Azure, the account name for identity access. */
  AzureWebJobsStorage: z.string().optional(),
  AzureWebJobsStorage__accountName: z.string().optional(),

  TOKEN_ISSUER: z.string().default('https://slotwise.local'),
  TOKEN_AUDIENCE: z.string().default('slotwise-api'),
  /** PKCS#8 PEM of the ES256 signing key. Locally generated under `.data/` when absent. */
  TOKEN_SIGNING_KEY: secretSchema.optional(),
  /**
   * Keys that signed tokens before the last rotation and still verify them: a JSON array of PEMs
   * (public SPKI or private PKCS#8). They are published in the JWKS and never sign anything.
   */
  TOKEN_PREVIOUS_KEYS: z
    .string()
    .optional()
    .refine((value) => value === undefined || isPemList(value), {
      message: 'must be a JSON array of PEM keys',
    }),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  /** A session ends when its refresh token is not used for this long (default 12 hours). */
  SESSION_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(30 * 86_400)
    .default(12 * 3600),
  /** A session ends this long after sign-in, however active (default 30 days). */
  SESSION_ABSOLUTE_SECONDS: z.coerce
    .number()
    .int()
    .min(3600)
    .max(90 * 86_400)
    .default(30 * 86_400),
  /** Failed sign-ins allowed per account before back-off starts. */
  LOGIN_ACCOUNT_FREE_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** Failed sign-ins allowed per client address (across accounts) before back-off starts. */
  LOGIN_ADDRESS_FREE_FAILURES: z.coerce.number().int().min(1).max(1000).default(20),
  /** Server-side secret mixed into every password before bcrypt (HMAC-SHA-256 pre-hash). */
  PASSWORD_PEPPER: secretSchema.optional(),
  BCRYPT_COST: z.coerce.number().int().min(12).max(15).default(12),

  /**
   * Sign-in with Google or Microsoft (OpenID Connect, login only). A provider is offered only
   * when its client id and secret are set; its endpoints come from the issuer's discovery
   * document. The Microsoft issuer may be a tenant's own or the multi-tenant `common` one.
   */
  OIDC_GOOGLE_ISSUER: z.url().default('https://accounts.google.com'),
  OIDC_GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  OIDC_GOOGLE_CLIENT_SECRET: secretSchema.optional(),
  OIDC_MICROSOFT_ISSUER: z.url().default('https://login.microsoftonline.com/common/v2.0'),
  OIDC_MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  OIDC_MICROSOFT_CLIENT_SECRET: secretSchema.optional(),
  /** Seconds a sign-in may take at the provider before its state expires. */
  OIDC_FLOW_TTL_SECONDS: z.coerce.number().int().min(60).max(1800).default(600),

  /** Lifetimes of third-party app credentials (OAuth 2.0). */
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  OAUTH_REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(90),

  /** Local email: a folder that receives each message. In Azure: Communication Services. */
  EMAIL_OUTBOX_DIR: z.string().optional(),
  EMAIL_ENDPOINT: z.url().optional(),
  EMAIL_SENDER: z.string().optional(),

  /** Folder for local-only state (keys, outbox, emulator data). */
  SLOTWISE_DATA_DIR: z.string().default('.data'),
});

export type Config = z.infer<typeof configSchema>;

let cached: Config | undefined;

export function getConfig(): Config {
  if (!cached) cached = parseConfig(process.env);
  return cached;
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const fields = result.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Configuration is not valid; check these settings: ${fields}`);
  }
  return result.data;
}

/** For the local host and tests: replace the configuration before anything has used it. */
export function setConfig(overrides: Partial<Record<keyof Config, string>>): Config {
  cached = parseConfig({ ...process.env, ...overrides });
  return cached;
}
