// The bot as its own OS process against a running sandbox tenant (tests start it through tsx so they
// can kill and restart it). Same config and process handling as the production entry, src/index.ts,
// with the sandbox's clock and assertion source plugged in.
import { runBotProcess } from '../src/main.js';
import { sandboxBotSources } from './bot-sources.js';

runBotProcess(sandboxBotSources);
