import { ConfigError, loadConfig } from './config.js';
import { startBot } from './bot.js';
import { createLogger } from './log.js';

/** Process entry: read and validate config, start the bot, stop cleanly on SIGTERM. */
async function main(): Promise<void> {
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
  const log = createLogger(config.logLevel);
  const bot = await startBot(config, { log });
  process.once('SIGTERM', () => void bot.close().then(() => process.exit(0)));
}

void main();
