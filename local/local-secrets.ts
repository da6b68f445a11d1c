import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Secrets the app needs that Key Vault provides in Azure, generated once per data folder so that
 * passwords, manage links and tokens keep working across restarts of `npm start`. Files are
 * readable by the owner only.
 */
export interface LocalSecrets {
  passwordPepper: string;
  tokenSigningKey: string;
}

export async function loadOrCreateLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const folder = join(dataDir, 'secrets');
  const passwordPepper = await readOrCreate(join(folder, 'password-pepper'), () =>
    randomBytes(32).toString('base64url'),
  );
  const tokenSigningKey = await readOrCreate(join(folder, 'token-signing-key.pem'), () =>
    newTokenSigningKey(),
  );
  return { passwordPepper, tokenSigningKey };
}

/** An ES256 (P-256) private key as PKCS#8 PEM, the form `TOKEN_SIGNING_KEY` takes. */
export function newTokenSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

async function readOrCreate(file: string, create: () => string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = create();
  await writePrivateFile(file, `${value}\n`);
  return value;
}

/** Creates a file only the owner can read; fails rather than overwrite an existing one. */
export async function writePrivateFile(file: string, data: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
  } finally {
    await handle.close();
  }
}
