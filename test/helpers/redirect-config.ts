import type { RedirectConfig } from '../../src/ports/index.js';

/** A redirect config as a target group with AWS's defaults gives it (HTTP:80, GET / with matcher 200). */
export function sampleRedirect(overrides: Partial<RedirectConfig> = {}): RedirectConfig {
  return {
    server: 'nginx',
    targetUrl: 'https://maintenance.example.com/',
    statusCode: 302,
    keepPath: false,
    keepQuery: false,
    traffic: { port: 80, protocol: 'HTTP' },
    healthCheck: { port: 80, protocol: 'HTTP', path: '/', status: 200 },
    preinstalled: false,
    ...overrides,
  };
}
