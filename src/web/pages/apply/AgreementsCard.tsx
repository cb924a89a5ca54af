/** Step 1: the two agreements, read in full, signed together (R1). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Collapse, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { ApiError, post } from '../../api';
import { formatDateTime, useT } from '../../i18n';
import { dict } from './dict';
import type { Agreement } from './types';

export function AgreementsCard({ termId, studentId, agreements }: { termId: string; studentId: string; agreements: Agreement[] }) {
  const t = useT(dict);
  const qc = useQueryClient();
  const [agree, setAgree] = useState(false);
  const unsigned = agreements.filter((a) => !a.signedAt);
  const sign = useMutation({
    mutationFn: () => post('/family/agreements/sign', { termId, studentId, textIds: unsigned.map((a) => a.id) }),
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('signed') });
      qc.invalidateQueries({ queryKey: ['apply', studentId] });
    },
    onError: (e) => Toast.show({ content: e instanceof ApiError ? e.message : String(e) }),
  });
  return (
    <Card
      title={t('step1')}
      style={{ margin: 12, borderRadius: 12 }}
      extra={unsigned.length === 0 ? <Tag color="success">{t('signed')}</Tag> : null}
    >
      <Collapse defaultActiveKey={unsigned.length ? [unsigned[0].id] : []}>
        {agreements.map((a) => (
          <Collapse.Panel
            key={a.id}
            title={
              <span>
                《{a.title}》 <span style={{ color: '#999', fontSize: 12 }}>v{a.version}</span>{' '}
                {a.signedAt && (
                  <Tag color="success" fill="outline">
                    {t('signedAt', { t: formatDateTime(a.signedAt) })}
                  </Tag>
                )}
              </span>
            }
          >
            <div style={{ whiteSpace: 'pre-wrap', fontSize: 14, lineHeight: 1.7, color: '#333' }}>{a.body}</div>
          </Collapse.Panel>
        ))}
      </Collapse>
      {unsigned.length > 0 && (
        <div style={{ paddingTop: 12 }}>
          <Checkbox checked={agree} onChange={setAgree} style={{ '--font-size': '15px' }}>
            {t('agree')}
          </Checkbox>
          <Button
            block
            color="primary"
            size="large"
            style={{ marginTop: 12 }}
            disabled={!agree}
            loading={sign.isPending}
            onClick={() => sign.mutate()}
          >
            {t('sign')}
          </Button>
        </div>
      )}
    </Card>
  );
}
