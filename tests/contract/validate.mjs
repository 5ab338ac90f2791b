#!/usr/bin/env node
// Contract test: drives a small, realistic council through a real careledger server and checks
// every response against docs/openapi.yaml: the status must be declared for the operation (and
// be the one the scenario expects), the Content-Type one the response declares, and a JSON body
// must match the declared schema, with no member the schema does not declare, and a text body
// (CSV, Prometheus) the declared string schema (a CSV's header, where its pattern gives one).
// Also: an ETag names the body's version, and an Idempotency-Key repeat answers byte for byte
// the same. The server is configured with a council code, so the Client Level Data return is
// served; at the end it is started again without one, for the return's 409.
//
//   node tests/contract/validate.mjs PATH_TO_CARELEDGER_BINARY
//
// Needs the pinned Node packages (npm ci in the repository root). Prints one line per response
// checked (with CONTRACT_VERBOSE=1, each response body too); exits 1 listing every mismatch.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

let YAML, Ajv2020, addFormats;
try {
  YAML = (await import('yaml')).default;
  Ajv2020 = (await import('ajv/dist/2020.js')).default;
  addFormats = (await import('ajv-formats')).default;
} catch (e) {
  console.error(`validate.mjs: ${e.message}\nInstall the pinned packages first: npm ci (in the repository root).`);
  process.exit(2);
}

const binary = process.argv[2];
if (!binary || process.argv.length > 3) {
  console.error('usage: node tests/contract/validate.mjs PATH_TO_CARELEDGER_BINARY');
  process.exit(2);
}

// ------------------------------------------------------------------ the contract

const specPath = new URL('../../docs/openapi.yaml', import.meta.url);
const spec = YAML.parse(await readFile(specPath, 'utf8'));
const BASE = 'https://careledger.invalid/openapi.json';

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: BASE, components: { schemas: spec.components.schemas } });

// Local references (#/components/schemas/X) made absolute, so a schema found anywhere in the
// document can be compiled on its own against the components added above.
function absolute(node) {
  if (Array.isArray(node)) return node.map(absolute);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? BASE + value : absolute(value);
  }
  return out;
}

function pointer(ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((node, key) => {
      if (node?.[key] === undefined) throw new Error(`unresolved reference ${ref}`);
      return node[key];
    }, spec);
}

// An OpenAPI object that may be a $ref (a response, header or parameter).
function deref(object) {
  let seen = 0;
  while (object && typeof object.$ref === 'string') {
    if (++seen > 20) throw new Error('reference loop');
    object = pointer(object.$ref);
  }
  return object;
}

// Path templates, those with fewer {parameters} first, so /v1/reviews/overdue wins over /v1/reviews/{id}.
const templates = Object.keys(spec.paths)
  .map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    pattern: new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
  }))
  .sort((a, b) => a.params - b.params);

const validators = new Map();
function validatorFor(key, schema) {
  if (!validators.has(key)) validators.set(key, ajv.compile(absolute(schema)));
  return validators.get(key);
}

// Adds to `out` each member of `value` that none of `schemas` declares: an object schema with
// `properties` declares those (the schemas do not forbid others, so a field the server added
// and the contract lacks would otherwise pass); one without is open (a history item's data).
// Follows $ref, allOf, anyOf, oneOf and items.
function undeclared(schemas, value, at, out) {
  const flat = [];
  const visit = (schema) => {
    if (!schema || typeof schema !== 'object') return;
    if (typeof schema.$ref === 'string') return visit(pointer(schema.$ref));
    flat.push(schema);
    for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of schema[key] ?? []) visit(sub);
  };
  for (const schema of schemas) visit(schema);
  if (Array.isArray(value)) {
    const items = flat.map((schema) => schema.items).filter(Boolean);
    value.forEach((item, i) => undeclared(items, item, `${at}/${i}`, out));
  } else if (value !== null && typeof value === 'object') {
    const declaring = flat.filter((schema) => schema.properties);
    if (declaring.length === 0) return;
    for (const [key, member] of Object.entries(value)) {
      const subs = declaring.map((schema) => schema.properties[key]).filter(Boolean);
      if (subs.length === 0) out.push(`body${at}/${key} is not declared in the schema`);
      else undeclared(subs, member, `${at}/${key}`, out);
    }
  }
}

function mediaType(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

// The problems with one response, as text; none when it keeps the contract.
function check(method, path, expected, res, text) {
  const problems = [];
  const found = templates.find((t) => t.pattern.test(path));
  const operation = found ? spec.paths[found.template][method.toLowerCase()] : undefined;
  let response;
  let where;
  if (!operation) {
    // Not an operation of the contract: the server must refuse it as a problem.
    const want = found ? 405 : 404;
    if (res.status !== want) problems.push(`${found ? 'undeclared method' : 'undeclared path'}: status ${res.status}, expected ${want}`);
    response = deref(spec.components.responses.Problem);
    where = found ? `${found.template} (no ${method})` : '(no such path)';
  } else {
    where = `${operation.operationId}`;
    const declared = operation.responses[String(res.status)] ?? operation.responses[`${String(res.status)[0]}XX`] ?? operation.responses.default;
    if (!declared) {
      problems.push(`status ${res.status} is not declared for ${method} ${found.template}`);
    } else {
      response = deref(declared);
    }
  }
  if (expected !== undefined && res.status !== expected) problems.push(`status ${res.status}, the scenario expects ${expected}`);
  if (!response) return { where, problems };

  const type = mediaType(res.headers.get('content-type'));
  const content = response.content ?? {};
  if (Object.keys(content).length > 0 && !(type in content)) {
    problems.push(`Content-Type ${type || '(none)'} is not among ${Object.keys(content).join(', ')}`);
  } else if (type in content && (type === 'application/json' || type.endsWith('+json'))) {
    let body;
    try {
      body = JSON.parse(text);
    } catch (e) {
      problems.push(`body is not JSON: ${e.message}`);
    }
    const schema = content[type].schema;
    if (body !== undefined && schema) {
      const validate = validatorFor(`${where} ${res.status} ${type}`, schema);
      if (!validate(body)) {
        for (const e of validate.errors.slice(0, 10)) {
          problems.push(`body${e.instancePath || ''} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
        }
        if (validate.errors.length > 10) problems.push(`... and ${validate.errors.length - 10} more schema errors`);
      } else {
        undeclared([schema], body, '', problems);
      }
    }
    // "Resources return ETag: "VERSION"".
    const etag = res.headers.get('etag');
    if (etag !== null && body && Number.isInteger(body.version) && etag !== `"${body.version}"`) {
      problems.push(`ETag ${etag} does not name the body's version ${body.version}`);
    }
  } else if (type in content && content[type].schema) {
    // A text body (CSV, Prometheus text): the string schema, its pattern (a CSV's header) included.
    const validate = validatorFor(`${where} ${res.status} ${type}`, content[type].schema);
    if (!validate(text)) {
      for (const e of validate.errors.slice(0, 10)) problems.push(`body ${e.message}`);
    }
  }
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = res.headers.get(name);
    const h = deref(header);
    if (value === null) {
      if (h.required) problems.push(`header ${name} is missing`);
      continue;
    }
    if (h.schema) {
      const v = h.schema.type === 'integer' ? Number(value) : value;
      const validate = validatorFor(`header ${name} ${JSON.stringify(h.schema)}`, h.schema);
      if (!validate(v)) problems.push(`header ${name}: ${JSON.stringify(value)} ${validate.errors.map((e) => e.message).join('; ')}`);
    }
  }
  return { where, problems };
}

// ------------------------------------------------------------------ the server

const execFileAsync = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), 'careledger-contract-'));
const db = join(dir, 'contract.db');
// The council's code, so that the Client Level Data return is served.
const LA_CODE = '999';
const config = join(dir, 'config.json');
let server;
let serverErr = '';

