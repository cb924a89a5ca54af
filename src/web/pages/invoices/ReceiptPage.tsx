/** The guardian's receipt on the phone (printable too). */
import { NavBar } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { useT } from '../../i18n';
import { ReceiptView } from '../payments/Receipt';
import { dict } from './dict';

export default function FamilyReceiptPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const t = useT(dict);
  return (
    <div>
      <NavBar onBack={() => navigate(-1)}>{t('receipt')}</NavBar>
      <ReceiptView url={`/family/payments/${id}/receipt`} />
    </div>
  );
}
