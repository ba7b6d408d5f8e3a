import { inprocessHost } from '../../kernel/hosts/inprocess-host.js';
import { isolateHost } from '../../kernel/hosts/isolate-host.js';
import { processHost } from '../../kernel/hosts/process-host.js';
import { workerHost } from '../../kernel/hosts/worker-host.js';
import { hostTarget } from '../support/host-target.js';
import { describeRpcConformance } from './rpc-suite.js';

describeRpcConformance('inprocess host', () => hostTarget(inprocessHost), { framed: false });
describeRpcConformance('worker host', () => hostTarget(workerHost));
describeRpcConformance('process host', () => hostTarget(processHost));
describeRpcConformance('isolate host', () => hostTarget(isolateHost));
