import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { Header } from './Header.js';

/**
 * The first frame, drawn while the session reads the account (seconds against AWS): the header and
 * what is being read. No keys are read here: keys typed now wait in the terminal for the dashboard.
 */
export function Opening(): ReactNode {
  return (
    <Box flexDirection="column">
      <Header />
      <Text dimColor>Reading the load balancer and the web servers…</Text>
    </Box>
  );
}
