// app.json is the deployment manifest Heroku, Dokku, Scalingo and Render's Heroku import read
// (https://devcenter.heroku.com/articles/app-json-schema), with the Procfile beside it. It lists
// exactly the variables the configuration reads, the secrets as required, and values that the
// configuration accepts as they stand, so a deploy from it starts.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { configVariableNames, loadConfig, productionSecretNames } from './config.js';

interface EnvEntry {
  description: string;
  required: boolean;
  value?: string;
  generator?: 'secret';
}

const root = new URL('../../', import.meta.url);
const appJson = JSON.parse(readFileSync(new URL('app.json', root), 'utf8')) as {
  name: string;
  description: string;
  env: Record<string, EnvEntry>;
  addons: Array<{ plan: string }>;
  formation: Record<string, { quantity: number }>;
  scripts: { postdeploy: string };
};
const procfile = Object.fromEntries(
  readFileSync(new URL('Procfile', root), 'utf8')
    .trim()
    .split('\n')
    .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
);
const packageScripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** What Heroku's `generator: "secret"` produces: 64 hexadecimal characters. */
const generatedSecret = () => randomBytes(32).toString('hex');

describe('app.json', () => {
  test('lists exactly the variables the configuration reads, each described', () => {
    expect(Object.keys(appJson.env).sort()).toEqual([...configVariableNames].sort());
    for (const [name, entry] of Object.entries(appJson.env)) {
      expect(entry.description.length, `${name} needs a description`).toBeGreaterThan(10);
      expect(typeof entry.required, `${name}: required must be true or false`).toBe('boolean');
    }
  });

  test('requires what production cannot run without, and generates the secrets it can', () => {
    const required = Object.entries(appJson.env)
      .filter(([, entry]) => entry.required)
      .map(([name]) => name);
    expect(required.sort()).toEqual([...productionSecretNames, 'PUBLIC_URL', 'NODE_ENV', 'HOST'].sort());
    const generated = Object.entries(appJson.env)
      .filter(([, entry]) => entry.generator === 'secret')
      .map(([name]) => name);
    expect(generated.sort()).toEqual(['OPERATOR_TOKEN', 'SESSION_SECRET']);
  });

  test('a deploy from it starts: its values, generated secrets and the values to paste pass the configuration check', () => {
    const env: Record<string, string> = {
      // Pasted from HubSpot, or made with the command the description gives.
      HUBSPOT_CLIENT_ID: '2d1b3c4e-aaaa-bbbb-cccc-123456789abc',
      HUBSPOT_CLIENT_SECRET: 'f0e1d2c3-aaaa-bbbb-cccc-123456789abc',
      HUBSPOT_APP_ID: '12345678',
      TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PUBLIC_URL: 'https://capacity.example.com',
      // Set by the platform and its add-ons.
      PORT: '5000',
      DATABASE_URL: 'postgres://user:password@db.example.com:5432/capacity',
      REDIS_URL: 'rediss://:password@redis.example.com:6380',
    };
    for (const [name, entry] of Object.entries(appJson.env)) {
      if (entry.value !== undefined) env[name] = entry.value;
      if (entry.generator === 'secret') env[name] = generatedSecret();
    }
    const config = loadConfig(env);
    expect(config).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', MIGRATE_ON_START: false, DEMO_MODE: false, publicUrl: 'https://capacity.example.com' });
  });

  test('PostgreSQL and Redis add-ons; a web and a worker process; migrations once per deploy', () => {
    expect(appJson.addons.map((addon) => addon.plan)).toEqual(['heroku-postgresql', 'heroku-redis']);
    expect(Object.keys(appJson.formation)).toEqual(['web', 'worker']);
    expect(appJson.name.length).toBeLessThanOrEqual(30);
    expect(appJson.description.length).toBeLessThanOrEqual(140);

    // Procfile: the same processes the README's production section runs.
    expect(procfile).toEqual({ web: 'npm run start:server', worker: 'npm run start:worker', release: 'node dist/server/db/migrate-cli.js' });
    expect(packageScripts['start:server']).toContain('dist/server/main.js');
    expect(packageScripts['start:worker']).toContain('dist/workers/main.js');
    // The release phase runs the compiled migration command (dev dependencies such as tsx are pruned after the build).
    expect(existsSync(new URL('server/db/migrate-cli.ts', root))).toBe(true);
    expect(appJson.scripts.postdeploy).toBe(procfile.release);
  });
});
