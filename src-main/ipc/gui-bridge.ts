// AnkiConnect's GUI actions (guiBrowse, guiAddCards, guiCurrentCard, …) driving the UI: the same
// bridge serves the desktop window (events over Electron IPC) and browser tabs connected to
// `deckhand serve` (events over SSE). A command goes out as a `gui` event; the window does it and
// answers through the `gui.reply` channel. Changes to the collection (undo, the current deck) are
// made here through the services; the window only navigates and reports its state.

import { randomUUID } from 'node:crypto';
import type { AddCardsDraft, AddCardsPatch, BrowserSort, GuiHooks, ReviewerCard } from '../ankiconnect/actions/registry';
import { DeckhandError } from '../collection/errors';
import { setCurrentDeck } from '../decks/decks-service';
import type { OpenProfile } from '../host/open-profile';
import { SORT_COLUMNS } from './contract';
import type { EventHub } from './invoker';

export interface GuiBridgeOptions {
  events: EventHub;
  session: OpenProfile;
  /** Whether a window is there to drive (desktop: the window exists; serve: a tab is connected). */
  isWindowOpen(): boolean;
  /** How many windows receive each command (each answers once); default 1. */
  windows?(): number;
  /** How long to wait for the window's answer (default 10 s). */
  timeoutMs?: number;
  /** Brings the window to the front when a command shows something (desktop). */
  reveal?(): void;
  /** `guiExitAnki`: quits the app (desktop only). */
  exitApp?(): void;
}

export interface GuiReply {
  id: string;
  handled: boolean;
  value?: unknown;
  error?: string | null;
}

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
  /** Answers still expected before "nobody handled it". */
  left: number;
  fallback: unknown;
  timer: NodeJS.Timeout;
}

export class GuiBridge {
  private readonly pending = new Map<string, Pending>();
  readonly hooks: GuiHooks;

  constructor(private readonly opts: GuiBridgeOptions) {
    this.hooks = this.createHooks();
  }

  /** A window's answer (the `gui.reply` channel). False when the command is unknown or already answered. */
  reply(r: GuiReply): { accepted: boolean } {
    const p = this.pending.get(r.id);
    if (!p) return { accepted: false };
    if (r.error) {
      this.settle(r.id);
      p.reject(new Error(r.error));
      return { accepted: true };
    }
    if (r.handled) {
      this.settle(r.id);
      p.resolve(r.value);
      return { accepted: true };
    }
    if (--p.left <= 0) {
      this.settle(r.id);
      p.resolve(p.fallback);
    }
    return { accepted: true };
  }

  /** Rejects everything still waiting (the transport is closing). */
  dispose(): void {
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.reject(new Error('the window closed'));
    }
  }

  /** Sends a command to the window(s); resolves with the first window's answer that handled it, else `fallback`. */
  send<T>(command: string, args: unknown[], fallback: T): Promise<T> {
    const id = randomUUID();
    const left = Math.max(1, this.opts.windows?.() ?? 1);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id);
        reject(new Error(`the window did not answer ${command} in time`));
      }, this.opts.timeoutMs ?? 10_000);
      timer.unref?.();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, left, fallback, timer });
      this.opts.events.emit('gui', { id, command, args });
    });
  }

  private settle(id: string): void {
    const p = this.pending.get(id);
    if (p) clearTimeout(p.timer);
    this.pending.delete(id);
  }

  private createHooks(): GuiHooks {
    const o = this.opts;
    const shown = <T>(command: string, args: unknown[], fallback: T) => {
      o.reveal?.();
      return this.send(command, args, fallback);
    };
    const hooks: GuiHooks = {
      isWindowOpen: () => o.isWindowOpen(),
      browse: async (query: string | null, sort: BrowserSort | null) => {
        if (sort && !(SORT_COLUMNS as readonly string[]).includes(sort.columnId)) return false;
        await shown('browse', [query, sort], null);
        return true;
      },
      browserSelectCard: (cardId: number) => this.send('browserSelectCard', [cardId], false),
      browserSelectedNotes: () => this.send<number[]>('browserSelectedNotes', [], []),
      openAddCards: async (draft: AddCardsDraft | null) => {
        await shown('openAddCards', [draft], 0);
        return 0;
      },
      setAddCardsData: (patch: AddCardsPatch) => this.send<true | 'not-open' | { missingField: string }>('setAddCardsData', [patch], 'not-open'),
      editNote: async (noteId: number) => {
        await shown('editNote', [noteId], null);
      },
      reviewerCard: () => this.send<ReviewerCard | null>('reviewerCard', [], null),
      reviewerStartTimer: () => this.send('reviewerStartTimer', [], false),
      reviewerShowQuestion: () => this.send('reviewerShowQuestion', [], false),
      reviewerShowAnswer: () => this.send('reviewerShowAnswer', [], false),
      reviewerAnswer: (ease: number) => this.send('reviewerAnswer', [ease], false),
      reviewerReplayAudio: () => this.send('reviewerReplayAudio', [], false),
      // Edit › Undo: the window refreshes from the change event
      undo: () => {
        try {
          o.session.col.undo();
        } catch (e) {
          if (!(e instanceof DeckhandError && e.code === 'nothing-to-undo')) throw e;
        }
      },
      showDeckOverview: async (deckId: number) => {
        setCurrentDeck(o.session.col, deckId);
        await shown('showDeckOverview', [deckId], null);
      },
      startReview: async (deckId: number) => {
        setCurrentDeck(o.session.col, deckId);
        await shown('startReview', [deckId], null);
      },
      showDeckBrowser: async () => {
        await shown('showDeckBrowser', [], null);
      },
      importFile: async (path: string | null) => {
        await shown('importFile', [path], null);
      },
    };
    if (o.exitApp) {
      const exit = o.exitApp;
      hooks.exitApp = () => {
        // after the answer has gone out, as AnkiConnect does
        setTimeout(exit, 100).unref?.();
      };
    }
    return hooks;
  }
}
