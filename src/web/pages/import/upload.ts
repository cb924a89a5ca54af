/**
 * Sends a roster workbook to POST /api/roster/import with XMLHttpRequest, which (unlike fetch)
 * reports upload progress. Errors come back as ApiError with the server's Chinese message.
 */
import { ApiError, getCsrfToken } from '../../api';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ImportResult {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  guardians: number;
  guardiansReused?: number;
  pickupsAdded?: number;
  createdClasses: { campus: string; grade: number; name: string }[];
}

export interface ImportError {
  row: number;
  column: string;
  message: string;
}

export interface Upload {
  promise: Promise<ImportResult>;
  abort(): void;
}

export function uploadRoster(file: File, dryRun: boolean, on: { progress(percent: number): void; uploaded(): void }): Upload {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ImportResult>((resolve, reject) => {
    xhr.open('POST', `/api/roster/import${dryRun ? '?dryRun=true' : ''}`);
    xhr.setRequestHeader('content-type', XLSX_MIME);
    xhr.setRequestHeader('x-csrf-token', getCsrfToken());
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) on.progress(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.upload.onload = () => {
      on.progress(100);
      on.uploaded();
    };
    xhr.onload = () => {
      let data: { code?: string; message?: string; details?: unknown } | null = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && data) resolve(data as unknown as ImportResult);
      else
        reject(
          new ApiError(
            xhr.status,
            data?.code ?? `HTTP_${xhr.status}`,
            data?.message ?? (xhr.status === 413 ? '文件太大，请分成几个文件导入' : `请求失败（${xhr.status}）`),
            data?.details,
          ),
        );
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', '已取消'));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}
