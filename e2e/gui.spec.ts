// AnkiConnect's GUI actions driving the app open in a browser on `deckhand serve`: guiBrowse and
// guiAddCards change what the window shows; the reviewer answers guiCurrentCard / guiShowAnswer /
// guiAnswerCard; with no window left, GUI actions say so.
import { ac, acOk, addBasic } from './support/anki';
import { expect, shot, test } from './support/fixtures';

test('guiBrowse and guiAddCards change what the open window shows', async ({ app: page, served }) => {
  await acOk(served, 'createDeck', { deck: 'Fruit' });
  await addBasic(served, 'apple', 'red', { deck: 'Fruit' });
  await addBasic(served, 'stone', 'grey');

  // the browser opens on the search, and follows a second guiBrowse while it is open
  const found = await acOk<number[]>(served, 'guiBrowse', { query: 'deck:Fruit' });
  expect(found).toHaveLength(1);
  const search = page.getByRole('searchbox', { name: 'Search' }).or(page.getByLabel('Search', { exact: true }));
  await expect(search).toHaveValue('deck:Fruit');
  await expect(page.locator('.result-count')).toHaveText(/^1 card/);
  await acOk(served, 'guiBrowse', { query: 'stone OR apple' });
  await expect(search).toHaveValue('stone OR apple');
  await expect(page.locator('.result-count')).toHaveText(/^2 cards/);
  await shot(page, 'gui-01-browse');

  // the Add screen opens pre-filled, then guiAddNoteSetData changes it
  expect(await acOk(served, 'guiAddCards', { note: { deckName: 'Fruit', modelName: 'Basic', fields: { Front: 'banana', Back: 'yellow' }, tags: ['fruit'] } })).toBe(0);
  const form = page.getByRole('form', { name: 'Add note' });
  const fields = form.locator('.field-input.rich');
  await expect(fields.nth(0)).toHaveText('banana');
  await expect(fields.nth(1)).toHaveText('yellow');
  await expect(form.getByLabel('Deck').locator('option:checked')).toHaveText('Fruit');
  await expect(form.getByRole('combobox', { name: 'Tags' })).toHaveValue('fruit');
  expect(await acOk(served, 'guiAddNoteSetData', { note: { fields: { Back: ' and sweet' }, tags: ['tropical'] }, append: true })).toBe(true);
  await expect(fields.nth(1)).toHaveText('yellow and sweet');
  await expect(form.getByRole('combobox', { name: 'Tags' })).toHaveValue('fruit tropical');
  expect((await ac(served, 'guiAddNoteSetData', { note: { fields: { Nope: 'x' } } })).error).toBe('Field "Nope" not found in current note');
  await shot(page, 'gui-02-add');
  await fields.nth(0).press('Control+Enter');
  await expect(form.getByRole('status').filter({ hasText: /^Added/ })).toBeVisible();
  const [added] = await acOk<{ fields: Record<string, { value: string }>; tags: string[] }[]>(served, 'notesInfo', { notes: await acOk<number[]>(served, 'findNotes', { query: 'banana' }) });
  expect(added.fields.Back.value).toBe('yellow and sweet');
  expect(added.tags.sort()).toEqual(['fruit', 'tropical']);
});

test('the reviewer answers the GUI actions; without a window they are refused', async ({ app: page, served }) => {
  await acOk(served, 'createDeck', { deck: 'Capitals' });
  await addBasic(served, 'France', 'Paris', { deck: 'Capitals' });
  await addBasic(served, 'Italy', 'Rome', { deck: 'Capitals' });
  expect(await acOk(served, 'guiReviewActive')).toBe(false);
  expect(await acOk(served, 'guiDeckReview', { name: 'Capitals' })).toBe(true);
  const qa = page.frameLocator('iframe.card-frame').locator('#qa');
  await expect(qa).toContainText('France');
  const current = await acOk<{ question: string; answer: string; buttons: number[]; nextReviews: string[]; deckName: string }>(served, 'guiCurrentCard');
  expect(current).toMatchObject({ buttons: [1, 2, 3, 4], deckName: 'Capitals' });
  expect(current.question).toContain('France');
  expect(current.nextReviews).toHaveLength(4);
  // answering needs the answer shown, as in Anki
  expect(await acOk(served, 'guiAnswerCard', { ease: 3 })).toBe(false);
  expect(await acOk(served, 'guiShowAnswer')).toBe(true);
  await expect(qa).toContainText('Paris');
  expect(await acOk(served, 'guiAnswerCard', { ease: 3 })).toBe(true);
  await expect(qa).toContainText('Italy');
  // Edit › Undo brings the first card back
  expect(await acOk(served, 'guiUndo')).toBe(true);
  await expect(qa).toContainText('France');
  // the deck list and a deck's overview
  await acOk(served, 'guiDeckBrowser');
  await expect(page.getByRole('heading', { name: 'Decks' })).toBeVisible();
  expect(await acOk(served, 'guiDeckOverview', { name: 'Capitals' })).toBe(true);
  await expect(page.getByRole('heading', { name: 'Capitals' })).toBeVisible();
  expect(await acOk(served, 'guiReviewActive')).toBe(false);

  // no window: the clear error
  await page.goto('about:blank');
  await expect.poll(async () => (await ac(served, 'guiDeckBrowser')).error, { timeout: 10_000 }).toBe('no window is open: guiDeckBrowser needs the desktop app');
});
