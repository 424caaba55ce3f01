// Preloaded into the Microsoft 365 Agents Playground (`node --import` this file): the Playground CLI
// has no host option or variable and starts its server with `server.listen(port, callback)`, which
// binds every interface. Anyone on the network could then chat with the sandbox bot as any fixture
// user. This binds every listen without an explicit host to 127.0.0.1 instead, in that process only.
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (args.length === 0 || typeof first === 'function') {
    args.unshift(0, LOOPBACK);
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second !== 'string') args.splice(1, 0, LOOPBACK);
  } else if (first && typeof first === 'object' && first.path === undefined && first.host === undefined) {
    args[0] = { ...first, host: LOOPBACK };
  }
  return listen.apply(this, args);
};
