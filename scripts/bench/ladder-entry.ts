// A worker thread that answers one rung of the ladder (see ladder.ts) over its parent port.
import { parentPort, workerData } from 'node:worker_threads';
import { applyAblations, serveRung, type Ablation, type Rung } from './ladder.js';

const { rung, ablate } = workerData as { rung: Rung; ablate: Ablation[] };
applyAblations(ablate);
serveRung(rung, parentPort!);
