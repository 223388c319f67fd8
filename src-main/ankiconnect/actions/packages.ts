/** exportPackage / importPackage over the .apkg service. */
import { isAbsolute, join, resolve } from 'node:path';
import { getDeckByName } from '../../decks/decks-service';
import { exportApkg } from '../../import-export/apkg-export';
import { importApkg } from '../../import-export/apkg-import';
import { mediaPathsForCollection } from '../../media/media-service';
import { defineAnkiAction } from './define';
import { collection } from './session';

/**
 * Exports a deck (with its subdecks and media) as an .apkg in the format every Anki reads, as
 * upstream's legacy exporter does; `includeSched` keeps review state, review log and the decks'
 * option presets. false when there is no such deck.
 */
export const exportPackage = defineAnkiAction('exportPackage', async ({ deck, path, includeSched }, ctx) => {
  const col = collection(ctx);
  const d = getDeckByName(col, deck);
  if (!d) return false;
  await exportApkg(col, resolve(path), { deckId: d.id }, { withScheduling: includeSched, withDeckConfigs: includeSched, withMedia: true, legacy: true });
  return true;
});

/**
 * Imports an .apkg (a relative path is taken from the media folder, as the README says), keeping
 * the scheduling and presets the package carries, as upstream's importer does.
 */
export const importPackage = defineAnkiAction('importPackage', async ({ path }, ctx) => {
  const col = collection(ctx);
  const file = isAbsolute(path) ? path : join(mediaPathsForCollection(col.path).folder, path);
  await importApkg(col, file, { withScheduling: true, withDeckConfigs: true });
  return true;
});

export const PACKAGE_ACTIONS = [exportPackage, importPackage];
