/** The office's printable receipt of one payment. */
import { useNavigate, useParams } from 'react-router-dom';
import { ReceiptView } from './Receipt';

export default function ReceiptPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  return <ReceiptView url={`/payments/${id}/receipt`} back={() => navigate('/office/payments')} />;
}
