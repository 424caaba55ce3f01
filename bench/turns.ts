import { randomUUID } from 'node:crypto';
import { actionData, click, conversationOf, message, post, type Target } from './activities.js';
import { measureBreakdown, type Breakdown } from './breakdown.js';
import { startStack, type Stack } from './stack.js';
import { round, runTurns, summarize, type Summary, type Turn } from './stats.js';
import { newHireUpn } from '../sandbox/new-hires.js';

export const ISSUE_TEXT = 'issue TAP for alice@contoso.com for 2h';
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface TurnsOptions {
  samples: number;
  warmup: number;
  concurrency: number;
}

/** Side effects TapDesk had during one run, from the connector and its own Graph telemetry. */
export interface SideEffects {
  graphCallsPerTurn: number;
  graphMsPerTurn: number;
  connectorPostsPerTurn: number;
  connectorUpdatesPerTurn: number;
  /** Turns whose effect was wrong (no confirm card sent, no pass created); should be 0. */
  missing: number;
}

export interface Measured {
  tapdesk: Summary;
  echo: Summary;
  ratioP50: number;
  ratioTurnsPerSec: number;
  tapdeskEffects: SideEffects;
}

export interface TurnsReport {
  options: TurnsOptions;
  message: { sequential: Measured; concurrent: Measured };
  click: { sequential: Measured; concurrent: Measured };
  /** Untimed issue turns run to create the pending requests the clicks confirm. */
  clickPreparation: { requests: number; ms: number };
  breakdown: Breakdown;
}

interface Pending {
  requestId: string;
  cardActivityId: string;
}

/** Measures TapDesk's issue and confirm turns against the echo baseline in one process. */
export async function benchTurns(options: TurnsOptions): Promise<TurnsReport> {
  // Every click confirms a fresh card for a different person: a card for someone who got a pass since
  // it was shown is (rightly) superseded, not issued, so one person for all clicks would measure that.
  const stack = await startStack({ newHires: 2 * (options.warmup + options.samples) });
  try {
    // 0 ms Graph latency, no injected failures, no write limit: we measure TapDesk, not the fault knobs.
    await stack.admin('POST', '/faults', { reset: true });
    const modes = { sequential: 1, concurrent: options.concurrency } as const;
    const message = {
      sequential: await measureMessage(stack, options, modes.sequential),
      concurrent: await measureMessage(stack, options, modes.concurrent),
    };
    let prepared = 0;
    let prepMs = 0;
    const clickRun = async (concurrency: number) => {
      const started = performance.now();
      const pending = await preparePending(stack, options.warmup + options.samples);
      prepMs += performance.now() - started;
      prepared += pending.length;
      return measureClick(stack, options, concurrency, pending);
    };
    const click = {
      sequential: await clickRun(modes.sequential),
      concurrent: await clickRun(modes.concurrent),
    };
    const breakdown = await measureBreakdown(stack, Math.min(options.samples, 100));
    return {
      options,
      message,
      click,
      clickPreparation: { requests: prepared, ms: round(prepMs, 0) },
      breakdown,
    };
  } finally {
    await stack.close();
  }
}

function targetOf(stack: Stack): Target {
  return { serviceUrl: stack.connector.url, tenantId: stack.sandbox.tenantId };
}

const ok = (status: number) => () => status === 200;

async function measureMessage(stack: Stack, o: TurnsOptions, concurrency: number): Promise<Measured> {
  const t = targetOf(stack);
  const dana = stack.user('dana@contoso.com');
  const tapTurn: Turn = async () => ok((await post(stack.tapdesk.url, message(t, dana, ISSUE_TEXT))).status);
  const echoTurn: Turn = async () => ok((await post(stack.echo.url, message(t, dana, ISSUE_TEXT))).status);
  const echo = summarize(await runTurns(echoTurn, o.samples, o.warmup, concurrency));
  const { summary, effects } = await withEffects(stack, o, () =>
    runTurns(tapTurn, o.samples, o.warmup, concurrency),
  );
  // Every issue turn (warm-up included) must have sent a confirmation card.
  effects.missing = o.samples + o.warmup - stack.connector.counts.confirmCards;
  return compare(summary, echo, effects);
}

