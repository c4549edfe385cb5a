import { createResource } from 'solid-js';
import type { Resource } from 'solid-js';

/** Where the 40 boundaries are served (public; no session needed). */
export const WARDS_URL = '/api/v1/wards';

import type { WardCollection } from '@shared/wards';

export type { WardCollection };

/** GET /api/v1/wards: the 40 boundaries with their registry facts. */
export async function fetchWardCollection(signal?: AbortSignal): Promise<WardCollection> {
  const res = await fetch(WARDS_URL, signal ? { signal } : {});
  if (!res.ok) throw new Error(`${WARDS_URL}: HTTP ${res.status}`);
  return (await res.json()) as WardCollection;
}

/** The boundaries as a resource for a page's components: undefined until they have arrived. */
export function createWardCollection(): Resource<WardCollection> {
  const [wards] = createResource(() => fetchWardCollection());
  return wards;
}
