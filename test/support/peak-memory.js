// Preloaded into a command under test: prints the process's peak resident memory as it exits,
// so a test can hold a reader to its memory budget without timing or sampling anything.
process.on('exit', () => process.stderr.write(`\npeak-rss-kib=${process.resourceUsage().maxRSS}\n`));
