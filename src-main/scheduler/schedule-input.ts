// Gathers, from the collection, everything the pure layer needs to schedule one card (Anki's
// card_state_updater): the card's current and home deck, the home deck's preset, the global
// settings, the card's review log when FSRS needs it, and the load balancer when queues exist.

import { type Card, CardType } from '../cards/card';
import { invalid, notFound } from '../collection/errors';
import type { Deck } from '../decks/deck';
import { defaultDeckConfigConfig, ensureDeckConfigValuesValid } from '../storage/proto/codecs';
import type { DeckConfigConfig } from '../storage/proto/messages';
import { SchedStore } from '../storage/sched-store';
import { parseCardData } from './card-data';
import type { SchedSettings, Reader } from './collection-timing';
import type { RevlogForFsrs } from './fsrs/revlog';
import { fuzzSeed } from './fuzz';
import type { LoadBalancer } from './load-balancer';
import type { FuzzOption, ScheduleInput } from './prepare';
import type { SchedTimingToday } from './timing';

/** Reads decks and presets once per operation. */
export class SchedLookup {
  private readonly decks = new Map<number, Deck | null>();
  private readonly presets = new Map<number, DeckConfigConfig | null>();

  constructor(private readonly r: Reader) {}

  deck(id: number): Deck | undefined {
    let d = this.decks.get(id);
    if (d === undefined) {
      d = this.r.storage.decks.get(id) ?? null;
      this.decks.set(id, d);
    }
    return d ?? undefined;
  }

  /** A stored preset as Anki reads it (out-of-range values replaced by defaults), if it exists. */
  preset(id: number): DeckConfigConfig | undefined {
    let p = this.presets.get(id);
    if (p === undefined) {
      const c = this.r.storage.deckConfigs.get(id);
      p = c ? ensureDeckConfigValuesValid(c.config) : null;
      this.presets.set(id, p);
    }
    return p ?? undefined;
  }

  /** Preset id of a normal deck (null for a filtered or missing deck). */
  presetIdOfDeck(deckId: number): number | null {
    const d = this.deck(deckId);
    return d?.kind.normal ? Number(d.kind.normal.configId) : null;
  }

  /** The preset of a normal deck, or undefined when the deck is filtered/missing or the preset is gone. */
  presetOfDeck(deckId: number): DeckConfigConfig | undefined {
    const id = this.presetIdOfDeck(deckId);
    return id === null ? undefined : this.preset(id);
  }
}

/** Where a card lives and which options schedule it. */
export interface CardHome {
  currentDeck: Deck;
  homeDeck: Deck;
  /** Preset id of the home deck. */
  presetId: number;
  /** The home deck's preset; Anki's built-in defaults when the preset is missing. */
  config: DeckConfigConfig;
}

export function cardHome(lookup: SchedLookup, card: Card): CardHome {
  const currentDeck = lookup.deck(card.deckId);
  if (!currentDeck) throw notFound(`deck ${card.deckId}`);
  const homeDeck = card.originalDeckId ? lookup.deck(card.originalDeckId) : currentDeck;
  if (!homeDeck) throw notFound(`deck ${card.originalDeckId}`);
  if (!homeDeck.kind.normal) throw invalid(`card ${card.id}: its home deck “${homeDeck.name}” is a filtered deck`);
  const presetId = Number(homeDeck.kind.normal.configId);
  return { currentDeck, homeDeck, presetId, config: lookup.preset(presetId) ?? defaultDeckConfigConfig() };
}

export interface InputOptions {
  timing: SchedTimingToday;
  nowMs: number;
  settings: SchedSettings;
  lookup: SchedLookup;
  loadBalancer?: LoadBalancer | null;
  fuzz?: FuzzOption;
}

/** The pure layer's input for a card as it stands in the collection. */
export function scheduleInputFor(r: Reader, card: Card, o: InputOptions): { input: ScheduleInput; home: CardHome } {
  const home = cardHome(o.lookup, card);
  const filtered = home.currentDeck.kind.filtered;
  let revlog: RevlogForFsrs[] | null = null;
  if (o.settings.fsrs && card.ctype !== CardType.New) {
    const data = parseCardData(card.data);
    if (data.memoryState === null || data.lastReviewTime === null) revlog = SchedStore.of(r.storage.db).revlogOfCard(card.id);
  }
  let loadBalancer = null;
  if (o.loadBalancer) {
    const noteId = home.config.buryReviews ? card.noteId : null;
    loadBalancer = o.loadBalancer.reviewContext(home.presetId, noteId, o.fuzz === false ? null : fuzzSeed(card.id, card.reps));
  }
  const input: ScheduleInput = {
    card,
    config: home.config,
    filteredDeck: filtered
      ? {
          reschedule: filtered.reschedule,
          previewAgainSecs: filtered.previewAgainSecs,
          previewHardSecs: filtered.previewHardSecs,
          previewGoodSecs: filtered.previewGoodSecs,
        }
      : null,
    deckDesiredRetention: home.homeDeck.kind.normal?.desiredRetention ?? null,
    timing: o.timing,
    nowMs: o.nowMs,
    fsrs: o.settings.fsrs,
    fsrsShortTermWithSteps: o.settings.fsrsShortTermWithSteps,
    fuzz: o.fuzz,
    revlog,
    loadBalancer,
  };
  return { input, home };
}
