import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONNECTION_ENV } from '../packages/core/src/live/connection.js';

// The migration job (docs/migration-job.md): no Docker engine here to build the image, so the
// Dockerfile is read as Docker reads it (instructions, stages), and the Kubernetes and Helm examples
// as YAML, with the connection variables the CLI reads (core's CONNECTION_ENV) as the reference.

const root = fileURLToPath(new URL('..', import.meta.url));

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** A Dockerfile's instructions: comments dropped, `\` continuations joined. */
function readDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: Instruction | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1).trim() : line;
    if (pending) pending.args = `${pending.args} ${body}`.trim();
    else {
      const match = /^([A-Za-z]+)\s+(.*)$/.exec(body);
      if (!match) throw new Error(`Dockerfile line ${index + 1} is not an instruction: ${raw}`);
      pending = { keyword: match[1].toUpperCase(), args: match[2], line: index + 1 };
    }
    if (!continued) {
      instructions.push(pending);
      pending = undefined;
    }
  }
  return instructions;
}

/** The instructions of each stage, from its FROM to the next. */
function stagesOf(instructions: Instruction[]): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
const lowestSupported = Number(/^>=(\d+)$/.exec(engines)?.[1]);

describe('Dockerfile', () => {
  const instructions = readDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  const stages = stagesOf(instructions);
  const final = stages.at(-1) ?? [];

  it('builds on a Node LTS image the packages support, in every stage', () => {
    const images = stages.map((stage) => stage[0].args.split(/\s+/)[0]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      const major = Number(/^node:(\d+)(?:[.-][\w.-]*)?$/.exec(image)?.[1]);
      // Even majors become LTS; engines says which the packages support.
      expect({ image, lts: major % 2 === 0, supported: major >= lowestSupported }).toEqual({ image, lts: true, supported: true });
    }
    expect(lowestSupported).toBeGreaterThanOrEqual(22);
  });

  it('runs as an unprivileged user, with clickplan as its entrypoint', () => {
    const users = final.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1));
    expect(final.filter((i) => i.keyword === 'ENTRYPOINT').map((i) => JSON.parse(i.args))).toEqual([['clickplan']]);
    // The command the entrypoint names is the bundle the build stage makes.
    const link = final.find((i) => i.keyword === 'RUN' && i.args.includes('/usr/local/bin/clickplan'));
    expect(link?.args).toBe('ln -s /opt/clickplan/clickplan.js /usr/local/bin/clickplan');
    expect(final.find((i) => i.keyword === 'COPY')?.args).toBe('--from=build /src/packages/cli/dist /opt/clickplan');
  });

  it('copies only files that exist in the repository, and every workspace manifest npm ci needs', () => {
    const copies = instructions.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'));
    const sources = copies.flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.filter((source) => !existsSync(join(root, source)))).toEqual([]);
    const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    expect(workspaces.filter((w) => !sources.includes(`${w}/package.json`))).toEqual([]);
    // What the CLI's build reads: its own sources, core's, the language server's, the docs it copies.
    for (const needed of ['packages/cli', 'packages/core', 'packages/language-server', 'docs/rules', 'docs/errors', 'scripts/publishManifest.ts', 'LICENSE'])
      expect(sources).toContain(needed);
  });

  it("'s build stage, run from exactly the files it copies, makes the bundle the final stage runs", () => {
    // Docker's COPY: a directory's contents go to the destination; a file goes into a destination
    // ending in `/`. `npm ci` is the one step not repeated: the repository's node_modules stand in.
    const [build] = stages;
    const workdir = mkdtempSync(join(tmpdir(), 'clickplan-docker-'));
    try {
      for (const copy of build.filter((i) => i.keyword === 'COPY')) {
        const parts = copy.args.split(/\s+/);
        const destination = parts.at(-1) as string;
        for (const source of parts.slice(0, -1)) {
          const into =
            destination.endsWith('/') && !statSync(join(root, source)).isDirectory()
              ? join(workdir, destination, basename(source))
              : join(workdir, destination);
          mkdirSync(dirname(into), { recursive: true });
          cpSync(join(root, source), into, { recursive: true, filter: (path) => !path.includes('/node_modules') && !path.includes('/dist') });
        }
      }
      symlinkSync(join(root, 'node_modules'), join(workdir, 'node_modules'), 'dir');
      for (const run of build.filter((i) => i.keyword === 'RUN' && !i.args.startsWith('npm ci'))) {
        const result = spawnSync('sh', ['-c', run.args], { cwd: workdir, encoding: 'utf8' });
        expect(result.status, `${run.args}: ${result.stderr}`).toBe(0);
      }
      const bundle = join(workdir, 'packages/cli/dist/clickplan.js');
      const version = spawnSync(process.execPath, [bundle, '--version'], { encoding: 'utf8' });
      const { version: expected } = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string };
      expect({ code: version.status, stdout: version.stdout }).toEqual({ code: 0, stdout: `${expected}\n` });
    } finally {
      rmSync(workdir, { recursive: true, force: true });
    }
  }, 120_000);

  it('leaves chDB out: the job deploys to a server', () => {
    expect(instructions.filter((i) => /chdb/i.test(i.args))).toEqual([]);
    expect(stages[0].find((i) => i.keyword === 'RUN' && i.args.startsWith('npm run build'))?.args).toBe('npm run build -w packages/cli');
  });
});

describe('docs/examples', () => {
  const connectionVariables = Object.values(CONNECTION_ENV).sort();

  for (const file of ['kubernetes-job.yaml', 'helm-pre-upgrade-hook.yaml']) {
    describe(file, () => {
      const job = parse(readFileSync(join(root, 'docs/examples', file), 'utf8'), { prettyErrors: true });

      it('is a Job that runs clickplan apply once, as an unprivileged user', () => {
        expect([job.apiVersion, job.kind]).toEqual(['batch/v1', 'Job']);
        expect(job.spec.backoffLimit).toBe(0);
        expect(job.spec.template.spec.restartPolicy).toBe('Never');
        expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
        const [container] = job.spec.template.spec.containers;
        expect(container.args.slice(0, 2)).toEqual(['apply', '.']);
      });

      it("passes the connection in the CLI's variables, the password from a Secret", () => {
        const [container] = job.spec.template.spec.containers as { env: { name: string; value?: string; valueFrom?: unknown }[] }[];
        expect(container.env.map((e) => e.name).sort()).toEqual(connectionVariables);
        const password = container.env.find((e) => e.name === CONNECTION_ENV.password);
        expect(password?.value).toBeUndefined();
        expect(password?.valueFrom).toHaveProperty('secretKeyRef');
      });
    });
  }

  it('helm-pre-upgrade-hook.yaml runs before an install or upgrade changes anything else', () => {
    const job = parse(readFileSync(join(root, 'docs/examples/helm-pre-upgrade-hook.yaml'), 'utf8'));
    expect(job.metadata.annotations['helm.sh/hook'].split(',')).toEqual(['pre-install', 'pre-upgrade']);
    expect(job.metadata.annotations['helm.sh/hook-delete-policy']).toBe('before-hook-creation,hook-succeeded');
  });
});
