// Screen rendering without a browser: react-dom/server over a query cache filled with the data
// the core would return (no jsdom needed), checking what each screen shows for it.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChannelOutput, DeckNode } from '../../../src-main/ipc/contract';
import { createApiClient } from '../api/client';
import { ApiProvider, newQueryClient } from '../api/hooks';
import type { Transport } from '../api/transport';
import { ToastProvider } from '../components/toast';
import { DecksScreen } from './Decks';
import { OverviewScreen } from './Overview';
import { ReviewScreen } from './Review';

const transport: Transport = {
  kind: 'http',
  invoke: async () => ({ ok: false, error: { code: 'offline', message: 'not in this test' } }),
  on: () => () => undefined,
  onReconnect: () => () => undefined,
};

function render(node: React.ReactNode, data: [string, unknown, unknown][]): string {
  const qc = newQueryClient();
  for (const [channel, input, value] of data) qc.setQueryData([channel, input], value);
  return renderToString(
    <ApiProvider api={createApiClient(transport)} queryClient={qc}>
      <ToastProvider>{node}</ToastProvider>
    </ApiProvider>,
  );
}

const deck = (id: number, fullName: string, counts: DeckNode['counts'], children: DeckNode[] = [], collapsed = false): DeckNode => ({
  id,
  name: fullName.split('::').at(-1)!,
  fullName,
  level: fullName.split('::').length,
  collapsed,
  filtered: false,
  counts,
  children,
});

const info: ChannelOutput<'app.info'> = { version: '1', channels: ['review.next'], profile: 'P', collectionPath: '/x', mediaBase: '/media/t/' };

describe('Decks', () => {
  it('shows the tree with new/learn/due counts and hides collapsed children', () => {
    const tree = deck(0, '', null, [deck(10, 'Spanish', { new: 20, learn: 3, review: 41 }, [deck(11, 'Spanish::Verbs', { new: 5, learn: 0, review: 0 })]), deck(12, 'French', { new: 0, learn: 0, review: 0 }, [deck(13, 'French::Hidden', null)], true)]);
    const html = render(<DecksScreen />, [['decks.tree', {}, tree]]);
    expect(html).toContain('Spanish');
    expect(html).toContain('Verbs');
    expect(html).not.toContain('Hidden');
    expect(html).toMatch(/count-new">20</);
    expect(html).toMatch(/count-learn">3</);
    expect(html).toMatch(/count-review">41</);
    expect(html).toContain('aria-label="Expand French"');
    expect(html).toContain('aria-label="Collapse Spanish"');
  });
});

describe('Overview', () => {
  const base: ChannelOutput<'decks.overview'> = {
    id: 10,
    name: 'Spanish',
    description: 'My <b>deck</b>',
    filtered: false,
    counts: { new: 2, learn: 0, review: 5 },
    studiedToday: { new: 1, review: 2, milliseconds: 120_000 },
    dueTomorrow: 7,
    congrats: { learnRemaining: 0, secsUntilNextLearn: 86400, reviewRemaining: false, newRemaining: false, haveSchedBuried: false, haveUserBuried: false, isFilteredDeck: false },
  };
  it('offers Study Now when cards are due, and shows the description as text', () => {
    const html = render(<OverviewScreen deckId={10} />, [['decks.overview', { id: 10 }, base]]);
    expect(html).toContain('Study Now');
    expect(html).toContain('My &lt;b&gt;deck&lt;/b&gt;');
    expect(html).toContain('Due tomorrow: <!-- -->7');
  });
  it('congratulates when nothing is due, with what is left', () => {
    const done = { ...base, counts: { new: 0, learn: 0, review: 0 }, congrats: { ...base.congrats, learnRemaining: 2, secsUntilNextLearn: 300, haveUserBuried: true } };
    const html = render(<OverviewScreen deckId={10} />, [['decks.overview', { id: 10 }, done]]);
    expect(html).toContain('Congratulations! You have finished this deck for now.');
    expect(html).toContain('ready in <!-- -->5 minutes');
    expect(html).toContain('Unbury');
    expect(html).not.toContain('Study Now');
  });
});

describe('Review', () => {
  const card: ChannelOutput<'review.next'>['card'] = {
    cardId: 1,
    noteId: 2,
    deckId: 10,
    question: '<script>alert(1)</script>Q',
    answer: 'A',
    css: '',
    bodyClass: 'card card1',
    buttons: ['<1m', '<6m', '<10m', '4d'],
    questionAv: [],
    answerAv: [],
    queue: 'new',
    flag: 3,
    marked: true,
    showTimer: true,
    timerCapSecs: 60,
    autoplay: true,
  };
  it('puts the card in a sandboxed frame (never in the page) and shows counts, flag, mark and timer', () => {
    const html = render(<ReviewScreen deckId={10} nightMode={false} />, [
      ['app.info', {}, info],
      ['review.next', { deckId: 10 }, { counts: { new: 3, learn: 1, review: 2 }, card }],
    ]);
    expect(html).toContain('sandbox="allow-scripts"');
    expect(html).toContain('src="card-frame.html"');
    expect(html).not.toContain('alert(1)');
    expect(html).toMatch(/count-new current"[^>]*>3</);
    expect(html).toContain('aria-label="Flag 3"');
    expect(html).toContain('aria-label="Marked"');
    expect(html).toContain('aria-label="Time on this card">0<!-- -->:<!-- -->00<');
    expect(html).toContain('Show Answer');
  });
  it('shows the congratulations screen when the queue is empty', () => {
    const html = render(<ReviewScreen deckId={10} nightMode={false} />, [
      ['app.info', {}, info],
      ['review.next', { deckId: 10 }, { counts: { new: 0, learn: 0, review: 0 }, card: null }],
    ]);
    expect(html).toContain('Congratulations! You have finished this deck for now.');
  });
});
