import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TurnCostOptions, TurnCostResult } from './turn-cost-child.js';
import { round } from './stats.js';

/**
 * The code before turns committed through units of work: the parent of the first commit that did.
 * Override with TURNS_BEFORE_REF (any git ref) to compare against something else.
 */
export const DEFAULT_BEFORE_REF = '4c93fd2';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CHILD = fileURLToPath(new URL('./turn-cost-child.ts', import.meta.url));

export interface TurnCostBenchOptions {
  counted: number;
  timed: number;
  warmup: number;
  /** Added to every Azure Tables request in the latency runs. */
  latencyMs: number;
}

export type VersionCost = TurnCostResult & {
  /** fsync + fdatasync per turn on SQLite, counted by strace between the child's markers; absent without strace. */
  fsyncs?: { message: number; click: number };
};

export interface TurnCostReport {
  options: TurnCostBenchOptions;
  beforeRef: string;
  before?: VersionCost;
  after: VersionCost;
  /** Why there is no "before" (no git history, ref missing); absent when there is. */
  beforeSkipped?: string;
}

/**
 * Runs the same measurement on this checkout and on `beforeRef` unpacked into a temporary directory
 * (its node_modules linked to this one's), each in its own process: store commits, store calls and
 * Azure Tables requests per turn, fsyncs per turn (strace), and click latency against the echo bot on
 * SQLite and with every Azure Tables request held `latencyMs`.
 */
export async function benchTurnCost(options: TurnCostBenchOptions): Promise<TurnCostReport> {
  const beforeRef = process.env.TURNS_BEFORE_REF ?? DEFAULT_BEFORE_REF;
  const after = await measureVersion(REPO, options);
  const unpacked = unpack(beforeRef);
  if (typeof unpacked === 'string') return { options, beforeRef, after, beforeSkipped: unpacked };
  try {
    // The old code is measured as it is; if it cannot run here, the report says so instead of failing.
    const before = await measureVersion(unpacked.root, options).catch((error: unknown) => String(error));
    if (typeof before === 'string') return { options, beforeRef, after, beforeSkipped: before };
    return { options, beforeRef, before, after };
  } finally {
    unpacked.dispose();
  }
}

async function measureVersion(root: string, o: TurnCostBenchOptions): Promise<VersionCost> {
  const markerPrefix = join(tmpdir(), `tapdesk-turn-marker-${process.pid}-`);
  const traceDir = mkdtempSync(join(tmpdir(), 'tapdesk-strace-'));
  const traceFile = join(traceDir, 'trace');
  try {
    if (hasStrace()) {
      // strace may be refused (no ptrace in a container, an old strace): then the counts come without fsyncs.
      const traced = await runChild({ root, ...o, markerPrefix }, traceFile).catch(() => undefined);
      if (traced)
        return { ...traced, fsyncs: fsyncsPerTurn(readFileSync(traceFile, 'utf8'), markerPrefix, o.counted) };
    }
    return await runChild({ root, ...o });
  } finally {
    rmSync(traceDir, { recursive: true, force: true });
  }
}

function runChild(options: TurnCostOptions, traceFile?: string): Promise<TurnCostResult> {
  const node = [process.execPath, '--import', 'tsx', CHILD, JSON.stringify(options)];
  // Only the two sync calls and the markers are traced (seccomp filter), so the timing barely moves.
  const command = traceFile
    ? [
        'strace',
        '-f',
        '-qq',
        '--seccomp-bpf',
        '-e',
        'trace=fsync,fdatasync,access,faccessat,faccessat2',
        '-o',
        traceFile,
        ...node,
      ]
    : node;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`turn-cost child failed (exit ${code})`));
      else resolvePromise(JSON.parse(line) as TurnCostResult);
    });
  });
}

/** Averages fsync/fdatasync calls between each counted turn's start and end markers. */
export function fsyncsPerTurn(
  trace: string,
  prefix: string,
  turns: number,
): { message: number; click: number } {
  const totals = { message: 0, click: 0 };
  let open: 'message' | 'click' | undefined;
  for (const line of trace.split('\n')) {
    const marker = line.includes(prefix) ? /(message|click)-(start|end)-\d+/.exec(line) : null;
    if (marker) open = marker[2] === 'start' ? (marker[1] as 'message' | 'click') : undefined;
    // A call strace shows in two parts ("<unfinished ...>", then "resumed") is counted at its start.
    else if (open && /\b(fsync|fdatasync)\(/.test(line)) totals[open] += 1;
  }
  return { message: round(totals.message / turns), click: round(totals.click / turns) };
}

function hasStrace(): boolean {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `ref`'s tree in a temporary directory with this checkout's node_modules, or why not. */
function unpack(ref: string): { root: string; dispose: () => void } | string {
  if (!existsSync(join(REPO, '.git'))) return 'not a git checkout';
  const dir = mkdtempSync(join(tmpdir(), 'tapdesk-before-'));
  try {
    execFileSync('git', ['-C', REPO, 'rev-parse', '--verify', `${ref}^{commit}`], { stdio: 'ignore' });
    const tar = execFileSync('git', ['-C', REPO, 'archive', '--format=tar', ref], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    return { root: dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `ref ${ref} could not be unpacked (${(error as Error).message.split('\n')[0]})`;
  }
}
