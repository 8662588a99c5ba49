import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  ICredentialDataDecryptedObject,
  ICredentialType,
  IConnections,
  INode,
  IHttpRequestOptions,
  INodeExecutionData,
  INodeType,
  IVersionedNodeType,
  IRun,
  IRunExecutionData,
  IWorkflowBase,
} from 'n8n-workflow';
import { HomeSchoolBridgeApi } from '../../credentials/HomeSchoolBridgeApi.credentials';
import { FormSubmission } from '../../nodes/FormSubmission/FormSubmission.node';
import { HomeSchoolBridgeTrigger } from '../../nodes/HomeSchoolBridgeTrigger/HomeSchoolBridgeTrigger.node';
import { HomeVisit } from '../../nodes/HomeVisit/HomeVisit.node';
import { MentoringGroup } from '../../nodes/MentoringGroup/MentoringGroup.node';
import { ParentContact } from '../../nodes/ParentContact/ParentContact.node';
import { StudentArchive } from '../../nodes/StudentArchive/StudentArchive.node';
import { TermLetter } from '../../nodes/TermLetter/TermLetter.node';

export const PACKAGE = 'n8n-nodes-home-school-bridge';

const NODE_CLASSES: Record<string, INodeType> = {
  [`${PACKAGE}.formSubmission`]: new FormSubmission(),
  [`${PACKAGE}.homeSchoolBridgeTrigger`]: new HomeSchoolBridgeTrigger(),
  [`${PACKAGE}.studentArchive`]: new StudentArchive(),
  [`${PACKAGE}.parentContact`]: new ParentContact(),
  [`${PACKAGE}.homeVisit`]: new HomeVisit(),
  [`${PACKAGE}.termLetter`]: new TermLetter(),
  [`${PACKAGE}.mentoringGroup`]: new MentoringGroup(),
};
const CREDENTIAL_TYPES: Record<string, ICredentialType> = { homeSchoolBridgeApi: new HomeSchoolBridgeApi() };

/** Resolves `={{$credentials.name}}` in a generic credential's request properties (what n8n's helper does). */
function resolveCredentialExpression(value: string, credentials: ICredentialDataDecryptedObject): string {
  const match = /^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/.exec(value);
  return match ? String(credentials[match[1]!] ?? '') : value;
}

function credentialsHelper(credentials: Record<string, ICredentialDataDecryptedObject>) {
  return {
    getParentTypes: () => [],
    getCredentialsProperties: () => [],
    getDecrypted: async (_data: unknown, _node: unknown, type: string) => credentials[type] ?? {},
    authenticate: async (decrypted: ICredentialDataDecryptedObject, type: string, request: IHttpRequestOptions) => {
      const auth = CREDENTIAL_TYPES[type]?.authenticate;
      if (auth && typeof auth === 'object' && auth.type === 'generic') {
        const headers = { ...(request.headers ?? {}) } as Record<string, string>;
        for (const [name, value] of Object.entries(auth.properties.headers ?? {})) headers[name] = resolveCredentialExpression(String(value), decrypted);
        return { ...request, headers };
      }
      return request;
    },
    preAuthentication: async () => undefined,
    runPreAuthentication: async () => undefined,
    updateCredentials: async () => undefined,
    updateCredentialsOauthTokenData: async () => undefined,
    getCredentials: async () => undefined,
    isCredentialUsableByNode: () => true,
  };
}

/** additionalData with only what a workflow of ours needs; unknown properties read as undefined. */
function inert<T extends object>(known: T): T {
  return new Proxy(known, {
    get: (target, property) => {
      if (property in target) return (target as Record<string | symbol, unknown>)[property];
      if (process.env.HSB_DEBUG_ENGINE) console.log('additionalData.' + String(property));
      return undefined;
    },
  });
}

export interface EngineRun {
  run: IRun;
  status: IRun['status'];
  output(nodeName: string): INodeExecutionData[];
  error(): Error | undefined;
}

