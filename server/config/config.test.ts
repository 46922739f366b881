import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariableNames, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs the demo with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, REDIS_URL: 'redis://127.0.0.1:6379', MIGRATE_ON_START: true });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('treats an empty variable as not set', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it('reads METRICS_BIND as a host and a port (IPv6 in brackets), and refuses anything else', () => {
    expect(loadConfig({}).METRICS_BIND).toBeUndefined();
    expect(loadConfig({ METRICS_BIND: '10.0.0.5:9464' }).METRICS_BIND).toEqual({ host: '10.0.0.5', port: 9464 });
    expect(loadConfig({ METRICS_BIND: '[::1]:0' }).METRICS_BIND).toEqual({ host: '::1', port: 0 });
    expect(() => loadConfig({ METRICS_BIND: '9464' })).toThrow(/METRICS_BIND: expected host:port, like 10.0.0.5:9464 .*\(got "9464"\)/);
    expect(() => loadConfig({ METRICS_BIND: 'metrics.internal:99999' })).toThrow(/METRICS_BIND/);
    expect(loadConfig({ WORKER_METRICS_PORT: '9464' }).WORKER_METRICS_PORT).toBe(9464);
  });

  it('names every bad variable, what it expects and what it got', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MIGRATE_ON_START: 'maybe' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT: expected a port number \(got "eighty"\)/);
    expect(message).toMatch(/DATABASE_URL: expected a postgresql:\/\/ connection URL \(got "mysql:\/\/x"\)/);
    expect(message).toMatch(/MIGRATE_ON_START: expected true or false/);
  });

  /** Everything production requires, set. */
  const PRODUCTION = {
    NODE_ENV: 'production',
    HUBSPOT_CLIENT_ID: 'id',
    HUBSPOT_CLIENT_SECRET: 'secret-secret',
    HUBSPOT_APP_ID: '1',
    TOKEN_ENCRYPTION_KEYS: 'k1:ZGVtby1rZXktbm90LWZvci1wcm9kdWN0aW9uLXVzZSE=',
    SESSION_SECRET: 'x'.repeat(32),
    OPERATOR_TOKEN: 'y'.repeat(24),
    DATABASE_URL: 'postgresql://db.example/app',
  };

  it('fills in demo secrets outside production, and refuses to start in production without them', () => {
    expect(loadConfig({}).HUBSPOT_CLIENT_SECRET).toBe('demo-client-secret-not-for-production');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/HUBSPOT_CLIENT_SECRET: must be set in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/TOKEN_ENCRYPTION_KEYS: must be set in production/);
    const { DATABASE_URL: _set, ...withoutDatabase } = PRODUCTION;
    expect(() => loadConfig(withoutDatabase)).toThrow(/DATABASE_URL: must be set in production \(without it the app would start the embedded demo database\)/);
  });

  it('acts for a development portal and user only outside production, and only with both', () => {
    const dev = { HUBSPOT_DEV_PORTAL_ID: '12345678', HUBSPOT_DEV_USER_ID: '901', HUBSPOT_DEV_USER_EMAIL: 'dev@agency.example' };
    expect(loadConfig(dev)).toMatchObject({ HUBSPOT_DEV_PORTAL_ID: 12345678, HUBSPOT_DEV_USER_ID: '901', HUBSPOT_DEV_USER_EMAIL: 'dev@agency.example' });
    expect(loadConfig(PRODUCTION).HUBSPOT_DEV_PORTAL_ID).toBeUndefined();
    expect(() => loadConfig({ ...PRODUCTION, ...dev })).toThrow(/HUBSPOT_DEV_PORTAL_ID: development only, unset it in production/);
    expect(() => loadConfig({ ...PRODUCTION, HUBSPOT_DEV_USER_EMAIL: 'dev@agency.example' })).toThrow(/HUBSPOT_DEV_USER_EMAIL: development only/);
    expect(() => loadConfig({ HUBSPOT_DEV_PORTAL_ID: '12345678' })).toThrow(/set both .* or neither/);
    expect(() => loadConfig({ HUBSPOT_DEV_PORTAL_ID: 'portal', HUBSPOT_DEV_USER_ID: '1' })).toThrow(/HUBSPOT_DEV_PORTAL_ID: expected the HubSpot test account's numeric id/);
  });

  it('refuses an encryption key that is not 32 bytes', () => {
    expect(() => loadConfig({ TOKEN_ENCRYPTION_KEYS: 'k1:dG9vLXNob3J0' })).toThrow(/TOKEN_ENCRYPTION_KEYS: expected keyId:base64key pairs/);
  });

  it('is documented: README.md lists every variable', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of configVariableNames) expect(readme, `README.md should document ${name}`).toContain(`\`${name}\``);
  });
});
