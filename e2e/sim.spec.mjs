// Behaviour of the playground in a real browser: playing, failover, time travel, links,
// manual mode, dropping messages, configuration, keyboard, storage.
import { test, expect } from '@playwright/test';
import {
  watchConsole,
  open,
  stateText,
  step,
  controllerPartition,
  replica,
  setSpeed,
  play,
  pause,
} from './helpers.mjs';

test('play advances time and moves the HW', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  const svg = page.locator('.cluster-svg');
  const t0 = Number(await svg.getAttribute('data-time'));
  await expect(replica(page, 1, 't-0')).toHaveAttribute('data-hw', '0');
  await setSpeed(page, 3); // 1×
  await play(page);
  await expect
    .poll(async () => Number(await replica(page, 1, 't-0').getAttribute('data-hw')), { timeout: 10_000 })
    .toBeGreaterThan(0);
  await pause(page);
  expect(Number(await svg.getAttribute('data-time'))).toBeGreaterThan(t0);
  // The leader's HW reached the followers too (one fetch later), and the ledger shows commits.
  await setSpeed(page, 6);
  await play(page);
  await expect
    .poll(async () => Number(await replica(page, 2, 't-0').getAttribute('data-hw')), { timeout: 10_000 })
    .toBeGreaterThan(0);
  await pause(page);
  await expect(page.locator('.ledger tbody tr').first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('crashing the leader elects a new leader with a higher epoch and an ISR without it', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  const before = await controllerPartition(page, 't-0');
  expect(before.leader).toBe('1');
  expect(before.isr).toContain(1);
  await expect(replica(page, 1, 't-0').locator('.crown')).toHaveCount(1);

  await page.locator('[data-broker="1"]').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Broker b1' })).toBeVisible();
  await page.getByRole('button', { name: 'Crash (kill -9)' }).click();
  await expect(page.locator('[data-broker="1"]')).toHaveAttribute('data-status', 'crashed');

  await setSpeed(page, 6); // 10×: the session timeout (3 s) passes in a fraction of a second
  await play(page);
  await expect
    .poll(async () => (await controllerPartition(page, 't-0')).leader, { timeout: 10_000 })
    .not.toBe('1');
  await pause(page);
  const after = await controllerPartition(page, 't-0');
  expect(after.leader).not.toBe('');
  expect(after.epoch).toBeGreaterThan(before.epoch);
  expect(after.isr).not.toContain(1);
  // The new leader wears the crown and says so.
  await expect(replica(page, after.leader, 't-0')).toHaveAttribute('data-role', 'leader');
  await expect(replica(page, after.leader, 't-0')).toHaveAttribute('data-epoch', String(after.epoch));
  // The timeline got markers for the crash and the election.
  await expect(page.locator('.marker.crash')).toHaveCount(1);
  expect(await page.locator('.marker.election').count()).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});

test('step back restores the previous state exactly', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await setSpeed(page, 4);
  await play(page);
  await page.waitForTimeout(800);
  await pause(page);

  const states = [await stateText(page)];
  for (let i = 0; i < 5; i++) {
    const s = await step(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => step(page)).toBe(s + 1);
    states.push(await stateText(page));
  }
  expect(new Set(states).size).toBe(states.length);
  for (let i = states.length - 2; i >= 0; i--) {
    const s = await step(page);
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await expect.poll(() => step(page)).toBe(s - 1);
    expect(await stateText(page)).toEqual(states[i]);
  }
  // And forward again through the recording: the same states.
  for (let i = 1; i < states.length; i++) {
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => stateText(page)).toEqual(states[i]);
  }
  expect(problems).toEqual([]);
});

