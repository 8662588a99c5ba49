import type {
  IDataObject,
  IExecuteFunctions,
  IHookFunctions,
  IHttpRequestMethods,
  IHttpRequestOptions,
  ILoadOptionsFunctions,
  JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'homeSchoolBridgeApi';

type Context = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions;

export interface RequestOptions {
  body?: IDataObject;
  qs?: IDataObject;
  /** Sent as `Idempotency-Key` so that a retried execution does not create a second record. */
  idempotencyKey?: string;
  /** Sent as `If-Match`: the revision a change is based on (a stale one is refused with 409). */
  ifMatch?: string;
  /** Return `{ body, headers }` instead of the body (paging reads Content-Range). */
  fullResponse?: boolean;
  /** A file, not JSON: the body comes back as bytes. */
  binary?: boolean;
  /** The media type of a text document to ask for instead of JSON (e.g. `text/html`): the body comes back as a string. */
  acceptText?: string;
}

interface ServiceProblem {
  status?: number;
  messageZh?: string;
  messageEn?: string;
  message?: string;
  code?: string;
  details?: Array<{ path: string; message: string; messageEn?: string }>;
}

/** The service's problem body, if the error carries one. */
function problemOf(error: unknown): ServiceProblem | undefined {
  type WithResponse = { response?: { body?: unknown; data?: unknown } };
  const candidate = error as WithResponse & { cause?: WithResponse };
  const response = candidate.response ?? candidate.cause?.response;
  let body = response?.body ?? response?.data;
  if (body instanceof ArrayBuffer) body = new TextDecoder().decode(body);
  else if (ArrayBuffer.isView(body)) body = new TextDecoder().decode(body as Uint8Array);
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as ServiceProblem;
    } catch {
      return undefined;
    }
  }
  return body && typeof body === 'object' ? (body as ServiceProblem) : undefined;
}

/** The header the credential authenticates with (see HomeSchoolBridgeApi.authenticate). */
export const API_KEY_HEADER = 'X-API-Key';

const credentialsOfRuns = new WeakMap<Context, Promise<{ baseUrl: string; apiKey: string }>>();

/**
 * The credential, read once per node run: n8n reads and decrypts a credential from its own database on
 * every call, which on 1,000 items cost more than the requests themselves.
 */
function credentialsOfRun(context: Context): Promise<{ baseUrl: string; apiKey: string }> {
  let credentials = credentialsOfRuns.get(context);
  if (!credentials) {
    credentials = context.getCredentials<{ baseUrl: string; apiKey: string }>(CREDENTIAL_TYPE);
    credentials.catch(() => credentialsOfRuns.delete(context));
    credentialsOfRuns.set(context, credentials);
  }
  return credentials;
}

/**
 * The one request helper for every node: authenticated with the package's credential, errors turned
 * into NodeApiError carrying the service's Chinese and English message and field details.
 */
export async function apiRequest<T = unknown>(
  this: Context,
  method: IHttpRequestMethods,
  endpoint: string,
  options: RequestOptions = {},
): Promise<T> {
  const credentials = await credentialsOfRun(this);
  const request: IHttpRequestOptions = {
    method,
    url: `${String(credentials.baseUrl).replace(/\/+$/, '')}${endpoint}`,
    json: true,
    headers: { Accept: 'application/json', [API_KEY_HEADER]: credentials.apiKey, ...(options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {}), ...(options.ifMatch ? { 'If-Match': options.ifMatch } : {}) },
    returnFullResponse: options.fullResponse,
  };
  // Stopping the execution in n8n stops the request (as n8n's authenticated request helper does).
  const cancel = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
  if (cancel) request.abortSignal = cancel;
  if (options.binary) {
    request.json = false;
    request.encoding = 'arraybuffer';
    request.headers = { ...request.headers, Accept: '*/*' };
  }
  if (options.acceptText) {
    request.json = false;
    request.headers = { ...request.headers, Accept: options.acceptText };
  }
  if (options.body !== undefined) request.body = options.body;
  if (options.qs !== undefined) request.qs = options.qs;
  try {
    return (await this.helpers.httpRequest(request)) as T;
  } catch (error) {
    const problem = problemOf(error);
    if (!problem) throw new NodeApiError(this.getNode(), error as JsonObject);
    const fields = (problem.details ?? []).map((d) => `${d.path}: ${d.message}${d.messageEn ? ` (${d.messageEn})` : ''}`).join('; ');
    // n8n has already wrapped the HTTP error (re-wrapping returns it unchanged) and would replace our
    // description with the response's message, so the service's problem is handed over as its own object.
    type WithStatus = { response?: { status?: number } };
    const failed = error as WithStatus & { cause?: WithStatus };
    const status = (failed.response ?? failed.cause?.response)?.status ?? problem.status;
    const message = problem.messageZh && problem.messageEn ? `${problem.messageZh} / ${problem.messageEn}` : (problem.message ?? 'Request failed');
    throw new NodeApiError(this.getNode(), { ...problem, message } as unknown as JsonObject, {
      message,
      description: fields || problem.code,
      httpCode: status ? String(status) : undefined,
    });
  }
}