async function addUser(name, role, teams = []) {
  const args = ['users', 'add', '--db', db, '--name', name, '--role', role];
  for (const team of teams) args.push('--team', team);
  const { stdout } = await execFileAsync(binary, args);
  const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) throw new Error(`users add ${name} printed no token`);
  return lines[lines.length - 1];
}

// Starts serve on a free port (with --config FILE when given); resolves with its base URL once it
// prints `listening on ADDR:PORT`.
function startServer(configFile) {
  return new Promise((resolve, reject) => {
    const args = ['serve', '--db', db, '--port', '0', ...(configFile ? ['--config', configFile] : [])];
    server = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stderr.on('data', (chunk) => {
      serverErr += chunk;
    });
    const onExit = (code, signal) => reject(new Error(`serve exited (${signal ?? code}) before listening:\n${serverErr}`));
    server.once('exit', onExit);
    server.once('error', reject);
    const lines = createInterface({ input: server.stdout });
    lines.on('line', (line) => {
      const m = /^listening on (\S+):(\d+)$/.exec(line.trim());
      if (!m) return;
      server.off('exit', onExit);
      resolve(`http://${m[1]}:${m[2]}`);
    });
  });
}

// Stops serve with SIGTERM; resolves with how it exited ("0" when clean), or null if it was not running.
async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return null;
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(signal ?? String(code))));
  server.kill('SIGTERM');
  const guard = setTimeout(() => server.kill('SIGKILL'), 10_000); // a hung server must not hang the test
  const how = await exited;
  clearTimeout(guard);
  return how;
}

async function cleanUp() {
  const how = await stopServer();
  await rm(dir, { recursive: true, force: true });
  return how;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp().finally(() => process.exit(130));
  });
}

// ------------------------------------------------------------------ the client

let base;
let checked = 0;
const mismatches = [];

