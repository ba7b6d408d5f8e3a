/** The overview numbers for the chosen range, each leading to Monitoring, and their series as bar charts. */
import type { ComponentChildren } from 'preact';
import { BarChart } from '../../components/chart';
import { Card, Loaded } from '../../components/ui';
import { useLocale } from '../../lib/i18n';
import { useInterval, useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { num } from '../monitoring/format';
import { dashboardRange, monitoringApi, type BucketRow, type DashboardRange } from '../monitoring/model';
import type { DashT } from './i18n';

export function Activity({ range, t }: { range: DashboardRange; t: DashT }) {
  const data = useResource(async () => {
    const { startTime, bucket } = dashboardRange(range);
    const [overview, buckets] = await Promise.all([monitoringApi.overview({ startTime }), monitoringApi.series({ startTime }, bucket)]);
    return { overview, buckets, bucket };
  }, [range]);
  useInterval(() => {
    if (!data.loading) void data.reload();
  }, 60_000);
  const monitoring = (tab?: string) => href(`/monitoring?${tab ? `tab=${tab}&` : ''}range=${range}`);
  return (
    <Loaded resource={data}>
      {({ overview: o, buckets, bucket }) => (
        <>
          <section class="dash-numbers" aria-label={t('activityRange', { range: t(`range_${range}`) })}>
            <Stat label={t('messages')} value={num(o.total_messages)} link={monitoring()} t={t} testId="stat-messages" />
            <Stat label={t('llmCalls')} value={num(o.llm_calls)} link={monitoring('llm-calls')} t={t} testId="stat-llm-calls" />
            <Stat label={t('tokens')} value={num(o.total_tokens)} link={monitoring('llm-calls')} t={t} testId="stat-tokens">
              {t('tokensSplit', { input: num(o.input_tokens), output: num(o.output_tokens) })}
            </Stat>
            <Stat label={t('successRate')} value={`${o.success_rate}%`} link={monitoring('errors')} t={t} testId="stat-success" tone={o.errors > 0 ? 'warn' : undefined}>
              {o.errors > 0 ? t('errorsCount', { n: num(o.errors) }) : t('noErrors')}
            </Stat>
            <Stat label={t('activeSessions')} value={num(o.active_sessions)} link={monitoring('sessions')} t={t} testId="stat-sessions">
              {t('activeHint')}
            </Stat>
          </section>
          <Card title={t('charts')}>
            <Charts buckets={buckets} bucket={bucket} t={t} />
            <p class="muted small dash-note">{t('chartsNote', { unit: t(`unit_${bucket}`) })}</p>
          </Card>
        </>
      )}
    </Loaded>
  );
}

function Stat({ label, value, link, t, testId, tone, children }: { label: string; value: string; link: string; t: DashT; testId: string; tone?: 'warn'; children?: ComponentChildren }) {
  return (
    <a class={`card stat dash-stat ${tone ? `dash-${tone}` : ''}`} href={link} data-testid={testId} title={t('open')}>
      <span class="muted">{label}</span>
      <span class="value">{value}</span>
      {children ? <span class="muted small">{children}</span> : null}
    </a>
  );
}

function Charts({ buckets, bucket, t }: { buckets: BucketRow[]; bucket: 'hour' | 'day'; t: DashT }) {
  const locale = useLocale() === 'zh_Hans' ? 'zh-CN' : 'en-US';
  // Hours in local time; days are UTC days, so named in UTC (a local date could be the day before).
  const label = (time: string) =>
    bucket === 'hour'
      ? new Date(time).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      : new Date(time).toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const series = (pick: (b: BucketRow) => number) => buckets.map((b) => ({ label: label(b.time), value: pick(b) }));
  return (
    <div class="dash-charts">
      <BarChart title={t('chartMessages')} points={series((b) => b.messages)} />
      <BarChart title={t('chartLlm')} points={series((b) => b.llm_calls)} color="var(--dash-violet)" />
      <BarChart title={t('chartTokens')} points={series((b) => b.total_tokens)} color="var(--dash-teal)" />
    </div>
  );
}
