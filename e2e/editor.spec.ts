// The note editor in Chromium against `deckhand serve`: formatting (shortcuts and toolbar), the
// HTML source view and sanitising, cloze shortcuts, a pasted image going to the media folder,
// Anki's duplicate warning, tag completion, sticky fields, the remembered deck and the preview.
import { type Locator, type Page } from '@playwright/test';
import { ac, acOk, addBasic } from './support/anki';
import { expect, shot, test } from './support/fixtures';

// a 1×1 PNG
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function openAdd(page: Page, type = 'Basic'): Promise<{ form: Locator; fields: Locator }> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Add' }).click();
  const form = page.getByRole('form', { name: 'Add note' });
  await form.getByLabel('Type').selectOption({ label: type });
  const fields = form.locator('.field-input.rich');
  await expect(fields.first()).toBeVisible();
  return { form, fields };
}

interface NoteInfo {
  noteId: number;
  fields: Record<string, { value: string }>;
  tags: string[];
}
const notes = async (served: Parameters<typeof acOk>[0], query: string) => acOk<NoteInfo[]>(served, 'notesInfo', { notes: await acOk<number[]>(served, 'findNotes', { query }) });

test('formatting, the HTML view and sanitising on save', async ({ app: page, served }) => {
  const { form, fields } = await openAdd(page);
  const front = fields.nth(0);
  await front.click();
  await page.keyboard.type('plain ');
  await page.keyboard.press('Control+b');
  await page.keyboard.type('bold');
  await page.keyboard.press('Control+b');
  await page.keyboard.type(' ');
  await page.keyboard.press('Control+i');
  await page.keyboard.type('italic');
  await expect(front.locator('b')).toHaveText('bold');
  await expect(front.locator('i')).toHaveText('italic');

  // toolbar: select a word in the back field and underline it, then superscript
  const back = fields.nth(1);
  await back.click();
  await page.keyboard.type('x2');
  await page.keyboard.press('Shift+ArrowLeft');
  await form.getByRole('button', { name: 'Superscript' }).click();
  await expect(back.locator('sup')).toHaveText('2');
  await shot(page, 'editor-01-formatting');

  // the HTML editor shows the field's HTML; a script typed there is not saved
  await back.press('Control+Shift+X');
  const html = form.getByLabel('Back (HTML)');
  await expect(html).toHaveValue(/x<sup>2<\/sup>/);
  await html.fill(`x<sup>2</sup><script>alert(1)</script><img src="data:image/png;base64,${PNG_B64}" onerror="alert(2)">`);
  await html.press('Control+Shift+X');
  await expect(form.getByLabel('Back (HTML)')).toBeHidden();
  await expect(back.locator('sup')).toHaveText('2');

  await front.press('Control+Enter');
  await expect(form.getByRole('status').filter({ hasText: /^Added/ })).toBeVisible();
  const [n] = await notes(served, 'plain');
  // (Chromium writes a space typed before a formatting change as &nbsp;, as in Anki's editor)
  expect(n.fields.Front.value.replaceAll('&nbsp;', ' ')).toBe('plain <b>bold</b> <i>italic</i>');
  expect(n.fields.Back.value).toBe(`x<sup>2</sup><img src="data:image/png;base64,${PNG_B64}">`);
});

test('cloze shortcuts: next number and same number, as Anki', async ({ app: page, served }) => {
  const { form, fields } = await openAdd(page, 'Cloze');
  const text = fields.nth(0);
  await text.click();
  await page.keyboard.type('Paris is the capital of France');
  // select "Paris" and make it c1
  await page.keyboard.press('Home');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Control+Shift+C');
  await expect(text).toContainText('{{c1::Paris}}');
  // "France" → c2 (next number)
  await page.keyboard.press('End');
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Control+Shift+C');
  await expect(text).toContainText('{{c2::France}}');
  // an empty cloze with the same number puts the caret inside it
  await page.keyboard.press('End');
  await page.keyboard.type(' and ');
  await page.keyboard.press('Control+Alt+Shift+C');
  await page.keyboard.type('Europe');
  await expect(text).toHaveText('{{c1::Paris}} is the capital of {{c2::France}} and {{c2::Europe}}');
  await shot(page, 'editor-02-cloze');
  await text.press('Control+Enter');
  await expect(form.getByRole('status').filter({ hasText: 'Added: 2 cards' })).toBeVisible();
  const [n] = await notes(served, 'Paris');
  expect(n.fields.Text.value).toBe('{{c1::Paris}} is the capital of {{c2::France}} and {{c2::Europe}}');
});

