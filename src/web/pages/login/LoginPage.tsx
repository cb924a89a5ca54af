/** Sign in with a username or phone number. Works on a phone and on a desktop. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api';
import { homePath, useAuthActions, useMe } from '../../auth';
import { type Dict, useLocale, useT } from '../../i18n';

const dict: Dict = {
  zh: {
    title: '登录课后',
    subtitle: '课后服务 · 托管 · 安全接送',
    login: '账号或手机号',
    password: '密码',
    submit: '登录',
    loginRequired: '请输入账号或手机号',
    passwordRequired: '请输入密码',
    hint: '演示账号见控制台或 README，密码 kehou123',
  },
  en: {
    title: 'Sign in to Kehou',
    subtitle: 'After-school care · clubs · safe pick-up',
    login: 'Username or phone',
    password: 'Password',
    submit: 'Sign in',
    loginRequired: 'Enter your username or phone',
    passwordRequired: 'Enter your password',
    hint: 'Demo accounts: see the console or README, password kehou123',
  },
};

export default function LoginPage() {
  const t = useT(dict);
  const { locale, setLocale } = useLocale();
  const me = useMe();
  const { login } = useAuthActions();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me.data) return <Navigate to={homePath(me.data.active)} replace />;

  const onFinish = async (v: { login: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.login.trim(), v.password);
      window.location.assign(params.get('next') ?? '/');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: 'linear-gradient(160deg,#e6f0ff,#f5f7fa)',
      }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }} variant="borderless">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <div
            style={{
              width: 56,
              height: 56,
              borderRadius: 14,
              background: '#1677ff',
              color: '#fff',
              fontSize: 30,
              lineHeight: '56px',
              margin: '0 auto 12px',
            }}
          >
            课
          </div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('subtitle')}</Typography.Text>
        </div>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
          <Form.Item name="login" label={t('login')} rules={[{ required: true, message: t('loginRequired') }]}>
            <Input id="login" prefix={<UserOutlined />} autoComplete="username" inputMode="text" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('passwordRequired') }]}>
            <Input.Password id="password" prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('submit')}
          </Button>
        </Form>
        <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 16 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('hint')}
          </Typography.Text>
          <Button type="link" size="small" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
            {t('language')}
          </Button>
        </div>
      </Card>
    </div>
  );
}
