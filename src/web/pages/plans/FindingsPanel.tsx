/** The compliance findings beside the form: severity, rule id and source, the message; a click opens the step. */
import { CheckCircleTwoTone, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Card, List, Space, Tag, Typography } from 'antd';
import { useLocale, useT } from '../../i18n';
import { dict } from './dict';
import type { Finding } from './types';

/** A finding's message and source in the reader's language (findings stored before English was added have Chinese only). */
export function useFindingText() {
  const { locale } = useLocale();
  const en = locale === 'en';
  return {
    message: (f: Finding) => (en && f.messageEn) || f.message,
    source: (f: Finding) => (en && f.sourceEn) || f.source,
  };
}
import { stepOf } from './usePlanEdit';

export function FindingsPanel({ findings, onOpen, title }: { findings: Finding[]; onOpen?(step: number): void; title?: string }) {
  const t = useT(dict);
  const text = useFindingText();
  const blocks = findings.filter((f) => f.severity === 'block').length;
  const warns = findings.length - blocks;
  return (
    <Card
      size="small"
      title={title ?? t('findings')}
      extra={
        <Space size={4}>
          {blocks > 0 && <Tag color="error">{t('blockingN', { n: blocks })}</Tag>}
          {warns > 0 && <Tag color="warning">{t('warningN', { n: warns })}</Tag>}
        </Space>
      }
      styles={{ body: { maxHeight: 'calc(100vh - 260px)', overflow: 'auto', padding: findings.length ? 0 : 16 } }}
    >
      {findings.length === 0 ? (
        <Space>
          <CheckCircleTwoTone twoToneColor="#52c41a" />
          <Typography.Text>{t('noFindings')}</Typography.Text>
        </Space>
      ) : (
        <List
          size="small"
          dataSource={findings}
          renderItem={(f) => (
            <List.Item
              style={{ cursor: onOpen ? 'pointer' : undefined, alignItems: 'flex-start', padding: '10px 16px' }}
              onClick={() => onOpen?.(stepOf(f.path))}
            >
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space size={6} wrap>
                  {f.severity === 'block' ? (
                    <CloseCircleFilled style={{ color: '#ff4d4f' }} />
                  ) : (
                    <ExclamationCircleFilled style={{ color: '#faad14' }} />
                  )}
                  <Tag color={f.severity === 'block' ? 'error' : 'warning'} style={{ marginInlineEnd: 0 }}>
                    {f.id}
                  </Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(f.severity)}
                  </Typography.Text>
                </Space>
                <Typography.Text>{text.message(f)}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('sourceLabel')}
                  {text.source(f)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
