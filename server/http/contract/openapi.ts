import { z } from 'zod/v4';
import { registeredRoutes, type RegisteredRoute } from './api-contract';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const json = jsonSchema(schema);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const problem = {
  description: 'Problem details (RFC 9457) with a machine code, Chinese and English messages and per-field details',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

function operation(route: RegisteredRoute) {
  const success = String(route.status ?? (route.method === 'post' ? 201 : 200));
  return {
    summary: route.summary,
    tags: [route.tag],
    ...(route.permission ? { description: `Permission: \`${route.permission}\`` } : {}),
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
    responses: {
      [success]: { description: 'OK', ...(route.produces ? { content: { [route.produces]: {} } } : {}) },
      400: problem,
      401: problem,
      403: problem,
      404: problem,
    },
    security: route.anonymous ? [] : [{ apiKey: [] }, { session: [] }],
  };
}

/** The OpenAPI 3.1 document of every declared route, made from the same schemas that parse requests. */
export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registeredRoutes()) {
    const path = route.fullPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Home–School Bridge API (家校心桥)', version },
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        session: { type: 'apiKey', in: 'cookie', name: 'hsb_session' },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' },
            messageZh: { type: 'string' }, messageEn: { type: 'string' },
            details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' }, messageEn: { type: 'string' }, rule: { type: 'string' } } } },
            requestId: { type: 'string' },
          },
        },
      },
    },
  };
}
