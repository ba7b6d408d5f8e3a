/** For a fresh install (nothing said to a bot yet): the next steps, each with a link and ticked once done. */
import { api } from '../../lib/api';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import type { DashT } from './i18n';

const INTERNAL_ADAPTERS = new Set(['debug-chat']);

async function progress() {
  const [models, pipelines, bots] = await Promise.all([
    api.get<{ models: unknown[] }>('/api/v1/provider/models/llm'),
    api.get<{ pipelines: Array<{ uuid: string; name: string; is_default: boolean }> }>('/api/v1/pipelines'),
    api.get<{ bots: Array<{ adapter: string }> }>('/api/v1/platform/bots'),
  ]);
  return {
    hasModel: models.models.length > 0,
    pipeline: pipelines.pipelines.find((p) => p.is_default) ?? pipelines.pipelines[0],
    hasBot: bots.bots.some((b) => !INTERNAL_ADAPTERS.has(b.adapter)),
  };
}

export function GettingStarted({ t }: { t: DashT }) {
  const state = useResource(progress, []);
  const data = state.data;
  if (!data) return null;
  const steps = [
    { title: t('step1'), text: t('step1Text'), link: '/models', done: data.hasModel },
    {
      title: t('step2'),
      text: data.pipeline ? t('step2Text', { name: data.pipeline.name }) : t('step2NoPipeline'),
      link: data.pipeline ? `/pipelines/${data.pipeline.uuid}/chat` : '/pipelines',
      done: false,
    },
    { title: t('step3'), text: t('step3Text'), link: '/bots', done: data.hasBot },
  ];
  return (
    <section class="card dash-start" aria-labelledby="dash-start-title">
      <h2 id="dash-start-title">{t('startTitle')}</h2>
      <p class="muted">{t('startIntro')}</p>
      <ol class="dash-steps">
        {steps.map((step, i) => (
          <li key={step.link} class={step.done ? 'dash-step done' : 'dash-step'}>
            <span class="dash-step-no" aria-hidden="true">
              {step.done ? '✓' : i + 1}
            </span>
            <div>
              <a href={href(step.link)} class="dash-step-title">
                {step.title}
              </a>
              {step.done ? <span class="badge badge-good dash-done">{t('done')}</span> : null}
              <p class="muted small">{step.text}</p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
