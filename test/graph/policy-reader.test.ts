// The tenant TAP policy read with TapDesk's own app-only token, and its short cache on the bot's clock.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientSecretAppTokens } from '../../src/auth/app-tokens.js';
import { GraphFailure } from '../../src/graph/failure.js';
import { withTenantPolicy } from '../../src/graph/policy-graph.js';
import {
  AppPolicyReader,
  POLICY_CACHE_MS,
  POLICY_RETRY_MS,
  TenantPolicy,
  type PolicyRead,
} from '../../src/graph/policy-reader.js';
import type { TapGraph, TapPolicy } from '../../src/graph/port.js';
import { dispatcherTrusting } from '../../src/http-json.js';
import { createLogger } from '../../src/log.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { FakeClock } from '../fakes/clock.js';

const POLICY: TapPolicy = {
  state: 'enabled',
  defaultLifetimeInMinutes: 60,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  isUsableOnce: false,
  defaultLength: 8,
};

function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger('debug', sink) };
}

/** A reader the test answers by hand: each read waits until resolved or failed. */
class ScriptedReader implements PolicyRead {
  reads = 0;
  private pending: { resolve: (p: TapPolicy) => void; reject: (e: unknown) => void }[] = [];
  read(): Promise<TapPolicy> {
    this.reads += 1;
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  answer(policy: TapPolicy) {
    this.pending.shift()!.resolve(policy);
  }
  fail(error: unknown) {
    this.pending.shift()!.reject(error);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('TenantPolicy (cache)', () => {
  it('shares one read between concurrent first callers and reuses it until the cache runs out', async () => {
    const reader = new ScriptedReader();
    const clock = new FakeClock();
    const policy = new TenantPolicy(reader, clock, capturedLog().log);
    const both = Promise.all([policy.current(), policy.current()]);
    await flush();
    expect(reader.reads).toBe(1);
    reader.answer(POLICY);
    expect(await both).toEqual([POLICY, POLICY]);

    clock.advance(POLICY_CACHE_MS - 1);
    expect(await policy.current()).toEqual(POLICY);
    expect(reader.reads).toBe(1);

    clock.advance(1);
    const again = policy.current();
    await flush();
    expect(reader.reads).toBe(2);
    reader.answer({ ...POLICY, maximumLifetimeInMinutes: 120 });
    expect((await again)?.maximumLifetimeInMinutes).toBe(120);
  });

  it('answers undefined on a failed read, logs it once, and tries again after a minute', async () => {
    const reader = new ScriptedReader();
    const clock = new FakeClock();
    const { lines, log } = capturedLog();
    const policy = new TenantPolicy(reader, clock, log);
    const first = policy.current();
    await flush();
    reader.fail(new GraphFailure(403, 'accessDenied', 'no', undefined, undefined));
    expect(await first).toBeUndefined();
    // Within the retry window nothing is read: the delegated read stands in.
    expect(await policy.current()).toBeUndefined();
    expect(reader.reads).toBe(1);

    clock.advance(POLICY_RETRY_MS);
    const second = policy.current();
    await flush();
    reader.fail(new GraphFailure(0, 'appTokenFailed', 'no token', undefined, undefined));
    expect(await second).toBeUndefined();
    const failures = lines.filter((l) => l.event === 'policy.app_read_failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 40, status: 403, code: 'accessDenied' });

    clock.advance(POLICY_RETRY_MS);
    const third = policy.current();
    await flush();
    reader.answer(POLICY);
    expect(await third).toEqual(POLICY);
    expect(lines.some((l) => l.event === 'policy.app_read_recovered')).toBe(true);
  });

  it("a delegated client falls back to the admin's own read only while the app-only read fails", async () => {
    let delegatedReads = 0;
    const delegated = {
      getTapPolicy: async () => {
        delegatedReads += 1;
        return null;
      },
    } as unknown as TapGraph;
    let answer: TapPolicy | undefined = POLICY;
    const graph = withTenantPolicy(delegated, { current: async () => answer });
    expect(await graph.getTapPolicy()).toEqual(POLICY);
    expect(delegatedReads).toBe(0);
    answer = undefined;
    expect(await graph.getTapPolicy()).toBeNull();
    expect(delegatedReads).toBe(1);
  });
});

describe('AppPolicyReader (against the sandbox)', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());

  const reader = (clientSecret: string) =>
    new AppPolicyReader({
      baseUrl: sb.graphBaseUrl,
      dispatcher: dispatcherTrusting(sb.caPem),
      tokens: new ClientSecretAppTokens({
        tenantId: sb.tenantId,
        clientId: sb.app.appId,
        clientSecret,
        authorityHost: sb.authorityHost,
        caPem: sb.caPem,
      }),
    });

  it("reads the policy with TapDesk's own token", async () => {
    const policy = await reader(sb.app.clientSecret).read();
    expect(policy).toMatchObject({
      state: 'enabled',
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
    });
  });

  it('fails as a GraphFailure when no app-only token can be had', async () => {
    await expect(reader('wrong-secret').read()).rejects.toMatchObject({
      name: 'GraphFailure',
      code: 'appTokenFailed',
    });
  });
});
