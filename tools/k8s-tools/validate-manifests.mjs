// Validates every object of a rendered Helm manifest (multi-document YAML on stdin or in files)
// against the Kubernetes OpenAPI schemas shipped in npm `kubernetes-models`.
// ServiceMonitor (monitoring.coreos.com/v1) is a CRD that kubernetes-models does not ship: it is
// checked loosely here (selector, endpoints with a port and a path). Any other unknown kind fails.
//
// usage: helm template ... | node validate-manifests.mjs      (exit 1 when an object is invalid)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const files = process.argv.slice(2);
const text = files.length ? files.map((f) => readFileSync(f, 'utf8')).join('\n---\n') : readFileSync(0, 'utf8');

function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    return require(modulePath)[kind];
  } catch {
    return undefined;
  }
}

function checkServiceMonitor(object) {
  const errors = [];
  const spec = object.spec ?? {};
  if (!object.metadata?.name) errors.push('metadata.name is required');
  if (!spec.selector || typeof spec.selector !== 'object') errors.push('spec.selector is required');
  if (!Array.isArray(spec.endpoints) || spec.endpoints.length === 0) errors.push('spec.endpoints must be a non-empty list');
  for (const [i, endpoint] of (spec.endpoints ?? []).entries()) {
    if (typeof endpoint.port !== 'string' || !endpoint.port) errors.push(`spec.endpoints[${i}].port must name a Service port`);
    if (endpoint.path !== undefined && !String(endpoint.path).startsWith('/')) errors.push(`spec.endpoints[${i}].path must start with /`);
  }
  return errors;
}

let failed = 0;
let checked = 0;
for (const document of parseAllDocuments(text)) {
  if (document.errors.length) {
    console.error(`YAML error: ${document.errors.map((e) => e.message).join('; ')}`);
    failed++;
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  const label = `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
  checked++;
  if (object.apiVersion === 'monitoring.coreos.com/v1' && object.kind === 'ServiceMonitor') {
    const errors = checkServiceMonitor(object);
    if (errors.length) {
      failed++;
      errors.forEach((e) => console.error(`${label}: ${e}`));
    } else {
      console.log(`${label}: valid (loose CRD check)`);
    }
    continue;
  }
  const Model = modelFor(object.apiVersion ?? '', object.kind ?? '');
  if (!Model) {
    failed++;
    console.error(`${label}: no schema for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`${label}: valid ${object.apiVersion}`);
  } catch (error) {
    failed++;
    console.error(`${label}: ${error.message}`);
  }
}
console.log(`${checked} objects checked, ${failed} invalid`);
process.exit(failed === 0 && checked > 0 ? 0 : 1);
