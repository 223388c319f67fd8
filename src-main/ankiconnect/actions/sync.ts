/**
 * `sync`: a normal sync of the open collection with the profile's sync server, as AnkiConnect
 * does since 2024-06 — an error when there is no login, and when only a full (one-way) sync
 * would do (that choice is left to the person, in the app).
 */
import type { OpenProfile } from '../../host/open-profile';
import { NotLoggedInError, syncProfile } from '../../sync/sync-session';
import { defineAnkiAction } from './define';
import type { SyncOutcome } from './registry';
import { session } from './session';

/** Anki's SyncCollectionResponse.ChangesRequired values. */
const NO_CHANGES = 0;
const NORMAL_SYNC = 1;
const FULL_SYNC = 2;
const FULL_DOWNLOAD = 3;
const FULL_UPLOAD = 4;

/** The sync AnkiConnect runs when the host does not provide one: the stored login, no full sync. */
export async function syncWithStoredLogin(s: OpenProfile): Promise<SyncOutcome> {
  let r;
  try {
    r = await syncProfile(s, { inspectRemote: false });
  } catch (e) {
    if (e instanceof NotLoggedInError && e.reason === 'none') return { outcome: 'not-logged-in' };
    throw e;
  }
  if (r.outcome === 'full-sync-required') return { outcome: r.outcome, fullSync: { uploadOk: r.fullSync?.uploadOk ?? true, downloadOk: r.fullSync?.downloadOk ?? true } };
  return { outcome: r.outcome === 'normal-sync' ? 'normal-sync' : 'no-changes' };
}

export const sync = defineAnkiAction('sync', async (_p, ctx) => {
  const s = session(ctx);
  const r = ctx.services.sync ? await ctx.services.sync() : await syncWithStoredLogin(s);
  if (r.outcome === 'not-logged-in') throw new Error('sync: auth not configured');
  if (r.outcome === 'full-sync-required') {
    const up = r.fullSync?.uploadOk ?? true;
    const down = r.fullSync?.downloadOk ?? true;
    const required = up && down ? FULL_SYNC : down ? FULL_DOWNLOAD : FULL_UPLOAD;
    throw new Error(
      `Sync status ${required} not one of [${NO_CHANGES}, ${NORMAL_SYNC}] - see SyncCollectionResponse.ChangesRequired for list of sync statuses: https://github.com/ankitects/anki/blob/e41c4573d789afe8b020fab5d9d1eede50c3fa3d/proto/anki/sync.proto#L57-L65`,
    );
  }
  return null;
});
