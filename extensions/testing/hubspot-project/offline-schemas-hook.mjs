// Node module hook for parse-project.mjs: when HubSpot's parser imports its own `schemas.js`
// (which downloads the component JSON schemas from HubSpot with an account), it gets
// offline-schemas.mjs instead. Everything else the parser does runs unchanged.
const OFFLINE_SCHEMAS = new URL('./offline-schemas.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const fromParser = context.parentURL?.includes('/@hubspot/project-parsing-lib/src/');
  if (fromParser && specifier.endsWith('/schemas.js')) return { url: OFFLINE_SCHEMAS, shortCircuit: true };
  return nextResolve(specifier, context);
}
