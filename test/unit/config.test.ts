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
});
