import { runBotProcess } from './main.js';

/** Production process entry: the bot with its own clock and Teams' SSO assertions (see main.ts). */
runBotProcess();
