import { readFile } from 'node:fs/promises';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

/** TLS towards Temporal's frontend: files of PEM text, read at start. */
export interface TemporalTls {
  /** The client's certificate and key, for a frontend that requires mutual TLS. */
  certFile?: string;
  keyFile?: string;
  /** The CA that signed the frontend's certificate; absent: the system's trusted roots. */
  caFile?: string;
  /** The name the frontend's certificate carries, when it is not the host of the address. */
  serverName?: string;
}

/** How to reach Temporal beyond its address: TLS, and an API key (Temporal Cloud). */
export interface TemporalAccess {
  tls?: TemporalTls;
  apiKey?: string;
}

async function tlsConfig(access: TemporalAccess = {}): Promise<TLSConfig | undefined> {
  const { tls, apiKey } = access;
  if (!tls) return apiKey ? {} : undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.caFile ? await readFile(tls.caFile) : undefined,
    clientCertPair:
      tls.certFile && tls.keyFile ? { crt: await readFile(tls.certFile), key: await readFile(tls.keyFile) } : undefined,
  };
}

/** A Temporal client for the API and the CLI. */
export async function connectTemporalClient(
  address: string,
  namespace: string,
  access: TemporalAccess = {},
): Promise<Client> {
  const connection = await Connection.connect({ address, tls: await tlsConfig(access), apiKey: access.apiKey });
  return new Client({ connection, namespace });
}

/** A worker's connection (the native one, used by the Rust core). */
export async function connectWorker(address: string, access: TemporalAccess = {}): Promise<NativeConnection> {
  return NativeConnection.connect({ address, tls: await tlsConfig(access), apiKey: access.apiKey });
}
