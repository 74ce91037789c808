// `node bin/run-ts.js test/support/build-s3-server.ts`: makes sure the tests' S3-compatible server is
// built (.ci/run does this before the tests, so the build does not run beside them); prints its path.
import { findS3Server } from './s3-server.ts';

process.stdout.write(`${await findS3Server({ log: (message) => process.stderr.write(`${message}\n`) })}\n`);
