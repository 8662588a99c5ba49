#!/usr/bin/env node
// Sets up an n8n instance for Home–School Bridge in one step, through n8n's public API: creates (or
// updates) the Home–School Bridge credential and tests it, creates the SMTP credential from the given
// settings (or uses an existing one), and imports every workflow in workflows/ bound to them, with the
// Settings (设置) node filled in. Running it again updates the workflows of the same name in place.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bindWorkflow, hasAutomaticTrigger, isEventTriggered, missingSettings } from './n8n/bind-workflow.mjs';
import { testCredential, upsertCredential } from './n8n/credentials.mjs';
import { publicApi } from './n8n/public-api.mjs';

const USAGE = `Usage: npm run n8n:provision -- --n8n-url URL --n8n-api-key KEY [options]

  --n8n-url URL               n8n's address (default http://localhost:5678)
  --n8n-api-key KEY           an n8n API key (n8n: Settings → n8n API → Create an API key); or N8N_API_KEY
  --service-url URL           the Home–School Bridge service, e.g. https://bridge.example.edu.cn
  --service-api-key KEY       a service API key (hsb_…); with --service-url creates or updates the credential
  --credential-name NAME      name of that credential in n8n (default "Home–School Bridge")
  --smtp-host HOST            creates or updates the SMTP credential (with --smtp-port, --smtp-user,
  --smtp-port PORT              --smtp-password, --smtp-secure for TLS from the start, --smtp-no-starttls)
  --smtp-credential-name NAME name of the SMTP credential (default "School SMTP"); without --smtp-host an
                                existing SMTP credential of this name is used
  --robot-url URL             the group robot's webhook URL (WeCom or DingTalk) for every workflow
  --from-email ADDRESS        the sender of every e-mail
  --sms-gateway-url URL       the HTTP SMS gateway the term-letter workflows post each SMS to
                                (JSON {to: [numbers], text, reference: the letter id})
  --student-affairs-email ADDRESS
                              where the term letter's closing report goes
  --publish none|events|all   publish (activate) the event-triggered workflows, or all (default none)
  --workflows DIR             the workflow files (default: this package's workflows/)

Workflows are matched by name: an existing one is updated in place (same id, same webhook address,
Settings values kept unless given here); a new one is created.`;

const { values: options } = parseArgs({
  options: {
    'n8n-url': { type: 'string', default: 'http://localhost:5678' },
    'n8n-api-key': { type: 'string', default: process.env.N8N_API_KEY },
    'service-url': { type: 'string' },
    'service-api-key': { type: 'string' },
    'credential-name': { type: 'string', default: 'Home–School Bridge' },
    'smtp-host': { type: 'string' },
    'smtp-port': { type: 'string', default: '587' },
    'smtp-user': { type: 'string', default: '' },
    'smtp-password': { type: 'string', default: '' },
    'smtp-secure': { type: 'boolean', default: false },
    'smtp-no-starttls': { type: 'boolean', default: false },
    'smtp-credential-name': { type: 'string', default: 'School SMTP' },
    'robot-url': { type: 'string' },
    'from-email': { type: 'string' },
    'sms-gateway-url': { type: 'string' },
    'student-affairs-email': { type: 'string' },
    publish: { type: 'string', default: 'none' },
    workflows: { type: 'string', default: path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'workflows') },
    help: { type: 'boolean', default: false },
  },
});

function fail(message) {
  console.error(`n8n:provision: ${message}`);
  process.exit(1);
}

if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!options['n8n-api-key']) fail(`--n8n-api-key is required\n\n${USAGE}`);
if (!['none', 'events', 'all'].includes(options.publish)) fail('--publish must be none, events or all');
if (!!options['service-url'] !== !!options['service-api-key']) fail('--service-url and --service-api-key go together');
if (options['robot-url'] !== undefined && !/^https?:\/\/\S+$/.test(options['robot-url'])) fail('--robot-url must be an http(s) URL');
if (options['sms-gateway-url'] !== undefined && !/^https?:\/\/\S+$/.test(options['sms-gateway-url'])) fail('--sms-gateway-url must be an http(s) URL');
if (options['student-affairs-email'] !== undefined && !/^\S+@\S+$/.test(options['student-affairs-email'])) fail('--student-affairs-email must be an e-mail address');

