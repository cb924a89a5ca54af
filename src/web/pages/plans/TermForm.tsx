/** A term's dates, the summer/winter switch and the guardians' application window, as a modal form. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { patch, post } from '../../api';
import { useT } from '../../i18n';
import { errorText } from '../school/roster';
import { dict } from './dict';
import type { Term } from './types';

interface Values {
  name: string;
  dates: [Dayjs, Dayjs];
  winterFrom?: Dayjs | null;
  summerFrom?: Dayjs | null;
  window?: [Dayjs, Dayjs] | null;
}

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

export function TermForm({ term, open, onClose }: { term?: Term | null; open: boolean; onClose(): void }) {
  const t = useT(dict);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (term) {
      form.setFieldsValue({
        name: term.name,
        dates: [dayjs(term.startsOn), dayjs(term.endsOn)],
        winterFrom: term.winterFrom ? dayjs(term.winterFrom) : null,
        summerFrom: term.summerFrom ? dayjs(term.summerFrom) : null,
        window: term.applyOpensAt && term.applyClosesAt ? [dayjs(term.applyOpensAt), dayjs(term.applyClosesAt)] : null,
      });
    }
  }, [open, term, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        name: v.name.trim(),
        startsOn: day(v.dates[0]),
        endsOn: day(v.dates[1]),
        winterFrom: day(v.winterFrom),
        summerFrom: day(v.summerFrom),
        applyOpensAt: v.window ? v.window[0].format() : null,
        applyClosesAt: v.window ? v.window[1].format() : null,
      };
      return term ? patch(`/terms/${term.id}`, body) : post('/terms', body);
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['terms'] });
      qc.invalidateQueries({ queryKey: ['term'] });
      qc.invalidateQueries({ queryKey: ['plan'] });
      message.success(t('saved'));
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <Modal
      open={open}
      title={term ? t('editTerm') : t('addTerm')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      confirmLoading={save.isPending}
      width={560}
    >
      <Form name="term" form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('termName')} rules={[{ required: true, whitespace: true, message: t('termRequired') }]}>
          <Input maxLength={60} placeholder="2026—2027学年第一学期" />
        </Form.Item>
        <Form.Item name="dates" label={t('termDates')} rules={[{ required: true, message: t('datesRequired') }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('seasonHint')} style={{ marginBottom: 0 }}>
          <div style={{ display: 'flex', gap: 12 }}>
            <Form.Item name="winterFrom" label={t('winterFrom')} style={{ flex: 1 }}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="summerFrom" label={t('summerFrom')} style={{ flex: 1 }}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </div>
        </Form.Item>
        <Form.Item name="window" label={t('applyWindow')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
