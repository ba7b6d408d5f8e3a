/** `#/`: the instance's status, the activity of the chosen range with its charts, and first steps on a fresh install. */
import { useEffect, useState } from 'preact/hooks';
import { PageHeader } from '../../components/ui';
import { useResource } from '../../lib/resource';
import { DASHBOARD_RANGES, monitoringApi, type DashboardRange } from '../monitoring/model';
import { Activity } from './activity';
import { GettingStarted } from './getting-started';
import { useDashT } from './i18n';
import { SystemStatus } from './system-status';
import './dashboard.css';

const RANGE_KEY = 'langbot.dashboard.range';

function savedRange(): DashboardRange {
  const saved = sessionStorage.getItem(RANGE_KEY) as DashboardRange | null;
  return saved && DASHBOARD_RANGES.includes(saved) ? saved : '24h';
}

export function DashboardPage() {
  const t = useDashT();
  const [range, setRange] = useState<DashboardRange>(savedRange);
  useEffect(() => sessionStorage.setItem(RANGE_KEY, range), [range]);
  // A fresh install: nobody has talked to a bot yet (over all time, not just the range shown).
  const stats = useResource(() => monitoringApi.basicStats(), []);
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <div class="dash-range" role="group" aria-label={t('range')}>
            {DASHBOARD_RANGES.map((r) => (
              <button key={r} type="button" class={r === range ? 'btn btn-small btn-primary' : 'btn btn-small'} aria-pressed={r === range} onClick={() => setRange(r)}>
                {t(`range_${r}`)}
              </button>
            ))}
          </div>
        }
      />
      {stats.data?.query_count === 0 ? <GettingStarted t={t} /> : null}
      <SystemStatus t={t} />
      <h2 class="dash-heading">{t('activityRange', { range: t(`range_${range}`) })}</h2>
      <Activity range={range} t={t} />
    </>
  );
}
