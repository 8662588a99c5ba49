import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod/v4';
import { requirePermission } from '../../identity/policy';
import type { Permission } from '../../identity/roles';
import { parseInput, type FieldLabels } from './parse-input';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined, P extends z.ZodType | undefined> {
  method: Method;
  /** Express path relative to the router, e.g. `/students/:id`. */
  path: string;
  summary: string;
  tag: string;
  permission?: Permission;
  body?: B;
  query?: Q;
  params?: P;
  /** Status of a successful answer (documentation). */
  status?: number;
  /** Content type of a successful answer when it is not JSON (documentation). */
  produces?: string;
  /** Chinese names of the fields, for messages (`username` → 用户名). */
  labels?: FieldLabels;
  /** Middleware that must run before the input is parsed (a rate limit, a multipart reader). */
  before?: RequestHandler[];
  /** Served without an account (sign-in; a parent's letter, where the link is the key). */
  anonymous?: true;
}

export interface RegisteredRoute extends RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined> {
  fullPath: string;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

const registry: RegisteredRoute[] = [];

/** A route that declares no query parameters accepts none. */
const emptyQuery = z.object({}).strict();

/** Every route declared through `declareRoute`, for the OpenAPI document. */
export function registeredRoutes(): readonly RegisteredRoute[] {
  return registry;
}

/**
 * Declares a route: its permission, and schemas for body, query and path parameters that are parsed at
 * the edge (anything the schema does not name is refused) and that also describe the route in
 * `/api/openapi.json`, so the document cannot drift from the code.
 */
export function declareRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined>(
  router: Router,
  mountedAt: string,
  spec: RouteSpec<B, Q, P>,
  handler: (input: RouteInput<Parsed<B>, Parsed<Q>, Parsed<P>>, req: Request, res: Response) => Promise<void>,
): void {
  const fullPath = `${mountedAt}${spec.path}`;
  if (!registry.some((r) => r.method === spec.method && r.fullPath === fullPath)) registry.push({ ...spec, fullPath });
  const parse: RequestHandler = async (req, res) => {
    const input = {
      body: (spec.body ? parseInput(spec.body, req.body ?? {}, 'body', spec.labels) : undefined) as Parsed<B>,
      query: parseInput(spec.query ?? emptyQuery, req.query, 'query', spec.labels) as Parsed<Q>,
      params: (spec.params ? parseInput(spec.params, req.params, 'params', spec.labels) : undefined) as Parsed<P>,
    };
    await handler(input, req, res);
  };
  const chain: RequestHandler[] = [...(spec.permission ? [requirePermission(spec.permission)] : []), ...(spec.before ?? []), parse];
  router[spec.method](spec.path, ...chain);
}
