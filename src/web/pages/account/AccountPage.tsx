/** Change password, switch school/role, language, log out. On the phone it is the 我的 tab. */
import { Button, Card, Form, Input, List, Space, Tag, Typography, App } from 'antd';
import { ApiError, post } from '../../api';
import { useAuthActions, useMe } from '../../auth';
import { type Dict, useLocale, useT } from '../../i18n';

const dict: Dict = {
  zh: {
    title: '账号设置',
    current: '当前密码',
    next: '新密码（至少 8 位）',
    confirm: '再次输入新密码',
    mismatch: '两次输入的新密码不一致',
    changed: '密码已修改，其他设备上的登录已退出',
    contexts: '我的学校与身份',
    active: '当前',
    use: '切换到此身份',
  },
  en: {
    title: 'Account',
    current: 'Current password',
    next: 'New password (8+ characters)',
    confirm: 'Repeat new password',
    mismatch: 'The new passwords differ',
    changed: 'Password changed; other devices were signed out',
    contexts: 'My schools and roles',
    active: 'Current',
    use: 'Switch',
  },
};

export default function AccountPage({ mobile = false }: { mobile?: boolean }) {
  const t = useT(dict);
  const me = useMe().data;
  const { locale, setLocale } = useLocale();
  const { logout, switchContext } = useAuthActions();
  const { message } = App.useApp();
  const [form] = Form.useForm();

  const onFinish = async (v: { current: string; next: string }) => {
    try {
      await post('/auth/password', { current: v.current, next: v.next });
      message.success(t('changed'));
      form.resetFields();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <div style={{ padding: mobile ? 12 : 0, maxWidth: 640 }}>
      <Typography.Title level={4}>{t('title')}</Typography.Title>
      <Card title={me?.account.displayName} style={{ marginBottom: 16 }}>
        <List
          header={<b>{t('contexts')}</b>}
          dataSource={me?.contexts ?? []}
          renderItem={(c) => (
            <List.Item
              actions={[
                me?.active?.id === c.id ? (
                  <Tag color="blue" key="a">
                    {t('active')}
                  </Tag>
                ) : (
                  <Button key="s" size="small" onClick={() => switchContext(c)}>
                    {t('use')}
                  </Button>
                ),
              ]}
            >
              <List.Item.Meta title={c.name} description={c.roles.map((r) => t(`role_${r}`)).join('、')} />
            </List.Item>
          )}
        />
      </Card>
      <Card title={t('changePassword')} style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item name="current" label={t('current')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="next" label={t('next')} rules={[{ required: true, min: 8 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('confirm')}
            dependencies={['next']}
            rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: (_, v) => (v === getFieldValue('next') ? Promise.resolve() : Promise.reject(new Error(t('mismatch')))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('save')}
          </Button>
        </Form>
      </Card>
      <Space>
        <Button onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>{t('language')}</Button>
        <Button danger onClick={() => logout()}>
          {t('logout')}
        </Button>
      </Space>
    </div>
  );
}
