// Keep-alive connections to HubSpot, and a timeout @hubspot/api-client does not have: a socket
// silent for `timeoutMs` is destroyed, which fails the request so that it can be retried.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

export class HubSpotTimeoutError extends Error {
  override name = 'HubSpotTimeoutError';
}

function withTimeout<A extends http.Agent>(agent: A, timeoutMs: number): A {
  const createConnection = (agent as unknown as { createConnection: (...args: unknown[]) => Duplex }).createConnection.bind(agent);
  (agent as unknown as { createConnection: (...args: unknown[]) => Duplex }).createConnection = (...args: unknown[]) => {
    const socket = createConnection(...args) as Duplex & { setTimeout(ms: number, callback: () => void): void };
    socket.setTimeout(timeoutMs, () => socket.destroy(new HubSpotTimeoutError(`HubSpot did not answer within ${timeoutMs} ms`)));
    return socket;
  };
  return agent;
}

export function createHubSpotAgent(baseUrl: string, timeoutMs: number): http.Agent {
  const options = { keepAlive: true, maxSockets: 64 };
  return baseUrl.startsWith('https:') ? withTimeout(new https.Agent(options), timeoutMs) : withTimeout(new http.Agent(options), timeoutMs);
}
