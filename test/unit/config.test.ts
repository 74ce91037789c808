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
});
