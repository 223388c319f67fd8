// The renderer in Debian's Chromium against the real core (browser transport): decks, adding
// notes, studying with the keyboard, browsing and searching, editing, bulk suspend, undo.
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { expect, shot, startSyncServer, test } from './support/fixtures';

async function createDeck(page: Page, name: string) {
  await page.getByRole('button', { name: 'Create Deck' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Deck' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
}

const deckRow = (page: Page, name: string) => page.locator('tr.deck-row').filter({ has: page.getByRole('link', { name, exact: true }) });

async function addNote(page: Page, opts: { type: string; deck: string; fields: string[]; tags?: string }) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Add' }).click();
  const form = page.getByRole('form', { name: 'Add note' });
  await form.getByLabel('Type').selectOption({ label: opts.type });
  await form.getByLabel('Deck').selectOption({ label: opts.deck });
  // one rich-text editor per field
  const areas = form.locator('.field-input.rich');
  await expect(areas).toHaveCount(opts.fields.length);
  for (const [i, f] of opts.fields.entries()) await areas.nth(i).fill(f);
  if (opts.tags) await form.getByLabel('Tags').fill(opts.tags);
  await areas.first().press('Control+Enter');
  await expect(form.getByRole('status').filter({ hasText: /^Added/ })).toBeVisible();
  await expect(areas.first()).toHaveText('');
}

/** The text the card frame shows (the frame is sandboxed; Playwright can still read it). */
const cardText = (page: Page) => page.frameLocator('iframe.card-frame').locator('#qa');

test('decks: create, nest, rename, collapse, drag to reparent, delete and undo', async ({ app: page }) => {
  await createDeck(page, 'Languages');
  await createDeck(page, 'Languages::Spanish');
  await createDeck(page, 'Geography');
  // new parent decks start collapsed, as in Anki
  await expect(deckRow(page, 'Spanish')).toBeHidden();
  await page.getByRole('button', { name: 'Expand Languages' }).click();
  await expect(deckRow(page, 'Spanish')).toBeVisible();
  await shot(page, '01-decks');

  // collapse and expand
  await page.getByRole('button', { name: 'Collapse Languages' }).click();
  await expect(deckRow(page, 'Spanish')).toBeHidden();
  await page.getByRole('button', { name: 'Expand Languages' }).click();
  await expect(deckRow(page, 'Spanish')).toBeVisible();

  // rename
  await deckRow(page, 'Spanish').getByRole('button', { name: /Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Rename' }).click();
  const rename = page.getByRole('dialog', { name: /Rename/ });
  await rename.getByLabel('Name').fill('Languages::Español');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(deckRow(page, 'Español')).toBeVisible();

  // drag Geography under Languages
  await deckRow(page, 'Geography').dragTo(deckRow(page, 'Languages'));
  await expect(page.getByRole('link', { name: 'Geography' })).toBeVisible();
  await expect(deckRow(page, 'Geography').locator('td.deck-name')).toHaveAttribute('style', /padding-inline-start: 1.75rem/);

  // delete, then undo from the top bar
  await deckRow(page, 'Languages').getByRole('button', { name: /Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete Deck' }).getByRole('button', { name: 'Delete' }).click();
  await expect(deckRow(page, 'Languages')).toBeHidden();
  await page.getByRole('button', { name: 'Undo Delete Deck' }).click();
  await expect(deckRow(page, 'Languages')).toBeVisible();
  await expect(deckRow(page, 'Español')).toBeVisible();
  await shot(page, '02-decks-after-undo');
});

test('add Basic and Cloze notes, then study them with the keyboard', async ({ app: page }) => {
  await createDeck(page, 'Capitals');
  await addNote(page, { type: 'Basic', deck: 'Capitals', fields: ['Capital of France?', 'Paris'], tags: 'geo' });
  await addNote(page, { type: 'Cloze', deck: 'Capitals', fields: ['{{c1::Berlin}} is the capital of {{c2::Germany}}', ''] });
  await shot(page, '03-add');

  await page.getByRole('link', { name: 'Decks' }).click();
  await expect(deckRow(page, 'Capitals').locator('td.count-new')).toHaveText('3');
  await page.getByRole('link', { name: 'Capitals' }).click();
  await page.getByRole('button', { name: 'Study Now' }).click();

  // question → space shows the answer with four intervals
  await expect(cardText(page)).toContainText('Capital of France?');
  await expect(page.locator('.review-counts .count-new')).toHaveText('3');
  await shot(page, '04-question');
  await page.keyboard.press('Space');
  await expect(cardText(page)).toContainText('Paris');
  const intervals = page.locator('.answer-buttons .interval');
  await expect(intervals).toHaveText(['<1m', '<6m', '<10m', /^\d+d$/]);
  await shot(page, '05-answer');

  // Good (3): the card moves to learning, the next card comes up
  await page.keyboard.press('3');
  await expect(cardText(page)).toContainText('[...]');
  await expect(page.locator('.review-counts .count-new')).toHaveText('2');
  await expect(page.locator('.review-counts .count-learn')).toHaveText('1');

  // u undoes the answer: back to the first card, counts restored
  await page.keyboard.press('u');
  await expect(cardText(page)).toContainText('Capital of France?');
  await expect(page.locator('.review-counts .count-new')).toHaveText('3');

  // again (1) then the learning card's intervals have changed
  await page.keyboard.press('Enter');
  await page.keyboard.press('1');
  await expect(page.locator('.review-counts .count-learn')).toHaveText('1');
  // mark (*) and flag (ctrl+1) the cloze card on screen
  await page.keyboard.press('*');
  await expect(page.getByLabel('Marked')).toBeVisible();
  await page.keyboard.press('Control+1');
  await expect(page.getByLabel('Flag 1')).toBeVisible();
  // keys work with the focus inside the card frame too
  await page.frameLocator('iframe.card-frame').locator('body').click();
  await page.keyboard.press('Space');
  await expect(page.locator('.answer-buttons')).toBeVisible();
  await page.keyboard.press('4');
  // bury (-) and suspend (@) what is left until the deck is done
  for (let i = 0; i < 5; i++) {
    if (await page.getByText('Congratulations!').isVisible()) break;
    await expect(page.locator('iframe.card-frame')).toBeVisible();
    await page.keyboard.press(i % 2 ? '@' : '-');
    await page.waitForTimeout(200);
  }
  await expect(page.getByText('Congratulations! You have finished this deck for now.')).toBeVisible();
  await shot(page, '06-congrats');
});

test('learning intervals change after each answer', async ({ app: page }) => {
  await addNote(page, { type: 'Basic', deck: 'Default', fields: ['one', '1'] });
  await page.getByRole('link', { name: 'Decks' }).click();
  await page.getByRole('link', { name: 'Default' }).click();
  await page.getByRole('button', { name: 'Study Now' }).click();
  await expect(cardText(page)).toContainText('one');
  await page.keyboard.press('Space');
  const intervals = page.locator('.answer-buttons .interval');
  await expect(intervals).toHaveText(['<1m', '<6m', '<10m', /^\d+d$/]);
  await page.keyboard.press('3'); // Good: into the second learning step
  await expect(page.getByRole('button', { name: 'Show Answer' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(intervals).toHaveText(['<1m', '<10m', /^\d+d$/, /^\d+d$/]);
});

test('browse and search: inline errors, sidebar, bulk suspend, undo', async ({ app: page }) => {
  await createDeck(page, 'Fruit');
  for (const f of ['apple', 'banana', 'cherry']) await addNote(page, { type: 'Basic', deck: 'Fruit', fields: [f, `a ${f}`], tags: 'food' });
  await addNote(page, { type: 'Basic', deck: 'Default', fields: ['stone', 'not a fruit'] });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Browse' }).click();
  const search = page.getByRole('searchbox', { name: 'Search' }).or(page.getByLabel('Search', { exact: true }));
  await expect(page.locator('.result-count')).toHaveText('4 cards');

  // a malformed search shows Anki's explanation inline, and keeps the last results
  await search.fill('deck:(');
  await search.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Invalid search');
  await expect(search).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.result-count')).toHaveText('4 cards (previous search)');
  await shot(page, '07-search-error');

  // the sidebar writes the search
  await page.getByRole('navigation', { name: /Saved searches/ }).getByRole('button', { name: 'Fruit' }).click();
  await expect(search).toHaveValue('deck:Fruit');
  await expect(page.locator('.result-count')).toHaveText('3 cards');
  await expect(page.getByRole('alert')).toBeHidden();

  // select all, suspend
  await page.getByRole('grid', { name: 'Cards' }).locator('[role=row]').first().click();
  await page.getByRole('grid', { name: 'Cards' }).press('Control+a');
  await expect(page.locator('.result-count')).toHaveText('3 cards, 3 selected');
  await page.getByRole('toolbar', { name: 'Selected cards' }).getByRole('button', { name: 'Suspend', exact: true }).click();
  await search.fill('is:suspended');
  await search.press('Enter');
  await expect(page.locator('.result-count')).toHaveText(/^3 cards/);
  await shot(page, '08-suspended');

  // undo (ctrl+z outside text fields) brings them back
  await page.getByRole('grid', { name: 'Cards' }).focus();
  await page.keyboard.press('Control+z');
  await expect(page.locator('.result-count')).toHaveText('0 cards');
});

test('edit a note from the reviewer and see the card update', async ({ app: page }) => {
  await addNote(page, { type: 'Basic', deck: 'Default', fields: ['Largest planet?', 'Saturn'] });
  await page.getByRole('link', { name: 'Decks' }).click();
  await page.getByRole('link', { name: 'Default' }).click();
  await page.getByRole('button', { name: 'Study Now' }).click();
  await expect(cardText(page)).toContainText('Largest planet?');
  await page.keyboard.press('Space');
  await expect(cardText(page)).toContainText('Saturn');
  await page.keyboard.press('e');
  const form = page.getByRole('form', { name: 'Edit note' });
  await expect(form.locator('.field-input.rich').nth(1)).toHaveText('Saturn');
  await form.locator('.field-input.rich').nth(1).fill('Jupiter');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await shot(page, '09-edit');
  await form.getByRole('button', { name: 'Close' }).click();
  await expect(cardText(page)).toContainText('Largest planet?');
  await page.keyboard.press('Space');
  await expect(cardText(page)).toContainText('Jupiter');
});

test('changes made through AnkiConnect show up in the open window', async ({ app: page, served }) => {
  const ac = (action: string, params: object) =>
    fetch(served.ankiConnectUrl, { method: 'POST', body: JSON.stringify({ action, version: 6, params }) }).then((r) => r.json() as Promise<{ result: unknown; error: string | null }>);
  expect(await ac('createDeck', { deck: 'From Yomitan' })).toMatchObject({ error: null });
  await expect(deckRow(page, 'From Yomitan')).toBeVisible();
  const added = await ac('addNote', { note: { deckName: 'From Yomitan', modelName: 'Basic', fields: { Front: '日本', Back: 'Japan' }, tags: ['yomitan'] } });
  expect(added.error).toBeNull();
  await expect(deckRow(page, 'From Yomitan').locator('td.count-new')).toHaveText('1');
  await shot(page, '10-ankiconnect');
});

test('tools, statistics and the dark theme', async ({ app: page }) => {
  const fixture = join(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'anki', 'text-2fields.txt');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tools' }).click();
  await page.getByLabel(/File to import/).fill(fixture);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /notes found: \d+ new/ })).toBeVisible();
  await page.getByRole('button', { name: 'Check Media' }).click();
  await expect(page.locator('pre.report')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Not logged in.' })).toBeVisible();
  await shot(page, '11-tools');

  // study one card, then the statistics count it
  await page.getByRole('link', { name: 'Decks' }).click();
  await page.getByRole('link', { name: 'Default' }).click();
  await page.getByRole('button', { name: 'Study Now' }).click();
  await expect(page.locator('iframe.card-frame')).toBeVisible();
  await page.keyboard.press('Space');
  await page.keyboard.press('3');
  await expect(page.locator('.review-counts .count-learn')).toHaveText('1');

  // dark theme: the app and the card (Anki's nightMode classes)
  await page.getByRole('button', { name: /^Theme:/ }).click(); // system → light
  await page.getByRole('button', { name: /^Theme:/ }).click(); // light → dark
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.frameLocator('iframe.card-frame').locator('body')).toHaveClass(/nightMode night_mode/);
  await shot(page, '12-dark-review');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stats' }).click();
  await expect(page.getByText(/Studied 1 card in/)).toBeVisible();
  await shot(page, '13-stats');
});

test('sync with a self-hosted server: log in, one-way upload, then normal syncs', async ({ app: page }) => {
  const server = await startSyncServer('ana:secret');
  try {
    await addNote(page, { type: 'Basic', deck: 'Default', fields: ['to sync', 'yes'] });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tools' }).click();
    await page.getByLabel('AnkiWeb email or user name').fill('ana');
    await page.getByLabel('Password').fill('wrong');
    await page.getByLabel(/Self-hosted server/).fill(server.url);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Logged in as ana.' })).toBeVisible();
    await page.getByRole('button', { name: 'Sync Now' }).click();
    // a new collection against an empty server: only a one-way upload will do
    const choice = page.getByRole('group', { name: 'One-way sync' });
    await expect(choice).toBeVisible();
    await expect(choice.getByRole('button', { name: 'Download from server' })).toBeDisabled();
    await shot(page, '14-full-sync-choice');
    await choice.getByRole('button', { name: 'Upload to server' }).click();
    await expect(page.getByRole('status').filter({ hasText: /uploaded this collection/ })).toBeVisible();
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await expect(page.getByRole('status').filter({ hasText: /already in sync|synced:/ })).toBeVisible();
    await shot(page, '15-synced');
  } finally {
    await server.stop();
  }
});

test('note types: add a field and change a template, then use them', async ({ app: page }) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Note Types' }).click();
  await page.getByRole('button', { name: /^Basic \(/ }).first().click();
  await page.getByLabel('New field').fill('Example');
  await page.getByRole('button', { name: 'Add Field' }).click();
  await expect(page.getByRole('cell', { name: 'Example', exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Cards' }).click();
  await page.getByLabel('Front template').fill('{{Front}}<div class=ex>{{Example}}</div>');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Card type saved')).toBeVisible();
  await shot(page, '16-notetypes');

  await addNote(page, { type: 'Basic', deck: 'Default', fields: ['casa', 'house', 'mi casa es su casa'] });
  await page.getByRole('link', { name: 'Decks' }).click();
  await page.getByRole('link', { name: 'Default' }).click();
  await page.getByRole('button', { name: 'Study Now' }).click();
  await expect(page.frameLocator('iframe.card-frame').locator('.ex')).toHaveText('mi casa es su casa');
});

test.describe('card content is sandboxed', () => {
  test.use({ allowConsole: /Content Security Policy|Refused to connect|Failed to fetch/ });
  test('card scripts run in the frame but cannot reach the API or the bridge', async ({ app: page, served }) => {
    const probe = [
      '<div id=probe>pending</div>',
      '<script>',
      'var out = [];',
      "out.push('ran');",
      "out.push('bridge:' + (function(){ try { return typeof parent.deckhand } catch (e) { return 'blocked' } })());",
      "out.push('parentdoc:' + (function(){ try { return String(parent.document.title) } catch (e) { return 'blocked' } })());",
      "fetch('/api/decks.tree', {method:'POST', headers:{'content-type':'application/json'}, body:'{}'}).then(function(){ out.push('fetch:ok') }, function(){ out.push('fetch:blocked') }).finally(function(){ document.getElementById('probe').textContent = out.join(' ') });",
      '</script>',
    ].join('');
    // the editor saves no scripts, but shared decks and AnkiConnect bring them: add it through AnkiConnect
    const added = await fetch(served.ankiConnectUrl, {
      method: 'POST',
      body: JSON.stringify({ action: 'addNote', version: 6, params: { note: { deckName: 'Default', modelName: 'Basic', fields: { Front: `Question ${probe}`, Back: 'Answer' } } } }),
    }).then((r) => r.json() as Promise<{ error: string | null }>);
    expect(added.error).toBeNull();
    await page.getByRole('link', { name: 'Decks' }).click();
    await page.getByRole('link', { name: 'Default' }).click();
    await page.getByRole('button', { name: 'Study Now' }).click();
    const probeText = page.frameLocator('iframe.card-frame').locator('#probe');
    await expect(probeText).toHaveText('ran bridge:blocked parentdoc:blocked fetch:blocked');
    await expect(page.locator('iframe.card-frame')).toHaveAttribute('sandbox', 'allow-scripts');
  });
});