/**
 * Runs a workflow JSON through n8n-core's WorkflowExecute with our real node classes, against the real
 * service (no HTTP mocks). The first node receives `input` as its incoming items.
 */
export async function runWorkflow(
  workflowData: Pick<IWorkflowBase, 'nodes' | 'connections'> & { settings?: IWorkflowBase['settings'] },
  options: { credentials: Record<string, ICredentialDataDecryptedObject>; input?: INodeExecutionData[]; executionId?: string; nodeTypes?: Record<string, INodeType | IVersionedNodeType> },
): Promise<EngineRun> {
  process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(os.tmpdir(), 'hsb-n8n-'));
  // Loaded lazily: n8n-core reads N8N_USER_FOLDER when first imported.
  const { ExecutionLifecycleHooks, WorkflowExecute } = await import('n8n-core');
  const { NodeHelpers, Workflow } = await import('n8n-workflow');

  const known: Record<string, INodeType | IVersionedNodeType> = { ...NODE_CLASSES, ...options.nodeTypes };
  const nodeTypes = {
    getByName: (type: string) => known[type]!,
    getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(known[type]!, version),
    getKnownTypes: () => ({}),
  };
  const workflow = new Workflow({
    id: 'engine-test',
    nodes: workflowData.nodes,
    connections: workflowData.connections,
    nodeTypes: nodeTypes as never,
    settings: workflowData.settings,
    active: false,
  });
  const executionId = options.executionId ?? `exec-${Date.now()}`;
  const hooks = new ExecutionLifecycleHooks('manual', executionId, { ...workflowData, id: 'engine-test', name: 'engine test' } as never);
  let finished: (run: IRun) => void = () => undefined;
  const done = new Promise<IRun>((resolve) => (finished = resolve));
  hooks.addHandler('workflowExecuteAfter', (run: IRun) => finished(run));

  const additionalData = inert({
    hooks,
    credentialsHelper: credentialsHelper(options.credentials),
    executionId,
    restApiUrl: 'http://localhost:5678/rest',
    instanceBaseUrl: 'http://localhost:5678/',
    webhookBaseUrl: 'http://localhost:5678/webhook',
    webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
    webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
    formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
    variables: {},
    currentNodeParameters: undefined,
  });
  const startNode = workflowData.nodes[0]!;
  const runExecutionData = {
    version: 1,
    resultData: { runData: {} },
    executionData: {
      metadata: {},
      contextData: {},
      waitingExecution: {},
      waitingExecutionSource: null,
      nodeExecutionStack: [{ node: workflow.getNode(startNode.name)!, data: { main: [options.input ?? [{ json: {} }]] }, source: null }],
    },
  } as unknown as IRunExecutionData;
  const execute = new WorkflowExecute(additionalData as never, 'manual', runExecutionData);
  await execute.processRunExecutionData(workflow);
  const run = await done;
  return {
    run,
    status: run.status,
    output: (nodeName) => run.data.resultData.runData[nodeName]?.[0]?.data?.main[0] ?? [],
    error: () => run.data.resultData.error as Error | undefined,
  };
}

/** A workflow of our nodes in a row (Form Submission unless `type` says otherwise), each configured by `parameters`. */
export function chain(...steps: Array<{ name: string; parameters: Record<string, unknown>; continueOnFail?: boolean; type?: string }>) {
  const nodes = steps.map((step, index) => ({
    id: `node-${index}`,
    name: step.name,
    type: `${PACKAGE}.${step.type ?? 'formSubmission'}`,
    typeVersion: 1,
    position: [index * 220, 0] as [number, number],
    parameters: step.parameters,
    credentials: { homeSchoolBridgeApi: { id: 'cred-1', name: 'Home–School Bridge' } },
    ...(step.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
  }));
  const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
  for (let i = 0; i < steps.length - 1; i += 1) {
    connections[steps[i]!.name] = { main: [[{ node: steps[i + 1]!.name, type: 'main', index: 0 }]] };
  }
  return { nodes: nodes as unknown as INode[], connections: connections as IConnections };
}
