import type { Measured, TurnsReport } from './turns.js';

const pad = (s: string | number, n: number) => String(s).padStart(n);

function rows(name: string, mode: string, m: Measured): string[] {
  const line = (who: string, s: Measured['tapdesk'], ratio: string) =>
    `${name.padEnd(8)} ${mode.padEnd(11)} ${who.padEnd(8)} ${pad(s.n, 5)} ${pad(s.p50.toFixed(2), 8)} ` +
    `${pad(s.p99.toFixed(2), 8)} ${pad(s.turnsPerSec.toFixed(1), 9)} ${pad(s.failures, 5)}  ${ratio}`;
  return [
    line('tapdesk', m.tapdesk, `p50 ×${m.ratioP50.toFixed(2)}  turns/s ×${m.ratioTurnsPerSec.toFixed(3)}`),
    line('echo', m.echo, ''),
  ];
}

function effects(name: string, mode: string, m: Measured): string {
  const e = m.tapdeskEffects;
  return (
    `  ${name} ${mode}: ${e.graphCallsPerTurn} Graph calls/turn (${e.graphMsPerTurn} ms summed, ` +
    `they overlap), ${e.connectorPostsPerTurn} connector POSTs/turn, ${e.connectorUpdatesPerTurn} ` +
    `updates/turn, wrong effects: ${e.missing}`
  );
}

/** The human-readable table. Ratios are TapDesk divided by echo: p50 ×N means N times slower. */
export function formatTable(r: TurnsReport, quick: boolean): string {
  const { samples, warmup, concurrency } = r.options;
  const header =
    `${'turn'.padEnd(8)} ${'mode'.padEnd(11)} ${'bot'.padEnd(8)} ${pad('n', 5)} ${pad('p50 ms', 8)} ` +
    `${pad('p99 ms', 8)} ${pad('turns/s', 9)} ${pad('fail', 5)}  TapDesk/echo`;
  const table = [
    `TapDesk turn benchmark (${quick ? 'quick' : 'full'}): ${samples} timed turns per cell after ` +
      `${warmup} discarded warm-up turns; concurrent = ${concurrency} in flight.`,
    'Sandbox tenant in-process, Graph latency 0 ms, faults reset; bot logs OFF (pino level silent).',
    'message = "issue TAP for alice@contoso.com for 2h" as Dana → confirmation card to the connector.',
    'click   = tap.confirm invoke on a pending request → OBO + Graph create → pass in the invoke response.',
    `          Pending requests are prepared by untimed issue turns before each click run ` +
      `(${r.clickPreparation.requests} in ${r.clickPreparation.ms} ms in total).`,
    ...(samples < 100 ? [`          With n=${samples}, p99 is the slowest sample.`] : []),
    '',
    header,
    '-'.repeat(header.length + 12),
    ...rows('message', 'sequential', r.message.sequential),
    ...rows('message', 'concurrent', r.message.concurrent),
    ...rows('click', 'sequential', r.click.sequential),
    ...rows('click', 'concurrent', r.click.concurrent),
    '',
    'TapDesk side effects per turn (warm-up included):',
    effects('message', 'sequential', r.message.sequential),
    effects('message', 'concurrent', r.message.concurrent),
    effects('click', 'sequential', r.click.sequential),
    effects('click', 'concurrent', r.click.concurrent),
    '',
    `Remote steps timed alone (p50 of ${r.breakdown.reps}, sequential): clock sync ${r.breakdown.clockSync} ms, ` +
      `SSO assertion ${r.breakdown.ssoAssertion} ms, OBO exchange ${r.breakdown.oboExchange} ms ` +
      `(cached ${r.breakdown.oboCached} ms), Graph GET user ${r.breakdown.graphGetUser} ms.`,
    '  Every TapDesk turn here does clock sync + SSO assertion (sandbox stand-in for Teams) + OBO. Sandbox',
    '  assertions are identical within one wall-clock second, so most turns hit the OBO cache.',
  ];
  return table.join('\n');
}

/** One machine-readable line; CI can grep for `"bench":"turns"`. */
export function formatJson(r: TurnsReport, quick: boolean, totalMs: number): string {
  return JSON.stringify({
    bench: 'turns',
    mode: quick ? 'quick' : 'full',
    node: process.version,
    logs: 'off',
    graphLatencyMs: 0,
    totalMs: Math.round(totalMs),
    ...r,
  });
}