async function measureClick(
  stack: Stack,
  o: TurnsOptions,
  concurrency: number,
  pending: Pending[],
): Promise<Measured> {
  const t = targetOf(stack);
  const dana = stack.user('dana@contoso.com');
  const answered = (status: number, text: string) => () => status === 200 && text.includes(CARD_TYPE);
  const tapTurn: Turn = async (i) => {
    const p = pending[i]!;
    const activity = click(
      t,
      dana,
      'tap.confirm',
      { requestId: p.requestId, verification: 'callback' },
      p.cardActivityId,
    );
    const r = await post(stack.tapdesk.url, activity);
    return answered(r.status, r.text);
  };
  const echoTurn: Turn = async () => {
    const activity = click(t, dana, 'tap.confirm', { requestId: randomUUID(), verification: 'callback' });
    const r = await post(stack.echo.url, activity);
    return answered(r.status, r.text);
  };
  const echo = summarize(await runTurns(echoTurn, o.samples, o.warmup, concurrency));
  const creates = () => stack.graphCalls.filter((c) => c.method === 'POST' && c.status === 201).length;
  const createsBefore = creates();
  const { summary, effects } = await withEffects(stack, o, () =>
    runTurns(tapTurn, o.samples, o.warmup, concurrency),
  );
  effects.missing = o.samples + o.warmup - (creates() - createsBefore);
  return compare(summary, echo, effects);
}

/** Runs TapDesk's turns and attributes the connector traffic and Graph calls to them. */
async function withEffects(stack: Stack, o: TurnsOptions, run: () => ReturnType<typeof runTurns>) {
  stack.connector.resetCounts();
  const graphBefore = stack.graphCalls.length;
  const result = await run();
  const turns = o.samples + o.warmup;
  const calls = stack.graphCalls.slice(graphBefore);
  const effects: SideEffects = {
    graphCallsPerTurn: round(calls.length / turns),
    graphMsPerTurn: round(calls.reduce((sum, c) => sum + c.ms, 0) / turns),
    connectorPostsPerTurn: round((stack.connector.counts.messages + stack.connector.counts.typing) / turns),
    connectorUpdatesPerTurn: round(stack.connector.counts.updates / turns),
    missing: 0,
  };
  return { summary: summarize(result), effects };
}

function compare(tapdesk: Summary, echo: Summary, tapdeskEffects: SideEffects): Measured {
  return {
    tapdesk,
    echo,
    ratioP50: round(tapdesk.p50 / echo.p50),
    ratioTurnsPerSec: round(tapdesk.turnsPerSec / echo.turnsPerSec, 3),
    tapdeskEffects,
  };
}

/** The new hire the next pending request is for: each click's card is for someone without a pass. */
let nextHire = 0;

/**
 * Creates `count` pending requests, one untimed issue turn each, and reads the request id and card
 * activity id from the card the connector received. Sequential, so "last card" is unambiguous.
 */
async function preparePending(stack: Stack, count: number): Promise<Pending[]> {
  const t = targetOf(stack);
  const dana = stack.user('dana@contoso.com');
  const pending: Pending[] = [];
  for (let i = 0; i < count; i++) {
    nextHire += 1;
    const text = `issue TAP for ${newHireUpn(nextHire)} for 2h`;
    const r = await post(stack.tapdesk.url, message(t, dana, text));
    const sent = stack.connector.last(conversationOf(dana));
    const data = actionData(sent?.activity, 'tap.confirm');
    if (r.status !== 200 || !data || typeof data.requestId !== 'string' || !sent?.id)
      throw new Error(`preparing a pending request failed (status ${r.status})`);
    pending.push({ requestId: data.requestId, cardActivityId: sent.id });
  }
  return pending;
}
