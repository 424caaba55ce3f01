import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_LOOPBACK_PRELOAD } from '../../sandbox/playground-cli.js';

// The Agents Playground calls server.listen(port, callback) and has no host option; the preload must
// turn exactly that (and its variants) into a loopback listen. Checked in a plain node process.
const addressesWith = (script: string) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      ['--import', PLAYGROUND_LOOPBACK_PRELOAD, '--input-type=commonjs', '-e', script],
      {
        encoding: 'utf8',
      },
    ),
  ) as string[];

describe('the Playground loopback preload', () => {
  it('binds listens without a host to 127.0.0.1 and leaves an explicit host alone', () => {
    const script = `
      const http = require('node:http');
      const forms = [(s, cb) => s.listen(0, cb), (s, cb) => s.listen({ port: 0 }, cb), (s, cb) => s.listen(cb),
        (s, cb) => s.listen(0, '127.0.0.1', cb)];
      (async () => {
        const out = [];
        for (const form of forms) {
          const s = http.createServer();
          await new Promise((r) => form(s, r));
          out.push(s.address().address);
          await new Promise((r) => s.close(r));
        }
        process.stdout.write(JSON.stringify(out));
      })();`;
    expect(addressesWith(script)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });
});
