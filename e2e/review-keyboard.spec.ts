// A whole review session without the mouse: from the deck list to the congratulations, with
// Anki's keys (Space/Enter, 1–4, u, *, Ctrl+1, -, @) and Tab/Enter for navigation.
import { type Page } from '@playwright/test';
import { acOk, addBasic } from './support/anki';
import { expect, shot, test } from './support/fixtures';

/** Presses Tab until the focused element is the one with this role and name. */
async function tabTo(page: Page, role: 'link' | 'button', name: string): Promise<void> {
  const target = page.getByRole(role, { name, exact: true });
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached the ${role} “${name}”`);
}

test('a keyboard-only review session', async ({ app: page, served }) => {
  await acOk(served, 'createDeck', { deck: 'Keys' });
  for (const [q, a] of [
    ['one', '1'],
    ['two', '2'],
    ['three', '3'],
    ['four', '4'],
  ])
    await addBasic(served, q, a, { deck: 'Keys' });
  // no mouse from here on
  await page.mouse.move(0, 0);
  const clicks: string[] = [];
  await page.exposeFunction('__noteClick', (t: string) => clicks.push(t));
  await page.evaluate(() => window.addEventListener('mousedown', (e) => (window as unknown as { __noteClick: (t: string) => void }).__noteClick(String((e.target as Element).tagName)), true));

  await expect(page.getByRole('link', { name: 'Keys', exact: true })).toBeVisible();
  await tabTo(page, 'link', 'Keys');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Keys' })).toBeVisible();
  // Study Now has the focus on the overview
  await expect(page.getByRole('button', { name: 'Study Now' })).toBeFocused();
  await page.keyboard.press('Enter');

  const qa = page.frameLocator('iframe.card-frame').locator('#qa');
  const counts = page.locator('.review-counts');
  await expect(qa).toContainText('one');
  await expect(counts.locator('.count-new')).toHaveText('4');
  await page.keyboard.press('Space'); // show answer
  await expect(page.locator('.answer-buttons')).toBeVisible();
  await page.keyboard.press('3'); // good
  await expect(qa).toContainText('two');
  await page.keyboard.press('Enter'); // Enter shows the answer too
  await page.keyboard.press('1'); // again
  await expect(counts.locator('.count-learn')).toHaveText('2');
  await expect(qa).toContainText('three');
  await page.keyboard.press('u'); // undo: "two" again
  await expect(qa).toContainText('two');
  await expect(counts.locator('.count-learn')).toHaveText('1');
  await page.keyboard.press('Space');
  await page.keyboard.press('4'); // easy
  await expect(qa).toContainText('three');
  await page.keyboard.press('*'); // mark
  await expect(page.getByLabel('Marked')).toBeVisible();
  await page.keyboard.press('Control+1'); // red flag
  await expect(page.getByLabel('Flag 1')).toBeVisible();
  await shot(page, 'keyboard-01-review');
  await page.keyboard.press('-'); // bury
  await expect(qa).not.toContainText('three');
  await page.keyboard.press('@'); // suspend whatever is shown ("four")
  // only the learning card "one" is left: finish it with Easy
  for (let i = 0; i < 6 && !(await page.getByText('Congratulations!').isVisible()); i++) {
    await page.keyboard.press('Space');
    await page.keyboard.press('4');
    await page.waitForTimeout(150);
  }
  await expect(page.getByText('Congratulations! You have finished this deck for now.')).toBeVisible();
  await shot(page, 'keyboard-02-done');
  expect(clicks).toEqual([]);
  // what was done
  expect(await acOk<number[]>(served, 'findCards', { query: 'deck:Keys is:suspended' })).toHaveLength(1);
  expect(await acOk<number[]>(served, 'findCards', { query: 'deck:Keys is:buried' })).toHaveLength(1);
  expect(await acOk<number[]>(served, 'findCards', { query: 'deck:Keys flag:1 tag:marked' })).toHaveLength(1);
});
