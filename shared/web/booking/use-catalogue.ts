import { useEffect, useState } from 'preact/hooks';

import { api, ApiError } from '../common/api.js';
import type { Catalogue } from '../common/types.js';

export type Loaded<T> =
  { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; error: ApiError };

/** Any failure as an ApiError, so every message shown comes from one shape. */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError(0, 'network', 'Something went wrong. Check your connection and try again.');
}

/** The business's public services and staff names; `retry` loads them again after a failure. */
export function useCatalogue(slug: string): [Loaded<Catalogue>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<Catalogue>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setLoaded({ state: 'loading' });
    api<Catalogue>('GET', `public/${slug}/services`)
      .then((value) => setLoaded({ state: 'ready', value }))
      .catch((error: unknown) => setLoaded({ state: 'error', error: asApiError(error) }));
  }, [slug, attempt]);
  return [loaded, () => setAttempt((n) => n + 1)];
}

export function staffNameOf(catalogue: Catalogue, staffId: string | undefined): string {
  if (!staffId) return 'Anyone available';
  return catalogue.staff.find((member) => member.id === staffId)?.name ?? 'A staff member';
}
