/** MCP servers: the list and one server's page. */
import type { PageRoute } from '../types';
import { McpDetail } from './detail';
import { McpList } from './list';

export const mcpRoutes: PageRoute[] = [
  { pattern: '/mcp', render: () => <McpList /> },
  { pattern: '/mcp/:uuid', render: ({ uuid }) => <McpDetail key={uuid} uuid={uuid} /> },
];
