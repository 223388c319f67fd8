// A typed client over a transport: `api.call('decks.tree', {})` returns the channel's output type
// or throws an ApiError carrying the core's message (shown to the user as is).
import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from '../../../src-main/ipc/contract';
import { trackCall } from './pending';
import type { Transport } from './transport';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  readonly transport: Transport;
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    transport,
    call(channel, input) {
      const run = async () => {
        const reply = await transport.invoke(channel, input);
        if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
        return reply.value as never;
      };
      // long calls (imports, exports, sync…) feed the progress bar
      return trackCall(channel, run());
    },
    on(event, cb) {
      return transport.on(event, cb as (p: unknown) => void);
    },
  };
}

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
