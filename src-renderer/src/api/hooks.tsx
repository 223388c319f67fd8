// react-query over the contract. Queries are keyed [channel, input] and never go stale by time:
// they are refetched when an OpChanges touches what they read (the `reads` of their channel in the
// contract) — from a mutation's own reply, or from a `changes` event made elsewhere (AnkiConnect,
// sync, the CLI).
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { type Channel, type ChannelInput, type ChannelOutput, type ChangeKind, channels, isChannel } from '../../../src-main/ipc/contract';
import type { OpChanges } from '../../../src-main/collection/op-changes';
import type { ApiClient } from './client';

const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiProvider>');
  return api;
}

export function newQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } } });
}

/** Refetches every cached query whose channel reads one of the changed kinds (but those in `except`, already up to date). */
export function invalidateFromChanges(qc: QueryClient, changes: OpChanges, except: readonly Channel[] = []): Promise<void> {
  const changed = (Object.keys(changes) as ChangeKind[]).filter((k) => changes[k]);
  if (!changed.length) return Promise.resolve();
  return qc.invalidateQueries({
    predicate: (q) => {
      const ch = q.queryKey[0];
      if (typeof ch !== 'string' || !isChannel(ch) || except.includes(ch)) return false;
      const reads = (channels[ch] as { reads?: readonly ChangeKind[] }).reads ?? [];
      return reads.some((k) => changed.includes(k));
    },
  });
}

export function ApiProvider({ api, queryClient, children }: { api: ApiClient; queryClient: QueryClient; children: ReactNode }) {
  useEffect(() => {
    const offChanges = api.on('changes', (e) => void invalidateFromChanges(queryClient, e.changes));
    const offReconnect = api.transport.onReconnect(() => void queryClient.invalidateQueries());
    return () => {
      offChanges();
      offReconnect();
    };
  }, [api, queryClient]);
  return (
    <ApiContext.Provider value={api}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiContext.Provider>
  );
}

export function useApiQuery<C extends Channel>(
  channel: C,
  input: ChannelInput<C>,
  opts: Omit<UseQueryOptions<ChannelOutput<C>, Error, ChannelOutput<C>, readonly unknown[]>, 'queryKey' | 'queryFn'> = {},
) {
  const api = useApi();
  return useQuery({ queryKey: [channel, input] as const, queryFn: () => api.call(channel, input), ...opts });
}

/** Whether this build serves a channel (the contract may list channels whose service is still coming). */
export function useServes(channel: Channel): boolean | undefined {
  const info = useApiQuery('app.info', {});
  return info.data ? info.data.channels.includes(channel) : undefined;
}

export function useApiMutation<C extends Channel>(channel: C, opts: { onSuccess?: (out: ChannelOutput<C>, input: ChannelInput<C>) => void; invalidates?: Channel[] } = {}) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<C>) => api.call(channel, input),
    onSuccess: async (out, input) => {
      const changes = (out as { changes?: OpChanges } | undefined)?.changes;
      if (changes) await invalidateFromChanges(qc, changes);
      for (const c of opts.invalidates ?? []) await qc.invalidateQueries({ queryKey: [c] });
      opts.onSuccess?.(out, input);
    },
  });
}
