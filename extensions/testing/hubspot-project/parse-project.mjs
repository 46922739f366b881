// Runs HubSpot's own project parser (@hubspot/project-parsing-lib, what `hs project upload`
// and `hs project dev` use) over a HubSpot project folder and prints what it found as JSON:
//   node parse-project.mjs <folder holding hsproject.json>
// The parser's validation runs in full (files in the folders its component table expects, uid
// rules, top-level keys, one app, a JSON-schema check of each config); only the schemas come
// from component-schemas.json instead of HubSpot's servers (offline-schemas-hook.mjs).
import { register } from 'node:module';
import path from 'node:path';

register('./offline-schemas-hook.mjs', import.meta.url);
const { parseProjectConfig } = await import('@hubspot/project-parsing-lib/projects');
const { translate, isTranslationError } = await import('@hubspot/project-parsing-lib/translate');

const projectDir = path.resolve(process.argv[2] ?? '.');
const output = { projectConfig: null, components: [], skippedFiles: [], errors: [] };
try {
  // Checks name, srcDir and platformVersion as the CLI does before an upload.
  const projectConfig = parseProjectConfig(projectDir);
  output.projectConfig = projectConfig;
  const { intermediateRepresentation, skippedHsMetaFiles } = await translate({
    projectSourceDir: path.join(projectDir, projectConfig.srcDir),
    platformVersion: projectConfig.platformVersion,
    // Any account: the schemas are not fetched (see above).
    accountId: 1,
  });
  output.skippedFiles = skippedHsMetaFiles;
  output.components = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid).map((node) => ({
    uid: node.uid,
    type: node.componentType,
    metaFilePath: node.metaFilePath,
    dependencies: node.componentDeps,
    config: node.config,
  }));
} catch (error) {
  output.errors = isTranslationError(error) ? error.errors.filter((file) => file.errors.length > 0) : [{ file: null, errors: [String(error?.message ?? error)] }];
}
process.stdout.write(JSON.stringify(output));
