import { useState } from 'preact/hooks';

/** Copies text with the Clipboard API, or by selecting a hidden field where that is missing. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.className = 'visually-hidden';
    document.body.append(field);
    field.select();
    // execCommand is deprecated, but it is the only fallback where the Clipboard API is missing
    // (an insecure origin, or a browser that refuses it).
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const copied = document.execCommand('copy');
    field.remove();
    return copied;
  }
}

export function CopyButton({ text, label = 'Copy link' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        class="button small"
        onClick={() => {
          void copyText(text).then((ok) => {
            setState(ok ? 'copied' : 'failed');
          });
        }}
      >
        {label}
      </button>
      <span role="status" class="copy-state">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Could not copy: select the link and copy it.' : ''}
      </span>
    </>
  );
}
