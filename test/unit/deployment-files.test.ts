import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  CLUSTER_NAMESPACE,
  NAMESPACE_RETENTION_HOURS,
  NUM_HISTORY_SHARDS,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SQL_MAX_CONNS,
  TEMPORAL_VISIBILITY_MAX_CONNS,
  WORKER_NODE_FLAGS,
} from '../../cluster/settings.ts';

// No Docker engine or Kubernetes cluster runs these files here: this reads them as one would, and
// holds them to what README.md promises of them.
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An image named by an exact version (or a digest): never `latest`, never a bare major. */
function pinned(image: string): boolean {
  const [name, digest] = image.split('@');
  if (digest) return /^sha256:[0-9a-f]{64}$/.test(digest);
  const tag = name!.includes(':') ? name!.slice(name!.lastIndexOf(':') + 1) : '';
  return /^v?\d+\.\d+(\.\d+)?([.-][A-Za-z0-9.-]+)?$/.test(tag);
}

/** A value no one would mistake for a real secret. */
const placeholder = (value: string) => value.includes('CHANGE-ME');

const compose = parse(read('docker-compose.yml'), { merge: true }) as Doc;
const services = compose.services as Record<string, Doc>;
const databaseUser = (url: string) => new URL(url.replace(/\$\{[^}]*\}/g, 'x')).username;

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, the Temporal schema job, the server, the namespace job, the UI, and our migrate job, API and worker', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'migrate',
        'postgres',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(services.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-namespace']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(services.migrate!.command).toEqual(['node', 'bin/dondoc.js', 'migrate']);
  });

  it('pins every image to an exact version, and builds ours once, from the Dockerfile, under one name', () => {
    for (const [name, service] of Object.entries(services)) expect(pinned(service.image), name).toBe(true);
    const building = Object.entries(services).filter(([, service]) => service.build);
    expect(building.map(([name]) => name)).toEqual(['migrate']);
    const ours = services.migrate!.image;
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    expect(ours).toBe(`dondoc:${version}`);
    for (const name of ['api', 'worker']) {
      expect(services[name]!.image).toBe(ours);
      expect(services[name]!.pull_policy).toBe('never');
    }
  });

  it('starts each part when what it needs is done: schemas before the server, migrations and the namespace before ours', () => {
    const after = (name: string, dependency: string) => services[name]!.depends_on?.[dependency]?.condition;
    expect(after('temporal-schema', 'postgres')).toBe('service_healthy');
    expect(after('temporal', 'temporal-schema')).toBe('service_completed_successfully');
    expect(after('temporal-namespace', 'temporal')).toBe('service_started');
    expect(after('temporal-ui', 'temporal-namespace')).toBe('service_completed_successfully');
    expect(after('migrate', 'postgres')).toBe('service_healthy');
    for (const name of ['api', 'worker']) {
      expect(after(name, 'migrate')).toBe('service_completed_successfully');
      expect(after(name, 'temporal-namespace')).toBe('service_completed_successfully');
    }
  });

  it("publishes nothing beyond this host: Temporal's frontend and UI on 127.0.0.1, PostgreSQL not at all", () => {
    for (const [name, service] of Object.entries(services))
      for (const port of (service.ports ?? []) as string[]) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    expect(services.postgres!.ports).toBeUndefined();
    expect(services.temporal!.ports).toEqual(['127.0.0.1:7233:7233']);
    expect(services['temporal-ui']!.ports).toEqual(['127.0.0.1:8080:8080']);
  });

  it('gives Temporal and Đôn đốc their own database users, and ours the least: the owner migrates, the rest only reads and writes', () => {
    const temporalUser = services.temporal!.environment.POSTGRES_USER;
    expect(services['temporal-schema']!.environment.SQL_USER).toBe(temporalUser);
    const owner = databaseUser(services.migrate!.environment.DATABASE_URL);
    const app = databaseUser(services.api!.environment.DATABASE_URL);
    expect(databaseUser(services.worker!.environment.DATABASE_URL)).toBe(app);
    expect(new Set([temporalUser, owner, app, services.postgres!.environment.POSTGRES_USER]).size).toBe(4);
    expect(services.api!.environment.DONDOC_MIGRATE_AT_START).toBe('false');
    expect(services.worker!.environment.DONDOC_MIGRATE_AT_START).toBe('false');
    // The roles themselves: made by the init script, with the same names.
    const init = read('deploy/compose/postgres-init.sh');
    for (const [variable, role] of [
      ['temporal_role', temporalUser],
      ['dondoc_owner_role', owner],
      ['dondoc_app_role', app],
    ])
      expect(init).toContain(`-v ${variable}=${role}`);
    const sql = read('deploy/compose/postgres-init.sql');
    expect(sql).toContain('grant select, insert, update, delete on tables to :"dondoc_app_role"');
    expect(sql).not.toMatch(/grant (all|create)[^;]*dondoc_app_role/i);
  });

  it('holds no secret: every password and token comes from .env, whose example has placeholders only', () => {
    const environments = Object.values(services).map(
      (service) => (service.environment ?? {}) as Record<string, unknown>,
    );
    for (const environment of environments)
      for (const [key, value] of Object.entries(environment)) {
        if (/PASSWORD|PWD|TOKEN|SECRET/.test(key)) expect(String(value), key).toMatch(/^\$\{[A-Z_]+:\?[^}]*\}$/);
        if (key === 'DATABASE_URL') expect(String(value), key).toMatch(/^postgres:\/\/\w+:\$\{[A-Z_]+:\?[^}]*\}@/);
      }
    const example = read('deploy/compose/env.example')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(example.length).toBeGreaterThan(0);
    for (const line of example) expect(line).toMatch(/^[A-Z_]+=CHANGE-ME$/);
  });

  it('mounts only files that exist', () => {
    for (const service of Object.values(services))
      for (const volume of (service.volumes ?? []) as string[])
        if (volume.startsWith('./')) expect(existsSync(join(root, volume.split(':')[0]!)), volume).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds on an exact Node.js LTS version (24) on Debian, with production dependencies only, as the unprivileged user', () => {
    expect(dockerfile).toMatch(/^FROM node:24\.\d+\.\d+-bookworm-slim$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });

  it('copies every folder the processes load, and no test', () => {
    const copied = [...new Set([...dockerfile.matchAll(/^COPY (\S+) \.\/\S+$/gm)].map((m) => m[1]))];
    expect(copied.sort()).toEqual(
      [
        'activities',
        'api',
        'bin',
        'cli',
        'data',
        'db',
        'domain',
        'processes',
        'runtime',
        'services',
        'web',
        'worker',
        'workflows',
      ].sort(),
    );
  });

  it('leaves Node 20.19 possible outside the image (package.json engines)', () => {
    expect((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node).toBe('>=20.19');
  });
});

