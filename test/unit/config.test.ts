import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../runtime/config.ts';

describe('configuration', () => {
  it('needs nothing: everything has a default and the services are embedded', () => {
    const config = loadConfig({}, '/srv/dondoc');
    expect(config).toMatchObject({
      port: 3000,
      temporalNamespace: 'default',
      taskQueue: 'dondoc',
      dataDir: '/srv/dondoc/.data',
      temporalUiPort: 8233,
    });
    expect(config.temporalAddress).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads the addresses of real services', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      DATABASE_URL: 'postgres://u@db/dondoc',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      temporalAddress: 'temporal:7233',
      databaseUrl: 'postgres://u@db/dondoc',
      port: 8080,
    });
  });

  it('refuses a port that is not one, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it.each([
    'changeme',
    'dd_0000000000000000000000000000000000',
    'dd_short-token-123',
    'dd_with spaces and ümlauts 0123456789abcdef',
  ])('refuses a weak DONDOC_BOOTSTRAP_TOKEN (%j), naming the variable', (token) => {
    expect(() => loadConfig({ DONDOC_BOOTSTRAP_TOKEN: token })).toThrow(/DONDOC_BOOTSTRAP_TOKEN/);
  });

  it('takes a strong DONDOC_BOOTSTRAP_TOKEN', () => {
    const token = 'dd_Q2hvIFPhu58gTuG7mWkgduG7pSBo4buNYyB0w6Fw';
    expect(loadConfig({ DONDOC_BOOTSTRAP_TOKEN: token }).bootstrapToken).toBe(token);
  });

  it('migrates at start unless told not to, and refuses a flag that is not one', () => {
    expect(loadConfig({}).migrateAtStart).toBe(true);
    expect(loadConfig({ DONDOC_MIGRATE_AT_START: 'false' }).migrateAtStart).toBe(false);
    expect(() => loadConfig({ DONDOC_MIGRATE_AT_START: 'sometimes' })).toThrow(/DONDOC_MIGRATE_AT_START/);
  });

  it('believes no reverse proxy unless TRUST_PROXY names them, and refuses a hop count or a typo', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'loopback',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/hop count/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY: "10.0.0.0\/33"/);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example' })).toThrow(ConfigError);
  });

  it('refuses DONDOC_EMBEDDED_DB_PORT, saying the embedded database is on a socket now', () => {
    expect(() => loadConfig({ DONDOC_EMBEDDED_DB_PORT: '54329' })).toThrow(/Unix socket in DONDOC_DATA_DIR/);
  });

  it('serves the interactive API documentation only when DONDOC_API_DOCS=true', () => {
    expect(loadConfig({}).apiDocs).toBe(false);
    expect(loadConfig({ DONDOC_API_DOCS: 'true' }).apiDocs).toBe(true);
  });

  it('serves the worker health endpoints only when given a port', () => {
    expect(loadConfig({}).workerHealthPort).toBeUndefined();
    expect(loadConfig({ DONDOC_WORKER_HEALTH_PORT: '3001' }).workerHealthPort).toBe(3001);
  });

  it('reads TLS towards Temporal, and wants the client certificate and its key together', () => {
    expect(loadConfig({}).temporalAccess).toEqual({});
    expect(
      loadConfig({
        TEMPORAL_TLS_CLIENT_CERT_PATH: '/tls/client.crt',
        TEMPORAL_TLS_CLIENT_KEY_PATH: '/tls/client.key',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/tls/ca.crt',
      }).temporalAccess,
    ).toEqual({ tls: { certFile: '/tls/client.crt', keyFile: '/tls/client.key', caFile: '/tls/ca.crt' } });
    expect(loadConfig({ TEMPORAL_API_KEY: 'k' }).temporalAccess).toEqual({ apiKey: 'k' });
    expect(loadConfig({ TEMPORAL_TLS: 'true' }).temporalAccess).toEqual({ tls: {} });
    expect(() => loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/tls/client.crt' })).toThrow(
      /TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
  });

  it('reads where mail goes, the sender and the public address once', () => {
    const none = loadConfig({}, '/srv/dondoc').delivery;
    expect(none).toEqual({
      mailFrom: 'Đôn đốc <dondoc@localhost>',
      smtpConnections: 10,
      publicUrl: 'http://localhost:3000',
      retryWindowMs: 24 * 3_600_000,
      maxBackoffMs: 600_000,
      pollIntervalMs: 5000,
      smtpUrl: undefined,
      webhookAllow: [],
    });
    const set = loadConfig({
      SMTP_URL: 'smtps://dondoc:secret@mail.example.gov.vn:465',
      MAIL_FROM: 'Đôn đốc <dondoc@snv.example.gov.vn>',
      PUBLIC_URL: 'https://dondoc.example.gov.vn/',
      DONDOC_DELIVERY_RETRY_HOURS: '48',
      SMTP_MAX_CONNECTIONS: '4',
    }).delivery;
    expect(set).toMatchObject({
      smtpUrl: 'smtps://dondoc:secret@mail.example.gov.vn:465',
      smtpConnections: 4,
      publicUrl: 'https://dondoc.example.gov.vn',
      retryWindowMs: 48 * 3_600_000,
    });
  });

  it('refuses a mail server that is not smtp(s) without repeating its password', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://user:secret@mail' })).toThrow(/SMTP_URL must start with smtp:/);
    expect(() => loadConfig({ SMTP_URL: 'not a url secret' })).toThrow(/^SMTP_URL is not a URL$/);
    expect(() => loadConfig({ MAIL_FROM: 'dondoc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
  });

  it('keeps deliverable files in the data directory unless FILE_STORAGE_URL names a bucket', () => {
    expect(loadConfig({}, '/srv/dondoc').fileStorage).toEqual({ kind: 'directory', dir: '/srv/dondoc/.data/files' });
    expect(loadConfig({ DONDOC_DATA_DIR: '/var/lib/dondoc' }).fileStorage).toEqual({
      kind: 'directory',
      dir: '/var/lib/dondoc/files',
    });
  });

  it('reads an S3-compatible bucket: by path with an endpoint of its own, by host name on AWS', () => {
    expect(
      loadConfig({
        FILE_STORAGE_URL: 's3://dondoc-files/vinh-phuc/deliverables/',
        S3_ENDPOINT: 'https://s3.example.vn/',
        S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        S3_SECRET_ACCESS_KEY: 'secret-example',
      }).fileStorage,
    ).toEqual({
      kind: 's3',
      bucket: 'dondoc-files',
      prefix: 'vinh-phuc/deliverables',
      endpoint: 'https://s3.example.vn',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' },
    });
    expect(loadConfig({ FILE_STORAGE_URL: 's3://dondoc-files', S3_REGION: 'ap-southeast-1' }).fileStorage).toEqual({
      kind: 's3',
      bucket: 'dondoc-files',
      prefix: '',
      region: 'ap-southeast-1',
      forcePathStyle: false,
    });
    expect(
      loadConfig({ FILE_STORAGE_URL: 's3://b01/x', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'false' })
        .fileStorage,
    ).toMatchObject({ forcePathStyle: false });
  });

  it.each([
    [{ FILE_STORAGE_URL: '/mnt/files' }, /FILE_STORAGE_URL must be s3:\/\/bucket/],
    [{ FILE_STORAGE_URL: 's3://dondoc-files' }, /S3_REGION is needed for AWS S3/],
    [{ FILE_STORAGE_URL: 's3://b01', S3_ENDPOINT: 'ftp://x' }, /S3_ENDPOINT must start with http:\/\/ or https:\/\//],
    [{ FILE_STORAGE_URL: 's3://b01', S3_REGION: 'r', S3_ACCESS_KEY_ID: 'k' }, /go together/],
    [{ FILE_STORAGE_URL: 's3://b01', S3_REGION: 'r', S3_SECRET_ACCESS_KEY: 'SeCrEt' }, /go together/],
    [{ FILE_STORAGE_URL: 's3://b01', S3_REGION: 'r', S3_FORCE_PATH_STYLE: 'maybe' }, /S3_FORCE_PATH_STYLE/],
    [{ S3_ENDPOINT: 'http://minio:9000', S3_SECRET_ACCESS_KEY: 'SeCrEt' }, /S3_ENDPOINT, S3_SECRET_ACCESS_KEY are set/],
  ])('refuses incomplete or misplaced file storage settings (%j), naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a secret written by mistake into FILE_STORAGE_URL or S3_ENDPOINT', () => {
    for (const env of [
      { FILE_STORAGE_URL: 's3://AKIA:SeCrEt@dondoc-files', S3_REGION: 'r' },
      { FILE_STORAGE_URL: 's3://dondoc-files', S3_ENDPOINT: 'https://AKIA:SeCrEt@s3.example.vn' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).not.toThrow(/SeCrEt/);
    }
  });

  it('reads the webhook allow list and the event stream ceiling, and refuses a bad range at start', () => {
    expect(loadConfig({}).delivery.webhookAllow).toEqual([]);
    expect(loadConfig({}).maxEventStreams).toBe(500);
    const config = loadConfig({ DONDOC_WEBHOOK_ALLOW: '10.20.0.0/16, fd12:3456::/48', DONDOC_MAX_EVENT_STREAMS: '50' });
    expect(config.delivery.webhookAllow.map((r) => r.text)).toEqual(['10.20.0.0/16', 'fd12:3456::/48']);
    expect(config.maxEventStreams).toBe(50);
    for (const [value, message] of [
      ['intranet', /DONDOC_WEBHOOK_ALLOW is a comma-separated list.*"intranet" is not an IPv4 or IPv6 range/],
      ['10.20.1.0/16', /DONDOC_WEBHOOK_ALLOW.*bits set beyond its prefix/],
      ['10.0.0.0/40', /DONDOC_WEBHOOK_ALLOW.*0 to 32/],
    ] as const)
      expect(() => loadConfig({ DONDOC_WEBHOOK_ALLOW: value })).toThrow(message);
    expect(() => loadConfig({ DONDOC_MAX_EVENT_STREAMS: '0' })).toThrow(/DONDOC_MAX_EVENT_STREAMS/);
  });
});
