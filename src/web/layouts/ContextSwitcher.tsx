import { SwapOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useAuthActions, useMe } from '../auth';
import { useT } from '../i18n';

/** One account, several schools or roles: choose which one to act in. */
export function ContextSwitcher() {
  const me = useMe().data;
  const t = useT();
  const { switchContext } = useAuthActions();
  if (!me || me.contexts.length < 2) return null;
  return (
    <Dropdown
      menu={{
        selectedKeys: me.active ? [me.active.id] : [],
        items: me.contexts.map((c) => ({
          key: c.id,
          label: `${c.name} · ${c.roles.map((r) => t(`role_${r}`)).join('、')}`,
          onClick: () => switchContext(c),
        })),
      }}
    >
      <Button icon={<SwapOutlined />} aria-label={t('switchContext')}>
        {t('switchContext')}
      </Button>
    </Dropdown>
  );
}