test('a pasted image goes to the media folder and is referenced as Anki does', async ({ app: page, served }) => {
  const { form, fields } = await openAdd(page);
  await fields.nth(0).click();
  await page.keyboard.type('picture: ');
  await fields.nth(0).evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, PNG_B64);
  const img = fields.nth(0).locator('img');
  await expect(img).toHaveAttribute('src', /^\/media\/[^/]+\/paste-[a-z0-9]+\.png$/);
  // the picture loads from the media folder
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(1);
  await fields.nth(1).fill('back');
  await fields.nth(0).press('Control+Enter');
  await expect(form.getByRole('status').filter({ hasText: /^Added/ })).toBeVisible();
  const [n] = await notes(served, 'picture');
  const name = /^picture: <img src="(paste-[a-z0-9]+\.png)">$/.exec(n.fields.Front.value.replaceAll('&nbsp;', ' '))?.[1];
  expect(name).toBeTruthy();
  expect(await acOk<string[]>(served, 'getMediaFilesNames', { pattern: 'paste-*' })).toEqual([name]);
});

test("Anki's duplicate warning, Show Duplicates, tag completion and sticky fields", async ({ app: page, served }) => {
  await addBasic(served, 'Bonjour', 'Hello', { tags: ['french::greetings', 'geography'] });
  const { form, fields } = await openAdd(page);

  // tags complete from the collection's tags
  const tags = form.getByRole('combobox', { name: 'Tags' });
  await tags.click();
  await page.keyboard.type('gre');
  const options = form.getByRole('listbox', { name: 'Tag suggestions' }).getByRole('option');
  await expect(options).toHaveText(['french::greetings']);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(tags).toHaveValue('french::greetings ');
  await page.keyboard.type('geo');
  await page.keyboard.press('Tab');
  await expect(tags).toHaveValue('french::greetings geography ');

  // the first field of an existing note: the field turns red and Show Duplicates appears
  await fields.nth(0).fill('Bonjour');
  await expect(form.getByText('This note is a duplicate')).toBeVisible();
  await expect(form.locator('.field.dupe')).toHaveCount(1);
  await shot(page, 'editor-03-duplicate');
  await fields.nth(0).fill('Bonsoir');
  await expect(form.getByText('This note is a duplicate')).toBeHidden();

  // sticky Back: kept for the next note; the tags stay too
  await form.getByRole('button', { name: 'Sticky Back' }).click();
  await expect(form.getByRole('button', { name: 'Sticky Back' })).toHaveAttribute('aria-pressed', 'true');
  await fields.nth(1).fill('Good evening');
  await fields.nth(0).press('Control+Enter');
  await expect(form.getByRole('status').filter({ hasText: /^Added/ })).toBeVisible();
  await expect(fields.nth(0)).toHaveText('');
  await expect(fields.nth(1)).toHaveText('Good evening');
  await expect(tags).toHaveValue('french::greetings geography ');
  const [n] = await notes(served, 'Bonsoir');
  expect(n.tags.sort()).toEqual(['french::greetings', 'geography']);

  // Show Duplicates opens the browser on them
  await fields.nth(0).fill('Bonjour');
  await form.getByRole('link', { name: 'Show Duplicates' }).click();
  await expect(page.locator('.result-count')).toHaveText(/^1 card/);
});

test('the deck is remembered per note type, and the preview shows the cards', async ({ app: page, served }) => {
  await acOk(served, 'createDeck', { deck: 'Spanish' });
  const { form, fields } = await openAdd(page, 'Basic (and reversed card)');
  await form.getByLabel('Deck').selectOption({ label: 'Spanish' });
  await fields.nth(0).fill('perro');
  await fields.nth(1).fill('dog');
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('complementary', { name: 'Card preview' });
  const frame = page.frameLocator('iframe.preview-frame');
  await expect(frame.locator('#qa')).toContainText('perro');
  await preview.getByRole('button', { name: 'Show Answer' }).click();
  await expect(frame.locator('#qa')).toContainText('dog');
  await preview.getByRole('combobox', { name: 'Card', exact: true }).selectOption({ label: 'Card 2' });
  await expect(frame.locator('#qa')).toContainText('perro');
  await preview.getByRole('button', { name: 'Show Question' }).click();
  await expect(frame.locator('#qa')).toHaveText('dog');
  await shot(page, 'editor-04-preview');
  await fields.nth(0).press('Control+Enter');
  await expect(form.getByRole('status').filter({ hasText: 'Added: 2 cards' })).toBeVisible();

  // Basic goes to Default; back to the reversed type: its deck (Spanish) comes back
  await form.getByLabel('Type').selectOption({ label: 'Basic' });
  await form.getByLabel('Type').selectOption({ label: 'Basic (and reversed card)' });
  await expect(form.getByLabel('Deck').locator('option:checked')).toHaveText('Spanish');
  // and a new Add screen starts with the note type last used
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decks' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Add' }).click();
  const again = page.getByRole('form', { name: 'Add note' });
  await expect(again.getByLabel('Type').locator('option:checked')).toHaveText('Basic (and reversed card)');
  // choosing decks and note types made no undo steps
  expect((await ac(served, 'findCards', { query: 'deck:Spanish' })).result).toHaveLength(2);
  await expect(page.getByRole('button', { name: 'Undo Add Note' })).toBeVisible();
});
