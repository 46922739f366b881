// Last step of `npm run build`: the files the compiled server reads at run time beside its code,
// at the same relative places as in the source tree — the migrations (server/db/migrate.ts reads
// ../../prisma/migrations/) and the built Capacity Manager page (server/capacity-manager/web-app.ts
// serves ./web/dist/).
import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const assets = [
  ['prisma/migrations', 'dist/prisma/migrations'],
  ['server/capacity-manager/web/dist', 'dist/server/capacity-manager/web/dist'],
];
for (const [from, to] of assets) {
  if (!existsSync(`${root}${from}`)) {
    console.error(`${from} is missing: run the whole \`npm run build\` (it builds the page first).`);
    process.exit(1);
  }
  cpSync(`${root}${from}`, `${root}${to}`, { recursive: true });
}