describe('deploy/kubernetes', () => {
  const dir = 'deploy/kubernetes';
  const files = readdirSync(join(root, dir)).filter((f) => f.endsWith('.yaml') && f !== 'temporal-values.yaml');
  const docs = files.flatMap((file) =>
    parseAllDocuments(read(join(dir, file))).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return { file, doc: doc.toJS() as Doc };
    }),
  );
  const of = (kind: string) => docs.filter(({ doc }) => doc.kind === kind).map(({ doc }) => doc);
  const secrets = of('Secret');
  const secretKeys = new Set(
    secrets.flatMap((s) => Object.keys({ ...s.stringData, ...s.data }).map((k) => `${s.metadata.name}/${k}`)),
  );
  const configMaps = new Set(of('ConfigMap').map((c) => c.metadata.name));
  const deployments: Record<string, Doc> = Object.fromEntries(of('Deployment').map((d) => [d.metadata.name, d]));
  const podSpecs = [...of('Deployment'), ...of('Job')].map((d) => ({
    name: d.metadata.name,
    spec: d.spec.template.spec,
  }));

  it('has well-formed resources, all in the namespace dondoc', () => {
    expect(files.sort()).toEqual(
      ['api.yaml', 'configmap.yaml', 'migrate-job.yaml', 'namespace.yaml', 'secret.example.yaml', 'worker.yaml'].sort(),
    );
    for (const { file, doc } of docs) {
      expect(doc.apiVersion, file).toBeTruthy();
      expect(doc.kind, file).toBeTruthy();
      expect(doc.metadata?.name, file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace, file).toBe('dondoc');
    }
  });

  it('runs the API and the worker as Deployments with replicas, both probes, and resources', () => {
    expect(Object.keys(deployments).sort()).toEqual(['dondoc-api', 'dondoc-worker']);
    for (const deployment of Object.values(deployments)) {
      const name = deployment.metadata.name;
      expect(deployment.spec.replicas, name).toBeGreaterThanOrEqual(2);
      const labels = deployment.spec.template.metadata.labels;
      expect(labels, name).toMatchObject(deployment.spec.selector.matchLabels);
      const [container] = deployment.spec.template.spec.containers;
      const portNames = (container.ports ?? []).map((p: Doc) => p.name);
      expect(container.livenessProbe.httpGet.path, name).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path, name).toBe('/readyz');
      expect(portNames, name).toContain(container.livenessProbe.httpGet.port);
      expect(portNames, name).toContain(container.readinessProbe.httpGet.port);
      expect(container.resources.requests.cpu, name).toBeTruthy();
      expect(container.resources.requests.memory, name).toBeTruthy();
      expect(container.resources.limits.memory, name).toBeTruthy();
    }
    expect(deployments['dondoc-api']!.spec.template.spec.containers[0].command).toContain('api');
    expect(deployments['dondoc-worker']!.spec.template.spec.containers[0].command).toContain('worker');
  });

  it('pins every image, runs every pod as a non-root user, and reads only secrets and settings that are defined', () => {
    for (const { name, spec } of podSpecs) {
      expect(spec.securityContext.runAsNonRoot, name).toBe(true);
      for (const container of spec.containers) {
        expect(pinned(container.image), `${name}: ${container.image}`).toBe(true);
        expect(container.resources?.requests, name).toBeTruthy();
        expect(container.securityContext.allowPrivilegeEscalation, name).toBe(false);
        for (const from of container.envFrom ?? []) expect(configMaps.has(from.configMapRef.name), name).toBe(true);
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) expect(secretKeys.has(`${ref.name}/${ref.key}`), `${name}: ${variable.name}`).toBe(true);
        }
      }
    }
  });

  it('migrates in a Job as the database owner, while the API and the worker run as the application role without migrating', () => {
    const [job] = of('Job');
    const [container] = job!.spec.template.spec.containers;
    expect(container.command).toContain('migrate');
    const databaseKey = (c: Doc) => c.env.find((v: Doc) => v.name === 'DATABASE_URL').valueFrom.secretKeyRef.key;
    expect(databaseKey(container)).toBe('owner-database-url');
    for (const deployment of Object.values(deployments))
      expect(databaseKey(deployment.spec.template.spec.containers[0])).toBe('app-database-url');
    const [config] = of('ConfigMap');
    expect(config!.data.DONDOC_MIGRATE_AT_START).toBe('false');
    const secret = secrets.find((s) => s.metadata.name === 'dondoc-secrets')!;
    expect(databaseUser(secret.stringData['owner-database-url'])).not.toBe(
      databaseUser(secret.stringData['app-database-url']),
    );
  });

  it('exposes the API by an internal Service that selects its pods', () => {
    const [service] = of('Service');
    expect(service!.spec.type).toBe('ClusterIP');
    expect(deployments['dondoc-api']!.spec.template.metadata.labels).toMatchObject(service!.spec.selector);
  });

  it('holds no secret but obvious placeholders', () => {
    for (const secret of secrets)
      for (const [key, value] of Object.entries({ ...secret.stringData, ...secret.data }))
        expect(placeholder(String(value)), `${secret.metadata.name}/${key}`).toBe(true);
    for (const config of of('ConfigMap'))
      for (const [key, value] of Object.entries(config.data as Record<string, string>))
        expect(String(value), key).not.toMatch(/:\/\/[^/\s]*:[^@\s]*@/);
  });
});