const api = publicApi(options['n8n-url'], options['n8n-api-key']);

async function bridgeCredential() {
  const name = options['credential-name'];
  const data = options['service-url'] ? { baseUrl: options['service-url'].replace(/\/+$/, ''), apiKey: options['service-api-key'] } : undefined;
  const credential = await upsertCredential(api, { name, type: 'homeSchoolBridgeApi', data });
  if (!credential) fail(`n8n has no credential "${name}" yet: pass --service-url and --service-api-key to create it`);
  const test = await testCredential(api, credential.id);
  console.log(`credential "${credential.name}" (${credential.id}) ${credential.action}; test: ${test.status} ${test.message}`);
  if (test.status !== 'OK') fail(`the credential "${credential.name}" does not work: ${test.message}`);
  return credential;
}

async function smtpCredential() {
  const name = options['smtp-credential-name'];
  const data = options['smtp-host']
    ? {
        host: options['smtp-host'],
        port: Number(options['smtp-port']),
        user: options['smtp-user'],
        password: options['smtp-password'],
        secure: options['smtp-secure'],
        disableStartTls: options['smtp-no-starttls'],
      }
    : undefined;
  const credential = await upsertCredential(api, { name, type: 'smtp', data });
  if (credential) console.log(`credential "${credential.name}" (${credential.id}) ${credential.action}`);
  else {
    console.log(
      `no SMTP credential "${name}": the e-mail nodes are left without one. Create an SMTP credential named "${name}" ` +
        'in n8n (Credentials → Create → SMTP) and run this again, or pass --smtp-host …',
    );
  }
  return credential;
}

function shippedWorkflows() {
  return readdirSync(options.workflows)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(path.join(options.workflows, file), 'utf8')));
}

async function importWorkflow(shipped, credentials, settings) {
  const sameName = (await api.all(`/workflows?name=${encodeURIComponent(shipped.name)}&excludePinnedData=true`)).filter(
    (w) => w.name === shipped.name && !w.isArchived,
  );
  if (sameName.length > 1) throw new Error(`n8n has ${sameName.length} workflows named "${shipped.name}"; archive the extra ones`);
  const [existing] = sameName;
  const body = bindWorkflow(shipped, { credentials, settings, existing });
  const saved = existing ? await api.put(`/workflows/${existing.id}`, body) : await api.post('/workflows', body);
  const missing = missingSettings(body);
  const note = missing.length ? `; Settings (设置) still to fill in: ${missing.join(', ')} (the workflow stops until then)` : '';
  console.log(`workflow ${saved.id} ${existing ? 'updated' : 'created'}: ${shipped.name}${note}`);
  return { saved, shipped };
}

async function main() {
  const bridge = await bridgeCredential();
  const smtp = await smtpCredential();
  const credentials = { homeSchoolBridgeApi: bridge, ...(smtp ? { smtp } : {}) };
  const settings = {
    ...(options['robot-url'] !== undefined ? { robotUrl: options['robot-url'] } : {}),
    ...(options['from-email'] !== undefined ? { fromEmail: options['from-email'] } : {}),
    ...(options['sms-gateway-url'] !== undefined ? { smsGatewayUrl: options['sms-gateway-url'] } : {}),
    ...(options['student-affairs-email'] !== undefined ? { studentAffairsEmail: options['student-affairs-email'] } : {}),
  };
  const imported = [];
  for (const shipped of shippedWorkflows()) imported.push(await importWorkflow(shipped, credentials, settings));
  const toPublish = imported.filter(({ shipped }) =>
    options.publish === 'all' ? hasAutomaticTrigger(shipped) : options.publish === 'events' && isEventTriggered(shipped),
  );
  for (const { saved } of toPublish) {
    await api.post(`/workflows/${saved.id}/activate`);
    console.log(`workflow ${saved.id} published: ${saved.name}`);
  }
}

main().catch((error) => fail(error.message));
