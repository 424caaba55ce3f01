import { startBot, type BotOptions } from './bot.js';
import { ConfigError, loadConfig, type TapDeskConfig } from './config.js';
import { createLogger } from './log.js';

/** What a process entry may plug into the bot besides its config: the clock and the assertion source. */
export type BotSources = (config: TapDeskConfig) => Pick<BotOptions, 'clock' | 'assertions'>;

async function main(sources: BotSources | undefined): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (config.mode === 'sandbox' && !sources) {
    // Without the sandbox's clock and assertion source the bot would wait for Teams SSO that never comes.
    process.stderr.write(
      'TAPDESK_MODE=sandbox runs from the sandbox, not this entry: use `npm run sandbox` (sandbox/run.ts)\n',
    );
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  // Every background promise has its own catch (ESLint enforces it); this is the net behind them.
  // Node's default for an unhandled rejection is to crash, which would drop every in-flight turn,
  // pass held in memory and bulk run because of one failed store write: an availability hole an
  // attacker could aim at. Passes are only created inside awaited turns, so a stray rejection cannot
  // leave one half-issued; it is logged as an error with an event name for alerting, and we keep serving.
  process.on('unhandledRejection', (reason: unknown) =>
    log.error(
      {
        event: 'process.unhandled_rejection',
        err: {
          name: (reason as Error)?.name,
          message: (reason as Error)?.message,
          stack: (reason as Error)?.stack,
        },
      },
      'process.unhandled_rejection',
    ),
  );
  const bot = await startBot(config, { log, ...sources?.(config) });
  process.once('SIGTERM', () => {
    bot.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error(
          { event: 'shutdown.failed', err: { message: (error as Error)?.message } },
          'shutdown.failed',
        );
        process.exit(1);
      },
    );
  });
}

/**
 * The bot as an OS process: read and validate config, start the bot, stop cleanly on SIGTERM.
 * src/index.ts runs it as is (production); the sandbox's own entry plugs in its clock and assertions.
 */
export function runBotProcess(sources?: BotSources): void {
  // Startup failures (store, port) end the process: nothing is serving yet, and a supervisor restarts it.
  main(sources).catch((error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  });
}
