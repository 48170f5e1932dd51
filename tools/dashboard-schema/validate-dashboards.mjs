// Validates Grafana dashboard JSON files against the Dashboard type of @grafana/schema.
// The JSON schema is generated from the package's TypeScript declarations
// (dist/types/raw/dashboard/x/types.gen.d.ts, the classic dashboard JSON model that
// file-provisioned dashboards use) with ts-json-schema-generator, then checked with ajv.
// Objects may not carry properties the type does not declare, so a misspelt field fails.
//
// usage: node validate-dashboards.mjs <dashboard.json>...   (exit 1 when any file is invalid)
//        node validate-dashboards.mjs --print-schema         (writes the generated schema to stdout)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import Ajv from 'ajv';

const require = createRequire(import.meta.url);
const schemaPackage = path.dirname(require.resolve('@grafana/schema/package.json'));
const typesFile = path.join(schemaPackage, 'dist/types/raw/dashboard/x/types.gen.d.ts');

const schema = createGenerator({
  path: typesFile,
  type: 'Dashboard',
  skipTypeCheck: true,
  additionalProperties: false,
  expose: 'all',
  topRef: true,
}).createSchema('Dashboard');

const args = process.argv.slice(2);
if (args[0] === '--print-schema') {
  process.stdout.write(JSON.stringify(schema, null, 2));
  process.exit(0);
}
if (args.length === 0) {
  console.error('usage: node validate-dashboards.mjs <dashboard.json>...');
  process.exit(2);
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
let failed = 0;
for (const file of args) {
  let dashboard;
  try {
    dashboard = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: not JSON: ${error.message}`);
    failed++;
    continue;
  }
  if (validate(dashboard)) {
    console.log(`${file}: valid Dashboard`);
  } else {
    failed++;
    for (const error of validate.errors) {
      console.error(`${file}: ${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
    }
  }
}
process.exit(failed === 0 ? 0 : 1);
