import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxBotEnv } from '../../sandbox/bot-env.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';

// The production entry (src/index.ts) knows nothing of the sandbox; sandbox mode runs only from the
// sandbox's own entry (sandbox/bot-entry.ts, which test/helpers/bot-process.ts starts).
let sandbox: SandboxHandle;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'tapdesk-entry-'));
  writeFileSync(join(dir, 'ca.pem'), sandbox.caPem);
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the production process entry', () => {
  it('refuses sandbox mode and points at npm run sandbox, before listening anywhere', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      env: { ...process.env, ...sandboxBotEnv(sandbox, join(dir, 'ca.pem')), PORT: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('npm run sandbox');
    expect(run.stdout).not.toContain('bot.listening');
  });
});