test('the URL round-trips: a reload restores the same state exactly', async ({ page, context }) => {
  const problems = watchConsole(page);
  await open(page);
  await setSpeed(page, 5);
  await play(page);
  await page.waitForTimeout(600);
  await page.locator('[data-broker="2"]').click();
  await page.getByRole('button', { name: 'Crash (kill -9)' }).click();
  await page.waitForTimeout(600);
  await page.locator('[data-broker="2"]').click();
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.waitForTimeout(400);
  await pause(page);
  const state = await stateText(page);
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#run=[A-Za-z0-9_-]+$/);
  const url = page.url();

  // The same link in a fresh page (no localStorage involved: a new context would do too).
  const other = await context.newPage();
  const problems2 = watchConsole(other);
  await other.goto(url);
  await expect(other.locator('.cluster-svg')).toBeVisible();
  expect(await stateText(other)).toEqual(state);
  // And a plain reload of the first page.
  await page.reload();
  await expect(page.locator('.cluster-svg')).toBeVisible();
  expect(await stateText(page)).toEqual(state);
  expect(problems).toEqual([]);
  expect(problems2).toEqual([]);
});

test('a malformed link shows a readable message and opens the default scenario', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, '/#run=this-is-not-a-run');
  await expect(page.locator('.notice.error')).toContainText('This link could not be opened');
  await expect(page.locator('.cluster-svg [data-broker]')).toHaveCount(3);
  expect(await step(page)).toBe(1);
  expect(problems).toEqual([]);
});

test('a corrupt saved session is reported, not fatal', async ({ page }) => {
  const problems = watchConsole(page);
  await page.addInitScript(() => localStorage.setItem('highwater.session', '%%% not a run %%%'));
  await open(page);
  await expect(page.locator('.notice.warning')).toContainText('could not be restored');
  await expect(page.locator('.cluster-svg [data-broker]')).toHaveCount(3);
  expect(problems).toEqual([]);
});

test('the last session is kept in localStorage', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  for (let i = 0; i < 7; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => step(page)).toBe(8);
  const state = await stateText(page);
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('highwater.session')))
    .toEqual(await page.evaluate(() => location.hash.replace('#run=', '')));
  // Opening the bare address restores it.
  await page.goto('/');
  await expect(page.locator('.cluster-svg')).toBeVisible();
  expect(await stateText(page)).toEqual(state);
  expect(problems).toEqual([]);
});

test('manual mode delivers the chosen message', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  // Let a few messages get on the wire first.
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Manual' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Manual mode' })).toBeVisible();
  const choices = page.locator('.enabled-event.deliver');
  await expect(choices.first()).toBeVisible();
  // Choose the last deliverable message, not the earliest one: the user decides the order.
  const chosen = choices.last();
  const id = await chosen.getAttribute('data-message');
  await expect(page.locator(`.picture [data-msg-ids~="${id}"]`)).toHaveCount(1);
  const s = await step(page);
  await chosen.click();
  await expect.poll(() => step(page)).toBe(s + 1);
  await expect(page.locator(`.picture [data-msg-ids~="${id}"]`)).toHaveCount(0);
  await expect(page.locator(`.events li[data-kind="deliver"][data-message="${id}"]`)).toHaveCount(1);
  expect(problems).toEqual([]);
});

test('clicking a message shows its fields and drops it', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  // Send a record by hand: its produce request goes on the wire at once.
  await page.getByLabel('value').fill('drop-me');
  await page.getByRole('button', { name: 'Send' }).click();
  // The only produce request on the wire: its kind's path holds just its pill; a click on the
  // pill (the path's middle) selects it.
  const msg = page.locator('.picture path.msg.k-produce');
  await expect(msg).toHaveAttribute('d', /z$/);
  // Pointing at the pill rings it; leaving the layer removes the ring.
  await msg.hover();
  await expect(page.locator('.picture .msg-ring.hover')).toHaveCount(1);
  await page.mouse.move(1, 1);
  await expect(page.locator('.picture .msg-ring.hover')).toHaveCount(0);
  await msg.click();
  await expect(page.getByRole('heading', { level: 2, name: 'Message: Produce' })).toBeVisible();
  await expect(page.locator('.inspector .fields')).toContainText('p1 → b');
  const id = await page.locator('.inspector .fields dd').first().textContent();
  await expect(page.locator(`.picture [data-msg-ids~="${id}"]`)).toHaveCount(1);
  await expect(page.locator('.picture .msg-ring.selected')).toHaveCount(1);
  await page.getByRole('button', { name: 'Drop', exact: true }).click();
  await expect(page.locator(`.picture [data-msg-ids~="${id}"]`)).toHaveCount(0);
  await expect(page.locator('.events')).toContainText('dropped by the user');
  expect(problems).toEqual([]);
});

