/**
 * 名册导入: download the template, choose a filled-in .xlsx, check it (a dry run: nothing is
 * written), then import it. The upload shows its progress; the server then checks or imports the
 * whole file in one transaction, so a file with errors imports nothing and lists every problem.
 */
import { CloudUploadOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Progress, Result, Space, Spin, Steps, Typography, Upload } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { GRADE_LABELS } from '../../../shared/roster';
import { ApiError, download } from '../../api';
import { useT } from '../../i18n';
import { errorText } from '../school/roster';
import { dict } from './dict';
import { ImportErrors } from './ImportErrors';
import { type ImportError, type ImportResult, type Upload as Sending, uploadRoster } from './upload';

const MAX_BYTES = 10 * 1024 * 1024;

type State =
  | { phase: 'idle' }
  | { phase: 'uploading'; file: File; dryRun: boolean; percent: number }
  | { phase: 'processing'; file: File; dryRun: boolean }
  | { phase: 'checked'; file: File; result: ImportResult }
  | { phase: 'invalid'; file: File; message: string; errors: ImportError[]; total: number }
  | { phase: 'failed'; file: File; message: string }
  | { phase: 'done'; result: ImportResult };

const counts = (r: ImportResult) => ({ rows: r.rows, created: r.created, updated: r.updated, guardians: r.guardians });
const classList = (r: ImportResult) => r.createdClasses.map((c) => `${c.campus} ${GRADE_LABELS[c.grade] ?? ''}${c.name}`).join('、');

