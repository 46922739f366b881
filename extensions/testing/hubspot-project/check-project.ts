// Judges a HubSpot project folder the way HubSpot will: first HubSpot's own parser
// (parse-project.mjs, in a child process because it swaps one of the parser's modules), then
// what HubSpot's documentation asks of this app that no schema can see (one sentence per
// problem, empty when the project is right). Sources: docs/hubspot-platform.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ParsedComponent {
  uid: string;
  /** HubSpot's internal type: APPLICATION, CARD, WEBHOOKS. */
  type: string;
  /** Relative to the project's srcDir. */
  metaFilePath: string;
  dependencies: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: HubSpot's component config, checked below field by field
  config: Record<string, any>;
}

export interface ParsedProject {
  projectConfig: { name: string; srcDir: string; platformVersion: string } | null;
  components: ParsedComponent[];
  skippedFiles: string[];
  errors: Array<{ file: string | null; errors: string[] }>;
}

const PARSE_SCRIPT = fileURLToPath(new URL('./parse-project.mjs', import.meta.url));

export const PLATFORM_VERSION = '2026.03';

/** The components of this app, each in the folder HubSpot's component table puts it. */
export const EXPECTED_COMPONENTS = [
  { type: 'APPLICATION', folder: 'app' },
  { type: 'CARD', folder: 'app/cards' },
  { type: 'WEBHOOKS', folder: 'app/webhooks' },
] as const;

/**
 * The least scope each thing needs: a card on contacts and contact webhooks both read contacts
 * (app cards reference, "Supported objects"; webhooks: "crm.objects.contacts.read").
 */
const SCOPE_FOR_OBJECT_TYPE: Record<string, string> = { contacts: 'crm.objects.contacts.read' };
const SCOPE_FOR_CONTACT_EVENTS = 'crm.objects.contacts.read';

export function parseHubSpotProject(projectDir: string): ParsedProject {
  // The parser resolves its own dependencies from where it is installed, wherever the project is.
  const output = execFileSync(process.execPath, [PARSE_SCRIPT, projectDir], { encoding: 'utf8', cwd: path.dirname(PARSE_SCRIPT), timeout: 30_000 });
  return JSON.parse(output) as ParsedProject;
}

export function projectProblems(projectDir: string, parsed = parseHubSpotProject(projectDir)): string[] {
  const problems: string[] = [];
  for (const { file, errors } of parsed.errors) for (const error of errors) problems.push(`${file ?? 'project'}: ${error}`);
  for (const file of parsed.skippedFiles) problems.push(`${file}: HubSpot skips it (not in a folder its component table reads)`);
  // When the parser refused the project it found no components: the rest would only repeat it.
  if (!parsed.projectConfig || parsed.errors.length > 0) return problems;
  if (parsed.projectConfig.platformVersion !== PLATFORM_VERSION)
    problems.push(`hsproject.json: platformVersion is ${parsed.projectConfig.platformVersion}, expected ${PLATFORM_VERSION}`);

  for (const { type, folder } of EXPECTED_COMPONENTS) {
    const found = parsed.components.filter((component) => component.type === type);
    if (found.length !== 1) problems.push(`expected one ${type} component in ${folder}/, found ${found.length}`);
    else if (path.posix.dirname(found[0]!.metaFilePath) !== folder) problems.push(`${found[0]!.metaFilePath}: a ${type} belongs in ${folder}/`);
  }
  const unexpected = parsed.components.filter((component) => !EXPECTED_COMPONENTS.some(({ type }) => type === component.type));
  for (const component of unexpected) problems.push(`${component.metaFilePath}: unexpected ${component.type} component`);

  const app = parsed.components.find((component) => component.type === 'APPLICATION');
  const card = parsed.components.find((component) => component.type === 'CARD');
  const webhooks = parsed.components.find((component) => component.type === 'WEBHOOKS');
  const srcDir = path.join(projectDir, parsed.projectConfig.srcDir);

  if (app) {
    const { distribution, auth } = app.config;
    if (distribution !== 'marketplace') problems.push(`${app.metaFilePath}: distribution is ${distribution}, expected marketplace`);
    if (auth?.type !== 'oauth') problems.push(`${app.metaFilePath}: auth.type is ${auth?.type}, expected oauth`);
    const scopes = new Set<string>(auth?.requiredScopes ?? []);
    const needed = new Set<string>(['oauth']);
    for (const objectType of card?.config.objectTypes ?? []) needed.add(SCOPE_FOR_OBJECT_TYPE[objectType] ?? `a read scope for ${objectType}`);
    if (webhooks) needed.add(SCOPE_FOR_CONTACT_EVENTS);
    for (const scope of needed) if (!scopes.has(scope)) problems.push(`${app.metaFilePath}: requiredScopes lacks ${scope}`);
  }

  if (card) {
    if (card.config.location !== 'crm.record.sidebar') problems.push(`${card.metaFilePath}: location is ${card.config.location}, expected crm.record.sidebar`);
    if (JSON.stringify(card.config.objectTypes) !== JSON.stringify(['contacts'])) problems.push(`${card.metaFilePath}: objectTypes should be ["contacts"]`);
    const entrypoint = path.join(srcDir, String(card.config.entrypoint ?? ''));
    if (!existsSync(entrypoint)) problems.push(`${card.metaFilePath}: entrypoint ${card.config.entrypoint} does not exist`);
    const packageFile = path.join(path.dirname(entrypoint), 'package.json');
    if (!existsSync(packageFile)) {
      problems.push(`${card.metaFilePath}: no package.json beside the entrypoint (HubSpot installs the card's dependencies from it)`);
    } else {
      const dependencies = (JSON.parse(readFileSync(packageFile, 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
      for (const name of ['@hubspot/ui-extensions', 'react']) if (!dependencies[name]) problems.push(`${path.relative(srcDir, packageFile)}: dependencies lack ${name}`);
    }
  }

  if (webhooks) {
    const { settings } = webhooks.config;
    if (settings?.maxConcurrentRequests !== 10) problems.push(`${webhooks.metaFilePath}: maxConcurrentRequests is ${settings?.maxConcurrentRequests}, expected 10`);
  }
  return problems;
}
