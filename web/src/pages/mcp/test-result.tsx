/** What a connection test found: the tools on success, the error and the connection log on failure. */
import { Dialog, Button } from '../../components/ui';
import { useMcpT } from './i18n';
import type { TestResult } from './model';

export function TestResultView({ result }: { result: TestResult }) {
  const t = useMcpT();
  if (!result.ok) {
    return (
      <div class="stack" data-testid="mcp-test-result">
        <div class="state error" role="alert">
          <strong>{t('testFailed', { ms: result.latency_ms })}</strong>
          <p>{result.error}</p>
        </div>
        {result.logs?.length ? (
          <div class="stack">
            <h3 class="mcp-h3">{t('testLogs')}</h3>
            <div class="log-view" tabIndex={0} role="log" aria-label={t('testLogs')}>
              {result.logs.map((entry, i) => (
                <div class="log-line" key={i}>
                  {entry.line}
                </div>
              ))}
            </div>
          </div>
        ) : null}
      </div>
    );
  }
  return (
    <div class="stack" data-testid="mcp-test-result">
      <p class="mcp-ok" role="status">
        {t('testOk', { ms: result.latency_ms, tools: result.tools.length, resources: result.resources })}
      </p>
      {result.tools.length === 0 ? (
        <p class="muted">{t('noTools')}</p>
      ) : (
        <ul class="mcp-tool-list">
          {result.tools.map((tool) => (
            <li key={tool.name}>
              <code>{tool.name}</code>
              {tool.description ? <span class="muted"> — {tool.description}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function TestDialog({ name, result, onClose }: { name: string; result: TestResult | null; onClose: () => void }) {
  const t = useMcpT();
  return (
    <Dialog title={t('testTitle', { name })} open={result !== null} onClose={onClose} footer={<Button onClick={onClose}>{t('close')}</Button>}>
      {result ? <TestResultView result={result} /> : null}
    </Dialog>
  );
}
