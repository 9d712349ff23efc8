import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Test support: a local stand-in for api.github.com that knows only what GitHub publishes about
// itself. Every request is matched to an operation of GitHub's OpenAPI description
// (@octokit/openapi); its path parameters and JSON body are validated against it with ajv, and an
// invalid request gets 422 as GitHub answers. Behind that, just enough state for the Action's calls:
// issue comments and check runs. Not used by the product.

const SPEC_FILE = fileURLToPath(new URL('../../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url));
const COMPONENTS_ID = 'https://api.github.com/openapi/components.json';

/** GitHub refuses an issue comment body over this many characters (422, "Body is too long"). */
export const GITHUB_COMMENT_LIMIT = 65_536;

interface Operation {
  method: string;
  template: string;
  operationId: string;
  pattern: RegExp;
  names: string[];
  /** Literal segments: a more specific template wins. */
  literals: number;
  validateParams: ValidateFunction;
  validateBody?: ValidateFunction;
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  params: Record<string, string | number>;
  body?: unknown;
  authorization?: string;
  status: number;
  /** Why the request was refused as invalid, when it was. */
  errors?: string[];
}

export interface IssueComment {
  id: number;
  issue: number;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  output: { title?: string; summary?: string };
  annotations: unknown[];
}

export interface GitHubApiServer {
  url: string;
  requests: RecordedRequest[];
  comments: IssueComment[];
  checkRuns: CheckRun[];
  /** Pull requests a commit belongs to, for GET .../commits/{sha}/pulls. */
  commitPulls: Map<string, { number: number; merged_at: string | null }[]>;
  /** Answers this status (403: "Resource not accessible by integration") to every request of the operation. */
  refuse(operationId: string, status: number): void;
  close(): Promise<void>;
}

let operations: Operation[] | undefined;

/** The operations of GitHub's REST API, compiled once per process (the description is 13 MB). */
function loadOperations(): Operation[] {
  if (operations) return operations;
  const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components: { parameters: Record<string, OpenApiParameter> };
  };
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  (addFormatsModule as unknown as (ajv: Ajv) => void)(ajv);
  // The operation schemas refer to '#/components/...' of the description: the components become a
  // schema of their own, and the references are remapped to it.
  ajv.addSchema({ $id: COMPONENTS_ID, components: spec.components }, undefined, undefined, false);
  const compiled: Operation[] = [];
  for (const [template, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (typeof operation !== 'object' || !operation.operationId) continue;
      const names: string[] = [];
      const pattern = new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        })}$`,
      );
      const parameters = (operation.parameters ?? []).map((p) => ('$ref' in p ? spec.components.parameters[p.$ref.split('/').pop() as string] : p));
      const pathParameters = parameters.filter((p): p is OpenApiParameter => p?.in === 'path');
      const paramsSchema = {
        type: 'object',
        properties: Object.fromEntries(pathParameters.map((p) => [p.name, remap(p.schema)])),
        required: pathParameters.filter((p) => p.required).map((p) => p.name),
      };
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      compiled.push({
        method: method.toUpperCase(),
        template,
        operationId: operation.operationId,
        pattern,
        names,
        literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        validateParams: lazy(() => ajv.compile(paramsSchema)),
        ...(bodySchema ? { validateBody: lazy(() => ajv.compile(remap(bodySchema) as object)) } : {}),
      });
    }
  }
  compiled.sort((a, b) => b.literals - a.literals);
  operations = compiled;
  return compiled;
}

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema: unknown;
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

/** Deep copy with `#/components/...` references pointing into the components schema. */
function remap(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(remap);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${COMPONENTS_ID}${value}` : remap(value),
    ]),
  );
}

/** Compiles a validator on first use: most operations are never called. */
function lazy(compile: () => ValidateFunction): ValidateFunction {
  let fn: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    fn ??= compile();
    const ok = fn(data);
    validate.errors = fn.errors;
    return ok;
  }) as ValidateFunction;
  return validate;
}

function errorText(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

export async function startGitHubApi(): Promise<GitHubApiServer> {
  const ops = loadOperations();
  const requests: RecordedRequest[] = [];
  const comments: IssueComment[] = [];
  const checkRuns: CheckRun[] = [];
  const commitPulls = new Map<string, { number: number; merged_at: string | null }[]>();
  const refusals = new Map<string, number>();
  let nextId = 1000;

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const text = await readBody(req);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      params: {},
      status: 0,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    requests.push(record);
    const reply = (status: number, body: unknown) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const operation = ops.find((o) => o.method === method && o.pattern.test(url.pathname));
    if (!operation) return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    record.operationId = operation.operationId;
    const match = operation.pattern.exec(url.pathname) as RegExpExecArray;
    operation.names.forEach((name, i) => {
      const raw = decodeURIComponent(match[i + 1] as string);
      record.params[name] = /^\d+$/.test(raw) && !/sha|ref/.test(name) ? Number(raw) : raw;
    });
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        record.errors = ['body is not JSON'];
        return reply(400, { message: 'Problems parsing JSON' });
      }
      record.body = body;
    }
    const errors = [
      ...(operation.validateParams(record.params) ? [] : errorText(operation.validateParams.errors)),
      ...(operation.validateBody && !operation.validateBody(body ?? {}) ? errorText(operation.validateBody.errors) : []),
      ...(!operation.validateBody && body !== undefined && method !== 'GET' ? ['the operation takes no body'] : []),
    ];
    if (errors.length) {
      record.errors = errors;
      return reply(422, { message: 'Invalid request.', errors, documentation_url: 'https://docs.github.com/rest' });
    }
    const refused = refusals.get(operation.operationId);
    if (refused)
      return reply(refused, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: String(refused) });
    const { owner, repo } = record.params as { owner: string; repo: string };
    const html = (path: string) => `https://github.com/${owner}/${repo}/${path}`;
    /** What the API answers about a check run when it is created or updated. */
    const checkRunBody = (run: CheckRun) => ({
      id: run.id,
      head_sha: run.head_sha,
      name: run.name,
      status: run.status,
      conclusion: run.conclusion ?? null,
      html_url: html(`runs/${run.id}`),
    });
    const now = new Date().toISOString();
    const commentJson = (c: IssueComment) => ({
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${serverUrl()}/repos/${owner}/${repo}/issues/comments/${c.id}`,
      html_url: html(`pull/${c.issue}#issuecomment-${c.id}`),
      body: c.body,
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'NONE',
      user: null,
    });
    switch (operation.operationId) {
      case 'issues/list-comments': {
        const page = Number(url.searchParams.get('page') ?? 1);
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const all = comments.filter((c) => c.issue === record.params.issue_number);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        if (page * perPage < all.length) res.setHeader('link', `<${serverUrl()}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"`);
        return reply(200, slice.map(commentJson));
      }
      case 'issues/create-comment': {
        const text = (body as { body: string }).body;
        if (text.length > GITHUB_COMMENT_LIMIT) return tooLong();
        const comment = { id: nextId++, issue: record.params.issue_number as number, body: text, created_at: now, updated_at: now };
        comments.push(comment);
        return reply(201, commentJson(comment));
      }
      case 'issues/update-comment': {
        const comment = comments.find((c) => c.id === record.params.comment_id);
        if (!comment) return reply(404, { message: 'Not Found' });
        const text = (body as { body: string }).body;
        if (text.length > GITHUB_COMMENT_LIMIT) return tooLong();
        comment.body = text;
        comment.updated_at = now;
        return reply(200, commentJson(comment));
      }
      case 'checks/create': {
        const b = body as {
          name: string;
          head_sha: string;
          status?: string;
          conclusion?: string;
          output?: { title?: string; summary?: string; annotations?: unknown[] };
        };
        const run: CheckRun = {
          id: nextId++,
          name: b.name,
          head_sha: b.head_sha,
          status: b.conclusion ? 'completed' : (b.status ?? 'queued'),
          ...(b.conclusion ? { conclusion: b.conclusion } : {}),
          output: { ...(b.output?.title ? { title: b.output.title } : {}), ...(b.output?.summary ? { summary: b.output.summary } : {}) },
          annotations: [...(b.output?.annotations ?? [])],
        };
        checkRuns.push(run);
        return reply(201, checkRunBody(run));
      }
      case 'checks/update': {
        const run = checkRuns.find((r) => r.id === record.params.check_run_id);
        if (!run) return reply(404, { message: 'Not Found' });
        const b = body as { status?: string; conclusion?: string; output?: { annotations?: unknown[] } };
        if (b.conclusion) {
          run.conclusion = b.conclusion;
          run.status = 'completed';
        } else if (b.status) run.status = b.status;
        run.annotations.push(...(b.output?.annotations ?? []));
        return reply(200, checkRunBody(run));
      }
      case 'repos/list-pull-requests-associated-with-commit':
        return reply(
          200,
          (commitPulls.get(String(record.params.commit_sha)) ?? []).map((p) => ({ ...p, html_url: html(`pull/${p.number}`), state: 'closed' })),
        );
      default:
        return reply(501, { message: `The test server does not implement ${operation.operationId}.` });
    }

    function tooLong() {
      return reply(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
      });
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const serverUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: serverUrl(),
    requests,
    comments,
    checkRuns,
    commitPulls,
    refuse: (operationId, status) => refusals.set(operationId, status),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
