// What both transports share: run a channel (validate input → handler → validate output, errors as
// data) and fan events out to subscribers, tagging changes with the client that caused them.

import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import type { OpChanges } from '../collection/op-changes';
import { DeckhandError } from '../collection/errors';
import {
  type Channel,
  type ChannelOutput,
  channels,
  type EventName,
  type EventPayload,
  isChannel,
  type ParsedInput,
  type Reply,
  TRANSPORT_ERRORS,
} from './contract';

export type Handler<C extends Channel> = (input: ParsedInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
/** Handlers for the channels a build serves; a missing entry means "not available yet". */
export type HandlerMap = { [C in Channel]?: Handler<C> };

export interface Invoker {
  /** The channels that have a handler. */
  readonly channels: readonly Channel[];
  /** Runs a channel for `origin` (a client id, so its own changes are not echoed back to it). */
  invoke(channel: string, rawInput: unknown, origin?: string | null): Promise<Reply>;
}

const originStore = new AsyncLocalStorage<string | null>();

/** The client whose request is running (null outside a request). */
export const currentOrigin = (): string | null => originStore.getStore() ?? null;

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

export function errorReply(code: string, message: string): Reply {
  return { ok: false, error: { code, message } };
}

export interface InvokerOptions {
  /** Check outputs against the contract (default true; a mismatch is a bug, reported as `internal`). */
  validateOutput?: boolean;
  /** Called with unexpected (non-DeckhandError) failures. */
  onError?: (channel: string, error: unknown) => void;
}

export function createInvoker(handlers: HandlerMap, opts: InvokerOptions = {}): Invoker {
  const served = (Object.keys(handlers) as Channel[]).filter((c) => isChannel(c) && typeof handlers[c] === 'function');
  const validateOutput = opts.validateOutput ?? true;
  return {
    channels: served,
    async invoke(channel, rawInput, origin = null) {
      if (typeof channel !== 'string' || !isChannel(channel)) return errorReply(TRANSPORT_ERRORS.unknownChannel, `unknown channel “${String(channel)}”`);
      const handler = handlers[channel] as Handler<Channel> | undefined;
      if (!handler) return errorReply(TRANSPORT_ERRORS.unavailable, `“${channel}” is not available in this version of Deckhand yet`);
      const def = channels[channel];
      const parsed = def.input.safeParse(rawInput ?? {});
      if (!parsed.success) return errorReply(TRANSPORT_ERRORS.badInput, `invalid input for ${channel}: ${formatIssues(parsed.error)}`);
      try {
        const value = await originStore.run(origin, () => handler(parsed.data as never));
        if (!validateOutput) return { ok: true, value };
        const out = def.output.safeParse(value);
        if (!out.success) {
          opts.onError?.(channel, new Error(`output does not match the contract: ${formatIssues(out.error)}`));
          return errorReply(TRANSPORT_ERRORS.badOutput, `internal error: ${channel} returned data that does not match the contract`);
        }
        return { ok: true, value: out.data };
      } catch (e) {
        if (e instanceof DeckhandError) return errorReply(e.code, e.message);
        opts.onError?.(channel, e);
        return errorReply(TRANSPORT_ERRORS.internal, `internal error in ${channel}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Events

/** A collection, or a profile session that follows its collection across reopenings. */
export interface ChangeSource {
  onChange(listener: (op: string, changes: OpChanges) => void): () => void;
}

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Fans events out to the transports' subscribers. */
export class EventHub {
  /** listener → the events it takes (null: all) */
  private listeners = new Map<EventListener, readonly EventName[] | null>();

  /** Subscribes to all events, or only to `only` when given. */
  subscribe(listener: EventListener, only?: readonly EventName[] | null): () => void {
    this.listeners.set(listener, only?.length ? [...only] : null);
    return () => this.listeners.delete(listener);
  }

  /** How many subscribers take `event` (e.g. whether a window would see a `gui` command). */
  subscriberCount(event: EventName): number {
    let n = 0;
    for (const only of this.listeners.values()) if (!only || only.includes(event)) n++;
    return n;
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const [l, only] of [...this.listeners]) {
      if (only && !only.includes(event)) continue;
      try {
        l(event, payload);
      } catch {
        /* one broken subscriber must not stop the others */
      }
    }
  }

  /**
   * Forwards committed changes as `changes` events, tagged with their origin. Pass the session when
   * it offers `onChange` (it follows a reopened collection), else the collection.
   */
  forwardChanges(source: ChangeSource): () => void {
    return source.onChange((op, changes) => this.emit('changes', { op, changes: { ...changes }, origin: currentOrigin() }));
  }
}