describe("deploy/kubernetes/temporal-values.yaml (Temporal's Helm chart)", () => {
  const values = parse(read('deploy/kubernetes/temporal-values.yaml')) as Doc;

  it('pins the images, persists as its own role, requires mutual TLS on the frontend and keeps the UI inside', () => {
    for (const part of [values.server, values.admintools, values.web])
      expect(pinned(`${part.image.repository}:${part.image.tag}`)).toBe(true);
    const stores = values.server.config.persistence.datastores;
    for (const store of [stores.default.sql, stores.visibility.sql]) {
      expect(store.user).toBe('temporal');
      expect(store.password).toBeUndefined();
      expect(store.existingSecret).toBeTruthy();
    }
    expect(values.server.tls.frontend).toMatchObject({ enabled: true, requireClientAuth: true });
    expect(values.server.config.namespaces.namespace.map((n: Doc) => n.name)).toContain('dondoc');
    expect(values.web.ingress.enabled).toBe(false);
    expect(values.web.service.type).toBe('ClusterIP');
  });
});

describe('what a province deploys is what `npm run cluster` runs (cluster/settings.ts)', () => {
  const values = parse(read('deploy/kubernetes/temporal-values.yaml')) as Doc;
  const temporal = services.temporal!;

  it('the same Temporal server version in the compose file, its tools and the Helm values', () => {
    const tag = (image: string) => image.slice(image.lastIndexOf(':') + 1);
    expect(tag(temporal.image)).toBe(TEMPORAL_SERVER_VERSION);
    expect(tag(services['temporal-schema']!.image)).toBe(TEMPORAL_SERVER_VERSION);
    expect(tag(services['temporal-namespace']!.image)).toBe(TEMPORAL_SERVER_VERSION);
    expect(values.server.image.tag).toBe(TEMPORAL_SERVER_VERSION);
    expect(values.admintools.image.tag).toBe(TEMPORAL_SERVER_VERSION);
    expect(read('deploy/kubernetes/temporal-values.yaml')).toContain(`Temporal server ${TEMPORAL_SERVER_VERSION}`);
  });

  it('the same history shards and PostgreSQL connections per Temporal process', () => {
    expect(Number(temporal.environment.NUM_HISTORY_SHARDS)).toBe(NUM_HISTORY_SHARDS);
    expect(values.server.config.persistence.numHistoryShards).toBe(NUM_HISTORY_SHARDS);
    expect(Number(temporal.environment.SQL_MAX_CONNS)).toBe(TEMPORAL_SQL_MAX_CONNS);
    expect(Number(temporal.environment.SQL_MAX_IDLE_CONNS)).toBe(TEMPORAL_SQL_MAX_CONNS);
    expect(Number(temporal.environment.SQL_VIS_MAX_CONNS)).toBe(TEMPORAL_VISIBILITY_MAX_CONNS);
    expect(Number(temporal.environment.SQL_VIS_MAX_IDLE_CONNS)).toBe(TEMPORAL_VISIBILITY_MAX_CONNS);
    const stores = values.server.config.persistence.datastores;
    expect(stores.default.sql).toMatchObject({
      maxConns: TEMPORAL_SQL_MAX_CONNS,
      maxIdleConns: TEMPORAL_SQL_MAX_CONNS,
    });
    expect(stores.visibility.sql).toMatchObject({
      maxConns: TEMPORAL_VISIBILITY_MAX_CONNS,
      maxIdleConns: TEMPORAL_VISIBILITY_MAX_CONNS,
    });
  });

  it('the same dynamic configuration file and namespace retention', () => {
    // The cluster's processes read deploy/compose/dynamicconfig.yaml itself.
    expect(temporal.volumes).toContain(
      './deploy/compose/dynamicconfig.yaml:/etc/temporal/config/dynamicconfig/dondoc.yaml:ro',
    );
    expect(temporal.environment.DYNAMIC_CONFIG_FILE_PATH).toBe('/etc/temporal/config/dynamicconfig/dondoc.yaml');
    expect(services['temporal-namespace']!.environment.TEMPORAL_NAMESPACE_RETENTION).toBe(
      `${NAMESPACE_RETENTION_HOURS}h`,
    );
    const namespace = (values.server.config.namespaces.namespace as Doc[]).find((n) => n.name === CLUSTER_NAMESPACE);
    expect(namespace?.retention).toBe(`${NAMESPACE_RETENTION_HOURS / 24}d`);
  });

  it("the same Node flags for a worker (its heap's limit) in package.json's script, the compose file and Kubernetes", () => {
    const worker = ['node', ...WORKER_NODE_FLAGS, 'bin/dondoc.js', 'worker'];
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.worker).toBe(worker.join(' '));
    expect(services.worker!.command).toEqual(worker);
    const manifest = parseAllDocuments(read('deploy/kubernetes/worker.yaml')).map((d) => d.toJS() as Doc);
    const deployment = manifest.find((d) => d.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0].command).toEqual(worker);
  });
});