// Sends a request, checks its response; returns {status, headers, body (parsed JSON or text)}.
async function call(method, path, { token, body, expect, headers = {}, raw } = {}) {
  const sent = { ...headers };
  if (token) sent.Authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    sent['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(base + path, { method, headers: sent, body: payload, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  const { where, problems } = check(method, path.split('?')[0], expect, res, text);
  checked += 1;
  const line = `${res.status} ${method} ${path} [${where}]`;
  if (problems.length === 0) {
    console.log(`ok   ${line}`);
  } else {
    console.log(`FAIL ${line}`);
    for (const p of problems) console.log(`       ${p}`);
    mismatches.push({ line, problems });
  }
  if (process.env.CONTRACT_VERBOSE === '1') console.log(`     ${text.replaceAll('\n', '\n     ')}`);
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV, Prometheus text
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

function note(line, problem) {
  console.log(`FAIL ${line}\n       ${problem}`);
  mismatches.push({ line, problems: [problem] });
}

// The fields of one CSV line (RFC 4180: a quoted field may hold commas and doubled quotes).
function csvFields(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

// The financial year (like 2026-27) containing today in the UK.
function currentFinancialYear() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const [y, m] = today.split('-').map(Number);
  const start = m >= 4 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

// ------------------------------------------------------------------ the scenario

async function scenario() {
  for (const team of ['north', 'south', 'east', 'west']) {
    await execFileAsync(binary, ['teams', 'add', '--db', db, '--name', team]);
  }
  const admin = await addUser('admin', 'admin');
  const northLead = await addUser('Nia Jones', 'team_leader', ['north']);
  const analyst = await addUser('Sam Patel', 'analyst');
  await writeFile(config, JSON.stringify({ cld: { la_code: LA_CODE } }));
  base = await startServer(config);
  console.log(`server at ${base}, spec ${specPath.pathname}`);
  const as = (token) => ({ token });

  // The dashboard's session: the cookie reads in place of the token, and signing out ends it.
  const signedIn = await call('POST', '/v1/session', { ...as(northLead), body: {}, expect: 201 });
  const cookie = { Cookie: (signedIn.headers.get('set-cookie') ?? '').split(';')[0] };
  await call('GET', '/v1/session', { headers: cookie, expect: 200 });
  await call('GET', '/v1/session', { ...as(analyst), expect: 200 });
  await call('GET', '/v1/waiting-list?team=north', { headers: cookie, expect: 200 });
  await call('POST', '/v1/session', { headers: cookie, body: {}, expect: 401 });
  await call('DELETE', '/v1/session', { headers: cookie, expect: 204 });
  await call('GET', '/v1/session', { headers: cookie, expect: 401 });

  // Operations.
  await call('GET', '/healthz', { expect: 200 });
  await call('GET', '/metrics', { ...as(admin), expect: 200 });

  // Teams: the register every user reads and admins add to.
  await call('POST', '/v1/teams', { ...as(admin), body: { name: 'coast', label: 'Coast' }, expect: 201 });
  await call('POST', '/v1/teams', { ...as(admin), body: { name: 'coast', label: 'Coast' }, expect: 409 });
  await call('POST', '/v1/teams', { ...as(admin), body: { name: 'Not Valid', label: 'x' }, expect: 422 });
  await call('GET', '/v1/teams?limit=2', { ...as(analyst), expect: 200 });
  await call('GET', '/v1/waiting-list?team=nroth', { ...as(admin), expect: 422 });

  // Users, admins only.
  const ola = (await call('POST', '/v1/users', { ...as(admin), body: { name: 'Ola', role: 'practitioner', teams: ['south'] }, expect: 201 })).body;
  await call('GET', '/v1/users', { ...as(admin), expect: 200 });
  await call('GET', '/v1/users', { ...as(analyst), expect: 403 });
  await call('POST', `/v1/users/${ola.id}/teams`, { ...as(admin), body: { teams: ['south', 'north'] }, expect: 200 });
  await call('POST', `/v1/users/${ola.id}/role`, { ...as(admin), body: { role: 'team_leader' }, expect: 200 });
  await call('POST', `/v1/users/${ola.id}/disable`, { ...as(admin), body: {}, expect: 200 });
  await call('POST', `/v1/users/${ola.id}/enable`, { ...as(admin), body: {}, expect: 200 });
  await call('POST', `/v1/users/${ola.id}/token`, { ...as(admin), body: {}, expect: 200 });
  await call('GET', '/v1/audit?limit=5', { ...as(admin), expect: 200 });
  await call('GET', '/v1/audit', { ...as(analyst), expect: 403 });

  // People. Registration is idempotent with a key.
  const ada = { given_name: 'Ada', family_name: 'Lovelace', date_of_birth: '1941-03-14', team: 'north',
    nhs_number: '9434765919', primary_support_reason: 'physical_support',
    gender: 'female', ethnicity: 'white_british', has_unpaid_carer: 'yes' };
  const first = await call('POST', '/v1/people', { ...as(admin), body: ada, headers: { 'Idempotency-Key': 'register-ada' }, expect: 201 });
  const again = await call('POST', '/v1/people', { ...as(admin), body: ada, headers: { 'Idempotency-Key': 'register-ada' }, expect: 201 });
  if (again.text !== first.text) note('POST /v1/people (Idempotency-Key repeat)', 'the repeat answered differently from the first request');
  const p1 = first.body.id;
  const p2 = (await call('POST', '/v1/people', { ...as(admin), expect: 201,
    body: { given_name: 'Grace', family_name: 'Hopper', date_of_birth: '1936-12-09', team: 'north' } })).body.id;
  const p3 = (await call('POST', '/v1/people', { ...as(admin), expect: 201,
    body: { given_name: 'Mary', family_name: 'Seacole', date_of_birth: '1945-11-23', team: 'south', client_type: 'service_user' } })).body.id;
  const p4 = (await call('POST', '/v1/people', { ...as(admin), expect: 201,
    body: { given_name: 'Florence', family_name: 'Nightingale', date_of_birth: '1930-05-12', team: 'north', primary_support_reason: 'memory_and_cognition' } })).body.id;
  const p5 = (await call('POST', '/v1/people', { ...as(admin), expect: 201,
    body: { given_name: 'Edith', family_name: 'Cavell', date_of_birth: '1935-12-04', team: 'south' } })).body.id;
  await call('GET', `/v1/people/${p1}`, { ...as(admin), expect: 200 });
  await call('GET', `/v1/people/${p2}`, { ...as(northLead), expect: 200 });

  // A change of details from a day on (the coarse support reason to its CLD one), and one that
  // names no detail.
  await call('POST', `/v1/people/${p1}/details`, { ...as(admin), expect: 200, headers: { 'If-Match': first.headers.get('etag') },
    body: { effective_on: '2025-04-01', primary_support_reason: 'physical_personal_care', has_unpaid_carer: 'no' } });
  await call('POST', `/v1/people/${p4}/details`, { ...as(admin), expect: 200,
    body: { effective_on: '2025-06-01', gender: 'female', ethnicity: 'not_known' } });
  await call('POST', `/v1/people/${p1}/details`, { ...as(admin), expect: 422, body: { effective_on: '2025-04-01' } });
  await call('POST', `/v1/people/${p1}/details`, { ...as(admin), expect: 412, headers: { 'If-Match': '"1"' },
    body: { effective_on: '2025-04-01', gender: 'unknown' } });
  await call('GET', `/v1/people/${p1}`, { ...as(northLead), expect: 200 });

  // Assessments: one allocated and completed, two waiting (one allocated).
  let a1 = await call('POST', '/v1/assessments', { ...as(admin), expect: 201,
    body: { person_id: p1, kind: 'needs', requested_on: '2025-05-02', priority: 'high' } });
  a1 = await call('POST', `/v1/assessments/${a1.body.id}/allocation`, { ...as(admin), expect: 200,
    headers: { 'If-Match': a1.headers.get('etag') }, body: { practitioner: 'Nia Jones', allocated_on: '2025-05-10' } });
  a1 = await call('POST', `/v1/assessments/${a1.body.id}/completion`, { ...as(admin), expect: 200,
    headers: { 'If-Match': a1.headers.get('etag') },
    body: { completed_on: '2025-06-20', eligible_needs: true, outcome: 'progress_to_support_planning' } });
  await call('GET', `/v1/assessments/${a1.body.id}`, { ...as(admin), expect: 200 });
  const a2 = (await call('POST', '/v1/assessments', { ...as(northLead), expect: 201,
    body: { person_id: p2, kind: 'needs', requested_on: '2026-01-15', priority: 'urgent' } })).body.id;
  const a3 = (await call('POST', '/v1/assessments', { ...as(admin), expect: 201,
    body: { person_id: p3, kind: 'carer', requested_on: '2026-02-03', priority: 'medium' } })).body.id;
  await call('POST', `/v1/assessments/${a3}/allocation`, { ...as(admin), expect: 200,
    body: { practitioner: 'Tom Baker', allocated_on: '2026-02-10' } });
  await call('POST', `/v1/assessments/${a3}/completion`, { ...as(admin), expect: 422, // not an assessment's outcome
    body: { completed_on: '2026-02-20', eligible_needs: false, outcome: 'progress_to_assessment' } });
  const a4 = (await call('POST', '/v1/assessments', { ...as(admin), expect: 201,
    body: { person_id: p4, kind: 'needs', requested_on: '2025-09-01', priority: 'low' } })).body.id;
  await call('POST', `/v1/assessments/${a4}/closure`, { ...as(admin), expect: 200, body: { closed_on: '2025-10-01', reason: 'declined' } });

  // Requests for support: one progressing to an assessment recorded with it, one to reablement.
  let q1 = await call('POST', '/v1/requests', { ...as(northLead), expect: 201,
    body: { person_id: p2, received_on: '2026-01-12', route_of_access: 'community_other' } });
  await call('GET', `/v1/requests/${q1.body.id}`, { ...as(admin), expect: 200 });
  await call('POST', `/v1/requests/${q1.body.id}/outcome`, { ...as(admin), expect: 422, // no assessment
    body: { decided_on: '2026-01-14', outcome: 'progress_to_assessment' } });
  await call('POST', `/v1/requests/${q1.body.id}/outcome`, { ...as(admin), expect: 422,
    body: { decided_on: '2026-01-14', outcome: 'progress_to_assessment', assessment: { kind: 'review', priority: 'soon' } } });
  await call('POST', `/v1/requests/${q1.body.id}/outcome`, { ...as(admin), expect: 412, headers: { 'If-Match': '"2"' },
    body: { decided_on: '2026-01-14', outcome: 'nfa_other' } });
  q1 = await call('POST', `/v1/requests/${q1.body.id}/outcome`, { ...as(northLead), expect: 200,
    headers: { 'If-Match': q1.headers.get('etag') },
    body: { decided_on: '2026-01-14', outcome: 'progress_to_assessment', assessment: { kind: 'needs', priority: 'high' } } });
  await call('GET', `/v1/assessments/${q1.body.assessment_id}`, { ...as(northLead), expect: 200 });
  await call('POST', `/v1/requests/${q1.body.id}/outcome`, { ...as(admin), expect: 409,
    body: { decided_on: '2026-01-15', outcome: 'nfa_other' } });
  const q2 = (await call('POST', '/v1/requests', { ...as(admin), expect: 201,
    body: { person_id: p3, received_on: '2025-05-20', route_of_access: 'discharge_from_hospital' } })).body.id;
  await call('POST', `/v1/requests/${q2}/outcome`, { ...as(admin), expect: 200,
    body: { decided_on: '2025-05-21', outcome: 'progress_to_reablement' } });
  await call('GET', `/v1/requests/${q2}`, { ...as(admin), expect: 200 });
  await call('POST', '/v1/requests', { ...as(admin), expect: 422,
    body: { person_id: p3, received_on: '2025-05-20', route_of_access: 'walk_in' } });
  await call('POST', '/v1/requests', { ...as(admin), expect: 404,
    body: { person_id: 'per_000000000000nosuchid', received_on: '2025-05-20', route_of_access: 'prison' } });
  await call('GET', `/v1/requests/${q2}`, { ...as(northLead), expect: 404 }); // another team's

  // The waiting list, paged.
  const waiting = await call('GET', '/v1/waiting-list?limit=1', { ...as(admin), expect: 200 });
  if (waiting.body.next_cursor) {
    await call('GET', `/v1/waiting-list?limit=1&cursor=${encodeURIComponent(waiting.body.next_cursor)}`, { ...as(admin), expect: 200 });
  }
  await call('GET', '/v1/waiting-list?team=north&as_at=2026-03-31&priority=urgent', { ...as(northLead), expect: 200 });

  // Support and reviews.
  const s1 = (await call('POST', '/v1/support-episodes', { ...as(admin), expect: 201,
    body: { person_id: p1, kind: 'long_term', setting: 'community', delivery: 'direct_payment', started_on: '2025-07-01',
      service_component: 'direct_payment' } })).body.id;
  await call('GET', `/v1/support-episodes/${s1}`, { ...as(admin), expect: 200 });
  await call('POST', '/v1/support-episodes', { ...as(admin), expect: 422, // a short-term type on long-term support
    body: { person_id: p1, kind: 'long_term', setting: 'community', delivery: 'council_arranged', started_on: '2025-07-01', short_term_type: 'st_max' } });
  const r1 = (await call('POST', '/v1/reviews', { ...as(admin), expect: 201,
    body: { person_id: p1, reviewed_on: '2026-02-02', planned: true, outcome: 'no_change', outcomes_achieved: 'partially_met' } })).body.id;
  await call('GET', `/v1/reviews/${r1}`, { ...as(admin), expect: 200 });
  const r2 = (await call('POST', '/v1/reviews', { ...as(admin), expect: 201,
    body: { person_id: p1, reviewed_on: '2026-03-10', planned: false, outcome: 'support_changed',
      review_reason: 'unplanned_hospital', outcomes_achieved: 'fully_met' } })).body.id;
  await call('GET', `/v1/reviews/${r2}`, { ...as(northLead), expect: 200 });
  await call('POST', '/v1/reviews', { ...as(admin), expect: 422, // a reason is for unplanned reviews
    body: { person_id: p1, reviewed_on: '2026-03-11', planned: true, outcome: 'no_change', review_reason: 'unplanned_carer' } });
  const s2 = (await call('POST', '/v1/support-episodes', { ...as(admin), expect: 201,
    body: { person_id: p2, kind: 'short_term', setting: 'community', delivery: 'council_arranged', started_on: '2025-09-01',
      short_term_type: 'st_max', service_component: 'reablement' } })).body.id;
  await call('POST', `/v1/support-episodes/${s2}/end`, { ...as(admin), expect: 422, // not an outcome of an episode's end
    body: { ended_on: '2025-10-13', sequel: 'long_term_support', end_reason: 'progress_to_reablement' } });
  await call('POST', `/v1/support-episodes/${s2}/end`, { ...as(admin), expect: 200,
    body: { ended_on: '2025-10-13', sequel: 'long_term_support', end_reason: 'progress_to_support_planning' } });
  await call('GET', `/v1/support-episodes/${s2}`, { ...as(northLead), expect: 200 });
  await call('POST', '/v1/support-episodes', { ...as(admin), expect: 201,
    body: { person_id: p2, kind: 'long_term', setting: 'community', delivery: 'council_arranged', started_on: '2025-10-14' } });
  await call('GET', '/v1/reviews/overdue', { ...as(admin), expect: 200 });
  await call('GET', '/v1/reviews/overdue?as_at=2027-03-01&limit=1', { ...as(northLead), expect: 200 });

  // Safeguarding: a concern decided into a section 42 enquiry and concluded; one awaiting a
  // decision; one whose other enquiry is still open.
  let c1 = await call('POST', '/v1/safeguarding/concerns', { ...as(admin), expect: 201,
    body: { person_id: p1, received_on: '2025-08-04', source: 'family', abuse_types: ['financial', 'psychological'], location: 'own_home' } });
  c1 = await call('POST', `/v1/safeguarding/concerns/${c1.body.id}/decision`, { ...as(admin), expect: 200,
    headers: { 'If-Match': c1.headers.get('etag') }, body: { decided_on: '2025-08-06', outcome: 'section_42_enquiry' } });
  await call('GET', `/v1/safeguarding/concerns/${c1.body.id}`, { ...as(admin), expect: 200 });
  const e1 = c1.body.enquiry_id;
  await call('GET', `/v1/safeguarding/enquiries/${e1}`, { ...as(admin), expect: 200 });
  await call('POST', `/v1/safeguarding/enquiries/${e1}/conclusion`, { ...as(admin), expect: 200,
    body: { concluded_on: '2025-10-20', risk_identified: 'yes', risk_outcome: 'reduced', outcomes_asked: 'expressed', outcomes_achieved: 'fully' } });
  await call('POST', '/v1/safeguarding/concerns', { ...as(admin), expect: 201,
    body: { person_id: p3, received_on: '2026-03-10', source: 'provider', abuse_types: ['neglect'], location: 'care_home' } });
  const c3 = (await call('POST', '/v1/safeguarding/concerns', { ...as(admin), expect: 201,
    body: { person_id: p2, received_on: '2026-01-05', source: 'hospital', abuse_types: ['self_neglect'], location: 'own_home' } })).body.id;
  const e3 = (await call('POST', `/v1/safeguarding/concerns/${c3}/decision`, { ...as(admin), expect: 200,
    body: { decided_on: '2026-01-07', outcome: 'other_enquiry' } })).body.enquiry_id;
  await call('GET', `/v1/safeguarding/enquiries/${e3}`, { ...as(admin), expect: 200 });
  await call('GET', '/v1/safeguarding/open', { ...as(admin), expect: 200 });
  await call('GET', '/v1/safeguarding/open?team=north&as_at=2026-03-31', { ...as(northLead), expect: 200 });

  // Care homes: a placement with a deferred payment offered and signed (and a mistaken charge,
  // corrected below); one left unarranged after its disregard; one self-funded.
  let pl1 = await call('POST', '/v1/care-home-placements', { ...as(admin), expect: 201,
    body: { person_id: p3, started_on: '2025-06-02', weekly_cost_pence: 98000, property_disregard: true } });
  const dpa = await call('POST', '/v1/deferred-payments', { ...as(admin), expect: 201,
    headers: { 'If-Match': pl1.headers.get('etag') }, body: { placement_id: pl1.body.id, offered_on: '2025-06-16' } });
  const d1 = dpa.body.id;
  await call('POST', `/v1/deferred-payments/${d1}/signature`, { ...as(admin), expect: 200,
    headers: { 'If-Match': dpa.headers.get('etag') },
    body: { signed_on: '2025-07-01', property_value_pence: 3800000, weekly_deferred_pence: 60000, interest_rate_basis_points: 275 } });
  await call('POST', `/v1/deferred-payments/${d1}/charges`, { ...as(admin), expect: 200,
    body: { charged_on: '2025-07-01', amount_pence: 25000, description: 'Legal fees' } });
  await call('GET', `/v1/deferred-payments/${d1}?as_at=2025-06-20`, { ...as(admin), expect: 200 });
  await call('GET', `/v1/deferred-payments/${d1}?as_at=2026-01-31`, { ...as(admin), expect: 200 });
  pl1 = await call('GET', `/v1/care-home-placements/${pl1.body.id}`, { ...as(admin), expect: 200 });
  const pl2 = (await call('POST', '/v1/care-home-placements', { ...as(admin), expect: 201,
    body: { person_id: p4, started_on: '2025-11-03', weekly_cost_pence: 105000, property_disregard: true } })).body.id;
  const declined = (await call('POST', '/v1/deferred-payments', { ...as(admin), expect: 201,
    body: { placement_id: pl2, offered_on: '2025-11-10' } })).body.id;
  await call('POST', `/v1/deferred-payments/${declined}/decline`, { ...as(admin), expect: 200, body: { declined_on: '2025-11-24' } });
  const pl3 = (await call('POST', '/v1/care-home-placements', { ...as(admin), expect: 201,
    body: { person_id: p5, started_on: '2025-09-01', weekly_cost_pence: 120000, property_disregard: false } })).body.id;
  await call('POST', `/v1/care-home-placements/${pl3}/self-funding`, { ...as(admin), expect: 200, body: { arranged_on: '2025-09-01' } });

  // A death, recorded once; not before birth.
  await call('POST', `/v1/people/${p5}/death`, { ...as(admin), expect: 422, body: { died_on: '1935-12-03' } });
  await call('POST', `/v1/people/${p5}/death`, { ...as(admin), expect: 200, body: { died_on: '2026-03-20' } });
  await call('POST', `/v1/people/${p5}/death`, { ...as(admin), expect: 409, body: { died_on: '2026-03-21' } });
  await call('GET', `/v1/people/${p5}`, { ...as(admin), expect: 200 });
  await call('GET', '/v1/deferred-payments/attention', { ...as(admin), expect: 200 });
  await call('GET', '/v1/deferred-payments/attention?as_at=2026-01-10&horizon_days=28', { ...as(admin), expect: 200 });

  // Every code of the Client Level Data lists, as the contract spells them, is taken where its
  // list belongs; an outcome the contract does not list for a record is refused there.
  const codes = (name) => spec.components.schemas[name].enum;
  const cycle = (list, i) => list[i % list.length];
  const mary = (await call('POST', '/v1/people', { ...as(admin), expect: 201,
    body: { given_name: 'Mary', family_name: 'Somerville', date_of_birth: '1940-12-26', team: 'east' } })).body.id;
  const demographics = ['Gender', 'Ethnicity', 'UnpaidCarer', 'SupportReason'];
  for (let i = 0; i < Math.max(...demographics.map((name) => codes(name).length)); i += 1) {
    await call('POST', `/v1/people/${mary}/details`, { ...as(admin), expect: 200,
      body: { effective_on: '2025-01-01', gender: cycle(codes('Gender'), i), ethnicity: cycle(codes('Ethnicity'), i),
        has_unpaid_carer: cycle(codes('UnpaidCarer'), i), primary_support_reason: cycle(codes('SupportReason'), i) } });
  }
  const outcomes = [...new Set([...codes('RequestOutcome'), ...codes('AssessmentOutcome'), ...codes('EndReason')])];
  for (const [i, outcome] of codes('RequestOutcome').entries()) {
    const q = (await call('POST', '/v1/requests', { ...as(admin), expect: 201,
      body: { person_id: mary, received_on: '2025-02-03', route_of_access: cycle(codes('RouteOfAccess'), i) } })).body.id;
    await call('POST', `/v1/requests/${q}/outcome`, { ...as(admin), expect: 200,
      body: { decided_on: '2025-02-04', outcome,
        ...(outcome === 'progress_to_assessment' ? { assessment: { kind: 'carer', priority: 'low' } } : {}) } });
  }
  const openRequest = (await call('POST', '/v1/requests', { ...as(admin), expect: 201,
    body: { person_id: mary, received_on: '2025-02-03', route_of_access: 'self_funder' } })).body.id;
  for (const outcome of outcomes.filter((o) => !codes('RequestOutcome').includes(o))) {
    await call('POST', `/v1/requests/${openRequest}/outcome`, { ...as(admin), expect: 422, body: { decided_on: '2025-02-04', outcome } });
  }
  for (const outcome of codes('AssessmentOutcome')) {
    const a = (await call('POST', '/v1/assessments', { ...as(admin), expect: 201,
      body: { person_id: mary, kind: 'needs', requested_on: '2025-02-10', priority: 'medium' } })).body.id;
    await call('POST', `/v1/assessments/${a}/completion`, { ...as(admin), expect: 200,
      body: { completed_on: '2025-03-10', eligible_needs: outcome === 'progress_to_support_planning', outcome } });
  }
  const waitingAssessment = (await call('POST', '/v1/assessments', { ...as(admin), expect: 201,
    body: { person_id: mary, kind: 'needs', requested_on: '2025-02-10', priority: 'medium' } })).body.id;
  for (const outcome of outcomes.filter((o) => !codes('AssessmentOutcome').includes(o))) {
    await call('POST', `/v1/assessments/${waitingAssessment}/completion`, { ...as(admin), expect: 422,
      body: { completed_on: '2025-03-10', eligible_needs: false, outcome } });
  }
  const episodeLists = ['ShortTermType', 'ServiceComponent', 'EndReason'];
  for (let i = 0; i < Math.max(...episodeLists.map((name) => codes(name).length)); i += 1) {
    const e = (await call('POST', '/v1/support-episodes', { ...as(admin), expect: 201,
      body: { person_id: mary, kind: 'short_term', setting: 'community', delivery: 'council_arranged', started_on: '2025-03-17',
        short_term_type: cycle(codes('ShortTermType'), i), service_component: cycle(codes('ServiceComponent'), i) } })).body.id;
    await call('POST', `/v1/support-episodes/${e}/end`, { ...as(admin), expect: 200,
      body: { ended_on: '2025-04-25', sequel: 'no_ongoing_support', end_reason: cycle(codes('EndReason'), i) } });
  }
  const longTerm = (await call('POST', '/v1/support-episodes', { ...as(admin), expect: 201,
    body: { person_id: mary, kind: 'long_term', setting: 'residential', delivery: 'council_arranged', started_on: '2025-05-01' } })).body.id;
  for (const outcome of outcomes.filter((o) => !codes('EndReason').includes(o))) {
    await call('POST', `/v1/support-episodes/${longTerm}/end`, { ...as(admin), expect: 422, body: { ended_on: '2025-06-01', end_reason: outcome } });
  }
  for (let i = 0; i < Math.max(codes('ReviewReason').length, codes('OutcomesMet').length); i += 1) {
    await call('POST', '/v1/reviews', { ...as(admin), expect: 201,
      body: { person_id: mary, reviewed_on: '2025-06-02', planned: false, outcome: 'no_change',
        review_reason: cycle(codes('ReviewReason'), i), outcomes_achieved: cycle(codes('OutcomesMet'), i) } });
  }

  // Measures and reports, before the correction (known_at below looks back to here).
  await new Promise((resolve) => setTimeout(resolve, 5)); // recorded_at has millisecond resolution
  const beforeCorrection = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));

  // A correction: the charge was a mistake; void it (the latest event in the placement's stream).
  const history = await call('GET', `/v1/people/${p3}/history`, { ...as(admin), expect: 200 });
  const charge = history.body.items.find((i) => i.type === 'deferred_payment_charged');
  if (!charge) throw new Error('the history shows no deferred_payment_charged event to correct');
  await call('POST', '/v1/corrections', { ...as(admin), expect: 201, body: { event_id: charge.event_id, reason: 'charged to the wrong agreement' } });
  await call('POST', '/v1/corrections', { ...as(admin), expect: 409, body: { event_id: charge.event_id, reason: 'again' } });
  const page = await call('GET', `/v1/people/${p3}/history?limit=2`, { ...as(admin), expect: 200 });
  if (page.body.next_cursor) {
    await call('GET', `/v1/people/${p3}/history?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`, { ...as(admin), expect: 200 });
  }

  // Whose figures: council-wide for the admin, one team's for the team leader.
  await call('GET', '/v1/measures', { ...as(admin), expect: 200 });
  await call('GET', '/v1/measures?from=2025-04-01&to=2026-03-31', { ...as(admin), expect: 200 });
  await call('GET', '/v1/measures?from=2025-04-01&to=2026-03-31', { ...as(northLead), expect: 200 });
  await call('GET', '/v1/measures?from=2025-04-01&to=2026-03-31&team=north', { ...as(analyst), expect: 200 });
  await call('GET', `/v1/measures?from=2025-04-01&to=2026-03-31&known_at=${encodeURIComponent(beforeCorrection)}`, { ...as(admin), expect: 200 });
  const thisYear = currentFinancialYear();
  for (const report of ['monthly', 'performance']) {
    await call('GET', `/v1/reports/${report}`, { ...as(admin), expect: 200 });
    await call('GET', `/v1/reports/${report}?financial_year=2025-26`, { ...as(northLead), expect: 200 });
    await call('GET', `/v1/reports/${report}?financial_year=${thisYear}&team=south`, { ...as(analyst), expect: 200 });
    await call('GET', `/v1/reports/${report}?financial_year=2025-26&known_at=${encodeURIComponent(beforeCorrection)}`, { ...as(admin), expect: 200 });
    await call('GET', `/v1/reports/${report}?financial_year=2025-26`, { ...as(admin), headers: { Accept: 'text/csv' }, expect: 200 });
  }

  // The Client Level Data return: the file (admins only, in the access log) and its data-quality
  // report (admins and analysts), JSON or CSV; the report's rows and lines are the file's.
  const cldFile = await call('GET', '/v1/exports/cld?quarter=2025-26-Q4', { ...as(admin), expect: 200 });
  const cldName = `attachment; filename="CLD_${LA_CODE}_20250401_20260331.csv"`;
  if (cldFile.headers.get('content-disposition') !== cldName) {
    note('GET /v1/exports/cld', `Content-Disposition ${cldFile.headers.get('content-disposition')}, expected ${cldName}`);
  }
  const cldLines = cldFile.text.split('\r\n');
  if (cldLines.pop() !== '' || cldLines.some((line) => line.includes('\n'))) note('GET /v1/exports/cld', 'a line does not end CRLF');
  if (cldLines.length < 2) note('GET /v1/exports/cld', 'the file has no rows: the scenario should put some in 2025-26');
  if (cldLines.some((line) => csvFields(line).length !== 48)) note('GET /v1/exports/cld', 'a line without 48 fields');
  await call('GET', '/v1/exports/cld?quarter=2025-26-Q1&span=quarter', { ...as(admin), expect: 200 });
  await call('GET', '/v1/exports/cld?from=2025-02-01&to=2025-06-30', { ...as(admin), expect: 200 });
  const cldReport = await call('GET', '/v1/exports/cld/data-quality?quarter=2025-26-Q4', { ...as(admin), expect: 200 });
  if (cldReport.body.rows !== cldLines.length - 1) {
    note('GET /v1/exports/cld/data-quality', `rows ${cldReport.body.rows}, but the file has ${cldLines.length - 1}`);
  }
  if (!(cldReport.body.items?.length > 0)) note('GET /v1/exports/cld/data-quality', 'no items: the scenario should make some findings');
  for (const item of cldReport.body.items ?? []) {
    const row = csvFields(cldLines[item.line - 1] ?? '');
    if (row[22] !== item.event_type || row[23] !== item.event_reference) {
      note('GET /v1/exports/cld/data-quality', `item at line ${item.line} (${item.event_type} ${item.event_reference}) is not that line of the file`);
      break;
    }
  }
  const cldItems = await call('GET', '/v1/exports/cld/data-quality?quarter=2025-26-Q4', { ...as(admin), headers: { Accept: 'text/csv' }, expect: 200 });
  if (cldItems.text.trimEnd().split('\n').length !== (cldReport.body.items?.length ?? 0) + 1) {
    note('GET /v1/exports/cld/data-quality (CSV)', 'not one line per item of the JSON report');
  }
  await call('GET', '/v1/exports/cld/data-quality?quarter=2025-26-Q4&span=year_to_date', { ...as(analyst), expect: 200 });
  await call('GET', '/v1/exports/cld/data-quality?from=2025-02-01&to=2025-06-30', { ...as(analyst), headers: { Accept: 'text/csv' }, expect: 200 });
  await call('GET', '/v1/exports/cld?quarter=2025-26-Q4', { ...as(analyst), expect: 403 });
  await call('GET', '/v1/exports/cld/data-quality?quarter=2025-26-Q4', { ...as(northLead), expect: 403 });
  await call('GET', '/v1/exports/cld?quarter=2025-Q4', { ...as(admin), expect: 400 });
  await call('GET', '/v1/exports/cld?quarter=2025-26-Q4&span=decade', { ...as(admin), expect: 400 });
  await call('GET', '/v1/exports/cld/data-quality?from=2025-04-01', { ...as(analyst), expect: 400 });
  await call('GET', '/v1/exports/cld?quarter=2025-26-Q4', { expect: 401 });
  // The import of earlier CLD files (CLD.md section 6): the file just exported, as a dry run
  // (whatever the import makes of it, 200, or 422 listing refusals, its body keeps the
  // contract); then refusals answered from the header alone.
  const csv = { 'Content-Type': 'text/csv; charset=utf-8' };
  await call('POST', '/v1/imports/cld?dry_run=true&on_error=skip_row&team=north', { ...as(admin), raw: cldFile.text, headers: csv });
  await call('POST', '/v1/imports/cld?dry_run=true', { ...as(admin), raw: cldFile.text, headers: csv });
  await call('POST', '/v1/imports/cld', { ...as(analyst), raw: cldFile.text, headers: csv, expect: 403 });
  await call('POST', '/v1/imports/cld', { raw: cldFile.text, headers: csv, expect: 401 });
  await call('POST', '/v1/imports/cld', { ...as(admin), body: {}, expect: 415 });
  await call('POST', '/v1/imports/cld', { ...as(admin), raw: cldFile.text, headers: { 'Content-Type': 'text/csv; charset=utf-16' }, expect: 415 });
  await call('POST', '/v1/imports/cld?on_error=bogus', { ...as(admin), raw: cldFile.text, headers: csv, expect: 400 });
  await call('POST', '/v1/imports/cld?dry_run=yes', { ...as(admin), raw: cldFile.text, headers: csv, expect: 400 });
  await call('GET', '/v1/imports/cld/cldimp_000000000000nosuchid', { ...as(admin), expect: 404 });
  await call('GET', '/v1/imports/cld/cldimp_000000000000nosuchid', { ...as(analyst), expect: 403 });
  const logged = await call('GET', '/v1/audit?limit=100', { ...as(admin), expect: 200 });
  const taken = logged.body.items?.find((entry) => entry.route === '/v1/exports/cld' && entry.status === 200);
  if (!taken || !(taken.people_shown > 0)) note('GET /v1/audit', 'the Client Level Data file is not logged with the people it holds');

  // Refusals.
  await call('GET', '/v1/waiting-list', { expect: 401 });
  await call('GET', `/v1/people/${p1}`, { token: 'not-a-token', expect: 401 });
  await call('GET', `/v1/people/${p1}`, { ...as(analyst), expect: 403 });
  await call('GET', '/v1/waiting-list?team=south', { ...as(northLead), expect: 403 });
  await call('GET', '/v1/assessments/asm_000000000000nosuchid', { ...as(admin), expect: 404 });
  await call('GET', `/v1/people/${p3}`, { ...as(northLead), expect: 404 }); // another team's person
  await call('GET', '/v1/no-such-thing', { ...as(admin), expect: 404 });
  await call('DELETE', `/v1/people/${p1}`, { ...as(admin), expect: 405 });
  await call('PUT', '/v1/assessments', { ...as(admin), body: {}, expect: 405 });
  await call('POST', '/v1/assessments', { ...as(admin), expect: 422,
    body: { person_id: p1, kind: 'needs', priority: 'whenever' } });
  await call('POST', '/v1/assessments', { ...as(admin), expect: 404,
    body: { person_id: 'per_000000000000nosuchid', kind: 'needs', requested_on: '2025-05-02', priority: 'low' } });
  await call('POST', '/v1/people', { ...as(admin), expect: 422,
    body: { given_name: 'Ada', family_name: 'Lovelace', date_of_birth: '1941-03-14', team: 'north', nhs_number: '9434765918' } });
  await call('POST', '/v1/people', { ...as(admin), body: { ...ada, given_name: 'Augusta' }, headers: { 'Idempotency-Key': 'register-ada' }, expect: 422 });
  await call('POST', `/v1/assessments/${a1.body.id}/completion`, { ...as(admin), expect: 409, body: { completed_on: '2025-06-21', eligible_needs: true } });
  await call('POST', `/v1/assessments/${a2}/allocation`, { ...as(admin), expect: 412,
    headers: { 'If-Match': '"99"' }, body: { practitioner: 'Nia Jones', allocated_on: '2026-01-20' } });
  await call('POST', '/v1/people', { ...as(admin), raw: '{"given_name":', headers: { 'Content-Type': 'application/json' }, expect: 400 });
  await call('POST', '/v1/people', { ...as(admin), raw: 'given_name=Ada', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, expect: 415 });
  await call('POST', '/v1/people', { ...as(admin), expect: 413,
    body: { ...ada, given_name: 'A'.repeat(70 * 1024) } });
  await call('GET', '/v1/waiting-list?as_at=2025-02-30', { ...as(admin), expect: 400 });
  await call('GET', '/v1/reports/performance?financial_year=2025', { ...as(admin), expect: 400 });
  await call('GET', '/v1/measures?known_at=yesterday', { ...as(admin), expect: 400 });
  await call('GET', '/v1/measures', { ...as(analyst), expect: 200 });
  await call('GET', '/metrics', { ...as(northLead), expect: 403 });

  // Without a council code the return is 409 naming cld.la_code; the rest is served as before.
  const how = await stopServer();
  if (how !== '0') note('SIGTERM', `serve (with --config) did not stop cleanly: exit ${how}\n${serverErr}`);
  base = await startServer();
  for (const path of ['/v1/exports/cld?quarter=2025-26-Q4', '/v1/exports/cld/data-quality?quarter=2025-26-Q4']) {
    const refused = await call('GET', path, { ...as(admin), expect: 409 });
    if (refused.body.errors?.[0]?.field !== 'cld.la_code') note(`GET ${path}`, 'the 409 does not name cld.la_code');
  }
  await call('GET', '/v1/measures', { ...as(analyst), expect: 200 });
}

let failed = false;
try {
  await scenario();
} catch (e) {
  failed = true;
  console.error(`scenario stopped: ${e.stack ?? e}`);
  if (serverErr) console.error(`server stderr:\n${serverErr}`);
} finally {
  const how = await cleanUp();
  if (how !== null && how !== '0') note('SIGTERM', `serve did not stop cleanly: exit ${how}\n${serverErr}`);
}

console.log(`\n${checked} responses checked against docs/openapi.yaml, ${mismatches.length} mismatching`);
for (const m of mismatches) {
  console.log(`  ${m.line}`);
  for (const p of m.problems) console.log(`      ${p}`);
}
process.exit(failed || mismatches.length > 0 ? 1 : 0);
