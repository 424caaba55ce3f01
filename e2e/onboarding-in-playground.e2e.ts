import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTenantFixture } from '../sandbox/fixture.js';
import { enrollDevice, sandboxAdmin, sandboxState } from '../test/helpers/sandbox-admin.js';
import { card, logDetails, logEntries, openPlayground, say, submitCard, type Session } from './browser.js';
import { startPlaygroundAs, type PlaygroundProcess } from './playground-process.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

// Autopilot onboarding in the Agents Playground. Onboarding takes a TAP role and an Intune role; Dana,
// whom `npm run sandbox` signs in, has no Intune role, so Owen Lee (Authentication Administrator and
// Intune Administrator) gets a Playground server of his own against the same bot.
const SERIAL = 'PF4KX1A3';
const ASKED = `Onboard Alice Wong on ${SERIAL}?`;
const DEVICE_WRITES = '/v1.0/deviceManagement/windowsAutopilotDeviceIdentities/';
const OWEN_OID = loadTenantFixture().users.find((u) => u.userPrincipalName === 'owen@contoso.com')!.id;

let sandbox: SandboxProcess;
let playground: PlaygroundProcess;
let session: Session;
/** The sandbox admin API, trusting the throwaway CA `npm run sandbox` writes into `.data/`. */
let admin: { sandbox: { sandboxUrl: string; caPem: string } };

beforeAll(async () => {
  sandbox = await startSandboxProcess();
  admin = {
    sandbox: {
      sandboxUrl: sandbox.ready.sandbox,
      caPem: readFileSync(join(process.cwd(), '.data', 'sandbox-ca.pem'), 'utf8'),
    },
  };
  playground = await startPlaygroundAs('Owen Lee', sandbox.ready.bot);
  session = await openPlayground(playground.url);
});

afterAll(async () => {
  await session?.browser.close();
  await playground?.stop();
  await sandbox?.stop();
});

const deviceWrites = async () =>
  (await sandboxState(admin)).graphLog.filter((c) => c.method === 'POST' && c.path.startsWith(DEVICE_WRITES));
const passesForAlice = async () =>
  (await sandboxState(admin)).passes.filter((p) => p.userPrincipalName === 'alice@contoso.com');

describe('in the Agents Playground, as Owen Lee onboarding a joiner in a hurry', () => {
  it('typed twice in lower case: the newer card confirmed sets the device and shows him the pass; the older one changes nothing', async () => {
    const { page, shot } = session;
    // No answer fast enough for him, so he sends it again: two cards for the same onboarding.
    await say(page, `onboard alice@contoso.com on ${SERIAL.toLowerCase()} tag finance`);
    await say(page, `onboard alice@contoso.com on ${SERIAL.toLowerCase()} tag finance`);
    const cards = page.locator('.ac-adaptiveCard').filter({ hasText: ASKED });
    await cards.nth(1).locator('button[aria-label="Confirm"]').waitFor({ timeout: 20_000 });
    const newer = cards.nth(1);
    const facts = await newer.innerText();
    for (const shown of [
      'alice@contoso.com',
      'Carol Diaz', // her manager, who hears when the device is ready
      'LENOVO ThinkPad T14 Gen 4',
      'nobody', // assigned to now
      'notContacted',
      'Multi-use until it expires',
      '2 hours',
    ])
      expect(facts).toContain(shown);
    // The tag he typed in lower case is the tenant's own spelling, already chosen.
    await expect(newer.getByRole('combobox').inputValue()).resolves.toBe('Finance');
    await shot('onboard-01-two-cards');

    await submitCard(
      async () => {
        await newer.getByText('In person').click();
        await newer.locator('button[aria-label="Confirm"]').click();
      },
      card(page, 'Copy it now'),
    );
    const passCard = card(page, 'Copy it now');
    await passCard.waitFor({ timeout: 20_000 });
    expect(await passCard.innerText()).toContain('Temporary Access Pass for Alice Wong');
    const shown = (await passCard.locator('.ac-richTextBlock').innerText()).trim();
    await shot('onboard-02-pass-shown');

    // Intune has the device as the card said, changed with Owen's own token; Entra has one pass for
    // Alice, multi-use, created by Owen: the one his card shows.
    const device = (await sandboxState(admin)).devices.find((d) => d.serialNumber === SERIAL);
    expect(device).toMatchObject({
      userPrincipalName: 'alice@contoso.com',
      groupTag: 'Finance',
      updatedBy: OWEN_OID,
    });
    const passes = await passesForAlice();
    expect(passes).toHaveLength(1);
    expect(passes[0]).toMatchObject({ createdBy: OWEN_OID, isUsableOnce: false });
    expect(passes[0]!.passSha256).toBe(createHash('sha256').update(shown).digest('hex'));
    expect(await deviceWrites()).toHaveLength(1);

    // The Playground replaced the clicked card with his answer; the older card is still there. The
    // issuer's notice arrives a moment after the pass, and the Playground redraws the chat for it,
    // forgetting a choice made on another card meanwhile: the older card is filled in after it.
    await page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Pass for Alice Wong expires at' })
      .last()
      .waitFor({ timeout: 20_000 });
    await expect(cards.count()).resolves.toBe(1);
    const older = cards.first();
    await submitCard(
      async () => {
        await older.getByText('In person').click();
        await older.locator('button[aria-label="Confirm"]').click();
      },
      card(page, 'The device changed since the card was made'),
    );
    const refused = card(page, 'The device changed since the card was made');
    await refused.waitFor({ timeout: 20_000 });
    expect(await refused.innerText()).toContain('Nothing was changed');
    expect(await deviceWrites()).toHaveLength(1);
    expect(await passesForAlice()).toHaveLength(1);
    await expect(page.locator('.ac-adaptiveCard').filter({ hasText: 'Copy it now' }).count()).resolves.toBe(
      1,
    );
    await shot('onboard-03-older-card-refused');

    // What the chat keeps (the message update, in the Log Panel) says how each part went, without the pass.
    await logEntries(page, 'message 200').last().click();
    const details = logDetails(page);
    await details.getByText(`"text": "Alice Wong is set up on ${SERIAL}"`).waitFor({ timeout: 20_000 });
    const update = await details.innerText();
    expect(update).toContain('Assigned to alice@contoso.com, group tag Finance');
    expect(update).not.toContain(shown);

    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });

  it('the laptop enrolls: Owen is told it is set up, with Revoke for the pass he no longer needs', async () => {
    const { page, shot } = session;
    await enrollDevice(admin, SERIAL);
    // The follow-through looks every ONBOARDING_CHECK_MINUTES (5) on the bot's clock, the tenant's.
    await sandboxAdmin(admin, 'POST', '/clock', { advanceMinutes: 6 });
    const notice = card(page, `reported enrolled for Alice Wong`);
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.innerText()).toContain('Alice Wong is set up');
    await expect(notice.locator('button[aria-label="Revoke now"]').count()).resolves.toBe(1);
    await notice.scrollIntoViewIfNeeded();
    await shot('onboard-04-set-up-notice');
    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });
});
