import type { SandboxHandle } from '../../src/sandbox/index.js';

/** Anything that knows the sandbox: a Harness, or a test's own world. */
type HasSandbox = { sandbox: SandboxHandle };
import { Agent } from 'undici';

export interface SandboxState {
  passes: {
    userId: string;
    userPrincipalName: string;
    id: string;
    lifetimeInMinutes: number;
    isUsableOnce: boolean;
    createdBy: string;
    passSha256: string;
  }[];
  graphLog: { at: string; method: string; path: string; callerOid: string; status: number }[];
}

const agents = new WeakMap<SandboxHandle, Agent>();
function agentFor(h: HasSandbox): Agent {
  let agent = agents.get(h.sandbox);
  if (!agent) agents.set(h.sandbox, (agent = new Agent({ connect: { ca: h.sandbox.caPem } })));
  return agent;
}

/** Calls the sandbox admin API over HTTPS, trusting its CA explicitly. */
export async function sandboxAdmin(
  h: HasSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${h.sandbox.sandboxUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    dispatcher: agentFor(h),
  } as RequestInit);
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

export async function sandboxState(h: HasSandbox): Promise<SandboxState> {
  return (await sandboxAdmin(h, 'GET', '/state')) as SandboxState;
}
