// Starts a fake HubSpot on a real port and returns its URL plus the control API.
//
//   const fake = await startHubSpotFake();           // ephemeral port
//   const client = new Client({ accessToken, basePath: fake.url, numberOfApiCallRetries: 0 });
//   ...
//   await fake.stop();
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { publishContactChange } from './change-events.js';
import { ContactStore } from './contact-store.js';
import { type HubSpotFakeControl, createControl } from './control.js';
import { FaultInjector } from './faults.js';
import { RollingWindowLimiter } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { createFakeApp } from './server.js';
import { type FakeSettings, type HubSpotFakeOptions, applySettings, defaultSettings } from './settings.js';
import { FakeState } from './state.js';
import { WebhookSender } from './webhook-sender.js';

export interface HubSpotFake extends HubSpotFakeControl {
  /** Base URL, e.g. http://127.0.0.1:43817: `basePath` for @hubspot/api-client. */
  url: string;
  port: number;
  /** The live settings (read them; change them with configure()). */
  settings: FakeSettings;
  /** Stops deliveries, drops open connections (hung requests included) and closes the port. */
  stop(): Promise<void>;
}

export async function startHubSpotFake(options: HubSpotFakeOptions = {}): Promise<HubSpotFake> {
  const initialSettings = (): FakeSettings => {
    const settings = defaultSettings();
    applySettings(settings, options);
    return settings;
  };
  const logger = options.logger ?? pino({ level: 'silent' });
  const state = new FakeState(initialSettings());
  const sender = new WebhookSender(state, logger);
  const contacts = new ContactStore(state, (notice) => publishContactChange(state, sender, notice));
  const clock = () => state.now();
  const faults = new FaultInjector(clock);
  const requestLog = new RequestLog(clock, (bearer) => {
    const token = state.accessTokens.get(bearer);
    return token ? { portalId: token.portalId, appId: token.appId } : undefined;
  });
  const limiter = new RollingWindowLimiter();
  const control = createControl({ state, contacts, sender, faults, requestLog, limiter, initialSettings });
  const app = createFakeApp({ state, contacts, faults, requestLog, limiter, control, logger });

  const server = createServer(app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let stopped: Promise<void> | undefined;
  return {
    ...control,
    url: `http://${urlHost}:${port}`,
    port,
    settings: state.settings,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        sender.stop();
        contacts.clearTimers();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