/** Reads every page of a Form.io-style listing (array body + `Content-Range: first-last/total`). */
export async function apiRequestAllItems(
  this: IExecuteFunctions | ILoadOptionsFunctions,
  endpoint: string,
  qs: IDataObject = {},
  pageSize = 100,
  max = Number.POSITIVE_INFINITY,
): Promise<IDataObject[]> {
  const items: IDataObject[] = [];
  for (let skip = 0; items.length < max; skip += pageSize) {
    const response = await apiRequest.call(this, 'GET', endpoint, { qs: { ...qs, limit: pageSize, skip }, fullResponse: true }) as {
      body: IDataObject[];
      headers: Record<string, string>;
    };
    items.push(...response.body);
    const total = Number(/\/(\d+)$/.exec(response.headers['content-range'] ?? '')?.[1] ?? items.length);
    if (response.body.length < pageSize || items.length >= total) break;
  }
  return items.slice(0, max);
}

/** A key that is the same when n8n retries the same item of the same execution, and differs otherwise. */
export function idempotencyKeyFor(context: IExecuteFunctions, itemIndex: number, operation: string): string {
  const node = context.getNode();
  return `n8n:${context.getExecutionId()}:${node.id}:${operation}:${itemIndex}`.replace(/[^A-Za-z0-9:._-]/g, '-');
}

/** Reads every page of a service listing shaped `{ items, total }` (skip/limit paging). */
export async function apiRequestAllPages(
  this: IExecuteFunctions | ILoadOptionsFunctions,
  endpoint: string,
  qs: IDataObject = {},
  max = Number.POSITIVE_INFINITY,
  pageSize = 200,
): Promise<IDataObject[]> {
  const items: IDataObject[] = [];
  for (let skip = 0; items.length < max; skip += pageSize) {
    const page = (await apiRequest.call(this, 'GET', endpoint, { qs: { ...qs, limit: pageSize, skip } })) as { items: IDataObject[]; total: number };
    items.push(...page.items);
    if (page.items.length < pageSize || items.length >= page.total) break;
  }
  return items.slice(0, max);
}

/**
 * Reads the pages of a listing paged by key, `{ items, total, next }`: each page asks for the position after
 * the last (`after`), so a listing that changes meanwhile neither repeats nor skips records.
 */
export async function apiRequestPagesByKey(this: IExecuteFunctions, endpoint: string, qs: IDataObject, max: number, pageSize: number): Promise<IDataObject[]> {
  const items: IDataObject[] = [];
  let after: string | undefined;
  while (items.length < max) {
    const limit = Math.min(pageSize, max - items.length);
    const page = (await apiRequest.call(this, 'GET', endpoint, { qs: { ...qs, limit, ...(after ? { after } : {}) } })) as { items: IDataObject[]; total: number; next?: string | null };
    items.push(...page.items);
    if (page.items.length < limit || !page.next || items.length >= page.total) break;
    after = String(page.next);
  }
  return items.slice(0, max);
}

/** A file the service answered: its bytes, the name it gave (Content-Disposition `filename*`) and its type. */
export interface DownloadedFile {
  data: Buffer;
  fileName: string;
  mimeType: string;
}

export async function downloadFile(this: IExecuteFunctions, endpoint: string, fallbackName: string, qs?: IDataObject): Promise<DownloadedFile> {
  const response = (await apiRequest.call(this, 'GET', endpoint, { qs, binary: true, fullResponse: true })) as { body: ArrayBuffer | Buffer; headers: Record<string, string> };
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(response.headers['content-disposition'] ?? '')?.[1];
  return {
    data: Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body),
    fileName: encoded ? decodeURIComponent(encoded) : fallbackName,
    mimeType: (response.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim(),
  };
}
