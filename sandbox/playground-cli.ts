import { createRequire } from 'node:module';

/** For `node --import`: keeps the Playground on 127.0.0.1 (see playground-loopback.mjs for why). */
export const PLAYGROUND_LOOPBACK_PRELOAD = new URL('./playground-loopback.mjs', import.meta.url).href;

/**
 * Arguments for `spawn(process.execPath, …)` that start the Agents Playground against `botUrl` on
 * `port`, listening on loopback only. Started with node, not npx, so stopping the pid stops it.
 */
export function playgroundArgs(botUrl: string, port: number): string[] {
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  return [
    '--import',
    PLAYGROUND_LOOPBACK_PRELOAD,
    cli,
    '-e',
    botUrl,
    '-c',
    'msteams',
    '-p',
    String(port),
    '--disable-telemetry',
  ];
}