test('cutting a link draws it dashed red; healing restores it', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await page.locator('[data-broker="1"]').click();
  await page.locator('.link-list li', { hasText: 'b1 ↔ b2' }).getByRole('button', { name: 'Cut', exact: true }).click();
  await expect(page.locator('.cluster-svg [data-cut="b1 ↔ b2"] .cut-link')).toHaveCount(1);
  await page.getByRole('button', { name: 'Heal all links' }).click();
  await expect(page.locator('.cluster-svg [data-cut]')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('an action in the past forks the timeline', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => step(page)).toBe(11);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await expect.poll(() => step(page)).toBe(6);
  await expect(page.locator('.cluster-svg')).toHaveAttribute('data-end-step', '11');
  await page.getByLabel('value').fill('forked');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.notice.info')).toContainText('forked');
  await expect(page.locator('.cluster-svg')).toHaveAttribute('data-end-step', '7');
  await expect(page.locator('.ledger')).toContainText('forked');
  expect(problems).toEqual([]);
});

test('the configuration panel starts a new run with Kafka names', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await page.getByRole('button', { name: 'Config' }).click();
  const dialog = page.getByRole('dialog', { name: 'Configuration' });
  await expect(dialog).toBeVisible();
  for (const name of ['min.insync.replicas', 'replica.lag.time.max.ms', 'unclean.leader.election.enable', 'replication.factor']) {
    await expect(dialog).toContainText(name);
  }
  await dialog.getByLabel('brokers').fill('5');
  await dialog.getByLabel('replication.factor').fill('9');
  await dialog.getByRole('button', { name: 'Start new run' }).click();
  await expect(dialog.locator('.form-error')).toContainText('replication');
  await dialog.getByLabel('replication.factor').fill('3');
  await dialog.getByRole('button', { name: 'Start new run' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.cluster-svg [data-broker]')).toHaveCount(5);
  expect(problems).toEqual([]);
});

test('keyboard shortcuts: space, arrows, + / −, ? and Escape', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => step(page)).toBe(2);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => step(page)).toBe(1);
  await page.keyboard.press('+');
  await expect(page.locator('.speed-value')).toHaveText('0.2×');
  await page.keyboard.press('-');
  await expect(page.locator('.speed-value')).toHaveText('0.1×');
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Help' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Space');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  expect(problems).toEqual([]);
});

test('DeleteRecords from the broker inspector moves the log start on every replica (KIP-107)', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await setSpeed(page, 6);
  await play(page);
  await expect
    .poll(async () => Number(await replica(page, 2, 't-0').getAttribute('data-hw')), { timeout: 10_000 })
    .toBeGreaterThan(1);
  await pause(page);
  await page.locator('[data-broker="1"]').click();
  const del = page.getByRole('button', { name: /^Delete t-0 below HW \d+$/ });
  await expect(del).toBeEnabled();
  const hw = Number((await del.textContent()).match(/HW (\d+)/)[1]);
  await del.click();
  await expect(replica(page, 1, 't-0')).toHaveAttribute('data-log-start', String(hw));
  // Followers learn the leader's log start from their next fetch responses.
  await play(page);
  await expect
    .poll(async () => Number(await replica(page, 3, 't-0').getAttribute('data-log-start')), { timeout: 10_000 })
    .toBe(hw);
  await pause(page);
  expect(problems).toEqual([]);
});
