/**
 * One metadata section (trigger / safety / ai / output): a card per stage with its generated form. In the AI
 * section only the runner stage and the chosen runner's own stage are shown.
 */
import { DynamicForm, withDefaults } from '../../components/form';
import { Card } from '../../components/ui';
import { useLocalized } from '../../lib/i18n';
import { usePipelinesT } from './i18n';
import { runnerOf, type PipelineConfig, type SectionMeta } from './types';

export function SectionPanel({ section, config, onChange }: { section: SectionMeta; config: PipelineConfig; onChange: (next: PipelineConfig) => void }) {
  const t = usePipelinesT();
  const l = useLocalized();
  const values = config[section.name] ?? {};
  const runner = runnerOf(config);
  const stages = section.name === 'ai' ? section.stages.filter((s) => s.name === 'runner' || s.name === runner) : section.stages;
  const set = (stage: string, value: Record<string, unknown>) => onChange({ ...config, [section.name]: { ...values, [stage]: value } });
  return (
    <div class="stack">
      {section.name === 'ai' ? <p class="muted small">{t('runnerStageHint')}</p> : null}
      {stages.map((stage) => {
        const empty = Object.keys(stage.form.properties ?? {}).length === 0;
        return (
          <Card key={stage.name} class="pipeline-stage" aria-labelledby={`stage-${section.name}-${stage.name}`} data-stage={stage.name}>
            <div class="card-head">
              <h2 id={`stage-${section.name}-${stage.name}`}>{l(stage.label) || stage.name}</h2>
            </div>
            {stage.description ? <p class="muted small pipeline-stage-desc">{l(stage.description)}</p> : null}
            {empty ? (
              <p class="muted">{t('noSettings')}</p>
            ) : (
              <DynamicForm form={stage.form} value={withDefaults(stage.form, values[stage.name])} onChange={(next) => set(stage.name, next)} idPrefix={`${section.name}-${stage.name}`} />
            )}
          </Card>
        );
      })}
    </div>
  );
}

/** The config with every stage's defaults filled in, so a form that only shows values is not "changed" by them. */
export function normalizeConfig(sections: SectionMeta[], config: PipelineConfig): PipelineConfig {
  const out: PipelineConfig = structuredClone(config ?? {});
  for (const section of sections) {
    out[section.name] ??= {};
    for (const stage of section.stages) out[section.name][stage.name] = withDefaults(stage.form, out[section.name][stage.name]);
  }
  return out;
}
