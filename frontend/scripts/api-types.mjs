// Generates src/api/schema.d.ts from the HTTP contract (schemas/api/openapi.yaml and the JSON
// Schemas it references). With --check, fails when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const contract = new URL('../../schemas/api/openapi.yaml', import.meta.url);
const target = new URL('../src/api/schema.d.ts', import.meta.url);
const header =
  '// Generated from schemas/api/openapi.yaml by `npm run api-types`. Do not edit: `npm run lint` fails when stale.\n';

const generated = header + astToString(await openapiTS(contract));

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error(
      `${fileURLToPath(target)} is stale: the API contract changed. Run \`npm run api-types\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log('API types are up to date.');
} else {
  await writeFile(target, generated);
  console.log(`wrote ${fileURLToPath(target)}`);
}
