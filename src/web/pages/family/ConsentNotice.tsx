/** POLICY N22: before any child data is shown, the guardian reads the notice and agrees (or not). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Dialog, ErrorBlock, Skeleton, Toast } from 'antd-mobile';
import { ApiError, get, post } from '../../api';
import { type Dict, useT } from '../../i18n';

interface Notice {
  version: string;
  school: string;
  contact: string;
  sections: { title: string; body: string }[];
}

const dict: Dict = {
  zh: {
    title: '儿童个人信息保护告知书',
    intro: '{school}使用“课后”平台办理课后服务。在查看孩子的信息之前，请阅读下面的说明。',
    agree: '我已阅读并同意',
    refuse: '不同意',
    refusedTitle: '您选择了不同意',
    refusedBody: '平台不会显示或处理孩子的信息。您可以到学校办公室以纸质方式办理课后服务；随时可以回到这里重新选择。',
    version: '版本 {v}',
    contact: '学校电话：{c}',
  },
  en: {
    title: "Notice on children's personal information",
    intro: '{school} uses Kehou for after-school services. Please read this before you see your child’s information.',
    agree: 'I have read it and agree',
    refuse: 'I do not agree',
    refusedTitle: 'You did not agree',
    refusedBody:
      'Kehou will not show or process your child’s data. You can use paper forms at the school office, and come back here at any time.',
    version: 'Version {v}',
    contact: 'School phone: {c}',
  },
};

export function ConsentNotice() {
  const t = useT(dict);
  const qc = useQueryClient();
  const notice = useQuery({ queryKey: ['notice'], queryFn: () => get<Notice>('/family/notice') });
  const accept = useMutation({
    mutationFn: (version: string) => post('/family/consent', { version, accept: true }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['me'] }),
    onError: (e) => Toast.show({ content: e instanceof ApiError ? e.message : String(e) }),
  });
  if (notice.isLoading) return <Skeleton.Paragraph lineCount={8} animated />;
  if (notice.error || !notice.data) return <ErrorBlock status="default" description={(notice.error as Error)?.message} />;
  const n = notice.data;
  return (
    <div style={{ padding: 12 }}>
      <Card title={t('title')}>
        <p style={{ marginTop: 0 }}>{t('intro', { school: n.school })}</p>
        {n.sections.map((s) => (
          <section key={s.title} style={{ marginBottom: 12 }}>
            <h4 style={{ margin: '8px 0 4px' }}>{s.title}</h4>
            <div style={{ color: '#555', lineHeight: 1.6 }}>{s.body}</div>
          </section>
        ))}
        <div style={{ color: '#999', fontSize: 12, margin: '8px 0 16px' }}>
          {t('version', { v: n.version })}
          {n.contact ? ` · ${t('contact', { c: n.contact })}` : ''}
        </div>
        <Button block color="primary" size="large" loading={accept.isPending} onClick={() => accept.mutate(n.version)}>
          {t('agree')}
        </Button>
        <Button
          block
          fill="none"
          size="large"
          style={{ marginTop: 8 }}
          onClick={() => Dialog.alert({ title: t('refusedTitle'), content: t('refusedBody') })}
        >
          {t('refuse')}
        </Button>
      </Card>
    </div>
  );
}
