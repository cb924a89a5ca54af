/** Shrinks a chosen photo to at most `max` px and returns a JPEG data URL the API accepts (< 200 KB). */
export async function photoToDataUrl(file: File, max = 320): Promise<string> {
  const url = URL.createObjectURL(file);
  try {
    const img = await new Promise<HTMLImageElement>((resolve, reject) => {
      const i = new Image();
      i.onload = () => resolve(i);
      i.onerror = () => reject(new Error('无法读取这张图片'));
      i.src = url;
    });
    const scale = Math.min(1, max / Math.max(img.width, img.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.width * scale);
    canvas.height = Math.round(img.height * scale);
    canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height);
    for (const q of [0.85, 0.7, 0.5]) {
      const data = canvas.toDataURL('image/jpeg', q);
      if (data.length < 270_000) return data;
    }
    throw new Error('图片太大，请换一张');
  } finally {
    URL.revokeObjectURL(url);
  }
}
