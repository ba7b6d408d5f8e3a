/** The models of one type: provider, abilities, a live test (answer or error shown in the row), edit, delete. */
import { useState } from 'preact/hooks';
import { Badge, Button, ConfirmButton, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useModelsT } from './i18n';
import { modelsApi, type Model, type ModelType, type Provider, type TestResult } from './types';

type TestState = { busy: true } | { busy: false; result: TestResult };

export function ModelTable({ type, models, providers, onEdit, onDeleted }: { type: ModelType; models: Model[]; providers: Provider[]; onEdit: (m: Model) => void; onDeleted: () => void }) {
  const t = useModelsT();
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const providerName = (uuid: string) => providers.find((p) => p.uuid === uuid)?.name ?? uuid;

  const runTest = async (model: Model) => {
    setTests((s) => ({ ...s, [model.uuid]: { busy: true } }));
    let result: TestResult;
    try {
      result = await modelsApi.test(type, model.uuid);
    } catch (error) {
      result = { ok: false, latency_ms: 0, error: error instanceof Error ? error.message : String(error) };
    }
    setTests((s) => ({ ...s, [model.uuid]: { busy: false, result } }));
  };

  return (
    <div class="table-wrap">
      <table class="models-table">
        <thead>
          <tr>
            <th scope="col">{t('colName')}</th>
            <th scope="col">{t('colProvider')}</th>
            <th scope="col">{t('colDetails')}</th>
            <th scope="col">{t('colTest')}</th>
            <th scope="col">
              <span class="sr-only">{t('colActions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => {
            const test = tests[model.uuid];
            return (
              <tr key={model.uuid}>
                <td>
                  <code>{model.name}</code>
                </td>
                <td>{providerName(model.provider_uuid)}</td>
                <td>
                  <div class="row">
                    {model.abilities.map((a) => (
                      <Badge key={a} tone="info">
                        {t(`ability_${a}` as 'ability_vision')}
                      </Badge>
                    ))}
                    {model.context_length ? <span class="muted small">{t('contextTokens', { n: model.context_length })}</span> : null}
                    {model.reasoning_config?.level && model.reasoning_config.level !== 'provider_default' ? (
                      <span class="muted small">
                        {t('reasoningLevel')}: {t(`level_${model.reasoning_config.level}` as 'level_low')}
                      </span>
                    ) : null}
                  </div>
                </td>
                <td class="models-test-cell">
                  <Button class="btn-small" busy={test?.busy} aria-label={t('testNamed', { name: model.name })} onClick={() => runTest(model)}>
                    {test?.busy ? t('testing') : t('test')}
                  </Button>
                  <div role="status" aria-live="polite" class="models-test-result">
                    {test && !test.busy ? <TestOutcome result={test.result} /> : null}
                  </div>
                </td>
                <td>
                  <div class="row models-actions">
                    <Button class="btn-small" variant="ghost" aria-label={t('editNamed', { name: model.name })} onClick={() => onEdit(model)}>
                      {t('edit')}
                    </Button>
                    <ConfirmButton
                      class="btn-small"
                      label={t('delete')}
                      aria-label={t('deleteModel', { name: model.name })}
                      question={t('deleteModelQuestion', { name: model.name })}
                      onConfirm={async () => {
                        await api.del(`/api/v1/provider/models/${type}/${model.uuid}`);
                        toast.ok(t('modelDeleted'));
                        onDeleted();
                      }}
                    />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function TestOutcome({ result }: { result: TestResult }) {
  const t = useModelsT();
  if (!result.ok) {
    return (
      <div class="models-test-bad">
        <strong>{t('testFailed', { ms: result.latency_ms })}</strong>
        <p>{result.error}</p>
      </div>
    );
  }
  const detail =
    result.reply !== undefined ? t('testReply', { text: result.reply }) : result.dimensions !== undefined ? t('testDimensions', { n: result.dimensions }) : result.results !== undefined ? t('testResults', { n: result.results }) : '';
  return (
    <div class="models-test-good">
      <strong>✓ {t('testOk', { ms: result.latency_ms })}</strong>
      {detail ? <p>{detail}</p> : null}
    </div>
  );
}
