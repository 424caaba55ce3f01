import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlayground, say, submitCard, type Session } from './browser.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

// Dana verifies Alice with a Face Check before issuing: the card shows the QR code, Alice's phone (played
// through the sandbox's admin API) passes, and the card turns "passed" by itself before Confirm.
let sandbox: SandboxProcess;
let session: Session;
let admin: Agent;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
  session = await openPlayground(sandbox.ready.playground);
  // `npm run sandbox` writes its CA here; the admin API is trusted through it, never by turning TLS off.
  admin = new Agent({
    connect: { ca: readFileSync(join(process.cwd(), '.data', 'sandbox-ca.pem'), 'utf8') },
  });
});

afterAll(async () => {
  await session?.browser.close();
  await sandbox?.stop();
  await admin?.close();
});

async function sandboxCall(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.ready.sandbox}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    dispatcher: admin,
  } as RequestInit);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('in the Agents Playground, Face Check before Confirm', () => {
  it('Dana starts a Face Check, Alice passes on her phone, the card says so, and Confirm issues', async () => {
    const { page, shot } = session;
    await say(page, 'issue TAP for alice@contoso.com for 2h');
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Issue a Temporary Access Pass?' })
      .last();
    await card.waitFor({ timeout: 20_000 });
    await card.locator('button[aria-label="Verify with Face Check"]').click();

    const waiting = page.locator('.ac-adaptiveCard').filter({ hasText: 'scan this QR code' }).last();
    await waiting.waitFor({ timeout: 20_000 });
    await expect(
      waiting.locator('img[alt="QR code to scan with Microsoft Authenticator"]').count(),
    ).resolves.toBe(1);
    expect(await waiting.innerText()).toContain('openid-vc://');
    await shot('30-face-check-qr');

    const state = await sandboxCall('GET', '/state');
    const presentations = state.presentations as { requestId: string; status: string }[];
    const created = presentations.filter((p) => p.status === 'created');
    expect(created).toHaveLength(1);
    const played = await sandboxCall('POST', '/verified-id/present', {
      requestId: created[0]!.requestId,
      score: 87,
    });
    expect(played.status).toBe('presentation_verified');

    const passed = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Face Check passed (score 87)' })
      .last();
    await passed.waitFor({ timeout: 20_000 });
    await expect(passed.getByText('Verified ID Face Check (passed, score 87)').count()).resolves.toBe(1);
    await shot('31-face-check-passed');

    await submitCard(
      () => passed.locator('button[aria-label="Confirm"]').click(),
      page.locator('.ac-adaptiveCard').filter({ hasText: 'Copy it now' }).last(),
    );
    const passCard = page.locator('.ac-adaptiveCard').filter({ hasText: 'Copy it now' }).last();
    await passCard.waitFor({ timeout: 20_000 });
    expect(await passCard.innerText()).toContain('Temporary Access Pass for Alice Wong');
    await shot('32-pass-after-face-check');

    expect(session.consoleErrors).toEqual([]);
    expect(sandbox.botErrors).toEqual([]);
  });
});
