// Fallback for the cold-start measurement while dist/langbot.mjs can't be built: starts the kernel the way
// `langbot start --profile core --no-watch` does and prints 'Kernel ready'. Usage: coldstart.mjs <dataDir>
import { Kernel } from '../../kernel/kernel.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: coldstart.mjs <dataDir>');
const kernel = await Kernel.start({ dataDir, profile: 'core', watch: false });
process.stdout.write('Kernel ready\n');
const stop = () => void kernel.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
