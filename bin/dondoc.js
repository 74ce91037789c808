#!/usr/bin/env -S node --max-semi-space-size=32
// --max-semi-space-size=32 (also in package.json's scripts, the Dockerfile and docker-compose.yml):
// the API makes a few short-lived objects per request, and V8's default young generation fills
// every few milliseconds under load; a larger one halves the API's p99 (BENCHMARKS.md, api-reads).
// The command line runs the TypeScript sources directly through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
