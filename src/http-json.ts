import { Agent, type Dispatcher } from 'undici';

/** An undici dispatcher that trusts one extra CA (the sandbox's) for these calls only. */
export function dispatcherTrusting(caPem: string | undefined): Dispatcher | undefined {
  return caPem ? new Agent({ connect: { ca: caPem }, keepAliveTimeout: 30_000 }) : undefined;
}
