// Preloaded into the CLI by the site tests: prints the process's peak resident set on exit.
process.on('exit', () => process.stderr.write(`max-rss-mb ${Math.round(process.resourceUsage().maxRSS / 1024)}\n`));
