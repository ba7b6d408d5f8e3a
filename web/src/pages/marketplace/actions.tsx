/** Install, update, roll back and uninstall: the buttons an extension's state allows, each with its dialog. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { PermissionList, permissionItems } from '../../components/permissions';
import { Button } from '../../components/ui';
import { useLocalized } from '../../lib/i18n';
import { useMarketT } from './i18n';
import { market, newestCompatible, type ExtensionDetails, type Task } from './model';
import { OperationDialog } from './operation-dialog';

type Op = 'install' | 'update' | 'rollback' | 'uninstall';

export function ExtensionActions({ ext, onFinished, onBackground }: { ext: ExtensionDetails; onFinished: (task: Task) => void; onBackground: (taskId: string) => void }) {
  const t = useMarketT();
  const l = useLocalized();
  const [op, setOp] = useState<Op | null>(null);
  const name = l(ext.display_name) || ext.id;
  const installed = ext.installed;
  const previous = installed?.previous_versions[0];
  const buttons = useRef<HTMLDivElement>(null);
  const close = () => {
    setOp(null);
    // The button that opened the dialog may be gone (Install after installing): keep the keyboard focus nearby.
    setTimeout(() => {
      if (document.activeElement === document.body) buttons.current?.querySelector('button')?.focus();
    });
  };
  const common = { name, onClose: close, onFinished, onBackground };
  return (
    <>
      <div class="row mp-actions" ref={buttons}>
        {installed ? null : (
          <Button variant="primary" onClick={() => setOp('install')} disabled={!newestCompatible(ext)} title={newestCompatible(ext) ? undefined : t('noCompatible')}>
            {t('install')}
          </Button>
        )}
        {installed && ext.update_available ? (
          <Button variant="primary" onClick={() => setOp('update')}>
            {t('updateTo', { version: ext.latest_version })}
          </Button>
        ) : null}
        {installed && previous ? <Button onClick={() => setOp('rollback')}>{t('rollbackTo', { version: previous })}</Button> : null}
        {installed ? (
          <Button variant="danger" onClick={() => setOp('uninstall')}>
            {t('uninstall')}
          </Button>
        ) : null}
      </div>
      {/* Always rendered: an operation changes what is installed while its dialog still shows the outcome. */}
      <InstallDialog ext={ext} open={op === 'install'} {...common} />
      <UpdateDialog ext={ext} open={op === 'update'} {...common} />
      <OperationDialog {...common} open={op === 'rollback'} title={t('rollbackTitle', { name })} confirmLabel={t('rollback')} start={() => market.rollback(ext.id)}>
        <p>{t('rollbackQuestion', { name, current: installed?.version ?? '', previous: previous ?? '' })}</p>
      </OperationDialog>
      <UninstallDialog ext={ext} open={op === 'uninstall'} {...common} />
    </>
  );
}

interface DialogProps {
  ext: ExtensionDetails;
  name: string;
  open: boolean;
  onClose: () => void;
  onFinished: (task: Task) => void;
  onBackground: (taskId: string) => void;
}

/** Lists what the chosen version may do; approving sends exactly those permissions. */
function InstallDialog({ ext, ...props }: DialogProps) {
  const t = useMarketT();
  const compatible = ext.versions.filter((v) => v.compatible);
  const [chosen, setChosen] = useState(compatible[0]?.version ?? '');
  const version = compatible.find((v) => v.version === chosen) ?? compatible[0];
  const nothingToApprove = !version || permissionItems(version.permissions).length === 0;
  return (
    <OperationDialog
      {...props}
      title={t('installTitle', { name: props.name })}
      confirmLabel={nothingToApprove ? t('install') : t('approveInstall')}
      canConfirm={Boolean(version)}
      start={() => market.install(ext.id, version.version, version.permissions ?? {})}
    >
      {compatible.length > 1 ? (
        <div class="field">
          <label for="mp-install-version">{t('version')}</label>
          <select id="mp-install-version" value={version?.version} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
            {compatible.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {version ? (
        <>
          <p>{t('installAsks', { name: props.name, version: version.version })}</p>
          <PermissionList permissions={version.permissions} inprocess={ext.isolation === 'inprocess'} />
        </>
      ) : (
        <p>{t('noCompatible')}</p>
      )}
    </OperationDialog>
  );
}

/** Shows only what the new version asks for beyond what was approved before. */
function UpdateDialog({ ext, ...props }: DialogProps) {
  const t = useMarketT();
  const asksMore = ext.new_permissions.length > 0;
  return (
    <OperationDialog
      {...props}
      title={t('updateTitle', { name: props.name })}
      confirmLabel={asksMore ? t('approveUpdate') : t('update')}
      start={() => market.update(ext.id, ext.permissions ?? {})}
    >
      <p>{t('updateFromTo', { name: props.name, current: ext.installed?.version ?? '', latest: ext.latest_version })}</p>
      {asksMore ? (
        <div class="mp-new-perms">
          <p>
            <strong>{t('newPermissions', { version: ext.latest_version })}</strong>
          </p>
          <PermissionList items={ext.new_permissions} inprocess={ext.isolation === 'inprocess'} />
        </div>
      ) : (
        <p class="muted">{t('noNewPermissions')}</p>
      )}
    </OperationDialog>
  );
}

function UninstallDialog({ ext, ...props }: DialogProps) {
  const t = useMarketT();
  const [deleteData, setDeleteData] = useState(false);
  useEffect(() => {
    if (props.open) setDeleteData(false);
  }, [props.open]);
  return (
    <OperationDialog
      {...props}
      title={t('uninstallTitle', { name: props.name })}
      confirmLabel={t('uninstall')}
      danger
      start={() => market.uninstall(ext.id, deleteData)}
    >
      <p>{t('uninstallQuestion', { name: props.name })}</p>
      <div class="field field-inline">
        <input id="mp-delete-data" type="checkbox" checked={deleteData} onChange={(e) => setDeleteData((e.target as HTMLInputElement).checked)} />
        <label for="mp-delete-data">{t('deleteData')}</label>
        <p class="hint">{t('deleteDataHint', { id: ext.id })}</p>
      </div>
    </OperationDialog>
  );
}