export default function ImportPage() {
  const t = useT(dict);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [gettingTemplate, setGettingTemplate] = useState(false);
  const sending = useRef<Sending | null>(null);

  useEffect(() => () => sending.current?.abort(), []);

  const run = async (file: File, dryRun: boolean) => {
    setState({ phase: 'uploading', file, dryRun, percent: 0 });
    const up = uploadRoster(file, dryRun, {
      progress: (percent) => setState((s) => (s.phase === 'uploading' ? { ...s, percent } : s)),
      uploaded: () => setState((s) => (s.phase === 'uploading' ? { phase: 'processing', file, dryRun } : s)),
    });
    sending.current = up;
    try {
      const result = await up.promise;
      if (dryRun) setState({ phase: 'checked', file, result });
      else {
        setState({ phase: 'done', result });
        qc.invalidateQueries({ queryKey: ['students'] });
        qc.invalidateQueries({ queryKey: ['classes'] });
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ABORTED') setState({ phase: 'idle' });
      else if (e instanceof ApiError && e.code === 'IMPORT_INVALID') {
        const d = (e.details ?? {}) as { errors?: ImportError[]; total?: number };
        const errors = d.errors ?? [];
        setState({ phase: 'invalid', file, message: e.message, errors, total: d.total ?? errors.length });
      } else setState({ phase: 'failed', file, message: errorText(e) });
    } finally {
      sending.current = null;
    }
  };

  const choose = (file: File) => {
    if (!/\.xlsx$/i.test(file.name)) message.error(t('notXlsx'));
    else if (file.size > MAX_BYTES) message.error(t('tooBig'));
    else run(file, true);
    return false; // we send the file ourselves
  };

  const getTemplate = async () => {
    setGettingTemplate(true);
    try {
      await download('/roster/template.xlsx', '学生名册导入模板.xlsx');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setGettingTemplate(false);
    }
  };

  const current =
    state.phase === 'done' ? 3 : state.phase === 'checked' || (state.phase !== 'idle' && 'dryRun' in state && !state.dryRun) ? 2 : 1;
  const busy = state.phase === 'uploading' || state.phase === 'processing';

  const dragger = (
    <Upload.Dragger
      accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      multiple={false}
      showUploadList={false}
      beforeUpload={choose}
      disabled={busy}
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{t('drop')}</p>
      <p className="ant-upload-hint">{t('dropHint')}</p>
    </Upload.Dragger>
  );

  const fileLine = (file: File) => (
    <Typography.Text>
      <FileExcelOutlined style={{ color: '#217346' }} /> {file.name}{' '}
      <Typography.Text type="secondary">({(file.size / 1024).toFixed(0)} KB)</Typography.Text>
    </Typography.Text>
  );

  let body: ReactNode;
  switch (state.phase) {
    case 'idle':
      body = dragger;
      break;
    case 'uploading':
    case 'processing':
      body = (
        <div style={{ padding: '24px 0', maxWidth: 560 }} aria-live="polite">
          {state.phase === 'uploading' ? (
            <>
              <Typography.Text>{t('uploading', { name: state.file.name })}</Typography.Text>
              <Progress percent={state.percent} status="active" />
            </>
          ) : (
            <Space size="middle" align="start">
              <Spin />
              <div>
                <Typography.Text strong>{state.dryRun ? t('checking') : t('importing')}</Typography.Text>
                <div>
                  <Typography.Text type="secondary">{t('processingHint')}</Typography.Text>
                </div>
              </div>
            </Space>
          )}
          <div style={{ marginTop: 12 }}>
            <Button size="small" onClick={() => sending.current?.abort()}>
              {t('cancel')}
            </Button>
          </div>
        </div>
      );
      break;
    case 'checked':
      body = (
        <>
          <Alert
            type="success"
            showIcon
            title={t('checkedTitle')}
            description={
              <>
                <div>{fileLine(state.file)}</div>
                <div style={{ marginTop: 4 }}>{t('checkedDesc', counts(state.result))}</div>
                {state.result.createdClasses.length > 0 && (
                  <div style={{ marginTop: 4 }}>
                    {t('willCreateClasses')}
                    {classList(state.result)}
                  </div>
                )}
              </>
            }
          />
          <Space style={{ marginTop: 16 }}>
            <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => run(state.file, false)}>
              {t('confirmImport')}
            </Button>
            <Button onClick={() => setState({ phase: 'idle' })}>{t('chooseOther')}</Button>
          </Space>
        </>
      );
      break;
    case 'invalid':
      body = (
        <>
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('invalidTitle')}
            description={
              <>
                <div>{fileLine(state.file)}</div>
                <div>{state.message}</div>
                <div>{t('invalidDesc')}</div>
                {state.total > state.errors.length && <div>{t('invalidMore', { total: state.total, n: state.errors.length })}</div>}
              </>
            }
            style={{ marginBottom: 16 }}
          />
          <ImportErrors errors={state.errors} />
          <div style={{ marginTop: 16 }}>{dragger}</div>
        </>
      );
      break;
    case 'failed':
      body = (
        <>
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('failedTitle')}
            description={
              <>
                <div>{fileLine(state.file)}</div>
                <div>{state.message}</div>
              </>
            }
            style={{ marginBottom: 16 }}
          />
          {dragger}
        </>
      );
      break;
    case 'done':
      body = (
        <Result
          status="success"
          title={t('doneTitle')}
          subTitle={
            <>
              <div>{t('doneDesc', counts(state.result))}</div>
              {state.result.createdClasses.length > 0 && <div>{t('doneClasses', { list: classList(state.result) })}</div>}
            </>
          }
          extra={[
            <Button type="primary" key="students" onClick={() => navigate('/office/students')}>
              {t('viewStudents')}
            </Button>,
            <Button key="again" onClick={() => setState({ phase: 'idle' })}>
              {t('importAnother')}
            </Button>,
          ]}
        />
      );
      break;
  }

  return (
    <Card title={t('title')}>
      <Steps
        current={current}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('step1'), content: t('step1Desc') },
          { title: t('step2'), content: t('step2Desc') },
          { title: t('step3'), content: t('step3Desc') },
        ]}
      />
      <Card size="small" type="inner" style={{ marginBottom: 16 }}>
        <div style={{ display: 'flex', gap: 16, alignItems: 'center', flexWrap: 'wrap' }}>
          <Button icon={<DownloadOutlined />} loading={gettingTemplate} onClick={getTemplate}>
            {t('downloadTemplate')}
          </Button>
          <Typography.Text type="secondary" style={{ flex: 1, minWidth: 280 }}>
            {t('templateHelp')}
          </Typography.Text>
        </div>
      </Card>
      {body}
    </Card>
  );
}
