// Prisma's own schema engine, compiled to WebAssembly, run without the native binary.
//
// These machines cannot download Prisma's native schema engine, so `prisma migrate` does not
// run here (docs/development-environment.md). The WASM build of the same engine can still turn
// schema.prisma into the SQL Prisma would write, which is all `migration:create` and the drift
// test need. The package ships a wasm-bindgen "bundler" build that imports the .wasm file as an
// ES module, which Node cannot do; so we instantiate the bytes ourselves.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

// @types/node 20 does not declare the WebAssembly global (Node has it); the part used here:
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

type SchemaFile = { path: string; content: string };
type DiffTarget =
  | { tag: 'empty' }
  | { tag: 'schemaDatamodel'; files: SchemaFile[] }
  | {
      tag: 'migrations';
      baseDir: string;
      lockfile: { path: string; content: string | null };
      migrationDirectories: MigrationDirectory[];
      shadowDbInitScript: string;
    };

interface WasmSchemaEngine {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

type WasmBindings = {
  SchemaEngine: { new: (options: object, log: (line: string) => void, adapter: object) => Promise<WasmSchemaEngine> };
};

// The module instance is process-wide: instantiate it once, however many diffs are asked for.
let bindingsLoaded: Promise<WasmBindings> | undefined;
function loadWasmBindings(): Promise<WasmBindings> {
  bindingsLoaded ??= instantiateWasmBindings();
  return bindingsLoaded;
}

async function instantiateWasmBindings(): Promise<{
  SchemaEngine: { new: (options: object, log: (line: string) => void, adapter: object) => Promise<WasmSchemaEngine> };
}> {
  const require = createRequire(import.meta.url);
  // The package's exports hide package.json; resolve its main file and take the folder.
  const packageDir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
  // A Rust panic is reported through this global; without it the engine hangs instead of failing.
  const globals = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  globals.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message) {
      throw new Error(`Prisma's schema engine panicked: ${message}`);
    },
  };
  const bindings = await import(path.join(packageDir, 'schema_engine_bg.js'));
  const bytes = await readFile(path.join(packageDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bindings;
}

// PostgreSQL's catalogs use the one-byte type "char" (oid 18), which @prisma/adapter-pg cannot
// map (prisma/prisma issue 27403), so the engine fails as soon as it introspects a database,
// which diffing from a migrations folder does (in a shadow database). Its values arrive as text
// anyway; relabelling the column as text (oid 25) is all the engine needs.
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
type PerformIO = (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;

function readCharAsText<T extends object>(adapter: T): T {
  const withIO = adapter as T & { performIO: PerformIO };
  const performIO = withIO.performIO.bind(adapter);
  withIO.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return adapter;
}

function withMigrationFixes(factory: PrismaPg, databaseUrl: string): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => readCharAsText(await connect());
  factory.connectToShadowDb = async () => readCharAsText(await connectToShadowDatabase(databaseUrl));
  return factory;
}

// adapter-pg's own shadow database drops the database before closing its pool, which
// PostgreSQL refuses while the pool is connected; this one closes the pool first.
async function connectToShadowDatabase(databaseUrl: string) {
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  const admin = new pg.Client(connectionConfig(databaseUrl));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const adapter = await new PrismaPg({ ...connectionConfig(databaseUrl), database: name }).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    try {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
  return adapter;
}

// Separate fields rather than a connection string: pg lets a connectionString override
// `database`, and adapter-pg's own shadow database relied on overriding it (it replayed the
// migrations into the main database instead).
function connectionConfig(databaseUrl: string) {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
  };
}

type MigrationDirectory = { path: string; migrationFile: { path: string; content: { tag: 'ok'; value: string } } };

/** The migrations folder as the engine reads it (Prisma's own layout). */
export async function readMigrationsFolder(migrationsDir: string): Promise<DiffTarget> {
  const { readdir } = await import('node:fs/promises');
  const entries = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories: MigrationDirectory[] = [];
  for (const name of entries) {
    const content = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    migrationDirectories.push({ path: name, migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: content } } });
  }
  const lockfilePath = path.join(migrationsDir, 'migration_lock.toml');
  const lockfile = await readFile(lockfilePath, 'utf8').catch(() => null);
  return {
    tag: 'migrations',
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lockfile },
    migrationDirectories,
    shadowDbInitScript: '',
  };
}

export function schemaTarget(schemaText: string): DiffTarget {
  return { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schemaText }] };
}

export const emptyTarget: DiffTarget = { tag: 'empty' };

/**
 * The SQL script that takes a database from `from` to `to`, as Prisma writes it.
 * `databaseUrl` gives the engine the PostgreSQL server it needs: diffing from a migrations
 * folder replays the folder in a throwaway shadow database there; diffing from empty reads nothing.
 */
export async function diffSql(from: DiffTarget, to: DiffTarget, schemaText: string, databaseUrl: string): Promise<string> {
  const { SchemaEngine } = await loadWasmBindings();
  const adapter = bindMigrationAwareSqlAdapterFactory(withMigrationFixes(new PrismaPg(connectionConfig(databaseUrl)), databaseUrl));
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', schemaText]] }, () => {}, adapter);
  try {
    const result = await engine.diff({ from, to, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}
